//! The formats a value can be sent to a model in.

use std::fmt;
use std::str::FromStr;

use toon::{Delimiter, EncodeOptions, Value};
use toon_to_json::ToonToJsonOptions;

use crate::PromptError;

/// A text format for a value in a prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PromptFormat {
    /// TOON with the comma delimiter (the default TOON).
    ToonComma,
    /// TOON with the tab delimiter.
    ToonTab,
    /// TOON with the pipe delimiter.
    ToonPipe,
    /// Compact JSON (one line, as `JSON.stringify` writes it).
    Json,
}

impl PromptFormat {
    /// Every format, in the order ties are broken (the first wins).
    pub const ALL: [PromptFormat; 4] = [
        PromptFormat::ToonComma,
        PromptFormat::ToonTab,
        PromptFormat::ToonPipe,
        PromptFormat::Json,
    ];

    /// `toon-comma`, `toon-tab`, `toon-pipe` or `json`.
    pub const fn name(self) -> &'static str {
        match self {
            PromptFormat::ToonComma => "toon-comma",
            PromptFormat::ToonTab => "toon-tab",
            PromptFormat::ToonPipe => "toon-pipe",
            PromptFormat::Json => "json",
        }
    }

    /// The TOON delimiter, for the TOON formats.
    pub const fn delimiter(self) -> Option<Delimiter> {
        match self {
            PromptFormat::ToonComma => Some(Delimiter::Comma),
            PromptFormat::ToonTab => Some(Delimiter::Tab),
            PromptFormat::ToonPipe => Some(Delimiter::Pipe),
            PromptFormat::Json => None,
        }
    }

    /// The label of a Markdown code fence around text of this format (`toon` or `json`).
    pub const fn fence_label(self) -> &'static str {
        match self {
            PromptFormat::Json => "json",
            _ => "toon",
        }
    }

    /// `value` written in this format (TOON with `indent` spaces per level), without a
    /// final newline.
    pub fn render(self, value: &Value<'_>, indent: usize) -> Result<String, PromptError> {
        match self.delimiter() {
            Some(delimiter) => Ok(toon::encode(
                value,
                &EncodeOptions::new()
                    .with_indent(indent)
                    .with_delimiter(delimiter),
            )?),
            None => {
                let mut json = toon_to_json::to_json(value, &ToonToJsonOptions::default())?;
                if json.ends_with('\n') {
                    json.pop();
                }
                Ok(json)
            }
        }
    }
}

impl fmt::Display for PromptFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for PromptFormat {
    type Err = String;

    /// Parses `toon-comma` (or `toon`), `toon-tab`, `toon-pipe` or `json`.
    fn from_str(text: &str) -> Result<PromptFormat, String> {
        match text {
            "toon-comma" | "toon" => Ok(PromptFormat::ToonComma),
            "toon-tab" => Ok(PromptFormat::ToonTab),
            "toon-pipe" => Ok(PromptFormat::ToonPipe),
            "json" => Ok(PromptFormat::Json),
            _ => Err(format!(
                "unknown format `{text}`: expected toon-comma, toon-tab, toon-pipe or json"
            )),
        }
    }
}
