//! The start of a struct field's line — line break, indentation and key, quoted when it
//! must be — kept per field name and depth, so a field written again (the same struct
//! in every element of a list, or in the next document) costs one copy instead of an
//! indentation, a bare-key check and a key copy. Struct field names are
//! `&'static str`: the same name is the same address, which is the cache's key (no
//! hashing of the text). Each thread keeps one cache across documents.

use std::cell::Cell;

use super::super::Encoder;

/// Entries in the cache (a power of two); a name whose entry is taken is not cached.
const SLOTS: usize = 1024;

/// Cached text is kept below this size (offsets fit in `u32`; deep lines are long).
const MAX_TEXT: usize = 1 << 20;

/// Misses (names not cached because their entry was taken) after which the cache
/// starts over, so that names in use now replace names seen long ago.
const MISSES_BEFORE_RESET: usize = 4 * SLOTS;

thread_local! {
    static THREAD_KEY_LINES: Cell<KeyLines> = Cell::new(KeyLines::default());
}

/// One cached line start.
#[derive(Debug, Clone, Copy, Default)]
struct Entry {
    /// Address and length of the field name; 0 when the slot is empty.
    name: usize,
    len: u32,
    depth: u32,
    /// Where its text sits in [`KeyLines::text`].
    from: u32,
    to: u32,
}

/// Line starts of struct fields, by name and depth, for one indentation width.
#[derive(Debug, Default)]
pub(super) struct KeyLines {
    entries: Vec<Entry>,
    text: String,
    indent: usize,
    misses: usize,
}

impl KeyLines {
    /// The calling thread's cache, for lines indented `indent` spaces a level (taken
    /// until [`KeyLines::give_back`]).
    pub(super) fn take(indent: usize) -> KeyLines {
        let mut lines = THREAD_KEY_LINES.try_with(Cell::take).unwrap_or_default();
        if lines.indent != indent {
            lines.reset();
            lines.indent = indent;
        }
        lines
    }

    /// Returns the cache to the calling thread for its next document.
    pub(super) fn give_back(self) {
        // A thread being torn down keeps nothing.
        let _ = THREAD_KEY_LINES.try_with(|cell| cell.set(self));
    }

    fn reset(&mut self) {
        self.entries.clear();
        self.text.clear();
        self.misses = 0;
    }

    /// Starts the line of field `name` at `depth`.
    pub(super) fn write(&mut self, enc: &mut Encoder<String>, name: &'static str, depth: usize) {
        if enc.at_start {
            // The document's first line has no line break: not cached.
            enc.start_line(depth);
            enc.key(name);
            return;
        }
        let address = name.as_ptr() as usize;
        let mixed = (address ^ depth).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let slot = mixed >> (usize::BITS - SLOTS.trailing_zeros());
        if let Some(entry) = self.entries.get(slot)
            && entry.name == address
            && entry.len as usize == name.len()
            && entry.depth as usize == depth
        {
            enc.out
                .push_str(&self.text[entry.from as usize..entry.to as usize]);
            return;
        }
        let before = enc.out.len();
        enc.start_line(depth);
        enc.key(name);
        if self.entries.is_empty() {
            self.entries.resize(SLOTS, Entry::default());
        }
        let (Ok(len), Ok(depth)) = (u32::try_from(name.len()), u32::try_from(depth)) else {
            return;
        };
        if self.entries[slot].name != 0 || self.text.len() > MAX_TEXT {
            self.misses += 1;
            if self.misses > MISSES_BEFORE_RESET {
                self.reset();
            }
            return;
        }
        let from = self.text.len() as u32;
        self.text.push_str(&enc.out[before..]);
        self.entries[slot] = Entry {
            name: address,
            len,
            depth,
            from,
            to: self.text.len() as u32,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::EncodeOptions;

    /// Through hits, taken entries, resets and quoted names, a cached line start is the
    /// one the encoder writes.
    #[test]
    fn cached_line_starts_are_the_written_ones() {
        let mut names: Vec<&'static str> = (0..3 * SLOTS)
            .map(|i| &*Box::leak(format!("k{i}").into_boxed_str()))
            .collect();
        names.extend(["a b", "\"q\"", "", "x"]);
        for indent in [2, 4] {
            let options = EncodeOptions::new().with_indent(indent);
            let mut lines = KeyLines::take(indent);
            for _ in 0..6 {
                let mut cached = Encoder::new(String::new(), &options);
                let mut written = Encoder::new(String::new(), &options);
                for (i, name) in names.iter().enumerate() {
                    let depth = i % 5;
                    lines.write(&mut cached, name, depth);
                    written.start_line(depth);
                    written.key(name);
                }
                assert_eq!(cached.out, written.out);
            }
            lines.give_back();
        }
    }
}
