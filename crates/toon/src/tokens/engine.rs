//! The exact counter: pre-tokenize, then for each piece take the memo, the vocabulary or
//! the byte-pair merge, in that order. Equivalent to tiktoken's `encode_ordinary`.
//!
//! Counting is bound by memory latency on text the memo has not seen: a piece's first
//! vocabulary lookup, and each lookup of the merge loop, waits on a cache miss in the
//! 4 MiB slot table. So a piece the memo does not know waits in a short [`MissQueue`]
//! while its slot (and then its candidate's bytes) are prefetched, and a short piece
//! that needs merging has the slots of all its substrings requested before the merge.

use super::bpe::Merger;
use super::encoding::Encoding;
use super::hash::{hash_bytes, load_words};
use super::memo::{MAX_PIECE, MAX_SHORT, PieceMemo, ShortMemo};
use super::pretokenize::{cl100k_end, o200k_end};
use super::vocab::Vocab;

/// Per-thread scratch state: the piece memo and the merge buffers.
#[derive(Debug, Default)]
pub(crate) struct Workspace {
    /// Counts of pieces up to 8 bytes.
    short: ShortMemo<u64>,
    /// Counts of pieces of 9 to [`MAX_SHORT`] bytes.
    wide: ShortMemo<(u64, u64)>,
    /// Counts of pieces up to [`MAX_PIECE`] bytes.
    memo: PieceMemo,
    merger: Merger,
}

/// The number of tokens of `text` in `encoding`.
pub(crate) fn count(encoding: Encoding, text: &str, workspace: &mut Workspace) -> usize {
    let vocab = Vocab::of(encoding);
    match encoding {
        Encoding::O200kBase => count_with(text.as_bytes(), vocab, workspace, o200k_end),
        Encoding::Cl100kBase => count_with(text.as_bytes(), vocab, workspace, cl100k_end),
    }
}

/// The token ids of `text` in `encoding`, as tiktoken's `encode_ordinary` returns them.
pub(crate) fn encode(encoding: Encoding, text: &str, workspace: &mut Workspace) -> Vec<u32> {
    let vocab = Vocab::of(encoding);
    let end_at = match encoding {
        Encoding::O200kBase => o200k_end,
        Encoding::Cl100kBase => cl100k_end,
    };
    let bytes = text.as_bytes();
    let mut tokens = Vec::with_capacity(bytes.len() / 3);
    let mut at = 0;
    while at < bytes.len() {
        let end = end_at(bytes, at);
        let piece = &bytes[at..end];
        match vocab.rank(piece) {
            Some(rank) => tokens.push(rank),
            None => {
                let bounds = workspace.merger.merge(vocab, piece);
                tokens.extend(bounds.windows(2).map(|part| {
                    vocab
                        .rank(&piece[part[0]..part[1]])
                        .expect("merged parts are tokens")
                }));
            }
        }
        at = end;
    }
    tokens
}

/// How many pieces the memo did not know wait, their vocabulary slots requested, before
/// they are looked up. Each first look at the 4 MiB slot table is a cache miss; waiting
/// lets the misses of several pieces overlap instead of following one another.
const QUEUE: usize = 4;

/// A piece the memo did not know: `bytes[at..end]` and its [`hash_bytes`].
#[derive(Debug, Clone, Copy, Default)]
struct Miss {
    at: usize,
    end: usize,
    hash: u64,
}

/// The waiting pieces, oldest first, in a ring of [`QUEUE`] entries.
#[derive(Debug, Default)]
struct MissQueue {
    ring: [Miss; QUEUE],
    head: usize,
    len: usize,
}

impl MissQueue {
    /// Adds `miss`; when the queue was full, returns the oldest piece, now due.
    #[inline(always)]
    fn push(&mut self, miss: Miss) -> Option<Miss> {
        if self.len < QUEUE {
            self.ring[(self.head + self.len) % QUEUE] = miss;
            self.len += 1;
            return None;
        }
        let due = std::mem::replace(&mut self.ring[self.head], miss);
        self.head = (self.head + 1) % QUEUE;
        Some(due)
    }

    /// The piece halfway through its wait, whose slot has had time to arrive.
    #[inline(always)]
    fn halfway(&self) -> Option<Miss> {
        (self.len >= QUEUE / 2).then(|| self.ring[(self.head + self.len - QUEUE / 2) % QUEUE])
    }

    /// The waiting pieces, oldest first.
    fn drain(&self) -> impl Iterator<Item = Miss> + '_ {
        (0..self.len).map(|index| self.ring[(self.head + index) % QUEUE])
    }
}

#[inline(always)]
fn count_with(
    bytes: &[u8],
    vocab: &Vocab,
    workspace: &mut Workspace,
    end_at: impl Fn(&[u8], usize) -> usize,
) -> usize {
    let mut total = 0;
    let mut queue = MissQueue::default();
    let mut at = 0;
    while at < bytes.len() {
        let end = end_at(bytes, at);
        if let Some(count) = remembered(bytes, at, end, workspace) {
            total += count;
        } else if end - at == 2 {
            // Answered by the pair table, which needs no wait.
            total += resolve(bytes, Miss { at, end, hash: 0 }, vocab, workspace);
        } else {
            let hash = hash_bytes(&bytes[at..end]);
            vocab.prefetch_slot(hash);
            if let Some(waiting) = queue.halfway() {
                vocab.prefetch_candidate(waiting.end - waiting.at, waiting.hash);
            }
            if let Some(due) = queue.push(Miss { at, end, hash }) {
                total += resolve(bytes, due, vocab, workspace);
            }
        }
        at = end;
    }
    for due in queue.drain() {
        total += resolve(bytes, due, vocab, workspace);
    }
    total
}

/// The memo's count of the piece `bytes[at..end]` (a single byte is always one token).
#[inline(always)]
fn remembered(bytes: &[u8], at: usize, end: usize, workspace: &Workspace) -> Option<usize> {
    let len = end - at;
    if len == 1 {
        Some(1)
    } else if len <= 8 {
        workspace.short.get(load_words(bytes, at, len).0, len)
    } else if len <= MAX_SHORT {
        workspace.wide.get(load_words(bytes, at, len), len)
    } else if len <= MAX_PIECE {
        let piece = &bytes[at..end];
        workspace.memo.get(piece, hash_bytes(piece))
    } else {
        None
    }
}

/// Counts a waiting piece from the vocabulary, and remembers the count. The same piece
/// may have waited twice (it occurred again before its first count was remembered), so
/// the memo is asked once more first.
#[inline(never)]
fn resolve(bytes: &[u8], miss: Miss, vocab: &Vocab, workspace: &mut Workspace) -> usize {
    let Miss { at, end, hash } = miss;
    if let Some(count) = remembered(bytes, at, end, workspace) {
        return count;
    }
    let piece = &bytes[at..end];
    let count = uncached_tokens(piece, hash, vocab, workspace);
    let len = piece.len();
    if len <= 8 {
        workspace
            .short
            .insert(load_words(bytes, at, len).0, len, count);
    } else if len <= MAX_SHORT {
        workspace
            .wide
            .insert(load_words(bytes, at, len), len, count);
    } else if len <= MAX_PIECE {
        workspace.memo.insert(piece, hash, count);
    }
    count
}

/// The token count of `piece` (at least 2 bytes, [`hash_bytes`] `hash` when longer than
/// 2) from the vocabulary.
fn uncached_tokens(piece: &[u8], hash: u64, vocab: &Vocab, workspace: &mut Workspace) -> usize {
    if let [first, second] = *piece {
        return if vocab.pair_rank(first, second) == u32::MAX {
            2
        } else {
            1
        };
    }
    if vocab.rank_hashed(piece, hash).is_some() {
        1
    } else if let [first, second, third] = *piece {
        // Not a token itself: one merge when either pair is a token, else none.
        let merges = vocab.pair_rank(first, second) != u32::MAX
            || vocab.pair_rank(second, third) != u32::MAX;
        if merges { 2 } else { 3 }
    } else {
        prefetch_merge_lookups(piece, vocab);
        workspace.merger.merge(vocab, piece).len() - 1
    }
}

/// Pieces up to this long have their merge lookups requested in advance. Longer ones
/// have too many substrings: requesting them all costs more than the waits it saves
/// (measured on prose, code and CJK text, with cold and warm caches).
const PREFETCH_MERGES_UP_TO: usize = 8;

/// The merge loop looks up concatenations of neighbouring parts one after another, each
/// waiting on the one before. Any substring of 3 bytes or more shorter than the piece may
/// be one of them, so for a short piece all their slots are requested at once, first.
#[inline]
fn prefetch_merge_lookups(piece: &[u8], vocab: &Vocab) {
    if piece.len() > PREFETCH_MERGES_UP_TO {
        return;
    }
    for len in 3..piece.len() {
        for start in 0..=piece.len() - len {
            vocab.prefetch_slot(hash_bytes(&piece[start..start + len]));
        }
    }
}
