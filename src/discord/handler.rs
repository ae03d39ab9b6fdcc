//! The gateway event handler: registers the slash commands on READY and routes interactions.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serenity::all::{
    Command as SlashCommand, Context, EventHandler, GuildId, Http, Interaction, Ready, ResumedEvent,
};
use serenity::async_trait;

use super::interactions::Dispatcher;
use crate::commands;
use crate::state::Ctx;

/// Handles READY (command registration) and INTERACTION_CREATE (commands, autocomplete, buttons).
pub struct Handler {
    dispatcher: Dispatcher,
    dev_guild: Option<GuildId>,
    /// Set once registration worked; a later READY (re-identify) does not register again.
    registered: AtomicBool,
}

impl Handler {
    /// A handler answering from `ctx`, registering to `dev_guild` when given, else globally.
    pub fn new(ctx: Arc<Ctx>, dev_guild: Option<u64>, answer_within: Duration) -> Handler {
        Handler {
            dispatcher: Dispatcher::new(ctx, answer_within),
            dev_guild: dev_guild.filter(|g| *g != 0).map(GuildId::new),
            registered: AtomicBool::new(false),
        }
    }

    async fn register(&self, ctx: &Context) {
        if self.registered.load(Ordering::Acquire) {
            return;
        }
        if register(&ctx.http, self.dev_guild.map(GuildId::get)).await {
            self.registered.store(true, Ordering::Release);
        }
    }
}

/// Registers the slash commands to `dev_guild`, or globally; logs the outcome and says
/// whether it worked. Registration replaces the whole list, so every process may do it.
pub async fn register(http: &Http, dev_guild: Option<u64>) -> bool {
    let dev_guild = dev_guild.filter(|g| *g != 0).map(GuildId::new);
    let wanted = commands::registrations();
    let count = wanted.len();
    let outcome = match dev_guild {
        Some(guild) => guild.set_commands(http, wanted).await,
        None => SlashCommand::set_global_commands(http, wanted).await,
    };
    match outcome {
        Ok(set) => {
            let names: Vec<&str> = set.iter().map(|c| c.name.as_str()).collect();
            match dev_guild {
                Some(g) => {
                    tracing::info!(guild = %g, ?names, "slash commands registered to the dev guild")
                }
                None => tracing::info!(?names, "slash commands registered globally"),
            }
            true
        }
        Err(e) => {
            tracing::error!(
                error = %e,
                count,
                guild = ?dev_guild,
                "could not register the slash commands (the gateway tries again on its next READY)"
            );
            false
        }
    }
}

#[async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        tracing::info!(
            user = %ready.user.name,
            application = %ready.application.id,
            guilds = ready.guilds.len(),
            "connected to the Discord gateway"
        );
        self.register(&ctx).await;
    }

    async fn resume(&self, _ctx: Context, _event: ResumedEvent) {
        tracing::info!("gateway session resumed");
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        self.dispatcher.dispatch(&ctx.http, interaction).await;
    }
}
