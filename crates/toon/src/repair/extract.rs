//! Finding the TOON in a model's reply: the body of a ```` ```toon ```` fence, else of an
//! unlabeled fence whose body decodes, else the reply without the prose lines before and
//! after the document.

use crate::options::DecodeOptions;

/// The TOON part of a reply, and where it starts in the reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted<'a> {
    /// The document's text.
    pub text: &'a str,
    /// 1-based line of the reply on which `text` starts.
    pub first_line: usize,
    /// How it was found.
    pub found_in: FoundIn,
    /// Whether the reply goes on after the document (a closing fence, prose after it):
    /// then the document arrived whole, and a short array is a miscount, not a cut.
    pub whole: bool,
}

/// Where [`extract`] found the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoundIn {
    /// A code fence labeled `toon`, or the fence asked for by number.
    Fence,
    /// An unlabeled code fence whose body decodes.
    UnlabeledFence,
    /// The reply itself, without leading and trailing prose lines.
    Reply,
}

impl FoundIn {
    /// The one spelling every front-end shows: `fence`, `unlabeled_fence`, `reply`.
    pub const fn as_str(self) -> &'static str {
        match self {
            FoundIn::Fence => "fence",
            FoundIn::UnlabeledFence => "unlabeled_fence",
            FoundIn::Reply => "reply",
        }
    }
}

/// One code fence: its label and its body (to the end of the reply when unclosed).
struct Fence<'a> {
    label: &'a str,
    body: &'a str,
    first_line: usize,
    closed: bool,
}

/// The code fences of `reply`, in order. A fence opens with a line of three or more
/// backticks or tildes (after at most three spaces) and closes with a line of at least
/// as many of the same character and nothing else; an unclosed fence runs to the end.
fn fences(reply: &str) -> Vec<Fence<'_>> {
    let mut found = Vec::new();
    let bytes = reply.as_bytes();
    let has_fence = memchr::memchr2_iter(b'`', b'~', bytes)
        .any(|i| bytes.get(i + 1) == Some(&bytes[i]) && bytes.get(i + 2) == Some(&bytes[i]));
    if !has_fence {
        return found;
    }
    let mut open: Option<(u8, usize, &str, usize, usize)> = None; // char, run, label, body start, line
    let mut offset = 0;
    for (index, raw) in reply.split('\n').enumerate() {
        let line_start = offset;
        offset += raw.len() + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let trimmed = line.trim_start_matches(' ');
        if line.len() - trimmed.len() > 3 {
            continue;
        }
        let Some(&mark) = trimmed
            .as_bytes()
            .first()
            .filter(|b| matches!(b, b'`' | b'~'))
        else {
            continue;
        };
        let run = trimmed.bytes().take_while(|&b| b == mark).count();
        if run < 3 {
            continue;
        }
        match open {
            None => {
                let label = trimmed[run..].trim();
                open = Some((mark, run, label, offset.min(reply.len()), index + 2));
            }
            Some((open_mark, open_run, label, start, first_line))
                if open_mark == mark && run >= open_run && trimmed[run..].trim().is_empty() =>
            {
                found.push(Fence {
                    label,
                    body: &reply[start..line_start.max(start)],
                    first_line,
                    closed: true,
                });
                open = None;
            }
            Some(_) => {}
        }
    }
    if let Some((_, _, label, start, first_line)) = open {
        found.push(Fence {
            label,
            body: &reply[start.min(reply.len())..],
            first_line,
            closed: false,
        });
    }
    found
}

/// Whether `line` (unindented) reads as TOON rather than prose: a list item, a keyless
/// header, a quoted key or string, or `key:` / `key[N]…:` where the key has no spaces
/// (prose such as `Here is the data:` has them).
fn looks_like_toon(line: &str) -> bool {
    let line = line.trim_end_matches(['\r', ' ']);
    let Some(first) = line.bytes().next() else {
        return false;
    };
    if matches!(first, b'-' | b'[' | b'"') {
        return true;
    }
    match line.find([':', '[']) {
        Some(key_end) => key_end > 0 && !line[..key_end].contains([' ', '\t']),
        None => false,
    }
}

/// The reply without the prose lines before the first line that reads as TOON and the
/// unindented prose lines after the document (blank lines between them go too), its
/// first line's number, and whether prose followed it. Reads only the lines it strips
/// and one more at each end.
fn strip_prose(reply: &str) -> (&str, usize, bool) {
    let bytes = reply.as_bytes();
    let line_end =
        |from: usize| memchr::memchr(b'\n', &bytes[from..]).map_or(bytes.len(), |i| from + i);
    let mut start = 0;
    let mut first_line = 1;
    while !looks_like_toon(&reply[start..line_end(start)]) {
        let end = line_end(start);
        if end == bytes.len() {
            return (reply, 1, false);
        }
        start = end + 1;
        first_line += 1;
    }
    // From the end: skip blank lines, drop unindented prose lines, stop at the first
    // other line (never the document's first line).
    let mut cursor = bytes.len();
    let mut prose_after = false;
    loop {
        let line_start =
            memchr::memrchr(b'\n', &bytes[start..cursor]).map_or(start, |i| start + i + 1);
        if line_start == start {
            break;
        }
        let line = &reply[line_start..cursor];
        let blank = line.trim_end_matches(['\r', ' ', '\t']).is_empty();
        if !blank && (line.starts_with([' ', '\t']) || looks_like_toon(line)) {
            break;
        }
        prose_after |= !blank;
        cursor = line_start - 1;
    }
    // With prose after it, the document ends with its last line's line break.
    let end = if prose_after { cursor + 1 } else { bytes.len() };
    (&reply[start..end.min(bytes.len())], first_line, prose_after)
}

/// Finds the TOON document in a model's `reply`.
///
/// With `fence: Some(n)`, the body of the n-th code fence (0-based) whatever its label;
/// without, the first fence labeled `toon`, else the first unlabeled fence whose body
/// decodes (non-strict), else the reply without its leading and trailing prose lines.
/// An unclosed fence (a reply cut off inside it) runs to the end of the reply.
///
/// ```
/// let reply = "Here are the users:\n```toon\nusers[1]{id}:\n  1\n```\nAnything else?";
/// let found = toon::extract(reply, None);
/// assert_eq!(found.text, "users[1]{id}:\n  1\n");
/// assert_eq!(found.first_line, 3);
/// ```
pub fn extract(reply: &str, fence: Option<usize>) -> Extracted<'_> {
    let fences = fences(reply);
    let chosen = match fence {
        Some(n) => fences.get(n).map(|f| (f, FoundIn::Fence)),
        None => fences
            .iter()
            .find(|f| f.label.eq_ignore_ascii_case("toon"))
            .map(|f| (f, FoundIn::Fence))
            .or_else(|| {
                let lenient = DecodeOptions::new().with_strict(false);
                fences
                    .iter()
                    .find(|f| f.label.is_empty() && crate::decode(f.body, &lenient).is_ok())
                    .map(|f| (f, FoundIn::UnlabeledFence))
            }),
    };
    match chosen {
        Some((f, found_in)) => Extracted {
            text: f.body,
            first_line: f.first_line,
            found_in,
            whole: f.closed,
        },
        None => {
            let (text, first_line, whole) = strip_prose(reply);
            Extracted {
                text,
                first_line,
                found_in: FoundIn::Reply,
                whole,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labeled_fence_wins_over_earlier_fences() {
        let reply = "```python\nprint(1)\n```\n\n```toon\na: 1\n```\n";
        let found = extract(reply, None);
        assert_eq!(
            (found.text, found.first_line, found.found_in),
            ("a: 1\n", 6, FoundIn::Fence)
        );
        assert_eq!(extract(reply, Some(0)).text, "print(1)\n");
    }

    #[test]
    fn unlabeled_fence_must_decode() {
        let reply = "```\nnot: [valid\n  - x\n```\n```\nb: 2\n```";
        let found = extract(reply, None);
        assert_eq!(found.found_in, FoundIn::UnlabeledFence);
        assert_eq!(found.text, "b: 2\n");
    }

    #[test]
    fn keys_without_spaces_are_toon_and_sentences_are_not() {
        for line in [
            "a: 1",
            "é: 1",
            "123: x",
            "users[2]: a,b",
            "- x",
            "[2]: 1,2",
            "\"k k\": 1",
        ] {
            assert!(looks_like_toon(line), "{line}");
        }
        for line in ["Here is the data:", "Sure!", "", ": x", "Note that a: b"] {
            assert!(!looks_like_toon(line), "{line}");
        }
    }

    #[test]
    fn unclosed_fence_runs_to_the_end() {
        let found = extract("Sure:\n```toon\nrows[3]{a}:\n  1\n  2", None);
        assert_eq!(found.text, "rows[3]{a}:\n  1\n  2");
        assert_eq!(found.first_line, 3);
        assert!(!found.whole);
    }

    #[test]
    fn prose_before_and_after_is_dropped() {
        let reply = "Here is the data you asked for:\n\nusers[2]: a,b\nmeta:\n  n: 2\n\nLet me know if you need more.\n";
        let found = extract(reply, None);
        assert_eq!(found.text, "users[2]: a,b\nmeta:\n  n: 2\n");
        assert_eq!((found.first_line, found.found_in), (3, FoundIn::Reply));
        assert!(found.whole);
        assert!(!extract("users[2]: a,b\n", None).whole);
    }
}
