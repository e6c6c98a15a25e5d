//! The native module `toon._toon`: conversion glue between Python objects and the
//! `toon` crate. The public API is the pure-Python package `toon` that wraps it.

mod aio;
#[cfg(feature = "columnar")]
mod arrow;
mod chunks;
mod convert;
mod from_python;
mod metrics;
mod parallel;
mod prompt;
mod repair;
mod to_python;
mod tokens;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};
use toon::{Category, DecodeOptions, Delimiter, EncodeOptions};

pyo3::create_exception!(
    _toon,
    ToonDecodeError,
    PyValueError,
    "Invalid TOON text; has `line`, `column` (1-based, 0 when unknown), `snippet`, `category`, `path`, `hint`, `expected` and `found`."
);

/// Converts a decode error into `ToonDecodeError` with its location attributes.
fn decode_error(py: Python<'_>, error: &toon::Error) -> PyErr {
    let err = ToonDecodeError::new_err(error.to_string());
    let value = err.value(py);
    // Setting attributes on a fresh exception instance cannot fail in practice; if it
    // did, the message still carries the location.
    let _ = value.setattr("line", error.line());
    let _ = value.setattr("column", error.column());
    let _ = value.setattr("snippet", error.snippet());
    let _ = value.setattr("category", error.category().as_str());
    let _ = value.setattr("path", error.path());
    let _ = value.setattr("hint", error.hint());
    let _ = value.setattr("expected", error.expected());
    let _ = value.setattr("found", error.found());
    err
}

/// Maps an encoder error: bad options are `ValueError`, too-deep input `ValueError`.
pub(crate) fn encode_error(error: &toon::Error) -> PyErr {
    match error.category() {
        Category::Options | Category::Limit => PyValueError::new_err(error.to_string()),
        _ => PyTypeError::new_err(error.to_string()),
    }
}

pub(crate) fn delimiter(text: &str) -> PyResult<Delimiter> {
    text.parse()
        .map_err(|e: toon::Error| PyValueError::new_err(e.to_string()))
}

/// The options of `encode`, `encode_bytes` and `encode_async`.
pub(crate) fn encode_options(delimiter: &str, indent: usize) -> PyResult<EncodeOptions> {
    if indent == 0 {
        return Err(PyValueError::new_err("indent must be at least 1"));
    }
    Ok(EncodeOptions::new()
        .with_indent(indent)
        .with_delimiter(self::delimiter(delimiter)?))
}

/// The TOON text of a Python object. The text is written while the objects are walked
/// (no intermediate tree), so the interpreter stays attached throughout: the walk reads
/// Python objects. A table with an Arrow C stream is written from its columns instead.
pub(crate) fn encode_text(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    options: &EncodeOptions,
    default: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    #[cfg(feature = "columnar")]
    if let Some(table) = arrow::table(obj)? {
        return arrow::encode(py, &table, options);
    }
    let walk = from_python::Walk::new(py, default);
    toon::to_string_with_options(&walk.value(obj), options)
        .map_err(|e| walk.error(|| encode_error(&e)))
}

/// Encodes a Python object as TOON text.
#[pyfunction]
#[pyo3(signature = (obj, *, delimiter = ",", indent = 2, default = None))]
fn encode<'py>(
    py: Python<'py>,
    obj: &Bound<'py, PyAny>,
    delimiter: &str,
    indent: usize,
    default: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyString>> {
    let options = encode_options(delimiter, indent)?;
    let text = encode_text(py, obj, &options, default.as_ref())?;
    Ok(PyString::new(py, &text))
}

/// Encodes a Python object as TOON, returned as UTF-8 `bytes` (what an HTTP body needs;
/// no `str` is built).
#[pyfunction]
#[pyo3(signature = (obj, *, delimiter = ",", indent = 2, default = None))]
fn encode_bytes<'py>(
    py: Python<'py>,
    obj: &Bound<'py, PyAny>,
    delimiter: &str,
    indent: usize,
    default: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyBytes>> {
    let options = encode_options(delimiter, indent)?;
    let text = encode_text(py, obj, &options, default.as_ref())?;
    Ok(PyBytes::new(py, text.as_bytes()))
}

/// The options of `decode` and `decode_async`: integer literals of any size are exact
/// `int`s, as `json.loads` reads them.
pub(crate) fn decode_options(strict: bool, indent: usize) -> PyResult<DecodeOptions> {
    if indent == 0 {
        return Err(PyValueError::new_err("indent must be at least 1"));
    }
    Ok(DecodeOptions::new()
        .with_indent(indent)
        .with_strict(strict)
        .with_big_integers(true))
}

/// Decodes TOON text (`str`, or UTF-8 `bytes`) into Python objects.
#[pyfunction]
#[pyo3(signature = (text, *, strict = true, indent = 2))]
fn decode<'py>(
    py: Python<'py>,
    text: &Bound<'py, PyAny>,
    strict: bool,
    indent: usize,
) -> PyResult<Bound<'py, PyAny>> {
    let options = decode_options(strict, indent)?;
    let attached = if let Ok(s) = text.cast::<PyString>() {
        Some(s.to_str()?)
    } else if let Ok(b) = text.cast::<PyBytes>() {
        // Ill-formed UTF-8 takes the detached path, whose error says where.
        std::str::from_utf8(b.as_bytes()).ok()
    } else {
        None
    };
    match attached {
        Some(text) if text.len() <= ATTACHED_DECODE_MAX => {
            to_python::decode(py, text, &options).unwrap_or_else(|e| Err(decode_error(py, &e)))
        }
        _ => decode_with(py, text, &options, |value| to_python::build(py, value)),
    }
}

/// Texts up to this size are decoded with the interpreter attached, the Python objects
/// built from the decoder's events as they arrive (no `toon::Value`: 3-15 % faster on
/// the benchmark corpora); larger ones are parsed detached into a `Value` first, so that
/// other threads run during the parse. Below a MiB the parse takes a few milliseconds at
/// most, and `json.loads` holds the interpreter for any size.
const ATTACHED_DECODE_MAX: usize = 1 << 20;

/// Decodes `text` (`str` or UTF-8 `bytes`, borrowed, parsed with the interpreter
/// released) and hands the value to `build`; a decode error is `ToonDecodeError`.
pub(crate) fn decode_with<'py>(
    py: Python<'py>,
    text: &Bound<'py, PyAny>,
    options: &DecodeOptions,
    build: impl FnOnce(&toon::Value<'_>) -> PyResult<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let decoded = if let Ok(s) = text.cast::<PyString>() {
        let s = s.to_str()?;
        py.detach(|| toon::decode(s, options)).map(|v| build(&v))
    } else if let Ok(b) = text.cast::<PyBytes>() {
        let bytes = b.as_bytes();
        py.detach(|| toon::decode_slice(bytes, options))
            .map(|v| build(&v))
    } else {
        return Err(PyTypeError::new_err(format!(
            "decode() expects str or bytes, not {}",
            text.get_type().name()?
        )));
    };
    match decoded {
        Ok(object) => object,
        Err(e) => Err(decode_error(py, &e)),
    }
}

/// The native module.
#[pymodule(gil_used = false)]
fn _toon(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(encode, m)?)?;
    m.add_function(wrap_pyfunction!(encode_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(decode, m)?)?;
    #[cfg(feature = "columnar")]
    m.add_function(wrap_pyfunction!(arrow::decode_arrow, m)?)?;
    m.add("ToonDecodeError", m.py().get_type::<ToonDecodeError>())?;
    m.add_function(wrap_pyfunction!(tokens::count_tokens, m)?)?;
    m.add_function(wrap_pyfunction!(tokens::savings, m)?)?;
    m.add_class::<tokens::PyTokenCounter>()?;
    m.add_class::<tokens::PyCacheStats>()?;
    m.add_class::<tokens::PySavings>()?;
    m.add_function(wrap_pyfunction!(convert::convert, m)?)?;
    m.add_function(wrap_pyfunction!(convert::converters, m)?)?;
    m.add_function(wrap_pyfunction!(aio::encode_async, m)?)?;
    m.add_function(wrap_pyfunction!(aio::decode_async, m)?)?;
    m.add_function(wrap_pyfunction!(tokens::count_tokens_async, m)?)?;
    m.add_function(wrap_pyfunction!(convert::convert_async, m)?)?;
    m.add_class::<convert::ConverterInfo>()?;
    m.add("ConvertError", m.py().get_type::<convert::ConvertError>())?;
    m.add_class::<tokens::PyRedisTier>()?;
    m.add_class::<tokens::PyRedisStats>()?;
    m.add_function(wrap_pyfunction!(convert::configure_conversion_cache, m)?)?;
    m.add_function(wrap_pyfunction!(convert::conversion_cache_stats, m)?)?;
    m.add_class::<convert::ConversionCacheStats>()?;
    m.add_function(wrap_pyfunction!(metrics::install_metrics, m)?)?;
    m.add_function(wrap_pyfunction!(metrics::metrics_text, m)?)?;
    m.add_function(wrap_pyfunction!(metrics::record_response, m)?)?;
    m.add_function(wrap_pyfunction!(repair::repair, m)?)?;
    m.add_class::<repair::PyRepaired>()?;
    m.add_class::<repair::PyRepair>()?;
    m.add_class::<repair::PyTruncated>()?;
    m.add_class::<chunks::PyChunkDecoder>()?;
    m.add_class::<chunks::PyPart>()?;
    m.add_function(wrap_pyfunction!(prompt::encode_auto, m)?)?;
    m.add_function(wrap_pyfunction!(prompt::encode_sections, m)?)?;
    m.add_function(wrap_pyfunction!(prompt::fit_to_budget, m)?)?;
    m.add_class::<prompt::PyTemplate>()?;
    m.add_class::<prompt::PyChoice>()?;
    m.add_class::<prompt::PyCandidate>()?;
    m.add_class::<prompt::PyFitted>()?;
    m.add_class::<prompt::PyCut>()?;
    m.add_class::<prompt::PyViolation>()?;
    m.add(
        "ToonBudgetError",
        m.py().get_type::<prompt::ToonBudgetError>(),
    )?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
