//! Regenerates `samples/`: `cargo run --example make_samples`.
//! A test (`tests/samples.rs`) fails when the committed files differ from
//! what this writes.

mod generate;

fn main() -> anyhow::Result<()> {
    let root = std::path::Path::new("samples");
    generate::write_all(root)?;
    println!("samples written to {}", root.display());
    Ok(())
}
