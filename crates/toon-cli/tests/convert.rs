//! `toon convert` end to end: every target format (each output checked against the
//! converter crate), routes through TOON, many files with one bad file, where outputs
//! go, the summary line, standard input, and command-line errors.

mod common;

use common::{TempDir, text, toon};
use toon_tokens::{Encoding, TokenCounter};

/// A small JSON table.
const USERS_JSON: &str = r#"{"users":[{"id":1,"name":"Ada"},{"id":2,"name":"Bo"}]}"#;
/// Markdown with a task list and a field.
const NOTES_MD: &str = "# Tasks\n\n- [x] write\n- [ ] test\n\n# Owner\n\n- **name**: Ada\n";
/// A valid TOON document.
const PLAN_TOON: &str = "title: Plan\nsteps[2]: design,build\n";
/// Row 2 has one value where the header declares two: line 3, column 3.
const BAD_TOON: &str = "rows[2]{a,b}:\n  1,2\n  3\n";

/// The `json-to-toon` crate's output.
fn json_to_toon(json: &str) -> String {
    json_to_toon::convert(json, &json_to_toon::JsonToToonOptions::default()).unwrap()
}

/// The `markdown-to-toon` crate's output.
fn md_to_toon(markdown: &str) -> String {
    markdown_to_toon::convert(
        markdown,
        &markdown_to_toon::MarkdownToToonOptions::default(),
    )
    .unwrap()
}

/// The `toon-to-markdown` crate's output.
fn toon_to_md(toon: &str) -> String {
    toon_to_markdown::convert(toon, &toon_to_markdown::ToonToMarkdownOptions::default()).unwrap()
}

/// The `toon-to-json` crate's output.
fn toon_to_json(toon: &str, pretty: bool) -> String {
    let options = toon_to_json::ToonToJsonOptions {
        pretty,
        ..toon_to_json::ToonToJsonOptions::default()
    };
    toon_to_json::convert(toon, &options).unwrap()
}

/// A file's text, or a panic naming the file.
fn read(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Markdown → JSON has no direct converter: the standard registry routes it through TOON.
/// The expected output is the file the Python and Node suites compare with too.
#[test]
fn markdown_to_json_goes_through_toon_as_in_python_and_node() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/data");
    let notes = format!("{root}/notes.md");
    let expected = std::fs::read_to_string(format!("{root}/notes.json")).unwrap();
    let run = toon(&["convert", &notes, "--to", "json", "--quiet"], b"");
    assert_eq!(run.ok(), expected);
    let markdown = std::fs::read_to_string(&notes).unwrap();
    assert_eq!(expected, toon_to_json(&md_to_toon(&markdown), false));
    // The step in between is the example's TOON rendering.
    let intermediate = std::fs::read_to_string(format!("{root}/notes.toon")).unwrap();
    let run = toon(&["convert", &notes, "--to", "toon", "--quiet"], b"");
    assert_eq!(run.ok(), intermediate);
}

#[test]
fn converts_to_each_target_format() {
    let dir = TempDir::new();
    let json = text(&dir.file("users.json", USERS_JSON));
    let md = text(&dir.file("notes.md", NOTES_MD));
    let plan = text(&dir.file("plan.toon", PLAN_TOON));

    let cases: [(&str, &str, String); 6] = [
        (&json, "toon", json_to_toon(USERS_JSON)),
        (&md, "toon", md_to_toon(NOTES_MD)),
        (&plan, "md", toon_to_md(PLAN_TOON)),
        (&plan, "json", toon_to_json(PLAN_TOON, false)),
        // No direct converter: through TOON.
        (&md, "json", toon_to_json(&md_to_toon(NOTES_MD), false)),
        (&json, "markdown", toon_to_md(&json_to_toon(USERS_JSON))),
    ];
    for (input, to, expected) in cases {
        let run = toon(&["convert", input, "--to", to, "--quiet"], b"");
        assert_eq!(run.ok(), expected, "{input} --to {to}");
    }
    let pretty = toon(&["convert", &plan, "--to", "json", "--pretty", "-q"], b"").ok();
    assert_eq!(pretty, toon_to_json(PLAN_TOON, true));
}

/// CSV and TSV files (by extension or --from) become one typed table, as the
/// `table-to-toon` crate writes it; `--strings` keeps every cell as text; a ragged row
/// is a located error.
#[test]
fn converts_csv_and_tsv_tables() {
    use table_to_toon::{Dialect, TableToToonOptions};
    let dir = TempDir::new();
    let csv_text = "id,name,zip,active\n1,Ada,02134,true\n2,\"Bo, Jr.\",,false\n";
    let csv = text(&dir.file("people.csv", csv_text));
    let expected =
        table_to_toon::convert(csv_text, Dialect::Csv, &TableToToonOptions::default()).unwrap();
    assert_eq!(
        expected,
        "[2]{id,name,zip,active}:\n  1,Ada,\"02134\",true\n  2,\"Bo, Jr.\",null,false\n"
    );
    assert_eq!(
        toon(&["convert", &csv, "--to", "toon", "-q"], b"").ok(),
        expected
    );
    let json = toon(&["convert", &csv, "--to", "json", "-q"], b"").ok();
    assert_eq!(json, toon_to_json(&expected, false));
    let strings = toon(&["convert", &csv, "--to", "toon", "--strings", "-q"], b"").ok();
    assert_eq!(
        strings,
        "[2]{id,name,zip,active}:\n  \"1\",Ada,\"02134\",\"true\"\n  \"2\",\"Bo, Jr.\",\"\",\"false\"\n"
    );
    let tsv = toon(
        &["convert", "-", "--from", "tsv", "--to", "toon", "-q"],
        b"a\tb\n1\tx\n",
    )
    .ok();
    assert_eq!(tsv, "[1]{a,b}:\n  1,x\n");
    let ragged = text(&dir.file("ragged.csv", "a,b\n1,2\n3\n"));
    let stderr = toon(&["convert", &ragged, "--to", "toon", "-q"], b"").fails(1);
    assert!(
        stderr.starts_with(&format!(
            "{ragged}:3:1: this row has 1 cell, the header has 2\n"
        )),
        "{stderr}"
    );
}

/// The example Parquet file (typed columns: a timestamp with a zone, a dictionary, a
/// struct, a decimal) becomes the example TOON, and goes on to JSON through it.
#[test]
fn converts_parquet_to_toon_and_json() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/data");
    let parquet = format!("{root}/sales.parquet");
    let expected = std::fs::read_to_string(format!("{root}/sales.toon")).unwrap();
    assert_eq!(
        toon(&["convert", &parquet, "--to", "toon", "-q"], b"").ok(),
        expected
    );
    let json = toon(&["convert", &parquet, "--to", "json", "-q"], b"").ok();
    assert_eq!(json, toon_to_json(&expected, false));
    let bytes = std::fs::read(&parquet).unwrap();
    let stdin = toon(
        &["convert", "-", "--from", "parquet", "--to", "toon", "-q"],
        &bytes,
    )
    .ok();
    assert_eq!(stdin, expected);
    let stderr = toon(
        &["convert", "-", "--from", "parquet", "--to", "toon"],
        b"PAR1 no",
    )
    .fails(1);
    assert!(
        stderr.starts_with("toon: <stdin>: invalid Parquet: "),
        "{stderr}"
    );
}

#[test]
fn converts_pdf_to_toon_and_markdown() {
    let dir = TempDir::new();
    let pdf = pdf_to_toon::fixtures::text_pdf(&[&["Hello", "world"], &["Page two"]], &[]);
    let path = text(&dir.file("doc.pdf", &pdf));
    let expected = pdf_to_toon::convert(&pdf, &pdf_to_toon::PdfToToonOptions::default()).unwrap();
    let run = toon(&["convert", &path, "--to", "toon"], b"").succeeds();
    assert_eq!(run.stdout, expected);
    // A PDF is not text: bytes are summed up, tokens are not.
    assert_eq!(
        run.stderr,
        format!(
            "toon convert: 1 file: 1 converted, 0 failed; {} B → {} B\n",
            pdf.len(),
            expected.len()
        )
    );
    let md = toon(&["convert", &path, "--to", "md", "-q"], b"").ok();
    assert_eq!(md, toon_to_md(&expected));
}

#[test]
fn one_bad_file_fails_alone() {
    let dir = TempDir::new();
    let inputs = [
        dir.file("a.toon", PLAN_TOON),
        dir.file("bad.toon", BAD_TOON),
        dir.file("c.toon", "n: 1\n"),
        dir.file("d.toon", "tags[3]: x,y,z\n"),
    ];
    let mut args = vec!["convert".to_owned(), "--to".into(), "json".into()];
    args.extend(inputs.iter().map(|path| text(path)));
    let run = toon(&args, b"");
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(
        run.stdout, "",
        "several inputs write files, not standard output"
    );

    // The others are converted, next to their inputs.
    assert_eq!(read(&dir.path("a.json")), toon_to_json(PLAN_TOON, false));
    assert_eq!(read(&dir.path("c.json")), "{\"n\":1}\n");
    assert_eq!(
        read(&dir.path("d.json")),
        "{\"tags\":[\"x\",\"y\",\"z\"]}\n"
    );
    assert!(!dir.path("bad.json").exists());

    let bad = text(&inputs[1]);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        lines[..3],
        [
            format!("{bad}:3:3: expected 2 tabular row values, but got 1").as_str(),
            "  3",
            "  ^"
        ]
    );
    assert_eq!(lines.len(), 4, "{}", run.stderr);
    assert!(
        lines[3].starts_with("toon convert: 4 files: 3 converted, 1 failed; "),
        "{}",
        lines[3]
    );
}

#[test]
fn errors_of_json_and_markdown_inputs_are_located_too() {
    let dir = TempDir::new();
    let json = text(&dir.file("broken.json", "{\n  \"é\": tru }"));
    let stderr = toon(&["convert", &json, "--to", "toon"], b"").fails(1);
    assert!(
        stderr.starts_with(&format!(
            "{json}:2:11: invalid JSON: expected ident\n  \"é\": tru }}\n          ^\n"
        )),
        "{stderr}"
    );
    let unknown = text(&dir.file("notes.txt", "x"));
    let stderr = toon(&["convert", &unknown, "--to", "toon"], b"").fails(1);
    assert!(stderr.contains("give it with --from"), "{stderr}");
    // --from names the format of any file.
    let as_md = toon(
        &["convert", &unknown, "--from", "md", "--to", "toon", "-q"],
        b"",
    )
    .ok();
    assert_eq!(as_md, md_to_toon("x"));
    let missing = text(&dir.path("none.md"));
    let stderr = toon(&["convert", &missing, "--to", "toon"], b"").fails(1);
    assert!(
        stderr.starts_with(&format!("toon: {missing}: ")),
        "{stderr}"
    );
}

#[test]
fn summary_counts_bytes_and_tokens() {
    let dir = TempDir::new();
    let big = format!(
        "{{\"rows\":[{}]}}",
        (0..50)
            .map(|i| format!("{{\"id\":{i},\"name\":\"user {i}\",\"active\":true}}"))
            .collect::<Vec<_>>()
            .join(",")
    );
    let a = text(&dir.file("a.json", &big));
    let b = text(&dir.file("b.json", USERS_JSON));
    let out = dir.path("out");
    let run = toon(&["convert", &a, &b, "--to", "toon", "-o", &text(&out)], b"").succeeds();
    let counter = TokenCounter::uncached(Encoding::O200kBase);
    let (toon_a, toon_b) = (json_to_toon(&big), json_to_toon(USERS_JSON));
    assert_eq!(read(&out.join("a.toon")), toon_a);
    assert_eq!(read(&out.join("b.toon")), toon_b);
    let tokens_in = counter.count(&big) + counter.count(USERS_JSON);
    let tokens_out = counter.count(&toon_a) + counter.count(&toon_b);
    let saved = tokens_in - tokens_out;
    assert!(saved > 0);
    let bytes_in = big.len() + USERS_JSON.len();
    let bytes_out = toon_a.len() + toon_b.len();
    let human = |bytes: usize| {
        if bytes < 1024 {
            format!("{bytes} B")
        } else {
            format!("{:.2} KiB", bytes as f64 / 1024.0)
        }
    };
    assert_eq!(
        run.stderr,
        format!(
            "toon convert: 2 files: 2 converted, 0 failed; {} → {}; {tokens_in} → \
             {tokens_out} tokens (o200k_base), saved {saved} ({:.1}%)\n",
            human(bytes_in),
            human(bytes_out),
            saved as f64 * 100.0 / tokens_in as f64
        )
    );
    // --quiet: no summary (and never a progress bar when stderr is not a terminal).
    let run = toon(
        &[
            "convert",
            &a,
            &b,
            "--to",
            "toon",
            "-o",
            &text(&out),
            "-q",
            "-j",
            "1",
        ],
        b"",
    );
    assert_eq!((run.code, run.stderr.as_str()), (Some(0), ""));
}

#[test]
fn long_batches_draw_no_bar_when_stderr_is_not_a_terminal() {
    let dir = TempDir::new();
    let mut args = vec!["convert".to_owned(), "--to".into(), "toon".into()];
    for n in 0..24 {
        args.push(text(
            &dir.file(&format!("f{n}.json"), format!("{{\"n\":{n}}}")),
        ));
    }
    args.extend(["-o".into(), text(&dir.path("out"))]);
    let run = toon(&args, b"").succeeds();
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr.lines().count(), 1, "{:?}", run.stderr);
    assert!(
        run.stderr
            .starts_with("toon convert: 24 files: 24 converted, 0 failed; ")
    );
    assert!(
        !run.stderr.contains('\u{1b}'),
        "no terminal escapes: {:?}",
        run.stderr
    );
    for n in 0..24 {
        assert_eq!(
            read(&dir.path(&format!("out/f{n}.toon"))),
            format!("n: {n}\n")
        );
    }
    let stderr = toon(&["convert", "x.json", "--to", "toon", "-j", "0"], b"").fails(2);
    assert!(stderr.contains("-j"), "{stderr}");
}

#[test]
fn where_outputs_go() {
    let dir = TempDir::new();
    let a = text(&dir.file("in/a.json", USERS_JSON));
    let b = text(&dir.file("in/sub/b.json", "[1,2]"));
    let expected_a = json_to_toon(USERS_JSON);

    // One input, no -o: standard output; `-o -` too.
    assert_eq!(
        toon(&["convert", &a, "--to", "toon", "-q"], b"").ok(),
        expected_a
    );
    assert_eq!(
        toon(&["convert", &a, "--to", "toon", "-q", "-o", "-"], b"").ok(),
        expected_a
    );
    // One input, -o FILE.
    let file = dir.path("single.toon");
    toon(
        &["convert", &a, "--to", "toon", "-q", "-o", &text(&file)],
        b"",
    )
    .ok();
    assert_eq!(read(&file), expected_a);
    // One input, -o DIR/ (created).
    let out = format!("{}/", text(&dir.path("made")));
    toon(&["convert", &a, "--to", "toon", "-q", "-o", &out], b"").ok();
    assert_eq!(read(&dir.path("made/a.toon")), expected_a);
    // Several inputs, -o DIR: flat, by file name.
    let flat = text(&dir.path("flat"));
    toon(&["convert", &a, &b, "--to", "toon", "-q", "-o", &flat], b"").ok();
    assert_eq!(read(&dir.path("flat/a.toon")), expected_a);
    assert_eq!(read(&dir.path("flat/b.toon")), "[2]: 1,2\n");
    // Several inputs, no -o: next to each input.
    toon(&["convert", &a, &b, "--to", "toon", "-q"], b"").ok();
    assert_eq!(read(&dir.path("in/a.toon")), expected_a);
    assert_eq!(read(&dir.path("in/sub/b.toon")), "[2]: 1,2\n");
}

#[test]
fn conflicting_outputs_are_refused_before_anything_runs() {
    let dir = TempDir::new();
    let a = text(&dir.file("x/a.json", USERS_JSON));
    let other = text(&dir.file("y/a.json", "[1]"));
    let out = text(&dir.path("out"));
    let stderr = toon(&["convert", &a, &other, "--to", "toon", "-o", &out], b"").fails(2);
    assert!(stderr.contains("would both write"), "{stderr}");
    assert!(!dir.path("out/a.toon").exists());

    // A JSON file read as TOON and written as JSON would replace itself.
    let stderr = toon(
        &["convert", &a, "--from", "toon", "--to", "json", "-o", &a],
        b"",
    )
    .fails(2);
    assert!(stderr.contains("would overwrite the input"), "{stderr}");
    assert_eq!(read(std::path::Path::new(&a)), USERS_JSON);

    let stderr = toon(&["convert", &a, &other, "--to", "toon", "-o", "-"], b"").fails(2);
    assert!(stderr.contains("takes one FILE"), "{stderr}");
    let file = text(&dir.file("plain.txt", "x"));
    let stderr = toon(&["convert", &a, &other, "--to", "toon", "-o", &file], b"").fails(2);
    assert!(stderr.contains("is not a directory"), "{stderr}");
    let stderr = toon(&["convert", &a, "--to", "pdf"], b"").fails(2);
    assert!(stderr.contains("invalid value 'pdf'"), "{stderr}");
}

#[test]
fn standard_input_needs_from() {
    let stderr = toon(&["convert", "-", "--to", "toon"], b"{}").fails(2);
    assert!(stderr.contains("standard input needs --from"), "{stderr}");
    let run = toon(
        &["convert", "-", "--from", "json", "--to", "toon", "-q"],
        USERS_JSON.as_bytes(),
    );
    assert_eq!(run.ok(), json_to_toon(USERS_JSON));
    let stderr = toon(
        &["convert", "-", "--from", "toon", "--to", "json"],
        BAD_TOON.as_bytes(),
    )
    .fails(1);
    assert!(stderr.starts_with("<stdin>:3:3: "), "{stderr}");
}

#[test]
fn a_repository_directory_is_checkpointed() {
    let repo = common::GitRepo::new();
    repo.write("README.md", "hi\n");
    repo.git(&["add", "."]);
    repo.git(&["commit", "-q", "-m", "Initial import"]);
    let out = common::TempDir::new();
    let dest = text(&out.path("snap.toon"));
    let run = toon(
        &["convert", &text(repo.root()), "--to", "toon", "-o", &dest],
        b"",
    )
    .succeeds();
    assert!(
        run.stderr.starts_with("toon convert: 1 file: 1 converted"),
        "{}",
        run.stderr
    );
    let snapshot = read(std::path::Path::new(&dest));
    assert!(snapshot.starts_with("branch: main\n"), "{snapshot}");
    assert!(snapshot.contains("summary: Initial import"), "{snapshot}");
}
