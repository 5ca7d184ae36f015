//! Writes a plan workbook (kế hoạch) from a [`PlanDraft`]: the blank plan
//! of `thidua init` (with a `Hướng dẫn` sheet and example rows) and the
//! sample plans. The sheet and column names are those of `vocab::plan`, the
//! same ones the plan loader looks for (docs/architecture.md).

use std::path::Path;

use chrono::NaiveDate;
use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, Workbook, Worksheet};

use super::{Styles, WriteError, print_setup, properties, save, xlsx_err};
use crate::text::number::serial_from_date;
use crate::vocab::plan as vp;
use crate::workbook::table::ColumnSpec;

/// One cell of a draft.
#[derive(Debug, Clone, PartialEq)]
pub enum Draft {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
}

pub fn t(text: &str) -> Draft {
    Draft::Text(text.to_string())
}

pub fn n(value: f64) -> Draft {
    Draft::Number(value)
}

pub fn d(year: i32, month: u32, day: u32) -> Draft {
    NaiveDate::from_ymd_opt(year, month, day).map_or(Draft::Empty, Draft::Date)
}

/// A plan's content, sheet by sheet, rows in the column order of the
/// plan's column specs in [`crate::vocab::plan`].
#[derive(Debug, Clone, Default)]
pub struct PlanDraft {
    pub info: Vec<(&'static str, Draft)>,
    pub units: Vec<Vec<Draft>>,
    pub indicators: Vec<Vec<Draft>>,
    pub adjustments: Vec<Vec<Draft>>,
    pub periods: Vec<Vec<Draft>>,
    pub grades: Vec<Vec<Draft>>,
    pub awards: Vec<Vec<Draft>>,
}

/// A table sheet of the plan: name, header, rows.
type TableSheet<'a> = (&'a str, &'a [ColumnSpec], &'a [Vec<Draft>]);

/// Rows of free space given validation lists below the examples.
const INPUT_ROWS: u32 = 300;

/// Writes the draft as a plan workbook; with `guide`, adds `Hướng dẫn`.
pub fn write(
    draft: &PlanDraft,
    path: &Path,
    guide: bool,
    overwrite: bool,
) -> Result<(), WriteError> {
    let err = xlsx_err(path);
    let styles = Styles::new();
    let mut wb = Workbook::new();
    let code = draft
        .info
        .iter()
        .find(|(k, _)| *k == vp::PLAN_CODE)
        .map(|(_, v)| match v {
            Draft::Text(t) => t.clone(),
            _ => String::new(),
        })
        .unwrap_or_default();
    wb.set_properties(&properties(&format!("Kế hoạch thi đua {code}")));

    if guide {
        // A sample plan says where it comes from and what it adds.
        let notes: Vec<(&str, String)> = draft
            .info
            .iter()
            .filter(|(k, _)| NOTE_KEYS.contains(k))
            .filter_map(|(k, v)| match v {
                Draft::Text(t) => Some((*k, t.clone())),
                _ => None,
            })
            .collect();
        write_guide(wb.add_worksheet(), &notes, &styles).map_err(&err)?;
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name(vp::INFO_SHEET[0]).map_err(&err)?;
        ws.merge_range(0, 0, 0, 1, "THÔNG TIN KẾ HOẠCH THI ĐUA", &styles.title)
            .map_err(&err)?;
        ws.set_column_width(0, 24).map_err(&err)?;
        ws.set_column_width(1, 50).map_err(&err)?;
        for (i, (key, value)) in draft.info.iter().enumerate() {
            let row = 2 + i as u32;
            ws.write_string_with_format(row, 0, *key, &styles.text_bold)
                .map_err(&err)?;
            write_draft(ws, row, 1, value, &styles).map_err(&err)?;
        }
        print_setup(ws, None);
    }
    let sheets: [TableSheet; 6] = [
        (vp::UNITS_SHEET[0], vp::UNIT_COLUMNS, &draft.units),
        (
            vp::INDICATORS_SHEET[0],
            vp::INDICATOR_COLUMNS,
            &draft.indicators,
        ),
        (
            vp::ADJUSTMENTS_SHEET[0],
            vp::ADJUSTMENT_COLUMNS,
            &draft.adjustments,
        ),
        (vp::PERIODS_SHEET[0], vp::PERIOD_COLUMNS, &draft.periods),
        (vp::GRADES_SHEET[0], vp::GRADE_COLUMNS, &draft.grades),
        (vp::AWARDS_SHEET[0], vp::AWARD_COLUMNS, &draft.awards),
    ];
    for (name, spec, rows) in sheets {
        let header = vp::header(spec);
        let header = header.as_slice();
        let ws = wb.add_worksheet();
        ws.set_name(name).map_err(&err)?;
        let width = |label: &str| match label {
            "Nội dung" | "Tên đơn vị" => 48.0,
            "Chỉ tiêu" | "Cách chấm" | "Tên khác" | "Chỉ tiêu khối" => 30.0,
            _ => 14.0,
        };
        let columns: Vec<(&str, f64)> = header.iter().map(|l| (*l, width(l))).collect();
        super::table_header(ws, 0, &columns, &styles).map_err(&err)?;
        for (r, row) in rows.iter().enumerate() {
            let mut texts = Vec::new();
            for (c, value) in row.iter().enumerate() {
                write_draft(ws, 1 + r as u32, c as u16, value, &styles).map_err(&err)?;
                if let (Draft::Text(t), Some((_, w))) = (value, columns.get(c)) {
                    texts.push((t.as_str(), *w));
                }
            }
            super::fit_row(ws, 1 + r as u32, &texts).map_err(&err)?;
        }
        ws.set_freeze_panes(1, 0).map_err(&err)?;
        add_lists(ws, header).map_err(&err)?;
        print_setup(ws, Some(0));
    }
    save(&mut wb, path, overwrite)
}

fn write_draft(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: &Draft,
    styles: &Styles,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    match value {
        Draft::Empty => ws.write_blank(row, col, &styles.text).map(|_| ()),
        Draft::Text(text) => ws
            .write_string_with_format(row, col, text, &styles.text)
            .map(|_| ()),
        Draft::Number(n) => ws
            .write_number_with_format(row, col, *n, &styles.number)
            .map(|_| ()),
        Draft::Date(d) => ws
            .write_number_with_format(row, col, serial_from_date(*d), &styles.date)
            .map(|_| ()),
    }
}

/// Drop-down lists for the columns that take one of a few words.
fn add_lists(ws: &mut Worksheet, header: &[&str]) -> Result<(), rust_xlsxwriter::XlsxError> {
    for (c, label) in header.iter().enumerate() {
        let (choices, strict): (&[&str], bool) = match *label {
            // `Theo mức: …` is free text, so other values only warn.
            "Cách chấm" => (&["Đạt", "Tỷ lệ", "Tự chấm", "Dẫn đầu", "Theo mức: "], false),
            "Loại" => (&["Thưởng", "Trừ"], true),
            "Đăng ký riêng" | "Loại khỏi khen thưởng" => (&["Có", "Không"], true),
            "Tổng hợp khối" => (&["Tổng", "Bình quân theo biên chế", "Số đơn vị đạt"], true),
            "Xếp loại" | "Xếp loại tối thiểu" => (
                &[
                    "Hoàn thành xuất sắc nhiệm vụ",
                    "Hoàn thành tốt nhiệm vụ",
                    "Hoàn thành nhiệm vụ",
                    "Không hoàn thành nhiệm vụ",
                ],
                true,
            ),
            _ => continue,
        };
        let mut dv = DataValidation::new().allow_list_strings(choices)?;
        if !strict {
            dv = dv.set_error_style(DataValidationErrorStyle::Information);
        }
        ws.add_data_validation(1, c as u16, INPUT_ROWS, c as u16, &dv)?;
    }
    Ok(())
}

/// The `Hướng dẫn` sheet: what each sheet and column means.
/// `Thông tin` rows that describe the plan itself (a sample's source and
/// what it adds to it), repeated at the top of `Hướng dẫn`.
pub const NOTE_KEYS: [&str; 2] = ["Nguồn", "Phần minh họa"];

fn write_guide(
    ws: &mut Worksheet,
    notes: &[(&str, String)],
    styles: &Styles,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    ws.set_name("Hướng dẫn")?;
    const WIDTHS: [f64; 3] = [16.0, 24.0, 90.0];
    super::sheet_title(
        ws,
        "HƯỚNG DẪN LẬP KẾ HOẠCH THI ĐUA",
        "Các dòng có sẵn là ví dụ: sửa hoặc xóa rồi điền kế hoạch của khối. Kiểm tra bằng lệnh `thidua plan`.",
        2,
        styles,
    )?;
    let mut top = 3;
    for (key, text) in notes {
        ws.write_string_with_format(top, 0, *key, &styles.text_bold)?;
        ws.merge_range(top, 1, top, 2, text, &styles.text)?;
        super::fit_row(ws, top, &[(text, WIDTHS[1] + WIDTHS[2])])?;
        top += 1;
    }
    if !notes.is_empty() {
        top += 1;
    }
    let columns: Vec<(&str, f64)> = ["Trang", "Cột", "Ý nghĩa và cách ghi"]
        .into_iter()
        .zip(WIDTHS)
        .collect();
    super::table_header(ws, top, &columns, styles)?;
    for (i, (sheet, column, help)) in GUIDE.iter().enumerate() {
        let row = top + 1 + i as u32;
        ws.write_string_with_format(row, 0, *sheet, &styles.text)?;
        ws.write_string_with_format(row, 1, *column, &styles.text_bold)?;
        ws.write_string_with_format(row, 2, *help, &styles.text)?;
        super::fit_row(ws, row, &[(column, WIDTHS[1] * 0.9), (help, WIDTHS[2])])?;
    }
    print_setup(ws, Some(top));
    Ok(())
}

const GUIDE: &[(&str, &str, &str)] = &[
    (
        "Thông tin",
        "Mã kế hoạch",
        "Mã duy nhất của kế hoạch, ví dụ KTKT-2022. Mẫu báo cáo của đơn vị mang mã này.",
    ),
    (
        "Thông tin",
        "Tên khối",
        "Tên khối thi đua, ví dụ Khối Kinh tế kỹ thuật.",
    ),
    ("Thông tin", "Năm", "Năm thi đua."),
    (
        "Thông tin",
        "Thang điểm",
        "Tổng điểm tối đa của bảng tiêu chí (100, 1000 …); điểm quy đổi tính theo thang này.",
    ),
    (
        "Thông tin",
        "Khối trưởng",
        "Mã đơn vị khối trưởng (phải có trong trang Đơn vị).",
    ),
    (
        "Thông tin",
        "Tiêu chí phụ",
        "Thứ tự phân định khi bằng điểm, cách nhau bởi dấu ;  ví dụ: Mục I; Điểm trừ.",
    ),
    (
        "Thông tin",
        "Thứ tự điểm",
        "Điểm nào được dùng khi có nhiều điểm; mặc định: Thẩm định; Tính; Tự chấm.",
    ),
    (
        "Đơn vị",
        "Mã đơn vị",
        "Mã ngắn, không trùng (ví dụ SCT); dùng để đặt tên tệp mẫu.",
    ),
    ("Đơn vị", "Tên đơn vị", "Tên đầy đủ của đơn vị."),
    (
        "Đơn vị",
        "Số CBCCVC",
        "Số cán bộ, công chức, viên chức; dùng làm trọng số khi tổng hợp tỷ lệ của khối.",
    ),
    (
        "Đơn vị",
        "Tên khác",
        "Các tên gọi khác, cách nhau bởi dấu ; (để nhận ra đơn vị từ tên tệp).",
    ),
    (
        "Tiêu chí",
        "Mục",
        "Số La Mã của mục (I, II, III). Dòng mục chỉ ghi Mục và Nội dung, không ghi Mã.",
    ),
    (
        "Tiêu chí",
        "Mã",
        "Mã tiêu chí duy nhất, ví dụ 1.1. Nên định dạng ô là Văn bản để Excel không đổi 1.10 thành 1.1.",
    ),
    ("Tiêu chí", "Nội dung", "Nội dung tiêu chí."),
    ("Tiêu chí", "Đơn vị tính", "%, xã, cá nhân, sáng kiến …"),
    (
        "Tiêu chí",
        "Chỉ tiêu",
        "Ghi như thường ghi: 96%; > 82%; Trên 90%; Ít nhất 15%; Từ 07 đến 09; Tối đa 2; Không có; Tăng từ 02 bậc trở lên; Cao hơn năm 2021; Hoàn thành; Hoàn thành tốt nhiệm vụ trở lên. Tiêu chí Tự chấm có thể để trống.",
    ),
    ("Tiêu chí", "Điểm tối đa", "Điểm chuẩn của tiêu chí."),
    (
        "Tiêu chí",
        "Cách chấm",
        "Đạt (mặc định): đạt chỉ tiêu được điểm tối đa. Tỷ lệ: điểm tối đa × kết quả/chỉ tiêu. Tự chấm: đơn vị tự chấm. Theo mức: ≥ 98%: 5; ≥ 97%: 4. Dẫn đầu: so với đơn vị vượt chỉ tiêu nhiều nhất. Chỉ tiêu khối: chỉ tiêu của cả khối mà không đơn vị nào tự đạt được, ví dụ `2 - 3 phòng được tặng Bằng khen`: không chấm điểm từng đơn vị (Điểm tối đa 0), mỗi đơn vị báo cáo số của mình (1 nếu được tặng), khối cộng lại (Tổng hợp khối: Tổng) và so với cột Chỉ tiêu khối (`Từ 2 đến 3`).",
    ),
    (
        "Tiêu chí",
        "Bước điểm",
        "Điểm tự chấm phải là bội số của bước này, ví dụ 0,5 (không bắt buộc).",
    ),
    (
        "Tiêu chí",
        "Đăng ký riêng",
        "Có: mỗi đơn vị đăng ký chỉ tiêu riêng, không thấp hơn chỉ tiêu kế hoạch.",
    ),
    (
        "Tiêu chí",
        "Tổng hợp khối",
        "Tổng; Bình quân theo biên chế; Số đơn vị đạt — cách tính số liệu của cả khối.",
    ),
    (
        "Tiêu chí",
        "Chỉ tiêu khối",
        "Chỉ tiêu của cả khối, khi khác chỉ tiêu của từng đơn vị, ví dụ `Ít nhất 15 sáng kiến` cho một tiêu chí `Tổng`, hoặc `Từ 2 đến 3 đơn vị` cho cách chấm `Chỉ tiêu khối`. Để trống: số liệu Tổng chỉ được báo cáo, không so với chỉ tiêu; Bình quân theo biên chế so với cột Chỉ tiêu. Một chỉ tiêu như `100% các đơn vị trong Khối không có cá nhân vi phạm` là chỉ tiêu khối tự nó: mỗi đơn vị được chấm theo điều kiện, khối theo tỷ lệ đơn vị đạt.",
    ),
    ("Thưởng - Trừ", "Loại", "Thưởng hoặc Trừ."),
    (
        "Thưởng - Trừ",
        "Điểm mỗi lần",
        "Điểm cộng hoặc trừ cho mỗi lần.",
    ),
    (
        "Thưởng - Trừ",
        "Tối đa",
        "Tổng điểm tối đa của mục (để trống nếu không giới hạn).",
    ),
    (
        "Thưởng - Trừ",
        "Loại khỏi khen thưởng",
        "Có: đơn vị có mục này không được đề nghị khen thưởng.",
    ),
    (
        "Kỳ báo cáo",
        "Mã kỳ",
        "Q1, 6T, 9T, NAM …; kỳ cuối cùng là kỳ mặc định khi kiểm tra.",
    ),
    ("Kỳ báo cáo", "Hạn nộp", "Ngày dd/mm/yyyy, nằm trong kỳ."),
    (
        "Xếp loại",
        "Điểm từ",
        "Tổng điểm tối thiểu để đạt xếp loại.",
    ),
    (
        "Khen thưởng",
        "Số lượng",
        "Số đơn vị (1, 2) hoặc tỷ lệ thành viên (20%, làm tròn xuống).",
    ),
    (
        "Khen thưởng",
        "Xếp loại tối thiểu",
        "Xếp loại thấp nhất được đề nghị hình thức này.",
    ),
];

/// The example content of `thidua init`: a small plan that loads cleanly.
pub fn example() -> PlanDraft {
    PlanDraft {
        info: vec![
            ("Mã kế hoạch", t("KHOI-2026")),
            ("Tên khối", t("Khối thi đua (ví dụ)")),
            ("Năm", n(2026.0)),
            ("Thang điểm", n(100.0)),
            ("Khối trưởng", t("DV01")),
            ("Tiêu chí phụ", t("Mục I; Điểm trừ")),
            ("Thứ tự điểm", t("Thẩm định; Tính; Tự chấm")),
        ],
        units: vec![
            vec![
                t("DV01"),
                t("Sở Công Thương"),
                n(120.0),
                t("SCT; Công Thương"),
            ],
            vec![t("DV02"), t("Sở Xây dựng"), n(95.0), t("SXD")],
        ],
        indicators: vec![
            vec![t("I"), Draft::Empty, t("Thực hiện nhiệm vụ chuyên môn")],
            vec![
                t("I"),
                t("1.1"),
                t("Tỷ lệ cung cấp dịch vụ công trực tuyến mức độ 4"),
                t("%"),
                t("> 82%"),
                n(40.0),
                t("Đạt"),
                Draft::Empty,
                t("Không"),
                t("Bình quân theo biên chế"),
            ],
            vec![
                t("I"),
                t("1.2"),
                t("Sáng kiến cấp cơ sở được công nhận"),
                t("sáng kiến"),
                t("Từ 07 đến 09 sáng kiến"),
                n(40.0),
                t("Tỷ lệ"),
                n(0.5),
                t("Không"),
                t("Tổng"),
                t("Ít nhất 15 sáng kiến"),
            ],
            vec![
                t("I"),
                t("1.3"),
                t("Đơn vị được UBND tỉnh tặng Bằng khen"),
                t("đơn vị"),
                Draft::Empty,
                n(0.0),
                t("Chỉ tiêu khối"),
                Draft::Empty,
                t("Không"),
                t("Tổng"),
                t("Từ 2 đến 3 đơn vị"),
            ],
            vec![t("II"), Draft::Empty, t("Công tác thi đua, khen thưởng")],
            vec![
                t("II"),
                t("2.1"),
                t("Báo cáo thi đua đúng hạn"),
                Draft::Empty,
                Draft::Empty,
                n(20.0),
                t("Tự chấm"),
                n(0.5),
            ],
        ],
        adjustments: vec![
            vec![
                t("T1"),
                t("Sáng kiến cấp tỉnh được công nhận"),
                t("Thưởng"),
                n(0.5),
                n(2.0),
                t("Không"),
            ],
            vec![
                t("TR1"),
                t("Cá nhân bị kỷ luật từ khiển trách trở lên"),
                t("Trừ"),
                n(2.0),
                n(5.0),
                t("Có"),
            ],
        ],
        periods: standard_periods(2026),
        grades: standard_grades(),
        awards: vec![
            vec![t("Cờ thi đua"), n(1.0), t("Hoàn thành xuất sắc nhiệm vụ")],
            vec![t("Bằng khen"), t("20%"), t("Hoàn thành tốt nhiệm vụ")],
        ],
    }
}

/// The four usual reporting periods of a year (quarter, half, nine months,
/// year), due on the 25th of their last month and on 15/12.
pub fn standard_periods(year: i32) -> Vec<Vec<Draft>> {
    vec![
        vec![
            t("Q1"),
            t("Quý I"),
            d(year, 1, 1),
            d(year, 3, 31),
            d(year, 3, 25),
        ],
        vec![
            t("6T"),
            t("6 tháng"),
            d(year, 1, 1),
            d(year, 6, 30),
            d(year, 6, 25),
        ],
        vec![
            t("9T"),
            t("9 tháng"),
            d(year, 1, 1),
            d(year, 9, 30),
            d(year, 9, 25),
        ],
        vec![
            t("NAM"),
            t("Năm"),
            d(year, 1, 1),
            d(year, 12, 31),
            d(year, 12, 15),
        ],
    ]
}

/// The usual grade thresholds on a 100 scale.
pub fn standard_grades() -> Vec<Vec<Draft>> {
    vec![
        vec![t("Hoàn thành xuất sắc nhiệm vụ"), n(90.0)],
        vec![t("Hoàn thành tốt nhiệm vụ"), n(70.0)],
        vec![t("Hoàn thành nhiệm vụ"), n(50.0)],
        vec![t("Không hoàn thành nhiệm vụ"), n(0.0)],
    ]
}
