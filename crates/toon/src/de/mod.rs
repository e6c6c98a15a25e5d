//! The serde `Deserializer`: drives any `Deserialize` type straight from the decoder's
//! events — no intermediate `Value` — handing out `&'de str` for every string without
//! escapes, and putting line and column on type errors. A tabular row reaches the
//! visitor as one map over its cells ([`row`]).

mod queue;
mod row;

use std::io::Read;

use serde_core::de::value::{BorrowedStrDeserializer, SeqAccessDeserializer};
use serde_core::de::{
    self, DeserializeOwned, DeserializeSeed, EnumAccess, IntoDeserializer, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};
use serde_core::forward_to_deserialize_any;

use crate::decode::event::{Event, Position};
use crate::decode::lines::column_at;
use crate::error::{Category, Error, Result};
use crate::options::DecodeOptions;
use crate::stream::Pull;
use crate::value::Value;
use crate::value::de::{DOCUMENT_KEY, DOCUMENT_TOKEN};
use crate::value::scalar::{KeyDeserializer, cow_deserializer, visit_integer, visit_primitive};
use queue::{Item, RowQueue};
use row::RowAccess;

/// Deserializes a `T` from TOON text with the default options.
///
/// ```
/// #[derive(serde::Deserialize, Debug, PartialEq)]
/// struct User<'a> { id: u32, name: &'a str }
///
/// let users: Vec<User> = toon::from_str("[2]{id,name}:\n  1,Ada\n  2,Bo").unwrap();
/// assert_eq!(users[1], User { id: 2, name: "Bo" });
/// ```
pub fn from_str<'de, T: de::Deserialize<'de>>(text: &'de str) -> Result<T> {
    from_str_with_options(text, &DecodeOptions::default())
}

/// Deserializes a `T` from TOON text.
pub fn from_str_with_options<'de, T: de::Deserialize<'de>>(
    text: &'de str,
    options: &DecodeOptions,
) -> Result<T> {
    let mut deserializer = Deserializer::from_str_with_options(text, options)?;
    let value = T::deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(value)
}

/// Deserializes a `T` from UTF-8 bytes (ill-formed UTF-8 is an error with its location).
pub fn from_slice<'de, T: de::Deserialize<'de>>(bytes: &'de [u8]) -> Result<T> {
    from_str(crate::decode::utf8(bytes)?)
}

/// Reads everything from `reader`, then deserializes an owned `T`.
pub fn from_reader<R: Read, T: DeserializeOwned>(mut reader: R) -> Result<T> {
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes)?;
    let text = crate::decode::utf8(&bytes)?;
    from_str(text)
}

/// A serde `Deserializer` reading TOON text.
pub struct Deserializer<'de> {
    pull: Pull<'de, RowQueue<'de>>,
    text: &'de str,
    options: DecodeOptions,
    /// Position of the most recent event, for errors raised by visitors.
    last: Position,
    /// True once an event has been read or peeked.
    started: bool,
    /// The value of the field whose key was handed out last, with its position (see
    /// [`Item::Field`]); the map's `next_value_seed` takes it.
    pending: Option<(Value<'de>, Position)>,
    /// True when the whole document was handed over at once (see
    /// [`DOCUMENT_TOKEN`]): nothing is left to read.
    handed_over: bool,
}

impl<'de> Deserializer<'de> {
    /// A deserializer over `text` with the default options.
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(text: &'de str) -> Result<Self> {
        Self::from_str_with_options(text, &DecodeOptions::default())
    }

    /// A deserializer over `text`.
    pub fn from_str_with_options(text: &'de str, options: &DecodeOptions) -> Result<Self> {
        Ok(Deserializer {
            pull: Pull::new(text, options)?,
            text,
            options: *options,
            last: Position::default(),
            pending: None,
            started: false,
            handed_over: false,
        })
    }

    /// Checks that the whole document was consumed (it always holds one value).
    pub fn end(&mut self) -> Result<()> {
        if self.handed_over {
            return Ok(());
        }
        match self.next()? {
            None => Ok(()),
            Some(_) => Err(self.locate(
                Error::new(Category::Data, "trailing content after the value"),
                self.last,
            )),
        }
    }

    /// The next item, rows left whole.
    #[inline]
    fn peek_item(&mut self) -> Result<Option<&Item<'de>>> {
        self.started = true;
        self.pull.fill()?;
        Ok(self.pull.queue.peek().map(|(item, _)| item))
    }

    /// The next event, a row or field spelled out as events.
    #[inline]
    fn next(&mut self) -> Result<Option<Event<'de>>> {
        self.started = true;
        self.pull.fill()?;
        self.pull.queue.expand_front();
        Ok(self.pull.queue.pop().map(|(item, at)| {
            self.last = at;
            match item {
                Item::Event(event) => event,
                // Spelled out above.
                Item::Row { .. } | Item::Field { .. } => Event::StartObject,
            }
        }))
    }

    /// The next event without taking it, a row or field spelled out as events.
    #[inline]
    fn peek(&mut self) -> Result<Option<&Event<'de>>> {
        self.started = true;
        self.pull.fill()?;
        self.pull.queue.expand_front();
        Ok(match self.pull.queue.peek() {
            Some((Item::Event(event), _)) => Some(event),
            _ => None,
        })
    }

    /// Position of the next item (peeking it), or of the last one at the end.
    fn peek_position(&mut self) -> Result<Position> {
        self.started = true;
        self.pull.fill()?;
        let last = self.last;
        Ok(self.pull.queue.peek().map_or(last, |(_, at)| *at))
    }

    /// Takes the next item when it is a row: its line and position.
    #[inline]
    fn take_row(&mut self) -> Result<Option<(std::ops::Range<usize>, usize, Position)>> {
        if let Some(Item::Row { .. }) = self.peek_item()?
            && let Some((Item::Row { start, end, line }, at)) = self.pull.queue.pop()
        {
            self.last = at;
            return Ok(Some((start..end, line, at)));
        }
        Ok(None)
    }

    fn next_value_event(&mut self) -> Result<Event<'de>> {
        match self.next()? {
            Some(event) => Ok(event),
            None => Err(Error::new(Category::Data, "unexpected end of the document")),
        }
    }

    /// Gives a location to an error that has none (raised by a visitor), at `at`.
    fn locate(&self, error: Error, at: Position) -> Error {
        locate(self.text, error, at)
    }

    /// Skips one whole value whose first event is `first`.
    fn skip(&mut self, first: Event<'de>) -> Result<()> {
        let mut depth = match first {
            Event::StartObject | Event::StartArray { .. } => 1usize,
            _ => return Ok(()),
        };
        // Item by item: rows and fields are skipped whole, never spelled out.
        while depth > 0 {
            self.pull.fill()?;
            let Some((item, at)) = self.pull.queue.pop() else {
                return Err(Error::new(Category::Data, "unexpected end of the document"));
            };
            self.last = at;
            match item {
                Item::Event(Event::StartObject | Event::StartArray { .. }) => depth += 1,
                Item::Event(Event::EndObject | Event::EndArray) => depth -= 1,
                _ => {}
            }
        }
        Ok(())
    }

    /// The next event as a primitive, or `None` when it starts a container (left unread).
    fn primitive(&mut self) -> Result<Option<Value<'de>>> {
        match self.peek()? {
            Some(Event::Primitive(_)) => match self.next()? {
                Some(Event::Primitive(value)) => Ok(Some(value)),
                _ => Ok(None),
            },
            _ => Ok(None),
        }
    }
}

macro_rules! deserialize_integer {
    ($($method:ident: $wide:literal),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            let at = self.peek_position()?;
            let result = match self.primitive()? {
                Some(value) => visit_integer(value, $wide, visitor),
                None => self.deserialize_any(visitor),
            };
            result.map_err(|e| self.locate(e, at))
        }
    )*};
}

impl<'de> de::Deserializer<'de> for &mut Deserializer<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if let Some((cells, line, at)) = self.take_row()? {
            let queue = &mut self.pull.queue;
            let mut cells = queue.cells.drain(cells);
            let access = RowAccess::new(&queue.fields, &mut cells, self.text, line);
            return visitor
                .visit_map(access)
                .map_err(|e| locate(self.text, e, at));
        }
        let event = self.next_value_event()?;
        let at = self.last;
        let result = match event {
            Event::Primitive(value) => visit_primitive(value, visitor),
            Event::StartObject => visitor
                .visit_map(Compound {
                    de: &mut *self,
                    length: None,
                })
                .and_then(|v| {
                    expect_end(self, false)?;
                    Ok(v)
                }),
            Event::StartArray { length } => visitor
                .visit_seq(Compound {
                    de: &mut *self,
                    length,
                })
                .and_then(|v| {
                    expect_end(self, true)?;
                    Ok(v)
                }),
            Event::Key(_) | Event::EndObject | Event::EndArray => Err(Error::new(
                Category::Data,
                "unexpected event in the document",
            )),
        };
        result.map_err(|e| self.locate(e, at))
    }

    deserialize_integer!(
        deserialize_i8: false, deserialize_i16: false, deserialize_i32: false,
        deserialize_i64: false, deserialize_u8: false, deserialize_u16: false,
        deserialize_u32: false, deserialize_u64: false, deserialize_i128: true,
        deserialize_u128: true
    );

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if let Some(Item::Event(Event::Primitive(Value::Null))) = self.peek_item()? {
            self.next()?;
            return visitor.visit_none();
        }
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        if name == DOCUMENT_TOKEN && !self.started && !self.handed_over {
            // A root `Value`: hand over the whole text to be decoded in one go.
            self.handed_over = true;
            let access = DocumentAccess {
                text: Some(self.text),
                options: self.options,
            };
            return visitor.visit_map(access).map_err(|error| {
                // The visitor saw the decoder's error as a message; report the decoder's
                // own error, with its category and location.
                crate::decode::decode(self.text, &self.options)
                    .err()
                    .unwrap_or(error)
            });
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        let at = self.peek_position()?;
        let result = match self.peek()? {
            // A unit variant is its name.
            Some(Event::Primitive(Value::String(_))) => match self.next()? {
                Some(Event::Primitive(Value::String(name))) => {
                    visitor.visit_enum(cow_deserializer(name))
                }
                _ => Err(Error::new(Category::Data, "expected an enum")),
            },
            // Other variants are an object with one key: the variant name.
            Some(Event::StartObject) => {
                self.next()?;
                let value = visitor.visit_enum(Variant { de: &mut *self })?;
                match self.next_value_event()? {
                    Event::EndObject => Ok(value),
                    _ => Err(Error::new(
                        Category::Data,
                        "an enum object must have exactly one key",
                    )),
                }
            }
            _ => Err(Error::new(
                Category::Data,
                "expected an enum: a variant name or an object with one key",
            )),
        };
        result.map_err(|e| self.locate(e, at))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.take_row()?.is_some() {
            return visitor.visit_unit();
        }
        let event = self.next_value_event()?;
        self.skip(event)?;
        visitor.visit_unit()
    }

    forward_to_deserialize_any! {
        bool f32 f64 char str string bytes byte_buf unit unit_struct seq tuple
        tuple_struct map struct identifier
    }
}

/// Gives a location in `text` to an error that has none (raised by a visitor), at `at`.
fn locate(text: &str, error: Error, at: Position) -> Error {
    if error.line() != 0 || at.line == 0 {
        return error;
    }
    let line = text.split('\n').nth(at.line - 1).unwrap_or_default();
    let line = line
        .strip_suffix('\r')
        .unwrap_or(line)
        .trim_end_matches(' ');
    let line = if at.line == 1 {
        line.trim_start_matches('\u{feff}')
    } else {
        line
    };
    error.locate(at.line, column_at(line, at.offset), line)
}

fn expect_end(de: &mut Deserializer<'_>, array: bool) -> Result<()> {
    // A visitor that stopped early leaves elements unread: skip them to the end.
    de.pending = None;
    loop {
        match de.next_value_event()? {
            Event::EndArray if array => return Ok(()),
            Event::EndObject if !array => return Ok(()),
            Event::Key(_) => {}
            other => de.skip(other)?,
        }
    }
}

/// Map and sequence access over the events of one open container.
struct Compound<'a, 'de> {
    de: &'a mut Deserializer<'de>,
    /// The declared length of an array (a size hint).
    length: Option<usize>,
}

impl<'de> SeqAccess<'de> for Compound<'_, 'de> {
    type Error = Error;

    #[inline]
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        match self.de.peek_item()? {
            Some(Item::Event(Event::EndArray)) | None => Ok(None),
            _ => seed.deserialize(&mut *self.de).map(Some),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        self.length
    }
}

impl<'de> MapAccess<'de> for Compound<'_, 'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        match self.de.peek_item()? {
            Some(Item::Field { .. }) => {
                let Some((Item::Field { key, cell }, at)) = self.de.pull.queue.pop() else {
                    return Ok(None);
                };
                let (value, offset) = self.de.pull.queue.take_value(cell);
                let value_at = Position {
                    line: at.line,
                    offset,
                };
                self.de.pending = Some((value, value_at));
                self.de.last = at;
                seed.deserialize(KeyDeserializer { key })
                    .map(Some)
                    .map_err(|e| self.de.locate(e, at))
            }
            Some(Item::Event(Event::Key(_))) => match self.de.next()? {
                Some(Event::Key(key)) => {
                    let at = self.de.last;
                    seed.deserialize(KeyDeserializer { key })
                        .map(Some)
                        .map_err(|e| self.de.locate(e, at))
                }
                _ => Ok(None),
            },
            _ => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        if let Some((value, at)) = self.de.pending.take() {
            self.de.last = at;
            return seed.deserialize(value).map_err(|e| self.de.locate(e, at));
        }
        seed.deserialize(&mut *self.de)
    }
}

/// Access to an externally tagged enum written as `{variant: value}`.
struct Variant<'a, 'de> {
    de: &'a mut Deserializer<'de>,
}

impl<'de> EnumAccess<'de> for Variant<'_, 'de> {
    type Error = Error;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self)> {
        match self.de.next_value_event()? {
            Event::Key(key) => {
                let variant = seed.deserialize(KeyDeserializer { key })?;
                Ok((variant, self))
            }
            _ => Err(Error::new(
                Category::Data,
                "expected the variant name as the object's key",
            )),
        }
    }
}

impl<'de> VariantAccess<'de> for Variant<'_, 'de> {
    type Error = Error;

    fn unit_variant(self) -> Result<()> {
        de::Deserialize::deserialize(&mut *self.de)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        seed.deserialize(&mut *self.de)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value> {
        de::Deserializer::deserialize_seq(&mut *self.de, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        de::Deserializer::deserialize_map(&mut *self.de, visitor)
    }
}

/// The one-entry map that hands a whole document to a root `Value` (see
/// [`DOCUMENT_TOKEN`]): key [`DOCUMENT_KEY`], value `(text, indent, strict, max_depth)`.
struct DocumentAccess<'de> {
    text: Option<&'de str>,
    options: DecodeOptions,
}

impl<'de> MapAccess<'de> for DocumentAccess<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if self.text.is_none() {
            return Ok(None);
        }
        seed.deserialize(BorrowedStrDeserializer::new(DOCUMENT_KEY))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let text = self.text.take().unwrap_or_default();
        let payload = DocumentPayload {
            text,
            options: self.options,
            next: 0,
        };
        seed.deserialize(SeqAccessDeserializer::new(payload))
    }
}

/// The payload of [`DocumentAccess`] as a sequence of four elements.
struct DocumentPayload<'de> {
    text: &'de str,
    options: DecodeOptions,
    next: usize,
}

impl<'de> SeqAccess<'de> for DocumentPayload<'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        self.next += 1;
        let element = match self.next {
            1 => seed.deserialize(BorrowedStrDeserializer::new(self.text)),
            2 => seed.deserialize(self.options.indent().into_deserializer()),
            3 => seed.deserialize(self.options.strict().into_deserializer()),
            4 => seed.deserialize(self.options.max_depth().into_deserializer()),
            _ => return Ok(None),
        };
        element.map(Some)
    }
}
