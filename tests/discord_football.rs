//! The football answers over Discord: the real serenity client, a fake Discord on
//! 127.0.0.1, and a corpus ingested from reports. The sample corpus is ours; the seed
//! report is read from ../shared (those tests are ignored by plain `cargo test` and
//! run by `.ci/run` with `--ignored`).

mod support;

use std::path::PathBuf;

use serde_json::Value;
use support::fake_discord as fake;
use support::{capture_logs, FakeDiscord, RunningBot, WAIT};

async fn bot_on(paths: &[PathBuf]) -> (FakeDiscord, RunningBot) {
    capture_logs();
    let fake = FakeDiscord::start().await;
    let bot = RunningBot::start_with_reports(&fake, paths);
    assert!(fake.wait_for_session(WAIT).await, "no gateway session");
    (fake, bot)
}

fn samples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples")
}

async fn answer(fake: &FakeDiscord, command: &str, options: &[(&str, &str)]) -> Value {
    let sent = fake.send_command(command, options).await;
    let cb = fake
        .wait_for_callback(&sent, WAIT)
        .await
        .expect("a callback");
    assert_eq!(
        cb.body["data"]["allowed_mentions"]["parse"],
        serde_json::json!([]),
        "{}",
        cb.body
    );
    cb.body
}

fn field<'a>(embed: &'a Value, name: &str) -> &'a str {
    embed["fields"]
        .as_array()
        .and_then(|fs| fs.iter().find(|f| f["name"] == name))
        .and_then(|f| f["value"].as_str())
        .unwrap_or_else(|| panic!("no field {name:?} in {embed}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tie_embed_shows_both_legs_aggregate_and_next_opponent() {
    let (fake, bot) = bot_on(&[samples()]).await;
    let body = answer(&fake, "tie", &[("team_a", "inter"), ("team_b", "bayern")]).await;
    assert_eq!(body["type"], 4, "{body}");
    let embed = &body["data"]["embeds"][0];
    assert_eq!(embed["title"], "Bayern Munich v Inter Milan", "{embed}");
    assert!(
        field(embed, "First leg").starts_with("Bayern Munich 2-1 Inter Milan"),
        "{embed}"
    );
    assert!(
        field(embed, "Second leg").starts_with("Inter Milan 3-1 Bayern Munich (aet)"),
        "{embed}"
    );
    assert_eq!(field(embed, "Aggregate"), "Inter Milan 4-3 Bayern Munich");
    assert_eq!(
        field(embed, "Next"),
        "Inter Milan meet Arsenal in the semi-final"
    );
    assert!(
        embed["color"].as_u64().is_some(),
        "coloured by the club: {embed}"
    );
    bot.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_team_answers_privately_with_the_closest_names() {
    let (fake, bot) = bot_on(&[samples()]).await;
    let body = answer(&fake, "tie", &[("team_a", "bayren"), ("team_b", "inter")]).await;
    assert_eq!(body["data"]["flags"], 64, "{body}");
    let text = body["data"]["embeds"][0].to_string();
    assert!(text.contains("Bayern Munich"), "{text}");
    bot.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quote_then_another_gives_a_different_quote_by_the_same_person() {
    let (fake, bot) = bot_on(&[samples()]).await;
    let body = answer(&fake, "quote", &[("person", "ventresca")]).await;
    let data = &body["data"];
    let first = data["embeds"][0]["description"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        data["embeds"][0]["title"]
            .as_str()
            .unwrap()
            .starts_with("Paolo Ventresca"),
        "{data}"
    );
    let button = data["components"][0]["components"][0]["custom_id"]
        .as_str()
        .expect("an Another button")
        .to_string();
    let message = fake::bot_message(90, fake::CHANNEL_ID, data);
    let sent = fake.press_button(&button, message).await;
    let cb = fake
        .wait_for_callback(&sent, WAIT)
        .await
        .expect("a callback");
    assert_eq!(
        cb.callback_type(),
        Some(7),
        "the message is updated: {}",
        cb.body
    );
    let second = cb.body["data"]["embeds"][0]["description"]
        .as_str()
        .unwrap();
    assert_ne!(first, second);
    assert!(cb.body["data"]["embeds"][0]["title"]
        .as_str()
        .unwrap()
        .starts_with("Paolo Ventresca"));
    bot.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quote_with_everyone_in_it_pings_nobody() {
    let (fake, bot) = bot_on(&[samples()]).await;
    let body = answer(&fake, "report", &[("words", "excuses")]).await;
    assert!(body.to_string().contains("@everyone"), "{body}");
    assert_eq!(
        body["data"]["allowed_mentions"],
        serde_json::json!({"parse": [], "users": [], "roles": []})
    );
    bot.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn autocomplete_for_liv_offers_liverpool() {
    let (fake, bot) = bot_on(&[samples()]).await;
    let sent = fake.send_autocomplete("tie", &[], ("team_a", "liv")).await;
    let cb = fake
        .wait_for_callback(&sent, WAIT)
        .await
        .expect("a callback");
    let names: Vec<&str> = cb.body["data"]["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.first(), Some(&"Liverpool"), "{names:?}");
    bot.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs ../shared; run by .ci/run"]
async fn seed_tie_liverpool_real_and_quote_klopp() {
    let seed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/seed");
    assert!(seed.is_dir(), "{} is missing", seed.display());
    let (fake, bot) = bot_on(&[seed]).await;
    let body = answer(&fake, "tie", &[("team_a", "liverpool"), ("team_b", "real")]).await;
    let embed = &body["data"]["embeds"][0];
    assert!(
        embed["description"]
            .as_str()
            .unwrap()
            .contains("Champions League quarter-final"),
        "{embed}"
    );
    assert!(
        field(embed, "First leg").starts_with("Real Madrid 3-1 Liverpool\nin Madrid"),
        "{embed}"
    );
    assert!(
        field(embed, "Second leg").starts_with("Liverpool 0-0 Real Madrid\nat Anfield"),
        "{embed}"
    );
    assert_eq!(field(embed, "Aggregate"), "Real Madrid 3-1 Liverpool");
    assert_eq!(
        field(embed, "Next"),
        "Real Madrid meet Chelsea in the semi-final"
    );
    let body = answer(&fake, "quote", &[("person", "klopp")]).await;
    let embed = &body["data"]["embeds"][0];
    assert!(
        embed["title"].as_str().unwrap().starts_with("Jurgen Klopp"),
        "{embed}"
    );
    assert!(
        !embed["description"]
            .as_str()
            .unwrap()
            .contains("intensity and desire"),
        "{embed}"
    );
    bot.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tie_in_another_season_is_picked_from_the_menu() {
    let dir = tempfile::tempdir().unwrap();
    let report = |name: &str, date: &str, body: &str| {
        let path = dir.path().join(name);
        std::fs::write(
            &path,
            format!("---\ntitle: {name}\ndate: {date}\n---\n\n{body}\n"),
        )
        .unwrap();
    };
    report(
        "first.md",
        "2000-04-06",
        "Chelsea beat Barcelona 3-1 at Stamford Bridge in the first leg of their Champions League quarter-final.",
    );
    report(
        "second.md",
        "2000-04-19",
        "Barcelona beat Chelsea 5-1 after extra time at the Nou Camp in the second leg of their Champions League quarter-final.",
    );
    report(
        "later.md",
        "2005-02-24",
        "Barcelona beat Chelsea 2-1 at the Nou Camp in the first leg of their Champions League last-16 tie.",
    );
    let (fake, bot) = bot_on(&[dir.path().to_path_buf()]).await;
    let body = answer(
        &fake,
        "tie",
        &[("team_a", "chelsea"), ("team_b", "barcelona")],
    )
    .await;
    let data = &body["data"];
    assert!(
        data["embeds"][0]["description"]
            .as_str()
            .unwrap()
            .contains("2004-05"),
        "{data}"
    );
    let menu = &data["components"][0]["components"][0];
    assert_eq!(menu["type"], 3, "{data}");
    let id = menu["custom_id"].as_str().unwrap().to_string();
    let value = menu["options"][0]["value"].as_str().unwrap().to_string();
    assert_eq!(value, "1999-00");

    let message = fake::bot_message(91, fake::CHANNEL_ID, data);
    let sent = fake.choose(&id, &[&value], message).await;
    let cb = fake
        .wait_for_callback(&sent, WAIT)
        .await
        .expect("a callback");
    assert_eq!(
        cb.callback_type(),
        Some(7),
        "the message is updated: {}",
        cb.body
    );
    let embed = &cb.body["data"]["embeds"][0];
    assert!(
        embed["description"]
            .as_str()
            .unwrap()
            .starts_with("Champions League quarter-final, 1999-00"),
        "{embed}"
    );
    assert_eq!(field(embed, "Aggregate"), "Barcelona 6-4 Chelsea");
    // The updated message offers the way back.
    assert_eq!(
        cb.body["data"]["components"][0]["components"][0]["options"][0]["value"],
        "2004-05"
    );
    assert_eq!(fake.model_errors(), Vec::<String>::new());
    bot.stop().await.unwrap();
}
