//! Arrays written as they arrive: the `[N]` header (its count filled in at the end when
//! not known up front), the form guessed from the first element (inline, tabular or
//! list), and the element count checked against the declared length.

use super::build::build_open;
use super::guess::Broken;
use super::{Frame, PushEncoder, Slot, at};
use crate::decode::event::EventSink;
use crate::error::{Category, Error, Result};
use crate::options::Delimiter;
use crate::value::Value;

/// How an open array is being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Form {
    /// Declared empty: no element may follow.
    Empty,
    /// Header written, no element yet.
    Pending,
    /// Guessing inline (`[N]: a,b`): every element so far was a primitive.
    Inline,
    /// Guessing tabular: every element so far was a row matching the header.
    Tabular,
    /// List form (`- item` lines), final.
    List,
}

/// What an array element starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Element {
    /// An object.
    Object,
    /// An array.
    Array,
}

/// Where a container element of an array goes.
pub(super) enum Placement {
    /// A list item at this slot.
    Slot(Slot),
    /// Taken by the table guess (a row or a field group).
    Consumed,
    /// The guess broke and was replayed: dispatch the event again.
    Again,
}

/// The error of a sequence whose element count is not the one it declared.
fn length_error(declared: usize, count: usize) -> Error {
    Error::new(
        Category::Data,
        format!("a sequence declared {declared} elements but produced {count}"),
    )
}

impl<'b> PushEncoder<'b, '_> {
    /// An array begins; `len` is its element count when known up front.
    pub(crate) fn begin_array(&mut self, len: Option<usize>) -> Result<()> {
        if let Some(build) = &mut self.build {
            build.builder.start_array(at(), len);
            build.open += 1;
            return self.depth_check(build_open(&self.build));
        }
        self.depth_check(1)?;
        // An array anywhere inside: no object around it can be keyed.
        self.drop_candidates();
        let (slot, start) = match self.frames.last() {
            None => {
                self.root_started()?;
                (Slot::Root, self.offset())
            }
            Some(Frame::Object { .. }) => self.begin_field(),
            Some(Frame::Array { .. }) => match self.array_element(Element::Array)? {
                Placement::Slot(slot) => {
                    let start = self.offset();
                    if let Slot::Item(depth) = slot {
                        self.enc.start_item(depth);
                    }
                    (slot, start)
                }
                Placement::Consumed => return Ok(()),
                Placement::Again => return self.begin_array(len),
            },
        };
        let items_depth = match slot {
            Slot::Root => 1,
            Slot::Field(depth) | Slot::Item(depth) => depth + 1,
            Slot::ItemFirst(depth) => depth + 2,
        };
        let mut count_at = self.offset();
        let form = if len == Some(0) {
            self.write_empty_array(slot);
            Form::Empty
        } else {
            if slot == Slot::Root {
                self.enc.start_line(0);
            }
            count_at = self.offset() + 1;
            self.header_count(len);
            Form::Pending
        };
        let header_end = self.offset();
        self.frames.push(Frame::Array {
            slot,
            start,
            header_end,
            items_depth,
            declared: len,
            count_at,
            count: 0,
            form,
        });
        Ok(())
    }

    /// An empty array, its line (and key) already started.
    fn write_empty_array(&mut self, slot: Slot) {
        match slot {
            Slot::Root => self.enc.out.push_str("[]"),
            Slot::Field(_) | Slot::ItemFirst(_) => self.enc.out.push_str(": []"),
            Slot::Item(_) => self.enc.header(None, 0, false, None),
        }
    }

    /// `[N]` with the delimiter mark, without the colon; without `N` when it is not known
    /// yet.
    fn header_count(&mut self, len: Option<usize>) {
        let out = &mut self.enc.out;
        out.push('[');
        if let Some(len) = len {
            out.push_str(itoa::Buffer::new().format(len));
        }
        match self.enc.delimiter {
            Delimiter::Comma => {}
            Delimiter::Tab => out.push('\t'),
            Delimiter::Pipe => out.push('|'),
        }
        out.push(']');
    }

    /// The innermost array ends.
    pub(crate) fn end_array(&mut self) -> Result<()> {
        if self.build.is_some() {
            return self.end_built(|builder| builder.end_array());
        }
        if self.guess_open_row() {
            // An array cannot end inside a row; report it as the row's producer would.
            return Err(Error::new(
                Category::Data,
                "an array ended inside an object",
            ));
        }
        let Some(Frame::Array {
            slot,
            declared,
            count_at,
            count,
            form,
            ..
        }) = self.frames.pop()
        else {
            return Err(Error::new(
                Category::Data,
                "an array ended that was not open",
            ));
        };
        match declared {
            Some(declared) if count != declared => return Err(length_error(declared, count)),
            Some(_) => {}
            None if count == 0 => {
                // Written as `[` + delimiter mark + `]`: now the empty form instead.
                self.rewind(count_at - 1);
                self.write_empty_array(slot);
            }
            None => {
                let digits = itoa::Buffer::new().format(count).to_owned();
                self.enc.out.insert_str(count_at - self.base, &digits);
            }
        }
        if matches!(form, Form::Inline | Form::Tabular) {
            self.guess.clear();
        }
        self.maybe_flush()
    }

    /// The innermost array's slot, element count, declared length and form; `None` when
    /// the innermost container is an object.
    fn array_state(&mut self) -> Option<(Slot, &mut usize, Option<usize>, Form)> {
        match self.frames.last_mut() {
            Some(Frame::Array {
                slot,
                count,
                declared,
                form,
                ..
            }) => Some((*slot, count, *declared, *form)),
            _ => None,
        }
    }

    /// Sets the form of the innermost array.
    fn set_form(&mut self, new: Form) {
        if let Some(Frame::Array { form, .. }) = self.frames.last_mut() {
            *form = new;
        }
    }

    /// The depth of the innermost array's items or rows.
    pub(super) fn items_depth(&self) -> usize {
        match self.frames.last() {
            Some(Frame::Array { items_depth, .. }) => *items_depth,
            _ => 0,
        }
    }

    /// Where the innermost array's form text begins: just after its `[N]`.
    pub(super) fn header_end(&self) -> usize {
        match self.frames.last() {
            Some(Frame::Array { header_end, .. }) => *header_end,
            _ => self.offset(),
        }
    }

    /// Counts one more element of the innermost array.
    fn count_element(&mut self) -> Result<()> {
        if let Some((_, count, declared, _)) = self.array_state() {
            *count += 1;
            if let Some(declared) = declared
                && *count > declared
            {
                return Err(length_error(declared, *count));
            }
        }
        Ok(())
    }

    /// A primitive element of the innermost array.
    pub(super) fn array_primitive(&mut self, value: &Value<'_>) -> Result<()> {
        let Some((_, _, _, form)) = self.array_state() else {
            return Ok(());
        };
        match form {
            Form::Tabular if self.guess.row_open() => match self.guess_leaf(value) {
                Ok(()) => Ok(()),
                Err(broken) => {
                    self.break_guess(broken)?;
                    self.primitive(value)
                }
            },
            Form::Tabular => {
                self.break_guess(Broken::List)?;
                self.primitive(value)
            }
            Form::Empty | Form::Pending => {
                self.count_element()?;
                self.set_form(Form::Inline);
                self.enc.out.push_str(": ");
                self.enc.primitive(value);
                Ok(())
            }
            Form::Inline => {
                self.count_element()?;
                self.enc.delimiter_char();
                self.enc.primitive(value);
                Ok(())
            }
            Form::List => {
                self.count_element()?;
                let depth = self.items_depth();
                self.enc.start_item(depth);
                self.enc.primitive(value);
                self.maybe_flush()
            }
        }
    }

    /// An item of the innermost array, in list form, already encoded as `text`.
    pub(super) fn list_item_text(&mut self, text: &str) -> Result<()> {
        self.count_element()?;
        let depth = self.items_depth();
        self.enc.start_item(depth);
        self.enc.out.push_str(text);
        self.maybe_flush()
    }

    /// A container element of the innermost array begins.
    pub(super) fn array_element(&mut self, element: Element) -> Result<Placement> {
        let Some((slot, _, _, form)) = self.array_state() else {
            return Ok(Placement::Consumed);
        };
        match (form, element) {
            (Form::Tabular, Element::Object) if !self.guess.row_open() => {
                self.count_element()?;
                self.guess_row_start();
                Ok(Placement::Consumed)
            }
            (Form::Tabular, Element::Object) => match self.guess_group_start() {
                Ok(()) => Ok(Placement::Consumed),
                Err(broken) => {
                    self.break_guess(broken)?;
                    Ok(Placement::Again)
                }
            },
            (Form::Tabular | Form::Inline, _) => {
                self.break_guess(Broken::List)?;
                Ok(Placement::Again)
            }
            (Form::Empty | Form::Pending, Element::Object) if !matches!(slot, Slot::Item(_)) => {
                self.count_element()?;
                self.set_form(Form::Tabular);
                self.guess.clear();
                self.guess_row_start();
                Ok(Placement::Consumed)
            }
            (Form::Empty | Form::Pending, _) => {
                self.set_form(Form::List);
                self.enc.out.push(':');
                self.count_element()?;
                Ok(Placement::Slot(Slot::Item(self.items_depth())))
            }
            (Form::List, _) => {
                self.count_element()?;
                Ok(Placement::Slot(Slot::Item(self.items_depth())))
            }
        }
    }
}
