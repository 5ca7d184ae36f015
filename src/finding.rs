//! Findings: every problem found in a user's workbook is data, not an error.
//! A finding has a stable kebab-case [`Code`], a [`Severity`], and where it
//! is (file, sheet, A1 cell, indicator) with the value as found and what was
//! expected. Texts for people live in `messages.rs`, keyed by the code.

use std::fmt;

use serde::Serialize;

/// How bad a finding is. Only errors make a command exit with 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

macro_rules! codes {
    ($($variant:ident = $text:literal, $severity:ident;)*) => {
        /// The stable identifier of a kind of finding (listed in
        /// `docs/findings.md`; a test keeps the two in step).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($variant,)* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $text,)* }
            }

            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }
        }
    };
}

codes! {
    // The file itself.
    NotAWorkbook = "not-a-workbook", Error;
    OtherFormat = "other-format", Error;
    CorruptFile = "corrupt-file", Error;
    EncryptedFile = "encrypted-file", Error;
    FileTooLarge = "file-too-large", Error;
    ExpandsTooLarge = "expands-too-large", Error;
    TooManySheets = "too-many-sheets", Error;
    ReadTimeout = "read-timeout", Error;
    SheetTooLarge = "sheet-too-large", Error;
    UnreadableFile = "unreadable-file", Error;
    ReaderCrash = "reader-crash", Error;
    // Sheets and tables.
    MissingSheet = "missing-sheet", Error;
    MissingColumn = "missing-column", Error;
    ScoreSheetChosen = "score-sheet-chosen", Info;
    LegacyEncoding = "legacy-encoding", Warning;
    // The plan workbook.
    MissingInfo = "missing-info", Error;
    DuplicateCode = "duplicate-code", Error;
    MissingCode = "missing-code", Error;
    UnknownRule = "unknown-rule", Error;
    UnreadableTarget = "unreadable-target", Error;
    OcrReading = "ocr-reading", Info;
    MissingBlocTarget = "missing-bloc-target", Error;
    BlocTargetPoints = "bloc-target-points", Warning;
    MissingTarget = "missing-target", Error;
    RuleTarget = "rule-target", Warning;
    BadNumber = "bad-number", Error;
    BadDate = "bad-date", Error;
    PointsTotal = "points-total", Warning;
    UnknownLeader = "unknown-leader", Error;
    DeadlineOutsidePeriod = "deadline-outside-period", Warning;
    DuplicateUnit = "duplicate-unit", Error;
    UnknownGrade = "unknown-grade", Error;
    UnknownTieBreak = "unknown-tie-break", Error;
    UnknownScoreSource = "unknown-score-source", Error;
    NoIndicators = "no-indicators", Error;
    // A unit's workbook: who, which plan, which period.
    NoInfoSheet = "no-info-sheet", Warning;
    UnitFromTitle = "unit-from-title", Warning;
    UnknownUnit = "unknown-unit", Error;
    WrongPlan = "wrong-plan", Error;
    TemplateVersion = "template-version", Warning;
    UnknownPeriod = "unknown-period", Error;
    PeriodMismatch = "period-mismatch", Warning;
    // A unit's workbook: rows.
    MissingRow = "missing-row", Error;
    DuplicateRow = "duplicate-row", Error;
    UnknownRow = "unknown-row", Error;
    MatchedByName = "matched-by-name", Warning;
    MatchedByPosition = "matched-by-position", Warning;
    AmbiguousMatch = "ambiguous-match", Warning;
    UnknownAdjustment = "unknown-adjustment", Error;
    NoAdjustments = "no-adjustments", Info;
    WeakerTarget = "weaker-target", Error;
    // A unit's workbook: values.
    UnreadableValue = "unreadable-value", Error;
    MissingAchieved = "missing-achieved", Warning;
    MissingBaseline = "missing-baseline", Error;
    NotAssigned = "not-assigned", Info;
    MissingScore = "missing-score", Error;
    NegativeScore = "negative-score", Error;
    AboveMax = "above-max", Error;
    OffStep = "off-step", Error;
    OverClaimed = "over-claimed", Warning;
    OverCap = "over-cap", Warning;
    AdjustmentRemainder = "adjustment-remainder", Warning;
    ScoreAsDate = "score-as-date", Error;
    FormulaError = "formula-error", Error;
    FormulaNoValue = "formula-no-value", Warning;
    TotalMismatch = "total-mismatch", Warning;
    TextNumber = "text-number", Warning;
    AmbiguousNumber = "ambiguous-number", Warning;
    PercentAsFraction = "percent-as-fraction", Info;
    // Consolidating the bloc.
    Superseded = "superseded", Info;
    Conflict = "conflict", Error;
    NotInBloc = "not-in-bloc", Error;
    OtherPeriod = "other-period", Info;
    NotSubmitted = "not-submitted", Warning;
    Incomplete = "incomplete", Error;
    AwardsProvisional = "awards-provisional", Warning;
    Late = "late", Warning;
    SkippedOutput = "skipped-output", Info;
    SkippedPlan = "skipped-plan", Info;
    SkippedReview = "skipped-review", Info;
    ReviewApplied = "review-applied", Info;
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One problem, located as precisely as the input allows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// A1 reference, e.g. `I12`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    /// The unit the finding is about, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The indicator (or bonus/penalty item) code the finding is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indicator: Option<String>,
    /// The value as found in the cell, as text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
    /// What was expected, language-neutral where possible (`≤ 10`, `KTKT-2022`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
}

impl Finding {
    pub fn new(code: Code, file: impl Into<String>) -> Self {
        Finding {
            code,
            severity: code.severity(),
            file: file.into(),
            sheet: None,
            cell: None,
            unit: None,
            indicator: None,
            found: None,
            expected: None,
        }
    }

    pub fn sheet(mut self, sheet: impl Into<String>) -> Self {
        self.sheet = Some(sheet.into());
        self
    }

    pub fn cell(mut self, cell: impl Into<String>) -> Self {
        self.cell = Some(cell.into());
        self
    }

    /// Sheet and cell together, from a zero-based position.
    pub fn at(self, sheet: &str, row: u32, col: u32) -> Self {
        self.sheet(sheet).cell(a1(row, col))
    }

    pub fn unit(mut self, code: impl Into<String>) -> Self {
        self.unit = Some(code.into());
        self
    }

    pub fn indicator(mut self, code: impl Into<String>) -> Self {
        self.indicator = Some(code.into());
        self
    }

    pub fn found(mut self, found: impl Into<String>) -> Self {
        self.found = Some(found.into());
        self
    }

    pub fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A1 reference of a zero-based (row, column): (0, 0) → `A1`, (11, 8) → `I12`.
pub fn a1(row: u32, col: u32) -> String {
    format!("{}{}", column_name(col), row as u64 + 1)
}

/// Column letters of a zero-based column: 0 → `A`, 26 → `AA`.
pub fn column_name(col: u32) -> String {
    let mut n = col as u64 + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        letters.push((b'A' + rem) as char);
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// Parses `I12` back to a zero-based (row, column).
pub fn parse_a1(text: &str) -> Option<(u32, u32)> {
    let split = text.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = text.split_at(split);
    if letters.is_empty() || !letters.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let mut col: u64 = 0;
    for c in letters.chars() {
        col = col
            .checked_mul(26)?
            .checked_add((c as u8 - b'A' + 1) as u64)?;
    }
    let row: u64 = digits.parse().ok()?;
    if row == 0 || col == 0 || row > u32::MAX as u64 || col > u32::MAX as u64 {
        return None;
    }
    Some(((row - 1) as u32, (col - 1) as u32))
}

/// Counts the findings of one severity.
pub fn count(findings: &[Finding], severity: Severity) -> usize {
    findings.iter().filter(|f| f.severity == severity).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a1_references() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(11, 8), "I12");
        assert_eq!(a1(0, 25), "Z1");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(1_048_575, 16_383), "XFD1048576");
        assert_eq!(parse_a1("XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(parse_a1("A0"), None);
        assert_eq!(parse_a1("12"), None);
    }

    #[test]
    fn codes_are_unique_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            let s = code.as_str();
            assert!(seen.insert(s), "duplicate code {s}");
            assert!(s.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{s}");
        }
    }

    proptest! {
        #[test]
        fn a1_round_trips(row in 0u32..1_048_576, col in 0u32..16_384) {
            prop_assert_eq!(parse_a1(&a1(row, col)), Some((row, col)));
        }
    }
}
