//! How Rust errors cross into JavaScript. napi turns an `Error` into a JS `Error` whose
//! message is the reason, on the sync path and in rejected promises alike, so the reason
//! starts with a tag: `[CODE LINE:COLUMN:CATEGORY] message` (line and column 0 when
//! unknown).
//! `toon.js` parses the tag to throw a `ToonDecodeError` (or a `SyntaxError` for bad
//! JSON) with `line`, `column` and `source` properties; the tag never reaches its users.

use napi::{Error, Status};
use toon::Category;

/// Tag of a TOON decode error (`ToonDecodeError` in `toon.js`).
const DECODE: &str = "TOON_DECODE_ERROR";
/// Tag of an encode error (the nesting limit).
const ENCODE: &str = "TOON_ENCODE_ERROR";
/// Tag of invalid JSON text given to `encodeJson`.
const JSON: &str = "TOON_JSON_ERROR";
/// Tag of a failed conversion.
const CONVERT: &str = "TOON_CONVERT_ERROR";

/// A tagged error; `line` 0 means "no location".
fn tagged(code: &str, line: usize, column: usize, category: &str, message: &str) -> Error {
    let reason = format!("[{code} {line}:{column}:{category}] {message}");
    Error::new(Status::GenericFailure, reason)
}

/// An invalid argument (`TypeError` in `toon.js`).
pub(crate) fn invalid_arg(message: impl Into<String>) -> Error {
    Error::new(Status::InvalidArg, message.into())
}

/// A failed decode.
pub(crate) fn decode(error: &toon::Error) -> Error {
    if error.category() == Category::Options {
        return invalid_arg(error.message());
    }
    let category = error.category().as_str();
    tagged(
        DECODE,
        error.line(),
        error.column(),
        category,
        error.message(),
    )
}

/// A failed encode: bad options are invalid arguments, anything else (the nesting
/// limit) an encode error.
pub(crate) fn encode(error: &toon::Error) -> Error {
    if error.category() == Category::Options {
        return invalid_arg(error.message());
    }
    let category = error.category().as_str();
    tagged(ENCODE, 0, 0, category, &error.to_string())
}

/// Invalid JSON text given to `encodeJson`, located when the parser knows where.
pub(crate) fn json(error: &json_to_toon::Error) -> Error {
    match error {
        json_to_toon::Error::Json {
            message,
            line,
            column,
            ..
        } => tagged(JSON, *line, *column, "json", message),
        json_to_toon::Error::Toon(e) => encode(e),
        other => tagged(ENCODE, 0, 0, "other", &other.to_string()),
    }
}

/// A failed conversion, located when the converter knows where.
pub(crate) fn convert(error: &toon_convert::ConvertError) -> Error {
    let (line, column) = error.location().unwrap_or((0, 0));
    tagged(CONVERT, line, column, "convert", &error.to_string())
}

/// A value nested deeper than the encoder's limit.
pub(crate) fn encode_depth(max_depth: usize) -> Error {
    let message = format!("value nested deeper than {max_depth} levels");
    tagged(ENCODE, 0, 0, "limit", &message)
}
