//! The option objects of the JavaScript API and their translation into the core's
//! `EncodeOptions` / `DecodeOptions`, with the reference's names (`indentSize`, and the
//! deprecated `indent` it still accepts) and its defaults.

use napi::{Error, Result, Status};
use napi_derive::napi;
use toon::Delimiter;

/// Options of `encode`, `encodeJson`, `encodeLines` and their async forms.
#[napi(object)]
#[derive(Debug, Default, Clone)]
pub struct EncodeOptions {
    /// Spaces per indentation level (default 2, at least 1).
    pub indent_size: Option<f64>,
    /// Deprecated alias of `indentSize` (the reference still accepts it); `indentSize`
    /// wins when both are given.
    pub indent: Option<f64>,
    /// The array delimiter: `","` (default), `"\t"` or `"|"`.
    pub delimiter: Option<String>,
}

/// Options of `decode`, `decodeToJson`, the event streams and their async forms.
#[napi(object)]
#[derive(Debug, Default, Clone)]
pub struct DecodeOptions {
    /// Spaces per indentation level (default 2, at least 1).
    pub indent_size: Option<f64>,
    /// Deprecated alias of `indentSize`; `indentSize` wins when both are given.
    pub indent: Option<f64>,
    /// Reject counts, widths, indentation and blank lines that break the spec (default
    /// `true`).
    pub strict: Option<bool>,
}

/// The indentation of either option set: `indentSize`, else `indent`, else 2.
pub(crate) fn indent(indent_size: Option<f64>, indent: Option<f64>) -> Result<usize> {
    let Some(size) = indent_size.or(indent) else {
        return Ok(2);
    };
    // A fractional, negative, zero or absurd width would produce a document no decoder
    // reads back; the reference does not check, we do.
    if size.fract() != 0.0 || !(1.0..=1024.0).contains(&size) {
        return Err(Error::new(
            Status::InvalidArg,
            format!("indentSize must be an integer from 1 to 1024, got {size}"),
        ));
    }
    Ok(size as usize)
}

/// The delimiter named by `text` (`,`, a tab, `|`, or `comma`, `tab`, `pipe`); anything
/// else is an `InvalidArg`.
pub(crate) fn delimiter(text: &str) -> Result<Delimiter> {
    text.parse()
        .map_err(|e: toon::Error| Error::new(Status::InvalidArg, format!("Invalid delimiter: {e}")))
}

impl EncodeOptions {
    /// The core's options; an unknown delimiter or a bad indentation is an `InvalidArg`.
    pub(crate) fn to_core(options: Option<&EncodeOptions>) -> Result<toon::EncodeOptions> {
        let Some(options) = options else {
            return Ok(toon::EncodeOptions::default());
        };
        let mut core =
            toon::EncodeOptions::new().with_indent(indent(options.indent_size, options.indent)?);
        if let Some(text) = &options.delimiter {
            core = core.with_delimiter(delimiter(text)?);
        }
        Ok(core)
    }
}

impl DecodeOptions {
    /// The core's options; a bad indentation is an `InvalidArg`.
    pub(crate) fn to_core(options: Option<&DecodeOptions>) -> Result<toon::DecodeOptions> {
        let Some(options) = options else {
            return Ok(toon::DecodeOptions::default());
        };
        Ok(toon::DecodeOptions::new()
            .with_indent(indent(options.indent_size, options.indent)?)
            .with_strict(options.strict.unwrap_or(true)))
    }
}

/// Options of `repair`.
#[napi(object)]
#[derive(Debug, Default, Clone)]
pub struct RepairOptions {
    /// Spaces per indentation level the TOON was asked for (default 2, at least 1).
    pub indent_size: Option<f64>,
    /// Deprecated alias of `indentSize`; `indentSize` wins when both are given.
    pub indent: Option<f64>,
    /// Read the n-th code fence of the reply (0-based), whatever its label.
    pub fence: Option<u32>,
}

impl RepairOptions {
    /// The core's options; a bad indentation is an `InvalidArg`.
    pub(crate) fn to_core(options: Option<&RepairOptions>) -> Result<toon::RepairOptions> {
        let Some(options) = options else {
            return Ok(toon::RepairOptions::new());
        };
        let decode =
            toon::DecodeOptions::new().with_indent(indent(options.indent_size, options.indent)?);
        Ok(toon::RepairOptions::new()
            .with_decode(decode)
            .with_fence(options.fence.map(|n| n as usize)))
    }
}

/// Options of `streamRows` and `rowStream`.
#[napi(object)]
#[derive(Debug, Default, Clone)]
pub struct ChunkOptions {
    /// Spaces per indentation level (default 2, at least 1).
    pub indent_size: Option<f64>,
    /// Deprecated alias of `indentSize`; `indentSize` wins when both are given.
    pub indent: Option<f64>,
    /// As in `decode` (default `true`); ignored with `repair`.
    pub strict: Option<bool>,
    /// Read a model's reply as `repair` does, reporting each fix (default `false`).
    pub repair: Option<bool>,
    /// Keep rows in the final value once handed out (default `true`).
    pub keep_rows: Option<bool>,
}

impl ChunkOptions {
    /// The core's chunk decoder for these options; a bad indentation is an `InvalidArg`.
    pub(crate) fn to_core(options: Option<&ChunkOptions>) -> Result<toon::ChunkDecoder> {
        let defaults = ChunkOptions::default();
        let options = options.unwrap_or(&defaults);
        let decode = toon::DecodeOptions::new()
            .with_indent(indent(options.indent_size, options.indent)?)
            .with_strict(options.strict.unwrap_or(true));
        let decoder = if options.repair.unwrap_or(false) {
            toon::ChunkDecoder::repairing(&decode)
        } else {
            toon::ChunkDecoder::new(&decode)
        }
        .map_err(|e| Error::new(Status::InvalidArg, e.to_string()))?;
        Ok(decoder.keep_rows(options.keep_rows.unwrap_or(true)))
    }
}
