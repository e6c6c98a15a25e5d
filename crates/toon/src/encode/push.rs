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
//!   object. Such an object is built as a [`Value`] and written by the tree encoder.
//!
//! The output is byte-identical to encoding the equivalent [`Value`].

use std::borrow::Cow;
use std::io;

use bumpalo::Bump;

use super::shape::same_key;
use super::{Encoder, quote};
use crate::decode::build::ValueBuilder;
use crate::decode::event::{EventSink, Position};
use crate::decode::scan::{TokenPosition, parse_primitive, parse_quoted, split_cells};
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

/// How an open array is being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// Declared empty: no element may follow.
    Empty,
    /// Header written, no element yet.
    Pending,
    /// Guessing inline (`[N]: a,b`): every element so far was a primitive.
    Inline,
    /// Guessing tabular: every element so far was a row matching the header.
    Tabular,
    /// List form (`- item` lines), final.
    List,
}

/// An open container written as it arrives.
#[derive(Debug)]
enum Frame {
    Object {
        slot: Slot,
        /// Where this object's own text starts (absolute offset), to take it back when the
        /// object turns out to need the tree encoder (keyed form).
        start: usize,
        /// Values started so far.
        fields: usize,
    },
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

/// One column of a table header, in depth-first order.
#[derive(Debug, Clone, Copy)]
struct Column {
    /// Range of its name in [`Guess::names`].
    name: (usize, usize),
    kind: ColumnKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ColumnKind {
    /// Its key has arrived in the first row, its value not yet.
    Unknown,
    Leaf,
    /// A nested field group; `end` is the index after its last descendant (`usize::MAX`
    /// while the first row is still defining it).
    Group {
        end: usize,
    },
}

/// The state of the innermost array while its form is a guess (inline or tabular).
#[derive(Default)]
struct Guess {
    columns: Vec<Column>,
    names: String,
    /// Columns consumed in the current row.
    cursor: usize,
    /// Whether the key of `columns[cursor]` has been consumed.
    key_consumed: bool,
    /// Open field groups of the current row (column indexes).
    groups: Vec<usize>,
    row_open: bool,
    /// Whether the open row is the first (which defines the columns).
    first_row: bool,
    /// A row after the first is open: the fast paths apply.
    later_row: bool,
    /// The column index after the innermost open level of a later row.
    level_end: usize,
    /// Cells written in the current row.
    cells: usize,
    /// Where the first row's cells start (absolute offset), after the inserted header.
    rows_start: usize,
}

/// Why a guess failed, and so how the array continues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Broken {
    /// The array is certainly in list form.
    List,
    /// Only the whole array can tell: build it as a `Value`.
    Build,
}

/// A container being built as a `Value` for the tree encoder.
struct Build<'b> {
    builder: ValueBuilder<'b>,
    /// Open containers inside the builder.
    open: usize,
    slot: Slot,
    /// The key of a `Field` or `ItemFirst` slot.
    key: String,
    /// An object built because it may be keyed: its direct keys wait in the encoder's
    /// pending key until their value shows whether the object can still be keyed.
    candidate: bool,
}

/// A key waiting for its value: borrowed for struct fields, copied for map keys.
#[derive(Debug, Clone, Copy)]
enum PendingKey {
    None,
    Static(&'static str),
    Copied,
}

/// Writes TOON from pushed events; see the module documentation.
pub(crate) struct PushEncoder<'b, 'w> {
    enc: Encoder<String>,
    arena: &'b Bump,
    frames: Vec<Frame>,
    pending: PendingKey,
    /// Text of a copied pending key.
    key: String,
    guess: Guess,
    build: Option<Build<'b>>,
    /// Cells read back from a broken guess (kept for their capacity).
    replay_cells: Vec<Value<'b>>,
    /// Bytes already handed to `writer` (absolute offset of `enc.out[0]`).
    base: usize,
    writer: Option<&'w mut dyn io::Write>,
    /// Whether the document's single root value has begun.
    started: bool,
}

const FLUSH_AT: usize = 64 * 1024;

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
            guess: Guess::default(),
            build: None,
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

    // ----- offsets and rewinding -----

    fn offset(&self) -> usize {
        self.base + self.enc.out.len()
    }

    fn text_from(&self, offset: usize) -> &str {
        &self.enc.out[offset - self.base..]
    }

    /// Takes back everything written from `offset` on.
    fn rewind(&mut self, offset: usize) {
        self.enc.out.truncate(offset - self.base);
        self.enc.at_start = offset == 0;
    }

    /// Hands finished text to the writer: everything before the innermost container
    /// that may still be rewritten.
    fn maybe_flush(&mut self) -> Result<()> {
        if self.writer.is_none() || self.enc.out.len() < FLUSH_AT || self.build.is_some() {
            return Ok(());
        }
        let keep_from = match self.frames.last() {
            Some(Frame::Array {
                start,
                form: Form::Inline | Form::Tabular,
                ..
            }) => *start,
            Some(Frame::Object {
                start, fields: 0, ..
            }) => *start,
            _ => self.offset(),
        };
        // An array of unknown length gets its count inserted when it ends.
        let unknown = self.frames.iter().find_map(|frame| match frame {
            Frame::Array {
                declared: None,
                count_at,
                ..
            } => Some(*count_at),
            _ => None,
        });
        let keep_from = unknown.map_or(keep_from, |at| at.min(keep_from));
        let cut = keep_from - self.base;
        if cut == 0 {
            return Ok(());
        }
        if let Some(writer) = self.writer.as_mut() {
            writer
                .write_all(&self.enc.out.as_bytes()[..cut])
                .map_err(Error::io)?;
        }
        self.enc.out.drain(..cut);
        self.base += cut;
        Ok(())
    }

    fn depth_check(&self, extra: usize) -> Result<()> {
        let open = self.frames.len() + self.guess.groups.len() + extra;
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

    // ----- keys -----

    fn take_key(&mut self) -> Cow<'_, str> {
        match std::mem::replace(&mut self.pending, PendingKey::None) {
            PendingKey::Static(key) => Cow::Borrowed(key),
            PendingKey::Copied => Cow::Borrowed(self.key.as_str()),
            PendingKey::None => Cow::Borrowed(""),
        }
    }

    fn write_pending_key(&mut self) {
        match std::mem::replace(&mut self.pending, PendingKey::None) {
            PendingKey::Static(key) => self.enc.key(key),
            PendingKey::Copied => self.enc.key(&self.key),
            PendingKey::None => self.enc.key(""),
        }
    }

    /// The key written at `offset` (`\n`, indentation, maybe `- `, then the key), read
    /// back for a container handed to the tree encoder.
    fn key_at(&self, offset: usize) -> String {
        let text = self.text_from(offset).trim_start_matches('\n');
        let text = text.trim_start_matches(' ');
        let text = text.strip_prefix("- ").unwrap_or(text);
        if text.starts_with('"') {
            let end = crate::decode::scan::closing_quote(text, 0).map_or(text.len(), |c| c + 1);
            return parse_quoted(&text[..end]).map_or_else(|_| String::new(), Cow::into_owned);
        }
        let end = text.find(['[', ':']).unwrap_or(text.len());
        text[..end].to_owned()
    }

    /// Keeps a copy of a key until its value arrives.
    fn copy_key(&mut self, key: &str) {
        self.key.clear();
        self.key.push_str(key);
        self.pending = PendingKey::Copied;
    }

    // ----- events -----

    /// The key of the next value of the innermost object (a struct field name).
    #[inline]
    pub(crate) fn key_static(&mut self, key: &'static str) -> Result<()> {
        if self.guess.expected_key(key) {
            return Ok(());
        }
        if self.build.is_some() || self.guess_open_row() {
            return self.any_key(key);
        }
        self.pending = PendingKey::Static(key);
        Ok(())
    }

    /// The key of the next value of the innermost object.
    #[inline]
    pub(crate) fn key(&mut self, key: &str) -> Result<()> {
        if self.guess.expected_key(key) {
            return Ok(());
        }
        self.any_key(key)
    }

    #[inline(never)]
    fn any_key(&mut self, key: &str) -> Result<()> {
        if let Some(build) = &mut self.build {
            if build.candidate && build.open == 1 {
                self.key.clear();
                self.key.push_str(key);
                self.pending = PendingKey::Copied;
            } else {
                let key = Cow::Borrowed(&*self.arena.alloc_str(key));
                build.builder.key(at(), key);
            }
            return Ok(());
        }
        if self.guess_open_row() {
            return match self.guess_key(key) {
                Ok(()) => Ok(()),
                Err(broken) => {
                    self.break_guess(broken)?;
                    self.key(key)
                }
            };
        }
        self.copy_key(key);
        Ok(())
    }

    /// A primitive value (never an array or object).
    #[inline]
    pub(crate) fn primitive(&mut self, value: &Value<'_>) -> Result<()> {
        if self.guess.expects_cell() {
            let guess = &mut self.guess;
            guess.cursor += 1;
            guess.key_consumed = false;
            guess.cells += 1;
            if guess.cells > 1 {
                self.enc.delimiter_char();
            }
            self.enc.primitive(value);
            return Ok(());
        }
        self.any_primitive(value)
    }

    #[inline(never)]
    fn any_primitive(&mut self, value: &Value<'_>) -> Result<()> {
        if let Some(build) = &mut self.build {
            if build.candidate && build.open == 1 {
                // A primitive field: the object is not keyed after all.
                self.resume_streaming()?;
                return self.primitive(value);
            }
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
                self.begin_field();
                self.enc.out.push_str(": ");
                self.enc.primitive(value);
                Ok(())
            }
            Some(Frame::Array { .. }) => self.array_primitive(value),
        }
    }

    /// Starts the innermost object's next field: the object's own `:` before its first
    /// field, then the field's line and key. Returns the field's slot and where the
    /// field's own text starts.
    fn begin_field(&mut self) -> (Slot, usize) {
        let Some(Frame::Object { slot, fields, .. }) = self.frames.last_mut() else {
            return (Slot::Root, self.offset());
        };
        let (parent, first) = (*slot, *fields == 0);
        *fields += 1;
        if first && matches!(parent, Slot::Field(_) | Slot::ItemFirst(_)) {
            self.enc.out.push(':');
        }
        let slot = Self::child_slot(parent, first);
        let start = self.offset();
        match slot {
            Slot::Field(depth) => self.enc.start_line(depth),
            Slot::ItemFirst(depth) => self.enc.start_item(depth),
            Slot::Root | Slot::Item(_) => {}
        }
        self.write_pending_key();
        (slot, start)
    }

    /// The slot of an object's next field, given the object's own slot.
    fn child_slot(slot: Slot, first: bool) -> Slot {
        match slot {
            Slot::Root => Slot::Field(0),
            Slot::Field(depth) => Slot::Field(depth + 1),
            Slot::ItemFirst(depth) => Slot::Field(depth + 2),
            Slot::Item(depth) if first => Slot::ItemFirst(depth),
            Slot::Item(depth) => Slot::Field(depth + 1),
        }
    }

    fn root_started(&mut self) -> Result<()> {
        if std::mem::replace(&mut self.started, true) {
            return Err(Error::new(
                Category::Data,
                "a second value after the document's root",
            ));
        }
        Ok(())
    }

    /// An object begins.
    pub(crate) fn begin_object(&mut self) -> Result<()> {
        if let Some(build) = &mut self.build {
            if build.candidate && build.open == 1 {
                let arena = self.arena;
                let key = Cow::Borrowed(&*arena.alloc_str(&self.take_key()));
                if let Some(build) = &mut self.build {
                    build.builder.key(at(), key);
                }
            }
            if let Some(build) = &mut self.build {
                build.builder.start_object(at(), 0);
                build.open += 1;
            }
            return self.depth_check(build_open(&self.build));
        }
        self.depth_check(1)?;
        let (slot, start) = match self.frames.last() {
            None => {
                self.root_started()?;
                (Slot::Root, self.offset())
            }
            Some(Frame::Object { slot, fields, .. }) => {
                if *fields == 0 && !matches!(slot, Slot::Item(_)) {
                    // The parent's first value is an object: the parent may be keyed.
                    return self.build_parent_object();
                }
                self.begin_field()
            }
            Some(Frame::Array { .. }) => match self.array_element(Element::Object)? {
                Placement::Slot(slot) => (slot, self.offset()),
                Placement::Consumed => return Ok(()),
                Placement::Again => return self.begin_object(),
            },
        };
        self.frames.push(Frame::Object {
            slot,
            start,
            fields: 0,
        });
        Ok(())
    }

    /// The innermost object ends.
    pub(crate) fn end_object(&mut self) -> Result<()> {
        if self.build.is_some() {
            return self.end_built(|builder| builder.end_object());
        }
        if self.guess_open_row() {
            return match self.guess_end_object() {
                Ok(()) => Ok(()),
                Err(broken) => {
                    self.break_guess(broken)?;
                    self.end_object()
                }
            };
        }
        let Some(Frame::Object { slot, fields, .. }) = self.frames.pop() else {
            return Err(Error::new(
                Category::Data,
                "an object ended that was not open",
            ));
        };
        if fields == 0 {
            match slot {
                Slot::Root => {}
                Slot::Field(_) | Slot::ItemFirst(_) => self.enc.out.push(':'),
                Slot::Item(depth) => {
                    self.enc.start_line(depth);
                    self.enc.out.push('-');
                }
            }
        }
        self.maybe_flush()
    }

    /// An array begins; `len` is its element count when known up front.
    pub(crate) fn begin_array(&mut self, len: Option<usize>) -> Result<()> {
        if let Some(build) = &mut self.build {
            if build.candidate && build.open == 1 {
                // An array field: the object is not keyed after all.
                self.resume_streaming()?;
                return self.begin_array(len);
            }
            build.builder.start_array(at(), len);
            build.open += 1;
            return self.depth_check(build_open(&self.build));
        }
        self.depth_check(1)?;
        let (slot, start) = match self.frames.last() {
            None => {
                self.root_started()?;
                (Slot::Root, self.offset())
            }
            Some(Frame::Object { .. }) => self.begin_field(),
            Some(Frame::Array { .. }) => match self.array_element(Element::Array)? {
                Placement::Slot(slot) => {
                    let start = self.offset();
                    if let Slot::Item(depth) = slot {
                        self.enc.start_item(depth);
                    }
                    (slot, start)
                }
                Placement::Consumed => return Ok(()),
                Placement::Again => return self.begin_array(len),
            },
        };
        let items_depth = match slot {
            Slot::Root => 1,
            Slot::Field(depth) | Slot::Item(depth) => depth + 1,
            Slot::ItemFirst(depth) => depth + 2,
        };
        let mut count_at = self.offset();
        let form = if len == Some(0) {
            self.write_empty_array(slot);
            Form::Empty
        } else {
            if slot == Slot::Root {
                self.enc.start_line(0);
            }
            count_at = self.offset() + 1;
            self.header_count(len);
            Form::Pending
        };
        let header_end = self.offset();
        self.frames.push(Frame::Array {
            slot,
            start,
            header_end,
            items_depth,
            declared: len,
            count_at,
            count: 0,
            form,
        });
        Ok(())
    }

    /// An empty array, its line (and key) already started.
    fn write_empty_array(&mut self, slot: Slot) {
        match slot {
            Slot::Root => self.enc.out.push_str("[]"),
            Slot::Field(_) | Slot::ItemFirst(_) => self.enc.out.push_str(": []"),
            Slot::Item(_) => self.enc.header(None, 0, false, None),
        }
    }

    /// `[N]` with the delimiter mark, without the colon; without `N` when it is not known
    /// yet.
    fn header_count(&mut self, len: Option<usize>) {
        let out = &mut self.enc.out;
        out.push('[');
        if let Some(len) = len {
            out.push_str(itoa::Buffer::new().format(len));
        }
        match self.enc.delimiter {
            crate::options::Delimiter::Comma => {}
            crate::options::Delimiter::Tab => out.push('\t'),
            crate::options::Delimiter::Pipe => out.push('|'),
        }
        out.push(']');
    }

    /// The innermost array ends.
    pub(crate) fn end_array(&mut self) -> Result<()> {
        if self.build.is_some() {
            return self.end_built(|builder| builder.end_array());
        }
        if self.guess_open_row() {
            // An array cannot end inside a row; report it as the row's producer would.
            return Err(Error::new(
                Category::Data,
                "an array ended inside an object",
            ));
        }
        let Some(Frame::Array {
            slot,
            declared,
            count_at,
            count,
            form,
            ..
        }) = self.frames.pop()
        else {
            return Err(Error::new(
                Category::Data,
                "an array ended that was not open",
            ));
        };
        match declared {
            Some(declared) if count != declared => return Err(length_error(declared, count)),
            Some(_) => {}
            None if count == 0 => {
                // Written as `[` + delimiter mark + `]`: now the empty form instead.
                self.rewind(count_at - 1);
                self.write_empty_array(slot);
            }
            None => {
                let digits = itoa::Buffer::new().format(count).to_owned();
                self.enc.out.insert_str(count_at - self.base, &digits);
            }
        }
        if matches!(form, Form::Inline | Form::Tabular) {
            self.guess.clear();
        }
        self.maybe_flush()
    }

    /// The key for handing a container at `slot`, whose text started at `start`, to
    /// the tree encoder.
    fn key_at_slot(&self, slot: Slot, start: usize) -> String {
        match slot {
            Slot::Field(_) | Slot::ItemFirst(_) => self.key_at(start),
            Slot::Root | Slot::Item(_) => String::new(),
        }
    }

    // ----- building values for the tree encoder -----

    fn start_build(
        &mut self,
        slot: Slot,
        key: String,
        first: impl FnOnce(&mut ValueBuilder<'b>),
    ) -> Result<()> {
        let mut builder = ValueBuilder::new(false);
        first(&mut builder);
        self.build = Some(Build {
            builder,
            open: 1,
            slot,
            key,
            candidate: false,
        });
        self.depth_check(1)
    }

    /// The innermost object's first value is an object: the object may be keyed, so it
    /// is taken back and built as a `Value`.
    fn build_parent_object(&mut self) -> Result<()> {
        let Some(Frame::Object { slot, start, .. }) = self.frames.last() else {
            return Ok(());
        };
        let (slot, start) = (*slot, *start);
        let key = self.key_at_slot(slot, start);
        let child_key = self.take_key().into_owned();
        self.frames.pop();
        self.rewind(start);
        let arena = self.arena;
        self.start_build(slot, key, |builder| {
            builder.start_object(at(), 0);
            builder.key(at(), Cow::Borrowed(arena.alloc_str(&child_key)));
            builder.start_object(at(), 0);
        })?;
        if let Some(build) = &mut self.build {
            build.open = 2;
            build.candidate = true;
        }
        self.depth_check(build_open(&self.build))
    }

    /// A keyed candidate got a field that is not a non-empty object: it is not keyed.
    /// Writes its header and the fields built so far, then streams the rest.
    fn resume_streaming(&mut self) -> Result<()> {
        let Some(build) = self.build.take() else {
            return Ok(());
        };
        let Build {
            mut builder,
            slot,
            key,
            ..
        } = build;
        builder.end_object();
        if builder.repeated_key() {
            return Err(Error::new(Category::Data, "a key appears twice in one map"));
        }
        let Value::Object(map) = builder.finish() else {
            return Ok(());
        };
        let start = self.offset();
        self.enc.nesting = self.frames.len() + 1;
        let depth = match slot {
            Slot::Root | Slot::Item(_) => 0,
            Slot::Field(depth) => {
                self.enc.start_line(depth);
                self.enc.key(&key);
                self.enc.out.push(':');
                depth + 1
            }
            Slot::ItemFirst(depth) => {
                self.enc.start_item(depth);
                self.enc.key(&key);
                self.enc.out.push(':');
                depth + 2
            }
        };
        self.enc.fields(&map, depth)?;
        self.frames.push(Frame::Object {
            slot,
            start,
            fields: map.len(),
        });
        Ok(())
    }

    fn end_built(&mut self, end: impl FnOnce(&mut ValueBuilder<'b>)) -> Result<()> {
        let Some(build) = &mut self.build else {
            return Ok(());
        };
        end(&mut build.builder);
        build.open -= 1;
        if build.open == 1
            && build.candidate
            && !build.builder.last_value().is_some_and(row_compatible)
        {
            // A value that cannot be a keyed row (it holds an array or an empty object):
            // the candidate is not keyed, and streams from here.
            return self.resume_streaming();
        }
        if build.open > 0 {
            return Ok(());
        }
        let Some(build) = self.build.take() else {
            return Ok(());
        };
        if build.builder.repeated_key() {
            return Err(Error::new(Category::Data, "a key appears twice in one map"));
        }
        let value = build.builder.finish();
        self.enc.nesting = self.frames.len();
        match build.slot {
            Slot::Root => self.enc.root(&value)?,
            Slot::Field(depth) => self.enc.field(&build.key, &value, depth)?,
            Slot::Item(depth) => self.enc.list_item(&value, depth)?,
            Slot::ItemFirst(depth) => {
                self.enc.start_item(depth);
                self.enc.first_field(&build.key, &value, depth)?;
            }
        }
        self.maybe_flush()
    }
}

/// Containers open inside the current build (0 when none).
fn build_open(build: &Option<Build<'_>>) -> usize {
    build.as_ref().map_or(0, |b| b.open)
}

fn length_error(declared: usize, count: usize) -> Error {
    Error::new(
        Category::Data,
        format!("a sequence declared {declared} elements but produced {count}"),
    )
}

/// What an array element starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Element {
    Object,
    Array,
}

/// Where a container element of an array goes.
enum Placement {
    /// A list item at this slot.
    Slot(Slot),
    /// Taken by the table guess (a row or a field group).
    Consumed,
    /// The guess broke and was replayed: dispatch the event again.
    Again,
}

/// Whether `value` can be a row of a keyed table: a non-empty object whose values are
/// primitives or objects of the same kind (nested field groups).
fn row_compatible(value: &Value<'_>) -> bool {
    match value {
        Value::Object(map) => {
            !map.is_empty()
                && map.values().all(|v| match v {
                    Value::Object(_) => row_compatible(v),
                    Value::Array(_) => false,
                    _ => true,
                })
        }
        _ => false,
    }
}

/// `value` (a primitive) with its string copied into `arena`.
fn primitive_in<'b>(arena: &'b Bump, value: &Value<'_>) -> Value<'b> {
    match value {
        Value::Null => Value::Null,
        Value::Bool(b) => Value::Bool(*b),
        Value::Number(n) => Value::Number(*n),
        Value::String(s) => Value::String(Cow::Borrowed(arena.alloc_str(s))),
        Value::Array(_) | Value::Object(_) => Value::Null,
    }
}

impl Guess {
    fn clear(&mut self) {
        self.columns.clear();
        self.names.clear();
        self.groups.clear();
        self.cursor = 0;
        self.key_consumed = false;
        self.row_open = false;
        self.first_row = false;
        self.later_row = false;
        self.level_end = 0;
        self.cells = 0;
        self.rows_start = 0;
    }

    /// The column after the innermost open group of a later row.
    fn current_level_end(&self) -> usize {
        match self.groups.last() {
            Some(&group) => match self.columns[group].kind {
                ColumnKind::Group { end } => end,
                _ => self.columns.len(),
            },
            None => self.columns.len(),
        }
    }

    /// A later row's key that matches the header where it stands (no other check needed).
    #[inline(always)]
    fn expected_key(&mut self, key: &str) -> bool {
        if self.later_row
            && !self.key_consumed
            && self.cursor < self.level_end
            && same_key(self.name_bytes(self.cursor), key.as_bytes())
        {
            self.key_consumed = true;
            return true;
        }
        false
    }

    /// Whether a later row expects a primitive cell now.
    #[inline(always)]
    fn expects_cell(&self) -> bool {
        self.later_row
            && self.key_consumed
            && matches!(self.columns.get(self.cursor), Some(c) if c.kind == ColumnKind::Leaf)
    }

    fn name(&self, column: usize) -> &str {
        let (start, end) = self.columns[column].name;
        &self.names[start..end]
    }

    /// The bytes of a column's name (no character-boundary checks on the hot path).
    #[inline]
    fn name_bytes(&self, column: usize) -> &[u8] {
        let (start, end) = self.columns[column].name;
        &self.names.as_bytes()[start..end]
    }

    /// The column index after the last child of the innermost open group (the row's
    /// column count at row level), or `None` while the first row is defining it.
    fn level_end(&self, first_row: bool) -> Option<usize> {
        if first_row {
            return None;
        }
        match self.groups.last() {
            Some(&group) => match self.columns[group].kind {
                ColumnKind::Group { end } => Some(end),
                _ => None,
            },
            None => Some(self.columns.len()),
        }
    }
}

impl<'b> PushEncoder<'b, '_> {
    /// Whether the innermost array is guessing tabular with a row open.
    #[inline]
    fn guess_open_row(&self) -> bool {
        self.guess.row_open && self.build.is_none()
    }

    fn array_state(&mut self) -> Option<(Slot, &mut usize, Option<usize>, Form)> {
        match self.frames.last_mut() {
            Some(Frame::Array {
                slot,
                count,
                declared,
                form,
                ..
            }) => Some((*slot, count, *declared, *form)),
            _ => None,
        }
    }

    fn set_form(&mut self, new: Form) {
        if let Some(Frame::Array { form, .. }) = self.frames.last_mut() {
            *form = new;
        }
    }

    fn items_depth(&self) -> usize {
        match self.frames.last() {
            Some(Frame::Array { items_depth, .. }) => *items_depth,
            _ => 0,
        }
    }

    fn header_end(&self) -> usize {
        match self.frames.last() {
            Some(Frame::Array { header_end, .. }) => *header_end,
            _ => self.offset(),
        }
    }

    /// Counts one more element of the innermost array.
    fn count_element(&mut self) -> Result<()> {
        if let Some((_, count, declared, _)) = self.array_state() {
            *count += 1;
            if let Some(declared) = declared
                && *count > declared
            {
                return Err(length_error(declared, *count));
            }
        }
        Ok(())
    }

    /// A primitive element of the innermost array.
    fn array_primitive(&mut self, value: &Value<'_>) -> Result<()> {
        let Some((_, _, _, form)) = self.array_state() else {
            return Ok(());
        };
        match form {
            Form::Tabular if self.guess.row_open => match self.guess_leaf(value) {
                Ok(()) => Ok(()),
                Err(broken) => {
                    self.break_guess(broken)?;
                    self.primitive(value)
                }
            },
            Form::Tabular => {
                self.break_guess(Broken::List)?;
                self.primitive(value)
            }
            Form::Empty | Form::Pending => {
                self.count_element()?;
                self.set_form(Form::Inline);
                self.enc.out.push_str(": ");
                self.enc.primitive(value);
                Ok(())
            }
            Form::Inline => {
                self.count_element()?;
                self.enc.delimiter_char();
                self.enc.primitive(value);
                Ok(())
            }
            Form::List => {
                self.count_element()?;
                let depth = self.items_depth();
                self.enc.start_item(depth);
                self.enc.primitive(value);
                self.maybe_flush()
            }
        }
    }

    /// A container element of the innermost array begins.
    fn array_element(&mut self, element: Element) -> Result<Placement> {
        let Some((slot, _, _, form)) = self.array_state() else {
            return Ok(Placement::Consumed);
        };
        match (form, element) {
            (Form::Tabular, Element::Object) if !self.guess.row_open => {
                self.count_element()?;
                self.guess_row_start();
                Ok(Placement::Consumed)
            }
            (Form::Tabular, Element::Object) => match self.guess_group_start() {
                Ok(()) => Ok(Placement::Consumed),
                Err(broken) => {
                    self.break_guess(broken)?;
                    Ok(Placement::Again)
                }
            },
            (Form::Tabular | Form::Inline, _) => {
                self.break_guess(Broken::List)?;
                Ok(Placement::Again)
            }
            (Form::Empty | Form::Pending, Element::Object) if !matches!(slot, Slot::Item(_)) => {
                self.count_element()?;
                self.set_form(Form::Tabular);
                self.guess.clear();
                self.guess.rows_start = self.offset();
                self.guess_row_start();
                Ok(Placement::Consumed)
            }
            (Form::Empty | Form::Pending, _) => {
                self.set_form(Form::List);
                self.enc.out.push(':');
                self.count_element()?;
                Ok(Placement::Slot(Slot::Item(self.items_depth())))
            }
            (Form::List, _) => {
                self.count_element()?;
                Ok(Placement::Slot(Slot::Item(self.items_depth())))
            }
        }
    }

    // ----- the tabular guess -----

    fn first_row(&self) -> bool {
        self.guess.first_row
    }

    fn guess_row_start(&mut self) {
        let first = matches!(self.frames.last(), Some(Frame::Array { count: 1, .. }));
        if !first {
            let depth = self.items_depth();
            self.enc.start_line(depth);
        }
        let guess = &mut self.guess;
        guess.first_row = first;
        guess.later_row = !first;
        guess.level_end = guess.columns.len();
        guess.row_open = true;
        guess.cursor = 0;
        guess.key_consumed = false;
        guess.cells = 0;
        guess.groups.clear();
    }

    fn guess_key(&mut self, key: &str) -> std::result::Result<(), Broken> {
        let first_row = self.first_row();
        let guess = &mut self.guess;
        if guess.key_consumed {
            return Err(Broken::Build);
        }
        if first_row {
            // A repeated key within the current group: only the tree encoder decides.
            let from = guess.groups.last().map_or(0, |&g| g + 1);
            let mut i = from;
            while i < guess.columns.len() {
                if guess.name(i) == key {
                    return Err(Broken::Build);
                }
                i = match guess.columns[i].kind {
                    ColumnKind::Group { end } if end != usize::MAX => end,
                    _ => i + 1,
                };
            }
            let start = guess.names.len();
            guess.names.push_str(key);
            guess.columns.push(Column {
                name: (start, guess.names.len()),
                kind: ColumnKind::Unknown,
            });
            guess.key_consumed = true;
            return Ok(());
        }
        match guess.level_end(false) {
            // More keys than the first row at this level: not a table.
            Some(end) if guess.cursor >= end => Err(Broken::List),
            _ if guess.name(guess.cursor) == key => {
                guess.key_consumed = true;
                Ok(())
            }
            // Another key here: maybe the same keys in another order.
            _ => Err(Broken::Build),
        }
    }

    fn guess_leaf(&mut self, value: &Value<'_>) -> std::result::Result<(), Broken> {
        let first_row = self.first_row();
        let guess = &mut self.guess;
        if !guess.key_consumed {
            // A primitive row element has no key: the row is not an object.
            return Err(Broken::List);
        }
        let column = &mut guess.columns[guess.cursor];
        if first_row {
            column.kind = ColumnKind::Leaf;
        } else if column.kind != ColumnKind::Leaf {
            return Err(Broken::List);
        }
        guess.cursor += 1;
        guess.key_consumed = false;
        if guess.cells > 0 {
            self.enc.delimiter_char();
        }
        self.guess.cells += 1;
        self.enc.primitive(value);
        Ok(())
    }

    fn guess_group_start(&mut self) -> std::result::Result<(), Broken> {
        let first_row = self.first_row();
        let guess = &mut self.guess;
        if !guess.key_consumed {
            return Err(Broken::List);
        }
        let index = guess.cursor;
        if first_row {
            guess.columns[index].kind = ColumnKind::Group { end: usize::MAX };
        } else if !matches!(guess.columns[index].kind, ColumnKind::Group { .. }) {
            return Err(Broken::List);
        }
        if self.frames.len() + guess.groups.len() + 1 > self.enc.max_depth {
            return Err(Broken::Build);
        }
        guess.groups.push(index);
        guess.cursor += 1;
        guess.key_consumed = false;
        if guess.later_row {
            guess.level_end = guess.current_level_end();
        }
        Ok(())
    }

    fn guess_end_object(&mut self) -> std::result::Result<(), Broken> {
        let first_row = self.first_row();
        let guess = &mut self.guess;
        if guess.key_consumed {
            return Err(Broken::Build);
        }
        match guess.groups.last().copied() {
            Some(group) => {
                if first_row {
                    if guess.cursor == group + 1 {
                        // An empty object in a column: not a table.
                        return Err(Broken::List);
                    }
                    guess.columns[group].kind = ColumnKind::Group { end: guess.cursor };
                } else if guess.level_end(false) != Some(guess.cursor) {
                    return Err(Broken::List);
                }
                guess.groups.pop();
                if guess.later_row {
                    guess.level_end = guess.current_level_end();
                }
                Ok(())
            }
            None => {
                if guess.cursor == 0 || (!first_row && guess.cursor != guess.columns.len()) {
                    return Err(Broken::List);
                }
                guess.row_open = false;
                guess.later_row = false;
                if first_row {
                    self.insert_table_header();
                }
                Ok(())
            }
        }
    }

    /// After the first row: `{fields}:` and the line break go between `[N]` and it.
    fn insert_table_header(&mut self) {
        let mut header = String::with_capacity(self.guess.names.len() + 16);
        header.push('{');
        let mut ends: Vec<usize> = Vec::new();
        let delimiter = self.enc.delimiter.as_char();
        for (i, column) in self.guess.columns.iter().enumerate() {
            while ends.last() == Some(&i) {
                ends.pop();
                header.push('}');
            }
            if !header.ends_with('{') {
                header.push(delimiter);
            }
            let (start, end) = column.name;
            push_key(&mut header, &self.guess.names[start..end]);
            if let ColumnKind::Group { end } = column.kind {
                header.push('{');
                ends.push(end);
            }
        }
        for _ in ends {
            header.push('}');
        }
        header.push('}');
        header.push(':');
        // The first row's line break and indentation, as `start_line` writes them.
        header.push('\n');
        let spaces = self.items_depth() * self.enc.indent;
        header.extend(std::iter::repeat_n(' ', spaces));
        let at = self.header_end() - self.base;
        self.enc.out.insert_str(at, &header);
        self.guess.rows_start = self.header_end() + header.len();
    }

    /// The guess failed: rewrite the array's elements so far as list items (`List`) or
    /// rebuild the array as a `Value` (`Build`), then let the caller re-dispatch the
    /// event that broke it.
    fn break_guess(&mut self, broken: Broken) -> Result<()> {
        let Some(Frame::Array {
            slot,
            start,
            header_end,
            form,
            ..
        }) = self.frames.last()
        else {
            return Ok(());
        };
        let (slot, start, header_end, form) = (*slot, *start, *header_end, *form);
        let mut guess = std::mem::take(&mut self.guess);
        let tabular = form == Form::Tabular;
        let first_row_open = tabular && guess.row_open && guess.first_row;
        // Read the cells back.
        let cells_from = if !tabular {
            header_end + ": ".len()
        } else if first_row_open || guess.rows_start == 0 {
            header_end
        } else {
            guess.rows_start
        };
        let mut cells = std::mem::take(&mut self.replay_cells);
        cells.clear();
        let text = if cells_from <= self.offset() {
            self.text_from(cells_from)
        } else {
            ""
        };
        let delimiter = self.enc.delimiter.as_byte();
        let arena = self.arena;
        let mut rows = 0;
        // One line per table row; an inline array is one line.
        for line in text.split('\n') {
            let line = line.trim_start_matches(' ');
            split_cells(line, delimiter, |cell, _| {
                let value = parse_primitive(cell, TokenPosition::Cell).map_err(|_| ())?;
                cells.push(primitive_in(arena, &value));
                Ok::<(), ()>(())
            })
            .map_err(|()| Error::new(Category::Data, "internal: unreadable table cell"))?;
            rows += 1;
        }
        let key = match broken {
            Broken::Build => self.key_at_slot(slot, start),
            Broken::List => String::new(),
        };
        match broken {
            Broken::List => {
                self.rewind(header_end);
                self.enc.out.push(':');
                if let Some(Frame::Array { form, count, .. }) = self.frames.last_mut() {
                    *form = Form::List;
                    *count = 0;
                }
            }
            Broken::Build => {
                self.rewind(start);
                self.frames.pop();
                self.start_build(slot, key, |builder| builder.start_array(at(), None))?;
            }
        }
        // Replay.
        let mut replay = cells.drain(..);
        if !tabular {
            for cell in replay.by_ref() {
                self.primitive(&cell)?;
            }
        } else {
            for row in 0..rows {
                if row + 1 == rows && guess.row_open {
                    self.replay_partial_row(&guess, &mut replay)?;
                } else {
                    self.replay_row(&guess, &mut replay)?;
                }
            }
        }
        drop(replay);
        self.replay_cells = cells;
        guess.clear();
        self.guess = guess;
        Ok(())
    }

    fn replay_row(
        &mut self,
        guess: &Guess,
        cells: &mut impl Iterator<Item = Value<'b>>,
    ) -> Result<()> {
        self.begin_object()?;
        let mut ends: Vec<usize> = Vec::new();
        for i in 0..guess.columns.len() {
            while ends.last() == Some(&i) {
                ends.pop();
                self.end_object()?;
            }
            self.key(guess.name(i))?;
            match guess.columns[i].kind {
                ColumnKind::Group { end } => {
                    self.begin_object()?;
                    ends.push(end);
                }
                _ => {
                    let cell = cells.next().unwrap_or(Value::Null);
                    self.primitive(&cell)?;
                }
            }
        }
        for _ in ends {
            self.end_object()?;
        }
        self.end_object()
    }

    fn replay_partial_row(
        &mut self,
        guess: &Guess,
        cells: &mut impl Iterator<Item = Value<'b>>,
    ) -> Result<()> {
        self.begin_object()?;
        let mut open: Vec<usize> = Vec::new();
        for i in 0..guess.cursor {
            while let Some(&group) = open.last() {
                match guess.columns[group].kind {
                    ColumnKind::Group { end } if end == i && !guess.groups.contains(&group) => {
                        open.pop();
                        self.end_object()?;
                    }
                    _ => break,
                }
            }
            self.key(guess.name(i))?;
            match guess.columns[i].kind {
                ColumnKind::Group { .. } => {
                    self.begin_object()?;
                    open.push(i);
                }
                _ => {
                    let cell = cells.next().unwrap_or(Value::Null);
                    self.primitive(&cell)?;
                }
            }
        }
        // Groups closed at the cursor (all their children consumed, end seen).
        while let Some(&group) = open.last() {
            if guess.groups.contains(&group) {
                break;
            }
            open.pop();
            self.end_object()?;
        }
        if guess.key_consumed {
            self.key(guess.name(guess.cursor))?;
        }
        Ok(())
    }
}

fn push_key(out: &mut String, key: &str) {
    if quote::is_bare_key(key) {
        out.push_str(key);
    } else {
        out.push('"');
        quote::escape(key, |part| out.push_str(part));
        out.push('"');
    }
}
