//! Runs the built `toon` binary for writing to models: `toon encode --auto`,
//! `toon encode --max-tokens`, `toon tokens --encoding` with the open-model encodings and
//! model names, and `toon schema`; every number is checked against the library.

mod common;

use common::{TempDir, text, toon};
use toon::{DecodeOptions, Delimiter, EncodeOptions};
use toon_tokens::{Encoding, TokenCounter};

fn users_json(rows: usize) -> String {
    let users: Vec<String> = (0..rows)
        .map(|i| format!(r#"{{"id":{i},"name":"User {i}","email":"u{i}@example.com"}}"#))
        .collect();
    format!(r#"{{"users":[{}],"meta":{{"page":1}}}}"#, users.join(","))
}

fn toon_text(json: &str, delimiter: Delimiter) -> String {
    let value: toon::Value<'_> = serde_json::from_str(json).unwrap();
    toon::encode(&value, &EncodeOptions::new().with_delimiter(delimiter)).unwrap()
}

fn compact(json: &str) -> String {
    serde_json::to_string(&serde_json::from_str::<serde_json::Value>(json).unwrap()).unwrap()
}

#[test]
fn auto_writes_the_cheapest_text_and_every_count() {
    let json = users_json(200);
    for (flag, encoding) in [
        ("o200k_base", Encoding::O200kBase),
        ("llama-3.1-70b", Encoding::Llama3),
        ("deepseek-r1", Encoding::DeepseekV3),
    ] {
        let counter = TokenCounter::uncached(encoding);
        let candidates = [
            ("toon-comma", toon_text(&json, Delimiter::Comma)),
            ("toon-tab", toon_text(&json, Delimiter::Tab)),
            ("toon-pipe", toon_text(&json, Delimiter::Pipe)),
            ("json", compact(&json)),
        ];
        let counts: Vec<usize> = candidates
            .iter()
            .map(|(_, text)| counter.count(text))
            .collect();
        let best = (0..4).min_by_key(|&index| (counts[index], index)).unwrap();
        let run = toon(
            &["encode", "--auto", "--encoding", flag, "-"],
            json.as_bytes(),
        )
        .succeeds();
        assert_eq!(run.stdout, format!("{}\n", candidates[best].1), "{flag}");
        assert_eq!(
            run.stderr,
            format!(
                "chosen: {}, {} tokens (toon-comma {}, toon-tab {}, toon-pipe {}, json {})\n",
                candidates[best].0, counts[best], counts[0], counts[1], counts[2], counts[3]
            ),
            "{flag}"
        );
    }
    // A deep, non-uniform document goes out as JSON.
    let deep = r#"[[[[1]]],[[[2]]],{"x":[{"y":[1,{"z":[[3]]}]}]}]"#;
    let run = toon(&["encode", "--auto"], deep.as_bytes()).succeeds();
    assert_eq!(run.stdout, format!("{deep}\n"));
    assert!(run.stderr.starts_with("chosen: json, "), "{}", run.stderr);
}

#[test]
fn max_tokens_writes_toon_within_the_budget_and_says_what_was_cut() {
    let dir = TempDir::new();
    let file = text(&dir.file("users.json", users_json(1000)));
    for (budget, encoding) in [(2000, "o200k_base"), (500, "cl100k_base"), (3000, "qwen2")] {
        let run = toon(
            &[
                "encode",
                "--max-tokens",
                &budget.to_string(),
                "--encoding",
                encoding,
                &file,
            ],
            b"",
        )
        .succeeds();
        let fitted = run.stdout.strip_suffix('\n').unwrap();
        let counter = TokenCounter::uncached(Encoding::resolve(encoding).unwrap());
        let tokens = counter.count(fitted);
        assert!(tokens <= budget, "{encoding}: {tokens} > {budget}");
        let value = toon::decode(fitted, &DecodeOptions::default()).unwrap();
        let toon::Value::Object(map) = &value else {
            panic!()
        };
        let kept = match map.get("users") {
            Some(toon::Value::Array(rows)) => rows.len(),
            _ => panic!("{fitted}"),
        };
        assert!(kept > 0 && kept < 1000, "{encoding}: {kept}");
        assert_eq!(run.stderr, format!("users: 1000 rows, {kept} kept\n"));
        assert!(fitted.contains(&format!("  # 1000 rows, first {kept} shown\n")));
    }
    // Everything fits: the plain TOON, nothing on standard error.
    let run = toon(&["encode", "--max-tokens", "100000", &file], b"").succeeds();
    assert_eq!(
        run.stdout,
        format!("{}\n", toon_text(&users_json(1000), Delimiter::Comma))
    );
    assert_eq!(run.stderr, "");
}

#[test]
fn a_budget_below_the_skeleton_fails_and_writes_nothing() {
    let run = toon(
        &["encode", "--max-tokens", "3", "-"],
        users_json(10).as_bytes(),
    );
    let stderr = run.fails(1);
    assert!(
        stderr.contains("even the skeleton (every array cut to 0 rows) takes")
            && stderr.contains("more than the budget of 3"),
        "{stderr}"
    );
}

#[test]
fn auto_and_max_tokens_refuse_options_they_decide_themselves() {
    let run = toon(&["encode", "--auto", "--delimiter", "tab"], b"{}");
    assert!(run.fails(2).contains("cannot be used with"));
    let run = toon(&["encode", "--auto", "--max-tokens", "10"], b"{}");
    assert!(run.fails(2).contains("cannot be used with"));
}

#[test]
fn tokens_takes_open_model_encodings_and_model_names() {
    let text = "Grüße, 世界! users[2]{id,name}:\n  1,Ada\n  2,Bo 🎉 1234567";
    for (name, encoding) in [
        ("llama3", Encoding::Llama3),
        ("llama-3.1-70b", Encoding::Llama3),
        ("qwen2", Encoding::Qwen2),
        ("qwen2.5-72b", Encoding::Qwen2),
        ("deepseek_v3", Encoding::DeepseekV3),
        ("deepseek-r1", Encoding::DeepseekV3),
        ("mistral_v3", Encoding::MistralV3),
        ("mistral-nemo", Encoding::MistralV3),
        ("gpt-4o", Encoding::O200kBase),
        ("gpt-4", Encoding::Cl100kBase),
    ] {
        let run = toon(&["tokens", "--encoding", name], text.as_bytes()).succeeds();
        let expected = TokenCounter::uncached(encoding).count(text);
        assert_eq!(run.stdout, format!("{expected}\n"), "{name}");
    }
    let run = toon(&["tokens", "--encoding", "llama-2-7b"], b"x");
    let stderr = run.fails(2);
    assert!(
        stderr.contains("unknown encoding `llama-2-7b`") && stderr.contains("qwen2"),
        "{stderr}"
    );
}

const SCHEMA: &str = r#"{"type":"object","properties":{"users":{"type":"array","items":{"type":"object",
  "properties":{"id":{"type":"integer"},"name":{"type":"string"},"email":{"type":"string","format":"email"}},
  "required":["id","name","email"]}}},"required":["users"]}"#;

#[test]
fn schema_prints_the_instructions_and_skeleton() {
    let dir = TempDir::new();
    let file = text(&dir.file("users.schema.json", SCHEMA));
    let template = toon_prompt::Template::new(serde_json::from_str(SCHEMA).unwrap()).unwrap();
    let run = toon(&["schema", &file], b"").succeeds();
    assert_eq!(run.stdout, format!("{}\n", template.prompt()));
    assert!(
        run.stdout
            .contains("```toon\nusers[N]{id,name,email}:\n  <integer>,<string>,<email>\n```")
    );
    let run = toon(&["schema", &file, "--delimiter", "pipe"], b"").succeeds();
    assert!(
        run.stdout
            .contains("users[N|]{id|name|email}:\n  <integer>|<string>|<email>")
    );
}

#[test]
fn schema_check_reports_each_mismatch_by_path() {
    let dir = TempDir::new();
    let file = text(&dir.file("users.schema.json", SCHEMA));
    let good = text(&dir.file(
        "good.txt",
        "Sure:\n```toon\nusers[2]{id,name,email}:\n  1,Ada,a@x.io\n  2,Bo,b@x.io\n```\n",
    ));
    let run = toon(&["schema", &file, "--check", &good], b"").succeeds();
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("", ""));
    let bad = text(&dir.file(
        "bad.toon",
        "users[2]{id,name,email}:\n  1,Ada,7\n  x,Bo,b@x.io\n",
    ));
    let stderr = toon(&["schema", &file, "--check", &bad], b"").fails(1);
    assert_eq!(
        stderr,
        format!(
            "{bad}: users[0].email: expected string, found 7\n\
             {bad}: users[1].id: expected integer, found \"x\"\n"
        )
    );
    let cut = text(&dir.file("cut.toon", "users[3]{id,name,email}:\n  1,Ada,a@x.io\n"));
    let stderr = toon(&["schema", &file, "--check", &cut], b"").fails(1);
    assert!(stderr.contains(": truncated: "), "{stderr}");
    let broken = text(&dir.file("broken.json", "{\"type\": 3"));
    let stderr = toon(&["schema", &broken], b"").fails(1);
    assert!(
        stderr.starts_with(&format!("{broken}:1:10: invalid JSON")),
        "{stderr}"
    );
}
