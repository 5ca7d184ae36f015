//! The consolidated workbook (tổng hợp): the official output, in
//! Vietnamese, ready to print. Sheets: `Xếp hạng` (with a bar chart),
//! `Chi tiết` (one block per section so each fits the page width),
//! `Chỉ tiêu khối`, `Kiểm tra`, `Nộp báo cáo`, `Phiếu bầu`. Every value
//! comes from the [`Consolidation`]; text from inputs is written as text.

use std::path::Path;

use rust_xlsxwriter::{Chart, ChartDataLabel, ChartType, Workbook, Worksheet, XlsxError};

use super::{Styles, WriteError, fit_row, print_setup, properties, save, xlsx_err};
use crate::bloc::{Consolidation, UnitResult, UnitStatus};
use crate::messages::Lang;
use crate::plan::Plan;
use crate::score::Achieved;
use crate::vocab::{PROP_OUTPUT, PROP_PLAN};

mod bloc_targets;
mod registers;

use bloc_targets::bloc_targets;
use registers::{ballots, checks, submissions};

pub const RANKING_SHEET: &str = "Xếp hạng";
/// Row of the ranking table's header (zero-based).
pub const RANKING_HEADER_ROW: u32 = 3;
pub const RANKING_COLUMNS: [&str; 13] = [
    "Hạng",
    "Mã",
    "Đơn vị",
    "Tổng tự chấm",
    "Điểm tiêu chí",
    "Điểm thưởng",
    "Điểm trừ",
    "Tổng điểm",
    "Chênh lệch",
    "Điểm quy đổi",
    "Xếp loại",
    "Đề nghị khen thưởng",
    "Ghi chú",
];

const RANKING_WIDTHS: [f64; 13] = [
    6.0, 9.0, 32.0, 9.0, 10.0, 8.0, 8.0, 9.0, 10.0, 10.0, 17.0, 16.0, 38.0,
];

/// Units in the order of the ranking: ranked by rank then code, then the
/// others by code.
pub fn ranking_order(r: &Consolidation) -> Vec<&UnitResult> {
    let mut units: Vec<&UnitResult> = r.units.iter().collect();
    units.sort_by(|a, b| {
        (a.rank.is_none(), a.rank, &a.code).cmp(&(b.rank.is_none(), b.rank, &b.code))
    });
    units
}

/// Writes the consolidated workbook, building its sheets on up to `threads`
/// threads.
pub fn write(
    plan: &Plan,
    r: &Consolidation,
    path: &Path,
    threads: usize,
) -> Result<(), WriteError> {
    // rust_xlsxwriter panics when a constant-memory sheet cannot spool to
    // its temporary file (a full disk); that is an error to report.
    super::guarded(path, || write_unguarded(plan, r, path, threads))
}

/// Builds one sheet.
type Build<'a> = Box<dyn FnOnce(&mut Worksheet) -> Result<(), XlsxError> + Send + 'a>;

fn write_unguarded(
    plan: &Plan,
    r: &Consolidation,
    path: &Path,
    threads: usize,
) -> Result<(), WriteError> {
    let err = xlsx_err(path);
    let styles = Styles::new();
    let mut wb = Workbook::new();
    let props = properties(&format!(
        "Tổng hợp thi đua {} – {}",
        plan.code, r.period_name
    ))
    .set_custom_property(PROP_OUTPUT, "consolidated")
    .set_custom_property(PROP_PLAN, &plan.code)
    .set_custom_property("thidua-version", env!("CARGO_PKG_VERSION"));
    wb.set_properties(&props);
    // Sheets built at once number the formats they share in the order
    // they first use them; numbered here first, the numbers are the same
    // in every run, whatever the threads. The order is that of a
    // consolidation written on one thread.
    for format in [
        &styles.title,
        &styles.subtitle,
        &styles.header,
        &styles.centred,
        &styles.text,
        &styles.text_bold,
        &styles.percent_whole,
        &styles.percent,
        &styles.date,
        &styles.plain_wrap,
        &styles.problem,
    ] {
        wb.register_format(format);
    }
    // The sheets with a row per unit or finding are written row by row in
    // constant-memory mode (spooled to temporary files), so a national
    // consolidation does not hold them in memory.
    let styles = &styles;
    let sheets: Vec<(bool, Build)> = vec![
        (true, Box::new(|ws| ranking(ws, plan, r, styles))),
        (true, Box::new(|ws| detail(ws, plan, r, styles))),
        (false, Box::new(|ws| bloc_targets(ws, plan, r, styles))),
        (true, Box::new(|ws| checks(ws, r, styles))),
        (true, Box::new(|ws| submissions(ws, plan, r, styles))),
        (false, Box::new(|ws| ballots(ws, plan, r, styles))),
    ];
    let mut builds = Vec::with_capacity(sheets.len());
    for (constant_memory, build) in sheets {
        if constant_memory {
            wb.add_worksheet_with_constant_memory().map_err(&err)?;
        } else {
            wb.add_worksheet();
        }
        builds.push(build);
    }
    let jobs = wb.worksheets_mut().iter_mut().zip(builds).collect();
    build_sheets(jobs, threads, path)?;
    save(&mut wb, path, true)
}

/// Runs each sheet's build on up to `threads` threads, the largest first
/// so that the longest starts at once, each under the writer's guard on
/// the thread that runs it (a full disk makes rust_xlsxwriter panic);
/// gives the first error in sheet order.
fn build_sheets(
    jobs: Vec<(&mut Worksheet, Build)>,
    threads: usize,
    path: &Path,
) -> Result<(), WriteError> {
    use std::sync::Mutex;
    let count = jobs.len();
    let mut jobs: Vec<_> = jobs.into_iter().enumerate().collect();
    jobs.sort_by_key(|(i, _)| LARGEST_FIRST.iter().position(|s| s == i));
    let queue = Mutex::new(jobs.into_iter());
    let results = Mutex::new(Vec::with_capacity(count));
    let work = || {
        loop {
            let next = queue.lock().unwrap_or_else(|e| e.into_inner()).next();
            let Some((i, (ws, build))) = next else { break };
            let result = super::guarded(path, || build(ws).map_err(xlsx_err(path)));
            results
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((i, result));
        }
    };
    if threads <= 1 {
        work();
    } else {
        std::thread::scope(|scope| {
            for _ in 0..threads.min(count) {
                scope.spawn(work);
            }
        });
    }
    let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().try_for_each(|(_, result)| result)
}

/// The sheets by index, largest first: the detail sheet has a row per unit
/// and section, the ranking and the submissions sheets one per unit.
const LARGEST_FIRST: [usize; 6] = [1, 0, 4, 3, 2, 5];

fn title(
    ws: &mut Worksheet,
    text: &str,
    sub: &str,
    last: u16,
    styles: &Styles,
) -> Result<(), XlsxError> {
    super::sheet_title(ws, text, sub, last, styles)
}

/// The header row of a table, its columns set to `widths`.
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

fn opt_number(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    v: Option<f64>,
    styles: &Styles,
) -> Result<(), XlsxError> {
    match v {
        Some(n) => ws.write_number_with_format(row, col, n, &styles.number)?,
        None => ws.write_blank(row, col, &styles.text)?,
    };
    Ok(())
}

fn subtitle(plan: &Plan, r: &Consolidation) -> String {
    format!(
        "{} — kỳ báo cáo: {} — kế hoạch {}",
        plan.bloc, r.period_name, plan.code
    )
}

/// Remarks of a unit (Ghi chú), in Vietnamese.
pub fn remarks(u: &UnitResult) -> String {
    let mut out: Vec<String> = crate::messages::unit_status(u, Lang::Vi)
        .into_iter()
        .collect();
    if u.provisional_award.is_some() {
        out.push("Đề nghị khen thưởng tạm tính: chờ xử lý đơn vị chưa đủ số liệu".to_string());
    }
    if u.shared_rank {
        out.push("Đồng hạng".into());
    }
    if u.decided_by_tie_break {
        out.push("Phân định bằng tiêu chí phụ".into());
    }
    if let Some(a) = &u.needs_vote {
        out.push(format!("Cần bình xét ({a})"));
    }
    if let Some(reason) = &u.barred_reason {
        out.push(format!("Loại khỏi khen thưởng: {reason}"));
    }
    if u.converted.is_some()
        && (u.assigned_max - 0.0).abs() > 0.0
        && u.indicators
            .iter()
            .any(|i| i.achieved == Achieved::NotAssigned)
    {
        out.push(format!(
            "Có tiêu chí không giao; điểm tối đa {}",
            crate::text::number::format_vi(u.assigned_max)
        ));
    }
    out.join("; ")
}

fn ranking(
    ws: &mut Worksheet,
    plan: &Plan,
    r: &Consolidation,
    styles: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name(RANKING_SHEET)?;
    let last = (RANKING_COLUMNS.len() - 1) as u16;
    title(
        ws,
        "BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG THI ĐUA",
        &subtitle(plan, r),
        last,
        styles,
    )?;
    let hr = RANKING_HEADER_ROW;
    header(ws, hr, &RANKING_COLUMNS, &RANKING_WIDTHS, styles)?;
    let units = ranking_order(r);
    for (i, u) in units.iter().enumerate() {
        let row = hr + 1 + i as u32;
        match u.rank {
            Some(n) => ws.write_number_with_format(row, 0, n as f64, &styles.centred)?,
            None => ws.write_string_with_format(row, 0, "—", &styles.centred)?,
        };
        ws.write_string_with_format(row, 1, &u.code, &styles.text)?;
        ws.write_string_with_format(row, 2, &u.name, &styles.text)?;
        let ranked = u.status == UnitStatus::Ranked;
        let v = |x: f64| ranked.then_some(x);
        opt_number(ws, row, 3, v(u.self_total), styles)?;
        opt_number(ws, row, 4, v(u.indicator_total), styles)?;
        opt_number(ws, row, 5, v(u.bonus), styles)?;
        opt_number(ws, row, 6, v(u.penalty), styles)?;
        opt_number(ws, row, 7, v(u.total), styles)?;
        opt_number(
            ws,
            row,
            8,
            v(crate::score::round2(u.total - u.self_total)),
            styles,
        )?;
        opt_number(ws, row, 9, if ranked { u.converted } else { None }, styles)?;
        ws.write_string_with_format(
            row,
            10,
            u.grade.map(|g| g.name_vi()).unwrap_or(""),
            &styles.text,
        )?;
        let award = match (&u.award, &u.provisional_award) {
            (Some(a), _) => a.clone(),
            (None, Some(a)) => format!("{a} (tạm tính)"),
            (None, None) => String::new(),
        };
        ws.write_string_with_format(row, 11, &award, &styles.text_bold)?;
        let note = remarks(u);
        ws.write_string_with_format(row, 12, &note, &styles.text)?;
        let grade = u.grade.map(|g| g.name_vi()).unwrap_or("");
        fit_row(
            ws,
            row,
            &[
                (&u.name, RANKING_WIDTHS[2]),
                (grade, RANKING_WIDTHS[10]),
                (&award, RANKING_WIDTHS[11]),
                (&note, RANKING_WIDTHS[12]),
            ],
        )?;
    }
    let ranked = units.iter().filter(|u| u.rank.is_some()).count() as u32;
    if ranked > 0 {
        let mut chart = Chart::new(ChartType::Bar);
        let score_col = if r.uses_converted { 9 } else { 7 };
        chart
            .add_series()
            .set_categories((RANKING_SHEET, hr + 1, 1, hr + ranked, 1))
            .set_values((RANKING_SHEET, hr + 1, score_col, hr + ranked, score_col))
            .set_name("Tổng điểm")
            .set_data_label(ChartDataLabel::new().show_value());
        chart.title().set_name("Tổng điểm thi đua");
        chart.legend().set_hidden();
        // Bars from zero: a cut axis makes a one-point gap look tenfold.
        chart.y_axis().set_reverse();
        chart.x_axis().set_min(0.0);
        chart.set_width(900).set_height(60 + 26 * ranked);
        // The chart prints on a page of its own, after the table.
        let at = hr + 2 + units.len() as u32;
        ws.set_page_breaks(&[at])?;
        ws.insert_chart(at + 1, 1, &chart)?;
    }
    ws.set_freeze_panes(hr + 1, 0)?;
    print_setup(ws, Some(hr));
    Ok(())
}

/// Text shown for an achieved value.
fn achieved_text(a: &Achieved) -> Option<String> {
    match a {
        Achieved::Missing | Achieved::Number(_) => None,
        Achieved::NotAssigned => Some("Không giao".into()),
        Achieved::Done(true) => Some("Hoàn thành".into()),
        Achieved::Done(false) => Some("Chưa hoàn thành".into()),
        Achieved::Grade(g) => Some(g.abbreviation().into()),
        Achieved::Text(t) => Some(t.clone()),
        Achieved::Unreadable => Some("(không đọc được)".into()),
    }
}

fn detail(
    ws: &mut Worksheet,
    plan: &Plan,
    r: &Consolidation,
    styles: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name("Chi tiết")?;
    let units: Vec<&UnitResult> = ranking_order(r)
        .into_iter()
        .filter(|u| u.status == UnitStatus::Ranked)
        .collect();
    let widest = plan
        .sections
        .iter()
        .map(|s| plan.indicators.iter().filter(|i| i.section == s.id).count())
        .max()
        .unwrap_or(0) as u16;
    title(
        ws,
        "CHI TIẾT KẾT QUẢ VÀ ĐIỂM THEO TIÊU CHÍ",
        &subtitle(plan, r),
        2 + widest * 2,
        styles,
    )?;
    ws.set_column_width(0, 6)?;
    ws.set_column_width(1, 10)?;
    for c in 0..widest * 2 {
        ws.set_column_width(2 + c, 8)?;
    }
    ws.set_column_width(2 + widest * 2, 9)?;
    let mut row = 3;
    let mut breaks = Vec::new();
    for section in &plan.sections {
        let cols: Vec<(usize, &crate::plan::Indicator)> = plan
            .indicators
            .iter()
            .enumerate()
            .filter(|(_, i)| i.section == section.id)
            .collect();
        if cols.is_empty() {
            continue;
        }
        if row > 3 {
            breaks.push(row);
        }
        let last = 2 + cols.len() as u16 * 2;
        ws.merge_range(
            row,
            0,
            row,
            last,
            &format!("Mục {}. {}", section.id, section.title),
            &styles.text_bold,
        )?;
        row += 1;
        // Two header rows written strictly in order (the sheet is written
        // in constant-memory mode): codes over pairs of columns, then
        // `Kết quả` | `Điểm` under each.
        ws.write_string_with_format(row, 0, "Hạng", &styles.header)?;
        ws.write_string_with_format(row, 1, "Đơn vị", &styles.header)?;
        for (k, (_, ind)) in cols.iter().enumerate() {
            let c = 2 + k as u16 * 2;
            let label = format!(
                "{} (tối đa {})",
                ind.code,
                crate::text::number::format_vi(ind.max_points)
            );
            ws.merge_range(row, c, row, c + 1, &label, &styles.header)?;
        }
        ws.write_string_with_format(row, last, "Cộng mục", &styles.header)?;
        ws.write_blank(row + 1, 0, &styles.header)?;
        ws.write_blank(row + 1, 1, &styles.header)?;
        for k in 0..cols.len() as u16 {
            let c = 2 + k * 2;
            ws.write_string_with_format(row + 1, c, "Kết quả", &styles.header)?;
            ws.write_string_with_format(row + 1, c + 1, "Điểm", &styles.header)?;
        }
        ws.write_blank(row + 1, last, &styles.header)?;
        row += 2;
        for u in &units {
            match u.rank {
                Some(n) => ws.write_number_with_format(row, 0, n as f64, &styles.centred)?,
                None => ws.write_blank(row, 0, &styles.text)?,
            };
            ws.write_string_with_format(row, 1, &u.code, &styles.text)?;
            for (k, (i, ind)) in cols.iter().enumerate() {
                let c = 2 + k as u16 * 2;
                let res = &u.indicators[*i];
                match (&res.achieved, achieved_text(&res.achieved)) {
                    (Achieved::Number(n), _) if ind.is_percent() => ws.write_number_with_format(
                        row,
                        c,
                        n / 100.0,
                        styles.percent_for(n / 100.0),
                    )?,
                    (Achieved::Number(n), _) => {
                        ws.write_number_with_format(row, c, *n, &styles.number)?
                    }
                    (_, Some(text)) => ws.write_string_with_format(row, c, text, &styles.text)?,
                    _ => ws.write_blank(row, c, &styles.text)?,
                };
                opt_number(ws, row, c + 1, res.final_score, styles)?;
            }
            let texts: Vec<String> = cols
                .iter()
                .filter_map(|(i, _)| achieved_text(&u.indicators[*i].achieved))
                .collect();
            let cells: Vec<(&str, f64)> = texts.iter().map(|t| (t.as_str(), 8.0)).collect();
            fit_row(ws, row, &cells)?;
            let subtotal = u.section_totals.get(&section.id).copied().unwrap_or(0.0);
            ws.write_number_with_format(row, last, subtotal, &styles.number_bold)?;
            row += 1;
        }
        // Best and worst score of each indicator among the ranked units.
        for (label, best) in [("Cao nhất", true), ("Thấp nhất", false)] {
            ws.merge_range(row, 0, row, 1, label, &styles.text_bold)?;
            for (k, (i, _)) in cols.iter().enumerate() {
                let c = 2 + k as u16 * 2;
                let scores = units.iter().filter_map(|u| u.indicators[*i].final_score);
                let v = if best {
                    scores.fold(None, |m: Option<f64>, x| Some(m.map_or(x, |m| m.max(x))))
                } else {
                    scores.fold(None, |m: Option<f64>, x| Some(m.map_or(x, |m| m.min(x))))
                };
                ws.write_blank(row, c, &styles.text)?;
                opt_number(ws, row, c + 1, v, styles)?;
            }
            ws.write_blank(row, last, &styles.text)?;
            row += 1;
        }
        row += 2;
    }
    if !breaks.is_empty() {
        ws.set_page_breaks(&breaks)?;
    }
    print_setup(ws, None);
    Ok(())
}
