//! Token counting: `toon_tokens` next to `tiktoken-rs` (the baseline, and the oracle the
//! tests compare against) on the same inputs, in one run.
//!
//! `cargo bench -p toon-benches --bench tokens -- --warm-up-time 1 --measurement-time 3`
//!
//! Groups (throughput in bytes of the input text):
//! * `tokens-cold/<input>`: a count of text never seen before. `toon` gets a fresh,
//!   uncached counter for every iteration (an empty piece memo, no result cache), so it
//!   only profits from words repeated inside the text; `tiktoken-rs` is
//!   `o200k_base_singleton().encode_ordinary(text).len()`, its set-up done beforehand.
//!   Inputs: the JSON of the four benchmark corpora and toon's TOON of each,
//!   English-like prose, and real Markdown (this repository's README and docs).
//! * `tokens-warm/<input>`: a long-lived uncached counter (piece memo warm, no result
//!   cache): the steady state of a service counting new documents of a known kind.
//! * `tokens-cl100k/<input>`: the cold comparison in cl100k_base.
//! * `tokens-cache/hit-1KiB`: `count` of a 1 KiB text already in the cache (xxh3-128 of the
//!   text, one sharded map probe, the hit counter); `hit-1KiB-prometheus` the same with
//!   the Prometheus recorder installed, so the metrics facade is live.
//!
//! Before the criterion groups, the set-up time is measured in child processes (criterion
//! cannot time a one-shot initialisation): each child times, with `Instant`, building a
//! counter and counting one short text, once; the median of 7 children is printed for
//! `toon` and for `tiktoken-rs` (`o200k_base_singleton()`, then `encode_ordinary`).

use std::hint::black_box;
use std::process::Command;
use std::time::Instant;

use criterion::{BatchSize, Criterion, Throughput};
use toon::EncodeOptions;
use toon_tokens::{CacheConfig, Encoding, TokenCounter};

#[path = "../../crates/toon-tokens/tests/common/words.rs"]
mod words;

/// Set in a child process: which set-up to time (`toon` or `tiktoken`) and print.
const SETUP_CHILD: &str = "TOON_TOKENS_SETUP_CHILD";

/// One input: a name and its text.
struct Input {
    name: String,
    text: String,
}

/// The JSON and TOON of every benchmark corpus, and prose.
fn inputs() -> Vec<Input> {
    let mut inputs = Vec::new();
    for corpus in toon_benches::corpora() {
        let value: toon::Value<'_> = serde_json::from_str(&corpus.json).expect("corpus JSON");
        let toon = toon::encode(&value, &EncodeOptions::default()).expect("encode");
        inputs.push(Input {
            name: format!("{}-json", corpus.name),
            text: corpus.json.clone(),
        });
        inputs.push(Input {
            name: format!("{}-toon", corpus.name),
            text: toon,
        });
    }
    inputs.push(Input {
        name: "prose".to_owned(),
        text: prose(256 << 10),
    });
    inputs.push(Input {
        name: "markdown".to_owned(),
        text: repository_markdown(),
    });
    inputs
}

/// Real prose: this repository's README and `docs/*.md`, in name order (about 100 KB of
/// English with code blocks, tables and non-ASCII punctuation). Unlike [`prose`], most of
/// its words are not repeated, so the piece memo helps far less.
fn repository_markdown() -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut paths = vec![root.join("README.md")];
    let mut docs: Vec<_> = std::fs::read_dir(root.join("docs"))
        .expect("docs/")
        .map(|entry| entry.expect("docs/ entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    docs.sort();
    paths.extend(docs);
    paths
        .iter()
        .map(|path| std::fs::read_to_string(path).expect("Markdown file"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// English-like text: common words, capitals, punctuation and numbers.
fn prose(bytes: usize) -> String {
    use words::WORDS;
    let mut state = 0x5EED_u64;
    let mut text = String::with_capacity(bytes + 32);
    let mut capital = true;
    while text.len() < bytes {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let word = WORDS[(state >> 33) as usize % WORDS.len()];
        if capital {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                text.extend(first.to_uppercase());
                text.push_str(chars.as_str());
            }
        } else {
            text.push_str(word);
        }
        capital = false;
        match (state >> 20) % 16 {
            0 => {
                text.push_str(". ");
                capital = true;
            }
            1 => text.push_str(", "),
            2 if (state >> 8).is_multiple_of(4) => {
                text.push_str(".\n\n");
                capital = true;
            }
            _ => text.push(' '),
        }
    }
    text
}

fn tiktoken(encoding: Encoding) -> &'static tiktoken_rs::CoreBPE {
    match encoding {
        Encoding::O200kBase => tiktoken_rs::o200k_base_singleton(),
        Encoding::Cl100kBase => tiktoken_rs::cl100k_base_singleton(),
        other => panic!("{other} is benched in benches/prompt.rs, next to the tiktoken crate"),
    }
}

fn cold(c: &mut Criterion, inputs: &[Input], encoding: Encoding, group: &str) {
    let oracle = tiktoken(encoding);
    let mut group = c.benchmark_group(group);
    for input in inputs {
        let text = input.text.as_str();
        let expected = oracle.encode_ordinary(text).len();
        assert_eq!(
            TokenCounter::uncached(encoding).count(text),
            expected,
            "{}",
            input.name
        );
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("{}/toon", input.name), |b| {
            b.iter_batched(
                || TokenCounter::uncached(encoding),
                |counter| counter.count(black_box(text)),
                BatchSize::SmallInput,
            );
        });
        group.bench_function(format!("{}/tiktoken-rs", input.name), |b| {
            b.iter(|| oracle.encode_ordinary(black_box(text)).len());
        });
    }
    group.finish();
}

fn warm(c: &mut Criterion, inputs: &[Input]) {
    let mut group = c.benchmark_group("tokens-warm");
    for input in inputs {
        let text = input.text.as_str();
        let counter = TokenCounter::uncached(Encoding::O200kBase);
        counter.count(text);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("{}/toon", input.name), |b| {
            b.iter(|| counter.count(black_box(text)));
        });
    }
    group.finish();
}

fn cache_hits(c: &mut Criterion, prometheus: bool) {
    // 1 KiB exactly: the prose cut at a character boundary, padded with ASCII.
    let long = prose(1 << 11);
    let mut end = 1 << 10;
    while !long.is_char_boundary(end) {
        end -= 1;
    }
    let mut text = long[..end].to_owned();
    while text.len() < 1 << 10 {
        text.push('.');
    }
    let text = text.as_str();
    let counter = TokenCounter::builder(Encoding::O200kBase)
        .cache_config(CacheConfig::default())
        .build();
    let expected = counter.count(text);
    let mut group = c.benchmark_group("tokens-cache");
    let name = if prometheus {
        toon_tokens::metrics::install_prometheus().expect("no other recorder");
        "hit-1KiB-prometheus"
    } else {
        "hit-1KiB"
    };
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function(name, |b| {
        b.iter(|| {
            let count = counter.count(black_box(text));
            debug_assert_eq!(count, expected);
            count
        });
    });
    group.finish();
}

/// In a child process: time one set-up plus a first count, print microseconds.
fn setup_child(which: &str) {
    let text = "Set-up time: the first count in a fresh process.";
    let start = Instant::now();
    let count = match which {
        "toon" => TokenCounter::new(Encoding::O200kBase).count(text),
        "tiktoken" => tiktoken_rs::o200k_base_singleton()
            .encode_ordinary(text)
            .len(),
        other => panic!("unknown set-up {other}"),
    };
    let micros = start.elapsed().as_secs_f64() * 1e6;
    println!("{micros:.1} {count}");
}

/// Runs each set-up in 7 fresh child processes and prints the medians.
fn setup_report() {
    let exe = std::env::current_exe().expect("bench executable");
    let mut counts = Vec::new();
    for which in ["toon", "tiktoken"] {
        let mut times: Vec<f64> = (0..7)
            .map(|_| {
                let output = Command::new(&exe)
                    .env(SETUP_CHILD, which)
                    .output()
                    .expect("run set-up child");
                assert!(output.status.success(), "set-up child failed");
                let stdout = String::from_utf8_lossy(&output.stdout);
                let (micros, count) = stdout.trim().split_once(' ').expect("`micros count`");
                counts.push(count.to_owned());
                micros.parse::<f64>().expect("microseconds")
            })
            .collect();
        times.sort_by(f64::total_cmp);
        let name = if which == "toon" {
            "toon TokenCounter::new(O200kBase) + first count"
        } else {
            "tiktoken-rs o200k_base_singleton() + first encode_ordinary"
        };
        println!(
            "tokens-setup/{which}: median {:.3} ms (min {:.3}, max {:.3}) over 7 processes: {name}",
            times[3] / 1e3,
            times[0] / 1e3,
            times[6] / 1e3
        );
    }
    assert!(
        counts.windows(2).all(|pair| pair[0] == pair[1]),
        "set-up children disagree on the count: {counts:?}"
    );
}

fn main() {
    if let Ok(which) = std::env::var(SETUP_CHILD) {
        setup_child(&which);
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    // `cargo test --benches` runs this binary with `--test`: keep it quick.
    let testing = std::env::args().any(|arg| arg == "--test");
    if !testing {
        setup_report();
    }
    let inputs = inputs();
    cold(&mut c, &inputs, Encoding::O200kBase, "tokens-cold");
    warm(&mut c, &inputs);
    let cl100k: Vec<Input> = inputs
        .into_iter()
        .filter(|input| {
            input.name.starts_with("github") || input.name == "prose" || input.name == "markdown"
        })
        .collect();
    cold(&mut c, &cl100k, Encoding::Cl100kBase, "tokens-cl100k");
    cache_hits(&mut c, false);
    cache_hits(&mut c, true);
    c.final_summary();
}
