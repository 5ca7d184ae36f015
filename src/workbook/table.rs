//! Finds a table in a sheet: the header row (within 20 rows of where the
//! search starts) by its labels and their aliases, compared as folded label
//! keys, columns in any order, extra columns ignored. A header split over two
//! rows under a merged group heading (`Điểm` over `Tối đa` | `Tự chấm`) is
//! read by joining the group's text to each column's.

use super::{Sheet, Value};
use crate::text::label_key;

/// How many rows below the search start a header may sit.
pub const HEADER_SEARCH_ROWS: u32 = 20;

/// One column a table should have.
#[derive(Debug, Clone, Copy)]
pub struct ColumnSpec {
    /// The label as the tool writes it (used in messages).
    pub label: &'static str,
    /// Accepted label keys (folded, punctuation as spaces).
    pub aliases: &'static [&'static str],
    pub required: bool,
}

/// A header row found, with the column of each spec (parallel to the spec
/// slice), and the labels that could not be found.
#[derive(Debug, Clone)]
pub struct Table {
    pub header_row: u32,
    pub columns: Vec<Option<u32>>,
    pub missing: Vec<&'static str>,
}

impl Table {
    pub fn col(&self, index: usize) -> Option<u32> {
        self.columns.get(index).copied().flatten()
    }
}

/// The text of a header cell, looking through merges; `None` for anything
/// that is not text (numbers are never labels).
fn label_text(sheet: &Sheet, row: u32, col: u32) -> Option<String> {
    match sheet.merged_value(row, col) {
        Value::Text(t) => Some(label_key(t)).filter(|k| !k.is_empty()),
        _ => None,
    }
}

/// The label keys of a header cell: its own, and the group heading above it
/// joined in front when that heading spans several columns.
fn labels_at(sheet: &Sheet, row: u32, col: u32) -> Vec<String> {
    let own = label_text(sheet, row, col);
    let mut out: Vec<String> = own.iter().cloned().collect();
    if row > 0 {
        let covered_by_group = sheet
            .merge_at(row - 1, col)
            .is_some_and(|m| m.start.1 != m.end.1);
        if let Some(above) = label_text(sheet, row - 1, col)
            && (covered_by_group || own.is_none())
            && Some(&above) != own.as_ref()
        {
            out.push(match &own {
                Some(own) => format!("{above} {own}"),
                None => above,
            });
        }
    }
    out
}

/// Columns worth looking at in a row: those with a cell in it or the row
/// above, and those a merged region covers there.
fn candidate_columns(sheet: &Sheet, row: u32) -> Vec<u32> {
    let mut cols: Vec<u32> = sheet.row(row).map(|(c, _)| c).collect();
    if row > 0 {
        cols.extend(sheet.row(row - 1).map(|(c, _)| c));
    }
    for m in &sheet.merges {
        let touches = m.start.0 <= row && row.saturating_sub(1) <= m.end.0;
        if touches {
            cols.extend(m.start.1..=m.end.1.min(m.start.1 + 200));
        }
    }
    cols.sort_unstable();
    cols.dedup();
    cols
}

/// Finds the header row of `spec` within [`HEADER_SEARCH_ROWS`] rows of
/// `from_row`. Returns `None` when no row carries at least two of the labels
/// (or one, for a one-column spec).
pub fn find(sheet: &Sheet, spec: &[ColumnSpec], from_row: u32) -> Option<Table> {
    find_within(sheet, spec, from_row, HEADER_SEARCH_ROWS)
}

/// Like [`find`], searching `rows` rows below `from_row` (a second table
/// below a first one of any length).
pub fn find_within(sheet: &Sheet, spec: &[ColumnSpec], from_row: u32, rows: u32) -> Option<Table> {
    let last = sheet.last_row()?;
    let mut best: Option<(usize, Table)> = None;
    let end = from_row.saturating_add(rows).min(last);
    for row in from_row..=end {
        let mut columns = vec![None; spec.len()];
        let mut matched = 0;
        for col in candidate_columns(sheet, row) {
            let labels = labels_at(sheet, row, col);
            if labels.is_empty() {
                continue;
            }
            let hit = spec.iter().enumerate().find(|(i, s)| {
                columns[*i].is_none() && labels.iter().any(|l| s.aliases.iter().any(|a| a == l))
            });
            if let Some((i, _)) = hit {
                columns[i] = Some(col);
                matched += 1;
            }
        }
        let needed = if spec.len() == 1 { 1 } else { 2 };
        if matched < needed {
            continue;
        }
        if best.as_ref().is_none_or(|(m, _)| matched > *m) {
            let missing = spec
                .iter()
                .zip(&columns)
                .filter(|(s, c)| s.required && c.is_none())
                .map(|(s, _)| s.label)
                .collect();
            best = Some((
                matched,
                Table {
                    header_row: row,
                    columns,
                    missing,
                },
            ));
        }
    }
    best.map(|(_, t)| t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workbook::{Cell, Value};
    use calamine::Dimensions;

    fn put(sheet: &mut Sheet, row: u32, col: u32, text: &str) {
        sheet.insert(
            row,
            col,
            Cell {
                value: Value::Text(text.into()),
                formula: None,
                percent: false,
            },
        );
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

    #[test]
    fn reports_missing_required_columns() {
        let mut s = Sheet::new("x");
        put(&mut s, 0, 0, "Mã");
        put(&mut s, 0, 1, "Điểm tối đa");
        let t = find(&s, SPEC, 0).unwrap();
        assert_eq!(t.missing, vec!["Điểm tự chấm"]);
    }
}
