//! The serde layer: typed round trips, zero-copy borrowing, the forms derived types take,
//! typed errors with locations, and the value/serde conversions.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Debug;

use serde::{Deserialize, Serialize, de::DeserializeOwned};
use toon::{Category, Delimiter, EncodeOptions, Value};

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(value: &T) -> String {
    let text = toon::to_string(value).expect("serializes");
    let back: T = toon::from_str(&text).unwrap_or_else(|e| panic!("{text}\n---\n{e}"));
    assert_eq!(&back, value, "{text}");
    for delimiter in [Delimiter::Tab, Delimiter::Pipe] {
        let options = EncodeOptions::new()
            .with_delimiter(delimiter)
            .with_indent(4);
        let text = toon::to_string_with_options(value, &options).unwrap();
        let decode = toon::DecodeOptions::new().with_indent(4);
        let back: T = toon::from_str_with_options(&text, &decode).unwrap();
        assert_eq!(&back, value, "{text}");
    }
    text
}

#[derive(Serialize, Deserialize, Debug, PartialEq, Clone)]
struct User {
    id: u32,
    name: String,
    active: bool,
    score: f64,
}

fn users() -> Vec<User> {
    (1..=3)
        .map(|i| User {
            id: i,
            name: format!("user, {i}"),
            active: i % 2 == 0,
            score: f64::from(i) * 1.5,
        })
        .collect()
}

#[test]
fn vec_of_structs_is_tabular() {
    let text = round_trip(&users());
    assert_eq!(
        text,
        "[3]{id,name,active,score}:\n  1,\"user, 1\",false,1.5\n  2,\"user, 2\",true,3\n  3,\"user, 3\",false,4.5"
    );
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Point {
    x: i32,
    y: i32,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Order {
    id: u64,
    at: Point,
    note: Option<String>,
}

#[test]
fn nested_structs_become_field_groups_and_keyed_objects() {
    let orders = vec![
        Order {
            id: 1,
            at: Point { x: 1, y: 2 },
            note: None,
        },
        Order {
            id: 2,
            at: Point { x: 3, y: 4 },
            note: Some("rush".into()),
        },
    ];
    assert_eq!(
        round_trip(&orders),
        "[2]{id,at{x,y},note}:\n  1,1,2,null\n  2,3,4,rush"
    );

    let mut places = BTreeMap::new();
    places.insert("home".to_string(), Point { x: 0, y: 0 });
    places.insert("work".to_string(), Point { x: 5, y: -1 });
    assert_eq!(round_trip(&places), "[2:]{x,y}:\n  home: 0,0\n  work: 5,-1");
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
enum External {
    Unit,
    Newtype(u8),
    Tuple(i32, String),
    Struct { a: bool, b: Vec<u8> },
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(tag = "type")]
enum Internal {
    Circle { r: f64 },
    Square { side: u32 },
    Empty,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(tag = "t", content = "c")]
enum Adjacent {
    Num(i64),
    Text(String),
    Nothing,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(untagged)]
enum Untagged {
    Flag(bool),
    Count(u64),
    Name(String),
    Pair { left: i8, right: i8 },
}

#[test]
fn all_four_enum_representations_round_trip() {
    round_trip(&vec![
        External::Unit,
        External::Newtype(7),
        External::Tuple(-1, "x y".into()),
        External::Struct {
            a: true,
            b: vec![1, 2],
        },
    ]);
    let text = round_trip(&vec![
        Internal::Circle { r: 0.5 },
        Internal::Square { side: 3 },
        Internal::Empty,
    ]);
    assert!(text.contains("type: Circle"), "{text}");
    round_trip(&vec![
        Adjacent::Num(-4),
        Adjacent::Text("true".into()),
        Adjacent::Nothing,
    ]);
    round_trip(&vec![
        Untagged::Flag(false),
        Untagged::Count(9),
        Untagged::Name("n".into()),
        Untagged::Pair { left: -1, right: 1 },
    ]);
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Unit;

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Meters(f64);

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Everything {
    big: i128,
    huge: u128,
    small: i128,
    tiny: i8,
    single: f32,
    letter: char,
    unit: (),
    unit_struct: Unit,
    newtype: Meters,
    tuple: (u8, String, bool),
    maybe: Option<Option<u16>>,
    by_number: BTreeMap<u32, String>,
    by_bool: BTreeMap<bool, i8>,
    by_name: HashMap<String, Vec<String>>,
    empty_list: Vec<u8>,
    empty_map: BTreeMap<String, u8>,
    text_like_numbers: Vec<String>,
}

#[test]
fn every_serde_type_round_trips() {
    let mut by_name = HashMap::new();
    by_name.insert("k-1".to_string(), vec!["a".to_string(), "b,c".to_string()]);
    let value = Everything {
        big: i128::MIN,
        huge: u128::MAX,
        small: -5,
        tiny: i8::MIN,
        single: 0.1,
        letter: 'é',
        unit: (),
        unit_struct: Unit,
        newtype: Meters(2.5),
        tuple: (255, "- dash".into(), true),
        maybe: Some(None),
        by_number: [(1, "one".into()), (20, "twenty".into())]
            .into_iter()
            .collect(),
        by_bool: [(true, 1), (false, 0)].into_iter().collect(),
        by_name,
        empty_list: vec![],
        empty_map: BTreeMap::new(),
        text_like_numbers: vec!["42".into(), "1e5".into(), "true".into(), "".into()],
    };
    let text = toon::to_string(&value).unwrap();
    assert!(
        text.contains("big: \"-170141183460469231731687303715884105728\""),
        "{text}"
    );
    assert!(text.contains("single: 0.1\n"), "{text}");
    let back: Everything = toon::from_str(&text).unwrap();
    // `Some(None)` cannot survive any self-describing format (both are null).
    assert_eq!(back.maybe, None);
    assert_eq!(
        Everything {
            maybe: Some(None),
            ..back
        },
        value
    );
}

#[derive(Deserialize, Debug)]
struct Borrowed<'a> {
    name: &'a str,
    #[serde(borrow)]
    note: Cow<'a, str>,
    #[serde(borrow)]
    tags: Vec<&'a str>,
}

#[test]
fn strings_without_escapes_are_borrowed_from_the_input() {
    let text = String::from("name: Ada\nnote: plain text\ntags[2]: x,\"y z\"");
    let value: Borrowed = toon::from_str(&text).unwrap();
    let range = text.as_bytes().as_ptr_range();
    let inside = |s: &str| range.contains(&s.as_ptr());
    assert!(inside(value.name));
    assert!(matches!(value.note, Cow::Borrowed(s) if inside(s)));
    assert_eq!(value.tags, ["x", "y z"]);
    assert!(value.tags.iter().all(|s| inside(s)));

    // An escaped string cannot be borrowed: Cow becomes owned, &str is an error.
    let escaped: Borrowed = toon::from_str("name: Ada\nnote: \"a\\nb\"\ntags[0]:").unwrap();
    assert!(matches!(escaped.note, Cow::Owned(ref s) if s == "a\nb"));
    assert!(toon::from_str::<Borrowed>("name: \"A\\td\"\nnote: x\ntags[0]:").is_err());
}

#[test]
fn typed_errors_carry_line_and_column() {
    let err =
        toon::from_str::<Vec<User>>("[2]{id,name,active,score}:\n  1,Ada,true,1\n  x,Bo,false,2")
            .unwrap_err();
    assert_eq!(err.category(), Category::Data);
    assert_eq!((err.line(), err.column()), (3, 3), "{err}");
    assert!(
        err.to_string()
            .starts_with("3:3: invalid type: string \"x\", expected u32"),
        "{err}"
    );

    let err = toon::from_str::<User>("id: 1\nname: Ada\nactive: true").unwrap_err();
    assert!(err.message().contains("missing field `score`"), "{err}");
    assert_eq!(err.line(), 1);

    let err = toon::from_str::<Order>("id: 1\nat:\n  x: 1\n  y: nope\nnote: null").unwrap_err();
    assert_eq!((err.line(), err.column()), (4, 6), "{err}");

    // Syntax errors keep their own category and place.
    let err = toon::from_str::<User>("id: 1\n   name: x").unwrap_err();
    assert_eq!(err.category(), Category::Indentation);
}

#[test]
fn whole_floats_fit_integer_fields() {
    let point: Point = toon::from_str("x: 2.5e2\ny: -1E+03").unwrap();
    assert_eq!(point, Point { x: 250, y: -1000 });
    assert!(toon::from_str::<Point>("x: 2.5\ny: 1").is_err());
}

#[test]
fn bytes_slice_reader_writer_value_entry_points() {
    let list = users();
    let bytes = toon::to_vec(&list).unwrap();
    assert_eq!(toon::from_slice::<Vec<User>>(&bytes).unwrap(), list);
    assert_eq!(
        toon::from_reader::<_, Vec<User>>(bytes.as_slice()).unwrap(),
        list
    );
    let mut out = Vec::new();
    toon::to_writer(&mut out, &list).unwrap();
    assert_eq!(out, bytes);
    let value = toon::to_value(&list).unwrap();
    assert_eq!(toon::from_value::<Vec<User>>(value.clone()).unwrap(), list);
    assert_eq!(
        toon::encode(&value, &EncodeOptions::default())
            .unwrap()
            .into_bytes(),
        bytes
    );
    assert_eq!(
        toon::from_str::<Value>(std::str::from_utf8(&bytes).unwrap()).unwrap(),
        value
    );
    let err = toon::from_slice::<Vec<User>>(b"[1]{id}:\n  \xff").unwrap_err();
    assert_eq!((err.category(), err.line()), (Category::Syntax, 2));
}

#[test]
fn from_value_borrows_and_handles_enums() {
    let text = "kind: Square\nside: 4";
    let value = toon::decode(text, &toon::DecodeOptions::default()).unwrap();
    #[derive(Deserialize, Debug, PartialEq)]
    struct Shape<'a> {
        kind: &'a str,
        side: u8,
    }
    assert_eq!(
        toon::from_value::<Shape>(value).unwrap(),
        Shape {
            kind: "Square",
            side: 4
        }
    );
    let value = toon::to_value(&External::Tuple(3, "t".into())).unwrap();
    assert_eq!(
        toon::from_value::<External>(value).unwrap(),
        External::Tuple(3, "t".into())
    );
}

#[test]
fn map_key_types_that_cannot_be_keys_are_errors() {
    let mut map = BTreeMap::new();
    map.insert(vec![1u8], 1u8);
    assert_eq!(
        toon::to_string(&map).unwrap_err().category(),
        Category::Data
    );
}

/// `from_str::<Value>` takes the whole-document path (decoded in one go, as `decode`
/// does): same values, same options, the decoder's own errors; other deserializers and
/// nested `Value`s keep the node-by-node path.
#[test]
fn root_value_is_decoded_as_a_whole_document() {
    let texts = [
        "users[2]{id,name}:\n  1,Ada\n  2,\"B o\"",
        "a:\n  b[3]: 1,2,3\n  c: null",
        "[2]:\n  - x: 1\n  - [1]: true",
        "hello",
        "",
    ];
    for text in texts {
        let expected = toon::decode(text, &toon::DecodeOptions::default()).unwrap();
        let value: Value<'_> = toon::from_str(text).unwrap();
        assert_eq!(value, expected, "{text:?}");
    }

    // Strings without escapes still borrow from the input.
    let text = "name: Ada";
    let value: Value<'_> = toon::from_str(text).unwrap();
    let Some(Value::String(Cow::Borrowed(name))) = value.as_object().and_then(|m| m.get("name"))
    else {
        panic!("expected a borrowed string: {value:?}");
    };
    assert!(text.as_bytes().as_ptr_range().contains(&name.as_ptr()));

    // Options reach the decoder: indent 4, and non-strict accepts a short array.
    let options = toon::DecodeOptions::new().with_indent(4);
    let value: Value<'_> = toon::from_str_with_options("a:\n    b: 1", &options).unwrap();
    assert_eq!(
        value,
        toon::decode("a:\n  b: 1", &Default::default()).unwrap()
    );
    let lenient = toon::DecodeOptions::new().with_strict(false);
    let value: Value<'_> = toon::from_str_with_options("a[3]: 1,2", &lenient).unwrap();
    assert_eq!(
        value,
        toon::decode("a[2]: 1,2", &Default::default()).unwrap()
    );

    // Errors are the decoder's: category, line and column.
    let text = "a: 1\nb[3]: 1,2";
    let direct = toon::decode(text, &Default::default()).unwrap_err();
    let via_serde = toon::from_str::<Value<'_>>(text).unwrap_err();
    assert_eq!(via_serde.category(), Category::Count);
    assert_eq!(
        (via_serde.line(), via_serde.column(), via_serde.to_string()),
        (direct.line(), direct.column(), direct.to_string())
    );

    // A `Value` inside a struct is read node by node, and still right.
    #[derive(Deserialize, Debug)]
    struct Envelope<'a> {
        #[serde(borrow)]
        payload: Value<'a>,
        id: u32,
    }
    let envelope: Envelope<'_> = toon::from_str("payload:\n  x[2]: 1,2\nid: 7").unwrap();
    assert_eq!(envelope.id, 7);
    assert_eq!(
        envelope.payload,
        toon::decode("x[2]: 1,2", &Default::default()).unwrap()
    );

    // The deserializer reports nothing left after a whole-document hand-over.
    let mut deserializer = toon::Deserializer::from_str("a: 1").unwrap();
    let value = Value::deserialize(&mut deserializer).unwrap();
    deserializer.end().unwrap();
    assert_eq!(value, toon::decode("a: 1", &Default::default()).unwrap());
}

/// JSON that happens to use the private document key stays an ordinary object: serde_json
/// reads a root `Value` through `visit_newtype_struct`, never the document map.
#[cfg(feature = "serde_json")]
#[test]
fn json_with_the_private_document_key_stays_an_object() {
    let json = r#"{"$toon::private::Document":"a: 1","b":2}"#;
    let value: Value<'_> = serde_json::from_str(json).unwrap();
    let map = value.as_object().expect("an object");
    assert_eq!(map.len(), 2);
    assert_eq!(
        map.get("$toon::private::Document"),
        Some(&Value::from("a: 1"))
    );
}

/// A map that repeats a key keeps one entry, the last value at the first position (as
/// `serde_json::to_value` does), whether or not the repeat is the previous key; many
/// distinct keys of the same length and first byte stay distinct.
/// `to_value` keeps the last value of a repeated map key, as `serde_json::to_value`
/// does; `to_string` writes what it is given, as `serde_json::to_string` does.
#[test]
fn repeated_map_keys_keep_the_last_value_in_a_value() {
    struct Repeats(Vec<(String, u32)>);
    impl Serialize for Repeats {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            let mut map = s.serialize_map(None)?;
            for (k, v) in &self.0 {
                map.serialize_entry(k, v)?;
            }
            map.end()
        }
    }
    let pairs = vec![
        ("a".to_owned(), 1),
        ("b".to_owned(), 2),
        ("a".to_owned(), 3),
        ("c".to_owned(), 4),
        ("b".to_owned(), 5),
    ];
    assert_eq!(
        toon::encode(
            &toon::to_value(&Repeats(pairs.clone())).unwrap(),
            &Default::default()
        )
        .unwrap(),
        "a: 3\nb: 5\nc: 4"
    );
    assert_eq!(
        toon::to_string(&Repeats(pairs)).unwrap(),
        "a: 1\nb: 2\na: 3\nc: 4\nb: 5"
    );

    let many: Vec<(String, u32)> = (0..300).map(|i| (format!("k{i:03}"), i)).collect();
    let mut with_repeats = many.clone();
    with_repeats.extend(many.iter().step_by(7).map(|(k, v)| (k.clone(), v + 1000)));
    let value = toon::to_value(&Repeats(with_repeats)).unwrap();
    let map = value.as_object().unwrap();
    assert_eq!(map.len(), 300);
    for (i, (key, value)) in map.iter().enumerate() {
        assert_eq!(key, format!("k{i:03}"));
        let expected = if i % 7 == 0 { i + 1000 } else { i } as u64;
        assert_eq!(value, &Value::from(expected));
    }
}

/// JSON that repeats keys (JSON allows it) gives one entry per key, the last value at
/// the first position, for small and large objects alike.
#[cfg(feature = "serde_json")]
#[test]
fn json_with_repeated_keys_keeps_the_last_value() {
    let value: Value<'_> = serde_json::from_str(r#"{"a":1,"b":2,"a":3}"#).unwrap();
    assert_eq!(
        toon::encode(&value, &EncodeOptions::default()).unwrap(),
        "a: 3\nb: 2"
    );

    let mut json = String::from("{");
    for i in 0..100 {
        json.push_str(&format!("\"k{i:02}\":{i},"));
    }
    json.push_str("\"k07\":700,\"k99\":990}");
    let value: Value<'_> = serde_json::from_str(&json).unwrap();
    let map = value.as_object().unwrap();
    assert_eq!(map.len(), 100);
    assert_eq!(map.get("k07"), Some(&Value::from(700u64)));
    assert_eq!(map.get("k99"), Some(&Value::from(990u64)));
    assert_eq!(map.get_index(7).map(|(k, _)| k), Some("k07"));
}

/// Tabular rows reach a visitor as one map over the row's cells: every way a derive
/// type reads a row gives what reading the same object written out would give.
#[test]
fn rows_read_whole_match_rows_written_out() {
    #[derive(Deserialize, Debug, PartialEq)]
    struct Line<'a> {
        id: u32,
        #[serde(borrow)]
        name: Cow<'a, str>,
        at: Point,
        note: Option<String>,
    }
    #[derive(Deserialize, Debug, PartialEq)]
    enum Shape {
        Circle(f64),
        Square { side: u32 },
    }
    #[derive(Deserialize, Debug, PartialEq)]
    struct Few {
        id: u32,
    }
    #[derive(Deserialize, Debug, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Strict {
        id: u32,
    }
    #[derive(Deserialize, Debug, PartialEq)]
    struct Outer {
        rows: serde::de::IgnoredAny,
        after: u32,
    }

    let table = "[2]{id,name,at{x,y},note}:\n  1,Ada,3,4,null\n  2,\"B\\to\",5,6,hi";
    let listed = "[2]:\n  - id: 1\n    name: Ada\n    at:\n      x: 3\n      y: 4\n    note: null\n  \
                  - id: 2\n    name: \"B\\to\"\n    at:\n      x: 5\n      y: 6\n    note: hi";
    let from_table: Vec<Line> = toon::from_str(table).unwrap();
    assert_eq!(from_table, toon::from_str::<Vec<Line>>(listed).unwrap());
    assert!(matches!(from_table[0].name, Cow::Borrowed("Ada")));
    assert_eq!(from_table[1].name, "B\to");
    assert_eq!(from_table[1].at, Point { x: 5, y: 6 });
    // Optional rows, maps, JSON and toon values read the same either way.
    assert_eq!(
        toon::from_str::<Vec<Option<Line>>>(table).unwrap(),
        from_table.into_iter().map(Some).collect::<Vec<_>>()
    );
    assert_eq!(
        toon::from_str::<Vec<BTreeMap<String, serde_json::Value>>>(table).unwrap(),
        toon::from_str::<Vec<BTreeMap<String, serde_json::Value>>>(listed).unwrap()
    );
    assert_eq!(
        toon::from_str::<serde_json::Value>(table).unwrap(),
        serde_json::to_value(toon::decode(table, &Default::default()).unwrap()).unwrap()
    );
    let wrapped = format!("doc:\n  rows{}", table.replace("\n", "\n  "));
    assert_eq!(
        toon::from_str::<BTreeMap<String, BTreeMap<String, Vec<Value>>>>(&wrapped).unwrap()["doc"]
            ["rows"],
        toon::decode(table, &Default::default())
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    );

    // Enum rows: externally tagged variants as one-field rows, struct variants nested.
    let shapes: Vec<Shape> = toon::from_str("[2]{Circle}:\n  1.5\n  2").unwrap();
    assert_eq!(shapes, [Shape::Circle(1.5), Shape::Circle(2.0)]);
    let squares: Vec<Shape> = toon::from_str("[1]{Square{side}}:\n  7").unwrap();
    assert_eq!(squares, [Shape::Square { side: 7 }]);

    // Fields the type does not name are skipped; refused when it says so.
    let few: Vec<Few> = toon::from_str(table).unwrap();
    assert_eq!(few, [Few { id: 1 }, Few { id: 2 }]);
    let err = toon::from_str::<Vec<Strict>>(table).unwrap_err();
    assert!(err.message().contains("unknown field `name`"), "{err}");
    assert_eq!((err.line(), err.column()), (2, 3), "{err}");
    let outer: Outer = toon::from_str("rows[2]{a,b}:\n  1,2\n  3,4\nafter: 5").unwrap();
    assert_eq!(outer.after, 5);

    // Keyed objects: each entry's value is a row.
    let keyed: BTreeMap<String, Point> = toon::from_str("[2:]{x,y}:\n  a: 1,2\n  b: 3,4").unwrap();
    assert_eq!(keyed["b"], Point { x: 3, y: 4 });

    // A type error in a cell points at the cell; in a nested group, at its cell too.
    let err =
        toon::from_str::<Vec<Line>>("[1]{id,name,at{x,y},note}:\n  1,Ada,3,up,null").unwrap_err();
    assert_eq!((err.line(), err.column()), (2, 11), "{err}");
    assert!(err.message().contains("expected i32"), "{err}");
    let err = toon::from_str::<Vec<Point>>("[2]{x,y}:\n  1,2\n  3,\"4\"").unwrap_err();
    assert_eq!((err.line(), err.column()), (3, 5), "{err}");
}
