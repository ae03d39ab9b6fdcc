//! One small dispatcher for interactions: slash commands, autocomplete, buttons and menus.
//!
//! Reading a Discord interaction into a [`Command`] is pure and tested here; running it
//! happens on a blocking thread (the corpus is SQLite behind a mutex), and a command that
//! is not done within [`ANSWER_WITHIN`] is deferred, then answered by editing the response.
//! [`Dispatcher::respond`] is the one routing from interaction data to a response: the
//! gateway sends what it answers as a callback request ([`Dispatcher::dispatch`]), the HTTP
//! endpoint as the body of its answer (`endpoint.rs`).

use std::sync::Arc;
use std::time::Duration;

use serenity::all::{
    ApplicationId, CommandDataOptionValue, CommandInteraction, ComponentInteraction,
    ComponentInteractionDataKind, CreateAutocompleteResponse, CreateInteractionResponse,
    CreateInteractionResponseMessage, Http, Interaction, InteractionId,
};

use super::render::{self, limits};
use crate::commands::admin::manages_guild;
use crate::commands::{self, quote, tie, Caller, Command, SubscribeArgs, Suggest};
use crate::reply::Reply;
use crate::state::Ctx;

/// How long a command may run before the interaction is deferred (Discord allows 3 s in all).
pub const ANSWER_WITHIN: Duration = Duration::from_secs(2);
/// The same limits as a typed command's.
pub use crate::commands::{MAX_NAME_CHARS, MAX_WORDS_CHARS};

/// Why a slash command's options were refused; shown to the asker as an ephemeral hint.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadOption {
    /// A required option is absent or blank.
    #[error("/{command} needs `{key}`, for example `{example}`.")]
    Missing {
        command: String,
        key: &'static str,
        example: &'static str,
    },
    /// An option is longer than we accept.
    #[error("/{command} takes at most {max} characters for `{key}`.")]
    TooLong {
        command: String,
        key: &'static str,
        max: usize,
    },
    /// A command we do not (or no longer) register.
    #[error("Touchline has no /{0} (any more). Try /help for the list.")]
    UnknownCommand(String),
}

impl BadOption {
    /// The user-error reply for this refusal.
    pub fn reply(&self) -> Reply {
        let title = match self {
            BadOption::Missing { key, .. } => format!("`{key}` is missing"),
            BadOption::TooLong { key, .. } => format!("`{key}` is too long"),
            BadOption::UnknownCommand(_) => "Unknown command".to_string(),
        };
        Reply::user_error(title, self.to_string())
    }
}

/// Reads a slash command's name and string options into a [`Command`].
///
/// Discord validates options only in its client, so every value is checked again here:
/// trimmed, required ones non-empty, none longer than the limit.
pub fn command_from_options(
    name: &str,
    options: &[(String, String)],
    caller: &Caller,
) -> Result<Command, BadOption> {
    let get = |key: &str| -> Option<String> {
        options
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let required = |key: &'static str, max: usize, example: &'static str| {
        let value = get(key).ok_or_else(|| BadOption::Missing {
            command: name.to_string(),
            key,
            example,
        })?;
        check_length(name, key, value, max)
    };
    match name {
        "tie" => Ok(Command::Tie {
            team_a: required("team_a", MAX_NAME_CHARS, "/tie liverpool real")?,
            team_b: required("team_b", MAX_NAME_CHARS, "/tie liverpool real")?,
            season: get("season")
                .map(|s| check_length(name, "season", s, MAX_NAME_CHARS))
                .transpose()?,
        }),
        "quote" => Ok(Command::Quote {
            person: required("person", MAX_NAME_CHARS, "/quote klopp")?,
            about: get("about")
                .map(|a| check_length(name, "about", a, MAX_WORDS_CHARS))
                .transpose()?,
        }),
        "results" => Ok(Command::Results {
            team: required("team", MAX_NAME_CHARS, "/results liverpool")?,
        }),
        "report" => Ok(Command::Report {
            words: required("words", MAX_WORDS_CHARS, "/report late winner")?,
        }),
        "help" => Ok(Command::Help),
        "subscribe" => Ok(Command::Subscribe {
            caller: *caller,
            args: SubscribeArgs {
                channel: channel(required(
                    "channel",
                    20,
                    "/subscribe #results team:Liverpool",
                )?),
                team: get("team")
                    .map(|t| check_length(name, "team", t, MAX_NAME_CHARS))
                    .transpose()?,
                competition: get("competition")
                    .map(|c| check_length(name, "competition", c, MAX_NAME_CHARS))
                    .transpose()?,
                schedule: get("schedule")
                    .map(|s| check_length(name, "schedule", s, MAX_NAME_CHARS))
                    .transpose()?,
            },
        }),
        "unsubscribe" => Ok(Command::Unsubscribe {
            caller: *caller,
            target: required("target", MAX_NAME_CHARS, "/unsubscribe Liverpool")?,
            channel: get("channel").map(channel),
        }),
        "subscriptions" => Ok(Command::Subscriptions { caller: *caller }),
        "ingest" => Ok(Command::Ingest {
            caller: *caller,
            url: required("url", 2_000, "/ingest https://example.org/match-report")?,
        }),
        other => Err(BadOption::UnknownCommand(other.to_string())),
    }
}

/// A channel option's id; Discord sends it as a string of digits (0 if it is not one,
/// which no channel has, so the post fails visibly instead of going elsewhere).
fn channel(value: String) -> u64 {
    value.parse().unwrap_or(0)
}

fn check_length(
    command: &str,
    key: &'static str,
    value: String,
    max: usize,
) -> Result<String, BadOption> {
    if value.chars().count() > max {
        Err(BadOption::TooLong {
            command: command.to_string(),
            key,
            max,
        })
    } else {
        Ok(value)
    }
}

/// What an autocompleted option of a command looks up, if it is one we complete.
pub fn suggest_kind(command: &str, option: &str) -> Option<Suggest> {
    match (command, option) {
        ("tie", "team_a" | "team_b")
        | ("results", "team")
        | ("subscribe", "team")
        | ("unsubscribe", "target") => Some(Suggest::Team),
        ("subscribe", "schedule") => Some(Suggest::Schedule),
        ("quote", "person") => Some(Suggest::Person),
        _ => None,
    }
}

/// Names as autocomplete choices: at most 25, each name and value 1..=100 chars, no repeats.
pub fn choices(names: Vec<String>) -> Vec<(String, String)> {
    let mut seen = std::collections::HashSet::new();
    names
        .into_iter()
        .filter_map(|n| {
            let n = n.trim();
            if n.is_empty() {
                return None;
            }
            let shown = crate::reply::truncate(n, limits::CHOICE);
            // The value is what the command receives: cut, never decorated with an ellipsis.
            let value: String = n.chars().take(limits::CHOICE).collect();
            seen.insert(value.clone()).then_some((shown, value))
        })
        .take(limits::CHOICES)
        .collect()
}

/// The string options of a slash command, as (name, value).
fn string_options(interaction: &CommandInteraction) -> Vec<(String, String)> {
    interaction
        .data
        .options
        .iter()
        .filter_map(|o| match &o.value {
            CommandDataOptionValue::String(s) => Some((o.name.clone(), s.clone())),
            CommandDataOptionValue::Channel(id) => Some((o.name.clone(), id.get().to_string())),
            CommandDataOptionValue::Autocomplete { value, .. } => {
                Some((o.name.clone(), value.clone()))
            }
            _ => None,
        })
        .collect()
}

/// How a reply reaches Discord: a new message, or an update of the message holding the button.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    NewMessage,
    UpdateMessage,
}

/// What to answer one interaction with, whichever transport carried it in: the gateway
/// sends it as a callback request, the HTTP endpoint as the body of its answer.
pub struct Routed {
    pub id: InteractionId,
    pub application_id: ApplicationId,
    /// The interaction's token, for callbacks and for editing a deferred answer.
    pub token: String,
    /// What was asked, for logs.
    pub what: String,
    pub response: Response,
}

/// The first response to an interaction, and what follows it when the command is slow.
pub enum Response {
    /// The whole answer.
    Now(CreateInteractionResponse),
    /// "Thinking" now; the reply is edited in by [`Pending::deliver`] once it is ready.
    Later {
        defer: CreateInteractionResponse,
        pending: Pending,
    },
}

/// A command still running after the interaction was deferred.
pub struct Pending {
    task: tokio::task::JoinHandle<Reply>,
    how: Answer,
    token: String,
    what: String,
}

impl Pending {
    /// Waits for the reply and edits it into the deferred response (or sends it as an
    /// ephemeral followup). Needs `http` to know the application id.
    pub async fn deliver(self, http: &Http) {
        let Pending {
            task,
            how,
            token,
            what,
        } = self;
        let what = what.as_str();
        let reply = joined(task.await, what);
        if reply.ephemeral {
            // Ephemerality is fixed by the first response, which was public. For a command,
            // replace the public "thinking" placeholder; for a button, leave the public
            // message as it was. Either way the answer goes to the asker alone.
            if how == Answer::NewMessage {
                if let Err(e) = http.delete_original_interaction_response(&token).await {
                    tracing::warn!(error = %e, what, "could not delete the deferred response");
                }
            }
            if let Err(e) = http
                .create_followup_message(&token, &render::followup(&reply), Vec::new())
                .await
            {
                tracing::error!(error = %e, what, "could not send the ephemeral followup");
            }
            return;
        }
        if let Err(e) = http
            .edit_original_interaction_response(&token, &render::edit_response(&reply), Vec::new())
            .await
        {
            tracing::error!(error = %e, what, "could not edit the deferred response");
        }
    }
}

/// A command task's reply; a panic becomes our failure, logged.
fn joined(r: Result<Reply, tokio::task::JoinError>, what: &str) -> Reply {
    r.unwrap_or_else(|e| {
        tracing::error!(error = %e, what, "command panicked");
        Reply::internal_error()
    })
}

/// Routes interactions to commands; the transports send what it answers.
pub struct Dispatcher {
    ctx: Arc<Ctx>,
    answer_within: Duration,
}

impl Dispatcher {
    /// A dispatcher that defers any command still running after `answer_within` (zero: always).
    pub fn new(ctx: Arc<Ctx>, answer_within: Duration) -> Dispatcher {
        Dispatcher { ctx, answer_within }
    }

    /// Handles one gateway interaction: answers it by callback, and edits a deferred answer
    /// in later. Failures are logged with context and never stop the bot.
    pub async fn dispatch(&self, http: &Arc<Http>, interaction: Interaction) {
        let Some(routed) = self.respond(interaction).await else {
            return;
        };
        match routed.response {
            Response::Now(response) => {
                send_callback(http, routed.id, &routed.token, &response, &routed.what).await;
            }
            Response::Later { defer, pending } => {
                // Without an acknowledged interaction there is nothing to edit.
                if send_callback(http, routed.id, &routed.token, &defer, &routed.what).await {
                    pending.deliver(http).await;
                }
            }
        }
    }

    /// The answer to one interaction, from its data alone: the one routing both the
    /// gateway and the HTTP endpoint use. `None` for kinds we do not answer (modals).
    pub async fn respond(&self, interaction: Interaction) -> Option<Routed> {
        match interaction {
            Interaction::Ping(p) => Some(Routed {
                id: p.id,
                application_id: p.application_id,
                token: p.token,
                what: "ping".to_string(),
                response: Response::Now(CreateInteractionResponse::Pong),
            }),
            Interaction::Command(ci) => Some(self.on_command(ci).await),
            Interaction::Autocomplete(ci) => self.on_autocomplete(ci).await,
            Interaction::Component(ci) => Some(self.on_component(ci).await),
            other => {
                tracing::debug!(kind = ?other.kind(), id = %other.id(), "interaction ignored");
                None
            }
        }
    }

    async fn on_command(&self, ci: CommandInteraction) -> Routed {
        let name = ci.data.name.clone();
        tracing::debug!(command = %name, id = %ci.id, user = %ci.user.id, "slash command");
        let caller = Caller {
            guild_id: ci.guild_id.map(|g| g.get()),
            user_id: Some(ci.user.id.get()),
            can_manage_guild: ci
                .member
                .as_ref()
                .and_then(|m| m.permissions)
                .is_some_and(manages_guild),
        };
        let response = match command_from_options(&name, &string_options(&ci), &caller) {
            Ok(command) => {
                self.answer(command, Answer::NewMessage, &ci.token, &name)
                    .await
            }
            Err(bad) => {
                tracing::debug!(command = %name, reason = %bad, "options refused");
                Response::Now(CreateInteractionResponse::Message(
                    render::response_message(&bad.reply()),
                ))
            }
        };
        Routed {
            id: ci.id,
            application_id: ci.application_id,
            token: ci.token,
            what: name,
            response,
        }
    }

    async fn on_autocomplete(&self, ci: CommandInteraction) -> Option<Routed> {
        let Some(focused) = ci.data.autocomplete() else {
            tracing::warn!(command = %ci.data.name, id = %ci.id, "autocomplete without a focused option");
            return None;
        };
        let partial: String = focused.value.trim().chars().take(MAX_NAME_CHARS).collect();
        let names = match suggest_kind(&ci.data.name, focused.name) {
            Some(what) => {
                let ctx = Arc::clone(&self.ctx);
                tokio::task::spawn_blocking(move || commands::suggest(&ctx, what, &partial))
                    .await
                    .unwrap_or_else(|e| {
                        tracing::error!(error = %e, "autocomplete lookup panicked");
                        Vec::new()
                    })
            }
            None => Vec::new(),
        };
        let mut response = CreateAutocompleteResponse::new();
        for (name, value) in choices(names) {
            response = response.add_string_choice(name, value);
        }
        let what = format!("autocomplete /{} {}", ci.data.name, focused.name);
        Some(Routed {
            id: ci.id,
            application_id: ci.application_id,
            token: ci.token,
            what,
            response: Response::Now(CreateInteractionResponse::Autocomplete(response)),
        })
    }

    async fn on_component(&self, ci: ComponentInteraction) -> Routed {
        let custom_id = ci.data.custom_id.clone();
        tracing::debug!(custom_id = %custom_id, id = %ci.id, "button");
        let picked: Vec<String> = match &ci.data.kind {
            ComponentInteractionDataKind::StringSelect { values } => values.clone(),
            _ => Vec::new(),
        };
        let command =
            quote::parse_custom_id(&custom_id).or_else(|| tie::parse_select(&custom_id, &picked));
        let what = format!("button {custom_id}");
        let response = match command {
            Some(command) => {
                self.answer(command, Answer::UpdateMessage, &ci.token, &what)
                    .await
            }
            None => {
                let reply = Reply::user_error(
                    "This button no longer works",
                    "Run the command again for a fresh answer.",
                );
                Response::Now(CreateInteractionResponse::Message(
                    render::response_message(&reply),
                ))
            }
        };
        Routed {
            id: ci.id,
            application_id: ci.application_id,
            token: ci.token,
            what,
            response,
        }
    }

    /// Runs `command` on a blocking thread; the whole answer if it is quick, else a deferral
    /// and the still running command.
    async fn answer(&self, command: Command, how: Answer, token: &str, what: &str) -> Response {
        let ctx = Arc::clone(&self.ctx);
        let mut task = tokio::task::spawn_blocking(move || commands::run(&ctx, &command));
        // A zero deadline defers every command (how tests exercise the slow path).
        let quick = if self.answer_within.is_zero() {
            None
        } else {
            tokio::time::timeout(self.answer_within, &mut task)
                .await
                .ok()
        };
        if let Some(done) = quick {
            return Response::Now(first_response(how, &joined(done, what)));
        }
        // Slow: tell Discord we are on it, then edit the answer in when it is ready.
        tracing::info!(what, "command is slow; deferring the answer");
        let defer = match how {
            Answer::NewMessage => {
                CreateInteractionResponse::Defer(CreateInteractionResponseMessage::new())
            }
            Answer::UpdateMessage => CreateInteractionResponse::Acknowledge,
        };
        Response::Later {
            defer,
            pending: Pending {
                task,
                how,
                token: token.to_string(),
                what: what.to_string(),
            },
        }
    }
}

/// The first (undeferred) response carrying `reply`.
///
/// A button updates its message, except with an ephemeral reply (a user error or our
/// failure): that goes to the presser alone and the message everyone sees stays.
fn first_response(how: Answer, reply: &Reply) -> CreateInteractionResponse {
    let message = render::response_message(reply);
    match how {
        Answer::UpdateMessage if !reply.ephemeral => {
            CreateInteractionResponse::UpdateMessage(message)
        }
        _ => CreateInteractionResponse::Message(message),
    }
}

/// Sends an interaction callback; logs a failure with context and reports whether it worked.
async fn send_callback(
    http: &Http,
    id: InteractionId,
    token: &str,
    response: &CreateInteractionResponse,
    what: &str,
) -> bool {
    match http
        .create_interaction_response(id, token, response, Vec::new())
        .await
    {
        Ok(()) => true,
        Err(e) => {
            tracing::error!(error = %e, interaction = %id, what, "interaction callback failed");
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(name: &str, options: &[(String, String)]) -> Result<Command, BadOption> {
        command_from_options(name, options, &Caller::default())
    }

    fn opts(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn options_are_trimmed_into_commands() {
        assert_eq!(
            parse(
                "tie",
                &opts(&[("team_a", " liverpool "), ("team_b", "real")])
            ),
            Ok(Command::Tie {
                team_a: "liverpool".into(),
                team_b: "real".into(),
                season: None,
            })
        );
        assert_eq!(
            parse("quote", &opts(&[("person", "klopp"), ("about", "  ")])),
            Ok(Command::Quote {
                person: "klopp".into(),
                about: None
            })
        );
        assert_eq!(parse("help", &[]), Ok(Command::Help));
    }

    #[test]
    fn missing_blank_or_long_options_are_ephemeral_user_errors() {
        for bad in [
            parse("tie", &opts(&[("team_a", "liverpool")])),
            parse("results", &opts(&[("team", "   ")])),
            parse("report", &opts(&[("words", &"w".repeat(201))])),
            parse("quote", &opts(&[("person", &"é".repeat(101))])),
            parse("dance", &[]),
        ] {
            let reply = bad.unwrap_err().reply();
            assert!(reply.ephemeral);
            assert_eq!(reply.kind, crate::reply::ReplyKind::UserError);
        }
        assert!(parse("quote", &opts(&[("person", &"é".repeat(100))])).is_ok());
    }

    #[test]
    fn choices_are_capped_at_25_and_100_chars_without_blanks_or_repeats() {
        let mut names: Vec<String> = (0..40).map(|i| format!("Team {i}")).collect();
        names.insert(0, " ".into());
        names.insert(1, "Team 0".into());
        names.insert(2, "ä".repeat(150));
        let list = choices(names);
        assert_eq!(list.len(), 25);
        assert!(list.iter().all(|(n, v)| {
            (1..=100).contains(&n.chars().count()) && (1..=100).contains(&v.chars().count())
        }));
        assert_eq!(list.iter().filter(|(_, v)| v == "Team 0").count(), 1);
    }

    #[test]
    fn another_quote_ids_round_trip_and_stay_under_100_chars() {
        let id = quote::another_id(42, "Jürgen Klopp");
        assert_eq!(
            quote::parse_custom_id(&id),
            Some(Command::AnotherQuote {
                speaker: "Jürgen Klopp".into(),
                after: 42
            })
        );
        let long = quote::another_id(i64::MAX, &"Ö".repeat(200));
        assert_eq!(long.chars().count(), 100);
        assert!(matches!(
            quote::parse_custom_id(&long),
            Some(Command::AnotherQuote {
                after: i64::MAX,
                ..
            })
        ));
        assert_eq!(quote::parse_custom_id("quote:another:x:klopp"), None);
        assert_eq!(quote::parse_custom_id("quote:another:3:"), None);
        assert_eq!(quote::parse_custom_id("vote:1"), None);
    }

    #[test]
    fn a_season_comes_from_the_option_or_the_menu() {
        assert_eq!(
            parse(
                "tie",
                &opts(&[
                    ("team_a", "chelsea"),
                    ("team_b", "barca"),
                    ("season", " 2004-05 ")
                ])
            ),
            Ok(Command::Tie {
                team_a: "chelsea".into(),
                team_b: "barca".into(),
                season: Some("2004-05".into()),
            })
        );
        let picked = vec!["1999-00".to_string()];
        assert_eq!(
            tie::parse_select("tie:season:Chelsea|Barcelona", &picked),
            Some(Command::Tie {
                team_a: "Chelsea".into(),
                team_b: "Barcelona".into(),
                season: Some("1999-00".into()),
            })
        );
        assert_eq!(tie::parse_select("tie:season:Chelsea|Barcelona", &[]), None);
        assert_eq!(tie::parse_select("tie:season:Chelsea", &picked), None);
        assert_eq!(tie::parse_select("quote:another:1:x", &picked), None);
    }

    #[test]
    fn a_button_updates_its_message_unless_the_reply_is_ephemeral() {
        let answer = Reply::answer("Klopp", "\"We go again\"");
        let kind = |how, reply: &Reply| {
            serde_json::to_value(first_response(how, reply)).unwrap()["type"].clone()
        };
        assert_eq!(kind(Answer::UpdateMessage, &answer), 7);
        assert_eq!(kind(Answer::NewMessage, &answer), 4);
        let miss = Reply::user_error("No other quote", "That is all Klopp said.");
        assert_eq!(kind(Answer::UpdateMessage, &miss), 4);
        let json = serde_json::to_value(first_response(Answer::UpdateMessage, &miss)).unwrap();
        assert_eq!(json["data"]["flags"], 64);
    }

    #[test]
    fn team_and_person_options_are_completed() {
        assert_eq!(suggest_kind("tie", "team_b"), Some(Suggest::Team));
        assert_eq!(suggest_kind("results", "team"), Some(Suggest::Team));
        assert_eq!(suggest_kind("quote", "person"), Some(Suggest::Person));
        assert_eq!(suggest_kind("report", "words"), None);
    }
}
