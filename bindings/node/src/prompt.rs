//! Writing for models (`toon_prompt`): `encodeAuto` (the cheapest format), `encodeSections`,
//! `fitToBudget` (TOON within a token budget) and `Template` (an output template and a
//! check from a JSON Schema). Type mapping only: every decision is `toon_prompt`'s.
//!
//! Values arrive as `encode`'s do: the JSON text `toon.js` wrote of plain data, else the
//! JS value itself, read property by property (`walk`).

use napi::bindgen_prelude::Unknown;
use napi::{Env, JsString, Result};
use napi_derive::napi;
use toon_prompt::{CheapestOptions, Counting, PromptFormat};
use toon_tokens::{LimitedCount, TokenCounter};

use crate::error::{Failure, invalid_arg};
use crate::options::{delimiter, indent};
use crate::text::rust_string;
use crate::tokens::encoding;
use crate::walk::Walker;

/// The value `json` holds (JSON text of plain data), else `value` read property by
/// property: the JSON parser refuses only what JSON.stringify wrote but it cannot hold
/// (nesting beyond its limit), which the walk then decides, as in `encode`.
fn value_of(
    env: &Env,
    value: Unknown<'_>,
    json: Option<JsString<'_>>,
) -> Result<toon::Value<'static>> {
    if let Some(json) = json {
        let text = rust_string(json)?;
        if let Ok(parsed) = json_to_toon::parse(&text) {
            return Ok(parsed.into_owned());
        }
    }
    Walker::new(env, toon::EncodeOptions::default().max_depth())?.walk(value, 0)
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Options of `encodeAuto` and `encodeSections`.
#[napi(object)]
#[derive(Debug, Default, Clone)]
pub struct EncodeAutoOptions {
    /// `o200k_base` (default), another encoding, or a model name (`gpt-4o`, `llama-3.1-70b`).
    pub encoding: Option<String>,
    /// Spaces per TOON indentation level (default 2).
    pub indent: Option<f64>,
    /// Alias of `indent`, as in `encode`; wins when both are given.
    pub indent_size: Option<f64>,
    /// The formats compared, in the order ties are broken (default `toon-comma`,
    /// `toon-tab`, `toon-pipe`, `json`).
    pub formats: Option<Vec<String>>,
    /// Count every candidate to the end (default `false`: a candidate stops once it is
    /// dearer than the best, and its count is a lower bound).
    pub exact: Option<bool>,
}

impl EncodeAutoOptions {
    fn to_core(options: Option<&EncodeAutoOptions>) -> Result<(Counter, CheapestOptions)> {
        let defaults = EncodeAutoOptions::default();
        let options = options.unwrap_or(&defaults);
        let formats = match &options.formats {
            Some(names) => names
                .iter()
                .map(|name| name.parse::<PromptFormat>().map_err(invalid_arg))
                .collect::<Result<Vec<_>>>()?,
            None => PromptFormat::ALL.to_vec(),
        };
        let counting = if options.exact.unwrap_or(false) {
            Counting::Exact
        } else {
            Counting::StopWhenDearer
        };
        let cheapest = CheapestOptions {
            formats,
            indent: indent(options.indent_size, options.indent)?,
            counting,
        };
        Ok((counter(options.encoding.as_deref())?, cheapest))
    }
}

/// The shared counter of an encoding.
type Counter = &'static TokenCounter;

fn counter(name: Option<&str>) -> Result<Counter> {
    Ok(TokenCounter::shared(encoding(name)?))
}

/// One format compared by `encodeAuto`.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct Candidate {
    /// `toon-comma`, `toon-tab`, `toon-pipe` or `json`.
    pub format: String,
    /// Its tokens; a lower bound when `exact` is false.
    pub tokens: u32,
    /// Whether `tokens` is the exact count (false: counting stopped once it passed the
    /// best).
    pub exact: bool,
}

/// The cheapest format of a value.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct Choice {
    /// The chosen format.
    pub format: String,
    /// The value in that format (no final newline).
    pub text: String,
    /// Its exact tokens.
    pub tokens: u32,
    /// Every format compared, in the order of the options.
    pub candidates: Vec<Candidate>,
    /// The report line: `chosen: toon-tab, 812 tokens (toon-comma 830, ...)`.
    pub line: String,
}

impl From<toon_prompt::Cheapest> for Choice {
    fn from(cheapest: toon_prompt::Cheapest) -> Self {
        let candidates = cheapest
            .candidates
            .iter()
            .map(|candidate| {
                let (tokens, exact) = match candidate.tokens {
                    LimitedCount::Exact(count) => (count, true),
                    LimitedCount::MoreThan(count) => (count, false),
                };
                Candidate {
                    format: candidate.format.name().to_owned(),
                    tokens: saturate(tokens),
                    exact,
                }
            })
            .collect();
        Choice {
            format: cheapest.format.name().to_owned(),
            line: cheapest.to_string(),
            text: cheapest.text,
            tokens: saturate(cheapest.tokens),
            candidates,
        }
    }
}

/// A named section and its cheapest format.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct Section {
    /// The section's name.
    pub name: String,
    /// Its cheapest format.
    pub choice: Choice,
}

/// The cheapest of TOON (comma, tab, pipe) and compact JSON for a value, by exact token
/// count. `json` is the value's JSON text when it is plain data.
#[napi]
pub fn encode_auto(
    env: &Env,
    value: Unknown<'_>,
    json: Option<JsString<'_>>,
    options: Option<EncodeAutoOptions>,
) -> Result<Choice> {
    let (counter, options) = EncodeAutoOptions::to_core(options.as_ref())?;
    let value = value_of(env, value, json)?;
    toon_prompt::cheapest(&value, counter, &options)
        .map(Choice::from)
        .map_err(|e| Failure::prompt(e).into_js(env))
}

/// `encodeAuto` for each field of `sections` (an object of name → value), each chosen
/// on its own, in the object's order.
#[napi]
pub fn encode_sections(
    env: &Env,
    sections: Unknown<'_>,
    json: Option<JsString<'_>>,
    options: Option<EncodeAutoOptions>,
) -> Result<Vec<Section>> {
    let (counter, options) = EncodeAutoOptions::to_core(options.as_ref())?;
    let toon::Value::Object(sections) = value_of(env, sections, json)? else {
        return Err(invalid_arg("sections must be an object of name → value"));
    };
    toon_prompt::cheapest_sections(sections.iter(), counter, &options)
        .map(|chosen| {
            chosen
                .into_iter()
                .map(|section| Section {
                    name: section.name,
                    choice: section.choice.into(),
                })
                .collect()
        })
        .map_err(|e| Failure::prompt(e).into_js(env))
}

/// Options of `fitToBudget`.
#[napi(object)]
#[derive(Debug, Default, Clone)]
pub struct FitOptions {
    /// `o200k_base` (default), another encoding, or a model name.
    pub encoding: Option<String>,
    /// The array delimiter: `","` (default), `"\t"` or `"|"`.
    pub delimiter: Option<String>,
    /// Spaces per indentation level (default 2).
    pub indent: Option<f64>,
    /// Alias of `indent`, as in `encode`; wins when both are given.
    pub indent_size: Option<f64>,
}

/// An array that lost rows to the budget.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct Cut {
    /// Its path (`users`, `data.items`; empty for the root array).
    pub path: String,
    /// How many rows it has.
    pub rows: u32,
    /// How many of its first rows were kept.
    pub kept: u32,
    /// `users: 1000 rows, 120 kept`.
    pub line: String,
}

/// TOON within a token budget.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct Fitted {
    /// The TOON text (no final newline).
    pub text: String,
    /// Its exact tokens, at most the budget.
    pub tokens: u32,
    /// The arrays that lost rows, in document order.
    pub cuts: Vec<Cut>,
}

/// The TOON of a value in at most `maxTokens` tokens: the longest arrays keep their
/// first rows, fairly; a skeleton over the budget throws `TOON_BUDGET_ERROR`.
#[napi]
pub fn fit_to_budget(
    env: &Env,
    value: Unknown<'_>,
    json: Option<JsString<'_>>,
    max_tokens: f64,
    options: Option<FitOptions>,
) -> Result<Fitted> {
    if max_tokens.fract() != 0.0 || !(0.0..=u32::MAX as f64).contains(&max_tokens) {
        return Err(invalid_arg(format!(
            "maxTokens must be a non-negative integer, got {max_tokens}"
        )));
    }
    let options = options.unwrap_or_default();
    let mut encode =
        toon::EncodeOptions::new().with_indent(indent(options.indent_size, options.indent)?);
    if let Some(text) = &options.delimiter {
        encode = encode.with_delimiter(delimiter(text)?);
    }
    let counter = counter(options.encoding.as_deref())?;
    let value = value_of(env, value, json)?;
    let fitted = toon_prompt::fit_to_budget(&value, max_tokens as usize, counter, &encode)
        .map_err(|e| Failure::prompt(e).into_js(env))?;
    Ok(Fitted {
        cuts: fitted
            .cuts
            .iter()
            .map(|cut| Cut {
                path: cut.path.clone(),
                rows: saturate(cut.rows),
                kept: saturate(cut.kept),
                line: cut.to_string(),
            })
            .collect(),
        text: fitted.text,
        tokens: saturate(fitted.tokens),
    })
}

/// Options of a `Template`.
#[napi(object)]
#[derive(Debug, Default, Clone)]
pub struct TemplateOptions {
    /// The delimiter of the skeleton's rows: `","` (default), `"\t"` or `"|"`.
    pub delimiter: Option<String>,
    /// Spaces per indentation level of the skeleton (default 2).
    pub indent: Option<f64>,
    /// Alias of `indent`, as in `encode`; wins when both are given.
    pub indent_size: Option<f64>,
}

/// A reply value that does not match the schema.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct Violation {
    /// The value's path (`orders[0].id`; empty for the root).
    pub path: String,
    /// What was expected and what was found (`expected integer, found "x"`).
    pub message: String,
    /// `orders[0].id: expected integer, found "x"`.
    pub line: String,
}

/// An output template from a JSON Schema: the TOON skeleton a model should fill, its
/// instructions, and a check of the decoded reply.
#[napi]
pub struct Template {
    inner: toon_prompt::Template,
}

#[napi]
impl Template {
    /// A template of `schema` (an object or a boolean; `json` its JSON text when it is
    /// plain data); a schema that cannot be used is an `InvalidArg`.
    #[napi(constructor)]
    pub fn new(
        env: &Env,
        schema: Unknown<'_>,
        json: Option<JsString<'_>>,
        options: Option<TemplateOptions>,
    ) -> Result<Self> {
        let options = options.unwrap_or_default();
        let indent = indent(options.indent_size, options.indent)?;
        let delimiter = match &options.delimiter {
            Some(text) => delimiter(text)?,
            None => toon::Delimiter::Comma,
        };
        let schema = serde_json::Value::from(value_of(env, schema, json)?);
        let inner = toon_prompt::Template::new(schema)
            .map_err(|e| invalid_arg(e.to_string()))?
            .with_delimiter(delimiter)
            .with_indent(indent);
        Ok(Template { inner })
    }

    /// The TOON skeleton a model should fill.
    #[napi(getter)]
    pub fn skeleton(&self) -> String {
        self.inner.skeleton()
    }

    /// The instruction text that goes with the skeleton.
    #[napi(getter)]
    pub fn instructions(&self) -> String {
        self.inner.instructions()
    }

    /// The instructions and the skeleton in a ```toon fence.
    #[napi(getter)]
    pub fn prompt(&self) -> String {
        self.inner.prompt()
    }

    /// What the decoded reply `value` gets wrong against the schema (empty when none).
    #[napi]
    pub fn check(
        &self,
        env: &Env,
        value: Unknown<'_>,
        json: Option<JsString<'_>>,
    ) -> Result<Vec<Violation>> {
        let value = value_of(env, value, json)?;
        Ok(self
            .inner
            .check(&value)
            .into_iter()
            .map(|violation| Violation {
                line: violation.to_string(),
                path: violation.path,
                message: violation.message,
            })
            .collect())
    }
}
