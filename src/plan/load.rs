//! Loading the plan workbook: each sheet (`vocab::plan`) read through the
//! header finder, every problem recorded as a finding with its cell.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;

use super::{
    Adjustment, AdjustmentKind, Award, GradeThreshold, Period, Plan, Quota, ScoreSource, TieBreak,
    Unit, code_key,
};
use crate::finding::{Code, Finding, a1};
use crate::text::number::{format_date, format_vi};
use crate::text::words::{Grade, parse_done, parse_grade};
use crate::text::{clean, label_key};
use crate::vocab::plan::{
    ADJUSTMENT_COLUMNS, ADJUSTMENTS_SHEET, AWARD_COLUMNS, AWARDS_SHEET, GRADE_COLUMNS,
    GRADES_SHEET, INDICATORS_SHEET, INFO_SHEET, PERIOD_COLUMNS, PERIODS_SHEET, UNIT_COLUMNS,
    UNITS_SHEET, adjustment, award, grade, period, unit,
};
use crate::workbook::table::{self, ColumnSpec};
use crate::workbook::{Book, NumberCell, OpenError, Sheet, Value, key_values};

/// A plan as loaded, with everything wrong in it.
#[derive(Debug, Clone)]
pub struct PlanLoad {
    pub plan: Plan,
    pub findings: Vec<Finding>,
}

impl PlanLoad {
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(Finding::is_error)
    }
}

/// Opens and loads a plan workbook. `Err` only when the file cannot be read
/// as a workbook at all.
pub fn load(path: &Path) -> Result<PlanLoad, OpenError> {
    let book = crate::workbook::open(path)?;
    Ok(load_book(&book, &path.display().to_string()))
}

/// Reads one plan workbook already open.
pub fn load_book(book: &Book, file: &str) -> PlanLoad {
    let mut ctx = Ctx {
        file,
        findings: Vec::new(),
    };
    let mut plan = Plan {
        code: String::new(),
        bloc: String::new(),
        year: None,
        scale: 100.0,
        leader: None,
        tie_break: Vec::new(),
        score_order: vec![
            ScoreSource::Reviewed,
            ScoreSource::Computed,
            ScoreSource::SelfScore,
        ],
        units: Vec::new(),
        sections: Vec::new(),
        indicators: Vec::new(),
        adjustments: Vec::new(),
        periods: Vec::new(),
        grades: Vec::new(),
        awards: Vec::new(),
        unit_index: Default::default(),
        fingerprint_cache: Default::default(),
        code_index: Default::default(),
    };
    if let Some(sheet) = ctx.sheet(book, INFO_SHEET) {
        read_info(&mut ctx, sheet, &mut plan);
    }
    if let Some(sheet) = ctx.sheet(book, UNITS_SHEET) {
        read_units(&mut ctx, sheet, &mut plan);
    }
    if let Some(sheet) = ctx.sheet(book, INDICATORS_SHEET) {
        super::indicators::read_indicators(&mut ctx, sheet, &mut plan);
    }
    if let Some(sheet) = book.sheet(ADJUSTMENTS_SHEET) {
        read_adjustments(&mut ctx, sheet, &mut plan);
    }
    if let Some(sheet) = ctx.sheet(book, PERIODS_SHEET) {
        read_periods(&mut ctx, sheet, &mut plan);
    }
    if let Some(sheet) = ctx.sheet(book, GRADES_SHEET) {
        read_grades(&mut ctx, sheet, &mut plan);
    }
    if let Some(sheet) = book.sheet(AWARDS_SHEET) {
        read_awards(&mut ctx, sheet, &mut plan);
    }
    cross_checks(&mut ctx, &plan);
    PlanLoad {
        plan,
        findings: ctx.findings,
    }
}

pub(super) struct Ctx<'a> {
    file: &'a str,
    findings: Vec<Finding>,
}

impl Ctx<'_> {
    pub(super) fn finding(&self, code: Code) -> Finding {
        Finding::new(code, self.file)
    }

    pub(super) fn push(&mut self, f: Finding) {
        self.findings.push(f);
    }

    fn sheet<'b>(&mut self, book: &'b Book, names: &[&str]) -> Option<&'b Sheet> {
        let found = book.sheet(names);
        if found.is_none() {
            let f = self.finding(Code::MissingSheet).expected(names[0]);
            self.push(f);
        }
        found
    }

    /// Finds a table; reports missing columns (or the whole header) once.
    pub(super) fn table(&mut self, sheet: &Sheet, spec: &[ColumnSpec]) -> Option<table::Table> {
        match table::find(sheet, spec, 0) {
            Some(t) => {
                for label in &t.missing {
                    let f = self
                        .finding(Code::MissingColumn)
                        .sheet(&sheet.name)
                        .cell(a1(t.header_row, 0))
                        .expected(*label);
                    self.push(f);
                }
                t.missing.is_empty().then_some(t)
            }
            None => {
                for s in spec.iter().filter(|s| s.required) {
                    let f = self
                        .finding(Code::MissingColumn)
                        .sheet(&sheet.name)
                        .expected(s.label);
                    self.push(f);
                }
                None
            }
        }
    }

    /// Reads a number cell; text numbers are accepted silently in the plan
    /// (the leader wrote them), anything else is a `bad-number` finding.
    pub(super) fn number(&mut self, sheet: &Sheet, row: u32, col: u32, what: &str) -> Option<f64> {
        let value = sheet.value(row, col);
        match value.as_number() {
            NumberCell::Number(n) => Some(n),
            NumberCell::Text(t) if !t.percent => Some(t.value),
            NumberCell::Empty => None,
            _ => {
                let f = self
                    .finding(Code::BadNumber)
                    .at(&sheet.name, row, col)
                    .found(value.display())
                    .expected(what.to_string());
                self.push(f);
                None
            }
        }
    }

    fn date(&mut self, sheet: &Sheet, row: u32, col: u32) -> Option<NaiveDate> {
        let value = sheet.value(row, col);
        let date = value.as_date();
        if date.is_none() && !value.is_empty() {
            let f = self
                .finding(Code::BadDate)
                .at(&sheet.name, row, col)
                .found(value.display());
            self.push(f);
        }
        date
    }
}

/// Text of a code cell. Excel turns a typed `1.2` into the number 1.2; it
/// is read back with a dot, the way codes are written.
pub fn code_text(value: &Value) -> String {
    match value {
        Value::Number(n) => {
            let s = format!("{n}");
            s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
        }
        other => clean(&other.text()),
    }
}

fn read_info(ctx: &mut Ctx, sheet: &Sheet, plan: &mut Plan) {
    let pairs = key_values(sheet);
    let get = |keys: &[&str]| pairs.iter().find(|kv| keys.contains(&kv.key.as_str()));
    match get(&["ma ke hoach", "ma"]) {
        Some(kv) if !kv.value.is_empty() => plan.code = clean(&kv.value.text()),
        _ => {
            let f = ctx
                .finding(Code::MissingInfo)
                .sheet(&sheet.name)
                .expected(crate::vocab::plan::PLAN_CODE);
            ctx.push(f);
        }
    }
    if let Some(kv) = get(&["ten khoi", "khoi", "ten khoi thi dua"]) {
        plan.bloc = clean(&kv.value.text());
    }
    if let Some(kv) = get(&["nam"]) {
        plan.year = ctx
            .number(sheet, kv.row, kv.col, "năm / year")
            .map(|y| y as i32);
    }
    match get(&["thang diem"]) {
        Some(kv) => {
            if let Some(scale) = ctx.number(sheet, kv.row, kv.col, "> 0") {
                if scale > 0.0 {
                    plan.scale = scale;
                } else {
                    let f = ctx
                        .finding(Code::BadNumber)
                        .at(&sheet.name, kv.row, kv.col)
                        .found(format_vi(scale))
                        .expected("> 0");
                    ctx.push(f);
                }
            }
        }
        None => {
            let f = ctx
                .finding(Code::MissingInfo)
                .sheet(&sheet.name)
                .expected("Thang điểm");
            ctx.push(f);
        }
    }
    if let Some(kv) = get(&["khoi truong", "don vi khoi truong"]) {
        let text = clean(&kv.value.text());
        if !text.is_empty() {
            plan.leader = Some(text);
        }
    }
    if let Some(kv) = get(&["tieu chi phu", "tieu chi phu xep hang"]) {
        let text = kv.value.text();
        for part in text
            .split([';', ',', '\n'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let key = label_key(part);
            let tie = if let Some(id) = key.strip_prefix("muc ") {
                Some(TieBreak::Section(id.to_uppercase()))
            } else {
                match key.as_str() {
                    "diem tru" | "it diem tru" => Some(TieBreak::Penalty),
                    "diem thuong" | "nhieu diem thuong" => Some(TieBreak::Bonus),
                    _ => None,
                }
            };
            match tie {
                Some(t) => plan.tie_break.push(t),
                None => {
                    let f = ctx
                        .finding(Code::UnknownTieBreak)
                        .at(&sheet.name, kv.row, kv.col)
                        .found(part)
                        .expected("Mục I; Điểm trừ; Điểm thưởng");
                    ctx.push(f);
                }
            }
        }
    }
    if let Some(kv) = get(&["thu tu diem"]) {
        let text = kv.value.text();
        let mut order = Vec::new();
        for part in text
            .split([';', ',', '>', '\n'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let source = match label_key(part).as_str() {
                "tham dinh" | "diem tham dinh" | "khoi cham" | "diem khoi cham" => {
                    Some(ScoreSource::Reviewed)
                }
                "tinh" | "diem tinh" | "tinh toan" => Some(ScoreSource::Computed),
                "tu cham" | "diem tu cham" => Some(ScoreSource::SelfScore),
                _ => None,
            };
            match source {
                Some(s) if !order.contains(&s) => order.push(s),
                Some(_) => {}
                None => {
                    let f = ctx
                        .finding(Code::UnknownScoreSource)
                        .at(&sheet.name, kv.row, kv.col)
                        .found(part)
                        .expected("Thẩm định; Tính; Tự chấm");
                    ctx.push(f);
                }
            }
        }
        if !order.is_empty() {
            plan.score_order = order;
        }
    }
}

fn read_units(ctx: &mut Ctx, sheet: &Sheet, plan: &mut Plan) {
    let Some(t) = ctx.table(sheet, UNIT_COLUMNS) else {
        return;
    };
    let last = sheet.last_row().unwrap_or(0);
    let mut seen: HashMap<String, u32> = HashMap::new();
    for row in t.header_row + 1..=last {
        let code = t
            .col_named(unit::CODE)
            .map(|c| code_text(sheet.value(row, c)))
            .unwrap_or_default();
        let name = t
            .col_named(unit::NAME)
            .map(|c| sheet.text(row, c))
            .unwrap_or_default();
        if code.is_empty() && name.is_empty() {
            continue;
        }
        if code.is_empty() {
            let f = ctx
                .finding(Code::MissingCode)
                .at(&sheet.name, row, t.col_named(unit::CODE).unwrap_or(0))
                .found(name);
            ctx.push(f);
            continue;
        }
        if let Some(first) = seen.insert(label_key(&code), row) {
            let f = ctx
                .finding(Code::DuplicateUnit)
                .at(&sheet.name, row, t.col_named(unit::CODE).unwrap_or(0))
                .found(code.clone())
                .expected(a1(first, t.col_named(unit::CODE).unwrap_or(0)));
            ctx.push(f);
            continue;
        }
        let headcount = t
            .col_named(unit::HEADCOUNT)
            .and_then(|c| ctx.number(sheet, row, c, "số người / headcount"));
        let aliases = t
            .col_named(unit::ALIASES)
            .map(|c| sheet.text(row, c))
            .unwrap_or_default()
            .split(';')
            .map(clean)
            .filter(|a| !a.is_empty())
            .collect();
        plan.units.push(Unit {
            code,
            name,
            headcount,
            aliases,
        });
    }
}

fn read_adjustments(ctx: &mut Ctx, sheet: &Sheet, plan: &mut Plan) {
    let Some(t) = ctx.table(sheet, ADJUSTMENT_COLUMNS) else {
        return;
    };
    let last = sheet.last_row().unwrap_or(0);
    for row in t.header_row + 1..=last {
        let code_col = t.col_named(adjustment::CODE).unwrap_or(0);
        let code = code_text(sheet.value(row, code_col));
        let content = t
            .col_named(adjustment::CONTENT)
            .map(|c| sheet.text(row, c))
            .unwrap_or_default();
        if code.is_empty() {
            if !content.is_empty() && !label_key(&content).starts_with("ghi chu") {
                let f = ctx
                    .finding(Code::MissingCode)
                    .at(&sheet.name, row, code_col)
                    .found(content);
                ctx.push(f);
            }
            continue;
        }
        // The plan is still being read: its code index is not built yet.
        let key = code_key(&code);
        let taken = plan.indicators.iter().any(|i| code_key(&i.code) == key)
            || plan.adjustments.iter().any(|a| code_key(&a.code) == key);
        if taken {
            let f = ctx
                .finding(Code::DuplicateCode)
                .at(&sheet.name, row, code_col)
                .found(code);
            ctx.push(f);
            continue;
        }
        let kind_col = t.col_named(adjustment::KIND).unwrap_or(0);
        let kind_text = sheet.text(row, kind_col);
        let kind = match label_key(&kind_text).as_str() {
            "thuong" | "cong" | "diem thuong" | "cong diem" => AdjustmentKind::Bonus,
            "tru" | "diem tru" | "tru diem" => AdjustmentKind::Penalty,
            _ => {
                let f = ctx
                    .finding(Code::UnknownRule)
                    .at(&sheet.name, row, kind_col)
                    .indicator(&code)
                    .found(kind_text)
                    .expected("Thưởng, Trừ");
                ctx.push(f);
                continue;
            }
        };
        let points_col = t.col_named(adjustment::POINTS_EACH).unwrap_or(0);
        let points_each = ctx
            .number(sheet, row, points_col, "điểm / points")
            .map(f64::abs)
            .unwrap_or(0.0);
        let cap = t
            .col_named(adjustment::CAP)
            .and_then(|c| ctx.number(sheet, row, c, "điểm / points"))
            .map(f64::abs);
        let bars_award = t
            .col_named(adjustment::BARS_AWARD)
            .is_some_and(|c| parse_done(&sheet.text(row, c)) == Some(true));
        plan.adjustments.push(Adjustment {
            code,
            content,
            kind,
            points_each,
            cap,
            bars_award,
        });
    }
}

fn read_periods(ctx: &mut Ctx, sheet: &Sheet, plan: &mut Plan) {
    let Some(t) = ctx.table(sheet, PERIOD_COLUMNS) else {
        return;
    };
    let last = sheet.last_row().unwrap_or(0);
    for row in t.header_row + 1..=last {
        let code = t
            .col_named(period::CODE)
            .map(|c| code_text(sheet.value(row, c)))
            .unwrap_or_default();
        if code.is_empty() {
            continue;
        }
        let name = t
            .col_named(period::NAME)
            .map(|c| sheet.text(row, c))
            .unwrap_or_default();
        let from = t
            .col_named(period::FROM)
            .and_then(|c| ctx.date(sheet, row, c));
        let to = t
            .col_named(period::TO)
            .and_then(|c| ctx.date(sheet, row, c));
        let deadline_col = t.col_named(period::DEADLINE).unwrap_or(0);
        // A deadline in words says whether its day counts.
        let written = sheet.value(row, deadline_col);
        let worded = match written {
            Value::Text(text) => {
                super::period::parse_deadline(text).map(|(d, _)| (d, text.clone()))
            }
            _ => None,
        };
        let (deadline, deadline_text) = match worded {
            Some((d, text)) if text.chars().any(char::is_alphabetic) => (Some(d), clean(&text)),
            Some((d, _)) => (Some(d), String::new()),
            None => (ctx.date(sheet, row, deadline_col), String::new()),
        };
        // A year-end report or award dossier may be due after the year (seed
        // 004: before 15/01 of the next); a quarter's after its next one is
        // a slip.
        if let (Some(d), Some(f), Some(to)) = (deadline, from, to)
            && (d < f || (d - to).num_days() > 92)
        {
            let finding = ctx
                .finding(Code::DeadlineOutsidePeriod)
                .at(&sheet.name, row, deadline_col)
                .found(format_date(d))
                .expected(format!("{} – {}", format_date(f), format_date(to)));
            ctx.push(finding);
        }
        if plan.period(&code).is_some() {
            let f = ctx
                .finding(Code::DuplicateCode)
                .at(&sheet.name, row, t.col_named(period::CODE).unwrap_or(0))
                .found(code);
            ctx.push(f);
            continue;
        }
        plan.periods.push(Period {
            code,
            name,
            from,
            to,
            deadline,
            deadline_text,
        });
    }
}

/// Reads a grade name as the plan writes it (`Hoàn thành xuất sắc`).
fn grade_cell(ctx: &mut Ctx, sheet: &Sheet, row: u32, col: u32) -> Option<Grade> {
    let text = sheet.text(row, col);
    if text.is_empty() {
        return None;
    }
    let grade = parse_grade(&text);
    if grade.is_none() {
        let f = ctx
            .finding(Code::UnknownGrade)
            .at(&sheet.name, row, col)
            .found(text)
            .expected(
                Grade::ALL
                    .iter()
                    .map(|g| g.name_vi())
                    .collect::<Vec<_>>()
                    .join(", "),
            );
        ctx.push(f);
    }
    grade
}

fn read_grades(ctx: &mut Ctx, sheet: &Sheet, plan: &mut Plan) {
    let Some(t) = ctx.table(sheet, GRADE_COLUMNS) else {
        return;
    };
    let last = sheet.last_row().unwrap_or(0);
    for row in t.header_row + 1..=last {
        let grade_col = t.col_named(grade::GRADE).unwrap_or(0);
        if sheet.value(row, grade_col).is_empty() {
            continue;
        }
        let Some(grade) = grade_cell(ctx, sheet, row, grade_col) else {
            continue;
        };
        let min = t
            .col_named(grade::MIN)
            .and_then(|c| ctx.number(sheet, row, c, "điểm / points"))
            .unwrap_or(0.0);
        plan.grades.push(GradeThreshold { grade, min });
    }
    plan.grades.sort_by(|a, b| b.min.total_cmp(&a.min));
}

fn read_awards(ctx: &mut Ctx, sheet: &Sheet, plan: &mut Plan) {
    let Some(t) = ctx.table(sheet, AWARD_COLUMNS) else {
        return;
    };
    let last = sheet.last_row().unwrap_or(0);
    for row in t.header_row + 1..=last {
        let name = t
            .col_named(award::NAME)
            .map(|c| sheet.text(row, c))
            .unwrap_or_default();
        if name.is_empty() {
            continue;
        }
        let quota_col = t.col_named(award::QUOTA).unwrap_or(0);
        let quota = match sheet.value(row, quota_col).as_number() {
            NumberCell::Number(n) if n >= 0.0 => Quota::Count(n as u32),
            NumberCell::Text(n) if n.percent && n.value >= 0.0 => Quota::Share(n.value),
            NumberCell::Text(n) if n.value >= 0.0 => Quota::Count(n.value as u32),
            _ => {
                let f = ctx
                    .finding(Code::BadNumber)
                    .at(&sheet.name, row, quota_col)
                    .found(sheet.value(row, quota_col).display())
                    .expected("1, 2 … hoặc 20%");
                ctx.push(f);
                continue;
            }
        };
        let min_grade = t
            .col_named(award::MIN_GRADE)
            .and_then(|c| grade_cell(ctx, sheet, row, c));
        plan.awards.push(Award {
            name,
            quota,
            min_grade,
        });
    }
}

/// Checks that need more than one sheet.
fn cross_checks(ctx: &mut Ctx, plan: &Plan) {
    if plan.indicators.is_empty() {
        let f = ctx.finding(Code::NoIndicators).sheet(INDICATORS_SHEET[0]);
        ctx.push(f);
    } else {
        let total = plan.max_total();
        if (total - plan.scale).abs() > 1e-6 {
            let f = ctx
                .finding(Code::PointsTotal)
                .sheet(INDICATORS_SHEET[0])
                .found(format_vi(total))
                .expected(format_vi(plan.scale));
            ctx.push(f);
        }
    }
    if let Some(leader) = &plan.leader
        && plan.unit(leader).is_none()
        && plan.unit_by_any_name(leader).is_none()
    {
        let f = ctx
            .finding(Code::UnknownLeader)
            .sheet(INFO_SHEET[0])
            .found(leader.clone());
        ctx.push(f);
    }
    for tie in &plan.tie_break {
        if let TieBreak::Section(id) = tie
            && !plan
                .sections
                .iter()
                .any(|s| label_key(&s.id) == label_key(id))
        {
            let f = ctx
                .finding(Code::UnknownTieBreak)
                .sheet(INFO_SHEET[0])
                .found(format!("Mục {id}"))
                .expected(
                    plan.sections
                        .iter()
                        .map(|s| format!("Mục {}", s.id))
                        .collect::<Vec<_>>()
                        .join(", "),
                );
            ctx.push(f);
        }
    }
}
