//! The only user of rust_xlsxwriter: every workbook the tool writes (the
//! blank plan, the units' templates, annotated copies) is built here, with
//! one set of formats per workbook and saved atomically through [`crate::output`].

pub mod annotate;
pub mod consolidated;
pub mod digest;
pub mod plan_book;
pub mod template;

use std::path::Path;

pub(crate) use crate::output::guarded;
pub use crate::output::{WriteError, write_atomic, write_atomic_with};

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};

/// Saves a workbook through a temporary file in the target folder renamed
/// into place, so a crash leaves the old file or the new one, never half.
pub fn save(workbook: &mut Workbook, path: &Path, overwrite: bool) -> Result<(), WriteError> {
    let bytes = workbook.save_to_buffer().map_err(xlsx_err(path))?;
    write_atomic(path, &bytes, overwrite)
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
    pub number: Format,
    pub number_bold: Format,
    pub percent: Format,
    pub date: Format,
    pub input_text: Format,
    pub input_number: Format,
    pub input_percent: Format,
    pub input_date: Format,
    pub problem: Format,
    pub plain: Format,
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
            number: cell.clone().set_num_format("#,##0.##"),
            number_bold: cell.clone().set_bold().set_num_format("#,##0.##"),
            percent: cell.clone().set_num_format("0.##%"),
            date: cell.clone().set_num_format("dd/mm/yyyy"),
            input_text: input.clone(),
            input_number: input.clone().set_num_format("#,##0.##"),
            input_percent: input.clone().set_num_format("0.##%"),
            input_date: input.set_num_format("dd/mm/yyyy"),
            problem: cell
                .clone()
                .set_background_color(Color::RGB(0xFFC7CE))
                .set_font_color(Color::RGB(0x9C0006)),
            plain: base,
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
    // Times New Roman 12 with Vietnamese marks fits about 0.6 characters per
    // width unit (measured on LibreOffice PDF output).
    let lines = cells
        .iter()
        .map(|(text, width)| (text.chars().count() as f64 / (width * 0.6).max(1.0)).ceil())
        .fold(1.0, f64::max);
    if lines > 1.0 {
        sheet.set_row_height(row, 15.75 * lines)?;
    }
    Ok(())
}

/// Wraps an xlsx error with the file it was for.
pub(crate) fn xlsx_err(path: &Path) -> impl Fn(rust_xlsxwriter::XlsxError) -> WriteError + '_ {
    move |source| WriteError::Build {
        path: path.to_path_buf(),
        source: Box::new(source),
    }
}
