//! The layout of a vocabulary table slot, shared with `build.rs` (`#[path]`) so the
//! tables it writes and the lookups in [`super::vocab`] agree by construction.
//!
//! A slot is a `u64`; 0 is empty. Tokens of up to [`INLINE_MAX`] bytes keep their bytes
//! in the slot, so finding one reads a single cache line; longer ones keep the offset of
//! their bytes in the concatenated token bytes, and a hash tag that filters probes.
//!
//! | bits | inline (bit 63 set) | offset (bit 63 clear) |
//! |---|---|---|
//! | 0–17 | rank | rank |
//! | 18– | length (3 bits, 1–4), then the bytes (32 bits, little-endian, zero padded) | offset (21 bits), then length (8 bits) |
//! | top | hash tag (bits 53–62) | hash tag (bits 47–62) |

/// Ranks take 18 bits (o200k_base has 199,998 ordinary tokens).
pub(crate) const RANK_BITS: u32 = 18;
const RANK_MASK: u64 = (1 << RANK_BITS) - 1;
/// Tokens this short are stored inline.
pub(crate) const INLINE_MAX: usize = 4;
const INLINE: u64 = 1 << 63;
const INLINE_LEN_SHIFT: u32 = RANK_BITS;
const INLINE_BYTES_SHIFT: u32 = RANK_BITS + 3;
const INLINE_TAG_SHIFT: u32 = INLINE_BYTES_SHIFT + 32;
const OFFSET_BITS: u32 = 21;
const OFFSET_LEN_SHIFT: u32 = RANK_BITS + OFFSET_BITS;
const OFFSET_TAG_SHIFT: u32 = OFFSET_LEN_SHIFT + 8;
/// The tag bits of each format (below bit 63).
const INLINE_TAG_MASK: u64 = (INLINE - 1) & !((1 << INLINE_TAG_SHIFT) - 1);
const OFFSET_TAG_MASK: u64 = (INLINE - 1) & !((1 << OFFSET_TAG_SHIFT) - 1);

/// One to four bytes as a little-endian word, zero padded.
#[inline(always)]
pub(crate) fn inline_word(bytes: &[u8]) -> u64 {
    debug_assert!((1..=INLINE_MAX).contains(&bytes.len()));
    super::hash::words(bytes).0
}

/// The slot of an inline token (`bytes.len() <= INLINE_MAX`). Used by `build.rs`.
#[allow(dead_code)]
pub(crate) fn inline_slot(rank: u32, bytes: &[u8], hash: u64) -> u64 {
    assert!((1..=INLINE_MAX).contains(&bytes.len()) && u64::from(rank) <= RANK_MASK);
    INLINE
        | u64::from(rank)
        | (bytes.len() as u64) << INLINE_LEN_SHIFT
        | inline_word(bytes) << INLINE_BYTES_SHIFT
        | (hash & INLINE_TAG_MASK)
}

/// The slot of a token stored at `offset` of the token bytes. Used by `build.rs`.
#[allow(dead_code)]
pub(crate) fn offset_slot(rank: u32, offset: usize, len: usize, hash: u64) -> u64 {
    assert!(len > INLINE_MAX && len < 256 && u64::from(rank) <= RANK_MASK);
    assert!(offset < 1 << OFFSET_BITS, "offset {offset} does not fit");
    u64::from(rank)
        | (offset as u64) << RANK_BITS
        | (len as u64) << OFFSET_LEN_SHIFT
        | (hash & OFFSET_TAG_MASK)
}

/// The rank in a used slot.
#[inline(always)]
pub(crate) fn rank(slot: u64) -> u32 {
    (slot & RANK_MASK) as u32
}

/// Whether the used slot `slot` holds the inline token whose word is `word` and length
/// `len` (`len <= INLINE_MAX`).
#[inline(always)]
pub(crate) fn is_inline(slot: u64, word: u64, len: usize) -> bool {
    let expected = INLINE | (len as u64) << INLINE_LEN_SHIFT | word << INLINE_BYTES_SHIFT;
    slot & !(INLINE_TAG_MASK | RANK_MASK) == expected
}

/// If the used slot `slot` is an offset slot of length `len` whose tag matches `hash`,
/// the offset of its bytes.
#[inline(always)]
pub(crate) fn offset_candidate(slot: u64, len: usize, hash: u64) -> Option<usize> {
    let expected = (len as u64) << OFFSET_LEN_SHIFT | (hash & OFFSET_TAG_MASK);
    let mask = INLINE | 0xFF << OFFSET_LEN_SHIFT | OFFSET_TAG_MASK;
    (slot & mask == expected).then_some(((slot >> RANK_BITS) & ((1 << OFFSET_BITS) - 1)) as usize)
}

/// The token bytes of a used slot: inline, or in `bytes`. Used by `build.rs` and tests.
#[allow(dead_code)]
pub(crate) fn token(slot: u64, bytes: &[u8]) -> Vec<u8> {
    if slot & INLINE != 0 {
        let len = ((slot >> INLINE_LEN_SHIFT) & 0x7) as usize;
        let word = (slot >> INLINE_BYTES_SHIFT) & 0xFFFF_FFFF;
        (0..len).map(|index| (word >> (8 * index)) as u8).collect()
    } else {
        let offset = ((slot >> RANK_BITS) & ((1 << OFFSET_BITS) - 1)) as usize;
        let len = ((slot >> OFFSET_LEN_SHIFT) & 0xFF) as usize;
        bytes[offset..offset + len].to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_round_trip() {
        let hash = 0xDEAD_BEEF_F00D_CAFE;
        let slot = inline_slot(199_997, b"ab\0", hash);
        assert_eq!(rank(slot), 199_997);
        assert_eq!(token(slot, &[]), b"ab\0");
        assert!(is_inline(slot, inline_word(b"ab\0"), 3));
        assert!(!is_inline(slot, inline_word(b"ab"), 2));
        assert_eq!(offset_candidate(slot, 3, hash), None);
        let bytes = b"xxhello world";
        let slot = offset_slot(7, 2, 11, hash);
        assert_eq!(
            (rank(slot), token(slot, bytes)),
            (7, b"hello world".to_vec())
        );
        assert_eq!(offset_candidate(slot, 11, hash), Some(2));
        assert_eq!(offset_candidate(slot, 10, hash), None);
        assert_eq!(offset_candidate(slot, 11, hash ^ (1 << 60)), None);
        assert!(!is_inline(slot, 0, 4));
    }
}
