//! The standard registry of `toon-convert`, with an output cache (formats without a
//! direct converter go through TOON):
//! `convert` for text or bytes in memory, `convertFile` for a file or (for the
//! checkpoint converter) a git work tree, both also on the thread pool.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use napi::bindgen_prelude::{AsyncTask, Buffer, Either};
use napi::{Env, Result, Task};
use napi_derive::napi;
use toon_convert::{ConverterRegistry, Format, Input, StandardOptions, standard_registry};

use crate::error::{self, Failure, Outcome};

/// Bytes of converted outputs kept by the registry's cache.
const CACHE_BYTES: u64 = 64 << 20;

/// The process-wide standard registry, every converter at its default options.
fn registry() -> &'static ConverterRegistry {
    static REGISTRY: OnceLock<ConverterRegistry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut options = StandardOptions::default();
        options.cache_bytes = Some(CACHE_BYTES);
        standard_registry(&options)
    })
}

/// A format from its name (`toon`, `json`, `md`/`markdown`, `pdf`, `checkpoint`).
fn format(name: &str) -> Result<Format> {
    Format::from_name(name).ok_or_else(|| {
        error::invalid_arg(format!(
            "unknown format {name:?}: expected toon, json, md, pdf or checkpoint"
        ))
    })
}

/// One converter of the registry.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct ConverterInfo {
    /// Its unique name (`toon-to-markdown`).
    pub name: String,
    /// The format it reads.
    pub from: String,
    /// The format it writes.
    pub to: String,
}

/// Every available converter.
#[napi]
pub fn converters() -> Vec<ConverterInfo> {
    registry()
        .converters()
        .map(|c| ConverterInfo {
            name: c.name().to_owned(),
            from: c.source().name().to_owned(),
            to: c.target().name().to_owned(),
        })
        .collect()
}

/// What a conversion reads.
enum Source {
    Bytes(Vec<u8>),
    Path(PathBuf),
}

/// One conversion, runnable here or on the thread pool.
pub struct ConvertTask {
    source: Source,
    from: Format,
    to: Format,
}

impl ConvertTask {
    fn run(&self) -> Outcome<String> {
        let (input, bytes) = match &self.source {
            Source::Bytes(bytes) => (Input::Bytes(bytes), Some(bytes.as_slice())),
            Source::Path(path) => (Input::Path(path), None),
        };
        registry()
            .convert(self.from, self.to, input)
            .map(|output| output.to_string())
            .map_err(|e| Failure::convert(&e, bytes))
    }

    fn in_memory(input: Either<String, Buffer>, from: &str, to: &str) -> Result<Self> {
        let bytes = match input {
            Either::A(text) => text.into_bytes(),
            Either::B(buffer) => buffer.to_vec(),
        };
        Ok(ConvertTask {
            source: Source::Bytes(bytes),
            from: format(from)?,
            to: format(to)?,
        })
    }

    fn file(path: String, to: &str, from: Option<&str>) -> Result<Self> {
        let path = PathBuf::from(path);
        let from = match from {
            Some(name) => format(name)?,
            None => Format::from_path(Path::new(&path)).ok_or_else(|| {
                error::invalid_arg(format!(
                    "cannot tell the format of {}: pass `from`",
                    path.display()
                ))
            })?,
        };
        Ok(ConvertTask {
            source: Source::Path(path),
            from,
            to: format(to)?,
        })
    }
}

impl Task for ConvertTask {
    type Output = Outcome<String>;
    type JsValue = String;

    fn compute(&mut self) -> Result<Outcome<String>> {
        Ok(self.run())
    }

    fn resolve(&mut self, env: Env, output: Outcome<String>) -> Result<String> {
        output.map_err(|f| f.into_js(&env))
    }
}

/// Converts text or bytes from format `from` to format `to` (see `converters()`).
#[napi]
pub fn convert(
    env: &Env,
    input: Either<String, Buffer>,
    from: String,
    to: String,
) -> Result<String> {
    ConvertTask::in_memory(input, &from, &to)?
        .run()
        .map_err(|f| f.into_js(env))
}

/// `convert` off the JS thread.
#[napi(ts_return_type = "Promise<string>")]
pub fn convert_async(
    input: Either<String, Buffer>,
    from: String,
    to: String,
) -> Result<AsyncTask<ConvertTask>> {
    Ok(AsyncTask::new(ConvertTask::in_memory(input, &from, &to)?))
}

/// Converts a file (or, for `checkpoint`, a git work tree) to format `to`; the source
/// format comes from the extension unless `from` is given.
#[napi]
pub fn convert_file(env: &Env, path: String, to: String, from: Option<String>) -> Result<String> {
    ConvertTask::file(path, &to, from.as_deref())?
        .run()
        .map_err(|f| f.into_js(env))
}

/// `convertFile` off the JS thread.
#[napi(ts_return_type = "Promise<string>")]
pub fn convert_file_async(
    path: String,
    to: String,
    from: Option<String>,
) -> Result<AsyncTask<ConvertTask>> {
    Ok(AsyncTask::new(ConvertTask::file(
        path,
        &to,
        from.as_deref(),
    )?))
}
