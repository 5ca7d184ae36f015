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
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        let before = out.len();
        if pending_space {
            out.push(' ');
        }
        let mark = out.len();
        fold_char_into(c, &mut out);
        if out.len() == mark {
            // A lone combining mark folds to nothing, and takes no space.
            out.truncate(before);
        } else {
            pending_space = false;
        }
    }
    out
}

/// Zero-width and bidirectional format characters (Unicode category Cf
/// that occur in pasted text).
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{00AD}')
}

/// Latin letters with marks (U+0080–U+024F, U+1E00–U+1EFF: every Vietnamese
/// letter) folded once to their lower-case base letter: a table instead of
/// a decomposition per character, which a national run does millions of times.
fn latin_table() -> &'static [char] {
    static TABLE: std::sync::OnceLock<Vec<char>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let fold_slow = |c: char| -> char {
            let lower: String = c.to_lowercase().collect();
            lower
                .nfd()
                .find(|d| !is_combining_mark(*d))
                .map(|d| if d == 'đ' { 'd' } else { d })
                .unwrap_or(c)
        };
        (0x80u32..0x250)
            .chain(0x1E00..0x1F00)
            .map(|u| char::from_u32(u).map_or('\0', fold_slow))
            .collect()
    })
}

/// A Latin letter with marks folded to its lower-case base letter, when
/// the table says it is one (it is for every Vietnamese letter).
fn fold_latin(c: char) -> Option<char> {
    let u = c as u32;
    let i = if (0xC0..0x250).contains(&u) {
        u - 0x80
    } else if (0x1E00..0x1F00).contains(&u) {
        u - 0x1E00 + (0x250 - 0x80)
    } else {
        return None;
    };
    Some(latin_table()[i as usize]).filter(|f| f.is_alphanumeric())
}

/// Appends one character folded: lower case, marks dropped, `đ` → `d`;
/// nothing for a combining mark on its own.
fn fold_char_into(c: char, out: &mut String) {
    let u = c as u32;
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else if is_combining_mark(c) || is_invisible(c) {
        // Dropped: a mark left over from decomposed input, or an invisible
        // format character (zero-width space, direction marks, BOM) that
        // text pasted from the web or e-mail carries.
    } else if (0x80..0x250).contains(&u) {
        out.push(latin_table()[(u - 0x80) as usize]);
    } else if (0x1E00..0x1F00).contains(&u) {
        out.push(latin_table()[(u - 0x1E00) as usize + (0x250 - 0x80)]);
    } else {
        // Lower-case first: a capital may lower-case to a letter plus a
        // mark (`İ`), which must then be stripped too.
        let lower: String = c.to_lowercase().collect();
        out.extend(lower.nfd().filter(|d| !is_combining_mark(*d)));
    }
}

/// Folds text and turns punctuation into spaces, for matching header labels
/// that people write as `Minh chứng / Ghi chú`, `Mã:` or `(Điểm tối đa)`.
pub fn label_key(text: &str) -> String {
    label_key_within(text, usize::MAX).unwrap_or_default()
}

/// [`label_key`], or `None` as soon as the key grows longer than `limit`
/// bytes: a header search that compares whole labels with short aliases
/// stops folding a long cell there.
pub fn label_key_within(text: &str, limit: usize) -> Option<String> {
    // One pass: fold each character, keep letters and digits, and let every
    // run of anything else become one space. The key only grows, so it is
    // measured after each character.
    let mut out = String::with_capacity(text.len().min(limit.saturating_add(4)));
    let mut pending_space = false;
    // Only characters outside the Latin table need it: no allocation before.
    let mut folded = String::new();
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        if b.is_ascii() {
            // Most characters: one byte, no table, no buffer.
            at += 1;
            if b.is_ascii_alphanumeric() {
                push_letter(
                    &mut out,
                    &mut pending_space,
                    char::from(b.to_ascii_lowercase()),
                );
            } else {
                pending_space = true;
            }
        } else {
            let Some(c) = text[at..].chars().next() else {
                break;
            };
            at += c.len_utf8();
            if let Some(f) = fold_latin(c) {
                // Vietnamese letters: one table lookup, always a letter.
                push_letter(&mut out, &mut pending_space, f);
            } else {
                folded.clear();
                fold_char_into(c, &mut folded);
                if folded.is_empty() && !c.is_whitespace() {
                    // A lone combining mark: not a separator.
                    continue;
                }
                if folded.is_empty() {
                    pending_space = true;
                }
                for f in folded.chars() {
                    if f.is_alphanumeric() {
                        push_letter(&mut out, &mut pending_space, f);
                    } else {
                        pending_space = true;
                    }
                }
            }
        }
        if out.len() > limit {
            return None;
        }
    }
    Some(out)
}

/// Appends a letter or digit of a label key, after the one space that
/// stands for whatever came between it and the key's last one. (Inlined by
/// force: without it, folding costs 1,5 % more of a whole consolidation.)
#[inline(always)]
fn push_letter(out: &mut String, pending_space: &mut bool, c: char) {
    if *pending_space && !out.is_empty() {
        out.push(' ');
    }
    *pending_space = false;
    out.push(c);
}

/// NFC-normalises text read from a cell, trims it and collapses inner runs of
/// whitespace, so that values compare and print the same whatever program
/// wrote them.
pub fn clean(text: &str) -> String {
    use unicode_normalization::{IsNormalized, is_nfc_quick};
    // Most cell text is tidy already: single spaces between words, and only
    // characters that are NFC whatever surrounds them. It is copied as it is.
    let mut prev_space = true;
    let mut tidy = true;
    let mut plain_nfc = true;
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        if b.is_ascii() {
            // One byte: always NFC; tidy unless a second space or other
            // whitespace.
            at += 1;
            tidy &= if b == b' ' {
                !prev_space
            } else {
                !char::from(b).is_whitespace()
            };
            prev_space = b == b' ';
            continue;
        }
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        at += c.len_utf8();
        plain_nfc &= always_nfc(c);
        tidy &= !c.is_whitespace();
        prev_space = false;
    }
    tidy &= !prev_space;
    if tidy && plain_nfc {
        return text.to_string();
    }
    let collapse = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    if plain_nfc || is_nfc_quick(text.chars()) == IsNormalized::Yes {
        return collapse(text);
    }
    let nfc: String = text.nfc().collect();
    collapse(&nfc)
}

/// Characters that are NFC and never combine with their neighbours: those
/// below the combining diacritics (U+0300), and the precomposed Vietnamese
/// letters of Latin Extended Additional (U+1E00 to U+1EFF). A text made of
/// them only is NFC without looking further.
fn always_nfc(c: char) -> bool {
    c < '\u{300}' || ('\u{1E00}'..='\u{1EFF}').contains(&c)
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
    fn characters_taken_as_always_nfc_are_so() {
        use unicode_normalization::char::canonical_combining_class;
        use unicode_normalization::{IsNormalized, is_nfc_quick};
        let ranges = [('\0', '\u{2FF}'), ('\u{1E00}', '\u{1EFF}')];
        let chars = ranges.iter().flat_map(|&(a, b)| a..=b);
        for c in chars {
            assert!(always_nfc(c), "{c:?}");
            assert_eq!(canonical_combining_class(c), 0, "{c:?}");
            assert_eq!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes, "{c:?}");
        }
        assert!(!always_nfc('\u{300}'));
        assert!(!always_nfc('\u{1F00}'));
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
    fn drops_invisible_characters() {
        assert_eq!(fold("S\u{200B}CT"), "sct");
        assert_eq!(fold("\u{202E}Sở Công Thương\u{202C}"), "so cong thuong");
        assert_eq!(label_key("\u{FEFF}Mã"), "ma");
    }

    #[test]
    fn clean_composes_and_trims() {
        let nfd: String = "Sở Công  Thương ".nfd().collect();
        assert_eq!(clean(&nfd), "Sở Công Thương");
    }

    proptest! {
        /// The copy-as-is shortcut of `clean` changes nothing.
        #[test]
        fn clean_collapses_like_splitting(s in "[ a\\t\u{a0}\u{2003}ờ\n]{0,12}") {
            let split = s.split_whitespace().collect::<Vec<_>>().join(" ");
            prop_assert_eq!(clean(&s), clean(&split));
            prop_assert_eq!(clean(&s).split(' ').filter(|w| w.is_empty()).count(), usize::from(split.is_empty()));
        }

        /// `clean` is NFC, then whitespace collapsed, whatever shortcut it takes.
        #[test]
        fn clean_is_nfc_collapsed(s in "[ a\\t\u{b}\u{85}ờơo\u{300}\u{301}\u{31b}\u{a0}Ω\u{2126}ᾱ\u{1f71}]{0,12}") {
            let nfc: String = s.nfc().collect();
            prop_assert_eq!(clean(&s), nfc.split_whitespace().collect::<Vec<_>>().join(" "));
        }

        /// The ASCII and Latin-table shortcuts of `label_key` fold as folding every
        /// character does.
        #[test]
        fn label_key_ascii_shortcut(s in "[ -~ờĐ×÷ÀƀȀẠỹ\u{301}\u{a0}\u{ad}]{0,30}") {
            let mut reference = String::new();
            let mut pending_space = false;
            for c in s.chars() {
                let mut folded = String::new();
                fold_char_into(c, &mut folded);
                if folded.is_empty() {
                    pending_space |= c.is_whitespace();
                    continue;
                }
                for f in folded.chars() {
                    if f.is_alphanumeric() {
                        if pending_space && !reference.is_empty() {
                            reference.push(' ');
                        }
                        pending_space = false;
                        reference.push(f);
                    } else {
                        pending_space = true;
                    }
                }
            }
            prop_assert_eq!(label_key(&s), reference.clone());
            // Bounded, it is the same key or none when longer.
            for limit in [0, 1, 2, 5, 9, 14, 30] {
                let bounded = label_key_within(&s, limit);
                prop_assert_eq!(bounded, (reference.len() <= limit).then(|| reference.clone()));
            }
        }

        #[test]
        fn fold_is_idempotent(s in "\\PC{0,40}") {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once.clone());
        }

        /// The table-driven fold equals lower-casing, decomposing and
        /// dropping marks, for any text.
        #[test]
        fn fast_fold_matches_decomposition(s in "\\PC{0,40}") {
            let reference: String = {
                let mut out = String::new();
                let mut pending = false;
                for c in s.to_lowercase().nfd() {
                    if is_combining_mark(c) || is_invisible(c) { continue; }
                    if c.is_whitespace() { pending = !out.is_empty(); continue; }
                    if pending { out.push(' '); pending = false; }
                    out.push(if c == 'đ' { 'd' } else { c });
                }
                out
            };
            prop_assert_eq!(fold(&s), reference);
        }

        #[test]
        fn label_key_matches_fold_then_split(s in "\\PC{0,40}") {
            let reference: String = fold(&s)
                .chars()
                .map(|c| if c.is_alphanumeric() { c } else { ' ' })
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            prop_assert_eq!(label_key(&s), reference);
        }

        #[test]
        fn label_key_is_idempotent(s in "\\PC{0,40}") {
            let once = label_key(&s);
            prop_assert_eq!(label_key(&once), once.clone());
        }
    }
}
