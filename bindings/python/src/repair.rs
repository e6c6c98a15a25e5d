//! `toon.repair`: the TOON of a model's reply, read with every fix reported and a cut-off
//! reply told apart (`toon::repair`; see docs/llm.md). The core decides everything; this
//! module maps its result to Python objects.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};
use toon::RepairOptions;

use crate::{decode_error, decode_options, to_python};

/// One fix: where in the reply (1-based line and column), what was found, what was done.
#[pyclass(frozen, eq, get_all, module = "toon", name = "Repair")]
#[derive(PartialEq)]
pub(crate) struct PyRepair {
    line: usize,
    column: usize,
    found: String,
    done: String,
}

#[pymethods]
impl PyRepair {
    fn __repr__(&self) -> String {
        format!(
            "Repair(line={}, column={}, found={:?}, done={:?})",
            self.line, self.column, self.found, self.done
        )
    }
}

/// Where a cut-off reply stops (1-based line and column), and what is missing
/// (innermost first).
#[pyclass(frozen, eq, get_all, module = "toon", name = "Truncated")]
#[derive(PartialEq)]
pub(crate) struct PyTruncated {
    line: usize,
    column: usize,
    missing: Vec<String>,
}

#[pymethods]
impl PyTruncated {
    fn __repr__(&self) -> String {
        format!(
            "Truncated(line={}, column={}, missing={:?})",
            self.line, self.column, self.missing
        )
    }
}

/// What `toon.repair` recovered: `value` (the part that arrived when `truncated` is
/// set), `repairs` and `truncated` (`None` for a whole reply), `found_in`.
#[pyclass(frozen, module = "toon", name = "Repaired")]
pub(crate) struct PyRepaired {
    #[pyo3(get)]
    value: Py<PyAny>,
    #[pyo3(get)]
    repairs: Vec<Py<PyRepair>>,
    #[pyo3(get)]
    truncated: Option<Py<PyTruncated>>,
    /// `"fence"`, `"unlabeled_fence"` or `"reply"`.
    #[pyo3(get)]
    found_in: &'static str,
}

#[pymethods]
impl PyRepaired {
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Repaired(value={}, repairs={}, truncated={}, found_in={:?})",
            self.value.bind(py).repr()?,
            self.repairs.len(),
            match &self.truncated {
                Some(t) => t.get().__repr__(),
                None => "None".to_owned(),
            },
            self.found_in
        ))
    }
}

/// Reads the TOON of a model's reply (`str` or UTF-8 `bytes`): from a ```toon fence, an
/// unlabeled fence that decodes, or the reply without its prose; fixes what needs no
/// guess and reports each fix. `fence=n` reads the n-th fence (0-based). Raises
/// `ToonDecodeError` (positions in the reply) for what cannot be read without a guess.
#[pyfunction]
#[pyo3(signature = (reply, *, indent = 2, fence = None))]
pub(crate) fn repair(
    py: Python<'_>,
    reply: &Bound<'_, PyAny>,
    indent: usize,
    fence: Option<usize>,
) -> PyResult<PyRepaired> {
    let options = RepairOptions::new()
        .with_decode(decode_options(true, indent)?)
        .with_fence(fence);
    let repaired = if let Ok(s) = reply.cast::<PyString>() {
        let s = s.to_str()?;
        py.detach(|| toon::repair(s, &options))
            .map_err(|e| decode_error(py, &e))?
    } else if let Ok(b) = reply.cast::<PyBytes>() {
        let bytes = b.as_bytes();
        py.detach(|| toon::repair_slice(bytes, &options))
            .map_err(|e| decode_error(py, &e))?
    } else {
        return Err(PyTypeError::new_err(format!(
            "repair() expects str or bytes, not {}",
            reply.get_type().name()?
        )));
    };
    to_repaired(py, repaired)
}

/// The Python form of what the core recovered.
pub(crate) fn to_repaired(py: Python<'_>, repaired: toon::Repaired<'_>) -> PyResult<PyRepaired> {
    let value = to_python::build(py, &repaired.value)?.unbind();
    to_repaired_with(py, repaired, value)
}

/// The Python form of what the core recovered, with the value already built.
pub(crate) fn to_repaired_with(
    py: Python<'_>,
    repaired: toon::Repaired<'_>,
    value: Py<PyAny>,
) -> PyResult<PyRepaired> {
    let found_in = repaired.found_in.as_str();
    Ok(PyRepaired {
        value,
        repairs: repaired
            .repairs
            .into_iter()
            .map(|r| {
                let fix = PyRepair {
                    line: r.line,
                    column: r.column,
                    found: r.found,
                    done: r.done,
                };
                Py::new(py, fix)
            })
            .collect::<PyResult<_>>()?,
        truncated: repaired
            .truncated
            .map(|t| {
                let cut = PyTruncated {
                    line: t.line,
                    column: t.column,
                    missing: t.missing,
                };
                Py::new(py, cut)
            })
            .transpose()?,
        found_in,
    })
}
