//! Objects written as they arrive: each field's line and key, the colon an object puts
//! before its first field, and the forms of an empty object.

use super::array::{Element, Placement};
use super::build::build_open;
use super::key::PendingKey;
use super::{Frame, PushEncoder, Slot, at};
use crate::decode::event::EventSink;
use crate::error::{Category, Error, Result};

impl<'b> PushEncoder<'b, '_> {
    /// An object begins.
    pub(crate) fn begin_object(&mut self) -> Result<()> {
        if let Some(build) = &mut self.build {
            build.builder.start_object(at(), 0);
            build.open += 1;
            return self.depth_check(build_open(&self.build));
        }
        self.depth_check(1)?;
        let (slot, start) = match self.frames.last() {
            None => {
                self.root_started()?;
                (Slot::Root, self.offset())
            }
            Some(Frame::Object { .. }) => {
                self.object_field_starts();
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
            keyed: false,
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
        let Some(Frame::Object {
            slot,
            start,
            fields,
            keyed,
        }) = self.frames.pop()
        else {
            return Err(Error::new(
                Category::Data,
                "an object ended that was not open",
            ));
        };
        self.object_ends(slot, start, fields, keyed)?;
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

    /// Starts the innermost object's next field: the object's own `:` before its first
    /// field, then the field's line and key. Returns the field's slot and where the
    /// field's own text starts.
    pub(super) fn begin_field(&mut self) -> (Slot, usize) {
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
            Slot::Field(depth) => {
                if let PendingKey::Static(name) = self.pending {
                    self.pending = PendingKey::None;
                    self.key_lines.write(&mut self.enc, name, depth);
                    return (slot, start);
                }
                self.enc.start_line(depth);
            }
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
}
