//! Finds a table in a sheet: the header row (within 20 rows of where the
//! search starts) by its labels and their aliases, compared as folded label
//! keys, columns in any order, extra columns ignored. Headers of one to three
//! rows are read: a group heading merged over several columns (`Điểm` over
//! `Tối đa` | `Tự chấm`, `Kết quả` over `Năm trước` | `Năm nay`) is joined
//! in front of each column's own label, and a label merged down over the
//! header rows (`TT`, `Tiêu chí`) is read in the lowest one.

use std::cell::OnceCell;

use calamine::Dimensions;

use super::{Cell, PlacedCell, Sheet, Value, shown_cell_by};
use crate::text::label_key_within;

/// How many rows below the search start a header may sit.
pub const HEADER_SEARCH_ROWS: u32 = 20;

/// One column a table should have.
#[derive(Debug, Clone, Copy)]
pub struct ColumnSpec {
    /// The label as the tool writes it (used in messages and to pick the
    /// column with [`Table::col_named`]).
    pub label: &'static str,
    /// Accepted label keys (folded, punctuation as spaces).
    pub aliases: &'static [&'static str],
    pub required: bool,
}

/// How header labels are compared with the aliases.
#[derive(Clone, Copy)]
pub struct Search<'a> {
    /// Also accept a label that starts with an alias (`Điểm tự chấm (điểm)`);
    /// the longest alias wins. Off: labels must equal an alias.
    pub prefix: bool,
    /// Rewrites a composed label key before it is compared (e.g. a year
    /// into `nam nay`).
    pub rewrite: Option<&'a dyn Fn(String) -> String>,
}

impl Search<'_> {
    pub const EXACT: Search<'static> = Search {
        prefix: false,
        rewrite: None,
    };
}

/// A header row found, with the column of each spec (parallel to the spec
/// slice), and the labels that could not be found.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub header_row: u32,
    pub columns: Vec<Option<u32>>,
    pub missing: Vec<&'static str>,
    /// How many of the spec's columns were found.
    pub matched: usize,
    labels: Vec<&'static str>,
}

impl Table {
    pub fn col(&self, index: usize) -> Option<u32> {
        self.columns.get(index).copied().flatten()
    }

    /// The column of the spec entry with this label.
    pub fn col_named(&self, label: &str) -> Option<u32> {
        self.labels
            .iter()
            .position(|l| *l == label)
            .and_then(|i| self.col(i))
    }
}

/// What a header cell holds: no text, text whose key is longer than any
/// label compared whole can be, or its label key.
#[derive(Clone)]
enum Label {
    None,
    TooLong,
    Key(String),
}

/// A header cell's labels in the order they are made: its own key, lent
/// by the search's folding, then the headings above joined in front of it
/// (most cells have none, and so cost no allocation).
#[derive(Default)]
struct Labels<'c> {
    own: Option<&'c str>,
    joined: Vec<String>,
}

impl Labels<'_> {
    fn iter(&self) -> impl Iterator<Item = &str> {
        self.own
            .into_iter()
            .chain(self.joined.iter().map(String::as_str))
    }

    fn is_empty(&self) -> bool {
        self.own.is_none() && self.joined.is_empty()
    }

    /// Adds the parts joined by spaces, a part equal to the one before it
    /// written once, unless the cell has that label already.
    fn join(&mut self, parts: &[&str]) {
        let mut joined = String::new();
        let mut last = None;
        for p in parts.iter().copied() {
            if last != Some(p) {
                if last.is_some() {
                    joined.push(' ');
                }
                joined.push_str(p);
                last = Some(p);
            }
        }
        if self.own != Some(joined.as_str()) && !self.joined.contains(&joined) {
            self.joined.push(joined);
        }
    }
}

/// The label keys of a search, each folded once and kept by the cell that
/// holds its text (its index in the sheet): a cell is read as its own
/// label and as the heading of the two rows below, and a title merged over
/// the columns is one cell met in every column.
struct Folding {
    /// How far a key is folded: labels compared whole with aliases need
    /// go no further than the longest alias.
    limit: usize,
    /// The index of the first cell with a slot: slots are kept only for the
    /// cells the search can read, not for the whole sheet.
    first: usize,
    keys: Vec<OnceCell<Label>>,
}

impl Folding {
    /// Slots for the cells of rows `from_row - 2 ..= end` (the rows searched
    /// and the two above the first) and of the merged regions over them,
    /// whose top-left cell may be higher.
    fn new(sheet: &Sheet, from_row: u32, end: u32, limit: usize) -> Folding {
        let top = sheet
            .merges
            .iter()
            .filter(|m| m.start.0 <= end && from_row.saturating_sub(2) <= m.end.0)
            .map(|m| m.start.0)
            .fold(from_row.saturating_sub(2), u32::min);
        let first = sheet.row_cells(top).0;
        let (last_row, cells) = sheet.row_cells(end);
        let past = last_row + cells.len();
        Folding {
            limit,
            first,
            keys: (first..past.max(first)).map(|_| OnceCell::new()).collect(),
        }
    }

    /// The slot of the cell at `index` among the sheet's cells.
    fn slot(&self, index: usize) -> Option<&OnceCell<Label>> {
        self.keys.get(index.checked_sub(self.first)?)
    }
}

/// One header row's surroundings: the row and the two above it, with the
/// merged regions that touch them (in the sheet's order, so that the same
/// region is found first), and how labels are folded.
struct Window<'s, 'c> {
    sheet: &'s Sheet,
    /// The window's rows, top first: each row's number, the index of its
    /// first cell among the sheet's, and its cells.
    rows: Vec<(u32, usize, &'s [PlacedCell])>,
    merges: Vec<&'s Dimensions>,
    folding: &'c Folding,
}

impl<'s, 'c> Window<'s, 'c> {
    fn new(sheet: &'s Sheet, row: u32, folding: &'c Folding) -> Window<'s, 'c> {
        let merges = sheet
            .merges
            .iter()
            .filter(|m| m.start.0 <= row && row.saturating_sub(2) <= m.end.0)
            .collect();
        let rows = (row.saturating_sub(2)..=row)
            .map(|r| {
                let (from, cells) = sheet.row_cells(r);
                (r, from, cells)
            })
            .collect();
        Window {
            sheet,
            rows,
            merges,
            folding,
        }
    }

    fn merge_at(&self, row: u32, col: u32) -> Option<&'s Dimensions> {
        self.merges.iter().copied().find(|m| m.contains(row, col))
    }

    /// The cell at a position and its index among the sheet's cells, found
    /// among its row's cells when the row is the window's (a binary search
    /// still: a row may be 16 384 cells wide).
    fn cell(&self, row: u32, col: u32) -> Option<(usize, &'s Cell)> {
        match self.rows.iter().find(|(r, _, _)| *r == row) {
            Some(&(_, from, cells)) => cells
                .binary_search_by_key(&col, |((_, c), _)| *c)
                .ok()
                .map(|i| (from + i, &cells[i].1)),
            None => self.sheet.indexed_cell(row, col),
        }
    }

    /// The text of a header cell, looking through merges; numbers are
    /// never labels. A bounded key longer than its limit is not folded to
    /// its end.
    fn label_text(&self, row: u32, col: u32) -> &'c Label {
        static NONE: Label = Label::None;
        let shown = shown_cell_by(row, col, |r, c| self.cell(r, c), || self.merge_at(row, col));
        let Some((
            index,
            Cell {
                value: Value::Text(t),
                ..
            },
        )) = shown
        else {
            return &NONE;
        };
        // Every cell a window reads has a slot (see `Folding::new`).
        let Some(slot) = self.folding.slot(index) else {
            debug_assert!(false, "cell {index} read outside the search's rows");
            return &NONE;
        };
        slot.get_or_init(|| match label_key_within(t, self.folding.limit) {
            None => Label::TooLong,
            Some(k) if k.is_empty() => Label::None,
            Some(k) => Label::Key(k),
        })
    }

    /// The heading above a header cell that applies to it: a group heading
    /// merged across several columns, or any text above an empty cell (a
    /// sheet whose merges are not known, such as ODS). A heading too long
    /// to match is none: every label joined with it would be longer still.
    fn heading_above(&self, row: u32, col: u32, own_empty: bool) -> Option<&'c str> {
        let above = row.checked_sub(1)?;
        let group = self
            .merge_at(above, col)
            .is_some_and(|m| m.start.1 != m.end.1);
        if !(group || own_empty) {
            return None;
        }
        match self.label_text(above, col) {
            Label::Key(k) => Some(k),
            Label::None | Label::TooLong => None,
        }
    }

    /// The label keys of a header cell: its own, and the headings above it
    /// (up to two rows) joined in front. None when its own text is too long
    /// to match: every label of the cell holds it.
    fn labels_at(&self, row: u32, col: u32) -> Labels<'c> {
        let own = match self.label_text(row, col) {
            Label::TooLong => return Labels::default(),
            Label::None => None,
            Label::Key(k) => Some(k.as_str()),
        };
        let mut labels = Labels {
            own,
            joined: Vec::new(),
        };
        let Some(one) = self.heading_above(row, col, own.is_none()) else {
            return labels;
        };
        match own {
            Some(own) if own != one => labels.join(&[one, own]),
            Some(_) => {}
            None => labels.join(&[one]),
        }
        if row >= 1
            && let Some(two) = self.heading_above(row - 1, col, false)
            && two != one
        {
            match own {
                Some(own) if own != one => labels.join(&[two, one, own]),
                _ => labels.join(&[two, one]),
            }
        }
        labels
    }

    /// Columns worth looking at in the row: those with a cell in it or the
    /// rows above, and those a merged region covers there.
    fn candidate_columns(&self) -> Vec<u32> {
        let mut cols: Vec<u32> = self
            .rows
            .iter()
            .flat_map(|(_, _, cells)| cells.iter().map(|((_, c), _)| *c))
            .collect();
        for m in &self.merges {
            cols.extend(m.start.1..=m.end.1.min(m.start.1 + 200));
        }
        cols.sort_unstable();
        cols.dedup();
        cols
    }
}

/// A spec's aliases, grouped by length for looking a label up, and how
/// long a label may be and still match one.
struct Aliases {
    /// (alias, spec index), by length, then in alias order, then spec order.
    sorted: Vec<(&'static str, usize)>,
    /// Where the aliases of each length are in `sorted` (a handful each).
    by_length: Vec<std::ops::Range<usize>>,
    longest: usize,
}

impl Aliases {
    fn new(spec: &[ColumnSpec]) -> Aliases {
        let mut sorted: Vec<(&'static str, usize)> = spec
            .iter()
            .enumerate()
            .flat_map(|(i, s)| s.aliases.iter().map(move |a| (*a, i)))
            .filter(|(a, _)| !a.is_empty())
            .collect();
        sorted.sort_unstable_by_key(|&(a, i)| (a.len(), a, i));
        let longest = sorted.iter().map(|(a, _)| a.len()).max().unwrap_or(0);
        let by_length = (0..=longest)
            .map(|n| {
                let from = sorted.partition_point(|(a, _)| a.len() < n);
                from..sorted.partition_point(|(a, _)| a.len() <= n)
            })
            .collect();
        Aliases {
            sorted,
            by_length,
            longest,
        }
    }

    /// The first spec entry not yet taken that has `key` for an alias.
    fn untaken(&self, key: &str, taken: &[Option<u32>]) -> Option<usize> {
        let same_length = &self.sorted[self.by_length.get(key.len())?.clone()];
        // The first byte decides most comparisons without a call.
        let first = *key.as_bytes().first()?;
        same_length
            .iter()
            .filter(|(a, _)| a.as_bytes()[0] == first && *a == key)
            .map(|(_, i)| *i)
            .find(|i| taken[*i].is_none())
    }
}

/// The spec entry a header cell's labels name best, among those not yet
/// taken: an alias equal to a label (longer is better), or, when `search`
/// allows it, one a label starts with as a whole word (an equal one of the
/// same length is better). Of equally good ones, the earliest label, then
/// spec entry, wins.
fn best_spec<'l>(
    labels: impl IntoIterator<Item = &'l str>,
    aliases: &Aliases,
    taken: &[Option<u32>],
    search: &Search,
) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for label in labels {
        // Only labels with a digit (a year) can be rewritten.
        let rewritten;
        let label: &str = match search.rewrite {
            Some(f) if label.bytes().any(|b| b.is_ascii_digit()) => {
                rewritten = f(label.to_string());
                &rewritten
            }
            _ => label,
        };
        // Within one label each candidate's quality differs (its length),
        // so only a better one replaces the best of an earlier label.
        let mut consider = |key: &str, quality: usize| {
            if best.is_none_or(|(q, _)| quality > q)
                && let Some(i) = aliases.untaken(key, taken)
            {
                best = Some((quality, i));
            }
        };
        consider(label, 2 * label.len() + 1);
        if search.prefix {
            let window = &label.as_bytes()[..label.len().min(aliases.longest + 1)];
            for (end, _) in window.iter().enumerate().filter(|(_, b)| **b == b' ') {
                consider(&label[..end], 2 * end);
            }
        }
    }
    best.map(|(_, i)| i)
}

/// Finds the header row of `spec` within [`HEADER_SEARCH_ROWS`] rows of
/// `from_row`. Returns `None` when no row carries at least two of the labels
/// (or one, for a one-column spec).
pub fn find(sheet: &Sheet, spec: &[ColumnSpec], from_row: u32) -> Option<Table> {
    search(sheet, spec, from_row, HEADER_SEARCH_ROWS, &Search::EXACT)
}

/// The general search: `rows` rows below `from_row`, labels compared as
/// `how` says. Of several header rows the one naming most columns wins; on
/// equal counts, the lowest (the last row of a multi-row header).
pub fn search(
    sheet: &Sheet,
    spec: &[ColumnSpec],
    from_row: u32,
    rows: u32,
    how: &Search,
) -> Option<Table> {
    search_reading(sheet, spec, from_row, rows, how).0
}

/// The rows a search read, and how it stopped.
#[derive(Debug, Clone, Copy)]
struct Extent {
    /// Two rows above the first searched (a header's headings).
    top: u32,
    /// The last row searched.
    stop: u32,
    /// The last row it could have searched.
    end: u32,
    /// Whether it stopped before `end`, having found a whole header.
    stopped_early: bool,
}

/// [`search`], with the rows it read (none when it read no row).
fn search_reading(
    sheet: &Sheet,
    spec: &[ColumnSpec],
    from_row: u32,
    rows: u32,
    how: &Search,
) -> (Option<Table>, Option<Extent>) {
    let Some(last) = sheet.last_row() else {
        return (None, None);
    };
    let end = from_row.saturating_add(rows).min(last);
    if from_row > end {
        return (None, None);
    }
    let mut best: Option<Table> = None;
    let mut extent = Extent {
        top: from_row.saturating_sub(2),
        stop: from_row,
        end,
        stopped_early: false,
    };
    let has_required = spec.iter().any(|s| s.required);
    let aliases = Aliases::new(spec);
    // Labels compared whole and as written need not be folded past the
    // longest alias.
    let limit = if how.prefix || how.rewrite.is_some() {
        usize::MAX
    } else {
        aliases.longest
    };
    let folding = Folding::new(sheet, from_row, end, limit);
    for row in from_row..=end {
        // A header with every required column was found: only the two rows
        // below it may still be part of it (a multi-row header); the rest is
        // data. (A spec without required columns searches on.)
        if has_required
            && best
                .as_ref()
                .is_some_and(|b| b.missing.is_empty() && row > b.header_row + 2)
        {
            extent.stopped_early = true;
            break;
        }
        extent.stop = row;
        let mut columns = vec![None; spec.len()];
        let mut matched = 0;
        let window = Window::new(sheet, row, &folding);
        for col in window.candidate_columns() {
            let labels = window.labels_at(row, col);
            if labels.is_empty() {
                continue;
            }
            if let Some(i) = best_spec(labels.iter(), &aliases, &columns, how) {
                columns[i] = Some(col);
                matched += 1;
            }
        }
        let needed = if spec.len() == 1 { 1 } else { 2 };
        if matched < needed {
            continue;
        }
        let better = best.as_ref().is_none_or(|b| {
            matched > b.matched || (matched == b.matched && row == b.header_row + 1)
        });
        if better {
            let missing = spec
                .iter()
                .zip(&columns)
                .filter(|(s, c)| s.required && c.is_none())
                .map(|(s, _)| s.label)
                .collect();
            best = Some(Table {
                header_row: row,
                columns,
                missing,
                matched,
                labels: spec.iter().map(|s| s.label).collect(),
            });
        }
    }
    (best, Some(extent))
}

/// What a search can tell apart in a cell: text as written; any other
/// value only as blank or not (numbers are never labels, and a blank cell
/// shows the merged region over it).
#[derive(Debug, Clone, PartialEq)]
enum Seen {
    Text(String),
    Blank,
    Other,
}

impl Seen {
    fn of(cell: &Cell) -> Seen {
        match &cell.value {
            Value::Text(t) => Seen::Text(t.clone()),
            v if v.is_empty() => Seen::Blank,
            _ => Seen::Other,
        }
    }

    fn is(&self, cell: &Cell) -> bool {
        match (self, &cell.value) {
            (Seen::Text(a), Value::Text(b)) => a == b,
            (Seen::Text(_), _) | (_, Value::Text(_)) => false,
            (Seen::Blank, v) => v.is_empty(),
            (Seen::Other, v) => !v.is_empty(),
        }
    }
}

/// One search and everything it read: the cells of its rows and the
/// merged regions over them with their top-left cells, which may be
/// higher.
struct Remembered {
    spec: (usize, usize),
    /// The search's `prefix`, and whether it rewrote labels.
    how: (bool, bool),
    from_row: u32,
    rows: u32,
    extent: Extent,
    cells: Vec<((u32, u32), Seen)>,
    merges: Vec<(Dimensions, Option<Seen>)>,
    table: Option<Table>,
}

/// The merged regions over rows `top ..= stop`, in the sheet's order (the
/// search takes the first that holds a cell).
fn merges_over(sheet: &Sheet, top: u32, stop: u32) -> impl Iterator<Item = &Dimensions> {
    sheet
        .merges
        .iter()
        .filter(move |m| m.start.0 <= stop && top <= m.end.0)
}

/// A spec's identity: the specs are constants, each slice in one place.
fn spec_id(spec: &[ColumnSpec]) -> (usize, usize) {
    (spec.as_ptr() as usize, spec.len())
}

/// What a memory can tell of a way of comparing labels: whether it takes
/// prefixes and whether it rewrites (which rewrite is its owner's to keep
/// apart).
fn how_id(how: &Search) -> (bool, bool) {
    (how.prefix, how.rewrite.is_some())
}

impl Remembered {
    /// A search's copy of what it read; none when it read more than a
    /// memory keeps (a header searched for down a sheet of thousands of
    /// rows: the copy would cost more than searching again, and a thread
    /// would hold it).
    fn new(
        sheet: &Sheet,
        spec: &[ColumnSpec],
        (from_row, rows, how): (u32, u32, &Search),
        extent: Extent,
        table: Option<Table>,
    ) -> Option<Remembered> {
        let (top, stop) = (extent.top, extent.stop);
        let cells = sheet.rows_cells(top, stop);
        if cells.len() > REMEMBERED_CELLS {
            return None;
        }
        Some(Remembered {
            spec: spec_id(spec),
            how: how_id(how),
            from_row,
            rows,
            extent,
            cells: cells
                .iter()
                .map(|(at, cell)| (*at, Seen::of(cell)))
                .collect(),
            merges: merges_over(sheet, top, stop)
                .map(|m| (*m, sheet.cell(m.start.0, m.start.1).map(Seen::of)))
                .collect(),
            table,
        })
    }

    /// Whether the same search of `sheet` would read what this one read,
    /// and so find what it found.
    fn answers(
        &self,
        sheet: &Sheet,
        spec: &[ColumnSpec],
        (from_row, rows, how): (u32, u32, &Search),
    ) -> bool {
        let Extent {
            top,
            stop,
            end,
            stopped_early,
        } = self.extent;
        let Some(last) = sheet.last_row() else {
            return false;
        };
        let new_end = from_row.saturating_add(rows).min(last);
        // Stopped early, it searches the same rows as long as the sheet
        // reaches them; having searched to its end, the end must be the
        // same.
        let same_rows = if stopped_early {
            new_end >= stop
        } else {
            new_end == end
        };
        let cells = sheet.rows_cells(top, stop);
        same_rows
            && self.spec == spec_id(spec)
            && self.how == how_id(how)
            && self.from_row == from_row
            && self.rows == rows
            && cells.len() == self.cells.len()
            && cells
                .iter()
                .zip(&self.cells)
                .all(|((at, cell), (was_at, seen))| at == was_at && seen.is(cell))
            && merges_over(sheet, top, stop).count() == self.merges.len()
            && merges_over(sheet, top, stop)
                .zip(&self.merges)
                .all(|(m, (was, seen))| {
                    m == was
                        && match (sheet.cell(m.start.0, m.start.1), seen) {
                            (Some(cell), Some(seen)) => seen.is(cell),
                            (None, None) => true,
                            _ => false,
                        }
                })
    }
}

/// How many searches a [`Memory`] keeps: a workbook's sheets are searched
/// one after another.
const REMEMBERED: usize = 4;

/// The most cells a search kept in a [`Memory`] may have read: a
/// template's score table is a few hundred.
const REMEMBERED_CELLS: usize = 4096;

/// The last searches of one kind, each with what it read, to answer the
/// same search of a sheet that reads the same without searching again.
/// The units of a bloc fill in one template: their header rows are the
/// same cells, only the values below differ, and a search does not read
/// numbers. A memory serves one way of comparing labels (`Search`): its
/// owner keeps one per rewrite.
#[derive(Default)]
pub struct Memory {
    /// Most recently used first.
    remembered: Vec<Remembered>,
}

impl Memory {
    /// [`search`], answered from memory when an earlier search read the
    /// same.
    pub fn search(
        &mut self,
        sheet: &Sheet,
        spec: &[ColumnSpec],
        from_row: u32,
        rows: u32,
        how: &Search,
    ) -> Option<Table> {
        let known = self
            .remembered
            .iter()
            .position(|r| r.answers(sheet, spec, (from_row, rows, how)));
        if let Some(i) = known {
            self.remembered[..=i].rotate_right(1);
            let table = self.remembered[0].table.clone();
            debug_assert_eq!(table, search(sheet, spec, from_row, rows, how));
            return table;
        }
        let (table, extent) = search_reading(sheet, spec, from_row, rows, how);
        let remembered = extent.and_then(|extent| {
            Remembered::new(sheet, spec, (from_row, rows, how), extent, table.clone())
        });
        if let Some(remembered) = remembered {
            self.remembered.truncate(REMEMBERED - 1);
            self.remembered.insert(0, remembered);
        }
        table
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workbook::{Cell, Value};
    use calamine::Dimensions;

    fn set(sheet: &mut Sheet, row: u32, col: u32, value: Value) {
        let cell = Cell {
            value,
            formula: None,
            percent: false,
        };
        sheet.insert(row, col, cell);
    }

    fn put(sheet: &mut Sheet, row: u32, col: u32, text: &str) {
        set(sheet, row, col, Value::Text(text.into()));
    }

    /// The spec's three labels in one row, from column `col` on.
    fn put_header(sheet: &mut Sheet, row: u32, col: u32) {
        for (i, label) in ["Mã", "Điểm tối đa", "Điểm tự chấm"]
            .into_iter()
            .enumerate()
        {
            put(sheet, row, col + i as u32, label);
        }
    }

    const SPEC: &[ColumnSpec] = &[
        ColumnSpec {
            label: "Mã",
            aliases: &["ma"],
            required: true,
        },
        ColumnSpec {
            label: "Điểm tối đa",
            aliases: &["diem toi da", "toi da"],
            required: true,
        },
        ColumnSpec {
            label: "Điểm tự chấm",
            aliases: &["diem tu cham"],
            required: true,
        },
    ];

    /// The best spec entry as a plain scan of every alias would find it.
    fn best_spec_by_scan(
        labels: &[String],
        spec: &[ColumnSpec],
        taken: &[Option<u32>],
        prefix: bool,
    ) -> Option<usize> {
        let fit = |label: &str, alias: &str| {
            if label == alias {
                Some(2 * alias.len() + 1)
            } else if prefix
                && label.len() > alias.len()
                && label.starts_with(alias)
                && label.as_bytes()[alias.len()] == b' '
            {
                Some(2 * alias.len())
            } else {
                None
            }
        };
        let mut best: Option<(usize, usize)> = None;
        for label in labels {
            for (i, s) in spec.iter().enumerate() {
                if taken[i].is_some() {
                    continue;
                }
                for alias in s.aliases {
                    if let Some(q) = fit(label, alias)
                        && best.is_none_or(|(bq, _)| q > bq)
                    {
                        best = Some((q, i));
                    }
                }
            }
        }
        best.map(|(_, i)| i)
    }

    proptest::proptest! {
        /// The sorted-alias lookup picks what scanning every alias picks.
        #[test]
        fn alias_lookup_picks_as_a_scan_does(
            words in proptest::collection::vec(
                proptest::collection::vec("ma|diem|toi|da|tu|cham|so|lan|noi|dung", 1..5), 1..4),
            taken in proptest::collection::vec(proptest::bool::ANY, 6),
            prefix in proptest::bool::ANY,
        ) {
            const SPEC: &[ColumnSpec] = &[
                ColumnSpec { label: "a", aliases: &["ma", "ma so"], required: true },
                ColumnSpec { label: "b", aliases: &["diem toi da", "toi da"], required: true },
                ColumnSpec { label: "c", aliases: &["diem", "diem tu cham"], required: false },
                ColumnSpec { label: "d", aliases: &["toi da", "so lan"], required: false },
                ColumnSpec { label: "e", aliases: &["noi dung", "ma"], required: false },
                ColumnSpec { label: "f", aliases: &["so lan", "", "lan"], required: false },
            ];
            let labels: Vec<String> = words.iter().map(|w| w.join(" ")).collect();
            let taken: Vec<Option<u32>> = taken.iter().map(|t| t.then_some(0)).collect();
            let how = Search { prefix, rewrite: None };
            proptest::prop_assert_eq!(
                best_spec(labels.iter().map(String::as_str), &Aliases::new(SPEC), &taken, &how),
                best_spec_by_scan(&labels, SPEC, &taken, prefix)
            );
        }
    }

    /// A small sheet from a few header words, numbers and merges: cells as
    /// (row, col, word or number), merges as (row, col, rows, cols).
    fn sheet_of(
        cells: &[(u32, u32, Option<usize>, f64)],
        merges: &[(u32, u32, u32, u32)],
    ) -> Sheet {
        const WORDS: [&str; 8] = [
            "Mã",
            "Điểm",
            "Tối đa",
            "Tự chấm",
            "Tiêu chí",
            "  ",
            "Ghi chú",
            "Điểm tự chấm",
        ];
        let mut s = Sheet::new("x");
        let mut seen = std::collections::BTreeMap::new();
        for &(row, col, word, number) in cells {
            let value = match word {
                Some(w) => Value::Text(WORDS[w % WORDS.len()].into()),
                None => Value::Number(number),
            };
            seen.insert((row, col), value);
        }
        for ((row, col), value) in seen {
            set(&mut s, row, col, value);
        }
        for &(row, col, rows, cols) in merges {
            s.merges
                .push(Dimensions::new((row, col), (row + rows, col + cols)));
        }
        s
    }

    proptest::proptest! {
        /// Searches answered from memory find what searching again finds,
        /// whatever sheets came before: one layout edited a cell at a
        /// time (a word for another, a number for a word, a number
        /// changed, a cell moved to another row), merges added or taken
        /// away.
        #[test]
        fn a_remembered_search_finds_what_a_search_finds(
            cells in proptest::collection::vec(
                (0u32..8, 0u32..5, proptest::option::of(0usize..8), 0.0..9.0), 0..30),
            merges in proptest::collection::vec((0u32..8, 0u32..5, 0u32..3, 0u32..3), 0..3),
            edits in proptest::collection::vec(
                (0usize..30, proptest::option::of(0usize..8), 0.0..9.0, 0usize..4,
                 proptest::option::of(0u32..12)), 1..12),
            from_row in 0u32..6,
            rows in proptest::sample::select(vec![2u32, 5, 20, u32::MAX]),
            prefix in proptest::bool::ANY,
        ) {
            let how = Search { prefix, rewrite: None };
            let mut memory = Memory::default();
            let (mut cells, mut merges) = (cells, merges);
            for (at, word, number, merge, moved) in edits {
                if let Some(cell) = cells.get_mut(at) {
                    (cell.2, cell.3) = (word, number);
                    cell.0 = moved.unwrap_or(cell.0);
                }
                match merge {
                    0 => { merges.pop(); }
                    1 => merges.push((at as u32 % 8, 0, 0, 2)),
                    _ => {}
                }
                let sheet = sheet_of(&cells, &merges);
                proptest::prop_assert_eq!(
                    memory.search(&sheet, SPEC, from_row, rows, &how),
                    search(&sheet, SPEC, from_row, rows, &how)
                );
            }
        }
    }

    /// The same layout with other numbers is answered from memory; a
    /// changed label or a taller sheet searched to its end is searched
    /// again.
    #[test]
    fn memory_answers_only_searches_that_read_the_same() {
        let mut s = Sheet::new("x");
        put(&mut s, 0, 0, "Tiêu chí");
        put_header(&mut s, 2, 0);
        set(&mut s, 3, 1, Value::Number(5.0));
        let mut memory = Memory::default();
        let first = memory.search(&s, SPEC, 0, 20, &Search::EXACT).unwrap();
        assert_eq!(memory.remembered.len(), 1);
        // Other numbers: the header read is the same.
        set(&mut s, 3, 1, Value::Number(7.0));
        assert_eq!(
            memory.search(&s, SPEC, 0, 20, &Search::EXACT),
            Some(first.clone())
        );
        assert_eq!(memory.remembered.len(), 1);
        // A label moved: searched again, and found where it now is.
        put(&mut s, 2, 2, "Ghi chú");
        put(&mut s, 2, 3, "Điểm tự chấm");
        let moved = memory.search(&s, SPEC, 0, 20, &Search::EXACT).unwrap();
        assert_eq!(moved.columns, vec![Some(0), Some(1), Some(3)]);
        assert_eq!(memory.remembered.len(), 2);
        // A search that ran to the sheet's end (no whole header) is not
        // answered for a taller sheet, whose rows below it never read.
        let mut short = Sheet::new("y");
        put(&mut short, 0, 0, "Mã");
        put(&mut short, 0, 1, "Ghi chú");
        assert_eq!(memory.search(&short, SPEC, 0, 20, &Search::EXACT), None);
        put_header(&mut short, 4, 0);
        assert_eq!(
            memory
                .search(&short, SPEC, 0, 20, &Search::EXACT)
                .unwrap()
                .header_row,
            4
        );
        // A label merged down from above the rows searched is read too.
        let mut tall = Sheet::new("z");
        put(&mut tall, 2, 0, "Mã");
        tall.merges.push(Dimensions::new((2, 0), (12, 0)));
        put(&mut tall, 12, 1, "Tối đa");
        put(&mut tall, 12, 2, "Điểm tự chấm");
        let with_code = memory.search(&tall, SPEC, 10, 5, &Search::EXACT).unwrap();
        assert_eq!(with_code.columns, vec![Some(0), Some(1), Some(2)]);
        put(&mut tall, 2, 0, "Ghi chú");
        let without = memory.search(&tall, SPEC, 10, 5, &Search::EXACT).unwrap();
        assert_eq!(without.columns, vec![None, Some(1), Some(2)]);
        // A search down a sheet of more cells than a memory keeps is
        // answered, and not kept.
        let mut long = Sheet::new("w");
        for row in 0..REMEMBERED_CELLS as u32 + 1 {
            put(&mut long, row, 0, "Ghi chú");
        }
        let mut fresh = Memory::default();
        assert_eq!(fresh.search(&long, SPEC, 0, u32::MAX, &Search::EXACT), None);
        assert!(fresh.remembered.is_empty());
    }

    #[test]
    fn finds_header_below_title_rows_with_columns_moved() {
        let mut s = Sheet::new("x");
        put(&mut s, 0, 0, "BẢNG TỰ CHẤM ĐIỂM");
        put(&mut s, 3, 4, "ĐIỂM TỰ CHẤM");
        put(&mut s, 3, 1, "Mã");
        put(&mut s, 3, 2, "Diem toi da");
        let t = find(&s, SPEC, 0).unwrap();
        assert_eq!(t.header_row, 3);
        assert_eq!(t.columns, vec![Some(1), Some(2), Some(4)]);
        assert!(t.missing.is_empty());
    }

    #[test]
    fn reads_two_row_header_under_merged_group() {
        let mut s = Sheet::new("x");
        put(&mut s, 4, 0, "Mã");
        s.merges.push(Dimensions::new((4, 0), (5, 0)));
        put(&mut s, 4, 1, "Điểm");
        s.merges.push(Dimensions::new((4, 1), (4, 2)));
        put(&mut s, 5, 1, "Tối đa");
        put(&mut s, 5, 2, "Tự chấm");
        let t = find(&s, SPEC, 0).unwrap();
        assert_eq!(t.header_row, 5);
        assert_eq!(t.columns, vec![Some(0), Some(1), Some(2)]);
    }

    /// A search starting below a label merged down from higher up still
    /// reads it (its cell is above the rows searched), and a tall sheet
    /// below the header changes nothing.
    #[test]
    fn reads_a_label_merged_down_from_above_the_rows_searched() {
        let mut s = Sheet::new("x");
        put(&mut s, 2, 0, "Mã");
        s.merges.push(Dimensions::new((2, 0), (12, 0)));
        put(&mut s, 12, 1, "Tối đa");
        put(&mut s, 12, 2, "Điểm tự chấm");
        for row in 13..3000 {
            put(&mut s, row, 1, "5");
        }
        let t = search(&s, SPEC, 10, 5, &Search::EXACT).unwrap();
        assert_eq!(t.header_row, 12);
        assert_eq!(t.columns, vec![Some(0), Some(1), Some(2)]);
    }

    #[test]
    fn reports_missing_required_columns() {
        let mut s = Sheet::new("x");
        put(&mut s, 0, 0, "Mã");
        put(&mut s, 0, 1, "Điểm tối đa");
        let t = find(&s, SPEC, 0).unwrap();
        assert_eq!(t.missing, vec!["Điểm tự chấm"]);
    }
}
