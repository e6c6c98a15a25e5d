//! `metricsText`: the Prometheus text of the Rust metrics (token counts, cache hits and
//! misses, tokens saved, conversions and their latency), rendered by `toon_tokens`.

use napi::{Error, Result};
use napi_derive::napi;

/// Installs the Prometheus recorder (once per process): counts and conversions are
/// recorded from then on. `metricsText` installs it too.
#[napi]
pub fn install_metrics() -> Result<()> {
    toon_tokens::metrics::install_prometheus()
        .map(drop)
        .map_err(|e| Error::from_reason(e.to_string()))
}

/// The Prometheus exposition text of every metric recorded since the recorder was
/// installed (on the first call of this function or of `installMetrics`).
#[napi]
pub fn metrics_text() -> Result<String> {
    toon_tokens::render_prometheus().map_err(|e| Error::from_reason(e.to_string()))
}
