//! The serde side of encoding: [`Serializer`] turns any `Serialize` value into a
//! [`Value`] (TOON has to see a whole array before it can pick tabular or list form),
//! and `to_string` / `to_vec` / `to_writer` encode it.
//!
//! Host mapping: `None` and unit → `null`; unit variants → their name; other variants →
//! `{variant: value}`; maps need string, integer, bool or unit-variant keys (integers and
//! bools are written as their text); `i128`/`u128` beyond 64 bits → a quoted decimal
//! string (lossless, like the reference does for big BigInts); `f32` → the shortest
//! decimal that round-trips as `f32`; bytes → an array of numbers.

use std::io;

use serde_core::ser::{self, Serialize};

use crate::encode::{encode, encode_to_writer};
use crate::error::{Category, Error, Result};
use crate::options::EncodeOptions;
use crate::value::{Map, Number, Value};

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
    encode(&to_value(value)?, options)
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
    encode_to_writer(&to_value(value)?, options, writer)
}

/// Converts any `Serialize` value into a [`Value`].
pub fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<Value<'static>> {
    value.serialize(Serializer)
}

/// A serde `Serializer` whose output is a [`Value`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Serializer;

fn float32(f: f32) -> Value<'static> {
    if !f.is_finite() {
        return Value::Number(Number::from_f64(f64::from(f)));
    }
    // The f64 closest to the f32's shortest decimal (0.1f32 → 0.1, not 0.10000000149…).
    let text = zmij::Buffer::new().format_finite(f).to_owned();
    Value::Number(Number::from_f64(text.parse().unwrap_or(f64::from(f))))
}

impl ser::Serializer for Serializer {
    type Ok = Value<'static>;
    type Error = Error;
    type SerializeSeq = SerializeVec;
    type SerializeTuple = SerializeVec;
    type SerializeTupleStruct = SerializeVec;
    type SerializeTupleVariant = SerializeVariant<SerializeVec>;
    type SerializeMap = SerializeMap;
    type SerializeStruct = SerializeMap;
    type SerializeStructVariant = SerializeVariant<SerializeMap>;

    fn serialize_bool(self, v: bool) -> Result<Value<'static>> {
        Ok(Value::Bool(v))
    }

    fn serialize_i8(self, v: i8) -> Result<Value<'static>> {
        Ok(Value::from(v))
    }

    fn serialize_i16(self, v: i16) -> Result<Value<'static>> {
        Ok(Value::from(v))
    }

    fn serialize_i32(self, v: i32) -> Result<Value<'static>> {
        Ok(Value::from(v))
    }

    fn serialize_i64(self, v: i64) -> Result<Value<'static>> {
        Ok(Value::from(v))
    }

    fn serialize_i128(self, v: i128) -> Result<Value<'static>> {
        Ok(match (i64::try_from(v), u64::try_from(v)) {
            (Ok(i), _) => Value::from(i),
            (_, Ok(u)) => Value::from(u),
            _ => Value::from(v.to_string()),
        })
    }

    fn serialize_u8(self, v: u8) -> Result<Value<'static>> {
        Ok(Value::from(v))
    }

    fn serialize_u16(self, v: u16) -> Result<Value<'static>> {
        Ok(Value::from(v))
    }

    fn serialize_u32(self, v: u32) -> Result<Value<'static>> {
        Ok(Value::from(v))
    }

    fn serialize_u64(self, v: u64) -> Result<Value<'static>> {
        Ok(Value::from(v))
    }

    fn serialize_u128(self, v: u128) -> Result<Value<'static>> {
        Ok(match u64::try_from(v) {
            Ok(u) => Value::from(u),
            Err(_) => Value::from(v.to_string()),
        })
    }

    fn serialize_f32(self, v: f32) -> Result<Value<'static>> {
        Ok(float32(v))
    }

    fn serialize_f64(self, v: f64) -> Result<Value<'static>> {
        Ok(Value::from(v))
    }

    fn serialize_char(self, v: char) -> Result<Value<'static>> {
        Ok(Value::from(v.to_string()))
    }

    fn serialize_str(self, v: &str) -> Result<Value<'static>> {
        Ok(Value::from(v.to_owned()))
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<Value<'static>> {
        Ok(Value::Array(v.iter().map(|&b| Value::from(b)).collect()))
    }

    fn serialize_none(self) -> Result<Value<'static>> {
        Ok(Value::Null)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value<'static>> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<Value<'static>> {
        Ok(Value::Null)
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<Value<'static>> {
        Ok(Value::Null)
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Value<'static>> {
        Ok(Value::from(variant))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Value<'static>> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Value<'static>> {
        let mut map = Map::with_capacity(1);
        map.insert(variant, value.serialize(Serializer)?);
        Ok(Value::Object(map))
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<SerializeVec> {
        Ok(SerializeVec {
            items: Vec::with_capacity(len.unwrap_or(0)),
        })
    }

    fn serialize_tuple(self, len: usize) -> Result<SerializeVec> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<SerializeVec> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<SerializeVariant<SerializeVec>> {
        Ok(SerializeVariant {
            variant,
            inner: self.serialize_seq(Some(len))?,
        })
    }

    fn serialize_map(self, len: Option<usize>) -> Result<SerializeMap> {
        Ok(SerializeMap {
            map: Map::with_capacity(len.unwrap_or(0)),
            key: None,
        })
    }

    fn serialize_struct(self, _: &'static str, len: usize) -> Result<SerializeMap> {
        self.serialize_map(Some(len))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<SerializeVariant<SerializeMap>> {
        Ok(SerializeVariant {
            variant,
            inner: self.serialize_map(Some(len))?,
        })
    }
}

/// Collects a sequence or tuple.
pub struct SerializeVec {
    items: Vec<Value<'static>>,
}

impl ser::SerializeSeq for SerializeVec {
    type Ok = Value<'static>;
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.items.push(value.serialize(Serializer)?);
        Ok(())
    }

    fn end(self) -> Result<Value<'static>> {
        Ok(Value::Array(self.items))
    }
}

impl ser::SerializeTuple for SerializeVec {
    type Ok = Value<'static>;
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<Value<'static>> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for SerializeVec {
    type Ok = Value<'static>;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<Value<'static>> {
        ser::SerializeSeq::end(self)
    }
}

/// Collects a map or struct.
pub struct SerializeMap {
    map: Map<'static>,
    key: Option<String>,
}

impl ser::SerializeMap for SerializeMap {
    type Ok = Value<'static>;
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        self.key = Some(key.serialize(KeySerializer)?);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let key = self.key.take().unwrap_or_default();
        self.map.insert(key, value.serialize(Serializer)?);
        Ok(())
    }

    fn end(self) -> Result<Value<'static>> {
        Ok(Value::Object(self.map))
    }
}

impl ser::SerializeStruct for SerializeMap {
    type Ok = Value<'static>;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.map.insert(key, value.serialize(Serializer)?);
        Ok(())
    }

    fn end(self) -> Result<Value<'static>> {
        Ok(Value::Object(self.map))
    }
}

/// Wraps a tuple or struct variant's content as `{variant: content}`.
pub struct SerializeVariant<T> {
    variant: &'static str,
    inner: T,
}

impl<T> SerializeVariant<T> {
    fn wrap(variant: &'static str, content: Value<'static>) -> Value<'static> {
        let mut map = Map::with_capacity(1);
        map.insert(variant, content);
        Value::Object(map)
    }
}

impl ser::SerializeTupleVariant for SerializeVariant<SerializeVec> {
    type Ok = Value<'static>;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        ser::SerializeSeq::serialize_element(&mut self.inner, value)
    }

    fn end(self) -> Result<Value<'static>> {
        let content = ser::SerializeSeq::end(self.inner)?;
        Ok(Self::wrap(self.variant, content))
    }
}

impl ser::SerializeStructVariant for SerializeVariant<SerializeMap> {
    type Ok = Value<'static>;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        ser::SerializeStruct::serialize_field(&mut self.inner, key, value)
    }

    fn end(self) -> Result<Value<'static>> {
        let content = ser::SerializeStruct::end(self.inner)?;
        Ok(Self::wrap(self.variant, content))
    }
}

/// Serializes a map key to its text: strings, chars, integers, bools, unit variants.
struct KeySerializer;

fn key_error() -> Error {
    Error::new(
        Category::Data,
        "a map key must be a string, an integer, a bool or a unit enum variant",
    )
}

macro_rules! key_to_string {
    ($($method:ident: $ty:ty),*) => {$(
        fn $method(self, v: $ty) -> Result<String> {
            Ok(v.to_string())
        }
    )*};
}

impl ser::Serializer for KeySerializer {
    type Ok = String;
    type Error = Error;
    type SerializeSeq = ser::Impossible<String, Error>;
    type SerializeTuple = ser::Impossible<String, Error>;
    type SerializeTupleStruct = ser::Impossible<String, Error>;
    type SerializeTupleVariant = ser::Impossible<String, Error>;
    type SerializeMap = ser::Impossible<String, Error>;
    type SerializeStruct = ser::Impossible<String, Error>;
    type SerializeStructVariant = ser::Impossible<String, Error>;

    key_to_string!(
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_i128: i128, serialize_u8: u8, serialize_u16: u16,
        serialize_u32: u32, serialize_u64: u64, serialize_u128: u128, serialize_char: char
    );

    fn serialize_str(self, v: &str) -> Result<String> {
        Ok(v.to_owned())
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<String> {
        Ok(variant.to_owned())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<String> {
        value.serialize(self)
    }

    fn serialize_f32(self, _: f32) -> Result<String> {
        Err(key_error())
    }

    fn serialize_f64(self, _: f64) -> Result<String> {
        Err(key_error())
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<String> {
        Err(key_error())
    }

    fn serialize_none(self) -> Result<String> {
        Err(key_error())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<String> {
        Err(key_error())
    }

    fn serialize_unit(self) -> Result<String> {
        Err(key_error())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<String> {
        Err(key_error())
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String> {
        Err(key_error())
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(key_error())
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple> {
        Err(key_error())
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(key_error())
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(key_error())
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap> {
        Err(key_error())
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct> {
        Err(key_error())
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(key_error())
    }
}
