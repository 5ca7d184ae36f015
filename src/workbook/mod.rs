//! The only user of calamine. Opens any xlsx/xlsm, xls or ods file (by its
//! content, whatever the extension's case), reads every sheet into sparse
//! [`Cell`]s at absolute positions, and reports a file it cannot read as an
//! [`OpenError`] that names what is wrong. It never panics on bad input: the
//! whole read runs under `catch_unwind`, files are size-checked before they
//! are loaded, and XLSX sheets are streamed cell by cell, so a stray cell at
//! XFD1048576 costs one cell, not a dense grid.
//!
//! It knows nothing of plans or units; [`table`] finds header rows and
//! columns by folded labels for the stages above.

pub mod table;

use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use calamine::{Data, Dimensions, Ods, Reader, Xls, Xlsx, open_workbook_from_rs};

use crate::finding::{Code, Finding};
use crate::text::number::{NumberText, date_from_serial, format_date, format_vi, parse_number};
use crate::text::{clean, label_key};

/// Files above this size are refused before reading (64 MiB; a bloc's
/// workbook is a few hundred KiB).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Sheets with more non-empty cells than this are refused.
pub const MAX_SHEET_CELLS: usize = 2_000_000;
/// A zip container (xlsx, ods, xlsb) whose entries would expand beyond this
/// is refused before anything is inflated: a zip bomb never reaches memory.
pub const MAX_EXPANDED_BYTES: u64 = 256 * 1024 * 1024;
/// Zip containers with more entries than this are refused.
pub const MAX_ZIP_ENTRIES: usize = 10_000;
/// Workbooks with more sheets than this are refused.
pub const MAX_SHEETS: usize = 1_000;
/// Reading one file may take at most this long; then the batch goes on.
pub const READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// A cell's value, every calamine variant mapped explicitly.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    Number(f64),
    Text(String),
    Bool(bool),
    /// A number in a date-formatted cell: the Excel serial.
    Date(f64),
    /// An ISO date or time (ODS cells).
    DateText(String),
    /// An ISO duration (ODS cells).
    Duration(String),
    /// A formula error such as `#REF!`.
    Error(String),
}

impl Value {
    pub fn is_empty(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The value as a person would see it in the cell, for messages.
    pub fn display(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Number(n) => format_vi(*n),
            Value::Text(t) => t.clone(),
            Value::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Value::Date(serial) => date_from_serial(*serial)
                .map(format_date)
                .unwrap_or_else(|| format_vi(*serial)),
            Value::DateText(t) | Value::Duration(t) | Value::Error(t) => t.clone(),
        }
    }

    /// Text content, trimmed and NFC-normalised; numbers as displayed.
    pub fn text(&self) -> String {
        clean(&self.display())
    }

    /// Reads the value as a date: an Excel date or serial, `dd/mm/yyyy`
    /// text, or an ISO date. `None` for empty cells and anything else.
    pub fn as_date(&self) -> Option<chrono::NaiveDate> {
        match self {
            Value::Date(serial) | Value::Number(serial) => date_from_serial(*serial),
            Value::Text(t) | Value::DateText(t) => crate::text::number::parse_date_text(t),
            _ => None,
        }
    }

    /// Reads the value as a number, saying how it was written.
    pub fn as_number(&self) -> NumberCell {
        match self {
            Value::Empty => NumberCell::Empty,
            Value::Number(n) => NumberCell::Number(*n),
            Value::Bool(_) | Value::Duration(_) | Value::Error(_) | Value::DateText(_) => {
                NumberCell::Other
            }
            Value::Date(serial) => NumberCell::Date(*serial),
            Value::Text(t) => match parse_number(t) {
                Some(n) => NumberCell::Text(n),
                None => NumberCell::Other,
            },
        }
    }
}

/// A cell read as a number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NumberCell {
    Empty,
    /// A numeric cell.
    Number(f64),
    /// A number typed as text (`9,5`, `96%`), possibly ambiguous.
    Text(NumberText),
    /// A number shown as a date: Excel turned `1,10` into 01/10.
    Date(f64),
    /// Anything else.
    Other,
}

/// One cell: its value (the cached value for a formula), the formula text
/// if any, and whether its number format shows a percentage.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub value: Value,
    pub formula: Option<String>,
    pub percent: bool,
}

/// A sheet's cells at absolute zero-based (row, column) positions.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    cells: BTreeMap<(u32, u32), Cell>,
    /// Merged regions, inclusive; empty for ODS, whose reader does not
    /// report them.
    pub merges: Vec<Dimensions>,
    /// XLSX formulas, read from the file only when first asked for (most
    /// workbooks never need them: only a blank total or score cell does).
    lazy_formulas: Option<LazyFormulas>,
}

type XlsxSource = std::sync::Arc<std::sync::Mutex<Xlsx<Cursor<Vec<u8>>>>>;

/// The open file a sheet's formulas can still be read from.
#[derive(Clone)]
struct LazyFormulas {
    source: XlsxSource,
    loaded: std::sync::OnceLock<HashMap<(u32, u32), String>>,
}

impl std::fmt::Debug for LazyFormulas {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LazyFormulas")
    }
}

static EMPTY: Value = Value::Empty;

impl Sheet {
    pub fn new(name: impl Into<String>) -> Self {
        Sheet {
            name: name.into(),
            ..Sheet::default()
        }
    }

    pub fn insert(&mut self, row: u32, col: u32, cell: Cell) {
        self.cells.insert((row, col), cell);
    }

    pub fn cell(&self, row: u32, col: u32) -> Option<&Cell> {
        self.cells.get(&(row, col))
    }

    pub fn value(&self, row: u32, col: u32) -> &Value {
        self.cell(row, col).map_or(&EMPTY, |c| &c.value)
    }

    pub fn text(&self, row: u32, col: u32) -> String {
        self.value(row, col).text()
    }

    /// The value shown at a position, looking through merged regions to
    /// their top-left cell.
    pub fn merged_value(&self, row: u32, col: u32) -> &Value {
        let own = self.value(row, col);
        if !own.is_empty() {
            return own;
        }
        match self.merge_at(row, col) {
            Some(m) => self.value(m.start.0, m.start.1),
            None => own,
        }
    }

    /// The formula of a cell, if it has one: for XLSX read from the file on
    /// first use (one more pass over the sheet), for XLS and ODS at load.
    pub fn formula_at(&self, row: u32, col: u32) -> Option<String> {
        if let Some(f) = self.cell(row, col).and_then(|c| c.formula.clone()) {
            return Some(f);
        }
        let lazy = self.lazy_formulas.as_ref()?;
        let map = lazy.loaded.get_or_init(|| {
            let mut map = HashMap::new();
            let Ok(mut book) = lazy.source.lock() else {
                return map;
            };
            if let Ok(mut reader) = book.worksheet_cells_reader(&self.name) {
                while let Ok(Some(record)) = reader.next_cell_with_formula() {
                    if let Some(f) = record.formula.filter(|f| !f.is_empty()) {
                        map.insert(record.pos, f);
                    }
                }
            }
            map
        });
        map.get(&(row, col)).cloned()
    }

    pub fn merge_at(&self, row: u32, col: u32) -> Option<&Dimensions> {
        self.merges.iter().find(|m| m.contains(row, col))
    }

    /// The last row holding any cell, or `None` for an empty sheet.
    pub fn last_row(&self) -> Option<u32> {
        self.cells.keys().next_back().map(|(r, _)| *r)
    }

    /// Cells of one row, left to right.
    pub fn row(&self, row: u32) -> impl Iterator<Item = (u32, &Cell)> {
        self.cells
            .range((row, 0)..=(row, u32::MAX))
            .map(|((_, c), cell)| (*c, cell))
    }

    /// Every cell in position order.
    pub fn cells(&self) -> impl Iterator<Item = ((u32, u32), &Cell)> {
        self.cells.iter().map(|(p, c)| (*p, c))
    }

    pub fn len(&self) -> usize {
        self.cells.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }
}

/// The container format, detected from the file's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Xls,
    Ods,
    Xlsb,
}

/// A whole workbook, read.
#[derive(Debug, Clone)]
pub struct Book {
    pub format: Format,
    pub sheets: Vec<Sheet>,
    /// Custom document properties (XLSX), e.g. the template's plan code.
    pub properties: HashMap<String, String>,
    /// The program that last saved the file, when it says.
    pub application: Option<String>,
}

impl Book {
    /// Finds a sheet by any of its names, compared folded (case, diacritics,
    /// `đ`, spaces): `Tự chấm điểm`, `TU CHAM DIEM` and ` tu cham diem` match.
    pub fn sheet(&self, names: &[&str]) -> Option<&Sheet> {
        let keys: Vec<String> = names.iter().map(|n| label_key(n)).collect();
        self.sheets
            .iter()
            .find(|s| keys.contains(&label_key(&s.name)))
    }
}

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

/// The name of the threads that read workbooks (see [`panic_is_reported`]).
const READER_THREAD: &str = "thidua-read";

/// True on a thread reading a workbook: a panic there (a calamine bug on a
/// damaged file) becomes a `reader-crash` finding and need not be printed.
pub fn panic_is_reported() -> bool {
    std::thread::current().name() == Some(READER_THREAD)
}

/// Opens and reads a workbook file, within [`READ_TIMEOUT`]: a file that
/// takes longer is reported and the batch goes on (the reading thread is
/// left to finish on its own).
pub fn open(path: &Path) -> Result<Book, OpenError> {
    let (tx, rx) = std::sync::mpsc::channel();
    let owned = path.to_path_buf();
    std::thread::Builder::new()
        .name(READER_THREAD.into())
        .spawn(move || {
            // The receiver may be gone after a timeout; nothing to do then.
            let _ = tx.send(open_now(&owned));
        })
        .map_err(|e| OpenError::Io(e.to_string()))?;
    rx.recv_timeout(READ_TIMEOUT)
        .unwrap_or(Err(OpenError::Timeout))
}

fn open_now(path: &Path) -> Result<Book, OpenError> {
    let meta = std::fs::metadata(path).map_err(|e| OpenError::Io(e.to_string()))?;
    if meta.is_dir() {
        return Err(OpenError::Io("is a directory".into()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(OpenError::TooLarge { bytes: meta.len() });
    }
    let bytes = std::fs::read(path).map_err(|e| OpenError::Io(e.to_string()))?;
    read_bytes(bytes)
}

/// Reads a workbook held in memory.
pub fn read_bytes(bytes: Vec<u8>) -> Result<Book, OpenError> {
    // calamine has panicked on malformed files in the past; one such file
    // must not stop a batch.
    let result = catch_unwind(AssertUnwindSafe(|| read_detected(bytes)));
    match result {
        Ok(r) => r,
        Err(payload) => {
            let why = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".to_string());
            // The first line says what failed; the rest is debugging detail.
            let why = why.lines().next().unwrap_or("panic").to_string();
            Err(OpenError::Crash(why))
        }
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn read_detected(bytes: Vec<u8>) -> Result<Book, OpenError> {
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
        return read_xls(bytes);
    }
    if bytes.starts_with(ZIP_MAGIC) {
        if scan_zip(&bytes)? {
            return read_xlsb(bytes);
        }
        let is_ods = bytes.len() > 80
            && bytes[..200.min(bytes.len())]
                .windows(8)
                .any(|w| w == b"mimetype")
            && bytes
                .windows(46)
                .take(400)
                .any(|w| w == b"application/vnd.oasis.opendocument.spreadsheet");
        return if is_ods {
            read_ods(bytes)
        } else {
            read_xlsx(bytes)
        };
    }
    Err(match other_format(&bytes) {
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
/// (a Word document and a zip of files are zips too). True when it holds
/// an XLSB workbook.
fn scan_zip(bytes: &[u8]) -> Result<bool, OpenError> {
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
    Ok(xlsb)
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

fn read_xlsx(bytes: Vec<u8>) -> Result<Book, OpenError> {
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
    let props = book.workbook_properties().ok();
    let source: XlsxSource = std::sync::Arc::new(std::sync::Mutex::new(book));
    for i in blank_sheets {
        sheets[i].lazy_formulas = Some(LazyFormulas {
            source: source.clone(),
            loaded: std::sync::OnceLock::new(),
        });
    }
    Ok(book_from(Format::Xlsx, sheets, props))
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
        properties: props
            .as_ref()
            .map(|p| p.custom_properties.clone())
            .unwrap_or_default(),
        application: props.and_then(|p| p.application),
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
        for (r, c, text) in formulas.used_cells() {
            if text.is_empty() {
                continue;
            }
            let (row, col) = (ftop + r as u32, fleft + c as u32);
            let entry = sheet.cells.entry((row, col)).or_insert(Cell {
                value: Value::Empty,
                formula: None,
                percent: false,
            });
            entry.formula = Some(text.clone());
        }
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

/// Key/value rows of an information sheet (`Thông tin`): the first non-empty
/// cell of a row is the key, the next non-empty cell to its right the value.
pub struct KeyValue<'s> {
    /// The key, folded.
    pub key: String,
    pub row: u32,
    /// Column of the value, or of the cell right of the key when empty.
    pub col: u32,
    pub value: &'s Value,
}

pub fn key_values(sheet: &Sheet) -> Vec<KeyValue<'_>> {
    let mut out = Vec::new();
    let Some(last) = sheet.last_row() else {
        return out;
    };
    let first_row = sheet.cells().next().map_or(0, |((r, _), _)| r);
    for row in first_row..=last {
        let mut cells = sheet.row(row).filter(|(_, c)| !c.value.is_empty());
        let Some((key_col, key_cell)) = cells.next() else {
            continue;
        };
        let key = label_key(&key_cell.value.text());
        match cells.next() {
            Some((col, cell)) => out.push(KeyValue {
                key,
                row,
                col,
                value: &cell.value,
            }),
            None => out.push(KeyValue {
                key,
                row,
                col: key_col + 1,
                value: &EMPTY,
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_non_workbooks_without_panicking() {
        assert_eq!(
            read_bytes(b"hello, world".to_vec()).unwrap_err(),
            OpenError::NotAWorkbook
        );
        assert_eq!(read_bytes(Vec::new()).unwrap_err(), OpenError::NotAWorkbook);
        assert!(matches!(
            read_bytes(b"PK\x03\x04truncated".to_vec()).unwrap_err(),
            OpenError::Corrupt(_)
        ));
    }

    #[test]
    fn merged_value_looks_through_to_top_left() {
        let mut sheet = Sheet::new("x");
        sheet.insert(
            0,
            0,
            Cell {
                value: Value::Text("Điểm".into()),
                formula: None,
                percent: false,
            },
        );
        sheet.merges.push(Dimensions::new((0, 0), (0, 2)));
        assert_eq!(sheet.merged_value(0, 2), &Value::Text("Điểm".into()));
        assert_eq!(sheet.merged_value(1, 2), &Value::Empty);
    }
}

#[cfg(test)]
mod far_cell_tests {
    use super::*;

    /// A stray cell at XFD1048576 is one cell, not a dense grid, and its A1
    /// position is exact.
    #[test]
    fn stray_far_cell_costs_one_cell() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(2, 1, "Mã").unwrap();
        ws.write_number(1_048_575, 16_383, 7.0).unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let book = read_bytes(bytes).unwrap();
        let sheet = &book.sheets[0];
        assert_eq!(sheet.len(), 2);
        assert_eq!(sheet.text(2, 1), "Mã");
        let far = sheet.cells().last().unwrap().0;
        assert_eq!(crate::finding::a1(far.0, far.1), "XFD1048576");
    }
}
