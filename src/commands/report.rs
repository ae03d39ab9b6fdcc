//! `/report words`: full-text search over the reports.
use serenity::all::{CommandOptionType, CreateCommandOption};
use serenity::builder::CreateCommand;

use super::Ctx;
use crate::reply::Reply;

pub fn register() -> CreateCommand {
    CreateCommand::new("report")
        .description("Search the match reports")
        .add_option(
            CreateCommandOption::new(CommandOptionType::String, "words", "What to look for")
                .required(true),
        )
}

pub fn run(_ctx: &Ctx, words: &str) -> anyhow::Result<Reply> {
    Ok(Reply::user_error(
        "No reports",
        format!("{words}: not implemented yet"),
    ))
}
