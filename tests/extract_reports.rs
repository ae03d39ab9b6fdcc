//! Every hard-case report in tests/reports/ is extracted through the real ingest path
//! (decoding, front matter) and compared with its `.expect.json`: each labelled quote
//! with its speaker, each result with its home side, extra time and shoot-out, and
//! what the report says of a tie. Nothing extra may be found.

use std::path::{Path, PathBuf};

use serde_json::Value;
use touchline::config::IngestConfig;
use touchline::extract::Extraction;
use touchline::ingest;
use touchline::teams::TeamBook;
use touchline::text::fold;

fn reports() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reports");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/reports exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("txt" | "md")))
        .filter(|p| p.with_extension("expect.json").exists())
        .collect();
    out.sort();
    out
}

/// The scorer's rule: folded token sets equal, or one holds the other; the expected
/// name may list other spellings after `|` ("Wolverhampton Wanderers|Wolves").
fn same_name(a: &str, b: &str) -> bool {
    a.split('|').any(|alt| same_name_one(alt, b))
}

fn same_name_one(a: &str, b: &str) -> bool {
    let ta: Vec<String> = fold(a).split(' ').map(str::to_string).collect();
    let tb: Vec<String> = fold(b).split(' ').map(str::to_string).collect();
    !a.is_empty()
        && !b.is_empty()
        && (ta.iter().all(|t| tb.contains(t)) || tb.iter().all(|t| ta.contains(t)))
}

fn check(path: &Path, text: &str, x: &Extraction, want: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    // Quotes: every labelled piece found, with its speaker.
    let mut covered = vec![false; x.quotes.len()];
    let mut from = 0;
    for q in want["quotes"].as_array().unwrap() {
        let qt = q["text"].as_str().unwrap();
        let speaker = q["speaker"].as_str().unwrap_or("");
        let Some(start) = text[from..]
            .find(qt)
            .map(|i| i + from)
            .or_else(|| text.find(qt))
        else {
            problems.push(format!("{name}: expected quote text not in report: {qt:?}"));
            continue;
        };
        from = start + qt.len();
        let end = start + qt.len();
        let hits: Vec<usize> = (0..x.quotes.len())
            .filter(|&i| x.quotes[i].start < end && x.quotes[i].end > start)
            .collect();
        if hits.is_empty() {
            problems.push(format!("{name}: missed quote {qt:?}"));
        }
        for i in hits {
            covered[i] = true;
            let got = x.quotes[i].speaker.as_deref().unwrap_or("");
            if !same_name(speaker, got) {
                problems.push(format!(
                    "{name}: quote {:?}: speaker {got:?}, expected {speaker:?}",
                    &qt[..qt.len().min(40)]
                ));
            }
        }
    }
    for (i, q) in x.quotes.iter().enumerate() {
        if !covered[i] {
            problems.push(format!("{name}: extra quote {:?}", q.text));
        }
    }
    // Results: every labelled one, nothing more.
    let mut used = vec![false; x.results.len()];
    for r in want["results"].as_array().unwrap() {
        let teams: Vec<&str> = r["teams"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        let goals: Vec<u64> = r["goals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g.as_u64().unwrap())
            .collect();
        let agg = r["aggregate"].as_bool().unwrap_or(false);
        let hit = x.results.iter().enumerate().position(|(i, g)| {
            !used[i]
                && g.aggregate == agg
                && [(0, 1), (1, 0)].iter().any(|&(a, b)| {
                    same_name(teams[0], &g.teams[a])
                        && same_name(teams[1], &g.teams[b])
                        && goals[0] == g.goals[a] as u64
                        && goals[1] == g.goals[b] as u64
                })
        });
        let Some(i) = hit else {
            problems.push(format!(
                "{name}: missed result {teams:?} {goals:?} aggregate={agg}"
            ));
            continue;
        };
        used[i] = true;
        let got = &x.results[i];
        if let Some(h) = r["home"].as_str() {
            if !got.home.as_deref().is_some_and(|g| same_name(h, g)) {
                problems.push(format!(
                    "{name}: {teams:?}: home {:?}, expected {h:?}",
                    got.home
                ));
            }
        }
        if r["extra_time"].as_bool() == Some(true) && !got.extra_time {
            problems.push(format!("{name}: {teams:?}: extra time not seen"));
        }
        if let Some(p) = r["penalties"].as_array() {
            let want_p: Vec<u64> = p.iter().map(|g| g.as_u64().unwrap()).collect();
            let home_first = same_name(teams[0], &got.teams[0]);
            let got_p = got.penalties.map(|p| {
                if home_first {
                    [p[0] as u64, p[1] as u64]
                } else {
                    [p[1] as u64, p[0] as u64]
                }
            });
            if got_p.map(|p| p.to_vec()) != Some(want_p.clone()) {
                problems.push(format!(
                    "{name}: {teams:?}: penalties {:?}, expected {want_p:?}",
                    got.penalties
                ));
            }
        }
    }
    for (i, r) in x.results.iter().enumerate() {
        if !used[i] {
            problems.push(format!(
                "{name}: extra result {:?} {:?} aggregate={}",
                r.teams, r.goals, r.aggregate
            ));
        }
    }
    // Ties: winner and next opponent when the report names them.
    for t in want["ties"].as_array().unwrap() {
        let teams: Vec<&str> = t["teams"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        let found = x.ties.iter().find(|g| {
            (same_name(teams[0], &g.teams[0]) && same_name(teams[1], &g.teams[1]))
                || (same_name(teams[0], &g.teams[1]) && same_name(teams[1], &g.teams[0]))
        });
        let Some(g) = found else {
            problems.push(format!("{name}: missed tie {teams:?}"));
            continue;
        };
        if let Some(w) = t["winner"].as_str() {
            if !g.winner.as_deref().is_some_and(|gw| same_name(w, gw)) {
                problems.push(format!(
                    "{name}: tie {teams:?}: winner {:?}, expected {w:?}",
                    g.winner
                ));
            }
        }
        if let Some(o) = t["next_opponent"].as_str() {
            if !g
                .next_opponent
                .as_deref()
                .is_some_and(|go| same_name(o, go))
            {
                problems.push(format!(
                    "{name}: tie {teams:?}: next opponent {:?}, expected {o:?}",
                    g.next_opponent
                ));
            }
        }
    }
    problems
}

#[test]
fn hard_case_reports_extract_as_labelled() {
    let teams = TeamBook::embedded();
    let limits = IngestConfig::default();
    let mut problems = Vec::new();
    let files = reports();
    assert!(
        files.len() >= 16,
        "expected the hard-case reports, found {}",
        files.len()
    );
    for path in &files {
        let expect_path = path.with_extension("expect.json");
        let want: Value =
            serde_json::from_str(&std::fs::read_to_string(&expect_path).expect("expect file"))
                .expect("expect json");
        let prepared =
            ingest::load(path, &limits).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let x = ingest::extract_report(&prepared.report, prepared.body_offset, &teams)
            .expect("extracts");
        problems.extend(check(path, &prepared.report.text, &x, &want));
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}
