//! The standard registry: every converter crate of the workspace with the options a
//! front-end chose, built by one function so the CLI and both bindings cannot drift.

use json_to_toon::{JsonToToon, JsonToToonOptions};
use markdown_to_toon::{MarkdownToToon, MarkdownToToonOptions};
use table_to_toon::{Dialect, TableToToon, TableToToonOptions};
use toon_to_json::{ToonToJson, ToonToJsonOptions};
use toon_to_markdown::{ToonToMarkdown, ToonToMarkdownOptions};

use crate::ConverterRegistry;

/// The options of each converter of the standard registry, and its cache.
///
/// Every field defaults to its converter's defaults, and to no cache.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct StandardOptions {
    /// JSON → TOON.
    pub json_to_toon: JsonToToonOptions,
    /// TOON → JSON.
    pub toon_to_json: ToonToJsonOptions,
    /// TOON → Markdown.
    pub toon_to_markdown: ToonToMarkdownOptions,
    /// Markdown → TOON.
    pub markdown_to_toon: MarkdownToToonOptions,
    /// CSV and TSV → TOON.
    pub table_to_toon: TableToToonOptions,
    /// PDF → TOON (feature `pdf`).
    #[cfg(feature = "pdf")]
    pub pdf_to_toon: pdf_to_toon::PdfToToonOptions,
    /// Git repository → TOON checkpoint (feature `checkpoint`).
    #[cfg(feature = "checkpoint")]
    pub checkpoint_to_toon: checkpoint_to_toon::CheckpointToToonOptions,
    /// Bytes of outputs to keep in the registry's cache; `None` keeps none.
    pub cache_bytes: Option<u64>,
    /// A Redis tier below the cache (feature `redis`), shared across processes.
    #[cfg(feature = "redis")]
    pub redis: Option<std::sync::Arc<toon_tokens::RedisTier>>,
}

/// The registry of every converter this build has (JSON, TOON, Markdown, CSV and TSV
/// always; PDF, checkpoint, and Parquet and Arrow IPC with their features), configured
/// by `options`.
pub fn standard_registry(options: &StandardOptions) -> ConverterRegistry {
    let mut registry = match options.cache_bytes {
        Some(bytes) => ConverterRegistry::new().with_cache(bytes),
        None => ConverterRegistry::new(),
    };
    #[cfg(feature = "redis")]
    if let Some(tier) = &options.redis {
        registry = registry.with_redis(std::sync::Arc::clone(tier));
    }
    registry
        .register(JsonToToon::new(options.json_to_toon))
        .register(ToonToJson::new(options.toon_to_json))
        .register(ToonToMarkdown::new(options.toon_to_markdown.clone()))
        .register(MarkdownToToon::new(options.markdown_to_toon))
        .register(TableToToon::new(Dialect::Csv, options.table_to_toon))
        .register(TableToToon::new(Dialect::Tsv, options.table_to_toon));
    #[cfg(feature = "pdf")]
    registry.register(pdf_to_toon::PdfToToon::new(options.pdf_to_toon.clone()));
    #[cfg(feature = "columnar")]
    registry
        .register(table_to_toon::ColumnarToToon::new(
            table_to_toon::ColumnarFormat::Parquet,
            options.table_to_toon,
        ))
        .register(table_to_toon::ColumnarToToon::new(
            table_to_toon::ColumnarFormat::Arrow,
            options.table_to_toon,
        ));
    #[cfg(feature = "checkpoint")]
    registry.register(checkpoint_to_toon::CheckpointToToon::new(
        options.checkpoint_to_toon.clone(),
    ));
    registry
}

#[cfg(test)]
mod tests {
    use toon::convert::Format;

    use super::*;

    fn route(source: Format, target: Format) -> Option<Vec<&'static str>> {
        let registry = standard_registry(&StandardOptions::default());
        registry
            .route(source, target)
            .map(|route| route.iter().map(|c| c.name()).collect())
    }

    #[test]
    fn direct_routes_take_one_converter() {
        assert_eq!(route(Format::Json, Format::Toon).unwrap(), ["json-to-toon"]);
        assert_eq!(route(Format::Csv, Format::Toon).unwrap(), ["csv-to-toon"]);
        assert_eq!(route(Format::Tsv, Format::Toon).unwrap(), ["tsv-to-toon"]);
        #[cfg(feature = "columnar")]
        assert_eq!(
            route(Format::Parquet, Format::Json).unwrap(),
            ["parquet-to-toon", "toon-to-json"]
        );
        assert_eq!(
            route(Format::Toon, Format::Markdown).unwrap(),
            ["toon-to-markdown"]
        );
        #[cfg(feature = "checkpoint")]
        assert_eq!(
            route(Format::Checkpoint, Format::Toon).unwrap(),
            ["checkpoint-to-toon"]
        );
    }

    #[test]
    fn other_routes_go_through_toon() {
        assert_eq!(
            route(Format::Markdown, Format::Json).unwrap(),
            ["markdown-to-toon", "toon-to-json"]
        );
        assert_eq!(
            route(Format::Csv, Format::Json).unwrap(),
            ["csv-to-toon", "toon-to-json"]
        );
        #[cfg(feature = "pdf")]
        assert_eq!(
            route(Format::Pdf, Format::Markdown).unwrap(),
            ["pdf-to-toon", "toon-to-markdown"]
        );
    }

    #[test]
    fn no_route_to_the_same_format_or_to_pdf() {
        assert_eq!(route(Format::Json, Format::Json), None);
        assert_eq!(route(Format::Toon, Format::Pdf), None);
        assert_eq!(route(Format::Toon, Format::Csv), None);
    }

    #[test]
    fn every_converter_of_the_build_is_registered_once() {
        let registry = standard_registry(&StandardOptions::default());
        let mut names: Vec<&str> = registry.converters().map(|c| c.name()).collect();
        let expected = 6
            + usize::from(cfg!(feature = "pdf"))
            + usize::from(cfg!(feature = "checkpoint"))
            + 2 * usize::from(cfg!(feature = "columnar"));
        assert_eq!(names.len(), expected);
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), expected);
    }
}
