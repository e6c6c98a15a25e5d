//! Error rendering: input errors as `FILE:LINE:COL: message` plus the offending line and a
//! caret (for the converters' errors too), command-line errors as clap prints them,
//! everything else as `toon: context: reason`.

use std::fmt;
use std::io;
use std::process::ExitCode;

use toon::convert::ConvertError;

/// Lines longer than this (in characters) are not quoted under a converter's error.
const MAX_QUOTED_LINE: usize = 200;

/// An error at a known place in an input file.
#[derive(Debug)]
struct Located {
    /// The input's name (`<stdin>` for standard input).
    file: String,
    /// 1-based line.
    line: usize,
    /// 1-based column, in characters.
    column: usize,
    /// What went wrong, without the location.
    message: String,
    /// The offending line and a caret line under the column, when the input is at hand.
    snippet: Option<String>,
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )?;
        match &self.snippet {
            Some(snippet) => write!(f, "\n{snippet}"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for Located {}

/// Wraps a TOON error from input `file`: located when the error has a position.
pub(crate) fn toon_error(file: &str, error: toon::Error) -> anyhow::Error {
    match error.snippet() {
        Some(snippet) if error.line() > 0 => anyhow::Error::new(Located {
            file: file.to_owned(),
            line: error.line(),
            column: error.column(),
            message: error.message().to_owned(),
            snippet: Some(snippet),
        }),
        _ => anyhow::Error::new(error).context(file.to_owned()),
    }
}

/// Wraps a JSON syntax or data error from input `file`, whose bytes are `source`.
///
/// `serde_json` counts columns in bytes; the report counts characters, as TOON errors do.
pub(crate) fn json_error(file: &str, source: &[u8], error: &serde_json::Error) -> anyhow::Error {
    let text = error.to_string();
    // serde_json appends the position to its message; the report puts it in front.
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    let message = format!(
        "invalid JSON: {}",
        text.strip_suffix(&suffix).unwrap_or(&text)
    );
    if error.line() == 0 {
        return anyhow::anyhow!(message).context(file.to_owned());
    }
    let line = source
        .split(|&byte| byte == b'\n')
        .nth(error.line() - 1)
        .unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let before = &line[..error.column().saturating_sub(1).min(line.len())];
    let column = before
        .iter()
        .filter(|&&byte| !is_continuation(byte))
        .count()
        + 1;
    let line = String::from_utf8_lossy(line);
    anyhow::Error::new(Located {
        file: file.to_owned(),
        line: error.line(),
        column,
        snippet: Some(snippet(&line, column)),
        message,
    })
}

/// Wraps a converter's failure on input `file`: located (`FILE:LINE:COL: message`, and
/// the line of `input` with a caret when it is given) when the error has a position,
/// `FILE: message` otherwise.
pub(crate) fn conversion_error(
    file: &str,
    error: &ConvertError,
    input: Option<&[u8]>,
) -> anyhow::Error {
    if let Some(toon) = error.toon_error().filter(|toon| toon.line() > 0) {
        return anyhow::Error::new(Located {
            file: file.to_owned(),
            line: toon.line(),
            column: toon.column(),
            message: toon.message().to_owned(),
            snippet: toon.snippet(),
        });
    }
    let Some((line, column)) = error.location() else {
        return anyhow::anyhow!("{error}").context(file.to_owned());
    };
    let inner: &(dyn std::error::Error + 'static) = error.get_ref();
    let message = match inner.downcast_ref::<json_to_toon::Error>() {
        Some(json_to_toon::Error::Json { message, .. }) => format!("invalid JSON: {message}"),
        _ => without_location(&error.to_string(), line, column),
    };
    let snippet = input
        .and_then(|bytes| bytes.split(|&byte| byte == b'\n').nth(line - 1))
        .map(|text| String::from_utf8_lossy(text.strip_suffix(b"\r").unwrap_or(text)))
        .filter(|text| text.chars().count() <= MAX_QUOTED_LINE && column >= 1)
        .map(|text| snippet(&text, column));
    anyhow::Error::new(Located {
        file: file.to_owned(),
        line,
        column,
        message,
        snippet,
    })
}

/// The first line of a message, without a leading `LINE:COL: ` (the report puts the
/// position in front of the file name's colon instead).
fn without_location(message: &str, line: usize, column: usize) -> String {
    let first = message.lines().next().unwrap_or_default();
    let prefix = format!("{line}:{column}: ");
    first.strip_prefix(&prefix).unwrap_or(first).to_owned()
}

/// Whether `byte` continues a UTF-8 sequence rather than starting a character.
fn is_continuation(byte: u8) -> bool {
    byte & 0xC0 == 0x80
}

/// `line`, then a caret under the 1-based character `column`, copying the line's tabs so
/// the caret lines up in a terminal.
fn snippet(line: &str, column: usize) -> String {
    let mut caret: String = line
        .chars()
        .take(column - 1)
        .map(|ch| if ch == '\t' { '\t' } else { ' ' })
        .collect();
    caret.push('^');
    format!("{line}\n{caret}")
}

/// Prints `error` to standard error and returns the exit code: 2 for a command-line
/// error, 1 otherwise, or 0 when standard output was closed early by a reader that has
/// seen enough (`toon encode … | head`).
pub(crate) fn failure(error: &anyhow::Error) -> ExitCode {
    let broken_pipe = error.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    });
    if broken_pipe {
        return ExitCode::SUCCESS;
    }
    if let Some(usage) = error.downcast_ref::<clap::Error>() {
        // clap's own rendering: the message, the usage line and a hint.
        let _ = usage.print();
        return ExitCode::from(2);
    }
    print(error);
    ExitCode::FAILURE
}

/// Prints `error` to standard error: located errors as `FILE:LINE:COL: message` and the
/// caret, others as `toon: context: reason`.
pub(crate) fn print(error: &anyhow::Error) {
    match error.downcast_ref::<Located>() {
        Some(located) => eprintln!("{located}"),
        None => eprintln!("toon: {error:#}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_columns_count_characters() {
        let source = "{\n  \"é\": tru }".as_bytes();
        let error = serde_json::from_slice::<serde_json::Value>(source).unwrap_err();
        let rendered = json_error("x.json", source, &error).to_string();
        assert_eq!(
            rendered,
            "x.json:2:11: invalid JSON: expected ident\n  \"é\": tru }\n          ^"
        );
    }

    #[test]
    fn carets_copy_tabs() {
        assert_eq!(snippet("\ta,b", 3), "\ta,b\n\t ^");
    }
}
