//! The leader's review file (điểm thẩm định): rows of `Mã đơn vị`, `Mã`,
//! `Điểm thẩm định`, `Lý do`, each overriding one unit's indicator score.
//! Rows naming an unknown unit or indicator, or a score outside 0..=maximum,
//! are findings and are not applied.

use serde::Serialize;

use crate::finding::{Code, Finding, a1};
use crate::plan::{Plan, code_text};
use crate::text::number::format_vi;
use crate::vocab::review::{self as vocab, COLUMNS};
use crate::workbook::table;
use crate::workbook::{Book, NumberCell};

/// One reviewed score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    pub unit: String,
    pub indicator: String,
    pub score: f64,
    /// Lý do.
    pub reason: String,
    /// Where the score is in the review file.
    pub file: String,
    pub sheet: String,
    pub cell: String,
}

/// Reads the review rows from the first sheet that has the header.
pub fn read(book: &Book, file: &str, plan: &Plan) -> (Vec<Review>, Vec<Finding>) {
    let mut reviews = Vec::new();
    let mut findings = Vec::new();
    let found = book.sheets.iter().find_map(|s| {
        table::find(s, COLUMNS, 0)
            .filter(|t| t.missing.is_empty())
            .map(|t| (s, t))
    });
    let Some((sheet, t)) = found else {
        for c in COLUMNS.iter().filter(|c| c.required) {
            findings.push(Finding::new(Code::MissingColumn, file).expected(c.label));
        }
        return (reviews, findings);
    };
    // The table was refused above unless its required columns are there.
    let col = |label: &str| t.col_named(label).unwrap_or(0);
    for row in t.header_row + 1..=sheet.last_row().unwrap_or(0) {
        let unit_text = sheet.text(row, col(vocab::UNIT));
        let code = code_text(sheet.value(row, col(vocab::CODE)));
        if unit_text.is_empty() && code.is_empty() {
            continue;
        }
        let here = |c: Code, at: &str| Finding::new(c, file).at(&sheet.name, row, col(at));
        let Some(unit) = plan.unit_by_any_name(&unit_text) else {
            findings.push(
                here(Code::UnknownUnit, vocab::UNIT)
                    .found(unit_text)
                    .expected(""),
            );
            continue;
        };
        let Some(ind) = plan.indicator(&code) else {
            findings.push(
                here(Code::UnknownRow, vocab::CODE)
                    .unit(&unit.code)
                    .found(code)
                    .expected(""),
            );
            continue;
        };
        let value = sheet.value(row, col(vocab::SCORE));
        let score = match value.as_number() {
            NumberCell::Number(n) => n,
            NumberCell::Text(n) if !n.percent && n.alternative.is_none() => n.value,
            _ => {
                findings.push(
                    here(Code::BadNumber, vocab::SCORE)
                        .unit(&unit.code)
                        .indicator(&ind.code)
                        .found(value.display())
                        .expected(format!("0 … {}", format_vi(ind.max_points))),
                );
                continue;
            }
        };
        if score < 0.0 || score > ind.max_points + crate::score::EPS {
            let code = if score < 0.0 {
                Code::NegativeScore
            } else {
                Code::AboveMax
            };
            findings.push(
                here(code, vocab::SCORE)
                    .unit(&unit.code)
                    .indicator(&ind.code)
                    .found(format_vi(score))
                    .expected(format_vi(ind.max_points)),
            );
            continue;
        }
        let reason = t
            .col_named(vocab::REASON)
            .map(|c| sheet.text(row, c))
            .unwrap_or_default();
        reviews.push(Review {
            unit: unit.code.clone(),
            indicator: ind.code.clone(),
            score,
            reason,
            file: file.to_string(),
            sheet: sheet.name.clone(),
            cell: a1(row, col(vocab::SCORE)),
        });
    }
    (reviews, findings)
}
