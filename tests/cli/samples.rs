//! The committed samples are what the generator writes: a stale file fails.
//! The seed samples' unit workbooks (`samples/seed-*/don-vi`) are laid out
//! by hand with openpyxl (tests/fixtures/layouts/make_layouts.py --seeds)
//! and are not the generator's.

#[path = "../../examples/make_samples/generate.rs"]
#[allow(dead_code)] // the generator's helpers are used by the example binary
pub mod generate;

use std::path::Path;

fn files(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let hand_laid = path.ends_with("don-vi")
                && dir
                    .file_name()
                    .is_some_and(|d| d.to_string_lossy().starts_with("seed-"));
            if path.is_dir() && !hand_laid {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "xlsx" || e == "csv") {
                out.push(
                    path.strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .to_string(),
                );
            }
        }
    }
    out.sort();
    out
}

#[test]
fn committed_samples_are_fresh() {
    let fresh = tempfile::tempdir().unwrap();
    generate::write_all(fresh.path()).unwrap();
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let names = files(fresh.path());
    assert_eq!(
        names,
        files(&committed),
        "sample files differ; run `cargo run --example make_samples`"
    );
    for name in &names {
        let a = std::fs::read(fresh.path().join(name)).unwrap();
        let b = std::fs::read(committed.join(name)).unwrap();
        assert!(
            a == b,
            "samples/{name} is stale; run `cargo run --example make_samples` and commit"
        );
    }
}
