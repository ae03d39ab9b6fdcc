//! The seed report (read from ../shared at run time, never copied) through the real
//! binary: ingest, then `/tie liverpool real`, `/quote klopp`, `/quote milner`.
//! Ignored by plain `cargo test` (a clone may have no ../shared); `.ci/run` runs them
//! with `--ignored`, where a missing ../shared fails.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn seed_dir() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seed");
    assert!(
        p.is_dir(),
        "{} is missing: the seed tests need ../shared",
        p.display()
    );
    p
}

/// Runs the binary with `args` against the corpus `db`; its stdout, after checking it succeeded.
fn touchline(db: &Path, args: &[&std::ffi::OsStr]) -> String {
    let out = Command::cargo_bin("touchline")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("TOUCHLINE_DB", db)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn ask(db: &Path, line: &str) -> String {
    touchline(db, &["ask".as_ref(), line.as_ref()])
}

fn seeded() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("seed.db");
    touchline(&db, &["ingest".as_ref(), seed_dir().as_os_str()]);
    (dir, db)
}

#[test]
#[ignore = "needs ../shared; run by .ci/run"]
fn tie_liverpool_real_shows_both_legs_aggregate_and_next_opponent() {
    let (_dir, db) = seeded();
    let t = ask(&db, "/tie liverpool real");
    assert!(t.contains("Champions League quarter-final"), "{t}");
    assert!(
        t.contains("First leg:\n  Real Madrid 3-1 Liverpool\n  in Madrid"),
        "{t}"
    );
    assert!(
        t.contains("Second leg:\n  Liverpool 0-0 Real Madrid\n  at Anfield"),
        "{t}"
    );
    assert!(
        t.contains("Real Madrid went through, 3-1 on aggregate"),
        "{t}"
    );
    assert!(
        t.contains("Real Madrid meet Chelsea in the semi-final"),
        "{t}"
    );
}

#[test]
#[ignore = "needs ../shared; run by .ci/run"]
fn quote_klopp_is_klopps_and_milner_is_milners() {
    let (_dir, db) = seeded();
    let seed = std::fs::read_to_string(seed_dir().join("000_413c223b80ea6b0d.txt")).unwrap();
    let klopp = ask(&db, "/quote klopp");
    assert!(klopp.starts_with("Jurgen Klopp"), "{klopp}");
    assert!(
        klopp.contains("Liverpool 0-0 Real Madrid"),
        "the match as context: {klopp}"
    );
    assert!(
        !klopp.contains("The performance, intensity"),
        "a Milner quote: {klopp}"
    );
    let quoted = klopp
        .lines()
        .find(|l| l.starts_with('“'))
        .unwrap()
        .trim_matches(['“', '”']);
    assert!(seed.contains(quoted), "quote not from the seed: {quoted}");
    let milner = ask(&db, "/quote milner");
    assert!(milner.starts_with("James Milner"), "{milner}");
    let quoted = milner
        .lines()
        .find(|l| l.starts_with('“'))
        .unwrap()
        .trim_matches(['“', '”']);
    assert!(seed.contains(quoted), "quote not from the seed: {quoted}");
    for klopps in [
        "key moments",
        "closed eyes",
        "love this competition",
        "played the tie",
    ] {
        assert!(
            !quoted.contains(klopps),
            "a Klopp quote under Milner: {quoted}"
        );
    }
}
