//! `toon.encode` of tables that speak the Arrow PyCapsule interface
//! (`__arrow_c_stream__`: pyarrow tables and batches, polars and pandas ≥ 2.2 data
//! frames, DuckDB results): the batches arrive through the Arrow C stream interface and
//! are written column by column by `table-to-toon`, with the interpreter released,
//! instead of being turned into one Python object per cell first. And the way back:
//! a TOON table decoded into an Arrow stream (`toon.decode(text, as_="arrow")`).

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyDict, PyList, PyString};
use pyo3_arrow::PyRecordBatchReader;
use table_to_toon::ArrowTable;
use toon::EncodeOptions;

/// The Arrow table behind `obj`, when it offers an Arrow C stream; `None` for anything
/// else (dicts, lists and strings are not asked).
pub(crate) fn table(obj: &Bound<'_, PyAny>) -> PyResult<Option<ArrowTable>> {
    if obj.is_instance_of::<PyDict>()
        || obj.is_instance_of::<PyList>()
        || obj.is_instance_of::<PyString>()
    {
        return Ok(None);
    }
    let py = obj.py();
    let Ok(export) = obj.getattr(intern!(py, "__arrow_c_stream__")) else {
        return Ok(None);
    };
    let capsule = export.call0()?.cast_into::<PyCapsule>()?;
    let reader = PyRecordBatchReader::from_arrow_pycapsule(&capsule)?.into_reader()?;
    let schema = reader.schema();
    let batches = py
        .detach(|| reader.collect::<Result<Vec<_>, _>>())
        .map_err(|e| PyTypeError::new_err(format!("cannot read the Arrow stream: {e}")))?;
    Ok(Some(ArrowTable::new(schema, batches)))
}

/// The TOON text of an Arrow table (the interpreter released while it is written).
pub(crate) fn encode(
    py: Python<'_>,
    table: &ArrowTable,
    options: &EncodeOptions,
) -> PyResult<String> {
    py.detach(|| table.encode(options))
        .map_err(|error| match error {
            table_to_toon::Error::Toon(error) => crate::encode_error(&error),
            other => PyTypeError::new_err(other.to_string()),
        })
}

/// Decodes a TOON table into an Arrow C stream (a `RecordBatchReader` that pyarrow,
/// polars and pandas read through `__arrow_c_stream__`): column types inferred from the
/// values; a value that is not an array of objects, or a column mixing kinds of values,
/// is a `ValueError`.
#[pyfunction]
#[pyo3(signature = (text, *, strict = true, indent = 2))]
pub(crate) fn decode_arrow<'py>(
    py: Python<'py>,
    text: &Bound<'py, PyAny>,
    strict: bool,
    indent: usize,
) -> PyResult<Bound<'py, PyAny>> {
    let options = crate::decode_options(strict, indent)?;
    crate::decode_with(py, text, &options, |value| {
        let table = py
            .detach(|| ArrowTable::from_value(value))
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        let schema = table.schema().clone();
        let batches = table.batches().to_vec().into_iter().map(Ok);
        let reader = arrow_array::RecordBatchIterator::new(batches, schema);
        Ok(Bound::new(py, PyRecordBatchReader::new(Box::new(reader)))?.into_any())
    })
}
