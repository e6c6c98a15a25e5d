//! `convert` and `converters` for Python: the standard registry of `toon-convert`
//! (conversions without a direct converter go through TOON). Conversions run with the interpreter released;
//! their errors become `ConvertError` with the line and column in the input.

use std::path::PathBuf;
use std::sync::OnceLock;

use pyo3::exceptions::{PyOSError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyString};
use toon_convert::{ConverterRegistry, Format, Input, StandardOptions, standard_registry};

use crate::parallel;

pyo3::create_exception!(
    _toon,
    ConvertError,
    PyValueError,
    "A failed conversion; has `line`, `column` (1-based, 0 when unknown), `converter`, `source` and `target`."
);

/// The standard registry, with the given parallelism for the PDF converter.
fn registry(
    #[cfg_attr(not(feature = "pdf"), allow(unused_variables))] parallel: bool,
) -> ConverterRegistry {
    #[cfg_attr(not(feature = "pdf"), allow(unused_mut))]
    let mut options = StandardOptions::default();
    #[cfg(feature = "pdf")]
    {
        options.pdf_to_toon.parallel = parallel;
    }
    standard_registry(&options)
}

/// The registry to use now: the parallel one unless rayon's pool is off limits (a
/// forked child of a process that started it).
fn current() -> &'static ConverterRegistry {
    static PARALLEL: OnceLock<ConverterRegistry> = OnceLock::new();
    static SEQUENTIAL: OnceLock<ConverterRegistry> = OnceLock::new();
    if parallel::allowed() {
        PARALLEL.get_or_init(|| registry(true))
    } else {
        SEQUENTIAL.get_or_init(|| registry(false))
    }
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
    /// The format it reads (`"toon"`, `"json"`, `"md"`, `"pdf"`, `"checkpoint"`).
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
    let source = match (source, &data) {
        (Some(name), _) => format(name)?,
        (None, Data::Path(path)) => Format::from_path(path).ok_or_else(|| {
            PyValueError::new_err(format!(
                "cannot tell the format of {}: pass source=",
                path.display()
            ))
        })?,
        (None, _) => {
            return Err(PyValueError::new_err(
                "source= is required unless data_or_path is a path",
            ));
        }
    };
    let registry = current();
    if registry.route(source, target).is_none() {
        return Err(PyValueError::new_err(format!(
            "no converter from {source} to {target} (see toon.converters())"
        )));
    }
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
    let output = result.map_err(|e| {
        let err = ConvertError::new_err(e.to_string());
        let value = err.value(py);
        let (line, column) = e.location().unwrap_or((0, 0));
        // Attributes on a fresh exception instance cannot fail in practice; the message
        // carries the same facts if they did.
        let _ = value.setattr("line", line);
        let _ = value.setattr("column", column);
        // The offending line with a caret, as `ToonDecodeError` has (TOON, JSON, ...).
        let _ = value.setattr("snippet", e.snippet(input_bytes(&data)));
        let _ = value.setattr("converter", e.converter());
        let _ = value.setattr("source", source.name());
        let _ = value.setattr("target", target.name());
        err
    })?;
    Ok(PyString::new(py, &output))
}
