//! How a unit laid out its score sheet: which sheet holds the score table
//! (by its header, whatever the sheet is called), which column is which,
//! and what each row below the header is — a section, a bonus/penalty
//! heading, an item, a total, a note. It reads positions and words only;
//! matching items to the plan is [`super::matching`]'s job.

use crate::plan::{Plan, code_text};
use crate::text::label_key;
use crate::text::wording::{wording_similarity, words};
use crate::text::words::is_total_label;
use crate::vocab::{self, AdjustmentHeading, column};
use crate::workbook::table::{self, Search, Table};
use crate::workbook::{Book, Sheet};

/// How many rows below the top a score table's header may start.
const HEADER_ROWS: u32 = 30;
/// A section title this like a plan section's names that section.
const SECTION_MATCH: f64 = 0.6;

/// The columns of a table, picked by name.
#[derive(Debug, Clone, Copy, Default)]
pub struct Columns {
    pub no: Option<u32>,
    pub code: Option<u32>,
    pub content: Option<u32>,
    pub baseline: Option<u32>,
    pub achieved: Option<u32>,
    pub self_score: Option<u32>,
    pub count: Option<u32>,
}

impl Columns {
    fn of(t: &Table) -> Columns {
        Columns {
            no: t.col_named(column::NO),
            code: t.col_named(column::CODE),
            content: t.col_named(column::CONTENT),
            baseline: t.col_named(column::BASELINE),
            achieved: t.col_named(column::ACHIEVED),
            self_score: t.col_named(column::SELF_SCORE),
            count: t.col_named(column::COUNT),
        }
    }
}

/// The score table found in a workbook.
pub struct ScoreSheet<'b> {
    pub sheet: &'b Sheet,
    pub header_row: u32,
    pub columns: Columns,
    /// A separate bonus/penalty table below (the template's layout).
    pub adjustments: Option<(u32, Columns)>,
    /// Other sheets that could have been the score table.
    pub others: Vec<String>,
}

/// Why no score table was found.
pub enum NoScoreSheet<'b> {
    /// A sheet is named as the score sheet but its header lacks columns.
    MissingColumns(&'b Sheet, Option<u32>, Vec<&'static str>),
    /// No sheet is named so and none has a score table's header.
    None,
}

/// Whether the word `word` finds is one of the space-separated words of
/// `key`. The finder is built once: building one costs more than most
/// searches through a label.
fn holds_word(key: &str, word: &memchr::memmem::Finder) -> bool {
    let bytes = key.as_bytes();
    let len = word.needle().len();
    len > 0
        && word.find_iter(bytes).any(|at| {
            let end = at + len;
            (at == 0 || bytes[at - 1] == b' ') && (end == bytes.len() || bytes[end] == b' ')
        })
}

/// Reads the plan's year and the year before in header labels as `nam
/// nay` / `nam truoc` (`Kết quả` over `Năm 2021 | Năm 2022`).
fn year_rewrite(year: i32) -> impl Fn(String) -> String {
    let (this, last) = (year.to_string(), (year - 1).to_string());
    let finders = [&this, &last].map(|y| memchr::memmem::Finder::new(y.as_bytes()).into_owned());
    // The last label rewritten: a sheet title with the year is joined to
    // every column's label below it, so the same key comes many times.
    let last_rewrite = std::cell::RefCell::new((String::new(), String::new()));
    move |key: String| {
        // Most labels hold no year at all: returned as they are.
        if !finders.iter().any(|f| holds_word(&key, f)) {
            return key;
        }
        if let Ok(cached) = last_rewrite.try_borrow()
            && cached.0 == key
        {
            return cached.1.clone();
        }
        let mut out = String::with_capacity(key.len() + 8);
        let mut previous = "";
        for (i, word) in key.split(' ').enumerate() {
            if i > 0 {
                out.push(' ');
            }
            let relative = if word == this {
                Some("nay")
            } else if word == last {
                Some("truoc")
            } else {
                None
            };
            match relative {
                Some(r) if i > 0 && previous == "nam" => out.push_str(r),
                Some(r) => {
                    out.push_str("nam ");
                    out.push_str(r);
                }
                None => out.push_str(word),
            }
            previous = word;
        }
        if let Ok(mut cached) = last_rewrite.try_borrow_mut() {
            *cached = (key, out.clone());
        }
        out
    }
}

/// The score and bonus/penalty header searches of a reading thread's last
/// workbooks, for the plan year whose labels they rewrote: the units of a
/// bloc fill in one template, so most searches read what the last one read.
#[derive(Default)]
struct Searches {
    year: Option<i32>,
    scores: table::Memory,
    adjustments: table::Memory,
}

thread_local! {
    static SEARCHES: std::cell::RefCell<Searches> = std::cell::RefCell::default();
}

/// Finds the score table: every sheet's header is tried; a sheet named as
/// the score sheet counts a little more, so of two equal candidates it wins.
pub fn find_score_sheet<'b>(
    book: &'b Book,
    plan: &Plan,
) -> Result<ScoreSheet<'b>, NoScoreSheet<'b>> {
    SEARCHES.with_borrow_mut(|searches| {
        if searches.year != plan.year {
            *searches = Searches {
                year: plan.year,
                ..Searches::default()
            };
        }
        find_score_sheet_in(book, plan, searches)
    })
}

fn find_score_sheet_in<'b>(
    book: &'b Book,
    plan: &Plan,
    searches: &mut Searches,
) -> Result<ScoreSheet<'b>, NoScoreSheet<'b>> {
    let rewrite = plan.year.map(year_rewrite);
    let how = Search {
        prefix: true,
        rewrite: rewrite.as_ref().map(|f| f as &dyn Fn(String) -> String),
    };
    let named = |s: &Sheet| {
        let key = label_key(&s.name);
        vocab::SCORE_SHEET.iter().any(|n| {
            let n = label_key(n);
            key == n || key.starts_with(&format!("{n} "))
        })
    };
    let skip = |s: &Sheet| {
        let key = label_key(&s.name);
        vocab::INFO_SHEET
            .iter()
            .chain(vocab::REGISTRATION_SHEET)
            .any(|n| label_key(n) == key)
    };
    let mut found: Vec<(usize, &Sheet, Table)> = Vec::new();
    let mut partial: Option<(&Sheet, Option<Table>)> = None;
    for sheet in book.sheets.iter().filter(|s| !skip(s)) {
        let t = searches
            .scores
            .search(sheet, vocab::SCORE_COLUMNS, 0, HEADER_ROWS, &how);
        match t {
            Some(t) if t.missing.is_empty() => {
                let weight = t.matched * 2 + usize::from(named(sheet));
                found.push((weight, sheet, t));
            }
            t if named(sheet) && partial.is_none() => partial = Some((sheet, t)),
            _ => {}
        }
    }
    found.sort_by_key(|f| std::cmp::Reverse(f.0));
    let mut found = found.into_iter();
    let Some((_, sheet, t)) = found.next() else {
        return Err(match partial {
            Some((sheet, Some(t))) => {
                NoScoreSheet::MissingColumns(sheet, Some(t.header_row), t.missing)
            }
            Some((sheet, None)) => NoScoreSheet::MissingColumns(
                sheet,
                None,
                vocab::SCORE_COLUMNS
                    .iter()
                    .filter(|s| s.required)
                    .map(|s| s.label)
                    .collect(),
            ),
            None => NoScoreSheet::None,
        });
    };
    let adjustments = searches
        .adjustments
        .search(
            sheet,
            vocab::ADJUSTMENT_COLUMNS,
            t.header_row + 1,
            u32::MAX,
            &Search::EXACT,
        )
        .filter(|a| {
            a.col_named(column::COUNT).is_some() || a.col_named(column::POINTS_EACH).is_some()
        })
        .map(|a| (a.header_row, Columns::of(&a)));
    Ok(ScoreSheet {
        sheet,
        header_row: t.header_row,
        columns: Columns::of(&t),
        adjustments,
        others: found.map(|(_, s, _)| s.name.clone()).collect(),
    })
}

/// Which plan items a row may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Block {
    Indicators,
    Adjustments(AdjustmentHeading),
}

/// A row that may be an indicator or a bonus/penalty item.
#[derive(Debug, Clone)]
pub struct Item {
    pub row: u32,
    pub columns: Columns,
    /// The code in the code column.
    pub code: String,
    /// A number in the `TT` column or at the start of the text (`1.2`,
    /// `1.2.`), which may or may not be the plan's code.
    pub number: Option<String>,
    /// The row's text, without its leading number.
    pub text: String,
    /// The plan section the row sits in, when the sheet says.
    pub section: Option<String>,
    pub block: Block,
    /// Whether any value cell of the row is filled.
    pub has_values: bool,
}

/// A typed total row (`Cộng`, `Tổng cộng`, a section row with its points).
#[derive(Debug, Clone)]
pub struct Total {
    pub row: u32,
    pub col: u32,
    pub section: Option<String>,
    pub scope: TotalScope,
}

/// What a total row adds up, from its place and its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotalScope {
    /// A section's own row with its points, or `Cộng mục I`.
    Section,
    /// The indicators (`Cộng điểm tiêu chí`).
    Indicators,
    /// Indicators plus bonus minus penalty (`TỔNG ĐIỂM`, after the
    /// bonus/penalty rows).
    Grand,
}

fn total_scope(key: &str, after_adjustments: bool) -> TotalScope {
    let words: Vec<&str> = key.split(' ').collect();
    if words.iter().any(|w| matches!(*w, "muc" | "phan")) {
        TotalScope::Section
    } else if after_adjustments || words.iter().any(|w| matches!(*w, "thuong" | "tru")) {
        TotalScope::Grand
    } else {
        TotalScope::Indicators
    }
}

/// Every row of the table that matters.
#[derive(Debug, Default)]
pub struct Rows {
    pub items: Vec<Item>,
    pub totals: Vec<Total>,
}

fn is_roman(s: &str) -> bool {
    !s.is_empty() && s.len() <= 5 && s.chars().all(|c| matches!(c, 'I' | 'V' | 'X'))
}

fn is_section_letter(s: &str) -> bool {
    s.len() == 1 && s.chars().all(|c| c.is_ascii_uppercase() && c <= 'H')
}

fn is_number(s: &str) -> bool {
    !s.is_empty()
        && s.chars().next().is_some_and(|c| c.is_ascii_digit())
        && s.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// Splits a leading marker off a row's text: `I. THỰC HIỆN` → (`I`, …),
/// `PHẦN II: …` → (`II`, …), `1.2. Tỷ lệ` → (`1.2`, …).
fn split_marker(text: &str) -> (Option<String>, String) {
    let text = text.trim();
    let mut parts = text.splitn(2, char::is_whitespace);
    let first = parts.next().unwrap_or("");
    let rest = parts.next().unwrap_or("").trim();
    let bare = first.trim_end_matches(['.', ')', ':', '/', '-']);
    if label_key(bare) == "phan" {
        let mut more = rest.splitn(2, char::is_whitespace);
        let id = more
            .next()
            .unwrap_or("")
            .trim_end_matches(['.', ')', ':', '-']);
        return (
            Some(id.to_uppercase()),
            more.next().unwrap_or("").trim().to_string(),
        );
    }
    if (bare != first || is_number(bare))
        && (is_roman(bare) || is_section_letter(bare) || is_number(bare))
    {
        return (Some(bare.to_string()), rest.to_string());
    }
    (None, text.to_string())
}

fn is_upper_title(text: &str) -> bool {
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 6
        && letters.iter().all(|c| !c.is_lowercase())
        && text.split_whitespace().count() >= 2
}

/// The plan section a section row names: by its id (`II`), else by title.
fn plan_section(plan: &Plan, marker: Option<&str>, title: &str) -> Option<String> {
    if let Some(m) = marker
        && let Some(s) = plan
            .sections
            .iter()
            .find(|s| label_key(&s.id) == label_key(m))
    {
        return Some(s.id.clone());
    }
    let w = words(title);
    plan.sections
        .iter()
        .map(|s| (wording_similarity(&w, &words(&s.title)), s))
        .filter(|(sim, _)| *sim >= SECTION_MATCH)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, s)| s.id.clone())
}

/// Classifies the rows of the score table (and of a separate bonus/penalty
/// table below it).
pub fn rows(score: &ScoreSheet, plan: &Plan) -> Rows {
    let sheet = score.sheet;
    let last = sheet.last_row().unwrap_or(0);
    let mut out = Rows::default();
    let main_end = score
        .adjustments
        .as_ref()
        .map_or(last, |(h, _)| h.saturating_sub(1));
    let mut state = State {
        section: None,
        block: Block::Indicators,
        seen_adjustments: false,
        kept_until: score.header_row.saturating_add(KEPT_ROWS_BELOW),
    };
    for row in score.header_row + 1..=main_end {
        classify(sheet, plan, row, &score.columns, &mut state, &mut out);
    }
    if let Some((header, columns)) = &score.adjustments {
        state.block = Block::Adjustments(AdjustmentHeading::Both);
        state.section = None;
        state.kept_until = header.saturating_add(KEPT_ROWS_BELOW);
        for row in header + 1..=last {
            classify(sheet, plan, row, columns, &mut state, &mut out);
        }
    }
    out
}

struct State {
    section: Option<String>,
    block: Block,
    seen_adjustments: bool,
    /// The last row whose texts are kept for the next workbook (see
    /// [`row_text`]).
    kept_until: u32,
}

/// How far below a table's header rows are kept for the next workbook: a
/// score table has some tens of rows; what lies further down (notes,
/// signatures, a sheet of pasted data) is read without being kept.
const KEPT_ROWS_BELOW: u32 = 200;

/// What a row's code, number and content cells say before the plan is
/// asked: folding the text is the costly part of classifying a row, and
/// the rows of a template read the same in every unit's copy of it.
#[derive(Debug, Clone, PartialEq)]
struct RowText {
    /// The column-numbering row of official forms: `(1) (2) (3) …`.
    numbering: bool,
    marker: Option<String>,
    /// The content without its marker.
    rest: String,
    is_note: bool,
    heading: Option<AdjustmentHeading>,
    is_total: bool,
    /// What a total row adds up, before and after the bonus/penalty rows.
    scopes: [TotalScope; 2],
    /// A section's mark: a Roman numeral or letter in the TT or code
    /// column, `PHẦN I`, `I. TITLE`.
    mark: Option<String>,
    upper_title: bool,
    /// A number in the TT column or at the start of the text.
    number: Option<String>,
    /// The item's text, without its leading number.
    text: String,
}

impl RowText {
    fn of(code: &str, no: &str, content: &str) -> RowText {
        let bare = content.trim_start_matches('(').trim_end_matches(')');
        let numbering = !bare.is_empty() && bare.chars().all(|c| c.is_ascii_digit());
        let (marker, rest) = split_marker(content);
        let rest_key = label_key(&rest);
        // Without a marker the rest is the whole (clean) content.
        let content_key = if rest == content {
            rest_key.clone()
        } else {
            label_key(content)
        };
        let heading = vocab::adjustment_heading(&rest_key)
            .or_else(|| vocab::adjustment_heading(&content_key));
        let mark = [no, code]
            .into_iter()
            .find(|m| is_roman(m) || is_section_letter(m))
            .map(str::to_string)
            .or_else(|| {
                marker.clone().filter(|m| {
                    is_roman(m) || is_section_letter(m) || content_key.starts_with("phan ")
                })
            });
        let number = [no, marker.as_deref().unwrap_or("")]
            .into_iter()
            .find(|n| is_number(n))
            .map(|n| n.trim_end_matches('.').to_string());
        let text = if marker.as_deref().is_some_and(is_number) {
            rest.clone()
        } else {
            content.to_string()
        };
        RowText {
            numbering,
            is_note: vocab::is_note(&content_key),
            heading,
            is_total: is_total_label(&content_key),
            scopes: [false, true].map(|after| total_scope(&content_key, after)),
            mark,
            upper_title: is_upper_title(&rest),
            number,
            text,
            marker,
            rest,
        }
    }
}

/// How many rows' texts a reading thread keeps: more than a template has,
/// and a bound on what a national run's odd rows can add.
const REMEMBERED_ROWS: usize = 4096;
/// The longest row a thread keeps the texts of (in bytes of its cells): an
/// indicator's wording is a line or two; a cell of pasted pages is read
/// afresh rather than kept.
const REMEMBERED_ROW_BYTES: usize = 1024;

thread_local! {
    /// The texts of the rows this thread classified, by their code, number
    /// and content cells.
    static ROW_TEXTS: std::cell::RefCell<std::collections::HashMap<String, std::rc::Rc<RowText>>> =
        std::cell::RefCell::default();
}

/// A row's texts, read once per thread for each different row kept.
fn row_text(code: &str, no: &str, content: &str, keep: bool) -> std::rc::Rc<RowText> {
    if !keep || code.len() + no.len() + content.len() > REMEMBERED_ROW_BYTES {
        return std::rc::Rc::new(RowText::of(code, no, content));
    }
    let key = crate::text::key_of(&[code, no, content]);
    ROW_TEXTS.with_borrow_mut(|known| {
        if let Some(text) = known.get(&key) {
            debug_assert_eq!(**text, RowText::of(code, no, content));
            return text.clone();
        }
        if known.len() >= REMEMBERED_ROWS {
            known.clear();
        }
        let text = std::rc::Rc::new(RowText::of(code, no, content));
        known.insert(key, text.clone());
        text
    })
}

fn classify(
    sheet: &Sheet,
    plan: &Plan,
    row: u32,
    cols: &Columns,
    state: &mut State,
    out: &mut Rows,
) {
    let code = cols
        .code
        .map(|c| code_text(sheet.value(row, c)))
        .unwrap_or_default();
    let no = cols
        .no
        .map(|c| code_text(sheet.value(row, c)))
        .unwrap_or_default();
    let content = cols.content.map(|c| sheet.text(row, c)).unwrap_or_default();
    if code.is_empty() && no.is_empty() && content.is_empty() {
        return;
    }
    let t = row_text(&code, &no, &content, row <= state.kept_until);
    if t.numbering {
        return;
    }
    let filled = |c: Option<u32>| c.is_some_and(|c| !sheet.value(row, c).is_empty());
    let has_score = filled(cols.self_score);
    let has_values = filled(cols.achieved) || has_score || filled(cols.count);
    if code.is_empty() && t.is_note {
        return;
    }
    let total_col = cols.self_score.unwrap_or(0);
    if code.is_empty() && t.is_total && (t.heading.is_none() || has_values) {
        out.totals.push(Total {
            row,
            col: total_col,
            section: state.section.clone(),
            scope: t.scopes[usize::from(state.seen_adjustments)],
        });
        return;
    }
    let known_code =
        !code.is_empty() && (plan.indicator(&code).is_some() || plan.adjustment(&code).is_some());
    if !known_code {
        if let Some(h) = t.heading.filter(|_| !has_values || t.marker.is_some()) {
            state.block = Block::Adjustments(h);
            state.seen_adjustments = true;
            return;
        }
        // Section rows: a mark, or a title in capitals.
        let title_only = !filled(cols.achieved) && t.upper_title && code.is_empty();
        if t.mark.is_some() || title_only {
            let section = plan_section(plan, t.mark.as_deref(), &t.rest);
            if section.is_some() || t.mark.is_some() {
                if section.is_some() {
                    state.block = Block::Indicators;
                }
                state.section = section.clone();
            }
            if has_score && t.mark.is_some() {
                out.totals.push(Total {
                    row,
                    col: total_col,
                    section,
                    scope: TotalScope::Section,
                });
            }
            return;
        }
    }
    out.items.push(Item {
        row,
        columns: *cols,
        code,
        number: t.number.clone(),
        text: t.text.clone(),
        section: state.section.clone(),
        block: state.block,
        has_values,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The byte search for a whole word finds what splitting finds.
        #[test]
        fn holds_word_as_splitting(key in "[ 0-9a]{0,14}", word in "[0-9]{1,3}") {
            let finder = memchr::memmem::Finder::new(word.as_bytes());
            proptest::prop_assert_eq!(holds_word(&key, &finder), key.split(' ').any(|w| w == word));
        }
    }

    /// A row's texts come back as read, for rows whose cells would run
    /// together the same: the code, TT and content are told apart.
    #[test]
    fn row_texts_are_remembered_by_each_cell() {
        let rows = [
            ("I", "", "THỰC HIỆN NHIỆM VỤ"),
            ("", "I", "THỰC HIỆN NHIỆM VỤ"),
            ("", "", "ITHỰC HIỆN NHIỆM VỤ"),
            ("1.1", "", "Tỷ lệ hồ sơ"),
            ("1.", "1", "Tỷ lệ hồ sơ"),
            ("", "1.1", "Tỷ lệ hồ sơ"),
        ];
        for _ in 0..2 {
            for (code, no, content) in rows {
                assert_eq!(
                    *row_text(code, no, content, true),
                    RowText::of(code, no, content)
                );
            }
        }
        assert_ne!(RowText::of("I", "", "x"), RowText::of("", "", "Ix"));
        // A row too long to keep is read all the same, and not kept.
        let long = "Tỷ lệ hồ sơ ".repeat(100);
        let before = ROW_TEXTS.with_borrow(|known| known.len());
        assert_eq!(
            *row_text("1.1", "", &long, true),
            RowText::of("1.1", "", &long)
        );
        assert_eq!(ROW_TEXTS.with_borrow(|known| known.len()), before);
    }

    /// Every committed workbook — the template's, the hand-laid ones
    /// openpyxl wrote, those LibreOffice re-saved as xlsx, xls and ods, the
    /// seeds' units — has its score table found and its rows classified
    /// the same with what this thread remembers as without: read once
    /// each with nothing remembered, then all of them twice over, forward
    /// and backward, each after the others.
    #[test]
    fn what_a_thread_remembers_changes_nothing_on_committed_workbooks() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let plan = crate::plan::load(&root.join("samples/ktkt-2022/ke-hoach.xlsx"))
            .unwrap()
            .plan;
        let mut paths = Vec::new();
        let mut dirs = vec![root.join("samples"), root.join("tests/fixtures")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if crate::commands::is_workbook_name(&path) {
                    paths.push(path);
                }
            }
        }
        paths.sort();
        let books: Vec<(&std::path::PathBuf, Book)> = paths
            .iter()
            .filter_map(|p| Some((p, crate::workbook::open(p).ok()?)))
            .collect();
        assert!(books.len() > 80, "{} workbooks read", books.len());
        let read = |book: &Book, searches: &mut Searches| -> String {
            match find_score_sheet_in(book, &plan, searches) {
                Ok(score) => format!(
                    "{} {} {:?} {:?} {:?} {:?}",
                    score.sheet.name,
                    score.header_row,
                    score.columns,
                    score.adjustments,
                    score.others,
                    rows(&score, &plan)
                ),
                Err(NoScoreSheet::MissingColumns(sheet, row, missing)) => {
                    format!("missing {} {row:?} {missing:?}", sheet.name)
                }
                Err(NoScoreSheet::None) => "none".to_string(),
            }
        };
        // Nothing remembered: a fresh memory, and no row texts kept.
        let fresh: Vec<String> = books
            .iter()
            .map(|(_, book)| {
                ROW_TEXTS.with_borrow_mut(|known| known.clear());
                let mut searches = Searches {
                    year: plan.year,
                    ..Searches::default()
                };
                read(book, &mut searches)
            })
            .collect();
        let mut searches = Searches {
            year: plan.year,
            ..Searches::default()
        };
        let order: Vec<usize> = (0..books.len()).chain((0..books.len()).rev()).collect();
        for i in order {
            let (path, book) = &books[i];
            assert_eq!(read(book, &mut searches), fresh[i], "{}", path.display());
        }
    }

    /// Rows far below a table's header are classified without being kept:
    /// a sheet of pasted rows under the score table adds nothing to what a
    /// thread holds.
    #[test]
    fn rows_far_below_the_header_are_not_kept() {
        use crate::workbook::{Cell, Value};
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("samples/ktkt-2022/ke-hoach.xlsx");
        let plan = crate::plan::load(&path).unwrap().plan;
        let mut sheet = Sheet::new("Tự chấm điểm");
        for row in 1..=KEPT_ROWS_BELOW + 300 {
            let cell = Cell {
                value: Value::Text(format!("ghi chép số {row}")),
                formula: None,
                percent: false,
            };
            sheet.insert(row, 1, cell);
        }
        let score = ScoreSheet {
            sheet: &sheet,
            header_row: 0,
            columns: Columns {
                content: Some(1),
                ..Columns::default()
            },
            adjustments: None,
            others: Vec::new(),
        };
        ROW_TEXTS.with_borrow_mut(|known| known.clear());
        let read = rows(&score, &plan);
        assert_eq!(read.items.len(), (KEPT_ROWS_BELOW + 300) as usize);
        let kept = ROW_TEXTS.with_borrow(|known| known.len());
        assert_eq!(kept, KEPT_ROWS_BELOW as usize);
    }

    #[test]
    fn splits_row_markers() {
        assert_eq!(
            split_marker("I. THỰC HIỆN NHIỆM VỤ"),
            (Some("I".into()), "THỰC HIỆN NHIỆM VỤ".into())
        );
        assert_eq!(
            split_marker("PHẦN II: THI ĐUA"),
            (Some("II".into()), "THI ĐUA".into())
        );
        assert_eq!(
            split_marker("1.2. Tỷ lệ hồ sơ"),
            (Some("1.2".into()), "Tỷ lệ hồ sơ".into())
        );
        assert_eq!(split_marker("Tỷ lệ hồ sơ"), (None, "Tỷ lệ hồ sơ".into()));
        assert_eq!(
            split_marker("B. Điểm thưởng"),
            (Some("B".into()), "Điểm thưởng".into())
        );
    }

    #[test]
    fn year_columns_read_as_this_and_last_year() {
        let f = year_rewrite(2022);
        assert_eq!(f("ket qua nam 2022".into()), "ket qua nam nay");
        assert_eq!(f("ket qua 2021".into()), "ket qua nam truoc");
    }
}
