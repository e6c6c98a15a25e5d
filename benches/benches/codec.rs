//! Encode and decode time of toon next to serde_json and the peer TOON crates (toon-format
//! 0.7, serde_toon 0.3) on the same data, in one run: the four corpora, typed forms of
//! each, and the deep non-uniform `deep-random` document of `benches/compare`. Groups: `<corpus>/encode` and
//! `<corpus>/decode`, throughput in bytes of the corpus's JSON text.
//!
//! `cargo bench -p toon-benches --bench codec -- --warm-up-time 1 --measurement-time 3`
//!
//! serde_json here has the workspace's features (`preserve_order`, `float_roundtrip`);
//! `benches/compare` measures against serde_json with its default features.
//!
//! To add a line, add a `bench_function` in `value_benches` or `typed_benches`; lines for
//! the core's serde API sit behind the `toon-serde-api` feature (on by default).

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::hint::black_box;
use toon::{DecodeOptions, EncodeOptions};
use toon_benches::corpus::{Checkpoint, Twitter, deep_random_json};
use toon_benches::{Corpus, SearchResult, Tabular, loosely_equal};

/// The data of one corpus in every form the lines need.
struct Data<'a> {
    name: &'static str,
    json: &'a str,
    json_value: serde_json::Value,
    value: toon::Value<'a>,
    /// toon's encoding of `value`: what every TOON decoder is timed on.
    text: String,
}

impl<'a> Data<'a> {
    fn new(corpus: &'a Corpus) -> Self {
        let json = corpus.json.as_str();
        let value: toon::Value = serde_json::from_str(json).unwrap();
        let text = toon::encode(&value, &EncodeOptions::default()).unwrap();
        let data = Data {
            name: corpus.name,
            json,
            json_value: serde_json::from_str(json).unwrap(),
            value,
            text,
        };
        let round_trip = toon::decode(&data.text, &DecodeOptions::default());
        assert!(
            data.check("toon::decode", "round trip of toon::encode", round_trip),
            "toon must round-trip"
        );
        data
    }

    /// Whether a decoder's result (or a peer's round trip) matches the corpus; says why
    /// not on stderr, so a line that cannot work is left out rather than timing an error.
    fn check<T: Serialize, E: std::fmt::Display>(
        &self,
        line: &str,
        what: &str,
        result: Result<T, E>,
    ) -> bool {
        let why = match result {
            Ok(decoded) => match serde_json::to_value(&decoded) {
                Ok(decoded) if loosely_equal(&decoded, &self.json_value) => return true,
                Ok(_) => "decodes to a different value".to_string(),
                Err(e) => format!("to_value: {e}"),
            },
            Err(e) => e.to_string(),
        };
        eprintln!(
            "{}: skipping `{line}`: {what}: {}",
            self.name,
            why.lines().next().unwrap_or("")
        );
        false
    }
}

/// A peer's encoding, decoded by toon (the spec-conformance check of an encoder line).
fn decoded_by_toon<E: std::fmt::Display>(
    text: Result<String, E>,
) -> Result<toon::Value<'static>, String> {
    let text = text.map_err(|e| e.to_string())?;
    toon::decode(&text, &DecodeOptions::default())
        .map(toon::Value::into_owned)
        .map_err(|e| e.to_string())
}

fn group<'c>(c: &'c mut Criterion, data: &Data<'_>, op: &str) -> BenchmarkGroup<'c, WallTime> {
    let mut group = c.benchmark_group(format!("{}/{op}", data.name));
    group.throughput(Throughput::Bytes(data.json.len() as u64));
    group
}

/// Lines on the dynamic value types.
fn value_benches(c: &mut Criterion, data: &Data<'_>) {
    let (json, json_value, value, text) =
        (data.json, &data.json_value, &data.value, data.text.as_str());

    let mut g = group(c, data, "encode");
    g.bench_function("serde_json::to_string(&serde_json::Value)", |b| {
        b.iter(|| serde_json::to_string(black_box(json_value)).unwrap())
    });
    g.bench_function("toon::encode(&toon::Value)", |b| {
        b.iter(|| toon::encode(black_box(value), &EncodeOptions::default()).unwrap())
    });
    #[cfg(feature = "toon-serde-api")]
    g.bench_function("toon::to_string(&serde_json::Value)", |b| {
        b.iter(|| toon::to_string(black_box(json_value)).unwrap())
    });
    let line = "toon_format::encode(&serde_json::Value)";
    let own = toon_format::encode(json_value, &toon_format::EncodeOptions::default());
    if data.check(line, "its output, decoded by toon", decoded_by_toon(own)) {
        g.bench_function(line, |b| {
            b.iter(|| {
                toon_format::encode(
                    black_box(json_value),
                    &toon_format::EncodeOptions::default(),
                )
                .unwrap()
            })
        });
    }
    let line = "serde_toon::to_string(&serde_json::Value)";
    if data.check(
        line,
        "its output, decoded by toon",
        decoded_by_toon(serde_toon::to_string(json_value)),
    ) {
        g.bench_function(line, |b| {
            b.iter(|| serde_toon::to_string(black_box(json_value)).unwrap())
        });
    }
    g.finish();

    let mut g = group(c, data, "decode");
    g.bench_function("serde_json::from_str::<serde_json::Value>", |b| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(json)).unwrap())
    });
    g.bench_function("toon::decode -> toon::Value", |b| {
        b.iter(|| toon::decode(black_box(text), &DecodeOptions::default()).unwrap())
    });
    #[cfg(feature = "toon-serde-api")]
    if data.check(
        "toon::from_str::<toon::Value>",
        "decoding",
        toon::from_str::<toon::Value>(text),
    ) {
        g.bench_function("toon::from_str::<toon::Value>", |b| {
            b.iter(|| toon::from_str::<toon::Value>(black_box(text)).unwrap())
        });
    }
    #[cfg(feature = "toon-serde-api")]
    if data.check(
        "toon::from_str::<serde_json::Value>",
        "decoding",
        toon::from_str::<serde_json::Value>(text),
    ) {
        g.bench_function("toon::from_str::<serde_json::Value>", |b| {
            b.iter(|| toon::from_str::<serde_json::Value>(black_box(text)).unwrap())
        });
    }
    let line = "toon_format::decode::<serde_json::Value>";
    let options = toon_format::DecodeOptions::default();
    if data.check(
        line,
        "decoding toon's text",
        toon_format::decode::<serde_json::Value>(text, &options),
    ) {
        g.bench_function(line, |b| {
            b.iter(|| toon_format::decode::<serde_json::Value>(black_box(text), &options).unwrap())
        });
    }
    let line = "serde_toon::from_str::<serde_toon::Value>";
    if data.check(
        line,
        "decoding toon's text",
        serde_toon::from_str::<serde_toon::Value>(text),
    ) {
        g.bench_function(line, |b| {
            b.iter(|| serde_toon::from_str::<serde_toon::Value>(black_box(text)).unwrap())
        });
    }
    g.finish();
}

/// Lines on typed structs, in the same groups (`<corpus>/encode`, `<corpus>/decode`).
fn typed_benches<T: Serialize + DeserializeOwned>(c: &mut Criterion, data: &Data<'_>) {
    let (json, text) = (data.json, data.text.as_str());
    let typed: T = serde_json::from_str(json).unwrap();
    let typed = &typed;

    let mut g = group(c, data, "encode");
    g.bench_function("serde_json::to_string(&T)", |b| {
        b.iter(|| serde_json::to_string(black_box(typed)).unwrap())
    });
    #[cfg(feature = "toon-serde-api")]
    g.bench_function("toon::to_string(&T)", |b| {
        b.iter(|| toon::to_string(black_box(typed)).unwrap())
    });
    let line = "toon_format::encode(&T)";
    let own = toon_format::encode(typed, &toon_format::EncodeOptions::default());
    if data.check(line, "its output, decoded by toon", decoded_by_toon(own)) {
        g.bench_function(line, |b| {
            b.iter(|| {
                toon_format::encode(black_box(typed), &toon_format::EncodeOptions::default())
                    .unwrap()
            })
        });
    }
    let line = "serde_toon::to_string(&T)";
    if data.check(
        line,
        "its output, decoded by toon",
        decoded_by_toon(serde_toon::to_string(typed)),
    ) {
        g.bench_function(line, |b| {
            b.iter(|| serde_toon::to_string(black_box(typed)).unwrap())
        });
    }
    g.finish();

    let mut g = group(c, data, "decode");
    g.bench_function("serde_json::from_str::<T>", |b| {
        b.iter(|| serde_json::from_str::<T>(black_box(json)).unwrap())
    });
    #[cfg(feature = "toon-serde-api")]
    if data.check("toon::from_str::<T>", "decoding", toon::from_str::<T>(text)) {
        g.bench_function("toon::from_str::<T>", |b| {
            b.iter(|| toon::from_str::<T>(black_box(text)).unwrap())
        });
    }
    let line = "toon_format::decode::<T>";
    let options = toon_format::DecodeOptions::default();
    if data.check(
        line,
        "decoding toon's text",
        toon_format::decode::<T>(text, &options),
    ) {
        g.bench_function(line, |b| {
            b.iter(|| toon_format::decode::<T>(black_box(text), &options).unwrap())
        });
    }
    let line = "serde_toon::from_str::<T>";
    if data.check(
        line,
        "decoding toon's text",
        serde_toon::from_str::<T>(text),
    ) {
        g.bench_function(line, |b| {
            b.iter(|| serde_toon::from_str::<T>(black_box(text)).unwrap())
        });
    }
    g.finish();
}

fn codec(c: &mut Criterion) {
    let mut corpora = toon_benches::corpora();
    // The deep, non-uniform document of `benches/compare` (only here and there).
    corpora.push(Corpus {
        name: "deep-random",
        json: deep_random_json(100_000),
    });
    for corpus in corpora {
        let data = Data::new(&corpus);
        value_benches(c, &data);
        match corpus.name {
            "tabular-1000" => typed_benches::<Tabular>(c, &data),
            "github-100" => typed_benches::<SearchResult>(c, &data),
            "twitter-100" => typed_benches::<Twitter>(c, &data),
            "checkpoint" => typed_benches::<Checkpoint>(c, &data),
            _ => {}
        }
    }
}

criterion_group!(benches, codec);
criterion_main!(benches);
