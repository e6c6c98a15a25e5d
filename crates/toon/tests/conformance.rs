//! Runs the official language-agnostic TOON fixtures (`../shared/toon-spec/fixtures`)
//! against the encoder and decoder, skipping exactly the cases listed in
//! `known-superseded.json`, and reports failures by file and index.

mod common;

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

#[test]
fn spec_fixtures() {
    let Some(dir) = common::spec_dir() else {
        common::announce_missing("conformance");
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
