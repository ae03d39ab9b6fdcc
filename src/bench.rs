//! `touchline bench`: a synthetic corpus of any size, and the figures that matter:
//! extraction throughput on one core, ingest rate into SQLite, `/tie` and `/quote`
//! latency at p50/p99, and peak memory. Figures, not pass/fail: timings belong here,
//! never in tests.

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::commands::{self, Command};
use crate::corpus::Corpus;
use crate::extract::{extract, ReportContext};
use crate::ingest;
use crate::state::Ctx;
use crate::teams::TeamBook;

const FIRST: &[&str] = &[
    "Tomas", "Luca", "Aaron", "Mikel", "Jonas", "Rafael", "Callum", "Yusuf", "Pedro", "Nils",
    "Owen", "Dario",
];
const LAST: &[&str] = &[
    "Brennan",
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Castell",
    "Varga",
    "Hollins",
    "Petrov",
    "Achterberg",
    "Quaresma",
    "Delaney",
    "Sorensen",
];
/// Syllables that make ~10,000 distinct surnames, so speakers are spread as in real corpora.
const SYLLABLES: &[&str] = &[
    "bar", "den", "kov", "mar", "ness", "ter", "vin", "lo", "sa", "rik", "ton", "ley", "man",
    "dor", "ski", "ell", "ard", "ino", "gan", "ber", "wick", "holm", "ford", "ez", "ac", "ov",
    "un", "ste", "rai", "cu",
];
const ROLES: &[&str] = &[
    "manager",
    "midfielder",
    "striker",
    "defender",
    "captain",
    "coach",
];

/// One synthetic newswire report: a leg of a tie with a stated score and venue, two
/// speakers, a "he said" quote, a split quote and a continuation paragraph.
pub fn synthetic_report(n: usize, clubs: &[String], rng: &mut fastrand::Rng) -> String {
    // Pairs drawn at random, so a pair meets a few times, as in a real corpus.
    let a = &clubs[n % clubs.len()];
    let b = &clubs[rng.usize(..clubs.len())];
    let b = if a == b {
        &clubs[(n + 1) % clubs.len()]
    } else {
        b
    };
    let (ga, gb) = (rng.u32(0..5), rng.u32(0..4));
    let person = |rng: &mut fastrand::Rng| {
        let last = LAST[rng.usize(..LAST.len())];
        format!(
            "{} {}{}",
            FIRST[rng.usize(..FIRST.len())],
            last,
            SYLLABLES[rng.usize(..SYLLABLES.len())]
        )
    };
    let p1 = person(rng);
    let p2 = person(rng);
    let r1 = ROLES[rng.usize(..ROLES.len())];
    let mut t = String::with_capacity(1600);
    let _ = write!(
        t,
        "{a} ease past {b} in first leg\n\n\
         {a} beat {b} {ga}-{gb} at home in the first leg of their Champions League quarter-final on Tuesday, \
         with {a} {r1} {p1} again at the heart of everything.\n\n\
         \"We knew what we had to do and the players did it,\" said {p1}. \"It is only half-time in the tie, though.\"\n\n\
         {b} striker {p2} admitted his side had been second best for long spells.\n\n\
         \"We made it hard for ourselves,\" he said. \"The return leg is a different game and we believe.\n\n\
         \"Nobody in our dressing room thinks it is over. We will go there to win.\"\n\n\
         \"It was a night for the supporters,\" {p1} added, \"and they were magnificent from the first whistle.\"\n\n\
         The second leg is next week, with the winners facing a semi-final against one of Europe's strongest sides.\n"
    );
    t
}

fn clubs(teams: &TeamBook) -> Vec<String> {
    teams
        .teams()
        .iter()
        .filter(|t| t.kind == "club")
        .map(|t| t.name.clone())
        .take(200)
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// Peak resident memory of this process (VmHWM), in MiB.
pub fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Runs every measurement and returns the report as text.
pub fn run(reports: usize, queries: usize, db: &Path, teams: TeamBook) -> anyhow::Result<String> {
    let mut out = String::new();
    let mut rng = fastrand::Rng::with_seed(7);
    let clubs = clubs(&teams);

    // Extraction: one core, a fixed sample of texts.
    let sample: Vec<String> = (0..reports.min(20_000))
        .map(|n| synthetic_report(n, &clubs, &mut rng))
        .collect();
    let bytes: usize = sample.iter().map(String::len).sum();
    let ctx = ReportContext::default();
    let start = Instant::now();
    let mut found = 0usize;
    for t in &sample {
        let x = extract(t, &ctx, &teams);
        found += x.quotes.len() + x.results.len();
    }
    let secs = start.elapsed().as_secs_f64();
    let _ = writeln!(
        out,
        "extraction: {} reports, {:.1} MB in {:.2} s = {:.1} MB/s on one core ({} quotes+results found)",
        sample.len(),
        bytes as f64 / 1e6,
        secs,
        bytes as f64 / 1e6 / secs,
        found
    );

    // Ingest: extract (on every core) + store (on one thread), BATCH_SIZE per transaction.
    let make = |n: usize| {
        let text = synthetic_report(n, &clubs, &mut fastrand::Rng::with_seed(n as u64));
        ingest::prepare(text, Some(format!("synthetic/{n}")), None)
    };
    let (figures, corpus) = measure_ingest(db, reports, &make, &teams)?;
    let _ = writeln!(out, "ingest: {}", figures.line(reports));

    // Commands against the full corpus.
    let ctx = Ctx::new(corpus, teams);
    let people: Vec<String> = {
        let c = ctx.corpus.lock().expect("corpus lock");
        c.people_with_prefix("", 200)?
            .into_iter()
            .map(|p| p.name)
            .collect()
    };
    let time = |make: &dyn Fn(usize) -> Command| -> (Duration, Duration, Duration) {
        let mut ds: Vec<Duration> = (0..queries)
            .map(|i| {
                let cmd = make(i);
                let s = Instant::now();
                let reply = commands::run(&ctx, &cmd);
                let d = s.elapsed();
                std::hint::black_box(reply);
                d
            })
            .collect();
        ds.sort();
        (
            percentile(&ds, 0.5),
            percentile(&ds, 0.99),
            *ds.last().unwrap_or(&Duration::ZERO),
        )
    };
    let tie = time(&|i| Command::Tie {
        team_a: clubs[i % clubs.len()].clone(),
        team_b: clubs[(i * 7 + 3) % clubs.len()].clone(),
        season: None,
    });
    let quote = time(&|i| Command::Quote {
        person: people[i % people.len().max(1)].clone(),
        about: None,
    });
    let _ = writeln!(
        out,
        "/tie over {reports} reports: p50 {:?}, p99 {:?}, max {:?} ({queries} queries)",
        tie.0, tie.1, tie.2
    );
    let _ = writeln!(
        out,
        "/quote over {reports} reports: p50 {:?}, p99 {:?}, max {:?} ({queries} queries)",
        quote.0, quote.1, quote.2
    );
    if let Some(m) = peak_memory_mib() {
        let _ = writeln!(out, "peak memory (VmHWM): {m:.1} MiB");
    }
    Ok(out)
}

/// Ingest timings: the whole pipeline, and storing alone.
struct IngestFigures {
    /// Extract + store, overlapped as a folder ingest does it.
    ingest: Duration,
    /// Only the `add_many` calls, with every batch extracted beforehand.
    storing: Duration,
    /// CPU time of those calls (the machine may be busy with other work: wall time
    /// then overstates the cost).
    storing_cpu: Option<Duration>,
    workers: usize,
}

/// CPU time this thread has run for (Linux).
fn thread_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

impl IngestFigures {
    fn line(&self, reports: usize) -> String {
        let per_s = |d: Duration| reports as f64 / d.as_secs_f64().max(1e-9);
        let cpu = self.storing_cpu.map_or(String::new(), |cpu| {
            format!(
                ", {:.0} µs CPU per report",
                cpu.as_secs_f64() * 1e6 / reports.max(1) as f64
            )
        });
        format!(
            "{reports} reports in {:.2} s = {:.0} reports/s (extract on {} threads + store); \
             storing alone {:.0} reports/s ({:.0} µs per report{cpu})",
            self.ingest.as_secs_f64(),
            per_s(self.ingest),
            self.workers,
            per_s(self.storing),
            self.storing.as_secs_f64() * 1e6 / reports.max(1) as f64,
        )
    }
}

/// Removes a SQLite file and its WAL companions.
fn remove_db(db: &Path) -> anyhow::Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        match std::fs::remove_file(&name) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
            _ => {}
        }
    }
    Ok(())
}

/// Ingests reports `0..count` (made by `make`) into a fresh SQLite file at `db` twice:
/// once timing only the stores (batches extracted beforehand, untimed), once timing
/// the whole pipeline as `ingest` runs it ([`ingest::pipeline::chunked`]). The corpus of
/// the second run is returned.
fn measure_ingest(
    db: &Path,
    count: usize,
    make: &(dyn Fn(usize) -> ingest::Prepared + Sync),
    teams: &TeamBook,
) -> anyhow::Result<(IngestFigures, Corpus)> {
    let workers = ingest::pipeline::workers();
    let indices: Vec<usize> = (0..count).collect();
    let prepare_one = |n: &usize| {
        let p = make(*n);
        let x = ingest::extract_report(&p.report, p.body_offset, teams)
            .map_err(|e| anyhow::anyhow!("report {n}: {e}"))?;
        Ok::<_, anyhow::Error>((p.report, x))
    };

    // Storing alone.
    remove_db(db)?;
    let mut corpus = Corpus::open(db)?;
    let mut storing = Duration::ZERO;
    let mut storing_cpu = Some(Duration::ZERO);
    for part in indices.chunks(ingest::BATCH_SIZE) {
        let batch = ingest::pipeline::map_parallel(part, workers, &prepare_one)
            .into_iter()
            .collect::<anyhow::Result<Vec<_>>>()?;
        let (s, cpu) = (Instant::now(), thread_cpu());
        corpus.add_many(&batch)?;
        storing += s.elapsed();
        storing_cpu = storing_cpu
            .zip(cpu)
            .zip(thread_cpu())
            .map(|((sum, before), after)| sum + after.saturating_sub(before));
    }
    drop(corpus);

    // The whole pipeline.
    remove_db(db)?;
    let mut corpus = Corpus::open(db)?;
    let start = Instant::now();
    ingest::pipeline::chunked(
        &indices,
        ingest::BATCH_SIZE,
        workers,
        prepare_one,
        |batch| {
            let batch = batch.into_iter().collect::<anyhow::Result<Vec<_>>>()?;
            corpus.add_many(&batch)?;
            Ok::<_, anyhow::Error>(true)
        },
    )?;
    let ingest = start.elapsed();
    Ok((
        IngestFigures {
            ingest,
            storing,
            storing_cpu,
            workers,
        },
        corpus,
    ))
}

/// Reads every `.txt` file of `dir` (at run time; real reports are never copied into
/// the project).
fn read_texts(dir: &Path) -> anyhow::Result<Vec<String>> {
    let mut paths = Vec::new();
    for entry in
        std::fs::read_dir(dir).map_err(|e| anyhow::anyhow!("reading {}: {e}", dir.display()))?
    {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "txt") {
            paths.push(path);
        }
    }
    paths.sort();
    let mut texts = Vec::new();
    for path in paths {
        let bytes = std::fs::read(&path)?;
        texts.push(String::from_utf8_lossy(&bytes).into_owned());
    }
    anyhow::ensure!(!texts.is_empty(), "no .txt reports in {}", dir.display());
    Ok(texts)
}

/// Ingest of real reports: the folder's texts repeated until there are `count`, each
/// copy a new report (front matter with a source id of its own, so its content hash
/// differs), into a fresh SQLite file at `db`.
pub fn real_ingest(
    dir: &Path,
    count: usize,
    db: &Path,
    teams: &TeamBook,
) -> anyhow::Result<String> {
    let texts = read_texts(dir)?;
    let make = |n: usize| {
        let text = format!("---\nsource: bench/{n}\n---\n{}", texts[n % texts.len()]);
        ingest::prepare(text, Some(format!("bench/{n}")), None)
    };
    let (figures, corpus) = measure_ingest(db, count, &make, teams)?;
    let counts = corpus.counts()?;
    drop(corpus);
    remove_db(db)?;
    Ok(format!(
        "real text ingest: {} texts as {}; {} quotes, {} results stored\n",
        texts.len(),
        figures.line(count),
        counts.quotes,
        counts.results
    ))
}

/// Extraction throughput on one core over a folder of real reports (read at run time,
/// never copied into the project): every `.txt` file, extracted repeatedly for at
/// least two seconds.
pub fn real_texts(dir: &Path, teams: &TeamBook) -> anyhow::Result<String> {
    let texts = read_texts(dir)?;
    let bytes: usize = texts.iter().map(String::len).sum();
    let ctx = ReportContext::default();
    let start = Instant::now();
    let mut rounds = 0usize;
    let mut found = 0usize;
    while rounds == 0 || start.elapsed() < Duration::from_secs(2) {
        for t in &texts {
            let x = extract(t, &ctx, teams);
            found += x.quotes.len() + x.results.len();
        }
        rounds += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    let total = (bytes * rounds) as f64;
    Ok(format!(
        "real text: {} reports ({:.1} KB) x {rounds} rounds in {secs:.2} s = {:.1} MB/s, {:.0} reports/s on one core ({} quotes+results per round)\n",
        texts.len(),
        bytes as f64 / 1e3,
        total / 1e6 / secs,
        (texts.len() * rounds) as f64 / secs,
        found / rounds,
    ))
}

/// Extraction time for texts that once cost quadratic time (score-dense lines, runs of
/// unclosed quote marks, round-ups of results) and for plain prose, at 10 KB, 100 KB and
/// 1 MB: the 1 MB / 10 KB ratio should be near 100 for each.
pub fn scaling(teams: &TeamBook) -> String {
    let patterns: [(&str, &str); 5] = [
        ("score-dense line", "1-0 2-1 3-2 "),
        (
            "round-up of results",
            "Arsenal 2-1 Chelsea, Leeds 0-0 Everton; ",
        ),
        ("unclosed quote marks", "\"He said \"we will \"win "),
        (
            "accented prose",
            "İzmir drew 1-1 at the Emirates… and deserved it. ",
        ),
        (
            "plain report prose",
            "Liverpool beat Everton 2-0 at Anfield on Sunday, and \"it was hard,\" said Klopp.\n",
        ),
    ];
    let ctx = ReportContext::default();
    let mut out =
        String::from("pattern                    10 KB      100 KB     1 MB       1MB/10KB\n");
    for (name, unit) in patterns {
        let mut times = Vec::new();
        for size in [10_000usize, 100_000, 1_000_000] {
            let text = unit.repeat(size / unit.len() + 1);
            let start = Instant::now();
            let x = extract(&text, &ctx, teams);
            std::hint::black_box(x);
            times.push(start.elapsed().as_secs_f64());
        }
        let _ = writeln!(
            out,
            "{name:<26} {:>8.1}ms {:>8.1}ms {:>8.1}ms {:>8.0}",
            times[0] * 1e3,
            times[1] * 1e3,
            times[2] * 1e3,
            times[2] / times[0].max(1e-9)
        );
    }
    out
}
