//! The monthly digest (bản tin tháng): who has submitted what, progress of
//! each unit towards the year's targets, indicators at risk, deadlines next
//! month, a provisional ranking and what changed since the previous month.
//! Built from the intake ledger and the stored workbooks as they stood at
//! the month's end. Pure once the files are read: it prints nothing.
//!
//! Projection (dự báo): a cumulative count (sáng kiến, cá nhân được khen)
//! is projected to the year's end in proportion to the part of the year its
//! period covers (value ÷ elapsed share); a level (a percentage, a rank, an
//! income) by the least-squares line through the periods reported so far,
//! or its latest value when there is one. A count that must stay under a
//! bound and already exceeds it cannot recover. An indicator whose
//! projection misses the target is "behind" (có nguy cơ không đạt).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::archive::{Entry, Verdict};
use crate::bloc::Consolidation;
use crate::bloc::{self, ReadFile, UnitStatus};
use crate::plan::{Indicator, Period, Plan};
use crate::score::round2;
use crate::score::{Achieved, Outcome, outcome};
use crate::submission::IndicatorRow;
use crate::submission::Submission;
use crate::text::target::Target;

/// A unit's submission for one period, as of the month's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "status", content = "days", rename_all = "kebab-case")]
pub enum SubmissionStatus {
    OnTime,
    /// Late by this many days.
    Late(i64),
    /// Sent, but every version had errors.
    Rejected,
    Missing,
}

/// Progress of one indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Progress {
    /// Already met for the year (a count reached, or the year-end report).
    Met,
    /// The projection reaches the target.
    OnTrack,
    /// The projection misses it: at risk (có nguy cơ).
    Behind,
    /// The year-end report missed it.
    NotMet,
    NotAssigned,
    NoData,
    /// No target to progress towards (Tự chấm).
    NoTarget,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorProgress {
    pub code: String,
    /// The period of the latest value.
    pub period: Option<String>,
    pub value: Option<f64>,
    /// Achieved ÷ target × 100 for "more is better" targets.
    pub percent_of_target: Option<f64>,
    pub projected: Option<f64>,
    pub status: Progress,
    /// Change since the unit's previous report.
    pub change: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitProgress {
    pub code: String,
    pub name: String,
    /// Submission status per period code, for the periods due by the month's end.
    pub submissions: BTreeMap<String, SubmissionStatus>,
    pub indicators: Vec<IndicatorProgress>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Deadline {
    pub period: String,
    pub name: String,
    pub deadline: NaiveDate,
    /// Units that have not sent an accepted report for it yet.
    pub waiting: Vec<String>,
}

/// A ledger line of the month.
#[derive(Debug, Clone, Serialize)]
pub struct Arrival {
    pub received: chrono::NaiveDateTime,
    pub unit: String,
    pub period: String,
    pub verdict: Verdict,
    pub late_days: Option<i64>,
}

/// An indicator whose status changed since the previous month.
#[derive(Debug, Clone, Serialize)]
pub struct StatusChange {
    pub unit: String,
    pub code: String,
    pub from: Progress,
    pub to: Progress,
}

#[derive(Debug, Clone, Serialize)]
pub struct Digest {
    pub plan: String,
    pub bloc: String,
    /// `2022-07`.
    pub month: String,
    pub month_end: NaiveDate,
    /// Periods due by the month's end, in plan order.
    pub periods_due: Vec<String>,
    pub units: Vec<UnitProgress>,
    pub deadlines_next_month: Vec<Deadline>,
    pub arrivals: Vec<Arrival>,
    pub changes: Vec<StatusChange>,
    /// Ranking on the latest period's accepted reports; provisional.
    pub provisional: Option<Consolidation>,
}

impl Digest {
    /// (unit, indicator) pairs at risk.
    pub fn at_risk(&self) -> Vec<(String, String)> {
        self.units
            .iter()
            .flat_map(|u| {
                u.indicators
                    .iter()
                    .filter(|i| matches!(i.status, Progress::Behind | Progress::NotMet))
                    .map(move |i| (u.code.clone(), i.code.clone()))
            })
            .collect()
    }
}

/// The stored files of the plan that count, read (a stored file that can
/// no longer be read is left out of the progress), with their ledger index.
pub fn read_counted(
    plan: &Plan,
    entries: &[Entry],
    archive: &std::path::Path,
) -> Vec<(usize, Submission)> {
    let mut submissions = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        if !(e.is_for(&plan.code) && e.counts()) {
            continue;
        }
        let expect = crate::submission::Expect {
            period: Some(&e.period),
            name: Some(&e.unit),
        };
        // A stored file that can no longer be read is left out of the progress.
        let (Some(sub), _) =
            crate::submission::open(&e.path_in(archive), plan, &expect).into_parts()
        else {
            continue;
        };
        submissions.push((i, sub));
    }
    submissions
}

/// The last day of a `YYYY-MM` month.
/// Why a month could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonthError {
    /// Not `YYYY-MM` nor `MM/YYYY`.
    Form,
    /// A month number outside 1–12.
    Range(u32),
}

/// A month as people write it — `2022-07`, `2022-7`, `07/2022`, `7/2022`
/// — in the canonical form `2022-07`.
pub fn parse_month(text: &str) -> Result<String, MonthError> {
    let t = text.trim();
    let (y, m) = match (t.split_once('-'), t.split_once('/')) {
        (Some((y, m)), None) => (y, m),
        (None, Some((m, y))) => (y, m),
        _ => return Err(MonthError::Form),
    };
    let year: i32 = y.trim().parse().map_err(|_| MonthError::Form)?;
    let month: u32 = m.trim().parse().map_err(|_| MonthError::Form)?;
    if !(1000..=9999).contains(&year) {
        return Err(MonthError::Form);
    }
    if !(1..=12).contains(&month) {
        return Err(MonthError::Range(month));
    }
    Ok(format!("{year}-{month:02}"))
}

pub fn month_end(month: &str) -> Option<NaiveDate> {
    let (y, m) = month.split_once('-')?;
    let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
    let first_next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)?
    };
    first_next.pred_opt()
}

/// Share of the year a period covers, from 1 January to its last day.
pub fn elapsed(period: &Period, year: i32) -> Option<f64> {
    let start = NaiveDate::from_ymd_opt(year, 1, 1)?;
    let end = NaiveDate::from_ymd_opt(year, 12, 31)?;
    let to = period.to?;
    Some(((to - start).num_days() + 1) as f64 / ((end - start).num_days() + 1) as f64)
}

/// Submission status of one unit for one period as of `until`.
pub fn submission_status(
    entries: &[Entry],
    plan: &str,
    unit: &str,
    period: &Period,
    until: NaiveDate,
) -> SubmissionStatus {
    let of_unit: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.is_for(plan) && e.unit == unit && e.period == period.code)
        .filter(|e| e.received.date() <= until)
        .collect();
    let ok: Vec<&&Entry> = of_unit.iter().filter(|e| e.counts()).collect();
    // The first accepted report decides lateness.
    match ok.iter().map(|e| e.received).min() {
        Some(first) => match period.deadline {
            Some(d) if first.date() > d => SubmissionStatus::Late((first.date() - d).num_days()),
            _ => SubmissionStatus::OnTime,
        },
        None if of_unit.iter().any(|e| e.verdict == Verdict::Rejected) => {
            SubmissionStatus::Rejected
        }
        None => SubmissionStatus::Missing,
    }
}

/// How an indicator's value moves through the year.
fn is_cumulative(target: &Target) -> bool {
    match target {
        Target::AtLeast { percent, .. }
        | Target::Above { percent, .. }
        | Target::Range { percent, .. } => !percent,
        Target::AtMost { percent, .. } | Target::Below { percent, .. } => !percent,
        Target::Zero => true,
        _ => false,
    }
}

/// Least-squares line through (t, v), evaluated at the year's end (t = 1).
fn trend(points: &[(f64, f64)]) -> Option<f64> {
    match points {
        [] => None,
        [(_, v)] => Some(*v),
        _ => {
            let n = points.len() as f64;
            let mt = points.iter().map(|p| p.0).sum::<f64>() / n;
            let mv = points.iter().map(|p| p.1).sum::<f64>() / n;
            let var: f64 = points.iter().map(|p| (p.0 - mt).powi(2)).sum();
            if var == 0.0 {
                return Some(mv);
            }
            let slope = points.iter().map(|p| (p.0 - mt) * (p.1 - mv)).sum::<f64>() / var;
            Some(mv + slope * (1.0 - mt))
        }
    }
}

/// One indicator's progress from a unit's reports in period order (share of
/// the year covered, report); the last is the latest.
pub fn indicator_progress(
    ind: &Indicator,
    reports: &[(f64, &str, &Submission)],
    final_period: bool,
) -> IndicatorProgress {
    let rows: Vec<(f64, &str, &IndicatorRow)> = reports
        .iter()
        .filter_map(|(t, p, s)| {
            s.rows
                .iter()
                .find(|r| r.code == ind.code)
                .map(|r| (*t, *p, r))
        })
        .collect();
    let numbers: Vec<(f64, f64)> = rows
        .iter()
        .filter_map(|(t, _, r)| match r.achieved {
            Achieved::Number(v) => Some((*t, v)),
            _ => None,
        })
        .collect();
    let latest = rows.last();
    let value = numbers.last().map(|p| p.1);
    let change = match numbers.as_slice() {
        [.., a, b] => Some(round2(b.1 - a.1)),
        _ => None,
    };
    let mut out = IndicatorProgress {
        code: ind.code.clone(),
        period: latest.map(|(_, p, _)| p.to_string()),
        value,
        percent_of_target: None,
        projected: None,
        status: Progress::NoData,
        change,
    };
    let Some((t, _, row)) = latest else {
        return out;
    };
    let target = &row.target;
    if *target == Target::None {
        out.status = Progress::NoTarget;
        return out;
    }
    if row.achieved == Achieved::NotAssigned {
        out.status = Progress::NotAssigned;
        return out;
    }
    out.percent_of_target = match (target.reference(), value) {
        (Some(r), Some(v)) if r > 0.0 => Some(round2(v / r * 100.0)),
        _ => None,
    };
    let now = outcome(target, &row.achieved, row.baseline);
    if final_period {
        out.status = match now {
            Some(o) if o.is_met() => Progress::Met,
            Some(_) => Progress::NotMet,
            None => Progress::NoData,
        };
        return out;
    }
    let cumulative = is_cumulative(target);
    let projected = if cumulative {
        value.filter(|_| *t > 0.0).map(|v| {
            // A count under a ceiling cannot shrink: the latest is the floor.
            if matches!(
                target,
                Target::AtMost { .. } | Target::Below { .. } | Target::Zero
            ) {
                v
            } else {
                v / t
            }
        })
    } else {
        trend(&numbers)
    };
    out.projected = projected.map(round2);
    out.status = match (now, projected) {
        (Some(o), _)
            if o.is_met()
                && cumulative
                && !matches!(
                    target,
                    Target::AtMost { .. } | Target::Below { .. } | Target::Zero
                ) =>
        {
            Progress::Met
        }
        (_, Some(p)) => match outcome(target, &Achieved::Number(p), row.baseline) {
            Some(o) if o.is_met() => Progress::OnTrack,
            Some(_) => Progress::Behind,
            None => Progress::NoData,
        },
        // Done words and grades: pending until the year's end.
        (Some(_), None) => Progress::OnTrack,
        (None, None) => Progress::NoData,
    };
    if let (Some(Outcome::NotMet), Target::Done | Target::Grade { .. }) = (now, target) {
        out.status = Progress::OnTrack;
    }
    out
}

/// Everything the digest needs from outside: the ledger, and each accepted
/// stored file read as a submission.
pub struct Inputs<'a> {
    pub entries: &'a [Entry],
    /// (ledger entry index, submission) for accepted entries.
    pub submissions: &'a [(usize, Submission)],
}

/// Builds the digest of a month (and, for its changes, the previous month's).
pub fn build(plan: &Plan, inputs: &Inputs, month: &str) -> Option<Digest> {
    let end = month_end(month)?;
    let current = build_one(plan, inputs, month, end, true);
    let prev_end = NaiveDate::from_ymd_opt(end.year(), end.month(), 1)?.pred_opt()?;
    // The previous month is built only for its statuses, not its ranking.
    let previous_month = prev_end.format("%Y-%m").to_string();
    let previous = build_one(plan, inputs, &previous_month, prev_end, false);
    let mut digest = current;
    for u in &digest.units {
        let Some(old) = previous.units.iter().find(|p| p.code == u.code) else {
            continue;
        };
        for i in &u.indicators {
            // Changes into or out of risk are news; on track becoming met is not.
            let risky = |p: Progress| matches!(p, Progress::Behind | Progress::NotMet);
            if let Some(o) = old.indicators.iter().find(|x| x.code == i.code)
                && o.status != i.status
                && (risky(o.status) || risky(i.status))
            {
                digest.changes.push(StatusChange {
                    unit: u.code.clone(),
                    code: i.code.clone(),
                    from: o.status,
                    to: i.status,
                });
            }
        }
    }
    Some(digest)
}

fn build_one(
    plan: &Plan,
    inputs: &Inputs,
    month: &str,
    end: NaiveDate,
    with_ranking: bool,
) -> Digest {
    let year = plan.year.unwrap_or(end.year());
    let due: Vec<&Period> = plan
        .periods
        .iter()
        .filter(|p| p.deadline.is_some_and(|d| d <= end))
        .collect();
    let final_code = plan.last_period().map(|p| p.code.clone());
    let accepted_ids: Vec<usize> = inputs
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.is_for(&plan.code) && e.counts() && e.received.date() <= end)
        .map(|(i, _)| i)
        .collect();
    let mut units = Vec::new();
    for unit in &plan.units {
        let submissions = due
            .iter()
            .map(|p| {
                (
                    p.code.clone(),
                    submission_status(inputs.entries, &plan.code, &unit.code, p, end),
                )
            })
            .collect();
        // The unit's latest accepted report of each period, in period order.
        let mut reports: Vec<(f64, &str, &Submission)> = Vec::new();
        for p in &plan.periods {
            let latest = inputs
                .submissions
                .iter()
                .filter(|(i, s)| {
                    accepted_ids.contains(i)
                        && s.unit.as_deref() == Some(&unit.code)
                        && s.period.as_deref() == Some(&p.code)
                })
                .max_by_key(|(i, s)| (s.report_date, inputs.entries[*i].received));
            if let (Some((_, s)), Some(t)) = (latest, elapsed(p, year)) {
                reports.push((t, &p.code, s));
            }
        }
        let final_period = reports
            .last()
            .is_some_and(|(_, p, _)| Some(p.to_string()) == final_code);
        let indicators = plan
            .indicators
            .iter()
            .map(|ind| indicator_progress(ind, &reports, final_period))
            .collect();
        units.push(UnitProgress {
            code: unit.code.clone(),
            name: unit.name.clone(),
            submissions,
            indicators,
        });
    }
    let next_start = end.succ_opt().unwrap_or(end);
    let next_end = month_end(&next_start.format("%Y-%m").to_string()).unwrap_or(next_start);
    let deadlines_next_month = plan
        .periods
        .iter()
        .filter_map(|p| {
            let d = p.deadline?;
            (d >= next_start && d <= next_end).then(|| Deadline {
                period: p.code.clone(),
                name: p.name.clone(),
                deadline: d,
                waiting: plan
                    .units
                    .iter()
                    .filter(|u| {
                        !matches!(
                            submission_status(inputs.entries, &plan.code, &u.code, p, end),
                            SubmissionStatus::OnTime | SubmissionStatus::Late(_)
                        )
                    })
                    .map(|u| u.code.clone())
                    .collect(),
            })
        })
        .collect();
    let month_start = NaiveDate::from_ymd_opt(end.year(), end.month(), 1).unwrap_or(end);
    let arrivals = inputs
        .entries
        .iter()
        .filter(|e| e.is_for(&plan.code))
        .filter(|e| e.received.date() >= month_start && e.received.date() <= end)
        .map(|e| Arrival {
            received: e.received,
            unit: e.unit.clone(),
            period: e.period.clone(),
            verdict: e.verdict,
            late_days: e.late_days,
        })
        .collect();
    // Provisional ranking on the latest period due.
    let provisional = due.last().filter(|_| with_ranking).map(|p| {
        let files: Vec<ReadFile> = inputs
            .submissions
            .iter()
            .filter(|(i, s)| accepted_ids.contains(i) && s.period.as_deref() == Some(&p.code))
            .map(|(i, s)| ReadFile {
                file: inputs.entries[*i].stored_name.clone(),
                received: Some(inputs.entries[*i].received),
                submission: Some(s.clone()),
                findings: Vec::new(),
                rejected: false,
            })
            .collect();
        let mut c = bloc::consolidate(plan, p, &files, &[]);
        for u in &mut c.units {
            // A provisional ranking proposes no award and calls no vote:
            // the year is not over.
            u.award = None;
            u.provisional_award = None;
            u.needs_vote = None;
            // A unit whose report was refused sent something: say so.
            if u.status == UnitStatus::Missing
                && let Some(e) = last_rejected(inputs.entries, &plan.code, &u.code, &p.code, end)
            {
                u.status = UnitStatus::Rejected;
                u.file = Some(e.stored_name.clone());
                u.file_errors = e.errors;
            }
        }
        c.awards_pending.clear();
        c
    });
    Digest {
        plan: plan.code.clone(),
        bloc: plan.bloc.clone(),
        month: month.to_string(),
        month_end: end,
        periods_due: due.iter().map(|p| p.code.clone()).collect(),
        units,
        deadlines_next_month,
        arrivals,
        changes: Vec::new(),
        provisional,
    }
}

/// The last file of a unit for a period that the intake refused, received
/// by the end of the month.
fn last_rejected<'e>(
    entries: &'e [Entry],
    plan: &str,
    unit: &str,
    period: &str,
    end: NaiveDate,
) -> Option<&'e Entry> {
    entries
        .iter()
        .filter(|e| e.is_for(plan) && e.unit == unit && e.period == period)
        .filter(|e| e.verdict == Verdict::Rejected && e.received.date() <= end)
        .max_by_key(|e| e.received)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_as_people_write_them() {
        assert_eq!(parse_month("2022-07"), Ok("2022-07".into()));
        assert_eq!(parse_month("2022-7"), Ok("2022-07".into()));
        assert_eq!(parse_month("07/2022"), Ok("2022-07".into()));
        assert_eq!(parse_month(" 7/2022 "), Ok("2022-07".into()));
        assert_eq!(parse_month("2022-13"), Err(MonthError::Range(13)));
        assert_eq!(parse_month("0/2022"), Err(MonthError::Range(0)));
        assert_eq!(parse_month("tháng bảy"), Err(MonthError::Form));
        assert_eq!(parse_month("22-07"), Err(MonthError::Form));
    }

    #[test]
    fn month_ends() {
        assert_eq!(month_end("2022-02"), NaiveDate::from_ymd_opt(2022, 2, 28));
        assert_eq!(month_end("2022-12"), NaiveDate::from_ymd_opt(2022, 12, 31));
        assert_eq!(month_end("2022-13"), None);
    }

    #[test]
    fn trend_extends_the_line_to_the_year_end() {
        assert_eq!(trend(&[(0.25, 91.0)]), Some(91.0));
        let p = trend(&[(0.25, 91.0), (0.5, 90.0)]).unwrap();
        assert!((p - 88.0).abs() < 1e-9, "{p}");
        assert_eq!(trend(&[]), None);
    }
}
