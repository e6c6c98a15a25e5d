//! Containers built as a [`Value`] for the tree encoder: an array whose form only the
//! whole array can tell.

use std::borrow::Cow;

use bumpalo::Bump;

use super::{PushEncoder, Slot};
use crate::decode::build::ValueBuilder;
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
}

/// Containers open inside the current build (0 when none).
pub(super) fn build_open(build: &Option<Build<'_>>) -> usize {
    build.as_ref().map_or(0, |b| b.open)
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
        });
        self.depth_check(1)
    }

    /// A container in the build ends; once the outermost one has, the tree encoder
    /// writes the value.
    pub(super) fn end_built(&mut self, end: impl FnOnce(&mut ValueBuilder<'b>)) -> Result<()> {
        let Some(build) = &mut self.build else {
            return Ok(());
        };
        end(&mut build.builder);
        build.open -= 1;
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
        self.write_value(build.slot, &build.key, &value)?;
        self.maybe_flush()
    }

    /// Writes `value` at `slot` (under `key` in a field slot) with the tree encoder.
    pub(super) fn write_value(&mut self, slot: Slot, key: &str, value: &Value<'_>) -> Result<()> {
        self.enc.nesting = self.frames.len();
        match slot {
            Slot::Root => self.enc.root(value),
            Slot::Field(depth) => self.enc.field(key, value, depth),
            Slot::Item(depth) => self.enc.list_item(value, depth),
            Slot::ItemFirst(depth) => {
                self.enc.start_item(depth);
                self.enc.first_field(key, value, depth)
            }
        }
    }
}
