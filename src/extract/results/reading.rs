//! What a score is, read from the words right around it: the result of a match, an
//! aggregate over two legs, a shoot-out, a score during a game, or one that was
//! never played. Each kind is a small named rule over the words of the sentence.

/// The kinds of score a report states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScoreKind {
    /// The final score of a match.
    Result,
    /// The sum of two legs: "4-3 on aggregate".
    Aggregate,
    /// A penalty shoot-out: "4-2 on penalties".
    Shootout,
    /// A score during a game: "put Arsenal 2-1 ahead", "1-0 at half-time", "a 2-0 lead".
    InGame,
    /// A score that was not played: "a 1-0 win would do", "if they lose 2-0".
    Hypothetical,
}

/// The words of the sentence around a score, lower-cased: `pre` ends right before it,
/// `post` starts right after it.
pub struct Around<'w> {
    pub pre: &'w [String],
    pub post: &'w [String],
}

impl Around<'_> {
    fn pre_ends_with(&self, words: &[&str]) -> bool {
        self.pre.len() >= words.len()
            && self.pre[self.pre.len() - words.len()..]
                .iter()
                .zip(words)
                .all(|(a, b)| a == b)
    }

    fn post_starts_with(&self, words: &[&str]) -> bool {
        self.post.len() >= words.len() && self.post.iter().zip(words).all(|(a, b)| a == b)
    }

    fn last_pre(&self, n: usize) -> &[String] {
        &self.pre[self.pre.len().saturating_sub(n)..]
    }

    fn first_post(&self, n: usize) -> &[String] {
        &self.post[..n.min(self.post.len())]
    }
}

/// Reads which kind of score this is; the first rule that fits decides.
pub fn kind(a: &Around) -> ScoreKind {
    if shootout(a) {
        ScoreKind::Shootout
    } else if aggregate(a) {
        ScoreKind::Aggregate
    } else if in_game(a) {
        ScoreKind::InGame
    } else if hypothetical(a) {
        ScoreKind::Hypothetical
    } else {
        ScoreKind::Result
    }
}

/// "4-2 on penalties", "won the shoot-out 5-4", "4-3 on spot-kicks".
fn shootout(a: &Around) -> bool {
    a.post_starts_with(&["on", "penalties"])
        || a.post_starts_with(&["on", "pens"])
        || a.post_starts_with(&["pens"])
        || a.post_starts_with(&["on", "spot-kicks"])
        || a.post_starts_with(&["in", "a", "penalty", "shoot-out"])
        || a.post_starts_with(&["in", "the", "penalty", "shoot-out"])
        || a.post_starts_with(&["in", "a", "shoot-out"])
        || a.post_starts_with(&["in", "the", "shoot-out"])
        || a.post_starts_with(&["penalty", "shoot-out"])
        || a.post_starts_with(&["shoot-out"])
        || a.pre_ends_with(&["shoot-out"])
        || (a.post.len() >= 3
            && a.post[1] == "on"
            && matches!(a.post[2].as_str(), "penalties" | "pens" | "spot-kicks"))
        || a.pre_ends_with(&["penalties"])
}

/// "4-3 on aggregate", "a 5-2 aggregate win", "aggregate 3-3".
fn aggregate(a: &Around) -> bool {
    a.first_post(3)
        .iter()
        .any(|w| w == "aggregate" || w == "agg")
        || a.pre_ends_with(&["aggregate"])
        || a.pre_ends_with(&["on", "aggregate"])
}

/// Words right after a score that make it a score during a game.
const IN_GAME_AFTER: &[&str] = &[
    "ahead",
    "up",
    "down",
    "lead",
    "leads",
    "advantage",
    "deficit",
    "behind",
    "half-time",
    "interval",
    "break",
];

/// A score during a game: "put Arsenal 2-1 ahead", "made it 2-0", "led 1-0", "a 2-0
/// lead", "1-1 at half-time", "level at 1-1", "the score at 90 minutes".
fn in_game(a: &Around) -> bool {
    let before = a.pre.last().map(String::as_str).unwrap_or("");
    let two_before = a.pre.len().checked_sub(2).map(|i| a.pre[i].as_str());
    let lead_verb = |w: &str| {
        matches!(
            w,
            "led"
                | "leading"
                | "lead"
                | "trailed"
                | "trailing"
                | "trail"
                | "restored"
                | "reduced"
                | "halved"
                | "doubled"
                | "stretched"
                | "extended"
        )
    };
    // "made it 2-0", "make it 3-1", "making it 1-1"
    let made_it = before == "it"
        && two_before.is_some_and(|w| matches!(w, "made" | "make" | "making" | "makes"));
    // "put Arsenal 2-1 ahead": a lead verb, a side, then the score
    let put_ahead = a
        .first_post(1)
        .iter()
        .any(|w| IN_GAME_AFTER.contains(&w.as_str()))
        && !a.pre_ends_with(&["first-leg"]);
    let at_break = a
        .first_post(3)
        .iter()
        .any(|w| matches!(w.as_str(), "half-time" | "interval" | "halftime"))
        || a.post_starts_with(&["at", "the", "break"])
        || a.post_starts_with(&["at", "90", "minutes"])
        || a.post_starts_with(&["after", "90", "minutes"]);
    let left_at = a.pre_ends_with(&["leave", "the", "score", "at"])
        || a.pre_ends_with(&["left", "the", "score", "at"])
        || a.pre_ends_with(&["leaving", "the", "score", "at"]);
    let score_at = (before == "at" && !left_at) || a.pre_ends_with(&["score", "to"]);
    made_it
        || put_ahead
        || at_break
        || score_at
        || lead_verb(before)
        || a.last_pre(3)
            .iter()
            .any(|w| w == "half-time" || w == "interval")
            // "were 4-1 down at half-time and lost 5-1": the verb tells the end
            && !matches!(before, "lost" | "won" | "drew" | "beat" | "lose" | "win" | "draw")
}

/// Modals and conditions that make a score one that was not played.
const HYPOTHETICAL_BEFORE: &[&str] = &[
    "if",
    "would",
    "could",
    "should",
    "need",
    "needs",
    "needed",
    "must",
    "hope",
    "hoping",
    "unless",
    "avoid",
    "might",
    "may",
    "predict",
    "predicted",
    "predicts",
    "tipped",
    "expect",
    "expects",
    "bet",
    "imagine",
    "whether",
];

/// "if they win 2-0", "a 1-0 win would be enough", "they need a 2-0 win".
fn hypothetical(a: &Around) -> bool {
    if a.last_pre(4)
        .iter()
        .any(|w| HYPOTHETICAL_BEFORE.contains(&w.as_str()))
    {
        return true;
    }
    let skip = usize::from(a.post.first().is_some_and(|w| {
        matches!(
            w.as_str(),
            "win" | "victory" | "defeat" | "draw" | "loss" | "result" | "scoreline"
        )
    }));
    a.post.get(skip).is_some_and(|w| {
        matches!(
            w.as_str(),
            "would" | "could" | "will" | "should" | "might" | "needed" | "need"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads the kind of the first score in a sentence.
    fn kind_of(sentence: &str) -> ScoreKind {
        let at = sentence.find(|c: char| c.is_ascii_digit()).unwrap();
        let end = at + 3;
        let words = |s: &str| -> Vec<String> {
            s.split(|c: char| !(c.is_alphanumeric() || c == '-'))
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect()
        };
        let (pre, post) = (words(&sentence[..at]), words(&sentence[end..]));
        kind(&Around {
            pre: &pre,
            post: &post,
        })
    }

    #[test]
    fn a_plain_win_is_a_result() {
        assert_eq!(
            kind_of("Chelsea beat Fulham 2-1 at Craven Cottage."),
            ScoreKind::Result
        );
        assert_eq!(
            kind_of("Arsenal drew 1-1 with Spurs on Sunday."),
            ScoreKind::Result
        );
    }

    #[test]
    fn goals_that_change_the_score_are_in_game() {
        assert_eq!(
            kind_of("Henry's header put Arsenal 2-1 ahead."),
            ScoreKind::InGame
        );
        assert_eq!(
            kind_of("Lampard made it 2-0 before the break."),
            ScoreKind::InGame
        );
        assert_eq!(kind_of("City led 1-0 at the interval."), ScoreKind::InGame);
        assert_eq!(kind_of("It was 1-1 at half-time."), ScoreKind::InGame);

        assert_eq!(
            kind_of("With the score at 2-2 he came on."),
            ScoreKind::InGame
        );
        assert_eq!(kind_of("They threw away a 2-0 lead."), ScoreKind::InGame);
    }

    #[test]
    fn shoot_outs_and_aggregates_are_told_apart() {
        assert_eq!(
            kind_of("Hereford won 3-1 on penalties."),
            ScoreKind::Shootout
        );
        assert_eq!(
            kind_of("Arsenal went through with a 4-2 victory on penalties."),
            ScoreKind::Shootout
        );
        assert_eq!(
            kind_of("Terry headed in to leave the score at 1-1."),
            ScoreKind::Result
        );
        assert_eq!(
            kind_of("Liverpool went through 4-3 on aggregate."),
            ScoreKind::Aggregate
        );
    }

    #[test]
    fn scores_not_played_are_hypothetical() {
        assert_eq!(
            kind_of("If they win 2-0 they go top."),
            ScoreKind::Hypothetical
        );
        assert_eq!(
            kind_of("A 1-0 win would be enough for Celtic."),
            ScoreKind::Hypothetical
        );
    }
}
