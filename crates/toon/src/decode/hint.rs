//! The one-sentence hint a decode error carries for whoever wrote the text — most often
//! a model asked to answer in TOON, which a retry loop can show the hint to. Errors
//! whose site knows more (a row's width, a count) set their own; this is the rest, by
//! category and message.

use crate::error::{Category, Error};

/// The hint for `error`, from its category and message.
pub(crate) fn hint(error: &Error) -> String {
    let message = error.message();
    let hint = match error.category() {
        Category::Syntax if message.starts_with("unterminated string") => {
            "close every quoted string with \" on the same line"
        }
        Category::Syntax if message.contains("escape") => {
            "inside quotes write a backslash as \\\\ and a quote as \\\"; use \\n, \\r and \\t \
             for control characters"
        }
        Category::Syntax if message.contains("UTF-8") => "send the text as UTF-8",
        Category::Syntax => {
            "write headers as key[N]: or key[N]{field,...}: and quote strings that contain \
             a colon, a bracket or the delimiter"
        }
        Category::Indentation => {
            "indent each nesting level by the same number of spaces (2 unless agreed \
             otherwise), never with tabs, and do not indent a line deeper than its parent's \
             content"
        }
        Category::Count => "make each [N] equal the number of values, items or rows that follow",
        Category::Width => "give every row exactly as many values as the header has fields",
        Category::DuplicateKey => "write each key once per object and each field once per header",
        Category::Structure if message.contains("missing colon") => {
            "write every field as key: value, and a nested object as key: on its own line"
        }
        Category::Structure => {
            "start the document with key: value lines (or one header), and put nothing \
             after a root array"
        }
        Category::Limit => "nest less deeply",
        Category::Truncated => "finish the document: the reply stopped before its end",
        _ => "write valid TOON",
    };
    hint.to_owned()
}
