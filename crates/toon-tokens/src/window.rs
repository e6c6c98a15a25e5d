//! The `o200k_base` pre-tokenizer 64 bytes at a time.
//!
//! The scalar pre-tokenizer ([`super::pretokenize`]) finds each piece's end from its start,
//! so every piece waits on the one before it, and each starts with a hard-to-predict
//! branch on its first character. Here the piece starts of a whole 64-byte window are
//! found at once, as a bit mask (bit `i` for byte `i`), from masks of the byte classes and
//! shifts, carries and fills over them; the pieces then follow from the mask's set bits.
//!
//! Non-ASCII characters that act as an ASCII class would (letters of one case, symbols
//! and punctuation) get that class on each of their bytes. The others (marks, `Lo`, `Lm`,
//! numbers, spaces) are *unknown*: the rules cannot place them.
//!
//! A window always begins at a piece start, and the pattern only looks ahead, so the
//! pieces from there on depend only on the bytes from there on. A start bit is *trusted*
//! when it is certain from the window's classified bytes alone: below the first unknown
//! byte and the window's end, and before any whitespace run that reaches them. Only
//! trusted starts are used; the next window begins at the last of them. Where a window
//! trusts nothing past its first byte, the scalar pre-tokenizer takes over until past the
//! window's unknown bytes.
//!
//! The rules (`P` = a prefix: a blank, or punctuation that starts a piece): a word is
//! `P?` then upper-case letters then lower-case ones, then a contraction (`'s`, `'ll`,
//! ...); digits go in threes; punctuation runs take an optional leading space and trailing
//! `\r`, `\n` and `/`; whitespace ends after its last newline, and otherwise leaves its
//! last blank to what follows. `tests::windows_match_the_scalar_pre_tokenizer` checks them
//! against [`o200k_end`] on 40,000 generated strings of up to 300 bytes.

use super::hash::read8;
use super::pretokenize::{PieceEnds, contraction_end, o200k_end};
use super::unicode::{LETTER, LOWER, NUMBER, SPACE, UPPER, char_at};

/// Bytes in a window.
const WINDOW: usize = 64;

/// Masks of the byte classes of a window; bit `i` is byte `i`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Classes {
    lower: u64,
    upper: u64,
    digit: u64,
    /// `' '`.
    space: u64,
    /// `\t`, `\x0B`, `\x0C`: whitespace that is neither a space nor a newline.
    tab: u64,
    /// `\r`, `\n`.
    newline: u64,
    slash: u64,
    apostrophe: u64,
    /// Bytes of non-ASCII characters.
    high: u64,
    /// First bytes of non-ASCII characters.
    lead: u64,
}

/// The classes of the 64 bytes of `text` at `at`, sixteen at a time with SSE2.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
#[allow(unsafe_code)]
fn classify(text: &[u8], at: usize) -> Classes {
    // SAFETY: `classify_sse2` is `unsafe` to call only because it enables the `sse2`
    // target feature, and SSE2 is part of the x86_64 baseline: every x86_64 processor
    // has it and every x86_64 target enables it (checked at compile time below). It reads
    // `text` through bounds-checked slices only.
    unsafe { classify_sse2(text, at) }
}

#[cfg(all(target_arch = "x86_64", not(target_feature = "sse2")))]
compile_error!("x86_64 targets have SSE2");

/// [`classify`] with SSE2 intrinsics.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
#[inline]
fn classify_sse2(text: &[u8], at: usize) -> Classes {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_min_epu8, _mm_movemask_epi8, _mm_set_epi64x, _mm_set1_epi8,
        _mm_sub_epi8,
    };
    let mut classes = Classes::default();
    for chunk in 0..WINDOW / 16 {
        let from = at + 16 * chunk;
        let bytes = _mm_set_epi64x(read8(text, from + 8) as i64, read8(text, from) as i64);
        let bits = |mask| u64::from(_mm_movemask_epi8(mask) as u16) << (16 * chunk);
        let equal = |byte: u8| bits(_mm_cmpeq_epi8(bytes, _mm_set1_epi8(byte as i8)));
        let within = |low: u8, high: u8| {
            let offset = _mm_sub_epi8(bytes, _mm_set1_epi8(low as i8));
            let capped = _mm_min_epu8(offset, _mm_set1_epi8((high - low) as i8));
            bits(_mm_cmpeq_epi8(capped, offset))
        };
        let line_feed = equal(b'\n');
        classes.lower |= within(b'a', b'z');
        classes.upper |= within(b'A', b'Z');
        classes.digit |= within(b'0', b'9');
        classes.space |= equal(b' ');
        classes.tab |= within(b'\t', 0x0C) & !line_feed;
        classes.newline |= line_feed | equal(b'\r');
        classes.slash |= equal(b'/');
        classes.apostrophe |= equal(b'\'');
        classes.high |= bits(bytes);
        classes.lead |= within(0xC0, 0xFF);
    }
    classes
}

/// The classes of the 64 bytes of `text` at `at`, a byte at a time.
#[cfg(any(test, not(target_arch = "x86_64")))]
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
#[inline(always)]
fn classify_bytes(text: &[u8], at: usize) -> Classes {
    let mut classes = Classes::default();
    for (index, &byte) in text[at..at + WINDOW].iter().enumerate() {
        let bit = 1 << index;
        let class = match byte {
            b'a'..=b'z' => &mut classes.lower,
            b'A'..=b'Z' => &mut classes.upper,
            b'0'..=b'9' => &mut classes.digit,
            b' ' => &mut classes.space,
            b'\t' | 0x0B | 0x0C => &mut classes.tab,
            b'\r' | b'\n' => &mut classes.newline,
            b'/' => &mut classes.slash,
            b'\'' => &mut classes.apostrophe,
            0xC0..=0xFF => {
                classes.lead |= bit;
                &mut classes.high
            }
            0x80..=0xBF => &mut classes.high,
            _ => continue,
        };
        *class |= bit;
    }
    classes
}

#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn classify(text: &[u8], at: usize) -> Classes {
    classify_bytes(text, at)
}

/// Bit `i` of the result is bit `i - 1` of `mask`: "the byte before is in `mask`".
#[inline(always)]
fn before(mask: u64) -> u64 {
    mask << 1
}

/// Bit `i` of the result is bit `i + 1` of `mask`: "the byte after is in `mask`".
#[inline(always)]
fn after(mask: u64) -> u64 {
    mask >> 1
}

/// The bits of `through` reachable from a bit of `seeds` (a subset of `through`) by
/// steps of `stride` bits upwards, every bit on the way in `through`: a Kogge–Stone fill.
#[inline(always)]
fn fill_up(seeds: u64, through: u64, stride: u32) -> u64 {
    let mut reached = seeds;
    let mut open = through;
    let mut step = stride;
    while step < 64 {
        reached |= open & (reached << step);
        open &= open << step;
        step *= 2;
    }
    reached
}

/// [`fill_up`] downwards, by single bits.
#[inline(always)]
fn fill_down(seeds: u64, through: u64) -> u64 {
    let mut reached = seeds;
    let mut open = through;
    let mut step = 1;
    while step < 64 {
        reached |= open & (reached >> step);
        open &= open >> step;
        step *= 2;
    }
    reached
}

/// The non-ASCII characters of a window that the rules can treat as ASCII ones, each
/// byte in its character's class: letters of one case (`Lu`, `Lt`, `Ll`), and symbols and
/// punctuation (neither letter, number, mark nor space).
#[derive(Debug, Default)]
struct NonAscii {
    lower: u64,
    upper: u64,
    /// The bytes of every character classified, from the window's first non-ASCII byte to
    /// the first one that is not (a mark, `Lo`, `Lm`, a number, a space) or does not fit.
    known: u64,
}

/// Classifies the non-ASCII characters of the window at `at` whose first bytes are
/// `lead`, in order, up to the first one the rules cannot treat as ASCII.
#[inline(always)]
fn non_ascii(text: &[u8], at: usize, mut lead: u64) -> NonAscii {
    let mut found = NonAscii::default();
    while lead != 0 {
        let index = lead.trailing_zeros() as usize;
        let c = char_at(text, at + index);
        if index + c.len > WINDOW {
            break;
        }
        let bytes = ((1 << c.len) - 1) << index;
        match c.flags & (LETTER | NUMBER | SPACE | UPPER | LOWER) {
            flags if flags == LETTER | UPPER => found.upper |= bytes,
            flags if flags == LETTER | LOWER => found.lower |= bytes,
            0 => {}
            _ => break,
        }
        found.known |= bytes;
        lead &= lead - 1;
    }
    found
}

/// The piece starts of the window of `text` at `at` that are trusted (bit 0 is always
/// one), and the first byte of the window past the non-ASCII bytes it could not classify,
/// or 0 when it has none.
#[inline(always)]
fn window_starts(text: &[u8], at: usize) -> (u64, usize) {
    let Classes {
        lower,
        upper,
        digit,
        space,
        tab,
        newline,
        slash,
        apostrophe,
        high,
        lead,
    } = classify(text, at);
    let NonAscii {
        lower: lower_more,
        upper: upper_more,
        known,
    } = if high == 0 {
        NonAscii::default()
    } else {
        non_ascii(text, at, lead)
    };
    let lower = lower | lower_more;
    let upper = upper | upper_more;
    let unknown_bytes = high & !known;
    let continuation = known & !lead;
    let letter = lower | upper;
    let blank = space | tab;
    let other = !(letter | digit | blank | newline | unknown_bytes);

    // Contractions end the word before them; few windows have one.
    let mut contracted = 0;
    let mut contraction_ends = 0;
    let mut candidates = apostrophe & before(letter);
    let mut last_end = usize::MAX;
    while candidates != 0 {
        let start = candidates.trailing_zeros() as usize;
        candidates &= candidates - 1;
        if start == last_end {
            // The word before already took its contraction: this one starts a piece.
            continue;
        }
        let end = contraction_end(text, at + start) - at;
        if end > start {
            contracted |= ((1 << (end - start)) - 1) << start;
            if end < WINDOW {
                contraction_ends |= 1 << end;
            }
            last_end = end;
        }
    }

    // A punctuation piece takes the `\r`, `\n` and `/` right after it.
    let absorbed = fill_up(newline & before(other), newline | slash, 1);
    let absorbed_ends = before(absorbed) & !absorbed;

    // Punctuation starts a piece unless it continues a run or follows a space (` ?`).
    let punctuation_starts =
        other & !before(other & !absorbed) & !before(space) & !absorbed & !contracted;

    // Words: a blank or a punctuation start before one is its prefix (all of its bytes).
    let mut prefixes = blank | punctuation_starts;
    for _ in 1..4 {
        prefixes |= continuation & before(prefixes);
    }
    let word_starts = letter & !before(letter) & !before(prefixes);
    let case_breaks = upper & before(lower);

    // Numbers: runs of digits in threes.
    let first_digits = digit & !before(digit);
    let digit_triples = digit & before(digit) & before(before(digit));
    let digit_starts = fill_up(first_digits, digit_triples, 3);

    // Whitespace: the run starts; after its last newline; before its last blank.
    let white = (blank | newline) & !absorbed;
    let white_starts = white & !before(white);
    let blanks_before_newline = fill_down(blank & after(newline), blank);
    let after_last_newline = blank & before(newline) & !blanks_before_newline;
    let last_blanks = blank & !after(white);

    let starts = 1
        | ((word_starts
            | case_breaks
            | punctuation_starts
            | digit_starts
            | white_starts
            | after_last_newline
            | last_blanks
            | absorbed_ends
            | contraction_ends)
            & !contracted);

    // Trust: below the first non-ASCII byte or the window's end, and not inside a
    // whitespace run reaching them (it may go on past them). The rules look past a byte
    // only there and in contractions, which read the text itself.
    let unknown = if unknown_bytes == 0 {
        WINDOW as u32
    } else {
        unknown_bytes.trailing_zeros()
    };
    let mut trusted = unknown.saturating_sub(1);
    if unknown > 0 && white & (1 << (unknown - 1)) != 0 {
        let below = !white & ((1 << (unknown - 1)) - 1);
        let run_start = if below == 0 {
            0
        } else {
            64 - below.leading_zeros()
        };
        trusted = trusted.min(run_start);
    }
    let trusted_mask = if trusted >= 63 {
        u64::MAX
    } else {
        (2 << trusted) - 1
    };
    let resume = if unknown_bytes == 0 {
        0
    } else {
        WINDOW - unknown_bytes.leading_zeros() as usize
    };
    (starts & trusted_mask, resume)
}

/// The ends of the `o200k_base` pieces of a text, in order: by windows where the text
/// is ASCII, by [`o200k_end`] elsewhere.
#[derive(Debug, Clone)]
pub(crate) struct O200kEnds<'a> {
    text: &'a [u8],
    /// Where the next piece starts.
    at: usize,
    /// Where the bits of `pending` count from.
    base: usize,
    /// Trusted starts of the current window not yet returned, as piece ends.
    pending: u64,
    /// The scalar pre-tokenizer decides until here.
    scalar_until: usize,
    /// For [`PieceEnds::next_long`]: starts of the window's pieces of two bytes or more
    /// not yet returned, from `base`.
    long_starts: u64,
    /// For [`PieceEnds::next_long`]: their ends, in the same order.
    long_ends: u64,
}

impl<'a> O200kEnds<'a> {
    /// The piece ends of `text`.
    pub(crate) fn new(text: &'a [u8]) -> Self {
        O200kEnds {
            text,
            at: 0,
            base: 0,
            pending: 0,
            scalar_until: 0,
            long_starts: 0,
            long_ends: 0,
        }
    }

    /// Reads the window at the next piece's start, or takes one piece the scalar way
    /// (moving past it).
    #[inline(always)]
    fn advance(&mut self) -> Advance {
        let at = self.at;
        if at >= self.text.len() {
            return Advance::Done;
        }
        if at >= self.scalar_until && at + WINDOW <= self.text.len() {
            let (starts, resume) = window_starts(self.text, at);
            if starts & (starts - 1) != 0 {
                return Advance::Window(starts);
            }
            self.scalar_until = at + resume.max(1);
        }
        let end = o200k_end(self.text, at);
        self.at = end;
        Advance::Scalar(end)
    }
}

/// What [`O200kEnds::advance`] found at the next piece's start.
enum Advance {
    /// The trusted starts of the window there (bit 0 is that start), at least two.
    Window(u64),
    /// The end of the one piece the scalar pre-tokenizer took.
    Scalar(usize),
    /// The text is done.
    Done,
}

impl PieceEnds for O200kEnds<'_> {
    #[inline(always)]
    fn next_end(&mut self) -> Option<usize> {
        if self.pending == 0 {
            match self.advance() {
                Advance::Window(starts) => {
                    self.base = self.at;
                    self.pending = starts & (starts - 1);
                }
                Advance::Scalar(end) => return Some(end),
                Advance::Done => return None,
            }
        }
        let end = self.base + self.pending.trailing_zeros() as usize;
        self.pending &= self.pending - 1;
        self.at = end;
        Some(end)
    }

    /// By windows, the one-byte pieces are counted at once: a start whose byte before
    /// is a start too ends one. The other pieces pair, in order, a start not followed by
    /// a start with an end not preceded by one.
    #[inline(always)]
    fn next_long(&mut self, _start: usize, singles: &mut usize) -> Option<(usize, usize)> {
        loop {
            if self.long_ends != 0 {
                let start = self.long_starts.trailing_zeros() as usize;
                let end = self.long_ends.trailing_zeros() as usize;
                self.long_starts &= self.long_starts - 1;
                self.long_ends &= self.long_ends - 1;
                return Some((self.base + start, self.base + end));
            }
            let at = self.at;
            match self.advance() {
                Advance::Window(starts) => {
                    let ends = starts & (starts - 1);
                    let single_ends = starts & (starts << 1);
                    *singles += single_ends.count_ones() as usize;
                    self.base = at;
                    // The last start's piece ends past the window; as the highest
                    // start it is never paired with an end.
                    self.long_starts = starts & !(starts >> 1);
                    self.long_ends = ends & !single_ends;
                    self.at = at + (63 - ends.leading_zeros()) as usize;
                }
                Advance::Scalar(end) if end - at > 1 => return Some((at, end)),
                Advance::Scalar(_) => *singles += 1,
                Advance::Done => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pieces of `text` by windows, as (start, end) pairs.
    fn window_pieces(text: &[u8]) -> Vec<(usize, usize)> {
        let mut ends = O200kEnds::new(text);
        let mut pieces = Vec::new();
        let mut start = 0;
        while let Some(end) = ends.next_end() {
            pieces.push((start, end));
            start = end;
        }
        pieces
    }

    /// The pieces of `text` by the scalar pre-tokenizer.
    fn scalar_pieces(text: &[u8]) -> Vec<(usize, usize)> {
        let mut pieces = Vec::new();
        let mut at = 0;
        while at < text.len() {
            let end = o200k_end(text, at);
            pieces.push((at, end));
            at = end;
        }
        pieces
    }

    /// The pieces of two bytes or more by [`PieceEnds::next_long`], and how many one-byte
    /// pieces it passed over.
    fn long_pieces(text: &[u8]) -> (Vec<(usize, usize)>, usize) {
        let mut ends = O200kEnds::new(text);
        let (mut pieces, mut singles, mut end) = (Vec::new(), 0, 0);
        while let Some(piece) = ends.next_long(end, &mut singles) {
            pieces.push(piece);
            end = piece.1;
        }
        (pieces, singles)
    }

    fn assert_same_pieces(text: &[u8]) {
        let windows = window_pieces(text);
        let scalar = scalar_pieces(text);
        let (long, singles) = long_pieces(text);
        let one_byte = scalar.iter().filter(|&&(s, e)| e - s == 1).count();
        let scalar_long: Vec<_> = scalar.iter().copied().filter(|&(s, e)| e - s > 1).collect();
        assert_eq!(
            (long, singles),
            (scalar_long, one_byte),
            "{:?}",
            String::from_utf8_lossy(text)
        );
        if windows != scalar {
            let first = windows
                .iter()
                .zip(&scalar)
                .position(|(a, b)| a != b)
                .unwrap_or(windows.len().min(scalar.len()));
            let show = |pieces: &[(usize, usize)]| -> Vec<String> {
                pieces[first.saturating_sub(2)..(first + 3).min(pieces.len())]
                    .iter()
                    .map(|&(s, e)| String::from_utf8_lossy(&text[s..e]).into_owned())
                    .collect()
            };
            panic!(
                "pieces differ at piece {first} of {:?}\n windows {:?}\n scalar  {:?}",
                String::from_utf8_lossy(text),
                show(&windows),
                show(&scalar)
            );
        }
    }

    /// A small deterministic generator (xorshift*), so failures reproduce.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, bound: usize) -> usize {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % bound
        }
    }

    /// Pieces of text that meet every rule: case changes, contractions (and chains of
    /// them), digit runs, punctuation before letters and newlines, slashes after
    /// newlines, every kind of whitespace, and non-ASCII letters, spaces and marks.
    const ATOMS: &[&str] = &[
        "a", "z", "A", "Z", "s", "t", "l", "e", "r", "v", "d", "m", "S", "L", "E", "R", "ll", "re",
        "'", "'s", "'ll", "'Re", "'d", "0", "7", "123", " ", "  ", "\t", "\x0B", "\x0C", "\n",
        "\r", "\r\n", "\n\n", "\n    ", "     ", "/", "//", ".", ",", "!", "\"", "(", ")", "-",
        "_", "`", "#", "*", "\x00", "\x1F", "\x7F", "é", "ſ", "日", "\u{a0}", "\u{3000}",
        "\u{301}", "٣", "—", "hello", " world", "HTTP", "Server", "É", "ß", "Ω", "ω", "ǅ", "ª",
        "ʰ", "\u{200b}", "“", "’", "€", "😀", "×→", "café", "Straße",
    ];

    #[test]
    fn windows_match_the_scalar_pre_tokenizer() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut text = String::new();
        for round in 0..40_000 {
            text.clear();
            let ascii_only = round % 2 == 0;
            let length = 1 + rng.below(300);
            while text.len() < length {
                let atom = ATOMS[rng.below(ATOMS.len())];
                if !ascii_only || atom.is_ascii() {
                    text.push_str(atom);
                }
            }
            assert_same_pieces(text.as_bytes());
        }
    }

    #[test]
    fn windows_handle_long_runs_and_edges() {
        for text in [
            " ".repeat(200),
            format!("{}x", " ".repeat(130)),
            "9".repeat(200),
            "a".repeat(200),
            format!("{}Ab", "x".repeat(62)),
            format!("{}\n \n  x", ".".repeat(61)),
            "it's it'd'd'd x'd'dog's I'M you'RE we'Ll".repeat(5),
            "é".repeat(100),
            format!("{}é{}", "ab ".repeat(30), " cd".repeat(30)),
            format!("{}\u{a0}\n x", " ".repeat(70)),
            format!("{}x\n     \u{a0}\n y", "ab ".repeat(10)),
            format!("{}x\n     \u{3000}z", "ab ".repeat(10)),
        ] {
            assert_same_pieces(text.as_bytes());
        }
    }

    #[test]
    fn sse2_and_byte_classes_agree() {
        let text: Vec<u8> = (0..=255u8).chain(0..=255u8).collect();
        for at in 0..text.len() - WINDOW {
            assert_eq!(classify(&text, at), classify_bytes(&text, at), "at {at}");
        }
    }
}
