//! Scores stated in a report, and what they were.
use super::{MatchResult, ReportContext, TieFact};
use crate::teams::TeamBook;

/// Finds played results and tie facts.
pub fn find_results(
    _text: &str,
    _ctx: &ReportContext,
    _teams: &TeamBook,
) -> (Vec<MatchResult>, Vec<TieFact>) {
    (Vec::new(), Vec::new())
}
