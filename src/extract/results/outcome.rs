//! Who won the report's own match, when the lead says so without a score: "as they
//! beat Cardiff at Villa Park", "Tottenham suffered their heaviest home defeat",
//! "were beaten by Fulham", "to help Manchester City to their first away win". A later
//! "the 3-0 win" that names no side takes its sides and order from here.

use super::sides::SideRef;
use super::vocab::{LOSS_NOUNS, PASSIVE_LOSS, SUFFER, WIN_NOUNS, WIN_VERBS};
use crate::extract::doc::Doc;

/// The winner of the report's own match (`topic[..2]`) as the headline and first
/// paragraph tell it, when one sentence there says it plainly.
pub(super) fn lead_winner(doc: &Doc, refs: &[SideRef], topic: &[String]) -> Option<String> {
    let pair = topic.get(..2)?;
    let lead = doc.lead();
    let other_of = |t: &str| pair.iter().find(|p| *p != t).cloned();
    for sent in doc.sentences.iter().take_while(|s| s.start < lead.end) {
        let ws = doc.words_in(sent.clone());
        let sides: Vec<&SideRef> = refs
            .iter()
            .filter(|r| r.start >= sent.start && r.end <= sent.end && !r.place_only)
            .filter(|r| pair.contains(&r.name))
            .collect();
        let side_after = |pos: usize, within: usize| {
            sides
                .iter()
                .find(|r| r.start >= pos && r.start <= pos + within && !r.modifier)
        };
        let side_before = |pos: usize| sides.iter().rev().find(|r| r.end <= pos);
        for (i, w) in ws.iter().enumerate() {
            let lower = w.text.to_ascii_lowercase();
            let next_is_by = ws.get(i + 1).is_some_and(|n| n.text == "by");
            // "were beaten by Fulham": the side after "by" won.
            if PASSIVE_LOSS.contains(&lower.as_str()) && next_is_by {
                if let Some(r) = side_after(w.end, 8) {
                    return Some(r.name.clone());
                }
            }
            // "as they beat Cardiff": the side beaten lost, so the other one won. Words
            // that are also nouns or adjectives ("a defeat to", "a stunning goal") are not
            // read here.
            let verb_only = !matches!(lower.as_str(), "defeat" | "stunning" | "crushing");
            if WIN_VERBS.contains(&lower.as_str()) && verb_only && !next_is_by {
                if let Some(r) = side_after(w.end, 12) {
                    return other_of(&r.name);
                }
            }
            // "Tottenham suffered their biggest home defeat": the sufferer lost.
            if SUFFER.contains(&lower.as_str())
                && ws[i + 1..]
                    .iter()
                    .take(6)
                    .any(|n| LOSS_NOUNS.contains(&n.text.to_ascii_lowercase().as_str()))
            {
                if let Some(r) = side_before(w.start) {
                    return other_of(&r.name);
                }
            }
            // "help Manchester City to their first away win"
            if matches!(lower.as_str(), "help" | "helped" | "helping")
                && ws[i + 1..]
                    .iter()
                    .take(9)
                    .any(|n| WIN_NOUNS.contains(&n.text.to_ascii_lowercase().as_str()))
            {
                if let Some(r) = side_after(w.end, 4) {
                    return Some(r.name.clone());
                }
            }
        }
    }
    None
}
