//! The focus: the person the narrative is about, which "he" and a quote without a cue
//! fall back to.

use super::cues::epithet;
use super::{ahead_from, back_from, inside_quote, is_verb, resolve, Subject};
use crate::extract::doc::Doc;
use crate::extract::people::{words, Word};
use crate::text::fold;

/// The person the narrative is about now, and those it was about before, latest last.
#[derive(Debug, Default)]
pub(super) struct Focus {
    pub now: Option<usize>,
    past: Vec<usize>,
}

impl Focus {
    pub fn set(&mut self, person: usize) {
        if self.now != Some(person) {
            self.past.extend(self.now);
            self.now = Some(person);
        }
    }

    /// The latest person in focus for whom `excluded` is false, looking back a few turns:
    /// "I had a word with Olof," he said` is not Olof speaking.
    pub fn latest_except(&self, excluded: impl Fn(usize) -> bool) -> Option<usize> {
        self.now
            .into_iter()
            .chain(self.past.iter().rev().copied().take(4))
            .find(|&p| !excluded(p))
    }
}

/// Moves the focus to the person each sentence of the narrative is about.
pub(super) fn update_focus(
    doc: &Doc,
    start: usize,
    end: usize,
    after_cue: bool,
    focus: &mut Focus,
) {
    let (text, spans, people) = (doc.text, &doc.quotes, &doc.people);
    let seg = &text[start..end];
    let mut s0 = 0;
    let bytes = seg.as_bytes();
    let mut sentences = Vec::new();
    for (i, &b) in bytes.iter().enumerate() {
        let boundary = matches!(b, b'.' | b'!' | b'?' | b'\n')
            && bytes
                .get(i + 1)
                .is_none_or(|n| n.is_ascii_whitespace() || *n == b'"');
        if boundary {
            sentences.push((start + s0, start + i + 1));
            s0 = i + 1;
        }
    }
    if s0 < seg.len() {
        sentences.push((start + s0, end));
    }
    for (k, (a, b)) in sentences.into_iter().enumerate() {
        // The report's own words: none crosses a sentence end or a quotation mark.
        let ws = doc.words_in(a..b);
        if k == 0 && after_cue && ws.iter().take(6).any(|w| is_verb(w.text)) {
            continue;
        }
        let lead: Vec<&Word> = ws
            .iter()
            .skip_while(|w| {
                matches!(
                    w.text,
                    "But"
                        | "And"
                        | "However"
                        | "Meanwhile"
                        | "So"
                        | "Yet"
                        | "Now"
                        | "Still"
                        | "Then"
                        | "Also"
                )
            })
            .collect();
        let first = lead.first().map(|w| w.text);
        // "He ...", "His ...": the sentence goes on about the same person.
        if first.is_some_and(|f| {
            matches!(
                f,
                "He" | "She" | "he" | "she" | "His" | "Her" | "his" | "her"
            )
        }) {
            continue;
        }
        let ms: Vec<_> = people
            .mentions_in(a, b)
            .iter()
            .filter(|m| !inside_quote(spans, m.start))
            .copied()
            .collect();
        // "The Scot ...", "The attacking midfielder ...": an epithet for someone already named.
        if first.is_some_and(|f| f.eq_ignore_ascii_case("the"))
            && !ms
                .iter()
                .any(|m| lead.iter().take(3).any(|w| w.start == m.start))
        {
            if let Some(subject) = epithet(&lead.iter().take(6).map(|w| **w).collect::<Vec<_>>()) {
                let subject = match subject {
                    Subject::Role(r) => people
                        .last_with_role(r, a)
                        .map(Subject::Person)
                        .unwrap_or(Subject::Topic),
                    // A club named in the epithet: that club's person, else whoever is
                    // in focus ("Ferguson said ... The Man Utd boss continued"), else the
                    // story's person.
                    Subject::Club(c) if names_a_club(doc, &c) => {
                        resolve(Subject::Club(c), people, focus.now, a)
                            .map(Subject::Person)
                            .unwrap_or(Subject::Topic)
                    }
                    // "The 25-year-old Dubliner": a word for a man, not a club.
                    Subject::Club(_) => Subject::Topic,
                    other => other,
                };
                if let Some(p) = resolve(subject, people, focus.now, a) {
                    focus.set(p);
                }
            }
            continue;
        }
        if ms.is_empty() {
            continue;
        }
        // "The Scottish FA has appointed Burns ...": a sentence about a body's doing keeps
        // the focus; the man it acts on is not the one talking.
        if people.is_org(ms[0].person) && lead.iter().take(4).any(|w| w.start == ms[0].start) {
            continue;
        }
        // "After Ferri had kept a clean sheet, Lunardi spoke ...": the main clause's subject.
        let subordinate = first.is_some_and(|f| {
            matches!(
                f,
                "After"
                    | "Before"
                    | "When"
                    | "While"
                    | "Although"
                    | "Though"
                    | "Since"
                    | "As"
                    | "If"
                    | "Despite"
                    | "Having"
                    | "With"
                    | "Following"
                    | "Once"
            )
        });
        let ms: Vec<_> = match text[a..b].find(", ") {
            Some(c) if subordinate && ms.iter().any(|m| m.start > a + c) => {
                ms.into_iter().filter(|m| m.start > a + c).collect()
            }
            _ => ms,
        };
        let behind_prep = |m: &crate::extract::people::PersonMention| {
            let prev =
                word_before(doc, back_from(text, m.start, a), m.start).map(str::to_ascii_lowercase);
            prev.as_deref().is_some_and(|p| {
                matches!(
                    p,
                    "with"
                        | "to"
                        | "by"
                        | "against"
                        | "for"
                        | "of"
                        | "from"
                        | "over"
                        | "about"
                        | "on"
                        | "at"
                        | "under"
                        | "replace"
                        | "than"
                )
            })
        };
        // A person who speaks in the sentence, else one who is not a possessive
        // or behind a preposition, else the first named.
        let speaking = ms.iter().find(|m| {
            let verb_after = two_words_after(doc, m.end, ahead_from(text, m.end, b))
                .iter()
                .flatten()
                .any(|w| is_verb(w));
            !behind_prep(m) && verb_after
        });
        let plain = ms.iter().find(|m| {
            let possessive = text[m.end..].starts_with("'s") || text[m.end..].starts_with("’s");
            !possessive && !behind_prep(m) && !people.is_org(m.person)
        });
        focus.set(speaking.or(plain).unwrap_or(&ms[0]).person);
    }
}

/// The last word of `text[lo..pos]`, as [`words`] of that stretch would give it: read
/// from the report's words when no word crosses either end, else split again.
fn word_before<'a>(doc: &Doc<'a>, lo: usize, pos: usize) -> Option<&'a str> {
    let k = doc.words.partition_point(|w| w.end <= pos);
    let clean = doc.words.get(k).is_none_or(|w| w.start >= pos);
    match k.checked_sub(1).map(|j| doc.words[j]) {
        Some(w) if clean && w.start >= lo => Some(w.text),
        _ => words(&doc.text[lo..pos]).last().map(|w| w.text),
    }
}

/// The first two words of `text[pos..hi]`, as [`words`] of that stretch would give
/// them: read from the report's words when none is cut by either end, else split again.
fn two_words_after<'a>(doc: &Doc<'a>, pos: usize, hi: usize) -> [Option<&'a str>; 2] {
    let k = doc.words.partition_point(|w| w.start < pos);
    let clean_start = k == 0 || doc.words[k - 1].end <= pos;
    let mut out = [None; 2];
    let mut clean = clean_start;
    for (slot, w) in out.iter_mut().zip(doc.words[k..].iter()) {
        if w.start >= hi {
            break;
        }
        if w.end > hi {
            clean = false;
            break;
        }
        *slot = Some(w.text);
    }
    if !clean {
        let ws = words(&doc.text[pos..hi]);
        out = [ws.first().map(|w| w.text), ws.get(1).map(|w| w.text)];
    }
    out
}

/// Whether `word` (folded) is part of a club name the report gives ("Man" of "Man
/// Utd"). A national side in an epithet ("the former Scotland international") says
/// where a man is from, not whom he speaks for.
fn names_a_club(doc: &Doc, word: &str) -> bool {
    doc.team_hits
        .iter()
        .zip(&doc.hit_is_club)
        .any(|(h, &club)| {
            club && fold(&doc.text[h.start..h.end])
                .split(' ')
                .any(|w| w == word)
        })
}
