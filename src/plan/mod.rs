//! The plan (kế hoạch): the bloc's indicator table and rules, loaded from the
//! leader's plan workbook into one validated [`Plan`]. Everything that varies
//! between provinces (scale, caps, thresholds, quotas, tie-breaks, score
//! precedence) lives here as data; nothing downstream hard-codes it.

mod indicators;
mod load;
mod period;
pub mod rule;

use chrono::NaiveDate;
use serde::Serialize;
use sha2::{Digest, Sha256};

pub use load::{PlanLoad, code_text, load, load_book};
pub use rule::{Band, Rule};

use crate::text::fold;
use crate::text::target::Target;
use crate::text::words::Grade;

/// Kế hoạch: the whole plan.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// Mã kế hoạch, e.g. `KTKT-2022`.
    pub code: String,
    /// Tên khối.
    pub bloc: String,
    pub year: Option<i32>,
    /// Thang điểm: the scale scores are converted to (100, 1000 …).
    pub scale: f64,
    /// Khối trưởng: the leader's unit code.
    pub leader: Option<String>,
    /// Tiêu chí phụ: tie-break keys in order.
    pub tie_break: Vec<TieBreak>,
    /// Thứ tự điểm: which score counts when several exist.
    pub score_order: Vec<ScoreSource>,
    pub units: Vec<Unit>,
    pub sections: Vec<Section>,
    pub indicators: Vec<Indicator>,
    /// Thưởng - Trừ: bonus and penalty items.
    pub adjustments: Vec<Adjustment>,
    pub periods: Vec<Period>,
    /// Xếp loại: grade thresholds, best first.
    pub grades: Vec<GradeThreshold>,
    /// Khen thưởng: awards in order.
    pub awards: Vec<Award>,
    /// Unit lookup by folded code, name and alias, built on first use (a
    /// national run looks up thousands of units); plans are not modified
    /// after loading.
    #[serde(skip)]
    pub(crate) unit_index: std::sync::OnceLock<UnitIndex>,
    #[serde(skip)]
    pub(crate) fingerprint_cache: std::sync::OnceLock<String>,
    /// Indicator and bonus/penalty lookup by [`code_key`], built on first
    /// use (every row of every submission is looked up).
    #[serde(skip)]
    pub(crate) code_index: std::sync::OnceLock<CodeIndex>,
}

/// Positions by [`code_key`]; of repeated codes the first counts, as a
/// search in order would find it.
#[derive(Debug, Clone, Default)]
pub(crate) struct CodeIndex {
    indicators: std::collections::HashMap<String, usize>,
    adjustments: std::collections::HashMap<String, usize>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct UnitIndex {
    by_code: std::collections::HashMap<String, usize>,
    by_name: std::collections::HashMap<String, usize>,
}

/// Đơn vị (thành viên): a member unit.
#[derive(Debug, Clone, Serialize)]
pub struct Unit {
    pub code: String,
    pub name: String,
    /// Số CBCCVC: headcount, to weight bloc-level percentages.
    pub headcount: Option<f64>,
    /// Tên khác: other names people use for the unit.
    pub aliases: Vec<String>,
}

/// Mục: a section of the indicator table (I, II, III).
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub id: String,
    pub title: String,
}

/// Tiêu chí: one indicator of the table.
#[derive(Debug, Clone, Serialize)]
pub struct Indicator {
    /// The section id (`I`) the indicator belongs to.
    pub section: String,
    /// Mã: unique code, e.g. `1.2`.
    pub code: String,
    /// Nội dung.
    pub content: String,
    /// Đơn vị tính.
    pub unit_label: String,
    /// Chỉ tiêu as written.
    pub target_text: String,
    pub target: Target,
    /// Điểm tối đa.
    pub max_points: f64,
    /// Cách chấm.
    pub rule: Rule,
    /// Bước điểm: scores must be multiples of it.
    pub step: Option<f64>,
    /// Đăng ký riêng: units register their own target.
    pub own_target: bool,
    /// Tổng hợp khối: how the bloc-level figure is formed.
    pub aggregate: Option<Aggregate>,
    /// Chỉ tiêu khối as written: the target of the bloc's figure, when it
    /// is not the units' own (a sum of initiatives against a bloc total).
    pub bloc_target_text: String,
    pub bloc_target: Target,
    /// Zero-based row in the plan's `Tiêu chí` sheet.
    pub row: u32,
}

impl Indicator {
    /// True when achieved values are percentages.
    pub fn is_percent(&self) -> bool {
        self.target.is_percent()
            || self.unit_label.trim() == "%"
            || match &self.rule {
                Rule::Bands(bands) => bands.iter().any(|b| b.target.is_percent()),
                _ => false,
            }
    }
}

/// Tổng hợp khối.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Aggregate {
    /// Tổng: the sum of the units' values.
    Sum,
    /// Bình quân theo biên chế: the headcount-weighted mean.
    HeadcountAverage,
    /// Số đơn vị đạt: how many units met the target.
    UnitsMet,
}

/// Loại: bonus (thưởng) or penalty (trừ).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AdjustmentKind {
    Bonus,
    Penalty,
}

/// A bonus or penalty item (điểm thưởng / điểm trừ).
#[derive(Debug, Clone, Serialize)]
pub struct Adjustment {
    pub code: String,
    pub content: String,
    pub kind: AdjustmentKind,
    /// Điểm mỗi lần.
    pub points_each: f64,
    /// Tối đa: the cap on the item's points.
    pub cap: Option<f64>,
    /// Loại khỏi khen thưởng: any occurrence bars the unit from awards.
    pub bars_award: bool,
}

/// Kỳ báo cáo: a reporting period.
#[derive(Debug, Clone, Serialize)]
pub struct Period {
    /// Mã kỳ: Q1, 6T, 9T, NAM.
    pub code: String,
    /// Tên kỳ: Quý I, 6 tháng …
    pub name: String,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Hạn nộp: the last day a report is on time.
    pub deadline: Option<NaiveDate>,
    /// The deadline as the plan words it, when in words (`trước ngày
    /// 25/6/2022`, whose last day is the 24th); empty for a plain date.
    pub deadline_text: String,
}

/// A grade and the least total that earns it.
#[derive(Debug, Clone, Serialize)]
pub struct GradeThreshold {
    pub grade: Grade,
    pub min: f64,
}

/// Hình thức khen thưởng: an award, its quota and the least grade it needs.
#[derive(Debug, Clone, Serialize)]
pub struct Award {
    pub name: String,
    pub quota: Quota,
    pub min_grade: Option<Grade>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "kebab-case")]
pub enum Quota {
    /// A number of units.
    Count(u32),
    /// A share of the members in percent, rounded down.
    Share(f64),
}

/// A tie-break key (Tiêu chí phụ).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "key", content = "value", rename_all = "kebab-case")]
pub enum TieBreak {
    /// A higher total in this section first.
    Section(String),
    /// Fewer penalty points first.
    Penalty,
    /// More bonus points first.
    Bonus,
}

/// A source of an indicator's score (Thứ tự điểm).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScoreSource {
    /// Điểm thẩm định: the leader's review.
    Reviewed,
    /// Điểm tính: what the evidence supports.
    Computed,
    /// Điểm tự chấm.
    SelfScore,
}

impl Plan {
    fn index(&self) -> &UnitIndex {
        self.unit_index.get_or_init(|| {
            let mut index = UnitIndex::default();
            for (i, u) in self.units.iter().enumerate() {
                index.by_code.entry(fold(&u.code)).or_insert(i);
                let names = std::iter::once(&u.code)
                    .chain(std::iter::once(&u.name))
                    .chain(u.aliases.iter());
                for n in names {
                    index.by_name.entry(crate::text::label_key(n)).or_insert(i);
                }
            }
            index
        })
    }

    pub fn unit(&self, code: &str) -> Option<&Unit> {
        self.index()
            .by_code
            .get(&fold(code))
            .map(|&i| &self.units[i])
    }

    /// Finds a unit by code, name or alias, compared folded.
    pub fn unit_by_any_name(&self, text: &str) -> Option<&Unit> {
        let key = crate::text::label_key(text);
        if key.is_empty() {
            return None;
        }
        self.index().by_name.get(&key).map(|&i| &self.units[i])
    }

    fn codes(&self) -> &CodeIndex {
        self.code_index.get_or_init(|| {
            let mut index = CodeIndex::default();
            for (i, ind) in self.indicators.iter().enumerate() {
                index.indicators.entry(code_key(&ind.code)).or_insert(i);
            }
            for (i, adj) in self.adjustments.iter().enumerate() {
                index.adjustments.entry(code_key(&adj.code)).or_insert(i);
            }
            index
        })
    }

    /// The position of the indicator with this code, compared by
    /// [`code_key`].
    pub fn indicator_position(&self, code: &str) -> Option<usize> {
        self.codes().indicators.get(&code_key(code)).copied()
    }

    /// The position of the bonus/penalty item with this code.
    pub fn adjustment_position(&self, code: &str) -> Option<usize> {
        self.codes().adjustments.get(&code_key(code)).copied()
    }

    pub fn indicator(&self, code: &str) -> Option<&Indicator> {
        self.indicator_position(code).map(|i| &self.indicators[i])
    }

    pub fn adjustment(&self, code: &str) -> Option<&Adjustment> {
        self.adjustment_position(code).map(|i| &self.adjustments[i])
    }

    /// Finds a period by code or name (`NAM`, `Năm`, `6T`, `6 tháng`).
    pub fn period(&self, text: &str) -> Option<&Period> {
        let key = crate::text::label_key(text);
        let exact = self.periods.iter().find(|p| {
            crate::text::label_key(&p.code) == key || crate::text::label_key(&p.name) == key
        });
        exact.or_else(|| self.period_in_text(text))
    }

    /// The period a phrase names, as people write it with its year:
    /// `Năm 2022`, `Cả năm 2022`, `6 tháng đầu năm 2022`, `Quý I/2022`,
    /// `Quý 1 năm 2022`, or a title such as `BẢNG TỰ CHẤM ĐIỂM NĂM 2022`.
    /// A year other than the plan's names no period of it.
    pub fn period_in_text(&self, text: &str) -> Option<&Period> {
        let kind = period::kind_of(text, self.year)?;
        self.periods.iter().find(|p| {
            period::kind_of(&p.code, None) == Some(kind)
                || period::kind_of(&p.name, None) == Some(kind)
        })
    }

    /// The default period: the plan's last (the year-end report).
    pub fn last_period(&self) -> Option<&Period> {
        self.periods.last()
    }

    /// Sum of the indicators' maximum points.
    pub fn max_total(&self) -> f64 {
        self.indicators.iter().map(|i| i.max_points).sum()
    }

    /// A short fingerprint of the indicator table and the bonus/penalty
    /// items: templates carry it so `check` can tell a workbook made from
    /// another version of the plan.
    pub fn fingerprint(&self) -> String {
        self.fingerprint_cache
            .get_or_init(|| self.compute_fingerprint())
            .clone()
    }

    fn compute_fingerprint(&self) -> String {
        let mut hasher = Sha256::new();
        for i in &self.indicators {
            hasher.update(format!(
                "{}|{}|{}|{}|{:?}|{:?}\n",
                code_key(&i.code),
                fold(&i.content),
                fold(&i.target_text),
                i.max_points,
                i.rule,
                i.step
            ));
        }
        for a in &self.adjustments {
            hasher.update(format!(
                "{}|{}|{:?}|{}|{:?}\n",
                code_key(&a.code),
                fold(&a.content),
                a.kind,
                a.points_each,
                a.cap
            ));
        }
        let digest = hasher.finalize();
        digest[..8].iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// The match key of an indicator code: `1.2`, `1.2.`, ` 1.2 ` and `I.1.2`
/// stay distinct only where they differ in more than trailing dots, spaces
/// and case.
pub fn code_key(code: &str) -> String {
    crate::text::clean(code)
        .trim_end_matches(['.', ')'])
        .trim_start_matches('(')
        .to_lowercase()
}
