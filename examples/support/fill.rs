//! A unit's filled workbook, for the samples and the tests: what the unit
//! wrote (`UnitFill`) and how it laid the workbook out (`Layout`, standing
//! for workbooks units rebuilt or edited by hand). The product writes only
//! blank templates; this fills them through its `Fill` trait.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use thidua::report::template::{Fill, FillValue};

/// One indicator row's inputs.
#[derive(Debug, Clone, Default)]
pub struct RowFill {
    pub baseline: Option<FillValue>,
    pub achieved: Option<FillValue>,
    pub self_score: Option<FillValue>,
    pub note: String,
}

/// How a filled workbook departs from the template, to stand for workbooks
/// that units rebuilt or edited by hand.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// Leave out the `Thông tin` sheet.
    pub no_info_sheet: bool,
    /// Write the headers and sheet names without diacritics, in capitals.
    pub ascii_headers: bool,
    /// Write the score table's columns in this order (indices into
    /// `vocab::SCORE_HEADER`); `None` keeps the template's order.
    pub column_order: Option<Vec<usize>>,
    /// Extra title rows above the score table.
    pub extra_title_rows: u32,
    /// Indicator rows left out.
    pub drop_rows: Vec<String>,
    /// Indicator rows whose code cell is left empty.
    pub blank_codes: Vec<String>,
    /// Write this number as the indicators' total instead of a formula.
    pub typed_total: Option<f64>,
    /// Do not protect the sheets.
    pub unprotected: bool,
}

/// Everything a unit writes into its workbook.
#[derive(Debug, Clone, Default)]
pub struct UnitFill {
    pub report_date: Option<NaiveDate>,
    pub author: String,
    pub rows: BTreeMap<String, RowFill>,
    /// Registered targets (Chỉ tiêu đăng ký) by indicator code.
    pub registered: BTreeMap<String, String>,
    /// Số lần of bonus/penalty items by code.
    pub counts: BTreeMap<String, FillValue>,
    pub layout: Layout,
}

impl Fill for UnitFill {
    fn report_date(&self) -> Option<NaiveDate> {
        self.report_date
    }
    fn author(&self) -> &str {
        &self.author
    }
    fn baseline(&self, code: &str) -> Option<&FillValue> {
        self.rows.get(code).and_then(|r| r.baseline.as_ref())
    }
    fn achieved(&self, code: &str) -> Option<&FillValue> {
        self.rows.get(code).and_then(|r| r.achieved.as_ref())
    }
    fn self_score(&self, code: &str) -> Option<&FillValue> {
        self.rows.get(code).and_then(|r| r.self_score.as_ref())
    }
    fn note(&self, code: &str) -> &str {
        self.rows.get(code).map_or("", |r| r.note.as_str())
    }
    fn registered(&self, code: &str) -> &str {
        self.registered.get(code).map_or("", String::as_str)
    }
    fn count(&self, code: &str) -> Option<&FillValue> {
        self.counts.get(code)
    }
    fn info_sheet(&self) -> bool {
        !self.layout.no_info_sheet
    }
    fn ascii_headers(&self) -> bool {
        self.layout.ascii_headers
    }
    fn column_order(&self) -> Option<Vec<usize>> {
        self.layout.column_order.clone()
    }
    fn extra_title_rows(&self) -> u32 {
        self.layout.extra_title_rows
    }
    fn drops_row(&self, code: &str) -> bool {
        self.layout.drop_rows.iter().any(|c| c == code)
    }
    fn blanks_code(&self, code: &str) -> bool {
        self.layout.blank_codes.iter().any(|c| c == code)
    }
    fn typed_total(&self) -> Option<f64> {
        self.layout.typed_total
    }
    fn protected(&self) -> bool {
        !self.layout.unprotected
    }
}
