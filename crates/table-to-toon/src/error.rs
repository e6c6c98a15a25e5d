//! What can go wrong reading a table, located in the input.

use std::io;

use toon::convert::LocatedError;

/// What can go wrong converting CSV or TSV to TOON.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A row has more or fewer cells than the header.
    #[error("{line}:1: this row has {cells} {}, the header has {header}", plural(*cells))]
    Width {
        /// 1-based line where the row starts.
        line: usize,
        /// Cells in the row.
        cells: usize,
        /// Cells in the header.
        header: usize,
    },
    /// The header names a column twice (a TOON object cannot hold a key twice).
    #[error("{line}:{column}: the header names column {name:?} twice")]
    RepeatedColumn {
        /// The repeated name.
        name: String,
        /// 1-based line of the header.
        line: usize,
        /// 1-based character column where the second cell of that name starts.
        column: usize,
    },
    /// The reader failed (a read error of the input).
    #[error("invalid table: {0}")]
    Csv(#[source] csv::Error),
    /// A column whose type has no TOON form (binary, durations, intervals, unions).
    #[error(
        "column {column}: {data_type} values have no TOON form; cast the column first (to text, say)"
    )]
    Unsupported {
        /// Where the column sits (`photo`, `meta.raw`, `tags[]`).
        column: String,
        /// Its Arrow type.
        data_type: String,
    },
    /// A Parquet or Arrow IPC input that cannot be read.
    #[error("{0}")]
    Columnar(String),
    /// The value cannot be encoded (options such as an indent of 0).
    #[error(transparent)]
    Toon(#[from] toon::Error),
    /// Reading the input failed.
    #[error(transparent)]
    Io(#[from] io::Error),
}

fn plural(cells: usize) -> &'static str {
    if cells == 1 { "cell" } else { "cells" }
}

impl Error {
    /// Wraps a reader error.
    pub(crate) fn csv(error: csv::Error) -> Self {
        Error::Csv(error)
    }
}

#[cfg(feature = "columnar")]
impl From<parquet::errors::ParquetError> for Error {
    fn from(error: parquet::errors::ParquetError) -> Self {
        Error::Columnar(format!("invalid Parquet: {error}"))
    }
}

#[cfg(feature = "columnar")]
impl From<arrow_schema::ArrowError> for Error {
    fn from(error: arrow_schema::ArrowError) -> Self {
        Error::Columnar(format!("invalid Arrow data: {error}"))
    }
}

impl LocatedError for Error {
    fn location(&self) -> Option<(usize, usize)> {
        match self {
            Error::Width { line, .. } => (*line > 0).then_some((*line, 1)),
            Error::RepeatedColumn { line, column, .. } => Some((*line, *column)),
            Error::Csv(error) => error
                .position()
                .map(|position| (position.line() as usize, 1)),
            Error::Unsupported { .. } | Error::Columnar(_) => None,
            Error::Toon(error) => error.location(),
            Error::Io(_) => None,
        }
    }

    fn message(&self) -> String {
        match self {
            Error::Width { cells, header, .. } => format!(
                "this row has {cells} {}, the header has {header}",
                plural(*cells)
            ),
            Error::RepeatedColumn { name, .. } => {
                format!("the header names column {name:?} twice")
            }
            Error::Csv(error) => format!("invalid table: {error}"),
            Error::Unsupported { .. } | Error::Columnar(_) => self.to_string(),
            Error::Toon(error) => error.message().to_owned(),
            Error::Io(error) => error.to_string(),
        }
    }

    fn toon_error(&self) -> Option<&toon::Error> {
        match self {
            Error::Toon(error) => Some(error),
            _ => None,
        }
    }
}
