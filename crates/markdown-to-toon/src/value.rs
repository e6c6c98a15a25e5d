//! From the block tree to a [`toon::Value`]: sections by heading level, fields from
//! definition-style lists, `content` for the other blocks.

use std::borrow::Cow;
use std::ops::Range;

use toon::{Map, Value};

use crate::blocks::{Block, Item};

/// The key of a section's unkeyed blocks.
pub(crate) const CONTENT: &str = "content";
/// The root key of the front matter.
pub(crate) const FRONT_MATTER: &str = "front_matter";

/// One thing a section holds, in document order.
enum Entry<'s> {
    /// A keyed value: a field of a definition-style list, or a subsection.
    Field(Cow<'s, str>, Value<'s>),
    /// An unkeyed block.
    Content(Value<'s>),
}

struct Section<'s> {
    level: u8,
    key: Cow<'s, str>,
    entries: Vec<Entry<'s>>,
}

pub(crate) struct Builder<'s> {
    src: &'s str,
}

impl<'s> Builder<'s> {
    pub(crate) fn new(src: &'s str) -> Self {
        Builder { src }
    }

    /// The document: always an object.
    pub(crate) fn document(&self, blocks: Vec<Block>) -> Value<'s> {
        let mut front = None;
        let mut stack = vec![Section {
            level: 0,
            key: Cow::Borrowed(""),
            entries: Vec::new(),
        }];
        for block in blocks {
            match block {
                Block::FrontMatter(text) => front = Some(text),
                Block::Heading(level, range) => {
                    while stack.len() > 1 && stack.last().is_some_and(|s| s.level >= level) {
                        self.close_section(&mut stack);
                    }
                    let key = range.map_or(Cow::Borrowed(""), |r| self.text(r));
                    stack.push(Section {
                        level,
                        key,
                        entries: Vec::new(),
                    });
                }
                block => {
                    let entries = &mut stack.last_mut().expect("the root").entries;
                    self.add_block(entries, block);
                }
            }
        }
        while stack.len() > 1 {
            self.close_section(&mut stack);
        }
        let root = stack.pop().expect("the root");
        Value::Object(build_map(root.entries, front))
    }

    fn close_section(&self, stack: &mut Vec<Section<'s>>) {
        let section = stack.pop().expect("a section");
        let value = section_value(section.entries);
        if let Some(parent) = stack.last_mut() {
            parent.entries.push(Entry::Field(section.key, value));
        }
    }

    /// A block directly in a section: a definition-style list gives fields, anything
    /// else one unkeyed block.
    fn add_block(&self, entries: &mut Vec<Entry<'s>>, block: Block) {
        if let Block::List {
            ordered: false,
            items,
        } = &block
            && let Some(fields) = self.fields(items)
        {
            entries.extend(fields.into_iter().map(|(k, v)| Entry::Field(k, v)));
            return;
        }
        match self.block(block) {
            // A paragraph of nothing but line breaks: no text to keep.
            Value::String(text) if text.is_empty() => {}
            value => entries.push(Entry::Content(value)),
        }
    }

    /// The fields of a list whose items are all `**key**: value` (none a task).
    fn fields(&self, items: &[Item]) -> Option<Vec<(Cow<'s, str>, Value<'s>)>> {
        if items.is_empty() {
            return None;
        }
        let mut keys = Vec::with_capacity(items.len());
        for item in items {
            if item.task.is_some() {
                return None;
            }
            let Some(Block::Para(range)) = item.blocks.first() else {
                return None;
            };
            keys.push(self.definition(range.clone())?);
        }
        Some(
            items
                .iter()
                .zip(keys)
                .map(|(item, (key, rest))| {
                    let rest = self.text(rest);
                    let others = &item.blocks[1..];
                    let value = if others.is_empty() {
                        Value::String(rest)
                    } else if rest.is_empty() && others.len() == 1 {
                        self.block_ref(&others[0])
                    } else {
                        let mut values = Vec::with_capacity(others.len() + 1);
                        if !rest.is_empty() {
                            values.push(Value::String(rest));
                        }
                        values.extend(others.iter().map(|b| self.block_ref(b)));
                        Value::Array(values)
                    };
                    (key, value)
                })
                .collect(),
        )
    }

    /// Splits a paragraph `**key**: rest` into the key and the range of the rest; `None`
    /// when the paragraph does not start that way. The closing `**:` is the first one
    /// not escaped by a backslash.
    fn definition(&self, range: Range<usize>) -> Option<(Cow<'s, str>, Range<usize>)> {
        let src = &self.src[range.clone()];
        let body = src.strip_prefix("**")?;
        let bytes = body.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => i += 2,
                b'*' if body[i..].starts_with("**:") => {
                    let key_start = range.start + 2;
                    let key = self.text(key_start..key_start + i);
                    return Some((key, key_start + i + 3..range.end));
                }
                _ => i += 1,
            }
        }
        None
    }

    fn block(&self, block: Block) -> Value<'s> {
        self.block_ref(&block)
    }

    /// An unkeyed block's value: a paragraph's text, a list's items (an object for a
    /// definition-style list), a table's rows, `{lang, code}`, a raw block's source.
    fn block_ref(&self, block: &Block) -> Value<'s> {
        match block {
            Block::Para(range) => Value::String(self.text(range.clone())),
            Block::Heading(level, range) => {
                let text = range.clone().map_or(Cow::Borrowed(""), |r| self.text(r));
                let hashes = "#".repeat(usize::from(*level));
                Value::String(Cow::Owned(if text.is_empty() {
                    hashes
                } else {
                    format!("{hashes} {text}")
                }))
            }
            Block::List { ordered, items } => {
                if !ordered && let Some(fields) = self.fields(items) {
                    let mut map = Map::with_capacity(fields.len());
                    for (key, value) in fields {
                        insert_unique(&mut map, key, value, &[]);
                    }
                    return Value::Object(map);
                }
                Value::Array(items.iter().map(|item| self.item(item)).collect())
            }
            Block::Table { head, rows } => self.table(head, rows),
            Block::Code { lang, code } => {
                let mut map = Map::with_capacity(2);
                map.insert("lang", Value::String(Cow::Owned(lang.clone())));
                map.insert("code", Value::String(Cow::Owned(code.clone())));
                Value::Object(map)
            }
            Block::Raw(range) => Value::String(self.raw(range.clone())),
            Block::FrontMatter(text) => Value::String(Cow::Owned(text.clone())),
        }
    }

    /// A list item: a task row `{done, text}` (with `items` for further blocks), its one
    /// block's value, an array of its blocks, or `""` when empty.
    fn item(&self, item: &Item) -> Value<'s> {
        if let Some(done) = item.task {
            // The text is the first block when that is text of any kind (a paragraph; a
            // heading or quote right after the marker reads back as text too).
            let first = item.blocks.first().map(|b| self.block_ref(b));
            let (text, rest) = match first {
                Some(Value::String(text)) => (text, &item.blocks[1..]),
                _ => (Cow::Borrowed(""), &item.blocks[..]),
            };
            let mut map = Map::with_capacity(3);
            map.insert("done", Value::Bool(done));
            map.insert("text", Value::String(text));
            if !rest.is_empty() {
                let items = rest.iter().map(|b| self.block_ref(b)).collect();
                map.insert("items", Value::Array(items));
            }
            return Value::Object(map);
        }
        match item.blocks.as_slice() {
            [] => Value::String(Cow::Borrowed("")),
            [block] => self.block_ref(block),
            blocks => Value::Array(blocks.iter().map(|b| self.block_ref(b)).collect()),
        }
    }

    /// Rows keyed by the header cells; with an empty first header cell and at least one
    /// row (and columns that `toon-to-markdown` writes back as a keyed table), an object
    /// keyed by the first column instead. Dotted header cells
    /// (`customer.name`) are nested field groups, as `toon-to-markdown` writes them,
    /// when every part is non-empty and no column's path is a prefix of another's.
    fn table(
        &self,
        head: &[Option<Range<usize>>],
        rows: &[Vec<Option<Range<usize>>>],
    ) -> Value<'s> {
        let cell = |cells: &[Option<Range<usize>>], i: usize| match cells.get(i) {
            Some(Some(range)) => self.text(range.clone()),
            _ => Cow::Borrowed(""),
        };
        let names: Vec<Cow<'s, str>> = (0..head.len()).map(|i| cell(head, i)).collect();
        let keyed = names.first().is_some_and(|n| n.is_empty())
            && !rows.is_empty()
            && keyed_columns_fit(&unique(&names[1..]));
        let first_column = usize::from(keyed);
        let columns = unique(&names[first_column..]);
        let paths = nested_paths(&columns);
        let row_object = |row: &[Option<Range<usize>>]| {
            let mut map = Map::with_capacity(columns.len());
            for (i, name) in columns.iter().enumerate() {
                let value = Value::String(cell(row, i + first_column));
                match &paths {
                    Some(paths) => insert_path(&mut map, &paths[i], value),
                    None => {
                        map.insert(name.clone(), value);
                    }
                }
            }
            Value::Object(map)
        };
        if keyed {
            let mut map = Map::with_capacity(rows.len());
            for row in rows {
                insert_unique(&mut map, cell(row, 0), row_object(row), &[]);
            }
            Value::Object(map)
        } else {
            Value::Array(rows.iter().map(|row| row_object(row)).collect())
        }
    }

    /// Inline source as text: backslash escapes resolved, a hard break (`\` at the end of
    /// a line) and `<br>` read as a line break, then each line trimmed of spaces and tabs
    /// and blank lines at either end dropped (the form `toon-to-markdown` writes back).
    fn text(&self, range: Range<usize>) -> Cow<'s, str> {
        let src = &self.src[range];
        let plain = !src.contains(['\\', '<', '\n', '\r'])
            && src.trim_matches([' ', '\t']).len() == src.len();
        if plain {
            return Cow::Borrowed(src);
        }
        let src = if src.contains('\r') {
            Cow::Owned(src.replace("\r\n", "\n").replace('\r', "\n"))
        } else {
            Cow::Borrowed(src)
        };
        Cow::Owned(trim_lines(&unescape(&src)))
    }

    /// A raw block's source: each line trimmed, nothing unescaped.
    fn raw(&self, range: Range<usize>) -> Cow<'s, str> {
        Cow::Owned(trim_lines(&self.src[range]))
    }
}

/// Each line trimmed of spaces, tabs and CR; leading and trailing blank lines dropped.
fn trim_lines(src: &str) -> String {
    let lines: Vec<&str> = src
        .split('\n')
        .map(|l| l.trim_matches([' ', '\t', '\r']))
        .collect();
    let first = lines.iter().position(|l| !l.is_empty());
    let last = lines.iter().rposition(|l| !l.is_empty());
    match (first, last) {
        (Some(first), Some(last)) => lines[first..=last].join("\n"),
        _ => String::new(),
    }
}

/// Resolves `\` + ASCII punctuation, `\` + newline (a hard break) and `<br>` (`<br/>`,
/// `<br />`, any case) to the characters they stand for.
pub(crate) fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\'
                if i + 1 < bytes.len()
                    && (bytes[i + 1].is_ascii_punctuation() || bytes[i + 1] == b'\n') =>
            {
                out.push_str(&text[copied..i]);
                out.push(bytes[i + 1] as char);
                i += 2;
                copied = i;
            }
            b'<' => {
                if let Some(len) = line_break_tag(&bytes[i..]) {
                    out.push_str(&text[copied..i]);
                    out.push('\n');
                    i += len;
                    copied = i;
                } else {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// The length of `<br>`, `<br/>` or `<br />` (any case) at the start of `bytes`.
fn line_break_tag(bytes: &[u8]) -> Option<usize> {
    if bytes.len() < 4 || !bytes[1..3].eq_ignore_ascii_case(b"br") {
        return None;
    }
    let mut i = 3;
    while bytes.get(i) == Some(&b' ') {
        i += 1;
    }
    if bytes.get(i) == Some(&b'/') {
        i += 1;
    }
    (bytes.get(i) == Some(&b'>')).then_some(i + 1)
}

/// A section's value: `{}` when empty, its one block's value when that is all it holds,
/// else an object.
fn section_value(mut entries: Vec<Entry<'_>>) -> Value<'_> {
    if entries.is_empty() {
        return Value::Object(Map::new());
    }
    if entries.len() == 1
        && matches!(entries[0], Entry::Content(_))
        && let Some(Entry::Content(value)) = entries.pop()
    {
        return value;
    }
    Value::Object(build_map(entries, None))
}

/// The object of a section's entries: fields and subsections under their keys (made
/// unique), unkeyed blocks in one `content` array where the first one stood, the front
/// matter first.
fn build_map<'s>(entries: Vec<Entry<'s>>, front: Option<String>) -> Map<'s> {
    let has_content = entries.iter().any(|e| matches!(e, Entry::Content(_)));
    let mut map = Map::with_capacity(entries.len() + 1);
    let mut reserved: Vec<&str> = Vec::new();
    if let Some(front) = front {
        map.insert(FRONT_MATTER, Value::String(Cow::Owned(front)));
    }
    if has_content {
        reserved.push(CONTENT);
    }
    for entry in entries {
        match entry {
            Entry::Field(key, value) => {
                // A `content` array that is not the section's blocks would read back as
                // them: rename it.
                let array_content = key == CONTENT && matches!(value, Value::Array(_));
                let reserved: &[&str] = if array_content { &[CONTENT] } else { &reserved };
                insert_unique(&mut map, key, value, reserved);
            }
            // While there are unkeyed blocks no field is called `content`, so the key
            // is theirs.
            Entry::Content(value) => match map.get_mut(CONTENT) {
                Some(Value::Array(items)) => items.push(value),
                _ => {
                    map.insert(CONTENT, Value::Array(vec![value]));
                }
            },
        }
    }
    map
}

/// Whether the columns after the key column read back as a keyed table: none empty, dots
/// only where they split cleanly, and not just `lang` and `code` (those rows are code
/// blocks).
fn keyed_columns_fit(columns: &[Cow<'_, str>]) -> bool {
    let code = columns.len() == 2
        && columns.iter().any(|c| c == "lang")
        && columns.iter().any(|c| c == "code");
    !code
        && columns.iter().all(|c| !c.is_empty())
        && (!columns.iter().any(|c| c.contains('.')) || nested_paths(columns).is_some())
}

/// The dotted header cells split into paths, when they all split cleanly: no empty
/// part, no path a prefix of another (and no column has a dot at all: then `None` too,
/// and the names are used as they are).
fn nested_paths<'s>(columns: &[Cow<'s, str>]) -> Option<Vec<Vec<Cow<'s, str>>>> {
    if !columns.iter().any(|c| c.contains('.')) {
        return None;
    }
    let paths: Vec<Vec<Cow<'s, str>>> = columns
        .iter()
        .map(|c| {
            c.split('.')
                .map(|part| Cow::Owned(part.to_owned()))
                .collect()
        })
        .collect();
    let clean = paths
        .iter()
        .all(|p: &Vec<Cow<'_, str>>| p.iter().all(|part| !part.is_empty()));
    let prefix_free = paths.iter().enumerate().all(|(i, a)| {
        paths
            .iter()
            .enumerate()
            .all(|(j, b)| i == j || !(a.len() <= b.len() && b[..a.len()] == a[..]))
    });
    (clean && prefix_free).then_some(paths)
}

/// Inserts `value` at `path`, creating the nested objects on the way.
fn insert_path<'s>(map: &mut Map<'s>, path: &[Cow<'s, str>], value: Value<'s>) {
    let (last, parents) = path.split_last().expect("a path has a part");
    let mut map = map;
    for part in parents {
        if !map.contains_key(part) {
            map.insert(part.clone(), Value::Object(Map::new()));
        }
        map = match map.get_mut(part) {
            Some(Value::Object(inner)) => inner,
            // Prefix-free paths never meet a leaf on the way.
            _ => return,
        };
    }
    map.insert(last.clone(), value);
}

/// Column names made unique: a repeated name gets ` (2)`, ` (3)`, ...
fn unique<'s>(names: &[Cow<'s, str>]) -> Vec<Cow<'s, str>> {
    let mut out: Vec<Cow<'s, str>> = Vec::with_capacity(names.len());
    for name in names {
        let name = free_name(name.clone(), |candidate| out.iter().any(|n| n == candidate));
        out.push(name);
    }
    out
}

/// Inserts under `key`, or under `key (2)`, `key (3)`, ... (`(2)`, ... for an empty
/// key) when `key` is taken or reserved.
fn insert_unique<'s>(map: &mut Map<'s>, key: Cow<'s, str>, value: Value<'s>, reserved: &[&str]) {
    let key = free_name(key, |candidate| {
        map.contains_key(candidate) || reserved.contains(&candidate)
    });
    map.insert(key, value);
}

fn free_name<'s>(key: Cow<'s, str>, taken: impl Fn(&str) -> bool) -> Cow<'s, str> {
    if !taken(&key) {
        return key;
    }
    (2..)
        .map(|n| {
            if key.is_empty() {
                format!("({n})")
            } else {
                format!("{key} ({n})")
            }
        })
        .find(|candidate| !taken(candidate))
        .map(Cow::Owned)
        .expect("some suffix is free")
}
