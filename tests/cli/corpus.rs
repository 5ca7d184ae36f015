//! The damaged-input corpus: every kind of broken, strange or hostile file
//! a leader receives, generated here from a good workbook (or committed
//! under tests/fixtures where it cannot be), each with what `check` must say
//! of it. All run in one batch with a good file, which must still be read.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::workdir::{Workdir, repo, run, sample_plan};

/// What a file must produce.
pub(crate) enum Expect {
    /// This finding code.
    Finding(&'static str),
    /// Read as the leader's unit SCT, with no reader error.
    Read,
}

fn good() -> Vec<u8> {
    std::fs::read(repo("samples/ktkt-2022/don-vi/SCT_NAM.xlsx")).unwrap()
}

/// Rewrites the entries of a zip: `edit` returns the new content, or `None`
/// to drop the entry.
fn rewrite(zip_bytes: &[u8], edit: impl Fn(&str, Vec<u8>) -> Option<Vec<u8>>) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        if let Some(new) = edit(&name, data) {
            out.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            out.write_all(&new).unwrap();
        }
    }
    out.finish().unwrap().into_inner()
}

/// A zip holding the given entries.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in entries {
        out.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// Replaces text in one entry.
fn replace(
    entry: &'static str,
    from: &'static str,
    to: String,
) -> impl Fn(&str, Vec<u8>) -> Option<Vec<u8>> {
    move |name, data| {
        if name == entry {
            let text = String::from_utf8(data).unwrap();
            assert!(text.contains(from), "{entry} lacks {from}");
            Some(text.replacen(from, &to, 1).into_bytes())
        } else {
            Some(data)
        }
    }
}

/// Sets the value (and, if given, the type) of one cell of one sheet.
fn set_cell(
    entry: &'static str,
    cell: &'static str,
    kind: Option<&'static str>,
    value: &'static str,
) -> impl Fn(&str, Vec<u8>) -> Option<Vec<u8>> {
    move |name, data| {
        if name != entry {
            return Some(data);
        }
        let text = String::from_utf8(data).unwrap();
        let open = format!("<c r=\"{cell}\"");
        let at = text
            .find(&open)
            .unwrap_or_else(|| panic!("{cell} not in {entry}"));
        let v = at + text[at..].find("<v>").unwrap();
        let end = v + text[v..].find("</v>").unwrap();
        let typed = kind
            .map(|k| format!("{open} t=\"{k}\""))
            .unwrap_or_else(|| open.clone());
        let out = format!(
            "{}{}{}<v>{value}{}",
            &text[..at],
            typed,
            &text[at + open.len()..v],
            &text[end..]
        );
        Some(out.into_bytes())
    }
}

/// Sets the declared uncompressed size of every entry to nearly 4 GiB, as a
/// zip bomb's directory would show.
fn lying_sizes(zip_bytes: &[u8]) -> Vec<u8> {
    let mut b = zip_bytes.to_vec();
    let mut i = 0;
    while i + 46 <= b.len() {
        if b[i..i + 4] == [0x50, 0x4b, 0x01, 0x02] {
            b[i + 24..i + 28].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
            i += 46;
        } else {
            i += 1;
        }
    }
    b
}

fn many_entries() -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..10_001 {
        out.start_file(
            format!("x/{i}.xml"),
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn many_sheets() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for _ in 0..5_000 {
        wb.add_worksheet();
    }
    wb.save_to_buffer().unwrap()
}

/// Every element of the worksheet parts written with an `x:` prefix, as
/// the .NET Open XML SDK writes them.
fn prefixed_sheets(zip_bytes: &[u8]) -> Vec<u8> {
    rewrite(zip_bytes, |name, data| {
        if !name.starts_with("xl/worksheets/sheet") {
            return Some(data);
        }
        let text = String::from_utf8(data).unwrap();
        let mut out = String::with_capacity(text.len() + text.len() / 4);
        let mut rest = text.as_str();
        while let Some(i) = rest.find('<') {
            out.push_str(&rest[..=i]);
            rest = &rest[i + 1..];
            let closing = rest.starts_with('/');
            if closing {
                out.push('/');
                rest = &rest[1..];
            }
            if rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
                out.push_str("x:");
            }
        }
        out.push_str(rest);
        let out = out.replacen("xmlns=\"", "xmlns:x=\"", 1);
        Some(out.into_bytes())
    })
}

/// A small unit workbook built by hand around one cell value.
fn tiny(content: &str) -> Vec<u8> {
    tiny_row(content, None)
}

/// A unit workbook of one indicator row typed by hand: its wording and,
/// when given as text, its result (100 otherwise).
pub(crate) fn tiny_row(content: &str, result: Option<&str>) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let info = wb.add_worksheet();
    info.set_name("Thông tin").unwrap();
    info.write_string(0, 0, "Mã đơn vị").unwrap();
    info.write_string(0, 1, "SCT").unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("Tự chấm điểm").unwrap();
    for (c, h) in ["Mã", "Nội dung", "Kết quả thực hiện", "Điểm tự chấm"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "1.1").unwrap();
    ws.write_string(1, 1, content).unwrap();
    match result {
        Some(text) => ws.write_string(1, 2, text).unwrap(),
        None => ws.write_number(1, 2, 100.0).unwrap(),
    };
    ws.write_number(1, 3, 20.0).unwrap();
    wb.save_to_buffer().unwrap()
}

const S1: &str = "xl/worksheets/sheet1.xml";
const S3: &str = "xl/worksheets/sheet3.xml";
const SST: &str = "xl/sharedStrings.xml";
const WB: &str = "xl/workbook.xml";

pub(crate) fn corpus() -> Vec<(&'static str, Vec<u8>, Expect)> {
    use Expect::*;
    let g = good();
    let nfd: String = {
        use unicode_normalization::UnicodeNormalization;
        let mut a = zip::ZipArchive::new(std::io::Cursor::new(&g[..])).unwrap();
        let mut s = String::new();
        a.by_name(SST).unwrap().read_to_string(&mut s).unwrap();
        s.nfd().collect()
    };
    vec![
        ("empty.xlsx", Vec::new(), Finding("not-a-workbook")),
        ("text.xlsx", b"Kinh gui Khoi truong".to_vec(), Finding("not-a-workbook")),
        ("pdf.xlsx", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj".to_vec(), Finding("other-format")),
        ("png.xlsx", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(), Finding("other-format")),
        ("bao-cao.pdf", b"%PDF-1.7\n1 0 obj".to_vec(), Finding("other-format")),
        ("cong-van.docx", zip_of(&[("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w:document/>")]), Finding("other-format")),
        ("ho-so.zip", zip_of(&[("SCT_NAM.xlsx", &g[..])]), Finding("other-format")),
        ("bang-web.xls", b"<html><body><table><tr><td>1.1</td></tr></table></body></html>".to_vec(), Finding("other-format")),
        ("truncated.xlsx", g[..g.len() / 2].to_vec(), Finding("corrupt-file")),
        ("tail-cut.xlsx", g[..g.len() - 30].to_vec(), Finding("corrupt-file")),
        ("zip-not-ooxml.xlsx", rewrite(&g, |n, d| (n == "[Content_Types].xml").then_some(d)), Finding("corrupt-file")),
        ("missing-sheet-xml.xlsx", rewrite(&g, |n, d| (n != S3).then_some(d)), Finding("corrupt-file")),
        ("bad-sheet-xml.xlsx", rewrite(&g, |n, d| Some(if n == S3 { b"<worksheet><sheetData><row><c r=".to_vec() } else { d })), Finding("corrupt-file")),
        ("bad-workbook-xml.xlsx", rewrite(&g, |n, d| Some(if n == WB { b"<<<".to_vec() } else { d })), Finding("corrupt-file")),
        ("sst-out-of-range.xlsx", rewrite(&g, |n, d| Some(if n == SST { br#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>"#.to_vec() } else { d })), Finding("corrupt-file")),
        ("no-styles.xlsx", rewrite(&g, |n, d| (n != "xl/styles.xml").then_some(d)), Read),
        ("huge-dimension.xlsx", rewrite(&g, replace(S3, "<dimension ref=\"", "<dimension ref=\"A1:XFD1048576\" x=\"".into())), Read),
        ("stray-far-cell.xlsx", rewrite(&g, replace(S3, "</sheetData>", r#"<row r="1048576"><c r="XFD1048576"><v>7</v></c></row></sheetData>"#.into())), Read),
        ("zip-bomb-directory.xlsx", lying_sizes(&g), Finding("expands-too-large")),
        ("many-entries.xlsx", many_entries(), Finding("expands-too-large")),
        ("cfb-garbage.xls", [&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1][..], &[0u8; 600][..]].concat(), Finding("corrupt-file")),
        ("five-thousand-sheets.xlsx", many_sheets(), Finding("too-many-sheets")),
        ("no-sheets.xlsx", rewrite(&g, |n, d| {
            if n == WB {
                let t = String::from_utf8(d).unwrap();
                let (a, rest) = t.split_once("<sheets>").unwrap();
                let (_, b) = rest.split_once("</sheets>").unwrap();
                Some(format!("{a}<sheets></sheets>{b}").into_bytes())
            } else {
                Some(d)
            }
        }), Finding("missing-sheet")),
        ("long-cell.xlsx", tiny(&"Đ".repeat(32_767)), Read),
        ("error-value.xlsx", rewrite(&g, set_cell(S3, "I6", Some("e"), "#DIV/0!")), Finding("formula-error")),
        ("ref-error-achieved.xlsx", rewrite(&g, set_cell(S3, "G7", Some("e"), "#REF!")), Finding("formula-error")),
        ("nan.xlsx", rewrite(&g, set_cell(S3, "I6", None, "NaN")), Finding("unreadable-value")),
        ("infinity.xlsx", rewrite(&g, set_cell(S3, "G6", None, "1e999")), Finding("unreadable-value")),
        ("date-1904.xlsx", rewrite(&g, replace(WB, "<workbookPr", "<workbookPr date1904=\"1\"".into())), Read),
        ("x-prefixed.xlsx", prefixed_sheets(&g), Read),
        ("merged-data.xlsx", rewrite(&g, replace(S3, "<mergeCells count=\"2\">", "<mergeCells count=\"3\"><mergeCell ref=\"G6:I9\"/>".into())), Read),
        ("hidden-sheet.xlsx", rewrite(&g, replace(WB, "<sheet name=\"Thông tin\"", "<sheet state=\"hidden\" name=\"Thông tin\"".into())), Read),
        ("very-hidden-sheet.xlsx", rewrite(&g, replace(WB, "<sheet name=\"Thông tin\"", "<sheet state=\"veryHidden\" name=\"Thông tin\"".into())), Read),
        ("zero-width-unit.xlsx", rewrite(&g, replace(SST, "<t>SCT</t>", "<t>S\u{200B}CT</t>".into())), Read),
        ("rtl-marks-unit.xlsx", rewrite(&g, replace(SST, "<t>SCT</t>", "<t>\u{202B}SCT\u{202C}</t>".into())), Read),
        ("nfd-text.xlsx", rewrite(&g, |n, d| Some(if n == SST { nfd.clone().into_bytes() } else { d })), Read),
        ("tcvn3-text.xlsx", rewrite(&g, replace(SST, "Sở Công Thương", "Së C«ng Th\u{AD}¬ng".into())), Finding("legacy-encoding")),
        ("vni-text.xlsx", rewrite(&g, replace(SST, "Sở Công Thương", "Sôû Coâng Thöông".into())), Finding("legacy-encoding")),
        ("a..b.xlsx", g.clone(), Read),
        ("SCT:NAM.xlsx", g.clone(), Read),
        ("xlsx-named.ods", g.clone(), Read),
        ("UPPER.XLSX", g.clone(), Read),
        // The score table is found by its header whatever the sheet is called.
        ("score-sheet-renamed.xlsx", rewrite(&g, replace(WB, "name=\"Tự chấm điểm\"", "name=\"Khác\"".into())), Read),
        ("no-score-table.xlsx", {
            let mut wb = rust_xlsxwriter::Workbook::new();
            let ws = wb.add_worksheet();
            ws.set_name("Thông tin").unwrap();
            ws.write_string(0, 0, "Mã đơn vị").unwrap();
            ws.write_string(0, 1, "SCT").unwrap();
            wb.add_worksheet().write_string(0, 0, "Ghi chú: bảng điểm gửi sau").unwrap();
            wb.save_to_buffer().unwrap()
        }, Finding("missing-sheet")),
        ("header-only.xlsx", tiny("x").into_iter().collect(), Finding("missing-row")),
        ("equals-unit-name.xlsx", rewrite(&g, replace(SST, "<t>SCT</t>", "<t>=HYPERLINK(\"http://x\",\"SCT\")</t>".into())), Read),
        ("ods-truncated.ods", {
            let o = std::fs::read(repo("tests/fixtures/lo-sgtvt.ods")).unwrap();
            o[..o.len() / 2].to_vec()
        }, Finding("corrupt-file")),
        ("empty-sheet-names.xlsx", rewrite(&g, replace(S1, "<sheetData>", "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t></t></is></c></row>".into())), Read),
        ("password.xlsx", std::fs::read(repo("tests/fixtures/password.xlsx")).unwrap(), Finding("encrypted-file")),
        // Found by examples/mutate: calamine panics on it.
        ("reader-panic.xlsx", std::fs::read(repo("tests/fixtures/reader-panic.bin")).unwrap(), Finding("reader-crash")),
    ]
}

fn findings_of<'a>(doc: &'a Value, name: &str) -> &'a Vec<Value> {
    doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            Path::new(f["file"].as_str().unwrap())
                .file_name()
                .is_some_and(|n| n.to_string_lossy() == name)
        })
        .unwrap_or_else(|| panic!("no report for {name}"))["findings"]
        .as_array()
        .unwrap()
}

#[test]
fn every_damaged_kind_gets_its_finding_and_the_batch_goes_on() {
    let w = Workdir::new();
    let dir = w.path("nhan");
    std::fs::create_dir(&dir).unwrap();
    let cases = corpus();
    for (name, bytes, _) in &cases {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    // Kinds that are not byte strings.
    std::fs::create_dir(dir.join("dir.xlsx")).unwrap();
    let huge = std::fs::File::create(dir.join("sparse-huge.xlsx")).unwrap();
    huge.set_len(65 * 1024 * 1024).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        std::fs::write(
            dir.join(std::ffi::OsStr::from_bytes(b"SCT_\xff\xfe.xlsx")),
            good(),
        )
        .unwrap();
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.push(repo("samples/ktkt-2022/don-vi/STNMT_NAM.xlsx"));
    let mut cmd = w.thidua();
    cmd.arg("check")
        .arg("--plan")
        .arg(sample_plan())
        .args(["--format", "json"])
        .args(&files);
    let (code, out, err) = run(&mut cmd);
    assert_eq!(code, 1, "{err}");
    let doc: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {err}"));
    assert_eq!(doc["summary"]["files"], files.len());
    let reader_errors = [
        "not-a-workbook",
        "other-format",
        "corrupt-file",
        "encrypted-file",
        "file-too-large",
        "expands-too-large",
        "too-many-sheets",
        "read-timeout",
        "unreadable-file",
        "reader-crash",
        "sheet-too-large",
    ];
    let mut kinds = 0;
    let mut check = |name: &str, expect: &Expect| {
        kinds += 1;
        let found = findings_of(&doc, name);
        let codes: Vec<&str> = found.iter().map(|f| f["code"].as_str().unwrap()).collect();
        match expect {
            Expect::Finding(code) => assert!(
                codes.contains(code),
                "{name}: expected {code}, got {codes:?}"
            ),
            Expect::Read => {
                assert!(
                    !codes.iter().any(|c| reader_errors.contains(c)),
                    "{name}: {codes:?}"
                );
                assert!(
                    !codes.contains(&"unknown-unit") && !codes.contains(&"missing-sheet"),
                    "{name}: {codes:?}"
                );
            }
        }
    };
    for (name, _, expect) in &cases {
        check(name, expect);
    }
    check("dir.xlsx", &Expect::Finding("unreadable-file"));
    check("sparse-huge.xlsx", &Expect::Finding("file-too-large"));
    #[cfg(unix)]
    check("SCT_\u{FFFD}\u{FFFD}.xlsx", &Expect::Read);
    assert!(kinds >= 40, "{kinds} kinds");
    // The good file after all of them was read in full.
    assert!(findings_of(&doc, "STNMT_NAM.xlsx").is_empty());
}

/// Unit names that look like formulas stay text in every output: the
/// consolidated workbook, the JSON and the digest's Markdown.
#[test]
fn formula_looking_names_stay_text() {
    use crate::samples::generate::{RowFill, UnitFill};
    use thidua::report::plan_book::{self, n, t};
    use thidua::report::template::{self, FillValue};
    let w = Workdir::new();
    let names = ["=HYPERLINK(\"http://x\",\"A\")", "+1+1", "-2+3", "@SUM(A1)"];
    let mut draft = plan_book::example();
    draft.units = names
        .iter()
        .enumerate()
        .map(|(i, name)| vec![t(&format!("DV{i}")), t(name), n(10.0)])
        .collect();
    draft.info[4] = ("Khối trưởng", t("DV0"));
    plan_book::write(&draft, &w.path("plan.xlsx"), false, false).unwrap();
    let plan = thidua::plan::load(&w.path("plan.xlsx")).unwrap().plan;
    let period = plan.period("NAM").unwrap().clone();
    std::fs::create_dir(w.path("nhan")).unwrap();
    for unit in &plan.units {
        let fill = UnitFill {
            rows: [(
                "2.1".to_string(),
                RowFill {
                    self_score: Some(FillValue::Number(10.0)),
                    ..RowFill::default()
                },
            )]
            .into_iter()
            .collect(),
            ..UnitFill::default()
        };
        template::write(
            &plan,
            unit,
            &period,
            Some(&fill),
            &w.path(&format!("nhan/{}.xlsx", unit.code)),
            false,
        )
        .unwrap();
    }
    let mut cmd = w.thidua();
    cmd.args([
        "consolidate",
        "--plan",
        "plan.xlsx",
        "nhan",
        "-o",
        "th.xlsx",
        "--json",
        "th.json",
    ]);
    run(&mut cmd);
    let book = thidua::workbook::open(&w.path("th.xlsx")).unwrap();
    let sheet = book.sheet(&["Xếp hạng"]).unwrap();
    let mut seen = 0;
    for ((_, _), cell) in sheet.cells() {
        if let thidua::workbook::Value::Text(text) = &cell.value
            && names.contains(&text.as_str())
        {
            assert!(cell.formula.is_none(), "{text} became a formula");
            seen += 1;
        }
    }
    assert_eq!(seen, names.len(), "every name written as text");
    let json = std::fs::read_to_string(w.path("th.json")).unwrap();
    assert!(
        json.contains("\"=HYPERLINK(\\\"http://x\\\",\\\"A\\\")\""),
        "JSON keeps the text"
    );
}

#[test]
fn the_xlsx_fast_path_reads_what_calamine_reads() {
    use thidua::workbook::xlsx::differences_from_calamine;
    let mut compared = 0;
    for (name, bytes, _) in corpus() {
        if let Some(differences) = differences_from_calamine(&bytes) {
            assert!(differences.is_empty(), "{name}: {differences:?}");
            compared += 1;
        }
    }
    assert!(compared >= 25, "{compared} compared");
    // The prefixed sheets read as the sheets they were made from.
    let prefixed = prefixed_sheets(&good());
    assert_eq!(differences_from_calamine(&prefixed), Some(Vec::new()));
    let plain = thidua::workbook::read_bytes(good()).unwrap();
    let same = thidua::workbook::read_bytes(prefixed).unwrap();
    for (a, b) in plain.sheets.iter().zip(&same.sheets) {
        assert_eq!(a.merges, b.merges, "{}", a.name);
        assert!(a.cells().eq(b.cells()), "{}", a.name);
    }
    assert!(plain.sheets.iter().any(|s| !s.merges.is_empty()));
}
