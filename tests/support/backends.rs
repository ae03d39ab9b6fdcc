//! Each storage backend a test can run on: SQLite in a temporary folder always, and a
//! fresh database on the PostgreSQL server named by `TOUCHLINE_TEST_POSTGRES` (an admin
//! URL such as `postgres://touchline@127.0.0.1:5432/postgres`; `.ci/run` starts one).
//!
//! Without that variable the PostgreSQL variant of each test says that it skipped and
//! passes, unless `TOUCHLINE_REQUIRE_POSTGRES=1` (CI sets it): then a missing or
//! unreachable server fails the test.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use touchline::corpus::Corpus;

/// A database for one test, removed when dropped.
pub enum TestDb {
    Sqlite {
        dir: tempfile::TempDir,
    },
    Postgres {
        admin: String,
        name: String,
        url: String,
    },
}

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// Runs `f` with a synchronous PostgreSQL client on a thread of its own (the client's
/// `block_on` must not run on a tokio thread).
fn on_admin<T: Send + 'static>(
    admin: &str,
    f: impl FnOnce(&mut postgres::Client) -> Result<T, postgres::Error> + Send + 'static,
) -> Result<T, String> {
    let admin = admin.to_string();
    std::thread::spawn(move || {
        let mut client =
            postgres::Client::connect(&admin, postgres::NoTls).map_err(|e| e.to_string())?;
        f(&mut client).map_err(|e| e.to_string())
    })
    .join()
    .map_err(|_| "the PostgreSQL admin thread panicked".to_string())?
}

/// Tells the person running `cargo test`, once per test binary and past the test
/// harness's output capture, that the PostgreSQL variants did not run.
fn say_once_skipped() {
    use std::io::Write;
    static SAID: std::sync::Once = std::sync::Once::new();
    SAID.call_once(|| {
        let _ = writeln!(
            std::io::stderr(),
            "note: tests on PostgreSQL skipped (set TOUCHLINE_TEST_POSTGRES to run them)"
        );
    });
}

fn required() -> bool {
    std::env::var("TOUCHLINE_REQUIRE_POSTGRES").is_ok_and(|v| v == "1")
}

impl TestDb {
    /// A SQLite corpus file in a new temporary folder.
    pub fn sqlite() -> TestDb {
        TestDb::Sqlite {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A new, empty PostgreSQL database; `None` (after saying so) when no server is
    /// configured and none is required.
    pub fn postgres(test: &str) -> Option<TestDb> {
        let Some(admin) = std::env::var("TOUCHLINE_TEST_POSTGRES")
            .ok()
            .filter(|v| !v.is_empty())
        else {
            assert!(
                !required(),
                "TOUCHLINE_REQUIRE_POSTGRES=1 but TOUCHLINE_TEST_POSTGRES is unset: \
                 the PostgreSQL variant of {test} cannot run"
            );
            eprintln!("skipped on PostgreSQL: TOUCHLINE_TEST_POSTGRES is unset ({test})");
            say_once_skipped();
            return None;
        };
        let name = format!(
            "tl_{}_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed),
            fastrand::u32(..)
        );
        let create = format!("CREATE DATABASE {name}");
        match on_admin(&admin, move |c| c.batch_execute(&create)) {
            Ok(()) => {}
            Err(e) if !required() => {
                eprintln!(
                    "skipped on PostgreSQL: cannot create a database at {admin}: {e} ({test})"
                );
                return None;
            }
            Err(e) => panic!("cannot create a PostgreSQL database at {admin}: {e}"),
        }
        let url = match admin.rsplit_once('/') {
            Some((server, _)) => format!("{server}/{name}"),
            None => panic!("TOUCHLINE_TEST_POSTGRES has no database part: {admin}"),
        };
        Some(TestDb::Postgres { admin, name, url })
    }

    /// `"sqlite"` or `"postgres"`.
    pub fn kind(&self) -> &'static str {
        match self {
            TestDb::Sqlite { .. } => "sqlite",
            TestDb::Postgres { .. } => "postgres",
        }
    }

    /// The temporary folder of a SQLite database (where its file lives).
    pub fn dir(&self) -> Option<&Path> {
        match self {
            TestDb::Sqlite { dir } => Some(dir.path()),
            TestDb::Postgres { .. } => None,
        }
    }

    /// What `corpus.database` would say: the file's path or the database URL.
    pub fn location(&self) -> PathBuf {
        match self {
            TestDb::Sqlite { dir } => dir.path().join("corpus.db"),
            TestDb::Postgres { url, .. } => PathBuf::from(url),
        }
    }

    /// Opens (and on first use creates) the corpus.
    pub fn open(&self) -> Corpus {
        Corpus::open(&self.location()).unwrap_or_else(|e| panic!("open {}: {e}", self.kind()))
    }

    /// Runs SQL statements on the database directly, under the corpus interface.
    pub fn raw_sql(&self, sql: &str) {
        match self {
            TestDb::Sqlite { .. } => rusqlite::Connection::open(self.location())
                .and_then(|c| c.execute_batch(sql))
                .unwrap_or_else(|e| panic!("{sql}: {e}")),
            TestDb::Postgres { url, .. } => {
                let sql = sql.to_string();
                on_admin(url, move |c| c.batch_execute(&sql)).unwrap_or_else(|e| panic!("{e}"))
            }
        }
    }

    /// A second database of the same kind (for tests that compare two corpora).
    pub fn another(&self, test: &str) -> TestDb {
        match self {
            TestDb::Sqlite { .. } => TestDb::sqlite(),
            TestDb::Postgres { .. } => TestDb::postgres(test).expect("a PostgreSQL server"),
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let TestDb::Postgres { admin, name, .. } = self {
            let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            if let Err(e) = on_admin(admin, move |c| c.batch_execute(&drop)) {
                eprintln!("could not drop test database {name}: {e}");
            }
        }
    }
}

/// Defines each listed test twice, in modules `on_sqlite` and `on_postgres`: the
/// function `name(&TestDb)` runs on a SQLite file and on a fresh PostgreSQL database.
/// `sync:` lists plain functions, `async:` async ones, on a multi-thread runtime as in `touchline run` (a
/// database call blocks its worker, as it does there).
#[macro_export]
macro_rules! on_both_backends {
    (sync: [$($s:ident),* $(,)?] async: [$($a:ident),* $(,)?]) => {
        mod on_sqlite {
            $(
                #[test]
                fn $s() {
                    super::$s(&$crate::support::backends::TestDb::sqlite());
                }
            )*
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $a() {
                    super::$a(&$crate::support::backends::TestDb::sqlite()).await;
                }
            )*
        }
        mod on_postgres {
            $(
                #[test]
                fn $s() {
                    if let Some(db) = $crate::support::backends::TestDb::postgres(stringify!($s)) {
                        super::$s(&db);
                    }
                }
            )*
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $a() {
                    if let Some(db) = $crate::support::backends::TestDb::postgres(stringify!($a)) {
                        super::$a(&db).await;
                    }
                }
            )*
        }
    };
}
