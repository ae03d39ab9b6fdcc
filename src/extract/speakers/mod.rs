//! Who said each quote.
//!
//! Each piece looks for its own cue first: after it (`," said Klopp`, `," he added`,
//! `," the Dutchman said`) or before it (`Wenger said: "`). A piece without one takes
//! the speaker of the quote it continues, else the person the narrative is about
//! (the subject of the latest sentence that names someone).

mod cues;
mod focus;
#[cfg(test)]
mod tests;

use super::doc::Doc;
use super::people::{capitalised_words, words, People};
use super::quotes::{Paragraph, QuoteSpan};
use super::Quote;
use crate::text::fold;
use cues::{cue_after, cue_before, partial_cue};
use focus::{update_focus, Focus};

/// The subject of a speech cue, before it is resolved to a person.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Subject {
    Person(usize),
    /// "he", "she": the person the narrative is about.
    Focus,
    /// An epithet with no role we can match ("the Dutchman", "the 30-year-old"):
    /// the person the story is about.
    Topic,
    /// "the boss", "the striker": the latest person with that role, else the focus.
    Role(&'static str),
    /// "the Chelsea star": the latest person of that club, else the focus.
    Club(String),
}

/// How far a cue is looked for around a quote or a name, in bytes.
const CUE_REACH: usize = 400;

/// `pos` moved back by at most [`CUE_REACH`] bytes, not before `floor`, on a char boundary.
fn back_from(text: &str, pos: usize, floor: usize) -> usize {
    let mut at = pos.saturating_sub(CUE_REACH).max(floor);
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// `pos` moved on by at most [`CUE_REACH`] bytes, not past `ceiling`, on a char boundary.
fn ahead_from(text: &str, pos: usize, ceiling: usize) -> usize {
    let mut at = (pos + CUE_REACH).min(ceiling).max(pos);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn is_verb(w: &str) -> bool {
    super::lexicon::is_speech_verb(w)
}

fn is_pronoun(w: &str) -> bool {
    matches!(w, "he" | "she" | "He" | "She")
}

/// Attributes each span to a speaker.
pub fn attribute(doc: &Doc) -> Vec<Quote> {
    let (text, paragraphs, spans, people) = (doc.text, &doc.paragraphs, &doc.quotes, &doc.people);
    let n = spans.len();
    // Narrative stretches: before each piece (from the previous mark in the paragraph) and after it.
    let before: Vec<(usize, usize)> = (0..n)
        .map(|i| {
            let s = &spans[i];
            let from = if i > 0 && spans[i - 1].paragraph == s.paragraph {
                spans[i - 1].close_mark
            } else {
                paragraphs[s.paragraph].start
            };
            (from, s.open_mark.max(from))
        })
        .collect();
    let after: Vec<(usize, usize)> = (0..n)
        .map(|i| {
            let s = &spans[i];
            let to = if i + 1 < n && spans[i + 1].paragraph == s.paragraph {
                spans[i + 1].open_mark
            } else {
                paragraphs[s.paragraph].end
            };
            (s.close_mark.min(to), to)
        })
        .collect();

    // One pass in text order: the narrative moves the focus, and so does every quote
    // whose speaker a cue names.
    let mut focus = Focus::default();
    let mut speaker: Vec<Option<usize>> = vec![None; n];
    let mut explicit = vec![false; n];
    let mut cued = vec![false; n];
    for i in 0..n {
        let (bs, be) = before[i];
        let from = if i > 0 { spans[i - 1].close_mark } else { 0 };
        if be > from {
            // The cue clause right after the previous piece was read already.
            let after_cue = i > 0 && cued[i - 1];
            update_focus(doc, from.min(bs), be, after_cue, &mut focus);
        }
        let (as_, ae) = after[i];
        let cue = cue_after(text, &spans[i], as_, ae, people)
            .or_else(|| cue_before(text, bs, be, people))
            .or_else(|| partial_cue(text, &spans[i], paragraphs, people))
            // In a cue, a bare epithet ("the German said") is the person just talked about.
            .map(|c| {
                if c == Subject::Topic {
                    Subject::Focus
                } else {
                    c
                }
            });
        cued[i] = cue.is_some();
        let quoted = &text[spans[i].start..spans[i].end];
        // Split the quote once, and only when someone is asked about.
        let quoted_names = std::cell::OnceCell::new();
        let not_named_inside = || {
            focus.latest_except(|p| {
                people.named_among(p, quoted_names.get_or_init(|| capitalised_words(quoted)))
            })
        };
        if let Some(subject) = cue {
            speaker[i] = match subject {
                Subject::Focus => not_named_inside().or_else(|| people.topic(spans[i].open_mark)),
                other => resolve(other, people, focus.now, spans[i].open_mark),
            };
            explicit[i] = true;
            if let Some(p) = speaker[i] {
                focus.set(p);
            }
        } else {
            speaker[i] = not_named_inside();
        }
    }
    // Pieces of one quote (run-on paragraphs, flattened pieces, split by a cue) share a speaker.
    for i in 1..n {
        if !explicit[i]
            && joined(text, &spans[i - 1], &spans[i], paragraphs)
            && speaker[i - 1].is_some()
        {
            speaker[i] = speaker[i - 1];
            explicit[i] = true;
        }
    }
    for i in (0..n.saturating_sub(1)).rev() {
        if !explicit[i]
            && joined(text, &spans[i], &spans[i + 1], paragraphs)
            && speaker[i + 1].is_some()
        {
            speaker[i] = speaker[i + 1];
            explicit[i] = true;
        }
    }
    spans
        .iter()
        .zip(speaker)
        .map(|(s, who)| Quote {
            start: s.start,
            end: s.end,
            text: text[s.start..s.end].to_string(),
            speaker: who.map(|p| people.list[p].name.clone()),
        })
        .collect()
}

/// Whether `b` goes on from `a`: the next paragraph of a run-on quote, a flattened
/// piece, or the second half of a quote split around a short cue.
fn joined(text: &str, a: &QuoteSpan, b: &QuoteSpan, paragraphs: &[Paragraph]) -> bool {
    if a.runs_on {
        return b.paragraph == a.paragraph + 1 && b.open_mark == paragraphs[b.paragraph].start;
    }
    if a.close_mark == b.open_mark {
        return true;
    }
    if a.paragraph == b.paragraph && b.open_mark >= a.close_mark {
        let gap = &text[a.close_mark..b.open_mark];
        let ws = words(gap);
        return ws.len() <= 6 && ws.iter().any(|w| is_verb(w.text)) && !gap.contains(':');
    }
    false
}

fn resolve(subject: Subject, people: &People, focus: Option<usize>, pos: usize) -> Option<usize> {
    match subject {
        Subject::Person(p) => Some(p),
        Subject::Focus => focus.or_else(|| people.topic(pos)),
        Subject::Topic => people.topic(pos).or(focus),
        Subject::Role(r) if r.starts_with("spokes") => people.last_org(pos).or(focus),
        Subject::Role(r) => people
            .last_with_role(r, pos)
            .or(focus)
            .or_else(|| people.topic(pos)),
        Subject::Club(word) => people
            .mentions
            .iter()
            .rev()
            .filter(|m| m.start < pos)
            .find(|m| {
                people.list[m.person]
                    .team
                    .as_deref()
                    .is_some_and(|t| fold(t).split(' ').any(|x| x == word))
            })
            .map(|m| m.person)
            .or(focus),
    }
}

pub(super) fn inside_quote(spans: &[QuoteSpan], pos: usize) -> bool {
    let i = spans.partition_point(|s| s.close_mark <= pos);
    spans
        .get(i)
        .is_some_and(|s| s.open_mark <= pos && pos < s.close_mark.max(s.end))
}
