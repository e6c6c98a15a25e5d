//! The push encoder: writes TOON while a producer (the serde `Serializer`) reports a
//! value piece by piece, instead of building a whole [`Value`] first.
//!
//! Most of TOON can be written as it arrives: an object's fields, a list's items. Two
//! decisions need the future, and are handled as follows:
//!
//! - **An array's form** (inline, tabular, list) depends on all its elements. The
//!   encoder guesses from the first element and writes on: primitives as an inline row,
//!   objects as table rows (with nested field groups). When an element breaks the
//!   guess, the text written for the array so far is read back into events and
//!   *replayed*: in list form when the break proves the array is a list, or into a
//!   [`Value`] (then written by the tree encoder) when only the whole array can tell
//!   (a row with its keys in another order).
//! - **Keyed tabular form** is possible for an object whose first value is a non-empty
//!   object. Such an object is written as ordinary fields while it may still be keyed
//!   (every value a non-empty object holding no array); when it ends so, its text is
//!   read back and, if the tree encoder writes it keyed, rewritten.
//!
//! The output is byte-identical to encoding the equivalent [`Value`].
//!
//! This file holds the encoder's state, its start and end, and a primitive's dispatch;
//! keys, struct fields' line starts, objects, keyed candidates, arrays, built values, the
//! table guess and the output window each have a file of their own.

use std::io;

use bumpalo::Bump;

mod array;
mod build;
mod guess;
mod key;
mod key_lines;
mod keyed;
mod object;
mod output;

use array::Form;
use build::{Build, primitive_in};
use guess::Guess;
use key::PendingKey;
use key_lines::KeyLines;

use super::Encoder;
use crate::decode::build::ValueBuilder;
use crate::decode::event::{EventSink, Position};
use crate::decode::scan::{TokenPosition, parse_primitive};
use crate::error::{Category, Error, Result};
use crate::options::EncodeOptions;
use crate::value::Value;

/// Where a value sits, which decides how its first line starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// The document itself.
    Root,
    /// An object field whose line is at this depth.
    Field(usize),
    /// A list item whose hyphen line is at this depth.
    Item(usize),
    /// The first field of a list-item object, written after the hyphen at this depth.
    ItemFirst(usize),
}

/// An open container written as it arrives.
#[derive(Debug)]
enum Frame {
    /// An object, whose fields are written as they come.
    Object {
        slot: Slot,
        /// Where this object's own text starts (absolute offset), to take it back when the
        /// object turns out to need the tree encoder (keyed form).
        start: usize,
        /// Values started so far.
        fields: usize,
        /// Whether the object may still be keyed (`keyed.rs`).
        keyed: bool,
    },
    /// An array, whose form is guessed from its first element.
    Array {
        slot: Slot,
        /// Where the array's own text starts (absolute offset).
        start: usize,
        /// Just after `[N]` (with its delimiter mark): where the form's text begins.
        header_end: usize,
        /// Depth of its items or rows.
        items_depth: usize,
        /// The element count announced up front; `None` when unknown (JSON), then the
        /// count is inserted at `count_at` when the array ends.
        declared: Option<usize>,
        /// Just after the header's `[`.
        count_at: usize,
        /// Elements started so far.
        count: usize,
        form: Form,
    },
}

/// Writes TOON from pushed events; see the module documentation.
pub(crate) struct PushEncoder<'b, 'w> {
    /// The tree encoder: its buffer holds the text, and it writes what is built.
    enc: Encoder<String>,
    /// Holds the strings of containers built as values.
    arena: &'b Bump,
    /// The containers open in the text, outermost first.
    frames: Vec<Frame>,
    /// The key waiting for its value.
    pending: PendingKey,
    /// Text of a copied pending key.
    key: String,
    /// Line starts of struct fields written before (the thread's, given back on drop).
    key_lines: KeyLines,
    /// The table guess of the innermost array.
    guess: Guess,
    /// The container being built as a value, if any.
    build: Option<Build<'b>>,
    /// Open objects that may still be keyed.
    candidates: usize,
    /// The outermost open keyed candidate, recorded as a value.
    recorded: Option<ValueBuilder<'b>>,
    /// The text of a broken guess's cells, and where each cell sits in it (both kept
    /// for their capacity).
    replay_text: String,
    replay_cells: Vec<(usize, usize)>,
    /// Bytes already handed to `writer` (absolute offset of `enc.out[0]`).
    base: usize,
    /// Where finished text goes, when the encoder writes as it goes.
    writer: Option<&'w mut dyn io::Write>,
    /// Whether the document's single root value has begun.
    started: bool,
}

impl Drop for PushEncoder<'_, '_> {
    fn drop(&mut self) {
        std::mem::take(&mut self.key_lines).give_back();
    }
}

/// The position of events fed to a `ValueBuilder`: pushed values have no source text,
/// so no line or column to report.
fn at() -> Position {
    Position::default()
}

impl<'b, 'w> PushEncoder<'b, 'w> {
    /// An encoder keeping its text (take it with [`PushEncoder::finish`]); strings of
    /// containers built as values are copied into `arena`.
    pub(crate) fn new(options: &EncodeOptions, arena: &'b Bump) -> Result<Self> {
        options.validate()?;
        Ok(PushEncoder {
            enc: Encoder::new(String::new(), options),
            arena,
            frames: Vec::new(),
            pending: PendingKey::None,
            key: String::new(),
            key_lines: KeyLines::take(options.indent()),
            guess: Guess::default(),
            build: None,
            candidates: 0,
            recorded: None,
            replay_text: String::new(),
            replay_cells: Vec::new(),
            base: 0,
            writer: None,
            started: false,
        })
    }

    /// An encoder that hands finished text to `writer` in chunks as it goes.
    pub(crate) fn to_writer(
        options: &EncodeOptions,
        arena: &'b Bump,
        writer: &'w mut dyn io::Write,
    ) -> Result<Self> {
        let mut encoder = PushEncoder::new(options, arena)?;
        encoder.writer = Some(writer);
        Ok(encoder)
    }

    /// The document, once the root value has ended (the text not yet written out, when
    /// writing to a writer, which is also flushed).
    pub(crate) fn finish(mut self) -> Result<String> {
        if !self.frames.is_empty() || self.build.is_some() {
            return Err(Error::new(
                Category::Data,
                "the value ended before its containers",
            ));
        }
        if let Some(writer) = self.writer.take() {
            writer
                .write_all(self.enc.out.as_bytes())
                .map_err(Error::io)?;
            writer.flush().map_err(Error::io)?;
            return Ok(String::new());
        }
        Ok(std::mem::take(&mut self.enc.out))
    }

    /// Fails when `extra` more open containers would pass the nesting limit.
    fn depth_check(&self, extra: usize) -> Result<()> {
        let open = self.frames.len() + self.guess.open_groups() + extra;
        if open > self.enc.max_depth {
            return Err(Error::new(
                Category::Limit,
                format!(
                    "nesting deeper than the limit of {} levels",
                    self.enc.max_depth
                ),
            ));
        }
        Ok(())
    }

    /// Marks the root value begun: a document holds one value.
    fn root_started(&mut self) -> Result<()> {
        if std::mem::replace(&mut self.started, true) {
            return Err(Error::new(
                Category::Data,
                "a second value after the document's root",
            ));
        }
        Ok(())
    }

    /// A primitive value (never an array or object).
    #[inline]
    pub(crate) fn primitive(&mut self, value: &Value<'_>) -> Result<()> {
        if self.guess.expects_cell() {
            if self.guess.take_cell() {
                self.enc.delimiter_char();
            }
            self.enc.primitive(value);
            return Ok(());
        }
        self.any_primitive(value)
    }

    /// A primitive that is not a cell of a guessed table row.
    #[inline(never)]
    fn any_primitive(&mut self, value: &Value<'_>) -> Result<()> {
        if let Some(build) = &mut self.build {
            build
                .builder
                .primitive(at(), primitive_in(self.arena, value));
            return Ok(());
        }
        match self.frames.last_mut() {
            None => {
                self.root_started()?;
                self.enc.root(value)
            }
            Some(Frame::Object { .. }) => {
                self.primitive_field_starts(value);
                self.begin_field();
                self.enc.out.push_str(": ");
                self.enc.primitive(value);
                Ok(())
            }
            Some(Frame::Array { .. }) => self.array_primitive(value),
        }
    }

    /// A primitive already encoded as `text` (a cell of a broken guess, replayed): a
    /// field of the innermost object, or an item of the innermost list.
    fn primitive_text(&mut self, text: &str) -> Result<()> {
        if !matches!(self.frames.last(), Some(Frame::Object { .. })) {
            return self.list_item_text(text);
        }
        // Inside a keyed candidate the field is recorded as a value, read back here.
        let value = match self.recording() {
            true => parse_primitive(text, TokenPosition::Cell, true).unwrap_or(Value::Null),
            false => Value::Null,
        };
        self.primitive_field_starts(&value);
        self.begin_field();
        self.enc.out.push_str(": ");
        self.enc.out.push_str(text);
        Ok(())
    }
}
