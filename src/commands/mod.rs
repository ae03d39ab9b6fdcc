//! Commands: plain functions from typed arguments to a [`Reply`].
//!
//! Each command is one module holding its slash-command registration beside its
//! handler. The terminal and Discord both parse into [`Command`] and call [`run`].

pub mod format;
pub mod help;
pub mod lookup;
pub mod quote;
pub mod report;
pub mod results;
pub mod tie;

use std::sync::Mutex;

use serenity::builder::CreateCommand;

use crate::corpus::Corpus;
use crate::reply::Reply;
use crate::teams::TeamBook;

/// Everything a command may read.
pub struct Ctx {
    pub corpus: Mutex<Corpus>,
    pub teams: TeamBook,
}

/// A parsed command with typed arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Tie {
        team_a: String,
        team_b: String,
    },
    Quote {
        person: String,
        about: Option<String>,
    },
    /// The "Another" button: a different quote by the same speaker than `after`.
    AnotherQuote {
        speaker: String,
        after: i64,
    },
    Results {
        team: String,
    },
    Report {
        words: String,
    },
    Help,
}

/// What an autocompleted option looks up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suggest {
    Team,
    Person,
}

/// Discord's cap on autocomplete choices.
pub const MAX_CHOICES: usize = 25;

/// Runs a command. Never panics on user input; corpus failures become an internal-error reply.
pub fn run(ctx: &Ctx, command: &Command) -> Reply {
    let outcome = match command {
        Command::Tie { team_a, team_b } => tie::run(ctx, team_a, team_b),
        Command::Quote { person, about } => quote::run(ctx, person, about.as_deref()),
        Command::AnotherQuote { speaker, after } => quote::another(ctx, speaker, *after),
        Command::Results { team } => results::run(ctx, team),
        Command::Report { words } => report::run(ctx, words),
        Command::Help => Ok(help::run()),
    };
    outcome.unwrap_or_else(|e| {
        tracing::error!(error = format!("{e:#}"), ?command, "command failed");
        Reply::internal_error()
    })
}

/// Up to [`MAX_CHOICES`] names for a partly typed option, best first.
pub fn suggest(ctx: &Ctx, what: Suggest, partial: &str) -> Vec<String> {
    let mut names = match what {
        Suggest::Team => lookup::suggest_teams(ctx, partial),
        Suggest::Person => lookup::suggest_people(ctx, partial),
    };
    names.truncate(MAX_CHOICES);
    names
}

/// The slash commands to register, each from its own module.
pub fn registrations() -> Vec<CreateCommand> {
    vec![
        tie::register(),
        quote::register(),
        results::register(),
        report::register(),
        help::register(),
    ]
}

/// Parses a terminal line such as `/tie liverpool real` or `/quote klopp`.
pub fn parse_line(ctx: &Ctx, line: &str) -> Result<Command, String> {
    let line = line.trim();
    let line = line.strip_prefix('/').unwrap_or(line);
    let (name, rest) = match line.split_once(char::is_whitespace) {
        Some((n, r)) => (n, r.trim()),
        None => (line, ""),
    };
    match name.to_ascii_lowercase().as_str() {
        "tie" => tie::parse_args(ctx, rest),
        "quote" => quote::parse_args(rest),
        "results" => non_empty(rest, "/results needs a team, e.g. /results liverpool")
            .map(|team| Command::Results { team }),
        "report" => non_empty(rest, "/report needs some words to search for")
            .map(|words| Command::Report { words }),
        "help" | "" => Ok(Command::Help),
        other => Err(format!("unknown command /{other}; try /help for the list")),
    }
}

fn non_empty(s: &str, message: &str) -> Result<String, String> {
    if s.trim().is_empty() {
        Err(message.to_string())
    } else {
        Ok(s.trim().to_string())
    }
}
