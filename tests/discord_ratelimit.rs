//! The poster's rate limits against the fake Discord's `X-RateLimit-*` headers and 429s:
//! route buckets by `X-RateLimit-Bucket` and channel, the global limit, and a process's
//! share of it.

mod support;

use std::time::Duration;

use support::fake_discord::{self as fake, Scripted, CHANNEL_ID, OTHER_CHANNEL_ID};
use support::FakeDiscord;
use touchline::announce::{PostError, Poster};
use touchline::discord::poster::DiscordPoster;
use touchline::reply::Reply;

const THIRD_CHANNEL: u64 = 1_100_000_000_000_000_007;

fn poster(fake: &FakeDiscord) -> DiscordPoster {
    DiscordPoster::new(&fake.api_url(), fake::TOKEN).expect("a poster")
}

fn result() -> Reply {
    Reply::answer("Liverpool 2-0 Fulham", "Full time at Anfield.")
}

fn waited(outcome: Result<u64, PostError>) -> Duration {
    match outcome {
        Err(PostError::RateLimited { retry_after }) => retry_after,
        other => panic!("expected RateLimited, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_emptied_bucket_is_waited_out_without_sending_and_holds_up_no_other_channel() {
    let fake = FakeDiscord::start().await;
    fake.enforce_rate_limit(Some((2, Duration::from_secs(60))));
    let poster = poster(&fake);
    let reply = result();
    poster.post(CHANNEL_ID, &reply, "n-1").await.expect("first");
    poster
        .post(CHANNEL_ID, &reply, "n-2")
        .await
        .expect("second");
    // The second answer said `remaining: 0` for a minute: the third is not sent.
    let wait = waited(poster.post(CHANNEL_ID, &reply, "n-3").await);
    assert!(wait > Duration::from_secs(50), "{wait:?}");
    assert_eq!(fake.post_attempts(CHANNEL_ID).len(), 2);
    // The same bucket in another channel is another bucket.
    poster
        .post(OTHER_CHANNEL_ID, &reply, "n-4")
        .await
        .expect("another channel posts");
    assert!(fake
        .post_attempts(CHANNEL_ID)
        .iter()
        .all(|a| a.status == 200));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_global_429_stops_posts_to_every_channel_until_its_retry_after() {
    let fake = FakeDiscord::start().await;
    fake.script_posts(
        CHANNEL_ID,
        vec![Scripted::RateLimited {
            retry_after: 30.0,
            global: true,
        }],
    );
    let poster = poster(&fake);
    let reply = result();
    let first = waited(poster.post(CHANNEL_ID, &reply, "g-1").await);
    assert_eq!(first, Duration::from_secs(30));
    // Another channel, another route: held back here, nothing sent to Discord.
    let other = waited(poster.post(OTHER_CHANNEL_ID, &reply, "g-2").await);
    assert!(other > Duration::from_secs(25), "{other:?}");
    assert!(poster.recent(OTHER_CHANNEL_ID).await.is_err());
    assert_eq!(fake.post_attempt_count(), 1);
    assert_eq!(fake.reads(OTHER_CHANNEL_ID), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_routes_429_goes_back_to_the_announcer_with_its_retry_after() {
    let fake = FakeDiscord::start().await;
    fake.script_posts(
        CHANNEL_ID,
        vec![Scripted::RateLimited {
            retry_after: 20.0,
            global: false,
        }],
    );
    let poster = poster(&fake);
    let reply = result();
    let wait = waited(poster.post(CHANNEL_ID, &reply, "r-1").await);
    assert_eq!(wait, Duration::from_secs(20));
    // The announcer keeps that wait on its own clock (a test's is manual), so the poster
    // sends the retry when asked.
    poster
        .post(CHANNEL_ID, &reply, "r-1")
        .await
        .expect("the retry is sent");
    let statuses: Vec<u16> = fake
        .post_attempts(CHANNEL_ID)
        .iter()
        .map(|a| a.status)
        .collect();
    assert_eq!(statuses, vec![429, 200]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_process_posts_no_more_than_its_share_of_the_global_limit() {
    let fake = FakeDiscord::start().await;
    // One request a second: the second waits its turn, the third would wait two seconds
    // and goes back to the announcer instead of holding the post.
    let poster = poster(&fake).with_global_rate(1);
    let reply = result();
    let (a, b, c) = tokio::join!(
        poster.post(CHANNEL_ID, &reply, "s-1"),
        poster.post(OTHER_CHANNEL_ID, &reply, "s-2"),
        poster.post(THIRD_CHANNEL, &reply, "s-3"),
    );
    assert!(a.is_ok(), "{a:?}");
    assert!(b.is_ok(), "{b:?}");
    let wait = waited(c);
    assert!(wait > Duration::from_secs(1), "{wait:?}");
    assert_eq!(fake.post_attempt_count(), 2);
}
