//! Announcement throughput: a burst of new results fanned out to many subscriptions and
//! posted through the real poster to the fake Discord on 127.0.0.1.
//!
//! `cargo bench --bench announce` (release). 1,000 synthetic reports arrive at once for
//! 400 subscriptions (200 clubs in two channels each, one per guild), per-guild gap zero.
//! First the announcer alone (claims, composing, ledger; posts discarded), then through
//! HTTP to the fake Discord, whose per-channel buckets (5 per 5 s, as Discord's) and the
//! poster's share of the global limit (50 requests/s by default, as Discord's per bot) set
//! the pace: a channel whose bucket is empty is set aside and the passes go on until every
//! claim is sent. Last, the same burst with one channel answered 429 `retry_after` 20 s:
//! the time until every other channel is served shows that the wait holds up no one else.
//! The fake runs in the same process on the same two cores.

#[path = "../tests/support/mod.rs"]
mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use support::FakeDiscord;
use touchline::announce::poster::{PostFuture, RecentFuture};
use touchline::announce::{AnnounceSettings, Announcer, Poster, Schedule};
use touchline::corpus::{NewSubscription, Target};
use touchline::discord::poster::DiscordPoster;
use touchline::ingest::extract_report;
use touchline::reply::Reply;

const REPORTS: usize = 1_000;
const CLUBS: usize = 200;

/// Discards posts: what the announcer itself costs (claims, composing, the ledger).
struct NullPoster(std::sync::atomic::AtomicU64);

impl Poster for NullPoster {
    fn post<'a>(&'a self, _channel: u64, _reply: &'a Reply, _nonce: &'a str) -> PostFuture<'a> {
        let id = self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Box::pin(async move { Ok(id) })
    }

    fn edit<'a>(&'a self, _channel: u64, message: u64, _reply: &'a Reply) -> PostFuture<'a> {
        Box::pin(async move { Ok(message) })
    }

    fn recent(&self, _channel: u64) -> RecentFuture<'_> {
        Box::pin(async { Ok(Vec::new()) })
    }
}

/// A corpus holding the subscriptions, then the burst of reports.
fn burst() -> (Arc<touchline::state::Ctx>, tempfile::TempDir) {
    let (ctx, dir) = support::test_ctx();
    let clubs: Vec<String> = ctx
        .teams
        .teams()
        .iter()
        .filter(|t| t.kind == "club")
        .map(|t| t.name.clone())
        .take(CLUBS)
        .collect();
    for (i, club) in clubs.iter().enumerate() {
        for copy in 0..2u64 {
            let new = NewSubscription {
                guild_id: 10_000 + i as u64 * 2 + copy,
                channel_id: 20_000 + i as u64 * 2 + copy,
                target: Target::Team(club.clone()),
                schedule: Schedule::Instant,
                created_by: None,
            };
            ctx.corpus
                .lock()
                .unwrap()
                .subscribe(&new, Utc::now())
                .unwrap();
        }
    }
    let mut rng = fastrand::Rng::with_seed(7);
    let today = Utc::now().date_naive();
    let batch: Vec<_> = (0..REPORTS)
        .map(|n| {
            let text = touchline::bench::synthetic_report(n, &clubs, &mut rng);
            let mut prepared = touchline::ingest::prepare(text, None, None);
            prepared.report.published = Some(today);
            let x = extract_report(&prepared.report, prepared.body_offset, &ctx.teams).unwrap();
            (prepared.report, x)
        })
        .collect();
    ctx.corpus.lock().unwrap().add_many(&batch).unwrap();
    (ctx, dir)
}

/// Passes until nothing is left but channels waiting past `patience`; returns the total
/// sent and the time it took.
async fn drain(announcer: &mut Announcer, patience: Duration) -> (usize, usize, Duration) {
    let started = Instant::now();
    let (mut claimed, mut sent) = (0, 0);
    loop {
        let report = announcer.pass().await.unwrap();
        claimed += report.claimed;
        sent += report.sent;
        let Some(at) = announcer.next_retry() else {
            break;
        };
        let wait = (at - Utc::now()).to_std().unwrap_or_default();
        if wait > patience {
            break;
        }
        tokio::time::sleep(wait).await;
    }
    (claimed, sent, started.elapsed())
}

fn announcer(ctx: Arc<touchline::state::Ctx>, poster: Arc<dyn Poster>) -> Announcer {
    Announcer::new(
        ctx,
        poster,
        AnnounceSettings {
            guild_gap_ms: 0,
            ..AnnounceSettings::default()
        },
    )
}

async fn measure(label: &str, ctx: Arc<touchline::state::Ctx>, poster: Arc<dyn Poster>) {
    let mut announcer = announcer(ctx, poster);
    let (claimed, sent, elapsed) = drain(&mut announcer, Duration::from_secs(60)).await;
    println!(
        "{label}: {REPORTS} reports, {} subscriptions: {claimed} claimed, {sent} sent in {elapsed:.2?} = {:.0} announcements/s",
        CLUBS * 2,
        sent as f64 / elapsed.as_secs_f64()
    );
    let again = Instant::now();
    let idle = announcer.pass().await.unwrap();
    println!(
        "{label}: a pass with nothing new: {:.2?} ({} claimed, {} sent)",
        again.elapsed(),
        idle.claimed,
        idle.sent
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let (ctx, _dir) = burst();
    measure(
        "announcer alone (posts discarded)",
        ctx,
        Arc::new(NullPoster(Default::default())),
    )
    .await;

    // Through HTTP to the fake, which answers with Discord's per-channel bucket of 5
    // messages per 5 s (X-RateLimit-Remaining/Reset-After), obeyed by the poster.
    let fake = FakeDiscord::start().await;
    let (ctx, _dir) = burst();
    let poster = DiscordPoster::new(&fake.api_url(), support::fake_discord::TOKEN).unwrap();
    measure("through the fake Discord", ctx, Arc::new(poster)).await;
    println!("messages at the fake: {}", fake.all_posted().len());

    // One channel answered 429 with retry_after 20 s: the others are served meanwhile.
    let fake = FakeDiscord::start().await;
    let (ctx, _dir) = burst();
    let slow = 20_000;
    fake.script_posts(
        slow,
        vec![support::fake_discord::Scripted::RateLimited {
            retry_after: 20.0,
            global: false,
        }],
    );
    let poster = DiscordPoster::new(&fake.api_url(), support::fake_discord::TOKEN).unwrap();
    let mut a = announcer(ctx, Arc::new(poster));
    let (_, sent, elapsed) = drain(&mut a, Duration::from_secs(5)).await;
    println!(
        "one channel answered 429 retry_after 20 s: {sent} sent in {elapsed:.2?} in all, \
         the waiting channel's {} among them",
        fake.posted(slow).len()
    );
    if let Some(mib) = touchline::bench::peak_memory_mib() {
        println!("peak memory {mib:.0} MiB");
    }
}
