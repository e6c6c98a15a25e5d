//! `ConverterRegistry`: lookup by formats or extension, routes through TOON, cached and
//! measured conversion, and parallel batches.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;
use twox_hash::XxHash3_128;

use toon::convert::{ConvertError, Converter, Format, Input};

use crate::cache::{CacheStats, ConversionCache};
#[cfg(feature = "redis")]
use toon_tokens::RedisTier;

/// Version of the Redis key layout of outputs: bump it when outputs could change.
#[cfg(feature = "redis")]
pub const REDIS_KEY_VERSION: &str = "v1";

/// One conversion of a batch.
#[derive(Debug, Clone, Copy)]
pub struct BatchJob<'a> {
    /// The input's format.
    pub source: Format,
    /// The wanted format.
    pub target: Format,
    /// The input.
    pub input: Input<'a>,
}

/// The set of available converters, with an optional output cache and, with feature
/// `redis`, a Redis tier below it.
#[derive(Default)]
pub struct ConverterRegistry {
    converters: Vec<Arc<dyn Converter>>,
    cache: Option<ConversionCache>,
    #[cfg(feature = "redis")]
    redis: Option<Arc<RedisTier>>,
}

impl ConverterRegistry {
    /// An empty registry without a cache.
    pub fn new() -> Self {
        ConverterRegistry::default()
    }

    /// Keeps up to `capacity_bytes` of outputs, keyed by (converter, options, input).
    pub fn with_cache(mut self, capacity_bytes: u64) -> Self {
        self.cache = Some(ConversionCache::new(capacity_bytes));
        self
    }

    /// Adds a Redis tier below the local cache: outputs of cacheable converters are
    /// looked up there after a local miss and stored there when computed, under
    /// [`ConverterRegistry::redis_key`], so processes sharing one Redis (the CLI, Python
    /// and Node services) reuse each other's conversions. The tier's text-size threshold
    /// does not apply (a conversion costs more than a round trip); while Redis is down
    /// conversions go on without it, as counts do.
    #[cfg(feature = "redis")]
    pub fn with_redis(mut self, tier: Arc<RedisTier>) -> Self {
        self.redis = Some(tier);
        self
    }

    /// The Redis tier, if any.
    #[cfg(feature = "redis")]
    pub fn redis(&self) -> Option<&Arc<RedisTier>> {
        self.redis.as_ref()
    }

    /// The Redis key of an output: `toon:conv:v1:<32 hex digits>` of the cache key
    /// (xxh3-128 of converter name, options key and input).
    #[cfg(feature = "redis")]
    pub fn redis_key(converter: &dyn Converter, input: &[u8]) -> String {
        redis_key_of(cache_key(converter, input))
    }

    /// Adds a converter; a later one for the same formats takes precedence.
    pub fn register(&mut self, converter: impl Converter + 'static) -> &mut Self {
        self.converters.push(Arc::new(converter));
        self
    }

    /// Every registered converter, in registration order.
    pub fn converters(&self) -> impl Iterator<Item = &dyn Converter> {
        self.converters.iter().map(|c| &**c)
    }

    /// The converter from `source` to `target`.
    pub fn find(&self, source: Format, target: Format) -> Option<&dyn Converter> {
        self.converters
            .iter()
            .rev()
            .find(|c| c.source() == source && c.target() == target)
            .map(|c| &**c)
    }

    /// [`ConverterRegistry::route`], or the error every front-end reports when there is
    /// none: the two formats are the same, or no converter joins them.
    pub fn require_route(
        &self,
        source: Format,
        target: Format,
    ) -> Result<Vec<&dyn Converter>, ConvertError> {
        self.route(source, target).ok_or_else(|| {
            ConvertError::msg(if source == target {
                format!("the input is already {target}: nothing to convert")
            } else {
                format!("no converter from {source} to {target}")
            })
        })
    }

    /// The converter for a path (a directory is a checkpoint source, files go by
    /// extension) to `target`.
    pub fn for_path(&self, path: &Path, target: Format) -> Option<&dyn Converter> {
        self.find(Format::from_path(path)?, target)
    }

    /// The converters that take `source` to `target`, in order: the direct one, or, when
    /// none links the two, one into TOON and one out of it. `None` when there is no way,
    /// or nothing to do (`source == target`).
    pub fn route(&self, source: Format, target: Format) -> Option<Vec<&dyn Converter>> {
        if source == target {
            return None;
        }
        if let Some(direct) = self.find(source, target) {
            return Some(vec![direct]);
        }
        let into = self.find(source, Format::Toon)?;
        let out_of = self.find(Format::Toon, target)?;
        Some(vec![into, out_of])
    }

    /// The cache's counters, when there is a cache.
    pub fn cache_stats(&self) -> Option<CacheStats> {
        self.cache.as_ref().map(ConversionCache::stats)
    }

    /// Converts `input` from `source` to `target` along [`ConverterRegistry::route`]:
    /// with the direct converter, or through TOON. The error of a failed step names its
    /// converter ([`ConvertError::converter`]); positions in it refer to that step's input.
    pub fn convert(
        &self,
        source: Format,
        target: Format,
        input: Input<'_>,
    ) -> Result<Arc<str>, ConvertError> {
        let route = self.require_route(source, target)?;
        let mut output = self.convert_with(route[0], input)?;
        for step in &route[1..] {
            output = self.convert_with(*step, Input::Bytes(output.as_bytes()))?;
        }
        Ok(output)
    }

    /// Converts `input` with `converter`, through the cache, recording metrics.
    pub fn convert_with(
        &self,
        converter: &dyn Converter,
        input: Input<'_>,
    ) -> Result<Arc<str>, ConvertError> {
        let labels = [
            ("source", converter.source().name()),
            ("target", converter.target().name()),
        ];
        let start = Instant::now();
        let result = self.convert_cached(converter, input);
        let outcome = match &result {
            Ok((_, true)) => "cached",
            Ok((_, false)) => "ok",
            Err(_) => "error",
        };
        metrics::counter!("toon_conversions_total", "source" => labels[0].1, "target" => labels[1].1, "outcome" => outcome)
            .increment(1);
        metrics::histogram!("toon_conversion_duration_seconds", &labels)
            .record(start.elapsed().as_secs_f64());
        result
            .map(|(output, _)| output)
            .map_err(|error| error.in_converter(converter.name()))
    }

    /// The output and whether it came from the cache.
    fn convert_cached(
        &self,
        converter: &dyn Converter,
        input: Input<'_>,
    ) -> Result<(Arc<str>, bool), ConvertError> {
        let cache = self.cache.as_ref().filter(|_| converter.cacheable());
        if cache.is_none() && !self.has_redis(converter) {
            return Ok((Arc::from(converter.convert(input)?), false));
        }
        let bytes = input.read()?;
        let key = cache_key(converter, &bytes);
        if let Some(cache) = cache {
            let found = cache.get(key);
            cache_lookup("local", found.is_some());
            if let Some(output) = found {
                return Ok((output, true));
            }
        }
        if let Some(output) = self.redis_get(converter, key) {
            if let Some(cache) = cache {
                cache.insert(key, Arc::clone(&output));
            }
            return Ok((output, true));
        }
        let output: Arc<str> = Arc::from(converter.convert(Input::Bytes(&bytes))?);
        if let Some(cache) = cache {
            cache.insert(key, Arc::clone(&output));
        }
        self.redis_set(converter, key, &output);
        Ok((output, false))
    }

    /// Whether outputs of `converter` go through a Redis tier.
    fn has_redis(&self, converter: &dyn Converter) -> bool {
        #[cfg(feature = "redis")]
        if self.redis.is_some() {
            return converter.cacheable();
        }
        let _ = converter;
        false
    }

    /// The output stored in Redis under `key`, counting the lookup when Redis answered.
    #[cfg(feature = "redis")]
    fn redis_get(&self, converter: &dyn Converter, key: u128) -> Option<Arc<str>> {
        let tier = self.redis.as_ref().filter(|_| converter.cacheable())?;
        let found = tier.get_bytes(&redis_key_of(key))?;
        let output = found.and_then(|bytes| String::from_utf8(bytes).ok());
        cache_lookup("redis", output.is_some());
        output.map(Arc::from)
    }

    #[cfg(not(feature = "redis"))]
    fn redis_get(&self, _converter: &dyn Converter, _key: u128) -> Option<Arc<str>> {
        None
    }

    /// Stores an output in Redis, if there is a tier.
    #[cfg(feature = "redis")]
    fn redis_set(&self, converter: &dyn Converter, key: u128, output: &str) {
        if let Some(tier) = self.redis.as_ref().filter(|_| converter.cacheable()) {
            tier.set_bytes(&redis_key_of(key), output.as_bytes());
        }
    }

    #[cfg(not(feature = "redis"))]
    fn redis_set(&self, _converter: &dyn Converter, _key: u128, _output: &str) {}

    /// Runs every job in parallel; each gets its own result, and a failing (or even
    /// panicking) conversion does not affect the others.
    pub fn convert_batch(&self, jobs: &[BatchJob<'_>]) -> Vec<Result<Arc<str>, ConvertError>> {
        jobs.par_iter()
            .map(|job| {
                catch_unwind(AssertUnwindSafe(|| {
                    self.convert(job.source, job.target, job.input)
                }))
                .unwrap_or_else(|_| Err(ConvertError::msg("the converter panicked on this input")))
            })
            .collect()
    }
}

/// The Redis key of the output under cache key `key`.
#[cfg(feature = "redis")]
fn redis_key_of(key: u128) -> String {
    format!("toon:conv:{REDIS_KEY_VERSION}:{key:032x}")
}

/// Counts a lookup of the output cache's `tier` (`local` or `redis`).
fn cache_lookup(tier: &'static str, hit: bool) {
    if hit {
        metrics::counter!("toon_conversion_cache_hits_total", "tier" => tier).increment(1);
    } else {
        metrics::counter!("toon_conversion_cache_misses_total", "tier" => tier).increment(1);
    }
}

/// xxh3-128 of (converter name, options key, input bytes), each part length-prefixed so
/// different splits cannot collide.
fn cache_key(converter: &dyn Converter, input: &[u8]) -> u128 {
    let mut hasher = XxHash3_128::new();
    let name = converter.name().as_bytes();
    hasher.write(&(name.len() as u64).to_le_bytes());
    hasher.write(name);
    hasher.write(&converter.options_key().to_le_bytes());
    hasher.write(&(input.len() as u64).to_le_bytes());
    hasher.write(input);
    hasher.finish_128()
}
