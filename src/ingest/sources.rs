//! Polled sources: feeds, article URLs and folders, each on its own interval.
//!
//! A poll fetches what is new (conditional GET, items not seen before), stores each
//! report in its own transaction, records the item as seen, and wakes the announcer.
//! A failing source is logged by name and retried with exponential backoff; nothing
//! half-ingested is stored and the other sources go on.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::fetch::{FetchConfig, Fetcher, Validators};
use super::web::{fetch_reports, fetch_reports_until, WebError, WebReport};
use super::{extract_report, files, load, RejectReason};
use crate::config::IngestConfig;
use crate::corpus::{Added, CorpusError, SourceState};
use crate::state::Ctx;

/// The longest wait between attempts at a failing source.
const MAX_BACKOFF: Duration = Duration::from_secs(3_600);

/// One `[[sources]]` entry of the configuration: a feed or page URL, or a folder.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    /// Shown in logs and used as the key of the source's state.
    pub name: String,
    /// An RSS or Atom feed, or a single article page.
    pub url: Option<String>,
    /// A folder whose new report files are ingested.
    pub dir: Option<PathBuf>,
    /// Seconds between polls.
    #[serde(default = "default_every")]
    pub every_secs: u64,
    /// Competition of the source's reports when they don't say (a league's own feed).
    pub competition: Option<String>,
}

fn default_every() -> u64 {
    300
}

impl SourceConfig {
    /// Checks that exactly one of `url` and `dir` is set and the interval is sane.
    pub fn validate(&self) -> Result<(), String> {
        if self.name.trim().is_empty() {
            return Err("a source needs a name".into());
        }
        match (&self.url, &self.dir) {
            (Some(u), None) if u.starts_with("http://") || u.starts_with("https://") => {}
            (Some(u), None) => {
                return Err(format!(
                    "source {:?}: url must start with http:// or https://, got {u:?}",
                    self.name
                ))
            }
            (None, Some(_)) => {}
            _ => {
                return Err(format!(
                    "source {:?}: give exactly one of `url` and `dir`",
                    self.name
                ))
            }
        }
        if self.every_secs == 0 {
            return Err(format!(
                "source {:?}: every_secs must be above 0",
                self.name
            ));
        }
        Ok(())
    }
}

/// What storing a batch of reports did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stored {
    pub added: usize,
    pub duplicates: usize,
    /// Items that were refused (by key), and why.
    pub refused: Vec<(String, String)>,
    /// Titles of the reports added, for a reply.
    pub titles: Vec<String>,
    /// Feed items not reached before the poll's deadline, left for the next poll.
    pub deferred: usize,
}

/// Why a poll of a source failed as a whole.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("source {name}: {source}")]
    Web {
        name: String,
        #[source]
        source: WebError,
    },
    #[error("source {name}: {source}")]
    Corpus {
        name: String,
        #[source]
        source: CorpusError,
    },
    #[error("source {name}: {message}")]
    Other { name: String, message: String },
}

/// Polls the configured sources and stores what they give.
pub struct SourcePoller {
    ctx: Arc<Ctx>,
    fetcher: Fetcher,
    limits: IngestConfig,
    /// How long one poll of a source may take in all (`fetch.poll_deadline_secs`).
    deadline: Duration,
}

impl SourcePoller {
    /// A poller with its own guarded HTTP client.
    pub fn new(
        ctx: Arc<Ctx>,
        fetch: &FetchConfig,
        limits: IngestConfig,
    ) -> anyhow::Result<SourcePoller> {
        let fetcher = Fetcher::new(fetch)
            .map_err(|e| anyhow::anyhow!("cannot build the HTTP client for sources: {e}"))?;
        Ok(SourcePoller {
            ctx,
            fetcher,
            limits,
            deadline: Duration::from_secs(fetch.poll_deadline_secs.max(1)),
        })
    }

    /// Polls every source on its interval until the task is dropped.
    pub async fn run(self: Arc<Self>, sources: Vec<SourceConfig>) {
        let mut tasks = tokio::task::JoinSet::new();
        for source in sources {
            let poller = Arc::clone(&self);
            tasks.spawn(async move { poller.run_one(source).await });
        }
        while tasks.join_next().await.is_some() {}
    }

    async fn run_one(&self, source: SourceConfig) {
        let every = Duration::from_secs(source.every_secs);
        // Items refused before are retried on every poll but reported once, not every time.
        let mut reported: std::collections::HashSet<String> = std::collections::HashSet::new();
        loop {
            // On a shared database one process at a time polls a source; the others look
            // again at the next interval (and take over when the holder dies).
            let leased = self
                .ctx
                .with_corpus(|c| c.try_lease_source(&source.name))
                .unwrap_or_else(|e| {
                    tracing::error!(source = %source.name, error = %e, "cannot take the source's lease");
                    false
                });
            if !leased {
                tokio::time::sleep(every).await;
                continue;
            }
            let next = self.attempt(&source, every, &mut reported).await;
            if let Err(e) = self.ctx.with_corpus(|c| c.release_source(&source.name)) {
                tracing::error!(source = %source.name, error = %e, "cannot release the source's lease");
            }
            tokio::time::sleep(next).await;
        }
    }

    /// One turn of a source under its lease: the wait its backoff still asks for, or a poll
    /// and the time until the next one.
    async fn attempt(
        &self,
        source: &SourceConfig,
        every: Duration,
        reported: &mut std::collections::HashSet<String>,
    ) -> Duration {
        let state = self
            .ctx
            .with_corpus(|c| c.source_state(&source.name))
            .unwrap_or_default();
        if let Some(wait) = state
            .next_attempt
            .and_then(|at| (at - Utc::now()).to_std().ok())
        {
            return wait;
        }
        let now = Utc::now();
        match self.poll(source, &state).await {
            Ok(stored) => {
                if stored.added > 0 {
                    tracing::info!(
                        source = %source.name,
                        added = stored.added,
                        duplicates = stored.duplicates,
                        "source polled"
                    );
                }
                for (key, why) in &stored.refused {
                    if reported.insert(key.clone()) {
                        tracing::warn!(source = %source.name, item = %key, reason = %why, "item refused; retried on later polls");
                    } else {
                        tracing::debug!(source = %source.name, item = %key, reason = %why, "item refused again");
                    }
                }
                every
            }
            Err(e) => {
                let failures = state.failures + 1;
                let backoff = backoff(every, failures);
                tracing::warn!(
                    source = %source.name,
                    error = %e,
                    failures,
                    retry_in_secs = backoff.as_secs(),
                    "source failed; will retry"
                );
                let failed = SourceState {
                    failures,
                    last_error: Some(e.to_string()),
                    next_attempt: Some(
                        now + chrono::Duration::from_std(backoff).unwrap_or_default(),
                    ),
                    ..state
                };
                if let Err(e) = self
                    .ctx
                    .with_corpus(|c| c.set_source_state(&source.name, &failed, None))
                {
                    tracing::error!(source = %source.name, error = %e, "cannot store the source's state");
                }
                backoff
            }
        }
    }

    /// One poll of one source: fetch what is new, store it, remember it. On success the
    /// source's state (validators, no failures) is stored too.
    pub async fn poll(
        &self,
        source: &SourceConfig,
        state: &SourceState,
    ) -> Result<Stored, SourceError> {
        let stored = match (&source.url, &source.dir) {
            (Some(url), _) => self.poll_url(source, url, state).await?,
            (None, Some(dir)) => {
                let ctx = Arc::clone(&self.ctx);
                let limits = self.limits.clone();
                let owned = source.clone();
                let dir = dir.clone();
                tokio::task::spawn_blocking(move || poll_dir(&ctx, &owned, &dir, &limits))
                    .await
                    .map_err(|e| SourceError::Other {
                        name: source.name.clone(),
                        message: format!("the folder scan failed: {e}"),
                    })??
            }
            (None, None) => {
                return Err(SourceError::Other {
                    name: source.name.clone(),
                    message: "neither url nor dir is set".into(),
                })
            }
        };
        if stored.added > 0 {
            self.ctx.news.notify_one();
        }
        Ok(stored)
    }

    async fn poll_url(
        &self,
        source: &SourceConfig,
        url: &str,
        state: &SourceState,
    ) -> Result<Stored, SourceError> {
        let deadline = tokio::time::Instant::now() + self.deadline;
        let validators = Validators {
            etag: state.etag.clone(),
            last_modified: state.last_modified.clone(),
        };
        let ctx = Arc::clone(&self.ctx);
        let name = source.name.clone();
        let seen = move |key: &str| {
            ctx.corpus
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .source_has_item(&name, key)
                .unwrap_or(false)
        };
        let batch = fetch_reports_until(
            &self.fetcher,
            url,
            &validators,
            &seen,
            self.limits.max_report_bytes,
            Some(deadline),
        )
        .await
        .map_err(|source_error| SourceError::Web {
            name: source.name.clone(),
            source: source_error,
        })?;
        let ctx = Arc::clone(&self.ctx);
        let for_store = source.clone();
        let reports = batch.reports;
        let mut stored = tokio::task::spawn_blocking(move || {
            let now = ctx.clock.now();
            store_web_reports(&ctx, Some(&for_store), reports, now)
        })
        .await
        .map_err(|e| SourceError::Other {
            name: source.name.clone(),
            message: format!("storing failed: {e}"),
        })?
        .map_err(|e| SourceError::Corpus {
            name: source.name.clone(),
            source: e,
        })?;
        stored.refused.extend(batch.failures);
        stored.deferred = batch.deferred.len();
        if stored.deferred > 0 {
            // Once per poll, not per item: the items are simply read next time.
            tracing::warn!(
                source = %source.name,
                left = stored.deferred,
                deadline_secs = self.deadline.as_secs(),
                "poll deadline (fetch.poll_deadline_secs) reached; the items not read are left for the next poll"
            );
        }
        let ok = SourceState {
            etag: batch.validators.etag,
            last_modified: batch.validators.last_modified,
            ..SourceState::default()
        };
        self.ctx
            .with_corpus(|c| c.set_source_state(&source.name, &ok, Some(Utc::now())))
            .map_err(|e| SourceError::Corpus {
                name: source.name.clone(),
                source: e,
            })?;
        Ok(stored)
    }
}

/// Doubling waits after failures, from the source's interval up to [`MAX_BACKOFF`].
pub fn backoff(every: Duration, failures: u32) -> Duration {
    let factor = 1u32 << failures.min(16);
    every.saturating_mul(factor).min(MAX_BACKOFF.max(every))
}

/// Fetches one URL once (an article, or every item of a feed) with the context's guarded
/// client and stores what it gives; items that could not be read are in `refused`.
/// Wakes the announcer when something was added. `touchline ingest URL` and `/ingest`.
pub async fn ingest_url(ctx: &Ctx, url: &str) -> Result<Result<Stored, WebError>, CorpusError> {
    let batch = match fetch_reports(
        &ctx.web.fetcher,
        url,
        &Validators::default(),
        &|_| false,
        ctx.web.limits.max_report_bytes,
    )
    .await
    {
        Ok(b) => b,
        Err(e) => return Ok(Err(e)),
    };
    let mut stored = store_web_reports(ctx, None, batch.reports, ctx.clock.now())?;
    stored.refused.extend(batch.failures);
    if stored.added > 0 {
        ctx.news.notify_one();
    }
    Ok(Ok(stored))
}

/// Extracts and stores reports fetched from the web, each in its own transaction, and
/// (for a source) records each item as seen. A report that cannot be extracted is
/// refused by key; the others still go in.
pub fn store_web_reports(
    ctx: &Ctx,
    source: Option<&SourceConfig>,
    reports: Vec<WebReport>,
    now: DateTime<Utc>,
) -> Result<Stored, CorpusError> {
    let mut stored = Stored::default();
    for WebReport { key, report } in reports {
        let mut report = report;
        if report.competition.is_none() {
            report.competition = source.and_then(|s| s.competition.clone());
        }
        // An undated item is news of the day it arrived (relative dates need a date).
        report.published.get_or_insert(now.date_naive());
        // A fetched text is all body: front-matter-like lines in it are not ours to trust.
        let extraction = match extract_report(&report, 0, &ctx.teams) {
            Ok(x) => x,
            Err(reason) => {
                stored.refused.push((key, reason.to_string()));
                continue;
            }
        };
        let mut corpus = ctx.corpus.lock().unwrap_or_else(|p| p.into_inner());
        let id = match corpus.add(&report, &extraction)? {
            Added::New(id) => {
                stored.added += 1;
                stored
                    .titles
                    .push(report.title.clone().unwrap_or_else(|| key.clone()));
                id
            }
            Added::Duplicate(id) => {
                stored.duplicates += 1;
                id
            }
        };
        if let Some(s) = source {
            corpus.record_source_item(&s.name, &key, Some(id), now)?;
        }
    }
    Ok(stored)
}

/// New files of a folder source: a file is known by path, size and modification time,
/// so an edited file is read again (and deduplicated by content if unchanged).
fn poll_dir(
    ctx: &Ctx,
    source: &SourceConfig,
    dir: &std::path::Path,
    limits: &IngestConfig,
) -> Result<Stored, SourceError> {
    if !dir.is_dir() {
        return Err(SourceError::Other {
            name: source.name.clone(),
            message: format!("{} is not a folder", dir.display()),
        });
    }
    let corpus_err = |e| SourceError::Corpus {
        name: source.name.clone(),
        source: e,
    };
    let (paths, _) = files::expand(&[dir.to_path_buf()]);
    let mut stored = Stored::default();
    let now = ctx.clock.now();
    for path in paths {
        let key = match std::fs::metadata(&path) {
            Ok(m) => {
                // Nanoseconds: an edit of the same size within a second is still seen.
                let modified = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                format!("{}@{}:{}", path.display(), m.len(), modified)
            }
            Err(_) => continue,
        };
        let known = ctx
            .corpus
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .source_has_item(&source.name, &key)
            .map_err(corpus_err)?;
        if known {
            continue;
        }
        let outcome: Result<(super::NewReport, crate::extract::Extraction), RejectReason> =
            load(&path, limits).and_then(|p| {
                let mut report = p.report;
                if report.competition.is_none() {
                    report.competition = source.competition.clone();
                }
                let x = extract_report(&report, p.body_offset, &ctx.teams)?;
                Ok((report, x))
            });
        let mut corpus = ctx.corpus.lock().unwrap_or_else(|p| p.into_inner());
        let id = match outcome {
            Ok((report, extraction)) => {
                match corpus.add(&report, &extraction).map_err(corpus_err)? {
                    Added::New(id) => {
                        stored.added += 1;
                        stored
                            .titles
                            .push(report.title.unwrap_or_else(|| key.clone()));
                        Some(id)
                    }
                    Added::Duplicate(id) => {
                        stored.duplicates += 1;
                        Some(id)
                    }
                }
            }
            Err(reason) => {
                // Remembered, so a bad file is reported once, not on every poll.
                stored
                    .refused
                    .push((path.display().to_string(), reason.to_string()));
                None
            }
        };
        corpus
            .record_source_item(&source.name, &key, id, now)
            .map_err(corpus_err)?;
    }
    Ok(stored)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_the_interval_and_is_capped() {
        let every = Duration::from_secs(60);
        assert_eq!(backoff(every, 1), Duration::from_secs(120));
        assert_eq!(backoff(every, 3), Duration::from_secs(480));
        assert_eq!(backoff(every, 30), MAX_BACKOFF);
        // An interval above the cap is never shortened.
        assert_eq!(
            backoff(Duration::from_secs(7_200), 2),
            Duration::from_secs(7_200)
        );
    }

    #[test]
    fn a_source_is_a_url_or_a_folder() {
        let mut s = SourceConfig {
            name: "wire".into(),
            url: Some("https://example.org/feed".into()),
            dir: None,
            every_secs: 300,
            competition: None,
        };
        assert!(s.validate().is_ok());
        s.dir = Some("reports".into());
        assert!(s.validate().unwrap_err().contains("exactly one"));
        s.dir = None;
        s.url = Some("ftp://example.org".into());
        assert!(s.validate().unwrap_err().contains("http"));
    }
}
