//! What an announcement says: one result as an embed, or a day's results as a digest.

use chrono::{DateTime, Utc};

use crate::commands::format::{score_line, source_line, unix, venue_line};
use crate::corpus::{Corpus, CorpusError, StoredQuote, StoredResult};
use crate::extract::TieFact;
use crate::reply::{truncate, Reply};
use crate::teams::TeamBook;

/// A quote line longer than this is cut (the embed shows a taste, the report has the rest).
const QUOTE_CHARS: usize = 280;
/// Digest text per message; Discord allows 4096 per description, leave room for the rest.
const DIGEST_CHARS: usize = 3_500;

/// Everything one announcement shows about a result.
#[derive(Debug, Clone)]
pub struct ResultNews {
    pub stored: StoredResult,
    /// What the same report says about the tie this match decided.
    pub tie: Option<TieFact>,
    /// A line from the report, credited.
    pub quote: Option<StoredQuote>,
}

impl ResultNews {
    /// Reads a result and what goes with it; `None` when the result is gone.
    pub fn load(corpus: &Corpus, result_id: i64) -> Result<Option<ResultNews>, CorpusError> {
        let Some(stored) = corpus.result(result_id)? else {
            return Ok(None);
        };
        let r = &stored.result;
        let tie = corpus
            .tie_facts_in_report(stored.report.id, &r.teams[0], &r.teams[1])?
            .into_iter()
            .map(|t| t.fact)
            .find(|t| t.winner.is_some() || t.aggregate.is_some());
        let quotes = corpus.quotes_in_report(stored.report.id)?;
        // Prefer someone from one of the two clubs: the report's first credited line otherwise.
        let quote = quotes
            .iter()
            .find(|q| !q.speaker.is_empty() && q.text.split_whitespace().count() >= 4)
            .cloned();
        Ok(Some(ResultNews { stored, tie, quote }))
    }

    /// "Champions League · semi-final · second leg", or empty.
    fn stage(&self) -> String {
        let r = &self.stored.result;
        let mut parts: Vec<String> = Vec::new();
        if let Some(c) = &r.competition {
            parts.push(c.clone());
        }
        if let Some(round) = r.round {
            parts.push(round.label().to_string());
        }
        match r.leg {
            Some(1) => parts.push("first leg".into()),
            Some(2) => parts.push("second leg".into()),
            _ => {}
        }
        parts.join(" · ")
    }

    /// "Liverpool go through 4-3 on aggregate and meet Tottenham in the final."
    fn tie_line(&self) -> Option<String> {
        let tie = self.tie.as_ref()?;
        let winner = tie.winner.as_ref()?;
        let mut line = format!("**{winner}** go through");
        if let Some(g) = tie.aggregate {
            let (w, l) = if *winner == tie.teams[0] {
                (g[0], g[1])
            } else {
                (g[1], g[0])
            };
            line.push_str(&format!(" {w}-{l} on aggregate"));
        }
        match tie.decided_by.as_deref() {
            Some("penalties") => line.push_str(" after a shoot-out"),
            Some("away goals") => line.push_str(" on away goals"),
            _ => {}
        }
        if let Some(next) = &tie.next_opponent {
            line.push_str(&format!(" and meet {next}"));
            if let Some(round) = tie.next_round {
                line.push_str(&format!(" in the {}", round.label()));
            }
        }
        line.push('.');
        Some(line)
    }

    fn quote_line(&self) -> Option<String> {
        let q = self.quote.as_ref()?;
        Some(format!(
            "> “{}”\n> — {}",
            truncate(&q.text, QUOTE_CHARS),
            q.speaker
        ))
    }

    /// One result as its own message.
    pub fn reply(&self, teams: &TeamBook) -> Reply {
        let r = &self.stored.result;
        let mut lines: Vec<String> = Vec::new();
        let stage = self.stage();
        if !stage.is_empty() {
            lines.push(stage);
        }
        if let Some(v) = venue_line(r, teams) {
            lines.push(capitalise(&v));
        }
        if let Some(t) = self.tie_line() {
            lines.push(t);
        }
        if let Some(q) = self.quote_line() {
            lines.push(String::new());
            lines.push(q);
        }
        let mut reply = Reply::answer(format!("Full time: {}", score_line(r)), lines.join("\n"));
        reply.colour = teams.lookup(&r.teams[0]).and_then(|t| t.colour_rgb());
        reply.footer = Some(source_line(&self.stored.report));
        reply.timestamp = r.date.or(self.stored.report.published).map(unix);
        reply
    }

    /// The result as one digest line.
    fn digest_line(&self) -> String {
        let mut line = format!("**{}**", score_line(&self.stored.result));
        let stage = self.stage();
        if !stage.is_empty() {
            line.push_str(&format!(" ({stage})"));
        }
        if let Some(t) = self.tie_line() {
            line.push_str(" — ");
            line.push_str(&t);
        }
        line
    }
}

/// A digest as messages: results in order, split so that each fits Discord's limits.
/// Returns, per message, the reply and how many of `news` it holds.
pub fn digest(
    following: &str,
    at: DateTime<Utc>,
    news: &[ResultNews],
    teams: &TeamBook,
) -> Vec<(Reply, usize)> {
    let mut parts: Vec<(Vec<String>, usize)> = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let mut size = 0;
    for n in news {
        let line = truncate(&n.digest_line(), DIGEST_CHARS);
        if !current.is_empty() && size + line.len() + 1 > DIGEST_CHARS {
            let count = current.len();
            parts.push((std::mem::take(&mut current), count));
            size = 0;
        }
        size += line.len() + 1;
        current.push(line);
    }
    if !current.is_empty() {
        let count = current.len();
        parts.push((current, count));
    }
    let total = parts.len();
    let colour = teams.lookup(following).and_then(|t| t.colour_rgb());
    parts
        .into_iter()
        .enumerate()
        .map(|(i, (lines, count))| {
            let part = if total > 1 {
                format!(" ({}/{total})", i + 1)
            } else {
                String::new()
            };
            let mut reply = Reply::answer(
                format!("Results digest: {following}{part}"),
                lines.join("\n"),
            );
            reply.colour = colour;
            reply.footer = Some(format!(
                "{} result{} since the last digest",
                news.len(),
                if news.len() == 1 { "" } else { "s" }
            ));
            reply.timestamp = Some(at.timestamp());
            (reply, count)
        })
        .collect()
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
