//! Round trip: lines drawn into a generated PDF come back as the page's text.

#[allow(dead_code, unreachable_pub)]
#[path = "../src/fixtures.rs"]
mod fixtures;

use fixtures::text_pdf;
use pdf_to_toon::{PdfToToonOptions, extract};
use proptest::prelude::*;

/// A line of words separated by single spaces (what text extraction can reproduce:
/// pdf-extract infers spaces from glyph positions). No `'`: in the standard encoding
/// of a Type1 font without `/Encoding`, byte 0x27 is `quoteright` (’).
fn line() -> impl Strategy<Value = String> {
    prop::collection::vec("[A-Za-z0-9.,;:!?%&#-]{1,12}", 1..8).prop_map(|words| words.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn pages_round_trip(pages in prop::collection::vec(prop::collection::vec(line(), 1..6), 1..5)) {
        let borrowed: Vec<Vec<&str>> = pages.iter().map(|p| p.iter().map(String::as_str).collect()).collect();
        let slices: Vec<&[&str]> = borrowed.iter().map(Vec::as_slice).collect();
        let pdf = text_pdf(&slices, &[]);
        let text = extract(&pdf, &PdfToToonOptions::default()).unwrap();
        let expected: Vec<String> = pages.iter().map(|lines| lines.join("\n")).collect();
        prop_assert_eq!(&text.pages, &expected);

        // And the TOON decodes back to the same texts.
        let toon = text.to_toon(true).unwrap();
        let value = toon::decode(&toon, &toon::DecodeOptions::default()).unwrap();
        let rows = value.get("pages").unwrap().as_array().unwrap();
        for (row, expected) in rows.iter().zip(&expected) {
            prop_assert_eq!(row.get("text").unwrap().as_str(), Some(expected.as_str()));
        }
    }
}
