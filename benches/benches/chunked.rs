//! What decoding a stream costs over decoding the whole text: `toon::ChunkDecoder` fed
//! the TOON text in 4 KiB chunks (parts handed to a callback that only counts them)
//! next to `toon::decode` of the whole text, in one run. `toon::decode` borrows its
//! strings from the text; the chunk decoder owns them (its chunks are gone once fed),
//! so `toon::decode` + `into_owned` is shown as well. The goal is ≤ 1.5× `decode`.
//! Groups `<corpus>/chunked`, throughput in bytes of the TOON text.
//!
//! `cargo bench -p toon-benches --bench chunked -- --warm-up-time 1 --measurement-time 3`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use toon::{ChunkDecoder, DecodeOptions, EncodeOptions};

const CHUNK: usize = 4096;

fn chunked(text: &[u8], options: &DecodeOptions) -> (toon::Value<'static>, usize) {
    let mut parts = 0;
    let mut decoder = ChunkDecoder::new(options).unwrap();
    for chunk in text.chunks(CHUNK) {
        decoder.feed(chunk, |_| parts += 1).unwrap();
    }
    let end = decoder.finish(|_| parts += 1).unwrap();
    (end.value, parts)
}

fn benches(c: &mut Criterion) {
    for corpus in toon_benches::corpora() {
        let value: toon::Value = serde_json::from_str(&corpus.json).unwrap();
        let text = toon::encode(&value, &EncodeOptions::default()).unwrap();
        let options = DecodeOptions::default();
        assert_eq!(
            chunked(text.as_bytes(), &options).0,
            value,
            "{}: chunks must decode as the whole text does",
            corpus.name
        );
        let mut group = c.benchmark_group(format!("{}/chunked", corpus.name));
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function("toon::decode", |b| {
            b.iter(|| toon::decode(black_box(&text), &options).unwrap())
        });
        group.bench_function("toon::decode+into_owned", |b| {
            b.iter(|| {
                toon::decode(black_box(&text), &options)
                    .unwrap()
                    .into_owned()
            })
        });
        group.bench_function("ChunkDecoder/4KiB", |b| {
            b.iter(|| chunked(black_box(text.as_bytes()), &options))
        });
        group.finish();
    }
}

criterion_group!(chunked_benches, benches);
criterion_main!(chunked_benches);
