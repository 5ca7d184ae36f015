//! `thidua digest --plan PLAN --archive DIR --month YYYY-MM -o OUT.xlsx`:
//! the monthly digest from the intake archive.

use std::io::Write;
use std::path::Path;

use anyhow::{Result, bail};

use super::{Status, load_valid_plan};
use crate::cli::DigestArgs;
use crate::digest::{self, Inputs, Progress, SubmissionStatus};
use crate::messages::Lang;
use crate::output::write_atomic;
use crate::output::{self, Kind};
use crate::plan::Plan;
use crate::report::{digest as render, digest_text};

pub fn run(args: &DigestArgs, lang: Lang) -> Result<Status> {
    let out = output::name_for(&args.out, Kind::Xlsx, lang)?;
    let markdown = args
        .markdown
        .as_deref()
        .map(|p| output::name_for(p, Kind::Markdown, lang))
        .transpose()?;
    let html = args
        .html
        .as_deref()
        .map(|p| output::name_for(p, Kind::Html, lang))
        .transpose()?;
    let outputs: Vec<&Path> = std::iter::once(out.as_path())
        .chain(markdown.as_deref())
        .chain(html.as_deref())
        .collect();
    let ledger = args.archive.join(crate::archive::LEDGER);
    output::refuse_clashes(&[args.plan.as_path(), ledger.as_path()], &outputs, lang)?;
    let plan = load_valid_plan(&args.plan, lang)?;
    if !crate::archive::is_archive(&args.archive) {
        bail!(
            "`{}` {}",
            args.archive.display(),
            lang.pick(
                "không phải kho hồ sơ (không có sổ so-nhan.csv)",
                "is not an archive (no so-nhan.csv ledger)"
            )
        );
    }
    let month = month_of(&args.month, &plan, lang)?;
    let entries = crate::archive::read_ledger(&args.archive)?;
    let submissions = digest::read_counted(&plan, &entries, &args.archive);
    let inputs = Inputs {
        entries: &entries,
        submissions: &submissions,
    };
    let Some(d) = digest::build(&plan, &inputs, &month) else {
        bail!("--month `{}`", args.month);
    };
    render::write(&plan, &d, &out)?;
    if let Some(md) = &markdown {
        write_atomic(md, digest_text::markdown(&plan, &d, lang).as_bytes(), true)?;
    }
    if let Some(page) = &html {
        write_atomic(page, digest_text::html(&plan, &d, lang).as_bytes(), true)?;
    }
    print_summary(&plan, &d, &outputs, lang)?;
    Ok(Status::Clean)
}

/// The month asked for, in the canonical form; out of range or unreadable
/// stops the command, outside the plan's year is a warning.
fn month_of(text: &str, plan: &Plan, lang: Lang) -> Result<String> {
    let month = match digest::parse_month(text) {
        Ok(m) => m,
        Err(digest::MonthError::Range(m)) => bail!(
            "--month `{}`: {} {m} {}",
            text,
            lang.pick("không có tháng", "there is no month"),
            lang.pick("(tháng từ 1 đến 12)", "(months are 1 to 12)")
        ),
        Err(digest::MonthError::Form) => bail!(
            "--month `{}`: {} 2022-07 {} 07/2022",
            text,
            lang.pick("cần dạng", "expected"),
            lang.pick("hoặc", "or")
        ),
    };
    if let Some(year) = plan.year
        && !month.starts_with(&year.to_string())
    {
        eprintln!(
            "thidua: {} {} {} {year}",
            lang.pick("cảnh báo:", "warning:"),
            month_text(&month, lang),
            lang.pick("nằm ngoài năm của kế hoạch,", "is outside the plan's year,")
        );
    }
    Ok(month)
}

/// The terminal's lines: the month, what is late or missing or at risk, the
/// files written, the deadlines of next month.
fn print_summary(plan: &Plan, d: &digest::Digest, outputs: &[&Path], lang: Lang) -> Result<()> {
    let late = d
        .units
        .iter()
        .flat_map(|u| u.submissions.values())
        .filter(|s| matches!(s, SubmissionStatus::Late(_)))
        .count();
    let missing = d
        .units
        .iter()
        .flat_map(|u| u.submissions.values())
        .filter(|s| **s == SubmissionStatus::Missing)
        .count();
    let risk = d
        .units
        .iter()
        .flat_map(|u| &u.indicators)
        .filter(|i| matches!(i.status, Progress::Behind | Progress::NotMet))
        .count();
    writeln!(
        std::io::stdout(),
        "{} {} — {}: {}; {late} {}, {missing} {}; {risk} {}; {} {}",
        lang.pick("Bản tin", "Digest for"),
        month_text(&d.month, lang),
        plan.code,
        d.periods_due.join(", "),
        lang.pick("lần nộp trễ", "late"),
        lang.pick("chưa nộp", "missing"),
        lang.pick("chỉ tiêu có nguy cơ", "indicators at risk"),
        lang.pick("đã ghi", "wrote"),
        outputs
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    for dl in &d.deadlines_next_month {
        writeln!(
            std::io::stdout(),
            "  {} {} ({}): {}",
            lang.pick("Hạn tới", "Next deadline"),
            dl.name,
            crate::text::number::format_date(dl.deadline),
            dl.waiting.join(", ")
        )?;
    }
    Ok(())
}

/// `2022-07` as a reader says it: `tháng 07/2022`, `July 2022`.
fn month_text(month: &str, lang: Lang) -> String {
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let (y, m) = month.split_once('-').unwrap_or((month, "1"));
    let m: usize = m.parse().unwrap_or(1);
    match lang {
        Lang::Vi => format!("tháng {m:02}/{y}"),
        Lang::En => format!("{} {y}", EN[m.clamp(1, 12) - 1]),
    }
}
