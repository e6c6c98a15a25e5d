//! The serde side of encoding: `to_string` / `to_vec` / `to_writer` write TOON while the
//! value serializes (through the push encoder, `encode/push/`), [`transcode`] does the
//! same from any serde `Deserializer`, and [`Serializer`] turns any `Serialize` value
//! into a [`Value`] (`to_value`).
//!
//! Host mapping: `None` and unit → `null`; unit variants → their name; other variants →
//! `{variant: value}`; maps need string, integer, bool or unit-variant keys (integers and
//! bools are written as their text); `i128`/`u128` beyond 64 bits → a quoted decimal
//! string (lossless, like the reference does for big BigInts); `f32` → the shortest
//! decimal that round-trips as `f32`; bytes → an array of numbers.

use std::borrow::Cow;
use std::cell::RefCell;
use std::io;
use std::marker::PhantomData;

use bumpalo::Bump;
use serde_core::ser::{self, Serialize};

use crate::encode::PushEncoder;
use crate::error::{Category, Error, Result};
use crate::number::BIG_INTEGER;
use crate::options::EncodeOptions;
use crate::value::{Map, MapBuilder, Number, Value};

mod key;
mod push;
mod transcode;

use key::{KeySerializer, KeySink};

use push::PushSerializer;
pub use transcode::{TranscodeError, transcode};

/// Encodes `value` as a TOON document with the default options.
///
/// ```
/// #[derive(serde::Serialize)]
/// struct User { id: u32, name: &'static str }
///
/// let users = vec![User { id: 1, name: "Ada" }, User { id: 2, name: "Bo" }];
/// assert_eq!(toon::to_string(&users).unwrap(), "[2]{id,name}:\n  1,Ada\n  2,Bo");
/// ```
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    to_string_with_options(value, &EncodeOptions::default())
}

/// Encodes `value` as a TOON document.
pub fn to_string_with_options<T: Serialize + ?Sized>(
    value: &T,
    options: &EncodeOptions,
) -> Result<String> {
    with_arena(|arena| {
        let mut encoder = PushEncoder::new(options, arena)?;
        value.serialize(PushSerializer {
            encoder: &mut encoder,
        })?;
        encoder.finish()
    })
}

/// Encodes `value` as UTF-8 bytes.
pub fn to_vec<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>> {
    to_string(value).map(String::into_bytes)
}

/// Encodes `value` as UTF-8 bytes.
pub fn to_vec_with_options<T: Serialize + ?Sized>(
    value: &T,
    options: &EncodeOptions,
) -> Result<Vec<u8>> {
    to_string_with_options(value, options).map(String::into_bytes)
}

/// Encodes `value` into `writer` (the text is streamed out in chunks).
pub fn to_writer<W: io::Write, T: Serialize + ?Sized>(writer: W, value: &T) -> Result<()> {
    to_writer_with_options(writer, value, &EncodeOptions::default())
}

/// Encodes `value` into `writer` (the text is streamed out in chunks).
pub fn to_writer_with_options<W: io::Write, T: Serialize + ?Sized>(
    writer: W,
    value: &T,
    options: &EncodeOptions,
) -> Result<()> {
    let mut writer = writer;
    with_arena(|arena| {
        let mut encoder = PushEncoder::to_writer(options, arena, &mut writer)?;
        value.serialize(PushSerializer {
            encoder: &mut encoder,
        })?;
        encoder.finish().map(drop)
    })
}

thread_local! {
    /// Per-thread arena for the strings of values built on the way: reset after each call,
    /// so serializing allocates no string in steady state.
    static ARENA: RefCell<Bump> = RefCell::new(Bump::new());
}

/// Runs `f` with this thread's arena (or a fresh one when a `Serialize` impl calls
/// `to_string` re-entrantly), resetting it afterwards.
fn with_arena<R>(f: impl FnOnce(&Bump) -> R) -> R {
    ARENA.with(|cell| match cell.try_borrow_mut() {
        Ok(mut arena) => {
            let result = f(&arena);
            arena.reset();
            result
        }
        Err(_) => f(&Bump::new()),
    })
}

/// Converts any `Serialize` value into a [`Value`].
pub fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<Value<'static>> {
    value.serialize(Serializer::new())
}

/// Where the strings of a serialized [`Value`] live.
pub trait StringStore<'v>: Copy {
    /// Stores `s` and returns it as the value's string.
    fn store(self, s: &str) -> Cow<'v, str>;
}

/// Copies every string into the value (`Value<'static>`).
#[derive(Debug, Clone, Copy, Default)]
pub struct OwnedStrings;

impl StringStore<'static> for OwnedStrings {
    fn store(self, s: &str) -> Cow<'static, str> {
        Cow::Owned(s.to_owned())
    }
}

/// Copies strings into a bump arena that the value borrows from.
#[derive(Debug, Clone, Copy)]
pub struct ArenaStrings<'b>(&'b Bump);

impl<'b> StringStore<'b> for ArenaStrings<'b> {
    #[inline]
    fn store(self, s: &str) -> Cow<'b, str> {
        Cow::Borrowed(self.0.alloc_str(s))
    }
}

/// A serde `Serializer` whose output is a [`Value<'v>`]; `Serializer::new()` makes owned
/// values (`'v = 'static`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Serializer<'v, S = OwnedStrings> {
    strings: S,
    value: PhantomData<Value<'v>>,
}

impl Serializer<'static> {
    /// A serializer producing `Value<'static>`.
    pub fn new() -> Self {
        Serializer {
            strings: OwnedStrings,
            value: PhantomData,
        }
    }
}

impl<'b> Serializer<'b, ArenaStrings<'b>> {
    /// A serializer whose value borrows its strings from `arena`.
    pub fn in_arena(arena: &'b Bump) -> Self {
        Serializer {
            strings: ArenaStrings(arena),
            value: PhantomData,
        }
    }
}

pub(crate) fn float32<'v>(f: f32) -> Value<'v> {
    if !f.is_finite() {
        return Value::Number(Number::from_f64(f64::from(f)));
    }
    // The f64 closest to the f32's shortest decimal (0.1f32 → 0.1, not 0.10000000149…).
    let text = zmij::Buffer::new().format_finite(f).to_owned();
    Value::Number(Number::from_f64(text.parse().unwrap_or(f64::from(f))))
}

impl<'v, S: StringStore<'v>> ser::Serializer for Serializer<'v, S> {
    type Ok = Value<'v>;
    type Error = Error;
    type SerializeSeq = SerializeVec<'v, S>;
    type SerializeTuple = SerializeVec<'v, S>;
    type SerializeTupleStruct = SerializeVec<'v, S>;
    type SerializeTupleVariant = SerializeVariant<SerializeVec<'v, S>>;
    type SerializeMap = SerializeMap<'v, S>;
    type SerializeStruct = SerializeMap<'v, S>;
    type SerializeStructVariant = SerializeVariant<SerializeMap<'v, S>>;

    fn serialize_bool(self, v: bool) -> Result<Value<'v>> {
        Ok(Value::Bool(v))
    }

    fn serialize_i8(self, v: i8) -> Result<Value<'v>> {
        Ok(Value::from(v))
    }

    fn serialize_i16(self, v: i16) -> Result<Value<'v>> {
        Ok(Value::from(v))
    }

    fn serialize_i32(self, v: i32) -> Result<Value<'v>> {
        Ok(Value::from(v))
    }

    fn serialize_i64(self, v: i64) -> Result<Value<'v>> {
        Ok(Value::from(v))
    }

    fn serialize_i128(self, v: i128) -> Result<Value<'v>> {
        Ok(match (i64::try_from(v), u64::try_from(v)) {
            (Ok(i), _) => Value::from(i),
            (_, Ok(u)) => Value::from(u),
            _ => Value::from(v.to_string()),
        })
    }

    fn serialize_u8(self, v: u8) -> Result<Value<'v>> {
        Ok(Value::from(v))
    }

    fn serialize_u16(self, v: u16) -> Result<Value<'v>> {
        Ok(Value::from(v))
    }

    fn serialize_u32(self, v: u32) -> Result<Value<'v>> {
        Ok(Value::from(v))
    }

    fn serialize_u64(self, v: u64) -> Result<Value<'v>> {
        Ok(Value::from(v))
    }

    fn serialize_u128(self, v: u128) -> Result<Value<'v>> {
        Ok(match u64::try_from(v) {
            Ok(u) => Value::from(u),
            Err(_) => Value::from(v.to_string()),
        })
    }

    fn serialize_f32(self, v: f32) -> Result<Value<'v>> {
        Ok(float32(v))
    }

    fn serialize_f64(self, v: f64) -> Result<Value<'v>> {
        Ok(Value::from(v))
    }

    fn serialize_char(self, v: char) -> Result<Value<'v>> {
        Ok(Value::String(
            self.strings.store(v.encode_utf8(&mut [0; 4])),
        ))
    }

    fn serialize_str(self, v: &str) -> Result<Value<'v>> {
        Ok(Value::String(self.strings.store(v)))
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<Value<'v>> {
        Ok(Value::Array(v.iter().map(|&b| Value::from(b)).collect()))
    }

    fn serialize_none(self) -> Result<Value<'v>> {
        Ok(Value::Null)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value<'v>> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<Value<'v>> {
        Ok(Value::Null)
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<Value<'v>> {
        Ok(Value::Null)
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Value<'v>> {
        Ok(Value::from(variant))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<Value<'v>> {
        if name == BIG_INTEGER {
            return big_integer(value).map(Value::Number);
        }
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Value<'v>> {
        let mut map = Map::with_capacity(1);
        map.insert(variant, value.serialize(self)?);
        Ok(Value::Object(map))
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<SerializeVec<'v, S>> {
        Ok(SerializeVec {
            serializer: self,
            items: Vec::with_capacity(len.unwrap_or(0).min(4096)),
        })
    }

    fn serialize_tuple(self, len: usize) -> Result<SerializeVec<'v, S>> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<SerializeVec<'v, S>> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<SerializeVariant<SerializeVec<'v, S>>> {
        Ok(SerializeVariant {
            variant,
            inner: self.serialize_seq(Some(len))?,
        })
    }

    fn serialize_map(self, len: Option<usize>) -> Result<SerializeMap<'v, S>> {
        Ok(SerializeMap {
            serializer: self,
            map: MapBuilder::with_capacity(len.unwrap_or(0).min(4096)),
            key: None,
        })
    }

    fn serialize_struct(self, _: &'static str, len: usize) -> Result<SerializeMap<'v, S>> {
        self.serialize_map(Some(len))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<SerializeVariant<SerializeMap<'v, S>>> {
        Ok(SerializeVariant {
            variant,
            inner: self.serialize_map(Some(len))?,
        })
    }
}

/// Collects a sequence or tuple.
pub struct SerializeVec<'v, S> {
    serializer: Serializer<'v, S>,
    items: Vec<Value<'v>>,
}

impl<'v, S: StringStore<'v>> ser::SerializeSeq for SerializeVec<'v, S> {
    type Ok = Value<'v>;
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.items.push(value.serialize(self.serializer)?);
        Ok(())
    }

    fn end(self) -> Result<Value<'v>> {
        Ok(Value::Array(self.items))
    }
}

impl<'v, S: StringStore<'v>> ser::SerializeTuple for SerializeVec<'v, S> {
    type Ok = Value<'v>;
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<Value<'v>> {
        ser::SerializeSeq::end(self)
    }
}

impl<'v, S: StringStore<'v>> ser::SerializeTupleStruct for SerializeVec<'v, S> {
    type Ok = Value<'v>;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<Value<'v>> {
        ser::SerializeSeq::end(self)
    }
}

/// Collects a map or struct.
pub struct SerializeMap<'v, S> {
    serializer: Serializer<'v, S>,
    map: MapBuilder<'v>,
    key: Option<Cow<'v, str>>,
}

impl<'v, S: StringStore<'v>> ser::SerializeMap for SerializeMap<'v, S> {
    type Ok = Value<'v>;
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        self.key = Some(key.serialize(KeySerializer(StoreKey(
            self.serializer.strings,
            PhantomData,
        )))?);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let key = self.key.take().unwrap_or_default();
        let value = value.serialize(self.serializer)?;
        // A repeated key replaces the earlier value in place, as `serde_json::to_value`
        // does.
        self.map.insert(key, value);
        Ok(())
    }

    fn end(self) -> Result<Value<'v>> {
        Ok(Value::Object(self.map.finish()))
    }
}

impl<'v, S: StringStore<'v>> ser::SerializeStruct for SerializeMap<'v, S> {
    type Ok = Value<'v>;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        // Field names are `&'static str` (borrowed, never copied) and distinct: serde's
        // derive never repeats one, so no lookup is needed.
        let value = value.serialize(self.serializer)?;
        self.map.push_unique(Cow::Borrowed(key), value);
        Ok(())
    }

    fn end(self) -> Result<Value<'v>> {
        Ok(Value::Object(self.map.finish()))
    }
}

/// Wraps a tuple or struct variant's content as `{variant: content}`.
pub struct SerializeVariant<T> {
    variant: &'static str,
    inner: T,
}

fn wrap<'v>(variant: &'static str, content: Value<'v>) -> Value<'v> {
    let mut map = Map::with_capacity(1);
    map.insert(variant, content);
    Value::Object(map)
}

impl<'v, S: StringStore<'v>> ser::SerializeTupleVariant for SerializeVariant<SerializeVec<'v, S>> {
    type Ok = Value<'v>;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        ser::SerializeSeq::serialize_element(&mut self.inner, value)
    }

    fn end(self) -> Result<Value<'v>> {
        Ok(wrap(self.variant, ser::SerializeSeq::end(self.inner)?))
    }
}

impl<'v, S: StringStore<'v>> ser::SerializeStructVariant for SerializeVariant<SerializeMap<'v, S>> {
    type Ok = Value<'v>;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        ser::SerializeStruct::serialize_field(&mut self.inner, key, value)
    }

    fn end(self) -> Result<Value<'v>> {
        Ok(wrap(self.variant, ser::SerializeStruct::end(self.inner)?))
    }
}

/// The number inside a big integer's newtype (`Serialize for Number`): its digits, read
/// with the key serializer, which accepts exactly a string or an integer.
pub(crate) fn big_integer<T: Serialize + ?Sized>(digits: &T) -> Result<Number> {
    struct Digits;

    impl KeySink for Digits {
        type Ok = Number;

        fn key(self, text: &str) -> Result<Number> {
            Number::from_integer_text(text)
                .ok_or_else(|| Error::new(Category::Data, "a big integer must be decimal digits"))
        }
    }

    digits.serialize(KeySerializer(Digits))
}

/// A map key stored as the value's string.
struct StoreKey<'v, S>(S, PhantomData<Cow<'v, str>>);

impl<'v, S: StringStore<'v>> KeySink for StoreKey<'v, S> {
    type Ok = Cow<'v, str>;

    fn key(self, key: &str) -> Result<Cow<'v, str>> {
        Ok(self.0.store(key))
    }

    fn static_key(self, key: &'static str) -> Result<Cow<'v, str>> {
        Ok(Cow::Borrowed(key))
    }
}
