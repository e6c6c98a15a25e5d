//! # toon-convert
//!
//! Every converter of the workspace behind one [`ConverterRegistry`]: lookup by formats
//! or file extension, routes through TOON when no converter links two formats directly
//! (Markdown → JSON is Markdown → TOON → JSON), an output cache keyed by a stable hash of
//! (converter, options, input), parallel batches in which one failure (or panic) sinks
//! nothing else, and `metrics` counters: `toon_conversions_total{source,target,outcome}`
//! (outcome `ok`, `cached`, `error`), the histogram
//! `toon_conversion_duration_seconds{source,target}`, and the output cache's lookups
//! `toon_conversion_cache_hits_total{tier}` / `toon_conversion_cache_misses_total{tier}`
//! (`tier` `local`, or `redis` for lookups Redis answered).
//!
//! With feature `redis`, [`ConverterRegistry::with_redis`] (or
//! [`StandardOptions::redis`]) puts the Redis tier of `toon-tokens` below the output
//! cache: outputs are shared between processes under `toon:conv:v1:<32 hex digits>`.
//!
//! [`standard_registry`] is the one place the standard set is assembled: the CLI, the
//! Python package and the Node package all call it, so they convert the same way.
//!
//! ```
//! use toon_convert::{Format, Input, StandardOptions, standard_registry};
//!
//! let registry = standard_registry(&StandardOptions::default());
//! let json = registry
//!     .convert(Format::Markdown, Format::Json, Input::Bytes(b"# Notes\n\nHello.\n"))
//!     .unwrap();
//! assert!(json.starts_with('{'));
//! ```
//!
//! The [`Converter`] trait, [`Format`], [`Input`] and [`ConvertError`] belong to the
//! codec crate (`toon::convert`) so that a converter crate depends on the codec alone;
//! they are re-exported here.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod cache;
mod registry;
mod standard;

pub use cache::{CacheStats, ConversionCache};
#[cfg(feature = "redis")]
pub use registry::REDIS_KEY_VERSION;
pub use registry::{BatchJob, ConverterRegistry};
pub use standard::{StandardOptions, standard_registry};
pub use toon::convert::{ConvertError, Converter, Format, Input, LocatedError, StableHasher};
