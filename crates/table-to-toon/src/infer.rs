//! Column types, inferred from the cells as data tools infer them (pandas' `read_csv`,
//! polars, DuckDB): one type per column, from every non-empty cell of it.

use toon::{Number, Value};

/// The type of a column: the narrowest that every non-empty cell of it fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// Every cell is empty: every value is `null`.
    Empty,
    /// Every non-empty cell is `true` or `false` (any letter case).
    Bool,
    /// Every non-empty cell is a number in JSON's grammar: integers exact at any size,
    /// decimals as the nearest double. Cells such as `007`, `+1`, `1.`, `NaN` or `1e400`
    /// are not numbers, so a column of ZIP codes stays text.
    Number,
    /// Anything else: the cells as they are.
    Text,
}

impl ColumnType {
    /// The type of a column with these cells.
    pub fn of<'c>(cells: impl IntoIterator<Item = &'c str>) -> ColumnType {
        let mut column = ColumnType::Empty;
        for cell in cells {
            let cell_type = ColumnType::of_cell(cell);
            column = match (column, cell_type) {
                (_, ColumnType::Empty) => column,
                (ColumnType::Empty, _) => cell_type,
                (a, b) if a == b => a,
                _ => return ColumnType::Text,
            };
        }
        column
    }

    fn of_cell(cell: &str) -> ColumnType {
        if cell.is_empty() {
            ColumnType::Empty
        } else if parse_bool(cell).is_some() {
            ColumnType::Bool
        } else if Number::from_json_text(cell).is_some() {
            ColumnType::Number
        } else {
            ColumnType::Text
        }
    }

    /// The value of `cell` in a column of this type: `null` when it is empty.
    pub fn value(self, cell: &str) -> Value<'_> {
        if cell.is_empty() {
            return Value::Null;
        }
        let typed = match self {
            ColumnType::Bool => parse_bool(cell).map(Value::Bool),
            ColumnType::Number => Number::from_json_text(cell).map(Value::Number),
            ColumnType::Empty | ColumnType::Text => None,
        };
        typed.unwrap_or_else(|| Value::from(cell))
    }
}

fn parse_bool(cell: &str) -> Option<bool> {
    if cell.eq_ignore_ascii_case("true") {
        Some(true)
    } else if cell.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_takes_the_narrowest_type_of_its_non_empty_cells() {
        assert_eq!(ColumnType::of(["1", "", "2.5", "-3e2"]), ColumnType::Number);
        assert_eq!(ColumnType::of(["TRUE", "false", ""]), ColumnType::Bool);
        assert_eq!(ColumnType::of(["", ""]), ColumnType::Empty);
        assert_eq!(ColumnType::of(["1", "true"]), ColumnType::Text);
        assert_eq!(ColumnType::of(["02134", "10001"]), ColumnType::Text);
        assert_eq!(ColumnType::of(["1", "NaN"]), ColumnType::Text);
    }

    #[test]
    fn values_follow_the_column_type() {
        assert_eq!(ColumnType::Number.value("42"), Value::from(42));
        assert_eq!(ColumnType::Bool.value("True"), Value::Bool(true));
        assert_eq!(ColumnType::Text.value("42"), Value::from("42"));
        assert_eq!(ColumnType::Text.value(""), Value::Null);
        let big = ColumnType::Number.value("123456789012345678901234567890");
        assert_eq!(
            toon::encode(&big, &Default::default()).unwrap(),
            "123456789012345678901234567890"
        );
    }
}
