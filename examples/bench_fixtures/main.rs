//! Writes a benchmark set: a plan with N member units and N unit workbooks
//! laid out as `thidua template` writes them (Vietnamese text, title rows,
//! three sheets), a "dirty" share (text numbers, moved columns, a missing
//! sheet, an over-claimed score), and `manifest.csv` with each unit's
//! expected total, so every benchmark run is also a correctness check.
//!
//!     cargo run --release --example bench_fixtures -- N [SEED] [DIR]
//!
//! Deterministic from the seed; writes under `target/bench/N` by default.

#[path = "../make_samples/generate.rs"]
#[allow(dead_code)] // the sample generator's other helpers are unused here
mod generate;

use std::fmt::Write as _;
use std::path::PathBuf;

use generate::{fill, good_year, num, set, text};
use thidua::report::plan_book::{self, n, t};
use thidua::report::template;

/// A small deterministic generator (splitmix64).
#[path = "../support/rng.rs"]
#[allow(dead_code)] // not every example uses every helper
mod rng;

use rng::Rng;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let count: usize = args.first().map(|s| s.parse()).transpose()?.unwrap_or(120);
    let seed: u64 = args.get(1).map(|s| s.parse()).transpose()?.unwrap_or(2022);
    let dir = args
        .get(2)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(format!("target/bench/{count}")));
    let units_dir = dir.join("don-vi");
    std::fs::create_dir_all(&units_dir)?;

    let mut draft = generate::ktkt_plan();
    draft.units = (1..=count)
        .map(|i| {
            vec![
                t(&format!("U{i:05}")),
                t(&format!("Sở thí điểm số {i}")),
                n(50.0 + (i % 200) as f64),
            ]
        })
        .collect();
    draft.info[4] = ("Khối trưởng", t("U00001"));
    let plan_path = dir.join("ke-hoach.xlsx");
    plan_book::write(&draft, &plan_path, false, true)?;
    let plan = thidua::plan::load(&plan_path)
        .map_err(|e| anyhow::anyhow!("{e:?}"))?
        .plan;
    let period = plan.period("NAM").expect("year-end period").clone();

    let mut rng = Rng(seed);
    let mut manifest = String::from("unit,total,kind\n");
    for (i, unit) in plan.units.iter().enumerate() {
        let mut rows = good_year();
        // 2.3 (`Tỷ lệ`, 5 points, `Ít nhất 15%`): 10–15% spreads the totals.
        let cstd = 10.0 + (i % 6) as f64;
        set(&mut rows, "2.3", num(cstd), num(5.0));
        let roll = rng.next() % 100;
        let kind = match roll {
            0..=4 => "text-numbers",
            5..=8 => "moved-columns",
            9..=11 => "over-claimed",
            12..=14 => "missing-sheet",
            _ => "clean",
        };
        if kind == "text-numbers" {
            set(
                &mut rows,
                "2.3",
                text(&format!("{},0", cstd as u32)),
                text("4,5"),
            );
            set(&mut rows, "1.5", text("98,6%"), text("5"));
        }
        if kind == "over-claimed" {
            set(&mut rows, "1.2", num(84.0), num(12.0));
        }
        let mut f = fill(rows, 12);
        match kind {
            "moved-columns" => {
                f.layout.extra_title_rows = 2;
                f.layout.column_order = Some(vec![0, 1, 2, 3, 4, 8, 7, 6, 5, 9]);
            }
            "missing-sheet" => f.layout.no_info_sheet = true,
            _ => {}
        }
        template::write(
            &plan,
            unit,
            &period,
            Some(&f),
            &units_dir.join(format!("{}.xlsx", unit.code)),
            true,
        )?;
        // Every target met but 2.3: 95 + 5 × min(1, a/15), rounded to cents,
        // plus 0,5 for one sáng kiến cấp tỉnh.
        let part = ((5.0 * (cstd / 15.0).min(1.0)) * 100.0).round() / 100.0;
        writeln!(manifest, "{},{},{kind}", unit.code, 95.0 + part + 0.5)?;
    }
    std::fs::write(dir.join("manifest.csv"), manifest)?;
    println!("{count} workbooks in {}", units_dir.display());
    Ok(())
}
