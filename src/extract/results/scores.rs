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

/// [`DIGITS`] with ASCII digits and word boundaries: a DFA runs it over any text,
/// where Unicode word boundaries send a text with one curly quote to a backtracker.
static ASCII_DIGITS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)([0-9]{1,2}) ?[-–] ?([0-9]{1,2})(?-u:\b)").expect("ascii score pattern")
});
/// [`WORDED`] with ASCII case and word boundaries.
static ASCII_WORDED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i-u)(?-u:\b)(goalless|scoreless) (draw|stalemate)(?-u:\b)")
        .expect("ascii worded draw pattern")
});
/// A digit other than 0-9, which [`DIGITS`] would read as one.
static OTHER_DIGIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\d&&[^0-9]]").expect("digit class"));
static WORD_CHAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\w").expect("word class"));

/// The matches `unicode` finds, found with `ascii`: the same pattern save that its
/// digits, letters' case and word boundaries are ASCII only. Exact when each start
/// admits one match at most and the text has no non-ASCII char `unicode` could read
/// inside a match: an ASCII match is then a Unicode one unless a non-ASCII word char
/// stands right before or after it, and a rejected match is searched again one byte on.
fn bounded_matches(text: &str, ascii: &Regex) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(m) = ascii.find_at(text, pos) {
        let (s, e) = (m.start(), m.end());
        if unicode_boundary(text, s) && unicode_boundary(text, e) {
            out.push((s, e));
            pos = e;
        } else {
            pos = s + 1;
        }
        if pos > text.len() {
            break;
        }
    }
    out
}

/// Whether a Unicode word boundary stands at `pos`, where the ASCII one does: the
/// char beyond it on the far side, when not ASCII, is no word char.
fn unicode_boundary(text: &str, pos: usize) -> bool {
    let word = |c: char| {
        let mut buf = [0u8; 4];
        WORD_CHAR.is_match(c.encode_utf8(&mut buf))
    };
    let before = text[..pos].chars().next_back().filter(|c| !c.is_ascii());
    let after = text[pos..].chars().next().filter(|c| !c.is_ascii());
    !before.is_some_and(word) && !after.is_some_and(word)
}

/// Spans of [`DIGITS`] in text order.
fn digit_matches(text: &str) -> Vec<(usize, usize)> {
    if text.is_ascii() || !OTHER_DIGIT.is_match(text) {
        bounded_matches(text, &ASCII_DIGITS)
    } else {
        DIGITS
            .find_iter(text)
            .map(|m| (m.start(), m.end()))
            .collect()
    }
}

/// Spans of [`WORDED`] in text order. Under Unicode case rules 'ſ' is an 's'.
fn worded_matches(text: &str) -> Vec<(usize, usize)> {
    if text.is_ascii() || !text.contains('ſ') {
        bounded_matches(text, &ASCII_WORDED)
    } else {
        WORDED
            .find_iter(text)
            .map(|m| (m.start(), m.end()))
            .collect()
    }
}

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
    // `find_iter`, not `captures_iter`: the goals are read back from the match itself,
    // which spares a capturing engine over every match.
    let mut out: Vec<ScoreMention> = digit_matches(text)
        .into_iter()
        .filter_map(|(s, e)| {
            let goals = goals_of(&text[s..e])?;
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
        worded_matches(text)
            .into_iter()
            .filter(|&(s, _)| !doc.in_quote(s))
            .map(|(start, end)| ScoreMention {
                start,
                end,
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

/// The two tallies of a match of [`DIGITS`]: the digits before the first space or dash
/// and those after the last one (digits are never spaces or dashes, so these are
/// exactly the pattern's two groups).
fn goals_of(m: &str) -> Option<[u32; 2]> {
    let is_sep = |c: char| c == ' ' || c == '-' || c == '–';
    let first = &m[..m.find(is_sep)?];
    let (i, sep) = m.char_indices().rev().find(|&(_, c)| is_sep(c))?;
    let last = &m[i + sep.len_utf8()..];
    Some([first.parse().ok()?, last.parse().ok()?])
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
