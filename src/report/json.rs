//! The JSON documents the commands write, one typed layer with their
//! schema versions (docs/json.md): `thidua/check/1`, `thidua/plan/1`,
//! `thidua/consolidate/1`. Each is serialised straight from the results,
//! never built as one JSON value, so a national run stays within bounded
//! memory. A change to a document's shape changes its schema version.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::bloc::{Consolidation, FileStatus};
use crate::finding::{Code, Finding};
use crate::messages::{Lang, message};
use crate::plan::{Plan, PlanLoad};
use crate::submission::Submission;

pub const CHECK_SCHEMA: &str = "thidua/check/1";
pub const PLAN_SCHEMA: &str = "thidua/plan/1";
pub const CONSOLIDATE_SCHEMA: &str = "thidua/consolidate/1";

/// Everything learnt about one file.
#[derive(Debug, Serialize)]
pub struct FileReport {
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_name: Option<String>,
    pub errors: usize,
    pub warnings: usize,
    pub findings: Vec<Finding>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submission: Option<Submission>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annotated: Option<String>,
}

/// The `--format json` document, schema `thidua/check/1` (docs/json.md).
#[derive(Serialize)]
pub struct CheckDoc<'a> {
    schema: &'static str,
    plan: &'a str,
    fingerprint: String,
    period: &'a str,
    summary: Summary,
    files: &'a [FileReport],
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    files_with_errors: usize,
    errors: usize,
    warnings: usize,
}

/// The `check --format json` document.
pub fn check_doc<'a>(plan: &'a Plan, period: &'a str, reports: &'a [FileReport]) -> CheckDoc<'a> {
    CheckDoc {
        schema: CHECK_SCHEMA,
        plan: &plan.code,
        fingerprint: plan.fingerprint(),
        period,
        summary: Summary {
            files: reports.len(),
            files_with_errors: reports.iter().filter(|r| r.errors > 0).count(),
            errors: reports.iter().map(|r| r.errors).sum(),
            warnings: reports.iter().map(|r| r.warnings).sum(),
        },
        files: reports,
    }
}

/// The `plan --format json` document. Built as a value: its keys are
/// sorted, as they always were.
pub fn plan_doc(file: &str, loaded: &PlanLoad) -> serde_json::Value {
    serde_json::json!({
        "schema": PLAN_SCHEMA,
        "file": file,
        "fingerprint": loaded.plan.fingerprint(),
        "plan": loaded.plan,
        "findings": loaded.findings,
    })
}

/// The JSON document, schema `thidua/consolidate/1` (docs/json.md),
/// serialised straight from the results (never built as one JSON value, so
/// a national run stays within bounded memory).
#[derive(Serialize)]
pub struct ConsolidateDoc<'a> {
    schema: &'static str,
    plan: &'a str,
    bloc: &'a str,
    period: &'a str,
    scale: f64,
    uses_converted: bool,
    units: Vec<UnitEntry<'a>>,
    files: &'a [crate::bloc::FileRecord],
    bloc_targets: &'a [crate::bloc::BlocTarget],
    /// Incomplete units to resolve before the awards stand.
    awards_pending: &'a [String],
    findings: Vec<FindingEntry<'a>>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum UnitEntry<'a> {
    Member(Box<MemberEntry<'a>>),
    Stranger {
        code: String,
        name: String,
        status: &'static str,
        file: &'a str,
    },
}

/// A member's entry: the unit's figures (its indicator list replaced by a
/// map from code to figures).
#[derive(Serialize)]
struct MemberEntry<'a> {
    code: &'a str,
    name: &'a str,
    status: crate::bloc::UnitStatus,
    file: Option<&'a str>,
    file_errors: usize,
    report_date: Option<chrono::NaiveDate>,
    rank: Option<u32>,
    shared_rank: bool,
    total: f64,
    converted: Option<f64>,
    ranking_score: f64,
    self_total: f64,
    indicator_total: f64,
    assigned_max: f64,
    bonus: f64,
    penalty: f64,
    section_totals: &'a BTreeMap<String, f64>,
    grade: Option<crate::text::words::Grade>,
    award: Option<&'a str>,
    provisional_award: Option<&'a str>,
    unread: &'a [crate::bloc::Unread],
    needs_vote: Option<&'a str>,
    barred: bool,
    barred_reason: Option<&'a str>,
    decided_by_tie_break: bool,
    indicators: BTreeMap<&'a str, IndicatorEntry<'a>>,
}

#[derive(Serialize)]
struct IndicatorEntry<'a> {
    achieved: &'a crate::score::Achieved,
    target: &'a crate::text::target::Target,
    met: Option<bool>,
    exceeded: bool,
    #[serde(rename = "self")]
    self_score: Option<f64>,
    computed: Option<f64>,
    reviewed: Option<f64>,
    review_reason: Option<&'a str>,
    #[serde(rename = "final")]
    final_score: Option<f64>,
}

#[derive(Serialize)]
struct FindingEntry<'a> {
    #[serde(flatten)]
    finding: &'a Finding,
    message: String,
}

pub fn to_json<'a>(
    plan: &'a crate::plan::Plan,
    r: &'a Consolidation,
    lang: Lang,
) -> ConsolidateDoc<'a> {
    let mut units: Vec<UnitEntry> = r
        .units
        .iter()
        .map(|u| {
            let indicators = u
                .indicators
                .iter()
                .map(|i| {
                    (
                        i.code.as_str(),
                        IndicatorEntry {
                            achieved: &i.achieved,
                            target: &i.target,
                            met: i.met(),
                            exceeded: i.exceeded(),
                            self_score: i.self_score,
                            computed: i.computed,
                            reviewed: i.reviewed,
                            review_reason: i.review_reason.as_deref(),
                            final_score: i.final_score,
                        },
                    )
                })
                .collect();
            UnitEntry::Member(Box::new(MemberEntry {
                code: &u.code,
                name: &u.name,
                status: u.status,
                file: u.file.as_deref(),
                file_errors: u.file_errors,
                report_date: u.report_date,
                rank: u.rank,
                shared_rank: u.shared_rank,
                total: u.total,
                converted: u.converted,
                ranking_score: u.ranking_score,
                self_total: u.self_total,
                indicator_total: u.indicator_total,
                assigned_max: u.assigned_max,
                bonus: u.bonus,
                penalty: u.penalty,
                section_totals: &u.section_totals,
                grade: u.grade,
                award: u.award.as_deref(),
                provisional_award: u.provisional_award.as_deref(),
                unread: &u.unread,
                needs_vote: u.needs_vote.as_deref(),
                barred: u.barred,
                barred_reason: u.barred_reason.as_deref(),
                decided_by_tie_break: u.decided_by_tie_break,
                indicators,
            }))
        })
        .collect();
    for f in r.files.iter().filter(|f| f.status == FileStatus::NotInBloc) {
        let found = r
            .findings
            .iter()
            .find(|x| x.code == Code::NotInBloc && x.file == f.file)
            .and_then(|x| x.found.clone())
            .unwrap_or_default();
        units.push(UnitEntry::Stranger {
            name: found.clone(),
            code: found,
            status: "not-in-bloc",
            file: &f.file,
        });
    }
    ConsolidateDoc {
        schema: CONSOLIDATE_SCHEMA,
        plan: &plan.code,
        bloc: &plan.bloc,
        period: &r.period,
        scale: plan.scale,
        uses_converted: r.uses_converted,
        units,
        files: &r.files,
        bloc_targets: &r.bloc_targets,
        awards_pending: &r.awards_pending,
        findings: r
            .findings
            .iter()
            .map(|f| FindingEntry {
                finding: f,
                message: message(f, lang),
            })
            .collect(),
    }
}
