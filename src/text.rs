//! Small text helpers shared by extraction, lookup and storage.

/// Folds a name for comparison: ASCII transliteration, lower case, letters and
/// digits only, single spaces. `"Jürgen  Klopp"` and `"jurgen klopp"` fold alike.
pub fn fold(s: &str) -> String {
    let ascii = deunicode::deunicode(s);
    let mut out = String::with_capacity(ascii.len());
    let mut space = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c.to_ascii_lowercase());
        } else if c != '\'' {
            space = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn fold_ignores_case_accents_and_punctuation() {
        assert_eq!(fold("Jürgen  Klopp"), "jurgen klopp");
        assert_eq!(fold("Brighton & Hove Albion"), "brighton hove albion");
        assert_eq!(fold("O'Leary"), "oleary");
    }
}
