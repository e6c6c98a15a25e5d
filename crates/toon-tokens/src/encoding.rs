//! The encodings (vocabulary plus pre-tokenizer pattern) a [`TokenCounter`] can count in,
//! and the one table that maps model names to them.
//!
//! [`TokenCounter`]: super::TokenCounter

use std::fmt;
use std::str::FromStr;

/// A byte-pair encoding a model tokenizes with.
///
/// ```
/// use toon_tokens::Encoding;
///
/// assert_eq!(Encoding::default(), Encoding::O200kBase);
/// assert_eq!("cl100k_base".parse::<Encoding>().unwrap(), Encoding::Cl100kBase);
/// assert_eq!(Encoding::for_model("gpt-4o-mini"), Some(Encoding::O200kBase));
/// assert_eq!(Encoding::resolve("llama-3.1-70b").unwrap(), Encoding::Llama3);
/// assert_eq!(Encoding::Qwen2.to_string(), "qwen2");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Encoding {
    /// `o200k_base`: GPT-4o, GPT-4.1, GPT-4.5, GPT-5, gpt-oss and the o-series.
    #[default]
    O200kBase,
    /// `cl100k_base`: GPT-4, GPT-3.5-turbo and the `text-embedding-3` models.
    Cl100kBase,
    /// `llama3`: Meta Llama 3, 3.1, 3.2 and 3.3 (128,000 tokens).
    Llama3,
    /// `qwen2`: Qwen 2, 2.5, 3 and QwQ (151,643 tokens).
    Qwen2,
    /// `deepseek_v3`: DeepSeek V3, V3.1, V3.2 and R1 (128,000 tokens).
    DeepseekV3,
    /// `mistral_v3`: Mistral's Tekken v3 tokenizer (Mistral NeMo, Pixtral).
    MistralV3,
}

/// Model-name prefixes and their encodings, matched in order against the lower-cased
/// name without an `ft:` prefix or an `organisation/` part. More specific prefixes first.
const MODEL_PREFIXES: &[(&str, Encoding)] = &[
    ("gpt-4o", Encoding::O200kBase),
    ("gpt-4.1", Encoding::O200kBase),
    ("gpt-4.5", Encoding::O200kBase),
    ("gpt-5", Encoding::O200kBase),
    ("gpt-oss", Encoding::O200kBase),
    ("chatgpt-4o", Encoding::O200kBase),
    ("o1", Encoding::O200kBase),
    ("o3", Encoding::O200kBase),
    ("o4", Encoding::O200kBase),
    ("gpt-4", Encoding::Cl100kBase),
    ("gpt-3.5", Encoding::Cl100kBase),
    ("gpt-35", Encoding::Cl100kBase),
    ("text-embedding-3", Encoding::Cl100kBase),
    ("text-embedding-ada-002", Encoding::Cl100kBase),
    ("llama-3", Encoding::Llama3),
    ("llama3", Encoding::Llama3),
    ("meta-llama-3", Encoding::Llama3),
    ("qwen2", Encoding::Qwen2),
    ("qwen3", Encoding::Qwen2),
    ("qwq", Encoding::Qwen2),
    ("deepseek-v3", Encoding::DeepseekV3),
    ("deepseek-r1", Encoding::DeepseekV3),
    ("deepseek-chat", Encoding::DeepseekV3),
    ("deepseek-reasoner", Encoding::DeepseekV3),
    ("mistral-nemo", Encoding::MistralV3),
    ("open-mistral-nemo", Encoding::MistralV3),
    ("pixtral", Encoding::MistralV3),
];

impl Encoding {
    /// Every encoding, in a fixed order.
    pub const ALL: [Encoding; 6] = [
        Encoding::O200kBase,
        Encoding::Cl100kBase,
        Encoding::Llama3,
        Encoding::Qwen2,
        Encoding::DeepseekV3,
        Encoding::MistralV3,
    ];

    /// The encodings our own engine counts (the rest go through the `tiktoken` crate).
    pub const OWN_ENGINE: [Encoding; 2] = [Encoding::O200kBase, Encoding::Cl100kBase];

    /// The name: `o200k_base`, `cl100k_base`, `llama3`, `qwen2`, `deepseek_v3` or
    /// `mistral_v3` (the `tiktoken` crate's names).
    pub const fn name(self) -> &'static str {
        match self {
            Encoding::O200kBase => "o200k_base",
            Encoding::Cl100kBase => "cl100k_base",
            Encoding::Llama3 => "llama3",
            Encoding::Qwen2 => "qwen2",
            Encoding::DeepseekV3 => "deepseek_v3",
            Encoding::MistralV3 => "mistral_v3",
        }
    }

    /// Whether our own engine counts this encoding (else the `tiktoken` crate does).
    pub const fn has_own_engine(self) -> bool {
        matches!(self, Encoding::O200kBase | Encoding::Cl100kBase)
    }

    /// The position of this encoding in [`ALL`](Self::ALL).
    pub(crate) const fn index(self) -> usize {
        self as usize
    }

    /// The encoding of a model name, from one table every front-end shares. Matching
    /// ignores case, an `ft:` prefix and an `organisation/` part, so `gpt-4o-mini`,
    /// `meta-llama/Llama-3.1-70B-Instruct`, `Qwen/Qwen2.5-72B-Instruct`,
    /// `deepseek-ai/DeepSeek-R1` and `mistralai/Mistral-Nemo-Instruct-2407` all resolve.
    /// `None` for a model whose tokenizer is not one of [`ALL`](Self::ALL) (Llama 2 and 4,
    /// the SentencePiece Mistral and Mixtral models, DeepSeek V2, and Mistral models whose
    /// Tekken version has not been checked against Mistral's own files).
    pub fn for_model(model: &str) -> Option<Encoding> {
        let model = model.trim().to_ascii_lowercase();
        let model = model.strip_prefix("ft:").unwrap_or(&model);
        let model = model.rsplit_once('/').map_or(model, |(_, name)| name);
        MODEL_PREFIXES
            .iter()
            .find(|(prefix, _)| model.starts_with(prefix))
            .map(|&(_, encoding)| encoding)
    }

    /// An encoding name (as [`FromStr`] reads it) or a model name (as
    /// [`for_model`](Self::for_model) maps it): what `--encoding` and the bindings'
    /// `encoding=` arguments accept.
    pub fn resolve(name: &str) -> Result<Encoding, UnknownEncoding> {
        name.parse()
            .or_else(|error| Encoding::for_model(name).ok_or(error))
    }

    /// The number of ordinary tokens (ranks `0..vocab_size`).
    pub fn vocab_size(self) -> usize {
        if self.has_own_engine() {
            super::vocab::Vocab::of(self).len()
        } else {
            super::external::vocab_size(self)
        }
    }

    /// The seed of this encoding's cache keys: a key is `xxh3_128(text, seed)`, so the
    /// same text has distinct keys in distinct encodings. Stable across versions and
    /// processes (Python: `xxhash.xxh3_128_intdigest(text, seed=...)`).
    pub const fn key_seed(self) -> u64 {
        match self {
            Encoding::O200kBase => 0x6F32_3030_6B00_0001,
            Encoding::Cl100kBase => 0x636C_3130_306B_0002,
            Encoding::Llama3 => 0x6C6C_616D_6133_0003,
            Encoding::Qwen2 => 0x7177_656E_3200_0004,
            Encoding::DeepseekV3 => 0x6473_6B76_3300_0005,
            Encoding::MistralV3 => 0x6D69_7374_7633_0006,
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of an unknown encoding or model name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownEncoding(String);

impl fmt::Display for UnknownEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown encoding `{}`: expected o200k_base, cl100k_base, llama3, qwen2, \
             deepseek_v3, mistral_v3 or a model name such as gpt-4o, llama-3.1-70b, \
             qwen2.5-72b, deepseek-r1 or mistral-nemo",
            self.0
        )
    }
}

impl std::error::Error for UnknownEncoding {}

impl FromStr for Encoding {
    type Err = UnknownEncoding;

    /// Parses an encoding name, any case: `o200k_base` (`o200k`), `cl100k_base`
    /// (`cl100k`), `llama3`, `qwen2`, `deepseek_v3`, `mistral_v3` (`tekken`). Model names
    /// are [`Encoding::resolve`]'s.
    fn from_str(text: &str) -> Result<Encoding, UnknownEncoding> {
        match text.to_ascii_lowercase().as_str() {
            "o200k_base" | "o200k" => Ok(Encoding::O200kBase),
            "cl100k_base" | "cl100k" => Ok(Encoding::Cl100kBase),
            "llama3" => Ok(Encoding::Llama3),
            "qwen2" => Ok(Encoding::Qwen2),
            "deepseek_v3" => Ok(Encoding::DeepseekV3),
            "mistral_v3" | "tekken" => Ok(Encoding::MistralV3),
            _ => Err(UnknownEncoding(text.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Encoding;

    #[test]
    fn model_names_resolve_through_the_one_table() {
        for (model, encoding) in [
            ("gpt-4o-2024-08-06", Encoding::O200kBase),
            ("ft:gpt-4o-mini:org::abc", Encoding::O200kBase),
            ("gpt-oss-120b", Encoding::O200kBase),
            ("o3-mini", Encoding::O200kBase),
            ("gpt-4-turbo", Encoding::Cl100kBase),
            ("gpt-3.5-turbo", Encoding::Cl100kBase),
            ("llama-3.1-70b", Encoding::Llama3),
            ("meta-llama/Llama-3.3-70B-Instruct", Encoding::Llama3),
            ("Meta-Llama-3-8B", Encoding::Llama3),
            ("qwen2.5-72b", Encoding::Qwen2),
            ("Qwen/Qwen3-32B", Encoding::Qwen2),
            ("QwQ-32B", Encoding::Qwen2),
            ("deepseek-ai/DeepSeek-V3", Encoding::DeepseekV3),
            ("deepseek-r1", Encoding::DeepseekV3),
            ("deepseek-chat", Encoding::DeepseekV3),
            ("mistralai/Mistral-Nemo-Instruct-2407", Encoding::MistralV3),
            ("open-mistral-nemo", Encoding::MistralV3),
            ("pixtral-12b", Encoding::MistralV3),
        ] {
            assert_eq!(Encoding::for_model(model), Some(encoding), "{model}");
            assert_eq!(Encoding::resolve(model), Ok(encoding), "{model}");
        }
        for model in [
            "llama-2-7b",
            "llama-4-scout",
            "mistral-7b-v0.1",
            "mixtral-8x7b",
            "claude-3",
        ] {
            assert_eq!(Encoding::for_model(model), None, "{model}");
            let message = Encoding::resolve(model).unwrap_err().to_string();
            assert!(
                message.contains(model) && message.contains("llama3"),
                "{message}"
            );
        }
    }

    #[test]
    fn names_round_trip_and_index_matches_all() {
        for (index, encoding) in Encoding::ALL.into_iter().enumerate() {
            assert_eq!(encoding.name().parse::<Encoding>(), Ok(encoding));
            assert_eq!(
                Encoding::resolve(&encoding.name().to_uppercase()),
                Ok(encoding)
            );
            assert_eq!(encoding.index(), index);
        }
        let seeds: std::collections::HashSet<u64> = Encoding::ALL
            .iter()
            .map(|encoding| encoding.key_seed())
            .collect();
        assert_eq!(seeds.len(), Encoding::ALL.len());
    }
}
