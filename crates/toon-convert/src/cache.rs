//! The conversion cache: outputs keyed by a stable 128-bit hash of (converter, options,
//! input), bounded by the bytes it retains, with hit and miss counters.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use quick_cache::Weighter;
use quick_cache::sync::Cache;

/// Charges each entry its output bytes plus the 16-byte key.
#[derive(Clone)]
struct ByBytes;

impl Weighter<u128, Arc<str>> for ByBytes {
    fn weight(&self, _: &u128, value: &Arc<str>) -> u64 {
        value.len() as u64 + 16
    }
}

/// A bounded, thread-safe map from input hash to converted output.
pub struct ConversionCache {
    entries: Cache<u128, Arc<str>, ByBytes>,
    capacity_bytes: u64,
    hits: AtomicU64,
    misses: AtomicU64,
}

/// Counters of a [`ConversionCache`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CacheStats {
    /// Lookups that found an output.
    pub hits: u64,
    /// Lookups that did not.
    pub misses: u64,
    /// Outputs currently held.
    pub entries: u64,
    /// Bytes currently held (outputs plus keys).
    pub bytes: u64,
    /// The byte bound.
    pub capacity_bytes: u64,
}

impl CacheStats {
    /// Hits divided by lookups (0 when there were none).
    pub fn hit_rate(&self) -> f64 {
        let lookups = self.hits + self.misses;
        if lookups == 0 {
            0.0
        } else {
            self.hits as f64 / lookups as f64
        }
    }
}

impl ConversionCache {
    /// A cache holding at most `capacity_bytes` of outputs (an output larger than the
    /// cache's per-shard share is simply not kept).
    pub fn new(capacity_bytes: u64) -> Self {
        // Estimate items from an average output of 4 KiB.
        let items = (capacity_bytes / 4096).max(16) as usize;
        ConversionCache {
            entries: Cache::with_weighter(items, capacity_bytes, ByBytes),
            capacity_bytes,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// The output stored under `key`, counting a hit or a miss.
    pub fn get(&self, key: u128) -> Option<Arc<str>> {
        let found = self.entries.get(&key);
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Stores an output.
    pub fn insert(&self, key: u128, output: Arc<str>) {
        self.entries.insert(key, output);
    }

    /// Current counters.
    pub fn stats(&self) -> CacheStats {
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            entries: self.entries.len() as u64,
            bytes: self.entries.weight(),
            capacity_bytes: self.capacity_bytes,
        }
    }
}
