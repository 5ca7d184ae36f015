use thidua::report::plan_book::{self, Draft, PlanDraft, n, t};

use crate::workdir::{Workdir, repo, run};

#[test]
fn every_sample_plan_reads_without_errors_and_prints_each_target() {
    for dir in ["ktkt-2022", "seed-000", "seed-001", "seed-002", "seed-004"] {
        let w = Workdir::new();
        let path = repo(&format!("samples/{dir}/ke-hoach.xlsx"));
        let (code, out, err) = run(w.thidua().arg("plan").arg(&path));
        assert_eq!(code, 0, "{dir}: {out}{err}");
        assert!(!out.contains("  lỗi "), "{dir}: {out}");
        let loaded = thidua::plan::load(&path).unwrap();
        for ind in &loaded.plan.indicators {
            let line = format!("\"{}\" → {}", ind.target_text, ind.target.describe(false));
            if !ind.target_text.is_empty() {
                assert!(out.contains(&line), "{dir}: missing `{line}`");
            }
        }
    }
}

#[test]
fn prints_how_seed_targets_were_read() {
    let w = Workdir::new();
    let (_, out, _) = run(w
        .thidua()
        .arg("plan")
        .arg(repo("samples/ktkt-2022/ke-hoach.xlsx")));
    for expected in [
        "\"> 82%\" → > 82%",
        "\"Tăng từ 02 bậc trở lên\" → thứ hạng tăng ≥ 2 bậc so với năm trước",
        "\"Từ 07 đến 09 sáng kiến\" → ≥ 7 (trên 9 là vượt mức)",
        "\"100% các đơn vị trong Khối không có cá nhân vi phạm kỷ luật từ khiển trách trở lên\" → chỉ tiêu khối: ≥ 100% số đơn vị đạt; mỗi đơn vị: = 0 (không để xảy ra)",
        "\"Đoàn thể hoàn thành tốt nhiệm vụ trở lên\" → xếp loại Hoàn thành tốt nhiệm vụ trở lên",
        "hạn nộp \"trước 15/12/2022\" (ngày cuối 14/12/2022)",
        "Theo mức: ≥ 98% → 5; ≥ 97% → 4; ≥ 96% → 3",
        "SCT (Sở Công Thương)",
    ] {
        assert!(out.contains(expected), "missing `{expected}` in\n{out}");
    }
    let (_, en, _) = run(w
        .thidua()
        .args(["--lang", "en", "plan"])
        .arg(repo("samples/ktkt-2022/ke-hoach.xlsx")));
    assert!(en.contains("\"90%\" → ≥ 90%"), "{en}");
    assert!(en.contains("rank improves by ≥ 2 on last year"), "{en}");
}

/// Seed 000's rounds are summed up after they end ("trước ngày
/// 15/7/2022" for the round ending 30/6): not a slip, no warning.
#[test]
fn seed_000_rounds_are_summed_up_after_they_end() {
    let w = Workdir::new();
    let (code, out, _) = run(w
        .thidua()
        .arg("plan")
        .arg(repo("samples/seed-000/ke-hoach.xlsx")));
    assert_eq!(code, 0);
    assert!(!out.contains("deadline-outside-period"), "{out}");
    assert!(
        out.contains("D1    Đợt 1      01/01/2022 – 30/06/2022, hạn nộp \"trước ngày 15/7/2022\" (ngày cuối 14/07/2022)"),
        "{out}"
    );
    assert!(
        out.contains("D2    Đợt 2      01/07/2022 – 31/12/2022"),
        "{out}"
    );
}

/// A plan with one of each plan error, at known cells.
fn broken_plan() -> PlanDraft {
    let mut draft = plan_book::example();
    draft.info[4] = ("Khối trưởng", t("DV99"));
    draft
        .units
        .push(vec![t("DV02"), t("Sở Xây dựng (trùng)"), n(10.0)]);
    draft.indicators.push(vec![
        t("II"),
        t("2.2"),
        t("Chỉ tiêu không đọc được"),
        Draft::Empty,
        t("khoảng 90%"),
        n(5.0),
        t("Đạt"),
    ]);
    draft.indicators.push(vec![
        t("II"),
        t("2.1"),
        t("Mã trùng"),
        Draft::Empty,
        t("96%"),
        n(5.0),
        t("Đạt"),
    ]);
    draft.indicators.push(vec![
        t("II"),
        t("2.3"),
        t("Cách chấm lạ"),
        Draft::Empty,
        t("96%"),
        n(5.0),
        t("Bình quân"),
    ]);
    draft
}

#[test]
fn plan_errors_are_reported_at_their_cells() {
    let w = Workdir::new();
    let path = w.path("broken.xlsx");
    plan_book::write(&broken_plan(), &path, false, false).unwrap();
    let (code, out, _) = run(w.thidua().args(["--lang", "en", "plan", "broken.xlsx"]));
    assert_eq!(code, 1, "{out}");
    for expected in [
        "Đơn vị!A4",
        "duplicate-unit: unit code `DV02` is used twice",
        "Tiêu chí!E8",
        "unreadable-target: cannot read the target `khoảng 90%`",
        // Said where the target is shown, not as "no target".
        "target: \"khoảng 90%\" → ERROR: the target cannot be read (cell E8)",
        "Tiêu chí!B9",
        "duplicate-code: code `2.1` is used twice",
        "Tiêu chí!G10",
        "unknown-rule: unknown scoring rule `Bình quân`",
        "unknown-leader: leader `DV99` is not among the units",
        "points-total: the indicators' maximum points add up to 110, not the scale 100",
    ] {
        assert!(out.contains(expected), "missing `{expected}` in\n{out}");
    }
    let (code, json, _) = run(w.thidua().args(["plan", "broken.xlsx", "--format", "json"]));
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["schema"], "thidua/plan/1");
    let codes: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"unreadable-target"), "{codes:?}");

    // A plan with errors stops the commands that need it, with exit 2.
    let (code, _, err) = run(w
        .thidua()
        .args(["template", "--plan", "broken.xlsx", "-o", "out"]));
    assert_eq!(code, 2);
    assert!(err.contains("unreadable-target"), "{err}");
}

#[test]
fn unreadable_plan_exits_2() {
    let w = Workdir::new();
    std::fs::write(w.path("plan.xlsx"), "not a workbook").unwrap();
    let (code, _, err) = run(w.thidua().args(["plan", "plan.xlsx"]));
    assert_eq!(code, 2);
    assert!(err.contains("plan.xlsx"), "{err}");
    let (code, _, _) = run(w.thidua().args(["plan", "missing.xlsx"]));
    assert_eq!(code, 2);
}
