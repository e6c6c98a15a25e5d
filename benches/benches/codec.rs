//! Encode and decode time of toon next to serde_json on the same data, in one run.
//! `cargo bench -p toon-benches --bench codec`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use toon::{DecodeOptions, EncodeOptions};

fn tabular(c: &mut Criterion) {
    let json = toon_benches::tabular_json(1_000);
    let json_value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let value: toon::Value = serde_json::from_str(&json).unwrap();
    let text = toon::encode(&value, &EncodeOptions::default()).unwrap();

    let mut group = c.benchmark_group("tabular-1000/encode");
    group.throughput(Throughput::Bytes(json.len() as u64));
    group.bench_function("serde_json::to_string", |b| {
        b.iter(|| serde_json::to_string(black_box(&json_value)).unwrap())
    });
    group.bench_function("toon::encode", |b| {
        b.iter(|| toon::encode(black_box(&value), &EncodeOptions::default()).unwrap())
    });
    group.finish();

    let mut group = c.benchmark_group("tabular-1000/decode");
    group.throughput(Throughput::Bytes(json.len() as u64));
    group.bench_function("serde_json::from_str::<Value>", |b| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(&json)).unwrap())
    });
    group.bench_function("toon::decode", |b| {
        b.iter(|| toon::decode(black_box(&text), &DecodeOptions::default()).unwrap())
    });
    group.finish();
}

criterion_group!(benches, tabular);
criterion_main!(benches);
