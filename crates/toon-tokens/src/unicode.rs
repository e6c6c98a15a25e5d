//! Character classes of the pre-tokenizer, from tables that `build.rs` writes with
//! `regex-syntax` (so they are the very classes tiktoken's regex engine uses), and a
//! UTF-8 decoder for text already known to be valid.

use super::tables::{ASCII_FLAGS, FLAG_BLOCKS, FLAG_STAGE1};

/// `\p{L}`.
pub(crate) const LETTER: u8 = 1;
/// `\p{N}`.
pub(crate) const NUMBER: u8 = 2;
/// `\s`: the White_Space property.
pub(crate) const SPACE: u8 = 4;
/// `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]`, o200k's "upper" class.
pub(crate) const UPPER: u8 = 8;
/// `[\p{Ll}\p{Lm}\p{Lo}\p{M}]`, o200k's "lower" class.
pub(crate) const LOWER: u8 = 16;

/// One decoded character: code point, length in bytes and class bits.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Char {
    /// The code point.
    pub(crate) cp: u32,
    /// Its UTF-8 length.
    pub(crate) len: usize,
    /// Its class bits.
    pub(crate) flags: u8,
}

/// The class bits of `cp`.
#[inline(always)]
pub(crate) fn flags(cp: u32) -> u8 {
    if cp < 0x80 {
        ASCII_FLAGS[cp as usize]
    } else {
        let block = usize::from(FLAG_STAGE1[(cp >> 8) as usize]);
        FLAG_BLOCKS[(block << 8) | (cp & 0xFF) as usize]
    }
}

/// The character starting at byte `at` of `text`, which is valid UTF-8 (a `str`'s bytes)
/// and has a character boundary at `at`.
#[inline(always)]
pub(crate) fn char_at(text: &[u8], at: usize) -> Char {
    let b0 = text[at];
    if b0 < 0x80 {
        return Char {
            cp: u32::from(b0),
            len: 1,
            flags: ASCII_FLAGS[usize::from(b0)],
        };
    }
    let (cp, len) = if b0 < 0xE0 {
        (
            (u32::from(b0 & 0x1F) << 6) | u32::from(text[at + 1] & 0x3F),
            2,
        )
    } else if b0 < 0xF0 {
        (
            (u32::from(b0 & 0x0F) << 12)
                | (u32::from(text[at + 1] & 0x3F) << 6)
                | u32::from(text[at + 2] & 0x3F),
            3,
        )
    } else {
        (
            (u32::from(b0 & 0x07) << 18)
                | (u32::from(text[at + 1] & 0x3F) << 12)
                | (u32::from(text[at + 2] & 0x3F) << 6)
                | u32::from(text[at + 3] & 0x3F),
            4,
        )
    };
    Char {
        cp,
        len,
        flags: flags(cp),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_of_known_characters() {
        assert_eq!(flags('a' as u32), LETTER | LOWER);
        assert_eq!(flags('A' as u32), LETTER | UPPER);
        assert_eq!(flags('ǅ' as u32), LETTER | UPPER); // Lt
        assert_eq!(flags('ʰ' as u32), LETTER | UPPER | LOWER); // Lm
        assert_eq!(flags('中' as u32), LETTER | UPPER | LOWER); // Lo
        assert_eq!(flags(0x301), UPPER | LOWER); // Mn
        assert_eq!(flags('7' as u32), NUMBER);
        assert_eq!(flags('Ⅻ' as u32), NUMBER); // Nl
        assert_eq!(flags('\u{3000}' as u32), SPACE);
        assert_eq!(flags('\u{85}' as u32), SPACE);
        assert_eq!(flags('\u{200B}' as u32), 0); // Cf, not White_Space
        assert_eq!(flags('!' as u32), 0);
        assert_eq!(flags(0x10FFFF), 0);
    }

    #[test]
    fn decodes_every_length() {
        let text = "a\u{e9}\u{4e2d}\u{1F600}";
        let mut at = 0;
        for expected in text.chars() {
            let c = char_at(text.as_bytes(), at);
            assert_eq!(c.cp, expected as u32);
            assert_eq!(c.len, expected.len_utf8());
            at += c.len;
        }
    }
}
