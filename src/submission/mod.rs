//! A unit's workbook (one per unit and period) read against the plan into a
//! [`Submission`] plus findings. It accepts workbooks `thidua` did not make:
//! re-saved by LibreOffice, rebuilt by hand, with title rows, moved columns,
//! inserted rows, headers without diacritics. Rows are matched to the plan by
//! code, else by their text. Every problem is a finding naming its cell; the
//! reader never stops at the first.

mod cells;
mod layout;
mod matching;
mod other;
mod scores;
mod unit;

pub use other::not_a_submission;

use chrono::NaiveDate;
use serde::Serialize;

use crate::finding::{Code, Finding, a1};
use crate::plan::{Indicator, Plan};
use crate::score::{Achieved, Outcome};
use crate::text::label_key;
use crate::text::target::{Target, parse_target};
use crate::vocab::{
    INFO_SHEET, PROP_FINGERPRINT, PROP_PLAN, REGISTRATION_COLUMNS, REGISTRATION_SHEET, column, info,
};
use crate::workbook::table;
use crate::workbook::{Book, Sheet, Value, key_values};
use cells::Reader;
pub use matching::MatchedBy;

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
    /// The sheet the score table was read from.
    pub score_sheet: Option<String>,
    pub rows: Vec<IndicatorRow>,
    pub adjustments: Vec<AdjustmentRow>,
    pub registered: Vec<Registration>,
    /// Indicators of the plan the workbook has no row for.
    pub missing: Vec<String>,
    /// Bonus/penalty items whose row was found but not read.
    pub adjustments_unread: Vec<String>,
}

/// One indicator row of `Tự chấm điểm`.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorRow {
    /// The plan's indicator code.
    pub code: String,
    /// A1 of the row's self-score cell.
    pub cell: String,
    /// A1 of the row's achieved-value cell.
    pub achieved_cell: String,
    /// How the row was matched to the plan's indicator.
    pub matched: MatchedBy,
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

/// A file opened as a unit's submission: what every command that reads
/// submissions starts from.
pub enum Opened {
    /// Read against the plan; the workbook is kept for an annotated copy.
    Read {
        book: Book,
        submission: Box<Submission>,
        findings: Vec<Finding>,
    },
    /// A plan, review file or output lying among the submissions: left out,
    /// with an info finding.
    Skipped(Finding),
    /// Not readable as a workbook at all: the finding says why.
    Unreadable(Finding),
}

impl Opened {
    /// The submission and findings of a file that was read; the finding of
    /// one that was not (no submission then).
    pub fn into_parts(self) -> (Option<Submission>, Vec<Finding>) {
        match self {
            Opened::Read {
                submission,
                findings,
                ..
            } => (Some(*submission), findings),
            Opened::Skipped(f) | Opened::Unreadable(f) => (None, vec![f]),
        }
    }
}

/// Opens a unit's workbook and reads it against the plan.
pub fn open(path: &std::path::Path, plan: &Plan, expect: &Expect) -> Opened {
    let file = path.display().to_string();
    opened(crate::workbook::open(path), &file, plan, expect)
}

/// Reads a unit's workbook held in memory (a file received at intake).
pub fn open_bytes(bytes: Vec<u8>, file: &str, plan: &Plan, expect: &Expect) -> Opened {
    opened(crate::workbook::read_bytes(bytes), file, plan, expect)
}

fn opened(
    book: Result<Book, crate::workbook::OpenError>,
    file: &str,
    plan: &Plan,
    expect: &Expect,
) -> Opened {
    let book = match book {
        Ok(book) => book,
        Err(e) => return Opened::Unreadable(e.to_finding(file)),
    };
    if let Some(skipped) = not_a_submission(&book, file) {
        return Opened::Skipped(skipped);
    }
    let (submission, findings) = read(&book, file, plan, expect);
    Opened::Read {
        book,
        submission: Box::new(submission),
        findings,
    }
}

/// Reads a file against the plan for the ledger: who, which period, how
/// many problems. A file that is not a workbook has one error and no unit.
pub fn intake_facts(
    plan: &Plan,
    file: &str,
    bytes: Vec<u8>,
    expect: &Expect,
) -> (crate::archive::Facts, Vec<Finding>) {
    let (sub, findings) = open_bytes(bytes, file, plan, expect).into_parts();
    let facts = facts_of(plan, sub.as_ref(), &findings);
    (facts, findings)
}

/// Records the files a crash between storing and recording left without a
/// ledger line (`thidua intake` and `thidua serve` both do it on opening).
pub fn recover_orphans(
    archive: &mut crate::archive::Archive,
    plan: &Plan,
    expect: &Expect,
) -> anyhow::Result<Vec<crate::archive::Entry>> {
    let mut recovered = Vec::new();
    for path in archive.orphans()? {
        let bytes = std::fs::read(&path)?;
        let (facts, _) = intake_facts(plan, &path.display().to_string(), bytes, expect);
        recovered.push(archive.recover(&path, &facts)?);
    }
    Ok(recovered)
}

/// The ledger's facts of a file read (or not) against the plan.
pub fn facts_of(
    plan: &Plan,
    sub: Option<&Submission>,
    findings: &[Finding],
) -> crate::archive::Facts {
    let (unit, period, report_date) = match sub {
        Some(s) => (s.unit.clone(), s.period.clone(), s.report_date),
        None => (None, None, None),
    };
    let deadline = period
        .as_deref()
        .and_then(|p| plan.period(p))
        .and_then(|p| p.deadline);
    crate::archive::Facts {
        plan: plan.code.clone(),
        unit,
        period,
        report_date,
        errors: crate::finding::count(findings, crate::finding::Severity::Error),
        warnings: crate::finding::count(findings, crate::finding::Severity::Warning),
        deadline,
    }
}

/// Reads one unit workbook against the plan.
pub fn read(book: &Book, file: &str, plan: &Plan, expect: &Expect) -> (Submission, Vec<Finding>) {
    let mut r = Reader::new(file);
    let mut sub = Submission {
        file: file.to_string(),
        unit: None,
        period: None,
        report_date: None,
        author: String::new(),
        score_sheet: None,
        rows: Vec::new(),
        adjustments: Vec::new(),
        registered: Vec::new(),
        missing: Vec::new(),
        adjustments_unread: Vec::new(),
    };
    check_properties(&mut r, book, plan);
    check_encoding(&mut r, book);
    match book.sheet(INFO_SHEET) {
        Some(sheet) => read_info(&mut r, sheet, plan, expect, &mut sub),
        None => unit::without_info_sheet(&mut r, book, plan, expect, &mut sub),
    }
    if let Some(sheet) = book.sheet(REGISTRATION_SHEET) {
        read_registration(&mut r, sheet, plan, &mut sub);
    }
    scores::read(&mut r, book, plan, &mut sub);
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
    if let Some(kv) = get(info::PLAN) {
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
    let by_code = get(info::UNIT_CODE).filter(|kv| !kv.value.is_empty());
    let by_name = get(info::UNIT_NAME).filter(|kv| !kv.value.is_empty());
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
    match get(info::PERIOD).filter(|kv| !kv.value.is_empty()) {
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
    if let Some(kv) = get(info::REPORT_DATE) {
        sub.report_date = r.date(sheet, kv.row, kv.col);
    }
    if let Some(kv) = get(info::AUTHOR) {
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
    let (Some(code_col), Some(reg_col)) =
        (t.col_named(column::CODE), t.col_named(column::REGISTERED))
    else {
        return;
    };
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
pub(crate) fn target_in_force(ind: &Indicator, sub: &Submission) -> Target {
    sub.registered
        .iter()
        .find(|reg| reg.code == ind.code)
        .filter(|reg| reg.target.is_weaker_than(&ind.target) == Some(false))
        .map_or_else(|| ind.target.for_unit().clone(), |reg| reg.target.clone())
}
