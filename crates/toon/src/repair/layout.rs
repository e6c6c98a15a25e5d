//! The layout pass of [`repair`](super::repair): indentation read as its writer meant
//! it. A model indents by 4 (or 3) spaces where 2 were declared, mixes in tabs, or sets a
//! line off the grid; this pass finds the unit the text uses, gives every line the depth
//! spec §14.4 gives it (tabs + spaces ÷ unit, rounded down), rewrites its indentation as
//! depth × the declared indent, and notes each change.

use super::Repair;

/// The text with regular indentation, and what was changed to get it.
pub(crate) struct Layout {
    /// The rewritten text; `None` when the input's indentation was already regular.
    pub(crate) text: Option<String>,
    /// Per line (index = line − 1): characters of indentation in the input, and spaces
    /// of indentation in `text`, to map columns back to the input.
    shifts: Vec<(usize, usize)>,
    /// What was changed, at input positions (line numbers of the text given).
    pub(crate) repairs: Vec<Repair>,
}

impl Layout {
    /// The layout of a text whose indentation is left as it is.
    pub(crate) fn unchanged() -> Self {
        Layout {
            text: None,
            shifts: Vec::new(),
            repairs: Vec::new(),
        }
    }

    /// The input column of `column` on 1-based `line` of the rewritten text.
    pub(crate) fn input_column(&self, line: usize, column: usize) -> usize {
        match self.shifts.get(line.wrapping_sub(1)) {
            Some(&(input, rewritten)) if column > rewritten => column - rewritten + input,
            _ => column,
        }
    }
}

/// One line's indentation: spaces and tabs before the content, and whether the line
/// has content at all.
struct Indent {
    spaces: usize,
    tabs: usize,
    blank: bool,
}

fn measure(line: &str) -> Indent {
    let mut spaces = 0;
    let mut tabs = 0;
    for b in line.bytes() {
        match b {
            b' ' => spaces += 1,
            b'\t' => tabs += 1,
            _ => break,
        }
    }
    let blank = line[spaces + tabs..]
        .trim_end_matches(['\r', ' ', '\t'])
        .is_empty();
    Indent {
        spaces,
        tabs,
        blank,
    }
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// Whether every line with content is indented by spaces only, in multiples of `indent`,
/// with `indent` itself the unit ([`layout`]'s rule): one pass, no allocation, so a valid
/// document costs a scan of its line starts.
fn is_regular(text: &str, indent: usize) -> bool {
    let bytes = text.as_bytes();
    let mut unit_gcd = 0;
    let mut start = 0;
    while start <= bytes.len() {
        let mut i = start;
        while bytes.get(i) == Some(&b' ') {
            i += 1;
        }
        let end = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |k| i + k);
        let spaces = i - start;
        let content = !text[i..end].trim_end_matches(['\r', ' ', '\t']).is_empty();
        if content {
            if bytes[i] == b'\t' || spaces % indent != 0 {
                return false;
            }
            if spaces > 0 {
                unit_gcd = gcd(unit_gcd, spaces);
            }
        }
        start = end + 1;
    }
    unit_gcd < 2 || unit_gcd == indent
}

/// Reads the indentation of `text`, whose header says `indent` spaces per level.
pub(crate) fn layout(text: &str, indent: usize) -> Layout {
    if is_regular(text, indent) {
        return Layout::unchanged();
    }
    let indents: Vec<Indent> = text.split('\n').map(measure).collect();
    // The unit the writer used: the greatest common divisor of the space-only
    // indentations. In valid TOON it is the declared indent (a line at depth 1 exists
    // before any deeper one); a larger one (4 or 3 where 2 was declared) is a consistent
    // other unit; 1 means lines off the grid, read with the declared unit.
    let unit_gcd = indents
        .iter()
        .filter(|i| !i.blank && i.tabs == 0 && i.spaces > 0)
        .fold(0, |g, i| gcd(g, i.spaces));
    let unit = if unit_gcd >= 2 { unit_gcd } else { indent };
    let regular = unit == indent
        && indents
            .iter()
            .all(|i| i.blank || (i.tabs == 0 && i.spaces % indent == 0));
    let mut layout = Layout::unchanged();
    if regular {
        return layout;
    }
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut unit_noted = false;
    let mut tab_lines = Vec::new();
    for (number, (line, measured)) in text.split('\n').zip(&indents).enumerate() {
        let number = number + 1;
        if number > 1 {
            out.push('\n');
        }
        let width = measured.spaces + measured.tabs;
        if measured.blank {
            layout.shifts.push((width, 0));
            continue;
        }
        let depth = measured.tabs + measured.spaces / unit;
        if measured.tabs > 0 {
            tab_lines.push(number);
        } else if measured.spaces % unit != 0 {
            layout.repairs.push(Repair {
                line: number,
                column: 1,
                found: format!(
                    "indentation of {} spaces is not a multiple of {unit}",
                    measured.spaces
                ),
                done: format!("read the line at depth {depth}"),
            });
        } else if unit != indent && measured.spaces > 0 && !unit_noted {
            unit_noted = true;
            layout.repairs.push(Repair {
                line: number,
                column: 1,
                found: format!(
                    "indentation of {unit} spaces per level where {indent} were declared"
                ),
                done: format!("read every line with {unit} spaces per level"),
            });
        }
        let rewritten = depth * indent;
        out.extend(std::iter::repeat_n(' ', rewritten));
        out.push_str(&line[width..]);
        layout.shifts.push((width, rewritten));
    }
    if let Some(&first) = tab_lines.first() {
        layout.repairs.push(Repair {
            line: first,
            column: 1,
            found: format!(
                "tabs in the indentation of {} line{}",
                tab_lines.len(),
                if tab_lines.len() == 1 { "" } else { "s" }
            ),
            done: "read each tab as one level".to_owned(),
        });
    }
    layout.text = Some(out);
    layout
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_text_is_left_alone() {
        let layout = layout("a:\n  b: 1\n    \n  c[2]: x,y", 2);
        assert!(layout.text.is_none());
        assert!(layout.repairs.is_empty());
    }

    #[test]
    fn four_spaces_per_level_become_two() {
        let layout = layout("a:\n    b:\n        c: 1\n    d: 2", 2);
        assert_eq!(layout.text.as_deref(), Some("a:\n  b:\n    c: 1\n  d: 2"));
        assert_eq!(layout.repairs.len(), 1);
        assert_eq!(layout.repairs[0].line, 2);
        assert_eq!(layout.input_column(3, 5), 9);
    }

    #[test]
    fn tabs_and_stray_lines_are_noted() {
        let layout = layout("a:\n\tb:\n     c: 1\n  d: 2", 2);
        assert_eq!(layout.text.as_deref(), Some("a:\n  b:\n    c: 1\n  d: 2"));
        let found: Vec<&str> = layout.repairs.iter().map(|r| r.found.as_str()).collect();
        assert_eq!(
            found,
            [
                "indentation of 5 spaces is not a multiple of 2",
                "tabs in the indentation of 1 line"
            ]
        );
        assert_eq!(layout.input_column(3, 5), 6);
    }
}
