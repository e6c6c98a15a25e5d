//! The text formats the report compares, and how a dataset is written in each.

use anyhow::Context;
use serde_json::Value;
use toon::{Delimiter, EncodeOptions};

/// A text format of the report (the choice of `toon_prompt::cheapest` is measured
/// apart, since it depends on the tokenizer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// TOON, comma delimiter, 2-space indent (`toon::encode` defaults).
    ToonComma,
    /// TOON, tab delimiter.
    ToonTab,
    /// TOON, pipe delimiter.
    ToonPipe,
    /// JSON with 2-space indentation (`serde_json::to_string_pretty`).
    JsonPretty,
    /// JSON on one line (`serde_json::to_string`).
    JsonCompact,
    /// YAML (`serde_norway::to_string`).
    Yaml,
    /// CSV with a header line (`csv` crate), only for flat tables.
    Csv,
}

impl Format {
    /// Every format, in table order.
    pub const ALL: [Format; 7] = [
        Format::ToonComma,
        Format::ToonTab,
        Format::ToonPipe,
        Format::JsonPretty,
        Format::JsonCompact,
        Format::Yaml,
        Format::Csv,
    ];

    /// The column name: `TOON ,`, `JSON pretty`, ...
    pub const fn name(self) -> &'static str {
        match self {
            Format::ToonComma => "TOON ,",
            Format::ToonTab => "TOON tab",
            Format::ToonPipe => "TOON |",
            Format::JsonPretty => "JSON pretty",
            Format::JsonCompact => "JSON compact",
            Format::Yaml => "YAML",
            Format::Csv => "CSV",
        }
    }

    /// `value` in this format; `Ok(None)` when the format cannot hold it (CSV of data
    /// that is not one flat table).
    pub fn render(self, value: &Value) -> anyhow::Result<Option<String>> {
        let toon = |delimiter| {
            let value: toon::Value = value.clone().into();
            toon::encode(&value, &EncodeOptions::new().with_delimiter(delimiter))
                .context("toon::encode")
        };
        Ok(Some(match self {
            Format::ToonComma => toon(Delimiter::Comma)?,
            Format::ToonTab => toon(Delimiter::Tab)?,
            Format::ToonPipe => toon(Delimiter::Pipe)?,
            Format::JsonPretty => serde_json::to_string_pretty(value)?,
            Format::JsonCompact => serde_json::to_string(value)?,
            Format::Yaml => serde_norway::to_string(value)?,
            Format::Csv => return csv(value),
        }))
    }
}

/// The rows of `value` when it is one flat table: an array of objects with the same keys
/// in the same order and no nested values, alone or as the only field of an object.
fn flat_rows(value: &Value) -> Option<&[Value]> {
    let rows = match value {
        Value::Array(rows) => rows,
        Value::Object(fields) if fields.len() == 1 => fields.values().next()?.as_array()?,
        _ => return None,
    };
    let first = rows.first()?.as_object()?;
    rows.iter()
        .all(|row| {
            row.as_object().is_some_and(|row| {
                row.len() == first.len()
                    && row.iter().zip(first).all(|((key, cell), (first_key, _))| {
                        key == first_key && !cell.is_array() && !cell.is_object()
                    })
            })
        })
        .then_some(rows)
}

/// CSV of a flat table: a header line of the keys, then one record per row (numbers
/// and booleans as JSON writes them, null as an empty cell).
fn csv(value: &Value) -> anyhow::Result<Option<String>> {
    let Some(rows) = flat_rows(value) else {
        return Ok(None);
    };
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = rows[0]
        .as_object()
        .map(|row| row.keys())
        .into_iter()
        .flatten();
    writer.write_record(header)?;
    for row in rows {
        let cells = row
            .as_object()
            .into_iter()
            .flatten()
            .map(|(_, cell)| match cell {
                Value::String(text) => text.clone(),
                Value::Null => String::new(),
                other => other.to_string(),
            });
        writer.write_record(cells)?;
    }
    Ok(Some(String::from_utf8(writer.into_inner()?)?))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn csv_only_for_flat_tables() {
        let flat = json!({"rows": [{"a": 1, "b": "x,y"}, {"a": null, "b": true}]});
        assert_eq!(
            Format::Csv.render(&flat).unwrap().as_deref(),
            Some("a,b\n1,\"x,y\"\n,true\n")
        );
        for not_flat in [
            json!({"rows": [{"a": 1}, {"b": 2}]}),
            json!({"rows": [{"a": [1]}]}),
            json!({"rows": [], "other": 1}),
            json!({"a": 1}),
        ] {
            assert_eq!(Format::Csv.render(&not_flat).unwrap(), None, "{not_flat}");
        }
    }

    #[test]
    fn toon_delimiters_differ_in_tables() {
        let value = json!({"t": [{"a": 1, "b": 2}]});
        assert_eq!(
            Format::ToonPipe.render(&value).unwrap().unwrap(),
            "t[1|]{a|b}:\n  1|2"
        );
    }
}
