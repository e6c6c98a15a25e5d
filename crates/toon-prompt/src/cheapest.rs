//! The cheapest format for a value, by exact token count.

use std::fmt;

use toon::Value;
use toon_tokens::{LimitedCount, TokenCounter};

use crate::{PromptError, PromptFormat};

/// How far the candidates dearer than the best are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Counting {
    /// A candidate's count stops once it passes the best so far: its count is then a lower
    /// bound ([`LimitedCount::MoreThan`]). The fast choice.
    #[default]
    StopWhenDearer,
    /// Every candidate is counted to the end.
    Exact,
}

/// Options of [`cheapest`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheapestOptions {
    /// The formats compared, in the order ties are broken. Default: [`PromptFormat::ALL`].
    pub formats: Vec<PromptFormat>,
    /// Spaces per TOON indentation level. Default 2.
    pub indent: usize,
    /// How far dearer candidates are counted. Default [`Counting::StopWhenDearer`].
    pub counting: Counting,
}

impl Default for CheapestOptions {
    fn default() -> Self {
        CheapestOptions {
            formats: PromptFormat::ALL.to_vec(),
            indent: 2,
            counting: Counting::default(),
        }
    }
}

/// One format compared and its tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    /// The format.
    pub format: PromptFormat,
    /// Its tokens: exact, or a lower bound where counting stopped.
    pub tokens: LimitedCount,
}

/// The cheapest format of a value, its text, and every candidate's count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cheapest {
    /// The chosen format.
    pub format: PromptFormat,
    /// The value in that format (no final newline).
    pub text: String,
    /// Its exact token count.
    pub tokens: usize,
    /// Every format compared, in the order of the options.
    pub candidates: Vec<Candidate>,
}

impl fmt::Display for Cheapest {
    /// `chosen: toon-tab, 812 tokens (toon-comma 830, toon-tab 812, toon-pipe 815, json
    /// 1920)`; a count that stopped early reads `>900`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "chosen: {}, {} tokens (", self.format, self.tokens)?;
        for (index, candidate) in self.candidates.iter().enumerate() {
            if index > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{} {}", candidate.format, candidate.tokens)?;
        }
        f.write_str(")")
    }
}

/// The cheapest of `options.formats` for `value` in `counter`'s encoding. Ties go to the
/// format listed first. Texts that come out identical (TOON without any delimited row or
/// inline array reads the same with every delimiter) are counted once; with
/// [`Counting::StopWhenDearer`] a candidate stops counting once it passes the best.
///
/// ```
/// use toon_prompt::{CheapestOptions, PromptFormat, cheapest};
/// use toon_tokens::TokenCounter;
///
/// let value: toon::Value = serde_json::json!({"users": [
///     {"id": 1, "name": "Ada"}, {"id": 2, "name": "Bo"}, {"id": 3, "name": "Cy"}
/// ]}).into();
/// let choice = cheapest(&value, &TokenCounter::default(), &CheapestOptions::default())?;
/// assert_eq!(choice.format, PromptFormat::ToonComma);
/// assert_eq!(choice.text, "users[3]{id,name}:\n  1,Ada\n  2,Bo\n  3,Cy");
/// assert_eq!(choice.candidates.len(), 4);
/// # Ok::<(), toon_prompt::PromptError>(())
/// ```
pub fn cheapest(
    value: &Value<'_>,
    counter: &TokenCounter,
    options: &CheapestOptions,
) -> Result<Cheapest, PromptError> {
    let formats = if options.formats.is_empty() {
        &PromptFormat::ALL[..]
    } else {
        &options.formats[..]
    };
    // The distinct texts so far, with their counts; the best as (candidate, text, tokens).
    let mut texts: Vec<(String, LimitedCount)> = Vec::with_capacity(formats.len());
    let mut best: Option<(usize, usize, usize)> = None;
    let mut candidates = Vec::with_capacity(formats.len());
    // The first TOON text counted line by line, when lines add up (see `LineCounts`).
    let mut toon_lines: Option<LineCounts> = None;
    let additive = counter.encoding().has_own_engine();
    for &format in formats {
        let text = format.render(value, options.indent)?;
        let seen = texts.iter().position(|(seen, _)| *seen == text);
        let text_index = seen.unwrap_or(texts.len());
        let limit = match (best, options.counting) {
            (Some((_, _, least)), Counting::StopWhenDearer) => least,
            _ => usize::MAX,
        };
        let tokens = match seen {
            Some(index) => texts[index].1,
            None if additive && format.delimiter().is_some() => match &toon_lines {
                Some(first) => first.count_variant(&text, counter, limit),
                None => {
                    let lines = LineCounts::of(&text, counter);
                    let total = lines.total();
                    toon_lines = Some(lines);
                    LimitedCount::Exact(total)
                }
            },
            None if limit == usize::MAX => LimitedCount::Exact(counter.count(&text)),
            None => counter.count_limited(&text, limit),
        };
        if seen.is_none() {
            texts.push((text, tokens));
        }
        if let LimitedCount::Exact(count) = tokens
            && best.is_none_or(|(_, _, least)| count < least)
        {
            best = Some((candidates.len(), text_index, count));
        }
        candidates.push(Candidate { format, tokens });
    }
    let (index, text_index, tokens) = best.expect("the first candidate is counted exactly");
    Ok(Cheapest {
        format: candidates[index].format,
        text: texts.swap_remove(text_index).0,
        tokens,
        candidates,
    })
}

/// The lines of a TOON text and their tokens. The TOON texts of one value with other
/// delimiters have the same lines where no delimiter is written (keys, nested headers
/// without field lists), so only the lines that differ are counted again. Exact for the
/// encodings of our own engine: their pre-tokenizers never join text across the line
/// break before an encoder's line (which starts with a space, a letter, `_`, `"`, `[`
/// or `-`, never with a second line break or a `/`).
struct LineCounts {
    /// The text (its lines, each with its `\n`, are `split_inclusive`'s).
    text: String,
    tokens: Vec<usize>,
}

impl LineCounts {
    fn of(text: &str, counter: &TokenCounter) -> LineCounts {
        LineCounts {
            text: text.to_owned(),
            tokens: counter.count_lines(text),
        }
    }

    fn total(&self) -> usize {
        self.tokens.iter().sum()
    }

    /// The tokens of `text`, the same value with another delimiter: the shared lines'
    /// tokens plus the count of the others, stopped once the total passes `limit`.
    fn count_variant(&self, text: &str, counter: &TokenCounter, limit: usize) -> LimitedCount {
        let (known, new) = (self.text.as_bytes(), text.as_bytes());
        let (mut shared, mut changed) = (0, String::new());
        let (mut at_known, mut at_new) = (0, 0);
        for &tokens in &self.tokens {
            let end_known = line_end(known, at_known);
            let end_new = line_end(new, at_new);
            if known[at_known..end_known] == new[at_new..end_new] {
                shared += tokens;
            } else {
                changed.push_str(&text[at_new..end_new]);
            }
            (at_known, at_new) = (end_known, end_new);
        }
        if at_new != new.len() || at_known != known.len() {
            // Not a delimiter variant after all: count it whole.
            return counter.count_limited(text, limit);
        }
        match counter.count_limited(&changed, limit.saturating_sub(shared)) {
            LimitedCount::Exact(count) if shared + count <= limit => {
                LimitedCount::Exact(shared + count)
            }
            other => LimitedCount::MoreThan(shared + other.at_least()),
        }
    }
}

/// The end of the line that starts at `at` (after its `\n`, or the end of the text).
fn line_end(text: &[u8], at: usize) -> usize {
    memchr::memchr(b'\n', &text[at.min(text.len())..]).map_or(text.len(), |offset| at + offset + 1)
}

/// A named part of a prompt and its cheapest format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The section's name.
    pub name: String,
    /// Its cheapest format and text.
    pub choice: Cheapest,
}

/// [`cheapest`] for each named section of a prompt, chosen on its own. The total is the
/// sum of the sections' tokens.
pub fn cheapest_sections<'v>(
    sections: impl IntoIterator<Item = (&'v str, &'v Value<'v>)>,
    counter: &TokenCounter,
    options: &CheapestOptions,
) -> Result<Vec<Section>, PromptError> {
    sections
        .into_iter()
        .map(|(name, value)| {
            Ok(Section {
                name: name.to_owned(),
                choice: cheapest(value, counter, options)?,
            })
        })
        .collect()
}
