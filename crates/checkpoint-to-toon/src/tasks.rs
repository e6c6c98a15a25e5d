//! The task list: the checkbox items (`- [ ] todo`, `- [x] done`) of a Markdown file,
//! outside fenced code blocks.

use std::path::Path;

use crate::{Error, Task};

/// The checkbox items of a Markdown task list, `None` when the file does not exist.
pub(crate) fn read_tasks(path: &Path) -> Result<Option<Vec<Task>>, Error> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(parse_tasks(&String::from_utf8_lossy(&bytes)))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Parses `- [ ] text` / `- [x] text` lines (also `*`, `+` and `1.` markers, at any
/// indentation), skipping fenced code blocks.
pub fn parse_tasks(markdown: &str) -> Vec<Task> {
    let mut tasks = Vec::new();
    let mut fence: Option<&str> = None;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        if let Some(open) = fence {
            if trimmed.starts_with(open) {
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") {
            fence = Some("```");
            continue;
        }
        if trimmed.starts_with("~~~") {
            fence = Some("~~~");
            continue;
        }
        let Some(rest) = list_item(trimmed) else {
            continue;
        };
        let (done, text) = if let Some(text) = rest.strip_prefix("[ ]") {
            (false, text)
        } else if let Some(text) = rest
            .strip_prefix("[x]")
            .or_else(|| rest.strip_prefix("[X]"))
        {
            (true, text)
        } else {
            continue;
        };
        if !(text.is_empty() || text.starts_with([' ', '\t'])) {
            continue;
        }
        let text = text.trim();
        if !text.is_empty() {
            tasks.push(Task {
                done,
                text: text.to_owned(),
            });
        }
    }
    tasks
}

/// The text after a list marker (`- `, `* `, `+ `, `1. `, `1) `).
fn list_item(line: &str) -> Option<&str> {
    if let Some(rest) = line
        .strip_prefix("- ")
        .or_else(|| line.strip_prefix("* "))
        .or_else(|| line.strip_prefix("+ "))
    {
        return Some(rest.trim_start());
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 9 {
        return None;
    }
    let rest = &line[digits..];
    rest.strip_prefix(". ")
        .or_else(|| rest.strip_prefix(") "))
        .map(str::trim_start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tasks_from_markdown() {
        let md = "# Tasks\n\n- [ ] first\n- [x] second\n  * [X] nested  \n+ [ ]third\n1. [ ] numbered\n- [ ]\n- plain\n```\n- [ ] in code\n```\n2) [x] paren\n";
        let tasks = parse_tasks(md);
        let got: Vec<(bool, &str)> = tasks.iter().map(|t| (t.done, t.text.as_str())).collect();
        assert_eq!(
            got,
            [
                (false, "first"),
                (true, "second"),
                (true, "nested"),
                (false, "numbered"),
                (true, "paren"),
            ]
        );
    }
}
