//! The registers of the consolidated workbook: `Kiểm tra` (every finding),
//! `Nộp báo cáo` (who sent what, when, how late) and `Phiếu bầu` (the
//! ballots for the awards).

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::{header, opt_number, ranking_order, title};
use crate::bloc::{Consolidation, FileStatus, UnitResult};
use crate::messages::{Lang, message, severity_label};
use crate::plan::Plan;
use crate::report::{Styles, fit_row, print_setup};
use crate::text::number::{format_date, serial_from_date};

pub(super) fn checks(
    ws: &mut Worksheet,
    r: &Consolidation,
    styles: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name("Kiểm tra")?;
    let labels = [
        "Mức độ",
        "Mã lỗi",
        "Đơn vị",
        "Tệp",
        "Trang",
        "Ô",
        "Tiêu chí",
        "Giá trị",
        "Cần",
        "Nội dung",
    ];
    title(
        ws,
        "KẾT QUẢ KIỂM TRA CÁC TỆP",
        &format!("{} phát hiện", r.findings.len()),
        labels.len() as u16 - 1,
        styles,
    )?;
    const WIDTHS: [f64; 10] = [9.0, 18.0, 9.0, 30.0, 14.0, 6.0, 8.0, 14.0, 14.0, 56.0];
    header(ws, 3, &labels, &WIDTHS, styles)?;
    let mut sorted: Vec<_> = r.findings.iter().collect();
    sorted.sort_by(|a, b| (a.severity, &a.unit, &a.file).cmp(&(b.severity, &b.unit, &b.file)));
    for (i, f) in sorted.iter().enumerate() {
        let row = 4 + i as u32;
        let text = |s: &Option<String>| s.clone().unwrap_or_default();
        ws.write_string_with_format(row, 0, severity_label(f.severity, Lang::Vi), &styles.text)?;
        ws.write_string_with_format(row, 1, f.code.as_str(), &styles.text)?;
        ws.write_string_with_format(row, 2, text(&f.unit), &styles.text)?;
        ws.write_string_with_format(row, 3, &f.file, &styles.text)?;
        ws.write_string_with_format(row, 4, text(&f.sheet), &styles.text)?;
        ws.write_string_with_format(row, 5, text(&f.cell), &styles.text)?;
        ws.write_string_with_format(row, 6, text(&f.indicator), &styles.text)?;
        ws.write_string_with_format(row, 7, text(&f.found), &styles.text)?;
        ws.write_string_with_format(row, 8, text(&f.expected), &styles.text)?;
        let msg = message(f, Lang::Vi);
        ws.write_string_with_format(row, 9, &msg, &styles.text)?;
        fit_row(
            ws,
            row,
            &[
                (&f.file, WIDTHS[3]),
                (f.found.as_deref().unwrap_or(""), WIDTHS[7]),
                (f.expected.as_deref().unwrap_or(""), WIDTHS[8]),
                (&msg, WIDTHS[9]),
            ],
        )?;
    }
    ws.set_freeze_panes(4, 0)?;
    print_setup(ws, Some(3));
    Ok(())
}

fn file_status(s: FileStatus) -> &'static str {
    match s {
        FileStatus::Counted => "Được tính",
        FileStatus::Superseded => "Đã thay bằng bản sau",
        FileStatus::Conflict => "Xung đột",
        FileStatus::NotInBloc => "Không thuộc khối",
        FileStatus::OtherPlan => "Thuộc kế hoạch khác",
        FileStatus::OtherPeriod => "Khác kỳ báo cáo",
        FileStatus::Unreadable => "Không đọc được",
        FileStatus::Rejected => "Có lỗi – không nhận",
    }
}

pub(super) fn submissions(
    ws: &mut Worksheet,
    plan: &Plan,
    r: &Consolidation,
    styles: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name("Nộp báo cáo")?;
    let labels = [
        "Mã",
        "Đơn vị",
        "Tình trạng",
        "Tệp",
        "Ngày báo cáo",
        "Nhận lúc",
        "Hạn nộp",
        "Trễ (ngày)",
        "Lỗi",
        "Cảnh báo",
    ];
    let deadline = r.deadline.map(format_date).unwrap_or_default();
    title(
        ws,
        "TÌNH HÌNH NỘP BÁO CÁO",
        &format!("Kỳ: {} — hạn nộp {deadline}", r.period_name),
        labels.len() as u16 - 1,
        styles,
    )?;
    header(
        ws,
        3,
        &labels,
        &[9.0, 30.0, 18.0, 44.0, 12.0, 16.0, 12.0, 9.0, 7.0, 9.0],
        styles,
    )?;
    let mut by_unit: std::collections::HashMap<&str, Vec<&crate::bloc::FileRecord>> =
        std::collections::HashMap::new();
    for f in &r.files {
        if let Some(u) = f.unit.as_deref() {
            by_unit.entry(u).or_default().push(f);
        }
    }
    let mut row = 4;
    for unit in &plan.units {
        let files = by_unit.get(unit.code.as_str()).cloned().unwrap_or_default();
        if files.is_empty() {
            ws.write_string_with_format(row, 0, &unit.code, &styles.text)?;
            ws.write_string_with_format(row, 1, &unit.name, &styles.text)?;
            ws.write_string_with_format(row, 2, "Chưa nộp", &styles.problem)?;
            for c in 3..labels.len() as u16 {
                ws.write_blank(row, c, &styles.text)?;
            }
            row += 1;
            continue;
        }
        for f in files {
            record_row(ws, row, &unit.code, &unit.name, f, r, styles)?;
            row += 1;
        }
    }
    for f in r
        .files
        .iter()
        .filter(|f| f.unit.as_deref().is_none_or(|u| plan.unit(u).is_none()))
    {
        record_row(ws, row, "", "", f, r, styles)?;
        row += 1;
    }
    print_setup(ws, Some(3));
    Ok(())
}

fn record_row(
    ws: &mut Worksheet,
    row: u32,
    code: &str,
    name: &str,
    f: &crate::bloc::FileRecord,
    r: &Consolidation,
    styles: &Styles,
) -> Result<(), XlsxError> {
    ws.write_string_with_format(row, 0, code, &styles.text)?;
    ws.write_string_with_format(row, 1, name, &styles.text)?;
    let style = if f.status == FileStatus::Counted {
        &styles.text
    } else {
        &styles.problem
    };
    ws.write_string_with_format(row, 2, file_status(f.status), style)?;
    ws.write_string_with_format(row, 3, &f.file, &styles.text)?;
    match f.report_date {
        Some(d) => ws.write_number_with_format(row, 4, serial_from_date(d), &styles.date)?,
        None => ws.write_blank(row, 4, &styles.text)?,
    };
    match f.received {
        Some(t) => ws.write_string_with_format(
            row,
            5,
            t.format("%d/%m/%Y %H:%M").to_string(),
            &styles.text,
        )?,
        None => ws.write_blank(row, 5, &styles.text)?,
    };
    match r.deadline {
        Some(d) => ws.write_number_with_format(row, 6, serial_from_date(d), &styles.date)?,
        None => ws.write_blank(row, 6, &styles.text)?,
    };
    opt_number(ws, row, 7, f.late_days.map(|d| d as f64), styles)?;
    ws.write_number_with_format(row, 8, f.errors as f64, &styles.number)?;
    ws.write_number_with_format(row, 9, f.warnings as f64, &styles.number)?;
    Ok(())
}

pub(super) fn ballots(
    ws: &mut Worksheet,
    plan: &Plan,
    r: &Consolidation,
    styles: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name("Phiếu bầu")?;
    let mut row = 0;
    let mut breaks = Vec::new();
    let members = plan.units.len();
    for award in &plan.awards {
        let candidates: Vec<&UnitResult> = ranking_order(r)
            .into_iter()
            .filter(|u| {
                [&u.award, &u.provisional_award, &u.needs_vote]
                    .iter()
                    .any(|a| a.as_deref() == Some(award.name.as_str()))
            })
            .collect();
        if row > 0 {
            breaks.push(row);
        }
        let quota = crate::rank::quota_size(award.quota, members);
        ws.merge_range(
            row,
            0,
            row,
            6,
            &format!("PHIẾU BẦU SUY TÔN: {}", award.name.to_uppercase()),
            &styles.title,
        )?;
        ws.merge_range(
            row + 1,
            0,
            row + 1,
            6,
            &format!(
                "{} — {} — chọn tối đa {quota} đơn vị, đánh dấu X vào ô Đồng ý",
                plan.bloc, r.period_name
            ),
            &styles.subtitle,
        )?;
        header(
            ws,
            row + 3,
            &[
                "STT",
                "Đơn vị",
                "Tổng điểm",
                "Xếp hạng",
                "Ghi chú",
                "Đồng ý",
                "Không đồng ý",
            ],
            &[6.0, 40.0, 12.0, 10.0, 44.0, 12.0, 12.0],
            styles,
        )?;
        let mut line = row + 4;
        for (i, u) in candidates.iter().enumerate() {
            ws.write_number_with_format(line, 0, (i + 1) as f64, &styles.text)?;
            ws.write_string_with_format(line, 1, &u.name, &styles.text)?;
            ws.write_number_with_format(line, 2, u.ranking_score, &styles.number)?;
            opt_number(ws, line, 3, u.rank.map(f64::from), styles)?;
            let note = if u.needs_vote.is_some() {
                "Đồng hạng tại ranh giới chỉ tiêu – cần bình xét".to_string()
            } else if u.provisional_award.is_some() {
                format!(
                    "Tạm tính – chờ xử lý đơn vị chưa đủ số liệu: {}",
                    r.awards_pending.join(", ")
                )
            } else {
                "Đề nghị theo kết quả chấm điểm".to_string()
            };
            ws.write_string_with_format(line, 4, &note, &styles.text)?;
            fit_row(ws, line, &[(&u.name, 40.0), (&note, 44.0)])?;
            ws.write_blank(line, 5, &styles.text)?;
            ws.write_blank(line, 6, &styles.text)?;
            line += 1;
        }
        if candidates.is_empty() {
            ws.merge_range(
                line,
                0,
                line,
                6,
                "Không có đơn vị đủ điều kiện",
                &styles.text,
            )?;
            line += 1;
        }
        row = line + 3;
    }
    if !breaks.is_empty() {
        ws.set_page_breaks(&breaks)?;
    }
    print_setup(ws, None);
    Ok(())
}
