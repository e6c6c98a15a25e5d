//! Error rendering: input errors as `FILE:LINE:COL: message` plus the offending line and a
//! caret (for the converters' errors too), command-line errors as clap prints them,
//! everything else as `toon: context: reason`.

use std::fmt;
use std::io;
use std::process::ExitCode;
use std::sync::OnceLock;

use toon_convert::ConvertError;

use crate::cli::ErrorFormat;

/// The `--error-format` of this run, set once by `main`; text when unset.
static FORMAT: OnceLock<ErrorFormat> = OnceLock::new();

/// Chooses how [`print`] writes errors for the rest of the run.
pub(crate) fn set_format(format: ErrorFormat) {
    let _ = FORMAT.set(format);
}

/// An error in an input file, at a known place in it when the failure has one.
#[derive(Debug)]
struct Located {
    /// The input's name (`<stdin>` for standard input).
    file: String,
    /// 1-based line and column (in characters), when known.
    position: Option<(usize, usize)>,
    /// What went wrong, without the location.
    message: String,
    /// The kind of TOON error (`toon::Category::as_str`), when it is one.
    category: Option<&'static str>,
    /// The converter that failed, for conversions.
    converter: Option<&'static str>,
    /// What a TOON error tells the writer of the text.
    help: Help,
    /// The offending line and a caret line under the column, when the input is at hand.
    snippet: Option<String>,
}

/// The path of the value being read, a hint for the writer, and what was expected and
/// found (`toon::Error::path`, `hint`, `expected`, `found`), for TOON errors.
#[derive(Debug, Default)]
struct Help {
    path: Option<String>,
    hint: Option<String>,
    expected: Option<String>,
    found: Option<String>,
}

impl Help {
    fn of(error: Option<&toon::Error>) -> Self {
        let Some(error) = error else {
            return Help::default();
        };
        let owned = |text: Option<&str>| text.map(str::to_owned);
        Help {
            path: owned(error.path()),
            hint: owned(error.hint()),
            expected: owned(error.expected()),
            found: owned(error.found()),
        }
    }
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some((line, column)) = self.position else {
            return write!(f, "{}: {}", self.file, self.message);
        };
        write!(f, "{}:{line}:{column}: {}", self.file, self.message)?;
        match &self.snippet {
            Some(snippet) => write!(f, "\n{snippet}"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for Located {}

/// Wraps a TOON error from input `file`: located when the error has a position.
pub(crate) fn toon_error(file: &str, error: toon::Error) -> anyhow::Error {
    let located = error.line() > 0;
    anyhow::Error::new(Located {
        file: file.to_owned(),
        position: located.then(|| (error.line(), error.column())),
        message: if located {
            error.message().to_owned()
        } else {
            error.to_string()
        },
        category: Some(error.category().as_str()),
        converter: None,
        help: Help::of(Some(&error)),
        snippet: error.snippet().filter(|_| located),
    })
}

/// Wraps a JSON error from input `file`, whose bytes are `source`.
pub(crate) fn json_error(file: &str, error: json_to_toon::Error, source: &[u8]) -> anyhow::Error {
    conversion_error(file, &ConvertError::from(error), Some(source))
}

/// Wraps a converter's failure on input `file`: located (`FILE:LINE:COL: message`, and
/// the line of `input` with a caret when it is given) when the error has a position,
/// `FILE: message` otherwise.
pub(crate) fn conversion_error(
    file: &str,
    error: &ConvertError,
    input: Option<&[u8]>,
) -> anyhow::Error {
    anyhow::Error::new(Located {
        file: file.to_owned(),
        position: error.location(),
        message: error.message(),
        category: error.category().map(toon::Category::as_str),
        converter: error.converter(),
        help: Help::of(error.toon_error()),
        snippet: error.snippet(input),
    })
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
/// caret, others as `toon: context: reason`; with `--error-format json`, each as one
/// JSON object.
pub(crate) fn print(error: &anyhow::Error) {
    let located = error.downcast_ref::<Located>();
    if FORMAT.get() == Some(&ErrorFormat::Json) {
        eprintln!("{}", as_json(error, located));
        return;
    }
    match located {
        Some(located) if located.position.is_some() => eprintln!("{located}"),
        Some(located) => eprintln!("toon: {located}"),
        None => eprintln!("toon: {error:#}"),
    }
}

/// The JSON line of `error` for `--error-format json`.
fn as_json(error: &anyhow::Error, located: Option<&Located>) -> serde_json::Value {
    match located {
        Some(l) => serde_json::json!({
            "file": l.file,
            "line": l.position.map_or(0, |(line, _)| line),
            "column": l.position.map_or(0, |(_, column)| column),
            "category": l.category,
            "converter": l.converter,
            "message": l.message,
            "path": l.help.path,
            "hint": l.help.hint,
            "expected": l.help.expected,
            "found": l.help.found,
        }),
        None => serde_json::json!({
            "file": null,
            "line": 0,
            "column": 0,
            "category": error.downcast_ref::<toon::Error>().map(|e| e.category().as_str()),
            "converter": error.downcast_ref::<ConvertError>().and_then(ConvertError::converter),
            "message": format!("{error:#}"),
            "path": null,
            "hint": null,
            "expected": null,
            "found": null,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_columns_count_characters() {
        let source = "{\n  \"é\": tru }".as_bytes();
        let error = json_to_toon::parse_slice(source).unwrap_err();
        let rendered = json_error("x.json", error, source).to_string();
        assert_eq!(
            rendered,
            "x.json:2:11: invalid JSON: expected ident\n  \"é\": tru }\n          ^"
        );
    }

    #[test]
    fn carets_copy_tabs() {
        let error = toon::decode("a:\n\tb: 1", &toon::DecodeOptions::default()).unwrap_err();
        let rendered = toon_error("t.toon", error).to_string();
        assert!(rendered.ends_with("\n\tb: 1\n^"), "{rendered}");
    }
}
