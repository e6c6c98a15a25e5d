//! What writing for a model costs over the plain work it replaces, in one run:
//! `toon_prompt::cheapest` (stopping dearer counts, and counting all four to the end) and
//! `toon_prompt::fit_to_budget` at 10%, 50% and 90% of the document's tokens, next to one
//! `toon::encode` + one exact count of its text. Goals: cheapest ≤ 1.5×, fit ≤ 3× that
//! baseline. And the open-model encodings: `TokenCounter::count_uncached` next to the
//! `tiktoken` crate's own `count` on the same text. Throughput in bytes of the TOON text.
//!
//! `cargo bench -p toon-benches --bench prompt -- --warm-up-time 1 --measurement-time 3`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use toon::EncodeOptions;
use toon_prompt::{CheapestOptions, Counting};
use toon_tokens::{Encoding, TokenCounter};

fn writing(c: &mut Criterion) {
    let counter = TokenCounter::uncached(Encoding::O200kBase);
    let options = EncodeOptions::default();
    let exact = CheapestOptions {
        counting: Counting::Exact,
        ..CheapestOptions::default()
    };
    let fast = CheapestOptions::default();
    for corpus in toon_benches::corpora() {
        let value: toon::Value = serde_json::from_str(&corpus.json).unwrap();
        let text = toon::encode(&value, &options).unwrap();
        let tokens = counter.count(&text);
        let mut group = c.benchmark_group(format!("{}/prompt", corpus.name));
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function("encode+count", |b| {
            b.iter(|| counter.count_uncached(&toon::encode(black_box(&value), &options).unwrap()))
        });
        group.bench_function("cheapest", |b| {
            b.iter(|| toon_prompt::cheapest(black_box(&value), &counter, &fast).unwrap())
        });
        group.bench_function("cheapest-exact", |b| {
            b.iter(|| toon_prompt::cheapest(black_box(&value), &counter, &exact).unwrap())
        });
        for percent in [10, 50, 90] {
            let budget = tokens * percent / 100;
            group.bench_function(format!("fit-{percent}%"), |b| {
                b.iter(|| toon_prompt::fit_to_budget(black_box(&value), budget, &counter, &options))
            });
        }
        group.finish();
    }
}

fn open_encodings(c: &mut Criterion) {
    let corpus = &toon_benches::corpora()[1];
    let value: toon::Value = serde_json::from_str(&corpus.json).unwrap();
    let text = toon::encode(&value, &EncodeOptions::default()).unwrap();
    let mut group = c.benchmark_group("open-encodings");
    group.throughput(Throughput::Bytes(text.len() as u64));
    for encoding in [
        Encoding::Llama3,
        Encoding::Qwen2,
        Encoding::DeepseekV3,
        Encoding::MistralV3,
    ] {
        let ours = TokenCounter::uncached(encoding);
        let theirs = tiktoken::get_encoding(encoding.name()).unwrap();
        assert_eq!(ours.count(&text), theirs.count(&text), "{encoding}");
        group.bench_function(format!("{encoding}/toon_tokens"), |b| {
            b.iter(|| ours.count_uncached(black_box(&text)))
        });
        group.bench_function(format!("{encoding}/tiktoken"), |b| {
            b.iter(|| theirs.count(black_box(&text)))
        });
    }
    group.finish();
}

criterion_group!(prompt_benches, writing, open_encodings);
criterion_main!(prompt_benches);
