//! The chunk decoder behind `streamRows` / `rowStream`: TOON fed in chunks of any size
//! (`toon::ChunkDecoder`); each call returns the parts its complete lines finish as
//! one JSON array (one `JSON.parse` per chunk rather than one napi object per part).

use napi::bindgen_prelude::Either;
use napi::bindgen_prelude::Uint8Array;
use napi::{Env, Result};
use napi_derive::napi;

use crate::error::Failure;
use crate::options::ChunkOptions;
use crate::repair::{RepairOutcome, outcome, value_json};

/// TOON read as it arrives.
#[napi]
pub struct ChunkDecoder {
    decoder: Option<toon::ChunkDecoder>,
    /// What is missing when the text ended early, for `throwIfCut`.
    cut: Option<toon::Truncated>,
}

#[napi]
impl ChunkDecoder {
    /// A decoder with `options`.
    #[napi(constructor)]
    pub fn new(options: Option<ChunkOptions>) -> Result<Self> {
        Ok(ChunkDecoder {
            decoder: Some(ChunkOptions::to_core(options.as_ref())?),
            cut: None,
        })
    }

    /// Reads a chunk (a string, or bytes split anywhere); the parts it finishes as a
    /// JSON array of `{path, parent, index, key, value}`.
    #[napi]
    pub fn feed(&mut self, env: &Env, chunk: Either<String, Uint8Array>) -> Result<String> {
        let decoder = self.decoder.as_mut().ok_or_else(finished)?;
        let bytes: &[u8] = match &chunk {
            Either::A(text) => text.as_bytes(),
            Either::B(bytes) => bytes,
        };
        let mut parts = Parts::new(env);
        decoder
            .feed(bytes, |part| parts.push(part))
            .map_err(|e| Failure::decode(&e).into_js(env))?;
        parts.done()
    }

    /// Ends the text: the last parts (as `feed`'s) and what was read.
    #[napi]
    pub fn finish(&mut self, env: &Env) -> Result<ChunkEnd> {
        let decoder = self.decoder.take().ok_or_else(finished)?;
        let mut parts = Parts::new(env);
        let end = decoder
            .finish(|part| parts.push(part))
            .map_err(|e| Failure::decode(&e).into_js(env))?;
        self.cut = end.truncated.clone();
        Ok(ChunkEnd {
            parts: parts.done()?,
            outcome: outcome(env, end)?,
        })
    }

    /// After `finish`: throws the `truncated` decode error when the text ended early.
    #[napi]
    pub fn throw_if_cut(&self, env: &Env) -> Result<()> {
        match &self.cut {
            Some(cut) => Err(Failure::decode(&cut.to_error()).into_js(env)),
            None => Ok(()),
        }
    }
}

/// The end of a chunked text.
#[napi(object)]
pub struct ChunkEnd {
    /// The parts the end finished, as JSON.
    pub parts: String,
    /// The value, fixes and cut.
    pub outcome: RepairOutcome,
}

fn finished() -> napi::Error {
    napi::Error::new(napi::Status::InvalidArg, "the decoder has finished")
}

/// Writes parts as one JSON array; the first conversion error is kept for the end.
struct Parts<'e> {
    env: &'e Env,
    json: String,
    error: Option<napi::Error>,
}

impl<'e> Parts<'e> {
    fn new(env: &'e Env) -> Self {
        Parts {
            env,
            json: String::from("["),
            error: None,
        }
    }

    fn push(&mut self, part: toon::Part<'_>) {
        if self.error.is_some() {
            return;
        }
        let value = match value_json(self.env, part.value) {
            Ok(value) => value,
            Err(error) => {
                self.error = Some(error);
                return;
            }
        };
        let (index, key) = match part.place {
            toon::Place::Index(index) => (index.to_string(), "null".to_owned()),
            toon::Place::Key(key) => ("null".to_owned(), json_string(key)),
        };
        if self.json.len() > 1 {
            self.json.push(',');
        }
        self.json.push_str(&format!(
            r#"{{"path":{},"parent":{},"index":{index},"key":{key},"value":{value}}}"#,
            json_string(&part.path()),
            json_string(part.parent),
        ));
    }

    fn done(mut self) -> Result<String> {
        if let Some(error) = self.error {
            return Err(error);
        }
        self.json.push(']');
        Ok(self.json)
    }
}

fn json_string(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}
