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

use super::key::{KeySerializer, KeySink};
use super::{big_integer, float32};
use crate::encode::PushEncoder;
use crate::error::{Error, Result};
use crate::number::BIG_INTEGER;
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
        name: &'static str,
        value: &T,
    ) -> Result<()> {
        if name == BIG_INTEGER {
            // Owns its digits, so not through `primitive`, which never drops.
            return self.encoder.primitive(&Value::Number(big_integer(value)?));
        }
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

/// The sequence-like compounds: elements, then the array ends.
macro_rules! sequence_like {
    ($($trait:ident::$method:ident),*) => {$(
        impl ser::$trait for Compound<'_, '_, '_> {
            type Ok = ();
            type Error = Error;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
                self.element(value)
            }

            fn end(self) -> Result<()> {
                self.end_array()
            }
        }
    )*};
}

sequence_like!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Compound<'_, '_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        key.serialize(KeySerializer(&mut *self.encoder))
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.element(value)
    }

    fn end(self) -> Result<()> {
        self.end_object()
    }
}

/// The struct-like compounds: named fields, then the object ends.
macro_rules! struct_like {
    ($($trait:ident),*) => {$(
        impl ser::$trait for Compound<'_, '_, '_> {
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
    )*};
}

struct_like!(SerializeStruct, SerializeStructVariant);

/// A map key reported to the encoder.
impl KeySink for &mut PushEncoder<'_, '_> {
    type Ok = ();

    fn key(self, key: &str) -> Result<()> {
        PushEncoder::key(self, key)
    }

    fn static_key(self, key: &'static str) -> Result<()> {
        PushEncoder::key_static(self, key)
    }
}
