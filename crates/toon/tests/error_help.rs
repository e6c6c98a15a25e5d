//! What a retry loop gets from a decode error besides its place: the path of the value
//! being read and a one-sentence hint for the model that wrote the text.

use toon::DecodeOptions;

fn error(text: &str) -> toon::Error {
    toon::decode(text, &DecodeOptions::default()).unwrap_err()
}

#[test]
fn paths_name_keys_and_elements() {
    let cases = [
        ("users[2]{id,name}:\n  1,Ada,x\n  2,Bo", Some("users[0]")),
        ("a:\n  b[3]: 1,2", Some("a.b")),
        ("users[3]{id}:\n  1\n  2\nn: 1", Some("users")),
        (
            "cfg:\n  \"a b\":\n    list[2]:\n      - 1\n      - x: 1\n        x: 2",
            Some("cfg[\"a b\"].list[1]"),
        ),
        ("l[2]:\n  - r[2]{a}:\n      1\n  - 2", Some("l[0].r")),
        ("a: \"open", None),
    ];
    for (text, path) in cases {
        assert_eq!(error(text).path(), path, "{text:?}");
    }
}

#[test]
fn hints_say_how_to_fix_the_text() {
    let width = error("rows[1]{a,b}:\n  1,2,3");
    assert_eq!(
        width.hint(),
        Some(
            "this row has 3 values but the header declares 2 fields; quote values that contain the delimiter"
        )
    );
    let short = error("rows[1]{a,b}:\n  1\nx: 1");
    assert!(
        short
            .hint()
            .unwrap()
            .contains("write an empty value as \"\""),
        "{:?}",
        short.hint()
    );
    let count = error("users[3]{id}:\n  1\n  2\nn: 1");
    assert_eq!(
        count.hint(),
        Some("make [3] equal the number of tabular rows that follow the header (2)")
    );
    // Every decode error has one, including those of the line reader.
    for text in [
        "a:\n\tb: 1",
        "a: \"x",
        "a: \"\\q\"",
        "a\nb",
        "a: 1\na: 2",
        "x:\n   y: 1",
    ] {
        let e = error(text);
        assert!(e.hint().is_some_and(|h| !h.is_empty()), "{text:?}: {e}");
    }
}

#[test]
fn streamed_events_carry_the_same_help() {
    let text = "users[2]{id,name}:\n  1,Ada,x\n  2,Bo";
    let streamed = toon::decode_events(text, &DecodeOptions::default())
        .unwrap()
        .find_map(Result::err)
        .unwrap();
    let whole = error(text);
    assert_eq!(
        (streamed.path(), streamed.hint()),
        (whole.path(), whole.hint())
    );
}

#[test]
fn errors_say_what_was_expected_and_what_was_found() {
    let cases: &[(&str, Option<&str>, Option<&str>)] = &[
        (
            "users[2]{id,name}:\n  1,Ada,x\n  2,Bo",
            Some("2 tabular row values"),
            Some("3"),
        ),
        ("tags[3]: a,b", Some("3 inline-form values"), Some("2")),
        (
            "a: 1\n   b: 2",
            Some("a multiple of 2 spaces"),
            Some("3 spaces"),
        ),
        (
            "a: \"open",
            Some("a closing \" on the same line"),
            Some("the end of the line"),
        ),
        (
            "a: 1\na: 2",
            Some("a key not yet in this object"),
            Some("\"a\" again"),
        ),
        ("a:\n\tb: 1", Some("spaces"), Some("a tab")),
        ("a: \"x\\q\"", None, Some("`\\q\"`")),
        ("rows[2: 1,2", Some("`]`"), Some("a space")),
        ("a[2]{x,y}: 1", None, Some("`1`")),
    ];
    for (text, expected, found) in cases {
        let error = toon::decode(text, &DecodeOptions::default()).unwrap_err();
        assert_eq!(
            (error.expected(), error.found()),
            (*expected, *found),
            "{text:?}: {error}"
        );
    }
    // A cut: what is missing, and the end of the text.
    let cut = toon::repair("users[3]{id}:\n  1", &toon::RepairOptions::new())
        .unwrap()
        .truncated
        .unwrap()
        .to_error();
    assert_eq!(
        cut.expected(),
        Some("users: 3 tabular rows declared, 1 read")
    );
    assert_eq!(cut.found(), Some("the end of the text"));
}
