//! What the two storage backends must agree on beyond the corpus API of `corpus_store.rs`:
//! source state, leases between processes, claims made at once from two connections, the
//! schema version, and calls made from inside a tokio runtime (the synchronous PostgreSQL
//! client must never run its own runtime on a tokio thread). Each test runs on both.

mod support;

use std::sync::{Arc, Barrier};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use support::backends::TestDb;
use touchline::announce::Schedule;
use touchline::corpus::{Corpus, CorpusError, NewReport, NewSubscription, SourceState, Target};
use touchline::extract::{Extraction, MatchResult};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn source_state_and_items_round_trip(db: &TestDb) {
    let mut c = db.open();
    assert_eq!(c.source_state("wire").unwrap(), SourceState::default());
    let failed = SourceState {
        etag: Some("\"v1\"".into()),
        last_modified: Some("Wed, 25 Nov 2026 10:00:00 GMT".into()),
        failures: 3,
        last_error: Some("503 from the feed".into()),
        next_attempt: Some(at("2026-11-26T21:05:00Z")),
    };
    c.set_source_state("wire", &failed, None).unwrap();
    assert_eq!(c.source_state("wire").unwrap(), failed);
    let ok = SourceState {
        etag: Some("\"v2\"".into()),
        ..SourceState::default()
    };
    c.set_source_state("wire", &ok, Some(at("2026-11-26T21:06:00Z")))
        .unwrap();
    assert_eq!(c.source_state("wire").unwrap(), ok);
    assert_eq!(c.source_state("other").unwrap(), SourceState::default());

    assert!(!c.source_has_item("wire", "guid-1").unwrap());
    let now = at("2026-11-26T21:06:00Z");
    c.record_source_item("wire", "guid-1", Some(7), now)
        .unwrap();
    // Recording it again is harmless.
    c.record_source_item("wire", "guid-1", None, now).unwrap();
    assert!(c.source_has_item("wire", "guid-1").unwrap());
    assert!(!c.source_has_item("other", "guid-1").unwrap());
    // Kept across a reopen.
    drop(c);
    assert!(db.open().source_has_item("wire", "guid-1").unwrap());
}

/// Waits (bounded) for `f` to hold: the server frees a dead connection's locks a moment
/// after the connection closes.
fn eventually(mut f: impl FnMut() -> bool) -> bool {
    for _ in 0..100 {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

fn a_lease_has_one_holder_and_dies_with_it(db: &TestDb) {
    let a = db.open();
    let b = db.open();
    const CHANNEL: u64 = 1_100_000_000_000_000_001;
    assert!(a.try_lease_channel(CHANNEL).unwrap());
    assert!(a.try_lease_source("wire").unwrap());
    if !b.shares_work() {
        // SQLite: one process announces; every lease is granted.
        assert!(b.try_lease_channel(CHANNEL).unwrap());
        assert!(b.try_lease_source("wire").unwrap());
        return;
    }
    assert!(!b.try_lease_channel(CHANNEL).unwrap(), "two holders");
    assert!(!b.try_lease_source("wire").unwrap(), "two holders");
    // Other channels and sources are free.
    assert!(b.try_lease_channel(CHANNEL + 1).unwrap());
    assert!(b.try_lease_source("other").unwrap());
    a.release_channel(CHANNEL).unwrap();
    assert!(b.try_lease_channel(CHANNEL).unwrap());
    assert!(!a.try_lease_channel(CHANNEL).unwrap());
    // A holder that goes away (its connection closes, as when a process is killed) leaves
    // nothing held.
    drop(a);
    assert!(
        eventually(|| b.try_lease_source("wire").unwrap()),
        "the source lease outlived its holder"
    );
    b.release_channel(CHANNEL).unwrap();
    let c = db.open();
    assert!(c.try_lease_channel(CHANNEL).unwrap());
}

fn result_report(i: u32) -> (NewReport, Extraction) {
    let text = format!("Liverpool beat Side {i} 2-{} on Wednesday.", i % 2);
    let e = Extraction {
        results: vec![MatchResult {
            end: text.len(),
            competition: Some("Premier League".into()),
            date: NaiveDate::from_ymd_opt(2026, 11, 25),
            ..MatchResult::score("Liverpool", &format!("Side {i}"), [2, i % 2], false)
        }],
        ..Extraction::default()
    };
    let report = NewReport {
        text,
        title: Some(format!("Report {i}")),
        published: NaiveDate::from_ymd_opt(2026, 11, 26),
        ..NewReport::default()
    };
    (report, e)
}

fn claims_made_at_once_from_two_connections_claim_each_match_once(db: &TestDb) {
    const CHANNEL: u64 = 700;
    let now = at("2026-11-26T21:00:00Z");
    let mut setup = db.open();
    let mut subs = Vec::new();
    for target in [
        Target::Team("Liverpool".into()),
        Target::Competition("Premier League".into()),
    ] {
        let new = NewSubscription {
            guild_id: 1,
            channel_id: CHANNEL,
            target,
            schedule: Schedule::Instant,
            created_by: None,
        };
        subs.push(match setup.subscribe(&new, now).unwrap() {
            touchline::corpus::Subscribed::New(s) | touchline::corpus::Subscribed::Updated(s) => {
                s.id
            }
        });
    }
    let items: Vec<_> = (0..20).map(result_report).collect();
    setup.add_many(&items).unwrap();
    let fresh = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    // Two processes' connections claim both subscriptions at the same moment.
    let start = Arc::new(Barrier::new(2));
    let claimed: Vec<usize> = std::thread::scope(|scope| {
        let workers: Vec<_> = [subs.clone(), subs.iter().rev().copied().collect()]
            .into_iter()
            .map(|order: Vec<i64>| {
                let start = Arc::clone(&start);
                scope.spawn(move || {
                    let mut c = db.open();
                    start.wait();
                    order
                        .iter()
                        .map(|&sub| c.claim_new_results(sub, None, fresh, now).unwrap().new)
                        .sum::<usize>()
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let pending = setup.pending_claims().unwrap();
    assert_eq!(pending.len(), 20, "each match once in the channel");
    assert_eq!(claimed.iter().sum::<usize>(), 20, "{claimed:?}");
    let mut results: Vec<i64> = pending.iter().map(|c| c.result_id).collect();
    results.dedup();
    assert_eq!(results.len(), 20);
    assert_eq!(setup.claimed_count().unwrap(), 20);
}

fn a_newer_schema_is_refused_and_the_current_one_opened_again(db: &TestDb) {
    drop(db.open());
    // Opening again migrates nothing and keeps the data.
    let mut c = db.open();
    c.add(&result_report(1).0, &result_report(1).1).unwrap();
    drop(c);
    assert_eq!(db.open().report_count().unwrap(), 1);
    db.raw_sql(match db.kind() {
        "postgres" => "UPDATE touchline_schema SET version = 99",
        _ => "PRAGMA user_version = 99",
    });
    let err = Corpus::open(&db.location()).err().expect("refused");
    assert!(
        matches!(err, CorpusError::TooNew { found: 99, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("newer"), "{err}");
}

async fn the_corpus_answers_on_tokio_threads(db: &TestDb) {
    let mut c = db.open();
    // Straight from an async task on a worker thread of the multi-thread runtime.
    c.add(&result_report(3).0, &result_report(3).1).unwrap();
    assert_eq!(c.report_count().unwrap(), 1);
    let c = Arc::new(std::sync::Mutex::new(c));
    // From spawned tasks, on whichever worker runs them.
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let c = Arc::clone(&c);
            tokio::spawn(async move { c.lock().unwrap().results_for("liverpool", 5).unwrap() })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap().len(), 1);
    }
    // And inside a current-thread runtime (as `#[tokio::test]` and small tools use).
    let location = db.location();
    let count = std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async move { Corpus::open(&location).unwrap().report_count().unwrap() })
    })
    .join()
    .unwrap();
    assert_eq!(count, 1);
}

on_both_backends! {
    sync: [
        source_state_and_items_round_trip,
        a_lease_has_one_holder_and_dies_with_it,
        claims_made_at_once_from_two_connections_claim_each_match_once,
        a_newer_schema_is_refused_and_the_current_one_opened_again,
    ]
    async: [the_corpus_answers_on_tokio_threads]
}
