//! The score layer: every stretch of text that states goals, before any reading.
//!
//! `2-1`, `2 - 1`, `2–1`, and the worded draws "a goalless draw", "a scoreless draw"
//! (0-0). Not scores: numbers inside longer runs ("4-4-2", "1-2-3", "2-1.5"), date
//! ranges ("3-4 May", "May 3-4"), spans of time or counts ("2-3 weeks", "10-12 goals"),
//! and anything inside a quotation or a chant.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::extract::doc::Doc;

/// A score as written, before it is read as a result or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreMention {
    /// Byte range of the score ("2-1", or the words "goalless draw").
    pub start: usize,
    pub end: usize,
    /// Goals in the order written.
    pub goals: [u32; 2],
    /// Written in words ("a goalless draw"): a draw with no goals.
    pub worded: bool,
    /// Each side's goals after its name, as in a headline "Arsenal 2 Tottenham 1": the
    /// range runs from the first tally to the second, the second side between them.
    pub split: bool,
}

static DIGITS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{1,2}) ?[-–] ?(\d{1,2})\b").expect("score pattern"));
/// A tally, a capitalised name of at most four words, a tally, then the end of the
/// headline or its break (`:`, `,`, ` -`).
static SPLIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z.] (\d{1,2}),? (?:[A-Z][\w.'&-]*)(?: [A-Z][\w.'&-]*){0,3} (\d{1,2})(?:\.?$|[:,;]| [-–—])")
        .expect("split score pattern")
});
static WORDED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(goalless|scoreless) (draw|stalemate)\b").expect("worded draw pattern")
});

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

/// Units after a range that make it a count, not a score.
const UNITS: &[&str] = &[
    "weeks",
    "days",
    "months",
    "years",
    "minutes",
    "mins",
    "hours",
    "seasons",
    "games",
    "matches",
    "goals",
    "points",
    "pts",
    "million",
    "m",
    "per",
    "percent",
    "year-old",
    "year-olds",
    "times",
    "players",
    "places",
    "yards",
    "metres",
    "feet",
];

/// Every score in the report, in text order.
pub fn find(doc: &Doc) -> Vec<ScoreMention> {
    let text = doc.text;
    let mut out: Vec<ScoreMention> = DIGITS
        .captures_iter(text)
        .filter_map(|m| {
            let whole = m.get(0)?;
            let (s, e) = (whole.start(), whole.end());
            let goals = [m[1].parse().ok()?, m[2].parse().ok()?];
            let mention = ScoreMention {
                start: s,
                end: e,
                goals,
                worded: false,
                split: false,
            };
            (!part_of_longer_number(text, s, e)
                && !date_range(text, s, e)
                && !count_range(text, e)
                && !doc.in_quote(s))
            .then_some(mention)
        })
        .collect();
    out.extend(
        WORDED
            .find_iter(text)
            .filter(|m| !doc.in_quote(m.start()))
            .map(|m| ScoreMention {
                start: m.start(),
                end: m.end(),
                goals: [0, 0],
                worded: true,
                split: false,
            }),
    );
    // Only a headline or a line of its own gives tallies after names.
    let lines = doc.headline.iter().chain(
        doc.paragraphs
            .iter()
            .filter(|p| p.len() <= SPLIT_LINE_BYTES && !doc.in_headline(p.start)),
    );
    out.extend(lines.filter_map(|line| split_line_score(doc, line.clone())));
    out.sort_by_key(|m| m.start);
    out
}

/// How long a line of its own may be to give a split score ("Rangers 2, Celtic 1.").
const SPLIT_LINE_BYTES: usize = 60;

/// A headline or a short line giving each side's tally after its name: "Arsenal 2
/// Tottenham 1", "Hull City 0 Chelsea 2: ...", "Rangers 2, Celtic 1.". Whether the
/// words around the tallies are sides is the frames' to judge.
fn split_line_score(doc: &Doc, line: Range<usize>) -> Option<ScoreMention> {
    let head = line;
    let m = SPLIT.captures(&doc.text[head.clone()])?;
    let goals = [m[1].parse().ok()?, m[2].parse().ok()?];
    Some(ScoreMention {
        start: head.start + m.get(1)?.start(),
        end: head.start + m.get(2)?.end(),
        goals,
        worded: false,
        split: true,
    })
}

/// "4-4-2", "1-2-3", "12-1.5", "2/1-0": digits that run on.
fn part_of_longer_number(text: &str, s: usize, e: usize) -> bool {
    let bytes = text.as_bytes();
    let prev = s.checked_sub(1).map(|i| bytes[i]);
    let next = bytes.get(e).copied();
    prev.is_some_and(|p| matches!(p, b'-' | b'.' | b':' | b'/' | b'0'..=b'9' | b'#' | b'$'))
        || next.is_some_and(|n| {
            matches!(n, b'-' | b'%' | b'/' | b'0'..=b'9')
                || n == b'.' && bytes.get(e + 1).is_some_and(u8::is_ascii_digit)
        })
}

fn word_after(text: &str, e: usize) -> String {
    text[e..]
        .trim_start()
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .next()
        .unwrap_or("")
        .to_lowercase()
}

fn word_before(text: &str, s: usize) -> String {
    text[..s]
        .trim_end()
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_lowercase()
}

/// "3-4 May", "May 3-4", "between 12-14 March".
fn date_range(text: &str, s: usize, e: usize) -> bool {
    MONTHS.contains(&word_after(text, e).as_str())
        || MONTHS.contains(&word_before(text, s).as_str())
}

/// "out for 2-3 weeks", "10-12 goals a season".
fn count_range(text: &str, e: usize) -> bool {
    UNITS.contains(&word_after(text, e).as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::teams::TeamBook;

    fn scores(text: &str) -> Vec<[u32; 2]> {
        find(&Doc::new(text, &TeamBook::embedded()))
            .into_iter()
            .map(|m| m.goals)
            .collect()
    }

    #[test]
    fn digits_with_a_dash_or_en_dash_are_scores() {
        assert_eq!(
            scores("Arsenal beat Chelsea 2-1 and Leeds drew 3 – 3."),
            [[2, 1], [3, 3]]
        );
    }

    #[test]
    fn a_goalless_draw_is_nil_nil() {
        assert_eq!(
            scores("Everton and Spurs played out a goalless draw."),
            [[0, 0]]
        );
    }

    #[test]
    fn formations_and_dates_and_counts_are_not_scores() {
        assert!(scores("They lined up 4-4-2 for the game on 3-4 May.").is_empty());
        assert!(scores("The final is on May 3-4 and he is out for 2-3 weeks.").is_empty());
    }

    #[test]
    fn a_score_inside_a_quote_or_chant_is_not_read() {
        assert!(scores("Moyes said: \"We lost 2-0 and deserved it.\"").is_empty());
        assert!(scores("The fans sang ``we beat you 5-1'' all night.").is_empty());
    }
}
