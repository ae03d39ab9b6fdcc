//! Who said each quote.
use super::people::People;
use super::quotes::{Paragraph, QuoteSpan};
use super::Quote;

/// Attributes each span to a speaker.
pub fn attribute(
    _text: &str,
    _paragraphs: &[Paragraph],
    _spans: &[QuoteSpan],
    _people: &People,
) -> Vec<Quote> {
    Vec::new()
}
