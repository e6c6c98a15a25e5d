//! Reads a JavaScript value into a `toon::Value` through napi, property by property,
//! normalizing host values the way the reference encoder does: `toJSON()` first, `Map` →
//! object (via `Object.fromEntries`), `Set` → array, `BigInt` → number or decimal
//! string, `undefined`, functions and symbols → `null`, class instances → `null`. It is
//! the exact (and slower) path of `encode`; `toon.js` takes it when `JSON.stringify`
//! cannot express the value, or for `encodeValue` and replacers.

use napi::bindgen_prelude::{
    Function, JsObjectValue, JsValue, KeyCollectionMode, KeyConversion, KeyFilter, Object, Unknown,
};
use napi::{Env, Result, ValueType};
use toon::{Map, Number, Value};

use crate::error::Failure;

/// Largest integer a JS number holds exactly (2^53 − 1).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// The constructors and prototypes a walk compares against, fetched once per call.
pub(crate) struct Walker<'env> {
    env: &'env Env,
    object_prototype: Object<'env>,
    map: Unknown<'env>,
    set: Unknown<'env>,
    array_from: Function<'env, Unknown<'env>, Unknown<'env>>,
    from_entries: Function<'env, Unknown<'env>, Unknown<'env>>,
    max_depth: usize,
}

impl<'env> Walker<'env> {
    /// A walker for `env` that refuses nesting deeper than `max_depth`.
    pub(crate) fn new(env: &'env Env, max_depth: usize) -> Result<Self> {
        let global = env.get_global()?;
        // The constructors are functions: read them as values, then view them as objects.
        let object: Unknown<'env> = global.get_named_property("Object")?;
        let array: Unknown<'env> = global.get_named_property("Array")?;
        let (object, array) = (object.coerce_to_object()?, array.coerce_to_object()?);
        Ok(Walker {
            env,
            object_prototype: object.get_named_property("prototype")?,
            map: global.get_named_property("Map")?,
            set: global.get_named_property("Set")?,
            array_from: array.get_named_property("from")?,
            from_entries: object.get_named_property("fromEntries")?,
            max_depth,
        })
    }

    /// The value of `value`, or an error for nesting deeper than the limit.
    pub(crate) fn walk(&self, value: Unknown<'env>, depth: usize) -> Result<Value<'static>> {
        Ok(match value.get_type()? {
            ValueType::Undefined
            | ValueType::Null
            | ValueType::Function
            | ValueType::Symbol
            | ValueType::External
            | ValueType::Unknown => Value::Null,
            ValueType::Boolean => Value::Bool(value.coerce_to_bool()?),
            ValueType::Number => number(value.coerce_to_number()?.get_double()?),
            ValueType::String => Value::String(
                value
                    .coerce_to_string()?
                    .into_utf8()?
                    .as_str()?
                    .to_owned()
                    .into(),
            ),
            ValueType::BigInt => self.bigint(value)?,
            ValueType::Object => self.object(value.coerce_to_object()?, depth)?,
        })
    }

    /// A BigInt: a number inside ±(2^53 − 1), its decimal digits (a string) outside.
    fn bigint(&self, value: Unknown<'env>) -> Result<Value<'static>> {
        let digits = value.coerce_to_string()?.into_utf8()?.as_str()?.to_owned();
        match digits.parse::<i64>() {
            Ok(n) if (n as f64).abs() <= MAX_SAFE_INTEGER => Ok(Value::from(n)),
            _ => Ok(Value::String(digits.into())),
        }
    }

    fn object(&self, object: Object<'env>, depth: usize) -> Result<Value<'static>> {
        if depth >= self.max_depth {
            return Err(Failure::encode_depth(self.max_depth).into_js(self.env));
        }
        let to_json: Unknown<'env> = object.get_named_property("toJSON")?;
        if to_json.get_type()? == ValueType::Function {
            let to_json: Function<'env, (), Unknown<'env>> = object.get_named_property("toJSON")?;
            return self.walk(to_json.apply(object, ())?, depth + 1);
        }
        if object.is_array()? {
            let len = object.get_array_length()?;
            let mut items = Vec::with_capacity(len as usize);
            for i in 0..len {
                items.push(self.walk(object.get_element(i)?, depth + 1)?);
            }
            return Ok(Value::Array(items));
        }
        let prototype = object.get_prototype()?;
        let plain = prototype.get_type()? == ValueType::Null
            || self.env.strict_equals(prototype, self.object_prototype)?;
        if plain {
            return self.fields(object, depth);
        }
        let is_map = object.instanceof(self.map)?;
        if !is_map && !object.instanceof(self.set)? {
            // Class instances, typed arrays, promises...: the reference writes `null`.
            return Ok(Value::Null);
        }
        if is_map {
            // A real object built from the entries, so keys are `String(key)` and
            // integer-like keys come first, as in the reference's object.
            let object = self.from_entries.call(object.to_unknown())?;
            return self.walk(object, depth);
        }
        // A Set: its values, as an array.
        self.walk(self.array_from.call(object.to_unknown())?, depth)
    }

    /// Own enumerable string-keyed properties, in the order `Object.keys` gives.
    fn fields(&self, object: Object<'env>, depth: usize) -> Result<Value<'static>> {
        let keys = object.get_all_property_names(
            KeyCollectionMode::OwnOnly,
            KeyFilter::Enumerable,
            KeyConversion::NumbersToStrings,
        )?;
        let len = keys.get_array_length()?;
        let mut map = Map::with_capacity(len as usize);
        for i in 0..len {
            let key: Unknown<'env> = keys.get_element(i)?;
            if key.get_type()? != ValueType::String {
                continue; // a symbol key: not part of the data
            }
            let field: Unknown<'env> = object.get_property(key)?;
            let key = key.coerce_to_string()?.into_utf8()?.as_str()?.to_owned();
            map.insert(key, self.walk(field, depth + 1)?);
        }
        Ok(Value::Object(map))
    }
}

/// A JS number: an exact integer when it is one within ±2^53, a float otherwise
/// (`-0` becomes `0`; NaN and infinities stay floats, which the encoder writes `null`).
fn number(n: f64) -> Value<'static> {
    if n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER {
        Value::Number(Number::from(n as i64))
    } else {
        Value::Number(Number::from_f64(n))
    }
}
