//! Reading the input cells of a unit's workbook: achieved values by the
//! indicator's kind, baselines, self scores and counts. Each reading records
//! its findings (text numbers, ambiguous numbers, scores turned into dates,
//! formula errors, out-of-range scores) with the cell's position.

use chrono::NaiveDate;

use crate::finding::{Code, Finding};
use crate::plan::Indicator;
use crate::score::Achieved;
use crate::text::number::{
    NumberText, date_from_serial, format_date, format_vi, parse_points_text,
};
use crate::text::target::Target;
use crate::text::words::{is_not_assigned, parse_done, parse_grade};
use crate::workbook::{NumberCell, Sheet, Value};

/// A fraction shown as a percentage (0,07 in a `%` cell is 7 %), without
/// the binary fraction's tail (7,000000000000001).
fn as_percent(fraction: f64) -> f64 {
    (fraction * 100.0 * 1e9).round() / 1e9
}

/// How a bonus/penalty figure is read: what is expected, and whether a
/// points unit (`1 điểm`) may follow the number.
#[derive(Clone, Copy)]
struct Figure {
    expected: &'static str,
    with_unit: bool,
}

/// Collects findings for one file.
pub struct Reader<'a> {
    file: &'a str,
    pub findings: Vec<Finding>,
}

impl<'a> Reader<'a> {
    pub fn new(file: &'a str) -> Self {
        Reader {
            file,
            findings: Vec::new(),
        }
    }

    pub fn finding(&self, code: Code) -> Finding {
        Finding::new(code, self.file)
    }

    pub fn push(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    /// Reads a text number, warning that it is text and, when it has two
    /// readings, which one was taken. `fits` picks the reading when only one
    /// of the two is plausible for the cell.
    #[allow(clippy::too_many_arguments)] // a cell's place, its text and how to judge it
    fn text_number(
        &mut self,
        sheet: &Sheet,
        row: u32,
        col: u32,
        raw: &str,
        n: NumberText,
        indicator: &str,
        fits: impl Fn(f64) -> bool,
    ) -> f64 {
        let value = match n.alternative {
            Some(other) if !fits(n.value) && fits(other) => other,
            _ => n.value,
        };
        let percent = if n.percent { "%" } else { "" };
        let shown = match n.alternative {
            // Written without grouping, so `1500` cannot be misread again.
            Some(_) => {
                let other = if value == n.value {
                    n.alternative.unwrap_or(value)
                } else {
                    n.value
                };
                format!("{value}{percent} (≠ {}{percent})", format_vi(other))
            }
            None => format!("{}{percent}", format_vi(value)),
        };
        let code = if n.alternative.is_some() {
            Code::AmbiguousNumber
        } else {
            Code::TextNumber
        };
        self.push(
            self.finding(code)
                .at(&sheet.name, row, col)
                .indicator(indicator)
                .found(raw.to_string())
                .expected(shown),
        );
        value
    }

    fn formula_error(&mut self, sheet: &Sheet, row: u32, col: u32, indicator: &str, text: &str) {
        self.push(
            self.finding(Code::FormulaError)
                .at(&sheet.name, row, col)
                .indicator(indicator)
                .found(text.to_string()),
        );
    }

    fn unreadable(
        &mut self,
        sheet: &Sheet,
        row: u32,
        col: u32,
        indicator: &str,
        found: String,
        expected: &str,
    ) {
        self.push(
            self.finding(Code::UnreadableValue)
                .at(&sheet.name, row, col)
                .indicator(indicator)
                .found(found)
                .expected(expected.to_string()),
        );
    }

    /// Reads Kết quả thực hiện by the kind of the target in force.
    pub fn achieved(
        &mut self,
        sheet: &Sheet,
        row: u32,
        col: u32,
        ind: &Indicator,
        target: &Target,
    ) -> Achieved {
        let cell = sheet.cell(row, col);
        let value = cell.map_or(&Value::Empty, |c| &c.value);
        if value.is_empty() {
            if ind.target != Target::None {
                self.push(
                    self.finding(Code::MissingAchieved)
                        .at(&sheet.name, row, col)
                        .indicator(&ind.code),
                );
            }
            return Achieved::Missing;
        }
        if let Value::Error(e) = value {
            self.formula_error(sheet, row, col, &ind.code, e);
            return Achieved::Unreadable;
        }
        let text = value.text();
        if is_not_assigned(&text) {
            self.push(
                self.finding(Code::NotAssigned)
                    .at(&sheet.name, row, col)
                    .indicator(&ind.code)
                    .found(text),
            );
            return Achieved::NotAssigned;
        }
        match target {
            Target::Done => {
                let done = match value {
                    Value::Bool(b) => Some(*b),
                    Value::Number(n) if *n == 1.0 || *n == 0.0 => Some(*n == 1.0),
                    _ => parse_done(&text),
                };
                match done {
                    Some(d) => Achieved::Done(d),
                    None => {
                        self.unreadable(
                            sheet,
                            row,
                            col,
                            &ind.code,
                            text,
                            "Hoàn thành / Chưa hoàn thành, Có / Không",
                        );
                        Achieved::Unreadable
                    }
                }
            }
            Target::Grade { .. } => match parse_grade(&text) {
                Some(g) => Achieved::Grade(g),
                None => {
                    self.unreadable(
                        sheet,
                        row,
                        col,
                        &ind.code,
                        text,
                        "HTXSNV, HTTNV, HTNV, KHTNV",
                    );
                    Achieved::Unreadable
                }
            },
            Target::None if !matches!(ind.rule, crate::plan::Rule::Bands(_)) => {
                match value.as_number() {
                    NumberCell::Number(n) => Achieved::Number(n),
                    _ => Achieved::Text(text),
                }
            }
            _ => self.achieved_number(sheet, row, col, ind, target, value, &text),
        }
    }

    #[allow(clippy::too_many_arguments)] // one cell's full context; split would only add a struct
    fn achieved_number(
        &mut self,
        sheet: &Sheet,
        row: u32,
        col: u32,
        ind: &Indicator,
        target: &Target,
        value: &Value,
        text: &str,
    ) -> Achieved {
        let percent_cell = sheet.cell(row, col).is_some_and(|c| c.percent);
        let percent = ind.is_percent();
        let reference = target.reference().unwrap_or(0.0);
        match value.as_number() {
            NumberCell::Number(n) => {
                if percent && percent_cell {
                    Achieved::Number(as_percent(n))
                } else if percent && n > 0.0 && n <= 1.0 && reference > 1.0 {
                    // 0,96 typed into a plain cell for a `96%` target.
                    self.push(
                        self.finding(Code::PercentAsFraction)
                            .at(&sheet.name, row, col)
                            .indicator(&ind.code)
                            .found(format_vi(n))
                            .expected(format!("{}%", format_vi(as_percent(n)))),
                    );
                    Achieved::Number(as_percent(n))
                } else {
                    Achieved::Number(n)
                }
            }
            NumberCell::Text(n) => {
                let v = self.text_number(sheet, row, col, text, n, &ind.code, |_| true);
                Achieved::Number(v)
            }
            NumberCell::Date(serial) if !percent => {
                // Some indicators are deadlines; a date is then a value.
                self.unreadable(
                    sheet,
                    row,
                    col,
                    &ind.code,
                    date_from_serial(serial)
                        .map(format_date)
                        .unwrap_or_default(),
                    "số / a number",
                );
                Achieved::Unreadable
            }
            _ => {
                // `Không có` for a zero-tolerance target means none happened.
                if (*target == Target::Zero && parse_done(text) == Some(false))
                    || crate::text::label_key(text).starts_with("khong co")
                {
                    return Achieved::Number(0.0);
                }
                let expected = if percent {
                    "tỷ lệ % / a percentage"
                } else {
                    "số / a number"
                };
                self.unreadable(sheet, row, col, &ind.code, text.to_string(), expected);
                Achieved::Unreadable
            }
        }
    }

    /// Reads Kết quả năm trước, which a rank or previous-year target needs.
    pub fn baseline(&mut self, sheet: &Sheet, row: u32, col: u32, ind: &Indicator) -> Option<f64> {
        let value = sheet.value(row, col);
        let percent_cell = sheet.cell(row, col).is_some_and(|c| c.percent);
        let read = match value.as_number() {
            NumberCell::Number(n) if percent_cell && ind.is_percent() => Some(as_percent(n)),
            NumberCell::Number(n) => Some(n),
            NumberCell::Text(n) => {
                let text = value.text();
                Some(self.text_number(sheet, row, col, &text, n, &ind.code, |_| true))
            }
            _ => None,
        };
        if read.is_none() {
            self.push(
                self.finding(Code::MissingBaseline)
                    .at(&sheet.name, row, col)
                    .indicator(&ind.code)
                    .found(value.display()),
            );
        }
        read
    }

    /// Reads Điểm tự chấm and checks it: present, not negative, within the
    /// maximum, on the step. `None` when empty or unreadable (not summed).
    pub fn score(
        &mut self,
        sheet: &Sheet,
        row: u32,
        col: u32,
        ind: &Indicator,
        not_assigned: bool,
    ) -> Option<f64> {
        let value = sheet.value(row, col);
        let max = ind.max_points;
        let fits = |v: f64| (0.0..=max).contains(&v);
        let score = match value.as_number() {
            NumberCell::Empty => {
                if let Some(formula) = sheet.formula_at(row, col) {
                    self.push(
                        self.finding(Code::FormulaNoValue)
                            .at(&sheet.name, row, col)
                            .indicator(&ind.code)
                            .found(formula),
                    );
                } else if !not_assigned && ind.rule != crate::plan::Rule::Bloc {
                    // A bloc target has no score to enter.
                    self.push(
                        self.finding(Code::MissingScore)
                            .at(&sheet.name, row, col)
                            .indicator(&ind.code),
                    );
                }
                return None;
            }
            NumberCell::Number(n) => n,
            NumberCell::Text(n) => {
                let text = value.text();
                self.text_number(sheet, row, col, &text, n, &ind.code, fits)
            }
            NumberCell::Date(serial) => {
                // `1,10` typed where Excel reads dates becomes 01/10.
                let (shown, typed) = match date_from_serial(serial) {
                    Some(d) => {
                        use chrono::Datelike;
                        (format_date(d), format!("{},{:02}", d.day(), d.month()))
                    }
                    None => (format_vi(serial), String::new()),
                };
                self.push(
                    self.finding(Code::ScoreAsDate)
                        .at(&sheet.name, row, col)
                        .indicator(&ind.code)
                        .found(shown)
                        .expected(typed),
                );
                return None;
            }
            NumberCell::Other => {
                if let Value::Error(e) = value {
                    self.formula_error(sheet, row, col, &ind.code, e);
                } else if let Some(n) = parse_points_text(&value.text()) {
                    // `20 điểm`, `9,5 đ`: a score typed with its unit.
                    let text = value.text();
                    let v = self.text_number(sheet, row, col, &text, n, &ind.code, fits);
                    return self.checked_score(sheet, row, col, ind, v);
                } else {
                    self.unreadable(
                        sheet,
                        row,
                        col,
                        &ind.code,
                        value.display(),
                        "điểm / a score",
                    );
                }
                return None;
            }
        };
        self.checked_score(sheet, row, col, ind, score)
    }

    /// Checks a self score read: not negative, within the maximum, on the step.
    fn checked_score(
        &mut self,
        sheet: &Sheet,
        row: u32,
        col: u32,
        ind: &Indicator,
        score: f64,
    ) -> Option<f64> {
        let max = ind.max_points;
        if score < 0.0 {
            self.push(
                self.finding(Code::NegativeScore)
                    .at(&sheet.name, row, col)
                    .indicator(&ind.code)
                    .found(format_vi(score)),
            );
        } else if score > max + crate::score::EPS {
            self.push(
                self.finding(Code::AboveMax)
                    .at(&sheet.name, row, col)
                    .indicator(&ind.code)
                    .found(format_vi(score))
                    .expected(format_vi(max)),
            );
        }
        if let Some(step) = ind.step {
            let ratio = score / step;
            if (ratio - ratio.round()).abs() > 1e-6 {
                self.push(
                    self.finding(Code::OffStep)
                        .at(&sheet.name, row, col)
                        .indicator(&ind.code)
                        .found(format_vi(score))
                        .expected(format_vi(step)),
                );
            }
        }
        Some(score)
    }

    /// Reads the points of a bonus/penalty row typed without a count
    /// (`2`, `-0,5`, `1 điểm`); empty or `Không` is 0. `None` when unreadable.
    pub fn points(&mut self, sheet: &Sheet, row: u32, col: u32, code: &str) -> Option<f64> {
        let reading = Figure {
            expected: "điểm / points",
            with_unit: true,
        };
        self.adjustment_figure(sheet, row, col, code, reading, |_| true)
    }

    /// Reads a Số lần cell: a whole number ≥ 0; empty or `Không` is 0.
    pub fn count(&mut self, sheet: &Sheet, row: u32, col: u32, code: &str) -> Option<f64> {
        let whole = |v: f64| v.fract() == 0.0;
        let reading = Figure {
            expected: "số lần ≥ 0 / a count ≥ 0",
            with_unit: false,
        };
        let n = self.adjustment_figure(sheet, row, col, code, reading, whole)?;
        if n < 0.0 || !whole(n) {
            self.unreadable(
                sheet,
                row,
                col,
                code,
                format_vi(n),
                "số nguyên ≥ 0 / a whole number ≥ 0",
            );
            return None;
        }
        Some(n)
    }

    /// A bonus/penalty row's number: numeric, text (`2,5`; `1 điểm` where
    /// points are read), or a word saying none (`Không`); anything else is
    /// reported as unreadable.
    fn adjustment_figure(
        &mut self,
        sheet: &Sheet,
        row: u32,
        col: u32,
        code: &str,
        reading: Figure,
        fits: impl Fn(f64) -> bool,
    ) -> Option<f64> {
        let value = sheet.value(row, col);
        let text = value.text();
        let typed = match value.as_number() {
            NumberCell::Empty => return Some(0.0),
            NumberCell::Number(n) => return Some(n),
            NumberCell::Text(n) => Some(n),
            _ if reading.with_unit => parse_points_text(&text),
            _ => None,
        };
        if let Some(n) = typed {
            return Some(self.text_number(sheet, row, col, &text, n, code, fits));
        }
        if parse_done(&text) == Some(false) {
            return Some(0.0);
        }
        match value {
            Value::Error(e) => self.formula_error(sheet, row, col, code, e),
            _ => self.unreadable(sheet, row, col, code, value.display(), reading.expected),
        }
        None
    }

    /// Reads a date cell: an Excel date, a serial, or `dd/mm/yyyy` text.
    pub fn date(&mut self, sheet: &Sheet, row: u32, col: u32) -> Option<NaiveDate> {
        let value = sheet.value(row, col);
        let date = value.as_date();
        if date.is_none() && !value.is_empty() {
            self.push(
                self.finding(Code::BadDate)
                    .at(&sheet.name, row, col)
                    .found(value.display()),
            );
        }
        date
    }
}
