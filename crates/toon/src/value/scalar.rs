//! Serde's view of TOON scalars, shared by both deserializers (`de`, over the decoder's
//! events, and `value::de`, over a `Value`), so `de` depends on `value` and never the
//! other way: primitives handed to a visitor by the type asked for, strings that stay
//! borrowed, and map keys that can stand for numbers, bools or unit variants.

use std::borrow::Cow;

use serde_core::de::{self, DeserializeSeed, EnumAccess, IntoDeserializer, VariantAccess, Visitor};
use serde_core::forward_to_deserialize_any;

use super::{Number, Value};
use crate::error::{Category, Error, Result};
use crate::number::N;

/// Visits a primitive value.
pub(crate) fn visit_primitive<'de, V: Visitor<'de>>(
    value: Value<'de>,
    visitor: V,
) -> Result<V::Value> {
    match value {
        Value::Null => visitor.visit_unit(),
        Value::Bool(b) => visitor.visit_bool(b),
        Value::Number(n) => match n.0 {
            N::Int(i) => visitor.visit_i64(i),
            N::UInt(u) => visitor.visit_u64(u),
            N::Float(f) => visitor.visit_f64(f),
            // As the decoder gives it without `with_big_integers` (128-bit targets take
            // it exactly, in `visit_integer`).
            N::Big(_) => visitor.visit_f64(n.as_f64()),
        },
        Value::String(Cow::Borrowed(s)) => visitor.visit_borrowed_str(s),
        Value::String(Cow::Owned(s)) => visitor.visit_string(s),
        Value::Array(_) | Value::Object(_) => {
            Err(Error::new(Category::Data, "expected a primitive"))
        }
    }
}

/// Visits an integer target. Integers also accept whole floats (`2.5e2`); 128-bit targets
/// also accept the quoted decimal strings the encoder writes for values beyond 64 bits.
pub(crate) fn visit_integer<'de, V: Visitor<'de>>(
    value: Value<'de>,
    wide: bool,
    visitor: V,
) -> Result<V::Value> {
    match value {
        Value::Number(n)
            if !n.is_integer()
                && n.as_f64().fract() == 0.0
                && n.as_f64().abs() < 9_007_199_254_740_992.0 =>
        {
            visitor.visit_i64(n.as_f64() as i64)
        }
        Value::Number(Number(N::Big(digits))) if wide => {
            if let Ok(i) = digits.parse::<i128>() {
                visitor.visit_i128(i)
            } else if let Ok(u) = digits.parse::<u128>() {
                visitor.visit_u128(u)
            } else {
                visit_primitive(Value::Number(Number(N::Big(digits))), visitor)
            }
        }
        Value::String(s) if wide => {
            if let Ok(i) = s.parse::<i128>() {
                visitor.visit_i128(i)
            } else if let Ok(u) = s.parse::<u128>() {
                visitor.visit_u128(u)
            } else {
                visit_primitive(Value::String(s), visitor)
            }
        }
        other => visit_primitive(other, visitor),
    }
}

/// `s` as a deserializer that hands it out borrowed when it is.
pub(crate) fn cow_deserializer<'de>(s: Cow<'de, str>) -> CowStrDeserializer<'de> {
    CowStrDeserializer { s }
}

/// A string that deserializes borrowed when it can (serde's own `Cow` support copies).
pub(crate) struct CowStrDeserializer<'de> {
    s: Cow<'de, str>,
}

impl<'de> de::Deserializer<'de> for CowStrDeserializer<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.s {
            Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
            Cow::Owned(s) => visitor.visit_string(s),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_enum(self)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

impl<'de> EnumAccess<'de> for CowStrDeserializer<'de> {
    type Error = Error;
    type Variant = UnitOnly;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, UnitOnly)> {
        Ok((seed.deserialize(self)?, UnitOnly))
    }
}

/// The variant of an enum written as a bare name: only a unit variant fits.
pub(crate) struct UnitOnly;

impl<'de> VariantAccess<'de> for UnitOnly {
    type Error = Error;

    fn unit_variant(self) -> Result<()> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _: T) -> Result<T::Value> {
        Err(de::Error::invalid_type(
            de::Unexpected::UnitVariant,
            &"a newtype variant",
        ))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value> {
        Err(de::Error::invalid_type(
            de::Unexpected::UnitVariant,
            &"a tuple variant",
        ))
    }

    fn struct_variant<V: Visitor<'de>>(self, _: &'static [&'static str], _: V) -> Result<V::Value> {
        Err(de::Error::invalid_type(
            de::Unexpected::UnitVariant,
            &"a struct variant",
        ))
    }
}

/// A map key: a string that can also stand for an integer, a bool or a unit variant.
pub(crate) struct KeyDeserializer<'de> {
    pub(crate) key: Cow<'de, str>,
}

macro_rules! parse_key {
    ($($method:ident => $visit:ident, $ty:ty;)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            match self.key.parse::<$ty>() {
                Ok(n) => visitor.$visit(n),
                Err(_) => Err(de::Error::invalid_value(de::Unexpected::Str(&self.key), &visitor)),
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for KeyDeserializer<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        cow_deserializer(self.key).deserialize_any(visitor)
    }

    parse_key! {
        deserialize_i8 => visit_i8, i8;
        deserialize_i16 => visit_i16, i16;
        deserialize_i32 => visit_i32, i32;
        deserialize_i64 => visit_i64, i64;
        deserialize_i128 => visit_i128, i128;
        deserialize_u8 => visit_u8, u8;
        deserialize_u16 => visit_u16, u16;
        deserialize_u32 => visit_u32, u32;
        deserialize_u64 => visit_u64, u64;
        deserialize_u128 => visit_u128, u128;
        deserialize_bool => visit_bool, bool;
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
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_enum(cow_deserializer(self.key))
    }

    forward_to_deserialize_any! {
        f32 f64 char str string bytes byte_buf option unit unit_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

impl<'de> IntoDeserializer<'de, Error> for KeyDeserializer<'de> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}
