//! The corpus: reports and the facts extracted from them, in one SQLite file.
//!
//! Commands read facts from here and never re-read raw text. Schema and migrations
//! live in `schema.rs`; writes in `store.rs`; reads in `query.rs`; full-text search
//! in `search.rs`.

use chrono::NaiveDate;
use serde::Serialize;

use crate::extract::{MatchResult, TieFact};

/// Row id of a stored report.
pub type ReportId = i64;

/// A report as it arrives, before it is stored.
#[derive(Debug, Clone, Default)]
pub struct NewReport {
    /// The text exactly as given (after decoding to UTF-8).
    pub text: String,
    pub title: Option<String>,
    pub source: Option<String>,
    pub published: Option<NaiveDate>,
    pub competition: Option<String>,
    /// Where it came from: a file path or URL.
    pub origin: Option<String>,
}

/// What storing a report did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    New(ReportId),
    /// The same text (by content hash) was stored before, under this id.
    Duplicate(ReportId),
}

/// What a command shows about the report a fact came from.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ReportMeta {
    pub id: ReportId,
    pub title: Option<String>,
    pub source: Option<String>,
    pub published: Option<NaiveDate>,
    pub origin: Option<String>,
}

/// A stored quote with where it came from.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StoredQuote {
    pub id: i64,
    pub speaker: String,
    pub text: String,
    pub report: ReportMeta,
}

/// A stored result with where it came from.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StoredResult {
    pub id: i64,
    pub result: MatchResult,
    pub report: ReportMeta,
}

/// A stored tie fact with where it came from.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StoredTieFact {
    pub fact: TieFact,
    pub report: ReportMeta,
}

/// A person known to the corpus, for lookup and autocomplete.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PersonEntry {
    pub id: i64,
    pub name: String,
    pub role: Option<String>,
    pub team: Option<String>,
    pub quote_count: u32,
}

/// A full-text search hit.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SearchHit {
    pub report: ReportMeta,
    /// A short excerpt around the match.
    pub snippet: String,
}

/// Errors from the corpus, with what was being done.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("cannot open corpus {path}: {source}")]
    Open {
        path: String,
        source: rusqlite::Error,
    },
    #[error("cannot create the folder for corpus {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error("corpus {path} has schema version {found}, newer than this program knows ({known})")]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
    #[error("corpus query failed while {doing}: {source}")]
    Query {
        doing: String,
        source: rusqlite::Error,
    },
}

/// The open corpus (one SQLite connection).
pub struct Corpus {
    #[allow(dead_code)]
    conn: rusqlite::Connection,
}

impl Corpus {
    /// Opens (or creates) the corpus at `path`.
    // placeholder until the corpus branch lands: no schema, just the connection.
    pub fn open(path: &std::path::Path) -> Result<Corpus, CorpusError> {
        let conn = rusqlite::Connection::open(path).map_err(|source| CorpusError::Open {
            path: path.display().to_string(),
            source,
        })?;
        Ok(Corpus { conn })
    }
}
