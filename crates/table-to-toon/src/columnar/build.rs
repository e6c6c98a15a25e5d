//! The way back: a decoded TOON table (an array of objects) as one Arrow record batch.
//! Column types are inferred from the values, as `pyarrow.Table.from_pylist` infers them:
//! integers → `Int64` (`UInt64` when one exceeds `i64`), integers mixed with floats →
//! `Float64`, strings → `Utf8`, booleans → `Boolean`, objects → `Struct` (fields in
//! first-seen order), arrays → `List`, a column of nulls only → `Null`. A missing key or
//! `null` is a null. Values of two kinds in one column (a string and a number, say) are
//! an error naming the column.

use std::sync::Arc;

use arrow_array::{
    ArrayRef, BooleanArray, Float64Array, Int64Array, ListArray, NullArray, RecordBatch,
    RecordBatchOptions, StringArray, StructArray, UInt64Array,
};
use arrow_buffer::OffsetBuffer;
use arrow_schema::{DataType, Field, Fields, Schema};
use toon::Value;

use crate::Error;

/// A column's type as the values show it.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Null,
    Bool,
    Int,
    UInt,
    Float,
    Text,
    Struct(Vec<(String, Kind)>),
    List(Box<Kind>),
}

impl Kind {
    fn name(&self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Bool => "boolean",
            Kind::Int | Kind::UInt => "integer",
            Kind::Float => "number",
            Kind::Text => "string",
            Kind::Struct(_) => "object",
            Kind::List(_) => "array",
        }
    }

    /// The kind of one value (objects and arrays with the kinds of their contents).
    fn of(value: &Value<'_>, path: &str) -> Result<Kind, Error> {
        Ok(match value {
            Value::Null => Kind::Null,
            Value::Bool(_) => Kind::Bool,
            Value::Number(n) if n.as_i64().is_some() => Kind::Int,
            Value::Number(n) if n.as_u64().is_some() => Kind::UInt,
            Value::Number(n) if n.is_integer() => {
                return Err(Error::Columnar(format!(
                    "column {path}: {n} does not fit a 64-bit integer"
                )));
            }
            Value::Number(_) => Kind::Float,
            Value::String(_) => Kind::Text,
            Value::Object(map) => {
                let mut fields = Vec::with_capacity(map.len());
                for (key, field) in map.iter() {
                    let mut child = path.to_owned();
                    toon::path::push_key(&mut child, key);
                    fields.push((key.to_owned(), Kind::of(field, &child)?));
                }
                Kind::Struct(fields)
            }
            Value::Array(items) => {
                let child = format!("{path}[]");
                let mut kind = Kind::Null;
                for item in items {
                    kind = kind.merge(Kind::of(item, &child)?, &child)?;
                }
                Kind::List(Box::new(kind))
            }
        })
    }

    /// The kind that holds values of both kinds.
    fn merge(self, other: Kind, path: &str) -> Result<Kind, Error> {
        Ok(match (self, other) {
            (Kind::Null, kind) | (kind, Kind::Null) => kind,
            (a, b) if a == b => a,
            (Kind::Int | Kind::UInt, Kind::Int | Kind::UInt) => {
                return Err(Error::Columnar(format!(
                    "column {path}: integers beyond Int64 mixed with negative ones"
                )));
            }
            (Kind::Int | Kind::UInt | Kind::Float, Kind::Int | Kind::UInt | Kind::Float) => {
                Kind::Float
            }
            (Kind::Struct(mut fields), Kind::Struct(more)) => {
                for (name, kind) in more {
                    match fields.iter_mut().find(|(known, _)| *known == name) {
                        Some((_, known)) => {
                            let mut child = path.to_owned();
                            toon::path::push_key(&mut child, &name);
                            *known = std::mem::replace(known, Kind::Null).merge(kind, &child)?;
                        }
                        None => fields.push((name, kind)),
                    }
                }
                Kind::Struct(fields)
            }
            (Kind::List(a), Kind::List(b)) => {
                Kind::List(Box::new(a.merge(*b, &format!("{path}[]"))?))
            }
            (a, b) => {
                return Err(Error::Columnar(format!(
                    "column {path}: {} and {} values in one column",
                    a.name(),
                    b.name()
                )));
            }
        })
    }

    fn data_type(&self) -> DataType {
        match self {
            Kind::Null => DataType::Null,
            Kind::Bool => DataType::Boolean,
            Kind::Int => DataType::Int64,
            Kind::UInt => DataType::UInt64,
            Kind::Float => DataType::Float64,
            Kind::Text => DataType::Utf8,
            Kind::Struct(fields) => DataType::Struct(struct_fields(fields)),
            Kind::List(item) => {
                DataType::List(Arc::new(Field::new("item", item.data_type(), true)))
            }
        }
    }
}

fn struct_fields(fields: &[(String, Kind)]) -> Fields {
    fields
        .iter()
        .map(|(name, kind)| Field::new(name, kind.data_type(), true))
        .collect()
}

/// The array of a column of `kind` holding `values` (`None`: missing or null).
fn array<'v>(kind: &Kind, values: &[Option<&'v Value<'v>>]) -> Result<ArrayRef, Error> {
    fn present<'v>(value: &Option<&'v Value<'v>>) -> Option<&'v Value<'v>> {
        value.filter(|v| !v.is_null())
    }
    Ok(match kind {
        Kind::Null => Arc::new(NullArray::new(values.len())),
        Kind::Bool => Arc::new(
            values
                .iter()
                .map(|v| present(v).and_then(Value::as_bool))
                .collect::<BooleanArray>(),
        ),
        Kind::Int => Arc::new(
            values
                .iter()
                .map(|v| present(v).and_then(Value::as_i64))
                .collect::<Int64Array>(),
        ),
        Kind::UInt => Arc::new(
            values
                .iter()
                .map(|v| present(v).and_then(Value::as_u64))
                .collect::<UInt64Array>(),
        ),
        Kind::Float => Arc::new(
            values
                .iter()
                .map(|v| present(v).and_then(Value::as_f64))
                .collect::<Float64Array>(),
        ),
        Kind::Text => Arc::new(
            values
                .iter()
                .map(|v| present(v).and_then(Value::as_str))
                .collect::<StringArray>(),
        ),
        Kind::Struct(fields) => {
            let columns = fields
                .iter()
                .map(|(name, kind)| {
                    let children: Vec<_> = values
                        .iter()
                        .map(|v| present(v).and_then(|v| v.get(name)))
                        .collect();
                    array(kind, &children)
                })
                .collect::<Result<Vec<_>, Error>>()?;
            let nulls = values.iter().map(|v| present(v).is_some()).collect();
            Arc::new(
                StructArray::try_new(struct_fields(fields), columns, Some(nulls))
                    .map_err(Error::from)?,
            )
        }
        Kind::List(item) => {
            let mut offsets = Vec::with_capacity(values.len() + 1);
            let mut items = Vec::new();
            offsets.push(0i32);
            for value in values {
                if let Some(list) = present(value).and_then(Value::as_array) {
                    items.extend(list.iter().map(Some));
                }
                let end = i32::try_from(items.len())
                    .map_err(|_| Error::Columnar("a list column holds over 2^31 items".into()))?;
                offsets.push(end);
            }
            let nulls = values.iter().map(|v| present(v).is_some()).collect();
            let field = Arc::new(Field::new("item", item.data_type(), true));
            Arc::new(
                ListArray::try_new(
                    field,
                    OffsetBuffer::new(offsets.into()),
                    array(item, &items)?,
                    Some(nulls),
                )
                .map_err(Error::from)?,
            )
        }
    })
}

/// The record batch of a table: `value` must be an array of objects.
pub(crate) fn record_batch<'v>(value: &'v Value<'v>) -> Result<RecordBatch, Error> {
    let Some(rows) = value.as_array() else {
        return Err(Error::Columnar(
            "a table must be an array of objects; this value is not an array".into(),
        ));
    };
    let mut kind = Kind::Struct(Vec::new());
    for (index, row) in rows.iter().enumerate() {
        if row.as_object().is_none() {
            return Err(Error::Columnar(format!(
                "a table must be an array of objects; [{index}] is not an object"
            )));
        }
        kind = kind.merge(Kind::of(row, "")?, "")?;
    }
    let Kind::Struct(fields) = kind else {
        unreachable!("rows are objects")
    };
    let schema = Arc::new(Schema::new(struct_fields(&fields)));
    let columns = fields
        .iter()
        .map(|(name, kind)| {
            let values: Vec<_> = rows.iter().map(|row| row.get(name)).collect();
            array(kind, &values)
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let options = RecordBatchOptions::new().with_row_count(Some(rows.len()));
    RecordBatch::try_new_with_options(schema, columns, &options).map_err(Error::from)
}
