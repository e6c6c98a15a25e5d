//! `Map`: the ordered object type of [`Value`](super::Value).

use std::borrow::Cow;

use indexmap::IndexMap;

use super::Value;

type Inner<'a> = IndexMap<Cow<'a, str>, Value<'a>, foldhash::fast::FixedState>;

/// An object: string keys in insertion order. Equality ignores order, as JSON's does.
#[derive(Clone, Default, PartialEq)]
pub struct Map<'a> {
    entries: Inner<'a>,
}

impl<'a> Map<'a> {
    /// An empty map.
    pub fn new() -> Self {
        Map::default()
    }

    /// An empty map with room for `capacity` entries.
    pub fn with_capacity(capacity: usize) -> Self {
        Map {
            entries: IndexMap::with_capacity_and_hasher(capacity, Default::default()),
        }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The value under `key`.
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        self.entries.get(key)
    }

    /// The value under `key`, mutably.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value<'a>> {
        self.entries.get_mut(key)
    }

    /// True when `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.entries.contains_key(key)
    }

    /// The entry at `index` in insertion order.
    pub fn get_index(&self, index: usize) -> Option<(&str, &Value<'a>)> {
        self.entries.get_index(index).map(|(k, v)| (k.as_ref(), v))
    }

    /// Inserts `value` under `key`. An existing key keeps its position and gets the new
    /// value; the old value is returned.
    pub fn insert(&mut self, key: impl Into<Cow<'a, str>>, value: Value<'a>) -> Option<Value<'a>> {
        self.entries.insert(key.into(), value)
    }

    /// Removes `key`, shifting later entries to keep the order.
    pub fn remove(&mut self, key: &str) -> Option<Value<'a>> {
        self.entries.shift_remove(key)
    }

    /// Entries in insertion order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &Value<'a>)> + DoubleEndedIterator {
        self.entries.iter().map(|(k, v)| (k.as_ref(), v))
    }

    /// Keys in insertion order.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &str> + DoubleEndedIterator {
        self.entries.keys().map(|k| k.as_ref())
    }

    /// Values in insertion order.
    pub fn values(&self) -> impl ExactSizeIterator<Item = &Value<'a>> + DoubleEndedIterator {
        self.entries.values()
    }

    /// Copies every borrowed key and string.
    pub fn into_owned(self) -> Map<'static> {
        Map {
            entries: self
                .entries
                .into_iter()
                .map(|(k, v)| (Cow::Owned(k.into_owned()), v.into_owned()))
                .collect(),
        }
    }
}

impl std::fmt::Debug for Map<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.entries.iter()).finish()
    }
}

impl<'a, K: Into<Cow<'a, str>>> FromIterator<(K, Value<'a>)> for Map<'a> {
    fn from_iter<I: IntoIterator<Item = (K, Value<'a>)>>(iter: I) -> Self {
        let mut map = Map::new();
        for (k, v) in iter {
            map.insert(k, v);
        }
        map
    }
}

impl<'a> IntoIterator for Map<'a> {
    type Item = (Cow<'a, str>, Value<'a>);
    type IntoIter = indexmap::map::IntoIter<Cow<'a, str>, Value<'a>>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}
