//! Array and keyed headers (spec §6): `key[N]:`, `key[N|]: a|b`, `key[N]{a,b{c,d}}:`,
//! `key[N:]{a,b}:`, with quoted keys and field names.

use std::borrow::Cow;

use super::scan::{closing_quote, parse_quoted, trim_spaces};

/// A parsed header line.
pub(crate) struct Header<'a> {
    /// The key before `[`; `None` for keyless headers (`[2]: ...`).
    pub(crate) key: Option<Cow<'a, str>>,
    /// The text the key was read from (for error locations).
    pub(crate) key_text: &'a str,
    /// The declared length; `None` when it does not fit in `usize` (it can then never
    /// match, and is never wrapped around).
    pub(crate) length: Option<usize>,
    /// The digits of the declared length, as written.
    pub(crate) length_text: &'a str,
    /// `[N:]`: an object in keyed tabular form.
    pub(crate) keyed: bool,
    /// The active delimiter byte.
    pub(crate) delimiter: u8,
    /// The field list, if any.
    pub(crate) fields: Option<Vec<FieldSpec<'a>>>,
    /// Number of leaf fields (cells per row).
    pub(crate) leaf_count: usize,
    /// Space-trimmed text after the header's colon.
    pub(crate) rest: &'a str,
    /// Offset of a field name repeated within one level (a strict-mode error; non-strict
    /// mode lets the last one win).
    pub(crate) duplicate_field: Option<usize>,
}

/// One entry of a field list: a leaf, or a nested group with children.
#[derive(Clone)]
pub(crate) struct FieldSpec<'a> {
    pub(crate) name: Cow<'a, str>,
    pub(crate) children: Option<Vec<FieldSpec<'a>>>,
}

/// A header problem: message and byte offset within the parsed text.
pub(crate) struct HeaderError {
    pub(crate) offset: usize,
    pub(crate) message: String,
}

fn fail<T>(offset: usize, message: impl Into<String>) -> Result<T, HeaderError> {
    Err(HeaderError {
        offset,
        message: message.into(),
    })
}

/// Parses `text` (a line's content, or what follows a list-item hyphen) whose first
/// unquoted `[` is at `bracket` and precedes the first unquoted `:`. The whole text must
/// match the header grammar.
/// Field groups may nest at most `max_depth` levels.
pub(crate) fn parse_header(
    text: &str,
    bracket: usize,
    max_depth: usize,
) -> Result<Header<'_>, HeaderError> {
    let bytes = text.as_bytes();
    let key_text = &text[..bracket];
    let key = if key_text.is_empty() {
        None
    } else {
        if key_text.ends_with([' ', '\t']) {
            return fail(
                bracket - 1,
                "whitespace between a key and its `[` is not allowed",
            );
        }
        if key_text.starts_with('"') {
            match parse_quoted(key_text) {
                Ok(key) => Some(key),
                Err(e) => return fail(e.offset, e.message),
            }
        } else {
            Some(Cow::Borrowed(key_text))
        }
    };

    // Length: 0 or a digit string without a leading zero.
    let mut i = bracket + 1;
    let digits_start = i;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        i += 1;
    }
    let digits = &text[digits_start..i];
    if digits.is_empty() || (digits.len() > 1 && digits.starts_with('0')) {
        return fail(
            digits_start,
            "invalid array length: expected 0 or digits without a leading zero",
        );
    }
    // Too large for the host is still a header whose count simply cannot match.
    let length = digits.parse::<usize>().ok();

    let keyed = bytes.get(i) == Some(&b':');
    if keyed {
        i += 1;
    }
    let delimiter = match bytes.get(i) {
        Some(b'\t') => {
            i += 1;
            b'\t'
        }
        Some(b'|') => {
            i += 1;
            b'|'
        }
        _ => b',',
    };
    if bytes.get(i) != Some(&b']') {
        return fail(i, "malformed bracket segment: expected `]`");
    }
    i += 1;

    let mut fields = None;
    let mut leaf_count = 0;
    let mut duplicate = None;
    if bytes.get(i) == Some(&b'{') {
        let (list, end) = parse_field_list(text, i + 1, delimiter, max_depth)?;
        leaf_count = count_leaves(&list);
        duplicate = duplicate_field(&list, text);
        fields = Some(list);
        i = end;
    }
    if bytes.get(i) != Some(&b':') {
        return fail(i, "expected `:` after the header");
    }
    let rest = trim_spaces(&text[i + 1..]);
    if keyed && fields.is_none() {
        return fail(i, "a keyed header `[N:]` needs a field list");
    }
    if fields.is_some() && !rest.is_empty() {
        return fail(
            text.len() - rest.len(),
            "a header with a field list must end at its colon",
        );
    }
    Ok(Header {
        key,
        key_text,
        length,
        length_text: digits,
        keyed,
        delimiter,
        fields,
        leaf_count,
        rest,
        duplicate_field: duplicate,
    })
}

/// Parses a field list starting just after `{`; returns the entries and the offset just
/// after the matching `}`.
fn parse_field_list(
    text: &str,
    start: usize,
    delimiter: u8,
    depth_left: usize,
) -> Result<(Vec<FieldSpec<'_>>, usize), HeaderError> {
    if depth_left == 0 {
        return fail(start, "field groups nest deeper than the nesting limit");
    }
    let bytes = text.as_bytes();
    let mut fields = Vec::new();
    let mut i = start;
    loop {
        // One name token: up to the delimiter, `{` or `}` outside quotes.
        let name_start = i;
        while i < bytes.len() {
            match bytes[i] {
                b'"' => match closing_quote(text, i) {
                    Some(close) => i = close + 1,
                    None => return fail(i, "unterminated quoted field name"),
                },
                b'{' | b'}' => break,
                b if b == delimiter => break,
                b',' | b'|' | b'\t' => {
                    return fail(
                        i,
                        "field list uses a delimiter other than the one its bracket declares",
                    );
                }
                _ => i += 1,
            }
        }
        if i >= bytes.len() {
            return fail(i, "unclosed field list: expected `}`");
        }
        let raw = &text[name_start..i];
        let token = trim_spaces(raw);
        if token.is_empty() {
            return fail(
                name_start,
                if bytes[i] == b'{' {
                    "nested field group without a name"
                } else {
                    "empty field name"
                },
            );
        }
        let name = if token.starts_with('"') {
            match parse_quoted(token) {
                Ok(name) => name,
                Err(e) => {
                    let token_start = name_start + (raw.len() - raw.trim_start_matches(' ').len());
                    return fail(token_start + e.offset, e.message);
                }
            }
        } else {
            Cow::Borrowed(token)
        };
        let mut children = None;
        if bytes[i] == b'{' {
            if raw.ends_with([' ', '\t']) {
                return fail(
                    i - 1,
                    "whitespace between a field name and its nested group",
                );
            }
            let (inner, end) = parse_field_list(text, i + 1, delimiter, depth_left - 1)?;
            children = Some(inner);
            i = end;
            while i < bytes.len() && bytes[i] == b' ' {
                i += 1;
            }
        }
        fields.push(FieldSpec { name, children });
        match bytes.get(i) {
            Some(b'}') => return Ok((fields, i + 1)),
            Some(&b) if b == delimiter => i += 1,
            Some(_) => return fail(i, "expected a delimiter or `}` in the field list"),
            None => return fail(i, "unclosed field list: expected `}`"),
        }
    }
}

fn count_leaves(fields: &[FieldSpec<'_>]) -> usize {
    fields
        .iter()
        .map(|f| f.children.as_deref().map_or(1, count_leaves))
        .sum()
}

/// Offset of a field name repeated within one level, if any.
fn duplicate_field(fields: &[FieldSpec<'_>], text: &str) -> Option<usize> {
    let mut seen = std::collections::HashSet::new();
    for (i, field) in fields.iter().enumerate() {
        let repeated = if fields.len() <= 16 {
            fields[..i].iter().any(|other| other.name == field.name)
        } else {
            !seen.insert(field.name.as_ref())
        };
        if repeated {
            let offset = text.find(field.name.as_ref()).unwrap_or(0);
            return Some(offset);
        }
        if let Some(children) = &field.children
            && let Some(offset) = duplicate_field(children, text)
        {
            return Some(offset);
        }
    }
    None
}
