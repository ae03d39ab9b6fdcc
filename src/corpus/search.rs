//! Full-text search (FTS5) over report text and titles, and over quotes.
//!
//! User words are never passed to FTS5 as syntax: each word becomes a quoted phrase,
//! so `AND`, `*`, `-`, `(` or a stray `"` cannot raise a query syntax error.

use super::db::args;
use super::query::{report_meta, stored_quote, QUOTE_COLUMNS, QUOTE_JOINS};
use super::store::person_tag;
use super::{Corpus, CorpusError, Doing, SearchHit, StoredQuote};
use crate::text::fold;

/// Marks around matched words in a snippet (Discord and Markdown bold).
const MARK: &str = "**";
/// Tokens of context a snippet shows.
const SNIPPET_TOKENS: i64 = 24;
/// Most words used from one query.
const MAX_WORDS: usize = 16;

/// An FTS5 query matching every word of `words` (implicit AND), or `None` when
/// nothing searchable is left. Words are whitespace-separated and quoted as phrases;
/// words without a letter or digit (`*`, `-`, `"`) are dropped.
pub(crate) fn fts_query(words: &str) -> Option<String> {
    fts_phrases(words).map(|p| p.join(" "))
}

/// Each usable word of `words` as a quoted FTS5 phrase.
fn fts_phrases(words: &str) -> Option<Vec<String>> {
    let phrases: Vec<String> = words
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .take(MAX_WORDS)
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect();
    (!phrases.is_empty()).then_some(phrases)
}

/// A PostgreSQL `tsquery` matching every word of `words`, each folded as stored (a word
/// folding to several tokens is a phrase), or `None` when nothing searchable is left. Folded
/// tokens hold only `[a-z0-9]`, so no user text reaches the query syntax.
pub(crate) fn ts_query(words: &str) -> Option<String> {
    let parts: Vec<String> = words
        .split_whitespace()
        .take(MAX_WORDS)
        .map(fold)
        .filter(|w| !w.is_empty())
        .map(|w| format!("({})", w.split(' ').collect::<Vec<_>>().join(" <-> ")))
        .collect();
    (!parts.is_empty()).then(|| parts.join(" & "))
}

impl Corpus {
    /// Reports matching all of `words` (title matches count more), best first, each with
    /// a snippet whose matched words are wrapped in `**`. Any input is safe.
    pub fn search(&self, words: &str, limit: usize) -> Result<Vec<SearchHit>, CorpusError> {
        let query = if self.db.is_postgres() {
            ts_query(words)
        } else {
            fts_query(words)
        };
        let Some(query) = query else {
            return Ok(Vec::new());
        };
        let sql = if self.db.is_postgres() {
            format!(
                "SELECT p.id, p.title, p.source, p.published, p.origin, \
                 ts_headline('simple', p.text, q, \
                   'StartSel={MARK}, StopSel={MARK}, MaxWords={SNIPPET_TOKENS}, MinWords=8, \
                    MaxFragments=1, FragmentDelimiter=…') \
                 FROM reports p, to_tsquery('simple', ?1) q \
                 WHERE p.fts @@ q ORDER BY ts_rank(p.fts, q) DESC, p.id LIMIT ?2"
            )
        } else {
            format!(
                "SELECT p.id, p.title, p.source, p.published, p.origin, \
                 snippet(reports_fts, 1, '{MARK}', '{MARK}', '…', {SNIPPET_TOKENS}) \
                 FROM reports_fts JOIN reports p ON p.id = reports_fts.rowid \
                 WHERE reports_fts MATCH ?1 ORDER BY bm25(reports_fts, 4.0, 1.0), p.id LIMIT ?2"
            )
        };
        self.db
            .map(&sql, args![query, limit as i64], |r| {
                Ok(SearchHit {
                    report: report_meta(r, 0)?,
                    snippet: r.get(5)?,
                })
            })
            .doing_with(|| format!("searching reports for {words:?}"))
    }

    /// One person's quotes containing all of `words`, best match first. The person is
    /// part of the FTS query, so a common word costs a merge of two lists, not a scan.
    pub fn search_quotes(
        &self,
        person_id: i64,
        words: &str,
        limit: usize,
    ) -> Result<Vec<StoredQuote>, CorpusError> {
        let doing = || format!("searching the quotes of person {person_id} for {words:?}");
        if self.db.is_postgres() {
            let Some(query) = ts_query(words) else {
                return Ok(Vec::new());
            };
            let sql = format!(
                "SELECT {QUOTE_COLUMNS} FROM quotes q {QUOTE_JOINS}, to_tsquery('simple', ?2) t \
                 WHERE q.person_id = ?1 AND q.fts @@ t ORDER BY ts_rank(q.fts, t) DESC, q.id \
                 LIMIT ?3"
            );
            return self
                .db
                .map(&sql, args![person_id, query, limit as i64], stored_quote)
                .doing_with(doing);
        }
        let Some(phrases) = fts_phrases(words) else {
            return Ok(Vec::new());
        };
        let mut query = format!("person : \"{}\"", person_tag(person_id));
        for phrase in phrases {
            query.push_str(" AND text : ");
            query.push_str(&phrase);
        }
        let sql = format!(
            "SELECT {QUOTE_COLUMNS} FROM quotes_fts JOIN quotes q ON q.id = quotes_fts.rowid \
             {QUOTE_JOINS} WHERE quotes_fts MATCH ?1 \
             ORDER BY bm25(quotes_fts, 1.0, 0.0), q.id LIMIT ?2"
        );
        self.db
            .map(&sql, args![query, limit as i64], stored_quote)
            .doing_with(doing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::NewReport;
    use crate::extract::{Extraction, Quote};

    #[test]
    fn query_quotes_every_word() {
        assert_eq!(
            fts_query("late winner").as_deref(),
            Some("\"late\" \"winner\"")
        );
        assert_eq!(
            fts_query("say \"no\"").as_deref(),
            Some("\"say\" \"\"\"no\"\"\"")
        );
        assert_eq!(fts_query(" * - ( ) \" "), None);
        assert_eq!(fts_query(""), None);
    }

    #[test]
    fn ts_query_folds_words_into_safe_lexemes() {
        assert_eq!(
            ts_query("Müller's late-winner").as_deref(),
            Some("(mullers) & (late <-> winner)")
        );
        assert_eq!(ts_query(" & | ! ( ) :* "), None);
    }

    #[test]
    fn hostile_input_never_errors() {
        let mut c = Corpus::open_in_memory().unwrap();
        let text = "Müller scored AND then (somehow) the keeper said \"no\" - twice.";
        let e = Extraction {
            quotes: vec![Quote {
                start: 0,
                end: 5,
                text: "no AND maybe".into(),
                speaker: Some("Someone Else".into()),
            }],
            ..Extraction::default()
        };
        c.add(
            &NewReport {
                text: text.into(),
                title: Some("Cup night".into()),
                ..NewReport::default()
            },
            &e,
        )
        .unwrap();
        let pid = c.find_people("someone", 1).unwrap()[0].id;
        for input in [
            "\"",
            "AND (",
            "*",
            "-",
            "",
            "NEAR(a b)",
            "a OR",
            "^x",
            "x:y",
            "col:",
            "\"\"\"",
            "🙂",
            "'",
            "NOT",
            "{title}",
            "müller*",
        ] {
            c.search(input, 5)
                .unwrap_or_else(|e| panic!("search {input:?}: {e}"));
            c.search_quotes(pid, input, 5)
                .unwrap_or_else(|e| panic!("search_quotes {input:?}: {e}"));
        }
        assert_eq!(c.search("AND (", 5).unwrap().len(), 1);
        let hits = c.search("muller", 5).unwrap();
        assert_eq!(hits.len(), 1, "diacritics are folded");
        assert!(
            hits[0].snippet.contains("**Müller**"),
            "{}",
            hits[0].snippet
        );
        assert_eq!(c.search_quotes(pid, "maybe", 5).unwrap().len(), 1);
        assert!(c.search("twice absent", 5).unwrap().is_empty());
    }
}
