//! Conversions between TOON and other formats behind one trait.
//!
//! A [`Converter`] turns an [`Input`] of one [`Format`] into text of another and fails
//! with a [`ConvertError`]. The converters live in their own crates (`toon-to-markdown`,
//! `json-to-toon`, ...), each depending only on this codec; the registry that finds them
//! by format or extension, routes through TOON, caches and measures them is the
//! `toon-convert` crate.

mod error;
mod fingerprint;
mod format;

use std::borrow::Cow;
use std::path::Path;

pub use error::{ConvertError, LocatedError};
pub use fingerprint::StableHasher;
pub use format::Format;

/// What a converter reads: bytes in memory, or a path (a file, or a directory for
/// sources such as a git checkpoint).
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    /// The document's bytes.
    Bytes(&'a [u8]),
    /// A file or directory on disk.
    Path(&'a Path),
}

impl<'a> Input<'a> {
    /// The bytes of the input, reading the file for a path.
    pub fn read(&self) -> std::io::Result<Cow<'a, [u8]>> {
        match *self {
            Input::Bytes(bytes) => Ok(Cow::Borrowed(bytes)),
            Input::Path(path) => std::fs::read(path).map(Cow::Owned),
        }
    }

    /// The input as UTF-8 text; ill-formed UTF-8 is an error with its line and column.
    pub fn read_text(&self) -> Result<Cow<'a, str>, ConvertError> {
        match self.read()? {
            Cow::Borrowed(bytes) => Ok(Cow::Borrowed(crate::decode::utf8(bytes)?)),
            Cow::Owned(bytes) => match String::from_utf8(bytes) {
                Ok(text) => Ok(Cow::Owned(text)),
                Err(e) => Err(crate::decode::utf8(e.as_bytes()).err().map_or_else(
                    || ConvertError::msg("input is not valid UTF-8"),
                    ConvertError::from,
                )),
            },
        }
    }

    /// The path, when the input is one.
    pub fn path(&self) -> Option<&'a Path> {
        match *self {
            Input::Path(path) => Some(path),
            Input::Bytes(_) => None,
        }
    }
}

/// Converts documents of one format into another.
///
/// Implementations hold their options; [`Converter::options_key`] must change whenever
/// an option that affects the output changes, because it is part of a cache key (build it
/// with a [`StableHasher`]).
pub trait Converter: Send + Sync {
    /// A short, unique, stable name (`toon-to-markdown`).
    fn name(&self) -> &'static str;

    /// The format it reads.
    fn source(&self) -> Format;

    /// The format it writes.
    fn target(&self) -> Format;

    /// A stable fingerprint of the options that affect the output.
    fn options_key(&self) -> u64 {
        0
    }

    /// Whether the output depends only on the input bytes and options, so it may be
    /// cached. A live source such as a git repository is not.
    fn cacheable(&self) -> bool {
        true
    }

    /// Converts one input.
    fn convert(&self, input: Input<'_>) -> Result<String, ConvertError>;
}
