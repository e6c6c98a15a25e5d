//! The four Markdown and JSON converters in one registry: lookup by formats and by path,
//! a parallel batch JSON → TOON → Markdown with a bad file in the middle, chained
//! conversions, and the cache keyed by each converter's options.

use std::path::Path;

use json_to_toon::{JsonToToon, JsonToToonOptions};
use markdown_to_toon::MarkdownToToon;
use toon::{Delimiter, EncodeOptions};
use toon_convert::{BatchJob, ConverterRegistry, Format, Input};
use toon_to_json::{ToonToJson, ToonToJsonOptions};
use toon_to_markdown::ToonToMarkdown;

fn registry(cache: Option<u64>) -> ConverterRegistry {
    let mut registry = ConverterRegistry::new();
    if let Some(bytes) = cache {
        registry = registry.with_cache(bytes);
    }
    registry
        .register(JsonToToon::default())
        .register(ToonToJson::default())
        .register(ToonToMarkdown::default())
        .register(MarkdownToToon::default());
    registry
}

#[test]
fn all_four_are_found_by_formats_and_paths() {
    let registry = registry(None);
    let pairs = [
        (Format::Json, Format::Toon, "json-to-toon"),
        (Format::Toon, Format::Json, "toon-to-json"),
        (Format::Toon, Format::Markdown, "toon-to-markdown"),
        (Format::Markdown, Format::Toon, "markdown-to-toon"),
    ];
    for (source, target, name) in pairs {
        let converter = registry.find(source, target).expect(name);
        assert_eq!(converter.name(), name);
        assert_eq!((converter.source(), converter.target()), (source, target));
    }
    let names: Vec<&str> = registry.converters().map(|c| c.name()).collect();
    assert_eq!(names.len(), 4);
    assert_eq!(
        registry
            .for_path(Path::new("docs/README.markdown"), Format::Toon)
            .map(|c| c.name()),
        Some("markdown-to-toon")
    );
    assert_eq!(
        registry
            .for_path(Path::new("data/users.JSON"), Format::Toon)
            .map(|c| c.name()),
        Some("json-to-toon")
    );
    assert!(registry.find(Format::Json, Format::Markdown).is_none());
}

#[test]
fn batch_json_to_toon_to_markdown_survives_a_bad_file() {
    let registry = registry(None);
    let inputs: [&[u8]; 5] = [
        br#"{"users":[{"id":1,"name":"Ada"},{"id":2,"name":"Bo"}]}"#,
        br#"{"tags":["a","b"],"ok":true}"#,
        b"{\"broken\": [1, 2,\n  }",
        br#"{"servers":{"a":{"host":"x.com","port":80},"b":{"host":"y.com","port":443}}}"#,
        br#"[1,"two",{"three":3}]"#,
    ];
    let jobs: Vec<BatchJob<'_>> = inputs
        .iter()
        .map(|bytes| BatchJob {
            source: Format::Json,
            target: Format::Toon,
            input: Input::Bytes(bytes),
        })
        .collect();
    let toons = registry.convert_batch(&jobs);
    assert_eq!(toons.len(), 5);
    let error = toons[2].as_ref().unwrap_err();
    assert_eq!(error.location(), Some((2, 3)));
    assert!(error.to_string().contains("invalid JSON"), "{error}");
    assert_eq!(
        toons[0].as_deref().unwrap(),
        "users[2]{id,name}:\n  1,Ada\n  2,Bo\n"
    );

    // Second stage: the good outputs to Markdown, in one batch again.
    let good: Vec<&str> = toons.iter().filter_map(|r| r.as_deref().ok()).collect();
    assert_eq!(good.len(), 4);
    let jobs: Vec<BatchJob<'_>> = good
        .iter()
        .map(|toon| BatchJob {
            source: Format::Toon,
            target: Format::Markdown,
            input: Input::Bytes(toon.as_bytes()),
        })
        .collect();
    let markdown: Vec<String> = registry
        .convert_batch(&jobs)
        .into_iter()
        .map(|r| r.unwrap().to_string())
        .collect();
    assert_eq!(
        markdown[0],
        "# users\n\n| id | name |\n| --- | --- |\n| 1 | Ada |\n| 2 | Bo |\n"
    );
    // A field after a container keeps its place: the container is a field too.
    assert_eq!(markdown[1], "- **tags**:\n\n  - a\n  - b\n- **ok**: true\n");
    assert_eq!(
        markdown[2],
        "# servers\n\n|  | host | port |\n| --- | --- | --- |\n| a | x.com | 80 |\n| b | y.com | 443 |\n"
    );
    assert_eq!(markdown[3], "- 1\n- two\n-\n  - **three**: 3\n");
}

#[test]
fn chains_round_trip_through_the_registry() {
    let registry = registry(None);
    let json = br#"{"name":"toon","version":"0.1.0","ratio":0.5,"tags":["a","b"]}"#;
    let toon = registry
        .convert(Format::Json, Format::Toon, Input::Bytes(json))
        .unwrap();
    let back = registry
        .convert(Format::Toon, Format::Json, Input::Bytes(toon.as_bytes()))
        .unwrap();
    assert_eq!(&*back, format!("{}\n", std::str::from_utf8(json).unwrap()));

    let markdown = "# Notes\n\n- **owner**: Ada\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";
    let toon = registry
        .convert(
            Format::Markdown,
            Format::Toon,
            Input::Bytes(markdown.as_bytes()),
        )
        .unwrap();
    let rendered = registry
        .convert(
            Format::Toon,
            Format::Markdown,
            Input::Bytes(toon.as_bytes()),
        )
        .unwrap();
    let again = registry
        .convert(
            Format::Markdown,
            Format::Toon,
            Input::Bytes(rendered.as_bytes()),
        )
        .unwrap();
    assert_eq!(toon, again);
}

#[test]
fn the_cache_is_keyed_by_converter_options() {
    let mut registry = registry(Some(1 << 20));
    let json = br#"{"rows":[{"a":1,"b":2},{"a":3,"b":4}]}"#;
    let first = registry
        .convert(Format::Json, Format::Toon, Input::Bytes(json))
        .unwrap();
    let again = registry
        .convert(Format::Json, Format::Toon, Input::Bytes(json))
        .unwrap();
    assert_eq!(first, again);
    let stats = registry.cache_stats().unwrap();
    assert_eq!((stats.hits, stats.misses, stats.entries), (1, 1, 1));

    // A converter with other options takes precedence and must not see the cached output.
    registry.register(JsonToToon::new(JsonToToonOptions {
        encode: EncodeOptions::new().with_delimiter(Delimiter::Pipe),
    }));
    let piped = registry
        .convert(Format::Json, Format::Toon, Input::Bytes(json))
        .unwrap();
    assert_eq!(&*piped, "rows[2|]{a|b}:\n  1|2\n  3|4\n");
    let stats = registry.cache_stats().unwrap();
    assert_eq!((stats.hits, stats.misses, stats.entries), (1, 2, 2));

    // Failures are not cached.
    for _ in 0..2 {
        assert!(
            registry
                .convert(Format::Json, Format::Toon, Input::Bytes(b"{"))
                .is_err()
        );
    }
    assert_eq!(registry.cache_stats().unwrap().entries, 2);

    registry.register(ToonToJson::new(ToonToJsonOptions {
        pretty: true,
        ..ToonToJsonOptions::default()
    }));
    let pretty = registry
        .convert(Format::Toon, Format::Json, Input::Bytes(piped.as_bytes()))
        .unwrap();
    assert!(pretty.starts_with("{\n  \"rows\": [\n"), "{pretty}");
}
