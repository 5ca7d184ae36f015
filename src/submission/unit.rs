//! Recognising who sent a workbook and what it refers to when the workbook
//! does not say plainly: the unit from the file name, rows by their text,
//! and "did you mean" suggestions. Matching is on folded text, so names with
//! and without diacritics are one.

use std::path::Path;

use super::cells::Reader;
use super::{Expect, Submission};
use crate::finding::Code;
use crate::plan::Plan;
use crate::text::fold::similarity;
use crate::text::label_key;
use crate::vocab::info;
use crate::workbook::{Book, Value};

/// Names this similar are offered as suggestions.
const SUGGEST: f64 = 0.6;

/// Rows at the top of a sheet where hand-made workbooks name the unit and
/// the period (`Đơn vị: Sở Xây dựng`, `BẢNG TỰ CHẤM ĐIỂM NĂM 2022`).
const TITLE_ROWS: u32 = 15;

/// What the title rows of a workbook say: the unit and the period.
#[derive(Default)]
struct Title {
    /// The unit's code and the cell that names it.
    unit: Option<(String, String, u32, u32)>,
    period: Option<String>,
}

fn read_title(book: &Book, plan: &Plan) -> Title {
    let mut title = Title::default();
    for sheet in &book.sheets {
        for row in 0..TITLE_ROWS {
            let cells: Vec<(u32, String)> = sheet
                .row(row)
                .filter(|(_, c)| matches!(c.value, Value::Text(_)))
                .map(|(col, c)| (col, c.value.text()))
                .filter(|(_, t)| !t.is_empty())
                .collect();
            for (i, (col, text)) in cells.iter().enumerate() {
                // `Đơn vị: Sở Xây dựng` in one cell, or `Đơn vị:` | `Sở Xây dựng`.
                let (key, value, col) = match text.split_once(':') {
                    Some((k, v)) if !v.trim().is_empty() => {
                        (label_key(k), v.trim().to_string(), *col)
                    }
                    Some((k, _)) => match cells.get(i + 1) {
                        Some((next_col, next)) => (label_key(k), next.clone(), *next_col),
                        None => (label_key(k), String::new(), *col),
                    },
                    None => (String::new(), text.clone(), *col),
                };
                if title.unit.is_none() {
                    let named = info::UNIT_NAME.contains(&key.as_str())
                        || info::UNIT_CODE.contains(&key.as_str());
                    if (named || key.is_empty())
                        && let Some(u) = plan.unit_by_any_name(&value)
                    {
                        title.unit = Some((u.code.clone(), sheet.name.clone(), row, col));
                    }
                }
                if title.period.is_none() {
                    let period_text = if info::PERIOD.contains(&key.as_str()) {
                        &value
                    } else {
                        text
                    };
                    if let Some(p) = plan.period_in_text(period_text) {
                        title.period = Some(p.code.clone());
                    }
                }
            }
        }
        if title.unit.is_some() {
            break;
        }
    }
    title
}

/// No `Thông tin` sheet: the unit from the title rows or the file name
/// (code, name or alias), the period from the title rows or the one the
/// caller is checking; with a warning.
pub fn without_info_sheet(
    r: &mut Reader,
    book: &Book,
    plan: &Plan,
    expect: &Expect,
    sub: &mut Submission,
) {
    let title = read_title(book, plan);
    let stem = match expect.name {
        Some(name) => name.to_string(),
        None => Path::new(&sub.file)
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default(),
    };
    sub.period = title
        .period
        .clone()
        .or_else(|| default_period(plan, expect));
    if let (Some(found), Some(wanted)) = (&title.period, expect.period.and_then(|w| plan.period(w)))
        && *found != wanted.code
    {
        r.push(
            r.finding(Code::PeriodMismatch)
                .found(found.clone())
                .expected(wanted.code.clone()),
        );
    }
    let period = sub.period.clone().unwrap_or_default();
    if let Some((code, sheet, row, col)) = title.unit {
        r.push(
            r.finding(Code::UnitFromTitle)
                .at(&sheet, row, col)
                .found(code.clone())
                .expected(period),
        );
        sub.unit = Some(code);
        return;
    }
    match unit_from_stem(plan, &stem) {
        Some(code) => {
            r.push(
                r.finding(Code::NoInfoSheet)
                    .found(code.clone())
                    .expected(period),
            );
            sub.unit = Some(code);
        }
        None => r.push(
            r.finding(Code::UnknownUnit)
                .found(stem.clone())
                .expected(suggest(plan, &stem)),
        ),
    }
}

/// Finds a unit in a file stem: the whole stem, then its parts split at
/// `_`, `-`, `.` and spaces, then runs of parts (`So_Xay_dung_NAM`).
fn unit_from_stem(plan: &Plan, stem: &str) -> Option<String> {
    if let Some(u) = plan.unit_by_any_name(stem) {
        return Some(u.code.clone());
    }
    let parts: Vec<&str> = stem
        .split(['_', '-', '.', ' '])
        .filter(|p| !p.is_empty())
        .collect();
    for len in (1..=parts.len()).rev() {
        for start in 0..=parts.len() - len {
            let candidate = parts[start..start + len].join(" ");
            if let Some(u) = plan.unit_by_any_name(&candidate) {
                return Some(u.code.clone());
            }
        }
    }
    None
}

/// The period a workbook is taken to report when it does not say.
pub fn default_period(plan: &Plan, expect: &Expect) -> Option<String> {
    expect
        .period
        .and_then(|p| plan.period(p))
        .or_else(|| plan.last_period())
        .map(|p| p.code.clone())
}

pub fn period_list(plan: &Plan) -> String {
    plan.periods
        .iter()
        .map(|p| p.code.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `; did you mean SXD (Sở Xây dựng)?`, or the list of codes.
pub fn suggest(plan: &Plan, text: &str) -> String {
    let key = label_key(text);
    let key = key.as_str();
    let best = plan
        .units
        .iter()
        .flat_map(|u| {
            std::iter::once(&u.code)
                .chain(std::iter::once(&u.name))
                .chain(u.aliases.iter())
                .map(move |n| (similarity(key, &label_key(n)), u))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((score, u)) if score >= SUGGEST => format!(" — {} ({})?", u.code, u.name),
        _ => format!(
            " — {}",
            plan.units
                .iter()
                .map(|u| u.code.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// `; closest: 1.2 …` for a row that matched nothing.
pub fn suggest_indicator(plan: &Plan, text: &str) -> String {
    let key = label_key(text);
    plan.indicators
        .iter()
        .map(|i| (similarity(&key, &label_key(&i.content)), i))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .filter(|(s, _)| *s >= SUGGEST)
        .map(|(_, i)| format!(" — {} {}?", i.code, i.content))
        .unwrap_or_default()
}
