//! The bot's own latency through the fake Discord on 127.0.0.1, with the real serenity client:
//! from the INTERACTION_CREATE frame written to the callback request received.
//!
//! `cargo bench --bench bot_latency` (release). Sequential latency over 1,000 commands, then
//! throughput with 100 commands in flight. The fake runs in the same process and on the
//! same cores, so the figures are an upper bound on the bot's own share.

#[path = "../tests/support/mod.rs"]
mod support;

use support::latency::summary;

use std::sync::Arc;
use std::time::{Duration, Instant};

use support::{FakeDiscord, RunningBot, WAIT};

const SEQUENTIAL: usize = 1_000;
const IN_FLIGHT: usize = 100;
const CONCURRENT: usize = 5_000;
const WARM_UP: usize = 50;

/// Sends /help and returns the time from its frame to its callback.
async fn one(fake: &FakeDiscord) -> Duration {
    let sent = fake.send_command("help", &[]).await;
    let callback = fake
        .wait_for_callback(&sent, WAIT)
        .await
        .unwrap_or_else(|| panic!("no callback for interaction {}", sent.id));
    assert_eq!(callback.callback_type(), Some(4));
    let sent_at = fake.sent_at(sent.id).expect("frame time");
    callback.at.saturating_duration_since(sent_at)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        let fake = Arc::new(FakeDiscord::start().await);
        let bot = RunningBot::start(&fake);
        assert!(fake.wait_for_session(WAIT).await, "no gateway session");

        for _ in 0..WARM_UP {
            one(&fake).await;
        }

        let mut latencies = Vec::with_capacity(SEQUENTIAL);
        for _ in 0..SEQUENTIAL {
            latencies.push(one(&fake).await);
        }
        summary("sequential /help, frame -> callback", latencies);

        let started = Instant::now();
        let workers: Vec<_> = (0..IN_FLIGHT)
            .map(|_| {
                let fake = Arc::clone(&fake);
                tokio::spawn(async move {
                    let mut mine = Vec::with_capacity(CONCURRENT / IN_FLIGHT);
                    for _ in 0..CONCURRENT / IN_FLIGHT {
                        mine.push(one(&fake).await);
                    }
                    mine
                })
            })
            .collect();
        let mut latencies = Vec::with_capacity(CONCURRENT);
        for w in workers {
            latencies.extend(w.await.expect("worker"));
        }
        let elapsed = started.elapsed();
        summary(
            &format!("{IN_FLIGHT} in flight /help, frame -> callback"),
            latencies,
        );
        println!(
            "throughput with {IN_FLIGHT} in flight: {CONCURRENT} commands in {elapsed:.2?} = {:.0} commands/s",
            CONCURRENT as f64 / elapsed.as_secs_f64()
        );

        bot.stop().await.expect("the bot stops cleanly");
        assert!(fake.model_errors().is_empty(), "{:?}", fake.model_errors());
    });
}
