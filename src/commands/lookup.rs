//! Resolving what a user typed to a team or a person. Case, accents, word order and
//! aliases don't matter (`real`, `Madrid`, `RMA`, `madrid real`); a miss answers with
//! the closest names instead of a guess.

use super::Ctx;
use crate::corpus::{CorpusError, PersonEntry};
use crate::text::fold;

/// How many closest names a miss suggests.
const SUGGESTIONS: usize = 5;
/// How much of a missed name is compared with known names.
const MAX_COMPARED_CHARS: usize = 100;

/// A lookup that found nothing: the closest names, best first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Miss {
    pub closest: Vec<String>,
}

impl Miss {
    /// "Did you mean X, Y or Z?" or a plain hint when nothing is close.
    pub fn hint(&self) -> String {
        match self.closest.as_slice() {
            [] => "No similar name is known.".to_string(),
            [one] => format!("Did you mean **{one}**?"),
            [init @ .., last] => format!(
                "Did you mean {} or **{last}**?",
                init.iter()
                    .map(|n| format!("**{n}**"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

fn sorted_tokens(s: &str) -> Vec<String> {
    let mut t: Vec<String> = fold(s)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    t.sort();
    t
}

/// The canonical name of the team the user means, or the closest names.
pub fn resolve_team(ctx: &Ctx, input: &str) -> Result<Result<String, Miss>, CorpusError> {
    let index = TeamIndex::new(ctx);
    match index.find(input)? {
        Some(name) => Ok(Ok(name)),
        None => index.miss(input).map(Err),
    }
}

/// Team lookups over the knowledge base and the clubs the corpus has seen, the latter
/// read once however many lookups follow (the terminal's `/tie` tries several splits).
pub struct TeamIndex<'a> {
    ctx: &'a Ctx,
    seen: std::cell::OnceCell<Vec<String>>,
}

impl<'a> TeamIndex<'a> {
    /// An index that reads the corpus's team names on first need.
    pub fn new(ctx: &'a Ctx) -> TeamIndex<'a> {
        TeamIndex {
            ctx,
            seen: std::cell::OnceCell::new(),
        }
    }

    fn seen(&self) -> Result<&[String], CorpusError> {
        if let Some(s) = self.seen.get() {
            return Ok(s);
        }
        let names = self.ctx.with_corpus(|c| c.teams_seen(None, 10_000))?;
        Ok(self.seen.get_or_init(|| names))
    }

    /// The canonical name `input` means, if it means exactly one club. Costs one pass over
    /// the names, linear in the input's length.
    pub fn find(&self, input: &str) -> Result<Option<String>, CorpusError> {
        let input = input.trim();
        if let Some(t) = self.ctx.teams.lookup(input) {
            return Ok(Some(t.name.clone()));
        }
        let want = sorted_tokens(input);
        if want.is_empty() {
            return Ok(None);
        }
        // Word order: "madrid real", "united manchester".
        for t in self.ctx.teams.teams() {
            if std::iter::once(&t.name)
                .chain(&t.aliases)
                .any(|n| sorted_tokens(n) == want)
            {
                return Ok(Some(t.name.clone()));
            }
        }
        // Clubs the corpus knows from scores but the knowledge base does not.
        let seen = self.seen()?;
        if let Some(n) = seen.iter().find(|n| sorted_tokens(n) == want) {
            return Ok(Some(n.clone()));
        }
        let folded = fold(input);
        let mut prefixed = seen.iter().filter(|n| fold(n).starts_with(&folded));
        match (prefixed.next(), prefixed.next()) {
            (Some(one), None) => Ok(Some(one.clone())),
            _ => Ok(None),
        }
    }

    /// The closest names to an input that [`TeamIndex::find`] did not resolve.
    pub fn miss(&self, input: &str) -> Result<Miss, CorpusError> {
        let seen = self.seen()?;
        let names = self
            .ctx
            .teams
            .teams()
            .iter()
            .flat_map(|t| {
                std::iter::once((t.name.as_str(), t.name.as_str()))
                    .chain(t.aliases.iter().map(|a| (a.as_str(), t.name.as_str())))
            })
            .chain(seen.iter().map(|n| (n.as_str(), n.as_str())));
        Ok(Miss {
            closest: closest(input.trim(), names),
        })
    }
}

/// The person the user means (most quoted when several match), or the closest names.
pub fn resolve_person(ctx: &Ctx, input: &str) -> Result<Result<PersonEntry, Miss>, CorpusError> {
    let corpus = ctx.corpus.lock().expect("corpus lock");
    let found = corpus.find_people(input, 5)?;
    if let Some(p) = found.into_iter().find(|p| p.quote_count > 0) {
        return Ok(Ok(p));
    }
    let names = corpus.all_speaker_names()?;
    Ok(Err(Miss {
        closest: closest(input, names.iter().map(|n| (n.as_str(), n.as_str()))),
    }))
}

/// The names most like `input`, scoring each written form and answering with its canonical name.
fn closest<'a>(input: &str, names: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<String> {
    // Similarity costs the product of the lengths; no name is longer than this.
    let input: String = input.chars().take(MAX_COMPARED_CHARS).collect();
    let want = fold(&input);
    let mut scored: Vec<(f64, &str)> = names
        .map(|(form, canonical)| {
            let f = fold(form);
            // Best of the whole name and each of its words ("klop" ~ "Jurgen Klopp").
            let whole = strsim::jaro_winkler(&want, &f);
            let word = f
                .split(' ')
                .map(|w| strsim::jaro_winkler(&want, w))
                .fold(0.0, f64::max);
            (whole.max(word), canonical)
        })
        .filter(|(s, _)| *s >= 0.75)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut out: Vec<String> = Vec::new();
    for (_, n) in scored {
        if !out.iter().any(|o| o == n) {
            out.push(n.to_string());
        }
        if out.len() == SUGGESTIONS {
            break;
        }
    }
    out
}

/// Team names for autocomplete: clubs the corpus has results for first, then the knowledge base.
pub fn suggest_teams(ctx: &Ctx, partial: &str) -> Vec<String> {
    let want = fold(partial);
    let mut out: Vec<String> = match ctx.corpus.lock() {
        Ok(c) => c
            .teams_seen(Some(partial), super::MAX_CHOICES)
            .unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    for t in ctx.teams.teams() {
        if out.len() >= super::MAX_CHOICES {
            break;
        }
        let hit = want.is_empty()
            || std::iter::once(&t.name)
                .chain(&t.aliases)
                .chain(t.short.iter())
                .any(|n| {
                    fold(n).split(' ').any(|w| w.starts_with(&want)) || fold(n).starts_with(&want)
                });
        if hit && !out.contains(&t.name) {
            out.push(t.name.clone());
        }
    }
    out
}

/// Speaker names for autocomplete, most quoted first.
pub fn suggest_people(ctx: &Ctx, partial: &str) -> Vec<String> {
    match ctx.corpus.lock() {
        Ok(c) => c
            .people_with_prefix(partial, super::MAX_CHOICES)
            .unwrap_or_default()
            .into_iter()
            .filter(|p| p.quote_count > 0)
            .map(|p| p.name)
            .collect(),
        Err(_) => Vec::new(),
    }
}
