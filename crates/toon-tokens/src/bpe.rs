//! Byte-pair merging of one piece, exactly as tiktoken does it: repeatedly merge the
//! adjacent pair whose concatenation has the lowest rank (the leftmost on ties) until no
//! adjacent concatenation is a token. Short pieces use tiktoken's linear scan, long ones
//! (100 bytes or more, as in tiktoken) a heap; both give the same parts.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::hash::{TWO_WORDS, hash_words, load_words};
use super::vocab::Vocab;

/// No rank: the concatenation is not a token.
const NONE: u32 = u32::MAX;

/// Pieces at least this long are merged with the heap (tiktoken's threshold too).
const LARGE: usize = 100;

/// Scratch buffers for merging, reused across pieces.
#[derive(Debug)]
pub(crate) struct Merger {
    /// Linear algorithm, per byte position `i` where a part starts: the [`merge_key`] of
    /// merging that part with the next one, or [`NONE`].
    keys: [u32; LARGE],
    /// Linear algorithm: the start of the part after the one starting at `i`.
    next: [u8; LARGE],
    /// Linear algorithm: the start of the part before the one starting at `i`.
    prev: [u8; LARGE],
    /// Linear algorithm: the piece, then zeros, so any of its substrings of up to
    /// [`TWO_WORDS`] bytes is read as two words without a check for the piece's end.
    padded: [u8; LARGE + TWO_WORDS],
    /// Heap algorithm: per byte position.
    states: Vec<State>,
    /// Heap algorithm: candidate merges.
    heap: BinaryHeap<Merge>,
    /// The result: start of every part, then the piece's length.
    bounds: Vec<usize>,
}

impl Default for Merger {
    fn default() -> Merger {
        Merger {
            keys: [NONE; LARGE],
            next: [0; LARGE],
            prev: [0; LARGE],
            padded: [0; LARGE + TWO_WORDS],
            states: Vec::new(),
            heap: BinaryHeap::new(),
            bounds: Vec::new(),
        }
    }
}

/// Bits of a [`merge_key`] that hold the position (pieces merged linearly are shorter
/// than [`LARGE`], 100, bytes).
const POSITION_BITS: u32 = 7;
const _: () = assert!(LARGE <= 1 << POSITION_BITS);

/// Pieces merged linearly have at least this many keys scanned (those past the piece
/// are [`NONE`]): a scan of a fixed length has no exit to mispredict and is unrolled.
const SCAN_AT_LEAST: usize = 16;

/// The lowest of the merge keys of a piece of `len` bytes.
#[inline(always)]
fn min_key(keys: &[u32; LARGE], len: usize) -> u32 {
    let lowest = |keys: &[u32]| keys.iter().fold(NONE, |best, &key| best.min(key));
    if len <= SCAN_AT_LEAST {
        lowest(&keys[..SCAN_AT_LEAST])
    } else {
        lowest(&keys[..len])
    }
}

/// Orders candidate merges as tiktoken picks them, lowest rank first and leftmost on
/// ties, by one unsigned compare: the rank above the position, or [`NONE`] when the
/// concatenation is no token (ranks take 18 bits, so a key is never [`NONE`] by chance).
#[inline(always)]
fn merge_key(rank: u32, position: usize) -> u32 {
    if rank == NONE {
        NONE
    } else {
        rank << POSITION_BITS | position as u32
    }
}

#[derive(Debug, Clone, Copy)]
struct State {
    prev: usize,
    end: usize,
    next_end: usize,
    next_rank: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Merge {
    start: usize,
    rank: u32,
}

impl Ord for Merge {
    /// The max-heap pops the lowest rank first, then the leftmost start.
    fn cmp(&self, other: &Merge) -> Ordering {
        other
            .rank
            .cmp(&self.rank)
            .then_with(|| other.start.cmp(&self.start))
    }
}

impl PartialOrd for Merge {
    fn partial_cmp(&self, other: &Merge) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Merger {
    /// Merges `piece` (at least 2 bytes) and returns the boundaries of its tokens: the
    /// start of each, then `piece.len()`. The token count is `len() - 1`.
    pub(crate) fn merge(&mut self, vocab: &Vocab, piece: &[u8]) -> &[usize] {
        debug_assert!(piece.len() >= 2);
        if piece.len() < LARGE {
            self.merge_small(vocab, piece);
        } else {
            self.merge_large(vocab, piece);
        }
        &self.bounds
    }

    /// tiktoken's `_byte_pair_merge`: O(parts × merges), fastest for short pieces. Parts
    /// are named by their start and linked both ways, so a merge unlinks one instead of
    /// shifting a list, and the next merge is the minimum of the keys, a loop the
    /// compiler vectorizes.
    fn merge_small(&mut self, vocab: &Vocab, piece: &[u8]) {
        let len = piece.len();
        debug_assert!((2..LARGE).contains(&len));
        let keys = &mut self.keys;
        let next = &mut self.next[..len];
        let prev = &mut self.prev[..len];
        for start in 0..len - 1 {
            keys[start] = merge_key(vocab.pair_rank(piece[start], piece[start + 1]), start);
            next[start] = (start + 1) as u8;
            prev[start + 1] = start as u8;
        }
        let scanned = if len <= SCAN_AT_LEAST {
            SCAN_AT_LEAST
        } else {
            len
        };
        keys[len - 1..scanned].fill(NONE);
        next[len - 1] = len as u8;
        let padded = &mut self.padded;
        padded[..len].copy_from_slice(piece);
        padded[len..len + TWO_WORDS].fill(0);
        let padded = &*padded;
        // The merge key of the part at `start` with the one after it, which ends at `end`.
        #[inline(always)]
        fn key_until(vocab: &Vocab, padded: &[u8], start: usize, end: usize) -> u32 {
            let len = end - start;
            let rank = if len <= TWO_WORDS {
                let words = load_words(padded, start, len);
                vocab.rank_words(words, len, hash_words(words, len))
            } else {
                vocab.rank(&padded[start..end])
            };
            rank.map_or(NONE, |rank| merge_key(rank, start))
        }
        loop {
            let best = min_key(keys, len);
            if best == NONE {
                break;
            }
            let left = (best & ((1 << POSITION_BITS) - 1)) as usize;
            let right = usize::from(next[left]);
            let after = usize::from(next[right]);
            next[left] = after as u8;
            keys[right] = NONE;
            keys[left] = if after < len {
                prev[after] = left as u8;
                key_until(vocab, padded, left, usize::from(next[after]))
            } else {
                NONE
            };
            if left > 0 {
                let before = usize::from(prev[left]);
                keys[before] = key_until(vocab, padded, before, after);
            }
        }
        self.bounds.clear();
        let mut start = 0;
        while start < len {
            self.bounds.push(start);
            start = usize::from(next[start]);
        }
        self.bounds.push(len);
    }

    /// tiktoken's `_byte_pair_merge_large`: a heap of candidate merges, O(n log n).
    fn merge_large(&mut self, vocab: &Vocab, piece: &[u8]) {
        let len = piece.len();
        let states = &mut self.states;
        let heap = &mut self.heap;
        states.clear();
        heap.clear();
        states.push(State {
            prev: usize::MAX,
            end: 1,
            next_end: 2,
            next_rank: NONE,
        });
        for start in 0..len - 1 {
            let rank = vocab.pair_rank(piece[start], piece[start + 1]);
            if rank != NONE {
                heap.push(Merge { start, rank });
                states[start].next_rank = rank;
            }
            states.push(State {
                prev: start,
                end: start + 2,
                next_end: start + 3,
                next_rank: NONE,
            });
        }
        // Sets the candidate merge of the token at `start` with the one ending at `end`.
        let propose =
            |states: &mut Vec<State>, heap: &mut BinaryHeap<Merge>, start: usize, end: usize| {
                states[start].next_end = end;
                states[start].next_rank = NONE;
                if end <= len
                    && let Some(rank) = vocab.rank(&piece[start..end])
                {
                    heap.push(Merge { start, rank });
                    states[start].next_rank = rank;
                }
            };
        while let Some(left) = heap.pop() {
            if left.rank != states[left.start].next_rank {
                continue; // stale
            }
            let left_start = left.start;
            let right_start = states[left_start].end;
            let right_end = states[left_start].next_end;
            let right_next_end = states[right_start].next_end;
            states[left_start].end = right_end;
            propose(states, heap, left_start, right_next_end);
            if right_end < states.len() {
                states[right_end].prev = left_start;
            }
            if left_start > 0 {
                let prev_start = states[left_start].prev;
                propose(states, heap, prev_start, right_end);
            }
            states[right_start].next_rank = NONE;
        }
        self.bounds.clear();
        let mut start = 0;
        while start < len {
            self.bounds.push(start);
            start = states[start].end;
        }
        self.bounds.push(len);
    }
}

#[cfg(test)]
mod tests {
    use super::super::encoding::Encoding;
    use super::*;

    #[test]
    fn small_and_large_agree() {
        let vocab = Vocab::of(Encoding::O200kBase);
        let mut merger = Merger::default();
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut random = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        // Small alphabets make repeated pairs, so ties between equal ranks are common.
        let alphabets: [&[u8]; 3] = [b"abcdefghij klmn", b"aab", b"the quick brown fox 0123"];
        for len in 2..LARGE {
            for alphabet in alphabets {
                for _ in 0..4 {
                    let piece: Vec<u8> = (0..len)
                        .map(|_| alphabet[(random() % alphabet.len() as u64) as usize])
                        .collect();
                    merger.merge_small(vocab, &piece);
                    let small = merger.bounds.clone();
                    merger.merge_large(vocab, &piece);
                    assert_eq!(
                        small,
                        merger.bounds,
                        "{:?}",
                        String::from_utf8_lossy(&piece)
                    );
                }
            }
        }
    }
}
