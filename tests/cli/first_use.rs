//! The mistakes a clerk makes on first use: outputs named like inputs,
//! wrong extensions, empty folders, every workbook of the office in one
//! folder, a refused file in the archive, quarterly files at intake.

use std::path::{Path, PathBuf};

use calamine::{Data, Reader};
use serde_json::Value;

use crate::workdir::{Workdir, repo, run, sample_plan};

fn sample(name: &str) -> PathBuf {
    repo(&format!("samples/ktkt-2022/{name}"))
}

fn consolidate(w: &Workdir, args: &[&str]) -> (i32, String, String) {
    let mut cmd = w.thidua();
    cmd.arg("consolidate").args(args);
    run(&mut cmd)
}

/// Copies the sample plan into the workdir, so a test may try to
/// overwrite it.
fn own_plan(w: &Workdir) -> Vec<u8> {
    let bytes = std::fs::read(sample_plan()).unwrap();
    std::fs::write(w.path("kh.xlsx"), &bytes).unwrap();
    std::fs::create_dir_all(w.path("dv")).unwrap();
    std::fs::copy(sample("don-vi/SCT_NAM.xlsx"), w.path("dv/SCT_NAM.xlsx")).unwrap();
    bytes
}

#[test]
fn an_output_that_is_an_input_or_another_output_is_refused() {
    let w = Workdir::new();
    let plan = own_plan(&w);
    std::fs::copy(sample("tham-dinh.xlsx"), w.path("td.xlsx")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(w.path("kh.xlsx"), w.path("lien-ket.xlsx")).unwrap();
    let review = std::fs::read(w.path("td.xlsx")).unwrap();
    let mut refused: Vec<Vec<&str>> = vec![
        vec!["--plan", "kh.xlsx", "dv", "-o", "kh.xlsx"],
        vec!["--plan", "kh.xlsx", "dv", "-o", "./kh.xlsx"],
        vec!["--plan", "kh.xlsx", "dv", "-o", "dv/../kh.xlsx"],
        vec![
            "--plan", "kh.xlsx", "--review", "td.xlsx", "dv", "-o", "td.xlsx",
        ],
        vec!["--plan", "kh.xlsx", "dv", "-o", "dv/SCT_NAM.xlsx"],
    ];
    #[cfg(unix)]
    refused.push(vec!["--plan", "kh.xlsx", "dv", "-o", "lien-ket.xlsx"]);
    for args in &refused {
        let (code, out, err) = consolidate(&w, args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(
            err.contains("chính là tệp đầu vào") || err.contains("hai tệp kết quả trùng nhau"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(
        std::fs::read(w.path("kh.xlsx")).unwrap(),
        plan,
        "the plan is untouched"
    );
    assert_eq!(std::fs::read(w.path("td.xlsx")).unwrap(), review);
    assert!(!w.path("th.xlsx").exists() && !w.path("th.json").exists());

    // The digest: its workbook on the plan, its Markdown on its workbook.
    std::fs::create_dir(w.path("kho")).unwrap();
    std::fs::write(w.path("kho/so-nhan.csv"), "").unwrap();
    for args in [
        vec!["-o", "kh.xlsx"],
        vec!["-o", "bt.md", "--markdown", "./bt.md"],
        vec!["-o", "kho/so-nhan.csv"],
    ] {
        let mut cmd = w.thidua();
        cmd.args([
            "digest",
            "--plan",
            "kh.xlsx",
            "--archive",
            "kho",
            "--month",
            "2022-07",
        ])
        .args(&args);
        let (code, _, err) = run(&mut cmd);
        assert_eq!(code, 2, "{args:?}: {err}");
    }
    assert_eq!(std::fs::read(w.path("kh.xlsx")).unwrap(), plan);
}

#[test]
fn an_output_is_named_for_what_it_holds_and_follows_the_umask() {
    let w = Workdir::new();
    own_plan(&w);
    for wrong in ["th.ods", "th.csv", "th.xls"] {
        let (code, _, err) = consolidate(&w, &["--plan", "kh.xlsx", "dv", "-o", wrong]);
        assert_eq!(code, 2, "{wrong}: {err}");
        assert!(err.contains("th.xlsx"), "suggests the right name: {err}");
        assert!(!w.path(wrong).exists());
    }
    let (code, out, err) = consolidate(
        &w,
        &[
            "--plan", "kh.xlsx", "dv", "-o", "tong-hop", "--json", "tong-hop",
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("`tong-hop.xlsx`"), "{err}");
    assert!(
        out.contains("tong-hop.xlsx, tong-hop.json"),
        "both named: {out}"
    );
    let bytes = std::fs::read(w.path("tong-hop.xlsx")).unwrap();
    assert!(bytes.starts_with(b"PK"));
    assert!(
        std::fs::read_to_string(w.path("tong-hop.json"))
            .unwrap()
            .starts_with('{')
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(w.path("tong-hop.xlsx"))
            .unwrap()
            .permissions()
            .mode();
        let umask = std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("Umask:"))
                    .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
            })
            .unwrap_or(0o022);
        assert_eq!(
            mode & 0o777,
            0o666 & !umask,
            "mode {mode:o}, umask {umask:o}"
        );
    }
}

#[test]
fn nothing_to_read_is_not_a_bloc_that_sent_nothing() {
    let w = Workdir::new();
    std::fs::create_dir(w.path("trong")).unwrap();
    std::fs::write(w.path("trong/ghi-chu.txt"), "không phải bảng tính").unwrap();
    let plan = sample_plan().display().to_string();
    for input in ["trong", "khong-co"] {
        let (code, _, err) = consolidate(&w, &["--plan", &plan, input, "-o", "th.xlsx"]);
        assert_eq!(code, 2, "{input}: {err}");
        assert!(err.contains(input), "{err}");
        assert!(!w.path("th.xlsx").exists(), "nothing written for {input}");
    }
    let mut cmd = w.thidua();
    cmd.args(["check", "--plan", &plan, "khong-co"]);
    let (code, _, err) = run(&mut cmd);
    assert_eq!(code, 2);
    assert!(
        err.contains("không tìm thấy tệp hoặc thư mục `khong-co`"),
        "{err}"
    );
}

#[test]
fn the_plan_the_review_and_earlier_outputs_in_the_folder_are_left_out() {
    let w = Workdir::new();
    own_plan(&w);
    std::fs::copy(sample("tham-dinh.xlsx"), w.path("dv/tham-dinh.xlsx")).unwrap();
    std::fs::copy(sample_plan(), w.path("dv/ke-hoach.xlsx")).unwrap();
    for _ in 0..2 {
        // The second time the output is among the inputs: the earlier
        // run's own, it is skipped and replaced, not refused.
        let (code, _, err) = consolidate(
            &w,
            &["--plan", "kh.xlsx", "dv", "-o", "dv/tong-hop-cu.xlsx"],
        );
        assert_eq!(code, 0, "{err}");
    }
    let (code, _, err) = consolidate(
        &w,
        &[
            "--plan", "kh.xlsx", "dv", "-o", "th.xlsx", "--json", "th.json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(w.path("th.json")).unwrap()).unwrap();
    let of = |name: &str| -> Vec<String> {
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["file"].as_str().unwrap().ends_with(name))
            .map(|f| {
                format!(
                    "{} {}",
                    f["code"].as_str().unwrap(),
                    f["severity"].as_str().unwrap()
                )
            })
            .collect()
    };
    assert_eq!(of("ke-hoach.xlsx"), ["skipped-plan info"]);
    assert_eq!(of("tham-dinh.xlsx"), ["skipped-review info"]);
    assert_eq!(of("tong-hop-cu.xlsx"), ["skipped-output info"]);
    // No stranger among the units: only SCT's file was read.
    assert_eq!(doc["files"].as_array().unwrap().len(), 1);
    let mut cmd = w.thidua();
    cmd.args(["check", "--plan", "kh.xlsx", "dv"]);
    let (code, out, _) = run(&mut cmd);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("skipped-plan") && out.contains("skipped-review"),
        "{out}"
    );
    assert!(
        !out.contains("missing-info") && !out.contains("unknown-unit"),
        "{out}"
    );
}

#[test]
fn a_refused_file_in_the_archive_is_a_unit_with_errors_not_one_that_sent_nothing() {
    let w = Workdir::new();
    let plan = sample_plan().display().to_string();
    let mut cmd = w.thidua();
    cmd.args([
        "intake",
        "--plan",
        &plan,
        "--archive",
        "kho",
        "--received",
        "2022-12-14",
    ])
    .arg(sample("don-vi/SCT_NAM.xlsx"))
    .arg(sample("don-vi/SGTVT_NAM.xlsx"));
    let (code, out, _) = run(&mut cmd);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("có lỗi – không nhận"), "{out}");
    let (code, out, err) = consolidate(
        &w,
        &["--plan", &plan, "kho", "-o", "th.xlsx", "--json", "th.json"],
    );
    assert_eq!(code, 1, "{err}");
    let line = out.lines().find(|l| l.contains("SGTVT")).unwrap();
    assert!(line.contains("Có lỗi – chưa xếp loại: tệp"), "{line}");
    assert!(
        line.contains("kho/ktkt-2022/nam/sgtvt/"),
        "names the stored file: {line}"
    );
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(w.path("th.json")).unwrap()).unwrap();
    let sgtvt = doc["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["code"] == "SGTVT")
        .unwrap();
    assert_eq!(sgtvt["status"], "rejected");
    assert!(sgtvt["rank"].is_null());
    let registered = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["unit"] == "SGTVT")
        .unwrap();
    assert_eq!(registered["status"], "rejected");
    assert!(registered["errors"].as_u64().unwrap() > 0);
    // Its errors are in the findings, at their cells.
    assert!(
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| { f["unit"] == "SGTVT" && f["severity"] == "error" && f["cell"].is_string() })
    );
}

#[test]
fn intake_takes_each_files_own_period_and_prints_its_findings() {
    let w = Workdir::new();
    let plan = sample_plan().display().to_string();
    let mut cmd = w.thidua();
    cmd.args([
        "intake",
        "--plan",
        &plan,
        "--archive",
        "kho",
        "--received",
        "2022-04-12",
    ])
    .arg(sample("ky/Q1/SCT_Q1.xlsx"))
    .arg(sample("don-vi/SGTVT_NAM.xlsx"));
    let (_, out, _) = run(&mut cmd);
    assert!(!out.contains("period-mismatch"), "{out}");
    let sct = out.lines().find(|l| l.contains("SCT_Q1")).unwrap();
    assert!(sct.contains(" Q1 "), "{sct}");
    let ledger = thidua::archive::read_ledger(&w.path("kho")).unwrap();
    let q1 = ledger.iter().find(|e| e.unit == "SCT").unwrap();
    assert_eq!(q1.period, "Q1");
    let refused = ledger.iter().find(|e| e.unit == "SGTVT").unwrap();
    let printed = |word: &str| {
        out.lines()
            .filter(|l| l.trim_start().starts_with(word))
            .count()
    };
    assert_eq!(printed("lỗi"), refused.errors, "every error printed: {out}");
    assert_eq!(
        printed("cảnh báo"),
        refused.warnings + q1.warnings,
        "every warning printed: {out}"
    );
}

#[test]
fn a_unit_of_another_bloc_is_one_error() {
    let w = Workdir::new();
    let plan = sample_plan().display().to_string();
    let syt = sample("don-vi/SYT_NAM.xlsx").display().to_string();
    let (_, _, err) = consolidate(
        &w,
        &["--plan", &plan, &syt, "-o", "th.xlsx", "--json", "th.json"],
    );
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(w.path("th.json")).unwrap())
        .unwrap_or_else(|e| panic!("{e}: {err}"));
    let errors: Vec<&Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["file"].as_str().unwrap().ends_with("SYT_NAM.xlsx") && f["severity"] == "error"
        })
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["code"], "not-in-bloc");
    assert_eq!(errors[0]["cell"], "B4", "said at the unit's cell");
}

/// Every table sheet of the consolidated workbook: no data cell right of
/// the last header (a column without a heading shifts every heading after
/// it).
#[test]
fn every_column_of_the_consolidated_workbook_has_its_heading() {
    let w = Workdir::new();
    let plan = sample_plan().display().to_string();
    let kho = w.path("kho");
    let mut cmd = w.thidua();
    cmd.args(["intake", "--plan", &plan, "--archive"])
        .arg(&kho)
        .args(["--received", "2022-12-14"])
        .arg(sample("don-vi/SCT_NAM.xlsx"))
        .arg(sample("don-vi/SNN_NAM.xlsx"));
    run(&mut cmd);
    let (_, _, err) = consolidate(&w, &["--plan", &plan, "kho", "-o", "th.xlsx"]);
    assert!(w.path("th.xlsx").exists(), "{err}");
    let checked = header_widths_match(&w.path("th.xlsx"), &["Phiếu bầu"]);
    assert!(checked.contains(&"Nộp báo cáo".to_string()), "{checked:?}");
    assert!(checked.len() >= 4, "{checked:?}");
}

/// Checks, on every sheet but those skipped, that no data row is wider
/// than the header above it. A header row is a row of at least two text
/// cells and nothing else that opens a table: after an empty row, a title
/// (one cell) or another header row (a sheet may hold several tables, and
/// a header may take two rows). Returns the sheets checked.
pub fn header_widths_match(path: &Path, skip: &[&str]) -> Vec<String> {
    let mut book = calamine::open_workbook_auto(path).unwrap();
    let mut checked = Vec::new();
    for name in book.sheet_names() {
        if skip.contains(&name.as_str()) {
            continue;
        }
        let range = book.worksheet_range(&name).unwrap();
        let first_row = range.start().map_or(0, |(r, _)| r as usize);
        let mut width: Option<usize> = None;
        let mut previous_was_header = false;
        let mut opens = true;
        for (i, row) in range.rows().enumerate() {
            let cells: Vec<(usize, &Data)> = row
                .iter()
                .enumerate()
                .filter(|(_, c)| !matches!(c, Data::Empty))
                .collect();
            let Some(&(last, _)) = cells.last() else {
                opens = true;
                continue;
            };
            let header = (opens || previous_was_header)
                && cells.len() >= 2
                && cells.iter().all(|(_, c)| matches!(c, Data::String(_)));
            opens = cells.len() == 1;
            if header {
                width = Some(match (previous_was_header, width) {
                    (true, Some(w)) => w.max(last),
                    _ => last,
                });
            } else if let Some(w) = width {
                assert!(
                    last <= w,
                    "{name}: row {} has data in column {} beyond the last heading (column {})",
                    first_row + i + 1,
                    last + 1,
                    w + 1
                );
            }
            previous_was_header = header;
        }
        if width.is_some() {
            checked.push(name);
        }
    }
    checked
}

#[test]
fn one_language_at_a_time() {
    let w = Workdir::new();
    let plan = sample_plan().display().to_string();
    // Argument errors and help in Vietnamese by default…
    let (code, _, err) = run(w.thidua().args(["tong-hop", "--plna", "x"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("không có tùy chọn `--plna`; có phải ý bạn là `--plan`?"),
        "{err}"
    );
    assert!(err.contains("Cách dùng: thidua consolidate"), "{err}");
    let (code, out, _) = run(w.thidua().args(["check", "--help"]));
    assert_eq!(code, 0);
    assert!(out.contains("Kiểm tra bảng tính của các đơn vị"), "{out}");
    for english in [
        "Usage",
        "Options",
        "Print help",
        "[default",
        "possible values",
    ] {
        assert!(!out.contains(english), "`{english}` in: {out}");
    }
    // …in English when asked, or when the locale is English.
    let (_, out, _) = run(w.thidua().args(["--lang", "en", "check", "--help"]));
    assert!(out.contains("Check units' workbooks"), "{out}");
    let (_, _, err) = run(w
        .thidua()
        .env("LC_ALL", "en_GB.UTF-8")
        .args(["check", "--plan", "x", "y"]));
    assert!(err.contains("no such plan file `x`"), "{err}");
    // Exit-2 errors in Vietnamese, the system's words replaced.
    let (code, _, err) = run(w.thidua().args(["check", "--plan", "khong.xlsx", "y"]));
    assert_eq!(code, 2);
    assert_eq!(
        err.trim(),
        "thidua: không tìm thấy tệp kế hoạch `khong.xlsx`"
    );
    let (_, _, err) = run(w.thidua().args(["init", "."]));
    assert!(err.is_empty(), "{err}");
    let (code, _, err) = run(w.thidua().args(["init", "."]));
    assert_eq!(code, 2);
    assert!(err.contains("đã có; thêm --force nếu muốn ghi đè"), "{err}");
    let (code, _, err) = run(w.thidua().args([
        "intake",
        "--plan",
        &plan,
        "--archive",
        "kho",
        "--received",
        "hôm qua",
        "a.xlsx",
    ]));
    assert_eq!(code, 2);
    assert!(err.contains("cần dạng 2022-12-15"), "{err}");
    // English counts agree with their numbers.
    let sct = repo("samples/ktkt-2022/don-vi/SCT_NAM.xlsx")
        .display()
        .to_string();
    let (_, out, _) = run(w
        .thidua()
        .args(["--lang", "en", "check", "--plan", &plan, &sct]));
    assert!(out.contains("Total: 1 file;"), "{out}");
    // Both-language values are said in one.
    std::fs::write(w.path("x.txt"), "").unwrap();
    let (_, out, _) = run(w.thidua().args(["check", "--plan", &plan, "x.txt"]));
    assert!(!out.contains(" / a "), "{out}");
}

#[test]
fn the_digest_month_is_read_as_people_write_it() {
    let w = Workdir::new();
    let plan = sample_plan().display().to_string();
    std::fs::create_dir(w.path("kho")).unwrap();
    std::fs::write(w.path("kho/so-nhan.csv"), "").unwrap();
    let digest = |month: &str| {
        let mut cmd = w.thidua();
        cmd.args([
            "digest",
            "--plan",
            &plan,
            "--archive",
            "kho",
            "--month",
            month,
        ])
        .args(["-o", "bt.xlsx"]);
        run(&mut cmd)
    };
    let (code, _, err) = digest("2022-13");
    assert_eq!(code, 2);
    assert!(err.contains("không có tháng 13"), "{err}");
    let (code, out, err) = digest("07/2022");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("tháng 07/2022"), "{out}");
    let (_, out, _) = digest("2022-7");
    assert!(out.contains("tháng 07/2022"), "{out}");
    let (code, _, err) = digest("2023-01");
    assert_eq!(code, 0);
    assert!(err.contains("nằm ngoài năm của kế hoạch"), "{err}");
}

#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::Read;
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("thidua"))
        .env("LC_ALL", "C.UTF-8")
        .arg("check")
        .arg("--plan")
        .arg(sample_plan())
        .arg(repo("samples/ktkt-2022/don-vi"))
        .args(["--format", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Like `| head -c 10`: read a little, then close the pipe (the JSON is
    // far larger than a pipe's buffer).
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 10];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Printed like an official document: each workbook's title merged across
/// its table, and a row whose text wraps tall enough for it.
#[test]
fn titles_span_the_table_and_wrapped_rows_fit() {
    use std::io::Read;
    let w = Workdir::new();
    let plan = sample_plan().display().to_string();
    run(w
        .thidua()
        .args(["template", "--plan", &plan, "-o", "mau", "--unit", "SCT"]));
    run(w.thidua().args(["init", "kh"]));
    let sct = repo("samples/ktkt-2022/don-vi/SCT_NAM.xlsx")
        .display()
        .to_string();
    run(w
        .thidua()
        .args(["consolidate", "--plan", &plan, &sct, "-o", "th.xlsx"]));
    for (file, sheets) in [
        (
            "mau/SCT_NAM.xlsx",
            vec!["Thông tin", "Đăng ký chỉ tiêu", "Tự chấm điểm"],
        ),
        ("kh/ke-hoach.xlsx", vec!["Hướng dẫn", "Thông tin"]),
        (
            "th.xlsx",
            vec![
                "Xếp hạng",
                "Chi tiết",
                "Chỉ tiêu khối",
                "Kiểm tra",
                "Nộp báo cáo",
            ],
        ),
    ] {
        let book = thidua::workbook::open(&w.path(file)).unwrap();
        for name in sheets {
            let sheet = book
                .sheet(&[name])
                .unwrap_or_else(|| panic!("{file} {name}"));
            let title = sheet
                .merges
                .iter()
                .find(|m| m.start == (0, 0))
                .unwrap_or_else(|| panic!("{file} {name}: the title is not merged"));
            assert!(title.end.1 >= 1, "{file} {name}: {title:?}");
        }
    }
    // The score sheet's rows: an indicator whose wording takes two lines
    // of its 46-wide column has a row at least two lines high.
    let bytes = std::fs::read(w.path("mau/SCT_NAM.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet3.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let book = thidua::workbook::open(&w.path("mau/SCT_NAM.xlsx")).unwrap();
    let scores = book.sheet(&["Tự chấm điểm"]).unwrap();
    let row = (0..40)
        .find(|&r| {
            scores
                .text(r, 2)
                .starts_with("Hoàn thành các nhiệm vụ phát triển")
        })
        .expect("indicator 1.1");
    let tag_at = xml.find(&format!("<row r=\"{}\"", row + 1)).unwrap();
    let tag = &xml[tag_at..tag_at + xml[tag_at..].find('>').unwrap()];
    let height: f64 = tag
        .split(" ht=\"")
        .nth(1)
        .and_then(|h| h.split('"').next())
        .and_then(|h| h.parse().ok())
        .unwrap_or_else(|| panic!("no height: {tag}"));
    assert!(height >= 31.5, "{tag}");
}

/// `Chỉ tiêu khối` names the indicators it leaves out, shows shares as
/// percentages, and does not judge a sum against a unit's target.
#[test]
fn the_bloc_targets_sheet_says_what_it_leaves_out() {
    let w = Workdir::new();
    let plan = sample_plan().display().to_string();
    let units = repo("samples/ktkt-2022/don-vi").display().to_string();
    run(w
        .thidua()
        .args(["consolidate", "--plan", &plan, &units, "-o", "th.xlsx"]));
    let book = thidua::workbook::open(&w.path("th.xlsx")).unwrap();
    let sheet = book.sheet(&["Chỉ tiêu khối"]).unwrap();
    let rows: Vec<u32> = (4..=sheet.last_row().unwrap()).collect();
    let row_of = |code: &str| *rows.iter().find(|&&r| sheet.text(r, 0) == code).unwrap();
    let share = sheet.cell(row_of("1.2"), 3).unwrap();
    assert!(share.percent, "1.2 is a percentage");
    assert_eq!(sheet.text(row_of("2.5"), 4), "—");
    assert!(
        sheet
            .text(row_of("2.5"), 5)
            .starts_with("Không có chỉ tiêu khối")
    );
    assert!(
        sheet
            .text(row_of("3.1"), 5)
            .starts_with("Chưa đủ số liệu (")
    );
    let note = rows
        .iter()
        .map(|&r| sheet.text(r, 0))
        .find(|t| t.starts_with("Các tiêu chí"))
        .expect("a note on the indicators left out");
    assert!(note.contains("1.4, 2.7, 2.8, 3.3, 3.5"), "{note}");
}
