//! The corpus: reports and the facts extracted from them, in one SQLite file or in a
//! PostgreSQL database (`corpus.database = "postgres://…"`).
//!
//! Commands read facts from here and never re-read raw text, and never know which backend
//! holds them: every method is written once against `db::Backend`. Schema and migrations
//! live in `schema.rs` (SQLite) and `schema_pg.rs` (PostgreSQL, the same history); writes
//! in `store.rs`; reads in `query.rs`; full-text search in `search.rs`; the leases that
//! let several processes share one PostgreSQL database in `leases.rs`.

pub(crate) mod db;
mod leases;
mod ledger;
mod pg;
mod query;
pub mod schema;
mod schema_pg;
mod search;
mod sources;
mod store;
pub mod subscriptions;

pub use db::DbError;

pub use sources::SourceState;
pub use subscriptions::{Claim, NewSubscription, Subscribed, Subscription, Target};

use std::path::Path;
use std::time::Duration;

use chrono::NaiveDate;
use serde::Serialize;

use crate::extract::{MatchResult, TieFact};
use crate::text::fold;

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

/// A stored quote with where it came from. `speaker` is the person's stored name,
/// or the empty string for a quote nobody was credited with.
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
    Open { path: String, source: DbError },
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
    Query { doing: String, source: DbError },
}

/// How many rows each table holds; for status output and tests.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    pub reports: u64,
    pub people: u64,
    pub quotes: u64,
    pub results: u64,
    pub tie_facts: u64,
    pub teams: u64,
}

/// How long a write waits for another process's write to finish before giving up.
/// Long: a large ingest commits every [`crate::ingest::BATCH_SIZE`] reports, and a
/// waiting writer should outlast one batch.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// The open corpus: one SQLite connection or one PostgreSQL connection. Reads take
/// `&self`; writes take `&mut self` because each runs in one transaction.
pub struct Corpus {
    db: db::Backend,
}

/// Whether a `corpus.database` value names a PostgreSQL database rather than a file.
pub fn is_postgres_url(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

/// Where a corpus is, as shown in messages and logs: a file's path, or a database URL
/// without its user and password.
pub fn shown_location(location: &Path) -> String {
    let text = location.display().to_string();
    if is_postgres_url(&text) {
        shown_url(&text)
    } else {
        text
    }
}

/// A database URL as shown in messages: without the user and password.
fn shown_url(url: &str) -> String {
    match (url.split_once("://"), url.rsplit_once('@')) {
        (Some((scheme, _)), Some((_, host))) => format!("{scheme}://…@{host}"),
        _ => url.to_string(),
    }
}

impl Corpus {
    /// Opens (creating the file and its folder when missing) and migrates the corpus at
    /// `path`; a `postgres://` URL opens that database instead.
    pub fn open(path: &Path) -> Result<Corpus, CorpusError> {
        let display = path.display().to_string();
        if is_postgres_url(&display) {
            return Corpus::open_postgres(&display);
        }
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| CorpusError::Folder {
                path: display.clone(),
                source,
            })?;
        }
        let conn = rusqlite::Connection::open(path).map_err(|source| CorpusError::Open {
            path: display.clone(),
            source: source.into(),
        })?;
        Corpus::init(conn, &display)
    }

    /// Connects to the PostgreSQL database at `url` and creates or migrates its schema.
    pub fn open_postgres(url: &str) -> Result<Corpus, CorpusError> {
        let shown = shown_url(url);
        let pg = pg::Pg::connect(url).map_err(|source| CorpusError::Open {
            path: shown.clone(),
            source,
        })?;
        let db = db::Backend::Postgres(pg);
        schema_pg::migrate(&db, &shown)?;
        Ok(Corpus { db })
    }

    /// A throwaway corpus in memory, for tests and one-off runs.
    pub fn open_in_memory() -> Result<Corpus, CorpusError> {
        let conn = rusqlite::Connection::open_in_memory().map_err(|source| CorpusError::Open {
            path: ":memory:".into(),
            source: source.into(),
        })?;
        Corpus::init(conn, ":memory:")
    }

    fn init(mut conn: rusqlite::Connection, display: &str) -> Result<Corpus, CorpusError> {
        let open_err = |source: rusqlite::Error| CorpusError::Open {
            path: display.to_string(),
            source: source.into(),
        };
        schema::configure(&conn).map_err(open_err)?;
        // Several processes (two `ingest` runs, parallel `ask` calls, the bot) may share
        // one file. A deferred transaction that reads and then writes cannot wait for the
        // lock (SQLite answers "database is locked" at once to avoid a deadlock), so every
        // transaction takes the write lock up front (`db::Backend::begin`), where the busy
        // timeout applies.
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_err)?;
        schema::migrate(&mut conn, display)?;
        conn.set_prepared_statement_cache_capacity(64);
        Ok(Corpus {
            db: db::Backend::Sqlite(conn),
        })
    }

    /// Which backend holds the corpus: `"sqlite"` or `"postgres"`.
    pub fn backend(&self) -> &'static str {
        if self.db.is_postgres() {
            "postgres"
        } else {
            "sqlite"
        }
    }

    /// The SQLite connection, for tests that look under the interface.
    #[cfg(test)]
    pub(crate) fn sqlite(&self) -> &rusqlite::Connection {
        match &self.db {
            db::Backend::Sqlite(c) => c,
            db::Backend::Postgres(_) => panic!("not a SQLite corpus"),
        }
    }
}

/// The key under which matches between two teams are stored: both names folded,
/// sorted and joined by `|`, so that either order finds the same rows.
pub fn pair_key(a: &str, b: &str) -> String {
    pair_key_folded(&fold(a), &fold(b))
}

/// [`pair_key`] of two names already folded.
pub(crate) fn pair_key_folded(a: &str, b: &str) -> String {
    if a <= b {
        format!("{a}|{b}")
    } else {
        format!("{b}|{a}")
    }
}

/// Adds "what was being done" to a database error.
pub(crate) trait Doing<T> {
    /// Wraps the error with a fixed description.
    fn doing(self, what: &str) -> Result<T, CorpusError>;
    /// Wraps the error with a description built only on failure.
    fn doing_with(self, what: impl FnOnce() -> String) -> Result<T, CorpusError>;
}

impl<T, E: Into<DbError>> Doing<T> for Result<T, E> {
    fn doing(self, what: &str) -> Result<T, CorpusError> {
        self.map_err(|source| CorpusError::Query {
            doing: what.to_string(),
            source: source.into(),
        })
    }

    fn doing_with(self, what: impl FnOnce() -> String) -> Result<T, CorpusError> {
        self.map_err(|source| CorpusError::Query {
            doing: what(),
            source: source.into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_url_is_shown_without_its_password() {
        let url = Path::new("postgres://touchline:s3cret@db.example.org:5432/touchline");
        let shown = shown_location(url);
        assert_eq!(shown, "postgres://…@db.example.org:5432/touchline");
        assert!(!shown.contains("s3cret"));
        assert_eq!(
            shown_location(Path::new("data/touchline.db")),
            "data/touchline.db"
        );
        assert!(is_postgres_url("postgresql://h/db"));
        assert!(!is_postgres_url("data/postgres.db"));
    }

    #[test]
    fn an_unreachable_server_is_a_clear_error() {
        // Port 1 on 127.0.0.1: nothing listens there.
        let err = Corpus::open(Path::new("postgres://nobody:pw@127.0.0.1:1/touchline"))
            .err()
            .expect("no server");
        let msg = err.to_string();
        assert!(
            msg.contains("cannot open corpus postgres://…@127.0.0.1:1"),
            "{msg}"
        );
        assert!(!msg.contains("pw@"), "{msg}");
    }
}
