//! Rendering a Reply for the terminal: readable text, or the exact Discord payload
//! (`ask --json`) that the bot would send, built by `discord::render`.

use std::borrow::Cow;
use std::fmt::Write;
use std::sync::LazyLock;

use regex::Regex;

use crate::reply::{Reply, ReplyKind};

static TIMESTAMP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<t:(-?\d+)(?::[a-zA-Z])?>").expect("timestamp pattern"));
static BOLD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\*\*([^*]+)\*\*").expect("bold pattern"));

/// Discord markup made plain: timestamps as dates, bold markers dropped.
fn plain(s: &str) -> String {
    let s = TIMESTAMP.replace_all(s, |c: &regex::Captures| {
        c[1].parse::<i64>()
            .ok()
            .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
            .map(|d| d.format("%-d %b %Y").to_string())
            .unwrap_or_default()
    });
    BOLD.replace_all(&s, "$1").into_owned()
}

/// Control characters made visible (`\u{1b}`), line breaks and tabs kept: report text
/// comes from anyone, and an ESC, BEL or BS sent raw to a terminal could move the cursor,
/// rewrite the screen or the window title, or hide what came before.
pub fn escape_controls(s: &str) -> Cow<'_, str> {
    let hostile = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !s.chars().any(hostile) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if hostile(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The reply as text for a terminal, control characters escaped.
pub fn render_text(reply: &Reply) -> String {
    let out = render_plain(reply);
    escape_controls(&out).into_owned()
}

fn render_plain(reply: &Reply) -> String {
    let mut out = String::new();
    let marker = match reply.kind {
        ReplyKind::Answer => "",
        ReplyKind::UserError => "(only you see this) ",
        ReplyKind::InternalError => "(error) ",
    };
    let _ = writeln!(out, "{marker}{}", plain(&reply.title));
    let _ = writeln!(
        out,
        "{}",
        "=".repeat(reply.title.chars().count().clamp(3, 72))
    );
    if !reply.description.is_empty() {
        let _ = writeln!(out, "{}", plain(&reply.description));
    }
    for f in &reply.fields {
        let _ = writeln!(out, "\n{}:", plain(&f.name));
        for line in plain(&f.value).lines() {
            let _ = writeln!(out, "  {line}");
        }
    }
    if !reply.buttons.is_empty() {
        let labels: Vec<String> = reply
            .buttons
            .iter()
            .map(|b| format!("[{}]", b.label))
            .collect();
        let _ = writeln!(out, "\n{}", labels.join(" "));
    }
    if let Some(f) = &reply.footer {
        let _ = writeln!(out, "\n-- {}", plain(f));
    }
    out
}

/// The interaction response the bot would send for this reply, as JSON.
pub fn render_payload(reply: &Reply) -> serde_json::Result<serde_json::Value> {
    let response = serenity::builder::CreateInteractionResponse::Message(
        crate::discord::render::response_message(reply),
    );
    serde_json::to_value(&response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_shows_fields_and_plain_dates() {
        let r = Reply::answer("A v B", "**A** went through").field(
            "First leg",
            "A 1-0 B\n<t:1776254400:D>",
            true,
        );
        let t = render_text(&r);
        assert!(t.contains("A went through"), "{t}");
        assert!(t.contains("First leg:\n  A 1-0 B\n  15 Apr 2026"), "{t}");
    }

    #[test]
    fn control_characters_are_shown_escaped() {
        assert_eq!(
            escape_controls("a\x1b[2Jb\x07\x08\r\u{9b}c\td\n"),
            "a\\u{1b}[2Jb\\u{7}\\u{8}\\u{d}\\u{9b}c\td\n"
        );
        assert!(matches!(
            escape_controls("plain “text”\n"),
            Cow::Borrowed(_)
        ));
        let r = Reply::answer("T\x1b]0;x\x07", "body");
        assert!(!render_text(&r).contains('\x1b'));
    }
}
