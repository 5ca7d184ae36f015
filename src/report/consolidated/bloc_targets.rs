//! `Chỉ tiêu khối`: the bloc's own targets against its members' figures,
//! and the indicators without a bloc figure, named.

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::{header, title};
use crate::bloc::{BlocVerdict, Consolidation};
use crate::plan::{Aggregate, Plan};
use crate::report::{Styles, fit_row, print_setup};

pub(super) fn bloc_targets(
    ws: &mut Worksheet,
    plan: &Plan,
    r: &Consolidation,
    styles: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name("Chỉ tiêu khối")?;
    let labels = [
        "Mã",
        "Nội dung",
        "Cách tổng hợp",
        "Số liệu của khối",
        "Chỉ tiêu",
        "Kết quả",
        "Số đơn vị có số liệu",
    ];
    title(
        ws,
        "CHỈ TIÊU CỦA KHỐI",
        &format!("Kỳ báo cáo: {}", r.period_name),
        labels.len() as u16 - 1,
        styles,
    )?;
    const WIDTHS: [f64; 7] = [8.0, 46.0, 18.0, 14.0, 28.0, 22.0, 12.0];
    header(ws, 3, &labels, &WIDTHS, styles)?;
    let members = plan.units.len();
    let mut row = 4;
    for t in &r.bloc_targets {
        ws.write_string_with_format(row, 0, &t.code, &styles.text)?;
        ws.write_string_with_format(row, 1, &t.content, &styles.text)?;
        let how = match t.aggregate {
            Aggregate::Sum => "Tổng",
            Aggregate::HeadcountAverage => "Bình quân theo biên chế",
            Aggregate::UnitsMet => "Số đơn vị đạt",
        };
        ws.write_string_with_format(row, 2, how, &styles.text)?;
        let percent = plan.indicator(&t.code).is_some_and(|i| i.is_percent());
        match t.of {
            Some(n) => {
                ws.write_string_with_format(row, 3, format!("{}/{n}", t.value), &styles.text)?
            }
            None if t.verdict == BlocVerdict::NoHeadcount => {
                ws.write_string_with_format(row, 3, "—", &styles.text)?
            }
            None if percent && t.aggregate == Aggregate::HeadcountAverage => {
                let share = t.value / 100.0;
                ws.write_number_with_format(row, 3, share, styles.percent_for(share))?
            }
            None => ws.write_number_with_format(row, 3, t.value, &styles.number)?,
        };
        let target = match (t.aggregate, t.target_text.is_empty()) {
            (Aggregate::UnitsMet, _) => match t.needed {
                Some(n) if n < members => {
                    format!("Ít nhất {n}/{members} đơn vị đạt: {}", t.target_text)
                }
                _ => format!("Tất cả {members} đơn vị: {}", t.target_text),
            },
            (_, true) => "—".to_string(),
            (_, false) => t.target_text.clone(),
        };
        ws.write_string_with_format(row, 4, &target, &styles.text)?;
        let verdict = match t.verdict {
            BlocVerdict::Met => "Đạt".to_string(),
            BlocVerdict::NotMet => "Chưa đạt".to_string(),
            BlocVerdict::Pending => format!(
                "Chưa đủ số liệu ({}/{members} đơn vị){}",
                t.units_counted,
                match t.so_far {
                    Some(true) => "; đến nay đạt",
                    Some(false) => "; đến nay chưa đạt",
                    None => "",
                }
            ),
            BlocVerdict::NoBlocTarget => {
                "Không có chỉ tiêu khối (chỉ tiêu là của từng đơn vị)".to_string()
            }
            BlocVerdict::NoHeadcount => "Thiếu Số CBCCVC của các đơn vị".to_string(),
        };
        let style = match t.verdict {
            BlocVerdict::Met | BlocVerdict::NotMet => &styles.text_bold,
            _ => &styles.text,
        };
        ws.write_string_with_format(row, 5, &verdict, style)?;
        ws.write_number_with_format(row, 6, t.units_counted as f64, &styles.number)?;
        fit_row(
            ws,
            row,
            &[
                (&t.content, WIDTHS[1]),
                (&target, WIDTHS[4]),
                (&verdict, WIDTHS[5]),
            ],
        )?;
        row += 1;
    }
    // The indicators without a bloc figure, named so none is left out
    // without a word.
    let without: Vec<&str> = plan
        .indicators
        .iter()
        .filter(|i| i.aggregate.is_none())
        .map(|i| i.code.as_str())
        .collect();
    if !without.is_empty() {
        let note = format!(
            "Các tiêu chí {} không có số liệu chung của khối (cột `Tổng hợp khối` của kế hoạch để trống): mỗi đơn vị được chấm theo chỉ tiêu của mình, xem trang Chi tiết.",
            without.join(", ")
        );
        ws.merge_range(
            row + 1,
            0,
            row + 1,
            labels.len() as u16 - 1,
            &note,
            &styles.plain_wrap,
        )?;
        fit_row(ws, row + 1, &[(&note, WIDTHS.iter().sum())])?;
    }
    print_setup(ws, Some(3));
    Ok(())
}
