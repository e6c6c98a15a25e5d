//! # table-to-toon
//!
//! CSV, TSV, Parquet and Arrow IPC → TOON. For CSV and TSV the first record is the header; every later record becomes a row
//! of one root table (`[N]{id,name,score}:`), read with the `csv` crate. Column types are
//! inferred as a data tool infers them ([`infer`]): a column whose non-empty cells are
//! all numbers becomes numbers, all `true`/`false` becomes booleans, anything else stays
//! text, and an empty cell is `null`. [`TableToToonOptions::infer_types`] off keeps every
//! cell as the text it was.
//!
//! Errors carry the line and column in the input: ill-formed UTF-8, a row with more or
//! fewer cells than the header, a header naming a column twice.
//!
//! With the `columnar` feature (on by default), [`ArrowTable`] writes Arrow record
//! batches — from memory, an Arrow IPC file or stream, or a Parquet file — as the same
//! kind of root table, typed by their schema ([`ColumnarToToon`] is its converter).
//!
//! ```
//! use table_to_toon::{Dialect, TableToToonOptions, convert};
//!
//! let csv = "id,name,score,active\n1,Ada,9.5,true\n2,\"Bo, Jr.\",,false\n";
//! let toon = convert(csv, Dialect::Csv, &TableToToonOptions::default()).unwrap();
//! assert_eq!(toon, "[2]{id,name,score,active}:\n  1,Ada,9.5,true\n  2,\"Bo, Jr.\",null,false\n");
//!
//! let text = TableToToonOptions { infer_types: false, ..Default::default() };
//! let toon = convert("zip,n\n02134,7\n", Dialect::Csv, &text).unwrap();
//! assert_eq!(toon, "[1]{zip,n}:\n  \"02134\",\"7\"\n");
//!
//! use toon::convert::LocatedError;
//! let error = convert("a,b\n1,2\n3\n", Dialect::Csv, &TableToToonOptions::default()).unwrap_err();
//! assert_eq!(error.location(), Some((3, 1)));
//! assert_eq!(error.message(), "this row has 1 cell, the header has 2");
//! ```

#[cfg(feature = "columnar")]
mod columnar;
mod error;
pub mod infer;

use toon::convert::{ConvertError, Converter, Format, Input, StableHasher};
use toon::{EncodeOptions, MapBuilder, Value};

#[cfg(feature = "columnar")]
pub use columnar::{ArrowTable, ColumnarFormat, ColumnarToToon};
pub use error::Error;

/// The two text table formats: how cells are separated and quoted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// Comma-separated values (RFC 4180): cells may be quoted with `"`, a quoted cell may
    /// hold commas, line breaks and doubled quotes.
    Csv,
    /// Tab-separated values (the IANA `text/tab-separated-values` form): cells are never
    /// quoted, so a `"` is an ordinary character.
    Tsv,
}

impl Dialect {
    /// The registry format of the dialect.
    pub fn format(self) -> Format {
        match self {
            Dialect::Csv => Format::Csv,
            Dialect::Tsv => Format::Tsv,
        }
    }

    /// The byte between cells.
    pub fn delimiter(self) -> u8 {
        match self {
            Dialect::Csv => b',',
            Dialect::Tsv => b'\t',
        }
    }

    fn reader(self, text: &str) -> csv::Reader<&[u8]> {
        csv::ReaderBuilder::new()
            .delimiter(self.delimiter())
            .quoting(self == Dialect::Csv)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes())
    }
}

/// Options of [`TableToToon`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableToToonOptions {
    /// The TOON encoder's options, passed through (indentation, delimiter, nesting limit).
    pub encode: EncodeOptions,
    /// Infer numbers, booleans and nulls per column (the default); when off, every cell
    /// is the text it was, an empty cell the empty string.
    pub infer_types: bool,
}

impl Default for TableToToonOptions {
    fn default() -> Self {
        TableToToonOptions {
            encode: EncodeOptions::default(),
            infer_types: true,
        }
    }
}

impl TableToToonOptions {
    /// A stable fingerprint of every option (the same across runs and builds).
    pub fn key(&self) -> u64 {
        StableHasher::of_u64s(&[
            self.encode.indent() as u64,
            u64::from(self.encode.delimiter().as_byte()),
            self.encode.max_depth() as u64,
            u64::from(self.infer_types),
        ])
    }
}

/// A table read from CSV or TSV text: the header and the rows, each with as many cells
/// as the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    header: csv::StringRecord,
    rows: Vec<csv::StringRecord>,
}

impl Table {
    /// Reads `text` (a leading byte-order mark is skipped). Empty text is a table with no
    /// columns and no rows.
    pub fn read(text: &str, dialect: Dialect) -> Result<Table, Error> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut records = dialect.reader(text).into_records();
        let header = match records.next() {
            Some(record) => record.map_err(Error::csv)?,
            None => csv::StringRecord::new(),
        };
        if let Some((index, name)) = repeated_name(&header) {
            let line = first_line(text);
            return Err(Error::RepeatedColumn {
                name: name.to_owned(),
                line: 1,
                column: cell_column(line, dialect, index),
            });
        }
        let mut rows = Vec::new();
        for record in records {
            let record = record.map_err(Error::csv)?;
            if record.len() != header.len() {
                let line = record.position().map_or(0, |p| p.line() as usize);
                return Err(Error::Width {
                    line,
                    cells: record.len(),
                    header: header.len(),
                });
            }
            rows.push(record);
        }
        Ok(Table { header, rows })
    }

    /// The column names.
    pub fn header(&self) -> impl DoubleEndedIterator<Item = &str> {
        self.header.iter()
    }

    /// The number of rows (the header not counted).
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The table as a TOON value, an array of one object per row, borrowing its text;
    /// with `infer_types`, each column's cells typed by [`infer::ColumnType`].
    pub fn value(&self, infer_types: bool) -> Value<'_> {
        let types: Vec<infer::ColumnType> = (0..self.header.len())
            .map(|column| match infer_types {
                true => infer::ColumnType::of(self.rows.iter().map(|row| &row[column])),
                false => infer::ColumnType::Text,
            })
            .collect();
        let rows = self.rows.iter().map(|row| {
            let mut object = MapBuilder::with_capacity(self.header.len());
            for ((name, cell), column) in self.header.iter().zip(row).zip(&types) {
                let value = match infer_types {
                    true => column.value(cell),
                    false => Value::from(cell),
                };
                object.insert(name, value);
            }
            Value::Object(object.finish())
        });
        Value::Array(rows.collect())
    }
}

/// Converts CSV or TSV text to TOON text (ending with one newline).
pub fn convert(
    text: &str,
    dialect: Dialect,
    options: &TableToToonOptions,
) -> Result<String, Error> {
    let table = Table::read(text, dialect)?;
    let mut toon = toon::encode(&table.value(options.infer_types), &options.encode)?;
    toon.push('\n');
    Ok(toon)
}

/// The CSV or TSV → TOON converter of the [`toon::convert`] registry (`csv-to-toon`,
/// `tsv-to-toon`).
#[derive(Debug, Clone)]
pub struct TableToToon {
    dialect: Dialect,
    options: TableToToonOptions,
}

impl TableToToon {
    /// A converter of `dialect` with the given options.
    pub fn new(dialect: Dialect, options: TableToToonOptions) -> Self {
        TableToToon { dialect, options }
    }

    /// Its options.
    pub fn options(&self) -> &TableToToonOptions {
        &self.options
    }
}

impl Converter for TableToToon {
    fn name(&self) -> &'static str {
        match self.dialect {
            Dialect::Csv => "csv-to-toon",
            Dialect::Tsv => "tsv-to-toon",
        }
    }

    fn source(&self) -> Format {
        self.dialect.format()
    }

    fn target(&self) -> Format {
        Format::Toon
    }

    fn options_key(&self) -> u64 {
        self.options.key()
    }

    fn convert(&self, input: Input<'_>) -> Result<String, ConvertError> {
        let text = input.read_text()?;
        Ok(convert(&text, self.dialect, &self.options)?)
    }
}

/// The first column name that repeats an earlier one, with its index.
fn repeated_name(header: &csv::StringRecord) -> Option<(usize, &str)> {
    let mut seen = std::collections::HashSet::with_capacity(header.len());
    header
        .iter()
        .enumerate()
        .find(|&(_, name)| !seen.insert(name))
}

/// The text up to the first line break.
fn first_line(text: &str) -> &str {
    text.split(['\n', '\r']).next().unwrap_or_default()
}

/// The 1-based character column where cell `index` of a one-line record starts.
fn cell_column(line: &str, dialect: Dialect, index: usize) -> usize {
    let delimiter = char::from(dialect.delimiter());
    let (mut cells, mut quoted) = (0, false);
    for (column, c) in line.chars().enumerate() {
        if cells == index {
            return column + 1;
        }
        match c {
            '"' if dialect == Dialect::Csv => quoted = !quoted,
            c if c == delimiter && !quoted => cells += 1,
            _ => {}
        }
    }
    line.chars().count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_columns_skip_quoted_delimiters() {
        assert_eq!(cell_column("a,b,c", Dialect::Csv, 0), 1);
        assert_eq!(cell_column("a,b,c", Dialect::Csv, 2), 5);
        assert_eq!(cell_column("\"x,y\",é,c", Dialect::Csv, 2), 9);
        assert_eq!(cell_column("\"x\ty\"\tb", Dialect::Tsv, 1), 4);
    }

    #[test]
    fn options_key_is_stable_and_distinguishes_options() {
        let default = TableToToonOptions::default();
        let text = TableToToonOptions {
            infer_types: false,
            ..default
        };
        assert_eq!(default.key(), TableToToonOptions::default().key());
        assert_ne!(default.key(), text.key());
    }
}
