//! The corpus on a real SQLite file and on a real PostgreSQL database (each test runs on
//! both, see `support::backends`), and ingest from real files, end to end.

mod support;

use std::path::{Path, PathBuf};

use support::backends::TestDb;

use chrono::NaiveDate;
use touchline::config::IngestConfig;
use touchline::corpus::{Added, Corpus, CorpusError, NewReport};
use touchline::extract::{Extraction, MatchResult, Person, Quote, Round, TieFact};
use touchline::ingest::{self, RejectReason};
use touchline::teams::TeamBook;

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn report(text: &str, title: &str, published: Option<&str>) -> NewReport {
    NewReport {
        text: text.to_string(),
        title: Some(title.to_string()),
        source: Some("Test Wire".to_string()),
        published: published.map(date),
        competition: None,
        origin: Some(format!("{title}.md")),
    }
}

/// A quote found in `text` by its words, credited to `speaker`.
fn quote_in(text: &str, words: &str, speaker: Option<&str>) -> Quote {
    let start = text.find(words).expect("quote is in the text");
    Quote {
        start,
        end: start + words.len(),
        text: words.to_string(),
        speaker: speaker.map(str::to_string),
    }
}

fn result(a: &str, b: &str, goals: [u32; 2], day: Option<&str>) -> MatchResult {
    MatchResult {
        competition: Some("Northern Shield".to_string()),
        round: Some(Round::SemiFinal),
        date: day.map(date),
        ..MatchResult::score(a, b, goals, true)
    }
}

fn person(name: &str, role: &str, team: &str) -> Person {
    Person {
        name: name.to_string(),
        aliases: vec![],
        role: Some(role.to_string()),
        team: Some(team.to_string()),
    }
}

const KLOPP_TEXT: &str =
    "Liverpool beat Everton 2-0 at Anfield. \"We were brilliant tonight,\" said \
    Jürgen Klopp. Nacho Fernandez added: \"It was hard.\" A fan shouted \"Come on\".";

fn klopp_report() -> (NewReport, Extraction) {
    let text = KLOPP_TEXT;
    let mut derby = result("Liverpool", "Everton", [2, 0], Some("2024-03-02"));
    derby.venue = Some("Anfield".to_string());
    derby.competition = Some("Premier League".to_string());
    derby.round = None;
    derby.start = 0;
    derby.end = text.find(" \"We").unwrap();
    (
        report(text, "Klopp delighted", Some("2024-03-03")),
        Extraction {
            quotes: vec![
                quote_in(text, "We were brilliant tonight,", Some("Jürgen Klopp")),
                quote_in(text, "It was hard.", Some("Nacho Fernandez")),
                quote_in(text, "Come on", None),
            ],
            people: vec![
                person("Jürgen Klopp", "manager", "Liverpool"),
                person("Nacho Fernandez", "defender", "Real Madrid"),
            ],
            results: vec![derby],
            ties: vec![],
        },
    )
}

fn shield_reports() -> Vec<(NewReport, Extraction)> {
    let first = "Castlebridge Rovers beat Harwood Town 2-1 in the first leg.";
    let mut leg1 = result(
        "Castlebridge Rovers",
        "Harwood Town",
        [2, 1],
        Some("2026-01-13"),
    );
    leg1.leg = Some(1);
    leg1.end = first.len();
    let second = "Harwood Town and Castlebridge Rovers drew 1-1, Rovers through 3-2 on aggregate.";
    let mut leg2 = result(
        "Harwood Town",
        "Castlebridge Rovers",
        [1, 1],
        Some("2026-01-27"),
    );
    leg2.leg = Some(2);
    leg2.extra_time = true;
    leg2.penalties = Some([4, 5]);
    leg2.end = second.find(',').unwrap();
    let tie = TieFact {
        teams: ["Castlebridge Rovers".into(), "Harwood Town".into()],
        aggregate: Some([3, 2]),
        winner: Some("Castlebridge Rovers".into()),
        decided_by: None,
        competition: Some("Northern Shield".into()),
        round: Some(Round::SemiFinal),
        next_opponent: Some("Ashby Vale".into()),
        next_round: Some(Round::Final),
    };
    vec![
        (
            report(first, "Rovers edge first leg", Some("2026-01-14")),
            Extraction {
                results: vec![leg1],
                ..Extraction::default()
            },
        ),
        (
            report(second, "Rovers reach the final", Some("2026-01-28")),
            Extraction {
                results: vec![leg2],
                ties: vec![tie],
                ..Extraction::default()
            },
        ),
    ]
}

fn filled(db: &TestDb) -> Corpus {
    let mut c = db.open();
    let (r, e) = klopp_report();
    assert!(matches!(c.add(&r, &e).unwrap(), Added::New(_)));
    let added = c.add_many(&shield_reports()).unwrap();
    assert!(added.iter().all(|a| matches!(a, Added::New(_))));
    c
}

#[test]
fn fresh_file_gets_the_schema_and_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/deeper/touchline.db");
    let c = Corpus::open(&path).unwrap();
    assert!(path.exists());
    assert_eq!(c.report_count().unwrap(), 0);
    assert!(c.search("anything", 5).unwrap().is_empty());
    assert!(c.find_people("anyone", 5).unwrap().is_empty());
}

fn reopening_keeps_data(db: &TestDb) {
    let before = filled(db).counts().unwrap();
    let c = db.open();
    assert_eq!(c.counts().unwrap(), before);
    assert_eq!(c.report_count().unwrap(), 3);
    assert_eq!(c.find_people("klopp", 5).unwrap().len(), 1);
}

#[test]
fn newer_schema_version_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.db");
    drop(Corpus::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let err = Corpus::open(&path).err().expect("refused");
    assert!(
        matches!(err, CorpusError::TooNew { found: 99, .. }),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains("future.db") && msg.contains("99") && msg.contains("newer"),
        "{msg}"
    );
}

fn same_text_twice_is_a_duplicate_and_writes_nothing(db: &TestDb) {
    let mut c = filled(db);
    let before = c.counts().unwrap();
    let (mut r, e) = klopp_report();
    r.title = Some("Another title, same text".into());
    let first_id = c.search("brilliant", 1).unwrap()[0].report.id;
    assert_eq!(c.add(&r, &e).unwrap(), Added::Duplicate(first_id));
    // Within one batch too: the second copy is a duplicate of the first.
    let fresh = report("Brand new text.", "New", None);
    let added = c
        .add_many(&[
            (fresh.clone(), Extraction::default()),
            (fresh, Extraction::default()),
        ])
        .unwrap();
    let Added::New(id) = added[0] else {
        panic!("{added:?}")
    };
    assert_eq!(added[1], Added::Duplicate(id));
    let after = c.counts().unwrap();
    assert_eq!(after.reports, before.reports + 1);
    assert_eq!(
        (after.quotes, after.results, after.people, after.tie_facts),
        (
            before.quotes,
            before.results,
            before.people,
            before.tie_facts
        )
    );
    assert_eq!(c.find_people("klopp", 1).unwrap()[0].quote_count, 1);
}

fn quotes_round_trip(db: &TestDb) {
    let c = filled(db);
    let klopp = &c.find_people("klopp", 5).unwrap()[0];
    assert_eq!(klopp.name, "Jürgen Klopp");
    assert_eq!(klopp.role.as_deref(), Some("manager"));
    assert_eq!(klopp.team.as_deref(), Some("Liverpool"));
    assert_eq!(klopp.quote_count, 1);
    let quotes = c.quotes_by(klopp.id).unwrap();
    assert_eq!(quotes.len(), 1);
    let q = &quotes[0];
    assert_eq!(q.text, "We were brilliant tonight,");
    assert_eq!(q.speaker, "Jürgen Klopp");
    assert_eq!(q.report.title.as_deref(), Some("Klopp delighted"));
    assert_eq!(q.report.source.as_deref(), Some("Test Wire"));
    assert_eq!(q.report.published, Some(date("2024-03-03")));
    assert_eq!(c.quote(q.id).unwrap().as_ref(), Some(q));
    assert_eq!(c.quote(999_999).unwrap(), None);
    assert_eq!(c.search_quotes(klopp.id, "BRILLIANT", 5).unwrap().len(), 1);
    assert!(c.search_quotes(klopp.id, "hard", 5).unwrap().is_empty());
    // The uncredited quote is stored without a person.
    assert_eq!(c.counts().unwrap().quotes, 3);
    assert_eq!(c.counts().unwrap().people, 2);
    let text = c.report_text(q.report.id).unwrap().unwrap();
    assert_eq!(text, KLOPP_TEXT);
    assert_eq!(c.report(q.report.id).unwrap().unwrap(), q.report);
    assert_eq!(c.report(12345).unwrap(), None);
    assert_eq!(c.report_text(12345).unwrap(), None);
}

fn quotes_by_lists_the_newest_report_first(db: &TestDb) {
    let mut c = db.open();
    for (text, day) in [
        ("\"Old words\" said Dean Harlow.", "2025-01-01"),
        ("\"New words\" said Dean Harlow.", "2026-01-01"),
        ("\"Middle words\" said Dean Harlow.", "2025-06-01"),
    ] {
        let e = Extraction {
            quotes: vec![quote_in(text, &text[1..10], Some("Dean Harlow"))],
            ..Extraction::default()
        };
        c.add(&report(text, day, Some(day)), &e).unwrap();
    }
    let id = c.find_people("harlow", 1).unwrap()[0].id;
    let texts: Vec<_> = c
        .quotes_by(id)
        .unwrap()
        .into_iter()
        .map(|q| q.text)
        .collect();
    assert_eq!(texts, vec!["New words", "Middle wo", "Old words"]);
}

fn results_and_tie_facts_round_trip(db: &TestDb) {
    let c = filled(db);
    let (_, klopp) = klopp_report();
    let report_id = c.search("brilliant", 1).unwrap()[0].report.id;
    let stored = c.results_in_report(report_id).unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].result, klopp.results[0]);
    let text = c.report_text(report_id).unwrap().unwrap();
    let r = &stored[0].result;
    assert_eq!(
        &text[r.start..r.end],
        "Liverpool beat Everton 2-0 at Anfield."
    );

    let (shield, _) = (shield_reports(), ());
    let between = c
        .results_between("Harwood Town", "Castlebridge Rovers")
        .unwrap();
    let other_way = c
        .results_between("castlebridge rovers", "HARWOOD TOWN")
        .unwrap();
    assert_eq!(between, other_way);
    assert_eq!(between.len(), 2);
    assert_eq!(between[0].result, shield[0].1.results[0], "first leg first");
    assert_eq!(between[1].result, shield[1].1.results[0]);
    assert_eq!(between[1].result.penalties, Some([4, 5]));

    let ties = c
        .tie_facts_between("Harwood Town", "Castlebridge Rovers")
        .unwrap();
    assert_eq!(ties.len(), 1);
    assert_eq!(ties[0].fact, shield[1].1.ties[0]);
    assert_eq!(
        ties[0].report.title.as_deref(),
        Some("Rovers reach the final")
    );
    assert_eq!(
        c.tie_facts_between("Castlebridge Rovers", "Harwood Town")
            .unwrap(),
        ties
    );
    assert!(c
        .results_between("Liverpool", "Harwood Town")
        .unwrap()
        .is_empty());
}

fn results_for_a_team_are_newest_first(db: &TestDb) {
    let mut c = filled(db);
    // Undated result in an undated report: listed after dated ones.
    let undated = result("Castlebridge Rovers", "Ashby Vale", [0, 0], None);
    c.add(
        &report("Rovers drew 0-0 with Ashby Vale.", "Undated", None),
        &Extraction {
            results: vec![undated],
            ..Extraction::default()
        },
    )
    .unwrap();
    let rovers = c.results_for("Castlebridge Rovers", 10).unwrap();
    let dates: Vec<_> = rovers.iter().map(|r| r.result.date).collect();
    assert_eq!(
        dates,
        vec![Some(date("2026-01-27")), Some(date("2026-01-13")), None]
    );
    assert_eq!(c.results_for("castlebridge ROVERS", 1).unwrap().len(), 1);
    assert_eq!(c.results_for("Everton", 10).unwrap().len(), 1);
    assert!(c.results_for("Nowhere", 10).unwrap().is_empty());
}

fn teams_seen_lists_every_team_named_in_a_score(db: &TestDb) {
    let c = filled(db);
    let all = c.teams_seen(None, 10).unwrap();
    assert_eq!(all.len(), 4);
    assert!(
        all[..2].contains(&"Castlebridge Rovers".to_string()),
        "most results first"
    );
    assert_eq!(
        c.teams_seen(Some("harw"), 10).unwrap(),
        vec!["Harwood Town"]
    );
    assert_eq!(
        c.teams_seen(Some("rov"), 10).unwrap(),
        vec!["Castlebridge Rovers"]
    );
    assert_eq!(c.teams_seen(Some("Ev"), 10).unwrap(), vec!["Everton"]);
    assert!(c.teams_seen(Some("zzz"), 10).unwrap().is_empty());
}

fn people_are_found_by_any_tokens_in_any_order_case_or_accent(db: &TestDb) {
    let c = filled(db);
    for q in [
        "klopp",
        "Jurgen KLOPP",
        "jürgen",
        "klopp jurgen",
        "  KLOPP!  ",
    ] {
        let found = c.find_people(q, 5).unwrap();
        assert_eq!(found.len(), 1, "{q:?}");
        assert_eq!(found[0].name, "Jürgen Klopp", "{q:?}");
    }
    assert_eq!(
        c.find_people("nacho", 5).unwrap()[0].name,
        "Nacho Fernandez"
    );
    assert!(c.find_people("jurgen fernandez", 5).unwrap().is_empty());
    assert!(
        c.find_people("klo", 5).unwrap().is_empty(),
        "whole tokens only"
    );
    assert!(c.find_people("", 5).unwrap().is_empty());
    let mut names = c.all_speaker_names().unwrap();
    names.sort();
    assert_eq!(names, vec!["Jürgen Klopp", "Nacho Fernandez"]);
}

fn autocomplete_matches_token_prefixes_most_quoted_first(db: &TestDb) {
    let mut c = db.open();
    let text = "\"One\" said Kevin Klein. \"Two\" said Jurgen Klopp. \"Three\" said Jurgen Klopp.";
    let e = Extraction {
        quotes: vec![
            quote_in(text, "One", Some("Kevin Klein")),
            quote_in(text, "Two", Some("Jurgen Klopp")),
            quote_in(text, "Three", Some("Jurgen Klopp")),
        ],
        ..Extraction::default()
    };
    c.add(&report(text, "t", None), &e).unwrap();
    let names = |p: &str| -> Vec<String> {
        c.people_with_prefix(p, 10)
            .unwrap()
            .into_iter()
            .map(|x| x.name)
            .collect()
    };
    assert_eq!(names("kl"), vec!["Jurgen Klopp", "Kevin Klein"]);
    assert_eq!(names("KLE"), vec!["Kevin Klein"]);
    assert_eq!(names("ke"), vec!["Kevin Klein"]);
    assert_eq!(names("jür kl"), vec!["Jurgen Klopp"]);
    assert_eq!(names(""), vec!["Jurgen Klopp", "Kevin Klein"]);
    assert!(names("x").is_empty());
    assert_eq!(c.people_with_prefix("k", 1).unwrap().len(), 1);
}

fn search_survives_hostile_input(db: &TestDb) {
    let c = filled(db);
    for input in [
        "\"",
        "AND (",
        "*",
        "-",
        "",
        "   ",
        "OR",
        "NOT klopp",
        "a AND (b OR",
        "\"unterminated",
        "klopp*",
        "-klopp",
        "title:klopp",
        "NEAR(",
        "^",
        ")(",
        "'; DROP TABLE reports; --",
    ] {
        c.search(input, 10)
            .unwrap_or_else(|e| panic!("search {input:?} failed: {e}"));
    }
    let hits = c.search("brilliant", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert!(
        hits[0].snippet.contains("**brilliant**"),
        "{}",
        hits[0].snippet
    );
    assert_eq!(hits[0].report.title.as_deref(), Some("Klopp delighted"));
    assert_eq!(
        c.search("rovers final", 10).unwrap().len(),
        1,
        "title words count"
    );
    assert_eq!(c.search("jurgen", 10).unwrap().len(), 1, "accents folded");
    assert_eq!(c.report_count().unwrap(), 3);
}

// ---- ingest from files ----

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn windows_1252_file_keeps_umlauts_and_curly_quotes(db: &TestDb) {
    let dir = tempfile::tempdir().unwrap();
    // "Müller said “we go again” – twice." in Windows-1252.
    let path = write(
        dir.path(),
        "cp1252.txt",
        b"M\xFCller said \x93we go again\x94 \x96 twice.\r\n",
    );
    let mut c = db.open();
    let summary = ingest::ingest_paths(
        &mut c,
        &TeamBook::embedded(),
        std::slice::from_ref(&path),
        &IngestConfig::default(),
        false,
    )
    .unwrap();
    assert_eq!(summary.added, 1, "{summary:?}");
    let hit = &c.search("muller", 1).unwrap()[0];
    let text = c.report_text(hit.report.id).unwrap().unwrap();
    assert_eq!(
        text,
        "Müller said \u{201c}we go again\u{201d} \u{2013} twice.\r\n"
    );
    assert_eq!(
        hit.report.title.as_deref(),
        Some("cp1252"),
        "a sentence is no title"
    );
    assert_eq!(hit.report.origin, Some(path.display().to_string()));
}

fn bad_files_are_rejected_with_reasons_and_the_rest_goes_in(db: &TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let mut c = db.open();
    let (r, e) = klopp_report();
    let earlier = match c.add(&r, &e).unwrap() {
        Added::New(id) => id,
        other => panic!("{other:?}"),
    };
    let reports = dir.path().join("reports");
    std::fs::create_dir(&reports).unwrap();
    write(
        &reports,
        "a-good.md",
        b"Rovers win\n\nRovers won 1-0 on Saturday.\n",
    );
    write(&reports, "b-empty.txt", b"");
    write(&reports, "c-blank.txt", b"  \n\t\r\n  ");
    write(&reports, "d-binary.md", b"PK\x03\x04\0\0binary\0stuff");
    write(&reports, "e-big.txt", "word ".repeat(300).as_bytes());
    write(
        &reports,
        "f-good.txt",
        b"Another report, with a comma.\nSecond line.\n",
    );
    write(&reports, "g-ignored.pdf", b"not a report");
    let limits = IngestConfig {
        max_report_bytes: 1000,
    };
    let summary = ingest::ingest_paths(
        &mut c,
        &TeamBook::embedded(),
        &[reports.clone(), dir.path().join("missing.md")],
        &limits,
        true,
    )
    .unwrap();
    assert_eq!(summary.added, 2, "{summary:?}");
    assert_eq!(summary.duplicates, 0);
    let reasons: Vec<(String, RejectReason)> = summary
        .rejected
        .iter()
        .map(|r| {
            let name = r.path.file_name().unwrap().to_string_lossy().into_owned();
            (name, r.reason.clone())
        })
        .collect();
    assert_eq!(
        reasons,
        vec![
            ("missing.md".to_string(), reasons[0].1.clone()),
            ("b-empty.txt".to_string(), RejectReason::Empty),
            ("c-blank.txt".to_string(), RejectReason::Blank),
            ("d-binary.md".to_string(), RejectReason::Binary),
            (
                "e-big.txt".to_string(),
                RejectReason::TooLarge {
                    size: 1500,
                    limit: 1000
                }
            ),
        ]
    );
    assert!(matches!(reasons[0].1, RejectReason::Read(_)));
    for r in &summary.rejected {
        assert!(!r.to_string().is_empty());
    }
    assert!(summary.rejected[4].to_string().contains("max_report_bytes"));
    assert_eq!(c.report_count().unwrap(), 3);
    assert_eq!(c.report_text(earlier).unwrap().as_deref(), Some(KLOPP_TEXT));
    let good = &c.search("saturday", 5).unwrap()[0];
    assert_eq!(good.report.title.as_deref(), Some("Rovers win"));

    // Ingesting the same folder again only finds duplicates.
    let again =
        ingest::ingest_paths(&mut c, &TeamBook::embedded(), &[reports], &limits, false).unwrap();
    assert_eq!((again.added, again.duplicates), (0, 2));
    assert_eq!(c.report_count().unwrap(), 3);
}

fn front_matter_is_read_and_offsets_index_the_full_text(db: &TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let text = "---\ntitle: Harlow hails spirit\ndate: 2026-01-14\nsource: Sample Wire\n\
                competition: Northern Shield\nmood: happy\n---\n\
                Castlebridge Rovers beat Harwood Town 2-1. \"We were second best,\" said Dean Harlow.\n";
    let path = write(dir.path(), "fm.md", text.as_bytes());
    let prepared = ingest::load(&path, &IngestConfig::default()).unwrap();
    assert_eq!(prepared.report.text, text, "stored text is the whole file");
    assert_eq!(
        prepared.report.title.as_deref(),
        Some("Harlow hails spirit")
    );
    assert_eq!(prepared.report.published, Some(date("2026-01-14")));
    assert_eq!(prepared.report.source.as_deref(), Some("Sample Wire"));
    assert_eq!(
        prepared.report.competition.as_deref(),
        Some("Northern Shield")
    );
    assert_eq!(
        prepared.warnings.len(),
        1,
        "unknown key warned: {:?}",
        prepared.warnings
    );
    let (same, offset) = ingest::load_report(&path, &IngestConfig::default()).unwrap();
    assert_eq!(offset, prepared.body_offset);
    assert_eq!(same.text, text);

    // What the extractor would give for the body alone, offsets relative to the body.
    let body = &text[offset..];
    let mut extraction = Extraction {
        quotes: vec![quote_in(body, "We were second best,", Some("Dean Harlow"))],
        results: vec![{
            let mut r = result("Castlebridge Rovers", "Harwood Town", [2, 1], None);
            r.end = body.find(" \"").unwrap();
            r
        }],
        ..Extraction::default()
    };
    ingest::shift_offsets(&mut extraction, offset);
    let q = &extraction.quotes[0];
    assert_eq!(&text[q.start..q.end], "We were second best,");

    let mut c = db.open();
    let Added::New(id) = c.add(&prepared.report, &extraction).unwrap() else {
        panic!("not new")
    };
    let stored = c.report_text(id).unwrap().unwrap();
    let r = &c.results_in_report(id).unwrap()[0].result;
    assert_eq!(
        &stored[r.start..r.end],
        "Castlebridge Rovers beat Harwood Town 2-1."
    );
    assert_eq!(
        c.report(id).unwrap().unwrap().published,
        Some(date("2026-01-14"))
    );

    // The ingest path gives the same metadata and warnings.
    let db2 = db.another("front_matter_is_read_and_offsets_index_the_full_text");
    let mut c2 = db2.open();
    let summary = ingest::ingest_paths(
        &mut c2,
        &TeamBook::embedded(),
        &[path],
        &IngestConfig::default(),
        false,
    )
    .unwrap();
    assert_eq!(summary.added, 1);
    assert_eq!(summary.warnings.len(), 1);
    assert!(
        summary.warnings[0].message.contains("mood"),
        "{:?}",
        summary.warnings
    );
    let meta = c2.search("harlow", 1).unwrap()[0].report.clone();
    assert_eq!(meta.title.as_deref(), Some("Harlow hails spirit"));
}

on_both_backends! {
    sync: [
        reopening_keeps_data,
        same_text_twice_is_a_duplicate_and_writes_nothing,
        quotes_round_trip,
        quotes_by_lists_the_newest_report_first,
        results_and_tie_facts_round_trip,
        results_for_a_team_are_newest_first,
        teams_seen_lists_every_team_named_in_a_score,
        people_are_found_by_any_tokens_in_any_order_case_or_accent,
        autocomplete_matches_token_prefixes_most_quoted_first,
        search_survives_hostile_input,
        windows_1252_file_keeps_umlauts_and_curly_quotes,
        bad_files_are_rejected_with_reasons_and_the_rest_goes_in,
        front_matter_is_read_and_offsets_index_the_full_text,
    ]
    async: []
}
