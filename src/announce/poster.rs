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

/// Posts a reply into a channel and returns the message id. `nonce` is the same for
/// the same announcement, so a repeated post is answered with the earlier message.
pub trait Poster: Send + Sync + 'static {
    fn post<'a>(&'a self, channel_id: u64, reply: &'a Reply, nonce: &'a str) -> PostFuture<'a>;
}
