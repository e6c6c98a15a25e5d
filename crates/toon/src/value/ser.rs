//! `Serialize` for [`Value`], so any serde format (JSON included) can write a decoded value.

use serde_core::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use super::{Map, Number, Value};
use crate::number::{BIG_INTEGER, N};

impl Serialize for Value<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Number(n) => n.serialize(serializer),
            Value::String(s) => serializer.serialize_str(s),
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Object(map) => map.serialize(serializer),
        }
    }
}

impl Serialize for Map<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_map(Some(self.len()))?;
        for (k, v) in self.iter() {
            out.serialize_entry(k, v)?;
        }
        out.end()
    }
}

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            N::Int(i) => serializer.serialize_i64(*i),
            N::UInt(u) => serializer.serialize_u64(*u),
            N::Float(f) => serializer.serialize_f64(*f),
            // This crate's serializers write the digits bare; others write a string.
            N::Big(digits) => serializer.serialize_newtype_struct(BIG_INTEGER, &***digits),
        }
    }
}
