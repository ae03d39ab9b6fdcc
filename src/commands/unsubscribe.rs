//! `/unsubscribe target [channel]`: stop posting a team's or competition's results.
use serenity::all::{ChannelType, CommandOptionType, CreateCommandOption};
use serenity::builder::CreateCommand;

use super::admin::{admin_command, Caller};
use super::Ctx;
use crate::reply::Reply;

pub fn register() -> CreateCommand {
    admin_command(
        "unsubscribe",
        "Stop posting results of a team or a competition",
    )
    .add_option(
        CreateCommandOption::new(
            CommandOptionType::String,
            "target",
            "The team or competition followed",
        )
        .required(true)
        .set_autocomplete(true),
    )
    .add_option(
        CreateCommandOption::new(
            CommandOptionType::Channel,
            "channel",
            "Only in this channel",
        )
        .channel_types(vec![ChannelType::Text, ChannelType::News]),
    )
}

pub fn run(
    ctx: &Ctx,
    caller: &Caller,
    target: &str,
    channel: Option<u64>,
) -> anyhow::Result<Reply> {
    let guild = match caller.admin_guild("unsubscribe") {
        Ok(g) => g,
        Err(refusal) => return Ok(*refusal),
    };
    let mut corpus = ctx.corpus.lock().expect("corpus lock");
    // A team typed by alias ("spurs") removes the subscription stored under its name.
    let canonical = ctx.teams.lookup(target).map(|t| t.name.clone());
    let mut gone = corpus.unsubscribe(guild, channel, target)?;
    if gone.is_empty() {
        if let Some(name) = &canonical {
            gone = corpus.unsubscribe(guild, channel, name)?;
        }
    }
    if gone.is_empty() {
        let followed: Vec<String> = corpus
            .subscriptions_in(guild)?
            .iter()
            .map(|s| format!("**{}** in <#{}>", s.target.name(), s.channel_id))
            .collect();
        let hint = if followed.is_empty() {
            "This server follows nothing yet; see /subscribe.".to_string()
        } else {
            format!("This server follows {}.", followed.join(", "))
        };
        return Ok(Reply::user_error(
            format!("Nothing here follows \"{}\"", super::format::echo(target)),
            hint,
        ));
    }
    let lines: Vec<String> = gone
        .iter()
        .map(|s| format!("{} in <#{}>", s.target.name(), s.channel_id))
        .collect();
    let mut reply = Reply::answer("Unsubscribed", lines.join("\n"));
    reply.ephemeral = true;
    Ok(reply)
}
