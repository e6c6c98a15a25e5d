//! What the decoder reports as it reads: structural events with their position, handed
//! to an [`EventSink`] (a `Value` builder, a queue for the pull stream, ...).

use std::borrow::Cow;

use super::header::FieldSpec;
use crate::value::Value;

/// Where an event's token starts: 1-based line and byte offset within that line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    /// 1-based line number.
    pub line: usize,
    /// Byte offset of the token within its line (0-based).
    pub offset: usize,
}

/// One step of a decoded document, like the reference's `JsonStreamEvent`.
#[derive(Debug, Clone, PartialEq)]
pub enum Event<'a> {
    /// An object begins.
    StartObject,
    /// The innermost open object ends.
    EndObject,
    /// An array begins; `length` is the `N` its header declares (`None` when `N` does
    /// not fit in `usize`). In non-strict mode the elements that follow may differ from it.
    StartArray {
        /// The declared length.
        length: Option<usize>,
    },
    /// The innermost open array ends.
    EndArray,
    /// The key of the next value in the innermost open object.
    Key(Cow<'a, str>),
    /// A primitive value (never an array or object).
    Primitive(Value<'a>),
}

/// Receives the decoder's events in document order.
pub(crate) trait EventSink<'a> {
    /// An object begins; `size_hint` is how many keys are expected (0 when unknown).
    fn start_object(&mut self, at: Position, size_hint: usize);
    /// The innermost object ends.
    fn end_object(&mut self);
    /// An array begins with its declared length.
    fn start_array(&mut self, at: Position, length: Option<usize>);
    /// The innermost array ends.
    fn end_array(&mut self);
    /// A key of the innermost object.
    fn key(&mut self, at: Position, key: Cow<'a, str>);
    /// A primitive value.
    fn primitive(&mut self, at: Position, value: Value<'a>);

    /// A key and its primitive value (never an array): by default, the two events.
    fn field(&mut self, key_at: Position, key: Cow<'a, str>, value_at: Position, value: Value<'a>) {
        self.key(key_at, key);
        self.primitive(value_at, value);
    }

    /// A whole tabular row or keyed-entry value: an object of the header's `fields` (of
    /// table `table`, an id unique within one decode) whose leaves are `cells` in order,
    /// each with its byte offset on line `line`; `at` is where the row starts. By default
    /// the row is reported as the events of that object.
    fn row(
        &mut self,
        table: usize,
        fields: &[FieldSpec<'a>],
        cells: &mut std::vec::Drain<'_, (Value<'a>, usize)>,
        line: usize,
        at: Position,
    ) {
        let _ = table;
        emit_row(fields, cells, line, at, self);
    }
}

/// The six event methods of an [`EventSink`] that records events in order: the type
/// has a `last: Position` field and a `push(&mut self, Event<'a>, Position)` method; an
/// end event gets the position of the latest start, key or primitive.
macro_rules! record_events {
    () => {
        #[inline]
        fn start_object(&mut self, at: Position, _: usize) {
            self.last = at;
            self.push(Event::StartObject, at);
        }

        #[inline]
        fn end_object(&mut self) {
            self.push(Event::EndObject, self.last);
        }

        #[inline]
        fn start_array(&mut self, at: Position, length: Option<usize>) {
            self.last = at;
            self.push(Event::StartArray { length }, at);
        }

        #[inline]
        fn end_array(&mut self) {
            self.push(Event::EndArray, self.last);
        }

        #[inline]
        fn key(&mut self, at: Position, key: std::borrow::Cow<'a, str>) {
            self.last = at;
            self.push(Event::Key(key), at);
        }

        #[inline]
        fn primitive(&mut self, at: Position, value: Value<'a>) {
            self.last = at;
            self.push(Event::Primitive(value), at);
        }
    };
}
pub(crate) use record_events;

/// Reports a row object as events: fields in header order, nested groups as nested
/// objects, a missing cell as `null`.
pub(crate) fn emit_row<'a, S: EventSink<'a> + ?Sized>(
    fields: &[FieldSpec<'a>],
    cells: &mut impl Iterator<Item = (Value<'a>, usize)>,
    line: usize,
    at: Position,
    sink: &mut S,
) {
    sink.start_object(at, fields.len());
    for field in fields {
        match &field.children {
            Some(children) => {
                sink.key(at, field.name.clone());
                emit_row(children, cells, line, at, sink);
            }
            None => {
                let (value, offset) = cells.next().unwrap_or_else(|| (Value::Null, 0));
                let at = Position { line, offset };
                sink.key(at, field.name.clone());
                sink.primitive(at, value);
            }
        }
    }
    sink.end_object();
}
