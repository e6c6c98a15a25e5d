//! When strings and keys must be quoted (spec §7.2, §7.3) and how they are escaped (§7.1).

/// Bytes that force quoting wherever they appear: `:`, `"`, `\`, brackets, braces and the
/// C0 controls. The document delimiter is checked separately.
const SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b':' as usize] = true;
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table[b'[' as usize] = true;
    table[b']' as usize] = true;
    table[b'{' as usize] = true;
    table[b'}' as usize] = true;
    table
};

/// The bytes that force quoting anywhere in a string under document delimiter `delim`:
/// [`SPECIAL`] plus the delimiter, so the scan does one lookup per byte.
pub(crate) fn quote_table(delim: u8) -> [bool; 256] {
    let mut table = SPECIAL;
    table[delim as usize] = true;
    table
}

/// True when the string value `s` must be written quoted; `table` comes from
/// [`quote_table`] for the document delimiter.
#[inline]
pub(crate) fn needs_quotes(s: &str, table: &[bool; 256]) -> bool {
    let bytes = s.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return true; // empty string
    };
    if matches!(first, b' ' | b'\t' | b'-' | b'#') || matches!(last, b' ' | b'\t') {
        return true;
    }
    if any_special(bytes, table) {
        return true;
    }
    match first {
        b't' | b'f' | b'n' => matches!(s, "true" | "false" | "null"),
        b'0'..=b'9' | b'+' => is_numeric_like(bytes),
        _ => false,
    }
}

/// Whether any byte is in `table`: eight lookups OR-ed without branching per chunk,
/// which halves the instructions of a byte-at-a-time early-exit loop on typical values.
#[inline]
fn any_special(bytes: &[u8], table: &[bool; 256]) -> bool {
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut hit = false;
        for &b in chunk {
            hit |= table[b as usize];
        }
        if hit {
            return true;
        }
    }
    chunks
        .remainder()
        .iter()
        .fold(false, |hit, &b| hit | table[b as usize])
}

/// `^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$` — what a decoder could mistake for a number
/// (leading zeros and a `+` sign included, so `05` and `+1` stay strings).
fn is_numeric_like(bytes: &[u8]) -> bool {
    let mut i = 0;
    if matches!(bytes.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < bytes.len() && bytes[*i].is_ascii_digit() {
            *i += 1;
        }
        *i > start
    };
    if !digits(&mut i) {
        return false;
    }
    if i < bytes.len() && bytes[i] == b'.' {
        i += 1;
        if !digits(&mut i) {
            return false;
        }
    }
    if i < bytes.len() && matches!(bytes[i], b'e' | b'E') {
        i += 1;
        if i < bytes.len() && matches!(bytes[i], b'+' | b'-') {
            i += 1;
        }
        if !digits(&mut i) {
            return false;
        }
    }
    i == bytes.len()
}

/// Bytes allowed after the first in a bare key: `[A-Za-z0-9_.]`.
const KEY_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'_' || c == b'.';
        b += 1;
    }
    table
};

/// True when `key` may be written bare: `^[A-Za-z_][A-Za-z0-9_.]*$`.
#[inline]
pub(crate) fn is_bare_key(key: &str) -> bool {
    let bytes = key.as_bytes();
    match bytes.first() {
        Some(b) if b.is_ascii_alphabetic() || *b == b'_' => {}
        _ => return false,
    }
    bytes[1..]
        .iter()
        .fold(true, |bare, &b| bare & KEY_BYTE[b as usize])
}

/// Bytes that need an escape inside quotes: `\\`, `"` and the C0 controls.
const ESCAPED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

/// The position of the first byte at or after `from` that needs an escape, or the length.
/// Eight bytes at a time (SWAR): a word is skipped when none of its bytes is below 0x20,
/// `"` or `\\`; 1.5 operations a byte instead of a table lookup and branch per byte.
#[inline]
fn next_escaped(bytes: &[u8], mut from: usize) -> usize {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    /// Non-zero when some byte of `x` is zero (may flag more bytes, never fewer).
    #[inline]
    fn has_zero(x: u64) -> u64 {
        x.wrapping_sub(ONES) & !x & HIGHS
    }
    while let Some(chunk) = bytes.get(from..from + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_ne_bytes(word);
        let control = x.wrapping_sub(ONES * 0x20) & !x & HIGHS;
        let quote = has_zero(x ^ (ONES * u64::from(b'"')));
        let backslash = has_zero(x ^ (ONES * u64::from(b'\\')));
        if control | quote | backslash != 0 {
            break;
        }
        from += 8;
    }
    while from < bytes.len() && !ESCAPED[bytes[from] as usize] {
        from += 1;
    }
    from
}

/// Calls `emit` with the escaped body of a quoted string, in slices: `\\ \" \n \r \t`,
/// other C0 controls as lowercase `\u00xx`, everything else literal.
#[inline]
pub(crate) fn escape(s: &str, mut emit: impl FnMut(&str)) {
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    loop {
        i = next_escaped(bytes, i);
        if i == bytes.len() {
            break;
        }
        if start < i {
            emit(&s[start..i]);
        }
        let b = bytes[i];
        let code;
        let replacement: &str = match b {
            b'\\' => "\\\\",
            b'"' => "\\\"",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                code = [
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[(b >> 4) as usize],
                    HEX[(b & 0xf) as usize],
                ];
                // The six bytes are ASCII by construction.
                std::str::from_utf8(&code).unwrap_or_default()
            }
        };
        emit(replacement);
        i += 1;
        start = i;
    }
    if start < bytes.len() {
        emit(&s[start..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_rules_from_the_digest() {
        for s in [
            "",
            " a",
            "a ",
            "\ta",
            "true",
            "false",
            "null",
            "42",
            "-3.14",
            "05",
            "+1",
            "1e5",
            "1E-6",
            "1.0",
            "-",
            "-x",
            "- item",
            "#",
            "#x",
            "a:b",
            "a\"b",
            "a\\b",
            "[]",
            "a[test]",
            "{key}",
            "x\ny",
            "a,b",
            "a\u{1}b",
            "-\u{301}",
            "#\u{301}",
            "a,\u{301}b",
        ] {
            assert!(needs_quotes(s, &quote_table(b',')), "{s:?} must be quoted");
        }
        for s in [
            "a b", "a-b", "x#y", "a-b #c", ".5", "0x10", "1_000", "NaN", "Infinity", "True",
            "nullx", "é", "你好", "🚀", "\u{a0}a", "a|b", "1.", "1e", "1.5.2",
        ] {
            assert!(!needs_quotes(s, &quote_table(b',')), "{s:?} must stay bare");
        }
        assert!(!needs_quotes("a,b", &quote_table(b'|')));
        assert!(needs_quotes("a|b", &quote_table(b'|')));
        assert!(needs_quotes("a\tb", &quote_table(b'\t')));
    }

    #[test]
    fn bare_keys() {
        for k in ["a", "a.b", "_x", "A9_.z", "__proto__"] {
            assert!(is_bare_key(k), "{k}");
        }
        for k in [
            "",
            "1a",
            "a-b",
            "full name",
            "café",
            "名前",
            "123",
            "order:id",
            "-lead",
        ] {
            assert!(!is_bare_key(k), "{k}");
        }
    }

    #[test]
    fn escapes_are_lowercase_and_minimal() {
        let mut out = String::new();
        escape("a\\\"\n\r\t\u{4}\u{1f}\u{8}\u{c}\u{7f}\u{2028}🚀", |s| {
            out.push_str(s)
        });
        assert_eq!(
            out,
            "a\\\\\\\"\\n\\r\\t\\u0004\\u001f\\u0008\\u000c\u{7f}\u{2028}🚀"
        );
    }

    /// The word-at-a-time scan finds every byte that needs an escape, at every position
    /// of a word and in the tail, next to UTF-8 text and bytes above 0x7f.
    #[test]
    fn escape_scan_finds_every_escaped_byte_at_every_position() {
        fn naive(s: &str) -> String {
            let mut out = String::new();
            for c in s.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '"' => out.push_str("\\\""),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                    c => out.push(c),
                }
            }
            out
        }
        let fillers = [
            "abcdefghijklmnopqrstuvwxyz",
            "ééééééééééé",
            "~~~~~~~~~~~~~~~~~~~~~~",
        ];
        for filler in fillers {
            for special in (0u8..0x80).map(char::from).chain(['é', '\u{7f}', '🚀']) {
                for at in 0..filler.chars().count() {
                    let s: String = filler
                        .chars()
                        .enumerate()
                        .map(|(i, c)| if i == at { special } else { c })
                        .collect();
                    let mut out = String::new();
                    escape(&s, |part| out.push_str(part));
                    assert_eq!(out, naive(&s), "{s:?}");
                }
            }
        }
    }
}
