//! The one error type of the crate: what went wrong, where (line and column), and the
//! offending source line for a caret snippet.

use std::fmt;

/// Alias for `Result<T, toon::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Longest source excerpt an error keeps, in characters.
const SNIPPET_CHARS: usize = 160;

/// What kind of problem an [`Error`] reports. Match on this, not on message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Category {
    /// Malformed tokens: bad escapes, unterminated or trailing-garbage quotes, malformed
    /// headers or field lists, missing colons, ill-formed UTF-8.
    Syntax,
    /// Indentation that is not a multiple of the indent size, tabs in strict mode,
    /// depth jumps and over-indented lines.
    Indentation,
    /// A declared `[N]` that does not match the number of values, items, rows or entries
    /// (recovered in non-strict mode).
    Count,
    /// A tabular row or keyed entry whose cell count differs from the header's fields
    /// (never recovered).
    Width,
    /// Two sibling keys or field names that are equal (recovered in non-strict mode).
    DuplicateKey,
    /// Lines that belong to no scope: stray scalars, content after a complete root,
    /// keyless headers in the wrong place, blank lines inside a header's span.
    Structure,
    /// A configured limit was exceeded (nesting depth).
    Limit,
    /// The input was valid TOON but does not fit the requested Rust type, or a value
    /// cannot be represented in TOON.
    Data,
    /// Invalid options, such as an indent size of zero.
    Options,
    /// Reading or writing failed.
    Io,
    /// The text ends before its document does (a model's reply cut off): reported by
    /// [`crate::repair`], with the part that arrived.
    Truncated,
}

impl Category {
    /// The category's one spelling, in snake case (`duplicate_key`): what the CLI, the
    /// Python package (`ToonDecodeError.category`) and the Node package (`err.category`)
    /// show.
    pub const fn as_str(self) -> &'static str {
        match self {
            Category::Syntax => "syntax",
            Category::Indentation => "indentation",
            Category::Count => "count",
            Category::Width => "width",
            Category::DuplicateKey => "duplicate_key",
            Category::Structure => "structure",
            Category::Limit => "limit",
            Category::Data => "data",
            Category::Options => "options",
            Category::Io => "io",
            Category::Truncated => "truncated",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error from encoding or decoding TOON, with its location when it has one.
///
/// `Display` is one line: `LINE:COL: message`, or the message alone without a location.
/// The offending line with a caret under the column is [`Error::snippet`].
pub struct Error {
    inner: Box<ErrorImpl>,
}

struct ErrorImpl {
    category: Category,
    message: String,
    /// 1-based line and column (column counted in characters); 0 when unknown.
    line: usize,
    column: usize,
    /// The offending source line (a window of it around the column when it is long),
    /// without its line terminator.
    source_line: Option<String>,
    /// 1-based character position of the caret within `source_line`.
    caret: usize,
    io: Option<std::io::Error>,
    /// Where in the document the value being read sits (`users[2]`), when decoding.
    path: Option<String>,
    /// One sentence for the writer of the text (a model in a retry loop) on how to fix it.
    hint: Option<String>,
    /// What the reader expected and what it found there, when decoding.
    expected: Option<String>,
    found: Option<String>,
}

impl Error {
    /// An error without a location.
    pub(crate) fn new(category: Category, message: impl Into<String>) -> Self {
        Error {
            inner: Box::new(ErrorImpl {
                category,
                message: message.into(),
                line: 0,
                column: 0,
                source_line: None,
                caret: 0,
                io: None,
                path: None,
                hint: None,
                expected: None,
                found: None,
            }),
        }
    }

    /// An error at a 1-based line and column, carrying the source line for the snippet.
    pub(crate) fn at(
        category: Category,
        message: impl Into<String>,
        line: usize,
        column: usize,
        source_line: &str,
    ) -> Self {
        let mut error = Error::new(category, message);
        error.inner.line = line;
        error.inner.column = column;
        error.set_snippet(source_line, column);
        error
    }

    /// Keeps the source line, or a window of it around the column when it is long.
    fn set_snippet(&mut self, source_line: &str, column: usize) {
        let (window, caret) = window(source_line, column);
        self.inner.source_line = Some(window);
        self.inner.caret = caret;
    }

    /// Wraps an I/O failure.
    pub(crate) fn io(error: std::io::Error) -> Self {
        let mut wrapped = Error::new(Category::Io, error.to_string());
        wrapped.inner.io = Some(error);
        wrapped
    }

    /// Where in the document the value being read sits when decoding failed: keys
    /// joined by `.`, list and table elements as `[i]` (0-based), keys that are not
    /// identifiers as `["…"]` (`users[2]`, `config.server`); `None` at the top level and
    /// for errors of other kinds.
    pub fn path(&self) -> Option<&str> {
        self.inner.path.as_deref()
    }

    /// One sentence for whoever wrote the text (a model asked to retry), on how to fix
    /// it: `row 3 of users has 5 values but the header declares 4 fields; quote values
    /// that contain the delimiter`. Set on decode errors.
    pub fn hint(&self) -> Option<&str> {
        self.inner.hint.as_deref()
    }

    /// What the reader expected where decoding failed (`2 tabular row values`, `` `:` ``,
    /// `a closing " on the same line`). Set on decode errors where it can be said.
    pub fn expected(&self) -> Option<&str> {
        self.inner.expected.as_deref()
    }

    /// What the reader found there instead (`3`, `the end of the line`, `"email" again`).
    pub fn found(&self) -> Option<&str> {
        self.inner.found.as_deref()
    }

    /// Sets what was expected and what was found, unless the error has them.
    pub(crate) fn with_expected_found(
        mut self,
        expected: Option<String>,
        found: Option<String>,
    ) -> Self {
        if self.inner.expected.is_none() && self.inner.found.is_none() {
            self.inner.expected = expected;
            self.inner.found = found;
        }
        self
    }

    /// The source line from the caret on (the text the error points at).
    pub(crate) fn at_caret(&self) -> Option<&str> {
        let source = self.inner.source_line.as_deref()?;
        let skip = self.inner.caret.saturating_sub(1);
        let start = source
            .char_indices()
            .nth(skip)
            .map_or(source.len(), |(i, _)| i);
        Some(&source[start..])
    }

    /// Sets the path, unless the error has one.
    pub(crate) fn with_path(mut self, path: Option<String>) -> Self {
        if self.inner.path.is_none() {
            self.inner.path = path;
        }
        self
    }

    /// Sets the hint, unless the error has one.
    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        if self.inner.hint.is_none() {
            self.inner.hint = Some(hint.into());
        }
        self
    }

    /// The kind of problem.
    pub fn category(&self) -> Category {
        self.inner.category
    }

    /// 1-based line of the problem, or 0 when the error has no location.
    pub fn line(&self) -> usize {
        self.inner.line
    }

    /// 1-based column (in characters) of the problem, or 0 when the error has no location.
    pub fn column(&self) -> usize {
        self.inner.column
    }

    /// The message without location or snippet.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// The source line the error points at, if known; a line longer than 160 characters
    /// is shortened to a window around the column, marked with `…`.
    pub fn source_line(&self) -> Option<&str> {
        self.inner.source_line.as_deref()
    }

    /// The line and a caret under the column, as two lines of text; `None` without a
    /// location.
    pub fn snippet(&self) -> Option<String> {
        let source = self.inner.source_line.as_deref()?;
        Some(caret_lines(source, self.inner.caret))
    }

    /// Sets the location of an error raised without one (a serde visitor's message).
    pub(crate) fn locate(mut self, line: usize, column: usize, source_line: &str) -> Self {
        self.inner.line = line;
        self.inner.column = column;
        self.set_snippet(source_line, column);
        self
    }

    /// Whether this error came from I/O.
    pub fn is_io(&self) -> bool {
        self.inner.category == Category::Io
    }
}

/// The caret snippet of any located error, TOON or not (a JSON parser's, a converter's):
/// the 1-based `line` of `text` (without its line terminator, shortened to a window of
/// 160 characters around the column when longer, marked with `…`), then a caret under
/// the 1-based character `column`, tabs copied so it lines up in a terminal. `None` when
/// `text` has no such line.
///
/// ```
/// assert_eq!(toon::snippet("a: 1\n\tb: x\r\n", 2, 3).unwrap(), "\tb: x\n\t ^");
/// assert_eq!(toon::snippet("a: 1", 2, 1), None);
/// ```
pub fn snippet(text: &str, line: usize, column: usize) -> Option<String> {
    let source = text.split('\n').nth(line.checked_sub(1)?)?;
    let source = source.strip_suffix('\r').unwrap_or(source);
    let (window, caret) = window(source, column.max(1));
    Some(caret_lines(&window, caret))
}

/// `source_line`, or a window of [`SNIPPET_CHARS`] characters of it around the 1-based
/// `column` when it is longer (a 100 MB line must not make a 100 MB message), and the
/// caret's 1-based position in what is returned.
fn window(source_line: &str, column: usize) -> (String, usize) {
    let at = column.saturating_sub(1);
    if source_line.len() <= SNIPPET_CHARS {
        return (source_line.to_owned(), column);
    }
    let start = at.saturating_sub(SNIPPET_CHARS / 2);
    let mut window = String::new();
    if start > 0 {
        window.push('…');
    }
    let mut taken = 0;
    let mut chars = source_line.chars().skip(start);
    for ch in chars.by_ref().take(SNIPPET_CHARS) {
        window.push(ch);
        taken += 1;
    }
    if taken == SNIPPET_CHARS && chars.next().is_some() {
        window.push('…');
    }
    (window, at - start + 1 + usize::from(start > 0))
}

/// `source`, a newline, and a caret under the 1-based character `caret`, copying the
/// source's tabs so the caret lines up in a terminal.
fn caret_lines(source: &str, caret: usize) -> String {
    let mut marker = String::new();
    for ch in source.chars().take(caret.saturating_sub(1)) {
        marker.push(if ch == '\t' { '\t' } else { ' ' });
    }
    marker.push('^');
    format!("{source}\n{marker}")
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.inner.line == 0 {
            return f.write_str(&self.inner.message);
        }
        write!(
            f,
            "{}:{}: {}",
            self.inner.line, self.inner.column, self.inner.message
        )
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("category", &self.inner.category)
            .field("line", &self.inner.line)
            .field("column", &self.inner.column)
            .field("message", &self.inner.message)
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner.io.as_ref().map(|e| e as _)
    }
}

impl From<std::io::Error> for Error {
    fn from(error: std::io::Error) -> Self {
        Error::io(error)
    }
}

impl From<Error> for std::io::Error {
    fn from(error: Error) -> Self {
        if error.is_io()
            && let Some(io) = error.inner.io
        {
            return io;
        }
        std::io::Error::new(std::io::ErrorKind::InvalidData, error)
    }
}

impl serde_core::ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::new(Category::Data, msg.to_string())
    }
}

impl serde_core::de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::new(Category::Data, msg.to_string())
    }
}
