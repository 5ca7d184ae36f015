//! Consolidating the bloc (tổng hợp): one counted submission per member
//! (the latest `Ngày báo cáo`; equal dates with different content are a
//! conflict), scores per the plan's precedence with the leader's review,
//! `Dẫn đầu` computed across the bloc, totals, converted scores when an
//! indicator is not assigned, ranking and awards, and the bloc's own
//! targets. Pure: it takes what was read and returns data; it prints nothing
//! and its result does not depend on the order of the files.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::finding::{Code, Finding};
use crate::plan::{AdjustmentKind, Aggregate, Period, Plan, Rule, ScoreSource, TieBreak};
use crate::rank::{self, Entry};
use crate::review::Review;
use crate::score::{Achieved, EPS, Outcome, leading_scores, outcome, round2};
use crate::submission::Submission;
use crate::text::number::{format_date, format_vi};
use crate::text::target::Target;
use crate::text::words::Grade;

/// One file as read, ready to be consolidated.
#[derive(Debug, Clone)]
pub struct ReadFile {
    pub file: String,
    /// When the file arrived, from the intake ledger; decides which of a
    /// unit's files counts, and lateness.
    pub received: Option<chrono::NaiveDateTime>,
    /// `None` when the file could not be read at all.
    pub submission: Option<Submission>,
    pub findings: Vec<Finding>,
    /// Refused at intake for its errors (the ledger's `rejected`): it tells
    /// that the unit sent something, but it is never counted.
    pub rejected: bool,
}

/// What became of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileStatus {
    Counted,
    Superseded,
    Conflict,
    NotInBloc,
    OtherPlan,
    OtherPeriod,
    Unreadable,
    /// Refused at intake for its errors.
    Rejected,
}

/// Nộp báo cáo: one row of the submissions register.
#[derive(Debug, Clone, Serialize)]
pub struct FileRecord {
    pub file: String,
    pub unit: Option<String>,
    pub period: Option<String>,
    pub report_date: Option<NaiveDate>,
    pub received: Option<chrono::NaiveDateTime>,
    pub status: FileStatus,
    /// Days after the deadline, when late.
    pub late_days: Option<i64>,
    pub errors: usize,
    pub warnings: usize,
}

/// A unit's place in the consolidation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnitStatus {
    Ranked,
    /// Chưa nộp – không xếp loại.
    Missing,
    /// Two different submissions on the same date.
    Conflict,
    /// Có lỗi – chưa xếp loại: what the unit sent was refused at intake for
    /// its errors, and nothing acceptable followed.
    Rejected,
    /// Chưa đủ số liệu: some indicator or bonus/penalty figure could not be
    /// read and the review does not supply it; not ranked, graded or awarded.
    Incomplete,
}

/// A figure of an incomplete unit that could not be read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unread {
    /// The indicator or bonus/penalty code.
    pub code: String,
    pub reason: UnreadReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnreadReason {
    /// The workbook has no row for the indicator.
    NoRow,
    /// A self-scored indicator without a readable score.
    NoScore,
    /// A rule-scored indicator whose achieved value is empty or unreadable.
    NoAchieved,
    /// A bonus/penalty row whose count or points are unreadable.
    Adjustment,
}

impl Unread {
    pub fn text(&self, english: bool) -> String {
        let why = match (self.reason, english) {
            (UnreadReason::NoRow, false) => "thiếu dòng",
            (UnreadReason::NoRow, true) => "no row",
            (UnreadReason::NoScore, false) => "thiếu điểm tự chấm",
            (UnreadReason::NoScore, true) => "no self score",
            (UnreadReason::NoAchieved, false) => "chưa đọc được kết quả",
            (UnreadReason::NoAchieved, true) => "achieved value not read",
            (UnreadReason::Adjustment, false) => "chưa đọc được số lần / điểm",
            (UnreadReason::Adjustment, true) => "count or points not read",
        };
        format!("{} ({why})", self.code)
    }
}

/// One indicator of one unit.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorResult {
    pub code: String,
    pub achieved: Achieved,
    pub target: Target,
    pub outcome: Option<Outcome>,
    #[serde(rename = "self")]
    pub self_score: Option<f64>,
    pub computed: Option<f64>,
    pub reviewed: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review_reason: Option<String>,
    /// The score that counts; `None` when not assigned (Không giao).
    #[serde(rename = "final")]
    pub final_score: Option<f64>,
}

impl IndicatorResult {
    pub fn met(&self) -> Option<bool> {
        self.outcome.map(Outcome::is_met)
    }

    pub fn exceeded(&self) -> bool {
        self.outcome == Some(Outcome::Exceeded)
    }
}

/// One member unit's result.
#[derive(Debug, Clone, Serialize)]
pub struct UnitResult {
    pub code: String,
    pub name: String,
    pub status: UnitStatus,
    pub file: Option<String>,
    /// Errors found in that file.
    pub file_errors: usize,
    pub report_date: Option<NaiveDate>,
    pub rank: Option<u32>,
    pub shared_rank: bool,
    /// Σ self scores + bonus − penalty.
    pub self_total: f64,
    /// Σ final indicator scores.
    pub indicator_total: f64,
    pub bonus: f64,
    pub penalty: f64,
    /// Σ final scores + bonus − penalty.
    pub total: f64,
    /// Σ maximum points of the indicators assigned to the unit.
    pub assigned_max: f64,
    /// total on the plan's scale when an indicator is not assigned:
    /// Σ final / assigned maximum × scale + bonus − penalty.
    pub converted: Option<f64>,
    /// The score the ranking used.
    pub ranking_score: f64,
    pub section_totals: BTreeMap<String, f64>,
    pub grade: Option<Grade>,
    pub award: Option<String>,
    /// The award this unit would be proposed for once the incomplete units
    /// that could change it are resolved (tạm tính).
    pub provisional_award: Option<String>,
    /// What could not be read (for an incomplete unit).
    pub unread: Vec<Unread>,
    /// The award this unit is tied for at the quota's edge (cần bình xét).
    pub needs_vote: Option<String>,
    pub barred: bool,
    pub barred_reason: Option<String>,
    pub decided_by_tie_break: bool,
    pub indicators: Vec<IndicatorResult>,
}

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

/// The whole consolidation.
#[derive(Debug, Clone, Serialize)]
pub struct Consolidation {
    pub plan: String,
    pub period: String,
    pub period_name: String,
    pub deadline: Option<NaiveDate>,
    /// True when an indicator is not assigned to some unit and the ranking
    /// uses converted scores.
    pub uses_converted: bool,
    pub units: Vec<UnitResult>,
    pub files: Vec<FileRecord>,
    pub bloc_targets: Vec<BlocTarget>,
    /// Incomplete units that could still change the award proposal; while
    /// any is listed, the awards are provisional.
    pub awards_pending: Vec<String>,
    pub findings: Vec<Finding>,
}

/// The content of a submission that decides whether two same-day files are
/// the same report.
fn content_key(s: &Submission) -> String {
    serde_json::to_string(&(&s.rows, &s.adjustments, &s.registered)).unwrap_or_default()
}

pub fn consolidate(
    plan: &Plan,
    period: &Period,
    files: &[ReadFile],
    reviews: &[Review],
) -> Consolidation {
    let mut sorted: Vec<&ReadFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.file.cmp(&b.file));
    let mut findings: Vec<Finding> = Vec::new();
    let mut records: Vec<FileRecord> = Vec::new();
    // Candidates per member unit.
    let mut by_unit: BTreeMap<String, Vec<&ReadFile>> = BTreeMap::new();
    // The last refused file of each unit (files sorted by name, which the
    // archive stamps with the time received).
    let mut rejected: BTreeMap<String, &ReadFile> = BTreeMap::new();
    for rf in &sorted {
        let unit = rf.submission.as_ref().and_then(|s| s.unit.clone());
        for f in &rf.findings {
            let mut f = f.clone();
            if f.unit.is_none() {
                f.unit = unit.clone();
            }
            findings.push(f);
        }
        let record = |status| FileRecord {
            file: rf.file.clone(),
            unit: unit.clone(),
            period: rf.submission.as_ref().and_then(|s| s.period.clone()),
            report_date: rf.submission.as_ref().and_then(|s| s.report_date),
            received: rf.received,
            status,
            late_days: None,
            errors: crate::finding::count(&rf.findings, crate::finding::Severity::Error),
            warnings: crate::finding::count(&rf.findings, crate::finding::Severity::Warning),
        };
        let Some(sub) = &rf.submission else {
            records.push(record(FileStatus::Unreadable));
            continue;
        };
        if rf.findings.iter().any(|f| f.code == Code::WrongPlan) {
            // Reported by the reader (`wrong-plan`); never counted.
            records.push(record(FileStatus::OtherPlan));
            continue;
        }
        let Some(code) = &sub.unit else {
            // The reader said the unit is unknown; in a consolidation that
            // is one fact — the file is not of the bloc — said once, at the
            // reader's cell.
            records.push(record(FileStatus::NotInBloc));
            let said = findings
                .iter_mut()
                .rev()
                .take(rf.findings.len())
                .find(|f| f.code == Code::UnknownUnit);
            match said {
                Some(f) => {
                    f.code = Code::NotInBloc;
                    f.severity = Code::NotInBloc.severity();
                    f.expected = None;
                }
                None => findings.push(Finding::new(Code::NotInBloc, &rf.file)),
            }
            continue;
        };
        if sub.period.as_deref().is_some_and(|p| p != period.code) {
            records.push(record(FileStatus::OtherPeriod));
            findings.push(
                Finding::new(Code::OtherPeriod, &rf.file)
                    .unit(code)
                    .found(sub.period.clone().unwrap_or_default())
                    .expected(period.code.clone()),
            );
            continue;
        }
        if rf.rejected {
            records.push(record(FileStatus::Rejected));
            rejected.insert(code.clone(), rf);
            continue;
        }
        records.push(record(FileStatus::Counted));
        by_unit.entry(code.clone()).or_default().push(rf);
    }

    // One submission per unit: the latest report date; same-day different
    // content is a conflict.
    let mut counted: BTreeMap<String, &Submission> = BTreeMap::new();
    let mut conflicts: Vec<String> = Vec::new();
    for (unit, mut list) in by_unit {
        // Latest first: by the report date, then by when it arrived.
        list.sort_by(|a, b| {
            let key = |rf: &ReadFile| {
                (
                    rf.submission.as_ref().and_then(|s| s.report_date),
                    rf.received,
                )
            };
            key(b).cmp(&key(a)).then_with(|| a.file.cmp(&b.file))
        });
        let newest = list[0];
        let newest_sub = newest
            .submission
            .as_ref()
            .expect("counted files have submissions");
        let same_day: Vec<&&ReadFile> = list
            .iter()
            .skip(1)
            .filter(|rf| {
                rf.submission.as_ref().and_then(|s| s.report_date) == newest_sub.report_date
                    && rf.received == newest.received
            })
            .collect();
        let differing: Vec<&&ReadFile> = same_day
            .iter()
            .copied()
            .filter(|rf| {
                content_key(rf.submission.as_ref().expect("read")) != content_key(newest_sub)
            })
            .collect();
        let date_text = newest_sub
            .report_date
            .map(format_date)
            .unwrap_or_else(|| "?".into());
        if !differing.is_empty() {
            // Every file of that day is in the conflict, copies included.
            conflicts.push(unit.clone());
            let all: Vec<&str> = std::iter::once(newest.file.as_str())
                .chain(same_day.iter().map(|rf| rf.file.as_str()))
                .collect();
            for file in &all {
                findings.push(
                    Finding::new(Code::Conflict, *file)
                        .unit(&unit)
                        .found(date_text.clone())
                        .expected(all.join(" ≠ ")),
                );
                set_status(&mut records, file, FileStatus::Conflict);
            }
            for rf in list.iter().skip(1 + same_day.len()) {
                set_status(&mut records, &rf.file, FileStatus::Superseded);
            }
            continue;
        }
        for rf in list.iter().skip(1) {
            findings.push(
                Finding::new(Code::Superseded, &rf.file)
                    .unit(&unit)
                    .expected(format!("{}, {}", newest.file, date_text)),
            );
            set_status(&mut records, &rf.file, FileStatus::Superseded);
        }
        counted.insert(unit, newest_sub);
    }

    // Lateness against the period's deadline: when the file arrived, where
    // the intake ledger says, else the report's own date.
    if let Some(deadline) = period.deadline {
        for r in records
            .iter_mut()
            .filter(|r| r.status == FileStatus::Counted)
        {
            if let Some(d) = r.received.map(|t| t.date()).or(r.report_date)
                && d > deadline
            {
                r.late_days = Some((d - deadline).num_days());
                findings.push(
                    Finding::new(Code::Late, &r.file)
                        .unit(r.unit.clone().unwrap_or_default())
                        .found(format_date(d))
                        .expected(format_date(deadline)),
                );
            }
        }
    }

    let mut units: Vec<UnitResult> = plan
        .units
        .iter()
        .map(|u| {
            let status = if conflicts.contains(&u.code) {
                UnitStatus::Conflict
            } else if counted.contains_key(&u.code) {
                UnitStatus::Ranked
            } else if rejected.contains_key(&u.code) {
                UnitStatus::Rejected
            } else {
                findings.push(
                    Finding::new(Code::NotSubmitted, "")
                        .unit(&u.code)
                        .found(u.code.clone())
                        .expected(period.code.clone()),
                );
                UnitStatus::Missing
            };
            unit_result(
                plan,
                u,
                status,
                counted.get(&u.code).copied(),
                reviews,
                &mut findings,
            )
        })
        .collect();
    for u in &mut units {
        let file = match u.status {
            UnitStatus::Rejected => rejected.get(&u.code).map(|rf| rf.file.as_str()),
            _ => u.file.as_deref(),
        };
        if let Some(record) = file.and_then(|f| records.iter().find(|r| r.file == f)) {
            u.file = Some(record.file.clone());
            u.file_errors = record.errors;
        }
    }
    apply_leading(plan, &mut units);
    for u in &mut units {
        if let Some(sub) = counted
            .get(&u.code)
            .filter(|_| u.status == UnitStatus::Ranked)
        {
            mark_unread(plan, u, sub, &mut findings);
        }
    }
    let uses_converted = units
        .iter()
        .filter(|u| u.status == UnitStatus::Ranked)
        .any(|u| {
            u.indicators
                .iter()
                .any(|i| i.achieved == Achieved::NotAssigned)
        });
    for u in &mut units {
        totals(plan, u, uses_converted);
    }
    place(plan, &mut units);
    let awards_pending = hold_awards(plan, &mut units, uses_converted);
    if !awards_pending.is_empty() {
        findings.push(Finding::new(Code::AwardsProvisional, "").found(awards_pending.join(", ")));
    }
    let bloc_targets = bloc_targets(plan, &units);
    findings.sort_by(|a, b| {
        (&a.file, &a.sheet, &a.cell, a.code, &a.indicator).cmp(&(
            &b.file,
            &b.sheet,
            &b.cell,
            b.code,
            &b.indicator,
        ))
    });
    Consolidation {
        plan: plan.code.clone(),
        period: period.code.clone(),
        period_name: period.name.clone(),
        deadline: period.deadline,
        uses_converted,
        units,
        files: records,
        bloc_targets,
        awards_pending,
        findings,
    }
}

/// Marks a unit incomplete when a figure its total needs was not read and
/// the review does not supply it: an indicator without a row, a
/// rule-scored indicator whose achieved value is unknown (so its score is),
/// a self-scored one without a score, a bonus/penalty row not read.
/// Errors the tool resolves by a rule (a score above the maximum is capped,
/// an over-claim takes the computed score) leave nothing unknown.
fn mark_unread(plan: &Plan, u: &mut UnitResult, sub: &Submission, findings: &mut Vec<Finding>) {
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
fn hold_awards(plan: &Plan, units: &mut [UnitResult], uses_converted: bool) -> Vec<String> {
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

fn set_status(records: &mut [FileRecord], file: &str, status: FileStatus) {
    if let Some(r) = records.iter_mut().find(|r| r.file == file) {
        r.status = status;
    }
}

fn unit_result(
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
fn apply_leading(plan: &Plan, units: &mut [UnitResult]) {
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
fn totals(plan: &Plan, u: &mut UnitResult, uses_converted: bool) {
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
        *sections.entry(ind.section.clone()).or_default() += score;
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

fn place(plan: &Plan, units: &mut [UnitResult]) {
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

fn bloc_targets(plan: &Plan, units: &[UnitResult]) -> Vec<BlocTarget> {
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
