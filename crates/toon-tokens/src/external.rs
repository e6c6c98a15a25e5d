//! The encodings of open models, counted by the `tiktoken` crate (its vocabularies and
//! pre-tokenizers; our engine covers only the two OpenAI encodings).
//!
//! Checked against each vendor's own tokenizer (bindings/python/tests/test_vendor_tokens.py):
//! the crate's vocabularies are the vendors' rank for rank. Two differences are made up
//! for here: Qwen's tokenizer composes text to NFC before it splits it, and DeepSeek's
//! pre-tokenizer cuts some text differently ([`deepseek`](super::deepseek)).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use super::deepseek::{self, Segment};
use super::encoding::Encoding;
use super::scan;

/// The `tiktoken` crate's tokenizer of an encoding our engine does not cover.
fn tokenizer(encoding: Encoding) -> &'static tiktoken::CoreBpe {
    debug_assert!(!encoding.has_own_engine(), "{encoding} has our own engine");
    tiktoken::get_encoding(encoding.name())
        .unwrap_or_else(|| panic!("the tiktoken crate is built with the {encoding} vocabulary"))
}

/// `text` as the encoding's tokenizer sees it: NFC-composed for Qwen, as is otherwise.
fn normalized(encoding: Encoding, text: &str) -> Cow<'_, str> {
    if encoding == Encoding::Qwen2 && !is_nfc(text) {
        Cow::Owned(text.nfc().collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// DeepSeek's vocabulary as bytes → rank, decoded from the crate once, for the pieces
/// merged here.
static DEEPSEEK_RANKS: LazyLock<HashMap<Vec<u8>, u32>> = LazyLock::new(|| {
    let tokenizer = tokenizer(Encoding::DeepseekV3);
    (0..tokenizer.vocab_size() as u32)
        .map(|rank| (tokenizer.decode(&[rank]), rank))
        .collect()
});

/// Whether `text` is NFC for sure: ASCII is, so only the runs of other characters are
/// quick-checked (a lone combining mark after ASCII reads as "maybe", so the text is
/// composed).
fn is_nfc(text: &str) -> bool {
    scan::rare_runs(text.as_bytes(), |byte| !byte.is_ascii())
        .all(|(start, end)| is_nfc_quick(text[start..end].chars()) == IsNormalized::Yes)
}

/// The number of tokens of `text`, special-token text counted as ordinary text.
pub(crate) fn count(encoding: Encoding, text: &str) -> usize {
    let tokenizer = tokenizer(encoding);
    if encoding == Encoding::DeepseekV3
        && let Some(segments) = deepseek::segments(text)
    {
        return segments
            .iter()
            .map(|segment| match segment {
                Segment::Crate(text) => tokenizer.count(text),
                Segment::Piece(text) => deepseek::merge(text.as_bytes(), &DEEPSEEK_RANKS).len(),
            })
            .sum();
    }
    tokenizer.count(&normalized(encoding, text))
}

/// The token ids of `text`, special-token text encoded as ordinary text.
pub(crate) fn encode(encoding: Encoding, text: &str) -> Vec<u32> {
    let tokenizer = tokenizer(encoding);
    if encoding == Encoding::DeepseekV3
        && let Some(segments) = deepseek::segments(text)
    {
        return segments
            .iter()
            .flat_map(|segment| match segment {
                Segment::Crate(text) => tokenizer.encode(text),
                Segment::Piece(text) => deepseek::merge(text.as_bytes(), &DEEPSEEK_RANKS),
            })
            .collect();
    }
    tokenizer.encode(&normalized(encoding, text))
}

/// The number of ordinary tokens.
pub(crate) fn vocab_size(encoding: Encoding) -> usize {
    tokenizer(encoding).vocab_size()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts of the vendors' own tokenizers (Meta's `llama-models`, Qwen3's
    /// `tokenizer.json`, DeepSeek-V3's `tokenizer.json`, Mistral's `tekken_240718.json`),
    /// no BOS/EOS, no special tokens.
    #[test]
    fn counts_match_the_vendor_tokenizers_on_samples() {
        let samples: [(&str, [usize; 4]); 8] = [
            ("Hello, world!", [4, 4, 4, 4]),
            ("users[2]{id,name}:\n  1,Ada\n  2,Bo", [19, 19, 17, 19]),
            ("你好，世界！日本語のテキスト", [11, 10, 9, 10]),
            ("1234567890", [4, 10, 4, 10]),
            ("emoji 👍🏽 👨\u{200d}👩\u{200d}👧 🎉", [19, 15, 16, 25]),
            ("  indented\n\n\ttab  trailing   ", [8, 8, 9, 9]),
            ("don't WE'LL https://a.b/c?d=1", [14, 14, 14, 14]),
            ("e\u{301} cafe\u{301}", [4, 2, 4, 6]),
        ];
        // DeepSeek's own cuts (vendor counts): a CJK run inside a letter run, and a run
        // of characters no split matches.
        for (text, expected) in [
            ("x乧a", 4),
            ("\u{200d}\u{200d}", 1),
            ("\u{90}\u{5fd}", 3),
            ("\u{200d}\u{200d}日", 2),
            ("  \u{f3b7}\u{6}", 6),
        ] {
            assert_eq!(count(Encoding::DeepseekV3, text), expected, "{text:?}");
            assert_eq!(
                encode(Encoding::DeepseekV3, text).len(),
                expected,
                "{text:?}"
            );
        }
        let encodings = [
            Encoding::Llama3,
            Encoding::Qwen2,
            Encoding::DeepseekV3,
            Encoding::MistralV3,
        ];
        for (text, expected) in samples {
            for (encoding, expected) in encodings.into_iter().zip(expected) {
                assert_eq!(count(encoding, text), expected, "{encoding} {text:?}");
                assert_eq!(
                    encode(encoding, text).len(),
                    expected,
                    "{encoding} {text:?}"
                );
            }
        }
    }
}
