//! Keys of the push encoder: the key waiting for its value (borrowed for struct fields,
//! copied for map keys), and a key read back from the text when its container is handed
//! to the tree encoder.

use std::borrow::Cow;

use super::{PushEncoder, Slot, at};
use crate::decode::event::EventSink;
use crate::decode::scan::{closing_quote, parse_quoted};
use crate::error::Result;

/// A key waiting for its value: borrowed for struct fields, copied for map keys.
#[derive(Debug, Clone, Copy)]
pub(super) enum PendingKey {
    /// No key is waiting.
    None,
    /// A struct field name.
    Static(&'static str),
    /// A key copied into `PushEncoder::key`.
    Copied,
}

impl<'b> PushEncoder<'b, '_> {
    /// The key of the next value of the innermost object (a struct field name).
    #[inline]
    pub(crate) fn key_static(&mut self, key: &'static str) -> Result<()> {
        if self.guess.expected_key(key) {
            return Ok(());
        }
        if self.build.is_some() || self.guess_open_row() {
            return self.any_key(key);
        }
        self.pending = PendingKey::Static(key);
        Ok(())
    }

    /// The key of the next value of the innermost object.
    #[inline]
    pub(crate) fn key(&mut self, key: &str) -> Result<()> {
        if self.guess.expected_key(key) {
            return Ok(());
        }
        self.any_key(key)
    }

    /// A key off the fast path: inside a build, in a guessed table row, or of an object
    /// written as it comes.
    #[inline(never)]
    fn any_key(&mut self, key: &str) -> Result<()> {
        if let Some(build) = &mut self.build {
            let key = Cow::Borrowed(&*self.arena.alloc_str(key));
            build.builder.key(at(), key);
            return Ok(());
        }
        if self.guess_open_row() {
            return match self.guess_key(key) {
                Ok(()) => Ok(()),
                Err(broken) => {
                    self.break_guess(broken)?;
                    self.key(key)
                }
            };
        }
        self.copy_key(key);
        Ok(())
    }

    /// Writes the pending key and takes it.
    pub(super) fn write_pending_key(&mut self) {
        match std::mem::replace(&mut self.pending, PendingKey::None) {
            PendingKey::Static(key) => self.enc.key(key),
            PendingKey::Copied => self.enc.key(&self.key),
            PendingKey::None => self.enc.key(""),
        }
    }

    /// The key written at `offset` (`\n`, indentation, maybe `- `, then the key), read
    /// back for a container handed to the tree encoder.
    fn key_at(&self, offset: usize) -> String {
        let text = self.text_from(offset).trim_start_matches('\n');
        let text = text.trim_start_matches(' ');
        let text = text.strip_prefix("- ").unwrap_or(text);
        if text.starts_with('"') {
            let end = closing_quote(text, 0).map_or(text.len(), |c| c + 1);
            return parse_quoted(&text[..end]).map_or_else(|_| String::new(), Cow::into_owned);
        }
        let end = text.find(['[', ':']).unwrap_or(text.len());
        text[..end].to_owned()
    }

    /// The key for handing a container at `slot`, whose text started at `start`, to
    /// the tree encoder.
    pub(super) fn key_at_slot(&self, slot: Slot, start: usize) -> String {
        match slot {
            Slot::Field(_) | Slot::ItemFirst(_) => self.key_at(start),
            Slot::Root | Slot::Item(_) => String::new(),
        }
    }

    /// Keeps a copy of a key until its value arrives.
    fn copy_key(&mut self, key: &str) {
        self.key.clear();
        self.key.push_str(key);
        self.pending = PendingKey::Copied;
    }
}
