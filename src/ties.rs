//! Two-legged ties assembled from results and tie facts across reports.
//!
//! Reports tell a tie in pieces: the first-leg report gives one score, the second-leg
//! report the other score, the aggregate, who went through and whom they meet next.
//! [`assemble`] puts the pieces together, preferring what the reports state over what
//! can be derived, and newer reports over older ones.

use serde::Serialize;

use crate::corpus::{ReportMeta, StoredResult, StoredTieFact};
use crate::extract::{MatchResult, Round};

/// One leg of a tie, with the report it comes from.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Leg {
    pub number: Option<u8>,
    pub result: MatchResult,
    pub report: ReportMeta,
}

/// A tie between two sides as the corpus knows it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Tie {
    pub teams: [String; 2],
    pub legs: Vec<Leg>,
    /// Goals over both legs, in the order of `teams`.
    pub aggregate: Option<[u32; 2]>,
    pub winner: Option<String>,
    pub decided_by: Option<String>,
    pub competition: Option<String>,
    pub round: Option<Round>,
    pub next_opponent: Option<String>,
    pub next_round: Option<Round>,
    /// Every report that contributed, newest first.
    pub sources: Vec<ReportMeta>,
}

fn involves(r: &MatchResult, a: &str, b: &str) -> bool {
    (r.teams[0] == a && r.teams[1] == b) || (r.teams[0] == b && r.teams[1] == a)
}

/// Goals in the order of `pair`.
fn oriented(r: &MatchResult, pair: &[String; 2]) -> [u32; 2] {
    if r.teams[0] == pair[0] {
        r.goals
    } else {
        [r.goals[1], r.goals[0]]
    }
}

fn recency(m: &ReportMeta) -> (Option<chrono::NaiveDate>, i64) {
    (m.published, m.id)
}

/// Builds the tie between `a` and `b` (canonical names) from what the corpus holds,
/// or `None` when no report gives a result or a fact about it.
pub fn assemble(
    a: &str,
    b: &str,
    results: &[StoredResult],
    facts: &[StoredTieFact],
) -> Option<Tie> {
    let mut facts: Vec<&StoredTieFact> = facts
        .iter()
        .filter(|f| {
            (f.fact.teams[0] == a && f.fact.teams[1] == b)
                || (f.fact.teams[0] == b && f.fact.teams[1] == a)
        })
        .collect();
    facts.sort_by_key(|f| std::cmp::Reverse(recency(&f.report)));
    let mut played: Vec<&StoredResult> = results
        .iter()
        .filter(|r| involves(&r.result, a, b))
        .collect();
    played.sort_by_key(|r| std::cmp::Reverse(recency(&r.report)));
    let competition = facts
        .iter()
        .find_map(|f| f.fact.competition.clone())
        .or_else(|| played.iter().find_map(|r| r.result.competition.clone()));
    // Keep the results of this competition (or of none stated), newest report first.
    let in_comp = |r: &&StoredResult| match (&competition, &r.result.competition) {
        (Some(c), Some(rc)) => c == rc,
        _ => true,
    };
    let legs_all: Vec<&StoredResult> = played
        .iter()
        .copied()
        .filter(|r| !r.result.aggregate)
        .filter(in_comp)
        .collect();
    let stated_agg = played
        .iter()
        .copied()
        .filter(in_comp)
        .find(|r| r.result.aggregate);
    if legs_all.is_empty() && facts.is_empty() && stated_agg.is_none() {
        return None;
    }
    // One result per leg: the same match told by two reports counts once.
    let mut legs: Vec<Leg> = Vec::new();
    for r in &legs_all {
        let dup = legs.iter_mut().find(|l| same_leg(&l.result, &r.result));
        match dup {
            Some(l) => {
                // Fill what the older telling lacks from this one.
                l.number = l.number.or(r.result.leg);
                if l.result.home.is_none() {
                    l.result.home = r.result.home.clone();
                }
                if l.result.date.is_none() && r.result.date.is_some() {
                    // The telling that dates the match is the report of that match.
                    l.result.date = r.result.date;
                    l.report = r.report.clone();
                }
            }
            None => legs.push(Leg {
                number: r.result.leg,
                result: r.result.clone(),
                report: r.report.clone(),
            }),
        }
    }
    // A two-legged tie has two legs; keep the numbered ones first, then the newest.
    legs.sort_by_key(|l| (l.number.is_none(), std::cmp::Reverse(recency(&l.report))));
    legs.truncate(2);
    if legs.len() == 2 {
        match (legs[0].number, legs[1].number) {
            (Some(x), None) => legs[1].number = Some(3 - x.min(2)),
            (None, Some(x)) => legs[0].number = Some(3 - x.min(2)),
            (None, None) => {
                // The older report tells the first leg.
                let first_is_0 = (legs[0].result.date, legs[0].report.id)
                    < (legs[1].result.date, legs[1].report.id);
                legs[0].number = Some(if first_is_0 { 1 } else { 2 });
                legs[1].number = Some(if first_is_0 { 2 } else { 1 });
            }
            _ => {}
        }
    }
    legs.sort_by_key(|l| l.number.unwrap_or(u8::MAX));

    let pair = [a.to_string(), b.to_string()];
    let fact_agg = facts.iter().find_map(|f| {
        f.fact.aggregate.map(|g| {
            if f.fact.teams[0] == pair[0] {
                g
            } else {
                [g[1], g[0]]
            }
        })
    });
    let aggregate = if let Some(r) = stated_agg {
        Some(oriented(&r.result, &pair))
    } else if legs.len() == 2 {
        let (x, y) = (
            oriented(&legs[0].result, &pair),
            oriented(&legs[1].result, &pair),
        );
        Some([x[0] + y[0], x[1] + y[1]])
    } else {
        fact_agg
    };
    let stated_winner = facts.iter().find_map(|f| f.fact.winner.clone());
    let decided_by = facts.iter().find_map(|f| f.fact.decided_by.clone());
    let winner = match aggregate {
        Some(g) if g[0] > g[1] => Some(pair[0].clone()),
        Some(g) if g[1] > g[0] => Some(pair[1].clone()),
        _ => legs
            .iter()
            .find_map(|l| {
                l.result.penalties.map(|p| {
                    if p[0] > p[1] {
                        l.result.teams[0].clone()
                    } else {
                        l.result.teams[1].clone()
                    }
                })
            })
            .or_else(|| away_goals_winner(&legs, &pair))
            .or(stated_winner),
    };
    let next = facts.iter().find(|f| f.fact.next_opponent.is_some());
    let round = facts
        .iter()
        .find_map(|f| f.fact.round)
        .or_else(|| legs.iter().find_map(|l| l.result.round));
    let mut sources: Vec<ReportMeta> = Vec::new();
    for m in legs
        .iter()
        .map(|l| &l.report)
        .chain(facts.iter().map(|f| &f.report))
    {
        if !sources.iter().any(|s| s.id == m.id) {
            sources.push(m.clone());
        }
    }
    sources.sort_by_key(|m| std::cmp::Reverse(recency(m)));
    Some(Tie {
        teams: pair,
        legs,
        aggregate,
        winner,
        decided_by,
        competition,
        round,
        next_opponent: next.and_then(|f| f.fact.next_opponent.clone()),
        next_round: next.and_then(|f| f.fact.next_round),
        sources,
    })
}

fn same_leg(x: &MatchResult, y: &MatchResult) -> bool {
    if let (Some(a), Some(b)) = (x.leg, y.leg) {
        return a == b;
    }
    let same_score = |x: &MatchResult, y: &MatchResult| {
        if x.teams == y.teams {
            x.goals == y.goals
        } else {
            x.goals == [y.goals[1], y.goals[0]]
        }
    };
    match (&x.home, &y.home) {
        (Some(h1), Some(h2)) => h1 == h2 && same_score(x, y),
        _ => same_score(x, y),
    }
}

/// Level on aggregate: the side with more goals away from home goes through.
fn away_goals_winner(legs: &[Leg], pair: &[String; 2]) -> Option<String> {
    if legs.len() != 2 {
        return None;
    }
    let mut away = [0u32, 0u32];
    for l in legs {
        let home = l.result.home.as_ref()?;
        let g = oriented(&l.result, pair);
        if home == &pair[0] {
            away[1] += g[1];
        } else {
            away[0] += g[0];
        }
    }
    match away[0].cmp(&away[1]) {
        std::cmp::Ordering::Greater => Some(pair[0].clone()),
        std::cmp::Ordering::Less => Some(pair[1].clone()),
        std::cmp::Ordering::Equal => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::TieFact;

    fn meta(id: i64) -> ReportMeta {
        ReportMeta {
            id,
            title: Some(format!("report {id}")),
            source: None,
            published: None,
            origin: None,
        }
    }

    fn result(home: &str, away: &str, goals: [u32; 2], leg: Option<u8>) -> MatchResult {
        MatchResult {
            competition: Some("Champions League".into()),
            round: Some(Round::QuarterFinal),
            leg,
            ..MatchResult::score(home, away, goals, true)
        }
    }

    #[test]
    fn legs_from_two_reports_make_one_tie_with_aggregate_and_next_round() {
        let results = vec![
            StoredResult {
                id: 1,
                result: result("Real Madrid", "Liverpool", [3, 1], None),
                report: meta(1),
            },
            StoredResult {
                id: 2,
                result: result("Liverpool", "Real Madrid", [0, 0], Some(2)),
                report: meta(2),
            },
            // the second report restates the first leg
            StoredResult {
                id: 3,
                result: result("Real Madrid", "Liverpool", [3, 1], Some(1)),
                report: meta(2),
            },
        ];
        let facts = vec![StoredTieFact {
            fact: TieFact {
                teams: ["Real Madrid".into(), "Liverpool".into()],
                aggregate: None,
                winner: Some("Real Madrid".into()),
                decided_by: None,
                competition: Some("Champions League".into()),
                round: Some(Round::QuarterFinal),
                next_opponent: Some("Chelsea".into()),
                next_round: Some(Round::SemiFinal),
            },
            report: meta(2),
        }];
        let tie = assemble("Liverpool", "Real Madrid", &results, &facts).unwrap();
        assert_eq!(tie.legs.len(), 2);
        assert_eq!(tie.legs[0].number, Some(1));
        assert_eq!(tie.legs[0].result.goals, [3, 1]);
        assert_eq!(tie.aggregate, Some([1, 3]));
        assert_eq!(tie.winner.as_deref(), Some("Real Madrid"));
        assert_eq!(tie.next_opponent.as_deref(), Some("Chelsea"));
        assert_eq!(tie.next_round, Some(Round::SemiFinal));
    }

    #[test]
    fn level_aggregate_goes_to_the_side_with_more_away_goals() {
        let results = vec![
            StoredResult {
                id: 1,
                result: result("Ajax", "Porto", [2, 1], Some(1)),
                report: meta(1),
            },
            StoredResult {
                id: 2,
                result: result("Porto", "Ajax", [1, 0], Some(2)),
                report: meta(2),
            },
        ];
        let tie = assemble("Ajax", "Porto", &results, &[]).unwrap();
        assert_eq!(tie.aggregate, Some([2, 2]));
        assert_eq!(tie.winner.as_deref(), Some("Porto"));
    }

    #[test]
    fn nothing_known_is_no_tie() {
        assert!(assemble("Ajax", "Porto", &[], &[]).is_none());
    }
}
