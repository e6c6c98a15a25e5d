//! `Deserialize` for [`Value`] (any self-describing format, JSON included, can produce a
//! `Value<'de>` that borrows what the format hands out borrowed), and `Value` as a
//! `Deserializer` (`from_value`).

use std::borrow::Cow;
use std::fmt;

use serde_core::de::value::{MapDeserializer, SeqDeserializer};
use serde_core::de::{
    self, Deserialize, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess,
    Visitor,
};
use serde_core::forward_to_deserialize_any;

use super::scalar::{KeyDeserializer, cow_deserializer, visit_integer, visit_primitive};
use crate::error::Error;

use super::{Map, MapBuilder, Number, Value};

/// Name of the newtype through which a root `Value` asks for a whole TOON document.
///
/// Our own `Deserializer`, asked for it before reading anything, answers with a one-entry
/// map: [`DOCUMENT_KEY`] and the text with its options, which `DocumentVisitor` decodes
/// directly (no events, no visitor per node), so `from_str::<Value>` costs what `decode`
/// costs. Every other deserializer treats it as an ordinary newtype (serde_json calls
/// `visit_newtype_struct`) and the value is read node by node as before.
pub(crate) const DOCUMENT_TOKEN: &str = "$toon::private::Document";

/// The key of the one-entry map that carries a whole document (see [`DOCUMENT_TOKEN`]).
pub(crate) const DOCUMENT_KEY: &str = "$toon::private::Document";

/// A `Value<'a>` can borrow from any input that outlives it (`#[serde(borrow)]` works).
impl<'de: 'a, 'a> Deserialize<'de> for Value<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(DOCUMENT_TOKEN, DocumentVisitor)
    }
}

/// The visitor of a root `Value`: a whole document when the deserializer offers one
/// (see [`DOCUMENT_TOKEN`]), otherwise any value node by node.
struct DocumentVisitor;

impl<'de> Visitor<'de> for DocumentVisitor {
    type Value = Value<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        ValueVisitor.expecting(f)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Value<'de>, D::Error> {
        d.deserialize_any(ValueVisitor)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value<'de>, A::Error> {
        let Some(first) = access.next_key_seed(KeySeed)? else {
            return Ok(Value::Object(Map::new()));
        };
        if first == DOCUMENT_KEY {
            return access.next_value_seed(DocumentSeed);
        }
        ValueVisitor::rest_of_map(first, access)
    }

    // A deserializer that forwards newtypes to `deserialize_any` lands here directly.
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value<'de>, E> {
        ValueVisitor.visit_bool(b)
    }

    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Value<'de>, E> {
        ValueVisitor.visit_i64(i)
    }

    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Value<'de>, E> {
        ValueVisitor.visit_u64(u)
    }

    fn visit_i128<E: de::Error>(self, i: i128) -> Result<Value<'de>, E> {
        ValueVisitor.visit_i128(i)
    }

    fn visit_u128<E: de::Error>(self, u: u128) -> Result<Value<'de>, E> {
        ValueVisitor.visit_u128(u)
    }

    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Value<'de>, E> {
        ValueVisitor.visit_f64(f)
    }

    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Value<'de>, E> {
        ValueVisitor.visit_borrowed_str(s)
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value<'de>, E> {
        ValueVisitor.visit_str(s)
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Value<'de>, E> {
        ValueVisitor.visit_string(s)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value<'de>, E> {
        ValueVisitor.visit_unit()
    }

    fn visit_none<E: de::Error>(self) -> Result<Value<'de>, E> {
        ValueVisitor.visit_none()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value<'de>, D::Error> {
        ValueVisitor.visit_some(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Value<'de>, A::Error> {
        ValueVisitor.visit_seq(seq)
    }
}

/// Decodes the payload of a document map: `(text, indent, strict, max_depth)`.
struct DocumentSeed;

impl<'de> DeserializeSeed<'de> for DocumentSeed {
    type Value = Value<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value<'de>, D::Error> {
        let (text, indent, strict, max_depth): (&'de str, usize, bool, usize) =
            Deserialize::deserialize(d)?;
        let options = crate::DecodeOptions::new()
            .with_indent(indent)
            .with_strict(strict)
            .with_max_depth(max_depth);
        // The caller (our `Deserializer`) replaces this message with the decoder's own
        // located error; see `Deserializer::deserialize_newtype_struct`.
        crate::decode::decode(text, &options).map_err(de::Error::custom)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Map<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::Object(map) => Ok(map),
            other => Err(de::Error::invalid_type(unexpected(&other), &"an object")),
        }
    }
}

fn unexpected<'a>(value: &'a Value<'_>) -> de::Unexpected<'a> {
    match value {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(n) => de::Unexpected::Float(n.as_f64()),
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON-model value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value<'de>, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, i: i64) -> Result<Value<'de>, E> {
        Ok(Value::Number(Number::from(i)))
    }

    fn visit_u64<E>(self, u: u64) -> Result<Value<'de>, E> {
        Ok(Value::Number(Number::from(u)))
    }

    fn visit_i128<E>(self, i: i128) -> Result<Value<'de>, E> {
        Ok(match (i64::try_from(i), u64::try_from(i)) {
            (Ok(i), _) => Value::Number(Number::from(i)),
            (_, Ok(u)) => Value::Number(Number::from(u)),
            // Outside the exact 64-bit domain: a lossless decimal string, like the
            // reference does for BigInt beyond the safe range.
            _ => Value::String(Cow::Owned(i.to_string())),
        })
    }

    fn visit_u128<E>(self, u: u128) -> Result<Value<'de>, E> {
        Ok(match u64::try_from(u) {
            Ok(u) => Value::Number(Number::from(u)),
            Err(_) => Value::String(Cow::Owned(u.to_string())),
        })
    }

    fn visit_f64<E>(self, f: f64) -> Result<Value<'de>, E> {
        Ok(Value::Number(Number::from_f64(f)))
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Value<'de>, E> {
        Ok(Value::String(Cow::Borrowed(s)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value<'de>, E> {
        Ok(Value::String(Cow::Owned(s.to_owned())))
    }

    fn visit_string<E>(self, s: String) -> Result<Value<'de>, E> {
        Ok(Value::String(Cow::Owned(s)))
    }

    fn visit_unit<E>(self) -> Result<Value<'de>, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value<'de>, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value<'de>, D::Error> {
        Value::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value<'de>, A::Error> {
        // Cap the hint: it may come from untrusted input.
        let capacity = seq
            .size_hint()
            .map_or_else(|| SEQ_SIZES.with(SizeGuess::guess), |n| n.min(4096));
        let mut items = Vec::with_capacity(capacity);
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        SEQ_SIZES.with(|sizes| sizes.saw(items.len()));
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value<'de>, A::Error> {
        match access.next_key_seed(KeySeed)? {
            Some(first) => ValueVisitor::rest_of_map(first, access),
            None => Ok(Value::Object(Map::new())),
        }
    }
}

/// The initial capacity of a container whose size the format does not say (serde_json
/// never does): the size of the last one finished on this thread, capped. Siblings tend to
/// match (the rows of a table come out exact), and growing a `Vec` from nothing costs a
/// reallocation at 4, 8, 16... entries (a fifth of a JSON parse went to malloc/realloc).
/// The cap bounds what a wrong guess over-allocates.
struct SizeGuess {
    last: std::cell::Cell<usize>,
    cap: usize,
}

impl SizeGuess {
    fn guess(&self) -> usize {
        self.last.get()
    }

    fn saw(&self, len: usize) {
        self.last.set(len.min(self.cap));
    }
}

thread_local! {
    static MAP_SIZES: SizeGuess = const {
        SizeGuess { last: std::cell::Cell::new(0), cap: 32 }
    };
    static SEQ_SIZES: SizeGuess = const {
        SizeGuess { last: std::cell::Cell::new(0), cap: 64 }
    };
}

impl ValueVisitor {
    /// An object whose first key has been read.
    fn rest_of_map<'de, A: MapAccess<'de>>(
        first: Cow<'de, str>,
        mut access: A,
    ) -> Result<Value<'de>, A::Error> {
        let capacity = access
            .size_hint()
            .map_or_else(|| MAP_SIZES.with(SizeGuess::guess), |n| n.min(4096));
        let mut map = MapBuilder::with_capacity(capacity);
        // A repeated key (JSON allows them) replaces the earlier value in place.
        let value = access.next_value()?;
        map.insert(first, value);
        while let Some(key) = access.next_key_seed(KeySeed)? {
            let value = access.next_value()?;
            map.insert(key, value);
        }
        let map = map.finish();
        MAP_SIZES.with(|sizes| sizes.saw(map.len()));
        Ok(Value::Object(map))
    }
}

/// Deserializes a map key as `Cow<'de, str>`, borrowing when the format allows (serde's own
/// `Cow` impl always copies).
pub(crate) struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(s))
    }

    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(s))
    }
}

macro_rules! integer_hints {
    ($($method:ident: $wide:literal),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match self {
                Value::Array(_) | Value::Object(_) => self.deserialize_any(visitor),
                primitive => visit_integer(primitive, $wide, visitor),
            }
        }
    )*};
}

/// A `Value` is itself a serde `Deserializer`: `from_value` reads any `Deserialize` type
/// out of it, handing out borrowed strings where the value borrows.
impl<'de> Deserializer<'de> for Value<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Value::Array(items) => {
                let mut seq = SeqDeserializer::new(items.into_iter());
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(value)
            }
            Value::Object(map) => {
                let entries = map
                    .into_iter()
                    .map(|(key, value)| (KeyDeserializer { key }, value));
                let mut access = MapDeserializer::new(entries);
                let value = visitor.visit_map(&mut access)?;
                access.end()?;
                Ok(value)
            }
            primitive => visit_primitive(primitive, visitor),
        }
    }

    integer_hints!(
        deserialize_i8: false, deserialize_i16: false, deserialize_i32: false,
        deserialize_i64: false, deserialize_u8: false, deserialize_u16: false,
        deserialize_u32: false, deserialize_u64: false, deserialize_i128: true,
        deserialize_u128: true
    );

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Value::Null => visitor.visit_none(),
            other => visitor.visit_some(other),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Value::String(name) => visitor.visit_enum(cow_deserializer(name)),
            Value::Object(map) if map.len() == 1 => {
                let mut entries = map.into_iter();
                match entries.next() {
                    Some((variant, value)) => visitor.visit_enum(ValueVariant { variant, value }),
                    None => Err(de::Error::custom("expected an enum")),
                }
            }
            _ => Err(de::Error::custom(
                "expected an enum: a variant name or an object with one key",
            )),
        }
    }

    forward_to_deserialize_any! {
        bool f32 f64 char str string bytes byte_buf unit unit_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

impl<'de> IntoDeserializer<'de, Error> for Value<'de> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

/// `{variant: value}` as an enum.
struct ValueVariant<'de> {
    variant: Cow<'de, str>,
    value: Value<'de>,
}

impl<'de> de::EnumAccess<'de> for ValueVariant<'de> {
    type Error = Error;
    type Variant = Value<'de>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Value<'de>), Error> {
        let variant = seed.deserialize(KeyDeserializer { key: self.variant })?;
        Ok((variant, self.value))
    }
}

impl<'de> de::VariantAccess<'de> for Value<'de> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        Deserialize::deserialize(self)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }
}

/// Deserializes a `T` out of a [`Value`], borrowing its strings where it borrows.
pub fn from_value<'de, T: Deserialize<'de>>(value: Value<'de>) -> Result<T, Error> {
    T::deserialize(value)
}
