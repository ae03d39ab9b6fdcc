//! Posting announcements into channels, with Discord's answers sorted for the announcer.
//!
//! The body is serenity's `CreateMessage` (rendered by `render.rs`, allowed mentions none,
//! nonce enforced); the request is our own reqwest call because the announcer must see
//! what serenity hides: through a proxy (rate limiter off) a 429's `retry_after` is lost
//! in serenity's error type, and with its rate limiter on, serenity waits and retries
//! internally. Here 429, 5xx and 403/404 each become a [`PostError`] the announcer acts on.
//! A channel whose bucket is known to be empty answers `RateLimited` at once, without a
//! request, so the announcer can set it aside. Edits (`PATCH`) and reading a channel's
//! recent messages (`GET`, to find a post whose answer was lost) are sorted the same way.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use anyhow::Context as _;
use reqwest::header::{HeaderMap, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serenity::all::{CurrentUser, EditMessage, Message, Nonce};
use tokio::sync::OnceCell;
use tokio::time::Instant;

use super::render;
use crate::announce::poster::{PostFuture, RecentFuture};
use crate::announce::{PostError, Poster, RecentMessage};
use crate::reply::Reply;

/// The whole request, body included.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// Posts channel messages through Discord's REST API (or a Discord-compatible server).
pub struct DiscordPoster {
    client: reqwest::Client,
    /// `https://discord.com` or a fake's `http://127.0.0.1:PORT`, without a trailing slash.
    api_url: String,
    authorization: String,
    /// Per channel: no post before this instant (the bucket said none remain).
    not_before: Mutex<HashMap<u64, Instant>>,
    /// The bot's user id, to tell its own messages when reading a channel.
    me: OnceCell<u64>,
}

/// The JSON of an error answer; a 429 carries `retry_after` in seconds.
#[derive(Debug, Default, Deserialize)]
struct ErrorBody {
    #[serde(default)]
    message: String,
    #[serde(default)]
    retry_after: Option<f64>,
}

impl DiscordPoster {
    /// A poster for `api_url` with the bot token (never logged).
    pub fn new(api_url: &str, token: &str) -> anyhow::Result<DiscordPoster> {
        let client = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .user_agent(concat!(
                "DiscordBot (https://github.com/touchline, ",
                env!("CARGO_PKG_VERSION"),
                ")"
            ))
            .build()
            .context("cannot build the HTTP client for announcements")?;
        Ok(DiscordPoster {
            client,
            api_url: api_url.trim_end_matches('/').to_string(),
            authorization: format!("Bot {}", token.trim()),
            not_before: Mutex::new(HashMap::new()),
            me: OnceCell::new(),
        })
    }

    async fn send(&self, channel_id: u64, reply: &Reply, nonce: &str) -> Result<u64, PostError> {
        let wait = self
            .not_before
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&channel_id)
            .copied();
        // The bucket is known to be empty: say so at once, and the announcer sets the
        // channel aside instead of waiting here while other channels have posts to make.
        if let Some(left) = wait.and_then(|at| at.checked_duration_since(Instant::now())) {
            if !left.is_zero() {
                return Err(PostError::RateLimited { retry_after: left });
            }
        }
        let body = render::channel_message(reply)
            .nonce(Nonce::String(nonce.to_string()))
            .enforce_nonce(true);
        let url = format!("{}/api/v10/channels/{channel_id}/messages", self.api_url);
        let (status, headers, text) = self.request(Method::POST, &url, Some(&body)).await?;
        // A 429's wait is the announcer's to keep (it sets the channel aside on its clock);
        // an emptied bucket after a success is kept here, to avoid earning the 429.
        if status.is_success() {
            self.note_bucket(channel_id, &headers);
        }
        message_id(status, &headers, &text)
    }

    async fn send_edit(
        &self,
        channel_id: u64,
        message_id_: u64,
        reply: &Reply,
    ) -> Result<u64, PostError> {
        let body = EditMessage::new()
            .embed(render::embed(reply))
            .components(render::components(reply))
            .allowed_mentions(render::no_mentions());
        let url = format!(
            "{}/api/v10/channels/{channel_id}/messages/{message_id_}",
            self.api_url
        );
        let (status, headers, text) = self.request(Method::PATCH, &url, Some(&body)).await?;
        message_id(status, &headers, &text)
    }

    async fn read_recent(&self, channel_id: u64) -> Result<Vec<RecentMessage>, PostError> {
        let me = self.own_id().await?;
        let url = format!(
            "{}/api/v10/channels/{channel_id}/messages?limit=50",
            self.api_url
        );
        let (status, headers, text) = self.request::<()>(Method::GET, &url, None).await?;
        if !status.is_success() {
            return Err(classify(status, &headers, &text));
        }
        let messages: Vec<Message> = serde_json::from_str(&text).map_err(|e| {
            PostError::Transient(format!("Discord's answer is not a list of messages: {e}"))
        })?;
        Ok(messages
            .into_iter()
            .map(|m| RecentMessage {
                id: m.id.get(),
                own: m.author.id.get() == me,
                nonce: m.nonce.map(|n| match n {
                    Nonce::String(s) => s,
                    Nonce::Number(n) => n.to_string(),
                }),
                footers: m
                    .embeds
                    .into_iter()
                    .filter_map(|e| e.footer.map(|f| f.text))
                    .collect(),
            })
            .collect())
    }

    /// The bot's own user id, asked once (`GET /users/@me`).
    async fn own_id(&self) -> Result<u64, PostError> {
        self.me
            .get_or_try_init(|| async {
                let url = format!("{}/api/v10/users/@me", self.api_url);
                let (status, headers, text) = self.request::<()>(Method::GET, &url, None).await?;
                if !status.is_success() {
                    return Err(classify(status, &headers, &text));
                }
                let me: CurrentUser = serde_json::from_str(&text).map_err(|e| {
                    PostError::Transient(format!("Discord's answer is not a user: {e}"))
                })?;
                Ok(me.id.get())
            })
            .await
            .copied()
    }

    /// One authorized request; a network failure or a cut-off answer is transient.
    async fn request<B: serde::Serialize>(
        &self,
        method: Method,
        url: &str,
        body: Option<&B>,
    ) -> Result<(StatusCode, HeaderMap, String), PostError> {
        let mut request = self
            .client
            .request(method, url)
            .header(AUTHORIZATION, &self.authorization);
        if let Some(body) = body {
            let bytes = serde_json::to_vec(body).map_err(|e| PostError::Rejected {
                status: 0,
                reason: format!("cannot encode the message: {e}"),
            })?;
            request = request.header(CONTENT_TYPE, "application/json").body(bytes);
        }
        let response = request
            .send()
            .await
            .map_err(|e| PostError::Transient(format!("cannot reach Discord: {e:#}")))?;
        let status = response.status();
        let headers = response.headers().clone();
        let text = response
            .text()
            .await
            .map_err(|e| PostError::Transient(format!("the answer was cut off: {e}")))?;
        Ok((status, headers, text))
    }

    /// Remembers when a channel's bucket is empty, so the next post waits for its reset.
    fn note_bucket(&self, channel_id: u64, headers: &HeaderMap) {
        let remaining = header_f64(headers, "x-ratelimit-remaining");
        let reset_after = header_f64(headers, "x-ratelimit-reset-after");
        if let (Some(r), Some(after)) = (remaining, reset_after) {
            if r < 1.0 {
                let at = Instant::now() + Duration::from_secs_f64(after.clamp(0.0, 60.0));
                self.not_before
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(channel_id, at);
            }
        }
    }
}

impl Poster for DiscordPoster {
    fn post<'a>(&'a self, channel_id: u64, reply: &'a Reply, nonce: &'a str) -> PostFuture<'a> {
        Box::pin(self.send(channel_id, reply, nonce))
    }

    fn edit<'a>(&'a self, channel_id: u64, message_id: u64, reply: &'a Reply) -> PostFuture<'a> {
        Box::pin(self.send_edit(channel_id, message_id, reply))
    }

    fn recent(&self, channel_id: u64) -> RecentFuture<'_> {
        Box::pin(self.read_recent(channel_id))
    }
}

/// The id of the message a successful answer carries, or the answer sorted as an error.
fn message_id(status: StatusCode, headers: &HeaderMap, text: &str) -> Result<u64, PostError> {
    if status.is_success() {
        let message: Message = serde_json::from_str(text)
            .map_err(|e| PostError::Transient(format!("Discord's answer is not a message: {e}")))?;
        return Ok(message.id.get());
    }
    Err(classify(status, headers, text))
}

/// An error answer sorted by what the announcer should do next.
fn classify(status: StatusCode, headers: &HeaderMap, text: &str) -> PostError {
    let error: ErrorBody = serde_json::from_str(text).unwrap_or_default();
    let reason = if error.message.is_empty() {
        status.canonical_reason().unwrap_or("error").to_string()
    } else {
        error.message.clone()
    };
    match status {
        StatusCode::TOO_MANY_REQUESTS => PostError::RateLimited {
            retry_after: error
                .retry_after
                .or_else(|| header_f64(headers, "retry-after"))
                .map(|s| Duration::from_secs_f64(s.clamp(0.0, 3_600.0)))
                .unwrap_or(Duration::from_secs(1)),
        },
        StatusCode::FORBIDDEN | StatusCode::NOT_FOUND => PostError::Gone {
            status: status.as_u16(),
            reason,
        },
        // A bad token fails every post alike: retry later rather than drop anything.
        StatusCode::UNAUTHORIZED => PostError::Transient(format!("401: {reason}")),
        s if s.is_server_error() => PostError::Transient(format!("{}: {reason}", s.as_u16())),
        s => PostError::Rejected {
            status: s.as_u16(),
            reason,
        },
    }
}

fn header_f64(headers: &HeaderMap, name: &str) -> Option<f64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}
