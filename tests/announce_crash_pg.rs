//! Exactly once across processes: three real `touchline run` processes share one
//! PostgreSQL database and one fake Discord, and announce a batch of results from a feed
//! while they are SIGKILLed at random (one at a time at random moments, or all three
//! while a post is held unanswered) and restarted each time. Each channel is posted into
//! by the one process holding its lease; a lease dies with its holder, and the next holder
//! reads the channel back before posting a claim the dead one may have posted. In the end
//! every (channel, result) pair was posted exactly once and nothing is left claimed.
//!
//! Needs a PostgreSQL server (`TOUCHLINE_TEST_POSTGRES`); skipped without one unless
//! `TOUCHLINE_REQUIRE_POSTGRES=1`.

mod support;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Child;
use std::time::Duration;

use support::backends::TestDb;
use support::crash::{
    delivered, entry, expected, posted, start_bot, subscribe_all, write_config, FIXTURES,
    LEAGUE_CHANNEL,
};
use support::fake_discord::{CHANNEL_ID, OTHER_CHANNEL_ID};
use support::feed_server::{self, FeedEntry, FeedServer, Route};
use support::FakeDiscord;

/// Processes sharing the database.
const PROCESSES: usize = 3;
/// Kills to reach before the last, undisturbed stretch.
const KILLS: usize = 36;

fn log_of(dir: &Path, slot: usize) -> std::path::PathBuf {
    dir.join(format!("bot-{slot}.log"))
}

fn kill(bot: &mut Child) {
    bot.kill().expect("SIGKILL a bot");
    bot.wait().expect("reap a bot");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_processes_killed_at_random_post_every_result_exactly_once() {
    let Some(db) = TestDb::postgres("three_processes_killed_at_random") else {
        return;
    };
    let fake = FakeDiscord::start().await;
    fake.set_nonce_memory(Duration::ZERO);
    // Discord's per-channel bucket, tight enough that the batch takes a while to post and
    // the kills land while it does.
    fake.enforce_rate_limit(Some((1, Duration::from_millis(700))));
    let feed = FeedServer::start().await;
    let entries: Vec<FeedEntry> = FIXTURES
        .iter()
        .enumerate()
        .map(|(i, f)| entry(i, *f))
        .collect();
    feed.set(
        "/feed.xml",
        Route::rss(feed_server::rss("Crash Wire", &entries)),
    );
    let dir = tempfile::tempdir().unwrap();
    let location = db.location();
    let config = write_config(dir.path(), &location, &fake, &feed);
    subscribe_all(&location);
    let want = expected();
    let total: usize = want.values().map(BTreeSet::len).sum();

    let mut bots: Vec<Child> = (0..PROCESSES)
        .map(|slot| start_bot(&config, &log_of(dir.path(), slot)))
        .collect();
    let mut kills: Vec<String> = Vec::new();
    let mut round = 0;
    while kills.len() < KILLS && delivered(&fake) < total {
        round += 1;
        if round % 5 == 0 {
            // A post is made (or lost) and never answered: whoever sent it dies with the
            // others, holding the channel's lease.
            let created = round % 10 == 0;
            if created {
                fake.hang_next_create();
            } else {
                fake.hang_next_attempt();
            }
            if !fake.wait_for_hanging(1, Duration::from_secs(30)).await {
                break;
            }
            for (slot, bot) in bots.iter_mut().enumerate() {
                kill(bot);
                kills.push(format!(
                    "process {slot}, all killed while a post {} ({} posted)",
                    if created {
                        "was created, unanswered"
                    } else {
                        "was lost before creation"
                    },
                    delivered(&fake)
                ));
            }
            for (slot, bot) in bots.iter_mut().enumerate() {
                *bot = start_bot(&config, &log_of(dir.path(), slot));
            }
        } else {
            let ms = fastrand::u64(50..700);
            tokio::time::sleep(Duration::from_millis(ms)).await;
            let slot = fastrand::usize(..PROCESSES);
            kill(&mut bots[slot]);
            kills.push(format!(
                "process {slot} after {ms} ms ({} posted)",
                delivered(&fake)
            ));
            bots[slot] = start_bot(&config, &log_of(dir.path(), slot));
        }
    }

    // The processes are left alone until everything is through, then a little longer.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    while delivered(&fake) < total && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    for bot in &mut bots {
        kill(bot);
    }

    let got = posted(&fake);
    let logs: Vec<String> = (0..PROCESSES)
        .map(|slot| std::fs::read_to_string(log_of(dir.path(), slot)).unwrap_or_default())
        .collect();
    let tail = |s: &str| s[s.len().saturating_sub(3_000)..].to_string();
    let all_tails: String = logs
        .iter()
        .map(|l| tail(l))
        .collect::<Vec<_>>()
        .join("\n---\n");
    eprintln!(
        "{} kills of {PROCESSES} processes, {total} (channel, result) pairs: {kills:#?}",
        kills.len()
    );
    assert!(
        kills.len() >= 30,
        "only {} kills were reached; {} of {total} posted\nlogs: {all_tails}",
        kills.len(),
        delivered(&fake),
    );
    for (channel, titles) in &want {
        let seen = got.get(channel).cloned().unwrap_or_default();
        for title in titles {
            assert_eq!(
                seen.get(title).copied().unwrap_or(0),
                1,
                "channel {channel}: {title:?} posted {} times\nposted: {got:#?}\nlogs: {all_tails}",
                seen.get(title).copied().unwrap_or(0),
            );
        }
        assert_eq!(
            seen.len(),
            titles.len(),
            "channel {channel} got others: {seen:#?}"
        );
    }
    assert_eq!(
        got.len(),
        want.len(),
        "posts to unexpected channels: {got:#?}"
    );
    let dedup = fake.deduplicated(CHANNEL_ID)
        + fake.deduplicated(OTHER_CHANNEL_ID)
        + fake.deduplicated(LEAGUE_CHANNEL);
    assert_eq!(
        dedup, 0,
        "the fake remembered a nonce it was told to forget"
    );
    // The work was shared: more than one process posted.
    let posting = logs
        .iter()
        .filter(|l| l.contains("announcement posted"))
        .count();
    assert!(
        posting >= 2,
        "only {posting} process posted\nlogs: {all_tails}"
    );
    // A post made by a process that died unanswered was found by another read-back.
    assert!(
        logs.iter()
            .any(|l| l.contains("an earlier post was found in the channel")),
        "no process ever found a created post by reading the channel\nlogs: {all_tails}"
    );
    // The ledger agrees: nothing left claimed.
    let corpus = db.open();
    assert_eq!(corpus.claimed_count().unwrap(), 0);
    assert!(corpus.pending_claims().unwrap().is_empty());
}
