//! Quote-aware scanning of one line's text (spec §5.1, 4.2 quote spans) and the decoding
//! of tokens into primitives (§4, §7). Every function works on byte offsets into a `&str`
//! and allocates only when a quoted string contains escapes.

use std::borrow::Cow;

use memchr::{memchr2, memchr3};

use crate::value::{Number, Value};

/// A failure inside a token: what went wrong and the byte offset (within the scanned
/// text) to point at.
#[derive(Debug)]
pub(crate) struct TokenError {
    pub(crate) offset: usize,
    pub(crate) message: &'static str,
}

/// Offset of the `"` closing the quote span opened at `open`, honouring `\` escapes.
#[inline]
pub(crate) fn closing_quote(s: &str, open: usize) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = open + 1;
    while let Some(found) = memchr2(b'"', b'\\', &bytes[i..]) {
        let at = i + found;
        if bytes[at] == b'"' {
            return Some(at);
        }
        i = at + 2;
        if i > bytes.len() {
            return None;
        }
    }
    None
}

/// First unquoted `a` and first unquoted `b` before it (or anywhere, when `a` is absent).
/// Used to classify lines: `a` = `:`, `b` = `[` (header test) or the delimiter (row test).
#[inline]
pub(crate) fn first_unquoted_pair(s: &str, a: u8, b: u8) -> (Option<usize>, Option<usize>) {
    let bytes = s.as_bytes();
    let mut first_b = None;
    let mut i = 0;
    while let Some(found) = memchr3(b'"', a, b, &bytes[i..]) {
        let at = i + found;
        let byte = bytes[at];
        if byte == b'"' {
            match closing_quote(s, at) {
                Some(close) => i = close + 1,
                None => return (None, first_b), // an unclosed span runs to the end
            }
        } else if byte == a {
            return (Some(at), first_b);
        } else {
            if first_b.is_none() {
                first_b = Some(at);
            }
            i = at + 1;
        }
    }
    (None, first_b)
}

/// Whether an unquoted `a` comes before every unquoted `b` (and is there). Stops at the
/// first of them, so a table row (`b` = its delimiter) is rarely scanned to its end.
#[inline]
pub(crate) fn unquoted_before(s: &str, a: u8, b: u8) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(found) = memchr3(b'"', a, b, &bytes[i..]) {
        let at = i + found;
        match bytes[at] {
            b'"' => match closing_quote(s, at) {
                Some(close) => i = close + 1,
                None => return false, // an unclosed span runs to the end
            },
            byte => return byte == a,
        }
    }
    false
}

/// First unquoted occurrence of `target`.
#[inline]
pub(crate) fn first_unquoted(s: &str, target: u8) -> Option<usize> {
    first_unquoted_pair(s, target, target).0
}

/// Removes leading and trailing U+0020 (only spaces: tabs and NBSP are content).
#[inline]
pub(crate) fn trim_spaces(s: &str) -> &str {
    // A byte loop: `trim_matches(' ')` goes through the generic char-pattern machinery,
    // which cost 4 % of a decode. Spaces are ASCII, so both cuts are char boundaries.
    let bytes = s.as_bytes();
    let start = bytes.iter().position(|&b| b != b' ').unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|&b| b != b' ')
        .map_or(start, |i| i + 1);
    &s[start..end]
}

/// Splits `s` on unquoted `delim`, calling `each` with every space-trimmed cell and its
/// byte offset in `s`. Empty input yields no cells; `a,,b` yields an empty middle cell.
#[inline]
pub(crate) fn split_cells<'a, E>(
    s: &'a str,
    delim: u8,
    mut each: impl FnMut(&'a str, usize) -> Result<(), E>,
) -> Result<(), E> {
    if s.is_empty() {
        return Ok(());
    }
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    loop {
        match memchr2(b'"', delim, &bytes[i..]) {
            Some(found) => {
                let at = i + found;
                if bytes[at] == b'"' {
                    match closing_quote(s, at) {
                        Some(close) => i = close + 1,
                        None => i = bytes.len(),
                    }
                } else {
                    emit_cell(s, start, at, &mut each)?;
                    start = at + 1;
                    i = start;
                }
            }
            None => {
                emit_cell(s, start, bytes.len(), &mut each)?;
                return Ok(());
            }
        }
        if i >= bytes.len() {
            emit_cell(s, start, bytes.len(), &mut each)?;
            return Ok(());
        }
    }
}

#[inline]
fn emit_cell<'a, E>(
    s: &'a str,
    start: usize,
    end: usize,
    each: &mut impl FnMut(&'a str, usize) -> Result<(), E>,
) -> Result<(), E> {
    let raw = &s[start..end];
    let leading = raw.len() - raw.trim_start_matches(' ').len();
    each(trim_spaces(raw), start + leading)
}

/// Decodes a quoted token: `token` starts with `"` and its closing quote must be its last
/// character. Borrows when there is no escape.
pub(crate) fn parse_quoted(token: &str) -> Result<Cow<'_, str>, TokenError> {
    let Some(close) = closing_quote(token, 0) else {
        return Err(TokenError {
            offset: 0,
            message: "unterminated string: missing closing quote",
        });
    };
    if close != token.len() - 1 {
        return Err(TokenError {
            offset: close + 1,
            message: "unexpected characters after the closing quote",
        });
    }
    unescape(&token[1..close]).map_err(|e| TokenError {
        offset: e.offset + 1,
        message: e.message,
    })
}

/// Resolves the escapes `\\ \" \n \r \t \uXXXX` (no surrogates); any other escape is an
/// error. Raw characters, controls included, are kept as they are.
pub(crate) fn unescape(body: &str) -> Result<Cow<'_, str>, TokenError> {
    let bytes = body.as_bytes();
    let Some(first) = memchr::memchr(b'\\', bytes) else {
        return Ok(Cow::Borrowed(body));
    };
    let mut out = String::with_capacity(body.len());
    out.push_str(&body[..first]);
    let mut i = first;
    loop {
        // bytes[i] == b'\\'
        let bad = |message| TokenError { offset: i, message };
        match bytes.get(i + 1) {
            Some(b'\\') => out.push('\\'),
            Some(b'"') => out.push('"'),
            Some(b'n') => out.push('\n'),
            Some(b'r') => out.push('\r'),
            Some(b't') => out.push('\t'),
            Some(b'u') => {
                let hex = bytes
                    .get(i + 2..i + 6)
                    .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
                    .ok_or_else(|| bad("invalid escape: \\u must be followed by 4 hex digits"))?;
                let code = hex.iter().fold(0u32, |acc, &h| {
                    acc * 16 + (h as char).to_digit(16).unwrap_or(0)
                });
                let ch = char::from_u32(code).ok_or_else(|| {
                    bad("invalid escape: surrogate code points must be written as literal UTF-8")
                })?;
                out.push(ch);
                i += 4;
            }
            Some(_) => {
                return Err(bad(
                    "invalid escape: only \\\\ \\\" \\n \\r \\t and \\uXXXX are allowed",
                ));
            }
            None => return Err(bad("invalid escape: backslash at the end of the string")),
        }
        i += 2;
        match memchr::memchr(b'\\', &bytes[i..]) {
            Some(next) => {
                out.push_str(&body[i..i + next]);
                i += next;
            }
            None => {
                out.push_str(&body[i..]);
                return Ok(Cow::Owned(out));
            }
        }
    }
}

/// Where a token sits, which decides what `[]` means (spec §4: an empty array only in
/// field, root and list-item position; the string `"[]"` in cells).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenPosition {
    Value,
    Cell,
}

/// Decodes one space-trimmed token into a primitive: quoted string, `true`/`false`/
/// `null`, a number by the JSON grammar, else the text itself as a string.
/// `big_integers`: see [`DecodeOptions::with_big_integers`](crate::DecodeOptions::with_big_integers).
#[inline]
pub(crate) fn parse_primitive(
    token: &str,
    position: TokenPosition,
    big_integers: bool,
) -> Result<Value<'_>, TokenError> {
    let bytes = token.as_bytes();
    match bytes.first() {
        None => Ok(Value::String(Cow::Borrowed(""))),
        Some(b'"') => parse_quoted(token).map(Value::String),
        Some(b'-' | b'0'..=b'9') => Ok(Number::parse(token, big_integers)
            .map_or_else(|| Value::String(Cow::Borrowed(token)), Value::Number)),
        Some(b't') if token == "true" => Ok(Value::Bool(true)),
        Some(b'f') if token == "false" => Ok(Value::Bool(false)),
        Some(b'n') if token == "null" => Ok(Value::Null),
        Some(b'[') if token == "[]" && position == TokenPosition::Value => {
            Ok(Value::Array(Vec::new()))
        }
        _ => Ok(Value::String(Cow::Borrowed(token))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prim(s: &str) -> Value<'_> {
        parse_primitive(s, TokenPosition::Value, false).unwrap()
    }

    #[test]
    fn number_grammar_gates_parsing() {
        for s in [
            "05", "-05", "007", ".5", "1.", "+1", "+1e2", "Infinity", "NaN", "0x10", "1_000", "1e",
            "--1", "1e400", "-",
        ] {
            assert_eq!(prim(s), Value::String(Cow::Borrowed(s)), "{s}");
        }
        assert_eq!(prim("-0"), Value::from(0));
        assert_eq!(prim("0e1"), Value::from(0));
        assert_eq!(prim("-0.0"), Value::from(0));
        assert_eq!(prim("1.5000"), Value::from(1.5));
        assert_eq!(prim("2.5e2"), Value::from(250));
        assert_eq!(prim("-1E+03"), Value::from(-1000));
        assert_eq!(prim("3E-02"), Value::from(0.03));
        assert_eq!(prim("18446744073709551615"), Value::from(u64::MAX));
        assert_eq!(prim("-9223372036854775808"), Value::from(i64::MIN));
        assert_eq!(prim("1e-400"), Value::from(0));
    }

    #[test]
    fn big_integers_keep_their_digits_on_request() {
        let big = |s| parse_primitive(s, TokenPosition::Value, true).unwrap();
        let long = "1".repeat(400);
        for s in [
            "18446744073709551616",
            "-9223372036854775809",
            long.as_str(),
        ] {
            assert_eq!(big(s).as_number().and_then(Number::as_big_integer), Some(s));
            assert!(prim(s).as_number().is_none_or(|n| !n.is_integer()), "{s}");
        }
        assert_eq!(big("18446744073709551615"), Value::from(u64::MAX));
        for s in ["1e20", "100000000000000000000.0", "-1.5"] {
            assert!(!big(s).as_number().unwrap().is_integer(), "{s}");
        }
        assert_eq!(
            big("0100000000000000000000"),
            Value::from("0100000000000000000000")
        );
    }

    #[test]
    fn escapes() {
        assert_eq!(parse_quoted(r#""a\u00E9\u00e9\n""#).unwrap(), "aéé\n");
        for bad in [
            r#""\/""#,
            r#""\x""#,
            r#""\u00b""#,
            r#""\uD800""#,
            r#""\ud83d\ude00""#,
            r#""a"b"#,
            r#""a"#,
        ] {
            assert!(parse_quoted(bad).is_err(), "{bad}");
        }
        assert!(matches!(
            parse_quoted("\"x\u{1}\ty\"").unwrap(),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn cells_split_outside_quotes() {
        let mut cells = Vec::new();
        split_cells::<()>(r#"a, "b,c" ,,d"e,f"g"#, b',', |c, _| {
            cells.push(c);
            Ok(())
        })
        .unwrap();
        assert_eq!(cells, ["a", "\"b,c\"", "", "d\"e,f\"g"]);
    }

    #[test]
    fn classification_scan_skips_quotes() {
        assert_eq!(
            first_unquoted_pair(r#""a:b"[2]: x"#, b':', b'['),
            (Some(8), Some(5))
        );
        assert_eq!(
            first_unquoted_pair(r#"a"b:c"d: 1"#, b':', b'['),
            (Some(7), None)
        );
        assert_eq!(
            first_unquoted_pair(r#""unclosed: x"#, b':', b'['),
            (None, None)
        );
    }

    #[test]
    fn row_test_stops_at_the_first_delimiter_or_colon() {
        assert!(unquoted_before("a: 1", b':', b','));
        assert!(unquoted_before(r#""x,y": 1,2"#, b':', b','));
        assert!(!unquoted_before("1,a:b", b':', b','));
        assert!(!unquoted_before(r#""a:b",c"#, b':', b','));
        assert!(!unquoted_before(r#""open: x"#, b':', b','));
        assert!(!unquoted_before("plain", b':', b','));
    }
}
