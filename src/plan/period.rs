//! Which kind of reporting period a phrase names: a quarter, the first n
//! months, or the whole year, read from codes (`Q1`, `6T`, `NAM`), names
//! (`Quý I`, `6 tháng`, `Năm`) and the phrases units type with the year
//! (`6 tháng đầu năm 2022`, `Quý I/2022`, `Cả năm 2022`).

use chrono::NaiveDate;

use crate::text::label_key;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodKind {
    Quarter(u8),
    Months(u8),
    Year,
}

fn quarter_number(word: &str) -> Option<u8> {
    match word {
        "i" | "1" => Some(1),
        "ii" | "2" => Some(2),
        "iii" | "3" => Some(3),
        "iv" | "4" => Some(4),
        _ => None,
    }
}

/// Reads the kind of period a phrase names; `plan_year`, when given, must
/// be the year the phrase mentions, if it mentions one.
pub fn kind_of(text: &str, plan_year: Option<i32>) -> Option<PeriodKind> {
    let key = label_key(text);
    let words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
    let years: Vec<i32> = words
        .iter()
        .filter(|w| w.len() == 4)
        .filter_map(|w| w.parse::<i32>().ok())
        .filter(|y| (1990..=2100).contains(y))
        .collect();
    if let Some(year) = plan_year
        && !years.is_empty()
        && !years.contains(&year)
    {
        return None;
    }
    // Compact codes: `Q1`, `6T`, `9T`.
    if let [one] = words.as_slice() {
        if let Some(q) = one.strip_prefix('q').and_then(quarter_number) {
            return Some(PeriodKind::Quarter(q));
        }
        if let Some(n) = one.strip_suffix('t').and_then(|n| n.parse::<u8>().ok()) {
            return Some(PeriodKind::Months(n));
        }
    }
    for (i, w) in words.iter().enumerate() {
        let next = words.get(i + 1).copied().unwrap_or("");
        if *w == "quy"
            && let Some(q) = quarter_number(next)
        {
            return Some(PeriodKind::Quarter(q));
        }
        if (next == "thang")
            && let Ok(n) = w.parse::<u8>()
            && n < 12
        {
            return Some(PeriodKind::Months(n));
        }
    }
    let year_words = [
        "nam",
        "ca nam",
        "tong ket nam",
        "bao cao nam",
        "danh gia nam",
        "cuoi nam",
    ];
    let without_years: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| !(w.len() == 4 && w.parse::<i32>().is_ok()))
        .collect();
    let rest = without_years.join(" ");
    if year_words.contains(&rest.as_str()) || rest == "year" || rest == "nam" {
        return Some(PeriodKind::Year);
    }
    // A title: `bang tu cham diem thi dua nam 2022`.
    if words.contains(&"nam") && !years.is_empty() {
        return Some(PeriodKind::Year);
    }
    None
}

/// A deadline as plans write it: a date, or words that say whether the day
/// itself still counts — `trước ngày 25/6/2022` (the 24th is the last day),
/// `đến hết ngày 25/6/2022`, `chậm nhất ngày 25/6/2022` (the 25th is). The
/// last day that counts, and whether the words moved it.
pub fn parse_deadline(text: &str) -> Option<(NaiveDate, bool)> {
    let folded = crate::text::fold::fold(text);
    let s = folded.trim();
    const BEFORE: [&str; 2] = ["truoc ngay", "truoc"];
    const UNTIL: [&str; 6] = [
        "den het ngay",
        "den het",
        "het ngay",
        "cham nhat ngay",
        "cham nhat la ngay",
        "cham nhat",
    ];
    let strip = |list: &[&str]| {
        list.iter()
            .find_map(|w| s.strip_prefix(w).filter(|r| r.starts_with(' ')))
            .map(str::trim)
    };
    if let Some(rest) = strip(&BEFORE) {
        let day = crate::text::number::parse_date_text(rest)?;
        return Some((day.pred_opt()?, true));
    }
    let rest = strip(&UNTIL).unwrap_or(s);
    let rest = rest.strip_prefix("ngay ").unwrap_or(rest);
    crate::text::number::parse_date_text(rest).map(|d| (d, false))
}

#[cfg(test)]
mod tests {
    use super::*;
    use PeriodKind::*;

    #[test]
    fn reads_periods_as_written_with_their_year() {
        let y = Some(2022);
        assert_eq!(kind_of("NAM", None), Some(Year));
        assert_eq!(kind_of("Năm", None), Some(Year));
        assert_eq!(kind_of("Q1", None), Some(Quarter(1)));
        assert_eq!(kind_of("6T", None), Some(Months(6)));
        assert_eq!(kind_of("6 tháng", None), Some(Months(6)));
        assert_eq!(kind_of("Năm 2022", y), Some(Year));
        assert_eq!(kind_of("Cả năm 2022", y), Some(Year));
        assert_eq!(kind_of("6 tháng đầu năm 2022", y), Some(Months(6)));
        assert_eq!(kind_of("Quý I/2022", y), Some(Quarter(1)));
        assert_eq!(kind_of("Quý 1 năm 2022", y), Some(Quarter(1)));
        assert_eq!(kind_of("9 thang nam 2022", y), Some(Months(9)));
        assert_eq!(kind_of("BẢNG TỰ CHẤM ĐIỂM THI ĐUA NĂM 2022", y), Some(Year));
        assert_eq!(kind_of("Năm 2021", y), None);
        assert_eq!(kind_of("Sở Xây dựng", y), None);
    }

    #[test]
    fn a_deadline_says_whether_its_day_counts() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(
            parse_deadline("trước ngày 25/6/2022"),
            Some((d(2022, 6, 24), true))
        );
        assert_eq!(
            parse_deadline("Trước 15/12/2022"),
            Some((d(2022, 12, 14), true))
        );
        assert_eq!(
            parse_deadline("đến hết ngày 25/6/2022"),
            Some((d(2022, 6, 25), false))
        );
        assert_eq!(
            parse_deadline("chậm nhất ngày 15/01/2023"),
            Some((d(2023, 1, 15), false))
        );
        assert_eq!(parse_deadline("25/06/2022"), Some((d(2022, 6, 25), false)));
        assert_eq!(parse_deadline("trước tháng 6"), None);
    }
}
