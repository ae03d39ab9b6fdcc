//! Quoted spans: pairing quotation marks paragraph by paragraph.
//!
//! Newswire quirks handled here: a paragraph that opens a quote and never closes it
//! (the quote goes on in the next paragraph), paragraphs flattened onto one line
//! (`... tie. "The players ...`: a mark after a space inside an open quote starts a
//! new piece), and marks that do not pair, which only ever affect their own paragraph.

use std::ops::Range;

/// A paragraph as a byte range (one line of the report, blank lines skipped).
pub type Paragraph = Range<usize>;

/// A quoted span before attribution, in byte offsets without the marks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteSpan {
    pub start: usize,
    pub end: usize,
    /// Byte offset of the opening mark.
    pub open_mark: usize,
    /// Byte offset just past the closing mark, or the span end when the quote runs on.
    pub close_mark: usize,
    /// Index of the paragraph holding it.
    pub paragraph: usize,
    /// The quote was not closed in its paragraph: the next piece continues it.
    pub runs_on: bool,
}

/// Splits text into paragraphs: each non-blank line, trimmed.
pub fn paragraphs(text: &str) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let end = start + line.len();
        let trimmed = line.trim();
        if !trimmed.is_empty() {
            let lead = line.len() - line.trim_start().len();
            out.push(start + lead..start + lead + trimmed.len());
        }
        start = end;
    }
    out
}

fn is_open_mark(c: char) -> bool {
    matches!(c, '"' | '“' | '„' | '«')
}

fn is_close_mark(c: char) -> bool {
    matches!(c, '"' | '”' | '»')
}

/// Finds quoted spans, dropping scare quotes of one or two words.
pub fn find_quotes(text: &str, paragraphs: &[Paragraph]) -> Vec<QuoteSpan> {
    let mut out = Vec::new();
    for (pi, para) in paragraphs.iter().enumerate() {
        let first = out.len();
        scan_paragraph(text, para.clone(), pi, &mut out);
        scan_single_marks(text, para.clone(), pi, &mut out, first);
    }
    // A short piece is kept when it belongs to a longer quote; a lone one is a scare quote.
    let keep: Vec<bool> = (0..out.len())
        .map(|i| {
            let q = &out[i];
            let joined_before =
                i > 0 && (out[i - 1].runs_on || out[i - 1].close_mark == q.open_mark);
            let joined_after =
                q.runs_on || out.get(i + 1).is_some_and(|n| n.open_mark == q.close_mark);
            let inner = &text[q.start..q.end];
            // `"It's cruel," he said` is speech; `"Inside Elland Road"` is a title.
            let speech = word_count(inner) >= 3 || inner.ends_with(',');
            let named = is_named_by(&text[..q.open_mark]) || has_gloss(&text[q.close_mark..]);
            joined_before || joined_after || (speech && !is_title(inner) && !named)
        })
        .collect();
    let mut keep = keep.into_iter();
    out.retain(|_| keep.next().unwrap_or(false));
    out
}

/// Every word capitalised and no sentence punctuation: the name of something, not speech.
fn is_title(s: &str) -> bool {
    let ws: Vec<&str> = s.split_whitespace().collect();
    ws.len() <= 6
        && !s.contains(['.', ',', '!', '?'])
        && ws.iter().all(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || !c.is_alphabetic())
                || matches!(*w, "of" | "the" | "and" | "in" | "on" | "a" | "for")
        })
}

/// The words before a mark give what follows as a name, not as speech: a match
/// `billed as "..."`, a side `dubbed "..."`.
fn is_named_by(before: &str) -> bool {
    let tail: String = before
        .trim_end()
        .chars()
        .rev()
        .take(16)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<String>()
        .to_lowercase();
    [
        "billed as",
        "dubbed",
        "nicknamed",
        "known as",
        "entitled",
        "titled",
        "named",
    ]
    .iter()
    .any(|w| {
        tail.ends_with(w) && !tail[..tail.len() - w.len()].ends_with(|c: char| c.is_alphabetic())
    })
}

/// A quoted name followed by its translation in brackets: `the "Partido contra la
/// Pobreza" (Game Against Poverty)`.
fn has_gloss(after: &str) -> bool {
    let rest = after
        .strip_prefix(|c: char| !c.is_alphanumeric() && c != '(')
        .unwrap_or(after)
        .trim_start();
    let Some(inner) = rest.strip_prefix('(').and_then(|r| r.split_once(')')) else {
        return false;
    };
    inner.0.len() < 80 && is_title(inner.0)
}

fn word_count(s: &str) -> usize {
    s.split_whitespace()
        .filter(|w| w.chars().any(|c| c.is_alphanumeric()))
        .count()
}

/// Whether a byte may start a quotation mark: `"`, `` ` ``, `'`, or the first byte of
/// `“ ” „` (E2) or `« »` (C2). Every other byte is passed over without decoding.
fn may_start_mark(b: u8) -> bool {
    matches!(b, b'"' | b'`' | b'\'' | 0xE2 | 0xC2)
}

fn scan_paragraph(text: &str, para: Paragraph, pi: usize, out: &mut Vec<QuoteSpan>) {
    let body = &text[para.clone()];
    let base = para.start;
    let bytes = body.as_bytes();
    // (offset, length) of the opening mark
    let mut open: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < bytes.len() {
        if !may_start_mark(bytes[i]) {
            i += 1;
            continue;
        }
        let c = body[i..].chars().next().unwrap_or(' ');
        // TeX-style marks: ``...'' (and the odd ``...``), two bytes each.
        let double_tick = c == '`' && bytes.get(i + 1) == Some(&b'`');
        let double_apos = c == '\'' && bytes.get(i + 1) == Some(&b'\'');
        let mark_len = if double_tick || double_apos {
            2
        } else {
            c.len_utf8()
        };
        if !(is_open_mark(c) || is_close_mark(c) || double_tick || double_apos) {
            i += c.len_utf8();
            continue;
        }
        // The chars either side of the mark (a double mark's second char is skipped).
        let prev = body[..i].chars().next_back();
        let next = body[i + c.len_utf8()..].chars().next();
        let at = base + i;
        let after = at + mark_len;
        match open {
            None if is_open_mark(c) || double_tick => {
                // A straight mark glued to the end of a word is a stray close, not an opening.
                let glued = c == '"'
                    && prev.is_some_and(|p| p.is_alphanumeric())
                    && next.is_none_or(|n| !n.is_alphanumeric());
                if !glued {
                    open = Some((at, mark_len));
                }
            }
            Some((o, len)) => {
                let starts_piece = (c == '"' || c == '“' || double_tick)
                    && prev.is_some_and(char::is_whitespace)
                    && body[i + mark_len..]
                        .chars()
                        .next()
                        .is_some_and(|n| !n.is_whitespace());
                if starts_piece {
                    // Flattened continuation: close the running piece before the space.
                    push(text, out, (o, len), at, at, pi, false);
                    open = Some((at, mark_len));
                } else if is_close_mark(c) || double_apos || double_tick {
                    push(text, out, (o, len), at, after, pi, false);
                    open = None;
                }
            }
            None => {}
        }
        i += mark_len;
    }
    if let Some(o) = open {
        push(text, out, o, para.end, para.end, pi, true);
    }
}

/// Single marks as a house style (`'We showed character,' said Arteta`), outside the
/// double-marked spans of the paragraph (from `first` on in `out`), which keep
/// precedence: inside them a single mark is a nested quote.
fn scan_single_marks(
    text: &str,
    para: Paragraph,
    pi: usize,
    out: &mut Vec<QuoteSpan>,
    first: usize,
) {
    let doubles: Vec<Range<usize>> = out[first..]
        .iter()
        .map(|q| q.open_mark..q.close_mark.max(q.end))
        .collect();
    let body = &text[para.clone()];
    let mut singles = Vec::new();
    let mut open: Option<(usize, usize)> = None;
    let mut prev: Option<char> = None;
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let at = para.start + i;
        let next = chars.peek().map(|&(_, n)| n);
        if doubles.iter().any(|d| d.contains(&at)) {
            // A double-marked span between the marks: no single pair spans it.
            open = None;
        } else if let Some((o, len)) = open {
            if is_single_close(prev, c, next) {
                push(
                    text,
                    &mut singles,
                    (o, len),
                    at,
                    at + c.len_utf8(),
                    pi,
                    false,
                );
                open = None;
            }
        } else if is_single_open(prev, c, &body[i + c.len_utf8()..]) {
            open = Some((at, c.len_utf8()));
        }
        prev = Some(c);
    }
    // Only a quote opening its paragraph runs on into the next one.
    if let Some(o) = open.filter(|&(o, _)| o == para.start) {
        push(text, &mut singles, o, para.end, para.end, pi, true);
    }
    if !singles.is_empty() {
        out.extend(singles);
        out[first..].sort_by_key(|q| q.open_mark);
    }
}

/// Words that start with an apostrophe rather than a quotation mark.
const ELISIONS: &[&str] = &[
    "em", "n", "til", "cause", "tis", "twas", "bout", "ave", "arry",
];

/// A single mark opening a quote stands at a word's start and is followed by a letter
/// that starts a word, no elision (`'em`, `rock 'n' roll`) and no decade (`the '90s`).
fn is_single_open(prev: Option<char>, c: char, rest: &str) -> bool {
    if !matches!(c, '\'' | '‘') || rest.starts_with('\'') {
        return false;
    }
    let at_word_start =
        prev.is_none_or(|p| p.is_whitespace() || matches!(p, '(' | '[' | '—' | '–' | '-' | ':'));
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect::<String>()
        .to_lowercase();
    // `'s feet` at a line's start is a possessive cut from its name.
    let a_word = word.len() > 1 || matches!(word.as_str(), "i" | "a");
    at_word_start && a_word && !ELISIONS.contains(&word.as_str())
}

/// A single mark closing a quote follows sentence punctuation (`,'`), or a word that
/// is no plural possessive (`the players' union`), and no letter follows it (`don't`).
fn is_single_close(prev: Option<char>, c: char, next: Option<char>) -> bool {
    if !matches!(c, '\'' | '’') || next.is_some_and(char::is_alphanumeric) {
        return false;
    }
    let ends_clause = next.is_none_or(|n| matches!(n, '.' | ',' | ';' | ':' | '!' | '?' | ')'));
    match prev {
        Some('.' | ',' | '!' | '?') => true,
        Some('s') => ends_clause,
        Some(p) => p.is_alphanumeric(),
        None => false,
    }
}

fn push(
    text: &str,
    out: &mut Vec<QuoteSpan>,
    (open_mark, mark_len): (usize, usize),
    end: usize,
    close_mark: usize,
    paragraph: usize,
    runs_on: bool,
) {
    let start = open_mark + mark_len;
    if end <= start {
        return;
    }
    let inner = &text[start..end];
    let lead = inner.len() - inner.trim_start().len();
    let trail = inner.len() - inner.trim_end().len();
    let (s, e) = (start + lead, end - trail);
    if e > s {
        out.push(QuoteSpan {
            start: s,
            end: e,
            open_mark,
            close_mark,
            paragraph,
            runs_on,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quoted texts of a report, in order.
    fn quoted(text: &str) -> Vec<&str> {
        find_quotes(text, &paragraphs(text))
            .into_iter()
            .map(|q| &text[q.start..q.end])
            .collect()
    }

    #[test]
    fn single_marks_as_the_house_style_are_quotes() {
        let text =
            "'We showed character,' said Arteta. 'To come back like that tells you everything.'\n";
        assert_eq!(
            quoted(text),
            [
                "We showed character,",
                "To come back like that tells you everything."
            ]
        );
        let curly = "Postecoglou said the side were ‘not good enough on the day’ and left.\n";
        assert_eq!(quoted(curly), ["not good enough on the day"]);
    }

    #[test]
    fn apostrophes_are_no_single_marks() {
        for text in [
            "Arsenal's players' union met the Gunners' board in the '90s.\n",
            "They played rock 'n' roll football and beat 'em all, didn't they?\n",
            "'s feet and a low effort that barely troubled the keeper.\n",
        ] {
            assert!(quoted(text).is_empty(), "{text}: {:?}", quoted(text));
        }
    }

    #[test]
    fn single_marks_inside_double_marks_are_nested_not_new_quotes() {
        let text =
            "\"I told him 'look, you have to stay here with us', and he agreed,\" he said.\n";
        assert_eq!(
            quoted(text),
            ["I told him 'look, you have to stay here with us', and he agreed,"]
        );
    }

    #[test]
    fn a_single_marked_quote_opening_its_paragraph_runs_on() {
        let text = "'We were poor in the first half and I told them so.\n'The second half was better,' he said.\n";
        let found = find_quotes(text, &paragraphs(text));
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].runs_on);
    }
}
