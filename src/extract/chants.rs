//! Crowd chants and songs: quoted words that are nobody's statement.
//!
//! `greeted with chants of "you don't know what you're doing"`, `the away fans sang
//! "we want more"`, `"Sacked in the morning" rang round the ground`. Such a region is
//! kept apart from quotes, so it is neither attributed to a speaker nor read for scores.

use std::ops::Range;

use super::quotes::QuoteSpan;

/// Words that say a crowd sang or chanted what follows.
const CHANT_CUES: &[&str] = &[
    "chant",
    "chants",
    "chanted",
    "chanting",
    "sang",
    "sing",
    "singing",
    "sung",
    "song",
    "songs",
    "serenade",
    "serenaded",
    "serenading",
    "chorus",
    "choruses",
    "cries",
    "cry",
    "taunts",
    "banner",
    "banners",
    "anthem",
];

/// Words after a quote that say it was sung: `"..." rang round Anfield`.
const SUNG_AFTER: &[&str] = &["rang", "echoed", "rung", "boomed", "reverberated"];

/// How far before the opening mark a cue may stand (bytes), inside the same sentence.
const CUE_REACH: usize = 90;

/// Whether a quoted region is a crowd's chant rather than someone's words.
pub fn is_chant(text: &str, sentences: &[Range<usize>], q: &QuoteSpan) -> bool {
    let i = sentences.partition_point(|s| s.end <= q.open_mark);
    let sent_start = sentences.get(i).map_or(0, |s| s.start);
    let mut from = q.open_mark.saturating_sub(CUE_REACH).max(sent_start);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let before = &text[from..q.open_mark];
    // `sang "we want more" and Allardyce asked the official "is that all?"`: a cue
    // before another quotation belongs to that one.
    // A list of chants (`singing "..." and "..."`) shares its cue.
    let after_mark = before
        .char_indices()
        .rev()
        .find(|(_, c)| matches!(c, '"' | '“' | '”'))
        .map(|(k, c)| &before[k + c.len_utf8()..]);
    let before = match after_mark {
        Some(rest) if !words(rest).all(|w| matches!(w, "and" | "or" | "then")) => rest,
        _ => before,
    };
    if words(before).any(|w| CHANT_CUES.iter().any(|c| w.eq_ignore_ascii_case(c))) {
        return true;
    }
    let mut to = (q.close_mark + 24).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let after = text.get(q.close_mark..to).unwrap_or("");
    words(after)
        .take(2)
        .any(|w| SUNG_AFTER.iter().any(|c| w.eq_ignore_ascii_case(c)))
}

fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::super::quotes::{find_quotes, paragraphs};
    use super::*;

    #[test]
    fn a_chant_cue_belongs_to_the_quotation_right_after_it() {
        let text = "The away fans sang \"we want more\" and the manager asked the fourth \
            official \"is that all?\" when the board went up.\n";
        assert_eq!(chants(text), vec![true, false]);
        let list = "Some fans singing \"there's only one manager\" and \"sacked in the \
            morning\" told the story.\n";
        assert_eq!(chants(list), vec![true, true]);
        let curly = "Fans sang “we want more” and the manager asked “is that all?” at once.\n";
        assert_eq!(chants(curly), vec![true, false]);
    }

    fn chants(text: &str) -> Vec<bool> {
        let sents = super::super::doc::sentences(text);
        find_quotes(text, &paragraphs(text))
            .iter()
            .map(|q| is_chant(text, &sents, q))
            .collect()
    }

    #[test]
    fn chants_of_the_home_crowd_are_not_quotes() {
        let text = "The change was greeted with chants of \"you don't know what you are doing\" by the home crowd.";
        assert_eq!(chants(text), [true]);
    }

    #[test]
    fn fans_singing_are_not_quotes() {
        let text = "The away fans sang \"we want more, we want more\" as the fourth went in.";
        assert_eq!(chants(text), [true]);
        let text = "\"Sacked in the morning, you're getting sacked\" rang round the ground.";
        assert_eq!(chants(text), [true]);
    }

    #[test]
    fn a_manager_speaking_is_a_quote() {
        let text = "Moyes said: \"We were beaten by a better side today.\"";
        assert_eq!(chants(text), [false]);
    }

    #[test]
    fn a_cue_in_the_previous_sentence_does_not_count() {
        let text = "The fans sang all night. Moyes said: \"We were beaten by a better side.\"";
        assert_eq!(chants(text), [false]);
    }
}
