//! Python objects → `toon::Value`, walked directly with exact-type dispatch (the common
//! types are recognised by their type object before any `isinstance` call), strings
//! copied once into a bump arena. Normalisation follows the reference: dataclasses and
//! pydantic models become objects, `datetime`/`date`/`time` their ISO text, enums their
//! value, sets/tuples arrays, `Decimal`/`UUID` their text, integers beyond 64 bits a
//! quoted decimal; anything else goes to `default=` or is a `TypeError` naming the type
//! and where it sits (`$.users[3].tags`).
//!
//! Speed notes: the path to the current value is only built when an error unwinds (the
//! happy path keeps a depth counter), and dict keys go through a small cache keyed by
//! the key object's address, so the column names of a 1,000-row table are copied once
//! and every row's keys are the same `&str` (which the encoder compares by pointer).

use std::borrow::Cow;
use std::fmt::Write as _;

use bumpalo::Bump;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyDict, PyFloat, PyFrozenSet, PyInt, PyList, PySet, PyString, PyTuple, PyType,
};
use toon::{Map, MapBuilder, Number, Value};

/// Deepest nesting walked (the encoder's own limit).
const MAX_DEPTH: usize = toon::DEFAULT_MAX_DEPTH;

/// Slots of the key cache (a power of two).
const KEY_SLOTS: usize = 256;

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
    /// Nesting beyond [`MAX_DEPTH`].
    TooDeep,
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

    fn at(mut self, step: Step) -> Self {
        self.path.push(step);
        self
    }

    fn location(&self) -> String {
        let mut out = String::from("$");
        for step in self.path.iter().rev() {
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
        let location = error.location();
        match error.failure {
            Failure::Python(err) => err,
            Failure::Unsupported(name) => PyTypeError::new_err(format!(
                "Type is not TOON serializable: {name} (at {location}); pass default= to convert it"
            )),
            Failure::BadKey(name) => PyTypeError::new_err(format!(
                "dict keys must be str, int, float, bool or None, not {name} (at {location})"
            )),
            Failure::TooDeep => PyValueError::new_err(format!(
                "nesting deeper than {MAX_DEPTH} levels at {location}"
            )),
        }
    }
}

type Walked<'b> = Result<Value<'b>, WalkError>;

/// A cached key: the key object (held, so its address cannot be reused by another object
/// while it is cached) and its text in the arena.
struct CachedKey<'py, 'b> {
    object: Bound<'py, PyString>,
    text: &'b str,
}

/// Walks one Python object graph into a `Value` borrowing the arena.
pub(crate) struct Walker<'py, 'b, 'd> {
    py: Python<'py>,
    arena: &'b Bump,
    default: Option<&'d Bound<'py, PyAny>>,
    depth: usize,
    keys: Vec<Option<CachedKey<'py, 'b>>>,
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".to_string())
}

impl<'py, 'b, 'd> Walker<'py, 'b, 'd> {
    pub(crate) fn new(
        py: Python<'py>,
        arena: &'b Bump,
        default: Option<&'d Bound<'py, PyAny>>,
    ) -> Self {
        Walker {
            py,
            arena,
            default,
            depth: 0,
            keys: Vec::new(),
        }
    }

    fn text(&self, s: &str) -> Cow<'b, str> {
        Cow::Borrowed(self.arena.alloc_str(s))
    }

    /// Converts `obj`: the common exact types first, then the slow path.
    pub(crate) fn walk(&mut self, obj: &Bound<'py, PyAny>) -> Walked<'b> {
        if let Ok(s) = obj.cast_exact::<PyString>() {
            return Ok(Value::String(self.text(s.to_str()?)));
        }
        if let Ok(i) = obj.cast_exact::<PyInt>() {
            return self.int(i);
        }
        if let Ok(dict) = obj.cast_exact::<PyDict>() {
            return self.nested(|walker| walker.dict(dict));
        }
        if let Ok(list) = obj.cast_exact::<PyList>() {
            return self.nested(|walker| walker.items(list.iter()));
        }
        if let Ok(f) = obj.cast_exact::<PyFloat>() {
            return Ok(Value::Number(Number::from_f64(f.value())));
        }
        if let Ok(b) = obj.cast_exact::<PyBool>() {
            return Ok(Value::Bool(b.is_true()));
        }
        if obj.is_none() {
            return Ok(Value::Null);
        }
        if let Ok(t) = obj.cast_exact::<PyTuple>() {
            return self.nested(|walker| walker.items(t.iter()));
        }
        self.nested(|walker| walker.slow(obj))
    }

    /// Runs `f` one level deeper, refusing to go past [`MAX_DEPTH`].
    #[inline]
    fn nested(&mut self, f: impl FnOnce(&mut Self) -> Walked<'b>) -> Walked<'b> {
        if self.depth >= MAX_DEPTH {
            return Err(WalkError::new(Failure::TooDeep));
        }
        self.depth += 1;
        let result = f(self);
        self.depth -= 1;
        result
    }

    fn int(&self, i: &Bound<'py, PyInt>) -> Walked<'b> {
        if let Ok(n) = i.extract::<i64>() {
            return Ok(Value::Number(Number::from(n)));
        }
        if let Ok(n) = i.extract::<u64>() {
            return Ok(Value::Number(Number::from(n)));
        }
        // Beyond 64 bits: a lossless quoted decimal, as the reference does for BigInt.
        Ok(Value::String(self.text(i.str()?.to_str()?)))
    }

    fn items(&mut self, iter: impl Iterator<Item = Bound<'py, PyAny>>) -> Walked<'b> {
        let mut items = Vec::with_capacity(iter.size_hint().0);
        for (index, item) in iter.enumerate() {
            match self.walk(&item) {
                Ok(value) => items.push(value),
                Err(e) => return Err(e.at(Step::Index(index))),
            }
        }
        Ok(Value::Array(items))
    }

    fn dict(&mut self, dict: &Bound<'py, PyDict>) -> Walked<'b> {
        // Keys of different types can print alike (`1` and `"1"`): a repeat keeps the last
        // value, as `json.dumps` output read back would; new keys skip the lookup.
        let mut map = MapBuilder::with_capacity(dict.len());
        for (key, value) in dict.iter() {
            let key = self.key(&key)?;
            match self.walk(&value) {
                Ok(value) => map.insert(key, value),
                Err(e) => return Err(e.at(Step::Key(key.into_owned()))),
            }
        }
        Ok(Value::Object(map.finish()))
    }

    /// A dict key: `str`, or a scalar written as `json.dumps` would write it.
    fn key(&mut self, key: &Bound<'py, PyAny>) -> Result<Cow<'b, str>, WalkError> {
        if let Ok(s) = key.cast_exact::<PyString>() {
            return Ok(Cow::Borrowed(self.cached_key(s)?));
        }
        if let Ok(s) = key.cast::<PyString>() {
            return Ok(self.text(s.to_str()?));
        }
        if key.is_none() {
            return Ok(Cow::Borrowed("null"));
        }
        if let Ok(b) = key.cast::<PyBool>() {
            return Ok(Cow::Borrowed(if b.is_true() { "true" } else { "false" }));
        }
        if key.is_instance_of::<PyInt>() || key.is_instance_of::<PyFloat>() {
            return Ok(self.text(key.str()?.to_str()?));
        }
        Err(WalkError::new(Failure::BadKey(type_name(key))))
    }

    /// The arena copy of a `str` key, looked up by the key object's address first: the
    /// same key object (as in every row that `json.loads` or a comprehension built) is
    /// copied once per call.
    #[inline]
    fn cached_key(&mut self, key: &Bound<'py, PyString>) -> PyResult<&'b str> {
        if self.keys.is_empty() {
            self.keys.resize_with(KEY_SLOTS, || None);
        }
        let address = key.as_ptr() as usize;
        let slot = (address >> 4 ^ address >> 12) & (KEY_SLOTS - 1);
        if let Some(cached) = &self.keys[slot]
            && cached.object.is(key)
        {
            return Ok(cached.text);
        }
        let text: &'b str = self.arena.alloc_str(key.to_str()?);
        self.keys[slot] = Some(CachedKey {
            object: key.clone(),
            text,
        });
        Ok(text)
    }

    /// Subclasses of the common types, then the normalised host types.
    fn slow(&mut self, obj: &Bound<'py, PyAny>) -> Walked<'b> {
        let py = self.py;
        if let Ok(b) = obj.cast::<PyBool>() {
            return Ok(Value::Bool(b.is_true()));
        }
        let known = known(py)?;
        // Enums before their mixed-in base types (an IntEnum is an int).
        if obj.is_instance(known.enum_type.bind(py))? {
            return self.walk(&obj.getattr("value")?);
        }
        if let Ok(s) = obj.cast::<PyString>() {
            return Ok(Value::String(self.text(s.to_str()?)));
        }
        if let Ok(i) = obj.cast::<PyInt>() {
            return self.int(i);
        }
        if let Ok(f) = obj.cast::<PyFloat>() {
            return Ok(Value::Number(Number::from_f64(f.value())));
        }
        if let Ok(dict) = obj.cast::<PyDict>() {
            return self.dict(dict);
        }
        if let Ok(list) = obj.cast::<PyList>() {
            return self.items(list.iter());
        }
        if let Ok(tuple) = obj.cast::<PyTuple>() {
            return self.items(tuple.iter());
        }
        if let Ok(set) = obj.cast::<PySet>() {
            return self.items(set.iter());
        }
        if let Ok(set) = obj.cast::<PyFrozenSet>() {
            return self.items(set.iter());
        }
        // datetime is a subclass of date: both print their ISO form.
        if obj.is_instance(known.datetime.bind(py))?
            || obj.is_instance(known.date.bind(py))?
            || obj.is_instance(known.time.bind(py))?
        {
            let text = obj.call_method0("isoformat")?;
            return Ok(Value::String(
                self.text(text.cast::<PyString>().map_err(PyErr::from)?.to_str()?),
            ));
        }
        if obj.is_instance(known.decimal.bind(py))? || obj.is_instance(known.uuid.bind(py))? {
            return Ok(Value::String(self.text(obj.str()?.to_str()?)));
        }
        if !obj.is_instance_of::<PyType>()
            && known.is_dataclass.bind(py).call1((obj,))?.is_truthy()?
        {
            let mut map = Map::new();
            for field in known.fields.bind(py).call1((obj,))?.try_iter()? {
                let name = field?
                    .getattr("name")?
                    .cast_into::<PyString>()
                    .map_err(PyErr::from)?;
                let key = self.text(name.to_str()?);
                match self.walk(&obj.getattr(name)?) {
                    Ok(value) => {
                        map.insert(key, value);
                    }
                    Err(e) => return Err(e.at(Step::Key(key.into_owned()))),
                }
            }
            return Ok(Value::Object(map));
        }
        // pydantic v2 models: their JSON-mode dump.
        if !obj.is_instance_of::<PyType>() && obj.hasattr("model_dump")? {
            let kwargs = PyDict::new(py);
            kwargs.set_item("mode", "json")?;
            let dumped = obj.call_method("model_dump", (), Some(&kwargs))?;
            return self.walk(&dumped);
        }
        if let Some(default) = self.default {
            let replaced = default.call1((obj,))?;
            if replaced.is(obj) {
                return Err(WalkError::new(Failure::Unsupported(type_name(obj))));
            }
            return self.walk(&replaced);
        }
        Err(WalkError::new(Failure::Unsupported(type_name(obj))))
    }
}
