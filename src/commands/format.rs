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

/// Most characters of a user's input echoed back in a reply.
pub const ECHO_CHARS: usize = 40;

/// What the user typed, fit to be shown back inside our own quote marks: trimmed of the
/// quote marks it carries itself (`"unbalanced` is echoed once-quoted, not twice), control
/// characters escaped (`\u{1b}`), and cut to [`ECHO_CHARS`] with an ellipsis.
pub fn echo(input: &str) -> String {
    let inner = input
        .trim()
        .trim_matches(|c: char| matches!(c, '"' | '“' | '”' | '„' | '«' | '»'))
        .trim();
    let mut out = String::new();
    let mut shown = 0;
    for (i, c) in inner.char_indices() {
        let unit: String = if c.is_control() {
            c.escape_unicode().collect()
        } else {
            c.to_string()
        };
        let len = unit.chars().count();
        let rest_fits = shown + len <= ECHO_CHARS && inner.len() == i + c.len_utf8();
        if shown + len > ECHO_CHARS - 1 && !rest_fits {
            out.truncate(out.trim_end().len());
            out.push('…');
            return out;
        }
        out.push_str(&unit);
        shown += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echo_is_short_escaped_and_quoted_once() {
        assert_eq!(echo("  \"unbalanced "), "unbalanced");
        assert_eq!(echo("“curly”"), "curly");
        assert_eq!(echo("a\u{1b}[2Jb\u{7}"), "a\\u{1b}[2Jb\\u{7}");
        let long = echo(&"x".repeat(5_000));
        assert_eq!(long.chars().count(), ECHO_CHARS);
        assert!(long.ends_with('…'));
        assert_eq!(echo(&"é".repeat(ECHO_CHARS)), "é".repeat(ECHO_CHARS));
        let cut = echo(&format!("{}\u{1b}", "a".repeat(ECHO_CHARS - 3)));
        assert!(
            cut.chars().count() <= ECHO_CHARS && cut.ends_with('…'),
            "{cut}"
        );
    }
}
