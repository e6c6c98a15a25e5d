//! Hand-written pre-tokenizers equivalent to tiktoken's split regexes.
//!
//! tiktoken cuts text into pieces with a regex (leftmost-first alternation, backtracking
//! as Perl does) before byte-pair merging each piece. These functions return the end of
//! the piece that starts at a given byte, taking the alternatives in the pattern's order
//! and resolving each quantifier as the backtracking engine would; the classes come from
//! the same `regex-syntax` tables ([`super::unicode`]). Every character matches some
//! alternative, so pieces tile the text.
//!
//! `cl100k_base` (tiktoken's current pattern, possessive quantifiers):
//!
//! ```text
//! '(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+
//! |\s++$|\s*[\r\n]|\s+(?!\S)|\s
//! ```
//!
//! `o200k_base` (`U` = `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]`, `W` = `[\p{Ll}\p{Lm}\p{Lo}\p{M}]`,
//! `C` = `(?i:'s|'t|'re|'ve|'m|'ll|'d)`):
//!
//! ```text
//! [^\r\n\p{L}\p{N}]?U*W+C?|[^\r\n\p{L}\p{N}]?U+W*C?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*
//! |\s*[\r\n]+|\s+(?!\S)|\s+
//! ```

use super::unicode::{Char, LETTER, LOWER, NUMBER, SPACE, UPPER, char_at};

const CR: u32 = b'\r' as u32;
const LF: u32 = b'\n' as u32;
const SPACE_CHAR: u32 = b' ' as u32;
const APOSTROPHE: u32 = b'\'' as u32;

/// `[^\r\n\p{L}\p{N}]`: the optional one-character prefix of a word.
#[inline(always)]
fn is_prefix(c: Char) -> bool {
    c.flags & (LETTER | NUMBER) == 0 && c.cp != CR && c.cp != LF
}

/// `[^\s\p{L}\p{N}]`: punctuation, symbols, marks, controls, unassigned.
#[inline(always)]
fn is_other(c: Char) -> bool {
    c.flags & (LETTER | NUMBER | SPACE) == 0
}

/// `\r` or `\n`.
#[inline(always)]
fn is_newline(byte: u8) -> bool {
    byte == b'\r' || byte == b'\n'
}

/// The end of the longest run from `at` of characters having any of the `mask` bits.
#[inline(always)]
fn run_end(text: &[u8], mut at: usize, mask: u8) -> usize {
    while at < text.len() {
        let byte = text[at];
        if byte < 0x80 {
            if super::tables::ASCII_FLAGS[usize::from(byte)] & mask == 0 {
                break;
            }
            at += 1;
        } else {
            let c = char_at(text, at);
            if c.flags & mask == 0 {
                break;
            }
            at += c.len;
        }
    }
    at
}

/// The end of `(?i:'s|'t|'re|'ve|'m|'ll|'d)` at `at`, or `at` when it does not match.
/// Case-insensitive as Unicode simple case folding is: `s` also matches `ſ` (U+017F);
/// `build.rs` checks that no other letter of these has a non-ASCII fold.
#[inline(always)]
pub(crate) fn contraction_end(text: &[u8], at: usize) -> usize {
    let len = text.len();
    if at + 1 >= len || text[at] != b'\'' {
        return at;
    }
    let next = text[at + 1];
    let second = |expected: u8| at + 2 < len && text[at + 2] | 0x20 == expected;
    match next | 0x20 {
        b's' | b't' | b'm' | b'd' => at + 2,
        b'r' | b'v' if second(b'e') => at + 3,
        b'l' if second(b'l') => at + 3,
        _ if next == 0xC5 && at + 2 < len && text[at + 2] == 0xBF => at + 3,
        _ => at,
    }
}

/// `\p{N}{1,3}` at `at`, whose character `first` is a number.
#[inline(always)]
fn digits_end(text: &[u8], at: usize, first: Char) -> usize {
    let mut end = at + first.len;
    for _ in 0..2 {
        if end >= text.len() {
            break;
        }
        let c = char_at(text, end);
        if c.flags & NUMBER == 0 {
            break;
        }
        end += c.len;
    }
    end
}

/// ` ?[^\s\p{L}\p{N}]+` then a run of `\r`, `\n` (and `/` when `slash`), if it matches at
/// `at` (first character `first`).
#[inline(always)]
fn other_end(text: &[u8], at: usize, first: Char, slash: bool) -> Option<usize> {
    let mut end = at;
    if first.cp == SPACE_CHAR {
        let next = at + 1;
        if next < text.len() && is_other(char_at(text, next)) {
            end = next;
        } else {
            return None;
        }
    } else if !is_other(first) {
        return None;
    }
    while end < text.len() {
        let c = char_at(text, end);
        if !is_other(c) {
            break;
        }
        end += c.len;
    }
    while end < text.len() && (is_newline(text[end]) || (slash && text[end] == b'/')) {
        end += 1;
    }
    Some(end)
}

/// What the whitespace alternatives need to know of the run of `\s` starting at `at`.
struct SpaceRun {
    /// The run's end.
    end: usize,
    /// Where its last character starts.
    last_start: usize,
    /// The byte after its last `\r` or `\n`, if it has one.
    after_newline: Option<usize>,
    /// Whether it has two characters or more.
    several: bool,
}

#[inline(always)]
fn space_run(text: &[u8], at: usize) -> SpaceRun {
    let mut run = SpaceRun {
        end: at,
        last_start: at,
        after_newline: None,
        several: false,
    };
    while run.end < text.len() {
        let c = char_at(text, run.end);
        if c.flags & SPACE == 0 {
            break;
        }
        if c.cp == CR || c.cp == LF {
            run.after_newline = Some(run.end + 1);
        }
        run.several = run.end > at;
        run.last_start = run.end;
        run.end += c.len;
    }
    run
}

/// A source of piece ends: each call gives the end of the piece that starts where the
/// last one ended, until the text is done.
pub(crate) trait PieceEnds {
    /// The end of the next piece, or `None` at the end of the text.
    fn next_end(&mut self) -> Option<usize>;

    /// The bounds of the next piece of two bytes or more, or `None` at the end of the
    /// text; the one-byte pieces passed over on the way (one token each) are added to
    /// `singles`. A source is read with this or with [`PieceEnds::next_end`], not both.
    #[inline(always)]
    fn next_long(&mut self, start: usize, singles: &mut usize) -> Option<(usize, usize)> {
        let mut start = start;
        while let Some(end) = self.next_end() {
            if end - start > 1 {
                return Some((start, end));
            }
            *singles += 1;
            start = end;
        }
        None
    }
}

/// The piece ends of a text found one piece at a time by a piece-end function.
#[derive(Debug, Clone)]
pub(crate) struct ScalarEnds<'a, F> {
    text: &'a [u8],
    at: usize,
    end_at: F,
}

impl<'a, F: Fn(&[u8], usize) -> usize> ScalarEnds<'a, F> {
    /// The piece ends of `text` under the piece-end function `end_at`.
    pub(crate) fn new(text: &'a [u8], end_at: F) -> Self {
        ScalarEnds {
            text,
            at: 0,
            end_at,
        }
    }
}

impl<F: Fn(&[u8], usize) -> usize> PieceEnds for ScalarEnds<'_, F> {
    #[inline(always)]
    fn next_end(&mut self) -> Option<usize> {
        if self.at >= self.text.len() {
            return None;
        }
        self.at = (self.end_at)(self.text, self.at);
        Some(self.at)
    }
}

/// The end of the `cl100k_base` piece starting at `at` (`at < text.len()`).
#[inline(always)]
pub(crate) fn cl100k_end(text: &[u8], at: usize) -> usize {
    match cl100k_ascii(text, at) {
        Some(end) => end,
        None => cl100k_general(text, at),
    }
}

/// [`cl100k_end`] for any character.
#[inline(never)]
fn cl100k_general(text: &[u8], at: usize) -> usize {
    let first = char_at(text, at);
    // '(?i:[sdmt]|ll|ve|re)
    if first.cp == APOSTROPHE {
        let end = contraction_end(text, at);
        if end > at {
            return end;
        }
    }
    // [^\r\n\p{L}\p{N}]?+\p{L}++
    if first.flags & LETTER != 0 {
        return run_end(text, at + first.len, LETTER);
    }
    let next = at + first.len;
    if is_prefix(first) && next < text.len() {
        let second = char_at(text, next);
        if second.flags & LETTER != 0 {
            return run_end(text, next + second.len, LETTER);
        }
    }
    // \p{N}{1,3}+
    if first.flags & NUMBER != 0 {
        return digits_end(text, at, first);
    }
    // ' ?[^\s\p{L}\p{N}]++[\r\n]*+'
    if let Some(end) = other_end(text, at, first, false) {
        return end;
    }
    // Only whitespace is left: \s++$|\s*[\r\n]|\s+(?!\S)|\s
    let run = space_run(text, at);
    if run.end == text.len() {
        run.end
    } else if let Some(end) = run.after_newline {
        end
    } else if run.several {
        run.last_start
    } else {
        run.end
    }
}

/// `U*W+C?` at `at`: the "upper" run may give back characters (backtracking) until a
/// "lower" character can follow.
#[inline(always)]
fn o200k_lower_word(text: &[u8], at: usize) -> Option<usize> {
    let mut end = at;
    let mut last_lower = None;
    while end < text.len() {
        let c = char_at(text, end);
        if c.flags & UPPER == 0 {
            break;
        }
        if c.flags & LOWER != 0 {
            last_lower = Some(end);
        }
        end += c.len;
    }
    let lower_start = if end < text.len() && char_at(text, end).flags & LOWER != 0 {
        end
    } else {
        last_lower?
    };
    Some(contraction_end(text, run_end(text, lower_start, LOWER)))
}

/// `U+W*C?` at `at`.
#[inline(always)]
fn o200k_upper_word(text: &[u8], at: usize) -> Option<usize> {
    if char_at(text, at).flags & UPPER == 0 {
        return None;
    }
    let upper_end = run_end(text, at, UPPER);
    Some(contraction_end(text, run_end(text, upper_end, LOWER)))
}

/// The end of the `o200k_base` piece starting at `at` (`at < text.len()`).
#[inline(always)]
pub(crate) fn o200k_end(text: &[u8], at: usize) -> usize {
    match o200k_ascii(text, at) {
        Some(end) => end,
        None => o200k_general(text, at),
    }
}

/// [`o200k_end`] for any character.
#[inline(never)]
fn o200k_general(text: &[u8], at: usize) -> usize {
    let first = char_at(text, at);
    let next = at + first.len;
    let prefixed = is_prefix(first) && next < text.len();
    // [^\r\n\p{L}\p{N}]?U*W+C?, first with the prefix, then without it.
    if prefixed && let Some(end) = o200k_lower_word(text, next) {
        return end;
    }
    if first.flags & (UPPER | LOWER) != 0
        && let Some(end) = o200k_lower_word(text, at)
    {
        return end;
    }
    // [^\r\n\p{L}\p{N}]?U+W*C?
    if prefixed && let Some(end) = o200k_upper_word(text, next) {
        return end;
    }
    if let Some(end) = o200k_upper_word(text, at) {
        return end;
    }
    // \p{N}{1,3}
    if first.flags & NUMBER != 0 {
        return digits_end(text, at, first);
    }
    // ' ?[^\s\p{L}\p{N}]+[\r\n/]*'
    if let Some(end) = other_end(text, at, first, true) {
        return end;
    }
    // Only whitespace is left: \s*[\r\n]+|\s+(?!\S)|\s+
    let run = space_run(text, at);
    if let Some(end) = run.after_newline {
        end
    } else if run.end == text.len() || !run.several {
        run.end
    } else {
        run.last_start
    }
}

// --- ASCII fast paths ----------------------------------------------------------------
//
// The same decisions for pieces made of ASCII only, on bytes. Whenever a decision would
// look at a byte of a non-ASCII character (which may be a letter, a digit, a mark or a
// space), the fast path gives up and the general path decides from the piece's start:
// a fast answer is only returned when every character it looked at was ASCII, and then
// it is the general path's answer.

/// Byte classes of the fast paths.
const OTHER: u8 = 0; // [^\s\p{L}\p{N}] in ASCII: punctuation, symbols, controls
const LOWER_ASCII: u8 = 1; // a-z
const UPPER_ASCII: u8 = 2; // A-Z
const DIGIT: u8 = 3; // 0-9
const BLANK: u8 = 4; // ' '
const NEWLINE: u8 = 5; // \r \n
const OTHER_SPACE: u8 = 6; // \t \x0B \x0C
const NON_ASCII: u8 = 7; // a byte of a multi-byte character

static CLASSES: [u8; 256] = {
    let mut classes = [OTHER; 256];
    let mut byte = 0;
    while byte < 256 {
        classes[byte] = match byte as u8 {
            b'a'..=b'z' => LOWER_ASCII,
            b'A'..=b'Z' => UPPER_ASCII,
            b'0'..=b'9' => DIGIT,
            b' ' => BLANK,
            b'\r' | b'\n' => NEWLINE,
            b'\t' | 0x0B | 0x0C => OTHER_SPACE,
            0x80..=0xFF => NON_ASCII,
            _ => OTHER,
        };
        byte += 1;
    }
    classes
};

#[inline(always)]
fn class(text: &[u8], at: usize) -> u8 {
    CLASSES[usize::from(text[at])]
}

/// The class at `at`, or `None` past the end.
#[inline(always)]
fn class_at(text: &[u8], at: usize) -> Option<u8> {
    text.get(at).map(|&byte| CLASSES[usize::from(byte)])
}

/// Advances over bytes of class `wanted`.
#[inline(always)]
fn skip(text: &[u8], mut at: usize, wanted: u8) -> usize {
    while at < text.len() && class(text, at) == wanted {
        at += 1;
    }
    at
}

/// Bytes `0x01` in every lane, and their high bits.
const LANES: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte lane of `word` that holds an ASCII byte in `low..=high`
/// (SWAR: no lane carries into the next, since lanes are masked to 7 bits first).
#[inline(always)]
fn lanes_in_range(word: u64, low: u8, high: u8) -> u64 {
    let seven = word & !HIGH_BITS;
    let at_least_low = seven + LANES * u64::from(0x80 - low);
    let above_high = seven + LANES * u64::from(0x7F - high);
    at_least_low & !above_high & !word & HIGH_BITS
}

/// The end of the run from `at` of ASCII bytes in `low..=high`, eight bytes at a time
/// (`fold` ORs `0x20` into each byte first: ASCII letters of either case).
#[inline(always)]
fn skip_range(text: &[u8], mut at: usize, low: u8, high: u8, fold: bool) -> usize {
    let fold = if fold { LANES * 0x20 } else { 0 };
    while at + 8 <= text.len() {
        let word = super::hash::read8(text, at) | fold;
        let outside = !lanes_in_range(word, low, high) & HIGH_BITS;
        if outside != 0 {
            return at + (outside.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while at < text.len() && (low..=high).contains(&(text[at] | fold as u8)) {
        at += 1;
    }
    at
}

/// The contraction at `at` in ASCII: `Some(end)` (`end == at` when there is none), or
/// `None` when a non-ASCII character could complete one (`'ſ`).
#[inline(always)]
fn ascii_contraction(text: &[u8], at: usize) -> Option<usize> {
    if text.get(at) == Some(&b'\'') && at + 1 < text.len() && text[at + 1] >= 0x80 {
        return None;
    }
    Some(contraction_end(text, at))
}

/// `\p{N}{1,3}` over ASCII digits from `at`.
#[inline(always)]
fn ascii_digits(text: &[u8], at: usize) -> Option<usize> {
    let mut end = at + 1;
    while end < text.len() && end < at + 3 {
        match class(text, end) {
            DIGIT => end += 1,
            NON_ASCII => return None,
            _ => break,
        }
    }
    Some(end)
}

/// `[^\s\p{L}\p{N}]+` over ASCII from `at`, then `\r`, `\n` (and `/` with `slash`).
#[inline(always)]
fn ascii_other(text: &[u8], at: usize, slash: bool) -> Option<usize> {
    let mut end = skip(text, at, OTHER);
    if class_at(text, end) == Some(NON_ASCII) {
        return None;
    }
    while end < text.len() && (is_newline(text[end]) || (slash && text[end] == b'/')) {
        end += 1;
    }
    Some(end)
}

/// The whitespace alternatives over an ASCII run: `(end, last_start, after_newline,
/// several)`, or `None` when a non-ASCII character follows the run.
#[inline(always)]
fn ascii_space_run(text: &[u8], at: usize) -> Option<SpaceRun> {
    let mut run = SpaceRun {
        end: at,
        last_start: at,
        after_newline: None,
        several: false,
    };
    while run.end < text.len() {
        match class(text, run.end) {
            NEWLINE => run.after_newline = Some(run.end + 1),
            BLANK | OTHER_SPACE => {}
            NON_ASCII => return None,
            _ => break,
        }
        run.several = run.end > at;
        run.last_start = run.end;
        run.end += 1;
    }
    Some(run)
}

/// `U*W+C?|U+W*C?` over ASCII (`[A-Z]*[a-z]*`, not empty, then a contraction).
#[inline(always)]
fn o200k_ascii_word(text: &[u8], at: usize) -> Option<usize> {
    let end = if at + 8 <= text.len() {
        // Both runs in one 8-byte load when the word ends inside it (most words).
        let word = super::hash::read8(text, at);
        let uppers = (!lanes_in_range(word, b'A', b'Z') & HIGH_BITS).trailing_zeros() / 8;
        if uppers == 8 {
            skip_range(
                text,
                skip_range(text, at + 8, b'A', b'Z', false),
                b'a',
                b'z',
                false,
            )
        } else {
            let shift = 8 * uppers;
            let outside = !(lanes_in_range(word, b'a', b'z') >> shift) & (HIGH_BITS >> shift);
            if outside == 0 {
                skip_range(text, at + 8, b'a', b'z', false)
            } else {
                at + (uppers + outside.trailing_zeros() / 8) as usize
            }
        }
    } else {
        skip_range(
            text,
            skip_range(text, at, b'A', b'Z', false),
            b'a',
            b'z',
            false,
        )
    };
    if class_at(text, end) == Some(NON_ASCII) {
        return None;
    }
    ascii_contraction(text, end)
}

/// [`o200k_end`] when the piece and the characters deciding it are ASCII.
#[inline(always)]
fn o200k_ascii(text: &[u8], at: usize) -> Option<usize> {
    let first = class(text, at);
    // The most common piece of prose first: a space and a word.
    if first == BLANK && matches!(class_at(text, at + 1), Some(LOWER_ASCII | UPPER_ASCII)) {
        return o200k_ascii_word(text, at + 1);
    }
    match first {
        LOWER_ASCII | UPPER_ASCII => o200k_ascii_word(text, at),
        DIGIT => ascii_digits(text, at),
        OTHER | BLANK | OTHER_SPACE => {
            match class_at(text, at + 1) {
                Some(LOWER_ASCII | UPPER_ASCII) => return o200k_ascii_word(text, at + 1),
                Some(NON_ASCII) => return None,
                Some(OTHER) if first == BLANK => return ascii_other(text, at + 1, true),
                _ => {}
            }
            if first == OTHER {
                return ascii_other(text, at, true);
            }
            let run = ascii_space_run(text, at)?;
            Some(if let Some(end) = run.after_newline {
                end
            } else if run.end == text.len() || !run.several {
                run.end
            } else {
                run.last_start
            })
        }
        NEWLINE => {
            let run = ascii_space_run(text, at)?;
            Some(run.after_newline.unwrap_or(run.end))
        }
        _ => None,
    }
}

/// [`cl100k_end`] when the piece and the characters deciding it are ASCII.
#[inline(always)]
fn cl100k_ascii(text: &[u8], at: usize) -> Option<usize> {
    let first = class(text, at);
    match first {
        LOWER_ASCII | UPPER_ASCII => {
            let end = ascii_letters(text, at);
            (class_at(text, end) != Some(NON_ASCII)).then_some(end)
        }
        DIGIT => ascii_digits(text, at),
        OTHER | BLANK | OTHER_SPACE => {
            if text[at] == b'\'' {
                let end = ascii_contraction(text, at)?;
                if end > at {
                    return Some(end);
                }
            }
            match class_at(text, at + 1) {
                Some(LOWER_ASCII | UPPER_ASCII) => {
                    let end = ascii_letters(text, at + 1);
                    return (class_at(text, end) != Some(NON_ASCII)).then_some(end);
                }
                Some(NON_ASCII) => return None,
                Some(OTHER) if first == BLANK => return ascii_other(text, at + 1, false),
                _ => {}
            }
            if first == OTHER {
                return ascii_other(text, at, false);
            }
            cl100k_ascii_space(text, at)
        }
        NEWLINE => cl100k_ascii_space(text, at),
        _ => None,
    }
}

/// `[A-Za-z]*` from `at`.
#[inline(always)]
fn ascii_letters(text: &[u8], at: usize) -> usize {
    skip_range(text, at, b'a', b'z', true)
}

/// cl100k's whitespace alternatives over an ASCII run.
#[inline(always)]
fn cl100k_ascii_space(text: &[u8], at: usize) -> Option<usize> {
    let run = ascii_space_run(text, at)?;
    Some(if run.end == text.len() {
        run.end
    } else if let Some(end) = run.after_newline {
        end
    } else if run.several {
        run.last_start
    } else {
        run.end
    })
}

/// The pieces of `text` under the pattern whose piece-end function is `end_at`.
#[cfg(test)]
fn pieces(text: &str, end_at: fn(&[u8], usize) -> usize) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut pieces = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let end = end_at(bytes, at);
        pieces.push(&text[at..end]);
        at = end;
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cl100k(text: &str) -> Vec<&str> {
        pieces(text, cl100k_end)
    }

    fn o200k(text: &str) -> Vec<&str> {
        pieces(text, o200k_end)
    }

    #[test]
    fn cl100k_pieces() {
        assert_eq!(cl100k("Hello world"), ["Hello", " world"]);
        assert_eq!(cl100k("don't"), ["don", "'t"]);
        assert_eq!(cl100k("'sam"), ["'s", "am"]);
        assert_eq!(cl100k("12345"), ["123", "45"]);
        assert_eq!(cl100k("a  b"), ["a", " ", " b"]);
        assert_eq!(cl100k("a \n\n b"), ["a", " \n\n", " b"]);
        assert_eq!(cl100k("x\n  "), ["x", "\n  "]);
        assert_eq!(cl100k(" {}\n\n"), [" {}\n\n"]);
        assert_eq!(cl100k("\thello"), ["\thello"]);
    }

    #[test]
    fn swar_runs_match_byte_loops() {
        let text = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ`{@[\x80\xffz\xe4a0 aZzA";
        for at in 0..text.len() {
            for (low, high, fold) in [(b'a', b'z', false), (b'A', b'Z', false), (b'a', b'z', true)]
            {
                let mut end = at;
                while end < text.len()
                    && text[end] < 0x80
                    && (low..=high).contains(&(text[end] | if fold { 0x20 } else { 0 }))
                {
                    end += 1;
                }
                assert_eq!(
                    skip_range(text, at, low, high, fold),
                    end,
                    "{at} {low} {fold}"
                );
            }
        }
    }

    #[test]
    fn o200k_pieces() {
        assert_eq!(o200k("Hello world"), ["Hello", " world"]);
        assert_eq!(o200k("don't DON'T"), ["don't", " DON'T"]);
        assert_eq!(
            o200k("HELLOworld HelloWorld"),
            ["HELLOworld", " Hello", "World"]
        );
        assert_eq!(o200k("x\n  "), ["x", "\n", "  "]);
        assert_eq!(o200k("a/b//\n"), ["a", "/b", "//\n"]);
        assert_eq!(o200k("日本語ABC!"), ["日本語", "ABC", "!"]);
        assert_eq!(o200k("'ſ"), ["'ſ"]);
    }
}
