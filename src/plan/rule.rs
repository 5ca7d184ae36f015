//! Cách chấm: how an indicator is scored, read from the plan's text.

use serde::Serialize;

use crate::text::label_key;
use crate::text::number::{format_en, format_vi, parse_number};
use crate::text::target::{Target, parse_target};

/// A scoring rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "rule", content = "bands", rename_all = "kebab-case")]
pub enum Rule {
    /// `Đạt`: target met → maximum, otherwise 0.
    Pass,
    /// `Tỷ lệ`: maximum × min(1, achieved / target) for ≥ and > targets.
    Proportional,
    /// `Tự chấm`: the unit's own score counts, within 0..=maximum.
    SelfScored,
    /// `Theo mức: ≥ 98%: 5; ≥ 97%: 4`: the first band reached gives its points.
    Bands(Vec<Band>),
    /// `Dẫn đầu`: scored against the bloc's largest overshoot.
    Leading,
    /// `Chỉ tiêu khối`: a target of the whole bloc or department
    /// (`2 - 3 phòng được tặng Bằng khen`), which no member can meet alone:
    /// no unit is scored on it; each reports its figure and the bloc's
    /// figure (`Tổng hợp khối`) is judged against the plan's `Chỉ tiêu khối`.
    Bloc,
}

/// One band of a `Theo mức` rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Band {
    pub target: Target,
    pub points: f64,
}

/// Why a rule text could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleError {
    Unknown,
    /// A band of `Theo mức` is unreadable: its text.
    BadBand(String),
}

/// The rule names the plan may use, for messages and drop-down lists.
pub const RULE_NAMES: [&str; 6] = [
    "Đạt",
    "Tỷ lệ",
    "Tự chấm",
    "Theo mức: …",
    "Dẫn đầu",
    "Chỉ tiêu khối",
];

pub fn parse_rule(text: &str) -> Result<Rule, RuleError> {
    let key = label_key(text);
    match key.as_str() {
        "" | "dat" | "dat khong dat" => return Ok(Rule::Pass),
        "ty le" | "ti le" | "ty le thuan" => return Ok(Rule::Proportional),
        "tu cham" => return Ok(Rule::SelfScored),
        "dan dau" | "so voi dan dau" => return Ok(Rule::Leading),
        "chi tieu khoi" | "chi tieu chung cua khoi" | "tinh cho khoi" | "khoi" => {
            return Ok(Rule::Bloc);
        }
        _ => {}
    }
    if !key.starts_with("theo muc") {
        return Err(RuleError::Unknown);
    }
    let body = text.split_once(':').map(|(_, b)| b).unwrap_or("");
    let mut bands = Vec::new();
    for part in body.split([';', '\n']) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let (condition, points) = part
            .rsplit_once(':')
            .ok_or_else(|| RuleError::BadBand(part.to_string()))?;
        let target = parse_target(condition)
            .ok()
            .filter(Target::is_numeric)
            .ok_or_else(|| RuleError::BadBand(part.to_string()))?;
        let points = parse_number(points)
            .filter(|n| !n.percent && n.value >= 0.0)
            .ok_or_else(|| RuleError::BadBand(part.to_string()))?
            .value;
        bands.push(Band { target, points });
    }
    if bands.is_empty() {
        return Err(RuleError::BadBand(text.to_string()));
    }
    Ok(Rule::Bands(bands))
}

impl Rule {
    /// How the rule was understood, in Vietnamese or English.
    pub fn describe(&self, english: bool) -> String {
        match (self, english) {
            (Rule::Pass, false) => "Đạt: đạt chỉ tiêu được điểm tối đa, không đạt 0".into(),
            (Rule::Pass, true) => "pass: target met gives the maximum, otherwise 0".into(),
            (Rule::Proportional, false) => "Tỷ lệ: điểm tối đa × min(1, kết quả / chỉ tiêu)".into(),
            (Rule::Proportional, true) => {
                "proportional: maximum × min(1, achieved / target)".into()
            }
            (Rule::SelfScored, false) => "Tự chấm: đơn vị tự chấm trong 0 … điểm tối đa".into(),
            (Rule::SelfScored, true) => "self-scored: the unit's own score, 0 … maximum".into(),
            (Rule::Leading, false) => {
                "Dẫn đầu: so với đơn vị vượt chỉ tiêu nhiều nhất trong khối".into()
            }
            (Rule::Leading, true) => "leading: against the bloc's largest overshoot".into(),
            (Rule::Bloc, false) => {
                "Chỉ tiêu khối: không chấm điểm từng đơn vị; số liệu của khối so với chỉ tiêu khối".into()
            }
            (Rule::Bloc, true) => {
                "bloc target: no unit is scored; the bloc's figure is judged against the bloc target".into()
            }
            (Rule::Bands(bands), _) => {
                let num = |v: f64| if english { format_en(v) } else { format_vi(v) };
                let parts: Vec<String> = bands
                    .iter()
                    .map(|b| format!("{} → {}", b.target.describe(english), num(b.points)))
                    .collect();
                let head = if english { "bands" } else { "Theo mức" };
                format!("{head}: {}", parts.join("; "))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rule_names_with_and_without_diacritics() {
        assert_eq!(parse_rule("Đạt"), Ok(Rule::Pass));
        assert_eq!(parse_rule(""), Ok(Rule::Pass));
        assert_eq!(parse_rule("Tỷ lệ"), Ok(Rule::Proportional));
        assert_eq!(parse_rule("ty le"), Ok(Rule::Proportional));
        assert_eq!(parse_rule("TỰ CHẤM"), Ok(Rule::SelfScored));
        assert_eq!(parse_rule("Dan dau"), Ok(Rule::Leading));
        assert_eq!(parse_rule("Chỉ tiêu khối"), Ok(Rule::Bloc));
        assert_eq!(parse_rule("Bình quân"), Err(RuleError::Unknown));
    }

    #[test]
    fn reads_bands_as_provincial_tables_write_them() {
        let rule = parse_rule("Theo mức: ≥ 98%: 5; ≥ 97%: 4; ≥ 96%: 3").unwrap();
        let Rule::Bands(bands) = rule else {
            panic!("bands expected")
        };
        assert_eq!(bands.len(), 3);
        assert_eq!(bands[0].points, 5.0);
        assert_eq!(
            bands[2].target,
            Target::AtLeast {
                value: 96.0,
                percent: true
            }
        );
        let plain = parse_rule("Theo muc: >= 98%: 5; tren 97%: 4,5").unwrap();
        let Rule::Bands(bands) = plain else {
            panic!("bands expected")
        };
        assert_eq!(bands[1].points, 4.5);
    }

    #[test]
    fn unreadable_band_names_the_band() {
        assert_eq!(
            parse_rule("Theo mức: khoảng 98%: 5"),
            Err(RuleError::BadBand("khoảng 98%: 5".into()))
        );
        assert!(parse_rule("Theo mức:").is_err());
    }
}
