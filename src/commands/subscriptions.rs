//! `/subscriptions`: what this server follows, where, and on which schedule.
use serenity::builder::CreateCommand;

use super::admin::{admin_command, Caller};
use super::Ctx;
use crate::reply::Reply;

pub fn register() -> CreateCommand {
    admin_command("subscriptions", "What this server follows, where and when")
}

pub fn run(ctx: &Ctx, caller: &Caller) -> anyhow::Result<Reply> {
    let guild = match caller.admin_guild("subscriptions") {
        Ok(g) => g,
        Err(refusal) => return Ok(*refusal),
    };
    let subs = ctx
        .corpus
        .lock()
        .expect("corpus lock")
        .subscriptions_in(guild)?;
    if subs.is_empty() {
        let mut reply = Reply::answer(
            "No subscriptions",
            "Use /subscribe to have results posted into a channel.",
        );
        reply.ephemeral = true;
        return Ok(reply);
    }
    let lines: Vec<String> = subs
        .iter()
        .map(|s| {
            let paused = s
                .paused
                .as_deref()
                .map(|why| format!(" — ⏸ {why}; /subscribe again to resume"))
                .unwrap_or_default();
            format!(
                "<#{}> · {} **{}** · {}{paused}",
                s.channel_id,
                s.target.kind(),
                s.target.name(),
                s.schedule
            )
        })
        .collect();
    let mut reply = Reply::answer("Subscriptions", lines.join("\n"));
    reply.footer = Some(format!("{} subscription(s)", subs.len()));
    reply.ephemeral = true;
    Ok(reply)
}
