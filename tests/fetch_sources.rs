//! Fetching reports from the web against a real server on 127.0.0.1: feeds (RSS, Atom,
//! legacy charsets), article pages, conditional GETs, and every way a fetch must fail
//! safely (status, timeout, redirects, size, private addresses, bad XML, no article).

mod support;

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use support::feed_server::{
    article_page, atom, paragraphs_html, rss, FeedEntry, FeedServer, Route,
};
use touchline::ingest::fetch::{FetchConfig, FetchError, Fetched, Fetcher, Validators};
use touchline::ingest::web::{fetch_reports, WebBatch, WebError};

const MAX_REPORT: u64 = 1024 * 1024;

// Fictional reports: clubs and people made up for these tests.
const HARBOUR: [&str; 3] = [
    "Harbour Town came from behind to beat Millbrook Athletic 2-1 at the Quayside Ground on Tuesday night, with substitute Dara Okonkwo heading the winner six minutes from time.",
    "Millbrook had led through a curling free kick from Tomasz Lindqvist just before the break, and for long spells of the second half the visitors looked the more composed side, pressing high and forcing a string of corners.",
    "\"We kept believing,\" said Harbour manager Ines Calloway. \"The lads showed real character tonight and the crowd carried us over the line.\" Felix Amadi had equalised with a low drive on the hour, and the win lifts Harbour into fourth place in the Coastal League table.",
];
const CRAY: [&str; 3] = [
    "Cray Wanderers were held to a goalless draw by ten-man Ashby Vale in a scrappy Northern Shield tie that rarely threatened to catch fire on a cold afternoon at Marsh Lane.",
    "Ashby lost captain Rory Featherstone to a second yellow card midway through the first half, yet the home side defended deep and Cray struggled to turn their possession into clear chances against a packed back line.",
    "Goalkeeper Samir Haddou made the save of the match to deny Kwame Boateng late on. \"A point is fair,\" admitted Cray coach Helena Varga afterwards. \"We did not move the ball quickly enough and they deserved something for their effort.\"",
];
const RIVERSIDE: [&str; 3] = [
    "Riverside Rovers moved three points clear at the top after a commanding 4-0 victory over Eastgate United, with striker Lucia Ferreira scoring twice in the opening twenty minutes.",
    "Eastgate, who had won their previous three league matches, never recovered from that early burst and were fortunate not to concede more before the interval as Rovers hit the woodwork twice.",
    "Late goals from Jonah Whitlock and the veteran Pavel Sorokin completed the rout. \"That is the best we have played all season,\" said Rovers boss Marcus Delaney, whose side now face a trip to Westport on Saturday.",
];

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn joined(paragraphs: &[&str]) -> String {
    paragraphs.join("\n\n")
}

fn fetcher(server: &FeedServer) -> Fetcher {
    Fetcher::new(&server.fetch_config()).unwrap()
}

fn fetcher_with(server: &FeedServer, change: impl FnOnce(&mut FetchConfig)) -> Fetcher {
    let mut cfg = server.fetch_config();
    change(&mut cfg);
    Fetcher::new(&cfg).unwrap()
}

fn never_seen(_: &str) -> bool {
    false
}

async fn reports(fetcher: &Fetcher, url: &str) -> WebBatch {
    fetch_reports(
        fetcher,
        url,
        &Validators::default(),
        &never_seen,
        MAX_REPORT,
    )
    .await
    .unwrap()
}

async fn get_err(fetcher: &Fetcher, url: &str) -> FetchError {
    match fetcher.get(url, &Validators::default()).await {
        Ok(got) => panic!("{url}: expected an error, got {got:?}"),
        Err(e) => e,
    }
}

#[tokio::test]
async fn rss_items_with_full_content_become_reports_without_fetching_articles() {
    let server = FeedServer::start().await;
    let items = vec![
        FeedEntry::new("gazette-101", "Harbour Town 2-1 Millbrook Athletic")
            .link(server.url("/match/101"))
            .date(date(2026, 1, 13))
            .summary("Okonkwo heads a late winner.")
            .content(paragraphs_html(&HARBOUR)),
        FeedEntry::new("gazette-102", "Cray Wanderers 0-0 Ashby Vale")
            .link(server.url("/match/102"))
            .date(date(2026, 1, 14))
            .content(paragraphs_html(&CRAY)),
    ];
    server.set("/feed.xml", Route::rss(rss("Northfield Gazette", &items)));
    let f = fetcher(&server);

    let batch = reports(&f, &server.url("/feed.xml")).await;
    assert!(batch.failures.is_empty(), "{:?}", batch.failures);
    assert!(!batch.not_modified);
    let [a, b] = &batch.reports[..] else {
        panic!("{:?}", batch.reports)
    };
    assert_eq!(a.key, "gazette-101");
    assert_eq!(a.report.text, joined(&HARBOUR));
    assert_eq!(
        a.report.title.as_deref(),
        Some("Harbour Town 2-1 Millbrook Athletic")
    );
    assert_eq!(a.report.published, Some(date(2026, 1, 13)));
    assert_eq!(a.report.source.as_deref(), Some("Northfield Gazette"));
    assert_eq!(a.report.origin, Some(server.url("/match/101")));
    assert_eq!(b.key, "gazette-102");
    assert_eq!(b.report.text, joined(&CRAY));
    assert_eq!(server.hits("/match/101") + server.hits("/match/102"), 0);

    // Known keys are skipped: the feed "gains" a report and only that one comes back.
    let mut more = items.clone();
    more.insert(
        0,
        FeedEntry::new("gazette-103", "Riverside Rovers 4-0 Eastgate United")
            .date(date(2026, 1, 17))
            .content(paragraphs_html(&RIVERSIDE)),
    );
    server.set("/feed.xml", Route::rss(rss("Northfield Gazette", &more)));
    let seen = |key: &str| key == "gazette-101" || key == "gazette-102";
    let batch = fetch_reports(
        &f,
        &server.url("/feed.xml"),
        &Validators::default(),
        &seen,
        MAX_REPORT,
    )
    .await
    .unwrap();
    let keys: Vec<&str> = batch.reports.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys, ["gazette-103"]);
    assert_eq!(
        batch.reports[0].report.origin,
        Some(server.url("/feed.xml")),
        "an item without a link comes from the feed"
    );
}

#[tokio::test]
async fn atom_feeds_are_read_too() {
    let server = FeedServer::start().await;
    let items = vec![
        FeedEntry::new("urn:wire:riverside-eastgate", "Rovers rout Eastgate")
            .link(server.url("/wire/rovers"))
            .date(date(2026, 2, 1))
            .content(paragraphs_html(&RIVERSIDE)),
        FeedEntry {
            guid: None,
            ..FeedEntry::new("", "Harbour edge Millbrook")
                .link(server.url("/wire/harbour"))
                .content(paragraphs_html(&HARBOUR))
        },
    ];
    server.set("/atom", Route::atom(atom("County Wire", &items)));
    let batch = reports(&fetcher(&server), &server.url("/atom")).await;
    assert!(batch.failures.is_empty(), "{:?}", batch.failures);
    let [a, b] = &batch.reports[..] else {
        panic!("{:?}", batch.reports)
    };
    assert_eq!(a.key, "urn:wire:riverside-eastgate");
    assert_eq!(a.report.text, joined(&RIVERSIDE));
    assert_eq!(a.report.published, Some(date(2026, 2, 1)));
    assert_eq!(a.report.source.as_deref(), Some("County Wire"));
    assert_eq!(
        b.key,
        server.url("/wire/harbour"),
        "no id: the link is the key"
    );
    assert_eq!(b.report.text, joined(&HARBOUR));
}

#[tokio::test]
async fn summary_only_items_have_their_article_pages_fetched_and_extracted() {
    let server = FeedServer::start().await;
    server.set(
        "/news/harbour-millbrook",
        Route::html(article_page(
            "Okonkwo the hero as Harbour edge Millbrook",
            Some(date(2026, 1, 13)),
            &HARBOUR,
        )),
    );
    server.set(
        "/news/cray-ashby",
        Route::html(article_page("Stalemate at Marsh Lane", None, &CRAY)),
    );
    let items = vec![
        // An absolute link, and no date in the feed: the page's date is used.
        FeedEntry::new("n1", "Harbour 2-1 Millbrook")
            .link(server.url("/news/harbour-millbrook"))
            .summary("Late drama at the Quayside Ground."),
        // A relative link resolves against the feed's URL.
        FeedEntry::new("n2", "Cray 0-0 Ashby")
            .link("/news/cray-ashby")
            .date(date(2026, 1, 14))
            .summary("<p>Ten men hold on.</p>"),
    ];
    server.set("/rss", Route::rss(rss("Valley Sport", &items)));

    let batch = reports(&fetcher(&server), &server.url("/rss")).await;
    assert!(batch.failures.is_empty(), "{:?}", batch.failures);
    let [a, b] = &batch.reports[..] else {
        panic!("{:?}", batch.reports)
    };
    assert_eq!(a.key, "n1");
    assert_eq!(
        a.report.text,
        joined(&HARBOUR),
        "menu, aside, footer dropped"
    );
    assert_eq!(a.report.title.as_deref(), Some("Harbour 2-1 Millbrook"));
    assert_eq!(a.report.published, Some(date(2026, 1, 13)));
    assert_eq!(a.report.origin, Some(server.url("/news/harbour-millbrook")));
    assert_eq!(a.report.source.as_deref(), Some("Valley Sport"));
    assert_eq!(b.report.text, joined(&CRAY));
    assert_eq!(b.report.published, Some(date(2026, 1, 14)));
    assert_eq!(b.report.origin, Some(server.url("/news/cray-ashby")));
    assert_eq!(server.hits("/news/harbour-millbrook"), 1);
    assert_eq!(server.hits("/news/cray-ashby"), 1);
}

#[tokio::test]
async fn an_article_page_url_gives_one_report() {
    let server = FeedServer::start().await;
    server.set(
        "/story?id=7",
        Route::html(article_page(
            "Rovers go clear",
            Some(date(2026, 3, 2)),
            &RIVERSIDE,
        )),
    );
    let url = server.url("/story?id=7");
    let batch = reports(&fetcher(&server), &url).await;
    let [r] = &batch.reports[..] else {
        panic!("{:?}", batch.reports)
    };
    assert_eq!(r.key, url);
    assert_eq!(r.report.text, joined(&RIVERSIDE));
    assert_eq!(r.report.title.as_deref(), Some("Rovers go clear"));
    assert_eq!(r.report.published, Some(date(2026, 3, 2)));
    assert_eq!(r.report.source.as_deref(), Some("127.0.0.1"));
    assert_eq!(r.report.origin.as_deref(), Some(url.as_str()));
}

#[tokio::test]
async fn a_failing_article_lands_in_failures_while_the_other_items_come_back() {
    let server = FeedServer::start().await;
    server.set("/a/ok", Route::html(article_page("Cray held", None, &CRAY)));
    // "/a/gone" is not set: 404.
    let items = vec![
        FeedEntry::new("ok", "Cray held").link(server.url("/a/ok")),
        FeedEntry::new("gone", "Vanished report").link(server.url("/a/gone")),
        FeedEntry::new("full", "Rovers rout").content(paragraphs_html(&RIVERSIDE)),
    ];
    server.set(
        "/feed",
        Route::rss(rss("Gazette", &items)).etag("\"feed-v1\""),
    );
    let batch = reports(&fetcher(&server), &server.url("/feed")).await;
    let keys: Vec<&str> = batch.reports.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys, ["ok", "full"]);
    let [(key, reason)] = &batch.failures[..] else {
        panic!("{:?}", batch.failures)
    };
    assert_eq!(key, "gone");
    assert!(
        reason.contains("404") && reason.contains("/a/gone"),
        "{reason}"
    );
    assert_eq!(
        batch.validators,
        Validators::default(),
        "no validators, so the next poll reads the feed again and retries the item"
    );
}

#[tokio::test]
async fn conditional_get_sends_validators_and_gets_not_modified() {
    let server = FeedServer::start().await;
    let items = vec![FeedEntry::new("c1", "Rovers rout").content(paragraphs_html(&RIVERSIDE))];
    let last_modified = "Sat, 17 Jan 2026 18:30:00 GMT";
    server.set(
        "/cond.xml",
        Route::rss(rss("Gazette", &items))
            .etag("\"abc123\"")
            .last_modified(last_modified),
    );
    let f = fetcher(&server);
    let url = server.url("/cond.xml");

    let Fetched::Page(page) = f.get(&url, &Validators::default()).await.unwrap() else {
        panic!("expected a page")
    };
    assert_eq!(page.validators.etag.as_deref(), Some("\"abc123\""));
    assert_eq!(
        page.validators.last_modified.as_deref(),
        Some(last_modified)
    );
    assert_eq!(page.content_type.as_deref(), Some("application/rss+xml"));
    let first = &server.requests("/cond.xml")[0];
    assert_eq!(first.header("if-none-match"), None);
    assert!(first
        .header("user-agent")
        .is_some_and(|ua| ua.starts_with("Touchline/")));

    let again = f.get(&url, &page.validators).await.unwrap();
    assert_eq!(again, Fetched::NotModified);
    let second = &server.requests("/cond.xml")[1];
    assert_eq!(second.header("if-none-match"), Some("\"abc123\""));
    assert_eq!(second.header("if-modified-since"), Some(last_modified));

    let batch = fetch_reports(&f, &url, &page.validators, &never_seen, MAX_REPORT)
        .await
        .unwrap();
    assert!(batch.not_modified);
    assert!(batch.reports.is_empty() && batch.failures.is_empty());
    assert_eq!(batch.validators, page.validators);

    // Last-Modified alone works too.
    let by_date = Validators {
        etag: None,
        last_modified: Some(last_modified.into()),
    };
    assert_eq!(f.get(&url, &by_date).await.unwrap(), Fetched::NotModified);
    assert_eq!(server.hits("/cond.xml"), 4);
}

#[tokio::test]
async fn http_errors_name_the_status_and_url() {
    let server = FeedServer::start().await;
    server.set("/broken", Route::status(500));
    let f = fetcher(&server);
    match get_err(&f, &server.url("/missing")).await {
        FetchError::Status { url, status } => {
            assert_eq!(status, 404);
            assert_eq!(url, server.url("/missing"));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        get_err(&f, &server.url("/broken")).await,
        FetchError::Status { status: 500, .. }
    ));
    let err = fetch_reports(
        &f,
        &server.url("/missing"),
        &Validators::default(),
        &never_seen,
        MAX_REPORT,
    )
    .await
    .unwrap_err();
    assert!(matches!(
        err,
        WebError::Fetch(FetchError::Status { status: 404, .. })
    ));
    assert!(err.to_string().contains("/missing"), "{err}");
    assert!(matches!(
        get_err(&f, "not a url").await,
        FetchError::BadUrl { .. }
    ));
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let server = FeedServer::start().await;
    server.set("/slow", Route::rss("<rss/>").delay(Duration::from_secs(4)));
    // A body that trickles in forever is bounded by the same whole-request timeout.
    server.set(
        "/trickle",
        Route::generated("text/html", 1024 * 1024).trickle(16, Duration::from_millis(200)),
    );
    let f = fetcher_with(&server, |c| c.timeout_secs = 1);
    for path in ["/slow", "/trickle"] {
        let started = Instant::now();
        let err = get_err(&f, &server.url(path)).await;
        assert!(matches!(err, FetchError::Timeout { .. }), "{path}: {err:?}");
        assert!(err.to_string().contains(path), "{err}");
        assert!(
            started.elapsed() < Duration::from_millis(2500),
            "{path}: {:?}",
            started.elapsed()
        );
    }
}

#[tokio::test]
async fn redirects_are_followed_within_the_limit_and_loops_are_caught() {
    let server = FeedServer::start().await;
    let f = fetcher_with(&server, |c| c.max_redirects = 3);
    // A chain of 3 (one relative) ends on the page; the final URL is reported.
    server.set("/r1", Route::redirect(301, &server.url("/r2")));
    server.set("/r2", Route::redirect(302, "/r3"));
    server.set("/r3", Route::redirect(307, &server.url("/final")));
    server.set(
        "/final",
        Route::html(article_page("Cray held", None, &CRAY)),
    );
    let Fetched::Page(page) = f
        .get(&server.url("/r1"), &Validators::default())
        .await
        .unwrap()
    else {
        panic!("expected a page")
    };
    assert_eq!(page.url, server.url("/final"));

    // One hop more is too many.
    server.set("/r0", Route::redirect(302, "/r1"));
    let err = get_err(&f, &server.url("/r0")).await;
    assert!(
        matches!(err, FetchError::TooManyRedirects { limit: 3, .. }),
        "{err:?}"
    );
    assert_eq!(server.hits("/final"), 1, "the last hop is never requested");

    // A loop is caught before the limit.
    server.set("/loop-a", Route::redirect(302, "/loop-b"));
    server.set("/loop-b", Route::redirect(302, "/loop-a"));
    let f = fetcher_with(&server, |c| c.max_redirects = 50);
    let err = get_err(&f, &server.url("/loop-a")).await;
    assert!(
        matches!(err, FetchError::TooManyRedirects { .. }),
        "{err:?}"
    );
    assert_eq!(server.hits("/loop-a"), 1);
    assert_eq!(server.hits("/loop-b"), 1);
}

#[tokio::test]
async fn a_huge_body_is_cut_off_at_the_cap_without_being_read_whole() {
    let server = FeedServer::start().await;
    let fifty_mb = 50 * 1024 * 1024;
    server.set("/huge", Route::generated("text/html", fifty_mb));
    server.set(
        "/huge-declared",
        Route::generated("text/html", fifty_mb).declare_length(),
    );
    // Slowly streamed: 50 MB at this rate would take hours, so stopping early is the only way to pass.
    server.set(
        "/huge-slow",
        Route::generated("text/html", fifty_mb).trickle(64 * 1024, Duration::from_millis(20)),
    );
    server.set("/small", Route::generated("text/html", 1000));
    let f = fetcher_with(&server, |c| c.max_body_bytes = 256 * 1024);
    for path in ["/huge", "/huge-declared", "/huge-slow"] {
        let started = Instant::now();
        let err = get_err(&f, &server.url(path)).await;
        assert!(
            matches!(err, FetchError::TooLarge { limit: 262144, .. }),
            "{path}: {err:?}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{path}: {:?}",
            started.elapsed()
        );
    }
    let Fetched::Page(page) = f
        .get(&server.url("/small"), &Validators::default())
        .await
        .unwrap()
    else {
        panic!("expected a page")
    };
    assert_eq!(page.bytes.len(), 1000);
}

#[tokio::test]
async fn loopback_is_refused_unless_allowed() {
    let server = FeedServer::start().await;
    server.set("/feed", Route::rss(rss("Gazette", &[])));
    let f = Fetcher::new(&FetchConfig::default()).unwrap();
    // A literal IP is checked before connecting...
    let err = get_err(&f, &server.url("/feed")).await;
    assert!(matches!(err, FetchError::Refused { .. }), "{err:?}");
    assert!(err.to_string().contains("127.0.0.1"), "{err}");
    // ...and a name is checked on the addresses it resolves to.
    let by_name = format!("http://localhost:{}/feed", server.port());
    let err = get_err(&f, &by_name).await;
    assert!(matches!(err, FetchError::Refused { .. }), "{err:?}");
    assert!(err.to_string().contains("localhost"), "{err}");
    assert_eq!(server.hits("/feed"), 0, "nothing reached the server");

    // Allowed, the same name resolves and connects.
    let ok = fetcher(&server).get(&by_name, &Validators::default()).await;
    assert!(matches!(ok, Ok(Fetched::Page(_))), "{ok:?}");
    assert!(matches!(
        get_err(&f, "file:///etc/passwd").await,
        FetchError::Refused { .. }
    ));
}

#[tokio::test]
async fn redirects_to_private_addresses_are_refused_on_every_hop() {
    let server = FeedServer::start().await;
    let f = fetcher(&server); // 127.0.0.1 only
    let port = server.port();
    let targets = [
        format!("http://[::1]:{port}/feed"),
        "http://169.254.169.254/latest/meta-data/".to_string(),
        "http://10.0.0.1/admin".to_string(),
        "http://[::ffff:192.168.0.1]/".to_string(),
        format!("http://127.0.0.2:{port}/feed"),
        "gopher://127.0.0.1/".to_string(),
    ];
    for (i, target) in targets.iter().enumerate() {
        let path = format!("/hop{i}");
        server.set(&path, Route::redirect(302, target));
        let err = get_err(&f, &server.url(&path)).await;
        match &err {
            FetchError::Refused { url, .. } => {
                assert!(!url.contains("/hop"), "the refused hop is named: {url}")
            }
            other => panic!("{target}: {other:?}"),
        }
        assert_eq!(server.hits(&path), 1);
    }
}

#[tokio::test]
async fn truncated_xml_is_an_error() {
    let server = FeedServer::start().await;
    let items = vec![
        FeedEntry::new("t1", "Rovers rout").content(paragraphs_html(&RIVERSIDE)),
        FeedEntry::new("t2", "Cray held").content(paragraphs_html(&CRAY)),
    ];
    let full = rss("Gazette", &items);
    let cut = &full[..full.find("<guid isPermaLink=\"false\">t2").unwrap() + 10];
    server.set("/cut.xml", Route::rss(cut.to_string()));
    let err = fetch_reports(
        &fetcher(&server),
        &server.url("/cut.xml"),
        &Validators::default(),
        &never_seen,
        MAX_REPORT,
    )
    .await
    .unwrap_err();
    assert!(matches!(err, WebError::Feed { .. }), "{err:?}");
    assert!(err.to_string().contains("/cut.xml"), "{err}");
}

#[tokio::test]
async fn a_windows_1252_feed_decodes_accented_names() {
    let server = FeedServer::start().await;
    let story = [
        "Kessington Albion's Jesús Navarro-Quiñones opened the scoring with a thunderous volley before half-time, and the visitors never looked back against a tired Drayfield side in front of a crowd of just over eleven thousand.",
        "Centre-back Lukas Müller, signed from Brême only last month, marshalled the defence superbly and even found time to head against the crossbar from a corner in the second half, much to the delight of the travelling supporters.",
        "\"Jesús was everywhere,\" said Albion's coach Françoise Lefèvre. \"I'm so proud of the group – this is a great day for the club and for our fans.\"",
    ];
    let items = vec![
        FeedEntry::new("w1", "Albion win at Drayfield — Müller superb")
            .content(paragraphs_html(&story)),
    ];
    let xml =
        rss("Le Journal du Café", &items).replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"");
    let (latin, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&xml);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&latin).is_err(), "really not UTF-8");
    server.set(
        "/latin.xml",
        Route::ok("application/rss+xml", latin.into_owned()),
    );
    server.set(
        "/cp1252.xml",
        Route::ok(
            "text/xml",
            encoding_rs::WINDOWS_1252
                .encode(&xml.replace("ISO-8859-1", "windows-1252"))
                .0
                .into_owned(),
        ),
    );
    for path in ["/latin.xml", "/cp1252.xml"] {
        let batch = reports(&fetcher(&server), &server.url(path)).await;
        assert!(batch.failures.is_empty(), "{:?}", batch.failures);
        let [r] = &batch.reports[..] else {
            panic!("{:?}", batch.reports)
        };
        assert_eq!(r.report.text, joined(&story), "{path}");
        assert_eq!(
            r.report.title.as_deref(),
            Some("Albion win at Drayfield — Müller superb")
        );
        assert_eq!(r.report.source.as_deref(), Some("Le Journal du Café"));
    }
}

#[tokio::test]
async fn a_page_without_an_article_is_an_error() {
    let server = FeedServer::start().await;
    server.set(
        "/home",
        Route::html(
            "<html><head><title>Test Gazette</title></head><body><nav><p>Home Scores Tables \
             Transfers</p></nav><div><p>Welcome to the Test Gazette.</p></div><footer><p>\
             Copyright and all the rest of the legal small print that nobody reads.</p></footer></body></html>",
        ),
    );
    server.set(
        "/pic.png",
        Route::ok("image/png", vec![0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0, 1]),
    );
    let f = fetcher(&server);
    for path in ["/home", "/pic.png"] {
        let err = fetch_reports(
            &f,
            &server.url(path),
            &Validators::default(),
            &never_seen,
            MAX_REPORT,
        )
        .await
        .unwrap_err();
        assert!(
            matches!(err, WebError::NotAnArticle { .. }),
            "{path}: {err:?}"
        );
    }
}

#[tokio::test]
async fn long_summaries_stand_in_when_there_is_no_article_to_fetch() {
    let server = FeedServer::start().await;
    server.set(
        "/teaser-page",
        Route::html("<html><body><p>Subscribe to read on.</p></body></html>"),
    );
    let items = vec![
        // The whole story in <description>, no link.
        FeedEntry::new("s1", "Rovers rout").summary(paragraphs_html(&RIVERSIDE)),
        // A link to a page with no article: the long summary is used.
        FeedEntry::new("s2", "Cray held")
            .link(server.url("/teaser-page"))
            .summary(paragraphs_html(&CRAY)),
        // A short summary and no link: nothing to report yet.
        FeedEntry::new("s3", "Brief").summary("Just a line."),
    ];
    server.set("/desc.xml", Route::rss(rss("Gazette", &items)));
    let batch = reports(&fetcher(&server), &server.url("/desc.xml")).await;
    let [a, b] = &batch.reports[..] else {
        panic!("{:?}", batch.reports)
    };
    assert_eq!(
        (a.key.as_str(), a.report.text.clone()),
        ("s1", joined(&RIVERSIDE))
    );
    assert_eq!(
        (b.key.as_str(), b.report.text.clone()),
        ("s2", joined(&CRAY))
    );
    assert_eq!(b.report.origin, Some(server.url("/teaser-page")));
    assert_eq!(server.hits("/teaser-page"), 1);
    let [(key, reason)] = &batch.failures[..] else {
        panic!("{:?}", batch.failures)
    };
    assert_eq!(key, "s3");
    assert!(reason.contains("no link"), "{reason}");
}
