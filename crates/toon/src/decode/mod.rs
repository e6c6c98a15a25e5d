//! The decoder: TOON text to a [`Value`] that borrows every string without escapes.

pub(crate) mod build;
pub(crate) mod event;
pub(crate) mod header;
pub(crate) mod hint;
pub(crate) mod lines;
pub(crate) mod machine;
pub(crate) mod scan;
mod seen;

pub use event::{Event, Position};

use crate::error::{Category, Error, Result};
use crate::options::DecodeOptions;
use crate::value::Value;

/// Decodes a TOON document. Strings without escapes borrow from `text`.
///
/// Strict mode (the default) reports every error of spec 4.4 §14; non-strict mode applies
/// its five recoveries. Errors carry line, column and the offending line.
///
/// ```
/// use toon::{DecodeOptions, Value};
/// let value = toon::decode("users[2]{id,name}:\n  1,Ada\n  2,Bo", &DecodeOptions::default()).unwrap();
/// assert_eq!(value.get("users").and_then(|u| u.as_array()).map(Vec::len), Some(2));
///
/// let err = toon::decode("rows[1]{a,b}:\n  1", &DecodeOptions::default()).unwrap_err();
/// assert_eq!((err.line(), err.column()), (2, 3));
/// assert_eq!(err.category(), toon::Category::Width);
/// ```
pub fn decode<'a>(text: &'a str, options: &DecodeOptions) -> Result<Value<'a>> {
    options.validate()?;
    let mut lines = lines::StrLines::new(text, options.indent(), options.strict());
    let mut machine = machine::Machine::new(options);
    let mut builder = build::ValueBuilder::new(options.strict());
    while let Some(line) = lines.next_line().map_err(|e| machine.explain(e))? {
        machine.line(&line, &machine::Borrow, &mut builder)?;
    }
    machine.finish(&mut builder)?;
    Ok(builder.finish())
}

/// Decodes TOON from bytes, which must be well-formed UTF-8 (an error with line and
/// column otherwise, in both modes).
pub fn decode_slice<'a>(bytes: &'a [u8], options: &DecodeOptions) -> Result<Value<'a>> {
    decode(utf8(bytes)?, options)
}

/// Validates UTF-8, reporting the line and column of the first ill-formed byte.
pub(crate) fn utf8(bytes: &[u8]) -> Result<&str> {
    utf8_from_line(bytes, 1)
}

/// [`utf8`] of bytes whose first line is line `first_line` of the input.
pub(crate) fn utf8_from_line(bytes: &[u8], first_line: usize) -> Result<&str> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let line_start = memchr::memrchr(b'\n', valid).map_or(0, |i| i + 1);
        let line = valid.iter().filter(|&&b| b == b'\n').count() + first_line;
        // The prefix of the line up to the bad byte is valid UTF-8.
        let prefix = std::str::from_utf8(&valid[line_start..]).unwrap_or_default();
        let line_end =
            memchr::memchr(b'\n', &bytes[line_start..]).map_or(bytes.len(), |i| line_start + i);
        let shown = String::from_utf8_lossy(&bytes[line_start..line_end]);
        Error::at(
            Category::Syntax,
            "input is not valid UTF-8",
            line,
            prefix.chars().count() + 1,
            &shown,
        )
    })
}
