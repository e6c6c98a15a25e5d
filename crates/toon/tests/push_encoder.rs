//! `to_string` / `to_writer` write TOON while the value serializes, guessing each array's
//! form from its first element. These cases break the guess at every kind of place and
//! check the text against the tree encoder (`encode(&to_value(..))`) and, where the form
//! matters, against the literal expected text.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::json;
use toon::{Category, Delimiter, EncodeOptions};

/// `to_string` agrees with the tree encoder under every delimiter and indents 2 and 4,
/// and `to_writer` (through a writer taking small chunks) writes the same bytes.
fn agrees<T: Serialize + ?Sized>(value: &T) -> String {
    let tree = toon::to_value(value).expect("to_value");
    for delimiter in [Delimiter::Comma, Delimiter::Tab, Delimiter::Pipe] {
        for indent in [2, 4] {
            let options = EncodeOptions::new()
                .with_delimiter(delimiter)
                .with_indent(indent);
            let expected = toon::encode(&tree, &options).expect("encode");
            let pushed = toon::to_string_with_options(value, &options).expect("to_string");
            assert_eq!(pushed, expected, "{delimiter} indent {indent}");
            let mut written = Vec::new();
            toon::to_writer_with_options(&mut written, value, &options).expect("to_writer");
            assert_eq!(String::from_utf8(written).unwrap(), expected);
        }
    }
    toon::to_string(value).unwrap()
}

#[test]
fn uniform_rows_are_a_table() {
    let text = agrees(&json!({"users": [{"id": 1, "name": "Ada"}, {"id": 2, "name": "Bo"}]}));
    assert_eq!(text, "users[2]{id,name}:\n  1,Ada\n  2,Bo");
}

#[test]
fn rows_with_keys_in_another_order_are_still_a_table() {
    let text = agrees(&json!([{"a": 1, "b": 2}, {"b": 3, "a": 4}]));
    assert_eq!(text, "[2]{a,b}:\n  1,2\n  4,3");
    agrees(&json!({"k": [{"a": 1, "g": {"x": 1, "y": 2}}, {"a": 2, "g": {"y": 3, "x": 4}}]}));
    agrees(&json!([{"a": 1, "b": 2}, {"a": 1, "b": 2}, {"a": 1, "c": 2}]));
}

#[test]
fn nested_field_groups_are_guessed_too() {
    let text = agrees(
        &json!([{"id": 1, "o": {"x": 1, "y": {"z": true}}}, {"id": 2, "o": {"x": 3, "y": {"z": null}}}]),
    );
    assert_eq!(text, "[2]{id,o{x,y{z}}}:\n  1,1,true\n  2,3,null");
}

#[test]
fn a_row_that_breaks_the_table_turns_it_into_a_list_wherever_it_breaks() {
    let good = json!({"id": 1, "o": {"x": 1, "y": 2}, "z": "s"});
    let spoilers = [
        json!({"id": 2, "o": {"x": 1, "y": 2}, "z": [1]}),
        json!({"id": 2, "o": {"x": [1], "y": 2}, "z": "s"}),
        json!({"id": 2, "o": {"x": 1}, "z": "s"}),
        json!({"id": 2, "o": {}, "z": "s"}),
        json!({"id": 2, "o": {"x": 1, "y": 2, "w": 3}, "z": "s"}),
        json!({"id": 2, "o": 5, "z": "s"}),
        json!({"id": {"deep": 1}, "o": {"x": 1, "y": 2}, "z": "s"}),
        json!({"id": 2, "o": {"x": 1, "y": 2}}),
        json!({"id": 2, "o": {"x": 1, "y": 2}, "z": "s", "extra": 1}),
        json!({}),
        json!(7),
        json!([1, 2]),
        json!({"o": {"x": 1, "y": 2}, "id": 2, "z": "s"}),
        json!({"id": 2, "o": {"y": 2, "x": 1}, "z": "s"}),
    ];
    for spoiler in spoilers {
        for at in 0..3 {
            let mut rows = vec![good.clone(), good.clone(), good.clone()];
            rows.insert(at, spoiler.clone());
            agrees(&rows);
            agrees(&json!({"k": rows}));
            agrees(&json!([{"a": 0, "k": rows.clone()}]));
            agrees(&json!([{"k": rows.clone(), "a": 0}]));
        }
    }
}

#[test]
fn a_container_after_primitives_turns_an_inline_array_into_a_list() {
    for spoiler in [json!([1]), json!({"a": 1}), json!({}), json!([])] {
        for at in 0..3 {
            let mut items = vec![json!(1), json!("a,b"), json!(null)];
            items.insert(at, spoiler.clone());
            agrees(&items);
            agrees(&json!({"k": items}));
            agrees(&json!([items.clone(), items.clone()]));
        }
    }
    assert_eq!(agrees(&json!({"k": [1, [2]]})), "k[2]:\n  - 1\n  - [1]: 2");
}

#[test]
fn objects_of_objects_may_be_keyed() {
    let text =
        agrees(&json!({"servers": {"a": {"host": "x", "port": 1}, "b": {"host": "y", "port": 2}}}));
    assert_eq!(text, "servers[2:]{host,port}:\n  a: x,1\n  b: y,2");
    agrees(&json!({"a": {"x": 1}, "b": 2}));
    agrees(&json!({"a": {"x": 1}, "b": {"y": 2}}));
    agrees(&json!({"a": {}, "b": {"x": 1}}));
    agrees(&json!([{"m": {"a": {"x": 1}, "b": {"x": 2}}, "n": 1}]));
    agrees(&json!([{"m": {"a": {"x": 1}}, "n": 1}]));
    // Candidates that a later field proves not keyed stream on from there.
    for tail in [
        json!(3),
        json!([1, 2]),
        json!([{"x": 1}]),
        json!({}),
        json!("s"),
    ] {
        let object = json!({"a": {"x": 1}, "b": {"x": 2}, "c": tail, "d": {"x": 3}, "e": 1});
        agrees(&object);
        agrees(&json!({"k": object}));
        agrees(&json!([{"k": object, "j": 1}]));
        agrees(&json!([object, object]));
        agrees(&json!({"k": {"a": {"b": {"c": object}}}}));
    }
}

#[test]
fn keyed_candidates_nest_and_survive_replays_and_flushes() {
    // Keyed inside keyed: the inner object is rewritten first, then the outer one.
    let inner = json!({"p": {"x": 1}, "q": {"x": 2}});
    let text = agrees(&json!({"k": {"a": inner, "b": {"p": {"x": 3}, "q": {"x": 4}}}}));
    assert_eq!(text, "k[2:]{p{x},q{x}}:\n  a: 1,2\n  b: 3,4");
    // The inner one keyed, the outer one not (a primitive, or entries of other keys).
    let text = agrees(&json!({"k": {"a": inner, "b": 1}}));
    assert_eq!(text, "k:\n  a[2:]{x}:\n    p: 1\n    q: 2\n  b: 1");
    agrees(&json!({"k": {"a": inner, "b": {"z": {"x": 1}}}}));
    agrees(&json!({"k": {"a": inner, "b": {"p": {"x": [1]}, "q": {"x": 2}}}}));
    // A first table row proved a list item (by the array after it) is replayed with a
    // keyed candidate inside.
    let text = agrees(&json!([{"a": 1, "g": inner, "z": [1]}, {"a": 2, "g": inner, "z": [2]}]));
    assert!(text.starts_with("[2]:\n  - a: 1\n    g[2:]{x}:\n      p: 1\n      q: 2\n    z[1]: 1"));
    // A keyed object longer than the writer's chunks is not handed out before it ends.
    let servers: serde_json::Map<String, serde_json::Value> = (0..5000)
        .map(|i| {
            (
                format!("s{i}"),
                json!({"host": format!("h{i}.example"), "port": i}),
            )
        })
        .collect();
    let text = agrees(&json!({"servers": servers, "n": 1}));
    assert!(text.starts_with("servers[5000:]{host,port}:\n  s0: h0.example,0\n"));
    let mut near = servers.clone();
    near.insert("last".into(), json!({"host": "x"}));
    let text = agrees(&json!({"servers": near}));
    assert!(text.starts_with("servers:\n  s0:\n    host: h0.example\n"));
}

#[test]
fn a_key_repeated_after_a_keyed_guess_is_kept_or_refused() {
    repeat_is_kept_or_refused(
        &[("a", json!({"x": 1})), ("b", json!(1)), ("a", json!(2))],
        "a",
    );
    repeat_is_kept_or_refused(&[("a", json!({"x": 1})), ("a", json!(1))], "a");
    repeat_is_kept_or_refused(
        &[
            ("a", json!({"x": 1})),
            ("b", json!({"x": 1})),
            ("b", json!([1])),
        ],
        "b",
    );
}

#[test]
fn empty_containers_in_every_position() {
    for empty in [json!([]), json!({})] {
        agrees(&empty);
        agrees(&json!({"k": empty}));
        agrees(&json!([empty]));
        agrees(&json!([empty, 1]));
        agrees(&json!([{"k": empty}]));
        agrees(&json!([{"k": empty, "j": 1}]));
        agrees(&json!([{"j": 1, "k": empty}]));
        agrees(&json!([[empty]]));
    }
}

#[test]
fn typed_values_stream_as_tables_and_lists() {
    #[derive(Serialize)]
    struct Owner<'a> {
        login: &'a str,
        id: u64,
    }
    #[derive(Serialize)]
    struct Repo<'a> {
        id: u64,
        name: &'a str,
        owner: Owner<'a>,
        topics: Vec<&'a str>,
        score: f32,
        kind: Kind,
    }
    #[derive(Serialize)]
    enum Kind {
        Public,
        Fork { of: u32 },
        Mirror(String),
        Pair(u8, u8),
    }
    let repos = vec![
        Repo {
            id: 1,
            name: "a",
            owner: Owner { login: "x", id: 9 },
            topics: vec![],
            score: 0.1,
            kind: Kind::Public,
        },
        Repo {
            id: 2,
            name: "b, c",
            owner: Owner { login: "y", id: 8 },
            topics: vec!["t", "u"],
            score: 2.5,
            kind: Kind::Fork { of: 1 },
        },
        Repo {
            id: 3,
            name: "",
            owner: Owner { login: "-", id: 7 },
            topics: vec!["v"],
            score: -0.0,
            kind: Kind::Mirror("m".into()),
        },
        Repo {
            id: 4,
            name: "d",
            owner: Owner { login: "z", id: 6 },
            topics: vec![],
            score: 1e30,
            kind: Kind::Pair(1, 2),
        },
    ];
    agrees(&repos);
    #[derive(Serialize)]
    struct Row {
        id: u32,
        owner: Option<(u8, u8)>,
    }
    agrees(&[
        Row { id: 1, owner: None },
        Row {
            id: 2,
            owner: Some((1, 2)),
        },
    ]);
    let map: BTreeMap<u32, Vec<u8>> = [(1, vec![1, 2]), (2, vec![])].into();
    agrees(&map);
}

#[test]
fn sequences_of_unknown_length_get_their_count_when_they_end() {
    struct Unknown(Vec<serde_json::Value>);
    impl Serialize for Unknown {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq(self.0.iter().filter(|_| true))
        }
    }
    let rows = Unknown(vec![json!({"a": 1}), json!({"a": 2})]);
    assert_eq!(agrees(&rows), "[2]{a}:\n  1\n  2");
    agrees(&json!({"k": {"x": 1}, "j": 2}));
    #[derive(Serialize)]
    struct Holder {
        first: Unknown,
        second: Unknown,
    }
    let holder = Holder {
        first: Unknown(vec![json!(1), json!([2])]),
        second: Unknown(vec![]),
    };
    agrees(&holder);
    agrees(&[Unknown(vec![json!(1)]), Unknown(vec![json!({"a": [1]})])]);
}

/// A sequence whose declared length is wrong.
struct Lying(usize, usize);

impl Serialize for Lying {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.0))?;
        for i in 0..self.1 {
            seq.serialize_element(&i)?;
        }
        seq.end()
    }
}

#[test]
fn a_sequence_that_lies_about_its_length_is_an_error() {
    for (declared, actual) in [(2, 3), (3, 2), (0, 1), (1, 0)] {
        let err = toon::to_string(&Lying(declared, actual)).expect_err("length mismatch");
        assert_eq!(err.category(), Category::Data, "{err}");
        assert!(err.to_string().contains("declared"), "{err}");
    }
    assert_eq!(toon::to_string(&Lying(2, 2)).unwrap(), "[2]: 0,1");
}

/// A map that yields a key twice loses neither value: the text has the key twice (as
/// `serde_json::to_string` writes it; strict decoding then reports the repeat with its
/// line), or, where the encoder has to build the map before writing it, the call fails.
fn repeat_is_kept_or_refused(pairs: &[(&str, serde_json::Value)], key: &str) {
    match toon::to_string(&MapOf(pairs)) {
        Ok(text) => {
            let lines = text
                .lines()
                .filter(|l| l.trim_start().starts_with(key))
                .count();
            assert!(lines >= 2, "{key} once in {text:?}");
            let err = toon::decode(&text, &toon::DecodeOptions::default())
                .expect_err("strict decoding refuses the repeat");
            assert!(err.line() > 0, "{err}");
        }
        Err(err) => {
            assert_eq!(err.category(), Category::Data, "{err}");
            assert!(err.to_string().contains("twice"), "{err}");
        }
    }
}

#[test]
fn a_map_key_given_twice_is_kept_or_refused_never_dropped() {
    repeat_is_kept_or_refused(&[("a", json!(1)), ("b", json!(2)), ("a", json!(3))], "a");
    let keys: Vec<String> = (0..500).map(|i| format!("k{i}")).collect();
    let mut pairs: Vec<(&str, serde_json::Value)> =
        keys.iter().map(|k| (k.as_str(), json!(1))).collect();
    pairs.push(("k3", json!(2)));
    repeat_is_kept_or_refused(&pairs, "k3:");
    // A keyed candidate (its first value is an object) is written as it comes too: the
    // repeat is kept, and the text, which does not read back, is not made keyed.
    let pairs = [("a", json!({"x": 1})), ("a", json!({"x": 2}))];
    assert_eq!(
        toon::to_string(&MapOf(&pairs)).unwrap(),
        "a:\n  x: 1\na:\n  x: 2"
    );
    repeat_is_kept_or_refused(&pairs, "a:");
    // In table rows, where the row no longer matches the header.
    let rows = [
        MapOf(&[("a", json!(1)), ("b", json!(1))]),
        MapOf(&[("a", json!(1)), ("a", json!(1))]),
    ];
    assert!(toon::to_string(&rows).is_err());
    let rows = [MapOf(&[("a", json!(1)), ("a", json!(1))])];
    assert!(toon::to_string(&rows).is_err());
}

struct MapOf<'a>(&'a [(&'a str, serde_json::Value)]);

impl Serialize for MapOf<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

#[test]
fn to_writer_streams_large_documents_in_chunks() {
    // Large lists flush as they go; a large table is held until it is known to be one.
    let big = json!({
        "list": (0..5000).map(|i| json!({"id": i, "tags": [i, "t"]})).collect::<Vec<_>>(),
        "table": (0..5000).map(|i| json!({"id": i, "name": format!("n{i}")})).collect::<Vec<_>>(),
        "broken": (0..5000).map(|i| if i == 4999 { json!({"id": [i]}) } else { json!({"id": i}) }).collect::<Vec<_>>(),
    });
    agrees(&big);
    struct Chunks(Vec<usize>, Vec<u8>);
    impl std::io::Write for Chunks {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.push(buf.len());
            self.1.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut chunks = Chunks(Vec::new(), Vec::new());
    toon::to_writer(&mut chunks, &big).unwrap();
    assert!(chunks.0.len() > 2, "{:?}", chunks.0);
    assert_eq!(
        String::from_utf8(chunks.1).unwrap(),
        toon::to_string(&big).unwrap()
    );
}

/// JSON text through `toon::transcode` (every array of unknown length) gives the text of
/// the parsed value, encoded.
fn transcodes(json: &str) -> String {
    let value: toon::Value = serde_json::from_str(json).expect("JSON");
    for delimiter in [Delimiter::Comma, Delimiter::Tab, Delimiter::Pipe] {
        for indent in [2, 4] {
            let options = EncodeOptions::new()
                .with_delimiter(delimiter)
                .with_indent(indent);
            let expected = toon::encode(&value, &options).expect("encode");
            let mut reader = serde_json::Deserializer::from_str(json);
            let text = toon::transcode(&mut reader, &options).expect("transcode");
            reader.end().expect("no trailing text");
            assert_eq!(text, expected, "{delimiter} indent {indent}: {json}");
        }
    }
    let mut reader = serde_json::Deserializer::from_str(json);
    toon::transcode(&mut reader, &EncodeOptions::default()).unwrap()
}

#[test]
fn json_transcodes_without_a_value() {
    assert_eq!(
        transcodes(r#"{"users":[{"id":1,"name":"Ada"},{"id":2,"name":"Bo"}]}"#),
        "users[2]{id,name}:\n  1,Ada\n  2,Bo"
    );
    assert_eq!(transcodes("[]"), "[]");
    assert_eq!(transcodes(r#"{"a":[]}"#), "a: []");
    assert_eq!(transcodes("[[]]"), "[1]:\n  - [0]:");
    assert_eq!(transcodes(r#"[{"a":[]}]"#), "[1]:\n  - a: []");
    assert_eq!(transcodes(r#""\ufefftext""#), "\"\u{feff}text\"");
    for json in [
        r#"[1,[2,[3,[4]]],{"a":[5,{"b":[]}]}]"#,
        r#"{"k":[{"a":1,"b":[1,2]},{"a":2,"b":[]}],"m":{"x":{"y":1},"z":{"y":2}}}"#,
        r#"[{"a":1,"b":2},{"b":3,"a":4}]"#,
        r#"{"a":{"x":1},"b":{"x":2},"c":[1,2,3]}"#,
        r#"[1.5,-0.0,1e300,18446744073709551615,-9223372036854775808,"x,y","",null,true]"#,
        r#"{"s":"esc\"aped\n","t":"\u00e9t\u00e9"}"#,
    ] {
        transcodes(json);
    }
    let big: Vec<serde_json::Value> = (0..3000)
        .map(|i| json!({"id": i, "tags": ["a", i], "o": {"k": i}}))
        .collect();
    transcodes(&serde_json::to_string(&json!({"rows": big, "n": 1})).unwrap());
}

#[test]
fn transcode_errors_say_which_side_failed() {
    let mut reader = serde_json::Deserializer::from_str("{\n  \"a\": [1, x]\n}");
    match toon::transcode(&mut reader, &EncodeOptions::default()) {
        Err(toon::TranscodeError::Input(e)) => assert_eq!((e.line(), e.column()), (2, 12)),
        other => panic!("{other:?}"),
    }
    let deep = format!("{}1{}", "[".repeat(100), "]".repeat(100));
    let options = EncodeOptions::new().with_max_depth(50);
    let mut reader = serde_json::Deserializer::from_str(&deep);
    match toon::transcode(&mut reader, &options) {
        Err(toon::TranscodeError::Encode(e)) => assert_eq!(e.category(), Category::Limit),
        other => panic!("{other:?}"),
    }
}
