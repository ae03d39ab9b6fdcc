//! Announcement throughput with several `touchline run` processes on one PostgreSQL
//! database: `TOUCHLINE_TEST_POSTGRES=postgres://…/postgres cargo bench --bench announce_pg`
//! (release; `scripts/pg-throwaway.sh` starts a server).
//!
//! Two loads, each for 1, 2 and 4 processes on a fresh database: a burst of 500 synthetic
//! reports for 200 channels (100 clubs, two channels each: about 7 posts per channel, so
//! the per-channel buckets set the pace), and 100 reports for 1,000 channels (ten per club:
//! one or two posts per channel, within the buckets, so the processes' own work does).
//! One guild per channel. Every claim is made up front (so every run posts the same
//! announcements); then the processes start and
//! post everything to the fake Discord on 127.0.0.1, which enforces Discord's per-channel
//! bucket of 5 messages per 5 s (the fake does not enforce the global limit). Each channel
//! is served by one process at a time under its lease. Measured: from the processes'
//! start to the last post, and from the first post to the last. The fake, the database
//! and the processes share the machine's cores.

#[path = "../tests/support/mod.rs"]
mod support;

use std::process::Child;
use std::time::{Duration, Instant};

use chrono::Utc;
use support::backends::TestDb;
use support::FakeDiscord;
use touchline::announce::Schedule;
use touchline::corpus::{NewSubscription, Target};
use touchline::ingest::extract_report;
use touchline::teams::TeamBook;

const CLUBS: usize = 100;

/// A load: reports in the burst, channels per club.
#[derive(Clone, Copy)]
struct Load {
    reports: usize,
    copies: u64,
}

/// A database holding the subscriptions, the burst, and every claim; how many claims.
fn prepared(db: &TestDb, load: Load) -> u64 {
    let teams = TeamBook::embedded();
    let mut corpus = db.open();
    let clubs: Vec<String> = teams
        .teams()
        .iter()
        .filter(|t| t.kind == "club")
        .map(|t| t.name.clone())
        .take(CLUBS)
        .collect();
    let mut subs = Vec::new();
    for (i, club) in clubs.iter().enumerate() {
        for copy in 0..load.copies {
            let new = NewSubscription {
                guild_id: 10_000 + i as u64 * load.copies + copy,
                channel_id: 20_000 + i as u64 * load.copies + copy,
                target: Target::Team(club.clone()),
                schedule: Schedule::Instant,
                created_by: None,
            };
            match corpus.subscribe(&new, Utc::now()).unwrap() {
                touchline::corpus::Subscribed::New(s)
                | touchline::corpus::Subscribed::Updated(s) => subs.push(s.id),
            }
        }
    }
    let mut rng = fastrand::Rng::with_seed(7);
    let today = Utc::now().date_naive();
    let batch: Vec<_> = (0..load.reports)
        .map(|n| {
            let text = touchline::bench::synthetic_report(n, &clubs, &mut rng);
            let mut prepared = touchline::ingest::prepare(text, None, None);
            prepared.report.published = Some(today);
            let x = extract_report(&prepared.report, prepared.body_offset, &teams).unwrap();
            (prepared.report, x)
        })
        .collect();
    corpus.add_many(&batch).unwrap();
    let fresh = today - chrono::Duration::days(3);
    for sub in subs {
        corpus
            .claim_new_results(sub, None, fresh, Utc::now())
            .unwrap();
    }
    corpus.claimed_count().unwrap()
}

fn config(dir: &std::path::Path, db: &TestDb, fake: &FakeDiscord) -> std::path::PathBuf {
    let path = dir.join("touchline.toml");
    let text = format!(
        r#"
[corpus]
database = "{db}"

[discord]
api_url = "{api}"

[announce]
guild_gap_ms = 0
idle_check_secs = 1
"#,
        db = db.location().display(),
        api = fake.api_url(),
    );
    std::fs::write(&path, text).unwrap();
    path
}

async fn run(load: Load, processes: usize) {
    let Some(db) = TestDb::postgres("announce_pg bench") else {
        return;
    };
    let total = prepared(&db, load) as usize;
    let fake = FakeDiscord::start().await;
    fake.enforce_rate_limit(Some((
        support::fake_discord::POST_LIMIT,
        support::fake_discord::POST_WINDOW,
    )));
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path(), &db, &fake);
    let started = Instant::now();
    let mut bots: Vec<Child> = (0..processes)
        .map(|i| support::crash::start_bot(&config, &dir.path().join(format!("bot-{i}.log"))))
        .collect();
    let deadline = started + Duration::from_secs(300);
    while fake.all_posted().len() < total && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let elapsed = started.elapsed();
    for bot in &mut bots {
        bot.kill().ok();
        bot.wait().ok();
    }
    let posts = fake.all_posted();
    let first = posts.iter().map(|p| p.at).min();
    let last = posts.iter().map(|p| p.at).max();
    let posting = match (first, last) {
        (Some(a), Some(b)) => b - a,
        _ => Duration::ZERO,
    };
    let mut seen = std::collections::HashSet::new();
    let repeated = posts
        .iter()
        .filter(|p| !seen.insert((p.channel_id, p.body["embeds"][0]["title"].to_string())))
        .count();
    println!(
        "{} channels, {processes} process(es): {} of {total} announcements in {elapsed:.2?} from start = {:.0}/s; \
         first to last post {posting:.2?} = {:.0}/s; repeated posts: {repeated}",
        CLUBS as u64 * load.copies,
        posts.len(),
        posts.len() as f64 / elapsed.as_secs_f64(),
        posts.len() as f64 / posting.as_secs_f64().max(1e-3),
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    if std::env::var("TOUCHLINE_TEST_POSTGRES").is_err() {
        println!("skipped: set TOUCHLINE_TEST_POSTGRES to a PostgreSQL admin URL");
        return;
    }
    let loads = [
        Load {
            reports: 500,
            copies: 2,
        },
        Load {
            reports: 100,
            copies: 10,
        },
    ];
    for load in loads {
        for processes in [1, 2, 4] {
            run(load, processes).await;
        }
    }
}
