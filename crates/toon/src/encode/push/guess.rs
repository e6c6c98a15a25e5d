//! The table guess of the push encoder: an array whose first element is an object is
//! written as table rows while every row matches the columns the first row defined
//! (nested field groups included); when a row breaks that, the text written so far is
//! read back and replayed, as list items or into a value for the tree encoder.

use super::array::Form;
use super::{Frame, PushEncoder, at};
use crate::decode::event::EventSink;
use crate::decode::scan::{TokenPosition, parse_primitive, split_cells};
use crate::encode::quote;
use crate::encode::shape::same_key;
use crate::error::{Category, Error, Result};
use crate::value::Value;

/// One column of a table header, in depth-first order.
#[derive(Debug, Clone, Copy)]
struct Column {
    /// Range of its name in [`Guess::names`].
    name: (usize, usize),
    kind: ColumnKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ColumnKind {
    /// Its key has arrived in the first row, its value not yet.
    Unknown,
    Leaf,
    /// A nested field group; `end` is the index after its last descendant (`usize::MAX`
    /// while the first row is still defining it).
    Group {
        end: usize,
    },
}

/// The state of the innermost array while its form is a guess (inline or tabular).
#[derive(Default)]
pub(super) struct Guess {
    columns: Vec<Column>,
    names: String,
    /// Columns consumed in the current row.
    cursor: usize,
    /// Whether the key of `columns[cursor]` has been consumed.
    key_consumed: bool,
    /// Open field groups of the current row (column indexes).
    groups: Vec<usize>,
    row_open: bool,
    /// Whether the open row is the first (which defines the columns).
    first_row: bool,
    /// A row after the first is open: the fast paths apply.
    later_row: bool,
    /// The column index after the innermost open level of a later row.
    level_end: usize,
    /// Cells written in the current row.
    cells: usize,
    /// Where the first row's cells start (absolute offset), after the inserted header.
    rows_start: usize,
    /// Where each cell of the open first row was written (absolute offsets), so that a
    /// first row proved a list item is rewritten from its text.
    first_cells: Vec<(usize, usize)>,
}

/// Why a guess failed, and so how the array continues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Broken {
    /// The array is certainly in list form.
    List,
    /// Only the whole array can tell: build it as a `Value`.
    Build,
}

impl Guess {
    pub(super) fn clear(&mut self) {
        self.columns.clear();
        self.names.clear();
        self.groups.clear();
        self.cursor = 0;
        self.key_consumed = false;
        self.row_open = false;
        self.first_row = false;
        self.later_row = false;
        self.level_end = 0;
        self.cells = 0;
        self.rows_start = 0;
        self.first_cells.clear();
    }

    /// Whether a row of a guessed table is open.
    #[inline]
    pub(super) fn row_open(&self) -> bool {
        self.row_open
    }

    /// Field groups open in the current row (they count toward the nesting limit).
    pub(super) fn open_groups(&self) -> usize {
        self.groups.len()
    }

    /// Consumes the expected cell of a later row; whether a delimiter goes before it.
    #[inline(always)]
    pub(super) fn take_cell(&mut self) -> bool {
        self.cursor += 1;
        self.key_consumed = false;
        self.cells += 1;
        self.cells > 1
    }

    /// The column after the innermost open group of a later row.
    fn current_level_end(&self) -> usize {
        match self.groups.last() {
            Some(&group) => match self.columns[group].kind {
                ColumnKind::Group { end } => end,
                _ => self.columns.len(),
            },
            None => self.columns.len(),
        }
    }

    /// A later row's key that matches the header where it stands (no other check needed).
    #[inline(always)]
    pub(super) fn expected_key(&mut self, key: &str) -> bool {
        if self.later_row
            && !self.key_consumed
            && self.cursor < self.level_end
            && same_key(self.name_bytes(self.cursor), key.as_bytes())
        {
            self.key_consumed = true;
            return true;
        }
        false
    }

    /// Whether a later row expects a primitive cell now.
    #[inline(always)]
    pub(super) fn expects_cell(&self) -> bool {
        self.later_row
            && self.key_consumed
            && matches!(self.columns.get(self.cursor), Some(c) if c.kind == ColumnKind::Leaf)
    }

    fn name(&self, column: usize) -> &str {
        let (start, end) = self.columns[column].name;
        &self.names[start..end]
    }

    /// The bytes of a column's name (no character-boundary checks on the hot path).
    #[inline]
    fn name_bytes(&self, column: usize) -> &[u8] {
        let (start, end) = self.columns[column].name;
        &self.names.as_bytes()[start..end]
    }

    /// The column index after the last child of the innermost open group (the row's
    /// column count at row level), or `None` while the first row is defining it.
    fn level_end(&self, first_row: bool) -> Option<usize> {
        if first_row {
            return None;
        }
        match self.groups.last() {
            Some(&group) => match self.columns[group].kind {
                ColumnKind::Group { end } => Some(end),
                _ => None,
            },
            None => Some(self.columns.len()),
        }
    }
}

impl<'b> PushEncoder<'b, '_> {
    // ----- the tabular guess -----

    /// Whether the innermost array is guessing tabular with a row open.
    #[inline]
    pub(super) fn guess_open_row(&self) -> bool {
        self.guess.row_open() && self.build.is_none()
    }

    fn first_row(&self) -> bool {
        self.guess.first_row
    }

    pub(super) fn guess_row_start(&mut self) {
        let first = matches!(self.frames.last(), Some(Frame::Array { count: 1, .. }));
        if !first {
            let depth = self.items_depth();
            self.enc.start_line(depth);
        }
        let guess = &mut self.guess;
        guess.first_row = first;
        guess.later_row = !first;
        guess.level_end = guess.columns.len();
        guess.row_open = true;
        guess.cursor = 0;
        guess.key_consumed = false;
        guess.cells = 0;
        guess.groups.clear();
    }

    pub(super) fn guess_key(&mut self, key: &str) -> std::result::Result<(), Broken> {
        let first_row = self.first_row();
        let guess = &mut self.guess;
        if guess.key_consumed {
            return Err(Broken::Build);
        }
        if first_row {
            // A repeated key within the current group: only the tree encoder decides.
            let from = guess.groups.last().map_or(0, |&g| g + 1);
            let mut i = from;
            while i < guess.columns.len() {
                if guess.name(i) == key {
                    return Err(Broken::Build);
                }
                i = match guess.columns[i].kind {
                    ColumnKind::Group { end } if end != usize::MAX => end,
                    _ => i + 1,
                };
            }
            let start = guess.names.len();
            guess.names.push_str(key);
            guess.columns.push(Column {
                name: (start, guess.names.len()),
                kind: ColumnKind::Unknown,
            });
            guess.key_consumed = true;
            return Ok(());
        }
        match guess.level_end(false) {
            // More keys than the first row at this level: not a table.
            Some(end) if guess.cursor >= end => Err(Broken::List),
            _ if guess.name(guess.cursor) == key => {
                guess.key_consumed = true;
                Ok(())
            }
            // Another key here: maybe the same keys in another order.
            _ => Err(Broken::Build),
        }
    }

    pub(super) fn guess_leaf(&mut self, value: &Value<'_>) -> std::result::Result<(), Broken> {
        let first_row = self.first_row();
        let guess = &mut self.guess;
        if !guess.key_consumed {
            // A primitive row element has no key: the row is not an object.
            return Err(Broken::List);
        }
        let column = &mut guess.columns[guess.cursor];
        if first_row {
            column.kind = ColumnKind::Leaf;
        } else if column.kind != ColumnKind::Leaf {
            return Err(Broken::List);
        }
        guess.cursor += 1;
        guess.key_consumed = false;
        if guess.cells > 0 {
            self.enc.delimiter_char();
        }
        self.guess.cells += 1;
        let start = self.offset();
        self.enc.primitive(value);
        if first_row {
            let end = self.offset();
            self.guess.first_cells.push((start, end));
        }
        Ok(())
    }

    pub(super) fn guess_group_start(&mut self) -> std::result::Result<(), Broken> {
        let first_row = self.first_row();
        let guess = &mut self.guess;
        if !guess.key_consumed {
            return Err(Broken::List);
        }
        let index = guess.cursor;
        if first_row {
            guess.columns[index].kind = ColumnKind::Group { end: usize::MAX };
        } else if !matches!(guess.columns[index].kind, ColumnKind::Group { .. }) {
            return Err(Broken::List);
        }
        if self.frames.len() + guess.groups.len() + 1 > self.enc.max_depth {
            return Err(Broken::Build);
        }
        guess.groups.push(index);
        guess.cursor += 1;
        guess.key_consumed = false;
        if guess.later_row {
            guess.level_end = guess.current_level_end();
        }
        Ok(())
    }

    pub(super) fn guess_end_object(&mut self) -> std::result::Result<(), Broken> {
        let first_row = self.first_row();
        let guess = &mut self.guess;
        if guess.key_consumed {
            return Err(Broken::Build);
        }
        match guess.groups.last().copied() {
            Some(group) => {
                if first_row {
                    if guess.cursor == group + 1 {
                        // An empty object in a column: not a table.
                        return Err(Broken::List);
                    }
                    guess.columns[group].kind = ColumnKind::Group { end: guess.cursor };
                } else if guess.level_end(false) != Some(guess.cursor) {
                    return Err(Broken::List);
                }
                guess.groups.pop();
                if guess.later_row {
                    guess.level_end = guess.current_level_end();
                }
                Ok(())
            }
            None => {
                if guess.cursor == 0 || (!first_row && guess.cursor != guess.columns.len()) {
                    return Err(Broken::List);
                }
                guess.row_open = false;
                guess.later_row = false;
                if first_row {
                    self.insert_table_header();
                }
                Ok(())
            }
        }
    }

    /// After the first row: `{fields}:` and the line break go between `[N]` and it.
    fn insert_table_header(&mut self) {
        let mut header = String::with_capacity(self.guess.names.len() + 16);
        header.push('{');
        let mut ends: Vec<usize> = Vec::new();
        let delimiter = self.enc.delimiter.as_char();
        for (i, column) in self.guess.columns.iter().enumerate() {
            while ends.last() == Some(&i) {
                ends.pop();
                header.push('}');
            }
            if !header.ends_with('{') {
                header.push(delimiter);
            }
            let (start, end) = column.name;
            push_key(&mut header, &self.guess.names[start..end]);
            if let ColumnKind::Group { end } = column.kind {
                header.push('{');
                ends.push(end);
            }
        }
        for _ in ends {
            header.push('}');
        }
        header.push('}');
        header.push(':');
        // The first row's line break and indentation, as `start_line` writes them.
        header.push('\n');
        let spaces = self.items_depth() * self.enc.indent;
        header.extend(std::iter::repeat_n(' ', spaces));
        let at = self.header_end() - self.base;
        self.enc.out.insert_str(at, &header);
        self.guess.rows_start = self.header_end() + header.len();
    }

    /// The guess failed: rewrite the array's elements so far as list items (`List`) or
    /// rebuild the array as a `Value` (`Build`), then let the caller re-dispatch the
    /// event that broke it. The cells are replayed from their text: a list item or field
    /// is written as the same value's cell was.
    pub(super) fn break_guess(&mut self, broken: Broken) -> Result<()> {
        let Some(Frame::Array {
            slot,
            start,
            header_end,
            form,
            ..
        }) = self.frames.last()
        else {
            return Ok(());
        };
        let (slot, start, header_end, form) = (*slot, *start, *header_end, *form);
        let mut guess = std::mem::take(&mut self.guess);
        let tabular = form == Form::Tabular;
        let first_row_open = tabular && guess.row_open && guess.first_row;
        let cells_from = if !tabular {
            header_end + ": ".len()
        } else if first_row_open || guess.rows_start == 0 {
            header_end
        } else {
            guess.rows_start
        };
        let mut text = std::mem::take(&mut self.replay_text);
        text.clear();
        if cells_from <= self.offset() {
            text.push_str(self.text_from(cells_from));
        }
        let mut cells = std::mem::take(&mut self.replay_cells);
        cells.clear();
        let mut rows = 1;
        if first_row_open {
            // Its cells were noted as they were written.
            let noted = guess.first_cells.iter();
            cells.extend(noted.map(|&(from, to)| (from - cells_from, to - cells_from)));
        } else {
            rows = cell_spans(&text, self.enc.delimiter.as_byte(), &mut cells);
        }
        let key = match broken {
            Broken::Build => self.key_at_slot(slot, start),
            Broken::List => String::new(),
        };
        match broken {
            Broken::List => self.restart_as_list(header_end),
            Broken::Build => {
                self.rewind(start);
                self.frames.pop();
                self.start_build(slot, key, |builder| builder.start_array(at(), None))?;
            }
        }
        let mut replay = cells.iter().map(|&(from, to)| &text[from..to]);
        let mut cell = |encoder: &mut Self| encoder.replay_cell(replay.next().unwrap_or("null"));
        if !tabular {
            for _ in 0..cells.len() {
                cell(self)?;
            }
        } else {
            for row in 0..rows {
                if row + 1 == rows && guess.row_open {
                    self.replay_partial_row(&guess, &mut cell)?;
                } else {
                    self.replay_row(&guess, &mut cell)?;
                }
            }
        }
        self.replay_text = text;
        self.replay_cells = cells;
        guess.clear();
        self.guess = guess;
        Ok(())
    }

    /// Takes back the innermost array's form text: it continues as a list.
    fn restart_as_list(&mut self, header_end: usize) {
        self.rewind(header_end);
        self.enc.out.push(':');
        if let Some(Frame::Array { form, count, .. }) = self.frames.last_mut() {
            *form = Form::List;
            *count = 0;
        }
    }

    /// Replays one cell, given as the text it was written as.
    fn replay_cell(&mut self, text: &str) -> Result<()> {
        if self.build.is_none() {
            return self.primitive_text(text);
        }
        // Big integers were written as digits and are read back as digits (a whole float
        // below 1e21 spells the same digits either way).
        let value = parse_primitive(text, TokenPosition::Cell, true)
            .map_err(|_| Error::new(Category::Data, "internal: unreadable table cell"))?;
        self.primitive(&value)
    }

    /// Replays a whole row; `cell` writes the next cell.
    fn replay_row(
        &mut self,
        guess: &Guess,
        mut cell: impl FnMut(&mut Self) -> Result<()>,
    ) -> Result<()> {
        self.begin_object()?;
        let mut ends: Vec<usize> = Vec::new();
        for i in 0..guess.columns.len() {
            while ends.last() == Some(&i) {
                ends.pop();
                self.end_object()?;
            }
            self.key(guess.name(i))?;
            match guess.columns[i].kind {
                ColumnKind::Group { end } => {
                    self.begin_object()?;
                    ends.push(end);
                }
                _ => cell(self)?,
            }
        }
        for _ in ends {
            self.end_object()?;
        }
        self.end_object()
    }

    /// Replays the open row up to where it broke; `cell` writes the next cell.
    fn replay_partial_row(
        &mut self,
        guess: &Guess,
        mut cell: impl FnMut(&mut Self) -> Result<()>,
    ) -> Result<()> {
        self.begin_object()?;
        let mut open: Vec<usize> = Vec::new();
        for i in 0..guess.cursor {
            while let Some(&group) = open.last() {
                match guess.columns[group].kind {
                    ColumnKind::Group { end } if end == i && !guess.groups.contains(&group) => {
                        open.pop();
                        self.end_object()?;
                    }
                    _ => break,
                }
            }
            self.key(guess.name(i))?;
            match guess.columns[i].kind {
                ColumnKind::Group { .. } => {
                    self.begin_object()?;
                    open.push(i);
                }
                _ => cell(self)?,
            }
        }
        // Groups closed at the cursor (all their children consumed, end seen).
        while let Some(&group) = open.last() {
            if guess.groups.contains(&group) {
                break;
            }
            open.pop();
            self.end_object()?;
        }
        if guess.key_consumed {
            self.key(guess.name(guess.cursor))?;
        }
        Ok(())
    }
}

fn push_key(out: &mut String, key: &str) {
    if quote::is_bare_key(key) {
        out.push_str(key);
    } else {
        out.push('"');
        quote::escape(key, |part| out.push_str(part));
        out.push('"');
    }
}

/// Notes where each cell of `text` (table rows, one per line, or one inline row) sits;
/// returns the number of lines.
fn cell_spans(text: &str, delimiter: u8, spans: &mut Vec<(usize, usize)>) -> usize {
    let mut lines = 0;
    let mut line_start = 0;
    for line in text.split('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let from = line_start + indent;
        // Our own text: every cell reads back.
        let _ = split_cells(&line[indent..], delimiter, |cell, at| {
            spans.push((from + at, from + at + cell.len()));
            Ok::<(), ()>(())
        });
        line_start += line.len() + 1;
        lines += 1;
    }
    lines
}
