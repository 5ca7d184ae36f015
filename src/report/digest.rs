//! The monthly digest as a workbook and as Markdown for an e-mail body.
//! Both render the same [`Digest`]; neither computes anything.

use std::fmt::Write as _;
use std::path::Path;

use rust_xlsxwriter::{Chart, ChartType, Workbook, Worksheet, XlsxError};

use super::{Styles, WriteError, fit_row, print_setup, properties, save, xlsx_err};
use crate::bloc::UnitStatus;
use crate::digest::{Digest, Progress, SubmissionStatus};
use crate::messages::Lang;
use crate::plan::Plan;
use crate::text::number::{format_date, format_vi};
use crate::vocab::{PROP_OUTPUT, PROP_PLAN};

pub fn status_text(s: SubmissionStatus) -> String {
    match s {
        SubmissionStatus::OnTime => "Đúng hạn".into(),
        SubmissionStatus::Late(d) => format!("Trễ {d} ngày"),
        SubmissionStatus::Rejected => "Có lỗi – chưa xếp loại".into(),
        SubmissionStatus::Missing => "Chưa nộp".into(),
    }
}

pub fn progress_text(p: Progress) -> &'static str {
    match p {
        Progress::Met => "Đã đạt",
        Progress::OnTrack => "Đúng tiến độ",
        Progress::Behind => "Có nguy cơ không đạt",
        Progress::NotMet => "Không đạt",
        Progress::NotAssigned => "Không giao",
        Progress::NoData => "Chưa có số liệu",
        Progress::NoTarget => "—",
    }
}

fn month_label(d: &Digest) -> String {
    let (y, m) = d.month.split_once('-').unwrap_or((&d.month, ""));
    format!("{m}/{y}")
}

pub fn write(plan: &Plan, d: &Digest, path: &Path) -> Result<(), WriteError> {
    let err = xlsx_err(path);
    let styles = Styles::new();
    let mut wb = Workbook::new();
    let props = properties(&format!("Bản tin thi đua tháng {}", month_label(d)))
        .set_custom_property(PROP_OUTPUT, "digest")
        .set_custom_property(PROP_PLAN, &plan.code)
        .set_custom_property("thidua-version", env!("CARGO_PKG_VERSION"));
    wb.set_properties(&props);
    overview(wb.add_worksheet(), plan, d, &styles).map_err(&err)?;
    submissions(wb.add_worksheet(), plan, d, &styles).map_err(&err)?;
    progress(wb.add_worksheet(), plan, d, &styles, false).map_err(&err)?;
    progress(wb.add_worksheet(), plan, d, &styles, true).map_err(&err)?;
    provisional(wb.add_worksheet(), d, &styles).map_err(&err)?;
    save(&mut wb, path, true)
}

fn title(
    ws: &mut Worksheet,
    text: &str,
    sub: &str,
    last: u16,
    styles: &Styles,
) -> Result<(), XlsxError> {
    ws.merge_range(0, 0, 0, last, text, &styles.title)?;
    ws.merge_range(1, 0, 1, last, sub, &styles.subtitle)?;
    Ok(())
}

fn header(ws: &mut Worksheet, row: u32, labels: &[&str], styles: &Styles) -> Result<(), XlsxError> {
    for (c, l) in labels.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *l, &styles.header)?;
    }
    Ok(())
}

fn overview(ws: &mut Worksheet, plan: &Plan, d: &Digest, styles: &Styles) -> Result<(), XlsxError> {
    ws.set_name("Tổng quan")?;
    title(
        ws,
        &format!("BẢN TIN THI ĐUA THÁNG {}", month_label(d)),
        &format!(
            "{} — số liệu đến hết ngày {}",
            plan.bloc,
            format_date(d.month_end)
        ),
        5,
        styles,
    )?;
    ws.set_column_width(0, 36)?;
    for c in 1..=5 {
        ws.set_column_width(c, 14)?;
    }
    let mut row = 3;
    ws.write_string_with_format(row, 0, "Nộp báo cáo các kỳ đã đến hạn", &styles.text_bold)?;
    row += 1;
    header(
        ws,
        row,
        &["Kỳ", "Đúng hạn", "Trễ hạn", "Có lỗi", "Chưa nộp"],
        styles,
    )?;
    row += 1;
    for code in &d.periods_due {
        let count = |f: &dyn Fn(&SubmissionStatus) -> bool| {
            d.units
                .iter()
                .filter(|u| u.submissions.get(code).is_some_and(f))
                .count() as f64
        };
        let name = plan
            .period(code)
            .map(|p| p.name.clone())
            .unwrap_or_else(|| code.clone());
        ws.write_string_with_format(row, 0, &name, &styles.text)?;
        ws.write_number_with_format(
            row,
            1,
            count(&|s| *s == SubmissionStatus::OnTime),
            &styles.number,
        )?;
        ws.write_number_with_format(
            row,
            2,
            count(&|s| matches!(s, SubmissionStatus::Late(_))),
            &styles.number,
        )?;
        ws.write_number_with_format(
            row,
            3,
            count(&|s| *s == SubmissionStatus::Rejected),
            &styles.number,
        )?;
        ws.write_number_with_format(
            row,
            4,
            count(&|s| *s == SubmissionStatus::Missing),
            &styles.number,
        )?;
        row += 1;
    }
    row += 1;
    ws.write_string_with_format(row, 0, "Hạn nộp trong tháng tới", &styles.text_bold)?;
    row += 1;
    if d.deadlines_next_month.is_empty() {
        ws.write_string_with_format(row, 0, "Không có kỳ báo cáo nào đến hạn.", &styles.plain)?;
        row += 1;
    }
    for dl in &d.deadlines_next_month {
        let waiting = dl.waiting.join(", ");
        let text = format!(
            "{} — hạn {} — chưa nộp: {}",
            dl.name,
            format_date(dl.deadline),
            if waiting.is_empty() {
                "không".into()
            } else {
                waiting
            }
        );
        ws.merge_range(row, 0, row, 5, &text, &styles.text)?;
        fit_row(ws, row, &[(&text, 100.0)])?;
        row += 1;
    }
    row += 1;
    let risk = d.at_risk();
    ws.write_string_with_format(
        row,
        0,
        format!("Chỉ tiêu có nguy cơ không đạt: {}", risk.len()),
        &styles.text_bold,
    )?;
    row += 1;
    ws.write_string_with_format(
        row,
        0,
        format!("Hồ sơ nhận trong tháng: {}", d.arrivals.len()),
        &styles.text_bold,
    )?;
    row += 1;
    for a in &d.arrivals {
        let late = a
            .late_days
            .map(|x| format!(", trễ {x} ngày"))
            .unwrap_or_default();
        let text = format!(
            "{} — {} kỳ {} ({}{late})",
            a.received.format("%d/%m/%Y %H:%M"),
            a.unit,
            a.period,
            crate::messages::verdict(a.verdict, Lang::Vi)
        );
        ws.merge_range(row, 0, row, 5, &text, &styles.text)?;
        row += 1;
    }
    row += 1;
    ws.write_string_with_format(
        row,
        0,
        format!("Thay đổi so với tháng trước: {}", d.changes.len()),
        &styles.text_bold,
    )?;
    row += 1;
    for c in &d.changes {
        let text = format!(
            "{} — tiêu chí {}: {} → {}",
            c.unit,
            c.code,
            progress_text(c.from),
            progress_text(c.to)
        );
        ws.merge_range(row, 0, row, 5, &text, &styles.text)?;
        row += 1;
    }
    // Chart data: per unit, indicators on track or met, and at risk.
    row += 2;
    let chart_top = row;
    header(
        ws,
        row,
        &["Đơn vị", "Đạt / đúng tiến độ", "Có nguy cơ / không đạt"],
        styles,
    )?;
    for (i, u) in d.units.iter().enumerate() {
        let r = row + 1 + i as u32;
        let good = u
            .indicators
            .iter()
            .filter(|x| matches!(x.status, Progress::Met | Progress::OnTrack))
            .count();
        let bad = u
            .indicators
            .iter()
            .filter(|x| matches!(x.status, Progress::Behind | Progress::NotMet))
            .count();
        ws.write_string_with_format(r, 0, &u.code, &styles.text)?;
        ws.write_number_with_format(r, 1, good as f64, &styles.number)?;
        ws.write_number_with_format(r, 2, bad as f64, &styles.number)?;
    }
    let last = row + d.units.len() as u32;
    let mut chart = Chart::new(ChartType::BarStacked);
    for (col, name) in [(1u16, "Đạt / đúng tiến độ"), (2, "Có nguy cơ / không đạt")]
    {
        chart
            .add_series()
            .set_categories(("Tổng quan", chart_top + 1, 0, last, 0))
            .set_values(("Tổng quan", chart_top + 1, col, last, col))
            .set_name(name);
    }
    chart.title().set_name("Tiến độ chỉ tiêu theo đơn vị");
    chart.y_axis().set_reverse();
    chart.set_width(640).set_height(360);
    ws.insert_chart(last + 2, 0, &chart)?;
    print_setup(ws, None);
    Ok(())
}

fn submissions(
    ws: &mut Worksheet,
    plan: &Plan,
    d: &Digest,
    styles: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name("Nộp báo cáo")?;
    let last = 1 + d.periods_due.len() as u16;
    title(
        ws,
        "TÌNH HÌNH NỘP BÁO CÁO",
        &format!("Đến hết ngày {}", format_date(d.month_end)),
        last.max(3),
        styles,
    )?;
    let mut labels = vec!["Mã".to_string(), "Đơn vị".to_string()];
    for code in &d.periods_due {
        let p = plan.period(code);
        labels.push(format!(
            "{} (hạn {})",
            p.map(|p| p.name.as_str()).unwrap_or(code),
            p.and_then(|p| p.deadline)
                .map(format_date)
                .unwrap_or_default()
        ));
    }
    let refs: Vec<&str> = labels.iter().map(String::as_str).collect();
    header(ws, 3, &refs, styles)?;
    ws.set_row_height(3, 31.5)?;
    ws.set_column_width(0, 9)?;
    ws.set_column_width(1, 36)?;
    for c in 2..=last {
        ws.set_column_width(c, 16)?;
    }
    for (i, u) in d.units.iter().enumerate() {
        let row = 4 + i as u32;
        ws.write_string_with_format(row, 0, &u.code, &styles.text)?;
        ws.write_string_with_format(row, 1, &u.name, &styles.text)?;
        for (k, code) in d.periods_due.iter().enumerate() {
            let s = u
                .submissions
                .get(code)
                .copied()
                .unwrap_or(SubmissionStatus::Missing);
            let style = if s == SubmissionStatus::OnTime {
                &styles.text
            } else {
                &styles.problem
            };
            ws.write_string_with_format(row, 2 + k as u16, status_text(s), style)?;
        }
    }
    ws.set_freeze_panes(4, 2)?;
    print_setup(ws, Some(3));
    Ok(())
}

const PROGRESS_WIDTHS: [f64; 9] = [9.0, 7.0, 44.0, 8.0, 12.0, 10.0, 12.0, 20.0, 10.0];

fn progress(
    ws: &mut Worksheet,
    plan: &Plan,
    d: &Digest,
    styles: &Styles,
    risk_only: bool,
) -> Result<(), XlsxError> {
    ws.set_name(if risk_only {
        "Có nguy cơ"
    } else {
        "Tiến độ"
    })?;
    let heading = if risk_only {
        "CHỈ TIÊU CÓ NGUY CƠ KHÔNG ĐẠT"
    } else {
        "TIẾN ĐỘ THỰC HIỆN CHỈ TIÊU NĂM"
    };
    title(
        ws,
        heading,
        "Dự báo cuối năm theo xu hướng các kỳ đã báo cáo",
        8,
        styles,
    )?;
    header(
        ws,
        3,
        &[
            "Đơn vị",
            "Mã",
            "Nội dung",
            "Kỳ",
            "Kết quả",
            "% chỉ tiêu",
            "Dự báo cuối năm",
            "Tình trạng",
            "Thay đổi",
        ],
        styles,
    )?;
    for (c, w) in PROGRESS_WIDTHS.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let mut row = 4;
    for u in &d.units {
        for (ind, p) in plan.indicators.iter().zip(&u.indicators) {
            let risky = matches!(p.status, Progress::Behind | Progress::NotMet);
            if risk_only && !risky {
                continue;
            }
            ws.write_string_with_format(row, 0, &u.code, &styles.text)?;
            ws.write_string_with_format(row, 1, &ind.code, &styles.text)?;
            ws.write_string_with_format(row, 2, &ind.content, &styles.text)?;
            ws.write_string_with_format(row, 3, p.period.as_deref().unwrap_or(""), &styles.text)?;
            for (col, v) in [
                (4u16, p.value),
                (5, p.percent_of_target),
                (6, p.projected),
                (8, p.change),
            ] {
                match v {
                    Some(n) => ws.write_number_with_format(row, col, n, &styles.number)?,
                    None => ws.write_blank(row, col, &styles.text)?,
                };
            }
            let style = if risky { &styles.problem } else { &styles.text };
            ws.write_string_with_format(row, 7, progress_text(p.status), style)?;
            fit_row(
                ws,
                row,
                &[
                    (&ind.content, PROGRESS_WIDTHS[2]),
                    (progress_text(p.status), PROGRESS_WIDTHS[7]),
                ],
            )?;
            row += 1;
        }
    }
    if row == 4 {
        ws.merge_range(
            4,
            0,
            4,
            8,
            "Không có chỉ tiêu nào có nguy cơ không đạt.",
            &styles.text,
        )?;
    }
    ws.set_freeze_panes(4, 0)?;
    print_setup(ws, Some(3));
    Ok(())
}

fn provisional(ws: &mut Worksheet, d: &Digest, styles: &Styles) -> Result<(), XlsxError> {
    ws.set_name("Xếp hạng tạm tính")?;
    let Some(c) = &d.provisional else {
        title(
            ws,
            "XẾP HẠNG TẠM TÍNH",
            "Chưa có kỳ báo cáo nào đến hạn",
            4,
            styles,
        )?;
        return Ok(());
    };
    title(
        ws,
        "XẾP HẠNG TẠM TÍNH — CHƯA PHẢI KẾT QUẢ CHÍNH THỨC",
        &format!(
            "Theo báo cáo kỳ {} đã nhận đến hết ngày {}",
            c.period_name,
            format_date(d.month_end)
        ),
        4,
        styles,
    )?;
    header(
        ws,
        3,
        &["Hạng", "Mã", "Đơn vị", "Điểm tạm tính", "Ghi chú"],
        styles,
    )?;
    for (col, w) in [6, 9, 36, 12, 40].iter().enumerate() {
        ws.set_column_width(col as u16, *w)?;
    }
    for (i, u) in super::consolidated::ranking_order(c)
        .into_iter()
        .enumerate()
    {
        let row = 4 + i as u32;
        match u.rank {
            Some(n) => ws.write_number_with_format(row, 0, n as f64, &styles.text)?,
            None => ws.write_string_with_format(row, 0, "—", &styles.text)?,
        };
        ws.write_string_with_format(row, 1, &u.code, &styles.text)?;
        ws.write_string_with_format(row, 2, &u.name, &styles.text)?;
        if u.rank.is_some() {
            ws.write_number_with_format(row, 3, u.ranking_score, &styles.number)?;
        } else {
            ws.write_blank(row, 3, &styles.text)?;
        }
        ws.write_string_with_format(row, 4, super::consolidated::remarks(u), &styles.text)?;
    }
    print_setup(ws, Some(3));
    Ok(())
}

/// Text from the plan or the workbooks inside Markdown: a leading `=`, `+`,
/// `-` or `@` is escaped (it would start a list, or a formula when pasted
/// into a spreadsheet), and `|` cannot break a table.
fn md(text: &str) -> String {
    let text = text.replace('|', "\\|");
    if text.starts_with(['=', '+', '-', '@']) {
        format!("\\{text}")
    } else {
        text
    }
}

/// The digest as Markdown, for the body of an e-mail.
pub fn markdown(plan: &Plan, d: &Digest) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Bản tin thi đua tháng {} — {}\n",
        month_label(d),
        plan.bloc
    );
    let _ = writeln!(
        out,
        "Số liệu đến hết ngày {} (kế hoạch {}).\n",
        format_date(d.month_end),
        plan.code
    );
    let _ = writeln!(out, "## Nộp báo cáo\n");
    let mut head = String::from("| Đơn vị |");
    let mut rule = String::from("|---|");
    for code in &d.periods_due {
        let _ = write!(
            head,
            " {} |",
            plan.period(code).map(|p| p.name.as_str()).unwrap_or(code)
        );
        rule.push_str("---|");
    }
    let _ = writeln!(out, "{head}\n{rule}");
    for u in &d.units {
        let mut line = format!("| {} |", md(&u.code));
        for code in &d.periods_due {
            let s = u
                .submissions
                .get(code)
                .copied()
                .unwrap_or(SubmissionStatus::Missing);
            let _ = write!(line, " {} |", status_text(s));
        }
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out, "\n## Chỉ tiêu có nguy cơ không đạt\n");
    let mut any = false;
    for u in &d.units {
        for (ind, p) in plan.indicators.iter().zip(&u.indicators) {
            if matches!(p.status, Progress::Behind | Progress::NotMet) {
                any = true;
                let v = p.value.map(format_vi).unwrap_or_else(|| "—".into());
                let proj = p
                    .projected
                    .map(|x| format!(", dự báo {}", format_vi(x)))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "- **{}** {} {}: {} ({}{proj}; chỉ tiêu {})",
                    md(&u.code),
                    md(&ind.code),
                    md(&ind.content),
                    progress_text(p.status),
                    v,
                    md(&ind.target_text)
                );
            }
        }
    }
    if !any {
        let _ = writeln!(out, "Không có.");
    }
    let _ = writeln!(out, "\n## Hạn nộp trong tháng tới\n");
    if d.deadlines_next_month.is_empty() {
        let _ = writeln!(out, "Không có kỳ báo cáo nào đến hạn.");
    }
    for dl in &d.deadlines_next_month {
        let _ = writeln!(
            out,
            "- {} — hạn {}; chưa nộp: {}",
            dl.name,
            format_date(dl.deadline),
            if dl.waiting.is_empty() {
                "không".into()
            } else {
                dl.waiting.join(", ")
            }
        );
    }
    let _ = writeln!(out, "\n## Thay đổi so với tháng trước\n");
    let _ = writeln!(out, "- Hồ sơ nhận trong tháng: {}", d.arrivals.len());
    for c in &d.changes {
        let _ = writeln!(
            out,
            "- {} tiêu chí {}: {} → {}",
            c.unit,
            c.code,
            progress_text(c.from),
            progress_text(c.to)
        );
    }
    if let Some(c) = &d.provisional {
        let _ = writeln!(
            out,
            "\n## Xếp hạng tạm tính (kỳ {}) — chưa phải kết quả chính thức\n",
            c.period_name
        );
        let _ = writeln!(out, "| Hạng | Đơn vị | Điểm |\n|---|---|---|");
        for u in super::consolidated::ranking_order(c) {
            match u.rank {
                Some(r) => {
                    let _ = writeln!(
                        out,
                        "| {r} | {} | {} |",
                        md(&u.name),
                        format_vi(u.ranking_score)
                    );
                }
                None => {
                    let why = match u.status {
                        UnitStatus::Incomplete => "chưa đủ số liệu",
                        UnitStatus::Conflict => "hai bản nộp khác nhau",
                        UnitStatus::Rejected => "có lỗi – chưa xếp loại",
                        UnitStatus::Missing | UnitStatus::Ranked => "chưa nộp",
                    };
                    let _ = writeln!(out, "| — | {} | {why} |", md(&u.name));
                }
            }
        }
    }
    out
}
