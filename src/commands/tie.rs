//! `/tie team_a team_b`: a two-legged tie as both legs, aggregate, winner and next opponent.
use serenity::all::{CommandOptionType, CreateCommandOption};
use serenity::builder::CreateCommand;

use super::format::{echo, score_line, source_line, unix, venue_line};
use super::lookup::{resolve_team, TeamIndex};
use super::{within, Command, Ctx, MAX_NAME_CHARS};
use crate::reply::Reply;
use crate::ties::{assemble, Tie};

pub fn register() -> CreateCommand {
    CreateCommand::new("tie")
        .description("A two-legged tie: both legs, aggregate, who went through")
        .add_option(
            CreateCommandOption::new(CommandOptionType::String, "team_a", "One side")
                .required(true)
                .set_autocomplete(true),
        )
        .add_option(
            CreateCommandOption::new(CommandOptionType::String, "team_b", "The other side")
                .required(true)
                .set_autocomplete(true),
        )
}

/// Most words the two team names of a typed `/tie` may hold together.
pub const MAX_TIE_WORDS: usize = 12;

/// Terminal form: `/tie real madrid liverpool`, optionally ending in a season
/// (`2004-05`, or `season: 2004`).
///
/// Splits the words into two teams: the first split where both sides resolve, else the
/// middle split (whose errors the handler then reports). At most [`MAX_TIE_WORDS`] words
/// are tried, each split with one cheap lookup a side, so any input is answered at once.
pub fn parse_args(ctx: &Ctx, rest: &str) -> Result<Command, String> {
    let (teams, season) = split_season(rest);
    let words: Vec<&str> = teams.split_whitespace().take(MAX_TIE_WORDS + 1).collect();
    if words.len() < 2 {
        return Err("/tie needs two teams, e.g. /tie liverpool real".into());
    }
    if words.len() > MAX_TIE_WORDS {
        return Err(format!(
            "/tie takes two team names of at most {MAX_TIE_WORDS} words in all, e.g. /tie liverpool real"
        ));
    }
    let index = TeamIndex::new(ctx);
    let split = |i: usize| (words[..i].join(" "), words[i..].join(" "));
    let resolves = |s: &str| matches!(index.find(s), Ok(Some(_)));
    let best = (1..words.len())
        .find(|&i| {
            let (a, b) = split(i);
            resolves(&a) && resolves(&b)
        })
        .unwrap_or(words.len() / 2);
    let (team_a, team_b) = split(best);
    Ok(Command::Tie {
        team_a: within("/tie", "team_a", team_a, MAX_NAME_CHARS)?,
        team_b: within("/tie", "team_b", team_b, MAX_NAME_CHARS)?,
        season: season
            .map(|s| within("/tie", "season", s, MAX_NAME_CHARS))
            .transpose()?,
    })
}

/// The teams part of a typed `/tie` and the season it names, if any: after `season:`, or
/// a last word shaped like one (`2004-05`, `2004/2005`).
fn split_season(rest: &str) -> (&str, Option<String>) {
    if let Some((teams, season)) = rest.split_once("season:") {
        let season = season.trim();
        return (teams, (!season.is_empty()).then(|| season.to_string()));
    }
    let trimmed = rest.trim_end();
    match trimmed.rsplit_once(char::is_whitespace) {
        Some((teams, last)) if looks_like_season(last) => (teams, Some(last.to_string())),
        _ => (rest, None),
    }
}

/// "2004-05", "2004/05", "2004-2005": four digits, a dash or slash, two or four digits.
fn looks_like_season(word: &str) -> bool {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    match word.split_once(['-', '/']) {
        Some((a, b)) => digits(a, 4) && (digits(b, 2) || digits(b, 4)),
        None => false,
    }
}

pub fn run(ctx: &Ctx, a: &str, b: &str, season: Option<&str>) -> anyhow::Result<Reply> {
    let _ = season;
    let team_a = match resolve_team(ctx, a)? {
        Ok(t) => t,
        Err(miss) => {
            return Ok(Reply::user_error(
                format!("I don't know the team \"{}\"", echo(a)),
                miss.hint(),
            ))
        }
    };
    let team_b = match resolve_team(ctx, b)? {
        Ok(t) => t,
        Err(miss) => {
            return Ok(Reply::user_error(
                format!("I don't know the team \"{}\"", echo(b)),
                miss.hint(),
            ))
        }
    };
    if team_a == team_b {
        return Ok(Reply::user_error(
            "A tie needs two different teams",
            format!("Both names mean {team_a}."),
        ));
    }
    let (results, facts, opponents) = {
        let corpus = ctx.corpus.lock().expect("corpus lock");
        let results = corpus.results_between(&team_a, &team_b)?;
        let facts = corpus.tie_facts_between(&team_a, &team_b)?;
        let opponents = if results.is_empty() && facts.is_empty() {
            corpus.results_for(&team_a, 50)?
        } else {
            Vec::new()
        };
        (results, facts, opponents)
    };
    let Some(tie) = assemble(&team_a, &team_b, &results, &facts) else {
        let mut others: Vec<String> = Vec::new();
        for r in &opponents {
            let o = if r.result.teams[0] == team_a {
                &r.result.teams[1]
            } else {
                &r.result.teams[0]
            };
            if !others.contains(o) {
                others.push(o.clone());
            }
        }
        let hint = if others.is_empty() {
            format!("The reports have no results for {team_a} yet.")
        } else {
            format!(
                "The reports have {team_a} against: {}.",
                others
                    .iter()
                    .take(8)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        return Ok(Reply::user_error(
            format!("No tie between {team_a} and {team_b}"),
            hint,
        ));
    };
    Ok(render(ctx, &tie))
}

fn ordinal(n: u8) -> &'static str {
    match n {
        1 => "First leg",
        2 => "Second leg",
        _ => "Leg",
    }
}

fn render(ctx: &Ctx, tie: &Tie) -> Reply {
    let (home, away) = match tie.legs.first() {
        Some(l) => (l.result.teams[0].clone(), l.result.teams[1].clone()),
        None => (tie.teams[0].clone(), tie.teams[1].clone()),
    };
    let stage = match (&tie.competition, tie.round) {
        (Some(c), Some(r)) => format!("{c} {}", r.label()),
        (Some(c), None) => c.clone(),
        (None, Some(r)) => r.label().to_string(),
        (None, None) => "Two-legged tie".to_string(),
    };
    let mut description = stage;
    if let (Some(w), Some(g)) = (&tie.winner, tie.aggregate) {
        let (wg, lg) = if *w == tie.teams[0] {
            (g[0], g[1])
        } else {
            (g[1], g[0])
        };
        let how = match tie.decided_by.as_deref() {
            Some("penalties") => " on penalties".to_string(),
            Some("away goals") if wg == lg => " on away goals".to_string(),
            Some("extra time") => " after extra time".to_string(),
            _ => String::new(),
        };
        description.push_str(&format!(
            "\n**{w}** went through{how}, {wg}-{lg} on aggregate."
        ));
    } else if let Some(w) = &tie.winner {
        description.push_str(&format!("\n**{w}** went through."));
    } else if tie.legs.len() < 2 {
        description.push_str("\nOnly one leg is in the reports so far.");
    }
    let mut reply = Reply::answer(format!("{home} v {away}"), description);
    for (i, leg) in tie.legs.iter().enumerate() {
        let mut value = score_line(&leg.result);
        if let Some(v) = venue_line(&leg.result, &ctx.teams) {
            value.push('\n');
            value.push_str(&v);
        }
        if let Some(d) = leg.result.date {
            value.push_str(&format!("\n<t:{}:D>", unix(d)));
        }
        let name = leg
            .number
            .map_or_else(|| format!("Leg {}", i + 1), |n| ordinal(n).to_string());
        reply = reply.field(name, value, true);
    }
    if let Some(g) = tie.aggregate {
        // The side ahead first.
        let line = if g[1] > g[0] {
            format!("{} {}-{} {}", tie.teams[1], g[1], g[0], tie.teams[0])
        } else {
            format!("{} {}-{} {}", tie.teams[0], g[0], g[1], tie.teams[1])
        };
        reply = reply.field("Aggregate", line, false);
    }
    if let Some(o) = &tie.next_opponent {
        let round = tie
            .next_round
            .map(|r| format!(" in the {}", r.label()))
            .unwrap_or_default();
        let who = tie.winner.clone().unwrap_or_else(|| "The winners".into());
        reply = reply.field("Next", format!("{who} meet {o}{round}"), false);
    }
    reply.colour = tie
        .winner
        .as_deref()
        .or(Some(home.as_str()))
        .and_then(|w| ctx.teams.lookup(w))
        .and_then(|t| t.colour_rgb());
    if let Some(latest) = tie.sources.first() {
        reply.source = Some(source_line(latest));
        reply.timestamp = latest.published.map(unix);
    }
    let names: Vec<String> = tie.sources.iter().map(source_line).collect();
    reply.footer = Some(format!("From: {}", names.join(" · ")));
    reply
}
