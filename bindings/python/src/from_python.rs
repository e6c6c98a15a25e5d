//! Python objects as a serde `Serialize` value, walked directly with exact-type dispatch
//! (the common types are recognised by their type object before any `isinstance` call).
//! `toon.encode` hands it to `toon::to_string`, which writes TOON as the walk goes (no
//! intermediate tree); `savings` builds a `toon::Value` from it. Normalisation follows the
//! reference: dataclasses and pydantic models become objects, `datetime`/`date`/`time`
//! their ISO text, enums their value, sets/tuples arrays, `Decimal`/`UUID` their text,
//! numpy scalars and arrays their Python values; integers of any size are bare digits, as
//! `json.dumps` writes them. Anything else goes to `default=` or is a `TypeError` naming
//! the type and where it sits (`$.users[3].tags`).
//!
//! A failure is kept in the walk's context (serde's error type cannot carry a Python
//! exception) and the path to it is collected while the error unwinds; the happy path
//! keeps only a depth counter. A walk that hits the depth limit also collects the
//! containers it unwinds through, which tells a cycle from deep data.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::fmt::Write as _;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyDict, PyFloat, PyFrozenSet, PyInt, PyList, PySet, PyString, PyTuple, PyType,
};
use serde_core::ser::{self, Serialize, SerializeMap, SerializeSeq, Serializer};

/// Deepest nesting walked (the encoder's own limit).
const MAX_DEPTH: usize = toon::DEFAULT_MAX_DEPTH;

/// Python types and functions the slow path needs, imported once per interpreter.
struct Known {
    datetime: Py<PyType>,
    date: Py<PyType>,
    time: Py<PyType>,
    enum_type: Py<PyType>,
    decimal: Py<PyType>,
    uuid: Py<PyType>,
    is_dataclass: Py<PyAny>,
    fields: Py<PyAny>,
}

static KNOWN: PyOnceLock<Known> = PyOnceLock::new();

fn known(py: Python<'_>) -> PyResult<&Known> {
    KNOWN.get_or_try_init(py, || {
        let ty = |module: &str, name: &str| -> PyResult<Py<PyType>> {
            Ok(py
                .import(module)?
                .getattr(name)?
                .cast_into::<PyType>()?
                .unbind())
        };
        let dataclasses = py.import("dataclasses")?;
        Ok(Known {
            datetime: ty("datetime", "datetime")?,
            date: ty("datetime", "date")?,
            time: ty("datetime", "time")?,
            enum_type: ty("enum", "Enum")?,
            decimal: ty("decimal", "Decimal")?,
            uuid: ty("uuid", "UUID")?,
            is_dataclass: dataclasses.getattr("is_dataclass")?.unbind(),
            fields: dataclasses.getattr("fields")?.unbind(),
        })
    })
}

/// One step of the path to a value, recorded while an error unwinds.
enum Step {
    Key(String),
    Index(usize),
}

/// Why a walk failed.
enum Failure {
    /// A Python exception (from a hook, `isoformat`, a `str` that is not UTF-8, ...),
    /// passed on unchanged.
    Python(PyErr),
    /// No conversion for this type; holds the type's name.
    Unsupported(String),
    /// A dict key of an unsupported type; holds the type's name.
    BadKey(String),
    /// Nesting beyond [`MAX_DEPTH`]. Holds, innermost first, each container walked into
    /// (its address, and how many path steps lie below it), collected while the error
    /// unwinds, so that a cycle is told apart from deep data at no cost to a good walk.
    TooDeep(Vec<(usize, usize)>),
}

/// A failed walk and where it happened (innermost step first).
pub(crate) struct WalkError {
    failure: Failure,
    path: Vec<Step>,
}

impl From<PyErr> for WalkError {
    fn from(error: PyErr) -> Self {
        WalkError {
            failure: Failure::Python(error),
            path: Vec::new(),
        }
    }
}

impl WalkError {
    fn new(failure: Failure) -> Self {
        WalkError {
            failure,
            path: Vec::new(),
        }
    }

    /// The path to the failure, or only its first `steps` steps.
    fn location(&self, steps: usize) -> String {
        let mut out = String::from("$");
        for step in self.path.iter().rev().take(steps) {
            match step {
                Step::Key(k) => {
                    let _ = write!(out, ".{k}");
                }
                Step::Index(i) => {
                    let _ = write!(out, "[{i}]");
                }
            }
        }
        out
    }
}

impl From<WalkError> for PyErr {
    fn from(error: WalkError) -> PyErr {
        let location = error.location(usize::MAX);
        match error.failure {
            Failure::Python(err) => err,
            Failure::Unsupported(name) => PyTypeError::new_err(format!(
                "Type is not TOON serializable: {name} (at {location}); pass default= to convert it"
            )),
            Failure::BadKey(name) => PyTypeError::new_err(format!(
                "dict keys must be str, int, float, bool or None, not {name} (at {location})"
            )),
            Failure::TooDeep(ref containers) => match cycle(containers, error.path.len()) {
                // `json.dumps` says "Circular reference detected".
                Some((outer, inner)) => PyValueError::new_err(format!(
                    "Circular reference detected: the container at {} is the one at {}",
                    error.location(inner),
                    error.location(outer)
                )),
                None => PyValueError::new_err(format!(
                    "nesting deeper than {MAX_DEPTH} levels at {location}"
                )),
            },
        }
    }
}

/// The first container (from the root) that is also one of its own ancestors: the path
/// lengths of the ancestor and of the repeat. `containers` is innermost first, as
/// [`Failure::TooDeep`] collects them; `steps` is the length of the whole path.
fn cycle(containers: &[(usize, usize)], steps: usize) -> Option<(usize, usize)> {
    let outermost_first: Vec<_> = containers.iter().rev().collect();
    for (j, (address, below)) in outermost_first.iter().enumerate() {
        if let Some((_, outer_below)) = outermost_first[..j].iter().find(|(a, _)| a == address) {
            return Some((steps - outer_below, steps - below));
        }
    }
    None
}

/// What one walk shares: the `default=` hook, the depth, and the failure (if any).
pub(crate) struct Walk<'py, 'd> {
    py: Python<'py>,
    default: Option<&'d Bound<'py, PyAny>>,
    depth: Cell<usize>,
    failure: RefCell<Option<WalkError>>,
}

impl<'py, 'd> Walk<'py, 'd> {
    pub(crate) fn new(py: Python<'py>, default: Option<&'d Bound<'py, PyAny>>) -> Self {
        Walk {
            py,
            default,
            depth: Cell::new(0),
            failure: RefCell::new(None),
        }
    }

    /// `obj` as a `Serialize` value.
    pub(crate) fn value<'a>(&'a self, obj: &'a Bound<'py, PyAny>) -> PyValue<'a, 'py, 'd> {
        PyValue { obj, walk: self }
    }

    /// The Python error for a failed serialization: the walk's own failure, or `other`
    /// (an encoder error) when the walk did not fail.
    pub(crate) fn error(&self, other: impl FnOnce() -> PyErr) -> PyErr {
        match self.failure.borrow_mut().take() {
            Some(failure) => failure.into(),
            None => other(),
        }
    }

    /// Keeps `failure` and returns the serializer's error that stops the walk.
    fn fail<E: ser::Error>(&self, failure: WalkError) -> E {
        *self.failure.borrow_mut() = Some(failure);
        E::custom("the Python walk failed")
    }

    /// Adds a step to the path of a failure that unwinds through here.
    fn at<'s, E>(&'s self, step: impl FnOnce() -> Step + 's) -> impl FnOnce(E) -> E + 's {
        move |error| {
            if let Some(failure) = self.failure.borrow_mut().as_mut() {
                failure.path.push(step());
            }
            error
        }
    }
}

/// A Python object to serialize.
pub(crate) struct PyValue<'a, 'py, 'd> {
    obj: &'a Bound<'py, PyAny>,
    walk: &'a Walk<'py, 'd>,
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".to_string())
}

/// A Python call's result, or the serializer error that stops the walk.
trait OrFail<T> {
    fn or_fail<E: ser::Error>(self, walk: &Walk<'_, '_>) -> Result<T, E>;
}

impl<T> OrFail<T> for PyResult<T> {
    fn or_fail<E: ser::Error>(self, walk: &Walk<'_, '_>) -> Result<T, E> {
        self.map_err(|error| walk.fail(WalkError::from(error)))
    }
}

impl Serialize for PyValue<'_, '_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (obj, walk) = (self.obj, self.walk);
        if let Ok(s) = obj.cast_exact::<PyString>() {
            return serializer.serialize_str(s.to_str().or_fail(walk)?);
        }
        if let Ok(i) = obj.cast_exact::<PyInt>() {
            return int(i, walk, serializer);
        }
        if let Ok(dict) = obj.cast_exact::<PyDict>() {
            return nested(walk, obj, || dict_items(dict, walk, serializer));
        }
        if let Ok(list) = obj.cast_exact::<PyList>() {
            return nested(walk, obj, || {
                items(list.len(), list.iter(), walk, serializer)
            });
        }
        if let Ok(f) = obj.cast_exact::<PyFloat>() {
            return serializer.serialize_f64(f.value());
        }
        if let Ok(b) = obj.cast_exact::<PyBool>() {
            return serializer.serialize_bool(b.is_true());
        }
        if obj.is_none() {
            return serializer.serialize_unit();
        }
        if let Ok(t) = obj.cast_exact::<PyTuple>() {
            return nested(walk, obj, || items(t.len(), t.iter(), walk, serializer));
        }
        nested(walk, obj, || slow(obj, walk, serializer))
    }
}

/// Runs `f` one level deeper, into `obj`, refusing to go past [`MAX_DEPTH`].
#[inline]
fn nested<T, E: ser::Error>(
    walk: &Walk<'_, '_>,
    obj: &Bound<'_, PyAny>,
    f: impl FnOnce() -> Result<T, E>,
) -> Result<T, E> {
    let depth = walk.depth.get();
    if depth >= MAX_DEPTH {
        return Err(walk.fail(WalkError::new(Failure::TooDeep(Vec::new()))));
    }
    walk.depth.set(depth + 1);
    let result = f();
    walk.depth.set(depth);
    if result.is_err() {
        record_container(walk, obj);
    }
    result
}

/// Adds `obj` to the containers of a too-deep failure unwinding through it.
#[cold]
fn record_container(walk: &Walk<'_, '_>, obj: &Bound<'_, PyAny>) {
    if let Some(WalkError {
        failure: Failure::TooDeep(containers),
        path,
    }) = walk.failure.borrow_mut().as_mut()
    {
        containers.push((obj.as_ptr() as usize, path.len()));
    }
}

fn int<S: Serializer>(
    i: &Bound<'_, PyInt>,
    walk: &Walk<'_, '_>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    if let Ok(n) = i.extract::<i64>() {
        return serializer.serialize_i64(n);
    }
    if let Ok(n) = i.extract::<u64>() {
        return serializer.serialize_u64(n);
    }
    // Beyond 64 bits: bare digits, as `json.dumps` writes them (`toon::Number` keeps them,
    // and its `Serialize` tells toon's serializer to write them as a number). `int.__repr__`
    // rather than `str()`, which a subclass may override; past Python's digit limit
    // (`sys.set_int_max_str_digits`) it raises the `ValueError` `json.dumps` raises.
    let text = walk
        .py
        .get_type::<PyInt>()
        .getattr(pyo3::intern!(walk.py, "__repr__"))
        .and_then(|repr| repr.call1((i,)))
        .or_fail(walk)?;
    let text = text.cast::<PyString>().map_err(PyErr::from).or_fail(walk)?;
    let number = toon::Number::from_integer_text(text.to_str().or_fail(walk)?)
        .ok_or_else(|| PyValueError::new_err("int.__repr__ gave no integer"))
        .or_fail(walk)?;
    number.serialize(serializer)
}

fn items<'py, S: Serializer>(
    len: usize,
    iter: impl Iterator<Item = Bound<'py, PyAny>>,
    walk: &Walk<'py, '_>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut seq = serializer.serialize_seq(Some(len))?;
    let mut count = 0;
    for (index, item) in iter.enumerate() {
        seq.serialize_element(&walk.value(&item))
            .map_err(walk.at(|| Step::Index(index)))?;
        count += 1;
    }
    if count != len {
        // The container changed size while it was walked.
        return Err(
            walk.fail(WalkError::from(pyo3::exceptions::PyRuntimeError::new_err(
                "a container changed size during encoding",
            ))),
        );
    }
    seq.end()
}

/// The items of a set, whose length is known only by counting.
fn set_items<'py, S: Serializer>(
    iter: impl Iterator<Item = Bound<'py, PyAny>>,
    walk: &Walk<'py, '_>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let elements: Vec<Bound<'py, PyAny>> = iter.collect();
    items(elements.len(), elements.into_iter(), walk, serializer)
}

fn dict_items<'py, S: Serializer>(
    dict: &Bound<'py, PyDict>,
    walk: &Walk<'py, '_>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    // Keys of different types can print alike (`1` and `"1"`): both are written, as
    // `json.dumps` writes them.
    let mut map = serializer.serialize_map(Some(dict.len()))?;
    for (key, value) in dict.iter() {
        let text = key_text(&key, walk)?;
        map.serialize_key(text.as_ref())?;
        map.serialize_value(&walk.value(&value))
            .map_err(walk.at(|| Step::Key(text.to_string())))?;
    }
    map.end()
}

/// A dict key: `str`, or a scalar written as `json.dumps` would write it.
fn key_text<'a, E: ser::Error>(
    key: &'a Bound<'_, PyAny>,
    walk: &Walk<'_, '_>,
) -> Result<Cow<'a, str>, E> {
    if let Ok(s) = key.cast::<PyString>() {
        return s.to_cow().or_fail(walk);
    }
    if key.is_none() {
        return Ok(Cow::Borrowed("null"));
    }
    if let Ok(b) = key.cast::<PyBool>() {
        return Ok(Cow::Borrowed(if b.is_true() { "true" } else { "false" }));
    }
    if key.is_instance_of::<PyInt>() || key.is_instance_of::<PyFloat>() {
        // `int.__repr__` / `float.__repr__`, as `json.dumps` spells them: a subclass's own
        // `__str__` is not used.
        let text = if key.is_instance_of::<PyInt>() {
            key.py().get_type::<PyInt>()
        } else {
            key.py().get_type::<PyFloat>()
        }
        .getattr(pyo3::intern!(key.py(), "__repr__"))
        .and_then(|repr| repr.call1((key,)))
        .or_fail(walk)?;
        let text = text.cast::<PyString>().map_err(PyErr::from).or_fail(walk)?;
        return Ok(Cow::Owned(text.to_str().or_fail(walk)?.to_owned()));
    }
    Err(walk.fail(WalkError::new(Failure::BadKey(type_name(key)))))
}

/// True for a numpy scalar (`numpy.int64`, `numpy.bool_`, ...) or `numpy.ndarray`.
fn is_numpy(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    let py = obj.py();
    let ty = obj.get_type();
    let module = ty.getattr(pyo3::intern!(py, "__module__"))?;
    Ok(module.cast::<PyString>().is_ok_and(|m| m == "numpy")
        && ty.hasattr(pyo3::intern!(py, "tolist"))?)
}

/// Subclasses of the common types, then the normalised host types.
fn slow<'py, S: Serializer>(
    obj: &Bound<'py, PyAny>,
    walk: &Walk<'py, '_>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let py = walk.py;
    if let Ok(b) = obj.cast::<PyBool>() {
        return serializer.serialize_bool(b.is_true());
    }
    let known = known(py).or_fail(walk)?;
    // Enums before their mixed-in base types (an IntEnum is an int).
    if obj.is_instance(known.enum_type.bind(py)).or_fail(walk)? {
        let value = obj.getattr("value").or_fail(walk)?;
        return walk.value(&value).serialize(serializer);
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return serializer.serialize_str(s.to_str().or_fail(walk)?);
    }
    if let Ok(i) = obj.cast::<PyInt>() {
        return int(i, walk, serializer);
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return serializer.serialize_f64(f.value());
    }
    if let Ok(dict) = obj.cast::<PyDict>() {
        return dict_items(dict, walk, serializer);
    }
    if let Ok(list) = obj.cast::<PyList>() {
        return items(list.len(), list.iter(), walk, serializer);
    }
    if let Ok(tuple) = obj.cast::<PyTuple>() {
        return items(tuple.len(), tuple.iter(), walk, serializer);
    }
    if let Ok(set) = obj.cast::<PySet>() {
        return set_items(set.iter(), walk, serializer);
    }
    if let Ok(set) = obj.cast::<PyFrozenSet>() {
        return set_items(set.iter(), walk, serializer);
    }
    // datetime is a subclass of date: both print their ISO form.
    if obj.is_instance(known.datetime.bind(py)).or_fail(walk)?
        || obj.is_instance(known.date.bind(py)).or_fail(walk)?
        || obj.is_instance(known.time.bind(py)).or_fail(walk)?
    {
        let text = obj.call_method0("isoformat").or_fail(walk)?;
        let text = text.cast::<PyString>().map_err(PyErr::from).or_fail(walk)?;
        return serializer.serialize_str(text.to_str().or_fail(walk)?);
    }
    if obj.is_instance(known.decimal.bind(py)).or_fail(walk)?
        || obj.is_instance(known.uuid.bind(py)).or_fail(walk)?
    {
        let text = obj.str().or_fail(walk)?;
        return serializer.serialize_str(text.to_str().or_fail(walk)?);
    }
    if !obj.is_instance_of::<PyType>()
        && known
            .is_dataclass
            .bind(py)
            .call1((obj,))
            .and_then(|b| b.is_truthy())
            .or_fail(walk)?
    {
        let fields: Vec<Bound<'py, PyString>> = known
            .fields
            .bind(py)
            .call1((obj,))
            .and_then(|fields| {
                fields
                    .try_iter()?
                    .map(|field| Ok(field?.getattr("name")?.cast_into::<PyString>()?))
                    .collect::<PyResult<_>>()
            })
            .or_fail(walk)?;
        let mut map = serializer.serialize_map(Some(fields.len()))?;
        for name in &fields {
            let key = name.to_str().or_fail(walk)?;
            let value = obj.getattr(name).or_fail(walk)?;
            map.serialize_key(key)?;
            map.serialize_value(&walk.value(&value))
                .map_err(walk.at(|| Step::Key(key.to_owned())))?;
        }
        return map.end();
    }
    // pydantic v2 models: their JSON-mode dump.
    if !obj.is_instance_of::<PyType>() && obj.hasattr("model_dump").or_fail(walk)? {
        let kwargs = PyDict::new(py);
        kwargs.set_item("mode", "json").or_fail(walk)?;
        let dumped = obj
            .call_method("model_dump", (), Some(&kwargs))
            .or_fail(walk)?;
        return walk.value(&dumped).serialize(serializer);
    }
    // numpy scalars and arrays: their Python values (`tolist()`, which is `item()` for a
    // scalar), as pandas users expect; `float32` widens to the double it is. Recognised by
    // their module, so numpy is never imported here.
    if is_numpy(obj).or_fail(walk)? {
        let value = obj
            .call_method0(pyo3::intern!(py, "tolist"))
            .or_fail(walk)?;
        return walk.value(&value).serialize(serializer);
    }
    if let Some(default) = walk.default {
        let replaced = default.call1((obj,)).or_fail(walk)?;
        if replaced.is(obj) {
            return Err(walk.fail(WalkError::new(Failure::Unsupported(type_name(obj)))));
        }
        return walk.value(&replaced).serialize(serializer);
    }
    Err(walk.fail(WalkError::new(Failure::Unsupported(type_name(obj)))))
}
