//! Consolidating the bloc (tổng hợp): one counted submission per member
//! (the latest `Ngày báo cáo`; equal dates with different content are a
//! conflict), scores per the plan's precedence with the leader's review,
//! `Dẫn đầu` computed across the bloc, totals, converted scores when an
//! indicator is not assigned, ranking and awards, and the bloc's own
//! targets. Pure: it takes what was read and returns data; it prints nothing
//! and its result does not depend on the order of the files.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;

use crate::finding::{Code, Finding};
use crate::plan::{Period, Plan};
use crate::review::Review;
use crate::score::{Achieved, Outcome};
use crate::submission::Submission;
use crate::text::number::format_date;
use crate::text::target::Target;
use crate::text::words::Grade;

mod targets;
mod unit;

use targets::bloc_targets;
pub use targets::{BlocTarget, BlocVerdict};
use unit::{apply_leading, hold_awards, mark_unread, place, totals, unit_result};

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
#[derive(Debug, Clone)]
pub struct IndicatorResult {
    pub code: String,
    pub achieved: Achieved,
    pub target: Target,
    pub outcome: Option<Outcome>,
    pub self_score: Option<f64>,
    pub computed: Option<f64>,
    pub reviewed: Option<f64>,
    pub review_reason: Option<String>,
    /// The score that counts; `None` when not assigned (Không giao).
    pub final_score: Option<f64>,
}

/// As the JSON has it (docs/json.md): keyed by its code in the unit's map,
/// the outcome said as `met` and `exceeded`.
impl Serialize for IndicatorResult {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("IndicatorResult", 9)?;
        st.serialize_field("achieved", &self.achieved)?;
        st.serialize_field("target", &self.target)?;
        st.serialize_field("met", &self.met())?;
        st.serialize_field("exceeded", &self.exceeded())?;
        st.serialize_field("self", &self.self_score)?;
        st.serialize_field("computed", &self.computed)?;
        st.serialize_field("reviewed", &self.reviewed)?;
        st.serialize_field("review_reason", &self.review_reason)?;
        st.serialize_field("final", &self.final_score)?;
        st.end()
    }
}

impl IndicatorResult {
    pub fn met(&self) -> Option<bool> {
        self.outcome.map(Outcome::is_met)
    }

    pub fn exceeded(&self) -> bool {
        self.outcome == Some(Outcome::Exceeded)
    }
}

/// One member unit's result. Serialised as the `units` entries of the
/// consolidation's JSON (docs/json.md), in this field order.
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
    /// Σ final scores + bonus − penalty.
    pub total: f64,
    /// total on the plan's scale when an indicator is not assigned:
    /// Σ final / assigned maximum × scale + bonus − penalty.
    pub converted: Option<f64>,
    /// The score the ranking used.
    pub ranking_score: f64,
    /// Σ self scores + bonus − penalty.
    pub self_total: f64,
    /// Σ final indicator scores.
    pub indicator_total: f64,
    /// Σ maximum points of the indicators assigned to the unit.
    pub assigned_max: f64,
    pub bonus: f64,
    pub penalty: f64,
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
    /// Serialised as a map from indicator code to its figures.
    #[serde(serialize_with = "by_code")]
    pub indicators: Vec<IndicatorResult>,
}

/// The indicators of a unit as a map from code to figures.
fn by_code<S: serde::Serializer>(list: &[IndicatorResult], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(list.len()))?;
    // Ordered by code, as a map is.
    let mut sorted: Vec<&IndicatorResult> = list.iter().collect();
    sorted.sort_by(|a, b| a.code.cmp(&b.code));
    for i in sorted {
        map.serialize_entry(&i.code, i)?;
    }
    map.end()
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

/// The files sorted out: a record per file, the candidates of each member,
/// the last refused file of each, and the one submission that counts per
/// member (or a conflict).
struct Filing<'a> {
    records: Vec<FileRecord>,
    counted: BTreeMap<String, &'a Submission>,
    conflicts: Vec<String>,
    rejected: BTreeMap<String, &'a ReadFile>,
}

pub fn consolidate(
    plan: &Plan,
    period: &Period,
    files: &[ReadFile],
    reviews: &[Review],
) -> Consolidation {
    let mut findings: Vec<Finding> = Vec::new();
    let (mut records, by_unit, rejected) = sort_files(files, period, &mut findings);
    let (counted, conflicts) = choose_submissions(by_unit, &mut records, &mut findings);
    mark_late(period, &mut records, &mut findings);
    let filing = Filing {
        records,
        counted,
        conflicts,
        rejected,
    };
    let mut units = member_results(plan, period, &filing, reviews, &mut findings);
    let Filing {
        records, counted, ..
    } = filing;
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

/// Candidates of each member unit, by unit code.
type Candidates<'a> = BTreeMap<String, Vec<&'a ReadFile>>;

/// Records every file, says what each is (of another plan, period or bloc,
/// unreadable, refused) and gathers each member's candidates; the readers'
/// findings are kept, with their unit.
fn sort_files<'a>(
    files: &'a [ReadFile],
    period: &Period,
    findings: &mut Vec<Finding>,
) -> (
    Vec<FileRecord>,
    Candidates<'a>,
    BTreeMap<String, &'a ReadFile>,
) {
    let mut sorted: Vec<&ReadFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.file.cmp(&b.file));
    let mut records: Vec<FileRecord> = Vec::new();
    // Candidates per member unit.
    let mut by_unit: Candidates = BTreeMap::new();
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

    (records, by_unit, rejected)
}

/// One submission per member: the latest report; two different reports of
/// the same day are a conflict. The others are superseded.
fn choose_submissions<'a>(
    by_unit: Candidates<'a>,
    records: &mut [FileRecord],
    findings: &mut Vec<Finding>,
) -> (BTreeMap<String, &'a Submission>, Vec<String>) {
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
                set_status(records, file, FileStatus::Conflict);
            }
            for rf in list.iter().skip(1 + same_day.len()) {
                set_status(records, &rf.file, FileStatus::Superseded);
            }
            continue;
        }
        for rf in list.iter().skip(1) {
            findings.push(
                Finding::new(Code::Superseded, &rf.file)
                    .unit(&unit)
                    .expected(format!("{}, {}", newest.file, date_text)),
            );
            set_status(records, &rf.file, FileStatus::Superseded);
        }
        counted.insert(unit, newest_sub);
    }

    (counted, conflicts)
}

/// Lateness against the period's deadline: when the file arrived, where
/// the intake ledger says, else the report's own date.
fn mark_late(period: &Period, records: &mut [FileRecord], findings: &mut Vec<Finding>) {
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
}

/// Every member's result, in the plan's order: scored when its submission
/// counts, else with why not (missing, refused, conflict), with the file it
/// sent and that file's errors.
fn member_results(
    plan: &Plan,
    period: &Period,
    filing: &Filing,
    reviews: &[Review],
    findings: &mut Vec<Finding>,
) -> Vec<UnitResult> {
    let Filing {
        records,
        counted,
        conflicts,
        rejected,
    } = filing;
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
                findings,
            )
        })
        .collect();
    // Each file's record, the first where a path repeats; looked up once
    // per unit (a scan per unit costs a national run seconds).
    let mut by_file: HashMap<&str, &FileRecord> = HashMap::with_capacity(records.len());
    for r in records {
        by_file.entry(r.file.as_str()).or_insert(r);
    }
    for u in &mut units {
        let file = match u.status {
            UnitStatus::Rejected => rejected.get(&u.code).map(|rf| rf.file.as_str()),
            _ => u.file.as_deref(),
        };
        if let Some(record) = file.and_then(|f| by_file.get(f)) {
            u.file = Some(record.file.clone());
            u.file_errors = record.errors;
        }
    }
    units
}

fn set_status(records: &mut [FileRecord], file: &str, status: FileStatus) {
    if let Some(r) = records.iter_mut().find(|r| r.file == file) {
        r.status = status;
    }
}
