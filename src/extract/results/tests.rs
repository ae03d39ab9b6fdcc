//! The result rules in the language of football: each test is a sentence or two of our
//! own, and the match the rules must read from it (or that there is none).

use crate::extract::{extract, ReportContext};
use crate::teams::TeamBook;

/// Results as `(first, first goals, second goals, second)`, sides as stored.
fn results(text: &str) -> Vec<(String, u32, u32, String)> {
    extract(text, &ReportContext::default(), &TeamBook::embedded())
        .results
        .into_iter()
        .filter(|r| !r.aggregate)
        .map(|r| {
            (
                r.teams[0].clone(),
                r.goals[0],
                r.goals[1],
                r.teams[1].clone(),
            )
        })
        .collect()
}

/// The one result of a text, oriented so that `a` comes first.
fn one(text: &str, a: &str) -> (u32, u32, String) {
    let rs = results(text);
    assert_eq!(rs.len(), 1, "{text}: {rs:?}");
    let (x, gx, gy, y) = rs.into_iter().next().unwrap();
    if x == a {
        (gx, gy, y)
    } else {
        assert_eq!(y, a, "{text}");
        (gy, gx, x)
    }
}

#[test]
fn a_line_score_keeps_the_goals_as_written() {
    let text = "Aston Villa 0-1 Manchester City\n\nA late goal settled it.\n";
    assert_eq!(one(text, "Aston Villa"), (0, 1, "Manchester City".into()));
}

#[test]
fn the_subject_of_beat_wins_whatever_the_order_of_the_digits() {
    assert_eq!(
        one("Everton beat Fulham 3-1 on Saturday.", "Everton"),
        (3, 1, "Fulham".into())
    );
    assert_eq!(
        one("Celtic thrashed Hibernian 5-0 at Parkhead.", "Celtic"),
        (5, 0, "Hibernian".into())
    );
}

#[test]
fn lost_to_and_fell_to_give_the_subject_the_smaller_tally() {
    assert_eq!(
        one("Leeds lost 2-1 to Chelsea on Sunday.", "Leeds United"),
        (1, 2, "Chelsea".into())
    );
    assert_eq!(
        one("Leeds went down 3-0 to Chelsea at home.", "Leeds United"),
        (0, 3, "Chelsea".into())
    );
}

#[test]
fn a_possessive_defeat_belongs_to_the_loser() {
    assert_eq!(
        one(
            "Liverpool's 3-2 defeat by Chelsea ended their run.",
            "Liverpool"
        ),
        (2, 3, "Chelsea".into())
    );
    assert_eq!(
        one(
            "Sevilla completed a 2-0 defeat of Valencia on Sunday.",
            "Sevilla"
        ),
        (2, 0, "Valencia".into())
    );
}

#[test]
fn a_win_over_and_a_win_at_name_the_other_side_and_its_ground() {
    let text = "Arsenal claimed a 2-1 win over Leeds United on Tuesday.";
    assert_eq!(one(text, "Arsenal"), (2, 1, "Leeds United".into()));
    let x = extract(
        "Chelsea won 4-1 at Fulham.",
        &ReportContext::default(),
        &TeamBook::embedded(),
    );
    assert_eq!(x.results[0].home.as_deref(), Some("Fulham"));
}

#[test]
fn a_hammering_is_taken_unless_of_says_who_gave_it() {
    assert_eq!(
        one(
            "Norwich looked nervous after a 7-0 hammering at Manchester City.",
            "Norwich City"
        ),
        (0, 7, "Manchester City".into())
    );
}

#[test]
fn handed_and_pushed_to_a_defeat_give_it_to_the_object() {
    assert_eq!(
        one("Rangers handed Aberdeen a 3-0 defeat at Ibrox.", "Rangers"),
        (3, 0, "Aberdeen".into())
    );
    let x = extract(
        "Rangers handed Aberdeen a 3-0 defeat at Ibrox.",
        &ReportContext::default(),
        &TeamBook::embedded(),
    );
    assert_eq!(x.results[0].home.as_deref(), Some("Rangers"));
}

#[test]
fn a_goalless_draw_is_nil_nil_between_the_two_named() {
    assert_eq!(
        one(
            "Everton and Tottenham Hotspur played out a goalless draw.",
            "Everton"
        ),
        (0, 0, "Tottenham Hotspur".into())
    );
}

#[test]
fn a_nationality_before_a_player_is_never_a_side() {
    let text = "The Wales winger scored twice as Cardiff City beat Swansea City 2-0.";
    assert_eq!(one(text, "Cardiff City"), (2, 0, "Swansea City".into()));
}

#[test]
fn in_game_scores_and_hypotheticals_are_not_results() {
    assert!(results("Henry's header put Arsenal 2-1 ahead against Chelsea.").is_empty());
    assert!(results("If Celtic beat Rangers 2-0 they go top.").is_empty());
    assert!(results("Chelsea led Arsenal 1-0 at half-time.").is_empty());
}

#[test]
fn a_score_with_one_side_named_takes_the_other_from_the_headline_and_is_uncertain() {
    let text = "Liverpool edge Fulham\n\nLiverpool came from behind to win 3-2 on Saturday.\n";
    let x = extract(text, &ReportContext::default(), &TeamBook::embedded());
    assert_eq!(x.results.len(), 1, "{:?}", x.results);
    assert!(!x.results[0].certain);
    let certain = extract(
        "Liverpool beat Fulham 3-2.",
        &ReportContext::default(),
        &TeamBook::embedded(),
    );
    assert!(certain.results[0].certain);
}

#[test]
fn a_competition_is_claimed_only_from_the_clause_of_the_score() {
    let text = "Chelsea won at Newcastle in the League Cup, and then won 4-1 at Fulham.";
    let x = extract(text, &ReportContext::default(), &TeamBook::embedded());
    assert_eq!(x.results.len(), 1, "{:?}", x.results);
    assert_eq!(x.results[0].competition, None);
    let text = "Chelsea beat Fulham 4-1 in the FA Cup fourth round.";
    let x = extract(text, &ReportContext::default(), &TeamBook::embedded());
    assert_eq!(x.results[0].competition.as_deref(), Some("FA Cup"));
}

#[test]
fn a_shoot_out_goes_to_the_level_result_it_decided() {
    let text = "Hereford drew 1-1 with Doncaster Rovers after extra time and won 4-2 on penalties.";
    let x = extract(text, &ReportContext::default(), &TeamBook::embedded());
    assert_eq!(x.results.len(), 1, "{:?}", x.results);
    assert!(x.results[0].penalties.is_some());
}

#[test]
fn they_before_the_verb_is_the_team_the_sentence_named() {
    let text = "A late header sent Inter Milan into the semi-finals as they beat Bayern Munich 3-1 at San Siro.";
    let x = extract(text, &ReportContext::default(), &TeamBook::embedded());
    assert_eq!(x.results.len(), 1, "{:?}", x.results);
    assert!(x.results[0].certain);
    assert_eq!(
        x.results[0].teams,
        ["Inter Milan".to_string(), "Bayern Munich".to_string()]
    );
    assert_eq!(x.results[0].goals, [3, 1]);
}

#[test]
fn a_club_in_the_possessive_opening_the_sentence_owns_the_defeat_that_follows() {
    let text = "Liverpool beat Everton 2-0 at Anfield.\n\nLeeds's slump in form ended in a \
        4-0 defeat at Ipswich that leaves them near the drop zone.\n";
    let rs = results(text);
    assert!(
        rs.contains(&("Ipswich Town".into(), 4, 0, "Leeds United".into())),
        "{rs:?}"
    );
    assert_eq!(rs.len(), 2, "{rs:?}");
}

#[test]
fn their_draw_belongs_to_the_club_the_sentence_opened_with() {
    let text = "Manchester United 2 Exeter City 0\n\n\
        United boss Sir Alex Ferguson took few chances after their 0-0 draw in the first game.\n";
    let rs = results(text);
    assert!(
        rs.iter()
            .any(|r| r.1 == 0 && r.2 == 0 && [&r.0, &r.3].contains(&&"Exeter City".to_string())),
        "{rs:?}"
    );
}

#[test]
fn a_club_that_only_describes_its_fans_is_the_side_when_no_other_is_named() {
    let text = "Arsenal rain on Fulham's parade\n\n\
        A 3-1 opening day defeat at home to Aston Villa left Arsenal supporters restless.\n";
    assert_eq!(one(text, "Arsenal"), (1, 3, "Aston Villa".into()));
}

#[test]
fn a_win_that_names_no_side_is_the_own_match_won_by_the_side_the_lead_gave() {
    let text = "Villa see off Cardiff\n\n\
        Late goals ended Aston Villa's drought as they beat Cardiff City at Villa Park.\n\n\
        But Bacuna laid the foundation for their 2-0 win with a free-kick.\n";
    assert_eq!(one(text, "Aston Villa"), (2, 0, "Cardiff City".into()));
    let suffered = "Spurs stunned at home\n\n\
        Tottenham suffered their heaviest home defeat of the season as West Ham ran riot.\n\n\
        Morrison scored a superb solo goal to seal the 3-0 win.\n";
    assert_eq!(
        one(suffered, "West Ham United"),
        (3, 0, "Tottenham Hotspur".into())
    );
}

#[test]
fn an_unnamed_win_is_not_guessed_without_a_winner_or_when_it_looks_back() {
    let no_winner = "Villa and Cardiff meet again\n\n\
        Aston Villa faced Cardiff City at Villa Park on Saturday.\n\n\
        Bacuna laid the foundation for the 2-0 win with a free-kick.\n";
    assert!(results(no_winner).is_empty(), "{:?}", results(no_winner));
    let earlier = "Villa see off Cardiff\n\n\
        Aston Villa beat Cardiff City at Villa Park.\n\n\
        Nobody had scored twice for them since the 2-0 win last season.\n";
    assert!(results(earlier).is_empty(), "{:?}", results(earlier));
}

#[test]
fn a_draw_that_names_no_side_is_the_own_match() {
    let text = "Everton held by Fulham\n\n\
        Everton and Fulham could not be separated at Goodison Park.\n\n\
        The charge relates to his conduct during the 1-1 draw.\n";
    let rs = results(text);
    assert_eq!(rs.len(), 1, "{rs:?}");
    assert_eq!((rs[0].1, rs[0].2), (1, 1));
}

#[test]
fn a_club_the_book_does_not_know_owns_its_possessive_slump() {
    let text = "Liverpool beat Everton 2-0 at Anfield.\n\nVentnor's slump in form ended \
        in a 4-0 defeat at Ipswich on Saturday.\n";
    let rs = results(text);
    assert!(
        rs.contains(&("Ipswich Town".into(), 4, 0, "Ventnor".into())),
        "{rs:?}"
    );
    let weekday = "Liverpool beat Everton 2-0 at Anfield.\n\nSaturday's 4-0 defeat at Ipswich \
        hurt them.\n";
    assert!(
        results(weekday)
            .iter()
            .all(|r| r.0 != "Saturday" && r.3 != "Saturday"),
        "{:?}",
        results(weekday)
    );
}

#[test]
fn a_possessive_defeat_is_not_given_to_a_club_named_later_for_someone_else() {
    let text = "Fans mocked the Liverpool captain after the Carling Cup final against Chelsea. \
        They branded his own goal in Liverpool's 3-2 defeat as his first goal for Chelsea.\n";
    let rs = results(text);
    assert!(
        rs.contains(&("Liverpool".into(), 2, 3, "Chelsea".into())),
        "{rs:?}"
    );
    assert_eq!(
        one(
            "Lampard struck late to seal a 2-1 win for Chelsea over Leeds.",
            "Chelsea"
        ),
        (2, 1, "Leeds United".into())
    );
}

#[test]
fn a_headline_may_give_each_sides_tally_after_its_name() {
    let text = "Arsenal 2 Tottenham 1: Saka the hero\n\nSaka struck late at the Emirates.\n";
    assert_eq!(one(text, "Arsenal"), (2, 1, "Tottenham Hotspur".into()));
    let text = "Report\n\nRangers 2, Celtic 1.\n\nA derby to remember.\n";
    assert_eq!(one(text, "Rangers"), (2, 1, "Celtic".into()));
    // tallies around words that are no side are no score
    assert!(results("Chelsea 3 Points Clear 2\n\nThey won again.\n").is_empty());
}

#[test]
fn and_before_a_side_that_heads_its_own_clause_joins_clauses() {
    let text = "Leicester drew 1-1 with Watford and Bolton were beaten 2-1 at Blackburn.";
    let rs = results(text);
    assert_eq!(rs.len(), 2, "{rs:?}");
    assert!(rs.contains(&("Blackburn Rovers".into(), 2, 1, "Bolton Wanderers".into())));
    assert_eq!(
        one(
            "Leicester won and Bolton beat Blackburn 2-1.",
            "Bolton Wanderers"
        ),
        (2, 1, "Blackburn Rovers".into())
    );
}

#[test]
fn a_level_match_told_of_a_named_pair() {
    assert_eq!(
        one(
            "The match between Chelsea and Arsenal ended 1-1.",
            "Chelsea"
        ),
        (1, 1, "Arsenal".into())
    );
    assert_eq!(
        one("Everton's game with Fulham finished 2-2.", "Everton"),
        (2, 2, "Fulham".into())
    );
    assert_eq!(
        one("It finished 2-2 between Celtic and Hearts.", "Celtic"),
        (2, 2, "Heart of Midlothian".into())
    );
    // the pair does not say who scored two
    assert!(results("The game between Chelsea and Arsenal ended 2-1.").is_empty());
}

#[test]
fn a_score_in_brackets_after_its_object() {
    assert_eq!(
        one("Juventus beat Inter (2-1) on Sunday.", "Juventus"),
        (2, 1, "Inter Milan".into())
    );
}

#[test]
fn a_side_opening_a_new_clause_is_its_subject() {
    let text = "Spain had beaten Russia 3-0 in the semi-finals, while Germany edged Turkey 3-2.";
    let rs = results(text);
    assert!(
        rs.contains(&("Spain".into(), 3, 0, "Russia".into())),
        "{rs:?}"
    );
    assert!(
        rs.contains(&("Germany".into(), 3, 2, "Turkey".into())),
        "{rs:?}"
    );
    assert_eq!(rs.len(), 2, "{rs:?}");
}

#[test]
fn a_country_after_a_comma_is_a_side_unless_it_follows_a_place() {
    assert_eq!(
        one("In the semi-finals, Germany edged Turkey 3-2.", "Germany"),
        (3, 2, "Turkey".into())
    );
    assert_eq!(
        one("Meanwhile, Spain beat Russia 3-0.", "Spain"),
        (3, 0, "Russia".into())
    );
    // "Sapporo, Japan" is where the match was; Japan played no part
    let rs = results("Brazil beat Ghana 2-0 in Sapporo, Japan, on Friday.");
    assert_eq!(rs, [("Brazil".into(), 2, 0, "Ghana".into())]);
}

#[test]
fn a_result_verb_after_the_half_time_score_tells_the_end() {
    assert_eq!(
        one(
            "Sunderland were 4-1 down at half-time and lost 5-1 to Arsenal.",
            "Sunderland"
        ),
        (1, 5, "Arsenal".into())
    );
}

#[test]
fn a_managers_possessive_or_a_modifier_before_the_club_keeps_the_club() {
    assert_eq!(
        one("Wenger's Arsenal lost 2-0 at Anfield on Sunday.", "Arsenal"),
        (0, 2, "Liverpool".into())
    );
    assert_eq!(
        one("Ten-man Chelsea beat Arsenal 1-0.", "Chelsea"),
        (1, 0, "Arsenal".into())
    );
}
