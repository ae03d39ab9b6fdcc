//! Start-up shared by every subcommand: configuration, knowledge base, corpus, and
//! the sample corpus loaded into an empty database so a fresh clone answers at once.

use std::path::PathBuf;

use anyhow::Context;

use crate::config::{Config, DEFAULT_CONFIG};
use crate::corpus::Corpus;
use crate::ingest::{seed_paths, IngestSummary};
use crate::state::Ctx;
use crate::teams::TeamBook;

/// Where the config and database come from (flags, then environment, then defaults).
#[derive(Debug, Clone, Default)]
pub struct Locations {
    pub config: Option<PathBuf>,
    pub db: Option<PathBuf>,
}

/// The loaded configuration plus the database path actually used.
pub struct Setup {
    pub config: Config,
    pub db: PathBuf,
    pub teams: TeamBook,
}

/// Reads the configuration and the club knowledge base; fails with one clear line.
pub fn setup(loc: &Locations) -> anyhow::Result<Setup> {
    let (path, explicit) = match &loc.config {
        Some(p) => (p.clone(), true),
        None => (PathBuf::from(DEFAULT_CONFIG), false),
    };
    let config = Config::load(&path, explicit)?;
    let db = loc
        .db
        .clone()
        .unwrap_or_else(|| config.corpus.database.clone());
    let teams = match &config.corpus.teams {
        Some(p) if p.exists() || explicit => TeamBook::load(p)?,
        _ => TeamBook::embedded(),
    };
    Ok(Setup { config, db, teams })
}

/// Opens the corpus; an empty one first gets the configured sample reports. Several
/// processes opening a new corpus at once load them once: the emptiness is checked again
/// under the write lock, and the others say the samples were already loaded.
pub fn open_corpus(setup: &Setup, quiet: bool) -> anyhow::Result<Corpus> {
    let mut corpus = Corpus::open(&setup.db).with_context(|| {
        format!(
            "opening the corpus at {}",
            crate::corpus::shown_location(&setup.db)
        )
    })?;
    if corpus.report_count()? == 0 {
        if let Some(samples) = setup
            .config
            .corpus
            .samples
            .as_deref()
            .filter(|p| p.exists())
        {
            let seeded = seed_paths(
                &mut corpus,
                &setup.teams,
                &[samples.to_path_buf()],
                &setup.config.ingest,
            )?;
            if !quiet {
                match seeded {
                    Some(summary) => eprintln!(
                        "touchline: new corpus at {}; loaded {} sample reports from {}",
                        crate::corpus::shown_location(&setup.db),
                        summary.added,
                        samples.display()
                    ),
                    None => eprintln!(
                        "touchline: new corpus at {}; samples already loaded by another process",
                        crate::corpus::shown_location(&setup.db)
                    ),
                }
            }
        }
    }
    Ok(corpus)
}

/// Everything a command needs, ready to share.
pub fn context(setup: Setup, quiet: bool) -> anyhow::Result<Ctx> {
    let corpus = open_corpus(&setup, quiet)?;
    let fetcher = crate::ingest::fetch::Fetcher::new(&setup.config.fetch)
        .map_err(|e| anyhow::anyhow!("[fetch] settings: {e}"))?;
    Ok(Ctx::new(corpus, setup.teams).with_web(fetcher, setup.config.ingest.clone()))
}

/// A one-line account of an ingest run, then one line per refused file.
pub fn describe(summary: &IngestSummary) -> String {
    let mut s = format!(
        "added {} report(s), {} already stored, {} refused",
        summary.added,
        summary.duplicates,
        summary.rejected.len()
    );
    for r in &summary.rejected {
        s.push_str(&format!(
            "\n  refused {}: {}",
            crate::ingest::files::path_text(&r.path),
            r.reason
        ));
    }
    s
}

/// Whether a command-line argument is a web address rather than a path.
pub fn is_url(arg: &str) -> bool {
    arg.starts_with("http://") || arg.starts_with("https://")
}

/// Fetches and stores each URL (an article page, or every item of a feed): one line per
/// URL saying what was added, or, when anything was refused, why (what was added stays).
pub async fn ingest_urls(
    ctx: &Ctx,
    urls: &[String],
) -> anyhow::Result<Vec<(String, Result<String, String>)>> {
    let mut out = Vec::new();
    for url in urls {
        let outcome = match crate::ingest::sources::ingest_url(ctx, url).await? {
            Err(e) => Err(e.to_string()),
            Ok(stored) => {
                let mut line = format!(
                    "added {} report(s), {} already stored",
                    stored.added, stored.duplicates
                );
                for (key, why) in &stored.refused {
                    line.push_str(&format!("\n  refused {key}: {why}"));
                }
                // Like a refused file, a refused item makes the run exit 2.
                if stored.refused.is_empty() {
                    Ok(line)
                } else {
                    Err(line)
                }
            }
        };
        out.push((url.clone(), outcome));
    }
    Ok(out)
}
