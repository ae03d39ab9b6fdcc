//! Scores whose two sides are named as a pair rather than as actor and object:
//! a headline's tallies after each name (`Arsenal 2 Tottenham 1`), and a level match
//! told of the pair (`the match between Chelsea and Arsenal ended 1-1`,
//! `Everton's game with Fulham finished 2-2`, `it finished 2-2 between Celtic and Hearts`).

use super::frames::{Reading, Scene};
use super::scores::ScoreMention;
use super::sides::SideRef;

/// Words that say how a match ended, right before its score.
const ENDED: &[&str] = &["ended", "finished", "ends", "finishes", "end", "finish"];

/// Nouns for a match that a possessive side owns: `Everton's game with Fulham`.
const MATCH_NOUNS: &[&str] = &[
    "game",
    "match",
    "clash",
    "meeting",
    "encounter",
    "derby",
    "tie",
    "fixture",
];

fn usable(r: &&SideRef) -> bool {
    !r.place_only && !r.modifier
}

/// "Arsenal 2 Tottenham 1": a side right before the first tally and the whole of what
/// stands between the tallies; the first named is at home, as in "Arsenal 2-1 Tottenham".
pub(super) fn split_line_score(scene: &Scene, score: &ScoreMention) -> Option<Reading> {
    let text = scene.text;
    let first = scene
        .sides
        .iter()
        .filter(usable)
        .rfind(|r| r.end <= score.start && text[r.end..score.start].trim().is_empty())?;
    let middle_start = score.start + text[score.start..].find(' ')?;
    let second = scene.sides.iter().filter(usable).find(|r| {
        r.start >= middle_start
            && r.end <= score.end
            && text[middle_start..r.start]
                .trim_matches([' ', ','])
                .is_empty()
            && text[r.end..score.end]
                .trim_start()
                .chars()
                .all(|c| c.is_ascii_digit())
    })?;
    (first.name != second.name).then(|| Reading {
        teams: [first.name.clone(), second.name.clone()],
        goals: score.goals,
        certain: true,
        home: None,
    })
}

/// A level score told of a named pair: "the match between Chelsea and Arsenal ended
/// 1-1". Only a draw: the pair says nothing of who scored more.
pub(super) fn pair_level(scene: &Scene, score: &ScoreMention) -> Option<Reading> {
    if score.goals[0] != score.goals[1] || !ended_right_before(scene) {
        return None;
    }
    let sides: Vec<&SideRef> = scene.sides.iter().filter(usable).collect();
    let [a, b] = sides[..] else {
        return None;
    };
    (a.name != b.name && named_as_pair(scene.text, a, b)).then(|| Reading {
        teams: [a.name.clone(), b.name.clone()],
        goals: score.goals,
        certain: true,
        home: None,
    })
}

/// "ended 1-1", "finished at 2-2", "ended all square at 0-0".
fn ended_right_before(scene: &Scene) -> bool {
    let mut words = scene.pre.iter().rev().map(|w| w.lower.as_str());
    let mut w = words.next();
    if w == Some("at") {
        w = words.next();
        if w == Some("square") && words.next() == Some("all") {
            w = words.next();
        }
    }
    w.is_some_and(|w| ENDED.contains(&w))
}

/// `between A and B`, `A v B`, `A's game with B`: the two sides are one match.
fn named_as_pair(text: &str, a: &SideRef, b: &SideRef) -> bool {
    let gap = text[a.end..b.start].trim();
    let word_before_a = text[..a.start]
        .trim_end()
        .rsplit(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    match gap {
        "and" => word_before_a.eq_ignore_ascii_case("between"),
        "v" | "vs" | "vs." | "versus" => true,
        _ => {
            let Some(rest) = gap.strip_prefix("'s ").or_else(|| gap.strip_prefix("’s ")) else {
                return false;
            };
            let mut words = rest.split_whitespace();
            let noun = words.next().unwrap_or("");
            let prep = words.next().unwrap_or("");
            words.next().is_none()
                && MATCH_NOUNS.contains(&noun)
                && matches!(prep, "with" | "against")
        }
    }
}
