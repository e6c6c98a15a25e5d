//! Output templates from a JSON Schema: the TOON skeleton a model should fill, the
//! instruction text that goes with it, and a check of the decoded reply.
//!
//! The schema subset read: `type` (one or a list), `properties`, `required`,
//! `additionalProperties`, `items`, `enum`, `const`, `anyOf` / `oneOf` / `allOf`, `$ref`
//! into the same document (`#/$defs/…`, `#/definitions/…`, any `#/…` pointer),
//! `minItems` / `maxItems`, `minLength` / `maxLength`, `minimum` / `maximum` /
//! `exclusiveMinimum` / `exclusiveMaximum`, `format` and `description` (shown to the
//! model, not checked). Other keywords are ignored.

use std::fmt::{self, Write as _};

use serde_json::{Map as JsonMap, Value as Json};
use toon::{Delimiter, EncodeOptions, Value};

/// Recursive schemas are followed this deep in the skeleton (then `<object>`), and a
/// reply is checked this deep (then accepted as is).
const MAX_DEPTH: usize = 32;

/// Why a schema cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaError {
    /// The schema is not an object or a boolean.
    #[error("a JSON Schema is an object or a boolean, not {0}")]
    NotASchema(String),
    /// A `$ref` that does not point into the schema.
    #[error("`$ref` {0:?} does not point into the schema (only `#/…` references are read)")]
    UnresolvedRef(String),
}

/// A reply value that does not match the schema, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The value's path (`users[3].email`; empty for the root).
    pub path: String,
    /// What was expected and what was found (`expected string, found 42`).
    pub message: String,
}

impl fmt::Display for Violation {
    /// `users[3].email: expected string, found 42` (the root is `root`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "root"
        } else {
            &self.path
        };
        write!(f, "{path}: {}", self.message)
    }
}

/// An output template: a JSON Schema, and the TOON a model should write for it.
///
/// ```
/// use toon_prompt::Template;
///
/// let schema = serde_json::json!({
///     "type": "object",
///     "properties": {
///         "users": {
///             "type": "array",
///             "items": {
///                 "type": "object",
///                 "properties": {
///                     "id": {"type": "integer"},
///                     "name": {"type": "string"},
///                     "email": {"type": "string", "format": "email"}
///                 },
///                 "required": ["id", "name", "email"]
///             }
///         }
///     },
///     "required": ["users"]
/// });
/// let template = Template::new(schema)?;
/// assert_eq!(
///     template.skeleton(),
///     "users[N]{id,name,email}:\n  <integer>,<string>,<email>"
/// );
/// let reply = toon::decode("users[1]{id,name,email}:\n  1,Ada,42", &Default::default()).unwrap();
/// let problems = template.check(&reply);
/// assert_eq!(problems[0].to_string(), "users[0].email: expected string, found 42");
/// # Ok::<(), toon_prompt::SchemaError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    schema: Json,
    delimiter: Delimiter,
    indent: usize,
}

impl Template {
    /// A template of `schema` (comma delimiter, indent 2).
    pub fn new(schema: Json) -> Result<Template, SchemaError> {
        match &schema {
            Json::Object(_) | Json::Bool(_) => {}
            other => return Err(SchemaError::NotASchema(kind_of_json(other).to_owned())),
        }
        let template = Template {
            schema,
            delimiter: Delimiter::Comma,
            indent: 2,
        };
        template.check_refs(&template.schema, 0)?;
        Ok(template)
    }

    /// The delimiter the skeleton's rows and inline arrays use.
    #[must_use]
    pub fn with_delimiter(mut self, delimiter: Delimiter) -> Template {
        self.delimiter = delimiter;
        self
    }

    /// Spaces per indentation level of the skeleton (at least 1).
    #[must_use]
    pub fn with_indent(mut self, indent: usize) -> Template {
        self.indent = indent.max(1);
        self
    }

    /// The schema.
    pub fn schema(&self) -> &Json {
        &self.schema
    }

    /// Every `$ref` resolves.
    fn check_refs(&self, schema: &Json, depth: usize) -> Result<(), SchemaError> {
        if depth > MAX_DEPTH {
            return Ok(());
        }
        match schema {
            Json::Object(map) => {
                if let Some(Json::String(reference)) = map.get("$ref") {
                    self.pointer(reference)?;
                }
                for (key, child) in map {
                    if key != "enum" && key != "const" && key != "examples" && key != "default" {
                        self.check_refs(child, depth + 1)?;
                    }
                }
                Ok(())
            }
            Json::Array(items) => items
                .iter()
                .try_for_each(|item| self.check_refs(item, depth + 1)),
            _ => Ok(()),
        }
    }

    fn pointer(&self, reference: &str) -> Result<&Json, SchemaError> {
        reference
            .strip_prefix('#')
            .and_then(|pointer| self.schema.pointer(pointer))
            .ok_or_else(|| SchemaError::UnresolvedRef(reference.to_owned()))
    }

    /// `schema` with `$ref`s followed (refs were checked in `new`).
    fn resolve<'s>(&'s self, mut schema: &'s Json) -> &'s Json {
        for _ in 0..MAX_DEPTH {
            match schema.get("$ref").and_then(Json::as_str) {
                Some(reference) => match self.pointer(reference) {
                    Ok(target) => schema = target,
                    Err(_) => return schema,
                },
                None => return schema,
            }
        }
        schema
    }

    /// The TOON skeleton a model should fill: headers with `N` for the counts, field
    /// lists, nested groups and keyed forms, one row of `<type>` placeholders under each
    /// table, `…` where an inline array goes on.
    pub fn skeleton(&self) -> String {
        let mut out = Vec::new();
        match self.shape(&self.schema, 0, &mut Vec::new()) {
            Shape::Object(fields) => self.write_fields(&fields, 0, &mut out),
            shape => self.write_entry(None, &shape, 0, &mut out),
        }
        out.join("\n")
    }

    /// A short instruction text for the model: reply in TOON shaped like the skeleton,
    /// what `N` and the placeholders mean, how rows are written, and the fields'
    /// descriptions and allowed values.
    pub fn instructions(&self) -> String {
        let delimiter = match self.delimiter {
            Delimiter::Comma => "a comma",
            Delimiter::Tab => "a tab",
            Delimiter::Pipe => "`|`",
        };
        let mut text = format!(
            "Reply with TOON only, in one ```toon code block, shaped like the skeleton below. \
             In each header `name[N]...:`, write the real number of rows or values for N. \
             Under a table header write one row per line, the values in the header's field \
             order, separated by {delimiter}. Replace each <...> with a value of that type; \
             write null for an unknown value. Quote a string that contains {delimiter}, a \
             colon or a quote, or starts or ends with a space."
        );
        let mut notes = Vec::new();
        self.describe(&self.schema, &mut String::new(), &mut notes, 0);
        if !notes.is_empty() {
            text.push_str("\nFields:");
            for note in notes {
                let _ = write!(text, "\n- {note}");
            }
        }
        text
    }

    /// The instructions and the skeleton in a ```toon fence: a prompt's output section.
    pub fn prompt(&self) -> String {
        format!(
            "{}\n\n```toon\n{}\n```",
            self.instructions(),
            self.skeleton()
        )
    }

    /// What the reply `value` gets wrong against the schema, in document order (empty
    /// when it matches).
    pub fn check(&self, value: &Value<'_>) -> Vec<Violation> {
        let mut violations = Vec::new();
        self.check_value(value, &self.schema, &mut String::new(), &mut violations, 0);
        violations
    }
}

/// What a schema asks for, as the skeleton writes it.
#[derive(Debug)]
enum Shape {
    /// A primitive: its placeholder (`<integer>`, `<active|banned>`).
    Primitive(String),
    /// An object with known fields.
    Object(Vec<(String, Shape)>),
    /// An object of entries with one shape (keyed form when that shape is flat).
    Keyed(Box<Shape>),
    /// An object of unknown fields.
    AnyObject,
    /// An array of items of one shape.
    Array(Box<Shape>),
}

impl Shape {
    /// Fields all primitives or flat objects: the shape fits a table row.
    fn is_flat_object(&self) -> bool {
        match self {
            Shape::Object(fields) => fields.iter().all(|(_, shape)| match shape {
                Shape::Primitive(_) => true,
                object @ Shape::Object(_) => object.is_flat_object(),
                _ => false,
            }),
            _ => false,
        }
    }
}

impl Template {
    /// The shape of `schema`; a `$ref` met again inside itself (a recursive schema)
    /// is written once, then `<object>`.
    fn shape<'s>(&'s self, schema: &'s Json, depth: usize, open: &mut Vec<&'s str>) -> Shape {
        let reference = schema.get("$ref").and_then(Json::as_str);
        if let Some(reference) = reference {
            if open.contains(&reference) {
                return Shape::AnyObject;
            }
            open.push(reference);
        }
        let shape = self.shape_of(self.resolve(schema), depth, open);
        if reference.is_some() {
            open.pop();
        }
        shape
    }

    fn shape_of<'s>(&'s self, schema: &'s Json, depth: usize, open: &mut Vec<&'s str>) -> Shape {
        if depth > MAX_DEPTH {
            return Shape::AnyObject;
        }
        let Some(map) = schema.as_object() else {
            return Shape::Primitive("<value>".to_owned());
        };
        if let Some(constant) = map.get("const") {
            return Shape::Primitive(literal(constant));
        }
        if let Some(Json::Array(choices)) = map.get("enum") {
            let choices: Vec<String> = choices.iter().map(literal).collect();
            return Shape::Primitive(format!("<{}>", choices.join("|")));
        }
        if let Some(branches) = map
            .get("anyOf")
            .or_else(|| map.get("oneOf"))
            .and_then(Json::as_array)
        {
            // `T or null` (pydantic's Optional) reads as T's shape, `|null` on primitives.
            let (nulls, others): (Vec<&Json>, Vec<&Json>) = branches
                .iter()
                .partition(|branch| self.resolve(branch).get("type") == Some(&json_str("null")));
            if let [only] = others[..] {
                return match self.shape(only, depth + 1, open) {
                    Shape::Primitive(text) if !nulls.is_empty() => {
                        Shape::Primitive(format!("{}|null>", text.trim_end_matches('>')))
                    }
                    shape => shape,
                };
            }
            let names: Vec<String> = others
                .iter()
                .map(|branch| match self.shape(branch, depth + 1, open) {
                    Shape::Primitive(text) => text.trim_matches(['<', '>']).to_owned(),
                    Shape::Array(_) => "array".to_owned(),
                    _ => "object".to_owned(),
                })
                .chain(nulls.iter().map(|_| "null".to_owned()))
                .collect();
            return Shape::Primitive(format!("<{}>", names.join("|")));
        }
        let types = types_of(map);
        let main = types.iter().find(|name| **name != "null").copied();
        match main {
            Some("object") | None if map.contains_key("properties") => {
                let fields = map
                    .get("properties")
                    .and_then(Json::as_object)
                    .map(|properties| {
                        properties
                            .iter()
                            .map(|(name, property)| {
                                (name.clone(), self.shape(property, depth + 1, open))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                Shape::Object(fields)
            }
            Some("object") => match map.get("additionalProperties") {
                Some(entry @ Json::Object(_)) => {
                    Shape::Keyed(Box::new(self.shape(entry, depth + 1, open)))
                }
                _ => Shape::AnyObject,
            },
            Some("array") => {
                let items = map
                    .get("items")
                    .map_or(Shape::Primitive("<value>".to_owned()), |items| {
                        self.shape(items, depth + 1, open)
                    });
                Shape::Array(Box::new(items))
            }
            Some(name) => {
                let name = match (name, map.get("format").and_then(Json::as_str)) {
                    ("string", Some(format)) => format,
                    _ => name,
                };
                let nullable = types.contains(&"null");
                Shape::Primitive(if nullable {
                    format!("<{name}|null>")
                } else {
                    format!("<{name}>")
                })
            }
            None => Shape::Primitive("<value>".to_owned()),
        }
    }

    fn pad(&self, depth: usize) -> String {
        " ".repeat(depth * self.indent)
    }

    fn write_fields(&self, fields: &[(String, Shape)], depth: usize, out: &mut Vec<String>) {
        for (name, shape) in fields {
            self.write_entry(Some(name), shape, depth, out);
        }
    }

    /// One field (or the root, without a key) and what it holds.
    fn write_entry(&self, name: Option<&str>, shape: &Shape, depth: usize, out: &mut Vec<String>) {
        let pad = self.pad(depth);
        let key = name.map(key_text).unwrap_or_default();
        let delimiter = self.delimiter.as_char();
        let symbol = match self.delimiter {
            Delimiter::Comma => String::new(),
            other => other.as_char().to_string(),
        };
        match shape {
            Shape::Primitive(placeholder) => match name {
                Some(_) => out.push(format!("{pad}{key}: {placeholder}")),
                None => out.push(format!("{pad}{placeholder}")),
            },
            Shape::AnyObject => match name {
                Some(_) => out.push(format!("{pad}{key}: <object>")),
                None => out.push(format!("{pad}<object>")),
            },
            Shape::Object(fields) => match name {
                Some(_) => {
                    out.push(format!("{pad}{key}:"));
                    self.write_fields(fields, depth + 1, out);
                }
                None => self.write_fields(fields, depth, out),
            },
            Shape::Keyed(entry) if entry.is_flat_object() => {
                out.push(format!(
                    "{pad}{key}[N:{symbol}]{{{}}}:",
                    field_list(entry, delimiter)
                ));
                out.push(format!(
                    "{}<key>: {}",
                    self.pad(depth + 1),
                    row(entry, delimiter)
                ));
            }
            Shape::Keyed(entry) => {
                out.push(format!("{pad}{key}:"));
                self.write_entry(Some("<key>"), entry, depth + 1, out);
            }
            Shape::Array(items) => match items.as_ref() {
                Shape::Primitive(placeholder) => {
                    out.push(format!("{pad}{key}[N{symbol}]: {placeholder}{delimiter}…"));
                }
                flat if flat.is_flat_object() => {
                    out.push(format!(
                        "{pad}{key}[N{symbol}]{{{}}}:",
                        field_list(flat, delimiter)
                    ));
                    out.push(format!("{}{}", self.pad(depth + 1), row(flat, delimiter)));
                }
                item => {
                    out.push(format!("{pad}{key}[N{symbol}]:"));
                    self.write_item(item, depth + 1, out);
                }
            },
        }
    }

    /// One list item (`- …`) of the given shape at `depth`.
    fn write_item(&self, item: &Shape, depth: usize, out: &mut Vec<String>) {
        let pad = self.pad(depth);
        match item {
            Shape::Object(fields) if !fields.is_empty() => {
                let mut lines = Vec::new();
                self.write_fields(fields, depth + 1, &mut lines);
                let first = lines[0].trim_start().to_owned();
                out.push(format!("{pad}- {first}"));
                out.extend(lines.into_iter().skip(1));
            }
            other => {
                let mut lines = Vec::new();
                self.write_entry(None, other, depth + 1, &mut lines);
                match lines.first() {
                    Some(first) => {
                        let first = first.trim_start().to_owned();
                        out.push(format!("{pad}- {first}"));
                        out.extend(lines.into_iter().skip(1));
                    }
                    None => out.push(format!("{pad}-")),
                }
            }
        }
    }

    /// Notes for the instructions: descriptions, allowed values, formats, by path.
    fn describe(&self, schema: &Json, path: &mut String, notes: &mut Vec<String>, depth: usize) {
        let schema = self.resolve(schema);
        if depth > MAX_DEPTH {
            return;
        }
        let Some(map) = schema.as_object() else {
            return;
        };
        if !path.is_empty() {
            let mut parts = Vec::new();
            if let Some(description) = map.get("description").and_then(Json::as_str) {
                parts.push(description.trim().to_owned());
            }
            if let Some(Json::Array(choices)) = map.get("enum") {
                let choices: Vec<String> = choices.iter().map(literal).collect();
                parts.push(format!("one of {}", choices.join(", ")));
            }
            if let Some(format) = map.get("format").and_then(Json::as_str) {
                parts.push(format!("format {format}"));
            }
            if !parts.is_empty() {
                notes.push(format!("{path}: {}", parts.join("; ")));
            }
        }
        if let Some(properties) = map.get("properties").and_then(Json::as_object) {
            for (name, property) in properties {
                let length = path.len();
                toon::path::push_key(path, name);
                self.describe(property, path, notes, depth + 1);
                path.truncate(length);
            }
        }
        if let Some(items) = map.get("items") {
            path.push_str("[]");
            self.describe(items, path, notes, depth + 1);
            path.truncate(path.len() - 2);
        }
        for branch in ["anyOf", "oneOf", "allOf"]
            .iter()
            .filter_map(|key| map.get(*key).and_then(Json::as_array))
            .flatten()
        {
            self.describe(branch, path, notes, depth + 1);
        }
    }

    fn check_value(
        &self,
        value: &Value<'_>,
        schema: &Json,
        path: &mut String,
        out: &mut Vec<Violation>,
        depth: usize,
    ) {
        let schema = self.resolve(schema);
        if depth > MAX_DEPTH {
            return;
        }
        let violation = |out: &mut Vec<Violation>, path: &str, message: String| {
            out.push(Violation {
                path: path.to_owned(),
                message,
            });
        };
        let map = match schema {
            Json::Bool(true) => return,
            Json::Bool(false) => {
                return violation(out, path, format!("not allowed, found {}", found(value)));
            }
            Json::Object(map) => map,
            _ => return,
        };
        for branch in map
            .get("allOf")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
        {
            self.check_value(value, branch, path, out, depth + 1);
        }
        if let Some(branches) = map
            .get("anyOf")
            .or_else(|| map.get("oneOf"))
            .and_then(Json::as_array)
        {
            let mut best: Option<Vec<Violation>> = None;
            for branch in branches {
                let mut found = Vec::new();
                self.check_value(value, branch, path, &mut found, depth + 1);
                if found.is_empty() {
                    best = None;
                    break;
                }
                if best.as_ref().is_none_or(|best| found.len() < best.len()) {
                    best = Some(found);
                }
            }
            if let Some(best) = best {
                // The branch that came closest speaks for the others.
                out.extend(best);
                return;
            }
        }
        if let Some(constant) = map.get("const")
            && json_of(value) != *constant
        {
            return violation(
                out,
                path,
                format!("expected {}, found {}", literal(constant), found(value)),
            );
        }
        if let Some(Json::Array(choices)) = map.get("enum") {
            let json = json_of(value);
            if !choices.contains(&json) {
                let choices: Vec<String> = choices.iter().map(literal).collect();
                return violation(
                    out,
                    path,
                    format!(
                        "expected one of {}, found {}",
                        choices.join(", "),
                        found(value)
                    ),
                );
            }
        }
        let types = types_of(map);
        if !types.is_empty() && !types.iter().any(|name| has_type(value, name)) {
            return violation(
                out,
                path,
                format!("expected {}, found {}", types.join(" or "), found(value)),
            );
        }
        match value {
            Value::Object(object) => self.check_object(object, map, path, out, depth),
            Value::Array(items) => {
                let count = items.len();
                if let Some(least) = map.get("minItems").and_then(Json::as_u64)
                    && (count as u64) < least
                {
                    violation(
                        out,
                        path,
                        format!("expected at least {least} items, found {count}"),
                    );
                }
                if let Some(most) = map.get("maxItems").and_then(Json::as_u64)
                    && (count as u64) > most
                {
                    violation(
                        out,
                        path,
                        format!("expected at most {most} items, found {count}"),
                    );
                }
                if let Some(item_schema) = map.get("items") {
                    for (index, item) in items.iter().enumerate() {
                        let length = path.len();
                        toon::path::push_index(path, index);
                        self.check_value(item, item_schema, path, out, depth + 1);
                        path.truncate(length);
                    }
                }
            }
            Value::String(text) => {
                let length = text.chars().count() as u64;
                if let Some(least) = map.get("minLength").and_then(Json::as_u64)
                    && length < least
                {
                    violation(
                        out,
                        path,
                        format!("expected at least {least} characters, found {length}"),
                    );
                }
                if let Some(most) = map.get("maxLength").and_then(Json::as_u64)
                    && length > most
                {
                    violation(
                        out,
                        path,
                        format!("expected at most {most} characters, found {length}"),
                    );
                }
            }
            Value::Number(number) => {
                let number = number.as_f64();
                let bounds = [
                    ("minimum", "at least"),
                    ("maximum", "at most"),
                    ("exclusiveMinimum", "more than"),
                    ("exclusiveMaximum", "less than"),
                ];
                for (keyword, words) in bounds {
                    let Some(bound) = map.get(keyword).and_then(Json::as_f64) else {
                        continue;
                    };
                    let fails = match keyword {
                        "minimum" => number < bound,
                        "maximum" => number > bound,
                        "exclusiveMinimum" => number <= bound,
                        _ => number >= bound,
                    };
                    if fails {
                        violation(
                            out,
                            path,
                            format!("expected {words} {bound}, found {}", found(value)),
                        );
                    }
                }
            }
            Value::Null | Value::Bool(_) => {}
        }
    }

    fn check_object(
        &self,
        object: &toon::Map<'_>,
        map: &JsonMap<String, Json>,
        path: &mut String,
        out: &mut Vec<Violation>,
        depth: usize,
    ) {
        let properties = map.get("properties").and_then(Json::as_object);
        for name in map
            .get("required")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(name) = name.as_str()
                && !object.contains_key(name)
            {
                out.push(Violation {
                    path: path.clone(),
                    message: format!("missing required field {name:?}"),
                });
            }
        }
        for (key, child) in object.iter() {
            let length = path.len();
            toon::path::push_key(path, key);
            match (
                properties.and_then(|known| known.get(key)),
                map.get("additionalProperties"),
            ) {
                (Some(property), _) => self.check_value(child, property, path, out, depth + 1),
                (None, Some(Json::Bool(false))) => out.push(Violation {
                    path: path.clone(),
                    message: "unexpected field".to_owned(),
                }),
                (None, Some(extra @ Json::Object(_))) => {
                    self.check_value(child, extra, path, out, depth + 1);
                }
                (None, _) => {}
            }
            path.truncate(length);
        }
    }
}

fn json_str(text: &str) -> Json {
    Json::String(text.to_owned())
}

/// The `type` names of a schema (none when it has no `type`).
fn types_of(map: &JsonMap<String, Json>) -> Vec<&str> {
    match map.get("type") {
        Some(Json::String(name)) => vec![name.as_str()],
        Some(Json::Array(names)) => names.iter().filter_map(Json::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Whether `value` is of the JSON Schema type `name`.
fn has_type(value: &Value<'_>, name: &str) -> bool {
    match (name, value) {
        ("null", Value::Null)
        | ("boolean", Value::Bool(_))
        | ("number", Value::Number(_))
        | ("string", Value::String(_))
        | ("array", Value::Array(_))
        | ("object", Value::Object(_)) => true,
        ("integer", Value::Number(number)) => number.is_integer() || number.as_f64().fract() == 0.0,
        _ => false,
    }
}

/// A value as JSON, to compare with `enum` and `const`.
fn json_of(value: &Value<'_>) -> Json {
    Json::from(value.clone())
}

/// A short description of what was found: the value itself when short, else its kind.
fn found(value: &Value<'_>) -> String {
    match value {
        Value::Object(map) if map.is_empty() => "an empty object".to_owned(),
        Value::Object(_) => "an object".to_owned(),
        Value::Array(items) => format!("an array of {}", items.len()),
        other => {
            let text = json_of(other).to_string();
            if text.chars().count() > 40 {
                let short: String = text.chars().take(37).collect();
                format!("{short}...")
            } else {
                text
            }
        }
    }
}

/// A JSON value as the skeleton and messages write a literal: strings bare.
fn literal(value: &Json) -> String {
    match value {
        Json::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn kind_of_json(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

/// A key as TOON writes it (bare or quoted): what the encoder writes before `: `.
fn key_text(key: &str) -> String {
    let mut map = toon::Map::new();
    map.insert(key, Value::Null);
    let line = toon::encode(&Value::Object(map), &EncodeOptions::default())
        .expect("a one-key object encodes");
    line.strip_suffix(": null").unwrap_or(&line).to_owned()
}

/// The field list of a flat object shape: `id,customer{name,country},total` (fields
/// separated by the document's delimiter).
fn field_list(shape: &Shape, delimiter: char) -> String {
    let Shape::Object(fields) = shape else {
        return String::new();
    };
    fields
        .iter()
        .map(|(name, field)| match field {
            Shape::Object(_) => {
                format!("{}{{{}}}", key_text(name), field_list(field, delimiter))
            }
            _ => key_text(name),
        })
        .collect::<Vec<_>>()
        .join(&delimiter.to_string())
}

/// A row of placeholders for a flat object shape, in field-list order.
fn row(shape: &Shape, delimiter: char) -> String {
    let Shape::Object(fields) = shape else {
        return String::new();
    };
    fields
        .iter()
        .map(|(_, field)| match field {
            Shape::Primitive(placeholder) => placeholder.clone(),
            object => row(object, delimiter),
        })
        .collect::<Vec<_>>()
        .join(&delimiter.to_string())
}
