//! `thidua consolidate`: reads every unit workbook, applies the leader's
//! review, ranks, writes the consolidated workbook (and JSON), and prints a
//! summary table.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use std::collections::{HashMap, HashSet};

use super::{Status, expand_inputs, load_valid_plan, require_files, resolve_period};
use crate::archive;
use crate::archive::Verdict;
use crate::bloc::{self, Consolidation, ReadFile, UnitStatus};
use crate::cli::ConsolidateArgs;
use crate::finding::Finding;
use crate::finding::{Severity, count};
use crate::messages::unit_status;
use crate::messages::{Lang, counted, message};
use crate::output::write_atomic_with;
use crate::output::{self, Kind, Place};
use crate::plan::Plan;
use crate::report::consolidated;
use crate::report::json;
use crate::review;
use crate::submission::{self, Expect, Opened};
use crate::vocab::PROP_OUTPUT;
use crate::workbook;

pub fn run(args: &ConsolidateArgs, lang: Lang) -> Result<Status> {
    let out = output::name_for(&args.out, Kind::Xlsx, lang)?;
    let json = args
        .json
        .as_deref()
        .map(|p| output::name_for(p, Kind::Json, lang))
        .transpose()?;
    let outputs: Vec<&Path> = std::iter::once(out.as_path())
        .chain(json.as_deref())
        .collect();
    let named: Vec<&Path> = std::iter::once(args.plan.as_path())
        .chain(args.review.as_deref())
        .collect();
    output::refuse_clashes(&named, &outputs, lang)?;
    let plan = load_valid_plan(&args.plan, lang)?;
    let period = resolve_period(&plan, args.period.as_deref(), lang)?;
    let mut inputs = gather_inputs(args, &plan, &period.code, lang)?;
    // An earlier run's output found among the inputs is skipped (it is
    // about to be replaced); anything else in an output's place is an input
    // that must not be overwritten.
    let places: Vec<Place> = outputs.iter().map(|p| Place::of(p)).collect();
    let mut files: Vec<Place> = inputs.files.iter().map(|p| Place::of(p)).collect();
    files.retain(|i| !(places.iter().any(|o| o.is(i)) && is_own_output(i.path)));
    output::refuse_clashes_among(&files, &places, lang)?;
    inputs.files = files.iter().map(|p| p.path.to_path_buf()).collect();
    let expect = Expect {
        period: Some(&period.code),
        name: None,
    };
    // Each workbook is read and checked on its own, on all cores, one
    // workbook per worker at a time; results come back in input order.
    enum Read {
        File(ReadFile),
        Skipped(Finding),
    }
    let reads = super::parallel_map(&inputs.files, args.jobs, |path| {
        let file = path.display().to_string();
        let received = inputs.received.get(path).copied();
        let rejected = inputs.rejected.contains(path);
        let expect = Expect {
            name: inputs.ledger_unit.get(path).map(String::as_str),
            ..expect
        };
        match submission::open(path, &plan, &expect) {
            Opened::Skipped(f) => Read::Skipped(f),
            Opened::Read {
                book,
                submission,
                findings,
            } => {
                // Copy the results out of the workbook's heap region once it
                // is freed, so what a national run keeps stays compact.
                drop(book);
                Read::File(ReadFile {
                    file,
                    received,
                    submission: Some((*submission).clone()),
                    findings: findings.clone(),
                    rejected,
                })
            }
            Opened::Unreadable(f) => Read::File(ReadFile {
                findings: vec![f],
                file,
                received,
                submission: None,
                rejected,
            }),
        }
    });
    let mut extra = Vec::new();
    let mut files = Vec::with_capacity(reads.len());
    for r in reads {
        match r {
            Read::File(f) => files.push(f),
            Read::Skipped(f) => extra.push(f),
        }
    }
    let reviews = match &args.review {
        Some(path) => {
            if std::fs::metadata(path).is_err() {
                bail!(
                    "{} `{}`",
                    lang.pick("không tìm thấy tệp thẩm định", "no such review file"),
                    path.display()
                );
            }
            let book = workbook::open(path).map_err(|e| {
                let f = e.to_finding(&path.display().to_string());
                anyhow::anyhow!(
                    "{} `{}`: {}{}",
                    lang.pick(
                        "không đọc được tệp thẩm định",
                        "cannot read the review file"
                    ),
                    path.display(),
                    message(&f, lang),
                    super::open_advice(&f, lang)
                )
            })?;
            let (reviews, findings) = review::read(&book, &path.display().to_string(), &plan);
            extra.extend(findings);
            reviews
        }
        None => Vec::new(),
    };
    let mut result = bloc::consolidate(&plan, period, &files, &reviews);
    // The per-file readings are folded into the result; free them before
    // the workbook is built.
    drop(files);
    result.findings.extend(extra);
    consolidated::write(&plan, &result, &out, super::threads(args.jobs))?;
    if let Some(path) = &json {
        let doc = json::to_json(&plan, &result, lang);
        write_atomic_with(path, true, |w| {
            serde_json::to_writer_pretty(&mut *w, &doc).map_err(std::io::Error::other)?;
            w.write_all(b"\n")
        })?;
    }
    // A line per unit: written in blocks, not a system call per line.
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    print_summary(&mut stdout, &result, &outputs, lang)?;
    stdout.flush()?;
    Ok(Status::from_findings(&result.findings))
}

/// The files a consolidation reads, and what the intake ledger says of
/// those that came from an archive.
#[derive(Default)]
struct Inputs {
    files: Vec<PathBuf>,
    received: HashMap<PathBuf, chrono::NaiveDateTime>,
    ledger_unit: HashMap<PathBuf, String>,
    /// Files the intake refused for their errors.
    rejected: HashSet<PathBuf>,
}

/// An archive folder contributes the files its ledger lists for the plan
/// and period — those that count and those refused for errors — with their
/// received times; other inputs are read as given. Nothing to read stops
/// the command: an empty or mistyped folder is not "nobody sent anything".
fn gather_inputs(args: &ConsolidateArgs, plan: &Plan, period: &str, lang: Lang) -> Result<Inputs> {
    let mut inputs = Inputs::default();
    let mut plain = Vec::new();
    let mut archives = 0;
    for input in &args.inputs {
        if input.is_dir() && archive::is_archive(input) {
            archives += 1;
            for e in archive::read_ledger(input)? {
                let refused = e.verdict == Verdict::Rejected;
                if !(e.is_for(&plan.code) && e.period == period && (e.counts() || refused)) {
                    continue;
                }
                let path = e.path_in(input);
                inputs.received.insert(path.clone(), e.received);
                inputs.ledger_unit.insert(path.clone(), e.unit.clone());
                if refused {
                    inputs.rejected.insert(path.clone());
                }
                inputs.files.push(path);
            }
        } else {
            plain.push(input.clone());
        }
    }
    if !plain.is_empty() {
        let found = expand_inputs(&plain, lang)?;
        if archives == 0 {
            require_files(&found, &plain, lang)?;
        }
        inputs.files.extend(found);
    }
    inputs.files.sort();
    inputs.files.dedup();
    Ok(inputs)
}

fn is_own_output(path: &Path) -> bool {
    workbook::open(path).is_ok_and(|b| b.properties.contains_key(PROP_OUTPUT))
}

fn print_summary(
    out: &mut impl Write,
    r: &Consolidation,
    written: &[&Path],
    lang: Lang,
) -> std::io::Result<()> {
    let num = |v: f64| lang.num(v);
    writeln!(
        out,
        "{} {} — {} {}",
        lang.pick("Tổng hợp kế hoạch", "Consolidation of plan"),
        r.plan,
        lang.pick("kỳ", "period"),
        r.period_name
    )?;
    writeln!(
        out,
        "{:>4}  {:<8} {:>8} {:>8}  {:<8} {}",
        lang.pick("Hạng", "Rank"),
        lang.pick("Đơn vị", "Unit"),
        lang.pick("Tự chấm", "Self"),
        lang.pick("Điểm", "Total"),
        lang.pick("Xếp loại", "Grade"),
        lang.pick("Đề nghị / ghi chú", "Proposal / remarks")
    )?;
    for u in consolidated::ranking_order(r) {
        let rank = match (u.rank, u.shared_rank) {
            (Some(n), true) => format!("{n}="),
            (Some(n), false) => n.to_string(),
            (None, _) => "—".into(),
        };
        let mut remarks: Vec<String> = unit_status(u, lang).into_iter().collect();
        if let Some(a) = &u.award {
            remarks.push(a.clone());
        }
        if let Some(a) = &u.provisional_award {
            remarks.push(format!("{} {a}", lang.pick("tạm tính:", "provisional:")));
        }
        if let Some(a) = &u.needs_vote {
            remarks.push(format!(
                "{} ({a})",
                lang.pick("cần bình xét", "to the vote")
            ));
        }
        if u.barred {
            remarks.push(
                lang.pick("loại khỏi khen thưởng", "barred from awards")
                    .to_string(),
            );
        }
        let grade = u.grade.map(|g| g.abbreviation()).unwrap_or("");
        let (own, total) = if u.status == UnitStatus::Ranked {
            (num(u.self_total), num(u.ranking_score))
        } else {
            (String::new(), String::new())
        };
        writeln!(
            out,
            "{rank:>4}  {:<8} {own:>8} {total:>8}  {grade:<8} {}",
            u.code,
            remarks.join("; ")
        )?;
    }
    let errors = count(&r.findings, Severity::Error);
    let warnings = count(&r.findings, Severity::Warning);
    writeln!(
        out,
        "{} {}; {}, {} ({})",
        lang.pick("Đã ghi", "Wrote"),
        written
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
        counted(errors, "lỗi", "error", "errors", lang),
        counted(warnings, "cảnh báo", "warning", "warnings", lang),
        lang.pick("xem trang Kiểm tra", "see the Kiểm tra sheet")
    )
}
