//! What each polled source has given and how its last attempts went.

use chrono::{DateTime, Utc};

use super::db::args;
use super::{Corpus, CorpusError, Doing};

/// A source's polling state, kept across restarts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceState {
    /// Validators of the last successful fetch, for conditional requests.
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// Failures in a row since the last success (drives the backoff).
    pub failures: u32,
    pub last_error: Option<String>,
    /// Not before this time (backoff after failures).
    pub next_attempt: Option<DateTime<Utc>>,
}

impl Corpus {
    /// The stored state of a source; the default for one never polled.
    pub fn source_state(&self, name: &str) -> Result<SourceState, CorpusError> {
        let row = self
            .db
            .query_opt(
                "SELECT etag, last_modified, failures, last_error, next_attempt \
                 FROM source_state WHERE name = ?1",
                args![name],
            )
            .doing_with(|| format!("reading the state of source {name:?}"))?;
        let Some(r) = row else {
            return Ok(SourceState::default());
        };
        let read = || -> Result<SourceState, super::DbError> {
            let next: Option<String> = r.get(4)?;
            Ok(SourceState {
                etag: r.get(0)?,
                last_modified: r.get(1)?,
                failures: r.get(2)?,
                last_error: r.get(3)?,
                next_attempt: next
                    .and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
                    .map(|t| t.with_timezone(&Utc)),
            })
        };
        read().doing_with(|| format!("reading the state of source {name:?}"))
    }

    /// Stores a source's state after an attempt.
    pub fn set_source_state(
        &mut self,
        name: &str,
        state: &SourceState,
        success_at: Option<DateTime<Utc>>,
    ) -> Result<(), CorpusError> {
        self.db
            .execute(
                "INSERT INTO source_state (name, etag, last_modified, failures, last_error, \
                 next_attempt, last_success) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
                 ON CONFLICT (name) DO UPDATE SET etag = ?2, last_modified = ?3, failures = ?4, \
                 last_error = ?5, next_attempt = ?6, \
                 last_success = coalesce(?7, source_state.last_success)",
                args![
                    name,
                    &state.etag,
                    &state.last_modified,
                    state.failures,
                    &state.last_error,
                    state.next_attempt.map(|t| t.to_rfc3339()),
                    success_at.map(|t| t.to_rfc3339()),
                ],
            )
            .doing_with(|| format!("storing the state of source {name:?}"))?;
        Ok(())
    }

    /// Whether a source already delivered the item (feed entry id, article URL or file).
    pub fn source_has_item(&self, source: &str, key: &str) -> Result<bool, CorpusError> {
        self.db
            .query_opt(
                "SELECT 1 FROM source_items WHERE source = ?1 AND item_key = ?2",
                args![source, key],
            )
            .map(|r| r.is_some())
            .doing_with(|| format!("checking an item of source {source:?}"))
    }

    /// Records that a source delivered an item (stored as `report_id`).
    pub fn record_source_item(
        &mut self,
        source: &str,
        key: &str,
        report_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<(), CorpusError> {
        self.db
            .execute(
                "INSERT INTO source_items (source, item_key, report_id, seen_at) \
                 VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
                args![source, key, report_id, now.to_rfc3339()],
            )
            .doing_with(|| format!("recording an item of source {source:?}"))?;
        Ok(())
    }
}
