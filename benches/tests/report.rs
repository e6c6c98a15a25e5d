//! The token-efficiency report counts what it says: every count is the exact count of the
//! text the format writes, the cheapest choice is the least of its candidates, and each
//! chart has one bar per measured value.

use toon_benches::report::charts::PALETTE;
use toon_benches::report::datasets::{Size, datasets};
use toon_benches::report::formats::Format;
use toon_benches::report::markdown;
use toon_benches::report::measure::{index, measure};
use toon_tokens::{Encoding, TokenCounter};

const ENCODINGS: [Encoding; 2] = [Encoding::O200kBase, Encoding::Cl100kBase];

#[test]
fn counts_are_the_exact_counts_of_the_rendered_texts() {
    let data = datasets(Size::Small, None).unwrap();
    let measured = measure(&data, &ENCODINGS).unwrap();
    assert_eq!(measured.len(), data.len());
    for (dataset, m) in data.iter().zip(&measured) {
        for encoding in ENCODINGS {
            let counter = TokenCounter::uncached(encoding);
            let counts = m.counts(encoding).unwrap();
            for format in Format::ALL {
                let text = format.render(&dataset.value).unwrap();
                assert_eq!(
                    counts.of(format),
                    text.as_deref().map(|t| counter.count(t)),
                    "{} {format:?} {encoding}",
                    m.name
                );
            }
            // toon_prompt::cheapest picks among TOON's delimiters and compact JSON.
            let least = [
                Format::ToonComma,
                Format::ToonTab,
                Format::ToonPipe,
                Format::JsonCompact,
            ]
            .into_iter()
            .filter_map(|f| counts.of(f))
            .min();
            assert_eq!(Some(counts.cheapest.1), least, "{} {encoding}", m.name);
        }
    }
    // The flat tables have CSV, the nested data has not.
    let csv = |name| measured.iter().find(|m| m.name == name).unwrap().bytes[index(Format::Csv)];
    assert!(csv("employees").is_some());
    assert!(csv("api-response").is_none());
}

#[test]
fn the_chart_has_one_bar_per_value() {
    let data = datasets(Size::Small, None).unwrap();
    let measured = measure(&data, &ENCODINGS).unwrap();
    let chart = markdown::chart(&measured, Encoding::O200kBase);
    let svg = chart.to_svg(900).unwrap();
    for (position, series) in chart.series.iter().enumerate() {
        let color = PALETTE[position];
        let fill = format!("fill=\"#{:02X}{:02X}{:02X}\"", color.0, color.1, color.2);
        let bars = svg.matches(&fill).count();
        let values = series.values.iter().flatten().count();
        // One bar per value and one legend swatch.
        assert_eq!(bars, values + 1, "{}", series.name);
    }
    let report = markdown::report(&measured, &ENCODINGS, &[]);
    assert!(report.contains("| employees |"));
    assert!(report.contains("**Reading (o200k_base).**"));
}
