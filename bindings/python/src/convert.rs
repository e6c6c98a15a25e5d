//! `convert` and `converters` for Python: the standard registry of `toon-convert`
//! (conversions without a direct converter go through TOON). Conversions run with the interpreter released;
//! their errors become `ConvertError` with the line and column in the input.

use std::path::PathBuf;
use std::sync::{Arc, PoisonError, RwLock};

use pyo3::exceptions::{PyOSError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::types::{PyByteArray, PyBytes, PyString};
use toon_convert::{ConverterRegistry, Format, Input, StandardOptions, standard_registry};
use toon_tokens::RedisTier;

use crate::{aio, parallel};

pyo3::create_exception!(
    _toon,
    ConvertError,
    PyValueError,
    "A failed conversion; has `line`, `column` (1-based, 0 when unknown), `converter`, `source` and `target`."
);

/// The cache of the process-wide registries, as `configure_conversion_cache` set it
/// (none until then).
#[derive(Default, Clone)]
struct CacheSettings {
    bytes: Option<u64>,
    redis: Option<Arc<RedisTier>>,
}

/// The settings, and the registries built with them.
struct Registries {
    settings: Option<CacheSettings>,
    /// `[parallel, sequential]`, built on first use. Registries are leaked, so a
    /// conversion running while the settings change keeps its own; only
    /// `configure_conversion_cache` makes new ones (a few, once, at start-up).
    built: [Option<&'static ConverterRegistry>; 2],
}

static REGISTRIES: RwLock<Registries> = RwLock::new(Registries {
    settings: None,
    built: [None, None],
});

/// The standard registry, with the given parallelism for the PDF converter and `cache`.
fn registry(
    #[cfg_attr(not(feature = "pdf"), allow(unused_variables))] parallel: bool,
    cache: &CacheSettings,
) -> ConverterRegistry {
    let mut options = StandardOptions::default();
    #[cfg(feature = "pdf")]
    {
        options.pdf_to_toon.parallel = parallel;
    }
    options.cache_bytes = cache.bytes;
    options.redis = cache.redis.clone();
    standard_registry(&options)
}

/// The registry to use now: the parallel one unless rayon's pool is off limits (a
/// forked child of a process that started it).
fn current() -> &'static ConverterRegistry {
    let slot = usize::from(!parallel::allowed());
    let built = REGISTRIES
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .built[slot];
    if let Some(registry) = built {
        return registry;
    }
    let mut registries = REGISTRIES.write().unwrap_or_else(PoisonError::into_inner);
    let settings = registries.settings.clone().unwrap_or_default();
    registries.built[slot]
        .get_or_insert_with(|| Box::leak(Box::new(registry(slot == 0, &settings))))
}

fn format(name: &str) -> PyResult<Format> {
    Format::from_name(name).ok_or_else(|| {
        let known: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
        PyValueError::new_err(format!(
            "unknown format {name:?}: expected one of {}",
            known.join(", ")
        ))
    })
}

/// One available conversion.
#[pyclass(frozen, eq, module = "toon", name = "ConverterInfo")]
#[derive(PartialEq)]
pub(crate) struct ConverterInfo {
    /// The converter's name (`"toon-to-markdown"`).
    #[pyo3(get)]
    name: &'static str,
    /// The format it reads (`"toon"`, `"json"`, `"md"`, `"pdf"`, `"checkpoint"`, `"csv"`,
    /// `"tsv"`, `"parquet"`, `"arrow"`).
    #[pyo3(get)]
    source: &'static str,
    /// The format it writes.
    #[pyo3(get)]
    target: &'static str,
    /// File extensions of the source format (empty for a checkpoint, which is a directory).
    #[pyo3(get)]
    extensions: Vec<&'static str>,
}

#[pymethods]
impl ConverterInfo {
    fn __repr__(&self) -> String {
        format!(
            "ConverterInfo(name='{}', source='{}', target='{}')",
            self.name, self.source, self.target
        )
    }
}

/// The available conversions, in a stable order.
#[pyfunction]
pub(crate) fn converters() -> Vec<ConverterInfo> {
    current()
        .converters()
        .map(|c| ConverterInfo {
            name: c.name(),
            source: c.source().name(),
            target: c.target().name(),
            extensions: c.source().extensions().to_vec(),
        })
        .collect()
}

/// `OSError(errno, strerror, filename)`, which Python turns into the matching subclass
/// (`FileNotFoundError`, `PermissionError`, ...), as `open()` would raise it.
fn os_error(py: Python<'_>, error: &std::io::Error, path: &std::path::Path) -> PyErr {
    let Some(errno) = error.raw_os_error() else {
        return PyErr::from(std::io::Error::new(error.kind(), error.to_string()));
    };
    let strerror = py
        .import("os")
        .and_then(|os| os.call_method1("strerror", (errno,)))
        .and_then(|s| s.extract::<String>())
        .unwrap_or_else(|_| error.to_string());
    PyOSError::new_err((errno, strerror, path.to_string_lossy().into_owned()))
}

/// What `convert` was given: text or bytes borrowed from Python, copied bytes, or a path.
enum Data<'a> {
    Bytes(&'a [u8]),
    Owned(Vec<u8>),
    Path(PathBuf),
}

/// The bytes `convert` was given, when it was given bytes rather than a path.
fn input_bytes<'a>(data: &'a Data<'_>) -> Option<&'a [u8]> {
    match data {
        Data::Bytes(bytes) => Some(bytes),
        Data::Owned(bytes) => Some(bytes),
        Data::Path(_) => None,
    }
}

/// Converts `data_or_path` from `source` to `target` and returns the output text.
///
/// `data_or_path` is the document as `str` or `bytes` (or `bytearray`), or an
/// `os.PathLike` naming a file (or, for a checkpoint, a repository directory). A plain
/// `str` is always the document itself, never a path. `source` may be left out for a
/// path: it is then taken from the extension (a directory is a checkpoint).
#[pyfunction]
#[pyo3(signature = (data_or_path, source = None, target = "toon"))]
pub(crate) fn convert<'py>(
    py: Python<'py>,
    data_or_path: &Bound<'py, PyAny>,
    source: Option<&str>,
    target: &str,
) -> PyResult<Bound<'py, PyString>> {
    let target = format(target)?;
    let data = if let Ok(s) = data_or_path.cast::<PyString>() {
        Data::Bytes(s.to_str()?.as_bytes())
    } else if let Ok(b) = data_or_path.cast::<PyBytes>() {
        Data::Bytes(b.as_bytes())
    } else if let Ok(b) = data_or_path.cast::<PyByteArray>() {
        Data::Owned(b.to_vec())
    } else if let Ok(path) = data_or_path.extract::<PathBuf>() {
        Data::Path(path)
    } else {
        return Err(PyTypeError::new_err(format!(
            "convert() expects str, bytes, bytearray or os.PathLike, not {}",
            data_or_path.get_type().name()?
        )));
    };
    let path = match &data {
        Data::Path(path) => Some(path.as_path()),
        _ => None,
    };
    let source = source_format(source, path, target)?;
    let registry = current();
    if let Data::Path(path) = &data {
        // A missing file is the OS's error (FileNotFoundError and kin), not a conversion's.
        if let Err(e) = std::fs::metadata(path) {
            return Err(os_error(py, &e, path));
        }
    }
    let result = py.detach(|| {
        let input = match &data {
            Data::Bytes(bytes) => Input::Bytes(bytes),
            Data::Owned(bytes) => Input::Bytes(bytes),
            Data::Path(path) => Input::Path(path),
        };
        registry.convert(source, target, input)
    });
    let output = result.map_err(|e| convert_error(py, &e, input_bytes(&data), source, target))?;
    Ok(PyString::new(py, &output))
}

/// The source format: `source` when given, else a path's by its extension; checked to
/// have a route to `target`.
fn source_format(
    source: Option<&str>,
    path: Option<&std::path::Path>,
    target: Format,
) -> PyResult<Format> {
    let source = match (source, path) {
        (Some(name), _) => format(name)?,
        (None, Some(path)) => Format::from_path(path).ok_or_else(|| {
            PyValueError::new_err(format!(
                "cannot tell the format of {}: pass source=",
                path.display()
            ))
        })?,
        (None, None) => {
            return Err(PyValueError::new_err(
                "source= is required unless data_or_path is a path",
            ));
        }
    };
    if let Err(e) = current().require_route(source, target) {
        return Err(PyValueError::new_err(e.to_string()));
    }
    Ok(source)
}

/// `ConvertError` with the failure's location, snippet (from `input`, when the input was
/// bytes) and step.
fn convert_error(
    py: Python<'_>,
    e: &toon_convert::ConvertError,
    input: Option<&[u8]>,
    source: Format,
    target: Format,
) -> PyErr {
    let err = ConvertError::new_err(e.to_string());
    let value = err.value(py);
    let (line, column) = e.location().unwrap_or((0, 0));
    // Attributes on a fresh exception instance cannot fail in practice; the message
    // carries the same facts if they did.
    let _ = value.setattr("line", line);
    let _ = value.setattr("column", column);
    // The offending line with a caret, as `ToonDecodeError` has (TOON, JSON, ...).
    let _ = value.setattr("snippet", e.snippet(input));
    let _ = value.setattr("converter", e.converter());
    let _ = value.setattr("category", e.category().map(toon::Category::as_str));
    let _ = value.setattr("path", e.toon_error().and_then(toon::Error::path));
    let _ = value.setattr("hint", e.toon_error().and_then(toon::Error::hint));
    let _ = value.setattr("expected", e.toon_error().and_then(toon::Error::expected));
    let _ = value.setattr("found", e.toon_error().and_then(toon::Error::found));
    let _ = value.setattr("source", source.name());
    let _ = value.setattr("target", target.name());
    err
}

/// What `convert_async` was given, held (not copied) until the work is done.
enum Held {
    Text(PyBackedStr),
    Bytes(PyBackedBytes),
    Path(PathBuf),
}

impl Held {
    /// The bytes given, when bytes rather than a path were given.
    fn bytes(&self) -> Option<&[u8]> {
        match self {
            Held::Text(text) => Some(text.as_bytes()),
            Held::Bytes(bytes) => Some(bytes),
            Held::Path(_) => None,
        }
    }
}

/// How `convert_async`'s work failed.
enum Failure {
    /// The file could not be read (missing, not allowed...).
    Io(std::io::Error),
    Convert(toon_convert::ConvertError),
}

/// `convert` off the event loop: a coroutine resolving to the output text. Argument
/// errors raise at the call; a missing file and a failed conversion at the `await`.
#[pyfunction]
#[pyo3(signature = (data_or_path, source = None, target = "toon"))]
pub(crate) fn convert_async<'py>(
    py: Python<'py>,
    data_or_path: &Bound<'py, PyAny>,
    source: Option<&str>,
    target: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let target = format(target)?;
    let data = if let Ok(s) = data_or_path.cast::<PyString>() {
        Held::Text(s.clone().try_into()?)
    } else if let Ok(b) = data_or_path.cast::<PyBytes>() {
        Held::Bytes(b.clone().into())
    } else if let Ok(b) = data_or_path.cast::<PyByteArray>() {
        Held::Bytes(b.clone().into())
    } else if let Ok(path) = data_or_path.extract::<PathBuf>() {
        Held::Path(path)
    } else {
        return Err(PyTypeError::new_err(format!(
            "convert_async() expects str, bytes, bytearray or os.PathLike, not {}",
            data_or_path.get_type().name()?
        )));
    };
    let path = match &data {
        Held::Path(path) => Some(path.as_path()),
        _ => None,
    };
    let source = source_format(source, path, target)?;
    let registry = current();
    let work = move || {
        let input = match &data {
            Held::Path(path) => {
                // A missing file is the OS's error, as in `convert`.
                if let Err(e) = std::fs::metadata(path) {
                    return (data, Err(Failure::Io(e)));
                }
                Input::Path(path)
            }
            held => Input::Bytes(held.bytes().unwrap_or_default()),
        };
        let output = registry.convert(source, target, input);
        (data, output.map_err(Failure::Convert))
    };
    aio::spawn(
        py,
        "convert_async",
        work,
        move |py, (data, output)| match (output, &data) {
            (Ok(text), _) => Ok(PyString::new(py, &text).into_any().unbind()),
            (Err(Failure::Io(e)), Held::Path(path)) => Err(os_error(py, &e, path)),
            (Err(Failure::Io(e)), _) => Err(PyErr::from(e)),
            (Err(Failure::Convert(e)), data) => {
                Err(convert_error(py, &e, data.bytes(), source, target))
            }
        },
    )
}

/// Gives `convert` (and `convert_async`) an output cache of `max_bytes` bytes (`None`:
/// no local cache) and, with `redis` (a URL or a `RedisTier`), a Redis tier below it
/// shared with other processes (keys `toon:conv:v1:<hash>`). Replaces the previous
/// settings; conversions already running finish with them.
#[pyfunction]
#[pyo3(signature = (*, max_bytes = Some(64 << 20), redis = None))]
pub(crate) fn configure_conversion_cache(
    max_bytes: Option<u64>,
    redis: Option<&Bound<'_, PyAny>>,
) -> PyResult<()> {
    let redis = redis.map(crate::tokens::redis_tier).transpose()?;
    *REGISTRIES.write().unwrap_or_else(PoisonError::into_inner) = Registries {
        settings: Some(CacheSettings {
            bytes: max_bytes,
            redis,
        }),
        built: [None, None],
    };
    Ok(())
}

/// The counters of the conversion cache at one moment.
#[pyclass(frozen, module = "toon", name = "ConversionCacheStats")]
pub(crate) struct ConversionCacheStats {
    /// Lookups the local cache answered with an output.
    #[pyo3(get)]
    hits: u64,
    /// Lookups it could not answer.
    #[pyo3(get)]
    misses: u64,
    /// Hits divided by lookups (0.0 before the first).
    #[pyo3(get)]
    hit_rate: f64,
    /// Outputs held now.
    #[pyo3(get)]
    entries: u64,
    /// Bytes held now.
    #[pyo3(get)]
    bytes: u64,
    /// The byte bound.
    #[pyo3(get)]
    capacity_bytes: u64,
    /// The Redis tier's counters, when there is one.
    #[pyo3(get)]
    redis: Option<Py<crate::tokens::PyRedisStats>>,
}

#[pymethods]
impl ConversionCacheStats {
    fn __repr__(&self) -> String {
        format!(
            "ConversionCacheStats(hits={}, misses={}, entries={}, bytes={}, redis={})",
            self.hits,
            self.misses,
            self.entries,
            self.bytes,
            if self.redis.is_some() { "..." } else { "None" }
        )
    }
}

/// The conversion cache's counters (of the registry `convert` uses now).
#[pyfunction]
pub(crate) fn conversion_cache_stats(py: Python<'_>) -> PyResult<ConversionCacheStats> {
    let registry = current();
    let local = registry.cache_stats().unwrap_or_default();
    let redis = registry
        .redis()
        .map(|tier| Py::new(py, crate::tokens::PyRedisStats::of(tier)))
        .transpose()?;
    Ok(ConversionCacheStats {
        hits: local.hits,
        misses: local.misses,
        hit_rate: local.hit_rate(),
        entries: local.entries,
        bytes: local.bytes,
        capacity_bytes: local.capacity_bytes,
        redis,
    })
}
