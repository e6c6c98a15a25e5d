//! Python objects → `toon::Value`, walked directly with exact-type dispatch (the common
//! types are recognised by their type object before any `isinstance` call), strings and
//! keys copied once into a bump arena. Normalisation follows the reference: dataclasses
//! and pydantic models become objects, `datetime`/`date`/`time` their ISO text, enums
//! their value, sets/tuples arrays, `Decimal`/`UUID` their text, integers beyond 64 bits a
//! quoted decimal; anything else goes to `default=` or is a `TypeError` naming the type
//! and where it sits (`$.users[3].tags`).

use std::borrow::Cow;
use std::fmt::Write as _;

use bumpalo::Bump;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyDict, PyFloat, PyFrozenSet, PyInt, PyList, PySet, PyString, PyTuple, PyType,
};
use toon::{Map, Number, Value};

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

/// One step of the path to the value being walked, for error messages.
enum Step<'b> {
    Key(&'b str),
    Index(usize),
}

/// Walks one Python object graph into a `Value` borrowing the arena.
pub(crate) struct Walker<'py, 'b, 'd> {
    py: Python<'py>,
    arena: &'b Bump,
    default: Option<&'d Bound<'py, PyAny>>,
    path: Vec<Step<'b>>,
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
            path: Vec::new(),
        }
    }

    fn text(&self, s: &str) -> Cow<'b, str> {
        Cow::Borrowed(self.arena.alloc_str(s))
    }

    fn location(&self) -> String {
        let mut out = String::from("$");
        for step in &self.path {
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

    /// Converts `obj`: the common exact types first, then the slow path.
    pub(crate) fn walk(&mut self, obj: &Bound<'py, PyAny>) -> PyResult<Value<'b>> {
        if self.path.len() > MAX_DEPTH {
            return Err(PyValueError::new_err(format!(
                "nesting deeper than {MAX_DEPTH} levels at {}",
                self.location()
            )));
        }
        if let Ok(s) = obj.cast_exact::<PyString>() {
            return Ok(Value::String(self.text(s.to_str()?)));
        }
        if let Ok(dict) = obj.cast_exact::<PyDict>() {
            return self.dict(dict);
        }
        if let Ok(list) = obj.cast_exact::<PyList>() {
            return self.items(list.iter());
        }
        if obj.is_none() {
            return Ok(Value::Null);
        }
        if let Ok(b) = obj.cast_exact::<PyBool>() {
            return Ok(Value::Bool(b.is_true()));
        }
        if let Ok(i) = obj.cast_exact::<PyInt>() {
            return self.int(i);
        }
        if let Ok(f) = obj.cast_exact::<PyFloat>() {
            return Ok(Value::Number(Number::from_f64(f.value())));
        }
        if let Ok(t) = obj.cast_exact::<PyTuple>() {
            return self.items(t.iter());
        }
        self.slow(obj)
    }

    fn int(&self, i: &Bound<'py, PyInt>) -> PyResult<Value<'b>> {
        if let Ok(n) = i.extract::<i64>() {
            return Ok(Value::Number(Number::from(n)));
        }
        if let Ok(n) = i.extract::<u64>() {
            return Ok(Value::Number(Number::from(n)));
        }
        // Beyond 64 bits: a lossless quoted decimal, as the reference does for BigInt.
        Ok(Value::String(self.text(i.str()?.to_str()?)))
    }

    fn items(&mut self, iter: impl Iterator<Item = Bound<'py, PyAny>>) -> PyResult<Value<'b>> {
        let mut items = Vec::with_capacity(iter.size_hint().0);
        for (index, item) in iter.enumerate() {
            self.path.push(Step::Index(index));
            items.push(self.walk(&item)?);
            self.path.pop();
        }
        Ok(Value::Array(items))
    }

    fn dict(&mut self, dict: &Bound<'py, PyDict>) -> PyResult<Value<'b>> {
        let mut map = Map::with_capacity(dict.len());
        for (key, value) in dict.iter() {
            let key = self.key(&key)?;
            let Cow::Borrowed(step) = key else {
                continue; // keys are always borrowed from the arena
            };
            self.path.push(Step::Key(step));
            let value = self.walk(&value)?;
            self.path.pop();
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }

    /// A dict key: `str`, or a scalar written as `json.dumps` would write it.
    fn key(&self, key: &Bound<'py, PyAny>) -> PyResult<Cow<'b, str>> {
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
        Err(PyTypeError::new_err(format!(
            "dict keys must be str, int, float, bool or None, not {} (at {})",
            key.get_type().name()?,
            self.location()
        )))
    }

    /// Subclasses of the common types, then the normalised host types.
    fn slow(&mut self, obj: &Bound<'py, PyAny>) -> PyResult<Value<'b>> {
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
            return Ok(Value::String(self.text(text.cast::<PyString>()?.to_str()?)));
        }
        if obj.is_instance(known.decimal.bind(py))? || obj.is_instance(known.uuid.bind(py))? {
            return Ok(Value::String(self.text(obj.str()?.to_str()?)));
        }
        if !obj.is_instance_of::<PyType>()
            && known.is_dataclass.bind(py).call1((obj,))?.is_truthy()?
        {
            let mut map = Map::new();
            for field in known.fields.bind(py).call1((obj,))?.try_iter()? {
                let name = field?.getattr("name")?.cast_into::<PyString>()?;
                let key = self.text(name.to_str()?);
                let Cow::Borrowed(step) = key else { continue };
                self.path.push(Step::Key(step));
                let value = self.walk(&obj.getattr(name)?)?;
                self.path.pop();
                map.insert(key, value);
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
                return Err(self.unsupported(obj));
            }
            return self.walk(&replaced);
        }
        Err(self.unsupported(obj))
    }

    fn unsupported(&self, obj: &Bound<'py, PyAny>) -> PyErr {
        let name = obj
            .get_type()
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| "?".to_string());
        PyTypeError::new_err(format!(
            "Type is not TOON serializable: {name} (at {}); pass default= to convert it",
            self.location()
        ))
    }
}
