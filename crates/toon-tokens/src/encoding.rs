//! The encodings (vocabulary plus pre-tokenizer pattern) a [`TokenCounter`] can count in.
//!
//! [`TokenCounter`]: super::TokenCounter

use std::fmt;
use std::str::FromStr;

/// A tiktoken encoding.
///
/// ```
/// use toon_tokens::Encoding;
///
/// assert_eq!(Encoding::default(), Encoding::O200kBase);
/// assert_eq!("cl100k_base".parse::<Encoding>().unwrap(), Encoding::Cl100kBase);
/// assert_eq!(Encoding::for_model("gpt-4o-mini"), Some(Encoding::O200kBase));
/// assert_eq!(Encoding::Cl100kBase.to_string(), "cl100k_base");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Encoding {
    /// `o200k_base`: GPT-4o, GPT-4.1, GPT-4.5, GPT-5 and the o-series (o1, o3, o4-mini).
    #[default]
    O200kBase,
    /// `cl100k_base`: GPT-4, GPT-3.5-turbo and the `text-embedding-3` models.
    Cl100kBase,
}

impl Encoding {
    /// Every encoding, in a fixed order.
    pub const ALL: [Encoding; 2] = [Encoding::O200kBase, Encoding::Cl100kBase];

    /// The tiktoken name: `o200k_base` or `cl100k_base`.
    pub const fn name(self) -> &'static str {
        match self {
            Encoding::O200kBase => "o200k_base",
            Encoding::Cl100kBase => "cl100k_base",
        }
    }

    /// The encoding of an OpenAI model name, as tiktoken maps them: `gpt-4o*`, `gpt-4.1*`,
    /// `gpt-4.5*`, `gpt-5*`, `o1*`, `o3*`, `o4*`, `chatgpt-4o*` use `o200k_base`; `gpt-4*`,
    /// `gpt-3.5*`, `text-embedding-3*` and `text-embedding-ada-002` use `cl100k_base`.
    pub fn for_model(model: &str) -> Option<Encoding> {
        const O200K: [&str; 8] = [
            "gpt-4o",
            "gpt-4.1",
            "gpt-4.5",
            "gpt-5",
            "o1",
            "o3",
            "o4",
            "chatgpt-4o",
        ];
        const CL100K: [&str; 5] = [
            "gpt-4",
            "gpt-3.5",
            "gpt-35",
            "text-embedding-3",
            "text-embedding-ada-002",
        ];
        if O200K.iter().any(|prefix| model.starts_with(prefix)) {
            Some(Encoding::O200kBase)
        } else if CL100K.iter().any(|prefix| model.starts_with(prefix)) {
            Some(Encoding::Cl100kBase)
        } else {
            None
        }
    }

    /// The number of ordinary tokens (ranks `0..vocab_size`).
    pub fn vocab_size(self) -> usize {
        super::vocab::Vocab::of(self).len()
    }

    /// The seed of this encoding's cache keys: a key is `xxh3_128(text, seed)`, so the
    /// same text has distinct keys in distinct encodings. Stable across versions and
    /// processes (Python: `xxhash.xxh3_128_intdigest(text, seed=...)`).
    pub const fn key_seed(self) -> u64 {
        match self {
            Encoding::O200kBase => 0x6F32_3030_6B00_0001,
            Encoding::Cl100kBase => 0x636C_3130_306B_0002,
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of parsing an unknown encoding name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownEncoding(String);

impl fmt::Display for UnknownEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown encoding `{}`: expected o200k_base or cl100k_base",
            self.0
        )
    }
}

impl std::error::Error for UnknownEncoding {}

impl FromStr for Encoding {
    type Err = UnknownEncoding;

    /// Parses `o200k_base` or `cl100k_base` (also `o200k`, `cl100k`, any case).
    fn from_str(text: &str) -> Result<Encoding, UnknownEncoding> {
        match text.to_ascii_lowercase().as_str() {
            "o200k_base" | "o200k" => Ok(Encoding::O200kBase),
            "cl100k_base" | "cl100k" => Ok(Encoding::Cl100kBase),
            _ => Err(UnknownEncoding(text.to_owned())),
        }
    }
}
