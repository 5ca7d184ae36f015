//! The workbook vocabulary (từ vựng): every sheet name, column header,
//! heading word and property key the product reads or writes, with the
//! other spellings people use for it. The readers match these by folded
//! label keys (case, diacritics and punctuation ignored); the writers write
//! the first, canonical spelling. Nothing else in the code spells a sheet
//! name or a header.

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
        words
            .iter()
            .any(|w| key == *w || key.starts_with(&format!("{w} ")))
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
