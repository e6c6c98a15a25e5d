//! The decoder proper (spec §5, §8–§14): a state machine fed one significant line at a
//! time. An explicit stack of open scopes replaces recursion, so memory is bounded by the
//! nesting depth and no input can overflow the call stack; the machine reports what it
//! reads as events to an [`EventSink`].
//!
//! Each scope knows the depth its content is expected at. Its first line may sit deeper
//! (a depth jump: strict error, adopted in non-strict mode); after that, lines at its
//! depth belong to it, shallower lines close it, and deeper ones are over-indented.

use std::borrow::Cow;

use crate::error::{Category, Error, Result};
use crate::options::DecodeOptions;
use crate::value::Value;

use super::event::{EventSink, Position};
use super::header::{FieldSpec, Header, parse_header};
use super::hint::{expected_found, hint};
use super::lines::{Line, column_at};
use super::scan::{
    TokenError, TokenPosition, first_unquoted, first_unquoted_pair, parse_primitive, parse_quoted,
    split_cells, trim_spaces, unquoted_before,
};
use super::seen::{KeyIndex, SeenKeys};

/// Turns text borrowed from the current line (`'l`) into text the events and scopes can
/// keep (`'a`): a no-op for `&str` input, a copy for lines read from an `io::Read`.
pub(crate) trait Own<'l, 'a> {
    fn text(&self, s: Cow<'l, str>) -> Cow<'a, str>;
    fn value(&self, v: Value<'l>) -> Value<'a>;
}

/// Keeps borrows (input is a `&'a str` that outlives the decoder).
pub(crate) struct Borrow;

impl<'a> Own<'a, 'a> for Borrow {
    #[inline]
    fn text(&self, s: Cow<'a, str>) -> Cow<'a, str> {
        s
    }

    #[inline]
    fn value(&self, v: Value<'a>) -> Value<'a> {
        v
    }
}

/// Copies (lines come from a reused buffer).
pub(crate) struct Copy;

impl<'l> Own<'l, 'static> for Copy {
    fn text(&self, s: Cow<'l, str>) -> Cow<'static, str> {
        Cow::Owned(s.into_owned())
    }

    fn value(&self, v: Value<'l>) -> Value<'static> {
        v.into_owned()
    }
}

/// What a header declared, kept for the count check when its scope closes.
#[derive(Clone)]
struct Declared<'a> {
    length: Option<usize>,
    length_text: Cow<'a, str>,
    line: usize,
    line_text: Cow<'a, str>,
    length_offset: usize,
}

#[derive(Clone)]
struct Table<'a> {
    /// Unique among the tables this machine opened (from 1), so a sink can tell one
    /// table's rows from another's without comparing field lists.
    id: usize,
    fields: Vec<FieldSpec<'a>>,
    leaf_count: usize,
    delimiter: u8,
}

#[derive(Clone)]
enum Kind<'a> {
    /// Key-value and header lines.
    Object,
    /// `- item` lines.
    List,
    /// Rows of a tabular array.
    Table(Table<'a>),
    /// `key: cells` entries of a keyed object.
    Keyed(Table<'a>),
}

#[derive(Clone)]
struct Scope<'a> {
    kind: Kind<'a>,
    /// Depth the content is expected at.
    expected: usize,
    /// Depth adopted from the first content line (fixed from the start for scopes that
    /// allow no depth jump).
    depth: Option<usize>,
    declared: Option<Declared<'a>>,
    /// Elements (items, rows, entries) read so far.
    count: usize,
    /// Keys seen so far (strict duplicate detection), as an index into `Machine::keys`,
    /// or a set once the scope has many keys.
    keys_start: usize,
    key_set: Option<KeyIndex>,
    /// One bit per key seen while the keys are searched linearly ([`key_bit`]): a key
    /// whose bit is clear is new without a search.
    key_bits: u64,
    /// Whether this scope's header span is open (its first element was read).
    span_open: bool,
    /// The key whose value this scope is, for the path of an error.
    name: Option<Cow<'a, str>>,
}

impl<'a> Scope<'a> {
    fn new(kind: Kind<'a>, expected: usize, depth: Option<usize>, keys_start: usize) -> Self {
        Scope {
            kind,
            expected,
            depth,
            declared: None,
            count: 0,
            keys_start,
            key_set: None,
            key_bits: 0,
            span_open: false,
            name: None,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Root {
    /// No line yet.
    Start,
    /// The document is a single primitive.
    Scalar,
    /// A root object, array or keyed object is open.
    Open,
    /// A root array, `[]` or keyed object is complete: nothing may follow.
    Closed,
}

/// Above this many keys in one object, duplicate detection switches to a hash index
/// (below it, [`key_bit`] spares most searches, and building the index cost more).
const LINEAR_KEYS: usize = 32;

/// A key's bit in [`Scope::key_bits`], from its length and first and last bytes: equal
/// keys share it, so a clear bit proves a key new (most keys, in most objects).
#[inline]
fn key_bit(key: &str) -> u64 {
    let bytes = key.as_bytes();
    let (first, last) = (
        bytes.first().copied().unwrap_or(0),
        bytes.last().copied().unwrap_or(0),
    );
    let mix = (bytes.len() as u32)
        .wrapping_mul(11)
        .wrapping_add(u32::from(first))
        .wrapping_add(u32::from(last).wrapping_mul(5));
    1 << (mix & 63)
}

/// A departure from strict TOON that the machine read past in repair mode: the strict
/// error (what was found, where) and what was done instead.
pub(crate) struct Departure {
    pub(crate) error: Error,
    pub(crate) done: String,
}

/// An array or keyed object still short of its declared length when the text ended.
pub(crate) struct Shortfall {
    /// The count error strict mode reports for it, and what repair mode does about it
    /// when the text is known to be whole (a miscount then, not a cut).
    pub(crate) departure: Departure,
    /// The text of its header line.
    pub(crate) line_text: String,
    /// What was declared and how many were read (`3 tabular rows`, 2).
    pub(crate) declared: String,
    pub(crate) seen: usize,
}

/// What a repairing machine noted: the departures it read past and, when the text
/// ended early, the scopes it left short (innermost first).
#[derive(Default)]
pub(crate) struct RepairLog {
    pub(crate) departures: Vec<Departure>,
    pub(crate) shortfalls: Vec<Shortfall>,
}

pub(crate) struct Machine<'a> {
    strict: bool,
    /// Repair mode: departures are read as in non-strict mode and noted in `log`.
    repairing: bool,
    /// What repair mode noted, and (when the text may have been cut off) the scopes
    /// left short at its end.
    log: Option<RepairLog>,
    max_depth: usize,
    /// Integers beyond 64 bits keep their digits (`DecodeOptions::with_big_integers`).
    big_integers: bool,
    scopes: Vec<Scope<'a>>,
    root: Root,
    /// Open header spans; a blank line inside one is a strict error.
    spans: usize,
    /// Keys of open objects, for strict duplicate detection.
    keys: SeenKeys<'a>,
    /// One row's cells, reused.
    cells: Vec<(Value<'a>, usize)>,
    /// Tables opened so far (the last table's id).
    tables: usize,
    /// The line the text may have been cut off on (0: none): an inline array short of
    /// its declared length there is a [`Shortfall`], not a miscount.
    cut_line: usize,
    /// The number and text of the line of a root primitive, for the error when another
    /// line follows it: the fault is that line's missing `key:`, so it is reported there.
    scalar_line: Option<(usize, String)>,
}

impl<'a> Machine<'a> {
    pub(crate) fn new(options: &DecodeOptions) -> Self {
        Machine {
            strict: options.strict(),
            repairing: false,
            log: None,
            max_depth: options.max_depth(),
            big_integers: options.big_integers(),
            scopes: Vec::new(),
            root: Root::Start,
            spans: 0,
            keys: SeenKeys::default(),
            cells: Vec::new(),
            tables: 0,
            cut_line: 0,
            scalar_line: None,
        }
    }

    /// A non-strict machine that notes every departure from strict TOON it reads past
    /// ([`Machine::into_log`]).
    pub(crate) fn repairing(options: &DecodeOptions) -> Self {
        Machine {
            strict: false,
            repairing: true,
            log: Some(RepairLog::default()),
            ..Machine::new(options)
        }
    }

    /// A machine of `options` that, at the end of the text, notes the arrays and keyed
    /// objects left short of their declared length ([`RepairLog::shortfalls`]) instead
    /// of failing: text that arrives in chunks may have been cut off. Strict mode still
    /// fails on every other departure.
    pub(crate) fn noting_shortfalls(options: &DecodeOptions) -> Self {
        Machine {
            log: Some(RepairLog::default()),
            ..Machine::new(options)
        }
    }

    /// A copy of this machine's reading state (not its log) to try a line on: what the
    /// line would do, without committing to it.
    pub(crate) fn probe(&self) -> Self {
        Machine {
            strict: self.strict,
            repairing: self.repairing,
            log: self.log.as_ref().map(|_| RepairLog::default()),
            max_depth: self.max_depth,
            big_integers: self.big_integers,
            scopes: self.scopes.clone(),
            root: self.root,
            spans: self.spans,
            keys: self.keys.clone(),
            cells: Vec::new(),
            tables: self.tables,
            cut_line: self.cut_line,
            scalar_line: self.scalar_line.clone(),
        }
    }

    /// Says that the text may stop on 1-based line `line` (its last, unterminated):
    /// an inline array short of its declared length there is noted as cut off (with a
    /// log), not failed or repaired as a miscount.
    pub(crate) fn set_cut_line(&mut self, line: usize) {
        self.cut_line = line;
    }

    /// What a repairing machine noted.
    pub(crate) fn into_log(self) -> RepairLog {
        self.log.unwrap_or_default()
    }

    /// Whether departures from strict TOON are looked for (strict or repair mode).
    #[inline]
    fn checks(&self) -> bool {
        self.strict || self.repairing
    }

    /// Whether a count that falls short at the end of the text is checked: always when
    /// departures are, and when the text may have been cut off (a log notes shortfalls).
    #[inline]
    fn checks_end(&self, at_end: bool) -> bool {
        self.checks() || at_end && self.log.is_some()
    }

    /// A departure from strict TOON: the error in strict mode; in repair mode a note
    /// that `done` was done instead; nothing otherwise.
    fn depart(&mut self, error: Error, done: impl Into<String>) -> Result<()> {
        if self.strict {
            return Err(error);
        }
        if let Some(log) = self.log.as_mut().filter(|_| self.repairing) {
            log.departures.push(Departure {
                error,
                done: done.into(),
            });
        }
        Ok(())
    }

    /// Reads one significant line. An error carries the path of the value being read
    /// and a hint for the writer ([`Machine::explain`]).
    #[inline]
    pub(crate) fn line<'l, O: Own<'l, 'a>, S: EventSink<'a>>(
        &mut self,
        line: &Line<'l>,
        own: &O,
        sink: &mut S,
    ) -> Result<()> {
        self.read_line(line, own, sink)
            .map_err(|error| self.explain(error))
    }

    /// Adds to a decode error what a retry loop needs: the path of the value being read
    /// (from the open scopes) and a one-sentence hint for whoever wrote the text.
    #[cold]
    pub(crate) fn explain(&self, error: Error) -> Error {
        let hint = hint(&error);
        let (expected, found) = expected_found(&error);
        error
            .with_path(self.path(None))
            .with_hint(hint)
            .with_expected_found(expected, found)
    }

    /// The path of the open scopes (`users[2].tags`), then the key `last` (of an array
    /// just closed, or read inline); `None` at the top level.
    fn path(&self, last: Option<&str>) -> Option<String> {
        let mut out = String::new();
        for scope in &self.scopes {
            if let Some(name) = &scope.name {
                crate::path::push_key(&mut out, name);
            }
            if matches!(scope.kind, Kind::List | Kind::Table(_)) && scope.count > 0 {
                crate::path::push_index(&mut out, scope.count - 1);
            }
        }
        if let Some(name) = last {
            crate::path::push_key(&mut out, name);
        }
        (!out.is_empty()).then_some(out)
    }

    fn read_line<'l, O: Own<'l, 'a>, S: EventSink<'a>>(
        &mut self,
        line: &Line<'l>,
        own: &O,
        sink: &mut S,
    ) -> Result<()> {
        loop {
            let Some(scope) = self.scopes.last_mut() else {
                return self.root_line(line, own, sink);
            };
            if line.depth < scope.expected {
                self.close(sink)?;
                continue;
            }
            match scope.depth {
                None => {
                    scope.depth = Some(line.depth);
                    let expected = scope.expected;
                    if line.depth > expected && self.checks() {
                        self.depart(
                            line.error(
                                Category::Indentation,
                                format!(
                                    "indentation jumps to depth {} where depth {expected} was expected",
                                    line.depth
                                ),
                            ),
                            "read the block at the depth of its first line",
                        )?;
                    }
                }
                Some(depth) if line.depth < depth => {
                    return Err(line.error(
                        Category::Indentation,
                        format!(
                            "line at depth {} is shallower than its scope's depth {depth}",
                            line.depth
                        ),
                    ));
                }
                Some(depth) if line.depth > depth => {
                    return Err(line.error(
                        Category::Indentation,
                        format!(
                            "over-indented line: expected depth {depth}, but found {}",
                            line.depth
                        ),
                    ));
                }
                Some(_) => {}
            }
            if line.blank_before != 0 && self.checks() && self.spans > 0 {
                self.depart(
                    Error::at(
                        Category::Structure,
                        "blank line inside an array or keyed object (allowed only in non-strict mode)",
                        line.blank_before,
                        1,
                        "",
                    ),
                    "skipped the blank line",
                )?;
            }
            return self.accept(line, own, sink);
        }
    }

    /// Ends the document: closes every open scope (checking counts).
    pub(crate) fn finish<S: EventSink<'a>>(&mut self, sink: &mut S) -> Result<()> {
        while !self.scopes.is_empty() {
            self.close_at_end(sink)
                .map_err(|error| self.explain(error))?;
        }
        if self.root == Root::Start {
            // An empty document (or only comments and blank lines) is an empty object.
            sink.start_object(Position::default(), 0);
            sink.end_object();
            self.root = Root::Closed;
        }
        Ok(())
    }

    fn root_line<'l, O: Own<'l, 'a>, S: EventSink<'a>>(
        &mut self,
        line: &Line<'l>,
        own: &O,
        sink: &mut S,
    ) -> Result<()> {
        match self.root {
            Root::Start => {}
            Root::Scalar => {
                let (number, text) = self.scalar_line.as_ref().map_or((0, ""), |(n, t)| (*n, t));
                let message = if line.depth > 0 {
                    "missing colon after key"
                } else {
                    "top-level document must start with a key-value or array-header line \
                     (a line without `key:` is allowed only as a document's single primitive)"
                };
                return Err(Error::at(Category::Structure, message, number, 1, text));
            }
            Root::Open | Root::Closed => {
                return Err(line.error(
                    Category::Structure,
                    "unexpected content after the document root (its root array or keyed object has ended)",
                ));
            }
        }
        if line.content.len() != line.text.len() {
            return Err(line.error(
                Category::Indentation,
                "the first line of a document must not be indented",
            ));
        }
        let content = line.content;
        let (colon, bracket) = first_unquoted_pair(content, b':', b'[');
        let at = position(line, content);
        if colon.is_some() && bracket == Some(0) {
            // A keyless header: a root array, or a root object in keyed tabular form.
            self.root = Root::Open;
            let header = self.header(line, content, 0)?;
            self.open_header(header, line, 0, own, sink)?;
            if self.scopes.is_empty() {
                self.root = Root::Closed; // an inline array is complete at once
            }
        } else if content == "[]" {
            sink.start_array(at, Some(0));
            sink.end_array();
            self.root = Root::Closed;
        } else if colon.is_none() {
            let value = primitive(line, content, TokenPosition::Value, self.big_integers)?;
            emit_value(sink, at, own.value(value));
            self.root = Root::Scalar;
            self.scalar_line = Some((line.number, line.text.to_owned()));
        } else {
            self.root = Root::Open;
            sink.start_object(at, 0);
            let keys_start = self.keys.len();
            self.scopes
                .push(Scope::new(Kind::Object, 0, Some(0), keys_start));
            self.field(line, content, 0, own, sink)?;
        }
        Ok(())
    }

    /// Closes the innermost scope.
    fn close<S: EventSink<'a>>(&mut self, sink: &mut S) -> Result<()> {
        self.close_scope(sink, false)
    }

    /// Closes the innermost scope at the end of the text: in repair mode a scope short
    /// of its declared length is a [`Shortfall`] (the text was cut off), not a miscount.
    fn close_at_end<S: EventSink<'a>>(&mut self, sink: &mut S) -> Result<()> {
        self.close_scope(sink, true)
    }

    fn close_scope<S: EventSink<'a>>(&mut self, sink: &mut S, at_end: bool) -> Result<()> {
        let Some(scope) = self.scopes.pop() else {
            return Ok(());
        };
        if scope.span_open {
            self.spans -= 1;
        }
        self.keys.truncate(scope.keys_start);
        if let Some(declared) = &scope.declared
            && self.checks_end(at_end)
            && declared.length != Some(scope.count)
        {
            let what = match scope.kind {
                Kind::List => "list-form items",
                Kind::Table(_) => "tabular rows",
                Kind::Keyed(_) => "keyed entries",
                Kind::Object => "inline-form values",
            };
            let short = declared.length.is_some_and(|n| scope.count < n);
            let error = count_error(declared, scope.count, what)
                .with_path(self.path(scope.name.as_deref()))
                .with_hint(format!(
                    "make [{}] equal the number of {what} that follow the header ({})",
                    declared.length_text, scope.count
                ));
            let departure = Departure {
                error,
                done: format!("kept the {} {what} present", scope.count),
            };
            match &mut self.log {
                Some(log) if at_end && short => log.shortfalls.push(Shortfall {
                    departure,
                    line_text: declared.line_text.to_string(),
                    declared: format!("{} {what}", declared.length_text),
                    seen: scope.count,
                }),
                _ => self.depart(departure.error, departure.done)?,
            }
        }
        match scope.kind {
            Kind::Object | Kind::Keyed(_) => sink.end_object(),
            Kind::List | Kind::Table(_) => sink.end_array(),
        }
        if self.scopes.is_empty() && self.root == Root::Open {
            self.root = Root::Closed;
        }
        Ok(())
    }

    /// Handles a line that belongs to the innermost scope, at that scope's depth.
    fn accept<'l, O: Own<'l, 'a>, S: EventSink<'a>>(
        &mut self,
        line: &Line<'l>,
        own: &O,
        sink: &mut S,
    ) -> Result<()> {
        let index = self.scopes.len() - 1;
        let depth = line.depth;
        match &self.scopes[index].kind {
            Kind::Object => self.field(line, line.content, depth, own, sink),
            Kind::List => {
                let content = line.content;
                if content != "-" && !content.starts_with("- ") {
                    return Err(line.error(
                        Category::Structure,
                        "expected a list item starting with `- `",
                    ));
                }
                self.element(index, line, "list-form items")?;
                self.item(line, depth, own, sink)
            }
            Kind::Table(table) => {
                // A row has no unquoted colon, or its first delimiter precedes the colon.
                if unquoted_before(line.content, b':', table.delimiter) {
                    return Err(line.error(
                        Category::Structure,
                        "expected a tabular row; a `key: value` line cannot appear among rows",
                    ));
                }
                self.element(index, line, "tabular rows")?;
                self.row(index, line, line.content, own, sink)
            }
            Kind::Keyed(_) => {
                let Some(colon) = first_unquoted(line.content, b':') else {
                    return Err(line.error(
                        Category::Structure,
                        "expected entry row inside keyed tabular object (`key: values`)",
                    ));
                };
                self.element(index, line, "keyed entries")?;
                let key_text = &line.content[..colon];
                let key = own.text(key_token(line, key_text)?);
                self.track_key(index, line, key_text, &key)?;
                sink.key(position(line, key_text), key);
                let cells = trim_spaces(&line.content[colon + 1..]);
                self.row(index, line, cells, own, sink)
            }
        }
    }

    /// Counts one element of scope `index`, opening its span on the first and rejecting
    /// one beyond the declared length in strict mode.
    fn element(&mut self, index: usize, line: &Line<'_>, what: &str) -> Result<()> {
        let scope = &mut self.scopes[index];
        if self.strict
            && let Some(declared) = &scope.declared
            && declared.length.is_some_and(|n| scope.count >= n)
        {
            return Err(line.error(
                Category::Count,
                format!("expected {} {what}, but found more", declared.length_text),
            ));
        }
        scope.count += 1;
        if !scope.span_open {
            scope.span_open = true;
            self.spans += 1;
        }
        Ok(())
    }

    /// Records a key of object scope `index` (always the innermost scope, so its keys are
    /// the tail of `self.keys`); a repeat is a strict error.
    #[allow(clippy::ptr_arg)] // the Cow says whether the key is kept borrowed or copied to the arena
    fn track_key(
        &mut self,
        index: usize,
        line: &Line<'_>,
        at: &str,
        key: &Cow<'a, str>,
    ) -> Result<()> {
        if !self.checks() {
            return Ok(());
        }
        let scope = &mut self.scopes[index];
        let repeated = match &mut scope.key_set {
            Some(set) => self.keys.insert_indexed(set, key),
            None => {
                let bit = key_bit(key);
                let maybe_seen = scope.key_bits & bit != 0;
                scope.key_bits |= bit;
                let repeated = maybe_seen && self.keys.contains_from(scope.keys_start, key);
                if !repeated && self.keys.len() - scope.keys_start >= LINEAR_KEYS {
                    let mut set = self.keys.index_from(scope.keys_start);
                    self.keys.insert_indexed(&mut set, key);
                    scope.key_set = Some(set);
                } else if !repeated {
                    self.keys.push(key);
                }
                repeated
            }
        };
        if repeated {
            self.depart(
                line.error_at(
                    at,
                    Category::DuplicateKey,
                    format!("duplicate sibling key {key:?}"),
                ),
                "kept the last value, at the key's first place",
            )?;
        }
        Ok(())
    }

    fn push(&mut self, line: &Line<'_>, scope: Scope<'a>) -> Result<()> {
        if self.scopes.len() >= self.max_depth {
            return Err(line.error(
                Category::Limit,
                format!("nesting deeper than the limit of {} levels", self.max_depth),
            ));
        }
        self.scopes.push(scope);
        Ok(())
    }

    /// One field whose text is `text` (a line's content, or what follows a list-item
    /// hyphen), logically at `depth`, into the innermost (object) scope.
    fn field<'l, O: Own<'l, 'a>, S: EventSink<'a>>(
        &mut self,
        line: &Line<'l>,
        text: &'l str,
        depth: usize,
        own: &O,
        sink: &mut S,
    ) -> Result<()> {
        let index = self.scopes.len() - 1;
        let (colon, bracket) = first_unquoted_pair(text, b':', b'[');
        let Some(colon) = colon else {
            return Err(line.error_at(text, Category::Structure, "missing colon after key"));
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
            let key = own.text(key);
            self.track_key(index, line, header.key_text, &key)?;
            sink.key(position(line, header.key_text), key);
            return self.open_header(header, line, depth, own, sink);
        }
        let key_text = &text[..colon];
        let key = own.text(key_token(line, key_text)?);
        self.track_key(index, line, key_text, &key)?;
        let key_at = position(line, key_text);
        let rest = trim_spaces(&text[colon + 1..]);
        if rest.is_empty() {
            // `key:` opens a nested object; with no deeper line it stays `{}`.
            let keys_start = self.keys.len();
            let mut scope = Scope::new(Kind::Object, depth + 1, None, keys_start);
            scope.name = Some(key.clone());
            sink.key(key_at, key);
            self.push(line, scope)?;
            sink.start_object(position(line, text), 0);
        } else {
            let value = primitive(line, rest, TokenPosition::Value, self.big_integers)?;
            let value_at = position(line, rest);
            match own.value(value) {
                Value::Array(_) => {
                    sink.key(key_at, key);
                    emit_value(sink, value_at, Value::Array(Vec::new()));
                }
                value => sink.field(key_at, key, value_at, value),
            }
        }
        Ok(())
    }

    fn header<'l>(&mut self, line: &Line<'l>, text: &'l str, bracket: usize) -> Result<Header<'l>> {
        let header = parse_header(text, bracket, self.max_depth).map_err(|e| {
            line.error_at_offset(line.offset_of(text) + e.offset, Category::Syntax, e.message)
        })?;
        if let Some(offset) = header.duplicate_field
            && self.checks()
        {
            self.depart(
                line.error_at_offset(
                    line.offset_of(text) + offset,
                    Category::DuplicateKey,
                    "duplicate field name in the header",
                ),
                "kept the last column of that name",
            )?;
        }
        Ok(header)
    }

    /// Opens what a header introduces, its line logically at `depth` (content at
    /// `depth + 1`).
    fn open_header<'l, O: Own<'l, 'a>, S: EventSink<'a>>(
        &mut self,
        header: Header<'l>,
        line: &Line<'l>,
        depth: usize,
        own: &O,
        sink: &mut S,
    ) -> Result<()> {
        let at = position(line, header.length_text);
        let declared = Declared {
            length: header.length,
            length_text: own.text(Cow::Borrowed(header.length_text)),
            line: line.number,
            line_text: own.text(Cow::Borrowed(line.text)),
            length_offset: line.offset_of(header.length_text),
        };
        if header.fields.is_some() {
            self.tables += 1;
        }
        let id = self.tables;
        let table = |fields: Vec<FieldSpec<'l>>| Table {
            id,
            fields: own_fields(fields, own),
            leaf_count: header.leaf_count,
            delimiter: header.delimiter,
        };
        let keys_start = self.keys.len();
        let kind = match header.fields {
            Some(fields) if header.keyed => Kind::Keyed(table(fields)),
            Some(fields) => Kind::Table(table(fields)),
            None if !header.rest.is_empty() => {
                if self.scopes.len() >= self.max_depth {
                    return Err(line.error(
                        Category::Limit,
                        format!("nesting deeper than the limit of {} levels", self.max_depth),
                    ));
                }
                // An inline primitive array is complete on its own line.
                sink.start_array(at, header.length);
                let mut count = 0;
                split_cells(header.rest, header.delimiter, |cell, _| {
                    let value = primitive(line, cell, TokenPosition::Cell, self.big_integers)?;
                    sink.primitive(position(line, cell), own.value(value));
                    count += 1;
                    Ok::<(), Error>(())
                })?;
                if self.checks_end(line.number == self.cut_line) && header.length != Some(count) {
                    let what = "inline-form values";
                    let done = format!("kept the {count} {what} present");
                    let error = count_error(&declared, count, what)
                        .with_path(self.path(header.key.as_deref()))
                        .with_hint(format!(
                            "make [{}] equal the number of values on the line ({count})",
                            declared.length_text
                        ));
                    let short = header.length.is_some_and(|n| count < n);
                    match &mut self.log {
                        // The text may stop on this line: fewer values are the cut.
                        Some(log) if short && line.number == self.cut_line => {
                            log.shortfalls.push(Shortfall {
                                departure: Departure { error, done },
                                line_text: line.text.to_owned(),
                                declared: format!("{} {what}", declared.length_text),
                                seen: count,
                            });
                        }
                        _ => self.depart(error, done)?,
                    }
                }
                sink.end_array();
                return Ok(());
            }
            None => Kind::List,
        };
        let is_object = matches!(kind, Kind::Keyed(_));
        let mut scope = Scope::new(kind, depth + 1, None, keys_start);
        scope.declared = Some(declared);
        scope.name = header.key.map(|key| own.text(key));
        self.push(line, scope)?;
        if is_object {
            sink.start_object(at, 0);
        } else {
            sink.start_array(at, header.length);
        }
        Ok(())
    }

    /// One list item whose hyphen line is at `depth` (spec §10, §13).
    fn item<'l, O: Own<'l, 'a>, S: EventSink<'a>>(
        &mut self,
        line: &Line<'l>,
        depth: usize,
        own: &O,
        sink: &mut S,
    ) -> Result<()> {
        let rest = line.content[1..].trim_start_matches(' ');
        let at = position(line, rest);
        if rest.is_empty() {
            sink.start_object(at, 0);
            sink.end_object();
            return Ok(());
        }
        if rest == "[]" {
            sink.start_array(at, Some(0));
            sink.end_array();
            return Ok(());
        }
        let (colon, bracket) = first_unquoted_pair(rest, b':', b'[');
        if colon.is_none() {
            let value = primitive(line, rest, TokenPosition::Value, self.big_integers)?;
            emit_value(sink, at, own.value(value));
            return Ok(());
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
            return self.open_header(header, line, depth, own, sink);
        }
        // An object whose first field sits on the hyphen line, logically one level
        // deeper; its other fields follow at exactly that depth.
        let keys_start = self.keys.len();
        self.push(
            line,
            Scope::new(Kind::Object, depth + 1, Some(depth + 1), keys_start),
        )?;
        sink.start_object(at, 0);
        self.field(line, rest, depth + 1, own, sink)
    }

    /// Emits one tabular row or keyed entry value from `text`, checking its width.
    fn row<'l, O: Own<'l, 'a>, S: EventSink<'a>>(
        &mut self,
        index: usize,
        line: &Line<'l>,
        text: &'l str,
        own: &O,
        sink: &mut S,
    ) -> Result<()> {
        let (Kind::Table(table) | Kind::Keyed(table)) = &self.scopes[index].kind else {
            return Ok(());
        };
        let cells = &mut self.cells;
        cells.clear();
        split_cells(text, table.delimiter, |cell, _| {
            let value = primitive(line, cell, TokenPosition::Cell, self.big_integers)?;
            cells.push((own.value(value), line.offset_of(cell)));
            Ok::<(), Error>(())
        })?;
        let (leaf_count, delimiter) = (table.leaf_count, table.delimiter);
        if self.repairing
            && cells.len() == leaf_count + 1
            && text.as_bytes().last() == Some(&delimiter)
        {
            // One cell too many, and it is the empty one after a trailing delimiter.
            cells.pop();
            let error = line.error_at_offset(
                line.offset_of(text) + text.len() - 1,
                Category::Width,
                "a delimiter at the end of the row",
            );
            self.depart(error, "removed the trailing delimiter")?;
        }
        let (Kind::Table(table) | Kind::Keyed(table)) = &self.scopes[index].kind else {
            return Ok(());
        };
        let cells = &mut self.cells;
        if cells.len() != table.leaf_count {
            let keyed = matches!(self.scopes[index].kind, Kind::Keyed(_));
            let (got, want) = (cells.len(), table.leaf_count);
            let what = if keyed {
                "keyed entry cells"
            } else {
                "tabular row values"
            };
            let hint = if got > want {
                format!(
                    "this {} has {got} values but the header declares {want} fields; quote \
                     values that contain the delimiter",
                    if keyed { "entry" } else { "row" }
                )
            } else {
                format!(
                    "this {} has {got} values but the header declares {want} fields; write \
                     an empty value as \"\" rather than leaving it out",
                    if keyed { "entry" } else { "row" }
                )
            };
            return Err(line
                .error_at(
                    text,
                    Category::Width,
                    format!("expected {want} {what}, but got {got}"),
                )
                .with_hint(hint));
        }
        let mut cells = cells.drain(..);
        sink.row(
            table.id,
            &table.fields,
            &mut cells,
            line.number,
            position(line, text),
        );
        Ok(())
    }
}

/// Emits a decoded token: a primitive, or the empty array a bare `[]` stands for.
#[inline]
fn emit_value<'a, S: EventSink<'a>>(sink: &mut S, at: Position, value: Value<'a>) {
    if let Value::Array(_) = value {
        sink.start_array(at, Some(0));
        sink.end_array();
    } else {
        sink.primitive(at, value);
    }
}

fn own_fields<'l, 'a, O: Own<'l, 'a>>(fields: Vec<FieldSpec<'l>>, own: &O) -> Vec<FieldSpec<'a>> {
    fields
        .into_iter()
        .map(|f| FieldSpec {
            name: own.text(f.name),
            children: f.children.map(|c| own_fields(c, own)),
        })
        .collect()
}

#[inline]
fn position(line: &Line<'_>, part: &str) -> Position {
    Position {
        line: line.number,
        offset: line.offset_of(part),
    }
}

/// A key token: trimmed of spaces; a quoted key must end at its closing quote.
fn key_token<'l>(line: &Line<'l>, raw: &'l str) -> Result<Cow<'l, str>> {
    let token = trim_spaces(raw);
    if token.starts_with('"') {
        parse_quoted(token).map_err(|e| token_error(line, token, e))
    } else {
        Ok(Cow::Borrowed(token))
    }
}

#[inline]
fn primitive<'l>(
    line: &Line<'l>,
    token: &'l str,
    position: TokenPosition,
    big_integers: bool,
) -> Result<Value<'l>> {
    parse_primitive(token, position, big_integers).map_err(|e| token_error(line, token, e))
}

fn count_error(declared: &Declared<'_>, found: usize, what: &str) -> Error {
    Error::at(
        Category::Count,
        format!("expected {} {what}, but got {found}", declared.length_text),
        declared.line,
        column_at(&declared.line_text, declared.length_offset),
        &declared.line_text,
    )
}

fn token_error(line: &Line<'_>, token: &str, e: TokenError) -> Error {
    line.error_at_offset(
        line.offset_of(token) + e.offset,
        Category::Syntax,
        e.message,
    )
}
