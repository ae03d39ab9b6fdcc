//! Reports in: decoding, front matter, files and directories.
//!
//! A report's way in is the same whatever its origin: text (from [`decode`]) goes
//! through [`prepare`] (front matter, title), [`extract_report`] (facts, with offsets
//! into the full text) and [`Corpus::add`] or [`Corpus::add_many`]. [`ingest_paths`]
//! does all of it for files and folders, in batches.

pub mod addresses;
pub mod decode;
pub mod feed;
pub mod fetch;
pub mod files;
pub mod frontmatter;
pub mod html;
mod html_parse;
pub mod pipeline;
pub mod sources;
pub mod web;

use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::config::IngestConfig;
use crate::corpus::{Added, Corpus, CorpusError, NewReport};
use crate::extract::{extract, Extraction, ReportContext};
use crate::teams::TeamBook;

/// Reports stored per transaction.
pub const BATCH_SIZE: usize = 1000;
/// A progress bar is drawn only for more files than this.
const PROGRESS_MIN_FILES: usize = 50;
/// A first line longer than this (in characters) is not taken for a title.
const MAX_TITLE_CHARS: usize = 120;

/// Why a file was not stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RejectReason {
    #[error("the file is empty")]
    Empty,
    #[error("the file holds only whitespace")]
    Blank,
    #[error(
        "the file looks binary (NUL bytes, many control characters or bytes that are not text), \
         not a text report"
    )]
    Binary,
    #[error("the file is {size} bytes, over the limit of {limit} bytes (ingest.max_report_bytes)")]
    TooLarge { size: u64, limit: u64 },
    #[error("cannot read it: {0}")]
    Read(String),
    /// A FIFO, socket or device: reading one could block for ever or never end.
    #[error("not a regular file: {0}")]
    NotAFile(&'static str),
    #[error("extraction failed: {0}")]
    Extract(String),
}

/// A file that was not stored, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    pub path: PathBuf,
    pub reason: RejectReason,
}

impl fmt::Display for Rejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", files::path_text(&self.path), self.reason)
    }
}

/// Something odd about a file that was stored anyway (a bad front matter line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub path: PathBuf,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", files::path_text(&self.path), self.message)
    }
}

/// What an ingest run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestSummary {
    /// Reports newly stored.
    pub added: usize,
    /// Reports whose text was already stored.
    pub duplicates: usize,
    pub rejected: Vec<Rejected>,
    pub warnings: Vec<Warning>,
}

/// A report ready to extract and store.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The whole text (front matter included) plus metadata.
    pub report: NewReport,
    /// Byte offset where the body starts, after any front matter.
    pub body_offset: usize,
    /// Front matter lines that were not understood.
    pub warnings: Vec<String>,
}

/// Reads front matter and picks a title: the front matter's, else a short first line
/// that is not a sentence, else `fallback_title` (a file name, a URL).
pub fn prepare(text: String, origin: Option<String>, fallback_title: Option<String>) -> Prepared {
    let (meta, body_offset) = frontmatter::parse(&text);
    let title = meta
        .title
        .or_else(|| title_from_body(&text[body_offset..]))
        .or(fallback_title);
    Prepared {
        report: NewReport {
            text,
            title,
            source: meta.source,
            published: meta.date,
            competition: meta.competition,
            origin,
        },
        body_offset,
        warnings: meta.warnings,
    }
}

/// The first non-empty line, when it reads like a headline.
fn title_from_body(body: &str) -> Option<String> {
    let line = body.lines().map(str::trim).find(|l| !l.is_empty())?;
    let line = line.trim_start_matches('#').trim();
    let sentence = line
        .trim_end_matches(['"', '\'', '\u{201d}', '\u{2019}', ')'])
        .ends_with('.');
    let usable = !sentence
        && line.chars().count() < MAX_TITLE_CHARS
        && line.chars().any(char::is_alphanumeric);
    usable.then(|| line.to_string())
}

/// Reads, decodes and prepares one file (size checked first). The origin is the path
/// as given; the fallback title is the file name without its extension.
pub fn load(path: &Path, limits: &IngestConfig) -> Result<Prepared, RejectReason> {
    let text = decode::read_text(path, limits.max_report_bytes)?;
    let fallback = path.file_stem().map(|s| files::path_text(Path::new(s)));
    Ok(prepare(text, Some(files::path_text(path)), fallback))
}

/// One file as a report plus the byte offset of its body (for `extract FILE --json`).
pub fn load_report(path: &Path, limits: &IngestConfig) -> Result<(NewReport, usize), RejectReason> {
    load(path, limits).map(|p| (p.report, p.body_offset))
}

/// Runs the extractor on the body and shifts every offset so that it indexes the
/// full stored text. An extractor panic is turned into a rejection of this report.
pub fn extract_report(
    report: &NewReport,
    body_offset: usize,
    teams: &TeamBook,
) -> Result<Extraction, RejectReason> {
    let body = report.text.get(body_offset..).ok_or_else(|| {
        RejectReason::Extract(format!("body offset {body_offset} is outside the text"))
    })?;
    let ctx = ReportContext {
        published: report.published,
        competition: report.competition.clone(),
    };
    let mut extraction = catch_unwind(AssertUnwindSafe(|| extract(body, &ctx, teams)))
        .map_err(|panic| RejectReason::Extract(panic_message(panic.as_ref())))?;
    shift_offsets(&mut extraction, body_offset);
    Ok(extraction)
}

/// Moves quote and result byte offsets from body-relative to text-relative.
pub fn shift_offsets(extraction: &mut Extraction, by: usize) {
    for q in &mut extraction.quotes {
        q.start += by;
        q.end += by;
    }
    for r in &mut extraction.results {
        r.start += by;
        r.end += by;
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "the extractor panicked".to_string())
}

/// Loads, extracts and stores every report file under `paths`, [`BATCH_SIZE`] per
/// transaction. Bad files are listed in the summary and skipped; only a corpus
/// failure stops the run (batches stored before it stay stored).
pub fn ingest_paths(
    corpus: &mut Corpus,
    teams: &TeamBook,
    paths: &[PathBuf],
    limits: &IngestConfig,
    progress: bool,
) -> Result<IngestSummary, CorpusError> {
    // Unconditional: every batch is stored, so there is always a summary.
    ingest_paths_as(corpus, teams, paths, limits, progress, false).map(Option::unwrap_or_default)
}

/// Like [`ingest_paths`], but only into an empty corpus (the sample reports): the first
/// batch is stored only if no report is stored yet, checked under the write lock.
/// `None` when another process had stored reports first (nothing was written).
pub fn seed_paths(
    corpus: &mut Corpus,
    teams: &TeamBook,
    paths: &[PathBuf],
    limits: &IngestConfig,
) -> Result<Option<IngestSummary>, CorpusError> {
    ingest_paths_as(corpus, teams, paths, limits, false, true)
}

fn ingest_paths_as(
    corpus: &mut Corpus,
    teams: &TeamBook,
    paths: &[PathBuf],
    limits: &IngestConfig,
    progress: bool,
    mut only_if_empty: bool,
) -> Result<Option<IngestSummary>, CorpusError> {
    let (files, rejected) = files::expand(paths);
    let mut summary = IngestSummary {
        rejected,
        ..IngestSummary::default()
    };
    let bar = (progress && files.len() > PROGRESS_MIN_FILES).then(|| progress_bar(files.len()));
    // Files are read and extracted on every core, BATCH_SIZE at a time, while this
    // thread stores the batch before: batches arrive in file order, so what is stored
    // (and the ids it gets) is what one thread doing it all would store.
    let load_one = |path: &PathBuf| {
        let loaded = load(path, limits).and_then(|p| {
            let extraction = extract_report(&p.report, p.body_offset, teams)?;
            Ok((p, extraction))
        });
        if let Some(bar) = &bar {
            bar.inc(1);
        }
        (path.clone(), loaded)
    };
    let workers = pipeline::workers();
    let stored = pipeline::chunked(&files, BATCH_SIZE, workers, load_one, |loaded| {
        let mut batch: Vec<(NewReport, Extraction)> = Vec::with_capacity(loaded.len());
        for (path, loaded) in loaded {
            match loaded {
                Ok((prepared, extraction)) => {
                    summary
                        .warnings
                        .extend(prepared.warnings.into_iter().map(|message| Warning {
                            path: path.clone(),
                            message,
                        }));
                    batch.push((prepared.report, extraction));
                }
                Err(reason) => summary.rejected.push(Rejected { path, reason }),
            }
        }
        store_batch(corpus, &mut batch, &mut summary, &mut only_if_empty)
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(stored.then_some(summary))
}

/// Stores the batch; `only_if_empty` (cleared once a batch is stored) makes it conditional
/// on an empty corpus. False when it was not stored because the corpus was not empty.
fn store_batch(
    corpus: &mut Corpus,
    batch: &mut Vec<(NewReport, Extraction)>,
    summary: &mut IngestSummary,
    only_if_empty: &mut bool,
) -> Result<bool, CorpusError> {
    if batch.is_empty() {
        return Ok(true);
    }
    let added = if *only_if_empty {
        match corpus.add_many_if_empty(batch)? {
            Some(added) => added,
            None => return Ok(false),
        }
    } else {
        corpus.add_many(batch)?
    };
    *only_if_empty = false;
    for added in added {
        match added {
            Added::New(_) => summary.added += 1,
            Added::Duplicate(_) => summary.duplicates += 1,
        }
    }
    batch.clear();
    Ok(true)
}

fn progress_bar(len: usize) -> ProgressBar {
    let style = ProgressStyle::with_template(
        "{spinner} ingesting [{bar:40}] {pos}/{len} files ({per_sec}, {eta} left)",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("=> ");
    ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr()).with_style(style)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{MatchResult, Quote};

    #[test]
    fn title_falls_back_from_front_matter_to_headline_to_file_name() {
        let p = prepare(
            "---\ntitle: Given\n---\nHeadline\n\nBody.".into(),
            None,
            None,
        );
        assert_eq!(p.report.title.as_deref(), Some("Given"));
        let p = prepare("\n# Rovers edge it\n\nBody.".into(), None, Some("f".into()));
        assert_eq!(p.report.title.as_deref(), Some("Rovers edge it"));
        let p = prepare(
            "Rovers won on Tuesday.\nMore.".into(),
            None,
            Some("f".into()),
        );
        assert_eq!(
            p.report.title.as_deref(),
            Some("f"),
            "a sentence is not a title"
        );
        let long = format!("{}\nBody", "word ".repeat(30));
        let p = prepare(long, None, Some("f".into()));
        assert_eq!(p.report.title.as_deref(), Some("f"));
    }

    #[test]
    fn prepare_keeps_the_text_exactly_and_reads_metadata() {
        let text = "---\ndate: 2026-01-14\ncompetition: Northern Shield\nsource: Wire\n---\nBody";
        let p = prepare(text.into(), Some("x.md".into()), None);
        assert_eq!(p.report.text, text);
        assert_eq!(&p.report.text[p.body_offset..], "Body");
        assert_eq!(p.report.competition.as_deref(), Some("Northern Shield"));
        assert_eq!(p.report.source.as_deref(), Some("Wire"));
        assert_eq!(p.report.origin.as_deref(), Some("x.md"));
        assert_eq!(
            p.report.published.map(|d| d.to_string()).as_deref(),
            Some("2026-01-14")
        );
    }

    #[test]
    fn offsets_shift_by_the_body_offset() {
        let mut e = Extraction {
            quotes: vec![Quote {
                start: 1,
                end: 4,
                text: "abc".into(),
                speaker: None,
            }],
            results: vec![MatchResult {
                end: 9,
                ..MatchResult::score("A", "B", [1, 0], false)
            }],
            ..Extraction::default()
        };
        shift_offsets(&mut e, 10);
        assert_eq!((e.quotes[0].start, e.quotes[0].end), (11, 14));
        assert_eq!((e.results[0].start, e.results[0].end), (10, 19));
    }

    #[test]
    fn extract_report_runs_on_the_body() {
        let p = prepare("---\ntitle: T\n---\nNo quotes here.".into(), None, None);
        let e = extract_report(&p.report, p.body_offset, &TeamBook::embedded()).unwrap();
        assert!(e.quotes.iter().all(|q| q.start >= p.body_offset));
        assert!(matches!(
            extract_report(&p.report, p.report.text.len() + 1, &TeamBook::embedded()),
            Err(RejectReason::Extract(_))
        ));
    }
}
