//! The annotated copy of a checked workbook. An xlsx workbook is marked
//! inside its own package ([`super::package`]): everything the unit made is
//! kept, the problem cells are filled red and a `Lỗi` sheet opens first.
//! Other formats (xls, ods, xlsb, xlsm), and a package that cannot be
//! followed, are rebuilt: every sheet's values and formulas, merged cells,
//! percentages as percentages, each problem cell highlighted with a note
//! giving its findings, and the `Lỗi` sheet; the original's fonts, borders,
//! widths and other number formats are not carried over.

use std::collections::BTreeMap;
use std::path::Path;

use rust_xlsxwriter::{Formula, Note, Workbook, Worksheet, XlsxError};

use super::{Styles, WriteError, print_setup, properties, xlsx_err};
use crate::finding::{Finding, parse_a1};
use crate::messages::{Lang, message, severity_label};
use crate::workbook::{Book, Value};

/// Excel's limit on a sheet name.
const SHEET_NAME_MAX: usize = 31;

/// A name Excel accepts: forbidden characters replaced, at most 31 chars.
fn sheet_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(SHEET_NAME_MAX)
        .collect();
    let trimmed = cleaned.trim_matches('\'').to_string();
    if trimmed.is_empty() {
        "Sheet".into()
    } else {
        trimmed
    }
}

pub fn write(
    book: &Book,
    source: &Path,
    findings: &[Finding],
    lang: Lang,
    path: &Path,
    overwrite: bool,
) -> Result<(), WriteError> {
    let original = match book.format {
        crate::workbook::Format::Xlsx => std::fs::read(source).ok(),
        _ => None,
    };
    let bytes = copy_bytes(book, original.as_deref(), findings, lang).map_err(xlsx_err(path))?;
    crate::output::write_atomic(path, &bytes, overwrite)
}

/// The annotated copy's bytes: an xlsx (given its original bytes) marked
/// inside its own package; anything else, or a package that cannot be
/// followed, rebuilt from the cells read.
pub fn copy_bytes(
    book: &Book,
    original: Option<&[u8]>,
    findings: &[Finding],
    lang: Lang,
) -> Result<Vec<u8>, XlsxError> {
    if book.format == crate::workbook::Format::Xlsx
        && let Some(original) = original
        && let Ok(bytes) = super::package::annotate(original, findings, lang)
    {
        return Ok(bytes);
    }
    rebuild(book, findings, lang)
}

/// The copy rebuilt from the cells read, for what cannot be marked in place.
fn rebuild(book: &Book, findings: &[Finding], lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new();
    let mut wb = Workbook::new();
    wb.set_properties(
        &properties("thidua – kiểm tra")
            .set_custom_property(crate::vocab::PROP_OUTPUT, "annotated"),
    );
    let mut names = Vec::new();
    for sheet in &book.sheets {
        let mut name = sheet_name(&sheet.name);
        // Two sheets may clean to one name.
        let mut n = 2;
        while names.contains(&name) {
            let suffix = format!(" ({n})");
            name = format!(
                "{}{suffix}",
                name.chars()
                    .take(SHEET_NAME_MAX - suffix.chars().count())
                    .collect::<String>()
            );
            n += 1;
        }
        names.push(name.clone());
        let ws = wb.add_worksheet();
        ws.set_name(&name)?;
        // Notes by cell for this sheet.
        let mut notes: BTreeMap<(u32, u32), Vec<String>> = BTreeMap::new();
        for f in findings
            .iter()
            .filter(|f| f.sheet.as_deref() == Some(sheet.name.as_str()))
        {
            if let Some(pos) = f.cell.as_deref().and_then(parse_a1) {
                notes.entry(pos).or_default().push(format!(
                    "[{}] {}: {}",
                    severity_label(f.severity, lang),
                    f.code,
                    message(f, lang)
                ));
            }
        }
        for ((row, col), cell) in sheet.cells() {
            let Ok(col16) = u16::try_from(col) else {
                continue;
            };
            let problem = notes.contains_key(&(row, col));
            write_cell(ws, row, col16, cell, problem, &styles)?;
        }
        for region in &sheet.merges {
            let ((r0, c0), (r1, c1)) = (region.start, region.end);
            let (Ok(c0), Ok(c1)) = (u16::try_from(c0), u16::try_from(c1)) else {
                continue;
            };
            if (r0, c0) == (r1, c1) {
                continue;
            }
            let text = sheet
                .cell(r0, c0 as u32)
                .map(|c| c.value.display())
                .unwrap_or_default();
            // An overlapping region in a damaged file is skipped, not fatal.
            let _ = ws.merge_range(r0, c0, r1, c1, &text, &styles.plain);
        }
        for ((row, col), lines) in &notes {
            let Ok(col16) = u16::try_from(*col) else {
                continue;
            };
            if sheet.cell(*row, *col).is_none() {
                ws.write_blank(*row, col16, &styles.problem)?;
            }
            let note = Note::new(lines.join("\n"))
                .set_author("thidua")
                .set_width(360)
                .set_height(120);
            ws.insert_note(*row, col16, &note)?;
        }
        ws.set_autofit_max_width(360);
        ws.autofit();
        print_setup(ws, None);
    }
    let errors = wb.add_worksheet();
    write_error_sheet(errors, book, findings, lang, &names, &styles)?;
    // The copy opens on its findings.
    errors.set_active(true);
    super::packed(&mut wb)
}

fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &crate::workbook::Cell,
    problem: bool,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let (value, formula) = (&cell.value, cell.formula.as_deref());
    let percent;
    let format = match (problem, cell.percent) {
        (true, true) => {
            percent = styles.problem.clone().set_num_format("0.##%");
            &percent
        }
        (true, false) => &styles.problem,
        (false, true) => {
            percent = styles.plain.clone().set_num_format("0.##%");
            &percent
        }
        (false, false) => &styles.plain,
    };
    if let Some(text) = formula {
        let text = if text.starts_with('=') {
            text.to_string()
        } else {
            format!("={text}")
        };
        let f = Formula::new(text).set_result(value.display());
        ws.write_formula_with_format(row, col, f, format)?;
        return Ok(());
    }
    match value {
        Value::Empty => {
            if problem {
                ws.write_blank(row, col, format)?;
            }
        }
        Value::Number(n) => {
            ws.write_number_with_format(row, col, *n, format)?;
        }
        Value::Date(serial) => {
            let date = if problem {
                &styles.problem
            } else {
                &styles.date
            };
            ws.write_number_with_format(row, col, *serial, date)?;
        }
        Value::Bool(b) => {
            ws.write_boolean_with_format(row, col, *b, format)?;
        }
        // Text is always written as text: a value starting with `=` never
        // becomes a formula.
        Value::Text(t) | Value::DateText(t) | Value::Duration(t) | Value::Error(t) => {
            ws.write_string_with_format(row, col, t, format)?;
        }
    }
    Ok(())
}

fn write_error_sheet(
    ws: &mut Worksheet,
    book: &Book,
    findings: &[Finding],
    lang: Lang,
    names: &[String],
    styles: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name("Lỗi")?;
    for (c, (label, width)) in super::finding_columns(lang).iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *label, &styles.header)?;
        ws.set_column_width(c as u16, *width)?;
    }
    for (i, f) in findings.iter().enumerate() {
        let row = 1 + i as u32;
        let cells = super::finding_cells(f, lang);
        for (c, value) in cells.iter().enumerate().filter(|(c, _)| *c != 3) {
            ws.write_string_with_format(row, c as u16, value, &styles.text)?;
        }
        // Link to the cell in the copy, when the sheet is there.
        let target = f.sheet.as_ref().and_then(|s| {
            book.sheets
                .iter()
                .position(|sh| &sh.name == s)
                .map(|i| names[i].clone())
        });
        match (&f.cell, target) {
            (Some(cell), Some(sheet)) => {
                let url =
                    rust_xlsxwriter::Url::new(format!("internal:'{sheet}'!{cell}")).set_text(cell);
                ws.write_url_with_format(row, 3, url, &styles.text)?;
            }
            _ => {
                ws.write_string_with_format(row, 3, &cells[3], &styles.text)?;
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    print_setup(ws, Some(0));
    Ok(())
}
