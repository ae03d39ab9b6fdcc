//! Commands: plain functions from typed arguments to a [`Reply`].
//!
//! Each command is one module holding its slash-command registration beside its
//! handler. The terminal and Discord both parse into [`Command`] and call [`run`].

pub mod admin;
pub mod format;
pub mod help;
pub mod ingest;
pub mod lookup;
pub mod quote;
pub mod report;
pub mod results;
pub mod subscribe;
pub mod subscriptions;
pub mod tie;
pub mod unsubscribe;

use serenity::builder::CreateCommand;

use crate::reply::Reply;

pub use crate::state::Ctx;

pub use admin::Caller;
pub use subscribe::SubscribeArgs;

/// A parsed command with typed arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Tie {
        team_a: String,
        team_b: String,
        /// The season asked for ("2004-05"); the latest tie when absent.
        season: Option<String>,
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
    Subscribe {
        caller: Caller,
        args: SubscribeArgs,
    },
    Unsubscribe {
        caller: Caller,
        target: String,
        channel: Option<u64>,
    },
    Subscriptions {
        caller: Caller,
    },
    Ingest {
        caller: Caller,
        url: String,
    },
}

/// What an autocompleted option looks up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suggest {
    Team,
    Person,
    Schedule,
}

/// Discord's cap on autocomplete choices.
pub const MAX_CHOICES: usize = 25;

/// Runs a command. Never panics on user input; corpus failures become an internal-error reply.
pub fn run(ctx: &Ctx, command: &Command) -> Reply {
    let outcome = match command {
        Command::Tie {
            team_a,
            team_b,
            season,
        } => tie::run(ctx, team_a, team_b, season.as_deref()),
        Command::Quote { person, about } => quote::run(ctx, person, about.as_deref()),
        Command::AnotherQuote { speaker, after } => quote::another(ctx, speaker, *after),
        Command::Results { team } => results::run(ctx, team),
        Command::Report { words } => report::run(ctx, words),
        Command::Help => Ok(help::run()),
        Command::Subscribe { caller, args } => subscribe::run(ctx, caller, args),
        Command::Unsubscribe {
            caller,
            target,
            channel,
        } => unsubscribe::run(ctx, caller, target, *channel),
        Command::Subscriptions { caller } => subscriptions::run(ctx, caller),
        Command::Ingest { caller, url } => ingest::run(ctx, caller, url),
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
        Suggest::Schedule => suggest_schedules(partial),
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
        subscribe::register(),
        unsubscribe::register(),
        subscriptions::register(),
        ingest::register(),
    ]
}

/// Schedules for a partly typed one: the examples that fit, then times in matching zones.
fn suggest_schedules(partial: &str) -> Vec<String> {
    let want = partial.trim().to_ascii_lowercase();
    let mut out: Vec<String> = subscribe::SCHEDULE_EXAMPLES
        .iter()
        .filter(|s| s.to_ascii_lowercase().contains(&want))
        .map(|s| s.to_string())
        .collect();
    // "21:30 europe/li" or "lisbon": offer the zones whose name holds the typed words.
    let (time, zone) = match want.split_once(' ') {
        Some((t, z)) if t.contains(':') => (t.to_string(), z.to_string()),
        _ if want.contains(':') => (want.clone(), String::new()),
        _ => ("22:00".to_string(), want.clone()),
    };
    if !zone.is_empty() {
        for z in chrono_tz::TZ_VARIANTS.iter() {
            if out.len() >= MAX_CHOICES {
                break;
            }
            if z.name().to_ascii_lowercase().contains(&zone) {
                let s = format!("{time} {}", z.name());
                if !out.contains(&s) {
                    out.push(s);
                }
            }
        }
    }
    out
}

/// Longest team or person name accepted, typed or in a slash-command option.
pub const MAX_NAME_CHARS: usize = 100;
/// Longest search (`/report`, `/quote ... about:`) accepted.
pub const MAX_WORDS_CHARS: usize = 200;

/// A terminal line's command name (lower case, without the slash) and its arguments.
fn split_line(line: &str) -> (String, &str) {
    let line = line.trim();
    let line = line.strip_prefix('/').unwrap_or(line);
    let (name, rest) = match line.split_once(char::is_whitespace) {
        Some((n, r)) => (n, r.trim()),
        None => (line, ""),
    };
    (name.to_ascii_lowercase(), rest)
}

/// Whether a terminal line asks for `/help`, which is answered without a corpus.
pub fn is_help(line: &str) -> bool {
    matches!(split_line(line).0.as_str(), "help" | "")
}

/// Parses a terminal line such as `/tie liverpool real` or `/quote klopp`.
pub fn parse_line(ctx: &Ctx, line: &str) -> Result<Command, String> {
    let (name, rest) = split_line(line);
    match name.as_str() {
        "tie" => tie::parse_args(ctx, rest),
        "quote" => quote::parse_args(rest),
        "results" => non_empty(rest, "/results needs a team, e.g. /results liverpool")
            .and_then(|team| within("/results", "team", team, MAX_NAME_CHARS))
            .map(|team| Command::Results { team }),
        "report" => non_empty(rest, "/report needs some words to search for")
            .and_then(|words| within("/report", "words", words, MAX_WORDS_CHARS))
            .map(|words| Command::Report { words }),
        "help" | "" => Ok(Command::Help),
        // Server settings: the terminal is no server, so these answer with how to use them.
        "subscribe" => Ok(Command::Subscribe {
            caller: Caller::default(),
            args: SubscribeArgs {
                channel: 0,
                team: Some(rest.to_string()).filter(|r| !r.is_empty()),
                competition: None,
                schedule: None,
            },
        }),
        "unsubscribe" => Ok(Command::Unsubscribe {
            caller: Caller::default(),
            target: rest.to_string(),
            channel: None,
        }),
        "subscriptions" => Ok(Command::Subscriptions {
            caller: Caller::default(),
        }),
        "ingest" => Ok(Command::Ingest {
            caller: Caller::default(),
            url: rest.to_string(),
        }),
        _ => Err(format!(
            "unknown command /{}; try /help for the list",
            format::echo(&name)
        )),
    }
}

fn non_empty(s: &str, message: &str) -> Result<String, String> {
    if s.trim().is_empty() {
        Err(message.to_string())
    } else {
        Ok(s.trim().to_string())
    }
}

/// `value` if it is at most `max` characters, else the error a slash command would give.
pub(crate) fn within(
    command: &str,
    key: &str,
    value: String,
    max: usize,
) -> Result<String, String> {
    if value.chars().count() > max {
        Err(format!(
            "{command} takes at most {max} characters for {key}"
        ))
    } else {
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Corpus;
    use crate::teams::TeamBook;
    use proptest::prelude::*;

    fn ctx() -> &'static Ctx {
        static CTX: std::sync::LazyLock<Ctx> = std::sync::LazyLock::new(|| {
            Ctx::new(Corpus::open_in_memory().unwrap(), TeamBook::embedded())
        });
        &CTX
    }

    /// 64 cases in `cargo test`; `PROPTEST_CASES` (set by CI) asks for more.
    fn config() -> ProptestConfig {
        let mut c = ProptestConfig::default();
        if std::env::var_os("PROPTEST_CASES").is_none() {
            c.cases = 64;
        }
        c
    }

    /// An error is one short line a user can read: no echoed control characters, no flood.
    fn clear(message: &str) -> Result<(), TestCaseError> {
        prop_assert!(!message.is_empty());
        prop_assert!(message.chars().count() <= 200, "{message}");
        prop_assert!(!message.chars().any(char::is_control), "{message:?}");
        Ok(())
    }

    /// Parses `line`; a command it yields is run too (the read-only ones), and must answer.
    fn parse_and_answer(ctx: &Ctx, line: &str) -> Result<(), TestCaseError> {
        match parse_line(ctx, line) {
            Ok(command) => {
                if matches!(
                    command,
                    Command::Tie { .. }
                        | Command::Quote { .. }
                        | Command::Results { .. }
                        | Command::Report { .. }
                        | Command::Help
                ) {
                    let reply = run(ctx, &command);
                    prop_assert!(!reply.title.is_empty());
                    prop_assert!(reply.title.chars().count() <= 200, "{}", reply.title);
                }
                Ok(())
            }
            Err(message) => clear(&message),
        }
    }

    #[test]
    fn tie_words_are_split_where_both_teams_resolve() {
        let ctx = ctx();
        assert_eq!(
            parse_line(ctx, "/tie real madrid bayern munich 2004-05"),
            Ok(Command::Tie {
                team_a: "real madrid".into(),
                team_b: "bayern munich".into(),
                season: Some("2004-05".into()),
            })
        );
        assert_eq!(
            parse_line(ctx, "/tie liverpool real season: 2004"),
            Ok(Command::Tie {
                team_a: "liverpool".into(),
                team_b: "real".into(),
                season: Some("2004".into()),
            })
        );
    }

    #[test]
    fn a_tie_of_four_hundred_words_is_refused_at_once() {
        let words: Vec<String> = (0..400).map(|i| format!("w{i}")).collect();
        let err = parse_line(ctx(), &format!("/tie {}", words.join(" "))).unwrap_err();
        assert!(err.contains("at most 12 words"), "{err}");
        // Twelve words are still tried (and answered by the handler).
        let twelve = words[..12].join(" ");
        assert!(parse_line(ctx(), &format!("/tie {twelve}")).is_ok());
    }

    #[test]
    fn over_long_names_and_searches_get_the_slash_command_limits() {
        let ctx = ctx();
        let long = "x".repeat(MAX_NAME_CHARS + 1);
        for line in [
            format!("/results {long}"),
            format!("/quote {long}"),
            format!("/tie {long} liverpool"),
            format!("/report {}", "w ".repeat(MAX_WORDS_CHARS)),
        ] {
            let err = parse_line(ctx, &line).unwrap_err();
            assert!(err.contains("takes at most"), "{err}");
        }
    }

    #[test]
    fn an_unknown_command_is_echoed_short_and_escaped() {
        let err = parse_line(ctx(), &format!("/{}\u{1b}[2J", "x".repeat(5_000))).unwrap_err();
        assert!(err.chars().count() < 100, "{err}");
        assert!(err.contains('…') && !err.contains('\u{1b}'), "{err}");
        let err = parse_line(ctx(), "/da\u{7}nce").unwrap_err();
        assert!(err.contains("/da\\u{7}nce"), "{err}");
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn random_unicode_lines_parse_or_fail_clearly(
            name in prop::sample::select(vec!["tie", "quote", "results", "report", "help", "", "x"]),
            rest in "\\PC{0,80}",
        ) {
            let ctx = ctx();
            parse_and_answer(ctx, &format!("/{name} {rest}"))?;
            parse_and_answer(ctx, &rest)?;
        }

        #[test]
        fn huge_words_parse_or_fail_clearly(
            name in prop::sample::select(vec!["tie", "quote", "results", "report", "zz"]),
            word in "[a-zé\u{1b}]{1,8}",
            repeat in 1usize..3_000,
            words in 1usize..40,
        ) {
            let ctx = ctx();
            let huge = word.repeat(repeat);
            let line = format!("/{name} {}", vec![huge.as_str(); words].join(" "));
            parse_and_answer(ctx, &line)?;
            parse_and_answer(ctx, &format!("/{huge}"))?;
        }

        #[test]
        fn quote_soup_parses_or_fails_clearly(
            name in prop::sample::select(vec!["tie", "quote", "results", "report"]),
            soup in "[\"“”„'‘’«» a:season\\-0-9\t]{0,60}",
        ) {
            parse_and_answer(ctx(), &format!("/{name} {soup}"))?;
        }
    }
}
