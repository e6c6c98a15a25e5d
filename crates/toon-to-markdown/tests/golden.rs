//! Golden files: every `tests/data/*.toon` rendered as Markdown through the converter,
//! snapshotted with insta (`tests/snapshots/`); that what is rendered reads back
//! literally (tables keep their cells, escapes show the text); and the errors.

use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use toon::convert::{Converter, Input, LocatedError};
use toon_to_markdown::{Error, ToonToMarkdown, ToonToMarkdownOptions, convert};

fn inputs(extension: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("tests/data exists")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == extension))
        .collect();
    paths.sort();
    assert!(paths.len() >= 5, "expected the golden inputs");
    paths
}

fn stem(path: &Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}

#[test]
fn golden_markdown() {
    let converter = ToonToMarkdown::default();
    for path in inputs("toon") {
        let markdown = converter.convert(Input::Path(&path)).unwrap();
        assert!(markdown.ends_with('\n') && !markdown.ends_with("\n\n"));
        insta::with_settings!({ input_file => &path, omit_expression => true }, {
            insta::assert_snapshot!(stem(&path), markdown);
        });
    }
}

#[test]
fn golden_markdown_with_title_and_level() {
    let options = ToonToMarkdownOptions {
        heading_level: 2,
        title: Some("Project *toon*".to_owned()),
        ..ToonToMarkdownOptions::default()
    };
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/project.toon");
    let markdown = ToonToMarkdown::new(options)
        .convert(Input::Path(&path))
        .unwrap();
    insta::assert_snapshot!("project_titled", markdown);
}

#[test]
fn output_is_deterministic() {
    for path in inputs("toon") {
        let text = std::fs::read_to_string(&path).unwrap();
        let first = convert(&text, &ToonToMarkdownOptions::default()).unwrap();
        let second = convert(&text, &ToonToMarkdownOptions::default()).unwrap();
        assert_eq!(first, second);
    }
}

/// The tables of a Markdown document as pulldown-cmark reads them: rows of cell text.
fn tables(markdown: &str) -> Vec<Vec<Vec<String>>> {
    let mut tables = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut cell: Option<String> = None;
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Table(_)) => tables.push(Vec::new()),
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => row.push(cell.take().unwrap()),
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                tables.last_mut().unwrap().push(std::mem::take(&mut row));
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some(cell) = &mut cell {
                    cell.push_str(&text);
                }
            }
            Event::InlineHtml(html) if html.eq_ignore_ascii_case("<br>") => {
                if let Some(cell) = &mut cell {
                    cell.push('\n');
                }
            }
            _ => {}
        }
    }
    tables
}

#[test]
fn table_cells_read_back_literally() {
    let toon = "rows[5]{name,note}:\n  \"a|b\",\"*bold?* _u_ `t`\"\n  \"[l](x)\",\"<tag> & &amp; \\\\b\"\n  multi,\"one\\ntwo\"\n  \"- dash\",\"1. n\"\n  \"#h\",\"| | |\"";
    let markdown = convert(toon, &ToonToMarkdownOptions::default()).unwrap();
    let tables = tables(&markdown);
    assert_eq!(tables.len(), 1, "{markdown}");
    assert_eq!(
        tables[0],
        [
            ["name", "note"],
            ["a|b", "*bold?* _u_ `t`"],
            ["[l](x)", "<tag> & &amp; \\b"],
            ["multi", "one\ntwo"],
            ["- dash", "1. n"],
            ["#h", "| | |"],
        ]
        .map(|row| row.map(str::to_owned).to_vec())
        .to_vec(),
        "{markdown}"
    );
}

#[test]
fn nested_groups_and_keyed_objects_are_tables() {
    let orders = "orders[2]{id,customer{name,country}}:\n  1,Ada,GB\n  2,Bo,DK";
    let markdown = convert(orders, &ToonToMarkdownOptions::default()).unwrap();
    assert_eq!(
        tables(&markdown)[0][0],
        ["id", "customer.name", "customer.country"]
    );
    let servers = "servers[2:]{host,port}:\n  a: x.com,80\n  b: y.com,443";
    let markdown = convert(servers, &ToonToMarkdownOptions::default()).unwrap();
    assert_eq!(
        tables(&markdown)[0],
        [
            ["", "host", "port"],
            ["a", "x.com", "80"],
            ["b", "y.com", "443"]
        ]
        .map(|row| row.map(str::to_owned).to_vec())
        .to_vec()
    );
}

/// The plain text of every paragraph and list item, as pulldown-cmark reads it.
fn texts(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Paragraph | Tag::Item) => {
                if let Some(text) = current.take().filter(|t| !t.is_empty()) {
                    out.push(text);
                }
                current = Some(String::new());
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item) => {
                if let Some(text) = current.take().filter(|t| !t.is_empty()) {
                    out.push(text);
                }
            }
            Event::Text(text) => current.get_or_insert_with(String::new).push_str(&text),
            Event::HardBreak => current.get_or_insert_with(String::new).push('\n'),
            _ => {}
        }
    }
    out
}

#[test]
fn text_reads_back_literally() {
    let toon =
        "[4]: \"*a* _b_ [c](d) <e> #f\",\"- g\",\"1. h\\n+ i\\n= j\",\"k\\\\l &amp; ~m~ `n`\"";
    let markdown = convert(toon, &ToonToMarkdownOptions::default()).unwrap();
    assert_eq!(
        texts(&markdown),
        [
            "*a* _b_ [c](d) <e> #f",
            "- g",
            "1. h\n+ i\n= j",
            "k\\l &amp; ~m~ `n`"
        ],
        "{markdown}"
    );
}

#[test]
fn invalid_toon_is_a_located_error() {
    let error = convert("a:\n  b: 1\n   c: 2", &ToonToMarkdownOptions::default()).unwrap_err();
    assert!(matches!(error, Error::Toon(_)));
    assert_eq!(error.location().map(|(line, _)| line), Some(3));

    let converter = ToonToMarkdown::default();
    let error = converter.convert(Input::Bytes(b"x[3]: 1,2")).unwrap_err();
    assert_eq!(error.location().map(|(line, _)| line), Some(1));
    assert!(error.to_string().contains("1:"), "{error}");
}

#[test]
fn invalid_utf8_and_missing_files_are_errors() {
    let converter = ToonToMarkdown::default();
    let error = converter.convert(Input::Bytes(b"a: \xff")).unwrap_err();
    assert_eq!(error.location(), Some((1, 4)));
    let missing = Path::new("tests/data/does-not-exist.toon");
    let error = converter.convert(Input::Path(missing)).unwrap_err();
    assert!(error.location().is_none());
}

#[test]
fn options_are_validated() {
    let options = ToonToMarkdownOptions {
        heading_level: 0,
        ..ToonToMarkdownOptions::default()
    };
    let error = convert("a: 1", &options).unwrap_err();
    assert!(matches!(error, Error::Options(_)));
    assert!(error.location().is_none());
}
