//! Reports from the web: a feed URL gives one report per new item, a page URL one
//! report. This is what a poller (or `touchline ingest URL`) calls; storing the reports
//! and remembering keys and validators is the caller's business.

use std::collections::HashSet;

use futures_util::{stream, StreamExt};
use tokio::time::{timeout_at, Instant};
use url::Url;

use super::feed::{self, FeedError, FeedItem};
use super::fetch::{FetchError, Fetched, Fetcher, Validators};
use super::html::{self, HtmlError};
use crate::corpus::NewReport;

/// An item's own text is used when it has at least this many words; shorter items
/// (summaries, teasers) have their article page fetched instead.
pub const MIN_ITEM_WORDS: usize = 80;

/// Article pages of one feed fetched at once: a few, to be quick without hammering a site.
const ITEM_CONCURRENCY: usize = 4;

/// A report and the key it is known by.
#[derive(Debug, Clone)]
pub struct WebReport {
    /// The feed item's key, or the page URL as given.
    pub key: String,
    /// Text is the article text; origin is the article's final URL.
    pub report: NewReport,
}

/// What one fetch of a URL gave.
#[derive(Debug, Clone, Default)]
pub struct WebBatch {
    pub reports: Vec<WebReport>,
    /// Items (by key) that could not be made into reports, and why; retried next time.
    pub failures: Vec<(String, String)>,
    /// Validators for the next conditional GET of the URL. Empty when some item failed
    /// or was deferred, so the next poll reads the feed again (a 304 would hide them).
    pub validators: Validators,
    /// The server answered 304: nothing changed since `validators` were taken.
    pub not_modified: bool,
    /// Items (by key) not reached before the deadline: neither taken nor failed, left
    /// for the next poll (validators are empty then too).
    pub deferred: Vec<String>,
}

/// Why a URL gave no reports at all.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error("{url}: {source}")]
    Feed {
        url: String,
        #[source]
        source: FeedError,
    },
    #[error("{url}: neither a feed nor an article page: {source}")]
    NotAnArticle {
        url: String,
        #[source]
        source: HtmlError,
    },
    #[error("{url}: the report is {size} bytes, over the limit of {limit} bytes (ingest.max_report_bytes)")]
    TooLarge { url: String, size: u64, limit: u64 },
}

/// Fetches `url`; a feed yields one report per item whose key `seen` does not know (item
/// text used when it has at least [`MIN_ITEM_WORDS`] words, else the item's link is fetched
/// and its article extracted; a failing item goes to `failures` and is not returned, so
/// the caller retries it next time); an HTML page yields one report. Errors only when
/// the URL itself cannot be fetched or is neither a feed nor an article.
pub async fn fetch_reports(
    fetcher: &Fetcher,
    url: &str,
    validators: &Validators,
    seen: &(dyn Fn(&str) -> bool + Send + Sync),
    max_report_bytes: u64,
) -> Result<WebBatch, WebError> {
    fetch_reports_until(fetcher, url, validators, seen, max_report_bytes, None).await
}

/// [`fetch_reports`] bounded by `deadline`: items whose article page is not read by then
/// are cut off and listed in `deferred` (a feed of many slow pages, each under the
/// per-request timeout, would otherwise hold a poll for as long as they add up to).
/// The feed itself is bounded by the per-request timeout alone.
pub async fn fetch_reports_until(
    fetcher: &Fetcher,
    url: &str,
    validators: &Validators,
    seen: &(dyn Fn(&str) -> bool + Send + Sync),
    max_report_bytes: u64,
    deadline: Option<Instant>,
) -> Result<WebBatch, WebError> {
    let page = match fetcher.get(url, validators).await? {
        Fetched::NotModified => {
            return Ok(WebBatch {
                validators: validators.clone(),
                not_modified: true,
                ..WebBatch::default()
            })
        }
        Fetched::Page(page) => page,
    };
    let mut batch = WebBatch {
        validators: page.validators.clone(),
        ..WebBatch::default()
    };
    let content_type = page.content_type.as_deref();
    if !feed::looks_like_feed(content_type, &page.bytes) {
        let article =
            html::article(&page.bytes, content_type).map_err(|source| WebError::NotAnArticle {
                url: page.url.clone(),
                source,
            })?;
        let report = NewReport {
            text: article.text,
            title: article.title,
            source: site(&page.url),
            published: article.published,
            competition: None,
            origin: Some(page.url.clone()),
        };
        let size = report.text.len() as u64;
        if size > max_report_bytes {
            return Err(WebError::TooLarge {
                url: page.url,
                size,
                limit: max_report_bytes,
            });
        }
        batch.reports.push(WebReport {
            key: url.to_string(),
            report,
        });
        return Ok(batch);
    }

    let parsed = feed::parse_feed(&page.bytes).map_err(|source| WebError::Feed {
        url: page.url.clone(),
        source,
    })?;
    let base = Url::parse(&page.url).ok();
    let source = parsed.title.clone().or_else(|| site(&page.url));
    let mut keys = HashSet::new();
    let fresh: Vec<FeedItem> = parsed
        .items
        .into_iter()
        .filter(|item| !seen(&item.key) && keys.insert(item.key.clone()))
        .collect();
    let ctx = ItemContext {
        fetcher,
        base: base.as_ref(),
        feed_url: &page.url,
        source: source.as_deref(),
        max_report_bytes,
    };
    // Unordered, so one slow page does not hold up the items behind it; put back in
    // feed order afterwards.
    // (feed position, key, the item's outcome or None when cut off by the deadline)
    type Outcome = (usize, String, Option<Result<NewReport, String>>);
    let mut results: Vec<Outcome> = stream::iter(fresh.into_iter().enumerate())
        .map(|(at, item)| {
            let ctx = &ctx;
            async move {
                let key = item.key.clone();
                let report = match deadline {
                    None => Some(ctx.report(item).await),
                    Some(deadline) => timeout_at(deadline, ctx.report(item)).await.ok(),
                };
                (at, key, report)
            }
        })
        .buffer_unordered(ITEM_CONCURRENCY)
        .collect()
        .await;
    results.sort_by_key(|(at, ..)| *at);
    for (_, key, result) in results {
        match result {
            Some(Ok(report)) => batch.reports.push(WebReport { key, report }),
            Some(Err(reason)) => {
                tracing::debug!(%key, %reason, "feed item not taken");
                batch.failures.push((key, reason));
            }
            None => batch.deferred.push(key),
        }
    }
    if !batch.failures.is_empty() || !batch.deferred.is_empty() {
        batch.validators = Validators::default();
    }
    Ok(batch)
}

struct ItemContext<'a> {
    fetcher: &'a Fetcher,
    base: Option<&'a Url>,
    feed_url: &'a str,
    source: Option<&'a str>,
    max_report_bytes: u64,
}

impl ItemContext<'_> {
    /// One item as a report: its own text when long enough, else its article page. A long
    /// summary stands in for the text when there is no link, or when the linked page
    /// holds no article (feeds that put the whole story in `<description>`).
    async fn report(&self, item: FeedItem) -> Result<NewReport, String> {
        let link = match item.link.as_deref() {
            None => None,
            Some(l) => Some(match self.base {
                Some(base) => base
                    .join(l)
                    .map(String::from)
                    .map_err(|e| format!("{l}: {e}"))?,
                None => l.to_string(),
            }),
        };
        let long = |t: &&String| t.split_whitespace().count() >= MIN_ITEM_WORDS;
        let long_summary = item.summary.as_ref().filter(long);
        let own_text = item
            .text
            .as_ref()
            .filter(long)
            .or(long_summary.filter(|_| link.is_none()));
        let from_item = |text: &String, origin: String| NewReport {
            text: text.clone(),
            title: item.title.clone(),
            source: self.source.map(str::to_string),
            published: item.published,
            competition: None,
            origin: Some(origin),
        };
        let report = match (own_text, link) {
            (Some(text), link) => from_item(text, link.unwrap_or_else(|| self.feed_url.into())),
            (None, None) => {
                return Err(format!(
                    "the item has under {MIN_ITEM_WORDS} words of text and no link"
                ))
            }
            (None, Some(link)) => {
                let page = match self.fetcher.get(&link, &Validators::default()).await {
                    Ok(Fetched::Page(page)) => page,
                    Ok(Fetched::NotModified) => {
                        return Err(format!("{link}: 304 Not Modified to an unconditional GET"))
                    }
                    Err(e) => return Err(e.to_string()),
                };
                match html::article(&page.bytes, page.content_type.as_deref()) {
                    Ok(article) => NewReport {
                        text: article.text,
                        title: item.title.clone().or(article.title),
                        source: self.source.map(str::to_string),
                        published: item.published.or(article.published),
                        competition: None,
                        origin: Some(page.url),
                    },
                    Err(_) if long_summary.is_some() => {
                        from_item(long_summary.expect("checked"), page.url)
                    }
                    Err(e) => return Err(format!("{}: {e}", page.url)),
                }
            }
        };
        let size = report.text.len() as u64;
        if size > self.max_report_bytes {
            return Err(format!(
                "the report is {size} bytes, over the limit of {} bytes (ingest.max_report_bytes)",
                self.max_report_bytes
            ));
        }
        Ok(report)
    }
}

/// The site's host name without `www.`, as a source when nothing better is known.
fn site(url: &str) -> Option<String> {
    let url = Url::parse(url).ok()?;
    let host = url.host_str()?;
    Some(host.strip_prefix("www.").unwrap_or(host).to_string())
}
