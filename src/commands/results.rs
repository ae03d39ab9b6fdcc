//! `/results team`: a team's latest results, newest first, each with its date and a
//! numbered source named once in the footer.
use serenity::all::{CommandOptionType, CreateCommandOption};
use serenity::builder::CreateCommand;

use super::format::{echo, score_line, source_line, unix};
use super::lookup::resolve_team;
use super::Ctx;
use crate::corpus::ReportMeta;
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
    let mut sources = Sources::default();
    let lines: Vec<String> = played
        .iter()
        .map(|r| {
            let res = &r.result;
            // The match's own date, else the report's: the order `results_for` sorted by.
            let when = res
                .date
                .or(r.report.published)
                .map(|d| format!("<t:{}:d> · ", unix(d)))
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
            let n = sources.number(&r.report);
            format!("{when}**{}**{stage} [{n}]", score_line(res))
        })
        .collect();
    let mut reply = Reply::answer(format!("{name}: latest results"), lines.join("\n"));
    reply.colour = ctx.teams.lookup(&name).and_then(|t| t.colour_rgb());
    reply.footer = Some(format!(
        "{} result{}, newest first · {}",
        played.len(),
        if played.len() == 1 { "" } else { "s" },
        sources.footer()
    ));
    Ok(reply)
}

/// The reports a list cites, each numbered once in order of first citation.
#[derive(Default)]
pub(crate) struct Sources {
    reports: Vec<ReportMeta>,
}

impl Sources {
    /// The number of `report` in the list, adding it when new.
    pub(crate) fn number(&mut self, report: &ReportMeta) -> usize {
        match self.reports.iter().position(|m| m.id == report.id) {
            Some(i) => i + 1,
            None => {
                self.reports.push(report.clone());
                self.reports.len()
            }
        }
    }

    /// "Sources: [1] Title — Wire, 14 Apr 2026 · [2] ...".
    pub(crate) fn footer(&self) -> String {
        let named: Vec<String> = self
            .reports
            .iter()
            .enumerate()
            .map(|(i, m)| format!("[{}] {}", i + 1, source_line(m)))
            .collect();
        format!("Sources: {}", named.join(" · "))
    }
}
