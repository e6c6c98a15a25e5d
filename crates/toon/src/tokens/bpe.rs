//! Byte-pair merging of one piece, exactly as tiktoken does it: repeatedly merge the
//! adjacent pair whose concatenation has the lowest rank (the leftmost on ties) until no
//! adjacent concatenation is a token. Short pieces use tiktoken's linear scan, long ones
//! (100 bytes or more, as in tiktoken) a heap; both give the same parts.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::vocab::Vocab;

/// No rank: the concatenation is not a token.
const NONE: u32 = u32::MAX;

/// Pieces at least this long are merged with the heap (tiktoken's threshold too).
const LARGE: usize = 100;

/// Scratch buffers for merging, reused across pieces.
#[derive(Debug, Default)]
pub(crate) struct Merger {
    /// Linear algorithm: (start, rank of the pair starting there).
    parts: Vec<(usize, u32)>,
    /// Heap algorithm: per byte position.
    states: Vec<State>,
    /// Heap algorithm: candidate merges.
    heap: BinaryHeap<Merge>,
    /// The result: start of every part, then the piece's length.
    bounds: Vec<usize>,
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

    /// tiktoken's `_byte_pair_merge`: O(parts × merges), fastest for short pieces.
    fn merge_small(&mut self, vocab: &Vocab, piece: &[u8]) {
        let parts = &mut self.parts;
        parts.clear();
        let mut min = (NONE, usize::MAX);
        for start in 0..piece.len() - 1 {
            let rank = vocab.pair_rank(piece[start], piece[start + 1]);
            if rank < min.0 {
                min = (rank, start);
            }
            parts.push((start, rank));
        }
        parts.push((piece.len() - 1, NONE));
        parts.push((piece.len(), NONE));
        // The rank of the merge of parts i and i+1 once part i+1 has absorbed i+2.
        let rank_after = |parts: &[(usize, u32)], i: usize| {
            if i + 3 < parts.len() {
                vocab
                    .rank(&piece[parts[i].0..parts[i + 3].0])
                    .unwrap_or(NONE)
            } else {
                NONE
            }
        };
        while min.0 != NONE {
            let i = min.1;
            if i > 0 {
                parts[i - 1].1 = rank_after(parts, i - 1);
            }
            parts[i].1 = rank_after(parts, i);
            parts.remove(i + 1);
            min = (NONE, usize::MAX);
            for (index, &(_, rank)) in parts[..parts.len() - 1].iter().enumerate() {
                if rank < min.0 {
                    min = (rank, index);
                }
            }
        }
        self.bounds.clear();
        self.bounds.extend(parts.iter().map(|&(start, _)| start));
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
        for len in [2, 3, 10, 60, 99, 150, 400] {
            for _ in 0..20 {
                let piece: Vec<u8> = (0..len)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        b"abcdefghij klmn"[(state % 15) as usize]
                    })
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
