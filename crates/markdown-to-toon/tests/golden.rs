//! Golden files: every `tests/data/*.md` as TOON through the converter, snapshotted with
//! insta (`tests/snapshots/`), and the errors.

use std::path::{Path, PathBuf};

use markdown_to_toon::{Error, MarkdownToToon, MarkdownToToonOptions, convert, parse};
use toon::convert::{Converter, Input, LocatedError};
use toon::{Delimiter, EncodeOptions};

fn inputs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("tests/data exists")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
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
    let converter = MarkdownToToon::default();
    for path in inputs() {
        let toon = converter.convert(Input::Path(&path)).unwrap();
        // Valid TOON, strictly.
        toon::decode(&toon, &toon::DecodeOptions::default()).unwrap();
        insta::with_settings!({ input_file => &path, omit_expression => true }, {
            insta::assert_snapshot!(stem(&path), toon);
        });
    }
}

#[test]
fn golden_toon_with_encoder_options() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tasks.md");
    let options = MarkdownToToonOptions {
        encode: EncodeOptions::new()
            .with_delimiter(Delimiter::Pipe)
            .with_indent(4),
    };
    let toon = MarkdownToToon::new(options)
        .convert(Input::Path(&path))
        .unwrap();
    insta::assert_snapshot!("tasks_pipe_indent4", toon);
}

#[test]
fn mapping_of_each_block() {
    let markdown = "---\nk: v\n---\n# T\n\n- **a**: 1\n\ntext\n\n- [x] t\n\n| h |\n|---|\n| c |\n\n```rs\nx\n```\n";
    let value = parse(markdown, &MarkdownToToonOptions::default()).unwrap();
    let json = serde_json::to_string(&value).unwrap();
    assert_eq!(
        json,
        r#"{"front_matter":"k: v","T":{"a":"1","content":["text",[{"done":true,"text":"t"}],[{"h":"c"}],{"lang":"rs","code":"x"}]}}"#
    );
}

#[test]
fn strings_borrow_from_the_input() {
    let markdown = "# Title\n\nplain paragraph\n";
    let value = parse(markdown, &MarkdownToToonOptions::default()).unwrap();
    let (key, section) = value.as_object().unwrap().get_index(0).unwrap();
    assert_eq!(key, "Title");
    assert!(matches!(
        section,
        toon::Value::String(std::borrow::Cow::Borrowed("plain paragraph"))
    ));
}

#[test]
fn deep_nesting_is_a_located_error() {
    let mut markdown = String::new();
    for depth in 0..400 {
        markdown.push_str(&" ".repeat(depth * 2));
        markdown.push_str("- x\n");
    }
    let error = convert(&markdown, &MarkdownToToonOptions::default()).unwrap_err();
    assert!(
        matches!(error, Error::TooDeep { limit: 256, .. }),
        "{error}"
    );
    let (line, column) = error.location().unwrap();
    assert!(line > 100, "{line}");
    assert_eq!(column, 2 * (line - 1) + 1);

    // A smaller limit through the encoder options.
    let options = MarkdownToToonOptions {
        encode: EncodeOptions::new().with_max_depth(8),
    };
    let error = convert("- a\n  - b\n    - c\n      - d\n        - e\n", &options).unwrap_err();
    assert!(error.location().is_some(), "{error}");

    // Deep block quotes are kept as source: no nesting at all.
    let quotes = format!("{} deep\n", ">".repeat(5_000));
    let toon = convert(&quotes, &MarkdownToToonOptions::default()).unwrap();
    assert!(toon.starts_with("content[1]: "), "{toon}");
}

#[test]
fn invalid_utf8_is_a_located_error() {
    let error = MarkdownToToon::default()
        .convert(Input::Bytes(b"# ok\n\nbad \xff byte"))
        .unwrap_err();
    assert_eq!(error.location(), Some((3, 5)));
}

/// The README-like input written back by `toon-to-markdown`: what the round trip looks
/// like (the TOON of it is the same; see `tests/roundtrip.rs`).
#[test]
fn golden_readme_written_back() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/readme.md");
    let toon = MarkdownToToon::default()
        .convert(Input::Path(&path))
        .unwrap();
    let markdown =
        toon_to_markdown::convert(&toon, &toon_to_markdown::ToonToMarkdownOptions::default())
            .unwrap();
    insta::assert_snapshot!("readme_written_back", markdown);
}
