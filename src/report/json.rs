//! The JSON documents the commands write, one typed layer with their
//! schema versions (docs/json.md): `thidua/check/1`, `thidua/plan/1`,
//! `thidua/consolidate/1`. Each is serialised straight from the results,
//! never built as one JSON value, so a national run stays within bounded
//! memory. A change to a document's shape changes its schema version.

use serde::Serialize;

use crate::bloc::{Consolidation, FileStatus, UnitResult};
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
    /// A member, as the model serialises it.
    Member(&'a UnitResult),
    /// A unit of another bloc whose file came in.
    Stranger {
        code: String,
        name: String,
        status: &'static str,
        file: &'a str,
    },
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
    let mut units: Vec<UnitEntry> = r.units.iter().map(UnitEntry::Member).collect();
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
