//! One Arrow column, typed once per batch, whose cells serialize as JSON's values would:
//! integers exact, floats through the encoder's canonical form (NaN and infinities are
//! `null`), dates and timestamps as ISO text, decimals as their exact text, structs as
//! objects, lists as arrays, maps as objects with string keys, dictionaries as their
//! values, nulls as `null`. Types with no such form (binary, durations, intervals,
//! unions) are refused when the column is typed, naming the column.

use arrow_array::cast::AsArray;
use arrow_array::temporal_conversions::{as_date, as_datetime, as_time};
use arrow_array::timezone::Tz;
use arrow_array::types::{
    Date64Type, Decimal32Type, Decimal64Type, Decimal128Type, Decimal256Type, Float16Type,
    Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, Time32MillisecondType,
    Time32SecondType, Time64MicrosecondType, Time64NanosecondType, TimestampMicrosecondType,
    TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType, UInt8Type, UInt16Type,
    UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrowPrimitiveType, PrimitiveArray};
use arrow_schema::{DataType, TimeUnit};
use serde::ser::{Error as _, SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use super::temporal;

/// A column whose type has no TOON form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unsupported {
    /// Where the column sits (`photo`, `meta.raw`, `tags[]`).
    pub(crate) path: String,
    /// Its Arrow type.
    pub(crate) data_type: DataType,
}

/// A column typed for serialization (borrowing the batch's arrays).
pub(crate) enum Column<'a> {
    Null,
    Bool(&'a arrow_array::BooleanArray),
    I8(&'a PrimitiveArray<Int8Type>),
    I16(&'a PrimitiveArray<Int16Type>),
    I32(&'a PrimitiveArray<Int32Type>),
    I64(&'a PrimitiveArray<Int64Type>),
    U8(&'a PrimitiveArray<UInt8Type>),
    U16(&'a PrimitiveArray<UInt16Type>),
    U32(&'a PrimitiveArray<UInt32Type>),
    U64(&'a PrimitiveArray<UInt64Type>),
    F16(&'a PrimitiveArray<Float16Type>),
    F32(&'a PrimitiveArray<Float32Type>),
    F64(&'a PrimitiveArray<Float64Type>),
    Utf8(&'a arrow_array::StringArray),
    LargeUtf8(&'a arrow_array::LargeStringArray),
    Utf8View(&'a arrow_array::StringViewArray),
    /// Days since the epoch.
    Date32(&'a PrimitiveArray<arrow_array::types::Date32Type>),
    /// Milliseconds since the epoch.
    Date64(&'a PrimitiveArray<Date64Type>),
    Time(Temporal<'a>),
    Timestamp(Temporal<'a>, Option<Tz>),
    Decimal(Decimal<'a>),
    Struct {
        array: &'a arrow_array::StructArray,
        fields: Vec<(&'a str, Column<'a>)>,
    },
    List {
        array: &'a dyn Array,
        offsets: Offsets<'a>,
        items: Box<Column<'a>>,
    },
    Map {
        array: &'a arrow_array::MapArray,
        keys: Box<Column<'a>>,
        values: Box<Column<'a>>,
    },
    Dictionary {
        array: &'a dyn Array,
        keys: Vec<usize>,
        values: Box<Column<'a>>,
    },
}

/// A time of day or an instant: the raw values, their unit, and the array for nulls.
pub(crate) struct Temporal<'a> {
    array: &'a dyn Array,
    values: TemporalValues<'a>,
    unit: TimeUnit,
}

enum TemporalValues<'a> {
    I32(&'a [i32]),
    I64(&'a [i64]),
}

/// A decimal array of any width.
pub(crate) enum Decimal<'a> {
    D32(&'a PrimitiveArray<Decimal32Type>),
    D64(&'a PrimitiveArray<Decimal64Type>),
    D128(&'a PrimitiveArray<Decimal128Type>),
    D256(&'a PrimitiveArray<Decimal256Type>),
}

/// Where each list of a list column starts and ends.
pub(crate) enum Offsets<'a> {
    I32(&'a [i32]),
    I64(&'a [i64]),
    Fixed(usize),
}

impl Offsets<'_> {
    fn range(&self, row: usize) -> std::ops::Range<usize> {
        match self {
            Offsets::I32(offsets) => offsets[row] as usize..offsets[row + 1] as usize,
            Offsets::I64(offsets) => offsets[row] as usize..offsets[row + 1] as usize,
            Offsets::Fixed(size) => row * size..(row + 1) * size,
        }
    }
}

impl<'a> Column<'a> {
    /// Types `array`, found at `path`, and every child array in it.
    pub(crate) fn new(array: &'a dyn Array, path: &str) -> Result<Column<'a>, Unsupported> {
        let unsupported = || Unsupported {
            path: path.to_owned(),
            data_type: array.data_type().clone(),
        };
        Ok(match array.data_type() {
            DataType::Null => Column::Null,
            DataType::Boolean => Column::Bool(array.as_boolean()),
            DataType::Int8 => Column::I8(array.as_primitive()),
            DataType::Int16 => Column::I16(array.as_primitive()),
            DataType::Int32 => Column::I32(array.as_primitive()),
            DataType::Int64 => Column::I64(array.as_primitive()),
            DataType::UInt8 => Column::U8(array.as_primitive()),
            DataType::UInt16 => Column::U16(array.as_primitive()),
            DataType::UInt32 => Column::U32(array.as_primitive()),
            DataType::UInt64 => Column::U64(array.as_primitive()),
            DataType::Float16 => Column::F16(array.as_primitive()),
            DataType::Float32 => Column::F32(array.as_primitive()),
            DataType::Float64 => Column::F64(array.as_primitive()),
            DataType::Utf8 => Column::Utf8(array.as_string()),
            DataType::LargeUtf8 => Column::LargeUtf8(array.as_string()),
            DataType::Utf8View => Column::Utf8View(array.as_string_view()),
            DataType::Date32 => Column::Date32(array.as_primitive()),
            DataType::Date64 => Column::Date64(array.as_primitive()),
            DataType::Time32(unit) => Column::Time(Temporal {
                array,
                values: match unit {
                    TimeUnit::Second => {
                        TemporalValues::I32(array.as_primitive::<Time32SecondType>().values())
                    }
                    _ => {
                        TemporalValues::I32(array.as_primitive::<Time32MillisecondType>().values())
                    }
                },
                unit: *unit,
            }),
            DataType::Time64(unit) => Column::Time(Temporal {
                array,
                values: match unit {
                    TimeUnit::Microsecond => {
                        TemporalValues::I64(array.as_primitive::<Time64MicrosecondType>().values())
                    }
                    _ => TemporalValues::I64(array.as_primitive::<Time64NanosecondType>().values()),
                },
                unit: *unit,
            }),
            DataType::Timestamp(unit, zone) => {
                let values = match unit {
                    TimeUnit::Second => array.as_primitive::<TimestampSecondType>().values(),
                    TimeUnit::Millisecond => {
                        array.as_primitive::<TimestampMillisecondType>().values()
                    }
                    TimeUnit::Microsecond => {
                        array.as_primitive::<TimestampMicrosecondType>().values()
                    }
                    TimeUnit::Nanosecond => {
                        array.as_primitive::<TimestampNanosecondType>().values()
                    }
                };
                let zone = match zone {
                    Some(name) => Some(name.parse::<Tz>().map_err(|_| unsupported())?),
                    None => None,
                };
                let temporal = Temporal {
                    array,
                    values: TemporalValues::I64(values),
                    unit: *unit,
                };
                Column::Timestamp(temporal, zone)
            }
            DataType::Decimal32(..) => Column::Decimal(Decimal::D32(array.as_primitive())),
            DataType::Decimal64(..) => Column::Decimal(Decimal::D64(array.as_primitive())),
            DataType::Decimal128(..) => Column::Decimal(Decimal::D128(array.as_primitive())),
            DataType::Decimal256(..) => Column::Decimal(Decimal::D256(array.as_primitive())),
            DataType::Struct(fields) => {
                let array = array.as_struct();
                let fields = fields
                    .iter()
                    .zip(array.columns())
                    .map(|(field, child)| {
                        let mut child_path = path.to_owned();
                        toon::path::push_key(&mut child_path, field.name());
                        Ok((field.name().as_str(), Column::new(child, &child_path)?))
                    })
                    .collect::<Result<_, Unsupported>>()?;
                Column::Struct { array, fields }
            }
            DataType::List(_) => {
                let list = array.as_list::<i32>();
                Column::List {
                    array,
                    offsets: Offsets::I32(list.value_offsets()),
                    items: Box::new(Column::new(list.values(), &format!("{path}[]"))?),
                }
            }
            DataType::LargeList(_) => {
                let list = array.as_list::<i64>();
                Column::List {
                    array,
                    offsets: Offsets::I64(list.value_offsets()),
                    items: Box::new(Column::new(list.values(), &format!("{path}[]"))?),
                }
            }
            DataType::FixedSizeList(_, size) => {
                let list = array.as_fixed_size_list();
                Column::List {
                    array,
                    offsets: Offsets::Fixed(usize::try_from(*size).unwrap_or_default()),
                    items: Box::new(Column::new(list.values(), &format!("{path}[]"))?),
                }
            }
            DataType::Map(..) => {
                let map = array.as_map();
                let keys = Column::new(map.keys(), &format!("{path}{{key}}"))?;
                if !matches!(
                    keys,
                    Column::Utf8(_) | Column::LargeUtf8(_) | Column::Utf8View(_)
                ) {
                    return Err(unsupported());
                }
                Column::Map {
                    array: map,
                    keys: Box::new(keys),
                    values: Box::new(Column::new(map.values(), &format!("{path}{{value}}"))?),
                }
            }
            DataType::Dictionary(..) => {
                let dictionary = array.as_any_dictionary();
                Column::Dictionary {
                    array,
                    keys: dictionary.normalized_keys(),
                    values: Box::new(Column::new(dictionary.values().as_ref(), path)?),
                }
            }
            _ => return Err(unsupported()),
        })
    }

    /// Writes the cell at `row`.
    pub(crate) fn serialize_cell<S: Serializer>(
        &self,
        row: usize,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        fn primitive<T: ArrowPrimitiveType, S: Serializer>(
            array: &PrimitiveArray<T>,
            row: usize,
            serializer: S,
            write: impl FnOnce(T::Native, S) -> Result<S::Ok, S::Error>,
        ) -> Result<S::Ok, S::Error> {
            if array.is_null(row) {
                serializer.serialize_none()
            } else {
                write(array.value(row), serializer)
            }
        }
        fn text<S: Serializer>(
            array: &dyn Array,
            row: usize,
            serializer: S,
            value: impl FnOnce() -> Option<String>,
        ) -> Result<S::Ok, S::Error> {
            if array.is_null(row) {
                return serializer.serialize_none();
            }
            match value() {
                Some(text) => serializer.serialize_str(&text),
                None => Err(S::Error::custom(format!(
                    "row {row}: a {} value outside the range of dates",
                    array.data_type()
                ))),
            }
        }
        match self {
            Column::Null => serializer.serialize_none(),
            Column::Bool(array) => match array.is_null(row) {
                true => serializer.serialize_none(),
                false => serializer.serialize_bool(array.value(row)),
            },
            Column::I8(a) => primitive(a, row, serializer, |v, s| s.serialize_i8(v)),
            Column::I16(a) => primitive(a, row, serializer, |v, s| s.serialize_i16(v)),
            Column::I32(a) => primitive(a, row, serializer, |v, s| s.serialize_i32(v)),
            Column::I64(a) => primitive(a, row, serializer, |v, s| s.serialize_i64(v)),
            Column::U8(a) => primitive(a, row, serializer, |v, s| s.serialize_u8(v)),
            Column::U16(a) => primitive(a, row, serializer, |v, s| s.serialize_u16(v)),
            Column::U32(a) => primitive(a, row, serializer, |v, s| s.serialize_u32(v)),
            Column::U64(a) => primitive(a, row, serializer, |v, s| s.serialize_u64(v)),
            Column::F16(a) => primitive(a, row, serializer, |v, s| s.serialize_f64(v.to_f64())),
            Column::F32(a) => primitive(a, row, serializer, |v, s| s.serialize_f64(f64::from(v))),
            Column::F64(a) => primitive(a, row, serializer, |v, s| s.serialize_f64(v)),
            Column::Utf8(a) => match a.is_null(row) {
                true => serializer.serialize_none(),
                false => serializer.serialize_str(a.value(row)),
            },
            Column::LargeUtf8(a) => match a.is_null(row) {
                true => serializer.serialize_none(),
                false => serializer.serialize_str(a.value(row)),
            },
            Column::Utf8View(a) => match a.is_null(row) {
                true => serializer.serialize_none(),
                false => serializer.serialize_str(a.value(row)),
            },
            Column::Date32(a) => text(*a, row, serializer, || {
                let mut out = String::with_capacity(10);
                temporal::write_date(&mut out, a.value_as_date(row)?);
                Some(out)
            }),
            Column::Date64(a) => text(*a, row, serializer, || {
                let mut out = String::with_capacity(10);
                temporal::write_date(&mut out, as_date::<Date64Type>(a.value(row))?);
                Some(out)
            }),
            Column::Time(t) => text(t.array, row, serializer, || {
                let mut out = String::with_capacity(18);
                temporal::write_time(&mut out, t.time(row)?);
                Some(out)
            }),
            Column::Timestamp(t, zone) => text(t.array, row, serializer, || {
                let mut out = String::with_capacity(32);
                let at = t.instant(row)?;
                match zone {
                    Some(zone) => temporal::write_zoned(&mut out, at, zone),
                    None => temporal::write_naive(&mut out, at),
                }
                Some(out)
            }),
            Column::Decimal(decimal) => match decimal {
                Decimal::D32(a) => text(*a, row, serializer, || Some(a.value_as_string(row))),
                Decimal::D64(a) => text(*a, row, serializer, || Some(a.value_as_string(row))),
                Decimal::D128(a) => text(*a, row, serializer, || Some(a.value_as_string(row))),
                Decimal::D256(a) => text(*a, row, serializer, || Some(a.value_as_string(row))),
            },
            Column::Struct { array, fields } => {
                if array.is_null(row) {
                    return serializer.serialize_none();
                }
                let mut map = serializer.serialize_map(Some(fields.len()))?;
                for (name, column) in fields {
                    map.serialize_entry(name, &Cell(column, row))?;
                }
                map.end()
            }
            Column::List {
                array,
                offsets,
                items,
            } => {
                if array.is_null(row) {
                    return serializer.serialize_none();
                }
                let range = offsets.range(row);
                let mut seq = serializer.serialize_seq(Some(range.len()))?;
                for item in range {
                    seq.serialize_element(&Cell(items, item))?;
                }
                seq.end()
            }
            Column::Map {
                array,
                keys,
                values,
            } => {
                if array.is_null(row) {
                    return serializer.serialize_none();
                }
                let offsets = array.value_offsets();
                let range = offsets[row] as usize..offsets[row + 1] as usize;
                let mut map = serializer.serialize_map(Some(range.len()))?;
                for entry in range {
                    map.serialize_entry(&Cell(keys, entry), &Cell(values, entry))?;
                }
                map.end()
            }
            Column::Dictionary {
                array,
                keys,
                values,
            } => {
                if array.is_null(row) {
                    return serializer.serialize_none();
                }
                let key = keys
                    .get(row)
                    .ok_or_else(|| S::Error::custom("a dictionary key is out of range"))?;
                values.serialize_cell(*key, serializer)
            }
        }
    }
}

impl Temporal<'_> {
    fn raw(&self, row: usize) -> i64 {
        match self.values {
            TemporalValues::I32(values) => i64::from(values[row]),
            TemporalValues::I64(values) => values[row],
        }
    }

    fn time(&self, row: usize) -> Option<chrono::NaiveTime> {
        let raw = self.raw(row);
        match self.unit {
            TimeUnit::Second => as_time::<Time32SecondType>(raw),
            TimeUnit::Millisecond => as_time::<Time32MillisecondType>(raw),
            TimeUnit::Microsecond => as_time::<Time64MicrosecondType>(raw),
            TimeUnit::Nanosecond => as_time::<Time64NanosecondType>(raw),
        }
    }

    fn instant(&self, row: usize) -> Option<chrono::NaiveDateTime> {
        let raw = self.raw(row);
        match self.unit {
            TimeUnit::Second => as_datetime::<TimestampSecondType>(raw),
            TimeUnit::Millisecond => as_datetime::<TimestampMillisecondType>(raw),
            TimeUnit::Microsecond => as_datetime::<TimestampMicrosecondType>(raw),
            TimeUnit::Nanosecond => as_datetime::<TimestampNanosecondType>(raw),
        }
    }
}

/// The cell of a column at a row, as a [`Serialize`] value.
pub(crate) struct Cell<'c, 'a>(pub(crate) &'c Column<'a>, pub(crate) usize);

impl Serialize for Cell<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_cell(self.1, serializer)
    }
}
