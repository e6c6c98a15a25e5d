//! Another format's text straight to TOON: any serde `Deserializer` (JSON through
//! `serde_json::Deserializer`, YAML, MessagePack, ...) drives the push encoder, so no
//! value tree is built and strings without escapes are never copied.

use std::borrow::Cow;
use std::fmt;
use std::mem::ManuallyDrop;

use serde_core::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::with_arena;
use crate::encode::PushEncoder;
use crate::error::Error;
use crate::options::EncodeOptions;
use crate::value::{Number, Value};

/// Why [`transcode`] failed: the input (the deserializer's own error, with its position)
/// or the encoding (options, the nesting limit).
#[derive(Debug)]
pub enum TranscodeError<E> {
    /// The deserializer failed: bad input.
    Input(E),
    /// The encoder refused the value.
    Encode(Error),
}

impl<E: fmt::Display> fmt::Display for TranscodeError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TranscodeError::Input(e) => e.fmt(f),
            TranscodeError::Encode(e) => e.fmt(f),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for TranscodeError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TranscodeError::Input(e) => Some(e),
            TranscodeError::Encode(e) => Some(e),
        }
    }
}

/// Encodes what `deserializer` reads as a TOON document, without building a value:
/// the same text as deserializing into a [`Value`] and encoding it.
///
/// ```
/// let json = r#"{"users":[{"id":1,"name":"Ada"},{"id":2,"name":"Bo"}]}"#;
/// let mut reader = serde_json::Deserializer::from_str(json);
/// let text = toon::transcode(&mut reader, &toon::EncodeOptions::default()).unwrap();
/// reader.end().unwrap();
/// assert_eq!(text, "users[2]{id,name}:\n  1,Ada\n  2,Bo");
/// ```
pub fn transcode<'de, D: Deserializer<'de>>(
    deserializer: D,
    options: &EncodeOptions,
) -> Result<String, TranscodeError<D::Error>> {
    with_arena(|arena| {
        let mut encoder = PushEncoder::new(options, arena).map_err(TranscodeError::Encode)?;
        let mut failure = None;
        let forwarded = Forward {
            encoder: &mut encoder,
            failure: &mut failure,
        }
        .deserialize(deserializer);
        if let Some(error) = failure {
            return Err(TranscodeError::Encode(error));
        }
        forwarded.map_err(TranscodeError::Input)?;
        encoder.finish().map_err(TranscodeError::Encode)
    })
}

/// Hands every value the deserializer reports to the encoder; an encoder error is kept
/// in `failure` (the deserializer's error type cannot carry it) and stops the walk.
struct Forward<'p, 'b, 'w, 'f> {
    encoder: &'p mut PushEncoder<'b, 'w>,
    failure: &'f mut Option<Error>,
}

impl<'b, 'w> Forward<'_, 'b, 'w, '_> {
    fn reborrow(&mut self) -> Forward<'_, 'b, 'w, '_> {
        Forward {
            encoder: &mut *self.encoder,
            failure: &mut *self.failure,
        }
    }

    fn check<E: de::Error>(&mut self, result: crate::Result<()>) -> Result<(), E> {
        result.map_err(|error| {
            let message = error.to_string();
            *self.failure = Some(error);
            E::custom(message)
        })
    }

    /// A primitive that owns no memory, not dropped (see `PushSerializer::primitive`).
    fn primitive<E: de::Error>(mut self, value: Value<'_>) -> Result<(), E> {
        let value = ManuallyDrop::new(value);
        let result = self.encoder.primitive(&value);
        self.check(result)
    }
}

impl<'de> DeserializeSeed<'de> for Forward<'_, '_, '_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Forward<'_, '_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.primitive(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.primitive(Value::Number(Number::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.primitive(Value::Number(Number::from(v)))
    }

    fn visit_i128<E: de::Error>(mut self, v: i128) -> Result<(), E> {
        match (i64::try_from(v), u64::try_from(v)) {
            (Ok(i), _) => self.visit_i64(i),
            (_, Ok(u)) => self.visit_u64(u),
            // Beyond 64 bits: a quoted decimal, as the serde serializer writes it.
            _ => {
                let result = self.encoder.primitive(&Value::from(v.to_string()));
                self.check(result)
            }
        }
    }

    fn visit_u128<E: de::Error>(mut self, v: u128) -> Result<(), E> {
        match u64::try_from(v) {
            Ok(u) => self.visit_u64(u),
            Err(_) => {
                let result = self.encoder.primitive(&Value::from(v.to_string()));
                self.check(result)
            }
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.primitive(Value::Number(Number::from_f64(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.primitive(Value::String(Cow::Borrowed(v)))
    }

    fn visit_bytes<E: de::Error>(mut self, v: &[u8]) -> Result<(), E> {
        let result = (|| {
            self.encoder.begin_array(Some(v.len()))?;
            for &b in v {
                self.encoder.primitive(&Value::from(b))?;
            }
            self.encoder.end_array()
        })();
        self.check(result)
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.primitive(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.primitive(Value::Null)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        let result = self.encoder.begin_array(seq.size_hint());
        self.check(result)?;
        while seq.next_element_seed(self.reborrow())?.is_some() {}
        let result = self.encoder.end_array();
        self.check(result)
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        let result = self.encoder.begin_object();
        self.check(result)?;
        while map.next_key_seed(Key(self.reborrow()))?.is_some() {
            map.next_value_seed(self.reborrow())?;
        }
        let result = self.encoder.end_object();
        self.check(result)
    }
}

/// A map key: any string (other key types are refused, as TOON keys are strings).
struct Key<'p, 'b, 'w, 'f>(Forward<'p, 'b, 'w, 'f>);

impl<'de> DeserializeSeed<'de> for Key<'_, '_, '_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key<'_, '_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_str<E: de::Error>(mut self, v: &str) -> Result<(), E> {
        let result = self.0.encoder.key(v);
        self.0.check(result)
    }
}
