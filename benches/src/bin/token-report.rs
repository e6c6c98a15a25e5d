//! Writes the token-efficiency report: `token-efficiency.md`, one SVG chart per tokenizer
//! and one of all tokenizers' totals under `img/`, from the report's datasets counted exactly in every encoding.
//!
//! `cargo run -p toon-benches --bin token-report --release [-- --small] [--out DIR]`
//!
//! `--out` defaults to `docs`; `--small` uses a tenth of the rows (CI runs it into a
//! temporary folder to keep the generator working).

use std::path::PathBuf;

use anyhow::{Context, bail};
use toon_benches::report::{datasets, markdown, measure};
use toon_tokens::Encoding;

fn main() -> anyhow::Result<()> {
    let mut out = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs"));
    let mut size = datasets::Size::Full;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--small" => size = datasets::Size::Small,
            "--out" => out = args.next().context("--out DIR")?.into(),
            other => bail!("unknown argument {other} (usage: token-report [--small] [--out DIR])"),
        }
    }
    let real = datasets::real_json_path();
    if real.is_none() {
        eprintln!(
            "token-report: the url crate's tests/urltestdata.json was not found; leaving the real dataset out"
        );
    }
    let data = datasets::datasets(size, real.as_deref())?;
    let encodings = Encoding::ALL;
    let measured = measure::measure(&data, &encodings)?;

    let img = out.join("img");
    std::fs::create_dir_all(&img).with_context(|| img.display().to_string())?;
    let mut charts = Vec::new();
    for encoding in encodings {
        let file = format!("img/token-efficiency-{encoding}.svg");
        let svg = markdown::chart(&measured, encoding).to_svg(1100)?;
        std::fs::write(out.join(&file), svg).with_context(|| file.clone())?;
        charts.push((encoding, file));
    }
    let all = markdown::totals_chart(&measured, &encodings).to_svg(1100)?;
    std::fs::write(img.join("token-efficiency-all.svg"), all)?;
    let report = out.join("token-efficiency.md");
    std::fs::write(&report, markdown::report(&measured, &encodings, &charts))
        .with_context(|| report.display().to_string())?;
    eprintln!("{}", markdown::reading(&measured, encodings[0]));
    println!("{}", report.display());
    Ok(())
}
