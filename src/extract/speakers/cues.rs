//! Speech cues: the words around a quote that say who said it ("said Klopp",
//! "he added", "Wenger said: ", "the Dutchman said").

use super::{back_from, is_pronoun, is_verb, Subject};
use crate::extract::lexicon::PARTICIPLES;
use crate::extract::people::{words, People, Word};
use crate::extract::quotes::{Paragraph, QuoteSpan};
use crate::text::fold;

/// A cue at the start of the narrative after a piece: `, he said`, `said Klopp`,
/// `Klopp added`, `added the Dutchman`. A clause ending in ':' introduces the next piece instead.
pub(super) fn cue_after(
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
    // `"is that all?" when he revealed ...`: a subordinate clause, not a cue.
    if ws.first().is_some_and(|w| {
        matches!(
            w.text.to_ascii_lowercase().as_str(),
            "when" | "as" | "after" | "before" | "while" | "because" | "if" | "since" | "although"
        )
    }) {
        return None;
    }
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
pub(super) fn epithet(ws: &[Word]) -> Option<Subject> {
    if !ws
        .first()
        .is_some_and(|w| w.text.eq_ignore_ascii_case("the"))
    {
        return None;
    }
    let role = ws.iter().rev().find_map(|w| {
        let lw = w.text.to_ascii_lowercase();
        crate::extract::lexicon::ROLES
            .iter()
            .find(|r| **r == lw)
            .copied()
    });
    let club = ws[1..]
        .iter()
        .take_while(|w| role.is_none_or(|r| !w.text.eq_ignore_ascii_case(r)))
        .find(|w| {
            w.text.chars().next().is_some_and(char::is_uppercase)
                && !crate::extract::lexicon::is_nationality(w.text)
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
pub(super) fn cue_before(text: &str, start: usize, end: usize, people: &People) -> Option<Subject> {
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
    if let Some(body) = statement_cue(&ws, base, people) {
        return Some(body);
    }
    let verb = ws.iter().rposition(|w| is_verb(w.text))?;
    if ws.len() - verb > 6 {
        return None;
    }
    if PARTICIPLES.contains(&ws[verb].text.to_ascii_lowercase().as_str()) {
        return Some(Subject::Focus);
    }
    if let Some(s) = subject_before_apposition(clause, &ws, verb, base, people) {
        return Some(s);
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
pub(super) fn partial_cue(
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
                "described" | "called" | "branded" | "labelled" | "promised" | "asked"
            )
    })?;
    if let Some(s) = subject_before_apposition(&head[sent_start..], &ws, verb, base, people) {
        return Some(s);
    }
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

/// "Lehmann, whose rivalry ... was not helped by the result, said": a comma closes an
/// apposition before the verb, so the speaker is the sentence's first person, not the
/// body the apposition names ("Hale, chairman of the FA's panel, said").
fn subject_before_apposition(
    clause: &str,
    ws: &[Word],
    verb: usize,
    base: usize,
    people: &People,
) -> Option<Subject> {
    if verb == 0 || !clause[ws[verb - 1].end..ws[verb].start].contains(',') {
        return None;
    }
    let named = people.mentions_in(base, base + ws[verb].start);
    named
        .iter()
        .find(|m| !people.is_org(m.person))
        .or(named.first())
        .map(|m| Subject::Person(m.person))
}

/// `A statement from Chelsea read: "`, `Everton's statement to the stock exchange
/// said: "`: a clause about a statement speaks for the body it names.
fn statement_cue(ws: &[Word], base: usize, people: &People) -> Option<Subject> {
    let noun = ws.iter().position(|w| {
        matches!(
            w.text.to_ascii_lowercase().as_str(),
            "statement" | "spokesman" | "spokeswoman" | "spokesperson" | "official"
        )
    })?;
    let near = noun.saturating_sub(3)..(noun + 4).min(ws.len());
    let named: Vec<_> = ws[near]
        .iter()
        .filter_map(|w| people.mention_at(base + w.start))
        .collect();
    // "Uefa spokesman Rob Faulkner said": the man is named, so he speaks.
    if named.iter().any(|m| !people.is_org(m.person)) {
        return None;
    }
    named.first().map(|m| Subject::Person(m.person))
}
