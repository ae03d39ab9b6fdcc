//! `/results team`: a team's latest results.
use serenity::all::{CommandOptionType, CreateCommandOption};
use serenity::builder::CreateCommand;

use super::Ctx;
use crate::reply::Reply;

pub fn register() -> CreateCommand {
    CreateCommand::new("results")
        .description("A team's latest results")
        .add_option(
            CreateCommandOption::new(CommandOptionType::String, "team", "The team")
                .required(true)
                .set_autocomplete(true),
        )
}

pub fn run(_ctx: &Ctx, team: &str) -> anyhow::Result<Reply> {
    Ok(Reply::user_error(
        "No results",
        format!("{team}: not implemented yet"),
    ))
}
