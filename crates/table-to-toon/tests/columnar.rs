//! Arrow record batches, Arrow IPC and Parquet → TOON: every column type gives the TOON
//! that `toon::encode` gives the same rows as JSON values; files read back to the same
//! text; types without a TOON form are refused by name; damaged files are errors.
#![cfg(feature = "columnar")]

use std::sync::Arc;

use arrow_array::builder::{MapBuilder, StringBuilder, StringDictionaryBuilder};
use arrow_array::types::Int32Type;
use arrow_array::{
    ArrayRef, BinaryArray, BooleanArray, Date32Array, Date64Array, Decimal128Array, Float32Array,
    Float64Array, Int8Array, Int64Array, ListArray, NullArray, RecordBatch, StringArray,
    StringViewArray, StructArray, Time32SecondArray, Time64NanosecondArray,
    TimestampMicrosecondArray, TimestampMillisecondArray, TimestampNanosecondArray,
    TimestampSecondArray, UInt64Array,
};
use arrow_schema::{DataType, Field};
use serde_json::json;
use table_to_toon::{ArrowTable, ColumnarFormat, ColumnarToToon, Error, TableToToonOptions};
use toon::convert::{Converter, Input};
use toon::{Delimiter, EncodeOptions};

fn arc(array: impl arrow_array::Array + 'static) -> ArrayRef {
    Arc::new(array)
}

fn table(columns: Vec<(&str, ArrayRef)>) -> ArrowTable {
    let batch = RecordBatch::try_from_iter(columns).unwrap();
    ArrowTable::new(batch.schema(), vec![batch])
}

/// The TOON of rows given as JSON, as `toon.encode(table.to_pylist())` would write it.
fn toon_of(rows: serde_json::Value) -> String {
    let value = toon::Value::from(rows);
    toon::encode(&value, &EncodeOptions::default()).unwrap()
}

#[test]
fn primitive_columns_write_as_their_json_values() {
    let table = table(vec![
        ("i8", arc(Int8Array::from(vec![Some(-8), None]))),
        ("u64", arc(UInt64Array::from(vec![u64::MAX, 0]))),
        ("f32", arc(Float32Array::from(vec![0.1, 2.0]))),
        ("f64", arc(Float64Array::from(vec![f64::NAN, -0.0]))),
        ("flag", arc(BooleanArray::from(vec![Some(true), None]))),
        ("text", arc(StringArray::from(vec!["a, b", "42"]))),
        ("view", arc(StringViewArray::from(vec![Some("x: y"), None]))),
        ("nothing", arc(NullArray::new(2))),
    ]);
    let expected = toon_of(json!([
        {"i8": -8, "u64": u64::MAX, "f32": f64::from(0.1f32), "f64": null, "flag": true,
         "text": "a, b", "view": "x: y", "nothing": null},
        {"i8": null, "u64": 0, "f32": 2.0, "f64": 0, "flag": null,
         "text": "42", "view": null, "nothing": null},
    ]));
    assert_eq!(table.encode(&EncodeOptions::default()).unwrap(), expected);
}

#[test]
fn dates_times_and_timestamps_are_iso_text() {
    let second = 1_714_998_600; // 2024-05-06T12:30:00Z
    let table = table(vec![
        ("d32", arc(Date32Array::from(vec![19_849]))),
        ("d64", arc(Date64Array::from(vec![19_849 * 86_400_000]))),
        ("t32", arc(Time32SecondArray::from(vec![45_296]))),
        (
            "t64",
            arc(Time64NanosecondArray::from(vec![45_296_000_000_001])),
        ),
        ("s", arc(TimestampSecondArray::from(vec![second]))),
        (
            "ms_utc",
            arc(TimestampMillisecondArray::from(vec![second * 1000 + 250]).with_timezone("UTC")),
        ),
        (
            "us_paris",
            arc(TimestampMicrosecondArray::from(vec![second * 1_000_000])
                .with_timezone("Europe/Paris")),
        ),
        (
            "ns_offset",
            arc(
                TimestampNanosecondArray::from(vec![second * 1_000_000_000 + 7])
                    .with_timezone("-05:30"),
            ),
        ),
    ]);
    let expected = toon_of(json!([{
        "d32": "2024-05-06", "d64": "2024-05-06", "t32": "12:34:56",
        "t64": "12:34:56.000000001", "s": "2024-05-06T12:30:00",
        "ms_utc": "2024-05-06T12:30:00.250000+00:00",
        "us_paris": "2024-05-06T14:30:00+02:00",
        "ns_offset": "2024-05-06T07:00:00.000000007-05:30",
    }]));
    assert_eq!(table.encode(&EncodeOptions::default()).unwrap(), expected);
}

#[test]
fn decimals_are_exact_text() {
    let decimals = Decimal128Array::from(vec![Some(150), None, Some(-12_345_678_901_234_567)])
        .with_precision_and_scale(38, 2)
        .unwrap();
    let table = table(vec![("price", arc(decimals))]);
    let expected = toon_of(json!([
        {"price": "1.50"}, {"price": null}, {"price": "-123456789012345.67"}
    ]));
    assert_eq!(table.encode(&EncodeOptions::default()).unwrap(), expected);
}

#[test]
fn nested_columns_write_as_objects_and_arrays() {
    let address = StructArray::from(vec![
        (
            Arc::new(Field::new("city", DataType::Utf8, false)),
            arc(StringArray::from(vec!["Oslo", "Lima"])),
        ),
        (
            Arc::new(Field::new("zip", DataType::Int64, true)),
            arc(Int64Array::from(vec![Some(150), None])),
        ),
    ]);
    let tags =
        ListArray::from_iter_primitive::<Int32Type, _, _>(vec![Some(vec![Some(1), Some(2)]), None]);
    let mut colors = StringDictionaryBuilder::<Int32Type>::new();
    colors.append_value("red");
    colors.append_null();
    let mut attributes = MapBuilder::new(None, StringBuilder::new(), Int64Array::builder(2));
    attributes.keys().append_value("w");
    attributes.values().append_value(3);
    attributes.append(true).unwrap();
    attributes.append(true).unwrap();
    let structured = table(vec![
        ("id", arc(Int64Array::from(vec![1, 2]))),
        ("address", arc(address)),
        ("color", arc(colors.finish())),
    ]);
    // A uniform struct column is a nested field group of the table.
    let expected = toon_of(json!([
        {"id": 1, "address": {"city": "Oslo", "zip": 150}, "color": "red"},
        {"id": 2, "address": {"city": "Lima", "zip": null}, "color": null},
    ]));
    assert!(
        expected.starts_with("[2]{id,address{city,zip},color}:"),
        "{expected}"
    );
    assert_eq!(
        structured.encode(&EncodeOptions::default()).unwrap(),
        expected
    );
    // A list column takes the rows out of table form, as it does for JSON rows.
    let listed = table(vec![
        ("tags", arc(tags)),
        ("attributes", arc(attributes.finish())),
    ]);
    let expected = toon_of(json!([
        {"tags": [1, 2], "attributes": {"w": 3}},
        {"tags": null, "attributes": {}},
    ]));
    assert_eq!(listed.encode(&EncodeOptions::default()).unwrap(), expected);
}

#[test]
fn types_without_a_toon_form_are_refused_by_name() {
    let raw = StructArray::from(vec![(
        Arc::new(Field::new("raw", DataType::Binary, false)),
        arc(BinaryArray::from(vec![b"\x00".as_ref()])),
    )]);
    let table = table(vec![("meta", arc(raw))]);
    let error = table.encode(&EncodeOptions::default()).unwrap_err();
    assert!(
        matches!(&error, Error::Unsupported { column, data_type } if column == "meta.raw" && data_type == "Binary"),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "column meta.raw: Binary values have no TOON form; cast the column first (to text, say)"
    );
}

fn sample() -> RecordBatch {
    RecordBatch::try_from_iter(vec![
        ("id", arc(Int64Array::from_iter_values(0..300))),
        (
            "name",
            arc(StringArray::from_iter_values(
                (0..300).map(|i| format!("user {i}")),
            )),
        ),
        (
            "score",
            arc(Float64Array::from_iter(
                (0..300).map(|i| (i % 7 != 0).then_some(i as f64 / 8.0)),
            )),
        ),
    ])
    .unwrap()
}

fn parquet_bytes(batch: &RecordBatch) -> Vec<u8> {
    let mut bytes = Vec::new();
    let properties = parquet::file::properties::WriterProperties::builder()
        .set_compression(parquet::basic::Compression::ZSTD(Default::default()))
        .set_max_row_group_row_count(Some(128))
        .build();
    let mut writer =
        parquet::arrow::ArrowWriter::try_new(&mut bytes, batch.schema(), Some(properties)).unwrap();
    writer.write(batch).unwrap();
    writer.close().unwrap();
    bytes
}

#[test]
fn parquet_and_arrow_files_read_back_to_the_same_table() {
    let batch = sample();
    let direct = ArrowTable::new(batch.schema(), vec![batch.clone()])
        .encode(&EncodeOptions::default())
        .unwrap();
    assert!(direct.starts_with("[300]{id,name,score}:\n  0,user 0,null\n  1,user 1,0.125\n"));

    let parquet = parquet_bytes(&batch);
    let from_parquet = ArrowTable::from_parquet(&parquet).unwrap();
    assert_eq!(from_parquet.num_rows(), 300);
    assert_eq!(
        from_parquet.encode(&EncodeOptions::default()).unwrap(),
        direct
    );

    let mut file = Vec::new();
    let mut writer = arrow_ipc::writer::FileWriter::try_new(&mut file, &batch.schema()).unwrap();
    writer.write(&batch).unwrap();
    writer.finish().unwrap();
    drop(writer);
    let mut stream = Vec::new();
    let mut writer =
        arrow_ipc::writer::StreamWriter::try_new(&mut stream, &batch.schema()).unwrap();
    writer.write(&batch.slice(0, 100)).unwrap();
    writer.write(&batch.slice(100, 200)).unwrap();
    writer.finish().unwrap();
    drop(writer);
    assert_eq!(ArrowTable::from_ipc(&stream).unwrap().batches().len(), 2);
    for bytes in [&file, &stream] {
        let table = ArrowTable::from_ipc(bytes).unwrap();
        assert_eq!(table.num_rows(), 300);
        assert_eq!(table.encode(&EncodeOptions::default()).unwrap(), direct);
    }

    let options = TableToToonOptions {
        encode: EncodeOptions::new().with_delimiter(Delimiter::Tab),
        ..Default::default()
    };
    let converter = ColumnarToToon::new(ColumnarFormat::Parquet, options);
    assert_eq!(converter.name(), "parquet-to-toon");
    let text = converter.convert(Input::Bytes(&parquet)).unwrap();
    assert!(text.starts_with("[300\t]{id\tname\tscore}:\n  0\tuser 0\tnull\n"));
    assert!(text.ends_with("\n") && !text.ends_with("\n\n"));
    let arrow = ColumnarToToon::new(ColumnarFormat::Arrow, TableToToonOptions::default());
    assert_eq!(
        arrow.convert(Input::Bytes(&file)).unwrap(),
        format!("{direct}\n")
    );
}

/// Damaged files (bytes flipped, cut short) are errors, never a panic or a crash.
#[test]
fn damaged_files_are_errors() {
    let batch = sample();
    let parquet = parquet_bytes(&batch);
    let mut ipc = Vec::new();
    let mut writer = arrow_ipc::writer::FileWriter::try_new(&mut ipc, &batch.schema()).unwrap();
    writer.write(&batch).unwrap();
    writer.finish().unwrap();
    drop(writer);
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut errors = 0;
    for round in 0..300 {
        for (format, good) in [
            (ColumnarFormat::Parquet, &parquet),
            (ColumnarFormat::Arrow, &ipc),
        ] {
            let mut bytes = good.clone();
            if round % 3 == 0 {
                bytes.truncate((next() as usize) % bytes.len());
            } else {
                for _ in 0..1 + next() % 4 {
                    let at = (next() as usize) % bytes.len();
                    bytes[at] ^= 1 << (next() % 8);
                }
            }
            let converter = ColumnarToToon::new(format, TableToToonOptions::default());
            if let Err(error) = converter.convert(Input::Bytes(&bytes)) {
                assert!(!error.message().is_empty());
                errors += 1;
            }
        }
    }
    assert!(
        errors > 100,
        "only {errors} of 600 damaged files were refused"
    );
}

/// TOON tables come back as Arrow batches whose TOON is the text they came from; nested
/// objects are structs, arrays lists, integers mixed with floats floats.
#[test]
fn toon_tables_become_arrow_batches_and_back() {
    let texts = [
        "[3]{id,name,score,ok}:\n  1,Ada,1.5,true\n  2,null,2,false\n  3,\"x, y\",null,null",
        "[2]{id,customer{name,country},total}:\n  1,Ada,GB,9.5\n  2,Bo,null,3",
        "[2]:\n  - id: 1\n    tags[2]: a,b\n  - id: 2\n    tags: []",
        "[2]:\n  - id: 18446744073709551615\n  - note: only here",
        "[]",
    ];
    for text in texts {
        let value = toon::decode(text, &Default::default()).unwrap();
        let table = ArrowTable::from_value(&value).unwrap();
        let back = table.encode(&EncodeOptions::default()).unwrap();
        let expected = toon::encode(&value, &EncodeOptions::default()).unwrap();
        // A key missing from a row comes back as null in that row.
        let filled = if text.contains("only here") {
            "[2]{id,note}:\n  18446744073709551615,null\n  null,only here".to_owned()
        } else {
            expected
        };
        assert_eq!(back, filled, "{text}");
    }
    let mixed = toon::decode("[2]{n}:\n  1\n  2.5", &Default::default()).unwrap();
    let table = ArrowTable::from_value(&mixed).unwrap();
    assert_eq!(table.schema().field(0).data_type(), &DataType::Float64);
}

#[test]
fn values_that_are_not_tables_are_refused() {
    let refused = |text: &str| {
        let value = toon::decode(text, &Default::default()).unwrap();
        ArrowTable::from_value(&value).unwrap_err().to_string()
    };
    assert_eq!(
        refused("a: 1"),
        "a table must be an array of objects; this value is not an array"
    );
    assert_eq!(
        refused("[2]: 1,2"),
        "a table must be an array of objects; [0] is not an object"
    );
    assert_eq!(
        refused("[2]{a}:\n  1\n  x"),
        "column a: integer and string values in one column"
    );
    assert_eq!(
        refused("[1]:\n  - a:\n      b[2]: 1,x"),
        "column a.b[]: integer and string values in one column"
    );
}
