//! Which Markdown form a value takes: code block, task item, table (with nested field
//! groups flattened to dotted columns), keyed table.

use toon::{Map, Value};

/// `{lang, code}` with two strings and a one-line, trimmed `lang`: a fenced code block.
pub(crate) fn is_code(value: &Value<'_>) -> bool {
    let Some(map) = value.as_object() else {
        return false;
    };
    if map.len() != 2 {
        return false;
    }
    match (
        map.get("lang").and_then(Value::as_str),
        map.get("code").and_then(Value::as_str),
    ) {
        (Some(lang), Some(code)) => {
            !lang.contains(['\n', '\r'])
                && lang.trim_matches([' ', '\t']) == lang
                && !code.contains('\r')
        }
        _ => false,
    }
}

/// `{done, text}` (and optionally `items`, an array of further blocks) with a boolean
/// `done` and a string `text`: a task-list item.
pub(crate) fn is_task(value: &Value<'_>) -> bool {
    let Some(map) = value.as_object() else {
        return false;
    };
    let extra = match map.get("items") {
        None => 0,
        Some(Value::Array(items)) if !items.is_empty() => 1,
        Some(_) => return false,
    };
    map.len() == 2 + extra
        && matches!(map.get("done"), Some(Value::Bool(_)))
        && matches!(map.get("text"), Some(Value::String(_)))
}

/// A table column: the path of keys to a primitive leaf.
pub(crate) type Column<'v> = Vec<&'v str>;

/// The columns of an object row: its primitive fields, and the fields of nested objects
/// flattened (`customer.name`). `None` when a field is an array or an empty object, or a
/// key is empty or has a dot (the dotted name would not split back into the same path).
pub(crate) fn columns<'v>(row: &'v Map<'_>) -> Option<Vec<Column<'v>>> {
    let mut out = Vec::new();
    collect(row, &mut Vec::new(), &mut out)?;
    Some(out)
}

fn collect<'v>(map: &'v Map<'_>, path: &mut Vec<&'v str>, out: &mut Vec<Column<'v>>) -> Option<()> {
    for (key, value) in map.iter() {
        // Column names are dotted paths; `markdown-to-toon` splits them on the dots, so a
        // key with a dot (or an empty one) cannot be a column.
        if key.is_empty() || key.contains('.') {
            return None;
        }
        path.push(key);
        match value {
            Value::Array(_) => return None,
            Value::Object(inner) if inner.is_empty() => return None,
            // A code block or task inside a row is not a field group.
            Value::Object(_) if is_code(value) || is_task(value) => return None,
            Value::Object(inner) => collect(inner, path, out)?,
            _ => out.push(path.clone()),
        }
        path.pop();
    }
    Some(())
}

/// Whether `row` has exactly `columns`, in the same order, each a primitive.
fn matches(row: &Map<'_>, columns: &[Column<'_>]) -> bool {
    if columns.iter().all(|c| c.len() == 1) {
        // Flat rows, the common case: one pass, no allocation.
        return row.len() == columns.len()
            && row
                .iter()
                .zip(columns)
                .all(|((key, value), column)| key == column[0] && value.is_primitive());
    }
    let mut next = 0;
    walk(row, &mut Vec::new(), columns, &mut next) && next == columns.len()
}

/// Compares the leaves of `map` under `path`, in order, with `columns[*next..]`.
fn walk<'v>(
    map: &'v Map<'_>,
    path: &mut Vec<&'v str>,
    columns: &[Column<'_>],
    next: &mut usize,
) -> bool {
    for (key, value) in map.iter() {
        path.push(key);
        let same = match value {
            Value::Object(inner) if !inner.is_empty() && !is_code(value) && !is_task(value) => {
                walk(inner, path, columns, next)
            }
            Value::Object(_) | Value::Array(_) => false,
            _ => {
                let same = columns.get(*next).is_some_and(|column| column == path);
                *next += 1;
                same
            }
        };
        path.pop();
        if !same {
            return false;
        }
    }
    true
}

/// The leaf of `row` at `column`.
pub(crate) fn cell<'v, 'a>(row: &'v Map<'a>, column: &[&str]) -> &'v Value<'a> {
    let mut value = row.get(column[0]);
    for key in &column[1..] {
        value = value.and_then(|v| v.get(key));
    }
    value.unwrap_or(&Value::Null)
}

/// The columns of an array that reads as a table: one or more objects (none a code block
/// or task), each with the same columns in the same order, at least one column.
pub(crate) fn table_columns<'v>(items: &'v [Value<'_>]) -> Option<Vec<Column<'v>>> {
    let first = items.first()?.as_object()?;
    let columns = columns(first)?;
    if columns.is_empty() {
        return None;
    }
    let uniform = items.iter().all(|item| {
        !is_code(item)
            && !is_task(item)
            && item.as_object().is_some_and(|row| matches(row, &columns))
    });
    uniform.then_some(columns)
}

/// The columns of an object that reads as a keyed table (the entry key in the first
/// column): one or more entries, each an object (none a code block or task) with the
/// same columns in the same order. Entries that are all empty objects give a table of
/// keys alone (no further column).
pub(crate) fn keyed_columns<'v>(map: &'v Map<'_>) -> Option<Vec<Column<'v>>> {
    let (_, first) = map.get_index(0)?;
    let first = first.as_object()?;
    if first.is_empty() {
        let all_empty = map
            .values()
            .all(|v| v.as_object().is_some_and(Map::is_empty));
        return all_empty.then(Vec::new);
    }
    let columns = columns(first)?;
    let uniform = map.values().all(|value| {
        !is_code(value)
            && !is_task(value)
            && value.as_object().is_some_and(|row| matches(row, &columns))
    });
    uniform.then_some(columns)
}
