//! `toon::repair` on model-style mistakes made by mutating valid documents: every
//! repairable mistake, alone and combined, comes back as the original value with its
//! report; truncation at every byte is reported as truncation with a partial value that
//! is a prefix of the original, or as an error, and never panics.

use toon::{Category, DecodeOptions, RepairOptions, Value};

/// Valid documents (the encoder's own output shapes) to mutate.
const DOCUMENTS: &[&str] = &[
    "users[3]{id,name,email}:\n  1,Ada,ada@example.com\n  2,Bo,bo@example.com\n  3,Cy,\"cy, jr@example.com\"\ncount: 3",
    "config:\n  server:\n    host: localhost\n    port: 8080\n  tags[2]: a,b\nitems[2]:\n  - id: 1\n    rows[2]{x,y}:\n      1,2\n      3,4\n  - id: 2\n    rows[1]{x,y}:\n      5,6\nok: true",
    "m[2:]{x,y}:\n  p: 1,2\n  q: 3,4\nend: 1",
];

fn decode(text: &str) -> Value<'_> {
    toon::decode(text, &DecodeOptions::default()).expect("the document is valid")
}

fn repair(reply: &str) -> toon::Repaired<'_> {
    toon::repair(reply, &RepairOptions::new())
        .unwrap_or_else(|e| panic!("repair failed: {e}\n--- reply ---\n{reply}"))
}

/// Line, column and `done` of each fix, in order.
fn places<'r>(repaired: &'r toon::Repaired<'_>) -> Vec<(usize, usize, &'r str)> {
    repaired
        .repairs
        .iter()
        .map(|r| (r.line, r.column, r.done.as_str()))
        .collect()
}

/// The `done` texts of a repair, in order.
fn done(repaired: &toon::Repaired<'_>) -> Vec<String> {
    repaired.repairs.iter().map(|r| r.done.clone()).collect()
}

/// Rewrites each line's indentation: `n` spaces per 2 of the original.
fn reindent(text: &str, per_level: &str) -> String {
    text.split('\n')
        .map(|line| {
            let content = line.trim_start_matches(' ');
            let levels = (line.len() - content.len()) / 2;
            format!("{}{content}", per_level.repeat(levels))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Indices of the lines that are tabular rows or keyed entries: the lines one level
/// below a header with a field list (`{…}:`).
fn row_lines(text: &str) -> Vec<usize> {
    let lines: Vec<&str> = text.split('\n').collect();
    let depth = |line: &str| line.len() - line.trim_start().len();
    let mut rows = Vec::new();
    let mut header_depth = None;
    for (i, line) in lines.iter().enumerate() {
        match header_depth {
            Some(d) if depth(line) == d + 2 => rows.push(i),
            _ => header_depth = None,
        }
        if line.ends_with("}:") {
            header_depth = Some(depth(line.trim_start_matches("- ")));
        }
    }
    rows
}

#[test]
fn valid_documents_come_back_unchanged_without_repairs() {
    for doc in DOCUMENTS {
        let repaired = repair(doc);
        assert_eq!(repaired.value, decode(doc));
        assert!(repaired.repairs.is_empty(), "{:?}", repaired.repairs);
        assert!(repaired.truncated.is_none());
    }
}

#[test]
fn other_indentation_units_and_tabs_are_read_and_reported() {
    for doc in DOCUMENTS {
        for (unit, report) in [
            ("    ", "read every line with 4 spaces per level"),
            ("   ", "read every line with 3 spaces per level"),
            ("\t", "read each tab as one level"),
        ] {
            let mutated = reindent(doc, unit);
            let repaired = repair(&mutated);
            assert_eq!(repaired.value, decode(doc), "{mutated}");
            assert_eq!(done(&repaired), [report], "{mutated}");
        }
    }
}

#[test]
fn trailing_delimiters_on_rows_are_removed_one_report_each() {
    for doc in DOCUMENTS {
        let rows = row_lines(doc);
        assert!(!rows.is_empty(), "no rows found in {doc}");
        for &row in &rows {
            let mut lines: Vec<String> = doc.split('\n').map(str::to_owned).collect();
            lines[row].push(',');
            let mutated = lines.join("\n");
            let repaired = repair(&mutated);
            assert_eq!(repaired.value, decode(doc), "{mutated}");
            assert_eq!(done(&repaired), ["removed the trailing delimiter"]);
            assert_eq!(repaired.repairs[0].line, row + 1);
        }
    }
}

#[test]
fn blank_lines_inside_tables_are_skipped_and_reported() {
    for doc in DOCUMENTS {
        for &row in &row_lines(doc) {
            let mut lines: Vec<&str> = doc.split('\n').collect();
            lines.insert(row, "");
            let mutated = lines.join("\n");
            let repaired = repair(&mutated);
            assert_eq!(repaired.value, decode(doc), "{mutated}");
            // A fix exactly where strict decoding rejects the blank line (inside an
            // open array or keyed object; before a top-level table's first row it is
            // allowed).
            let strict_ok = toon::decode(&mutated, &DecodeOptions::default()).is_ok();
            let expected: &[&str] = if strict_ok {
                &[]
            } else {
                &["skipped the blank line"]
            };
            assert_eq!(done(&repaired), expected, "{mutated}");
        }
    }
}

#[test]
fn miscounted_lengths_keep_the_elements_present() {
    for doc in DOCUMENTS {
        for (at, _) in doc.match_indices('[') {
            let close = at + doc[at..].find(']').unwrap();
            let digits: String = doc[at + 1..close]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            let declared: usize = digits.parse().unwrap();
            for wrong in [declared + 1, declared + 7, declared.saturating_sub(1)] {
                if wrong == declared {
                    continue;
                }
                let mutated = format!("{}{wrong}{}", &doc[..=at], &doc[at + 1 + digits.len()..]);
                let repaired = repair(&mutated);
                assert_eq!(repaired.value, decode(doc), "{mutated}");
                assert!(repaired.truncated.is_none(), "{mutated}");
                assert_eq!(repaired.repairs.len(), 1, "{mutated}");
                assert!(
                    repaired.repairs[0].done.starts_with("kept the "),
                    "{:?}",
                    repaired.repairs
                );
                let line = doc[..at].matches('\n').count() + 1;
                assert_eq!(repaired.repairs[0].line, line);
            }
        }
    }
}

#[test]
fn mistakes_combine_and_positions_refer_to_the_reply() {
    let doc = DOCUMENTS[0];
    let body = reindent(doc, "    ").replacen("2,Bo,bo@example.com", "2,Bo,bo@example.com,", 1);
    let body = body.replacen("users[3]", "users[5]", 1);
    let reply = format!("Sure! Here is the table:\n\n```toon\n{body}\n```\n\nAnything else?");
    let repaired = repair(&reply);
    assert_eq!(repaired.value, decode(doc));
    assert_eq!(repaired.found_in, toon::FoundIn::Fence);
    let places = places(&repaired);
    assert_eq!(
        places,
        [
            (4, 7, "kept the 3 tabular rows present"),
            (5, 1, "read every line with 4 spaces per level"),
            (6, 24, "removed the trailing delimiter"),
        ]
    );
}

#[test]
fn what_needs_a_guess_stays_an_error_at_its_place_in_the_reply() {
    // A row with more values than fields, and an unterminated quote before the end.
    for (body, line, category) in [
        ("rows[2]{a,b}:\n  1,2,3\n  4,5\nx: 1", 4, Category::Width),
        ("a: \"open\nb: 2", 3, Category::Syntax),
    ] {
        let reply = format!("Result:\n```toon\n{body}\n```\n");
        let error = toon::repair(&reply, &RepairOptions::new()).unwrap_err();
        assert_eq!(
            (error.line(), error.category()),
            (line, category),
            "{error}"
        );
    }
}

#[test]
fn truncation_at_every_byte_is_reported_with_a_prefix_of_the_value() {
    let (mut truncated, mut complete, mut refused) = (0, 0, 0);
    for doc in DOCUMENTS {
        let whole = decode(doc);
        for cut in (1..doc.len()).filter(|&i| doc.is_char_boundary(i)) {
            let text = &doc[..cut];
            match toon::repair(text, &RepairOptions::new()) {
                Ok(repaired) => {
                    assert_prefix(&repaired.value, &whole, text);
                    match &repaired.truncated {
                        Some(cut) => {
                            assert!(!cut.missing.is_empty());
                            assert_eq!(cut.to_error().category(), Category::Truncated);
                            truncated += 1;
                        }
                        None => complete += 1,
                    }
                }
                // A cut in a key or header can leave text that is not TOON at all.
                Err(error) => {
                    assert_ne!(error.line(), 0, "{text:?}: {error}");
                    refused += 1;
                }
            }
        }
    }
    println!("cuts: {truncated} truncated, {complete} read as complete, {refused} refused");
    // No cut of these documents is refused; a cut inside an object's plain values
    // leaves a valid document (nothing declares how much should follow), one inside a
    // counted array or an unfinished line is seen as a cut.
    assert_eq!(refused, 0);
    assert!(truncated > complete, "{truncated} {complete}");
}

#[test]
fn a_table_cut_short_names_the_array_and_the_counts() {
    let doc = DOCUMENTS[0];
    let cut = doc.find("  3,Cy").unwrap();
    for text in [&doc[..cut], &doc[..cut + 5]] {
        let repaired = repair(text);
        let truncated = repaired.truncated.expect("cut inside the table");
        assert_eq!(
            truncated.missing.last().map(String::as_str),
            Some("users: 3 tabular rows declared, 2 read"),
            "{text:?}"
        );
        let users = repaired
            .value
            .get("users")
            .and_then(Value::as_array)
            .unwrap();
        assert_eq!(users.len(), 2);
    }
    // After a header with no body.
    let repaired = repair("users[3]{id,name}:\n");
    assert_eq!(
        repaired.truncated.unwrap().missing,
        ["users: 3 tabular rows declared, 0 read"]
    );
}

/// `partial` is what a cut-off `whole` can give: equal scalars (a string or number may
/// be cut short only where it is last), objects whose keys are a prefix of the whole's
/// with prefix values, arrays whose elements are a prefix.
fn assert_prefix(partial: &Value<'_>, whole: &Value<'_>, text: &str) {
    fn prefix(partial: &Value<'_>, whole: &Value<'_>, last: bool) -> bool {
        match (partial, whole) {
            (Value::Object(p), Value::Object(w)) => {
                p.len() <= w.len()
                    && p.iter()
                        .zip(w.iter())
                        .enumerate()
                        .all(|(i, ((pk, pv), (wk, wv)))| {
                            let is_last = last && i + 1 == p.len();
                            (pk == wk || is_last && wk.starts_with(pk)) && prefix(pv, wv, is_last)
                        })
            }
            (Value::Array(p), Value::Array(w)) => {
                p.len() <= w.len()
                    && p.iter()
                        .zip(w)
                        .enumerate()
                        .all(|(i, (pv, wv))| prefix(pv, wv, last && i + 1 == p.len()))
            }
            _ if partial == whole => true,
            // The last value may be cut anywhere, even into another type (`8080` → `80`,
            // `"cy, jr"` → an empty object after a bare key).
            _ => last,
        }
    }
    assert!(
        prefix(partial, whole, true),
        "not a prefix for {text:?}:\n{partial:?}"
    );
}

#[test]
fn repeated_keys_and_fields_keep_the_last_value_and_are_reported() {
    let repaired = repair("a: 1\nb: 2\na: 3\nrows[1]{x,x,y}:\n  1,2,3\n");
    assert_eq!(repaired.value, decode("a: 3\nb: 2\nrows[1]{x,y}:\n  2,3"));
    let places = places(&repaired);
    assert_eq!(
        places,
        [
            (3, 1, "kept the last value, at the key's first place"),
            (4, 9, "kept the last column of that name"),
        ]
    );
}
