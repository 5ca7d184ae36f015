//! Filing submissions: never overwrite, duplicates once, crashes recovered,
//! concurrent runs lose nothing, inputs untouched.

use std::path::PathBuf;

use thidua::archive::{Verdict, read_ledger, sha256_hex};

use crate::workdir::{Workdir, repo, run, sample_plan};

fn sample(name: &str) -> PathBuf {
    repo(&format!("samples/ktkt-2022/don-vi/{name}"))
}

fn stored_files(root: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "xlsx") {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn files_each_submission_once_and_keeps_rejected_ones() {
    let w = Workdir::new();
    let inputs = [sample("SCT_NAM.xlsx"), sample("SGTVT_NAM.xlsx")];
    let before: Vec<String> = inputs
        .iter()
        .map(|p| sha256_hex(&std::fs::read(p).unwrap()))
        .collect();
    let mut cmd = w.thidua();
    cmd.arg("intake").arg("--plan").arg(sample_plan()).args([
        "--archive",
        "kho",
        "--received",
        "2022-12-16 10:00",
    ]);
    cmd.args(&inputs);
    let (code, out, err) = run(&mut cmd);
    assert_eq!(code, 1, "SGTVT has errors: {out}{err}");
    // The same file again, by e-mail two days later.
    let mut cmd = w.thidua();
    cmd.arg("nhan").arg("--plan").arg(sample_plan()).args([
        "--archive",
        "kho",
        "--received",
        "18/12/2022",
    ]);
    cmd.arg(sample("SCT_NAM.xlsx"));
    let (code, out, _) = run(&mut cmd);
    assert_eq!(code, 0);
    assert!(out.contains("trùng"), "{out}");

    let ledger = read_ledger(&w.path("kho")).unwrap();
    assert_eq!(ledger.len(), 3);
    assert_eq!(ledger[0].verdict, Verdict::Accepted);
    assert_eq!(ledger[0].unit, "SCT");
    assert_eq!(ledger[0].period, "NAM");
    assert_eq!(
        ledger[0].late_days,
        Some(2),
        "`trước 15/12/2022`: the 14th is the last day"
    );
    assert_eq!(ledger[1].verdict, Verdict::Rejected);
    assert_eq!(ledger[1].errors, 2);
    assert_eq!(ledger[2].verdict, Verdict::Duplicate);
    assert_eq!(ledger[2].stored_name, ledger[0].stored_name);
    assert_eq!(ledger[0].sha256, before[0]);
    assert_eq!(
        stored_files(&w.path("kho")).len(),
        2,
        "stored once each, the rejected one too"
    );
    assert!(
        ledger[0]
            .stored_name
            .starts_with("ktkt-2022/nam/sct/20221216T100000-"),
        "{}",
        ledger[0].stored_name
    );
    // Stored bytes are the sent bytes; the inputs are untouched.
    let stored = std::fs::read(w.path("kho").join(&ledger[0].stored_name)).unwrap();
    assert_eq!(sha256_hex(&stored), before[0]);
    for (p, h) in inputs.iter().zip(&before) {
        assert_eq!(&sha256_hex(&std::fs::read(p).unwrap()), h);
    }
    // The ledger opens in Excel: UTF-8 with a BOM, a header line.
    let text = std::fs::read(w.path("kho/so-nhan.csv")).unwrap();
    assert!(text.starts_with("\u{feff}received,original_name,".as_bytes()));
}

#[test]
fn a_crash_between_storing_and_recording_is_recovered() {
    let w = Workdir::new();
    let mut cmd = w.thidua();
    cmd.env("THIDUA_FAULT", "after-store");
    cmd.arg("intake").arg("--plan").arg(sample_plan()).args([
        "--archive",
        "kho",
        "--received",
        "2022-12-10",
    ]);
    cmd.arg(sample("STNMT_NAM.xlsx"));
    let (code, _, _) = run(&mut cmd);
    assert!(code != 0 && code != 1, "the run died: {code}");
    assert_eq!(stored_files(&w.path("kho")).len(), 1, "the file was stored");
    assert!(
        read_ledger(&w.path("kho")).unwrap().is_empty(),
        "but not recorded"
    );

    let mut cmd = w.thidua();
    cmd.arg("intake").arg("--plan").arg(sample_plan()).args([
        "--archive",
        "kho",
        "--received",
        "2022-12-11",
    ]);
    cmd.arg(sample("SXD_NAM.xlsx"));
    let (code, out, _) = run(&mut cmd);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Ghi bổ sung vào sổ"), "{out}");
    let ledger = read_ledger(&w.path("kho")).unwrap();
    assert_eq!(ledger.len(), 2);
    assert_eq!(ledger[0].verdict, Verdict::Recovered);
    assert_eq!(ledger[0].unit, "STNMT");
    assert_eq!(
        ledger[0].received.to_string(),
        "2022-12-10 00:00:00",
        "from the stored name"
    );
    assert_eq!(ledger[1].unit, "SXD");
    // Sending the crashed file again is now a duplicate, not a second copy.
    let mut cmd = w.thidua();
    cmd.arg("intake")
        .arg("--plan")
        .arg(sample_plan())
        .args(["--archive", "kho"])
        .arg(sample("STNMT_NAM.xlsx"));
    run(&mut cmd);
    assert_eq!(
        read_ledger(&w.path("kho")).unwrap()[2].verdict,
        Verdict::Duplicate
    );
    assert_eq!(stored_files(&w.path("kho")).len(), 2);
}

#[test]
fn eight_intakes_at_once_lose_nothing() {
    let w = Workdir::new();
    let names = [
        "SCT_NAM.xlsx",
        "SXD_NAM.xlsx",
        "SGTVT_NAM.xlsx",
        "SNN_NAM.xlsx",
        "STNMT_NAM.xlsx",
        "SKHCN_NAM.xlsx",
        "STTTT_NAM.xlsx",
        "KBNN_NAM.xlsx",
    ];
    let children: Vec<_> = names
        .iter()
        .map(|n| {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("thidua"))
                .current_dir(w.path(""))
                .env("LC_ALL", "C.UTF-8")
                .arg("intake")
                .arg("--plan")
                .arg(sample_plan())
                .args(["--archive", "kho", "--received", "2022-12-15 09:00"])
                .arg(sample(n))
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        let status = c.wait().unwrap();
        assert!(status.code() == Some(0) || status.code() == Some(1));
    }
    let ledger = read_ledger(&w.path("kho")).unwrap();
    assert_eq!(ledger.len(), 8);
    assert_eq!(stored_files(&w.path("kho")).len(), 8);
    let mut units: Vec<&str> = ledger.iter().map(|e| e.unit.as_str()).collect();
    units.sort();
    assert_eq!(
        units,
        [
            "KBNN", "SCT", "SGTVT", "SKHCN", "SNN", "STNMT", "STTTT", "SXD"
        ]
    );
}

#[test]
fn consolidate_reads_the_archive_by_its_ledger() {
    let w = Workdir::new();
    // SCT's first version arrives on time, its second (report date 12/12) late.
    for (file, when) in [
        ("SCT_NAM (ban cu).xlsx", "2022-12-06"),
        ("SCT_NAM.xlsx", "2022-12-17"),
        ("So Tai chinh.xlsx", "2022-12-14"),
    ] {
        let mut cmd = w.thidua();
        cmd.arg("intake")
            .arg("--plan")
            .arg(sample_plan())
            .args(["--archive", "kho", "--received", when])
            .arg(sample(file));
        assert_eq!(run(&mut cmd).0, 0);
    }
    let mut cmd = w.thidua();
    cmd.arg("consolidate")
        .arg("--plan")
        .arg(sample_plan())
        .arg("kho")
        .args(["-o", "th.xlsx", "--json", "th.json"]);
    let (_, out, err) = run(&mut cmd);
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(w.path("th.json")).unwrap())
            .unwrap_or_else(|e| panic!("{e}{out}{err}"));
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files.len(), 3);
    let counted: Vec<_> = files.iter().filter(|f| f["status"] == "counted").collect();
    assert_eq!(counted.len(), 2, "{files:?}");
    let sct = counted.iter().find(|f| f["unit"] == "SCT").unwrap();
    assert_eq!(sct["received"], "2022-12-17T00:00:00");
    assert_eq!(sct["late_days"], 3, "received 17/12, last day 14/12");
    // STC's copy has no information sheet; the ledger says whose it is.
    assert!(counted.iter().any(|f| f["unit"] == "STC"));
    assert_eq!(
        files.iter().filter(|f| f["status"] == "superseded").count(),
        1
    );
}
