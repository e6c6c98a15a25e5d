//! Encoder and decoder options, with the spec's defaults.

use std::fmt;
use std::str::FromStr;

use crate::error::{Category, Error, Result};

/// Default nesting limit for encoding and decoding. Deeper input is an error, never a
/// stack overflow.
pub const DEFAULT_MAX_DEPTH: usize = 256;

/// The delimiter between inline array values, tabular cells and field names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Delimiter {
    /// `,` (the default; never written inside headers).
    #[default]
    Comma,
    /// A horizontal tab, written as a literal tab inside headers (`[2\t]`).
    Tab,
    /// `|`, written inside headers (`[2|]`).
    Pipe,
}

impl Delimiter {
    /// The delimiter character.
    pub fn as_char(self) -> char {
        self.as_byte() as char
    }

    /// The delimiter as an ASCII byte.
    pub fn as_byte(self) -> u8 {
        match self {
            Delimiter::Comma => b',',
            Delimiter::Tab => b'\t',
            Delimiter::Pipe => b'|',
        }
    }

    /// The delimiter for an ASCII byte, if it is one of the three.
    pub fn from_byte(byte: u8) -> Option<Delimiter> {
        match byte {
            b',' => Some(Delimiter::Comma),
            b'\t' => Some(Delimiter::Tab),
            b'|' => Some(Delimiter::Pipe),
            _ => None,
        }
    }
}

impl FromStr for Delimiter {
    type Err = Error;

    /// Accepts the names `comma`, `tab`, `pipe` and the characters `,`, a tab, `|`.
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "comma" | "," => Ok(Delimiter::Comma),
            "tab" | "\t" => Ok(Delimiter::Tab),
            "pipe" | "|" => Ok(Delimiter::Pipe),
            _ => Err(Error::new(
                Category::Options,
                format!("invalid delimiter {s:?}: expected comma (,), tab or pipe (|)"),
            )),
        }
    }
}

impl fmt::Display for Delimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Delimiter::Comma => "comma",
            Delimiter::Tab => "tab",
            Delimiter::Pipe => "pipe",
        })
    }
}

/// Options for [`encode`](crate::encode()).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncodeOptions {
    indent: usize,
    delimiter: Delimiter,
    max_depth: usize,
}

impl Default for EncodeOptions {
    fn default() -> Self {
        EncodeOptions {
            indent: 2,
            delimiter: Delimiter::Comma,
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }
}

impl EncodeOptions {
    /// Indent 2, comma delimiter, nesting limit [`DEFAULT_MAX_DEPTH`].
    pub fn new() -> Self {
        EncodeOptions::default()
    }

    /// Spaces per indentation level. Zero is rejected by the encoder.
    pub fn with_indent(mut self, indent: usize) -> Self {
        self.indent = indent;
        self
    }

    /// The document delimiter.
    pub fn with_delimiter(mut self, delimiter: Delimiter) -> Self {
        self.delimiter = delimiter;
        self
    }

    /// The deepest nesting of arrays and objects the encoder accepts.
    pub fn with_max_depth(mut self, max_depth: usize) -> Self {
        self.max_depth = max_depth;
        self
    }

    /// Spaces per indentation level.
    pub fn indent(&self) -> usize {
        self.indent
    }

    /// The document delimiter.
    pub fn delimiter(&self) -> Delimiter {
        self.delimiter
    }

    /// The nesting limit.
    pub fn max_depth(&self) -> usize {
        self.max_depth
    }

    pub(crate) fn validate(&self) -> Result<()> {
        validate_indent(self.indent)
    }
}

/// Options for [`decode`](crate::decode()).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeOptions {
    indent: usize,
    strict: bool,
    max_depth: usize,
    big_integers: bool,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        DecodeOptions {
            indent: 2,
            strict: true,
            max_depth: DEFAULT_MAX_DEPTH,
            big_integers: false,
        }
    }
}

impl DecodeOptions {
    /// Indent 2, strict, nesting limit [`DEFAULT_MAX_DEPTH`].
    pub fn new() -> Self {
        DecodeOptions::default()
    }

    /// Spaces per indentation level. Zero is rejected by the decoder.
    pub fn with_indent(mut self, indent: usize) -> Self {
        self.indent = indent;
        self
    }

    /// Strict mode (the default) reports every spec error; non-strict mode applies the
    /// five recoveries of spec 4.4 §14.4 (counts, duplicate keys, indentation, blank lines
    /// inside spans, depth jumps) and still reports everything else.
    pub fn with_strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// The deepest nesting of arrays and objects the decoder accepts.
    pub fn with_max_depth(mut self, max_depth: usize) -> Self {
        self.max_depth = max_depth;
        self
    }

    /// Integer literals beyond `i64` and `u64` (`100000000000000000000`) decode as exact
    /// [`Number`](crate::Number)s holding their digits ([`Number::as_big_integer`](crate::Number::as_big_integer))
    /// instead of the nearest `f64`, as Python's `json.loads` reads them. Off by default,
    /// which is what the reference does (JavaScript numbers); the Python binding turns it
    /// on. Applies to [`decode`](crate::decode()) and the event streams; typed decoding
    /// (`from_str`) hands such a number to 128-bit integer targets exactly and to any
    /// other target as the nearest `f64`.
    ///
    /// ```
    /// let options = toon::DecodeOptions::new().with_big_integers(true);
    /// let value = toon::decode("n: 100000000000000000000", &options).unwrap();
    /// let n = value.get("n").and_then(toon::Value::as_number).unwrap();
    /// assert_eq!(n.as_big_integer(), Some("100000000000000000000"));
    /// ```
    pub fn with_big_integers(mut self, big_integers: bool) -> Self {
        self.big_integers = big_integers;
        self
    }

    /// Spaces per indentation level.
    pub fn indent(&self) -> usize {
        self.indent
    }

    /// Whether integers beyond 64 bits keep their digits.
    pub fn big_integers(&self) -> bool {
        self.big_integers
    }

    /// Whether strict mode is on.
    pub fn strict(&self) -> bool {
        self.strict
    }

    /// The nesting limit.
    pub fn max_depth(&self) -> usize {
        self.max_depth
    }

    pub(crate) fn validate(&self) -> Result<()> {
        validate_indent(self.indent)
    }
}

fn validate_indent(indent: usize) -> Result<()> {
    if indent == 0 {
        return Err(Error::new(
            Category::Options,
            "indent size must be at least 1",
        ));
    }
    Ok(())
}
