//! Property tests: encoding then decoding gives the value back under every delimiter and
//! indent (and re-encoding gives the same text); decoding arbitrary or structured-looking text never panics and locates its
//! errors; and whatever decodes re-encodes to text that decodes to the same value.
//!
//! Case counts are moderate so the file runs quickly in debug builds; raise them with
//! `PROPTEST_CASES=N`.

use proptest::prelude::*;
use proptest::test_runner::Config;
use toon::{Category, DecodeOptions, Delimiter, EncodeOptions, Map, Number, Value};

const DELIMITERS: [Delimiter; 3] = [Delimiter::Comma, Delimiter::Tab, Delimiter::Pipe];

/// `cases` unless `PROPTEST_CASES` is set; no regression files are written.
fn config(cases: u32) -> Config {
    let cases = if std::env::var_os("PROPTEST_CASES").is_some() {
        Config::default().cases
    } else {
        cases
    };
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

// ---------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------

/// Pieces that exercise quoting, escaping, delimiter, number and keyword rules.
const TRICKY: &[&str] = &[
    " ", "  ", "\t", ",", "|", ":", "-", "- ", "#", "\"", "\\", "[", "]", "{", "}", "\n", "\r",
    "\r\n", "\u{feff}", "\u{a0}", "\u{301}", "\u{2028}", "\u{0}", "\u{7f}", "true", "false",
    "null", "05", "0", "-0", "1e5", "1E-7", "-1", "0.10", "1.5", ".5", "5.", "0x1F", "NaN",
    "Infinity", "[]", "{}", "[2]", "a[1]:", "key: v", "é", "名前", "😀",
];

fn tricky() -> impl Strategy<Value = String> {
    proptest::sample::select(TRICKY).prop_map(str::to_owned)
}

/// Arbitrary Unicode mixed with tricky pieces.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => "[a-z]{1,6}",
        1 => proptest::collection::vec(any::<char>(), 0..5).prop_map(String::from_iter),
        3 => proptest::collection::vec(
            prop_oneof![
                3 => tricky(),
                1 => any::<char>().prop_map(String::from),
                2 => "[a-zA-Z0-9 _.]{0,3}",
            ],
            0..5,
        )
        .prop_map(|parts| parts.concat()),
    ]
}

fn float() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => any::<f64>().prop_filter("finite", |f| f.is_finite()),
        1 => proptest::sample::select(vec![
            0.0,
            -0.0,
            0.1,
            -1.5,
            1e21,
            1e20,
            1e-6,
            1e-7,
            123456789.123,
            5e-324,
            -5e-324,
            2.2250738585072014e-308,
            f64::MAX,
            f64::MIN,
            f64::EPSILON,
            9007199254740993.0,
            18446744073709551616.0,
            -9223372036854775808.0,
        ]),
        2 => -1000.0f64..1000.0,
    ]
}

fn number() -> impl Strategy<Value = Number> {
    prop_oneof![
        3 => any::<i64>().prop_map(Number::from),
        1 => any::<u64>().prop_map(Number::from),
        2 => (-100i64..100).prop_map(Number::from),
        3 => float().prop_map(Number::from),
    ]
}

fn primitive() -> impl Strategy<Value = Value<'static>> {
    prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        3 => number().prop_map(Value::Number),
        5 => text().prop_map(Value::from),
    ]
}

/// Unique keys (duplicates are dropped), in generation order.
fn keys(range: std::ops::Range<usize>) -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(text(), range).prop_map(|mut keys| {
        let mut seen = std::collections::HashSet::new();
        keys.retain(|k| seen.insert(k.clone()));
        keys
    })
}

/// A header field: a leaf column, or a nested group of leaf columns.
#[derive(Debug, Clone)]
enum Column {
    Leaf(String),
    Group(String, Vec<String>),
}

impl Column {
    fn cells(&self) -> usize {
        match self {
            Column::Leaf(_) => 1,
            Column::Group(_, children) => children.len().max(1),
        }
    }
}

fn columns() -> impl Strategy<Value = Vec<Column>> {
    (keys(1..5), proptest::collection::vec(keys(1..3), 4)).prop_map(|(names, groups)| {
        names
            .into_iter()
            .zip(groups.into_iter().cycle())
            .enumerate()
            .map(|(i, (name, children))| {
                if i % 3 == 2 && !children.is_empty() {
                    Column::Group(name, children)
                } else {
                    Column::Leaf(name)
                }
            })
            .collect()
    })
}

/// One row object from a column schema and a flat list of cells.
fn row(columns: &[Column], cells: &mut impl Iterator<Item = Value<'static>>) -> Map<'static> {
    let mut map = Map::new();
    for column in columns {
        match column {
            Column::Leaf(name) => {
                map.insert(name.clone(), cells.next().unwrap_or_default());
            }
            Column::Group(name, children) => {
                let mut inner = Map::new();
                for child in children {
                    inner.insert(child.clone(), cells.next().unwrap_or_default());
                }
                map.insert(name.clone(), Value::Object(inner));
            }
        }
    }
    map
}

/// Objects sharing one key set: as an array (tabular, nested groups), as an object of
/// objects (keyed form) or, with `spoil`, one cell replaced so the uniform form breaks.
fn uniform() -> impl Strategy<Value = Value<'static>> {
    columns()
        .prop_flat_map(|columns| {
            let width: usize = columns.iter().map(Column::cells).sum();
            (
                Just(columns),
                proptest::collection::vec(proptest::collection::vec(primitive(), width), 1..5),
                keys(1..5),
                0u8..4,
                primitive(),
            )
        })
        .prop_map(|(columns, rows, entry_keys, shape, spoiler)| {
            let mut objects: Vec<Map<'static>> = rows
                .into_iter()
                .map(|cells| row(&columns, &mut cells.into_iter()))
                .collect();
            if shape == 3 {
                // Spoil one row: an array cell or a missing key forces another form.
                let last = objects.last_mut().expect("at least one row");
                if let Some(Column::Leaf(name) | Column::Group(name, _)) = columns.last() {
                    if spoiler.is_null() {
                        last.remove(name);
                    } else {
                        last.insert(name.clone(), Value::Array(vec![spoiler]));
                    }
                }
            }
            match shape {
                1 | 2 => Value::Object(
                    entry_keys
                        .into_iter()
                        .zip(objects.into_iter().cycle())
                        .map(|(k, v)| (k, Value::Object(v)))
                        .collect(),
                ),
                _ => Value::Array(objects.into_iter().map(Value::Object).collect()),
            }
        })
}

fn value() -> impl Strategy<Value = Value<'static>> {
    let leaf = prop_oneof![4 => primitive(), 1 => uniform()];
    leaf.prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            2 => proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            2 => proptest::collection::vec((text(), inner.clone()), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
            // Objects under a key, and arrays of arrays, which use dedicated forms.
            1 => (text(), uniform(), inner.clone()).prop_map(|(k, table, other)| {
                let mut map = Map::new();
                map.insert(k, table);
                map.insert("other", other);
                Value::Object(map)
            }),
            1 => proptest::collection::vec(
                proptest::collection::vec(primitive(), 0..4).prop_map(Value::Array),
                0..4,
            )
            .prop_map(Value::Array),
        ]
    })
}

fn roundtrip_all(value: &Value<'_>) -> Result<(), TestCaseError> {
    for delimiter in DELIMITERS {
        for indent in [2, 4] {
            let options = EncodeOptions::new()
                .with_delimiter(delimiter)
                .with_indent(indent);
            let text = toon::encode(value, &options)
                .map_err(|e| TestCaseError::fail(format!("encode failed: {e}")))?;
            let decoded =
                toon::decode(&text, &DecodeOptions::new().with_indent(indent)).map_err(|e| {
                    TestCaseError::fail(format!(
                        "{delimiter} indent {indent}: decode failed: {e}\ntext: {text:?}"
                    ))
                })?;
            prop_assert_eq!(
                &decoded,
                value,
                "{} indent {}: text {:?}",
                delimiter,
                indent,
                text
            );
            // The serde path writes while the value serializes, guessing each array's
            // form: it must agree with the tree encoder byte for byte.
            let pushed = toon::to_string_with_options(value, &options)
                .map_err(|e| TestCaseError::fail(format!("to_string failed: {e}")))?;
            prop_assert_eq!(&pushed, &text, "{} indent {}: to_string", delimiter, indent);
            // Encoding is canonical: the decoded value encodes to the same text.
            let again = toon::encode(&decoded, &options)
                .map_err(|e| TestCaseError::fail(format!("re-encode failed: {e}")))?;
            prop_assert_eq!(
                &again,
                &text,
                "{} indent {}: not a fixed point",
                delimiter,
                indent
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(384))]

    #[test]
    fn encode_then_decode_is_identity(value in value()) {
        roundtrip_all(&value)?;
    }

    #[test]
    fn uniform_objects_round_trip(value in uniform()) {
        roundtrip_all(&value)?;
        let mut map = Map::new();
        map.insert("k", value);
        roundtrip_all(&Value::Object(map))?;
    }

    #[test]
    fn primitives_round_trip_at_root_and_in_every_position(p in primitive(), key in text()) {
        roundtrip_all(&p)?;
        let mut map = Map::new();
        map.insert(key.clone(), p.clone());
        roundtrip_all(&Value::Object(map))?;
        roundtrip_all(&Value::Array(vec![p.clone(), p.clone()]))?;
        let mut row = Map::new();
        row.insert(key, p);
        roundtrip_all(&Value::Array(vec![Value::Object(row.clone()), Value::Object(row)]))?;
    }
}

/// `value` with the entries of some objects rotated by `turns` (chosen per object from
/// `seed`): rows whose keys come in another order than the first row's.
fn reorder_some(value: &Value<'static>, seed: &mut u64) -> Value<'static> {
    fn next(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }
    match value {
        Value::Array(items) => {
            Value::Array(items.iter().map(|item| reorder_some(item, seed)).collect())
        }
        Value::Object(map) => {
            let mut entries: Vec<(String, Value<'static>)> = map
                .iter()
                .map(|(k, v)| (k.to_owned(), reorder_some(v, seed)))
                .collect();
            let roll = next(seed);
            if entries.len() > 1 && roll.is_multiple_of(3) {
                let turns = (roll / 3) as usize % entries.len();
                entries.rotate_left(turns);
            }
            Value::Object(entries.into_iter().collect())
        }
        primitive => primitive.clone(),
    }
}

proptest! {
    #![proptest_config(config(384))]

    /// The serde path (which writes while the value serializes, guessing each array's
    /// form and replaying when the guess breaks) agrees with the tree encoder, also when
    /// rows list their keys in another order.
    #[test]
    fn to_string_agrees_with_encode_on_reordered_rows(
        value in prop_oneof![value(), uniform()],
        seed in 1u64..,
    ) {
        let mut seed = seed;
        let value = reorder_some(&value, &mut seed);
        for delimiter in DELIMITERS {
            let options = EncodeOptions::new().with_delimiter(delimiter);
            let expected = toon::encode(&value, &options)
                .map_err(|e| TestCaseError::fail(format!("encode failed: {e}")))?;
            let pushed = toon::to_string_with_options(&value, &options)
                .map_err(|e| TestCaseError::fail(format!("to_string failed: {e}")))?;
            prop_assert_eq!(pushed, expected);
        }
    }
}

proptest! {
    #![proptest_config(config(384))]

    /// JSON text transcoded straight to TOON (no value built, arrays of unknown length)
    /// is the text of the decoded JSON value, encoded.
    #[test]
    fn transcoded_json_agrees_with_encode(value in prop_oneof![value(), uniform()]) {
        let json = serde_json::to_string(&value).expect("JSON");
        let parsed: Value = serde_json::from_str(&json).expect("parses");
        for delimiter in DELIMITERS {
            let options = EncodeOptions::new().with_delimiter(delimiter);
            let expected = toon::encode(&parsed, &options)
                .map_err(|e| TestCaseError::fail(format!("encode failed: {e}")))?;
            let mut reader = serde_json::Deserializer::from_str(&json);
            let transcoded = toon::transcode(&mut reader, &options)
                .map_err(|e| TestCaseError::fail(format!("transcode failed: {e}")))?;
            prop_assert_eq!(transcoded, expected);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Arbitrary and structured-looking text
// ---------------------------------------------------------------------------------------

/// Line bodies that look like TOON.
const BODIES: &[&str] = &[
    "key: value",
    "a: 1",
    "a:",
    "b: -1.5e3",
    "\"q k\": \"x\\ty\"",
    "a[3]: 1,2,3",
    "a[2|]: x|y",
    "a[2\t]: x\ty",
    "a[3]{x,y}:",
    "a[2]{x,y{p,q}}:",
    "a[2:]{x,y}:",
    "m[2:]{x}:",
    "a[0]:",
    "[2]:",
    "[1]: x",
    "[2]{x}:",
    "-",
    "- ",
    "- x",
    "- k: v",
    "- [2]: 1,2",
    "- a[1]{x}:",
    "- - x",
    "1,2",
    "x,\"y,z\"",
    "1|2",
    "1\t2",
    "\"e\": 1,2",
    "e: 1,2",
    "# comment",
    "\"",
    "\"\\",
    "\"a\\u0041\"",
    "\"\\u{41}\"",
    "k{a,b}:",
    "{",
    "}",
    "[",
    "]",
    ":",
    "null",
    "true",
    "05",
    "a[99999999999999999999]: 1",
    "a[18446744073709551616]{x}:",
    "a[-1]: 1",
    "a[1]:1",
    "a [1]: 1",
];

const PIECES: &[&str] = &[
    "a", "k", "x", "1", "-", "- ", ":", ": ", "[", "]", "{", "}", "[2]", "[1]", "[0]", "{x}",
    "{x,y}", ",", "|", "\t", "\"", "\\", " ", "#", "null", "1e9", "\u{a0}", "é",
];

fn indentation() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (0usize..4).prop_map(|n| "  ".repeat(n)),
        1 => "[ \t]{0,6}",
    ]
}

fn body() -> impl Strategy<Value = String> {
    prop_oneof![
        5 => proptest::sample::select(BODIES).prop_map(str::to_owned),
        3 => proptest::collection::vec(proptest::sample::select(PIECES), 1..6)
            .prop_map(|p| p.concat()),
        1 => "[^\n]{0,8}",
        1 => Just(String::new()),
    ]
}

fn line() -> impl Strategy<Value = String> {
    (indentation(), body()).prop_map(|(indent, body)| indent + &body)
}

fn structured_text() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(line(), 0..12),
        prop_oneof![4 => Just("\n"), 1 => Just("\r\n")],
        any::<bool>(),
    )
        .prop_map(|(lines, eol, trailing)| {
            let mut text = lines.join(eol);
            if trailing {
                text.push_str(eol);
            }
            text
        })
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => any::<String>(),
        1 => "[ -~\t\n]{0,40}",
        4 => structured_text(),
    ]
}

/// Decodes in every mode (no panic), checks error locations, and checks that whatever
/// decodes re-encodes to the same value.
fn check_text(text: &str) -> Result<(), TestCaseError> {
    for strict in [true, false] {
        for indent in [2, 4] {
            let options = DecodeOptions::new().with_strict(strict).with_indent(indent);
            match toon::decode(text, &options) {
                Ok(value) => roundtrip_all(&value).map_err(|e| {
                    TestCaseError::fail(format!(
                        "strict {strict} indent {indent}: {e}\nsource: {text:?}"
                    ))
                })?,
                Err(e) => prop_assert!(
                    e.category() == Category::Options || e.line() >= 1,
                    "error without location: {:?} for {:?}",
                    e,
                    text
                ),
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(768))]

    #[test]
    fn decode_never_panics_and_is_stable(text in any_text()) {
        check_text(&text)?;
    }

    #[test]
    fn decode_of_encoded_text_with_edits_never_panics(
        value in value(),
        cut in any::<prop::sample::Index>(),
        insert in proptest::sample::select(PIECES),
    ) {
        // Take valid TOON and damage it at one place: still no panic, and stability holds.
        let text = toon::encode(&value, &EncodeOptions::default()).expect("encodes");
        let mut at = cut.index(text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let mut edited = text[..at].to_owned();
        edited.push_str(insert);
        edited.push_str(&text[at..]);
        check_text(&edited)?;
        check_text(&text[..at])?;
    }
}
