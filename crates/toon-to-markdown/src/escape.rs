//! Escaping text so that Markdown shows it literally.
//!
//! Every escape is a backslash before an ASCII punctuation character, except line breaks:
//! a hard break (`\` at the end of a line) inside paragraphs and list items, `<br>` in
//! headings, keys and table cells. `markdown-to-toon` undoes exactly these, which is what
//! makes Markdown → TOON → Markdown → TOON stable.

use std::borrow::Cow;

/// Where text is written: it decides how line breaks and line starts are handled.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Context {
    /// A paragraph or list item text, starting a line; continuation lines are indented
    /// by this many spaces.
    Block(usize),
    /// A field's value after `**key**:`: like a block, but its first line does not start
    /// a line of the document.
    Value(usize),
    /// A heading: one line, breaks as `<br>`, every `#` escaped (a trailing one would
    /// close the heading).
    Heading,
    /// A bold key or a table cell: one line, breaks as `<br>`.
    Inline,
}

impl Context {
    fn is_block(self) -> bool {
        matches!(self, Context::Block(_) | Context::Value(_))
    }
}

/// Text as it will read back from Markdown: CR and CRLF become LF; in blocks each line
/// loses its leading and trailing spaces and tabs (Markdown drops them), and leading and
/// trailing blank lines go; elsewhere only the ends are trimmed. Borrowed when nothing
/// changes (the common case).
pub(crate) fn normalize(text: &str, context: Context) -> Cow<'_, str> {
    if text.contains('\r') {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        return Cow::Owned(normalize(&text, context).into_owned());
    }
    if !context.is_block() {
        return Cow::Borrowed(text.trim_matches(is_space));
    }
    if !text.contains('\n') {
        return Cow::Borrowed(text.trim_matches(is_space));
    }
    let lines: Vec<&str> = text.split('\n').map(|l| l.trim_matches(is_space)).collect();
    let first = lines.iter().position(|l| !l.is_empty());
    let last = lines.iter().rposition(|l| !l.is_empty());
    match (first, last) {
        (Some(first), Some(last)) => Cow::Owned(lines[first..=last].join("\n")),
        _ => Cow::Borrowed(""),
    }
}

/// Whether `text` is empty once [`normalize`]d for a block.
pub(crate) fn is_blank(text: &str) -> bool {
    text.bytes()
        .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Writes `text` escaped into `out`. `text` must be [`normalize`]d for `context`.
pub(crate) fn write_escaped(out: &mut String, text: &str, context: Context) {
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            match context {
                Context::Block(indent) | Context::Value(indent) => {
                    out.push_str("\\\n");
                    push_spaces(out, indent);
                }
                Context::Heading | Context::Inline => out.push_str("<br>"),
            }
        }
        let line_start = match context {
            Context::Block(_) => true,
            Context::Value(_) => index > 0,
            Context::Heading | Context::Inline => false,
        };
        write_line(out, line, line_start, context == Context::Heading);
    }
}

pub(crate) fn push_spaces(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// Bytes that may need a backslash anywhere in a line.
fn special(byte: u8, heading: bool) -> bool {
    matches!(
        byte,
        b'\\' | b'`' | b'*' | b'|' | b'~' | b'[' | b'_' | b'<' | b'&'
    ) || (heading && byte == b'#')
}

/// One line of text. Escaped everywhere: `\ ` * | ~ [`, `_` unless inside a word, `<`
/// before what could open a tag or autolink, `&` that reads as an entity. At the start
/// of a line of the document, also what would open a block there: `#`, `>`, a list
/// marker (`-`, `+`, `1.`, `1)` before a space), a setext underline or thematic break.
fn write_line(out: &mut String, line: &str, line_start: bool, heading: bool) {
    let bytes = line.as_bytes();
    let start_matters = line_start
        && bytes
            .first()
            .is_some_and(|b| matches!(b, b'#' | b'>' | b'-' | b'+' | b'=') || b.is_ascii_digit());
    if !start_matters && !bytes.iter().any(|&b| special(b, heading)) {
        out.push_str(line);
        return;
    }
    let spaced = |i: usize| bytes.get(i).is_none_or(|&b| b == b' ' || b == b'\t');
    let only = |c: u8| bytes.iter().all(|&b| b == c || b == b' ' || b == b'\t');
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    let ordered = line_start
        && (1..=9).contains(&digits)
        && matches!(bytes.get(digits), Some(b'.' | b')'))
        && spaced(digits + 1);
    let mut copied = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let first = line_start && i == 0;
        let escape = match b {
            b'\\' | b'`' | b'*' | b'|' | b'~' | b'[' => true,
            b'_' => {
                let before = line[..i].chars().next_back();
                let after = line[i + 1..].chars().next();
                !(before.is_some_and(char::is_alphanumeric)
                    && after.is_some_and(char::is_alphanumeric))
            }
            b'<' => bytes
                .get(i + 1)
                .is_some_and(|&n| n.is_ascii_alphabetic() || matches!(n, b'/' | b'!' | b'?')),
            b'&' => starts_entity(&line[i..]),
            b'#' => heading || first,
            b'>' => first,
            b'-' => first && (spaced(1) || only(b'-')),
            b'+' => first && spaced(1),
            b'=' => first && only(b'='),
            b'.' | b')' => ordered && i == digits,
            _ => false,
        };
        if escape {
            out.push_str(&line[copied..i]);
            out.push('\\');
            copied = i;
        }
    }
    out.push_str(&line[copied..]);
}

/// Whether `text` (starting with `&`) reads as an entity reference: `&name;`, `&#10;`,
/// `&#x1F;`.
fn starts_entity(text: &str) -> bool {
    let rest = &text.as_bytes()[1..];
    let end = rest.iter().take(33).position(|&b| b == b';');
    match end {
        Some(0) | None => false,
        Some(end) => {
            let body = &rest[..end];
            body.iter().all(|b| b.is_ascii_alphanumeric())
                || (body[0] == b'#'
                    && body.len() > 1
                    && body[1..].iter().all(|b| b.is_ascii_alphanumeric()))
        }
    }
}

/// The escaped form of `text` in `context` (normalized first).
pub(crate) fn escaped(text: &str, context: Context) -> String {
    let text = normalize(text, context);
    let mut out = String::with_capacity(text.len() + 8);
    write_escaped(&mut out, &text, context);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specials_are_escaped_where_they_matter() {
        assert_eq!(
            escaped(
                "a*b _c_ snake_case [d](e) <f> a < b #g `h` |i| ~j~ \\ x>y",
                Context::Inline
            ),
            "a\\*b \\_c\\_ snake_case \\[d](e) \\<f> a < b #g \\`h\\` \\|i\\| \\~j\\~ \\\\ x>y"
        );
        assert_eq!(escaped("C# #1 #", Context::Heading), "C\\# \\#1 \\#");
    }

    #[test]
    fn line_starts_are_escaped_when_they_open_a_block() {
        assert_eq!(
            escaped(
                "- x\n+ y\n===\n12. w\n3) v\n# h\n> q\n---\n- - -",
                Context::Block(0)
            ),
            "\\- x\\\n\\+ y\\\n\\===\\\n12\\. w\\\n3\\) v\\\n\\# h\\\n\\> q\\\n\\---\\\n\\- - -"
        );
        assert_eq!(
            escaped("-3.5\n0.1.0\n+1\n=x\n1234567890. x", Context::Block(0)),
            "-3.5\\\n0.1.0\\\n+1\\\n=x\\\n1234567890. x"
        );
        assert_eq!(escaped("- x", Context::Inline), "- x");
        assert_eq!(escaped("- x\n- y", Context::Value(2)), "- x\\\n  \\- y");
    }

    #[test]
    fn breaks_depend_on_the_context() {
        assert_eq!(escaped("a\n\nb", Context::Block(2)), "a\\\n  \\\n  b");
        assert_eq!(escaped("a\r\nb", Context::Inline), "a<br>b");
        assert_eq!(escaped("  \n a \n\n", Context::Block(0)), "a");
    }

    #[test]
    fn only_entity_like_ampersands_are_escaped() {
        assert_eq!(
            escaped("AT&T &amp; &#35; &#x23; & ;", Context::Inline),
            "AT&T \\&amp; \\&#35; \\&#x23; & ;"
        );
    }
}
