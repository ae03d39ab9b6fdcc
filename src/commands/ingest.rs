//! `/ingest url`: a server manager adds a match report, or every report of a feed, by URL.
//!
//! The fetch goes through the guarded client: private, loopback and link-local addresses
//! are refused (unless the configuration allows them), redirects, size and time are capped.
use std::future::Future;

use serenity::all::{CommandOptionType, CreateCommandOption};
use serenity::builder::CreateCommand;

use super::admin::{admin_command, Caller};
use super::Ctx;
use crate::ingest::sources::ingest_url;
use crate::reply::Reply;

/// Titles listed in the answer; the rest are counted.
const LISTED: usize = 10;

pub fn register() -> CreateCommand {
    admin_command("ingest", "Add a match report, or a feed's reports, by URL").add_option(
        CreateCommandOption::new(
            CommandOptionType::String,
            "url",
            "An article page or an RSS/Atom feed (http or https)",
        )
        .required(true)
        .max_length(2_000),
    )
}

pub fn run(ctx: &Ctx, caller: &Caller, url: &str) -> anyhow::Result<Reply> {
    if let Err(refusal) = caller.admin_guild("ingest") {
        return Ok(*refusal);
    }
    let url = url.trim();
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Ok(Reply::user_error(
            "That is not a web address",
            "Give a full URL starting with http:// or https://.",
        ));
    }
    let stored = match block_on(ingest_url(ctx, url))? {
        Ok(s) => s,
        Err(e) => {
            tracing::info!(url, error = %e, "/ingest refused a URL");
            return Ok(Reply::user_error(
                "I couldn't add that page",
                crate::reply::truncate(&e.to_string(), 1_000),
            ));
        }
    };
    let mut lines: Vec<String> = stored
        .titles
        .iter()
        .take(LISTED)
        .map(|t| format!("• {t}"))
        .collect();
    if stored.titles.len() > LISTED {
        lines.push(format!("…and {} more", stored.titles.len() - LISTED));
    }
    if stored.duplicates > 0 {
        lines.push(format!("{} already stored.", stored.duplicates));
    }
    let refused = stored.refused.len();
    if refused > 0 {
        lines.push(format!("{refused} item(s) could not be read."));
    }
    let title = match stored.added {
        0 => "Nothing new added".to_string(),
        1 => "Added 1 report".to_string(),
        n => format!("Added {n} reports"),
    };
    let mut reply = Reply::answer(title, lines.join("\n"));
    reply.ephemeral = true;
    Ok(reply)
}

/// Runs a fetch from a command, which runs on a blocking thread (Discord) or outside
/// any runtime (the terminal).
fn block_on<F: Future>(future: F) -> F::Output {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) => handle.block_on(future),
        Err(_) => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a current-thread runtime")
            .block_on(future),
    }
}
