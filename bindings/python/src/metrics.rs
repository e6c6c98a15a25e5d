//! Metrics for Python: the Prometheus text of the Rust recorder (`toon_tokens::metrics`,
//! which also receives the conversion metrics of `toon-convert`), and the counting of
//! response bodies that `toon.fastapi` sends. No counter lives in Python.

use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};
use toon_tokens::{BodyFormat, Encoding, TokenCounter};

fn metrics_error(error: toon_tokens::MetricsError) -> PyErr {
    PyRuntimeError::new_err(error.to_string())
}

/// Installs the Prometheus recorder (once per process): counts, conversions and
/// responses are recorded from then on. `metrics_text` installs it too.
#[pyfunction]
pub(crate) fn install_metrics() -> PyResult<()> {
    toon_tokens::metrics::install_prometheus()
        .map(drop)
        .map_err(metrics_error)
}

/// The Prometheus exposition text of every metric recorded since the recorder was
/// installed (on the first call of this function or of `install_metrics`).
#[pyfunction]
pub(crate) fn metrics_text(py: Python<'_>) -> PyResult<String> {
    py.detach(toon_tokens::render_prometheus)
        .map_err(metrics_error)
}

/// Counts a response body sent to a client (`media_type` `text/toon` or
/// `application/json`) in the response metrics, and returns its tokens; `None`, counting
/// nothing, until the recorder is installed (no cost for services without metrics). A
/// TOON body is also compared with the compact JSON of the same data, for
/// `toon_tokens_saved_total`.
#[pyfunction]
#[pyo3(signature = (body, media_type, *, encoding = "o200k_base"))]
pub(crate) fn record_response(
    py: Python<'_>,
    body: &Bound<'_, PyAny>,
    media_type: &str,
    encoding: &str,
) -> PyResult<Option<usize>> {
    let format = match media_type {
        "text/toon" => BodyFormat::Toon,
        "application/json" => BodyFormat::Json,
        _ => {
            return Err(PyValueError::new_err(format!(
                "media_type must be 'text/toon' or 'application/json', not {media_type:?}"
            )));
        }
    };
    let encoding: Encoding = crate::tokens::encoding(encoding)?;
    let body = if let Ok(s) = body.cast::<PyString>() {
        s.to_str()?
    } else if let Ok(b) = body.cast::<PyBytes>() {
        std::str::from_utf8(b.as_bytes())
            .map_err(|e| PyValueError::new_err(format!("the body is not UTF-8: {e}")))?
    } else {
        return Err(PyTypeError::new_err(format!(
            "record_response() expects str or bytes, not {}",
            body.get_type().name()?
        )));
    };
    if !toon_tokens::metrics::prometheus_installed() {
        return Ok(None);
    }
    let counter = TokenCounter::shared(encoding);
    Ok(Some(py.detach(|| {
        // The JSON a TOON body replaces; a body that is not valid TOON saves nothing.
        let json = match format {
            BodyFormat::Toon => toon_to_json::convert(body, &Default::default()).ok(),
            BodyFormat::Json => None,
        };
        let json = json.as_deref().map(|json| json.trim_end_matches('\n'));
        counter.count_response(format, body, json)
    })))
}
