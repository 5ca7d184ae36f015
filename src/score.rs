//! Pure arithmetic: whether an achieved value meets its target, and the
//! score the evidence supports (điểm tính) under each rule.
//!
//! Rounding: computed scores are rounded half away from zero to two decimals
//! ([`round2`]), the precision Vietnamese scoring tables use; comparisons
//! allow 1e-9 for binary floating-point noise.

use serde::Serialize;

use crate::plan::{Indicator, Rule};
use crate::text::target::Target;
use crate::text::words::Grade;

/// Tolerance when comparing figures that went through decimal arithmetic.
pub const EPS: f64 = 1e-9;

/// Kết quả thực hiện: an achieved value as read from a unit's workbook.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "kebab-case")]
pub enum Achieved {
    /// The cell is empty.
    Missing,
    /// `Không giao`: the indicator is not assigned to this unit.
    NotAssigned,
    Number(f64),
    Done(bool),
    Grade(Grade),
    /// Free text where the plan sets no target (a `Tự chấm` indicator).
    Text(String),
    /// Something that cannot be read for the indicator's kind (reported).
    Unreadable,
}

/// Whether a target was met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    NotMet,
    Met,
    /// Vượt mức: met with room to spare.
    Exceeded,
}

impl Outcome {
    pub fn is_met(self) -> bool {
        self != Outcome::NotMet
    }
}

/// Compares an achieved value with a target. `baseline` is the unit's
/// previous-year value (its rank for [`Target::RankUp`]). `None` when the
/// value cannot be judged (missing, not assigned, wrong kind, no target).
pub fn outcome(target: &Target, achieved: &Achieved, baseline: Option<f64>) -> Option<Outcome> {
    use Outcome::*;
    let grade = |met: bool, beyond: bool| {
        if !met {
            NotMet
        } else if beyond {
            Exceeded
        } else {
            Met
        }
    };
    match (target, achieved) {
        // Each unit is judged on the condition of a bloc share.
        (Target::UnitsShare { condition, .. }, _) => outcome(condition, achieved, baseline),
        (Target::AtLeast { value, .. }, Achieved::Number(a)) => {
            Some(grade(*a >= value - EPS, *a > value + EPS))
        }
        // A strict bound is exceeded when beaten by at least one whole unit
        // (one percentage point for percentages).
        (Target::Above { value, .. }, Achieved::Number(a)) => {
            Some(grade(*a > value + EPS, *a >= value + 1.0 - EPS))
        }
        (Target::Below { value, .. }, Achieved::Number(a)) => {
            Some(grade(*a < value - EPS, *a <= value - 1.0 + EPS))
        }
        (Target::AtMost { value, .. }, Achieved::Number(a)) => {
            Some(grade(*a <= value + EPS, *a < value - EPS))
        }
        (Target::Range { low, high, .. }, Achieved::Number(a)) => {
            Some(grade(*a >= low - EPS, *a > high + EPS))
        }
        (Target::Zero, Achieved::Number(a)) => Some(grade(a.abs() < EPS, false)),
        (Target::Zero, Achieved::Done(happened)) => Some(grade(!happened, false)),
        (Target::RankUp { steps }, Achieved::Number(rank)) => {
            let improved = baseline? - rank;
            Some(grade(improved >= steps - EPS, improved > steps + EPS))
        }
        (Target::AbovePrevious, Achieved::Number(a)) => Some(grade(*a > baseline? + EPS, false)),
        (Target::Done, Achieved::Done(done)) => Some(grade(*done, false)),
        (Target::Grade { grade: needed }, Achieved::Grade(got)) => {
            Some(grade(got.at_least(*needed), got < needed))
        }
        _ => None,
    }
}

/// Rounds half away from zero to two decimals.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Điểm tính: the score the evidence supports, for every rule that the tool
/// can compute from one unit's workbook. `None` for `Tự chấm` (the unit's
/// score counts), `Dẫn đầu` (needs the whole bloc, see [`leading_scores`]),
/// and values that cannot be judged.
pub fn computed_score(
    indicator: &Indicator,
    target: &Target,
    achieved: &Achieved,
    baseline: Option<f64>,
) -> Option<f64> {
    let max = indicator.max_points;
    let score = match &indicator.rule {
        Rule::SelfScored | Rule::Leading => return None,
        // No unit is scored on a bloc target.
        Rule::Bloc => return Some(0.0),
        Rule::Pass => {
            if outcome(target, achieved, baseline)?.is_met() {
                max
            } else {
                0.0
            }
        }
        Rule::Proportional => match (target.reference(), achieved) {
            (Some(reference), Achieved::Number(a)) if reference > 0.0 => {
                max * (a.max(0.0) / reference).min(1.0)
            }
            _ => {
                if outcome(target, achieved, baseline)?.is_met() {
                    max
                } else {
                    0.0
                }
            }
        },
        Rule::Bands(bands) => {
            if !matches!(achieved, Achieved::Number(_)) {
                return None;
            }
            bands
                .iter()
                .find(|b| outcome(&b.target, achieved, baseline).is_some_and(Outcome::is_met))
                .map_or(0.0, |b| b.points)
        }
    };
    Some(round2(score))
}

/// `Dẫn đầu` scores for one indicator across the bloc: each unit's achieved
/// value and target reference in, each unit's score out (same order).
/// Below target `0.5·max·a/t`; at target `0.5·max`; the largest overshoot
/// `max`; another overshoot `0.5·max + 0.5·max·(its / the largest)`.
pub fn leading_scores(max: f64, units: &[(f64, f64)]) -> Vec<Option<f64>> {
    let overshoot = |(a, t): (f64, f64)| if t > 0.0 { a / t - 1.0 } else { f64::NAN };
    let best = units
        .iter()
        .map(|u| overshoot(*u))
        .filter(|o| o.is_finite())
        .fold(f64::NEG_INFINITY, f64::max);
    units
        .iter()
        .map(|&(a, t)| {
            let o = overshoot((a, t));
            if !o.is_finite() {
                return None;
            }
            let score = if o < -EPS {
                0.5 * max * (a / t).max(0.0)
            } else if o <= EPS {
                0.5 * max
            } else if (o - best).abs() <= EPS {
                max
            } else {
                0.5 * max + 0.5 * max * (o / best)
            };
            Some(round2(score))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Band;
    use crate::text::target::parse_target;

    fn indicator(rule: Rule, target: &str, max: f64) -> Indicator {
        Indicator {
            section: "I".into(),
            code: "1.1".into(),
            content: "x".into(),
            unit_label: String::new(),
            target_text: target.into(),
            target: parse_target(target).unwrap(),
            max_points: max,
            rule,
            step: None,
            own_target: false,
            aggregate: None,
            bloc_target_text: String::new(),
            bloc_target: Target::None,
            row: 0,
        }
    }

    fn num(a: f64) -> Achieved {
        Achieved::Number(a)
    }

    #[test]
    fn outcomes_per_target_kind() {
        let t = |s: &str| parse_target(s).unwrap();
        assert_eq!(outcome(&t("96%"), &num(96.0), None), Some(Outcome::Met));
        assert_eq!(
            outcome(&t("96%"), &num(97.0), None),
            Some(Outcome::Exceeded)
        );
        assert_eq!(outcome(&t("96%"), &num(95.9), None), Some(Outcome::NotMet));
        assert_eq!(
            outcome(&t("> 82%"), &num(82.0), None),
            Some(Outcome::NotMet)
        );
        assert_eq!(outcome(&t("> 82%"), &num(82.5), None), Some(Outcome::Met));
        assert_eq!(
            outcome(&t("> 82%"), &num(85.0), None),
            Some(Outcome::Exceeded)
        );
        assert_eq!(
            outcome(&t("Từ 07 đến 09"), &num(7.0), None),
            Some(Outcome::Met)
        );
        assert_eq!(
            outcome(&t("Từ 07 đến 09"), &num(9.0), None),
            Some(Outcome::Met)
        );
        assert_eq!(
            outcome(&t("Từ 07 đến 09"), &num(10.0), None),
            Some(Outcome::Exceeded)
        );
        assert_eq!(
            outcome(&t("Từ 07 đến 09"), &num(6.0), None),
            Some(Outcome::NotMet)
        );
        assert_eq!(outcome(&t("Tối đa 2"), &num(2.0), None), Some(Outcome::Met));
        assert_eq!(
            outcome(&t("Tối đa 2"), &num(3.0), None),
            Some(Outcome::NotMet)
        );
        assert_eq!(outcome(&t("Không có"), &num(0.0), None), Some(Outcome::Met));
        assert_eq!(
            outcome(&t("Không có"), &num(1.0), None),
            Some(Outcome::NotMet)
        );
        // Rank 12 last year, 9 this year: up three places.
        let rank = t("Tăng từ 02 bậc trở lên");
        assert_eq!(
            outcome(&rank, &num(9.0), Some(12.0)),
            Some(Outcome::Exceeded)
        );
        assert_eq!(outcome(&rank, &num(10.0), Some(12.0)), Some(Outcome::Met));
        assert_eq!(
            outcome(&rank, &num(11.0), Some(12.0)),
            Some(Outcome::NotMet)
        );
        assert_eq!(outcome(&rank, &num(11.0), None), None);
        let prev = t("Cao hơn năm 2021");
        assert_eq!(outcome(&prev, &num(5.1), Some(5.0)), Some(Outcome::Met));
        assert_eq!(outcome(&prev, &num(5.0), Some(5.0)), Some(Outcome::NotMet));
        let good = t("Hoàn thành tốt nhiệm vụ trở lên");
        assert_eq!(
            outcome(&good, &Achieved::Grade(Grade::Excellent), None),
            Some(Outcome::Exceeded)
        );
        assert_eq!(
            outcome(&good, &Achieved::Grade(Grade::Complete), None),
            Some(Outcome::NotMet)
        );
        assert_eq!(
            outcome(&t("Hoàn thành"), &Achieved::Done(true), None),
            Some(Outcome::Met)
        );
        assert_eq!(outcome(&t("96%"), &Achieved::NotAssigned, None), None);
        assert_eq!(outcome(&t("96%"), &Achieved::Done(true), None), None);
    }

    #[test]
    fn pass_and_proportional_rules() {
        let pass = indicator(Rule::Pass, "Trên 90%", 5.0);
        assert_eq!(
            computed_score(&pass, &pass.target, &num(91.0), None),
            Some(5.0)
        );
        assert_eq!(
            computed_score(&pass, &pass.target, &num(90.0), None),
            Some(0.0)
        );
        let prop = indicator(Rule::Proportional, "Ít nhất 15%", 5.0);
        assert_eq!(
            computed_score(&prop, &prop.target, &num(12.0), None),
            Some(4.0)
        );
        assert_eq!(
            computed_score(&prop, &prop.target, &num(30.0), None),
            Some(5.0)
        );
        // Proportional on a ceiling target behaves as `Đạt`.
        let cap = indicator(Rule::Proportional, "Tối đa 2", 3.0);
        assert_eq!(
            computed_score(&cap, &cap.target, &num(1.0), None),
            Some(3.0)
        );
        assert_eq!(
            computed_score(&cap, &cap.target, &num(3.0), None),
            Some(0.0)
        );
        let own = indicator(Rule::SelfScored, "", 2.0);
        assert_eq!(computed_score(&own, &own.target, &num(1.0), None), None);
    }

    #[test]
    fn bands_take_the_first_reached() {
        let bands = Rule::Bands(vec![
            Band {
                target: parse_target("≥ 98%").unwrap(),
                points: 5.0,
            },
            Band {
                target: parse_target("≥ 97%").unwrap(),
                points: 4.0,
            },
            Band {
                target: parse_target("≥ 96%").unwrap(),
                points: 3.0,
            },
        ]);
        let ind = indicator(bands, "≥ 98%", 5.0);
        assert_eq!(
            computed_score(&ind, &ind.target, &num(99.0), None),
            Some(5.0)
        );
        assert_eq!(
            computed_score(&ind, &ind.target, &num(97.5), None),
            Some(4.0)
        );
        assert_eq!(
            computed_score(&ind, &ind.target, &num(96.0), None),
            Some(3.0)
        );
        assert_eq!(
            computed_score(&ind, &ind.target, &num(95.0), None),
            Some(0.0)
        );
    }

    #[test]
    fn leading_formula() {
        // Targets 25; achieved 20 (below), 25 (at), 30 (+20%), 35 (+40%, best).
        let scores = leading_scores(
            10.0,
            &[(20.0, 25.0), (25.0, 25.0), (30.0, 25.0), (35.0, 25.0)],
        );
        assert_eq!(scores, vec![Some(4.0), Some(5.0), Some(7.5), Some(10.0)]);
    }

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(round2(3.335), 3.34);
        assert_eq!(round2(2.0 / 3.0 * 5.0), 3.33);
    }
}
