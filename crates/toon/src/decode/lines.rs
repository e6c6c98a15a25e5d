//! The line scanner (spec §8 lexical pipeline): BOM, LF/CRLF splitting, trailing-space
//! stripping, comment and blank-line removal, indentation depth — one line at a time,
//! with no allocation. It also enforces the blank-line rule for header spans.

use memchr::memchr;

use crate::error::{Category, Error, Result};

/// One significant line (not blank, not a comment).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Line<'a> {
    /// 1-based line number in the input.
    pub(crate) number: usize,
    /// The line without its terminator and trailing spaces, indentation included.
    pub(crate) text: &'a str,
    /// Indentation depth.
    pub(crate) depth: usize,
    /// The text after the indentation.
    pub(crate) content: &'a str,
}

impl<'a> Line<'a> {
    /// 1-based character column of `part`, which must be a slice of this line's text;
    /// the first column for anything else.
    pub(crate) fn column_of(&self, part: &str) -> usize {
        let offset = (part.as_ptr() as usize).wrapping_sub(self.text.as_ptr() as usize);
        self.column_at(offset)
    }

    /// 1-based character column of byte `offset` in this line's text.
    pub(crate) fn column_at(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        match self.text.get(..offset) {
            Some(prefix) => prefix.chars().count() + 1,
            None => 1,
        }
    }

    /// An error pointing at `part` of this line.
    pub(crate) fn error_at(
        &self,
        part: &str,
        category: Category,
        message: impl Into<String>,
    ) -> Error {
        Error::at(
            category,
            message,
            self.number,
            self.column_of(part),
            self.text,
        )
    }

    /// An error pointing at the first character of the content.
    pub(crate) fn error(&self, category: Category, message: impl Into<String>) -> Error {
        self.error_at(self.content, category, message)
    }
}

/// Cursor over the significant lines of a document, with one line of look-ahead.
pub(crate) struct Lines<'a> {
    src: &'a str,
    pos: usize,
    line_number: usize,
    indent_size: usize,
    strict: bool,
    peeked: Option<Line<'a>>,
    /// Line number and text of the first blank line since the last consumed line.
    blank: Option<(usize, &'a str)>,
    /// How many header spans (list, tabular, keyed scopes that have begun their first
    /// element) enclose the current position; blank lines inside one are a strict error.
    spans: usize,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(src: &'a str, indent_size: usize, strict: bool) -> Self {
        let pos = if src.starts_with('\u{feff}') { 3 } else { 0 };
        Lines {
            src,
            pos,
            line_number: 0,
            indent_size,
            strict,
            peeked: None,
            blank: None,
            spans: 0,
        }
    }

    /// The next significant line, without consuming it.
    #[inline]
    pub(crate) fn peek(&mut self) -> Result<Option<Line<'a>>> {
        if self.peeked.is_none() {
            self.peeked = self.scan()?;
        }
        Ok(self.peeked)
    }

    /// Consumes the line returned by the last `peek`. In strict mode a blank line before
    /// it inside an open header span is an error.
    #[inline]
    pub(crate) fn take(&mut self) -> Result<Line<'a>> {
        let line = match self.peeked.take() {
            Some(line) => line,
            None => match self.scan()? {
                Some(line) => line,
                None => return Err(Error::new(Category::Structure, "unexpected end of input")),
            },
        };
        if let Some((number, text)) = self.blank.take()
            && self.strict
            && self.spans > 0
        {
            return Err(Error::at(
                Category::Structure,
                "blank line inside an array or keyed object (allowed only in non-strict mode)",
                number,
                1,
                text,
            ));
        }
        Ok(line)
    }

    /// Marks the start of a header span (after its first element line was taken).
    pub(crate) fn open_span(&mut self) {
        self.spans += 1;
    }

    /// Marks the end of a header span.
    pub(crate) fn close_span(&mut self) {
        self.spans -= 1;
    }

    /// Reads raw lines until a significant one.
    fn scan(&mut self) -> Result<Option<Line<'a>>> {
        let src = self.src;
        loop {
            if self.pos >= src.len() {
                return Ok(None);
            }
            let start = self.pos;
            let end = match memchr(b'\n', &src.as_bytes()[start..]) {
                Some(i) => start + i,
                None => src.len(),
            };
            self.pos = end + 1;
            self.line_number += 1;
            let mut text = &src[start..end];
            if let Some(stripped) = text.strip_suffix('\r') {
                text = stripped;
            }
            text = text.trim_end_matches(' ');
            let bytes = text.as_bytes();
            let indent = bytes
                .iter()
                .take_while(|&&b| b == b' ' || b == b'\t')
                .count();
            let content = &text[indent..];
            let has_tab = bytes[..indent].contains(&b'\t');
            if content.is_empty() {
                if has_tab && self.strict {
                    return Err(Error::at(
                        Category::Indentation,
                        "tab in a whitespace-only line (allowed only in non-strict mode)",
                        self.line_number,
                        1,
                        text,
                    ));
                }
                if self.blank.is_none() {
                    self.blank = Some((self.line_number, text));
                }
                continue;
            }
            if !has_tab && content.as_bytes()[0] == b'#' {
                continue; // a full-line comment
            }
            let depth = self.depth(text, indent, has_tab)?;
            return Ok(Some(Line {
                number: self.line_number,
                text,
                depth,
                content,
            }));
        }
    }

    fn depth(&self, text: &'a str, indent: usize, has_tab: bool) -> Result<usize> {
        let bytes = &text.as_bytes()[..indent];
        if self.strict {
            if has_tab {
                let at = bytes.iter().position(|&b| b == b'\t').unwrap_or(0);
                return Err(Error::at(
                    Category::Indentation,
                    "tab in indentation (allowed only in non-strict mode)",
                    self.line_number,
                    at + 1,
                    text,
                ));
            }
            if !indent.is_multiple_of(self.indent_size) {
                return Err(Error::at(
                    Category::Indentation,
                    format!(
                        "indentation of {indent} spaces is not a multiple of {}",
                        self.indent_size
                    ),
                    self.line_number,
                    indent + 1,
                    text,
                ));
            }
            return Ok(indent / self.indent_size);
        }
        let tabs = bytes.iter().filter(|&&b| b == b'\t').count();
        Ok(tabs + (indent - tabs) / self.indent_size)
    }
}
