//! `Map`: the ordered object type of [`Value`](super::Value).
//!
//! Objects in TOON documents are mostly small (a table row, a record), so entries live in
//! one `Vec` in insertion order and small maps are searched linearly: no hashing and one
//! allocation per object. Past [`INDEXED_FROM`] entries lookups go through a hash index
//! (positions into the `Vec`), built on the first lookup, so large objects (a million
//! keys) stay linear-time to fill and look up, and a decoded object that is only iterated
//! (encoded, converted) never hashes its keys.

use std::borrow::Cow;
use std::hash::BuildHasher;
use std::sync::{LazyLock, OnceLock};

use hashbrown::HashTable;

use super::Value;

/// Entry count from which lookups go through the hash index.
const INDEXED_FROM: usize = 16;

/// One random seed per process, so colliding keys cannot be prepared in advance.
static HASHER: LazyLock<foldhash::fast::RandomState> = LazyLock::new(Default::default);

/// An object: string keys in insertion order. Equality ignores order, as JSON's does.
#[derive(Clone, Default)]
pub struct Map<'a> {
    entries: Vec<(Cow<'a, str>, Value<'a>)>,
    /// Positions of `entries` by key hash: present once the map is large, filled by the
    /// first lookup and kept up to date from then on.
    index: Option<Box<OnceLock<HashTable<usize>>>>,
}

/// The process-seeded hasher of object keys, also used by the decoder's duplicate check.
pub(crate) fn key_hasher() -> foldhash::fast::RandomState {
    HASHER.clone()
}

fn hash(key: &str) -> u64 {
    HASHER.hash_one(key)
}

impl<'a> Map<'a> {
    /// An empty map.
    pub fn new() -> Self {
        Map::default()
    }

    /// An empty map with room for `capacity` entries.
    pub fn with_capacity(capacity: usize) -> Self {
        Map {
            entries: Vec::with_capacity(capacity),
            index: None,
        }
    }

    /// A map of `entries` whose keys the caller knows are distinct (the strict decoder
    /// has rejected duplicates).
    pub(crate) fn from_unique_entries(entries: Vec<(Cow<'a, str>, Value<'a>)>) -> Self {
        let index = (entries.len() > INDEXED_FROM).then(Box::default);
        Map { entries, index }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn position(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index
                .get_or_init(|| self.build_index())
                .find(hash(key), |&i| self.entries[i].0 == key)
                .copied(),
            None => self.entries.iter().position(|(k, _)| k == key),
        }
    }

    /// The value under `key`.
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        self.position(key).map(|i| &self.entries[i].1)
    }

    /// The value under `key`, mutably.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value<'a>> {
        self.position(key).map(|i| &mut self.entries[i].1)
    }

    /// True when `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    /// The entry at `index` in insertion order.
    #[inline]
    pub fn get_index(&self, index: usize) -> Option<(&str, &Value<'a>)> {
        self.entries.get(index).map(|(k, v)| (k.as_ref(), v))
    }

    /// Inserts `value` under `key`. An existing key keeps its position and gets the new
    /// value; the old value is returned.
    pub fn insert(&mut self, key: impl Into<Cow<'a, str>>, value: Value<'a>) -> Option<Value<'a>> {
        let key = key.into();
        match self.position(&key) {
            Some(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            None => {
                self.push_unique(key, value);
                None
            }
        }
    }

    /// Appends an entry whose key the caller knows is not present (the decoder has
    /// already rejected or resolved duplicates). A repeated key here would be shadowed.
    #[inline]
    pub(crate) fn push_unique(&mut self, key: Cow<'a, str>, value: Value<'a>) {
        let position = self.entries.len();
        if let Some(index) = self.index.as_mut().and_then(|lock| lock.get_mut()) {
            let entries = &self.entries;
            index.insert_unique(hash(&key), position, |&i| hash(&entries[i].0));
        }
        self.entries.push((key, value));
        if self.index.is_none() && self.entries.len() > INDEXED_FROM {
            self.index = Some(Box::default());
        }
    }

    /// The hash index of every entry.
    fn build_index(&self) -> HashTable<usize> {
        let mut index = HashTable::with_capacity(self.entries.len());
        for (i, (key, _)) in self.entries.iter().enumerate() {
            index.insert_unique(hash(key), i, |&j| hash(&self.entries[j].0));
        }
        index
    }

    /// Removes `key`, shifting later entries to keep the order.
    pub fn remove(&mut self, key: &str) -> Option<Value<'a>> {
        let i = self.position(key)?;
        let (_, value) = self.entries.remove(i);
        // Positions after `i` moved: the index is rebuilt by the next lookup.
        self.index = (self.entries.len() > INDEXED_FROM).then(Box::default);
        Some(value)
    }

    /// Entries in insertion order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &Value<'a>)> + DoubleEndedIterator {
        self.entries.iter().map(|(k, v)| (k.as_ref(), v))
    }

    /// Keys in insertion order.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &str> + DoubleEndedIterator {
        self.entries.iter().map(|(k, _)| k.as_ref())
    }

    /// Values in insertion order.
    pub fn values(&self) -> impl ExactSizeIterator<Item = &Value<'a>> + DoubleEndedIterator {
        self.entries.iter().map(|(_, v)| v)
    }

    /// Copies every borrowed key and string.
    pub fn into_owned(self) -> Map<'static> {
        Map {
            entries: self
                .entries
                .into_iter()
                .map(|(k, v)| (Cow::Owned(k.into_owned()), v.into_owned()))
                .collect(),
            index: self.index,
        }
    }
}

impl PartialEq for Map<'_> {
    /// Same keys with equal values, in any order.
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().all(|(k, v)| other.get(k) == Some(v))
    }
}

impl std::fmt::Debug for Map<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<'a, K: Into<Cow<'a, str>>> FromIterator<(K, Value<'a>)> for Map<'a> {
    fn from_iter<I: IntoIterator<Item = (K, Value<'a>)>>(iter: I) -> Self {
        let iter = iter.into_iter();
        let mut map = Map::with_capacity(iter.size_hint().0.min(4096));
        for (k, v) in iter {
            map.insert(k, v);
        }
        map
    }
}

impl<'a> IntoIterator for Map<'a> {
    type Item = (Cow<'a, str>, Value<'a>);
    type IntoIter = std::vec::IntoIter<(Cow<'a, str>, Value<'a>)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

/// Builds a [`Map`] from entries that arrive one at a time (a JSON object, a Python
/// dict, a serde map), with [`Map::insert`]'s meaning (a repeated key replaces the earlier
/// value in place) but without searching for keys that are certainly new: a 64-bit Bloom
/// filter of the keys so far lets most keys be appended directly.
#[derive(Debug, Default)]
pub struct MapBuilder<'a> {
    map: Map<'a>,
    seen: u64,
}

impl<'a> MapBuilder<'a> {
    /// A builder with room for `capacity` entries.
    pub fn with_capacity(capacity: usize) -> Self {
        MapBuilder {
            map: Map::with_capacity(capacity),
            seen: 0,
        }
    }

    /// Adds `key`, replacing the value of an earlier equal key in place.
    #[inline]
    pub fn insert(&mut self, key: impl Into<Cow<'a, str>>, value: Value<'a>) {
        let key = key.into();
        let bit = bloom_bit(&key);
        if self.seen & bit == 0 {
            self.seen |= bit;
            self.map.push_unique(key, value);
        } else {
            self.map.insert(key, value);
        }
    }

    /// Appends a key the caller knows is new (a struct field name).
    #[inline]
    pub(crate) fn push_unique(&mut self, key: Cow<'a, str>, value: Value<'a>) {
        self.seen |= bloom_bit(&key);
        self.map.push_unique(key, value);
    }

    /// The finished map.
    pub fn finish(self) -> Map<'a> {
        self.map
    }
}

/// The bit of `key` in a 64-bit Bloom filter of keys, from its length and its first and
/// last bytes.
#[inline]
fn bloom_bit(key: &str) -> u64 {
    let bytes = key.as_bytes();
    let (first, last) = match bytes {
        [] => (0, 0),
        [first, .., last] => (*first, *last),
        [only] => (*only, *only),
    };
    let mix = (bytes.len() as u32)
        .wrapping_mul(0x9E37)
        .wrapping_add(u32::from(first).wrapping_mul(0x1F3))
        .wrapping_add(u32::from(last).wrapping_mul(0x2D));
    1 << (mix % 64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_and_large_maps_behave_alike() {
        for n in [3usize, 16, 17, 200] {
            let mut map = Map::new();
            for i in 0..n {
                assert_eq!(map.insert(format!("k{i}"), Value::from(i as u64)), None);
            }
            // Replacing keeps the position; lookups find every key.
            assert_eq!(map.insert("k1", Value::from("x")), Some(Value::from(1u64)));
            assert_eq!(map.get_index(1).map(|(k, _)| k), Some("k1"));
            assert!((0..n).all(|i| map.contains_key(&format!("k{i}"))));
            assert!(!map.contains_key("missing"));
            assert_eq!(map.remove("k0"), Some(Value::from(0u64)));
            assert_eq!(map.len(), n - 1);
            assert_eq!(map.get("k1"), Some(&Value::from("x")));
            assert!((1..n).all(|i| map.get(&format!("k{i}")).is_some()));
            let reversed: Map = map.clone().into_iter().rev().collect();
            assert_eq!(reversed, map);
        }
    }

    /// The builder keeps `insert`'s meaning whatever the Bloom filter says: the last value
    /// of a repeated key at its first position, for 2 to 300 keys and repeats anywhere.
    #[test]
    fn builder_agrees_with_insert() {
        for n in [2usize, 5, 16, 17, 64, 300] {
            let keys: Vec<String> = (0..n)
                .map(|i| format!("k{i}"))
                .chain((0..n).step_by(3).map(|i| format!("k{i}")))
                .collect();
            let mut expected = Map::new();
            let mut builder = MapBuilder::with_capacity(n);
            for (i, key) in keys.iter().enumerate() {
                expected.insert(key.clone(), Value::from(i as u64));
                builder.insert(key.clone(), Value::from(i as u64));
            }
            let built = builder.finish();
            assert_eq!(built.len(), n);
            assert!(built.iter().eq(expected.iter()), "{n} keys");
        }
    }
}
