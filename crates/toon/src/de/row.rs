//! A tabular row handed to a visitor whole: a `MapAccess` whose keys are the header's
//! field names and whose values are the row's cells, with nested field groups as nested
//! maps over the same cells — one step per field, not four events.

use serde_core::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde_core::forward_to_deserialize_any;

use super::locate;
use crate::decode::event::Position;
use crate::decode::header::FieldSpec;
use crate::error::{Error, Result};
use crate::value::Value;
use crate::value::scalar::KeyDeserializer;

/// The cells of one row, taken in order (moved out of the queue's buffer).
pub(crate) type Cells<'r, 'de> = std::vec::Drain<'r, (Value<'de>, usize)>;

/// The fields of one object of a row (the row itself or a nested group) as a map.
pub(crate) struct RowAccess<'f, 'c, 'r, 'de> {
    fields: std::slice::Iter<'f, FieldSpec<'de>>,
    /// The field whose key was handed out last.
    current: Option<&'f FieldSpec<'de>>,
    cells: &'c mut Cells<'r, 'de>,
    text: &'de str,
    line: usize,
}

impl<'f, 'c, 'r, 'de> RowAccess<'f, 'c, 'r, 'de> {
    /// The map of `fields` over `cells`, on line `line` of `text`.
    pub(crate) fn new(
        fields: &'f [FieldSpec<'de>],
        cells: &'c mut Cells<'r, 'de>,
        text: &'de str,
        line: usize,
    ) -> Self {
        RowAccess {
            fields: fields.iter(),
            current: None,
            cells,
            text,
            line,
        }
    }
}

impl<'de> MapAccess<'de> for RowAccess<'_, '_, '_, 'de> {
    type Error = Error;

    #[inline]
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        let Some(field) = self.fields.next() else {
            return Ok(None);
        };
        self.current = Some(field);
        seed.deserialize(KeyDeserializer {
            key: field.name.clone(),
        })
        .map(Some)
    }

    #[inline]
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        match self.current.take().and_then(|f| f.children.as_deref()) {
            Some(children) => seed.deserialize(Group {
                fields: children,
                cells: &mut *self.cells,
                text: self.text,
                line: self.line,
            }),
            None => {
                let (value, offset) = self.cells.next().unwrap_or_else(|| (Value::Null, 0));
                let at = Position {
                    line: self.line,
                    offset,
                };
                seed.deserialize(value)
                    .map_err(|e| locate(self.text, e, at))
            }
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.fields.len())
    }
}

/// A nested field group of a row: an object, read as a map.
struct Group<'f, 'c, 'r, 'de> {
    fields: &'f [FieldSpec<'de>],
    cells: &'c mut Cells<'r, 'de>,
    text: &'de str,
    line: usize,
}

impl<'de> de::Deserializer<'de> for Group<'_, '_, '_, 'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_map(RowAccess::new(
            self.fields,
            self.cells,
            self.text,
            self.line,
        ))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        // `{variant: value}`, as any object: through a `Value` of the group.
        let mut map = crate::value::Map::new();
        let mut access = RowAccess::new(self.fields, self.cells, self.text, self.line);
        while let Some(key) = access.next_key::<String>()? {
            let value: Value<'de> = access.next_value()?;
            map.insert(key, value);
        }
        de::Deserializer::deserialize_enum(Value::Object(map), name, variants, visitor)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}
