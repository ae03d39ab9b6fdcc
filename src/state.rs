//! The application state every part shares: the corpus, the club book, the clock and
//! web access. It sits outside `commands/` so the core (ingest sources, the announcer)
//! and the transports (Discord, the terminal) can hold it without depending on the
//! command layer.

use std::sync::{Arc, Mutex};

use crate::announce::{Clock, SystemClock};
use crate::config::IngestConfig;
use crate::corpus::Corpus;
use crate::ingest::fetch::{FetchConfig, Fetcher};
use crate::teams::TeamBook;

/// Everything a command may read.
pub struct Ctx {
    pub corpus: Mutex<Corpus>,
    pub teams: TeamBook,
    /// Signalled after new reports are stored, so the announcer looks for new results.
    pub news: tokio::sync::Notify,
    /// Fetching reports by URL (`/ingest`).
    pub web: WebAccess,
    /// What time it is: subscriptions start, digests fall due and news goes stale by it
    /// (a manual clock in tests).
    pub clock: Arc<dyn Clock>,
}

/// The guarded HTTP client and the size limit for reports fetched by URL.
pub struct WebAccess {
    pub fetcher: Fetcher,
    pub limits: IngestConfig,
}

impl Ctx {
    /// A context over an opened corpus, fetching URLs with the default (strict) settings.
    pub fn new(corpus: Corpus, teams: TeamBook) -> Ctx {
        let fetcher =
            Fetcher::new(&FetchConfig::default()).expect("the default fetch settings are valid");
        Ctx {
            corpus: Mutex::new(corpus),
            teams,
            news: tokio::sync::Notify::new(),
            web: WebAccess {
                fetcher,
                limits: IngestConfig::default(),
            },
            clock: Arc::new(SystemClock),
        }
    }

    /// Runs `f` on the corpus under its lock. A panic elsewhere while holding the lock
    /// leaves SQLite consistent (every write is one transaction), so a poisoned lock is
    /// taken over rather than taking the background tasks down with it.
    pub fn with_corpus<T>(&self, f: impl FnOnce(&mut Corpus) -> T) -> T {
        let mut corpus = self.corpus.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut corpus)
    }

    /// Replaces the clock (tests drive digests with a manual one).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Ctx {
        self.clock = clock;
        self
    }

    /// Replaces how URLs are fetched (the configuration's `[fetch]` and `[ingest]`).
    pub fn with_web(mut self, fetcher: Fetcher, limits: IngestConfig) -> Ctx {
        self.web = WebAccess { fetcher, limits };
        self
    }
}
