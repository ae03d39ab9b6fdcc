//! What the crash tests share: a batch of results told by a feed, the channels that
//! follow them, and `touchline run` processes configured against the fake Discord.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Child, Command};

use chrono::Utc;

use super::fake_discord::{self as fake, CHANNEL_ID, OTHER_CHANNEL_ID};
use super::feed_server::{self, FeedEntry, FeedServer};
use super::FakeDiscord;
use touchline::announce::Schedule;
use touchline::corpus::{Corpus, NewSubscription, Target};

/// A third channel, following the whole competition.
pub const LEAGUE_CHANNEL: u64 = 1_100_000_000_000_000_010;

/// The batch: each report states one result.
pub const FIXTURES: &[(&str, &str, u32, u32)] = &[
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

pub fn entry(i: usize, (home, away, a, b): (&str, &str, u32, u32)) -> FeedEntry {
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
pub fn expected() -> BTreeMap<u64, BTreeSet<String>> {
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

/// A configuration in `dir` for a bot on the corpus at `db` (a file or a PostgreSQL URL).
pub fn write_config(
    dir: &Path,
    db: &Path,
    fake: &FakeDiscord,
    feed: &FeedServer,
) -> std::path::PathBuf {
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
        db = db.display(),
        api = fake.api_url(),
        feed = feed.url("/feed.xml"),
    );
    std::fs::write(&path, config).unwrap();
    path
}

pub fn subscribe_all(db: &Path) {
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

pub fn start_bot(config: &Path, log: &Path) -> Child {
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
pub fn posted(fake: &FakeDiscord) -> BTreeMap<u64, BTreeMap<String, usize>> {
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

pub fn delivered(fake: &FakeDiscord) -> usize {
    fake.all_posted().len()
}
