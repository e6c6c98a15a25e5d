//! Incremental decoding of text that arrives in chunks — a model's reply as it streams.
//! Chunks may split a line or a UTF-8 character anywhere; each finished row of a table
//! (or element of a list) and each primitive field of an object is handed out as soon
//! as its last line arrives, so an application can act on row 1 while row 50 is being
//! written. Only the unfinished line is buffered.

use memchr::{memchr, memrchr};

use crate::decode::build::ValueBuilder;
use crate::decode::event::{EventSink, Position};
use crate::decode::lines::{Line, Prepared, prepare};
use crate::decode::machine::{Copy, Machine};
use crate::decode::utf8_from_line;
use crate::error::{Category, Error, Result};
use crate::options::DecodeOptions;
use crate::path;
use crate::repair::{FoundIn, Repair, Repaired, truncated_at};
use crate::value::Value;

/// A finished part of the document, handed out by [`ChunkDecoder`] as soon as its last
/// line is read: an element of an array (a table row, a list item, a value of an inline
/// array), or a primitive field of an object, wherever the path to it from the root
/// goes through objects only. Parts inside a row arrive with their row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Part<'p> {
    /// The path of the array or object the part belongs to (`data.users`; empty for
    /// the root), written as error paths are.
    pub parent: &'p str,
    /// Where in it the part sits.
    pub place: Place<'p>,
    /// The part's value.
    pub value: &'p Value<'static>,
}

/// Where a [`Part`] sits in its parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place<'p> {
    /// The 0-based index of an array element.
    Index(usize),
    /// The key of an object field.
    Key(&'p str),
}

impl Part<'_> {
    /// The full path of the part (`data.users[3]`, `meta.count`, `[0]`).
    pub fn path(&self) -> String {
        let mut path = self.parent.to_owned();
        match self.place {
            Place::Index(index) => path::push_index(&mut path, index),
            Place::Key(key) => path::push_key(&mut path, key),
        }
        path
    }
}

/// Decodes TOON fed in chunks of any size ([`ChunkDecoder::feed`]), handing out each
/// [`Part`] as it completes, and gives the whole value at the end
/// ([`ChunkDecoder::finish`]).
///
/// Text that ends early is not an error: [`Repaired::truncated`] says what is missing
/// and [`Repaired::value`] holds what arrived. In repair mode
/// ([`ChunkDecoder::repairing`]) the departures [`repair`](crate::repair()) fixes are
/// read past and reported, and a reply wrapped in a code fence is read from the fence.
///
/// ```
/// use toon::{ChunkDecoder, DecodeOptions, Place};
/// let mut decoder = ChunkDecoder::new(&DecodeOptions::default()).unwrap();
/// let mut rows = Vec::new();
/// for chunk in ["users[3]{id,na", "me}:\n  1,Ada\n  2,B", "o\n  3,Cy"] {
///     decoder
///         .feed(chunk.as_bytes(), |part| rows.push((part.path(), part.value.clone())))
///         .unwrap();
/// }
/// // Row 3 is on a line without its line break yet: it may still grow.
/// assert_eq!(rows.len(), 2);
/// assert_eq!(rows[1].0, "users[1]");
/// let end = decoder.finish(|part| rows.push((part.path(), part.value.clone()))).unwrap();
/// assert_eq!(rows.len(), 3);
/// assert!(end.truncated.is_none());
/// assert_eq!(end.value.get("users").and_then(|u| u.as_array()).map(Vec::len), Some(3));
///
/// // Cut off mid-table: what arrived, and what is missing.
/// let mut cut = ChunkDecoder::new(&DecodeOptions::default()).unwrap();
/// cut.feed(b"users[3]{id,name}:\n  1,Ada\n  2,B", |_| {}).unwrap();
/// let end = cut.finish(|_| {}).unwrap();
/// assert_eq!(end.truncated.unwrap().missing, ["users: 3 tabular rows declared, 2 read"]);
/// ```
pub struct ChunkDecoder {
    machine: Machine<'static>,
    builder: ValueBuilder<'static>,
    parts: Parts,
    /// The bytes of the line not finished yet.
    pending: Vec<u8>,
    /// Lines read so far (the number of the last one).
    number: usize,
    /// Number of the first blank line since the last significant one (0: none).
    blank_before: usize,
    indent: usize,
    strict: bool,
    repairing: bool,
    fence: Fence,
    /// Whether a significant line was read.
    started: bool,
    /// Line and column just after the last character of the last significant line
    /// (kept per chunk, not per line).
    end: Option<(usize, usize)>,
    /// Set once an error was returned: the decoder reads nothing more.
    failed: bool,
}

/// Where a repairing decoder is relative to a code fence around the document.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fence {
    /// No fence line seen.
    None,
    /// Inside the fence.
    Open,
    /// After the closing fence: the document is whole and the rest is prose.
    Closed,
}

impl ChunkDecoder {
    /// A decoder reading as [`decode`](crate::decode()) does with `options`, except that
    /// text ending early is reported as truncated, not as an error.
    pub fn new(options: &DecodeOptions) -> Result<Self> {
        options.validate()?;
        Ok(ChunkDecoder {
            machine: Machine::noting_shortfalls(options),
            builder: ValueBuilder::new(options.strict()),
            parts: Parts::default(),
            pending: Vec::new(),
            number: 0,
            blank_before: 0,
            indent: options.indent(),
            strict: options.strict(),
            repairing: false,
            fence: Fence::None,
            started: false,
            end: None,
            failed: false,
        })
    }

    /// A decoder for a model's reply: reads past and reports what
    /// [`repair`](crate::repair()) fixes on the fly (a miscounted `[N]`, the recoveries
    /// of spec §14.4, a delimiter at the end of a row), skips a code fence around the
    /// document and ignores what follows its closing line. Unlike `repair`, it does not
    /// look for a document after leading prose, nor rewrite an indentation unit other
    /// than `options.indent()` (a line off the grid is read at the level below).
    pub fn repairing(options: &DecodeOptions) -> Result<Self> {
        options.validate()?;
        Ok(ChunkDecoder {
            machine: Machine::repairing(options),
            builder: ValueBuilder::new(false),
            strict: false,
            repairing: true,
            ..ChunkDecoder::new(&options.with_strict(false))?
        })
    }

    /// Whether rows stay in the value after they were handed out (the default). Without
    /// them memory is bounded by the longest line and the parts outside arrays: the
    /// value at the end then holds every such array empty.
    pub fn keep_rows(mut self, keep: bool) -> Self {
        self.parts.keep_rows = keep;
        self
    }

    /// Reads `chunk`, calling `each` with every part that its complete lines finish.
    /// The decoder stops at the first error (every later call returns an error).
    pub fn feed(&mut self, chunk: &[u8], mut each: impl FnMut(Part<'_>)) -> Result<()> {
        self.guard()?;
        let result = self.feed_lines(chunk, &mut each);
        self.failed = result.is_err();
        result
    }

    /// Ends the text: reads the last line (a line cut short is the cut, not an error),
    /// closes what is open, and returns the value with what is missing and, in repair
    /// mode, every fix.
    pub fn finish(mut self, mut each: impl FnMut(Part<'_>)) -> Result<Repaired<'static>> {
        self.guard()?;
        let mut cut = None;
        if !self.pending.is_empty() {
            let bytes = std::mem::take(&mut self.pending);
            let text = match std::str::from_utf8(&bytes) {
                Ok(text) => text,
                // The text stopped inside a character: what came before it arrived.
                Err(e) if e.error_len().is_none() && self.fence != Fence::Closed => {
                    std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default()
                }
                Err(_) => return Err(utf8_from_line(&bytes, self.number + 1).unwrap_err()),
            };
            self.machine.set_cut_line(self.number + 1);
            match self.probe(text) {
                Ok(()) => {
                    if self.read_line(text, &mut each)? {
                        self.end = Some((self.number, end_column(text)));
                    }
                }
                Err(error)
                    if error.line() == self.number + 1
                        && cut_short(&error, text)
                        && self.fence != Fence::Closed =>
                {
                    self.number += 1;
                    self.end = Some((self.number, end_column(text)));
                    cut = Some(error);
                }
                Err(error) => return Err(error),
            }
        }
        let mut sink = PartSink {
            builder: &mut self.builder,
            parts: &mut self.parts,
            each: &mut each,
        };
        self.machine.finish(&mut sink)?;
        let mut log = self.machine.into_log();
        let whole = self.fence == Fence::Closed;
        if whole {
            // The reply went on after the document: what is short was miscounted.
            let shortfalls = std::mem::take(&mut log.shortfalls);
            log.departures
                .extend(shortfalls.into_iter().map(|short| short.departure));
        }
        let mut repairs: Vec<Repair> = log
            .departures
            .into_iter()
            .map(|departure| Repair {
                line: departure.error.line(),
                column: departure.error.column(),
                found: departure.error.message().to_owned(),
                done: departure.done,
            })
            .collect();
        repairs.sort_by_key(|r| (r.line, r.column));
        let truncated = truncated_at(
            self.end.unwrap_or((1, 1)),
            cut.as_ref().map(|error| (error.line(), error)),
            &log.shortfalls,
        );
        Ok(Repaired {
            value: self.builder.finish(),
            repairs,
            truncated,
            found_in: if self.fence == Fence::None {
                FoundIn::Reply
            } else {
                FoundIn::Fence
            },
        })
    }

    fn guard(&self) -> Result<()> {
        if self.failed {
            return Err(Error::new(
                Category::Structure,
                "the decoder stopped at an earlier error",
            ));
        }
        Ok(())
    }

    fn feed_lines<F: FnMut(Part<'_>)>(&mut self, chunk: &[u8], each: &mut F) -> Result<()> {
        let mut rest = chunk;
        if !self.pending.is_empty() {
            let Some(at) = memchr(b'\n', rest) else {
                self.pending.extend_from_slice(rest);
                return Ok(());
            };
            let mut line = std::mem::take(&mut self.pending);
            line.extend_from_slice(&rest[..at]);
            let raw = utf8_from_line(&line, self.number + 1)?;
            if self.read_line(raw, each)? {
                self.end = Some((self.number, end_column(raw)));
            }
            line.clear();
            self.pending = line; // keeps its capacity
            rest = &rest[at + 1..];
        }
        let Some(last) = memrchr(b'\n', rest) else {
            self.pending.extend_from_slice(rest);
            return Ok(());
        };
        let body = utf8_from_line(&rest[..last], self.number + 1)?;
        let mut start = 0;
        let mut last_significant = None;
        for end in memchr::memchr_iter(b'\n', body.as_bytes()).chain([body.len()]) {
            let raw = &body[start..end];
            if self.read_line(raw, each)? {
                last_significant = Some((self.number, raw));
            }
            start = end + 1;
        }
        if let Some((number, raw)) = last_significant {
            self.end = Some((number, end_column(raw)));
        }
        self.pending.extend_from_slice(&rest[last + 1..]);
        Ok(())
    }

    /// Reads one complete line; whether it was significant.
    fn read_line<F: FnMut(Part<'_>)>(&mut self, raw: &str, each: &mut F) -> Result<bool> {
        let Some(line) = self.significant(raw).map_err(|e| self.machine.explain(e))? else {
            return Ok(false);
        };
        let mut sink = PartSink {
            builder: &mut self.builder,
            parts: &mut self.parts,
            each,
        };
        self.machine.line(&line, &Copy, &mut sink)?;
        Ok(true)
    }

    /// What reading `raw` as the next line would do (the error it would raise), without
    /// reading it.
    fn probe(&mut self, raw: &str) -> Result<()> {
        let saved = (self.number, self.blank_before, self.fence, self.started);
        let line = self.significant(raw);
        (self.number, self.blank_before, self.fence, self.started) = saved;
        match line.map_err(|e| self.machine.explain(e))? {
            Some(line) => self.machine.probe().line(&line, &Copy, &mut Nothing),
            None => Ok(()),
        }
    }

    /// Counts `raw` as the next line and returns it when it is significant (not blank,
    /// not a comment, not a fence line or prose after the fence).
    fn significant<'l>(&mut self, raw: &'l str) -> Result<Option<Line<'l>>> {
        self.number += 1;
        let raw = match self.number {
            1 => raw.strip_prefix('\u{feff}').unwrap_or(raw),
            _ => raw,
        };
        if self.repairing {
            if self.fence == Fence::Closed {
                return Ok(None);
            }
            if raw.trim_start().starts_with("```") {
                let before_document = !self.started && self.fence == Fence::None;
                self.fence = if before_document {
                    Fence::Open
                } else {
                    Fence::Closed
                };
                return Ok(None);
            }
        }
        match prepare(raw, self.number, self.indent, self.strict)? {
            Prepared::Line(mut line) => {
                line.blank_before = std::mem::take(&mut self.blank_before);
                self.started = true;
                Ok(Some(line))
            }
            Prepared::Blank => {
                if self.blank_before == 0 {
                    self.blank_before = self.number;
                }
                Ok(None)
            }
            Prepared::Comment => Ok(None),
        }
    }
}

/// The open containers, for the paths of parts and for telling which values are parts.
struct Parts {
    open: Vec<Open>,
    /// The path of the innermost open container whose path goes through objects only.
    path: String,
    /// The latest key read in such an object.
    key: String,
    /// Whether rows stay in the value once handed out (see [`ChunkDecoder::keep_rows`]).
    keep_rows: bool,
}

impl Default for Parts {
    fn default() -> Self {
        Parts {
            open: Vec::new(),
            path: String::new(),
            key: String::new(),
            keep_rows: true,
        }
    }
}

/// One open array or object.
struct Open {
    array: bool,
    /// Whether the path from the root to it goes through objects only: its elements
    /// (an array's) or primitive fields (an object's) are parts.
    parts: bool,
    /// Length of [`Parts::path`] before this container's own segment.
    path_len: usize,
    /// Elements so far (arrays).
    count: usize,
}

/// An [`EventSink`] that builds the value and hands out each part as it completes.
struct PartSink<'s, F> {
    builder: &'s mut ValueBuilder<'static>,
    parts: &'s mut Parts,
    each: &'s mut F,
}

impl<F: FnMut(Part<'_>)> PartSink<'_, F> {
    /// A container starts: it has parts when its parent is an object with parts (or it
    /// is the root); its path is its parent's plus its key.
    fn open(&mut self, array: bool) {
        let parts = &mut self.parts;
        let path_len = parts.path.len();
        let has_parts = match parts.open.last() {
            None => true,
            Some(parent) if parent.parts && !parent.array => {
                path::push_key(&mut parts.path, &parts.key);
                true
            }
            Some(_) => false,
        };
        parts.open.push(Open {
            array,
            parts: has_parts,
            path_len,
            count: 0,
        });
    }

    fn close(&mut self) {
        if let Some(open) = self.parts.open.pop() {
            self.parts.path.truncate(open.path_len);
        }
        self.completed(false);
    }

    /// A value was added to the innermost open container.
    fn completed(&mut self, primitive: bool) {
        let parts = &mut *self.parts;
        let Some(parent) = parts.open.last_mut().filter(|open| open.parts) else {
            return;
        };
        if parent.array {
            let index = parent.count;
            parent.count += 1;
            if let Some(value) = self.builder.last_element() {
                (self.each)(Part {
                    parent: &parts.path,
                    place: Place::Index(index),
                    value,
                });
            }
            if !parts.keep_rows {
                self.builder.drop_last_element();
            }
        } else if primitive && let Some(value) = self.builder.last_value() {
            (self.each)(Part {
                parent: &parts.path,
                place: Place::Key(&parts.key),
                value,
            });
        }
    }
}

impl<F: FnMut(Part<'_>)> EventSink<'static> for PartSink<'_, F> {
    fn start_object(&mut self, at: Position, size_hint: usize) {
        self.open(false);
        self.builder.start_object(at, size_hint);
    }

    fn end_object(&mut self) {
        self.builder.end_object();
        self.close();
    }

    fn start_array(&mut self, at: Position, length: Option<usize>) {
        self.open(true);
        self.builder.start_array(at, length);
    }

    fn end_array(&mut self) {
        self.builder.end_array();
        self.close();
    }

    fn key(&mut self, at: Position, key: std::borrow::Cow<'static, str>) {
        if let Some(open) = self.parts.open.last()
            && open.parts
        {
            self.parts.key.clear();
            self.parts.key.push_str(&key);
        }
        self.builder.key(at, key);
    }

    fn primitive(&mut self, at: Position, value: Value<'static>) {
        self.builder.primitive(at, value);
        self.completed(true);
    }
}

/// Whether `error`, raised by a text's unterminated last `line`, says that the line
/// stops short: the text ran out where more was expected, a string without its
/// closing quote, a key without its colon, a row with fewer values than fields. Other
/// errors on that line are errors whatever follows.
fn cut_short(error: &Error, line: &str) -> bool {
    let message = error.message();
    if error.column() > line.trim_end().chars().count() {
        return true;
    }
    match error.category() {
        Category::Syntax => message.starts_with("unterminated string"),
        Category::Structure => message.starts_with("missing colon") || !line.contains(':'),
        Category::Width => {
            // "expected {want} ... values, but got {got}"
            let number = |text: &str| {
                let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
                digits.parse::<usize>().ok()
            };
            let want = message.strip_prefix("expected ").and_then(number);
            let got = message.rsplit_once("but got ").and_then(|(_, n)| number(n));
            matches!((want, got), (Some(want), Some(got)) if got < want)
        }
        _ => false,
    }
}

/// The column just after the last character of `raw`, a line with content.
fn end_column(raw: &str) -> usize {
    raw.trim_end().chars().count() + 1
}

/// A sink that drops every event (for [`ChunkDecoder::probe`]).
struct Nothing;

impl<'a> EventSink<'a> for Nothing {
    fn start_object(&mut self, _: Position, _: usize) {}
    fn end_object(&mut self) {}
    fn start_array(&mut self, _: Position, _: Option<usize>) {}
    fn end_array(&mut self) {}
    fn key(&mut self, _: Position, _: std::borrow::Cow<'a, str>) {}
    fn primitive(&mut self, _: Position, _: Value<'a>) {}
}
