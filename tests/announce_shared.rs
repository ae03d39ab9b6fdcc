//! Two announcers on one PostgreSQL database, each with its own connection, as two
//! `touchline run` processes have: a channel is posted into by the one holding its lease,
//! so passes run side by side post each claim once; and a holder that dies mid-post
//! (its connection closes) leaves the claim to the other, which finds the post in the
//! channel instead of posting it again. PostgreSQL only: on SQLite one process announces.

mod support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use support::backends::TestDb;
use touchline::announce::poster::{PostFuture, RecentFuture};
use touchline::announce::{
    AnnounceSettings, Announcer, ManualClock, Poster, RecentMessage, Schedule,
};
use touchline::corpus::{NewSubscription, Target};
use touchline::ingest::{extract_report, prepare};
use touchline::reply::Reply;
use touchline::state::Ctx;

const GUILD: u64 = 501;
const REDS: u64 = 601;

/// Discord as the announcers share it: a post takes a while to be made, and may hang
/// after the message is created.
#[derive(Default)]
struct SlowDiscord {
    /// (channel, footer) of every message created.
    made: Mutex<Vec<(u64, String)>>,
    hang_after_create: AtomicBool,
}

impl Poster for SlowDiscord {
    fn post<'a>(&'a self, channel_id: u64, reply: &'a Reply, _nonce: &'a str) -> PostFuture<'a> {
        Box::pin(async move {
            tokio::time::sleep(Duration::from_millis(300)).await;
            let id = {
                let mut made = self.made.lock().unwrap();
                made.push((channel_id, reply.footer.clone().unwrap_or_default()));
                1000 + made.len() as u64 - 1
            };
            if self.hang_after_create.load(Ordering::SeqCst) {
                std::future::pending::<()>().await;
            }
            Ok(id)
        })
    }

    fn edit<'a>(&'a self, _channel: u64, message_id: u64, _reply: &'a Reply) -> PostFuture<'a> {
        Box::pin(async move { Ok(message_id) })
    }

    fn recent(&self, channel_id: u64) -> RecentFuture<'_> {
        Box::pin(async move {
            let made = self.made.lock().unwrap();
            Ok(made
                .iter()
                .enumerate()
                .filter(|(_, (c, _))| *c == channel_id)
                .map(|(i, (_, footer))| RecentMessage {
                    id: 1000 + i as u64,
                    own: true,
                    nonce: None,
                    footers: vec![footer.clone()],
                })
                .collect())
        })
    }
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// One "process": its own connection, context and announcer on the shared database.
fn process(db: &TestDb, clock: &ManualClock, discord: &Arc<SlowDiscord>) -> Announcer {
    let ctx = support::test_ctx_on(db, Arc::new(clock.clone()));
    Announcer::new(
        ctx,
        discord.clone(),
        AnnounceSettings {
            guild_gap_ms: 0,
            ..AnnounceSettings::default()
        },
    )
}

/// A subscription and one new result for it.
fn news(db: &TestDb, now: DateTime<Utc>) {
    let ctx = support::test_ctx_on(db, Arc::new(touchline::announce::SystemClock));
    let new = NewSubscription {
        guild_id: GUILD,
        channel_id: REDS,
        target: Target::Team("Liverpool".into()),
        schedule: Schedule::Instant,
        created_by: None,
    };
    ctx.with_corpus(|c| c.subscribe(&new, now)).unwrap();
    let text = "---\ntitle: Reds win\ndate: 2026-11-26\n---\n\
                Liverpool beat Fulham 2-0 at home on Wednesday night.\n";
    let prepared = prepare(text.to_string(), Some("test".into()), None);
    let extraction = extract_report(&prepared.report, prepared.body_offset, &ctx.teams).unwrap();
    ctx.with_corpus(|c| c.add(&prepared.report, &extraction))
        .unwrap();
}

fn claimed(db: &TestDb) -> u64 {
    let ctx: Ctx = Ctx::new(db.open(), touchline::teams::TeamBook::embedded());
    ctx.with_corpus(|c| c.claimed_count()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passes_side_by_side_post_a_claim_once() {
    let Some(db) = TestDb::postgres("passes_side_by_side_post_a_claim_once") else {
        return;
    };
    let clock = ManualClock::new(at("2026-11-26T21:00:00Z"));
    news(&db, at("2026-11-26T20:00:00Z"));
    let discord = Arc::new(SlowDiscord::default());
    let mut a = process(&db, &clock, &discord);
    let mut b = process(&db, &clock, &discord);
    let (ra, rb) = tokio::join!(a.pass(), b.pass());
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    assert_eq!(ra.claimed + rb.claimed, 1, "{ra:?} {rb:?}");
    assert_eq!(ra.sent + rb.sent, 1, "{ra:?} {rb:?}");
    assert_eq!(discord.made.lock().unwrap().len(), 1, "posted twice");
    // Later passes of either find nothing left.
    let (ra, rb) = tokio::join!(a.pass(), b.pass());
    assert_eq!(ra.unwrap().sent + rb.unwrap().sent, 0);
    assert_eq!(discord.made.lock().unwrap().len(), 1);
    assert_eq!(claimed(&db), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_holder_that_dies_mid_post_leaves_the_claim_to_another_which_posts_nothing_twice() {
    let Some(db) = TestDb::postgres("a_holder_that_dies_mid_post") else {
        return;
    };
    let clock = ManualClock::new(at("2026-11-26T21:00:00Z"));
    news(&db, at("2026-11-26T20:00:00Z"));
    let discord = Arc::new(SlowDiscord::default());
    discord.hang_after_create.store(true, Ordering::SeqCst);
    let mut a = process(&db, &clock, &discord);
    // A creates the message and never hears back; then it dies: its pass is dropped with
    // its connection (and the lease the connection held).
    let cut = tokio::time::timeout(Duration::from_secs(2), a.pass()).await;
    assert!(cut.is_err(), "the post was meant to hang");
    drop(a);
    discord.hang_after_create.store(false, Ordering::SeqCst);
    assert_eq!(discord.made.lock().unwrap().len(), 1);
    // B takes the channel over once the server has let the dead connection's lease go.
    let mut b = process(&db, &clock, &discord);
    let mut sent = 0;
    let mut found = 0;
    for _ in 0..100 {
        let r = b.pass().await.unwrap();
        sent += r.sent;
        found += r.found;
        if sent > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        (sent, found),
        (1, 1),
        "the post was not found in the channel"
    );
    assert_eq!(discord.made.lock().unwrap().len(), 1, "posted twice");
    assert_eq!(claimed(&db), 0);
}
