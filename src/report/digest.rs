//! The monthly digest as a workbook and as Markdown for an e-mail body.
//! Both render the same [`Digest`]; neither computes anything.

use std::path::Path;

use rust_xlsxwriter::{Chart, ChartType, Workbook, Worksheet, XlsxError};

use super::{Styles, WriteError, fit_row, print_setup, properties, save, xlsx_err};
use crate::digest::{Digest, Progress, SubmissionStatus};
use crate::messages::Lang;
use crate::plan::Plan;
use crate::text::number::format_date;
use crate::vocab::{PROP_OUTPUT, PROP_PLAN};

pub fn status_text(s: SubmissionStatus) -> String {
    crate::messages::submission_label(s, Lang::Vi)
}

pub fn progress_text(p: Progress) -> &'static str {
    crate::messages::progress_label(p, Lang::Vi)
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
    progress_matrix(wb.add_worksheet(), plan, d, &styles).map_err(&err)?;
    at_risk(wb.add_worksheet(), plan, d, &styles).map_err(&err)?;
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
    super::sheet_title(ws, text, sub, last, styles)
}

/// A header row over columns of these widths (set here too).
fn header(
    ws: &mut Worksheet,
    row: u32,
    labels: &[&str],
    widths: &[f64],
    styles: &Styles,
) -> Result<(), XlsxError> {
    let columns: Vec<(&str, f64)> = labels.iter().copied().zip(widths.iter().copied()).collect();
    super::table_header(ws, row, &columns, styles)
}

/// Column widths of the overview sheet.
const OVERVIEW_WIDTHS: [f64; 5] = [36.0, 14.0, 14.0, 14.0, 14.0];

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
    let row = overview_submissions(ws, plan, d, styles, 3)?;
    let row = overview_news(ws, d, styles, row)?;
    overview_chart(ws, d, styles, row)
}

/// How many reports of each period due came in on time, late, with errors
/// or not at all; the next free row.
fn overview_submissions(
    ws: &mut Worksheet,
    plan: &Plan,
    d: &Digest,
    styles: &Styles,
    mut row: u32,
) -> Result<u32, XlsxError> {
    ws.write_string_with_format(row, 0, "Nộp báo cáo các kỳ đã đến hạn", &styles.text_bold)?;
    row += 1;
    header(
        ws,
        row,
        &["Kỳ", "Đúng hạn", "Trễ hạn", "Có lỗi", "Chưa nộp"],
        &OVERVIEW_WIDTHS,
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
    Ok(row)
}

/// Next month's deadlines, the indicators at risk, what came in this month
/// and what changed; the next free row.
fn overview_news(
    ws: &mut Worksheet,
    d: &Digest,
    styles: &Styles,
    mut row: u32,
) -> Result<u32, XlsxError> {
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
    Ok(row)
}

/// Per unit, indicators met or on track against those at risk, as data and
/// a stacked bar chart.
fn overview_chart(
    ws: &mut Worksheet,
    d: &Digest,
    styles: &Styles,
    mut row: u32,
) -> Result<(), XlsxError> {
    // Chart data: per unit, indicators on track or met, and at risk.
    row += 2;
    let chart_top = row;
    header(
        ws,
        row,
        &["Đơn vị", "Đạt / đúng tiến độ", "Có nguy cơ / không đạt"],
        &OVERVIEW_WIDTHS[..3],
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
    let mut widths = vec![9.0, 36.0];
    widths.resize(refs.len(), 16.0);
    header(ws, 3, &refs, &widths, styles)?;
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

/// Tiến độ: every unit × indicator on one page, the cell the share of the
/// target reached (or the figure, or the verdict), coloured by progress.
fn progress_matrix(
    ws: &mut Worksheet,
    plan: &Plan,
    d: &Digest,
    styles: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name("Tiến độ")?;
    let last = plan.indicators.len() as u16;
    title(
        ws,
        "TIẾN ĐỘ THỰC HIỆN CHỈ TIÊU NĂM",
        &format!(
            "{} — số liệu đến hết ngày {}; mỗi ô: kết quả mới nhất so với chỉ tiêu",
            plan.bloc,
            format_date(d.month_end)
        ),
        last,
        styles,
    )?;
    ws.set_column_width(0, 10)?;
    ws.write_string_with_format(3, 0, "Tiêu chí", &styles.header)?;
    ws.write_string_with_format(4, 0, "Đơn vị", &styles.header)?;
    let rotated = styles.header.clone().set_rotation(90);
    for (i, ind) in plan.indicators.iter().enumerate() {
        let col = 1 + i as u16;
        ws.set_column_width(col, 7)?;
        ws.write_string_with_format(3, col, &ind.code, &styles.header)?;
        ws.write_string_with_format(4, col, &ind.content, &rotated)?;
    }
    // Rotated labels: the longest content decides the height (about six
    // points per character of 12-point text), at most a third of a page.
    let longest = plan
        .indicators
        .iter()
        .map(|i| i.content.chars().count())
        .max()
        .unwrap_or(10);
    ws.set_row_height(4, (longest as f64 * 6.2).clamp(60.0, 190.0))?;
    let tone = |color: u32| styles.centred.clone().set_background_color(color);
    let (good, warn, bad, muted) = (
        tone(0xE2EFDA),
        tone(0xFFF2CC),
        tone(0xFFC7CE),
        tone(0xEDEDED),
    );
    let mut row = 5;
    for u in &d.units {
        ws.write_string_with_format(row, 0, &u.code, &styles.text_bold)?;
        for (i, (ind, p)) in plan.indicators.iter().zip(&u.indicators).enumerate() {
            let col = 1 + i as u16;
            let style = match p.status {
                Progress::Met | Progress::OnTrack => &good,
                Progress::Behind => &warn,
                Progress::NotMet => &bad,
                Progress::NoData | Progress::NotAssigned | Progress::NoTarget => &muted,
            };
            match (p.percent_of_target, p.value) {
                (Some(share), _) => {
                    let share = (share / 100.0 * 100.0).round() / 100.0;
                    ws.write_number_with_format(
                        row,
                        col,
                        share,
                        &style.clone().set_num_format("0%"),
                    )?
                }
                (None, Some(v)) if ind.is_percent() => ws.write_number_with_format(
                    row,
                    col,
                    v / 100.0,
                    &style.clone().set_num_format("0%"),
                )?,
                (None, Some(v)) => ws.write_number_with_format(row, col, v, style)?,
                (None, None) => {
                    let mark = match p.status {
                        Progress::Met => "Đạt",
                        Progress::NotMet => "Không",
                        Progress::NotAssigned => "KG",
                        _ => "—",
                    };
                    ws.write_string_with_format(row, col, mark, style)?
                }
            };
        }
        row += 1;
    }
    let legend = [
        (&good, "Đã đạt hoặc đúng tiến độ"),
        (
            &warn,
            "Có nguy cơ không đạt (dự báo cuối năm dưới chỉ tiêu)",
        ),
        (&bad, "Không đạt (báo cáo năm)"),
        (&muted, "Chưa có số liệu, không giao (KG) hoặc tự chấm"),
    ];
    row += 1;
    for (style, text) in legend {
        ws.write_blank(row, 1, style)?;
        ws.merge_range(row, 2, row, last.max(2), text, &styles.plain)?;
        row += 1;
    }
    ws.merge_range(
        row,
        1,
        row,
        last.max(2),
        "Số trong ô: kết quả mới nhất so với chỉ tiêu (%), hoặc kết quả khi chỉ tiêu không phải một con số.",
        &styles.plain,
    )?;
    ws.set_freeze_panes(5, 1)?;
    print_setup(ws, Some(4));
    Ok(())
}

const RISK_WIDTHS: [f64; 8] = [30.0, 7.0, 40.0, 8.0, 12.0, 10.0, 12.0, 18.0];

/// Có nguy cơ: only the unit and indicator pairs at risk, with what the
/// projection is based on.
fn at_risk(ws: &mut Worksheet, plan: &Plan, d: &Digest, styles: &Styles) -> Result<(), XlsxError> {
    ws.set_name("Có nguy cơ")?;
    title(
        ws,
        "CHỈ TIÊU CÓ NGUY CƠ KHÔNG ĐẠT",
        "Dự báo cuối năm theo xu hướng các kỳ đã báo cáo",
        RISK_WIDTHS.len() as u16 - 1,
        styles,
    )?;
    let labels = [
        "Đơn vị",
        "Mã",
        "Nội dung",
        "Kỳ",
        "Kết quả",
        "% chỉ tiêu",
        "Dự báo cuối năm",
        "Chỉ tiêu",
    ];
    let columns: Vec<(&str, f64)> = labels.into_iter().zip(RISK_WIDTHS).collect();
    super::table_header(ws, 3, &columns, styles)?;
    let mut row = 4;
    for u in &d.units {
        for (ind, p) in plan.indicators.iter().zip(&u.indicators) {
            if !matches!(p.status, Progress::Behind | Progress::NotMet) {
                continue;
            }
            ws.write_string_with_format(row, 0, &u.name, &styles.text)?;
            ws.write_string_with_format(row, 1, &ind.code, &styles.text)?;
            ws.write_string_with_format(row, 2, &ind.content, &styles.text)?;
            let period = p
                .period
                .as_deref()
                .and_then(|c| plan.period(c))
                .map_or("", |p| p.name.as_str());
            ws.write_string_with_format(row, 3, period, &styles.text)?;
            let share = |v: f64| v / 100.0;
            let percent = ind.is_percent();
            match p.value {
                Some(v) if percent => {
                    ws.write_number_with_format(row, 4, share(v), styles.percent_for(share(v)))?
                }
                Some(v) => ws.write_number_with_format(row, 4, v, &styles.number)?,
                None => ws.write_blank(row, 4, &styles.text)?,
            };
            match p.percent_of_target {
                Some(v) => {
                    let s = (share(v) * 100.0).round() / 100.0;
                    ws.write_number_with_format(row, 5, s, &styles.percent_whole)?
                }
                None => ws.write_blank(row, 5, &styles.text)?,
            };
            match p.projected {
                Some(v) if percent => {
                    let s = (v * 10.0).round() / 1000.0;
                    ws.write_number_with_format(row, 6, s, styles.percent_for(s))?
                }
                // A count is projected in whole units.
                Some(v) => ws.write_number_with_format(row, 6, v.round(), &styles.number)?,
                None => ws.write_blank(row, 6, &styles.text)?,
            };
            ws.write_string_with_format(row, 7, &ind.target_text, &styles.problem)?;
            fit_row(
                ws,
                row,
                &[
                    (&u.name, RISK_WIDTHS[0]),
                    (&ind.content, RISK_WIDTHS[2]),
                    (&ind.target_text, RISK_WIDTHS[7]),
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
            RISK_WIDTHS.len() as u16 - 1,
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
        &[6.0, 9.0, 36.0, 12.0, 40.0],
        styles,
    )?;
    for (i, u) in super::consolidated::ranking_order(c)
        .into_iter()
        .enumerate()
    {
        let row = 4 + i as u32;
        match u.rank {
            Some(n) => ws.write_number_with_format(row, 0, n as f64, &styles.centred)?,
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
