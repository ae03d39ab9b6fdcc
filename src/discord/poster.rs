//! Posting announcements into channels, with Discord's answers sorted for the announcer.
//!
//! The body is serenity's `CreateMessage` (rendered by `render.rs`, allowed mentions none,
//! nonce enforced); the request is our own reqwest call because the announcer must see
//! what serenity hides: through a proxy (rate limiter off) a 429's `retry_after` is lost
//! in serenity's error type, and with its rate limiter on, serenity waits and retries
//! internally. Here 429, 5xx and 403/404 each become a [`PostError`] the announcer acts on.
//! Every request goes through [`RateLimits`]: this process's share of the bot's global
//! limit, and the per-route buckets Discord names in `X-RateLimit-Bucket`. A route whose
//! bucket is known to be empty, or a global 429 still in force, answers `RateLimited` at
//! once, without a request, so the announcer can set the channel aside. Edits (`PATCH`)
//! and reading a channel's recent messages (`GET`, to find a post whose answer was lost)
//! are sorted and limited the same way.

use std::time::Duration;

use anyhow::Context as _;
use reqwest::header::{HeaderMap, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serenity::all::{CurrentUser, EditMessage, Message, Nonce};
use tokio::sync::OnceCell;
use tokio::time::Instant;

use super::ratelimit::{Observed, RateLimits, Route};
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
    /// The global share and the route buckets, as Discord's answers report them.
    limits: RateLimits,
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
    #[serde(default)]
    global: bool,
}

/// The routes the poster uses, bucketed by channel (their major parameter).
const POST_MESSAGE: &str = "POST /channels/{id}/messages";
const EDIT_MESSAGE: &str = "PATCH /channels/{id}/messages/{m}";
const READ_MESSAGES: &str = "GET /channels/{id}/messages";
const CURRENT_USER: &str = "GET /users/@me";

/// Discord's own global limit per bot, the default share of a process alone.
pub const DISCORD_GLOBAL_PER_SEC: u32 = 50;

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
            limits: RateLimits::new(DISCORD_GLOBAL_PER_SEC),
            me: OnceCell::new(),
        })
    }

    /// Limits this process to `per_sec` requests a second: its share of the bot's global
    /// limit when several processes post (`discord.global_rate_per_sec`).
    pub fn with_global_rate(mut self, per_sec: u32) -> DiscordPoster {
        self.limits = RateLimits::new(per_sec);
        self
    }

    async fn send(&self, channel_id: u64, reply: &Reply, nonce: &str) -> Result<u64, PostError> {
        let body = render::channel_message(reply)
            .nonce(Nonce::String(nonce.to_string()))
            .enforce_nonce(true);
        let url = format!("{}/api/v10/channels/{channel_id}/messages", self.api_url);
        let route = Route {
            pattern: POST_MESSAGE,
            major: channel_id,
        };
        let (status, headers, text) = self
            .request(&route, Method::POST, &url, Some(&body))
            .await?;
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
        let route = Route {
            pattern: EDIT_MESSAGE,
            major: channel_id,
        };
        let (status, headers, text) = self
            .request(&route, Method::PATCH, &url, Some(&body))
            .await?;
        message_id(status, &headers, &text)
    }

    async fn read_recent(&self, channel_id: u64) -> Result<Vec<RecentMessage>, PostError> {
        let me = self.own_id().await?;
        let url = format!(
            "{}/api/v10/channels/{channel_id}/messages?limit=50",
            self.api_url
        );
        let route = Route {
            pattern: READ_MESSAGES,
            major: channel_id,
        };
        let (status, headers, text) = self.request::<()>(&route, Method::GET, &url, None).await?;
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
                let route = Route {
                    pattern: CURRENT_USER,
                    major: 0,
                };
                let (status, headers, text) =
                    self.request::<()>(&route, Method::GET, &url, None).await?;
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

    /// One authorized request within the rate limits; a network failure or a cut-off
    /// answer is transient.
    async fn request<B: serde::Serialize>(
        &self,
        route: &Route,
        method: Method,
        url: &str,
        body: Option<&B>,
    ) -> Result<(StatusCode, HeaderMap, String), PostError> {
        match self.limits.reserve(route, Instant::now()) {
            Ok(wait) if !wait.is_zero() => tokio::time::sleep(wait).await,
            Ok(_) => {}
            Err(wait) => {
                return Err(PostError::RateLimited {
                    retry_after: wait.duration(),
                })
            }
        }
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
        let error: ErrorBody = if status == StatusCode::TOO_MANY_REQUESTS {
            serde_json::from_str(&text).unwrap_or_default()
        } else {
            ErrorBody::default()
        };
        let seen =
            Observed::from_answer(status.as_u16(), &headers, error.retry_after, error.global);
        // A route's 429 is the announcer's to wait out (it sets the channel aside on its
        // own clock); a global one stops every request of this process here.
        if status != StatusCode::TOO_MANY_REQUESTS || seen.global {
            if seen.global {
                tracing::warn!(retry_after = ?seen.retry_after, "Discord's global rate limit was hit; every post waits");
            }
            self.limits.observe(route, &seen, Instant::now());
        }
        Ok((status, headers, text))
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
