//! Results of one report seen together: the same match stated twice, the two legs
//! of a tie, and an aggregate that must be the sum of its legs.

use super::ties::orient;
use crate::extract::MatchResult;

/// Case-insensitive (ASCII) substring test without allocating. Hot: it reads whole
/// reports, so only the places where the needle's first byte stands are compared.
pub(super) fn contains_ci(haystack: &str, needle: &str) -> bool {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    let Some(&first) = n.first() else {
        return true;
    };
    if h.len() < n.len() {
        return false;
    }
    let (lo, up) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    (0..=h.len() - n.len())
        .any(|i| (h[i] == lo || h[i] == up) && h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// Two results of one pair in a two-legged tie: the report's own match (stated first)
/// is the later leg, the other the earlier one; each leg's home is the other's away.
pub(super) fn infer_legs(text: &str, results: &mut [MatchResult]) {
    if results.len() < 2 {
        return;
    }
    let two_legged =
        contains_ci(text, "leg") || contains_ci(text, "aggregate") || contains_ci(text, "tie");
    if !two_legged {
        return;
    }
    for i in 0..results.len() {
        for j in i + 1..results.len() {
            if results[i].aggregate
                || results[j].aggregate
                || !same_pair(&results[i].teams, &results[j].teams)
            {
                continue;
            }
            match (results[i].leg, results[j].leg) {
                (None, None) => {
                    results[i].leg = Some(2);
                    results[j].leg = Some(1);
                }
                (Some(l), None) => results[j].leg = Some(3 - l.min(2)),
                (None, Some(l)) => results[i].leg = Some(3 - l.min(2)),
                _ => {}
            }
            let (hi, hj) = (results[i].home.clone(), results[j].home.clone());
            let other = |h: &str, r: &MatchResult| r.teams.iter().find(|t| *t != h).cloned();
            if hi.is_none() {
                if let Some(h) = &hj {
                    results[i].home = other(h, &results[i]);
                }
            }
            if hj.is_none() {
                if let Some(h) = &hi {
                    results[j].home = other(h, &results[j]);
                }
            }
        }
    }
}

/// An aggregate stated beside both legs must be their sum: that fixes which side it favours.
pub(super) fn orient_aggregates(results: &mut [MatchResult]) {
    for i in 0..results.len() {
        if !results[i].aggregate {
            continue;
        }
        let pair = results[i].teams.clone();
        let legs: Vec<[u32; 2]> = results
            .iter()
            .filter(|r| !r.aggregate && r.leg.is_some() && same_pair(&r.teams, &pair))
            .map(|r| orient(&r.teams, r.goals, &pair))
            .collect();
        if legs.len() == 2 {
            let sum = [legs[0][0] + legs[1][0], legs[0][1] + legs[1][1]];
            let g = results[i].goals;
            if sum == [g[1], g[0]] && g[0] != g[1] {
                results[i].goals = sum;
            }
        }
    }
}

pub(super) fn same_pair(a: &[String; 2], b: &[String; 2]) -> bool {
    (a[0] == b[0] && a[1] == b[1]) || (a[0] == b[1] && a[1] == b[0])
}

/// The same match stated twice: keep the first, fill its gaps from the later one.
/// Indexed by the match itself, so a long list of scores costs linear time.
pub(super) fn merge_repeats(found: Vec<MatchResult>) -> Vec<MatchResult> {
    let mut results: Vec<MatchResult> = Vec::new();
    let mut index: std::collections::HashMap<(String, String, u32, u32, bool), usize> =
        std::collections::HashMap::new();
    for f in found {
        let key = if f.teams[0] <= f.teams[1] {
            (
                f.teams[0].clone(),
                f.teams[1].clone(),
                f.goals[0],
                f.goals[1],
                f.aggregate,
            )
        } else {
            (
                f.teams[1].clone(),
                f.teams[0].clone(),
                f.goals[1],
                f.goals[0],
                f.aggregate,
            )
        };
        if let Some(&i) = index.get(&key) {
            let prev = &mut results[i];
            prev.home = prev.home.take().or(f.home);
            prev.venue = prev.venue.take().or(f.venue);
            prev.leg = prev.leg.or(f.leg);
            prev.round = prev.round.or(f.round);
            prev.date = prev.date.or(f.date);
            prev.competition = prev.competition.take().or(f.competition);
            prev.certain |= f.certain;
            continue;
        }
        index.insert(key, results.len());
        results.push(f);
    }
    results
}
