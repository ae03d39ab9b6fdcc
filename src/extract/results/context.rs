//! Which competition, round and leg a stretch of text names.

use std::sync::LazyLock;

use crate::extract::Round;

pub(super) const COMPETITIONS: &[(&str, &str)] = &[
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

/// "first leg", "first-leg", "second leg", "return leg" within a few words of the score.
pub(super) fn leg_near(text: &str, sent: (usize, usize), s: usize, e: usize) -> Option<u8> {
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

static COMPETITION_NAMES: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    aho_corasick::AhoCorasick::new(COMPETITIONS.iter().map(|c| c.0)).expect("competition patterns")
});

/// The competition a stretch of text names first, canonical form.
pub(super) fn competition_in(s: &str) -> Option<String> {
    COMPETITION_NAMES
        .find_iter(s)
        .find(|m| !names_another_fixture(s, m.start(), m.end()))
        .map(|m| COMPETITIONS[m.pattern().as_usize()].1.to_string())
}

/// "warmed up for their Champions League duel with Real by brushing aside Norwich
/// 4-0": a competition that names a fixture still to come is not the score's.
fn names_another_fixture(s: &str, start: usize, end: usize) -> bool {
    const AHEAD: &[&str] = &[
        "for",
        "ahead",
        "before",
        "next",
        "upcoming",
        "forthcoming",
        "looming",
    ];
    const FIXTURES: &[&str] = &[
        "duel",
        "clash",
        "tie",
        "match",
        "game",
        "meeting",
        "showdown",
        "encounter",
        "trip",
        "visit",
        "fixture",
        "date",
    ];
    let before: Vec<String> = s[..start]
        .split_whitespace()
        .rev()
        .take(3)
        .map(|w| w.to_lowercase())
        .collect();
    let after: Vec<String> = s[end..]
        .split_whitespace()
        .take(2)
        .map(|w| w.trim_end_matches([',', '.', ';']).to_lowercase())
        .collect();
    before.iter().any(|w| AHEAD.contains(&w.as_str()))
        && after.iter().any(|w| FIXTURES.contains(&w.as_str()))
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
pub(super) fn round_in(s: &str, lowest: bool) -> Option<Round> {
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

pub(super) fn previous_round(r: Round) -> Option<Round> {
    match r {
        Round::Final => Some(Round::SemiFinal),
        Round::SemiFinal => Some(Round::QuarterFinal),
        Round::QuarterFinal => Some(Round::Last16),
        Round::Last16 => None,
        Round::Last32 | Round::Group => None,
    }
}

/// Every competition a stretch of text names, canonical forms, in text order.
pub(super) fn competitions_in(s: &str) -> Vec<String> {
    COMPETITION_NAMES
        .find_iter(s)
        .map(|m| COMPETITIONS[m.pattern().as_usize()].1.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_competition_named_for_the_next_fixture_is_not_the_scores() {
        let clause = "warmed up for their Champions League duel with Real Madrid by brushing \
            aside Norwich 4-0 to open up a lead at the top of the Premier League";
        assert_eq!(competition_in(clause).as_deref(), Some("Premier League"));
        let played = "won their Champions League tie with Porto 2-1";
        assert_eq!(competition_in(played).as_deref(), Some("Champions League"));
        let ahead = "beat Fulham 2-0 ahead of the Uefa Cup trip to Seville";
        assert_eq!(competition_in(ahead), None);
    }
}
