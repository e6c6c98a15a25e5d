//! # toon
//!
//! A spec-conformant (TOON v4.4), zero-copy encoder and decoder for TOON, the
//! Token-Oriented Object Notation: a line-oriented, indentation-based encoding of the
//! JSON data model that spends far fewer LLM tokens than JSON.
//!
//! ```
//! use toon::{DecodeOptions, EncodeOptions, Value};
//!
//! let json = r#"{"users":[{"id":1,"name":"Ada"},{"id":2,"name":"Bo"}]}"#;
//! let value: Value = serde_json::from_str(json).unwrap();
//! let text = toon::encode(&value, &EncodeOptions::default()).unwrap();
//! assert_eq!(text, "users[2]{id,name}:\n  1,Ada\n  2,Bo");
//! assert_eq!(toon::decode(&text, &DecodeOptions::default()).unwrap(), value);
//! ```
//!
//! Targets `toon-spec: 4.4`. Number policy: integers that fit `i64`/`u64` are exact;
//! other numbers are `f64`, written as ECMAScript `Number#toString` writes them (the
//! reference's output, exponent form outside [1e-6, 1e21)); a decoded number that
//! overflows `f64` (`1e400`) stays a string, one that underflows becomes `0`. Nesting is
//! limited to [`DEFAULT_MAX_DEPTH`] levels by default, in both directions.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod chunked;
pub mod convert;
pub mod de;
mod decode;
mod encode;
mod error;
mod number;
mod options;
pub mod path;
mod repair;
pub mod ser;
mod stream;
mod value;

pub use chunked::{ChunkDecoder, Part, Place};
pub use de::{Deserializer, from_reader, from_slice, from_str, from_str_with_options};
pub use decode::{Event, Position, decode, decode_slice};
pub use encode::{encode, encode_to_writer};
pub use error::{Category, Error, Result, snippet};
pub use options::{DEFAULT_MAX_DEPTH, DecodeOptions, Delimiter, EncodeOptions};
pub use repair::{
    Extracted, FoundIn, Repair, RepairOptions, Repaired, Truncated, extract, repair, repair_slice,
};
pub use ser::{
    Serializer, TranscodeError, to_string, to_string_with_options, to_value, to_vec,
    to_vec_with_options, to_writer, to_writer_with_options, transcode,
};
pub use stream::{
    Events, ReaderEvents, decode_each_event, decode_events, decode_reader_events, encode_each_line,
    encode_lines,
};
pub use value::{Map, MapBuilder, Number, Value, from_value};
