//! The only user of rust_xlsxwriter: every workbook the tool writes (the
//! blank plan, the units' templates, annotated copies) is built here, with
//! one set of formats per workbook and saved atomically.

pub mod annotate;
pub mod consolidated;
pub mod digest;
pub mod plan_book;
pub mod template;

use std::io::Write;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};

/// Why a workbook could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("`{0}` already exists; use --force to replace it")]
    Exists(PathBuf),
    #[error(
        "cannot write `{0}`: it is open in another program (Excel?) or read-only; close it and run again"
    )]
    Locked(PathBuf),
    // The cause follows from the error chain (`{:#}`), not repeated here.
    #[error("cannot write `{path}`")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot build the workbook `{path}`")]
    Xlsx {
        path: PathBuf,
        source: rust_xlsxwriter::XlsxError,
    },
}

/// Saves a workbook through a temporary file in the target folder renamed
/// into place, so a crash leaves the old file or the new one, never half.
pub fn save(workbook: &mut Workbook, path: &Path, overwrite: bool) -> Result<(), WriteError> {
    let bytes = workbook
        .save_to_buffer()
        .map_err(|source| WriteError::Xlsx {
            path: path.to_path_buf(),
            source,
        })?;
    write_atomic(path, &bytes, overwrite)
}

/// Writes bytes atomically; refuses to replace an existing file unless told.
pub fn write_atomic(path: &Path, bytes: &[u8], overwrite: bool) -> Result<(), WriteError> {
    write_atomic_with(path, overwrite, |w| w.write_all(bytes))
}

/// Writes a file atomically from a writer callback (for output too large to
/// hold in memory), through a temporary file renamed into place.
pub fn write_atomic_with(
    path: &Path,
    overwrite: bool,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), WriteError> {
    let io = |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    };
    if !overwrite && path.exists() {
        return Err(WriteError::Exists(path.to_path_buf()));
    }
    let locked = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::PermissionDenied => WriteError::Locked(path.to_path_buf()),
        _ => io(e),
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(io)?;
    remove_stale_temporaries(&dir);
    let mut tmp = tempfile::Builder::new()
        .prefix(".thidua-")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(locked)?;
    {
        let mut buffered = std::io::BufWriter::new(tmp.as_file_mut());
        fill(&mut buffered).map_err(io)?;
        buffered.flush().map_err(io)?;
    }
    tmp.as_file().sync_all().map_err(io)?;
    if overwrite {
        tmp.persist(path).map_err(|e| locked(e.error))?;
    } else {
        tmp.persist_noclobber(path)
            .map_err(|e| match e.error.kind() {
                std::io::ErrorKind::AlreadyExists => WriteError::Exists(path.to_path_buf()),
                _ => io(e.error),
            })?;
    }
    Ok(())
}

/// Temporary files older than this, left beside an output by a run that
/// was killed, are removed by the next write into the same folder. (A
/// younger one may belong to a run still writing.)
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(600);

fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_AFTER);
        if name.starts_with(".thidua-") && name.ends_with(".tmp") && stale {
            // Best effort: a file another run removed first is fine.
            let _ = std::fs::remove_file(entry.path());
        }
    }
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

thread_local! {
    static WRITING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// True while a guarded write runs on this thread: a panic then is the
/// writer's way of failing (see [`guarded`]) and need not be printed.
pub fn panic_is_reported() -> bool {
    WRITING.with(|w| w.get())
}

/// Runs a workbook write, turning a panic inside rust_xlsxwriter (it
/// panics when its temporary files cannot be written) into an error that
/// names the output.
pub(crate) fn guarded(
    path: &Path,
    write: impl FnOnce() -> Result<(), WriteError>,
) -> Result<(), WriteError> {
    WRITING.with(|w| w.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(write));
    WRITING.with(|w| w.set(false));
    result.unwrap_or_else(|payload| {
        let why = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        Err(WriteError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::other(format!(
                "the workbook could not be built (disk full?): {}",
                why.lines().next().unwrap_or("")
            )),
        })
    })
}

/// Wraps an xlsx error with the file it was for.
pub(crate) fn xlsx_err(path: &Path) -> impl Fn(rust_xlsxwriter::XlsxError) -> WriteError + '_ {
    move |source| WriteError::Xlsx {
        path: path.to_path_buf(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_refuses_to_replace_unless_told() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.xlsx");
        write_atomic(&path, b"one", false).unwrap();
        assert!(matches!(
            write_atomic(&path, b"two", false),
            Err(WriteError::Exists(_))
        ));
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        write_atomic(&path, b"two", true).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn stale_temporaries_of_killed_runs_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(".thidua-old.tmp");
        let fresh = dir.path().join(".thidua-new.tmp");
        std::fs::write(&stale, b"half").unwrap();
        std::fs::write(&fresh, b"writing").unwrap();
        let old = std::time::SystemTime::now() - STALE_AFTER * 2;
        std::fs::File::options()
            .write(true)
            .open(&stale)
            .unwrap()
            .set_modified(old)
            .unwrap();
        write_atomic(&dir.path().join("out.xlsx"), b"x", true).unwrap();
        assert!(!stale.exists(), "a killed run's leftover is removed");
        assert!(fresh.exists(), "a run still writing keeps its file");
    }

    /// Excel on Windows locks an open file; the rename then fails with
    /// "permission denied", which must read as advice, not an OS error.
    #[test]
    fn a_locked_target_says_to_close_it() {
        let path = Path::new("tong-hop.xlsx");
        let msg = WriteError::Locked(path.to_path_buf()).to_string();
        assert_eq!(
            msg,
            "cannot write `tong-hop.xlsx`: it is open in another program (Excel?) or read-only; close it and run again"
        );
    }
}
