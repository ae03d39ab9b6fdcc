//! When a subscription posts: at once, or as a daily digest at a local time in an IANA zone.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// A subscription's schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schedule {
    /// Each result as soon as it is ingested.
    Instant,
    /// One digest a day at `at` local time in `zone`.
    Daily { at: NaiveTime, zone: Tz },
}

/// Why a schedule was not understood; the message is shown to the admin as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("\"{0}\" is not a time of day; write it as HH:MM, e.g. 22:00")]
    Time(String),
    #[error("\"{0}\" is not an IANA time zone; write it like Europe/London or America/New_York")]
    Zone(String),
    #[error("write `instant`, or a daily time and zone such as `22:00 Europe/London`")]
    Shape,
}

impl FromStr for Schedule {
    type Err = ScheduleError;

    /// `instant`, or `[daily] HH:MM Area/City` (the zone may also be `UTC`).
    fn from_str(s: &str) -> Result<Schedule, ScheduleError> {
        let words: Vec<&str> = s.split_whitespace().collect();
        let words = match words.as_slice() {
            [first, rest @ ..] if first.eq_ignore_ascii_case("daily") => rest,
            all => all,
        };
        match words {
            [one] if one.eq_ignore_ascii_case("instant") || one.eq_ignore_ascii_case("now") => {
                Ok(Schedule::Instant)
            }
            [time, zone] => {
                let at = NaiveTime::parse_from_str(time, "%H:%M")
                    .map_err(|_| ScheduleError::Time(time.to_string()))?;
                let zone = zone_named(zone).ok_or_else(|| ScheduleError::Zone(zone.to_string()))?;
                Ok(Schedule::Daily { at, zone })
            }
            _ => Err(ScheduleError::Shape),
        }
    }
}

/// An IANA zone by name, ignoring ASCII case (`europe/london` works).
fn zone_named(name: &str) -> Option<Tz> {
    name.parse::<Tz>().ok().or_else(|| {
        chrono_tz::TZ_VARIANTS
            .iter()
            .copied()
            .find(|z| z.name().eq_ignore_ascii_case(name))
    })
}

impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Schedule::Instant => f.write_str("instant"),
            Schedule::Daily { at, zone } => {
                write!(f, "daily {} {}", at.format("%H:%M"), zone.name())
            }
        }
    }
}

impl Schedule {
    /// The first digest time strictly after `after`; `None` for [`Schedule::Instant`].
    ///
    /// A local time skipped by a daylight-saving change fires at the first minute after the
    /// gap; a repeated one fires at its first occurrence.
    pub fn next_after(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let Schedule::Daily { at, zone } = *self else {
            return None;
        };
        let local_day = after.with_timezone(&zone).date_naive();
        // Yesterday's slot can still lie ahead in UTC terms only for odd zones; start there.
        (-1..=2).find_map(|offset| {
            let day = local_day + Duration::days(offset);
            let fire = local_instant(zone, day.and_time(at))?;
            (fire > after).then_some(fire)
        })
    }

    /// The latest digest time at or before `now` and after `since`, if one fell between.
    pub fn due_between(&self, since: DateTime<Utc>, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let mut due = None;
        let mut cursor = since;
        while let Some(next) = self.next_after(cursor) {
            if next > now {
                break;
            }
            due = Some(next);
            cursor = next;
        }
        due
    }
}

/// The UTC instant of a local wall-clock time, moving past a DST gap.
fn local_instant(zone: Tz, local: chrono::NaiveDateTime) -> Option<DateTime<Utc>> {
    (0..=3).find_map(|hours| {
        zone.from_local_datetime(&(local + Duration::hours(hours)))
            .earliest()
            .map(|t| t.with_timezone(&Utc))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn parses_instant_and_daily_forms() {
        assert_eq!("instant".parse::<Schedule>(), Ok(Schedule::Instant));
        let d: Schedule = "22:00 Europe/London".parse().unwrap();
        assert_eq!(d.to_string(), "daily 22:00 Europe/London");
        assert_eq!("daily 22:00 europe/london".parse::<Schedule>(), Ok(d));
        assert!(matches!(
            "25:00 Europe/London".parse::<Schedule>(),
            Err(ScheduleError::Time(_))
        ));
        assert!(matches!(
            "22:00 Mars/Olympus".parse::<Schedule>(),
            Err(ScheduleError::Zone(_))
        ));
        assert_eq!("weekly".parse::<Schedule>(), Err(ScheduleError::Shape));
    }

    #[test]
    fn next_digest_follows_the_zone_and_daylight_saving() {
        let d: Schedule = "22:00 Europe/London".parse().unwrap();
        // Winter: London is UTC.
        assert_eq!(
            d.next_after(utc("2026-11-27T12:00:00Z")),
            Some(utc("2026-11-27T22:00:00Z"))
        );
        assert_eq!(
            d.next_after(utc("2026-11-27T22:00:00Z")),
            Some(utc("2026-11-28T22:00:00Z"))
        );
        // Summer: BST is UTC+1.
        assert_eq!(
            d.next_after(utc("2026-07-01T12:00:00Z")),
            Some(utc("2026-07-01T21:00:00Z"))
        );
        // 01:30 does not exist in London on 2026-03-29 (clocks go 01:00 -> 02:00).
        let gap: Schedule = "01:30 Europe/London".parse().unwrap();
        assert_eq!(
            gap.next_after(utc("2026-03-28T12:00:00Z")),
            Some(utc("2026-03-29T01:30:00Z"))
        );
        assert_eq!(
            Schedule::Instant.next_after(utc("2026-03-28T12:00:00Z")),
            None
        );
    }

    #[test]
    fn due_between_gives_the_latest_missed_time_once() {
        let d: Schedule = "08:00 UTC".parse().unwrap();
        let since = utc("2026-11-20T09:00:00Z");
        assert_eq!(d.due_between(since, utc("2026-11-21T07:59:00Z")), None);
        assert_eq!(
            d.due_between(since, utc("2026-11-24T10:00:00Z")),
            Some(utc("2026-11-24T08:00:00Z"))
        );
    }
}
