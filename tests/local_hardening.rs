//! Local input and storage under stress, through the real binary and a real SQLite file:
//! concurrent writers, FIFOs named on the command line, terminal escapes in report text,
//! file names that are not UTF-8, `/help` without a corpus, a closed stdout pipe; and
//! property tests of the decoder.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use touchline::ingest::decode::decode;
use touchline::ingest::RejectReason;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The binary, run from the project root against the database `db`.
fn touchline(db: &Path) -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("touchline"));
    c.current_dir(root())
        .env("TOUCHLINE_DB", db)
        .env_remove("TOUCHLINE_CONFIG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

/// Waits for `child`, killing it (and failing the test) if it has not ended after `limit`:
/// a guard so that a hang fails the test instead of hanging it, not a timing assertion.
fn finish(mut child: Child, limit: Duration) -> Output {
    // Drain the pipes on threads so a chatty child never blocks on a full pipe.
    let mut out = child.stdout.take();
    let mut err = child.stderr.take();
    let read_out = std::thread::spawn(move || {
        let mut v = Vec::new();
        if let Some(o) = out.as_mut() {
            let _ = o.read_to_end(&mut v);
        }
        v
    });
    let read_err = std::thread::spawn(move || {
        let mut v = Vec::new();
        if let Some(e) = err.as_mut() {
            let _ = e.read_to_end(&mut v);
        }
        v
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for touchline") {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("touchline did not finish within {limit:?} (hung)");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: read_out.join().unwrap(),
        stderr: read_err.join().unwrap(),
    }
}

const LIMIT: Duration = Duration::from_secs(120);

fn run(mut cmd: Command) -> Output {
    finish(cmd.spawn().expect("touchline starts"), LIMIT)
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A small report of our own, distinct for each `n`.
fn report(n: usize) -> String {
    format!(
        "Harwood Town beat Castlebridge Rovers 2-1 on Saturday, match {n}.\n\n\
         \"We go again next week, number {n},\" said Dean Harlow, the Harwood manager.\n"
    )
}

fn stored_reports(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT count(*) FROM reports", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn parallel_ingests_into_one_file_all_succeed_and_store_everything() {
    const PROCESSES: usize = 6;
    const PER_PROCESS: usize = 40;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    for p in 0..PROCESSES {
        let folder = dir.path().join(format!("batch{p}"));
        std::fs::create_dir(&folder).unwrap();
        for i in 0..PER_PROCESS {
            std::fs::write(
                folder.join(format!("r{i:03}.txt")),
                report(p * PER_PROCESS + i),
            )
            .unwrap();
        }
    }
    // Rounds, each on a fresh file and on a file that already exists.
    for round in 0..2 {
        let children: Vec<Child> = (0..PROCESSES)
            .map(|p| {
                let mut c = touchline(&db);
                c.arg("ingest").arg(dir.path().join(format!("batch{p}")));
                c.spawn().expect("touchline starts")
            })
            .collect();
        for child in children {
            let out = finish(child, LIMIT);
            assert!(out.status.success(), "round {round}: {}", text(&out));
        }
        assert_eq!(
            stored_reports(&db),
            (PROCESSES * PER_PROCESS) as i64,
            "round {round}"
        );
    }
}

#[test]
fn parallel_first_asks_on_a_new_corpus_load_the_samples_once() {
    const PROCESSES: usize = 6;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let children: Vec<Child> = (0..PROCESSES)
        .map(|_| {
            let mut c = touchline(&db);
            c.args(["ask", "/tie inter bayern"]);
            c.spawn().expect("touchline starts")
        })
        .collect();
    let outs: Vec<Output> = children.into_iter().map(|c| finish(c, LIMIT)).collect();
    for out in &outs {
        assert!(out.status.success(), "{}", text(out));
        assert!(
            text(out).contains("Inter Milan 4-3 Bayern Munich"),
            "{}",
            text(out)
        );
        assert!(!text(out).contains("loaded 0 sample"), "{}", text(out));
    }
    let loaders = outs
        .iter()
        .filter(|o| text(o).contains("loaded 16 sample reports"))
        .count();
    assert_eq!(loaders, 1, "the samples are loaded by exactly one process");
    assert_eq!(stored_reports(&db), 16);
}

#[test]
fn a_fifo_is_refused_by_name_and_the_rest_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let fifo = dir.path().join("pipe.txt");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let good = dir.path().join("good.txt");
    std::fs::write(&good, report(1)).unwrap();

    let mut c = touchline(&db);
    c.arg("ingest").arg(&fifo).arg(&good);
    let out = run(c);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(2), "{t}");
    assert!(t.contains("added 1 report(s)"), "{t}");
    assert!(
        t.lines()
            .any(|l| l.contains("refused") && l.contains("pipe.txt") && l.contains("FIFO")),
        "{t}"
    );

    // Walked from its folder, it is refused by name too.
    let mut c = touchline(&db);
    c.arg("ingest").arg(dir.path());
    let out = run(c);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(2), "{t}");
    assert!(t.contains("1 already stored"), "{t}");
    assert!(
        t.lines()
            .any(|l| l.contains("refused") && l.contains("pipe.txt") && l.contains("FIFO")),
        "{t}"
    );

    let mut c = touchline(&db);
    c.arg("extract").arg(&fifo);
    let out = run(c);
    let t = text(&out);
    assert!(!out.status.success(), "{t}");
    assert!(
        t.contains("pipe.txt") && t.contains("not a regular file"),
        "{t}"
    );
}

#[test]
fn ask_escapes_terminal_control_characters_from_report_text() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let file = dir.path().join("esc.txt");
    std::fs::write(
        &file,
        "Harwood Town beat Castlebridge Rovers 2-1 on Saturday.\n\n\
         \"We go \x1b[2J\x1b]0;pwned\x07again \x08\x08 next week,\" said Dean Harlow, \
         the Harwood manager.\n",
    )
    .unwrap();
    let mut c = touchline(&db);
    c.arg("ingest").arg(&file);
    let out = run(c);
    assert!(out.status.success(), "{}", text(&out));

    let mut c = touchline(&db);
    c.args(["ask", "/quote dean harlow"]);
    let out = run(c);
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("We go"), "the quote is shown: {t}");
    for control in [0x1b_u8, 0x07, 0x08] {
        assert!(
            !out.stdout.contains(&control),
            "raw control byte {control:#x} printed: {t}"
        );
    }
    assert!(t.contains(r"\u{1b}[2J"), "{t}");
    assert!(t.contains(r"\u{7}") && t.contains(r"\u{8}"), "{t}");
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_stored_with_visible_escapes() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let latin1 = dir.path().join(OsStr::from_bytes(b"caf\xe9 report.txt"));
    let other = dir.path().join(OsStr::from_bytes(b"caf\xe8 report.txt"));
    std::fs::write(&latin1, report(7)).unwrap();
    std::fs::write(&other, report(8)).unwrap();
    let mut c = touchline(&db);
    c.arg("ingest").arg(&latin1).arg(&other);
    let out = run(c);
    assert!(out.status.success(), "{}", text(&out));

    let conn = rusqlite::Connection::open(&db).unwrap();
    let mut stmt = conn
        .prepare("SELECT origin, title FROM reports ORDER BY id")
        .unwrap();
    let rows: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows.len(), 2);
    assert!(rows[0].0.ends_with(r"caf\xE9 report.txt"), "{rows:?}");
    assert!(rows[1].0.ends_with(r"caf\xE8 report.txt"), "{rows:?}");
    assert_ne!(rows[0].0, rows[1].0, "two names stay two names");
    assert_eq!(rows[0].1, r"caf\xE9 report", "the title from the file name");
    for (origin, _) in &rows {
        assert!(!origin.contains('\u{fffd}'), "{origin}");
    }
}

#[test]
fn help_answers_without_a_corpus() {
    let dir = tempfile::tempdir().unwrap();
    // A database path under a regular file cannot be created or opened.
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, "x").unwrap();
    let db = blocker.join("c.db");
    let mut c = touchline(&db);
    c.args(["ask", "/help"]);
    let out = run(c);
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("/tie team_a team_b"), "{t}");
    // Anything else still needs the corpus, and says why it failed.
    let mut c = touchline(&db);
    c.args(["ask", "/results arsenal"]);
    let out = run(c);
    assert!(!out.status.success());
    assert!(text(&out).contains("opening the corpus"), "{}", text(&out));
}

#[test]
fn extract_into_a_closed_pipe_exits_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("long.txt");
    // Far more output than a pipe buffers, so the writes must meet the closed pipe.
    let mut body = String::from("Harwood Town beat Castlebridge Rovers 2-1 on Saturday.\n\n");
    for i in 0..3000 {
        body.push_str(&format!(
            "\"We go again next week, time number {i},\" said Dean Harlow.\n\n"
        ));
    }
    std::fs::write(&file, body).unwrap();
    let mut c = touchline(&dir.path().join("c.db"));
    c.arg("extract").arg(&file);
    let mut child = c.spawn().expect("touchline starts");
    drop(child.stdout.take());
    let out = finish(child, LIMIT);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.status.success(), "{:?}: {err}", out.status);
    assert!(err.is_empty(), "a closed pipe is a quiet exit: {err}");
}

// ---- the decoder ----

/// Windows-1252 of one byte, as the decoder repairs it.
fn cp1252(b: u8) -> String {
    encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(&[b])
        .0
        .into_owned()
}

#[test]
fn a_stray_byte_leaves_the_rest_of_the_utf8_alone() {
    let text = "\u{201c}We go again,\u{201d} said Dean Harlow \u{2013} Jürgen too.";
    let mut bytes = text.as_bytes().to_vec();
    bytes.extend_from_slice(b" Caf\xe9 \x93ok\x94.");
    let out = decode(&bytes).unwrap();
    assert_eq!(out, format!("{text} Café \u{201c}ok\u{201d}."));
}

#[test]
fn whole_windows_1252_files_still_decode() {
    let bytes = b"M\xfcller said \x93we go again\x94 \x96 twice, \xe0 la fran\xe7aise.";
    assert_eq!(
        decode(bytes).unwrap(),
        "Müller said \u{201c}we go again\u{201d} \u{2013} twice, à la française."
    );
}

#[test]
fn high_byte_binary_is_refused() {
    // A fixed pseudo-random stream of bytes >= 0x80, no NUL.
    let mut x: u32 = 0x1234_5678;
    let bytes: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            0x80 | (x as u8)
        })
        .collect();
    assert_eq!(decode(&bytes), Err(RejectReason::Binary));
    // The same with printable ASCII mixed in (bytes 0x20..=0xFF).
    let bytes: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            0x20 + (x % 224) as u8
        })
        .collect();
    assert_eq!(decode(&bytes), Err(RejectReason::Binary));
}

/// Prose-like Unicode: letters of several scripts, spaces, punctuation and quote marks.
fn prose() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            4 => "[a-zA-Z]{1,10}",
            1 => "[àéîõüßçñøåłşğıİŽžčćő]{1,3}",
            1 => "[\u{201c}\u{201d}\u{2018}\u{2019}\u{2013}\u{2026},.;:!?'\"()]",
            1 => "[\u{0400}-\u{04ff}\u{4e00}-\u{4e80}\u{1f600}-\u{1f64f}]{1,4}",
        ],
        1..60,
    )
    .prop_map(|words| format!("Report: {}", words.join(" ")))
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64)
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::with_cases(cases())
    })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        if let Ok(text) = decode(&bytes) {
            prop_assert!(!text.trim().is_empty());
            prop_assert!(!text.contains('\0'));
        }
    }

    #[test]
    fn high_bytes_never_panic(bytes in proptest::collection::vec(0x80u8.., 0..2048)) {
        let _ = decode(&bytes);
    }

    #[test]
    fn any_unicode_comes_out_unchanged_or_refused(text in any::<String>()) {
        match decode(text.as_bytes()) {
            Ok(out) => prop_assert_eq!(out, text),
            Err(e) => prop_assert!(
                matches!(e, RejectReason::Empty | RejectReason::Blank | RejectReason::Binary),
                "{e:?}"
            ),
        }
    }

    #[test]
    fn valid_utf8_comes_out_unchanged(text in prose()) {
        prop_assert_eq!(decode(text.as_bytes()).unwrap(), text);
    }

    #[test]
    fn stray_bytes_are_repaired_in_place(
        text in prose(),
        strays in proptest::collection::vec((any::<prop::sample::Index>(), 0x80u8..), 1..4),
    ) {
        // Insert each stray byte at a char boundary, at most one per boundary, and build
        // the expected text: the original with each byte's Windows-1252 reading in place.
        let boundaries: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(text.len()))
            .collect();
        let mut at: Vec<(usize, u8)> = strays
            .iter()
            .map(|(i, b)| (boundaries[i.index(boundaries.len())], *b))
            .collect();
        at.sort();
        at.dedup_by_key(|(pos, _)| *pos);
        let (mut bytes, mut expected, mut last) = (Vec::new(), String::new(), 0);
        for (pos, b) in &at {
            bytes.extend_from_slice(&text.as_bytes()[last..*pos]);
            expected.push_str(&text[last..*pos]);
            bytes.push(*b);
            expected.push_str(&cp1252(*b));
            last = *pos;
        }
        bytes.extend_from_slice(&text.as_bytes()[last..]);
        expected.push_str(&text[last..]);
        // A stray lead byte before continuation-like bytes could form a real UTF-8
        // sequence only if the next byte is a continuation byte; boundaries never are.
        match decode(&bytes) {
            Ok(out) => prop_assert_eq!(out, expected),
            // A short text made mostly of stray bytes, or with stray bytes that Windows-1252
            // leaves undefined (read as C1 controls), may be taken for binary.
            Err(RejectReason::Binary) => {
                let total = expected.chars().count();
                let controls = expected.chars().filter(|c| c.is_control()).count();
                prop_assert!(at.len() * 4 > total || controls * 20 > total, "{expected:?}");
            }
            Err(e) => prop_assert!(false, "unexpected refusal {e:?}"),
        }
    }
}
