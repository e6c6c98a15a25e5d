//! The token-count cache under load: exact hit and miss accounting from 16 threads with
//! no deadlock, a million distinct texts within the entry and byte bounds (the map's own
//! measure of its memory included), and hits through a counter.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use toon_tokens::{CacheConfig, Encoding, TokenCache, TokenCounter, cache_key};

/// Runs `work` on another thread and fails the test if it has not finished in `limit`
/// (a deadlock fails instead of hanging the suite).
fn within<T: Send + 'static>(limit: Duration, work: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, result) = mpsc::channel();
    thread::spawn(move || {
        let _ = done.send(work());
    });
    result
        .recv_timeout(limit)
        .expect("finished in time (no deadlock)")
}

fn text(i: usize) -> String {
    format!(
        "document {i}: {{\"id\":{i},\"tags\":[\"a{}\",\"b\"]}} and some words",
        i % 97
    )
}

#[test]
fn sixteen_threads_lose_no_counts() {
    const THREADS: usize = 16;
    const TEXTS: usize = 2_000;
    const ROUNDS: usize = 20;
    let expected: Arc<Vec<usize>> = Arc::new({
        let counter = TokenCounter::uncached(Encoding::O200kBase);
        (0..TEXTS).map(|i| counter.count(&text(i))).collect()
    });
    let cache = Arc::new(TokenCache::new(CacheConfig::new(1 << 16, 64 << 20)));
    let counter = Arc::new(
        TokenCounter::builder(Encoding::O200kBase)
            .cache(Arc::clone(&cache))
            .build(),
    );
    let wrong = Arc::new(AtomicU64::new(0));
    let lookups = within(Duration::from_secs(120), {
        let (counter, expected, wrong) = (
            Arc::clone(&counter),
            Arc::clone(&expected),
            Arc::clone(&wrong),
        );
        move || {
            let workers: Vec<_> = (0..THREADS)
                .map(|worker| {
                    let (counter, expected, wrong) = (
                        Arc::clone(&counter),
                        Arc::clone(&expected),
                        Arc::clone(&wrong),
                    );
                    thread::spawn(move || {
                        let mut lookups = 0u64;
                        for round in 0..ROUNDS {
                            // Each worker walks the texts in its own order.
                            for step in 0..TEXTS {
                                let i = (step * 7 + worker * 131 + round * 17) % TEXTS;
                                if counter.count(&text(i)) != expected[i] {
                                    wrong.fetch_add(1, Ordering::Relaxed);
                                }
                                lookups += 1;
                            }
                            // And some batches, counted in parallel inside.
                            let batch: Vec<String> =
                                (0..50).map(|k| text((k * 37 + worker) % TEXTS)).collect();
                            for (k, count) in counter.count_batch(&batch).into_iter().enumerate() {
                                if count != expected[(k * 37 + worker) % TEXTS] {
                                    wrong.fetch_add(1, Ordering::Relaxed);
                                }
                            }
                            lookups += 50;
                        }
                        lookups
                    })
                })
                .collect();
            workers
                .into_iter()
                .map(|worker| worker.join().expect("worker"))
                .sum::<u64>()
        }
    });
    let stats = cache.stats();
    assert_eq!(wrong.load(Ordering::Relaxed), 0, "every count exact");
    assert_eq!(lookups, (THREADS * ROUNDS * (TEXTS + 50)) as u64);
    assert_eq!(stats.hits + stats.misses, lookups, "{stats}");
    // Each distinct text misses at least once, and at most once per thread racing on it.
    assert!(stats.misses >= TEXTS as u64, "{stats}");
    assert!(stats.misses <= (TEXTS * THREADS) as u64, "{stats}");
    // The cache has room for all of them, so nothing is evicted: a miss either stores a
    // new entry or replaces the one a racing thread stored a moment before (counted as
    // a replacement, not an eviction; a cold CI run saw 205 such races).
    assert_eq!(stats.entries, TEXTS as u64, "{stats}");
    assert_eq!(stats.evictions, 0, "{stats}");
    assert!(stats.hit_rate() > 0.9, "{stats}");
}

#[test]
fn a_million_distinct_texts_stay_within_the_bounds() {
    const TEXTS: usize = 1_000_000;
    let config = CacheConfig::new(50_000, 2 << 20);
    assert_eq!(
        config.capacity(),
        (2 << 20) / CacheConfig::ENTRY_BYTES as usize
    );
    let counter = TokenCounter::builder(Encoding::O200kBase)
        .cache_config(config)
        .build();
    let cache = Arc::clone(counter.cache().expect("a cache"));
    let mut peak_memory = 0;
    let mut buffer = String::new();
    for i in 0..TEXTS {
        buffer.clear();
        use std::fmt::Write as _;
        write!(buffer, "t{i}").unwrap();
        counter.count(&buffer);
        if i % 50_000 == 0 {
            peak_memory = peak_memory.max(cache.memory_bytes());
            let stats = cache.stats();
            assert!(stats.entries as usize <= config.capacity(), "{stats}");
            assert!(stats.bytes <= config.max_bytes(), "{stats}");
        }
    }
    peak_memory = peak_memory.max(cache.memory_bytes());
    let stats = cache.stats();
    eprintln!(
        "1,000,000 distinct texts: {stats}; map memory {} bytes (peak {peak_memory}), bound {}",
        cache.memory_bytes(),
        config.max_bytes()
    );
    assert_eq!((stats.hits, stats.misses), (0, TEXTS as u64));
    assert!(
        stats.entries as usize <= config.capacity()
            && stats.entries as usize <= config.max_entries()
    );
    assert!(
        stats.entries as usize > config.capacity() / 2,
        "the cache stays useful: {stats}"
    );
    assert!(stats.bytes <= config.max_bytes(), "{stats}");
    assert_eq!(stats.key_bytes, stats.entries * 16);
    assert!(
        peak_memory as u64 <= config.max_bytes(),
        "map memory {peak_memory} over the bound"
    );
    assert_eq!(stats.evictions + stats.entries, TEXTS as u64, "{stats}");
    // The most recent texts are still there.
    let last = format!("t{}", TEXTS - 1);
    assert!(cache.peek(cache_key(Encoding::O200kBase, &last)).is_some());
}

#[test]
fn the_entry_bound_binds_too() {
    let config = CacheConfig::new(1_000, u64::MAX);
    assert_eq!(config.capacity(), 1_000);
    let cache = TokenCache::new(config);
    for key in 0..100_000u128 {
        cache.insert(
            key.wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835),
            3,
        );
    }
    let stats = cache.stats();
    assert!(stats.entries <= 1_000, "{stats}");
    assert!(
        cache.memory_bytes() as u64 <= 1_000 * CacheConfig::ENTRY_BYTES,
        "{}",
        cache.memory_bytes()
    );
}

#[test]
fn a_counter_serves_repeats_from_its_cache() {
    let counter = TokenCounter::new(Encoding::Cl100kBase);
    let text = "The same text, counted twice.";
    let first = counter.count(text);
    assert_eq!(counter.count(text), first);
    assert_eq!(counter.count_uncached(text), first);
    let stats = counter.cache_stats().expect("a cache");
    assert_eq!((stats.hits, stats.misses, stats.entries), (1, 1, 1));
    // Keys include the encoding: a shared cache keeps the two apart.
    let shared = Arc::new(TokenCache::default());
    let o200k = TokenCounter::builder(Encoding::O200kBase)
        .cache(Arc::clone(&shared))
        .build();
    let cl100k = TokenCounter::builder(Encoding::Cl100kBase)
        .cache(Arc::clone(&shared))
        .build();
    let text = "日本語のテキストと 🧑‍🤝‍🧑 emoji";
    assert_eq!(
        o200k.count(text),
        TokenCounter::uncached(Encoding::O200kBase).count(text)
    );
    assert_eq!(
        cl100k.count(text),
        TokenCounter::uncached(Encoding::Cl100kBase).count(text)
    );
    assert_eq!(shared.stats().entries, 2);
    assert!(
        TokenCounter::uncached(Encoding::O200kBase)
            .cache_stats()
            .is_none()
    );
}

/// Cache keys are shared across processes and languages (the Redis tier), so they are
/// pinned: these digests are what the reference C xxHash gives (Python's `xxhash` 3:
/// `xxh3_128_intdigest(text, seed=Encoding::key_seed())`), for the empty text, a short
/// one and one long enough for the vectorised path (3,000 bytes).
#[test]
fn cache_keys_are_the_reference_xxh3_128() {
    let long: String = (0..3000u32)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect();
    let cases = [
        (
            Encoding::O200kBase,
            "",
            0x21705bc709b282dce51f23a1d4a0d281_u128,
        ),
        (
            Encoding::O200kBase,
            "hello",
            0x3d08805f7861e25fffcedeb19e1fa67b,
        ),
        (
            Encoding::O200kBase,
            &long,
            0xc2607a892b51ef05ac88e725f20a6dbd,
        ),
        (Encoding::Cl100kBase, "", 0x64b1255e286909652a00f4079abeb341),
        (
            Encoding::Cl100kBase,
            "hello",
            0x99e357eb799403c7ce56fca66c6fdb96,
        ),
        (
            Encoding::Cl100kBase,
            &long,
            0x2e9cc1f35fa4949a30bb4594737e943b,
        ),
    ];
    for (encoding, text, digest) in cases {
        assert_eq!(
            cache_key(encoding, text),
            digest,
            "{encoding}, {} bytes",
            text.len()
        );
    }
}
