//! Wording shared by the commands: scores, dates, sources.

use chrono::NaiveDate;

use crate::corpus::ReportMeta;
use crate::extract::MatchResult;
use crate::teams::TeamBook;

/// "Real Madrid 3-1 Liverpool" (home side first when known), with "(aet)" and shoot-outs.
pub fn score_line(r: &MatchResult) -> String {
    let mut s = format!(
        "{} {}-{} {}",
        r.teams[0], r.goals[0], r.goals[1], r.teams[1]
    );
    if let Some(p) = r.penalties {
        s.push_str(&format!(" ({}-{} on penalties)", p[0], p[1]));
    } else if r.extra_time {
        s.push_str(" (aet)");
    }
    s
}

/// Where it was played: "at Anfield", "in Madrid", "at home", or nothing.
pub fn venue_line(r: &MatchResult, teams: &TeamBook) -> Option<String> {
    match (&r.venue, &r.home) {
        (Some(v), _) if !teams.in_city(v).is_empty() => Some(format!("in {v}")),
        (Some(v), _) if v.chars().next().is_some_and(char::is_uppercase) => Some(format!("at {v}")),
        (_, Some(h)) => Some(format!("{h} at home")),
        _ => None,
    }
}

/// "14 Apr 2026".
pub fn date(d: NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

/// Unix time of a date at noon UTC, for timestamps.
pub fn unix(d: NaiveDate) -> i64 {
    d.and_hms_opt(12, 0, 0)
        .map_or(0, |t| t.and_utc().timestamp())
}

/// "Title — Source, 14 Apr 2026".
pub fn source_line(m: &ReportMeta) -> String {
    let mut s = m
        .title
        .clone()
        .unwrap_or_else(|| format!("Report #{}", m.id));
    if let Some(src) = &m.source {
        s.push_str(" — ");
        s.push_str(src);
    }
    if let Some(d) = m.published {
        s.push_str(", ");
        s.push_str(&date(d));
    }
    s
}
