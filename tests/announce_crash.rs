//! Exactly once through crashes: the real `touchline run` process announces a batch of
//! results from a feed, and is killed with SIGKILL at many points (a post created but
//! never answered, a post lost before Discord created it, at random moments during
//! ingest, claims and posts) and restarted each time. In the end every (channel, result)
//! pair must have been posted exactly once. The fake forgets nonces at once, as Discord
//! does after a few minutes of downtime: a post whose answer was lost must be found by
//! reading the channel back, not by the nonce.

mod support;

use std::collections::BTreeSet;
use std::time::Duration;

use support::crash::{
    delivered, entry, expected, posted, start_bot, subscribe_all, write_config, FIXTURES,
    LEAGUE_CHANNEL,
};
use support::fake_discord::{CHANNEL_ID, OTHER_CHANNEL_ID};
use support::feed_server::{self, FeedEntry, FeedServer, Route};
use support::FakeDiscord;
use touchline::corpus::Corpus;

/// Kills tried before the last, undisturbed run.
const KILLS: usize = 40;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_at_many_points_still_posts_every_result_exactly_once() {
    let fake = FakeDiscord::start().await;
    fake.set_nonce_memory(Duration::ZERO);
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
    let db = dir.path().join("corpus.db");
    let config = write_config(dir.path(), &db, &fake, &feed);
    subscribe_all(&db);
    let log = dir.path().join("bot.log");
    let want = expected();
    let total: usize = want.values().map(BTreeSet::len).sum();

    let mut kills: Vec<String> = Vec::new();
    let mut bot = start_bot(&config, &log);
    for i in 0..KILLS {
        if delivered(&fake) >= total {
            break;
        }
        let point = match i % 5 {
            0 | 2 => {
                // Discord creates the message; the bot never hears back.
                fake.hang_next_create();
                if !fake.wait_for_hanging(1, Duration::from_secs(30)).await {
                    break;
                }
                format!("post created, answer lost ({} posted)", delivered(&fake))
            }
            1 => {
                // The request dies before Discord creates anything.
                fake.hang_next_attempt();
                if !fake.wait_for_hanging(1, Duration::from_secs(30)).await {
                    break;
                }
                format!("post lost before creation ({} posted)", delivered(&fake))
            }
            3 => {
                // Early: start-up, the first feed poll, ingest, claims.
                let ms = fastrand::u64(0..250);
                tokio::time::sleep(Duration::from_millis(ms)).await;
                format!("{ms} ms after start ({} posted)", delivered(&fake))
            }
            _ => {
                // Anywhere: start-up, feed poll, ingest, claim, between post and ledger.
                let ms = fastrand::u64(0..800);
                tokio::time::sleep(Duration::from_millis(ms)).await;
                format!("{ms} ms after start ({} posted)", delivered(&fake))
            }
        };
        bot.kill().expect("SIGKILL the bot");
        bot.wait().unwrap();
        kills.push(point);
        bot = start_bot(&config, &log);
    }

    // The last run is left alone until everything is through, then a little longer.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
    while delivered(&fake) < total && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    bot.kill().ok();
    bot.wait().ok();

    let got = posted(&fake);
    let logs = std::fs::read_to_string(&log).unwrap_or_default();
    eprintln!("{} kill points: {kills:#?}", kills.len());
    assert!(
        kills.len() >= 20,
        "only {} kill points were reached; {} of {total} posted\nlog tail: {}",
        kills.len(),
        delivered(&fake),
        &logs[logs.len().saturating_sub(6_000)..]
    );
    for (channel, titles) in &want {
        let seen = got.get(channel).cloned().unwrap_or_default();
        for title in titles {
            assert_eq!(
                seen.get(title).copied().unwrap_or(0),
                1,
                "channel {channel}: {title:?} posted {} times\nposted: {got:#?}\nlog tail: {}",
                seen.get(title).copied().unwrap_or(0),
                &logs[logs.len().saturating_sub(4_000)..]
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
    let reads = fake.reads(CHANNEL_ID) + fake.reads(OTHER_CHANNEL_ID) + fake.reads(LEAGUE_CHANNEL);
    assert!(
        reads > 0 && logs.contains("an earlier post was found in the channel"),
        "no restart ever found a created post by reading the channel ({reads} reads)"
    );
    // The ledger agrees: nothing left claimed, every announcement sent.
    let corpus = Corpus::open(&db).unwrap();
    assert!(corpus.pending_claims().unwrap().is_empty());
}
