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

mod guess;

use guess::{Broken, Guess};

use super::Encoder;
use crate::decode::build::ValueBuilder;
use crate::decode::event::{EventSink, Position};
use crate::decode::scan::parse_quoted;
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
            if self.guess.take_cell() {
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

impl<'b> PushEncoder<'b, '_> {
    /// Whether the innermost array is guessing tabular with a row open.
    #[inline]
    fn guess_open_row(&self) -> bool {
        self.guess.row_open() && self.build.is_none()
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
            Form::Tabular if self.guess.row_open() => match self.guess_leaf(value) {
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
            (Form::Tabular, Element::Object) if !self.guess.row_open() => {
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
}
