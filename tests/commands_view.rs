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

/// Chelsea and Barcelona in two seasons: both legs of a 1999-00 quarter-final, and the
/// first leg of a 2004-05 tie.
fn two_seasons(db: &Path, dir: &Path) {
    let reports = [
        (
            "stun.md",
            report(
                "Chelsea stun Barcelona",
                "2000-04-06",
                "Delta Wire",
                "Chelsea beat Barcelona 3-1 at Stamford Bridge in the first leg of their \
                 Champions League quarter-final.",
            ),
        ),
        (
            "turn.md",
            report(
                "Barcelona turn it round",
                "2000-04-19",
                "Delta Wire",
                "Barcelona beat Chelsea 5-1 after extra time at the Nou Camp in the second leg \
                 of their Champions League quarter-final.",
            ),
        ),
        (
            "edge.md",
            report(
                "Barcelona edge Chelsea",
                "2005-02-24",
                "Epsilon Wire",
                "Barcelona beat Chelsea 2-1 at the Nou Camp in the first leg of their \
                 Champions League last-16 tie.",
            ),
        ),
    ];
    let reports: Vec<(&str, &str)> = reports.iter().map(|(n, b)| (*n, b.as_str())).collect();
    ingest(db, dir, &reports);
}

#[test]
fn tie_shows_the_latest_season_and_offers_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    two_seasons(&db, dir.path());

    let (ok, latest) = ask(&db, "/tie chelsea barcelona");
    assert!(ok, "{latest}");
    assert!(latest.contains("Champions League, 2004-05"), "{latest}");
    assert!(latest.contains("Barcelona 2-1 Chelsea"), "{latest}");
    assert!(
        !latest.contains("Chelsea 3-1 Barcelona"),
        "another season's leg: {latest}"
    );
    assert!(
        latest.contains("Other seasons:\n  1999-00 · Champions League quarter-final"),
        "{latest}"
    );

    for asked in [
        "/tie chelsea barcelona 1999-00",
        "/tie barcelona chelsea season: 1999",
    ] {
        let (ok, old) = ask(&db, asked);
        assert!(ok, "{old}");
        assert!(
            old.contains("Champions League quarter-final, 1999-00"),
            "{old}"
        );
        assert!(
            old.contains("Barcelona went through, 6-4 on aggregate"),
            "{old}"
        );
        assert!(!old.contains("Barcelona 2-1 Chelsea"), "{old}");
        assert!(old.contains("2004-05 · Champions League"), "{old}");
    }

    let (_, missing) = ask(&db, "/tie chelsea barcelona 1990-91");
    assert!(
        missing.contains("No tie between Chelsea and Barcelona in 1990-91"),
        "{missing}"
    );
    assert!(missing.contains("2004-05, 1999-00"), "{missing}");
    let (_, unreadable) = ask(&db, "/tie chelsea barcelona season: next year");
    assert!(
        unreadable.contains("I can't read the season \"next year\""),
        "{unreadable}"
    );

    // On Discord the other seasons are a select menu whose id carries the two clubs.
    let json = touchline(&db)
        .args(["ask", "--json", "/tie chelsea barcelona"])
        .output()
        .unwrap();
    let payload: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let menu = &payload["data"]["components"][0]["components"][0];
    assert_eq!(menu["type"], 3, "{payload}");
    assert_eq!(menu["custom_id"], "tie:season:Chelsea|Barcelona");
    assert_eq!(menu["options"][0]["value"], "1999-00");
}
