//! Where announcements go: a trait, so the core never sees Discord types.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use crate::reply::Reply;

/// Why a post did not happen, sorted by what the announcer should do next.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PostError {
    /// Wait this long, then send the same post again.
    #[error("rate limited; retry after {retry_after:?}")]
    RateLimited { retry_after: Duration },
    /// A server error or a network failure: retry with backoff.
    #[error("temporary failure: {0}")]
    Transient(String),
    /// The channel is gone or the bot may not post there (403/404): stop posting to it.
    #[error("HTTP {status}: {reason}")]
    Gone { status: u16, reason: String },
    /// The message itself was refused (400): sending it again cannot help.
    #[error("refused with HTTP {status}: {reason}")]
    Rejected { status: u16, reason: String },
}

/// A boxed future, so the trait stays object-safe.
pub type PostFuture<'a> = Pin<Box<dyn Future<Output = Result<u64, PostError>> + Send + 'a>>;

/// A boxed future of a channel's recent messages.
pub type RecentFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Vec<RecentMessage>, PostError>> + Send + 'a>>;

/// A message read back from a channel: what the announcer needs to recognise its own post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecentMessage {
    pub id: u64,
    /// Posted by this bot.
    pub own: bool,
    /// The nonce it was posted with, while Discord still returns it (a few minutes).
    pub nonce: Option<String>,
    /// The footer text of each embed (where the announcer's marker is).
    pub footers: Vec<String>,
}

/// Posts a reply into a channel and returns the message id. `nonce` is the same for
/// the same announcement, so a repeated post is answered with the earlier message.
pub trait Poster: Send + Sync + 'static {
    fn post<'a>(&'a self, channel_id: u64, reply: &'a Reply, nonce: &'a str) -> PostFuture<'a>;
    /// Replaces the content of a message the bot posted; returns its id.
    fn edit<'a>(&'a self, channel_id: u64, message_id: u64, reply: &'a Reply) -> PostFuture<'a>;
    /// The channel's most recent messages (up to 50), to find a post whose answer was lost.
    fn recent(&self, channel_id: u64) -> RecentFuture<'_>;
}
