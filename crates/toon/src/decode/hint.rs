//! What a decode error tells whoever wrote the text — most often a model asked to
//! answer in TOON, whose retry loop can show it: a one-sentence hint, and what was
//! expected against what was found. Errors whose site knows more (a row's width, a
//! count) set their own hint; the rest is read from the category, the message and the
//! text at the error's column.

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

/// What was expected and what was found for `error`, where its message or its place
/// says: `expected X, but got Y` messages, indentation, unterminated strings, missing
/// colons, repeated keys, tabs, and the token at the column for the rest of the
/// syntax errors.
pub(crate) fn expected_found(error: &Error) -> (Option<String>, Option<String>) {
    let message = error.message();
    let pair = |expected: &str, found: &str| (Some(expected.to_owned()), Some(found.to_owned()));
    let expected_part = message
        .strip_prefix("expected ")
        .or_else(|| message.split_once(": expected ").map(|(_, rest)| rest));
    if let Some(rest) = expected_part {
        if let Some((want, got)) = rest
            .split_once(", but got ")
            .or_else(|| rest.split_once(", but found "))
        {
            return pair(want, got);
        }
        return (Some(rest.to_owned()), token_at(error));
    }
    if let Some(rest) = message.strip_prefix("indentation must be exact multiple of ")
        && let Some((unit, found)) = rest.split_once(", but found ")
    {
        return pair(&format!("a multiple of {unit} spaces"), found);
    }
    if let Some(rest) = message.strip_prefix("indentation jumps to depth ")
        && let Some((found, want)) = rest.split_once(" where depth ")
    {
        let want = want.trim_end_matches(" was expected");
        return pair(&format!("depth {want}"), &format!("depth {found}"));
    }
    if let Some(rest) = message.strip_prefix("line at depth ")
        && let Some((found, want)) = rest.split_once(" is shallower than its scope's depth ")
    {
        return pair(&format!("depth {want}"), &format!("depth {found}"));
    }
    if let Some(key) = message.strip_prefix("duplicate sibling key ") {
        return pair("a key not yet in this object", &format!("{key} again"));
    }
    if message.starts_with("unterminated") {
        return pair("a closing \" on the same line", "the end of the line");
    }
    if message.starts_with("missing colon") {
        return pair("`:` after the key", "the end of the line");
    }
    if message.starts_with("tabs are not allowed") {
        return pair("spaces", "a tab");
    }
    if message == "a delimiter at the end of the row" {
        return pair("a value after the delimiter", "the end of the row");
    }
    if error.category() == Category::Syntax && !message.contains("UTF-8") {
        return (None, token_at(error));
    }
    (None, None)
}

/// The token the error points at (up to the next space, at most 24 characters), `a
/// space`, `a tab`, or `the end of the line`.
fn token_at(error: &Error) -> Option<String> {
    let rest = error.at_caret()?;
    let token: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace())
        .take(24)
        .collect();
    Some(match rest.chars().next() {
        None => "the end of the line".to_owned(),
        Some('\t') => "a tab".to_owned(),
        Some(c) if c.is_whitespace() => "a space".to_owned(),
        Some(_) => format!("`{token}`"),
    })
}
