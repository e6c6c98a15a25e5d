//! `toon tokens`: the exact token count of a text (tiktoken's, for o200k_base or
//! cl100k_base), or with `--compare` the tokens and bytes of a JSON text and of its TOON,
//! and what TOON saves; and the `--stats` line of `toon encode`.

use std::io::{self, Write as _};
use std::sync::Arc;

use anyhow::Context as _;
use toon::EncodeOptions;
use toon_tokens::{Encoding, RedisTier, Savings, TokenCounter};

use super::{Input, STDOUT};
use crate::cli::TokensArgs;
use crate::report;

/// Counts the input, or compares it as JSON with its TOON.
pub(super) fn run(args: &TokensArgs) -> anyhow::Result<()> {
    let input = Input::read(args.input.as_deref())?;
    let counter = counter(args.encoding, args.redis.as_ref());
    let report = if args.compare {
        let value = json_to_toon::parse_slice(&input.bytes)
            .map_err(|error| report::json_error(&input.name, error, &input.bytes))?;
        let options = EncodeOptions::new()
            .with_indent(args.indent)
            .with_delimiter(args.delimiter);
        let toon = toon::encode(&value, &options)?;
        comparison(&counter.savings(text(&input)?, &toon))
    } else {
        format!("{}\n", counter.count(text(&input)?))
    };
    let mut out = io::stdout().lock();
    out.write_all(report.as_bytes())
        .and_then(|()| out.flush())
        .context(STDOUT)
}

/// A counter of `encoding` without a local cache (one run counts each text once or
/// twice), through `redis` when given.
pub(super) fn counter(encoding: Encoding, redis: Option<&Arc<RedisTier>>) -> TokenCounter {
    let builder = TokenCounter::builder(encoding);
    match redis {
        Some(tier) => builder.redis(Arc::clone(tier)).build(),
        None => builder.build(),
    }
}

/// The input as text: tokenizers count characters, so it must be UTF-8.
fn text(input: &Input) -> anyhow::Result<&str> {
    std::str::from_utf8(&input.bytes).map_err(|error| {
        anyhow::anyhow!(
            "invalid UTF-8 at byte {}: token counts are defined for text",
            error.valid_up_to()
        )
        .context(input.name.clone())
    })
}

/// The `--compare` report: one line per format, then the saving.
fn comparison(savings: &Savings) -> String {
    let saved = if savings.saved_tokens() >= 0 {
        format!(
            "saved: {} tokens ({:.1}%), {} bytes ({:.1}%)",
            savings.saved_tokens(),
            savings.saved_percent(),
            savings.saved_bytes(),
            savings.saved_bytes_percent()
        )
    } else {
        format!(
            "saved: {} tokens (TOON costs {:.1}% more), {} bytes ({:.1}%)",
            savings.saved_tokens(),
            -savings.saved_percent(),
            savings.saved_bytes(),
            savings.saved_bytes_percent()
        )
    };
    format!(
        "encoding: {}\njson: {} tokens, {} bytes\ntoon: {} tokens, {} bytes\n{saved}\n",
        savings.encoding,
        savings.json_tokens,
        savings.json_bytes,
        savings.toon_tokens,
        savings.toon_bytes
    )
}

/// `toon encode --stats`: the token counts of the JSON input and the TOON output on
/// standard error, as `Token counts (o200k_base): 1234 (JSON) → 678 (TOON), saved 556
/// tokens (-45.1%)`.
pub(super) fn print_stats(encoding: Encoding, json: &[u8], toon: &str) {
    let json = String::from_utf8_lossy(json);
    let savings = TokenCounter::uncached(encoding).savings(&json, toon);
    eprintln!("{savings}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparison_report() {
        let savings = Savings {
            encoding: Encoding::O200kBase,
            json_tokens: 200,
            toon_tokens: 110,
            json_bytes: 1000,
            toon_bytes: 400,
        };
        assert_eq!(
            comparison(&savings),
            "encoding: o200k_base\njson: 200 tokens, 1000 bytes\ntoon: 110 tokens, 400 bytes\n\
             saved: 90 tokens (45.0%), 600 bytes (60.0%)\n"
        );
        let worse = Savings {
            toon_tokens: 210,
            ..savings
        };
        assert!(
            comparison(&worse)
                .ends_with("saved: -10 tokens (TOON costs 5.0% more), 600 bytes (60.0%)\n")
        );
    }
}
