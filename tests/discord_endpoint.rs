//! The HTTP interactions endpoint as Discord meets it: a real server on 127.0.0.1, signed
//! requests from reqwest with a key pair made here, the sample corpus in a real SQLite
//! file, and the fake Discord for what goes over REST (deferred answers). The same
//! interactions sent over the gateway (the real serenity client against the fake) get
//! the same answers, byte for byte.

mod support;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use ed25519_dalek::{Signer, SigningKey};
use serde_json::{json, Value};
use support::fake_discord::{self as fake, OptionValue, MANAGE_GUILD, MEMBER_PERMISSIONS};
use support::{capture_logs, FakeDiscord, RunningBot, WAIT};
use touchline::discord::endpoint::{self, EndpointSettings, INTERACTIONS_PATH};
use touchline::state::Ctx;

fn samples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples")
}

/// A context on the sample corpus, in a temporary folder.
fn sample_ctx() -> (Arc<Ctx>, tempfile::TempDir) {
    let (ctx, dir) = support::test_ctx();
    ctx.with_corpus(|corpus| {
        let summary = touchline::ingest::ingest_paths(
            corpus,
            &ctx.teams,
            &[samples()],
            &touchline::config::IngestConfig::default(),
            false,
        )
        .expect("ingest the samples");
        assert!(summary.rejected.is_empty(), "{:?}", summary.rejected);
    });
    (ctx, dir)
}

/// A key pair made for this test from random bytes (a new one each run).
fn test_key() -> SigningKey {
    let seed: [u8; 32] = std::array::from_fn(|_| fastrand::u8(..));
    SigningKey::from_bytes(&seed)
}

/// The endpoint serving on 127.0.0.1 until dropped, with the fake Discord behind it.
struct Endpoint {
    url: String,
    key: SigningKey,
    client: reqwest::Client,
    fake: FakeDiscord,
    ctx: Arc<Ctx>,
    dir: tempfile::TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl Endpoint {
    async fn start(answer_within: Duration) -> Endpoint {
        capture_logs();
        let fake = FakeDiscord::start().await;
        let (ctx, dir) = sample_ctx();
        let key = test_key();
        let settings = EndpointSettings {
            public_key: key.verifying_key(),
            api_url: fake.api_url(),
            answer_within,
            token: fake::TOKEN.to_string(),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let url = format!(
            "http://{}{INTERACTIONS_PATH}",
            listener.local_addr().unwrap()
        );
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(endpoint::serve(
            listener,
            Arc::clone(&ctx),
            settings,
            async {
                let _ = stopped.await;
            },
        ));
        Endpoint {
            url,
            key,
            client: reqwest::Client::new(),
            fake,
            ctx,
            dir,
            stop: Some(stop),
            task,
        }
    }

    /// POSTs `body` with the given headers, as they are.
    async fn post_raw(&self, headers: &[(&str, String)], body: Vec<u8>) -> reqwest::Response {
        let mut request = self
            .client
            .post(&self.url)
            .header("content-type", "application/json")
            .body(body);
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        request.send().await.expect("the endpoint answers")
    }

    /// The headers Discord would send with `body` signed by `key` at `timestamp`.
    fn signed_by(key: &SigningKey, timestamp: &str, body: &[u8]) -> Vec<(&'static str, String)> {
        let mut message = timestamp.as_bytes().to_vec();
        message.extend_from_slice(body);
        let signature = key.sign(&message);
        vec![
            ("x-signature-ed25519", hex::encode(signature.to_bytes())),
            ("x-signature-timestamp", timestamp.to_string()),
        ]
    }

    fn now() -> String {
        chrono::Utc::now().timestamp().to_string()
    }

    /// POSTs `payload` signed as Discord signs it.
    async fn post(&self, payload: &Value) -> reqwest::Response {
        let body = serde_json::to_vec(payload).unwrap();
        let headers = Self::signed_by(&self.key, &Self::now(), &body);
        self.post_raw(&headers, body).await
    }

    /// The endpoint's JSON answer to a signed `payload`, which must be 200.
    async fn answer(&self, payload: &Value) -> Value {
        let response = self.post(payload).await;
        assert_eq!(response.status(), 200, "{payload}");
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json"),
            "{:?}",
            response.headers()
        );
        serde_json::from_slice(&response.bytes().await.expect("a body")).expect("a JSON answer")
    }

    async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        tokio::time::timeout(WAIT, &mut self.task)
            .await
            .expect("the endpoint stops in time")
            .expect("the endpoint task")
            .expect("the endpoint stops cleanly");
    }
}

fn next_id() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1_250_000_000_000_000_000);
    NEXT.fetch_add(1, Ordering::SeqCst)
}

fn string_options(options: &[(&str, &str)]) -> Vec<Value> {
    options
        .iter()
        .map(|(k, v)| json!({"name": k, "type": 3, "value": v}))
        .collect()
}

/// A slash command as Discord POSTs it (the same payload the gateway carries).
fn command(name: &str, options: &[(&str, &str)]) -> Value {
    let id = next_id();
    fake::interaction(
        2,
        id,
        &format!("token-{id}"),
        fake::command_data(name, string_options(options)),
        None,
    )
}

/// An autocomplete request with `focused` being typed.
fn autocomplete(name: &str, focused: (&str, &str)) -> Value {
    let id = next_id();
    let options = vec![json!({"name": focused.0, "type": 3, "value": focused.1, "focused": true})];
    fake::interaction(
        4,
        id,
        &format!("token-{id}"),
        fake::command_data(name, options),
        None,
    )
}

/// A press of the button `custom_id` on the message whose data is `data`.
fn button(custom_id: &str, data: &Value) -> Value {
    let id = next_id();
    fake::interaction(
        3,
        id,
        &format!("token-{id}"),
        json!({"custom_id": custom_id, "component_type": 2}),
        Some(fake::bot_message(90, fake::CHANNEL_ID, data)),
    )
}

/// A command used in the guild by a member holding `permissions`.
fn guild_command(name: &str, options: &[(&str, OptionValue<'_>)], permissions: u64) -> Value {
    let id = next_id();
    fake::guild_interaction(
        2,
        id,
        &format!("token-{id}"),
        fake::guild_command_data(name, options, permissions),
        permissions,
    )
}

fn ping() -> Value {
    json!({
        "id": next_id().to_string(),
        "application_id": fake::APPLICATION_ID.to_string(),
        "type": 1,
        "token": "ping-token",
        "version": 1
    })
}

fn field<'a>(embed: &'a Value, name: &str) -> &'a str {
    embed["fields"]
        .as_array()
        .and_then(|fs| fs.iter().find(|f| f["name"] == name))
        .and_then(|f| f["value"].as_str())
        .unwrap_or_else(|| panic!("no field {name:?} in {embed}"))
}

/// A message answer pings nobody, as every message the bot sends.
fn pings_nobody(answer: &Value) {
    assert_eq!(
        answer["data"]["allowed_mentions"],
        json!({"parse": [], "users": [], "roles": []}),
        "{answer}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ping_is_answered_with_a_pong() {
    let endpoint = Endpoint::start(Duration::from_secs(2)).await;
    assert_eq!(endpoint.answer(&ping()).await, json!({"type": 1}));
    // Nothing went to Discord for it.
    assert!(
        endpoint.fake.calls().is_empty(),
        "{:?}",
        endpoint.fake.calls()
    );
    endpoint.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_football_command_is_answered_in_the_http_response() {
    let endpoint = Endpoint::start(Duration::from_secs(2)).await;

    let tie = endpoint
        .answer(&command(
            "tie",
            &[("team_a", "inter"), ("team_b", "bayern")],
        ))
        .await;
    assert_eq!(tie["type"], 4, "{tie}");
    pings_nobody(&tie);
    let embed = &tie["data"]["embeds"][0];
    assert_eq!(embed["title"], "Bayern Munich v Inter Milan", "{embed}");
    assert_eq!(field(embed, "Aggregate"), "Inter Milan 4-3 Bayern Munich");

    let quote = endpoint
        .answer(&command("quote", &[("person", "ventresca")]))
        .await;
    pings_nobody(&quote);
    let data = &quote["data"];
    assert!(
        data["embeds"][0]["title"]
            .as_str()
            .unwrap()
            .starts_with("Paolo Ventresca"),
        "{data}"
    );
    // The Another button updates its message with a different quote by the same person.
    let another = data["components"][0]["components"][0]["custom_id"]
        .as_str()
        .expect("an Another button");
    let pressed = endpoint.answer(&button(another, data)).await;
    assert_eq!(pressed["type"], 7, "the message is updated: {pressed}");
    assert_ne!(
        pressed["data"]["embeds"][0]["description"],
        data["embeds"][0]["description"]
    );

    let results = endpoint
        .answer(&command("results", &[("team", "inter")]))
        .await;
    assert_eq!(results["type"], 4, "{results}");
    pings_nobody(&results);
    assert!(
        results["data"]["embeds"][0]
            .to_string()
            .contains("Inter Milan"),
        "{results}"
    );

    let report = endpoint
        .answer(&command("report", &[("words", "excuses")]))
        .await;
    assert!(report.to_string().contains("@everyone"), "{report}");
    pings_nobody(&report);

    let help = endpoint.answer(&command("help", &[])).await;
    assert_eq!(help["type"], 4);
    assert!(help.to_string().contains("/tie"), "{help}");

    let choices = endpoint
        .answer(&autocomplete("tie", ("team_a", "liv")))
        .await;
    assert_eq!(choices["type"], 8, "{choices}");
    assert_eq!(
        choices["data"]["choices"][0]["name"], "Liverpool",
        "{choices}"
    );

    // User mistakes are private hints, as over the gateway.
    let unknown = endpoint
        .answer(&command(
            "tie",
            &[("team_a", "bayren"), ("team_b", "inter")],
        ))
        .await;
    assert_eq!(unknown["data"]["flags"], 64, "{unknown}");
    assert!(unknown.to_string().contains("Bayern Munich"), "{unknown}");
    let stale = endpoint.answer(&button("vote:yes", data)).await;
    assert_eq!(stale["data"]["flags"], 64, "{stale}");

    // Every answer went back in the HTTP response: no callback over REST.
    assert!(
        !endpoint
            .fake
            .calls()
            .iter()
            .any(|c| c.path.ends_with("/callback")),
        "{:?}",
        endpoint.fake.calls()
    );
    endpoint.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscriptions_are_managed_over_http_by_server_managers_only() {
    let endpoint = Endpoint::start(Duration::from_secs(2)).await;
    let subscribe = |permissions| {
        guild_command(
            "subscribe",
            &[
                ("channel", OptionValue::Channel(fake::CHANNEL_ID)),
                ("team", OptionValue::Str("Liverpool")),
            ],
            permissions,
        )
    };
    let refused = endpoint.answer(&subscribe(MEMBER_PERMISSIONS)).await;
    assert_eq!(refused["data"]["flags"], 64, "{refused}");
    let listed = endpoint
        .answer(&guild_command("subscriptions", &[], MANAGE_GUILD))
        .await;
    assert!(!listed.to_string().contains("Liverpool"), "{listed}");

    let done = endpoint.answer(&subscribe(MANAGE_GUILD)).await;
    assert_eq!(done["type"], 4, "{done}");
    pings_nobody(&done);
    let listed = endpoint
        .answer(&guild_command("subscriptions", &[], MANAGE_GUILD))
        .await;
    assert!(listed.to_string().contains("Liverpool"), "{listed}");
    let stored = endpoint
        .ctx
        .with_corpus(|c| c.subscriptions_in(fake::GUILD_ID))
        .unwrap();
    assert_eq!(stored.len(), 1, "{stored:?}");

    let gone = endpoint
        .answer(&guild_command(
            "unsubscribe",
            &[("target", OptionValue::Str("Liverpool"))],
            MANAGE_GUILD,
        ))
        .await;
    assert_eq!(gone["type"], 4, "{gone}");
    let stored = endpoint
        .ctx
        .with_corpus(|c| c.subscriptions_in(fake::GUILD_ID))
        .unwrap();
    assert!(stored.is_empty(), "{stored:?}");
    endpoint.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_bad_or_altered_signatures_are_refused_with_401() {
    let endpoint = Endpoint::start(Duration::from_secs(2)).await;
    let payload = command("help", &[]);
    let body = serde_json::to_vec(&payload).unwrap();
    let now = Endpoint::now();
    let good = Endpoint::signed_by(&endpoint.key, &now, &body);

    let refused = |headers: Vec<(&'static str, String)>, body: Vec<u8>, why: &'static str| {
        let endpoint = &endpoint;
        async move {
            let response = endpoint.post_raw(&headers, body).await;
            assert_eq!(response.status(), 401, "{why}");
        }
    };
    refused(Vec::new(), body.clone(), "no headers").await;
    refused(vec![good[0].clone()], body.clone(), "no timestamp").await;
    refused(vec![good[1].clone()], body.clone(), "no signature").await;
    refused(
        vec![("x-signature-ed25519", "zz".repeat(64)), good[1].clone()],
        body.clone(),
        "a signature that is not hex",
    )
    .await;
    refused(
        vec![
            ("x-signature-ed25519", good[0].1[..64].to_string()),
            good[1].clone(),
        ],
        body.clone(),
        "half a signature",
    )
    .await;
    refused(
        Endpoint::signed_by(&test_key(), &now, &body),
        body.clone(),
        "signed by another key",
    )
    .await;
    let mut altered = body.clone();
    let at = altered
        .windows(4)
        .position(|w| w == b"help")
        .expect("the command name in the body");
    altered[at..at + 4].copy_from_slice(b"tie ");
    refused(good.clone(), altered, "the body altered after signing").await;
    refused(
        vec![good[0].clone(), ("x-signature-timestamp", "1".to_string())],
        body.clone(),
        "another timestamp than the signed one",
    )
    .await;
    // A PING gets no PONG without its signature either.
    refused(
        Vec::new(),
        serde_json::to_vec(&ping()).unwrap(),
        "an unsigned ping",
    )
    .await;

    // The correctly signed request is answered, so the refusals were about the signature.
    let response = endpoint.post_raw(&good, body).await;
    assert_eq!(response.status(), 200);
    let answer: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(answer["type"], 4, "{answer}");
    endpoint.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_database_gets_a_clear_reply_and_the_endpoint_answers_on() {
    let endpoint = Endpoint::start(Duration::from_secs(2)).await;
    let db = endpoint.dir.path().join("corpus.db");
    // Another connection takes the results away, as a lost or damaged database would.
    let other = rusqlite::Connection::open(&db).unwrap();
    other
        .execute_batch("ALTER TABLE results RENAME TO results_away")
        .unwrap();

    let failed = endpoint
        .answer(&command("results", &[("team", "inter")]))
        .await;
    assert_eq!(failed["type"], 4, "{failed}");
    assert_eq!(
        failed["data"]["flags"], 64,
        "only the asker sees it: {failed}"
    );
    assert_eq!(
        failed["data"]["embeds"][0]["title"], "Sorry, something went wrong on our side",
        "{failed}"
    );
    assert!(
        support::logs().contains("no such table: results"),
        "the cause is logged"
    );
    // Commands that need no corpus still answer meanwhile.
    let help = endpoint.answer(&command("help", &[])).await;
    assert!(help.to_string().contains("/tie"), "{help}");

    other
        .execute_batch("ALTER TABLE results_away RENAME TO results")
        .unwrap();
    let results = endpoint
        .answer(&command("results", &[("team", "inter")]))
        .await;
    assert_ne!(results["data"]["flags"], 64, "public again: {results}");
    assert!(
        results["data"]["embeds"][0]
            .to_string()
            .contains("Inter Milan"),
        "{results}"
    );
    endpoint.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_command_is_deferred_then_edited_in_over_rest() {
    // A zero deadline defers every command.
    let endpoint = Endpoint::start(Duration::ZERO).await;
    let payload = command("tie", &[("team_a", "inter"), ("team_b", "bayern")]);
    let token = payload["token"].as_str().unwrap().to_string();
    let deferred = endpoint.answer(&payload).await;
    assert_eq!(deferred["type"], 5, "thinking: {deferred}");
    let edit_path = format!(
        "/api/v10/webhooks/{}/{token}/messages/@original",
        fake::APPLICATION_ID
    );
    let edit = endpoint
        .fake
        .wait_for(|c| c.method == "PATCH" && c.path == edit_path, WAIT)
        .await
        .unwrap_or_else(|| panic!("no edit at {edit_path}: {:?}", endpoint.fake.calls()));
    assert_eq!(
        edit.body["embeds"][0]["title"], "Bayern Munich v Inter Milan",
        "{}",
        edit.body
    );
    assert_eq!(edit.body["allowed_mentions"]["parse"], json!([]));
    assert!(endpoint.fake.model_errors().is_empty());
    endpoint.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_gateway_and_the_endpoint_give_the_same_answers() {
    let endpoint = Endpoint::start(Duration::from_secs(2)).await;
    let gateway = FakeDiscord::start().await;
    let bot = RunningBot::start_with_reports(&gateway, &[samples()]);
    assert!(gateway.wait_for_session(WAIT).await, "no gateway session");

    let cases: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("tie", vec![("team_a", "inter"), ("team_b", "bayern")]),
        ("quote", vec![("person", "ventresca")]),
        ("results", vec![("team", "inter")]),
        ("report", vec![("words", "excuses")]),
        ("help", vec![]),
        ("tie", vec![("team_a", "bayren"), ("team_b", "inter")]),
    ];
    for (name, options) in cases {
        let sent = gateway.send_command(name, &options).await;
        let callback = gateway
            .wait_for_callback(&sent, WAIT)
            .await
            .expect("a gateway callback");
        let over_http = endpoint.answer(&command(name, &options)).await;
        assert_eq!(over_http, callback.body, "/{name} {options:?}");
    }
    let sent = gateway
        .send_autocomplete("tie", &[], ("team_a", "liv"))
        .await;
    let callback = gateway.wait_for_callback(&sent, WAIT).await.unwrap();
    let over_http = endpoint
        .answer(&autocomplete("tie", ("team_a", "liv")))
        .await;
    assert_eq!(over_http, callback.body);

    bot.stop().await.unwrap();
    endpoint.stop().await;
}

/// `touchline serve` as a process: its config, and the address it says it listens on.
struct ServeProcess {
    child: std::process::Child,
    _dir: tempfile::TempDir,
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `touchline serve --listen 127.0.0.1:0` against `fake` with `public_key` in its
/// config; returns the process and the line it logged about listening, or its failure.
fn spawn_serve(
    fake: &FakeDiscord,
    public_key: &str,
) -> (ServeProcess, Result<std::net::SocketAddr, String>) {
    use std::io::{BufRead, Read};
    let dir = tempfile::tempdir().unwrap();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let config = dir.path().join("touchline.toml");
    std::fs::write(
        &config,
        format!(
            "[corpus]\ndatabase = {:?}\nsamples = {:?}\nteams = {:?}\n\n[discord]\napi_url = {:?}\npublic_key = {:?}\n",
            dir.path().join("corpus.db"),
            root.join("samples"),
            root.join("config/teams.toml"),
            fake.api_url(),
            public_key,
        ),
    )
    .unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("touchline"))
        .arg("--config")
        .arg(&config)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("DISCORD_TOKEN", fake::TOKEN)
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .env_remove("TOUCHLINE_DB")
        .env_remove("TOUCHLINE_DISCORD_API")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("touchline serve starts");
    let stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    // The log line names the bound address; a failed start closes stdout instead. The
    // rest of the log is read on, so the process never writes into a closed pipe.
    let (found, address) = std::sync::mpsc::channel::<Result<std::net::SocketAddr, String>>();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(at) = line.find("addr=") {
                let addr = line[at + 5..].split_whitespace().next().unwrap_or("");
                let _ = found.send(addr.parse().map_err(|e| format!("{line}: {e}")));
            }
        }
    });
    let mut listening = address
        .recv_timeout(WAIT)
        .unwrap_or_else(|_| Err(String::new()));
    if listening.is_err() {
        let mut why = String::new();
        let _ = stderr.read_to_string(&mut why);
        listening = Err(why);
    }
    (ServeProcess { child, _dir: dir }, listening)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn touchline_serve_registers_the_commands_and_answers_signed_requests() {
    let fake = FakeDiscord::start().await;
    let key = test_key();
    let public_key = hex::encode(key.verifying_key().as_bytes());
    fake.set_verify_key(&public_key);
    let (process, listening) = {
        let fake = &fake;
        let public_key = public_key.clone();
        tokio::task::block_in_place(|| spawn_serve(fake, &public_key))
    };
    let addr = listening.expect("touchline serve listens");
    let registered = fake
        .wait_for(|c| c.method == "PUT" && c.path.ends_with("/commands"), WAIT)
        .await
        .expect("the commands are registered at start");
    assert!(registered.body.to_string().contains("\"tie\""));

    let client = reqwest::Client::new();
    let post = |payload: Value| {
        let body = serde_json::to_vec(&payload).unwrap();
        let headers = Endpoint::signed_by(&key, &Endpoint::now(), &body);
        let mut request = client
            .post(format!("http://{addr}{INTERACTIONS_PATH}"))
            .body(body);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        request.send()
    };
    let pong = post(ping()).await.unwrap();
    assert_eq!(pong.status(), 200);
    assert_eq!(
        serde_json::from_slice::<Value>(&pong.bytes().await.unwrap()).unwrap(),
        json!({"type": 1})
    );
    let tie = post(command("tie", &[("team_a", "inter"), ("team_b", "bayern")]))
        .await
        .unwrap();
    let tie: Value = serde_json::from_slice(&tie.bytes().await.unwrap()).unwrap();
    assert_eq!(
        tie["data"]["embeds"][0]["title"],
        "Bayern Munich v Inter Milan"
    );
    let unsigned = client
        .post(format!("http://{addr}{INTERACTIONS_PATH}"))
        .body(serde_json::to_vec(&ping()).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), 401);
    drop(process);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn touchline_serve_refuses_a_public_key_that_is_not_the_applications() {
    let fake = FakeDiscord::start().await;
    fake.set_verify_key(&hex::encode(test_key().verifying_key().as_bytes()));
    let other = hex::encode(test_key().verifying_key().as_bytes());
    let (_process, listening) = tokio::task::block_in_place(|| spawn_serve(&fake, &other));
    let why = listening.expect_err("serve must not start with another application's key");
    assert!(
        why.contains("discord.public_key is not the public key of application"),
        "{why}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_gateway_results_are_still_announced() {
    use touchline::announce::Schedule;
    use touchline::corpus::{NewSubscription, Target};
    capture_logs();
    let fake = FakeDiscord::start().await;
    let (ctx, _dir) = support::test_ctx();
    let now = chrono::Utc::now();
    ctx.with_corpus(|c| {
        c.subscribe(
            &NewSubscription {
                guild_id: fake::GUILD_ID,
                channel_id: fake::CHANNEL_ID,
                target: Target::Team("Liverpool".into()),
                schedule: Schedule::Instant,
                created_by: None,
            },
            now,
        )
        .unwrap()
    });
    // A result of today, stored after the subscription: news for the channel.
    let text = format!(
        "---\ntitle: Liverpool against Fulham\ndate: {}\nsource: Touchline Test Wire\n\
         competition: Premier League\n---\n\
         Liverpool beat Fulham 2-0 at home on Wednesday night.\n",
        now.format("%Y-%m-%d")
    );
    let prepared = touchline::ingest::prepare(text, Some("test".into()), None);
    let extraction =
        touchline::ingest::extract_report(&prepared.report, prepared.body_offset, &ctx.teams)
            .unwrap();
    assert!(!extraction.results.is_empty());
    ctx.with_corpus(|c| c.add(&prepared.report, &extraction).unwrap());

    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(touchline::discord::run_background(
        touchline::discord::BotSettings::for_api(fake.api_url()),
        fake::TOKEN,
        Arc::clone(&ctx),
        async {
            let _ = stopped.await;
        },
    ));
    let posts = fake.wait_for_posted(fake::CHANNEL_ID, 1, WAIT).await;
    assert_eq!(posts.len(), 1, "{:?}", fake.calls());
    assert!(posts[0]
        .current()
        .to_string()
        .contains("Liverpool 2-0 Fulham"));
    assert_eq!(fake.connections(), 0, "no gateway session was opened");
    let _ = stop.send(());
    tokio::time::timeout(WAIT, running)
        .await
        .expect("stops in time")
        .unwrap()
        .unwrap();
}
