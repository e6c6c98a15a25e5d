//! TOON fitted to a token budget: the longest arrays keep their first rows.
//!
//! One encode of the whole value and one count of each of its lines give every row's
//! tokens (a line's tokens do not depend on its neighbours: the pre-tokenizers of the
//! OpenAI encodings never join text across a line break that starts a TOON line). A
//! binary search then finds the largest number of rows every cut array may keep that
//! fits, arrays are topped up one row each in document order while they fit, and the
//! text is spliced from the lines and counted once, exactly; the rare miss of the
//! line sum (an encoding whose pieces do cross line breaks) gives back one row at a time.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use toon::{EncodeOptions, Value};
use toon_tokens::{LimitedCount, TokenCounter};

use crate::PromptError;

/// An array that lost rows to the budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cut {
    /// Its path (`users`, `data.items`; empty for the root array).
    pub path: String,
    /// How many rows (or values, for an inline array of primitives) it has.
    pub rows: usize,
    /// How many of its first rows were kept.
    pub kept: usize,
}

impl fmt::Display for Cut {
    /// `users: 1000 rows, 120 kept` (the root array is `root`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "root"
        } else {
            &self.path
        };
        write!(f, "{path}: {} rows, {} kept", self.rows, self.kept)
    }
}

/// TOON that fits a token budget, its exact tokens, and what was cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fitted {
    /// The TOON text (no final newline).
    pub text: String,
    /// Its exact token count, at most the budget.
    pub tokens: usize,
    /// The arrays that lost rows, in document order (empty when everything fitted).
    pub cuts: Vec<Cut>,
}

/// The TOON of `value` in at most `max_tokens` tokens of `counter`'s encoding.
///
/// Arrays reached from the root through objects only (and the root array) may be cut:
/// each keeps its first rows, the same number for every cut array as far as the budget
/// allows (shorter arrays keep all theirs), then one more row each in document order,
/// round after round, while any still fits (so an array of short rows may keep more
/// than one of long rows). A cut array declares the rows it shows (`users[120]{id,name}:`), and a
/// comment line under its header says how many there were (`# 1000 rows, first 120
/// shown`), so the text decodes to the value with the arrays shortened. Rows are whole:
/// a row's nested arrays are never cut.
///
/// ```
/// use toon_prompt::fit_to_budget;
/// use toon_tokens::TokenCounter;
///
/// let rows: Vec<serde_json::Value> =
///     (1..=100).map(|id| serde_json::json!({"id": id, "name": format!("user {id}")})).collect();
/// let value: toon::Value = serde_json::json!({"users": rows}).into();
/// let counter = TokenCounter::default();
/// let fitted = fit_to_budget(&value, 60, &counter, &toon::EncodeOptions::default())?;
/// assert_eq!(fitted.tokens, 60);
/// assert!(fitted.text.starts_with("users[6]{id,name}:\n  # 100 rows, first 6 shown\n  1,user 1\n"));
/// assert_eq!(fitted.cuts[0].to_string(), "users: 100 rows, 6 kept");
/// # Ok::<(), toon_prompt::PromptError>(())
/// ```
pub fn fit_to_budget(
    value: &Value<'_>,
    max_tokens: usize,
    counter: &TokenCounter,
    options: &EncodeOptions,
) -> Result<Fitted, PromptError> {
    let text = toon::encode(value, options)?;
    let layout = Layout::of(&text, value, options);
    let line_tokens = counter.count_lines(&text);
    let mut plan = Plan::new(&layout, &line_tokens, counter);

    let everything: Vec<usize> = layout.blocks.iter().map(|block| block.len).collect();
    if plan.tokens(&everything) <= max_tokens
        && let LimitedCount::Exact(tokens) = counter.count_limited(&text, max_tokens)
    {
        return Ok(Fitted {
            text,
            tokens,
            cuts: Vec::new(),
        });
    }

    let mut kept = plan.fit(max_tokens)?;
    loop {
        let fitted = layout.splice(&kept);
        match counter.count_limited(&fitted, max_tokens) {
            LimitedCount::Exact(tokens) => {
                let cuts = layout
                    .blocks
                    .iter()
                    .zip(&kept)
                    .filter(|(block, kept)| **kept < block.len)
                    .map(|(block, &kept)| Cut {
                        path: block.path.clone(),
                        rows: block.len,
                        kept,
                    })
                    .collect();
                return Ok(Fitted {
                    text: fitted,
                    tokens,
                    cuts,
                });
            }
            LimitedCount::MoreThan(_) => {
                // The line sum was short of the whole (pieces across a line break): give
                // back a row of the array that keeps the most.
                let Some(most) = (0..kept.len())
                    .filter(|&block| kept[block] > 0)
                    .max_by_key(|&block| (kept[block], std::cmp::Reverse(block)))
                else {
                    return Err(PromptError::SkeletonTooLarge {
                        skeleton_tokens: counter.count(&fitted),
                        max_tokens,
                    });
                };
                kept[most] -= 1;
            }
        }
    }
}

/// Where the cuttable arrays sit in the encoded text.
#[derive(Debug)]
struct Layout<'t> {
    /// The text's lines, without their `\n`.
    lines: Vec<&'t str>,
    /// The cuttable arrays, in document order.
    blocks: Vec<Block>,
    /// Spaces per indentation level.
    indent: usize,
    /// The delimiter of inline arrays.
    delimiter: char,
}

/// A cuttable array in the encoded text.
#[derive(Debug)]
struct Block {
    path: String,
    /// The line of its header (`users[3]{id,name}:`, `tags[3]: a,b,c`, `[3]:`).
    header: usize,
    /// Its depth (the header's indentation level).
    depth: usize,
    /// Its rows (or values).
    len: usize,
    /// The first line of each row; rows end where the next starts, the last at `end`.
    /// Empty for an inline array, whose values sit on the header line.
    rows: Vec<usize>,
    /// The line after the array.
    end: usize,
}

impl Block {
    fn inline(&self) -> bool {
        self.rows.is_empty()
    }
}

impl<'t> Layout<'t> {
    fn of(text: &'t str, value: &Value<'_>, options: &EncodeOptions) -> Layout<'t> {
        let lines: Vec<&str> = if text.is_empty() {
            Vec::new()
        } else {
            text.split('\n').collect()
        };
        let mut layout = Layout {
            lines,
            blocks: Vec::new(),
            indent: options.indent(),
            delimiter: options.delimiter().as_char(),
        };
        match value {
            Value::Object(map) => {
                layout.walk_object(map, 0, 0, &mut String::new());
            }
            Value::Array(items) if !items.is_empty() => {
                let end = layout.lines.len();
                layout.add_block(String::new(), 0, 0, end, items.len());
            }
            _ => {}
        }
        layout
    }

    /// The indentation of a line, in spaces.
    fn spaces(&self, line: usize) -> usize {
        let text = self.lines[line];
        text.len() - text.trim_start_matches(' ').len()
    }

    /// The line after the entry that starts at `line` at `depth`.
    fn entry_end(&self, line: usize, depth: usize) -> usize {
        let mut end = line + 1;
        while end < self.lines.len() && self.spaces(end) > depth * self.indent {
            end += 1;
        }
        end
    }

    /// Finds the cuttable arrays among the fields of an object whose first field is on
    /// `line` at `depth`; returns the line after the object.
    fn walk_object(
        &mut self,
        map: &toon::Map<'_>,
        depth: usize,
        mut line: usize,
        path: &mut String,
    ) -> usize {
        for (key, child) in map.iter() {
            if line >= self.lines.len() {
                break;
            }
            let end = self.entry_end(line, depth);
            match child {
                Value::Array(items) if !items.is_empty() => {
                    let mut child_path = path.clone();
                    toon::path::push_key(&mut child_path, key);
                    self.add_block(child_path, line, depth, end, items.len());
                }
                Value::Object(inner) if holds_array(inner) => {
                    let length = path.len();
                    toon::path::push_key(path, key);
                    self.walk_object(inner, depth + 1, line + 1, path);
                    path.truncate(length);
                }
                _ => {}
            }
            line = end;
        }
        line
    }

    fn add_block(&mut self, path: String, header: usize, depth: usize, end: usize, len: usize) {
        let row_spaces = (depth + 1) * self.indent;
        let rows: Vec<usize> = (header + 1..end)
            .filter(|&line| self.spaces(line) == row_spaces)
            .collect();
        if !rows.is_empty() && rows.len() != len {
            debug_assert!(false, "{path}: {} row lines for {len} rows", rows.len());
            return;
        }
        self.blocks.push(Block {
            path,
            header,
            depth,
            len,
            rows,
            end,
        });
    }

    /// The header line of `block` declaring `kept` rows (and, inline, holding only the
    /// first `kept` values).
    fn header(&self, block: &Block, kept: usize) -> String {
        let line = self.lines[block.header];
        let Some((open, close)) = length_span(line) else {
            return line.to_owned();
        };
        let mut out = String::with_capacity(line.len());
        out.push_str(&line[..open]);
        out.push_str(&kept.to_string());
        if !block.inline() {
            out.push_str(&line[close..]);
            return out;
        }
        // `key[N]: a,b,c` keeps `key[k]: ` and the first k values.
        let rest = &line[close..];
        let Some(colon) = rest.find(": ").map(|at| at + 2) else {
            out.push_str(rest);
            return out;
        };
        let values = &rest[colon..];
        let cut = nth_delimiter(values, self.delimiter, kept).unwrap_or(values.len());
        if kept == 0 {
            out.push_str(rest[..colon].trim_end());
        } else {
            out.push_str(&rest[..colon]);
            out.push_str(&values[..cut]);
        }
        out
    }

    /// The comment line under the header of `block` when it keeps `kept` rows.
    fn comment(&self, block: &Block, kept: usize) -> String {
        let noun = if block.inline() { "values" } else { "rows" };
        format!(
            "{:width$}# {} {noun}, first {kept} shown",
            "",
            block.len,
            width = (block.depth + 1) * self.indent
        )
    }

    /// The text with each block keeping `kept[block]` rows.
    fn splice(&self, kept: &[usize]) -> String {
        let mut out: Vec<Cow<'_, str>> = Vec::with_capacity(self.lines.len() + kept.len());
        let mut line = 0;
        for (block, &keep) in self.blocks.iter().zip(kept) {
            out.extend(
                self.lines[line..block.header]
                    .iter()
                    .map(|&text| Cow::Borrowed(text)),
            );
            if keep == block.len {
                out.extend(
                    self.lines[block.header..block.end]
                        .iter()
                        .map(|&text| Cow::Borrowed(text)),
                );
            } else {
                out.push(Cow::Owned(self.header(block, keep)));
                out.push(Cow::Owned(self.comment(block, keep)));
                if !block.inline() {
                    let end = block.rows.get(keep).copied().unwrap_or(block.end);
                    out.extend(
                        self.lines[block.header + 1..end]
                            .iter()
                            .map(|&text| Cow::Borrowed(text)),
                    );
                }
            }
            line = block.end;
        }
        out.extend(self.lines[line..].iter().map(|&text| Cow::Borrowed(text)));
        out.join("\n")
    }
}

/// Whether an object holds an array at some depth through objects only.
fn holds_array(map: &toon::Map<'_>) -> bool {
    map.values().any(|value| match value {
        Value::Array(items) => !items.is_empty(),
        Value::Object(inner) => holds_array(inner),
        _ => false,
    })
}

/// The byte span of the length in a header line (`users[120]{…}:` → the span of `120`):
/// after the key, which is bare (no `[`) or quoted.
fn length_span(line: &str) -> Option<(usize, usize)> {
    let bytes = line.as_bytes();
    let mut at = line.len() - line.trim_start_matches(' ').len();
    if bytes.get(at) == Some(&b'"') {
        at += 1;
        while at < bytes.len() && bytes[at] != b'"' {
            at += if bytes[at] == b'\\' { 2 } else { 1 };
        }
        at += 1;
    } else {
        at += line[at..].find('[')?;
    }
    if bytes.get(at) != Some(&b'[') {
        return None;
    }
    let open = at + 1;
    let close = open + line[open..].bytes().take_while(u8::is_ascii_digit).count();
    (close > open).then_some((open, close))
}

/// The byte offset of the `n`-th delimiter (1-based) outside quotes in `values`.
fn nth_delimiter(values: &str, delimiter: char, n: usize) -> Option<usize> {
    if n == 0 {
        return Some(0);
    }
    let mut seen = 0;
    let mut quoted = false;
    let mut escaped = false;
    for (at, c) in values.char_indices() {
        if quoted {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                quoted = false;
            }
        } else if c == '"' {
            quoted = true;
        } else if c == delimiter {
            seen += 1;
            if seen == n {
                return Some(at);
            }
        }
    }
    None
}

/// Token arithmetic over the layout: a text's tokens as the sum of its lines'.
struct Plan<'l, 't> {
    layout: &'l Layout<'t>,
    counter: &'l TokenCounter,
    /// Tokens of the lines outside every block's header and rows.
    base: usize,
    /// Per block, the tokens of its first `k` rows, for every `k`.
    prefix: Vec<Vec<usize>>,
    /// Tokens of rewritten header and comment lines, by (block, kept).
    lines: HashMap<(usize, usize), usize>,
    /// The block that ends the text, if one does: when it is cut, its last line kept
    /// ends the text and loses its line break.
    tail: Option<usize>,
    /// What that line break costs, by kept rows of the tail block.
    line_break: HashMap<usize, usize>,
}

impl<'l, 't> Plan<'l, 't> {
    fn new(layout: &'l Layout<'t>, line_tokens: &[usize], counter: &'l TokenCounter) -> Self {
        let mut base: usize = line_tokens.iter().sum();
        let mut prefix = Vec::with_capacity(layout.blocks.len());
        for block in &layout.blocks {
            base -= line_tokens[block.header..block.end].iter().sum::<usize>();
            let mut sums = Vec::with_capacity(block.len + 1);
            sums.push(0);
            if !block.inline() {
                let mut total = 0;
                for (row, &start) in block.rows.iter().enumerate() {
                    let end = block.rows.get(row + 1).copied().unwrap_or(block.end);
                    total += line_tokens[start..end].iter().sum::<usize>();
                    sums.push(total);
                }
            }
            prefix.push(sums);
        }
        let tail = layout
            .blocks
            .len()
            .checked_sub(1)
            .filter(|&last| layout.blocks[last].end == layout.lines.len());
        let mut plan = Plan {
            layout,
            counter,
            base,
            prefix,
            lines: HashMap::new(),
            tail,
            line_break: HashMap::new(),
        };
        for (index, block) in layout.blocks.iter().enumerate() {
            plan.lines
                .insert((index, block.len), line_tokens[block.header]);
        }
        plan
    }

    /// Tokens of the header and comment lines of `block` keeping `kept` rows.
    fn head_tokens(&mut self, block: usize, kept: usize) -> usize {
        if let Some(&tokens) = self.lines.get(&(block, kept)) {
            return tokens;
        }
        let layout = self.layout;
        let this = &layout.blocks[block];
        let text = format!(
            "{}\n{}\n",
            layout.header(this, kept),
            layout.comment(this, kept)
        );
        let tokens = self.counter.count_uncached(&text);
        self.lines.insert((block, kept), tokens);
        tokens
    }

    /// What the line break after the last line costs when the tail block keeps `kept`
    /// of its rows (fewer than all): that line's tokens with its `\n` and without.
    fn tail_line_break(&mut self, block: usize, kept: usize) -> usize {
        if let Some(&tokens) = self.line_break.get(&kept) {
            return tokens;
        }
        let layout = self.layout;
        let this = &layout.blocks[block];
        let last = if this.inline() || kept == 0 {
            layout.comment(this, kept)
        } else {
            layout.lines[this.rows[kept] - 1].to_owned()
        };
        let with_break = self.counter.count_uncached(&format!("{last}\n"));
        let tokens = with_break.saturating_sub(self.counter.count_uncached(&last));
        self.line_break.insert(kept, tokens);
        tokens
    }

    /// The line sum of the text with each block keeping `kept[block]` rows.
    fn tokens(&mut self, kept: &[usize]) -> usize {
        let mut total = self.base;
        for (block, &keep) in kept.iter().enumerate() {
            total += self.head_tokens(block, keep);
            if !self.layout.blocks[block].inline() {
                total += self.prefix[block][keep];
            }
        }
        if let Some(tail) = self.tail
            && kept[tail] < self.layout.blocks[tail].len
        {
            total -= self.tail_line_break(tail, kept[tail]);
        }
        total
    }

    /// Rows kept by each block: every block `min(len, c)` for the largest `c` that fits,
    /// then one more row each in document order, round after round, while any fits.
    fn fit(&mut self, max_tokens: usize) -> Result<Vec<usize>, PromptError> {
        let caps = |c: usize, layout: &Layout<'_>| -> Vec<usize> {
            layout.blocks.iter().map(|block| block.len.min(c)).collect()
        };
        let skeleton = self.tokens(&caps(0, self.layout));
        if skeleton > max_tokens {
            return Err(PromptError::SkeletonTooLarge {
                skeleton_tokens: skeleton,
                max_tokens,
            });
        }
        let longest = self.layout.blocks.iter().map(|block| block.len).max();
        let (mut low, mut high) = (0, longest.unwrap_or(0));
        while low < high {
            let middle = low + (high - low).div_ceil(2);
            if self.tokens(&caps(middle, self.layout)) <= max_tokens {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        // Then one more row each, in document order, round after round, while any fits.
        let mut kept = caps(low, self.layout);
        let mut grew = true;
        while grew {
            grew = false;
            for block in 0..kept.len() {
                if kept[block] < self.layout.blocks[block].len {
                    kept[block] += 1;
                    if self.tokens(&kept) > max_tokens {
                        kept[block] -= 1;
                    } else {
                        grew = true;
                    }
                }
            }
        }
        Ok(kept)
    }
}
