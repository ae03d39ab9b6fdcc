//! People named in a report, with roles, clubs and the short forms used for them.
//!
//! A name is a run of capitalised words that is not a club, ground, city, month or
//! sentence opener. Later short mentions ("Klopp", "Nacho", "Mo Salah") are joined
//! to the fullest form the report gives ("Jurgen Klopp", "Nacho Fernandez", "Mohamed Salah").

use std::collections::HashSet;
use std::sync::LazyLock;

use super::lexicon::{WordSet, NATIONALITIES, NOT_NAMES, ROLES};
use super::Person;
use crate::teams::{Mention as TeamMention, TeamBook};
use crate::text::fold;

/// A word of the report with its byte range.
#[derive(Debug, Clone, Copy)]
pub struct Word<'a> {
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
}

/// Splits text into words (letters, digits, inner apostrophes and hyphens).
/// Hot: ASCII bytes are judged without decoding a char.
pub fn words(text: &str) -> Vec<Word<'_>> {
    let n = text.len();
    let mut out = Vec::with_capacity(n / 6);
    let mut i = 0;
    while i < n {
        // Between words only an alphanumeric char starts one.
        let (alnum, _, len) = char_at(text, i);
        if !alnum {
            i += len;
            continue;
        }
        let start = i;
        i += len;
        while i < n {
            let (alnum, joiner, len) = char_at(text, i);
            let inner = joiner && i + len < n && char_at(text, i + len).0;
            if !(alnum || inner) {
                break;
            }
            i += len;
        }
        out.push(Word {
            start,
            end: i,
            text: &text[start..i],
        });
    }
    out
}

/// At byte `i` (a char boundary): whether the char is alphanumeric, whether it may
/// join a word (`'`, `’`, `-`), and its length in bytes.
#[inline]
fn char_at(text: &str, i: usize) -> (bool, bool, usize) {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        return (b.is_ascii_alphanumeric(), b == b'\'' || b == b'-', 1);
    }
    wide_char_at(text, i)
}

#[cold]
fn wide_char_at(text: &str, i: usize) -> (bool, bool, usize) {
    let c = text[i..].chars().next().unwrap_or(' ');
    (c.is_alphanumeric(), c == '’', c.len_utf8())
}

/// One place a person is named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonMention {
    pub start: usize,
    pub end: usize,
    pub person: usize,
}

/// The people of one report and where each is named.
#[derive(Debug, Default)]
pub struct People {
    pub list: Vec<Person>,
    /// In text order.
    pub mentions: Vec<PersonMention>,
    /// Entries of `list` that are organisations speaking through statements ("Uefa", "SFA").
    pub orgs: Vec<usize>,
    /// (mention start, the story's person up to and including it), in text order.
    topics: Vec<(usize, usize)>,
}

impl People {
    /// The people, for the extraction result.
    pub fn into_people(self) -> Vec<Person> {
        self.list
    }

    /// The mention starting exactly at `start`, if any.
    pub fn mention_at(&self, start: usize) -> Option<&PersonMention> {
        self.mentions
            .binary_search_by_key(&start, |m| m.start)
            .ok()
            .map(|i| &self.mentions[i])
    }

    /// Mentions inside a byte range.
    pub fn mentions_in(&self, start: usize, end: usize) -> &[PersonMention] {
        let a = self.mentions.partition_point(|m| m.start < start);
        let b = self.mentions.partition_point(|m| m.start < end);
        &self.mentions[a..b.max(a)]
    }

    /// Whether an entry is an organisation rather than a person.
    pub fn is_org(&self, p: usize) -> bool {
        self.orgs.contains(&p)
    }

    /// The person the story is about so far: most often named before `pos`, first named on a tie.
    pub fn topic(&self, pos: usize) -> Option<usize> {
        let k = self.topics.partition_point(|t| t.0 < pos);
        k.checked_sub(1).map(|k| self.topics[k].1)
    }

    /// Precomputes [`People::topic`] for every mention, so asking is a binary search
    /// rather than a count over the whole report (long reports have thousands of mentions).
    fn index_topics(&mut self) {
        let mut counts: std::collections::HashMap<usize, (usize, usize)> =
            std::collections::HashMap::new();
        let mut best: Option<(usize, usize, usize)> = None; // (person, count, first mention)
        self.topics.clear();
        for (i, m) in self.mentions.iter().enumerate() {
            if self.orgs.contains(&m.person) {
                continue;
            }
            let e = counts.entry(m.person).or_insert((0, i));
            e.0 += 1;
            let (n, first) = *e;
            let better = match best {
                None => true,
                Some((_, bn, bfirst)) => n > bn || (n == bn && first < bfirst),
            };
            if better {
                best = Some((m.person, n, first));
            }
            if let Some((p, _, _)) = best {
                self.topics.push((m.start, p));
            }
        }
    }

    /// Whether a word of this person's name stands in `quoted` ("a word with Olof"):
    /// people rarely name themselves, so such a quote is someone else's.
    pub fn named_in(&self, p: usize, quoted: &str) -> bool {
        self.named_among(p, &capitalised_words(quoted))
    }

    /// [`People::named_in`] over a quote's [`capitalised_words`], split once per quote
    /// however many people are asked about.
    pub fn named_among(&self, p: usize, quoted: &[String]) -> bool {
        let person = &self.list[p];
        if self.is_org(p) {
            return false;
        }
        let names: Vec<String> = person
            .name
            .split_whitespace()
            .chain(person.aliases.iter().map(String::as_str))
            .filter(|n| n.chars().count() >= 3 && !matches!(*n, "Sir" | "Dr"))
            .map(fold)
            .collect();
        quoted.iter().any(|w| names.contains(w))
    }

    /// The entry for an organisation speaking as a body, added on first use.
    fn org_entry(&mut self, name: String) -> usize {
        if let Some(p) = self.list.iter().position(|p| p.name == name) {
            return p;
        }
        self.list.push(Person {
            name,
            aliases: Vec::new(),
            role: Some("organisation".into()),
            team: None,
        });
        self.orgs.push(self.list.len() - 1);
        self.list.len() - 1
    }

    /// The organisation named most recently before `pos`.
    pub fn last_org(&self, pos: usize) -> Option<usize> {
        self.mentions
            .iter()
            .rev()
            .filter(|m| m.start < pos)
            .find(|m| self.is_org(m.person))
            .map(|m| m.person)
    }

    /// The most recently named person (before `pos`) whose role matches.
    pub fn last_with_role(&self, role: &str, pos: usize) -> Option<usize> {
        self.mentions
            .iter()
            .rev()
            .filter(|m| m.start < pos)
            .find(|m| {
                self.list[m.person]
                    .role
                    .as_deref()
                    .is_some_and(|r| r.split_whitespace().any(|w| w == role))
            })
            .map(|m| m.person)
    }
}

/// The words of a quote that start with a capital, folded without a possessive ending:
/// what [`People::named_among`] compares names with.
pub fn capitalised_words(quoted: &str) -> Vec<String> {
    words(quoted)
        .iter()
        .filter(|w| w.text.chars().next().is_some_and(char::is_uppercase))
        .map(|w| fold(bare(w.text)))
        .collect()
}

static NOT_NAME_SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::new([NOT_NAMES, NATIONALITIES]));
static ROLE_SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::new([ROLES]));

const PARTICLES: &[&str] = &[
    "de", "da", "van", "der", "den", "von", "di", "dos", "du", "le", "la", "del", "bin", "ten",
    "ter",
];

fn is_capitalised(w: &str) -> bool {
    // "O'Neill" and "McGregor" count; acronyms such as "BBC" do not.
    w.chars().next().is_some_and(char::is_uppercase) && w.chars().any(char::is_lowercase)
}

/// Strips a possessive ending ("Klopp's" -> "Klopp").
fn bare(w: &str) -> &str {
    w.strip_suffix("'s")
        .or_else(|| w.strip_suffix("’s"))
        .or_else(|| w.strip_suffix('\''))
        .unwrap_or(w)
}

/// A candidate name found in text, before joining.
struct Candidate {
    start: usize,
    end: usize,
    tokens: Vec<String>,
    role: Option<String>,
    team: Option<String>,
    /// Named in a way that makes a single word a person ("midfielder Casemiro", "said Nacho").
    anchored: bool,
    /// First word of its sentence, where a capitalised descriptor may precede a surname.
    sentence_start: bool,
}

/// Finds the people a report names.
/// `team_hits` is `teams.scan(text)`, shared with the results stage.
/// `ws` is `words(text)`, shared with every other stage.
pub fn find_people(
    text: &str,
    ws: &[Word],
    teams: &TeamBook,
    team_hits: &[crate::teams::Found],
) -> People {
    let mut in_team = vec![false; ws.len()];
    let mut team_of_word: Vec<Option<usize>> = vec![None; ws.len()];
    {
        let mut k = 0;
        for (i, w) in ws.iter().enumerate() {
            while k < team_hits.len() && team_hits[k].end <= w.start {
                k += 1;
            }
            if let Some(h) = team_hits.get(k) {
                if h.start <= w.start && w.end <= h.end {
                    in_team[i] = true;
                    if let TeamMention::Team(t) = h.mention {
                        team_of_word[i] = Some(t);
                    }
                }
            }
        }
    }
    let mut cands: Vec<Candidate> = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        let w = ws[i];
        if !is_name_word(w.text, &in_team, i) {
            i += 1;
            continue;
        }
        // Extend over capitalised words separated by single spaces (and particles).
        let mut j = i;
        let mut toks = vec![bare(w.text).to_string()];
        while j + 1 < ws.len() && toks.len() < 4 {
            let gap = &text[ws[j].end..ws[j + 1].start];
            if gap != " " || ws[j].text != bare(ws[j].text) {
                break;
            }
            let nw = ws[j + 1].text;
            if is_name_word(nw, &in_team, j + 1) {
                toks.push(bare(nw).to_string());
                j += 1;
            } else if PARTICLES.contains(&nw)
                && j + 2 < ws.len()
                && &text[ws[j + 1].end..ws[j + 2].start] == " "
                && is_name_word(ws[j + 2].text, &in_team, j + 2)
            {
                toks.push(nw.to_string());
                toks.push(bare(ws[j + 2].text).to_string());
                j += 2;
            } else {
                break;
            }
        }
        let end = ws[j].start + bare(ws[j].text).len();
        // What precedes: "Liverpool manager", "Midfielder", "said", "Sir".
        let (role, team) = title_before(text, ws, i, &team_of_word, teams);
        // `is_speech_verb` reads any case, so the words need no lower-case copies.
        let prev = i.checked_sub(1).map(|p| ws[p].text);
        let next = ws.get(j + 1).map(|n| n.text);
        let after_verb = prev.is_some_and(super::lexicon::is_speech_verb);
        let before_verb = next.is_some_and(super::lexicon::is_speech_verb);
        let anchored = role.is_some() || after_verb || before_verb;
        let lead = text[..w.start].trim_end_matches([' ', '"', '“']);
        let sentence_start = lead.is_empty() || lead.ends_with(['.', '!', '?', '\n']);
        cands.push(Candidate {
            start: w.start,
            end,
            tokens: toks,
            role,
            team,
            anchored,
            sentence_start,
        });
        i = j + 1;
    }
    let mut people = join(cands);
    add_orgs(text, &mut people);
    add_club_voices(text, teams, team_hits, &mut people);
    people.index_topics();
    people
}

/// Bodies that speak through statements and spokesmen. The short form joins the long
/// one when the report gives both ("the Football Association" ... "the FA confirmed").
const ORGS: &[(&str, &str)] = &[
    ("Football Association", "Football Association"),
    ("FA", "Football Association"),
    (
        "Scottish Football Association",
        "Scottish Football Association",
    ),
    ("SFA", "Scottish Football Association"),
    ("Uefa", "Uefa"),
    ("UEFA", "Uefa"),
    ("Fifa", "Fifa"),
    ("FIFA", "Fifa"),
    ("Premier League", "Premier League"),
    ("Football League", "Football League"),
];

/// Every place each of [`ORGS`] stands, whole word or not, grouped by form in the
/// order of `ORGS`: one scan of the text for all forms (no form overlaps itself, so
/// this is what a search for each form in turn would find).
fn org_hits(text: &str) -> Vec<(usize, usize)> {
    static FORMS: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
        aho_corasick::AhoCorasick::new(ORGS.iter().map(|o| o.0)).expect("org patterns")
    });
    let mut hits: Vec<(usize, usize)> = FORMS
        .find_overlapping_iter(text)
        .map(|m| (m.pattern().as_usize(), m.start()))
        .collect();
    hits.sort_unstable();
    hits
}

fn add_orgs(text: &str, people: &mut People) {
    let bytes = text.as_bytes();
    let hits = org_hits(text);
    let written = |form: &str| hits.iter().any(|&(k, _)| ORGS[k].0 == form);
    for (k, (form, long)) in ORGS.iter().enumerate() {
        let name = if written(long) { *long } else { *form };
        let lo = hits.partition_point(|&(p, _)| p < k);
        let hi = hits.partition_point(|&(p, _)| p <= k);
        for &(_, a) in &hits[lo..hi] {
            let b = a + form.len();
            let whole = (a == 0 || !bytes[a - 1].is_ascii_alphanumeric())
                && bytes.get(b).is_none_or(|c| !c.is_ascii_alphanumeric());
            // "Premier League" is an org only when it speaks; as a competition it is everywhere.
            let speaks = || {
                let after: String = text[b..]
                    .chars()
                    .take(30)
                    .collect::<String>()
                    .to_lowercase();
                [
                    "spokes",
                    "said",
                    "say",
                    "confirm",
                    "statement",
                    "added",
                    "told",
                    "announced",
                ]
                .iter()
                .any(|w| after.trim_start().starts_with(w))
            };
            let cup = [" Cup", " Trophy", " Youth"]
                .iter()
                .any(|c| text[b..].starts_with(c));
            if !whole || cup || (form.contains(' ') && *form != "Football Association" && !speaks())
            {
                continue;
            }
            if people.mentions.iter().any(|m| m.start <= a && a < m.end) {
                continue;
            }
            let pid = match people.list.iter().position(|p| p.name == name) {
                Some(p) => p,
                None => {
                    people.list.push(Person {
                        name: name.to_string(),
                        aliases: Vec::new(),
                        role: Some("organisation".into()),
                        team: None,
                    });
                    people.orgs.push(people.list.len() - 1);
                    people.list.len() - 1
                }
            };
            people.mentions.push(PersonMention {
                start: a,
                end: b,
                person: pid,
            });
        }
    }
    people.mentions.sort_by_key(|m| m.start);
}

/// Nouns for a body speaking without a named person: "a Juventus official", "the
/// club's statement", "a Chelsea spokesman".
const VOICE_NOUNS: &[&str] = &[
    "statement",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "official",
    "officials",
    "source",
    "sources",
];

/// A club that speaks through a statement or an unnamed official becomes a speaker at
/// that mention only: `Everton's statement said`, `a statement from Chelsea read`,
/// `said a Juventus official`. Elsewhere the club stays a team.
fn add_club_voices(
    text: &str,
    teams: &TeamBook,
    team_hits: &[crate::teams::Found],
    people: &mut People,
) {
    let is_voice = |w: &str| VOICE_NOUNS.contains(&w.trim_end_matches([',', '.']));
    for hit in team_hits {
        let TeamMention::Team(t) = hit.mention else {
            continue;
        };
        let after: Vec<String> = text[hit.end..]
            .trim_start_matches(['\'', '’', 's'])
            .split_whitespace()
            .take(1)
            .map(str::to_lowercase)
            .collect();
        let before: Vec<String> = text
            [back_to_boundary(text, hit.start.saturating_sub(24))..hit.start]
            .split_whitespace()
            .rev()
            .take(2)
            .map(str::to_lowercase)
            .collect();
        let speaks_after = after.first().is_some_and(|w| is_voice(w));
        let statement_from = before
            .first()
            .is_some_and(|w| matches!(w.as_str(), "from" | "by"))
            && before.get(1).is_some_and(|w| w == "statement");
        if !(speaks_after || statement_from)
            || people
                .mentions
                .iter()
                .any(|m| m.start < hit.end && hit.start < m.end)
        {
            continue;
        }
        let pid = people.org_entry(teams.get(t).name.clone());
        people.mentions.push(PersonMention {
            start: hit.start,
            end: hit.end,
            person: pid,
        });
    }
    add_the_club_voices(text, teams, team_hits, people);
    people.mentions.sort_by_key(|m| m.start);
}

/// `The club said: "..."`, `the club's statement read`: "the club" speaking is the
/// club named last before it.
fn add_the_club_voices(
    text: &str,
    teams: &TeamBook,
    team_hits: &[crate::teams::Found],
    people: &mut People,
) {
    for phrase in ["the club", "The club"] {
        for (at, _) in text.match_indices(phrase) {
            let word = at + phrase.len() - "club".len();
            let end = at + phrase.len();
            let rest = text[end..].trim_start_matches(['\'', '’', 's']);
            let next = rest.split_whitespace().next().unwrap_or("");
            let next = next.trim_end_matches([',', ':', '.']).to_ascii_lowercase();
            let speaks = VOICE_NOUNS.contains(&next.as_str())
                || super::lexicon::is_speech_verb(&next)
                || matches!(next.as_str(), "confirmed" | "announced");
            if !speaks || !text[end..].starts_with([' ', '\'', '’']) {
                continue;
            }
            let club = team_hits.iter().rev().find_map(|h| match h.mention {
                TeamMention::Team(t) if h.end <= at && teams.get(t).kind == "club" => Some(t),
                _ => None,
            });
            let Some(t) = club else { continue };
            let name = teams.get(t).name.clone();
            let pid = people.org_entry(name);
            people.mentions.push(PersonMention {
                start: word,
                end,
                person: pid,
            });
        }
    }
}

/// `pos`, moved on to a char boundary.
fn back_to_boundary(text: &str, mut pos: usize) -> usize {
    while !text.is_char_boundary(pos) {
        pos += 1;
    }
    pos
}

fn is_name_word(w: &str, in_team: &[bool], i: usize) -> bool {
    let b = bare(w);
    is_capitalised(b)
        && !in_team[i]
        && !NOT_NAME_SET.contains(b)
        && !b.chars().any(|c| c.is_ascii_digit())
}

/// Role and club stated just before a name: "Real midfielder", "Liverpool manager", "Midfielder".
fn title_before(
    text: &str,
    ws: &[Word],
    i: usize,
    team_of_word: &[Option<usize>],
    teams: &TeamBook,
) -> (Option<String>, Option<String>) {
    let mut k = i;
    let mut role_words: Vec<String> = Vec::new();
    // up to two role words directly before ("assistant manager", "centre-back")
    while k > 0 && role_words.len() < 2 {
        let p = ws[k - 1];
        if &text[p.end..ws[k].start] != " " {
            break;
        }
        let lw = p.text.to_lowercase();
        if ROLE_SET.contains(&lw)
            || (role_words.is_empty() && super::lexicon::is_nationality(p.text))
        {
            if ROLE_SET.contains(&lw) {
                role_words.insert(0, lw);
            }
            k -= 1;
        } else {
            break;
        }
    }
    if role_words.is_empty() {
        return (None, None);
    }
    let team = if k > 0 && text[ws[k - 1].end..ws[k].start].trim().is_empty() {
        team_of_word[k - 1].map(|t| teams.get(t).name.clone())
    } else {
        None
    };
    (Some(role_words.join(" ")), team)
}

/// Joins candidates that are the same person and records every mention.
fn join(cands: Vec<Candidate>) -> People {
    let mut people = People::default();
    let mut folded: Vec<Vec<String>> = Vec::new();
    // Multi-word names first, in order, so short forms have something to join.
    let mut order: Vec<usize> = (0..cands.len()).collect();
    order.sort_by_key(|&c| (cands[c].tokens.len() < 2, cands[c].start));
    let mut assigned: Vec<Option<usize>> = vec![None; cands.len()];
    // A single word named once as a person ("said Juninho") is a person everywhere.
    let anchored_words: HashSet<String> = cands
        .iter()
        .filter(|c| c.anchored && c.tokens.len() == 1)
        .map(|c| fold(&c.tokens[0]))
        .collect();
    for &ci in &order {
        let c = &cands[ci];
        let ft: Vec<String> = c
            .tokens
            .iter()
            .map(|t| fold(t))
            .filter(|t| !t.is_empty())
            .collect();
        if ft.is_empty() {
            continue;
        }
        // "Matchwinner Keane" at a sentence start: a descriptor before a known surname.
        let ft = if c.sentence_start
            && ft.len() == 2
            && folded
                .iter()
                .any(|k| k.len() >= 2 && k.last() == ft.last() && k[0] != ft[0])
        {
            ft[1..].to_vec()
        } else {
            ft
        };
        let found = find_same(&folded, &ft, &people, c.start);
        let pid = match found {
            Some(p) => {
                if ft.len() > folded[p].len()
                    || (ft.len() == folded[p].len()
                        && c.tokens.join(" ").len() > people.list[p].name.len())
                {
                    let old = people.list[p].name.clone();
                    people.list[p].aliases.push(old);
                    people.list[p].name = c.tokens.join(" ");
                    folded[p] = ft;
                } else {
                    let form = c.tokens.join(" ");
                    if form != people.list[p].name && !people.list[p].aliases.contains(&form) {
                        people.list[p].aliases.push(form);
                    }
                }
                p
            }
            None => {
                if ft.len() < 2 && !c.anchored && !anchored_words.contains(&ft[0]) {
                    continue;
                }
                people.list.push(Person {
                    name: c.tokens.join(" "),
                    aliases: Vec::new(),
                    role: None,
                    team: None,
                });
                folded.push(ft);
                people.list.len() - 1
            }
        };
        if people.list[pid].role.is_none() {
            people.list[pid].role = c.role.clone();
        }
        if people.list[pid].team.is_none() {
            people.list[pid].team = c.team.clone();
        }
        assigned[ci] = Some(pid);
        people.mentions.push(PersonMention {
            start: c.start,
            end: c.end,
            person: pid,
        });
    }
    people.mentions.sort_by_key(|m| m.start);
    people
}

/// The known person these folded tokens name: equal or contained token sets, a shared
/// surname with a compatible first name ("mo salah" ~ "mohamed salah"), or a surname one
/// letter off ("hassel" ~ "hassell").
fn find_same(folded: &[Vec<String>], ft: &[String], people: &People, pos: usize) -> Option<usize> {
    let contains = |big: &[String], small: &[String]| small.iter().all(|t| big.contains(t));
    let mut best: Option<usize> = None;
    for (p, known) in folded.iter().enumerate() {
        let hit = if ft.len() == 1 {
            known.contains(&ft[0])
        } else {
            contains(known, ft)
                || contains(ft, known)
                || (known.len() >= 2
                    && known.last() == ft.last()
                    && (known[0].starts_with(&ft[0]) || ft[0].starts_with(&known[0])))
        };
        if hit {
            best = Some(match best {
                // Several candidates: the one named most recently before this mention.
                Some(b) => more_recent(people, b, p, pos),
                None => p,
            });
        }
    }
    // A surname one letter off ("Hassel", "Hassall" for "Hassell"); cheap checks first.
    if best.is_none() && ft.len() == 1 && ft[0].len() >= 5 {
        for (p, known) in folded.iter().enumerate() {
            let close = |l: &String| {
                l.len().abs_diff(ft[0].len()) <= 1
                    && l.as_bytes().first() == ft[0].as_bytes().first()
                    && strsim::levenshtein(l, &ft[0]) == 1
            };
            if known.len() >= 2 && known.last().is_some_and(close) {
                return Some(p);
            }
        }
    }
    best
}

fn more_recent(people: &People, a: usize, b: usize, pos: usize) -> usize {
    let last = |p: usize| {
        people
            .mentions
            .iter()
            .filter(|m| m.person == p && m.start < pos)
            .map(|m| m.start)
            .max()
    };
    if last(b) > last(a) {
        b
    } else {
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people_of(text: &str) -> People {
        let book = TeamBook::embedded();
        find_people(text, &words(text), &book, &book.scan(text))
    }

    #[test]
    fn roles_and_clubs_become_facts_about_the_person() {
        let p = people_of(
            "Liverpool manager Jurgen Klopp was calm. Real midfielder Casemiro was not. Klopp left.",
        );
        let klopp = p.list.iter().find(|x| x.name == "Jurgen Klopp").unwrap();
        assert_eq!(klopp.role.as_deref(), Some("manager"));
        assert_eq!(klopp.team.as_deref(), Some("Liverpool"));
        let case = p.list.iter().find(|x| x.name == "Casemiro").unwrap();
        assert_eq!(case.team.as_deref(), Some("Real Madrid"));
        assert_eq!(
            p.mentions
                .iter()
                .filter(|m| p.list[m.person].name == "Jurgen Klopp")
                .count(),
            2
        );
    }

    #[test]
    fn short_forms_join_the_full_name() {
        let p = people_of(
            "Mohamed Salah missed. Nacho Fernandez held firm. We know Mo Salah, said Nacho.",
        );
        let names: Vec<_> = p.list.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(names, vec!["Mohamed Salah", "Nacho Fernandez"]);
        assert_eq!(p.mentions.len(), 4);
    }

    #[test]
    fn lower_case_particles_stay_inside_the_name() {
        let p = people_of(
            "United manager Erik ten Hag was calm. Coach Giovanni van Bronckhorst was not.",
        );
        let names: Vec<_> = p.list.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(names, vec!["Erik ten Hag", "Giovanni van Bronckhorst"]);
    }
}
