//! Recursive descent over indentation depth (spec §5, §8–§14): root form, objects,
//! inline, list, tabular and keyed forms, list-item objects, counts, widths, duplicates,
//! depth jumps and over-indentation — with the five non-strict recoveries of 4.4.

use std::borrow::Cow;

use crate::error::{Category, Error, Result};
use crate::value::{Map, Value};

use super::header::{FieldSpec, Header, parse_header};
use super::lines::{Line, Lines};
use super::scan::{
    TokenError, TokenPosition, first_unquoted, first_unquoted_pair, parse_primitive, parse_quoted,
    split_cells, trim_spaces,
};

pub(crate) struct Parser<'a> {
    lines: Lines<'a>,
    strict: bool,
    max_depth: usize,
    nesting: usize,
    /// Reused buffer for one row's cells.
    cells: Vec<Value<'a>>,
}

impl<'a> Parser<'a> {
    pub(crate) fn new(src: &'a str, indent: usize, strict: bool, max_depth: usize) -> Self {
        Parser {
            lines: Lines::new(src, indent, strict),
            strict,
            max_depth,
            nesting: 0,
            cells: Vec::new(),
        }
    }

    /// Decodes the whole document (spec §5 root form).
    pub(crate) fn document(&mut self) -> Result<Value<'a>> {
        let Some(first) = self.lines.peek()? else {
            return Ok(Value::Object(Map::new()));
        };
        if first.depth != 0 || first.content.len() != first.text.len() {
            return Err(first.error(
                Category::Indentation,
                "the first line of a document must not be indented",
            ));
        }
        let content = first.content;
        let (colon, bracket) = first_unquoted_pair(content, b':', b'[');
        let value = if colon.is_some() && bracket == Some(0) {
            // A keyless header: root array, or root object in keyed tabular form.
            let line = self.lines.take()?;
            let header = self.header(&line, content, 0)?;
            self.header_value(header, &line, 0)?
        } else if content == "[]" {
            self.lines.take()?;
            Value::Array(Vec::new())
        } else if colon.is_none() {
            let line = self.lines.take()?;
            if let Some(next) = self.lines.peek()? {
                return Err(next.error(
                    Category::Structure,
                    "a line without `key:` is allowed only as a document's single primitive",
                ));
            }
            return self.primitive(&line, content, TokenPosition::Value);
        } else {
            self.enter(&first)?;
            let mut map = Map::new();
            self.object_fields(0, &mut map)?;
            self.leave();
            return Ok(Value::Object(map));
        };
        if let Some(next) = self.lines.peek()? {
            return Err(next.error(
                Category::Structure,
                "unexpected content after the document's root array or keyed object",
            ));
        }
        Ok(value)
    }

    fn enter(&mut self, line: &Line<'a>) -> Result<()> {
        self.nesting += 1;
        if self.nesting > self.max_depth {
            return Err(line.error(
                Category::Limit,
                format!("nesting deeper than the limit of {} levels", self.max_depth),
            ));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.nesting -= 1;
    }

    /// The content depth of a scope expected at `expected`: `None` when the scope is empty
    /// (next line shallower, or end of input). A deeper first line is a depth jump: an
    /// error in strict mode, adopted as the scope's depth in non-strict mode.
    fn scope_depth(&mut self, expected: usize) -> Result<Option<usize>> {
        let Some(line) = self.lines.peek()? else {
            return Ok(None);
        };
        if line.depth < expected {
            return Ok(None);
        }
        if line.depth > expected && self.strict {
            return Err(line.error(
                Category::Indentation,
                format!(
                    "indentation jumps to depth {} where depth {expected} was expected",
                    line.depth
                ),
            ));
        }
        Ok(Some(line.depth))
    }

    /// Peeks the next line of a scope at content depth `depth` (adopted from `expected`):
    /// `None` once the scope ends. Lines between `expected` and `depth` (left behind by a
    /// non-strict depth jump) and lines deeper than `depth` are errors.
    fn next_in_scope(&mut self, expected: usize, depth: usize) -> Result<Option<Line<'a>>> {
        let Some(line) = self.lines.peek()? else {
            return Ok(None);
        };
        if line.depth == depth {
            return Ok(Some(line));
        }
        if line.depth < expected {
            return Ok(None);
        }
        if line.depth < depth {
            return Err(line.error(
                Category::Indentation,
                format!(
                    "line at depth {} is shallower than its scope's depth {depth}",
                    line.depth
                ),
            ));
        }
        Err(line.error(
            Category::Indentation,
            format!(
                "over-indented line: expected depth {depth}, found {}",
                line.depth
            ),
        ))
    }

    /// Object fields at exactly `depth` until the scope ends, into `map`.
    fn object_fields(&mut self, depth: usize, map: &mut Map<'a>) -> Result<()> {
        self.object_fields_from(depth, depth, map)
    }

    fn object_fields_from(
        &mut self,
        expected: usize,
        depth: usize,
        map: &mut Map<'a>,
    ) -> Result<()> {
        while self.next_in_scope(expected, depth)?.is_some() {
            let line = self.lines.take()?;
            self.field(&line, line.content, depth, map)?;
        }
        Ok(())
    }

    /// One field whose text is `text` (a line's content, or what follows a list-item
    /// hyphen), logically at `depth`; nested content sits at `depth + 1`.
    fn field(
        &mut self,
        line: &Line<'a>,
        text: &'a str,
        depth: usize,
        map: &mut Map<'a>,
    ) -> Result<()> {
        let (colon, bracket) = first_unquoted_pair(text, b':', b'[');
        let Some(colon) = colon else {
            return Err(line.error_at(
                text,
                Category::Structure,
                "expected `key: value`, found a line without a colon",
            ));
        };
        if let Some(bracket) = bracket {
            let header = self.header(line, text, bracket)?;
            let Some(key) = header.key.clone() else {
                return Err(line.error_at(
                    text,
                    Category::Structure,
                    "a header without a key is allowed only at the document root or after a list hyphen",
                ));
            };
            let key_text = header.key_text;
            let value = self.header_value(header, line, depth)?;
            return self.insert(map, key, value, line, key_text);
        }
        let key_text = &text[..colon];
        let key = self.key(line, key_text)?;
        let rest = trim_spaces(&text[colon + 1..]);
        let value = if rest.is_empty() {
            self.nested_object(line, depth + 1)?
        } else {
            self.primitive(line, rest, TokenPosition::Value)?
        };
        self.insert(map, key, value, line, key_text)
    }

    /// A key token: trimmed of spaces; a quoted key must end at its closing quote.
    fn key(&self, line: &Line<'a>, raw: &'a str) -> Result<Cow<'a, str>> {
        let token = trim_spaces(raw);
        if token.starts_with('"') {
            parse_quoted(token).map_err(|e| token_error(line, token, e))
        } else {
            Ok(Cow::Borrowed(token))
        }
    }

    fn insert(
        &self,
        map: &mut Map<'a>,
        key: Cow<'a, str>,
        value: Value<'a>,
        line: &Line<'a>,
        at: &'a str,
    ) -> Result<()> {
        if self.strict && map.contains_key(&key) {
            return Err(line.error_at(
                at,
                Category::DuplicateKey,
                format!("duplicate key {key:?}"),
            ));
        }
        map.insert(key, value);
        Ok(())
    }

    /// The object opened by `key:` with nothing after the colon: every following line at
    /// `expected` (or at the adopted depth of a non-strict jump); `{}` when there is none.
    fn nested_object(&mut self, line: &Line<'a>, expected: usize) -> Result<Value<'a>> {
        let mut map = Map::new();
        if let Some(depth) = self.scope_depth(expected)? {
            self.enter(line)?;
            self.object_fields_from(expected, depth, &mut map)?;
            self.leave();
        }
        Ok(Value::Object(map))
    }

    /// A primitive token (already trimmed).
    fn primitive(
        &self,
        line: &Line<'a>,
        token: &'a str,
        position: TokenPosition,
    ) -> Result<Value<'a>> {
        parse_primitive(token, position).map_err(|e| token_error(line, token, e))
    }

    fn header(&self, line: &Line<'a>, text: &'a str, bracket: usize) -> Result<Header<'a>> {
        let header = parse_header(text, bracket, self.max_depth).map_err(|e| {
            Error::at(
                Category::Syntax,
                e.message,
                line.number,
                line.column_of(text) + text.get(..e.offset).map_or(0, |p| p.chars().count()),
                line.text,
            )
        })?;
        if let Some(offset) = header.duplicate_field
            && self.strict
        {
            return Err(line.error_at(
                &text[offset..],
                Category::DuplicateKey,
                "duplicate field name in the header",
            ));
        }
        Ok(header)
    }

    /// The value a header introduces, written on a line logically at `depth`.
    fn header_value(
        &mut self,
        header: Header<'a>,
        line: &Line<'a>,
        depth: usize,
    ) -> Result<Value<'a>> {
        self.enter(line)?;
        let value = if header.keyed {
            self.keyed_object(&header, line, depth + 1)?
        } else if header.fields.is_some() {
            self.tabular(&header, line, depth + 1)?
        } else if !header.rest.is_empty() {
            self.inline_array(&header, line)?
        } else {
            self.list(&header, line, depth + 1)?
        };
        self.leave();
        Ok(value)
    }

    /// Checks the final count in strict mode; the error points at the declared length.
    fn check_count(
        &self,
        header: &Header<'a>,
        line: &Line<'a>,
        found: usize,
        what: &str,
    ) -> Result<()> {
        if self.strict && header.length != Some(found) {
            return Err(line.error_at(
                header.length_text,
                Category::Count,
                format!(
                    "the header declares {} {what} but {} found",
                    header.length_text,
                    if found == 1 {
                        "1 was".to_string()
                    } else {
                        format!("{found} were")
                    }
                ),
            ));
        }
        Ok(())
    }

    /// In strict mode, the element about to be read at `line` must not exceed the count.
    fn check_not_extra(
        &self,
        header: &Header<'a>,
        line: &Line<'a>,
        index: usize,
        what: &str,
    ) -> Result<()> {
        if self.strict && header.length.is_some_and(|n| index >= n) {
            return Err(line.error(
                Category::Count,
                format!(
                    "more {what} than the {} the header declares",
                    header.length_text
                ),
            ));
        }
        Ok(())
    }

    /// `key[N]: a,b,c`.
    fn inline_array(&mut self, header: &Header<'a>, line: &Line<'a>) -> Result<Value<'a>> {
        let mut items = Vec::new();
        split_cells(header.rest, header.delimiter, |cell, _| {
            items.push(
                parse_primitive(cell, TokenPosition::Cell)
                    .map_err(|e| token_error(line, cell, e))?,
            );
            Ok::<(), Error>(())
        })?;
        self.check_count(header, line, items.len(), "values")?;
        Ok(Value::Array(items))
    }

    /// `key[N]:` followed by `- item` lines at `expected`.
    fn list(
        &mut self,
        header: &Header<'a>,
        header_line: &Line<'a>,
        expected: usize,
    ) -> Result<Value<'a>> {
        let mut items = Vec::new();
        if let Some(depth) = self.scope_depth(expected)? {
            while let Some(line) = self.next_in_scope(expected, depth)? {
                let content = line.content;
                let is_item = content == "-" || content.starts_with("- ");
                if !is_item {
                    return Err(line.error(
                        Category::Structure,
                        "expected a list item starting with `- `",
                    ));
                }
                self.check_not_extra(header, &line, items.len(), "list items")?;
                let line = self.lines.take()?;
                if items.is_empty() {
                    self.lines.open_span();
                }
                items.push(self.list_item(&line, depth)?);
            }
            if !items.is_empty() {
                self.lines.close_span();
            }
        }
        self.check_count(header, header_line, items.len(), "list items")?;
        Ok(Value::Array(items))
    }

    /// One list item whose hyphen line is at `depth` (spec §10, §13).
    fn list_item(&mut self, line: &Line<'a>, depth: usize) -> Result<Value<'a>> {
        let rest = line.content[1..].trim_start_matches(' ');
        if rest.is_empty() {
            return Ok(Value::Object(Map::new()));
        }
        if rest == "[]" {
            return Ok(Value::Array(Vec::new()));
        }
        let (colon, bracket) = first_unquoted_pair(rest, b':', b'[');
        if colon.is_none() {
            return self.primitive(line, rest, TokenPosition::Value);
        }
        if bracket == Some(0) {
            let header = self.header(line, rest, 0)?;
            if header.fields.is_some() {
                return Err(line.error_at(
                    rest,
                    Category::Structure,
                    "a header with a field list and no key is allowed only at the document root",
                ));
            }
            return self.header_value(header, line, depth);
        }
        // An object whose first field sits on the hyphen line, logically one level deeper.
        self.enter(line)?;
        let mut map = Map::new();
        self.field(line, rest, depth + 1, &mut map)?;
        self.object_fields(depth + 1, &mut map)?;
        self.leave();
        Ok(Value::Object(map))
    }

    /// `key[N]{fields}:` followed by rows at `expected`.
    fn tabular(
        &mut self,
        header: &Header<'a>,
        header_line: &Line<'a>,
        expected: usize,
    ) -> Result<Value<'a>> {
        let fields = header.fields.as_deref().unwrap_or_default();
        let mut items = Vec::new();
        if let Some(depth) = self.scope_depth(expected)? {
            while let Some(line) = self.next_in_scope(expected, depth)? {
                // A row has no unquoted colon, or its first delimiter precedes the colon.
                let (colon, delimiter) = first_unquoted_pair(line.content, b':', header.delimiter);
                if let Some(colon) = colon
                    && delimiter.is_none_or(|d| d > colon)
                {
                    return Err(line.error(
                        Category::Structure,
                        "expected a tabular row; a `key: value` line cannot appear among rows",
                    ));
                }
                self.check_not_extra(header, &line, items.len(), "rows")?;
                let line = self.lines.take()?;
                if items.is_empty() {
                    self.lines.open_span();
                }
                self.row_cells(&line, line.content, header)?;
                items.push(Value::Object(build_row(fields, &mut self.cells.drain(..))));
            }
            if !items.is_empty() {
                self.lines.close_span();
            }
        }
        self.check_count(header, header_line, items.len(), "rows")?;
        Ok(Value::Array(items))
    }

    /// Splits one row's cells into `self.cells`, checking the width (never recovered).
    fn row_cells(&mut self, line: &Line<'a>, text: &'a str, header: &Header<'a>) -> Result<()> {
        self.cells.clear();
        let cells = &mut self.cells;
        split_cells(text, header.delimiter, |cell, _| {
            cells.push(
                parse_primitive(cell, TokenPosition::Cell)
                    .map_err(|e| token_error(line, cell, e))?,
            );
            Ok::<(), Error>(())
        })?;
        if self.cells.len() != header.leaf_count {
            return Err(line.error_at(
                text,
                Category::Width,
                format!(
                    "row has {} but the header declares {}",
                    plural(self.cells.len(), "value"),
                    header.leaf_count
                ),
            ));
        }
        Ok(())
    }

    /// `key[N:]{fields}:` followed by `entry: cells` rows at `expected`.
    fn keyed_object(
        &mut self,
        header: &Header<'a>,
        header_line: &Line<'a>,
        expected: usize,
    ) -> Result<Value<'a>> {
        let fields = header.fields.as_deref().unwrap_or_default();
        let mut map = Map::new();
        let mut count = 0;
        if let Some(depth) = self.scope_depth(expected)? {
            while let Some(line) = self.next_in_scope(expected, depth)? {
                let Some(colon) = first_unquoted(line.content, b':') else {
                    return Err(
                        line.error(Category::Structure, "expected a keyed entry `key: values`")
                    );
                };
                self.check_not_extra(header, &line, count, "entries")?;
                let line = self.lines.take()?;
                if count == 0 {
                    self.lines.open_span();
                }
                count += 1;
                let key_text = &line.content[..colon];
                let key = self.key(&line, key_text)?;
                let cells_text = trim_spaces(&line.content[colon + 1..]);
                self.row_cells(&line, cells_text, header)?;
                let value = Value::Object(build_row(fields, &mut self.cells.drain(..)));
                self.insert(&mut map, key, value, &line, key_text)?;
            }
            if count > 0 {
                self.lines.close_span();
            }
        }
        self.check_count(header, header_line, count, "entries")?;
        Ok(Value::Object(map))
    }
}

/// Builds one row object from its leaf cells, in header order (nested groups become
/// nested objects; a repeated field name keeps its first position with the last value).
fn build_row<'a>(fields: &[FieldSpec<'a>], cells: &mut impl Iterator<Item = Value<'a>>) -> Map<'a> {
    let mut map = Map::with_capacity(fields.len());
    for field in fields {
        let value = match &field.children {
            Some(children) => Value::Object(build_row(children, cells)),
            None => cells.next().unwrap_or(Value::Null),
        };
        map.insert(field.name.clone(), value);
    }
    map
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn token_error(line: &Line<'_>, token: &str, e: TokenError) -> Error {
    let offset = (token.as_ptr() as usize).wrapping_sub(line.text.as_ptr() as usize) + e.offset;
    Error::at(
        Category::Syntax,
        e.message,
        line.number,
        line.column_at(offset),
        line.text,
    )
}
