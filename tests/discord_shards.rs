//! Gateway shards from `discord.shards`: the real serenity client against the fake Discord,
//! which records the `[shard, total]` each connection identifies as.

mod support;

use support::{capture_logs, FakeDiscord, RunningBot, WAIT};
use touchline::config::ShardSpec;
use touchline::discord::BotSettings;

async fn identified(fake: &FakeDiscord, shards: ShardSpec, expected: usize) -> Vec<[u64; 2]> {
    capture_logs();
    let (ctx, dir) = support::test_ctx();
    let settings = BotSettings {
        shards,
        ..BotSettings::for_api(fake.api_url())
    };
    let bot = RunningBot::start_on(ctx, dir, settings);
    // serenity starts one shard every 5 s: wait for all of them, then answer a command.
    assert!(
        fake.wait_for_frames(2, expected, WAIT).await,
        "{:?}",
        fake.identified_shards()
    );
    assert!(fake.wait_for_session(WAIT).await, "no live session");
    let sent = fake.send_command("help", &[]).await;
    let callback = fake
        .wait_for_callback(&sent, WAIT)
        .await
        .expect("a shard answers");
    assert_eq!(callback.callback_type(), Some(4));
    bot.stop().await.expect("the shards stop cleanly");
    let mut shards = fake.identified_shards();
    shards.sort();
    shards
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_range_runs_exactly_its_shards_first_and_last_included() {
    let fake = FakeDiscord::start().await;
    let range = ShardSpec::Range {
        first: 1,
        last: 2,
        total: 4,
    };
    assert_eq!(identified(&fake, range, 2).await, vec![[1, 4], [2, 4]]);
    // The recommended count is not asked for: the range says it all.
    assert!(!fake
        .calls()
        .iter()
        .any(|c| c.path == "/api/v10/gateway/bot"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auto_runs_as_many_shards_as_discord_recommends() {
    let fake = FakeDiscord::start().await;
    fake.recommend_shards(2);
    assert_eq!(
        identified(&fake, ShardSpec::Auto, 2).await,
        vec![[0, 2], [1, 2]]
    );
    assert!(fake
        .calls()
        .iter()
        .any(|c| c.path == "/api/v10/gateway/bot"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_shard_of_several_and_the_default_single_shard() {
    let fake = FakeDiscord::start().await;
    let one = ShardSpec::Range {
        first: 3,
        last: 3,
        total: 8,
    };
    assert_eq!(identified(&fake, one, 1).await, vec![[3, 8]]);
    let fake = FakeDiscord::start().await;
    assert_eq!(identified(&fake, ShardSpec::Single, 1).await, vec![[0, 1]]);
}
