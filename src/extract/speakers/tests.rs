//! Who said it, in the language of football: each test is a few sentences of our own
//! and the speaker the rules must credit.

use crate::extract::{extract, ReportContext};
use crate::teams::TeamBook;

/// Each quote's first words and its speaker.
fn speakers(text: &str) -> Vec<(String, Option<String>)> {
    extract(text, &ReportContext::default(), &TeamBook::embedded())
        .quotes
        .into_iter()
        .map(|q| {
            let opening: String = q
                .text
                .split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ");
            (opening, q.speaker)
        })
        .collect()
}

/// The speaker of the quote that opens with `opening`.
fn speaker_of(text: &str, opening: &str) -> Option<String> {
    let all = speakers(text);
    all.iter()
        .find(|(o, _)| o.starts_with(opening))
        .unwrap_or_else(|| panic!("no quote opens with {opening:?}: {all:?}"))
        .1
        .clone()
}

#[test]
fn a_pronoun_cue_after_the_quote_credits_the_person_just_named() {
    let text = "Arsene Wenger was pleased with his side.\n\n\"We were patient,\" he said.\n";
    assert_eq!(
        speaker_of(text, "We were patient"),
        Some("Arsene Wenger".into())
    );
}

#[test]
fn a_club_statement_is_credited_to_the_club() {
    let text = "Chelsea have parted company with their striker.\n\n\
        A statement from Chelsea explaining the decision read: \"We have a zero tolerance policy.\" \
        The striker joined last summer.\n";
    assert_eq!(speaker_of(text, "We have a"), Some("Chelsea".into()));
}

#[test]
fn a_possessive_statement_goes_to_the_club_not_the_man_it_is_about() {
    let text = "Glazer owns a stake in Everton.\n\n\
        Everton's statement to the stock exchange said: \"The board has received an approach.\"\n";
    assert_eq!(speaker_of(text, "The board has"), Some("Everton".into()));
}

#[test]
fn an_unnamed_official_speaks_for_his_club_and_he_added_follows_him() {
    let text = "Adrian Mutu is to begin talks with Juventus.\n\n\
        \"He will watch the game from our main stand,\" said a Juventus official. \
        \"Then he will meet the directors,\" he added.\n";
    assert_eq!(speaker_of(text, "He will watch"), Some("Juventus".into()));
    assert_eq!(speaker_of(text, "Then he will"), Some("Juventus".into()));
}

#[test]
fn the_speaker_of_a_partial_quote_is_the_subject_before_an_apposition() {
    let text = "Tom Hale, chairman of the FA's disciplinary panel, said nobody felt the \
        player had \"acted with malice\" at any point.\n";
    assert_eq!(
        speaker_of(text, "acted with malice"),
        Some("Tom Hale".into())
    );
}

#[test]
fn a_man_named_inside_the_quote_is_not_the_one_speaking_it() {
    let text = "Alan Pardew has criticised defender Jon Bell for his comments.\n\n\
        Bell spoke of his dislike of the rivals before the derby. \
        \"I've had a quiet word with Jon about it,\" he told the club website.\n";
    assert_eq!(speaker_of(text, "I've had a"), Some("Alan Pardew".into()));
}

#[test]
fn a_quote_without_a_cue_goes_on_from_the_last_speaker_of_its_paragraph() {
    let text = "Graeme Souness backs Walter Smith for the job.\n\n\
        \"Walter is the ideal candidate,\" Souness told reporters. The Scottish Football Association has \
        appointed Tommy Burns as caretaker for the friendly. \"He fits the bill.\"\n";
    assert_eq!(
        speaker_of(text, "He fits the"),
        Some("Graeme Souness".into())
    );
}

#[test]
fn the_club_boss_continued_is_the_manager_who_was_speaking() {
    let text = "Walter Smith is the favourite for the Scotland job.\n\n\
        Sir Alex Ferguson said: \"He (Smith) would be the outstanding candidate.\" \
        The Man Utd boss continued: \"He was my assistant here at Old Trafford.\"\n";
    assert_eq!(
        speaker_of(text, "He was my"),
        Some("Sir Alex Ferguson".into())
    );
}

#[test]
fn a_billed_title_is_not_a_quote() {
    let text = "The charity match, billed as \"Ronaldo's friends against Zidane's friends\", \
        will go ahead. \"Tomorrow's game will take place,\" Emilio Butragueno said of the \
        \"Partido contra la Pobreza\" (Game Against Poverty). He added: \"Football is important for society.\"\n";
    let all = speakers(text);
    assert!(
        all.iter().all(|(o, _)| !o.starts_with("Ronaldo's")),
        "{all:?}"
    );
    assert!(
        all.iter().all(|(o, _)| !o.starts_with("Partido")),
        "{all:?}"
    );
    assert_eq!(
        speaker_of(text, "Football is important"),
        Some("Emilio Butragueno".into())
    );
}

#[test]
fn a_national_side_in_an_epithet_says_where_he_is_from_not_who_spoke_last() {
    let text = "Former Southampton manager Gordon Strachan has turned down Portsmouth.\n\n\
        \"It is a fantastic job for anybody else,\" Strachan told reporters. Club director \
        Terry Brady held talks with Strachan on Saturday. The former Scotland international \
        added that the move would not be wise. \"I have too many memories of the other side.\"\n";
    assert_eq!(
        speaker_of(text, "I have too"),
        Some("Gordon Strachan".into())
    );
}

#[test]
fn an_epithet_that_names_no_club_is_the_man_the_story_is_about() {
    let text = "Richard Dunne is ready to commit his future to Manchester City.\n\n\
        Newcastle boss Graeme Souness is said to be impressed by Dunne's form. But the \
        25-year-old Dubliner underlined his intention to stay. He added: \"It is nice to be \
        linked with top clubs.\"\n";
    assert_eq!(speaker_of(text, "It is nice"), Some("Richard Dunne".into()));
}

#[test]
fn a_question_asked_of_the_official_is_the_manager_speaking() {
    let text = "The away fans sang \"we want more\" and Sam Allardyce disappointingly asked \
        the fourth official \"is that all?\" when he revealed four minutes of added time.\n";
    assert_eq!(
        speaker_of(text, "is that all?"),
        Some("Sam Allardyce".into())
    );
}

#[test]
fn the_club_speaking_is_the_club_named_last() {
    let text = "Everton have fined their striker for the headbutt.\n\n\
        The club said: \"We have accepted the player's apology.\"\n";
    assert_eq!(speaker_of(text, "We have accepted"), Some("Everton".into()));
    let none = "The club said: \"We have accepted the player's apology.\"\n";
    assert_eq!(speaker_of(none, "We have accepted"), None);
}

#[test]
fn single_marked_quotes_take_their_cue_like_double_ones() {
    let text = "Report\n\n'We showed real character,' said Mikel Arteta. 'That tells you everything.'\n\nAnge Postecoglou was furious. 'I'm not going to talk about the referee,' he said.\n";
    assert_eq!(
        speaker_of(text, "We showed real"),
        Some("Mikel Arteta".into())
    );
    assert_eq!(
        speaker_of(text, "That tells you"),
        Some("Mikel Arteta".into())
    );
    assert_eq!(
        speaker_of(text, "I'm not going"),
        Some("Ange Postecoglou".into())
    );
}
