//! What the decoder reports as it reads: structural events with their position, handed
//! to an [`EventSink`] (a `Value` builder, a queue for the pull stream, ...).

use std::borrow::Cow;

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
}
