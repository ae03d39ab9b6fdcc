//! `/results team`: a team's latest results.
use serenity::all::{CommandOptionType, CreateCommandOption};
use serenity::builder::CreateCommand;

use super::format::{date, echo, score_line};
use super::lookup::resolve_team;
use super::Ctx;
use crate::reply::Reply;

/// How many results one answer lists.
const SHOWN: usize = 10;

pub fn register() -> CreateCommand {
    CreateCommand::new("results")
        .description("A team's latest results")
        .add_option(
            CreateCommandOption::new(CommandOptionType::String, "team", "The team")
                .required(true)
                .set_autocomplete(true),
        )
}

pub fn run(ctx: &Ctx, team: &str) -> anyhow::Result<Reply> {
    let name = match resolve_team(ctx, team)? {
        Ok(t) => t,
        Err(miss) => {
            return Ok(Reply::user_error(
                format!("I don't know the team \"{}\"", echo(team)),
                miss.hint(),
            ))
        }
    };
    let results = ctx
        .corpus
        .lock()
        .expect("corpus lock")
        .results_for(&name, SHOWN * 2)?;
    // The same match told by several reports is listed once (the newest telling).
    let mut played: Vec<&crate::corpus::StoredResult> = Vec::new();
    for r in results.iter().filter(|r| !r.result.aggregate) {
        let dup = played.iter().any(|p| {
            let (a, b) = (&p.result, &r.result);
            let same_score = (a.teams == b.teams && a.goals == b.goals)
                || (a.teams[0] == b.teams[1]
                    && a.teams[1] == b.teams[0]
                    && a.goals == [b.goals[1], b.goals[0]]);
            same_score && (a.date.is_none() || b.date.is_none() || a.date == b.date)
        });
        if !dup {
            played.push(r);
        }
        if played.len() == SHOWN {
            break;
        }
    }
    if played.is_empty() {
        return Ok(Reply::user_error(
            format!("No results for {name} in the reports"),
            "Add reports with `touchline ingest`, or try another team.",
        ));
    }
    let lines: Vec<String> = played
        .iter()
        .map(|r| {
            let res = &r.result;
            let when = res
                .date
                .or(r.report.published)
                .map(|d| format!("{} · ", date(d)))
                .unwrap_or_default();
            let mut stage: Vec<String> = Vec::new();
            if let Some(c) = &res.competition {
                stage.push(c.clone());
            }
            if let Some(rd) = res.round {
                stage.push(rd.label().to_string());
            }
            if let Some(l) = res.leg {
                stage.push(if l == 1 {
                    "first leg".into()
                } else {
                    "second leg".into()
                });
            }
            let stage = if stage.is_empty() {
                String::new()
            } else {
                format!(" ({})", stage.join(", "))
            };
            format!("{when}**{}**{stage}", score_line(res))
        })
        .collect();
    let mut reply = Reply::answer(format!("{name}: latest results"), lines.join("\n"));
    reply.colour = ctx.teams.lookup(&name).and_then(|t| t.colour_rgb());
    reply.footer = Some(format!(
        "{} result{} from the reports",
        played.len(),
        if played.len() == 1 { "" } else { "s" }
    ));
    Ok(reply)
}
