//! The converter registry: lookup, batches that survive failures and panics, the output
//! cache and its bound, and the metrics it records.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use toon_convert::{BatchJob, ConvertError, Converter, ConverterRegistry, Format, Input};

/// TOON → JSON through the core codec, counting its calls.
struct ToonToJson {
    calls: Arc<AtomicUsize>,
    pretty: bool,
}

impl Converter for ToonToJson {
    fn name(&self) -> &'static str {
        "test-toon-to-json"
    }
    fn source(&self) -> Format {
        Format::Toon
    }
    fn target(&self) -> Format {
        Format::Json
    }
    fn options_key(&self) -> u64 {
        u64::from(self.pretty)
    }
    fn convert(&self, input: Input<'_>) -> Result<String, ConvertError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let text = input.read_text()?;
        let value = toon::decode(&text, &toon::DecodeOptions::default())?;
        if text.contains("boom") {
            panic!("converter bug");
        }
        Ok(if self.pretty {
            serde_json::to_string_pretty(&value).unwrap_or_default()
        } else {
            serde_json::to_string(&value).unwrap_or_default()
        })
    }
}

fn registry(calls: &Arc<AtomicUsize>, cache: Option<u64>) -> ConverterRegistry {
    let mut registry = ConverterRegistry::new();
    if let Some(bytes) = cache {
        registry = registry.with_cache(bytes);
    }
    registry.register(ToonToJson {
        calls: Arc::clone(calls),
        pretty: false,
    });
    registry
}

#[test]
fn lookup_by_formats_extension_and_name() {
    let calls = Arc::new(AtomicUsize::new(0));
    let mut registry = registry(&calls, None);
    assert!(registry.find(Format::Toon, Format::Json).is_some());
    assert!(registry.find(Format::Json, Format::Toon).is_none());
    assert!(
        registry
            .for_path(Path::new("a/b.TOON"), Format::Json)
            .is_some()
    );
    assert!(
        registry
            .for_path(Path::new("a/b.md"), Format::Json)
            .is_none()
    );
    assert_eq!(Format::from_name("markdown"), Some(Format::Markdown));
    assert_eq!(Format::from_path(Path::new(".")), Some(Format::Checkpoint));
    // A later registration for the same formats wins.
    registry.register(ToonToJson {
        calls: Arc::clone(&calls),
        pretty: true,
    });
    let out = registry
        .convert(Format::Toon, Format::Json, Input::Bytes(b"a: 1"))
        .unwrap();
    assert_eq!(&*out, "{\n  \"a\": 1\n}");
    assert_eq!(registry.converters().count(), 2);
    let err = registry
        .convert(Format::Pdf, Format::Toon, Input::Bytes(b""))
        .unwrap_err();
    assert!(err.to_string().contains("no converter from pdf to toon"));
}

#[test]
fn require_route_says_why_there_is_none() {
    let calls = Arc::new(AtomicUsize::new(0));
    let registry = registry(&calls, None);
    let same = registry.require_route(Format::Json, Format::Json).err();
    assert_eq!(
        same.map(|e| e.to_string()).as_deref(),
        Some("the input is already json: nothing to convert")
    );
    let none = registry.require_route(Format::Pdf, Format::Markdown).err();
    assert_eq!(
        none.map(|e| e.to_string()).as_deref(),
        Some("no converter from pdf to md")
    );
    assert_eq!(
        registry
            .require_route(Format::Toon, Format::Json)
            .map(|route| route.len())
            .ok(),
        Some(1)
    );
    assert_eq!(calls.load(Ordering::SeqCst), 0, "routing converts nothing");
}

#[test]
fn batch_keeps_going_past_errors_and_panics_and_reports_locations() {
    let calls = Arc::new(AtomicUsize::new(0));
    let registry = registry(&calls, None);
    let inputs: Vec<&[u8]> = vec![
        b"a: 1",
        b"rows[1]{x,y}:\n  1",
        b"x: boom",
        b"b[2]: 1,2",
        b"\xff",
    ];
    let jobs: Vec<BatchJob> = inputs
        .iter()
        .map(|bytes| BatchJob {
            source: Format::Toon,
            target: Format::Json,
            input: Input::Bytes(bytes),
        })
        .collect();
    let results = registry.convert_batch(&jobs);
    assert_eq!(results.len(), 5);
    assert_eq!(results[0].as_deref().ok(), Some("{\"a\":1}"));
    assert_eq!(
        results[1].as_ref().err().and_then(ConvertError::location),
        Some((2, 3))
    );
    assert!(
        results[2]
            .as_ref()
            .err()
            .is_some_and(|e| e.to_string().contains("panicked"))
    );
    assert_eq!(results[3].as_deref().ok(), Some("{\"b\":[1,2]}"));
    assert_eq!(
        results[4].as_ref().err().and_then(ConvertError::location),
        Some((1, 1))
    );
}

#[test]
fn cache_hits_skip_the_converter_and_respect_options() {
    let calls = Arc::new(AtomicUsize::new(0));
    let mut registry = registry(&calls, Some(1 << 20));
    for _ in 0..3 {
        registry
            .convert(Format::Toon, Format::Json, Input::Bytes(b"a: 1"))
            .unwrap();
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    let stats = registry.cache_stats().unwrap();
    assert_eq!((stats.hits, stats.misses, stats.entries), (2, 1, 1));
    assert!((stats.hit_rate() - 2.0 / 3.0).abs() < 1e-9);
    // Different options (pretty) are a different cache entry.
    registry.register(ToonToJson {
        calls: Arc::clone(&calls),
        pretty: true,
    });
    registry
        .convert(Format::Toon, Format::Json, Input::Bytes(b"a: 1"))
        .unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    // Errors are not cached.
    for _ in 0..2 {
        assert!(
            registry
                .convert(Format::Toon, Format::Json, Input::Bytes(b"a:\n   b"))
                .is_err()
        );
    }
    assert_eq!(calls.load(Ordering::SeqCst), 4);
}

#[test]
fn cache_stays_within_its_byte_bound() {
    let calls = Arc::new(AtomicUsize::new(0));
    let bound = 64 * 1024;
    let registry = registry(&calls, Some(bound));
    for i in 0..2_000 {
        let text = format!("k{i}: {}", "x".repeat(200));
        registry
            .convert(Format::Toon, Format::Json, Input::Bytes(text.as_bytes()))
            .unwrap();
    }
    let stats = registry.cache_stats().unwrap();
    assert!(stats.bytes <= bound, "{stats:?}");
    assert!(stats.entries > 10, "{stats:?}");
}

/// Counts `toon_conversions_total` increments by outcome.
#[derive(Default)]
struct Recorder(Arc<Mutex<Vec<String>>>);

struct Counter(Arc<Mutex<Vec<String>>>, String);

impl metrics::CounterFn for Counter {
    fn increment(&self, value: u64) {
        for _ in 0..value {
            self.0.lock().unwrap().push(self.1.clone());
        }
    }
    fn absolute(&self, _: u64) {}
}

impl metrics::Recorder for Recorder {
    fn describe_counter(
        &self,
        _: metrics::KeyName,
        _: Option<metrics::Unit>,
        _: metrics::SharedString,
    ) {
    }
    fn describe_gauge(
        &self,
        _: metrics::KeyName,
        _: Option<metrics::Unit>,
        _: metrics::SharedString,
    ) {
    }
    fn describe_histogram(
        &self,
        _: metrics::KeyName,
        _: Option<metrics::Unit>,
        _: metrics::SharedString,
    ) {
    }
    fn register_counter(&self, key: &metrics::Key, _: &metrics::Metadata<'_>) -> metrics::Counter {
        // Only the conversions; the cache lookups have counters of their own.
        if key.name() != "toon_conversions_total" {
            return metrics::Counter::noop();
        }
        let outcome = key
            .labels()
            .find(|l| l.key() == "outcome")
            .map(|l| l.value().to_string());
        metrics::Counter::from_arc(Arc::new(Counter(
            Arc::clone(&self.0),
            outcome.unwrap_or_default(),
        )))
    }
    fn register_gauge(&self, _: &metrics::Key, _: &metrics::Metadata<'_>) -> metrics::Gauge {
        metrics::Gauge::noop()
    }
    fn register_histogram(
        &self,
        _: &metrics::Key,
        _: &metrics::Metadata<'_>,
    ) -> metrics::Histogram {
        metrics::Histogram::noop()
    }
}

#[test]
fn conversions_are_counted_by_outcome() {
    let recorder = Recorder::default();
    let seen = Arc::clone(&recorder.0);
    let calls = Arc::new(AtomicUsize::new(0));
    let registry = registry(&calls, Some(1 << 20));
    metrics::with_local_recorder(&recorder, || {
        registry
            .convert(Format::Toon, Format::Json, Input::Bytes(b"a: 1"))
            .unwrap();
        registry
            .convert(Format::Toon, Format::Json, Input::Bytes(b"a: 1"))
            .unwrap();
        let _ = registry.convert(Format::Toon, Format::Json, Input::Bytes(b"a:\n   b"));
    });
    let mut outcomes = seen.lock().unwrap().clone();
    outcomes.sort();
    assert_eq!(outcomes, ["cached", "error", "ok"]);
}
