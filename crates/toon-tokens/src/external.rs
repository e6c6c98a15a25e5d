//! The encodings of open models, counted by the `tiktoken` crate (its vocabularies and
//! pre-tokenizers; our engine covers only the two OpenAI encodings).

use super::encoding::Encoding;

/// The `tiktoken` crate's tokenizer of an encoding our engine does not cover.
fn tokenizer(encoding: Encoding) -> &'static tiktoken::CoreBpe {
    debug_assert!(!encoding.has_own_engine(), "{encoding} has our own engine");
    tiktoken::get_encoding(encoding.name())
        .unwrap_or_else(|| panic!("the tiktoken crate is built with the {encoding} vocabulary"))
}

/// The number of tokens of `text`, special-token text counted as ordinary text.
pub(crate) fn count(encoding: Encoding, text: &str) -> usize {
    tokenizer(encoding).count(text)
}

/// The token ids of `text`, special-token text encoded as ordinary text.
pub(crate) fn encode(encoding: Encoding, text: &str) -> Vec<u32> {
    tokenizer(encoding).encode(text)
}

/// The number of ordinary tokens.
pub(crate) fn vocab_size(encoding: Encoding) -> usize {
    tokenizer(encoding).vocab_size()
}
