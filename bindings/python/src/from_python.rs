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
//!
//! Speed: dicts, lists and tuples are read through the C API (`PyDict_Next`,
//! `PyList_GetItem`) with borrowed references, and an item whose exact type is `str`,
//! `int`, `float`, `bool` or `None` is written straight from the borrowed pointer; a
//! strong reference is taken only for an item that is walked further (a container, or
//! anything that may run Python code). See [`Child`] for why that is sound.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::fmt::Write as _;

use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyDict, PyFloat, PyFrozenSet, PyInt, PyList, PySet, PyString, PyTuple, PyType,
};
use serde_core::ser::{self, Serialize, SerializeMap, SerializeSeq, Serializer};

/// Deepest nesting walked (the encoder's own limit).
const MAX_DEPTH: usize = toon::DEFAULT_MAX_DEPTH;

// Borrowed references from `PyDict_Next` / `PyList_GetItem` are safe to use only while no
// other thread can change the container, which the GIL guarantees; a free-threaded
// interpreter does not (pyo3 then builds a version-specific module, not the abi3 one).
#[cfg(Py_GIL_DISABLED)]
compile_error!(
    "toon's Python walk borrows references from dicts and lists, which is sound only on \
     interpreters with a GIL; free-threaded builds are not supported"
);

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

    /// The serializer's error for the Python error the interpreter holds (a `str` that
    /// is not UTF-8).
    #[cold]
    fn fetch<E: ser::Error>(&self) -> E {
        self.fail(WalkError::from(PyErr::fetch(self.py)))
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
        // `obj` is held by a strong reference for the whole call (`&Bound`).
        match Scalar::read(obj.as_borrowed()) {
            Scalar::Other => {}
            Scalar::Invalid => return Err(walk.fetch()),
            scalar => return write_scalar(scalar, serializer),
        }
        if let Ok(i) = obj.cast_exact::<PyInt>() {
            // Beyond 64 bits.
            return int(i, walk, serializer);
        }
        if let Ok(dict) = obj.cast_exact::<PyDict>() {
            return nested(walk, obj, || dict_items(dict, walk, serializer));
        }
        if let Ok(list) = obj.cast_exact::<PyList>() {
            return nested(walk, obj, || list_items(list, walk, serializer));
        }
        if let Ok(tuple) = obj.cast_exact::<PyTuple>() {
            return nested(walk, obj, || tuple_items(tuple, walk, serializer));
        }
        nested(walk, obj, || slow(obj, walk, serializer))
    }
}

/// The type objects of the scalar types, recognised by pointer (exact types only: a
/// subclass has a type object of its own and takes the slow path). Only the statics'
/// addresses are taken.
mod exact {
    use pyo3::ffi;

    pub(super) fn str_type() -> *mut ffi::PyTypeObject {
        &raw mut ffi::PyUnicode_Type
    }
    pub(super) fn int_type() -> *mut ffi::PyTypeObject {
        &raw mut ffi::PyLong_Type
    }
    pub(super) fn float_type() -> *mut ffi::PyTypeObject {
        &raw mut ffi::PyFloat_Type
    }
    pub(super) fn bool_type() -> *mut ffi::PyTypeObject {
        &raw mut ffi::PyBool_Type
    }
}

/// A value of exact type `str`, `int` (64 bits), `float`, `bool` or `None`, read
/// without running any Python code; its text borrows the `str` object's UTF-8 cache.
/// Or the news that the value is something else.
#[derive(Clone, Copy)]
enum Scalar<'a> {
    Str(&'a str),
    Int(i64),
    UInt(u64),
    Float(f64),
    Bool(bool),
    Null,
    /// Anything else (a subclass, a container, an integer beyond 64 bits): walked the
    /// general way, through a strong reference.
    Other,
    /// A `str` that is not valid UTF-8 (a lone surrogate); the interpreter holds the
    /// error, which [`Walk::fetch`] takes.
    Invalid,
}

impl<'a> Scalar<'a> {
    /// Reads `obj`. No Python code runs here: the exact types' C functions call no
    /// Python methods.
    #[allow(unsafe_code)]
    #[inline(always)]
    fn read(obj: Borrowed<'a, '_, PyAny>) -> Scalar<'a> {
        let ptr = obj.as_ptr();
        let ty = obj.get_type_ptr();
        if ty == exact::str_type() {
            return match utf8(obj) {
                Some(text) => Scalar::Str(text),
                None => Scalar::Invalid,
            };
        }
        if ty == exact::int_type() {
            let mut overflow = 0;
            // SAFETY: `ptr` is a live exact `int`, for which the call cannot fail: it
            // only reports, in `overflow`, a value beyond 64 bits.
            let n = unsafe { ffi::PyLong_AsLongLongAndOverflow(ptr, &mut overflow) };
            if overflow == 0 {
                return Scalar::Int(n);
            }
            return big_int(ptr);
        }
        if ty == exact::float_type() {
            // SAFETY: `ptr` is a live exact `float`, whose value is read without fail.
            return Scalar::Float(unsafe { ffi::PyFloat_AsDouble(ptr) });
        }
        if ty == exact::bool_type() {
            // SAFETY: `Py_True` only takes the address of the interpreter's `True`.
            return Scalar::Bool(ptr == unsafe { ffi::Py_True() });
        }
        // SAFETY: `Py_None` only takes the address of the interpreter's `None`.
        if ptr == unsafe { ffi::Py_None() } {
            return Scalar::Null;
        }
        Scalar::Other
    }
}

/// An exact `int` beyond `i64`: a `u64`, or [`Scalar::Other`] (the general path writes
/// its digits).
#[cold]
#[allow(unsafe_code)]
fn big_int<'a>(ptr: *mut ffi::PyObject) -> Scalar<'a> {
    // SAFETY: `ptr` is a live exact `int`; beyond `u64` (or below zero) the call
    // returns -1 and sets `OverflowError`, which is cleared here, with the GIL held.
    unsafe {
        let u = ffi::PyLong_AsUnsignedLongLong(ptr);
        if u != u64::MAX || ffi::PyErr_Occurred().is_null() {
            return Scalar::UInt(u);
        }
        ffi::PyErr_Clear();
    }
    Scalar::Other
}

/// Writes a scalar; `Other` and `Invalid` are the callers' to handle first.
fn write_scalar<S: Serializer>(scalar: Scalar<'_>, serializer: S) -> Result<S::Ok, S::Error> {
    match scalar {
        Scalar::Str(s) => serializer.serialize_str(s),
        Scalar::Int(n) => serializer.serialize_i64(n),
        Scalar::UInt(n) => serializer.serialize_u64(n),
        Scalar::Float(f) => serializer.serialize_f64(f),
        Scalar::Bool(b) => serializer.serialize_bool(b),
        Scalar::Null | Scalar::Other | Scalar::Invalid => serializer.serialize_unit(),
    }
}

/// A scalar read from a dict, written as its value.
struct ScalarValue<'a>(Scalar<'a>);

impl Serialize for ScalarValue<'_> {
    #[inline]
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        write_scalar(self.0, serializer)
    }
}

/// The UTF-8 text of a `str` (or a subclass), cached on the object by CPython; `None`
/// for a `str` that is not valid UTF-8 (a lone surrogate), with the error left in the
/// interpreter for [`Walk::fetch`].
#[allow(unsafe_code)]
#[inline(always)]
fn utf8<'a>(s: Borrowed<'a, '_, PyAny>) -> Option<&'a str> {
    let mut len: ffi::Py_ssize_t = 0;
    // SAFETY: `s` is a live `str` for 'a (the `Borrowed` says so; the callers check its
    // type). The UTF-8 buffer returned is owned by that object and unchanged while it
    // lives: a `str` is immutable, and the buffer is cached on it until it is freed.
    let data = unsafe { ffi::PyUnicode_AsUTF8AndSize(s.as_ptr(), &mut len) };
    if data.is_null() {
        return None;
    }
    // SAFETY: CPython hands out `len` bytes of valid UTF-8 at `data`, alive as long as
    // the object (above).
    Some(unsafe {
        std::str::from_utf8_unchecked(std::slice::from_raw_parts(data.cast::<u8>(), len as usize))
    })
}

/// An item of a dict, list or tuple, as the container's borrowed reference: no reference
/// count is taken for it.
///
/// Why this is sound: the container is held by a strong reference while its items are
/// walked, so it keeps each item alive *unless Python code changes the container*. Such
/// code can run only from the slow path (a `default=` hook, `isoformat`, `model_dump`,
/// an `Enum`'s `value`, ...) and, under the GIL, nowhere else: no other thread runs while
/// the walk holds it. So a `Child` is used at once, before any Python code runs: it is
/// read as a [`Scalar`] (C functions only) and written, or a strong reference is taken
/// first ([`Bound::from_borrowed_ptr`]) and the item walked through that. Between the
/// container handing out the pointer and that point only toon's encoder runs, which
/// never calls into Python. Serde's `serialize_element` / `serialize_value` call
/// `serialize` during the call and keep no reference to it.
struct Child<'a, 'py, 'd> {
    /// Non-null: the containers' accessors are checked before a `Child` is made.
    ptr: *mut ffi::PyObject,
    walk: &'a Walk<'py, 'd>,
}

impl Serialize for Child<'_, '_, '_> {
    #[allow(unsafe_code)]
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let walk = self.walk;
        // SAFETY: see [`Child`]: `ptr` is alive, and stays so until Python code runs,
        // which it cannot before this borrow's last use (the scalar is written first).
        let borrowed = unsafe { Borrowed::from_ptr(walk.py, self.ptr) };
        match Scalar::read(borrowed) {
            Scalar::Other => {}
            Scalar::Invalid => return Err(walk.fetch()),
            scalar => return write_scalar(scalar, serializer),
        }
        // SAFETY: as above; the strong reference taken here keeps it alive from now on.
        let owned = unsafe { Bound::from_borrowed_ptr(walk.py, self.ptr) };
        walk.value(&owned).serialize(serializer)
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
        return Err(changed_size(walk));
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

/// The items of a dict (or a subclass: its own storage, as `dict(obj)` reads it).
#[allow(unsafe_code)]
fn dict_items<'py, S: Serializer>(
    dict: &Bound<'py, PyDict>,
    walk: &Walk<'py, '_>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let py = walk.py;
    let len = dict.len();
    // Keys of different types can print alike (`1` and `"1"`): both are written, as
    // `json.dumps` writes them.
    let mut map = serializer.serialize_map(Some(len))?;
    let mut pos: ffi::Py_ssize_t = 0;
    let mut key: *mut ffi::PyObject = std::ptr::null_mut();
    let mut value: *mut ffi::PyObject = std::ptr::null_mut();
    // SAFETY: `dict` is a live dict held by a strong reference; `PyDict_Next` hands out
    // borrowed references to its key and value (non-null when it returns non-zero), and
    // stays memory-safe if the dict changes (which is then reported below).
    while unsafe { ffi::PyDict_Next(dict.as_ptr(), &mut pos, &mut key, &mut value) } != 0 {
        // SAFETY: borrowed from the dict, which keeps them alive until Python code
        // runs (see [`Child`]). None runs before the value is written if it is a scalar;
        // otherwise strong references to both are taken first (below).
        let (key_ref, value_ref) =
            unsafe { (Borrowed::from_ptr(py, key), Borrowed::from_ptr(py, value)) };
        let scalar = Scalar::read(value_ref);
        if let Scalar::Other = scalar {
            // Walking the value may run Python code, which could drop the key from the
            // dict (and free it) while its text is still needed, for an error's path.
            let (key, value) = (key_ref.to_owned(), value_ref.to_owned());
            let text = key_text(&key, walk)?;
            map.serialize_key(text.as_ref())?;
            map.serialize_value(&walk.value(&value))
                .map_err(walk.at(|| Step::Key(text.to_string())))?;
            if dict.len() != len {
                return Err(changed_size(walk));
            }
            continue;
        }
        let invalid = matches!(scalar, Scalar::Invalid).then(|| PyErr::fetch(py));
        let text = if key_ref.get_type_ptr() == exact::str_type() {
            match utf8(key_ref) {
                Some(text) => Cow::Borrowed(text),
                None => return Err(walk.fetch()),
            }
        } else {
            key_text(&key_ref, walk)?
        };
        map.serialize_key(text.as_ref())?;
        if let Some(error) = invalid {
            return Err(walk.fail(WalkError {
                failure: Failure::Python(error),
                path: vec![Step::Key(text.to_string())],
            }));
        }
        map.serialize_value(&ScalarValue(scalar))?;
    }
    map.end()
}

/// The items of a list (or a subclass), by index: a list that a `default=` hook shrinks
/// under the walk is refused (its header already states the count).
#[allow(unsafe_code)]
fn list_items<'py, S: Serializer>(
    list: &Bound<'py, PyList>,
    walk: &Walk<'py, '_>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let len = list.len();
    let mut seq = serializer.serialize_seq(Some(len))?;
    for index in 0..len {
        // SAFETY: `list` is a live list held by a strong reference; the index is checked
        // by `PyList_GetItem` (null and `IndexError` past the end: the list shrank).
        let item = unsafe { ffi::PyList_GetItem(list.as_ptr(), index as ffi::Py_ssize_t) };
        if item.is_null() {
            // SAFETY: clears the `IndexError` just set, with the GIL held.
            unsafe { ffi::PyErr_Clear() };
            return Err(changed_size(walk));
        }
        seq.serialize_element(&Child { ptr: item, walk })
            .map_err(walk.at(|| Step::Index(index)))?;
    }
    seq.end()
}

/// The items of a tuple (or a subclass, such as a named tuple).
#[allow(unsafe_code)]
fn tuple_items<'py, S: Serializer>(
    tuple: &Bound<'py, PyTuple>,
    walk: &Walk<'py, '_>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let len = tuple.len();
    let mut seq = serializer.serialize_seq(Some(len))?;
    for index in 0..len {
        // SAFETY: `tuple` is a live tuple held by a strong reference, and `index` is
        // below its length, which never changes; the item is borrowed (see [`Child`]).
        let item = unsafe { ffi::PyTuple_GetItem(tuple.as_ptr(), index as ffi::Py_ssize_t) };
        if item.is_null() {
            return Err(walk.fail(WalkError::from(PyErr::fetch(walk.py))));
        }
        seq.serialize_element(&Child { ptr: item, walk })
            .map_err(walk.at(|| Step::Index(index)))?;
    }
    seq.end()
}

/// The failure of a container that a `default=` hook (or other Python code run by the
/// walk) resized while it was walked.
fn changed_size<E: ser::Error>(walk: &Walk<'_, '_>) -> E {
    walk.fail(WalkError::from(PyRuntimeError::new_err(
        "a container changed size during encoding",
    )))
}

/// A dict key: `str`, or a scalar written as `json.dumps` would write it.
fn key_text<'a, E: ser::Error>(
    key: &'a Bound<'_, PyAny>,
    walk: &Walk<'_, '_>,
) -> Result<Cow<'a, str>, E> {
    if key.is_instance_of::<PyString>() {
        return utf8(key.as_borrowed())
            .map(Cow::Borrowed)
            .ok_or_else(|| walk.fetch());
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
        return list_items(list, walk, serializer);
    }
    if let Ok(tuple) = obj.cast::<PyTuple>() {
        return tuple_items(tuple, walk, serializer);
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
