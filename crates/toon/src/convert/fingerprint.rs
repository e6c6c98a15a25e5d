//! `StableHasher`: the one hash converters fingerprint their options with, the same on
//! every platform, build and run (unlike std's `DefaultHasher`), so a cache key made from
//! it can be shared between processes.

use std::hash::Hasher;

/// 64-bit FNV-1a. Integers are hashed as their little-endian bytes whatever the
/// platform, so `write_usize(3)` gives the same key on 32- and 64-bit machines.
///
/// ```
/// use std::hash::Hasher;
/// use toon::convert::StableHasher;
///
/// let mut hasher = StableHasher::new();
/// hasher.write_u64(2);
/// hasher.write_u8(u8::from(true));
/// let key = hasher.finish();
///
/// let mut again = StableHasher::new();
/// again.write_u64(2);
/// again.write_u8(1);
/// assert_eq!(again.finish(), key);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct StableHasher(u64);

impl StableHasher {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;

    /// A hasher that has seen nothing.
    pub const fn new() -> Self {
        StableHasher(Self::OFFSET_BASIS)
    }

    /// The hash of `parts`, each written as a little-endian `u64`.
    pub fn of_u64s(parts: &[u64]) -> u64 {
        let mut hasher = StableHasher::new();
        for &part in parts {
            hasher.write_u64(part);
        }
        hasher.finish()
    }
}

impl Default for StableHasher {
    fn default() -> Self {
        StableHasher::new()
    }
}

impl Hasher for StableHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }

    fn write_u16(&mut self, value: u16) {
        self.write(&value.to_le_bytes());
    }

    fn write_u32(&mut self, value: u32) {
        self.write(&value.to_le_bytes());
    }

    fn write_u64(&mut self, value: u64) {
        self.write(&value.to_le_bytes());
    }

    fn write_usize(&mut self, value: usize) {
        self.write_u64(value as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use std::hash::Hasher;

    use super::StableHasher;

    /// The published FNV-1a 64 test vectors: the empty input and "a".
    #[test]
    fn matches_fnv1a_test_vectors() {
        assert_eq!(StableHasher::new().finish(), 0xcbf2_9ce4_8422_2325);
        let mut hasher = StableHasher::new();
        hasher.write(b"a");
        assert_eq!(hasher.finish(), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn integers_hash_as_little_endian_bytes() {
        let mut by_bytes = StableHasher::new();
        by_bytes.write(&7u64.to_le_bytes());
        let mut by_usize = StableHasher::new();
        by_usize.write_usize(7);
        assert_eq!(by_bytes.finish(), by_usize.finish());
        assert_eq!(StableHasher::of_u64s(&[7]), by_usize.finish());
        assert_ne!(StableHasher::of_u64s(&[7]), StableHasher::of_u64s(&[8]));
    }
}
