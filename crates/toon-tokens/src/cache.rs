//! The local tier of the token-count cache: a bounded, sharded, thread-safe map from a
//! stable 128-bit key of (encoding, text) to the text's token count.
//!
//! Keys are [`key`]`(encoding, text)` = `xxh3_128(text, seed of the encoding)`: the text
//! itself is never retained, only its 16-byte digest and a 4-byte count. The map is a
//! [`quick_cache`] (S3-FIFO-like eviction, a hit only sets a bit) bounded both by a number
//! of entries and by bytes: every entry is charged [`CacheConfig::ENTRY_BYTES`], the heap
//! bytes an entry costs in the map (key, count and the map's per-entry overhead), so the
//! byte bound is a bound on the cache's memory. Hits, misses and evictions are counted
//! exactly (striped atomics, so many threads hitting the cache do not contend on one
//! counter).

use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use quick_cache::sync::Cache;
use quick_cache::{Lifecycle, OptionsBuilder, Weighter};
use twox_hash::XxHash3_128;

use super::encoding::Encoding;
use super::metrics;

/// The cache key of `text` in `encoding`: `xxh3_128(text, encoding.key_seed())`.
///
/// ```
/// use toon_tokens::{Encoding, cache_key};
///
/// assert_ne!(cache_key(Encoding::O200kBase, "hi"), cache_key(Encoding::Cl100kBase, "hi"));
/// ```
#[inline]
pub fn key(encoding: Encoding, text: &str) -> u128 {
    XxHash3_128::oneshot_with_seed(encoding.key_seed(), text.as_bytes())
}

/// Bounds of a [`TokenCache`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheConfig {
    max_entries: usize,
    max_bytes: u64,
}

impl CacheConfig {
    /// Heap bytes charged per entry: the 16-byte key, the 4-byte count and the map's own
    /// per-entry structures (its index, eviction queues and the "ghost" hashes of recently
    /// evicted keys), about 116 bytes as the map measures itself, rounded up. The tests
    /// check that the map's own measure stays within the byte bound.
    pub const ENTRY_BYTES: u64 = 128;

    /// At most `max_entries` entries and `max_bytes` bytes (whichever binds first).
    /// Both are raised to hold at least 64 entries.
    pub fn new(max_entries: usize, max_bytes: u64) -> CacheConfig {
        CacheConfig {
            max_entries: max_entries.max(64),
            max_bytes: max_bytes.max(64 * CacheConfig::ENTRY_BYTES),
        }
    }

    /// The entry bound.
    pub fn max_entries(&self) -> usize {
        self.max_entries
    }

    /// The byte bound.
    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    /// The number of entries the cache can hold under both bounds.
    pub fn capacity(&self) -> usize {
        let by_bytes = self.max_bytes / CacheConfig::ENTRY_BYTES;
        self.max_entries
            .min(usize::try_from(by_bytes).unwrap_or(usize::MAX))
    }
}

impl Default for CacheConfig {
    /// 262,144 entries and 32 MiB (which allows exactly that many).
    fn default() -> CacheConfig {
        CacheConfig::new(1 << 18, 32 << 20)
    }
}

/// Counters and size of a [`TokenCache`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CacheStats {
    /// Lookups that found a count.
    pub hits: u64,
    /// Lookups that did not.
    pub misses: u64,
    /// Entries pushed out to make room.
    pub evictions: u64,
    /// Entries held now.
    pub entries: u64,
    /// Bytes charged for the entries held now (`entries × ENTRY_BYTES`).
    pub bytes: u64,
    /// Bytes of keys held now (16 per entry).
    pub key_bytes: u64,
    /// The entry bound.
    pub max_entries: u64,
    /// The byte bound.
    pub max_bytes: u64,
}

impl CacheStats {
    /// Hits divided by lookups; 0 before the first lookup.
    pub fn hit_rate(&self) -> f64 {
        hit_rate(self.hits, self.misses)
    }
}

/// `hits / (hits + misses)`, 0 when both are 0: the hit rate of every tier's stats.
pub(crate) fn hit_rate(hits: u64, misses: u64) -> f64 {
    let lookups = hits + misses;
    if lookups == 0 {
        0.0
    } else {
        hits as f64 / lookups as f64
    }
}

impl fmt::Display for CacheStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} hits, {} misses ({:.1}% hit rate), {} evictions, {} entries ({} bytes)",
            self.hits,
            self.misses,
            self.hit_rate() * 100.0,
            self.evictions,
            self.entries,
            self.bytes
        )
    }
}

/// Charges every entry [`CacheConfig::ENTRY_BYTES`].
#[derive(Debug, Clone, Copy)]
struct EntryBytes;

impl Weighter<u128, u32> for EntryBytes {
    #[inline]
    fn weight(&self, _key: &u128, _count: &u32) -> u64 {
        CacheConfig::ENTRY_BYTES
    }
}

/// Keys are already uniform xxh3 digests: fold them instead of hashing again.
#[derive(Debug, Clone, Copy, Default)]
struct DigestHasher(u64);

impl Hasher for DigestHasher {
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }

    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(byte)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    #[inline]
    fn write_u128(&mut self, digest: u128) {
        self.0 ^= (digest as u64) ^ ((digest >> 64) as u64).rotate_left(29);
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct DigestBuild;

impl BuildHasher for DigestBuild {
    type Hasher = DigestHasher;

    #[inline]
    fn build_hasher(&self) -> DigestHasher {
        DigestHasher(0)
    }
}

/// Tells evictions from replacements: the map reports an entry replaced by an insert
/// of the same key (two threads counting the same new text at once) as evicted, and
/// that is not an eviction.
#[derive(Debug, Clone)]
struct CountEvictions;

/// The key an insert stores, and how many other entries it evicted.
#[derive(Debug, Default)]
struct InsertState {
    key: u128,
    evicted: u64,
}

impl Lifecycle<u128, u32> for CountEvictions {
    type RequestState = InsertState;

    #[inline]
    fn on_evict(&self, state: &mut InsertState, key: u128, _count: u32) {
        if key != state.key {
            state.evicted += 1;
        }
    }
}

/// A counter on its own cache line.
#[derive(Debug, Default)]
#[repr(align(64))]
struct Padded(AtomicU64);

/// Stripes of hit and miss counters.
const STRIPES: usize = 16;

/// A bounded, thread-safe cache of token counts. Share one between counters (and
/// encodings: the key includes the encoding) with an `Arc`.
pub struct TokenCache {
    map: Cache<u128, u32, EntryBytes, DigestBuild, CountEvictions>,
    config: CacheConfig,
    hits: [Padded; STRIPES],
    misses: [Padded; STRIPES],
    evictions: AtomicU64,
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCache")
            .field("config", &self.config)
            .field("stats", &self.stats())
            .finish()
    }
}

impl Default for TokenCache {
    fn default() -> TokenCache {
        TokenCache::new(CacheConfig::default())
    }
}

impl TokenCache {
    /// An empty cache within `config`'s bounds.
    pub fn new(config: CacheConfig) -> TokenCache {
        let capacity = config.capacity();
        let options = OptionsBuilder::new()
            .estimated_items_capacity(capacity)
            .weight_capacity(capacity as u64 * CacheConfig::ENTRY_BYTES)
            .build()
            .expect("both capacities are set");
        TokenCache {
            map: Cache::with_options(options, EntryBytes, DigestBuild, CountEvictions),
            config,
            hits: Default::default(),
            misses: Default::default(),
            evictions: AtomicU64::new(0),
        }
    }

    /// The bounds.
    pub fn config(&self) -> CacheConfig {
        self.config
    }

    /// The count stored under `key`, counting a hit or a miss.
    #[inline]
    pub fn get(&self, key: u128) -> Option<u32> {
        let found = self.map.get(&key);
        let stripe = (key >> 64) as usize % STRIPES;
        let counter = if found.is_some() {
            &self.hits[stripe]
        } else {
            &self.misses[stripe]
        };
        counter.0.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// The count stored under `key`, without counting a lookup or marking the entry used.
    pub fn peek(&self, key: u128) -> Option<u32> {
        self.map.peek(&key)
    }

    /// Stores `count` under `key`, evicting as needed to stay within the bounds.
    #[inline]
    pub fn insert(&self, key: u128, count: u32) {
        let mut state = InsertState { key, evicted: 0 };
        self.map.insert_with_lifecycle(key, count, &mut state);
        if state.evicted > 0 {
            self.evictions.fetch_add(state.evicted, Ordering::Relaxed);
            for _ in 0..state.evicted {
                metrics::cache_evicted();
            }
        }
    }

    /// Entries held now.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether the cache holds nothing.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Heap bytes the map's structures use right now, as the map itself reports them.
    pub fn memory_bytes(&self) -> usize {
        self.map.memory_used().total()
    }

    /// Removes every entry (the counters keep counting).
    pub fn clear(&self) {
        self.map.clear();
    }

    /// Hits, misses, evictions and size.
    pub fn stats(&self) -> CacheStats {
        let sum = |stripes: &[Padded; STRIPES]| {
            stripes
                .iter()
                .map(|stripe| stripe.0.load(Ordering::Relaxed))
                .sum()
        };
        let entries = self.map.len() as u64;
        CacheStats {
            hits: sum(&self.hits),
            misses: sum(&self.misses),
            evictions: self.evictions.load(Ordering::Relaxed),
            entries,
            bytes: self.map.weight(),
            key_bytes: entries * 16,
            max_entries: self.config.max_entries as u64,
            max_bytes: self.config.max_bytes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_hits_misses_and_evictions() {
        let cache = TokenCache::new(CacheConfig::new(1000, u64::MAX));
        assert_eq!(cache.get(1), None);
        cache.insert(1, 7);
        assert_eq!(cache.get(1), Some(7));
        for key in 2..10_000u128 {
            cache.insert(
                key.wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835),
                1,
            );
        }
        let stats = cache.stats();
        assert_eq!((stats.hits, stats.misses), (1, 1));
        assert!(stats.entries <= 1000, "{stats}");
        assert!(stats.evictions >= 9_000 - 1000, "{stats}");
        assert_eq!(stats.bytes, stats.entries * CacheConfig::ENTRY_BYTES);
        assert!((stats.hit_rate() - 0.5).abs() < 1e-9);
    }

    /// Storing a key again (two threads that counted the same new text) replaces the
    /// entry; the map reports that as an eviction, the statistics must not.
    #[test]
    fn storing_a_key_again_is_not_an_eviction() {
        let cache = TokenCache::new(CacheConfig::new(1 << 16, 64 << 20));
        for _ in 0..3 {
            for key in 0..2_000u128 {
                cache.insert(key, 1);
            }
        }
        let stats = cache.stats();
        assert_eq!((stats.entries, stats.evictions), (2_000, 0), "{stats}");
    }

    #[test]
    fn keys_depend_on_encoding_and_text() {
        let a = key(Encoding::O200kBase, "hello");
        assert_eq!(a, key(Encoding::O200kBase, "hello"));
        assert_ne!(a, key(Encoding::O200kBase, "hello!"));
        assert_ne!(a, key(Encoding::Cl100kBase, "hello"));
    }
}
