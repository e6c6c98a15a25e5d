//! Token counting for Python over `toon_tokens`: `count_tokens`, the `TokenCounter`
//! class with its cache statistics, and `savings` (JSON against TOON). Every count runs
//! with the interpreter released.

use std::sync::Arc;
use std::time::Duration;

use bumpalo::Bump;
use pyo3::IntoPyObjectExt;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyBytes, PyString};
use serde_core::Serialize;
use toon::EncodeOptions;
use toon_tokens::{CacheConfig, Encoding, RedisConfig, RedisTier};

use crate::{aio, from_python, parallel};

/// Parses an encoding or model name; an unknown one is a `ValueError`.
pub(crate) fn encoding(name: &str) -> PyResult<Encoding> {
    Encoding::resolve(name).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// The number of tokens of `text` in `encoding` (tiktoken's `len(encode_ordinary(text))`),
/// through the process-wide cache of that encoding.
#[pyfunction]
#[pyo3(signature = (text, encoding = "o200k_base"))]
pub(crate) fn count_tokens(py: Python<'_>, text: &str, encoding: &str) -> PyResult<usize> {
    let counter = toon_tokens::TokenCounter::shared(self::encoding(encoding)?);
    Ok(py.detach(|| counter.count(text)))
}

/// `count_tokens` off the event loop: a coroutine resolving to the count.
#[pyfunction]
#[pyo3(signature = (text, encoding = "o200k_base"))]
pub(crate) fn count_tokens_async<'py>(
    py: Python<'py>,
    text: PyBackedStr,
    encoding: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let counter = toon_tokens::TokenCounter::shared(self::encoding(encoding)?);
    let count = move || counter.count(&text);
    aio::spawn(py, "count_tokens_async", count, |py, n| n.into_py_any(py))
}

/// Hits, misses, evictions and size of a token counter's cache, at one moment.
#[pyclass(frozen, eq, module = "toon", name = "CacheStats")]
#[derive(PartialEq)]
pub(crate) struct PyCacheStats(toon_tokens::CacheStats);

#[pymethods]
impl PyCacheStats {
    /// Lookups that found a count.
    #[getter]
    fn hits(&self) -> u64 {
        self.0.hits
    }

    /// Lookups that did not.
    #[getter]
    fn misses(&self) -> u64 {
        self.0.misses
    }

    /// Entries pushed out to make room.
    #[getter]
    fn evictions(&self) -> u64 {
        self.0.evictions
    }

    /// Hits divided by lookups; 0.0 before the first lookup.
    #[getter]
    fn hit_rate(&self) -> f64 {
        self.0.hit_rate()
    }

    /// Entries held now.
    #[getter]
    fn entries(&self) -> u64 {
        self.0.entries
    }

    /// Bytes charged for the entries held now.
    #[getter]
    fn bytes(&self) -> u64 {
        self.0.bytes
    }

    /// The entry bound.
    #[getter]
    fn max_entries(&self) -> u64 {
        self.0.max_entries
    }

    /// The byte bound.
    #[getter]
    fn max_bytes(&self) -> u64 {
        self.0.max_bytes
    }

    fn __str__(&self) -> String {
        self.0.to_string()
    }

    fn __repr__(&self) -> String {
        let s = &self.0;
        format!(
            "CacheStats(hits={}, misses={}, evictions={}, hit_rate={:.4}, entries={}, bytes={}, max_entries={}, max_bytes={})",
            s.hits,
            s.misses,
            s.evictions,
            s.hit_rate(),
            s.entries,
            s.bytes,
            s.max_entries,
            s.max_bytes
        )
    }
}

/// Tokens and bytes of the same data as JSON and as TOON, and what TOON saves.
#[pyclass(frozen, eq, module = "toon", name = "Savings")]
#[derive(PartialEq)]
pub(crate) struct PySavings(toon_tokens::Savings);

#[pymethods]
impl PySavings {
    /// The encoding counted in (`"o200k_base"` or `"cl100k_base"`).
    #[getter]
    fn encoding(&self) -> &'static str {
        self.0.encoding.name()
    }

    /// Tokens of the JSON text.
    #[getter]
    fn json_tokens(&self) -> usize {
        self.0.json_tokens
    }

    /// Tokens of the TOON text.
    #[getter]
    fn toon_tokens(&self) -> usize {
        self.0.toon_tokens
    }

    /// Bytes (UTF-8) of the JSON text.
    #[getter]
    fn json_bytes(&self) -> usize {
        self.0.json_bytes
    }

    /// Bytes (UTF-8) of the TOON text.
    #[getter]
    fn toon_bytes(&self) -> usize {
        self.0.toon_bytes
    }

    /// JSON tokens minus TOON tokens (negative when TOON costs more).
    #[getter]
    fn saved_tokens(&self) -> i64 {
        self.0.saved_tokens()
    }

    /// Saved tokens as a percentage of the JSON tokens (0.0 for empty JSON).
    #[getter]
    fn saved_percent(&self) -> f64 {
        self.0.saved_percent()
    }

    /// JSON bytes minus TOON bytes.
    #[getter]
    fn saved_bytes(&self) -> i64 {
        self.0.saved_bytes()
    }

    /// Saved bytes as a percentage of the JSON bytes (0.0 for empty JSON).
    #[getter]
    fn saved_bytes_percent(&self) -> f64 {
        self.0.saved_bytes_percent()
    }

    fn __str__(&self) -> String {
        self.0.to_string()
    }

    fn __repr__(&self) -> String {
        let s = &self.0;
        format!(
            "Savings(encoding='{}', json_tokens={}, toon_tokens={}, json_bytes={}, toon_bytes={}, saved_percent={:.1})",
            s.encoding,
            s.json_tokens,
            s.toon_tokens,
            s.json_bytes,
            s.toon_bytes,
            s.saved_percent()
        )
    }
}

/// An exact token counter for one encoding, with its own bounded cache.
#[pyclass(frozen, module = "toon", name = "TokenCounter")]
pub(crate) struct PyTokenCounter(toon_tokens::TokenCounter);

#[pymethods]
impl PyTokenCounter {
    /// A counter for `encoding`; `cache=False` counts every call afresh. The cache keeps
    /// at most `max_entries` counts and `max_bytes` bytes (each raised to hold at least
    /// 64 entries); it stores a 128-bit hash of each text, never the text. `redis` (a
    /// URL or a `RedisTier`) adds a Redis tier below the cache, shared across processes.
    #[new]
    #[pyo3(signature = (encoding = "o200k_base", *, cache = true, max_entries = None, max_bytes = None, redis = None))]
    fn new(
        encoding: &str,
        cache: bool,
        max_entries: Option<usize>,
        max_bytes: Option<u64>,
        redis: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let encoding = self::encoding(encoding)?;
        let builder = toon_tokens::TokenCounter::builder(encoding);
        let builder = if cache {
            let default = CacheConfig::default();
            builder.cache_config(CacheConfig::new(
                max_entries.unwrap_or(default.max_entries()),
                max_bytes.unwrap_or(default.max_bytes()),
            ))
        } else if max_entries.is_some() || max_bytes.is_some() {
            return Err(PyValueError::new_err(
                "max_entries and max_bytes need cache=True",
            ));
        } else {
            builder.no_cache()
        };
        let builder = match redis.map(redis_tier).transpose()? {
            Some(tier) => builder.redis(tier),
            None => builder,
        };
        Ok(PyTokenCounter(builder.build()))
    }

    /// The encoding's name.
    #[getter]
    fn encoding(&self) -> &'static str {
        self.0.encoding().name()
    }

    /// The number of tokens of `text`, through the cache.
    fn count(&self, py: Python<'_>, text: &str) -> usize {
        py.detach(|| self.0.count(text))
    }

    /// The token counts of `texts`, in order; counted in parallel on several cores.
    fn count_batch(&self, py: Python<'_>, texts: Vec<PyBackedStr>) -> Vec<usize> {
        py.detach(|| {
            if parallel::allowed() {
                self.0.count_batch(&texts)
            } else {
                texts.iter().map(|text| self.0.count(text)).collect()
            }
        })
    }

    /// `count` off the event loop: a coroutine resolving to the count.
    fn count_async<'py>(slf: &Bound<'py, Self>, text: PyBackedStr) -> PyResult<Bound<'py, PyAny>> {
        let counter = slf.clone().unbind();
        let count = move || counter.get().0.count(&text);
        aio::spawn(slf.py(), "TokenCounter.count_async", count, |py, n| {
            n.into_py_any(py)
        })
    }

    /// `count_batch` off the event loop: a coroutine resolving to the counts.
    fn count_batch_async<'py>(
        slf: &Bound<'py, Self>,
        texts: Vec<PyBackedStr>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let counter = slf.clone().unbind();
        let count = move || {
            let counter = &counter.get().0;
            if parallel::allowed() {
                counter.count_batch(&texts)
            } else {
                texts.iter().map(|text| counter.count(text)).collect()
            }
        };
        aio::spawn(
            slf.py(),
            "TokenCounter.count_batch_async",
            count,
            |py, counts| counts.into_py_any(py),
        )
    }

    /// The token ids of `text`, as tiktoken's `encode_ordinary` returns them.
    fn encode(&self, py: Python<'_>, text: &str) -> Vec<u32> {
        py.detach(|| self.0.encode(text))
    }

    /// Tokens and bytes of `json_text` and `toon_text` (the same data in both formats).
    fn savings(&self, py: Python<'_>, json_text: &str, toon_text: &str) -> PySavings {
        PySavings(py.detach(|| self.0.savings(json_text, toon_text)))
    }

    /// The Redis tier's counters now, or `None` for a counter without one.
    fn redis_stats(&self) -> Option<PyRedisStats> {
        self.0.redis().map(|tier| PyRedisStats::of(tier))
    }

    /// The cache's counters and size now, or `None` for a counter without a cache.
    fn cache_stats(&self) -> Option<PyCacheStats> {
        self.0.cache_stats().map(PyCacheStats)
    }

    /// Empties the cache (its hit, miss and eviction counters keep counting).
    fn clear_cache(&self) {
        if let Some(cache) = self.0.cache() {
            cache.clear();
        }
    }

    fn __repr__(&self) -> String {
        format!(
            "TokenCounter(encoding='{}', cache={})",
            self.0.encoding(),
            if self.0.cache().is_some() {
                "True"
            } else {
                "False"
            }
        )
    }
}

/// Tokens saved by TOON over JSON for the same data.
///
/// `data` is either JSON text (`str` or UTF-8 `bytes`), or any object `encode` accepts,
/// which is then written both as compact JSON and as TOON (default options). `toon_text`
/// replaces the TOON side when given. Counted in `encoding` through the process-wide cache.
#[pyfunction]
#[pyo3(signature = (data, toon_text = None, *, encoding = "o200k_base"))]
pub(crate) fn savings(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    toon_text: Option<&str>,
    encoding: &str,
) -> PyResult<PySavings> {
    let counter = toon_tokens::TokenCounter::shared(self::encoding(encoding)?);
    let json_text = if let Ok(s) = data.cast::<PyString>() {
        Some(s.to_str()?)
    } else if let Ok(b) = data.cast::<PyBytes>() {
        Some(
            std::str::from_utf8(b.as_bytes())
                .map_err(|e| PyValueError::new_err(format!("JSON bytes are not UTF-8: {e}")))?,
        )
    } else {
        None
    };
    if let Some(json_text) = json_text {
        let result = py.detach(|| {
            let converted;
            let toon_text = match toon_text {
                Some(text) => text,
                None => {
                    converted = json_to_toon::convert(json_text, &Default::default())?;
                    converted.trim_end_matches('\n')
                }
            };
            Ok::<_, json_to_toon::Error>(counter.savings(json_text, toon_text))
        });
        return result
            .map(PySavings)
            .map_err(|e| PyValueError::new_err(e.to_string()));
    }
    let arena = Bump::new();
    let walk = from_python::Walk::new(py, None);
    let value = walk
        .value(data)
        .serialize(toon::Serializer::in_arena(&arena))
        .map_err(|e| walk.error(|| PyValueError::new_err(e.to_string())))?;
    let result = py.detach(|| {
        let json = toon_to_json::to_json(&value, &Default::default())
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        let encoded;
        let toon_text = match toon_text {
            Some(text) => text,
            None => {
                encoded = toon::encode(&value, &EncodeOptions::default())
                    .map_err(|e| PyValueError::new_err(e.to_string()))?;
                &encoded
            }
        };
        Ok(counter.savings(json.trim_end_matches('\n'), toon_text))
    });
    result.map(PySavings)
}

/// The Redis tier behind a `redis=` argument: a `RedisTier` object (shared as it is), or
/// a URL for a tier with the default settings.
pub(crate) fn redis_tier(redis: &Bound<'_, PyAny>) -> PyResult<Arc<RedisTier>> {
    if let Ok(tier) = redis.cast::<PyRedisTier>() {
        return Ok(Arc::clone(&tier.get().0));
    }
    let Ok(url) = redis.extract::<String>() else {
        return Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "redis= expects a URL (str) or a RedisTier, not {}",
            redis.get_type().name()?
        )));
    };
    new_tier(RedisConfig::new(url))
}

fn new_tier(config: RedisConfig) -> PyResult<Arc<RedisTier>> {
    RedisTier::new(config)
        .map(Arc::new)
        .map_err(|e| PyValueError::new_err(format!("invalid Redis URL: {e}")))
}

/// Seconds from Python as a `Duration`; a negative or non-finite value is a `ValueError`.
fn seconds(name: &str, value: f64) -> PyResult<Duration> {
    Duration::try_from_secs_f64(value)
        .map_err(|_| PyValueError::new_err(format!("{name} must be a number of seconds >= 0")))
}

/// A Redis tier (`toon_tokens::RedisTier`): one connection with short timeouts, dropped
/// on any error and re-opened after a back-off; shared by every counter or cache given it.
#[pyclass(frozen, module = "toon", name = "RedisTier")]
pub(crate) struct PyRedisTier(pub(crate) Arc<RedisTier>);

#[pymethods]
impl PyRedisTier {
    /// A tier for `url` (`redis://host:port/db`); it connects on first use. Keys live
    /// `ttl` seconds (`None`: until Redis evicts them); texts shorter than
    /// `min_text_bytes` skip it; times are in seconds.
    #[new]
    #[pyo3(signature = (url, *, ttl = Some(7.0 * 24.0 * 3600.0), connect_timeout = 0.1, io_timeout = 0.1, retry_min = 0.1, retry_max = 5.0, min_text_bytes = 1024))]
    fn new(
        url: String,
        ttl: Option<f64>,
        connect_timeout: f64,
        io_timeout: f64,
        retry_min: f64,
        retry_max: f64,
        min_text_bytes: usize,
    ) -> PyResult<Self> {
        let ttl = ttl.map(|ttl| seconds("ttl", ttl)).transpose()?;
        let config = RedisConfig::new(url)
            .ttl(ttl)
            .connect_timeout(seconds("connect_timeout", connect_timeout)?)
            .io_timeout(seconds("io_timeout", io_timeout)?)
            .retry_backoff(
                seconds("retry_min", retry_min)?,
                seconds("retry_max", retry_max)?,
            )
            .min_text_bytes(min_text_bytes);
        new_tier(config).map(PyRedisTier)
    }

    /// The URL.
    #[getter]
    fn url(&self) -> &str {
        self.0.config().url()
    }

    /// Whether a connection is open now.
    #[getter]
    fn connected(&self) -> bool {
        self.0.is_connected()
    }

    /// The counters now.
    fn stats(&self) -> PyRedisStats {
        PyRedisStats::of(&self.0)
    }

    /// The Redis key of the count of `text` in `encoding`:
    /// `toon:tok:v1:<encoding>:<32 hex digits>`, the same in Rust, Python and Node.
    #[staticmethod]
    #[pyo3(signature = (text, encoding = "o200k_base"))]
    fn key(text: &str, encoding: &str) -> PyResult<String> {
        let encoding = self::encoding(encoding)?;
        Ok(RedisTier::key(
            encoding,
            toon_tokens::cache_key(encoding, text),
        ))
    }

    fn __repr__(&self) -> String {
        format!("RedisTier(url={:?})", self.0.config().url())
    }
}

/// Counters of a Redis tier at one moment.
#[pyclass(frozen, eq, module = "toon", name = "RedisStats")]
#[derive(PartialEq)]
pub(crate) struct PyRedisStats {
    stats: toon_tokens::RedisStats,
    connected: bool,
}

impl PyRedisStats {
    pub(crate) fn of(tier: &RedisTier) -> PyRedisStats {
        PyRedisStats {
            stats: tier.stats(),
            connected: tier.is_connected(),
        }
    }
}

#[pymethods]
impl PyRedisStats {
    /// Lookups Redis answered with a value.
    #[getter]
    fn hits(&self) -> u64 {
        self.stats.hits
    }

    /// Lookups Redis answered without one.
    #[getter]
    fn misses(&self) -> u64 {
        self.stats.misses
    }

    /// Values written.
    #[getter]
    fn writes(&self) -> u64 {
        self.stats.writes
    }

    /// Failed connects and commands.
    #[getter]
    fn errors(&self) -> u64 {
        self.stats.errors
    }

    /// Lookups and writes skipped while the tier waited out a back-off.
    #[getter]
    fn skipped(&self) -> u64 {
        self.stats.skipped
    }

    /// Connections opened.
    #[getter]
    fn connects(&self) -> u64 {
        self.stats.connects
    }

    /// Whether a connection was open.
    #[getter]
    fn connected(&self) -> bool {
        self.connected
    }

    /// Hits divided by the lookups Redis answered; 0.0 before the first.
    #[getter]
    fn hit_rate(&self) -> f64 {
        self.stats.hit_rate()
    }

    fn __repr__(&self) -> String {
        let s = &self.stats;
        format!(
            "RedisStats(hits={}, misses={}, writes={}, errors={}, skipped={}, connects={}, connected={})",
            s.hits,
            s.misses,
            s.writes,
            s.errors,
            s.skipped,
            s.connects,
            if self.connected { "True" } else { "False" }
        )
    }
}
