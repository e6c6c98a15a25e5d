//! `toon::Value` → Python objects: `dict` (insertion order kept), `list`, `str`, `int`,
//! `float`, `bool`, `None`. Repeated keys (table columns) reuse one `str` object. The
//! decoder runs with `with_big_integers`, so an integer literal of any size is an exact
//! `int`, as `json.loads` reads it.

use std::collections::HashMap;

use pyo3::IntoPyObjectExt;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFloat, PyInt, PyList, PyString};
use toon::Value;

/// Keys up to this length are cached per call, so a 1,000-row table makes each column
/// name once.
const CACHED_KEY_LEN: usize = 64;

/// The key cache: key text → its `str` object. Keys are short, so a fast hash; randomly
/// seeded, because documents may come from untrusted request bodies.
type Keys<'py, 'v> = HashMap<&'v str, Bound<'py, PyString>, foldhash::fast::RandomState>;

/// Builds the Python object for `value`.
pub(crate) fn build<'py>(py: Python<'py>, value: &Value<'_>) -> PyResult<Bound<'py, PyAny>> {
    let mut keys = Keys::default();
    object(py, value, &mut keys)
}

fn object<'py, 'v>(
    py: Python<'py>,
    value: &'v Value<'_>,
    keys: &mut Keys<'py, 'v>,
) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_bound_py_any(py)?,
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_bound_py_any(py)?
            } else if let Some(u) = n.as_u64() {
                u.into_bound_py_any(py)?
            } else if let Some(digits) = n.as_big_integer() {
                py.get_type::<PyInt>().call1((digits,))?
            } else {
                PyFloat::new(py, n.as_f64()).into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let mut objects = Vec::with_capacity(items.len());
            for item in items {
                objects.push(object(py, item, keys)?);
            }
            PyList::new(py, objects)?.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (key, value) in map.iter() {
                let key_object = if key.len() <= CACHED_KEY_LEN {
                    keys.entry(key)
                        .or_insert_with(|| PyString::new(py, key))
                        .clone()
                } else {
                    PyString::new(py, key)
                };
                dict.set_item(key_object, object(py, value, keys)?)?;
            }
            dict.into_any()
        }
    })
}
