//! Pure text: Vietnamese folding, numbers and dates as people type them,
//! value words, and the target grammar. Nothing here touches a workbook.

pub mod fold;
pub mod number;
pub mod target;
pub mod wording;
pub mod words;

pub use fold::{clean, fold, label_key, label_key_within};

/// One key for several texts, told apart whatever they hold: each but the
/// last is preceded by its length, so that `("ab", "c")` and `("a", "bc")`
/// give different keys (for what a thread remembers by the text it read).
pub fn key_of(parts: &[&str]) -> String {
    let mut key = String::with_capacity(parts.iter().map(|p| p.len() + 4).sum());
    if let Some((last, first)) = parts.split_last() {
        for p in first {
            key.push_str(&p.len().to_string());
            key.push(':');
        }
        for p in first {
            key.push_str(p);
        }
        key.push_str(last);
    }
    key
}

#[cfg(test)]
mod tests {
    #[test]
    fn keys_tell_the_parts_apart() {
        use super::key_of;
        assert_eq!(key_of(&["ab", "c", "d"]), "2:1:abcd");
        assert_ne!(key_of(&["ab", "c"]), key_of(&["a", "bc"]));
        assert_ne!(key_of(&["", "ab"]), key_of(&["ab", ""]));
        assert_eq!(key_of(&["x"]), "x");
        assert_eq!(key_of(&[]), "");
    }
}
