//! Scores stated in a report, and what they were: which sides, who was at home,
//! competition, round, leg, aggregate, extra time, penalties, date; and what the
//! report says of each tie as a whole.
//!
//! One pass over the score layer of the [`Doc`]: each score is first read for its
//! kind ([`reading`]), then for its two sides and their order ([`frames`]); the venue,
//! competition and round come from the same sentence ([`venue`], [`context`]); the
//! results of the report are then seen together ([`legs`], [`ties`]).

mod actors;
mod context;
mod frames;
mod legs;
mod outcome;
mod pairs;
pub mod reading;
pub mod scores;
mod sides;
mod ties;
mod venue;
mod vocab;

#[cfg(test)]
mod tests;

use std::ops::Range;

use super::dates::date_in;
use super::doc::Doc;
use super::{MatchResult, ReportContext, TieFact};
use crate::teams::TeamBook;
use context::{competition_in, leg_near, round_in};
use frames::{Scene, W};
use reading::{Around, ScoreKind};
use scores::ScoreMention;
use sides::SideRef;

/// How many words either side of a score are read: enough for any clause, and a
/// bound that keeps score-dense text linear.
const REACH_WORDS: usize = 24;

/// How many bytes of a sentence either side of a score are read: a clause is far
/// shorter, and the bound keeps a report of one endless sentence linear.
const REACH_BYTES: usize = 600;

/// How many results of one report are compared pairwise for legs and ties.
const PAIRWISE_BUDGET: usize = 64;

/// The part of a sentence a score's rules may read: at most [`REACH_BYTES`] either side.
fn reach(doc: &Doc, sent: Range<usize>, score: &ScoreMention) -> Range<usize> {
    let mut start = sent.start.max(score.start.saturating_sub(REACH_BYTES));
    let mut end = sent.end.min(score.end + REACH_BYTES).max(score.end);
    while !doc.text.is_char_boundary(start) {
        start += 1;
    }
    while !doc.text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// Finds played results and tie facts.
pub fn find_results(
    doc: &Doc,
    ctx: &ReportContext,
    teams: &TeamBook,
) -> (Vec<MatchResult>, Vec<TieFact>) {
    let text = doc.text;
    let mut refs = sides::side_refs(text, &doc.words, teams, &doc.team_hits);
    sides::mark_modifiers(text, &mut refs);
    let ranked = sides::rank_sides(text, &refs);
    let lead = doc.lead();
    let in_lead: Vec<String> = ranked
        .iter()
        .filter(|n| refs.iter().any(|r| &r.name == *n && r.start < lead.end))
        .cloned()
        .collect();
    // The report's own match: the first result read with both sides in its clause,
    // else the sides its headline and first paragraph name most.
    // One pass finds the scores; both the report's own match and the results read them.
    let found_scores = scores::find(doc);
    let topic = own_match(doc, &found_scores, &refs, &in_lead).unwrap_or_else(|| {
        if in_lead.len() >= 2 {
            in_lead
        } else {
            ranked.clone()
        }
    });
    let topic_comp = ctx.competition.clone().or_else(|| topic_competition(doc));
    let own_winner = outcome::lead_winner(doc, &refs, &topic);
    let mut found: Vec<MatchResult> = Vec::new();
    let mut shootouts: Vec<(Range<usize>, [u32; 2])> = Vec::new();
    for score in found_scores {
        let sent = reach(doc, doc.sentence_of(score.start), &score);
        let pre = words(doc, sent.start..score.start, true);
        let post = words(doc, score.end..sent.end, false);
        let pre_l: Vec<String> = pre.iter().map(|w| w.lower.clone()).collect();
        let post_l: Vec<String> = post.iter().map(|w| w.lower.clone()).collect();
        let kind = if score.split {
            ScoreKind::Result
        } else {
            reading::kind(&Around {
                pre: &pre_l,
                post: &post_l,
            })
        };
        match kind {
            ScoreKind::Shootout => {
                let g = score.goals;
                shootouts.push((sent, [g[0].max(g[1]), g[0].min(g[1])]));
                continue;
            }
            ScoreKind::InGame | ScoreKind::Hypothetical => continue,
            ScoreKind::Result | ScoreKind::Aggregate => {}
        }
        let mut in_sent = sides_in(&refs, sent.clone());
        in_sent.extend(sides::person_sides(text, sent.clone(), &doc.people));
        in_sent.sort_by_key(|r| r.start);
        let prev_sent = doc.sentence_of(sent.start.saturating_sub(2));
        let prev_sides = if prev_sent.end <= sent.start {
            sides_in(&refs, prev_sent)
        } else {
            Vec::new()
        };
        let scene = Scene {
            text,
            sentence: sent.clone(),
            sides: &in_sent,
            prev_sides: &prev_sides,
            pre: &pre,
            post: &post,
            people: &doc.people,
            topic: &topic,
            own_home: found.first().and_then(|f| f.home.as_deref()),
            own_winner: own_winner.as_deref(),
        };
        let Some(read) = frames::read(&scene, &score) else {
            continue;
        };
        let result = assemble(
            doc,
            ctx,
            &scene,
            &score,
            read,
            kind,
            topic_comp.as_deref(),
            &topic,
        );
        found.push(result);
    }
    attach_shootouts(text, &mut found, shootouts);
    let mut results = legs::merge_repeats(found);
    // Legs and ties compare results pairwise: a report states a handful, so past the
    // budget (a table of scores, a hostile text) the rest are kept as read.
    let pairwise = results.len().min(PAIRWISE_BUDGET);
    legs::infer_legs(text, &mut results[..pairwise]);
    legs::orient_aggregates(&mut results[..pairwise]);
    let ties = ties::tie_facts(
        text,
        &doc.sentences,
        &refs,
        &results[..pairwise],
        topic_comp.as_deref(),
    );
    for r in results.iter_mut() {
        if r.round.is_none() {
            if let Some(t) = ties.iter().find(|t| legs::same_pair(&t.teams, &r.teams)) {
                r.round = t.round;
            }
        }
    }
    (results, ties)
}

/// The sides of the first score of the headline or first paragraph read with both
/// sides named.
fn own_match(
    doc: &Doc,
    found: &[ScoreMention],
    refs: &[SideRef],
    lead: &[String],
) -> Option<Vec<String>> {
    let lead_end = doc.lead().end;
    found
        .iter()
        .take_while(|s| s.start < lead_end)
        .find_map(|score| {
            let sent = reach(doc, doc.sentence_of(score.start), score);
            let pre = words(doc, sent.start..score.start, true);
            let post = words(doc, score.end..sent.end, false);
            let pre_l: Vec<String> = pre.iter().map(|w| w.lower.clone()).collect();
            let post_l: Vec<String> = post.iter().map(|w| w.lower.clone()).collect();
            if !score.split
                && reading::kind(&Around {
                    pre: &pre_l,
                    post: &post_l,
                }) != ScoreKind::Result
            {
                return None;
            }
            let in_sent = sides_in(refs, sent.clone());
            let scene = Scene {
                text: doc.text,
                sentence: sent,
                sides: &in_sent,
                prev_sides: &[],
                pre: &pre,
                post: &post,
                people: &doc.people,
                topic: lead,
                own_home: None,
                own_winner: None,
            };
            let read = frames::read(&scene, score).filter(|r| r.certain)?;
            Some(read.teams.to_vec())
        })
}

/// Words of a range, lower-cased, at most [`REACH_WORDS`] from the score's side.
fn words(doc: &Doc, range: Range<usize>, from_end: bool) -> Vec<W> {
    let all = doc.words_in(range);
    let slice = if from_end {
        &all[all.len().saturating_sub(REACH_WORDS)..]
    } else {
        &all[..all.len().min(REACH_WORDS)]
    };
    slice
        .iter()
        .map(|w| W {
            lower: w.text.to_lowercase(),
            start: w.start,
            end: w.end,
        })
        .collect()
}

/// The sides inside a sentence (`refs` is in text order).
fn sides_in(refs: &[SideRef], sent: Range<usize>) -> Vec<SideRef> {
    let a = refs.partition_point(|r| r.start < sent.start);
    let b = refs.partition_point(|r| r.start < sent.end).max(a);
    refs[a..b]
        .iter()
        .filter(|r| r.end <= sent.end)
        .cloned()
        .collect()
}

/// The competition the report is about: named in its headline, and only one there. Claimed only for the report's own match.
fn topic_competition(doc: &Doc) -> Option<String> {
    let lead = &doc.text[doc.headline.clone()?];
    let first = competition_in(lead)?;
    let all_same = context::competitions_in(lead).iter().all(|c| *c == first);
    all_same.then_some(first)
}

/// The clause of a sentence holding a score: from the comma, semicolon or dash before
/// it to the one after it.
fn clause_around(text: &str, sent: Range<usize>, score: &ScoreMention) -> Range<usize> {
    let head = &text[sent.start..score.start];
    let start = [", ", "; ", " - ", " but ", " while ", " and then "]
        .iter()
        .filter_map(|b| head.rfind(b).map(|i| i + b.len()))
        .max()
        .map_or(sent.start, |i| sent.start + i);
    let tail = &text[score.end..sent.end];
    let end = [", ", "; ", " - ", " but ", " while "]
        .iter()
        .filter_map(|b| tail.find(b))
        .min()
        .map_or(sent.end, |i| score.end + i);
    start..end
}

/// A reading made into a result: venue, competition, round, leg, extra time, date.
#[allow(clippy::too_many_arguments)]
fn assemble(
    doc: &Doc,
    ctx: &ReportContext,
    scene: &Scene,
    score: &ScoreMention,
    read: frames::Reading,
    kind: ScoreKind,
    topic_comp: Option<&str>,
    topic: &[String],
) -> MatchResult {
    let text = doc.text;
    let sent = scene.sentence.clone();
    let sentence = &text[sent.clone()];
    let aggregate = kind == ScoreKind::Aggregate;
    let (home, venue) = venue::home_of(scene, &read);
    let own_match = topic.len() >= 2 && read.teams.iter().all(|t| topic[..2].contains(t));
    // Only the clause that states the score says which competition it was in.
    let clause = &text[clause_around(text, sent.clone(), score)];
    let competition = competition_in(clause)
        .or_else(|| ctx.competition.clone())
        .or_else(|| own_match.then(|| topic_comp.map(str::to_string)).flatten());
    let lower = sentence.to_lowercase();
    let extra_time =
        lower.contains("extra time") || lower.contains("extra-time") || lower.contains(" aet");
    let mut r = MatchResult {
        teams: read.teams,
        goals: read.goals,
        home,
        aggregate,
        venue,
        competition,
        round: round_in(clause, false),
        leg: leg_near(text, (sent.start, sent.end), score.start, score.end),
        extra_time,
        penalties: None,
        date: date_in(sentence, ctx.published),
        start: sent.start,
        end: sent.end,
        certain: read.certain,
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
    r
}

/// Shoot-outs go to the level result of the same sentence (or the one before), the
/// winner's tally first.
fn attach_shootouts(
    text: &str,
    found: &mut [MatchResult],
    shootouts: Vec<(Range<usize>, [u32; 2])>,
) {
    for (sent, pens) in shootouts {
        if let Some(f) = found
            .iter_mut()
            .rev()
            .take(8)
            .find(|f| f.start <= sent.start && !f.aggregate && f.goals[0] == f.goals[1])
        {
            let window = text[sent.clone()].to_lowercase();
            let first_wins = !window.contains("lost") && !window.contains("beaten");
            f.penalties = Some(if first_wins { pens } else { [pens[1], pens[0]] });
            f.extra_time = true;
        }
    }
}
