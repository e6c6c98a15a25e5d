//! What the serde `Deserializer` reads: the decoder's events, except that a tabular row
//! or keyed-entry value stays one [`Item::Row`] — its cells in a buffer, its field
//! names in the one copy of its table's header — so a row costs no event per cell, and
//! a `key: primitive` line is one [`Item::Field`]. A reader that wants events anyway
//! has them spelled out in place ([`RowQueue::expand_front`]).

use std::borrow::Cow;

use crate::decode::event::{Event, EventSink, Position, emit_row, record_events};
use crate::decode::header::FieldSpec;
use crate::stream::LineQueue;
use crate::value::Value;

/// One queued step: an event, a `key: primitive` field, or a whole row.
pub(crate) enum Item<'a> {
    /// An event, as the pull stream reports it.
    Event(Event<'a>),
    /// A key whose primitive value is `cells[cell]` (on the key's line).
    Field {
        /// The key.
        key: Cow<'a, str>,
        /// Index of the value in [`RowQueue::cells`].
        cell: usize,
    },
    /// A row object whose leaves are `cells[start..end]`, on line `line`.
    Row {
        /// Index of the row's first cell in [`RowQueue::cells`].
        start: usize,
        /// Index past its last cell.
        end: usize,
        /// The 1-based line of the row.
        line: usize,
    },
}

/// The queue of one line's items (see the module doc).
#[derive(Default)]
pub(crate) struct RowQueue<'a> {
    /// The line's items, the next one last (reversed once the line is read).
    items: Vec<(Item<'a>, Position)>,
    /// Position of the latest start event, given to end events (which have none).
    last: Position,
    /// The cells of the queued rows, with their byte offsets in their line.
    pub(crate) cells: Vec<(Value<'a>, usize)>,
    /// The header fields of the table the queued rows belong to.
    pub(crate) fields: Vec<FieldSpec<'a>>,
    /// The id of that table (0: none yet).
    fields_of: usize,
    /// Whether `items` holds a row (all queued rows then share `fields`).
    holds_row: bool,
}

impl<'a> RowQueue<'a> {
    /// The next item, without taking it.
    #[inline]
    pub(crate) fn peek(&self) -> Option<&(Item<'a>, Position)> {
        self.items.last()
    }

    /// Takes the next item. The cells of a row taken stay in [`RowQueue::cells`] until
    /// they are drained from there or the queue is refilled.
    #[inline]
    pub(crate) fn pop(&mut self) -> Option<(Item<'a>, Position)> {
        self.items.pop()
    }

    /// Spells the next item out as events when it is a row or a field.
    #[inline]
    pub(crate) fn expand_front(&mut self) {
        match self.items.last() {
            Some((Item::Row { .. }, _)) => self.expand_row(),
            Some((Item::Field { .. }, _)) => self.expand_field(),
            _ => {}
        }
    }

    /// Takes the value of a field item (its cell).
    #[inline]
    pub(crate) fn take_value(&mut self, cell: usize) -> (Value<'a>, usize) {
        if cell + 1 == self.cells.len()
            && let Some(last) = self.cells.pop()
        {
            return last;
        }
        let (value, offset) = &mut self.cells[cell];
        (std::mem::replace(value, Value::Null), *offset)
    }

    #[cold]
    fn expand_field(&mut self) {
        let Some((Item::Field { key, cell }, at)) = self.items.pop() else {
            return;
        };
        let (value, offset) = self.take_value(cell);
        let value_at = Position {
            line: at.line,
            offset,
        };
        self.items
            .push((Item::Event(Event::Primitive(value)), value_at));
        self.items.push((Item::Event(Event::Key(key)), at));
    }

    #[cold]
    fn expand_row(&mut self) {
        let Some((Item::Row { start, end, line }, at)) = self.items.pop() else {
            return;
        };
        let mut events = EventList::default();
        let mut cells = self.cells.drain(start..end);
        emit_row(&self.fields, &mut cells, line, at, &mut events);
        drop(cells);
        let events = events.events.into_iter().rev();
        self.items
            .extend(events.map(|(event, at)| (Item::Event(event), at)));
    }

    #[inline]
    fn push(&mut self, event: Event<'a>, at: Position) {
        self.items.push((Item::Event(event), at));
    }
}

impl<'a> LineQueue<'a> for RowQueue<'a> {
    #[inline]
    fn is_drained(&self) -> bool {
        self.items.is_empty()
    }

    fn reset(&mut self) {
        self.items.clear();
        self.cells.clear();
        self.holds_row = false;
    }

    #[inline]
    fn ready(&mut self) {
        // Kept as a stack: taking the next item is a `pop`, which leaves nothing behind.
        self.items.reverse();
    }
}

impl<'a> EventSink<'a> for RowQueue<'a> {
    record_events!();

    #[inline]
    fn field(&mut self, key_at: Position, key: Cow<'a, str>, value_at: Position, value: Value<'a>) {
        let cell = self.cells.len();
        self.cells.push((value, value_at.offset));
        self.last = value_at;
        self.items.push((Item::Field { key, cell }, key_at));
    }

    fn row(
        &mut self,
        table: usize,
        fields: &[FieldSpec<'a>],
        cells: &mut std::vec::Drain<'_, (Value<'a>, usize)>,
        line: usize,
        at: Position,
    ) {
        if table != self.fields_of {
            if self.holds_row {
                // A queued row still needs the fields held: this one goes as events.
                emit_row(fields, cells, line, at, self);
                return;
            }
            self.fields.clear();
            self.fields.extend_from_slice(fields);
            self.fields_of = table;
        }
        let start = self.cells.len();
        self.cells.extend(cells);
        let end = self.cells.len();
        self.holds_row = true;
        self.items.push((Item::Row { start, end, line }, at));
        // As the row's events would leave it: at its last cell.
        self.last = self.cells[start..]
            .last()
            .map_or(at, |&(_, offset)| Position { line, offset });
    }
}

/// Events collected in order (a row spelled out), positioned as [`RowQueue`] positions
/// them.
#[derive(Default)]
struct EventList<'a> {
    events: Vec<(Event<'a>, Position)>,
    last: Position,
}

impl<'a> EventList<'a> {
    fn push(&mut self, event: Event<'a>, at: Position) {
        self.events.push((event, at));
    }
}

impl<'a> EventSink<'a> for EventList<'a> {
    record_events!();
}
