//! Vietnamese folding: the match key used for every sheet name, header, unit
//! name and indicator name read from a workbook.
//!
//! Folding is NFD decomposition, removal of combining marks, `đ/Đ` → `d`,
//! lower case, and whitespace collapsed to single spaces. It must stay pure
//! and idempotent (property-tested below).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Folds text to its accent- and case-insensitive match key:
/// `"  Tự  Chấm ĐIỂM "` → `"tu cham diem"`.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    // Lower-case before decomposing: a few capitals lower-case to a letter
    // plus a combining mark (`İ`), which must then be stripped too.
    for c in text.to_lowercase().nfd() {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(if c == 'đ' { 'd' } else { c });
    }
    out
}

/// Folds text and turns punctuation into spaces, for matching header labels
/// that people write as `Minh chứng / Ghi chú`, `Mã:` or `(Điểm tối đa)`.
pub fn label_key(text: &str) -> String {
    let folded = fold(text);
    let spaced: String = folded
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// NFC-normalises text read from a cell, trims it and collapses inner runs of
/// whitespace, so that values compare and print the same whatever program
/// wrote them.
pub fn clean(text: &str) -> String {
    let nfc: String = text.nfc().collect();
    nfc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Similarity of two folded keys in 0..=1, for "did you mean" suggestions and
/// matching rows by name when their code is missing.
pub fn similarity(a: &str, b: &str) -> f64 {
    strsim::normalized_damerau_levenshtein(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn folds_sheet_names_to_one_key() {
        assert_eq!(fold("Tự chấm điểm"), "tu cham diem");
        assert_eq!(fold("TU CHAM DIEM"), "tu cham diem");
        assert_eq!(fold(" tu cham  diem "), "tu cham diem");
        assert_eq!(fold("Đăng ký chỉ tiêu"), "dang ky chi tieu");
        assert_eq!(fold("ĐƠN VỊ"), "don vi");
    }

    #[test]
    fn folds_decomposed_input_like_composed() {
        let nfd: String = "Hường".nfd().collect();
        assert_eq!(fold(&nfd), fold("Hường"));
        assert_eq!(fold(&nfd), "huong");
    }

    #[test]
    fn label_key_drops_punctuation() {
        assert_eq!(label_key("Minh chứng / Ghi chú"), "minh chung ghi chu");
        assert_eq!(label_key("Mã:"), "ma");
        assert_eq!(label_key("(Điểm tối đa)"), "diem toi da");
    }

    #[test]
    fn clean_composes_and_trims() {
        let nfd: String = "Sở Công  Thương ".nfd().collect();
        assert_eq!(clean(&nfd), "Sở Công Thương");
    }

    proptest! {
        #[test]
        fn fold_is_idempotent(s in "\\PC{0,40}") {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once.clone());
        }

        #[test]
        fn label_key_is_idempotent(s in "\\PC{0,40}") {
            let once = label_key(&s);
            prop_assert_eq!(label_key(&once), once.clone());
        }
    }
}
