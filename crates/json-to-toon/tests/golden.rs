//! Golden files: every `tests/data/*.json` as TOON through the converter, snapshotted
//! with insta (`tests/snapshots/`), with the default options and with the encoder options
//! passed through; the bytes `toon encode` writes for the example data; and the errors.

use std::path::{Path, PathBuf};

use json_to_toon::{Error, JsonToToon, JsonToToonOptions, convert};
use toon::convert::{Converter, Input, LocatedError};
use toon::{Delimiter, EncodeOptions};

fn inputs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("tests/data exists")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 5, "expected the golden inputs");
    paths
}

fn stem(path: &Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}

#[test]
fn golden_toon() {
    let converter = JsonToToon::default();
    for path in inputs() {
        let toon = converter.convert(Input::Path(&path)).unwrap();
        // The TOON decodes to the JSON's value.
        let json = std::fs::read_to_string(&path).unwrap();
        let expected: toon::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            toon::decode(&toon, &toon::DecodeOptions::default()).unwrap(),
            expected
        );
        insta::with_settings!({ input_file => &path, omit_expression => true }, {
            insta::assert_snapshot!(stem(&path), toon);
        });
    }
}

#[test]
fn golden_toon_with_encoder_options() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let cases = [
        (
            "users",
            "tab",
            EncodeOptions::new().with_delimiter(Delimiter::Tab),
        ),
        (
            "orders",
            "pipe",
            EncodeOptions::new().with_delimiter(Delimiter::Pipe),
        ),
        ("config", "indent4", EncodeOptions::new().with_indent(4)),
    ];
    for (name, variant, encode) in cases {
        let path = dir.join(format!("{name}.json"));
        let converter = JsonToToon::new(JsonToToonOptions { encode });
        let toon = converter.convert(Input::Path(&path)).unwrap();
        let decoded = toon::decode(
            &toon,
            &toon::DecodeOptions::new().with_indent(encode.indent()),
        )
        .unwrap();
        let json = std::fs::read_to_string(&path).unwrap();
        let expected: toon::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(decoded, expected);
        insta::assert_snapshot!(format!("{name}_{variant}"), toon);
    }
}

/// `toon encode` writes `examples/data/*.toon` from the `.json` beside each (the CLI's
/// tests keep them in sync): the converter writes the same bytes.
#[test]
fn same_bytes_as_toon_encode() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/data");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let json = std::fs::read_to_string(&path).unwrap();
            let expected = std::fs::read_to_string(path.with_extension("toon")).unwrap();
            assert_eq!(
                convert(&json, &JsonToToonOptions::default()).unwrap(),
                expected,
                "{}",
                path.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 4);
}

#[test]
fn syntax_errors_have_line_and_column() {
    let error = convert("{\n  \"a\": [1, 2,]\n}", &JsonToToonOptions::default()).unwrap_err();
    assert!(matches!(error, Error::Json { .. }));
    assert_eq!(error.location(), Some((2, 14)));
    assert!(
        error
            .to_string()
            .starts_with("invalid JSON at 2:14: trailing comma"),
        "{error}"
    );

    // Through the registry's error type, columns in characters.
    let error = JsonToToon::default()
        .convert(Input::Bytes("{\"ключ\": nope}".as_bytes()))
        .unwrap_err();
    assert_eq!(error.location(), Some((1, 11)));

    // End of input: the position of the last character.
    let error = convert("[1, 2", &JsonToToonOptions::default()).unwrap_err();
    assert_eq!(error.location(), Some((1, 5)));
}

#[test]
fn deep_json_is_an_error_not_a_crash() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let error = convert(&deep, &JsonToToonOptions::default()).unwrap_err();
    assert!(error.to_string().contains("recursion limit"), "{error}");
    assert!(error.location().is_some());

    // Within serde_json's limit but past the encoder's nesting limit: the encoder's error.
    let nested = format!("{}{}", "[".repeat(100), "]".repeat(100));
    let options = JsonToToonOptions {
        encode: EncodeOptions::new().with_max_depth(50),
    };
    let error = convert(&nested, &options).unwrap_err();
    assert!(matches!(error, Error::Toon(_)), "{error}");
}

#[test]
fn invalid_utf8_and_bad_options_are_errors() {
    let error = JsonToToon::default()
        .convert(Input::Bytes(b"{\"a\": \"\xff\"}"))
        .unwrap_err();
    assert_eq!(error.location(), Some((1, 8)));

    let options = JsonToToonOptions {
        encode: EncodeOptions::new().with_indent(0),
    };
    assert!(matches!(convert("{}", &options), Err(Error::Toon(_))));
}
