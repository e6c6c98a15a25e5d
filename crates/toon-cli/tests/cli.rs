//! Runs the built `toon` binary: both commands, every option, extension dispatch, error
//! reports and exit codes, and the example data staying in sync with the encoder.

mod common;

use std::path::{Path, PathBuf};

use common::{TempDir, text, toon};

const USERS_JSON: &str = r#"{"users":[{"id":1,"name":"Ada"},{"id":2,"name":"Bo"}]}"#;
const USERS_TOON: &str = "users[2]{id,name}:\n  1,Ada\n  2,Bo\n";

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("valid JSON")
}

#[test]
fn encode_file_to_stdout() {
    let dir = TempDir::new();
    let input = dir.file("users.json", USERS_JSON);
    assert_eq!(toon(&["encode", &text(&input)], b"").ok(), USERS_TOON);
}

#[test]
fn encode_stdin_to_stdout() {
    assert_eq!(toon(&["encode"], USERS_JSON.as_bytes()).ok(), USERS_TOON);
    assert_eq!(
        toon(&["encode", "-"], USERS_JSON.as_bytes()).ok(),
        USERS_TOON
    );
}

#[test]
fn encode_to_output_file() {
    let dir = TempDir::new();
    let out = dir.path("out.toon");
    let stdout = toon(&["encode", "-o", &text(&out)], USERS_JSON.as_bytes()).ok();
    assert_eq!(stdout, "");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), USERS_TOON);
}

#[test]
fn output_ends_with_exactly_one_newline() {
    assert_eq!(toon(&["encode"], b"{}").ok(), "\n");
    assert_eq!(toon(&["encode"], b"\"hi\"\n").ok(), "hi\n");
    assert_eq!(toon(&["decode"], b"a: 1\n\n").ok(), "{\"a\":1}\n");
}

#[test]
fn every_delimiter_spelling() {
    let input = br#"{"tags":["a","b"],"rows":[{"x":1,"y":"p q"}]}"#;
    let comma = "tags[2]: a,b\nrows[1]{x,y}:\n  1,p q\n";
    let tab = "tags[2\t]: a\tb\nrows[1\t]{x\ty}:\n  1\tp q\n";
    let pipe = "tags[2|]: a|b\nrows[1|]{x|y}:\n  1|p q\n";
    for (spelling, expected) in [
        ("comma", comma),
        (",", comma),
        ("tab", tab),
        ("\t", tab),
        ("pipe", pipe),
        ("|", pipe),
    ] {
        let out = toon(&["encode", "--delimiter", spelling], input).ok();
        assert_eq!(out, expected, "--delimiter {spelling:?}");
        assert_eq!(
            json(&toon(&["decode"], out.as_bytes()).ok()),
            json(std::str::from_utf8(input).unwrap())
        );
    }
    let stderr = toon(&["encode", "--delimiter", ";"], input).fails(2);
    assert!(stderr.contains("--delimiter"), "{stderr}");
}

#[test]
fn indent_four() {
    let out = toon(&["encode", "--indent", "4"], br#"{"a":{"b":{"c":[1,2]}}}"#).ok();
    assert_eq!(out, "a:\n    b:\n        c[2]: 1,2\n");
    let back = toon(&["decode", "--indent", "4"], out.as_bytes()).ok();
    assert_eq!(back, "{\"a\":{\"b\":{\"c\":[1,2]}}}\n");
}

#[test]
fn indent_zero_is_rejected() {
    let dir = TempDir::new();
    let out = dir.path("never.toon");
    for command in ["encode", "decode"] {
        let run = toon(&[command, "--indent", "0", "-o", &text(&out)], b"{}");
        let stderr = run.fails(2);
        assert!(stderr.contains("--indent"), "{stderr}");
        assert!(!out.exists(), "no output file on error");
    }
}

#[test]
fn decode_compact_and_pretty() {
    let compact = toon(&["decode"], USERS_TOON.as_bytes()).ok();
    assert_eq!(compact, format!("{USERS_JSON}\n"));

    let pretty = toon(&["decode", "--pretty"], b"a:\n  b[2]: 1,x\n").ok();
    assert_eq!(
        pretty,
        "{\n  \"a\": {\n    \"b\": [\n      1,\n      \"x\"\n    ]\n  }\n}\n"
    );

    let pretty4 = toon(&["decode", "--pretty", "--indent", "4"], b"a:\n    b: 1\n").ok();
    assert_eq!(pretty4, "{\n    \"a\": {\n        \"b\": 1\n    }\n}\n");
}

#[test]
fn decoded_numbers_read_like_javascript() {
    let out = toon(
        &["decode"],
        b"a: 1.0\nb: 1e3\nc: 2.5e21\nd: -0\ne: 1e-400\nf: 1e400\n",
    )
    .ok();
    assert_eq!(
        out,
        "{\"a\":1,\"b\":1000,\"c\":2.5e+21,\"d\":0,\"e\":0,\"f\":\"1e400\"}\n"
    );
}

#[test]
fn no_strict_admits_what_strict_rejects() {
    let tabbed = b"a:\n\tb: 1\n";
    let stderr = toon(&["decode"], tabbed).fails(1);
    assert!(stderr.starts_with("<stdin>:2:"), "{stderr}");
    assert_eq!(
        toon(&["decode", "--no-strict"], tabbed).ok(),
        "{\"a\":{\"b\":1}}\n"
    );

    let short = b"x[3]: 1,2\n";
    toon(&["decode"], short).fails(1);
    assert_eq!(
        toon(&["decode", "--no-strict"], short).ok(),
        "{\"x\":[1,2]}\n"
    );
}

#[test]
fn extension_picks_the_direction() {
    let dir = TempDir::new();
    let input = dir.file("users.json", USERS_JSON);
    assert_eq!(toon(&[text(&input)], b"").ok(), USERS_TOON);
    let piped = toon(&[&text(&input), "--delimiter", "pipe"], b"").ok();
    assert_eq!(piped, "users[2|]{id|name}:\n  1|Ada\n  2|Bo\n");

    let input = dir.file("USERS.TOON", USERS_TOON);
    assert_eq!(toon(&[text(&input)], b"").ok(), format!("{USERS_JSON}\n"));
    let pretty = toon(&["--pretty", &text(&input)], b"").ok();
    assert_eq!(json(&pretty), json(USERS_JSON));
    assert!(pretty.starts_with("{\n  \"users\": [\n"), "{pretty}");
}

#[test]
fn unknown_extension_asks_for_a_command() {
    let dir = TempDir::new();
    let input = dir.file("users.csv", "id,name\n1,Ada\n");
    for arg in [text(&input), "-".to_owned()] {
        let stderr = toon(&[arg], b"").fails(2);
        assert!(
            stderr.contains("toon encode") && stderr.contains("toon decode"),
            "{stderr}"
        );
    }
}

#[test]
fn invalid_toon_reports_file_line_column_and_caret() {
    let dir = TempDir::new();
    let input = dir.file("rows.toon", "rows[1]{a,b}:\n  1\n");
    let out = dir.path("rows.json");
    let stderr = toon(&["decode", &text(&input), "-o", &text(&out)], b"").fails(1);
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        lines[0].starts_with(&format!("{}:2:3: ", text(&input))),
        "{stderr}"
    );
    assert_eq!(lines[1..], ["  1", "  ^"]);
    assert!(!out.exists(), "no output file on error");

    let stderr = toon(&["decode"], b"rows[1]{a,b}:\n  1").fails(1);
    assert!(stderr.starts_with("<stdin>:2:3: "), "{stderr}");
}

#[test]
fn error_format_json_prints_one_object_per_error() {
    let stderr = toon(&["decode", "--error-format", "json"], b"a: 1\na: 2").fails(1);
    assert_eq!(
        json(&stderr),
        serde_json::json!({
            "file": "<stdin>", "line": 2, "column": 1, "category": "duplicate_key",
            "converter": null, "message": "duplicate sibling key \"a\"", "path": null,
            "hint": "write each key once per object and each field once per header",
            "expected": "a key not yet in this object", "found": "\"a\" again",
        })
    );
    // Before the command too, and for a converter's failure (no TOON category for JSON).
    let stderr = toon(
        &[
            "--error-format",
            "json",
            "convert",
            "-",
            "--from",
            "json",
            "--to",
            "toon",
            "-q",
        ],
        b"{\"a\": 1,}",
    )
    .fails(1);
    let error = json(&stderr);
    assert_eq!(error["line"], 1, "{stderr}");
    assert_eq!(error["column"], 9, "{stderr}");
    assert_eq!(error["converter"], "json-to-toon", "{stderr}");
    assert_eq!(error["category"], serde_json::Value::Null, "{stderr}");
    // An error without a place: line and column 0.
    let stderr = toon(&["decode", "--error-format", "json", "missing.toon"], b"").fails(1);
    assert_eq!(json(&stderr)["line"], 0, "{stderr}");
    // With a file argument and no command, `json` is the format's value, not the FILE.
    let dir = TempDir::new();
    let input = dir.file("bad.toon", "x: 1\nfoo\n");
    let stderr = toon(&["--error-format", "json", &text(&input)], b"").fails(1);
    assert_eq!(
        json(&stderr)["message"],
        "missing colon after key",
        "{stderr}"
    );
}

#[test]
fn invalid_json_reports_file_line_column_and_caret() {
    let dir = TempDir::new();
    let input = dir.file("bad.json", "{\"a\": [1,\n  2,,]}");
    let stderr = toon(&[text(&input)], b"").fails(1);
    assert_eq!(
        stderr,
        format!(
            "{}:2:5: invalid JSON: expected value\n  2,,]}}\n    ^\n",
            text(&input)
        )
    );
    let stderr = toon(&["encode"], b"[1, 2").fails(1);
    assert!(stderr.starts_with("<stdin>:1:"), "{stderr}");
}

#[test]
fn invalid_utf8_is_an_error() {
    let stderr = toon(&["decode"], b"a: ok\nb: \xff\n").fails(1);
    assert!(stderr.starts_with("<stdin>:2:4: "), "{stderr}");
    assert!(stderr.contains("UTF-8"), "{stderr}");
    let stderr = toon(&["encode"], b"{\"a\":\"\xff\"}").fails(1);
    assert!(stderr.starts_with("<stdin>:1:7: invalid JSON"), "{stderr}");
}

#[test]
fn missing_file_is_an_io_error() {
    let dir = TempDir::new();
    for (command, name) in [("encode", "none.json"), ("decode", "none.toon")] {
        let path = text(&dir.path(name));
        let stderr = toon(&[command, &path], b"").fails(1);
        assert!(stderr.starts_with(&format!("toon: {path}: ")), "{stderr}");
    }
}

#[test]
fn help_and_version() {
    for command in [
        "encode",
        "decode",
        "tokens",
        "convert",
        "checkpoint",
        "precommit",
        "completions",
    ] {
        let help = toon(&[command, "--help"], b"").ok();
        assert!(help.contains("Examples:"), "{help}");
        assert!(help.contains(&format!("toon {command} ")), "{help}");
    }
    let version = toon(&["--version"], b"").ok();
    assert_eq!(version, format!("toon {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn completions_for_every_shell() {
    let bash = toon(&["completions", "bash"], b"").ok();
    for command in [
        "encode",
        "decode",
        "tokens",
        "convert",
        "checkpoint",
        "precommit",
        "completions",
    ] {
        assert!(bash.contains(command), "bash completion lacks {command}");
    }
    // Option values are completed too: the formats of --to.
    assert!(bash.contains("toon md json"), "{bash}");
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let script = toon(&["completions", shell], b"").ok();
        assert!(script.contains("precommit"), "{shell}: {script}");
    }
    assert_eq!(
        toon(&["completions", "tcsh"], b"").fails(2).lines().next(),
        Some("error: invalid value 'tcsh' for '<SHELL>'")
    );
}

#[test]
fn round_trip_json_toon_json() {
    let original = r#"{
        "id": 7, "big": 18446744073709551615, "neg": -9223372036854775808, "pi": 3.14159,
        "tiny": 1e-7, "huge": 1e300, "text": "a, b: \"c\" \\ é 🙂", "empty": "", "nul": null,
        "flags": [true, false, null], "nested": {"deep": {"deeper": [[1, 2], [], {}]}},
        "rows": [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}],
        "groups": [{"k": {"x": 1, "y": 2}, "v": 0}, {"k": {"x": 3, "y": 4}, "v": 1}],
        "keyed": {"one": {"p": 1, "q": "r"}, "two": {"p": 2, "q": "s"}},
        "mixed": [1, "two", {"three": 3}, [4]], "numbery": ["1", "1.5", "-0", "true", "null"]
    }"#;
    let dir = TempDir::new();
    let input = dir.file("round.json", original);
    let toon_path = dir.path("round.toon");
    toon(&["encode", &text(&input), "-o", &text(&toon_path)], b"").ok();
    let back = toon(&[text(&toon_path)], b"").ok();
    assert_eq!(json(&back), json(original));
}

/// The example data: every `examples/data/*.json` with its encoded `.toon` beside it.
fn examples() -> Vec<(PathBuf, PathBuf)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/data");
    let mut pairs: Vec<_> = std::fs::read_dir(&dir)
        .expect("examples/data exists")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .map(|path| {
            let toon = path.with_extension("toon");
            (path, toon)
        })
        .collect();
    pairs.sort();
    pairs
}

#[test]
fn examples_stay_in_sync_with_the_encoder() {
    let pairs = examples();
    assert!(pairs.len() >= 4, "expected the example data set");
    for (json_path, toon_path) in pairs {
        let expected = std::fs::read_to_string(&toon_path)
            .unwrap_or_else(|e| panic!("{}: {e}", toon_path.display()));
        let encoded = toon(&["encode", &text(&json_path)], b"").ok();
        assert_eq!(
            encoded,
            expected,
            "{} is stale: regenerate it with `toon encode {} -o {}`",
            toon_path.display(),
            json_path.display(),
            toon_path.display()
        );
        let decoded = toon(&["decode", &text(&toon_path)], b"").ok();
        let original = std::fs::read_to_string(&json_path).unwrap();
        assert_eq!(json(&decoded), json(&original), "{}", toon_path.display());
    }
}
