use std::collections::BTreeMap;

use crate::samples::generate::{RowFill, UnitFill};
use thidua::report::template::{self, FillValue};

use crate::workdir::{Workdir, run, sample_plan};

#[test]
fn writes_one_workbook_per_unit_and_refuses_to_overwrite() {
    let w = Workdir::new();
    let (code, out, err) = run(w
        .thidua()
        .arg("template")
        .arg("--plan")
        .arg(sample_plan())
        .args(["-o", "mau"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 12, "{out}");
    let mut names: Vec<String> = std::fs::read_dir(w.path("mau"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert_eq!(names[0], "BQLKKT_NAM.xlsx");
    assert!(names.contains(&"SCT_NAM.xlsx".to_string()));

    let book = thidua::workbook::open(&w.path("mau/SCT_NAM.xlsx")).unwrap();
    let plan = thidua::plan::load(&sample_plan()).unwrap().plan;
    assert_eq!(
        book.properties.get(thidua::vocab::PROP_PLAN),
        Some(&"KTKT-2022".to_string())
    );
    assert_eq!(
        book.properties.get(thidua::vocab::PROP_FINGERPRINT),
        Some(&plan.fingerprint())
    );
    let info = book.sheet(&["Thông tin"]).unwrap();
    assert_eq!(info.text(3, 1), "SCT");
    assert_eq!(info.text(5, 1), "NAM");
    let scores = book.sheet(&["Tự chấm điểm"]).unwrap();
    // Header on row 4, section I on row 5, indicator 1.1 on row 6.
    assert_eq!(scores.text(3, 8), "Điểm tự chấm");
    assert_eq!(scores.text(5, 1), "1.1");
    assert_eq!(scores.text(5, 4), "Hoàn thành 100% nhiệm vụ");

    let (code, _, err) = run(w
        .thidua()
        .arg("mau")
        .arg("--plan")
        .arg(sample_plan())
        .args(["-o", "mau", "--unit", "SCT"]));
    assert_eq!(code, 2);
    assert!(err.contains("đã có; thêm --force"), "{err}");
    let (code, out, _) = run(w
        .thidua()
        .arg("template")
        .arg("--plan")
        .arg(sample_plan())
        .args(["-o", "mau", "--unit", "SCT", "--period", "Q1", "--force"]));
    assert_eq!(code, 0);
    assert!(out.contains("SCT_Q1.xlsx"), "{out}");
    let (code, _, err) = run(w
        .thidua()
        .arg("template")
        .arg("--plan")
        .arg(sample_plan())
        .args(["-o", "x", "--unit", "NOPE"]));
    assert_eq!(code, 2);
    assert!(err.contains("NOPE"), "{err}");
}

#[test]
fn an_empty_template_checks_with_only_missing_inputs() {
    let w = Workdir::new();
    run(w
        .thidua()
        .arg("template")
        .arg("--plan")
        .arg(sample_plan())
        .args(["-o", "mau", "--unit", "SCT"]));
    let (code, json, _) = run(w
        .thidua()
        .arg("check")
        .arg("--plan")
        .arg(sample_plan())
        .args(["mau", "--format", "json"]));
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let codes: std::collections::BTreeSet<&str> = doc["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes.into_iter().collect::<Vec<_>>(),
        ["missing-achieved", "missing-baseline", "missing-score"],
        "{json}"
    );
}

/// A template filled in, then checked against a later version of the plan
/// (one maximum changed) and against another plan.
#[test]
fn check_tells_a_template_of_another_plan_version() {
    let w = Workdir::new();
    let plan = thidua::plan::load(&sample_plan()).unwrap().plan;
    let unit = plan.unit("SXD").unwrap().clone();
    let period = plan.period("NAM").unwrap().clone();
    let fill = UnitFill {
        rows: BTreeMap::from([(
            "1.1".to_string(),
            RowFill {
                achieved: Some(FillValue::Number(100.0)),
                self_score: Some(FillValue::Number(20.0)),
                ..RowFill::default()
            },
        )]),
        ..UnitFill::default()
    };
    template::write(
        &plan,
        &unit,
        &period,
        Some(&fill),
        &w.path("old.xlsx"),
        false,
    )
    .unwrap();
    // A later version of the plan (the fingerprint is computed once per
    // loaded plan, so the variant is loaded afresh).
    let mut plan = thidua::plan::load(&sample_plan()).unwrap().plan;
    plan.indicators[0].max_points = 25.0;
    template::write(
        &plan,
        &unit,
        &period,
        Some(&fill),
        &w.path("new.xlsx"),
        false,
    )
    .unwrap();
    plan.code = "KHAC-2022".into();
    template::write(
        &plan,
        &unit,
        &period,
        Some(&fill),
        &w.path("other.xlsx"),
        false,
    )
    .unwrap();

    let (_, out, _) = run(w
        .thidua()
        .arg("check")
        .arg("--plan")
        .arg(sample_plan())
        .args(["old.xlsx", "new.xlsx", "other.xlsx"]));
    let section = |name: &str| {
        let start = out.find(name).unwrap();
        let rest = &out[start..];
        rest[..rest.find("\n\n").unwrap_or(rest.len())].to_string()
    };
    assert!(!section("old.xlsx").contains("template-version"), "{out}");
    assert!(section("new.xlsx").contains("template-version"), "{out}");
    let other = section("other.xlsx");
    assert!(
        other.contains("wrong-plan") && other.contains("`KHAC-2022`"),
        "{out}"
    );
    assert!(
        other.contains("Thông tin!B3"),
        "the plan code cell is named: {out}"
    );
}

/// Unit codes that try to climb out of the output folder stay inside it.
#[test]
fn unit_codes_cannot_escape_the_output_folder() {
    use thidua::report::plan_book::{self, n, t};
    let w = Workdir::new();
    let mut draft = plan_book::example();
    draft.units = vec![
        vec![t("../../thoat"), t("Đơn vị A"), n(1.0)],
        vec![t("/tmp/tuyet-doi"), t("Đơn vị B"), n(1.0)],
    ];
    draft.info[4] = ("Khối trưởng", t("../../thoat"));
    plan_book::write(&draft, &w.path("plan.xlsx"), false, false).unwrap();
    let (code, out, err) = run(w
        .thidua()
        .args(["template", "--plan", "plan.xlsx", "-o", "mau"]));
    assert_eq!(code, 0, "{out}{err}");
    let names: Vec<String> = std::fs::read_dir(w.path("mau"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(
        names
            .iter()
            .all(|n| !n.contains('/') && !n.starts_with('.')),
        "{names:?}"
    );
    assert!(
        !w.path("thoat_NAM.xlsx").exists()
            && !std::path::Path::new("/tmp/tuyet-doi_NAM.xlsx").exists()
    );
}
