//! Interactions through the HTTP endpoint on 127.0.0.1: signed requests from reqwest to
//! `touchline serve`'s router (signature check, routing, the command, rendering), from the
//! request sent to its answer read.
//!
//! `cargo bench --bench endpoint_latency` (release). Sequential latency over 1,000
//! interactions, then throughput with 100 in flight, as `bot_latency` measures the gateway.
//! Client and server share the process and the cores, so the figures are an upper bound
//! on the endpoint's own share.

#[path = "../tests/support/mod.rs"]
mod support;

use support::latency::summary;

use std::sync::Arc;
use std::time::{Duration, Instant};

use ed25519_dalek::{Signer, SigningKey};
use serde_json::{json, Value};
use support::fake_discord as fake;
use support::FakeDiscord;
use touchline::discord::endpoint::{self, EndpointSettings, INTERACTIONS_PATH};

const SEQUENTIAL: usize = 1_000;
const IN_FLIGHT: usize = 100;
const CONCURRENT: usize = 5_000;
const WARM_UP: usize = 50;

struct Client {
    http: reqwest::Client,
    url: String,
    key: SigningKey,
}

impl Client {
    /// One signed interaction; the time from sending it to its answer read.
    async fn one(&self, id: u64, name: &str, options: &[(&str, &str)]) -> Duration {
        let options: Vec<Value> = options
            .iter()
            .map(|(k, v)| json!({"name": k, "type": 3, "value": v}))
            .collect();
        let payload = fake::interaction(
            2,
            id,
            &format!("token-{id}"),
            fake::command_data(name, options),
            None,
        );
        let body = serde_json::to_vec(&payload).unwrap();
        let timestamp = chrono::Utc::now().timestamp().to_string();
        let mut signed = timestamp.as_bytes().to_vec();
        signed.extend_from_slice(&body);
        let signature = hex::encode(self.key.sign(&signed).to_bytes());
        let started = Instant::now();
        let response = self
            .http
            .post(&self.url)
            .header("x-signature-ed25519", signature)
            .header("x-signature-timestamp", timestamp)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("the endpoint answers");
        assert_eq!(response.status(), 200);
        let answer = response.bytes().await.expect("a body");
        let elapsed = started.elapsed();
        let answer: Value = serde_json::from_slice(&answer).expect("JSON");
        assert_eq!(answer["type"], 4, "{answer}");
        elapsed
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        let fake = FakeDiscord::start().await;
        let (ctx, _dir) = support::test_ctx();
        ctx.with_corpus(|corpus| {
            let samples = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples");
            touchline::ingest::ingest_paths(
                corpus,
                &ctx.teams,
                &[samples],
                &touchline::config::IngestConfig::default(),
                false,
            )
            .expect("ingest the samples");
        });
        let key = SigningKey::from_bytes(&std::array::from_fn(|_| fastrand::u8(..)));
        let settings = EndpointSettings {
            public_key: key.verifying_key(),
            api_url: fake.api_url(),
            answer_within: touchline::discord::ANSWER_WITHIN,
            token: fake::TOKEN.to_string(),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}{INTERACTIONS_PATH}", listener.local_addr().unwrap());
        tokio::spawn(endpoint::serve(listener, ctx, settings, std::future::pending()));
        let client = Arc::new(Client {
            http: reqwest::Client::builder()
                .pool_max_idle_per_host(IN_FLIGHT)
                .build()
                .unwrap(),
            url,
            key,
        });

        let mut id = 1_400_000_000_000_000_000u64;
        for _ in 0..WARM_UP {
            id += 1;
            client.one(id, "help", &[]).await;
        }
        for (label, name, options) in [
            ("sequential /help, request -> answer", "help", vec![]),
            (
                "sequential /tie inter bayern, request -> answer",
                "tie",
                vec![("team_a", "inter"), ("team_b", "bayern")],
            ),
        ] {
            let mut latencies = Vec::with_capacity(SEQUENTIAL);
            for _ in 0..SEQUENTIAL {
                id += 1;
                latencies.push(client.one(id, name, &options).await);
            }
            summary(label, latencies);
        }

        let started = Instant::now();
        let workers: Vec<_> = (0..IN_FLIGHT)
            .map(|w| {
                let client = Arc::clone(&client);
                let base = id + 1 + (w * CONCURRENT) as u64;
                tokio::spawn(async move {
                    let mut mine = Vec::with_capacity(CONCURRENT / IN_FLIGHT);
                    for i in 0..CONCURRENT / IN_FLIGHT {
                        mine.push(client.one(base + i as u64, "help", &[]).await);
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
            &format!("{IN_FLIGHT} in flight /help, request -> answer"),
            latencies,
        );
        println!(
            "throughput with {IN_FLIGHT} in flight: {CONCURRENT} interactions in {elapsed:.2?} = {:.0} interactions/s",
            CONCURRENT as f64 / elapsed.as_secs_f64()
        );
        assert!(fake.model_errors().is_empty(), "{:?}", fake.model_errors());
    });
}
