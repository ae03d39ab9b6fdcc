//! Scores stated in a report, and what they were: which sides, who was at home,
//! competition, round, leg, aggregate, extra time, penalties, date; and what the
//! report says of the tie as a whole (who went through, whom they meet next).
//!
//! A score is read from the words around it: `A 2-3 B`, `A beat B 3-1`,
//! `a 2-1 win over B`, `the 3-1 defeat in Madrid`. Scores inside quotes, at half-time,
//! in a lead ("a 2-0 lead"), or in a hypothetical ("a 1-0 win would do") are not results.

use std::sync::LazyLock;

use regex::Regex;

use super::dates::date_in;
use super::people::People;
use super::quotes::QuoteSpan;
use super::{MatchResult, ReportContext, Round, TieFact};
use crate::teams::{Mention, TeamBook};
use crate::text::fold;

static SCORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{1,2}) ?[-–] ?(\d{1,2})\b").expect("score pattern"));

/// A side named in the text, or a place that stands for one.
#[derive(Debug, Clone)]
struct SideRef {
    name: String,
    start: usize,
    end: usize,
    /// Named as a venue ("at Anfield", "in Madrid", "at Norwich"): this side was at home.
    venue: bool,
    /// Only a place (a ground or city), not the side's name.
    place_only: bool,
}

const WIN: &[&str] = &[
    "win",
    "won",
    "wins",
    "winning",
    "victory",
    "victories",
    "beat",
    "beating",
    "triumph",
    "thrashed",
    "thumped",
    "hammered",
    "crushed",
    "routed",
    "edged",
    "success",
    "overcame",
    "stunned",
    "humbled",
    "demolished",
    "swept",
    "saw",
    "downed",
    "defeated",
];
const LOSS: &[&str] = &[
    "defeat",
    "defeats",
    "lost",
    "lose",
    "loses",
    "losing",
    "loss",
    "beaten",
    "fell",
    "slumped",
    "crashed",
    "went",
    "reverse",
    "humbling",
    "thrashing",
    "drubbing",
    "collapse",
];
const DRAW: &[&str] = &["draw", "drew", "drawn", "stalemate", "tied"];
const PREPOSITIONS: &[&str] = &[
    "over", "against", "to", "by", "with", "at", "from", "v", "vs", "versus", "and", "in", "of",
    "on",
];
const HYPOTHETICAL: &[&str] = &[
    "if", "would", "could", "should", "need", "needs", "needed", "must", "hope", "hoping",
    "unless", "avoid", "might", "may",
];

const COMPETITIONS: &[(&str, &str)] = &[
    ("Champions League", "Champions League"),
    ("European Cup", "Champions League"),
    ("Europa League", "Europa League"),
    ("Conference League", "Conference League"),
    ("Uefa Cup", "Uefa Cup"),
    ("UEFA Cup", "Uefa Cup"),
    ("Premier League", "Premier League"),
    ("Premiership", "Premiership"),
    ("FA Cup", "FA Cup"),
    ("League Cup", "League Cup"),
    ("Carling Cup", "League Cup"),
    ("Carabao Cup", "League Cup"),
    ("Worthington Cup", "League Cup"),
    ("Community Shield", "Community Shield"),
    ("La Liga", "La Liga"),
    ("Primera Liga", "La Liga"),
    ("Serie A", "Serie A"),
    ("Bundesliga", "Bundesliga"),
    ("Ligue 1", "Ligue 1"),
    ("Copa del Rey", "Copa del Rey"),
    ("Coppa Italia", "Coppa Italia"),
    ("Scottish Cup", "Scottish Cup"),
    ("CIS Cup", "Scottish League Cup"),
    ("Scottish Premier League", "Scottish Premiership"),
    ("World Cup", "World Cup"),
    ("Nations League", "Nations League"),
    ("Super Cup", "Super Cup"),
    ("Club World Cup", "Club World Cup"),
    ("Northern Shield", "Northern Shield"),
];

/// Sentence ranges of the whole text.
fn sentences(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut s = 0;
    for i in 0..b.len() {
        let end = match b[i] {
            b'\n' => true,
            b'.' | b'!' | b'?' => b
                .get(i + 1)
                .is_none_or(|n| n.is_ascii_whitespace() || *n == b'"'),
            _ => false,
        };
        if end {
            if i + 1 > s {
                out.push((s, i + 1));
            }
            s = i + 1;
        }
    }
    if s < b.len() {
        out.push((s, b.len()));
    }
    out
}

fn sentence_of(sents: &[(usize, usize)], pos: usize) -> (usize, usize) {
    let i = sents.partition_point(|&(_, e)| e <= pos);
    sents.get(i).copied().unwrap_or((0, 0))
}

fn lower_words(s: &str) -> Vec<String> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

fn any_word(words: &[String], set: &[&str]) -> bool {
    words.iter().any(|w| set.contains(&w.as_str()))
}

/// The sides a stretch of text names, with venue flags. A city ("in Madrid") stands
/// for the club of that city the report names most (clubs before national teams).
fn side_refs(text: &str, teams: &TeamBook, found: &[crate::teams::Found]) -> Vec<SideRef> {
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
    let mut out = unknown_clubs(text, found);
    out.extend(demonym_sides(text, teams));
    for f in found.iter().cloned() {
        let word_before = text[..f.start].split_whitespace().next_back().unwrap_or("");
        let prep = word_before.to_ascii_lowercase();
        let written = &text[f.start..f.end];
        let place = |name: String| SideRef {
            name,
            start: f.start,
            end: f.end,
            venue: true,
            place_only: true,
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
                } else if team.kind == "national" && (prep == "in" || word_before.ends_with(',')) {
                    // "in Germany", "Sapporo, Japan": a country, not its team, and no side either.
                } else {
                    out.push(SideRef {
                        name: team.name.clone(),
                        start: f.start,
                        end: f.end,
                        venue: prep == "at",
                        place_only: false,
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
fn demonym_sides(text: &str, teams: &TeamBook) -> Vec<SideRef> {
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
            });
        }
    }
    out
}

/// Words that end a club's name ("Selby Town", "Carrick Vale", "Bramley Wanderers").
const CLUB_SUFFIXES: &[&str] = &[
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
fn unknown_clubs(text: &str, known: &[crate::teams::Found]) -> Vec<SideRef> {
    let words = super::people::words(text);
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
                || super::lexicon::is_not_name(p.text)
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
                });
            }
        }
    }
    for w in &words {
        if out.iter().any(|r| r.start <= w.start && w.end <= r.end)
            || overlaps_known(w.start, w.end)
        {
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
            });
        }
    }
    out
}

/// A run of capitalised words right after `pos` (an unknown club: "Nowhere Rovers").
fn capital_run_after(text: &str, pos: usize) -> Option<(usize, usize)> {
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
fn club_name_word(w: &str) -> bool {
    !super::lexicon::is_not_name(w) || CLUB_SUFFIXES.contains(&w)
}

/// A run of capitalised words ending right before `pos`.
fn capital_run_before(text: &str, pos: usize) -> Option<(usize, usize)> {
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
fn rank_sides(text: &str, refs: &[SideRef]) -> Vec<String> {
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

/// Everything known around one score, for choosing its two sides.
struct Around<'a> {
    text: &'a str,
    sent: (usize, usize),
    s: usize,
    e: usize,
    g: [u32; 2],
    in_sent: &'a [&'a SideRef],

    people: &'a People,
    ranked: &'a [String],
    near_pre: &'a [String],
    /// The latest result stated before this score, for "the visitors" and "the hosts".
    prev: Option<&'a MatchResult>,
    near_post: &'a [String],
    post_l: &'a str,
}

const PASSIVE: &[&str] = &[
    "crushed",
    "beaten",
    "thrashed",
    "hammered",
    "defeated",
    "humbled",
    "routed",
    "thumped",
    "demolished",
    "stunned",
    "humiliated",
    "embarrassed",
];
const FILLER: &[&str] = &[
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

fn side(name: &str) -> SideRef {
    SideRef {
        name: name.to_string(),
        start: 0,
        end: 0,
        venue: false,
        place_only: false,
    }
}

/// Where the clause holding the score starts: after a comma, or a word that opens a clause.
fn clause_start(text: &str, sent_start: usize, s: usize) -> (usize, bool) {
    let head = &text[sent_start..s];
    let mut best = 0;
    for pat in [
        ", ", "; ", " - ", " before ", " after ", " while ", " when ", " but ", " seeing ",
        " since ", " as ",
    ] {
        if let Some(i) = head.rfind(pat) {
            best = best.max(i + pat.len());
        }
    }
    let rest = head[best..].trim_start().to_ascii_lowercase();
    let relative =
        rest.starts_with("who ") || rest.starts_with("which ") || rest.starts_with("whose ");
    (sent_start + best, relative)
}

/// The two sides of a score and its goals in their order, from the words around it.
fn pick_sides(c: &Around) -> Option<(SideRef, SideRef, [u32; 2])> {
    let (text, s, e) = (c.text, c.s, c.e);
    let sides: Vec<&SideRef> = c
        .in_sent
        .iter()
        .copied()
        .filter(|r| !r.place_only)
        .collect();
    let direct_before = sides
        .iter()
        .rev()
        .find(|r| r.end <= s && text[r.end..s].trim().is_empty())
        .map(|r| (*r).clone())
        .or_else(|| {
            capital_run_before(text, s)
                .filter(|&(a, _)| a >= c.sent.0)
                .map(|(a, b)| unknown(text, a, b))
        });
    let direct_after = sides
        .iter()
        .find(|r| r.start >= e && text[e..r.start].trim().is_empty())
        .map(|r| (*r).clone());
    if let (Some(a), Some(b)) = (&direct_before, &direct_after) {
        if a.name != b.name {
            return Some((a.clone(), b.clone(), c.g));
        }
    }
    let verb_before = |r: &SideRef| {
        lower_words(&text[c.sent.0..r.start])
            .last()
            .is_some_and(|w| {
                matches!(
                    w.as_str(),
                    "beat"
                        | "beating"
                        | "thrashed"
                        | "thumped"
                        | "hammered"
                        | "crushed"
                        | "defeated"
                        | "edged"
                        | "overcame"
                        | "drew"
                        | "routed"
                        | "stunned"
                        | "humbled"
                        | "downed"
                )
            })
    };
    let ranked_except = |n: &str| c.ranked.iter().find(|r| *r != n).map(|r| side(r));
    let first_between = |from: usize, to: usize, except: Option<&str>| {
        sides
            .iter()
            .find(|r| {
                r.start >= from && r.end <= to && !r.venue && except.is_none_or(|x| x != r.name)
            })
            .map(|r| (*r).clone())
    };
    let (cs, relative) = clause_start(text, c.sent.0, s);
    // "..., as they beat X 3-1": "they" is the sentence's subject.
    let pronoun_clause = lower_words(&text[cs..s])
        .first()
        .is_some_and(|w| matches!(w.as_str(), "they" | "it" | "he" | "she"));
    let beaten = direct_before.clone().filter(|r| verb_before(r));
    let possessive = possessive_side(c).map(|n| side(&n));
    let them = c
        .near_pre
        .last()
        .is_some_and(|w| matches!(w.as_str(), "them" | "us"));

    let after_prep =
        c.in_sent
            .iter()
            .filter(|r| r.start >= e && r.start - e <= 45)
            .find(|r| {
                let between = lower_words(&text[e..r.start]);
                let mut it = between
                    .iter()
                    .rev()
                    .skip_while(|w| FILLER.contains(&w.as_str()));
                it.next()
                    .is_some_and(|w| PREPOSITIONS.contains(&w.as_str()))
            })
            .map(|r| (*r).clone())
            .or_else(|| {
                let after = lower_words(&text[e..(e + 30).min(c.sent.1)]);
                let prep_at = after.iter().take(3).position(|w| {
                    matches!(w.as_str(), "over" | "against" | "to" | "by" | "with")
                })?;
                let needle = &after[prep_at];
                let off = text[e..c.sent.1]
                    .to_lowercase()
                    .find(&format!(" {needle} "))?
                    + needle.len()
                    + 2;
                capital_run_after(text, e + off).map(|(a, b)| unknown(text, a, b))
            });
    let hint = after_prep.as_ref().map(|r| r.name.clone());
    // "The visitors, who beat Mainz 3-0": a side of the match just reported.
    let by_role = {
        let head = text[c.sent.0..s].trim_start().to_lowercase();
        let prev = c.prev.filter(|p| p.home.is_some());
        prev.and_then(|p| {
            let home = p.home.clone()?;
            let away = p.teams.iter().find(|t| **t != home)?.clone();
            if head.starts_with("the visitors") || head.starts_with("the away side") {
                Some(side(&away))
            } else if head.starts_with("the hosts") || head.starts_with("the home side") {
                Some(side(&home))
            } else {
                None
            }
        })
    };
    let subj = if let Some(b) = &beaten {
        possessive
            .clone()
            .or(by_role.clone())
            .or_else(|| first_between(cs, b.start, Some(&b.name)))
            .or_else(|| first_between(c.sent.0, b.start, Some(&b.name)))
            .or_else(|| ranked_except(&b.name))
    } else {
        let before_clause = || {
            sides
                .iter()
                .rev()
                .find(|r| r.end <= cs)
                .map(|r| (*r).clone())
        };
        possessive
            .or(by_role)
            .or_else(|| if relative { before_clause() } else { None })
            .or_else(|| {
                if pronoun_clause {
                    None
                } else {
                    first_between(cs, s, None)
                }
            })
            .or_else(|| first_between(c.sent.0, s, None))
            .or_else(|| match &hint {
                Some(h) => ranked_except(h),
                None => c.ranked.first().map(|n| side(n)),
            })
    }?;
    let obj = beaten
        .filter(|b| b.name != subj.name)
        .or(after_prep.filter(|r| r.name != subj.name))
        .or_else(|| {
            if them {
                ranked_except(&subj.name)
            } else {
                None
            }
        })
        .or_else(|| {
            c.in_sent
                .iter()
                .find(|r| r.venue && r.name != subj.name)
                .map(|r| (*r).clone())
        })
        .or_else(|| {
            sides
                .iter()
                .find(|r| r.name != subj.name)
                .map(|r| (*r).clone())
        })
        .or_else(|| ranked_except(&subj.name))?;
    if obj.name == subj.name {
        return None;
    }
    // Orientation: the subject's goals first.
    let window: Vec<String> = c
        .near_pre
        .iter()
        .rev()
        .take(4)
        .rev()
        .chain(c.near_post.iter().take(2))
        .cloned()
        .collect();
    let verb_right_before = c.near_pre.last().map(String::as_str);
    let passive = verb_right_before.is_some_and(|w| PASSIVE.contains(&w))
        || window.iter().any(|w| w == "beaten");
    let defeat_of = c.post_l.starts_with("defeat of")
        || c.post_l.starts_with("win over")
        || c.post_l.starts_with("victory over");
    let won = if any_word(&window, DRAW) {
        None
    } else if defeat_of {
        Some(true)
    } else if passive || any_word(&window, LOSS) {
        Some(false)
    } else if any_word(&window, WIN) || them {
        Some(true)
    } else {
        None
    };
    let (hi, lo) = (c.g[0].max(c.g[1]), c.g[0].min(c.g[1]));
    let goals = match won {
        Some(true) => [hi, lo],
        Some(false) => [lo, hi],
        None => c.g,
    };
    Some((subj, obj, goals))
}

/// "his side's 3-2 victory", "Steve Bruce's side won 2-1": the side of the person meant.
fn possessive_side(c: &Around) -> Option<String> {
    let head = &c.text[c.sent.0..c.s];
    let lw = lower_words(head);
    let n = lw.len();
    let at = (n.saturating_sub(4)..n).rev().find(|&i| {
        matches!(
            lw[i].as_str(),
            "side" | "side's" | "team" | "team's" | "men" | "men's"
        )
    })?;
    let owner = lw.get(at.checked_sub(1)?)?;
    if matches!(owner.as_str(), "his" | "her") {
        // The latest person named before the score whose club we know.
        return c
            .people
            .mentions
            .iter()
            .rev()
            .filter(|m| m.start < c.s)
            .find_map(|m| c.people.list[m.person].team.clone());
    }
    if owner.ends_with("'s") {
        let who = c
            .people
            .mentions
            .iter()
            .rev()
            .find(|m| m.start < c.s && m.start >= c.sent.0)?;
        return c.people.list[who.person].team.clone();
    }
    None
}

/// "Mourinho's side", "his side": a side named through its manager or player.
fn person_sides(text: &str, sent: (usize, usize), people: &People) -> Vec<SideRef> {
    let seg = &text[sent.0..sent.1];
    let mut out = Vec::new();
    for pat in ["'s side", "’s side", "'s team", "'s men"] {
        let mut from = 0;
        while let Some(i) = seg[from..].find(pat) {
            let at = sent.0 + from + i;
            if let Some(m) = people.mentions.iter().find(|m| m.end == at) {
                if let Some(t) = &people.list[m.person].team {
                    out.push(SideRef {
                        name: t.clone(),
                        start: m.start,
                        end: at + pat.len(),
                        venue: false,
                        place_only: false,
                    });
                }
            }
            from += i + pat.len();
        }
    }
    out
}

/// A score found in the text with its reading.
struct Found {
    result: MatchResult,
    sentence: (usize, usize),
}

/// Finds played results and tie facts.
pub fn find_results(
    text: &str,
    quotes: &[QuoteSpan],
    people: &People,
    ctx: &ReportContext,
    teams: &TeamBook,
    team_hits: &[crate::teams::Found],
) -> (Vec<MatchResult>, Vec<TieFact>) {
    let sents = sentences(text);
    let refs = side_refs(text, teams, team_hits);
    let ranked = rank_sides(text, &refs);
    let report_comp = ctx.competition.clone().or_else(|| competition_in(text));
    let mut found: Vec<Found> = Vec::new();
    let mut shootouts: Vec<((usize, usize), [u32; 2])> = Vec::new();

    for m in SCORE.captures_iter(text) {
        let whole = m.get(0).expect("match");
        let (s, e) = (whole.start(), whole.end());
        let bytes = text.as_bytes();
        let prev = s.checked_sub(1).map(|i| bytes[i]);
        let next = bytes.get(e).copied();
        if prev
            .is_some_and(|p| p == b'-' || p == b'.' || p == b':' || p == b'/' || p.is_ascii_digit())
            || next.is_some_and(|n| {
                n == b'-'
                    || n == b'%'
                    || n == b'/'
                    || n == b'.' && bytes.get(e + 1).is_some_and(u8::is_ascii_digit)
            })
        {
            continue;
        }
        if quotes
            .iter()
            .any(|q| q.open_mark <= s && s < q.close_mark.max(q.end))
        {
            continue;
        }
        let g1: u32 = m[1].parse().unwrap_or(0);
        let g2: u32 = m[2].parse().unwrap_or(0);
        let sent = sentence_of(&sents, s);
        let pre = &text[sent.0..s];
        let post = &text[e..sent.1];
        let pre_w = lower_words(pre);
        let post_w = lower_words(post);
        let near_pre: Vec<String> = pre_w.iter().rev().take(4).rev().cloned().collect();
        let near_post: Vec<String> = post_w.iter().take(5).cloned().collect();
        let post_l = post.trim_start().to_lowercase();
        let pre_l = pre.trim_end().to_lowercase();

        // Shoot-out scores belong to the match they decided.
        if post_l.starts_with("on penalties")
            || post_l.starts_with("in a penalty shoot-out")
            || post_l.starts_with("in the penalty shoot-out")
            || post_l.starts_with("in a shoot-out")
            || post_l.starts_with("on spot-kicks")
            || post_l.starts_with("pens")
            || pre_l.ends_with("shoot-out")
        {
            shootouts.push((sent, [g1.max(g2), g1.min(g2)]));
            continue;
        }
        // In-game and hypothetical scores.
        if pre_l.ends_with(" at")
            || pre_l == "at"
            || pre_l.ends_with("led")
            || pre_l.ends_with("leading")
            || pre_l.ends_with("trailing")
        {
            continue;
        }
        if post_l.starts_with("at half-time")
            || post_l.starts_with("at the break")
            || post_l.starts_with("at the interval")
            || post_l.starts_with("half-time")
            || post_l.starts_with("down")
            || post_l.starts_with("up ")
            || post_l.starts_with("lead")
            || post_l.starts_with("advantage")
            || post_l.starts_with("deficit")
            || pre_l.ends_with("half-time")
            || post_l.starts_with("scoreline")
        {
            continue;
        }
        if pre_l.ends_with("make it")
            || any_word(&near_pre, HYPOTHETICAL)
            || modal_after(&near_post)
        {
            continue;
        }
        let aggregate = post_l.starts_with("on aggregate")
            || post_l.starts_with("aggregate")
            || pre_l.ends_with("aggregate")
            || near_post.iter().take(3).any(|w| w == "aggregate");

        // Sides around the score.
        let owned = person_sides(text, sent, people);
        let mut in_sent: Vec<&SideRef> = refs
            .iter()
            .filter(|r| r.start >= sent.0 && r.end <= sent.1)
            .chain(owned.iter())
            .collect();
        in_sent.sort_by_key(|r| r.start);
        let Some((a, b, goals)) = pick_sides(&Around {
            text,
            sent,
            s,
            e,
            g: [g1, g2],
            in_sent: &in_sent,

            people,
            ranked: &ranked,
            near_pre: &near_pre,
            prev: found.last().map(|f| &f.result),
            near_post: &near_post,
            post_l: &post_l,
        }) else {
            continue;
        };
        let pair = [a.name.clone(), b.name.clone()];

        // Home side: a venue in the sentence that belongs to one of the two.
        let window_l = text[sent.0..sent.1].to_lowercase();
        let mut home = None;
        let mut venue = None;
        for r in [&a, &b] {
            if r.venue {
                home = Some(r.name.clone());
                venue = Some(text[r.start..r.end].to_string());
            }
        }
        if home.is_none() {
            if let Some(r) = in_sent.iter().find(|r| r.venue && pair.contains(&r.name)) {
                home = Some(r.name.clone());
                venue = Some(text[r.start..r.end].to_string());
            }
        }
        if home.is_none() && (window_l.contains("at home") || window_l.contains("on home soil")) {
            home = Some(a.name.clone());
        }
        if home.is_none() && window_l.contains(" away ") {
            home = Some(b.name.clone());
        }
        let extra_time = window_l.contains("extra time")
            || window_l.contains("extra-time")
            || window_l.contains("aet");
        let leg = leg_near(text, sent, s, e);
        let competition = competition_in(&text[sent.0..sent.1]).or_else(|| report_comp.clone());
        let round = round_in(&text[sent.0..sent.1], false);
        let date = date_in(&text[sent.0..sent.1], ctx.published);
        let mut r = MatchResult {
            teams: pair,
            goals,
            home,
            aggregate,
            venue,
            competition,
            round,
            leg,
            extra_time,
            penalties: None,
            date,
            start: sent.0,
            end: sent.1,
        };
        if r.home.as_deref() == Some(r.teams[1].as_str()) {
            r.teams.swap(0, 1);
            r.goals.swap(0, 1);
        }
        if r.aggregate {
            r.home = None;
            r.venue = None;
            r.leg = None;
            r.date = None;
        }
        found.push(Found {
            result: r,
            sentence: sent,
        });
    }

    // Shoot-outs: to the level result of the same sentence, the winner's tally first.
    for (sent, pens) in shootouts {
        if let Some(f) = found.iter_mut().rev().find(|f| {
            f.sentence.0 <= sent.0 && !f.result.aggregate && f.result.goals[0] == f.result.goals[1]
        }) {
            let window = text[sent.0..sent.1].to_lowercase();
            // Which side won the shoot-out: the one named before "won"/"beat", else the first.
            let first_wins = !window.contains("lost") && !window.contains("beaten");
            f.result.penalties = Some(if first_wins { pens } else { [pens[1], pens[0]] });
            f.result.extra_time = true;
        }
    }
    let mut results: Vec<MatchResult> = Vec::new();
    for f in found {
        // The same match stated twice: keep the first, fill its gaps from the second.
        if let Some(prev) = results.iter_mut().find(|p| same_match(p, &f.result)) {
            prev.home = prev.home.take().or(f.result.home);
            prev.venue = prev.venue.take().or(f.result.venue);
            prev.leg = prev.leg.or(f.result.leg);
            prev.round = prev.round.or(f.result.round);
            prev.date = prev.date.or(f.result.date);
            continue;
        }
        results.push(f.result);
    }
    infer_legs(text, &mut results);
    orient_aggregates(&mut results);
    let ties = tie_facts(text, &sents, &refs, &results, report_comp.as_deref());
    for r in results.iter_mut() {
        if r.round.is_none() {
            if let Some(t) = ties.iter().find(|t| same_pair(&t.teams, &r.teams)) {
                r.round = t.round;
                r.competition = r.competition.clone().or(t.competition.clone());
            }
        }
    }
    (results, ties)
}

/// "a 1-0 win would be enough": a modal right after the score (or after its noun).
fn modal_after(post: &[String]) -> bool {
    let skip = usize::from(post.first().is_some_and(|w| {
        matches!(
            w.as_str(),
            "win" | "victory" | "defeat" | "draw" | "loss" | "result" | "scoreline"
        )
    }));
    post.get(skip).is_some_and(|w| {
        matches!(
            w.as_str(),
            "would" | "could" | "will" | "should" | "might" | "needed" | "need"
        )
    })
}

fn unknown(text: &str, a: usize, b: usize) -> SideRef {
    SideRef {
        name: text[a..b].to_string(),
        start: a,
        end: b,
        venue: false,
        place_only: false,
    }
}

fn same_pair(a: &[String; 2], b: &[String; 2]) -> bool {
    (a[0] == b[0] && a[1] == b[1]) || (a[0] == b[1] && a[1] == b[0])
}

fn same_match(a: &MatchResult, b: &MatchResult) -> bool {
    if a.aggregate != b.aggregate {
        return false;
    }
    if a.teams == b.teams {
        a.goals == b.goals
    } else if a.teams[0] == b.teams[1] && a.teams[1] == b.teams[0] {
        a.goals[0] == b.goals[1] && a.goals[1] == b.goals[0]
    } else {
        false
    }
}

/// "first leg", "first-leg", "second leg", "return leg" within a few words of the score.
fn leg_near(text: &str, sent: (usize, usize), s: usize, e: usize) -> Option<u8> {
    let lo = text[sent.0..s]
        .char_indices()
        .rev()
        .nth(30)
        .map_or(sent.0, |(i, _)| sent.0 + i);
    let hi = (e + 30).min(sent.1);
    let hi = (hi..=sent.1)
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(sent.1);
    let window = text[lo..hi].to_lowercase();
    if window.contains("first leg")
        || window.contains("first-leg")
        || window.contains("opening leg")
    {
        Some(1)
    } else if window.contains("second leg")
        || window.contains("second-leg")
        || window.contains("return leg")
    {
        Some(2)
    } else {
        None
    }
}

/// Case-insensitive (ASCII) substring test without allocating.
fn contains_ci(haystack: &str, needle: &str) -> bool {
    let n = needle.as_bytes();
    haystack
        .as_bytes()
        .windows(n.len())
        .any(|w| w.eq_ignore_ascii_case(n))
}

/// Two results of one pair in a two-legged tie: the report's own match (stated first)
/// is the later leg, the other the earlier one; each leg's home is the other's away.
fn infer_legs(text: &str, results: &mut [MatchResult]) {
    if results.len() < 2 {
        return;
    }
    let two_legged =
        contains_ci(text, "leg") || contains_ci(text, "aggregate") || contains_ci(text, "tie");
    if !two_legged {
        return;
    }
    for i in 0..results.len() {
        for j in i + 1..results.len() {
            if results[i].aggregate
                || results[j].aggregate
                || !same_pair(&results[i].teams, &results[j].teams)
            {
                continue;
            }
            match (results[i].leg, results[j].leg) {
                (None, None) => {
                    results[i].leg = Some(2);
                    results[j].leg = Some(1);
                }
                (Some(l), None) => results[j].leg = Some(3 - l.min(2)),
                (None, Some(l)) => results[i].leg = Some(3 - l.min(2)),
                _ => {}
            }
            let (hi, hj) = (results[i].home.clone(), results[j].home.clone());
            let other = |h: &str, r: &MatchResult| r.teams.iter().find(|t| *t != h).cloned();
            if hi.is_none() {
                if let Some(h) = &hj {
                    results[i].home = other(h, &results[i]);
                }
            }
            if hj.is_none() {
                if let Some(h) = &hi {
                    results[j].home = other(h, &results[j]);
                }
            }
        }
    }
}

/// An aggregate stated beside both legs must be their sum: that fixes which side it favours.
fn orient_aggregates(results: &mut [MatchResult]) {
    for i in 0..results.len() {
        if !results[i].aggregate {
            continue;
        }
        let pair = results[i].teams.clone();
        let legs: Vec<[u32; 2]> = results
            .iter()
            .filter(|r| !r.aggregate && r.leg.is_some() && same_pair(&r.teams, &pair))
            .map(|r| orient(&r.teams, r.goals, &pair))
            .collect();
        if legs.len() == 2 {
            let sum = [legs[0][0] + legs[1][0], legs[0][1] + legs[1][1]];
            let g = results[i].goals;
            if sum == [g[1], g[0]] && g[0] != g[1] {
                results[i].goals = sum;
            }
        }
    }
}

static COMPETITION_NAMES: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    aho_corasick::AhoCorasick::new(COMPETITIONS.iter().map(|c| c.0)).expect("competition patterns")
});

/// The competition a stretch of text names first, canonical form.
fn competition_in(s: &str) -> Option<String> {
    COMPETITION_NAMES
        .find(s)
        .map(|m| COMPETITIONS[m.pattern().as_usize()].1.to_string())
}

const ROUND_WORDS: [(&str, Round); 14] = [
    ("quarter-final", Round::QuarterFinal),
    ("quarter final", Round::QuarterFinal),
    ("last eight", Round::QuarterFinal),
    ("last 8", Round::QuarterFinal),
    ("semi-final", Round::SemiFinal),
    ("semi final", Round::SemiFinal),
    ("last four", Round::SemiFinal),
    ("last 4", Round::SemiFinal),
    ("last 16", Round::Last16),
    ("last sixteen", Round::Last16),
    ("last 32", Round::Last32),
    ("group stage", Round::Group),
    ("group game", Round::Group),
    (" final", Round::Final),
];

static ROUND_NAMES: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    aho_corasick::AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .build(ROUND_WORDS.iter().map(|r| r.0))
        .expect("round patterns")
});

/// The round a stretch of text names; `lowest` picks the earliest stage when several are named.
fn round_in(s: &str, lowest: bool) -> Option<Round> {
    let mut hits: Vec<(usize, Round)> = Vec::new();
    for m in ROUND_NAMES.find_iter(s) {
        let r = ROUND_WORDS[m.pattern().as_usize()].1;
        let rest = &s[m.start()..];
        // "final whistle" is no round.
        if r == Round::Final
            && rest
                .get(..15)
                .is_some_and(|x| x.eq_ignore_ascii_case(" final whistle"))
        {
            continue;
        }
        hits.push((m.start(), r));
    }
    if lowest {
        hits.iter().map(|h| h.1).min()
    } else {
        hits.first().map(|h| h.1)
    }
}

fn previous_round(r: Round) -> Option<Round> {
    match r {
        Round::Final => Some(Round::SemiFinal),
        Round::SemiFinal => Some(Round::QuarterFinal),
        Round::QuarterFinal => Some(Round::Last16),
        Round::Last16 => None,
        Round::Last32 | Round::Group => None,
    }
}

const THROUGH: &[&str] = &[
    "through",
    "progress",
    "progressed",
    "advance",
    "advanced",
    "reached",
    "reach",
    "reaching",
    "booked",
    "book",
    "into",
];
const OUT: &[&str] = &[
    "exit",
    "exited",
    "eliminated",
    "knocked",
    "out",
    "crashed",
    "bowed",
];
const MEET: &[&str] = &[
    "meet", "face", "play", "against", "await", "awaits", "host", "visit", "with",
];

/// What the report says about each two-legged tie it covers: every pair with a stated
/// aggregate or two legs, else the report's own match when it speaks of legs.
fn tie_facts(
    text: &str,
    sents: &[(usize, usize)],
    refs: &[SideRef],
    results: &[MatchResult],
    comp: Option<&str>,
) -> Vec<TieFact> {
    let mut pairs: Vec<[String; 2]> = Vec::new();
    for r in results {
        let legs = results
            .iter()
            .filter(|x| !x.aggregate && x.leg.is_some() && same_pair(&x.teams, &r.teams))
            .count();
        if (r.aggregate || legs >= 2) && !pairs.iter().any(|p| same_pair(p, &r.teams)) {
            pairs.push(r.teams.clone());
        }
    }
    if pairs.is_empty() && (contains_ci(text, " leg") || contains_ci(text, "through to")) {
        if let Some(main) = results.iter().find(|r| !r.aggregate) {
            pairs.push(main.teams.clone());
        }
    }
    pairs
        .iter()
        .map(|p| tie_fact(text, sents, refs, results, comp, p))
        .collect()
}

fn tie_fact(
    text: &str,
    sents: &[(usize, usize)],
    refs: &[SideRef],
    results: &[MatchResult],
    comp: Option<&str>,
    pair: &[String; 2],
) -> TieFact {
    let legs: Vec<&MatchResult> = results
        .iter()
        .filter(|r| !r.aggregate && same_pair(&r.teams, pair) && r.leg.is_some())
        .collect();
    let main = results
        .iter()
        .find(|r| same_pair(&r.teams, pair) && !r.aggregate)
        .or_else(|| results.iter().find(|r| same_pair(&r.teams, pair)));
    let agg_stated = results
        .iter()
        .find(|r| r.aggregate && same_pair(&r.teams, pair));
    let aggregate = if let Some(a) = agg_stated {
        Some(orient(&a.teams, a.goals, pair))
    } else if legs.len() >= 2 {
        let mut sum = [0, 0];
        for l in &legs {
            let g = orient(&l.teams, l.goals, pair);
            sum[0] += g[0];
            sum[1] += g[1];
        }
        Some(sum)
    } else {
        None
    };
    let mut winner = aggregate.and_then(|g| match g[0].cmp(&g[1]) {
        std::cmp::Ordering::Greater => Some(pair[0].clone()),
        std::cmp::Ordering::Less => Some(pair[1].clone()),
        std::cmp::Ordering::Equal => None,
    });
    let mut decided_by = None;
    if contains_ci(text, "away goal") || contains_ci(text, "away-goal") {
        decided_by = Some("away goals".to_string());
    }
    if let Some((l, pens)) = legs.iter().find_map(|l| l.penalties.map(|p| (l, p))) {
        let w = if pens[0] > pens[1] {
            &l.teams[0]
        } else {
            &l.teams[1]
        };
        winner = Some(w.clone());
        decided_by = Some("penalties".to_string());
    } else if legs.iter().any(|l| l.extra_time) && decided_by.is_none() {
        decided_by = Some("extra time".to_string());
    }
    let mut next_opponent = None;
    let mut next_round = None;
    let mut about_pair_before = false;
    for &(a, b) in sents {
        let raw = &text[a..b];
        // `refs` is in text order: the sides of this sentence are one slice of it.
        let lo = refs.partition_point(|r| r.start < a);
        let hi = refs.partition_point(|r| r.start < b);
        let sides: Vec<&SideRef> = refs[lo..hi]
            .iter()
            .filter(|r| r.end <= b && !r.place_only)
            .collect();
        let names_pair = sides.iter().any(|r| pair.contains(&r.name));
        // "They will face Juventus", "The French side will meet Roma": about the tie just named.
        let opener = raw.trim_start();
        let follows_on = about_pair_before
            && (opener.starts_with("They ")
                || opener.starts_with("The ")
                || opener.starts_with("they ")
                || opener.starts_with("the "));
        let about_pair = names_pair || follows_on;
        if !about_pair {
            if raw.chars().any(char::is_alphanumeric) {
                about_pair_before = false;
            }
            continue;
        }
        let sl = raw.to_lowercase();
        let ws = lower_words(&sl);
        about_pair_before = if !sl.chars().any(char::is_alphanumeric) {
            about_pair_before
        } else {
            names_pair
        };
        if !about_pair {
            continue;
        }
        let moves_on = any_word(&ws, THROUGH)
            || sl.contains("set up")
            || sl.contains("will meet")
            || sl.contains("will face")
            || sl.contains("will play");
        let goes_out = any_word(&ws, OUT);
        if winner.is_none() {
            if let Some(first) = sides.first().filter(|f| pair.contains(&f.name)) {
                if moves_on && !goes_out {
                    winner = Some(first.name.clone());
                } else if goes_out && !moves_on {
                    winner = pair.iter().find(|t| **t != first.name).cloned();
                }
            }
        }
        if next_opponent.is_none() && moves_on && any_word(&ws, MEET) {
            let after_meet = |r: &&&SideRef| {
                let before = lower_words(&text[a..r.start]);
                before
                    .iter()
                    .rev()
                    .take(4)
                    .any(|w| MEET.contains(&w.as_str()))
            };
            let named = sides
                .iter()
                .filter(|r| !pair.contains(&r.name))
                .find(after_meet)
                .map(|r| r.name.clone())
                .or_else(|| {
                    // An opponent the knowledge base does not know: the capitalised words after the verb.
                    ["meet ", "face ", "play ", "against "]
                        .iter()
                        .find_map(|v| {
                            let at = sl.find(v)? + v.len();
                            capital_run_after(text, a + at).map(|(x, y)| text[x..y].to_string())
                        })
                });
            if let Some(o) = named.filter(|o| !pair.contains(o)) {
                next_opponent = Some(o);
                next_round = round_in(&text[a..b], true);
            }
        }
    }
    let round = main
        .and_then(|m| m.round)
        .filter(|r| Some(*r) != next_round)
        .or_else(|| next_round.and_then(previous_round));
    TieFact {
        teams: pair.clone(),
        aggregate,
        winner,
        decided_by,
        competition: main
            .and_then(|m| m.competition.clone())
            .or(comp.map(str::to_string)),
        round,
        next_opponent,
        next_round,
    }
}

/// Goals of a result in the order of `pair`.
fn orient(teams: &[String; 2], goals: [u32; 2], pair: &[String; 2]) -> [u32; 2] {
    if teams[0] == pair[0] {
        goals
    } else {
        [goals[1], goals[0]]
    }
}
