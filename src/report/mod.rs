//! The only user of rust_xlsxwriter: every workbook the tool writes (the
//! blank plan, the units' templates, annotated copies) is built here, with
//! one set of formats per workbook and saved atomically through [`crate::output`].

pub mod annotate;
pub mod consolidated;
pub mod digest;
pub mod digest_text;
pub mod json;
pub mod package;
pub mod plan_book;
pub mod template;

use std::path::Path;

pub use crate::output::WriteError;
pub(crate) use crate::output::guarded;
use crate::output::write_atomic;

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};

/// Saves a workbook through a temporary file in the target folder renamed
/// into place, so a crash leaves the old file or the new one, never half.
pub fn save(workbook: &mut Workbook, path: &Path, overwrite: bool) -> Result<(), WriteError> {
    let bytes = packed(workbook).map_err(xlsx_err(path))?;
    write_atomic(path, &bytes, overwrite)
}

/// The workbook's package, as every workbook the tool writes is packed: at
/// zip level 5, with which zlib-rs (rust_xlsxwriter's deflate) compresses
/// in half the time of the default 6 and to the same size (the
/// consolidated workbook of 1,200 units: 388 KB against 389 KB; 21.9 KB
/// either way for 12 units; docs/performance.md).
pub(crate) fn packed(workbook: &mut Workbook) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    workbook.set_zip_compression_level(5);
    workbook.save_to_buffer()
}

/// Document properties with a fixed creation time, so the same inputs give
/// the same file.
pub fn properties(title: &str) -> DocProperties {
    let fixed = ExcelDateTime::from_ymd(2000, 1, 1).expect("valid fixed date");
    DocProperties::new()
        .set_title(title)
        .set_author("thidua")
        .set_creation_datetime(&fixed)
}

/// The formats of one workbook, built once (Times New Roman, as Vietnamese
/// administrative documents use).
pub struct Styles {
    pub title: Format,
    pub subtitle: Format,
    pub header: Format,
    pub text: Format,
    pub text_bold: Format,
    /// Centred in its cell: ranks, short codes.
    pub centred: Format,
    pub number: Format,
    pub number_bold: Format,
    pub percent: Format,
    pub percent_whole: Format,
    pub date: Format,
    pub input_text: Format,
    pub input_number: Format,
    pub input_percent: Format,
    pub input_date: Format,
    pub problem: Format,
    pub plain: Format,
    /// Plain text that wraps, for notes under a table.
    pub plain_wrap: Format,
}

const FONT: &str = "Times New Roman";
const INPUT_FILL: u32 = 0xFFF9DB;

impl Styles {
    pub fn new() -> Self {
        let base = Format::new().set_font_name(FONT).set_font_size(12);
        let cell = base
            .clone()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter);
        let input = cell
            .clone()
            .set_unlocked()
            .set_background_color(Color::RGB(INPUT_FILL));
        Styles {
            title: base
                .clone()
                .set_bold()
                .set_font_size(14)
                .set_align(FormatAlign::Center),
            subtitle: base.clone().set_italic().set_align(FormatAlign::Center),
            header: cell
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(0xDDEBF7)),
            text: cell.clone(),
            text_bold: cell.clone().set_bold(),
            centred: cell.clone().set_align(FormatAlign::Center),
            // `General`, not `#,##0.##`: Excel shows a whole number under
            // the latter with a trailing separator (`20,`). Figures are
            // rounded to two decimals before they are written.
            number: cell.clone(),
            number_bold: cell.clone().set_bold(),
            percent: cell.clone().set_num_format("0.0#%"),
            percent_whole: cell.clone().set_num_format("0%"),
            date: cell.clone().set_num_format("dd/mm/yyyy"),
            input_text: input.clone(),
            input_number: input.clone(),
            input_percent: input.clone().set_num_format("0.0#%"),
            input_date: input.set_num_format("dd/mm/yyyy"),
            problem: cell
                .clone()
                .set_background_color(Color::RGB(0xFFC7CE))
                .set_font_color(Color::RGB(0x9C0006)),
            plain_wrap: base.clone().set_text_wrap().set_align(FormatAlign::Top),
            plain: base,
        }
    }
}

impl Styles {
    /// The percent format that shows this share (0–1) without a trailing
    /// separator: `88%`, `88.5%`.
    pub fn percent_for(&self, share: f64) -> &Format {
        if ((share * 100.0) - (share * 100.0).round()).abs() < crate::score::EPS {
            &self.percent_whole
        } else {
            &self.percent
        }
    }
}

impl Default for Styles {
    fn default() -> Self {
        Self::new()
    }
}

/// A4 landscape, fit to the page width, with the header row repeated.
pub fn print_setup(sheet: &mut Worksheet, header_row: Option<u32>) {
    sheet.set_paper_size(9);
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    if let Some(row) = header_row {
        // Only fails for rows beyond the sheet, which a header never is.
        let _ = sheet.set_repeat_rows(row, row);
    }
}

/// Sets a row's height so that wrapped text shows whole: LibreOffice and
/// Excel keep the stored height when printing, and rust_xlsxwriter stores
/// the default one. `cells` are (text, column width in characters).
pub fn fit_row(
    sheet: &mut Worksheet,
    row: u32,
    cells: &[(&str, f64)],
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let lines = cells
        .iter()
        .map(|(text, width)| wrapped_lines(text, *width))
        .max()
        .unwrap_or(1);
    if lines > 1 {
        sheet.set_row_height(row, 15.75 * lines as f64)?;
    }
    Ok(())
}

/// Times New Roman 12 fits about 1.25 characters of Vietnamese text per
/// unit of column width (measured on LibreOffice's PDF output: 65
/// characters on one line of width 46); a little less is assumed, so a
/// row is never too short.
const CHARS_PER_WIDTH: f64 = 1.2;

/// How many lines a cell of this width wraps the text into, word by word
/// as the spreadsheet does.
pub fn wrapped_lines(text: &str, width: f64) -> usize {
    let room = ((width - 1.0) * CHARS_PER_WIDTH).max(1.0) as usize;
    text.split('\n')
        .map(|paragraph| {
            let mut lines = 1;
            let mut used = 0;
            for word in paragraph.split_whitespace() {
                let len = word.chars().count();
                let need = if used == 0 { len } else { used + 1 + len };
                if need <= room {
                    used = need;
                } else if used == 0 {
                    // A word longer than the line breaks inside it.
                    lines += (len - 1) / room;
                    used = (len - 1) % room + 1;
                } else {
                    lines += 1 + (len.max(1) - 1) / room;
                    used = (len.max(1) - 1) % room + 1;
                }
            }
            lines
        })
        .sum()
}

/// A table's header row: the labels in the header style, the columns set
/// to their widths, and a height that shows every label whole.
pub fn table_header(
    sheet: &mut Worksheet,
    row: u32,
    columns: &[(&str, f64)],
    styles: &Styles,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    for (c, (label, width)) in columns.iter().enumerate() {
        sheet.set_column_width(c as u16, *width)?;
        sheet.write_string_with_format(row, c as u16, *label, &styles.header)?;
    }
    // Bold labels are a little wider than body text.
    let bold: Vec<(&str, f64)> = columns.iter().map(|(l, w)| (*l, w * 0.9)).collect();
    fit_row(sheet, row, &bold)
}

/// The title and subtitle of a sheet, each merged across the table's
/// width (`last` is the table's last column), so they centre on the page
/// and never clip.
pub fn sheet_title(
    sheet: &mut Worksheet,
    title: &str,
    subtitle: &str,
    last: u16,
    styles: &Styles,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    sheet.merge_range(0, 0, 0, last, title, &styles.title)?;
    sheet.merge_range(1, 0, 1, last, subtitle, &styles.subtitle)?;
    Ok(())
}

/// Wraps an xlsx error with the file it was for.
pub(crate) fn xlsx_err(path: &Path) -> impl Fn(rust_xlsxwriter::XlsxError) -> WriteError + '_ {
    move |source| WriteError::Build {
        path: path.to_path_buf(),
        source: Box::new(source),
    }
}

/// The columns of the `Lỗi` sheet of an annotated copy, however the copy
/// is made: label and width.
pub fn finding_columns(lang: crate::messages::Lang) -> [(&'static str, f64); 8] {
    [
        (lang.pick("Mức độ", "Severity"), 10.0),
        (lang.pick("Mã lỗi", "Code"), 20.0),
        (lang.pick("Trang", "Sheet"), 18.0),
        (lang.pick("Ô", "Cell"), 8.0),
        (lang.pick("Tiêu chí", "Indicator"), 10.0),
        (lang.pick("Giá trị", "Found"), 18.0),
        (lang.pick("Cần", "Expected"), 18.0),
        (lang.pick("Nội dung", "Message"), 80.0),
    ]
}

/// One finding's cells in those columns.
pub fn finding_cells(f: &crate::finding::Finding, lang: crate::messages::Lang) -> [String; 8] {
    let text = |s: &Option<String>| s.clone().unwrap_or_default();
    [
        crate::messages::severity_label(f.severity, lang).to_string(),
        f.code.as_str().to_string(),
        text(&f.sheet),
        text(&f.cell),
        text(&f.indicator),
        text(&f.found),
        text(&f.expected),
        crate::messages::message(f, lang),
    ]
}

#[cfg(test)]
mod tests {
    use super::wrapped_lines;

    #[test]
    fn wrapping_counts_lines_word_by_word() {
        assert_eq!(wrapped_lines("Đạt", 10.0), 1);
        assert_eq!(wrapped_lines("", 10.0), 1);
        // Width 22 holds about 25 characters: this wraps once.
        assert_eq!(
            wrapped_lines("Chưa đủ số liệu (11/12 đơn vị); đến nay đạt", 22.0),
            2
        );
        // Seen on one line in LibreOffice at width 46.
        assert_eq!(
            wrapped_lines("Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn", 46.0),
            1
        );
        assert_eq!(wrapped_lines("một\nhai", 40.0), 2);
        // A word longer than the line breaks inside it.
        assert_eq!(wrapped_lines(&"x".repeat(30), 10.0), 3);
    }
}
