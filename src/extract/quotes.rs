//! Quoted spans: pairing quotation marks paragraph by paragraph.

/// A paragraph as a byte range.
pub type Paragraph = std::ops::Range<usize>;

/// A quoted span before attribution.
#[derive(Debug, Clone)]
pub struct QuoteSpan {
    pub start: usize,
    pub end: usize,
}

/// Splits text into paragraphs at blank lines.
pub fn paragraphs(_text: &str) -> Vec<Paragraph> {
    Vec::new()
}

/// Finds quoted spans.
pub fn find_quotes(_text: &str, _paragraphs: &[Paragraph]) -> Vec<QuoteSpan> {
    Vec::new()
}
