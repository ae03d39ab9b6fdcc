//! Who said each quote.
//!
//! Each piece looks for its own cue first: after it (`," said Klopp`, `," he added`,
//! `," the Dutchman said`) or before it (`Wenger said: "`). A piece without one takes
//! the speaker of the quote it continues, else the person the narrative is about
//! (the subject of the latest sentence that names someone).

use super::lexicon::PARTICIPLES;
use super::people::{words, People, Word};
use super::quotes::{Paragraph, QuoteSpan};
use super::Quote;
use crate::text::fold;

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
pub fn attribute(
    text: &str,
    paragraphs: &[Paragraph],
    spans: &[QuoteSpan],
    people: &People,
) -> Vec<Quote> {
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
    let mut focus: Option<usize> = None;
    let mut speaker: Vec<Option<usize>> = vec![None; n];
    let mut explicit = vec![false; n];
    let mut cued = vec![false; n];
    for i in 0..n {
        let (bs, be) = before[i];
        let from = if i > 0 { spans[i - 1].close_mark } else { 0 };
        if be > from {
            // The cue clause right after the previous piece was read already.
            let after_cue = i > 0 && cued[i - 1];
            update_focus(text, from.min(bs), be, after_cue, spans, people, &mut focus);
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
        if let Some(subject) = cue {
            speaker[i] = resolve(subject, people, focus, spans[i].open_mark);
            explicit[i] = true;
            if speaker[i].is_some() {
                focus = speaker[i];
            }
        } else {
            speaker[i] = focus;
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

/// A cue at the start of the narrative after a piece: `, he said`, `said Klopp`,
/// `Klopp added`, `added the Dutchman`. A clause ending in ':' introduces the next piece instead.
fn cue_after(
    text: &str,
    piece: &QuoteSpan,
    start: usize,
    end: usize,
    people: &People,
) -> Option<Subject> {
    if end <= start {
        return None;
    }
    let seg = &text[start..end];
    let first_clause_end = seg.find(['.', ':', ';', '!', '?']).unwrap_or(seg.len());
    if seg[first_clause_end..].starts_with(':') {
        return None;
    }
    // `"...," he said` attributes; after `"... ."` a new sentence begins, unless it is
    // only the cue itself (`"..." he said.`).
    let open_end = text[piece.start..piece.end]
        .trim_end()
        .ends_with([',', '?', '!', '-', '—', '–']);
    if !open_end && words(&seg[..first_clause_end]).len() > 4 {
        return None;
    }
    let ws: Vec<Word> = words(seg)
        .into_iter()
        .filter(|w| w.start < first_clause_end)
        .take(10)
        .collect();
    let abs = |w: &Word| start + w.start;
    let verb = ws.iter().position(|w| is_verb(w.text))?;
    if verb > 5 {
        return None;
    }
    if verb == 0 {
        // "said Klopp", "added the Dutchman", "said he"
        return subject_after_verb(&ws[1..], start, people);
    }
    // Subject then verb: "he said", "Klopp added", "the boss said", "Real midfielder Casemiro said".
    let subj = &ws[..verb];
    if subj.iter().any(|w| is_pronoun(w.text)) && subj.len() <= 2 {
        return Some(Subject::Focus);
    }
    if let Some(m) = subj.iter().rev().find_map(|w| people.mention_at(abs(w))) {
        return Some(Subject::Person(m.person));
    }
    epithet(subj)
}

fn subject_after_verb(ws: &[Word], base: usize, people: &People) -> Option<Subject> {
    let first = ws.first()?;
    if is_pronoun(first.text) {
        return Some(Subject::Focus);
    }
    if let Some(m) = ws
        .iter()
        .take(5)
        .find_map(|w| people.mention_at(base + w.start))
    {
        return Some(Subject::Person(m.person));
    }
    if first.text.eq_ignore_ascii_case("the") {
        return epithet(&ws[..ws.len().min(5)]);
    }
    None
}

/// "the boss", "the 34-year-old", "the Dutchman": a role if one is named, else the focus.
fn epithet(ws: &[Word]) -> Option<Subject> {
    if !ws
        .first()
        .is_some_and(|w| w.text.eq_ignore_ascii_case("the"))
    {
        return None;
    }
    let role = ws.iter().rev().find_map(|w| {
        let lw = w.text.to_ascii_lowercase();
        super::lexicon::ROLES.iter().find(|r| **r == lw).copied()
    });
    let club = ws[1..]
        .iter()
        .take_while(|w| role.is_none_or(|r| !w.text.eq_ignore_ascii_case(r)))
        .find(|w| {
            w.text.chars().next().is_some_and(char::is_uppercase)
                && !super::lexicon::is_nationality(w.text)
        })
        .map(|w| fold(w.text));
    match (club, role) {
        (Some(c), _) => Some(Subject::Club(c)),
        (None, Some(r)) => Some(Subject::Role(r)),
        (None, None) => Some(Subject::Topic),
    }
}

/// A cue in the narrative just before a piece: `Wenger said: "`, `He added: "`,
/// `said Klopp, "`, `..., adding: "`.
fn cue_before(text: &str, start: usize, end: usize, people: &People) -> Option<Subject> {
    if end <= start {
        return None;
    }
    let seg = text[start..end].trim_end();
    if !(seg.ends_with(':') || seg.ends_with(',')) {
        return None;
    }
    // The last clause only.
    let clause_start = seg[..seg.len() - 1]
        .rfind(['.', '!', '?', ';'])
        .map_or(0, |i| i + 1);
    let clause = &seg[clause_start..];
    let base = start + clause_start;
    let ws = words(clause);
    let verb = ws.iter().rposition(|w| is_verb(w.text))?;
    if ws.len() - verb > 6 {
        return None;
    }
    if PARTICIPLES.contains(&ws[verb].text.to_ascii_lowercase().as_str()) {
        return Some(Subject::Focus);
    }
    // "Lehmann, whose rivalry ... was not helped by the result, said:": the sentence's subject.
    if verb > 0 && clause[ws[verb - 1].end..ws[verb].start].contains(',') {
        if let Some(m) = people.mentions_in(base, base + ws[verb].start).first() {
            return Some(Subject::Person(m.person));
        }
    }
    // "Wenger said", "Juninho had earlier told", "He also said", "the Scot added"
    let lo = verb.saturating_sub(4);
    let subj = &ws[lo..verb];
    if subj.iter().any(|w| is_pronoun(w.text)) {
        return Some(Subject::Focus);
    }
    if let Some(m) = subj
        .iter()
        .rev()
        .find_map(|w| people.mention_at(base + w.start))
    {
        return Some(Subject::Person(m.person));
    }
    if let Some(s) = subject_after_verb(&ws[verb + 1..], base, people) {
        return Some(s);
    }
    if let Some(the) = subj.iter().position(|w| w.text.eq_ignore_ascii_case("the")) {
        return epithet(&subj[the..]);
    }
    None
}

/// A partial quote inside a sentence (`Halloran said he would have "a quiet word"`):
/// the person who is the subject of the speech verb before it in the same sentence.
fn partial_cue(
    text: &str,
    piece: &QuoteSpan,
    paragraphs: &[Paragraph],
    people: &People,
) -> Option<Subject> {
    let para = &paragraphs[piece.paragraph];
    // The sentence before the mark, read at most CUE_REACH bytes back: a paragraph
    // with no full stop must not make every piece re-read it from the start.
    let head = &text[back_from(text, piece.open_mark, para.start)..piece.open_mark];
    let prev_char = head.trim_end().chars().last()?;
    if matches!(prev_char, ':' | ',' | '.' | '"' | '”') || !prev_char.is_alphabetic() {
        return None;
    }
    let sent_start = head.rfind(['.', '!', '?']).map_or(0, |i| i + 1);
    let base = piece.open_mark - head.len() + sent_start;
    let ws = words(&head[sent_start..]);
    let verb = ws.iter().rposition(|w| {
        is_verb(w.text)
            || matches!(
                w.text,
                "described" | "called" | "branded" | "labelled" | "promised"
            )
    })?;
    let lo = verb.saturating_sub(3);
    if let Some(m) = ws[lo..verb]
        .iter()
        .rev()
        .find_map(|w| people.mention_at(base + w.start))
    {
        return Some(Subject::Person(m.person));
    }
    if ws[lo..verb].iter().any(|w| is_pronoun(w.text)) {
        return Some(Subject::Focus);
    }
    None
}

/// Moves the focus to the person each sentence of the narrative is about.
fn update_focus(
    text: &str,
    start: usize,
    end: usize,
    after_cue: bool,
    spans: &[QuoteSpan],
    people: &People,
    focus: &mut Option<usize>,
) {
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
        let ws = words(&text[a..b]);
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
                .any(|m| lead.iter().take(3).any(|w| a + w.start == m.start))
        {
            if let Some(subject) = epithet(&lead.iter().take(6).map(|w| **w).collect::<Vec<_>>()) {
                let subject = match subject {
                    Subject::Role(r) => people
                        .last_with_role(r, a)
                        .map(Subject::Person)
                        .unwrap_or(Subject::Topic),
                    // A club named in the epithet: that club's person, else the story's person.
                    Subject::Club(c) => resolve(Subject::Club(c), people, None, a)
                        .map(Subject::Person)
                        .unwrap_or(Subject::Topic),
                    other => other,
                };
                if let Some(p) = resolve(subject, people, *focus, a) {
                    *focus = Some(p);
                }
            }
            continue;
        }
        if ms.is_empty() {
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
        let behind_prep = |m: &super::people::PersonMention| {
            let prev = words(&text[back_from(text, m.start, a)..m.start])
                .last()
                .map(|w| w.text.to_ascii_lowercase());
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
            let after = words(&text[m.end..ahead_from(text, m.end, b)]);
            !behind_prep(m) && after.iter().take(2).any(|w| is_verb(w.text))
        });
        let plain = ms.iter().find(|m| {
            let possessive = text[m.end..].starts_with("'s") || text[m.end..].starts_with("’s");
            !possessive && !behind_prep(m) && !people.is_org(m.person)
        });
        *focus = Some(speaking.or(plain).unwrap_or(&ms[0]).person);
    }
}

fn inside_quote(spans: &[QuoteSpan], pos: usize) -> bool {
    let i = spans.partition_point(|s| s.close_mark <= pos);
    spans
        .get(i)
        .is_some_and(|s| s.open_mark <= pos && pos < s.close_mark.max(s.end))
}
