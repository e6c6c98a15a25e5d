//! JSON output whose numbers read as JavaScript's `JSON.stringify` writes them, so that
//! `toon decode` prints what the reference CLI prints: `1` for a decoded `1.0`, `1e+21`.

use std::io::{self, Write};

use serde_json::ser::Formatter;

/// Wraps a `serde_json` formatter (compact or pretty), replacing only how floats are
/// written: ECMAScript `Number#toString`, through `ryu-js`.
pub(crate) struct JsNumbers<F>(pub(crate) F);

impl<F: Formatter> Formatter for JsNumbers<F> {
    /// `serde_json` writes `null` for NaN and infinities before ever calling this.
    fn write_f64<W: ?Sized + Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        writer.write_all(ryu_js::Buffer::new().format_finite(value).as_bytes())
    }

    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_array(writer)
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object(writer)
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(writer, first)
    }

    fn end_object_key<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_key(writer)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_value(writer)
    }
}

#[cfg(test)]
mod tests {
    use serde::Serialize as _;
    use serde_json::ser::{CompactFormatter, PrettyFormatter};

    use super::*;

    fn compact(json: &str) -> String {
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        let mut out = Vec::new();
        let mut serializer =
            serde_json::Serializer::with_formatter(&mut out, JsNumbers(CompactFormatter));
        value.serialize(&mut serializer).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn floats_read_like_javascript() {
        assert_eq!(
            compact("[1.0, 1000.0, 0.5, 2.5e21, 1e-7, 0.000001, -0.0, 3, -7]"),
            "[1,1000,0.5,2.5e+21,1e-7,0.000001,0,3,-7]"
        );
    }

    #[test]
    fn layout_comes_from_the_wrapped_formatter() {
        let value = serde_json::json!({"a": [1.5, {"b": null}], "c": {}});
        let mut out = Vec::new();
        let formatter = JsNumbers(PrettyFormatter::with_indent(b"   "));
        value
            .serialize(&mut serde_json::Serializer::with_formatter(
                &mut out, formatter,
            ))
            .unwrap();
        let expected = serde_json::to_string_pretty(&value)
            .unwrap()
            .replace("  ", "   ");
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }
}
