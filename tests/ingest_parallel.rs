//! Folder ingest extracts on several threads and stores on one; what it stores must be
//! exactly what one thread loading, extracting and storing each file in turn stores:
//! the same rows, the same ids, the same counters, the same search index.

use std::path::{Path, PathBuf};

use rusqlite::types::Value;
use touchline::config::IngestConfig;
use touchline::corpus::{Added, Corpus};
use touchline::ingest::{self, files};
use touchline::teams::TeamBook;

/// A folder of more files than two store batches: the project's test reports, many
/// synthetic ones, exact copies (duplicates) and files that are rejected.
fn corpus_folder(dir: &Path, teams: &TeamBook) -> PathBuf {
    let root = dir.join("reports");
    std::fs::create_dir(&root).unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reports");
    let mut fixture_texts = Vec::new();
    for entry in std::fs::read_dir(&fixtures).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            fixture_texts.push(std::fs::read(&path).unwrap());
        }
    }
    fixture_texts.sort();
    assert!(!fixture_texts.is_empty());
    let clubs: Vec<String> = teams
        .teams()
        .iter()
        .filter(|t| t.kind == "club")
        .map(|t| t.name.clone())
        .take(50)
        .collect();
    let mut rng = fastrand::Rng::with_seed(11);
    for n in 0..ingest::BATCH_SIZE * 2 + 123 {
        let bytes = if n % 10 == 3 {
            fixture_texts[n / 10 % fixture_texts.len()].clone()
        } else {
            let text = touchline::bench::synthetic_report(n % 700, &clubs, &mut rng);
            // Some with front matter, some dated: the metadata paths run too.
            if n % 7 == 0 {
                format!(
                    "---\ndate: 2026-0{}-1{}\nsource: Wire\n---\n{text}",
                    n % 9 + 1,
                    n % 10
                )
                .into_bytes()
            } else {
                text.into_bytes()
            }
        };
        std::fs::write(root.join(format!("{n:05}.txt")), bytes).unwrap();
    }
    std::fs::write(root.join("01000-empty.txt"), b"").unwrap();
    std::fs::write(root.join("02000-binary.md"), b"PK\x03\x04\0\0binary\0").unwrap();
    root
}

/// Every row of `sql`, each value written out.
fn dump(conn: &rusqlite::Connection, sql: &str) -> Vec<Vec<String>> {
    let mut st = conn.prepare(sql).unwrap();
    let n = st.column_count();
    st.query_map([], |row| {
        (0..n)
            .map(|i| row.get::<_, Value>(i).map(|v| format!("{v:?}")))
            .collect::<Result<Vec<_>, _>>()
    })
    .unwrap()
    .collect::<Result<Vec<_>, _>>()
    .unwrap()
}

/// Everything ingest writes, except the ingest time.
fn contents(db: &Path) -> Vec<(&'static str, Vec<Vec<String>>)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    [
        "SELECT id, text, title, source, published, competition, origin, content_hash \
         FROM reports ORDER BY id",
        "SELECT * FROM people ORDER BY id",
        "SELECT * FROM person_tokens ORDER BY token, person_id",
        "SELECT * FROM quotes ORDER BY id",
        "SELECT * FROM results ORDER BY id",
        "SELECT * FROM tie_facts ORDER BY id",
        "SELECT * FROM teams_seen ORDER BY folded",
        "SELECT rowid FROM reports_fts WHERE reports_fts MATCH 'leg' ORDER BY rowid",
        "SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH 'supporters' ORDER BY rowid",
        "SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH 'person:p1' ORDER BY rowid",
    ]
    .into_iter()
    .map(|sql| (sql, dump(&conn, sql)))
    .collect()
}

#[test]
fn parallel_folder_ingest_stores_what_sequential_ingest_stores() {
    let dir = tempfile::tempdir().unwrap();
    let teams = TeamBook::embedded();
    let root = corpus_folder(dir.path(), &teams);
    let limits = IngestConfig::default();

    // The folder ingest (several extraction threads, one storing thread).
    let parallel_db = dir.path().join("parallel.db");
    let mut c = Corpus::open(&parallel_db).unwrap();
    let summary =
        ingest::ingest_paths(&mut c, &teams, std::slice::from_ref(&root), &limits, false).unwrap();
    drop(c);

    // One file at a time: load, extract, store.
    let sequential_db = dir.path().join("sequential.db");
    let mut c = Corpus::open(&sequential_db).unwrap();
    let (paths, mut rejected) = files::expand(std::slice::from_ref(&root));
    let (mut added, mut duplicates) = (0, 0);
    for path in paths {
        let loaded = ingest::load(&path, &limits).and_then(|p| {
            let x = ingest::extract_report(&p.report, p.body_offset, &teams)?;
            Ok((p, x))
        });
        match loaded {
            Ok((p, x)) => match c.add(&p.report, &x).unwrap() {
                Added::New(_) => added += 1,
                Added::Duplicate(_) => duplicates += 1,
            },
            Err(reason) => rejected.push(ingest::Rejected { path, reason }),
        }
    }
    drop(c);

    assert_eq!(summary.added, added);
    assert_eq!(summary.duplicates, duplicates);
    assert_eq!(summary.rejected, rejected);
    assert!(summary.added > ingest::BATCH_SIZE, "{summary:?}");
    assert!(summary.duplicates > 0, "the folder holds copies");
    assert_eq!(summary.rejected.len(), 2);

    let (got, want) = (contents(&parallel_db), contents(&sequential_db));
    for ((sql, got), (_, want)) in got.iter().zip(&want) {
        assert!(!want.is_empty(), "nothing to compare in {sql}");
        assert_eq!(got.len(), want.len(), "{sql}");
        assert!(got == want, "{sql} differs");
    }
}
