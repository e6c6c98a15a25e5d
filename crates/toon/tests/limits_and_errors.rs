//! Error shape (category, line, column, snippet) and the documented limits: nesting depth
//! is an error rather than a stack overflow, and a declared `[N]` never drives allocation.

use toon::{Category, DEFAULT_MAX_DEPTH, DecodeOptions, EncodeOptions, Map, Value};

fn decode(text: &str) -> toon::Result<Value<'_>> {
    toon::decode(text, &DecodeOptions::default())
}

#[test]
fn error_display_is_one_line_and_the_caret_is_the_snippet() {
    let err = decode("a: 1\nrows[1]{x,y,z}:\n  1,2").unwrap_err();
    assert_eq!(err.category(), Category::Width);
    assert_eq!(err.category().as_str(), "width");
    assert_eq!((err.line(), err.column()), (3, 3));
    assert_eq!(
        err.to_string(),
        "3:3: expected 3 tabular row values, but got 2"
    );
    assert_eq!(err.snippet().as_deref(), Some("  1,2\n  ^"));
    assert_eq!(err.source_line(), Some("  1,2"));
}

#[test]
fn category_spellings_are_snake_case_and_distinct() {
    let all = [
        Category::Syntax,
        Category::Indentation,
        Category::Count,
        Category::Width,
        Category::DuplicateKey,
        Category::Structure,
        Category::Limit,
        Category::Data,
        Category::Options,
        Category::Io,
    ];
    let names: std::collections::HashSet<&str> = all.iter().map(|c| c.as_str()).collect();
    assert_eq!(names.len(), all.len());
    assert_eq!(Category::DuplicateKey.as_str(), "duplicate_key");
    assert_eq!(Category::DuplicateKey.to_string(), "duplicate_key");
}

#[test]
fn snippets_of_other_inputs_use_the_same_caret() {
    // A JSON parser's position, say: the same window and caret as a TOON error's.
    let text = "{\n\t\"a\": x\r\n}";
    assert_eq!(
        toon::snippet(text, 2, 7).as_deref(),
        Some("\t\"a\": x\n\t     ^")
    );
    let long = format!("{}x", "a".repeat(500));
    let snippet = toon::snippet(&long, 1, 501).unwrap();
    assert!(
        snippet.starts_with('…') && snippet.ends_with('^'),
        "{snippet}"
    );
    assert!(snippet.chars().count() < 200 * 2, "{snippet}");
    assert_eq!(toon::snippet(text, 9, 1), None);
}

#[test]
fn caret_copies_tabs_so_it_lines_up() {
    let err = toon::decode("a:\n\tb: \"x", &DecodeOptions::new().with_strict(false)).unwrap_err();
    assert_eq!(err.category(), Category::Syntax);
    assert_eq!(err.snippet().as_deref(), Some("\tb: \"x\n\t   ^"));
}

#[test]
fn columns_count_characters_not_bytes() {
    let err = decode("名前: \"\\q\"").unwrap_err();
    assert_eq!((err.line(), err.column()), (1, 6));
}

#[test]
fn categories_of_common_mistakes() {
    let cases = [
        ("a:\n   b: 1", Category::Indentation),
        ("a:\n\tb: 1", Category::Indentation),
        ("a:\n    b: 1", Category::Indentation),
        ("a[2]: 1", Category::Count),
        ("a: 1\na: 2", Category::DuplicateKey),
        ("a[2:]{x}", Category::Syntax),
        ("a: \"x", Category::Syntax),
        ("a:\n  stray", Category::Structure),
        ("[1]: x\nb: 2", Category::Structure),
    ];
    for (text, category) in cases {
        let err = decode(text).unwrap_err();
        assert_eq!(err.category(), category, "{text:?}: {err}");
        assert!(
            err.line() >= 1 && err.column() >= 1,
            "{text:?} has a location"
        );
    }
}

#[test]
fn invalid_utf8_is_located() {
    let err = toon::decode_slice(b"a: 1\nb: x\xffy", &DecodeOptions::default()).unwrap_err();
    assert_eq!(err.category(), Category::Syntax);
    assert_eq!((err.line(), err.column()), (2, 5));
}

#[test]
fn indent_zero_is_rejected_both_ways() {
    let err = toon::encode(&Value::from(1), &EncodeOptions::new().with_indent(0)).unwrap_err();
    assert_eq!(err.category(), Category::Options);
    let err = toon::decode("a: 1", &DecodeOptions::new().with_indent(0)).unwrap_err();
    assert_eq!(err.category(), Category::Options);
}

/// `levels` nested objects: `k:` lines each one level deeper, ending in `k: 1`.
fn nested_objects(levels: usize) -> String {
    let mut text = String::new();
    for depth in 0..levels {
        text.push_str(&"  ".repeat(depth));
        text.push_str("k:\n");
    }
    text.push_str(&"  ".repeat(levels));
    text.push_str("k: 1");
    text
}

#[test]
fn decode_depth_limit_is_an_error_not_a_stack_overflow() {
    // The limit counts containers; the root object is one of them.
    assert!(decode(&nested_objects(DEFAULT_MAX_DEPTH - 1)).is_ok());
    let err = decode(&nested_objects(DEFAULT_MAX_DEPTH)).unwrap_err();
    assert_eq!(err.category(), Category::Limit);
    assert_eq!(err.line(), DEFAULT_MAX_DEPTH);

    // List items nest without indentation growth per level on the hyphen line.
    let mut list = String::from("a[1]:\n");
    for depth in 1..5_000 {
        list.push_str(&"  ".repeat(depth));
        list.push_str("- [1]:\n");
    }
    let err = decode(&list).unwrap_err();
    assert_eq!(err.category(), Category::Limit);

    // A custom limit applies.
    let err =
        toon::decode(&nested_objects(10), &DecodeOptions::new().with_max_depth(5)).unwrap_err();
    assert_eq!(err.category(), Category::Limit);
}

#[test]
fn deep_field_groups_in_one_header_are_limited() {
    let mut header = String::from("a[1]");
    for _ in 0..10_000 {
        header.push_str("{x");
    }
    header.push_str(&"}".repeat(10_000));
    header.push(':');
    assert_eq!(decode(&header).unwrap_err().category(), Category::Syntax);
}

#[test]
fn encode_depth_limit_is_an_error() {
    let mut value = Value::from(1);
    for _ in 0..1_000 {
        let mut map = Map::new();
        map.insert("k", value);
        value = Value::Object(map);
    }
    let err = toon::encode(&value, &EncodeOptions::default()).unwrap_err();
    assert_eq!(err.category(), Category::Limit);
    assert!(toon::encode(&value, &EncodeOptions::new().with_max_depth(2_000)).is_ok());
}

#[test]
fn huge_declared_lengths_cost_nothing_and_never_wrap() {
    for n in [
        "18446744073709551617",
        "18446744073709551616",
        "4294967295",
        "99999999999999999999999999",
    ] {
        let inline = format!("a[{n}]: 1");
        assert_eq!(
            decode(&inline).unwrap_err().category(),
            Category::Count,
            "{n}"
        );
        let lenient = toon::decode(&inline, &DecodeOptions::new().with_strict(false)).unwrap();
        assert_eq!(
            lenient.get("a").and_then(Value::as_array).map(Vec::len),
            Some(1)
        );

        let table = format!("a[{n}]{{x}}:\n  1");
        assert_eq!(
            decode(&table).unwrap_err().category(),
            Category::Count,
            "{n}"
        );
        let list = format!("[{n}]:\n  - 1");
        assert_eq!(
            decode(&list).unwrap_err().category(),
            Category::Count,
            "{n}"
        );
    }
}

#[test]
fn writer_variant_matches_string_variant() {
    let json = r#"{"users":[{"id":1,"name":"Ada"},{"id":2,"name":"Bo, Jr."}],"tags":["a","b"],"n":{"x":{"p":1},"y":{"p":2}}}"#;
    let value: Value = serde_json::from_str(json).unwrap();
    for options in [
        EncodeOptions::default(),
        EncodeOptions::new()
            .with_indent(4)
            .with_delimiter(toon::Delimiter::Pipe),
    ] {
        let text = toon::encode(&value, &options).unwrap();
        let mut bytes = Vec::new();
        toon::encode_to_writer(&value, &options, &mut bytes).unwrap();
        assert_eq!(String::from_utf8(bytes).unwrap(), text);
    }
}

#[test]
fn writer_errors_are_reported() {
    struct Broken;
    impl std::io::Write for Broken {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk full"))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let err =
        toon::encode_to_writer(&Value::from("x"), &EncodeOptions::default(), Broken).unwrap_err();
    assert_eq!(err.category(), Category::Io);
    assert!(std::error::Error::source(&err).is_some());
    // The serde path hands text over in chunks while it serializes: the first failing
    // write stops it.
    let rows: Vec<(u32, Vec<u32>)> = (0..20_000).map(|i| (i, vec![i])).collect();
    let err = toon::to_writer(Broken, &rows).unwrap_err();
    assert_eq!(err.category(), Category::Io);
}

#[test]
fn unescaped_strings_are_borrowed() {
    let text = "name: Ada\nnote: \"a\\nb\"\ntags[2]: x,\"y\"\nrows[1]{k}:\n  v";
    let value = decode(text).unwrap();
    let borrowed = |v: &Value<'_>| matches!(v, Value::String(std::borrow::Cow::Borrowed(_)));
    assert!(borrowed(value.get("name").unwrap()));
    assert!(!borrowed(value.get("note").unwrap()));
    let tags = value.get("tags").and_then(Value::as_array).unwrap();
    assert!(tags.iter().all(borrowed));
    let row = &value.get("rows").and_then(Value::as_array).unwrap()[0];
    assert!(borrowed(row.get("k").unwrap()));
}

#[test]
fn errors_on_huge_lines_keep_a_window_not_the_line() {
    let text = format!("k: \"{}", "a".repeat(1_000_000));
    let err = decode(&text).unwrap_err();
    assert_eq!((err.line(), err.column()), (1, 4));
    assert!(err.to_string().len() < 400, "{}", err.to_string().len());
    let snippet = err.snippet().unwrap();
    let (line, caret) = snippet.split_once('\n').unwrap();
    assert!(line.starts_with("k: \"aaa") && line.ends_with('…'));
    assert_eq!(caret, "   ^");

    // A column far into the line: the window is centred on it, the caret still under it.
    let text = format!("k[2]: {},\"x", "1,".repeat(200_000));
    let err = decode(&text).unwrap_err();
    let snippet = err.snippet().unwrap();
    let (line, caret) = snippet.split_once('\n').unwrap();
    assert!(line.starts_with('…') && line.chars().count() <= 162);
    assert_eq!(line.chars().nth(caret.len() - 1), Some('"'));
}
