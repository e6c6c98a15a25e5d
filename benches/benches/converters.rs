//! Converter throughput next to the core codec, on the corpora of `toon_benches`:
//!
//! - `<corpus>/json-to-toon`: JSON text → TOON text with the `json-to-toon` converter
//!   (borrowed `serde_json` parse, then `toon::encode`), next to `toon::encode` alone on
//!   the already parsed value. Throughput in bytes of the JSON text.
//! - `<corpus>/toon-to-markdown`: TOON text → Markdown with the `toon-to-markdown`
//!   converter (strict decode, then render), next to the render alone on the decoded value
//!   and `toon::decode` alone. Throughput in bytes of the TOON text.
//!
//! `cargo bench -p toon-benches --bench converters -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use json_to_toon::JsonToToonOptions;
use toon::{DecodeOptions, EncodeOptions};
use toon_benches::corpora;
use toon_to_markdown::ToonToMarkdownOptions;

fn converters(c: &mut Criterion) {
    for corpus in corpora() {
        let json = corpus.json.as_str();
        let value: toon::Value = serde_json::from_str(json).unwrap();
        let text = toon::encode(&value, &EncodeOptions::default()).unwrap();
        let json_options = JsonToToonOptions::default();
        assert_eq!(
            json_to_toon::convert(json, &json_options).unwrap(),
            format!("{text}\n")
        );

        let mut group = c.benchmark_group(format!("{}/json-to-toon", corpus.name));
        group.throughput(Throughput::Bytes(json.len() as u64));
        group.bench_function("json_to_toon::convert", |b| {
            b.iter(|| json_to_toon::convert(black_box(json), &json_options).unwrap())
        });
        group.bench_function("toon::encode(&toon::Value)", |b| {
            b.iter(|| toon::encode(black_box(&value), &EncodeOptions::default()).unwrap())
        });
        group.finish();

        let md_options = ToonToMarkdownOptions::default();
        let decoded = toon::decode(&text, &DecodeOptions::default()).unwrap();
        let mut group = c.benchmark_group(format!("{}/toon-to-markdown", corpus.name));
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function("toon_to_markdown::convert", |b| {
            b.iter(|| toon_to_markdown::convert(black_box(&text), &md_options).unwrap())
        });
        group.bench_function("toon_to_markdown::render(&toon::Value)", |b| {
            b.iter(|| toon_to_markdown::render(black_box(&decoded), &md_options).unwrap())
        });
        group.bench_function("toon::decode", |b| {
            b.iter(|| toon::decode(black_box(&text), &DecodeOptions::default()).unwrap())
        });
        group.finish();
    }
}

criterion_group!(benches, converters);
criterion_main!(benches);
