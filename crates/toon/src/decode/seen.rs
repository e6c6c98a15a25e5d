//! The keys of the open objects, kept for the strict duplicate check. Keys borrowed from
//! the input stay borrowed; owned ones (read from a buffer reused line after line, by
//! the reader and chunk decoders) are copied into one shared arena rather than
//! allocated one by one. An object with many keys indexes its keys by hash.

use std::borrow::Cow;
use std::hash::BuildHasher;

use crate::value::map::key_hasher;

/// An index of an object's keys by hash: positions in [`SeenKeys`].
pub(crate) type KeyIndex = hashbrown::HashTable<usize>;

fn hash(key: &str) -> u64 {
    key_hasher().hash_one(key)
}

fn hash_of(keys: &[Seen<'_>], arena: &str, at: usize) -> u64 {
    hash(match keys[at] {
        Seen::Borrowed(key) => key,
        Seen::Arena(from, to) => &arena[from..to],
    })
}

/// Keys in the order they were read; objects own a suffix (from their `keys_start`).
#[derive(Clone, Default)]
pub(crate) struct SeenKeys<'a> {
    keys: Vec<Seen<'a>>,
    arena: String,
}

/// One key: borrowed, or a span of the arena.
#[derive(Clone, Copy)]
enum Seen<'a> {
    Borrowed(&'a str),
    Arena(usize, usize),
}

impl<'a> SeenKeys<'a> {
    /// How many keys are kept.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }

    /// Keeps `key`.
    #[inline]
    #[allow(clippy::ptr_arg)] // the Cow says whether the key is kept borrowed or copied
    pub(crate) fn push(&mut self, key: &Cow<'a, str>) {
        let seen = match key {
            Cow::Borrowed(key) => Seen::Borrowed(key),
            Cow::Owned(key) => {
                let start = self.arena.len();
                self.arena.push_str(key);
                Seen::Arena(start, self.arena.len())
            }
        };
        self.keys.push(seen);
    }

    /// Whether `key` is among the keys from index `start` on.
    #[inline]
    pub(crate) fn contains_from(&self, start: usize, key: &str) -> bool {
        self.keys[start..]
            .iter()
            .any(|&seen| self.text(seen) == key)
    }

    /// An index over the keys from `start` on, for an object with many keys.
    pub(crate) fn index_from(&self, start: usize) -> KeyIndex {
        let mut index = KeyIndex::with_capacity(2 * (self.keys.len() - start));
        for at in start..self.keys.len() {
            let hash = hash(self.text(self.keys[at]));
            index.insert_unique(hash, at, |&i| hash_of(&self.keys, &self.arena, i));
        }
        index
    }

    /// Keeps `key` and indexes it, unless `index` (over this object's keys) already
    /// has it; whether it had.
    #[allow(clippy::ptr_arg)] // as in `push`
    pub(crate) fn insert_indexed(&mut self, index: &mut KeyIndex, key: &Cow<'a, str>) -> bool {
        let hash = hash(key);
        if index
            .find(hash, |&i| self.text(self.keys[i]) == key.as_ref())
            .is_some()
        {
            return true;
        }
        self.push(key);
        let at = self.keys.len() - 1;
        let (keys, arena) = (&self.keys, &self.arena);
        index.insert_unique(hash, at, |&i| hash_of(keys, arena, i));
        false
    }

    /// Forgets the keys from index `start` on (and their text in the arena).
    #[inline]
    pub(crate) fn truncate(&mut self, start: usize) {
        let first_in_arena = self.keys.get(start..).and_then(|removed| {
            removed.iter().find_map(|seen| match seen {
                Seen::Arena(from, _) => Some(*from),
                Seen::Borrowed(_) => None,
            })
        });
        if let Some(from) = first_in_arena {
            self.arena.truncate(from);
        }
        self.keys.truncate(start);
    }

    fn text<'s>(&'s self, seen: Seen<'a>) -> &'s str
    where
        'a: 's,
    {
        match seen {
            Seen::Borrowed(key) => key,
            Seen::Arena(from, to) => &self.arena[from..to],
        }
    }
}
