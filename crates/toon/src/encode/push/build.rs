//! Containers built as a [`Value`] for the tree encoder: an object that may be keyed (its
//! first value is a non-empty object) until a field rules that out, and an array whose
//! form only the whole array can tell.

use std::borrow::Cow;

use bumpalo::Bump;

use super::{Frame, PushEncoder, Slot, at};
use crate::decode::build::ValueBuilder;
use crate::decode::event::EventSink;
use crate::error::{Category, Error, Result};
use crate::value::Value;

/// A container being built as a `Value` for the tree encoder.
pub(super) struct Build<'b> {
    pub(super) builder: ValueBuilder<'b>,
    /// Open containers inside the builder.
    pub(super) open: usize,
    slot: Slot,
    /// The key of a `Field` or `ItemFirst` slot.
    key: String,
    /// An object built because it may be keyed: its direct keys wait in the encoder's
    /// pending key until their value shows whether the object can still be keyed.
    pub(super) candidate: bool,
}

/// Containers open inside the current build (0 when none).
pub(super) fn build_open(build: &Option<Build<'_>>) -> usize {
    build.as_ref().map_or(0, |b| b.open)
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
pub(super) fn primitive_in<'b>(arena: &'b Bump, value: &Value<'_>) -> Value<'b> {
    match value {
        Value::Null => Value::Null,
        Value::Bool(b) => Value::Bool(*b),
        Value::Number(n) => Value::Number(n.clone()),
        Value::String(s) => Value::String(Cow::Borrowed(arena.alloc_str(s))),
        Value::Array(_) | Value::Object(_) => Value::Null,
    }
}

impl<'b> PushEncoder<'b, '_> {
    /// Starts building a container at `slot` as a value; `first` feeds the builder the
    /// container's opening events.
    pub(super) fn start_build(
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
    pub(super) fn build_parent_object(&mut self) -> Result<()> {
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
    pub(super) fn resume_streaming(&mut self) -> Result<()> {
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

    /// A container in the build ends; once the outermost one has, the tree encoder
    /// writes the value.
    pub(super) fn end_built(&mut self, end: impl FnOnce(&mut ValueBuilder<'b>)) -> Result<()> {
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
