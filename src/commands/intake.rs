//! `thidua intake --plan PLAN --archive DIR FILE...`: checks each file and
//! files it in the archive, never overwriting, with a ledger line.

use anyhow::{Context, Result};
use chrono::{NaiveDate, NaiveDateTime};
use std::io::Write;

use super::{Status, load_valid_plan, resolve_period};
use crate::archive::{Archive, Verdict};
use crate::cli::IntakeArgs;
use crate::finding::Severity;
use crate::messages::{Lang, counted};
use crate::submission::{self, Expect};

pub fn run(args: &IntakeArgs, lang: Lang) -> Result<Status> {
    let plan = load_valid_plan(&args.plan, lang)?;
    // A named period is checked against each file's own; without one, each
    // file's `Kỳ báo cáo` says (the plan's last for a file that does not).
    let period = match &args.period {
        Some(p) => Some(resolve_period(&plan, Some(p), lang)?.code.clone()),
        None => None,
    };
    let received = match &args.received {
        Some(text) => parse_received(text).with_context(|| {
            format!(
                "--received `{text}`: {} 2022-12-15, 2022-12-15 08:30 {} 15/12/2022",
                lang.pick("cần dạng", "expected"),
                lang.pick("hoặc", "or")
            )
        })?,
        None => chrono::Local::now().naive_local(),
    };
    let fault = crate::archive::fault_after_store();
    let mut archive = Archive::open(&args.archive)?;
    let expect = Expect {
        period: period.as_deref(),
        name: None,
    };
    for entry in submission::recover_orphans(&mut archive, &plan, &expect)? {
        writeln!(
            std::io::stdout(),
            "{}",
            crate::messages::recovered(&entry, lang)
        )?;
    }
    let mut status = Status::Clean;
    for file in &args.files {
        let bytes = std::fs::read(file).with_context(|| {
            format!(
                "{} `{}`",
                lang.pick("không đọc được tệp", "cannot read"),
                file.display()
            )
        })?;
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let (facts, findings) =
            submission::intake_facts(&plan, &file.display().to_string(), bytes.clone(), &expect);
        let entry = archive.file(&name, &bytes, &facts, received, fault)?;
        if entry.verdict == Verdict::Rejected {
            status = Status::Problems;
        }
        // A refused file is kept in the archive so the leader can show the
        // unit its errors.
        let verdict = crate::messages::verdict(entry.verdict, lang);
        let late = entry
            .late_days
            .map(|d| {
                format!(
                    ", {} {}",
                    lang.pick("trễ", "late by"),
                    counted(d.max(0) as usize, "ngày", "day", "days", lang)
                )
            })
            .unwrap_or_default();
        writeln!(
            std::io::stdout(),
            "{:<20} {:<8} {:<4} {} → {}{late} ({}, {})",
            verdict,
            entry.unit,
            entry.period,
            name,
            entry.stored_name,
            counted(entry.errors, "lỗi", "error", "errors", lang),
            counted(entry.warnings, "cảnh báo", "warning", "warnings", lang),
        )?;
        // Duplicates were told their findings the first time.
        if entry.verdict != Verdict::Duplicate {
            for f in findings.iter().filter(|f| f.severity != Severity::Info) {
                writeln!(std::io::stdout(), "{}", super::finding_line(f, lang))?;
            }
        }
    }
    Ok(status)
}

/// `2022-12-15`, `2022-12-15 08:30[:00]`, `15/12/2022[ 08:30]`.
pub fn parse_received(text: &str) -> Option<NaiveDateTime> {
    let t = text.trim().replace('T', " ");
    for fmt in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%d/%m/%Y %H:%M:%S",
        "%d/%m/%Y %H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(&t, fmt) {
            return Some(dt);
        }
    }
    for fmt in ["%Y-%m-%d", "%d/%m/%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(&t, fmt) {
            return d.and_hms_opt(0, 0, 0);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn received_formats() {
        let d = NaiveDate::from_ymd_opt(2022, 12, 15).unwrap();
        assert_eq!(parse_received("2022-12-15"), d.and_hms_opt(0, 0, 0));
        assert_eq!(parse_received("15/12/2022 08:30"), d.and_hms_opt(8, 30, 0));
        assert_eq!(
            parse_received("2022-12-15T08:30:05"),
            d.and_hms_opt(8, 30, 5)
        );
        assert_eq!(parse_received("hôm qua"), None);
    }
}
