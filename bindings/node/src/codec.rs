//! Encoding and decoding across the boundary. Values cross as JSON text: `toon.js`
//! calls `JSON.stringify` / `JSON.parse`, which V8 runs far faster than napi can visit
//! or build a value property by property (see `bench/boundary.js` and docs/node.md);
//! `encodeValue` is the property-by-property path, kept for what JSON cannot express.

use napi::bindgen_prelude::{AsyncTask, Buffer, Either, Latin1String, Unknown, Utf16String};
use napi::{Env, JsString, Result, Task};
use napi_derive::napi;

use crate::error::{self, Failure, Outcome};
use crate::options::{DecodeOptions, EncodeOptions};
use crate::text::{js_string, rust_string, utf8_of};
use crate::walk::Walker;

/// A task's string result made ready on the pool, so that resolving it on the JS thread
/// is a copy: Latin-1 when it is ASCII, else UTF-16. (Handing V8 UTF-8 makes it decode
/// there: 1.7 ms for 3.6 MB of TOON, against 0.4 ms as Latin-1.)
type ReadyString = Either<Latin1String, Utf16String>;

fn ready(text: String) -> ReadyString {
    if text.is_ascii() {
        return Either::A(Latin1String::from(text));
    }
    let mut units = vec![0; text.len()];
    let len = encoding_rs::mem::convert_str_to_utf16(&text, &mut units);
    units.truncate(len);
    Either::B(Utf16String::from(units))
}

/// Encodes JSON text as TOON.
fn encode_json_text(json: &str, options: &toon::EncodeOptions) -> Outcome<String> {
    let value = json_to_toon::parse(json).map_err(|e| Failure::json(&e, json))?;
    toon::encode(&value, options).map_err(|e| Failure::encode(&e))
}

/// Encodes JSON text that `JSON.stringify` wrote from a JS value, straight to TOON
/// (`toon::transcode`: no value is built). Such text never repeats a key within an
/// object, which is what lets it skip the JSON.parse rule (the last of repeated keys
/// wins) that [`encode_json_text`] keeps for text from elsewhere. A JSON error is
/// reported by the value path, with its line and column.
fn encode_stringified_text(json: &str, options: &toon::EncodeOptions) -> Outcome<String> {
    let mut reader = serde_json::Deserializer::from_str(json);
    match toon::transcode(&mut reader, options) {
        Ok(text) if reader.end().is_ok() => Ok(text),
        Err(toon::TranscodeError::Encode(e)) => Err(Failure::encode(&e)),
        _ => encode_json_text(json, options),
    }
}

/// Decodes TOON text into compact JSON text, numbers written as `JSON.stringify` writes
/// them (the TOON → JSON converter's output without its final newline).
fn decode_json_text(text: &str, options: &toon::DecodeOptions) -> Outcome<String> {
    let value = toon::decode(text, options).map_err(|e| Failure::decode(&e))?;
    let json_options = toon_to_json::ToonToJsonOptions {
        decode: *options,
        ..Default::default()
    };
    // Writing a decoded value cannot fail (keys are strings, numbers are finite); were
    // it to, it would be an I/O-like failure of the writer.
    let mut json = toon_to_json::to_json(&value, &json_options)
        .map_err(|e| Failure::encode(&toon::Error::from(std::io::Error::other(e))))?;
    json.pop();
    Ok(json)
}

/// Encodes JSON text (as `JSON.stringify` writes it) as TOON, without building a JS
/// value. Invalid JSON throws with its line and column.
#[napi]
pub fn encode_json<'env>(
    env: &'env Env,
    json: JsString<'_>,
    options: Option<EncodeOptions>,
) -> Result<JsString<'env>> {
    let options = EncodeOptions::to_core(options.as_ref())?;
    let toon = encode_json_text(&rust_string(json)?, &options).map_err(|f| f.into_js(env))?;
    js_string(env, &toon)
}

/// `encodeJson` for text that `JSON.stringify` wrote (what `encode(value)` sends): the
/// same result, without building a value.
#[napi]
pub fn encode_stringified<'env>(
    env: &'env Env,
    json: JsString<'_>,
    options: Option<EncodeOptions>,
) -> Result<JsString<'env>> {
    let options = EncodeOptions::to_core(options.as_ref())?;
    let toon =
        encode_stringified_text(&rust_string(json)?, &options).map_err(|f| f.into_js(env))?;
    js_string(env, &toon)
}

/// Decodes TOON text into JSON text (what `JSON.stringify(decode(text))` gives, up to
/// number spelling), without building a JS value.
#[napi]
pub fn decode_to_json<'env>(
    env: &'env Env,
    text: JsString<'_>,
    options: Option<DecodeOptions>,
) -> Result<JsString<'env>> {
    let options = DecodeOptions::to_core(options.as_ref())?;
    let json = decode_json_text(&rust_string(text)?, &options).map_err(|f| f.into_js(env))?;
    js_string(env, &json)
}

/// Encodes a JS value read property by property, normalized as the reference does
/// (`toJSON`, `Map`, `Set`, `BigInt`, `undefined` → `null`).
#[napi]
pub fn encode_value(env: &Env, value: Unknown, options: Option<EncodeOptions>) -> Result<String> {
    let options = EncodeOptions::to_core(options.as_ref())?;
    let value = Walker::new(env, options.max_depth())?.walk(value, 0)?;
    toon::encode(&value, &options).map_err(|e| Failure::encode(&e).into_js(env))
}

/// `encodeJson` on the libuv thread pool. Its argument arrives as the JS string's UTF-16
/// units, copied on the JS thread, and is transcoded here on the pool: for 6.3 MB of
/// JSON the transcoding was 2.3 of the 5.2 ms the call held the JS thread
/// (bench/stall.js).
pub struct EncodeJsonTask {
    json: Utf16String,
    options: toon::EncodeOptions,
}

impl Task for EncodeJsonTask {
    type Output = Outcome<ReadyString>;
    type JsValue = ReadyString;

    fn compute(&mut self) -> Result<Outcome<ReadyString>> {
        // The units are freed here rather than on the JS thread with the task.
        let json = utf8_of(&std::mem::replace(&mut self.json, Vec::new().into()));
        Ok(encode_json_text(&json, &self.options).map(ready))
    }

    fn resolve(&mut self, env: Env, output: Outcome<ReadyString>) -> Result<ReadyString> {
        output.map_err(|f| f.into_js(&env))
    }
}

/// `encode` of gathered JSON text on the libuv thread pool, resolving to the UTF-8 bytes
/// of the TOON text.
pub struct EncodeBytesTask {
    json: String,
    options: toon::EncodeOptions,
}

impl Task for EncodeBytesTask {
    type Output = Outcome<Vec<u8>>;
    type JsValue = Buffer;

    fn compute(&mut self) -> Result<Outcome<Vec<u8>>> {
        // The text was gathered from a JS value by `encodeAsync`: no repeated keys.
        Ok(encode_stringified_text(&self.json, &self.options).map(String::into_bytes))
    }

    fn resolve(&mut self, env: Env, output: Outcome<Vec<u8>>) -> Result<Buffer> {
        output.map(Buffer::from).map_err(|f| f.into_js(&env))
    }
}

/// `decodeToJson` on the libuv thread pool, its argument transcoded here as
/// [`EncodeJsonTask`]'s is.
pub struct DecodeJsonTask {
    text: Utf16String,
    options: toon::DecodeOptions,
}

impl Task for DecodeJsonTask {
    type Output = Outcome<ReadyString>;
    type JsValue = ReadyString;

    fn compute(&mut self) -> Result<Outcome<ReadyString>> {
        let text = utf8_of(&std::mem::replace(&mut self.text, Vec::new().into()));
        Ok(decode_json_text(&text, &self.options).map(ready))
    }

    fn resolve(&mut self, env: Env, output: Outcome<ReadyString>) -> Result<ReadyString> {
        output.map_err(|f| f.into_js(&env))
    }
}

/// `encodeJson` off the JS thread: resolves to the TOON text.
#[napi(ts_return_type = "Promise<string>")]
pub fn encode_json_async(
    json: Utf16String,
    options: Option<EncodeOptions>,
) -> Result<AsyncTask<EncodeJsonTask>> {
    let options = EncodeOptions::to_core(options.as_ref())?;
    Ok(AsyncTask::new(EncodeJsonTask { json, options }))
}

/// `decodeToJson` off the JS thread: resolves to the JSON text.
#[napi(ts_return_type = "Promise<string>")]
pub fn decode_to_json_async(
    text: Utf16String,
    options: Option<DecodeOptions>,
) -> Result<AsyncTask<DecodeJsonTask>> {
    let options = DecodeOptions::to_core(options.as_ref())?;
    Ok(AsyncTask::new(DecodeJsonTask { text, options }))
}

/// JSON text gathered piece by piece, so a large value can be serialized across several
/// turns of the event loop and then encoded on the thread pool (`encodeAsync`).
#[napi]
#[derive(Default)]
pub struct JsonBuffer {
    json: String,
}

#[napi]
impl JsonBuffer {
    /// An empty buffer.
    #[napi(constructor)]
    pub fn new() -> Self {
        JsonBuffer::default()
    }

    /// Appends a piece of JSON text.
    #[napi]
    pub fn push(&mut self, piece: JsString<'_>) -> Result<()> {
        let piece = rust_string(piece)?;
        if self.json.is_empty() {
            self.json = piece;
        } else {
            self.json.push_str(&piece);
        }
        Ok(())
    }

    /// Bytes gathered so far.
    #[napi(getter)]
    pub fn byte_length(&self) -> u32 {
        u32::try_from(self.json.len()).unwrap_or(u32::MAX)
    }

    /// Encodes the gathered JSON on the thread pool into the TOON text's UTF-8 bytes
    /// (a `Buffer` handed over without a copy, so `toon.js` can turn a large result into
    /// a string a slice at a time); the buffer is empty afterwards.
    #[napi(ts_return_type = "Promise<Buffer>")]
    pub fn encode_async(
        &mut self,
        options: Option<EncodeOptions>,
    ) -> Result<AsyncTask<EncodeBytesTask>> {
        let options = EncodeOptions::to_core(options.as_ref())?;
        let json = std::mem::take(&mut self.json);
        Ok(AsyncTask::new(EncodeBytesTask { json, options }))
    }
}

/// Decodes TOON text into a JS value built through napi one property at a time. The
/// public `decode` goes through JSON text instead, which measured faster (see
/// `bench/boundary.js`); this path is kept for that comparison. Unlike `JSON.parse`,
/// a `__proto__` key here goes through the setter rather than becoming an own property.
#[napi(ts_return_type = "unknown")]
pub fn decode_value<'env>(
    env: &'env Env,
    text: JsString<'_>,
    options: Option<DecodeOptions>,
) -> Result<Unknown<'env>> {
    let options = DecodeOptions::to_core(options.as_ref())?;
    let text = rust_string(text)?;
    let value = toon::decode(&text, &options).map_err(|e| Failure::decode(&e).into_js(env))?;
    to_js(env, &value)
}

/// The JS value of a decoded value.
fn to_js<'env>(env: &'env Env, value: &toon::Value<'_>) -> Result<Unknown<'env>> {
    use napi::bindgen_prelude::{JsObjectValue, JsValue, Null, Object, ToNapiValue};
    Ok(match value {
        toon::Value::Null => Null.into_unknown(env)?,
        toon::Value::Bool(b) => b.into_unknown(env)?,
        toon::Value::Number(n) => n.as_f64().into_unknown(env)?,
        toon::Value::String(s) => env.create_string(s)?.to_unknown(),
        toon::Value::Array(items) => {
            let len =
                u32::try_from(items.len()).map_err(|_| error::invalid_arg("array too long"))?;
            let mut array = env.create_array(len)?;
            for (index, item) in (0..len).zip(items) {
                array.set_element(index, to_js(env, item)?)?;
            }
            array.to_unknown()
        }
        toon::Value::Object(map) => {
            let mut object = Object::new(env)?;
            for (key, item) in map.iter() {
                object.set_property(env.create_string(key)?, to_js(env, item)?)?;
            }
            object.to_unknown()
        }
    })
}
