//! Article pages to report text: the paragraphs of the main content, without the
//! navigation, asides, scripts and footers around them. Parsing is html5ever's (via
//! `scraper`), so broken markup and entities are handled as a browser would.

use chrono::NaiveDate;
use ego_tree::NodeRef;
use encoding_rs::Encoding;
use scraper::{ElementRef, Html, Node, Selector};

use super::decode;
use super::html_parse::{parse_document, parse_fragment};
use super::RejectReason;

/// Fewer words of paragraph text than this and a page is not taken for an article.
pub const MIN_ARTICLE_WORDS: usize = 40;

/// An article's text and metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    pub title: Option<String>,
    /// Paragraphs joined by blank lines, whitespace normalised, entities decoded.
    pub text: String,
    pub published: Option<NaiveDate>,
}

/// Why a page gave no article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HtmlError {
    #[error("the page is not text: {0}")]
    NotText(RejectReason),
    #[error("no article on the page (under {MIN_ARTICLE_WORDS} words of paragraph text)")]
    NoArticle,
}

/// Elements whose paragraphs are never article text.
const DROPPED: &[&str] = &[
    "nav", "footer", "aside", "script", "style", "noscript", "form", "template", "figure",
    "header", "menu", "dialog", "svg", "iframe", "button", "select",
];

/// Class or id words that mark page furniture rather than the story.
const FURNITURE: &[&str] = &[
    "comment",
    "comments",
    "related",
    "share",
    "sharing",
    "social",
    "newsletter",
    "promo",
    "advert",
    "ad",
    "ads",
    "cookie",
    "cookies",
    "subscribe",
    "sidebar",
    "breadcrumb",
    "breadcrumbs",
    "footer",
    "nav",
    "menu",
    "byline",
];

/// Main text of an article page: paragraphs (`<p>`) of the main content (preferring
/// `[itemprop=articleBody]`, then `<article>`, else the container with the most paragraph
/// text), furniture dropped, paragraphs joined by blank lines, whitespace normalised,
/// entities decoded. Charset from the content type, then `<meta charset>`, else
/// UTF-8-or-Windows-1252.
pub fn article(bytes: &[u8], content_type: Option<&str>) -> Result<Article, HtmlError> {
    let source = decode_html(bytes, content_type)?;
    let doc = parse_document(&source);
    let outline = Outline::new(&doc);
    let paragraphs = main_paragraphs(&outline);
    let words: usize = paragraphs.iter().map(|p| word_count(p)).sum();
    if words < MIN_ARTICLE_WORDS {
        return Err(HtmlError::NoArticle);
    }
    Ok(Article {
        title: title(&doc, &outline),
        text: paragraphs.join("\n\n"),
        published: published(&doc),
    })
}

/// Plain text of an HTML fragment (feed content): block elements and `<br>` break
/// paragraphs, joined by blank lines. Text without tags keeps its blank-line paragraphs.
pub fn fragment_text(fragment: &str) -> String {
    if !has_tag(fragment) {
        let unescaped = if fragment.contains('&') {
            let doc = parse_fragment(fragment);
            doc.root_element().text().collect::<String>()
        } else {
            fragment.to_string()
        };
        return unescaped
            .replace("\r\n", "\n")
            .split("\n\n")
            .map(normalise)
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n");
    }
    let doc = parse_fragment(fragment);
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    collect_blocks(*doc.root_element(), &mut current, &mut paragraphs);
    flush(&mut current, &mut paragraphs);
    paragraphs.join("\n\n")
}

fn has_tag(s: &str) -> bool {
    s.as_bytes()
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/' || w[1] == b'!'))
}

/// Text into paragraphs, block by block: an explicit stack instead of recursion, so deep
/// nesting cannot overflow the stack; elements below [`MAX_DEPTH`] are not read.
fn collect_blocks(root: ego_tree::NodeRef<'_, Node>, current: &mut String, out: &mut Vec<String>) {
    enum Step<'a> {
        Enter(ego_tree::NodeRef<'a, Node>, usize),
        Leave { block: bool },
    }
    let mut stack: Vec<Step<'_>> = root.children().rev().map(|c| Step::Enter(c, 1)).collect();
    while let Some(step) = stack.pop() {
        let (node, depth) = match step {
            Step::Leave { block: true } => {
                flush(current, out);
                continue;
            }
            Step::Leave { block: false } => {
                current.push(' ');
                continue;
            }
            Step::Enter(node, depth) => (node, depth),
        };
        match node.value() {
            Node::Text(t) => current.push_str(t),
            Node::Element(e) => {
                let name = e.name();
                if DROPPED.contains(&name) && name != "header" && name != "figure" {
                    continue;
                }
                if name == "br" {
                    flush(current, out);
                    continue;
                }
                let block = is_block(name);
                if block {
                    flush(current, out);
                }
                stack.push(Step::Leave { block });
                if depth < MAX_DEPTH {
                    stack.extend(node.children().rev().map(|c| Step::Enter(c, depth + 1)));
                }
            }
            _ => {}
        }
    }
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "blockquote"
            | "li"
            | "ul"
            | "ol"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "pre"
            | "table"
            | "tr"
            | "hr"
            | "header"
            | "figure"
            | "figcaption"
            | "dd"
            | "dt"
    )
}

fn flush(current: &mut String, out: &mut Vec<String>) {
    let p = normalise(current);
    if !p.is_empty() {
        out.push(p);
    }
    current.clear();
}

fn normalise(s: &str) -> String {
    // Inline elements get a space pushed after them; punctuation must not drift.
    let joined = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(joined.len());
    let mut chars = joined.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' '
            && chars
                .peek()
                .is_some_and(|n| matches!(n, ',' | '.' | ';' | ':' | '!' | '?'))
        {
            continue;
        }
        out.push(c);
    }
    out
}

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

/// Decodes with the declared charset, else the `<meta>` one, else UTF-8-or-Windows-1252.
fn decode_html(bytes: &[u8], content_type: Option<&str>) -> Result<String, HtmlError> {
    let declared = content_type
        .and_then(charset_param)
        .or_else(|| meta_charset(bytes))
        .and_then(|label| Encoding::for_label(label.as_bytes()));
    match declared {
        // UTF-16 labels in a meta tag are a lie by the HTML standard; BOMs still win in decode().
        Some(enc) if enc != encoding_rs::UTF_16LE && enc != encoding_rs::UTF_16BE => {
            if bytes.is_empty() {
                return Err(HtmlError::NotText(RejectReason::Empty));
            }
            Ok(enc.decode(bytes).0.into_owned())
        }
        _ => decode::decode(bytes).map_err(HtmlError::NotText),
    }
}

fn charset_param(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(['"', '\'']).to_string())
    })
}

/// `<meta charset=...>` or an http-equiv content type in the first 4 KiB.
fn meta_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(at) = find(&lower[from..], b"<meta") {
        let start = from + at;
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(c) = find(tag, b"charset=") {
            let value: String = tag[c + 8..]
                .iter()
                .skip_while(|b| matches!(b, b'"' | b'\'' | b' '))
                .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
                .map(|&b| b as char)
                .collect();
            if !value.is_empty() {
                return Some(value);
            }
        }
        from = end;
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("a valid built-in selector")
}

/// Elements nested deeper than this are not read: no article is that deep, and a hostile
/// page of nested tags must cost no more than a flat one (browsers' parsers cap DOM depth at
/// 512 levels as well).
pub const MAX_DEPTH: usize = 512;

/// One element of the page, in document order, with what the article search needs.
struct Entry<'a> {
    el: ElementRef<'a>,
    /// Index of the parent element's entry.
    parent: Option<usize>,
    /// Entries in this element's subtree, itself included (its descendants follow it).
    size: usize,
    /// The element itself is furniture (see [`is_furniture`]).
    furniture: bool,
    /// The element or one of its ancestors is furniture.
    in_furniture: bool,
    /// For a `<p>`: the text it holds itself (nested paragraphs hold their own).
    text: Option<String>,
    /// Some non-blank text sits in the element's subtree.
    has_text: bool,
}

/// The page's elements down to [`MAX_DEPTH`], built by one iterative walk (no recursion,
/// so nesting cannot overflow the stack) and summed up bottom-up in one more pass.
struct Outline<'a> {
    entries: Vec<Entry<'a>>,
}

impl<'a> Outline<'a> {
    fn new(doc: &'a Html) -> Outline<'a> {
        let mut entries: Vec<Entry<'a>> = Vec::new();
        // (node, parent entry, depth, paragraph collecting its text)
        type Visit<'a> = (NodeRef<'a, Node>, Option<usize>, usize, Option<usize>);
        let mut stack: Vec<Visit<'a>> = vec![(doc.tree.root(), None, 0, None)];
        while let Some((node, parent, depth, para)) = stack.pop() {
            let (me, para) = match node.value() {
                Node::Text(t) => {
                    if let Some(p) = para {
                        entries[p].text.get_or_insert_with(String::new).push_str(t);
                    }
                    if let Some(parent) = parent {
                        entries[parent].has_text |= !t.trim().is_empty();
                    }
                    continue;
                }
                Node::Element(e) => {
                    let el = ElementRef::wrap(node).expect("an element node");
                    let furniture = is_furniture(el);
                    let in_furniture =
                        furniture || parent.is_some_and(|i: usize| entries[i].in_furniture);
                    let index = entries.len();
                    let para = match e.name() {
                        "p" => Some(index),
                        "script" | "style" | "noscript" | "template" => None,
                        "br" => {
                            if let Some(p) = para {
                                entries[p].text.get_or_insert_with(String::new).push(' ');
                            }
                            para
                        }
                        _ => para,
                    };
                    entries.push(Entry {
                        el,
                        parent,
                        size: 1,
                        furniture,
                        in_furniture,
                        text: (e.name() == "p").then(String::new),
                        has_text: false,
                    });
                    (Some(index), para)
                }
                Node::Document | Node::Fragment => (parent, para),
                _ => continue,
            };
            if depth < MAX_DEPTH {
                for child in node.children().rev() {
                    stack.push((child, me, depth + 1, para));
                }
            }
        }
        // Children come after their parent: one backward pass sums subtrees.
        for i in (0..entries.len()).rev() {
            if let Some(parent) = entries[i].parent {
                entries[parent].size += entries[i].size;
                entries[parent].has_text |= entries[i].has_text;
            }
        }
        for entry in &mut entries {
            if let Some(text) = &mut entry.text {
                *text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            }
        }
        Outline { entries }
    }

    fn words(&self, i: usize) -> usize {
        self.entries[i].text.as_deref().map_or(0, word_count)
    }

    /// Words of paragraph text each element holds with no furniture between the
    /// paragraph and the element (the paragraph itself included, the element not).
    fn clean_words(&self) -> Vec<usize> {
        // Words that reach each element's parent through it.
        let mut up: Vec<usize> = (0..self.entries.len()).map(|i| self.words(i)).collect();
        let mut held = vec![0usize; self.entries.len()];
        for i in (0..self.entries.len()).rev() {
            if self.entries[i].furniture {
                up[i] = 0;
            }
            if let Some(parent) = self.entries[i].parent {
                held[parent] += up[i];
                up[parent] += up[i];
            }
        }
        held
    }

    /// The non-empty paragraphs inside entry `i`, furniture below it skipped.
    fn paragraphs_in(&self, i: usize) -> Vec<String> {
        let mut out = Vec::new();
        let end = i + self.entries[i].size;
        let mut j = i + 1;
        while j < end {
            let entry = &self.entries[j];
            if entry.furniture {
                j += entry.size;
                continue;
            }
            if let Some(text) = entry.text.as_ref().filter(|t| !t.is_empty()) {
                out.push(text.clone());
            }
            j += 1;
        }
        out
    }
}

/// The paragraphs of the main content, by the first strategy that yields an article.
/// Linear in the page's size, whatever its nesting.
fn main_paragraphs(outline: &Outline<'_>) -> Vec<String> {
    let candidates = [
        selector("[itemprop=articleBody]"),
        selector("article"),
        selector("main, [role=main]"),
    ];
    let held = outline.clean_words();
    for sel in &candidates {
        // The last of equally full candidates, as before (the innermost when nested).
        let best = (0..outline.entries.len())
            .filter(|&i| sel.matches(&outline.entries[i].el))
            .max_by_key(|&i| held[i]);
        if let Some(best) = best.filter(|&i| held[i] >= MIN_ARTICLE_WORDS) {
            return outline.paragraphs_in(best);
        }
    }
    // No marked-up article: the element whose paragraphs (children, and half of
    // grandchildren) hold the most words; the earliest of equals.
    let mut score = vec![0usize; outline.entries.len()];
    for (i, entry) in outline.entries.iter().enumerate() {
        if entry.text.is_none() || entry.in_furniture {
            continue;
        }
        let words = outline.words(i);
        if let Some(parent) = entry.parent {
            score[parent] += words * 2;
            if let Some(grand) = outline.entries[parent].parent {
                score[grand] += words;
            }
        }
    }
    let best = (0..score.len())
        .filter(|&i| score[i] > 0)
        .max_by_key(|&i| (score[i], std::cmp::Reverse(i)));
    best.map(|i| outline.paragraphs_in(i)).unwrap_or_default()
}

fn is_furniture(el: ElementRef<'_>) -> bool {
    let e = el.value();
    if DROPPED.contains(&e.name()) {
        return true;
    }
    let words = e
        .attr("class")
        .into_iter()
        .chain(e.attr("id"))
        .flat_map(|v| v.split(|c: char| c.is_whitespace() || c == '-' || c == '_'))
        .map(str::to_ascii_lowercase);
    let furniture = words.into_iter().any(|w| FURNITURE.contains(&w.as_str()));
    furniture || e.attr("aria-hidden") == Some("true") || e.attr("hidden").is_some()
}

/// The og/twitter title, else the first `<h1>` with text, else `<title>`.
fn title(doc: &Html, outline: &Outline<'_>) -> Option<String> {
    let meta = selector(r#"meta[property="og:title"], meta[name="twitter:title"]"#);
    let from_meta = doc.select(&meta).find_map(|m| m.value().attr("content"));
    let title = selector("title");
    // Only the first heading with text is read: nested blank headings cost nothing.
    let h1 = outline
        .entries
        .iter()
        .find(|e| e.has_text && e.el.value().name() == "h1")
        .map(|e| e.el.text().collect::<String>());
    from_meta
        .map(str::to_string)
        .into_iter()
        .chain(h1)
        .chain(doc.select(&title).map(|e| e.text().collect::<String>()))
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .find(|t| !t.is_empty())
}

fn published(doc: &Html) -> Option<NaiveDate> {
    let sel = selector(
        r#"meta[property="article:published_time"], meta[itemprop="datePublished"],
           [itemprop="datePublished"], meta[name="date"], meta[name="pubdate"],
           meta[property="og:published_time"], time[datetime]"#,
    );
    doc.select(&sel)
        .filter_map(|e| {
            let v = e.value();
            v.attr("content").or(v.attr("datetime"))
        })
        .find_map(parse_date)
}

/// A date from ISO 8601 (`2026-01-14`, `2026-01-14T18:00:00Z`) or RFC 2822.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    s.get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .or_else(|| {
            chrono::DateTime::parse_from_rfc2822(s)
                .ok()
                .map(|d| d.date_naive())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(n: usize, word: &str) -> String {
        vec![word; n].join(" ")
    }

    #[test]
    fn the_article_element_wins_over_the_furniture() {
        let page = format!(
            r#"<html><head><title>Site | Ashby Vale 3-0 Cray Wanderers</title>
            <meta property="article:published_time" content="2026-02-07T17:05:00Z"></head>
            <body><nav><p>{nav}</p></nav>
            <article><h1>Ashby Vale 3-0 Cray Wanderers</h1>
            <p>Ashby Vale&nbsp;won   &amp; <b>deserved</b> it.<script>x()</script></p>
            <aside><p>{aside}</p></aside>
            <p>{body}</p></article>
            <footer><p>{foot}</p></footer></body></html>"#,
            nav = words(60, "menu"),
            aside = words(30, "promo"),
            body = words(45, "goal"),
            foot = words(80, "copyright"),
        );
        let a = article(page.as_bytes(), Some("text/html")).unwrap();
        assert_eq!(a.title.as_deref(), Some("Ashby Vale 3-0 Cray Wanderers"));
        assert_eq!(a.published, NaiveDate::from_ymd_opt(2026, 2, 7));
        let paras: Vec<&str> = a.text.split("\n\n").collect();
        assert_eq!(paras.len(), 2, "{paras:?}");
        assert_eq!(
            paras[0], "Ashby Vale won & deserved it.",
            "nbsp is whitespace too"
        );
        assert!(!a.text.contains("menu") && !a.text.contains("promo"));
    }

    #[test]
    fn without_markup_the_densest_container_is_taken() {
        let page = format!(
            r#"<body><div class="top"><p>{junk}</p></div>
            <div id="story"><p>{a}</p><p>{b}</p><div class="share"><p>{share}</p></div></div>
            <div class="comments"><p>{c}</p></div></body>"#,
            junk = words(10, "junk"),
            a = words(30, "alpha"),
            b = words(30, "beta"),
            share = words(5, "share"),
            c = words(200, "comment"),
        );
        let a = article(page.as_bytes(), None).unwrap();
        assert_eq!(
            a.text,
            format!("{}\n\n{}", words(30, "alpha"), words(30, "beta"))
        );
    }

    #[test]
    fn short_pages_are_not_articles() {
        let page = "<html><body><p>Only a few words here.</p></body></html>";
        assert_eq!(article(page.as_bytes(), None), Err(HtmlError::NoArticle));
        assert!(matches!(article(b"", None), Err(HtmlError::NotText(_))));
    }

    #[test]
    fn charsets_come_from_header_then_meta_then_sniffing() {
        let body = format!("<p>M\u{fc}ller scored. {}</p>", words(45, "w"));
        let latin1: Vec<u8> = encoding_rs::WINDOWS_1252.encode(&body).0.into_owned();
        let with_meta = [b"<meta charset=\"iso-8859-1\">".as_slice(), &latin1].concat();
        for (bytes, ct) in [
            (latin1.clone(), Some("text/html; charset=ISO-8859-1")),
            (with_meta, Some("text/html")),
            (latin1.clone(), None),
        ] {
            let a = article(&bytes, ct).unwrap();
            assert!(a.text.starts_with("Müller scored."), "{}", a.text);
        }
    }

    #[test]
    fn fragments_become_paragraphs() {
        assert_eq!(
            fragment_text("<p>One <i>two</i>, three.</p><p>Four&amp;five</p>Six<br>Seven"),
            "One two, three.\n\nFour&five\n\nSix\n\nSeven"
        );
        assert_eq!(
            fragment_text("Plain\n\n  text  here\n"),
            "Plain\n\ntext here"
        );
        assert_eq!(fragment_text("Fish &amp; chips"), "Fish & chips");
    }
}
