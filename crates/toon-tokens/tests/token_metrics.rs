//! Token-counting metrics through the `metrics` facade, rendered as Prometheus text by
//! `toon_tokens::metrics::render_prometheus` (its own test binary: the recorder is
//! process-wide).

use toon_tokens::metrics::{self, render_prometheus};
use toon_tokens::{CacheConfig, Encoding, TokenCounter};

/// The value of the sample `name{labels}` in Prometheus text, 0 when absent.
fn sample(text: &str, series: &str) -> u64 {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .map_or(0, |value| value.trim().parse().expect("a counter value"))
}

#[test]
fn counters_reach_the_prometheus_text() {
    metrics::install_prometheus().expect("the first recorder");
    let counter = TokenCounter::builder(Encoding::O200kBase)
        .cache_config(CacheConfig::new(64, 64 * CacheConfig::ENTRY_BYTES))
        .build();
    let exact = TokenCounter::uncached(Encoding::Cl100kBase);

    let hello = counter.count("Hello, world!"); // miss
    assert_eq!(counter.count("Hello, world!"), hello); // hit
    let mut o200k_tokens = 2 * hello;
    for i in 0..500 {
        o200k_tokens += counter.count(&format!("text number {i}")); // misses, evictions
    }
    let cl100k = exact.count("Hello, world!");
    let json = r#"{"users":[{"id":1,"name":"Ada"},{"id":2,"name":"Bo"}]}"#;
    let toon = "users[2]{id,name}:\n  1,Ada\n  2,Bo";
    let savings = counter.savings(json, toon);
    assert!(savings.saved_tokens() > 0);

    let text = render_prometheus().expect("render");
    let stats = counter.cache_stats().unwrap();
    assert!(
        text.contains("# TYPE toon_tokens_counted_total counter"),
        "{text}"
    );
    assert!(text.contains("# HELP toon_tokens_counted_total"), "{text}");
    o200k_tokens += savings.json_tokens + savings.toon_tokens;
    assert_eq!(
        sample(&text, "toon_tokens_counted_total{encoding=\"o200k_base\"}"),
        o200k_tokens as u64
    );
    assert_eq!(
        sample(&text, "toon_tokens_counted_total{encoding=\"cl100k_base\"}"),
        cl100k as u64
    );
    assert_eq!(
        sample(&text, "toon_token_cache_hits_total{tier=\"local\"}"),
        stats.hits
    );
    assert_eq!(
        sample(&text, "toon_token_cache_misses_total{tier=\"local\"}"),
        stats.misses
    );
    assert_eq!(
        sample(&text, "toon_token_cache_evictions_total"),
        stats.evictions
    );
    assert!(stats.evictions > 0 && stats.hits >= 1);
    assert_eq!(
        sample(&text, "toon_tokens_saved_total{encoding=\"o200k_base\"}"),
        savings.saved_tokens() as u64
    );
    // A second render sees later counts.
    counter.count("one more text");
    let again = render_prometheus().expect("render again");
    assert_eq!(
        sample(&again, "toon_token_cache_misses_total{tier=\"local\"}"),
        stats.misses + 1
    );
}
