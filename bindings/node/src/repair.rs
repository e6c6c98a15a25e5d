//! `repair`: the TOON of a model's reply, read with every fix reported and a cut-off
//! reply told apart (`toon::repair`; see docs/llm.md). The value crosses as JSON text,
//! as `decode`'s does; `toon.js` parses it.

use napi::{Env, Result};
use napi_derive::napi;

use crate::error::Failure;
use crate::options::RepairOptions;

/// One fix, at its 1-based line and column in the reply.
#[napi(object)]
pub struct RepairFix {
    /// 1-based line in the reply.
    pub line: u32,
    /// 1-based column in the reply, in characters.
    pub column: u32,
    /// What was found.
    pub found: String,
    /// What was done about it.
    pub done: String,
}

/// Where a cut-off reply stops, and what is missing (innermost first).
#[napi(object)]
pub struct RepairCut {
    /// 1-based line in the reply where the text stops.
    pub line: u32,
    /// 1-based column where the text stops.
    pub column: u32,
    /// What is missing, one entry per unfinished part.
    pub missing: Vec<String>,
}

/// What the core recovered, with the value as JSON text.
#[napi(object)]
pub struct RepairOutcome {
    /// The value (the part that arrived when `truncated` is set), as JSON text.
    pub json: String,
    /// Every fix, in reply order.
    pub repairs: Vec<RepairFix>,
    /// Set when the reply was cut off.
    pub truncated: Option<RepairCut>,
    /// `fence`, `unlabeled_fence` or `reply`.
    pub found_in: String,
}

/// Reads the TOON of a model's reply; throws a decode error (positions in the reply)
/// for what cannot be read without a guess.
#[napi]
pub fn repair(env: &Env, reply: String, options: Option<RepairOptions>) -> Result<RepairOutcome> {
    let options = RepairOptions::to_core(options.as_ref())?;
    let repaired = toon::repair(&reply, &options).map_err(|e| Failure::decode(&e).into_js(env))?;
    outcome(env, repaired)
}

/// A value as compact JSON text, written as `decode`'s is.
pub(crate) fn value_json(env: &Env, value: &toon::Value<'_>) -> Result<String> {
    let json_options = toon_to_json::ToonToJsonOptions {
        decode: toon::DecodeOptions::new(),
        ..Default::default()
    };
    let mut json = toon_to_json::to_json(value, &json_options)
        .map_err(|e| Failure::encode(&toon::Error::from(std::io::Error::other(e))).into_js(env))?;
    json.pop();
    Ok(json)
}

/// The JS form of what the core recovered.
pub(crate) fn outcome(env: &Env, repaired: toon::Repaired<'_>) -> Result<RepairOutcome> {
    let json = value_json(env, &repaired.value)?;
    let place = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(RepairOutcome {
        json,
        repairs: repaired
            .repairs
            .into_iter()
            .map(|r| RepairFix {
                line: place(r.line),
                column: place(r.column),
                found: r.found,
                done: r.done,
            })
            .collect(),
        truncated: repaired.truncated.map(|t| RepairCut {
            line: place(t.line),
            column: place(t.column),
            missing: t.missing,
        }),
        found_in: repaired.found_in.as_str().to_owned(),
    })
}
