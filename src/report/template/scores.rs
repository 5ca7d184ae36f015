//! The `Tự chấm điểm` sheet of a unit's workbook: title, the indicator
//! table with the unit's figures, the indicators' total, the bonus and
//! penalty items and the grand total, each input cell validated.

use rust_xlsxwriter::{DataValidation, DataValidationRule, Formula, Worksheet, XlsxError};

use super::{Fill, FillValue, SheetNames, protect, write_fill};
use crate::finding::{a1, column_name};
use crate::plan::{AdjustmentKind, Indicator, Period, Plan, Rule, Unit};
use crate::report::{Styles, print_setup};
use crate::report::{fit_row, table_header};
use crate::text::number::format_vi;
use crate::text::target::Target;
use crate::text::words::{DONE_CHOICES, Grade};
use crate::vocab::{ADJUSTMENT_HEADER, SCORE_HEADER, SCORE_SHEET};

/// Drop-down choices for an achieved-value cell, by target kind.
fn achieved_choices(ind: &Indicator) -> Option<Vec<&'static str>> {
    match ind.target {
        Target::Done => Some(DONE_CHOICES.iter().copied().chain(["Không giao"]).collect()),
        Target::Grade { .. } => Some(
            Grade::ALL
                .iter()
                .map(|g| g.name_vi())
                .chain(["Không giao"])
                .collect(),
        ),
        _ => None,
    }
}

fn score_validation(ind: &Indicator, cell: &str) -> Result<DataValidation, XlsxError> {
    let max = ind.max_points;
    let dv = match ind.step {
        Some(step) => DataValidation::new().allow_custom(Formula::new(format!(
            "=AND({cell}>=0,{cell}<={max},ABS({cell}/{step}-ROUND({cell}/{step},0))<0.000001)"
        ))),
        None => DataValidation::new().allow_decimal_number(DataValidationRule::Between(0.0, max)),
    };
    let step_text = ind
        .step
        .map(|s| format!(", bước {}", format_vi(s)))
        .unwrap_or_default();
    dv.set_error_title("Điểm không hợp lệ")?
        .set_error_message(format!("Điểm từ 0 đến {}{step_text}", format_vi(max)))
}

/// Column widths of the score sheet's fields, in `SCORE_HEADER` order.
const SCORE_WIDTHS: [f64; 10] = [6.0, 8.0, 46.0, 10.0, 18.0, 14.0, 16.0, 10.0, 10.0, 28.0];

pub(super) fn write_scores(
    ws: &mut Worksheet,
    plan: &Plan,
    unit: &Unit,
    period: &Period,
    fill: &dyn Fill,
    styles: &Styles,
    names: &SheetNames,
) -> Result<(), XlsxError> {
    ws.set_name(names.label(SCORE_SHEET[0]))?;
    let order: Vec<usize> = fill
        .column_order()
        .unwrap_or_else(|| (0..SCORE_HEADER.len()).collect());
    // Column of each logical field.
    let mut col_of = [0u16; 10];
    for (pos, field) in order.iter().enumerate() {
        col_of[*field] = pos as u16;
    }
    let sheet = ScoreSheet {
        plan,
        fill,
        styles,
        names,
        col_of,
    };
    let header_row = sheet.title_and_header(ws, unit, period, &order)?;
    let items = sheet.indicator_rows(ws, header_row)?;
    let total_row = sheet.indicator_total(ws, header_row, &items)?;
    let (next_row, bonus_cells, penalty_cells) = sheet.adjustment_rows(ws, total_row)?;
    sheet.grand_total(
        ws,
        &items,
        total_row,
        next_row,
        &bonus_cells,
        &penalty_cells,
    )?;
    ws.set_freeze_panes(header_row + 1, 0)?;
    print_setup(ws, Some(header_row));
    protect(ws, fill);
    Ok(())
}

/// The score sheet being written: what every part of it needs.
struct ScoreSheet<'a> {
    plan: &'a Plan,
    fill: &'a dyn Fill,
    styles: &'a Styles,
    names: &'a SheetNames,
    /// Column of each logical field.
    col_of: [u16; 10],
}

/// Where the indicator rows ended up and what their scores add to.
struct ItemRows {
    first: Option<u32>,
    last: u32,
    score_sum: f64,
    next_row: u32,
}

impl ScoreSheet<'_> {
    /// The title rows and the table's header; the header's row.
    fn title_and_header(
        &self,
        ws: &mut Worksheet,
        unit: &Unit,
        period: &Period,
        order: &[usize],
    ) -> Result<u32, XlsxError> {
        let (plan, fill, styles, names) = (self.plan, self.fill, self.styles, self.names);
        let last_col = (order.len() - 1) as u16;
        let title = format!(
            "BẢNG TỰ CHẤM ĐIỂM THI ĐUA NĂM {}",
            plan.year.map(|y| y.to_string()).unwrap_or_default()
        );
        let top = fill.extra_title_rows();
        for r in 0..top {
            ws.write_string_with_format(
                r,
                0,
                names.label("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                &styles.plain,
            )?;
        }
        ws.merge_range(top, 0, top, last_col, &names.label(&title), &styles.title)?;
        ws.merge_range(
            top + 1,
            0,
            top + 1,
            last_col,
            &format!("{} — {} — {}", plan.bloc, unit.name, period.name),
            &styles.subtitle,
        )?;
        let header_row = top + 3;
        let labels: Vec<String> = order
            .iter()
            .map(|field| names.label(SCORE_HEADER[*field]))
            .collect();
        let columns: Vec<(&str, f64)> = labels
            .iter()
            .map(String::as_str)
            .zip(order.iter().map(|field| SCORE_WIDTHS[*field]))
            .collect();
        table_header(ws, header_row, &columns, styles)?;
        Ok(header_row)
    }

    /// Section rows and one row per indicator, with the unit's figures.
    fn indicator_rows(&self, ws: &mut Worksheet, header_row: u32) -> Result<ItemRows, XlsxError> {
        let (plan, fill, styles, col_of) = (self.plan, self.fill, self.styles, self.col_of);
        let mut row = header_row + 1;
        let mut first_item = None;
        let mut last_item = row;
        let mut score_sum = 0.0;
        let mut number = 0;
        for section in &plan.sections {
            ws.write_string_with_format(row, col_of[0], &section.id, &styles.text_bold)?;
            ws.write_string_with_format(row, col_of[2], &section.title, &styles.text_bold)?;
            let section_max: f64 = plan
                .indicators
                .iter()
                .filter(|i| i.section == section.id)
                .map(|i| i.max_points)
                .sum();
            ws.write_number_with_format(row, col_of[7], section_max, &styles.number_bold)?;
            fit_row(ws, row, &[(&section.title, SCORE_WIDTHS[2] * 0.9)])?;
            row += 1;
            for ind in plan.indicators.iter().filter(|i| i.section == section.id) {
                if fill.drops_row(&ind.code) {
                    continue;
                }
                number += 1;
                ws.write_number_with_format(row, col_of[0], number as f64, &styles.text)?;
                let code = if fill.blanks_code(&ind.code) {
                    ""
                } else {
                    ind.code.as_str()
                };
                ws.write_string_with_format(row, col_of[1], code, &styles.text)?;
                ws.write_string_with_format(row, col_of[2], &ind.content, &styles.text)?;
                ws.write_string_with_format(row, col_of[3], &ind.unit_label, &styles.text)?;
                ws.write_string_with_format(row, col_of[4], &ind.target_text, &styles.text)?;
                let percent = ind.is_percent();
                write_fill(
                    ws,
                    row,
                    col_of[5],
                    fill.baseline(&ind.code),
                    percent,
                    styles,
                )?;
                write_fill(
                    ws,
                    row,
                    col_of[6],
                    fill.achieved(&ind.code),
                    percent,
                    styles,
                )?;
                ws.write_number_with_format(row, col_of[7], ind.max_points, &styles.number)?;
                let score = fill.self_score(&ind.code);
                if let Some(FillValue::Number(n)) = score {
                    score_sum += n;
                }
                write_fill(ws, row, col_of[8], score, false, styles)?;
                let note = fill.note(&ind.code);
                ws.write_string_with_format(row, col_of[9], note, &styles.input_text)?;
                let score_cell = a1(row, col_of[8] as u32);
                ws.add_data_validation(
                    row,
                    col_of[8],
                    row,
                    col_of[8],
                    &score_validation(ind, &score_cell)?,
                )?;
                if let Some(choices) = achieved_choices(ind) {
                    let dv = DataValidation::new().allow_list_strings(&choices)?;
                    ws.add_data_validation(row, col_of[6], row, col_of[6], &dv)?;
                }
                if matches!(ind.rule, Rule::SelfScored) && ind.target == Target::None {
                    ws.write_string_with_format(row, col_of[4], "(tự chấm)", &styles.text)?;
                }
                if ind.rule == Rule::Bloc {
                    // The unit reports its figure; the bloc is judged on the sum.
                    let text = format!("Chỉ tiêu khối: {}", ind.bloc_target_text);
                    ws.write_string_with_format(row, col_of[4], &text, &styles.text)?;
                }
                fit_row(
                    ws,
                    row,
                    &[
                        (&ind.content, SCORE_WIDTHS[2]),
                        (&ind.unit_label, SCORE_WIDTHS[3]),
                        (&ind.target_text, SCORE_WIDTHS[4]),
                        (note, SCORE_WIDTHS[9]),
                    ],
                )?;
                first_item.get_or_insert(row);
                last_item = row;
                row += 1;
            }
        }
        Ok(ItemRows {
            first: first_item,
            last: last_item,
            score_sum,
            next_row: row,
        })
    }

    /// `Cộng điểm tiêu chí`: the indicators' maximum and the unit's sum (a
    /// formula, or the total the layout types over it); its row.
    fn indicator_total(
        &self,
        ws: &mut Worksheet,
        header_row: u32,
        items: &ItemRows,
    ) -> Result<u32, XlsxError> {
        let (plan, fill, styles, names, col_of) =
            (self.plan, self.fill, self.styles, self.names, self.col_of);
        let (row, first_item, last_item, score_sum) =
            (items.next_row, items.first, items.last, items.score_sum);
        let total_row = row;
        ws.write_string_with_format(
            total_row,
            col_of[2],
            names.label("Cộng điểm tiêu chí"),
            &styles.text_bold,
        )?;
        ws.write_number_with_format(total_row, col_of[7], plan.max_total(), &styles.number_bold)?;
        let score_col = column_name(col_of[8] as u32);
        let first = first_item.unwrap_or(header_row + 1);
        match fill.typed_total() {
            Some(typed) => {
                ws.write_number_with_format(total_row, col_of[8], typed, &styles.number_bold)?;
            }
            None => {
                let f = Formula::new(format!(
                    "=SUM({score_col}{}:{score_col}{})",
                    first + 1,
                    last_item + 1
                ))
                .set_result(score_sum.to_string());
                ws.write_formula_with_format(total_row, col_of[8], f, &styles.number_bold)?;
            }
        }
        Ok(total_row)
    }

    /// The bonus and penalty items under the table; the next free row and
    /// the cells of the bonus and of the penalty points.
    fn adjustment_rows(
        &self,
        ws: &mut Worksheet,
        total_row: u32,
    ) -> Result<(u32, Vec<String>, Vec<String>), XlsxError> {
        let (plan, fill, styles, names) = (self.plan, self.fill, self.styles, self.names);
        // Bonus and penalty items.
        let adj_header = total_row + 2;
        ws.write_string_with_format(
            adj_header - 1,
            2,
            names.label("ĐIỂM THƯỞNG, ĐIỂM TRỪ"),
            &styles.text_bold,
        )?;
        for (c, label) in ADJUSTMENT_HEADER.iter().enumerate() {
            ws.write_string_with_format(adj_header, c as u16, names.label(label), &styles.header)?;
        }
        let mut row = adj_header + 1;
        let mut bonus_cells = Vec::new();
        let mut penalty_cells = Vec::new();
        for (i, adj) in plan.adjustments.iter().enumerate() {
            ws.write_number_with_format(row, 0, (i + 1) as f64, &styles.text)?;
            ws.write_string_with_format(row, 1, &adj.code, &styles.text)?;
            ws.write_string_with_format(row, 2, &adj.content, &styles.text)?;
            let kind = match adj.kind {
                AdjustmentKind::Bonus => "Thưởng",
                AdjustmentKind::Penalty => "Trừ",
            };
            ws.write_string_with_format(row, 3, kind, &styles.text)?;
            ws.write_number_with_format(row, 4, adj.points_each, &styles.number)?;
            match adj.cap {
                Some(cap) => ws.write_number_with_format(row, 5, cap, &styles.number)?,
                None => ws.write_blank(row, 5, &styles.text)?,
            };
            let count = fill.count(&adj.code);
            write_fill(ws, row, 6, count, false, styles)?;
            let count_value = match count {
                Some(FillValue::Number(n)) => *n,
                _ => 0.0,
            };
            let points = (count_value * adj.points_each).min(adj.cap.unwrap_or(f64::INFINITY));
            let cell = a1(row, 6);
            let cap = adj
                .cap
                .map(|c| c.to_string())
                .unwrap_or_else(|| "1E+99".into());
            let formula = Formula::new(format!("=MIN({cell}*{},{cap})", adj.points_each))
                .set_result(points.to_string());
            ws.write_formula_with_format(row, 7, formula, &styles.number)?;
            let count_rule = DataValidation::new()
                .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
                .set_error_message("Số lần là số nguyên ≥ 0")?;
            ws.add_data_validation(row, 6, row, 6, &count_rule)?;
            ws.write_string_with_format(row, 8, "", &styles.input_text)?;
            match adj.kind {
                AdjustmentKind::Bonus => bonus_cells.push(a1(row, 7)),
                AdjustmentKind::Penalty => penalty_cells.push(a1(row, 7)),
            }
            row += 1;
        }
        Ok((row, bonus_cells, penalty_cells))
    }

    /// `TỔNG ĐIỂM`: indicators + bonus − penalty, as a formula.
    fn grand_total(
        &self,
        ws: &mut Worksheet,
        items: &ItemRows,
        total_row: u32,
        row: u32,
        bonus_cells: &[String],
        penalty_cells: &[String],
    ) -> Result<(), XlsxError> {
        let (plan, fill, styles, names, col_of) =
            (self.plan, self.fill, self.styles, self.names, self.col_of);
        let score_sum = items.score_sum;
        let bonus_total: f64 = adjustment_points(plan, fill, AdjustmentKind::Bonus);
        let penalty_total: f64 = adjustment_points(plan, fill, AdjustmentKind::Penalty);
        let grand_value = fill.typed_total().unwrap_or(score_sum) + bonus_total - penalty_total;
        let grand = row + 1;
        ws.write_string_with_format(
            grand,
            2,
            names.label("TỔNG ĐIỂM (tiêu chí + thưởng − trừ)"),
            &styles.text_bold,
        )?;
        let sum = |cells: &[String]| {
            if cells.is_empty() {
                "0".to_string()
            } else {
                cells.join("+")
            }
        };
        let total_cell = a1(total_row, col_of[8] as u32);
        let formula = Formula::new(format!(
            "={total_cell}+({})-({})",
            sum(bonus_cells),
            sum(penalty_cells)
        ))
        .set_result(grand_value.to_string());
        ws.write_formula_with_format(grand, 7, formula, &styles.number_bold)?;
        Ok(())
    }
}

/// The capped points of the filled bonus or penalty items, for the cached
/// value of the template's formulas.
fn adjustment_points(plan: &Plan, fill: &dyn Fill, kind: AdjustmentKind) -> f64 {
    plan.adjustments
        .iter()
        .filter(|a| a.kind == kind)
        .map(|a| {
            let count = match fill.count(&a.code) {
                Some(FillValue::Number(n)) => *n,
                _ => 0.0,
            };
            (count * a.points_each).min(a.cap.unwrap_or(f64::INFINITY))
        })
        .sum()
}
