//! The only reader of workbooks. Opens any xlsx/xlsm, xls, ods or xlsb file
//! (by its content, whatever the extension's case), reads every sheet into
//! sparse [`Cell`]s at absolute positions, and reports a file it cannot read
//! as an [`OpenError`] that names what is wrong. XLSX goes through the fast
//! path in [`xlsx`], which returns what calamine returns and declines the
//! rest; calamine reads what it declines and the other formats. It never
//! panics on bad input: the whole read runs under `catch_unwind`, files are
//! size-checked before they are loaded, and XLSX sheets are read cell by
//! cell, so a stray cell at XFD1048576 costs one cell, not a dense grid.
//!
//! It knows nothing of plans or units; [`table`] finds header rows and
//! columns by folded labels for the stages above.

mod open;
pub mod table;
#[doc(hidden)]
pub mod xlsx;

pub use open::{OpenError, open, panic_is_reported, read_bytes};

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Dimensions, Xlsx};

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
        match self {
            Value::Text(t) | Value::DateText(t) | Value::Duration(t) | Value::Error(t) => clean(t),
            // Numbers, dates and booleans are shown without spaces to tidy.
            Value::Empty | Value::Number(_) | Value::Bool(_) | Value::Date(_) => self.display(),
        }
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
    /// In position order, one per position.
    cells: Vec<PlacedCell>,
    /// Merged regions, inclusive; empty for ODS, whose reader does not
    /// report them.
    pub merges: Vec<Dimensions>,
    /// XLSX formulas, read from the file only when first asked for (most
    /// workbooks never need them: only a blank total or score cell does).
    lazy_formulas: Option<LazyFormulas>,
}

/// Where a sheet's formulas can still be read from.
#[derive(Clone)]
enum FormulaSource {
    /// The file as calamine opened it (calamine read its cells).
    Calamine(std::sync::Arc<std::sync::Mutex<Xlsx<Cursor<Vec<u8>>>>>),
    /// The sheet's part, kept by the xlsx fast path.
    Part(xlsx::SheetPart),
}

#[derive(Clone)]
struct LazyFormulas {
    source: FormulaSource,
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

    /// Puts a cell at a position, replacing any there. Cells come in
    /// position order from every reader, and are appended.
    pub fn insert(&mut self, row: u32, col: u32, cell: Cell) {
        let at = (row, col);
        if self.last_position().is_none_or(|last| last < at) {
            self.cells.push((at, cell));
            return;
        }
        match self.index(at) {
            Ok(i) => self.cells[i].1 = cell,
            Err(i) => self.cells.insert(i, (at, cell)),
        }
    }

    /// Sets the formula of each position, adding an empty cell where there
    /// is none (a formula whose value was not saved).
    pub(crate) fn set_formulas(&mut self, formulas: impl Iterator<Item = ((u32, u32), String)>) {
        let mut added = Vec::new();
        for (at, formula) in formulas {
            match self.index(at) {
                Ok(i) => self.cells[i].1.formula = Some(formula),
                Err(_) => added.push((
                    at,
                    Cell {
                        value: Value::Empty,
                        formula: Some(formula),
                        percent: false,
                    },
                )),
            }
        }
        if !added.is_empty() {
            // Sorted once, not shifted in one by one.
            self.cells.append(&mut added);
            self.cells.sort_by_key(|(p, _)| *p);
            self.cells.dedup_by_key(|(p, _)| *p);
        }
    }

    /// Makes room for `cells` more cells: one allocation for a sheet whose
    /// size is known, rather than a doubling series of them.
    pub(crate) fn reserve(&mut self, cells: usize) {
        self.cells.reserve(cells);
    }

    fn index(&self, at: (u32, u32)) -> Result<usize, usize> {
        self.cells.binary_search_by_key(&at, |(p, _)| *p)
    }

    /// The position of the last cell in position order.
    pub fn last_position(&self) -> Option<(u32, u32)> {
        self.cells.last().map(|(p, _)| *p)
    }

    /// The cell at a position, and where it is among the sheet's cells (in
    /// position order).
    pub(crate) fn indexed_cell(&self, row: u32, col: u32) -> Option<(usize, &Cell)> {
        self.index((row, col)).ok().map(|i| (i, &self.cells[i].1))
    }

    pub fn cell(&self, row: u32, col: u32) -> Option<&Cell> {
        self.indexed_cell(row, col).map(|(_, c)| c)
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
        self.shown_cell(row, col, || self.merge_at(row, col))
            .map_or(&EMPTY, |(_, c)| &c.value)
    }

    /// The cell whose value is shown at a position, with its index among
    /// the sheet's cells: its own when it holds a value, else the top-left
    /// cell of the merged region `merge` finds there (a caller that looks
    /// at a few rows finds it among fewer regions).
    pub(crate) fn shown_cell<'m>(
        &self,
        row: u32,
        col: u32,
        merge: impl FnOnce() -> Option<&'m Dimensions>,
    ) -> Option<(usize, &Cell)> {
        shown_cell_by(row, col, |r, c| self.indexed_cell(r, c), merge)
    }

    /// A row's cells and the index of its first among the sheet's cells.
    pub(crate) fn row_cells(&self, row: u32) -> (usize, &[PlacedCell]) {
        let from = self.cells.partition_point(|(p, _)| p.0 < row);
        let len = self.cells[from..].partition_point(|(p, _)| p.0 == row);
        (from, &self.cells[from..from + len])
    }

    /// The cells of rows `first ..= last`, in position order.
    pub(crate) fn rows_cells(&self, first: u32, last: u32) -> &[PlacedCell] {
        let from = self.cells.partition_point(|(p, _)| p.0 < first);
        let len = self.cells[from..].partition_point(|(p, _)| p.0 <= last);
        &self.cells[from..from + len]
    }

    /// The formula of a cell, if it has one: for XLSX read from the file on
    /// first use (one more pass over the sheet), for XLS and ODS at load.
    pub fn formula_at(&self, row: u32, col: u32) -> Option<String> {
        if let Some(f) = self.cell(row, col).and_then(|c| c.formula.clone()) {
            return Some(f);
        }
        self.lazy_formulas()?.get(&(row, col)).cloned()
    }

    /// The formulas read from an XLSX file on first use, when the sheet
    /// has any blank cell.
    fn lazy_formulas(&self) -> Option<&HashMap<(u32, u32), String>> {
        let lazy = self.lazy_formulas.as_ref()?;
        Some(lazy.loaded.get_or_init(|| match &lazy.source {
            FormulaSource::Part(text) => xlsx::formulas_of(text),
            FormulaSource::Calamine(book) => {
                let mut map = HashMap::new();
                let Ok(mut book) = book.lock() else {
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
            }
        }))
    }

    /// Every formula of the sheet, in position order (for the tests that
    /// compare readers).
    #[doc(hidden)]
    pub fn all_formulas(&self) -> Vec<((u32, u32), String)> {
        let mut out: Vec<_> = self
            .cells()
            .filter_map(|(p, c)| Some((p, c.formula.clone()?)))
            .collect();
        if let Some(map) = self.lazy_formulas() {
            out.extend(map.iter().map(|(p, f)| (*p, f.clone())));
        }
        out.sort();
        out.dedup_by(|a, b| a.0 == b.0);
        out
    }

    pub fn merge_at(&self, row: u32, col: u32) -> Option<&Dimensions> {
        self.merges.iter().find(|m| m.contains(row, col))
    }

    /// The last row holding any cell, or `None` for an empty sheet.
    pub fn last_row(&self) -> Option<u32> {
        self.last_position().map(|(r, _)| r)
    }

    /// Cells of one row, left to right.
    pub fn row(&self, row: u32) -> impl Iterator<Item = (u32, &Cell)> {
        self.row_cells(row)
            .1
            .iter()
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

/// A cell and its (row, column), as a sheet keeps them in position order.
pub(crate) type PlacedCell = ((u32, u32), Cell);

/// [`Sheet::shown_cell`] with the cells looked up by `lookup`: a caller
/// that reads a few rows many times finds them among those rows' cells.
pub(crate) fn shown_cell_by<'c, 'm>(
    row: u32,
    col: u32,
    lookup: impl Fn(u32, u32) -> Option<(usize, &'c Cell)>,
    merge: impl FnOnce() -> Option<&'m Dimensions>,
) -> Option<(usize, &'c Cell)> {
    let own = lookup(row, col);
    if own.is_some_and(|(_, c)| !c.value.is_empty()) {
        return own;
    }
    match merge() {
        Some(m) => lookup(m.start.0, m.start.1),
        None => own,
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

    fn number(n: f64) -> Cell {
        Cell {
            value: Value::Number(n),
            formula: None,
            percent: false,
        }
    }

    #[test]
    fn cells_inserted_out_of_order_are_kept_in_order() {
        let mut s = Sheet::new("x");
        s.insert(2, 0, number(1.0));
        s.insert(0, 3, number(2.0));
        s.insert(0, 1, number(3.0));
        s.insert(2, 0, number(4.0));
        s.insert(1, 5, number(5.0));
        let order: Vec<_> = s.cells().map(|(p, c)| (p, c.value.clone())).collect();
        assert_eq!(
            order,
            vec![
                ((0, 1), Value::Number(3.0)),
                ((0, 3), Value::Number(2.0)),
                ((1, 5), Value::Number(5.0)),
                ((2, 0), Value::Number(4.0)),
            ]
        );
        assert_eq!(s.row(0).map(|(c, _)| c).collect::<Vec<_>>(), vec![1, 3]);
        assert_eq!(s.row(3).count(), 0);
        assert_eq!(s.value(1, 5), &Value::Number(5.0));
        assert_eq!(s.value(1, 4), &Value::Empty);
        assert_eq!(s.last_row(), Some(2));
        s.set_formulas([((1, 5), "=A1".to_string()), ((0, 2), "=B1".to_string())].into_iter());
        assert_eq!(s.formula_at(1, 5).as_deref(), Some("=A1"));
        assert_eq!(s.formula_at(0, 2).as_deref(), Some("=B1"));
        assert_eq!(s.value(0, 2), &Value::Empty);
        let positions: Vec<_> = s.cells().map(|(p, _)| p).collect();
        assert_eq!(positions, vec![(0, 1), (0, 2), (0, 3), (1, 5), (2, 0)]);
    }

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
