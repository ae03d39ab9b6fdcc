//! A fake Discord on one 127.0.0.1 port: REST under `/api/v10` and a gateway at `/gateway`.
//!
//! It speaks just enough of Discord for the real serenity client: HELLO, IDENTIFY -> READY,
//! heartbeat ACKs, RESUME -> RESUMED, INTERACTION_CREATE injection, and the REST calls a
//! bot makes (interaction callbacks, webhook edits and followups, command registration,
//! channel messages). Every call is recorded for the tests to wait on.
//!
//! Channel posts (`POST /api/v10/channels/{id}/messages`) behave like Discord's: each creates a
//! message kept per channel ([`FakeDiscord::posted`]); `enforce_nonce` with a nonce seen before
//! in that channel returns the earlier message; bodies are checked against Discord's limits
//! (empty, 2000 chars, embeds, nonce of 25 chars: 400); `Authorization` must be `Bot TOKEN`
//! (401); answers carry `X-RateLimit-*` headers. Failures are scripted per channel
//! ([`FakeDiscord::script_posts`], [`FakeDiscord::set_channel_status`]) and a post can be
//! created and never answered ([`FakeDiscord::hang_post`]) for crash tests. Nonces are
//! remembered for a while only ([`FakeDiscord::set_nonce_memory`]), as Discord's are;
//! `GET /channels/{id}/messages` reads a channel back (newest first, the nonce shown while
//! remembered) and `PATCH /channels/{id}/messages/{m}` edits a message ([`Posted::edits`]). Nothing assumes one
//! client for life: a restarted bot connects, identifies and gets READY again, and posts stay.
//!
//! Every payload the fake sends is also deserialized with `twilight-model`, a model of
//! Discord we did not write; a payload it refuses is recorded in [`FakeDiscord::model_errors`].
//! (A payload serenity cannot read becomes `Event::Unknown`, logged at DEBUG: silence.)

#![allow(dead_code)]

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::ws::{CloseFrame, Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use tokio::sync::{mpsc, oneshot, watch};

mod channels;
mod messages;
use messages::PostOutcome;
#[allow(unused_imports)]
pub use messages::{nonce_of, post_error_body, rate_limited_body, validate_message};

/// The application (and bot user) id the fake announces in READY.
pub const APPLICATION_ID: u64 = 1_100_000_000_000_000_001;
/// The one guild the bot is in.
pub const GUILD_ID: u64 = 1_100_000_000_000_000_002;
/// The channel interactions come from.
pub const CHANNEL_ID: u64 = 1_100_000_000_000_000_003;
/// A second text channel in the guild, for announcements to several channels.
pub const OTHER_CHANNEL_ID: u64 = 1_100_000_000_000_000_005;
/// The DM channel between the bot and [`USER_ID`], where DM commands come from.
pub const DM_CHANNEL_ID: u64 = 1_100_000_000_000_000_006;
/// MANAGE_GUILD (1 << 5), the permission admin-only commands ask for.
pub const MANAGE_GUILD: u64 = 1 << 5;
/// ADMINISTRATOR (1 << 3).
pub const ADMINISTRATOR: u64 = 1 << 3;
/// The permissions of an ordinary member (view, send, read history, ...), without MANAGE_GUILD.
pub const MEMBER_PERMISSIONS: u64 = 1 // CREATE_INSTANT_INVITE
    | 1 << 6 // ADD_REACTIONS
    | 1 << 10 // VIEW_CHANNEL
    | 1 << 11 // SEND_MESSAGES
    | 1 << 14 // EMBED_LINKS
    | 1 << 15 // ATTACH_FILES
    | 1 << 16 // READ_MESSAGE_HISTORY
    | 1 << 26 // CHANGE_NICKNAME
    | 1 << 31; // USE_APPLICATION_COMMANDS
/// The rate limit the fake reports on channel posts: this many per window, per channel.
pub const POST_LIMIT: u32 = 5;
/// The window of [`POST_LIMIT`].
pub const POST_WINDOW: Duration = Duration::from_secs(5);
/// The bucket hash the fake reports for `POST /channels/{id}/messages`.
pub const POST_BUCKET: &str = "fake-channel-messages-bucket";
/// The user who runs commands.
pub const USER_ID: u64 = 1_100_000_000_000_000_004;
/// A well-shaped token that the fake expects in `Authorization` and IDENTIFY.
pub const TOKEN: &str =
    "MTEwMDAwMDAwMDAwMDAwMDAwMQ.GfAkE0.fake-token-used-only-by-tests-0123456789";
/// Heartbeat interval announced in HELLO: long, so no test depends on heartbeats.
pub const HEARTBEAT_MS: u64 = 41_250;

/// One REST request the bot made.
#[derive(Debug, Clone)]
pub struct RestCall {
    pub method: String,
    /// The path without the query, e.g. `/api/v10/interactions/1/tok/callback`.
    pub path: String,
    pub query: Option<String>,
    /// The JSON body (`Null` when empty, a string when not JSON).
    pub body: Value,
    /// The `Authorization` header as sent.
    pub authorization: Option<String>,
    /// The status the fake answered.
    pub status: u16,
    /// When the request arrived.
    pub at: Instant,
}

impl RestCall {
    /// Whether this is the callback for interaction `id`.
    pub fn is_callback_for(&self, id: u64) -> bool {
        self.method == "POST"
            && self
                .path
                .starts_with(&format!("/api/v10/interactions/{id}/"))
            && self.path.ends_with("/callback")
    }

    /// The callback's response type (4 message, 5 deferred, 6 deferred update, 7 update, 8 choices).
    pub fn callback_type(&self) -> Option<u64> {
        self.body["type"].as_u64()
    }
}

/// One gateway frame the bot sent.
#[derive(Debug, Clone)]
pub struct ClientFrame {
    pub op: u64,
    pub d: Value,
    pub at: Instant,
}

/// An interaction the fake sent, to wait for its answer.
#[derive(Debug, Clone)]
pub struct SentInteraction {
    pub id: u64,
    pub token: String,
    /// The INTERACTION_CREATE `d` as sent.
    pub payload: Value,
}

/// A message created by `POST /api/v10/channels/{id}/messages`.
#[derive(Debug, Clone)]
pub struct Posted {
    /// The message's snowflake, as answered.
    pub id: u64,
    pub channel_id: u64,
    /// The request's `nonce` (a number is kept as its decimal string).
    pub nonce: Option<String>,
    /// The request body as sent.
    pub body: Value,
    /// When the message was created.
    pub at: Instant,
    /// The bodies of `PATCH /channels/{id}/messages/{message}` edits, oldest first.
    pub edits: Vec<Value>,
}

impl Posted {
    /// The body the message shows now: its last edit, or what was posted.
    pub fn current(&self) -> &Value {
        self.edits.last().unwrap_or(&self.body)
    }
}

/// One `POST /api/v10/channels/{id}/messages` attempt, whatever became of it.
#[derive(Debug, Clone)]
pub struct PostAttempt {
    pub at: Instant,
    /// The status answered; 0 for a post the fake never answered ([`FakeDiscord::hang_post`]).
    pub status: u16,
    pub nonce: Option<String>,
}

/// A scripted answer to one channel post, consumed before normal handling.
#[derive(Debug, Clone, PartialEq)]
pub enum Scripted {
    /// Answer this status with Discord's error body for it (403 Missing Permissions, 404
    /// Unknown Channel, 5xx a generic error); nothing is created.
    Status(u16),
    /// Answer 429 with `retry_after` (seconds) in the body and the rate-limit headers.
    RateLimited { retry_after: f64, global: bool },
}

/// A slash command option's value for [`FakeDiscord::send_guild_command`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OptionValue<'a> {
    /// A string option (type 3).
    Str(&'a str),
    /// A channel option (type 7): the id, resolved in `data.resolved.channels`.
    Channel(u64),
}

/// Channel posts: created messages, every attempt, and the scripted misbehaviour.
#[derive(Default)]
struct Posts {
    posted: Vec<Posted>,
    attempts: HashMap<u64, Vec<PostAttempt>>,
    /// Attempts over all channels, to number them for `hang_post`.
    attempt_count: usize,
    deduplicated: HashMap<u64, usize>,
    scripts: HashMap<u64, VecDeque<Scripted>>,
    channel_status: HashMap<u64, u16>,
    /// Attempt numbers (1-based, overall) that create the message and never answer.
    hang_after_create: HashSet<usize>,
    /// The next attempt that creates a message hangs after creating it.
    hang_next_create: bool,
    /// The next attempt of all hangs before creating anything.
    hang_next_attempt: bool,
    /// Attempt numbers that never answer and create nothing.
    hang_before_create: HashSet<usize>,
    /// Attempt numbers answered 500 without creating anything.
    reject_before_create: HashSet<usize>,
    /// Answer 429 once a channel had this many attempts within the window.
    enforce_limit: Option<(u32, Duration)>,
    /// How long a nonce is remembered (for `enforce_nonce` and in messages read back);
    /// Discord keeps it a few minutes.
    nonce_memory: Option<Duration>,
    /// `GET /channels/{id}/messages` calls, per channel.
    reads: HashMap<u64, usize>,
}

enum Outgoing {
    /// A dispatch (op 0): event name and data; the connection adds `s`.
    Dispatch {
        name: &'static str,
        d: Value,
        interaction: Option<u64>,
    },
    /// Close the socket with this code (4000: unknown error, resumable).
    Close(u16),
}

#[derive(Default)]
struct CallbackIndex {
    done: HashMap<u64, RestCall>,
    waiting: HashMap<u64, Vec<oneshot::Sender<RestCall>>>,
}

struct Inner {
    port: u16,
    calls: Mutex<Vec<RestCall>>,
    calls_changed: watch::Sender<u64>,
    /// Interaction callbacks by interaction id, and who waits for one (O(1) waits for benchmarks).
    callbacks: Mutex<CallbackIndex>,
    frames: Mutex<Vec<ClientFrame>>,
    frames_changed: watch::Sender<u64>,
    /// The live session's outbox, once READY or RESUMED was sent on it.
    session: watch::Sender<Option<mpsc::UnboundedSender<Outgoing>>>,
    session_id: Mutex<Option<String>>,
    seq: AtomicU64,
    next_id: AtomicU64,
    /// Status to answer the next N interaction callbacks with.
    fail_callbacks: Mutex<(u16, usize)>,
    /// When each interaction's frame was written to the socket.
    sent_at: Mutex<HashMap<u64, Instant>>,
    model_errors: Mutex<Vec<String>>,
    connections: AtomicU64,
    posts: Mutex<Posts>,
    posts_changed: watch::Sender<u64>,
    /// Posts being held unanswered right now.
    hanging: AtomicU64,
    /// The shard count `GET /gateway/bot` recommends.
    recommended_shards: AtomicU64,
    /// The application's public key (hex) as `GET /oauth2/applications/@me` shows it.
    verify_key: Mutex<String>,
}

/// Counts a hung post while its handler lives (hyper drops it with the connection).
struct Hanging(Arc<Inner>);

impl Hanging {
    fn new(inner: &Arc<Inner>) -> Hanging {
        inner.hanging.fetch_add(1, Ordering::SeqCst);
        inner.posts_changed.send_modify(|n| *n += 1);
        Hanging(Arc::clone(inner))
    }
}

impl Drop for Hanging {
    fn drop(&mut self) {
        self.0.hanging.fetch_sub(1, Ordering::SeqCst);
        self.0.posts_changed.send_modify(|n| *n += 1);
    }
}

/// The running fake; dropping it stops the server.
pub struct FakeDiscord {
    inner: Arc<Inner>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl FakeDiscord {
    /// Starts the fake on a port the OS picks on 127.0.0.1.
    pub async fn start() -> FakeDiscord {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("local addr").port();
        let inner = Arc::new(Inner {
            port,
            calls: Mutex::new(Vec::new()),
            calls_changed: watch::channel(0).0,
            callbacks: Mutex::new(CallbackIndex::default()),
            frames: Mutex::new(Vec::new()),
            frames_changed: watch::channel(0).0,
            session: watch::channel(None).0,
            session_id: Mutex::new(None),
            seq: AtomicU64::new(0),
            next_id: AtomicU64::new(1_200_000_000_000_000_000),
            fail_callbacks: Mutex::new((500, 0)),
            sent_at: Mutex::new(HashMap::new()),
            model_errors: Mutex::new(Vec::new()),
            connections: AtomicU64::new(0),
            posts: Mutex::new(Posts::default()),
            posts_changed: watch::channel(0).0,
            hanging: AtomicU64::new(0),
            recommended_shards: AtomicU64::new(1),
            verify_key: Mutex::new("00".repeat(32)),
        });
        let app = Router::new()
            .route("/gateway", get(gateway))
            .fallback(rest)
            .with_state(Arc::clone(&inner));
        let server = tokio::spawn(async move {
            axum::serve(listener, app)
                .await
                .expect("fake discord server");
        });
        FakeDiscord { inner, server }
    }

    /// `http://127.0.0.1:PORT`, for `discord.api_url`.
    pub fn api_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.inner.port)
    }

    /// The address the fake listens on.
    pub fn addr(&self) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.inner.port))
    }

    /// Every REST call so far.
    pub fn calls(&self) -> Vec<RestCall> {
        self.inner.calls.lock().unwrap().clone()
    }

    /// Every gateway frame the bot sent so far.
    pub fn frames(&self) -> Vec<ClientFrame> {
        self.inner.frames.lock().unwrap().clone()
    }

    /// Gateway connections accepted so far.
    pub fn connections(&self) -> u64 {
        self.inner.connections.load(Ordering::SeqCst)
    }

    /// Payloads of ours that twilight-model refused (should stay empty).
    pub fn model_errors(&self) -> Vec<String> {
        self.inner.model_errors.lock().unwrap().clone()
    }

    /// When the INTERACTION_CREATE frame for `id` was written to the socket.
    pub fn sent_at(&self, id: u64) -> Option<Instant> {
        self.inner.sent_at.lock().unwrap().get(&id).copied()
    }

    /// Answers the next `n` interaction callbacks with `status` instead of 204.
    pub fn fail_next_callbacks(&self, status: u16, n: usize) {
        *self.inner.fail_callbacks.lock().unwrap() = (status, n);
    }

    /// Waits for the first REST call matching `pred` (including earlier ones).
    pub async fn wait_for(
        &self,
        pred: impl Fn(&RestCall) -> bool,
        timeout: Duration,
    ) -> Option<RestCall> {
        let mut changed = self.inner.calls_changed.subscribe();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if let Some(c) = self.inner.calls.lock().unwrap().iter().find(|c| pred(c)) {
                return Some(c.clone());
            }
            match tokio::time::timeout_at(deadline, changed.changed()).await {
                Ok(Ok(())) => {}
                _ => return None,
            }
        }
    }

    /// Waits until at least `n` REST calls match `pred`, and returns them.
    pub async fn wait_for_n(
        &self,
        pred: impl Fn(&RestCall) -> bool,
        n: usize,
        timeout: Duration,
    ) -> Vec<RestCall> {
        let mut changed = self.inner.calls_changed.subscribe();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let found: Vec<RestCall> = self
                .inner
                .calls
                .lock()
                .unwrap()
                .iter()
                .filter(|c| pred(c))
                .cloned()
                .collect();
            if found.len() >= n {
                return found;
            }
            match tokio::time::timeout_at(deadline, changed.changed()).await {
                Ok(Ok(())) => {}
                _ => return found,
            }
        }
    }

    /// Waits for the callback answering `sent`.
    pub async fn wait_for_callback(
        &self,
        sent: &SentInteraction,
        timeout: Duration,
    ) -> Option<RestCall> {
        let rx = {
            let mut index = self.inner.callbacks.lock().unwrap();
            if let Some(call) = index.done.get(&sent.id) {
                return Some(call.clone());
            }
            let (tx, rx) = oneshot::channel();
            index.waiting.entry(sent.id).or_default().push(tx);
            rx
        };
        tokio::time::timeout(timeout, rx).await.ok()?.ok()
    }

    /// Waits until the bot has sent `n` gateway frames with opcode `op` (2 IDENTIFY, 6 RESUME).
    pub async fn wait_for_frames(&self, op: u64, n: usize, timeout: Duration) -> bool {
        let mut changed = self.inner.frames_changed.subscribe();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let count = self
                .inner
                .frames
                .lock()
                .unwrap()
                .iter()
                .filter(|f| f.op == op)
                .count();
            if count >= n {
                return true;
            }
            match tokio::time::timeout_at(deadline, changed.changed()).await {
                Ok(Ok(())) => {}
                _ => return false,
            }
        }
    }

    /// Waits until a session is live (READY or RESUMED sent).
    pub async fn wait_for_session(&self, timeout: Duration) -> bool {
        let mut rx = self.inner.session.subscribe();
        tokio::time::timeout(timeout, rx.wait_for(|s| s.is_some()))
            .await
            .is_ok_and(|r| r.is_ok())
    }

    /// Closes the gateway socket with code 4000 (resumable), forcing the bot to reconnect.
    pub fn drop_gateway(&self) {
        let outbox = self.inner.session.send_replace(None);
        if let Some(tx) = outbox {
            let _ = tx.send(Outgoing::Close(4000));
        }
    }

    // -----------------------------------------------------------------------------------
    // Channel posts (`POST /api/v10/channels/{id}/messages`).

    /// Messages created in `channel_id`, oldest first.
    pub fn posted(&self, channel_id: u64) -> Vec<Posted> {
        let posts = self.inner.posts.lock().unwrap();
        posts
            .posted
            .iter()
            .filter(|p| p.channel_id == channel_id)
            .cloned()
            .collect()
    }

    /// Messages created in every channel, oldest first.
    pub fn all_posted(&self) -> Vec<Posted> {
        self.inner.posts.lock().unwrap().posted.clone()
    }

    /// Waits until `channel_id` holds at least `n` messages; on timeout returns what there is.
    pub async fn wait_for_posted(
        &self,
        channel_id: u64,
        n: usize,
        timeout: Duration,
    ) -> Vec<Posted> {
        let mut changed = self.inner.posts_changed.subscribe();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let found = self.posted(channel_id);
            if found.len() >= n {
                return found;
            }
            match tokio::time::timeout_at(deadline, changed.changed()).await {
                Ok(Ok(())) => {}
                _ => return self.posted(channel_id),
            }
        }
    }

    /// Every post attempt to `channel_id` (created, deduplicated, refused or hung), oldest first.
    pub fn post_attempts(&self, channel_id: u64) -> Vec<PostAttempt> {
        let posts = self.inner.posts.lock().unwrap();
        posts.attempts.get(&channel_id).cloned().unwrap_or_default()
    }

    /// Post attempts so far, over all channels.
    pub fn post_attempt_count(&self) -> usize {
        self.inner.posts.lock().unwrap().attempt_count
    }

    /// Waits until at least `n` post attempts arrived (over all channels).
    pub async fn wait_for_post_attempts(&self, n: usize, timeout: Duration) -> bool {
        let mut changed = self.inner.posts_changed.subscribe();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if self.post_attempt_count() >= n {
                return true;
            }
            match tokio::time::timeout_at(deadline, changed.changed()).await {
                Ok(Ok(())) => {}
                _ => return self.post_attempt_count() >= n,
            }
        }
    }

    /// Posts to `channel_id` answered with an earlier message because of `enforce_nonce`.
    pub fn deduplicated(&self, channel_id: u64) -> usize {
        let posts = self.inner.posts.lock().unwrap();
        posts.deduplicated.get(&channel_id).copied().unwrap_or(0)
    }

    /// Queues answers for the next posts to `channel_id`, one per post, before normal handling.
    pub fn script_posts(&self, channel_id: u64, script: Vec<Scripted>) {
        let mut posts = self.inner.posts.lock().unwrap();
        posts.scripts.entry(channel_id).or_default().extend(script);
    }

    /// Answers every post to `channel_id` with `status` (e.g. 403, 404) until set to `None`.
    pub fn set_channel_status(&self, channel_id: u64, status: Option<u16>) {
        let mut posts = self.inner.posts.lock().unwrap();
        match status {
            Some(s) => posts.channel_status.insert(channel_id, s),
            None => posts.channel_status.remove(&channel_id),
        };
    }

    /// The `n`-th post attempt overall (1-based) creates its message, then is never answered
    /// (the handler waits until the connection is dropped): a test can kill the bot meanwhile.
    pub fn hang_post(&self, n: usize) {
        self.inner.posts.lock().unwrap().hang_after_create.insert(n);
    }

    /// Posts held unanswered right now (a hung post ends when its client's connection does).
    pub fn hanging_posts(&self) -> u64 {
        self.inner.hanging.load(Ordering::SeqCst)
    }

    /// Waits until exactly `n` posts are held unanswered.
    pub async fn wait_for_hanging(&self, n: u64, timeout: Duration) -> bool {
        let mut changed = self.inner.posts_changed.subscribe();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if self.hanging_posts() == n {
                return true;
            }
            match tokio::time::timeout_at(deadline, changed.changed()).await {
                Ok(Ok(())) => {}
                _ => return self.hanging_posts() == n,
            }
        }
    }

    /// The next post that creates a message (not one answered from its nonce) creates it
    /// and is never answered: a crash after Discord acted but before the bot heard.
    pub fn hang_next_create(&self) {
        self.inner.posts.lock().unwrap().hang_next_create = true;
    }

    /// The next post attempt is never answered and creates nothing: a crash mid-request.
    pub fn hang_next_attempt(&self) {
        self.inner.posts.lock().unwrap().hang_next_attempt = true;
    }

    /// The `n`-th post attempt overall is never answered and creates nothing.
    pub fn hang_before_create(&self, n: usize) {
        self.inner
            .posts
            .lock()
            .unwrap()
            .hang_before_create
            .insert(n);
    }

    /// The `n`-th post attempt overall is answered 500 and creates nothing.
    pub fn reject_before_create(&self, n: usize) {
        self.inner
            .posts
            .lock()
            .unwrap()
            .reject_before_create
            .insert(n);
    }

    /// Enforces a per-channel rate limit like Discord's (`limit` attempts per `window`):
    /// the attempt past it is answered 429 with the time left. Off by default (the headers
    /// on success always report [`POST_LIMIT`] per [`POST_WINDOW`]).
    pub fn enforce_rate_limit(&self, limit: Option<(u32, Duration)>) {
        self.inner.posts.lock().unwrap().enforce_limit = limit;
    }

    /// Makes `GET /gateway/bot` recommend `shards` shards (1 by default).
    pub fn recommend_shards(&self, shards: u64) {
        self.inner
            .recommended_shards
            .store(shards, Ordering::SeqCst);
    }

    /// The application's public key (64 hex digits) the fake shows as `verify_key`.
    pub fn set_verify_key(&self, hex: &str) {
        *self.inner.verify_key.lock().unwrap() = hex.to_string();
    }

    /// The `[shard, total]` of every IDENTIFY the bot sent, in order.
    pub fn identified_shards(&self) -> Vec<[u64; 2]> {
        self.frames()
            .iter()
            .filter(|f| f.op == 2)
            .map(|f| {
                let shard = &f.d["shard"];
                [
                    shard[0].as_u64().unwrap_or(u64::MAX),
                    shard[1].as_u64().unwrap_or(u64::MAX),
                ]
            })
            .collect()
    }

    /// Nonces are forgotten `memory` after their post (default: 5 minutes, as Discord's few
    /// minutes): a repeated post after that creates a second message, and messages read
    /// back no longer carry the nonce.
    pub fn set_nonce_memory(&self, memory: Duration) {
        self.inner.posts.lock().unwrap().nonce_memory = Some(memory);
    }

    /// How often the bot read `channel_id`'s messages (`GET /channels/{id}/messages`).
    pub fn reads(&self, channel_id: u64) -> usize {
        let posts = self.inner.posts.lock().unwrap();
        posts.reads.get(&channel_id).copied().unwrap_or(0)
    }

    /// Sends a slash command (interaction type 2) with string options.
    pub async fn send_command(&self, name: &str, options: &[(&str, &str)]) -> SentInteraction {
        let options: Vec<Value> = options
            .iter()
            .map(|(k, v)| json!({"name": k, "type": 3, "value": v}))
            .collect();
        let data = command_data(name, options);
        self.send_interaction(2, data, None).await
    }

    /// Sends an autocomplete request (type 4): `focused` is the option being typed.
    pub async fn send_autocomplete(
        &self,
        name: &str,
        others: &[(&str, &str)],
        focused: (&str, &str),
    ) -> SentInteraction {
        let mut options: Vec<Value> = others
            .iter()
            .map(|(k, v)| json!({"name": k, "type": 3, "value": v}))
            .collect();
        options.push(json!({"name": focused.0, "type": 3, "value": focused.1, "focused": true}));
        self.send_interaction(4, command_data(name, options), None)
            .await
    }

    /// Presses a button (type 3) with `custom_id` on `message` (a message object, e.g. [`bot_message`]).
    pub async fn press_button(&self, custom_id: &str, message: Value) -> SentInteraction {
        let data = json!({"custom_id": custom_id, "component_type": 2});
        self.send_interaction(3, data, Some(message)).await
    }

    /// Picks `values` in the string select menu `custom_id` (component type 3) on `message`.
    pub async fn choose(
        &self,
        custom_id: &str,
        values: &[&str],
        message: Value,
    ) -> SentInteraction {
        let data = json!({"custom_id": custom_id, "component_type": 3, "values": values});
        self.send_interaction(3, data, Some(message)).await
    }

    /// Sends a slash command used in the guild by a member holding `permissions` (a bitfield,
    /// e.g. [`MANAGE_GUILD`]); channel options are resolved in `data.resolved.channels`.
    pub async fn send_guild_command(
        &self,
        name: &str,
        options: &[(&str, OptionValue<'_>)],
        permissions: u64,
    ) -> SentInteraction {
        let (id, token) = self.new_interaction_id();
        let payload = guild_interaction(
            2,
            id,
            &token,
            guild_command_data(name, options, permissions),
            permissions,
        );
        self.send_payload(id, token, payload).await
    }

    /// Sends a slash command used in the bot's DMs: no `guild_id`, `user` instead of `member`.
    pub async fn send_dm_command(&self, name: &str, options: &[(&str, &str)]) -> SentInteraction {
        let options: Vec<Value> = options
            .iter()
            .map(|(k, v)| json!({"name": k, "type": 3, "value": v}))
            .collect();
        let (id, token) = self.new_interaction_id();
        let payload = dm_interaction(2, id, &token, dm_command_data(name, options));
        self.send_payload(id, token, payload).await
    }

    fn new_interaction_id(&self) -> (u64, String) {
        let id = self.inner.next_id.fetch_add(1, Ordering::SeqCst);
        (id, format!("interaction-token-{id}"))
    }

    async fn send_interaction(
        &self,
        kind: u8,
        data: Value,
        message: Option<Value>,
    ) -> SentInteraction {
        let (id, token) = self.new_interaction_id();
        let payload = interaction(kind, id, &token, data, message);
        self.send_payload(id, token, payload).await
    }

    async fn send_payload(&self, id: u64, token: String, payload: Value) -> SentInteraction {
        let mut rx = self.inner.session.subscribe();
        let outbox = tokio::time::timeout(Duration::from_secs(60), rx.wait_for(|s| s.is_some()))
            .await
            .expect("no gateway session within 60 s")
            .expect("fake discord stopped")
            .clone()
            .expect("session");
        outbox
            .send(Outgoing::Dispatch {
                name: "INTERACTION_CREATE",
                d: payload.clone(),
                interaction: Some(id),
            })
            .expect("gateway connection gone");
        SentInteraction { id, token, payload }
    }
}

// ---------------------------------------------------------------------------------------
// Payloads. Public so the fake's own tests can check each one against twilight and serenity.

/// The bot user.
pub fn bot_user() -> Value {
    json!({
        "id": APPLICATION_ID.to_string(),
        "username": "Touchline",
        "discriminator": "0",
        "global_name": null,
        "avatar": null,
        "bot": true,
        "mfa_enabled": false,
        "verified": true,
        "flags": 0
    })
}

/// The user who runs commands.
pub fn human_user() -> Value {
    json!({
        "id": USER_ID.to_string(),
        "username": "fan",
        "discriminator": "0",
        "global_name": "A Fan",
        "avatar": null,
        "public_flags": 0
    })
}

/// READY for a new session.
pub fn ready(session_id: &str, port: u16) -> Value {
    json!({
        "v": 10,
        "user": bot_user(),
        "guilds": [{"id": GUILD_ID.to_string(), "unavailable": true}],
        "session_id": session_id,
        "resume_gateway_url": format!("ws://127.0.0.1:{port}/gateway"),
        "shard": [0, 1],
        "application": {"id": APPLICATION_ID.to_string(), "flags": 0},
        "private_channels": [],
        "_trace": ["fake-discord"]
    })
}

/// The application, as `GET /oauth2/applications/@me` answers it.
pub fn application(verify_key: &str) -> Value {
    json!({
        "id": APPLICATION_ID.to_string(),
        "name": "Touchline",
        "icon": null,
        "description": "",
        "bot_public": true,
        "bot_require_code_grant": false,
        "owner": null,
        "team": null,
        "verify_key": verify_key,
        "flags": 0
    })
}

/// A slash command's `data`.
pub fn command_data(name: &str, options: Vec<Value>) -> Value {
    let command_id = 1_300_000_000_000_000_000u64 + name.len() as u64;
    json!({
        "id": command_id.to_string(),
        "name": name,
        "type": 1,
        "options": options,
        "guild_id": GUILD_ID.to_string()
    })
}

/// An INTERACTION_CREATE `d` of `kind` (2 command, 3 component, 4 autocomplete).
pub fn interaction(kind: u8, id: u64, token: &str, data: Value, message: Option<Value>) -> Value {
    let mut d = json!({
        "id": id.to_string(),
        "application_id": APPLICATION_ID.to_string(),
        "type": kind,
        "data": data,
        "guild_id": GUILD_ID.to_string(),
        "channel_id": CHANNEL_ID.to_string(),
        "member": {
            "user": human_user(),
            "nick": null,
            "avatar": null,
            "roles": [],
            "joined_at": "2024-01-01T12:00:00.000000+00:00",
            "premium_since": null,
            "deaf": false,
            "mute": false,
            "flags": 0,
            "pending": false,
            "permissions": "2248473465835073"
        },
        "token": token,
        "version": 1,
        "app_permissions": "2248473465835073",
        "locale": "en-GB",
        "guild_locale": "en-GB",
        "entitlements": [],
        "authorizing_integration_owners": {"0": GUILD_ID.to_string()},
        "context": 0,
        "attachment_size_limit": 10_485_760
    });
    if let Some(m) = message {
        d["message"] = m;
    }
    d
}

/// A slash command's `data` with typed options; channel options are resolved as a member
/// holding `permissions` sees them.
pub fn guild_command_data(
    name: &str,
    options: &[(&str, OptionValue<'_>)],
    permissions: u64,
) -> Value {
    let mut channels = serde_json::Map::new();
    let options: Vec<Value> = options
        .iter()
        .map(|(k, v)| match v {
            OptionValue::Str(s) => json!({"name": k, "type": 3, "value": s}),
            OptionValue::Channel(id) => {
                channels.insert(id.to_string(), resolved_channel(*id, permissions));
                json!({"name": k, "type": 7, "value": id.to_string()})
            }
        })
        .collect();
    let mut data = command_data(name, options);
    if !channels.is_empty() {
        data["resolved"] = json!({"channels": channels});
    }
    data
}

/// A global command's `data` as used in DMs (no `guild_id`).
pub fn dm_command_data(name: &str, options: Vec<Value>) -> Value {
    let mut data = command_data(name, options);
    data.as_object_mut().unwrap().remove("guild_id");
    data
}

/// A text channel of the guild as `data.resolved.channels` carries it.
pub fn resolved_channel(id: u64, permissions: u64) -> Value {
    let name = match id {
        CHANNEL_ID => "general".to_string(),
        OTHER_CHANNEL_ID => "results".to_string(),
        _ => format!("channel-{}", id % 10_000),
    };
    json!({
        "id": id.to_string(),
        "name": name,
        "type": 0,
        "permissions": permissions.to_string(),
        "nsfw": false,
        "parent_id": null,
        "topic": null,
        "last_message_id": null,
        "rate_limit_per_user": 0,
        "position": 1,
        "flags": 0,
        "guild_id": GUILD_ID.to_string()
    })
}

/// An interaction used in the guild by a member holding `permissions`.
pub fn guild_interaction(kind: u8, id: u64, token: &str, data: Value, permissions: u64) -> Value {
    let mut d = interaction(kind, id, token, data, None);
    d["member"]["permissions"] = json!(permissions.to_string());
    d
}

/// An interaction used in the bot's DMs: `user`, no `member` nor `guild_id`.
pub fn dm_interaction(kind: u8, id: u64, token: &str, data: Value) -> Value {
    let mut d = interaction(kind, id, token, data, None);
    let o = d.as_object_mut().unwrap();
    o.remove("member");
    o.remove("guild_id");
    o.remove("guild_locale");
    o.insert("user".into(), human_user());
    o.insert("channel_id".into(), json!(DM_CHANNEL_ID.to_string()));
    o.insert(
        "channel".into(),
        json!({"id": DM_CHANNEL_ID.to_string(), "type": 1, "flags": 0, "last_message_id": null,
               "recipients": [human_user()]}),
    );
    // BOT_DM; a guild-installed app used in its DMs is authorized with guild "0".
    o.insert("context".into(), json!(1));
    o.insert("authorizing_integration_owners".into(), json!({"0": "0"}));
    d
}

/// A message the bot posted to a channel, as `POST /channels/{id}/messages` answers it.
pub fn channel_message(id: u64, channel_id: u64, body: &Value) -> Value {
    let mut m = bot_message(id, channel_id, body);
    let o = m.as_object_mut().unwrap();
    // Not a webhook or interaction message.
    o.remove("webhook_id");
    o.remove("application_id");
    if let Some(nonce) = body.get("nonce").filter(|n| !n.is_null()) {
        o.insert("nonce".into(), nonce.clone());
    }
    m
}

/// A message by the bot, as Discord returns it, with `embeds` and `components` from a request body.
pub fn bot_message(id: u64, channel_id: u64, body: &Value) -> Value {
    let mut embeds = body["embeds"].as_array().cloned().unwrap_or_default();
    for e in &mut embeds {
        e["type"] = json!("rich");
        // Discord answers timestamps in its own form (`+00:00`, microseconds), whatever
        // RFC 3339 form was sent.
        if let Some(t) = e["timestamp"]
            .as_str()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        {
            e["timestamp"] = json!(t
                .with_timezone(&chrono::Utc)
                .format("%Y-%m-%dT%H:%M:%S%.6f+00:00")
                .to_string());
        }
    }
    json!({
        "id": id.to_string(),
        "channel_id": channel_id.to_string(),
        "author": bot_user(),
        "content": body["content"].as_str().unwrap_or(""),
        "timestamp": "2024-04-10T21:00:00.000000+00:00",
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": embeds,
        "components": body["components"].as_array().cloned().unwrap_or_default(),
        "pinned": false,
        "type": 0,
        "flags": body["flags"].as_u64().unwrap_or(0),
        "application_id": APPLICATION_ID.to_string(),
        "webhook_id": APPLICATION_ID.to_string()
    })
}

/// The registered commands as Discord answers a bulk overwrite.
pub fn registered_commands(body: &Value, guild: Option<u64>) -> Value {
    let list: Vec<Value> = body
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(i, mut c)| {
            c["id"] = json!((1_300_000_000_000_000_100u64 + i as u64).to_string());
            c["application_id"] = json!(APPLICATION_ID.to_string());
            c["version"] = json!("1300000000000000999");
            if c.get("type").is_none() {
                c["type"] = json!(1);
            }
            c["default_member_permissions"] = c
                .get("default_member_permissions")
                .cloned()
                .unwrap_or(Value::Null);
            if let Some(g) = guild {
                c["guild_id"] = json!(g.to_string());
            }
            c
        })
        .collect();
    Value::Array(list)
}

/// Deserializes a whole gateway frame with twilight-model; the error names the event.
pub fn check_frame(text: &str) -> Result<(), String> {
    use serde::de::DeserializeSeed;
    use twilight_model::gateway::event::GatewayEventDeserializer;
    let seed = GatewayEventDeserializer::from_json(text)
        .ok_or_else(|| format!("twilight cannot read the frame header: {text}"))?;
    let name = seed.event_type().unwrap_or("-").to_string();
    let mut de = serde_json::Deserializer::from_str(text);
    seed.deserialize(&mut de)
        .map(|_| ())
        .map_err(|e| format!("twilight refuses {name}: {e}"))
}

/// Deserializes a REST answer with the twilight-model type for `path`.
pub fn check_rest_answer(method: &str, path: &str, answer: &Value) -> Result<(), String> {
    use twilight_model::application::command::Command;
    use twilight_model::channel::Message;
    use twilight_model::gateway::connection_info::{BotConnectionInfo, ConnectionInfo};
    fn check<T: serde::de::DeserializeOwned>(what: &str, v: &Value) -> Result<(), String> {
        serde_json::from_value::<T>(v.clone())
            .map(|_| ())
            .map_err(|e| format!("twilight refuses {what}: {e}: {v}"))
    }
    match (method, path) {
        ("GET", "/api/v10/gateway") => check::<ConnectionInfo>("gateway", answer),
        ("GET", "/api/v10/gateway/bot") => check::<BotConnectionInfo>("gateway/bot", answer),
        ("PUT", _) if path.ends_with("/commands") => check::<Vec<Command>>("commands", answer),
        ("GET", _) if path.ends_with("/messages") && answer.is_array() => {
            check::<Vec<Message>>("messages", answer)
        }
        _ if answer.get("channel_id").is_some() => check::<Message>("message", answer),
        _ => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------
// Server side.

impl Inner {
    fn model_error(&self, e: String) {
        eprintln!("fake discord: {e}");
        self.model_errors.lock().unwrap().push(e);
    }

    fn record_call(&self, call: RestCall) {
        if let Some(id) = callback_interaction(&call) {
            let mut index = self.callbacks.lock().unwrap();
            for waiter in index.waiting.remove(&id).unwrap_or_default() {
                let _ = waiter.send(call.clone());
            }
            index.done.entry(id).or_insert_with(|| call.clone());
        }
        self.calls.lock().unwrap().push(call);
        self.calls_changed.send_modify(|n| *n += 1);
    }

    fn record_frame(&self, op: u64, d: Value) {
        self.frames.lock().unwrap().push(ClientFrame {
            op,
            d,
            at: Instant::now(),
        });
        self.frames_changed.send_modify(|n| *n += 1);
    }

    fn next_snowflake(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::SeqCst)
    }
}

/// The interaction id of a callback call (`POST /api/v10/interactions/{id}/{token}/callback`).
fn callback_interaction(call: &RestCall) -> Option<u64> {
    let rest = call.path.strip_prefix("/api/v10/interactions/")?;
    if call.method != "POST" || !rest.ends_with("/callback") {
        return None;
    }
    rest.split('/').next()?.parse().ok()
}

fn json_answer(
    inner: &Inner,
    method: &str,
    path: &str,
    status: StatusCode,
    answer: Value,
) -> Response {
    if let Err(e) = check_rest_answer(method, path, &answer) {
        inner.model_error(e);
    }
    (status, Json(answer)).into_response()
}

async fn rest(
    State(inner): State<Arc<Inner>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_string();
    let body_json: Value = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&body)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into_owned()))
    };
    let authorization = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let m = method.as_str().to_string();
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();

    if let ("POST", ["api", "v10", "channels", channel, "messages"]) =
        (m.as_str(), segments.as_slice())
    {
        let channel = channel.to_string();
        let outcome = inner.post_message(&channel, authorization.as_deref(), &body_json);
        let status = match &outcome {
            PostOutcome::Answer { status, .. } => *status,
            PostOutcome::Hang => 0,
        };
        inner.record_call(RestCall {
            method: m.clone(),
            path: path.clone(),
            query: uri.query().map(str::to_string),
            body: body_json,
            authorization,
            status,
            at: Instant::now(),
        });
        return match outcome {
            PostOutcome::Answer {
                status,
                body,
                headers,
            } => {
                let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
                let mut response = json_answer(&inner, &m, &path, status, body);
                for (name, value) in headers {
                    if let Ok(v) = axum::http::HeaderValue::from_str(&value) {
                        response.headers_mut().insert(name, v);
                    }
                }
                response
            }
            // Discord created it (or not) but the answer never comes; hyper drops this
            // future when the client's connection goes away.
            PostOutcome::Hang => {
                let _hanging = Hanging::new(&inner);
                std::future::pending().await
            }
        };
    }

    let (status, answer): (StatusCode, Option<Value>) = match (m.as_str(), segments.as_slice()) {
        ("GET", ["api", "v10", "gateway"]) => (
            StatusCode::OK,
            // No query string: serenity appends `?v=10` itself.
            Some(json!({"url": format!("ws://127.0.0.1:{}/gateway", inner.port)})),
        ),
        ("GET", ["api", "v10", "gateway", "bot"]) => (
            StatusCode::OK,
            Some(json!({
                "url": format!("ws://127.0.0.1:{}/gateway", inner.port),
                "shards": inner.recommended_shards.load(Ordering::SeqCst),
                "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
            })),
        ),
        ("GET", ["api", "v10", "users", "@me"]) => (StatusCode::OK, Some(bot_user())),
        ("GET", ["api", "v10", "oauth2", "applications", "@me"]) => (
            StatusCode::OK,
            Some(application(&inner.verify_key.lock().unwrap())),
        ),
        ("GET", ["api", "v10", "channels", channel, "messages"]) => {
            let (status, answer) =
                inner.read_messages(channel, uri.query(), authorization.as_deref());
            (status, Some(answer))
        }
        ("PATCH", ["api", "v10", "channels", channel, "messages", message]) => {
            let (status, answer) =
                inner.edit_message(channel, message, authorization.as_deref(), &body_json);
            (status, Some(answer))
        }
        ("POST", ["api", "v10", "interactions", _id, _token, "callback"]) => {
            let mut fail = inner.fail_callbacks.lock().unwrap();
            if fail.1 > 0 {
                fail.1 -= 1;
                let status =
                    StatusCode::from_u16(fail.0).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                (status, Some(json!({"message": "fake failure", "code": 0})))
            } else {
                (StatusCode::NO_CONTENT, None)
            }
        }
        ("PATCH", ["api", "v10", "webhooks", _app, _token, "messages", "@original"]) => {
            let id = inner.next_snowflake();
            (
                StatusCode::OK,
                Some(bot_message(id, CHANNEL_ID, &body_json)),
            )
        }
        ("DELETE", ["api", "v10", "webhooks", _app, _token, "messages", "@original"]) => {
            (StatusCode::NO_CONTENT, None)
        }
        ("POST", ["api", "v10", "webhooks", _app, _token]) => {
            let id = inner.next_snowflake();
            (
                StatusCode::OK,
                Some(bot_message(id, CHANNEL_ID, &body_json)),
            )
        }
        ("PUT", ["api", "v10", "applications", _app, "commands"]) => {
            (StatusCode::OK, Some(registered_commands(&body_json, None)))
        }
        ("PUT", ["api", "v10", "applications", _app, "guilds", guild, "commands"]) => (
            StatusCode::OK,
            Some(registered_commands(&body_json, guild.parse().ok())),
        ),
        _ => (
            StatusCode::NOT_FOUND,
            Some(json!({"message": "404: Not Found", "code": 0})),
        ),
    };

    inner.record_call(RestCall {
        method: m.clone(),
        path: path.clone(),
        query: uri.query().map(str::to_string),
        body: body_json,
        authorization,
        status: status.as_u16(),
        at: Instant::now(),
    });
    match answer {
        Some(a) => json_answer(&inner, &m, &path, status, a),
        None => status.into_response(),
    }
}

async fn gateway(State(inner): State<Arc<Inner>>, ws: WebSocketUpgrade) -> Response {
    ws.on_upgrade(move |socket| connection(socket, inner))
}

async fn send_frame(inner: &Inner, socket: &mut WebSocket, frame: Value) -> bool {
    let text = frame.to_string();
    if let Err(e) = check_frame(&text) {
        inner.model_error(e);
    }
    socket.send(WsMessage::Text(text)).await.is_ok()
}

async fn dispatch(inner: &Inner, socket: &mut WebSocket, name: &str, d: Value) -> bool {
    let s = inner.seq.fetch_add(1, Ordering::SeqCst) + 1;
    send_frame(inner, socket, json!({"op": 0, "s": s, "t": name, "d": d})).await
}

/// Answers one frame from the client; false when the connection must end.
async fn answer_client(
    inner: &Inner,
    socket: &mut WebSocket,
    op: u64,
    d: &Value,
    outbox: &mpsc::UnboundedSender<Outgoing>,
) -> bool {
    match op {
        // Heartbeat: ACK, or the shard restarts.
        1 => {
            send_frame(
                inner,
                socket,
                json!({"op": 11, "s": null, "t": null, "d": null}),
            )
            .await
        }
        // IDENTIFY: a new session.
        2 => {
            let token = d["token"].as_str().unwrap_or("");
            if token.trim_start_matches("Bot ") != TOKEN {
                let close = CloseFrame {
                    code: 4004,
                    reason: "Authentication failed.".into(),
                };
                let _ = socket.send(WsMessage::Close(Some(close))).await;
                return false;
            }
            let session_id = format!("fake-session-{}", inner.next_snowflake());
            *inner.session_id.lock().unwrap() = Some(session_id.clone());
            inner.seq.store(0, Ordering::SeqCst);
            let mut ready = ready(&session_id, inner.port);
            // Each shard hears that it is the shard it identified as.
            if d["shard"].is_array() {
                ready["shard"] = d["shard"].clone();
            }
            if !dispatch(inner, socket, "READY", ready).await {
                return false;
            }
            inner.session.send_replace(Some(outbox.clone()));
            true
        }
        // RESUME: the same session goes on.
        6 => {
            let known = inner.session_id.lock().unwrap().clone();
            if known.is_none() || d["session_id"].as_str() != known.as_deref() {
                // op 9, not resumable: the client identifies again.
                let invalid = json!({"op": 9, "s": null, "t": null, "d": false});
                return send_frame(inner, socket, invalid).await;
            }
            let resumed = json!({"_trace": ["fake-discord"]});
            if !dispatch(inner, socket, "RESUMED", resumed).await {
                return false;
            }
            inner.session.send_replace(Some(outbox.clone()));
            true
        }
        _ => true,
    }
}

/// One gateway connection: HELLO, then answer the client and forward what the tests inject.
async fn connection(mut socket: WebSocket, inner: Arc<Inner>) {
    inner.connections.fetch_add(1, Ordering::SeqCst);
    let (tx, mut outbox) = mpsc::unbounded_channel::<Outgoing>();
    let hello = json!({"op": 10, "s": null, "t": null, "d": {"heartbeat_interval": HEARTBEAT_MS}});
    if !send_frame(&inner, &mut socket, hello).await {
        return;
    }
    loop {
        tokio::select! {
            incoming = socket.recv() => {
                let text = match incoming {
                    Some(Ok(WsMessage::Text(t))) => t,
                    Some(Ok(WsMessage::Close(_))) => {
                        // Reading on sends the queued close reply, which the client waits for.
                        while let Some(Ok(_)) = socket.recv().await {}
                        break;
                    }
                    None | Some(Err(_)) => break,
                    Some(Ok(_)) => continue,
                };
                let Ok(frame) = serde_json::from_str::<Value>(&text) else { continue };
                let op = frame["op"].as_u64().unwrap_or(u64::MAX);
                let d = frame["d"].clone();
                inner.record_frame(op, d.clone());
                if !answer_client(&inner, &mut socket, op, &d, &tx).await {
                    break;
                }
            }
            out = outbox.recv() => {
                match out {
                    Some(Outgoing::Dispatch { name, d, interaction }) => {
                        if let Some(id) = interaction {
                            inner.sent_at.lock().unwrap().insert(id, Instant::now());
                        }
                        if !dispatch(&inner, &mut socket, name, d).await {
                            break;
                        }
                    }
                    Some(Outgoing::Close(code)) => {
                        let _ = socket.send(WsMessage::Close(Some(CloseFrame { code, reason: "fake drop".into() }))).await;
                        break;
                    }
                    None => break,
                }
            }
        }
    }
    // This connection's outbox is no longer a live session.
    inner.session.send_if_modified(|s| {
        if s.as_ref().is_some_and(|live| live.same_channel(&tx)) {
            *s = None;
            true
        } else {
            false
        }
    });
}
