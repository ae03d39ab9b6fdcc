//! The optional `---` block of `key: value` lines at the top of a report.
//!
//! The block is flat (title, date, source, competition), so a small parser does: it
//! gives the exact byte offset of the body, which offsets into the stored text need,
//! and turns anything odd into a warning instead of refusing the report.

use chrono::NaiveDate;

/// A block longer than this is not front matter (and scanning stops early on a long
/// text that merely starts with a rule).
const MAX_LINES: usize = 100;

/// What the front matter says about a report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub date: Option<NaiveDate>,
    pub source: Option<String>,
    pub competition: Option<String>,
    /// Lines that were not understood; the report is still taken.
    pub warnings: Vec<String>,
}

/// Splits off front matter: its fields and the byte offset where the body starts
/// (0 when there is no block).
pub fn parse(text: &str) -> (FrontMatter, usize) {
    let mut meta = FrontMatter::default();
    let mut lines = Lines {
        text,
        at: 0,
        number: 0,
    };
    match lines.next() {
        Some((_, first)) if first.trim_end() == "---" => {}
        _ => return (meta, 0),
    }
    let mut seen: Vec<&str> = Vec::new();
    while let Some((number, line)) = lines.next() {
        if number > MAX_LINES {
            break;
        }
        let trimmed = line.trim();
        if trimmed == "---" || trimmed == "..." {
            return (meta, lines.at);
        }
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let Some((key, value)) = trimmed.split_once(':') else {
            meta.warnings.push(format!(
                "front matter line {number}: expected `key: value`, got {trimmed:?}"
            ));
            continue;
        };
        let key = key.trim();
        let value = unquote(value.trim());
        let known = ["title", "date", "source", "competition"];
        let Some(&key_name) = known.iter().find(|k| k.eq_ignore_ascii_case(key)) else {
            meta.warnings.push(format!(
                "front matter line {number}: unknown key {key:?} ignored"
            ));
            continue;
        };
        if seen.contains(&key_name) {
            meta.warnings.push(format!(
                "front matter line {number}: {key_name} given twice; the last one is used"
            ));
        }
        seen.push(key_name);
        let value = (!value.is_empty()).then(|| value.to_string());
        match key_name {
            "title" => meta.title = value,
            "source" => meta.source = value,
            "competition" => meta.competition = value,
            _ => {
                meta.date = None;
                if let Some(v) = value {
                    match parse_date(&v) {
                        Some(d) => meta.date = Some(d),
                        None => meta.warnings.push(format!(
                            "front matter line {number}: date {v:?} is not YYYY-MM-DD; ignored"
                        )),
                    }
                }
            }
        }
    }
    // No closing line in reach: not front matter after all; the whole text is the body.
    (
        FrontMatter {
            warnings: vec![format!(
                "text starts with `---` but no front matter block closes \
                            within {MAX_LINES} lines; read as body"
            )],
            ..FrontMatter::default()
        },
        0,
    )
}

/// `YYYY-MM-DD`, also when a time follows (`2026-01-14T19:45:00Z`, `2026-01-14 19:45`).
fn parse_date(v: &str) -> Option<NaiveDate> {
    let day = match v.get(10..11) {
        Some("T") | Some(" ") => &v[..10],
        _ => v,
    };
    // chrono alone would also take "2026-1-4"; front matter dates are exactly YYYY-MM-DD.
    let shape = day.len() == 10
        && day.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    shape
        .then(|| NaiveDate::parse_from_str(day, "%Y-%m-%d").ok())
        .flatten()
}

/// Strips one pair of matching surrounding quotes.
fn unquote(v: &str) -> &str {
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return &v[1..v.len() - 1];
        }
    }
    v
}

/// Lines with their 1-based number; `at` is the byte offset after the last line returned
/// (line break included), so it is where the next line starts.
struct Lines<'a> {
    text: &'a str,
    at: usize,
    number: usize,
}

impl<'a> Lines<'a> {
    fn next(&mut self) -> Option<(usize, &'a str)> {
        if self.at >= self.text.len() {
            return None;
        }
        self.number += 1;
        let number = self.number;
        let rest = &self.text[self.at..];
        let (line, advance) = match rest.find('\n') {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        self.at += advance;
        Some((number, line.strip_suffix('\r').unwrap_or(line)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_is_parsed_and_body_offset_found() {
        let text = "---\ntitle: \"Harlow: we go again\"\ndate: 2026-01-14\nsource: Wire\n\
                    competition: 'Northern Shield'\n---\nBody here.";
        let (m, at) = parse(text);
        assert_eq!(&text[at..], "Body here.");
        assert_eq!(m.title.as_deref(), Some("Harlow: we go again"));
        assert_eq!(m.date, NaiveDate::from_ymd_opt(2026, 1, 14));
        assert_eq!(m.source.as_deref(), Some("Wire"));
        assert_eq!(m.competition.as_deref(), Some("Northern Shield"));
        assert!(m.warnings.is_empty(), "{:?}", m.warnings);
    }

    #[test]
    fn crlf_and_no_block() {
        let text = "---\r\nTitle: X\r\n---\r\nBody";
        let (m, at) = parse(text);
        assert_eq!(&text[at..], "Body");
        assert_eq!(m.title.as_deref(), Some("X"));
        assert_eq!(parse("Just a report.\n---\n"), (FrontMatter::default(), 0));
        assert_eq!(parse(""), (FrontMatter::default(), 0));
    }

    #[test]
    fn odd_lines_are_warnings_not_refusals() {
        let text = "---\ndate: 14/01/2026\nauthor: Someone\nnonsense\ntitle: T\n---\n";
        let (m, at) = parse(text);
        assert_eq!(at, text.len());
        assert_eq!(m.title.as_deref(), Some("T"));
        assert_eq!(m.date, None);
        assert_eq!(m.warnings.len(), 3, "{:?}", m.warnings);
        assert!(m.warnings[0].contains("line 2"), "{:?}", m.warnings);
    }

    #[test]
    fn unclosed_block_is_body() {
        let (m, at) = parse("---\ntitle: X\nno end");
        assert_eq!(at, 0);
        assert_eq!(m.title, None);
        assert_eq!(m.warnings.len(), 1);
    }

    #[test]
    fn dates_with_times_keep_the_day() {
        assert_eq!(
            parse_date("2026-01-14T19:45:00Z"),
            NaiveDate::from_ymd_opt(2026, 1, 14)
        );
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("2026-01-1"), None);
    }
}
