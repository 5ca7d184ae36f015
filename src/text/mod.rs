//! Pure text: Vietnamese folding, numbers and dates as people type them,
//! value words, and the target grammar. Nothing here touches a workbook.

pub mod fold;
pub mod number;
pub mod target;
pub mod wording;
pub mod words;

pub use fold::{clean, fold, label_key, label_key_within};
