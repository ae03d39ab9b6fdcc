//! Reading article pages: time against size for flat pages and for hostile nesting.
//!
//! `cargo bench --bench web_html` (release). Each line is one `html::article` (or
//! `html::fragment_text`) call on a 2 MiB stack, as the poller's; html5ever's own parse
//! of the whole page, without the depth cap, is shown beside it for the nested pages.
//! Linear means: ten times the input, about ten times the time.

use std::time::{Duration, Instant};

use touchline::ingest::html;

fn flat_page(bytes: usize) -> String {
    let para = "<p>Harbour Town came from behind to beat Millbrook Athletic 2-1 on Tuesday night, \
                with a header six minutes from time. \"We kept believing,\" said the manager.</p>\n";
    let mut page = String::from("<html><body><nav><p>menu</p></nav><article><h1>Report</h1>");
    while page.len() < bytes {
        page.push_str(para);
    }
    page + "</article></body></html>"
}

fn nested(open: &str, levels: usize) -> String {
    format!("<html><body>{}", open.repeat(levels))
}

fn time(f: impl FnOnce() + Send + 'static) -> Duration {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .unwrap()
        .join()
        .unwrap()
}

fn main() {
    println!(
        "{:<34} {:>10} {:>12} {:>16}",
        "page", "bytes", "article", "uncapped parse"
    );
    for kb in [10, 100, 1000] {
        let page = flat_page(kb * 1024);
        let len = page.len();
        let t = time(move || {
            html::article(page.as_bytes(), None).unwrap();
        });
        println!(
            "{:<34} {len:>10} {:>12.1?} {:>16}",
            format!("flat paragraphs {kb} KB"),
            t,
            ""
        );
    }
    for (name, open, levels) in [
        ("nested <span>", "<span>", 10_000usize),
        ("nested <span>", "<span>", 80_000),
        ("nested <div><p>", "<div><p>word word ", 1_000),
        ("nested <div><p>", "<div><p>word word ", 5_000),
        ("nested <div><p>", "<div><p>word word ", 20_000),
    ] {
        let page = nested(open, levels);
        let len = page.len();
        let copy = page.clone();
        let t = time(move || {
            let _ = html::article(page.as_bytes(), None);
        });
        let raw = time(move || {
            let _ = scraper::Html::parse_document(&copy);
        });
        println!(
            "{:<34} {len:>10} {:>12.1?} {:>16.1?}",
            format!("{name} x {levels}"),
            t,
            raw
        );
    }
    for levels in [10_000usize, 40_000] {
        let fragment = "<span><div>".repeat(levels);
        let len = fragment.len();
        let t = time(move || {
            let _ = html::fragment_text(&fragment);
        });
        println!(
            "{:<34} {len:>10} {:>12.1?}",
            format!("feed fragment <span><div> x {levels}"),
            t
        );
    }
}
