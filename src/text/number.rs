//! Numbers and dates as people type them into Vietnamese workbooks.
//!
//! Vietnamese style writes `1.234,5` (dot for thousands, comma for decimals),
//! English style `1,234.5`; both arrive, often in one file. A text with one
//! separator followed by exactly three digits (`1.500`, `2,250`) has two
//! readings: the Vietnamese one is taken and the other is kept so the caller
//! can warn, or pick the one that fits a known range. Pure; never panics.

use chrono::{Datelike, NaiveDate};

/// A number read from text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NumberText {
    /// The Vietnamese-style reading.
    pub value: f64,
    /// Written with a `%` sign: `value` is in percent (96 for `96%`).
    pub percent: bool,
    /// The other reading when the text is ambiguous (`1.500` → 1500, else 1.5).
    pub alternative: Option<f64>,
}

/// Reads `9,5`, `1.234,5`, `1,234.5`, `96%`, `96 %`, `- 0,25`, `+ 0,1`.
/// Returns `None` for anything that is not wholly a number.
pub fn parse_number(text: &str) -> Option<NumberText> {
    let mut s = text.trim();
    let mut negative = false;
    if let Some(rest) = s
        .strip_prefix('-')
        .or_else(|| s.strip_prefix('−'))
        .or_else(|| s.strip_prefix('–'))
    {
        negative = true;
        s = rest.trim_start();
    } else if let Some(rest) = s.strip_prefix('+') {
        s = rest.trim_start();
    }
    let mut percent = false;
    if let Some(rest) = s.strip_suffix('%') {
        percent = true;
        s = rest.trim_end();
    }
    let (value, alternative) = parse_unsigned(s)?;
    let sign = if negative { -1.0 } else { 1.0 };
    Some(NumberText {
        value: sign * value,
        percent,
        alternative: alternative.map(|a| sign * a),
    })
}

/// Reads a score typed with its unit: `20 điểm`, `9,5 đ`, `9,5đ`, `-2 điểm`
/// (the unit may be written without diacritics). `None` when there is no
/// such unit or no number before it.
pub fn parse_points_text(text: &str) -> Option<NumberText> {
    let t = text.trim();
    let lower = t.to_lowercase();
    let cut = ["điểm", "diem", "đ", "d"]
        .iter()
        .find_map(|u| lower.strip_suffix(u).map(|rest| rest.len()))?;
    let number = t.get(..cut)?.trim_end();
    if number.is_empty() || number.ends_with(|c: char| c.is_alphabetic()) {
        return None;
    }
    parse_number(number).filter(|n| !n.percent)
}

/// The value of [`parse_points_text`].
pub fn parse_points(text: &str) -> Option<f64> {
    parse_points_text(text).map(|n| n.value)
}

fn parse_unsigned(s: &str) -> Option<(f64, Option<f64>)> {
    if s.is_empty()
        || !s
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return None;
    }
    if !s.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let dots = s.matches('.').count();
    let commas = s.matches(',').count();
    match (dots, commas) {
        (0, 0) => Some((s.parse().ok()?, None)),
        (_, 0) | (0, _) => {
            let sep = if dots > 0 { '.' } else { ',' };
            let count = dots + commas;
            let (int, frac) = s.rsplit_once(sep)?;
            if count > 1 {
                // Several of one separator can only be thousands.
                return Some((grouped(s, sep)?, None));
            }
            let plain = format!("{}.{}", if int.is_empty() { "0" } else { int }, frac);
            let decimal: f64 = plain.parse().ok()?;
            let looks_grouped =
                frac.len() == 3 && (1..=3).contains(&int.len()) && !int.starts_with('0');
            if !looks_grouped {
                return Some((decimal, None));
            }
            let thousands = grouped(s, sep)?;
            // Vietnamese reading: dot groups thousands, comma marks decimals.
            if sep == '.' {
                Some((thousands, Some(decimal)))
            } else {
                Some((decimal, Some(thousands)))
            }
        }
        _ => {
            // Both present: the last one written is the decimal mark.
            let last_dot = s.rfind('.')?;
            let last_comma = s.rfind(',')?;
            let (decimal_sep, group_sep) = if last_dot > last_comma {
                ('.', ',')
            } else {
                (',', '.')
            };
            if s.matches(decimal_sep).count() != 1 {
                return None;
            }
            let (int, frac) = s.rsplit_once(decimal_sep)?;
            let int_value = grouped(int, group_sep)?;
            if frac.is_empty() {
                return None;
            }
            let frac_value: f64 = format!("0.{frac}").parse().ok()?;
            Some((int_value + frac_value, None))
        }
    }
}

/// Reads `1.234.567` with `sep` grouping thousands; rejects bad groups.
fn grouped(s: &str, sep: char) -> Option<f64> {
    let mut parts = s.split(sep);
    let first = parts.next()?;
    if first.is_empty() || first.len() > 3 {
        return None;
    }
    let mut digits = first.to_string();
    for part in parts {
        if part.len() != 3 {
            return None;
        }
        digits.push_str(part);
    }
    digits.parse().ok()
}

/// Formats a number the Vietnamese way for messages and workbooks: `9,5`,
/// `1.234,5`, at most four decimals, no trailing zeros.
pub fn format_vi(value: f64) -> String {
    format_with(value, '.', ',')
}

/// Whole numbers below this (2^53) are formatted from their integer,
/// whose digits are the same.
const WHOLE_LIMIT: f64 = 9_007_199_254_740_992.0;

/// Formats a number the English way: `9.5`, `1,234.5`.
pub fn format_en(value: f64) -> String {
    format_with(value, ',', '.')
}

fn format_with(value: f64, group: char, decimal: char) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    let rounded = (value * 10_000.0).round() / 10_000.0;
    // A whole number (most figures in a sheet) is its integer's digits;
    // others go through the four-place formatting.
    let text = if rounded.fract() == 0.0 && rounded.abs() < WHOLE_LIMIT {
        (rounded.abs() as u64).to_string()
    } else {
        format!("{:.4}", rounded.abs())
    };
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let frac = frac.trim_end_matches('0');
    let mut out = String::new();
    if rounded < 0.0 {
        out.push('-');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(group);
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(decimal);
        out.push_str(frac);
    }
    out
}

/// Reads a date typed as text: `15/12/2022`, `5/1/2022`, `15-12-2022`,
/// `15.12.2022` or ISO `2022-12-15` (also with a time part).
pub fn parse_date_text(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    let t = t.split(['T', ' ']).next().unwrap_or(t);
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Some(d);
    }
    let parts: Vec<&str> = t.split(['/', '-', '.']).collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || p.len() > 4) {
        return None;
    }
    let day: u32 = parts[0].parse().ok()?;
    let month: u32 = parts[1].parse().ok()?;
    let mut year: i32 = parts[2].parse().ok()?;
    if parts[2].len() == 2 {
        year += 2000;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Converts an Excel serial day number (1900 system, with its fictitious
/// 29 February 1900) to a date.
pub fn date_from_serial(serial: f64) -> Option<NaiveDate> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    // Serials before 1 March 1900 count the day that never was.
    let days = if days < 61 { days + 1 } else { days };
    base.checked_add_signed(chrono::Duration::days(days))
}

/// The Excel serial of a date (1900 system), for writing dates as numbers.
pub fn serial_from_date(date: NaiveDate) -> f64 {
    let base = NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid base date");
    (date - base).num_days() as f64
}

/// `dd/mm/yyyy`, the way dates are written in Vietnamese documents.
pub fn format_date(date: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", date.day(), date.month(), date.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_scores_typed_with_their_unit() {
        assert_eq!(parse_points("20 điểm"), Some(20.0));
        assert_eq!(parse_points("9,5 đ"), Some(9.5));
        assert_eq!(parse_points("9,5đ"), Some(9.5));
        assert_eq!(parse_points("- 2 diem"), Some(-2.0));
        assert_eq!(parse_points("9,5"), None);
        assert_eq!(parse_points("điểm"), None);
        assert_eq!(parse_points("Đạt"), None);
    }
    use proptest::prelude::*;

    fn value(s: &str) -> f64 {
        parse_number(s)
            .unwrap_or_else(|| panic!("`{s}` should parse"))
            .value
    }

    #[test]
    fn reads_both_styles() {
        assert_eq!(value("9,5"), 9.5);
        assert_eq!(value("3.5"), 3.5);
        assert_eq!(value("1.234,5"), 1234.5);
        assert_eq!(value("1,234.5"), 1234.5);
        assert_eq!(value("1.234.567"), 1_234_567.0);
        assert_eq!(value("86.58"), 86.58);
        assert_eq!(value("124,4"), 124.4);
        assert_eq!(value("0,125"), 0.125);
        assert_eq!(value(",5"), 0.5);
    }

    #[test]
    fn reads_signs_with_spaces() {
        assert_eq!(value("- 0,25"), -0.25);
        assert_eq!(value("+ 0,1"), 0.1);
        assert_eq!(value("-0.5"), -0.5);
    }

    #[test]
    fn reads_percentages() {
        let p = parse_number("96%").unwrap();
        assert_eq!((p.value, p.percent), (96.0, true));
        let p = parse_number("96 %").unwrap();
        assert_eq!((p.value, p.percent), (96.0, true));
        let p = parse_number("86,58%").unwrap();
        assert_eq!((p.value, p.percent), (86.58, true));
    }

    #[test]
    fn ambiguous_thousands_keep_both_readings() {
        let p = parse_number("1.500").unwrap();
        assert_eq!((p.value, p.alternative), (1500.0, Some(1.5)));
        let p = parse_number("2,250").unwrap();
        assert_eq!((p.value, p.alternative), (2.25, Some(2250.0)));
        assert_eq!(parse_number("1.50").unwrap().alternative, None);
    }

    #[test]
    fn rejects_non_numbers() {
        for s in [
            "",
            "Đạt",
            "12a",
            "1.2.3",
            "1,2,3.4.5",
            "%",
            "-",
            "1..5",
            "9,5 điểm",
        ] {
            assert_eq!(parse_number(s), None, "`{s}`");
        }
    }

    #[test]
    fn formats_vietnamese_and_english() {
        assert_eq!(format_vi(1234.5), "1.234,5");
        assert_eq!(format_en(1234.5), "1,234.5");
        assert_eq!(format_vi(9.0), "9");
        assert_eq!(format_vi(-0.25), "-0,25");
        assert_eq!(format_vi(100.0), "100");
    }

    #[test]
    fn reads_dates() {
        let d = NaiveDate::from_ymd_opt(2022, 12, 15).unwrap();
        assert_eq!(parse_date_text("15/12/2022"), Some(d));
        assert_eq!(parse_date_text("15-12-2022"), Some(d));
        assert_eq!(parse_date_text("2022-12-15"), Some(d));
        assert_eq!(parse_date_text("2022-12-15T00:00:00"), Some(d));
        assert_eq!(
            parse_date_text("5/1/2022"),
            NaiveDate::from_ymd_opt(2022, 1, 5)
        );
        assert_eq!(parse_date_text("31/02/2022"), None);
        assert_eq!(date_from_serial(44910.0), Some(d));
        assert_eq!(serial_from_date(d), 44910.0);
        assert_eq!(format_date(d), "15/12/2022");
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,24}") {
            let _ = parse_number(&s);
            let _ = parse_date_text(&s);
        }

        #[test]
        fn round_trips_vietnamese_format(n in -1_000_000i64..1_000_000, d in 0u32..100) {
            let x = n as f64 + d as f64 / 100.0 * n.signum() as f64;
            let text = format_vi(x);
            let back = parse_number(&text).unwrap();
            prop_assert!((back.value - x).abs() < 1e-9, "{} -> {} -> {}", x, text, back.value);
        }

        /// Whole numbers formatted from their integer read as the
        /// four-place formatting gives them.
        #[test]
        fn whole_numbers_format_as_with_four_places(
            n in proptest::num::f64::NORMAL | proptest::num::f64::ZERO | proptest::num::f64::SUBNORMAL,
            whole in -1e17f64..1e17,
        ) {
            for x in [n, whole.trunc(), whole.trunc() + 0.5, n.trunc()] {
                let rounded = (x * 10_000.0).round() / 10_000.0;
                let four = format!("{:.4}", rounded.abs());
                let (int, frac) = four.split_once('.').unwrap_or((&four, ""));
                let mut expected = String::new();
                if rounded < 0.0 {
                    expected.push('-');
                }
                for (i, c) in int.chars().enumerate() {
                    if i > 0 && (int.len() - i) % 3 == 0 {
                        expected.push('.');
                    }
                    expected.push(c);
                }
                let frac = frac.trim_end_matches('0');
                if !frac.is_empty() {
                    expected.push(',');
                    expected.push_str(frac);
                }
                prop_assert_eq!(format_vi(x), expected, "{}", x);
            }
        }

        #[test]
        fn serial_round_trips(days in 61i64..100_000) {
            let date = date_from_serial(days as f64).unwrap();
            prop_assert_eq!(serial_from_date(date), days as f64);
        }
    }
}
