//! Reads: people, quotes, results, tie facts, teams and reports. All take `&self`.

use chrono::NaiveDate;

use super::db::{args, DbError, Row, Value};
use super::{
    pair_key, Corpus, CorpusError, Counts, Doing, PersonEntry, ReportId, ReportMeta, StoredQuote,
    StoredResult, StoredTieFact,
};
use crate::extract::{MatchResult, Round, TieFact};
use crate::text::fold;

/// Most query tokens used for a person lookup; more add nothing but cost.
const MAX_NAME_TOKENS: usize = 6;

/// Columns of a report's metadata, aliased `p`, in the order [`report_meta`] reads them.
pub(crate) const META_COLUMNS: &str = "p.id, p.title, p.source, p.published, p.origin";

/// Columns of a quote, aliased `q` with its person `pe`, then [`META_COLUMNS`].
pub(crate) const QUOTE_COLUMNS: &str =
    "q.id, coalesce(pe.name, q.speaker, ''), q.text, p.id, p.title, p.source, p.published, p.origin";

/// Joins for [`QUOTE_COLUMNS`] after `FROM quotes q`.
pub(crate) const QUOTE_JOINS: &str =
    "JOIN reports p ON p.id = q.report_id LEFT JOIN people pe ON pe.id = q.person_id";

pub(crate) const RESULT_COLUMNS: &str =
    "r.id, r.team_a, r.team_b, r.goals_a, r.goals_b, r.home, r.aggregate, \
     r.venue, r.competition, r.round, r.leg, r.extra_time, r.pens_a, r.pens_b, r.match_date, \
     r.span_start, r.span_end, p.id, p.title, p.source, p.published, p.origin, r.certain";

pub(crate) const TIE_COLUMNS: &str =
    "t.team_a, t.team_b, t.agg_a, t.agg_b, t.winner, t.decided_by, \
     t.competition, t.round, t.next_opponent, t.next_round, \
     p.id, p.title, p.source, p.published, p.origin";

const PERSON_COLUMNS: &str = "pe.id, pe.name, pe.role, pe.team, pe.quote_count";

/// Newest first: match date, else published date, undated last (newest report first).
/// Sorting happens before the join so that only the rows kept read their report.
const NEWEST_FIRST: &str = "sort_date IS NULL, sort_date DESC, report_id DESC, span_start, id";

/// Oldest first: match date, else published date, undated last, then by report and position.
const CHRONOLOGICAL: &str = "r.sort_date IS NULL, r.sort_date, r.report_id, r.span_start, r.id";

impl Corpus {
    /// How many reports are stored.
    pub fn report_count(&self) -> Result<u64, CorpusError> {
        self.db
            .query_one("SELECT count(*) FROM reports", &[])
            .and_then(|r| r.get(0))
            .doing("counting reports")
    }

    /// Row counts of every table.
    pub fn counts(&self) -> Result<Counts, CorpusError> {
        let count = |table: &str| -> Result<u64, CorpusError> {
            self.db
                .query_one(&format!("SELECT count(*) FROM {table}"), &[])
                .and_then(|r| r.get(0))
                .doing_with(|| format!("counting rows of {table}"))
        };
        Ok(Counts {
            reports: count("reports")?,
            people: count("people")?,
            quotes: count("quotes")?,
            results: count("results")?,
            tie_facts: count("tie_facts")?,
            teams: count("teams_seen")?,
        })
    }

    /// People whose name tokens include every token of `query` (any order, any case or
    /// accents), most quoted first.
    pub fn find_people(&self, query: &str, limit: usize) -> Result<Vec<PersonEntry>, CorpusError> {
        let tokens = query_tokens(query);
        if tokens.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let sets = vec!["SELECT person_id FROM person_tokens WHERE token = ?"; tokens.len()];
        let sql = format!(
            "SELECT {PERSON_COLUMNS} FROM people pe WHERE pe.quote_count > 0 AND pe.id IN ({}) \
             ORDER BY pe.quote_count DESC, pe.name LIMIT ?",
            sets.join(" INTERSECT ")
        );
        let mut args: Vec<Value> = tokens.into_iter().map(Value::from).collect();
        args.push((limit as i64).into());
        self.db
            .map(&sql, &args, person_entry)
            .doing_with(|| format!("looking up people named {query:?}"))
    }

    /// People with a name token starting with each folded token of `prefix`, most quoted
    /// first; an empty prefix lists the most quoted people. For autocomplete.
    pub fn people_with_prefix(
        &self,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<PersonEntry>, CorpusError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let tokens = query_tokens(prefix);
        let doing = || format!("completing person names from {prefix:?}");
        if tokens.is_empty() {
            let sql = format!(
                "SELECT {PERSON_COLUMNS} FROM people pe WHERE pe.quote_count > 0 \
                 ORDER BY pe.quote_count DESC, pe.name LIMIT ?"
            );
            return self
                .db
                .map(&sql, args![limit as i64], person_entry)
                .doing_with(doing);
        }
        let sets = vec![
            "SELECT person_id FROM person_tokens WHERE token >= ? AND token < ?";
            tokens.len()
        ];
        let sql = format!(
            "SELECT {PERSON_COLUMNS} FROM people pe WHERE pe.quote_count > 0 AND pe.id IN ({}) \
             ORDER BY pe.quote_count DESC, pe.name LIMIT ?",
            sets.join(" INTERSECT ")
        );
        let mut args: Vec<Value> = Vec::new();
        for t in tokens {
            // Folded tokens are ASCII, so every token starting with `t` sorts below `t` + U+10FFFF.
            let upper = format!("{t}{}", char::MAX);
            args.push(t.into());
            args.push(upper.into());
        }
        args.push((limit as i64).into());
        self.db.map(&sql, &args, person_entry).doing_with(doing)
    }

    /// One person by id.
    pub fn person(&self, id: i64) -> Result<Option<PersonEntry>, CorpusError> {
        self.db
            .map_opt(
                &format!("SELECT {PERSON_COLUMNS} FROM people pe WHERE pe.id = ?1"),
                args![id],
                person_entry,
            )
            .doing_with(|| format!("reading person {id}"))
    }

    /// Every stored speaker's name, for closest-name suggestions on a miss.
    pub fn all_speaker_names(&self) -> Result<Vec<String>, CorpusError> {
        self.db
            .map(
                "SELECT name FROM people WHERE quote_count > 0 ORDER BY quote_count DESC, name",
                &[],
                |r| r.get(0),
            )
            .doing("listing speaker names")
    }

    /// A person's quotes, newest report first, in text order within a report.
    pub fn quotes_by(&self, person_id: i64) -> Result<Vec<StoredQuote>, CorpusError> {
        let sql = format!(
            "SELECT {QUOTE_COLUMNS} FROM quotes q {QUOTE_JOINS} WHERE q.person_id = ?1 \
             ORDER BY p.published IS NULL, p.published DESC, p.id DESC, q.span_start, q.id"
        );
        self.db
            .map(&sql, args![person_id], stored_quote)
            .doing_with(|| format!("reading the quotes of person {person_id}"))
    }

    /// The quote by `person_id` that comes after `after` in newest-first order (the
    /// newest when `after` is `None` or the last one): one index step, whatever the
    /// number of quotes, so `/quote` and its "Another" button stay fast.
    pub fn next_quote_by(
        &self,
        person_id: i64,
        after: Option<i64>,
    ) -> Result<Option<StoredQuote>, CorpusError> {
        let sql = format!(
            "SELECT {QUOTE_COLUMNS} FROM quotes q {QUOTE_JOINS} \
             WHERE q.person_id = ?1 AND q.id < ?2 ORDER BY q.id DESC LIMIT 1"
        );
        let read = |below: i64| {
            self.db
                .map_opt(&sql, args![person_id, below], stored_quote)
                .doing_with(|| format!("reading the next quote of person {person_id}"))
        };
        match read(after.unwrap_or(i64::MAX))? {
            Some(q) => Ok(Some(q)),
            None if after.is_some() => read(i64::MAX),
            None => Ok(None),
        }
    }

    /// One quote by id.
    pub fn quote(&self, id: i64) -> Result<Option<StoredQuote>, CorpusError> {
        let sql = format!("SELECT {QUOTE_COLUMNS} FROM quotes q {QUOTE_JOINS} WHERE q.id = ?1");
        self.db
            .map_opt(&sql, args![id], stored_quote)
            .doing_with(|| format!("reading quote {id}"))
    }

    /// The results stated in one report, in text order.
    pub fn results_in_report(&self, report: ReportId) -> Result<Vec<StoredResult>, CorpusError> {
        let sql = format!(
            "SELECT {RESULT_COLUMNS} FROM results r JOIN reports p ON p.id = r.report_id \
             WHERE r.report_id = ?1 ORDER BY r.span_start, r.id"
        );
        self.db
            .map(&sql, args![report], stored_result)
            .doing_with(|| format!("reading the results of report {report}"))
    }

    /// A team's results, newest first: by match date, else the report's date; undated
    /// results last, newest report first. `team` is matched after folding.
    pub fn results_for(&self, team: &str, limit: usize) -> Result<Vec<StoredResult>, CorpusError> {
        let key = fold(team);
        let sql = format!(
            "SELECT {RESULT_COLUMNS} FROM \
             (SELECT * FROM results WHERE team_a_key = ?1 OR team_b_key = ?1 \
              ORDER BY {NEWEST_FIRST} LIMIT ?2) r \
             JOIN reports p ON p.id = r.report_id \
             ORDER BY r.sort_date IS NULL, r.sort_date DESC, r.report_id DESC, r.span_start, r.id"
        );
        self.db
            .map(&sql, args![key, limit as i64], stored_result)
            .doing_with(|| format!("reading the results of {team:?}"))
    }

    /// Matches between two teams, given in either order, oldest first (so legs read in order).
    pub fn results_between(&self, a: &str, b: &str) -> Result<Vec<StoredResult>, CorpusError> {
        let sql = format!(
            "SELECT {RESULT_COLUMNS} FROM results r JOIN reports p ON p.id = r.report_id \
             WHERE r.pair_key = ?1 ORDER BY {CHRONOLOGICAL}"
        );
        self.db
            .map(&sql, args![pair_key(a, b)], stored_result)
            .doing_with(|| format!("reading the results between {a:?} and {b:?}"))
    }

    /// What reports say about the tie between two teams (either order), oldest report first.
    pub fn tie_facts_between(&self, a: &str, b: &str) -> Result<Vec<StoredTieFact>, CorpusError> {
        let sql = format!(
            "SELECT {TIE_COLUMNS} FROM tie_facts t JOIN reports p ON p.id = t.report_id \
             WHERE t.pair_key = ?1 ORDER BY p.published IS NULL, p.published, p.id, t.id"
        );
        self.db
            .map(&sql, args![pair_key(a, b)], stored_tie)
            .doing_with(|| format!("reading the tie facts between {a:?} and {b:?}"))
    }

    /// Names of teams seen in stored scores, most results first; with a prefix, those whose
    /// name or one of its words starts with it (whole-name matches first).
    pub fn teams_seen(
        &self,
        prefix: Option<&str>,
        limit: usize,
    ) -> Result<Vec<String>, CorpusError> {
        let folded = prefix.map(fold).unwrap_or_default();
        let doing = || format!("listing teams seen from {prefix:?}");
        if folded.is_empty() {
            return self
                .db
                .map(
                    "SELECT name FROM teams_seen WHERE result_count > 0 \
                     ORDER BY result_count DESC, name LIMIT ?1",
                    args![limit as i64],
                    |r| r.get(0),
                )
                .doing_with(doing);
        }
        // Folded names hold only [a-z0-9 ], so LIKE needs no escaping; the table is small
        // (one row per club ever named) and a scan is cheap.
        self.db
            .map(
                "SELECT name FROM teams_seen \
                 WHERE result_count > 0 AND (folded LIKE CAST(?1 AS TEXT) || '%' \
                                             OR folded LIKE '% ' || CAST(?1 AS TEXT) || '%') \
                 ORDER BY folded NOT LIKE CAST(?1 AS TEXT) || '%', result_count DESC, name \
                 LIMIT ?2",
                args![folded, limit as i64],
                |r| r.get(0),
            )
            .doing_with(doing)
    }

    /// A stored report's metadata.
    pub fn report(&self, id: ReportId) -> Result<Option<ReportMeta>, CorpusError> {
        self.db
            .map_opt(
                &format!("SELECT {META_COLUMNS} FROM reports p WHERE p.id = ?1"),
                args![id],
                |r| report_meta(r, 0),
            )
            .doing_with(|| format!("reading report {id}"))
    }

    /// A stored report's full text, exactly as given.
    pub fn report_text(&self, id: ReportId) -> Result<Option<String>, CorpusError> {
        self.db
            .map_opt("SELECT text FROM reports WHERE id = ?1", args![id], |r| {
                r.get(0)
            })
            .doing_with(|| format!("reading the text of report {id}"))
    }
}

/// Distinct folded tokens of a user's query, at most [`MAX_NAME_TOKENS`].
fn query_tokens(query: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in fold(query).split(' ').filter(|t| !t.is_empty()) {
        if !out.iter().any(|o| o == t) {
            out.push(t.to_string());
        }
    }
    out.truncate(MAX_NAME_TOKENS);
    out
}

fn parse_date(s: Option<String>) -> Option<NaiveDate> {
    s.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
}

fn parse_round(s: Option<String>) -> Option<Round> {
    s.as_deref().and_then(Round::from_label)
}

/// Reads [`META_COLUMNS`] starting at column `at`.
pub(crate) fn report_meta(r: &Row, at: usize) -> Result<ReportMeta, DbError> {
    Ok(ReportMeta {
        id: r.get(at)?,
        title: r.get(at + 1)?,
        source: r.get(at + 2)?,
        published: parse_date(r.get(at + 3)?),
        origin: r.get(at + 4)?,
    })
}

fn person_entry(r: &Row) -> Result<PersonEntry, DbError> {
    Ok(PersonEntry {
        id: r.get(0)?,
        name: r.get(1)?,
        role: r.get(2)?,
        team: r.get(3)?,
        quote_count: r.get(4)?,
    })
}

/// Reads [`QUOTE_COLUMNS`].
pub(crate) fn stored_quote(r: &Row) -> Result<StoredQuote, DbError> {
    Ok(StoredQuote {
        id: r.get(0)?,
        speaker: r.get(1)?,
        text: r.get(2)?,
        report: report_meta(r, 3)?,
    })
}

pub(crate) fn stored_result(r: &Row) -> Result<StoredResult, DbError> {
    let pens_a: Option<u32> = r.get(12)?;
    let pens_b: Option<u32> = r.get(13)?;
    let start: i64 = r.get(15)?;
    let end: i64 = r.get(16)?;
    Ok(StoredResult {
        id: r.get(0)?,
        result: MatchResult {
            teams: [r.get(1)?, r.get(2)?],
            goals: [r.get(3)?, r.get(4)?],
            home: r.get(5)?,
            aggregate: r.get(6)?,
            venue: r.get(7)?,
            competition: r.get(8)?,
            round: parse_round(r.get(9)?),
            leg: r.get(10)?,
            extra_time: r.get(11)?,
            penalties: pens_a.zip(pens_b).map(|(a, b)| [a, b]),
            date: parse_date(r.get(14)?),
            start: start.max(0) as usize,
            end: end.max(0) as usize,
            certain: r.get(22)?,
        },
        report: report_meta(r, 17)?,
    })
}

pub(crate) fn stored_tie(r: &Row) -> Result<StoredTieFact, DbError> {
    let agg_a: Option<u32> = r.get(2)?;
    let agg_b: Option<u32> = r.get(3)?;
    Ok(StoredTieFact {
        fact: TieFact {
            teams: [r.get(0)?, r.get(1)?],
            aggregate: agg_a.zip(agg_b).map(|(a, b)| [a, b]),
            winner: r.get(4)?,
            decided_by: r.get(5)?,
            competition: r.get(6)?,
            round: parse_round(r.get(7)?),
            next_opponent: r.get(8)?,
            next_round: parse_round(r.get(9)?),
        },
        report: report_meta(r, 10)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_tokens_fold_dedupe_and_cap() {
        assert_eq!(
            query_tokens("  Jürgen KLOPP klopp "),
            vec!["jurgen", "klopp"]
        );
        assert!(query_tokens("?!").is_empty());
        assert_eq!(query_tokens("a b c d e f g h").len(), MAX_NAME_TOKENS);
    }

    #[test]
    fn lookups_use_indexes_not_scans() {
        let c = Corpus::open_in_memory().unwrap();
        let plan = |sql: &str| -> String {
            let mut s = c
                .sqlite()
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap();
            let rows: Vec<String> = s
                .query_map([], |r| r.get::<_, String>(3))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            rows.join("; ")
        };
        let people = plan(
            "SELECT id FROM people WHERE id IN (SELECT person_id FROM person_tokens WHERE token = 'a' \
             INTERSECT SELECT person_id FROM person_tokens WHERE token = 'b')",
        );
        assert!(!people.contains("SCAN person_tokens"), "{people}");
        let prefix =
            plan("SELECT person_id FROM person_tokens WHERE token >= 'kl' AND token < 'kl\u{7f}'");
        assert!(prefix.contains("SEARCH"), "{prefix}");
        let pair = plan("SELECT id FROM results WHERE pair_key = 'a|b'");
        assert!(pair.contains("results_by_pair"), "{pair}");
        let team = plan("SELECT id FROM results WHERE team_a_key = 'x' OR team_b_key = 'x'");
        assert!(
            team.contains("results_by_team_a") && team.contains("results_by_team_b"),
            "{team}"
        );
    }
}
