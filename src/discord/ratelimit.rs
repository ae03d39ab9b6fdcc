//! Discord's rate limits as the poster keeps them: the bot's global limit (about 50
//! requests per second, shared by every process of the bot, so each gets a share) and the
//! per-route buckets Discord names in `X-RateLimit-Bucket`.
//!
//! The global share is paced ahead of time (a GCRA: one request every 1/rate seconds, with
//! a burst of one second's worth), because Discord's answers do not say how much of it is
//! left. A bucket is known from the answers: `X-RateLimit-Remaining` and
//! `X-RateLimit-Reset-After` say when an emptied one refills; until then a request on it
//! is refused here, without being sent. A 429 with `global` stops every request until its
//! `retry_after`. Everything takes `now` as an argument, so it is tested without waiting.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use reqwest::header::HeaderMap;
use tokio::time::Instant;

/// A global wait up to this long is slept through; a longer one is reported, so the
/// announcer sets the post aside instead of holding it.
pub const MAX_GLOBAL_SLEEP: Duration = Duration::from_secs(1);

/// Longest wait taken from Discord's headers (a broken header must not stop posting for days).
const MAX_WAIT: Duration = Duration::from_secs(3_600);

/// One route, as Discord buckets it: the method and path pattern, and its major parameter
/// (the channel id for channel routes).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Route {
    pub pattern: &'static str,
    pub major: u64,
}

/// What an answer said about the limits.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Observed {
    /// `X-RateLimit-Bucket`.
    pub bucket: Option<String>,
    /// `X-RateLimit-Remaining`.
    pub remaining: Option<f64>,
    /// `X-RateLimit-Reset-After`, seconds.
    pub reset_after: Option<f64>,
    /// A 429: how long to wait (body `retry_after`, else `Retry-After`), seconds.
    pub retry_after: Option<f64>,
    /// A 429 of the global limit (body `global`, or `X-RateLimit-Global`).
    pub global: bool,
}

impl Observed {
    /// Reads the rate-limit headers, and for a 429 its body's `retry_after` and `global`.
    pub fn from_answer(
        status: u16,
        headers: &HeaderMap,
        body_retry_after: Option<f64>,
        body_global: bool,
    ) -> Observed {
        let text = |name: &str| headers.get(name)?.to_str().ok().map(str::trim);
        let number = |name: &str| text(name)?.parse::<f64>().ok().filter(|n| n.is_finite());
        let limited = status == 429;
        Observed {
            bucket: text("x-ratelimit-bucket").map(str::to_string),
            remaining: number("x-ratelimit-remaining"),
            reset_after: number("x-ratelimit-reset-after"),
            retry_after: limited
                .then(|| body_retry_after.or_else(|| number("retry-after")))
                .flatten(),
            global: limited && (body_global || text("x-ratelimit-global") == Some("true")),
        }
    }
}

/// The limits one process keeps; shared by all its posting tasks.
pub struct RateLimits {
    state: Mutex<State>,
}

struct State {
    /// Time between two requests of this process's share.
    interval: Duration,
    /// How far ahead of `now` requests may be booked (the burst).
    burst: Duration,
    /// When the next request would go if none had gone before it (GCRA's theoretical
    /// arrival time); the past means unused capacity up to `burst`.
    next_at: Option<Instant>,
    /// Set by a global 429: nothing goes before it.
    blocked_until: Option<Instant>,
    /// The bucket Discord named for each route pattern.
    bucket_of: HashMap<&'static str, String>,
    /// Per (bucket, major parameter): requests left and when it refills.
    buckets: HashMap<(String, u64), Bucket>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    remaining: u32,
    resets_at: Instant,
}

/// Why a request may not go now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// The route's bucket is empty until then.
    Bucket(Duration),
    /// The global limit (a global 429, or this process's share booked far ahead).
    Global(Duration),
}

impl Wait {
    /// How long.
    pub fn duration(self) -> Duration {
        match self {
            Wait::Bucket(d) | Wait::Global(d) => d,
        }
    }
}

impl RateLimits {
    /// Limits for a process allowed `per_sec` requests a second of the bot's global limit.
    pub fn new(per_sec: u32) -> RateLimits {
        let per_sec = per_sec.max(1);
        let interval = Duration::from_secs(1) / per_sec;
        RateLimits {
            state: Mutex::new(State {
                interval,
                // A second's worth at once, then one per interval.
                burst: interval * (per_sec - 1),
                next_at: None,
                blocked_until: None,
                bucket_of: HashMap::new(),
                buckets: HashMap::new(),
            }),
        }
    }

    /// Books a request on `route` at `now`: `Ok(wait)` to sleep before sending (zero most
    /// of the time, at most [`MAX_GLOBAL_SLEEP`]), or `Err` when it should not be sent yet
    /// (nothing is booked then).
    pub fn reserve(&self, route: &Route, now: Instant) -> Result<Duration, Wait> {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(until) = s.blocked_until {
            if until > now {
                return Err(Wait::Global(until - now));
            }
            s.blocked_until = None;
        }
        let key = s
            .bucket_of
            .get(route.pattern)
            .map(|b| (b.clone(), route.major));
        if let Some(bucket) = key.as_ref().and_then(|k| s.buckets.get(k)) {
            if bucket.remaining == 0 && bucket.resets_at > now {
                return Err(Wait::Bucket(bucket.resets_at - now));
            }
        }
        let arrival = s.next_at.map_or(now, |t| t.max(now));
        let allowed_at = arrival.checked_sub(s.burst).unwrap_or(now).max(now);
        let wait = allowed_at - now;
        if wait > MAX_GLOBAL_SLEEP {
            return Err(Wait::Global(wait));
        }
        s.next_at = Some(arrival + s.interval);
        if let Some(k) = key {
            if let Some(bucket) = s.buckets.get_mut(&k) {
                if bucket.resets_at <= now {
                    // Refilled: the next answer says by how much.
                    s.buckets.remove(&k);
                } else {
                    // Counted before the answer, so concurrent requests do not all go.
                    bucket.remaining = bucket.remaining.saturating_sub(1);
                }
            }
        }
        Ok(wait)
    }

    /// Learns from an answer on `route` received at `now`.
    pub fn observe(&self, route: &Route, seen: &Observed, now: Instant) {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if seen.global {
            let wait = seconds(seen.retry_after.unwrap_or(1.0));
            let until = now + wait;
            s.blocked_until = Some(s.blocked_until.map_or(until, |b| b.max(until)));
            return;
        }
        if let Some(bucket) = &seen.bucket {
            s.bucket_of.insert(route.pattern, bucket.clone());
        }
        let Some(bucket) = s.bucket_of.get(route.pattern).cloned() else {
            return;
        };
        let key = (bucket, route.major);
        let (remaining, reset_after) = match seen.retry_after {
            // A 429 on the route: empty until its retry_after.
            Some(retry) => (0.0, Some(retry)),
            // An answer without the headers (a proxy's or a server error's) tells nothing.
            None if seen.remaining.is_none() && seen.reset_after.is_none() => return,
            None => (seen.remaining.unwrap_or(1.0), seen.reset_after),
        };
        match reset_after {
            Some(after) => {
                s.buckets.insert(
                    key,
                    Bucket {
                        remaining: remaining.clamp(0.0, u32::MAX as f64) as u32,
                        resets_at: now + seconds(after),
                    },
                );
            }
            None => {
                s.buckets.remove(&key);
            }
        }
    }
}

fn seconds(s: f64) -> Duration {
    Duration::from_secs_f64(s.clamp(0.0, MAX_WAIT.as_secs_f64()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const POST: Route = Route {
        pattern: "POST /channels/{id}/messages",
        major: 1,
    };

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn answer(bucket: &str, remaining: f64, reset_after: f64) -> Observed {
        Observed {
            bucket: Some(bucket.into()),
            remaining: Some(remaining),
            reset_after: Some(reset_after),
            ..Observed::default()
        }
    }

    #[test]
    fn a_share_allows_a_seconds_burst_then_paces_at_its_rate() {
        let limits = RateLimits::new(5);
        let t0 = Instant::now();
        for _ in 0..5 {
            assert_eq!(limits.reserve(&POST, t0), Ok(Duration::ZERO));
        }
        // The sixth of this second waits one interval (200 ms), the seventh two.
        assert_eq!(limits.reserve(&POST, t0), Ok(ms(200)));
        assert_eq!(limits.reserve(&POST, t0), Ok(ms(400)));
        // A second later the burst is back, less what was booked ahead.
        let t1 = t0 + ms(1_400);
        assert_eq!(limits.reserve(&POST, t1), Ok(Duration::ZERO));
    }

    #[test]
    fn a_share_booked_far_ahead_is_refused_without_booking() {
        let limits = RateLimits::new(1);
        let t0 = Instant::now();
        assert_eq!(limits.reserve(&POST, t0), Ok(Duration::ZERO));
        assert_eq!(limits.reserve(&POST, t0), Ok(ms(1_000)));
        assert_eq!(limits.reserve(&POST, t0), Err(Wait::Global(ms(2_000))));
        // The refusal booked nothing: a moment later the wait is what it was.
        assert_eq!(limits.reserve(&POST, t0 + ms(1_000)), Ok(ms(1_000)),);
    }

    #[test]
    fn an_emptied_bucket_refuses_its_route_and_major_until_it_resets() {
        let limits = RateLimits::new(50);
        let t0 = Instant::now();
        limits.reserve(&POST, t0).unwrap();
        limits.observe(&POST, &answer("abc", 0.0, 2.0), t0);
        assert_eq!(
            limits.reserve(&POST, t0 + ms(500)),
            Err(Wait::Bucket(ms(1_500)))
        );
        // Another channel (major parameter) has its own bucket.
        let other = Route { major: 2, ..POST };
        assert_eq!(limits.reserve(&other, t0), Ok(Duration::ZERO));
        // After the reset the route goes again.
        assert_eq!(limits.reserve(&POST, t0 + ms(2_000)), Ok(Duration::ZERO));
    }

    #[test]
    fn requests_are_counted_against_a_bucket_before_their_answers() {
        let limits = RateLimits::new(50);
        let t0 = Instant::now();
        limits.observe(&POST, &answer("abc", 2.0, 5.0), t0);
        assert!(limits.reserve(&POST, t0).is_ok());
        assert!(limits.reserve(&POST, t0).is_ok());
        assert_eq!(limits.reserve(&POST, t0), Err(Wait::Bucket(ms(5_000))));
    }

    #[test]
    fn a_429_empties_the_bucket_and_a_global_one_stops_every_route() {
        let limits = RateLimits::new(50);
        let t0 = Instant::now();
        limits.observe(&POST, &answer("abc", 3.0, 5.0), t0);
        let limited = Observed {
            bucket: Some("abc".into()),
            retry_after: Some(0.75),
            ..Observed::default()
        };
        limits.observe(&POST, &limited, t0);
        assert_eq!(limits.reserve(&POST, t0), Err(Wait::Bucket(ms(750))));

        let global = Observed {
            retry_after: Some(3.0),
            global: true,
            ..Observed::default()
        };
        limits.observe(&POST, &global, t0 + ms(1_000));
        let edit = Route {
            pattern: "PATCH /channels/{id}/messages/{m}",
            major: 9,
        };
        assert_eq!(
            limits.reserve(&edit, t0 + ms(2_000)),
            Err(Wait::Global(ms(2_000)))
        );
        assert_eq!(limits.reserve(&edit, t0 + ms(4_000)), Ok(Duration::ZERO));
    }

    #[test]
    fn headers_and_429_bodies_are_read() {
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-bucket", "b1".parse().unwrap());
        headers.insert("x-ratelimit-remaining", "0".parse().unwrap());
        headers.insert("x-ratelimit-reset-after", "1.250".parse().unwrap());
        headers.insert("retry-after", "2".parse().unwrap());
        headers.insert("x-ratelimit-global", "true".parse().unwrap());
        let ok = Observed::from_answer(200, &headers, None, false);
        assert_eq!(ok.bucket.as_deref(), Some("b1"));
        assert_eq!((ok.remaining, ok.reset_after), (Some(0.0), Some(1.25)));
        assert_eq!((ok.retry_after, ok.global), (None, false));
        let limited = Observed::from_answer(429, &headers, Some(0.5), false);
        assert_eq!((limited.retry_after, limited.global), (Some(0.5), true));
        let header_only = Observed::from_answer(429, &HeaderMap::new(), None, true);
        assert_eq!((header_only.retry_after, header_only.global), (None, true));
    }
}
