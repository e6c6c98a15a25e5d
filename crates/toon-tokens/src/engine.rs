//! The exact counter: pre-tokenize, then for each piece take the memo, the vocabulary or
//! the byte-pair merge, in that order. Equivalent to tiktoken's `encode_ordinary`.
//!
//! On text the memo has not seen, the merge loop's lookups wait on cache misses in the
//! 4 MiB slot table one after another, so a short piece that needs merging has the
//! slots of all its substrings requested first ([`prefetch_merge_lookups`]).

use super::bpe::Merger;
use super::encoding::Encoding;
use super::external;
use super::hash::{TWO_WORDS, hash_bytes, hash_words, load_words};
use super::memo::{MAX_PIECE, MAX_SHORT, PieceMemo, ShortMemo};
use super::pretokenize::{PieceEnds, ScalarEnds, cl100k_end};
use super::vocab::Vocab;
use super::window::O200kEnds;

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

/// How often, in bytes of text, a count looks at how fast its memos fill.
const PROJECT_EVERY: usize = 16 << 10;

/// How often, in bytes of text, a count with a limit looks whether it passed it.
const LIMIT_EVERY: usize = 1 << 10;

impl Workspace {
    /// Sizes the memos for the pieces the rest of the text will likely add, from how
    /// many the first `done` of its `len` bytes added (`used_before` were there already):
    /// one resize instead of a chain of doublings, each rehashing the table into new
    /// memory. Distinct pieces grow slower than text (Heaps' law), hence the exponent.
    #[cold]
    fn project(&mut self, used_before: (usize, usize), done: usize, len: usize) {
        let scale = (len as f64 / done as f64).powf(0.75);
        let final_fill = |used: usize, before: usize| {
            before + (used.saturating_sub(before) as f64 * scale) as usize
        };
        self.short
            .reserve(final_fill(self.short.len(), used_before.0));
        self.wide
            .reserve(final_fill(self.wide.len(), used_before.1));
    }
}

/// The number of tokens of `text` in `encoding` (the encodings without our own engine
/// go to the `tiktoken` crate).
pub(crate) fn count(encoding: Encoding, text: &str, workspace: &mut Workspace) -> usize {
    match count_up_to(encoding, text, usize::MAX, workspace) {
        Ok(count) | Err(count) => count,
    }
}

/// The number of tokens of `text` when it is at most `limit`; else `Err` with the tokens
/// of a prefix, already more than `limit`. Our own engine stops soon after it passes the
/// limit (it looks every [`LIMIT_EVERY`] bytes); the `tiktoken` crate counts everything.
pub(crate) fn count_up_to(
    encoding: Encoding,
    text: &str,
    limit: usize,
    workspace: &mut Workspace,
) -> Result<usize, usize> {
    let bytes = text.as_bytes();
    let count = match encoding {
        Encoding::O200kBase => count_with(
            bytes,
            Vocab::of(encoding),
            workspace,
            O200kEnds::new(bytes),
            limit,
        ),
        Encoding::Cl100kBase => count_with(
            bytes,
            Vocab::of(encoding),
            workspace,
            ScalarEnds::new(bytes, cl100k_end),
            limit,
        ),
        Encoding::Llama3 | Encoding::Qwen2 | Encoding::DeepseekV3 | Encoding::MistralV3 => {
            external::count(encoding, text)
        }
    };
    if count > limit { Err(count) } else { Ok(count) }
}

/// The tokens of each line of `text` (its `\n` included), as `text.split_inclusive('\n')`
/// cuts it. Our own engine counts the text in one pass and ends each line's count where
/// the line ends (a piece across a line break counts for the line it starts in); the
/// `tiktoken` crate counts line by line.
pub(crate) fn count_lines(encoding: Encoding, text: &str, workspace: &mut Workspace) -> Vec<usize> {
    let bytes = text.as_bytes();
    match encoding {
        Encoding::O200kBase => {
            lines_with(bytes, Vocab::of(encoding), workspace, O200kEnds::new(bytes))
        }
        Encoding::Cl100kBase => lines_with(
            bytes,
            Vocab::of(encoding),
            workspace,
            ScalarEnds::new(bytes, cl100k_end),
        ),
        Encoding::Llama3 | Encoding::Qwen2 | Encoding::DeepseekV3 | Encoding::MistralV3 => text
            .split_inclusive('\n')
            .map(|line| external::count(encoding, line))
            .collect(),
    }
}

/// [`count_lines`] with the pieces `ends` finds.
fn lines_with(
    bytes: &[u8],
    vocab: &Vocab,
    workspace: &mut Workspace,
    mut ends: impl PieceEnds,
) -> Vec<usize> {
    let trailing = (!bytes.is_empty() && bytes.last() != Some(&b'\n')).then_some(bytes.len());
    let mut breaks = memchr::memchr_iter(b'\n', bytes)
        .map(|at| at + 1)
        .chain(trailing)
        .peekable();
    let mut counts = Vec::new();
    // Tokens of the text before `end_of_last`, and before the current line.
    let (mut total, mut before_line, mut end_of_last, mut singles) = (0, 0, 0, 0);
    loop {
        // `singles` is not read: a source may count them ahead, a window at a time.
        let next = ends.next_long(end_of_last, &mut singles);
        // Between the last long piece and the next: one-byte pieces, a token a byte.
        let gap_end = next.map_or(bytes.len(), |(start, _)| start);
        while let Some(&line_end) = breaks.peek()
            && line_end <= gap_end
        {
            let at = total + line_end.saturating_sub(end_of_last);
            counts.push(at - before_line);
            before_line = at;
            breaks.next();
        }
        total += gap_end - end_of_last;
        let Some((start, end)) = next else {
            break;
        };
        total += piece_tokens(bytes, start, end, vocab, workspace);
        end_of_last = end;
    }
    counts
}

/// The token ids of `text` in `encoding`, as tiktoken's `encode_ordinary` returns them.
pub(crate) fn encode(encoding: Encoding, text: &str, workspace: &mut Workspace) -> Vec<u32> {
    let bytes = text.as_bytes();
    let Some(mut ends) = super::Pieces::ends(encoding, bytes) else {
        return external::encode(encoding, text);
    };
    let vocab = Vocab::of(encoding);
    let mut tokens = Vec::with_capacity(bytes.len() / 3);
    let mut at = 0;
    while let Some(end) = ends.next_end() {
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

/// The token count of `bytes` with the pieces `ends` finds, or of a prefix once that
/// passes `limit`. One-byte pieces are a token each (every byte is a token), so the
/// source counts them instead of returning them.
#[inline(always)]
fn count_with(
    bytes: &[u8],
    vocab: &Vocab,
    workspace: &mut Workspace,
    mut ends: impl PieceEnds,
    limit: usize,
) -> usize {
    let mut total = 0;
    let mut end_of_last = 0;
    let used_before = (workspace.short.len(), workspace.wide.len());
    let every = if limit == usize::MAX {
        PROJECT_EVERY
    } else {
        LIMIT_EVERY
    };
    let mut check_at = every;
    let mut project_at = PROJECT_EVERY;
    let mut singles = 0;
    while let Some((start, end)) = ends.next_long(end_of_last, &mut singles) {
        total += piece_tokens(bytes, start, end, vocab, workspace);
        end_of_last = end;
        if end >= check_at {
            if total + singles > limit {
                break;
            }
            if end >= project_at {
                if end < bytes.len() {
                    workspace.project(used_before, end, bytes.len());
                }
                project_at = end + PROJECT_EVERY;
            }
            check_at = end + every;
        }
    }
    total + singles
}

/// The token count of the piece `bytes[at..end]` (two bytes or more): from a memo, or
/// one token when the vocabulary has it, or merged (and then remembered).
#[inline(always)]
fn piece_tokens(
    bytes: &[u8],
    at: usize,
    end: usize,
    vocab: &Vocab,
    workspace: &mut Workspace,
) -> usize {
    let len = end - at;
    debug_assert!(len >= 2, "one-byte pieces are counted by the piece source");
    if len <= 8 {
        let words = load_words(bytes, at, len);
        if let Some(count) = workspace.short.get(words.0, len) {
            return count;
        }
        let count = uncached_tokens(&bytes[at..end], words, vocab, workspace);
        workspace.short.insert(words.0, len, count);
        return count;
    }
    if len <= MAX_SHORT {
        let words = load_words(bytes, at, len);
        if let Some(count) = workspace.wide.get(words, len) {
            return count;
        }
        let count = uncached_tokens(&bytes[at..end], words, vocab, workspace);
        workspace.wide.insert(words, len, count);
        return count;
    }
    let piece = &bytes[at..end];
    if len <= MAX_PIECE {
        let hash = hash_bytes(piece);
        if let Some(count) = workspace.memo.get(piece, hash) {
            return count;
        }
        let count = uncached_tokens(piece, (0, 0), vocab, workspace);
        workspace.memo.insert(piece, hash, count);
        return count;
    }
    uncached_tokens(piece, (0, 0), vocab, workspace)
}

/// The token count of `piece` (at least 2 bytes) from the vocabulary; `words` are its
/// [`words`](super::hash::words) when it has [`TWO_WORDS`] bytes or fewer.
#[inline(never)]
fn uncached_tokens(
    piece: &[u8],
    words: (u64, u64),
    vocab: &Vocab,
    workspace: &mut Workspace,
) -> usize {
    if let [first, second] = *piece {
        return if vocab.pair_rank(first, second) == u32::MAX {
            2
        } else {
            1
        };
    }
    let len = piece.len();
    let rank = if len <= TWO_WORDS {
        vocab.rank_words(words, len, hash_words(words, len))
    } else {
        vocab.rank(piece)
    };
    if rank.is_some() {
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
/// have too many substrings: requesting them all cost more than the waits it saved
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_counts_in_one_pass_match_each_line_counted_alone() {
        let texts = [
            "users[2]{id,name}:\n  1,Ada\n  2,Bo",
            "a\n  b: \"x, y\"\n\t- c\n",
            "",
            "\n",
            "one line only",
            "héllo 世界 🎉\n  x: 1\n  y: [3]: 1,2,3\n",
        ];
        let rows: String = (0..300)
            .map(|i| format!("  {i},User {i},u{i}@example.com,{}\n", i % 3 == 0))
            .collect();
        let table = format!("users[300]{{id,name,email,ok}}:\n{rows}meta:\n  page: 1");
        for encoding in Encoding::OWN_ENGINE {
            let mut workspace = Workspace::default();
            for text in texts.iter().copied().chain([table.as_str()]) {
                let alone: Vec<usize> = text
                    .split_inclusive('\n')
                    .map(|line| count(encoding, line, &mut workspace))
                    .collect();
                assert_eq!(
                    count_lines(encoding, text, &mut workspace),
                    alone,
                    "{text:?}"
                );
            }
            // A piece across a line break ("\n\n") counts for the line it starts in;
            // the lines still add up to the whole.
            let blank = "a\n\n  b\n";
            let lines = count_lines(encoding, blank, &mut workspace);
            assert_eq!(lines.len(), 3);
            assert_eq!(
                lines.iter().sum::<usize>(),
                count(encoding, blank, &mut workspace)
            );
        }
    }
}
