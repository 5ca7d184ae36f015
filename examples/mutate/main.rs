//! A mutation fuzzer for the readers, run where cargo-fuzz is not at hand:
//! takes the committed fixtures and samples, damages them (bit flips, byte
//! runs, truncation, zip-entry swaps and truncated entries), and feeds each
//! result to the workbook reader, the unit-workbook checker and the plan
//! loader; random strings go to the number, date and target parsers. Any
//! panic outside the reader's own guard is a crash.
//!
//!     cargo run --release --example mutate -- [ITERATIONS] [SEED]
//!
//! With `--fast-path` it fuzzes the xlsx fast path against calamine
//! instead: every committed xlsx is a seed, mutations also edit the XML
//! inside the package, and each input is read by both; a panic of the fast
//! path, a difference on an input both read, or an input that takes over a
//! second is reported and saved under `target/`.
//!
//!     cargo run --release --example mutate -- --fast-path [ITERATIONS] [SEED]

use std::io::{Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

#[path = "../support/rng.rs"]
#[allow(dead_code)] // not every example uses every helper
mod rng;

use rng::Rng;

/// Damages a zip by swapping two entries' contents or cutting one short.
fn zip_mutation(bytes: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let mut entries = unzip(bytes)?;
    if entries.len() < 2 {
        return None;
    }
    let (a, b) = (rng.below(entries.len()), rng.below(entries.len()));
    if rng.below(2) == 0 {
        let tmp = entries[a].1.clone();
        entries[a].1 = entries[b].1.clone();
        entries[b].1 = tmp;
    } else {
        let keep = rng.below(entries[a].1.len() + 1);
        entries[a].1.truncate(keep);
        let len = entries[b].1.len();
        if len > 0 {
            let at = rng.below(len);
            entries[b].1[at] ^= 1 << rng.below(8);
        }
    }
    zip_up(entries)
}

/// Pieces of sheet XML that reach the corners of the readers.
const XML_PIECES: &[&str] = &[
    "<c r=\"B2\" t=\"str\"><v>x_x000D_y</v></c>",
    "<c r=\"A1\" t=\"inlineStr\"><is><r><t xml:space=\"preserve\"> a </t></r><rPh><t>p</t></rPh></is></c>",
    "<c r=\"C3\" s=\"1\"><v>45000</v></c>",
    "<c t=\"b\"><v>true</v></c>",
    "<c r=\"D4\" t=\"e\"><v>#N/A</v></c>",
    "<c r=\"E5\" t=\"d\"><v>2022-07-01</v></c>",
    "<c r=\"F6\"><f>SUM(A1:A2)</f></c>",
    "<c r=\"G7\"><v>1e3</v><f>A1</f></c>",
    "<row r=\"9\"/>",
    "<row>",
    "</row>",
    "<mergeCell ref=\"A1:B2\"/>",
    "<mergeCells><mergeCell ref=\"C1:D1\"/></mergeCells>",
    "<mergeCell ref=\"B2:A1\"/>",
    " s=\"0\"",
    " t=\"s\"",
    " t=\"n\"",
    " r=\"A0\"",
    " r=\"XFD1048576\"",
    "&amp;",
    "&#x1EA1;",
    "&bogus;",
    "_xD83D__xDCF7_",
    "<![CDATA[<x>]]>",
    "<!-- c -->",
    "<si><t>mới</t></si>",
    "<si/>",
    "<t xml:space=\"preserve\">  </t>",
    "<xf numFmtId=\"14\"/>",
    "<numFmt numFmtId=\"164\" formatCode=\"0.0%\"/>",
    "<numFmt numFmtId=\"165\" formatCode=\"[h]:mm\"/>",
    "<property name=\"x\"><vt:lpwstr>y</vt:lpwstr></property>",
    "<x:c r=\"A1\" t=\"s\"><x:v>0</x:v></x:c>",
    "<c r='B3' t=\"inlineStr\"><is><t xml:space='preserve'>_x0041_ &amp; </t></is></c>",
    "<c r=\"C4\"><f>IF(A1=&quot;&quot;,1,2)</f><v>2</v ></c>",
    "<c r=\"D5\"><v>1&amp;</v></c>",
    "<c r=\"E6\" t=\"str\"><f>A1&amp;B1</f><v>a&lt;b</v></c>",
    "<c r=\"F7\"><v>\r\n5</v></c>",
    "<c r=\"G8\" s=\"007\"><v>1</v></c>",
    "<row r=\"3\">",
    "<row r=\"12\" spans=\"1:3\" x14ac:dyDescent=\"0.25\"><c r=\"A12\"><v>3</v></c></row>",
    "</c>",
    "</sheetData>",
    "<sheetData/>",
    "\r\n",
    "\"",
    "<",
    ">",
    "/>",
    "x:",
];

/// Edits the XML of one entry of a package: a piece inserted, a span cut
/// or repeated, a digit changed.
fn xml_mutation(bytes: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let mut entries = unzip(bytes)?;
    let xml: Vec<usize> = (0..entries.len())
        .filter(|&i| entries[i].0.ends_with(".xml") || entries[i].0.ends_with(".rels"))
        .collect();
    let (_, data) = &mut entries[*xml.get(rng.below(xml.len()))?];
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(data.len() + 1);
        match rng.below(4) {
            0 => {
                let piece = XML_PIECES[rng.below(XML_PIECES.len())].as_bytes();
                data.splice(at..at, piece.iter().copied());
            }
            1 => {
                let end = (at + 1 + rng.below(40)).min(data.len());
                data.drain(at..end);
            }
            2 => {
                let end = (at + 1 + rng.below(80)).min(data.len());
                let span = data[at..end].to_vec();
                data.splice(at..at, span);
            }
            _ => {
                if let Some(d) = data[at..].iter().position(u8::is_ascii_digit) {
                    data[at + d] = b'0' + rng.below(10) as u8;
                }
            }
        }
    }
    zip_up(entries)
}

fn unzip(bytes: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let mut entries = Vec::new();
    for i in 0..archive.len() {
        let mut e = archive.by_index(i).ok()?;
        let mut data = Vec::new();
        e.read_to_end(&mut data).ok()?;
        entries.push((e.name().ok()?.to_string(), data));
    }
    Some(entries)
}

fn zip_up(entries: Vec<(String, Vec<u8>)>) -> Option<Vec<u8>> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in entries {
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .ok()?;
        out.write_all(&data).ok()?;
    }
    Some(out.finish().ok()?.into_inner())
}

/// Every committed xlsx file under a folder.
fn xlsx_files(dir: &Path, out: &mut Vec<Vec<u8>>) -> std::io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        if p.is_dir() {
            xlsx_files(&p, out)?;
        } else if p
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
        {
            out.push(std::fs::read(&p)?);
        }
    }
    Ok(())
}

/// The fast path against calamine (see the module's documentation).
fn fast_path(iterations: usize, rng: &mut Rng) -> anyhow::Result<()> {
    let mut seeds = Vec::new();
    xlsx_files(Path::new("tests/fixtures"), &mut seeds)?;
    xlsx_files(Path::new("samples"), &mut seeds)?;
    std::panic::set_hook(Box::new(|_| {}));
    let (mut compared, mut declined, mut crashes, mut differences, mut slow) = (0, 0, 0, 0, 0);
    let mut slowest = std::time::Duration::ZERO;
    for i in 0..iterations {
        let seed = &seeds[rng.below(seeds.len())];
        let bytes = if rng.below(3) == 0 {
            mutate(seed, rng)
        } else {
            xml_mutation(seed, rng).unwrap_or_else(|| seed.clone())
        };
        let started = std::time::Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            thidua::workbook::xlsx::differences_from_calamine(&bytes)
        }));
        let took = started.elapsed();
        slowest = slowest.max(took);
        let save = |what: &str| -> std::io::Result<String> {
            let path = format!("target/fast-path-{what}-{i}.xlsx");
            std::fs::write(&path, &bytes)?;
            Ok(path)
        };
        if took > std::time::Duration::from_secs(1) {
            slow += 1;
            eprintln!("slow input ({took:?}) at {i}: {}", save("slow")?);
        }
        match outcome {
            Ok(None) => declined += 1,
            Ok(Some(found)) if found.is_empty() => compared += 1,
            Ok(Some(found)) => {
                differences += 1;
                eprintln!("difference at {i}: {} {found:?}", save("difference")?);
            }
            Err(_) => {
                crashes += 1;
                eprintln!("fast path panicked at {i}: {}", save("crash")?);
            }
        }
    }
    println!(
        "{iterations} executions: {compared} read by both and compared, {declined} declined \
         or refused by calamine, {differences} differences, {crashes} crashes, {slow} over 1 s \
         (slowest {slowest:?})"
    );
    if crashes + differences + slow > 0 {
        std::process::exit(1);
    }
    Ok(())
}

fn mutate(seed: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut b = seed.to_vec();
    match rng.below(5) {
        0 => {
            for _ in 0..1 + rng.below(8) {
                let at = rng.below(b.len());
                b[at] ^= 1 << rng.below(8);
            }
        }
        1 => {
            let at = rng.below(b.len());
            let run = 1 + rng.below(64);
            let byte = rng.next() as u8;
            for x in b.iter_mut().skip(at).take(run) {
                *x = byte;
            }
        }
        2 => b.truncate(rng.below(b.len())),
        _ => {
            if let Some(z) = zip_mutation(&b, rng) {
                b = z;
            }
        }
    }
    b
}

fn random_text(rng: &mut Rng) -> String {
    const PIECES: &[&str] = &[
        "1",
        "0",
        "9",
        ",",
        ".",
        "%",
        " ",
        "-",
        "+",
        "≥",
        ">",
        "<",
        "≤",
        "từ",
        "đến",
        "trở lên",
        "Ít nhất",
        "Trên",
        "Không có",
        "Tăng",
        "bậc",
        "năm 2021",
        "Hoàn thành",
        "tốt",
        "xuất sắc",
        "Theo mức:",
        ";",
        ":",
        "/",
        "1e9",
        "NaN",
        "\u{200B}",
        "ẩ",
        "Đ",
        "\u{301}",
    ];
    (0..rng.below(12))
        .map(|_| PIECES[rng.below(PIECES.len())])
        .collect()
}

fn main() -> anyhow::Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let fast = args.first().is_some_and(|a| a == "--fast-path");
    if fast {
        args.remove(0);
        if args.iter().all(|a| a.ends_with(".xlsx")) && !args.is_empty() {
            // Saved inputs, checked again.
            for path in &args {
                let found =
                    thidua::workbook::xlsx::differences_from_calamine(&std::fs::read(path)?);
                println!("{path}: {found:?}");
            }
            return Ok(());
        }
    }
    let iterations: usize = args
        .first()
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(5_000);
    let mut rng = Rng(args.get(1).map(|s| s.parse()).transpose()?.unwrap_or(1));
    if fast {
        return fast_path(iterations, &mut rng);
    }
    let plan = thidua::plan::load(Path::new("samples/ktkt-2022/ke-hoach.xlsx"))
        .map_err(|e| anyhow::anyhow!("{e:?}"))?
        .plan;
    let mut seeds = Vec::new();
    for dir in [
        "tests/fixtures",
        "samples/ktkt-2022/don-vi",
        "samples/ktkt-2022",
    ] {
        for e in std::fs::read_dir(dir)? {
            let p = e?.path();
            if thidua::commands::is_workbook_name(&p) {
                seeds.push(std::fs::read(&p)?);
            }
        }
    }
    let (mut crashes, mut read_ok, mut refused, mut caught) = (0, 0, 0, 0);
    // The reader's guard turns calamine panics into `reader-crash`
    // findings; keep their messages off the terminal.
    std::panic::set_hook(Box::new(|_| {}));
    let expect = thidua::submission::Expect {
        period: Some("NAM"),
        name: None,
    };
    for i in 0..iterations {
        let seed = &seeds[rng.below(seeds.len())];
        let bytes = mutate(seed, &mut rng);
        let text = random_text(&mut rng);
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let _ = thidua::text::number::parse_number(&text);
            let _ = thidua::text::number::parse_date_text(&text);
            let _ = thidua::text::target::parse_target(&text);
            let _ = thidua::plan::rule::parse_rule(&text);
            match thidua::workbook::read_bytes(bytes.clone()) {
                Ok(book) => {
                    let _ = thidua::submission::read(&book, "m.xlsx", &plan, &expect);
                    let _ = thidua::plan::load_book(&book, "m.xlsx");
                    0
                }
                Err(thidua::workbook::OpenError::Crash(_)) => 2,
                Err(_) => 1,
            }
        }));
        match outcome {
            Ok(0) => read_ok += 1,
            Ok(2) => {
                caught += 1;
                if caught == 1 {
                    // Kept for a regression test of the reader's guard.
                    std::fs::write("target/mutate-reader-crash.bin", &bytes)?;
                }
            }
            Ok(_) => refused += 1,
            Err(_) => {
                crashes += 1;
                let path = format!("target/mutate-crash-{i}.bin");
                std::fs::write(&path, &bytes)?;
                eprintln!("crash at iteration {i}: input saved to {path}, text {text:?}");
            }
        }
    }
    println!(
        "{iterations} executions: {read_ok} read, {refused} refused with a finding, \
         {caught} calamine panics caught as `reader-crash`, {crashes} crashes"
    );
    if crashes > 0 {
        std::process::exit(1);
    }
    Ok(())
}
