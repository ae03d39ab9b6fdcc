//! A web server on 127.0.0.1 that tests script: feeds, article pages, redirects, slow
//! or huge bodies, errors. Routes are set (and replaced) at any time with
//! [`FeedServer::set`]; every request is recorded with its headers.
//!
//! ```ignore
//! let server = FeedServer::start().await;
//! server.set("/a/1", Route::html(article_page("Title", Some(date), &paragraphs)));
//! let items = vec![FeedEntry::new("g1", "Title").link(server.url("/a/1")).date(date)];
//! server.set("/feed", Route::rss(rss("Gazette", &items)).etag("\"v1\""));
//! // ... later the feed gains a report:
//! server.set("/feed", Route::rss(rss("Gazette", &more_items)).etag("\"v2\""));
//! ```
//!
//! The fetcher refuses loopback addresses by default: tests set
//! `allow_private = ["127.0.0.1"]` (see [`FeedServer::fetch_config`]).

#![allow(dead_code)]

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, Uri};
use axum::response::Response;
use axum::Router;
use bytes::Bytes;
use chrono::NaiveDate;

/// What the server answers on one path.
#[derive(Debug, Clone)]
pub struct Route {
    pub status: u16,
    /// Response headers (content-type, etag, last-modified, location, ...).
    pub headers: Vec<(String, String)>,
    pub body: RouteBody,
    /// Wait this long before answering at all (for timeouts).
    pub delay: Duration,
}

/// A route's body.
#[derive(Debug, Clone)]
pub enum RouteBody {
    Bytes(Vec<u8>),
    /// `len` bytes of `b'x'`, streamed in `chunk`-byte pieces with `pause` between them;
    /// never allocated whole. With `declare_length` a Content-Length is sent, else the
    /// body is chunked.
    Generated {
        len: u64,
        chunk: usize,
        pause: Duration,
        declare_length: bool,
    },
}

impl Route {
    /// 200 with a body of the given content type.
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Route {
        Route {
            status: 200,
            headers: vec![("content-type".into(), content_type.into())],
            body: RouteBody::Bytes(body.into()),
            delay: Duration::ZERO,
        }
    }

    /// 200 `application/rss+xml`.
    pub fn rss(xml: impl Into<Vec<u8>>) -> Route {
        Route::ok("application/rss+xml", xml)
    }

    /// 200 `application/atom+xml`.
    pub fn atom(xml: impl Into<Vec<u8>>) -> Route {
        Route::ok("application/atom+xml", xml)
    }

    /// 200 `text/html; charset=utf-8`.
    pub fn html(page: impl Into<Vec<u8>>) -> Route {
        Route::ok("text/html; charset=utf-8", page)
    }

    /// An empty answer with this status (404, 500, ...).
    pub fn status(status: u16) -> Route {
        Route {
            status,
            headers: Vec::new(),
            body: RouteBody::Bytes(Vec::new()),
            delay: Duration::ZERO,
        }
    }

    /// A redirect (301, 302, 307, ...) to `location` (absolute or relative).
    pub fn redirect(status: u16, location: &str) -> Route {
        Route::status(status).header("location", location)
    }

    /// 200 with a generated body of `len` bytes, sent as fast as the client reads.
    pub fn generated(content_type: &str, len: u64) -> Route {
        Route {
            body: RouteBody::Generated {
                len,
                chunk: 64 * 1024,
                pause: Duration::ZERO,
                declare_length: false,
            },
            ..Route::ok(content_type, Vec::new())
        }
    }

    /// Streams a generated body slowly: `chunk` bytes, then `pause`, and so on.
    pub fn trickle(mut self, chunk: usize, pause: Duration) -> Route {
        if let RouteBody::Generated {
            chunk: c, pause: p, ..
        } = &mut self.body
        {
            *c = chunk.max(1);
            *p = pause;
        }
        self
    }

    /// Sends a Content-Length for a generated body.
    pub fn declare_length(mut self) -> Route {
        if let RouteBody::Generated { declare_length, .. } = &mut self.body {
            *declare_length = true;
        }
        self
    }

    /// Adds (or replaces) a response header.
    pub fn header(mut self, name: &str, value: &str) -> Route {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers
            .push((name.to_ascii_lowercase(), value.to_string()));
        self
    }

    /// An ETag; a request whose If-None-Match matches it gets 304.
    pub fn etag(self, etag: &str) -> Route {
        self.header("etag", etag)
    }

    /// A Last-Modified; a request whose If-Modified-Since equals it gets 304.
    pub fn last_modified(self, when: &str) -> Route {
        self.header("last-modified", when)
    }

    /// Waits this long before answering.
    pub fn delay(mut self, delay: Duration) -> Route {
        self.delay = delay;
        self
    }

    fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One request the server received.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// Header names are lower case.
    pub headers: Vec<(String, String)>,
}

impl Recorded {
    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct Inner {
    routes: Mutex<HashMap<String, Route>>,
    requests: Mutex<HashMap<String, Vec<Recorded>>>,
}

/// The running server; stops when dropped.
pub struct FeedServer {
    addr: SocketAddr,
    inner: Arc<Inner>,
    task: tokio::task::JoinHandle<()>,
}

impl FeedServer {
    /// Binds 127.0.0.1 on a free port and serves until dropped. Unknown paths are 404.
    pub async fn start() -> FeedServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local addr");
        let inner = Arc::new(Inner::default());
        let app = Router::new()
            .fallback(answer)
            .with_state(Arc::clone(&inner));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FeedServer { addr, inner, task }
    }

    /// `http://127.0.0.1:PORT` followed by `path` (which starts with `/`, query allowed).
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Serves `route` on `path` (path and query, exactly as requested), replacing any before.
    pub fn set(&self, path: &str, route: Route) {
        self.inner
            .routes
            .lock()
            .unwrap()
            .insert(path.to_string(), route);
    }

    /// Requests received on `path`.
    pub fn hits(&self, path: &str) -> usize {
        self.requests(path).len()
    }

    /// The requests received on `path`, oldest first.
    pub fn requests(&self, path: &str) -> Vec<Recorded> {
        self.inner
            .requests
            .lock()
            .unwrap()
            .get(path)
            .cloned()
            .unwrap_or_default()
    }

    /// A fetch configuration that may reach this server, with a short timeout.
    pub fn fetch_config(&self) -> touchline::ingest::fetch::FetchConfig {
        touchline::ingest::fetch::FetchConfig {
            allow_private: vec!["127.0.0.1".into()],
            timeout_secs: 5,
            ..Default::default()
        }
    }
}

impl Drop for FeedServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn answer(State(inner): State<Arc<Inner>>, uri: Uri, headers: HeaderMap) -> Response {
    let path = uri
        .path_and_query()
        .map_or(uri.path(), |pq| pq.as_str())
        .to_string();
    let recorded = Recorded {
        headers: headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
    };
    let route = inner.routes.lock().unwrap().get(&path).cloned();
    inner
        .requests
        .lock()
        .unwrap()
        .entry(path)
        .or_default()
        .push(recorded.clone());
    let Some(route) = route else {
        return plain(StatusCode::NOT_FOUND, Body::from("no such route"));
    };
    if !route.delay.is_zero() {
        tokio::time::sleep(route.delay).await;
    }
    if not_modified(&route, &recorded) {
        let mut response = plain(StatusCode::NOT_MODIFIED, Body::empty());
        for name in ["etag", "last-modified"] {
            if let Some(v) = route.header_value(name) {
                insert(response.headers_mut(), name, v);
            }
        }
        return response;
    }
    let status = StatusCode::from_u16(route.status).expect("a valid status");
    let declared = match &route.body {
        RouteBody::Generated {
            len,
            declare_length: true,
            ..
        } => Some(*len),
        _ => None,
    };
    let body = match route.body {
        RouteBody::Bytes(bytes) => Body::from(bytes),
        RouteBody::Generated {
            len, chunk, pause, ..
        } => generated(len, chunk, pause),
    };
    let mut response = plain(status, body);
    for (name, value) in &route.headers {
        insert(response.headers_mut(), name, value);
    }
    if let Some(len) = declared {
        insert(response.headers_mut(), "content-length", &len.to_string());
    }
    response
}

fn not_modified(route: &Route, request: &Recorded) -> bool {
    let etag_match = match (route.header_value("etag"), request.header("if-none-match")) {
        (Some(etag), Some(asked)) => asked
            .split(',')
            .map(str::trim)
            .any(|a| a == "*" || a == etag || a.trim_start_matches("W/") == etag),
        _ => false,
    };
    let date_match = match (
        route.header_value("last-modified"),
        request.header("if-modified-since"),
    ) {
        (Some(when), Some(asked)) => when == asked,
        _ => false,
    };
    etag_match || (request.header("if-none-match").is_none() && date_match)
}

fn plain(status: StatusCode, body: Body) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response
}

fn insert(headers: &mut HeaderMap, name: &str, value: &str) {
    headers.insert(
        HeaderName::from_bytes(name.as_bytes()).expect("a valid header name"),
        HeaderValue::from_str(value).expect("a valid header value"),
    );
}

/// `len` bytes of `x` in `chunk`-sized pieces, the same buffer shared by every piece.
fn generated(len: u64, chunk: usize, pause: Duration) -> Body {
    let piece = Bytes::from(vec![b'x'; chunk]);
    let stream = futures_util::stream::unfold(0u64, move |sent| {
        let piece = piece.clone();
        async move {
            if sent >= len {
                return None;
            }
            if sent > 0 && !pause.is_zero() {
                tokio::time::sleep(pause).await;
            }
            let n = (len - sent).min(piece.len() as u64) as usize;
            Some((Ok::<_, Infallible>(piece.slice(..n)), sent + n as u64))
        }
    });
    Body::from_stream(stream)
}

/// One item of a test feed.
#[derive(Debug, Clone, Default)]
pub struct FeedEntry {
    /// RSS guid / Atom id; omitted from the document when None.
    pub guid: Option<String>,
    pub title: String,
    pub link: Option<String>,
    pub date: Option<NaiveDate>,
    /// Full content (HTML): RSS content:encoded, Atom content.
    pub content: Option<String>,
    /// Summary (HTML): RSS description, Atom summary.
    pub summary: Option<String>,
}

impl FeedEntry {
    pub fn new(guid: &str, title: &str) -> FeedEntry {
        FeedEntry {
            guid: Some(guid.to_string()),
            title: title.to_string(),
            ..FeedEntry::default()
        }
    }
    pub fn link(mut self, link: impl Into<String>) -> FeedEntry {
        self.link = Some(link.into());
        self
    }
    pub fn date(mut self, date: NaiveDate) -> FeedEntry {
        self.date = Some(date);
        self
    }
    pub fn content(mut self, html: impl Into<String>) -> FeedEntry {
        self.content = Some(html.into());
        self
    }
    pub fn summary(mut self, html: impl Into<String>) -> FeedEntry {
        self.summary = Some(html.into());
        self
    }
}

/// Escapes text for XML character data and attribute values.
pub fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// An RSS 2.0 document (UTF-8) with content:encoded for full content.
pub fn rss(title: &str, entries: &[FeedEntry]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" \
         xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n<channel>\n",
    );
    out += &format!(
        "<title>{}</title>\n<link>http://127.0.0.1/</link>\n<description>Test feed</description>\n",
        xml_escape(title)
    );
    for e in entries {
        out += "<item>\n";
        if let Some(guid) = &e.guid {
            out += &format!("<guid isPermaLink=\"false\">{}</guid>\n", xml_escape(guid));
        }
        out += &format!("<title>{}</title>\n", xml_escape(&e.title));
        if let Some(link) = &e.link {
            out += &format!("<link>{}</link>\n", xml_escape(link));
        }
        if let Some(date) = e.date {
            out += &format!(
                "<pubDate>{}</pubDate>\n",
                date.format("%a, %d %b %Y 18:00:00 GMT")
            );
        }
        if let Some(summary) = &e.summary {
            out += &format!("<description>{}</description>\n", xml_escape(summary));
        }
        if let Some(content) = &e.content {
            out += &format!(
                "<content:encoded>{}</content:encoded>\n",
                xml_escape(content)
            );
        }
        out += "</item>\n";
    }
    out += "</channel>\n</rss>\n";
    out
}

/// An Atom 1.0 document (UTF-8); content and summary are `type="html"`.
pub fn atom(title: &str, entries: &[FeedEntry]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n",
    );
    out += &format!(
        "<title>{}</title>\n<id>urn:touchline:test-feed</id>\n<updated>2026-01-01T00:00:00Z</updated>\n",
        xml_escape(title)
    );
    for e in entries {
        out += "<entry>\n";
        if let Some(guid) = &e.guid {
            out += &format!("<id>{}</id>\n", xml_escape(guid));
        }
        out += &format!("<title>{}</title>\n", xml_escape(&e.title));
        if let Some(link) = &e.link {
            out += &format!("<link rel=\"alternate\" href=\"{}\"/>\n", xml_escape(link));
        }
        if let Some(date) = e.date {
            let stamp = date.format("%Y-%m-%dT18:00:00Z");
            out += &format!("<published>{stamp}</published>\n<updated>{stamp}</updated>\n");
        }
        if let Some(summary) = &e.summary {
            out += &format!("<summary type=\"html\">{}</summary>\n", xml_escape(summary));
        }
        if let Some(content) = &e.content {
            out += &format!("<content type=\"html\">{}</content>\n", xml_escape(content));
        }
        out += "</entry>\n";
    }
    out += "</feed>\n";
    out
}

/// Paragraphs as HTML (`<p>` each, text escaped), for feed content.
pub fn paragraphs_html(paragraphs: &[&str]) -> String {
    paragraphs
        .iter()
        .map(|p| format!("<p>{}</p>", xml_escape(p)))
        .collect()
}

/// A news article page: the paragraphs inside `<article>`, surrounded by a menu, a
/// sidebar of links and a footer that must not end up in the report.
pub fn article_page(title: &str, date: Option<NaiveDate>, paragraphs: &[&str]) -> String {
    let date_meta = date.map_or(String::new(), |d| {
        format!(
            "<meta property=\"article:published_time\" content=\"{}T17:30:00Z\">",
            d.format("%Y-%m-%d")
        )
    });
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{t} | Test Gazette</title>{date_meta}</head>\n\
         <body><header><nav><ul><li><a href=\"/\">Home</a></li><li><a href=\"/scores\">Scores</a></li></ul>\
         <p>Menu: fixtures, results, tables, transfers, podcasts and newsletters.</p></nav></header>\n\
         <main><article><h1>{t}</h1>\n{body}\n</article>\n\
         <aside><p>Most read: a long list of unrelated stories that readers clicked on this week.</p></aside></main>\n\
         <footer><p>Copyright Test Gazette. All rights reserved. Terms, privacy, cookies and contact details.</p></footer>\
         <script>window.tracking = \"<p>not text</p>\";</script></body></html>\n",
        t = xml_escape(title),
        body = paragraphs_html(paragraphs),
    )
}
