//! Reading the score table once its layout is known: each matched row's
//! achieved value, baseline and self score; each bonus/penalty row's count
//! (from `Số lần`, or from its points alone); the typed totals recomputed and
//! compared; and what the plan has that the sheet does not.

use std::collections::HashMap;

use super::cells::Reader;
use super::layout::{self, Item, NoScoreSheet, ScoreSheet, Total, TotalScope};
use super::matching::{self, MatchedBy, Target};
use super::{AdjustmentRow, IndicatorRow, Submission, target_in_force};
use crate::finding::{Code, a1};
use crate::plan::{Adjustment, AdjustmentKind, Indicator, Plan};
use crate::score::{Achieved, EPS, computed_score, outcome, round2};
use crate::text::number::format_vi;
use crate::vocab;
use crate::workbook::{Book, NumberCell, Sheet, Value};

/// Reads the score table of a workbook into `sub`.
pub fn read(r: &mut Reader, book: &Book, plan: &Plan, sub: &mut Submission) {
    let score = match layout::find_score_sheet(book, plan) {
        Ok(s) => s,
        Err(e) => {
            missing_table(r, e);
            sub.missing = plan.indicators.iter().map(|i| i.code.clone()).collect();
            return;
        }
    };
    sub.score_sheet = Some(score.sheet.name.clone());
    if !score.others.is_empty() {
        r.push(
            r.finding(Code::ScoreSheetChosen)
                .sheet(&score.sheet.name)
                .found(score.sheet.name.clone())
                .expected(score.others.join(", ")),
        );
    }
    let rows = layout::rows(&score, plan);
    let matches = matching::match_items(plan, &rows.items);
    let mut sums = Sums::default();
    let mut seen: HashMap<Target, String> = HashMap::new();
    for (item, m) in rows.items.iter().zip(&matches) {
        let Some((target, by)) = m else {
            unmatched(r, &score, plan, item);
            continue;
        };
        let here = a1(
            item.row,
            item.columns.code.or(item.columns.content).unwrap_or(0),
        );
        if let Some(first) = seen.get(target) {
            let code = matching::code_of(plan, *target)
                .unwrap_or_default()
                .to_string();
            r.push(
                r.finding(Code::DuplicateRow)
                    .sheet(&score.sheet.name)
                    .cell(&here)
                    .indicator(&code)
                    .found(code.clone())
                    .expected(first.clone()),
            );
            continue;
        }
        seen.insert(*target, here);
        report_match(r, &score, plan, item, *target, by);
        match *target {
            Target::Indicator(i) => {
                let ind = &plan.indicators[i];
                let row = indicator_row(r, score.sheet, item, ind, by, sub);
                if let Some(s) = row.self_score {
                    sums.indicators += s;
                    *sums.sections.entry(ind.section.clone()).or_default() += s;
                }
                sub.rows.push(row);
            }
            Target::Adjustment(i) => {
                let adj = &plan.adjustments[i];
                match adjustment_row(r, score.sheet, item, adj) {
                    Some(row) => {
                        match adj.kind {
                            AdjustmentKind::Bonus => sums.bonus += row.counted,
                            AdjustmentKind::Penalty => sums.penalty += row.counted,
                        }
                        sub.adjustments.push(row);
                    }
                    None => sub.adjustments_unread.push(adj.code.clone()),
                }
            }
        }
    }
    for (i, ind) in plan.indicators.iter().enumerate() {
        if !seen.contains_key(&Target::Indicator(i)) {
            sub.missing.push(ind.code.clone());
            r.push(
                r.finding(Code::MissingRow)
                    .sheet(&score.sheet.name)
                    .indicator(&ind.code)
                    .expected(format!("{} {}", ind.code, ind.content)),
            );
        }
    }
    if !plan.adjustments.is_empty() && !seen.keys().any(|t| matches!(t, Target::Adjustment(_))) {
        r.push(r.finding(Code::NoAdjustments).sheet(&score.sheet.name));
    }
    for total in &rows.totals {
        check_total(r, score.sheet, total, &sums);
    }
}

fn missing_table(r: &mut Reader, e: NoScoreSheet) {
    match e {
        NoScoreSheet::MissingColumns(sheet, header, labels) => {
            for label in labels {
                let mut f = r
                    .finding(Code::MissingColumn)
                    .sheet(&sheet.name)
                    .expected(label);
                if let Some(h) = header {
                    f = f.cell(a1(h, 0));
                }
                r.push(f);
            }
        }
        NoScoreSheet::None => r.push(
            r.finding(Code::MissingSheet)
                .expected(vocab::SCORE_SHEET[0]),
        ),
    }
}

/// A row with values that matched nothing is an error at its cell; a row
/// without values is a heading the unit added.
fn unmatched(r: &mut Reader, score: &ScoreSheet, plan: &Plan, item: &Item) {
    if !item.has_values {
        return;
    }
    let (shown, col) = if item.code.is_empty() {
        (item.text.clone(), item.columns.content)
    } else {
        (item.code.clone(), item.columns.code)
    };
    let adjustment = matches!(item.block, layout::Block::Adjustments(_));
    let code = if adjustment {
        Code::UnknownAdjustment
    } else {
        Code::UnknownRow
    };
    let suggestion = if adjustment {
        plan.adjustments
            .iter()
            .map(|a| format!("{} {}", a.code, a.content))
            .collect::<Vec<_>>()
            .join("; ")
    } else {
        super::unit::suggest_indicator(plan, &item.text)
    };
    r.push(
        r.finding(code)
            .at(&score.sheet.name, item.row, col.unwrap_or(0))
            .found(shown)
            .expected(suggestion),
    );
}

/// Says how a row was matched when it was not by its code.
fn report_match(
    r: &mut Reader,
    score: &ScoreSheet,
    plan: &Plan,
    item: &Item,
    t: Target,
    by: &MatchedBy,
) {
    let code = matching::code_of(plan, t).unwrap_or_default();
    let content = match t {
        Target::Indicator(i) => plan.indicators[i].content.as_str(),
        Target::Adjustment(i) => plan.adjustments[i].content.as_str(),
    };
    let at = |r: &Reader, c: Code| {
        r.finding(c)
            .at(
                &score.sheet.name,
                item.row,
                item.columns.content.or(item.columns.code).unwrap_or(0),
            )
            .indicator(code)
    };
    let shown = if item.text.is_empty() {
        item.code.clone()
    } else {
        item.text.clone()
    };
    let f = match by {
        MatchedBy::Code | MatchedBy::Number { .. } => return,
        MatchedBy::Wording {
            ambiguous_with: Some(other),
            ..
        } => {
            let other_content = plan
                .indicator(other)
                .map(|i| i.content.clone())
                .or_else(|| plan.adjustment(other).map(|a| a.content.clone()))
                .unwrap_or_default();
            at(r, Code::AmbiguousMatch)
                .found(shown)
                .expected(format!("{code} {content} ≈ {other} {other_content}"))
        }
        MatchedBy::Wording { .. } => at(r, Code::MatchedByName)
            .found(shown)
            .expected(format!("{code} {content}")),
        MatchedBy::Position => at(r, Code::MatchedByPosition)
            .found(shown)
            .expected(format!("{code} {content}")),
    };
    r.push(f);
}

fn indicator_row(
    r: &mut Reader,
    sheet: &Sheet,
    item: &Item,
    ind: &Indicator,
    by: &MatchedBy,
    sub: &Submission,
) -> IndicatorRow {
    let cols = &item.columns;
    let row = item.row;
    let achieved_col = cols.achieved.unwrap_or(0);
    let score_col = cols.self_score.unwrap_or(0);
    let target = target_in_force(ind, sub);
    let achieved = r.achieved(sheet, row, achieved_col, ind, &target);
    let baseline = if target.needs_baseline() && achieved != Achieved::NotAssigned {
        match cols.baseline {
            Some(bc) => r.baseline(sheet, row, bc, ind),
            None => {
                r.push(
                    r.finding(Code::MissingBaseline)
                        .sheet(&sheet.name)
                        .cell(a1(row, achieved_col))
                        .indicator(&ind.code),
                );
                None
            }
        }
    } else {
        None
    };
    let not_assigned = achieved == Achieved::NotAssigned;
    let self_score = r.score(sheet, row, score_col, ind, not_assigned);
    let result = outcome(&target, &achieved, baseline);
    let computed = computed_score(ind, &target, &achieved, baseline);
    if let (Some(own), Some(supported)) = (self_score, computed)
        && own > supported + EPS
    {
        r.push(
            r.finding(Code::OverClaimed)
                .at(&sheet.name, row, score_col)
                .indicator(&ind.code)
                .found(format_vi(own))
                .expected(format_vi(supported)),
        );
    }
    IndicatorRow {
        code: ind.code.clone(),
        cell: a1(row, score_col),
        achieved_cell: a1(row, achieved_col),
        matched: by.clone(),
        achieved,
        baseline,
        self_score,
        target,
        outcome: result,
        computed,
    }
}

/// Reads a bonus/penalty row: its count from `Số lần`, else from its points
/// (count = points ÷ points per time; penalties may be written negative).
/// `None` when the row's figure cannot be read.
fn adjustment_row(
    r: &mut Reader,
    sheet: &Sheet,
    item: &Item,
    adj: &Adjustment,
) -> Option<AdjustmentRow> {
    let row = item.row;
    let count_col = item
        .columns
        .count
        .filter(|c| !sheet.value(row, *c).is_empty());
    let (count, col) = match (count_col, item.columns.self_score) {
        (Some(c), _) => (r.count(sheet, row, c, &adj.code)?, c),
        (None, Some(c)) => {
            let points = r.points(sheet, row, c, &adj.code)?.abs();
            let count = if adj.points_each > 0.0 {
                points / adj.points_each
            } else {
                0.0
            };
            if (count - count.round()).abs() > 1e-6 {
                r.push(
                    r.finding(Code::AdjustmentRemainder)
                        .at(&sheet.name, row, c)
                        .indicator(&adj.code)
                        .found(format_vi(points))
                        .expected(format_vi(adj.points_each)),
                );
            }
            (count, c)
        }
        (None, None) => (0.0, item.columns.content.unwrap_or(0)),
    };
    let claimed = round2(count * adj.points_each);
    let counted = adj.cap.map_or(claimed, |cap| claimed.min(cap));
    if claimed > counted + EPS {
        r.push(
            r.finding(Code::OverCap)
                .at(&sheet.name, row, col)
                .indicator(&adj.code)
                .found(format_vi(claimed))
                .expected(format_vi(counted)),
        );
    }
    Some(AdjustmentRow {
        code: adj.code.clone(),
        cell: a1(row, col),
        count,
        claimed,
        counted,
    })
}

/// The sums typed totals are checked against.
#[derive(Debug, Default)]
struct Sums {
    indicators: f64,
    sections: HashMap<String, f64>,
    bonus: f64,
    penalty: f64,
}

/// Checks a typed total against what the rows add up to: a section's
/// subtotal, the indicators' total, or the grand total with bonus and
/// penalty; any of them is accepted, as sheets differ in what they total.
fn check_total(r: &mut Reader, sheet: &Sheet, total: &Total, sums: &Sums) {
    let section = total
        .section
        .as_ref()
        .and_then(|s| sums.sections.get(s).copied());
    let grand = sums.indicators + sums.bonus - sums.penalty;
    let expected = match total.scope {
        TotalScope::Section => section.unwrap_or(0.0),
        TotalScope::Indicators => sums.indicators,
        TotalScope::Grand => grand,
    };
    // Sheets differ in what a total adds up; any of these is right.
    let mut accepted = vec![expected];
    if total.scope != TotalScope::Section {
        accepted.extend([sums.indicators, grand]);
        accepted.extend(section);
    }
    let (row, col) = (total.row, total.col);
    let value = sheet.value(row, col);
    let typed = match value.as_number() {
        NumberCell::Number(n) => Some((n, value.text())),
        NumberCell::Text(n) => Some((n.value, value.text())),
        NumberCell::Empty => {
            if let Some(formula) = sheet.formula_at(row, col) {
                r.push(
                    r.finding(Code::FormulaNoValue)
                        .at(&sheet.name, row, col)
                        .found(formula)
                        .expected(format_vi(round2(expected))),
                );
            }
            None
        }
        _ => match value {
            Value::Text(t) => crate::text::number::parse_points(t).map(|n| (n, t.clone())),
            _ => None,
        },
    };
    if let Some((n, shown)) = typed
        && !accepted.iter().any(|a| (n - round2(*a)).abs() <= 0.005)
    {
        r.push(
            r.finding(Code::TotalMismatch)
                .at(&sheet.name, row, col)
                .found(shown)
                .expected(format_vi(round2(expected))),
        );
    }
}
