//! The sample plans and unit workbooks. The KTKT-2022 bloc is seed 003's
//! (Khối Kinh tế kỹ thuật, Hà Tĩnh 2022, led by Sở Công Thương); its
//! indicators and targets are taken from the seeds. The other plans carry
//! each remaining seed's own targets. `samples/README.md` describes every
//! flaw planted in the unit workbooks.

use std::path::Path;

use chrono::NaiveDate;
use thidua::report::plan_book::{self, Draft, PlanDraft, d, n, t};
use thidua::report::template::{self, FillValue};

#[path = "../support/fill.rs"]
pub mod fill;

pub use fill::{Layout, RowFill, UnitFill};

pub fn write_all(root: &Path) -> anyhow::Result<()> {
    let bloc = root.join("ktkt-2022");
    let plan_path = bloc.join("ke-hoach.xlsx");
    plan_book::write(&ktkt_plan(), &plan_path, true, true)?;
    let loaded = thidua::plan::load(&plan_path).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    anyhow::ensure!(
        !loaded.has_errors(),
        "sample plan has errors: {:?}",
        loaded.findings
    );
    let plan = loaded.plan;
    let period = plan.period("NAM").expect("year-end period");
    let units_dir = bloc.join("don-vi");
    std::fs::create_dir_all(&units_dir)?;
    for (code, file, fill) in unit_fills() {
        let unit = plan.unit(code).expect("sample unit in plan");
        let name = file.unwrap_or_else(|| template::file_name(unit, period));
        template::write(
            &plan,
            unit,
            period,
            Some(&fill),
            &units_dir.join(name),
            true,
        )?;
    }
    // A unit from another bloc sent its workbook here.
    let stranger = thidua::plan::Unit {
        code: "SYT".into(),
        name: "Sở Y tế".into(),
        headcount: None,
        aliases: Vec::new(),
    };
    let path = units_dir.join("SYT_NAM.xlsx");
    template::write(
        &plan,
        &stranger,
        period,
        Some(&fill(good_year(), 14)),
        &path,
        true,
    )?;
    write_review(&bloc.join("tham-dinh.xlsx"))?;
    write_quarters(&plan, &bloc)?;
    for (dir, draft) in seed_plans() {
        plan_book::write(&draft, &root.join(dir).join("ke-hoach.xlsx"), true, true)?;
    }
    Ok(())
}

fn row(cells: &[Draft]) -> Vec<Draft> {
    cells.to_vec()
}

/// An indicator row: Mục, Mã, Nội dung, Đơn vị tính, Chỉ tiêu, Điểm tối đa,
/// Cách chấm, Bước điểm, Đăng ký riêng, Tổng hợp khối.
#[allow(clippy::too_many_arguments)]
fn ind(
    section: &str,
    code: &str,
    content: &str,
    unit: &str,
    target: &str,
    max: f64,
    rule: &str,
    step: Option<f64>,
    own: bool,
    aggregate: &str,
) -> Vec<Draft> {
    vec![
        t(section),
        t(code),
        t(content),
        t(unit),
        t(target),
        n(max),
        t(rule),
        step.map_or(Draft::Empty, n),
        t(if own { "Có" } else { "Không" }),
        t(aggregate),
    ]
}

fn section(id: &str, title: &str) -> Vec<Draft> {
    vec![t(id), Draft::Empty, t(title)]
}

const AVG: &str = "Bình quân theo biên chế";

pub fn ktkt_plan() -> PlanDraft {
    PlanDraft {
        info: vec![
            ("Mã kế hoạch", t("KTKT-2022")),
            ("Tên khối", t("Khối Kinh tế kỹ thuật")),
            ("Năm", n(2022.0)),
            ("Thang điểm", n(100.0)),
            ("Khối trưởng", t("SCT")),
            ("Tiêu chí phụ", t("Mục I; Điểm trừ")),
            ("Thứ tự điểm", t("Thẩm định; Tính; Tự chấm")),
            (
                "Nguồn",
                t(
                    "Kế hoạch hoạt động thi đua Khối Kinh tế kỹ thuật năm 2022, Hà Tĩnh, ngày 09/3/2022 (mục II.5–8, III.2, III.4)",
                ),
            ),
            (
                "Phần minh họa",
                t(
                    "Kế hoạch gốc không có, mẫu thêm để minh họa: tiêu chí 1.2–1.5, 2.5, 2.6, 3.3, 3.5; điểm tối đa và cách chấm của mọi tiêu chí; điểm thưởng, điểm trừ; số lượng khen thưởng; tên và biên chế của 11 đơn vị ngoài Sở Công Thương (kế hoạch chỉ nói Khối có 12 đơn vị)",
                ),
            ),
        ],
        units: [
            ("SCT", "Sở Công Thương", 142.0, "Công Thương"),
            ("SXD", "Sở Xây dựng", 98.0, ""),
            ("SGTVT", "Sở Giao thông vận tải", 156.0, "Sở GTVT"),
            (
                "SNN",
                "Sở Nông nghiệp và Phát triển nông thôn",
                210.0,
                "Sở NN&PTNT",
            ),
            ("STNMT", "Sở Tài nguyên và Môi trường", 134.0, "Sở TN&MT"),
            ("SKHCN", "Sở Khoa học và Công nghệ", 64.0, "Sở KH&CN"),
            ("STTTT", "Sở Thông tin và Truyền thông", 58.0, "Sở TT&TT"),
            ("SKHDT", "Sở Kế hoạch và Đầu tư", 72.0, "Sở KH&ĐT"),
            ("STC", "Sở Tài chính", 88.0, ""),
            ("BQLKKT", "Ban Quản lý Khu kinh tế tỉnh", 76.0, "BQL KKT"),
            ("CTHUE", "Cục Thuế tỉnh", 310.0, ""),
            ("KBNN", "Kho bạc Nhà nước tỉnh", 120.0, "KBNN Hà Tĩnh"),
        ]
        .iter()
        .map(|(c, name, head, alias)| row(&[t(c), t(name), n(*head), t(alias)]))
        .collect(),
        indicators: vec![
            section("I", "Thực hiện nhiệm vụ chính trị, chuyên môn"),
            ind(
                "I",
                "1.1",
                "Hoàn thành các nhiệm vụ phát triển kinh tế - xã hội năm 2022 được giao",
                "%",
                "Hoàn thành 100% nhiệm vụ",
                20.0,
                "Tỷ lệ",
                Some(0.5),
                false,
                "Số đơn vị đạt",
            ),
            ind(
                "I",
                "1.2",
                "Tỷ lệ cung cấp dịch vụ công trực tuyến mức độ 4",
                "%",
                "> 82%",
                10.0,
                "Đạt",
                None,
                false,
                AVG,
            ),
            ind(
                "I",
                "1.3",
                "Tỷ lệ hồ sơ giải quyết dịch vụ công trực tuyến trên tổng số hồ sơ phát sinh",
                "%",
                "Ít nhất 25%",
                10.0,
                "Dẫn đầu",
                None,
                true,
                AVG,
            ),
            ind(
                "I",
                "1.4",
                "Chỉ số chuyển đổi số (DTI) của đơn vị",
                "bậc",
                "Tăng từ 02 bậc trở lên",
                5.0,
                "Đạt",
                None,
                false,
                "",
            ),
            ind(
                "I",
                "1.5",
                "Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn",
                "%",
                "≥ 96%",
                5.0,
                "Theo mức: ≥ 98%: 5; ≥ 97%: 4; ≥ 96%: 3",
                None,
                false,
                AVG,
            ),
            section("II", "Công tác thi đua, khen thưởng"),
            ind(
                "II",
                "2.1",
                "CBCCVC và người lao động hoàn thành nhiệm vụ",
                "%",
                "Phấn đấu 100%",
                5.0,
                "Tỷ lệ",
                Some(0.5),
                false,
                AVG,
            ),
            ind(
                "II",
                "2.2",
                "CBCCVC đạt danh hiệu Lao động tiên tiến",
                "%",
                "90%",
                5.0,
                "Đạt",
                None,
                false,
                AVG,
            ),
            ind(
                "II",
                "2.3",
                "CBCCVC đạt danh hiệu Chiến sỹ thi đua cơ sở",
                "%",
                "Ít nhất 15%",
                5.0,
                "Tỷ lệ",
                Some(0.5),
                false,
                AVG,
            ),
            ind(
                "II",
                "2.4",
                "CBCCVC đạt danh hiệu Chiến sỹ thi đua cấp tỉnh hoặc ngành",
                "%",
                "5%",
                3.0,
                "Đạt",
                None,
                false,
                AVG,
            ),
            ind(
                "II",
                "2.5",
                "Sáng kiến cấp cơ sở được công nhận",
                "sáng kiến",
                "Từ 07 đến 09 sáng kiến",
                5.0,
                "Tỷ lệ",
                Some(0.5),
                false,
                "Tổng",
            ),
            ind(
                "II",
                "2.6",
                "Cá nhân được UBND tỉnh tặng Bằng khen",
                "cá nhân",
                "03 cá nhân",
                3.0,
                "Đạt",
                None,
                false,
                "Tổng",
            ),
            ind(
                "II",
                "2.7",
                "Tổ chức Đảng xếp loại chất lượng",
                "",
                "Tổ chức Đảng hoàn thành xuất sắc nhiệm vụ",
                4.0,
                "Đạt",
                None,
                false,
                "",
            ),
            ind(
                "II",
                "2.8",
                "Đoàn thể (Công đoàn, Đoàn Thanh niên) xếp loại",
                "",
                "Đoàn thể hoàn thành tốt nhiệm vụ trở lên",
                3.0,
                "Đạt",
                None,
                false,
                "",
            ),
            section("III", "Kỷ luật, kỷ cương và hoạt động chung của Khối"),
            ind(
                "III",
                "3.1",
                "Cá nhân vi phạm kỷ luật từ khiển trách trở lên",
                "cá nhân",
                "100% các đơn vị trong Khối không có cá nhân vi phạm kỷ luật từ khiển trách trở lên",
                5.0,
                "Đạt",
                None,
                false,
                "Số đơn vị đạt",
            ),
            ind(
                "III",
                "3.2",
                "Vi phạm chính sách Dân số - Kế hoạch hóa gia đình, tệ nạn xã hội, an toàn giao thông",
                "vụ",
                "100% các đơn vị trong Khối không vi phạm chính sách Dân số - Kế hoạch hóa gia đình, tệ nạn xã hội và An toàn giao thông",
                3.0,
                "Đạt",
                None,
                false,
                "Số đơn vị đạt",
            ),
            ind(
                "III",
                "3.3",
                "Thu nhập tăng thêm bình quân của CBCC",
                "nghìn đồng/người/tháng",
                "Cao hơn năm 2021",
                3.0,
                "Đạt",
                None,
                false,
                "",
            ),
            ind(
                "III",
                "3.4",
                "Tham gia các hoạt động văn nghệ, thể thao của Khối",
                "",
                "Hoàn thành",
                3.0,
                "Đạt",
                None,
                false,
                "Số đơn vị đạt",
            ),
            ind(
                "III",
                "3.5",
                "Gửi báo cáo thi đua đầy đủ, đúng hạn",
                "",
                "",
                3.0,
                "Tự chấm",
                Some(0.5),
                false,
                "",
            ),
        ],
        adjustments: vec![
            row(&[
                t("T1"),
                t("Được UBND tỉnh tặng Cờ thi đua hoặc Bằng khen đột xuất"),
                t("Thưởng"),
                n(1.0),
                n(3.0),
                t("Không"),
            ]),
            row(&[
                t("T2"),
                t("Sáng kiến cấp tỉnh được công nhận"),
                t("Thưởng"),
                n(0.5),
                n(2.0),
                t("Không"),
            ]),
            row(&[
                t("TR1"),
                t("Gửi báo cáo chậm so với thời hạn"),
                t("Trừ"),
                n(0.5),
                n(2.0),
                t("Không"),
            ]),
            row(&[
                t("TR2"),
                t("Đơn vị bị cấp có thẩm quyền kết luận có sai phạm"),
                t("Trừ"),
                n(2.0),
                n(6.0),
                t("Có"),
            ]),
        ],
        // Mục III.4: "Quý I (Trước ngày 25 tháng cuối cùng của Quý); báo cáo 6
        // tháng, 9 tháng (trước ngày 25/6/2022; 25/9/2022) … năm 2022 trước
        // 15/12/2022": the day named is already late.
        periods: vec![
            row(&[
                t("Q1"),
                t("Quý I"),
                d(2022, 1, 1),
                d(2022, 3, 31),
                t("trước ngày 25/3/2022"),
            ]),
            row(&[
                t("6T"),
                t("6 tháng"),
                d(2022, 1, 1),
                d(2022, 6, 30),
                t("trước ngày 25/6/2022"),
            ]),
            row(&[
                t("9T"),
                t("9 tháng"),
                d(2022, 1, 1),
                d(2022, 9, 30),
                t("trước ngày 25/9/2022"),
            ]),
            row(&[
                t("NAM"),
                t("Năm"),
                d(2022, 1, 1),
                d(2022, 12, 31),
                t("trước 15/12/2022"),
            ]),
        ],
        grades: plan_book::standard_grades(),
        awards: vec![
            row(&[t("Cờ thi đua"), n(1.0), t("Hoàn thành xuất sắc nhiệm vụ")]),
            row(&[t("Bằng khen"), n(2.0), t("Hoàn thành tốt nhiệm vụ")]),
        ],
    }
}

pub fn num(v: f64) -> Option<FillValue> {
    Some(FillValue::Number(v))
}

pub fn text(v: &str) -> Option<FillValue> {
    Some(FillValue::Text(v.to_string()))
}

/// A unit's year-end figures: (code, achieved, self score), baselines for
/// 1.4 (last year's DTI rank) and 3.3 (last year's income).
fn base_rows(results: &[(&str, Option<FillValue>, Option<FillValue>)]) -> Vec<(String, RowFill)> {
    results
        .iter()
        .map(|(code, achieved, score)| {
            let baseline = match *code {
                "1.4" => num(12.0),
                "3.3" => num(1350.0),
                _ => None,
            };
            (
                code.to_string(),
                RowFill {
                    baseline,
                    achieved: achieved.clone(),
                    self_score: score.clone(),
                    note: String::new(),
                },
            )
        })
        .collect()
}

/// A good year: every target met; the self scores the evidence supports.
pub fn good_year() -> Vec<(&'static str, Option<FillValue>, Option<FillValue>)> {
    vec![
        ("1.1", num(100.0), num(20.0)),
        ("1.2", num(88.5), num(10.0)),
        ("1.3", num(31.0), num(8.0)),
        ("1.4", num(9.0), num(5.0)),
        ("1.5", num(98.6), num(5.0)),
        ("2.1", num(100.0), num(5.0)),
        ("2.2", num(93.0), num(5.0)),
        ("2.3", num(16.0), num(5.0)),
        ("2.4", num(5.5), num(3.0)),
        ("2.5", num(8.0), num(5.0)),
        ("2.6", num(3.0), num(3.0)),
        ("2.7", text("Hoàn thành xuất sắc nhiệm vụ"), num(4.0)),
        ("2.8", text("Hoàn thành tốt nhiệm vụ"), num(3.0)),
        ("3.1", num(0.0), num(5.0)),
        ("3.2", text("Không có"), num(3.0)),
        ("3.3", num(1480.0), num(3.0)),
        ("3.4", text("Hoàn thành"), num(3.0)),
        ("3.5", text("Đủ 4 kỳ, đúng hạn"), num(3.0)),
    ]
}

pub fn set(
    rows: &mut [(&'static str, Option<FillValue>, Option<FillValue>)],
    code: &str,
    achieved: Option<FillValue>,
    score: Option<FillValue>,
) {
    for r in rows.iter_mut() {
        if r.0 == code {
            r.1 = achieved.clone();
            r.2 = score.clone();
        }
    }
}

pub fn fill(rows: Vec<(&'static str, Option<FillValue>, Option<FillValue>)>, day: u32) -> UnitFill {
    UnitFill {
        report_date: NaiveDate::from_ymd_opt(2022, 12, day),
        author: "Văn phòng".into(),
        rows: base_rows(&rows).into_iter().collect(),
        registered: Default::default(),
        counts: [("T2".to_string(), FillValue::Number(1.0))]
            .into_iter()
            .collect(),
        layout: Layout::default(),
    }
}

/// The year-end workbooks: (unit, file name if not the template's, fill).
/// Eleven members sent theirs (Sở Kế hoạch và Đầu tư sent nothing); the
/// leader also sent an older version, and Sở Y tế, not a member, sent one.
/// The figures are chosen so the ranking has a barred top unit, a tie
/// broken by `Tiêu chí phụ`, a tie at the edge of a quota and a tie left
/// shared (see `tests/cli/consolidate.rs` for the hand computation).
fn unit_fills() -> Vec<(&'static str, Option<String>, UnitFill)> {
    let mut out = Vec::new();
    let count = |f: &mut UnitFill, code: &str, n: f64| {
        f.counts.insert(code.into(), FillValue::Number(n));
    };

    // SCT, the leader: clean; registered a stronger target for 1.3; awards
    // and sáng kiến bonuses, but a member disciplined (bars awards).
    let mut rows = good_year();
    set(&mut rows, "1.3", num(36.0), num(10.0));
    let mut f = fill(rows.clone(), 12);
    f.registered.insert("1.3".into(), "Ít nhất 30%".into());
    count(&mut f, "T1", 3.0);
    count(&mut f, "T2", 4.0);
    count(&mut f, "TR2", 1.0);
    out.push(("SCT", None, f.clone()));
    // Its first version, sent a week earlier without the bonus for awards.
    let mut old = f;
    old.report_date = NaiveDate::from_ymd_opt(2022, 12, 5);
    count(&mut old, "T1", 0.0);
    out.push(("SCT", Some("SCT_NAM (ban cu).xlsx".into()), old));

    // SXD: scores typed as text with decimal commas.
    let mut rows = good_year();
    set(&mut rows, "1.1", num(96.0), text("19,5"));
    set(&mut rows, "2.3", num(14.0), text("4,5"));
    out.push(("SXD", None, fill(rows, 14)));

    // SGTVT: a score above the maximum, one off the step, one over-claimed.
    let mut rows = good_year();
    set(&mut rows, "1.2", num(84.0), num(12.0));
    set(&mut rows, "2.1", num(98.0), num(4.3));
    set(&mut rows, "2.2", num(88.0), num(5.0));
    out.push(("SGTVT", None, fill(rows, 13)));

    // SNN: the row of indicator 2.6 deleted.
    let mut f = fill(good_year(), 15);
    f.layout.drop_rows = vec!["2.6".into()];
    out.push(("SNN", None, f));

    // STNMT: rebuilt by hand: title rows, columns moved, unprotected.
    let mut f = fill(good_year(), 10);
    f.layout.extra_title_rows = 3;
    f.layout.column_order = Some(vec![0, 1, 2, 3, 4, 8, 7, 6, 5, 9]);
    f.layout.unprotected = true;
    count(&mut f, "T1", 1.0);
    out.push(("STNMT", None, f));

    // SKHCN: a score Excel turned into a date; an ambiguous `1.500`.
    let mut rows = good_year();
    set(
        &mut rows,
        "2.3",
        num(15.5),
        Some(FillValue::Date(
            NaiveDate::from_ymd_opt(2022, 10, 1).expect("date"),
        )),
    );
    set(&mut rows, "3.3", text("1.500"), num(3.0));
    out.push(("SKHCN", None, fill(rows, 9)));

    // STTTT: a typed total that is not the sum of the rows.
    let mut rows = good_year();
    set(&mut rows, "1.5", num(97.5), num(4.0));
    let mut f = fill(rows, 12);
    f.layout.typed_total = Some(99.0);
    count(&mut f, "T1", 1.0);
    out.push(("STTTT", None, f));

    // STC: no `Thông tin` sheet (the unit is known from the file name), and a
    // row whose code was erased, matched by its text.
    let mut rows = good_year();
    set(&mut rows, "2.6", num(2.0), num(3.0));
    let mut f = fill(rows, 11);
    f.layout.no_info_sheet = true;
    f.layout.blank_codes = vec!["2.2".into()];
    out.push(("STC", Some("So Tai chinh.xlsx".into()), f));

    // BQLKKT: a registered target weaker than the plan's.
    let mut rows = good_year();
    set(&mut rows, "1.5", num(97.2), num(4.0));
    let mut f = fill(rows, 14);
    f.registered.insert("1.3".into(), "20%".into());
    count(&mut f, "T1", 1.0);
    out.push(("BQLKKT", None, f));

    // CTHUE: `Đạt` where a number belongs; a penalty over its cap.
    let mut rows = good_year();
    set(&mut rows, "2.4", text("Đạt"), num(3.0));
    let mut f = fill(rows, 15);
    count(&mut f, "TR1", 6.0);
    out.push(("CTHUE", None, f));

    // KBNN: headers without diacritics; 3.3 not assigned to this unit.
    let mut rows = good_year();
    set(&mut rows, "3.3", text("Không giao"), None);
    let mut f = fill(rows, 8);
    f.layout.ascii_headers = true;
    count(&mut f, "T2", 0.0);
    out.push(("KBNN", None, f));
    out
}

/// The leader's review: two corrections, three rows that cannot apply, and
/// two figures the units' workbooks left unread.
fn write_review(path: &Path) -> anyhow::Result<()> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let fixed = rust_xlsxwriter::ExcelDateTime::from_ymd(2000, 1, 1)?;
    wb.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&fixed));
    let ws = wb.add_worksheet();
    ws.set_name("Thẩm định")?;
    ws.write_string(0, 0, "KẾT QUẢ THẨM ĐỊNH ĐIỂM THI ĐUA NĂM 2022")?;
    for (c, h) in ["Mã đơn vị", "Mã", "Điểm thẩm định", "Lý do"]
        .iter()
        .enumerate()
    {
        ws.write_string(2, c as u16, *h)?;
    }
    let rows: &[(&str, &str, f64, &str)] = &[
        (
            "SGTVT",
            "1.2",
            8.0,
            "Tỷ lệ dịch vụ công mức độ 4 chưa có đủ minh chứng",
        ),
        ("SXD", "3.5", 2.0, "Báo cáo 6 tháng gửi chậm 05 ngày"),
        ("SYT", "1.1", 10.0, "Sở Y tế không thuộc khối"),
        ("SCT", "9.9", 1.0, "Mã tiêu chí không có trong kế hoạch"),
        ("STC", "2.2", 7.0, "Điểm vượt điểm tối đa"),
        // Figures the workbooks left unread, supplied by the review so the
        // units can be ranked (without them they are incomplete).
        (
            "SNN",
            "2.6",
            0.0,
            "Đơn vị xóa dòng 2.6; hồ sơ: không có cá nhân được tặng Bằng khen",
        ),
        (
            "CTHUE",
            "2.4",
            3.0,
            "Kết quả ghi `Đạt`; hồ sơ: 6% CBCCVC đạt CSTĐ cấp tỉnh",
        ),
    ];
    for (i, (unit, code, score, reason)) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        ws.write_string(r, 0, *unit)?;
        ws.write_string(r, 1, *code)?;
        ws.write_number(r, 2, *score)?;
        ws.write_string(r, 3, *reason)?;
    }
    wb.save(path)?;
    Ok(())
}

fn units(list: &[(&str, &str, f64)]) -> Vec<Vec<Draft>> {
    list.iter()
        .map(|(c, name, head)| row(&[t(c), t(name), n(*head)]))
        .collect()
}

fn simple(section: &str, code: &str, content: &str, target: &str, max: f64) -> Vec<Draft> {
    let unit = if target.contains('%') { "%" } else { "" };
    ind(
        section, code, content, unit, target, max, "Đạt", None, false, "",
    )
}

fn base_plan(code: &str, name: &str, year: i32, leader: &str) -> PlanDraft {
    PlanDraft {
        info: vec![
            ("Mã kế hoạch", t(code)),
            ("Tên khối", t(name)),
            ("Năm", n(year as f64)),
            ("Thang điểm", n(100.0)),
            ("Khối trưởng", t(leader)),
            ("Tiêu chí phụ", t("Mục I")),
        ],
        periods: plan_book::standard_periods(year),
        grades: plan_book::standard_grades(),
        awards: vec![row(&[
            t("Giấy khen"),
            t("20%"),
            t("Hoàn thành xuất sắc nhiệm vụ"),
        ])],
        ..PlanDraft::default()
    }
}

/// One plan per other seed, carrying that seed's own targets.
fn seed_plans() -> Vec<(&'static str, PlanDraft)> {
    let mut s000 = base_plan(
        "SNV-2022",
        "Sở Nội vụ Hà Tĩnh – các phòng, ban, trung tâm",
        2022,
        "VP",
    );
    s000.units = units(&[
        ("VP", "Văn phòng Sở", 14.0),
        ("TTRA", "Thanh tra Sở", 8.0),
        (
            "TCBC",
            "Phòng Tổ chức, biên chế và Tổ chức phi chính phủ",
            9.0,
        ),
        ("CCHC", "Phòng Cải cách hành chính", 7.0),
        (
            "XDCQ",
            "Phòng Xây dựng chính quyền và Công tác thanh niên",
            8.0,
        ),
        ("BTDKT", "Ban Thi đua - Khen thưởng", 12.0),
        ("BTG", "Ban Tôn giáo", 10.0),
        ("CCVTLT", "Chi cục Văn thư - Lưu trữ", 22.0),
    ]);
    // Mục II.3: the Sở's own targets (its collective's grade and award are
    // decided by the province, not from its members' figures: not modelled)
    // and those of its phòng, ban, trung tâm. Targets no phòng meets alone
    // are the whole Sở's (`Chỉ tiêu khối`).
    let whole = |code: &str, content: &str, unit_target: &str, how: &str, target: &str| {
        let section = if code.starts_with("2.") { "II" } else { "I" };
        row(&[
            t(section),
            t(code),
            t(content),
            Draft::Empty,
            t(unit_target),
            n(0.0),
            t("Chỉ tiêu khối"),
            Draft::Empty,
            t("Không"),
            t(how),
            t(target),
        ])
    };
    s000.indicators = vec![
        section("I", "Đối với các tập thể (mục II.3.a)"),
        simple(
            "I",
            "1.1",
            "Phòng, ban, trung tâm đạt danh hiệu tập thể Lao động tiên tiến",
            "100% phòng, ban, trung tâm đạt danh hiệu tập thể lao động tiên tiến",
            20.0,
        ),
        whole(
            "1.2",
            "Tập thể đạt danh hiệu tập thể Lao động xuất sắc",
            "Đạt",
            "Số đơn vị đạt",
            "20%",
        ),
        whole(
            "1.3",
            "Phòng, ban, trung tâm được Bộ Nội vụ, UBND tỉnh tặng Bằng khen",
            "",
            "Tổng",
            "2 - 3 Phòng, ban, trung tâm",
        ),
        whole(
            "1.4",
            "Đơn vị trực thuộc được tặng Cờ thi đua Ủy ban nhân dân tỉnh",
            "",
            "Tổng",
            "1 đơn vị",
        ),
        simple(
            "I",
            "1.5",
            "Thu nhập tăng thêm của CBCC năm 2022",
            "Cao hơn năm 2021",
            15.0,
        ),
        simple(
            "I",
            "1.6",
            "Tổ chức Công đoàn, Đoàn Thanh niên xếp loại",
            "Hoàn thành xuất sắc nhiệm vụ",
            10.0,
        ),
        section("II", "Đối với cá nhân (mục II.3.b)"),
        simple(
            "II",
            "2.1",
            "CBCCVC hoàn thành tốt nhiệm vụ trở lên",
            "Phấn đấu 100%",
            15.0,
        ),
        simple(
            "II",
            "2.2",
            "CBCCVC đạt danh hiệu Lao động tiên tiến",
            "100%",
            15.0,
        ),
        simple(
            "II",
            "2.3",
            "CBCCVC đạt danh hiệu Chiến sỹ thi đua cơ sở",
            "15%",
            15.0,
        ),
        whole(
            "2.4",
            "Cá nhân được Bộ Nội vụ, UBND tỉnh tặng Bằng khen",
            "",
            "Bình quân theo biên chế",
            "15%",
        ),
        whole(
            "2.5",
            "Cá nhân được Thủ tướng Chính phủ tặng Bằng khen",
            "",
            "Tổng",
            "Có ít nhất 01 cá nhân",
        ),
        simple(
            "II",
            "2.6",
            "Tổng kết đợt thi đua thứ nhất gắn với sơ kết 06 tháng",
            "Hoàn thành",
            10.0,
        ),
    ];
    // Mục III: two rounds, each summed up "trước ngày …".
    s000.periods = vec![
        row(&[
            t("D1"),
            t("Đợt 1"),
            d(2022, 1, 1),
            d(2022, 6, 30),
            t("trước ngày 15/7/2022"),
        ]),
        row(&[
            t("D2"),
            t("Đợt 2"),
            d(2022, 7, 1),
            d(2022, 12, 31),
            t("trước ngày 31/12/2022"),
        ]),
    ];
    s000.info.push((
        "Nguồn",
        t("Kế hoạch thi đua năm 2022 của Sở Nội vụ Hà Tĩnh (mục II.3 mục tiêu thi đua, mục III các đợt thi đua)"),
    ));
    s000.info.push((
        "Phần minh họa",
        t("Kế hoạch gốc không có, mẫu thêm để minh họa: tên và biên chế các phòng, ban, trung tâm; điểm tối đa và cách chấm; số lượng khen thưởng. Không mô hình hóa: `Tập thể cơ quan Sở hoàn thành xuất sắc nhiệm vụ, được UBND tỉnh tặng Cờ thi đua hoặc Bằng khen` (kết quả của cả Sở do tỉnh quyết định, không tính từ số liệu các phòng)"),
    ));

    let mut s001 = base_plan(
        "VPUB-2023",
        "Văn phòng UBND tỉnh – các phòng, ban, đơn vị",
        2023,
        "TCHCQT",
    );
    s001.units = units(&[
        ("TCHCQT", "Phòng Tổ chức - Hành chính - Quản trị", 18.0),
        ("TTTT", "Trung tâm Thông tin", 15.0),
        ("TH", "Phòng Tổng hợp", 9.0),
        ("KT", "Phòng Kinh tế", 11.0),
        ("NC", "Phòng Nội chính", 8.0),
        ("KGVX", "Phòng Khoa giáo - Văn xã", 8.0),
        ("BTCD", "Ban Tiếp công dân", 7.0),
    ]);
    s001.indicators = vec![
        section("I", "Nội dung thực hiện"),
        simple(
            "I",
            "1",
            "Tuyên truyền các văn bản về thi đua, khen thưởng",
            "Hoàn thành",
            10.0,
        ),
        simple(
            "I",
            "2",
            "Tổ chức triển khai thực hiện các phong trào thi đua yêu nước",
            "Hoàn thành",
            20.0,
        ),
        simple(
            "I",
            "3",
            "Đẩy mạnh công tác biểu dương, phát triển điển hình tiên tiến",
            "Có",
            10.0,
        ),
        simple(
            "I",
            "4",
            "Thực hiện công tác khen thưởng gắn với kết quả thực hiện nhiệm vụ",
            "Đạt",
            15.0,
        ),
        simple(
            "I",
            "5",
            "Nâng cao chất lượng hoạt động của Hội đồng thi đua, khen thưởng",
            "Hoàn thành",
            10.0,
        ),
        simple(
            "I",
            "6",
            "Tham gia tập huấn bồi dưỡng nghiệp vụ công tác thi đua, khen thưởng",
            "Có",
            10.0,
        ),
        simple(
            "I",
            "7",
            "Tăng cường công tác kiểm tra, giám sát",
            "Hoàn thành",
            10.0,
        ),
        simple(
            "I",
            "8",
            "Ứng dụng công nghệ thông tin trong công tác thi đua, khen thưởng",
            "Đạt",
            15.0,
        ),
    ];

    // Seed 001 names no reporting period or date: one period for its year,
    // with no deadline (nothing is ever late), rather than invented ones.
    s001.periods = vec![row(&[
        t("NAM"),
        t("Năm"),
        d(2023, 1, 1),
        d(2023, 12, 31),
        Draft::Empty,
    ])];
    s001.info.push((
        "Nguồn",
        t("Kế hoạch triển khai, thực hiện công tác thi đua, khen thưởng năm 2023 của Văn phòng UBND tỉnh (mục II)"),
    ));
    s001.info.push((
        "Phần minh họa",
        t("Kế hoạch gốc không có, mẫu thêm để minh họa: tên và biên chế các phòng, ban, đơn vị; điểm tối đa và cách chấm; số lượng khen thưởng. Kế hoạch gốc không ghi kỳ báo cáo hay hạn nộp: mẫu có một kỳ cả năm, không có hạn nộp"),
    ));

    let mut s002 = base_plan(
        "SNGV-2022",
        "Sở Ngoại vụ Hà Tĩnh – các phòng, đơn vị",
        2022,
        "VPTTR",
    );
    s002.units = units(&[
        ("VPTTR", "Văn phòng - Thanh tra Sở", 12.0),
        ("QLBG", "Phòng Quản lý Biên giới", 6.0),
        ("HTQT", "Phòng Hợp tác quốc tế", 7.0),
        ("LS", "Phòng Lãnh sự và Người Việt Nam ở nước ngoài", 5.0),
        ("TTDVDN", "Trung tâm Dịch vụ đối ngoại", 9.0),
    ]);
    // Mục 2.2 and III. Most of its targets are the whole Sở's: its Chi bộ,
    // Công đoàn and Chi đoàn, its counts of awards and sáng kiến, the share
    // of its phòng with a title (`Chỉ tiêu khối`); the shares of its staff
    // are each phòng's.
    let so =
        |section: &str, code: &str, content: &str, unit_target: &str, how: &str, target: &str| {
            row(&[
                t(section),
                t(code),
                t(content),
                Draft::Empty,
                t(unit_target),
                n(0.0),
                t("Chỉ tiêu khối"),
                Draft::Empty,
                t("Không"),
                t(how),
                t(target),
            ])
        };
    let count = "Số đơn vị đạt";
    s002.indicators = vec![
        section("I", "Về tập thể (mục 2.2.1)"),
        so(
            "I",
            "1.1",
            "Tập thể Chi bộ Sở Ngoại vụ xếp loại",
            "Hoàn thành tốt nhiệm vụ",
            count,
            "01",
        ),
        so(
            "I",
            "1.2",
            "Tập thể Sở Ngoại vụ được đề nghị UBND tỉnh tặng Bằng khen",
            "Đạt",
            count,
            "01",
        ),
        so(
            "I",
            "1.3",
            "Công đoàn xếp loại Công đoàn cơ sở",
            "Hoàn thành tốt nhiệm vụ",
            count,
            "01",
        ),
        so(
            "I",
            "1.4",
            "Chi đoàn xếp loại Chi đoàn",
            "Hoàn thành tốt nhiệm vụ",
            count,
            "01",
        ),
        so(
            "I",
            "1.5",
            "Phòng (đơn vị) được Ủy ban nhân dân tỉnh tặng Bằng khen",
            "",
            "Tổng",
            "01 phòng (đơn vị)",
        ),
        so(
            "I",
            "1.6",
            "Phòng (đơn vị) được Ủy ban nhân dân tỉnh công nhận danh hiệu tập thể Lao động xuất sắc",
            "",
            "Tổng",
            "01 phòng (đơn vị)",
        ),
        so(
            "I",
            "1.7",
            "Phòng (đơn vị) được Giám đốc Sở tặng Giấy khen",
            "",
            "Tổng",
            "02 phòng (đơn vị)",
        ),
        so(
            "I",
            "1.8",
            "Phòng, đơn vị đạt danh hiệu Lao động tiên tiến",
            "Đạt",
            count,
            "Trên 90%",
        ),
        so(
            "I",
            "1.9",
            "Cơ quan đạt chuẩn văn hóa, an toàn về an ninh trật tự",
            "Đạt",
            count,
            "01",
        ),
        section("II", "Về cá nhân (mục 2.2.2)"),
        so(
            "II",
            "2.1",
            "Cá nhân được Ủy ban nhân dân tỉnh tặng Bằng khen thực hiện nhiệm vụ chính trị và khen chuyên đề",
            "",
            "Tổng",
            "03 cá nhân",
        ),
        so(
            "II",
            "2.2",
            "Cá nhân được Giám đốc Sở tặng Giấy khen",
            "",
            "Tổng",
            "8 cá nhân",
        ),
        simple(
            "II",
            "2.3",
            "CBCCVC đạt danh hiệu Chiến sỹ thi đua cấp cơ sở",
            "Ít nhất 15%",
            15.0,
        ),
        simple(
            "II",
            "2.4",
            "CBCCVC đạt danh hiệu Lao động tiên tiến",
            "Trên 90%",
            15.0,
        ),
        simple(
            "II",
            "2.5",
            "CBCCVC chấp hành tốt nội quy, quy chế của cơ quan, pháp luật của nhà nước, an toàn giao thông, an ninh trật tự",
            "100%",
            14.0,
        ),
        simple(
            "II",
            "2.6",
            "CBCCVC không tham gia các tệ nạn xã hội; không uống rượu vào buổi trưa và trong giờ hành chính",
            "100%",
            14.0,
        ),
        simple(
            "II",
            "2.7",
            "Gia đình CBCCVC thuộc Sở đạt tiêu chuẩn gia đình văn hóa",
            "100%",
            14.0,
        ),
        section("III", "Nội dung thi đua (mục III)"),
        simple(
            "III",
            "3.1",
            "CBCCVC thực hiện tốt quy chế dân chủ, quy chế hoạt động của cơ quan",
            "100%",
            14.0,
        ),
        simple(
            "III",
            "3.2",
            "CBCCVC đăng ký thi đua phong trào `Ngày làm việc 8 giờ chất lượng, hiệu quả`, `Giỏi việc nước - Đảm việc nhà`",
            "100%",
            14.0,
        ),
        so(
            "III",
            "3.3",
            "Nội dung đăng ký trong chương trình khung của tỉnh",
            "",
            "Tổng",
            "Đăng ký 03 đến 04 nội dung",
        ),
        so(
            "III",
            "3.4",
            "Đề tài được Hội đồng khoa học tỉnh công nhận sáng kiến cấp tỉnh",
            "",
            "Tổng",
            "Có ít nhất 01 đề tài",
        ),
        so(
            "III",
            "3.5",
            "Sáng kiến cấp cơ sở",
            "",
            "Tổng",
            "Từ 07 đến 09 sáng kiến",
        ),
    ];
    // Mục III: two rounds, each summed up "trước ngày …".
    s002.periods = vec![
        row(&[
            t("D1"),
            t("Đợt 1"),
            d(2022, 1, 1),
            d(2022, 6, 30),
            t("trước ngày 30/6/2022"),
        ]),
        row(&[
            t("D2"),
            t("Đợt 2"),
            d(2022, 7, 1),
            d(2022, 12, 31),
            t("trước ngày 31/12/2022"),
        ]),
    ];
    // "02 phòng (đơn vị) được Giám đốc Sở tặng Giấy khen".
    s002.awards = vec![row(&[
        t("Giấy khen"),
        n(2.0),
        t("Hoàn thành xuất sắc nhiệm vụ"),
    ])];
    s002.info.push((
        "Nguồn",
        t("Kế hoạch phát động phong trào thi đua năm 2022 của Sở Ngoại vụ Hà Tĩnh, ngày 24/01/2022 (mục 2.2, III)"),
    ));
    s002.info.push((
        "Phần minh họa",
        t("Kế hoạch gốc không có, mẫu thêm để minh họa: tên và biên chế các phòng, đơn vị; điểm tối đa và cách chấm; mức xếp loại tối thiểu để được Giấy khen"),
    ));

    let mut s004 = base_plan(
        "STTTT-2022",
        "Sở Thông tin và Truyền thông Bắc Kạn – các phòng, đơn vị",
        2022,
        "VP",
    );
    s004.units = units(&[
        ("VP", "Văn phòng Sở", 11.0),
        ("TTRA", "Thanh tra Sở", 6.0),
        ("KHTC", "Phòng Kế hoạch - Tài chính", 6.0),
        ("BCVT", "Phòng Bưu chính - Viễn thông", 7.0),
        ("CNTT", "Phòng Công nghệ thông tin", 7.0),
        ("TTBCXB", "Phòng Thông tin - Báo chí - Xuất bản", 8.0),
        (
            "TTCNTT",
            "Trung tâm Công nghệ thông tin và Truyền thông",
            24.0,
        ),
    ]);
    // Items (1)–(13) are the province's figures, which no phòng reaches
    // alone: targets of the whole department (`Chỉ tiêu khối`), the
    // responsible phòng reporting the figure. Section III.2.a: what each
    // collective must meet for the Giám đốc Sở's Giấy khen.
    let province = |code: &str, content: &str, target: &str| {
        let unit = if target.contains('%') { "%" } else { "" };
        row(&[
            t("I"),
            t(code),
            t(content),
            t(unit),
            Draft::Empty,
            n(0.0),
            t("Chỉ tiêu khối"),
            Draft::Empty,
            t("Không"),
            t("Tổng"),
            t(target),
        ])
    };
    s004.indicators = vec![
        section("I", "Chỉ tiêu của ngành năm 2022 (mục II.1, toàn tỉnh)"),
        province(
            "1",
            "Số xã, phường có trạm truyền thanh cơ sở hoạt động",
            "100 xã, phường",
        ),
        province(
            "2",
            "Tỷ lệ xã, phường có trạm truyền thanh cơ sở hoạt động tốt",
            "96%",
        ),
        province(
            "3",
            "Tỷ lệ xã, phường, thị trấn có đài truyền thanh ứng dụng công nghệ thông tin và viễn thông",
            "90%",
        ),
        province(
            "4",
            "Tỷ lệ phủ sóng thông tin di động 3G, 4G tại thôn, bản, tổ dân phố",
            "100%",
        ),
        province(
            "5",
            "Tỷ lệ phủ sóng thông tin di động 5G tại các trung tâm thị trấn, thành phố",
            "10 %",
        ),
        province(
            "6",
            "Tỷ lệ ngầm hóa mạng cáp viễn thông tại các khu đô thị",
            "25 %",
        ),
        province("7", "Tỷ lệ các điểm bưu chính có người phục vụ", "100%"),
        province(
            "8",
            "Tỷ lệ thủ tục hành chính đã triển khai có phát sinh hồ sơ qua dịch vụ BCCI cấp tỉnh",
            "50%",
        ),
        province(
            "9",
            "Tỷ lệ thủ tục hành chính đã triển khai có phát sinh hồ sơ qua dịch vụ BCCI cấp huyện",
            "50%",
        ),
        province(
            "10",
            "Tỷ lệ cung cấp dịch vụ công trực tuyến mức độ 4",
            "> 82%",
        ),
        province(
            "11",
            "Tỷ lệ hồ sơ giải quyết dịch vụ công trực tuyến trên tổng số hồ sơ phát sinh",
            "25%",
        ),
        province(
            "12",
            "Tỷ lệ cuộc họp cấp ủy, chính quyền, đoàn thể (trừ cuộc họp mật) được tổ chức trực tuyến",
            "5%",
        ),
        province(
            "13",
            "Chỉ số chuyển đổi số cấp tỉnh",
            "Tăng từ 02 bậc trở lên",
        ),
        section("II", "Tiêu chuẩn tập thể (mục III.2.a)"),
        simple(
            "II",
            "14",
            "Hoàn thành chỉ tiêu, nhiệm vụ được giao trong năm",
            "Hoàn thành xuất sắc 100% chỉ tiêu, nhiệm vụ được giao",
            25.0,
        ),
        simple(
            "II",
            "15",
            "Cá nhân trong tập thể được xếp loại hoàn thành tốt nhiệm vụ trở lên",
            "100% cá nhân trong tập thể được xếp loại hoàn thành tốt nhiệm vụ trở lên",
            25.0,
        ),
        simple(
            "II",
            "16",
            "Cá nhân được xếp loại hoàn thành xuất sắc nhiệm vụ",
            "Có ít nhất 01 cá nhân được xếp loại hoàn thành xuất sắc nhiệm vụ",
            25.0,
        ),
        simple(
            "II",
            "17",
            "Cá nhân bị kỷ luật từ hình thức cảnh cáo trở lên",
            "Không có cá nhân bị kỷ luật từ hình thức cảnh cáo trở lên",
            25.0,
        ),
    ];
    // One report, the award dossier: "Thời hạn nhận hồ sơ: Trước ngày
    // 15/01/2023" (mục III.3.c); the competition runs through 2022.
    s004.periods = vec![row(&[
        t("NAM"),
        t("Năm"),
        d(2022, 1, 1),
        d(2022, 12, 31),
        t("Trước ngày 15/01/2023"),
    ])];
    s004.info.push((
        "Nguồn",
        t("Kế hoạch triển khai phong trào thi đua thực hiện nhiệm vụ phát triển kinh tế - xã hội năm 2022, Sở Thông tin và Truyền thông Bắc Kạn (mục II.1, III.2.a, III.3.c, IV.1)"),
    ));
    s004.info.push((
        "Phần minh họa",
        t("Kế hoạch gốc không có, mẫu thêm để minh họa: tên và biên chế các phòng, đơn vị (kế hoạch chỉ nói `các phòng, đơn vị thuộc, trực thuộc Sở`); điểm tối đa và cách chấm của tiêu chí 14–17; số lượng khen thưởng"),
    ));
    vec![
        ("seed-000", s000),
        ("seed-001", s001),
        ("seed-002", s002),
        ("seed-004", s004),
    ]
}

/// Cumulative figures of a unit at the end of a quarter (Q1, 6T, 9T): a
/// steady year, except where a unit falls behind (see `samples/README.md`).
fn quarter_rows(
    unit: &str,
    period: &str,
) -> Vec<(&'static str, Option<FillValue>, Option<FillValue>)> {
    let step = match period {
        "Q1" => 0,
        "6T" => 1,
        _ => 2,
    };
    let pick = |values: [f64; 3]| values[step];
    let mut rows = good_year();
    // Counts accumulate through the year.
    set(&mut rows, "2.5", num(pick([2.0, 4.0, 6.0])), num(5.0));
    set(&mut rows, "2.6", num(pick([1.0, 2.0, 3.0])), num(3.0));
    // The sports games are in June.
    let games = if step == 0 {
        "Chưa hoàn thành"
    } else {
        "Hoàn thành"
    };
    set(&mut rows, "3.4", text(games), num(3.0));
    match unit {
        // Sáng kiến lag: 1, 2, 4 — behind the 7 needed by year end.
        "SXD" => set(&mut rows, "2.5", num(pick([1.0, 2.0, 4.0])), num(5.0)),
        // Bằng khen lag: 0, 1, 1 — behind the 3 needed.
        "STC" => set(&mut rows, "2.6", num(pick([0.0, 1.0, 1.0])), num(3.0)),
        // LĐTT falls 91, 90, 89 — heading below `Trên 90%`.
        "SGTVT" => set(&mut rows, "2.2", num(pick([91.0, 90.0, 89.0])), num(5.0)),
        _ => {}
    }
    rows
}

/// When each sample file reached the leader: `ngay-nhan.csv` beside the
/// plan, read by `nhan-ho-so.sh` (and the tests) to build the archive.
fn received_dates() -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    let members = [
        "SCT", "SXD", "SGTVT", "SNN", "STNMT", "SKHCN", "STTTT", "STC", "BQLKKT", "CTHUE", "KBNN",
    ];
    for (period, on_time) in [
        ("Q1", "2022-03-20 08:00"),
        ("6T", "2022-06-22 08:00"),
        ("9T", "2022-09-21 08:00"),
    ] {
        for unit in members {
            let when = match (period, unit) {
                ("Q1", "SXD") => "2022-03-28 09:15",
                ("6T", "SGTVT") => "2022-07-02 10:00",
                ("6T", "SNN") => continue,
                ("9T", "CTHUE") => "2022-09-30 14:00",
                _ => on_time,
            };
            out.push((format!("ky/{period}/{unit}_{period}.xlsx"), when));
        }
    }
    for (file, when) in [
        ("SCT_NAM (ban cu).xlsx", "2022-12-06 08:00"),
        ("SCT_NAM.xlsx", "2022-12-13 08:00"),
        ("SXD_NAM.xlsx", "2022-12-14 08:00"),
        ("SGTVT_NAM.xlsx", "2022-12-14 08:00"),
        ("SNN_NAM.xlsx", "2022-12-15 08:00"),
        ("STNMT_NAM.xlsx", "2022-12-12 08:00"),
        ("SKHCN_NAM.xlsx", "2022-12-10 08:00"),
        ("STTTT_NAM.xlsx", "2022-12-13 08:00"),
        ("So Tai chinh.xlsx", "2022-12-15 16:00"),
        ("BQLKKT_NAM.xlsx", "2022-12-14 08:00"),
        ("CTHUE_NAM.xlsx", "2022-12-15 08:00"),
        ("KBNN_NAM.xlsx", "2022-12-17 08:00"),
        ("SYT_NAM.xlsx", "2022-12-14 08:00"),
    ] {
        out.push((format!("don-vi/{file}"), when));
    }
    out
}

fn write_quarters(plan: &thidua::plan::Plan, bloc: &Path) -> anyhow::Result<()> {
    for (file, _) in received_dates() {
        let Some(rest) = file.strip_prefix("ky/") else {
            continue;
        };
        let (period, name) = rest.split_once('/').expect("ky/<period>/<file>");
        let unit_code = name.split('_').next().expect("unit code");
        let unit = plan.unit(unit_code).expect("member");
        let p = plan.period(period).expect("period");
        let deadline = p.deadline.expect("deadline");
        let mut f = fill(quarter_rows(unit_code, period), 1);
        f.report_date = deadline.checked_sub_days(chrono::Days::new(5));
        f.counts.clear();
        let path = bloc.join(&file);
        std::fs::create_dir_all(path.parent().expect("folder"))?;
        template::write(plan, unit, p, Some(&f), &path, true)?;
    }
    let mut csv = String::from("file,received\n");
    for (file, when) in received_dates() {
        csv.push_str(&format!("{file},{when}\n"));
    }
    std::fs::write(bloc.join("ngay-nhan.csv"), csv)?;
    Ok(())
}
