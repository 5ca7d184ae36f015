//! The target grammar read on every phrase the plans write, with and
//! without diacritics.

use super::*;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Drops the diacritics the way OCR and keyboards without Vietnamese
/// input do: `Tăng từ 02 bậc` → `Tang tu 02 bac`.
fn stripped(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            c => c,
        })
        .collect()
}

/// Every phrase must read the same with its diacritics and without.
fn check(text: &str, expected: Target) {
    assert_eq!(parse_target(text), Ok(expected.clone()), "`{text}`");
    let plain = stripped(text);
    assert_eq!(parse_target(&plain), Ok(expected), "`{plain}`");
}

fn at_least(value: f64, percent: bool) -> Target {
    Target::AtLeast { value, percent }
}

// A department's province-wide figures (Sở Thông tin và Truyền thông
// Bắc Kạn, 2022, items (1)–(13)).
#[test]
fn seed_004_targets() {
    check("100 xã, phường", at_least(100.0, false));
    check("96%", at_least(96.0, true));
    check("90%", at_least(90.0, true));
    check("100%", at_least(100.0, true));
    check("10 %", at_least(10.0, true));
    check("25 %", at_least(25.0, true));
    check("50%", at_least(50.0, true));
    check(
        "> 82%",
        Target::Above {
            value: 82.0,
            percent: true,
        },
    );
    check("5%", at_least(5.0, true));
    check("Tăng từ 02 bậc trở lên", Target::RankUp { steps: 2.0 });
    check(
        "Hoàn thành xuất sắc 100% chỉ tiêu, nhiệm vụ được giao",
        at_least(100.0, true),
    );
    check(
        "Không có cá nhân bị kỷ luật từ hình thức cảnh cáo trở lên",
        Target::Zero,
    );
    check(
        "Có ít nhất 01 cá nhân được xếp loại hoàn thành xuất sắc nhiệm vụ",
        at_least(1.0, false),
    );
    check(
        "Hoàn thành tốt nhiệm vụ trở lên",
        Target::Grade { grade: Grade::Good },
    );
}

// A department's collective and individual targets (Sở Ngoại vụ Hà Tĩnh,
// 2022, section 2.2 and item 2.10).
#[test]
fn seed_002_targets() {
    check(
        "Trên 90%",
        Target::Above {
            value: 90.0,
            percent: true,
        },
    );
    check("Ít nhất 15%", at_least(15.0, true));
    check("03 cá nhân", at_least(3.0, false));
    check("8 cá nhân", at_least(8.0, false));
    check("01 phòng (đơn vị)", at_least(1.0, false));
    check("02 phòng (đơn vị)", at_least(2.0, false));
    check(
        "Từ 07 đến 09 sáng kiến",
        Target::Range {
            low: 7.0,
            high: 9.0,
            percent: false,
        },
    );
    check(
        "03 đến 04 nội dung",
        Target::Range {
            low: 3.0,
            high: 4.0,
            percent: false,
        },
    );
    check("Có ít nhất 01 đề tài", at_least(1.0, false));
    check(
        "Hoàn thành tốt nhiệm vụ",
        Target::Grade { grade: Grade::Good },
    );
    check("Đạt", Target::Done);
}

// Khối Kinh tế kỹ thuật Hà Tĩnh 2022, item 8, and its family: a share of
// the bloc's units is a
// bloc target, never a silent `≥ 100%`; a share of a unit's own staff
// or families stays the unit's percentage.
#[test]
fn a_share_of_the_member_units_is_a_bloc_target() {
    check(
        "100% các đơn vị trong Khối không có cá nhân vi phạm kỷ luật từ khiển trách trở lên",
        Target::UnitsShare {
            share: 100.0,
            condition: Box::new(Target::Zero),
        },
    );
    check(
        "Phấn đấu 80% đơn vị hoàn thành tốt nhiệm vụ trở lên",
        Target::UnitsShare {
            share: 80.0,
            condition: Box::new(Target::Grade { grade: Grade::Good }),
        },
    );
    check(
        "100% cán bộ, công chức, viên chức và người lao động hoàn thành nhiệm vụ",
        at_least(100.0, true),
    );
    check(
        "100% gia đình cán bộ đạt gia đình văn hóa",
        at_least(100.0, true),
    );
    // A share of units whose condition cannot be read is refused.
    assert_eq!(
        parse_target("100% các đơn vị trong Khối tích cực tham gia"),
        Err(UnreadableTarget)
    );
}

#[test]
fn a_subject_before_a_grade_and_a_registration_count() {
    check(
        "Đoàn thể hoàn thành tốt nhiệm vụ trở lên",
        Target::Grade { grade: Grade::Good },
    );
    check(
        "Tổ chức Đảng hoàn thành xuất sắc nhiệm vụ",
        Target::Grade {
            grade: Grade::Excellent,
        },
    );
    check(
        "Đăng ký 03 đến 04 nội dung",
        Target::Range {
            low: 3.0,
            high: 4.0,
            percent: false,
        },
    );
}

// The OCR seeds (000–002) spell grade and verb words wrongly once their
// diacritics are misread; the reading says when it needed to undo that.
#[test]
fn ocr_spellings_are_read_and_said() {
    let r = read_target("hoan thanh xuat sic nhiem vu").unwrap();
    assert_eq!(
        r.target,
        Target::Grade {
            grade: Grade::Excellent
        }
    );
    assert_eq!(r.corrected.as_deref(), Some("hoan thanh xuat sac nhiem vu"));
    assert_eq!(
        parse_target("hoan thanh xuat sic nhiem vu"),
        Err(UnreadableTarget)
    );
    let r = read_target("T6 chirc Cong doan hoan thanh xuét sic nhiém vu");
    assert!(r.is_err(), "an OCR subject is not guessed: {r:?}");
    let r = read_target("hoan thanh tét nhiém vu tro 1en").unwrap();
    assert_eq!(r.target, Target::Grade { grade: Grade::Good });
    assert!(r.corrected.is_some());
    assert_eq!(
        read_target("Tang tir 02 bac").unwrap().target,
        Target::RankUp { steps: 2.0 }
    );
    // What reads as written is not touched.
    assert_eq!(read_target("96%").unwrap().corrected, None);
}

// A bloc's plan (Khối Kinh tế kỹ thuật, Hà Tĩnh 2022), items 5–8.
#[test]
fn seed_003_targets() {
    check("Hoàn thành 100% nhiệm vụ", at_least(100.0, true));
    check("Phấn đấu 100%", at_least(100.0, true));
    check("15%", at_least(15.0, true));
    check(
        "Hoàn thành xuất sắc nhiệm vụ",
        Target::Grade {
            grade: Grade::Excellent,
        },
    );
    check(
        "Không có cá nhân vi phạm kỷ luật từ khiển trách trở lên",
        Target::Zero,
    );
    check("không có cá nhân vi phạm", Target::Zero);
}

// A department's goals (Sở Nội vụ Hà Tĩnh, 2022), section II.3.
#[test]
fn seed_000_targets() {
    check("20%", at_least(20.0, true));
    check(
        "2 - 3 Phòng, ban, trung tâm",
        Target::Range {
            low: 2.0,
            high: 3.0,
            percent: false,
        },
    );
    check("1 đơn vị", at_least(1.0, false));
    check("Cao hơn năm 2021", Target::AbovePrevious);
    check(
        "Hoàn thành xuất sắc",
        Target::Grade {
            grade: Grade::Excellent,
        },
    );
    check("Hoàn thành", Target::Done);
}

// The other forms plans use for targets.
#[test]
fn product_table_forms() {
    check("Tối thiểu 5", at_least(5.0, false));
    check("Từ 2 trở lên", at_least(2.0, false));
    check("≥ 90%", at_least(90.0, true));
    check(">= 90", at_least(90.0, false));
    check(
        "Hơn 90%",
        Target::Above {
            value: 90.0,
            percent: true,
        },
    );
    check(
        "Dưới 5%",
        Target::Below {
            value: 5.0,
            percent: true,
        },
    );
    check(
        "< 5",
        Target::Below {
            value: 5.0,
            percent: false,
        },
    );
    check(
        "Tối đa 2",
        Target::AtMost {
            value: 2.0,
            percent: false,
        },
    );
    check(
        "Không quá 2",
        Target::AtMost {
            value: 2.0,
            percent: false,
        },
    );
    check(
        "≤ 2",
        Target::AtMost {
            value: 2.0,
            percent: false,
        },
    );
    check(
        "7 - 9",
        Target::Range {
            low: 7.0,
            high: 9.0,
            percent: false,
        },
    );
    check(
        "7–9",
        Target::Range {
            low: 7.0,
            high: 9.0,
            percent: false,
        },
    );
    check("Không có", Target::Zero);
    check("Không để xảy ra", Target::Zero);
    check("0 vụ", Target::Zero);
    check("Tăng so với năm trước", Target::AbovePrevious);
    check("Có", Target::Done);
    check("", Target::None);
    check("9,5", at_least(9.5, false));
}

#[test]
fn unreadable_targets_are_errors() {
    for text in [
        "Tốt",
        "theo kế hoạch",
        "Từ 5",
        "9 - 7",
        "khoảng 90%",
        "Cơ quan đạt chuẩn văn hóa",
    ] {
        assert_eq!(parse_target(text), Err(UnreadableTarget), "`{text}`");
    }
}

#[test]
fn registered_targets_compare_with_the_plan() {
    let plan = parse_target("Ít nhất 15%").unwrap();
    assert_eq!(
        parse_target("10%").unwrap().is_weaker_than(&plan),
        Some(true)
    );
    assert_eq!(
        parse_target("15%").unwrap().is_weaker_than(&plan),
        Some(false)
    );
    assert_eq!(
        parse_target("Trên 15%").unwrap().is_weaker_than(&plan),
        Some(false)
    );
    let cap = parse_target("Tối đa 2").unwrap();
    assert_eq!(
        parse_target("Tối đa 3").unwrap().is_weaker_than(&cap),
        Some(true)
    );
    assert_eq!(
        parse_target("Không có").unwrap().is_weaker_than(&cap),
        Some(false)
    );
    let grade = parse_target("Hoàn thành tốt nhiệm vụ trở lên").unwrap();
    assert_eq!(
        parse_target("HTNV").unwrap().is_weaker_than(&grade),
        Some(true)
    );
    assert_eq!(parse_target("Có").unwrap().is_weaker_than(&plan), None);
}

proptest::proptest! {
    #[test]
    fn never_panics(s in "\\PC{0,40}") {
        let _ = parse_target(&s);
    }
}
