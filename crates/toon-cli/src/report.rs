//! Error rendering: input errors as `FILE:LINE:COL: message` plus the offending line and a
//! caret (for the converters' errors too), command-line errors as clap prints them,
//! everything else as `toon: context: reason`.

use std::fmt;
use std::io;
use std::process::ExitCode;

use toon_convert::ConvertError;

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
    let Some((line, column)) = error.location() else {
        return anyhow::anyhow!("{}", error.message()).context(file.to_owned());
    };
    anyhow::Error::new(Located {
        file: file.to_owned(),
        line,
        column,
        message: error.message(),
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
