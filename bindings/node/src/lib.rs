//! The native half of the Node package `toon-node`: napi glue between JavaScript and the
//! `toon` crate, its token counter and its converters. `toon.js` wraps it into the
//! public API (the reference's names, `ToonDecodeError`, the async forms); the loader
//! `index.js` and the types `index.d.ts` are generated from this crate by `napi build`.

mod chunks;
mod codec;
mod convert;
mod error;
mod events;
mod metrics;
mod options;
mod prompt;
mod repair;
mod text;
mod tokens;
mod walk;

// Everything `#[napi]` exports is re-exported here: the addon registers it either way,
// but without a path from the crate root rustc would call it unreachable (and, in the
// test build, dead).
pub use chunks::ChunkDecoder;
pub use codec::{
    DecodeJsonTask, EncodeBytesTask, EncodeJsonTask, JsonBuffer, decode_to_json,
    decode_to_json_async, decode_value, encode_json, encode_json_async, encode_stringified,
    encode_value,
};
pub use convert::{
    ConvertTask, ConverterInfo, convert, convert_async, convert_file, convert_file_async,
    converters,
};
pub use error::{Failure, Outcome};
pub use events::EventStream;
pub use metrics::{install_metrics, metrics_text};
pub use options::{ChunkOptions, DecodeOptions, EncodeOptions, RepairOptions};
pub use prompt::{
    Candidate, Choice, Cut, EncodeAutoOptions, FitOptions, Fitted, Section, Template,
    TemplateOptions, Violation, encode_auto, encode_sections, fit_to_budget,
};
pub use repair::{RepairCut, RepairFix, RepairOutcome, repair};
pub use tokens::{
    CountTask, RedisStats, Savings, TokenCacheStats, TokenCounter, TokenCounterOptions,
    count_tokens, count_tokens_async,
};

/// The version of this package (and of the `toon` crate it was built with).
#[napi_derive::napi]
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
