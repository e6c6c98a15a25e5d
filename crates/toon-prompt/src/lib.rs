//! Writing for models: what to send and how much of it.
//!
//! - [`cheapest`]: the cheapest of TOON (comma, tab, pipe delimiters) and compact JSON for
//!   a value, by exact token count in the model's encoding, with every candidate's count
//!   (or the point where counting it stopped, once it was dearer than the best).
//! - [`fit_to_budget`]: the TOON of a value in at most `max_tokens` tokens: the longest
//!   arrays keep their first rows, fairly across arrays, each cut array says so in a
//!   comment line under its header (`# 1000 rows, first 120 shown`), and the report says
//!   what was cut.
//! - [`Template`]: from a JSON Schema, the TOON skeleton a model should fill, a short
//!   instruction text, and a check of the decoded reply against the schema.
//!
//! The codec (`toon`) and the counter (`toon-tokens`) do not know each other; this crate
//! is where both are visible.

#![deny(missing_docs)]

mod budget;
mod cheapest;
mod error;
mod format;
mod schema;

pub use budget::{Cut, Fitted, fit_to_budget};
pub use cheapest::{
    Candidate, Cheapest, CheapestOptions, Counting, Section, cheapest, cheapest_sections,
};
pub use error::PromptError;
pub use format::PromptFormat;
pub use schema::{SchemaError, Template, Violation};
