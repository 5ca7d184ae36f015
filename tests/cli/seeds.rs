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
