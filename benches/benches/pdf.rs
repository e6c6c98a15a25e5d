//! PDF → TOON on a generated 200-page PDF (Helvetica, 40 lines a page): pages per
//! second with pages extracted one after another and in parallel on rayon's pool.
//!
//! `cargo bench -p toon-benches --bench pdf -- --warm-up-time 1 --measurement-time 10`
//!
//! Criterion reports throughput in elements = pages. The speed-up is the ratio of the two
//! lines' times; it is bounded by the number of cores.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pdf_to_toon::{PdfToToonOptions, convert, fixtures};
use std::hint::black_box;

const PAGES: usize = 200;
const LINES: usize = 40;

fn pdf(c: &mut Criterion) {
    let bytes = fixtures::numbered_pdf(PAGES, LINES);
    let sequential = PdfToToonOptions {
        parallel: false,
        ..PdfToToonOptions::default()
    };
    let parallel = PdfToToonOptions::default();
    // Same output either way.
    assert_eq!(
        convert(&bytes, &sequential).unwrap(),
        convert(&bytes, &parallel).unwrap()
    );

    let mut group = c.benchmark_group(format!("pdf/{PAGES}-pages"));
    group.throughput(Throughput::Elements(PAGES as u64));
    group.sample_size(10);
    group.bench_function("sequential", |b| {
        b.iter(|| convert(black_box(&bytes), &sequential).unwrap())
    });
    group.bench_function("parallel", |b| {
        b.iter(|| convert(black_box(&bytes), &parallel).unwrap())
    });
    group.finish();
}

criterion_group!(benches, pdf);
criterion_main!(benches);
