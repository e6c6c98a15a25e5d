//! The error every converter returns through the registry: the converter's own error,
//! with the line and column in the input when the failure has one.

use std::fmt;

/// Implemented by converters' error types so callers can point into the input
/// (`FILE:LINE:COL`); the default is no location.
pub trait LocatedError: std::error::Error + Send + Sync + 'static {
    /// 1-based line and column in the input, when known.
    fn location(&self) -> Option<(usize, usize)> {
        None
    }

    /// What went wrong, without the position (a report puts that in front of it).
    fn message(&self) -> String {
        self.to_string()
    }

    /// The TOON error behind this one when the failure is in TOON input: it carries the
    /// message without its position and the offending line, for precise reports.
    fn toon_error(&self) -> Option<&crate::Error> {
        None
    }
}

impl LocatedError for crate::Error {
    fn location(&self) -> Option<(usize, usize)> {
        (self.line() > 0).then(|| (self.line(), self.column()))
    }

    fn message(&self) -> String {
        crate::Error::message(self).to_owned()
    }

    fn toon_error(&self) -> Option<&crate::Error> {
        Some(self)
    }
}

impl LocatedError for std::io::Error {}

/// A failed conversion: a converter's error, erased to one type, with the name of the
/// converter that failed once a registry has run it.
pub struct ConvertError {
    inner: Box<dyn LocatedError>,
    converter: Option<&'static str>,
}

impl ConvertError {
    /// The name of the converter that failed (`toon-to-json`), when known: a registry
    /// sets it, so a conversion routed through TOON tells which step failed.
    pub fn converter(&self) -> Option<&'static str> {
        self.converter
    }

    /// Records the converter that failed, unless an inner step already did.
    pub fn in_converter(mut self, name: &'static str) -> Self {
        self.converter.get_or_insert(name);
        self
    }

    /// The TOON error behind the failure, when the input was bad TOON.
    pub fn toon_error(&self) -> Option<&crate::Error> {
        self.inner.toon_error()
    }

    /// The kind of failure every front-end reports: the TOON error's category when the
    /// input was bad TOON, `None` for any other failure.
    pub fn category(&self) -> Option<crate::Category> {
        self.toon_error().map(crate::Error::category)
    }

    /// 1-based line and column in the input, when the failure has one.
    pub fn location(&self) -> Option<(usize, usize)> {
        self.inner.location()
    }

    /// What went wrong, without the position: a TOON error's message, an invalid JSON
    /// text's `invalid JSON: …`, or the converter's own words.
    pub fn message(&self) -> String {
        match self.toon_error() {
            Some(toon) => toon.message().to_owned(),
            None => self.inner.message(),
        }
    }

    /// The offending line of the input and a caret under the column ([`crate::snippet`]),
    /// when the failure has a location: a TOON error keeps its own line; otherwise the
    /// line is taken from `input`, the bytes the converter read.
    pub fn snippet(&self, input: Option<&[u8]>) -> Option<String> {
        if let Some(snippet) = self.toon_error().and_then(crate::Error::snippet) {
            return Some(snippet);
        }
        let (line, column) = self.location()?;
        crate::snippet(&String::from_utf8_lossy(input?), line, column)
    }

    /// The converter's own error.
    pub fn get_ref(&self) -> &(dyn LocatedError + 'static) {
        &*self.inner
    }

    /// A conversion that failed for a reason of its own (no converter error type).
    pub fn msg(message: impl Into<String>) -> Self {
        ConvertError::from(Message(message.into()))
    }
}

impl<E: LocatedError> From<E> for ConvertError {
    fn from(error: E) -> Self {
        ConvertError {
            inner: Box::new(error),
            converter: None,
        }
    }
}

impl fmt::Display for ConvertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.inner, f)
    }
}

impl fmt::Debug for ConvertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.inner, f)
    }
}

#[derive(Debug)]
struct Message(String);

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Message {}
impl LocatedError for Message {}

#[cfg(test)]
mod tests {
    use super::ConvertError;

    /// A TOON failure keeps its decoder error reachable (message without position,
    /// snippet); other failures have none.
    #[test]
    fn toon_errors_stay_reachable_through_the_erased_type() {
        let decoded = crate::decode("a: 1\nb[2]: 1", &crate::DecodeOptions::default());
        let error = ConvertError::from(decoded.unwrap_err());
        let toon = error.toon_error().expect("the decoder's error");
        assert_eq!(error.location(), Some((toon.line(), toon.column())));
        assert_eq!(toon.line(), 2);
        assert!(toon.snippet().is_some());
        assert!(ConvertError::msg("no TOON here").toon_error().is_none());
    }
}
