//! Getting reports in: a folder source polled by `SourcePoller`, `touchline ingest URL`
//! (the real binary against a feed server on 127.0.0.1) and `/ingest` over Discord (the
//! real serenity client against the fake). Real SQLite files in temporary folders.
//!
//! Every report here is invented for these tests.

mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use serde_json::Value;
use support::backends::TestDb;
use support::fake_discord::{OptionValue, MANAGE_GUILD, MEMBER_PERMISSIONS};
use support::feed_server::{self, FeedEntry, FeedServer, Route};
use support::{FakeDiscord, RunningBot, WAIT};
use touchline::config::IngestConfig;
use touchline::corpus::{Corpus, Counts, SourceState};
use touchline::discord::BotSettings;
use touchline::ingest::fetch::{FetchConfig, Fetcher};
use touchline::ingest::sources::{SourceConfig, SourcePoller, Stored};
use touchline::state::Ctx;
use touchline::teams::TeamBook;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

/// A short report file the extractor reads well: one result, one attributed quote.
fn report_file(title: &str, home: &str, away: &str, score: (u32, u32), manager: &str) -> String {
    format!(
        "---\ntitle: {title}\ndate: 2026-11-26\n---\n\
         {home} beat {away} {}-{} at home on Wednesday night.\n\n\
         \"We were patient and the goals came,\" said {home} manager {manager}.\n",
        score.0, score.1
    )
}

/// The paragraphs of a web report: long enough (80 words and more) to be taken from a
/// feed item's own content without fetching its page.
fn web_paragraphs(home: &str, away: &str, score: (u32, u32), manager: &str) -> Vec<String> {
    vec![
        format!(
            "{home} beat {away} {}-{} at home on Wednesday night, a win that lifts the mood \
             around the club after a grey autumn of injuries, draws and long away trips.",
            score.0, score.1
        ),
        format!(
            "\"We were patient and the goals came in the end,\" said {home} manager {manager}."
        ),
        "The home side pressed from the first whistle, won a string of corners and deserved \
         the points on the balance of chances created across the ninety minutes, while the \
         visitors rarely threatened after the break and admitted as much afterwards."
            .to_string(),
    ]
}

fn feed_item(guid: &str, home: &str, away: &str, score: (u32, u32), manager: &str) -> FeedEntry {
    let paragraphs = web_paragraphs(home, away, score, manager);
    let refs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
    FeedEntry::new(guid, &format!("{home} beat {away}"))
        .date(day())
        .content(feed_server::paragraphs_html(&refs))
}

fn article(home: &str, away: &str, score: (u32, u32), manager: &str) -> String {
    let paragraphs = web_paragraphs(home, away, score, manager);
    let refs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
    feed_server::article_page(&format!("{home} beat {away}"), Some(day()), &refs)
}

/// Two invented results in one RSS feed.
fn two_item_feed() -> String {
    feed_server::rss(
        "Touchline Test Wire",
        &[
            feed_item("wire-1", "Liverpool", "Everton", (3, 1), "Arne Slot"),
            feed_item("wire-2", "Brentford", "Fulham", (2, 0), "Keith Andrews"),
        ],
    )
}

fn counts(ctx: &Ctx) -> Counts {
    ctx.corpus.lock().unwrap().counts().unwrap()
}

// ---------------------------------------------------------------------------------------
// 1. Folder sources
// ---------------------------------------------------------------------------------------

fn folder_source(dir: &Path) -> SourceConfig {
    SourceConfig {
        name: "drop-folder".into(),
        url: None,
        dir: Some(dir.to_path_buf()),
        every_secs: 60,
        competition: Some("Premier League".into()),
    }
}

/// A poller on `db` whose fetcher is never used (folder sources only).
fn folder_poller(db: &TestDb) -> (Arc<Ctx>, SourcePoller) {
    let ctx = support::test_ctx_on(db, Arc::new(touchline::announce::SystemClock));
    let poller = SourcePoller::new(
        Arc::clone(&ctx),
        &FetchConfig::default(),
        IngestConfig::default(),
    )
    .unwrap();
    (ctx, poller)
}

fn refused_paths(stored: &Stored) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = stored.refused.iter().map(|(k, _)| k.into()).collect();
    paths.sort();
    paths
}

async fn a_folder_source_ingests_new_files_once_and_reports_bad_files_once(db: &TestDb) {
    let (ctx, poller) = folder_poller(db);
    let folder = tempfile::tempdir().unwrap();
    let drop = folder.path();
    std::fs::write(
        drop.join("a-liverpool.md"),
        report_file(
            "Liverpool beat Everton",
            "Liverpool",
            "Everton",
            (3, 1),
            "Arne Slot",
        ),
    )
    .unwrap();
    std::fs::write(
        drop.join("b-brentford.txt"),
        report_file(
            "Brentford beat Fulham",
            "Brentford",
            "Fulham",
            (2, 0),
            "Keith Andrews",
        ),
    )
    .unwrap();
    std::fs::write(drop.join("c-empty.md"), "").unwrap();
    std::fs::write(
        drop.join("d-binary.txt"),
        b"\x00\x01\x02PK\x03\x04\x00\x00binary\x00junk\xff\xfe\x00".as_slice(),
    )
    .unwrap();
    // Not a report extension: never looked at.
    std::fs::write(drop.join("notes.json"), "{}").unwrap();
    let source = folder_source(drop);
    let state = SourceState::default();

    let first = poller.poll(&source, &state).await.unwrap();
    assert_eq!(first.added, 2, "{first:?}");
    assert_eq!(first.duplicates, 0, "{first:?}");
    assert_eq!(
        refused_paths(&first),
        vec![drop.join("c-empty.md"), drop.join("d-binary.txt")],
        "{first:?}"
    );
    let why: Vec<&str> = first.refused.iter().map(|(_, w)| w.as_str()).collect();
    assert!(why.iter().any(|w| w.contains("empty")), "{why:?}");
    assert!(why.iter().any(|w| w.contains("binary")), "{why:?}");
    let mut titles = first.titles.clone();
    titles.sort();
    assert_eq!(titles, ["Brentford beat Fulham", "Liverpool beat Everton"]);
    let after_first = counts(&ctx);
    assert_eq!(after_first.reports, 2, "{after_first:?}");
    assert_eq!(after_first.results, 2, "{after_first:?}");
    assert_eq!(after_first.quotes, 2, "{after_first:?}");

    // Nothing changed: nothing added, and the bad files are not reported again.
    let second = poller.poll(&source, &state).await.unwrap();
    assert_eq!(second, Stored::default(), "{second:?}");
    assert_eq!(counts(&ctx), after_first);

    // A new file arrives; only it is read.
    std::fs::write(
        drop.join("e-leeds.md"),
        report_file(
            "Leeds United beat Burnley",
            "Leeds United",
            "Burnley",
            (1, 0),
            "Daniel Farke",
        ),
    )
    .unwrap();
    let third = poller.poll(&source, &state).await.unwrap();
    assert_eq!(third.added, 1, "{third:?}");
    assert_eq!(third.titles, ["Leeds United beat Burnley"]);
    assert!(third.refused.is_empty(), "reported again: {third:?}");
    let after_third = counts(&ctx);
    assert_eq!(after_third.reports, 3, "{after_third:?}");
    assert_eq!(after_third.results, 3, "{after_third:?}");
    assert_eq!(after_third.quotes, 3, "{after_third:?}");

    // And a quiet folder stays quiet.
    let fourth = poller.poll(&source, &state).await.unwrap();
    assert_eq!(fourth, Stored::default(), "{fourth:?}");
}

async fn a_copied_file_is_a_duplicate_and_a_fixed_bad_file_is_read_again(db: &TestDb) {
    let (ctx, poller) = folder_poller(db);
    let folder = tempfile::tempdir().unwrap();
    let drop = folder.path();
    let text = report_file(
        "Liverpool beat Everton",
        "Liverpool",
        "Everton",
        (3, 1),
        "Arne Slot",
    );
    std::fs::write(drop.join("a.md"), &text).unwrap();
    std::fs::write(drop.join("b.md"), "").unwrap();
    let source = folder_source(drop);
    let state = SourceState::default();

    let first = poller.poll(&source, &state).await.unwrap();
    assert_eq!((first.added, first.refused.len()), (1, 1), "{first:?}");

    // The same report under a second name: stored once, counted as a duplicate.
    std::fs::write(drop.join("a-copy.md"), &text).unwrap();
    let second = poller.poll(&source, &state).await.unwrap();
    assert_eq!((second.added, second.duplicates), (0, 1), "{second:?}");
    assert!(second.refused.is_empty(), "{second:?}");
    assert_eq!(counts(&ctx).reports, 1);

    // The empty file gets its text (new size): it is read again and goes in.
    std::fs::write(
        drop.join("b.md"),
        report_file(
            "Arsenal beat Chelsea",
            "Arsenal",
            "Chelsea",
            (2, 1),
            "Mikel Arteta",
        ),
    )
    .unwrap();
    let third = poller.poll(&source, &state).await.unwrap();
    assert_eq!(third.added, 1, "{third:?}");
    assert_eq!(third.titles, ["Arsenal beat Chelsea"]);
    let c = counts(&ctx);
    assert_eq!((c.reports, c.results, c.quotes), (2, 2, 2), "{c:?}");
}

async fn a_missing_folder_fails_the_poll_by_name(db: &TestDb) {
    let (_ctx, poller) = folder_poller(db);
    let folder = tempfile::tempdir().unwrap();
    let source = folder_source(&folder.path().join("not-there"));
    let err = poller
        .poll(&source, &SourceState::default())
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("drop-folder") && err.contains("not a folder"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------
// 2. `touchline ingest URL`, the real binary
// ---------------------------------------------------------------------------------------

/// A temporary working folder with a config file pointing the corpus at a temp database.
struct CliHome {
    dir: tempfile::TempDir,
}

impl CliHome {
    fn new(allow_loopback: bool) -> CliHome {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("corpus.db");
        let mut config = format!(
            "[corpus]\ndatabase = \"{}\"\n\n[fetch]\ntimeout_secs = 5\n",
            db.display().to_string().replace('\\', "\\\\")
        );
        if allow_loopback {
            config.push_str("allow_private = [\"127.0.0.1\"]\n");
        }
        std::fs::write(dir.path().join("touchline.toml"), config).unwrap();
        CliHome { dir }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("corpus.db")
    }

    /// Runs `touchline ingest ARGS...` in the home folder, off the async threads so the
    /// feed server keeps answering.
    async fn ingest(&self, args: &[&str]) -> Run {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_touchline"));
        cmd.current_dir(self.dir.path())
            .env_remove("TOUCHLINE_DB")
            .env_remove("TOUCHLINE_CONFIG")
            .env_remove("TOUCHLINE_DISCORD_API")
            .arg("--config")
            .arg(self.dir.path().join("touchline.toml"))
            .arg("ingest")
            .args(args);
        let out = tokio::task::spawn_blocking(move || cmd.output().expect("run touchline"))
            .await
            .unwrap();
        Run {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    fn counts(&self) -> Counts {
        Corpus::open(&self.db()).unwrap().counts().unwrap()
    }
}

#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_ingests_a_feed_once_and_an_article_page() {
    let server = FeedServer::start().await;
    server.set("/feed.xml", Route::rss(two_item_feed()));
    server.set(
        "/news/arsenal-chelsea",
        Route::html(article("Arsenal", "Chelsea", (2, 1), "Mikel Arteta")),
    );
    let home = CliHome::new(true);
    let feed = server.url("/feed.xml");

    let run = home.ingest(&[&feed]).await;
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(
        run.stdout.trim(),
        format!("{feed}: added 2 report(s), 0 already stored"),
        "{run:?}"
    );
    assert_eq!(server.hits("/feed.xml"), 1);
    let c = home.counts();
    assert_eq!((c.reports, c.results, c.quotes), (2, 2, 2), "{c:?}");

    // Again: the feed is read, nothing new goes in, and that is not a failure.
    let run = home.ingest(&[&feed]).await;
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(
        run.stdout.contains("added 0 report(s), 2 already stored"),
        "{run:?}"
    );
    assert_eq!(home.counts().reports, 2);

    // An article page is one report.
    let page = server.url("/news/arsenal-chelsea");
    let run = home.ingest(&[&page]).await;
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(
        run.stdout.trim(),
        format!("{page}: added 1 report(s), 0 already stored"),
        "{run:?}"
    );
    let c = home.counts();
    assert_eq!((c.reports, c.results), (3, 3), "{c:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_page_exits_2_with_one_line_and_keeps_what_was_stored() {
    let server = FeedServer::start().await;
    server.set("/feed.xml", Route::rss(two_item_feed()));
    server.set("/gone", Route::status(404));
    let home = CliHome::new(true);
    let feed = server.url("/feed.xml");
    let gone = server.url("/gone");
    assert_eq!(home.ingest(&[&feed]).await.code, Some(0));
    assert_eq!(home.counts().reports, 2);

    let run = home.ingest(&[&gone]).await;
    assert_eq!(run.code, Some(2), "{run:?}");
    assert_eq!(run.stderr.trim().lines().count(), 1, "{run:?}");
    assert!(
        run.stderr.starts_with("touchline: ") && run.stderr.contains(&gone),
        "{run:?}"
    );
    assert!(run.stderr.contains("404"), "{run:?}");
    assert_eq!(server.hits("/gone"), 1);
    assert_eq!(home.counts().reports, 2, "earlier reports must stay");

    // A good and a bad URL together: the good one is stored, the run still exits 2.
    server.set(
        "/news/arsenal-chelsea",
        Route::html(article("Arsenal", "Chelsea", (2, 1), "Mikel Arteta")),
    );
    let page = server.url("/news/arsenal-chelsea");
    let run = home.ingest(&[&page, &gone]).await;
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stdout.contains(&format!("{page}: added 1 report(s)")),
        "{run:?}"
    );
    assert!(run.stderr.contains(&gone), "{run:?}");
    assert_eq!(home.counts().reports, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_allow_private_the_cli_refuses_loopback_and_never_connects() {
    let server = FeedServer::start().await;
    server.set("/feed.xml", Route::rss(two_item_feed()));
    let home = CliHome::new(false);
    let feed = server.url("/feed.xml");

    let run = home.ingest(&[&feed]).await;
    assert_eq!(run.code, Some(2), "{run:?}");
    assert_eq!(run.stderr.trim().lines().count(), 1, "{run:?}");
    let line = run.stderr.to_lowercase();
    assert!(line.contains(&feed), "{run:?}");
    assert!(
        line.contains("refused") && (line.contains("loopback") || line.contains("private")),
        "{run:?}"
    );
    assert_eq!(
        server.hits("/feed.xml"),
        0,
        "the guard let a request through"
    );
    assert_eq!(home.counts().reports, 0);
}

// ---------------------------------------------------------------------------------------
// 3. `/ingest` over Discord
// ---------------------------------------------------------------------------------------

/// A context on a temp corpus whose `/ingest` fetches with `fetch`.
fn ctx_fetching_with(fetch: Option<&FetchConfig>) -> (Arc<Ctx>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = Corpus::open(&dir.path().join("corpus.db")).unwrap();
    let ctx = Ctx::new(corpus, TeamBook::embedded());
    let ctx = match fetch {
        Some(cfg) => ctx.with_web(Fetcher::new(cfg).unwrap(), IngestConfig::default()),
        None => ctx,
    };
    (Arc::new(ctx), dir)
}

/// The real client against the fake, on `ctx`. Commands are answered directly (never
/// deferred) so the first callback carries the reply.
async fn bot_on(ctx: &Arc<Ctx>, dir: tempfile::TempDir) -> (FakeDiscord, RunningBot) {
    let fake = FakeDiscord::start().await;
    let settings = BotSettings {
        answer_within: WAIT,
        ..BotSettings::for_api(fake.api_url())
    };
    let bot = RunningBot::start_on(Arc::clone(ctx), dir, settings);
    assert!(fake.wait_for_session(WAIT).await, "no gateway session");
    (fake, bot)
}

/// `/ingest url:<url>` by a member holding `permissions`; the callback's body.
async fn slash_ingest(fake: &FakeDiscord, url: &str, permissions: u64) -> Value {
    let sent = fake
        .send_guild_command("ingest", &[("url", OptionValue::Str(url))], permissions)
        .await;
    fake.wait_for_callback(&sent, WAIT)
        .await
        .expect("a callback")
        .body
}

fn title(body: &Value) -> &str {
    body["data"]["embeds"][0]["title"].as_str().unwrap_or("")
}

fn description(body: &Value) -> &str {
    body["data"]["embeds"][0]["description"]
        .as_str()
        .unwrap_or("")
}

fn report_count(ctx: &Ctx) -> u64 {
    ctx.corpus.lock().unwrap().report_count().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_manager_ingests_a_feed_with_slash_ingest() {
    let server = FeedServer::start().await;
    server.set("/feed.xml", Route::rss(two_item_feed()));
    let (ctx, dir) = ctx_fetching_with(Some(&server.fetch_config()));
    let (fake, bot) = bot_on(&ctx, dir).await;
    let feed = server.url("/feed.xml");

    let body = slash_ingest(&fake, &feed, MANAGE_GUILD).await;
    assert_eq!(body["type"], 4, "answered directly: {body}");
    assert_eq!(title(&body), "Added 2 reports", "{body}");
    assert_eq!(body["data"]["flags"], 64, "ephemeral: {body}");
    let listed = description(&body);
    assert!(
        listed.contains("Liverpool beat Everton") && listed.contains("Brentford beat Fulham"),
        "{body}"
    );
    assert_eq!(server.hits("/feed.xml"), 1);
    let c = counts(&ctx);
    assert_eq!((c.reports, c.results, c.quotes), (2, 2, 2), "{c:?}");

    // The same feed again: nothing new, and the reply says the reports are already there.
    let body = slash_ingest(&fake, &feed, MANAGE_GUILD).await;
    assert_eq!(title(&body), "Nothing new added", "{body}");
    assert!(description(&body).contains("2 already stored"), "{body}");
    assert_eq!(body["data"]["flags"], 64, "{body}");
    assert_eq!(report_count(&ctx), 2);

    // An article page is one report.
    server.set(
        "/news/arsenal-chelsea",
        Route::html(article("Arsenal", "Chelsea", (2, 1), "Mikel Arteta")),
    );
    let body = slash_ingest(&fake, &server.url("/news/arsenal-chelsea"), MANAGE_GUILD).await;
    assert_eq!(title(&body), "Added 1 report", "{body}");
    assert_eq!(report_count(&ctx), 3);

    // A page that is not there is explained to the asker alone, and nothing changes.
    server.set("/gone", Route::status(404));
    let body = slash_ingest(&fake, &server.url("/gone"), MANAGE_GUILD).await;
    assert_eq!(title(&body), "I couldn't add that page", "{body}");
    assert!(description(&body).contains("404"), "{body}");
    assert_eq!(body["data"]["flags"], 64, "{body}");
    assert_eq!(report_count(&ctx), 3);
    assert_eq!(fake.model_errors(), Vec::<String>::new());
    bot.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_without_manage_server_cannot_ingest_and_nothing_is_fetched() {
    let server = FeedServer::start().await;
    server.set("/feed.xml", Route::rss(two_item_feed()));
    let (ctx, dir) = ctx_fetching_with(Some(&server.fetch_config()));
    let (fake, bot) = bot_on(&ctx, dir).await;

    let body = slash_ingest(&fake, &server.url("/feed.xml"), MEMBER_PERMISSIONS).await;
    assert!(title(&body).contains("Manage Server"), "{body}");
    assert_eq!(body["data"]["flags"], 64, "ephemeral: {body}");
    assert_eq!(
        server.hits("/feed.xml"),
        0,
        "a refused caller made the bot fetch"
    );
    assert_eq!(report_count(&ctx), 0);
    bot.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_default_fetch_settings_slash_ingest_refuses_loopback() {
    let server = FeedServer::start().await;
    server.set("/feed.xml", Route::rss(two_item_feed()));
    let (ctx, dir) = ctx_fetching_with(None);
    let (fake, bot) = bot_on(&ctx, dir).await;
    let feed = server.url("/feed.xml");

    let body = slash_ingest(&fake, &feed, MANAGE_GUILD).await;
    assert_eq!(title(&body), "I couldn't add that page", "{body}");
    assert_eq!(body["data"]["flags"], 64, "ephemeral: {body}");
    let why = description(&body).to_lowercase();
    assert!(
        why.contains("refused") && (why.contains("loopback") || why.contains("private")),
        "{body}"
    );
    // Not a web address at all is explained too, before any fetch.
    let body = slash_ingest(&fake, "file:///etc/passwd", MANAGE_GUILD).await;
    assert_eq!(title(&body), "That is not a web address", "{body}");
    assert_eq!(body["data"]["flags"], 64, "{body}");

    assert_eq!(
        server.hits("/feed.xml"),
        0,
        "the guard let a request through"
    );
    assert_eq!(report_count(&ctx), 0);
    bot.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn loopback_in_disguise_is_refused_too() {
    let server = FeedServer::start().await;
    server.set("/feed.xml", Route::rss(two_item_feed()));
    let home = CliHome::new(false);
    let port = server.port();
    for host in [
        "localhost".to_string(),
        "127.1".to_string(),
        "2130706433".to_string(),
        "0x7f000001".to_string(),
        "[::ffff:127.0.0.1]".to_string(),
    ] {
        let url = format!("http://{host}:{port}/feed.xml");
        let run = home.ingest(&[&url]).await;
        assert_eq!(run.code, Some(2), "{url}: {run:?}");
        let line = run.stderr.to_lowercase();
        assert!(
            line.contains("refused") && (line.contains("loopback") || line.contains("private")),
            "{url}: {run:?}"
        );
    }
    assert_eq!(
        server.hits("/feed.xml"),
        0,
        "the guard let a request through"
    );
    assert_eq!(home.counts().reports, 0);
}

/// A feed with one whole report and one teaser whose article page is gone.
fn half_broken_feed(server: &FeedServer) -> String {
    feed_server::rss(
        "Touchline Test Wire",
        &[
            feed_item("wire-1", "Liverpool", "Everton", (3, 1), "Arne Slot"),
            FeedEntry::new("wire-3", "Spurs beat Villa")
                .date(day())
                .summary("<p>Spurs beat Villa. Read on.</p>")
                .link(server.url("/news/missing")),
        ],
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feed_item_that_cannot_be_read_is_named_by_the_cli_and_retried() {
    let server = FeedServer::start().await;
    server.set("/feed.xml", Route::rss(half_broken_feed(&server)));
    let home = CliHome::new(true);
    let feed = server.url("/feed.xml");

    // What was readable goes in; the refused item makes the run exit 2 and is named.
    let run = home.ingest(&[&feed]).await;
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr.contains(&format!("{feed}: added 1 report(s)"))
            && run.stderr.contains("refused wire-3")
            && run.stderr.contains("404"),
        "{run:?}"
    );
    assert_eq!(home.counts().reports, 1);
    assert_eq!(server.hits("/news/missing"), 1);

    // Next time the good item is already stored and the bad one is tried again: nothing
    // was added and something was refused, so the run fails.
    let run = home.ingest(&[&feed]).await;
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr.contains("1 already stored") && run.stderr.contains("refused wire-3"),
        "{run:?}"
    );
    assert_eq!(server.hits("/news/missing"), 2);

    // Once the page is up the item goes in.
    server.set(
        "/news/missing",
        Route::html(article(
            "Tottenham Hotspur",
            "Aston Villa",
            (2, 2),
            "Thomas Frank",
        )),
    );
    let run = home.ingest(&[&feed]).await;
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(
        run.stdout.contains("added 1 report(s), 1 already stored"),
        "{run:?}"
    );
    assert_eq!(home.counts().reports, 2);
}

/// README: "The command exits 2 when something was refused." A feed with one good and
/// one unreadable item stores the good one and exits 2, as a batch of files does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_feed_item_makes_the_cli_exit_2_like_a_refused_file() {
    let server = FeedServer::start().await;
    server.set("/feed.xml", Route::rss(half_broken_feed(&server)));
    let home = CliHome::new(true);
    let run = home.ingest(&[&server.url("/feed.xml")]).await;
    assert_eq!(home.counts().reports, 1);
    assert_eq!(run.code, Some(2), "an item was refused: {run:?}");
}

/// The folder poller knows a file by path, size and modification time (nanoseconds), so
/// an edit that keeps the size and lands in the same second (an editor saving twice, a
/// corrected score) is read again. Here both writes are put half a second apart.
async fn a_same_size_edit_within_a_second_is_read_again(db: &TestDb) {
    let (ctx, poller) = folder_poller(db);
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("late.md");
    let second = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_795_000_000);
    let write = |score: (u32, u32), offset_ms: u64| {
        let text = report_file("Late drama", "Liverpool", "Everton", score, "Arne Slot");
        std::fs::write(&path, text).unwrap();
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(second + std::time::Duration::from_millis(offset_ms))
            .unwrap();
    };
    let source = folder_source(folder.path());
    write((3, 1), 100);
    let first = poller.poll(&source, &SourceState::default()).await.unwrap();
    assert_eq!(first.added, 1, "{first:?}");
    // The score is corrected: same length, same second.
    write((3, 2), 600);
    let second_poll = poller.poll(&source, &SourceState::default()).await.unwrap();
    assert_eq!(
        second_poll.added, 1,
        "the edit was not read: {second_poll:?}"
    );
    assert_eq!(counts(&ctx).reports, 2);
}

on_both_backends! {
    sync: []
    async: [
        a_folder_source_ingests_new_files_once_and_reports_bad_files_once,
        a_copied_file_is_a_duplicate_and_a_fixed_bad_file_is_read_again,
        a_missing_folder_fails_the_poll_by_name,
        a_same_size_edit_within_a_second_is_read_again,
    ]
}
