//! Property tests of the extractor: random Unicode, quote-mark soup, score soup, huge
//! words and endless sentences. No panic, and every offset on a char boundary inside
//! the text. `cargo test` runs a bounded number of cases; CI sets PROPTEST_CASES higher.

use proptest::prelude::*;
use touchline::extract::{extract, ReportContext};
use touchline::teams::TeamBook;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    ProptestConfig::with_cases(cases)
}

fn check(text: &str) {
    let teams = TeamBook::embedded();
    let x = extract(text, &ReportContext::default(), &teams);
    for q in &x.quotes {
        assert!(q.start <= q.end && q.end <= text.len(), "quote {q:?}");
        assert!(text.is_char_boundary(q.start) && text.is_char_boundary(q.end));
    }
    for r in &x.results {
        assert!(r.start <= r.end && r.end <= text.len(), "result {r:?}");
        assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
    }
}

/// Pieces that newswire is made of, and the marks that trip parsers up.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Liverpool beat Everton 2-1 at Anfield".to_string()),
        Just("İzmir drew 1-1 with Fenerbahçe…".to_string()),
        Just(" said Klopp. ".to_string()),
        Just("\"".to_string()),
        Just("“".to_string()),
        Just("”".to_string()),
        Just("``".to_string()),
        Just("''".to_string()),
        Just("'".to_string()),
        Just("3-4 May ".to_string()),
        Just("0-0 1-0 2-1 ".to_string()),
        Just(" on aggregate".to_string()),
        Just(", who ".to_string()),
        Just("\n\n".to_string()),
        Just(". ".to_string()),
        "[A-Z][a-z]{0,12}".prop_map(|w| format!("{w} ")),
        "\\PC{0,8}",
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_unicode_never_panics(text in "\\PC{0,400}") {
        check(&text);
    }

    #[test]
    fn newswire_soup_never_panics(pieces in prop::collection::vec(piece(), 0..120)) {
        check(&pieces.concat());
    }

    #[test]
    fn huge_words_and_endless_sentences_never_panic(word in "[a-zé]{1,40}", n in 1usize..3000) {
        let mut text = String::new();
        for i in 0..n {
            text.push_str(&word);
            text.push_str(if i % 7 == 0 { " 2-1 " } else { " " });
        }
        check(&text);
    }
}

#[test]
fn accented_newswire_and_turkish_capitals_keep_the_report() {
    let text = "İzmir beat Fenerbahçe 2-1 at the Emirates… and deserved it. \
                \"We were brilliant,\" said Şükrü Özdemir.";
    check(text);
    let x = extract(text, &ReportContext::default(), &TeamBook::embedded());
    assert_eq!(x.quotes.len(), 1, "{:?}", x.quotes);
}
