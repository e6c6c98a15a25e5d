//! # toon-to-markdown
//!
//! TOON → Markdown (CommonMark with GFM tables and task lists). The TOON text is decoded
//! (strict by default) and rendered as readable Markdown:
//!
//! | TOON | Markdown |
//! |---|---|
//! | root object | its fields, in order, starting at heading level 1 |
//! | primitive field | a definition-style list item `- **key**: value` |
//! | object field | a heading (`#`, `##`, … by depth) and the object's fields below it; past `######`, nested definition lists |
//! | array of uniform objects (a TOON table, nested field groups included) | a GFM table, nested fields as dotted columns (`customer.name`) |
//! | object of uniform objects (TOON's keyed form) | a GFM table whose first column, with an empty header, holds the keys |
//! | primitive array | a bullet list |
//! | mixed or nested array | nested bullet lists; an item `[text, block, ...]` holding a container as the text with its blocks below it (`- parent` over its nested list) |
//! | `{lang, code}` | a fenced code block |
//! | `{done, text}` in an array | a task-list item `- [x] text` |
//! | `content: [...]` in an object | its elements as bare blocks (paragraphs, lists, tables, code) |
//! | `front_matter: "..."` first in the root | YAML front matter |
//! | empty array | a table with the header `(empty)` and no rows |
//!
//! Text is escaped so that it reads literally: `\ ` * _ [ ] < > # | ~` and entity-like
//! `&` everywhere, `- + =` and ordered-list markers at the start of a line. In table
//! cells, headings and keys a line break is `<br>`; in paragraphs and list items it is a
//! hard break (`\` at the end of the line). Leading and trailing spaces of a line cannot
//! be shown in Markdown and are dropped; types of primitives are not marked (`1` and
//! `"1"` read the same).
//!
//! This is the inverse of `markdown-to-toon` on what that crate produces (headings ↔
//! nested objects, definition lists ↔ fields, tables ↔ tabular arrays and keyed objects,
//! lists ↔ arrays, `content` ↔ unkeyed blocks): Markdown → TOON → Markdown → TOON gives
//! the same TOON the second time. To keep that, a field is written as a list item only
//! before the object's first heading (a heading's section runs to the next heading), so
//! a field that follows a container may be a heading with a paragraph below it.
//!
//! The output is deterministic and ends with exactly one newline.
//!
//! ```
//! use toon_to_markdown::{ToonToMarkdownOptions, convert};
//!
//! let toon = "name: Demo\nusers[2]{id,name}:\n  1,Ada\n  2,\"B|o\"\ntags[2]: a,b";
//! let markdown = convert(toon, &ToonToMarkdownOptions::default()).unwrap();
//! assert_eq!(
//!     markdown,
//!     "- **name**: Demo\n\n# users\n\n| id | name |\n| --- | --- |\n| 1 | Ada |\n| 2 | B\\|o |\n\n# tags\n\n- a\n- b\n"
//! );
//! ```

mod escape;
mod render;
mod shape;

use std::io;

use toon::DecodeOptions;
use toon::convert::{ConvertError, Converter, Format, Input, LocatedError, StableHasher};

/// What can go wrong converting TOON to Markdown.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input is not valid TOON (with its line and column).
    #[error(transparent)]
    Toon(#[from] toon::Error),
    /// Reading the input failed.
    #[error(transparent)]
    Io(#[from] io::Error),
    /// The options are unusable.
    #[error("invalid options: {0}")]
    Options(&'static str),
}

impl LocatedError for Error {
    fn location(&self) -> Option<(usize, usize)> {
        match self {
            Error::Toon(error) => error.location(),
            _ => None,
        }
    }

    fn toon_error(&self) -> Option<&toon::Error> {
        match self {
            Error::Toon(error) => Some(error),
            _ => None,
        }
    }
}

/// Options of [`ToonToMarkdown`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToonToMarkdownOptions {
    /// The heading level of the root object's fields (1 to 6). Default 1.
    pub heading_level: u8,
    /// A title written as a heading of `heading_level` above everything else (the
    /// fields then start one level deeper). Default none.
    pub title: Option<String>,
    /// Write a leading root field `front_matter` (a string) as YAML front matter, as
    /// `markdown-to-toon` reads it. Default `true`.
    pub front_matter: bool,
    /// How the TOON input is read: its indentation, strict mode (on by default), nesting
    /// limit.
    pub decode: DecodeOptions,
}

impl Default for ToonToMarkdownOptions {
    fn default() -> Self {
        ToonToMarkdownOptions {
            heading_level: 1,
            title: None,
            front_matter: true,
            decode: DecodeOptions::default(),
        }
    }
}

impl ToonToMarkdownOptions {
    /// A stable fingerprint of every option (the same across runs and builds).
    pub fn key(&self) -> u64 {
        let mut parts = vec![
            u64::from(self.heading_level),
            u64::from(self.front_matter),
            self.decode.indent() as u64,
            u64::from(self.decode.strict()),
            self.decode.max_depth() as u64,
        ];
        match &self.title {
            None => parts.push(0),
            Some(title) => {
                parts.push(1 + title.len() as u64);
                parts.extend(title.bytes().map(u64::from));
            }
        }
        StableHasher::of_u64s(&parts)
    }

    fn validate(&self) -> Result<(), Error> {
        if (1..=6).contains(&self.heading_level) {
            Ok(())
        } else {
            Err(Error::Options("heading_level must be 1 to 6"))
        }
    }
}

/// The TOON → Markdown converter of the [`toon::convert`] registry (`toon-to-markdown`).
#[derive(Debug, Clone, Default)]
pub struct ToonToMarkdown {
    options: ToonToMarkdownOptions,
}

impl ToonToMarkdown {
    /// A converter with the given options.
    pub fn new(options: ToonToMarkdownOptions) -> Self {
        ToonToMarkdown { options }
    }

    /// Its options.
    pub fn options(&self) -> &ToonToMarkdownOptions {
        &self.options
    }
}

impl Converter for ToonToMarkdown {
    fn name(&self) -> &'static str {
        "toon-to-markdown"
    }

    fn source(&self) -> Format {
        Format::Toon
    }

    fn target(&self) -> Format {
        Format::Markdown
    }

    fn options_key(&self) -> u64 {
        self.options.key()
    }

    fn convert(&self, input: Input<'_>) -> Result<String, ConvertError> {
        let text = input.read_text()?;
        Ok(convert(&text, &self.options)?)
    }
}

/// Converts TOON text to Markdown.
pub fn convert(toon: &str, options: &ToonToMarkdownOptions) -> Result<String, Error> {
    options.validate()?;
    let value = toon::decode(toon, &options.decode)?;
    render_sized(&value, options, toon.len())
}

/// Renders a value as Markdown, as [`convert`] renders a decoded document.
pub fn render(value: &toon::Value<'_>, options: &ToonToMarkdownOptions) -> Result<String, Error> {
    render_sized(value, options, 256)
}

fn render_sized(
    value: &toon::Value<'_>,
    options: &ToonToMarkdownOptions,
    capacity: usize,
) -> Result<String, Error> {
    options.validate()?;
    let mut renderer = render::Renderer::new(options, capacity + capacity / 2);
    renderer.document(value);
    Ok(renderer.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_key_is_stable_and_distinguishes_options() {
        let default = ToonToMarkdownOptions::default();
        assert_eq!(default.key(), ToonToMarkdownOptions::default().key());
        let level = ToonToMarkdownOptions {
            heading_level: 2,
            ..ToonToMarkdownOptions::default()
        };
        let title = ToonToMarkdownOptions {
            title: Some("T".into()),
            ..ToonToMarkdownOptions::default()
        };
        let other_title = ToonToMarkdownOptions {
            title: Some("U".into()),
            ..ToonToMarkdownOptions::default()
        };
        let keys = [default.key(), level.key(), title.key(), other_title.key()];
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn heading_level_is_checked() {
        let options = ToonToMarkdownOptions {
            heading_level: 7,
            ..ToonToMarkdownOptions::default()
        };
        assert!(matches!(convert("a: 1", &options), Err(Error::Options(_))));
    }
}
