//! TOON → Python objects: `dict` (insertion order kept), `list`, `str`, `int`, `float`,
//! `bool`, `None`. The decoder runs with `with_big_integers`, so an integer literal of
//! any size is an exact `int`, as `json.loads` reads it. Two ways in: [`build`] walks a
//! decoded `toon::Value` (what the detached parse, the chunked decoder and repair
//! produce); [`decode`] builds the objects from the decoder's events as they arrive, with
//! no `Value` in between (what `toon.decode` does with moderate inputs).
//!
//! Speed: objects are made with the C API and held as owned pointers. Repeated keys
//! (table columns, the `user` of every tweet) reuse one `str` object from a per-call
//! cache; before the cache is asked, the i-th key of an object is compared with the i-th
//! key of the last object found under the same parent key, which is nearly always the
//! same text: a length and byte compare instead of a hash and a probe. An object whose
//! keys repeat the last one's starts as a copy of a template dict of those keys (one
//! allocation at the final size, no resizing while it fills).

use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::ffi::CString;

use pyo3::exceptions::PyValueError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyBool;
use toon::{DecodeOptions, Event, Value};

/// Keys up to this length are cached per call, so a 1,000-row table makes each column
/// name once.
const CACHED_KEY_LEN: usize = 64;

/// How many shapes (key lists of recent objects) are remembered, by parent key.
const SHAPES: usize = 64;

/// Objects of this many keys or more start from a template when their shape repeats
/// (below it, a fresh dict never resizes: 8 slots hold 5 keys).
const TEMPLATE_LEN: usize = 6;

/// Builds the Python object for `value`.
pub(crate) fn build<'py>(py: Python<'py>, value: &Value<'_>) -> PyResult<Bound<'py, PyAny>> {
    let _pause = GcPause::new(py);
    Walk {
        keys: Keys::new(py),
        scratch: Vec::new(),
    }
    .object(value, 0)
}

/// Decodes `text` into Python objects, built from the decoder's events as they arrive.
/// The interpreter stays attached throughout. A decode error is the outer `Err`; a Python
/// error while building (out of memory) the inner one, and it wins over a later decode
/// error.
pub(crate) fn decode<'py>(
    py: Python<'py>,
    text: &str,
    options: &DecodeOptions,
) -> Result<PyResult<Bound<'py, PyAny>>, toon::Error> {
    let _pause = GcPause::new(py);
    let mut builder = EventBuilder {
        keys: Keys::new(py),
        open: Vec::new(),
        entries: Vec::new(),
        items: Vec::new(),
        root: None,
        failure: None,
    };
    let decoded = toon::decode_each_event(text, options, |event, _| builder.event(event));
    if let Some(failure) = builder.failure {
        return Ok(Err(failure));
    }
    decoded?;
    // No event at all: an empty document, which is an empty object.
    Ok(match builder.root {
        Some(root) => Ok(root),
        None => new_dict(py),
    })
}

/// Keeps the cyclic garbage collector from running while the objects are built, as
/// CPython 3.12 and later do anyway (they collect at the next bytecode boundary, never
/// inside a C call); 3.10 and 3.11 would otherwise traverse the half-built objects,
/// which cannot hold a cycle yet, every 700 containers. The allocations still count: a
/// collection that falls due runs at the first container allocated after the decode
/// (none, if the result was freed by then). No Python code runs while the collector
/// is paused, so nothing can see the pause.
struct GcPause {
    was_enabled: bool,
}

impl GcPause {
    #[allow(unsafe_code)]
    fn new(_attached: Python<'_>) -> Self {
        // SAFETY: the GIL is held (`_attached`); the call only clears a flag and returns
        // its previous value (1 when the collector was enabled).
        let was_enabled = unsafe { ffi::PyGC_Disable() } == 1;
        GcPause { was_enabled }
    }
}

impl Drop for GcPause {
    #[allow(unsafe_code)]
    fn drop(&mut self) {
        if self.was_enabled {
            // SAFETY: the pause lives inside `decode` or `build`, which hold the GIL
            // throughout; the call only sets the flag back.
            unsafe { ffi::PyGC_Enable() };
        }
    }
}

/// The shape slot of the objects under `key` (a cached key object, so every object under
/// the same key text gets the same slot).
fn slot_of(key: *mut ffi::PyObject) -> usize {
    let address = key as usize;
    ((address >> 4) ^ (address >> 10)) % SHAPES
}

/// What one build shares: the key cache, the shapes that spare most lookups in it, and
/// the templates.
struct Keys<'py, 'v> {
    py: Python<'py>,
    /// Key text → its `str` object. Keys are short, so a fast hash; randomly seeded,
    /// because documents may come from untrusted request bodies. Holds a strong reference
    /// to every object it maps to until the build ends, and never removes one.
    cache: HashMap<&'v str, Bound<'py, PyAny>, foldhash::fast::RandomState>,
    /// The keys of the last object filed under each slot (see [`slot_of`]), in order:
    /// their text and their `str` object, borrowed from `cache`.
    shapes: Vec<Vec<(&'v str, *mut ffi::PyObject)>>,
    /// Per slot: a `dict` of a recent object's keys (borrowed from `cache`), in order,
    /// each mapped to `None`, and those keys. Only copies of it leave the build.
    templates: Vec<Option<(Vec<*mut ffi::PyObject>, Bound<'py, PyAny>)>>,
}

impl<'py, 'v> Keys<'py, 'v> {
    fn new(py: Python<'py>) -> Self {
        Keys {
            py,
            cache: HashMap::default(),
            shapes: vec![Vec::new(); SHAPES],
            templates: vec![None; SHAPES],
        }
    }

    /// The `str` object of the `index`-th key of an object in shape slot `slot`,
    /// borrowed from the cache, and whether it is the slot's `index`-th key already.
    fn key(
        &mut self,
        slot: usize,
        index: usize,
        text: &'v str,
    ) -> PyResult<(*mut ffi::PyObject, bool)> {
        let shape = &mut self.shapes[slot];
        if let Some(&(known, object)) = shape.get(index)
            && known == text
        {
            return Ok((object, true));
        }
        let object = match self.cache.entry(text) {
            Entry::Occupied(entry) => entry.get().as_ptr(),
            Entry::Vacant(entry) => entry.insert(new_str(self.py, text)?).as_ptr(),
        };
        match index.cmp(&shape.len()) {
            std::cmp::Ordering::Less => shape[index] = (text, object),
            std::cmp::Ordering::Equal => shape.push((text, object)),
            // A key too long to cache came before: this shape is not recorded.
            std::cmp::Ordering::Greater => {}
        }
        Ok((object, false))
    }

    /// An empty dict for an object of slot `slot` whose keys are `keys`, or a copy of
    /// the slot's template when `keys` are its keys in order; and whether it is a copy.
    #[allow(unsafe_code)]
    fn dict(
        &self,
        slot: usize,
        keys: impl Iterator<Item = *mut ffi::PyObject>,
    ) -> PyResult<(Bound<'py, PyAny>, bool)> {
        match &self.templates[slot] {
            Some((template_keys, template)) if template_keys.iter().copied().eq(keys) => {
                // SAFETY: `template` is a live dict owned by `self.templates`; the GIL is
                // held; a new reference or NULL with an exception set.
                let copy = owned(self.py, unsafe { ffi::PyDict_Copy(template.as_ptr()) })?;
                Ok((copy, true))
            }
            _ => Ok((new_dict(self.py)?, false)),
        }
    }

    /// Makes `keys` (borrowed from the cache, in order) the template of slot `slot`.
    /// Built fresh rather than copied from a finished dict so that it is not tracked by
    /// the garbage collector (a dict of `None`s needs no tracking; a copy of a tracked
    /// dict would be tracked, and so would every dict copied from the template, even a
    /// row of scalars), just as a dict `json.loads` fills with scalars is not.
    #[allow(unsafe_code)]
    fn remember(&mut self, slot: usize, keys: Vec<*mut ffi::PyObject>) -> PyResult<()> {
        let template = new_dict(self.py)?;
        for &key in &keys {
            // SAFETY: `template` is a live dict, `key` a live `str` (borrowed from the
            // cache); `Py_None` only takes the address of the interpreter's `None`.
            // `PyDict_SetItem` takes its own references.
            if unsafe { ffi::PyDict_SetItem(template.as_ptr(), key, ffi::Py_None()) } < 0 {
                return Err(PyErr::fetch(self.py));
            }
        }
        self.templates[slot] = Some((keys, template));
        Ok(())
    }
}

/// Sets `dict[key] = value`.
#[allow(unsafe_code)]
fn set_item(
    dict: &Bound<'_, PyAny>,
    key: *mut ffi::PyObject,
    value: &Bound<'_, PyAny>,
) -> PyResult<()> {
    // SAFETY: `dict` is a live dict and `value` a live object (both held by strong
    // references); every caller passes a `key` that is a live `str` (borrowed from the
    // key cache or held by the caller). `PyDict_SetItem` takes its own references to
    // both. A `str` key hashes and compares without running Python code, and a value it
    // replaces (a template's `None`, or a repeated key's earlier value) is freed without
    // running any either: it was built here.
    if unsafe { ffi::PyDict_SetItem(dict.as_ptr(), key, value.as_ptr()) } < 0 {
        return Err(PyErr::fetch(dict.py()));
    }
    Ok(())
}

/// The walk over a `toon::Value`.
struct Walk<'py, 'v> {
    keys: Keys<'py, 'v>,
    /// The keys of the objects being built, innermost last; for uncached keys, the
    /// objects are held in `dict_at`'s local list.
    scratch: Vec<*mut ffi::PyObject>,
}

impl<'py, 'v> Walk<'py, 'v> {
    /// The object for `value`, found under a key whose shape slot is `slot`.
    #[allow(unsafe_code)]
    fn object(&mut self, value: &'v Value<'_>, slot: usize) -> PyResult<Bound<'py, PyAny>> {
        let py = self.keys.py;
        match value {
            Value::Array(items) => {
                // `Vec` lengths never exceed `isize::MAX`.
                let len = items.len() as ffi::Py_ssize_t;
                // SAFETY: the GIL is held; a new reference or NULL with an exception set.
                let list = owned(py, unsafe { ffi::PyList_New(len) })?;
                for (index, item) in items.iter().enumerate() {
                    let item = self.object(item, slot)?;
                    // SAFETY: `list` is a live list of `len` slots, all NULL until set
                    // here, and `index < len`; `PyList_SetItem` takes over the new
                    // reference (`into_ptr`), and cannot fail for an in-range index of a
                    // list. If a later item fails, the list is freed with its NULL slots,
                    // which `list_dealloc` skips.
                    unsafe {
                        ffi::PyList_SetItem(
                            list.as_ptr(),
                            index as ffi::Py_ssize_t,
                            item.into_ptr(),
                        );
                    }
                }
                Ok(list)
            }
            Value::Object(map) => self.dict(map, slot),
            scalar => primitive(py, scalar),
        }
    }

    /// The `dict` for `map`, found under a key whose shape slot is `slot`. Its keys are
    /// resolved first (onto `self.scratch`), so that a template can be chosen.
    fn dict(&mut self, map: &'v toon::Map<'_>, slot: usize) -> PyResult<Bound<'py, PyAny>> {
        let start = self.scratch.len();
        let built = self.dict_at(map, slot, start);
        self.scratch.truncate(start);
        built
    }

    fn dict_at(
        &mut self,
        map: &'v toon::Map<'_>,
        slot: usize,
        start: usize,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut uncached = Vec::new();
        let mut in_shape = true;
        for (index, key) in map.keys().enumerate() {
            let key_object = if key.len() <= CACHED_KEY_LEN {
                let (object, known) = self.keys.key(slot, index, key)?;
                in_shape &= known;
                object
            } else {
                in_shape = false;
                let object = new_str(self.keys.py, key)?;
                let ptr = object.as_ptr();
                uncached.push(object);
                ptr
            };
            self.scratch.push(key_object);
        }
        let (dict, copied) = self
            .keys
            .dict(slot, self.scratch[start..].iter().copied())?;
        for (index, value) in map.values().enumerate() {
            let key = self.scratch[start + index];
            let value = self.object(value, slot_of(key))?;
            set_item(&dict, key, &value)?;
        }
        // The same keys as the last object of this slot, twice in a row: probably a
        // table or a list of records; later ones start from a copy.
        if !copied && in_shape && map.len() >= TEMPLATE_LEN {
            let keys = self.scratch[start..].to_vec();
            self.keys.remember(slot, keys)?;
        }
        Ok(dict)
    }
}

/// The building from events: the containers still open, and what they hold so far.
struct EventBuilder<'py, 'v> {
    keys: Keys<'py, 'v>,
    open: Vec<Open>,
    /// The entries of the open objects, innermost last.
    entries: Vec<Pending<'py>>,
    /// The items of the open arrays, innermost last.
    items: Vec<Bound<'py, PyAny>>,
    root: Option<Bound<'py, PyAny>>,
    /// The Python error that stopped the building; later events are ignored.
    failure: Option<PyErr>,
}

/// An open container: where its entries or items start, and its shape slot.
enum Open {
    Array {
        start: usize,
        slot: usize,
    },
    Object {
        start: usize,
        slot: usize,
        /// Whether every key so far is the slot's key at that index.
        in_shape: bool,
    },
}

/// A key of an open object and its value once it has one.
struct Pending<'py> {
    /// A live `str`: borrowed from the key cache, or held by `_uncached`.
    key: *mut ffi::PyObject,
    /// The key object when it is not cached (an escaped or long key): held, never read.
    _uncached: Option<Bound<'py, PyAny>>,
    value: Option<Bound<'py, PyAny>>,
}

impl<'py, 'v> EventBuilder<'py, 'v> {
    fn event(&mut self, event: Event<'v>) {
        if self.failure.is_some() {
            return;
        }
        if let Err(error) = self.apply(event) {
            self.failure = Some(error);
        }
    }

    fn apply(&mut self, event: Event<'v>) -> PyResult<()> {
        match event {
            Event::Primitive(value) => {
                let object = primitive(self.keys.py, &value)?;
                self.add(object);
            }
            Event::Key(key) => self.key(key)?,
            Event::StartObject => {
                let slot = self.child_slot();
                self.open.push(Open::Object {
                    start: self.entries.len(),
                    slot,
                    in_shape: true,
                });
            }
            Event::StartArray { .. } => {
                // The declared length is the input's word: nothing is sized by it.
                let slot = self.child_slot();
                self.open.push(Open::Array {
                    start: self.items.len(),
                    slot,
                });
            }
            Event::EndArray => {
                if let Some(Open::Array { start, .. }) = self.open.pop() {
                    let list = self.list(start)?;
                    self.add(list);
                }
            }
            Event::EndObject => {
                if let Some(Open::Object {
                    start,
                    slot,
                    in_shape,
                }) = self.open.pop()
                {
                    let dict = self.dict(start, slot, in_shape)?;
                    self.add(dict);
                }
            }
        }
        Ok(())
    }

    /// The shape slot of a container that starts now: its parent array's, or that of
    /// the key it is the value of (the root's is 0).
    fn child_slot(&self) -> usize {
        match self.open.last() {
            Some(Open::Array { slot, .. }) => *slot,
            Some(Open::Object { .. }) => self.entries.last().map_or(0, |entry| slot_of(entry.key)),
            None => 0,
        }
    }

    fn key(&mut self, key: Cow<'v, str>) -> PyResult<()> {
        let Some(Open::Object {
            start,
            slot,
            in_shape,
        }) = self.open.last_mut()
        else {
            return Ok(());
        };
        let index = self.entries.len() - *start;
        let (key, uncached) = match key {
            Cow::Borrowed(text) if text.len() <= CACHED_KEY_LEN => {
                let (object, known) = self.keys.key(*slot, index, text)?;
                *in_shape &= known;
                (object, None)
            }
            // An escaped or long key: made for this object alone.
            text => {
                *in_shape = false;
                let object = new_str(self.keys.py, &text)?;
                (object.as_ptr(), Some(object))
            }
        };
        self.entries.push(Pending {
            key,
            _uncached: uncached,
            value: None,
        });
        Ok(())
    }

    /// A finished value: the root, the next item of the innermost array, or the value
    /// of the innermost object's last key.
    fn add(&mut self, object: Bound<'py, PyAny>) {
        match self.open.last() {
            None => self.root = Some(object),
            Some(Open::Array { .. }) => self.items.push(object),
            Some(Open::Object { start, .. }) => {
                if self.entries.len() > *start
                    && let Some(entry) = self.entries.last_mut()
                {
                    entry.value = Some(object);
                }
            }
        }
    }

    /// The list of the items from `start` on, which it takes.
    #[allow(unsafe_code)]
    fn list(&mut self, start: usize) -> PyResult<Bound<'py, PyAny>> {
        let py = self.keys.py;
        // `Vec` lengths never exceed `isize::MAX`.
        let len = (self.items.len() - start) as ffi::Py_ssize_t;
        // SAFETY: the GIL is held; a new reference or NULL with an exception set.
        let list = owned(py, unsafe { ffi::PyList_New(len) })?;
        for (index, item) in self.items.drain(start..).enumerate() {
            // SAFETY: `list` is a live list of `len` slots, all NULL until set here, and
            // `index < len`; `PyList_SetItem` takes over the new reference (`into_ptr`),
            // and cannot fail for an in-range index of a list.
            unsafe {
                ffi::PyList_SetItem(list.as_ptr(), index as ffi::Py_ssize_t, item.into_ptr());
            }
        }
        Ok(list)
    }

    /// The dict of the entries from `start` on, which it takes.
    fn dict(&mut self, start: usize, slot: usize, in_shape: bool) -> PyResult<Bound<'py, PyAny>> {
        let py = self.keys.py;
        let keys = self.entries[start..].iter().map(|entry| entry.key);
        let (dict, copied) = self.keys.dict(slot, keys)?;
        let len = self.entries.len() - start;
        if !copied && in_shape && len >= TEMPLATE_LEN {
            let keys = self.entries[start..]
                .iter()
                .map(|entry| entry.key)
                .collect();
            self.keys.remember(slot, keys)?;
        }
        for entry in self.entries.drain(start..) {
            // A key always gets its value before its object ends.
            let value = entry.value.unwrap_or_else(|| py.None().into_bound(py));
            set_item(&dict, entry.key, &value)?;
        }
        Ok(dict)
    }
}

/// The object of a primitive `value` (never an array or object).
#[allow(unsafe_code)]
fn primitive<'py>(py: Python<'py>, value: &Value<'_>) -> PyResult<Bound<'py, PyAny>> {
    match value {
        Value::Null => Ok(py.None().into_bound(py)),
        Value::Bool(b) => Ok(PyBool::new(py, *b).to_owned().into_any()),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                // SAFETY: the GIL is held; the call returns a new reference or NULL with
                // an exception set, which `owned` turns into an error.
                owned(py, unsafe { ffi::PyLong_FromLongLong(i) })
            } else if let Some(u) = n.as_u64() {
                // SAFETY: as above.
                owned(py, unsafe { ffi::PyLong_FromUnsignedLongLong(u) })
            } else if let Some(digits) = n.as_big_integer() {
                big_integer(py, digits)
            } else {
                // SAFETY: as above.
                owned(py, unsafe { ffi::PyFloat_FromDouble(n.as_f64()) })
            }
        }
        Value::String(s) => new_str(py, s),
        Value::Array(_) | Value::Object(_) => Err(PyValueError::new_err("expected a primitive")),
    }
}

/// Takes over a new reference returned by the C API; NULL means the call failed and set
/// an exception, which becomes the error.
#[allow(unsafe_code)]
fn owned(py: Python<'_>, ptr: *mut ffi::PyObject) -> PyResult<Bound<'_, PyAny>> {
    // SAFETY: every caller passes the result of a C API call that returns a new
    // reference (or NULL with an exception set), with the GIL held.
    unsafe { Bound::from_owned_ptr_or_err(py, ptr) }
}

/// A new empty `dict`.
#[allow(unsafe_code)]
fn new_dict(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    // SAFETY: the GIL is held; a new reference or NULL with an exception set.
    owned(py, unsafe { ffi::PyDict_New() })
}

/// A new `str` with the text `s`.
#[allow(unsafe_code)]
fn new_str<'py>(py: Python<'py>, s: &str) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: `s` is `s.len()` bytes of valid UTF-8, alive during the call (which copies
    // them); `str` lengths never exceed `isize::MAX`. The GIL is held.
    owned(py, unsafe {
        ffi::PyUnicode_FromStringAndSize(s.as_ptr().cast(), s.len() as ffi::Py_ssize_t)
    })
}

/// The exact `int` of an integer literal beyond 64 bits (`-?[1-9][0-9]*`).
#[cold]
#[allow(unsafe_code)]
fn big_integer<'py>(py: Python<'py>, digits: &str) -> PyResult<Bound<'py, PyAny>> {
    let digits =
        CString::new(digits).map_err(|_| PyValueError::new_err("integer digits hold a NUL"))?;
    // SAFETY: `digits` is a NUL-terminated string alive during the call; base 10 and a
    // NULL end pointer are valid arguments. The GIL is held.
    owned(py, unsafe {
        ffi::PyLong_FromString(digits.as_ptr(), std::ptr::null_mut(), 10)
    })
}
