//! The pull decoder behind `decodeStreamSync` / `decodeStream`: an `EventStream` owns
//! the text and hands out events in batches, as JSON text (one `JSON.parse` per batch
//! is far cheaper than one napi object per event), so memory stays bounded by the batch.

use std::io::Cursor;

use napi::{Env, Result};
use napi_derive::napi;
use toon::{Event, ReaderEvents, Value};

use crate::error::{self, Failure};
use crate::options::DecodeOptions;

/// A TOON document decoded lazily into `JsonStreamEvent`s.
#[napi]
pub struct EventStream {
    events: Option<ReaderEvents<Cursor<Vec<u8>>>>,
    /// An error met while filling a batch, thrown by the next call so the events
    /// before it are delivered first (as the reference's lazy stream does).
    failed: Option<Failure>,
}

#[napi]
impl EventStream {
    /// Starts decoding `text`; nothing is read until `next`.
    #[napi(constructor)]
    pub fn new(env: &Env, text: String, options: Option<DecodeOptions>) -> Result<Self> {
        let options = DecodeOptions::to_core(options.as_ref())?;
        let events = toon::decode_reader_events(Cursor::new(text.into_bytes()), &options)
            .map_err(|e| Failure::decode(&e).into_js(env))?;
        Ok(EventStream {
            events: Some(events),
            failed: None,
        })
    }

    /// Up to `max` further events as a JSON array, or `null` once the document ended.
    /// A decode error is thrown once the events before it were handed out, and ends
    /// the stream.
    #[napi]
    pub fn next(&mut self, env: &Env, max: u32) -> Result<Option<String>> {
        if let Some(failure) = self.failed.take() {
            return Err(failure.into_js(env));
        }
        let Some(events) = self.events.as_mut() else {
            return Ok(None);
        };
        let mut json = String::from("[");
        let mut count = 0;
        while count < max.max(1) {
            match events.next_event() {
                Ok(Some((event, _))) => {
                    if count > 0 {
                        json.push(',');
                    }
                    write_event(&mut json, &event)?;
                    count += 1;
                }
                Ok(None) => {
                    self.events = None;
                    break;
                }
                Err(e) => {
                    self.events = None;
                    if count == 0 {
                        return Err(Failure::decode(&e).into_js(env));
                    }
                    self.failed = Some(Failure::decode(&e));
                    break;
                }
            }
        }
        if count == 0 {
            return Ok(None);
        }
        json.push(']');
        Ok(Some(json))
    }
}

/// Appends one event in the reference's `JsonStreamEvent` shape.
fn write_event(json: &mut String, event: &Event<'_>) -> Result<()> {
    match event {
        Event::StartObject => json.push_str(r#"{"type":"startObject"}"#),
        Event::EndObject => json.push_str(r#"{"type":"endObject"}"#),
        Event::EndArray => json.push_str(r#"{"type":"endArray"}"#),
        Event::StartArray { length } => {
            json.push_str(r#"{"type":"startArray","length":"#);
            match length {
                Some(n) => json.push_str(&n.to_string()),
                None => json.push_str("null"),
            }
            json.push('}');
        }
        Event::Key(key) => {
            json.push_str(r#"{"type":"key","key":"#);
            push_json(json, &Value::String(key.clone()))?;
            json.push('}');
        }
        Event::Primitive(value) => {
            json.push_str(r#"{"type":"primitive","value":"#);
            push_json(json, value)?;
            json.push('}');
        }
    }
    Ok(())
}

fn push_json(json: &mut String, value: &Value<'_>) -> Result<()> {
    let text = serde_json::to_string(value).map_err(|e| error::invalid_arg(e.to_string()))?;
    json.push_str(&text);
    Ok(())
}
