//! `toon::ChunkDecoder`: text fed in chunks split anywhere (mid-line, mid-character)
//! gives the value `decode` gives the whole text, the same errors at the same places,
//! and every row as soon as its line ends; text that stops early is truncation with the
//! part that arrived.

mod common;

use serde_json::Value as Json;
use toon::{Category, ChunkDecoder, DecodeOptions, Place, RepairOptions, Repaired, Value};

const DOCUMENTS: &[&str] = &[
    "users[3]{id,name,email}:\n  1,Ada,ada@example.com\n  2,Bo,bo@example.com\n  3,Cy,\"cy, jr@example.com\"\ncount: 3",
    "config:\n  server:\n    host: localhost\n    port: 8080\n  tags[2]: a,b\nitems[2]:\n  - id: 1\n    rows[2]{x,y}:\n      1,2\n      3,4\n  - id: 2\n    rows[1]{x,y}:\n      5,6\nok: true",
    "m[2:]{x,y}:\n  p: 1,2\n  q: 3,4\nend: 1",
    "[3]:\n  - a: 1\n  - [2]: x,y\n  - \"naïve café ☕\"\n",
    "# a comment\nname: \"Zoë 🚀\"\n\nlist[2|]: a|b\n",
    "42",
];

/// Feeds `text` cut at `cuts` (byte offsets, ascending) and finishes; the parts in order
/// as (path, value).
fn feed(
    text: &[u8],
    cuts: &[usize],
    options: &DecodeOptions,
) -> toon::Result<(Repaired<'static>, Vec<(String, Value<'static>)>)> {
    let mut decoder = ChunkDecoder::new(options)?;
    let mut parts = Vec::new();
    let mut start = 0;
    for &cut in cuts.iter().chain([&text.len()]) {
        decoder.feed(&text[start..cut], |part| {
            parts.push((part.path(), part.value.clone()))
        })?;
        start = cut;
    }
    let end = decoder.finish(|part| parts.push((part.path(), part.value.clone())))?;
    Ok((end, parts))
}

fn whole(text: &str) -> Value<'static> {
    toon::decode(text, &DecodeOptions::default())
        .expect("the document is valid")
        .into_owned()
}

#[test]
fn every_split_in_two_and_three_gives_the_whole_value_and_the_same_parts() {
    for doc in DOCUMENTS {
        let expected = whole(doc);
        let (end, parts) = feed(doc.as_bytes(), &[], &DecodeOptions::default()).unwrap();
        assert_eq!(end.value, expected, "{doc:?}");
        assert!(end.truncated.is_none() && end.repairs.is_empty());
        for a in 0..=doc.len() {
            let (end, split_parts) = feed(doc.as_bytes(), &[a], &DecodeOptions::default())
                .unwrap_or_else(|e| panic!("{doc:?} cut at {a}: {e}"));
            assert_eq!(end.value, expected, "{doc:?} cut at {a}");
            assert_eq!(split_parts, parts, "{doc:?} cut at {a}");
            for b in (a..=doc.len()).step_by(3) {
                let (end, _) = feed(doc.as_bytes(), &[a, b], &DecodeOptions::default()).unwrap();
                assert_eq!(end.value, expected, "{doc:?} cut at {a}, {b}");
            }
        }
        // One byte at a time.
        let cuts: Vec<usize> = (1..doc.len()).collect();
        let (end, byte_parts) = feed(doc.as_bytes(), &cuts, &DecodeOptions::default()).unwrap();
        assert_eq!((end.value, byte_parts), (expected, parts), "{doc:?}");
    }
}

#[test]
fn parts_are_the_rows_and_fields_reached_through_objects_and_match_the_value() {
    let (end, parts) = feed(DOCUMENTS[1].as_bytes(), &[], &DecodeOptions::default()).unwrap();
    let paths: Vec<&str> = parts.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "config.server.host",
            "config.server.port",
            "config.tags[0]",
            "config.tags[1]",
            "items[0]",
            "items[1]",
            "ok"
        ]
    );
    let items = end.value.get("items").and_then(Value::as_array).unwrap();
    assert_eq!(parts[4].1, items[0]);
    assert_eq!(parts[5].1, items[1]);
    // A root array's elements have empty parents.
    let mut places = Vec::new();
    let mut decoder = ChunkDecoder::new(&DecodeOptions::default()).unwrap();
    decoder
        .feed(DOCUMENTS[3].as_bytes(), |part| {
            places.push((
                part.parent.to_owned(),
                part.place == Place::Index(places.len()),
            ))
        })
        .unwrap();
    assert_eq!(places.len(), 3, "the last item ends with its line break");
    assert!(places.iter().all(|(parent, at)| parent.is_empty() && *at));
}

#[test]
fn a_row_arrives_when_its_line_ends() {
    let mut decoder = ChunkDecoder::new(&DecodeOptions::default()).unwrap();
    let mut seen = Vec::new();
    let mut push = |chunk: &str, seen: &mut Vec<String>| {
        decoder
            .feed(chunk.as_bytes(), |part| seen.push(part.path()))
            .unwrap();
        seen.len()
    };
    assert_eq!(push("rows[2]{a,b}:\n  1,", &mut seen), 0);
    assert_eq!(push("2", &mut seen), 0);
    assert_eq!(push("\n", &mut seen), 1);
    assert_eq!(push("  3,4\nnext:\n  k: v", &mut seen), 2);
    assert_eq!(seen, ["rows[0]", "rows[1]"]);
    let end = decoder.finish(|part| seen.push(part.path())).unwrap();
    assert_eq!(seen.last().map(String::as_str), Some("next.k"));
    assert!(end.truncated.is_none());
}

#[test]
fn errors_are_the_decoders_at_the_same_place_and_the_decoder_stays_stopped() {
    for text in [
        "a: 1\nb:\n   c: 2\n",
        "rows[2]{a,b}:\n  1,2,3\n  4,5\n",
        "a: \"x\\q\"\nb: 2\n",
        "a: 1\na: 2\n",
        "rows[1]: 1,2\n",
    ] {
        let expected = toon::decode(text, &DecodeOptions::default()).unwrap_err();
        for cut in 0..=text.len() {
            let error = feed(text.as_bytes(), &[cut], &DecodeOptions::default()).unwrap_err();
            assert_eq!(
                (
                    error.line(),
                    error.column(),
                    error.category(),
                    error.message()
                ),
                (
                    expected.line(),
                    expected.column(),
                    expected.category(),
                    expected.message()
                ),
                "{text:?} cut at {cut}"
            );
            assert_eq!(error.path(), expected.path());
        }
    }
    let mut decoder = ChunkDecoder::new(&DecodeOptions::default()).unwrap();
    assert!(decoder.feed(b"a: \"\\q\"\n", |_| {}).is_err());
    assert!(decoder.feed(b"b: 1\n", |_| {}).is_err());
    assert!(decoder.finish(|_| {}).is_err());
}

#[test]
fn ill_formed_utf8_is_an_error_at_its_line_but_a_character_cut_at_the_end_is_a_cut() {
    let error = feed(b"a: 1\nb: x\xffy\n", &[7], &DecodeOptions::default()).unwrap_err();
    assert_eq!((error.line(), error.column()), (2, 5));
    assert_eq!(error.category(), Category::Syntax);
    // "é" is two bytes; the text stops after the first.
    let (end, _) = feed(
        b"rows[3]{a}:\n  x\n  caf\xc3",
        &[],
        &DecodeOptions::default(),
    )
    .unwrap();
    let rows = end.value.get("rows").and_then(Value::as_array).unwrap();
    assert_eq!(rows[1].get("a"), Some(&Value::from("caf")));
    let truncated = end.truncated.expect("a cut");
    assert_eq!(truncated.missing, ["rows: 3 tabular rows declared, 2 read"]);
}

#[test]
fn the_decode_fixtures_read_in_chunks_as_they_read_whole() {
    let Some(dir) = common::spec_dir() else {
        assert!(
            std::env::var_os("TOON_SKIP_SPEC").is_some(),
            "no ../shared/toon-spec (set TOON_SPEC_DIR, or TOON_SKIP_SPEC=1 to skip)"
        );
        eprintln!("TOON_SKIP_SPEC: the decode fixtures were not read in chunks");
        return;
    };
    let (mut cases, mut cut) = (0, 0);
    for entry in std::fs::read_dir(dir.join("fixtures/decode")).unwrap() {
        let file: Json =
            serde_json::from_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap()).unwrap();
        for case in file["tests"].as_array().into_iter().flatten() {
            let options = &case["options"];
            let indent = options
                .get("indentSize")
                .and_then(Json::as_u64)
                .unwrap_or(2);
            let strict = options
                .get("strict")
                .and_then(Json::as_bool)
                .unwrap_or(true);
            let options = DecodeOptions::new()
                .with_indent(indent as usize)
                .with_strict(strict);
            let text = case["input"].as_str().unwrap_or_default();
            let whole = toon::decode(text, &options);
            for size in [1, 2, 7] {
                let cuts: Vec<usize> = (size..text.len()).step_by(size).collect();
                let chunked = feed(text.as_bytes(), &cuts, &options);
                match (&whole, chunked) {
                    (Ok(value), Ok((end, _))) => {
                        assert_eq!(&end.value, value, "{text:?}");
                        // Non-strict decoding reads a short array as a miscount; in a
                        // stream it is a cut.
                        assert!(end.truncated.is_none() || !strict, "{text:?}");
                    }
                    (Err(expected), Err(error)) => assert_eq!(
                        (error.line(), error.column(), error.category()),
                        (expected.line(), expected.column(), expected.category()),
                        "{text:?}"
                    ),
                    // Text that ends before its declared length, or whose last line
                    // (without a line break) stops short, is a cut here: the stream
                    // may have been cut off.
                    (Err(expected), Ok((end, _))) => {
                        let truncated = end.truncated.unwrap_or_else(|| panic!("{text:?}"));
                        let last_line_cut = truncated.missing[0].starts_with("the rest of line");
                        assert!(
                            expected.category() == Category::Count || last_line_cut,
                            "{text:?}: {expected}"
                        );
                        cut += 1;
                    }
                    (Ok(_), Err(error)) => panic!("{text:?}: {error}"),
                }
            }
            cases += 1;
        }
    }
    assert!(cases > 300, "{cases} decode fixtures");
    println!("{cases} fixtures, {cut} readings as cut off");
}

#[test]
fn a_cut_at_every_byte_is_what_repair_reads_from_that_prefix() {
    for doc in DOCUMENTS {
        for cut in 1..doc.len() {
            let prefix = &doc.as_bytes()[..cut];
            let chunked = feed(prefix, &[cut / 2], &DecodeOptions::default());
            let Ok(text) = std::str::from_utf8(prefix) else {
                // Cut inside a character: read as the text before it.
                let (end, _) = chunked.unwrap();
                assert!(end.truncated.is_some() || !doc[cut..].contains('\n'));
                continue;
            };
            if toon::extract(text, None).text != text {
                continue; // repair reads a part of it (the rest looks like prose)
            }
            let repaired = toon::repair(text, &RepairOptions::new());
            match (chunked, repaired) {
                (Ok((end, _)), Ok(repaired)) => {
                    assert_eq!(end.value, repaired.value, "{text:?}");
                    assert_eq!(end.truncated, repaired.truncated, "{text:?}");
                }
                (Err(a), Err(b)) => assert_eq!((a.line(), a.category()), (b.line(), b.category())),
                (a, b) => panic!("{text:?}: chunks {:?}, repair {:?}", a.err(), b.err()),
            }
        }
    }
}

#[test]
fn without_kept_rows_memory_holds_no_row_but_every_row_is_handed_out() {
    let mut text = String::from("rows[1000]{id,name}:\n");
    for i in 0..1000 {
        text.push_str(&format!("  {i},name {i}\n"));
    }
    text.push_str("total: 1000\n");
    let mut decoder = ChunkDecoder::new(&DecodeOptions::default())
        .unwrap()
        .keep_rows(false);
    let mut ids = Vec::new();
    for chunk in text.as_bytes().chunks(100) {
        decoder
            .feed(chunk, |part| {
                if part.parent == "rows" {
                    ids.push(part.value.get("id").cloned())
                }
            })
            .unwrap();
    }
    let end = decoder.finish(|_| {}).unwrap();
    assert_eq!(ids.len(), 1000);
    assert_eq!(ids[999], Some(Value::from(999)));
    assert_eq!(end.value.get("rows"), Some(&Value::Array(Vec::new())));
    assert_eq!(end.value.get("total"), Some(&Value::from(1000)));
}

#[test]
fn repair_mode_reads_a_fenced_reply_and_reports_its_fixes() {
    let reply = "```toon\nusers[3]{id,name}:\n  1,Ada,\n  2,Bo\ncount: 2\n```\nHope this helps!";
    let whole = toon::repair(reply, &RepairOptions::new()).unwrap();
    for cut in 0..=reply.len() {
        let mut decoder = ChunkDecoder::repairing(&DecodeOptions::default()).unwrap();
        let mut rows = 0;
        decoder
            .feed(&reply.as_bytes()[..cut], |_| rows += 1)
            .unwrap();
        decoder
            .feed(&reply.as_bytes()[cut..], |_| rows += 1)
            .unwrap();
        let end = decoder.finish(|_| rows += 1).unwrap();
        assert_eq!(end.value, whole.value, "cut at {cut}");
        assert_eq!(end.repairs, whole.repairs, "cut at {cut}");
        assert_eq!(end.truncated, None);
        assert_eq!(end.found_in, toon::FoundIn::Fence);
        assert_eq!(rows, 3, "two rows and count");
    }
    // The same reply cut before its closing fence: the short table is a cut.
    let cut = &reply[..reply.find("count").unwrap()];
    let mut decoder = ChunkDecoder::repairing(&DecodeOptions::default()).unwrap();
    decoder.feed(cut.as_bytes(), |_| {}).unwrap();
    let end = decoder.finish(|_| {}).unwrap();
    assert_eq!(
        end.truncated.unwrap().missing,
        ["users: 3 tabular rows declared, 2 read"]
    );
}

#[test]
fn duplicate_keys_in_large_objects_are_found_with_owned_keys_too() {
    // 40 keys (past the linear scan, so the hash index), in items of a list, each
    // object's keys forgotten when it closes.
    let item = |dup: bool| {
        let mut lines: Vec<String> = (0..40).map(|k| format!("    k{k}: {k}")).collect();
        lines[0] = lines[0].replacen("    ", "  - ", 1);
        if dup {
            lines.push("    k17: again".to_owned());
        }
        lines.join("\n")
    };
    let valid = format!(
        "items[3]:\n{}\n{}\n{}\n",
        item(false),
        item(false),
        item(false)
    );
    let (end, parts) = feed(valid.as_bytes(), &[5, 300], &DecodeOptions::default()).unwrap();
    assert_eq!(end.value, whole(&valid));
    assert_eq!(parts.len(), 3);
    let repeated = format!("items[2]:\n{}\n{}\n", item(false), item(true));
    let expected = toon::decode(&repeated, &DecodeOptions::default()).unwrap_err();
    assert_eq!(expected.category(), Category::DuplicateKey);
    for cuts in [
        vec![],
        vec![1, 2, 3],
        (1..repeated.len()).step_by(17).collect(),
    ] {
        let error = feed(repeated.as_bytes(), &cuts, &DecodeOptions::default()).unwrap_err();
        assert_eq!(
            (error.line(), error.column(), error.category()),
            (expected.line(), expected.column(), expected.category())
        );
    }
    // Non-strict: the last value wins, as in decode.
    let lenient = DecodeOptions::new().with_strict(false);
    let (end, _) = feed(repeated.as_bytes(), &[7], &lenient).unwrap();
    assert_eq!(end.value, toon::decode(&repeated, &lenient).unwrap());
}
