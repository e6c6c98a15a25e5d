//! What reading a model's reply costs over a plain decode: `toon::repair` next to
//! `toon::decode` on the same valid TOON text (each corpus encoded by toon), in one run.
//! The goal is ≤ 1.2× `decode` on a valid document. Groups `<corpus>/repair`,
//! throughput in bytes of the TOON text.
//!
//! `cargo bench -p toon-benches --bench repair -- --warm-up-time 1 --measurement-time 3`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use toon::{DecodeOptions, EncodeOptions, RepairOptions};

fn benches(c: &mut Criterion) {
    for corpus in toon_benches::corpora() {
        let value: toon::Value = serde_json::from_str(&corpus.json).unwrap();
        let text = toon::encode(&value, &EncodeOptions::default()).unwrap();
        let decode = DecodeOptions::default();
        let repair = RepairOptions::new();
        let repaired = toon::repair(&text, &repair).unwrap();
        assert_eq!(
            repaired.value, value,
            "{}: repair must read a valid document as decode does",
            corpus.name
        );
        assert!(repaired.repairs.is_empty() && repaired.truncated.is_none());
        let mut group = c.benchmark_group(format!("{}/repair", corpus.name));
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function("toon::decode", |b| {
            b.iter(|| toon::decode(black_box(&text), &decode).unwrap())
        });
        group.bench_function("toon::repair", |b| {
            b.iter(|| toon::repair(black_box(&text), &repair).unwrap())
        });
        group.finish();
    }
}

criterion_group!(repair_benches, benches);
criterion_main!(repair_benches);
