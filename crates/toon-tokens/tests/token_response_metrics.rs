//! The response metrics of `TokenCounter::count_response` and the hit ratio gauge, in
//! the Prometheus text (a test binary of its own: the recorder is process-wide).

use toon_tokens::metrics::{self, render_prometheus};
use toon_tokens::{BodyFormat, Encoding, TokenCounter};

/// The value of the sample `series` in Prometheus text, 0 when absent.
fn sample(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .map_or(0.0, |value| value.trim().parse().expect("a sample value"))
}

#[test]
fn responses_and_the_hit_ratio_reach_the_prometheus_text() {
    assert!(!metrics::prometheus_installed());
    metrics::install_prometheus().expect("the first recorder");
    assert!(metrics::prometheus_installed());
    let counter = TokenCounter::new(Encoding::O200kBase);
    let json = r#"{"users":[{"id":1,"name":"Ada"},{"id":2,"name":"Bo"}]}"#;
    let toon = "users[2]{id,name}:\n  1,Ada\n  2,Bo";

    for _ in 0..3 {
        assert_eq!(
            counter.count_response(BodyFormat::Toon, toon, Some(json)),
            19
        );
    }
    assert_eq!(counter.count_response(BodyFormat::Json, json, None), 21);
    // A TOON body without its JSON counts, and saves nothing.
    assert_eq!(counter.count_response(BodyFormat::Toon, toon, None), 19);

    let text = render_prometheus().expect("render");
    let responses = |format: &str| {
        sample(
            &text,
            &format!("toon_responses_total{{format=\"{format}\"}}"),
        )
    };
    assert_eq!((responses("toon"), responses("json")), (4.0, 1.0));
    assert_eq!(
        sample(&text, "toon_response_bytes_total{format=\"toon\"}"),
        (4 * toon.len()) as f64
    );
    assert_eq!(
        sample(
            &text,
            "toon_response_tokens_total{format=\"toon\",encoding=\"o200k_base\"}"
        ),
        4.0 * 19.0
    );
    assert_eq!(
        sample(
            &text,
            "toon_response_tokens_total{format=\"json\",encoding=\"o200k_base\"}"
        ),
        21.0
    );
    assert_eq!(
        sample(&text, "toon_tokens_saved_total{encoding=\"o200k_base\"}"),
        3.0 * 2.0
    );
    // Lookups: json and toon missed once each, then 2 × 2 + 1 + 1 hits.
    let stats = counter.cache_stats().unwrap();
    assert_eq!((stats.hits, stats.misses), (6, 2));
    assert_eq!(
        sample(&text, "toon_token_cache_hit_ratio{tier=\"local\"}"),
        6.0 / 8.0
    );
    assert!(
        text.contains("# TYPE toon_token_cache_hit_ratio gauge"),
        "{text}"
    );
}
