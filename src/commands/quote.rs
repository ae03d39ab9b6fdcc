//! `/quote person [about]`: something a person said, with its match and source.
use serenity::all::{CommandOptionType, CreateCommandOption};
use serenity::builder::CreateCommand;

use super::{Command, Ctx};
use crate::reply::Reply;

pub fn register() -> CreateCommand {
    CreateCommand::new("quote")
        .description("Something a player or manager said")
        .add_option(
            CreateCommandOption::new(CommandOptionType::String, "person", "Who said it")
                .required(true)
                .set_autocomplete(true),
        )
        .add_option(CreateCommandOption::new(
            CommandOptionType::String,
            "about",
            "Words the quote should be about",
        ))
}

pub fn parse_args(rest: &str) -> Result<Command, String> {
    if rest.is_empty() {
        return Err("/quote needs a person, e.g. /quote klopp".into());
    }
    Ok(Command::Quote {
        person: rest.to_string(),
        about: None,
    })
}

pub fn run(_ctx: &Ctx, person: &str, _about: Option<&str>) -> anyhow::Result<Reply> {
    Ok(Reply::user_error(
        "No quote",
        format!("{person}: not implemented yet"),
    ))
}

pub fn another(_ctx: &Ctx, speaker: &str, _after: i64) -> anyhow::Result<Reply> {
    Ok(Reply::user_error(
        "No quote",
        format!("{speaker}: not implemented yet"),
    ))
}
