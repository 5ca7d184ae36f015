//! A unit's workbook (one per unit and period) read against the plan into a
//! [`Submission`] plus findings. It accepts workbooks `thidua` did not make:
//! re-saved by LibreOffice, rebuilt by hand, with title rows, moved columns,
//! inserted rows, headers without diacritics. Rows are matched to the plan by
//! code, else by their text. Every problem is a finding naming its cell; the
//! reader never stops at the first.

mod cells;
mod unit;

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::finding::{Code, Finding, a1};
use crate::plan::{Indicator, Plan, code_key};
use crate::report::template::{PROP_FINGERPRINT, PROP_PLAN};
use crate::score::{Achieved, Outcome, computed_score, outcome, round2};
use crate::text::label_key;
use crate::text::number::format_vi;
use crate::text::target::{Target, parse_target};
use crate::workbook::table::{self, ColumnSpec};
use crate::workbook::{Book, Sheet, Value, key_values};
use cells::Reader;

/// What a unit sent for one period, as read.
#[derive(Debug, Clone, Serialize)]
pub struct Submission {
    pub file: String,
    /// The unit's code in the plan, when recognised.
    pub unit: Option<String>,
    /// The period code, when recognised.
    pub period: Option<String>,
    pub report_date: Option<NaiveDate>,
    pub author: String,
    pub rows: Vec<IndicatorRow>,
    pub adjustments: Vec<AdjustmentRow>,
    pub registered: Vec<Registration>,
}

/// One indicator row of `Tự chấm điểm`.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorRow {
    /// The plan's indicator code.
    pub code: String,
    /// A1 of the row's self-score cell.
    pub cell: String,
    pub achieved: Achieved,
    /// Kết quả năm trước.
    pub baseline: Option<f64>,
    /// Điểm tự chấm; `None` when empty or unreadable.
    pub self_score: Option<f64>,
    /// The target in force: the registered one where stronger, else the plan's.
    pub target: Target,
    pub outcome: Option<Outcome>,
    /// Điểm tính: what the evidence supports (rule-scored indicators).
    pub computed: Option<f64>,
}

/// One bonus or penalty row.
#[derive(Debug, Clone, Serialize)]
pub struct AdjustmentRow {
    pub code: String,
    pub cell: String,
    /// Số lần.
    pub count: f64,
    /// Số lần × Điểm mỗi lần, before the cap.
    pub claimed: f64,
    /// The points that count: claimed, capped at `Tối đa`.
    pub counted: f64,
}

/// A registered target (Chỉ tiêu đăng ký).
#[derive(Debug, Clone, Serialize)]
pub struct Registration {
    pub code: String,
    pub text: String,
    pub target: Target,
}

/// What the caller knows beyond the workbook: the period being checked,
/// and a name that stands for the file's own when the workbook was renamed
/// (an archived copy carries its unit in the ledger, not in its name).
#[derive(Debug, Clone, Copy, Default)]
pub struct Expect<'a> {
    pub period: Option<&'a str>,
    pub name: Option<&'a str>,
}

pub const INFO_SHEET: &[&str] = &["Thông tin", "Thông tin chung"];
pub const REGISTRATION_SHEET: &[&str] = &["Đăng ký chỉ tiêu", "Đăng ký", "Giao ước thi đua"];
pub const SCORE_SHEET: &[&str] = &[
    "Tự chấm điểm",
    "Bảng tự chấm điểm",
    "Tự chấm",
    "Chấm điểm",
    "Báo cáo",
];

const fn col(label: &'static str, aliases: &'static [&'static str], required: bool) -> ColumnSpec {
    ColumnSpec {
        label,
        aliases,
        required,
    }
}

const SCORE_COLUMNS: &[ColumnSpec] = &[
    col("Mã", &["ma", "ma tieu chi", "ma so"], true),
    col(
        "Nội dung",
        &["noi dung", "tieu chi", "noi dung tieu chi", "ten tieu chi"],
        true,
    ),
    col(
        "Kết quả năm trước",
        &["ket qua nam truoc", "nam truoc", "thuc hien nam truoc"],
        false,
    ),
    col(
        "Kết quả thực hiện",
        &[
            "ket qua thuc hien",
            "ket qua",
            "thuc hien",
            "ket qua dat duoc",
        ],
        true,
    ),
    col(
        "Điểm tối đa",
        &["diem toi da", "diem chuan", "diem toi da toi da", "toi da"],
        false,
    ),
    col(
        "Điểm tự chấm",
        &[
            "diem tu cham",
            "tu cham",
            "diem tu cham diem",
            "diem tu danh gia",
        ],
        true,
    ),
    col("Chỉ tiêu", &["chi tieu"], false),
    col("STT", &["stt", "tt", "so thu tu"], false),
];
const MA: usize = 0;
const NOI_DUNG: usize = 1;
const BASELINE: usize = 2;
const ACHIEVED: usize = 3;
const SELF_SCORE: usize = 5;
const STT: usize = 7;

const ADJUSTMENT_COLUMNS: &[ColumnSpec] = &[
    col("Mã", &["ma"], true),
    col("Nội dung", &["noi dung"], false),
    col("Số lần", &["so lan", "so lan vu viec", "so vu"], true),
];

const REGISTRATION_COLUMNS: &[ColumnSpec] = &[
    col("Mã", &["ma", "ma tieu chi"], true),
    col(
        "Chỉ tiêu đăng ký",
        &["chi tieu dang ky", "dang ky", "chi tieu don vi dang ky"],
        true,
    ),
    col("Nội dung", &["noi dung"], false),
];

/// Reads one unit workbook against the plan.
pub fn read(book: &Book, file: &str, plan: &Plan, expect: &Expect) -> (Submission, Vec<Finding>) {
    let mut r = Reader::new(file);
    let mut sub = Submission {
        file: file.to_string(),
        unit: None,
        period: None,
        report_date: None,
        author: String::new(),
        rows: Vec::new(),
        adjustments: Vec::new(),
        registered: Vec::new(),
    };
    check_properties(&mut r, book, plan);
    check_encoding(&mut r, book);
    match book.sheet(INFO_SHEET) {
        Some(sheet) => read_info(&mut r, sheet, plan, expect, &mut sub),
        None => unit::from_file_name(&mut r, plan, expect, &mut sub),
    }
    if let Some(sheet) = book.sheet(REGISTRATION_SHEET) {
        read_registration(&mut r, sheet, plan, &mut sub);
    }
    match book.sheet(SCORE_SHEET) {
        Some(sheet) => read_scores(&mut r, sheet, plan, &mut sub),
        None => r.push(r.finding(Code::MissingSheet).expected(SCORE_SHEET[0])),
    }
    (sub, r.findings)
}

/// Reports the first cell whose text looks typed in a legacy font encoding
/// (TCVN3, VNI): names and contents would then match nothing, silently.
fn check_encoding(r: &mut Reader, book: &Book) {
    for sheet in &book.sheets {
        for ((row, col), cell) in sheet.cells() {
            if let Value::Text(t) = &cell.value
                && !t.is_ascii()
                && let Some(encoding) = crate::text::words::legacy_encoding(t)
            {
                let shown: String = t.chars().take(40).collect();
                r.push(
                    r.finding(Code::LegacyEncoding)
                        .at(&sheet.name, row, col)
                        .found(shown)
                        .expected(encoding),
                );
                return;
            }
        }
    }
}

fn check_properties(r: &mut Reader, book: &Book, plan: &Plan) {
    if let Some(code) = book.properties.get(PROP_PLAN)
        && label_key(code) != label_key(&plan.code)
    {
        r.push(
            r.finding(Code::WrongPlan)
                .found(code.clone())
                .expected(plan.code.clone()),
        );
        return;
    }
    if let Some(print) = book.properties.get(PROP_FINGERPRINT) {
        let current = plan.fingerprint();
        if *print != current {
            r.push(
                r.finding(Code::TemplateVersion)
                    .found(print.clone())
                    .expected(current),
            );
        }
    }
}

fn read_info(r: &mut Reader, sheet: &Sheet, plan: &Plan, expect: &Expect, sub: &mut Submission) {
    let pairs = key_values(sheet);
    let get = |keys: &[&str]| pairs.iter().find(|kv| keys.contains(&kv.key.as_str()));
    if let Some(kv) = get(&["ma ke hoach"]) {
        let code = kv.value.text();
        if !code.is_empty() && label_key(&code) != label_key(&plan.code) {
            r.push(
                r.finding(Code::WrongPlan)
                    .at(&sheet.name, kv.row, kv.col)
                    .found(code)
                    .expected(plan.code.clone()),
            );
        }
    }
    let by_code = get(&["ma don vi"]).filter(|kv| !kv.value.is_empty());
    let by_name = get(&["ten don vi", "don vi"]).filter(|kv| !kv.value.is_empty());
    let unit = by_code
        .and_then(|kv| plan.unit_by_any_name(&crate::plan::code_text(kv.value)))
        .or_else(|| by_name.and_then(|kv| plan.unit_by_any_name(&kv.value.text())));
    match (unit, by_code.or(by_name)) {
        (Some(u), _) => sub.unit = Some(u.code.clone()),
        (None, Some(kv)) => {
            let text = kv.value.text();
            r.push(
                r.finding(Code::UnknownUnit)
                    .at(&sheet.name, kv.row, kv.col)
                    .found(text.clone())
                    .expected(unit::suggest(plan, &text)),
            );
        }
        (None, None) => r.push(
            r.finding(Code::MissingInfo)
                .sheet(&sheet.name)
                .expected("Mã đơn vị"),
        ),
    }
    match get(&["ky bao cao", "ky"]).filter(|kv| !kv.value.is_empty()) {
        Some(kv) => {
            let text = kv.value.text();
            match plan.period(&text) {
                Some(p) => {
                    sub.period = Some(p.code.clone());
                    if let Some(wanted) = expect.period.and_then(|w| plan.period(w))
                        && wanted.code != p.code
                    {
                        r.push(
                            r.finding(Code::PeriodMismatch)
                                .at(&sheet.name, kv.row, kv.col)
                                .found(p.code.clone())
                                .expected(wanted.code.clone()),
                        );
                    }
                }
                None => r.push(
                    r.finding(Code::UnknownPeriod)
                        .at(&sheet.name, kv.row, kv.col)
                        .found(text)
                        .expected(unit::period_list(plan)),
                ),
            }
        }
        None => {
            sub.period = unit::default_period(plan, expect);
        }
    }
    if let Some(kv) = get(&["ngay bao cao", "ngay lap", "ngay"]) {
        sub.report_date = r.date(sheet, kv.row, kv.col);
    }
    if let Some(kv) = get(&["nguoi lap", "nguoi bao cao"]) {
        sub.author = kv.value.text();
    }
}

fn read_registration(r: &mut Reader, sheet: &Sheet, plan: &Plan, sub: &mut Submission) {
    let Some(t) = table::find(sheet, REGISTRATION_COLUMNS, 0) else {
        return;
    };
    if !t.missing.is_empty() {
        for label in &t.missing {
            r.push(
                r.finding(Code::MissingColumn)
                    .sheet(&sheet.name)
                    .cell(a1(t.header_row, 0))
                    .expected(*label),
            );
        }
        return;
    }
    let (code_col, reg_col) = (t.col(0).unwrap_or(0), t.col(1).unwrap_or(0));
    for row in t.header_row + 1..=sheet.last_row().unwrap_or(0) {
        let code = crate::plan::code_text(sheet.value(row, code_col));
        let text = sheet.text(row, reg_col);
        if code.is_empty() || text.is_empty() {
            continue;
        }
        let Some(ind) = plan.indicator(&code) else {
            continue;
        };
        match parse_target(&text) {
            Ok(target) => {
                if target.is_weaker_than(&ind.target) == Some(true) {
                    r.push(
                        r.finding(Code::WeakerTarget)
                            .at(&sheet.name, row, reg_col)
                            .indicator(&ind.code)
                            .found(text.clone())
                            .expected(ind.target_text.clone()),
                    );
                }
                sub.registered.push(Registration {
                    code: ind.code.clone(),
                    text,
                    target,
                });
            }
            Err(_) => r.push(
                r.finding(Code::UnreadableTarget)
                    .at(&sheet.name, row, reg_col)
                    .indicator(&ind.code)
                    .found(text),
            ),
        }
    }
}

/// The target that applies to a unit: its registered one where that is
/// stronger than the plan's, else the plan's.
fn target_in_force(ind: &Indicator, sub: &Submission) -> Target {
    sub.registered
        .iter()
        .find(|reg| reg.code == ind.code)
        .filter(|reg| reg.target.is_weaker_than(&ind.target) == Some(false))
        .map_or_else(|| ind.target.clone(), |reg| reg.target.clone())
}

fn read_scores(r: &mut Reader, sheet: &Sheet, plan: &Plan, sub: &mut Submission) {
    let Some(t) = table::find(sheet, SCORE_COLUMNS, 0) else {
        for spec in SCORE_COLUMNS.iter().filter(|s| s.required) {
            r.push(
                r.finding(Code::MissingColumn)
                    .sheet(&sheet.name)
                    .expected(spec.label),
            );
        }
        return;
    };
    for label in &t.missing {
        r.push(
            r.finding(Code::MissingColumn)
                .sheet(&sheet.name)
                .cell(a1(t.header_row, 0))
                .expected(*label),
        );
    }
    if !t.missing.is_empty() {
        return;
    }
    let adjustments = table::find_within(sheet, ADJUSTMENT_COLUMNS, t.header_row + 1, u32::MAX)
        .filter(|a| a.missing.is_empty());
    let last = sheet.last_row().unwrap_or(0);
    let end = adjustments
        .as_ref()
        .map_or(last, |a| a.header_row.saturating_sub(1));
    let c = |i: usize| t.col(i).unwrap_or(0);
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut score_sum = 0.0;
    let mut total_rows = Vec::new();
    for row in t.header_row + 1..=end {
        let code = crate::plan::code_text(sheet.value(row, c(MA)));
        let content = sheet.text(row, c(NOI_DUNG));
        if code.is_empty() && content.is_empty() {
            continue;
        }
        let content_key = label_key(&content);
        if code.is_empty() && content_key.starts_with("ghi chu") {
            continue;
        }
        if code.is_empty() && crate::text::words::is_total_label(&content_key) {
            total_rows.push(row);
            continue;
        }
        let is_section = plan.sections.iter().any(|s| {
            label_key(&s.id) == label_key(&code)
                || (!content_key.is_empty() && label_key(&s.title) == content_key)
                || t.col(STT).is_some_and(|stt| {
                    label_key(&sheet.text(row, stt)) == label_key(&s.id) && code.is_empty()
                })
        });
        if is_section || (code.is_empty() && row_is_heading(sheet, row, &t)) {
            continue;
        }
        if !code.is_empty() && plan.adjustment(&code).is_some() {
            continue;
        }
        let ind = match plan.indicator(&code) {
            Some(ind) => ind,
            None => match unit::match_by_name(plan, &content) {
                Some(ind) => {
                    let shown = if code.is_empty() {
                        content.clone()
                    } else {
                        code.clone()
                    };
                    r.push(
                        r.finding(Code::MatchedByName)
                            .at(
                                &sheet.name,
                                row,
                                c(if code.is_empty() { NOI_DUNG } else { MA }),
                            )
                            .indicator(&ind.code)
                            .found(shown)
                            .expected(format!("{} {}", ind.code, ind.content)),
                    );
                    ind
                }
                None => {
                    let shown = if code.is_empty() {
                        content.clone()
                    } else {
                        code.clone()
                    };
                    r.push(
                        r.finding(Code::UnknownRow)
                            .at(
                                &sheet.name,
                                row,
                                c(if code.is_empty() { NOI_DUNG } else { MA }),
                            )
                            .found(shown)
                            .expected(unit::suggest_indicator(plan, &content)),
                    );
                    continue;
                }
            },
        };
        let here = a1(row, c(MA));
        if let Some(first) = seen.get(&code_key(&ind.code)) {
            r.push(
                r.finding(Code::DuplicateRow)
                    .at(&sheet.name, row, c(MA))
                    .indicator(&ind.code)
                    .found(ind.code.clone())
                    .expected(first.clone()),
            );
            continue;
        }
        seen.insert(code_key(&ind.code), here);
        let target = target_in_force(ind, sub);
        let achieved = r.achieved(sheet, row, c(ACHIEVED), ind, &target);
        let baseline = if target.needs_baseline() && achieved != Achieved::NotAssigned {
            match t.col(BASELINE) {
                Some(bc) => r.baseline(sheet, row, bc, ind),
                None => {
                    r.push(
                        r.finding(Code::MissingBaseline)
                            .sheet(&sheet.name)
                            .cell(a1(row, c(ACHIEVED)))
                            .indicator(&ind.code),
                    );
                    None
                }
            }
        } else {
            None
        };
        let not_assigned = achieved == Achieved::NotAssigned;
        let self_score = r.score(sheet, row, c(SELF_SCORE), ind, not_assigned);
        if let Some(s) = self_score {
            score_sum += s;
        }
        let result = outcome(&target, &achieved, baseline);
        let computed = computed_score(ind, &target, &achieved, baseline);
        if let (Some(own), Some(supported)) = (self_score, computed)
            && own > supported + 1e-9
        {
            r.push(
                r.finding(Code::OverClaimed)
                    .at(&sheet.name, row, c(SELF_SCORE))
                    .indicator(&ind.code)
                    .found(format_vi(own))
                    .expected(format_vi(supported)),
            );
        }
        sub.rows.push(IndicatorRow {
            code: ind.code.clone(),
            cell: a1(row, c(SELF_SCORE)),
            achieved,
            baseline,
            self_score,
            target,
            outcome: result,
            computed,
        });
    }
    for ind in &plan.indicators {
        if !seen.contains_key(&code_key(&ind.code)) {
            r.push(
                r.finding(Code::MissingRow)
                    .sheet(&sheet.name)
                    .indicator(&ind.code)
                    .expected(format!("{} {}", ind.code, ind.content)),
            );
        }
    }
    check_totals(r, sheet, &total_rows, c(SELF_SCORE), round2(score_sum));
    match adjustments {
        Some(a) => read_adjustments(r, sheet, plan, &a, sub),
        None if !plan.adjustments.is_empty() => r.push(
            r.finding(Code::MissingColumn)
                .sheet(&sheet.name)
                .expected("Số lần"),
        ),
        None => {}
    }
}

/// A row with text but no code and no values: a heading the unit added.
fn row_is_heading(sheet: &Sheet, row: u32, t: &table::Table) -> bool {
    [ACHIEVED, SELF_SCORE]
        .iter()
        .filter_map(|i| t.col(*i))
        .all(|col| sheet.value(row, col).is_empty())
}

/// Checks the typed total rows (`Cộng điểm tiêu chí`) against the sum of the
/// self scores read; the sum is what counts.
fn check_totals(r: &mut Reader, sheet: &Sheet, rows: &[u32], col: u32, sum: f64) {
    for &row in rows {
        let value = sheet.value(row, col);
        let formula = if value.is_empty() {
            sheet.formula_at(row, col)
        } else {
            None
        };
        match (value, formula) {
            (Value::Empty, Some(formula)) => r.push(
                r.finding(Code::FormulaNoValue)
                    .at(&sheet.name, row, col)
                    .found(formula)
                    .expected(format_vi(sum)),
            ),
            (Value::Number(typed), _) if (typed - sum).abs() > 0.005 => r.push(
                r.finding(Code::TotalMismatch)
                    .at(&sheet.name, row, col)
                    .found(format_vi(*typed))
                    .expected(format_vi(sum)),
            ),
            (Value::Text(text), _) => {
                if let Some(n) = crate::text::number::parse_number(text)
                    && (n.value - sum).abs() > 0.005
                {
                    r.push(
                        r.finding(Code::TotalMismatch)
                            .at(&sheet.name, row, col)
                            .found(text.clone())
                            .expected(format_vi(sum)),
                    );
                }
            }
            _ => {}
        }
    }
}

fn read_adjustments(
    r: &mut Reader,
    sheet: &Sheet,
    plan: &Plan,
    t: &table::Table,
    sub: &mut Submission,
) {
    let (code_col, count_col) = (t.col(0).unwrap_or(0), t.col(2).unwrap_or(0));
    let name_col = t.col(1);
    for row in t.header_row + 1..=sheet.last_row().unwrap_or(0) {
        let code = crate::plan::code_text(sheet.value(row, code_col));
        let name = name_col.map(|c| sheet.text(row, c)).unwrap_or_default();
        if code.is_empty() && name.is_empty() {
            continue;
        }
        let adj = match plan.adjustment(&code) {
            Some(a) => a,
            None => {
                let key = label_key(&name);
                match plan
                    .adjustments
                    .iter()
                    .find(|a| !key.is_empty() && label_key(&a.content) == key)
                {
                    Some(a) => a,
                    None => continue,
                }
            }
        };
        let count = r.count(sheet, row, count_col, &adj.code).unwrap_or(0.0);
        let claimed = round2(count * adj.points_each);
        let counted = adj.cap.map_or(claimed, |cap| claimed.min(cap));
        if claimed > counted + 1e-9 {
            r.push(
                r.finding(Code::OverCap)
                    .at(&sheet.name, row, count_col)
                    .indicator(&adj.code)
                    .found(format_vi(claimed))
                    .expected(format_vi(counted)),
            );
        }
        sub.adjustments.push(AdjustmentRow {
            code: adj.code.clone(),
            cell: a1(row, count_col),
            count,
            claimed,
            counted,
        });
    }
}
