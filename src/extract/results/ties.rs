//! What a report says of a two-legged tie as a whole: aggregate, who went through,
//! how it was decided and whom the winner meets next.

use std::ops::Range;

use super::context::{previous_round, round_in};
use super::legs::{contains_ci, same_pair};
use super::sides::{any_word, capital_run_after, lower_words, SideRef};
use crate::extract::{MatchResult, TieFact};

const THROUGH: &[&str] = &[
    "through",
    "progress",
    "progressed",
    "advance",
    "advanced",
    "reached",
    "reach",
    "reaching",
    "booked",
    "book",
    "into",
];
const OUT: &[&str] = &[
    "exit",
    "exited",
    "eliminated",
    "knocked",
    "out",
    "crashed",
    "bowed",
];
const MEET: &[&str] = &[
    "meet", "face", "play", "against", "await", "awaits", "host", "visit", "with",
];

/// What the report says about each two-legged tie it covers: every pair with a stated
/// aggregate or two legs, else the report's own match when it speaks of legs.
/// How many ties of one report are described.
const MAX_TIES: usize = 8;

pub(super) fn tie_facts(
    text: &str,
    sents: &[Range<usize>],
    refs: &[SideRef],
    results: &[MatchResult],
    comp: Option<&str>,
) -> Vec<TieFact> {
    let mut pairs: Vec<[String; 2]> = Vec::new();
    for r in results {
        let legs = results
            .iter()
            .filter(|x| !x.aggregate && x.leg.is_some() && same_pair(&x.teams, &r.teams))
            .count();
        if (r.aggregate || legs >= 2) && !pairs.iter().any(|p| same_pair(p, &r.teams)) {
            pairs.push(r.teams.clone());
        }
    }
    if pairs.is_empty() && (contains_ci(text, " leg") || contains_ci(text, "through to")) {
        if let Some(main) = results.iter().find(|r| !r.aggregate) {
            pairs.push(main.teams.clone());
        }
    }
    // Each tie reads every sentence: a report covers one or two ties, a few at most.
    pairs
        .iter()
        .take(MAX_TIES)
        .map(|p| tie_fact(text, sents, refs, results, comp, p))
        .collect()
}

pub(super) fn tie_fact(
    text: &str,
    sents: &[Range<usize>],
    refs: &[SideRef],
    results: &[MatchResult],
    comp: Option<&str>,
    pair: &[String; 2],
) -> TieFact {
    let legs: Vec<&MatchResult> = results
        .iter()
        .filter(|r| !r.aggregate && same_pair(&r.teams, pair) && r.leg.is_some())
        .collect();
    let main = results
        .iter()
        .find(|r| same_pair(&r.teams, pair) && !r.aggregate)
        .or_else(|| results.iter().find(|r| same_pair(&r.teams, pair)));
    let agg_stated = results
        .iter()
        .find(|r| r.aggregate && same_pair(&r.teams, pair));
    let aggregate = if let Some(a) = agg_stated {
        Some(orient(&a.teams, a.goals, pair))
    } else if legs.len() >= 2 {
        let mut sum = [0, 0];
        for l in &legs {
            let g = orient(&l.teams, l.goals, pair);
            sum[0] += g[0];
            sum[1] += g[1];
        }
        Some(sum)
    } else {
        None
    };
    let mut winner = aggregate.and_then(|g| match g[0].cmp(&g[1]) {
        std::cmp::Ordering::Greater => Some(pair[0].clone()),
        std::cmp::Ordering::Less => Some(pair[1].clone()),
        std::cmp::Ordering::Equal => None,
    });
    let mut decided_by = None;
    if contains_ci(text, "away goal") || contains_ci(text, "away-goal") {
        decided_by = Some("away goals".to_string());
    }
    if let Some((l, pens)) = legs.iter().find_map(|l| l.penalties.map(|p| (l, p))) {
        let w = if pens[0] > pens[1] {
            &l.teams[0]
        } else {
            &l.teams[1]
        };
        winner = Some(w.clone());
        decided_by = Some("penalties".to_string());
    } else if legs.iter().any(|l| l.extra_time) && decided_by.is_none() {
        decided_by = Some("extra time".to_string());
    }
    let mut next_opponent = None;
    let mut next_round = None;
    let mut about_pair_before = false;
    for sent in sents {
        let (a, b) = (sent.start, sent.end);
        let raw = &text[a..b];
        // `refs` is in text order: the sides of this sentence are one slice of it.
        let lo = refs.partition_point(|r| r.start < a);
        let hi = refs.partition_point(|r| r.start < b);
        let sides: Vec<&SideRef> = refs[lo..hi]
            .iter()
            .filter(|r| r.end <= b && !r.place_only)
            .collect();
        let names_pair = sides.iter().any(|r| pair.contains(&r.name));
        // "They will face Juventus", "The French side will meet Roma": about the tie just named.
        let opener = raw.trim_start();
        let follows_on = about_pair_before
            && (opener.starts_with("They ")
                || opener.starts_with("The ")
                || opener.starts_with("they ")
                || opener.starts_with("the "));
        let about_pair = names_pair || follows_on;
        if !about_pair {
            if raw.chars().any(char::is_alphanumeric) {
                about_pair_before = false;
            }
            continue;
        }
        let sl = raw.to_lowercase();
        let ws = lower_words(&sl);
        about_pair_before = if !sl.chars().any(char::is_alphanumeric) {
            about_pair_before
        } else {
            names_pair
        };
        if !about_pair {
            continue;
        }
        let moves_on = any_word(&ws, THROUGH)
            || sl.contains("set up")
            || sl.contains("will meet")
            || sl.contains("will face")
            || sl.contains("will play");
        let goes_out = any_word(&ws, OUT);
        if winner.is_none() {
            if let Some(first) = sides.first().filter(|f| pair.contains(&f.name)) {
                if moves_on && !goes_out {
                    winner = Some(first.name.clone());
                } else if goes_out && !moves_on {
                    winner = pair.iter().find(|t| **t != first.name).cloned();
                }
            }
        }
        if next_opponent.is_none() && moves_on && any_word(&ws, MEET) {
            let after_meet = |r: &&&SideRef| {
                let before = lower_words(&text[a..r.start]);
                before
                    .iter()
                    .rev()
                    .take(4)
                    .any(|w| MEET.contains(&w.as_str()))
            };
            let named = sides
                .iter()
                .filter(|r| !pair.contains(&r.name))
                .find(after_meet)
                .map(|r| r.name.clone())
                .or_else(|| {
                    // An opponent the knowledge base does not know: the capitalised words after the verb.
                    ["meet ", "face ", "play ", "against "]
                        .iter()
                        .find_map(|v| {
                            let at = sl.find(v)? + v.len();
                            capital_run_after(text, a + at).map(|(x, y)| text[x..y].to_string())
                        })
                });
            if let Some(o) = named.filter(|o| !pair.contains(o)) {
                next_opponent = Some(o);
                next_round = round_in(&text[a..b], true);
            }
        }
    }
    let round = main
        .and_then(|m| m.round)
        .filter(|r| Some(*r) != next_round)
        .or_else(|| next_round.and_then(previous_round));
    TieFact {
        teams: pair.clone(),
        aggregate,
        winner,
        decided_by,
        competition: main
            .and_then(|m| m.competition.clone())
            .or(comp.map(str::to_string)),
        round,
        next_opponent,
        next_round,
    }
}

/// Goals of a result in the order of `pair`.
pub(super) fn orient(teams: &[String; 2], goals: [u32; 2], pair: &[String; 2]) -> [u32; 2] {
    if teams[0] == pair[0] {
        goals
    } else {
        [goals[1], goals[0]]
    }
}
