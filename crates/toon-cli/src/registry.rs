//! The converters the commands use: one registry holding every converter crate, with the
//! options the command line sets, and the route from one format to another (directly,
//! or through TOON when no converter links the two).

use checkpoint_to_toon::{CheckpointOptions, CheckpointToToon};
use json_to_toon::JsonToToon;
use markdown_to_toon::MarkdownToToon;
use pdf_to_toon::PdfToToon;
use toon::convert::{Converter, ConverterRegistry, Format};
use toon_to_json::{ToonToJson, ToonToJsonOptions};
use toon_to_markdown::ToonToMarkdown;

/// What the command line changes in the converters; the rest keeps each crate's
/// defaults.
#[derive(Debug, Clone, Default)]
pub(crate) struct Options {
    /// TOON → JSON writes indented JSON.
    pub(crate) pretty_json: bool,
    /// What a checkpoint collects.
    pub(crate) checkpoint: CheckpointOptions,
}

/// A registry of all six converters, without a cache (the CLI converts each input once).
pub(crate) fn with_all(options: &Options) -> ConverterRegistry {
    let mut registry = ConverterRegistry::new();
    registry
        .register(JsonToToon::default())
        .register(ToonToJson::new(ToonToJsonOptions {
            pretty: options.pretty_json,
            ..ToonToJsonOptions::default()
        }))
        .register(ToonToMarkdown::default())
        .register(MarkdownToToon::default())
        .register(PdfToToon::default())
        .register(CheckpointToToon::new(options.checkpoint.clone()));
    registry
}

/// The converters that take `source` to `target`: the direct one, or two through TOON.
/// `None` when there is no way (or nothing to do: `source == target`).
pub(crate) fn route(
    registry: &ConverterRegistry,
    source: Format,
    target: Format,
) -> Option<Vec<&dyn Converter>> {
    if source == target {
        return None;
    }
    if let Some(direct) = registry.find(source, target) {
        return Some(vec![direct]);
    }
    let first = registry.find(source, Format::Toon)?;
    let second = registry.find(Format::Toon, target)?;
    Some(vec![first, second])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(source: Format, target: Format) -> Option<Vec<&'static str>> {
        let registry = with_all(&Options::default());
        route(&registry, source, target).map(|route| route.iter().map(|c| c.name()).collect())
    }

    #[test]
    fn direct_routes_take_one_converter() {
        assert_eq!(names(Format::Json, Format::Toon).unwrap(), ["json-to-toon"]);
        assert_eq!(
            names(Format::Toon, Format::Markdown).unwrap(),
            ["toon-to-markdown"]
        );
        assert_eq!(
            names(Format::Checkpoint, Format::Toon).unwrap(),
            ["checkpoint-to-toon"]
        );
    }

    #[test]
    fn other_routes_go_through_toon() {
        assert_eq!(
            names(Format::Markdown, Format::Json).unwrap(),
            ["markdown-to-toon", "toon-to-json"]
        );
        assert_eq!(
            names(Format::Pdf, Format::Markdown).unwrap(),
            ["pdf-to-toon", "toon-to-markdown"]
        );
    }

    #[test]
    fn no_route_to_the_same_format_or_to_pdf() {
        assert_eq!(names(Format::Json, Format::Json), None);
        assert_eq!(names(Format::Toon, Format::Pdf), None);
    }
}
