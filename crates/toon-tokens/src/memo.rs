//! The piece memos: piece bytes → token count, so a piece seen before costs one probe
//! instead of a vocabulary lookup and a merge. [`ShortMemo`] keys pieces of up to 16
//! bytes by their bytes as two words (nearly every piece), [`PieceMemo`] longer ones by
//! a hash with the bytes in an arena. Both are open-addressing tables, bounded (they
//! start over when full) and never shared between threads.

use super::hash::hash_bytes;

/// Longer pieces are not remembered (they rarely repeat, and would crowd the arena).
pub(crate) const MAX_PIECE: usize = 64;
/// Pieces up to this long go to the [`ShortMemo`].
pub(crate) const MAX_SHORT: usize = super::hash::TWO_WORDS;
const MIN_SLOTS: usize = 1 << 8;
const MAX_SLOTS: usize = 1 << 16;
const MAX_ARENA: usize = 1 << 20;

/// Slot layout: arena offset (bits 0–19), length (20–26), token count (27–33), hash tag
/// (34–63). A stored piece has 2 bytes or more, so a used slot is never 0.
const OFFSET_MASK: u64 = (1 << 20) - 1;
const LEN_SHIFT: u32 = 20;
const COUNT_SHIFT: u32 = 27;
const TAG_SHIFT: u32 = 34;

/// A bounded map from short pieces to their token counts.
#[derive(Debug)]
pub(crate) struct PieceMemo {
    slots: Vec<u64>,
    arena: Vec<u8>,
    entries: usize,
}

impl Default for PieceMemo {
    fn default() -> PieceMemo {
        PieceMemo {
            slots: vec![0; MIN_SLOTS],
            arena: Vec::new(),
            entries: 0,
        }
    }
}

impl PieceMemo {
    /// The count remembered for `piece` (whose [`hash_bytes`] is `hash`).
    #[inline]
    pub(crate) fn get(&self, piece: &[u8], hash: u64) -> Option<usize> {
        let mask = self.slots.len() - 1;
        let tag = hash >> TAG_SHIFT;
        let mut index = hash as usize & mask;
        loop {
            let slot = self.slots[index];
            if slot == 0 {
                return None;
            }
            if slot >> TAG_SHIFT == tag && (slot >> LEN_SHIFT) as usize & 0x7F == piece.len() {
                let offset = (slot & OFFSET_MASK) as usize;
                if self.arena[offset..offset + piece.len()] == *piece {
                    return Some((slot >> COUNT_SHIFT) as usize & 0x7F);
                }
            }
            index = (index + 1) & mask;
        }
    }

    /// Remembers that `piece` (2 to [`MAX_PIECE`] bytes, hash `hash`, not yet present)
    /// is `count` tokens.
    #[inline]
    pub(crate) fn insert(&mut self, piece: &[u8], hash: u64, count: usize) {
        if piece.len() < 2 || piece.len() > MAX_PIECE {
            return;
        }
        if (self.entries + 1) * 2 > self.slots.len() {
            if self.slots.len() < MAX_SLOTS {
                self.grow();
            } else {
                self.clear();
            }
        }
        if self.arena.len() + piece.len() > MAX_ARENA {
            self.clear();
        }
        let offset = self.arena.len();
        self.arena.extend_from_slice(piece);
        let slot = offset as u64
            | (piece.len() as u64) << LEN_SHIFT
            | (count as u64) << COUNT_SHIFT
            | (hash >> TAG_SHIFT) << TAG_SHIFT;
        self.place(slot, hash);
        self.entries += 1;
    }

    fn place(&mut self, slot: u64, hash: u64) {
        let mask = self.slots.len() - 1;
        let mut index = hash as usize & mask;
        while self.slots[index] != 0 {
            index = (index + 1) & mask;
        }
        self.slots[index] = slot;
    }

    fn grow(&mut self) {
        let doubled = vec![0; self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, doubled);
        for slot in old.into_iter().filter(|&slot| slot != 0) {
            let offset = (slot & OFFSET_MASK) as usize;
            let len = (slot >> LEN_SHIFT) as usize & 0x7F;
            let hash = hash_bytes(&self.arena[offset..offset + len]);
            self.place(slot, hash);
        }
    }

    /// Forgets everything, keeping the allocations.
    pub(crate) fn clear(&mut self) {
        self.slots.fill(0);
        self.arena.clear();
        self.entries = 0;
    }

    /// Pieces remembered.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries
    }
}

/// The key of a [`ShortMemo`]: a piece's bytes as one word (up to 8 bytes) or two.
pub(crate) trait ShortKey: Copy + Eq + Default {
    /// A well-mixed 64-bit value of the key.
    fn mix(self) -> u64;
}

impl ShortKey for u64 {
    #[inline(always)]
    fn mix(self) -> u64 {
        self.wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }
}

impl ShortKey for (u64, u64) {
    #[inline(always)]
    fn mix(self) -> u64 {
        (self.0 ^ self.1.rotate_left(29)).wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }
}

/// One [`ShortMemo`] entry: the key, and the piece's length and token count.
#[derive(Debug, Clone, Copy, Default)]
struct Short<K> {
    key: K,
    /// `len | count << 8`; 0 marks an empty entry.
    meta: u32,
}

/// Initial size: 2,048 one-word entries (32 KiB); two-word keys are rarer, 256 of them.
const fn short_min_bits(key_bytes: usize) -> u32 {
    if key_bytes <= 8 { 11 } else { 8 }
}
const SHORT_MAX_BITS: u32 = 16;
/// [`ShortMemo::reserve`] stops at 16,384 entries (256 KiB of one-word keys); beyond
/// that the table grows as pieces arrive.
const SHORT_RESERVE_MAX_BITS: u32 = 14;

/// A bounded map from pieces of 2 to [`MAX_SHORT`] bytes, keyed by their bytes
/// ([`load_words`](super::hash::load_words)) and length, to their token counts. With
/// one-word keys (pieces up to 8 bytes, nearly all of them) an entry is 16 bytes, and
/// the table starts at 32 KiB, the size of a core's L1 data cache.
#[derive(Debug)]
pub(crate) struct ShortMemo<K> {
    entries: Vec<Short<K>>,
    bits: u32,
    used: usize,
}

impl<K: ShortKey> Default for ShortMemo<K> {
    fn default() -> ShortMemo<K> {
        ShortMemo {
            entries: vec![Short::default(); 1 << short_min_bits(size_of::<K>())],
            bits: short_min_bits(size_of::<K>()),
            used: 0,
        }
    }
}

impl<K: ShortKey> ShortMemo<K> {
    #[inline(always)]
    fn index(&self, key: K, len: usize) -> usize {
        let mixed = key.mix() ^ (len as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
        (mixed >> (64 - self.bits)) as usize
    }

    /// The count remembered for the `len`-byte piece with key `key`.
    #[inline(always)]
    pub(crate) fn get(&self, key: K, len: usize) -> Option<usize> {
        let mask = self.entries.len() - 1;
        let mut index = self.index(key, len);
        loop {
            let entry = self.entries[index];
            if entry.meta == 0 {
                return None;
            }
            if entry.key == key && entry.meta as usize & 0xFF == len {
                return Some((entry.meta >> 8) as usize);
            }
            index = (index + 1) & mask;
        }
    }

    /// Remembers that the piece (not yet present) is `count` tokens.
    #[inline]
    pub(crate) fn insert(&mut self, key: K, len: usize, count: usize) {
        debug_assert!((2..=MAX_SHORT).contains(&len) && count <= len);
        if (self.used + 1) * 2 > self.entries.len() {
            if self.bits < SHORT_MAX_BITS {
                self.grow();
            } else {
                self.entries.fill(Short::default());
                self.used = 0;
            }
        }
        self.place(Short {
            key,
            meta: len as u32 | (count as u32) << 8,
        });
        self.used += 1;
    }

    fn place(&mut self, entry: Short<K>) {
        let mask = self.entries.len() - 1;
        let mut index = self.index(entry.key, entry.meta as usize & 0xFF);
        while self.entries[index].meta != 0 {
            index = (index + 1) & mask;
        }
        self.entries[index] = entry;
    }

    /// Makes room for `entries` pieces at once (up to [`SHORT_RESERVE_MAX_BITS`] bits),
    /// so a long text does not pay for a chain of doublings, each rehashing the table
    /// and touching new pages.
    pub(crate) fn reserve(&mut self, entries: usize) {
        let wanted = entries
            .saturating_mul(2)
            .checked_next_power_of_two()
            .map_or(usize::BITS, usize::trailing_zeros);
        let bits = wanted.min(SHORT_RESERVE_MAX_BITS);
        if bits > self.bits {
            self.resize(bits);
        }
    }

    fn grow(&mut self) {
        self.resize(self.bits + 1);
    }

    fn resize(&mut self, bits: u32) {
        self.bits = bits;
        let larger = vec![Short::default(); 1 << bits];
        let old = std::mem::replace(&mut self.entries, larger);
        for entry in old.into_iter().filter(|entry| entry.meta != 0) {
            self.place(entry);
        }
    }

    /// Pieces remembered.
    pub(crate) fn len(&self) -> usize {
        self.used
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_grows_and_starts_over() {
        let mut memo = PieceMemo::default();
        let keys: Vec<String> = (0..100_000).map(|i| format!("piece{i}")).collect();
        for (i, key) in keys.iter().enumerate() {
            let hash = hash_bytes(key.as_bytes());
            assert_eq!(memo.get(key.as_bytes(), hash), None);
            memo.insert(key.as_bytes(), hash, i % 60 + 1);
            assert_eq!(memo.get(key.as_bytes(), hash), Some(i % 60 + 1));
            assert!(memo.len() <= MAX_SLOTS / 2);
        }
        // The most recent keys survive the resets.
        let last = keys.last().unwrap().as_bytes();
        assert_eq!(memo.get(last, hash_bytes(last)), Some(99_999 % 60 + 1));
        let long = [b'x'; MAX_PIECE + 1];
        memo.insert(&long, hash_bytes(&long), 3);
        assert_eq!(memo.get(&long, hash_bytes(&long)), None);
    }

    #[test]
    fn short_memo_keys_by_bytes_and_length() {
        use super::super::hash::load_words;
        let mut memo = ShortMemo::<u64>::default();
        let text = b"ab\0ab\0\0cdefghijklmnopqrstuvwxyz";
        let (low, _) = load_words(text, 0, 2);
        memo.insert(low, 2, 1);
        let (low3, _) = load_words(text, 0, 3); // "ab\0": same word, longer
        assert_eq!(low3, low);
        assert_eq!(memo.get(low3, 3), None);
        assert_eq!(memo.get(low, 2), Some(1));
        let mut wide = ShortMemo::<(u64, u64)>::default();
        let key = load_words(text, 7, 16);
        assert_eq!(key, load_words(&text[7..23], 0, 16));
        wide.insert(key, 16, 5);
        assert_eq!(wide.get(key, 16), Some(5));
        for i in 0..200_000u64 {
            memo.insert(i << 8, 9, 2);
            assert!(memo.len() <= 1 << (SHORT_MAX_BITS - 1));
        }
        assert_eq!(memo.get(199_999 << 8, 9), Some(2));
    }

    #[test]
    fn reserving_keeps_entries_and_is_bounded() {
        let mut memo = ShortMemo::<u64>::default();
        for i in 1..=500u64 {
            memo.insert(i, 4, (i % 4) as usize);
        }
        let bits = memo.bits;
        memo.reserve(100); // already room: nothing changes
        assert_eq!(memo.bits, bits);
        memo.reserve(5_000);
        assert_eq!(memo.entries.len(), 16_384);
        memo.reserve(usize::MAX);
        assert_eq!(memo.bits, SHORT_RESERVE_MAX_BITS);
        assert_eq!(memo.len(), 500);
        for i in 1..=500u64 {
            assert_eq!(memo.get(i, 4), Some((i % 4) as usize));
            assert_eq!(memo.get(i, 5), None);
        }
    }
}
