//! `Template`: skeletons a decoder reads back (placeholders aside), instructions, and
//! checks that name the path of each violation.

use serde_json::json;
use toon::{DecodeOptions, Delimiter, Value};
use toon_prompt::{SchemaError, Template};

fn orders_schema() -> serde_json::Value {
    json!({
        "type": "object",
        "$defs": {"Customer": {"type": "object", "properties": {
            "name": {"type": "string"}, "country": {"type": "string", "description": "ISO 3166 code"}}}},
        "properties": {
            "title": {"type": "string", "description": "A short title"},
            "status": {"enum": ["open", "closed"]},
            "score": {"anyOf": [{"type": "number"}, {"type": "null"}]},
            "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 3},
            "orders": {"type": "array", "items": {"type": "object", "properties": {
                "id": {"type": "integer", "minimum": 1},
                "customer": {"$ref": "#/$defs/Customer"},
                "total": {"type": "number"}}, "required": ["id", "total"]}},
            "teams": {"type": "object", "additionalProperties": {"type": "object", "properties": {
                "size": {"type": "integer"}, "lead": {"type": "string"}}}},
            "events": {"type": "array", "items": {"type": "object", "properties": {
                "at": {"type": "string", "format": "date-time"},
                "labels": {"type": "array", "items": {"type": "string"}}}}}
        },
        "required": ["title", "status", "orders"],
        "additionalProperties": false
    })
}

#[test]
fn the_skeleton_has_tables_groups_keyed_forms_and_lists() {
    let template = Template::new(orders_schema()).unwrap();
    assert_eq!(
        template.skeleton(),
        "title: <string>\n\
         status: <open|closed>\n\
         score: <number|null>\n\
         tags[N]: <string>,…\n\
         orders[N]{id,customer{name,country},total}:\n  <integer>,<string>,<string>,<number>\n\
         teams[N:]{size,lead}:\n  <key>: <integer>,<string>\n\
         events[N]:\n  - at: <date-time>\n    labels[N]: <string>,…"
    );
    let tab = template.clone().with_delimiter(Delimiter::Tab).skeleton();
    assert!(
        tab.contains("orders[N\t]{id\tcustomer{name\tcountry}\ttotal}:\n  <integer>\t<string>"),
        "{tab}"
    );
}

#[test]
fn a_skeleton_filled_in_decodes_and_passes_the_check() {
    let template = Template::new(orders_schema()).unwrap();
    let filled = template
        .skeleton()
        .replace("[N]{id", "[2]{id")
        .replace(
            "<integer>,<string>,<string>,<number>",
            "1,Ada,GB,9.5\n  2,Bo,FR,3",
        )
        .replace("tags[N]: <string>,…", "tags[2]: a,b")
        .replace("teams[N:]", "teams[1:]")
        .replace("<key>: <integer>,<string>", "core: 3,Ada")
        .replace("events[N]:", "events[1]:")
        .replace("<date-time>", "2026-12-05T10:00:00Z")
        .replace("labels[N]: <string>,…", "labels[1]: x")
        .replace("<string>", "Report")
        .replace("<open|closed>", "open")
        .replace("<number|null>", "null");
    let value = toon::decode(&filled, &DecodeOptions::default())
        .unwrap_or_else(|error| panic!("{error}\n{filled}"));
    assert_eq!(template.check(&value), [], "{filled}");
}

#[test]
fn violations_name_their_paths() {
    let template = Template::new(orders_schema()).unwrap();
    let reply = "title: 5\nstatus: pending\ntags[4]: a,b,c,d\n\
                 orders[2]{id,customer{name,country},total}:\n  0,Ada,GB,x\n  2.5,Bo,FR,3\n\
                 teams[1:]{size,lead}:\n  core: big,Ada\nextra: 1";
    let value = toon::decode(reply, &DecodeOptions::default()).unwrap();
    let found: Vec<String> = template
        .check(&value)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        found,
        [
            "title: expected string, found 5",
            "status: expected one of open, closed, found \"pending\"",
            "tags: expected at most 3 items, found 4",
            "orders[0].id: expected at least 1, found 0",
            "orders[0].total: expected number, found \"x\"",
            "orders[1].id: expected integer, found 2.5",
            "teams.core.size: expected integer, found \"big\"",
            "extra: unexpected field",
        ]
    );
    let missing = toon::decode("title: t", &DecodeOptions::default()).unwrap();
    let found: Vec<String> = template
        .check(&missing)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        found,
        [
            "root: missing required field \"status\"",
            "root: missing required field \"orders\""
        ]
    );
}

#[test]
fn instructions_carry_the_descriptions_and_choices() {
    let template = Template::new(orders_schema()).unwrap();
    let text = template.instructions();
    assert!(text.starts_with("Reply with TOON only"), "{text}");
    assert!(text.contains("- title: A short title"), "{text}");
    assert!(text.contains("- status: one of open, closed"), "{text}");
    assert!(
        text.contains("- orders[].customer.country: ISO 3166 code"),
        "{text}"
    );
    assert!(text.contains("- events[].at: format date-time"), "{text}");
    let prompt = template.prompt();
    assert!(prompt.ends_with(&format!("```toon\n{}\n```", template.skeleton())));
}

#[test]
fn root_arrays_primitives_and_recursion() {
    let rows = Template::new(json!({"type": "array", "items": {"type": "object",
        "properties": {"a": {"type": "integer"}, "b": {"type": ["string", "null"]}}}}))
    .unwrap();
    assert_eq!(rows.skeleton(), "[N]{a,b}:\n  <integer>,<string|null>");
    let number = Template::new(json!({"type": "number"})).unwrap();
    assert_eq!(number.skeleton(), "<number>");
    assert_eq!(
        number.check(&Value::from(json!("x")))[0].to_string(),
        "root: expected number, found \"x\""
    );
    let tree = Template::new(json!({"$ref": "#/$defs/Node", "$defs": {"Node": {"type": "object",
        "properties": {"name": {"type": "string"}, "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}}}}}))
    .unwrap();
    assert_eq!(
        tree.skeleton(),
        "name: <string>\nchildren[N]:\n  - <object>"
    );
    let deep =
        Value::from(json!({"name": "a", "children": [{"name": "b", "children": [{"name": 3}]}]}));
    assert_eq!(
        tree.check(&deep)[0].to_string(),
        "children[0].children[0].name: expected string, found 3"
    );
}

#[test]
fn bad_schemas_are_refused() {
    assert_eq!(
        Template::new(json!([1])).unwrap_err(),
        SchemaError::NotASchema("an array".into())
    );
    let error =
        Template::new(json!({"properties": {"a": {"$ref": "#/$defs/Missing"}}})).unwrap_err();
    assert_eq!(error, SchemaError::UnresolvedRef("#/$defs/Missing".into()));
    let remote = Template::new(json!({"$ref": "https://example.com/schema.json"})).unwrap_err();
    assert!(
        remote.to_string().contains("only `#/…` references"),
        "{remote}"
    );
}
