//! `thidua check --plan PLAN FILE...`: reads each unit workbook against the
//! plan and reports every problem by file, sheet and cell; one bad file
//! never stops the batch. Optionally writes annotated copies.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;

use super::{Status, expand_inputs, finding_line, load_valid_plan, require_files, resolve_period};
use crate::cli::{CheckArgs, OutputFormat};
use crate::finding::{Code, Finding, Severity};
use crate::messages::{Lang, counted};
use crate::plan::Plan;
use crate::report::annotate;
use crate::report::json::{self, FileReport};
use crate::submission::{self, Expect, Opened};

pub fn run(args: &CheckArgs, lang: Lang) -> Result<Status> {
    let plan = load_valid_plan(&args.plan, lang)?;
    let period = resolve_period(&plan, args.period.as_deref(), lang)?
        .code
        .clone();
    let files = expand_inputs(&args.files, lang)?;
    require_files(&files, &args.files, lang)?;
    if let Some(dir) = &args.annotate {
        std::fs::create_dir_all(dir)?;
    }
    let expect = Expect {
        period: args.period.as_deref(),
        name: None,
    };
    let reports = super::parallel_map(&files, args.jobs, |path| {
        check_file(path, &plan, &expect, args.annotate.as_deref(), lang)
    });
    let status = Status::from_findings(reports.iter().flat_map(|r| &r.findings));
    // Buffered: a national check prints megabytes.
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        OutputFormat::Json => {
            let doc = json::check_doc(&plan, &period, &reports);
            // Streamed from the reports, never built as one JSON value.
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
        OutputFormat::Text => print_text(&mut out, &plan, &period, &reports, lang)?,
    }
    out.flush()?;
    Ok(status)
}

/// Checks one file; never fails: an unreadable file is a finding.
fn check_file(
    path: &Path,
    plan: &Plan,
    expect: &Expect,
    annotate_dir: Option<&Path>,
    lang: Lang,
) -> FileReport {
    let file = path.display().to_string();
    let (book, submission, mut findings) = match submission::open(path, plan, expect) {
        Opened::Read {
            book,
            submission,
            findings,
        } => (Some(book), Some(*submission), findings),
        Opened::Skipped(f) | Opened::Unreadable(f) => (None, None, vec![f]),
    };
    let mut annotated = None;
    if let (Some(dir), Some(book)) = (annotate_dir, &book) {
        match annotated_path(dir, path) {
            Some(out) => match annotate::write(book, path, &findings, lang, &out, true) {
                Ok(()) => annotated = Some(out.display().to_string()),
                Err(e) => findings.push(
                    Finding::new(Code::UnreadableFile, out.display().to_string()).found(
                        match std::error::Error::source(&e) {
                            Some(cause) => format!("{e}: {cause}"),
                            None => e.to_string(),
                        },
                    ),
                ),
            },
            None => findings.push(Finding::new(Code::UnreadableFile, &file).found(
                "the annotated copy would replace the original; choose another --annotate folder",
            )),
        }
    }
    // The results outlive the workbook: copy them out of its heap region,
    // so what a national run keeps is compact (measured: half the peak memory).
    drop(book);
    let (submission, findings) = (submission.clone(), findings.clone());
    let unit_name = submission
        .as_ref()
        .and_then(|s| s.unit.as_deref())
        .and_then(|u| plan.unit(u))
        .map(|u| u.name.clone());
    FileReport {
        file,
        unit_name,
        errors: crate::finding::count(&findings, Severity::Error),
        warnings: crate::finding::count(&findings, Severity::Warning),
        findings,
        submission,
        annotated,
    }
}

/// How many findings of one code are printed per file in text output.
const SHOWN_PER_CODE: usize = 5;

/// `DIR/<stem>.kiem-tra.xlsx`, or `None` when that is the input itself.
fn annotated_path(dir: &Path, input: &Path) -> Option<PathBuf> {
    let stem = input.file_stem()?.to_string_lossy();
    let out = dir.join(format!("{stem}.kiem-tra.xlsx"));
    let same = match (out.canonicalize(), input.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    (!same).then_some(out)
}

fn print_text(
    out: &mut impl Write,
    plan: &Plan,
    period: &str,
    reports: &[FileReport],
    lang: Lang,
) -> std::io::Result<()> {
    writeln!(
        out,
        "{} {} ({} {})",
        lang.pick("Kiểm tra theo kế hoạch", "Checked against plan"),
        plan.code,
        lang.pick("kỳ", "period"),
        period
    )?;
    for r in reports {
        writeln!(out)?;
        let who = match (&r.submission, &r.unit_name) {
            (Some(s), Some(name)) => format!(
                " — {} {name}{}",
                s.unit.as_deref().unwrap_or(""),
                s.period
                    .as_ref()
                    .map(|p| format!(" — {} {p}", lang.pick("kỳ", "period")))
                    .unwrap_or_default()
            ),
            _ => String::new(),
        };
        writeln!(out, "{}{who}", r.file)?;
        if r.findings.is_empty() {
            writeln!(out, "  ✓ {}", lang.pick("không có vấn đề", "no problems"))?;
        }
        let mut sorted: Vec<&Finding> = r.findings.iter().collect();
        sorted.sort_by_key(|f| f.severity);
        // A code repeated on many cells is shown a few times, then counted;
        // the JSON output and the annotated copy keep every one.
        let mut shown: std::collections::BTreeMap<Code, usize> = std::collections::BTreeMap::new();
        for f in &sorted {
            let seen = shown.entry(f.code).or_default();
            *seen += 1;
            if *seen <= SHOWN_PER_CODE {
                writeln!(out, "{}", finding_line(f, lang))?;
            }
        }
        for (code, count) in &shown {
            if *count > SHOWN_PER_CODE {
                let more = count - SHOWN_PER_CODE;
                writeln!(
                    out,
                    "  {:<9} {:<22} {code}: {}",
                    "",
                    "…",
                    match lang {
                        Lang::Vi => format!("và {more} ô nữa (xem --format json hoặc --annotate)"),
                        Lang::En =>
                            format!("and {more} more cells (see --format json or --annotate)"),
                    }
                )?;
            }
        }
        if let Some(a) = &r.annotated {
            writeln!(
                out,
                "  → {}: {a}",
                lang.pick("bản đánh dấu", "annotated copy")
            )?;
        }
    }
    let errors: usize = reports.iter().map(|r| r.errors).sum();
    let warnings: usize = reports.iter().map(|r| r.warnings).sum();
    let bad = reports.iter().filter(|r| r.errors > 0).count();
    writeln!(out)?;
    writeln!(
        out,
        "{}: {}; {}; {}, {}.",
        lang.pick("Tổng", "Total"),
        counted(reports.len(), "tệp", "file", "files", lang),
        match lang {
            Lang::Vi => format!("{bad} tệp có lỗi"),
            Lang::En => format!("{bad} with errors"),
        },
        counted(errors, "lỗi", "error", "errors", lang),
        counted(warnings, "cảnh báo", "warning", "warnings", lang),
    )
}
