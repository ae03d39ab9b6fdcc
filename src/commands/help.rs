//! `/help`: what Touchline can do.
use serenity::builder::CreateCommand;

use crate::reply::Reply;

pub fn register() -> CreateCommand {
    CreateCommand::new("help").description("What Touchline can do")
}

pub fn run() -> Reply {
    Reply::answer(
        "Touchline",
        "Quotes, results and ties from the match reports this server follows.",
    )
    .field(
        "/tie team_a team_b [season]",
        "A two-legged tie: both legs, aggregate, who went through, next opponent. The latest unless you name a season (2004-05).",
        false,
    )
    .field(
        "/quote person [about]",
        "Something that person said, with the match and the source.",
        false,
    )
    .field(
        "/results team",
        "The latest results of a team, newest first, each dated with its source.",
        false,
    )
    .field("/report words", "Search the reports.", false)
    .field(
        "/subscribe · /unsubscribe · /subscriptions",
        "Server managers: results of a team or competition posted into a channel, at once or as a daily digest.",
        false,
    )
    .field(
        "/ingest url",
        "Server managers: add a match report or a feed's reports by URL.",
        false,
    )
}
