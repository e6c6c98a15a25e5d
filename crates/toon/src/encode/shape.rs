//! Form detection (spec §9.3, §9.5): whether an array of objects can be written as a
//! table, and whether an object of objects can be written in keyed tabular form, and with
//! which (possibly nested) field list.

use crate::value::{Map, Value};

/// A header's field list, and whether every row lists its keys in exactly the header's
/// order (then rows are written positionally, without comparing key names).
pub(crate) struct Shape<'v> {
    pub(crate) fields: Vec<Field<'v>>,
    pub(crate) aligned: bool,
}

/// One entry of a header's field list: a leaf column or a nested group.
pub(crate) struct Field<'v> {
    pub(crate) name: &'v str,
    /// `Some` for a nested field group `name{...}`.
    pub(crate) children: Option<Vec<Field<'v>>>,
}

/// Key equality with a pointer shortcut: struct field names serialized from Rust share
/// one `&'static str`, so rows built by serde compare without touching the bytes.
/// Other keys (decoded, or from maps) are mostly short: compared inline with two
/// overlapping word loads instead of a call to `memcmp`.
#[inline]
pub(crate) fn same_key(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if a.as_ptr() == b.as_ptr() {
        return true;
    }
    fn word(s: &[u8], at: usize) -> u64 {
        let mut w = [0u8; 8];
        w.copy_from_slice(&s[at..at + 8]);
        u64::from_ne_bytes(w)
    }
    fn half(s: &[u8], at: usize) -> u32 {
        let mut w = [0u8; 4];
        w.copy_from_slice(&s[at..at + 4]);
        u32::from_ne_bytes(w)
    }
    match n {
        0..4 => a == b,
        4..8 => half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4),
        8..=16 => word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8),
        _ => a == b,
    }
}

/// The value of field `name`, which sits at `index` in the first row; rows that share the
/// first row's key order are read positionally, without hashing.
#[inline]
pub(crate) fn field_value<'m, 'a>(
    row: &'m Map<'a>,
    index: usize,
    name: &str,
) -> Option<&'m Value<'a>> {
    match row.get_index(index) {
        Some((key, value)) if same_key(key.as_bytes(), name.as_bytes()) => Some(value),
        _ => row.get(name),
    }
}

/// The field list for writing `items` as a table, or `None` when some element is not an
/// object, objects differ in key set, or a column is neither all-primitive nor uniformly
/// nested objects.
pub(crate) fn tabular_fields<'v>(items: &'v [Value<'_>]) -> Option<Shape<'v>> {
    let mut rows = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Value::Object(map) => rows.push(map),
            _ => return None,
        }
    }
    let mut aligned = true;
    let fields = fields_of_rows(&rows, &mut aligned)?;
    Some(Shape { fields, aligned })
}

/// The field list for writing `map` in keyed tabular form: at least two entries, each a
/// non-empty object, sharing one key set and uniform columns.
pub(crate) fn keyed_fields<'v>(map: &'v Map<'_>) -> Option<Shape<'v>> {
    if map.len() < 2 {
        return None;
    }
    // Most objects have a primitive among their values: reject them before allocating.
    if !map
        .values()
        .all(|value| matches!(value, Value::Object(inner) if !inner.is_empty()))
    {
        return None;
    }
    let mut rows = Vec::with_capacity(map.len());
    for value in map.values() {
        match value {
            Value::Object(inner) if !inner.is_empty() => rows.push(inner),
            _ => return None,
        }
    }
    let mut aligned = true;
    let fields = fields_of_rows(&rows, &mut aligned)?;
    Some(Shape { fields, aligned })
}

/// Clears `aligned` when some row (at any level) has its keys in another order.
fn fields_of_rows<'v>(rows: &[&'v Map<'_>], aligned: &mut bool) -> Option<Vec<Field<'v>>> {
    let first = rows.first()?;
    if first.is_empty() {
        return None;
    }
    for row in &rows[1..] {
        if row.len() != first.len() {
            return None;
        }
    }
    let mut fields = Vec::with_capacity(first.len());
    let mut column: Vec<&'v Map<'_>> = Vec::new();
    for (index, name) in first.keys().enumerate() {
        // Every row must have the key; then the column must be all primitives or all
        // non-empty objects that are themselves tabular.
        let mut all_primitive = true;
        let mut all_objects = true;
        for row in rows {
            let value = match row.get_index(index) {
                Some((key, value)) if same_key(key.as_bytes(), name.as_bytes()) => value,
                _ => {
                    *aligned = false;
                    row.get(name)?
                }
            };
            match value {
                Value::Object(inner) if !inner.is_empty() => all_primitive = false,
                Value::Array(_) | Value::Object(_) => return None,
                _ => all_objects = false,
            }
        }
        let children = if all_primitive {
            None
        } else if all_objects {
            column.clear();
            for row in rows {
                if let Some(Value::Object(inner)) = field_value(row, index, name) {
                    column.push(inner);
                }
            }
            Some(fields_of_rows(&column, aligned)?)
        } else {
            return None;
        };
        fields.push(Field { name, children });
    }
    Some(fields)
}

#[cfg(test)]
mod tests {
    use super::same_key;

    /// The word comparisons agree with `==` for every length up to 20 and every position
    /// of a difference.
    #[test]
    fn same_key_agrees_with_string_equality() {
        let base = "abcdefghijklmnopqrst";
        for n in 0..=base.len() {
            let a = &base[..n];
            let copy = a.to_owned();
            assert!(same_key(a.as_bytes(), copy.as_bytes()), "{a:?}");
            for at in 0..n {
                let mut other = copy.clone().into_bytes();
                other[at] = b'#';
                let other = String::from_utf8(other).unwrap();
                assert!(
                    !same_key(a.as_bytes(), other.as_bytes()),
                    "{a:?} vs {other:?}"
                );
            }
            assert!(
                !same_key(a.as_bytes(), &base.as_bytes()[..(n + 1).min(base.len())])
                    || n == base.len()
            );
        }
    }
}
