//! Conversions between [`Value`] and `serde_json::Value` (feature `serde_json`).

use std::borrow::Cow;

use super::{Map, Number, Value};
use crate::number::N;

fn number(n: &serde_json::Number) -> Number {
    if let Some(i) = n.as_i64() {
        Number::from(i)
    } else if let Some(u) = n.as_u64() {
        Number::from(u)
    } else {
        Number::from_f64(n.as_f64().unwrap_or(f64::NAN))
    }
}

impl<'a> From<&'a serde_json::Value> for Value<'a> {
    /// Borrows every string of the JSON value.
    fn from(json: &'a serde_json::Value) -> Self {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(number(n)),
            serde_json::Value::String(s) => Value::String(Cow::Borrowed(s)),
            serde_json::Value::Array(items) => {
                Value::Array(items.iter().map(Value::from).collect())
            }
            serde_json::Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (Cow::Borrowed(k.as_str()), Value::from(v)))
                    .collect::<Map<'a>>(),
            ),
        }
    }
}

impl From<serde_json::Value> for Value<'static> {
    fn from(json: serde_json::Value) -> Self {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::Number(n) => Value::Number(number(&n)),
            serde_json::Value::String(s) => Value::String(Cow::Owned(s)),
            serde_json::Value::Array(items) => {
                Value::Array(items.into_iter().map(Value::from).collect())
            }
            serde_json::Value::Object(map) => Value::Object(
                map.into_iter()
                    .map(|(k, v)| (Cow::Owned(k), Value::from(v)))
                    .collect(),
            ),
        }
    }
}

impl From<Value<'_>> for serde_json::Value {
    /// NaN and infinities become `null`, as they do in TOON.
    fn from(value: Value<'_>) -> Self {
        match value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(b),
            Value::Number(n) => match n.0 {
                N::Int(i) => serde_json::Value::from(i),
                N::UInt(u) => serde_json::Value::from(u),
                N::Float(f) => serde_json::Number::from_f64(f)
                    .map_or(serde_json::Value::Null, serde_json::Value::Number),
                // As `Serialize` hands it to serde_json: a string (the digits are exact).
                N::Big(digits) => serde_json::Value::String(digits.into_string()),
            },
            Value::String(s) => serde_json::Value::String(s.into_owned()),
            Value::Array(items) => {
                serde_json::Value::Array(items.into_iter().map(Into::into).collect())
            }
            Value::Object(map) => serde_json::Value::Object(
                map.into_iter()
                    .map(|(k, v)| (k.into_owned(), v.into()))
                    .collect(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_round_trip_and_borrow() {
        let json: serde_json::Value = serde_json::from_str(
            r#"{"a":[1,-2,18446744073709551615,1.5,null,true,"s"],"o":{"k":"v"}}"#,
        )
        .unwrap();
        let borrowed = Value::from(&json);
        assert!(matches!(
            borrowed.get("o").and_then(|o| o.get("k")),
            Some(Value::String(Cow::Borrowed("v")))
        ));
        let owned = Value::from(json.clone());
        assert_eq!(owned, borrowed);
        assert_eq!(serde_json::Value::from(owned), json);
        assert_eq!(
            serde_json::Value::from(Value::from(f64::NAN)),
            serde_json::Value::Null
        );
    }
}
