//! Keyed candidates of the push encoder. An object in field or root position whose first
//! value is an object may need keyed tabular form, which only its end can tell. It is
//! written as ordinary fields meanwhile — the text it needs unless it is keyed — and
//! stays a candidate while every value is a non-empty object holding no array. The
//! outermost open candidate's events are also recorded as a value; a candidate that ends
//! with two values or more is rewritten from that value when the tree encoder writes it
//! keyed.

use std::borrow::Cow;

use super::build::primitive_in;
use super::key::PendingKey;
use super::{Frame, PushEncoder, Slot, at};
use crate::decode::build::ValueBuilder;
use crate::decode::event::EventSink;
use crate::encode::shape::keyed_fields;
use crate::error::Result;
use crate::value::Value;

impl<'b> PushEncoder<'b, '_> {
    /// An object value starts in the innermost object: as its first value, the object
    /// becomes a candidate (list items never are keyed); inside a candidate, the key and
    /// the object's start are recorded.
    pub(super) fn object_field_starts(&mut self) {
        let Some(Frame::Object {
            slot,
            fields,
            keyed,
            ..
        }) = self.frames.last_mut()
        else {
            return;
        };
        if *fields == 0 && !matches!(slot, Slot::Item(_)) {
            *keyed = true;
            if self.candidates == 0 {
                let mut recorded = ValueBuilder::new(false);
                recorded.start_object(at(), 0);
                self.recorded = Some(recorded);
            }
            self.candidates += 1;
        }
        if let Some(recorded) = &mut self.recorded {
            let key = pending_key(self.pending, &self.key);
            recorded.key(at(), Cow::Borrowed(self.arena.alloc_str(key)));
            recorded.start_object(at(), 0);
        }
    }

    /// A primitive field starts in the innermost object: the object is not keyed; inside
    /// a candidate, the field is recorded.
    #[inline]
    pub(super) fn primitive_field_starts(&mut self, value: &Value<'_>) {
        if self.candidates > 0 {
            self.candidate_primitive_field(value);
        }
    }

    #[inline(never)]
    fn candidate_primitive_field(&mut self, value: &Value<'_>) {
        if let Some(Frame::Object { keyed, .. }) = self.frames.last_mut()
            && std::mem::take(keyed)
        {
            self.candidates -= 1;
            if self.candidates == 0 {
                self.recorded = None;
            }
        }
        if let Some(recorded) = &mut self.recorded {
            let key = pending_key(self.pending, &self.key);
            recorded.key(at(), Cow::Borrowed(self.arena.alloc_str(key)));
            recorded.primitive(at(), primitive_in(self.arena, value));
        }
    }

    /// Whether a candidate is open (its fields are being recorded).
    pub(super) fn recording(&self) -> bool {
        self.recorded.is_some()
    }

    /// An array or an empty object started or ended inside every open candidate: none of
    /// them can be keyed.
    pub(super) fn drop_candidates(&mut self) {
        if self.candidates == 0 {
            return;
        }
        for frame in &mut self.frames {
            if let Frame::Object { keyed, .. } = frame {
                *keyed = false;
            }
        }
        self.candidates = 0;
        self.recorded = None;
    }

    /// Where the outermost open candidate's text starts.
    pub(super) fn outermost_candidate(&self) -> Option<usize> {
        if self.candidates == 0 {
            return None;
        }
        self.frames.iter().find_map(|frame| match frame {
            Frame::Object {
                start, keyed: true, ..
            } => Some(*start),
            _ => None,
        })
    }

    /// The innermost object, at `slot` with its text from `start` and `fields` values,
    /// ended (its frame is gone): recorded; an empty one rules out the candidates
    /// around it; a candidate is rewritten keyed when the tree encoder writes it so.
    pub(super) fn object_ends(
        &mut self,
        slot: Slot,
        start: usize,
        fields: usize,
        keyed: bool,
    ) -> Result<()> {
        if self.candidates == 0 {
            return Ok(());
        }
        if let Some(recorded) = &mut self.recorded {
            recorded.end_object();
        }
        if fields == 0 {
            self.drop_candidates();
            return Ok(());
        }
        if !keyed {
            return Ok(());
        }
        self.candidates -= 1;
        let Some(recorded) = self.recorded.take() else {
            return Ok(());
        };
        // A key given twice was recorded once: the text, which keeps both, stays.
        let rewrite = fields >= 2 && !recorded.repeated_key();
        if self.candidates == 0 {
            // The outermost candidate: the recording ends with it.
            return match rewrite {
                true => self.write_keyed(slot, start, &recorded.finish()),
                false => Ok(()),
            };
        }
        let result = match recorded.last_value() {
            Some(value) if rewrite => self.write_keyed(slot, start, value),
            _ => Ok(()),
        };
        self.recorded = Some(recorded);
        result
    }

    /// Rewrites the object `value`, whose text starts at `start`, when it is keyed.
    fn write_keyed(&mut self, slot: Slot, start: usize, value: &Value<'_>) -> Result<()> {
        if !matches!(value, Value::Object(map) if keyed_fields(map).is_some()) {
            return Ok(());
        }
        let key = self.key_at_slot(slot, start);
        self.rewind(start);
        self.write_value(slot, &key, value)
    }
}

/// The text of the key waiting for its value.
fn pending_key(pending: PendingKey, copied: &str) -> &str {
    match pending {
        PendingKey::Static(key) => key,
        PendingKey::Copied => copied,
        PendingKey::None => "",
    }
}
