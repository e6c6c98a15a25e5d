//! The document formats converters read and write, and their file extensions.

use std::fmt;
use std::path::Path;

/// A document format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// TOON text (`.toon`).
    Toon,
    /// JSON text (`.json`).
    Json,
    /// Markdown text (`.md`, `.markdown`).
    Markdown,
    /// A PDF document (`.pdf`).
    Pdf,
    /// A git repository (a directory), snapshotted for handing a session over.
    Checkpoint,
    /// Comma-separated values (`.csv`).
    Csv,
    /// Tab-separated values (`.tsv`, `.tab`).
    Tsv,
    /// Apache Parquet (`.parquet`, `.pq`).
    Parquet,
    /// Arrow IPC, file (Feather v2) or stream (`.arrow`, `.feather`, `.arrows`, `.ipc`).
    Arrow,
}

impl Format {
    /// Every format, in a stable order.
    pub const ALL: [Format; 9] = [
        Format::Toon,
        Format::Json,
        Format::Markdown,
        Format::Pdf,
        Format::Checkpoint,
        Format::Csv,
        Format::Tsv,
        Format::Parquet,
        Format::Arrow,
    ];

    /// The short name used on command lines (`toon`, `json`, `md`, `pdf`, `checkpoint`,
    /// `csv`, `tsv`, `parquet`, `arrow`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Toon => "toon",
            Format::Json => "json",
            Format::Markdown => "md",
            Format::Pdf => "pdf",
            Format::Checkpoint => "checkpoint",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Parquet => "parquet",
            Format::Arrow => "arrow",
        }
    }

    /// File extensions of the format, the preferred one first (none for a checkpoint).
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Format::Toon => &["toon"],
            Format::Json => &["json"],
            Format::Markdown => &["md", "markdown"],
            Format::Pdf => &["pdf"],
            Format::Checkpoint => &[],
            Format::Csv => &["csv"],
            Format::Tsv => &["tsv", "tab"],
            Format::Parquet => &["parquet", "pq"],
            Format::Arrow => &["arrow", "feather", "arrows", "ipc"],
        }
    }

    /// The format of a command-line name (`md` and `markdown` both work).
    pub fn from_name(name: &str) -> Option<Format> {
        let name = name.to_ascii_lowercase();
        Format::ALL
            .into_iter()
            .find(|f| f.name() == name || f.extensions().contains(&name.as_str()))
    }

    /// The format of a path: a directory is a checkpoint source; files go by extension.
    pub fn from_path(path: &Path) -> Option<Format> {
        if path.is_dir() {
            return Some(Format::Checkpoint);
        }
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Format::ALL
            .into_iter()
            .find(|f| f.extensions().contains(&ext.as_str()))
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
