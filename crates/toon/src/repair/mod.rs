//! Reading what models write: find the TOON in a reply ([`extract`]), decode it with
//! every fix that needs no guess about the data, report each fix ([`Repair`]), and tell
//! a reply that was cut off ([`Truncated`]) from one that is malformed.
//!
//! What is fixed: a declared `[N]` that disagrees with the elements present (they win),
//! the recoveries of spec §14.4 (duplicate keys and fields: the last wins; depth jumps;
//! blank lines inside arrays), indentation in another unit than declared (4 or 3
//! spaces), tabs and lines off the indentation grid, and a delimiter at the end of a
//! row. What is not: a row with more values than fields, an unterminated quote before
//! the last line, anything else strict and non-strict decoding both reject.

mod extract;
mod layout;

pub use extract::{Extracted, FoundIn, extract};

use crate::decode::build::ValueBuilder;
use crate::decode::lines::StrLines;
use crate::decode::machine::{Borrow, Machine, RepairLog, Shortfall};
use crate::error::{Category, Error, Result};
use crate::options::DecodeOptions;
use crate::value::Value;

/// One fix [`repair`] made, at its place in the reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// 1-based line in the reply.
    pub line: usize,
    /// 1-based column in the reply, in characters.
    pub column: usize,
    /// What was found (for a departure from strict TOON, the strict decoder's message).
    pub found: String,
    /// What was done about it.
    pub done: String,
}

/// A reply that ends before its document does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Truncated {
    /// 1-based line and column in the reply where the text stops.
    pub line: usize,
    /// See `line`.
    pub column: usize,
    /// What is missing, one entry per unfinished part, innermost first
    /// (`users: 3 tabular rows declared, 2 read`, `the rest of the last row`).
    pub missing: Vec<String>,
}

impl Truncated {
    /// The truncation as an [`Error`] of category [`Category::Truncated`], with the
    /// hint for the writer.
    pub fn to_error(&self) -> Error {
        let error = Error::at(
            Category::Truncated,
            format!("the text ends early: {}", self.missing.join("; ")),
            self.line,
            self.column,
            "",
        );
        let hint = crate::decode::hint::hint(&error);
        error.with_hint(hint).with_expected_found(
            Some(self.missing.join("; ")),
            Some("the end of the text".to_owned()),
        )
    }
}

/// What [`repair`] recovered.
#[derive(Debug, Clone, PartialEq)]
pub struct Repaired<'a> {
    /// The value: the whole document, or, when [`Repaired::truncated`] is set, the
    /// part read before the text stopped.
    pub value: Value<'a>,
    /// Every fix, in reply order.
    pub repairs: Vec<Repair>,
    /// Set when the reply was cut off.
    pub truncated: Option<Truncated>,
    /// Where the document was found in the reply.
    pub found_in: FoundIn,
}

/// Options of [`repair`]: the decode options (indent, depth limit, big integers; the
/// strict flag is ignored) and which code fence to read.
#[derive(Debug, Clone, Copy, Default)]
pub struct RepairOptions {
    decode: DecodeOptions,
    fence: Option<usize>,
}

impl RepairOptions {
    /// Indent 2, the first `toon` fence (see [`extract`]).
    pub fn new() -> Self {
        RepairOptions::default()
    }

    /// The decode options to read with.
    pub fn with_decode(mut self, decode: DecodeOptions) -> Self {
        self.decode = decode;
        self
    }

    /// Reads the n-th code fence (0-based) of the reply, whatever its label.
    pub fn with_fence(mut self, fence: Option<usize>) -> Self {
        self.fence = fence;
        self
    }
}

/// Where positions in the text read go in the reply.
struct Origin<'l> {
    /// Reply line of the text's first line, minus one.
    line_offset: usize,
    layout: &'l layout::Layout,
}

impl Origin<'_> {
    fn place(&self, line: usize, column: usize) -> (usize, usize) {
        (
            line + self.line_offset,
            self.layout.input_column(line, column),
        )
    }

    fn relocate(&self, error: Error, reply: &str) -> Error {
        if error.line() == 0 {
            return error;
        }
        let (line, column) = self.place(error.line(), error.column());
        let source = reply.split('\n').nth(line - 1).unwrap_or_default();
        error.locate(line, column, source.strip_suffix('\r').unwrap_or(source))
    }
}

/// Decodes the TOON of a model's `reply`, fixing what can be fixed without guessing.
///
/// Returns the value with every fix made ([`Repaired::repairs`]); a reply cut off
/// before its document ends gives the part read and [`Repaired::truncated`]. An error
/// (at its place in the reply) when the text cannot be read without a guess.
///
/// ```
/// use toon::RepairOptions;
/// let reply = "```toon\nusers[3]{id,name}:\n    1,Ada,\n    2,Bo,\ncount: 2\n```";
/// let repaired = toon::repair(reply, &RepairOptions::new()).unwrap();
/// assert_eq!(repaired.value.get("users").and_then(|u| u.as_array()).map(Vec::len), Some(2));
/// assert!(repaired.truncated.is_none());
/// let done: Vec<&str> = repaired.repairs.iter().map(|r| r.done.as_str()).collect();
/// assert_eq!(done, [
///     "kept the 2 tabular rows present",
///     "read every line with 4 spaces per level",
///     "removed the trailing delimiter",
///     "removed the trailing delimiter",
/// ]);
///
/// // Cut off inside the table: the rows that arrived, and what is missing.
/// let cut = toon::repair("users[3]{id,name}:\n  1,Ada\n  2,B", &RepairOptions::new()).unwrap();
/// let truncated = cut.truncated.unwrap();
/// assert_eq!(truncated.missing, ["users: 3 tabular rows declared, 2 read"]);
/// assert_eq!((truncated.line, truncated.column), (3, 6));
/// ```
pub fn repair<'a>(reply: &'a str, options: &RepairOptions) -> Result<Repaired<'a>> {
    options.decode.validate()?;
    let extracted = extract(reply, options.fence);
    let whole = extracted.whole;
    let indent = options.decode.indent();
    // The text as it is first: a document whose indentation is off fails the strict
    // indentation rules or jumps in depth, and only then is its layout read and the
    // text rewritten (a valid document never pays for that pass).
    let first = recover(extracted.text, &options.decode, whole);
    let off_grid = match &first {
        Err(error) => error.category() == Category::Indentation,
        Ok((_, log, _)) => log
            .departures
            .iter()
            .any(|d| d.error.category() == Category::Indentation),
    };
    let layout = if off_grid {
        layout::layout(extracted.text, indent)
    } else {
        layout::Layout::unchanged()
    };
    let origin = Origin {
        line_offset: extracted.first_line - 1,
        layout: &layout,
    };
    let (value, mut log, cut) = match &layout.text {
        None => first,
        Some(rewritten) => recover(rewritten, &options.decode, whole)
            .map(|(value, log, cut)| (value.into_owned(), log, cut)),
    }
    .map_err(|error| origin.relocate(error, reply))?;
    if whole {
        // The reply went on after the document: what is short was miscounted.
        let shortfalls = std::mem::take(&mut log.shortfalls);
        log.departures
            .extend(shortfalls.into_iter().map(|short| short.departure));
    }
    let mut repairs = layout.repairs.clone();
    for repair in &mut repairs {
        repair.line += origin.line_offset;
    }
    for departure in log.departures {
        let (line, column) = origin.place(departure.error.line(), departure.error.column());
        repairs.push(Repair {
            line,
            column,
            found: departure.error.message().to_owned(),
            done: departure.done,
        });
    }
    repairs.sort_by_key(|r| (r.line, r.column));
    let truncated = truncation(extracted.text, &origin, cut, &log.shortfalls);
    Ok(Repaired {
        value,
        repairs,
        truncated,
        found_in: extracted.found_in,
    })
}

/// [`repair`] of bytes, which must be well-formed UTF-8 (an error with line and column
/// otherwise).
pub fn repair_slice<'a>(reply: &'a [u8], options: &RepairOptions) -> Result<Repaired<'a>> {
    repair(crate::decode::utf8(reply)?, options)
}

/// Decodes `text` with a repairing machine. When the text may have been cut off (not
/// `whole`), an error on its unfinished last line is most likely the cut (the row short
/// of values, the string without its closing quote, the key without its colon): then
/// the text before that line is read, and its value is the part that arrived, with the
/// error as the cut.
fn recover<'t>(
    text: &'t str,
    options: &DecodeOptions,
    whole: bool,
) -> Result<(Value<'t>, RepairLog, Option<Error>)> {
    match read(text, options, whole) {
        Ok((value, log)) => Ok((value, log, None)),
        Err(error) => {
            let Some(before) = before_last_line(text, &error).filter(|_| !whole) else {
                return Err(error);
            };
            match read(before, options, whole) {
                Ok((value, log)) => Ok((value, log, Some(error))),
                Err(_) => Err(error),
            }
        }
    }
}

/// Decodes `text` with a repairing machine.
fn read<'t>(text: &'t str, options: &DecodeOptions, whole: bool) -> Result<(Value<'t>, RepairLog)> {
    // Keys are appended without a lookup, as in strict decoding; in the rare text with a
    // repeated key, it is read again with last-write-wins lookups.
    let (value, log) = read_with(text, options, whole, true)?;
    let repeated = log
        .departures
        .iter()
        .any(|d| d.error.category() == Category::DuplicateKey);
    if repeated {
        return read_with(text, options, whole, false);
    }
    Ok((value, log))
}

fn read_with<'t>(
    text: &'t str,
    options: &DecodeOptions,
    whole: bool,
    unique_keys: bool,
) -> Result<(Value<'t>, RepairLog)> {
    let mut lines = StrLines::new(text, options.indent(), true);
    let mut machine = Machine::repairing(options);
    if !whole && !text.ends_with('\n') {
        // The text may have been cut off on its last line.
        machine.set_cut_line(memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1);
    }
    let mut builder = ValueBuilder::new(unique_keys);
    while let Some(line) = lines.next_line().map_err(|e| machine.explain(e))? {
        machine.line(&line, &Borrow, &mut builder)?;
    }
    machine.finish(&mut builder)?;
    Ok((builder.finish(), machine.into_log()))
}

/// The text before the line of `error`, when that line is the last of the text and
/// unfinished (no line break after it), and the error is one a cut would cause (a short
/// row, an unterminated string or header, a key without its colon).
fn before_last_line<'t>(text: &'t str, error: &Error) -> Option<&'t str> {
    if !could_be_cut(error) || error.line() == 0 {
        return None;
    }
    let start: usize = text
        .split('\n')
        .take(error.line() - 1)
        .map(|l| l.len() + 1)
        .sum();
    let rest = text.get(start..)?;
    (!rest.contains('\n')).then(|| &text[..start])
}

/// Whether `error`, on a text's unfinished last line, is one a cut would cause (a short
/// row, an unterminated string or header, a key without its colon).
pub(crate) fn could_be_cut(error: &Error) -> bool {
    matches!(
        error.category(),
        Category::Width | Category::Syntax | Category::Structure
    )
}

/// What is missing when the text stopped early: the line cut short, then every
/// array or keyed object left short of its declared length.
fn truncation(
    text: &str,
    origin: &Origin<'_>,
    cut: Option<Error>,
    shortfalls: &[Shortfall],
) -> Option<Truncated> {
    if cut.is_none() && shortfalls.is_empty() {
        return None;
    }
    // The place where the text stops: after the last character with content.
    let content = text.trim_end();
    let line = memchr::memchr_iter(b'\n', content.as_bytes()).count() + 1;
    let last = content.rsplit('\n').next().unwrap_or_default();
    let end = (
        line + origin.line_offset,
        last.trim_end_matches('\r').chars().count() + 1,
    );
    let cut = cut.map(|error| (error.line() + origin.line_offset, error));
    truncated_at(
        end,
        cut.as_ref().map(|(line, error)| (*line, error)),
        shortfalls,
    )
}

/// The [`Truncated`] of a text that stops at `end` (line and column in the reply),
/// with its last line cut short at reply line `cut.0` by error `cut.1` (if it was) and
/// `shortfalls` left open; `None` when nothing is missing.
pub(crate) fn truncated_at(
    end: (usize, usize),
    cut: Option<(usize, &Error)>,
    shortfalls: &[Shortfall],
) -> Option<Truncated> {
    if cut.is_none() && shortfalls.is_empty() {
        return None;
    }
    let mut missing = Vec::new();
    if let Some((line, error)) = cut {
        missing.push(format!("the rest of line {line} ({})", error.message()));
    }
    for short in shortfalls {
        missing.push(format!(
            "{}: {} declared, {} read",
            header_name(&short.line_text),
            short.declared,
            short.seen
        ));
    }
    Some(Truncated {
        line: end.0,
        column: end.1,
        missing,
    })
}

/// The key a header line names (`users` of `  - users[3]{id}:`), or `the root array`.
fn header_name(line: &str) -> &str {
    let line = line.trim_start();
    let line = line.strip_prefix("- ").unwrap_or(line);
    match line.find('[').map(|i| line[..i].trim()) {
        Some("") | None => "the root array",
        Some(name) => name,
    }
}
