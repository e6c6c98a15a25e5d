//! Encoder behaviour for spec 4.1–4.4 rules beyond the fixture set: combining marks after
//! structural characters, a root string starting with U+FEFF, literal DEL/U+0085/U+2028,
//! lowercase `\u00xx` escapes, keyed and tabular first fields of list items, arrays in list
//! items never tabular, keyed-eligible objects as columns, delimiter-dependent quoting.
//! Expected texts come from @toon-format/toon 4.4.0.

use toon::{Delimiter, EncodeOptions, Value};

/// (input JSON, indent, delimiter, expected TOON)
const CASES: &[(&str, usize, Delimiter, &str)] = &[
    // Regression: an empty array as a list item declares the delimiter too.
    ("[[]]", 2, Delimiter::Pipe, "[1|]:\n  - [0|]:"),
    (
        "[[], [1, 2]]",
        2,
        Delimiter::Tab,
        "[2\t]:\n  - [0\t]:\n  - [2\t]: 1\t2",
    ),
    (
        "{\"a\": \"x,́y\", \"b\": \"-́\", \"c\": \"#́\", \"d\": \"x:́\"}",
        2,
        Delimiter::Comma,
        "a: \"x,́y\"\nb: \"-́\"\nc: \"#́\"\nd: \"x:́\"",
    ),
    ("\"\u{feff}8\"", 2, Delimiter::Comma, "\"\u{feff}8\""),
    ("\"\u{feff}x\"", 2, Delimiter::Comma, "\"\u{feff}x\""),
    ("\"true\"", 2, Delimiter::Comma, "\"true\""),
    ("\"\"", 2, Delimiter::Comma, "\"\""),
    ("{}", 2, Delimiter::Comma, ""),
    ("[]", 2, Delimiter::Comma, "[]"),
    ("{\"s\": \"abc d\"}", 2, Delimiter::Comma, "s: abc d"),
    (
        "{\"s\": \"\\b\\f\\u001f\\u0004\"}",
        2,
        Delimiter::Comma,
        "s: \"\\u0008\\u000c\\u001f\\u0004\"",
    ),
    ("{\"e\": \"a,🚀\"}", 2, Delimiter::Comma, "e: \"a,🚀\""),
    (
        "{\"items\": [{\"config\": {\"a\": {\"x\": 1}, \"b\": {\"x\": 2}}, \"n\": 1}]}",
        2,
        Delimiter::Comma,
        "items[1]{config{a{x},b{x}},n}:\n  1,2,1",
    ),
    (
        "{\"items\": [{\"users\": [{\"id\": 1}, {\"id\": 2}], \"note\": \"x\"}]}",
        2,
        Delimiter::Comma,
        "items[1]:\n  - users[2]{id}:\n      1\n      2\n    note: x",
    ),
    (
        "{\"a\": [[{\"x\": 1}, {\"x\": 2}]]}",
        2,
        Delimiter::Comma,
        "a[1]:\n  - [2]:\n    - x: 1\n    - x: 2",
    ),
    (
        "{\"a\": [{\"t\": {\"p\": {\"x\": 1}, \"q\": {\"x\": 2}}, \"other\": 9}]}",
        2,
        Delimiter::Comma,
        "a[1]{t{p{x},q{x}},other}:\n  1,2,9",
    ),
    (
        "[{\"a\": 1, \"b\": 2, \"c\": 3}, {\"c\": 30, \"b\": 20, \"a\": 10}]",
        2,
        Delimiter::Comma,
        "[2]{a,b,c}:\n  1,2,3\n  10,20,30",
    ),
    (
        "[{\"a\": 1}, {\"c\": 30, \"b\": 20, \"a\": 10}]",
        2,
        Delimiter::Comma,
        "[2]:\n  - a: 1\n  - c: 30\n    b: 20\n    a: 10",
    ),
    (
        "{\"items\": [{}, {}]}",
        2,
        Delimiter::Comma,
        "items[2]:\n  -\n  -",
    ),
    (
        "{\"a\": {\"x\": {\"p\": 1}, \"y\": {\"p\": 2}}}",
        2,
        Delimiter::Pipe,
        "a[2:|]{p}:\n  x: 1\n  y: 2",
    ),
    (
        "{\"a\": {\"x\": {\"p\": 1}}}",
        2,
        Delimiter::Comma,
        "a:\n  x:\n    p: 1",
    ),
    (
        "{\"a\": {\"x\": {\"p\": 1}, \"y\": {\"q\": 2}}}",
        2,
        Delimiter::Comma,
        "a:\n  x:\n    p: 1\n  y:\n    q: 2",
    ),
    (
        "{\"a\": {\"x\": {\"p\": 1}, \"y\": 2}}",
        2,
        Delimiter::Comma,
        "a:\n  x:\n    p: 1\n  y: 2",
    ),
    (
        "{\"a\": {\"x\": {\"p\": [1]}, \"y\": {\"p\": [2]}}}",
        2,
        Delimiter::Comma,
        "a:\n  x:\n    p[1]: 1\n  y:\n    p[1]: 2",
    ),
    (
        "{\"a\": {\"x\": {\"p\": {}}, \"y\": {\"p\": {}}}}",
        2,
        Delimiter::Comma,
        "a:\n  x:\n    p:\n  y:\n    p:",
    ),
    (
        "{\"pairs\": [[\"a\", \"b|c\"]]}",
        2,
        Delimiter::Pipe,
        "pairs[1|]:\n  - [2|]: a|\"b|c\"",
    ),
    (
        "{\"items\": [\"x|y\", \"p,q\"]}",
        2,
        Delimiter::Pipe,
        "items[2|]: \"x|y\"|p,q",
    ),
    (
        "{\"t\": [\"a\\tb\", \"c\"]}",
        2,
        Delimiter::Tab,
        "t[2\t]: \"a\\tb\"\tc",
    ),
    (
        "{\"k\": [{\"a\": \"x\\ty\", \"b\": 1}]}",
        2,
        Delimiter::Tab,
        "k[1\t]{a\tb}:\n  \"x\\ty\"\t1",
    ),
    (
        "{\"n\": [1e+21, 1e-07, 5e-324, 1.5e+300, 0.1, -0.0, 1e+20, 1e-06, 123456789012345680000]}",
        2,
        Delimiter::Comma,
        "n[9]: 1e+21,1e-7,5e-324,1.5e+300,0.1,0,100000000000000000000,0.000001,123456789012345680000",
    ),
    (
        "{\"123\": 3, \"x-items\": [{\"id\": 1, \"name\": \"a\"}], \"café\": 1, \"\": 2, \"a b\": 4, \"a.b\": 5, \"_x\": 6}",
        2,
        Delimiter::Comma,
        "\"123\": 3\n\"x-items\"[1]{id,name}:\n  1,a\n\"café\": 1\n\"\": 2\n\"a b\": 4\na.b: 5\n_x: 6",
    ),
    (
        "{\"m\": [[], [1], [[]]]}",
        2,
        Delimiter::Comma,
        "m[3]:\n  - [0]:\n  - [1]: 1\n  - [1]:\n    - [0]:",
    ),
    (
        "{\"first\": [{\"data\": [], \"b\": 1}, {\"data\": {}}]}",
        2,
        Delimiter::Comma,
        "first[2]:\n  - data: []\n    b: 1\n  - data:",
    ),
    (
        "{\"a\": [{\"k\": [[1, 2], [3]]}]}",
        4,
        Delimiter::Comma,
        "a[1]:\n    - k[2]:\n            - [2]: 1,2\n            - [1]: 3",
    ),
    (
        "{\"root\": [1, [2, {\"x\": 1}], {\"y\": []}, []]}",
        4,
        Delimiter::Comma,
        "root[4]:\n    - 1\n    - [2]:\n        - 2\n        - x: 1\n    - y: []\n    - [0]:",
    ),
    (
        "{\"o\": [{\"c\": {\"n\": \"x\", \"k\": {\"z\": 1}}, \"id\": 1}, {\"c\": {\"n\": \"y\", \"k\": {\"z\": 2}}, \"id\": 2}]}",
        2,
        Delimiter::Comma,
        "o[2]{c{n,k{z}},id}:\n  x,1,1\n  y,2,2",
    ),
    (
        "{\"col\": [{\"a\": null, \"b\": {\"x\": 1}}, {\"a\": null, \"b\": null}]}",
        2,
        Delimiter::Comma,
        "col[2]:\n  - a: null\n    b:\n      x: 1\n  - a: null\n    b: null",
    ),
];

#[test]
fn encoder_rules_match_the_reference() {
    let mut failures = Vec::new();
    for (index, (json, indent, delimiter, expected)) in CASES.iter().enumerate() {
        let value: Value = serde_json::from_str(json).expect("case JSON parses");
        let options = EncodeOptions::new()
            .with_indent(*indent)
            .with_delimiter(*delimiter);
        let got = toon::encode(&value, &options).expect("encodes");
        if got != *expected {
            failures.push(format!(
                "#{index} {json}\nexpected:\n{expected}\ngot:\n{got}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n\n")
    );
}

#[test]
fn exact_integers_beyond_two_to_the_53_are_kept() {
    // A documented deviation from the reference, whose numbers are doubles: we keep u64/i64
    // exact (the reference would print 9007199254740992).
    let value: Value = serde_json::from_str(
        r#"{"n":9007199254740993,"m":-9223372036854775808,"u":18446744073709551615}"#,
    )
    .unwrap();
    let text = toon::encode(&value, &EncodeOptions::default()).unwrap();
    assert_eq!(
        text,
        "n: 9007199254740993\nm: -9223372036854775808\nu: 18446744073709551615"
    );
}
