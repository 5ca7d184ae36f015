//! The monthly digest on the sample archive, against statuses worked out by
//! hand from `samples/ktkt-2022/ngay-nhan.csv` and the quarterly figures.

use std::collections::BTreeSet;
use std::path::Path;

use thidua::digest::{self, Progress, SubmissionStatus};

use crate::workdir::{Workdir, repo, run, sample_plan};

/// Files every sample on the day it arrived, as `nhan-ho-so.sh` does.
fn build_archive(w: &Workdir) {
    let list = std::fs::read_to_string(repo("samples/ktkt-2022/ngay-nhan.csv")).unwrap();
    for line in list.lines().skip(1) {
        let (file, when) = line.split_once(',').unwrap();
        let mut cmd = w.thidua();
        cmd.arg("intake").arg("--plan").arg(sample_plan()).args([
            "--archive",
            "kho",
            "--received",
            when,
        ]);
        cmd.arg(repo(&format!("samples/ktkt-2022/{file}")));
        let (code, out, err) = run(&mut cmd);
        assert!(code == 0 || code == 1, "{file}: {out}{err}");
    }
}

fn digest_of(root: &Path, month: &str) -> digest::Digest {
    let plan = thidua::plan::load(&sample_plan()).unwrap().plan;
    let entries = thidua::archive::read_ledger(root).unwrap();
    let mut subs = Vec::new();
    for (i, e) in entries.iter().enumerate().filter(|(_, e)| e.counts()) {
        let path = root.join(&e.stored_name);
        let book = thidua::workbook::open(&path).unwrap();
        let expect = thidua::submission::Expect {
            period: Some(&e.period),
            name: Some(&e.unit),
        };
        subs.push((i, thidua::submission::read(&book, "x", &plan, &expect).0));
    }
    let inputs = digest::Inputs {
        entries: &entries,
        submissions: &subs,
    };
    digest::build(&plan, &inputs, month).unwrap()
}

fn status(d: &digest::Digest, unit: &str, period: &str) -> SubmissionStatus {
    d.units.iter().find(|u| u.code == unit).unwrap().submissions[period]
}

/// Statuses of one period: every unit on time except those listed.
fn expect_period(d: &digest::Digest, period: &str, except: &[(&str, SubmissionStatus)]) {
    for u in &d.units {
        let want = except
            .iter()
            .find(|(c, _)| *c == u.code)
            .map_or(SubmissionStatus::OnTime, |(_, s)| *s);
        assert_eq!(
            status(d, &u.code, period),
            want,
            "{} {period} in {}",
            u.code,
            d.month
        );
    }
}

fn at_risk(d: &digest::Digest) -> BTreeSet<(String, String)> {
    d.at_risk().into_iter().collect()
}

fn set(pairs: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    pairs
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn digests_through_the_year() {
    use SubmissionStatus::*;
    let w = Workdir::new();
    build_archive(&w);
    let root = w.path("kho");
    // Share of the year at the end of Q1, 6T, 9T.
    let (q1, h1, m9) = (90.0 / 365.0, 181.0 / 365.0, 273.0 / 365.0);

    // April: Q1 due "trước ngày 25/3" (last day 24/03). SXD arrived 28/03
    // (4 days late); SKHDT never.
    let apr = digest_of(&root, "2022-04");
    assert_eq!(apr.periods_due, ["Q1"]);
    expect_period(&apr, "Q1", &[("SXD", Late(4)), ("SKHDT", Missing)]);
    // SXD has 1 sáng kiến after Q1: 1 / q1 ≈ 4,06 < 7. STC no Bằng khen yet.
    assert!(1.0 / q1 < 7.0);
    assert_eq!(at_risk(&apr), set(&[("SXD", "2.5"), ("STC", "2.6")]));
    assert!(apr.deadlines_next_month.is_empty(), "nothing due in May");

    // July: 6T due before 25/06. SGTVT arrived 02/07 (8 days); SNN never sent 6T.
    let jul = digest_of(&root, "2022-07");
    assert_eq!(jul.periods_due, ["Q1", "6T"]);
    expect_period(
        &jul,
        "6T",
        &[("SGTVT", Late(8)), ("SNN", Missing), ("SKHDT", Missing)],
    );
    // SGTVT's LĐTT 91 → 90: the line through them reaches 90 − (1 − h1)/(h1 − q1) at year end.
    let sgtvt = 90.0 - (1.0 - h1) / (h1 - q1);
    assert!(sgtvt < 90.0, "{sgtvt}");
    let unit = jul.units.iter().find(|u| u.code == "SGTVT").unwrap();
    let p22 = unit.indicators.iter().find(|i| i.code == "2.2").unwrap();
    assert!(
        (p22.projected.unwrap() - sgtvt).abs() < 0.01,
        "{:?} vs {sgtvt}",
        p22.projected
    );
    assert_eq!(p22.status, Progress::Behind);
    assert_eq!(
        at_risk(&jul),
        set(&[("SXD", "2.5"), ("SGTVT", "2.2"), ("STC", "2.6")])
    );
    assert!(
        jul.changes
            .iter()
            .any(|c| c.unit == "SGTVT" && c.code == "2.2" && c.to == Progress::Behind)
    );
    assert!(jul.provisional.is_some());

    // October: 9T due before 25/09. CTHUE arrived 30/09 (6 days).
    let oct = digest_of(&root, "2022-10");
    expect_period(&oct, "9T", &[("CTHUE", Late(6)), ("SKHDT", Missing)]);
    expect_period(
        &oct,
        "6T",
        &[("SGTVT", Late(8)), ("SNN", Missing), ("SKHDT", Missing)],
    );
    // SXD 4 sáng kiến: 4 / m9 ≈ 5,35 < 7; STC 1 Bằng khen: 1 / m9 ≈ 1,34 < 3.
    assert!(4.0 / m9 < 7.0 && 1.0 / m9 < 3.0);
    assert_eq!(
        at_risk(&oct),
        set(&[("SXD", "2.5"), ("SGTVT", "2.2"), ("STC", "2.6")])
    );

    // November: the year-end report is due 15/12 and nobody has sent it.
    let nov = digest_of(&root, "2022-11");
    assert_eq!(nov.deadlines_next_month.len(), 1);
    assert_eq!(nov.deadlines_next_month[0].period, "NAM");
    assert_eq!(nov.deadlines_next_month[0].waiting.len(), 12);

    // December: the year-end reports, due before 15/12 (the 14th is the last
    // day). Five had errors and were not accepted; STC came on the 15th.
    let dec = digest_of(&root, "2022-12");
    expect_period(
        &dec,
        "NAM",
        &[
            ("KBNN", Late(3)),
            ("STC", Late(1)),
            ("SKHDT", Missing),
            ("SGTVT", Rejected),
            ("SNN", Rejected),
            ("SKHCN", Rejected),
            ("BQLKKT", Rejected),
            ("CTHUE", Rejected),
        ],
    );
    // Year-end figures: SXD 96% of its tasks and 14% CSTĐCS; STC 2 Bằng khen;
    // SGTVT's year-end report was rejected, so its 9T trend still stands.
    assert_eq!(
        at_risk(&dec),
        set(&[
            ("SXD", "1.1"),
            ("SXD", "2.3"),
            ("STC", "2.6"),
            ("SGTVT", "2.2")
        ])
    );
    let sxd = dec.units.iter().find(|u| u.code == "SXD").unwrap();
    assert_eq!(
        sxd.indicators
            .iter()
            .find(|i| i.code == "2.5")
            .unwrap()
            .status,
        Progress::Met
    );
    assert!(
        dec.changes
            .iter()
            .any(|c| c.unit == "STC" && c.code == "2.6" && c.to == Progress::NotMet)
    );
}

#[test]
fn the_command_writes_the_workbook_and_markdown_and_leaves_inputs_alone() {
    let w = Workdir::new();
    build_archive(&w);
    let ledger_before = std::fs::read(w.path("kho/so-nhan.csv")).unwrap();
    let plan_before = std::fs::read(sample_plan()).unwrap();
    let mut cmd = w.thidua();
    cmd.arg("ban-tin").arg("--plan").arg(sample_plan()).args([
        "--archive",
        "kho",
        "--month",
        "2022-07",
        "-o",
        "bt.xlsx",
        "--markdown",
        "bt.md",
        "--html",
        "bt.html",
    ]);
    let (code, out, err) = run(&mut cmd);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("bt.xlsx, bt.md, bt.html"),
        "every file named: {out}"
    );
    assert!(
        out.contains("2 lần nộp trễ, 3 chưa nộp; 3 chỉ tiêu có nguy cơ"),
        "{out}"
    );
    let md = std::fs::read_to_string(w.path("bt.md")).unwrap();
    // Full unit names, percent signs, projected counts in whole numbers.
    assert!(
        md.contains("| Sở Giao thông vận tải | Đúng hạn | Trễ 8 ngày |"),
        "{md}"
    );
    assert!(
        md.contains("| Sở Tài chính | 2.6 Cá nhân được UBND tỉnh tặng Bằng khen | 1 | 33% | 2 | 03 cá nhân |"),
        "{md}"
    );
    assert!(md.contains("| 90% | 100% | 88% | 90% |"), "{md}");
    assert!(md.contains("chưa phải kết quả chính thức"), "{md}");
    assert!(md.contains("(đã nhận, trễ 8 ngày)"), "one language: {md}");
    // A provisional ranking proposes no award and calls no vote.
    assert!(
        !md.contains("Cờ thi đua") && !md.contains("bình xét ("),
        "{md}"
    );
    // The e-mail body: tables with inline styles, the same facts.
    let html = std::fs::read_to_string(w.path("bt.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains("<table style="), "{html}");
    assert!(html.contains(">Sở Giao thông vận tải</td>"), "{html}");
    assert!(
        html.contains("background:#fff2cc\">Trễ 8 ngày</td>"),
        "{html}"
    );
    assert!(!html.contains("<style"), "inline styles only");
    // English when asked.
    let mut cmd = w.thidua();
    cmd.args(["--lang", "en", "digest", "--plan"])
        .arg(sample_plan())
        .args([
            "--archive",
            "kho",
            "--month",
            "2022-07",
            "-o",
            "en.xlsx",
            "--markdown",
            "en.md",
        ]);
    assert_eq!(run(&mut cmd).0, 0);
    let en = std::fs::read_to_string(w.path("en.md")).unwrap();
    assert!(en.contains("## Indicators at risk"), "{en}");
    assert!(
        en.contains("| Sở Giao thông vận tải | On time | 8 days late |"),
        "{en}"
    );
    assert!(en.contains("(accepted, 8 days late)"), "{en}");
    let book = thidua::workbook::open(&w.path("bt.xlsx")).unwrap();
    for sheet in [
        "Tổng quan",
        "Nộp báo cáo",
        "Tiến độ",
        "Có nguy cơ",
        "Xếp hạng tạm tính",
    ] {
        assert!(book.sheet(&[sheet]).is_some(), "{sheet}");
    }
    let risk = book.sheet(&["Có nguy cơ"]).unwrap();
    let rows: Vec<(String, String)> = (4..=risk.last_row().unwrap())
        .map(|r| (risk.text(r, 0), risk.text(r, 1)))
        .collect();
    assert_eq!(rows.len(), 3, "{rows:?}");
    // Tiến độ: one row per unit, one column per indicator.
    let matrix = book.sheet(&["Tiến độ"]).unwrap();
    assert_eq!(matrix.text(3, 1), "1.1");
    assert_eq!(matrix.text(5, 0), "SCT");
    let units = (5..=matrix.last_row().unwrap())
        .filter(|&r| matrix.text(r, 0).len() >= 3 && !matrix.text(r, 1).is_empty())
        .count();
    assert_eq!(units, 12);
    // Nothing the digest reads was changed.
    assert_eq!(
        std::fs::read(w.path("kho/so-nhan.csv")).unwrap(),
        ledger_before
    );
    assert_eq!(std::fs::read(sample_plan()).unwrap(), plan_before);
    // Not an archive: exit 2.
    let mut cmd = w.thidua();
    cmd.arg("digest").arg("--plan").arg(sample_plan()).args([
        "--archive",
        ".",
        "--month",
        "2022-07",
        "-o",
        "x.xlsx",
    ]);
    assert_eq!(run(&mut cmd).0, 2);
}
