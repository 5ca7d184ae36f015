use crate::workdir::{Workdir, run};

#[test]
fn writes_a_blank_plan_that_loads_and_refuses_to_overwrite() {
    let w = Workdir::new();
    let (code, out, _) = run(w.thidua().args(["init", "ke-hoach"]));
    assert_eq!(code, 0);
    assert!(out.contains("ke-hoach.xlsx"), "{out}");
    let plan = w.path("ke-hoach/ke-hoach.xlsx");
    assert!(plan.exists());

    let book = thidua::workbook::open(&plan).expect("readable");
    let names: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Hướng dẫn",
            "Thông tin",
            "Đơn vị",
            "Tiêu chí",
            "Thưởng - Trừ",
            "Kỳ báo cáo",
            "Xếp loại",
            "Khen thưởng"
        ]
    );

    let (code, out, _) = run(w.thidua().args(["plan", "ke-hoach/ke-hoach.xlsx"]));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Không có lỗi."), "{out}");

    let before = std::fs::read(&plan).unwrap();
    let (code, _, err) = run(w.thidua().args(["khoi-tao", "ke-hoach"]));
    assert_eq!(code, 2);
    assert!(err.contains("đã có; thêm --force"), "{err}");
    assert_eq!(
        std::fs::read(&plan).unwrap(),
        before,
        "the plan was not touched"
    );
    let (code, _, _) = run(w.thidua().args(["init", "ke-hoach", "--force"]));
    assert_eq!(code, 0);
}
