//! Runs the built `toon` binary: `toon tokens` (counts, encodings, `--compare`) and
//! `toon encode --stats`, checking every number against the library.

mod common;

use common::{TempDir, text, toon};
use toon_tokens::{Encoding, TokenCounter};

const USERS_JSON: &str = r#"{"users":[{"id":1,"name":"Ada","role":"admin"},{"id":2,"name":"Bo","role":"user"},{"id":3,"name":"Cy","role":"user"}]}"#;

fn toon_text(json: &str) -> String {
    let value: toon::Value<'_> = serde_json::from_str(json).unwrap();
    toon::encode(&value, &toon::EncodeOptions::default()).unwrap()
}

#[test]
fn counts_standard_input() {
    let run = toon(&["tokens"], b"Hello, world!");
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (Some(0), "4\n", "")
    );
    let run = toon(&["tokens", "-"], b"");
    assert_eq!(run.stdout, "0\n");
}

#[test]
fn counts_a_file_in_either_encoding() {
    let text = "Some prose, some code: fn main() { println!(\"héllo 世界 🎉\"); }\n".repeat(50);
    let dir = TempDir::new();
    let file = common::text(&dir.file("notes.txt", &text));
    for (flag, encoding) in [
        (None, Encoding::O200kBase),
        (Some("o200k_base"), Encoding::O200kBase),
        (Some("cl100k_base"), Encoding::Cl100kBase),
    ] {
        let mut args = vec!["tokens", file.as_str()];
        if let Some(name) = flag {
            args.extend(["--encoding", name]);
        }
        let run = toon(&args, b"");
        let expected = TokenCounter::uncached(encoding).count(&text);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        assert_eq!(run.stdout, format!("{expected}\n"), "{flag:?}");
    }
    assert_ne!(
        TokenCounter::uncached(Encoding::O200kBase).count(&text),
        TokenCounter::uncached(Encoding::Cl100kBase).count(&text)
    );
}

#[test]
fn rejects_unknown_encodings_and_bad_input() {
    let run = toon(&["tokens", "--encoding", "p50k_base"], b"x");
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.contains("unknown encoding `p50k_base`"),
        "{}",
        run.stderr
    );
    let run = toon(&["tokens"], b"ok \xff\xfe");
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("<stdin>: invalid UTF-8 at byte 3"),
        "{}",
        run.stderr
    );
    let run = toon(&["tokens", "/definitely/not/here.txt"], b"");
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("/definitely/not/here.txt"),
        "{}",
        run.stderr
    );
    let run = toon(&["tokens", "--delimiter", "tab"], b"x");
    assert_eq!(run.code, Some(2), "--delimiter needs --compare");
}

#[test]
fn compare_prints_both_counts_and_the_saving() {
    let dir = TempDir::new();
    let file = text(&dir.file("users.json", USERS_JSON));
    let run = toon(&["tokens", "--compare", &file], b"");
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let toon_text = toon_text(USERS_JSON);
    let savings = TokenCounter::uncached(Encoding::O200kBase).savings(USERS_JSON, &toon_text);
    assert!(savings.saved_tokens() > 0);
    let expected = format!(
        "encoding: o200k_base\njson: {} tokens, {} bytes\ntoon: {} tokens, {} bytes\n\
         saved: {} tokens ({:.1}%), {} bytes ({:.1}%)\n",
        savings.json_tokens,
        savings.json_bytes,
        savings.toon_tokens,
        savings.toon_bytes,
        savings.saved_tokens(),
        savings.saved_percent(),
        savings.saved_bytes(),
        savings.saved_bytes_percent()
    );
    assert_eq!(run.stdout, expected);

    // Standard input, cl100k, another delimiter.
    let run = toon(
        &[
            "tokens",
            "--compare",
            "--encoding",
            "cl100k_base",
            "--delimiter",
            "tab",
        ],
        USERS_JSON.as_bytes(),
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let value: toon::Value<'_> = serde_json::from_str(USERS_JSON).unwrap();
    let options = toon::EncodeOptions::new().with_delimiter(toon::Delimiter::Tab);
    let tab_text = toon::encode(&value, &options).unwrap();
    let tokens = TokenCounter::uncached(Encoding::Cl100kBase).count(&tab_text);
    assert!(
        run.stdout.starts_with("encoding: cl100k_base\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(&format!("toon: {tokens} tokens, {} bytes", tab_text.len())),
        "{}",
        run.stdout
    );
}

#[test]
fn compare_reports_json_errors_with_their_place() {
    let run = toon(&["tokens", "--compare"], b"{\"a\": tru}");
    assert_eq!(run.code, Some(1));
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr.starts_with("<stdin>:1:10: invalid JSON"),
        "{}",
        run.stderr
    );
}

#[test]
fn encode_stats_prints_the_saving_to_stderr() {
    let run = toon(&["encode", "--stats"], USERS_JSON.as_bytes());
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let toon_text = toon_text(USERS_JSON);
    assert_eq!(run.stdout, format!("{toon_text}\n"));
    let savings = TokenCounter::uncached(Encoding::O200kBase).savings(USERS_JSON, &toon_text);
    let expected = format!(
        "Token counts (o200k_base): {} (JSON) → {} (TOON), saved {} tokens (-{:.1}%)\n",
        savings.json_tokens,
        savings.toon_tokens,
        savings.saved_tokens(),
        savings.saved_percent()
    );
    assert_eq!(run.stderr, expected);

    // With -o the TOON goes to the file and the stats still to stderr; without --stats
    // stderr stays empty.
    let dir = TempDir::new();
    let out = text(&dir.path("out.toon"));
    let run = toon(&["encode", "--stats", "-o", &out], USERS_JSON.as_bytes());
    assert_eq!((run.code, run.stdout.as_str()), (Some(0), ""));
    assert_eq!(run.stderr, expected);
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        format!("{toon_text}\n")
    );
    let run = toon(&["encode"], USERS_JSON.as_bytes());
    assert_eq!((run.code, run.stderr.as_str()), (Some(0), ""));
    // `toon FILE.json --stats` implies encode.
    let file = text(&dir.file("stats.json", USERS_JSON));
    let run = toon(&[file.as_str(), "--stats"], b"");
    assert_eq!((run.code, run.stderr.clone()), (Some(0), expected));
}

/// `--redis URL` (or `TOON_REDIS_URL`) with nothing listening there: counts and
/// conversions are exactly what they are without it and nothing is reported; a URL that
/// is not a Redis URL is a usage error. (Sharing through a real Redis with Python and
/// Node: `scripts/test_shared_redis.py`.)
#[test]
fn an_unreachable_redis_costs_only_the_sharing() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .unwrap()
        .port();
    let url = format!("redis://127.0.0.1:{port}/0");
    let text = "A text long enough for the Redis tier, said again. ".repeat(40);
    let expected = TokenCounter::uncached(Encoding::O200kBase).count(&text);

    let run = toon(&["tokens", "--redis", url.as_str()], text.as_bytes());
    assert_eq!(run.ok(), format!("{expected}\n"));
    let run = common::run(
        common::toon_command()
            .arg("tokens")
            .env("TOON_REDIS_URL", &url),
        text.as_bytes(),
    );
    assert_eq!(run.ok(), format!("{expected}\n"));

    let args = ["convert", "-", "--from", "json", "--to", "toon", "-q"];
    let plain = toon(&args, USERS_JSON.as_bytes()).ok();
    let with_redis = [&args[..], &["--redis", url.as_str()]].concat();
    assert_eq!(toon(&with_redis, USERS_JSON.as_bytes()).ok(), plain);
    assert_eq!(plain, toon_text(USERS_JSON) + "\n");

    let stderr = toon(&["tokens", "--redis", "http://example.com"], b"text").fails(2);
    assert!(stderr.contains("invalid Redis URL"), "{stderr}");
}
