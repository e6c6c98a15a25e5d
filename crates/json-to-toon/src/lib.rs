//! # json-to-toon
//!
//! JSON → TOON. The JSON text is parsed by `serde_json` straight into a [`toon::Value`]
//! whose strings borrow from the input (no owned intermediate tree: only strings with
//! escapes are copied), then encoded with the [`toon::EncodeOptions`] of the converter
//! (indentation, delimiter, nesting limit), exactly as `toon encode` does: the output
//! ends with one newline.
//!
//! JSON syntax errors carry their line and column (in characters); JSON nested deeper
//! than `serde_json`'s limit of 128 levels is an error, never a crash.
//!
//! ```
//! use json_to_toon::{JsonToToonOptions, convert};
//! use toon::{Delimiter, EncodeOptions};
//!
//! let json = r#"{"users":[{"id":1,"name":"Ada"},{"id":2,"name":"Bo"}]}"#;
//! let toon = convert(json, &JsonToToonOptions::default()).unwrap();
//! assert_eq!(toon, "users[2]{id,name}:\n  1,Ada\n  2,Bo\n");
//!
//! let piped = JsonToToonOptions { encode: EncodeOptions::new().with_delimiter(Delimiter::Pipe) };
//! assert_eq!(convert("[1,2]", &piped).unwrap(), "[2|]: 1|2\n");
//!
//! let error = convert("{\n  \"a\": x\n}", &JsonToToonOptions::default()).unwrap_err();
//! use toon::convert::LocatedError;
//! assert_eq!(error.location(), Some((2, 8)));
//! ```

use std::io;

use toon::EncodeOptions;
use toon::convert::{ConvertError, Converter, Format, Input, LocatedError, StableHasher};

/// What can go wrong converting JSON to TOON.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input is not valid JSON.
    #[error("invalid JSON at {line}:{column}: {message}")]
    Json {
        /// What `serde_json` reported, without its position suffix.
        message: String,
        /// 1-based line (0 when the error has no position).
        line: usize,
        /// 1-based column in characters (0 when the error has no position).
        column: usize,
        /// The parser's error.
        #[source]
        source: serde_json::Error,
    },
    /// The value cannot be encoded (options such as an indent of 0, the nesting limit).
    #[error(transparent)]
    Toon(#[from] toon::Error),
    /// Reading the input failed.
    #[error(transparent)]
    Io(#[from] io::Error),
}

impl Error {
    /// Wraps a `serde_json` error, turning its byte column into a character column of
    /// `json`.
    fn json(json: &[u8], source: serde_json::Error) -> Self {
        let (line, byte_column) = (source.line(), source.column());
        let column = if line == 0 {
            0
        } else {
            let line_text = json
                .split(|&byte| byte == b'\n')
                .nth(line - 1)
                .unwrap_or_default();
            let end = byte_column.saturating_sub(1).min(line_text.len());
            // serde_json's column is in bytes; count the characters before it.
            let before = line_text[..end]
                .iter()
                .filter(|&&byte| (byte & 0xC0) != 0x80)
                .count();
            before + 1
        };
        let full = source.to_string();
        let suffix = format!(" at line {line} column {byte_column}");
        let message = full.strip_suffix(&suffix).unwrap_or(&full).to_owned();
        Error::Json {
            message,
            line,
            column,
            source,
        }
    }
}

impl LocatedError for Error {
    fn location(&self) -> Option<(usize, usize)> {
        match self {
            Error::Json { line, column, .. } => (*line > 0).then_some((*line, *column)),
            Error::Toon(error) => error.location(),
            Error::Io(_) => None,
        }
    }

    fn message(&self) -> String {
        match self {
            Error::Json { message, .. } => format!("invalid JSON: {message}"),
            Error::Toon(error) => error.message().to_owned(),
            Error::Io(error) => error.to_string(),
        }
    }

    fn toon_error(&self) -> Option<&toon::Error> {
        match self {
            Error::Toon(error) => Some(error),
            _ => None,
        }
    }
}

/// Options of [`JsonToToon`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct JsonToToonOptions {
    /// The TOON encoder's options, passed through as they are: indentation (default 2),
    /// delimiter (default comma), nesting limit.
    pub encode: EncodeOptions,
}

impl JsonToToonOptions {
    /// A stable fingerprint of every option (the same across runs and builds).
    pub fn key(&self) -> u64 {
        StableHasher::of_u64s(&[
            self.encode.indent() as u64,
            u64::from(self.encode.delimiter().as_byte()),
            self.encode.max_depth() as u64,
        ])
    }
}

/// The JSON → TOON converter of the [`toon::convert`] registry (`json-to-toon`).
#[derive(Debug, Clone, Default)]
pub struct JsonToToon {
    options: JsonToToonOptions,
}

impl JsonToToon {
    /// A converter with the given options.
    pub fn new(options: JsonToToonOptions) -> Self {
        JsonToToon { options }
    }

    /// Its options.
    pub fn options(&self) -> &JsonToToonOptions {
        &self.options
    }
}

impl Converter for JsonToToon {
    fn name(&self) -> &'static str {
        "json-to-toon"
    }

    fn source(&self) -> Format {
        Format::Json
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

/// Parses JSON text into a value that borrows every string without escapes from `json`.
pub fn parse(json: &str) -> Result<toon::Value<'_>, Error> {
    serde_json::from_str(json).map_err(|error| Error::json(json.as_bytes(), error))
}

/// [`parse`] for bytes not yet known to be UTF-8: ill-formed UTF-8 inside a string is a
/// JSON error at its line and column, as `serde_json::from_slice` reports it.
pub fn parse_slice(json: &[u8]) -> Result<toon::Value<'_>, Error> {
    serde_json::from_slice(json).map_err(|error| Error::json(json, error))
}

/// Converts JSON text to TOON text (ending with one newline).
pub fn convert(json: &str, options: &JsonToToonOptions) -> Result<String, Error> {
    let value = parse(json)?;
    let mut toon = toon::encode(&value, &options.encode)?;
    toon.push('\n');
    Ok(toon)
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use toon::Delimiter;

    use super::*;

    #[test]
    fn strings_without_escapes_are_borrowed() {
        let json = r#"{"plain":"abc","escaped":"a\nb"}"#;
        let value = parse(json).unwrap();
        assert!(matches!(
            value.get("plain"),
            Some(toon::Value::String(Cow::Borrowed("abc")))
        ));
        assert!(matches!(
            value.get("escaped"),
            Some(toon::Value::String(Cow::Owned(_)))
        ));
    }

    #[test]
    fn options_key_is_stable_and_distinguishes_options() {
        let default = JsonToToonOptions::default();
        assert_eq!(default.key(), JsonToToonOptions::default().key());
        let tab = JsonToToonOptions {
            encode: EncodeOptions::new().with_delimiter(Delimiter::Tab),
        };
        let indent = JsonToToonOptions {
            encode: EncodeOptions::new().with_indent(4),
        };
        assert_ne!(default.key(), tab.key());
        assert_ne!(default.key(), indent.key());
        assert_ne!(tab.key(), indent.key());
    }

    #[test]
    fn columns_count_characters() {
        let error = convert("{\"é\": x}", &JsonToToonOptions::default()).unwrap_err();
        assert_eq!(error.location(), Some((1, 7)));
        assert!(
            error
                .to_string()
                .starts_with("invalid JSON at 1:7: expected value")
        );
    }
}
