//! Announcement throughput: a burst of new results fanned out to many subscriptions and
//! posted through the real poster to the fake Discord on 127.0.0.1.
//!
//! `cargo bench --bench announce` (release). 2,000 synthetic reports arrive at once for
//! 400 subscriptions (200 clubs in two channels each, one per guild); the figures are the
//! claim step (ledger writes) and the posts (compose, HTTP, ledger update), with the
//! per-guild gap set to zero. The fake runs in the same process on the same two cores.

#[path = "../tests/support/mod.rs"]
mod support;

use std::sync::Arc;
use std::time::Instant;

use chrono::Utc;
use support::FakeDiscord;
use touchline::announce::{AnnounceSettings, Announcer, Schedule};
use touchline::corpus::{NewSubscription, Target};
use touchline::discord::poster::DiscordPoster;
use touchline::ingest::extract_report;

const REPORTS: usize = 2_000;
const CLUBS: usize = 200;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let fake = FakeDiscord::start().await;
    let (ctx, _dir) = support::test_ctx();
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

    let poster = DiscordPoster::new(&fake.api_url(), support::fake_discord::TOKEN).unwrap();
    let mut announcer = Announcer::new(
        Arc::clone(&ctx),
        Arc::new(poster),
        AnnounceSettings {
            guild_gap_ms: 0,
            ..AnnounceSettings::default()
        },
    );
    let started = Instant::now();
    let report = announcer.pass().await.unwrap();
    let elapsed = started.elapsed();
    let posted = fake.all_posted().len();
    println!(
        "{REPORTS} reports, {} subscriptions: {} claimed, {} sent, {posted} messages at the fake",
        CLUBS * 2,
        report.claimed,
        report.sent
    );
    println!(
        "pass {:.2?}: {:.0} announcements/s end to end (claim, compose, HTTP, ledger)",
        elapsed,
        report.sent as f64 / elapsed.as_secs_f64()
    );
    let again = Instant::now();
    let idle = announcer.pass().await.unwrap();
    println!(
        "a pass with nothing new: {:.2?} ({} claimed, {} sent)",
        again.elapsed(),
        idle.claimed,
        idle.sent
    );
    if let Some(mib) = touchline::bench::peak_memory_mib() {
        println!("peak memory {mib:.0} MiB");
    }
}
