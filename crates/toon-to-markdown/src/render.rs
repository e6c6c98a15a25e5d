//! The renderer: one pass over the value, writing into one `String`.
//!
//! Blocks are written from the cursor (the indentation or list marker of their first line
//! is already there) and leave the cursor at the end of their last line; a new line
//! inside a block is `\n` plus the block's indentation, and blocks of one container are
//! separated by a blank line.

use toon::{Map, Value};

use crate::ToonToMarkdownOptions;
use std::borrow::Cow;

use crate::escape::{Context, escaped, is_blank, normalize, push_spaces, write_escaped};
use crate::shape::{Column, cell, is_code, is_task, keyed_columns, table_columns};

/// The key whose array holds a section's unkeyed blocks (paragraphs, lists, tables, code).
pub(crate) const CONTENT: &str = "content";
/// The root key written as YAML front matter when it comes first.
pub(crate) const FRONT_MATTER: &str = "front_matter";

/// The deepest heading Markdown has.
const MAX_HEADING: usize = 6;

/// How a value is written as a block.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Nothing at all (an empty string or object).
    Nothing,
    /// A bullet list (plain, task, code items, or definition-style fields).
    List,
    /// Anything else: paragraph, table, code block.
    Other,
}

fn kind(value: &Value<'_>) -> Kind {
    match value {
        Value::Array(items) => {
            if items.is_empty() || table_columns(items).is_some() {
                Kind::Other
            } else {
                Kind::List
            }
        }
        Value::Object(map) => {
            if map.is_empty() {
                Kind::Nothing
            } else if is_code(value) || keyed_columns(map).is_some() {
                Kind::Other
            } else {
                Kind::List
            }
        }
        Value::String(text) if is_blank(text) => Kind::Nothing,
        _ => Kind::Other,
    }
}

/// The text of a primitive: strings as they are, other primitives as TOON writes them.
fn text_of<'v>(value: &'v Value<'_>) -> Cow<'v, str> {
    match value {
        Value::String(s) => Cow::Borrowed(s),
        Value::Null => Cow::Borrowed("null"),
        Value::Bool(true) => Cow::Borrowed("true"),
        Value::Bool(false) => Cow::Borrowed("false"),
        Value::Number(n) => Cow::Owned(n.to_string()),
        Value::Array(_) | Value::Object(_) => Cow::Borrowed(""),
    }
}

/// The blocks of one container: whether one was written (the next needs a blank line
/// first), the marker of the list just written (an adjacent list switches between `-`
/// and `*`, or Markdown would join them), and the marker of an open run of fields.
struct Seq {
    indent: usize,
    started: bool,
    last_list: Option<char>,
    fields: Option<char>,
}

impl Seq {
    fn new(indent: usize, started: bool) -> Self {
        Seq {
            indent,
            started,
            last_list: None,
            fields: None,
        }
    }
}

pub(crate) struct Renderer<'o> {
    out: String,
    options: &'o ToonToMarkdownOptions,
}

impl<'o> Renderer<'o> {
    pub(crate) fn new(options: &'o ToonToMarkdownOptions, capacity: usize) -> Self {
        Renderer {
            out: String::with_capacity(capacity),
            options,
        }
    }

    /// The finished document: trailing blank lines dropped, one final newline.
    pub(crate) fn finish(mut self) -> String {
        let end = self.out.trim_end_matches(['\n', ' ']).len();
        self.out.truncate(end);
        self.out.push('\n');
        self.out
    }

    pub(crate) fn document(&mut self, value: &Value<'_>) {
        let mut level = usize::from(self.options.heading_level);
        let mut seq = Seq::new(0, false);
        let mut entries: Vec<(&str, &Value<'_>)> = match value {
            Value::Object(map) => map.iter().collect(),
            _ => Vec::new(),
        };
        if let Some((FRONT_MATTER, Value::String(text))) = entries.first().copied()
            && self.options.front_matter
            && front_matter_fits(text)
        {
            self.out.push_str("---\n");
            self.out.push_str(text);
            self.out.push_str("\n---");
            seq.started = true;
            entries.remove(0);
        }
        if let Some(title) = &self.options.title {
            self.next_block(&mut seq, false);
            self.heading(level, title);
            level += 1;
        }
        match value {
            Value::Object(_) => self.section(&entries, level, &mut seq),
            other => {
                if kind(other) != Kind::Nothing {
                    let marker = self.next_block(&mut seq, kind(other) == Kind::List);
                    self.block(other, 0, marker);
                }
            }
        }
    }

    fn newline(&mut self, indent: usize) {
        self.out.push('\n');
        push_spaces(&mut self.out, indent);
    }

    /// Positions the cursor for the next block of `seq` and picks its list marker.
    fn next_block(&mut self, seq: &mut Seq, list: bool) -> char {
        if seq.started {
            self.out.push_str("\n\n");
            push_spaces(&mut self.out, seq.indent);
        }
        seq.started = true;
        seq.fields = None;
        let marker = if list && seq.last_list == Some('-') {
            '*'
        } else {
            '-'
        };
        seq.last_list = list.then_some(marker);
        marker
    }

    fn heading(&mut self, level: usize, key: &str) {
        for _ in 0..level {
            self.out.push('#');
        }
        let text = escaped(key, Context::Heading);
        if !text.is_empty() {
            self.out.push(' ');
            self.out.push_str(&text);
        }
    }

    /// The fields of an object at heading `level`, as a section: leading fields as a
    /// definition-style list (with any `content` blocks in their place), the rest as
    /// headings. Where the split falls is chosen so that Markdown → TOON reads the same
    /// object back (see the crate docs).
    fn section(&mut self, entries: &[(&str, &Value<'_>)], level: usize, seq: &mut Seq) {
        let split = split_point(entries);
        for (i, &(key, value)) in entries.iter().enumerate() {
            if i < split || level > MAX_HEADING {
                match value {
                    Value::Array(items) if key == CONTENT && i < split => {
                        for item in items {
                            let kind = kind(item);
                            if kind != Kind::Nothing {
                                let marker = self.next_block(seq, kind == Kind::List);
                                self.block(item, seq.indent, marker);
                            }
                        }
                    }
                    _ => self.field(seq, key, value),
                }
                continue;
            }
            self.next_block(seq, false);
            self.heading(level, key);
            let mut inner = Seq::new(0, true);
            match value {
                Value::Object(map) if !is_code(value) && keyed_columns(map).is_none() => {
                    let entries: Vec<_> = map.iter().collect();
                    self.section(&entries, level + 1, &mut inner);
                }
                other => {
                    let kind = kind(other);
                    if kind != Kind::Nothing {
                        let marker = self.next_block(&mut inner, kind == Kind::List);
                        self.block(other, 0, marker);
                    }
                }
            }
            seq.last_list = None;
        }
    }

    /// One field of a definition-style list, joining the run of fields before it.
    fn field(&mut self, seq: &mut Seq, key: &str, value: &Value<'_>) {
        let marker = match seq.fields {
            Some(marker) => {
                self.newline(seq.indent);
                marker
            }
            None => {
                let marker = self.next_block(seq, true);
                seq.fields = Some(marker);
                marker
            }
        };
        self.field_item(key, value, seq.indent, marker);
    }

    /// `- **key**: value`, or `- **key**:` and the value as a block below it.
    fn field_item(&mut self, key: &str, value: &Value<'_>, indent: usize, marker: char) {
        self.out.push(marker);
        self.out.push_str(" **");
        write_escaped(
            &mut self.out,
            &normalize(key, Context::Inline),
            Context::Inline,
        );
        self.out.push_str("**:");
        let inner = indent + 2;
        if value.is_primitive() {
            let raw = text_of(value);
            let text = normalize(&raw, Context::Value(inner));
            if !text.is_empty() {
                self.out.push(' ');
                write_escaped(&mut self.out, &text, Context::Value(inner));
            }
        } else if kind(value) != Kind::Nothing {
            self.out.push_str("\n\n");
            push_spaces(&mut self.out, inner);
            self.block(value, inner, '-');
        }
    }

    /// A value as one block at `indent`, lists with `marker`.
    fn block(&mut self, value: &Value<'_>, indent: usize, marker: char) {
        match value {
            Value::Array(items) => self.array(items, indent, marker),
            Value::Object(map) => {
                if is_code(value) {
                    self.code(map, indent);
                } else if let Some(columns) = keyed_columns(map) {
                    self.keyed_table(map, &columns, indent);
                } else {
                    for (i, (key, value)) in map.iter().enumerate() {
                        if i > 0 {
                            self.newline(indent);
                        }
                        self.field_item(key, value, indent, marker);
                    }
                }
            }
            primitive => {
                let raw = text_of(primitive);
                let text = normalize(&raw, Context::Block(indent));
                write_escaped(&mut self.out, &text, Context::Block(indent));
            }
        }
    }

    fn array(&mut self, items: &[Value<'_>], indent: usize, marker: char) {
        if items.is_empty() {
            // A table with a header and no rows: the one Markdown form of an empty array.
            self.out.push_str("| (empty) |");
            self.newline(indent);
            self.out.push_str("| --- |");
            return;
        }
        if let Some(columns) = table_columns(items) {
            self.table(items, &columns, indent);
            return;
        }
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.newline(indent);
            }
            self.item(item, indent, marker);
        }
    }

    /// One list item: text on the marker line, a task, or a block below a bare marker.
    fn item(&mut self, value: &Value<'_>, indent: usize, marker: char) {
        self.out.push(marker);
        let inner = indent + 2;
        if value.is_primitive() {
            let raw = text_of(value);
            let text = normalize(&raw, Context::Block(inner));
            if !text.is_empty() {
                self.out.push(' ');
                write_escaped(&mut self.out, &text, Context::Block(inner));
            }
            return;
        }
        if is_task(value) {
            self.task(value, inner);
            return;
        }
        // `[text, blocks...]`: the text on the marker line, the blocks below it (an
        // outline's `- parent` with its nested list), which reads back as the same array.
        if let Value::Array(elements) = value
            && let [first, rest @ ..] = elements.as_slice()
            && text_form(elements)
        {
            let raw = text_of(first);
            self.out.push(' ');
            write_escaped(
                &mut self.out,
                &normalize(&raw, Context::Block(inner)),
                Context::Block(inner),
            );
            self.blocks_below_text(rest, inner);
            return;
        }
        if kind(value) != Kind::Nothing {
            self.newline(inner);
            self.block(value, inner, '-');
        }
    }

    /// An item's blocks after its text: a list whose first item starts with text right
    /// on the next line, anything else after a blank line (a bare `-` right below text
    /// would underline it as a heading).
    fn blocks_below_text(&mut self, blocks: &[Value<'_>], inner: usize) {
        let mut seq = Seq::new(inner, true);
        for (i, block) in blocks.iter().enumerate() {
            let kind = kind(block);
            if kind == Kind::Nothing {
                continue;
            }
            if i == 0 && kind == Kind::List && opens_with_text(block) {
                self.newline(inner);
                seq.last_list = Some('-');
                self.block(block, inner, '-');
                continue;
            }
            let marker = self.next_block(&mut seq, kind == Kind::List);
            self.block(block, inner, marker);
        }
    }

    /// `[x] text` after the marker, then its further blocks.
    fn task(&mut self, value: &Value<'_>, inner: usize) {
        let done = value.get("done").and_then(Value::as_bool).unwrap_or(false);
        self.out.push_str(if done { " [x]" } else { " [ ]" });
        let text = value
            .get("text")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let text = normalize(text, Context::Value(inner));
        if !text.is_empty() {
            self.out.push(' ');
            write_escaped(&mut self.out, &text, Context::Value(inner));
        }
        if let Some(Value::Array(blocks)) = value.get("items") {
            if !text.is_empty() {
                self.blocks_below_text(blocks, inner);
                return;
            }
            // After a bare `[x]`, the first block on the next line (a blank line there
            // would end the item).
            let mut seq = Seq::new(inner, false);
            self.newline(inner);
            for block in blocks {
                let kind = kind(block);
                if kind != Kind::Nothing {
                    let marker = self.next_block(&mut seq, kind == Kind::List);
                    self.block(block, inner, marker);
                }
            }
        }
    }

    fn table(&mut self, rows: &[Value<'_>], columns: &[Column<'_>], indent: usize) {
        self.header_row(false, columns);
        self.delimiter_row(columns.len(), indent);
        for row in rows {
            let Some(row) = row.as_object() else { continue };
            self.newline(indent);
            self.out.push('|');
            for column in columns {
                self.value_cell(cell(row, column));
            }
        }
    }

    fn keyed_table(&mut self, map: &Map<'_>, columns: &[Column<'_>], indent: usize) {
        self.header_row(true, columns);
        self.delimiter_row(columns.len() + 1, indent);
        for (key, row) in map.iter() {
            let Some(row) = row.as_object() else { continue };
            self.newline(indent);
            self.out.push('|');
            self.cell(key);
            for column in columns {
                self.value_cell(cell(row, column));
            }
        }
    }

    /// The header: the dotted column names, after an empty cell for a keyed table.
    fn header_row(&mut self, keyed: bool, columns: &[Column<'_>]) {
        self.out.push('|');
        if keyed {
            self.cell("");
        }
        for column in columns {
            self.cell(&column.join("."));
        }
    }

    /// A primitive's cell; numbers need no escaping and are written straight in.
    fn value_cell(&mut self, value: &Value<'_>) {
        match value {
            Value::Number(n) => {
                use std::fmt::Write as _;
                let _ = write!(self.out, " {n} |");
            }
            other => self.cell(&text_of(other)),
        }
    }

    /// ` text |` after the row's opening or previous `|`.
    fn cell(&mut self, text: &str) {
        self.out.push(' ');
        write_escaped(
            &mut self.out,
            &normalize(text, Context::Inline),
            Context::Inline,
        );
        self.out.push_str(" |");
    }

    fn delimiter_row(&mut self, columns: usize, indent: usize) {
        self.newline(indent);
        self.out.push('|');
        for _ in 0..columns {
            self.out.push_str(" --- |");
        }
    }

    /// A fenced code block; the fence is longer than any run of its character in the code.
    fn code(&mut self, map: &Map<'_>, indent: usize) {
        let lang = map.get("lang").and_then(Value::as_str).unwrap_or_default();
        let code = map.get("code").and_then(Value::as_str).unwrap_or_default();
        let fence_char = if lang.contains('`') { '~' } else { '`' };
        let longest = longest_run(code, fence_char);
        let fence: String = std::iter::repeat_n(fence_char, longest.max(2) + 1).collect();
        self.out.push_str(&fence);
        write_info(&mut self.out, lang);
        for line in code.split('\n').filter(|_| !code.is_empty()) {
            if line.is_empty() {
                self.out.push('\n');
            } else {
                self.newline(indent);
                self.out.push_str(line);
            }
        }
        self.newline(indent);
        self.out.push_str(&fence);
    }
}

/// Whether an item's array is written as its first element's text on the marker line
/// and the other elements as blocks below it: a primitive with text first, then one or
/// more blocks that are not empty (nor a task, which only a list item can be), one of
/// them a container (primitives alone read better as a nested list).
fn text_form(elements: &[Value<'_>]) -> bool {
    match elements {
        [first, rest @ ..] => {
            first.is_primitive()
                && kind(first) != Kind::Nothing
                && !rest.is_empty()
                && rest.iter().all(|e| kind(e) != Kind::Nothing && !is_task(e))
                && rest.iter().any(|e| !e.is_primitive())
        }
        [] => false,
    }
}

/// Whether a value written as a list starts with text on its first marker line (so it
/// may follow a paragraph line directly).
fn opens_with_text(value: &Value<'_>) -> bool {
    match value {
        Value::Array(items) => items.first().is_some_and(|first| match first {
            Value::Array(elements) => text_form(elements),
            first => is_task(first) || (first.is_primitive() && kind(first) != Kind::Nothing),
        }),
        Value::Object(_) => true,
        _ => false,
    }
}

/// Where a section's headings start: every entry before is written as a field (or as
/// `content` blocks), every entry from it as a heading. Fields must come before the
/// first heading (a heading's section runs to the next heading), so the split falls
/// after the last `content` and the last field that a heading cannot carry (an empty
/// string), and before the first value holding an empty object (which only a heading
/// can carry);
/// otherwise as late as every remaining entry is a container.
fn split_point(entries: &[(&str, &Value<'_>)]) -> usize {
    let must_be_field = |&(key, value): &(&str, &Value<'_>)| match value {
        Value::Array(_) => key == CONTENT,
        Value::Object(_) => false,
        primitive => kind(primitive) == Kind::Nothing,
    };
    let after_last = |pred: &dyn Fn(&(&str, &Value<'_>)) -> bool| {
        entries.iter().rposition(pred).map_or(0, |i| i + 1)
    };
    let fields_end = after_last(&must_be_field);
    let primitives_end = after_last(&|(_, value)| value.is_primitive());
    let first_heading_only = entries
        .iter()
        .position(|(_, value)| !list_safe(value))
        .unwrap_or(entries.len());
    if first_heading_only < fields_end {
        // That value cannot keep its form either way: keep the fields together.
        return fields_end.max(primitives_end);
    }
    fields_end.max(primitives_end.min(first_heading_only))
}

/// Whether a value written inside a list (as a field's block or an item) reads back the
/// same: everything but an empty object, which only a heading with nothing below it can
/// carry (a keyed table of keys alone aside).
fn list_safe(value: &Value<'_>) -> bool {
    match value {
        Value::Array(items) => items.iter().all(list_safe),
        Value::Object(map) => {
            !map.is_empty()
                && (is_code(value) || keyed_columns(map).is_some() || map.values().all(list_safe))
        }
        _ => true,
    }
}

/// The length of the longest run of `c` in `text`.
fn longest_run(text: &str, c: char) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for ch in text.chars() {
        if ch == c {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    longest
}

/// A code block's info string: backslashes and entity-like `&` escaped, since Markdown
/// unescapes both there, and `~` (which would lengthen a tilde fence).
fn write_info(out: &mut String, lang: &str) {
    for (i, c) in lang.char_indices() {
        if c == '\\' || c == '~' || (c == '&' && lang[i + 1..].contains(';')) {
            out.push('\\');
        }
        out.push(c);
    }
}

/// Whether `text` reads back as the same YAML front matter: not empty, a first line that
/// is not blank, no line that would close the block (`---` or `...` alone), no CR.
fn front_matter_fits(text: &str) -> bool {
    let first = text.split('\n').next().unwrap_or_default();
    !text.is_empty()
        && !text.contains('\r')
        && !first
            .trim_matches(|c: char| c.is_ascii_whitespace())
            .is_empty()
        && !text.split('\n').any(closes_front_matter)
}

fn closes_front_matter(line: &str) -> bool {
    let rest = line
        .strip_prefix("---")
        .filter(|rest| !rest.starts_with('-'))
        .or_else(|| {
            line.strip_prefix("...")
                .filter(|rest| !rest.starts_with('.'))
        });
    rest.is_some_and(|rest| rest.bytes().all(|b| b == b' '))
}
