//! Finding rare bytes in a text fast: blocks of 64 bytes are tested without an early
//! exit (so the compiler can test many bytes at once), then the flagged block byte by
//! byte.

/// Bytes in a block.
const BLOCK: usize = 64;

/// The first position at or after `at` whose byte `rare` flags.
pub(crate) fn next_rare(bytes: &[u8], at: usize, rare: impl Fn(u8) -> bool) -> Option<usize> {
    let rest = bytes.get(at..)?;
    let block = rest
        .chunks(BLOCK)
        .position(|chunk| chunk.iter().fold(false, |any, &byte| any | rare(byte)))?;
    let start = at + block * BLOCK;
    bytes[start..]
        .iter()
        .position(|&byte| rare(byte))
        .map(|offset| start + offset)
}

/// The runs of bytes `rare` flags, as `(start, end)`: where a text is not plain.
pub(crate) fn rare_runs(
    bytes: &[u8],
    rare: impl Fn(u8) -> bool + Copy,
) -> impl Iterator<Item = (usize, usize)> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = next_rare(bytes, at, rare)?;
        let end = bytes[start..]
            .iter()
            .position(|&byte| !rare(byte))
            .map_or(bytes.len(), |offset| start + offset);
        at = end;
        Some((start, end))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_found_across_blocks() {
        let mut text = vec![b'a'; 300];
        text[5] = 0xC3;
        text[63] = 0xFF;
        text[64] = 0xFF;
        text[299] = 0x80;
        let runs: Vec<_> = rare_runs(&text, |byte| !byte.is_ascii()).collect();
        assert_eq!(runs, [(5, 6), (63, 65), (299, 300)]);
        assert_eq!(next_rare(&text, 300, |byte| !byte.is_ascii()), None);
        assert_eq!(rare_runs(b"plain", |byte| !byte.is_ascii()).count(), 0);
    }
}
