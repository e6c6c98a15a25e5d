//! Replays the fuzz corpora and saved regressions (`fuzz/corpus/<target>/`,
//! `fuzz/regressions/<target>/`) through the same checks the cargo-fuzz targets run, so CI
//! on stable catches a regression without the fuzzer. Every input runs through every
//! check (decode, round trip, typed, repair, chunked), whichever target's folder it came from.

use std::path::{Path, PathBuf};

#[allow(dead_code, unreachable_pub, missing_docs)]
#[path = "../../../fuzz/src/checks.rs"]
mod checks;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

/// Every file directly inside each subfolder of `fuzz/<kind>/`, sorted.
fn inputs(kind: &str) -> Vec<PathBuf> {
    let Ok(targets) = std::fs::read_dir(fuzz_dir().join(kind)) else {
        return Vec::new();
    };
    let mut files = Vec::new();
    for target in targets {
        let target = target.expect("dir entry").path();
        if !target.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&target).expect("readable folder") {
            let file = file.expect("dir entry").path();
            if file.is_file() {
                files.push(file);
            }
        }
    }
    files.sort();
    files
}

fn replay(files: &[PathBuf]) -> Vec<String> {
    let mut failures = Vec::new();
    for path in files {
        // A file can vanish while a fuzzer rewrites the corpus it reads from.
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        type Check = fn(&[u8]);
        let all: [(&str, Check); 5] = [
            ("decode", checks::decode),
            ("roundtrip", checks::roundtrip),
            ("typed", checks::typed),
            ("repair", checks::repair),
            ("chunked", checks::chunked),
        ];
        for (name, check) in all {
            if let Err(panic) = std::panic::catch_unwind(|| check(&bytes)) {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default();
                failures.push(format!("{name} {}: {message}", path.display()));
            }
        }
    }
    failures
}

#[test]
fn fuzz_corpus_and_regressions_replay() {
    let corpus = inputs("corpus");
    let regressions = inputs("regressions");
    assert!(
        !corpus.is_empty(),
        "no fuzz corpus found under {}",
        fuzz_dir().display()
    );
    let mut failures = replay(&corpus);
    failures.extend(replay(&regressions));
    println!(
        "replayed {} corpus inputs and {} regression inputs through decode, roundtrip, typed, repair and chunked",
        corpus.len(),
        regressions.len()
    );
    assert!(
        failures.is_empty(),
        "{} failing inputs:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
