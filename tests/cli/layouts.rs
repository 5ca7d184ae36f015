//! Hand-laid score sheets (tests/fixtures/layouts, written by
//! make_layouts.py with openpyxl, three re-saved by LibreOffice): each is
//! read to the figures its generator wrote, to the same values as the same
//! unit's figures in the template's layout, and a bloc consolidated from
//! hand-laid files ranks exactly as one consolidated from templates.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::Value;

use crate::workdir::{Workdir, repo, run, sample_plan};

fn layouts(sub: &str) -> PathBuf {
    repo("tests/fixtures/layouts").join(sub)
}

fn check_json(inputs: &[PathBuf]) -> Value {
    let w = Workdir::new();
    let mut cmd = w.thidua();
    cmd.arg("check")
        .arg("--plan")
        .arg(sample_plan())
        .args(["--format", "json"])
        .args(inputs);
    let (code, out, err) = run(&mut cmd);
    assert!(code == 0 || code == 1, "{err}");
    serde_json::from_str(&out).unwrap()
}

fn file_name(report: &Value) -> String {
    PathBuf::from(report["file"].as_str().unwrap())
        .file_name()
        .unwrap()
        .to_string_lossy()
        .to_string()
}

/// Indicator code → (achieved, baseline, self score) as read.
fn readings(report: &Value) -> BTreeMap<String, (Value, Value, Value)> {
    report["submission"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["code"].as_str().unwrap().to_string(),
                (
                    r["achieved"].clone(),
                    r["baseline"].clone(),
                    r["self_score"].clone(),
                ),
            )
        })
        .collect()
}

fn close(a: &Value, b: f64) -> bool {
    a.as_f64().is_some_and(|x| (x - b).abs() < 1e-6)
}

#[test]
fn every_hand_laid_layout_reads_as_written() {
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(layouts("expected.json")).unwrap()).unwrap();
    let expected = expected.as_object().unwrap();
    assert!(expected.len() >= 20, "at least 20 layouts");
    let hand: Vec<PathBuf> = expected.keys().map(|k| layouts("hand").join(k)).collect();
    let doc = check_json(&hand);
    let template = check_json(&[layouts("template")]);
    let by_unit: BTreeMap<String, &Value> = template["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["submission"]["unit"].as_str().unwrap().to_string(), f))
        .collect();
    assert_eq!(doc["summary"]["errors"], 0, "no errors in hand-laid files");
    for report in doc["files"].as_array().unwrap() {
        let name = file_name(report);
        let want = &expected[&name];
        let sub = &report["submission"];
        assert_eq!(sub["unit"], want["unit"], "{name}: unit");
        assert_eq!(sub["period"], want["period"], "{name}: period");
        assert!(
            sub["missing"].as_array().unwrap().is_empty(),
            "{name}: {}",
            sub["missing"]
        );
        for (code, score) in want["self_scores"].as_object().unwrap() {
            let row = sub["rows"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["code"] == *code)
                .unwrap_or_else(|| panic!("{name}: no row {code}"));
            assert!(
                close(&row["self_score"], score.as_f64().unwrap()),
                "{name} {code}: self score {} ≠ {score}",
                row["self_score"]
            );
        }
        for (code, count) in want["adjustments"].as_object().unwrap() {
            let read = sub["adjustments"]
                .as_array()
                .unwrap()
                .iter()
                .find(|a| a["code"] == *code)
                .map_or(0.0, |a| a["count"].as_f64().unwrap());
            assert_eq!(read, count.as_f64().unwrap(), "{name} {code}: count");
        }
        // The same figures as in the template's layout, value for value
        // (free text such as 3.5's note is retyped without diacritics in
        // some layouts and is not compared).
        let twin = readings(by_unit[want["unit"].as_str().unwrap()]);
        for (code, (achieved, baseline, own)) in readings(report) {
            let (t_achieved, t_baseline, t_own) = &twin[&code];
            if achieved["kind"] != "text" {
                assert_eq!(&achieved, t_achieved, "{name} {code}: achieved");
            }
            assert_eq!(&baseline, t_baseline, "{name} {code}: baseline");
            assert_eq!(&own, t_own, "{name} {code}: self score");
        }
        // How each row was matched is said.
        assert!(
            sub["rows"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["matched"]["by"].is_string() && r["achieved_cell"].is_string())
        );
    }
}

fn consolidate(inputs: &[PathBuf]) -> Value {
    let w = Workdir::new();
    let mut cmd = w.thidua();
    cmd.arg("consolidate")
        .arg("--plan")
        .arg(sample_plan())
        .args(inputs)
        .args(["-o", "th.xlsx", "--json", "th.json"]);
    let (code, out, err) = run(&mut cmd);
    assert!(code == 0 || code == 1, "{out}{err}");
    serde_json::from_str(&std::fs::read_to_string(w.path("th.json")).unwrap()).unwrap()
}

/// Rank, totals, grade, award and vote of every unit.
fn outcome(doc: &Value) -> Vec<Value> {
    let keys = [
        "code",
        "status",
        "rank",
        "shared_rank",
        "ranking_score",
        "total",
        "self_total",
        "bonus",
        "penalty",
        "grade",
        "award",
        "needs_vote",
        "barred",
    ];
    let mut out: Vec<Value> = doc["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            Value::Object(
                keys.iter()
                    .map(|k| (k.to_string(), u[*k].clone()))
                    .collect(),
            )
        })
        .collect();
    out.sort_by_key(|u| u["code"].as_str().unwrap().to_string());
    out
}

#[test]
fn layout_does_not_change_the_ranking() {
    let template = consolidate(&[layouts("template")]);
    let reference = outcome(&template);
    assert!(
        reference.iter().all(|u| u["status"] == "ranked"),
        "{reference:?}"
    );
    assert!(reference.iter().any(|u| u["award"] == "Cờ thi đua"));
    let mut names: Vec<String> = std::fs::read_dir(layouts("hand"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".xlsx") && !n.contains("libreoffice"))
        .collect();
    names.sort();
    // Two blocs: files 01–12 and 13–24, each unit in a different layout.
    for set in names.chunks(12) {
        let files: Vec<PathBuf> = set.iter().map(|n| layouts("hand").join(n)).collect();
        let hand = consolidate(&files);
        assert_eq!(outcome(&hand), reference, "{set:?}");
    }
}

/// A hand-laid file without `Thông tin`: the unit comes from its title row,
/// said at that cell; the rows matched by their wording are marked in the
/// annotated copy and listed on its `Lỗi` sheet.
#[test]
fn title_unit_and_wording_matches_are_shown() {
    let w = Workdir::new();
    let file = layouts("hand").join("01-only-sheet-two-row-header-SCT.xlsx");
    let mut cmd = w.thidua();
    cmd.arg("check")
        .arg("--plan")
        .arg(sample_plan())
        .args(["--format", "json", "--annotate", "danh-dau"])
        .arg(&file);
    let (code, out, err) = run(&mut cmd);
    assert_eq!(code, 0, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    let findings = doc["files"][0]["findings"].as_array().unwrap();
    let title = findings
        .iter()
        .find(|f| f["code"] == "unit-from-title")
        .expect("unit-from-title");
    assert_eq!(
        (&title["sheet"], &title["cell"], &title["found"]),
        (
            &Value::from("Sheet1"),
            &Value::from("A2"),
            &Value::from("SCT")
        )
    );
    let rows = doc["files"][0]["submission"]["rows"].as_array().unwrap();
    let first = &rows[0];
    assert_eq!(first["code"], "1.1");
    assert_eq!(first["matched"]["by"], "wording");
    assert_eq!(first["achieved_cell"], "F9");
    let book =
        thidua::workbook::open(&w.path("danh-dau/01-only-sheet-two-row-header-SCT.kiem-tra.xlsx"))
            .unwrap();
    let errors = book.sheet(&["Lỗi"]).unwrap();
    let marked: Vec<(String, String)> = (1..=errors.last_row().unwrap())
        .map(|r| (errors.text(r, 1), errors.text(r, 3)))
        .filter(|(code, _)| code == "matched-by-name")
        .collect();
    assert_eq!(
        marked.len(),
        18 + 4,
        "every indicator and bonus/penalty row: {marked:?}"
    );
    assert_eq!(marked[0].1, "B9");
}

/// Two sheets with a score table's header: the one named as the score
/// sheet is read, and the other is named in an info finding.
#[test]
fn of_two_score_tables_the_named_one_is_read_and_the_other_is_said() {
    let w = Workdir::new();
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, score) in [("Sheet1", 5.0), ("Tự chấm điểm", 20.0)] {
        let ws = wb.add_worksheet();
        ws.set_name(name).unwrap();
        ws.write_string(0, 0, "Đơn vị: Sở Xây dựng").unwrap();
        for (c, h) in ["Mã", "Nội dung", "Kết quả thực hiện", "Điểm tự chấm"]
            .iter()
            .enumerate()
        {
            ws.write_string(2, c as u16, *h).unwrap();
        }
        ws.write_string(3, 0, "1.1").unwrap();
        ws.write_string(3, 1, "Hoàn thành nhiệm vụ").unwrap();
        ws.write_number(3, 2, 100.0).unwrap();
        ws.write_number(3, 3, score).unwrap();
    }
    wb.save(w.path("hai-bang.xlsx")).unwrap();
    let doc = check_json(&[w.path("hai-bang.xlsx")]);
    let file = &doc["files"][0];
    let chosen = file["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "score-sheet-chosen")
        .expect("score-sheet-chosen");
    assert_eq!(chosen["found"], "Tự chấm điểm");
    assert_eq!(chosen["expected"], "Sheet1");
    assert_eq!(file["submission"]["score_sheet"], "Tự chấm điểm");
    assert_eq!(file["submission"]["rows"][0]["self_score"], 20.0);
}

/// Penalty rows typed with points only: a figure that is not a whole number
/// of times is a warning at its cell, an item the plan does not know is an
/// error at its cell, and penalties found by their wording are counted.
#[test]
fn penalty_rows_by_points_are_checked_against_the_plan() {
    let w = Workdir::new();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Đơn vị: Sở Xây dựng").unwrap();
    for (c, h) in ["TT", "Tiêu chí", "Kết quả đạt được", "Điểm tự chấm"]
        .iter()
        .enumerate()
    {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    ws.write_string(3, 1, "ĐIỂM TRỪ").unwrap();
    let rows = [
        ("Gửi báo cáo chậm so với thời hạn", "-0,75"),
        (
            "Đơn vị bị cấp có thẩm quyền kết luận có sai phạm",
            "- 2 điểm",
        ),
        ("Để xảy ra mất an toàn thông tin", "-1"),
    ];
    for (i, (text, points)) in rows.iter().enumerate() {
        ws.write_string(4 + i as u32, 1, *text).unwrap();
        ws.write_string(4 + i as u32, 3, *points).unwrap();
    }
    wb.save(w.path("tru-diem.xlsx")).unwrap();
    let doc = check_json(&[w.path("tru-diem.xlsx")]);
    let file = &doc["files"][0];
    let at = |code: &str| -> Vec<String> {
        file["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == code)
            .map(|f| f["cell"].as_str().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(at("adjustment-remainder"), ["D5"]);
    assert_eq!(at("unknown-adjustment"), ["B7"]);
    let adjustments = file["submission"]["adjustments"].as_array().unwrap();
    let count = |code: &str| {
        adjustments
            .iter()
            .find(|a| a["code"] == code)
            .map(|a| a["count"].as_f64().unwrap())
    };
    assert_eq!(count("TR1"), Some(1.5));
    assert_eq!(count("TR2"), Some(1.0));
}
