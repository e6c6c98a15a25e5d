//! Draws bench result files (see `toon_benches::report::results`) as SVG bar charts:
//! `FILE.json` becomes `OUT/FILE.svg`.
//!
//! `cargo run -p toon-benches --bin bench-charts --release -- [--out DIR] FILE.json...`
//!
//! `--out` defaults to `docs/img`.

use std::path::PathBuf;

use anyhow::{Context, bail};
use toon_benches::report::results::BenchResults;

fn main() -> anyhow::Result<()> {
    let mut out = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/img"));
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => out = args.next().context("--out DIR")?.into(),
            _ if arg.starts_with("--") => bail!("unknown option {arg}"),
            _ => files.push(PathBuf::from(arg)),
        }
    }
    if files.is_empty() {
        bail!("usage: bench-charts [--out DIR] FILE.json...");
    }
    std::fs::create_dir_all(&out).with_context(|| out.display().to_string())?;
    for file in files {
        let text = std::fs::read_to_string(&file).with_context(|| file.display().to_string())?;
        let results: BenchResults =
            serde_json::from_str(&text).with_context(|| file.display().to_string())?;
        let stem = file.file_stem().context("a file name")?;
        let svg = out.join(stem).with_extension("svg");
        std::fs::write(&svg, results.chart().to_svg(1100)?)
            .with_context(|| svg.display().to_string())?;
        println!("{}", svg.display());
    }
    Ok(())
}
