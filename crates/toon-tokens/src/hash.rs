//! Short byte strings: the hash used by the vocabulary tables and the piece memo, and
//! the word loads that stand for strings of up to 16 bytes in keys and compares.
//!
//! `build.rs` includes this file too (`#[path]`), so the tables it writes and the lookups
//! here agree by construction. A folded multiply over at most two 8-byte reads for
//! strings up to 16 bytes (almost every BPE piece and token), wyhash-style; it is not a
//! keyed hash and must never be used where an attacker picks colliding keys matters for
//! more than speed (every lookup compares the bytes, so collisions cost time, not truth).

const SEED: u64 = 0x243F_6A88_85A3_08D3;
const P0: u64 = 0xA076_1D64_78BD_642F;
const P1: u64 = 0xE703_7ED1_A0B4_28DB;

/// The 128-bit product of `a` and `b`, high half XOR low half.
#[inline(always)]
fn fold(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    (product as u64) ^ ((product >> 64) as u64)
}

/// Eight little-endian bytes at `at`.
#[inline(always)]
pub(crate) fn read8(bytes: &[u8], at: usize) -> u64 {
    let mut word = [0; 8];
    word.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(word)
}

/// Four little-endian bytes at `at`.
#[inline(always)]
fn read4(bytes: &[u8], at: usize) -> u64 {
    let mut word = [0; 4];
    word.copy_from_slice(&bytes[at..at + 4]);
    u64::from(u32::from_le_bytes(word))
}

/// Strings up to this long are handled as two 8-byte words ([`words`], [`load_words`]).
pub(crate) const TWO_WORDS: usize = 16;

/// Hashes `bytes`. Every byte takes part (reads overlap rather than skip) and the length
/// is mixed in, so equal hashes of different strings are as rare as the mix allows. Up
/// to 16 bytes it is [`hash_words`] of their [`words`].
#[inline(always)]
pub(crate) fn hash_bytes(bytes: &[u8]) -> u64 {
    let len = bytes.len();
    if len <= TWO_WORDS {
        let words = if len == 0 { (0, 0) } else { words(bytes) };
        return hash_words(words, len);
    }
    let mut seed = SEED;
    let mut at = 0;
    while len - at > 16 {
        seed = fold(read8(bytes, at) ^ P0, read8(bytes, at + 8) ^ seed);
        at += 16;
    }
    mix(read8(bytes, len - 16) ^ seed, read8(bytes, len - 8), len)
}

/// The hash of the `len` bytes (up to 16) whose [`words`] are `words`: the same as
/// [`hash_bytes`] of them, without reading them again.
#[inline(always)]
pub(crate) fn hash_words(words: (u64, u64), len: usize) -> u64 {
    mix(words.0, words.1, len)
}

#[inline(always)]
fn mix(a: u64, b: u64, len: usize) -> u64 {
    let mixed = fold(a ^ P0, b ^ SEED ^ (len as u64));
    fold(mixed ^ P1, (len as u64) ^ P0)
}

/// `bytes` (1 to 16 of them) as two little-endian words, zero padded, as
/// [`load_words`] reads them from a text; overlapping reads instead of a loop.
#[inline(always)]
pub(crate) fn words(bytes: &[u8]) -> (u64, u64) {
    let len = bytes.len();
    debug_assert!((1..=16).contains(&len));
    if len >= 8 {
        // The last eight bytes, shifted down past the ones the first read has (all of
        // them when there are just eight).
        let high = read8(bytes, len - 8)
            .checked_shr(8 * (16 - len) as u32)
            .unwrap_or(0);
        (read8(bytes, 0), high)
    } else if len >= 4 {
        // Two reads that overlap on equal bytes, so OR joins them.
        (
            read4(bytes, 0) | read4(bytes, len - 4) << (8 * (len - 4)),
            0,
        )
    } else {
        let middle = len >> 1;
        let word = u64::from(bytes[0])
            | u64::from(bytes[middle]) << (8 * middle)
            | u64::from(bytes[len - 1]) << (8 * (len - 1));
        (word, 0)
    }
}

/// The `len` (1 to 16) bytes of `text` at `at` as two little-endian words, zero
/// padded: a key that identifies the bytes together with `len`.
#[inline(always)]
pub(crate) fn load_words(text: &[u8], at: usize, len: usize) -> (u64, u64) {
    debug_assert!((1..=16).contains(&len) && at + len <= text.len());
    if at + 16 <= text.len() {
        let low = read8(text, at);
        let high = read8(text, at + 8);
        if len <= 8 {
            (low & low_bytes(len), 0)
        } else {
            (low, high & low_bytes(len - 8))
        }
    } else {
        let mut padded = [0u8; 16];
        for (slot, &byte) in padded.iter_mut().zip(&text[at..at + len]) {
            *slot = byte;
        }
        (read8(&padded, 0), read8(&padded, 8))
    }
}

/// A mask of the low `n` bytes of a word (1 ≤ `n` ≤ 8), without a branch.
#[inline(always)]
fn low_bytes(n: usize) -> u64 {
    debug_assert!((1..=8).contains(&n));
    u64::MAX >> (64 - 8 * n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_of_a_slice_are_the_loaded_words_and_hash_alike() {
        let text: Vec<u8> = (1..=40).map(|i: u8| i.wrapping_mul(37)).collect();
        for at in 0..20 {
            for len in 1..=16 {
                let piece = &text[at..at + len];
                assert_eq!(
                    words(piece),
                    load_words(&text, at, len),
                    "at {at} len {len}"
                );
                assert_eq!(hash_bytes(piece), hash_words(words(piece), len));
            }
        }
        // Different lengths of the same leading bytes hash apart.
        assert_ne!(hash_bytes(b"ab"), hash_bytes(b"ab\0"));
    }

    #[test]
    fn loaded_words_are_the_bytes_zero_padded() {
        let text: Vec<u8> = (1..=40).collect();
        for at in 0..20 {
            for len in 1..=16 {
                let mut padded = [0u8; 16];
                padded[..len].copy_from_slice(&text[at..at + len]);
                let expected = (read8(&padded, 0), read8(&padded, 8));
                assert_eq!(load_words(&text, at, len), expected, "at {at} len {len}");
            }
        }
    }
}
