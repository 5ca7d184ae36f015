//! How alike two wordings of one indicator are, as units retype them:
//! without diacritics, with abbreviations (`CBCCVC`, `LĐTT`, `DVC`), small
//! typos, `sỹ`/`sĩ` spellings, and words added or dropped (`Tỷ lệ CBCCVC đạt
//! danh hiệu LĐTT` for `CBCCVC đạt danh hiệu Lao động tiên tiến`). Pure.

use super::fold::{label_key, similarity};

/// Abbreviations in indicator wordings and what they stand for.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("cbccvc", "can bo cong chuc vien chuc"),
    ("cbcc", "can bo cong chuc"),
    ("ccvc", "cong chuc vien chuc"),
    ("cbcnv", "can bo cong nhan vien"),
    ("nld", "nguoi lao dong"),
    ("ubnd", "uy ban nhan dan"),
    ("hdnd", "hoi dong nhan dan"),
    ("tthc", "thu tuc hanh chinh"),
    ("dvc", "dich vu cong"),
    ("dvctt", "dich vu cong truc tuyen"),
    ("ktxh", "kinh te xa hoi"),
    ("kt", "kinh te"),
    ("xh", "xa hoi"),
    ("tdkt", "thi dua khen thuong"),
    ("ldtt", "lao dong tien tien"),
    ("cstdcs", "chien si thi dua co so"),
    ("cstd", "chien si thi dua"),
    ("cntt", "cong nghe thong tin"),
    ("khhgd", "ke hoach hoa gia dinh"),
    ("atgt", "an toan giao thong"),
    ("tnxh", "te nan xa hoi"),
    ("bhxh", "bao hiem xa hoi"),
    ("cchc", "cai cach hanh chinh"),
    ("pcthnv", "phong chong tham nhung"),
    ("tl", "ty le"),
    ("sl", "so luong"),
    ("httnv", "hoan thanh tot nhiem vu"),
    ("htxsnv", "hoan thanh xuat sac nhiem vu"),
    ("htnv", "hoan thanh nhiem vu"),
];

/// Words that carry no meaning for matching.
const FILLERS: &[&str] = &[
    "cac", "va", "cua", "duoc", "trong", "cho", "da", "la", "voi", "ve",
];

/// The words of a wording, folded, abbreviations spelt out, `y` endings
/// spelt `i` (`sỹ` = `sĩ`, `kỹ` = `kĩ`), fillers dropped.
pub fn words(text: &str) -> Vec<String> {
    let key = label_key(text);
    let mut out = Vec::new();
    for w in key.split(' ').filter(|w| !w.is_empty()) {
        match ABBREVIATIONS.iter().find(|(a, _)| *a == w) {
            Some((_, long)) => out.extend(long.split(' ').map(str::to_string)),
            None => out.push(spell_i(w)),
        }
    }
    out.retain(|w| !FILLERS.contains(&w.as_str()));
    out
}

fn spell_i(word: &str) -> String {
    match word {
        "sy" | "ky" | "ly" | "my" | "ty" | "hy" | "vy" => {
            format!("{}i", &word[..word.len() - 1])
        }
        _ => word.to_string(),
    }
}

/// Two words are one when equal, or when long enough and one edit apart.
fn same_word(a: &str, b: &str) -> bool {
    a == b || (a.len() >= 4 && b.len() >= 4 && strsim::damerau_levenshtein(a, b) <= 1)
}

/// Similarity of two wordings in 0..=1: the better of the whole strings'
/// edit similarity and a word overlap that tolerates added or dropped
/// words (containment) without letting a short phrase inside a long one win
/// outright (it is blended with the overlap's share of both).
pub fn wording_similarity(a: &[String], b: &[String]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let chars = similarity(&a.join(" "), &b.join(" "));
    let mut used = vec![false; b.len()];
    let mut common = 0usize;
    for w in a {
        if let Some(j) = (0..b.len()).find(|&j| !used[j] && same_word(w, &b[j])) {
            used[j] = true;
            common += 1;
        }
    }
    let common = common as f64;
    let shorter = a.len().min(b.len()) as f64;
    let containment = common / shorter;
    let dice = 2.0 * common / (a.len() + b.len()) as f64;
    // A two-word phrase contained in a long wording says little.
    let weight = if shorter >= 3.0 { 0.6 } else { 0.3 };
    chars.max(weight * containment + (1.0 - weight) * dice)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sim(a: &str, b: &str) -> f64 {
        wording_similarity(&words(a), &words(b))
    }

    #[test]
    fn abbreviations_and_added_words_still_match() {
        let plan = "CBCCVC đạt danh hiệu Lao động tiên tiến";
        assert!(sim("Tỷ lệ CBCCVC đạt danh hiệu LĐTT", plan) > 0.8);
        assert!(
            sim(
                "Tỷ lệ cán bộ công chức viên chức đạt danh hiệu Lao động tiên tiến",
                plan
            ) > 0.8
        );
        assert!(
            sim(
                "CBCCVC dat danh hieu Chien sy thi dua co so",
                "CBCCVC đạt danh hiệu Chiến sĩ thi đua cơ sở"
            ) > 0.99
        );
    }

    #[test]
    fn similar_wordings_are_told_apart() {
        let ldtt = "CBCCVC đạt danh hiệu Lao động tiên tiến";
        let cstd = "CBCCVC đạt danh hiệu Chiến sỹ thi đua cơ sở";
        let row = "Số CBCCVC đạt Chiến sĩ thi đua cơ sở";
        assert!(sim(row, cstd) > sim(row, ldtt) + 0.15);
    }

    #[test]
    fn typos_are_tolerated() {
        assert!(
            sim(
                "Tỷ lệ hồ sơ thủ tục hành chinh giải quyêt đúng hạn",
                "Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn"
            ) > 0.95
        );
    }
}
