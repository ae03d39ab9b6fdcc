//! RSS and Atom feeds, read with `feed-rs`, reduced to what a report needs: a stable
//! key per item (so a poller stores each item once), title, link, date and plain text.

use chrono::NaiveDate;

use super::html;

/// One item of a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedItem {
    /// Stable identity across polls: the guid or Atom id, else the link, else a hash of the title.
    pub key: String,
    pub title: Option<String>,
    /// The article's address, as given by the feed (may be relative to the feed's URL).
    pub link: Option<String>,
    pub published: Option<NaiveDate>,
    /// Plain text of the full content (content:encoded, Atom content), paragraphs separated by blank lines.
    pub text: Option<String>,
    /// Plain text of the summary (RSS description, Atom summary).
    pub summary: Option<String>,
}

/// A parsed feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed {
    pub title: Option<String>,
    pub items: Vec<FeedItem>,
}

/// Why bytes are not a feed.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error("not a readable RSS or Atom feed: {0}")]
    Parse(#[from] feed_rs::parser::ParseFeedError),
}

/// Marks keys that feed-rs had to invent, so we can apply our own fallback order.
const NO_ID: &str = "\u{0}touchline-no-id";

/// Parses RSS (0.9x, 1.0, 2.0) or Atom from raw bytes. The bytes are not decoded first:
/// the XML declaration's encoding (e.g. ISO-8859-1) is honoured by the parser.
/// Truncated or malformed XML is an error.
pub fn parse_feed(bytes: &[u8]) -> Result<Feed, FeedError> {
    let parser = feed_rs::parser::Builder::new()
        .id_generator(|_, _, _| NO_ID.to_string())
        .build();
    let feed = parser.parse(bytes)?;
    let items = feed.entries.into_iter().map(item).collect();
    Ok(Feed {
        title: feed
            .title
            .map(|t| normalise_line(&t.content))
            .filter(|t| !t.is_empty()),
        items,
    })
}

fn item(entry: feed_rs::model::Entry) -> FeedItem {
    let title = entry
        .title
        .as_ref()
        .map(|t| normalise_line(&html::fragment_text(&t.content)))
        .filter(|t| !t.is_empty());
    let link = entry
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or_else(|| entry.links.first())
        .map(|l| l.href.trim().to_string())
        .filter(|l| !l.is_empty());
    let id = entry.id.trim();
    let key = if !id.is_empty() && id != NO_ID {
        id.to_string()
    } else if let Some(link) = &link {
        link.clone()
    } else {
        let t = title.as_deref().unwrap_or_default();
        format!("title:{}", blake3::hash(t.as_bytes()).to_hex())
    };
    let published = entry.published.or(entry.updated).map(|d| d.date_naive());
    let text = entry
        .content
        .and_then(|c| c.body)
        .map(|b| html::fragment_text(&b))
        .filter(|t| !t.is_empty());
    let summary = entry
        .summary
        .map(|s| html::fragment_text(&s.content))
        .filter(|t| !t.is_empty());
    FeedItem {
        key,
        title,
        link,
        published,
        text,
        summary,
    }
}

fn normalise_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a response is a feed rather than a page. The body decides when it can: a
/// feed's root element (`<rss`, `<feed`, `<rdf:RDF`) makes a feed whatever the label
/// (servers send feeds as text/html or text/plain), and an HTML root or doctype makes a
/// page whatever the label (pages mislabelled `application/rss+xml`). Otherwise the
/// content type decides; JSON Feed is recognised by its content type only.
pub fn looks_like_feed(content_type: Option<&str>, bytes: &[u8]) -> bool {
    match root_element(bytes) {
        Some(name) if is_feed_root(&name) => return true,
        Some(name) if is_html_root(&name) => return false,
        _ => {}
    }
    let ct = content_type.unwrap_or_default().to_ascii_lowercase();
    ct.contains("rss") || ct.contains("atom") || ct.contains("feed+json")
}

/// Elements (or a doctype) that only start an HTML page, never a feed.
fn is_html_root(name: &str) -> bool {
    matches!(name, "!doctype html" | "html" | "head" | "body")
}

fn is_feed_root(name: &str) -> bool {
    matches!(name, "rss" | "feed" | "rdf:rdf" | "rdf")
}

/// The lower-cased name of the first element, skipping the XML declaration, comments and
/// processing instructions; an HTML doctype is `!doctype html` (other doctypes are
/// skipped). Looks at the first 4 KiB only.
fn root_element(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(4096)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let mut rest = head;
    loop {
        let start = rest.iter().position(|&b| b == b'<')?;
        rest = &rest[start + 1..];
        match rest.first()? {
            b'?' | b'!' => {
                let end = if rest.starts_with(b"!--") {
                    find(rest, b"-->")? + 3
                } else {
                    rest.iter().position(|&b| b == b'>')? + 1
                };
                let doctype: Vec<u8> = rest[..end - 1]
                    .split(|b| b.is_ascii_whitespace())
                    .filter(|w| !w.is_empty())
                    .take(2)
                    .flat_map(|w| w.iter().map(u8::to_ascii_lowercase).chain([b' ']))
                    .collect();
                if doctype == b"!doctype html " {
                    return Some("!doctype html".into());
                }
                rest = &rest[end..];
            }
            _ => {
                let name: String = rest
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'-' | b'_'))
                    .map(|&b| (b as char).to_ascii_lowercase())
                    .collect();
                return (!name.is_empty()).then_some(name);
            }
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title> Northfield   Gazette </title><link>https://example.org/</link>
<item><guid>g-1</guid><title>Harbour Town 2-1 Millbrook</title>
<link>https://example.org/a/1</link><pubDate>Tue, 13 Jan 2026 18:00:00 GMT</pubDate>
<description>Short &amp; sweet.</description>
<content:encoded><![CDATA[<p>First para &amp; more.</p><p>Second
 para.</p>]]></content:encoded></item>
<item><title>No guid</title><link>https://example.org/a/2</link></item>
<item><title>Only a title</title></item>
</channel></rss>"#;

    #[test]
    fn rss_items_have_keys_text_and_dates() {
        let feed = parse_feed(RSS.as_bytes()).unwrap();
        assert_eq!(feed.title.as_deref(), Some("Northfield Gazette"));
        let [a, b, c] = &feed.items[..] else {
            panic!("{:?}", feed.items)
        };
        assert_eq!(a.key, "g-1");
        assert_eq!(
            a.text.as_deref(),
            Some("First para & more.\n\nSecond para.")
        );
        assert_eq!(a.summary.as_deref(), Some("Short & sweet."));
        assert_eq!(a.published, NaiveDate::from_ymd_opt(2026, 1, 13));
        assert_eq!(b.key, "https://example.org/a/2");
        assert!(c.key.starts_with("title:"));
        assert_eq!(c.key, parse_feed(RSS.as_bytes()).unwrap().items[2].key);
    }

    #[test]
    fn truncated_xml_is_an_error() {
        let cut = &RSS[..RSS.find("<item><title>No guid").unwrap()];
        assert!(parse_feed(cut.as_bytes()).is_err());
        assert!(parse_feed(b"<html><body>hi</body></html>").is_err());
        assert!(parse_feed(b"").is_err());
    }

    #[test]
    fn feeds_are_told_from_pages() {
        assert!(looks_like_feed(Some("application/rss+xml"), b""));
        assert!(looks_like_feed(
            Some("application/atom+xml; charset=utf-8"),
            b""
        ));
        assert!(looks_like_feed(Some("text/xml"), RSS.as_bytes()));
        assert!(looks_like_feed(
            None,
            b"\xEF\xBB\xBF<?xml version=\"1.0\"?><!-- hi --><feed xmlns=\"x\"></feed>"
        ));
        assert!(!looks_like_feed(
            Some("text/html"),
            b"<!DOCTYPE html><html><body><p>x</p></body></html>"
        ));
        assert!(!looks_like_feed(None, b"plain words"));
    }

    #[test]
    fn a_page_labelled_as_a_feed_is_a_page() {
        for page in [
            "<!DOCTYPE html><html><body><p>x</p></body></html>",
            "\u{feff}<!doctype HTML>\n<html lang=en>",
            "<!-- served by x --><html><head><title>t</title></head>",
            "<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\">",
            "<head><meta charset=utf-8></head><body>",
        ] {
            assert!(
                !looks_like_feed(Some("application/rss+xml"), page.as_bytes()),
                "{page}"
            );
        }
        // A feed with a doctype of its own is still a feed; no body at all trusts the label.
        assert!(looks_like_feed(
            Some("text/html"),
            b"<!DOCTYPE rss PUBLIC \"-//Netscape//DTD RSS 0.91//EN\"><rss version=\"0.91\">"
        ));
        assert!(looks_like_feed(Some("application/atom+xml"), b"{}"));
    }
}
