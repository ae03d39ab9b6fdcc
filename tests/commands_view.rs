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

/// Writes our own reports (name, text) into `dir` and ingests them into `db`.
fn ingest(db: &Path, dir: &Path, reports: &[(&str, &str)]) {
    let folder = dir.join("reports");
    std::fs::create_dir_all(&folder).unwrap();
    for (name, body) in reports {
        std::fs::write(folder.join(name), body).unwrap();
    }
    let out = touchline(db).arg("ingest").arg(&folder).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
}

fn report(title: &str, date: &str, source: &str, body: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\nsource: {source}\n---\n\n{body}\n")
}

#[test]
fn results_show_dates_newest_first_with_each_source_named_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let reports = [
        (
            "anfield.md",
            report(
                "Honours even at Anfield",
                "2024-10-05",
                "Beta Wire",
                "Liverpool drew 1-1 with Arsenal at Anfield in the Premier League.",
            ),
        ),
        (
            "chelsea.md",
            report(
                "Arsenal see off Chelsea",
                "2024-09-14",
                "Alpha Wire",
                "Arsenal beat Chelsea 2-0 at the Emirates Stadium in the Premier League.\n\n\
                 The win followed the 3-1 victory over Everton a week earlier.",
            ),
        ),
        (
            "fulham.md",
            report(
                "Arsenal edge past Fulham",
                "2024-08-20",
                "Alpha Wire",
                "Arsenal beat Fulham 3-1 at Craven Cottage in the Premier League.",
            ),
        ),
        (
            // Published two days after the match it dates "on Sunday".
            "brentford.md",
            report(
                "Late winner for Arsenal",
                "2024-10-08",
                "Gamma Wire",
                "Arsenal beat Brentford 2-1 at the Emirates Stadium in the Premier League on Sunday.",
            ),
        ),
        (
            "undated.txt",
            "Tottenham Hotspur beat Arsenal 1-0 at White Hart Lane in the Premier League.\n"
                .to_string(),
        ),
    ];
    let reports: Vec<(&str, &str)> = reports.iter().map(|(n, b)| (*n, b.as_str())).collect();
    ingest(&db, dir.path(), &reports);

    let (ok, out) = ask(&db, "/results arsenal");
    assert!(ok, "{out}");
    let lines: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    let expected = [
        "6 Oct 2024 · Arsenal 2-1 Brentford",
        "5 Oct 2024 · Liverpool 1-1 Arsenal",
        "14 Sep 2024 · Arsenal 2-0 Chelsea",
        "14 Sep 2024 · Arsenal 3-1 Everton",
        "20 Aug 2024 · Fulham 1-3 Arsenal",
    ];
    for (line, want) in lines.iter().zip(expected) {
        assert!(
            line.starts_with(want),
            "{line:?} should start with {want:?}\n{out}"
        );
    }
    assert_eq!(lines.len(), expected.len(), "{out}");
    // The undated result comes last, without a date.
    let last = out
        .lines()
        .find(|l| l.contains("Tottenham Hotspur 1-0 Arsenal"))
        .unwrap();
    assert!(last.starts_with("Tottenham"), "{out}");
    // Every line cites its report; the footer names each report once, two results sharing one.
    assert!(
        lines[2].ends_with("[3]") && lines[3].ends_with("[3]"),
        "{out}"
    );
    let footer = out.lines().find(|l| l.starts_with("-- ")).unwrap();
    for title in [
        "Late winner for Arsenal — Gamma Wire, 8 Oct 2024",
        "Honours even at Anfield — Beta Wire",
        "Arsenal see off Chelsea — Alpha Wire",
        "Arsenal edge past Fulham — Alpha Wire",
    ] {
        assert_eq!(out.matches(title).count(), 1, "{title} once: {out}");
        assert!(footer.contains(title), "{footer}");
    }
    assert!(footer.contains("[3] Arsenal see off Chelsea"), "{footer}");

    // On Discord the dates are timestamps the client shows in the reader's own format.
    let json = touchline(&db)
        .args(["ask", "--json", "/results arsenal"])
        .output()
        .unwrap();
    let payload: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let description = payload["data"]["embeds"][0]["description"]
        .as_str()
        .unwrap();
    let sunday = chrono::NaiveDate::from_ymd_opt(2024, 10, 6)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp();
    assert!(
        description.starts_with(&format!("<t:{sunday}:d> · **Arsenal 2-1 Brentford**")),
        "{description}"
    );
}
