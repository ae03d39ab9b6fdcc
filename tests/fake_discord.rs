//! The fake Discord's payloads, checked against two models we did not write (twilight-model)
//! and the one the bot reads them with (serenity), so a payload that serenity would silently
//! turn into `Event::Unknown` fails here, loudly.

mod support;

use std::time::Duration;

use serde_json::{json, Value};
use serenity::all::{Event, GatewayEvent, Interaction};
use support::fake_discord::{
    self as fake, check_frame, check_rest_answer, FakeDiscord, OptionValue, Scripted,
};
use support::WAIT;

fn dispatch(name: &str, d: Value) -> String {
    json!({"op": 0, "s": 7, "t": name, "d": d}).to_string()
}

fn serenity_event(frame: &str) -> Event {
    match serde_json::from_str::<GatewayEvent>(frame) {
        Ok(GatewayEvent::Dispatch(7, event)) => event,
        other => panic!("serenity read {frame} as {other:?}"),
    }
}

#[test]
fn ready_is_read_by_twilight_and_serenity() {
    let frame = dispatch("READY", fake::ready("session-1", 4242));
    check_frame(&frame).unwrap();
    let ready: twilight_model::gateway::payload::incoming::Ready =
        serde_json::from_value(fake::ready("session-1", 4242)).unwrap();
    assert_eq!(ready.application.id.get(), fake::APPLICATION_ID);
    match serenity_event(&frame) {
        Event::Ready(r) => {
            assert_eq!(r.ready.session_id, "session-1");
            assert_eq!(r.ready.application.id.get(), fake::APPLICATION_ID);
        }
        other => panic!("serenity read READY as {other:?}"),
    }
}

#[test]
fn hello_heartbeat_ack_and_resumed_are_read_by_both() {
    let hello =
        json!({"op": 10, "s": null, "t": null, "d": {"heartbeat_interval": 41250}}).to_string();
    let ack = json!({"op": 11, "s": null, "t": null, "d": null}).to_string();
    let resumed = dispatch("RESUMED", json!({"_trace": ["fake-discord"]}));
    let invalid = json!({"op": 9, "s": null, "t": null, "d": false}).to_string();
    for frame in [&hello, &ack, &resumed, &invalid] {
        check_frame(frame).unwrap();
    }
    assert!(matches!(
        serde_json::from_str::<GatewayEvent>(&hello).unwrap(),
        GatewayEvent::Hello(41250)
    ));
    assert!(matches!(
        serde_json::from_str::<GatewayEvent>(&ack).unwrap(),
        GatewayEvent::HeartbeatAck
    ));
    assert!(matches!(serenity_event(&resumed), Event::Resumed(_)));
}

fn interaction_both_ways(d: Value) -> Interaction {
    let frame = dispatch("INTERACTION_CREATE", d.clone());
    check_frame(&frame).unwrap();
    serde_json::from_value::<twilight_model::gateway::payload::incoming::InteractionCreate>(d)
        .unwrap();
    match serenity_event(&frame) {
        Event::InteractionCreate(e) => e.interaction,
        other => panic!("serenity read INTERACTION_CREATE as {other:?}"),
    }
}

#[test]
fn a_slash_command_is_read_by_both() {
    let data = fake::command_data(
        "tie",
        vec![
            json!({"name": "team_a", "type": 3, "value": "liverpool"}),
            json!({"name": "team_b", "type": 3, "value": "real"}),
        ],
    );
    match interaction_both_ways(fake::interaction(2, 11, "tok", data, None)) {
        Interaction::Command(c) => {
            assert_eq!(c.data.name, "tie");
            assert_eq!(c.data.options.len(), 2);
            assert_eq!(c.user.id.get(), fake::USER_ID, "member.user becomes user");
        }
        other => panic!("not a command: {other:?}"),
    }
}

#[test]
fn an_autocomplete_is_read_by_both_with_its_focused_option() {
    let data = fake::command_data(
        "tie",
        vec![json!({"name": "team_a", "type": 3, "value": "liv", "focused": true})],
    );
    match interaction_both_ways(fake::interaction(4, 12, "tok", data, None)) {
        Interaction::Autocomplete(c) => {
            let focused = c.data.autocomplete().expect("focused option");
            assert_eq!((focused.name, focused.value), ("team_a", "liv"));
        }
        other => panic!("not an autocomplete: {other:?}"),
    }
}

#[test]
fn a_button_press_and_the_messages_the_fake_returns_are_read_by_both() {
    let body = json!({
        "embeds": [{"title": "Quote", "description": "\"We go again\"", "color": 0xC8102E,
                    "fields": [{"name": "Match", "value": "Liverpool 3-1 Real", "inline": false}]}],
        "components": [{"type": 1, "components": [
            {"type": 2, "style": 2, "label": "Another", "custom_id": "quote:another:7:Klopp"}]}],
        "allowed_mentions": {"parse": [], "users": [], "roles": []}
    });
    let message = fake::bot_message(99, fake::CHANNEL_ID, &body);
    check_rest_answer("POST", "/api/v10/channels/1/messages", &message).unwrap();
    serde_json::from_value::<serenity::all::Message>(message.clone()).unwrap();

    let data = json!({"custom_id": "quote:another:7:Klopp", "component_type": 2});
    match interaction_both_ways(fake::interaction(3, 13, "tok", data, Some(message))) {
        Interaction::Component(c) => {
            assert_eq!(c.data.custom_id, "quote:another:7:Klopp");
            assert_eq!(c.message.embeds.len(), 1);
        }
        other => panic!("not a component: {other:?}"),
    }
}

#[test]
fn registered_commands_and_gateway_info_are_read_by_both() {
    let body = serde_json::to_value(touchline::commands::registrations()).unwrap();
    let answer = fake::registered_commands(&body, None);
    check_rest_answer("PUT", "/api/v10/applications/1/commands", &answer).unwrap();
    let commands: Vec<serenity::all::Command> = serde_json::from_value(answer).unwrap();
    assert_eq!(commands.len(), touchline::commands::registrations().len());
    let guild = fake::registered_commands(&body, Some(fake::GUILD_ID));
    check_rest_answer("PUT", "/api/v10/applications/1/guilds/2/commands", &guild).unwrap();

    check_rest_answer(
        "GET",
        "/api/v10/gateway",
        &json!({"url": "ws://127.0.0.1:1/gateway"}),
    )
    .unwrap();
    check_rest_answer(
        "GET",
        "/api/v10/gateway/bot",
        &json!({"url": "ws://127.0.0.1:1/gateway", "shards": 1,
                "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}}),
    )
    .unwrap();
}

#[test]
fn a_payload_missing_a_required_field_is_caught() {
    let mut d = fake::interaction(2, 14, "tok", fake::command_data("help", vec![]), None);
    d.as_object_mut().unwrap().remove("token");
    assert!(check_frame(&dispatch("INTERACTION_CREATE", d)).is_err());
}

// ---------------------------------------------------------------------------------------
// Channel posts, as the bot's own reqwest poster makes them.

/// The body serenity's `CreateMessage` serializes to, with a nonce.
fn create_message(content: &str, nonce: Option<&str>, enforce: bool) -> Value {
    let mut m = serenity::all::CreateMessage::new()
        .content(content)
        .embed(serenity::all::CreateEmbed::new().title("Full time"))
        .allowed_mentions(serenity::all::CreateAllowedMentions::new())
        .enforce_nonce(enforce);
    if let Some(n) = nonce {
        m = m.nonce(serenity::all::Nonce::String(n.into()));
    }
    serde_json::to_value(m).unwrap()
}

struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The message id of a 200 answer, after checking it with twilight and serenity.
    fn message_id(&self) -> u64 {
        assert_eq!(self.status, 200, "{}", self.body);
        let t: twilight_model::channel::Message =
            serde_json::from_value(self.body.clone()).expect("twilight reads the message");
        let s: serenity::all::Message =
            serde_json::from_value(self.body.clone()).expect("serenity reads the message");
        assert_eq!(t.id.get(), s.id.get());
        s.id.get()
    }
}

async fn post_with(
    fake: &FakeDiscord,
    channel: u64,
    body: &Value,
    token: &str,
    timeout: Duration,
) -> reqwest::Result<Answer> {
    let response = reqwest::Client::new()
        .post(format!(
            "{}/api/v10/channels/{channel}/messages",
            fake.api_url()
        ))
        .header("Authorization", format!("Bot {token}"))
        .header("Content-Type", "application/json")
        .body(serde_json::to_vec(body).unwrap())
        .timeout(timeout)
        .send()
        .await?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.bytes().await?;
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Ok(Answer {
        status,
        headers,
        body,
    })
}

async fn post(fake: &FakeDiscord, channel: u64, body: &Value) -> Answer {
    post_with(fake, channel, body, fake::TOKEN, WAIT)
        .await
        .expect("post")
}

#[tokio::test]
async fn posts_are_kept_per_channel_and_an_enforced_nonce_returns_the_first_message() {
    let fake = FakeDiscord::start().await;
    let first = post(
        &fake,
        fake::CHANNEL_ID,
        &create_message("Liverpool 3-1 Real", Some("result:42"), true),
    )
    .await;
    let id = first.message_id();
    assert_eq!(first.body["nonce"], "result:42");
    assert_eq!(first.body["channel_id"], fake::CHANNEL_ID.to_string());
    assert!(first.body.get("webhook_id").is_none());
    assert_eq!(first.header("x-ratelimit-limit"), Some("5"));
    assert_eq!(first.header("x-ratelimit-remaining"), Some("4"));
    assert_eq!(first.header("x-ratelimit-bucket"), Some(fake::POST_BUCKET));
    assert!(first.header("x-ratelimit-reset-after").is_some());

    // The same nonce again, enforced: the first message back, nothing new.
    let again = post(
        &fake,
        fake::CHANNEL_ID,
        &create_message("Liverpool 3-1 Real (retry)", Some("result:42"), true),
    )
    .await;
    assert_eq!(again.message_id(), id);
    assert_eq!(again.body["content"], "Liverpool 3-1 Real");
    assert_eq!(again.header("x-ratelimit-remaining"), Some("3"));
    assert_eq!(fake.deduplicated(fake::CHANNEL_ID), 1);

    // Not enforced, or in another channel: a new message.
    let loose = post(
        &fake,
        fake::CHANNEL_ID,
        &create_message("loose", Some("result:42"), false),
    )
    .await;
    assert_ne!(loose.message_id(), id);
    let other = post(
        &fake,
        fake::OTHER_CHANNEL_ID,
        &create_message("elsewhere", Some("result:42"), true),
    )
    .await;
    assert_ne!(other.message_id(), id);

    let here = fake.wait_for_posted(fake::CHANNEL_ID, 2, WAIT).await;
    assert_eq!(here.len(), 2);
    assert_eq!(here[0].id, id);
    assert_eq!(here[0].nonce.as_deref(), Some("result:42"));
    assert_eq!(here[0].body["enforce_nonce"], true);
    assert_eq!(fake.posted(fake::OTHER_CHANNEL_ID).len(), 1);
    assert_eq!(fake.all_posted().len(), 3);
    let attempts = fake.post_attempts(fake::CHANNEL_ID);
    assert_eq!(
        attempts.iter().map(|a| a.status).collect::<Vec<_>>(),
        [200, 200, 200]
    );
    assert_eq!(fake.post_attempt_count(), 4);
    assert_eq!(fake.deduplicated(fake::OTHER_CHANNEL_ID), 0);
    assert_eq!(fake.model_errors(), Vec::<String>::new());
}

#[tokio::test]
async fn scripted_failures_come_in_order_with_discords_bodies_and_headers() {
    let fake = FakeDiscord::start().await;
    let ch = fake::OTHER_CHANNEL_ID;
    fake.script_posts(
        ch,
        vec![
            Scripted::Status(500),
            Scripted::RateLimited {
                retry_after: 1.5,
                global: false,
            },
            Scripted::Status(403),
            Scripted::RateLimited {
                retry_after: 0.25,
                global: true,
            },
        ],
    );
    let body = create_message("FT", Some("n1"), true);

    let a = post(&fake, ch, &body).await;
    assert_eq!((a.status, a.body["code"].as_u64()), (500, Some(0)));
    assert!(a.body["message"].is_string());

    let b = post(&fake, ch, &body).await;
    assert_eq!(b.status, 429);
    assert_eq!(b.body["retry_after"], 1.5);
    assert_eq!(b.body["global"], false);
    assert_eq!(b.body["message"], "You are being rate limited.");
    assert_eq!(b.header("retry-after"), Some("2"));
    assert_eq!(b.header("x-ratelimit-reset-after"), Some("1.500"));
    assert_eq!(b.header("x-ratelimit-scope"), Some("user"));
    assert_eq!(b.header("x-ratelimit-remaining"), Some("0"));
    assert_eq!(b.header("x-ratelimit-global"), None);

    let c = post(&fake, ch, &body).await;
    assert_eq!(c.status, 403);
    assert_eq!(
        c.body,
        json!({"message": "Missing Permissions", "code": 50013})
    );

    let d = post(&fake, ch, &body).await;
    assert_eq!(d.status, 429);
    assert_eq!(d.body["global"], true);
    assert_eq!(d.header("retry-after"), Some("1"));
    assert_eq!(d.header("x-ratelimit-scope"), Some("global"));
    assert_eq!(d.header("x-ratelimit-global"), Some("true"));

    // The script is used up; nothing was created by the failures.
    assert_eq!(fake.posted(ch).len(), 0);
    let e = post(&fake, ch, &body).await;
    let id = e.message_id();
    assert_eq!(fake.posted(ch).len(), 1);
    // Other channels were never scripted.
    post(&fake, fake::CHANNEL_ID, &body).await.message_id();

    // A permanent status until cleared.
    fake.set_channel_status(ch, Some(404));
    for _ in 0..3 {
        let gone = post(&fake, ch, &create_message("x", None, false)).await;
        assert_eq!(
            (gone.status, gone.body),
            (404, json!({"message": "Unknown Channel", "code": 10003}))
        );
    }
    fake.set_channel_status(ch, Some(403));
    assert_eq!(post(&fake, ch, &body).await.status, 403);
    fake.set_channel_status(ch, None);
    assert_eq!(
        post(&fake, ch, &body).await.message_id(),
        id,
        "deduplicated"
    );

    let statuses: Vec<u16> = fake.post_attempts(ch).iter().map(|a| a.status).collect();
    assert_eq!(statuses, [500, 429, 403, 429, 200, 404, 404, 404, 403, 200]);
    assert_eq!(fake.post_attempts(ch)[0].nonce.as_deref(), Some("n1"));
    assert_eq!(fake.model_errors(), Vec::<String>::new());
}

#[tokio::test]
async fn discord_refuses_empty_oversized_and_unauthorized_posts() {
    let fake = FakeDiscord::start().await;
    let ch = fake::CHANNEL_ID;
    let empty = post(&fake, ch, &json!({"content": "", "embeds": []})).await;
    assert_eq!(
        (empty.status, empty.body["code"].as_u64()),
        (400, Some(50006))
    );
    let long = post(&fake, ch, &json!({"content": "é".repeat(2001)})).await;
    assert_eq!(
        (long.status, long.body["code"].as_u64()),
        (400, Some(50035))
    );
    assert!(long.body["errors"][0].as_str().unwrap().contains("content"));
    let just = post(&fake, ch, &json!({"content": "é".repeat(2000)})).await;
    assert_eq!(just.status, 200);
    let nonce = post(
        &fake,
        ch,
        &create_message("FT", Some("result:123456789:987654321"), true),
    )
    .await;
    assert_eq!(
        (nonce.status, nonce.body["code"].as_u64()),
        (400, Some(50035))
    );
    let field = json!({"name": "n", "value": "v".repeat(1025)});
    let embed = post(
        &fake,
        ch,
        &json!({"embeds": [{"title": "t", "fields": [field]}]}),
    )
    .await;
    assert_eq!(embed.status, 400);

    let stranger = post_with(&fake, ch, &json!({"content": "hi"}), "not-the-token", WAIT)
        .await
        .unwrap();
    assert_eq!(stranger.status, 401);
    assert_eq!(fake.posted(ch).len(), 1);
    assert_eq!(fake.post_attempts(ch).len(), 6);
}

#[tokio::test]
async fn an_enforced_rate_limit_answers_429_past_the_limit() {
    let fake = FakeDiscord::start().await;
    fake.enforce_rate_limit(Some((2, Duration::from_millis(400))));
    let body = json!({"content": "goal"});
    assert_eq!(post(&fake, fake::CHANNEL_ID, &body).await.status, 200);
    assert_eq!(post(&fake, fake::CHANNEL_ID, &body).await.status, 200);
    let limited = post(&fake, fake::CHANNEL_ID, &body).await;
    assert_eq!(limited.status, 429);
    let retry_after = limited.body["retry_after"].as_f64().unwrap();
    assert!(retry_after > 0.0 && retry_after <= 0.4, "{retry_after}");
    // Per channel.
    assert_eq!(post(&fake, fake::OTHER_CHANNEL_ID, &body).await.status, 200);
    tokio::time::sleep(Duration::from_secs_f64(retry_after + 0.05)).await;
    assert_eq!(post(&fake, fake::CHANNEL_ID, &body).await.status, 200);
}

#[tokio::test]
async fn a_hung_post_creates_its_message_and_never_answers() {
    let fake = FakeDiscord::start().await;
    fake.hang_post(2);
    fake.hang_before_create(3);
    fake.reject_before_create(4);
    let ch = fake::CHANNEL_ID;
    let first = post(&fake, ch, &create_message("one", Some("a"), true)).await;
    first.message_id();

    let hung = post_with(
        &fake,
        ch,
        &create_message("two", Some("b"), true),
        fake::TOKEN,
        Duration::from_millis(500),
    )
    .await;
    assert!(hung.as_ref().is_err_and(|e| e.is_timeout()), "answered");
    // The client gave up and closed its connection: the fake lets the handler go.
    assert!(fake.wait_for_hanging(0, WAIT).await, "still hanging");
    assert!(fake.wait_for_post_attempts(2, WAIT).await);
    let posted = fake.posted(ch);
    assert_eq!(posted.len(), 2, "Discord created the hung post");
    assert_eq!(posted[1].nonce.as_deref(), Some("b"));
    assert_eq!(fake.post_attempts(ch)[1].status, 0);

    // Lost before Discord saw it: nothing created.
    let lost = post_with(
        &fake,
        ch,
        &create_message("three", Some("c"), true),
        fake::TOKEN,
        Duration::from_millis(300),
    )
    .await;
    assert!(lost.is_err());
    let rejected = post(&fake, ch, &create_message("three", Some("c"), true)).await;
    assert_eq!(rejected.status, 500);
    assert_eq!(fake.posted(ch).len(), 2);

    // The retry after a restart finds the hung post's message.
    let retry = post(&fake, ch, &create_message("two", Some("b"), true)).await;
    assert_eq!(retry.message_id(), posted[1].id);
    assert_eq!(fake.deduplicated(ch), 1);
    assert_eq!(fake.post_attempt_count(), 5);
    let statuses: Vec<u16> = fake.post_attempts(ch).iter().map(|a| a.status).collect();
    assert_eq!(statuses, [200, 0, 0, 500, 200]);

    // Killed while waiting (here: the client task aborted), as a crash test does to the bot.
    fake.hang_post(6);
    let api = fake.api_url();
    let waiting = tokio::spawn(async move {
        reqwest::Client::new()
            .post(format!(
                "{api}/api/v10/channels/{}/messages",
                fake::OTHER_CHANNEL_ID
            ))
            .header("Authorization", format!("Bot {}", fake::TOKEN))
            .header("Content-Type", "application/json")
            .body(r#"{"content":"six"}"#)
            .send()
            .await
    });
    assert!(fake.wait_for_post_attempts(6, WAIT).await);
    assert!(fake.wait_for_hanging(1, WAIT).await, "the sixth post hangs");
    waiting.abort();
    assert!(
        fake.wait_for_hanging(0, WAIT).await,
        "dropped with its connection"
    );
    assert_eq!(fake.posted(fake::OTHER_CHANNEL_ID).len(), 1);
    assert!(
        !fake
            .wait_for_post_attempts(7, Duration::from_millis(50))
            .await
    );
    // The RestCall log shows the hung ones with status 0 too.
    let calls = fake.calls();
    assert_eq!(calls.iter().filter(|c| c.status == 0).count(), 3);
}

// ---------------------------------------------------------------------------------------
// Guild-only admin commands and DMs.

#[test]
fn a_guild_command_with_a_channel_option_is_read_by_both() {
    let data = fake::guild_command_data(
        "subscribe",
        &[
            ("channel", OptionValue::Channel(fake::OTHER_CHANNEL_ID)),
            ("team", OptionValue::Str("liverpool")),
        ],
        fake::MANAGE_GUILD,
    );
    let d = fake::guild_interaction(2, 15, "tok", data, fake::MANAGE_GUILD);
    let t: twilight_model::application::interaction::Interaction =
        serde_json::from_value(d.clone()).unwrap();
    assert_eq!(t.guild_id.map(|g| g.get()), Some(fake::GUILD_ID));
    let member = t.member.as_ref().expect("member");
    assert_eq!(
        member.permissions.map(|p| p.bits()),
        Some(fake::MANAGE_GUILD)
    );
    match t.data.as_ref().expect("data") {
        twilight_model::application::interaction::InteractionData::ApplicationCommand(c) => {
            use twilight_model::application::interaction::application_command::CommandOptionValue;
            assert!(matches!(
                c.options[0].value,
                CommandOptionValue::Channel(id) if id.get() == fake::OTHER_CHANNEL_ID
            ));
            let resolved = c.resolved.as_ref().expect("resolved");
            let ch = resolved.channels.values().next().expect("resolved channel");
            assert_eq!(
                (ch.id.get(), ch.name.as_str()),
                (fake::OTHER_CHANNEL_ID, "results")
            );
        }
        other => panic!("not a command: {other:?}"),
    }

    match interaction_both_ways(d) {
        Interaction::Command(c) => {
            use serenity::all::ResolvedValue;
            assert_eq!(c.guild_id.map(|g| g.get()), Some(fake::GUILD_ID));
            let perms = c
                .member
                .as_ref()
                .and_then(|m| m.permissions)
                .expect("permissions");
            assert!(perms.manage_guild() && !perms.administrator());
            let options = c.data.options();
            match &options[0].value {
                ResolvedValue::Channel(ch) => {
                    assert_eq!(ch.id.get(), fake::OTHER_CHANNEL_ID);
                    assert_eq!(ch.name.as_deref(), Some("results"));
                }
                other => panic!("not a resolved channel: {other:?}"),
            }
            assert!(matches!(
                options[1].value,
                ResolvedValue::String("liverpool")
            ));
        }
        other => panic!("not a command: {other:?}"),
    }

    // An ordinary member: no MANAGE_GUILD.
    let data = fake::guild_command_data("subscribe", &[], fake::MEMBER_PERMISSIONS);
    match interaction_both_ways(fake::guild_interaction(
        2,
        16,
        "tok",
        data,
        fake::MEMBER_PERMISSIONS,
    )) {
        Interaction::Command(c) => {
            let perms = c.member.and_then(|m| m.permissions).expect("permissions");
            assert!(!perms.manage_guild() && perms.send_messages());
        }
        other => panic!("not a command: {other:?}"),
    }
}

#[test]
fn a_dm_command_has_a_user_and_no_guild_for_both() {
    let data = fake::dm_command_data(
        "subscribe",
        vec![json!({"name": "team", "type": 3, "value": "liverpool"})],
    );
    let d = fake::dm_interaction(2, 17, "tok", data);
    let t: twilight_model::application::interaction::Interaction =
        serde_json::from_value(d.clone()).unwrap();
    assert!(t.is_dm() && t.guild_id.is_none() && t.member.is_none());
    assert_eq!(t.author_id().map(|u| u.get()), Some(fake::USER_ID));
    match interaction_both_ways(d) {
        Interaction::Command(c) => {
            assert!(c.guild_id.is_none() && c.member.is_none());
            assert_eq!(c.user.id.get(), fake::USER_ID);
            assert_eq!(c.channel_id.get(), fake::DM_CHANNEL_ID);
        }
        other => panic!("not a command: {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------
// A client killed mid-session, then a new one: the real serenity client gets READY and commands.

/// A bare websocket client over TCP: just enough to IDENTIFY and be dropped like a killed process.
struct RawGateway(tokio::io::BufReader<tokio::net::TcpStream>);

impl RawGateway {
    async fn connect(addr: std::net::SocketAddr) -> RawGateway {
        use tokio::io::{AsyncBufReadExt, AsyncWriteExt};
        let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
        tcp.write_all(
            b"GET /gateway?v=10&encoding=json HTTP/1.1\r\nHost: 127.0.0.1\r\n\
              Upgrade: websocket\r\nConnection: Upgrade\r\n\
              Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
        )
        .await
        .unwrap();
        let mut reader = tokio::io::BufReader::new(tcp);
        let mut line = String::new();
        reader.read_line(&mut line).await.unwrap();
        assert!(line.contains(" 101 "), "{line}");
        while line != "\r\n" {
            line.clear();
            reader.read_line(&mut line).await.unwrap();
        }
        RawGateway(reader)
    }

    async fn read(&mut self) -> Value {
        use tokio::io::AsyncReadExt;
        let mut head = [0u8; 2];
        self.0.read_exact(&mut head).await.unwrap();
        let len = match head[1] & 0x7f {
            126 => self.0.read_u16().await.unwrap() as usize,
            127 => self.0.read_u64().await.unwrap() as usize,
            n => n as usize,
        };
        let mut payload = vec![0; len];
        self.0.read_exact(&mut payload).await.unwrap();
        serde_json::from_slice(&payload).unwrap()
    }

    async fn send(&mut self, frame: Value) {
        use tokio::io::AsyncWriteExt;
        let payload = frame.to_string().into_bytes();
        let mut out = vec![0x81];
        if payload.len() < 126 {
            out.push(0x80 | payload.len() as u8);
        } else {
            out.push(0x80 | 126);
            out.extend_from_slice(&(payload.len() as u16).to_be_bytes());
        }
        out.extend_from_slice(&[0, 0, 0, 0]); // a zero mask leaves the payload as is
        out.extend_from_slice(&payload);
        self.0.get_mut().write_all(&out).await.unwrap();
    }
}

struct Forward(tokio::sync::mpsc::UnboundedSender<Interaction>);

#[serenity::async_trait]
impl serenity::all::EventHandler for Forward {
    async fn interaction_create(&self, _ctx: serenity::all::Context, interaction: Interaction) {
        let _ = self.0.send(interaction);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_client_is_replaced_and_the_new_one_gets_ready_and_guild_commands() {
    let fake = FakeDiscord::start().await;
    let posted = post(
        &fake,
        fake::CHANNEL_ID,
        &create_message("before", Some("k"), true),
    )
    .await;
    let id = posted.message_id();

    // The first "process": identifies, gets READY, dies without a close frame.
    let mut raw = RawGateway::connect(fake.addr()).await;
    assert_eq!(raw.read().await["op"], 10);
    raw.send(json!({"op": 2, "d": {"token": fake::TOKEN, "intents": 0,
                                   "properties": {"os": "linux", "browser": "raw", "device": "raw"}}}))
        .await;
    let ready = raw.read().await;
    assert_eq!(
        (ready["t"].as_str(), ready["s"].as_u64()),
        (Some("READY"), Some(1))
    );
    assert!(fake.wait_for_session(WAIT).await);
    drop(raw);

    // The second: the real serenity client.
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let http = touchline::discord::http_client(&fake.api_url(), fake::TOKEN);
    let mut client =
        serenity::all::ClientBuilder::new_with_http(http, serenity::all::GatewayIntents::empty())
            .event_handler(Forward(tx))
            .await
            .expect("client");
    let shards = client.shard_manager.clone();
    let task = tokio::spawn(async move { client.start().await });
    assert!(
        fake.wait_for_frames(2, 2, WAIT).await,
        "the new client identified"
    );
    assert!(fake.wait_for_session(WAIT).await);
    assert_eq!(fake.connections(), 2);

    let sent = fake
        .send_guild_command(
            "subscribe",
            &[("channel", OptionValue::Channel(fake::OTHER_CHANNEL_ID))],
            fake::MANAGE_GUILD | fake::MEMBER_PERMISSIONS,
        )
        .await;
    let got = tokio::time::timeout(WAIT, rx.recv())
        .await
        .expect("serenity's handler ran")
        .expect("handler channel");
    match got {
        Interaction::Command(c) => {
            assert_eq!(c.id.get(), sent.id);
            assert_eq!(c.data.name, "subscribe");
            assert!(matches!(
                c.data.options()[0].value,
                serenity::all::ResolvedValue::Channel(ch) if ch.id.get() == fake::OTHER_CHANNEL_ID
            ));
            assert!(c.member.and_then(|m| m.permissions).unwrap().manage_guild());
        }
        other => panic!("not a command: {other:?}"),
    }

    // Posts made before the restart are still there, and dedupe across it.
    let again = post(
        &fake,
        fake::CHANNEL_ID,
        &create_message("before", Some("k"), true),
    )
    .await;
    assert_eq!(again.message_id(), id);
    assert_eq!(fake.posted(fake::CHANNEL_ID).len(), 1);
    assert_eq!(fake.model_errors(), Vec::<String>::new());
    shards.shutdown_all().await;
    let _ = tokio::time::timeout(WAIT, task).await;
}
