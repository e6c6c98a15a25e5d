//! Writes the four benchmark corpora as JSON files (`tabular.json`, `github.json`,
//! `twitter.json`, `checkpoint.json`) into a folder, so the Python and Node benchmarks
//! measure exactly the data the Rust benches do.
//!
//! `cargo run -q --release -p toon-benches --bin corpora -- DIR`

use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/corpora".into()),
    );
    std::fs::create_dir_all(&dir)?;
    for corpus in toon_benches::corpus::corpora() {
        let file = match corpus.name.split('-').next().unwrap_or(corpus.name) {
            "tabular" => "tabular.json",
            "github" => "github.json",
            "twitter" => "twitter.json",
            _ => "checkpoint.json",
        };
        std::fs::write(dir.join(file), corpus.json)?;
    }
    println!("{}", dir.display());
    Ok(())
}
