//! Workbooks that lie among the units' submissions without being one: the
//! plan, the leader's review file, or a file this tool wrote (the
//! consolidated workbook, a digest, an annotated copy). A clerk keeps them
//! all in one folder; they are recognised by their content, not their
//! name, and left out with an info line instead of being checked as a
//! unit's report.

use crate::finding::{Code, Finding};
use crate::vocab::{PROP_OUTPUT, plan, review};
use crate::workbook::{Book, table};

/// The info finding that leaves a workbook out, or `None` for a workbook
/// that may be a unit's submission.
pub fn not_a_submission(book: &Book, file: &str) -> Option<Finding> {
    if let Some(kind) = book.properties.get(PROP_OUTPUT) {
        return Some(Finding::new(Code::SkippedOutput, file).found(kind.clone()));
    }
    if is_plan(book) {
        return Some(Finding::new(Code::SkippedPlan, file));
    }
    // A unit's template has a `Thông tin` sheet; a review file does not
    // (and the search for its table is then skipped for most submissions).
    if book.sheet(crate::vocab::INFO_SHEET).is_none() && is_review(book) {
        return Some(Finding::new(Code::SkippedReview, file));
    }
    None
}

/// A plan has its member list (`Đơn vị` with `Mã đơn vị` and `Tên đơn
/// vị`) and its indicator table on sheets of their own; a unit's workbook
/// has neither list.
fn is_plan(book: &Book) -> bool {
    let has_units = book.sheet(plan::UNITS_SHEET).is_some_and(|s| {
        table::find(s, plan::UNIT_COLUMNS, 0).is_some_and(|t| t.missing.is_empty())
    });
    has_units && book.sheet(plan::INDICATORS_SHEET).is_some()
}

/// A review file has a table of unit code, indicator code and reviewed
/// score, its score column named as such (a unit's own score column is
/// `Điểm tự chấm`).
fn is_review(book: &Book) -> bool {
    book.sheets
        .iter()
        .any(|s| table::find(s, review::SIGNATURE, 0).is_some_and(|t| t.missing.is_empty()))
}
