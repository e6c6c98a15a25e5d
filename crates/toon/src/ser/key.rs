//! Map keys: a serde `Serializer` that accepts what can be a TOON key (strings, chars,
//! integers, bools, unit variants; integers and bools as their text) and hands the text
//! to a [`KeySink`]; anything else is an error.

use serde_core::ser::{self, Serialize};

use crate::error::{Category, Error, Result};

/// Where a map key's text goes.
pub(crate) trait KeySink {
    /// What the key serializer returns.
    type Ok;

    /// A key whose text lives only for this call.
    fn key(self, key: &str) -> Result<Self::Ok>;

    /// A key that lives for the whole program (a unit variant's name).
    fn static_key(self, key: &'static str) -> Result<Self::Ok>
    where
        Self: Sized,
    {
        self.key(key)
    }
}

/// Serializes a map key into a [`KeySink`].
pub(crate) struct KeySerializer<K>(pub(crate) K);

fn key_error() -> Error {
    Error::new(
        Category::Data,
        "a map key must be a string, an integer, a bool or a unit enum variant",
    )
}

macro_rules! integer_key {
    ($($method:ident: $ty:ty),*) => {$(
        fn $method(self, v: $ty) -> Result<K::Ok> {
            self.0.key(itoa::Buffer::new().format(v))
        }
    )*};
}

macro_rules! refused {
    ($($method:ident($($arg:ty),*) -> $ok:ty),* $(,)?) => {$(
        fn $method(self, $(_: $arg),*) -> Result<$ok> {
            Err(key_error())
        }
    )*};
}

impl<K: KeySink> ser::Serializer for KeySerializer<K> {
    type Ok = K::Ok;
    type Error = Error;
    type SerializeSeq = ser::Impossible<K::Ok, Error>;
    type SerializeTuple = ser::Impossible<K::Ok, Error>;
    type SerializeTupleStruct = ser::Impossible<K::Ok, Error>;
    type SerializeTupleVariant = ser::Impossible<K::Ok, Error>;
    type SerializeMap = ser::Impossible<K::Ok, Error>;
    type SerializeStruct = ser::Impossible<K::Ok, Error>;
    type SerializeStructVariant = ser::Impossible<K::Ok, Error>;

    integer_key!(
        serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_i128: i128, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_u128: u128
    );

    refused!(
        serialize_f32(f32) -> K::Ok,
        serialize_f64(f64) -> K::Ok,
        serialize_bytes(&[u8]) -> K::Ok,
        serialize_none() -> K::Ok,
        serialize_unit() -> K::Ok,
        serialize_unit_struct(&'static str) -> K::Ok,
        serialize_seq(Option<usize>) -> Self::SerializeSeq,
        serialize_tuple(usize) -> Self::SerializeTuple,
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct,
        serialize_tuple_variant(&'static str, u32, &'static str, usize)
            -> Self::SerializeTupleVariant,
        serialize_map(Option<usize>) -> Self::SerializeMap,
        serialize_struct(&'static str, usize) -> Self::SerializeStruct,
        serialize_struct_variant(&'static str, u32, &'static str, usize)
            -> Self::SerializeStructVariant,
    );

    fn serialize_bool(self, v: bool) -> Result<K::Ok> {
        self.0.static_key(if v { "true" } else { "false" })
    }

    fn serialize_char(self, v: char) -> Result<K::Ok> {
        self.0.key(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<K::Ok> {
        self.0.key(v)
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<K::Ok> {
        self.0.static_key(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<K::Ok> {
        value.serialize(self)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<K::Ok> {
        Err(key_error())
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<K::Ok> {
        Err(key_error())
    }
}
