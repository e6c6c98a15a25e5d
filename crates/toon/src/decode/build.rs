//! Builds a [`Value`] from decoder events with an explicit stack (no recursion).

use std::borrow::Cow;

use super::event::{EventSink, Position};
use crate::value::{Map, Value};

/// An [`EventSink`] that assembles the events into one `Value`.
///
/// Entries of open objects wait on one shared scratch stack; an object is allocated
/// once, at its exact size, when it ends (instead of a `Vec` growing by doubling per
/// object: five reallocations for a 40-key object). Table rows, whose size is known,
/// and arrays are filled in place.
pub(crate) struct ValueBuilder<'a> {
    stack: Vec<Frame<'a>>,
    /// Entries of the open objects, innermost last.
    entries: Vec<(Cow<'a, str>, Value<'a>)>,
    root: Option<Value<'a>>,
    /// Strict mode: the machine has rejected every duplicate key, so keys are appended
    /// without a lookup.
    unique_keys: bool,
    /// Set when a key repeated within one object (its last value was kept).
    repeated_key: bool,
}

/// An open container: an array, an object whose entries start at `start` on the
/// scratch stack, or an object whose size is known up front (a table row).
enum Frame<'a> {
    Array(Vec<Value<'a>>),
    Object {
        start: usize,
        key: Option<Cow<'a, str>>,
    },
    Sized {
        map: Map<'a>,
        key: Option<Cow<'a, str>>,
    },
}

impl<'a> ValueBuilder<'a> {
    /// A builder; `unique_keys` when the decoder guarantees no duplicate keys (strict).
    pub(crate) fn new(unique_keys: bool) -> Self {
        ValueBuilder {
            stack: Vec::new(),
            entries: Vec::new(),
            root: None,
            unique_keys,
            repeated_key: false,
        }
    }

    /// The value added last to the innermost open object, if that object is still open.
    pub(crate) fn last_value(&self) -> Option<&Value<'a>> {
        match self.stack.last()? {
            Frame::Object { start, .. } => self.entries[*start..].last().map(|(_, v)| v),
            Frame::Sized { map, .. } => map.values().next_back(),
            Frame::Array(_) => None,
        }
    }

    /// The element added last to the innermost open array, if that array is still open.
    pub(crate) fn last_element(&self) -> Option<&Value<'a>> {
        match self.stack.last()? {
            Frame::Array(items) => items.last(),
            Frame::Object { .. } | Frame::Sized { .. } => None,
        }
    }

    /// Drops the element added last to the innermost open array (a row already handed
    /// out, when the caller keeps no rows).
    pub(crate) fn drop_last_element(&mut self) {
        if let Some(Frame::Array(items)) = self.stack.last_mut() {
            items.pop();
        }
    }

    /// Whether some object had a key twice (never in strict mode).
    pub(crate) fn repeated_key(&self) -> bool {
        self.repeated_key
    }

    /// The finished value (an empty object when no event arrived).
    pub(crate) fn finish(self) -> Value<'a> {
        self.root.unwrap_or_else(|| Value::Object(Map::new()))
    }

    #[inline]
    fn add(&mut self, value: Value<'a>) {
        match self.stack.last_mut() {
            Some(Frame::Array(items)) => items.push(value),
            Some(Frame::Object { key, .. }) => {
                let key = key.take().unwrap_or_default();
                self.entries.push((key, value));
            }
            Some(Frame::Sized { map, key }) => {
                let key = key.take().unwrap_or_default();
                if self.unique_keys {
                    map.push_unique(key, value);
                } else {
                    self.repeated_key |= map.insert(key, value).is_some();
                }
            }
            None => self.root = Some(value),
        }
    }
}

impl<'a> EventSink<'a> for ValueBuilder<'a> {
    #[inline]
    fn start_object(&mut self, _: Position, size_hint: usize) {
        // The hint is the field count of a table header the machine has checked, never
        // a number taken from the input.
        self.stack.push(if size_hint > 0 {
            Frame::Sized {
                map: Map::with_capacity(size_hint),
                key: None,
            }
        } else {
            Frame::Object {
                start: self.entries.len(),
                key: None,
            }
        });
    }

    #[inline]
    fn end_object(&mut self) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        if let Frame::Sized { map, .. } = frame {
            self.add(Value::Object(map));
        } else if let Frame::Object { start, .. } = frame {
            let entries = self.entries.drain(start..);
            let map = if self.unique_keys {
                Map::from_unique_entries(entries.collect())
            } else {
                // Non-strict duplicates: the last value wins and keeps the first position.
                let mut map = Map::with_capacity(entries.len());
                for (key, value) in entries {
                    self.repeated_key |= map.insert(key, value).is_some();
                }
                map
            };
            self.add(Value::Object(map));
        }
    }

    #[inline]
    fn start_array(&mut self, _: Position, _: Option<usize>) {
        // The declared length is attacker-controlled: never size anything by it.
        self.stack.push(Frame::Array(Vec::new()));
    }

    #[inline]
    fn end_array(&mut self) {
        if let Some(Frame::Array(items)) = self.stack.pop() {
            self.add(Value::Array(items));
        }
    }

    #[inline]
    fn key(&mut self, _: Position, key: Cow<'a, str>) {
        if let Some(Frame::Object { key: pending, .. } | Frame::Sized { key: pending, .. }) =
            self.stack.last_mut()
        {
            *pending = Some(key);
        }
    }

    #[inline]
    fn primitive(&mut self, _: Position, value: Value<'a>) {
        self.add(value);
    }
}
