//! # markdown-to-toon
//!
//! Markdown → TOON. The Markdown is parsed by pulldown-cmark (CommonMark with GFM tables,
//! task lists and YAML front matter) and mapped to a value:
//!
//! | Markdown | TOON |
//! |---|---|
//! | the document | an object |
//! | YAML front matter | `front_matter`, its raw text (first key of the root) |
//! | a heading | a key (its text) holding its section: everything up to the next heading of the same or a higher level, nested by level |
//! | a list of `**key**: value` items directly in a section | fields of the section's object |
//! | paragraphs, lists, tables, code blocks, quotes, HTML before a section's first heading (or between its fields) | `content`, an array of those blocks in order |
//! | a section that holds nothing | `{}` |
//! | a section that holds exactly one block | that block's value itself, no object around it |
//! | a paragraph | a string |
//! | a list (bullet or ordered) | an array: an item with one block is that block's value, with several an array of them, an empty item `""` |
//! | a list of `**key**: value` items inside a list item | an object |
//! | a task list item | a row `{done, text}` (plus `items` for blocks below its text): a task list is a table |
//! | a table | an array of objects keyed by the header cells (a table); with an empty first header cell, an object keyed by the first column (TOON's keyed form) |
//! | a fenced or indented code block | `{lang, code}` |
//! | a block quote, an HTML block | its source text |
//!
//! Inline formatting is kept as the Markdown source of the span (`*emphasis*`,
//! `[links](url)` survive as text), with backslash escapes resolved and line breaks (a
//! hard break, `<br>`) as `\n`; each line is trimmed. Table cells and field values stay
//! strings: Markdown has no types. Repeated keys get ` (2)`, ` (3)`, ... so nothing is
//! lost; a field or heading called `content` next to unkeyed blocks is renamed that way.
//! Thematic breaks are dropped.
//!
//! `toon-to-markdown` writes exactly these forms back, so Markdown → TOON → Markdown →
//! TOON gives the same TOON the second time.
//!
//! ```
//! use markdown_to_toon::{MarkdownToToonOptions, convert};
//!
//! let markdown = "# Tasks\n\n- [x] write\n- [ ] test\n\n# Notes\n\n- **owner**: Ada\n\nSee *below*.\n";
//! let toon = convert(markdown, &MarkdownToToonOptions::default()).unwrap();
//! assert_eq!(
//!     toon,
//!     "Tasks[2]{done,text}:\n  true,write\n  false,test\nNotes:\n  owner: Ada\n  content[1]: See *below*.\n"
//! );
//! ```

mod blocks;
mod value;

use std::io;

use toon::EncodeOptions;
use toon::convert::{ConvertError, Converter, Format, Input, LocatedError, StableHasher};

/// What can go wrong converting Markdown to TOON.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Lists, items or tables nested deeper than the limit.
    #[error("{line}:{column}: Markdown nested deeper than {limit} levels")]
    TooDeep {
        /// 1-based line of the block that went past the limit.
        line: usize,
        /// 1-based column (in characters).
        column: usize,
        /// The limit (the encoder's nesting limit).
        limit: usize,
    },
    /// The value cannot be encoded (options such as an indent of 0, the nesting limit).
    #[error(transparent)]
    Toon(#[from] toon::Error),
    /// Reading the input failed.
    #[error(transparent)]
    Io(#[from] io::Error),
}

impl LocatedError for Error {
    fn location(&self) -> Option<(usize, usize)> {
        match self {
            Error::TooDeep { line, column, .. } => Some((*line, *column)),
            Error::Toon(error) => error.location(),
            Error::Io(_) => None,
        }
    }

    fn toon_error(&self) -> Option<&toon::Error> {
        match self {
            Error::Toon(error) => Some(error),
            _ => None,
        }
    }
}

/// Options of [`MarkdownToToon`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MarkdownToToonOptions {
    /// The TOON encoder's options: indentation (default 2), delimiter (default comma),
    /// nesting limit (which also bounds how deep Markdown containers may nest).
    pub encode: EncodeOptions,
}

impl MarkdownToToonOptions {
    /// A stable fingerprint of every option (the same across runs and builds).
    pub fn key(&self) -> u64 {
        StableHasher::of_u64s(&[
            self.encode.indent() as u64,
            u64::from(self.encode.delimiter().as_byte()),
            self.encode.max_depth() as u64,
        ])
    }
}

/// The Markdown → TOON converter of the [`toon::convert`] registry (`markdown-to-toon`).
#[derive(Debug, Clone, Default)]
pub struct MarkdownToToon {
    options: MarkdownToToonOptions,
}

impl MarkdownToToon {
    /// A converter with the given options.
    pub fn new(options: MarkdownToToonOptions) -> Self {
        MarkdownToToon { options }
    }

    /// Its options.
    pub fn options(&self) -> &MarkdownToToonOptions {
        &self.options
    }
}

impl Converter for MarkdownToToon {
    fn name(&self) -> &'static str {
        "markdown-to-toon"
    }

    fn source(&self) -> Format {
        Format::Markdown
    }

    fn target(&self) -> Format {
        Format::Toon
    }

    fn options_key(&self) -> u64 {
        self.options.key()
    }

    fn convert(&self, input: Input<'_>) -> Result<String, ConvertError> {
        let text = input.read_text()?;
        Ok(convert(&text, &self.options)?)
    }
}

/// Maps a Markdown document to a value (an object) that borrows from `markdown` where
/// the text needed no change.
pub fn parse<'m>(
    markdown: &'m str,
    options: &MarkdownToToonOptions,
) -> Result<toon::Value<'m>, Error> {
    let blocks = blocks::parse(markdown, options.encode.max_depth())?;
    Ok(value::Builder::new(markdown).document(blocks))
}

/// Converts Markdown text to TOON text (ending with one newline).
pub fn convert(markdown: &str, options: &MarkdownToToonOptions) -> Result<String, Error> {
    let value = parse(markdown, options)?;
    let mut toon = toon::encode(&value, &options.encode)?;
    toon.push('\n');
    Ok(toon)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_key_is_stable_and_distinguishes_options() {
        let default = MarkdownToToonOptions::default();
        assert_eq!(default.key(), MarkdownToToonOptions::default().key());
        let pipe = MarkdownToToonOptions {
            encode: EncodeOptions::new().with_delimiter(toon::Delimiter::Pipe),
        };
        assert_ne!(default.key(), pipe.key());
    }

    #[test]
    fn unescape_resolves_escapes_and_breaks() {
        assert_eq!(value::unescape(r"a\*b\\c\d"), r"a*b\c\d");
        assert_eq!(
            value::unescape("a\\\nb<br>c<BR/>d<br />e<bra>"),
            "a\nb\nc\nd\ne<bra>"
        );
    }

    #[test]
    fn line_columns_count_characters() {
        assert_eq!(blocks::line_column("ab\néc", 5), (2, 2));
        assert_eq!(blocks::line_column("abc", 0), (1, 1));
    }
}
