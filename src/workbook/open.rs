//! Opening a workbook file: what it is (xlsx, xls, ods, xlsb, or a document
//! of another kind), the guards against damaged and hostile files (size,
//! zip bombs, sheet counts, time, reader panics), and the cells read into a
//! [`Book`].

use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::Instant;

use calamine::{Data, Dimensions, Ods, Reader, Xls, Xlsx, open_workbook_from_rs};

use super::{
    Book, Cell, Format, FormulaSource, LazyFormulas, MAX_EXPANDED_BYTES, MAX_FILE_BYTES,
    MAX_SHEET_CELLS, MAX_SHEETS, MAX_ZIP_ENTRIES, READ_TIMEOUT, Sheet, Value,
};
use crate::finding::{Code, Finding};

/// Why a file could not be read at all.
#[derive(Debug, Clone, PartialEq)]
pub enum OpenError {
    NotAWorkbook,
    /// A document of another kind (PDF, Word, a zip of files…), by name.
    OtherFormat(String),
    Corrupt(String),
    Encrypted,
    TooLarge {
        bytes: u64,
    },
    /// The zip would expand to this many bytes (or holds too many entries).
    Expands {
        bytes: u64,
        entries: usize,
    },
    TooManySheets {
        count: usize,
    },
    Timeout,
    SheetTooLarge {
        sheet: String,
        cells: usize,
    },
    Io(String),
    Crash(String),
}

impl OpenError {
    /// The finding that tells the user, naming the file.
    pub fn to_finding(&self, file: &str) -> Finding {
        let f = |code| Finding::new(code, file);
        match self {
            OpenError::NotAWorkbook => f(Code::NotAWorkbook),
            OpenError::OtherFormat(what) => f(Code::OtherFormat).found(what.clone()),
            OpenError::Corrupt(why) => f(Code::CorruptFile).found(why.clone()),
            OpenError::Encrypted => f(Code::EncryptedFile),
            OpenError::TooLarge { bytes } => f(Code::FileTooLarge)
                .found(format!("{} MiB", bytes / (1024 * 1024)))
                .expected(format!("{} MiB", MAX_FILE_BYTES / (1024 * 1024))),
            OpenError::Expands { bytes, entries } => f(Code::ExpandsTooLarge)
                .found(format!("{} MiB, {entries} entries", bytes / (1024 * 1024)))
                .expected(format!(
                    "≤ {} MiB, ≤ {MAX_ZIP_ENTRIES} entries",
                    MAX_EXPANDED_BYTES / (1024 * 1024)
                )),
            OpenError::TooManySheets { count } => f(Code::TooManySheets)
                .found(count.to_string())
                .expected(MAX_SHEETS.to_string()),
            OpenError::Timeout => {
                f(Code::ReadTimeout).expected(format!("{} s", READ_TIMEOUT.as_secs()))
            }
            OpenError::SheetTooLarge { sheet, cells } => f(Code::SheetTooLarge)
                .sheet(sheet.clone())
                .found(cells.to_string())
                .expected(MAX_SHEET_CELLS.to_string()),
            OpenError::Io(why) => f(Code::UnreadableFile).found(why.clone()),
            OpenError::Crash(why) => f(Code::ReaderCrash).found(why.clone()),
        }
    }
}

thread_local! {
    /// True while this thread reads a workbook (see [`panic_is_reported`]).
    static READING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// This thread's calamine reader, made on first use.
    static READER: std::cell::RefCell<Option<ReaderThread>> = const { std::cell::RefCell::new(None) };
}

/// True while a thread reads a workbook: a panic then (a calamine bug on a
/// damaged file) becomes a `reader-crash` finding and need not be printed.
pub fn panic_is_reported() -> bool {
    READING.with(|r| r.get())
}

/// Runs a read, turning a panic into [`OpenError::Crash`]: calamine has
/// panicked on malformed files in the past, and one such file must not
/// stop a batch.
fn guarded<T>(read: impl FnOnce() -> Result<T, OpenError>) -> Result<T, OpenError> {
    let was = READING.with(|r| r.replace(true));
    let result = catch_unwind(AssertUnwindSafe(read));
    READING.with(|r| r.set(was));
    result.unwrap_or_else(|payload| {
        let why = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".to_string());
        // The first line says what failed; the rest is debugging detail.
        let why = why.lines().next().unwrap_or("panic").to_string();
        Err(OpenError::Crash(why))
    })
}

/// A read handed to a [`ReaderThread`].
type Job = Box<dyn FnOnce() -> Result<Book, OpenError> + Send>;

/// A thread that runs one worker's calamine reads, kept from file to file,
/// so that a read which never ends can be abandoned.
struct ReaderThread {
    jobs: std::sync::mpsc::Sender<Job>,
    results: std::sync::mpsc::Receiver<Result<Book, OpenError>>,
}

impl ReaderThread {
    fn spawn() -> Result<ReaderThread, OpenError> {
        let (jobs, job_rx) = std::sync::mpsc::channel::<Job>();
        let (result_tx, results) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("thidua-read".into())
            .spawn(move || {
                for job in job_rx {
                    // After a timeout nobody waits for this result; the
                    // thread then ends.
                    if result_tx.send(guarded(job)).is_err() {
                        break;
                    }
                }
            })
            .map_err(|e| OpenError::Io(e.to_string()))?;
        Ok(ReaderThread { jobs, results })
    }
}

/// Runs `job` on this thread's reader thread and waits for it until
/// `deadline`; past it, the thread is left to finish on its own and the
/// next job gets a new one.
fn on_reader_thread(job: Job, deadline: Instant) -> Result<Book, OpenError> {
    READER.with(|slot| {
        let mut slot = slot.borrow_mut();
        let reader = match slot.take() {
            Some(reader) => reader,
            None => ReaderThread::spawn()?,
        };
        if reader.jobs.send(job).is_err() {
            // The reading thread is gone (it cannot be, short of a bug).
            return Err(OpenError::Crash("reader thread stopped".into()));
        }
        let wait = deadline.saturating_duration_since(Instant::now());
        match reader.results.recv_timeout(wait) {
            Ok(result) => {
                *slot = Some(reader);
                result
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => Err(OpenError::Timeout),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                Err(OpenError::Crash("reader thread stopped".into()))
            }
        }
    })
}

/// Opens and reads a workbook file, within [`READ_TIMEOUT`]: a file that
/// takes longer is reported and the batch goes on.
///
/// An xlsx package is read on the calling thread by the fast path, which
/// checks the deadline before each part it opens (each part is read in
/// time linear in its size, bounded by [`MAX_EXPANDED_BYTES`]). What it
/// declines, and xls, ods and xlsb, are read by calamine, whose time on a
/// damaged file nothing bounds: that read runs on a thread of the
/// caller's own, which is abandoned if the deadline passes.
pub fn open(path: &Path) -> Result<Book, OpenError> {
    let deadline = Instant::now() + READ_TIMEOUT;
    let bytes = read_file(path)?;
    match guarded(|| route(&bytes, Some(deadline)))? {
        Route::Read(book) => Ok(book),
        Route::Calamine(read) => on_reader_thread(Box::new(move || read(bytes)), deadline),
    }
}

/// The file's bytes. Only a regular file is read: a FIFO or a device named
/// `.xlsx` could block the read for ever.
fn read_file(path: &Path) -> Result<Vec<u8>, OpenError> {
    let meta = std::fs::metadata(path).map_err(|e| OpenError::Io(e.to_string()))?;
    if meta.is_dir() {
        return Err(OpenError::Io("is a directory".into()));
    }
    if !meta.is_file() {
        return Err(OpenError::Io("not a regular file".into()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(OpenError::TooLarge { bytes: meta.len() });
    }
    std::fs::read(path).map_err(|e| OpenError::Io(e.to_string()))
}

/// Reads a workbook held in memory, on the calling thread, with no time
/// limit.
pub fn read_bytes(bytes: Vec<u8>) -> Result<Book, OpenError> {
    guarded(|| match route(&bytes, None)? {
        Route::Read(book) => Ok(book),
        Route::Calamine(read) => read(bytes),
    })
}

/// A workbook read by the fast path, or the calamine reader that must
/// read it.
enum Route {
    Read(Book),
    Calamine(fn(Vec<u8>) -> Result<Book, OpenError>),
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Tells what the bytes are and reads an xlsx package by the fast path.
fn route(bytes: &[u8], deadline: Option<Instant>) -> Result<Route, OpenError> {
    if bytes.starts_with(CFB_MAGIC) {
        // An OLE container is either a legacy .xls or an encrypted OOXML
        // package, which carries an `EncryptedPackage` stream.
        let marker: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        if bytes.windows(marker.len()).any(|w| w == marker.as_slice()) {
            return Err(OpenError::Encrypted);
        }
        let word: Vec<u8> = "WordDocument"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        if bytes.windows(word.len()).any(|w| w == word.as_slice()) {
            return Err(OpenError::OtherFormat("Word (.doc)".into()));
        }
        return Ok(Route::Calamine(read_xls));
    }
    if bytes.starts_with(ZIP_MAGIC) {
        let (zip, xlsb) = scan_zip(bytes)?;
        if xlsb {
            return Ok(Route::Calamine(read_xlsb));
        }
        let is_ods = bytes.len() > 80
            && bytes[..200.min(bytes.len())]
                .windows(8)
                .any(|w| w == b"mimetype")
            && bytes
                .windows(46)
                .take(400)
                .any(|w| w == b"application/vnd.oasis.opendocument.spreadsheet");
        if is_ods {
            return Ok(Route::Calamine(read_ods));
        }
        if let Some(fast) = super::xlsx::read(bytes, zip, deadline)? {
            let sources = fast
                .blank_sheets
                .into_iter()
                .map(|(i, part)| (i, FormulaSource::Part(part)));
            return Ok(Route::Read(with_lazy_formulas(fast.book, sources)));
        }
        return Ok(Route::Calamine(read_xlsx));
    }
    Err(match other_format(bytes) {
        Some(what) => OpenError::OtherFormat(what.to_string()),
        None => OpenError::NotAWorkbook,
    })
}

/// What a file that is not a spreadsheet is, from its first bytes, for
/// the documents units send by mistake.
fn other_format(bytes: &[u8]) -> Option<&'static str> {
    let head = &bytes[..bytes.len().min(512)];
    let text = String::from_utf8_lossy(head).to_lowercase();
    let text = text.trim_start_matches('\u{feff}').trim_start();
    Some(if head.starts_with(b"%PDF") {
        "PDF"
    } else if head.starts_with(b"{\\rtf") {
        "RTF (Word)"
    } else if head.starts_with(b"\x89PNG") || head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "PNG/JPEG"
    } else if head.starts_with(b"Rar!") || head.starts_with(b"7z\xBC\xAF") {
        "RAR / 7z"
    } else if text.starts_with("<!doctype html") || text.starts_with("<html") {
        // Web systems save "xls" files that are HTML tables.
        "HTML"
    } else {
        return None;
    })
}

/// Checks a zip container's central directory before anything is inflated:
/// entry count and total expanded size, and that it is a workbook at all
/// (a Word document and a zip of files are zips too). Gives the opened
/// archive, and true when it holds an XLSB workbook.
fn scan_zip(bytes: &[u8]) -> Result<(super::xlsx::Zip<'_>, bool), OpenError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(corrupt)?;
    let xlsb = archive.index_for_name("xl/workbook.bin").is_some();
    let entries = archive.len();
    let mut total: u64 = 0;
    if entries <= MAX_ZIP_ENTRIES {
        for i in 0..entries {
            let entry = archive.by_index_raw(i).map_err(corrupt)?;
            total = total.saturating_add(entry.size());
        }
    }
    if entries > MAX_ZIP_ENTRIES || total > MAX_EXPANDED_BYTES {
        return Err(OpenError::Expands {
            bytes: total,
            entries,
        });
    }
    let has = |name: &str| archive.index_for_name(name).is_some();
    let workbook = xlsb || has("xl/workbook.xml") || has("mimetype") || has("content.xml");
    if !workbook {
        let other = if has("word/document.xml") {
            "Word (.docx)"
        } else if has("ppt/presentation.xml") {
            "PowerPoint (.pptx)"
        } else if has("[Content_Types].xml") {
            // An OOXML package without its workbook part: a damaged xlsx.
            ""
        } else {
            "ZIP"
        };
        if !other.is_empty() {
            return Err(OpenError::OtherFormat(other.to_string()));
        }
    }
    Ok((archive, xlsb))
}

fn read_xlsb(bytes: Vec<u8>) -> Result<Book, OpenError> {
    let mut book: calamine::Xlsb<_> =
        open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| match e {
            calamine::XlsbError::Password => OpenError::Encrypted,
            other => corrupt(other),
        })?;
    let props = book.workbook_properties().ok();
    read_dense(book, Format::Xlsb, props, |_, _| Vec::new())
}

fn corrupt(e: impl std::fmt::Display) -> OpenError {
    OpenError::Corrupt(e.to_string())
}

/// Reads an xlsx package with calamine: what the fast path declines.
#[doc(hidden)]
pub fn read_xlsx(bytes: Vec<u8>) -> Result<Book, OpenError> {
    // Read as the fast path reads them (calamine gives none at all when
    // the core or app part is damaged).
    let properties = super::xlsx::custom_properties_of(&bytes);
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| match e {
        calamine::XlsxError::Password => OpenError::Encrypted,
        other => corrupt(other),
    })?;
    let names = book.sheet_names();
    if names.len() > MAX_SHEETS {
        return Err(OpenError::TooManySheets { count: names.len() });
    }
    let mut sheets = Vec::with_capacity(names.len());
    let mut blank_sheets = Vec::new();
    for name in names {
        let mut sheet = Sheet::new(name.clone());
        // One pass for values and number formats. A cell that comes back
        // empty may hold a formula whose value was never saved; the sheet
        // is read again for formulas only if someone asks (`formula_at`).
        let mut blanks = false;
        {
            let mut reader = book.worksheet_cells_reader(&name).map_err(corrupt)?;
            let percent_styles: Vec<bool> = reader
                .styles()
                .iter()
                .map(|s| {
                    s.number_format
                        .as_ref()
                        .is_some_and(|f| f.format_code.contains('%'))
                })
                .collect();
            while let Some((record, style)) = reader.next_cell_with_style_id().map_err(corrupt)? {
                let value = value_of(Data::from(record.get_value().clone()));
                if value == Value::Empty {
                    blanks = true;
                    continue;
                }
                if sheet.len() >= MAX_SHEET_CELLS {
                    return Err(OpenError::SheetTooLarge {
                        sheet: name,
                        cells: sheet.len() + 1,
                    });
                }
                let (row, col) = record.get_position();
                let percent = percent_styles.get(style).copied().unwrap_or(false);
                sheet.insert(
                    row,
                    col,
                    Cell {
                        value,
                        formula: None,
                        percent,
                    },
                );
            }
        }
        sheet.merges = book.merge_cells_by_sheet_name(&name).unwrap_or_default();
        if blanks {
            // A blank cell may hold a formula with no saved value.
            blank_sheets.push(sheets.len());
        }
        sheets.push(sheet);
    }
    let book_read = Book {
        format: Format::Xlsx,
        sheets,
        properties,
    };
    let book = std::sync::Arc::new(std::sync::Mutex::new(book));
    let sources = blank_sheets
        .into_iter()
        .map(|i| (i, FormulaSource::Calamine(book.clone())));
    Ok(with_lazy_formulas(book_read, sources))
}

/// Lets the sheets with a blank cell read their formulas when asked.
fn with_lazy_formulas(
    mut book: Book,
    sources: impl IntoIterator<Item = (usize, FormulaSource)>,
) -> Book {
    for (i, source) in sources {
        book.sheets[i].lazy_formulas = Some(LazyFormulas {
            source,
            loaded: std::sync::OnceLock::new(),
        });
    }
    book
}

fn read_xls(bytes: Vec<u8>) -> Result<Book, OpenError> {
    let mut book: Xls<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| match e {
        calamine::XlsError::Password => OpenError::Encrypted,
        other => corrupt(other),
    })?;
    let props = book.workbook_properties().ok();
    read_dense(book, Format::Xls, props, |b, name| {
        b.merge_cells_by_sheet_name(name).unwrap_or_default()
    })
}

fn read_ods(bytes: Vec<u8>) -> Result<Book, OpenError> {
    let book: Ods<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(corrupt)?;
    let props = book.workbook_properties().ok();
    // calamine does not report merged regions for ODS.
    read_dense(book, Format::Ods, props, |_, _| Vec::new())
}

/// Reads every sheet of a format calamine only loads as dense ranges.
fn read_dense<R>(
    mut book: R,
    format: Format,
    props: Option<calamine::WorkbookProperties>,
    merges: impl Fn(&mut R, &str) -> Vec<Dimensions>,
) -> Result<Book, OpenError>
where
    R: Reader<Cursor<Vec<u8>>>,
    R::Error: std::fmt::Display,
{
    let names = book.sheet_names();
    if names.len() > MAX_SHEETS {
        return Err(OpenError::TooManySheets { count: names.len() });
    }
    let mut sheets = Vec::new();
    for name in names {
        let range = book.worksheet_range(&name).map_err(corrupt)?;
        let formulas = book.worksheet_formula(&name).ok();
        let mut sheet = dense_to_sheet(&name, &range, formulas.as_ref())?;
        sheet.merges = merges(&mut book, &name);
        sheets.push(sheet);
    }
    Ok(book_from(format, sheets, props))
}

fn book_from(
    format: Format,
    sheets: Vec<Sheet>,
    props: Option<calamine::WorkbookProperties>,
) -> Book {
    Book {
        format,
        sheets,
        properties: props.map(|p| p.custom_properties).unwrap_or_default(),
    }
}

/// Copies a calamine `Range` (which starts at its first non-empty cell, not
/// at A1) into a sheet at absolute positions.
fn dense_to_sheet(
    name: &str,
    range: &calamine::Range<Data>,
    formulas: Option<&calamine::Range<String>>,
) -> Result<Sheet, OpenError> {
    let mut sheet = Sheet::new(name);
    let Some((top, left)) = range.start() else {
        return Ok(sheet);
    };
    for (r, c, data) in range.used_cells() {
        if sheet.len() >= MAX_SHEET_CELLS {
            return Err(OpenError::SheetTooLarge {
                sheet: name.to_string(),
                cells: sheet.len() + 1,
            });
        }
        let value = value_of(data.clone());
        if value == Value::Empty {
            continue;
        }
        let (row, col) = (top + r as u32, left + c as u32);
        sheet.insert(
            row,
            col,
            Cell {
                value,
                formula: None,
                percent: false,
            },
        );
    }
    if let Some(formulas) = formulas
        && let Some((ftop, fleft)) = formulas.start()
    {
        sheet.set_formulas(
            formulas
                .used_cells()
                .filter(|(_, _, text)| !text.is_empty())
                .map(|(r, c, text)| ((ftop + r as u32, fleft + c as u32), text.clone())),
        );
    }
    Ok(sheet)
}

/// Every calamine cell variant as our value, taking the data's strings
/// without copying them again.
fn value_of(data: Data) -> Value {
    match data {
        Data::Int(i) => Value::Number(i as f64),
        Data::Float(f) => number_value(f),
        Data::String(s) if s.trim().is_empty() => Value::Empty,
        Data::String(s) => Value::Text(s),
        Data::Bool(b) => Value::Bool(b),
        Data::DateTime(d) => Value::Date(d.as_f64()),
        Data::DateTimeIso(s) => Value::DateText(s),
        Data::DurationIso(s) => Value::Duration(s),
        Data::Error(e) => Value::Error(e.to_string()),
        Data::Empty => Value::Empty,
    }
}

/// A number cell; NaN and infinity (which a damaged or hand-written file can
/// hold) are kept as text, so they are reported rather than summed.
fn number_value(f: f64) -> Value {
    if f.is_finite() {
        Value::Number(f)
    } else {
        Value::Text(f.to_string())
    }
}

#[cfg(test)]
mod timeout_tests {
    use super::*;
    use std::time::Duration;

    fn sample() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/ktkt-2022/don-vi/SCT_NAM.xlsx")
    }

    /// A calamine read that never ends is abandoned at the deadline; the
    /// next read gets a new thread.
    #[test]
    fn a_stuck_read_times_out_and_the_next_read_gets_a_new_thread() {
        let soon = || Instant::now() + Duration::from_millis(300);
        let stuck: Job = Box::new(|| {
            std::thread::sleep(Duration::from_secs(30));
            Err(OpenError::NotAWorkbook)
        });
        assert_eq!(
            on_reader_thread(stuck, soon()).err(),
            Some(OpenError::Timeout)
        );
        let bytes = std::fs::read(sample()).unwrap();
        let book = on_reader_thread(Box::new(move || read_xlsx(bytes)), soon()).unwrap();
        assert_eq!(book.sheets.len(), 3);
    }

    /// The fast path opens no part once the deadline has passed.
    #[test]
    fn the_fast_path_stops_at_the_deadline() {
        let bytes = std::fs::read(sample()).unwrap();
        let past = Instant::now();
        assert!(matches!(route(&bytes, Some(past)), Err(OpenError::Timeout)));
        let later = Instant::now() + Duration::from_secs(60);
        assert!(matches!(route(&bytes, Some(later)), Ok(Route::Read(_))));
    }

    /// A panic in a read is reported, and the thread says so only while
    /// reading.
    #[test]
    fn a_panic_while_reading_becomes_a_crash() {
        let result: Result<(), _> = guarded(|| {
            assert!(panic_is_reported());
            panic!("boom\nbacktrace")
        });
        assert_eq!(result, Err(OpenError::Crash("boom".into())));
        assert!(!panic_is_reported());
    }

    /// A FIFO named `.xlsx`, which nobody writes, is refused at once
    /// instead of blocking the read.
    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_reading() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("treo.xlsx");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        assert_eq!(
            open(&fifo).err(),
            Some(OpenError::Io("not a regular file".into()))
        );
        assert_eq!(open(&sample()).unwrap().sheets.len(), 3);
    }
}
