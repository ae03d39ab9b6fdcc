//! Result announcements end to end: a feed server on 127.0.0.1 that the test controls,
//! the real serenity client and our poster against the fake Discord, subscriptions made
//! with the slash commands, and a manual clock for digests.

mod support;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use support::fake_discord::{
    self as fake, OptionValue, Scripted, CHANNEL_ID, MANAGE_GUILD, MEMBER_PERMISSIONS,
    OTHER_CHANNEL_ID,
};
use support::feed_server::{self, FeedEntry, FeedServer, Route};
use support::{capture_logs, FakeDiscord, RunningBot, WAIT};
use touchline::announce::{AnnounceSettings, ManualClock};
use touchline::discord::BotSettings;
use touchline::ingest::sources::SourceConfig;
use touchline::state::Ctx;

const FEED: &str = "/feed.xml";

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// A feed item of ours with its whole story as content: one result, one quote.
fn item(guid: &str, home: &str, away: &str, score: (u32, u32), manager: &str) -> FeedEntry {
    let paragraphs = [
        format!(
            "{home} beat {away} {}-{} at home on Wednesday night to lift the mood around the club \
             after a difficult autumn of injuries, draws and long away trips.",
            score.0, score.1
        ),
        format!(
            "\"We kept going until the very end and the supporters carried us,\" said {home} manager {manager}."
        ),
        "The winning side pressed high from the first whistle, forced a string of corners and \
         deserved the points on the balance of chances created over the ninety minutes. The \
         visitors rarely threatened after the break and their manager admitted as much later."
            .to_string(),
    ];
    let refs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
    FeedEntry::new(guid, &format!("{home} beat {away}"))
        .date(day())
        .content(feed_server::paragraphs_html(&refs))
}

/// A bot polling `feed` every second, announcing through the fake, timed by `clock`.
struct Harness {
    fake: FakeDiscord,
    feed: FeedServer,
    clock: ManualClock,
    ctx: Arc<Ctx>,
    bot: RunningBot,
}

async fn harness(entries: &[FeedEntry]) -> Harness {
    capture_logs();
    let fake = FakeDiscord::start().await;
    let feed = FeedServer::start().await;
    feed.set(FEED, Route::rss(feed_server::rss("Test Wire", entries)));
    let clock = ManualClock::new(at("2026-11-26T21:00:00Z"));
    let (ctx, dir) = support::test_ctx_with_clock(Arc::new(clock.clone()));
    let settings = BotSettings {
        announce: AnnounceSettings {
            guild_gap_ms: 20,
            retry_base_ms: 50,
            idle_check_secs: 1,
            ..AnnounceSettings::default()
        },
        sources: vec![SourceConfig {
            name: "test-wire".into(),
            url: Some(feed.url(FEED)),
            dir: None,
            every_secs: 1,
            competition: Some("Premier League".into()),
        }],
        fetch: feed.fetch_config(),
        ..BotSettings::for_api(fake.api_url())
    };
    let bot = RunningBot::start_on(Arc::clone(&ctx), dir, settings);
    assert!(fake.wait_for_session(WAIT).await, "no gateway session");
    Harness {
        fake,
        feed,
        clock,
        ctx,
        bot,
    }
}

impl Harness {
    /// The feed now holds `items` (a poll picks up what is new).
    fn serve(&self, items: &[FeedEntry]) {
        self.feed
            .set(FEED, Route::rss(feed_server::rss("Test Wire", items)));
    }

    async fn admin(&self, command: &str, options: &[(&str, OptionValue<'_>)]) -> Value {
        let sent = self
            .fake
            .send_guild_command(command, options, MANAGE_GUILD)
            .await;
        let cb = self
            .fake
            .wait_for_callback(&sent, WAIT)
            .await
            .expect("a callback");
        cb.body
    }

    async fn subscribe(&self, channel: u64, team: &str, schedule: Option<&str>) {
        let mut options = vec![
            ("channel", OptionValue::Channel(channel)),
            ("team", OptionValue::Str(team)),
        ];
        if let Some(s) = schedule {
            options.push(("schedule", OptionValue::Str(s)));
        }
        let body = self.admin("subscribe", &options).await;
        assert_eq!(body["data"]["embeds"][0]["title"], "Subscribed", "{body}");
        assert_eq!(body["data"]["flags"], 64, "ephemeral: {body}");
    }

    fn reports(&self) -> u64 {
        self.ctx.corpus.lock().unwrap().report_count().unwrap()
    }

    /// Waits until the corpus holds `n` reports (the poller ingested them).
    async fn wait_for_reports(&self, n: u64) {
        let deadline = tokio::time::Instant::now() + WAIT;
        while self.reports() < n {
            assert!(
                tokio::time::Instant::now() < deadline,
                "only {} reports after {WAIT:?}",
                self.reports()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Moves the announcer's clock a second at a time until `n` post attempts were made
    /// (waits are on that clock; moving it in steps also covers a wait set just after a move).
    async fn nudge_until_attempts(&self, n: usize) {
        for _ in 0..60 {
            if self
                .fake
                .wait_for_post_attempts(n, Duration::from_millis(250))
                .await
            {
                return;
            }
            self.clock.advance(chrono::Duration::seconds(1));
        }
        panic!("only {} post attempts", self.fake.post_attempt_count());
    }

    /// Lets the poller fetch the feed `n` more times, so that anything it would wrongly
    /// post has had the chance to be posted.
    async fn let_polls_pass(&self, n: usize) {
        let target = self.feed.hits(FEED) + n;
        let deadline = tokio::time::Instant::now() + WAIT;
        while self.feed.hits(FEED) < target {
            assert!(
                tokio::time::Instant::now() < deadline,
                "the feed is not polled"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // And one announcer pass after the last poll.
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

fn embed(post: &fake::Posted) -> &Value {
    &post.body["embeds"][0]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_feed_item_is_announced_once_to_the_channel_that_follows_the_team() {
    let h = harness(&[item("old-1", "Liverpool", "Everton", (3, 1), "Arne Slot")]).await;
    // The item already in the feed is ingested before anyone subscribes: no backlog posts.
    h.wait_for_reports(1).await;
    h.subscribe(CHANNEL_ID, "liverpool", None).await;
    h.subscribe(OTHER_CHANNEL_ID, "arsenal", None).await;

    h.serve(&[
        item("old-1", "Liverpool", "Everton", (3, 1), "Arne Slot"),
        item("new-2", "Liverpool", "Fulham", (2, 0), "Arne Slot"),
    ]);
    let posts = h.fake.wait_for_posted(CHANNEL_ID, 1, WAIT).await;
    assert_eq!(posts.len(), 1);
    let e = embed(&posts[0]);
    assert_eq!(e["title"], "Full time: Liverpool 2-0 Fulham", "{e}");
    let description = e["description"].as_str().unwrap();
    assert!(description.contains("Premier League"), "{description}");
    assert!(
        description.contains("Arne Slot"),
        "a quoted line: {description}"
    );
    assert_eq!(
        posts[0].body["allowed_mentions"]["parse"],
        serde_json::json!([])
    );
    assert_eq!(posts[0].body["enforce_nonce"], true);
    assert!(posts[0].nonce.as_deref().is_some_and(|n| n.len() <= 25));

    h.let_polls_pass(3).await;
    assert_eq!(h.fake.posted(CHANNEL_ID).len(), 1, "announced twice");
    assert!(
        h.fake.posted(OTHER_CHANNEL_ID).is_empty(),
        "Arsenal's channel got Liverpool news"
    );
    assert_eq!(h.fake.model_errors(), Vec::<String>::new());
    h.bot.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_server_managers_in_a_server_may_subscribe() {
    let h = harness(&[]).await;
    let sent = h
        .fake
        .send_guild_command(
            "subscribe",
            &[
                ("channel", OptionValue::Channel(CHANNEL_ID)),
                ("team", OptionValue::Str("Liverpool")),
            ],
            MEMBER_PERMISSIONS,
        )
        .await;
    let body = h.fake.wait_for_callback(&sent, WAIT).await.unwrap().body;
    assert_eq!(body["data"]["flags"], 64, "{body}");
    assert!(
        body["data"]["embeds"][0]["title"]
            .as_str()
            .unwrap()
            .contains("Manage Server"),
        "{body}"
    );
    let sent = h.fake.send_dm_command("subscriptions", &[]).await;
    let body = h.fake.wait_for_callback(&sent, WAIT).await.unwrap().body;
    assert!(
        body["data"]["embeds"][0]["title"]
            .as_str()
            .unwrap()
            .contains("server only"),
        "{body}"
    );
    assert!(h
        .ctx
        .corpus
        .lock()
        .unwrap()
        .subscriptions_in(fake::GUILD_ID)
        .unwrap()
        .is_empty());

    // A bad schedule is explained, and nothing is stored.
    let body = h
        .admin(
            "subscribe",
            &[
                ("channel", OptionValue::Channel(CHANNEL_ID)),
                ("team", OptionValue::Str("Liverpool")),
                ("schedule", OptionValue::Str("22:00 Mars/Olympus")),
            ],
        )
        .await;
    let hint = body["data"]["embeds"][0]["description"].as_str().unwrap();
    assert!(hint.contains("IANA"), "{body}");
    // The listing shows what is stored; unsubscribing removes it.
    h.subscribe(CHANNEL_ID, "Spurs", Some("22:00 Europe/London"))
        .await;
    let listing = h.admin("subscriptions", &[]).await;
    let text = listing["data"]["embeds"][0]["description"]
        .as_str()
        .unwrap();
    assert!(
        text.contains("Tottenham Hotspur") && text.contains("daily 22:00 Europe/London"),
        "{text}"
    );
    let gone = h
        .admin("unsubscribe", &[("target", OptionValue::Str("spurs"))])
        .await;
    assert_eq!(gone["data"]["embeds"][0]["title"], "Unsubscribed", "{gone}");
    assert!(h
        .ctx
        .corpus
        .lock()
        .unwrap()
        .subscriptions_in(fake::GUILD_ID)
        .unwrap()
        .is_empty());
    h.bot.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_daily_digest_is_posted_when_the_clock_reaches_its_local_time() {
    let h = harness(&[]).await;
    h.subscribe(CHANNEL_ID, "Liverpool", Some("22:00 Europe/London"))
        .await;
    h.serve(&[
        item("d-1", "Liverpool", "Fulham", (2, 0), "Arne Slot"),
        item("d-2", "Liverpool", "Everton", (1, 0), "Arne Slot"),
    ]);
    h.wait_for_reports(2).await;
    h.let_polls_pass(2).await;
    assert!(h.fake.posted(CHANNEL_ID).is_empty(), "posted before 22:00");
    h.clock.set(at("2026-11-26T21:59:59Z"));
    h.let_polls_pass(1).await;
    assert!(h.fake.posted(CHANNEL_ID).is_empty(), "posted before 22:00");

    h.clock.set(at("2026-11-26T22:00:00Z"));
    let posts = h.fake.wait_for_posted(CHANNEL_ID, 1, WAIT).await;
    assert_eq!(posts.len(), 1);
    let e = embed(&posts[0]);
    assert!(
        e["title"]
            .as_str()
            .unwrap()
            .starts_with("Results digest: Liverpool"),
        "{e}"
    );
    let d = e["description"].as_str().unwrap();
    assert!(
        d.contains("Liverpool 2-0 Fulham") && d.contains("Liverpool 1-0 Everton"),
        "{d}"
    );
    h.let_polls_pass(2).await;
    assert_eq!(h.fake.posted(CHANNEL_ID).len(), 1);
    h.bot.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_and_rate_limits_still_deliver_each_result_exactly_once() {
    let h = harness(&[]).await;
    h.subscribe(CHANNEL_ID, "Liverpool", None).await;
    h.fake.script_posts(
        CHANNEL_ID,
        vec![
            Scripted::Status(500),
            Scripted::RateLimited {
                retry_after: 0.6,
                global: false,
            },
            Scripted::Status(502),
        ],
    );
    h.serve(&[item("r-1", "Liverpool", "Fulham", (2, 0), "Arne Slot")]);
    // Waits are on the announcer's clock: each step is let through by moving it.
    let statuses = |h: &Harness| -> Vec<u16> {
        h.fake
            .post_attempts(CHANNEL_ID)
            .iter()
            .map(|a| a.status)
            .collect()
    };
    assert!(h.fake.wait_for_post_attempts(1, WAIT).await);
    h.nudge_until_attempts(2).await;
    // Nothing more while the clock stands still: the 429 asked for 0.6 s.
    h.let_polls_pass(2).await;
    assert_eq!(statuses(&h), vec![500, 429]);
    h.nudge_until_attempts(3).await;
    h.nudge_until_attempts(4).await;
    let posts = h.fake.wait_for_posted(CHANNEL_ID, 1, WAIT).await;
    assert_eq!(posts.len(), 1);
    let attempts = h.fake.post_attempts(CHANNEL_ID);
    assert_eq!(statuses(&h), vec![500, 429, 502, 200]);
    // After each unclear answer (500, 502) the channel was read before posting again.
    assert_eq!(h.fake.reads(CHANNEL_ID), 2);
    // Every attempt carried the same nonce.
    assert!(attempts.iter().all(|a| a.nonce == posts[0].nonce));
    h.let_polls_pass(2).await;
    assert_eq!(h.fake.posted(CHANNEL_ID).len(), 1);
    h.bot.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forbidden_channel_pauses_the_subscription_instead_of_retrying() {
    let h = harness(&[]).await;
    h.subscribe(CHANNEL_ID, "Liverpool", None).await;
    h.fake.set_channel_status(CHANNEL_ID, Some(403));
    h.serve(&[item("f-1", "Liverpool", "Fulham", (2, 0), "Arne Slot")]);
    assert!(h.fake.wait_for_post_attempts(1, WAIT).await);
    h.serve(&[
        item("f-1", "Liverpool", "Fulham", (2, 0), "Arne Slot"),
        item("f-2", "Liverpool", "Everton", (1, 0), "Arne Slot"),
    ]);
    h.wait_for_reports(2).await;
    h.let_polls_pass(3).await;
    assert_eq!(
        h.fake.post_attempts(CHANNEL_ID).len(),
        1,
        "kept posting to a 403 channel"
    );
    let listing = h.admin("subscriptions", &[]).await;
    let text = listing["data"]["embeds"][0]["description"]
        .as_str()
        .unwrap();
    assert!(text.contains("paused") && text.contains("403"), "{text}");
    assert!(
        support::logs().contains("subscription paused"),
        "the pause is logged"
    );
    h.bot.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_feeds_are_logged_retried_and_harm_nothing() {
    let h = harness(&[item("ok-1", "Liverpool", "Everton", (3, 1), "Arne Slot")]).await;
    h.wait_for_reports(1).await;
    let before = h.ctx.corpus.lock().unwrap().counts().unwrap();
    let broken = [
        // Truncated XML.
        Route::rss(
            &feed_server::rss(
                "Test Wire",
                &[item("t-1", "Arsenal", "Chelsea", (2, 0), "Mikel Arteta")],
            )[..300],
        ),
        // A 50 MB body, streamed: cut off at the size cap.
        Route::generated("application/rss+xml", 50 * 1024 * 1024),
        // HTML with no article in it.
        Route::html("<html><body><nav><a href=\"/\">Home</a></nav></body></html>"),
        Route::status(500),
    ];
    for route in broken {
        h.feed.set(FEED, route);
        h.let_polls_pass(1).await;
        // Backoff doubles the wait after each failure; reset it so the next case runs soon.
        h.ctx
            .corpus
            .lock()
            .unwrap()
            .set_source_state("test-wire", &Default::default(), None)
            .unwrap();
    }
    assert_eq!(
        h.ctx.corpus.lock().unwrap().counts().unwrap(),
        before,
        "the corpus changed"
    );
    let logs = support::logs();
    assert!(
        logs.contains("source failed") && logs.contains("test-wire"),
        "failures are logged by source name"
    );
    // Still answering commands, and the feed is picked up again once it is fixed.
    let sent = h.fake.send_command("help", &[]).await;
    assert!(h.fake.wait_for_callback(&sent, WAIT).await.is_some());
    h.serve(&[item("ok-2", "Arsenal", "Chelsea", (2, 0), "Mikel Arteta")]);
    h.wait_for_reports(2).await;
    h.bot.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_channel_waiting_out_a_long_rate_limit_holds_up_no_other_channel() {
    let h = harness(&[]).await;
    h.subscribe(CHANNEL_ID, "Liverpool", None).await;
    h.subscribe(OTHER_CHANNEL_ID, "Arsenal", None).await;
    h.fake.script_posts(
        OTHER_CHANNEL_ID,
        vec![Scripted::RateLimited {
            retry_after: 20.0,
            global: false,
        }],
    );
    h.serve(&[item("w-1", "Arsenal", "Chelsea", (2, 0), "Mikel Arteta")]);
    assert!(h.fake.wait_for_post_attempts(1, WAIT).await);
    // Arsenal's channel waits 20 s; a Liverpool result meanwhile goes out at once.
    h.serve(&[
        item("w-1", "Arsenal", "Chelsea", (2, 0), "Mikel Arteta"),
        item("w-2", "Liverpool", "Fulham", (2, 0), "Arne Slot"),
    ]);
    let reds = h.fake.wait_for_posted(CHANNEL_ID, 1, WAIT).await;
    assert_eq!(
        reds.len(),
        1,
        "{}",
        support::logs()
            .lines()
            .filter(|l| l.contains("touchline"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(h.fake.posted(OTHER_CHANNEL_ID).is_empty());
    assert_eq!(
        h.fake.post_attempts(OTHER_CHANNEL_ID).len(),
        1,
        "no retry yet"
    );
    // Once the 20 s are over on the clock, the Arsenal result is posted, once.
    h.clock.advance(chrono::Duration::seconds(21));
    let gunners = h.fake.wait_for_posted(OTHER_CHANNEL_ID, 1, WAIT).await;
    assert_eq!(gunners.len(), 1);
    assert!(reds[0].at < gunners[0].at);
    h.let_polls_pass(2).await;
    assert_eq!(h.fake.posted(CHANNEL_ID).len(), 1);
    assert_eq!(h.fake.posted(OTHER_CHANNEL_ID).len(), 1);
    h.bot.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_later_report_with_a_corrected_score_edits_the_announcement() {
    let h = harness(&[]).await;
    h.subscribe(CHANNEL_ID, "Liverpool", None).await;
    h.serve(&[item("c-1", "Liverpool", "Fulham", (2, 0), "Arne Slot")]);
    let posts = h.fake.wait_for_posted(CHANNEL_ID, 1, WAIT).await;
    assert_eq!(embed(&posts[0])["title"], "Full time: Liverpool 2-0 Fulham");
    h.serve(&[
        item("c-1", "Liverpool", "Fulham", (2, 0), "Arne Slot"),
        item("c-2", "Liverpool", "Fulham", (3, 0), "Arne Slot"),
    ]);
    h.wait_for_reports(2).await;
    let deadline = tokio::time::Instant::now() + WAIT;
    while h.fake.posted(CHANNEL_ID)[0].edits.is_empty() {
        assert!(tokio::time::Instant::now() < deadline, "never edited");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    h.let_polls_pass(2).await;
    let posts = h.fake.posted(CHANNEL_ID);
    assert_eq!(posts.len(), 1, "a second post instead of an edit");
    assert_eq!(posts[0].edits.len(), 1);
    let shown = &posts[0].current()["embeds"][0];
    assert_eq!(shown["title"], "Full time: Liverpool 3-0 Fulham", "{shown}");
    // The marker survives the edit, so the message is still recognised as this claim's.
    assert_eq!(
        shown["footer"]["text"]
            .as_str()
            .and_then(|f| f.rsplit_once(" · ").map(|(_, m)| m.to_string())),
        embed(&posts[0])["footer"]["text"]
            .as_str()
            .and_then(|f| f.rsplit_once(" · ").map(|(_, m)| m.to_string()))
    );
    let edits = h
        .ctx
        .corpus
        .lock()
        .unwrap()
        .ledger_edits(CHANNEL_ID)
        .unwrap();
    assert_eq!(edits.len(), 1, "{edits:?}");
    assert_eq!(edits[0].message_id, posts[0].id);
    assert_eq!(h.fake.model_errors(), Vec::<String>::new());
    h.bot.stop().await.unwrap();
}
