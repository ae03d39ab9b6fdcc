//! `/quote person [about]`: something a person said, with its match and source.
//! The "Another" button carries the speaker and the quote shown in its custom id, so it
//! keeps working across restarts.
use serenity::all::{CommandOptionType, CreateCommandOption};
use serenity::builder::CreateCommand;

use super::format::{echo, score_line, source_line, unix};
use super::lookup::resolve_person;
use super::{within, Command, Ctx, MAX_NAME_CHARS, MAX_WORDS_CHARS};
use crate::corpus::{PersonEntry, StoredQuote};
use crate::reply::{Button, Reply};

/// Prefix of the "Another" button's custom id: `quote:another:<quote id>:<speaker>`.
pub const ANOTHER_PREFIX: &str = "quote:another:";

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
            "Words the quote should contain",
        ))
}

/// Terminal form: `/quote klopp` or `/quote klopp about: finishing`.
pub fn parse_args(rest: &str) -> Result<Command, String> {
    let (person, about) = match rest.split_once("about:") {
        Some((p, a)) => (
            p.trim(),
            Some(a.trim().to_string()).filter(|a| !a.is_empty()),
        ),
        None => (rest.trim(), None),
    };
    if person.is_empty() {
        return Err("/quote needs a person, e.g. /quote klopp".into());
    }
    Ok(Command::Quote {
        person: within("/quote", "person", person.to_string(), MAX_NAME_CHARS)?,
        about: about
            .map(|a| within("/quote", "about", a, MAX_WORDS_CHARS))
            .transpose()?,
    })
}

/// Parses the button's custom id back into a command.
pub fn parse_custom_id(id: &str) -> Option<Command> {
    let rest = id.strip_prefix(ANOTHER_PREFIX)?;
    let (after, speaker) = rest.split_once(':')?;
    let speaker = speaker.trim();
    if speaker.is_empty() {
        return None;
    }
    Some(Command::AnotherQuote {
        speaker: speaker.to_string(),
        after: after.parse().ok()?,
    })
}

/// The "Another" button's custom id: all its state, cut to Discord's 100 characters.
pub fn another_id(after: i64, speaker: &str) -> String {
    let mut id = format!("{ANOTHER_PREFIX}{after}:{speaker}");
    while id.chars().count() > 100 {
        id.pop();
    }
    id
}

pub fn run(ctx: &Ctx, person: &str, about: Option<&str>) -> anyhow::Result<Reply> {
    let who = match resolve_person(ctx, person)? {
        Ok(p) => p,
        Err(miss) => {
            return Ok(Reply::user_error(
                format!("No quotes from \"{}\" in the reports", echo(person)),
                miss.hint(),
            ));
        }
    };
    let quote = {
        let corpus = ctx.corpus.lock().expect("corpus lock");
        match about {
            Some(words) => corpus.search_quotes(who.id, words, 1)?.into_iter().next(),
            None => corpus.next_quote_by(who.id, None)?,
        }
    };
    let Some(quote) = quote else {
        return Ok(Reply::user_error(
            format!(
                "{} never says \"{}\" in the reports",
                who.name,
                echo(about.unwrap_or_default())
            ),
            "Try other words, or leave `about` out.",
        ));
    };
    render(ctx, &who, &quote)
}

/// The next quote by the same speaker after `after`, wrapping round.
pub fn another(ctx: &Ctx, speaker: &str, after: i64) -> anyhow::Result<Reply> {
    let who = match resolve_person(ctx, speaker)? {
        Ok(p) => p,
        Err(miss) => {
            return Ok(Reply::user_error(
                format!("No quotes from \"{}\" any more", echo(speaker)),
                miss.hint(),
            ))
        }
    };
    let next = ctx
        .corpus
        .lock()
        .expect("corpus lock")
        .next_quote_by(who.id, Some(after))?;
    match next {
        Some(q) => render(ctx, &who, &q),
        None => Ok(Reply::user_error(
            format!("No quotes from {} any more", who.name),
            "The reports may have changed.",
        )),
    }
}

fn render(ctx: &Ctx, who: &PersonEntry, quote: &StoredQuote) -> anyhow::Result<Reply> {
    let count = who.quote_count as usize;
    let title = match (&who.role, &who.team) {
        (Some(r), Some(t)) if r != "organisation" => format!("{} ({t} {r})", who.name),
        (Some(r), None) if r != "organisation" => format!("{} ({r})", who.name),
        _ => who.name.clone(),
    };
    let mut reply = Reply::answer(title, format!("“{}”", quote.text.trim_end_matches(',')));
    let results = ctx
        .corpus
        .lock()
        .expect("corpus lock")
        .results_in_report(quote.report.id)?;
    if let Some(main) = results.iter().find(|r| !r.result.aggregate) {
        let mut m = score_line(&main.result);
        if let Some(c) = &main.result.competition {
            m.push_str(&format!(" · {c}"));
        }
        reply = reply.field("Match", m, false);
    }
    reply = reply.field("Source", source_line(&quote.report), false);
    reply.colour = who
        .team
        .as_deref()
        .and_then(|t| ctx.teams.lookup(t))
        .and_then(|t| t.colour_rgb());
    reply.timestamp = quote.report.published.map(unix);
    reply.footer = Some(format!(
        "{} quote{} from {} in the reports",
        count,
        if count == 1 { "" } else { "s" },
        who.name
    ));
    if count > 1 {
        reply.buttons.push(Button {
            label: "Another".into(),
            custom_id: another_id(quote.id, &who.name),
        });
    }
    Ok(reply)
}
