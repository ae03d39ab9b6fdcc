//! `/tie team_a team_b`: a two-legged tie as both legs, aggregate, winner and next opponent.
use serenity::all::{CommandOptionType, CreateCommandOption};
use serenity::builder::CreateCommand;

use super::{Command, Ctx};
use crate::reply::Reply;

pub fn register() -> CreateCommand {
    CreateCommand::new("tie")
        .description("A two-legged tie: both legs, aggregate, who went through")
        .add_option(
            CreateCommandOption::new(CommandOptionType::String, "team_a", "One side")
                .required(true)
                .set_autocomplete(true),
        )
        .add_option(
            CreateCommandOption::new(CommandOptionType::String, "team_b", "The other side")
                .required(true)
                .set_autocomplete(true),
        )
}

pub fn parse_args(_ctx: &Ctx, rest: &str) -> Result<Command, String> {
    let mut it = rest.split_whitespace();
    match (it.next(), it.next()) {
        (Some(a), Some(b)) => Ok(Command::Tie {
            team_a: a.into(),
            team_b: b.into(),
        }),
        _ => Err("/tie needs two teams, e.g. /tie liverpool real".into()),
    }
}

pub fn run(_ctx: &Ctx, a: &str, b: &str) -> anyhow::Result<Reply> {
    Ok(Reply::user_error(
        "No tie",
        format!("{a} v {b}: not implemented yet"),
    ))
}
