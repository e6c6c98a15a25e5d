//! The serde `Serializer` behind `to_string` and `to_writer`: it reports each value to a
//! [`PushEncoder`], which writes TOON as the value arrives (no intermediate `Value`).
//!
//! The host mapping is the one of [`Serializer`](super::Serializer). A map that yields a
//! key twice is written as given, as `serde_json::to_string` does (strict decoding then
//! reports the repeat at its line); where the map has to be built before it is written
//! (see [`PushEncoder`]), the repeat is an error instead, never a dropped value.

use std::borrow::Cow;
use std::mem::ManuallyDrop;

use serde_core::ser::{self, Serialize};

use super::{float32, key_error};
use crate::encode::PushEncoder;
use crate::error::{Error, Result};
use crate::value::Value;

/// Serializes into a [`PushEncoder`].
pub(crate) struct PushSerializer<'p, 'b, 'w> {
    pub(crate) encoder: &'p mut PushEncoder<'b, 'w>,
}

/// A sequence, map or struct in progress; `wrapped` when it is the content of an enum
/// variant (`{variant: content}`), which closes one object more.
pub(crate) struct Compound<'p, 'b, 'w> {
    encoder: &'p mut PushEncoder<'b, 'w>,
    wrapped: bool,
}

impl<'b, 'w> PushSerializer<'_, 'b, 'w> {
    /// Reports a primitive that owns no heap memory (a number, a bool, null or a
    /// borrowed string): it is not dropped, which spares a call to the drop glue of
    /// `Value` per primitive (5% of the instructions on a table).
    #[inline]
    fn primitive(self, value: Value<'_>) -> Result<()> {
        let value = ManuallyDrop::new(value);
        self.encoder.primitive(&value)
    }
}

fn variant_start(encoder: &mut PushEncoder<'_, '_>, variant: &'static str) -> Result<()> {
    encoder.begin_object()?;
    encoder.key_static(variant)
}

impl<'p, 'b, 'w> ser::Serializer for PushSerializer<'p, 'b, 'w> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'p, 'b, 'w>;
    type SerializeTuple = Compound<'p, 'b, 'w>;
    type SerializeTupleStruct = Compound<'p, 'b, 'w>;
    type SerializeTupleVariant = Compound<'p, 'b, 'w>;
    type SerializeMap = Compound<'p, 'b, 'w>;
    type SerializeStruct = Compound<'p, 'b, 'w>;
    type SerializeStructVariant = Compound<'p, 'b, 'w>;

    fn serialize_bool(self, v: bool) -> Result<()> {
        self.primitive(Value::Bool(v))
    }

    fn serialize_i8(self, v: i8) -> Result<()> {
        self.primitive(Value::from(v))
    }

    fn serialize_i16(self, v: i16) -> Result<()> {
        self.primitive(Value::from(v))
    }

    fn serialize_i32(self, v: i32) -> Result<()> {
        self.primitive(Value::from(v))
    }

    fn serialize_i64(self, v: i64) -> Result<()> {
        self.primitive(Value::from(v))
    }

    fn serialize_i128(self, v: i128) -> Result<()> {
        match (i64::try_from(v), u64::try_from(v)) {
            (Ok(i), _) => self.primitive(Value::from(i)),
            (_, Ok(u)) => self.primitive(Value::from(u)),
            _ => self.encoder.primitive(&Value::from(v.to_string())),
        }
    }

    fn serialize_u8(self, v: u8) -> Result<()> {
        self.primitive(Value::from(v))
    }

    fn serialize_u16(self, v: u16) -> Result<()> {
        self.primitive(Value::from(v))
    }

    fn serialize_u32(self, v: u32) -> Result<()> {
        self.primitive(Value::from(v))
    }

    fn serialize_u64(self, v: u64) -> Result<()> {
        self.primitive(Value::from(v))
    }

    fn serialize_u128(self, v: u128) -> Result<()> {
        match u64::try_from(v) {
            Ok(u) => self.primitive(Value::from(u)),
            Err(_) => self.encoder.primitive(&Value::from(v.to_string())),
        }
    }

    fn serialize_f32(self, v: f32) -> Result<()> {
        self.primitive(float32(v))
    }

    fn serialize_f64(self, v: f64) -> Result<()> {
        self.primitive(Value::from(v))
    }

    fn serialize_char(self, v: char) -> Result<()> {
        let mut buffer = [0; 4];
        self.serialize_str(v.encode_utf8(&mut buffer))
    }

    fn serialize_str(self, v: &str) -> Result<()> {
        self.primitive(Value::String(Cow::Borrowed(v)))
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<()> {
        self.encoder.begin_array(Some(v.len()))?;
        for &b in v {
            self.encoder.primitive(&Value::from(b))?;
        }
        self.encoder.end_array()
    }

    fn serialize_none(self) -> Result<()> {
        self.primitive(Value::Null)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<()> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<()> {
        self.primitive(Value::Null)
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<()> {
        self.primitive(Value::Null)
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<()> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<()> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<()> {
        variant_start(self.encoder, variant)?;
        value.serialize(PushSerializer {
            encoder: &mut *self.encoder,
        })?;
        self.encoder.end_object()
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Compound<'p, 'b, 'w>> {
        self.encoder.begin_array(len)?;
        Ok(Compound {
            encoder: self.encoder,
            wrapped: false,
        })
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'p, 'b, 'w>> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Compound<'p, 'b, 'w>> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'p, 'b, 'w>> {
        variant_start(self.encoder, variant)?;
        self.encoder.begin_array(Some(len))?;
        Ok(Compound {
            encoder: self.encoder,
            wrapped: true,
        })
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'p, 'b, 'w>> {
        self.encoder.begin_object()?;
        Ok(Compound {
            encoder: self.encoder,
            wrapped: false,
        })
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'p, 'b, 'w>> {
        self.encoder.begin_object()?;
        Ok(Compound {
            encoder: self.encoder,
            wrapped: false,
        })
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'p, 'b, 'w>> {
        variant_start(self.encoder, variant)?;
        self.encoder.begin_object()?;
        Ok(Compound {
            encoder: self.encoder,
            wrapped: true,
        })
    }
}

impl Compound<'_, '_, '_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        value.serialize(PushSerializer {
            encoder: &mut *self.encoder,
        })
    }

    fn end_array(self) -> Result<()> {
        self.encoder.end_array()?;
        if self.wrapped {
            self.encoder.end_object()?;
        }
        Ok(())
    }

    fn end_object(self) -> Result<()> {
        self.encoder.end_object()?;
        if self.wrapped {
            self.encoder.end_object()?;
        }
        Ok(())
    }
}

impl ser::SerializeSeq for Compound<'_, '_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }

    fn end(self) -> Result<()> {
        self.end_array()
    }
}

impl ser::SerializeTuple for Compound<'_, '_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }

    fn end(self) -> Result<()> {
        self.end_array()
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }

    fn end(self) -> Result<()> {
        self.end_array()
    }
}

impl ser::SerializeTupleVariant for Compound<'_, '_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }

    fn end(self) -> Result<()> {
        self.end_array()
    }
}

impl ser::SerializeMap for Compound<'_, '_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        key.serialize(KeyWriter {
            encoder: &mut *self.encoder,
        })
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }

    fn end(self) -> Result<()> {
        self.end_object()
    }
}

impl ser::SerializeStruct for Compound<'_, '_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.encoder.key_static(key)?;
        self.element(value)
    }

    fn end(self) -> Result<()> {
        self.end_object()
    }
}

impl ser::SerializeStructVariant for Compound<'_, '_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.encoder.key_static(key)?;
        self.element(value)
    }

    fn end(self) -> Result<()> {
        self.end_object()
    }
}

/// Reports a map key: strings, chars, integers, bools, unit variants.
struct KeyWriter<'p, 'b, 'w> {
    encoder: &'p mut PushEncoder<'b, 'w>,
}

macro_rules! integer_key {
    ($($method:ident: $ty:ty),*) => {$(
        fn $method(self, v: $ty) -> Result<()> {
            self.encoder.key(itoa::Buffer::new().format(v))
        }
    )*};
}

impl ser::Serializer for KeyWriter<'_, '_, '_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = ser::Impossible<(), Error>;
    type SerializeTupleStruct = ser::Impossible<(), Error>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = ser::Impossible<(), Error>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    integer_key!(
        serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_i128: i128, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_u128: u128
    );

    fn serialize_bool(self, v: bool) -> Result<()> {
        self.encoder.key(if v { "true" } else { "false" })
    }

    fn serialize_char(self, v: char) -> Result<()> {
        self.encoder.key(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<()> {
        self.encoder.key(v)
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<()> {
        self.encoder.key(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<()> {
        value.serialize(self)
    }

    fn serialize_f32(self, _: f32) -> Result<()> {
        Err(key_error())
    }

    fn serialize_f64(self, _: f64) -> Result<()> {
        Err(key_error())
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<()> {
        Err(key_error())
    }

    fn serialize_none(self) -> Result<()> {
        Err(key_error())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<()> {
        Err(key_error())
    }

    fn serialize_unit(self) -> Result<()> {
        Err(key_error())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<()> {
        Err(key_error())
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<()> {
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
