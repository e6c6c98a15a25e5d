//! Decoder behaviour for the spec 4.1–4.4 rules that the official fixture set does not
//! (yet) cover: the tricky cases listed in the implementer digest (§20), each expectation
//! checked against the reference implementation @toon-format/toon 4.4.0, which follows the
//! 4.4 text. `None` means the document must be rejected.

use serde::Deserialize as _;
use toon::{DecodeOptions, Value};

/// (input, strict, expected JSON or `None` for an error)
const CASES: &[(&str, bool, Option<&str>)] = &[
    ("a[2:]{x}", true, None),
    ("a[2:]{x}\n  k: 1", true, None),
    ("foo [2]: a,b", true, None),
    ("t\t[2]: a,b", true, None),
    ("n\u{a0}[1]: y", true, Some("{\"n\u{a0}\":[\"y\"]}")),
    (
        "items[2]:\n  -   a\n  -   b: 1",
        true,
        Some("{\"items\":[\"a\",{\"b\":1}]}"),
    ),
    (
        "items[1]:\n  - a: 1\n    - y: 2",
        true,
        Some("{\"items\":[{\"a\":1,\"- y\":2}]}"),
    ),
    (
        "t[2]{a,b}:\n  - y,2\n  3,4",
        true,
        Some("{\"t\":[{\"a\":\"- y\",\"b\":2},{\"a\":3,\"b\":4}]}"),
    ),
    (": 1", true, Some("{\"\":1}")),
    ("a:\n  : 2", true, Some("{\"a\":{\"\":2}}")),
    ("a\"b:c\"d: 1", true, Some("{\"a\\\"b:c\\\"d\":1}")),
    ("e\"[1]:\"f: 2", true, Some("{\"e\\\"[1]:\\\"f\":2}")),
    (
        "a\"b\"[2]: x,y",
        true,
        Some("{\"a\\\"b\\\"\":[\"x\",\"y\"]}"),
    ),
    ("a\\: b", true, Some("{\"a\\\\\":\"b\"}")),
    (
        "k[2]: a\"b,c\",d",
        true,
        Some("{\"k\":[\"a\\\"b,c\\\"\",\"d\"]}"),
    ),
    ("- a: 1", true, Some("{\"- a\":1}")),
    ("- [2]: a,b", true, None),
    ("a:\n  [2]: 1,2", true, None),
    ("a: 1\n[2]: x,y", true, None),
    ("x[2]:\n  - [2]{x}:\n      1\n      2\n  - 1", true, None),
    (
        "items[1]:\n  - [2:]{v}:\n      a: 1\n      b: 2",
        true,
        None,
    ),
    (
        "a[3]:\n  - [2]\n  - a[2]{x,x}\n  - [1,2,3]",
        true,
        Some("{\"a\":[\"[2]\",\"a[2]{x,x}\",\"[1,2,3]\"]}"),
    ),
    ("items[2]", true, Some("\"items[2]\"")),
    ("[2]", true, Some("\"[2]\"")),
    ("- [2]", true, Some("\"- [2]\"")),
    ("k: \"x\"  ", true, Some("{\"k\":\"x\"}")),
    ("k: \"a\"\t", true, None),
    ("a: \"x\" z", true, None),
    ("\"a\" : 1", true, Some("{\"a\":1}")),
    ("a : 1", true, Some("{\"a\":1}")),
    ("\"a\"b: 1", true, None),
    ("a[2]: 1,2\n\n", true, Some("{\"a\":[1,2]}")),
    ("a:\n\n  b: 1", true, Some("{\"a\":{\"b\":1}}")),
    ("a[2]:\n  - 1\n\n  - 2", true, None),
    ("a[2]:\n\n  - 1\n  - 2", true, Some("{\"a\":[1,2]}")),
    ("a[1]{x}:\n  1,2", true, None),
    ("m[1:]{a,b}:\n  k: 1", true, None),
    ("m[1:]{v}:\n  k:", true, None),
    (
        "m[2:]{v}:\n  a,b: 5\n  k[2]: 6",
        true,
        Some("{\"m\":{\"a,b\":{\"v\":5},\"k[2]\":{\"v\":6}}}"),
    ),
    (
        "m[1:]{v}:\n  alice: []",
        true,
        Some("{\"m\":{\"alice\":{\"v\":\"[]\"}}}"),
    ),
    ("t[1]{v}:\n  []", true, Some("{\"t\":[{\"v\":\"[]\"}]}")),
    ("a[1]: []", true, Some("{\"a\":[\"[]\"]}")),
    ("a: []", true, Some("{\"a\":[]}")),
    ("a[0]{x,}:", true, None),
    ("a[0]{b {c}}:", true, None),
    ("a[0]{x,{y}}:", true, None),
    ("a[0]{}:", true, None),
    ("a[0]{n{}}:", true, None),
    ("items[0]{a,a}:", true, None),
    ("a[1]{x:y}:\n  1", true, Some("{\"a\":[{\"x:y\":1}]}")),
    ("a[2|]{x,y}:\n  1|2", true, None),
    ("a[03]: 1", true, None),
    ("a[]: 1", true, None),
    ("a[-1]: 1", true, None),
    ("a[1e1]: 1", true, None),
    ("a[#2]: 1", true, None),
    ("a[2] : 1,2", true, None),
    ("a[2]{a} :", true, None),
    ("a[1][bar]: 10", true, None),
    ("a[2]extra: 1,2", true, None),
    ("m[2:]:\n  a: 1", true, None),
    ("a[2|:]{x}:", true, None),
    ("a[2 :]{x}:", true, None),
    ("a[2:,]{x}:", true, None),
    ("a[18446744073709551617]: 1", true, None),
    ("a[99999999999999999999]: 1", true, None),
    ("\u{feff}a: 1", true, Some("{\"a\":1}")),
    ("\u{feff}\u{feff}a: 1", true, Some("{\"\u{feff}a\":1}")),
    ("a: x\r\r\n", true, Some("{\"a\":\"x\\r\"}")),
    ("a: 1\r\nb: 2\r\n", true, Some("{\"a\":1,\"b\":2}")),
    ("  a: 1", true, None),
    ("#hello", true, Some("{}")),
    ("# c\n\n", true, Some("{}")),
    ("a:\n  # c\n  b: 1", true, Some("{\"a\":{\"b\":1}}")),
    ("\t# x", true, None),
    (
        "msg: hello # world",
        true,
        Some("{\"msg\":\"hello # world\"}"),
    ),
    ("- #x", true, Some("\"- #x\"")),
    ("a[2]:\n  - #x\n  - y", true, Some("{\"a\":[\"#x\",\"y\"]}")),
    ("t[2]{a}:\n  #1\n  2", true, None),
    ("matches: ", true, Some("{\"matches\":{}}")),
    (
        "a:\n  b:\n    c: 1\n  d: 2",
        true,
        Some("{\"a\":{\"b\":{\"c\":1},\"d\":2}}"),
    ),
    ("k: v\t", true, Some("{\"k\":\"v\\t\"}")),
    (
        "items[2]: a,\tb",
        true,
        Some("{\"items\":[\"a\",\"\\tb\"]}"),
    ),
    ("k: \u{a0}v", true, Some("{\"k\":\"\u{a0}v\"}")),
    ("x: 1\n  y: 2", true, None),
    ("items[2]:\n  - a\n  x: 1", true, None),
    ("a:\n  user", true, None),
    ("hello\nworld", true, None),
    ("hello", true, Some("\"hello\"")),
    ("\"quoted\"", true, Some("\"quoted\"")),
    ("42", true, Some("42")),
    ("[]", true, Some("[]")),
    ("[]\na: 1", true, None),
    ("[1]: x\ny: 2", true, None),
    ("[2:]{a}:\n  x: 1\n  y: 2\nz: 3", true, None),
    ("items[2]{a,b}:\n  1,2\n  c: 3,4", true, None),
    (
        "items[1]{a,b}:\n  1,2\nx: 3,4",
        true,
        Some("{\"items\":[{\"a\":1,\"b\":2}],\"x\":\"3,4\"}"),
    ),
    ("t[2]{n}:\n  1,a:b\n  2", true, None),
    (
        "t[1]{a,b}:\n  \"[2]: x\",1",
        true,
        Some("{\"t\":[{\"a\":\"[2]: x\",\"b\":1}]}"),
    ),
    ("- a[1]{p}:\n    1", true, None),
    ("items[1]:\n  - a[1]{p}:\n    1", true, None),
    (
        "items[1]:\n  - a:\n    b: 1",
        true,
        Some("{\"items\":[{\"a\":{},\"b\":1}]}"),
    ),
    (
        "items[1]:\n  - name: Ada\n    data[0]:",
        true,
        Some("{\"items\":[{\"name\":\"Ada\",\"data\":[]}]}"),
    ),
    ("a: 1\na: 2", true, None),
    (
        "__proto__:\n  x: 1",
        true,
        Some("{\"__proto__\":{\"x\":1}}"),
    ),
    ("user.name: Ada", true, Some("{\"user.name\":\"Ada\"}")),
    ("\"\\t:x\": v", true, Some("{\"\\t:x\":\"v\"}")),
    ("2key: x", true, Some("{\"2key\":\"x\"}")),
    (
        "items[1]{2key}:\n  1",
        true,
        Some("{\"items\":[{\"2key\":1}]}"),
    ),
    ("a:\n  b: 1\n   c: 2", true, None),
    ("a: \"\\u00E9\"", true, Some("{\"a\":\"é\"}")),
    ("a: \"\\/\"", true, None),
    ("a: \"x\u{0001}y\"", true, Some("{\"a\":\"x\\u0001y\"}")),
    ("k[3]: 1,,3", true, Some("{\"k\":[1,\"\",3]}")),
    ("a[1]:", true, None),
    ("a[1]: \"\"", true, Some("{\"a\":[\"\"]}")),
    ("a[0]: 1,2", true, None),
    ("a[2]: 1\n", true, None),
    ("a[1]:\n  - 1\n  - 2", true, None),
    ("a:\n   b: 1", false, Some("{\"a\":{\"b\":1}}")),
    ("a:\n\tb: 1", false, Some("{\"a\":{\"b\":1}}")),
    ("a[1]:\n  - 1\n  - 2", false, Some("{\"a\":[1,2]}")),
    ("a[0]: 1,2", false, Some("{\"a\":[1,2]}")),
    ("a[1]:", false, Some("{\"a\":[]}")),
    (
        "a:\n    b: 1\n    c: 2\nd: 3",
        false,
        Some("{\"a\":{\"b\":1,\"c\":2},\"d\":3}"),
    ),
    ("a:\n    b: 1\n  c: 2", false, None),
    ("a[2]:\n  - 1\n\n  - 2", false, Some("{\"a\":[1,2]}")),
    ("a: 1\na: 2", false, Some("{\"a\":2}")),
    ("items[0]{a,a}:", false, Some("{\"items\":[]}")),
    (
        "t[1]{a,a,b}:\n  1,2,3",
        false,
        Some("{\"t\":[{\"a\":2,\"b\":3}]}"),
    ),
    ("items[1]{a,n{x}}:\n  1", false, None),
    ("\t# x", false, None),
    ("t[2]{a}:\n  #1\n  2", false, Some("{\"t\":[{\"a\":2}]}")),
    ("a[99999999999999999999]: 1", false, Some("{\"a\":[1]}")),
    ("- a: 1\n      deep: 1", false, None),
    ("items[1]:\n  - a: 1\n      deep: 1\n    b: 2", false, None),
    ("a:\n\t\n  b: 1", false, Some("{\"a\":{\"b\":1}}")),
    ("\t\na: 1", false, Some("{\"a\":1}")),
    (
        "a[2]{x}:\n    1\n    2",
        false,
        Some("{\"a\":[{\"x\":1},{\"x\":2}]}"),
    ),
    (
        "m[1:]{v}:\n    k: 1\n    j: 2",
        false,
        Some("{\"m\":{\"k\":{\"v\":1},\"j\":{\"v\":2}}}"),
    ),
    (
        "items[1]:\n  - a:\n        b: 1",
        false,
        Some("{\"items\":[{\"a\":{\"b\":1}}]}"),
    ),
    ("- a: 1\n    - b", false, None),
    ("items[1]:\n  - 1\n      x: 2", false, None),
    ("a[1]{x:y}:\n  1", true, Some("{\"a\":[{\"x:y\":1}]}")),
    ("a[1]{x[y}:\n  1", true, Some("{\"a\":[{\"x[y\":1}]}")),
    ("a[1]{x]y}:\n  1", true, Some("{\"a\":[{\"x]y\":1}]}")),
    ("a[1]{x:y}", true, None),
    ("a[1]{x}: ", true, None),
    (
        "a[1]{a,x:y}:\n  1,2",
        true,
        Some("{\"a\":[{\"a\":1,\"x:y\":2}]}"),
    ),
    (
        "a[1]{ a , n{x} , b }:\n  1,2,3",
        true,
        Some("{\"a\":[{\"a\":1,\"n\":{\"x\":2},\"b\":3}]}"),
    ),
    (
        "a[1]{\"a{b}\",c}:\n  1,2",
        true,
        Some("{\"a\":[{\"a{b}\":1,\"c\":2}]}"),
    ),
    (
        "a[1]{x\"}\"y}:\n  1",
        true,
        Some("{\"a\":[{\"x\\\"}\\\"y\":1}]}"),
    ),
    ("a[1]{a\tb}:\n  1", true, None),
    (
        "a[1\t]{a\tb}:\n  1\t2",
        true,
        Some("{\"a\":[{\"a\":1,\"b\":2}]}"),
    ),
    ("a[1|]{a,b}:\n  1|2", true, None),
    ("a[1]{a|b}:\n  1", true, None),
    (
        "a[1]{n{x} ,b}:\n  1,2",
        true,
        Some("{\"a\":[{\"n\":{\"x\":1},\"b\":2}]}"),
    ),
    ("a[1]{n{x}b}:\n  1,2", true, None),
    ("a[1]{\"a\"b}:\n  1", true, None),
    (
        "a[1]{\"a\" ,b}:\n  1,2",
        true,
        Some("{\"a\":[{\"a\":1,\"b\":2}]}"),
    ),
];

#[test]
fn digest_cases_decode_like_the_reference() {
    let mut failures = Vec::new();
    for (index, (input, strict, expected)) in CASES.iter().enumerate() {
        let options = DecodeOptions::new().with_strict(*strict);
        let got = toon::decode(input, &options);
        let ok = match (expected, &got) {
            (None, Err(_)) => true,
            (Some(json), Ok(value)) => {
                let json: serde_json::Value =
                    serde_json::from_str(json).expect("expected JSON parses");
                Value::deserialize(json).expect("converts") == *value
            }
            _ => false,
        };
        if !ok {
            failures.push(format!(
                "#{index} {input:?} (strict={strict}): expected {expected:?}, got {got:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}
