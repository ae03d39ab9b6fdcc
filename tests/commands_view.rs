//! What users see from the commands, through the real `touchline` binary on a real SQLite
//! file in a temporary folder: echoed input, `/results` with dates and sources, `/tie`
//! by season. The reports are our own, written into the temporary folder.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The binary, run from the project root against the database `db`.
fn touchline(db: &Path) -> Command {
    let mut c = Command::cargo_bin("touchline").expect("binary builds");
    c.current_dir(root())
        .env("TOUCHLINE_DB", db)
        .env_remove("TOUCHLINE_CONFIG");
    c
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// `ask line` against `db`; its output, and whether it succeeded.
fn ask(db: &Path, line: &str) -> (bool, String) {
    let out = touchline(db).args(["ask", line]).output().unwrap();
    (out.status.success(), text(&out))
}

#[test]
fn unknown_commands_and_queries_are_echoed_short_escaped_and_quoted_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let (ok, out) = ask(&db, &format!("/{}\u{1b}[2J", "y".repeat(5_000)));
    assert!(!ok);
    let line = out.lines().last().unwrap();
    assert!(line.starts_with("touchline: unknown command /yyy"), "{out}");
    assert!(line.chars().count() < 100, "{line}");
    assert!(!out.contains('\u{1b}'), "{out:?}");

    let (ok, out) = ask(&db, "/report \"unbalanced");
    assert!(ok, "{out}");
    assert!(out.contains("No report mentions \"unbalanced\""), "{out}");
    assert!(!out.contains("\"\""), "a doubled quote mark: {out}");
}

#[test]
fn a_tie_of_four_hundred_words_is_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let words: Vec<String> = (0..400).map(|i| format!("w{i}")).collect();
    let (ok, out) = ask(&db, &format!("/tie {}", words.join(" ")));
    assert!(!ok);
    assert!(
        out.contains("/tie takes two team names of at most 12 words"),
        "{out}"
    );
}
