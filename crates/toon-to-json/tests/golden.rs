//! Golden files: every `tests/data/*.toon` as compact and as pretty JSON through the
//! converter, snapshotted with insta (`tests/snapshots/`); the bytes `toon decode`
//! writes for the same input and options; and the errors.

use std::path::{Path, PathBuf};

use toon::DecodeOptions;
use toon::convert::{Converter, Input, LocatedError};
use toon_to_json::{Error, ToonToJson, ToonToJsonOptions, convert};

fn inputs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("tests/data exists")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "toon"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 5, "expected the golden inputs");
    paths
}

fn stem(path: &Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}

fn pretty() -> ToonToJsonOptions {
    ToonToJsonOptions {
        pretty: true,
        ..ToonToJsonOptions::default()
    }
}

#[test]
fn golden_json() {
    let compact = ToonToJson::default();
    let pretty = ToonToJson::new(pretty());
    for path in inputs() {
        let json = compact.convert(Input::Path(&path)).unwrap();
        assert_eq!(json.matches('\n').count(), 1, "compact is one line");
        let indented = pretty.convert(Input::Path(&path)).unwrap();
        // Both spell the same JSON value.
        let a: serde_json::Value = serde_json::from_str(&json).unwrap();
        let b: serde_json::Value = serde_json::from_str(&indented).unwrap();
        assert_eq!(a, b);
        insta::with_settings!({ input_file => &path, omit_expression => true }, {
            insta::assert_snapshot!(format!("{}_compact", stem(&path)), json);
            insta::assert_snapshot!(format!("{}_pretty", stem(&path)), indented);
        });
    }
}

/// The outputs the CLI's own tests require of `toon decode`, byte for byte.
#[test]
fn same_bytes_as_toon_decode() {
    let users_toon = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/users.toon"),
    )
    .unwrap();
    let users_json = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/data/users.json"),
    )
    .unwrap();
    let compact = convert(&users_toon, &ToonToJsonOptions::default()).unwrap();
    let expected: serde_json::Value = serde_json::from_str(&users_json).unwrap();
    assert_eq!(
        compact,
        format!("{}\n", serde_json::to_string(&expected).unwrap())
    );

    assert_eq!(
        convert("a:\n  b[2]: 1,x\n", &pretty()).unwrap(),
        "{\n  \"a\": {\n    \"b\": [\n      1,\n      \"x\"\n    ]\n  }\n}\n"
    );
    // `toon decode --pretty --indent 4`: the indent is the input's and the output's.
    let four = ToonToJsonOptions {
        pretty: true,
        indent: 4,
        decode: DecodeOptions::new().with_indent(4),
    };
    assert_eq!(
        convert("a:\n    b: 1\n", &four).unwrap(),
        "{\n    \"a\": {\n        \"b\": 1\n    }\n}\n"
    );
    assert_eq!(
        convert(
            "a: 1.0\nb: 1e3\nc: 2.5e21\nd: -0\ne: 1e-400\nf: 1e400\n",
            &ToonToJsonOptions::default()
        )
        .unwrap(),
        "{\"a\":1,\"b\":1000,\"c\":2.5e+21,\"d\":0,\"e\":0,\"f\":\"1e400\"}\n"
    );
    // `--no-strict`.
    let lax = ToonToJsonOptions {
        decode: DecodeOptions::new().with_strict(false),
        ..ToonToJsonOptions::default()
    };
    assert_eq!(
        convert("a:\n\tb: 1\n", &lax).unwrap(),
        "{\"a\":{\"b\":1}}\n"
    );
    assert_eq!(convert("x[3]: 1,2\n", &lax).unwrap(), "{\"x\":[1,2]}\n");
}

#[test]
fn key_order_and_exact_integers_are_kept() {
    let json = convert(
        "z: 1\na: 2\nm[3]: 9007199254740993,18446744073709551615,-9223372036854775808",
        &ToonToJsonOptions::default(),
    )
    .unwrap();
    assert_eq!(
        json,
        "{\"z\":1,\"a\":2,\"m\":[9007199254740993,18446744073709551615,-9223372036854775808]}\n"
    );
}

#[test]
fn invalid_toon_is_a_located_error() {
    let error = convert("a: 1\nx[3]: 1,2\n", &ToonToJsonOptions::default()).unwrap_err();
    assert!(matches!(error, Error::Toon(_)));
    assert_eq!(error.location().map(|(line, _)| line), Some(2));

    let error = ToonToJson::default()
        .convert(Input::Bytes(b"a:\n\tb: 1"))
        .unwrap_err();
    assert_eq!(error.location().map(|(line, _)| line), Some(2));
}

#[test]
fn invalid_utf8_is_a_located_error() {
    let error = ToonToJson::default()
        .convert(Input::Bytes(b"a: 1\nb: \xc3("))
        .unwrap_err();
    assert_eq!(error.location(), Some((2, 4)));
}
