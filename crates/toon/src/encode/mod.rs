//! The encoder: writes a [`Value`] as TOON, choosing each array's and object's form from
//! its shape and position (spec §21.1), into one output buffer with no per-line or
//! per-cell allocation.

mod push;
mod quote;
mod shape;
mod sink;

use std::io;

use crate::error::{Category, Error, Result};
use crate::number::NumberBuffer;
use crate::options::{Delimiter, EncodeOptions};
use crate::value::{Map, Value};

pub(crate) use push::PushEncoder;
use shape::{Field, Shape, field_value, keyed_fields, tabular_fields};
pub(crate) use sink::{IoSink, Sink};

/// Encodes `value` as a TOON document: LF line endings, no trailing newline, no trailing
/// spaces, no blank lines.
///
/// Fails only on invalid options (indent 0) or nesting deeper than
/// [`EncodeOptions::max_depth`].
///
/// ```
/// use toon::{Value, EncodeOptions};
/// let value: Value = serde_json::from_str(r#"{"users":[{"id":1,"name":"Ada"},{"id":2,"name":"Bo"}]}"#).unwrap();
/// let text = toon::encode(&value, &EncodeOptions::default()).unwrap();
/// assert_eq!(text, "users[2]{id,name}:\n  1,Ada\n  2,Bo");
/// ```
pub fn encode(value: &Value<'_>, options: &EncodeOptions) -> Result<String> {
    let mut out = String::new();
    encode_into(value, options, &mut out)?;
    Ok(out)
}

/// Encodes `value` and writes the document to `writer` in chunks, without building the
/// whole text in memory.
pub fn encode_to_writer<W: io::Write>(
    value: &Value<'_>,
    options: &EncodeOptions,
    writer: W,
) -> Result<()> {
    let mut sink = IoSink::new(writer);
    encode_into(value, options, &mut sink)?;
    sink.finish()
}

/// Encodes into any [`Sink`]; the sink decides whether text is kept or streamed out.
pub(crate) fn encode_into<S: Sink>(
    value: &Value<'_>,
    options: &EncodeOptions,
    sink: &mut S,
) -> Result<()> {
    options.validate()?;
    let mut encoder = Encoder::new(sink, options);
    encoder.root(value)?;
    encoder.out.check()
}

/// Writes values as TOON into `out`: the tree walk for whole [`Value`]s, and the line,
/// key and primitive writers the push encoder shares.
struct Encoder<S: Sink> {
    out: S,
    indent: usize,
    delimiter: Delimiter,
    /// Bytes that force quoting, the document delimiter included.
    quote_table: [bool; 256],
    max_depth: usize,
    /// Current container nesting, checked against `max_depth`.
    nesting: usize,
    /// True until the first line has been started (lines are joined by LF, no trailing one).
    at_start: bool,
    numbers: NumberBuffer,
}

const SPACES: &str = "                                                                ";

/// A line break followed by indentation.
const NEWLINE_SPACES: &str = "\n                                ";

impl<S: Sink> Encoder<S> {
    fn new(out: S, options: &EncodeOptions) -> Self {
        Encoder {
            out,
            indent: options.indent(),
            delimiter: options.delimiter(),
            quote_table: quote::quote_table(options.delimiter().as_byte()),
            max_depth: options.max_depth(),
            nesting: 0,
            at_start: true,
            numbers: NumberBuffer::default(),
        }
    }

    fn root(&mut self, value: &Value<'_>) -> Result<()> {
        match value {
            Value::String(s) if s.starts_with('\u{feff}') => {
                // A leading U+FEFF would be stripped as a BOM by decoders (spec 4.1.2).
                self.start_line(0);
                self.quoted(s);
            }
            Value::Array(items) => self.array(None, items, 0)?,
            Value::Object(map) => {
                self.enter()?;
                if let Some(shape) = keyed_fields(map) {
                    self.keyed(None, map, &shape, 0);
                } else {
                    self.fields(map, 0)?;
                }
                self.leave();
            }
            primitive => {
                self.start_line(0);
                self.primitive(primitive);
            }
        }
        Ok(())
    }

    /// Starts a new line at `depth`: LF unless this is the first line, then indentation.
    #[inline]
    fn start_line(&mut self, depth: usize) {
        let mut spaces = depth * self.indent;
        if self.at_start {
            self.at_start = false;
        } else if spaces < NEWLINE_SPACES.len() {
            // The line break and the indentation in one copy.
            self.out.push_str(&NEWLINE_SPACES[..=spaces]);
            return;
        } else {
            self.out.push_str("\n");
        }
        while spaces > 0 {
            let chunk = spaces.min(SPACES.len());
            self.out.push_str(&SPACES[..chunk]);
            spaces -= chunk;
        }
    }

    /// Starts a list-item line: indentation, then `- `.
    #[inline]
    fn start_item(&mut self, depth: usize) {
        self.start_line(depth);
        self.out.push_str("- ");
    }

    fn enter(&mut self) -> Result<()> {
        self.nesting += 1;
        if self.nesting > self.max_depth {
            return Err(Error::new(
                Category::Limit,
                format!("nesting deeper than the limit of {} levels", self.max_depth),
            ));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.nesting -= 1;
    }

    /// The fields of an object, one per line at `depth`.
    fn fields(&mut self, map: &Map<'_>, depth: usize) -> Result<()> {
        for (key, value) in map.iter() {
            self.field(key, value, depth)?;
        }
        Ok(())
    }

    /// One object field at `depth` (spec §8, with arrays per §9 and keyed objects per §9.5).
    fn field(&mut self, key: &str, value: &Value<'_>, depth: usize) -> Result<()> {
        match value {
            Value::Array(items) => self.array(Some(key), items, depth),
            Value::Object(map) => {
                self.enter()?;
                if let Some(shape) = keyed_fields(map) {
                    self.keyed(Some(key), map, &shape, depth);
                } else {
                    self.start_line(depth);
                    self.key(key);
                    self.out.push_str(":");
                    self.fields(map, depth + 1)?;
                }
                self.leave();
                Ok(())
            }
            primitive => {
                self.start_line(depth);
                self.key(key);
                self.out.push_str(": ");
                self.primitive(primitive);
                Ok(())
            }
        }
    }

    /// An array in field or root position, its header starting a line at `depth`.
    fn array(&mut self, key: Option<&str>, items: &[Value<'_>], depth: usize) -> Result<()> {
        self.enter()?;
        self.start_line(depth);
        self.array_body(key, items, depth, true)?;
        self.leave();
        Ok(())
    }

    /// Writes an array whose line has been started: `key[N]...` and its content.
    /// `tabular_allowed` is false for keyless arrays that are list items (§11.2).
    /// `depth` is the depth its items or rows are relative to (content at `depth + 1`).
    fn array_body(
        &mut self,
        key: Option<&str>,
        items: &[Value<'_>],
        depth: usize,
        tabular_allowed: bool,
    ) -> Result<()> {
        if items.is_empty() {
            match key {
                Some(key) => {
                    self.key(key);
                    self.out.push_str(": []");
                }
                // Root `[]`; a keyless list item writes `[0]:` (handled by its caller).
                None => self.out.push_str("[]"),
            }
            return Ok(());
        }
        if items.iter().all(Value::is_primitive) {
            self.header(key, items.len(), false, None);
            self.out.push_str(" ");
            self.joined(items.iter());
            return Ok(());
        }
        if tabular_allowed && let Some(shape) = tabular_fields(items) {
            self.header(key, items.len(), false, Some(&shape.fields));
            for item in items {
                if let Value::Object(row) = item {
                    self.start_line(depth + 1);
                    self.row(row, &shape, &shape.fields, &mut true);
                }
            }
            return Ok(());
        }
        self.header(key, items.len(), false, None);
        for item in items {
            self.list_item(item, depth + 1)?;
        }
        Ok(())
    }

    /// An object in keyed tabular form: `key[N:]{fields}:` then `entry: cells` rows.
    fn keyed(&mut self, key: Option<&str>, map: &Map<'_>, shape: &Shape<'_>, depth: usize) {
        self.start_line(depth);
        self.keyed_body(key, map, shape, depth + 1);
    }

    /// The keyed header (line already started) and its entry rows at `entry_depth`.
    fn keyed_body(
        &mut self,
        key: Option<&str>,
        map: &Map<'_>,
        shape: &Shape<'_>,
        entry_depth: usize,
    ) {
        self.header(key, map.len(), true, Some(&shape.fields));
        for (entry_key, entry) in map.iter() {
            if let Value::Object(row) = entry {
                self.start_line(entry_depth);
                self.key(entry_key);
                self.out.push_str(": ");
                self.row(row, shape, &shape.fields, &mut true);
            }
        }
    }

    /// One list item at `depth` (§11.4): `- value`, `- [M]: ...`, or an object with its
    /// first field on the hyphen line (§13).
    fn list_item(&mut self, value: &Value<'_>, depth: usize) -> Result<()> {
        match value {
            Value::Array(items) => {
                self.enter()?;
                self.start_item(depth);
                if items.is_empty() {
                    // An empty array as a list item keeps its header, delimiter included.
                    self.header(None, 0, false, None);
                } else {
                    self.array_body(None, items, depth, false)?;
                }
                self.leave();
                Ok(())
            }
            Value::Object(map) => {
                self.enter()?;
                self.object_item(map, depth)?;
                self.leave();
                Ok(())
            }
            primitive => {
                self.start_item(depth);
                self.primitive(primitive);
                Ok(())
            }
        }
    }

    /// An object as a list item: `-` alone when empty, else its first field on the hyphen
    /// line (its own content at `depth + 2`) and the other fields at `depth + 1`.
    fn object_item(&mut self, map: &Map<'_>, depth: usize) -> Result<()> {
        let Some((first_key, first_value)) = map.get_index(0) else {
            self.start_line(depth);
            self.out.push_str("-");
            return Ok(());
        };
        self.start_item(depth);
        self.first_field(first_key, first_value, depth)?;
        for (key, value) in map.iter().skip(1) {
            self.field(key, value, depth + 1)?;
        }
        Ok(())
    }

    /// The first field of a list-item object, after its `- `: arrays and objects put
    /// their content two levels below the hyphen at `depth`.
    fn first_field(&mut self, key: &str, value: &Value<'_>, depth: usize) -> Result<()> {
        match value {
            Value::Array(items) => {
                self.enter()?;
                // Tabular and list content sits two levels below the hyphen.
                self.array_body(Some(key), items, depth + 1, true)?;
                self.leave();
            }
            Value::Object(inner) => {
                self.enter()?;
                if let Some(shape) = keyed_fields(inner) {
                    self.keyed_body(Some(key), inner, &shape, depth + 2);
                } else {
                    self.key(key);
                    self.out.push_str(":");
                    self.fields(inner, depth + 2)?;
                }
                self.leave();
            }
            primitive => {
                self.key(key);
                self.out.push_str(": ");
                self.primitive(primitive);
            }
        }
        Ok(())
    }

    /// `key[N]`, `key[N:]`, with the delimiter symbol and field list, and the colon.
    fn header(&mut self, key: Option<&str>, len: usize, keyed: bool, fields: Option<&[Field<'_>]>) {
        if let Some(key) = key {
            self.key(key);
        }
        self.out.push_str("[");
        self.out.push_str(itoa::Buffer::new().format(len));
        if keyed {
            self.out.push_str(":");
        }
        match self.delimiter {
            Delimiter::Comma => {}
            Delimiter::Tab => self.out.push_str("\t"),
            Delimiter::Pipe => self.out.push_str("|"),
        }
        self.out.push_str("]");
        if let Some(fields) = fields {
            self.field_list(fields);
        }
        self.out.push_str(":");
    }

    fn field_list(&mut self, fields: &[Field<'_>]) {
        self.out.push_str("{");
        for (i, field) in fields.iter().enumerate() {
            if i > 0 {
                self.delimiter_char();
            }
            self.key(field.name);
            if let Some(children) = &field.children {
                self.field_list(children);
            }
        }
        self.out.push_str("}");
    }

    /// The leaf cells of one row in header order, nested groups flattened depth-first.
    fn row(&mut self, row: &Map<'_>, shape: &Shape<'_>, fields: &[Field<'_>], first: &mut bool) {
        for (index, field) in fields.iter().enumerate() {
            let value = if shape.aligned {
                row.get_index(index).map(|(_, value)| value)
            } else {
                field_value(row, index, field.name)
            };
            // Detection checked that every row has every field.
            let Some(value) = value else { continue };
            match (&field.children, value) {
                (Some(children), Value::Object(inner)) => self.row(inner, shape, children, first),
                _ => {
                    if !*first {
                        self.delimiter_char();
                    }
                    *first = false;
                    self.primitive(value);
                }
            }
        }
    }

    fn joined<'v, 'a: 'v>(&mut self, items: impl Iterator<Item = &'v Value<'a>>) {
        for (i, item) in items.enumerate() {
            if i > 0 {
                self.delimiter_char();
            }
            self.primitive(item);
        }
    }

    #[inline]
    fn delimiter_char(&mut self) {
        self.out.push_str(match self.delimiter {
            Delimiter::Comma => ",",
            Delimiter::Tab => "\t",
            Delimiter::Pipe => "|",
        });
    }

    #[inline]
    fn key(&mut self, key: &str) {
        if quote::is_bare_key(key) {
            self.out.push_str(key);
        } else {
            self.quoted(key);
        }
    }

    #[inline]
    fn primitive(&mut self, value: &Value<'_>) {
        match value {
            Value::Null => self.out.push_str("null"),
            Value::Bool(true) => self.out.push_str("true"),
            Value::Bool(false) => self.out.push_str("false"),
            Value::Number(n) => {
                let text = self.numbers.format(n);
                self.out.push_str(text);
            }
            Value::String(s) => {
                if quote::needs_quotes(s, &self.quote_table) {
                    self.quoted(s);
                } else {
                    self.out.push_str(s);
                }
            }
            // Only primitives reach here; containers are dispatched by the callers.
            Value::Array(_) | Value::Object(_) => self.out.push_str("null"),
        }
    }

    fn quoted(&mut self, s: &str) {
        self.out.push_str("\"");
        let out = &mut self.out;
        quote::escape(s, |part| out.push_str(part));
        self.out.push_str("\"");
    }
}
