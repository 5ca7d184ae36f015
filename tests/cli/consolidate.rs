//! Consolidating the sample bloc, checked against figures worked out by hand
//! from the sample data (examples/make_samples/generate.rs), not by the tool.

use std::path::PathBuf;

use proptest::prelude::*;
use serde_json::Value;

use crate::workdir::{Workdir, repo, run, sample_plan};

fn consolidate(w: &Workdir, inputs: &[PathBuf]) -> (i32, String, Value) {
    consolidate_with(w, inputs, &[])
}

/// [`consolidate`] with more arguments.
fn consolidate_with(w: &Workdir, inputs: &[PathBuf], more: &[&str]) -> (i32, String, Value) {
    let mut cmd = w.thidua();
    cmd.arg("consolidate")
        .arg("--plan")
        .arg(sample_plan())
        .arg("--review")
        .arg(repo("samples/ktkt-2022/tham-dinh.xlsx"))
        .args(inputs)
        .args(more)
        .args(["-o", "tong-hop.xlsx", "--json", "tong-hop.json"]);
    let (code, out, err) = run(&mut cmd);
    assert!(code == 0 || code == 1, "{out}{err}");
    let doc =
        serde_json::from_str(&std::fs::read_to_string(w.path("tong-hop.json")).unwrap()).unwrap();
    (code, out, doc)
}

fn unit<'a>(doc: &'a Value, code: &str) -> &'a Value {
    doc["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["code"] == code)
        .unwrap_or_else(|| panic!("no unit {code}"))
}

/// (unit, rank, ranking score, total, self total, bonus, penalty, award,
/// award it is tied for at the quota's edge).
type Expected<'a> = (
    &'a str,
    u32,
    f64,
    f64,
    f64,
    f64,
    f64,
    Option<&'a str>,
    Option<&'a str>,
);

fn close(a: &Value, b: f64) -> bool {
    a.as_f64().is_some_and(|a| (a - b).abs() < 0.005)
}

/// 1.3 is scored `Dẫn đầu` against the plan's `Ít nhất 25%`: every unit but
/// SCT achieved 31% (overshoot 31/25 − 1 = 0.24, the largest, full 10
/// points). SCT registered `Ít nhất 30%` and achieved 36%: overshoot 0.2.
fn sct_leading() -> f64 {
    let sct: f64 = 36.0 / 30.0 - 1.0;
    let best = 31.0 / 25.0 - 1.0;
    ((5.0 + 5.0 * sct / best) * 100.0).round() / 100.0
}

#[test]
fn ranks_the_sample_bloc_as_computed_by_hand() {
    let w = Workdir::new();
    let (code, out, doc) = consolidate(&w, &[repo("samples/ktkt-2022/don-vi")]);
    assert_eq!(code, 1, "the inputs carry errors: {out}");
    assert_eq!(doc["schema"], "thidua/consolidate/1");
    assert_eq!(
        doc["uses_converted"], true,
        "KBNN has an indicator not assigned"
    );

    // A good year scores 100 (every target met); the units depart from it:
    // (unit, rank, ranking score, total, self total, bonus, penalty, award, needs vote)
    let l = sct_leading();
    let expected: &[Expected] = &[
        // 1.3 at l; T1 3×1, T2 4×0,5 capped 2; TR2 1×2 (bars awards).
        (
            "SCT",
            1,
            90.0 + l + 3.0 + 2.0 - 2.0,
            90.0 + l + 3.0 + 2.0 - 2.0,
            100.0 + 5.0 - 2.0,
            5.0,
            2.0,
            None,
            None,
        ),
        // T1 1, T2 1.
        (
            "STNMT",
            2,
            101.5,
            101.5,
            98.0 + 1.5,
            1.5,
            0.0,
            Some("Cờ thi đua"),
            None,
        ),
        // 2.3's self score became a date: not summed in the self total; the
        // computed 5 counts.
        (
            "SKHCN",
            3,
            100.5,
            100.5,
            98.0 - 5.0 + 0.5,
            0.5,
            0.0,
            Some("Bằng khen"),
            None,
        ),
        // 1.5 at 97% earns band 4; T1 1: equal to SKHCN but 1 point less in
        // section I (tie-break), and tied with each other at the quota edge.
        (
            "BQLKKT",
            4,
            100.5,
            100.5,
            97.0 + 1.5,
            1.5,
            0.0,
            None,
            Some("Bằng khen"),
        ),
        (
            "STTTT",
            4,
            100.5,
            100.5,
            97.0 + 1.5,
            1.5,
            0.0,
            None,
            Some("Bằng khen"),
        ),
        // 3.3 not assigned: 97 of 97 converted to 100; no bonus.
        ("KBNN", 6, 100.0, 97.0, 95.0, 0.0, 0.0, None, None),
        // 2.4 unreadable: its self score 3 counts; TR1 6×0,5 capped at 2.
        ("CTHUE", 7, 98.5, 98.5, 96.5, 0.5, 2.0, None, None),
        // 1.1 at 96%: 19,2; 2.3 at 14 of 15: 4,67; reviewed 3.5 at 2.
        (
            "SXD",
            8,
            100.0 - 0.8 - 0.33 - 1.0 + 0.5,
            100.0 - 0.8 - 0.33 - 1.0 + 0.5,
            97.0 + 0.5,
            0.5,
            0.0,
            None,
            None,
        ),
        // 2.6 row missing; 2.6 not met: a tie left shared.
        ("SNN", 9, 97.5, 97.5, 95.5, 0.5, 0.0, None, None),
        ("STC", 9, 97.5, 97.5, 98.5, 0.5, 0.0, None, None),
        // 1.2 reviewed 8; 2.1 at 98%: 4,9; 2.2 missed: 0.
        (
            "SGTVT",
            11,
            100.0 - 2.0 - 0.1 - 5.0 + 0.5,
            100.0 - 2.0 - 0.1 - 5.0 + 0.5,
            98.0 + 2.0 - 0.7 + 0.5,
            0.5,
            0.0,
            None,
            None,
        ),
    ];
    for (code, rank, score, total, own, bonus, penalty, award, vote) in expected {
        let u = unit(&doc, code);
        assert_eq!(u["status"], "ranked", "{code}");
        assert_eq!(u["rank"], *rank, "{code} rank");
        assert!(
            close(&u["ranking_score"], *score),
            "{code} score {} ≠ {score}",
            u["ranking_score"]
        );
        assert!(
            close(&u["total"], *total),
            "{code} total {} ≠ {total}",
            u["total"]
        );
        assert!(
            close(&u["self_total"], *own),
            "{code} self {} ≠ {own}",
            u["self_total"]
        );
        assert!(close(&u["bonus"], *bonus), "{code} bonus");
        assert!(close(&u["penalty"], *penalty), "{code} penalty");
        assert_eq!(u["award"].as_str(), *award, "{code} award");
        assert_eq!(u["needs_vote"].as_str(), *vote, "{code} vote");
        assert_eq!(u["grade"], "excellent", "{code} grade (all ≥ 90)");
    }
    let sct = unit(&doc, "SCT");
    assert_eq!(sct["barred"], true);
    assert!(
        sct["barred_reason"].as_str().unwrap().starts_with("TR2"),
        "{}",
        sct["barred_reason"]
    );
    assert!(close(&sct["indicators"]["1.3"]["final"], l));
    assert_eq!(unit(&doc, "SKHCN")["decided_by_tie_break"], true);
    assert_eq!(unit(&doc, "SNN")["shared_rank"], true);
    let sgtvt = unit(&doc, "SGTVT");
    assert!(close(&sgtvt["indicators"]["1.2"]["reviewed"], 8.0));
    assert!(close(&sgtvt["indicators"]["1.2"]["computed"], 10.0));
    assert!(close(&sgtvt["indicators"]["1.2"]["self"], 12.0));
    assert!(close(&sgtvt["indicators"]["1.2"]["final"], 8.0));
    assert_eq!(sgtvt["indicators"]["1.2"]["exceeded"], true);
    assert_eq!(sgtvt["indicators"]["2.2"]["met"], false);

    // The member that sent nothing, the stranger, the superseded file.
    let skhdt = unit(&doc, "SKHDT");
    assert_eq!(skhdt["status"], "missing");
    assert!(skhdt["rank"].is_null());
    assert_eq!(unit(&doc, "SYT")["status"], "not-in-bloc");
    let files = doc["files"].as_array().unwrap();
    let status = |name: &str| {
        files
            .iter()
            .find(|f| f["file"].as_str().unwrap().ends_with(name))
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status("SCT_NAM (ban cu).xlsx"), "superseded");
    assert_eq!(status("SCT_NAM.xlsx"), "counted");
    assert_eq!(status("SYT_NAM.xlsx"), "not-in-bloc");

    // Review rows that cannot apply are findings with their cells.
    let findings = doc["findings"].as_array().unwrap();
    let at = |code: &str, cell: &str| {
        findings.iter().any(|f| {
            f["code"] == code
                && f["file"].as_str().unwrap().ends_with("tham-dinh.xlsx")
                && f["cell"] == cell
        })
    };
    assert!(at("unknown-unit", "A6"), "SYT in the review");
    assert!(at("unknown-row", "B7"), "9.9 in the review");
    assert!(at("above-max", "C8"), "7 of 5 in the review");
    assert!(at("review-applied", "C4"));
    assert!(
        findings
            .iter()
            .any(|f| f["code"] == "not-submitted" && f["unit"] == "SKHDT")
    );
    assert!(
        findings
            .iter()
            .all(|f| f["message"].as_str().is_some_and(|m| !m.is_empty()))
    );

    // Bloc targets (seed 003 items 5–8).
    let targets = doc["bloc_targets"].as_array().unwrap();
    let target = |code: &str| targets.iter().find(|t| t["code"] == code).unwrap();
    // 1.1: all twelve must complete; SXD reached 96%, SKHDT sent nothing.
    assert_eq!(target("1.1")["value"], 10.0);
    assert_eq!(target("1.1")["of"], 12);
    assert_eq!(target("1.1")["met"], false);
    // 2.2 (Trên 90% LĐTT), weighted by headcount: SGTVT 88% × 156, others 93%.
    let heads = [
        142.0, 98.0, 156.0, 210.0, 134.0, 64.0, 58.0, 88.0, 76.0, 310.0, 120.0,
    ];
    let total: f64 = heads.iter().sum();
    let avg = (93.0 * (total - 156.0) + 88.0 * 156.0) / total;
    assert!(
        close(&target("2.2")["value"], (avg * 100.0).round() / 100.0),
        "{}",
        target("2.2")
    );
    // SKHDT sent nothing: the share so far meets the target, but the
    // verdict waits for it.
    assert_eq!(target("2.2")["verdict"], "pending");
    assert_eq!(target("2.2")["so_far"], true);
    assert!(target("2.2")["met"].is_null());
    // 3.1 (no member disciplined): the eleven that reported meet it; the
    // twelfth sent nothing, so the bloc is not "not met", only pending.
    assert_eq!(target("3.1")["value"], 11.0);
    assert_eq!(target("3.1")["verdict"], "pending");
    // 2.5 (initiatives, `Từ 07 đến 09` per unit): the bloc's sum is not
    // compared with a unit's target.
    assert_eq!(target("2.5")["verdict"], "no-bloc-target");
    assert!(target("2.5")["met"].is_null());
    assert_eq!(target("2.5")["target_text"], "");

    // The terminal summary.
    assert!(out.contains("Chưa nộp – không xếp loại"), "{out}");
    assert!(out.contains("cần bình xét (Bằng khen)"), "{out}");
}

#[test]
fn the_ranking_sheet_holds_the_json_values() {
    let w = Workdir::new();
    let inputs_hash = || {
        let mut all: Vec<(String, String)> = std::fs::read_dir(repo("samples/ktkt-2022/don-vi"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .chain([sample_plan(), repo("samples/ktkt-2022/tham-dinh.xlsx")])
            .map(|p| {
                (
                    p.display().to_string(),
                    thidua::archive::sha256_hex(&std::fs::read(&p).unwrap()),
                )
            })
            .collect();
        all.sort();
        all
    };
    let before = inputs_hash();
    let (_, _, doc) = consolidate(&w, &[repo("samples/ktkt-2022/don-vi")]);
    assert_eq!(
        inputs_hash(),
        before,
        "inputs are byte-identical after consolidate"
    );
    let book = thidua::workbook::open(&w.path("tong-hop.xlsx")).unwrap();
    let sheet = book.sheet(&["Xếp hạng"]).unwrap();
    let header = thidua::report::consolidated::RANKING_HEADER_ROW;
    for (c, label) in thidua::report::consolidated::RANKING_COLUMNS
        .iter()
        .enumerate()
    {
        assert_eq!(sheet.text(header, c as u32), *label);
    }
    let number = |row: u32, col: u32| match sheet.value(row, col) {
        thidua::workbook::Value::Number(n) => Some(*n),
        _ => None,
    };
    let mut row = header + 1;
    let mut seen = 0;
    while !sheet.text(row, 1).is_empty() {
        let u = unit(&doc, &sheet.text(row, 1));
        seen += 1;
        assert_eq!(sheet.text(row, 2), u["name"].as_str().unwrap());
        if u["status"] == "ranked" {
            assert_eq!(number(row, 0), u["rank"].as_f64(), "rank of {}", u["code"]);
            for (col, key) in [
                (3, "self_total"),
                (4, "indicator_total"),
                (5, "bonus"),
                (6, "penalty"),
                (7, "total"),
                (9, "converted"),
            ] {
                assert_eq!(number(row, col), u[key].as_f64(), "{key} of {}", u["code"]);
            }
            let diff = u["total"].as_f64().unwrap() - u["self_total"].as_f64().unwrap();
            assert!((number(row, 8).unwrap() - diff).abs() < 0.005);
            assert_eq!(sheet.text(row, 10), "Hoàn thành xuất sắc nhiệm vụ");
            assert_eq!(sheet.text(row, 11), u["award"].as_str().unwrap_or(""));
        } else {
            assert_eq!(sheet.text(row, 0), "—");
            assert!(sheet.text(row, 12).contains("Chưa nộp – không xếp loại"));
        }
        row += 1;
    }
    assert_eq!(seen, 12, "every member has a row");
    for name in [
        "Chi tiết",
        "Chỉ tiêu khối",
        "Kiểm tra",
        "Nộp báo cáo",
        "Phiếu bầu",
    ] {
        assert!(book.sheet(&[name]).is_some(), "sheet {name}");
    }
    assert_eq!(
        book.properties.get("thidua-output").map(String::as_str),
        Some("consolidated")
    );
    // The ballot for Bằng khen lists the winner and the two tied units.
    let ballot = book.sheet(&["Phiếu bầu"]).unwrap();
    let names: Vec<String> = (0..=ballot.last_row().unwrap())
        .map(|r| ballot.text(r, 1))
        .collect();
    for name in [
        "Sở Tài nguyên và Môi trường",
        "Sở Khoa học và Công nghệ",
        "Ban Quản lý Khu kinh tế tỉnh",
        "Sở Thông tin và Truyền thông",
    ] {
        assert!(names.iter().any(|n| n == name), "{name} on a ballot");
    }
}

#[test]
fn the_output_is_never_an_input_and_outputs_are_not_read_back() {
    let w = Workdir::new();
    let dir = w.path("nhan");
    std::fs::create_dir(&dir).unwrap();
    for f in ["SCT_NAM.xlsx", "SXD_NAM.xlsx"] {
        std::fs::copy(repo(&format!("samples/ktkt-2022/don-vi/{f}")), dir.join(f)).unwrap();
    }
    let mut cmd = w.thidua();
    cmd.arg("consolidate")
        .arg("--plan")
        .arg(sample_plan())
        .arg("nhan")
        .args(["-o", "nhan/SCT_NAM.xlsx"]);
    let (code, _, err) = run(&mut cmd);
    assert_eq!(code, 2);
    assert!(err.contains("SCT_NAM.xlsx"), "{err}");
    // Writing over an earlier output of the same run is fine; another
    // thidua output in the folder is skipped, not read as a unit's file.
    for out in [
        "nhan/tong-hop.xlsx",
        "nhan/tong-hop.xlsx",
        "nhan/ban-truoc.xlsx",
    ] {
        let mut cmd = w.thidua();
        cmd.arg("consolidate")
            .arg("--plan")
            .arg(sample_plan())
            .arg("nhan")
            .args(["-o", out]);
        assert_eq!(run(&mut cmd).0, 0, "{out}");
    }
    let mut cmd = w.thidua();
    cmd.arg("consolidate")
        .arg("--plan")
        .arg(sample_plan())
        .arg("nhan")
        .args(["-o", "tong-hop.xlsx", "--json", "kq.json"]);
    run(&mut cmd);
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(w.path("kq.json")).unwrap()).unwrap();
    assert!(
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "skipped-output")
    );
    assert_eq!(doc["files"].as_array().unwrap().len(), 2);
}

/// Files read once; then consolidated in many orders.
fn read_sample_files() -> (thidua::plan::Plan, Vec<thidua::bloc::ReadFile>) {
    let plan = thidua::plan::load(&sample_plan()).unwrap().plan;
    let expect = thidua::submission::Expect {
        period: Some("NAM"),
        name: None,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(repo("samples/ktkt-2022/don-vi")).unwrap() {
        let path = entry.unwrap().path();
        let file = path.display().to_string();
        let book = thidua::workbook::open(&path).unwrap();
        let (sub, findings) = thidua::submission::read(&book, &file, &plan, &expect);
        files.push(thidua::bloc::ReadFile {
            file,
            received: None,
            submission: Some(sub),
            findings,
            rejected: false,
        });
    }
    (plan, files)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn input_order_changes_nothing(seed in any::<u64>()) {
        let (plan, files) = read_sample_files();
        let period = plan.period("NAM").unwrap();
        let base = thidua::bloc::consolidate(&plan, period, &files, &[]);
        let mut shuffled = files.clone();
        let mut state = seed;
        for i in (1..shuffled.len()).rev() {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (state >> 33) as usize % (i + 1));
        }
        let other = thidua::bloc::consolidate(&plan, period, &shuffled, &[]);
        prop_assert_eq!(serde_json::to_string(&base).unwrap(), serde_json::to_string(&other).unwrap());
    }
}

#[test]
fn same_day_submissions_that_differ_are_a_conflict() {
    use crate::samples::generate::{RowFill, UnitFill};
    use thidua::report::template::{self, FillValue};
    let w = Workdir::new();
    let plan = thidua::plan::load(&sample_plan()).unwrap().plan;
    let sct = plan.unit("SCT").unwrap();
    let year = plan.period("NAM").unwrap();
    let q1 = plan.period("Q1").unwrap();
    let fill = |score: f64| UnitFill {
        report_date: chrono::NaiveDate::from_ymd_opt(2022, 12, 12),
        rows: [(
            "1.1".to_string(),
            RowFill {
                achieved: Some(FillValue::Number(100.0)),
                self_score: Some(FillValue::Number(score)),
                ..RowFill::default()
            },
        )]
        .into_iter()
        .collect(),
        ..UnitFill::default()
    };
    std::fs::create_dir(w.path("nhan")).unwrap();
    let mut other = plan.clone();
    other.code = "KHAC-2022".into();
    // Two different reports of one day, a copy of one of them, a
    // first-quarter report and one made from another plan.
    let files = [
        (&plan, year, 20.0, "a.xlsx"),
        (&plan, year, 18.0, "b.xlsx"),
        (&plan, year, 20.0, "a-copy.xlsx"),
        (&plan, q1, 20.0, "q1.xlsx"),
        (&other, year, 20.0, "khac.xlsx"),
    ];
    for (p, period, score, name) in files {
        let path = w.path(&format!("nhan/{name}"));
        template::write(p, sct, period, Some(&fill(score)), &path, false).unwrap();
    }
    let mut cmd = w.thidua();
    cmd.arg("consolidate")
        .arg("--plan")
        .arg(sample_plan())
        .arg("nhan")
        .args(["-o", "th.xlsx", "--json", "th.json"]);
    let (code, out, _) = run(&mut cmd);
    assert_eq!(code, 1);
    assert!(out.contains("Hai bản nộp cùng ngày khác nội dung"), "{out}");
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(w.path("th.json")).unwrap()).unwrap();
    let sct = unit(&doc, "SCT");
    assert_eq!(sct["status"], "conflict");
    assert!(sct["rank"].is_null());
    let files = doc["files"].as_array().unwrap();
    let status = |name: &str| {
        files
            .iter()
            .find(|f| f["file"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("{name} not in {files:?}"))["status"]
            .clone()
    };
    assert_eq!(status("nhan/a.xlsx"), "conflict");
    assert_eq!(status("nhan/b.xlsx"), "conflict");
    assert_eq!(status("nhan/q1.xlsx"), "other-period");
    assert_eq!(status("nhan/khac.xlsx"), "other-plan");
    let conflicts = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "conflict")
        .count();
    assert_eq!(status("nhan/a-copy.xlsx"), "conflict");
    assert_eq!(conflicts, 3, "one on each file of that day");
}

/// Without the review, two units have a figure that was not read (SNN's
/// row 2.6 deleted, CTHUE's `Đạt` where a percentage belongs): they are not
/// ranked or graded, and SNN, whose best case (97,5 + 3 = 100,5) reaches
/// the Bằng khen zone, holds the award proposal.
#[test]
fn units_not_fully_read_are_not_ranked_and_hold_the_awards() {
    let w = Workdir::new();
    let mut cmd = w.thidua();
    cmd.arg("consolidate")
        .arg("--plan")
        .arg(sample_plan())
        .arg(repo("samples/ktkt-2022/don-vi"))
        .args(["-o", "th.xlsx", "--json", "th.json"]);
    let (code, out, err) = run(&mut cmd);
    assert_eq!(code, 1, "{out}{err}");
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(w.path("th.json")).unwrap()).unwrap();
    for (unit_code, missing, reason) in [("SNN", "2.6", "no-row"), ("CTHUE", "2.4", "no-achieved")]
    {
        let u = unit(&doc, unit_code);
        assert_eq!(u["status"], "incomplete", "{unit_code}");
        assert_eq!(u["rank"], Value::Null, "{unit_code}");
        assert_eq!(u["grade"], Value::Null, "{unit_code}");
        assert_eq!(u["unread"][0]["code"], missing, "{unit_code}");
        assert_eq!(u["unread"][0]["reason"], reason, "{unit_code}");
    }
    assert_eq!(doc["awards_pending"], serde_json::json!(["SNN"]));
    for u in doc["units"].as_array().unwrap() {
        assert_eq!(
            u["award"],
            Value::Null,
            "{} named while SNN is open",
            u["code"]
        );
    }
    assert_eq!(unit(&doc, "STNMT")["provisional_award"], "Cờ thi đua");
    assert_eq!(unit(&doc, "SKHCN")["provisional_award"], "Bằng khen");
    // Ranks close up over the ranked units only: STC 8th, SGTVT 9th.
    assert_eq!(unit(&doc, "STC")["rank"], 8);
    assert_eq!(unit(&doc, "SGTVT")["rank"], 9);
    assert!(
        out.contains("SNN") && out.contains("2.6 (thiếu dòng)"),
        "{out}"
    );
    assert!(out.contains("tạm tính: Cờ thi đua"), "{out}");
    let findings = doc["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .any(|f| f["code"] == "awards-provisional" && f["found"] == "SNN")
    );
    // The workbook says the same: the award column and the ballots carry
    // the provisional candidates, marked so.
    let book = thidua::workbook::open(&w.path("th.xlsx")).unwrap();
    let all_text = |name: &str| -> Vec<String> {
        let sheet = book.sheet(&[name]).unwrap();
        sheet.cells().map(|(_, c)| c.value.text()).collect()
    };
    let ranking = all_text("Xếp hạng");
    assert!(
        ranking.iter().any(|t| t == "Cờ thi đua (tạm tính)"),
        "{ranking:?}"
    );
    assert!(ranking.iter().any(|t| t.contains("2.6 (thiếu dòng)")));
    let ballots = all_text("Phiếu bầu");
    assert!(ballots.iter().any(|t| t == "Sở Tài nguyên và Môi trường"));
    assert!(
        ballots
            .iter()
            .any(|t| t == "Tạm tính – chờ xử lý đơn vị chưa đủ số liệu: SNN"),
        "{ballots:?}"
    );
    assert!(
        findings
            .iter()
            .any(|f| f["code"] == "incomplete" && f["unit"] == "CTHUE")
    );
}

/// Each seed sample's three hand-laid unit workbooks (written with openpyxl
/// by tests/fixtures/layouts/make_layouts.py --seeds, each unit in another
/// layout) are read whole and ranked on the figures they carry. Every
/// indicator of these plans is scored `Đạt` (full points or none), so each
/// total is the plan's 100 less the maxima of the targets the unit missed.
#[test]
fn seed_samples_rank_their_hand_laid_units() {
    let expected: [(&str, [(&str, f64); 3]); 4] = [
        // seed-000: TTRA misses 2.6 (10); TCBC misses 1.5 and 2.3 (15 + 15).
        // The Sở's own targets (1.2–1.4, 2.4, 2.5) score nobody.
        ("seed-000", [("VP", 100.0), ("TTRA", 90.0), ("TCBC", 70.0)]),
        // seed-001: TTTT misses 3 (10); TH misses 2 and 7 (20 + 10).
        (
            "seed-001",
            [("TCHCQT", 100.0), ("TTTT", 90.0), ("TH", 70.0)],
        ),
        // seed-002: QLBG misses 3.1 (14); HTQT misses 2.3 and 2.7 (15 + 14).
        // The Sở's own targets (1.x, 2.1, 2.2, 3.3–3.5) score nobody.
        (
            "seed-002",
            [("VPTTR", 100.0), ("QLBG", 86.0), ("HTQT", 71.0)],
        ),
        // seed-004: TTRA misses 15 (25); KHTC misses 14 and 16 (25 + 25).
        // The province's figures (1–13) score nobody.
        ("seed-004", [("VP", 100.0), ("TTRA", 75.0), ("KHTC", 50.0)]),
    ];
    for (seed, units) in expected {
        let w = Workdir::new();
        let mut cmd = w.thidua();
        cmd.arg("consolidate")
            .arg("--plan")
            .arg(repo(&format!("samples/{seed}/ke-hoach.xlsx")))
            .arg(repo(&format!("samples/{seed}/don-vi")))
            .args(["-o", "th.xlsx", "--json", "th.json"]);
        let (code, out, err) = run(&mut cmd);
        assert_eq!(code, 0, "{seed}: no errors in hand-laid files\n{out}{err}");
        let doc: Value =
            serde_json::from_str(&std::fs::read_to_string(w.path("th.json")).unwrap()).unwrap();
        for (rank, (unit_code, total)) in units.iter().enumerate() {
            let u = unit(&doc, unit_code);
            assert_eq!(u["status"], "ranked", "{seed} {unit_code}");
            assert_eq!(u["rank"], rank + 1, "{seed} {unit_code}");
            assert!(
                close(&u["total"], *total),
                "{seed} {unit_code}: {}",
                u["total"]
            );
            assert!(close(&u["self_total"], *total), "{seed} {unit_code}");
        }
        let others = doc["units"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|u| !units.iter().any(|(c, _)| u["code"] == *c));
        for u in others {
            assert_eq!(u["status"], "missing", "{seed} {}", u["code"]);
        }
        assert_eq!(doc["awards_pending"], serde_json::json!([]), "{seed}");
    }
}

/// A target of the whole bloc (`2 - 3 đơn vị được tặng Bằng khen`, rule
/// `Chỉ tiêu khối`): no unit is scored on it or left incomplete for it;
/// the members' figures are summed and judged in `Chỉ tiêu khối`.
#[test]
fn a_bloc_target_scores_no_unit_and_is_judged_for_the_bloc() {
    use crate::samples::generate::{RowFill, UnitFill};
    use thidua::report::template::{self, FillValue};
    let w = Workdir::new();
    run(w.thidua().args(["init", "kh"]));
    let plan = thidua::plan::load(&w.path("kh/ke-hoach.xlsx")).unwrap();
    assert!(
        plan.findings.iter().all(|f| !f.is_error()),
        "{:?}",
        plan.findings
    );
    let plan = plan.plan;
    let year = plan.period("NAM").unwrap();
    std::fs::create_dir(w.path("dv")).unwrap();
    // DV01 was awarded (1), DV02 was not (0): the bloc has 1 of `Từ 2 đến 3`.
    for (code, awarded) in [("DV01", 1.0), ("DV02", 0.0)] {
        let rows = [("1.1", 90.0, 40.0), ("1.2", 8.0, 40.0), ("2.1", 0.0, 20.0)]
            .into_iter()
            .map(|(c, a, s)| {
                (
                    c.to_string(),
                    RowFill {
                        achieved: Some(FillValue::Number(a)),
                        self_score: Some(FillValue::Number(s)),
                        ..RowFill::default()
                    },
                )
            })
            .chain(std::iter::once((
                "1.3".to_string(),
                RowFill {
                    achieved: Some(FillValue::Number(awarded)),
                    ..RowFill::default()
                },
            )))
            .collect();
        let fill = UnitFill {
            report_date: chrono::NaiveDate::from_ymd_opt(2026, 12, 10),
            rows,
            ..UnitFill::default()
        };
        let unit = plan.unit(code).unwrap();
        template::write(
            &plan,
            unit,
            year,
            Some(&fill),
            &w.path(&format!("dv/{code}.xlsx")),
            false,
        )
        .unwrap();
    }
    let (code, out, err) = run(w.thidua().args([
        "consolidate",
        "--plan",
        "kh/ke-hoach.xlsx",
        "dv",
        "-o",
        "th.xlsx",
        "--json",
        "th.json",
    ]));
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(w.path("th.json")).unwrap()).unwrap();
    assert_eq!(code, 0, "{out}{err}{}", doc["findings"]);
    for u in doc["units"].as_array().unwrap() {
        assert_eq!(u["status"], "ranked", "{u}");
        assert_eq!(
            u["assigned_max"], 100.0,
            "the bloc target adds no points: {u}"
        );
        assert_eq!(u["indicators"]["1.3"]["final"], 0.0, "{u}");
    }
    let targets = doc["bloc_targets"].as_array().unwrap();
    let awards = targets.iter().find(|t| t["code"] == "1.3").unwrap();
    assert_eq!(awards["aggregate"], "sum");
    assert_eq!(awards["value"], 1.0);
    assert_eq!(awards["target_text"], "Từ 2 đến 3 đơn vị");
    assert_eq!(awards["verdict"], "not-met");
    let initiatives = targets.iter().find(|t| t["code"] == "1.2").unwrap();
    assert_eq!(initiatives["value"], 16.0);
    assert_eq!(
        initiatives["verdict"], "met",
        "16 against `Ít nhất 15 sáng kiến`"
    );
}

/// The sheets are built on as many threads as `--jobs` gives; the
/// workbook is the same file whatever their number (formats numbered
/// before the sheets are built, errors and findings included).
#[test]
fn the_workbook_does_not_depend_on_the_threads() {
    let w = Workdir::new();
    let mut written = Vec::new();
    for jobs in ["1", "2", "5"] {
        consolidate_with(&w, &[repo("samples/ktkt-2022/don-vi")], &["--jobs", jobs]);
        written.push(std::fs::read(w.path("tong-hop.xlsx")).unwrap());
    }
    assert_eq!(written[0], written[1]);
    assert_eq!(written[0], written[2]);
    let book = thidua::workbook::open(&w.path("tong-hop.xlsx")).unwrap();
    let names: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Xếp hạng",
            "Chi tiết",
            "Chỉ tiêu khối",
            "Kiểm tra",
            "Nộp báo cáo",
            "Phiếu bầu"
        ]
    );
}
