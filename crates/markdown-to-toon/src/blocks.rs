//! The block tree of a Markdown document, built in one pass over pulldown-cmark's events
//! with an explicit stack (so deep nesting is a located error, not a stack overflow).
//! Inline content is kept as a range of the source: its Markdown text is what the value
//! holds.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use crate::Error;

/// The Markdown features read: GFM tables, task lists, YAML front matter.
pub(crate) fn parser_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
}

/// A block of the document.
#[derive(Debug)]
pub(crate) enum Block {
    /// A paragraph (or the text of a tight list item): the source of its inline content.
    Para(Range<usize>),
    /// A heading: level and the source of its text (none when empty).
    Heading(u8, Option<Range<usize>>),
    /// A list, bullet or ordered.
    List { ordered: bool, items: Vec<Item> },
    /// A GFM table: the header cells and the body rows (a cell is `None` when empty).
    Table {
        head: Vec<Option<Range<usize>>>,
        rows: Vec<Vec<Option<Range<usize>>>>,
    },
    /// A fenced or indented code block.
    Code { lang: String, code: String },
    /// A block kept as its source text: block quote, HTML block, a metadata block that is
    /// not at the start.
    Raw(Range<usize>),
    /// The YAML front matter at the start of the document.
    FrontMatter(String),
}

/// A list item: its task marker, if any, and its blocks.
#[derive(Debug)]
pub(crate) struct Item {
    pub(crate) task: Option<bool>,
    pub(crate) blocks: Vec<Block>,
}

enum Frame {
    Root(Vec<Block>),
    List {
        ordered: bool,
        items: Vec<Item>,
    },
    Item {
        task: Option<bool>,
        blocks: Vec<Block>,
        /// Inline content directly in the item (a tight list), not yet a paragraph.
        inline: Option<Range<usize>>,
    },
    Para(Option<Range<usize>>),
    Heading(u8, Option<Range<usize>>),
    Table {
        head: Vec<Option<Range<usize>>>,
        rows: Vec<Vec<Option<Range<usize>>>>,
        row: Vec<Option<Range<usize>>>,
        cell: Option<Range<usize>>,
    },
    Code {
        lang: String,
        code: String,
    },
    FrontMatter(String),
}

fn extend(range: &mut Option<Range<usize>>, more: &Range<usize>) {
    *range = Some(match range.take() {
        None => more.clone(),
        Some(r) => r.start.min(more.start)..r.end.max(more.end),
    });
}

/// The 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Parses `text` into its top-level blocks. Containers (lists, items, tables, ...)
/// nested deeper than `max_depth` are an error.
pub(crate) fn parse(text: &str, max_depth: usize) -> Result<Vec<Block>, Error> {
    let mut stack = vec![Frame::Root(Vec::new())];
    let mut skip = 0usize;
    let mut first = true;
    for (event, mut range) in Parser::new_ext(text, parser_options()).into_offset_iter() {
        // An escaped character's text starts after its backslash; the source of the
        // span includes it.
        if range.start > 0 && text.as_bytes()[range.start - 1] == b'\\' {
            range.start -= 1;
        }
        let at_start = std::mem::replace(&mut first, false);
        if skip > 0 {
            match event {
                Event::Start(_) => skip += 1,
                Event::End(_) => skip -= 1,
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(tag) => {
                if is_inline(&tag) {
                    add_inline(&mut stack, &range);
                    continue;
                }
                flush_item_text(&mut stack);
                let frame = match tag {
                    Tag::Paragraph => Frame::Para(None),
                    Tag::Heading { level, .. } => Frame::Heading(level as u8, None),
                    Tag::List(start) => Frame::List {
                        ordered: start.is_some(),
                        items: Vec::new(),
                    },
                    Tag::Item => Frame::Item {
                        task: None,
                        blocks: Vec::new(),
                        inline: None,
                    },
                    Tag::Table(_) => Frame::Table {
                        head: Vec::new(),
                        rows: Vec::new(),
                        row: Vec::new(),
                        cell: None,
                    },
                    Tag::TableHead | Tag::TableRow | Tag::TableCell => {
                        if let Some(Frame::Table { cell, .. }) = stack.last_mut() {
                            *cell = None;
                        }
                        continue;
                    }
                    Tag::CodeBlock(kind) => Frame::Code {
                        lang: match kind {
                            CodeBlockKind::Fenced(info) => info.trim().to_owned(),
                            CodeBlockKind::Indented => String::new(),
                        },
                        code: String::new(),
                    },
                    Tag::MetadataBlock(_) if at_start => Frame::FrontMatter(String::new()),
                    // Block quotes, HTML blocks, later metadata blocks and anything else:
                    // kept as source.
                    _ => {
                        push_block(&mut stack, Block::Raw(range));
                        skip = 1;
                        continue;
                    }
                };
                if stack.len() >= max_depth {
                    let (line, column) = line_column(text, range.start);
                    return Err(Error::TooDeep {
                        line,
                        column,
                        limit: max_depth,
                    });
                }
                stack.push(frame);
            }
            Event::End(end) => end_tag(&mut stack, end),
            Event::Text(s) => match stack.last_mut() {
                Some(Frame::Code { code, .. }) => code.push_str(&s),
                Some(Frame::FrontMatter(front)) => front.push_str(&s),
                _ => add_inline(&mut stack, &range),
            },
            Event::TaskListMarker(done) => {
                if let Some(Frame::Item { task, .. }) = stack
                    .iter_mut()
                    .rev()
                    .find(|f| matches!(f, Frame::Item { .. }))
                {
                    *task = Some(done);
                }
            }
            Event::Rule => flush_item_text(&mut stack),
            Event::Html(_) => {
                // An HTML block's lines come inside Start(HtmlBlock), which is skipped;
                // anything else is inline.
                add_inline(&mut stack, &range);
            }
            _ => add_inline(&mut stack, &range),
        }
    }
    flush_item_text(&mut stack);
    while stack.len() > 1 {
        // pulldown-cmark closes every tag; this only guards against a truncated stream.
        let frame = stack.pop().expect("more than the root");
        if let Some(block) = close(frame) {
            push_block(&mut stack, block);
        }
    }
    match stack.pop() {
        Some(Frame::Root(blocks)) => Ok(blocks),
        _ => Ok(Vec::new()),
    }
}

fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn is_inline_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// Widens the innermost inline container (paragraph, heading, cell, tight item).
fn add_inline(stack: &mut [Frame], range: &Range<usize>) {
    match stack.last_mut() {
        Some(Frame::Para(r) | Frame::Heading(_, r)) => extend(r, range),
        Some(Frame::Table { cell, .. }) => extend(cell, range),
        Some(Frame::Item { inline, .. }) => extend(inline, range),
        _ => {}
    }
}

/// Turns a tight item's pending inline content into a paragraph block.
fn flush_item_text(stack: &mut [Frame]) {
    if let Some(Frame::Item { blocks, inline, .. }) = stack.last_mut()
        && let Some(range) = inline.take()
    {
        blocks.push(Block::Para(range));
    }
}

fn push_block(stack: &mut [Frame], block: Block) {
    // A list holds items only, a table cells only: nothing else reaches them.
    if let Some(Frame::Root(blocks) | Frame::Item { blocks, .. }) = stack.last_mut() {
        blocks.push(block);
    }
}

fn end_tag(stack: &mut Vec<Frame>, end: TagEnd) {
    if is_inline_end(&end) {
        return;
    }
    match end {
        TagEnd::TableCell => {
            if let Some(Frame::Table { row, cell, .. }) = stack.last_mut() {
                row.push(cell.take());
            }
        }
        TagEnd::TableHead => {
            if let Some(Frame::Table { head, row, .. }) = stack.last_mut() {
                *head = std::mem::take(row);
            }
        }
        TagEnd::TableRow => {
            if let Some(Frame::Table { rows, row, .. }) = stack.last_mut() {
                rows.push(std::mem::take(row));
            }
        }
        _ => {
            flush_item_text(stack);
            if stack.len() <= 1 {
                return;
            }
            let Some(frame) = stack.pop() else { return };
            match (frame, stack.last_mut()) {
                (Frame::Item { task, blocks, .. }, Some(Frame::List { items, .. })) => {
                    items.push(Item { task, blocks });
                }
                (frame, _) => {
                    if let Some(block) = close(frame) {
                        push_block(stack, block);
                    }
                }
            }
        }
    }
}

fn close(frame: Frame) -> Option<Block> {
    Some(match frame {
        Frame::Root(_) | Frame::Item { .. } => return None,
        Frame::List { ordered, items } => Block::List { ordered, items },
        Frame::Para(range) => Block::Para(range?),
        Frame::Heading(level, range) => Block::Heading(level, range),
        Frame::Table { head, rows, .. } => Block::Table { head, rows },
        Frame::Code { lang, mut code } => {
            if code.ends_with('\n') {
                code.pop();
            }
            Block::Code { lang, code }
        }
        Frame::FrontMatter(mut text) => {
            if text.ends_with('\n') {
                text.pop();
            }
            Block::FrontMatter(text)
        }
    })
}
