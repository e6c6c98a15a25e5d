//! The vocabularies: byte string → rank, looked up in static tables that `build.rs`
//! generated from `data/*.tiktoken` (layout in [`super::slot`]). Nothing is parsed or
//! allocated at run time.

use super::encoding::Encoding;
use super::hash::{TWO_WORDS, hash_bytes, hash_words, load_words, words};
use super::slot::{self, INLINE_MAX};
use super::tables;

/// A vocabulary of ordinary tokens.
#[derive(Debug)]
pub(crate) struct Vocab {
    /// `u64` little-endian slots, `mask + 1` of them.
    slots: &'static [u8],
    /// Bytes of the tokens longer than [`INLINE_MAX`], in rank order.
    bytes: &'static [u8],
    /// Ranks of two-byte tokens, `u32` little-endian by `256 × first + second`.
    pairs: &'static [u8],
    /// Slot index mask.
    mask: usize,
    /// Number of tokens.
    tokens: usize,
}

static O200K: Vocab = Vocab {
    slots: tables::O200K_SLOTS,
    bytes: tables::O200K_BYTES,
    pairs: tables::O200K_PAIRS,
    mask: tables::O200K_MASK,
    tokens: tables::O200K_TOKENS,
};

static CL100K: Vocab = Vocab {
    slots: tables::CL100K_SLOTS,
    bytes: tables::CL100K_BYTES,
    pairs: tables::CL100K_PAIRS,
    mask: tables::CL100K_MASK,
    tokens: tables::CL100K_TOKENS,
};

impl Vocab {
    /// The vocabulary of `encoding`, one of [`Encoding::OWN_ENGINE`].
    pub(crate) fn of(encoding: Encoding) -> &'static Vocab {
        match encoding {
            Encoding::Cl100kBase => &CL100K,
            _ => {
                debug_assert_eq!(encoding, Encoding::O200kBase, "no own vocabulary");
                &O200K
            }
        }
    }

    /// Number of ordinary tokens.
    pub(crate) fn len(&self) -> usize {
        self.tokens
    }

    #[inline(always)]
    fn slot(&self, index: usize) -> u64 {
        let mut word = [0; 8];
        word.copy_from_slice(&self.slots[index * 8..index * 8 + 8]);
        u64::from_le_bytes(word)
    }

    /// The rank of the piece of `len` bytes (1 to [`TWO_WORDS`]) whose
    /// [`words`](super::hash::words) are `words` and whose hash is [`hash_words`]: the
    /// piece is not read again, and a long token's bytes are compared as two words.
    #[inline(always)]
    pub(crate) fn rank_words(&self, words: (u64, u64), len: usize, hash: u64) -> Option<u32> {
        debug_assert!((1..=TWO_WORDS).contains(&len));
        let mut index = hash as usize & self.mask;
        if len <= INLINE_MAX {
            loop {
                let slot = self.slot(index);
                if slot == 0 {
                    return None;
                }
                if slot::is_inline(slot, words.0, len) {
                    return Some(slot::rank(slot));
                }
                index = (index + 1) & self.mask;
            }
        }
        loop {
            let slot = self.slot(index);
            if slot == 0 {
                return None;
            }
            // `build.rs` pads the token bytes, so both words can be read.
            if let Some(offset) = slot::offset_candidate(slot, len, hash)
                && load_words(self.bytes, offset, len) == words
            {
                return Some(slot::rank(slot));
            }
            index = (index + 1) & self.mask;
        }
    }

    /// The rank of `piece`, longer than [`TWO_WORDS`] bytes, whose [`hash_bytes`] is `hash`.
    #[inline(always)]
    fn rank_long(&self, piece: &[u8], hash: u64) -> Option<u32> {
        let mut index = hash as usize & self.mask;
        loop {
            let slot = self.slot(index);
            if slot == 0 {
                return None;
            }
            if let Some(offset) = slot::offset_candidate(slot, piece.len(), hash)
                && self.bytes[offset..offset + piece.len()] == *piece
            {
                return Some(slot::rank(slot));
            }
            index = (index + 1) & self.mask;
        }
    }

    /// Asks the CPU to start loading the first slot a lookup of a piece with hash `hash`
    /// reads, so that the lookup, made a little later, finds it in cache.
    #[inline(always)]
    pub(crate) fn prefetch_slot(&self, hash: u64) {
        let index = hash as usize & self.mask;
        prefetch(&self.slots[index * 8]);
    }

    /// The rank of the two-byte token `first second`, or `u32::MAX`.
    #[inline(always)]
    pub(crate) fn pair_rank(&self, first: u8, second: u8) -> u32 {
        let at = (usize::from(first) << 8 | usize::from(second)) * 4;
        let mut word = [0; 4];
        word.copy_from_slice(&self.pairs[at..at + 4]);
        u32::from_le_bytes(word)
    }

    /// The rank of `piece` (not empty).
    #[inline(always)]
    pub(crate) fn rank(&self, piece: &[u8]) -> Option<u32> {
        let len = piece.len();
        if len <= TWO_WORDS {
            let words = words(piece);
            self.rank_words(words, len, hash_words(words, len))
        } else {
            self.rank_long(piece, hash_bytes(piece))
        }
    }

    /// Every `(rank, bytes)` pair, in table order.
    #[cfg(test)]
    pub(crate) fn entries(&self) -> impl Iterator<Item = (u32, Vec<u8>)> + '_ {
        (0..=self.mask).filter_map(move |index| {
            let slot = self.slot(index);
            (slot != 0).then(|| (slot::rank(slot), slot::token(slot, self.bytes)))
        })
    }
}

/// A prefetch hint for the cache line holding `byte`: no effect on the program's
/// results, only on when the memory is read.
#[inline(always)]
#[allow(unsafe_code)]
fn prefetch(byte: &u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: `_mm_prefetch` is `unsafe` only because it is a `#[target_feature(enable =
    // "sse")]` function, and SSE is part of every x86_64 target's baseline, so the
    // feature is always present. The instruction (PREFETCHT0) reads no value into the
    // program, cannot fault, and here is given the address of a live `&u8` anyway.
    unsafe {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(byte).cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = byte;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_ranks() {
        let o200k = Vocab::of(Encoding::O200kBase);
        assert_eq!(o200k.len(), 199_998);
        assert_eq!(o200k.rank(b"!"), Some(0));
        assert_eq!(o200k.rank(b" cocos"), Some(199_997));
        assert_eq!(o200k.rank(b"\xff\xfe\xfd definitely not a token"), None);
        let cl100k = Vocab::of(Encoding::Cl100kBase);
        assert_eq!(cl100k.len(), 100_256);
        assert_eq!(cl100k.rank(b"!"), Some(0));
        for byte in 0..=255u8 {
            assert!(o200k.rank(&[byte]).is_some() && cl100k.rank(&[byte]).is_some());
            for second in 0..=255u8 {
                for vocab in [o200k, cl100k] {
                    let rank = vocab.rank(&[byte, second]).unwrap_or(u32::MAX);
                    assert_eq!(vocab.pair_rank(byte, second), rank);
                }
            }
        }
    }

    #[test]
    fn prefetching_changes_no_lookup() {
        let vocab = Vocab::of(Encoding::O200kBase);
        // Tokens (inline and offset slots) and pieces that are not tokens; then the first
        // and last slot and the last token byte, the edges of the tables.
        for piece in [
            &b"!"[..],
            b" cocos",
            b"\xff\xfe\xfd definitely not a token",
            b"hello",
        ] {
            let hash = hash_bytes(piece);
            let before = vocab.rank(piece);
            vocab.prefetch_slot(hash);
            assert_eq!(vocab.rank(piece), before);
        }
        prefetch(&vocab.slots[0]);
        prefetch(&vocab.slots[vocab.slots.len() - 1]);
        prefetch(&vocab.bytes[vocab.bytes.len() - 1]);
        assert_eq!(vocab.rank(b" cocos"), Some(199_997));
    }

    #[test]
    fn every_entry_looks_up_to_itself() {
        for encoding in Encoding::OWN_ENGINE {
            let vocab = Vocab::of(encoding);
            let mut count = 0;
            for (rank, bytes) in vocab.entries() {
                assert_eq!(vocab.rank(&bytes), Some(rank));
                count += 1;
            }
            assert_eq!(count, vocab.len());
        }
    }
}
