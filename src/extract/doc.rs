//! The one analysis of a report that every stage reads.
//!
//! A report is tokenised once: words with byte offsets, sentences, paragraphs, the
//! headline and the quoted regions. On that sit the mention layers (teams and the
//! places that stand for them, people), built once. Stages (speakers, results, ties)
//! only read a [`Doc`]; none re-scans the text for what another stage already found.
//!
//! Every offset is a byte offset on a char boundary, and every layer is built in one
//! pass over the text (or over the layer below it), so a report costs linear time.

use std::ops::Range;

use super::people::{self, People, Word};
use super::quotes::{self, Paragraph, QuoteSpan};
use crate::teams::{Found, Mention, TeamBook};

/// One report, analysed.
pub struct Doc<'a> {
    pub text: &'a str,
    /// Words (letters, digits, inner apostrophes and hyphens), in text order.
    pub words: Vec<Word<'a>>,
    /// Sentences as byte ranges, in text order, covering every non-blank stretch.
    pub sentences: Vec<Range<usize>>,
    /// Each non-blank line, trimmed.
    pub paragraphs: Vec<Paragraph>,
    /// The first paragraph when it reads as a headline (short, no closing full stop,
    /// followed by more text).
    pub headline: Option<Range<usize>>,
    /// Quoted regions, crowd chants already set apart.
    pub quotes: Vec<QuoteSpan>,
    /// Chants and songs sung by crowds: quoted, but nobody's statement.
    pub chants: Vec<QuoteSpan>,
    /// Team, ground and city names as the knowledge base finds them.
    pub team_hits: Vec<Found>,
    /// For each of `team_hits`: whether it names a club (not a national side, ground or city).
    pub hit_is_club: Vec<bool>,
    /// People and organisations named, with their mentions.
    pub people: People,
}

impl<'a> Doc<'a> {
    /// Analyses a report's text once.
    pub fn new(text: &'a str, teams: &TeamBook) -> Doc<'a> {
        let paragraphs = quotes::paragraphs(text);
        let regions = quotes::find_quotes(text, &paragraphs);
        let sentences = sentences(text);
        let (chants, quotes): (Vec<QuoteSpan>, Vec<QuoteSpan>) = regions
            .into_iter()
            .partition(|q| super::chants::is_chant(text, &sentences, q));
        let mut team_hits = teams.scan(text);
        teams.add_short_forms(text, &mut team_hits);
        let words = people::words(text);
        let people = people::find_people(text, &words, teams, &team_hits);
        let hit_is_club = team_hits
            .iter()
            .map(|h| matches!(h.mention, Mention::Team(t) if teams.get(t).kind == "club"))
            .collect();
        Doc {
            text,
            words,
            headline: headline(text, &paragraphs),
            sentences,
            paragraphs,
            quotes,
            chants,
            team_hits,
            hit_is_club,
            people,
        }
    }

    /// The sentence holding byte `pos` (an empty range past the end).
    pub fn sentence_of(&self, pos: usize) -> Range<usize> {
        let i = self.sentences.partition_point(|s| s.end <= pos);
        self.sentences.get(i).cloned().unwrap_or(pos..pos)
    }

    /// Index of the first word starting at or after `pos`.
    pub fn word_at_or_after(&self, pos: usize) -> usize {
        self.words.partition_point(|w| w.start < pos)
    }

    /// The words inside a byte range.
    pub fn words_in(&self, range: Range<usize>) -> &[Word<'a>] {
        let a = self.word_at_or_after(range.start);
        let b = self.words.partition_point(|w| w.end <= range.end).max(a);
        &self.words[a..b]
    }

    /// Whether byte `pos` lies inside a quotation or a chant (marks included).
    pub fn in_quote(&self, pos: usize) -> bool {
        let inside = |spans: &[QuoteSpan]| {
            let i = spans.partition_point(|q| q.close_mark.max(q.end) <= pos);
            spans.get(i).is_some_and(|q| q.open_mark <= pos)
        };
        inside(&self.quotes) || inside(&self.chants)
    }

    /// Whether a byte range lies in the headline.
    pub fn in_headline(&self, pos: usize) -> bool {
        self.headline.as_ref().is_some_and(|h| h.contains(&pos))
    }

    /// The byte range of the headline and the first paragraph of the story: where a
    /// report says what it is about.
    pub fn lead(&self) -> Range<usize> {
        let first_body = usize::from(self.headline.is_some());
        let end = self
            .paragraphs
            .get(first_body)
            .map_or(self.text.len(), |p| p.end);
        0..end
    }
}

/// Sentence ranges: a line break, or `.`, `!`, `?` before a space, a closing mark or the end.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut s = 0;
    for i in 0..b.len() {
        let end = match b[i] {
            b'\n' => true,
            b'.' | b'!' | b'?' => b
                .get(i + 1)
                .is_none_or(|n| n.is_ascii_whitespace() || *n == b'"' || *n == b'\''),
            _ => false,
        };
        if end {
            if i + 1 > s {
                out.push(s..i + 1);
            }
            s = i + 1;
        }
    }
    if s < b.len() {
        out.push(s..b.len());
    }
    out
}

/// The first paragraph is a headline when it is short, ends without a full stop and
/// the report goes on after it.
fn headline(text: &str, paragraphs: &[Paragraph]) -> Option<Range<usize>> {
    let first = paragraphs.first()?;
    paragraphs.get(1)?;
    let line = &text[first.clone()];
    let words = line.split_whitespace().count();
    (words <= 16 && !line.ends_with('.')).then(|| first.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Doc<'_> {
        Doc::new(text, &TeamBook::embedded())
    }

    #[test]
    fn a_short_first_line_is_the_headline() {
        let d = doc("Villa edge out Norwich\n\nAston Villa beat Norwich 2-1 on Saturday.\n");
        assert_eq!(d.headline, Some(0..22));
        assert_eq!(d.lead(), 0..65);
    }

    #[test]
    fn a_story_that_starts_with_a_sentence_has_no_headline() {
        let d = doc("Aston Villa beat Norwich 2-1 on Saturday.\n\nIt was close.\n");
        assert_eq!(d.headline, None);
    }

    #[test]
    fn sentences_end_at_stops_and_line_breaks() {
        let text = "Chelsea won. They meet Arsenal next!\nA new line";
        let s: Vec<&str> = sentences(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            s,
            [
                "Chelsea won.",
                " They meet Arsenal next!",
                "\n",
                "A new line"
            ]
        );
    }

    #[test]
    fn words_in_a_range_and_quote_membership() {
        let text = "Klopp said: \"We were brilliant tonight.\" Then he left.";
        let d = doc(text);
        let inside = text.find("brilliant").unwrap();
        assert!(d.in_quote(inside));
        assert!(!d.in_quote(text.find("Then").unwrap()));
        let ws: Vec<&str> = d.words_in(0..10).iter().map(|w| w.text).collect();
        assert_eq!(ws, ["Klopp", "said"]);
    }
}
