//! The yardstick: opens each workbook with the same calamine version, reads
//! every sheet and touches every cell. The floor `thidua consolidate` is
//! measured against (docs/performance.md).
//!
//!     cargo run --release --example yardstick -- DIR

use calamine::{Data, Reader, open_workbook_auto};

fn main() -> anyhow::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/bench/120/don-vi".into());
    let mut files: Vec<_> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .collect();
    files.sort();
    let (mut cells, mut chars) = (0usize, 0usize);
    for path in &files {
        let mut book = open_workbook_auto(path)?;
        for name in book.sheet_names() {
            let range = book.worksheet_range(&name)?;
            for cell in range.used_cells() {
                cells += 1;
                chars += match cell.2 {
                    Data::String(s) => s.len(),
                    Data::Float(_) | Data::Int(_) => 8,
                    _ => 1,
                };
            }
        }
    }
    println!(
        "{} workbooks, {cells} cells, {chars} characters",
        files.len()
    );
    Ok(())
}
