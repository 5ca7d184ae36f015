//! The workbook vocabulary (từ vựng): every sheet name, column header,
//! heading word and property key the product reads or writes, with the
//! other spellings people use for it. The readers match these by folded
//! label keys (case, diacritics and punctuation ignored); the writers write
//! the first, canonical spelling. Nothing else in the code spells a sheet
//! name or a header.
//!
//! The unit workbook's words come first; [`plan`] holds the plan workbook's.

use crate::workbook::table::ColumnSpec;

/// Custom document property marking a workbook thidua wrote as output
/// (`consolidated`, `annotated`, `digest`), so it is never read back as an input.
pub const PROP_OUTPUT: &str = "thidua-output";
/// Custom document property carrying the plan code.
pub const PROP_PLAN: &str = "thidua-plan";
/// Custom document property carrying the indicator table's fingerprint.
pub const PROP_FINGERPRINT: &str = "thidua-fingerprint";

/// Thông tin: key/value rows (plan and unit workbooks).
pub const INFO_SHEET: &[&str] = &["Thông tin", "Thông tin chung"];
/// Đăng ký chỉ tiêu: a unit's registered targets.
pub const REGISTRATION_SHEET: &[&str] = &["Đăng ký chỉ tiêu", "Đăng ký", "Giao ước thi đua"];
/// Tự chấm điểm: a unit's report and self-scoring. A sheet of any other name
/// is taken when its header says it is the score table.
pub const SCORE_SHEET: &[&str] = &[
    "Tự chấm điểm",
    "Bảng tự chấm điểm",
    "Bảng tự chấm",
    "Tự chấm",
    "Chấm điểm",
    "Bảng điểm",
    "Báo cáo",
];

/// Keys of a unit workbook's `Thông tin` sheet, as folded label keys; the
/// first of each is what the template writes (in [`INFO_LABELS`]).
pub mod info {
    pub const PLAN: &[&str] = &["ma ke hoach"];
    pub const UNIT_CODE: &[&str] = &["ma don vi"];
    pub const UNIT_NAME: &[&str] = &["ten don vi", "don vi", "co quan", "ten co quan"];
    pub const PERIOD: &[&str] = &["ky bao cao", "ky", "ky danh gia"];
    pub const REPORT_DATE: &[&str] = &["ngay bao cao", "ngay lap", "ngay"];
    pub const AUTHOR: &[&str] = &["nguoi lap", "nguoi bao cao", "nguoi lap bieu"];
}

/// The `Thông tin` labels the template writes, in order.
pub const INFO_LABELS: [&str; 6] = [
    "Mã kế hoạch",
    "Mã đơn vị",
    "Tên đơn vị",
    "Kỳ báo cáo",
    "Ngày báo cáo",
    "Người lập",
];

const fn col(label: &'static str, aliases: &'static [&'static str], required: bool) -> ColumnSpec {
    ColumnSpec {
        label,
        aliases,
        required,
    }
}

/// Column labels of the score table, used to pick columns by name.
pub mod column {
    pub const NO: &str = "STT";
    pub const CODE: &str = "Mã";
    pub const CONTENT: &str = "Nội dung";
    pub const UNIT: &str = "Đơn vị tính";
    pub const TARGET: &str = "Chỉ tiêu";
    pub const BASELINE: &str = "Kết quả năm trước";
    pub const ACHIEVED: &str = "Kết quả thực hiện";
    pub const MAX: &str = "Điểm tối đa";
    pub const SELF_SCORE: &str = "Điểm tự chấm";
    pub const NOTE: &str = "Minh chứng / Ghi chú";
    pub const KIND: &str = "Loại";
    pub const POINTS_EACH: &str = "Điểm mỗi lần";
    pub const CAP: &str = "Tối đa";
    pub const COUNT: &str = "Số lần";
    pub const PLAN_TARGET: &str = "Chỉ tiêu kế hoạch";
    pub const REGISTERED: &str = "Chỉ tiêu đăng ký";
}

/// The score table (`Tự chấm điểm`) as hand-made sheets head it. A label
/// matches an alias exactly or starts with it (`Điểm tự chấm (điểm)`); the
/// longest alias wins, so `Kết quả năm trước` is the baseline, not `Kết quả`.
/// A group heading is joined in front of the columns it spans (`Điểm` over
/// `Tối đa | Tự chấm` reads `diem toi da`, `diem tu cham`), and the plan's
/// year and the year before read as `nam nay` and `nam truoc`.
pub const SCORE_COLUMNS: &[ColumnSpec] = &[
    col(
        column::CODE,
        &["ma", "ma tieu chi", "ma so", "ky hieu"],
        false,
    ),
    col(
        column::CONTENT,
        &[
            "noi dung",
            "tieu chi",
            "noi dung tieu chi",
            "ten tieu chi",
            "tieu chi thi dua",
            "noi dung thi dua",
            "cac tieu chi",
            "noi dung danh gia",
        ],
        true,
    ),
    col(
        column::BASELINE,
        &[
            "ket qua nam truoc",
            "nam truoc",
            "thuc hien nam truoc",
            "ket qua thuc hien nam truoc",
            "ket qua dat duoc nam truoc",
            "cung ky nam truoc",
        ],
        false,
    ),
    col(
        column::ACHIEVED,
        &[
            "ket qua thuc hien",
            "ket qua",
            "thuc hien",
            "ket qua dat duoc",
            "nam nay",
            "ket qua nam nay",
            "thuc hien nam nay",
            "ket qua thuc hien nam nay",
            "ket qua dat duoc nam nay",
            "so lieu thuc hien",
        ],
        true,
    ),
    col(
        column::MAX,
        &[
            "diem toi da",
            "diem chuan",
            "toi da",
            "thang diem",
            "diem quy dinh",
            "khung diem",
        ],
        false,
    ),
    col(
        column::SELF_SCORE,
        &[
            "diem tu cham",
            "tu cham",
            "diem tu danh gia",
            "tu danh gia",
            "diem don vi tu cham",
            "don vi tu cham",
            "diem dat",
            "diem dat duoc",
            "so diem tu cham",
            "diem tu cham diem",
        ],
        true,
    ),
    col(column::TARGET, &["chi tieu", "chi tieu ke hoach"], false),
    col(column::NO, &["stt", "tt", "so thu tu"], false),
    col(column::COUNT, &["so lan", "so lan vu viec", "so vu"], false),
    col(column::UNIT, &["don vi tinh", "dvt"], false),
];

/// A separate bonus/penalty table below the score table (the template's
/// layout): a code or its wording, and the count or only the points.
pub const ADJUSTMENT_COLUMNS: &[ColumnSpec] = &[
    col(column::CODE, &["ma"], false),
    col(column::CONTENT, &["noi dung"], false),
    col(column::COUNT, &["so lan", "so lan vu viec", "so vu"], false),
    col(column::SELF_SCORE, &["diem tu cham", "so diem"], false),
    col(column::POINTS_EACH, &["diem moi lan"], false),
];

pub const REGISTRATION_COLUMNS: &[ColumnSpec] = &[
    col(column::CODE, &["ma", "ma tieu chi"], true),
    col(
        column::REGISTERED,
        &["chi tieu dang ky", "dang ky", "chi tieu don vi dang ky"],
        true,
    ),
    col(column::CONTENT, &["noi dung"], false),
];

/// Columns of the `Tự chấm điểm` table, in the order the template writes them.
pub const SCORE_HEADER: [&str; 10] = [
    column::NO,
    column::CODE,
    column::CONTENT,
    column::UNIT,
    column::TARGET,
    column::BASELINE,
    column::ACHIEVED,
    column::MAX,
    column::SELF_SCORE,
    column::NOTE,
];
/// Columns of the bonus/penalty table below it.
pub const ADJUSTMENT_HEADER: [&str; 9] = [
    column::NO,
    column::CODE,
    column::CONTENT,
    column::KIND,
    column::POINTS_EACH,
    column::CAP,
    column::COUNT,
    column::SELF_SCORE,
    "Ghi chú",
];
pub const REGISTRATION_HEADER: [&str; 7] = [
    column::NO,
    column::CODE,
    column::CONTENT,
    column::UNIT,
    column::PLAN_TARGET,
    column::REGISTERED,
    "Ghi chú",
];

/// The plan workbook (kế hoạch): sheet names, and each table's columns with
/// the label constants the loader picks them by.
pub mod plan {
    use super::col;
    use crate::workbook::table::ColumnSpec;

    pub const INFO_SHEET: &[&str] = super::INFO_SHEET;
    pub const UNITS_SHEET: &[&str] = &["Đơn vị", "Danh sách đơn vị", "Đơn vị thành viên"];
    pub const INDICATORS_SHEET: &[&str] = &["Tiêu chí", "Bảng tiêu chí", "Chỉ tiêu"];
    pub const ADJUSTMENTS_SHEET: &[&str] = &["Thưởng - Trừ", "Điểm thưởng - trừ", "Thưởng trừ"];
    pub const PERIODS_SHEET: &[&str] = &["Kỳ báo cáo", "Kỳ"];
    pub const GRADES_SHEET: &[&str] = &["Xếp loại"];
    pub const AWARDS_SHEET: &[&str] = &["Khen thưởng"];

    /// `Thông tin` keys of the plan, as the blank plan writes them.
    pub const PLAN_CODE: &str = "Mã kế hoạch";

    pub mod unit {
        pub const CODE: &str = "Mã đơn vị";
        pub const NAME: &str = "Tên đơn vị";
        pub const HEADCOUNT: &str = "Số CBCCVC";
        pub const ALIASES: &str = "Tên khác";
    }
    pub const UNIT_COLUMNS: &[ColumnSpec] = &[
        col(unit::CODE, &["ma don vi", "ma dv", "ma"], true),
        col(unit::NAME, &["ten don vi", "ten", "don vi"], true),
        col(
            unit::HEADCOUNT,
            &["so cbccvc", "cbccvc", "bien che", "so bien che", "so nguoi"],
            false,
        ),
        col(
            unit::ALIASES,
            &["ten khac", "ten goi khac", "ten viet tat"],
            false,
        ),
    ];

    pub mod indicator {
        pub const SECTION: &str = "Mục";
        pub const CODE: &str = "Mã";
        pub const CONTENT: &str = "Nội dung";
        pub const UNIT: &str = "Đơn vị tính";
        pub const TARGET: &str = "Chỉ tiêu";
        pub const MAX: &str = "Điểm tối đa";
        pub const RULE: &str = "Cách chấm";
        pub const STEP: &str = "Bước điểm";
        pub const OWN_TARGET: &str = "Đăng ký riêng";
        pub const AGGREGATE: &str = "Tổng hợp khối";
        pub const BLOC_TARGET: &str = "Chỉ tiêu khối";
    }
    pub const INDICATOR_COLUMNS: &[ColumnSpec] = &[
        col(indicator::SECTION, &["muc", "phan"], false),
        col(indicator::CODE, &["ma", "ma tieu chi", "ma so"], true),
        col(
            indicator::CONTENT,
            &["noi dung", "tieu chi", "noi dung tieu chi", "ten tieu chi"],
            true,
        ),
        col(indicator::UNIT, &["don vi tinh", "dvt"], false),
        col(
            indicator::TARGET,
            &["chi tieu", "chi tieu ke hoach", "muc tieu"],
            true,
        ),
        col(
            indicator::MAX,
            &["diem toi da", "diem chuan", "toi da", "diem"],
            true,
        ),
        col(
            indicator::RULE,
            &["cach cham", "cach tinh diem", "phuong phap cham"],
            false,
        ),
        col(indicator::STEP, &["buoc diem", "buoc"], false),
        col(indicator::OWN_TARGET, &["dang ky rieng"], false),
        col(indicator::AGGREGATE, &["tong hop khoi", "tong hop"], false),
        col(
            indicator::BLOC_TARGET,
            &["chi tieu khoi", "chi tieu cua khoi", "chi tieu toan khoi"],
            false,
        ),
    ];

    pub mod adjustment {
        pub const CODE: &str = "Mã";
        pub const CONTENT: &str = "Nội dung";
        pub const KIND: &str = "Loại";
        pub const POINTS_EACH: &str = "Điểm mỗi lần";
        pub const CAP: &str = "Tối đa";
        pub const BARS_AWARD: &str = "Loại khỏi khen thưởng";
    }
    pub const ADJUSTMENT_COLUMNS: &[ColumnSpec] = &[
        col(adjustment::CODE, &["ma"], true),
        col(adjustment::CONTENT, &["noi dung"], true),
        col(adjustment::KIND, &["loai"], true),
        col(adjustment::POINTS_EACH, &["diem moi lan", "diem"], true),
        col(adjustment::CAP, &["toi da", "diem toi da"], false),
        col(adjustment::BARS_AWARD, &["loai khoi khen thuong"], false),
    ];

    pub mod period {
        pub const CODE: &str = "Mã kỳ";
        pub const NAME: &str = "Tên kỳ";
        pub const FROM: &str = "Từ ngày";
        pub const TO: &str = "Đến ngày";
        pub const DEADLINE: &str = "Hạn nộp";
    }
    pub const PERIOD_COLUMNS: &[ColumnSpec] = &[
        col(period::CODE, &["ma ky", "ma"], true),
        col(period::NAME, &["ten ky", "ky", "ten"], true),
        col(period::FROM, &["tu ngay"], false),
        col(period::TO, &["den ngay"], false),
        col(period::DEADLINE, &["han nop", "thoi han nop"], true),
    ];

    pub mod grade {
        pub const GRADE: &str = "Xếp loại";
        pub const MIN: &str = "Điểm từ";
    }
    pub const GRADE_COLUMNS: &[ColumnSpec] = &[
        col(grade::GRADE, &["xep loai", "muc xep loai"], true),
        col(grade::MIN, &["diem tu", "tu diem", "diem toi thieu"], true),
    ];

    pub mod award {
        pub const NAME: &str = "Hình thức";
        pub const QUOTA: &str = "Số lượng";
        pub const MIN_GRADE: &str = "Xếp loại tối thiểu";
    }
    pub const AWARD_COLUMNS: &[ColumnSpec] = &[
        col(
            award::NAME,
            &["hinh thuc", "hinh thuc khen thuong", "danh hieu"],
            true,
        ),
        col(award::QUOTA, &["so luong"], true),
        col(award::MIN_GRADE, &["xep loai toi thieu"], false),
    ];

    /// The labels of a table's columns, in order: the header the blank plan
    /// writes.
    pub fn header(spec: &[ColumnSpec]) -> Vec<&'static str> {
        spec.iter().map(|s| s.label).collect()
    }
}

/// The leader's review file (thẩm định).
pub mod review {
    use super::col;
    use crate::workbook::table::ColumnSpec;

    pub const UNIT: &str = "Mã đơn vị";
    pub const CODE: &str = "Mã";
    pub const SCORE: &str = "Điểm thẩm định";
    pub const REASON: &str = "Lý do";
    pub const COLUMNS: &[ColumnSpec] = &[
        col(UNIT, &["ma don vi", "don vi", "ma dv"], true),
        col(CODE, &["ma", "ma tieu chi"], true),
        col(
            SCORE,
            &["diem tham dinh", "tham dinh", "diem khoi cham", "diem"],
            true,
        ),
        col(REASON, &["ly do", "ghi chu", "nhan xet"], false),
    ];
    /// The columns that tell a review file from anything else: named in
    /// full, never by the short aliases a unit's score sheet also uses.
    pub const SIGNATURE: &[ColumnSpec] = &[
        col(UNIT, &["ma don vi"], true),
        col(CODE, &["ma", "ma tieu chi"], true),
        col(SCORE, &["diem tham dinh"], true),
    ];
}

/// Which bonus/penalty items a heading row opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdjustmentHeading {
    Bonus,
    Penalty,
    Both,
}

/// Reads a heading row that opens bonus or penalty rows inside the score
/// table: `Điểm thưởng`, `Điểm cộng`, `Cộng điểm`, `Điểm trừ`, `Trừ điểm`,
/// `ĐIỂM THƯỞNG, ĐIỂM TRỪ`, `B. Các khoản cộng, trừ điểm`. `key` is folded,
/// with any leading numbering (`B.`, `IV`, `2)`) already removed.
pub fn adjustment_heading(key: &str) -> Option<AdjustmentHeading> {
    const BONUS: &[&str] = &[
        "diem thuong",
        "diem cong",
        "cong diem",
        "cac khoan thuong",
        "cac khoan cong",
        "diem khuyen khich",
    ];
    const PENALTY: &[&str] = &["diem tru", "tru diem", "cac khoan tru"];
    let starts = |words: &[&str]| {
        words.iter().any(|w| {
            key.strip_prefix(w)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
        })
    };
    match key {
        "thuong" | "cong" => return Some(AdjustmentHeading::Bonus),
        "tru" => return Some(AdjustmentHeading::Penalty),
        "thuong tru" | "cong tru" => return Some(AdjustmentHeading::Both),
        _ => {}
    }
    let has = |words: &[&str]| words.iter().any(|w| key.contains(w));
    let bonus = starts(BONUS);
    let penalty = starts(PENALTY);
    match (bonus, penalty) {
        (true, _) if has(&["tru"]) => Some(AdjustmentHeading::Both),
        (true, false) => Some(AdjustmentHeading::Bonus),
        (false, true) if has(&["thuong", "cong"]) => Some(AdjustmentHeading::Both),
        (false, true) => Some(AdjustmentHeading::Penalty),
        _ if key.starts_with("cac khoan cong tru") || key.starts_with("diem cong tru") => {
            Some(AdjustmentHeading::Both)
        }
        _ => None,
    }
}

/// Note rows (`Ghi chú: …`, `Lưu ý`, `* …`) that are not items.
pub fn is_note(key: &str) -> bool {
    ["ghi chu", "luu y", "chu thich", "nguoi lap", "thu truong"]
        .iter()
        .any(|w| key.starts_with(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_adjustment_headings() {
        use AdjustmentHeading::*;
        assert_eq!(adjustment_heading("diem thuong"), Some(Bonus));
        assert_eq!(adjustment_heading("diem cong"), Some(Bonus));
        assert_eq!(adjustment_heading("cong diem"), Some(Bonus));
        assert_eq!(adjustment_heading("diem tru"), Some(Penalty));
        assert_eq!(adjustment_heading("tru diem"), Some(Penalty));
        assert_eq!(adjustment_heading("diem thuong diem tru"), Some(Both));
        assert_eq!(adjustment_heading("cac khoan cong tru diem"), Some(Both));
        assert_eq!(adjustment_heading("thuc hien nhiem vu"), None);
        assert_eq!(adjustment_heading("truong hop dac biet"), None);
    }
}
