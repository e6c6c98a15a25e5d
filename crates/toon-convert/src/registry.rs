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

/// The set of available converters, with an optional output cache.
#[derive(Default)]
pub struct ConverterRegistry {
    converters: Vec<Arc<dyn Converter>>,
    cache: Option<ConversionCache>,
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
        let route = self
            .route(source, target)
            .ok_or_else(|| ConvertError::msg(format!("no converter from {source} to {target}")))?;
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
        let Some(cache) = cache else {
            return Ok((Arc::from(converter.convert(input)?), false));
        };
        let bytes = input.read()?;
        let key = cache_key(converter, &bytes);
        if let Some(output) = cache.get(key) {
            return Ok((output, true));
        }
        let output: Arc<str> = Arc::from(converter.convert(Input::Bytes(&bytes))?);
        cache.insert(key, Arc::clone(&output));
        Ok((output, false))
    }

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
