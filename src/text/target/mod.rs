//! The target grammar (chỉ tiêu): reads a target as a plan's author wrote it,
//! with or without diacritics, into a [`Target`]. Pure; an unreadable target
//! is an `Err` for the caller to report with its cell, never a guess.

use std::fmt;

use serde::Serialize;

use super::fold::fold;
use super::number::{format_en, format_vi, parse_number};
use super::words::{Grade, parse_done, parse_grade};

/// Chỉ tiêu: what an achieved value must reach.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Target {
    /// No target: a `Tự chấm` indicator scored by the unit itself.
    None,
    /// `96%`, `100 xã, phường`, `Ít nhất 15%`, `≥ 90`: achieved ≥ value.
    AtLeast { value: f64, percent: bool },
    /// `Trên 90%`, `> 82%`: achieved > value.
    Above { value: f64, percent: bool },
    /// `Dưới 5%`, `< 5`: achieved < value.
    Below { value: f64, percent: bool },
    /// `Tối đa 2`, `Không quá 2`, `≤ 2`: achieved ≤ value.
    AtMost { value: f64, percent: bool },
    /// `Từ 07 đến 09`: met from `low`; above `high` is exceeded (vượt mức).
    Range { low: f64, high: f64, percent: bool },
    /// `Không có`, `Không để xảy ra`, `0 vụ`: a count that must be zero.
    Zero,
    /// `Tăng từ 02 bậc trở lên`: the rank improves by at least `steps` on the
    /// previous year's (a lower rank number is better).
    RankUp { steps: f64 },
    /// `Cao hơn năm 2021`: achieved above the unit's previous-year value.
    AbovePrevious,
    /// `Hoàn thành`, `Có`, `Đạt`: a task, done or not.
    Done,
    /// `Hoàn thành tốt nhiệm vụ trở lên`, `Đoàn thể hoàn thành tốt nhiệm vụ
    /// trở lên`: a grade at least this good.
    Grade { grade: Grade },
    /// `100% các đơn vị trong Khối không có cá nhân vi phạm…`: a target of
    /// the whole bloc — at least `share` % of the member units meet
    /// `condition`. Each unit is judged on the condition; the bloc on the
    /// share of units that meet it.
    UnitsShare { share: f64, condition: Box<Target> },
}

/// A target that could not be read; the caller reports it with its cell
/// (`unreadable-target`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadableTarget;

impl Target {
    /// True when the target is a number or percentage compared to a bound.
    pub fn is_numeric(&self) -> bool {
        matches!(
            self,
            Target::AtLeast { .. }
                | Target::Above { .. }
                | Target::Below { .. }
                | Target::AtMost { .. }
                | Target::Range { .. }
        )
    }

    /// True when the target is written in percent.
    pub fn is_percent(&self) -> bool {
        match self {
            Target::AtLeast { percent, .. }
            | Target::Above { percent, .. }
            | Target::Below { percent, .. }
            | Target::AtMost { percent, .. }
            | Target::Range { percent, .. } => *percent,
            _ => false,
        }
    }

    /// True when achieving needs the unit's previous-year figure.
    pub fn needs_baseline(&self) -> bool {
        match self {
            Target::RankUp { .. } | Target::AbovePrevious => true,
            Target::UnitsShare { condition, .. } => condition.needs_baseline(),
            _ => false,
        }
    }

    /// What one unit must reach: the condition of a bloc share, else the
    /// target itself.
    pub fn for_unit(&self) -> &Target {
        match self {
            Target::UnitsShare { condition, .. } => condition,
            t => t,
        }
    }

    /// The number a proportional (`Tỷ lệ`) or leading (`Dẫn đầu`) score
    /// divides by: the lower bound of a "more is better" target.
    pub fn reference(&self) -> Option<f64> {
        match self {
            Target::AtLeast { value, .. } | Target::Above { value, .. } => Some(*value),
            Target::Range { low, .. } => Some(*low),
            _ => None,
        }
    }

    /// Compares a unit's registered target with the plan's: `Some(true)` when
    /// the registered one asks for less, `None` when they cannot be compared.
    pub fn is_weaker_than(&self, plan: &Target) -> Option<bool> {
        let floor = |t: &Target| match t {
            Target::AtLeast { value, .. } => Some((*value, 0)),
            Target::Above { value, .. } => Some((*value, 1)),
            Target::Range { low, .. } => Some((*low, 0)),
            _ => None,
        };
        let ceiling = |t: &Target| match t {
            Target::AtMost { value, .. } => Some((-*value, 0)),
            Target::Below { value, .. } => Some((-*value, 1)),
            Target::Zero => Some((0.0, 0)),
            _ => None,
        };
        if let (Some(own), Some(theirs)) = (floor(self), floor(plan)) {
            return Some(own.0 < theirs.0 || (own.0 == theirs.0 && own.1 < theirs.1));
        }
        if let (Some(own), Some(theirs)) = (ceiling(self), ceiling(plan)) {
            return Some(own.0 < theirs.0 || (own.0 == theirs.0 && own.1 < theirs.1));
        }
        match (self, plan) {
            (Target::Grade { grade: own }, Target::Grade { grade: theirs }) => {
                Some(!own.at_least(*theirs))
            }
            (Target::RankUp { steps: own }, Target::RankUp { steps: theirs }) => Some(own < theirs),
            (a, b) if a == b => Some(false),
            _ => None,
        }
    }

    /// How the target was understood, in Vietnamese or English.
    pub fn describe(&self, english: bool) -> String {
        let num = |v: f64, p: bool| {
            let n = if english { format_en(v) } else { format_vi(v) };
            if p { format!("{n}%") } else { n }
        };
        match (self, english) {
            (Target::None, false) => "không có chỉ tiêu (đơn vị tự chấm)".into(),
            (Target::None, true) => "no target (self-scored)".into(),
            (Target::AtLeast { value, percent }, _) => format!("≥ {}", num(*value, *percent)),
            (Target::Above { value, percent }, _) => format!("> {}", num(*value, *percent)),
            (Target::Below { value, percent }, _) => format!("< {}", num(*value, *percent)),
            (Target::AtMost { value, percent }, _) => format!("≤ {}", num(*value, *percent)),
            (Target::Range { low, high, percent }, false) => format!(
                "≥ {} (trên {} là vượt mức)",
                num(*low, *percent),
                num(*high, *percent)
            ),
            (Target::Range { low, high, percent }, true) => format!(
                "≥ {} (above {} is exceeded)",
                num(*low, *percent),
                num(*high, *percent)
            ),
            (Target::Zero, false) => "= 0 (không để xảy ra)".into(),
            (Target::Zero, true) => "= 0 (none allowed)".into(),
            (Target::RankUp { steps }, false) => {
                format!(
                    "thứ hạng tăng ≥ {} bậc so với năm trước",
                    num(*steps, false)
                )
            }
            (Target::RankUp { steps }, true) => {
                format!("rank improves by ≥ {} on last year", num(*steps, false))
            }
            (Target::AbovePrevious, false) => "> kết quả năm trước".into(),
            (Target::AbovePrevious, true) => "> last year's value".into(),
            (Target::Done, false) => "hoàn thành (có/không)".into(),
            (Target::Done, true) => "done (yes/no)".into(),
            (Target::Grade { grade }, false) => format!("xếp loại {} trở lên", grade.name_vi()),
            (Target::Grade { grade }, true) => format!("grade {} or better", grade.name_en()),
            (Target::UnitsShare { share, condition }, false) => format!(
                "chỉ tiêu khối: ≥ {} số đơn vị đạt; mỗi đơn vị: {}",
                num(*share, true),
                condition.describe(false)
            ),
            (Target::UnitsShare { share, condition }, true) => format!(
                "bloc target: ≥ {} of the units meet it; each unit: {}",
                num(*share, true),
                condition.describe(true)
            ),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe(false))
    }
}

/// Words that may open a target without changing its meaning
/// (`Phấn đấu 100%`, `Hoàn thành 100% nhiệm vụ`, `Có ít nhất 01 đề tài`).
const NEUTRAL_OPENERS: [&str; 8] = [
    "phan dau dat",
    "phan dau",
    "dang ky",
    "hoan thanh xuat sac",
    "hoan thanh",
    "dat ty le",
    "dat",
    "co",
];

const AT_LEAST: [&str; 9] = [
    "≥",
    ">=",
    "=>",
    "it nhat",
    "toi thieu",
    "khong duoi",
    "khong it hon",
    "tu",
    "bang hoac tren",
];
const ABOVE: [&str; 6] = [">", "tren", "hon", "lon hon", "cao hon", "vuot"];
const BELOW: [&str; 4] = ["<", "duoi", "nho hon", "thap hon"];
const AT_MOST: [&str; 7] = [
    "≤",
    "<=",
    "=<",
    "toi da",
    "khong qua",
    "khong vuot qua",
    "khong cao hon",
];
const ZERO: [&str; 7] = [
    "khong co",
    "khong de xay ra",
    "khong xay ra",
    "khong de",
    "khong vi pham",
    "khong phat sinh",
    "khong",
];

/// Reads a target. Empty text is [`Target::None`]; the caller decides whether
/// the indicator's rule allows that.
pub fn parse_target(text: &str) -> Result<Target, UnreadableTarget> {
    read(&fold(text))
}

/// How a target was read: as written, or only once the OCR confusions of
/// scanned plans were undone (`xuat sic` → `xuat sac`), which the caller
/// says.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub target: Target,
    /// The folded text that was read, when OCR spellings were corrected.
    pub corrected: Option<String>,
}

/// Reads a target, undoing OCR confusions when the text as written cannot
/// be read.
pub fn read_target(text: &str) -> Result<Reading, UnreadableTarget> {
    let folded = fold(text);
    if let Ok(target) = read(&folded) {
        return Ok(Reading {
            target,
            corrected: None,
        });
    }
    let corrected = undo_ocr(&folded);
    if corrected == folded {
        return Err(UnreadableTarget);
    }
    read(&corrected).map(|target| Reading {
        target,
        corrected: Some(corrected),
    })
}

/// Words that scanned Vietnamese plans turn into others once their
/// diacritics are read wrong (seeds 000–002): the folded OCR word and the
/// folded word it stands for. Only the grade, verb and comparison words of
/// targets are listed, so no figure or name is ever changed.
const OCR_WORDS: [(&str, &str); 14] = [
    ("sic", "sac"),
    ("xuet", "xuat"),
    ("tet", "tot"),
    ("tir", "tu"),
    ("thir", "thu"),
    ("virot", "vuot"),
    ("mikc", "muc"),
    ("dugc", "duoc"),
    ("thanb", "thanh"),
    ("nhiern", "nhiem"),
    ("trd", "tro"),
    ("ien", "len"),
    ("1en", "len"),
    ("cic", "cac"),
];

fn undo_ocr(folded: &str) -> String {
    folded
        .split(' ')
        .map(|w| {
            OCR_WORDS
                .iter()
                .find(|(ocr, _)| *ocr == w)
                .map_or(w, |(_, word)| *word)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Subjects that may stand before a grade (`Đoàn thể hoàn thành tốt nhiệm
/// vụ trở lên`): the grade is what is asked of them.
const GRADE_SUBJECTS: [&str; 9] = [
    "doan the",
    "to chuc dang",
    "chi bo",
    "dang bo",
    "cong doan",
    "doan thanh nien",
    "chi doan",
    "tap the",
    "co quan",
];

/// Words naming the bloc's member units after a share (`100% các đơn vị
/// trong Khối …`), longest first.
const UNIT_SUBJECTS: [&str; 9] = [
    "cac don vi thanh vien trong khoi",
    "cac don vi trong khoi",
    "don vi trong khoi",
    "cac don vi thanh vien",
    "cac don vi",
    "don vi",
    "phong, ban, trung tam",
    "cac phong, ban",
    "phong, ban",
];

fn read(folded: &str) -> Result<Target, UnreadableTarget> {
    let s = folded.trim().trim_end_matches(['.', ';']).trim();
    if s.is_empty() {
        return Ok(Target::None);
    }
    if parse_done(s) == Some(true) {
        return Ok(Target::Done);
    }
    if let Some(grade) = parse_grade(s) {
        return Ok(Target::Grade { grade });
    }
    if let Some(rest) = GRADE_SUBJECTS
        .iter()
        .find_map(|subject| s.strip_prefix(subject)?.strip_prefix(' '))
        && let Some(grade) = parse_grade(rest)
    {
        return Ok(Target::Grade { grade });
    }
    if let Some(target) = units_share(s)? {
        return Ok(target);
    }
    let opens_with = |list: &[&str]| {
        list.iter()
            .any(|w| s == *w || s.starts_with(&format!("{w} ")))
    };
    // `Không quá 2` and `Không dưới 5` are bounds, not zero tolerance.
    if opens_with(&ZERO) && !opens_with(&AT_MOST) && !opens_with(&AT_LEAST) {
        return Ok(Target::Zero);
    }
    if (s.contains("cao hon") || s.contains("tang") || s.contains("lon hon"))
        && (s.contains("nam truoc") || s.contains("cung ky") || has_year_after(s))
    {
        return Ok(Target::AbovePrevious);
    }
    if s.starts_with("tang") && s.contains("bac") {
        let (_, first, _) = first_number(s).ok_or(UnreadableTarget)?;
        return Ok(Target::RankUp { steps: first.0 });
    }
    numeric(s)
}

/// `100% các đơn vị trong Khối không có cá nhân vi phạm…`: a share of the
/// member units that meet a condition. `Ok(None)` when the text is not of
/// that form; an error when it is but its condition cannot be read (never a
/// silent `≥ 100%`).
fn units_share(s: &str) -> Result<Option<Target>, UnreadableTarget> {
    let Some((before, (share, true), after)) = first_number(s) else {
        return Ok(None);
    };
    let opener = before.trim();
    if !(opener.is_empty() || opener == "phan dau" || opener == "dat") {
        return Ok(None);
    }
    let after = after.trim_start();
    let Some(rest) = UNIT_SUBJECTS
        .iter()
        .find_map(|subject| after.strip_prefix(subject))
        .filter(|rest| rest.is_empty() || rest.starts_with(' '))
    else {
        return Ok(None);
    };
    let rest = rest.trim();
    // `… đạt danh hiệu Lao động tiên tiến`, `… được tặng Bằng khen`: each
    // unit says whether it did.
    let condition = match read(rest) {
        Ok(c) => c,
        Err(_) if rest.starts_with("dat ") || rest.starts_with("duoc ") => Target::Done,
        Err(e) => return Err(e),
    };
    if matches!(condition, Target::None | Target::UnitsShare { .. }) {
        return Err(UnreadableTarget);
    }
    Ok(Some(Target::UnitsShare {
        share,
        condition: Box::new(condition),
    }))
}

/// `cao hơn năm 2021`: a four-digit year after `nam`.
fn has_year_after(s: &str) -> bool {
    s.split("nam ").skip(1).any(|rest| {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        digits.len() == 4
    })
}

/// Finds the first number in `s`: (text before, (value, percent), text after).
fn first_number(s: &str) -> Option<(&str, (f64, bool), &str)> {
    let start = s.find(|c: char| c.is_ascii_digit())?;
    let bytes = s.as_bytes();
    let mut end = start;
    while end < bytes.len() {
        let c = bytes[end];
        let next_is_digit = bytes.get(end + 1).is_some_and(u8::is_ascii_digit);
        if c.is_ascii_digit() || ((c == b'.' || c == b',') && next_is_digit) {
            end += 1;
        } else {
            break;
        }
    }
    let value = parse_number(&s[start..end])?.value;
    let mut rest = &s[end..];
    let mut percent = false;
    let trimmed = rest.trim_start();
    if let Some(after) = trimmed.strip_prefix('%') {
        percent = true;
        rest = after;
    }
    Some((&s[..start], (value, percent), rest))
}

fn numeric(s: &str) -> Result<Target, UnreadableTarget> {
    let (before, (value, mut percent), after) = first_number(s).ok_or(UnreadableTarget)?;
    let mut opener = before.trim();
    loop {
        let stripped = NEUTRAL_OPENERS.iter().find_map(|w| {
            opener
                .strip_prefix(w)
                .filter(|r| r.is_empty() || r.starts_with(' '))
        });
        match stripped {
            Some(rest) => opener = rest.trim_start(),
            None => break,
        }
    }
    let after = after.trim_start();

    // A range: `từ 07 đến 09`, `03 đến 04`, `7 - 9`, `7–9`.
    for joiner in ["den", "-", "–", "—", "toi"] {
        if let Some(rest) = after.strip_prefix(joiner) {
            let rest = rest.trim_start();
            if rest.starts_with(|c: char| c.is_ascii_digit())
                && (opener.is_empty() || opener == "tu")
            {
                let (_, (high, high_percent), _) = first_number(rest).ok_or(UnreadableTarget)?;
                percent |= high_percent;
                if high < value {
                    return Err(UnreadableTarget);
                }
                return Ok(Target::Range {
                    low: value,
                    high,
                    percent,
                });
            }
        }
    }

    let trailing_at_least = after.contains("tro len");
    let trailing_at_most = after.contains("tro xuong");
    let is = |list: &[&str]| list.contains(&opener);
    let target = if opener.is_empty() {
        if trailing_at_most {
            Target::AtMost { value, percent }
        } else {
            Target::AtLeast { value, percent }
        }
    } else if is(&AT_LEAST) {
        Target::AtLeast { value, percent }
    } else if is(&ABOVE) {
        Target::Above { value, percent }
    } else if is(&BELOW) {
        Target::Below { value, percent }
    } else if is(&AT_MOST) {
        Target::AtMost { value, percent }
    } else {
        return Err(UnreadableTarget);
    };
    if opener == "tu" && !trailing_at_least {
        // `Từ 5` with neither `trở lên` nor an upper end is not a target.
        return Err(UnreadableTarget);
    }
    if value == 0.0 && matches!(target, Target::AtLeast { .. } | Target::AtMost { .. }) && !percent
    {
        // `0 vụ`: nothing may happen.
        if opener.is_empty() || matches!(target, Target::AtMost { .. }) {
            return Ok(Target::Zero);
        }
    }
    Ok(target)
}

#[cfg(test)]
mod tests;
