//! Who acts in a clause, when the frame itself does not say: the nearest team no
//! preposition governs, "they" right before the verb, a person's club, "his side",
//! the visitors or the hosts, and the other side of the report's own match.

use super::frames::Scene;
use super::sides::{capital_run_before, SideRef, FILLER};
use super::vocab::{GOVERNING, WIN_VERBS};

/// Words that open a clause of their own: a side after them is its subject.
const CLAUSE_OPENERS: &[&str] = &[
    "while", "whilst", "whereas", "but", "as", "when", "after", "although", "though", "because",
    "until", "where",
];

/// The side that acts before `pivot`: the nearest team no preposition or verb governs
/// ("with the Irish winning" acts; "beat a very tough Everton" does not).
pub(super) fn actor_before<'s>(
    scene: &'s Scene,
    pivot: usize,
    lenient: bool,
) -> Option<&'s SideRef> {
    let text = scene.text;
    scene
        .sides
        .iter()
        .rev()
        .filter(|r| r.end <= pivot && !r.place_only && !r.modifier)
        .find(|r| {
            let head = &text[scene.sentence.start..r.start];
            let prev: Vec<&str> = head
                .rsplit(|c: char| !(c.is_alphanumeric() || c == '-'))
                .filter(|w| !w.is_empty())
                .take(4)
                .collect();
            // "with the Irish winning": an absolute clause, its side acts
            let acts_next = text[r.end..pivot].trim().is_empty()
                || text[r.end..]
                    .trim_start()
                    .split(' ')
                    .next()
                    .is_some_and(|w| w.ends_with("ing"));
            let governing = |w: &str| {
                let lenient_ok = lenient && w == "for";
                !lenient_ok
                    && (GOVERNING.iter().any(|g| w.eq_ignore_ascii_case(g))
                        || WIN_VERBS.iter().any(|g| w.eq_ignore_ascii_case(g)))
            };
            let between = text[r.end..pivot].trim_start_matches([',', ' ']);
            if between.starts_with("who ") || between.starts_with("which ") {
                return true;
            }
            let possessive = matches!(text[r.end..].chars().next(), Some('\'' | '’'));
            if possessive && !text[r.end..pivot].trim().is_empty() {
                return false;
            }
            // "drew with Watford and Bolton were beaten at Blackburn": "and" before a
            // side that heads its own clause joins clauses, not sides.
            let heads_clause = || {
                let gap = &text[r.end..pivot];
                !gap.contains([',', ';', '.'])
                    && gap.split_whitespace().count() <= 2
                    && gap
                        .split_whitespace()
                        .all(|w| w.chars().all(char::is_lowercase))
            };
            let mut governed = false;
            for (k, w) in prev.iter().enumerate() {
                // "in the semi-finals while Germany edged Turkey": a new clause
                // opens; nothing before it governs the side.
                if CLAUSE_OPENERS.iter().any(|c| w.eq_ignore_ascii_case(c)) {
                    break;
                }
                if governing(w) {
                    let absolute = acts_next && w.eq_ignore_ascii_case("with");
                    let joins_clauses = w.eq_ignore_ascii_case("and") && heads_clause();
                    governed = !(absolute || joins_clauses);
                    break;
                }
                let article = matches!(
                    w.to_ascii_lowercase().as_str(),
                    "a" | "an" | "the" | "their" | "his"
                );
                let filler = FILLER.contains(&w.to_ascii_lowercase().as_str())
                    || w.chars().next().is_some_and(char::is_lowercase) && k < 2;
                if !(article || filler) {
                    break;
                }
            }
            !governed
        })
}

/// "sent Inter Milan into the semi-finals as they beat Bayern 3-1": "they" right before
/// the verb is the nearest team named before it in the sentence.
pub(super) fn they_before(scene: &Scene, pivot: usize, other: Option<&str>) -> Option<String> {
    let k = scene.pre.partition_point(|w| w.end <= pivot);
    let pronoun = k.checked_sub(1).map(|i| &scene.pre[i])?;
    if !matches!(pronoun.lower.as_str(), "they" | "it") {
        return None;
    }
    scene
        .sides
        .iter()
        .rev()
        .filter(|r| r.end <= pronoun.start && !r.place_only && !r.modifier)
        .find(|r| Some(r.name.as_str()) != other)
        .map(|r| r.name.clone())
}

/// "Chester's slump ended in a 5-0 defeat at Shrewsbury": a club in the possessive
/// that opens the sentence is its subject, so the result that follows is that club's.
pub(super) fn possessive_opener(scene: &Scene, pivot: usize) -> Option<String> {
    let text = scene.text;
    let Some(first) = scene
        .sides
        .iter()
        .find(|r| r.start >= scene.sentence.start && r.end <= pivot && !r.place_only)
    else {
        return unknown_possessive_opener(scene, pivot);
    };
    let head = text[scene.sentence.start..first.start].trim();
    let opens = head.is_empty()
        || matches!(
            head,
            "But" | "And" | "Yet" | "So" | "Meanwhile," | "However,"
        );
    let rest = &text[first.end..];
    let possessive = rest.starts_with("'s ") || rest.starts_with("’s ") || rest.starts_with("' ");
    (opens && possessive).then(|| first.name.clone())
}

/// "Chester's slump ended in ...", where the book does not know Chester: a capitalised
/// word in the possessive opening the sentence, that is no person, a day or a month.
fn unknown_possessive_opener(scene: &Scene, pivot: usize) -> Option<String> {
    let text = scene.text;
    let start = scene.sentence.start
        + (text[scene.sentence.clone()].len() - text[scene.sentence.clone()].trim_start().len());
    let first = text[start..pivot].split(' ').next()?;
    let name = first
        .strip_suffix("'s")
        .or_else(|| first.strip_suffix("’s"))?;
    let capitalised = name.chars().next().is_some_and(char::is_uppercase)
        && name.chars().skip(1).all(char::is_lowercase)
        && name.len() >= 3;
    let person = scene.people.mention_at(start).is_some();
    (capitalised && !person && super::sides::club_name_word(name)).then(|| name.to_string())
}

/// "A 3-1 defeat at home to Villa left Arsenal supporters restless": when nothing
/// else names the side, a club that only describes people in the sentence is the one
/// it is about.
pub(super) fn described_club(scene: &Scene, other: &str) -> Option<String> {
    let named: Vec<&SideRef> = scene
        .sides
        .iter()
        .filter(|r| r.modifier && !r.place_only && r.name != other)
        .collect();
    let first = named.first()?;
    named
        .iter()
        .all(|r| r.name == first.name)
        .then(|| first.name.clone())
}

/// "Hereford drew 1-1 with ...": a club the book does not know, opening the sentence
/// right before the verb.
pub(super) fn unknown_opener(scene: &Scene, pivot: usize) -> Option<String> {
    let (a, b) = capital_run_before(scene.text, pivot)?;
    if a < scene.sentence.start || b > pivot {
        return None;
    }
    let opens = scene.text[scene.sentence.start..a].trim().is_empty();
    (opens && scene.text[b..pivot].trim().is_empty()).then(|| scene.text[a..b].to_string())
}

/// "The visitors, who beat Mainz 3-0": a side of the report's own match by its role.
pub(super) fn host_or_visitor(scene: &Scene, pivot: usize) -> Option<String> {
    let home = scene.own_home?;
    let head = scene.text[scene.sentence.start..pivot]
        .trim_start()
        .to_lowercase();
    let away = scene.topic.iter().take(2).find(|t| *t != home)?;
    if head.starts_with("the visitors") || head.starts_with("the away side") {
        Some(away.clone())
    } else if head.starts_with("the hosts") || head.starts_with("the home side") {
        Some(home.to_string())
    } else {
        None
    }
}

/// "his side came back to draw": the club of the person the sentence is about.
pub(super) fn his_side_before(scene: &Scene, pivot: usize) -> Option<String> {
    let k = scene.pre.partition_point(|w| w.end <= pivot);
    let window = &scene.pre[k.saturating_sub(6)..k];
    let at = window.windows(2).position(|p| {
        matches!(p[0].lower.as_str(), "his" | "her")
            && matches!(p[1].lower.as_str(), "side" | "team" | "men")
    })?;
    latest_person_club(scene, window[at].start).or_else(|| scene.topic.first().cloned())
}

/// The club of the latest person named before `pos` whose club the report gives.
pub(super) fn latest_person_club(scene: &Scene, pos: usize) -> Option<String> {
    scene
        .people
        .mentions
        .iter()
        .rev()
        .filter(|m| m.start < pos)
        .take(6)
        .find_map(|m| scene.people.list[m.person].team.clone())
}

/// The club of the nearest person named before `pivot` in the sentence, when known.
pub(super) fn person_actor(scene: &Scene, pivot: usize) -> Option<String> {
    scene
        .people
        .mentions_in(scene.sentence.start, pivot)
        .iter()
        .rev()
        .find_map(|m| scene.people.list[m.person].team.clone())
}

/// The other side of the report's own match.
pub(super) fn topic_other(scene: &Scene, known: &str) -> Option<String> {
    topic_pair_other(scene, known)
}

pub(super) fn topic_pair_other(scene: &Scene, known: &str) -> Option<String> {
    let pair = &scene.topic[..scene.topic.len().min(2)];
    if pair.len() == 2 && pair.iter().any(|t| t == known) {
        pair.iter().find(|t| *t != known).cloned()
    } else {
        None
    }
}
