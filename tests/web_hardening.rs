//! Web ingest under hostile pages and unlucky networks (issue 10): deeply nested HTML on
//! small stacks, a whole-poll deadline, IPv6 forms of private addresses, network errors
//! named to their root cause, HTML mislabelled as a feed, and property tests of the HTML
//! and feed readers. Through the real binary, the poller and a feed server on 127.0.0.1.
//!
//! Every report here is invented for these tests.

mod support;

use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use proptest::prelude::*;
use support::feed_server::{self, FeedEntry, FeedServer, Route};
use support::WAIT;
use touchline::config::IngestConfig;
use touchline::corpus::SourceState;
use touchline::ingest::feed;
use touchline::ingest::fetch::{FetchConfig, Fetcher, Validators};
use touchline::ingest::html::{self, HtmlError, MAX_DEPTH};
use touchline::ingest::sources::{SourceConfig, SourcePoller};
use touchline::ingest::web::fetch_reports;

/// The stack of a tokio worker (and of the poller's tasks): 2 MiB.
const SMALL_STACK: usize = 2 * 1024 * 1024;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

/// Three paragraphs (over 80 words) the extractor reads well: a result and a quote.
fn paragraphs(home: &str, away: &str, manager: &str) -> Vec<String> {
    vec![
        format!(
            "{home} beat {away} 2-1 at home on Wednesday night, a win that lifts the mood \
             around the club after a grey autumn of injuries, draws and long away trips."
        ),
        format!(
            "\"We were patient and the goals came in the end,\" said {home} manager {manager}."
        ),
        "The home side pressed from the first whistle, won a string of corners and deserved \
         the points on the balance of chances created across the ninety minutes, while the \
         visitors rarely threatened after the break and admitted as much afterwards."
            .to_string(),
    ]
}

fn refs(ps: &[String]) -> Vec<&str> {
    ps.iter().map(String::as_str).collect()
}

fn article(home: &str, away: &str, manager: &str) -> String {
    let ps = paragraphs(home, away, manager);
    feed_server::article_page(&format!("{home} beat {away}"), Some(day()), &refs(&ps))
}

/// An article whose last paragraph is `depth` nested `<span>`s (about 6 bytes each:
/// 80,000 is under 1 MB), with text at the bottom.
fn deep_spans_after_article(depth: usize) -> String {
    let ps = paragraphs("Harbour Town", "Millbrook", "Ines Calloway");
    format!(
        "<!DOCTYPE html><html><head><title>Harbour Town beat Millbrook</title></head><body>\
         <article><h1>Harbour Town beat Millbrook</h1>{}<p>{}deep down</p></article></body></html>",
        feed_server::paragraphs_html(&refs(&ps)),
        "<span>".repeat(depth)
    )
}

/// The article's paragraphs at the bottom of `depth` nested `<span>`s.
fn article_under_spans(depth: usize) -> String {
    let ps = paragraphs("Cray Wanderers", "Ashby Vale", "Helena Varga");
    format!(
        "<html><body>{}<article>{}</article></body></html>",
        "<span>".repeat(depth),
        feed_server::paragraphs_html(&refs(&ps))
    )
}

/// `levels` of `<div><p>words`, each level inside the one before.
fn nested_div_p(levels: usize) -> String {
    let mut page = String::from("<html><body>");
    for i in 0..levels {
        page.push_str(&format!("<div><p>level {i} of the nested story goes on"));
    }
    page
}

/// Runs `f` on a thread with the poller's stack size, so a recursion shows as an abort.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(SMALL_STACK)
        .spawn(f)
        .unwrap()
        .join()
        .expect("the thread panicked")
}

// ---------------------------------------------------------------------------------------
// 1. Deep nesting: no stack overflow, nothing quadratic
// ---------------------------------------------------------------------------------------

#[test]
fn deep_pages_are_parsed_and_read_on_a_2_mib_stack() {
    on_small_stack(|| {
        let page = deep_spans_after_article(80_000);
        assert!(page.len() < 1_000_000, "{} bytes", page.len());
        // html5ever's parsing alone, then our walks over the tree.
        let doc = scraper::Html::parse_document(&page);
        assert!(doc.tree.nodes().count() > 80_000);
        drop(doc);
        let a = html::article(page.as_bytes(), Some("text/html")).unwrap();
        let ps = paragraphs("Harbour Town", "Millbrook", "Ines Calloway");
        assert_eq!(a.text, ps.join("\n\n"));
        assert_eq!(a.title.as_deref(), Some("Harbour Town beat Millbrook"));

        // Text below the depth cap is not read: no article, and no crash.
        let deep = article_under_spans(80_000);
        assert_eq!(
            html::article(deep.as_bytes(), None),
            Err(HtmlError::NoArticle)
        );
        // Just above the cap it still is.
        let shallow = article_under_spans(MAX_DEPTH - 10);
        assert!(html::article(shallow.as_bytes(), None).is_ok());

        // Nested <div><p>: the paragraphs down to the cap are read, in order.
        let a = html::article(nested_div_p(20_000).as_bytes(), None).unwrap();
        let got: Vec<&str> = a.text.split("\n\n").collect();
        assert!(got.len() > 200 && got.len() <= MAX_DEPTH, "{}", got.len());
        assert_eq!(got[0], "level 0 of the nested story goes on");
        assert_eq!(got[1], "level 1 of the nested story goes on");

        // Feed content is walked the same way.
        let fragment = format!("{}x", "<span><div>".repeat(40_000));
        assert!(html::fragment_text(&fragment).len() < 10);
        let fragment = format!("<p>top</p>{}", "<b>".repeat(80_000));
        assert_eq!(html::fragment_text(&fragment), "top");
    });
}

/// A temporary working folder with a config that lets the binary reach 127.0.0.1.
struct CliHome {
    dir: tempfile::TempDir,
}

#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl CliHome {
    fn new() -> CliHome {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("corpus.db");
        let config = format!(
            "[corpus]\ndatabase = \"{}\"\n\n[fetch]\ntimeout_secs = 5\nallow_private = [\"127.0.0.1\"]\n",
            db.display().to_string().replace('\\', "\\\\")
        );
        std::fs::write(dir.path().join("touchline.toml"), config).unwrap();
        CliHome { dir }
    }

    /// `touchline ingest ARGS...`, off the async threads so the feed server keeps answering.
    async fn ingest(&self, args: &[&str]) -> Run {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_touchline"));
        cmd.current_dir(self.dir.path())
            .env_remove("TOUCHLINE_DB")
            .env_remove("TOUCHLINE_CONFIG")
            .arg("--config")
            .arg(self.dir.path().join("touchline.toml"))
            .arg("ingest")
            .args(args);
        let out = tokio::task::spawn_blocking(move || cmd.output().expect("run touchline"))
            .await
            .unwrap();
        Run {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_reads_a_page_of_80000_nested_spans_without_crashing() {
    let server = FeedServer::start().await;
    server.set("/deep", Route::html(deep_spans_after_article(80_000)));
    server.set("/deeper", Route::html(article_under_spans(80_000)));
    let home = CliHome::new();

    let deep = server.url("/deep");
    let run = home.ingest(&[&deep]).await;
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(
        run.stdout.trim(),
        format!("{deep}: added 1 report(s), 0 already stored")
    );

    // All the text below the cap: refused by name, one line, exit 2 (not a signal).
    let deeper = server.url("/deeper");
    let run = home.ingest(&[&deeper]).await;
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr.contains(&deeper) && run.stderr.contains("no article"),
        "{run:?}"
    );
}

#[test]
fn the_poller_reads_deep_pages_on_2_mib_worker_threads() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_stack_size(SMALL_STACK)
        .enable_all()
        .build()
        .unwrap();
    let task = runtime.spawn(async {
        let server = FeedServer::start().await;
        server.set("/deep", Route::html(deep_spans_after_article(80_000)));
        // A summary-only item whose article page is the deep one.
        let item = FeedEntry::new("deep-1", "Harbour Town beat Millbrook")
            .link(server.url("/deep"))
            .date(day())
            .summary("A late winner.");
        let nested = FeedEntry::new("nested-1", "Nested")
            .date(day())
            .content(format!("<p>x</p>{}", "<span>".repeat(80_000)));
        server.set(
            "/feed.xml",
            Route::rss(feed_server::rss("Deep Wire", &[item, nested])),
        );
        let (ctx, _dir) = support::test_ctx();
        let poller = SourcePoller::new(
            Arc::clone(&ctx),
            &server.fetch_config(),
            IngestConfig::default(),
        )
        .unwrap();
        let source = url_source("deep-wire", &server.url("/feed.xml"));
        let stored = poller.poll(&source, &SourceState::default()).await.unwrap();
        (stored.added, stored.refused.len(), server.hits("/deep"))
    });
    let (added, refused, hits) = runtime.block_on(task).expect("the poll task panicked");
    assert_eq!((added, hits), (1, 1));
    assert_eq!(refused, 1, "the nested item is too short to be a report");
}

fn url_source(name: &str, url: &str) -> SourceConfig {
    SourceConfig {
        name: name.into(),
        url: Some(url.into()),
        dir: None,
        every_secs: 60,
        competition: None,
    }
}

// ---------------------------------------------------------------------------------------
// 2. A whole-poll deadline
// ---------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poll_stops_at_its_deadline_and_leaves_the_rest_for_the_next_poll() {
    support::capture_logs();
    let server = FeedServer::start().await;
    let teams = [
        ("Liverpool", "Everton", "Arne Slot"),
        ("Brentford", "Fulham", "Keith Andrews"),
        ("Arsenal", "Chelsea", "Mikel Arteta"),
        ("Brighton", "Burnley", "Fabian Hurzeler"),
        ("Wolves", "Leeds", "Vitor Pereira"),
    ];
    let mut items = Vec::new();
    for (i, (home, away, manager)) in teams.iter().enumerate() {
        let item =
            FeedEntry::new(&format!("deadline-{i}"), &format!("{home} beat {away}")).date(day());
        items.push(if i < 2 {
            // Full content: no page to fetch.
            item.content(feed_server::paragraphs_html(&refs(&paragraphs(
                home, away, manager,
            ))))
        } else {
            // A summary: the page is fetched, and it answers after the deadline.
            let path = format!("/slow/{i}");
            server.set(
                &path,
                Route::html(article(home, away, manager)).delay(Duration::from_secs(30)),
            );
            item.link(server.url(&path)).summary("Read on.")
        });
    }
    server.set(
        "/feed.xml",
        Route::rss(feed_server::rss("Slow Wire", &items)).etag("\"v1\""),
    );
    let (ctx, _dir) = support::test_ctx();
    let fetch = FetchConfig {
        poll_deadline_secs: 1,
        ..server.fetch_config()
    };
    let poller = SourcePoller::new(Arc::clone(&ctx), &fetch, IngestConfig::default()).unwrap();
    let source = url_source("slow-wire-deadline", &server.url("/feed.xml"));

    let stored = poller.poll(&source, &SourceState::default()).await.unwrap();
    assert_eq!((stored.added, stored.deferred), (2, 3), "{stored:?}");
    assert!(stored.refused.is_empty(), "not failures: {stored:?}");
    let state = {
        let corpus = ctx.corpus.lock().unwrap();
        for i in 0..5 {
            let seen = corpus
                .source_has_item(&source.name, &format!("deadline-{i}"))
                .unwrap();
            assert_eq!(seen, i < 2, "item {i}");
        }
        corpus.source_state(&source.name).unwrap()
    };
    assert!(
        state.etag.is_none(),
        "the next poll must read the feed again"
    );
    let warned: Vec<String> = support::logs()
        .lines()
        .filter(|l| l.contains("slow-wire-deadline") && l.contains("poll deadline"))
        .map(str::to_string)
        .collect();
    assert_eq!(warned.len(), 1, "{warned:?}");
    assert!(warned[0].contains("left=3"), "{warned:?}");

    // The pages are quick now: the next poll takes the three that were left.
    for (i, (home, away, manager)) in teams.iter().enumerate().skip(2) {
        server.set(
            &format!("/slow/{i}"),
            Route::html(article(home, away, manager)),
        );
    }
    let stored = poller.poll(&source, &state).await.unwrap();
    assert_eq!((stored.added, stored.deferred), (3, 0), "{stored:?}");
}

// ---------------------------------------------------------------------------------------
// 3. IPv6 forms of private addresses
// ---------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ipv6_forms_of_loopback_are_refused_before_any_request() {
    let server = FeedServer::start().await;
    server.set(
        "/feed.xml",
        Route::html(article("Arsenal", "Chelsea", "Mikel Arteta")),
    );
    let home = CliHome::new();
    let port = server.port();
    let urls = [
        (
            format!("http://[::127.0.0.1]:{port}/feed.xml"),
            "IPv4-compatible",
        ),
        (format!("http://[64:ff9b::7f00:1]:{port}/feed.xml"), "NAT64"),
        (format!("http://[2002:7f00:1::1]:{port}/feed.xml"), "6to4"),
        (format!("http://[fec0::1]:{port}/feed.xml"), "site-local"),
    ];
    for (url, form) in &urls {
        let run = home.ingest(&[url]).await;
        assert_eq!(run.code, Some(2), "{run:?}");
        let line = run.stderr.trim();
        assert_eq!(line.lines().count(), 1, "{run:?}");
        assert!(line.contains("refused") && line.contains(form), "{run:?}");
    }
    assert!(home.ingest(&[&urls[0].0]).await.stderr.contains("loopback"));
    assert_eq!(
        server.hits("/feed.xml"),
        0,
        "the guard let a request through"
    );
}

// ---------------------------------------------------------------------------------------
// 4. Network errors name their root cause
// ---------------------------------------------------------------------------------------

/// A 127.0.0.1 port nothing listens on (bound, then released).
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_refused_is_named_in_the_cli() {
    let home = CliHome::new();
    let url = format!("http://127.0.0.1:{}/feed.xml", closed_port());
    let run = home.ingest(&[&url]).await;
    assert_eq!(run.code, Some(2), "{run:?}");
    assert_eq!(run.stderr.trim().lines().count(), 1, "{run:?}");
    assert!(run.stderr.contains(&url), "{run:?}");
    assert!(
        run.stderr.to_lowercase().contains("connection refused"),
        "the root cause is lost: {run:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_source_logs_and_stores_the_root_cause() {
    support::capture_logs();
    let (ctx, _dir) = support::test_ctx();
    let fetch = FetchConfig {
        allow_private: vec!["127.0.0.1".into()],
        ..FetchConfig::default()
    };
    let poller =
        Arc::new(SourcePoller::new(Arc::clone(&ctx), &fetch, IngestConfig::default()).unwrap());
    let name = "closed-port-source";
    let source = url_source(
        name,
        &format!("http://127.0.0.1:{}/feed.xml", closed_port()),
    );
    let running = tokio::spawn(Arc::clone(&poller).run(vec![source]));
    let started = std::time::Instant::now();
    let state = loop {
        let state = ctx.corpus.lock().unwrap().source_state(name).unwrap();
        if state.failures > 0 || started.elapsed() > WAIT {
            break state;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    running.abort();
    let error = state.last_error.expect("the failure is stored");
    assert!(
        error.to_lowercase().contains("connection refused"),
        "{error}"
    );
    let logged = support::logs()
        .lines()
        .filter(|l| l.contains(name) && l.contains("source failed"))
        .map(str::to_lowercase)
        .collect::<Vec<_>>();
    assert!(
        logged.iter().any(|l| l.contains("connection refused")),
        "{logged:?}"
    );
}

#[tokio::test]
async fn an_unknown_host_names_the_resolver_error() {
    let f = Fetcher::new(&FetchConfig::default()).unwrap();
    // `.invalid` never resolves (RFC 6761); the system resolver answers at once.
    let url = "http://touchline-test.invalid/feed.xml";
    let err = f
        .get(url, &Validators::default())
        .await
        .unwrap_err()
        .to_string();
    assert!(err.starts_with(url), "{err}");
    assert!(
        err.contains("dns error") || err.contains("lookup") || err.contains("resolve"),
        "the resolver's words are lost: {err}"
    );
}

// ---------------------------------------------------------------------------------------
// 5. HTML served as a feed
// ---------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_article_served_as_rss_xml_is_read_as_an_article() {
    let server = FeedServer::start().await;
    let page = article("Brighton", "Burnley", "Fabian Hurzeler");
    server.set(
        "/story",
        Route::ok("application/rss+xml; charset=utf-8", page),
    );
    let f = Fetcher::new(&server.fetch_config()).unwrap();
    let batch = fetch_reports(
        &f,
        &server.url("/story"),
        &Validators::default(),
        &|_| false,
        1 << 20,
    )
    .await
    .unwrap();
    let [one] = &batch.reports[..] else {
        panic!("{:?}", batch.reports)
    };
    assert_eq!(
        one.report.text,
        paragraphs("Brighton", "Burnley", "Fabian Hurzeler").join("\n\n")
    );
    assert_eq!(one.report.title.as_deref(), Some("Brighton beat Burnley"));

    // A real feed under the same label is still a feed.
    let items =
        [
            FeedEntry::new("b-1", "Brighton beat Burnley").content(feed_server::paragraphs_html(
                &refs(&paragraphs("Brighton", "Burnley", "Fabian Hurzeler")),
            )),
        ];
    server.set("/feed", Route::rss(feed_server::rss("Wire", &items)));
    let batch = fetch_reports(
        &f,
        &server.url("/feed"),
        &Validators::default(),
        &|_| false,
        1 << 20,
    )
    .await
    .unwrap();
    assert_eq!(batch.reports.len(), 1);
    assert_eq!(batch.reports[0].key, "b-1");
}

// ---------------------------------------------------------------------------------------
// 6. Property tests of the HTML and feed readers
// ---------------------------------------------------------------------------------------

/// 64 cases in `cargo test`; `PROPTEST_CASES` (set by CI) asks for more.
fn cases() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Paragraphs of the readers' output are trimmed, single-spaced, non-empty text.
fn assert_clean_paragraphs(text: &str) {
    if text.is_empty() {
        return;
    }
    for p in text.split("\n\n") {
        assert!(!p.is_empty(), "an empty paragraph in {text:?}");
        assert_eq!(
            p,
            p.split_whitespace().collect::<Vec<_>>().join(" "),
            "unnormalised whitespace in {text:?}"
        );
    }
}

/// Tag soup: real and made-up tags, open and close in any order, entities, text.
fn tag_soup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        prop::sample::select(vec![
            "<p>",
            "</p>",
            "<div>",
            "</div>",
            "<span>",
            "</span>",
            "<article>",
            "</article>",
            "<nav>",
            "<script>",
            "</script>",
            "<br>",
            "<table><td>",
            "<b><i>",
            "</b>",
            "<h1>",
            "<p class=share>",
            "<main>",
            "<!--",
            "-->",
            "<![CDATA[",
            "]]>",
            "&amp;",
            "&#x0;",
            "&nbsp;",
            "<svg><p>",
            "<template>",
            "<object>",
            "<xmp>",
            "<plaintext>",
        ])
        .prop_map(str::to_string),
        "[A-Za-z ,.\"'\u{2019}\u{e9}\u{130}]{0,30}",
        "\\PC{0,10}",
    ];
    prop::collection::vec(piece, 0..80).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(cases())]

    #[test]
    fn the_html_reader_never_panics_on_random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        if let Ok(a) = html::article(&bytes, None) {
            assert_clean_paragraphs(&a.text);
        }
        let text = String::from_utf8_lossy(&bytes);
        assert_clean_paragraphs(&html::fragment_text(&text));
    }

    #[test]
    fn the_html_reader_never_panics_on_random_unicode(text in "\\PC{0,400}", ct in prop::option::of("[a-z/+;= -]{0,30}")) {
        if let Ok(a) = html::article(text.as_bytes(), ct.as_deref()) {
            assert_clean_paragraphs(&a.text);
            prop_assert!(a.title.as_deref().is_none_or(|t| !t.is_empty()));
        }
        assert_clean_paragraphs(&html::fragment_text(&text));
    }

    #[test]
    fn tag_soup_reads_to_clean_paragraphs(soup in tag_soup()) {
        let page = format!("{soup}<p>{}</p>", "word ".repeat(50));
        match html::article(page.as_bytes(), Some("text/html")) {
            Ok(a) => assert_clean_paragraphs(&a.text),
            Err(e) => prop_assert!(matches!(e, HtmlError::NoArticle), "{e}"),
        }
        assert_clean_paragraphs(&html::fragment_text(&soup));
    }

    #[test]
    fn deep_nesting_and_huge_words_are_read_within_the_cap(
        tag in prop::sample::select(vec!["span", "div", "p", "b", "article", "li", "blockquote", "object"]),
        depth in 0usize..3_000,
        word_len in 1usize..20_000,
    ) {
        let word = "w".repeat(word_len);
        let page = format!("<body>{}<p>{word} and more</p>", format!("<{tag}>").repeat(depth));
        let reading = html::article(page.as_bytes(), None);
        if let Ok(a) = &reading {
            assert_clean_paragraphs(&a.text);
        }
        let fragment = html::fragment_text(&page);
        assert_clean_paragraphs(&fragment);
        if depth + 3 < MAX_DEPTH {
            prop_assert!(fragment.contains(&word));
        }
    }

    #[test]
    fn the_feed_reader_never_panics_on_random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = feed::looks_like_feed(None, &bytes);
        if let Ok(parsed) = feed::parse_feed(&bytes) {
            for item in parsed.items {
                prop_assert!(!item.key.is_empty());
                assert_clean_paragraphs(item.text.as_deref().unwrap_or_default());
            }
        }
    }

    #[test]
    fn truncated_and_mangled_feeds_are_errors_or_clean_items(cut in 0usize..4000, junk in "\\PC{0,20}", at in 0usize..4000) {
        let items: Vec<FeedEntry> = (0..3)
            .map(|i| {
                FeedEntry::new(&format!("g-{i}"), &format!("Item {i} \u{e9}"))
                    .link(format!("http://127.0.0.1/a/{i}"))
                    .date(day())
                    .summary("<p>A <b>short</b> &amp; sweet summary.</p>")
                    .content(feed_server::paragraphs_html(&refs(&paragraphs("Home", "Away", "A Manager"))))
            })
            .collect();
        for xml in [feed_server::rss("Wire", &items), feed_server::atom("Wire", &items)] {
            let mut bytes = xml.into_bytes();
            let at = at.min(bytes.len());
            bytes.splice(at..at, junk.bytes());
            bytes.truncate(cut.min(bytes.len()));
            prop_assert!(feed::looks_like_feed(None, &bytes) || cut < 60 || at < 60);
            if let Ok(parsed) = feed::parse_feed(&bytes) {
                for item in parsed.items {
                    prop_assert!(!item.key.is_empty());
                    assert_clean_paragraphs(item.text.as_deref().unwrap_or_default());
                    assert_clean_paragraphs(item.summary.as_deref().unwrap_or_default());
                }
            }
        }
    }
}
