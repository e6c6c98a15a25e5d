//! How Rust errors cross into JavaScript: as data. A [`Failure`] holds what `toon.js`
//! needs to throw its own error (a code, the message without position, line, column,
//! category, the core's caret snippet, the failing converter); [`Failure::into_js`]
//! makes it a JS `Error` with those as properties, so `toon.js` reads fields and never
//! parses a message. Work on the thread pool returns a `Failure` as its output and
//! turns it into a JS error in `resolve`, where an `Env` is at hand.

use napi::bindgen_prelude::{JsObjectValue, JsValue};
use napi::{Env, Error, Status};
use toon::Category;

/// Code of a TOON decode error (`ToonDecodeError` in `toon.js`).
const DECODE: &str = "TOON_DECODE_ERROR";
/// Code of an encode error (the nesting limit).
const ENCODE: &str = "TOON_ENCODE_ERROR";
/// Code of invalid JSON text given to `encodeJson`.
const JSON: &str = "TOON_JSON_ERROR";
/// Code of a failed conversion.
const CONVERT: &str = "TOON_CONVERT_ERROR";
/// Code of a value whose skeleton does not fit a token budget (`ToonBudgetError`).
const BUDGET: &str = "TOON_BUDGET_ERROR";

/// A result whose error is still Rust data.
pub type Outcome<T> = std::result::Result<T, Failure>;

/// A failure on its way to JavaScript.
#[derive(Debug)]
pub struct Failure {
    /// `TOON_DECODE_ERROR`, `TOON_ENCODE_ERROR`, `TOON_JSON_ERROR`, `TOON_CONVERT_ERROR`,
    /// `TOON_BUDGET_ERROR`; `None` for an invalid argument (a `TypeError` in `toon.js`).
    code: Option<&'static str>,
    /// The message without position.
    message: String,
    /// 1-based line and column, 0 when unknown.
    line: usize,
    column: usize,
    /// [`Category::as_str`], `json` for invalid JSON, `convert` for a failed conversion
    /// whose input was not bad TOON ([`toon_convert::ConvertError::category`]).
    category: &'static str,
    /// The offending line and a caret, as the core renders it.
    snippet: Option<String>,
    /// The converter that failed.
    converter: Option<&'static str>,
    /// The path of the value being read, a hint for the writer of the text, and what
    /// was expected and found, for TOON errors (boxed: most failures have none, and `Failure` travels in `Result`s).
    help: Option<Box<Help>>,
}

/// `toon::Error::path`, `hint`, `expected` and `found`; or, for `TOON_BUDGET_ERROR`, the
/// skeleton's tokens and the budget.
#[derive(Debug, Default)]
struct Help {
    path: Option<String>,
    hint: Option<String>,
    expected: Option<String>,
    found: Option<String>,
    budget: Option<(usize, usize)>,
}

impl Help {
    /// The help of a TOON error, when it has any.
    fn of(error: &toon::Error) -> Option<Box<Help>> {
        let owned = |text: Option<&str>| text.map(str::to_owned);
        let help = Help {
            path: owned(error.path()),
            hint: owned(error.hint()),
            expected: owned(error.expected()),
            found: owned(error.found()),
            budget: None,
        };
        let any = help.path.is_some()
            || help.hint.is_some()
            || help.expected.is_some()
            || help.found.is_some();
        any.then(|| Box::new(help))
    }
}

impl Failure {
    fn new(code: &'static str, category: &'static str, message: String) -> Self {
        Failure {
            code: Some(code),
            message,
            line: 0,
            column: 0,
            category,
            snippet: None,
            converter: None,
            help: None,
        }
    }

    /// Invalid options: a `TypeError`.
    fn options(message: &str) -> Self {
        Failure {
            code: None,
            ..Failure::new(ENCODE, "options", message.to_owned())
        }
    }

    /// A failed decode, located.
    pub(crate) fn decode(error: &toon::Error) -> Self {
        if error.category() == Category::Options {
            return Failure::options(error.message());
        }
        Failure {
            line: error.line(),
            column: error.column(),
            snippet: error.snippet(),
            help: Help::of(error),
            ..Failure::new(
                DECODE,
                error.category().as_str(),
                error.message().to_owned(),
            )
        }
    }

    /// A failed encode: bad options are invalid arguments, anything else (the nesting
    /// limit) an encode error.
    pub(crate) fn encode(error: &toon::Error) -> Self {
        if error.category() == Category::Options {
            return Failure::options(error.message());
        }
        Failure::new(ENCODE, error.category().as_str(), error.to_string())
    }

    /// Invalid JSON text given to `encodeJson`, located when the parser knows where.
    pub(crate) fn json(error: &json_to_toon::Error, json: &str) -> Self {
        match error {
            json_to_toon::Error::Json {
                message,
                line,
                column,
                ..
            } => Failure {
                line: *line,
                column: *column,
                snippet: toon::snippet(json, *line, *column),
                ..Failure::new(JSON, "json", message.clone())
            },
            json_to_toon::Error::Toon(e) => Failure::encode(e),
            other => Failure::new(ENCODE, "io", other.to_string()),
        }
    }

    /// A failed conversion of `input` (its bytes, when it was given as bytes), located
    /// when the converter knows where.
    pub(crate) fn convert(error: &toon_convert::ConvertError, input: Option<&[u8]>) -> Self {
        let (line, column) = error.location().unwrap_or((0, 0));
        Failure {
            line,
            column,
            snippet: error.snippet(input),
            converter: error.converter(),
            help: error.toon_error().and_then(Help::of),
            ..Failure::new(
                CONVERT,
                error.category().map_or("convert", Category::as_str),
                error.to_string(),
            )
        }
    }

    /// A value nested deeper than the encoder's limit.
    pub(crate) fn encode_depth(max_depth: usize) -> Self {
        let message = format!("value nested deeper than {max_depth} levels");
        Failure::new(ENCODE, Category::Limit.as_str(), message)
    }

    /// A failure of `toon_prompt`: a skeleton over the budget, or a failed encode.
    pub(crate) fn prompt(error: toon_prompt::PromptError) -> Self {
        match error {
            toon_prompt::PromptError::SkeletonTooLarge {
                skeleton_tokens,
                max_tokens,
            } => Failure {
                help: Some(Box::new(Help {
                    budget: Some((skeleton_tokens, max_tokens)),
                    ..Help::default()
                })),
                ..Failure::new(BUDGET, "budget", error.to_string())
            },
            toon_prompt::PromptError::Encode(e) => Failure::encode(&e),
            // Writing a value as JSON fails only as a writer would.
            toon_prompt::PromptError::Json(e) => {
                Failure::encode(&toon::Error::from(std::io::Error::other(e)))
            }
        }
    }

    /// The JS error to throw: an `Error` whose `message` is the message and whose
    /// `code`, `line`, `column`, `category`, `snippet` and `converter` are properties
    /// (line and column 0 when unknown), with `skeletonTokens` and `maxTokens` for a
    /// budget error.
    pub(crate) fn into_js(self, env: &Env) -> Error {
        let Some(code) = self.code else {
            return invalid_arg(self.message);
        };
        let build = || -> napi::Result<Error> {
            let mut object = env.create_error(Error::new(Status::GenericFailure, &self.message))?;
            object.set_named_property("code", code)?;
            object.set_named_property("line", self.line as u32)?;
            object.set_named_property("column", self.column as u32)?;
            object.set_named_property("category", self.category)?;
            object.set_named_property("snippet", self.snippet.as_deref())?;
            object.set_named_property("converter", self.converter)?;
            let help = self.help.as_deref();
            object.set_named_property("path", help.and_then(|h| h.path.as_deref()))?;
            object.set_named_property("hint", help.and_then(|h| h.hint.as_deref()))?;
            object.set_named_property("expected", help.and_then(|h| h.expected.as_deref()))?;
            object.set_named_property("found", help.and_then(|h| h.found.as_deref()))?;
            if let Some((skeleton_tokens, max_tokens)) = help.and_then(|h| h.budget) {
                object.set_named_property("skeletonTokens", skeleton_tokens as f64)?;
                object.set_named_property("maxTokens", max_tokens as f64)?;
            }
            Ok(Error::from(object.to_unknown()))
        };
        // Creating an object fails only when the engine is out of memory or shutting
        // down; the message still says what went wrong then.
        build().unwrap_or_else(|_| Error::new(Status::GenericFailure, self.message))
    }
}

/// An invalid argument (`TypeError` in `toon.js`).
pub(crate) fn invalid_arg(message: impl Into<String>) -> Error {
    Error::new(Status::InvalidArg, message.into())
}
