//! Chỉ tiêu khối: the bloc's own targets, judged on its members' figures —
//! a sum, a headcount-weighted share, or a count of units meeting a
//! condition — against a target of the same kind.

use serde::Serialize;

use super::{UnitResult, UnitStatus};
use crate::plan::{Aggregate, Plan};
use crate::score::{Achieved, EPS, Outcome, outcome, round2};
use crate::text::target::Target;

/// Chỉ tiêu khối: one aggregated bloc figure against its target.
#[derive(Debug, Clone, Serialize)]
pub struct BlocTarget {
    pub code: String,
    pub content: String,
    pub aggregate: Aggregate,
    /// The bloc's figure (for `Số đơn vị đạt`, the number of units that met it).
    pub value: f64,
    /// For `Số đơn vị đạt`: the number of members.
    pub of: Option<usize>,
    /// For `Số đơn vị đạt`: how many must meet it (all, or the plan's share
    /// or count).
    pub needed: Option<usize>,
    /// The target the figure is compared with, as written: the plan's
    /// `Chỉ tiêu khối`, else the units' own target where that compares like
    /// with like (a share, or every unit meeting it).
    pub target_text: String,
    pub met: Option<bool>,
    pub verdict: BlocVerdict,
    /// For a pending verdict: whether the figure so far meets the target.
    pub so_far: Option<bool>,
    /// Units whose values went into the figure.
    pub units_counted: usize,
}

/// What can be said of a bloc figure against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BlocVerdict {
    Met,
    NotMet,
    /// Some members have no figure yet (sent nothing, not ranked) and the
    /// verdict could still go either way: chưa đủ số liệu.
    Pending,
    /// A sum of the units' figures with no bloc target to compare it with
    /// (the plan's target is each unit's).
    NoBlocTarget,
    /// A headcount-weighted figure, but no member with a figure has a
    /// headcount (`Số CBCCVC`).
    NoHeadcount,
}

pub(super) fn bloc_targets(plan: &Plan, units: &[UnitResult]) -> Vec<BlocTarget> {
    let ranked: Vec<&UnitResult> = units
        .iter()
        .filter(|u| u.status == UnitStatus::Ranked)
        .collect();
    let members = plan.units.len();
    let mut out = Vec::new();
    for (i, ind) in plan.indicators.iter().enumerate() {
        // A share of the member units is a bloc target whatever the
        // plan's `Tổng hợp khối` says.
        let share = match &ind.target {
            Target::UnitsShare { share, .. } => Some(*share),
            _ => None,
        };
        let Some(aggregate) = share.map(|_| Aggregate::UnitsMet).or(ind.aggregate) else {
            continue;
        };
        let numbers: Vec<(&UnitResult, f64)> = ranked
            .iter()
            .filter_map(|u| match u.indicators[i].achieved {
                Achieved::Number(a) => Some((*u, a)),
                _ => None,
            })
            .collect();
        // A bloc target of its own, else the units' where it compares.
        let own = (!ind.bloc_target_text.is_empty())
            .then_some((&ind.bloc_target, ind.bloc_target_text.as_str()));
        let against = |value: f64, complete: bool, target: Option<(&Target, &str)>| {
            let Some((target, _)) = target else {
                return BlocVerdict::NoBlocTarget;
            };
            match outcome(target, &Achieved::Number(value), None).map(Outcome::is_met) {
                Some(true) => BlocVerdict::Met,
                // A sum can still grow while members have not reported.
                Some(false) if complete || aggregate != Aggregate::Sum => BlocVerdict::NotMet,
                _ => BlocVerdict::Pending,
            }
        };
        let unit_target = Some((&ind.target, ind.target_text.as_str()));
        let mut so_far = None;
        let mut needed_units = None;
        let (value, of, counted, verdict, target_text) = match aggregate {
            Aggregate::Sum => {
                let sum: f64 = numbers.iter().map(|(_, a)| a).sum();
                let verdict = against(sum, numbers.len() == members, own);
                (sum, None, numbers.len(), verdict, own.map(|(_, t)| t))
            }
            Aggregate::HeadcountAverage => {
                let weighted: Vec<(f64, f64)> = numbers
                    .iter()
                    .filter_map(|(u, a)| {
                        plan.unit(&u.code)
                            .and_then(|p| p.headcount)
                            .map(|h| (*a, h))
                    })
                    .collect();
                let heads: f64 = weighted.iter().map(|(_, h)| h).sum();
                let target = own.or(unit_target);
                if heads <= 0.0 {
                    (
                        0.0,
                        None,
                        0,
                        BlocVerdict::NoHeadcount,
                        target.map(|(_, t)| t),
                    )
                } else {
                    let avg = weighted.iter().map(|(a, h)| a * h).sum::<f64>() / heads;
                    let verdict = match against(avg, true, target) {
                        // Members still to report could move the share.
                        v if weighted.len() < members && v != BlocVerdict::NoBlocTarget => {
                            so_far = Some(v == BlocVerdict::Met);
                            BlocVerdict::Pending
                        }
                        v => v,
                    };
                    (avg, None, weighted.len(), verdict, target.map(|(_, t)| t))
                }
            }
            Aggregate::UnitsMet => {
                let k = ranked
                    .iter()
                    .filter(|u| u.indicators[i].met() == Some(true))
                    .count();
                let failed = ranked
                    .iter()
                    .filter(|u| u.indicators[i].met() == Some(false))
                    .count();
                // How many must meet it: the target's share of the members,
                // or the bloc target's share or count, or all of them.
                let of_members = |p: f64| ((p / 100.0 * members as f64) - EPS).ceil().max(0.0);
                let needed = match (share, &ind.bloc_target) {
                    (Some(p), _) => of_members(p) as usize,
                    (
                        None,
                        Target::AtLeast {
                            value,
                            percent: true,
                        },
                    ) => of_members(*value) as usize,
                    (
                        None,
                        Target::AtLeast {
                            value,
                            percent: false,
                        },
                    ) => value.ceil() as usize,
                    _ => members,
                };
                needed_units = Some(needed);
                let verdict = if k >= needed {
                    BlocVerdict::Met
                } else if members - failed < needed {
                    BlocVerdict::NotMet
                } else {
                    BlocVerdict::Pending
                };
                let text = if ind.bloc_target_text.is_empty() {
                    ind.target_text.as_str()
                } else {
                    ind.bloc_target_text.as_str()
                };
                (k as f64, Some(members), ranked.len(), verdict, Some(text))
            }
        };
        out.push(BlocTarget {
            code: ind.code.clone(),
            content: ind.content.clone(),
            aggregate,
            value: round2(value),
            of,
            needed: needed_units,
            target_text: target_text.unwrap_or_default().to_string(),
            met: match verdict {
                BlocVerdict::Met => Some(true),
                BlocVerdict::NotMet => Some(false),
                _ => None,
            },
            verdict,
            so_far,
            units_counted: counted,
        });
    }
    out
}
