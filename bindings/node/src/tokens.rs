//! Exact token counts (`toon_tokens`): `countTokens` on a shared counter per encoding,
//! and the `TokenCounter` class with its own cache and statistics.

use std::sync::Arc;

use napi::bindgen_prelude::AsyncTask;
use napi::{Env, JsString, Result, Task};
use napi_derive::napi;
use toon_tokens::{CacheConfig, Encoding, RedisConfig, RedisTier};

use crate::error;
use crate::text::rust_string;

/// The encoding named `name` (`o200k_base`, `cl100k_base`, or a model name such as
/// `gpt-4o`), the default `o200k_base` when absent.
pub(crate) fn encoding(name: Option<&str>) -> Result<Encoding> {
    let Some(name) = name else {
        return Ok(Encoding::O200kBase);
    };
    Encoding::resolve(name).map_err(|unknown| error::invalid_arg(unknown.to_string()))
}

/// Counts the tokens of `text` exactly as tiktoken does (default encoding
/// `o200k_base`), through a cache shared by the process.
#[napi]
pub fn count_tokens(text: JsString<'_>, encoding: Option<String>) -> Result<u32> {
    let counter = toon_tokens::TokenCounter::shared(self::encoding(encoding.as_deref())?);
    Ok(saturate(counter.count(&rust_string(text)?)))
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Counting on the libuv thread pool.
pub struct CountTask {
    counter: Counter,
    text: String,
}

/// The shared counter of an encoding, or a `TokenCounter` instance's own.
enum Counter {
    Shared(Encoding),
    Own(Arc<toon_tokens::TokenCounter>),
}

impl Task for CountTask {
    type Output = u32;
    type JsValue = u32;

    fn compute(&mut self) -> Result<u32> {
        let count = match &self.counter {
            Counter::Shared(encoding) => {
                toon_tokens::TokenCounter::shared(*encoding).count(&self.text)
            }
            Counter::Own(counter) => counter.count(&self.text),
        };
        Ok(saturate(count))
    }

    fn resolve(&mut self, _env: Env, output: u32) -> Result<u32> {
        Ok(output)
    }
}

/// `countTokens` off the JS thread.
#[napi(ts_return_type = "Promise<number>")]
pub fn count_tokens_async(
    text: JsString<'_>,
    encoding: Option<String>,
) -> Result<AsyncTask<CountTask>> {
    let counter = Counter::Shared(self::encoding(encoding.as_deref())?);
    let text = rust_string(text)?;
    Ok(AsyncTask::new(CountTask { counter, text }))
}

/// Options of a `TokenCounter`.
#[napi(object)]
#[derive(Debug, Default, Clone)]
pub struct TokenCounterOptions {
    /// `o200k_base` (default), `cl100k_base`, or a model name (`gpt-4o`, `gpt-4`).
    pub encoding: Option<String>,
    /// Whether counts are cached (default `true`).
    pub cache: Option<bool>,
    /// Most cached counts (default 262,144).
    pub max_entries: Option<u32>,
    /// Most bytes the cache may charge (default 32 MiB).
    pub max_bytes: Option<f64>,
    /// A Redis URL (`redis://host:port/db`): counts of texts of 1 KiB or more are shared
    /// through it with other processes (Rust, Python, Node) under the same keys. An
    /// unreachable Redis only costs the sharing.
    pub redis: Option<String>,
}

/// The counters of a `TokenCounter`'s Redis tier.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct RedisStats {
    /// Lookups Redis answered with a count.
    pub hits: f64,
    /// Lookups Redis answered without one.
    pub misses: f64,
    /// Counts written.
    pub writes: f64,
    /// Failed connects and commands.
    pub errors: f64,
    /// Lookups and writes skipped while the tier waited out a back-off.
    pub skipped: f64,
    /// Connections opened.
    pub connects: f64,
    /// Whether a connection is open now.
    pub connected: bool,
    /// Hits divided by the lookups Redis answered (0 before the first).
    pub hit_rate: f64,
}

/// The counters of a `TokenCounter`'s cache.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct TokenCacheStats {
    /// Lookups that found a count.
    pub hits: f64,
    /// Lookups that did not.
    pub misses: f64,
    /// Entries pushed out to make room.
    pub evictions: f64,
    /// Entries held now.
    pub entries: f64,
    /// Bytes charged for the entries held now.
    pub bytes: f64,
    /// The entry bound.
    pub max_entries: f64,
    /// The byte bound.
    pub max_bytes: f64,
    /// Hits divided by lookups (0 before the first lookup).
    pub hit_rate: f64,
}

/// Tokens and bytes of the same data as JSON and as TOON.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct Savings {
    /// The encoding counted in.
    pub encoding: String,
    /// Tokens of the JSON text.
    pub json_tokens: u32,
    /// Tokens of the TOON text.
    pub toon_tokens: u32,
    /// Bytes (UTF-8) of the JSON text.
    pub json_bytes: u32,
    /// Bytes (UTF-8) of the TOON text.
    pub toon_bytes: u32,
    /// JSON tokens minus TOON tokens (negative when TOON costs more).
    pub saved_tokens: i64,
    /// Saved tokens as a percentage of the JSON tokens.
    pub saved_percent: f64,
    /// One line for logs: `Token counts (o200k_base): 21 (JSON) → 19 (TOON), ...`.
    pub summary: String,
}

/// An exact token counter with a cache of its own and statistics.
#[napi]
pub struct TokenCounter {
    inner: Arc<toon_tokens::TokenCounter>,
}

#[napi]
impl TokenCounter {
    /// A counter; see `TokenCounterOptions`.
    #[napi(constructor)]
    pub fn new(options: Option<TokenCounterOptions>) -> Result<Self> {
        let options = options.unwrap_or_default();
        let encoding = encoding(options.encoding.as_deref())?;
        let mut builder = toon_tokens::TokenCounter::builder(encoding);
        if options.cache == Some(false) {
            builder = builder.no_cache();
        } else if options.max_entries.is_some() || options.max_bytes.is_some() {
            let default = CacheConfig::default();
            let entries = options
                .max_entries
                .map_or(default.max_entries(), |n| n as usize);
            let bytes = match options.max_bytes {
                Some(b) if b.is_finite() && b >= 0.0 => b as u64,
                Some(b) => return Err(error::invalid_arg(format!("invalid maxBytes {b}"))),
                None => default.max_bytes(),
            };
            builder = builder.cache_config(CacheConfig::new(entries, bytes));
        } else {
            builder = builder.cache_config(CacheConfig::default());
        }
        if let Some(url) = options.redis {
            let tier = RedisTier::new(RedisConfig::new(url))
                .map_err(|e| error::invalid_arg(format!("invalid Redis URL: {e}")))?;
            builder = builder.redis(Arc::new(tier));
        }
        Ok(TokenCounter {
            inner: Arc::new(builder.build()),
        })
    }

    /// The encoding's name (`o200k_base`).
    #[napi(getter)]
    pub fn encoding(&self) -> String {
        self.inner.encoding().to_string()
    }

    /// Tokens of `text`.
    #[napi]
    pub fn count(&self, text: JsString<'_>) -> Result<u32> {
        Ok(saturate(self.inner.count(&rust_string(text)?)))
    }

    /// Tokens of each text, counted in parallel.
    #[napi]
    pub fn count_batch(&self, texts: Vec<String>) -> Vec<u32> {
        self.inner
            .count_batch(&texts)
            .into_iter()
            .map(saturate)
            .collect()
    }

    /// `count` off the JS thread.
    #[napi(ts_return_type = "Promise<number>")]
    pub fn count_async(&self, text: JsString<'_>) -> Result<AsyncTask<CountTask>> {
        let counter = Counter::Own(Arc::clone(&self.inner));
        let text = rust_string(text)?;
        Ok(AsyncTask::new(CountTask { counter, text }))
    }

    /// The token ids of `text`.
    #[napi]
    pub fn encode(&self, text: String) -> Vec<u32> {
        self.inner.encode(&text)
    }

    /// What TOON saves over JSON for the same data.
    #[napi]
    pub fn savings(&self, json: String, toon: String) -> Savings {
        let s = self.inner.savings(&json, &toon);
        Savings {
            encoding: s.encoding.to_string(),
            json_tokens: saturate(s.json_tokens),
            toon_tokens: saturate(s.toon_tokens),
            json_bytes: saturate(s.json_bytes),
            toon_bytes: saturate(s.toon_bytes),
            saved_tokens: s.saved_tokens(),
            saved_percent: s.saved_percent(),
            summary: s.to_string(),
        }
    }

    /// The Redis tier's counters, or `null` for a counter without one.
    #[napi]
    pub fn redis_stats(&self) -> Option<RedisStats> {
        self.inner.redis().map(|tier| {
            let s = tier.stats();
            RedisStats {
                hits: s.hits as f64,
                misses: s.misses as f64,
                writes: s.writes as f64,
                errors: s.errors as f64,
                skipped: s.skipped as f64,
                connects: s.connects as f64,
                connected: tier.is_connected(),
                hit_rate: s.hit_rate(),
            }
        })
    }

    /// The cache's counters, or `null` for a counter without a cache.
    #[napi]
    pub fn stats(&self) -> Option<TokenCacheStats> {
        self.inner.cache_stats().map(|s| TokenCacheStats {
            hits: s.hits as f64,
            misses: s.misses as f64,
            evictions: s.evictions as f64,
            entries: s.entries as f64,
            bytes: s.bytes as f64,
            max_entries: s.max_entries as f64,
            max_bytes: s.max_bytes as f64,
            hit_rate: s.hit_rate(),
        })
    }
}
