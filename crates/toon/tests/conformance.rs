//! Runs the official language-agnostic TOON fixtures (`../shared/toon-spec/fixtures`)
//! against the encoder and decoder, skipping exactly the cases listed in
//! `known-superseded.json`, and reports failures by file and index.
//!
//! The suite is found at `$TOON_SPEC_DIR`, or else at `../shared/toon-spec` beside the
//! repository. Without it the test fails, naming where it looked, unless
//! `TOON_SKIP_SPEC=1` says to skip the fixtures (then it passes and says so on stderr).

mod common;

use std::io::Write as _;
use std::path::PathBuf;

use serde::Deserialize as _;
use serde_json::Value as Json;
use toon::{DecodeOptions, Delimiter, EncodeOptions, Value};

const TARGET_VERSION: (u32, u32) = (4, 4);

fn version(s: &str) -> (u32, u32) {
    let mut parts = s.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

fn to_value(json: &Json) -> Value<'static> {
    Value::deserialize(json.clone()).expect("fixture JSON converts to a toon value")
}

struct Tally {
    passed: usize,
    skipped: usize,
    failures: Vec<String>,
}

fn run_case(kind: &str, case: &Json) -> Result<(), String> {
    let options = case.get("options").cloned().unwrap_or(Json::Null);
    let indent = options
        .get("indentSize")
        .and_then(Json::as_u64)
        .unwrap_or(2) as usize;
    let should_error = case
        .get("shouldError")
        .and_then(Json::as_bool)
        .unwrap_or(false);
    if kind == "encode" {
        let delimiter = match options.get("delimiter").and_then(Json::as_str) {
            Some(d) => d.parse::<Delimiter>().map_err(|e| e.to_string())?,
            None => Delimiter::Comma,
        };
        let opts = EncodeOptions::new()
            .with_indent(indent)
            .with_delimiter(delimiter);
        let input = to_value(&case["input"]);
        let result = toon::encode(&input, &opts);
        match (result, should_error) {
            (Ok(text), false) => {
                let expected = case["expected"].as_str().unwrap_or_default();
                if text == expected {
                    Ok(())
                } else {
                    Err(format!("expected:\n{expected}\n--- got:\n{text}"))
                }
            }
            (Err(_), true) => Ok(()),
            (Ok(text), true) => Err(format!("expected an error, got:\n{text}")),
            (Err(e), false) => Err(format!("unexpected error: {e}")),
        }
    } else {
        let strict = options
            .get("strict")
            .and_then(Json::as_bool)
            .unwrap_or(true);
        let opts = DecodeOptions::new().with_indent(indent).with_strict(strict);
        let input = case["input"].as_str().unwrap_or_default();
        serde_agrees(input, &opts)?;
        match (toon::decode(input, &opts), should_error) {
            (Ok(value), false) => {
                let expected = to_value(&case["expected"]);
                if value == expected {
                    Ok(())
                } else {
                    Err(format!(
                        "expected {}\n--- got {}",
                        case["expected"],
                        serde_json::to_string(&value).unwrap_or_default()
                    ))
                }
            }
            (Err(_), true) => Ok(()),
            (Ok(value), true) => Err(format!(
                "expected an error, got {}",
                serde_json::to_string(&value).unwrap_or_default()
            )),
            (Err(e), false) => Err(format!("unexpected error: {e}")),
        }
    }
}

/// The serde paths (`from_str::<serde_json::Value>`, which reads tabular rows whole, and
/// `from_str::<IgnoredAny>`, which skips them whole) give what `decode` gives: the same
/// value, or an error at the same line and column in the same category.
fn serde_agrees(input: &str, opts: &DecodeOptions) -> Result<(), String> {
    let direct = toon::decode(input, opts);
    // Skipping the whole document reads (and checks) it all the same.
    let skipped = toon::from_str_with_options::<serde::de::IgnoredAny>(input, opts);
    match (&direct, &skipped) {
        (Ok(_), Ok(_)) => {}
        (Err(a), Err(b))
            if (a.line(), a.column(), a.category()) == (b.line(), b.column(), b.category()) => {}
        (a, b) => {
            return Err(format!(
                "decode and from_str::<IgnoredAny> disagree: {:?} vs {:?}",
                a.as_ref().map(|_| "Ok"),
                b.as_ref().map(|_| "Ok")
            ));
        }
    }
    let via_serde = toon::from_str_with_options::<Json>(input, opts);
    match (&direct, &via_serde) {
        (Ok(value), Ok(json)) => {
            let expected = serde_json::to_value(value).map_err(|e| e.to_string())?;
            if &expected == json {
                Ok(())
            } else {
                Err(format!(
                    "from_str::<serde_json::Value> gives {json}\n--- decode gives {expected}"
                ))
            }
        }
        (Err(a), Err(b))
            if (a.line(), a.column(), a.category()) == (b.line(), b.column(), b.category()) =>
        {
            Ok(())
        }
        (a, b) => Err(format!(
            "decode and from_str::<serde_json::Value> disagree: {:?} vs {:?}",
            a.as_ref().map(|_| "Ok"),
            b.as_ref().map(|_| "Ok")
        )),
    }
}

/// Prints to the real stderr, which the test harness does not capture, so that the
/// skip notice shows even when the test passes.
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// The spec suite (a folder holding `fixtures/`). When it is missing: `None` if
/// `TOON_SKIP_SPEC=1` asks to skip it (announced), a failure naming where it looked
/// otherwise.
fn spec_suite() -> Option<PathBuf> {
    if let Some(dir) = common::spec_dir().filter(|dir| dir.join("fixtures").is_dir()) {
        return Some(dir);
    }
    // The places `common::spec_dir` looks, as readable paths.
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let repo = repo.canonicalize().unwrap_or(repo);
    let beside = repo.parent().map_or_else(
        || repo.join("../shared/toon-spec"),
        |up| up.join("shared/toon-spec"),
    );
    let (env, beside_note) = match std::env::var_os("TOON_SPEC_DIR") {
        Some(dir) => (
            format!(
                "{} (no fixtures/ folder there)",
                PathBuf::from(dir).display()
            ),
            "not used while TOON_SPEC_DIR is set",
        ),
        None => ("not set".to_owned(), "no fixtures/ folder there"),
    };
    let looked = format!(
        "$TOON_SPEC_DIR: {env}; ../shared/toon-spec beside the repository: {} ({beside_note})",
        beside.display()
    );
    if std::env::var("TOON_SKIP_SPEC").is_ok_and(|v| v == "1") {
        say!("");
        say!("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
        say!("!! conformance: the spec fixtures were not found ({looked}).");
        say!("!! TOON_SKIP_SPEC=1 is set, so the spec fixtures were NOT RUN (skipped on request).");
        say!("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
        return None;
    }
    panic!(
        "conformance: the TOON spec fixtures were not found.\n  \
         looked in $TOON_SPEC_DIR: {env}\n  \
         looked in ../shared/toon-spec beside the repository: {} ({beside_note})\n\
         Set TOON_SPEC_DIR to the toon-spec folder (the one holding fixtures/), or put the \
         suite at {}; or set TOON_SKIP_SPEC=1 to skip the spec fixtures explicitly.",
        beside.display(),
        beside.display()
    );
}

#[test]
fn spec_fixtures() {
    let Some(dir) = spec_suite() else {
        return;
    };
    let fixtures = dir.join("fixtures");
    let superseded: Json = serde_json::from_str(
        &std::fs::read_to_string(fixtures.join("known-superseded.json"))
            .expect("known-superseded.json"),
    )
    .expect("known-superseded.json parses");
    let skip: Vec<(String, u64)> = superseded["cases"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            (
                c["file"].as_str().unwrap_or_default().to_string(),
                c["index"].as_u64().unwrap_or(u64::MAX),
            )
        })
        .collect();

    let mut tally = Tally {
        passed: 0,
        skipped: 0,
        failures: Vec::new(),
    };
    for kind in ["encode", "decode"] {
        let mut files: Vec<_> = std::fs::read_dir(fixtures.join(kind))
            .expect("fixture folder")
            .map(|e| e.expect("dir entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        for path in files {
            let name = format!(
                "{kind}/{}",
                path.file_name().unwrap_or_default().to_string_lossy()
            );
            let file: Json =
                serde_json::from_str(&std::fs::read_to_string(&path).expect("read fixture"))
                    .expect("fixture parses");
            for (index, case) in file["tests"].as_array().into_iter().flatten().enumerate() {
                let min = case
                    .get("minSpecVersion")
                    .and_then(Json::as_str)
                    .map(version);
                if min.is_some_and(|v| v > TARGET_VERSION)
                    || skip.contains(&(name.clone(), index as u64))
                {
                    tally.skipped += 1;
                    continue;
                }
                match run_case(kind, case) {
                    Ok(()) => tally.passed += 1,
                    Err(why) => tally.failures.push(format!(
                        "{name} #{index} ({}):\n  input: {}\n{why}",
                        case["name"].as_str().unwrap_or_default(),
                        case["input"]
                    )),
                }
            }
        }
    }
    for failure in &tally.failures {
        eprintln!("FAIL {failure}\n");
    }
    eprintln!(
        "conformance: {} passed, {} failed, {} skipped (superseded by 4.4 or newer than 4.4)",
        tally.passed,
        tally.failures.len(),
        tally.skipped
    );
    assert!(
        tally.failures.is_empty(),
        "{} fixture cases failed",
        tally.failures.len()
    );
    assert_eq!(
        tally.passed, 558,
        "the v4.4 fixture set has 558 applicable cases"
    );
}
