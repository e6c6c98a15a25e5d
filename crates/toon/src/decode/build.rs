//! Builds a [`Value`] from decoder events with an explicit stack (no recursion).

use std::borrow::Cow;

use super::event::{EventSink, Position};
use crate::value::{Map, Value};

/// An [`EventSink`] that assembles the events into one `Value`.
pub(crate) struct ValueBuilder<'a> {
    stack: Vec<Partial<'a>>,
    root: Option<Value<'a>>,
    /// Strict mode: the machine has rejected every duplicate key, so keys are appended
    /// without a lookup.
    unique_keys: bool,
}

enum Partial<'a> {
    Array(Vec<Value<'a>>),
    Object(Map<'a>, Option<Cow<'a, str>>),
}

impl<'a> ValueBuilder<'a> {
    /// A builder; `unique_keys` when the decoder guarantees no duplicate keys (strict).
    pub(crate) fn new(unique_keys: bool) -> Self {
        ValueBuilder {
            stack: Vec::new(),
            root: None,
            unique_keys,
        }
    }

    /// The finished value (an empty object when no event arrived).
    pub(crate) fn finish(self) -> Value<'a> {
        self.root.unwrap_or_else(|| Value::Object(Map::new()))
    }

    #[inline]
    fn add(&mut self, value: Value<'a>) {
        match self.stack.last_mut() {
            Some(Partial::Array(items)) => items.push(value),
            Some(Partial::Object(map, key)) => {
                let key = key.take().unwrap_or_default();
                if self.unique_keys {
                    map.push_unique(key, value);
                } else {
                    // Non-strict duplicates: the last value wins and keeps the first position.
                    map.insert(key, value);
                }
            }
            None => self.root = Some(value),
        }
    }
}

impl<'a> EventSink<'a> for ValueBuilder<'a> {
    #[inline]
    fn start_object(&mut self, _: Position, size_hint: usize) {
        self.stack
            .push(Partial::Object(Map::with_capacity(size_hint), None));
    }

    #[inline]
    fn end_object(&mut self) {
        if let Some(Partial::Object(map, _)) = self.stack.pop() {
            self.add(Value::Object(map));
        }
    }

    #[inline]
    fn start_array(&mut self, _: Position, _: Option<usize>) {
        // The declared length is attacker-controlled: never size anything by it.
        self.stack.push(Partial::Array(Vec::new()));
    }

    #[inline]
    fn end_array(&mut self) {
        if let Some(Partial::Array(items)) = self.stack.pop() {
            self.add(Value::Array(items));
        }
    }

    #[inline]
    fn key(&mut self, _: Position, key: Cow<'a, str>) {
        if let Some(Partial::Object(_, pending)) = self.stack.last_mut() {
            *pending = Some(key);
        }
    }

    #[inline]
    fn primitive(&mut self, _: Position, value: Value<'a>) {
        self.add(value);
    }
}
