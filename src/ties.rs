//! Two-legged ties assembled from results and tie facts across reports.
//!
//! Reports tell a tie in pieces: the first-leg report gives one score, the second-leg
//! report the other score, the aggregate, who went through and whom they meet next.
//! [`assemble`] puts the pieces together, preferring what the reports state over what
//! can be derived, and newer reports over older ones.
//!
//! Two clubs may meet in several seasons: [`assemble_by_season`] first groups the pieces
//! by when they happened (a season runs July to June; legs further apart than
//! [`MAX_TIE_SPAN_DAYS`] are never one tie), then assembles one tie per group.

use std::collections::HashMap;
use std::fmt;

use chrono::{Datelike, NaiveDate};
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
    /// The season it was played in; `None` when no piece of it can be dated.
    pub season: Option<Season>,
}

/// The longest time between two pieces of one tie: two legs are weeks apart, and a season
/// is shorter than a year.
pub const MAX_TIE_SPAN_DAYS: i64 = 270;

/// A football season, July to June, named by the year it starts in: 2004 is "2004-05".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Season(pub i32);

impl Season {
    /// The season a date falls in.
    pub fn of(d: NaiveDate) -> Season {
        Season(if d.month() >= 7 {
            d.year()
        } else {
            d.year() - 1
        })
    }

    /// Reads "2004-05", "2004/05", "2004-2005" or "2004" (the season starting in 2004).
    pub fn parse(s: &str) -> Option<Season> {
        let s = s.trim();
        let year = |t: &str| {
            (t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()))
                .then(|| t.parse::<i32>().ok())
                .flatten()
        };
        let (start, end) = match s.split_once(['-', '/', '–']) {
            Some((a, b)) => (year(a)?, Some(b.trim())),
            None => (year(s)?, None),
        };
        match end {
            None => Some(Season(start)),
            Some(e) if e.len() == 2 && e.parse::<i32>().ok()? == (start + 1).rem_euclid(100) => {
                Some(Season(start))
            }
            Some(e) if year(e)? == start + 1 => Some(Season(start)),
            _ => None,
        }
    }
}

impl fmt::Display for Season {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}", self.0, (self.0 + 1).rem_euclid(100))
    }
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
        season: None,
    })
}

/// Every tie between `a` and `b` the corpus holds, newest first, each from the pieces of
/// one season; the pieces that cannot be dated make one more tie, listed last.
///
/// A piece's date is its match date, else its report's publication date, else the date
/// of another result in the same report. An undated report that restates a dated leg
/// joins that leg's tie with everything it tells.
pub fn assemble_by_season(
    a: &str,
    b: &str,
    results: &[StoredResult],
    facts: &[StoredTieFact],
) -> Vec<Tie> {
    let results: Vec<&StoredResult> = results
        .iter()
        .filter(|r| involves(&r.result, a, b))
        .collect();
    let facts: Vec<&StoredTieFact> = facts
        .iter()
        .filter(|f| {
            (f.fact.teams[0] == a && f.fact.teams[1] == b)
                || (f.fact.teams[0] == b && f.fact.teams[1] == a)
        })
        .collect();
    let mut report_date: HashMap<i64, NaiveDate> = HashMap::new();
    for r in &results {
        if let Some(d) = r.report.published.or(r.result.date) {
            let e = report_date.entry(r.report.id).or_insert(d);
            if r.report.published.is_none() && d < *e {
                *e = d;
            }
        }
    }
    for f in &facts {
        if let Some(d) = f.report.published {
            report_date.insert(f.report.id, d);
        }
    }
    let result_date = |r: &StoredResult| r.result.date.or(report_date.get(&r.report.id).copied());

    // Group the dated pieces: a new group at a new season or past the longest span.
    // (group index, date) per piece; usize::MAX is the undated group.
    const UNDATED: usize = usize::MAX;
    let mut dated: Vec<(NaiveDate, bool, usize)> = Vec::new(); // (date, is_result, index)
    for (i, r) in results.iter().enumerate() {
        if let Some(d) = result_date(r) {
            dated.push((d, true, i));
        }
    }
    for (i, f) in facts.iter().enumerate() {
        if let Some(&d) = report_date.get(&f.report.id) {
            dated.push((d, false, i));
        }
    }
    dated.sort();
    let mut result_group = vec![UNDATED; results.len()];
    let mut fact_group = vec![UNDATED; facts.len()];
    let mut starts: Vec<NaiveDate> = Vec::new();
    for &(d, is_result, i) in &dated {
        let fits = starts.last().is_some_and(|&s| {
            Season::of(s) == Season::of(d) && (d - s).num_days() <= MAX_TIE_SPAN_DAYS
        });
        if !fits {
            starts.push(d);
        }
        let g = starts.len() - 1;
        if is_result {
            result_group[i] = g;
        } else {
            fact_group[i] = g;
        }
    }
    // An undated report that restates a dated leg belongs to that leg's tie, with all it
    // tells; other undated pieces make the undated tie.
    let mut report_group: HashMap<i64, usize> = HashMap::new();
    for i in 0..results.len() {
        if result_group[i] != UNDATED {
            continue;
        }
        let restated = (0..results.len())
            .filter(|&j| {
                result_group[j] != UNDATED && same_leg(&results[j].result, &results[i].result)
            })
            .map(|j| result_group[j])
            .max();
        if let Some(g) = restated {
            let e = report_group.entry(results[i].report.id).or_insert(g);
            *e = (*e).max(g);
        }
    }
    for (i, r) in results.iter().enumerate() {
        if result_group[i] == UNDATED {
            result_group[i] = report_group.get(&r.report.id).copied().unwrap_or(UNDATED);
        }
    }
    for (i, f) in facts.iter().enumerate() {
        if fact_group[i] == UNDATED {
            fact_group[i] = report_group.get(&f.report.id).copied().unwrap_or(UNDATED);
        }
    }
    let mut groups: Vec<usize> = (0..starts.len()).rev().collect();
    groups.push(UNDATED);
    groups
        .into_iter()
        .filter_map(|g| {
            let rs: Vec<StoredResult> = results
                .iter()
                .zip(&result_group)
                .filter(|(_, &rg)| rg == g)
                .map(|(r, _)| (*r).clone())
                .collect();
            let fs: Vec<StoredTieFact> = facts
                .iter()
                .zip(&fact_group)
                .filter(|(_, &fg)| fg == g)
                .map(|(f, _)| (*f).clone())
                .collect();
            let mut tie = assemble(a, b, &rs, &fs)?;
            tie.season = starts.get(g).map(|&d| Season::of(d));
            Some(tie)
        })
        .collect()
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

    fn dated(id: i64, date: &str) -> ReportMeta {
        ReportMeta {
            published: NaiveDate::parse_from_str(date, "%Y-%m-%d").ok(),
            ..meta(id)
        }
    }

    fn stored(id: i64, result: MatchResult, report: ReportMeta) -> StoredResult {
        StoredResult { id, result, report }
    }

    #[test]
    fn seasons_run_july_to_june_and_read_as_written() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(Season::of(d("2005-04-06")), Season(2004));
        assert_eq!(Season::of(d("2004-07-01")), Season(2004));
        assert_eq!(Season::of(d("2004-06-30")), Season(2003));
        assert_eq!(Season(1999).to_string(), "1999-00");
        assert_eq!(Season(2004).to_string(), "2004-05");
        for ok in ["2004-05", "2004/05", "2004-2005", "2004", " 2004–05 "] {
            assert_eq!(Season::parse(ok), Some(Season(2004)), "{ok}");
        }
        assert_eq!(Season::parse("1999-00"), Some(Season(1999)));
        for bad in [
            "2004-06",
            "04-05",
            "",
            "twenty",
            "2004-",
            "2004-20050",
            "99999",
        ] {
            assert_eq!(Season::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn legs_of_different_seasons_are_different_ties_newest_first() {
        let results = vec![
            stored(
                1,
                result("Chelsea", "Barcelona", [1, 3], Some(1)),
                dated(1, "2000-04-06"),
            ),
            stored(
                2,
                result("Barcelona", "Chelsea", [5, 1], Some(2)),
                dated(2, "2000-04-19"),
            ),
            stored(
                3,
                result("Barcelona", "Chelsea", [2, 1], Some(1)),
                dated(3, "2005-02-24"),
            ),
        ];
        let ties = assemble_by_season("Chelsea", "Barcelona", &results, &[]);
        assert_eq!(ties.len(), 2);
        assert_eq!(ties[0].season, Some(Season(2004)));
        assert_eq!(ties[0].legs.len(), 1);
        assert_eq!(ties[0].legs[0].result.goals, [2, 1]);
        assert_eq!(ties[1].season, Some(Season(1999)));
        assert_eq!(ties[1].aggregate, Some([2, 8]));
        assert_eq!(ties[1].winner.as_deref(), Some("Barcelona"));
    }

    #[test]
    fn legs_more_than_nine_months_apart_in_one_season_are_different_ties() {
        let results = vec![
            stored(
                1,
                result("Ajax", "Porto", [2, 1], Some(1)),
                dated(1, "2004-08-10"),
            ),
            stored(
                2,
                result("Porto", "Ajax", [1, 0], Some(2)),
                dated(2, "2005-05-20"),
            ),
        ];
        let ties = assemble_by_season("Ajax", "Porto", &results, &[]);
        assert_eq!(ties.len(), 2);
        assert!(ties
            .iter()
            .all(|t| t.legs.len() == 1 && t.aggregate.is_none()));
        assert_eq!(ties[0].legs[0].result.teams[0], "Porto");
    }

    #[test]
    fn undated_pieces_join_the_leg_they_restate_or_stay_one_tie() {
        let fact = |report: ReportMeta| StoredTieFact {
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
            report,
        };
        // The second-leg report is undated and restates the dated first leg; a third
        // undated report tells another match between them.
        let results = vec![
            stored(
                1,
                result("Real Madrid", "Liverpool", [3, 1], Some(1)),
                dated(1, "2024-04-09"),
            ),
            stored(
                2,
                result("Liverpool", "Real Madrid", [0, 0], Some(2)),
                meta(2),
            ),
            stored(
                3,
                result("Real Madrid", "Liverpool", [3, 1], Some(1)),
                meta(2),
            ),
            stored(4, result("Liverpool", "Real Madrid", [1, 0], None), meta(4)),
        ];
        let ties = assemble_by_season("Liverpool", "Real Madrid", &results, &[fact(meta(2))]);
        assert_eq!(ties.len(), 2, "{ties:#?}");
        assert_eq!(ties[0].season, Some(Season(2023)));
        assert_eq!(ties[0].aggregate, Some([1, 3]));
        assert_eq!(ties[0].next_opponent.as_deref(), Some("Chelsea"));
        assert_eq!(ties[1].season, None);
        assert_eq!(ties[1].legs[0].result.goals, [1, 0]);

        // Nothing dated at all: one tie, exactly as before seasons.
        let undated = vec![
            stored(
                2,
                result("Liverpool", "Real Madrid", [0, 0], Some(2)),
                meta(2),
            ),
            stored(
                3,
                result("Real Madrid", "Liverpool", [3, 1], Some(1)),
                meta(2),
            ),
        ];
        let ties = assemble_by_season("Liverpool", "Real Madrid", &undated, &[fact(meta(2))]);
        assert_eq!(ties.len(), 1);
        assert_eq!(ties[0].season, None);
        assert_eq!(ties[0].aggregate, Some([1, 3]));
        assert_eq!(ties[0].next_opponent.as_deref(), Some("Chelsea"));
    }

    #[test]
    fn nothing_known_is_no_tie() {
        assert!(assemble_by_season("Ajax", "Porto", &[], &[]).is_empty());
        assert!(assemble("Ajax", "Porto", &[], &[]).is_none());
    }
}
