//! Each seed plan's countable targets, in the seed's own words, and how
//! the sample plan made from it must read them: a unit's target, a target
//! of the whole bloc, or "not modelled" with the reason. A sample that
//! drifts from its seed fails here.

use thidua::plan::{Aggregate, Plan, Rule};
use thidua::text::target::Target;

use crate::workdir::repo;

/// How a seed target must be read.
enum Meaning {
    /// A unit's target, as `thidua plan` describes it (Vietnamese).
    Unit(&'static str),
    /// A unit's target that the bloc also aggregates this way.
    UnitAndBloc(&'static str, Aggregate),
    /// A share of the member units meeting a condition (described).
    UnitsShare(f64, &'static str),
    /// A target no unit can meet alone: rule `Chỉ tiêu khối` against this
    /// bloc target (described).
    Bloc(&'static str),
}

struct SeedTarget {
    /// The seed's wording.
    wording: &'static str,
    /// Where it is in the seed.
    place: &'static str,
    /// The sample plan's indicator.
    code: &'static str,
    meaning: Meaning,
}

fn check(plan_path: &str, table: &[SeedTarget]) {
    let loaded = thidua::plan::load(&repo(plan_path)).unwrap();
    assert!(!loaded.has_errors(), "{plan_path}: {:?}", loaded.findings);
    let plan: Plan = loaded.plan;
    for t in table {
        let ind = plan.indicator(t.code).unwrap_or_else(|| {
            panic!(
                "{plan_path}: no indicator {} for `{}` ({})",
                t.code, t.wording, t.place
            )
        });
        let what = format!("{plan_path} {} `{}` ({})", t.code, t.wording, t.place);
        match &t.meaning {
            Meaning::Unit(d) => {
                assert_eq!(ind.target.describe(false), *d, "{what}");
                assert_ne!(ind.rule, Rule::Bloc, "{what}");
            }
            Meaning::UnitAndBloc(d, aggregate) => {
                assert_eq!(ind.target.describe(false), *d, "{what}");
                assert_eq!(ind.aggregate, Some(*aggregate), "{what}");
            }
            Meaning::UnitsShare(share, condition) => match &ind.target {
                Target::UnitsShare {
                    share: s,
                    condition: c,
                } => {
                    assert_eq!(s, share, "{what}");
                    assert_eq!(c.describe(false), *condition, "{what}");
                }
                other => panic!("{what}: read as {other:?}"),
            },
            Meaning::Bloc(d) => {
                assert_eq!(ind.rule, Rule::Bloc, "{what}");
                assert_eq!(ind.max_points, 0.0, "{what}");
                assert_eq!(ind.bloc_target.describe(false), *d, "{what}");
            }
        }
    }
}

/// Seed 003: Khối Kinh tế kỹ thuật, Hà Tĩnh, 2022 (mục II.5–8, III.2).
#[test]
fn seed_003_targets_as_written() {
    use Meaning::*;
    check(
        "samples/ktkt-2022/ke-hoach.xlsx",
        &[
            SeedTarget {
                wording: "Tất cả 12 đơn vị trong Khối phấn đấu hoàn thành 100% nhiệm vụ phát triển kinh tế - xã hội năm 2022",
                place: "II.5",
                code: "1.1",
                meaning: UnitAndBloc("≥ 100%", Aggregate::UnitsMet),
            },
            SeedTarget {
                wording: "Phấn đấu 100% cán bộ, công chức, viên chức và người lao động hoàn thành nhiệm vụ",
                place: "II.6",
                code: "2.1",
                meaning: UnitAndBloc("≥ 100%", Aggregate::HeadcountAverage),
            },
            SeedTarget {
                wording: "90% đạt danh hiệu Lao động tiên tiến",
                place: "II.6",
                code: "2.2",
                meaning: UnitAndBloc("≥ 90%", Aggregate::HeadcountAverage),
            },
            SeedTarget {
                wording: "15% đạt danh hiệu Chiến sỹ thi đua cơ sở",
                place: "II.6",
                code: "2.3",
                meaning: UnitAndBloc("≥ 15%", Aggregate::HeadcountAverage),
            },
            SeedTarget {
                wording: "5% đạt chiến sỹ thi đua cấp tỉnh hoặc ngành",
                place: "II.6",
                code: "2.4",
                meaning: UnitAndBloc("≥ 5%", Aggregate::HeadcountAverage),
            },
            SeedTarget {
                wording: "Tổ chức Đảng hoàn thành xuất sắc nhiệm vụ",
                place: "II.7",
                code: "2.7",
                meaning: Unit("xếp loại Hoàn thành xuất sắc nhiệm vụ trở lên"),
            },
            SeedTarget {
                wording: "Đoàn thể hoàn thành tốt nhiệm vụ trở lên",
                place: "II.7",
                code: "2.8",
                meaning: Unit("xếp loại Hoàn thành tốt nhiệm vụ trở lên"),
            },
            SeedTarget {
                wording: "100% các đơn vị trong Khối không có cá nhân vi phạm kỷ luật từ khiển trách trở lên",
                place: "II.8",
                code: "3.1",
                meaning: UnitsShare(100.0, "= 0 (không để xảy ra)"),
            },
            SeedTarget {
                wording: "không vi phạm chính sách Dân số - Kế hoạch hóa gia đình; vi phạm tệ nạn xã hội và An toàn giao thông",
                place: "II.8",
                code: "3.2",
                meaning: UnitsShare(100.0, "= 0 (không để xảy ra)"),
            },
            SeedTarget {
                wording: "Tổ chức các hoạt động văn nghệ, thể dục, thể thao giao lưu giữa các đơn vị trong Khối",
                place: "III.2",
                code: "3.4",
                meaning: UnitAndBloc("hoàn thành (có/không)", Aggregate::UnitsMet),
            },
        ],
    );
    // The deadlines of III.4, worded: the day named is already late.
    let plan = thidua::plan::load(&repo("samples/ktkt-2022/ke-hoach.xlsx"))
        .unwrap()
        .plan;
    for (code, text, last) in [
        ("Q1", "trước ngày 25/3/2022", (2022, 3, 24)),
        ("6T", "trước ngày 25/6/2022", (2022, 6, 24)),
        ("9T", "trước ngày 25/9/2022", (2022, 9, 24)),
        ("NAM", "trước 15/12/2022", (2022, 12, 14)),
    ] {
        let p = plan.period(code).unwrap();
        assert_eq!(p.deadline_text, text);
        assert_eq!(
            p.deadline,
            chrono::NaiveDate::from_ymd_opt(last.0, last.1, last.2)
        );
    }
}

/// Seed 000: Sở Nội vụ Hà Tĩnh, 2022 (mục II.3, III). Not modelled: "Tập
/// thể cơ quan Sở hoàn thành xuất sắc nhiệm vụ, được UBND tỉnh tặng Cờ thi
/// đua hoặc Bằng khen" — the Sở's own result, decided by the province, not
/// from its members' figures.
#[test]
fn seed_000_targets_as_written() {
    use Meaning::*;
    check(
        "samples/seed-000/ke-hoach.xlsx",
        &[
            SeedTarget {
                wording: "100% phòng, ban, trung tâm đạt danh hiệu tập thể lao động tiên tiến",
                place: "II.3.a",
                code: "1.1",
                meaning: UnitsShare(100.0, "hoàn thành (có/không)"),
            },
            SeedTarget {
                wording: "trong đó 20% tập thể đạt danh hiệu tập thể lao động xuất sắc",
                place: "II.3.a",
                code: "1.2",
                meaning: Bloc("≥ 20%"),
            },
            SeedTarget {
                wording: "2 - 3 Phòng, ban, trung tâm được Bộ Nội vụ, UBND tỉnh tặng bằng khen",
                place: "II.3.a",
                code: "1.3",
                meaning: Bloc("≥ 2 (trên 3 là vượt mức)"),
            },
            SeedTarget {
                wording: "trong đó 1 đơn vị trực thuộc được tặng Cờ thi đua Ủy ban nhân dân tỉnh",
                place: "II.3.a",
                code: "1.4",
                meaning: Bloc("≥ 1"),
            },
            SeedTarget {
                wording: "thu nhập tăng thêm của CBCC năm 2022 cao hơn năm 2021",
                place: "II.3.a",
                code: "1.5",
                meaning: Unit("> kết quả năm trước"),
            },
            SeedTarget {
                wording: "Tổ chức Công đoàn, Đoàn Thanh niên hoàn thành xuất sắc nhiệm vụ",
                place: "II.3.a",
                code: "1.6",
                meaning: Unit("xếp loại Hoàn thành xuất sắc nhiệm vụ trở lên"),
            },
            SeedTarget {
                wording: "Phấn đấu 100% cán bộ, công chức, viên chức hoàn thành tốt nhiệm vụ trở lên",
                place: "II.3.b",
                code: "2.1",
                meaning: Unit("≥ 100%"),
            },
            SeedTarget {
                wording: "100% cán bộ, công chức, viên chức đạt danh hiệu lao động tiên tiến",
                place: "II.3.b",
                code: "2.2",
                meaning: Unit("≥ 100%"),
            },
            SeedTarget {
                wording: "trong đó 15% đạt chiến sỹ thi đua cơ sở",
                place: "II.3.b",
                code: "2.3",
                meaning: Unit("≥ 15%"),
            },
            SeedTarget {
                wording: "15% cá nhân được Bộ Nội vụ, UBND tỉnh tặng Bằng khen",
                place: "II.3.b",
                code: "2.4",
                meaning: Bloc("≥ 15%"),
            },
            SeedTarget {
                wording: "Có cá nhân được Thủ tướng Chính phủ tặng Bằng khen",
                place: "II.3.b",
                code: "2.5",
                meaning: Bloc("≥ 1"),
            },
        ],
    );
    let plan = thidua::plan::load(&repo("samples/seed-000/ke-hoach.xlsx"))
        .unwrap()
        .plan;
    let d1 = plan.period("D1").unwrap();
    assert_eq!(d1.deadline_text, "trước ngày 15/7/2022");
    let d2 = plan.period("D2").unwrap();
    assert_eq!(
        d2.from,
        chrono::NaiveDate::from_ymd_opt(2022, 7, 1),
        "round 2 from 01/7"
    );
    assert_eq!(d2.deadline_text, "trước ngày 31/12/2022");
}

/// Seed 004: Sở Thông tin và Truyền thông Bắc Kạn, 2022 (mục II.1, III.2.a,
/// III.3.c). The province's figures (1)–(13) are the whole Sở's.
#[test]
fn seed_004_targets_as_written() {
    use Meaning::*;
    let province = [
        (
            "1",
            "Số xã, phường có trạm truyền thanh cơ sở hoạt động: 100 xã, phường",
            "≥ 100",
        ),
        (
            "2",
            "Tỷ lệ xã, phường có trạm truyền thanh cơ sở hoạt động tốt: 96%",
            "≥ 96%",
        ),
        (
            "3",
            "… đài truyền thanh ứng dụng công nghệ thông tin và viễn thông: 90%",
            "≥ 90%",
        ),
        (
            "4",
            "Tỷ lệ phủ sóng thông tin di động 3G, 4G …: 100%",
            "≥ 100%",
        ),
        ("5", "Tỷ lệ phủ sóng thông tin di động 5G …: 10 %", "≥ 10%"),
        ("6", "Tỷ lệ ngầm hóa mạng cáp viễn thông …: 25 %", "≥ 25%"),
        (
            "7",
            "Tỷ lệ các điểm bưu chính có người phục vụ: 100%",
            "≥ 100%",
        ),
        ("8", "… dịch vụ BCCI cấp tỉnh: 50%", "≥ 50%"),
        ("9", "… dịch vụ BCCI cấp huyện: 50%", "≥ 50%"),
        (
            "10",
            "Tỷ lệ cung cấp dịch vụ công trực tuyến mức độ 4: > 82%",
            "> 82%",
        ),
        (
            "11",
            "Tỷ lệ hồ sơ giải quyết dịch vụ công trực tuyến …: 25%",
            "≥ 25%",
        ),
        ("12", "Tỷ lệ cuộc họp … được tổ chức trực tuyến: 5%", "≥ 5%"),
        (
            "13",
            "Chỉ số chuyển đổi số cấp tỉnh: Tăng từ 02 bậc trở lên",
            "thứ hạng tăng ≥ 2 bậc so với năm trước",
        ),
    ];
    let mut table: Vec<SeedTarget> = province
        .iter()
        .map(|(code, wording, d)| SeedTarget {
            wording,
            place: "II.1",
            code,
            meaning: Bloc(d),
        })
        .collect();
    table.extend([
        SeedTarget {
            wording: "Hoàn thành xuất sắc 100% chỉ tiêu, nhiệm vụ được giao trong năm",
            place: "III.2.a",
            code: "14",
            meaning: Unit("≥ 100%"),
        },
        // One sentence, two conditions.
        SeedTarget {
            wording: "100% cá nhân trong tập thể được xếp loại hoàn thành tốt nhiệm vụ trở lên",
            place: "III.2.a",
            code: "15",
            meaning: Unit("≥ 100%"),
        },
        SeedTarget {
            wording: "trong đó, có ít nhất 01 cá nhân được xếp loại hoàn thành xuất sắc nhiệm vụ",
            place: "III.2.a",
            code: "16",
            meaning: Unit("≥ 1"),
        },
        SeedTarget {
            wording: "Không có cá nhân bị kỷ luật từ hình thức cảnh cáo trở lên",
            place: "III.2.a",
            code: "17",
            meaning: Unit("= 0 (không để xảy ra)"),
        },
    ]);
    check("samples/seed-004/ke-hoach.xlsx", &table);
    let plan = thidua::plan::load(&repo("samples/seed-004/ke-hoach.xlsx"))
        .unwrap()
        .plan;
    assert!(plan.bloc.contains("Bắc Kạn"), "{}", plan.bloc);
    let year = plan.period("NAM").unwrap();
    assert_eq!(year.deadline_text, "Trước ngày 15/01/2023");
    assert_eq!(year.deadline, chrono::NaiveDate::from_ymd_opt(2023, 1, 14));
}

/// Seed 002: Sở Ngoại vụ Hà Tĩnh, 2022 (mục 2.2, III). Its collective
/// targets are the whole Sở's; the shares of its staff are each phòng's.
#[test]
fn seed_002_targets_as_written() {
    use Meaning::*;
    check(
        "samples/seed-002/ke-hoach.xlsx",
        &[
            SeedTarget {
                wording: "Tập thể Chi bộ Sở Ngoại vụ xếp loại hoàn thành tốt nhiệm vụ",
                place: "2.2.1",
                code: "1.1",
                meaning: Bloc("≥ 1"),
            },
            SeedTarget {
                wording: "Tập thể Sở Ngoại vụ đề nghị UBND tỉnh tặng Bằng khen",
                place: "2.2.1",
                code: "1.2",
                meaning: Bloc("≥ 1"),
            },
            SeedTarget {
                wording: "Công đoàn xếp loại Công đoàn cơ sở hoàn thành tốt nhiệm vụ",
                place: "2.2.1",
                code: "1.3",
                meaning: Bloc("≥ 1"),
            },
            SeedTarget {
                wording: "Chi đoàn xếp loại Chi đoàn hoàn thành tốt nhiệm vụ",
                place: "2.2.1",
                code: "1.4",
                meaning: Bloc("≥ 1"),
            },
            SeedTarget {
                wording: "01 phòng (đơn vị) được Ủy ban nhân dân tỉnh tặng Bằng khen",
                place: "2.2.1",
                code: "1.5",
                meaning: Bloc("≥ 1"),
            },
            SeedTarget {
                wording: "01 phòng (đơn vị) được Ủy ban nhân dân tỉnh công nhận danh hiệu tập thể Lao động xuất sắc",
                place: "2.2.1",
                code: "1.6",
                meaning: Bloc("≥ 1"),
            },
            SeedTarget {
                wording: "02 phòng (đơn vị) được Giám đốc Sở tặng Giấy khen",
                place: "2.2.1",
                code: "1.7",
                meaning: Bloc("≥ 2"),
            },
            SeedTarget {
                wording: "Trên 90% phòng, đơn vị đạt danh hiệu Lao động tiên tiến",
                place: "2.2.1",
                code: "1.8",
                meaning: Bloc("> 90%"),
            },
            SeedTarget {
                wording: "Cơ quan đạt chuẩn văn hóa, an toàn về an ninh trật tự",
                place: "2.2.1",
                code: "1.9",
                meaning: Bloc("≥ 1"),
            },
            SeedTarget {
                wording: "03 cá nhân được Ủy ban nhân dân tỉnh tặng Bằng khen thực hiện nhiệm vụ chính trị và khen chuyên đề",
                place: "2.2.2",
                code: "2.1",
                meaning: Bloc("≥ 3"),
            },
            SeedTarget {
                wording: "8 cá nhân được Giám đốc Sở tặng Giấy khen",
                place: "2.2.2",
                code: "2.2",
                meaning: Bloc("≥ 8"),
            },
            SeedTarget {
                wording: "Ít nhất 15% CBCCVC đạt danh hiệu Chiến sỹ thi đua cấp cơ sở",
                place: "2.2.2",
                code: "2.3",
                meaning: Unit("≥ 15%"),
            },
            SeedTarget {
                wording: "Trên 90% CBCCVC đạt danh hiệu Lao động tiên tiến",
                place: "2.2.2",
                code: "2.4",
                meaning: Unit("> 90%"),
            },
            SeedTarget {
                wording: "100% CBCCVC chấp hành tốt nội quy, quy chế của cơ quan, pháp luật của nhà nước …",
                place: "2.2.2",
                code: "2.5",
                meaning: Unit("≥ 100%"),
            },
            SeedTarget {
                wording: "100% CBCCVC không tham gia các tệ nạn xã hội; không uống rượu vào buổi trưa và trong giờ hành chính",
                place: "2.2.2",
                code: "2.6",
                meaning: Unit("≥ 100%"),
            },
            SeedTarget {
                wording: "100% gia đình CBCCVC thuộc Sở đạt tiêu chuẩn gia đình văn hóa",
                place: "2.2.2",
                code: "2.7",
                meaning: Unit("≥ 100%"),
            },
            SeedTarget {
                wording: "100% CBCCVN thực hiện tốt quy chế dân chủ, quy chế hoạt động của cơ quan",
                place: "III.2.1",
                code: "3.1",
                meaning: Unit("≥ 100%"),
            },
            SeedTarget {
                wording: "100% CBCCVC đăng ký thi đua phong trào “Ngày làm việc 8 giờ chất lượng, hiệu quả” …",
                place: "III.2.8",
                code: "3.2",
                meaning: Unit("≥ 100%"),
            },
            SeedTarget {
                wording: "Đăng ký 03 đến 04 nội dung trong chương trình khung của tỉnh năm 2022",
                place: "III.2.10",
                code: "3.3",
                meaning: Bloc("≥ 3 (trên 4 là vượt mức)"),
            },
            SeedTarget {
                wording: "Phấn đấu có ít nhất 01 đề tài được Hội đồng khoa học tỉnh công nhận sáng kiến cấp tỉnh",
                place: "III.2.10",
                code: "3.4",
                meaning: Bloc("≥ 1"),
            },
            SeedTarget {
                wording: "từ 07 đến 09 sáng kiến cấp cơ sở",
                place: "III.2.10",
                code: "3.5",
                meaning: Bloc("≥ 7 (trên 9 là vượt mức)"),
            },
        ],
    );
    let plan = thidua::plan::load(&repo("samples/seed-002/ke-hoach.xlsx"))
        .unwrap()
        .plan;
    let (d1, d2) = (plan.period("D1").unwrap(), plan.period("D2").unwrap());
    assert_eq!(d1.to, chrono::NaiveDate::from_ymd_opt(2022, 6, 30));
    assert_eq!(d2.to, chrono::NaiveDate::from_ymd_opt(2022, 12, 31));
    // "02 phòng (đơn vị) được Giám đốc Sở tặng Giấy khen": a quota of two.
    assert_eq!(plan.awards.len(), 1);
    assert_eq!(plan.awards[0].quota, thidua::plan::Quota::Count(2));
}

/// Seed 001: Văn phòng UBND tỉnh, 2023. Its content items are tasks, done
/// or not; it names no reporting period or date, so none is invented: one
/// period for the year, no deadline, nothing late.
#[test]
fn seed_001_tasks_and_no_deadline() {
    let plan = thidua::plan::load(&repo("samples/seed-001/ke-hoach.xlsx"))
        .unwrap()
        .plan;
    assert!(
        plan.indicators.iter().all(|i| i.target == Target::Done),
        "every item is a task"
    );
    assert_eq!(plan.periods.len(), 1);
    assert_eq!(plan.periods[0].deadline, None);
    let w = crate::workdir::Workdir::new();
    let (code, out, err) = crate::workdir::run(w.thidua().args([
        "consolidate",
        "--plan",
        &repo("samples/seed-001/ke-hoach.xlsx").display().to_string(),
        &repo("samples/seed-001/don-vi").display().to_string(),
        "-o",
        "th.xlsx",
        "--json",
        "th.json",
    ]));
    assert_eq!(code, 0, "{out}{err}");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(w.path("th.json")).unwrap()).unwrap();
    assert!(
        doc["files"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["late_days"].is_null())
    );
    assert!(
        !doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "late")
    );
    let (_, out, _) = crate::workdir::run(
        w.thidua()
            .arg("plan")
            .arg(repo("samples/seed-001/ke-hoach.xlsx")),
    );
    assert!(
        out.contains("hạn nộp không có (kế hoạch không ghi; không tính trễ hạn)"),
        "{out}"
    );
}
