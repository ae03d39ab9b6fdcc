//! `/report words`: full-text search over the reports.
use serenity::all::{CommandOptionType, CreateCommandOption};
use serenity::builder::CreateCommand;

use super::format::{echo, source_line};
use super::Ctx;
use crate::reply::Reply;

/// How many hits one answer lists.
const SHOWN: usize = 5;

pub fn register() -> CreateCommand {
    CreateCommand::new("report")
        .description("Search the match reports")
        .add_option(
            CreateCommandOption::new(CommandOptionType::String, "words", "What to look for")
                .required(true),
        )
}

pub fn run(ctx: &Ctx, words: &str) -> anyhow::Result<Reply> {
    let hits = ctx
        .corpus
        .lock()
        .expect("corpus lock")
        .search(words, SHOWN)?;
    if hits.is_empty() {
        return Ok(Reply::user_error(
            format!("No report mentions \"{}\"", echo(words)),
            "Try fewer or other words.",
        ));
    }
    let mut reply = Reply::answer(format!("Reports about \"{}\"", echo(words)), String::new());
    for h in &hits {
        reply = reply.field(source_line(&h.report), h.snippet.clone(), false);
    }
    reply.footer = Some(format!(
        "{} report{} found",
        hits.len(),
        if hits.len() == 1 { "" } else { "s" }
    ));
    Ok(reply)
}
