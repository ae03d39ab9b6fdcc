//! The real serenity client, through `touchline::discord`, against a fake Discord on 127.0.0.1.
//!
//! These tests assert on the transport (callbacks, their types, embeds, flags, mentions,
//! reconnects); what the football answers say is tested with the commands.

mod support;

use std::time::Duration;

use serde_json::{json, Value};
use serenity::all::ChannelId;
use support::fake_discord::{self as fake, RestCall, APPLICATION_ID, GUILD_ID, TOKEN};
use support::{capture_logs, logs, FakeDiscord, RunningBot, WAIT};
use touchline::discord::{self, BotSettings};
use touchline::reply::Reply;

const COMMANDS: &[&str] = &[
    "tie",
    "quote",
    "results",
    "report",
    "help",
    "subscribe",
    "unsubscribe",
    "subscriptions",
    "ingest",
];
/// Server settings: hidden from members without Manage Server, and guild-only.
const ADMIN_COMMANDS: &[&str] = &["subscribe", "unsubscribe", "subscriptions", "ingest"];

async fn started() -> (FakeDiscord, RunningBot) {
    capture_logs();
    let fake = FakeDiscord::start().await;
    let bot = RunningBot::start(&fake);
    assert!(fake.wait_for_session(WAIT).await, "no gateway session");
    (fake, bot)
}

async fn finish(fake: FakeDiscord, bot: RunningBot) {
    bot.stop().await.expect("the bot stops cleanly");
    assert_eq!(
        fake.model_errors(),
        Vec::<String>::new(),
        "twilight refused a fake payload"
    );
}

fn assert_no_mentions(body: &Value) {
    assert_eq!(
        body["allowed_mentions"],
        json!({"parse": [], "users": [], "roles": []}),
        "{body}"
    );
}

async fn callback(fake: &FakeDiscord, sent: &fake::SentInteraction) -> RestCall {
    fake.wait_for_callback(sent, WAIT)
        .await
        .unwrap_or_else(|| panic!("no callback for interaction {}", sent.id))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_are_registered_globally_after_ready() {
    let (fake, bot) = started().await;
    let path = format!("/api/v10/applications/{APPLICATION_ID}/commands");
    let put = fake
        .wait_for(|c| c.method == "PUT" && c.path == path, WAIT)
        .await
        .expect("no command registration");
    let names: Vec<&str> = put
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, COMMANDS);
    for command in put.body.as_array().unwrap() {
        let admin = ADMIN_COMMANDS.contains(&command["name"].as_str().unwrap());
        if admin {
            assert_eq!(command["default_member_permissions"], "32", "{command}");
            assert_eq!(command["contexts"], serde_json::json!([0]), "{command}");
        } else {
            assert!(command["default_member_permissions"].is_null(), "{command}");
        }
    }
    assert_eq!(
        put.authorization.as_deref(),
        Some(format!("Bot {TOKEN}").as_str())
    );
    let identify = fake
        .frames()
        .into_iter()
        .find(|f| f.op == 2)
        .expect("IDENTIFY");
    assert!(identify.at <= put.at, "registered before READY");
    // The fewest intents: GUILDS only, nothing privileged.
    assert_eq!(identify.d["intents"], 1);
    finish(fake, bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_go_to_the_dev_guild_when_one_is_configured() {
    capture_logs();
    let fake = FakeDiscord::start().await;
    let bot = RunningBot::start_with(&fake, discord::ANSWER_WITHIN, Some(GUILD_ID));
    let path = format!("/api/v10/applications/{APPLICATION_ID}/guilds/{GUILD_ID}/commands");
    let put = fake
        .wait_for(|c| c.method == "PUT" && c.path == path, WAIT)
        .await
        .expect("no guild command registration");
    assert_eq!(put.body.as_array().unwrap().len(), COMMANDS.len());
    assert!(!fake
        .calls()
        .iter()
        .any(|c| c.path == format!("/api/v10/applications/{APPLICATION_ID}/commands")));
    finish(fake, bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn help_answers_with_an_embed_and_mentions_no_one() {
    let (fake, bot) = started().await;
    let sent = fake.send_command("help", &[]).await;
    let cb = callback(&fake, &sent).await;
    assert_eq!(cb.callback_type(), Some(4));
    assert_eq!(
        cb.path,
        format!("/api/v10/interactions/{}/{}/callback", sent.id, sent.token)
    );
    let data = &cb.body["data"];
    assert_eq!(data["embeds"].as_array().map(Vec::len), Some(1));
    assert!(!data["embeds"][0]["title"].as_str().unwrap_or("").is_empty());
    assert_no_mentions(data);
    assert_ne!(
        data["flags"].as_u64().unwrap_or(0) & 64,
        64,
        "/help is public"
    );
    finish(fake, bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_command_gets_a_callback_with_an_embed() {
    let (fake, bot) = started().await;
    let cases: [(&str, &[(&str, &str)]); 5] = [
        ("tie", &[("team_a", "liverpool"), ("team_b", "real")]),
        ("quote", &[("person", "klopp"), ("about", "atmosphere")]),
        ("results", &[("team", "liverpool")]),
        ("report", &[("words", "late winner")]),
        ("help", &[]),
    ];
    for (name, options) in cases {
        let sent = fake.send_command(name, options).await;
        let cb = callback(&fake, &sent).await;
        assert_eq!(cb.status, 204);
        assert_eq!(cb.callback_type(), Some(4), "/{name}: {}", cb.body);
        assert_eq!(
            cb.body["data"]["embeds"].as_array().map(Vec::len),
            Some(1),
            "/{name}"
        );
        assert_no_mentions(&cb.body["data"]);
    }
    finish(fake, bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_options_get_an_ephemeral_hint() {
    let (fake, bot) = started().await;
    for (name, options) in [
        ("tie", vec![("team_a", "liverpool"), ("team_b", "   ")]),
        ("results", vec![("team", "x".repeat(500).leak() as &str)]),
        ("nosuch", vec![]),
    ] {
        let sent = fake.send_command(name, &options).await;
        let cb = callback(&fake, &sent).await;
        assert_eq!(cb.callback_type(), Some(4));
        assert_eq!(
            cb.body["data"]["flags"], 64,
            "/{name} answers only the asker"
        );
        assert_no_mentions(&cb.body["data"]);
    }
    finish(fake, bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn autocomplete_answers_with_at_most_25_choices() {
    let (fake, bot) = started().await;
    for (name, focused) in [
        ("tie", ("team_a", "liv")),
        ("quote", ("person", "kl")),
        ("results", ("team", "")),
    ] {
        let sent = fake.send_autocomplete(name, &[], focused).await;
        let cb = callback(&fake, &sent).await;
        assert_eq!(cb.callback_type(), Some(8), "{}", cb.body);
        let choices = cb.body["data"]["choices"].as_array().expect("choices");
        assert!(choices.len() <= 25);
        for c in choices {
            let n = c["name"].as_str().unwrap().chars().count();
            assert!((1..=100).contains(&n));
        }
    }
    finish(fake, bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_button_press_updates_the_message_or_answers_privately() {
    let (fake, bot) = started().await;
    let message = fake::bot_message(
        77,
        fake::CHANNEL_ID,
        &json!({"embeds": [{"title": "Klopp", "description": "\"We go again\""}]}),
    );
    let id = touchline::commands::quote::another_id(7, "Jürgen Klopp");
    let sent = fake.press_button(&id, message.clone()).await;
    let cb = callback(&fake, &sent).await;
    assert_no_mentions(&cb.body["data"]);
    assert_eq!(cb.body["data"]["embeds"].as_array().map(Vec::len), Some(1));
    let flags = cb.body["data"]["flags"].as_u64().unwrap_or(0);
    // An answer updates the message (7). A user error ("no other quote", which an empty
    // corpus gives) goes to the presser alone (4, ephemeral) and the public message stays.
    // With a corpus seeded with two quotes by one speaker this is always 7.
    match cb.callback_type() {
        Some(7) => assert_eq!(flags & 64, 0, "an update cannot be ephemeral: {}", cb.body),
        Some(4) => assert_eq!(
            flags & 64,
            64,
            "a new message from a button must be private"
        ),
        other => panic!("a button press answered with {other:?}: {}", cb.body),
    }

    // A button from an older version of the bot: a hint, not a failure.
    let sent = fake.press_button("vote:yes", message).await;
    let cb = callback(&fake, &sent).await;
    assert_eq!(cb.callback_type(), Some(4));
    assert_eq!(cb.body["data"]["flags"], 64);
    finish(fake, bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_reconnects_after_the_gateway_drops_and_answers_again() {
    let (fake, bot) = started().await;
    let sent = fake.send_command("help", &[]).await;
    callback(&fake, &sent).await;

    fake.drop_gateway();
    // serenity resumes (op 6) the session; a re-identify (op 2) would do too.
    let resumed = fake.wait_for_frames(6, 1, WAIT).await || fake.wait_for_frames(2, 2, WAIT).await;
    assert!(resumed, "no RESUME or second IDENTIFY after the drop");
    assert!(fake.connections() >= 2);
    assert!(fake.wait_for_session(WAIT).await);

    let sent = fake.send_command("help", &[]).await;
    let cb = callback(&fake, &sent).await;
    assert_eq!(cb.callback_type(), Some(4));
    finish(fake, bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_callback_is_logged_and_the_bot_keeps_serving() {
    let (fake, bot) = started().await;
    fake.fail_next_callbacks(500, 1);
    let failed = fake.send_command("help", &[]).await;
    let cb = callback(&fake, &failed).await;
    assert_eq!(cb.status, 500);

    let sent = fake.send_command("help", &[]).await;
    let cb = callback(&fake, &sent).await;
    assert_eq!(cb.status, 204);
    assert_eq!(cb.callback_type(), Some(4));

    let wanted = format!("interaction={}", failed.id);
    let deadline = tokio::time::Instant::now() + WAIT;
    while !logs()
        .lines()
        .any(|l| l.contains("interaction callback failed") && l.contains(&wanted))
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the failure was not logged"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    finish(fake, bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_commands_are_deferred_then_answered_by_editing() {
    capture_logs();
    let fake = FakeDiscord::start().await;
    // A zero deadline defers every command, as a command slower than 2 s would be.
    let bot = RunningBot::start_with(&fake, Duration::ZERO, None);
    assert!(fake.wait_for_session(WAIT).await);

    let sent = fake.send_command("help", &[]).await;
    assert_eq!(callback(&fake, &sent).await.callback_type(), Some(5));
    let original = format!(
        "/api/v10/webhooks/{APPLICATION_ID}/{}/messages/@original",
        sent.token
    );
    let edit = fake
        .wait_for(|c| c.method == "PATCH" && c.path == original, WAIT)
        .await
        .expect("the deferred answer was not edited in");
    assert_eq!(edit.body["embeds"].as_array().map(Vec::len), Some(1));
    assert_no_mentions(&edit.body);

    // An ephemeral answer after a public defer: the public placeholder goes, a private followup comes.
    let sent = fake
        .send_command("tie", &[("team_a", "liverpool"), ("team_b", "real")])
        .await;
    assert_eq!(callback(&fake, &sent).await.callback_type(), Some(5));
    let original = format!(
        "/api/v10/webhooks/{APPLICATION_ID}/{}/messages/@original",
        sent.token
    );
    fake.wait_for(|c| c.method == "DELETE" && c.path == original, WAIT)
        .await
        .expect("the public placeholder was not deleted");
    let followups = format!("/api/v10/webhooks/{APPLICATION_ID}/{}", sent.token);
    let followup = fake
        .wait_for(|c| c.method == "POST" && c.path == followups, WAIT)
        .await
        .expect("no ephemeral followup");
    assert_eq!(followup.body["flags"], 64);
    assert_no_mentions(&followup.body);

    // A button: a deferred update (6), then the message is edited, or, for a user
    // error, a private followup while the public message stays.
    let message = fake::bot_message(78, fake::CHANNEL_ID, &json!({}));
    let sent = fake
        .press_button(
            &touchline::commands::quote::another_id(3, "Ancelotti"),
            message,
        )
        .await;
    assert_eq!(callback(&fake, &sent).await.callback_type(), Some(6));
    let original = format!(
        "/api/v10/webhooks/{APPLICATION_ID}/{}/messages/@original",
        sent.token
    );
    let followups = format!("/api/v10/webhooks/{APPLICATION_ID}/{}", sent.token);
    let after = fake
        .wait_for(
            |c| {
                (c.method == "PATCH" && c.path == original)
                    || (c.method == "POST" && c.path == followups)
            },
            WAIT,
        )
        .await
        .expect("the deferred button press was not answered");
    if after.method == "POST" {
        assert_eq!(after.body["flags"], 64);
    }
    assert!(
        !fake
            .calls()
            .iter()
            .any(|c| c.method == "DELETE" && c.path == original),
        "the public message was deleted"
    );
    finish(fake, bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn channel_posts_mention_no_one_and_the_answer_is_a_message() {
    let fake = FakeDiscord::start().await;
    let http = discord::http_client(&fake.api_url(), TOKEN);
    let reply = Reply::answer("Full time", "@everyone Liverpool 3-1 Real <@&1>");
    let message = discord::post(&http, ChannelId::new(555), &reply)
        .await
        .expect("post");
    assert_eq!(message.channel_id.get(), 555);
    let call = fake
        .wait_for(
            |c| c.method == "POST" && c.path == "/api/v10/channels/555/messages",
            WAIT,
        )
        .await
        .expect("no channel post");
    assert_no_mentions(&call.body);
    assert_eq!(call.body["embeds"][0]["title"], "Full time");
    assert_eq!(fake.model_errors(), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_token_fails_with_one_clear_line_that_does_not_show_it() {
    let (ctx, _dir) = support::test_ctx();
    let settings = BotSettings::for_api("http://127.0.0.1:9");
    let secret = "secret-without-dots";
    let err = discord::run_with(settings, secret, ctx, std::future::pending())
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("token is malformed"), "{err}");
    assert!(!err.contains(secret));
    assert_eq!(err.lines().count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_never_appears_in_the_logs() {
    let (fake, bot) = started().await;
    let sent = fake.send_command("help", &[]).await;
    callback(&fake, &sent).await;
    fake.drop_gateway();
    assert!(fake.wait_for_session(WAIT).await);
    finish(fake, bot).await;
    let logs = logs();
    if std::env::var("SHOW_LOGS").is_ok() {
        eprintln!("{logs}");
    }
    assert!(
        logs.contains("connected to the Discord gateway"),
        "logs were captured"
    );
    let secret_part = TOKEN.rsplit('.').next().unwrap();
    assert!(
        !logs.contains(secret_part),
        "the token leaked into the logs"
    );
}

#[test]
fn only_discord_itself_keeps_the_rate_limiter() {
    assert!(discord::is_discord("https://discord.com"));
    assert!(discord::is_discord("https://discord.com/"));
    assert!(!discord::is_discord("http://127.0.0.1:3000"));
}
