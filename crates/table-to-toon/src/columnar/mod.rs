//! Columnar tables → TOON (feature `columnar`): Arrow record batches — built in memory,
//! read from an Arrow IPC file or stream, or from a Parquet file — written as one root
//! table, cell by cell from the columns, through the codec's serializer (the same
//! table detection, quoting and number forms as [`toon::encode`] of the rows as JSON
//! values, without building a value per cell).
//!
//! Column types map as JSON's would ([`column`]'s list); a column whose type has none
//! (binary, durations, intervals, unions) is refused with its name.
//!
//! ```
//! use std::sync::Arc;
//! use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray};
//! use table_to_toon::ArrowTable;
//!
//! let batch = RecordBatch::try_from_iter([
//!     ("id", Arc::new(Int64Array::from(vec![1, 2])) as ArrayRef),
//!     ("name", Arc::new(StringArray::from(vec![Some("Ada"), None])) as ArrayRef),
//! ])
//! .unwrap();
//! let table = ArrowTable::new(batch.schema(), vec![batch]);
//! assert_eq!(table.encode(&Default::default()).unwrap(), "[2]{id,name}:\n  1,Ada\n  2,null");
//! ```

mod build;
mod column;
mod temporal;

use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use toon::EncodeOptions;
use toon::convert::{ConvertError, Converter, Format, Input};

use crate::{Error, TableToToonOptions};
use column::{Cell, Column};

/// A table of Arrow record batches sharing one schema.
#[derive(Debug, Clone)]
pub struct ArrowTable {
    schema: SchemaRef,
    batches: Vec<RecordBatch>,
}

impl ArrowTable {
    /// A table of `batches`, each of `schema`.
    pub fn new(schema: SchemaRef, batches: Vec<RecordBatch>) -> Self {
        ArrowTable { schema, batches }
    }

    /// Reads a Parquet file (any compression the `parquet` crate reads here: Snappy, Zstd,
    /// LZ4, gzip).
    pub fn from_parquet(bytes: &[u8]) -> Result<Self, Error> {
        guarded("Parquet", || {
            let data = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(
                bytes::Bytes::copy_from_slice(bytes),
            )?;
            let schema = data.schema().clone();
            let batches = data.build()?.collect::<Result<Vec<_>, _>>()?;
            Ok(ArrowTable { schema, batches })
        })
    }

    /// Reads Arrow IPC: the file format (Feather v2, `ARROW1` magic) or the stream format.
    pub fn from_ipc(bytes: &[u8]) -> Result<Self, Error> {
        guarded("Arrow IPC", || {
            if bytes.starts_with(b"ARROW1") {
                let reader = arrow_ipc::reader::FileReader::try_new(Cursor::new(bytes), None)?;
                let schema = reader.schema();
                let batches = reader.collect::<Result<Vec<_>, _>>()?;
                Ok(ArrowTable { schema, batches })
            } else {
                let reader = arrow_ipc::reader::StreamReader::try_new(Cursor::new(bytes), None)?;
                let schema = reader.schema();
                let batches = reader.collect::<Result<Vec<_>, _>>()?;
                Ok(ArrowTable { schema, batches })
            }
        })
    }

    /// A decoded TOON table (an array of objects) as one batch, column types inferred
    /// from the values as `pyarrow.Table.from_pylist` infers them (integers, floats,
    /// strings, booleans, objects as structs, arrays as lists); two kinds of values in
    /// one column (a string and a number) are an error naming the column.
    ///
    /// ```
    /// let value = toon::decode("[2]{id,name}:\n  1,Ada\n  2,null", &Default::default()).unwrap();
    /// let table = table_to_toon::ArrowTable::from_value(&value).unwrap();
    /// assert_eq!(table.num_rows(), 2);
    /// assert_eq!(table.schema().field(0).data_type(), &arrow_schema::DataType::Int64);
    /// assert_eq!(table.encode(&Default::default()).unwrap(), "[2]{id,name}:\n  1,Ada\n  2,null");
    /// ```
    pub fn from_value(value: &toon::Value<'_>) -> Result<Self, Error> {
        let batch = build::record_batch(value)?;
        Ok(ArrowTable {
            schema: batch.schema(),
            batches: vec![batch],
        })
    }

    /// The schema.
    pub fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    /// The batches.
    pub fn batches(&self) -> &[RecordBatch] {
        &self.batches
    }

    /// Rows in all batches.
    pub fn num_rows(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }

    /// The table as TOON text (no final newline): one root array of one object per row.
    pub fn encode(&self, options: &EncodeOptions) -> Result<String, Error> {
        let rows = self.rows()?;
        Ok(toon::to_string_with_options(&rows, options)?)
    }

    /// Every batch's columns typed for writing; the first column without a TOON form is
    /// an error.
    fn rows(&self) -> Result<Rows<'_>, Error> {
        let batches = self
            .batches
            .iter()
            .map(|batch| {
                let columns = batch
                    .schema_ref()
                    .fields()
                    .iter()
                    .zip(batch.columns())
                    .map(|(field, array)| {
                        let mut path = String::new();
                        toon::path::push_key(&mut path, field.name());
                        let column =
                            Column::new(array.as_ref(), &path).map_err(|e| Error::Unsupported {
                                column: e.path,
                                data_type: e.data_type.to_string(),
                            })?;
                        Ok((field.name().as_str(), column))
                    })
                    .collect::<Result<Vec<_>, Error>>()?;
                Ok((batch.num_rows(), columns))
            })
            .collect::<Result<Vec<_>, Error>>()?;
        Ok(Rows {
            total: self.num_rows(),
            batches,
        })
    }
}

/// Runs a reader of untrusted bytes; a panic inside it becomes an error.
fn guarded(
    format: &'static str,
    read: impl FnOnce() -> Result<ArrowTable, Error>,
) -> Result<ArrowTable, Error> {
    catch_unwind(AssertUnwindSafe(read)).unwrap_or_else(|_| {
        Err(Error::Columnar(format!(
            "the {format} reader failed on this input"
        )))
    })
}

/// Every row of every batch, as a sequence of objects.
struct Rows<'a> {
    total: usize,
    batches: Vec<(usize, Vec<(&'a str, Column<'a>)>)>,
}

impl Serialize for Rows<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.total))?;
        for (rows, columns) in &self.batches {
            for row in 0..*rows {
                seq.serialize_element(&Row { columns, row })?;
            }
        }
        seq.end()
    }
}

/// One row: the cells of every column at one index.
struct Row<'r, 'a> {
    columns: &'r [(&'a str, Column<'a>)],
    row: usize,
}

impl Serialize for Row<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.columns.len()))?;
        for (name, column) in self.columns {
            map.serialize_entry(name, &Cell(column, self.row))?;
        }
        map.end()
    }
}

/// Which columnar file a [`ColumnarToToon`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnarFormat {
    /// Apache Parquet.
    Parquet,
    /// Arrow IPC, file (Feather v2) or stream.
    Arrow,
}

/// The Parquet or Arrow IPC → TOON converter of the [`toon::convert`] registry
/// (`parquet-to-toon`, `arrow-to-toon`).
#[derive(Debug, Clone)]
pub struct ColumnarToToon {
    format: ColumnarFormat,
    options: TableToToonOptions,
}

impl ColumnarToToon {
    /// A converter of `format` files; only the encoder options of `options` apply (the
    /// columns carry their types).
    pub fn new(format: ColumnarFormat, options: TableToToonOptions) -> Self {
        ColumnarToToon { format, options }
    }
}

impl Converter for ColumnarToToon {
    fn name(&self) -> &'static str {
        match self.format {
            ColumnarFormat::Parquet => "parquet-to-toon",
            ColumnarFormat::Arrow => "arrow-to-toon",
        }
    }

    fn source(&self) -> Format {
        match self.format {
            ColumnarFormat::Parquet => Format::Parquet,
            ColumnarFormat::Arrow => Format::Arrow,
        }
    }

    fn target(&self) -> Format {
        Format::Toon
    }

    fn options_key(&self) -> u64 {
        self.options.key()
    }

    fn convert(&self, input: Input<'_>) -> Result<String, ConvertError> {
        let bytes = input.read().map_err(Error::Io)?;
        let table = match self.format {
            ColumnarFormat::Parquet => ArrowTable::from_parquet(&bytes)?,
            ColumnarFormat::Arrow => ArrowTable::from_ipc(&bytes)?,
        };
        let mut toon = table.encode(&self.options.encode)?;
        toon.push('\n');
        Ok(toon)
    }
}
