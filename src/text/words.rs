//! Words that stand for values in achieved-value cells: done words (`Có`,
//! `Đạt`, `x`), grade words and their abbreviations (`HTXSNV` …), and
//! `Không giao`. Matched on folded text, so `Dat`, `ĐẠT` and `đạt` are one.

use serde::Serialize;

use super::fold::label_key;

/// Xếp loại: a grade, from the best down. The order is the ranking order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Grade {
    /// Hoàn thành xuất sắc nhiệm vụ (HTXSNV).
    Excellent,
    /// Hoàn thành tốt nhiệm vụ (HTTNV).
    Good,
    /// Hoàn thành nhiệm vụ (HTNV).
    Complete,
    /// Không hoàn thành nhiệm vụ (KHTNV).
    Incomplete,
}

impl Grade {
    pub const ALL: [Grade; 4] = [
        Grade::Excellent,
        Grade::Good,
        Grade::Complete,
        Grade::Incomplete,
    ];

    /// The official Vietnamese name, as written in the workbooks.
    pub fn name_vi(self) -> &'static str {
        match self {
            Grade::Excellent => "Hoàn thành xuất sắc nhiệm vụ",
            Grade::Good => "Hoàn thành tốt nhiệm vụ",
            Grade::Complete => "Hoàn thành nhiệm vụ",
            Grade::Incomplete => "Không hoàn thành nhiệm vụ",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Grade::Excellent => "excellent",
            Grade::Good => "good",
            Grade::Complete => "complete",
            Grade::Incomplete => "incomplete",
        }
    }

    pub fn abbreviation(self) -> &'static str {
        match self {
            Grade::Excellent => "HTXSNV",
            Grade::Good => "HTTNV",
            Grade::Complete => "HTNV",
            Grade::Incomplete => "KHTNV",
        }
    }

    /// True when `self` is at least as good as `other`.
    pub fn at_least(self, other: Grade) -> bool {
        self <= other
    }
}

/// Reads a grade word: `Hoàn thành tốt nhiệm vụ`, `HTTNV`, `hoan thanh tot`,
/// `Hoàn thành xuất sắc`, with or without a trailing `trở lên`.
pub fn parse_grade(text: &str) -> Option<Grade> {
    let key = label_key(text);
    let key = key.strip_suffix(" tro len").unwrap_or(&key);
    let key = key.strip_prefix("xep loai ").unwrap_or(key);
    let grade = match key {
        "htxsnv" | "htxs" | "hoan thanh xuat sac" | "hoan thanh xuat sac nhiem vu" => {
            Grade::Excellent
        }
        "httnv" | "htt" | "hoan thanh tot" | "hoan thanh tot nhiem vu" => Grade::Good,
        "htnv" | "hoan thanh nhiem vu" | "hoan thanh" => Grade::Complete,
        "khtnv" | "khong hoan thanh" | "khong hoan thanh nhiem vu" | "chua hoan thanh nhiem vu" => {
            Grade::Incomplete
        }
        _ => return None,
    };
    Some(grade)
}

/// Reads a done word: `Có`, `Đạt`, `x`, `Hoàn thành`, `Đã hoàn thành` are
/// done; `Không`, `Không đạt`, `Chưa đạt`, `Chưa hoàn thành` are not.
pub fn parse_done(text: &str) -> Option<bool> {
    match label_key(text).as_str() {
        "co" | "dat" | "x" | "hoan thanh" | "da hoan thanh" | "da thuc hien" | "yes" => Some(true),
        "khong" | "khong dat" | "chua dat" | "chua hoan thanh" | "khong hoan thanh"
        | "chua thuc hien" | "no" => Some(false),
        _ => None,
    }
}

/// `Không giao` (also `KG`, `Không được giao`): the indicator is not
/// assigned to this unit and leaves its maximum.
pub fn is_not_assigned(text: &str) -> bool {
    matches!(
        label_key(text).as_str(),
        "khong giao" | "khong duoc giao" | "kg"
    )
}

/// The done words offered in drop-down lists, first the done ones.
pub const DONE_CHOICES: [&str; 4] = ["Hoàn thành", "Chưa hoàn thành", "Có", "Không"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_grade_words_and_abbreviations() {
        assert_eq!(parse_grade("HTXSNV"), Some(Grade::Excellent));
        assert_eq!(parse_grade("Hoàn thành tốt nhiệm vụ"), Some(Grade::Good));
        assert_eq!(
            parse_grade("hoan thanh tot nhiem vu tro len"),
            Some(Grade::Good)
        );
        assert_eq!(parse_grade("HTNV"), Some(Grade::Complete));
        assert_eq!(
            parse_grade("Không hoàn thành nhiệm vụ"),
            Some(Grade::Incomplete)
        );
        assert_eq!(parse_grade("khtnv"), Some(Grade::Incomplete));
        assert_eq!(parse_grade("Tốt"), None);
    }

    #[test]
    fn grade_order_is_best_first() {
        assert!(Grade::Excellent.at_least(Grade::Good));
        assert!(Grade::Good.at_least(Grade::Good));
        assert!(!Grade::Complete.at_least(Grade::Good));
    }

    #[test]
    fn reads_done_words() {
        for yes in [
            "Có",
            "co",
            "Đạt",
            "ĐẠT",
            "x",
            "X",
            "Hoàn thành",
            "Đã hoàn thành",
        ] {
            assert_eq!(parse_done(yes), Some(true), "{yes}");
        }
        for no in ["Không", "Không đạt", "Chưa hoàn thành", "chua dat"] {
            assert_eq!(parse_done(no), Some(false), "{no}");
        }
        assert_eq!(parse_done("Tốt"), None);
    }

    #[test]
    fn reads_not_assigned() {
        assert!(is_not_assigned("Không giao"));
        assert!(is_not_assigned("KHONG GIAO"));
        assert!(is_not_assigned("Không được giao"));
        assert!(!is_not_assigned("Không"));
    }
}

/// True for the label of a total row (`Tổng cộng`, `Cộng điểm tiêu chí`,
/// `TỔNG ĐIỂM`), given its label key; `Công tác …` is not one.
pub fn is_total_label(key: &str) -> bool {
    matches!(
        key,
        "tong" | "cong" | "tong cong" | "tong so" | "cong diem" | "tong diem"
    ) || [
        "tong cong ",
        "tong diem ",
        "cong diem ",
        "cong muc ",
        "cong tieu chi",
        "tong so diem",
    ]
    .iter()
    .any(|p| key.starts_with(p))
}

#[cfg(test)]
mod total_tests {
    use super::*;

    #[test]
    fn total_labels() {
        assert!(is_total_label("tong cong"));
        assert!(is_total_label("cong diem tieu chi"));
        assert!(is_total_label("tong diem tieu chi thuong tru"));
        assert!(!is_total_label("cong tac thi dua khen thuong"));
        assert!(!is_total_label("tong hop bao cao"));
    }
}

/// Text typed in a legacy Vietnamese font encoding and saved as if it were
/// Latin-1: TCVN3 (ABC) puts Vietnamese letters on symbols (`Së C«ng
/// Th­¬ng` for `Sở Công Thương`), VNI on pairs of accented Latin letters
/// (`Sôû Coâng Thöông`). Returns the encoding it looks like.
pub fn legacy_encoding(text: &str) -> Option<&'static str> {
    if !may_be_legacy(text.as_bytes()) {
        return None;
    }
    legacy_encoding_counted(text)
}

fn legacy_encoding_counted(text: &str) -> Option<&'static str> {
    // Characters TCVN3 uses for Vietnamese letters that Unicode Vietnamese
    // never contains (symbols and Latin-1 letters outside its alphabet).
    let tcvn3_symbol = |c: char| {
        matches!(
            c,
            '¸' | 'µ'
                | '¶'
                | '·'
                | '¹'
                | '¨'
                | '¾'
                | '»'
                | '¼'
                | '½'
                | 'Æ'
                | '©'
                | 'Ë'
                | '®'
                | '¬'
                | '«'
                | 'Ò'
                | '×'
                | 'Ý'
                | 'Ø'
                | 'ß'
                | '÷'
                | 'þ'
                | '§'
                | '¤'
                | '¥'
                | '¦'
                | '£'
                | '¢'
                | '¡'
                | '\u{AD}'
        )
    };
    let latin1_letter = |c: char| ('\u{C0}'..='\u{FF}').contains(&c) && c != '×' && c != '÷';
    let (mut letters, mut symbols, mut latin1, mut pairs) = (0usize, 0usize, 0usize, 0usize);
    let mut previous_latin1 = false;
    for c in text.chars() {
        if c.is_alphabetic() {
            letters += 1;
        }
        if tcvn3_symbol(c) {
            symbols += 1;
        }
        let is_latin1 = latin1_letter(c);
        if is_latin1 {
            latin1 += 1;
            if previous_latin1 {
                pairs += 1;
            }
        }
        previous_latin1 = is_latin1;
    }
    if symbols >= 2 && (symbols + latin1) * 5 >= letters.max(1) {
        return Some("TCVN3");
    }
    // Two accented Latin-1 letters side by side never occur in Unicode
    // Vietnamese (whose marked vowels are above U+0100 or stand alone).
    if pairs >= 1 && latin1 >= 3 {
        return Some("VNI");
    }
    None
}

/// What both legacy encodings need, found in the UTF-8 bytes without
/// decoding: a TCVN3 symbol (U+00A1–U+00BF, or one of the Latin-1 letters
/// TCVN3 uses: Æ Ë Ò × Ý Ø ß ÷ þ) or two Latin-1 letters side by side (VNI).
/// Most text has none, and is passed over at this cost.
fn may_be_legacy(bytes: &[u8]) -> bool {
    // Only the lead bytes 0xC2 and 0xC3 are looked at, found by a byte
    // search rather than a look at every pair.
    memchr::memchr2_iter(0xC2, 0xC3, bytes).any(|i| match (bytes[i], bytes.get(i + 1)) {
        (0xC2, Some(b)) => *b >= 0xA0,
        (0xC3, Some(b)) => {
            matches!(
                b,
                0x86 | 0x8B | 0x92 | 0x97 | 0x9D | 0x98 | 0x9F | 0xB7 | 0xBE
            ) || bytes.get(i + 2) == Some(&0xC3)
        }
        _ => false,
    })
}

#[cfg(test)]
mod legacy_tests {
    use super::*;

    #[test]
    fn tells_legacy_encodings_from_unicode() {
        assert_eq!(legacy_encoding("Së C«ng Th\u{AD}¬ng"), Some("TCVN3"));
        assert_eq!(legacy_encoding("Sôû Coâng Thöông"), Some("VNI"));
        assert_eq!(legacy_encoding("Sở Công Thương"), None);
        assert_eq!(legacy_encoding("Hoàn thành xuất sắc nhiệm vụ"), None);
        assert_eq!(legacy_encoding("Tỷ lệ hồ sơ giải quyết đúng hạn"), None);
        assert_eq!(legacy_encoding("café crème brûlée"), None);
    }

    proptest::proptest! {
        /// The byte prefilter never passes over text the full count
        /// would call legacy.
        #[test]
        fn the_prefilter_keeps_every_legacy_text(
            text in "[a-zA-Z ¡-ÿ\u{AD}ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđươ]{0,24}"
        ) {
            if legacy_encoding_counted(&text).is_some() {
                proptest::prop_assert!(may_be_legacy(text.as_bytes()), "{text}");
            }
        }
    }
}
