use serde_json::Value;

use crate::workdir::{Workdir, repo, run, sample_plan};

/// Runs `check --format json` and returns the exit code and the document.
fn check_json(w: &Workdir, files: &[std::path::PathBuf]) -> (i32, Value) {
    let mut cmd = w.thidua();
    cmd.arg("check")
        .arg("--plan")
        .arg(sample_plan())
        .args(["--format", "json"]);
    cmd.args(files);
    let (code, out, err) = run(&mut cmd);
    let doc = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    (code, doc)
}

/// (code, sheet, cell) of every finding of one file in a check document.
fn findings_of(doc: &Value, file_suffix: &str) -> Vec<(String, String, String)> {
    let file = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"].as_str().unwrap().ends_with(file_suffix))
        .unwrap_or_else(|| panic!("no report for {file_suffix}"));
    file["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or("").to_string();
            (s("code"), s("sheet"), s("cell"))
        })
        .collect()
}

fn has(found: &[(String, String, String)], code: &str, sheet: &str, cell: &str) -> bool {
    found
        .iter()
        .any(|(c, s, a)| c == code && s == sheet && a == cell)
}

#[test]
fn sample_bloc_flaws_are_reported_at_their_cells() {
    let w = Workdir::new();
    let (code, doc) = check_json(&w, &[repo("samples/ktkt-2022/don-vi")]);
    assert_eq!(code, 1);
    assert_eq!(doc["schema"], "thidua/check/1");
    assert_eq!(doc["summary"]["files"], 13);
    let ts = "Tự chấm điểm";
    let expected: &[(&str, &str, &str, &str)] = &[
        ("SXD_NAM.xlsx", "text-number", ts, "I6"),
        ("SXD_NAM.xlsx", "text-number", ts, "I14"),
        ("SXD_NAM.xlsx", "over-claimed", ts, "I6"),
        ("SXD_NAM.xlsx", "total-mismatch", ts, "I26"),
        ("SGTVT_NAM.xlsx", "above-max", ts, "I7"),
        ("SGTVT_NAM.xlsx", "off-step", ts, "I12"),
        ("SGTVT_NAM.xlsx", "over-claimed", ts, "I13"),
        ("SNN_NAM.xlsx", "missing-row", ts, ""),
        ("SKHCN_NAM.xlsx", "score-as-date", ts, "I14"),
        ("SKHCN_NAM.xlsx", "ambiguous-number", ts, "G23"),
        ("STTTT_NAM.xlsx", "total-mismatch", ts, "I26"),
        ("So Tai chinh.xlsx", "no-info-sheet", "", ""),
        ("So Tai chinh.xlsx", "matched-by-name", ts, "C13"),
        ("So Tai chinh.xlsx", "over-claimed", ts, "I17"),
        ("SYT_NAM.xlsx", "unknown-unit", "Thông tin", "B4"),
        ("BQLKKT_NAM.xlsx", "weaker-target", "Đăng ký chỉ tiêu", "F6"),
        ("CTHUE_NAM.xlsx", "unreadable-value", ts, "G15"),
        ("CTHUE_NAM.xlsx", "over-cap", ts, "G31"),
        ("KBNN_NAM.xlsx", "not-assigned", "TU CHAM DIEM", "G23"),
    ];
    for (file, code, sheet, cell) in expected {
        let found = findings_of(&doc, file);
        assert!(
            has(&found, code, sheet, cell),
            "{file}: no {code} at {sheet}!{cell}: {found:?}"
        );
    }
    // The clean ones are clean, including the one rebuilt by hand.
    assert!(findings_of(&doc, "/SCT_NAM.xlsx").is_empty());
    assert!(findings_of(&doc, "SCT_NAM (ban cu).xlsx").is_empty());
    assert!(findings_of(&doc, "STNMT_NAM.xlsx").is_empty());
    // Exactly the planted errors, no more.
    assert_eq!(doc["summary"]["errors"], 7, "{:#}", doc["summary"]);
    assert_eq!(doc["summary"]["files_with_errors"], 6);
}

#[test]
fn moved_columns_are_read_by_their_headers() {
    let w = Workdir::new();
    let (_, doc) = check_json(&w, &[repo("samples/ktkt-2022/don-vi/STNMT_NAM.xlsx")]);
    let rows = doc["files"][0]["submission"]["rows"].as_array().unwrap();
    let row = rows.iter().find(|r| r["code"] == "1.2").unwrap();
    // Three extra title rows push the table down; `Điểm tự chấm` sits in F.
    assert_eq!(row["cell"], "F10");
    assert_eq!(row["self_score"], 10.0);
    assert_eq!(row["achieved"]["value"], 88.5);
    assert_eq!(row["outcome"], "exceeded");
    assert_eq!(row["computed"], 10.0);
}

#[test]
fn workbooks_from_libreoffice_and_openpyxl() {
    let w = Workdir::new();
    let fixtures = [
        "lo-resaved-sct.xlsx",
        "lo-sgtvt.ods",
        "lo-cthue.XLS",
        "openpyxl-handmade.xlsx",
    ];
    let files: Vec<_> = fixtures
        .iter()
        .map(|f| repo(&format!("tests/fixtures/{f}")))
        .collect();
    let (code, doc) = check_json(&w, &files);
    assert_eq!(code, 1);
    assert!(findings_of(&doc, "lo-resaved-sct.xlsx").is_empty());
    let ts = "Tự chấm điểm";
    let ods = findings_of(&doc, "lo-sgtvt.ods");
    assert!(has(&ods, "above-max", ts, "I7"), "{ods:?}");
    assert!(has(&ods, "off-step", ts, "I12"), "{ods:?}");
    let xls = findings_of(&doc, "lo-cthue.XLS");
    assert!(has(&xls, "unreadable-value", ts, "G15"), "{xls:?}");
    assert!(has(&xls, "over-cap", ts, "G31"), "{xls:?}");
    let hand = findings_of(&doc, "openpyxl-handmade.xlsx");
    let sheet = "Bang tu cham diem";
    assert!(has(&hand, "above-max", sheet, "E10"), "{hand:?}");
    assert!(has(&hand, "unreadable-value", sheet, "D18"), "{hand:?}");
    assert!(has(&hand, "missing-baseline", sheet, "D12"), "{hand:?}");
    assert!(has(&hand, "text-number", sheet, "E17"), "{hand:?}");
    assert!(has(&hand, "formula-no-value", sheet, "E29"), "{hand:?}");
    assert!(has(&hand, "not-assigned", sheet, "D26"), "{hand:?}");
    // The unit is recognised from `So Cong Thuong`, the period from `Năm`.
    let report = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"].as_str().unwrap().ends_with("handmade.xlsx"))
        .unwrap();
    assert_eq!(report["submission"]["unit"], "SCT");
    assert_eq!(report["submission"]["period"], "NAM");
    assert_eq!(report["submission"]["report_date"], "2022-12-12");
    let rows = report["submission"]["rows"].as_array().unwrap();
    let r23 = rows.iter().find(|r| r["code"] == "2.3").unwrap();
    assert_eq!(r23["self_score"], 4.5);
    assert_eq!(r23["achieved"]["value"], 16.0);
    let r27 = rows.iter().find(|r| r["code"] == "2.7").unwrap();
    assert_eq!(r27["achieved"]["value"], "excellent");
}

#[test]
fn damaged_files_get_findings_and_the_batch_goes_on() {
    let w = Workdir::new();
    let files: Vec<_> = [
        "password.xlsx",
        "truncated.xlsx",
        "not-a-workbook.xlsx",
        "lo-resaved-sct.xlsx",
    ]
    .iter()
    .map(|f| repo(&format!("tests/fixtures/{f}")))
    .collect();
    let (code, doc) = check_json(&w, &files);
    assert_eq!(code, 1);
    assert_eq!(findings_of(&doc, "password.xlsx")[0].0, "encrypted-file");
    assert_eq!(findings_of(&doc, "truncated.xlsx")[0].0, "corrupt-file");
    assert_eq!(
        findings_of(&doc, "not-a-workbook.xlsx")[0].0,
        "not-a-workbook"
    );
    assert!(
        findings_of(&doc, "lo-resaved-sct.xlsx").is_empty(),
        "checked after the bad ones"
    );

    // The text output names each file and says what to do, in English too.
    let mut cmd = w.thidua();
    cmd.args(["--lang", "en", "check", "--plan"])
        .arg(sample_plan())
        .args(&files);
    let (code, out, _) = run(&mut cmd);
    assert_eq!(code, 1);
    assert!(out.contains("password.xlsx\n  error"), "{out}");
    assert!(
        out.contains("remove the password and send it again"),
        "{out}"
    );
    assert!(out.contains("Total: 4 files; 3 with errors"), "{out}");
}

#[test]
fn clean_files_exit_0_and_bad_arguments_exit_2() {
    let w = Workdir::new();
    let mut cmd = w.thidua();
    cmd.arg("check")
        .arg("--plan")
        .arg(sample_plan())
        .arg(repo("samples/ktkt-2022/don-vi/SCT_NAM.xlsx"));
    let (code, out, _) = run(&mut cmd);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("✓ không có vấn đề"), "{out}");
    let mut cmd = w.thidua();
    cmd.arg("check")
        .arg("--plan")
        .arg(sample_plan())
        .args(["--period", "Q5"])
        .arg(repo("samples"));
    let (code, _, err) = run(&mut cmd);
    assert_eq!(code, 2);
    assert!(err.contains("Q5"), "{err}");
}

#[test]
fn annotated_copies_mark_the_cells_and_leave_the_original() {
    let w = Workdir::new();
    let original = repo("samples/ktkt-2022/don-vi/SGTVT_NAM.xlsx");
    let before = std::fs::read(&original).unwrap();
    let mut cmd = w.thidua();
    cmd.arg("check")
        .arg("--plan")
        .arg(sample_plan())
        .arg(&original)
        .args(["--annotate", "danh-dau"]);
    let (code, out, _) = run(&mut cmd);
    assert_eq!(code, 1);
    assert!(out.contains("danh-dau/SGTVT_NAM.kiem-tra.xlsx"), "{out}");
    assert_eq!(std::fs::read(&original).unwrap(), before);

    let copy = thidua::workbook::open(&w.path("danh-dau/SGTVT_NAM.kiem-tra.xlsx")).unwrap();
    let errors = copy.sheet(&["Lỗi"]).expect("Lỗi sheet");
    assert_eq!(errors.text(0, 1), "Mã lỗi");
    let listed: Vec<(String, String)> = (1..=errors.last_row().unwrap())
        .map(|r| (errors.text(r, 1), errors.text(r, 3)))
        .collect();
    assert!(
        listed.contains(&("above-max".into(), "I7".into())),
        "{listed:?}"
    );
    assert!(
        listed.contains(&("off-step".into(), "I12".into())),
        "{listed:?}"
    );
    // The values are all there, the score in I7 too.
    let scores = copy.sheet(&["Tự chấm điểm"]).unwrap();
    assert_eq!(scores.value(6, 8), &thidua::workbook::Value::Number(12.0));
    assert_eq!(scores.text(5, 1), "1.1");
}

/// A workbook rebuilt by hand with the row-level mistakes the samples do not
/// carry: an unknown unit and period, a duplicated row, an unknown code, a
/// negative score.
#[test]
fn hand_built_row_mistakes() {
    use rust_xlsxwriter::Workbook;
    let w = Workdir::new();
    let mut wb = Workbook::new();
    let info = wb.add_worksheet();
    info.set_name("Thông tin").unwrap();
    for (r, (k, v)) in [
        ("Mã kế hoạch", "KTKT-2022"),
        ("Mã đơn vị", "Sở Xây dựg"),
        ("Kỳ báo cáo", "Quý V"),
    ]
    .iter()
    .enumerate()
    {
        info.write_string(r as u32, 0, *k).unwrap();
        info.write_string(r as u32, 1, *v).unwrap();
    }
    let ws = wb.add_worksheet();
    ws.set_name("Tự chấm điểm").unwrap();
    for (c, h) in ["Mã", "Nội dung", "Kết quả thực hiện", "Điểm tự chấm"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let rows: &[(&str, &str, f64, f64)] = &[
        ("1.1", "Hoàn thành nhiệm vụ", 100.0, 20.0),
        ("1.1", "Hoàn thành nhiệm vụ (lặp)", 100.0, 20.0),
        ("9.9", "Một dòng lạ", 1.0, 1.0),
        ("1.2", "Dịch vụ công mức độ 4", 85.0, -1.0),
    ];
    for (i, (code, text, achieved, score)) in rows.iter().enumerate() {
        let r = 1 + i as u32;
        ws.write_string(r, 0, *code).unwrap();
        ws.write_string(r, 1, *text).unwrap();
        ws.write_number(r, 2, *achieved).unwrap();
        ws.write_number(r, 3, *score).unwrap();
    }
    wb.save(w.path("tay.xlsx")).unwrap();

    let (code, doc) = check_json(&w, &[w.path("tay.xlsx")]);
    assert_eq!(code, 1);
    let found = findings_of(&doc, "tay.xlsx");
    assert!(has(&found, "unknown-unit", "Thông tin", "B2"), "{found:?}");
    assert!(
        has(&found, "unknown-period", "Thông tin", "B3"),
        "{found:?}"
    );
    assert!(
        has(&found, "duplicate-row", "Tự chấm điểm", "A3"),
        "{found:?}"
    );
    assert!(
        has(&found, "unknown-row", "Tự chấm điểm", "A4"),
        "{found:?}"
    );
    assert!(
        has(&found, "negative-score", "Tự chấm điểm", "D5"),
        "{found:?}"
    );
    assert!(has(&found, "missing-row", "Tự chấm điểm", ""), "{found:?}");
    // The unknown unit's message suggests the closest one.
    let f = doc["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "unknown-unit")
        .unwrap();
    assert_eq!(f["expected"], " — SXD (Sở Xây dựng)?");
}

/// The annotated copy of an xlsx is the unit's own package with the problem
/// cells filled: every other part is byte for byte the original's, every
/// cell keeps its value and its percent format, and the copy opens on
/// `Lỗi`. Tried on a workbook LibreOffice saved and on one openpyxl wrote.
#[test]
fn the_annotated_copy_keeps_the_units_workbook() {
    use std::io::Read;
    let w = Workdir::new();
    let files = [
        repo("tests/fixtures/layouts/hand/12-everything-at-once-KBNN-libreoffice.xlsx"),
        repo("tests/fixtures/layouts/hand/24-everything-at-once-STNMT.xlsx"),
        repo("samples/ktkt-2022/don-vi/SGTVT_NAM.xlsx"),
    ];
    let mut cmd = w.thidua();
    cmd.arg("check")
        .arg("--plan")
        .arg(sample_plan())
        .args(&files)
        .args(["--annotate", "danh-dau", "--format", "json"]);
    let (_, out, err) = run(&mut cmd);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}{err}"));
    let parts = |path: &std::path::Path| -> std::collections::BTreeMap<String, Vec<u8>> {
        let bytes = std::fs::read(path).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        (0..zip.len())
            .map(|i| {
                let mut e = zip.by_index(i).unwrap();
                let mut data = Vec::new();
                e.read_to_end(&mut data).unwrap();
                (e.name().unwrap().to_string(), data)
            })
            .collect()
    };
    for original in &files {
        let stem = original.file_stem().unwrap().to_string_lossy();
        let copy = w.path(&format!("danh-dau/{stem}.kiem-tra.xlsx"));
        let (before, after) = (parts(original), parts(&copy));
        // Only the parts that mark the cells and add the sheet changed.
        for (name, bytes) in &before {
            let edited = name == "xl/styles.xml"
                || name == "xl/workbook.xml"
                || name == "[Content_Types].xml"
                || name == "xl/_rels/workbook.xml.rels"
                || name.starts_with("xl/worksheets/sheet");
            if !edited {
                assert_eq!(after.get(name), Some(bytes), "{stem}: {name} changed");
            }
        }
        assert!(after.contains_key("xl/worksheets/thidua-loi.xml"), "{stem}");
        assert!(
            String::from_utf8_lossy(&after["xl/styles.xml"]).contains("FFFFC7CE"),
            "{stem}: the problem fill"
        );
        // Every value and percent format of the original, and `Lỗi` last.
        let a = thidua::workbook::open(original).unwrap();
        let b = thidua::workbook::open(&copy).unwrap();
        assert_eq!(b.sheets.len(), a.sheets.len() + 1);
        assert_eq!(b.sheets.last().unwrap().name, "Lỗi");
        for (sa, sb) in a.sheets.iter().zip(&b.sheets) {
            assert_eq!(sa.name, sb.name);
            for ((r, c), cell) in sa.cells() {
                let other = sb
                    .cell(r, c)
                    .unwrap_or_else(|| panic!("{stem} {} {r},{c}", sa.name));
                assert_eq!(
                    other.value,
                    cell.value,
                    "{stem} {}!{}",
                    sa.name,
                    thidua::finding::a1(r, c)
                );
                assert_eq!(
                    other.percent,
                    cell.percent,
                    "{stem} {}!{}",
                    sa.name,
                    thidua::finding::a1(r, c)
                );
            }
        }
        // It opens on `Lỗi`, and no other sheet is selected with it.
        let workbook = String::from_utf8_lossy(&after["xl/workbook.xml"]).to_string();
        assert!(
            workbook.contains(&format!("activeTab=\"{}\"", a.sheets.len())),
            "{stem}: {workbook}"
        );
        let selected = after
            .iter()
            .filter(|(n, _)| n.starts_with("xl/worksheets/"))
            .filter(|(_, x)| String::from_utf8_lossy(x).contains("tabSelected=\"1\""))
            .count();
        assert_eq!(selected, 1, "{stem}");
        // Every finding with a cell is listed.
        let listed = b.sheets.last().unwrap().last_row().unwrap() as usize;
        let report = doc["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| {
                f["file"]
                    .as_str()
                    .unwrap()
                    .ends_with(&*original.to_string_lossy())
            })
            .unwrap();
        let findings = report["findings"].as_array().unwrap().len();
        assert_eq!(listed, findings, "{stem}");
    }
    // The marked cell: SGTVT's I7 has the fill's style, not its own.
    let before = parts(&files[2]);
    let after = parts(&w.path("danh-dau/SGTVT_NAM.kiem-tra.xlsx"));
    let style = |xml: &[u8]| {
        let xml = String::from_utf8_lossy(xml).to_string();
        let at = xml.find("<c r=\"I7\"").unwrap();
        let tag = &xml[at..at + xml[at..].find('>').unwrap()];
        tag.split(" s=\"")
            .nth(1)
            .map(|s| s.split('"').next().unwrap().to_string())
    };
    let sheet = "xl/worksheets/sheet3.xml";
    assert_ne!(style(&before[sheet]), style(&after[sheet]));
}
