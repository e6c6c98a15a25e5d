//! # toon-to-json
//!
//! TOON → JSON. The TOON text is decoded (strict by default) into a [`toon::Value`] that
//! borrows its strings from the input, then written as JSON, compact or pretty:
//!
//! - key order is the document's order (a [`toon::Map`] keeps insertion order);
//! - integers that fit `i64`/`u64` are written exactly; other numbers are written as
//!   JavaScript's `JSON.stringify` writes them (`1` for `1.0`, `1e+21`, `1e-7`), through
//!   `ryu-js`;
//! - the output ends with one newline.
//!
//! With the same options the bytes are those of `toon decode` (and `toon decode --pretty`).
//!
//! ```
//! use toon_to_json::{ToonToJsonOptions, convert};
//!
//! let toon = "users[2]{id,name}:\n  1,Ada\n  2,Bo";
//! let json = convert(toon, &ToonToJsonOptions::default()).unwrap();
//! assert_eq!(json, "{\"users\":[{\"id\":1,\"name\":\"Ada\"},{\"id\":2,\"name\":\"Bo\"}]}\n");
//!
//! let pretty = ToonToJsonOptions { pretty: true, ..ToonToJsonOptions::default() };
//! assert_eq!(convert("a: 1.50", &pretty).unwrap(), "{\n  \"a\": 1.5\n}\n");
//! ```

use std::io;

use serde::Serialize as _;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};
use toon::DecodeOptions;
use toon::convert::{ConvertError, Converter, Format, Input, LocatedError, StableHasher};

/// What can go wrong converting TOON to JSON.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input is not valid TOON (with its line and column).
    #[error(transparent)]
    Toon(#[from] toon::Error),
    /// Reading the input failed.
    #[error(transparent)]
    Io(#[from] io::Error),
    /// Writing the JSON failed.
    #[error("writing JSON: {0}")]
    Json(#[from] serde_json::Error),
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

/// Options of [`ToonToJson`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ToonToJsonOptions {
    /// Indented JSON (one value per line) instead of one compact line. Default `false`.
    pub pretty: bool,
    /// Spaces per level of the pretty JSON (at least 1). Default 2.
    pub indent: usize,
    /// How the TOON input is read: its indentation, strict mode (on by default), nesting
    /// limit.
    pub decode: DecodeOptions,
}

impl Default for ToonToJsonOptions {
    fn default() -> Self {
        ToonToJsonOptions {
            pretty: false,
            indent: 2,
            decode: DecodeOptions::default(),
        }
    }
}

impl ToonToJsonOptions {
    /// A stable fingerprint of every option (the same across runs and builds).
    pub fn key(&self) -> u64 {
        StableHasher::of_u64s(&[
            u64::from(self.pretty),
            self.indent as u64,
            self.decode.indent() as u64,
            u64::from(self.decode.strict()),
            self.decode.max_depth() as u64,
        ])
    }
}

/// The TOON → JSON converter of the [`toon::convert`] registry (`toon-to-json`).
#[derive(Debug, Clone, Default)]
pub struct ToonToJson {
    options: ToonToJsonOptions,
}

impl ToonToJson {
    /// A converter with the given options.
    pub fn new(options: ToonToJsonOptions) -> Self {
        ToonToJson { options }
    }

    /// Its options.
    pub fn options(&self) -> &ToonToJsonOptions {
        &self.options
    }
}

impl Converter for ToonToJson {
    fn name(&self) -> &'static str {
        "toon-to-json"
    }

    fn source(&self) -> Format {
        Format::Toon
    }

    fn target(&self) -> Format {
        Format::Json
    }

    fn options_key(&self) -> u64 {
        self.options.key()
    }

    fn convert(&self, input: Input<'_>) -> Result<String, ConvertError> {
        let text = input.read_text()?;
        Ok(convert(&text, &self.options)?)
    }
}

/// Converts TOON text to JSON text (ending with one newline).
pub fn convert(toon: &str, options: &ToonToJsonOptions) -> Result<String, Error> {
    let value = toon::decode(toon, &options.decode)?;
    to_json(&value, options)
}

/// Writes a value as JSON text (ending with one newline), as [`convert`] does.
pub fn to_json(value: &toon::Value<'_>, options: &ToonToJsonOptions) -> Result<String, Error> {
    let mut out = Vec::with_capacity(128);
    to_writer(value, options, &mut out)?;
    // serde_json writes only UTF-8 (every string it is given is a `str`).
    String::from_utf8(out).map_err(|_| Error::Options("JSON output is not UTF-8"))
}

/// Writes a value as JSON text (ending with one newline) into `writer`, as [`convert`]
/// does: what `toon decode` streams to its output.
pub fn to_writer<W: io::Write>(
    value: &toon::Value<'_>,
    options: &ToonToJsonOptions,
    mut writer: W,
) -> Result<(), Error> {
    if options.pretty {
        if options.indent == 0 {
            return Err(Error::Options("indent must be at least 1"));
        }
        let indent = vec![b' '; options.indent];
        let formatter = JsNumbers(PrettyFormatter::with_indent(&indent));
        value.serialize(&mut serde_json::Serializer::with_formatter(
            &mut writer,
            formatter,
        ))?;
    } else {
        let formatter = JsNumbers(CompactFormatter);
        value.serialize(&mut serde_json::Serializer::with_formatter(
            &mut writer,
            formatter,
        ))?;
    }
    writer.write_all(b"\n")?;
    Ok(())
}

/// Wraps a `serde_json` formatter (compact or pretty), replacing only how floats are
/// written: ECMAScript `Number#toString`, through `ryu-js`, as `toon decode` writes them.
struct JsNumbers<F>(F);

impl<F: Formatter> Formatter for JsNumbers<F> {
    /// `serde_json` writes `null` for NaN and infinities before ever calling this.
    fn write_f64<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        writer.write_all(ryu_js::Buffer::new().format_finite(value).as_bytes())
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_array(writer)
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object(writer)
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(writer, first)
    }

    fn end_object_key<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_key(writer)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_value(writer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_key_is_stable_and_distinguishes_options() {
        let default = ToonToJsonOptions::default();
        assert_eq!(default.key(), ToonToJsonOptions::default().key());
        let pretty = ToonToJsonOptions {
            pretty: true,
            ..default
        };
        assert_ne!(default.key(), pretty.key());
        let indent = ToonToJsonOptions {
            indent: 4,
            ..default
        };
        assert_ne!(default.key(), indent.key());
        let lax = ToonToJsonOptions {
            decode: DecodeOptions::new().with_strict(false),
            ..default
        };
        assert_ne!(default.key(), lax.key());
    }

    #[test]
    fn floats_read_like_javascript() {
        let json = convert(
            "[9]: 1.0,1000.0,0.5,2.5e21,1e-7,0.000001,-0.0,3,-7",
            &ToonToJsonOptions::default(),
        )
        .unwrap();
        assert_eq!(json, "[1,1000,0.5,2.5e+21,1e-7,0.000001,0,3,-7]\n");
    }

    #[test]
    fn pretty_indent_zero_is_an_error() {
        let options = ToonToJsonOptions {
            pretty: true,
            indent: 0,
            ..ToonToJsonOptions::default()
        };
        assert!(matches!(convert("a: 1", &options), Err(Error::Options(_))));
    }
}
