//! The Discord transport: the serenity client, its event handler, interaction routing
//! and rendering a [`Reply`](crate::reply::Reply) as Discord messages.
//!
//! `touchline run` calls [`run`] (or [`run_background`] with `--no-gateway`), `touchline
//! serve` calls [`endpoint::serve`]; tests call [`run_with`] against a fake Discord on 127.0.0.1.

pub mod endpoint;
pub mod handler;
pub mod interactions;
pub mod poster;
pub mod ratelimit;
pub mod render;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use serenity::all::ClientBuilder;
use serenity::all::{ChannelId, GatewayIntents, Http, HttpBuilder, Message};

use crate::announce::{AnnounceSettings, Announcer};
use crate::config::{Config, IngestConfig, ShardSpec};
use crate::ingest::fetch::FetchConfig;
use crate::ingest::sources::{SourceConfig, SourcePoller};
use crate::reply::Reply;
use crate::state::Ctx;

pub use handler::Handler;
pub use interactions::{Dispatcher, ANSWER_WITHIN};

/// Discord's own API address; any other `api_url` is a proxy or a fake (tests).
pub const DISCORD_API: &str = "https://discord.com";

/// How long a stopping client may take to close its shards.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// What the bot needs besides the token and the corpus.
#[derive(Debug, Clone)]
pub struct BotSettings {
    /// Discord's API, or a Discord-compatible server (`http://127.0.0.1:PORT` in tests).
    pub api_url: String,
    /// Register commands to this guild only (instant updates while developing).
    pub dev_guild: Option<u64>,
    /// How long a command may run before the interaction is deferred (zero: defer every one).
    pub answer_within: Duration,
    /// Pacing and retries of result announcements.
    pub announce: AnnounceSettings,
    /// Feeds, pages and folders polled for new reports while the bot runs.
    pub sources: Vec<SourceConfig>,
    /// How those sources are fetched.
    pub fetch: FetchConfig,
    /// Size limit of a report.
    pub ingest: IngestConfig,
    /// Which gateway shards this process runs.
    pub shards: ShardSpec,
    /// This process's share of the bot's global request rate (per second).
    pub global_rate_per_sec: u32,
}

impl BotSettings {
    /// Defaults for a given API address (tests point it at a fake).
    pub fn for_api(api_url: impl Into<String>) -> BotSettings {
        BotSettings {
            api_url: api_url.into(),
            dev_guild: None,
            answer_within: ANSWER_WITHIN,
            announce: AnnounceSettings::default(),
            sources: Vec::new(),
            fetch: FetchConfig::default(),
            ingest: IngestConfig::default(),
            shards: ShardSpec::Single,
            global_rate_per_sec: 50,
        }
    }

    /// The settings from the `[discord]` section of the configuration.
    pub fn from_config(config: &Config) -> BotSettings {
        BotSettings {
            api_url: config.discord.api_url.clone(),
            dev_guild: config.discord.dev_guild,
            answer_within: ANSWER_WITHIN,
            announce: config.announce.clone(),
            sources: config.sources.clone(),
            fetch: config.fetch.clone(),
            ingest: config.ingest.clone(),
            shards: config.discord.shards,
            global_rate_per_sec: config.discord.global_rate_per_sec,
        }
    }
}

/// Whether `api_url` is Discord itself (keep serenity's rate limiter) rather than a proxy or fake.
pub fn is_discord(api_url: &str) -> bool {
    let url = api_url.trim_end_matches('/');
    url == DISCORD_API || url == "https://discord.com/api"
}

/// Checks the token's shape (three dot-separated parts) without ever showing it.
pub fn validate_token(token: &str) -> anyhow::Result<()> {
    serenity::utils::token::validate(token.trim()).map_err(|_| {
        anyhow::anyhow!(
            "the Discord bot token is malformed (expected three parts separated by dots); \
             copy it again from the Developer Portal's Bot page"
        )
    })
}

/// An HTTP client for `api_url`: serenity's rate limiter for Discord, none for a proxy or fake.
///
/// serenity ignores `proxy` while its rate limiter is on, so both settings go together.
pub fn http_client(api_url: &str, token: &str) -> Http {
    let builder = HttpBuilder::new(token.trim()).default_allowed_mentions(render::no_mentions());
    if is_discord(api_url) {
        builder.build()
    } else {
        builder
            .proxy(api_url.trim_end_matches('/'))
            .ratelimiter_disabled(true)
            .build()
    }
}

/// Posts `reply` to a channel (announcements), with no mentions.
pub async fn post(http: &Http, channel: ChannelId, reply: &Reply) -> anyhow::Result<Message> {
    channel
        .send_message(http, render::channel_message(reply))
        .await
        .with_context(|| format!("cannot post to channel {channel}"))
}

/// Runs the bot with the configuration's settings until `shutdown` completes or Ctrl-C.
pub async fn run(
    config: &Config,
    token: &str,
    ctx: Arc<Ctx>,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    run_with(BotSettings::from_config(config), token, ctx, shutdown).await
}

/// Runs the bot with explicit settings until `shutdown` completes or Ctrl-C, then closes the shards.
pub async fn run_with(
    settings: BotSettings,
    token: &str,
    ctx: Arc<Ctx>,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    validate_token(token)?;
    let http = http_client(&settings.api_url, token);
    // Slash commands need no privileged intents; GUILDS is the least the gateway accepts usefully.
    let intents = GatewayIntents::GUILDS;
    let ctx_for_announcer = Arc::clone(&ctx);
    let handler = Handler::new(ctx, settings.dev_guild, settings.answer_within);
    let mut client = ClientBuilder::new_with_http(http, intents)
        .event_handler(handler)
        .await
        .context("cannot build the Discord client")?;
    let shards = Arc::clone(&client.shard_manager);
    let _background = Background::start(&settings, token, ctx_for_announcer)?;
    tracing::info!(
        api = %settings.api_url,
        dev_guild = ?settings.dev_guild,
        shards = ?settings.shards,
        "starting the Discord client"
    );

    let start = async {
        match settings.shards {
            ShardSpec::Single => client.start().await,
            ShardSpec::Auto => client.start_autosharded().await,
            // serenity's range end is inclusive, whatever the Range type suggests.
            ShardSpec::Range { first, last, total } => {
                client.start_shard_range(first..last, total).await
            }
        }
    };
    tokio::pin!(start);
    tokio::pin!(shutdown);
    tokio::select! {
        outcome = &mut start => {
            return outcome.context("the Discord client stopped");
        }
        _ = &mut shutdown => tracing::info!("shutdown requested"),
        _ = tokio::signal::ctrl_c() => tracing::info!("Ctrl-C: shutting down"),
    }
    shards.shutdown_all().await;
    // `start` returns once the shard manager reports the shutdown; a shard that never
    // connected reports nothing, so do not wait for ever.
    match tokio::time::timeout(SHUTDOWN_GRACE, &mut start).await {
        Ok(outcome) => outcome.context("the Discord client failed while stopping")?,
        Err(_) => tracing::warn!("the Discord client did not stop within {SHUTDOWN_GRACE:?}"),
    }
    tracing::info!("Discord client stopped");
    Ok(())
}

/// Serves the HTTP interactions endpoint on `listener` until `shutdown` completes: registers
/// the slash commands first (checking that `public_key` is this application's), and runs
/// announcements and source polling beside it when `serve.announce` is set.
pub async fn serve(
    config: &Config,
    token: &str,
    public_key: ed25519_dalek::VerifyingKey,
    listener: tokio::net::TcpListener,
    ctx: Arc<Ctx>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    validate_token(token)?;
    let settings = BotSettings::from_config(config);
    let http = http_client(&settings.api_url, token);
    let app = http
        .get_current_application_info()
        .await
        .context("cannot read the application from Discord (is DISCORD_TOKEN right?)")?;
    if !app
        .verify_key
        .eq_ignore_ascii_case(&hex::encode(public_key.as_bytes()))
    {
        anyhow::bail!(
            "discord.public_key is not the public key of application {} ({}): copy it again \
             from the Developer Portal's General Information page",
            app.id,
            app.name
        );
    }
    http.set_application_id(app.id);
    handler::register(&http, settings.dev_guild).await;
    let _background = if config.serve.announce {
        Some(Background::start(&settings, token, Arc::clone(&ctx))?)
    } else {
        None
    };
    let endpoint = endpoint::EndpointSettings {
        public_key,
        api_url: settings.api_url.clone(),
        answer_within: settings.answer_within,
        token: token.to_string(),
    };
    endpoint::serve(listener, ctx, endpoint, shutdown).await
}

/// Announcements and source polling, beside the gateway, the endpoint, or alone; stopped
/// when dropped.
pub struct Background {
    _announcing: AbortOnDrop,
    _polling: Option<AbortOnDrop>,
}

impl Background {
    /// Starts the announcer (each pass finishes what a crash left claimed) and, when sources
    /// are configured, their poller.
    pub fn start(settings: &BotSettings, token: &str, ctx: Arc<Ctx>) -> anyhow::Result<Background> {
        let poster = poster::DiscordPoster::new(&settings.api_url, token)?
            .with_global_rate(settings.global_rate_per_sec);
        let announcer = Announcer::new(
            Arc::clone(&ctx),
            Arc::new(poster),
            settings.announce.clone(),
        );
        let announcing = AbortOnDrop(tokio::spawn(announcer.run()));
        let polling = if settings.sources.is_empty() {
            None
        } else {
            let poller =
                SourcePoller::new(Arc::clone(&ctx), &settings.fetch, settings.ingest.clone())?;
            tracing::info!(sources = settings.sources.len(), "polling report sources");
            Some(AbortOnDrop(tokio::spawn(
                Arc::new(poller).run(settings.sources.clone()),
            )))
        };
        Ok(Background {
            _announcing: announcing,
            _polling: polling,
        })
    }
}

/// Announces and polls sources without a gateway (`touchline run --no-gateway`, beside
/// `touchline serve`) until `shutdown` completes.
pub async fn run_background(
    settings: BotSettings,
    token: &str,
    ctx: Arc<Ctx>,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    validate_token(token)?;
    let _background = Background::start(&settings, token, ctx)?;
    tracing::info!(api = %settings.api_url, "announcing without a gateway");
    shutdown.await;
    Ok(())
}

/// Aborts a background task when the bot stops, however it stops.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
