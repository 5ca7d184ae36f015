//! A mutation fuzzer for the readers, run where cargo-fuzz is not at hand:
//! takes the committed fixtures and samples, damages them (bit flips, byte
//! runs, truncation, zip-entry swaps and truncated entries), and feeds each
//! result to the workbook reader, the unit-workbook checker and the plan
//! loader; random strings go to the number, date and target parsers. Any
//! panic outside the reader's own guard is a crash.
//!
//!     cargo run --release --example mutate -- [ITERATIONS] [SEED]

use std::io::{Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

#[path = "../support/rng.rs"]
#[allow(dead_code)] // not every example uses every helper
mod rng;

use rng::Rng;

/// Damages a zip by swapping two entries' contents or cutting one short.
fn zip_mutation(bytes: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let mut entries = Vec::new();
    for i in 0..archive.len() {
        let mut e = archive.by_index(i).ok()?;
        let mut data = Vec::new();
        e.read_to_end(&mut data).ok()?;
        entries.push((e.name().ok()?.to_string(), data));
    }
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
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in entries {
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .ok()?;
        out.write_all(&data).ok()?;
    }
    Some(out.finish().ok()?.into_inner())
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
    let args: Vec<String> = std::env::args().skip(1).collect();
    let iterations: usize = args
        .first()
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(5_000);
    let mut rng = Rng(args.get(1).map(|s| s.parse()).transpose()?.unwrap_or(1));
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
