//! The HTTP interactions endpoint (`touchline serve`): Discord POSTs each interaction to
//! it, signed with Ed25519, instead of sending it over the gateway.
//!
//! Each request is verified against the application's public key (`X-Signature-Ed25519`
//! over `X-Signature-Timestamp` + the raw body) before anything is read from it; a missing
//! or bad signature is answered 401, as Discord requires (it sends bad ones on purpose and
//! removes endpoints that accept them). PING is answered PONG; everything else goes through
//! the same [`Dispatcher`] as the gateway, and its first response is the body of the HTTP
//! answer. The endpoint keeps nothing between requests, so any number of copies can stand
//! behind a load balancer; a slow command's reply is edited in over REST afterwards.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response as HttpResponse};
use axum::routing::{get, post};
use axum::{Json, Router};
use ed25519_dalek::{Signature, VerifyingKey};
use serenity::all::{Http, Interaction};

use super::interactions::{Dispatcher, Response};
use crate::state::Ctx;

/// The path Discord is told to POST to (the portal's Interactions Endpoint URL ends with it).
pub const INTERACTIONS_PATH: &str = "/interactions";

/// What the endpoint needs besides the shared state.
#[derive(Clone)]
pub struct EndpointSettings {
    /// The application's public key (Developer Portal, General Information).
    pub public_key: VerifyingKey,
    /// Where a deferred answer is edited in: Discord, or a fake in tests.
    pub api_url: String,
    /// How long a command may run before its answer is deferred (zero: defer every one).
    pub answer_within: Duration,
    /// The bot token, for editing deferred answers through the same client as the gateway's.
    pub token: String,
}

/// Reads a public key as the Developer Portal shows it: 64 hex digits.
pub fn parse_public_key(text: &str) -> Result<VerifyingKey, String> {
    let bytes = hex::decode(text.trim())
        .map_err(|e| format!("discord.public_key is not hexadecimal: {e}"))?;
    let bytes: [u8; 32] = bytes.try_into().map_err(|b: Vec<u8>| {
        format!(
            "discord.public_key must be 32 bytes (64 hex digits), got {} bytes",
            b.len()
        )
    })?;
    VerifyingKey::from_bytes(&bytes)
        .map_err(|_| "discord.public_key is not a valid Ed25519 public key".to_string())
}

/// Why a request was refused before its body was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("missing X-Signature-Ed25519 or X-Signature-Timestamp")]
    Missing,
    #[error("malformed X-Signature-Ed25519")]
    Malformed,
    #[error("invalid request signature")]
    Invalid,
}

/// Checks Discord's signature of `body`: Ed25519 over the timestamp header then the body.
pub fn verify(key: &VerifyingKey, headers: &HeaderMap, body: &[u8]) -> Result<(), SignatureError> {
    let header = |name: &str| headers.get(name).map(|v| v.as_bytes());
    let (Some(signature), Some(timestamp)) = (
        header("x-signature-ed25519"),
        header("x-signature-timestamp"),
    ) else {
        return Err(SignatureError::Missing);
    };
    let signature: [u8; 64] = hex::decode(signature)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or(SignatureError::Malformed)?;
    let mut signed = Vec::with_capacity(timestamp.len() + body.len());
    signed.extend_from_slice(timestamp);
    signed.extend_from_slice(body);
    // Strict: refuses the malleable and small-order forms a plain check lets through.
    key.verify_strict(&signed, &Signature::from_bytes(&signature))
        .map_err(|_| SignatureError::Invalid)
}

struct Endpoint {
    dispatcher: Dispatcher,
    key: VerifyingKey,
    /// Edits deferred answers in; learns the application id from the interactions.
    http: Arc<Http>,
}

/// The endpoint's routes: `POST /interactions`, and `GET /health` for load balancers.
pub fn router(ctx: Arc<Ctx>, settings: EndpointSettings) -> Router {
    let endpoint = Endpoint {
        dispatcher: Dispatcher::new(ctx, settings.answer_within),
        key: settings.public_key,
        http: Arc::new(super::http_client(&settings.api_url, &settings.token)),
    };
    Router::new()
        .route(INTERACTIONS_PATH, post(interactions))
        .route("/health", get(|| async { "ok" }))
        .with_state(Arc::new(endpoint))
}

/// Serves the endpoint on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    ctx: Arc<Ctx>,
    settings: EndpointSettings,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let addr = listener.local_addr()?;
    tracing::info!(%addr, path = INTERACTIONS_PATH, "serving the interactions endpoint");
    axum::serve(listener, router(ctx, settings))
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| anyhow::anyhow!("the interactions endpoint on {addr} stopped: {e}"))
}

async fn interactions(
    State(endpoint): State<Arc<Endpoint>>,
    headers: HeaderMap,
    body: Bytes,
) -> HttpResponse {
    if let Err(why) = verify(&endpoint.key, &headers, &body) {
        tracing::debug!(reason = %why, "interaction refused");
        return (StatusCode::UNAUTHORIZED, why.to_string()).into_response();
    }
    let value: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return bad_request(format!("the body is not JSON: {e}")),
    };
    // PING needs nothing else from the payload.
    if value["type"].as_u64() == Some(1) {
        return Json(serde_json::json!({"type": 1})).into_response();
    }
    let interaction: Interaction = match serde_json::from_value(value) {
        Ok(i) => i,
        Err(e) => return bad_request(format!("not an interaction we can read: {e}")),
    };
    let Some(routed) = endpoint.dispatcher.respond(interaction).await else {
        return bad_request("an interaction Touchline does not answer".to_string());
    };
    match routed.response {
        Response::Now(response) => Json(response).into_response(),
        Response::Later { defer, pending } => {
            endpoint.http.set_application_id(routed.application_id);
            let http = Arc::clone(&endpoint.http);
            // The deferral is this answer; the reply follows by editing it over REST.
            tokio::spawn(async move { pending.deliver(&http).await });
            Json(defer).into_response()
        }
    }
}

fn bad_request(why: String) -> HttpResponse {
    tracing::warn!(reason = %why, "interaction not understood");
    (StatusCode::BAD_REQUEST, why).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_keys_are_checked_for_hex_length_and_curve() {
        assert!(parse_public_key("zz").unwrap_err().contains("hexadecimal"));
        assert!(parse_public_key("abcd")
            .unwrap_err()
            .contains("64 hex digits"));
        // The Ed25519 base point's encoding is a valid key.
        let base = "5866666666666666666666666666666666666666666666666666666666666666";
        assert!(parse_public_key(base).is_ok());
        // y = 2 is not on the curve.
        let off = format!("02{}", "00".repeat(31));
        assert!(parse_public_key(&off).unwrap_err().contains("not a valid"));
    }

    #[test]
    fn a_request_without_both_headers_is_refused_before_any_check() {
        let key =
            parse_public_key("5866666666666666666666666666666666666666666666666666666666666666")
                .unwrap();
        let mut headers = HeaderMap::new();
        assert_eq!(verify(&key, &headers, b"{}"), Err(SignatureError::Missing));
        headers.insert("x-signature-timestamp", "1700000000".parse().unwrap());
        assert_eq!(verify(&key, &headers, b"{}"), Err(SignatureError::Missing));
        headers.insert("x-signature-ed25519", "not hex".parse().unwrap());
        assert_eq!(
            verify(&key, &headers, b"{}"),
            Err(SignatureError::Malformed)
        );
        headers.insert("x-signature-ed25519", "00".repeat(64).parse().unwrap());
        assert_eq!(verify(&key, &headers, b"{}"), Err(SignatureError::Invalid));
    }
}
