//! The lexical pipeline (spec §8): BOM, LF/CRLF splitting, trailing-space stripping,
//! comment and blank-line removal, indentation depth. One line at a time, no allocation;
//! shared by the `&str` cursor and the `io::BufRead` reader.

use std::io::BufRead;

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
    /// Line number of the first blank line between the previous significant line and
    /// this one; 0 when there was none.
    pub(crate) blank_before: usize,
}

impl<'a> Line<'a> {
    /// Byte offset of `part`, which must be a slice of this line's text (0 otherwise).
    pub(crate) fn offset_of(&self, part: &str) -> usize {
        let offset = (part.as_ptr() as usize).wrapping_sub(self.text.as_ptr() as usize);
        if offset <= self.text.len() { offset } else { 0 }
    }

    /// An error pointing at byte `offset` of this line.
    pub(crate) fn error_at_offset(
        &self,
        offset: usize,
        category: Category,
        message: impl Into<String>,
    ) -> Error {
        Error::at(
            category,
            message,
            self.number,
            column_at(self.text, offset),
            self.text,
        )
    }

    /// An error pointing at `part` of this line.
    pub(crate) fn error_at(
        &self,
        part: &str,
        category: Category,
        message: impl Into<String>,
    ) -> Error {
        self.error_at_offset(self.offset_of(part), category, message)
    }

    /// An error pointing at the first character of the content.
    pub(crate) fn error(&self, category: Category, message: impl Into<String>) -> Error {
        self.error_at(self.content, category, message)
    }
}

/// 1-based character column of byte `offset` in `text`.
pub(crate) fn column_at(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    text[..offset].chars().count() + 1
}

/// What one raw line turned out to be.
pub(crate) enum Prepared<'a> {
    /// Empty after stripping (or whitespace-only in non-strict mode).
    Blank,
    /// A full-line `#` comment.
    Comment,
    /// A significant line (its `blank_before` still 0).
    Line(Line<'a>),
}

/// Prepares one raw line (terminator removed): one trailing CR and trailing spaces go,
/// comments and blank lines are recognised, the depth is computed.
pub(crate) fn prepare(
    raw: &str,
    number: usize,
    indent_size: usize,
    strict: bool,
) -> Result<Prepared<'_>> {
    let text = raw.strip_suffix('\r').unwrap_or(raw);
    // Byte loops, not `trim_end_matches` / `contains`: lines are short and these run
    // once per line (they were 7 % of a decode through the generic paths and `memchr`).
    let end = text
        .as_bytes()
        .iter()
        .rposition(|&b| b != b' ')
        .map_or(0, |i| i + 1);
    let text = &text[..end];
    let bytes = text.as_bytes();
    let mut indent = 0;
    // Deep lines start with long runs of spaces: skip them a word at a time.
    while let Some(word) = bytes.get(indent..indent + 8) {
        if word != b"        " {
            break;
        }
        indent += 8;
    }
    let mut has_tab = false;
    while let Some(&b) = bytes.get(indent) {
        match b {
            b' ' => {}
            b'\t' => has_tab = true,
            _ => break,
        }
        indent += 1;
    }
    let content = &text[indent..];
    if content.is_empty() {
        if has_tab && strict {
            return Err(Error::at(
                Category::Indentation,
                "tabs are not allowed in indentation in strict mode (a whitespace-only line)",
                number,
                1,
                text,
            ));
        }
        return Ok(Prepared::Blank);
    }
    if !has_tab && content.as_bytes()[0] == b'#' {
        return Ok(Prepared::Comment);
    }
    let depth = if strict {
        if has_tab {
            let at = bytes.iter().position(|&b| b == b'\t').unwrap_or(0);
            return Err(Error::at(
                Category::Indentation,
                "tabs are not allowed in indentation in strict mode",
                number,
                at + 1,
                text,
            ));
        }
        if indent % indent_size != 0 {
            return Err(Error::at(
                Category::Indentation,
                format!(
                    "indentation must be exact multiple of {indent_size}, but found {indent} spaces"
                ),
                number,
                indent + 1,
                text,
            ));
        }
        indent / indent_size
    } else {
        let tabs = bytes[..indent].iter().filter(|&&b| b == b'\t').count();
        tabs + (indent - tabs) / indent_size
    };
    Ok(Prepared::Line(Line {
        number,
        text,
        depth,
        content,
        blank_before: 0,
    }))
}

/// Significant lines of a `&str`, borrowing from it.
pub(crate) struct StrLines<'a> {
    src: &'a str,
    pos: usize,
    number: usize,
    indent_size: usize,
    strict: bool,
}

impl<'a> StrLines<'a> {
    pub(crate) fn new(src: &'a str, indent_size: usize, strict: bool) -> Self {
        let pos = if src.starts_with('\u{feff}') { 3 } else { 0 };
        StrLines {
            src,
            pos,
            number: 0,
            indent_size,
            strict,
        }
    }

    /// The next significant line, or `None` at the end.
    #[inline]
    pub(crate) fn next_line(&mut self) -> Result<Option<Line<'a>>> {
        let src = self.src;
        let mut blank_before = 0;
        while self.pos < src.len() {
            let start = self.pos;
            let end = memchr(b'\n', &src.as_bytes()[start..]).map_or(src.len(), |i| start + i);
            self.pos = end + 1;
            self.number += 1;
            match prepare(&src[start..end], self.number, self.indent_size, self.strict)? {
                Prepared::Line(mut line) => {
                    line.blank_before = blank_before;
                    return Ok(Some(line));
                }
                Prepared::Blank if blank_before == 0 => blank_before = self.number,
                Prepared::Blank | Prepared::Comment => {}
            }
        }
        Ok(None)
    }
}

/// Significant lines read from an `io::BufRead` one at a time into a reused buffer, so
/// memory is bounded by the longest line. Bytes must be well-formed UTF-8.
pub(crate) struct ReaderLines<R> {
    reader: R,
    buffer: Vec<u8>,
    number: usize,
    indent_size: usize,
    strict: bool,
}

impl<R: BufRead> ReaderLines<R> {
    pub(crate) fn new(reader: R, indent_size: usize, strict: bool) -> Self {
        ReaderLines {
            reader,
            buffer: Vec::new(),
            number: 0,
            indent_size,
            strict,
        }
    }

    /// The next significant line, borrowing the internal buffer until the next call.
    pub(crate) fn next_line(&mut self) -> Result<Option<Line<'_>>> {
        let mut blank_before = 0;
        loop {
            self.buffer.clear();
            if self.reader.read_until(b'\n', &mut self.buffer)? == 0 {
                return Ok(None);
            }
            self.number += 1;
            if self.buffer.last() == Some(&b'\n') {
                self.buffer.pop();
            }
            let mut start = 0;
            if self.number == 1 && self.buffer.starts_with("\u{feff}".as_bytes()) {
                start = 3;
            }
            let raw = std::str::from_utf8(&self.buffer[start..]).map_err(|e| {
                let shown = String::from_utf8_lossy(&self.buffer);
                let valid = std::str::from_utf8(&self.buffer[start..start + e.valid_up_to()])
                    .unwrap_or_default();
                Error::at(
                    Category::Syntax,
                    "input is not valid UTF-8",
                    self.number,
                    valid.chars().count() + 1,
                    &shown,
                )
            })?;
            match prepare(raw, self.number, self.indent_size, self.strict)? {
                Prepared::Line(_) => break,
                Prepared::Blank if blank_before == 0 => blank_before = self.number,
                Prepared::Blank | Prepared::Comment => {}
            }
        }
        // Re-prepare outside the loop so the returned line borrows `self.buffer` once.
        let start = if self.number == 1 && self.buffer.starts_with("\u{feff}".as_bytes()) {
            3
        } else {
            0
        };
        let raw = std::str::from_utf8(&self.buffer[start..]).unwrap_or_default();
        match prepare(raw, self.number, self.indent_size, self.strict)? {
            Prepared::Line(mut line) => {
                line.blank_before = blank_before;
                Ok(Some(line))
            }
            Prepared::Blank | Prepared::Comment => Ok(None),
        }
    }
}
