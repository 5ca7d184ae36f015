//! The plan's indicator table (`Tiêu chí`): section rows and indicators,
//! each with its points, rule, target, bloc target and aggregate; every
//! cell that cannot be read is a finding at the cell.

use std::collections::HashMap;

use super::load::{Ctx, code_text};
use super::rule::{RULE_NAMES, RuleError, parse_rule};
use super::{Aggregate, Indicator, Plan, Rule, Section, code_key};
use crate::finding::{Code, a1};
use crate::text::label_key;
use crate::text::number::format_vi;
use crate::text::target::{Reading, Target, parse_target, read_target};
use crate::text::words::{is_total_label, parse_done};
use crate::vocab::plan::{INDICATOR_COLUMNS, indicator};
use crate::workbook::Sheet;

/// The indicator row being read: where, and whose code.
struct At<'a> {
    sheet: &'a Sheet,
    row: u32,
    code: &'a str,
}

impl At<'_> {
    fn finding(&self, ctx: &Ctx, code: Code, col: u32) -> crate::finding::Finding {
        ctx.finding(code)
            .at(&self.sheet.name, self.row, col)
            .indicator(self.code)
    }
}

pub(super) fn read_indicators(ctx: &mut Ctx, sheet: &Sheet, plan: &mut Plan) {
    let Some(t) = ctx.table(sheet, INDICATOR_COLUMNS) else {
        return;
    };
    let last = sheet.last_row().unwrap_or(0);
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut section = String::new();
    let c = |label: &str| t.col_named(label);
    for row in t.header_row + 1..=last {
        let text = |label: &str| c(label).map(|col| sheet.text(row, col)).unwrap_or_default();
        let section_cell = text(indicator::SECTION);
        let code = c(indicator::CODE)
            .map(|col| code_text(sheet.value(row, col)))
            .unwrap_or_default();
        let content = text(indicator::CONTENT);
        if code.is_empty() {
            let points_empty = c(indicator::MAX).is_none_or(|col| sheet.value(row, col).is_empty());
            let code_col = c(indicator::CODE).unwrap_or(0);
            if let Some(id) = section_row(
                ctx,
                sheet,
                row,
                code_col,
                &section_cell,
                content,
                points_empty,
                plan,
            ) {
                section = id;
            }
            continue;
        }
        if !section_cell.is_empty() && section_cell != section {
            section = section_cell.clone();
            if !plan.sections.iter().any(|s| s.id == section) {
                plan.sections.push(Section {
                    id: section.clone(),
                    title: String::new(),
                });
            }
        }
        let code_col = c(indicator::CODE).unwrap_or(0);
        if let Some(first) = seen.insert(code_key(&code), row) {
            let f = ctx
                .finding(Code::DuplicateCode)
                .at(&sheet.name, row, code_col)
                .found(code.clone())
                .expected(a1(first, code_col));
            ctx.push(f);
            continue;
        }
        let at = At {
            sheet,
            row,
            code: &code,
        };
        let points_col = c(indicator::MAX).unwrap_or(0);
        let rule_col = c(indicator::RULE).unwrap_or(0);
        let target_col = c(indicator::TARGET).unwrap_or(0);
        let max_points = max_points(ctx, &at, points_col);
        let rule_text = text(indicator::RULE);
        let rule = rule(ctx, &at, rule_col, &rule_text);
        let target_text = sheet.text(row, target_col);
        let target = target(ctx, &at, target_col, &target_text);
        check_fit(
            ctx,
            &at,
            (rule_col, target_col),
            &rule,
            &rule_text,
            &target,
            &target_text,
            max_points,
        );
        let step = c(indicator::STEP)
            .and_then(|col| ctx.number(sheet, row, col, "bước điểm > 0 / step > 0"))
            .filter(|s| *s > 0.0);
        let own_target = c(indicator::OWN_TARGET)
            .is_some_and(|col| parse_done(&sheet.text(row, col)) == Some(true));
        let aggregate = c(indicator::AGGREGATE).and_then(|col| aggregate(ctx, &at, col));
        let (bloc_target_text, bloc_target) = match c(indicator::BLOC_TARGET) {
            Some(col) => bloc_target(ctx, &at, col),
            None => (String::new(), Target::None),
        };
        let mut ind = Indicator {
            section: section.clone(),
            code: code.clone(),
            content,
            unit_label: text(indicator::UNIT),
            target_text,
            target,
            max_points,
            rule,
            step,
            own_target,
            aggregate,
            bloc_target_text,
            bloc_target,
            row,
        };
        if ind.rule == Rule::Bloc {
            let bloc_col = c(indicator::BLOC_TARGET).unwrap_or(target_col);
            bloc_rule(ctx, &at, (points_col, bloc_col), &mut ind);
        }
        plan.indicators.push(ind);
    }
}

/// A row without a code: a section row (`I | Thực hiện nhiệm vụ chính
/// trị`), whose id it returns; a note or total, skipped; else an indicator
/// missing its code.
#[allow(clippy::too_many_arguments)]
fn section_row(
    ctx: &mut Ctx,
    sheet: &Sheet,
    row: u32,
    code_col: u32,
    section_cell: &str,
    content: String,
    points_empty: bool,
    plan: &mut Plan,
) -> Option<String> {
    if content.is_empty() && section_cell.is_empty() {
        return None;
    }
    let key = label_key(&content);
    if key.starts_with("ghi chu") || is_total_label(&key) {
        return None;
    }
    if points_empty || !section_cell.is_empty() {
        let id = if section_cell.is_empty() {
            format!("{}", plan.sections.len() + 1)
        } else {
            section_cell.to_string()
        };
        if !plan.sections.iter().any(|s| s.id == id) {
            plan.sections.push(Section {
                id: id.clone(),
                title: content,
            });
        }
        return Some(id);
    }
    let f = ctx
        .finding(Code::MissingCode)
        .at(&sheet.name, row, code_col)
        .found(content);
    ctx.push(f);
    None
}

/// Điểm tối đa: a number ≥ 0 (0, and a finding, otherwise).
fn max_points(ctx: &mut Ctx, at: &At, col: u32) -> f64 {
    match ctx.number(at.sheet, at.row, col, "điểm ≥ 0 / points ≥ 0") {
        Some(p) if p >= 0.0 => p,
        Some(p) => {
            let f = at
                .finding(ctx, Code::BadNumber, col)
                .found(format_vi(p))
                .expected("≥ 0");
            ctx.push(f);
            0.0
        }
        None => {
            let f = at
                .finding(ctx, Code::BadNumber, col)
                .found("")
                .expected("điểm tối đa / maximum points");
            ctx.push(f);
            0.0
        }
    }
}

/// Cách chấm; an unknown rule or band is scored `Đạt`, with a finding.
fn rule(ctx: &mut Ctx, at: &At, col: u32, text: &str) -> Rule {
    match parse_rule(text) {
        Ok(r) => r,
        Err(RuleError::Unknown) => {
            let f = at
                .finding(ctx, Code::UnknownRule, col)
                .found(text.to_string())
                .expected(RULE_NAMES.join(", "));
            ctx.push(f);
            Rule::Pass
        }
        Err(RuleError::BadBand(band)) => {
            let f = at
                .finding(ctx, Code::UnknownRule, col)
                .found(band)
                .expected("Theo mức: ≥ 98%: 5; ≥ 97%: 4");
            ctx.push(f);
            Rule::Pass
        }
    }
}

/// Chỉ tiêu, as written; read only once OCR spellings were undone is said
/// (so the leader can correct the plan), unreadable is an error.
fn target(ctx: &mut Ctx, at: &At, col: u32, text: &str) -> Target {
    match read_target(text) {
        Ok(Reading {
            target,
            corrected: Some(corrected),
        }) => {
            let f = at
                .finding(ctx, Code::OcrReading, col)
                .found(text.to_string())
                .expected(corrected);
            ctx.push(f);
            target
        }
        Ok(reading) => reading.target,
        Err(_) => {
            let f = at
                .finding(ctx, Code::UnreadableTarget, col)
                .found(text.to_string());
            ctx.push(f);
            Target::None
        }
    }
}

/// A target is needed unless the unit scores itself, the bands carry their
/// own, or the target is the bloc's; a rule must fit its target.
#[allow(clippy::too_many_arguments)]
fn check_fit(
    ctx: &mut Ctx,
    at: &At,
    (rule_col, target_col): (u32, u32),
    rule: &Rule,
    rule_text: &str,
    target: &Target,
    target_text: &str,
    max_points: f64,
) {
    let target_missing =
        target_text.is_empty() && !matches!(rule, Rule::SelfScored | Rule::Bands(_) | Rule::Bloc);
    if target_missing {
        let f = at.finding(ctx, Code::MissingTarget, target_col);
        ctx.push(f);
    }
    let misfit = match rule {
        Rule::Proportional | Rule::Leading => {
            !target_text.is_empty() && target.reference().is_none_or(|r| r <= 0.0)
        }
        Rule::Bands(bands) => bands.iter().any(|b| b.points > max_points),
        _ => false,
    };
    if misfit && !target_missing {
        let f = at
            .finding(ctx, Code::RuleTarget, rule_col)
            .found(rule_text.to_string())
            .expected(target.describe(false));
        ctx.push(f);
    }
}

/// Tổng hợp khối: how the bloc's figure is formed.
fn aggregate(ctx: &mut Ctx, at: &At, col: u32) -> Option<Aggregate> {
    let raw = at.sheet.text(at.row, col);
    match label_key(&raw).as_str() {
        "" => None,
        "tong" | "tong cong" => Some(Aggregate::Sum),
        "binh quan theo bien che" | "binh quan" | "trung binh theo bien che" => {
            Some(Aggregate::HeadcountAverage)
        }
        "so don vi dat" => Some(Aggregate::UnitsMet),
        _ => {
            let f = at
                .finding(ctx, Code::UnknownRule, col)
                .found(raw)
                .expected("Tổng, Bình quân theo biên chế, Số đơn vị đạt");
            ctx.push(f);
            None
        }
    }
}

/// Chỉ tiêu khối, as written and read.
fn bloc_target(ctx: &mut Ctx, at: &At, col: u32) -> (String, Target) {
    let raw = at.sheet.text(at.row, col);
    match parse_target(&raw) {
        Ok(t) => (raw, t),
        Err(_) => {
            let f = at.finding(ctx, Code::UnreadableTarget, col).found(raw);
            ctx.push(f);
            (String::new(), Target::None)
        }
    }
}

/// A bloc target scores no unit: it needs the bloc's own target, and its
/// points (none) stay out of every unit's total; its figure is summed
/// unless the plan says otherwise.
fn bloc_rule(ctx: &mut Ctx, at: &At, (points_col, bloc_col): (u32, u32), ind: &mut Indicator) {
    if ind.bloc_target_text.is_empty() && !matches!(ind.target, Target::UnitsShare { .. }) {
        let f = at.finding(ctx, Code::MissingBlocTarget, bloc_col);
        ctx.push(f);
    }
    if ind.max_points > 0.0 {
        let f = at
            .finding(ctx, Code::BlocTargetPoints, points_col)
            .found(format_vi(ind.max_points));
        ctx.push(f);
    }
    ind.max_points = 0.0;
    ind.aggregate = ind.aggregate.or(Some(Aggregate::Sum));
}
