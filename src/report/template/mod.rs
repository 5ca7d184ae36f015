//! Writes a unit's workbook (one per unit and period) from the plan:
//! `Thông tin` pre-filled, `Đăng ký chỉ tiêu`, and `Tự chấm điểm` with the
//! plan's rows and the bonus/penalty rows. Sheets are protected with only the
//! input cells unlocked; scores carry data validation and done/grade cells
//! drop-down lists. A [`UnitFill`] writes values into the input cells, which
//! is how the samples and tests make filled workbooks, including the ways
//! hand-made ones differ ([`Layout`]).

use std::path::Path;

use chrono::NaiveDate;
use rust_xlsxwriter::{DataValidation, DataValidationRule, Workbook, Worksheet, XlsxError};

mod scores;

use super::{Styles, WriteError, print_setup, properties, save, xlsx_err};
use crate::plan::{Period, Plan, Unit};
use crate::text::number::serial_from_date;
use crate::text::target::Target;
use crate::vocab::{
    INFO_LABELS, INFO_SHEET, PROP_FINGERPRINT, PROP_PLAN, REGISTRATION_HEADER, REGISTRATION_SHEET,
};
use scores::write_scores;

/// A value to write into an input cell.
#[derive(Debug, Clone, PartialEq)]
pub enum FillValue {
    Number(f64),
    Text(String),
    /// A date-formatted cell, as Excel makes of `1,10` typed in some locales.
    Date(NaiveDate),
}

/// What a unit wrote into its workbook and how it laid the workbook out.
/// The product writes [`Blank`] templates; writers of filled or rebuilt
/// workbooks (the samples, the tests) implement the rest.
pub trait Fill {
    /// `Ngày báo cáo`.
    fn report_date(&self) -> Option<NaiveDate> {
        None
    }
    /// `Người lập`.
    fn author(&self) -> &str {
        ""
    }
    /// `Kết quả năm trước` of an indicator.
    fn baseline(&self, _code: &str) -> Option<&FillValue> {
        None
    }
    /// `Kết quả thực hiện` of an indicator.
    fn achieved(&self, _code: &str) -> Option<&FillValue> {
        None
    }
    /// `Điểm tự chấm` of an indicator.
    fn self_score(&self, _code: &str) -> Option<&FillValue> {
        None
    }
    /// `Minh chứng / Ghi chú` of an indicator.
    fn note(&self, _code: &str) -> &str {
        ""
    }
    /// `Chỉ tiêu đăng ký` of an indicator.
    fn registered(&self, _code: &str) -> &str {
        ""
    }
    /// `Số lần` of a bonus/penalty item.
    fn count(&self, _code: &str) -> Option<&FillValue> {
        None
    }
    /// Whether the `Thông tin` sheet is written.
    fn info_sheet(&self) -> bool {
        true
    }
    /// Headers and sheet names without diacritics, in capitals.
    fn ascii_headers(&self) -> bool {
        false
    }
    /// The score table's columns in this order (indices into
    /// [`SCORE_HEADER`]); `None` keeps the template's.
    fn column_order(&self) -> Option<Vec<usize>> {
        None
    }
    /// Title rows above the score table's title.
    fn extra_title_rows(&self) -> u32 {
        0
    }
    /// An indicator row left out.
    fn drops_row(&self, _code: &str) -> bool {
        false
    }
    /// An indicator row whose code cell is left empty.
    fn blanks_code(&self, _code: &str) -> bool {
        false
    }
    /// A number typed as the indicators' total instead of the formula.
    fn typed_total(&self) -> Option<f64> {
        None
    }
    /// Whether the sheets are protected.
    fn protected(&self) -> bool {
        true
    }
    /// The unit's access code to the bloc's server (`thidua serve`), told on
    /// the `Thông tin` sheet.
    fn access_code(&self) -> Option<&str> {
        None
    }
}

/// A template that tells its unit's access code.
pub struct WithAccessCode<'a>(pub &'a str);

impl Fill for WithAccessCode<'_> {
    fn access_code(&self) -> Option<&str> {
        Some(self.0)
    }
}

/// The template as the product writes it: nothing filled in.
pub struct Blank;

impl Fill for Blank {}

/// The file name of a unit's workbook: `SCT_NAM.xlsx`.
pub fn file_name(unit: &Unit, period: &Period) -> String {
    let safe = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    format!("{}_{}.xlsx", safe(&unit.code), safe(&period.code))
}

/// Writes one unit's workbook.
pub fn write(
    plan: &Plan,
    unit: &Unit,
    period: &Period,
    fill: Option<&dyn Fill>,
    path: &Path,
    overwrite: bool,
) -> Result<(), WriteError> {
    let err = xlsx_err(path);
    let fill = fill.unwrap_or(&Blank);
    let styles = Styles::new();
    let mut wb = Workbook::new();
    let props = properties(&format!("Báo cáo thi đua {} – {}", unit.name, period.name))
        .set_custom_property(PROP_PLAN, &plan.code)
        .set_custom_property(PROP_FINGERPRINT, plan.fingerprint());
    wb.set_properties(&props);
    let names = SheetNames::new(fill.ascii_headers());
    if fill.info_sheet() {
        write_info(
            wb.add_worksheet(),
            plan,
            unit,
            period,
            fill,
            &styles,
            &names,
        )
        .map_err(&err)?;
    }
    write_registration(wb.add_worksheet(), plan, fill, &styles, &names).map_err(&err)?;
    write_scores(
        wb.add_worksheet(),
        plan,
        unit,
        period,
        fill,
        &styles,
        &names,
    )
    .map_err(&err)?;
    save(&mut wb, path, overwrite)
}

struct SheetNames {
    ascii: bool,
}

impl SheetNames {
    fn new(ascii: bool) -> Self {
        SheetNames { ascii }
    }

    /// A label as written: as is, or folded to capitals without diacritics.
    fn label(&self, text: &str) -> String {
        if self.ascii {
            crate::text::fold(text).to_uppercase()
        } else {
            text.to_string()
        }
    }
}

fn protect(ws: &mut Worksheet, fill: &dyn Fill) {
    if fill.protected() {
        ws.protect();
    }
}

fn write_fill(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: Option<&FillValue>,
    percent: bool,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let number_format = if percent {
        &styles.input_percent
    } else {
        &styles.input_number
    };
    match value {
        None => ws.write_blank(row, col, number_format).map(|_| ()),
        Some(FillValue::Number(n)) => {
            let stored = if percent { n / 100.0 } else { *n };
            ws.write_number_with_format(row, col, stored, number_format)
                .map(|_| ())
        }
        Some(FillValue::Text(t)) => ws
            .write_string_with_format(row, col, t, &styles.input_text)
            .map(|_| ()),
        Some(FillValue::Date(d)) => ws
            .write_number_with_format(row, col, serial_from_date(*d), &styles.input_date)
            .map(|_| ()),
    }
}

fn write_info(
    ws: &mut Worksheet,
    plan: &Plan,
    unit: &Unit,
    period: &Period,
    fill: &dyn Fill,
    styles: &Styles,
    names: &SheetNames,
) -> Result<(), XlsxError> {
    ws.set_name(names.label(INFO_SHEET[0]))?;
    ws.merge_range(
        0,
        0,
        0,
        1,
        &names.label("THÔNG TIN BÁO CÁO THI ĐUA"),
        &styles.title,
    )?;
    ws.set_column_width(0, 22)?;
    ws.set_column_width(1, 56)?;
    let [
        plan_key,
        code_key,
        name_key,
        period_key,
        date_key,
        author_key,
    ] = INFO_LABELS;
    let fixed = [
        (plan_key, plan.code.as_str()),
        (code_key, unit.code.as_str()),
        (name_key, unit.name.as_str()),
        (period_key, period.code.as_str()),
    ];
    for (i, (key, value)) in fixed.iter().enumerate() {
        let row = 2 + i as u32;
        ws.write_string_with_format(row, 0, names.label(key), &styles.text_bold)?;
        ws.write_string_with_format(row, 1, *value, &styles.text)?;
    }
    ws.write_string_with_format(6, 0, names.label(date_key), &styles.text_bold)?;
    match fill.report_date() {
        Some(d) => ws.write_number_with_format(6, 1, serial_from_date(d), &styles.input_date)?,
        None => ws.write_blank(6, 1, &styles.input_date)?,
    };
    let date_rule = DataValidation::new()
        .allow_date(DataValidationRule::GreaterThan(
            rust_xlsxwriter::ExcelDateTime::from_ymd(2000, 1, 1)?,
        ))
        .set_error_message("Nhập ngày dạng dd/mm/yyyy")?;
    ws.add_data_validation(6, 1, 6, 1, &date_rule)?;
    ws.write_string_with_format(7, 0, names.label(author_key), &styles.text_bold)?;
    ws.write_string_with_format(7, 1, fill.author(), &styles.input_text)?;
    ws.write_string_with_format(
        9,
        0,
        format!(
            "Tên kỳ: {} — hạn nộp {}",
            period.name,
            period
                .deadline
                .map(crate::text::number::format_date)
                .unwrap_or_default()
        ),
        &styles.plain,
    )?;
    if let Some(code) = fill.access_code() {
        ws.write_string_with_format(
            11,
            0,
            format!(
                "Mã truy cập để kiểm tra và gửi báo cáo qua trang web của khối: {code} (giữ riêng trong đơn vị)"
            ),
            &styles.plain,
        )?;
    }
    print_setup(ws, None);
    protect(ws, fill);
    Ok(())
}

fn write_registration(
    ws: &mut Worksheet,
    plan: &Plan,
    fill: &dyn Fill,
    styles: &Styles,
    names: &SheetNames,
) -> Result<(), XlsxError> {
    ws.set_name(names.label(REGISTRATION_SHEET[0]))?;
    const WIDTHS: [f64; 7] = [6.0, 8.0, 50.0, 12.0, 26.0, 26.0, 24.0];
    ws.merge_range(
        0,
        0,
        0,
        WIDTHS.len() as u16 - 1,
        &names.label("ĐĂNG KÝ CHỈ TIÊU THI ĐUA"),
        &styles.title,
    )?;
    let header_row = 2;
    let labels: Vec<String> = REGISTRATION_HEADER.iter().map(|l| names.label(l)).collect();
    let columns: Vec<(&str, f64)> = labels.iter().map(String::as_str).zip(WIDTHS).collect();
    crate::report::table_header(ws, header_row, &columns, styles)?;
    let with_target = plan.indicators.iter().filter(|i| i.target != Target::None);
    for (i, ind) in with_target.enumerate() {
        let row = header_row + 1 + i as u32;
        ws.write_number_with_format(row, 0, (i + 1) as f64, &styles.text)?;
        ws.write_string_with_format(row, 1, &ind.code, &styles.text)?;
        ws.write_string_with_format(row, 2, &ind.content, &styles.text)?;
        ws.write_string_with_format(row, 3, &ind.unit_label, &styles.text)?;
        ws.write_string_with_format(row, 4, &ind.target_text, &styles.text)?;
        let registered = fill.registered(&ind.code);
        ws.write_string_with_format(row, 5, registered, &styles.input_text)?;
        let note = if ind.own_target {
            "Đăng ký riêng"
        } else {
            ""
        };
        ws.write_string_with_format(row, 6, note, &styles.input_text)?;
        crate::report::fit_row(
            ws,
            row,
            &[
                (&ind.content, WIDTHS[2]),
                (&ind.target_text, WIDTHS[4]),
                (registered, WIDTHS[5]),
            ],
        )?;
    }
    ws.set_freeze_panes(header_row + 1, 0)?;
    print_setup(ws, Some(header_row));
    protect(ws, fill);
    Ok(())
}
