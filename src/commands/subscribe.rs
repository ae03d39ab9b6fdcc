//! `/subscribe channel team|competition [schedule]`: results posted into a channel.
use serenity::all::{ChannelType, CommandOptionType, CreateCommandOption};
use serenity::builder::CreateCommand;

use super::admin::{admin_command, Caller};
use super::lookup::resolve_team;
use super::Ctx;
use crate::announce::Schedule;
use crate::corpus::{NewSubscription, Subscribed, Target};
use crate::reply::Reply;

/// Schedules offered while typing; any `HH:MM Area/City` is accepted.
pub const SCHEDULE_EXAMPLES: &[&str] = &[
    "instant",
    "22:00 Europe/London",
    "23:00 Europe/Madrid",
    "23:00 Europe/Berlin",
    "18:00 America/New_York",
    "08:00 UTC",
];

pub fn register() -> CreateCommand {
    admin_command(
        "subscribe",
        "Post results of a team or a competition into a channel",
    )
    .add_option(
        CreateCommandOption::new(CommandOptionType::Channel, "channel", "Where to post")
            .required(true)
            .channel_types(vec![ChannelType::Text, ChannelType::News]),
    )
    .add_option(
        CreateCommandOption::new(CommandOptionType::String, "team", "A team to follow")
            .set_autocomplete(true),
    )
    .add_option(CreateCommandOption::new(
        CommandOptionType::String,
        "competition",
        "A competition to follow, e.g. Champions League",
    ))
    .add_option(
        CreateCommandOption::new(
            CommandOptionType::String,
            "schedule",
            "instant (default), or a daily digest such as 22:00 Europe/London",
        )
        .set_autocomplete(true),
    )
}

/// What the admin asked for, before it is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscribeArgs {
    pub channel: u64,
    pub team: Option<String>,
    pub competition: Option<String>,
    pub schedule: Option<String>,
}

pub fn run(ctx: &Ctx, caller: &Caller, args: &SubscribeArgs) -> anyhow::Result<Reply> {
    let guild = match caller.admin_guild("subscribe") {
        Ok(g) => g,
        Err(refusal) => return Ok(*refusal),
    };
    let target = match (&args.team, &args.competition) {
        (Some(team), None) => match resolve_team(ctx, team)? {
            Ok(name) => Target::Team(name),
            Err(miss) => {
                return Ok(Reply::user_error(
                    format!("I don't know the team \"{team}\""),
                    miss.hint(),
                ))
            }
        },
        (None, Some(c)) => Target::Competition(c.trim().to_string()),
        _ => {
            return Ok(Reply::user_error(
                "Follow a team or a competition",
                "Give exactly one of `team` or `competition`, e.g. `/subscribe #results team:Liverpool`.",
            ))
        }
    };
    let schedule = match args
        .schedule
        .as_deref()
        .unwrap_or("instant")
        .parse::<Schedule>()
    {
        Ok(s) => s,
        Err(e) => {
            return Ok(Reply::user_error(
                "I can't read that schedule",
                e.to_string(),
            ))
        }
    };
    let new = NewSubscription {
        guild_id: guild,
        channel_id: args.channel,
        target: target.clone(),
        schedule,
        created_by: caller.user_id,
    };
    let outcome = ctx
        .corpus
        .lock()
        .expect("corpus lock")
        .subscribe(&new, ctx.clock.now())?;
    let (title, sub) = match outcome {
        Subscribed::New(s) => ("Subscribed", s),
        Subscribed::Updated(s) => ("Subscription updated", s),
    };
    let when = match sub.schedule {
        Schedule::Instant => "as soon as each result is in".to_string(),
        Schedule::Daily { at, zone } => format!(
            "in one digest a day at {} ({})",
            at.format("%H:%M"),
            zone.name()
        ),
    };
    let mut reply = Reply::answer(
        title,
        format!(
            "<#{}> will get {} results {when}. Results already stored are not posted.",
            sub.channel_id,
            target.name()
        ),
    );
    reply.ephemeral = true;
    Ok(reply)
}
