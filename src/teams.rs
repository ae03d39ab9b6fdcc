//! The club knowledge base (`config/teams.toml`): names, aliases, cities, grounds, colours.
//!
//! Used three ways: to spot team names in report text, to place a match from its
//! venue, and to resolve what a user typed (`real`, `RMA`, `Madrid`) to one club.

use std::collections::HashMap;
use std::path::Path;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Deserialize;

use crate::text::fold;

/// The copy of `config/teams.toml` built into the binary, used when no file is configured.
pub const EMBEDDED_TEAMS: &str = include_str!("../config/teams.toml");

/// One club or national team.
#[derive(Debug, Clone, Deserialize)]
pub struct Team {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub short: Option<String>,
    pub city: Option<String>,
    #[serde(default)]
    pub grounds: Vec<String>,
    pub country: String,
    pub colour: Option<String>,
    pub kind: String,
    pub league: Option<String>,
}

impl Team {
    /// The colour as a 24-bit RGB number, for embeds.
    pub fn colour_rgb(&self) -> Option<u32> {
        let hex = self.colour.as_deref()?.strip_prefix('#')?;
        u32::from_str_radix(hex, 16).ok()
    }
}

#[derive(Deserialize)]
struct TeamsFile {
    team: Vec<Team>,
}

/// What a stretch of text names: a team, or a ground or city that places a team.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mention {
    Team(usize),
    Ground(usize),
    City,
}

/// A name found in text, as a byte range plus what it refers to.
#[derive(Debug, Clone)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub mention: Mention,
}

/// Errors loading the knowledge base.
#[derive(Debug, thiserror::Error)]
pub enum TeamsError {
    #[error("cannot read teams file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("teams file {path} is not valid: {source}")]
    Parse {
        path: String,
        source: toml::de::Error,
    },
}

/// All known teams, with indexes for text scanning and user lookup.
pub struct TeamBook {
    teams: Vec<Team>,
    /// folded name/alias/short code -> team index
    by_key: HashMap<String, usize>,
    /// folded city -> team indexes
    by_city: HashMap<String, Vec<usize>>,
    scanner: AhoCorasick,
    /// what each scanner pattern refers to
    patterns: Vec<Mention>,
}

impl TeamBook {
    /// Loads a teams file.
    pub fn load(path: &Path) -> Result<TeamBook, TeamsError> {
        let text = std::fs::read_to_string(path).map_err(|source| TeamsError::Read {
            path: path.display().to_string(),
            source,
        })?;
        TeamBook::parse(&text, &path.display().to_string())
    }

    /// The built-in knowledge base.
    pub fn embedded() -> TeamBook {
        TeamBook::parse(EMBEDDED_TEAMS, "embedded teams.toml").expect("embedded teams.toml parses")
    }

    /// Parses teams TOML; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<TeamBook, TeamsError> {
        let file: TeamsFile = toml::from_str(text).map_err(|source| TeamsError::Parse {
            path: origin.to_string(),
            source,
        })?;
        Ok(TeamBook::from_teams(file.team))
    }

    /// Builds the indexes over a list of teams.
    pub fn from_teams(teams: Vec<Team>) -> TeamBook {
        let mut by_key = HashMap::new();
        let mut by_city: HashMap<String, Vec<usize>> = HashMap::new();
        let mut words: Vec<String> = Vec::new();
        let mut patterns = Vec::new();
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
        let mut add =
            |w: &str, m: Mention, words: &mut Vec<String>, patterns: &mut Vec<Mention>| {
                for form in [w.to_string(), deunicode::deunicode(w)] {
                    if !form.is_empty() && seen.insert(form.clone()) {
                        words.push(form);
                        patterns.push(m);
                    }
                }
            };
        for (i, t) in teams.iter().enumerate() {
            by_key.entry(fold(&t.name)).or_insert(i);
            add(&t.name, Mention::Team(i), &mut words, &mut patterns);
            for a in &t.aliases {
                by_key.entry(fold(a)).or_insert(i);
                add(a, Mention::Team(i), &mut words, &mut patterns);
            }
            if let Some(s) = &t.short {
                by_key.entry(fold(s)).or_insert(i);
            }
            for g in &t.grounds {
                add(g, Mention::Ground(i), &mut words, &mut patterns);
            }
            if let Some(c) = &t.city {
                by_city.entry(fold(c)).or_default().push(i);
            }
        }
        for t in &teams {
            if let Some(c) = &t.city {
                if !by_key.contains_key(&fold(c)) {
                    add(c, Mention::City, &mut words, &mut patterns);
                }
            }
        }
        let scanner = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&words)
            .expect("team patterns build");
        TeamBook {
            teams,
            by_key,
            by_city,
            scanner,
            patterns,
        }
    }

    pub fn teams(&self) -> &[Team] {
        &self.teams
    }

    pub fn get(&self, index: usize) -> &Team {
        &self.teams[index]
    }

    /// The team a name, alias or short code means exactly (after folding).
    pub fn lookup(&self, name: &str) -> Option<&Team> {
        self.by_key.get(&fold(name)).map(|&i| &self.teams[i])
    }

    /// The canonical name for a name as written, or the name itself when unknown.
    pub fn canonical(&self, name: &str) -> String {
        self.lookup(name)
            .map(|t| t.name.clone())
            .unwrap_or_else(|| name.to_string())
    }

    /// Teams based in a city.
    pub fn in_city(&self, city: &str) -> Vec<&Team> {
        self.by_city
            .get(&fold(city))
            .map(|v| v.iter().map(|&i| &self.teams[i]).collect())
            .unwrap_or_default()
    }

    /// Team, ground and city names in text, whole words only, case as written.
    pub fn scan(&self, text: &str) -> Vec<Found> {
        let bytes = text.as_bytes();
        self.scanner
            .find_iter(text)
            .filter(|m| {
                let before = m.start() == 0 || !is_word_byte(bytes[m.start() - 1]);
                let after = m.end() == bytes.len() || !is_word_byte(bytes[m.end()]);
                before && after && !inside_longer_name(text, m.start(), m.end())
            })
            .map(|m| Found {
                start: m.start(),
                end: m.end(),
                mention: self.patterns[m.pattern().as_usize()],
            })
            .collect()
    }
}

/// The last words of club names that reports use alone once the club is named
/// ("Manchester United ... United's statement").
const SHORT_FORMS: &[&str] = &[
    "United",
    "City",
    "Rovers",
    "Town",
    "County",
    "Athletic",
    "Albion",
    "Wanderers",
    "Rangers",
];

impl TeamBook {
    /// Short forms of clubs already found: "United" where the report names exactly one
    /// club called "... United". Appended to `found` and kept in text order.
    pub fn add_short_forms(&self, text: &str, found: &mut Vec<Found>) {
        let named: Vec<usize> = found
            .iter()
            .filter_map(|f| match f.mention {
                Mention::Team(t) => Some(t),
                _ => None,
            })
            .collect();
        let mut extra = Vec::new();
        for form in SHORT_FORMS {
            let mut owners: Vec<usize> = named
                .iter()
                .copied()
                .filter(|&t| self.teams[t].name.split(' ').skip(1).any(|w| w == *form))
                .collect();
            owners.sort_unstable();
            owners.dedup();
            let [owner] = owners[..] else { continue };
            let bytes = text.as_bytes();
            for (at, _) in text.match_indices(form) {
                let end = at + form.len();
                let whole = (at == 0 || !is_word_byte(bytes[at - 1]))
                    && (end == bytes.len() || !is_word_byte(bytes[end]));
                if whole
                    && !found.iter().any(|f| f.start <= at && at < f.end)
                    && !inside_longer_name(text, at, end)
                {
                    extra.push(Found {
                        start: at,
                        end,
                        mention: Mention::Team(owner),
                    });
                }
            }
        }
        if !extra.is_empty() {
            found.extend(extra);
            found.sort_by_key(|f| f.start);
        }
    }
}

/// A one-word alias right after another capitalised word is the tail of a club the
/// book does not know: "Ventnor Athletic" is not Athletic Bilbao, "Oakhurst Rangers" not Rangers.
fn inside_longer_name(text: &str, start: usize, end: usize) -> bool {
    if text[start..end].contains(' ') {
        return false;
    }
    let head = &text[..start];
    if !head.ends_with(' ') {
        return false;
    }
    let prev = head
        .trim_end()
        .rsplit([' ', '\n', '"', '('])
        .next()
        .unwrap_or("");
    // "Wenger's Arsenal" is the club; so is "Ten-man Chelsea".
    let possessive = prev.ends_with("'s") || prev.ends_with("s'");
    let compound_modifier = prev
        .split_once('-')
        .is_some_and(|(_, rest)| rest.starts_with(char::is_lowercase));
    prev.chars().next().is_some_and(char::is_uppercase)
        && !possessive
        && !compound_modifier
        && prev
            .chars()
            .all(|c| c.is_alphabetic() || c == '\'' || c == '-')
        && !crate::extract::lexicon::is_not_name(prev)
        && !crate::extract::lexicon::is_nationality(prev)
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_book_resolves_aliases_and_codes() {
        let book = TeamBook::embedded();
        assert_eq!(book.lookup("real").unwrap().name, "Real Madrid");
        assert_eq!(book.lookup("RMA").unwrap().name, "Real Madrid");
        assert_eq!(book.lookup("madrid").unwrap().name, "Real Madrid");
        assert!(book.lookup("Nowhere Rovers").is_none());
    }

    #[test]
    fn scan_finds_whole_words_only() {
        let book = TeamBook::embedded();
        let found = book.scan("Realistic, Liverpool lost at the Bernabeu to Real.");
        let names: Vec<_> = found
            .iter()
            .map(|f| &"Realistic, Liverpool lost at the Bernabeu to Real."[f.start..f.end])
            .collect();
        assert_eq!(names, vec!["Liverpool", "Bernabeu", "Real"]);
    }

    #[test]
    fn a_short_form_stands_for_the_one_club_of_the_report_that_ends_so() {
        let book = TeamBook::embedded();
        let text = "Manchester United lost. United's board met Leeds United fans.";
        let mut found = book.scan(&text[..17]);
        book.add_short_forms(text, &mut found);
        let united: Vec<_> = found.iter().map(|f| &text[f.start..f.end]).collect();
        assert_eq!(united, vec!["Manchester United", "United"]);
        // Two clubs called United: the short form is nobody's.
        let mut both = book.scan(text);
        book.add_short_forms(text, &mut both);
        assert!(both.iter().all(|f| &text[f.start..f.end] != "United"));
    }

    #[test]
    fn a_one_word_alias_after_a_capitalised_word_is_another_club() {
        let book = TeamBook::embedded();
        assert!(book.scan("a draw with Ventnor Athletic").is_empty());
        assert_eq!(book.scan("a draw with Athletic").len(), 1);
    }

    #[test]
    fn a_possessive_or_a_compound_modifier_before_a_club_is_no_longer_name() {
        let book = TeamBook::embedded();
        assert_eq!(book.scan("Wenger's Arsenal lost at Anfield").len(), 2);
        assert_eq!(book.scan("Ten-man Chelsea beat them").len(), 1);
    }
}
