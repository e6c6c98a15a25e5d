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
//!
//! [`savings`]: super::TokenCounter::savings

use std::cell::RefCell;
use std::fmt;
use std::sync::OnceLock;

use metrics::{Counter, Unit, counter, describe_counter};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

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
    counted: [Counter; 2],
    hits: [Counter; 2],
    misses: [Counter; 2],
    evictions: Counter,
    saved: [Counter; 2],
}

impl Handles {
    fn register() -> Handles {
        Handles {
            recorder: recorder_address(),
            counted: [
                counter!(TOKENS_COUNTED, "encoding" => "o200k_base"),
                counter!(TOKENS_COUNTED, "encoding" => "cl100k_base"),
            ],
            hits: [
                counter!(CACHE_HITS, "tier" => "local"),
                counter!(CACHE_HITS, "tier" => "redis"),
            ],
            misses: [
                counter!(CACHE_MISSES, "tier" => "local"),
                counter!(CACHE_MISSES, "tier" => "redis"),
            ],
            evictions: counter!(CACHE_EVICTIONS),
            saved: [
                counter!(TOKENS_SAVED, "encoding" => "o200k_base"),
                counter!(TOKENS_SAVED, "encoding" => "cl100k_base"),
            ],
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

fn encoding_index(encoding: Encoding) -> usize {
    match encoding {
        Encoding::O200kBase => 0,
        Encoding::Cl100kBase => 1,
    }
}

fn tier_index(tier: Tier) -> usize {
    match tier {
        Tier::Local => 0,
        Tier::Redis => 1,
    }
}

#[inline]
pub(crate) fn tokens_counted(encoding: Encoding, tokens: usize) {
    with_handles(|handles| handles.counted[encoding_index(encoding)].increment(tokens as u64));
}

/// A count served by or computed below the local tier: the lookup's outcome and the
/// tokens, in one visit to the handles.
#[inline]
pub(crate) fn counted_after_lookup(encoding: Encoding, tokens: usize, hit: bool) {
    with_handles(|handles| {
        let outcome = if hit { &handles.hits } else { &handles.misses };
        outcome[tier_index(Tier::Local)].increment(1);
        handles.counted[encoding_index(encoding)].increment(tokens as u64);
    });
}

#[cfg(feature = "redis")]
#[inline]
pub(crate) fn cache_hit(tier: Tier) {
    with_handles(|handles| handles.hits[tier_index(tier)].increment(1));
}

#[cfg(feature = "redis")]
#[inline]
pub(crate) fn cache_miss(tier: Tier) {
    with_handles(|handles| handles.misses[tier_index(tier)].increment(1));
}

#[inline]
pub(crate) fn cache_evicted() {
    with_handles(|handles| handles.evictions.increment(1));
}

#[inline]
pub(crate) fn tokens_saved(encoding: Encoding, tokens: u64) {
    with_handles(|handles| handles.saved[encoding_index(encoding)].increment(tokens));
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
                .install_recorder()
                .map_err(|error| MetricsError(error.to_string()))?;
            describe();
            Ok(handle)
        })
        .clone()
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
    handle.run_upkeep();
    Ok(handle.render())
}
