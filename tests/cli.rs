//! The real `touchline` binary against a real SQLite file in a temporary folder:
//! ingest (new, repeated, bad files), and `ask` answering from the sample corpus.

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

#[test]
fn ingest_stores_a_folder_once_and_says_so_the_second_time() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let first = touchline(&db).args(["ingest", "samples"]).output().unwrap();
    assert!(first.status.success(), "{}", text(&first));
    assert!(
        text(&first).contains("added 16 report(s), 0 already stored"),
        "{}",
        text(&first)
    );
    let again = touchline(&db).args(["ingest", "samples"]).output().unwrap();
    assert!(again.status.success(), "{}", text(&again));
    assert!(
        text(&again).contains("added 0 report(s), 16 already stored"),
        "{}",
        text(&again)
    );
    assert!(text(&again).contains("nothing new"), "{}", text(&again));
}

#[test]
fn bad_files_are_named_with_reasons_and_the_rest_goes_in() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    // Something stored before the bad batch must stay.
    let before = touchline(&db)
        .args(["ingest", "tests/reports/penalties.txt"])
        .output()
        .unwrap();
    assert!(before.status.success(), "{}", text(&before));
    let out = touchline(&db)
        .args([
            "ingest",
            "tests/reports/bad/empty.txt",
            "tests/reports/bad/binary.bin",
            "tests/reports/bad/whitespace.txt",
            "tests/reports/venues.txt",
        ])
        .output()
        .unwrap();
    let t = text(&out);
    assert_eq!(out.status.code(), Some(2), "{t}");
    assert!(t.contains("added 1 report(s)"), "{t}");
    for name in ["empty.txt", "binary.bin", "whitespace.txt"] {
        assert!(
            t.lines().any(|l| l.contains("refused") && l.contains(name)),
            "{name} not reported: {t}"
        );
    }
    let ask = touchline(&db)
        .args(["ask", "/results sunderland"])
        .output()
        .unwrap();
    assert!(
        text(&ask).contains("Sunderland 1-1 Middlesbrough"),
        "{}",
        text(&ask)
    );
}

#[test]
fn a_fresh_corpus_answers_a_tie_from_the_samples() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let out = touchline(&db)
        .args(["ask", "/tie inter bayern"])
        .output()
        .unwrap();
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("loaded 16 sample reports"), "{t}");
    assert!(
        t.contains("First leg:\n  Bayern Munich 2-1 Inter Milan"),
        "{t}"
    );
    assert!(
        t.contains("Second leg:\n  Inter Milan 3-1 Bayern Munich (aet)"),
        "{t}"
    );
    assert!(t.contains("Inter Milan 4-3 Bayern Munich"), "{t}");
    assert!(
        t.contains("Inter Milan meet Arsenal in the semi-final"),
        "{t}"
    );
}

#[test]
fn unknown_team_answers_with_the_closest_names() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let out = touchline(&db)
        .args(["ask", "/tie liverpol bayern"])
        .output()
        .unwrap();
    let t = text(&out);
    assert!(t.contains("(only you see this)"), "{t}");
    assert!(t.contains("Liverpool"), "{t}");
}

#[test]
fn quote_json_is_a_discord_payload_that_pings_nobody() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let out = touchline(&db)
        .args(["ask", "--json", "/quote ventresca"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json payload");
    assert_eq!(v["type"], 4, "{v}");
    assert_eq!(
        v["data"]["allowed_mentions"]["parse"],
        serde_json::json!([]),
        "{v}"
    );
    let embed = &v["data"]["embeds"][0];
    assert!(
        embed["title"].as_str().unwrap().contains("Ventresca"),
        "{v}"
    );
}

#[test]
fn a_config_that_does_not_parse_stops_with_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("bad.toml");
    std::fs::write(&cfg, "[corpus\n").unwrap();
    let out = touchline(&dir.path().join("c.db"))
        .args(["--config", cfg.to_str().unwrap(), "ask", "/help"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("touchline: config file") && err.contains("bad.toml"),
        "{err}"
    );
}

#[test]
fn results_list_a_match_told_by_two_reports_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let out = touchline(&db)
        .args(["ask", "/results real madrid"])
        .output()
        .unwrap();
    let t = text(&out);
    assert_eq!(t.matches("Real Madrid 2-2 Sevilla").count(), 1, "{t}");
}
