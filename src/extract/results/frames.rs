//! Which two sides a score is between, and which way round: read from the clause that
//! states it, never guessed from elsewhere in the sentence.
//!
//! Each frame is one shape newswire uses for a result:
//! - a line score: `Aston Villa 0-1 Manchester City`;
//! - a verb and its object before the score: `Villa beat Norwich 2-1`, `lost to Leeds 1-0`;
//! - a verb before the score and the other side after it: `won 2-1 at Fulham`,
//!   `drew 1-1 with Spurs`, `came from behind to win 3-2`;
//! - a noun after the score: `Liverpool's 3-2 defeat by Chelsea`, `a 2-1 win over Leeds`,
//!   `a goalless draw at Goodison`, `handed Celtic a 3-0 defeat`.
//!
//! The side that acts (the subject, or the owner of the noun) is the nearest team
//! before the verb that no preposition governs; a person stands for their club when
//! the report says which; when the report's clause names only one side, the other is
//! the other side of the report's own match, and the reading is marked uncertain.

use super::pairs;
use super::scores::ScoreMention;
use super::sides::{capital_run_after, capital_run_before, SideRef, FILLER};
use crate::extract::people::People;

/// Which way a score goes for the side that acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The acting side won: it gets the larger tally.
    Won,
    /// The acting side lost.
    Lost,
    Drew,
}

/// A score read as a match: the sides in the order of `goals`.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub teams: [String; 2],
    pub goals: [u32; 2],
    /// Both sides were named in the clause (not taken from the report's own match).
    pub certain: bool,
    /// Home side, when the frame itself says ("won 2-1 at Fulham", "at home to Leeds").
    pub home: Option<String>,
}

/// What a frame found: the acting side, the other side, the outcome for the first.
struct Frame<'s> {
    actor: Option<Side<'s>>,
    other: Option<Side<'s>>,
    outcome: Outcome,
    /// Where the verb or noun phrase starts: the actor is looked for before it.
    pivot: usize,
    /// The other side was introduced by "at": it was at home.
    other_at_home: bool,
    /// "at home to": the actor was at home.
    actor_at_home: bool,
    /// The actor named through a person: "his side's 1-1 draw".
    actor_club: Option<String>,
}

#[derive(Clone)]
enum Side<'s> {
    Named(&'s SideRef),
    /// "them", "they": a side of the report's own match.
    Pronoun,
    /// A club the book does not know, read from its capitalised name.
    Unknown(String),
}

/// A lower-cased word with its byte range.
pub struct W {
    pub lower: String,
    pub start: usize,
    pub end: usize,
}

/// Everything a frame may read for one score.
pub struct Scene<'a> {
    pub text: &'a str,
    /// Byte range of the sentence.
    pub sentence: std::ops::Range<usize>,
    /// Sides named in the sentence, text order (places and modifiers included).
    pub sides: &'a [SideRef],
    /// Sides named in the sentence before, text order.
    pub prev_sides: &'a [SideRef],
    /// Words of the sentence before the score (bounded), text order.
    pub pre: &'a [W],
    /// Words of the sentence after the score (bounded), text order.
    pub post: &'a [W],
    pub people: &'a People,
    /// The report's own match, most-named sides first.
    pub topic: &'a [String],
    /// The home side of the report's own match, when read already.
    pub own_home: Option<&'a str>,
    /// The winner of the report's own match, when its lead says so without a score.
    pub own_winner: Option<&'a str>,
}

use super::actors::*;
use super::vocab::*;

fn is(w: Option<&W>, set: &[&str]) -> bool {
    w.is_some_and(|w| set.contains(&w.lower.as_str()))
}

/// Reads a score as a match between two sides, or `None` when the clause says too little.
pub fn read(scene: &Scene, score: &ScoreMention) -> Option<Reading> {
    if score.split {
        return pairs::split_line_score(scene, score);
    }
    if let Some(r) = line_score(scene, score).or_else(|| pairs::pair_level(scene, score)) {
        return Some(r);
    }
    if let Some(r) = left_level(scene, score) {
        return Some(r);
    }
    let frame = verb_object(scene, score)
        .or_else(|| noun_after(scene, score))
        .or_else(|| verb_before(scene, score))
        .or_else(|| through_on_aggregate(scene, score))?;
    resolve(scene, score, frame)
}

/// "to leave the score at 1-1": how the report's own match ended.
fn left_level(scene: &Scene, score: &ScoreMention) -> Option<Reading> {
    let n = scene.pre.len();
    let last = |k: usize| n.checked_sub(k).map(|i| scene.pre[i].lower.as_str());
    let leaves = matches!(last(4), Some("leave" | "left" | "leaving" | "leaves"))
        && last(3) == Some("the")
        && last(2) == Some("score")
        && last(1) == Some("at");
    if !leaves || score.goals[0] != score.goals[1] || scene.topic.len() < 2 {
        return None;
    }
    Some(Reading {
        teams: [scene.topic[0].clone(), scene.topic[1].clone()],
        goals: score.goals,
        certain: false,
        home: None,
    })
}

/// `Aston Villa 0-1 Manchester City`: a side right before and right after the score.
fn line_score(scene: &Scene, score: &ScoreMention) -> Option<Reading> {
    if score.worded {
        return None;
    }
    let text = scene.text;
    let direct_before = scene.sides.iter().rev().find(|r| {
        r.end <= score.start
            && !r.place_only
            && !r.modifier
            && text[r.end..score.start].trim().is_empty()
    });
    let direct_after = scene.sides.iter().find(|r| {
        r.start >= score.end
            && !r.place_only
            && !r.modifier
            && text[score.end..r.start].trim().is_empty()
    });
    // A line of its own ("Clyde 0-5 Celtic"): a club the book does not know may stand on either side.
    let own_line = text[scene.sentence.clone()].trim().len() < 60
        && !text[scene.sentence.clone()].trim_end().ends_with('.');
    let unknown_before = || {
        own_line
            .then(|| capital_run_before(text, score.start))
            .flatten()
            .filter(|&(a, _)| a >= scene.sentence.start)
            .map(|(a, b)| text[a..b].to_string())
    };
    let unknown_after = || {
        own_line
            .then(|| capital_run_after(text, score.end))
            .flatten()
            .filter(|&(_, b)| b <= scene.sentence.end)
            .map(|(a, b)| text[a..b].to_string())
    };
    let before = direct_before
        .map(|r| r.name.clone())
        .or_else(unknown_before)?;
    let after = direct_after
        .map(|r| r.name.clone())
        .or_else(unknown_after)?;
    (before != after).then_some(Reading {
        teams: [before, after],
        goals: score.goals,
        certain: true,
        home: None,
    })
}

/// Index in `pre` of the first word before `pos`, skipping object filler.
fn word_before_skipping(pre: &[W], pos: usize, skip: &[&str]) -> Option<usize> {
    let mut i = pre.partition_point(|w| w.end <= pos);
    while i > 0 {
        i -= 1;
        if !skip.contains(&pre[i].lower.as_str()) && !FILLER.contains(&pre[i].lower.as_str()) {
            return Some(i);
        }
    }
    None
}

/// `Villa beat Norwich 2-1`, `were beaten by Leeds 3-0`, `lost to Chelsea 1-0`,
/// `drew with Spurs 2-2`: the object stands right before the score.
fn verb_object<'s>(scene: &'s Scene, score: &ScoreMention) -> Option<Frame<'s>> {
    let text = scene.text;
    // "beat Inter (2-1)": a score in brackets after its object, as some wires write it.
    let object = scene.sides.iter().rev().find(|r| {
        r.end <= score.start
            && !r.place_only
            && !r.modifier
            && matches!(text[r.end..score.start].trim(), "" | "(")
    });
    let pre = scene.pre;
    let (object_start, other) = match object {
        Some(o) => (o.start, Side::Named(o)),
        // "beat them 2-1"
        None => {
            let last = pre.last()?;
            if matches!(last.lower.as_str(), "them" | "us")
                && text[last.end..score.start].trim().is_empty()
            {
                (last.start, Side::Pronoun)
            } else {
                // "beat Castle Heddon 2-0": a club the book does not know
                let (a, b) = capital_run_before(text, score.start)
                    .filter(|&(a, _)| a > scene.sentence.start)?;
                (a, Side::Unknown(text[a..b].to_string()))
            }
        }
    };
    let i = word_before_skipping(pre, object_start, OBJECT_FILLER)?;
    let w = &pre[i];
    let prior = i.checked_sub(1).map(|j| &pre[j]);
    let prior2 = i.checked_sub(2).map(|j| &pre[j]);
    let outcome = match w.lower.as_str() {
        v if WIN_VERBS.contains(&v) && !(PASSIVE_LOSS.contains(&v) && is(prior, PASSIVE_AUX)) => {
            Outcome::Won
        }
        // "Spain had beaten Russia 3-0": the perfect, not the passive.
        v if PASSIVE_LOSS.contains(&v) && is(prior, &["had", "have", "has", "having"]) => {
            Outcome::Won
        }
        v if PASSIVE_LOSS.contains(&v) && is(prior, PASSIVE_AUX) => return None,
        "by" if is(prior, PASSIVE_LOSS) => Outcome::Lost,
        "to" if is(prior, LOST_VERBS)
            || (is(prior, &["down"]) && is(prior2, &["went", "go", "going"])) =>
        {
            Outcome::Lost
        }
        "with" if is(prior, DREW_VERBS) => Outcome::Drew,
        "past" | "aside" | "off" => Outcome::Won,
        "against" | "over" if is(prior, WON_VERBS) => Outcome::Won,
        "against" if is(prior, LOST_VERBS) => Outcome::Lost,
        "against" if is(prior, DREW_VERBS) => Outcome::Drew,
        _ => return None,
    };
    Some(Frame {
        actor: None,
        other: Some(other),
        outcome,
        pivot: w.start,
        other_at_home: false,
        actor_at_home: false,
        actor_club: None,
    })
}

/// "to go through 4-2 on aggregate", "went out 3-2 on aggregate".
fn through_on_aggregate<'s>(scene: &'s Scene, score: &ScoreMention) -> Option<Frame<'s>> {
    let on_aggregate = scene.post.iter().take(2).any(|w| w.lower == "aggregate");
    let last = scene.pre.last()?;
    if !on_aggregate || !scene.text[last.end..score.start].trim().is_empty() {
        return None;
    }
    let outcome = match last.lower.as_str() {
        "through" | "progress" | "progressed" | "advance" | "advanced" | "won" | "win"
        | "winning" => Outcome::Won,
        "finished" | "ended" | "level" | "locked" => Outcome::Drew,
        "out" | "lost" | "lose" | "losing" | "eliminated" | "exit" | "exited" => Outcome::Lost,
        _ => return None,
    };
    let after = side_after(scene, score.end, 6);
    let pivot = scene.pre[scene.pre.len().saturating_sub(3)..]
        .first()
        .map_or(last.start, |w| w.start);
    Some(Frame {
        actor: None,
        other: after.map(|a| Side::Named(a.0)),
        outcome,
        pivot,
        other_at_home: false,
        actor_at_home: false,
        actor_club: None,
    })
}

/// The side a preposition introduces after `from` (within a few words): "at Fulham",
/// "over the Gunners", "at home to Leeds".
fn side_after<'s>(
    scene: &'s Scene,
    from: usize,
    limit: usize,
) -> Option<(&'s SideRef, &'s str, bool)> {
    let post = scene.post;
    let k = post.partition_point(|w| w.start < from);
    let mut prep: Option<&str> = None;
    let mut at_home = false;
    for (n, w) in post[k..].iter().enumerate().take(limit) {
        if let Some(r) = scene.sides.iter().find(|r| r.start == w.start) {
            if r.modifier {
                return None;
            }
            return prep.map(|p| (r, p, at_home));
        }
        let l = w.lower.as_str();
        if l == "hands" && prep == Some("at") {
            // "at the hands of Sevilla": by Sevilla
            prep = Some("by");
            continue;
        }
        if l == "of" && prep == Some("by") {
            continue;
        }
        if l == "home" && prep == Some("at") {
            at_home = true;
        } else if PREPS.contains(&l) {
            prep = Some(PREPS[PREPS.iter().position(|p| *p == l).unwrap_or(0)]);
        } else if LEG_WORDS.contains(&l) {
            // "in the first leg in Brighton": the leg is no side, the place after it is
            prep = None;
        } else if n > 0
            && !FILLER.contains(&l)
            && !OBJECT_FILLER.contains(&l)
            && !matches!(l, "hands" | "home" | "away" | "struggling")
        {
            if prep.is_some() {
                return None;
            }
            // Only an adjective or two may stand between the noun and its preposition.
            if n > 2 {
                return None;
            }
        }
    }
    None
}

/// `Liverpool's 3-2 defeat by Chelsea`, `a 2-1 win over Leeds`, `a goalless draw at
/// Everton`, `handed Celtic a 3-0 defeat`, `suffered a 2-0 loss`.
fn noun_after<'s>(scene: &'s Scene, score: &ScoreMention) -> Option<Frame<'s>> {
    let post = scene.post;
    let (noun, noun_end) = if score.worded {
        ("draw", score.end)
    } else {
        // Adjectives, and competition names ("a 3-0 Serie A win"), stand before the noun.
        let capitalised = |w: &&W| scene.text[w.start..].starts_with(|c: char| c.is_uppercase());
        let w = post
            .iter()
            .take(6)
            .find(|w| !NOUN_ADJECTIVES.contains(&w.lower.as_str()) && !capitalised(w))?;
        (w.lower.as_str(), w.end)
    };
    // "a 2-1 first-leg lead": the first leg's result, not a score during a game
    let first_leg = post.iter().take(6).any(|w| w.lower == "first-leg")
        || post
            .windows(2)
            .take(5)
            .any(|p| p[0].lower == "first" && p[1].lower == "leg");
    let base = if WIN_NOUNS.contains(&noun) || (first_leg && matches!(noun, "lead" | "advantage")) {
        Outcome::Won
    } else if LOSS_NOUNS.contains(&noun) {
        Outcome::Lost
    } else if DRAW_NOUNS.contains(&noun) {
        Outcome::Drew
    } else {
        return None;
    };
    let after = side_after(scene, noun_end, 7);
    let mut outcome = base;
    // "a 5-0 thrashing of Wigan" / "a 2-1 defeat of Leeds": the owner won.
    if EITHER_WAY_NOUNS.contains(&noun) {
        match after.map(|a| a.1) {
            Some("of" | "over" | "on") => outcome = Outcome::Won,
            Some("by") => outcome = Outcome::Lost,
            _ => {}
        }
    }
    // The article (or possessor) before the score, and the verb before that.
    let text = scene.text;
    let possessor = scene.sides.iter().rev().find(|r| {
        r.end <= score.start
            && !r.place_only
            && !r.modifier
            && matches!(text[r.end..score.start].trim(), "'s" | "’s" | "'" | "’")
    });
    let article = scene
        .pre
        .iter()
        .rposition(|w| !NOUN_ADJECTIVES.contains(&w.lower.as_str()) && w.end <= score.start);
    let mut pivot = score.start;
    let mut other = after.map(|a| Side::Named(a.0));
    let mut actor = possessor.map(Side::Named);
    let his_side = scene.pre.len() >= 2 && {
        let n = scene.pre.len();
        matches!(scene.pre[n - 2].lower.as_str(), "his" | "her")
            && matches!(
                scene.pre[n - 1].lower.as_str(),
                "side's" | "team's" | "men's" | "side’s" | "team’s" | "men’s" | "side" | "team"
            )
    };
    let owner_club = his_side
        .then(|| {
            latest_person_club(scene, score.start)
                .or_else(|| {
                    scene
                        .sides
                        .iter()
                        .find(|r| {
                            r.end < score.start
                                && !r.place_only
                                && matches!(text[r.end..].chars().next(), Some('\'' | '’'))
                        })
                        .map(|r| r.name.clone())
                })
                .or_else(|| scene.topic.first().cloned())
        })
        .flatten();
    if let Some(ai) = article {
        pivot = scene.pre[ai].start;
        let verb_i = if matches!(
            scene.pre[ai].lower.as_str(),
            "a" | "an" | "the" | "their" | "its"
        ) {
            ai.checked_sub(1)
        } else {
            None
        };
        // "handed Aberdeen a 3-0 defeat": step back over the side to the verb
        let verb_i = verb_i.map(|vi| {
            match scene.sides.iter().find(|r| {
                r.start <= scene.pre[vi].start && scene.pre[vi].end <= r.end && !r.place_only
            }) {
                Some(r) => scene.pre[..vi]
                    .iter()
                    .rposition(|w| w.end <= r.start)
                    .unwrap_or(vi),
                None => vi,
            }
        });
        if let Some(vi) = verb_i {
            let verb = &scene.pre[vi];
            let v = verb.lower.as_str();
            // "slumped to a 3-0 defeat", "fell to a 2-1 loss"
            // "to push former club Sunderland to a 3-0 defeat": that side took it
            if v == "to" {
                if let Some(r) = scene.sides.iter().rev().find(|r| {
                    r.end <= verb.start
                        && scene.text[r.end..verb.start].trim().is_empty()
                        && !r.place_only
                        && !r.modifier
                }) {
                    if base == Outcome::Lost {
                        other = Some(Side::Named(r));
                        outcome = Outcome::Won;
                        pivot = r.start;
                    }
                }
            }
            let verb = if v == "to" && vi > 0 {
                &scene.pre[vi - 1]
            } else {
                verb
            };
            if SUFFER.contains(&verb.lower.as_str()) && base != Outcome::Drew {
                outcome = Outcome::Lost;
            } else if INFLICT.contains(&verb.lower.as_str()) && base == Outcome::Lost {
                outcome = Outcome::Won;
            }
            pivot = pivot.min(verb.start);
            if matches!(
                scene.pre[vi].lower.as_str(),
                "give" | "giving" | "gives" | "gave"
            ) {
                if let Some(r) = scene
                    .sides
                    .iter()
                    .find(|r| r.start > scene.pre[vi].end && r.end <= scene.pre[ai].start)
                {
                    actor = actor.or(Some(Side::Named(r)));
                }
            }
            // "handed Celtic a 3-0 defeat": the side between verb and article lost.
            if let Some(r) = scene.sides.iter().find(|r| {
                r.start > verb.end && r.end <= scene.pre[ai].start && !r.place_only && !r.modifier
            }) {
                let giving = INFLICT.contains(&scene.pre[vi].lower.as_str())
                    || matches!(scene.pre[vi].lower.as_str(), "give" | "giving" | "gives");
                if giving && base == Outcome::Won {
                    // "gave Pellegrini's men a 3-1 win": they won
                    actor = Some(Side::Named(r));
                    outcome = Outcome::Won;
                } else if giving {
                    other = Some(Side::Named(r));
                    outcome = Outcome::Won;
                }
            }
        }
        // "a 2-1 win for Chelsea over Leeds": the side after "for" owns the win.
    }
    // Not "Liverpool's 3-2 defeat, his first goal for Chelsea": "for" must follow the noun.
    let for_follows = |r: &SideRef| {
        let gap = text[noun_end..r.start].trim().to_ascii_lowercase();
        gap == "for" || gap == "for the"
    };
    if let Some((r, "for", _)) = after.filter(|a| possessor.is_none() && for_follows(a.0)) {
        actor = Some(Side::Named(r));
        other = side_after(scene, r.end, 5).map(|a| Side::Named(a.0));
    }
    // Only the side that "at" introduced was at home ("handed Aberdeen a defeat at Ibrox").
    let other_from_after = match (&other, after) {
        (Some(Side::Named(o)), Some(a)) => std::ptr::eq(*o, a.0),
        _ => false,
    };
    let other_at_home = other_from_after && after.is_some_and(|a| a.1 == "at" && !a.2);
    let actor_at_home = after.is_some_and(|a| a.2);
    Some(Frame {
        actor,
        other,
        outcome,
        pivot,
        other_at_home,
        actor_at_home,
        actor_club: owner_club,
    })
}

/// `won 2-1 at Fulham`, `lost 3-0 to Leeds`, `drew 1-1 with Spurs`, `were beaten 2-0
/// by Celtic`, `came from behind to win 3-2`.
fn verb_before<'s>(scene: &'s Scene, score: &ScoreMention) -> Option<Frame<'s>> {
    if score.worded {
        return None;
    }
    let pre = scene.pre;
    // "winning the first leg at Stamford Bridge 3-1": a venue may stand before the score.
    let venue = scene.sides.iter().rev().find(|r| {
        r.place_only && r.end <= score.start && scene.text[r.end..score.start].trim().is_empty()
    });
    let verb_end = venue.map_or(score.start, |r| r.start);
    let i = word_before_skipping(pre, verb_end, VERB_SCORE_FILLER)?;
    let (i, venue) = match (venue, pre[i].lower.as_str()) {
        (Some(r), "at" | "in") => (
            word_before_skipping(pre, pre[i].start, VERB_SCORE_FILLER)?,
            Some(r),
        ),
        (Some(_), _) => return None,
        (None, _) => (i, None),
    };
    let w = &pre[i];
    let prior = i.checked_sub(1).map(|j| &pre[j]);
    let v = w.lower.as_str();
    let straight_before = scene.text[w.end..score.start].trim().is_empty();
    let outcome = if PASSIVE_LOSS.contains(&v) && (is(prior, PASSIVE_AUX) || straight_before) {
        Outcome::Lost
    } else if v == "held" {
        Outcome::Drew
    } else if WON_VERBS.contains(&v) {
        Outcome::Won
    } else if LOST_VERBS.contains(&v)
        || (v == "down" && is(prior, &["went", "go", "going", "goes"]))
    {
        Outcome::Lost
    } else if DREW_VERBS.contains(&v) {
        Outcome::Drew
    } else {
        return None;
    };
    let after = side_after(scene, score.end, 6);
    let pivot = if v == "down" {
        prior.map_or(w.start, |p| p.start)
    } else {
        w.start
    };
    if let Some(r) = venue {
        return Some(Frame {
            actor: None,
            other: Some(Side::Named(r)),
            outcome,
            pivot,
            other_at_home: true,
            actor_at_home: false,
            actor_club: None,
        });
    }
    Some(Frame {
        actor: None,
        other: after.map(|a| Side::Named(a.0)),
        outcome,
        pivot,
        other_at_home: after.is_some_and(|a| a.1 == "at" && !a.2),
        actor_at_home: after.is_some_and(|a| a.2),
        actor_club: None,
    })
}

/// "Kozak sealed their 2-0 win", "to seal the 3-0 win": a result that names no side,
/// in a sentence that names no other, is the report's own match; a draw needs no order,
/// a win or defeat takes it from the winner the lead gave. Returns (actor, other).
fn own_match_unnamed(scene: &Scene, outcome: Outcome) -> Option<(String, String)> {
    let pair = scene.topic.get(..2)?;
    let names_other = scene
        .sides
        .iter()
        .any(|r| !r.place_only && !pair.contains(&r.name));
    let sentence = scene.text[scene.sentence.clone()].to_lowercase();
    let looks_back = [
        "last season",
        "last year",
        "last week",
        "since",
        "previous",
        "earlier",
    ]
    .iter()
    .any(|w| sentence.contains(w));
    if names_other || looks_back {
        return None;
    }
    match outcome {
        Outcome::Drew => Some((pair[0].clone(), pair[1].clone())),
        Outcome::Won | Outcome::Lost => {
            let winner = scene.own_winner?;
            let loser = pair.iter().find(|t| *t != winner)?;
            let (winner, loser) = (winner.to_string(), loser.clone());
            Some(if outcome == Outcome::Won {
                (winner, loser)
            } else {
                (loser, winner)
            })
        }
    }
}

/// Turns a frame into a reading: finds the actor, fills a missing side from the
/// report's own match, and orders the goals.
fn resolve(scene: &Scene, score: &ScoreMention, frame: Frame) -> Option<Reading> {
    let mut certain = true;
    let mut home_hint: Option<String> = None;
    let mut other_name = match &frame.other {
        Some(Side::Named(r)) => Some(r.name.clone()),
        Some(Side::Unknown(n)) => Some(n.clone()),
        _ => None,
    };
    let other_is_place = matches!(frame.other, Some(Side::Named(r)) if r.place_only);
    let mut actor_name = match &frame.actor {
        Some(Side::Named(r)) => Some(r.name.clone()),
        Some(Side::Unknown(n)) => Some(n.clone()),
        _ => frame.actor_club.clone().or_else(|| {
            actor_before(scene, frame.pivot, false)
                .or_else(|| actor_before(scene, frame.pivot, true))
                .map(|r| r.name.clone())
                .or_else(|| possessive_opener(scene, frame.pivot))
                .or_else(|| they_before(scene, frame.pivot, other_name.as_deref()))
                .or_else(|| person_actor(scene, frame.pivot))
                .or_else(|| his_side_before(scene, frame.pivot))
                .or_else(|| host_or_visitor(scene, frame.pivot))
                .or_else(|| unknown_opener(scene, frame.pivot))
        }),
    };
    // "Liverpool won 2-0 at Anfield": the ground is the actor's own.
    if other_is_place && actor_name.is_some() && actor_name == other_name {
        home_hint = other_name.take();
    }
    if actor_name.is_some() && actor_name == other_name {
        actor_name = None;
    }
    let (actor, other) = match (actor_name, other_name) {
        (Some(a), Some(o)) => (a, o),
        (Some(a), None) => {
            certain = false;
            let others: Vec<&SideRef> = scene
                .sides
                .iter()
                .filter(|r| r.name != a && !r.place_only && !r.modifier && r.end <= score.start)
                .collect();
            let lone_other = others.iter().all(|r| r.name == others[0].name) && !others.is_empty();
            // "... the match with Arsenal on Saturday. His side came back to draw 1-1."
            let before: Vec<&SideRef> = scene
                .prev_sides
                .iter()
                .filter(|r| r.name != a && !r.place_only && !r.modifier)
                .collect();
            let lone_before = !before.is_empty() && before.iter().all(|r| r.name == before[0].name);
            let o = if lone_other && !matches!(frame.other, Some(Side::Pronoun)) {
                // The sentence names the other side itself: "failed against Real Madrid,
                // with a 0-0 draw at Anfield".
                certain = true;
                others[0].name.clone()
            } else if others.is_empty()
                && lone_before
                && !matches!(frame.other, Some(Side::Pronoun))
            {
                before[0].name.clone()
            } else if matches!(frame.other, Some(Side::Pronoun)) {
                scene.topic.iter().find(|t| **t != a).cloned()?
            } else {
                topic_other(scene, &a)?
            };
            (a, o)
        }
        (None, Some(o)) => {
            certain = false;
            let a = topic_other(scene, &o)
                .or_else(|| described_club(scene, &o))
                .or_else(|| {
                    matches!(frame.other, Some(Side::Named(_)))
                        .then(|| scene.topic.first().filter(|t| **t != o).cloned())
                        .flatten()
                })?;
            (a, o)
        }
        // "The tie finished 2-2 on aggregate": the report's own tie
        (None, None)
            if frame.outcome == Outcome::Drew
                && scene.post.iter().take(2).any(|w| w.lower == "aggregate")
                && scene.topic.len() >= 2 =>
        {
            certain = false;
            (scene.topic[0].clone(), scene.topic[1].clone())
        }
        (None, None) => {
            certain = false;
            own_match_unnamed(scene, frame.outcome)?
        }
    };
    if actor == other {
        return None;
    }
    let (hi, lo) = (
        score.goals[0].max(score.goals[1]),
        score.goals[0].min(score.goals[1]),
    );
    let goals = match frame.outcome {
        Outcome::Won => [hi, lo],
        Outcome::Lost => [lo, hi],
        Outcome::Drew => score.goals,
    };
    if frame.outcome == Outcome::Drew && goals[0] != goals[1] {
        return None;
    }
    if matches!(frame.outcome, Outcome::Won | Outcome::Lost) && hi == lo {
        return None;
    }
    let home = if let Some(h) = home_hint {
        Some(h)
    } else if frame.other_at_home && !other_is_place {
        Some(other.clone())
    } else if frame.actor_at_home {
        Some(actor.clone())
    } else {
        None
    };
    Some(Reading {
        teams: [actor, other],
        goals,
        certain,
        home,
    })
}
