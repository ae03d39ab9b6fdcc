//! The team layer: every side a report names, or a place that stands for one.
//!
//! Known clubs and national teams come from the knowledge base; clubs it does not know
//! are read from their shape ("Hartfield United", then "Hartfield"); demonyms stand for
//! national sides when they act ("the Irish won"). A team name that only describes a
//! person ("the Wales winger", "Norwich boss Chris Hughton") is marked, since such a
//! mention is never a side of a score.

use std::sync::LazyLock;

use crate::extract::people::Word;
use crate::teams::{Mention, TeamBook};
use crate::text::fold;

/// A side named in the text, or a place that stands for one.
#[derive(Debug, Clone)]
pub(super) struct SideRef {
    pub(super) name: String,
    pub(super) start: usize,
    pub(super) end: usize,
    /// Named as a venue ("at Anfield", "in Madrid", "at Norwich"): this side was at home.
    pub(super) venue: bool,
    /// Only a place (a ground or city), not the side's name.
    pub(super) place_only: bool,
    /// The name only describes a person or a crowd ("the Wales winger", "Villa fans"):
    /// never a side of a score.
    pub(super) modifier: bool,
}

/// The sides a stretch of text names, with venue flags. A city ("in Madrid") stands
/// for the club of that city the report names most (clubs before national teams).
pub(super) fn side_refs(
    text: &str,
    words: &[Word],
    teams: &TeamBook,
    found: &[crate::teams::Found],
) -> Vec<SideRef> {
    let mut counts = std::collections::HashMap::<usize, usize>::new();
    for f in found {
        if let Mention::Team(i) = f.mention {
            *counts.entry(i).or_default() += 1;
        }
    }
    let city_side = |written: &str| -> Option<String> {
        let in_city = teams.in_city(written);
        in_city
            .iter()
            .max_by_key(|t| {
                let idx = teams
                    .teams()
                    .iter()
                    .position(|x| x.name == t.name)
                    .unwrap_or(0);
                (
                    t.kind == "club",
                    counts.get(&idx).copied().unwrap_or(0),
                    std::cmp::Reverse(idx),
                )
            })
            .map(|t| t.name.clone())
    };
    let mut out = unknown_clubs(text, words, found);
    out.extend(demonym_sides(text, teams));
    for f in found.iter().cloned() {
        let word_before = text[..f.start].split_whitespace().next_back().unwrap_or("");
        // "in Liverpool's 3-2 defeat": a possessive is the club, never the place.
        let possessive = matches!(text[f.end..].chars().next(), Some('\'' | '’'));
        let prep = if possessive {
            String::new()
        } else {
            word_before.to_ascii_lowercase()
        };
        let written = &text[f.start..f.end];
        let place = |name: String| SideRef {
            name,
            start: f.start,
            end: f.end,
            venue: true,
            place_only: true,
            modifier: false,
        };
        match f.mention {
            Mention::Team(i) => {
                let team = teams.get(i);
                let is_city = team
                    .city
                    .as_deref()
                    .is_some_and(|c| fold(c) == fold(written));
                if is_city && prep == "in" {
                    if let Some(n) = city_side(written) {
                        out.push(place(n));
                    }
                } else if team.kind == "national"
                    && (prep == "in" || after_place_name(text, f.start))
                {
                    // "in Germany", "Sapporo, Japan": a country, not its team, and no side either.
                } else {
                    out.push(SideRef {
                        name: team.name.clone(),
                        start: f.start,
                        end: f.end,
                        venue: prep == "at",
                        place_only: false,
                        modifier: false,
                    });
                }
            }
            Mention::Ground(i) => out.push(place(teams.get(i).name.clone())),
            Mention::City => {
                if prep == "in" {
                    if let Some(n) = city_side(written) {
                        out.push(place(n));
                    }
                }
            }
        }
    }
    out.sort_by_key(|r| r.start);
    out
}

/// "Sapporo, Japan": a country after a place's name and a comma is where that place
/// is. After a clause ("In the semi-finals, Germany edged Turkey") or an opening
/// adverb ("Meanwhile, Spain beat Russia") it is a side.
fn after_place_name(text: &str, start: usize) -> bool {
    let head = text[..start].trim_end();
    let Some(head) = head.strip_suffix(',') else {
        return false;
    };
    let place = head.rsplit(char::is_whitespace).next().unwrap_or("");
    let before_place = head[..head.len() - place.len()].trim_end_matches([' ', '\t']);
    let opens_sentence =
        before_place.is_empty() || before_place.ends_with(['.', '!', '?', '\n', '"', '”']);
    place.chars().next().is_some_and(char::is_uppercase) && !opens_sentence
}

/// National sides named by their people: "with the Irish winning 1-0".
const DEMONYMS: &[(&str, &str)] = &[
    ("the Irish", "Republic of Ireland"),
    ("the French", "France"),
    ("the Dutch", "Netherlands"),
    ("the Germans", "Germany"),
    ("the Italians", "Italy"),
    ("the Spanish", "Spain"),
    ("the English", "England"),
    ("the Scots", "Scotland"),
    ("the Welsh", "Wales"),
    ("the Brazilians", "Brazil"),
    ("the Argentines", "Argentina"),
    ("the Portuguese", "Portugal"),
    ("the Belgians", "Belgium"),
    ("the Swedes", "Sweden"),
    ("the Danes", "Denmark"),
];

/// Demonyms that stand for a national side: only when a verb or preposition follows
/// ("the Irish winning", "the French were"), not a noun ("the Dutch midfielder").
pub(super) fn demonym_sides(text: &str, teams: &TeamBook) -> Vec<SideRef> {
    static NAMES: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
        aho_corasick::AhoCorasick::new(DEMONYMS.iter().map(|d| d.0)).expect("demonym patterns")
    });
    let mut out = Vec::new();
    for m in NAMES.find_iter(text) {
        let Some(team) = teams.lookup(DEMONYMS[m.pattern().as_usize()].1) else {
            continue;
        };
        let end = m.end();
        let next = text[end..].split_whitespace().next().unwrap_or("");
        let next = next.trim_end_matches([',', '.']);
        let acts = next.is_empty()
            || next.ends_with("ing")
            || matches!(
                next,
                "won"
                    | "beat"
                    | "lost"
                    | "drew"
                    | "were"
                    | "are"
                    | "have"
                    | "had"
                    | "will"
                    | "in"
                    | "at"
                    | "against"
            );
        let whole = text[end..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        if acts && whole {
            out.push(SideRef {
                name: team.name.clone(),
                start: m.start(),
                end,
                venue: false,
                place_only: false,
                modifier: false,
            });
        }
    }
    out
}

/// Words that end a club's name ("Selby Town", "Carrick Vale", "Bramley Wanderers").
pub(super) const CLUB_SUFFIXES: &[&str] = &[
    "United",
    "Town",
    "City",
    "Rovers",
    "Athletic",
    "Wanderers",
    "Albion",
    "Vale",
    "Rangers",
    "County",
    "FC",
    "AFC",
    "Harriers",
    "Borough",
    "Orient",
    "Argyle",
    "Dynamo",
    "Celtic",
    "Thistle",
    "Academical",
    "Hotspur",
    "Villa",
    "Athletico",
    "Sporting",
    "Olympic",
    "Saints",
];

/// Clubs the knowledge base does not know, named in full ("Hartfield United") and then
/// by one of their words ("Dunmore", "Albion").
pub(super) fn unknown_clubs(
    text: &str,
    words: &[Word],
    known: &[crate::teams::Found],
) -> Vec<SideRef> {
    // `known` is in text order: one binary search per question.
    let overlaps_known = |a: usize, b: usize| {
        let i = known.partition_point(|f| f.end <= a);
        known.get(i).is_some_and(|f| f.start < b)
    };
    let mut names: Vec<(usize, usize)> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if !CLUB_SUFFIXES.contains(&w.text) || overlaps_known(w.start, w.end) {
            continue;
        }
        // Walk back over capitalised words joined by single spaces.
        let mut j = i;
        while j > 0 && i - j < 3 {
            let p = &words[j - 1];
            let cap = p.text.chars().next().is_some_and(char::is_uppercase);
            if !cap
                || &text[p.end..words[j].start] != " "
                || crate::extract::lexicon::is_not_name(p.text)
                || overlaps_known(p.start, p.end)
            {
                break;
            }
            j -= 1;
        }
        if j < i {
            names.push((words[j].start, w.end));
        }
    }
    // Church-named amateur sides: "Sallowmere St Jude's".
    for (i, w) in words.iter().enumerate() {
        if w.text != "St" || i == 0 || i + 1 >= words.len() {
            continue;
        }
        let (p, n) = (&words[i - 1], &words[i + 1]);
        let cap = |x: &str| x.chars().next().is_some_and(char::is_uppercase);
        if cap(p.text)
            && cap(n.text)
            && (n.text.ends_with("'s") || n.text.ends_with("’s"))
            && !overlaps_known(p.start, n.end)
        {
            names.push((p.start, n.end));
        }
    }
    let mut out: Vec<SideRef> = names
        .iter()
        .map(|&(a, b)| SideRef {
            name: text[a..b].to_string(),
            start: a,
            end: b,
            venue: false,
            place_only: false,
            modifier: false,
        })
        .collect();
    // Later short mentions: a word that belongs to exactly one of these names, or the
    // saint's part of a church-named side ("St Jude's").
    let full: Vec<String> = out.iter().map(|r| r.name.clone()).collect();
    for name in &full {
        let Some(k) = name.find(" St ") else { continue };
        let tail = &name[k + 1..];
        for (at, _) in text.match_indices(tail) {
            if !out.iter().any(|r| r.start <= at && at < r.end) {
                out.push(SideRef {
                    name: name.clone(),
                    start: at,
                    end: at + tail.len(),
                    venue: false,
                    place_only: false,
                    modifier: false,
                });
            }
        }
    }
    // Whether a word lies inside a name found so far: the words come in text order, so
    // one sweep over the names by start keeps the furthest end reached. (Short mentions
    // pushed below never cover a later word.)
    let mut spans: Vec<(usize, usize)> = out.iter().map(|r| (r.start, r.end)).collect();
    spans.sort_unstable();
    let (mut next_span, mut reach) = (0, 0);
    for w in words {
        while next_span < spans.len() && spans[next_span].0 <= w.start {
            reach = reach.max(spans[next_span].1);
            next_span += 1;
        }
        if reach >= w.end || overlaps_known(w.start, w.end) {
            continue;
        }
        let bare = w.text.trim_end_matches("'s");
        let stop = !club_name_word(bare);
        if !bare.chars().next().is_some_and(char::is_uppercase) || stop {
            continue;
        }
        let owners: Vec<&String> = full
            .iter()
            .filter(|n| n.split(' ').any(|t| t == bare))
            .collect();
        if owners.len() == 1 && !full.iter().any(|n| n == bare) {
            let prev = text[..w.start]
                .trim_end()
                .rsplit(' ')
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            out.push(SideRef {
                name: owners[0].clone(),
                start: w.start,
                end: w.start + bare.len(),
                venue: prev == "at",
                place_only: false,
                modifier: false,
            });
        }
    }
    out
}

/// A run of capitalised words right after `pos` (an unknown club: "Nowhere Rovers").
pub(super) fn capital_run_after(text: &str, pos: usize) -> Option<(usize, usize)> {
    let rest = &text[pos..];
    let lead = rest.len() - rest.trim_start().len();
    let mut start = pos + lead;
    // skip lowercase filler ("amateur side Sallowmere St Jude's")
    while let Some(w) = text[start..].split(' ').next() {
        if FILLER.contains(&w) && w != "the" {
            start += w.len() + 1;
        } else {
            break;
        }
    }
    // skip a leading "the"
    if text[start..].starts_with("the ") {
        start += 4;
    }
    let mut end = start;
    for w in text[start..].split(' ') {
        let clean = w.trim_end_matches([',', '.', ';', ':', ')', '!', '?']);
        let cap = clean.chars().next().is_some_and(char::is_uppercase)
            && clean.chars().any(char::is_lowercase);
        if !cap || !club_name_word(clean) {
            break;
        }
        end = start + (end - start).max(text[start..].find(w).unwrap_or(0) + clean.len());
        if clean.len() != w.len() {
            break;
        }
    }
    (end > start).then_some((start, end))
}

/// Whether a capitalised word can be part of a club's name: not a sentence word or
/// month, unless it is one of the words clubs end with ("United", "Town").
pub(super) fn club_name_word(w: &str) -> bool {
    !crate::extract::lexicon::is_not_name(w) || CLUB_SUFFIXES.contains(&w)
}

/// A run of capitalised words ending right before `pos`.
pub(super) fn capital_run_before(text: &str, pos: usize) -> Option<(usize, usize)> {
    let head = &text[..pos];
    let trimmed = head.trim_end();
    let end = trimmed.len();
    let mut start = end;
    for w in trimmed.rsplit(' ') {
        let cap =
            w.chars().next().is_some_and(char::is_uppercase) && w.chars().any(char::is_lowercase);
        if !cap
            || w.ends_with([',', '.', ';', ':'])
            || w.ends_with("'s")
            || w.ends_with("’s")
            || !club_name_word(w)
        {
            break;
        }
        start -= w.len();
        start = start.saturating_sub(1);
        if end - start > 40 {
            break;
        }
    }
    let start = if start < end && text[start..].starts_with(' ') {
        start + 1
    } else {
        start
    };
    (end > start).then_some((start, end))
}

/// Sides by how often the report names them, most first (ties: first named first).
pub(super) fn rank_sides(text: &str, refs: &[SideRef]) -> Vec<String> {
    // The headline and the opening paragraph say what the story is about: they weigh more.
    let paras: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
    let headline_end = paras.first().copied().unwrap_or(text.len());
    let lead_end = text[headline_end..]
        .trim_start()
        .find('\n')
        .map_or(text.len(), |i| headline_end + i + 1);
    let mut counts: Vec<(String, usize, usize)> = Vec::new();
    for (i, r) in refs.iter().enumerate().filter(|(_, r)| !r.place_only) {
        let w = if r.start < headline_end {
            3
        } else if r.start < lead_end {
            2
        } else {
            1
        };
        match counts.iter_mut().find(|c| c.0 == r.name) {
            Some(c) => c.1 += w,
            None => counts.push((r.name.clone(), w, i)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    counts.into_iter().map(|c| c.0).collect()
}

pub(super) const FILLER: &[&str] = &[
    "amateur",
    "side",
    "non-league",
    "part-time",
    "minnows",
    "lowly",
    "the",
    "champions",
    "leaders",
    "rivals",
    "hosts",
    "visitors",
    "struggling",
    "bottom",
    "top",
    "holders",
    "title",
    "relegation-threatened",
    "neighbours",
    "city",
    "local",
    "hands",
    "of",
    "european",
    "premiership",
    "league",
    "spanish",
    "italian",
    "german",
    "french",
    "english",
    "scottish",
    "derby",
];

/// Lower-cased words of a stretch of text (inner hyphens and apostrophes kept).
pub(super) fn lower_words(s: &str) -> Vec<String> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

pub(super) fn any_word(words: &[String], set: &[&str]) -> bool {
    words.iter().any(|w| set.contains(&w.as_str()))
}

/// Words after a team name that make it describe someone: "the Wales winger",
/// "Norwich boss Chris Hughton", "the Villa fans".
const DESCRIBED: &[&str] = &[
    "fans",
    "supporters",
    "followers",
    "faithful",
    "crowd",
    "support",
    "legend",
    "old-boy",
    "academy",
    "youth",
    "reserves",
    "shirt",
    "debut",
    "career",
    "spell",
    "contract",
    "move",
    "deal",
    "loanee",
    "chief",
    "director",
    "owner",
    "board",
    "official",
    "officials",
    "spokesman",
    "statement",
    "hero",
    "heroes",
    "icon",
    "great",
    "old",
    "new",
    "-born",
    "under-21",
    "under-21s",
    "u21",
    "b",
    "squad",
    "colleague",
    "team-mate",
    "teammate",
];

/// Marks the sides that only describe a person or a crowd: a team name followed by a
/// role ("the Wales winger", "Norwich captain Grant Holt"), a crowd ("Villa fans"), or
/// preceded by "former" / "ex-" ("the former Celtic striker").
pub(super) fn mark_modifiers(text: &str, refs: &mut [SideRef]) {
    for r in refs.iter_mut().filter(|r| !r.place_only) {
        let after = text[r.end..].trim_start_matches([' ', '\'', '’']);
        let after = after.strip_prefix("s ").unwrap_or(after);
        let next: String = after
            .split(|c: char| !(c.is_alphanumeric() || c == '-'))
            .next()
            .unwrap_or("")
            .to_lowercase();
        let role = crate::extract::lexicon::ROLES.contains(&next.as_str())
            || DESCRIBED.contains(&next.as_str());
        let before = text[..r.start].trim_end();
        let former = before.ends_with("former")
            || before.ends_with("ex-")
            || text[..r.start].ends_with("ex-");
        if role || former {
            r.modifier = true;
        }
    }
}

/// "Mourinho's side", "Ferguson's men": a side named through its manager or player,
/// when the report says which club that person is with.
pub(super) fn person_sides(
    text: &str,
    sent: std::ops::Range<usize>,
    people: &crate::extract::people::People,
) -> Vec<SideRef> {
    let seg = &text[sent.clone()];
    let mut out = Vec::new();
    for pat in ["'s side", "’s side", "'s team", "'s men", "’s men"] {
        for (i, _) in seg.match_indices(pat) {
            let at = sent.start + i;
            if let Some(m) = people
                .mentions_in(sent.start, at)
                .iter()
                .find(|m| m.end == at)
            {
                if let Some(t) = &people.list[m.person].team {
                    out.push(SideRef {
                        name: t.clone(),
                        start: m.start,
                        end: at + pat.len(),
                        venue: false,
                        place_only: false,
                        modifier: false,
                    });
                }
            }
        }
    }
    out
}
