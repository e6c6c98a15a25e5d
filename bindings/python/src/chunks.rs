//! `toon.ChunkDecoder`, under `toon.stream_rows`: TOON fed in chunks of any size
//! (`toon::ChunkDecoder`), each finished row or field handed back as a `Part` as soon as
//! its line ends. The core decides everything; this module maps parts and results to
//! Python objects.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyString};

use std::collections::HashMap;

use pyo3::types::{PyDict, PyList};

use crate::repair::{PyRepaired, to_repaired_with};
use crate::{decode_error, decode_options, to_python};

/// A finished part of the document: an element of an array (`index` set) or a
/// primitive field of an object (`key` set), reached from the root through objects
/// only. `path` is the whole path (`users[3]`), `parent` the container's (`users`).
#[pyclass(frozen, get_all, module = "toon", name = "Part")]
pub(crate) struct PyPart {
    path: String,
    parent: String,
    index: Option<usize>,
    key: Option<String>,
    value: Py<PyAny>,
}

#[pymethods]
impl PyPart {
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Part(path={:?}, value={})",
            self.path,
            self.value.bind(py).repr()?
        ))
    }
}

/// Decodes TOON fed in chunks (`str`, or `bytes` split anywhere, even inside a
/// character). `feed` returns the parts its complete lines finish; `finish` the last
/// parts and a `Repaired` (the value; `truncated` when the text ended early; with
/// `repair=True`, every fix). Raises `ToonDecodeError` at the first error; the decoder
/// then reads nothing more.
#[pyclass(module = "toon", name = "ChunkDecoder")]
pub(crate) struct PyChunkDecoder {
    decoder: Option<toon::ChunkDecoder>,
    /// With `keep_rows`, the rows handed out, by the path of their array: the core
    /// keeps none, and the final value is assembled from these same objects rather
    /// than converting every row a second time.
    rows: Option<HashMap<String, Vec<Py<PyAny>>>>,
}

#[pymethods]
impl PyChunkDecoder {
    #[new]
    #[pyo3(signature = (*, indent = 2, strict = true, repair = false, keep_rows = true))]
    fn new(indent: usize, strict: bool, repair: bool, keep_rows: bool) -> PyResult<Self> {
        let options = decode_options(strict, indent)?;
        let decoder = if repair {
            toon::ChunkDecoder::repairing(&options)
        } else {
            toon::ChunkDecoder::new(&options)
        }
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
        Ok(PyChunkDecoder {
            decoder: Some(decoder.keep_rows(false)),
            rows: keep_rows.then(HashMap::new),
        })
    }

    /// Reads a chunk; the parts its complete lines finish.
    fn feed(&mut self, py: Python<'_>, chunk: &Bound<'_, PyAny>) -> PyResult<Vec<PyPart>> {
        let decoder = self.decoder.as_mut().ok_or_else(finished)?;
        let mut parts = Parts::new(py, self.rows.as_mut());
        let fed = if let Ok(text) = chunk.cast::<PyString>() {
            decoder.feed(text.to_str()?.as_bytes(), |part| parts.push(part))
        } else if let Ok(bytes) = chunk.cast::<PyBytes>() {
            decoder.feed(bytes.as_bytes(), |part| parts.push(part))
        } else if let Ok(bytes) = chunk.cast::<PyByteArray>() {
            let bytes = bytes.to_vec();
            decoder.feed(&bytes, |part| parts.push(part))
        } else {
            return Err(PyTypeError::new_err(format!(
                "a chunk must be str, bytes or bytearray, not {}",
                chunk.get_type().name()?
            )));
        };
        fed.map_err(|e| decode_error(py, &e))?;
        parts.done()
    }

    /// Ends the text: the last parts, what was read, and — when the text ended early —
    /// the `ToonDecodeError` (category `truncated`) to raise after the parts, whose
    /// `partial` is the value that arrived and `truncated` what is missing.
    #[allow(clippy::type_complexity)]
    fn finish(
        &mut self,
        py: Python<'_>,
    ) -> PyResult<(Vec<PyPart>, Py<PyRepaired>, Option<Py<PyAny>>)> {
        let decoder = self.decoder.take().ok_or_else(finished)?;
        let mut rows = self.rows.take();
        let mut parts = Parts::new(py, rows.as_mut());
        let end = decoder
            .finish(|part| parts.push(part))
            .map_err(|e| decode_error(py, &e))?;
        let parts = parts.done()?;
        let cut = end.truncated.as_ref().map(toon::Truncated::to_error);
        let value = match &mut rows {
            Some(rows) => assemble(py, &end.value, "", rows)?,
            None => to_python::build(py, &end.value)?,
        };
        let end = Py::new(py, to_repaired_with(py, end, value.unbind())?)?;
        let cut = match cut {
            None => None,
            Some(error) => {
                let error = decode_error(py, &error).into_value(py);
                let repaired = end.bind(py);
                error.setattr(py, "partial", repaired.getattr("value")?)?;
                error.setattr(py, "truncated", repaired.getattr("truncated")?)?;
                Some(error.into_any())
            }
        };
        Ok((parts, end, cut))
    }
}

fn finished() -> PyErr {
    PyValueError::new_err("the decoder has finished")
}

/// The final value: the core's (whose arrays reached through objects hold no rows)
/// with each such array filled with the row objects already handed out.
fn assemble<'py>(
    py: Python<'py>,
    value: &toon::Value<'static>,
    path: &str,
    rows: &mut HashMap<String, Vec<Py<PyAny>>>,
) -> PyResult<Bound<'py, PyAny>> {
    match value {
        toon::Value::Object(map) => {
            let dict = PyDict::new(py);
            for (key, child) in map.iter() {
                let mut child_path = path.to_owned();
                toon::path::push_key(&mut child_path, key);
                dict.set_item(key, assemble(py, child, &child_path, rows)?)?;
            }
            Ok(dict.into_any())
        }
        toon::Value::Array(_) => match rows.remove(path) {
            Some(kept) => Ok(PyList::new(py, kept)?.into_any()),
            None => to_python::build(py, value),
        },
        _ => to_python::build(py, value),
    }
}

/// Collects parts as Python objects (and, with kept rows, each row for the final
/// value); the first conversion error is kept for the end.
struct Parts<'py, 'r> {
    py: Python<'py>,
    parts: Vec<PyPart>,
    rows: Option<&'r mut HashMap<String, Vec<Py<PyAny>>>>,
    error: Option<PyErr>,
}

impl<'py, 'r> Parts<'py, 'r> {
    fn new(py: Python<'py>, rows: Option<&'r mut HashMap<String, Vec<Py<PyAny>>>>) -> Self {
        Parts {
            py,
            parts: Vec::new(),
            rows,
            error: None,
        }
    }

    fn push(&mut self, part: toon::Part<'_>) {
        if self.error.is_some() {
            return;
        }
        match to_python::build(self.py, part.value) {
            Ok(value) => {
                let (index, key) = match part.place {
                    toon::Place::Index(index) => (Some(index), None),
                    toon::Place::Key(key) => (None, Some(key.to_owned())),
                };
                if let (Some(rows), Some(_)) = (self.rows.as_deref_mut(), index) {
                    let kept = rows.entry(part.parent.to_owned()).or_default();
                    kept.push(value.clone().unbind());
                }
                self.parts.push(PyPart {
                    path: part.path(),
                    parent: part.parent.to_owned(),
                    index,
                    key,
                    value: value.unbind(),
                });
            }
            Err(error) => self.error = Some(error),
        }
    }

    fn done(self) -> PyResult<Vec<PyPart>> {
        match self.error {
            Some(error) => Err(error),
            None => Ok(self.parts),
        }
    }
}
