//! One member's result: its indicators scored under the plan's
//! precedence with the leader's review, `Dẫn đầu` across the bloc, totals
//! and converted scores, what could not be read, its place, and the awards
//! held while incomplete units could still change them.

use std::collections::BTreeMap;

use super::{IndicatorResult, UnitResult, UnitStatus, Unread, UnreadReason};
use crate::finding::{Code, Finding};
use crate::plan::{AdjustmentKind, Plan, Rule, ScoreSource, TieBreak};
use crate::rank::{self, Entry};
use crate::review::Review;
use crate::score::{Achieved, EPS, leading_scores, round2};
use crate::submission::Submission;
use crate::text::number::format_vi;
use crate::text::target::Target;

/// Marks a unit incomplete when a figure its total needs was not read and
/// the review does not supply it: an indicator without a row, a
/// rule-scored indicator whose achieved value is unknown (so its score is),
/// a self-scored one without a score, a bonus/penalty row not read.
/// Errors the tool resolves by a rule (a score above the maximum is capped,
/// an over-claim takes the computed score) leave nothing unknown.
pub(super) fn mark_unread(
    plan: &Plan,
    u: &mut UnitResult,
    sub: &Submission,
    findings: &mut Vec<Finding>,
) {
    let mut unread = Vec::new();
    for (ind, r) in plan.indicators.iter().zip(&u.indicators) {
        // A bloc target's figure counts for the bloc, not the unit's total:
        // its absence leaves the bloc figure pending, not the unit unread.
        if r.reviewed.is_some() || r.achieved == Achieved::NotAssigned || ind.rule == Rule::Bloc {
            continue;
        }
        let self_scored = ind.rule == Rule::SelfScored || ind.target == Target::None;
        let why = if sub.missing.contains(&ind.code) {
            Some(UnreadReason::NoRow)
        } else if self_scored && r.self_score.is_none() {
            Some(UnreadReason::NoScore)
        } else if !self_scored && r.computed.is_none() {
            Some(UnreadReason::NoAchieved)
        } else {
            None
        };
        if let Some(reason) = why {
            unread.push(Unread {
                code: ind.code.clone(),
                reason,
            });
        }
    }
    for code in &sub.adjustments_unread {
        unread.push(Unread {
            code: code.clone(),
            reason: UnreadReason::Adjustment,
        });
    }
    if unread.is_empty() {
        return;
    }
    findings.push(
        Finding::new(Code::Incomplete, &sub.file)
            .unit(&u.code)
            .found(
                unread
                    .iter()
                    .map(|x| x.text(false))
                    .collect::<Vec<_>>()
                    .join("; "),
            )
            .expected(" — bổ sung tệp hoặc ghi điểm thẩm định cho các mục này"),
    );
    u.status = UnitStatus::Incomplete;
    u.unread = unread;
}

/// The highest total an incomplete unit could reach: each unread indicator
/// at its maximum, unread bonus items at their caps.
fn best_case(plan: &Plan, u: &UnitResult, uses_converted: bool) -> f64 {
    let mut points = 0.0;
    let mut assigned = 0.0;
    for (ind, r) in plan.indicators.iter().zip(&u.indicators) {
        if r.achieved == Achieved::NotAssigned {
            continue;
        }
        assigned += ind.max_points;
        let unread = u.unread.iter().any(|x| x.code == ind.code);
        points += if unread {
            ind.max_points
        } else {
            r.final_score.unwrap_or(0.0)
        };
    }
    let bonus = u.bonus
        + plan
            .adjustments
            .iter()
            .filter(|a| a.kind == AdjustmentKind::Bonus)
            .filter(|a| u.unread.iter().any(|x| x.code == a.code))
            .map(|a| a.cap.unwrap_or(a.points_each))
            .sum::<f64>();
    if uses_converted && assigned > 0.0 {
        points / assigned * plan.scale + bonus - u.penalty
    } else {
        points + bonus - u.penalty
    }
}

/// While an incomplete unit could reach the award zone (its best case is
/// at least the lowest score proposed for an award, or an award is still
/// unfilled), the proposal names nobody: each award becomes provisional.
/// Returns the units to resolve first.
pub(super) fn hold_awards(
    plan: &Plan,
    units: &mut [UnitResult],
    uses_converted: bool,
) -> Vec<String> {
    if plan.awards.is_empty() {
        return Vec::new();
    }
    let awarded: Vec<f64> = units
        .iter()
        .filter(|u| u.award.is_some() || u.needs_vote.is_some())
        .map(|u| u.ranking_score)
        .collect();
    let quota: usize = plan
        .awards
        .iter()
        .map(|a| rank::quota_size(a.quota, plan.units.len()))
        .sum();
    let cutoff = if awarded.len() < quota {
        f64::NEG_INFINITY
    } else {
        awarded.iter().copied().fold(f64::INFINITY, f64::min)
    };
    let pending: Vec<String> = units
        .iter()
        .filter(|u| u.status == UnitStatus::Incomplete && !u.barred)
        .filter(|u| best_case(plan, u, uses_converted) >= cutoff - EPS)
        .map(|u| u.code.clone())
        .collect();
    if !pending.is_empty() {
        for u in units.iter_mut() {
            u.provisional_award = u.award.take();
        }
    }
    pending
}

pub(super) fn unit_result(
    plan: &Plan,
    unit: &crate::plan::Unit,
    status: UnitStatus,
    sub: Option<&Submission>,
    reviews: &[Review],
    findings: &mut Vec<Finding>,
) -> UnitResult {
    let sub = sub.filter(|_| status == UnitStatus::Ranked);
    let indicators = plan
        .indicators
        .iter()
        .map(|ind| {
            let row = sub.and_then(|s| s.rows.iter().find(|r| r.code == ind.code));
            let review = reviews
                .iter()
                .find(|r| r.unit == unit.code && r.indicator == ind.code);
            if let (Some(rv), Some(_)) = (review, sub) {
                findings.push(
                    Finding::new(Code::ReviewApplied, &rv.file)
                        .sheet(&rv.sheet)
                        .cell(&rv.cell)
                        .unit(&unit.code)
                        .indicator(&ind.code)
                        .found(
                            row.and_then(|r| r.self_score)
                                .map(format_vi)
                                .unwrap_or_else(|| "—".into()),
                        )
                        .expected(format_vi(rv.score)),
                );
            }
            IndicatorResult {
                code: ind.code.clone(),
                achieved: row.map_or(Achieved::Missing, |r| r.achieved.clone()),
                target: row.map_or_else(|| ind.target.for_unit().clone(), |r| r.target.clone()),
                outcome: row.and_then(|r| r.outcome),
                self_score: row.and_then(|r| r.self_score),
                computed: row.and_then(|r| r.computed),
                reviewed: review.map(|r| r.score),
                review_reason: review.map(|r| r.reason.clone()).filter(|r| !r.is_empty()),
                final_score: None,
            }
        })
        .collect();
    let mut bonus = 0.0;
    let mut penalty = 0.0;
    let mut barred_by = Vec::new();
    if let Some(s) = sub {
        for row in &s.adjustments {
            let Some(adj) = plan.adjustment(&row.code) else {
                continue;
            };
            match adj.kind {
                AdjustmentKind::Bonus => bonus += row.counted,
                AdjustmentKind::Penalty => penalty += row.counted,
            }
            if adj.bars_award && row.count > 0.0 {
                barred_by.push(format!("{}: {}", adj.code, adj.content));
            }
        }
    }
    UnitResult {
        code: unit.code.clone(),
        name: unit.name.clone(),
        status,
        file: sub.map(|s| s.file.clone()),
        file_errors: 0,
        report_date: sub.and_then(|s| s.report_date),
        rank: None,
        shared_rank: false,
        self_total: 0.0,
        indicator_total: 0.0,
        bonus: round2(bonus),
        penalty: round2(penalty),
        total: 0.0,
        assigned_max: 0.0,
        converted: None,
        ranking_score: 0.0,
        section_totals: BTreeMap::new(),
        grade: None,
        award: None,
        provisional_award: None,
        unread: Vec::new(),
        needs_vote: None,
        barred: !barred_by.is_empty(),
        barred_reason: (!barred_by.is_empty()).then(|| barred_by.join("; ")),
        decided_by_tie_break: false,
        indicators,
    }
}

/// `Dẫn đầu` indicators: scored against the bloc's largest overshoot, once
/// every unit is in.
pub(super) fn apply_leading(plan: &Plan, units: &mut [UnitResult]) {
    for (i, ind) in plan.indicators.iter().enumerate() {
        if ind.rule != Rule::Leading {
            continue;
        }
        let mut who = Vec::new();
        let mut values = Vec::new();
        for (u, unit) in units.iter().enumerate() {
            let r = &unit.indicators[i];
            if unit.status != UnitStatus::Ranked {
                continue;
            }
            if let (Achieved::Number(a), Some(t)) = (&r.achieved, r.target.reference())
                && t > 0.0
            {
                who.push(u);
                values.push((*a, t));
            }
        }
        for (u, score) in who.into_iter().zip(leading_scores(ind.max_points, &values)) {
            units[u].indicators[i].computed = score;
        }
    }
}

/// Final scores by the plan's precedence, then the unit's totals.
pub(super) fn totals(plan: &Plan, u: &mut UnitResult, uses_converted: bool) {
    let mut self_sum = 0.0;
    let mut final_sum = 0.0;
    let mut assigned = 0.0;
    let mut sections: BTreeMap<String, f64> = BTreeMap::new();
    for (ind, r) in plan.indicators.iter().zip(u.indicators.iter_mut()) {
        self_sum += r.self_score.unwrap_or(0.0);
        if r.achieved == Achieved::NotAssigned {
            r.final_score = None;
            continue;
        }
        assigned += ind.max_points;
        let chosen = plan.score_order.iter().find_map(|s| match s {
            ScoreSource::Reviewed => r.reviewed,
            ScoreSource::Computed => r.computed,
            ScoreSource::SelfScore => r.self_score,
        });
        // A score outside 0..=maximum was reported; it counts within bounds.
        let score = round2(chosen.unwrap_or(0.0).clamp(0.0, ind.max_points));
        r.final_score = Some(score);
        final_sum += score;
        match sections.get_mut(&ind.section) {
            Some(sum) => *sum += score,
            None => {
                sections.insert(ind.section.clone(), score);
            }
        }
    }
    u.self_total = round2(self_sum + u.bonus - u.penalty);
    u.indicator_total = round2(final_sum);
    u.assigned_max = round2(assigned);
    u.total = round2(final_sum + u.bonus - u.penalty);
    u.section_totals = sections.into_iter().map(|(k, v)| (k, round2(v))).collect();
    u.converted = (uses_converted && assigned > 0.0)
        .then(|| round2(final_sum / assigned * plan.scale + u.bonus - u.penalty));
    u.ranking_score = u.converted.unwrap_or(u.total);
    if u.status == UnitStatus::Ranked {
        u.grade = rank::grade(&plan.grades, u.ranking_score);
    }
}

pub(super) fn place(plan: &Plan, units: &mut [UnitResult]) {
    let entries: Vec<Entry> = units
        .iter()
        .filter(|u| u.status == UnitStatus::Ranked)
        .map(|u| Entry {
            id: u.code.clone(),
            score: u.ranking_score,
            keys: plan
                .tie_break
                .iter()
                .map(|t| match t {
                    TieBreak::Section(id) => u
                        .section_totals
                        .iter()
                        .find(|(k, _)| crate::text::label_key(k) == crate::text::label_key(id))
                        .map_or(0.0, |(_, v)| *v),
                    TieBreak::Penalty => -u.penalty,
                    TieBreak::Bonus => u.bonus,
                })
                .collect(),
            grade: u.grade,
            barred: u.barred,
        })
        .collect();
    let position: std::collections::HashMap<String, usize> = units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.code.clone(), i))
        .collect();
    for p in rank::rank(&entries, &plan.awards, plan.units.len()) {
        if let Some(u) = position.get(&p.id).map(|&i| &mut units[i]) {
            u.rank = Some(p.rank);
            u.shared_rank = p.shared;
            u.award = p.award;
            u.needs_vote = p.needs_vote;
            u.decided_by_tie_break = p.by_tie_break;
        }
    }
}
