//! Finds a table in a sheet: the header row (within 20 rows of where the
//! search starts) by its labels and their aliases, compared as folded label
//! keys, columns in any order, extra columns ignored. Headers of one to three
//! rows are read: a group heading merged over several columns (`Điểm` over
//! `Tối đa` | `Tự chấm`, `Kết quả` over `Năm trước` | `Năm nay`) is joined
//! in front of each column's own label, and a label merged down over the
//! header rows (`TT`, `Tiêu chí`) is read in the lowest one.

use super::{Sheet, Value};
use crate::text::label_key;

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
#[derive(Debug, Clone)]
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

/// The text of a header cell, looking through merges; `None` for anything
/// that is not text (numbers are never labels).
fn label_text(sheet: &Sheet, row: u32, col: u32) -> Option<String> {
    match sheet.merged_value(row, col) {
        Value::Text(t) => Some(label_key(t)).filter(|k| !k.is_empty()),
        _ => None,
    }
}

/// The heading `rows_up` rows above a header cell that applies to it: a
/// group heading merged across several columns, or any text above an empty
/// cell (a sheet whose merges are not known, such as ODS).
fn heading_above(sheet: &Sheet, row: u32, col: u32, own_empty: bool) -> Option<String> {
    let above = row.checked_sub(1)?;
    let group = sheet
        .merge_at(above, col)
        .is_some_and(|m| m.start.1 != m.end.1);
    if group || own_empty {
        label_text(sheet, above, col)
    } else {
        None
    }
}

/// The label keys of a header cell: its own, and the headings above it
/// (up to two rows) joined in front.
fn labels_at(sheet: &Sheet, row: u32, col: u32) -> Vec<String> {
    let own = label_text(sheet, row, col);
    let mut out: Vec<String> = own.iter().cloned().collect();
    let mut push = |parts: &[&String]| {
        let mut words: Vec<&str> = Vec::new();
        for p in parts {
            if words.last() != Some(&p.as_str()) {
                words.push(p);
            }
        }
        let joined = words.join(" ");
        if !out.contains(&joined) {
            out.push(joined);
        }
    };
    let Some(one) = heading_above(sheet, row, col, own.is_none()) else {
        return out;
    };
    match &own {
        Some(own) if *own != one => push(&[&one, own]),
        Some(_) => {}
        None => push(&[&one]),
    }
    if row >= 1
        && let Some(two) = heading_above(sheet, row - 1, col, false)
        && two != one
    {
        match &own {
            Some(own) if *own != one => push(&[&two, &one, own]),
            _ => push(&[&two, &one]),
        }
    }
    out
}

/// Columns worth looking at in a row: those with a cell in it or the rows
/// above, and those a merged region covers there.
fn candidate_columns(sheet: &Sheet, row: u32) -> Vec<u32> {
    let mut cols: Vec<u32> = sheet.row(row).map(|(c, _)| c).collect();
    for up in 1..=2 {
        if let Some(r) = row.checked_sub(up) {
            cols.extend(sheet.row(r).map(|(c, _)| c));
        }
    }
    for m in &sheet.merges {
        let touches = m.start.0 <= row && row.saturating_sub(2) <= m.end.0;
        if touches {
            cols.extend(m.start.1..=m.end.1.min(m.start.1 + 200));
        }
    }
    cols.sort_unstable();
    cols.dedup();
    cols
}

/// How well `label` fits `alias`: exactly (longer is better), as a prefix
/// when allowed, or not at all.
fn fit(label: &str, alias: &str, prefix: bool) -> Option<usize> {
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
}

/// The spec entry a header cell's labels name best, among those not yet
/// taken.
fn best_spec(
    labels: &[String],
    spec: &[ColumnSpec],
    taken: &[Option<u32>],
    search: &Search,
) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for label in labels {
        // Only labels with a digit (a year) can be rewritten.
        let rewritten;
        let label: &str = match search.rewrite {
            Some(f) if label.bytes().any(|b| b.is_ascii_digit()) => {
                rewritten = f(label.clone());
                &rewritten
            }
            _ => label,
        };
        for (i, s) in spec.iter().enumerate() {
            if taken[i].is_some() {
                continue;
            }
            for alias in s.aliases {
                if let Some(q) = fit(label, alias, search.prefix)
                    && best.is_none_or(|(bq, _)| q > bq)
                {
                    best = Some((q, i));
                }
            }
        }
    }
    best.map(|(_, i)| i)
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
    search(sheet, spec, from_row, rows, &Search::EXACT)
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
    let last = sheet.last_row()?;
    let mut best: Option<Table> = None;
    let end = from_row.saturating_add(rows).min(last);
    let has_required = spec.iter().any(|s| s.required);
    for row in from_row..=end {
        // A header with every required column was found: only the two rows
        // below it may still be part of it (a multi-row header); the rest is
        // data. (A spec without required columns searches on.)
        if has_required
            && best
                .as_ref()
                .is_some_and(|b| b.missing.is_empty() && row > b.header_row + 2)
        {
            break;
        }
        let mut columns = vec![None; spec.len()];
        let mut matched = 0;
        for col in candidate_columns(sheet, row) {
            let labels = labels_at(sheet, row, col);
            if labels.is_empty() {
                continue;
            }
            if let Some(i) = best_spec(&labels, spec, &columns, how) {
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
    best
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
