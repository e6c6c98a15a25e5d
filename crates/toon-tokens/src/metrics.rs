//! Token-counting metrics through the [`metrics`] facade, and their Prometheus text.
//!
//! The counters cost next to nothing until a recorder is installed. A service either
//! installs its own recorder (any `metrics` exporter sees these counters), or calls
//! [`render_prometheus`], which installs a Prometheus recorder on first use and returns
//! the exposition text to append to the service's own `/metrics` response.
//!
//! | metric | labels | meaning |
//! |---|---|---|
//! | `toon_tokens_counted_total` | `encoding` | tokens of every text counted (cache hits included) |
//! | `toon_token_cache_hits_total` | `tier` (`local`, `redis`) | counts served from a cache tier |
//! | `toon_token_cache_misses_total` | `tier` | lookups a tier could not serve |
//! | `toon_token_cache_evictions_total` | | local entries pushed out by the bounds |
//! | `toon_tokens_saved_total` | `encoding` | JSON tokens minus TOON tokens, summed over [`savings`] calls that saved |
//! | `toon_token_cache_hit_ratio` | `tier` | hits ÷ lookups of the tier since start, set by [`render_prometheus`] |
//! | `toon_responses_total` | `format` (`toon`, `json`) | response bodies counted by [`count_response`] |
//! | `toon_response_bytes_total` | `format` | their bytes |
//! | `toon_response_tokens_total` | `format`, `encoding` | their tokens |
//!
//! The Prometheus recorder renders every histogram whose name ends in `_seconds` (the
//! conversion latency of `toon-convert`, `toon_conversion_duration_seconds`) as a real
//! histogram with [`LATENCY_BUCKETS`].
//!
//! [`savings`]: super::TokenCounter::savings
//! [`count_response`]: super::TokenCounter::count_response

use std::cell::RefCell;
use std::fmt;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use metrics::{Counter, Unit, counter, describe_counter, describe_gauge, gauge};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use super::encoding::Encoding;

/// Tokens of every text counted, by `encoding`.
pub const TOKENS_COUNTED: &str = "toon_tokens_counted_total";
/// Counts served from a cache tier, by `tier`.
pub const CACHE_HITS: &str = "toon_token_cache_hits_total";
/// Lookups a cache tier could not serve, by `tier`.
pub const CACHE_MISSES: &str = "toon_token_cache_misses_total";
/// Local cache entries evicted by the bounds.
pub const CACHE_EVICTIONS: &str = "toon_token_cache_evictions_total";
/// Tokens saved by TOON over JSON, by `encoding`.
pub const TOKENS_SAVED: &str = "toon_tokens_saved_total";
/// Hits divided by lookups of a cache tier since the process started, by `tier`.
pub const CACHE_HIT_RATIO: &str = "toon_token_cache_hit_ratio";
/// Response bodies counted, by `format`.
pub const RESPONSES: &str = "toon_responses_total";
/// Bytes of the response bodies counted, by `format`.
pub const RESPONSE_BYTES: &str = "toon_response_bytes_total";
/// Tokens of the response bodies counted, by `format` and `encoding`.
pub const RESPONSE_TOKENS: &str = "toon_response_tokens_total";

/// Upper bounds (seconds) of the buckets of every `*_seconds` histogram: 50 µs to 10 s.
pub const LATENCY_BUCKETS: [f64; 14] = [
    0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1.0,
    10.0,
];

/// The format of a response body, the `format` label of the response metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFormat {
    /// `text/toon`.
    Toon,
    /// `application/json`.
    Json,
}

impl BodyFormat {
    /// The label value: `toon` or `json`.
    pub fn as_str(self) -> &'static str {
        match self {
            BodyFormat::Toon => "toon",
            BodyFormat::Json => "json",
        }
    }
}

/// A cache tier, the `tier` label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tier {
    /// The in-process [`TokenCache`](super::TokenCache).
    Local,
    /// The Redis tier.
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    Redis,
}

/// Every counter handle this module records to, registered with one recorder.
///
/// Registering (`counter!`) looks the key up in the recorder on every call, which costs
/// more than a cache hit itself; so each thread keeps the handles it registered, with
/// the address of the recorder they belong to, and registers again only when the
/// recorder in effect changes (a global one installed, a local one in scope). A local
/// recorder dropped and replaced by a new one at the very same address would keep
/// receiving through the old handles; the global recorder, once set, never changes.
struct Handles {
    recorder: usize,
    counted: [Counter; Encoding::ALL.len()],
    hits: [Counter; 2],
    misses: [Counter; 2],
    evictions: Counter,
    saved: [Counter; Encoding::ALL.len()],
}

impl Handles {
    fn register() -> Handles {
        Handles {
            recorder: recorder_address(),
            counted: Encoding::ALL
                .map(|encoding| counter!(TOKENS_COUNTED, "encoding" => encoding.name())),
            hits: [
                counter!(CACHE_HITS, "tier" => "local"),
                counter!(CACHE_HITS, "tier" => "redis"),
            ],
            misses: [
                counter!(CACHE_MISSES, "tier" => "local"),
                counter!(CACHE_MISSES, "tier" => "redis"),
            ],
            evictions: counter!(CACHE_EVICTIONS),
            saved: Encoding::ALL
                .map(|encoding| counter!(TOKENS_SAVED, "encoding" => encoding.name())),
        }
    }
}

/// The address of the recorder in effect: identifies it while it lives.
#[inline]
fn recorder_address() -> usize {
    metrics::with_recorder(|recorder| std::ptr::from_ref(recorder).cast::<()>() as usize)
}

thread_local! {
    static HANDLES: RefCell<Option<Handles>> = const { RefCell::new(None) };
}

/// Hits and misses of each tier since start (`[tier][0]` hits, `[tier][1]` misses), kept
/// beside the counters because a recorder cannot be read back: the hit ratio gauge is
/// set from them when the text is rendered.
static LOOKUPS: [[AtomicU64; 2]; 2] = [
    [AtomicU64::new(0), AtomicU64::new(0)],
    [AtomicU64::new(0), AtomicU64::new(0)],
];

#[inline]
fn lookup(tier: Tier, hit: bool) {
    LOOKUPS[tier_index(tier)][usize::from(!hit)].fetch_add(1, Ordering::Relaxed);
}

/// Runs `record` with this thread's handles for the recorder in effect.
#[inline]
fn with_handles(record: impl FnOnce(&Handles)) {
    let recorder = recorder_address();
    HANDLES.with(|handles| {
        let mut handles = handles.borrow_mut();
        if handles
            .as_ref()
            .is_none_or(|known| known.recorder != recorder)
        {
            *handles = Some(Handles::register());
        }
        if let Some(handles) = handles.as_ref() {
            record(handles);
        }
    });
}

fn tier_index(tier: Tier) -> usize {
    match tier {
        Tier::Local => 0,
        Tier::Redis => 1,
    }
}

#[inline]
pub(crate) fn tokens_counted(encoding: Encoding, tokens: usize) {
    with_handles(|handles| handles.counted[encoding.index()].increment(tokens as u64));
}

/// A count served by or computed below the local tier: the lookup's outcome and the
/// tokens, in one visit to the handles.
#[inline]
pub(crate) fn counted_after_lookup(encoding: Encoding, tokens: usize, hit: bool) {
    with_handles(|handles| {
        let outcome = if hit { &handles.hits } else { &handles.misses };
        outcome[tier_index(Tier::Local)].increment(1);
        handles.counted[encoding.index()].increment(tokens as u64);
    });
    lookup(Tier::Local, hit);
}

#[cfg(feature = "redis")]
#[inline]
pub(crate) fn cache_hit(tier: Tier) {
    with_handles(|handles| handles.hits[tier_index(tier)].increment(1));
    lookup(tier, true);
}

#[cfg(feature = "redis")]
#[inline]
pub(crate) fn cache_miss(tier: Tier) {
    with_handles(|handles| handles.misses[tier_index(tier)].increment(1));
    lookup(tier, false);
}

#[inline]
pub(crate) fn cache_evicted() {
    with_handles(|handles| handles.evictions.increment(1));
}

#[inline]
pub(crate) fn tokens_saved(encoding: Encoding, tokens: u64) {
    with_handles(|handles| handles.saved[encoding.index()].increment(tokens));
}

/// A response body of `bytes` bytes and `tokens` tokens was sent (not a hot path: one
/// per HTTP response, so the handles are looked up each time).
pub(crate) fn response_sent(format: BodyFormat, encoding: Encoding, bytes: usize, tokens: usize) {
    let format = format.as_str();
    counter!(RESPONSES, "format" => format).increment(1);
    counter!(RESPONSE_BYTES, "format" => format).increment(bytes as u64);
    counter!(RESPONSE_TOKENS, "format" => format, "encoding" => encoding.name())
        .increment(tokens as u64);
}

/// Sets the hit ratio gauge of each tier from the lookups so far.
fn set_hit_ratios() {
    for (tier, name) in [(Tier::Local, "local"), (Tier::Redis, "redis")] {
        let [hits, misses] = &LOOKUPS[tier_index(tier)];
        let hits = hits.load(Ordering::Relaxed);
        let lookups = hits + misses.load(Ordering::Relaxed);
        let ratio = if lookups == 0 {
            0.0
        } else {
            hits as f64 / lookups as f64
        };
        gauge!(CACHE_HIT_RATIO, "tier" => name).set(ratio);
    }
}

/// Registers the help text and unit of every counter with the installed recorder.
/// [`render_prometheus`] does it; call it yourself after installing another recorder.
pub fn describe() {
    describe_counter!(
        TOKENS_COUNTED,
        Unit::Count,
        "Tokens of every text counted by toon_tokens (cache hits included)."
    );
    describe_counter!(
        CACHE_HITS,
        Unit::Count,
        "Token counts served from a cache tier."
    );
    describe_counter!(
        CACHE_MISSES,
        Unit::Count,
        "Token-count lookups a cache tier could not serve."
    );
    describe_counter!(
        CACHE_EVICTIONS,
        Unit::Count,
        "Token-count cache entries evicted to stay within the bounds."
    );
    describe_counter!(
        TOKENS_SAVED,
        Unit::Count,
        "Tokens saved by TOON over JSON, from TokenCounter::savings."
    );
    describe_gauge!(
        CACHE_HIT_RATIO,
        "Hits divided by lookups of a token-count cache tier since the process started."
    );
    describe_counter!(
        RESPONSES,
        Unit::Count,
        "Response bodies counted by TokenCounter::count_response."
    );
    describe_counter!(
        RESPONSE_BYTES,
        Unit::Bytes,
        "Bytes of the response bodies counted."
    );
    describe_counter!(
        RESPONSE_TOKENS,
        Unit::Count,
        "Tokens of the response bodies counted."
    );
}

/// Installing the Prometheus recorder failed: another global recorder is installed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricsError(String);

impl fmt::Display for MetricsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot install the Prometheus recorder: {}", self.0)
    }
}

impl std::error::Error for MetricsError {}

static PROMETHEUS: OnceLock<Result<PrometheusHandle, MetricsError>> = OnceLock::new();

/// Installs a Prometheus recorder (no HTTP listener, no push gateway) as the global
/// `metrics` recorder, once per process, and returns its handle. Counts recorded before
/// the first call went to no recorder and are not in it.
///
/// # Errors
///
/// When another global recorder was installed first.
pub fn install_prometheus() -> Result<PrometheusHandle, MetricsError> {
    PROMETHEUS
        .get_or_init(|| {
            let handle = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &LATENCY_BUCKETS)
                .and_then(PrometheusBuilder::install_recorder)
                .map_err(|error| MetricsError(error.to_string()))?;
            describe();
            Ok(handle)
        })
        .clone()
}

/// Whether [`install_prometheus`] (or [`render_prometheus`]) installed the recorder:
/// front-ends skip work done only for metrics (counting a response's tokens) until then.
pub fn prometheus_installed() -> bool {
    PROMETHEUS.get().is_some_and(Result::is_ok)
}

/// The Prometheus exposition text of every metric recorded so far (this module's and any
/// other recorded through the facade), installing the recorder on first use. Append it
/// to a service's `/metrics` response.
///
/// ```
/// let counter = toon_tokens::TokenCounter::default();
/// toon_tokens::metrics::install_prometheus().unwrap();
/// counter.count("Hello, world!");
/// let text = toon_tokens::metrics::render_prometheus().unwrap();
/// assert!(text.contains("toon_tokens_counted_total{encoding=\"o200k_base\"} 4"));
/// ```
///
/// # Errors
///
/// When another global recorder was installed first.
pub fn render_prometheus() -> Result<String, MetricsError> {
    let handle = install_prometheus()?;
    set_hit_ratios();
    handle.run_upkeep();
    Ok(handle.render())
}
