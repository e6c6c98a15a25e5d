//! Exact token counts of every dataset in every format and tokenizer, and the choice
//! `toon_prompt::cheapest` makes for each.

use anyhow::Context;
use toon_prompt::{CheapestOptions, Counting, cheapest};
use toon_tokens::{Encoding, TokenCounter};

use super::datasets::Dataset;
use super::formats::Format;

/// One dataset measured: bytes per format, and tokens per format and tokenizer.
#[derive(Debug, Clone)]
pub struct Measured {
    /// The dataset's name.
    pub name: &'static str,
    /// The dataset's description.
    pub description: String,
    /// Bytes of each of [`Format::ALL`], `None` where the format cannot hold the data.
    pub bytes: Vec<Option<usize>>,
    /// Per tokenizer, in the order measured.
    pub counts: Vec<Counts>,
}

/// The tokens of one dataset in one tokenizer.
#[derive(Debug, Clone)]
pub struct Counts {
    /// The tokenizer.
    pub encoding: Encoding,
    /// Tokens of each of [`Format::ALL`], `None` where the format cannot hold the data.
    pub tokens: Vec<Option<usize>>,
    /// The format `toon_prompt::cheapest` chose (`toon-tab`, `json`, ...) and its tokens.
    pub cheapest: (&'static str, usize),
}

impl Counts {
    /// The tokens of `format`.
    pub fn of(&self, format: Format) -> Option<usize> {
        self.tokens[index(format)]
    }

    /// The fewest tokens of the three TOON delimiters.
    pub fn best_toon(&self) -> usize {
        [Format::ToonComma, Format::ToonTab, Format::ToonPipe]
            .into_iter()
            .filter_map(|format| self.of(format))
            .min()
            .unwrap_or(0)
    }
}

impl Measured {
    /// The counts in `encoding`, when it was measured.
    pub fn counts(&self, encoding: Encoding) -> Option<&Counts> {
        self.counts.iter().find(|c| c.encoding == encoding)
    }
}

/// The position of `format` in [`Format::ALL`].
pub fn index(format: Format) -> usize {
    Format::ALL
        .iter()
        .position(|&f| f == format)
        .unwrap_or_default()
}

/// Percent of tokens `tokens` saves against `baseline` (negative: it costs more).
pub fn saving(tokens: usize, baseline: usize) -> f64 {
    if baseline == 0 {
        return 0.0;
    }
    100.0 * (baseline as f64 - tokens as f64) / baseline as f64
}

/// Renders every dataset in every format and counts each text exactly in every
/// `encodings` (uncached counters: each text is counted once per tokenizer anyway).
pub fn measure(datasets: &[Dataset], encodings: &[Encoding]) -> anyhow::Result<Vec<Measured>> {
    let counters: Vec<TokenCounter> = encodings
        .iter()
        .map(|&encoding| TokenCounter::uncached(encoding))
        .collect();
    let options = CheapestOptions {
        counting: Counting::StopWhenDearer,
        ..CheapestOptions::default()
    };
    datasets
        .iter()
        .map(|dataset| {
            let texts = Format::ALL
                .iter()
                .map(|format| format.render(&dataset.value))
                .collect::<anyhow::Result<Vec<_>>>()
                .with_context(|| dataset.name)?;
            let value: toon::Value = dataset.value.clone().into();
            let counts = counters
                .iter()
                .map(|counter| {
                    let choice = cheapest(&value, counter, &options)
                        .with_context(|| format!("{}: cheapest", dataset.name))?;
                    Ok(Counts {
                        encoding: counter.encoding(),
                        tokens: texts
                            .iter()
                            .map(|text| text.as_deref().map(|text| counter.count(text)))
                            .collect(),
                        cheapest: (choice.format.name(), choice.tokens),
                    })
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            Ok(Measured {
                name: dataset.name,
                description: dataset.description.clone(),
                bytes: texts.iter().map(|t| t.as_ref().map(String::len)).collect(),
                counts,
            })
        })
        .collect()
}
