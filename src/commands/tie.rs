//! `/tie team_a team_b [season]`: a two-legged tie as both legs, aggregate, winner and next
//! opponent. The latest tie by default; the others are offered by season.
use serenity::all::{CommandOptionType, CreateCommandOption};
use serenity::builder::CreateCommand;

use super::format::{echo, score_line, source_line, unix, venue_line};
use super::lookup::{resolve_team, TeamIndex};
use super::{within, Command, Ctx, MAX_NAME_CHARS};
use crate::reply::{Reply, Select, SelectOption};
use crate::ties::{assemble_by_season, Season, Tie};

/// Prefix of the season menu's custom id: `tie:season:<team>|<team>`.
pub const SEASON_PREFIX: &str = "tie:season:";

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
        .add_option(CreateCommandOption::new(
            CommandOptionType::String,
            "season",
            "Which season, e.g. 2004-05 (the latest when left out)",
        ))
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
    let (results, facts, opponents) = ctx.with_corpus(|corpus| -> anyhow::Result<_> {
        let results = corpus.results_between(&team_a, &team_b)?;
        let facts = corpus.tie_facts_between(&team_a, &team_b)?;
        let opponents = if results.is_empty() && facts.is_empty() {
            corpus.results_for(&team_a, 50)?
        } else {
            Vec::new()
        };
        Ok((results, facts, opponents))
    })?;
    let ties = assemble_by_season(&team_a, &team_b, &results, &facts);
    if ties.is_empty() {
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
    }
    let shown = match season {
        None => 0,
        Some(asked) => match pick(&ties, asked) {
            Ok(i) => i,
            Err(why) => return Ok(*why),
        },
    };
    Ok(render(ctx, &ties, shown))
}

/// Which of `ties` (newest first) the user asked for by season, or why none is.
fn pick(ties: &[Tie], asked: &str) -> Result<usize, Box<Reply>> {
    let wanted = if matches!(
        asked.trim().to_ascii_lowercase().as_str(),
        UNDATED | "unknown"
    ) {
        None
    } else {
        Some(Season::parse(asked).ok_or_else(|| {
            Box::new(Reply::user_error(
                format!("I can't read the season \"{}\"", echo(asked)),
                "Write it like 2004-05.",
            ))
        })?)
    };
    ties.iter().position(|t| t.season == wanted).ok_or_else(|| {
        let held: Vec<String> = ties.iter().map(season_label).collect();
        Box::new(Reply::user_error(
            format!(
                "No tie between {} and {} in {}",
                ties[0].teams[0],
                ties[0].teams[1],
                wanted.map_or_else(|| UNDATED.to_string(), |s| s.to_string())
            ),
            format!("The reports have them in: {}.", held.join(", ")),
        ))
    })
}

/// The option value naming a tie no report dates.
const UNDATED: &str = "undated";

/// "2004-05", or "undated".
fn season_label(tie: &Tie) -> String {
    tie.season
        .map_or_else(|| UNDATED.to_string(), |s| s.to_string())
}

/// The select menu's custom id: `tie:season:<team>|<team>`, or none when the names do not
/// fit Discord's 100 characters (the "Other seasons" field and the option still work).
pub fn season_menu_id(tie: &Tie) -> Option<String> {
    let id = format!("{SEASON_PREFIX}{}|{}", tie.teams[0], tie.teams[1]);
    (id.chars().count() <= 100 && !tie.teams.iter().any(|t| t.contains('|'))).then_some(id)
}

/// Reads a pick from the season menu back into a command.
pub fn parse_select(custom_id: &str, values: &[String]) -> Option<Command> {
    let (a, b) = custom_id.strip_prefix(SEASON_PREFIX)?.split_once('|')?;
    let season = values.first()?.trim();
    if a.trim().is_empty() || b.trim().is_empty() || season.is_empty() {
        return None;
    }
    Some(Command::Tie {
        team_a: a.to_string(),
        team_b: b.to_string(),
        season: Some(season.to_string()),
    })
}

fn ordinal(n: u8) -> &'static str {
    match n {
        1 => "First leg",
        2 => "Second leg",
        _ => "Leg",
    }
}

/// "Champions League quarter-final", or what is known of it.
fn stage(tie: &Tie) -> String {
    match (&tie.competition, tie.round) {
        (Some(c), Some(r)) => format!("{c} {}", r.label()),
        (Some(c), None) => c.clone(),
        (None, Some(r)) => r.label().to_string(),
        (None, None) => "Two-legged tie".to_string(),
    }
}

/// The tie `ties[shown]`, saying its season, with the other seasons to pick from.
fn render(ctx: &Ctx, ties: &[Tie], shown: usize) -> Reply {
    let tie = &ties[shown];
    let (home, away) = match tie.legs.first() {
        Some(l) => (l.result.teams[0].clone(), l.result.teams[1].clone()),
        None => (tie.teams[0].clone(), tie.teams[1].clone()),
    };
    let mut description = stage(tie);
    if let Some(s) = tie.season {
        description.push_str(&format!(", {s}"));
    }
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
    let others: Vec<&Tie> = ties
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != shown)
        .map(|(_, t)| t)
        .collect();
    if !others.is_empty() {
        let lines: Vec<String> = others
            .iter()
            .map(|t| format!("{} · {}", season_label(t), stage(t)))
            .collect();
        reply = reply.field(
            "Other seasons",
            format!("{}\n(pick one with `season`)", lines.join("\n")),
            false,
        );
        reply.select = season_menu_id(tie).map(|custom_id| Select {
            custom_id,
            placeholder: "Another season".into(),
            options: others
                .iter()
                .map(|t| SelectOption {
                    label: season_label(t),
                    value: season_label(t),
                    description: Some(stage(t)),
                })
                .collect(),
        });
    }
    reply
}
