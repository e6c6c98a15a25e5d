//! DeepSeek V3's pre-tokenizer, where the `tiktoken` crate's single pattern cuts text
//! differently from DeepSeek's own `tokenizer.json` (a sequence of isolating splits:
//! digits, then CJK and kana runs, then the main pattern, with text that no split
//! matches left as one piece).
//!
//! Two places differ, both found by the vendor test (bindings/python/tests/
//! test_vendor_tokens.py): the crate lets a letter run carry on into CJK or kana
//! (`x乧a`), where DeepSeek has cut the CJK run out first; and the crate ends its pattern
//! with a one-character catch-all, where DeepSeek keeps a run of characters no split
//! matches (controls, format characters, private-use and unassigned code points) as one
//! piece and byte-pair merges across it (`\u{200d}\u{200d}` is one token). So the text
//! is cut at every CJK run's edges, and each such run of two or more characters is
//! merged here, by rank, from the vocabulary the crate decodes; the rest is the crate's
//! (with a space run before such a piece cut before its last space, as DeepSeek's
//! `\s+(?!\S)` cuts it).

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::scan;

/// DeepSeek's CJK and kana split (`[一-龥\u3040-ゟ゠-ヿ]+`).
const CJK: &str = r"[\x{4E00}-\x{9FA5}\x{3040}-\x{309F}\x{30A0}-\x{30FF}]+";

/// Characters no split of DeepSeek's matches on their own.
const UNMATCHED: &str = r"[^\p{L}\p{M}\p{N}\p{P}\p{S}\s]+";

/// Either kind of span the crate cuts differently.
static SPANS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("{CJK}|{UNMATCHED}")).expect("a valid pattern"));

/// A part of the text, counted one way or the other.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Segment<'t> {
    /// Text the crate pre-tokenizes as DeepSeek does.
    Crate(&'t str),
    /// One piece, merged from bytes by rank.
    Piece(&'t str),
}

/// `text` cut where the crate's pieces would cross DeepSeek's, or `None` when nothing
/// needs cutting (the common case: one scan, no allocation).
pub(crate) fn segments(text: &str) -> Option<Vec<Segment<'_>>> {
    // Printable ASCII and ASCII whitespace hold no CJK and nothing unmatched, so the
    // pattern runs only on the islands between them.
    let plain = |byte: u8| (0x20..0x7F).contains(&byte) || (b'\t'..=b'\r').contains(&byte);
    let mut found = Vec::new();
    for (start, end) in scan::rare_runs(text.as_bytes(), |byte| !plain(byte)) {
        found.extend(
            SPANS
                .find_iter(&text[start..end])
                .map(|span| (start + span.start(), start + span.end())),
        );
    }
    if found.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    let mut at = 0;
    for (start, mut end) in found {
        let unmatched = !text[start..].starts_with(|c: char| is_cjk(c));
        if unmatched {
            // The last such character before a letter or mark starts that letter run
            // (not before CJK: DeepSeek has cut CJK runs out first).
            let next = text[end..].chars().next();
            if next.is_some_and(|c| (c.is_alphabetic() || is_mark(c)) && !is_cjk(c)) {
                end = text[start..end]
                    .char_indices()
                    .last()
                    .map_or(end, |(offset, _)| start + offset);
            }
            if text[start..end].chars().nth(1).is_none() {
                continue; // one character: the crate cuts it the same way
            }
        }
        if at < start {
            let before = &text[at..start];
            // Spaces before a piece: DeepSeek's `\s+(?!\S)` leaves the last one on its
            // own, which the crate, seeing the text end there, would not.
            match before.chars().next_back() {
                Some(last)
                    if unmatched
                        && last.is_whitespace()
                        && last != '\n'
                        && last != '\r'
                        && before.len() > last.len_utf8() =>
                {
                    let cut = before.len() - last.len_utf8();
                    out.push(Segment::Crate(&before[..cut]));
                    out.push(Segment::Crate(&before[cut..]));
                }
                _ => out.push(Segment::Crate(before)),
            }
        }
        out.push(if unmatched {
            Segment::Piece(&text[start..end])
        } else {
            Segment::Crate(&text[start..end])
        });
        at = end;
    }
    if at < text.len() {
        out.push(Segment::Crate(&text[at..]));
    }
    Some(out)
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FA5}' | '\u{3040}'..='\u{30FF}')
}

fn is_mark(c: char) -> bool {
    static MARK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\p{M}").expect("valid"));
    let mut buffer = [0; 4];
    MARK.is_match(c.encode_utf8(&mut buffer))
}

/// The ranks of `piece`'s bytes merged as byte-pair encoding does: the adjacent pair
/// whose joined bytes have the lowest rank first, leftmost on ties, until none joins.
pub(crate) fn merge(piece: &[u8], ranks: &HashMap<Vec<u8>, u32>) -> Vec<u32> {
    let mut parts: Vec<&[u8]> = (0..piece.len()).map(|at| &piece[at..at + 1]).collect();
    loop {
        let mut best: Option<(u32, usize)> = None;
        for index in 0..parts.len().saturating_sub(1) {
            let joined_len = parts[index].len() + parts[index + 1].len();
            let start = parts[index].as_ptr() as usize - piece.as_ptr() as usize;
            if let Some(&rank) = ranks.get(&piece[start..start + joined_len])
                && best.is_none_or(|(least, _)| rank < least)
            {
                best = Some((rank, index));
            }
        }
        let Some((_, index)) = best else {
            break;
        };
        let start = parts[index].as_ptr() as usize - piece.as_ptr() as usize;
        let len = parts[index].len() + parts[index + 1].len();
        parts[index] = &piece[start..start + len];
        parts.remove(index + 1);
    }
    parts
        .iter()
        .map(|part| ranks.get(*part).copied().expect("every byte is a token"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_spans_the_crate_cuts_differently_are_segmented() {
        assert_eq!(segments("plain text, 123 and more"), None);
        assert_eq!(
            segments("x乧a"),
            Some(vec![
                Segment::Crate("x"),
                Segment::Crate("乧"),
                Segment::Crate("a")
            ])
        );
        assert_eq!(
            segments("a\u{200d}\u{200d} b"),
            Some(vec![
                Segment::Crate("a"),
                Segment::Piece("\u{200d}\u{200d}"),
                Segment::Crate(" b")
            ])
        );
        // Before CJK, the whole run is a piece; spaces before it keep the last apart.
        assert_eq!(
            segments("  \u{200d}\u{200d}日"),
            Some(vec![
                Segment::Crate(" "),
                Segment::Crate(" "),
                Segment::Piece("\u{200d}\u{200d}"),
                Segment::Crate("日")
            ])
        );
        // Before a letter, the last one starts the letter run: one left, nothing cut.
        assert_eq!(
            segments("\u{200d}\u{200d}b"),
            Some(vec![Segment::Crate("\u{200d}\u{200d}b")])
        );
    }
}
