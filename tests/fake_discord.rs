//! The fake Discord's payloads, checked against two models we did not write (twilight-model)
//! and the one the bot reads them with (serenity), so a payload that serenity would silently
//! turn into `Event::Unknown` fails here, loudly.

mod support;

use serde_json::{json, Value};
use serenity::all::{Event, GatewayEvent, Interaction};
use support::fake_discord::{self as fake, check_frame, check_rest_answer};

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
    assert_eq!(commands.len(), 5);
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
