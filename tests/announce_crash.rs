//! Exactly once through crashes: the real `touchline run` process announces a batch of
//! results from a feed, and is killed with SIGKILL at many points (a post created but
//! never answered, a post lost before Discord created it, at random moments during
//! ingest, claims and posts) and restarted each time. In the end every (channel, result)
//! pair must have been posted exactly once. The fake forgets nonces at once, as Discord
//! does after a few minutes of downtime: a post whose answer was lost must be found by
//! reading the channel back, not by the nonce.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Child, Command};
use std::time::Duration;

use chrono::Utc;
use support::fake_discord::{self as fake, CHANNEL_ID, OTHER_CHANNEL_ID};
use support::feed_server::{self, FeedEntry, FeedServer, Route};
use support::FakeDiscord;
use touchline::announce::Schedule;
use touchline::corpus::{Corpus, NewSubscription, Target};

/// A third channel, following the whole competition.
const LEAGUE_CHANNEL: u64 = 1_100_000_000_000_000_010;
/// Kills tried before the last, undisturbed run.
const KILLS: usize = 40;

/// The batch: each report states one result.
const FIXTURES: &[(&str, &str, u32, u32)] = &[
    ("Liverpool", "Fulham", 2, 0),
    ("Arsenal", "Chelsea", 1, 0),
    ("Brentford", "Everton", 3, 1),
    ("Aston Villa", "Liverpool", 2, 1),
    ("Arsenal", "Brighton & Hove Albion", 3, 0),
    ("Newcastle United", "West Ham United", 2, 0),
    ("Liverpool", "Crystal Palace", 1, 0),
    ("Tottenham Hotspur", "Arsenal", 2, 1),
    ("Manchester City", "Manchester United", 3, 2),
    ("Liverpool", "Nottingham Forest", 3, 1),
    ("Arsenal", "Bournemouth", 2, 0),
    ("Chelsea", "Fulham", 1, 0),
    ("Liverpool", "Brentford", 2, 1),
    ("Arsenal", "Everton", 1, 0),
    ("Brighton & Hove Albion", "Newcastle United", 2, 1),
    ("Liverpool", "West Ham United", 3, 0),
    ("Crystal Palace", "Bournemouth", 2, 1),
    ("Arsenal", "Aston Villa", 4, 1),
];

fn entry(i: usize, (home, away, a, b): (&str, &str, u32, u32)) -> FeedEntry {
    let paragraphs = [
        format!(
            "{home} beat {away} {a}-{b} at home to keep their season moving in the right \
             direction after a demanding run of fixtures in league and cup."
        ),
        format!("\"That was a performance built on hard work from everyone,\" said {home} manager Sam Ordell."),
        "The hosts controlled the ball for long spells, created the better chances and \
         defended their penalty area well whenever the visitors broke forward on the counter. \
         The crowd stayed long after the final whistle to applaud the players."
            .to_string(),
        "Both sides now turn their attention to the next round of fixtures, with a short \
         turnaround before another demanding away trip and a squad that is still missing \
         several senior players through injury and suspension."
            .to_string(),
    ];
    let refs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
    FeedEntry::new(&format!("crash-{i}"), &format!("{home} beat {away}"))
        .date(Utc::now().date_naive())
        .content(feed_server::paragraphs_html(&refs))
}

/// Which channel must get which result titles.
fn expected() -> BTreeMap<u64, BTreeSet<String>> {
    let mut out: BTreeMap<u64, BTreeSet<String>> = BTreeMap::new();
    for (home, away, a, b) in FIXTURES {
        let title = format!("Full time: {home} {a}-{b} {away}");
        out.entry(LEAGUE_CHANNEL).or_default().insert(title.clone());
        if *home == "Liverpool" || *away == "Liverpool" {
            out.entry(CHANNEL_ID).or_default().insert(title.clone());
        }
        if *home == "Arsenal" || *away == "Arsenal" {
            out.entry(OTHER_CHANNEL_ID).or_default().insert(title);
        }
    }
    out
}

fn write_config(dir: &Path, fake: &FakeDiscord, feed: &FeedServer) -> std::path::PathBuf {
    let path = dir.join("touchline.toml");
    let config = format!(
        r#"
[corpus]
database = "{db}"

[discord]
api_url = "{api}"

[fetch]
allow_private = ["127.0.0.1"]
timeout_secs = 5

[announce]
guild_gap_ms = 10
retry_base_ms = 50
idle_check_secs = 1

[[sources]]
name = "crash-wire"
url = "{feed}"
every_secs = 1
competition = "Premier League"
"#,
        db = dir.join("corpus.db").display(),
        api = fake.api_url(),
        feed = feed.url("/feed.xml"),
    );
    std::fs::write(&path, config).unwrap();
    path
}

fn subscribe_all(db: &Path) {
    let mut corpus = Corpus::open(db).unwrap();
    for (channel, target) in [
        (CHANNEL_ID, Target::Team("Liverpool".into())),
        (OTHER_CHANNEL_ID, Target::Team("Arsenal".into())),
        (LEAGUE_CHANNEL, Target::Competition("Premier League".into())),
    ] {
        let new = NewSubscription {
            guild_id: fake::GUILD_ID,
            channel_id: channel,
            target,
            schedule: Schedule::Instant,
            created_by: None,
        };
        corpus.subscribe(&new, Utc::now()).unwrap();
    }
}

fn start_bot(config: &Path, log: &Path) -> Child {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap();
    Command::new(env!("CARGO_BIN_EXE_touchline"))
        .args(["--config", &config.to_string_lossy(), "run"])
        .env("DISCORD_TOKEN", fake::TOKEN)
        .env("RUST_LOG", "info,serenity=warn")
        .env_remove("TOUCHLINE_DISCORD_API")
        .env_remove("TOUCHLINE_DB")
        .stdout(log.try_clone().unwrap())
        .stderr(log.try_clone().unwrap())
        .spawn()
        .expect("start touchline run")
}

/// Titles posted per channel, with how often each was posted.
fn posted(fake: &FakeDiscord) -> BTreeMap<u64, BTreeMap<String, usize>> {
    let mut out: BTreeMap<u64, BTreeMap<String, usize>> = BTreeMap::new();
    for p in fake.all_posted() {
        let title = p.body["embeds"][0]["title"]
            .as_str()
            .unwrap_or("")
            .to_string();
        *out.entry(p.channel_id)
            .or_default()
            .entry(title)
            .or_default() += 1;
    }
    out
}

fn delivered(fake: &FakeDiscord) -> usize {
    fake.all_posted().len()
}

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
    let config = write_config(dir.path(), &fake, &feed);
    let db = dir.path().join("corpus.db");
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
