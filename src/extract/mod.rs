//! Facts from one report: who said what, and which matches were played with what score.
//!
//! Entry point is [`extract`]; each stage lives in its own file so that it can be
//! read and tested alone.

pub mod chants;
pub mod dates;
pub mod doc;
pub mod lexicon;
pub mod people;
pub mod quotes;
pub mod results;
pub mod speakers;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::teams::TeamBook;

/// Everything extracted from one report.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Extraction {
    pub quotes: Vec<Quote>,
    pub people: Vec<Person>,
    pub results: Vec<MatchResult>,
    pub ties: Vec<TieFact>,
}

/// One contiguous quoted span. Offsets are byte offsets into the report text,
/// without the quotation marks.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Quote {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// Full name of the speaker, when it could be resolved.
    pub speaker: Option<String>,
}

/// A person the report names, with what it says about them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Person {
    /// The fullest form of the name the report gives.
    pub name: String,
    /// Other forms used for the same person ("Salah", "Mo Salah").
    pub aliases: Vec<String>,
    /// Role as stated ("manager", "midfielder").
    pub role: Option<String>,
    /// Club or national team, canonical name when known.
    pub team: Option<String>,
}

/// Stage of a competition, normalised ("last four" is a semi-final).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Round {
    Group,
    #[serde(rename = "last-32")]
    Last32,
    #[serde(rename = "last-16")]
    Last16,
    QuarterFinal,
    SemiFinal,
    Final,
}

impl Round {
    /// Display label, also the stored form.
    pub fn label(self) -> &'static str {
        match self {
            Round::Group => "group stage",
            Round::Last32 => "last 32",
            Round::Last16 => "last 16",
            Round::QuarterFinal => "quarter-final",
            Round::SemiFinal => "semi-final",
            Round::Final => "final",
        }
    }

    /// Parses the stored form back.
    pub fn from_label(s: &str) -> Option<Round> {
        [
            Round::Group,
            Round::Last32,
            Round::Last16,
            Round::QuarterFinal,
            Round::SemiFinal,
            Round::Final,
        ]
        .into_iter()
        .find(|r| r.label() == s)
    }
}

/// A played match whose score the report states.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MatchResult {
    /// The two sides; the home side first when it is known.
    pub teams: [String; 2],
    /// Goals in the order of `teams`, shoot-out goals never included.
    pub goals: [u32; 2],
    /// The home side, when the text makes it clear.
    pub home: Option<String>,
    /// True for an aggregate score over two legs.
    pub aggregate: bool,
    pub venue: Option<String>,
    pub competition: Option<String>,
    pub round: Option<Round>,
    pub leg: Option<u8>,
    pub extra_time: bool,
    /// Shoot-out score in the order of `teams`.
    pub penalties: Option<[u32; 2]>,
    pub date: Option<NaiveDate>,
    /// Byte span of the sentence that states the score, for context.
    pub start: usize,
    pub end: usize,
    /// Both sides and the orientation were read from the clause itself. An uncertain
    /// result (one side taken from the report's own match) is kept, never announced.
    #[serde(default = "certain_by_default")]
    pub certain: bool,
}

fn certain_by_default() -> bool {
    true
}

impl MatchResult {
    /// A score between two sides with nothing else known yet (the first side at home
    /// when `home_first`); callers fill in what they know with struct update syntax.
    pub fn score(a: &str, b: &str, goals: [u32; 2], home_first: bool) -> MatchResult {
        MatchResult {
            teams: [a.to_string(), b.to_string()],
            goals,
            home: home_first.then(|| a.to_string()),
            aggregate: false,
            venue: None,
            competition: None,
            round: None,
            leg: None,
            extra_time: false,
            penalties: None,
            date: None,
            start: 0,
            end: 0,
            certain: true,
        }
    }
}

/// What a report says about a two-legged tie as a whole.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TieFact {
    pub teams: [String; 2],
    /// Aggregate in the order of `teams`, when stated or derivable from both legs.
    pub aggregate: Option<[u32; 2]>,
    pub winner: Option<String>,
    /// How it was decided when not on aggregate goals alone.
    pub decided_by: Option<String>,
    pub competition: Option<String>,
    pub round: Option<Round>,
    pub next_opponent: Option<String>,
    pub next_round: Option<Round>,
}

/// What a report is, besides its text: enough for relative dates and defaults.
#[derive(Debug, Clone, Default)]
pub struct ReportContext {
    pub published: Option<NaiveDate>,
    pub competition: Option<String>,
}

/// Extracts quotes, people, results and ties from one report's text.
pub fn extract(text: &str, ctx: &ReportContext, teams: &TeamBook) -> Extraction {
    let doc = doc::Doc::new(text, teams);
    let quotes = speakers::attribute(&doc);
    let (results, ties) = results::find_results(&doc, ctx, teams);
    Extraction {
        quotes,
        people: doc.people.into_people(),
        results,
        ties,
    }
}
