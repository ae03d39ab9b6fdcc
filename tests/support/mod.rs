//! Shared test support: the fake Discord, a command context, a running bot, captured logs.

#![allow(dead_code)]

pub mod backends;
pub mod crash;
pub mod fake_discord;
pub mod feed_server;
pub mod latency;

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use touchline::corpus::Corpus;
use touchline::discord::{self, BotSettings};
use touchline::state::Ctx;
use touchline::teams::TeamBook;

pub use fake_discord::FakeDiscord;

/// A generous bound for anything the bot does over 127.0.0.1.
pub const WAIT: Duration = Duration::from_secs(30);

/// A command context on an empty corpus in a temporary folder (kept alive by the returned dir).
pub fn test_ctx() -> (Arc<Ctx>, tempfile::TempDir) {
    test_ctx_with_clock(Arc::new(touchline::announce::SystemClock))
}

/// [`test_ctx`] timed by `clock` (a `ManualClock` drives digests without sleeping).
pub fn test_ctx_with_clock(
    clock: Arc<dyn touchline::announce::Clock>,
) -> (Arc<Ctx>, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = Corpus::open(&dir.path().join("corpus.db")).expect("open corpus");
    let ctx = Ctx::new(corpus, TeamBook::embedded()).with_clock(clock);
    (Arc::new(ctx), dir)
}

/// The real serenity client, through `touchline::discord`, running against a fake.
pub struct RunningBot {
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
    _dir: tempfile::TempDir,
}

impl RunningBot {
    /// Starts the bot against `fake`, deferring commands that take longer than `answer_within`.
    pub fn start_with(
        fake: &FakeDiscord,
        answer_within: Duration,
        dev_guild: Option<u64>,
    ) -> RunningBot {
        let (ctx, dir) = test_ctx();
        Self::run(fake, ctx, dir, answer_within, dev_guild)
    }

    /// Starts the bot on a corpus holding the reports under `paths` (ingested for real).
    pub fn start_with_reports(fake: &FakeDiscord, paths: &[std::path::PathBuf]) -> RunningBot {
        let (ctx, dir) = test_ctx();
        {
            let mut corpus = ctx.corpus.lock().expect("corpus lock");
            let summary = touchline::ingest::ingest_paths(
                &mut corpus,
                &ctx.teams,
                paths,
                &touchline::config::IngestConfig::default(),
                false,
            )
            .expect("ingest");
            assert!(summary.rejected.is_empty(), "{:?}", summary.rejected);
        }
        Self::run(fake, ctx, dir, discord::ANSWER_WITHIN, None)
    }

    fn run(
        fake: &FakeDiscord,
        ctx: Arc<Ctx>,
        dir: tempfile::TempDir,
        answer_within: Duration,
        dev_guild: Option<u64>,
    ) -> RunningBot {
        let settings = BotSettings {
            dev_guild,
            answer_within,
            ..BotSettings::for_api(fake.api_url())
        };
        Self::start_on(ctx, dir, settings)
    }

    /// Starts the bot on `ctx` with explicit settings (announcements, a manual clock).
    pub fn start_on(ctx: Arc<Ctx>, dir: tempfile::TempDir, settings: BotSettings) -> RunningBot {
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            discord::run_with(settings, fake_discord::TOKEN, ctx, async {
                let _ = stopped.await;
            })
            .await
        });
        RunningBot {
            stop: Some(stop),
            task,
            _dir: dir,
        }
    }

    /// Starts the bot with the production settings' deadline and global registration.
    pub fn start(fake: &FakeDiscord) -> RunningBot {
        Self::start_with(fake, discord::ANSWER_WITHIN, None)
    }

    /// Asks the bot to stop and waits for `run_with` to return.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        tokio::time::timeout(WAIT, &mut self.task)
            .await
            .expect("the bot did not stop in time")
            .expect("the bot task panicked")
    }
}

/// Log lines written by every test in this binary (tests run concurrently: filter by an id).
pub fn logs() -> String {
    String::from_utf8_lossy(&log_buffer().lock().unwrap()).into_owned()
}

fn log_buffer() -> &'static Arc<Mutex<Vec<u8>>> {
    static BUF: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    BUF.get_or_init(|| Arc::new(Mutex::new(Vec::new())))
}

#[derive(Clone)]
struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Installs (once) a global subscriber that captures logs for [`logs`].
pub fn capture_logs() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let buf = Arc::clone(log_buffer());
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter("info,touchline=debug,serenity=debug")
            .with_ansi(false)
            .with_writer(move || LogWriter(Arc::clone(&buf)))
            .finish();
        let _ = tracing::subscriber::set_global_default(subscriber);
    });
}

/// A command context on `db`, timed by `clock`.
pub fn test_ctx_on(db: &backends::TestDb, clock: Arc<dyn touchline::announce::Clock>) -> Arc<Ctx> {
    Arc::new(Ctx::new(db.open(), TeamBook::embedded()).with_clock(clock))
}
