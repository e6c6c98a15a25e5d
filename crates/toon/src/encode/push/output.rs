//! The push encoder's output window: absolute offsets into the document, taking back
//! text that must be rewritten, and handing the writer text that can no longer change.

use super::array::Form;
use super::{Frame, PushEncoder};
use crate::error::{Error, Result};

/// How much text gathers before finished text goes to the writer: few write calls,
/// and memory that stays flat however long the document.
const FLUSH_AT: usize = 64 * 1024;

impl<'b> PushEncoder<'b, '_> {
    /// The absolute offset of the end of the text (text already handed to the writer
    /// included).
    pub(super) fn offset(&self) -> usize {
        self.base + self.enc.out.len()
    }

    /// The text from absolute `offset` on; it must not have been handed to the writer.
    pub(super) fn text_from(&self, offset: usize) -> &str {
        &self.enc.out[offset - self.base..]
    }

    /// Takes back everything written from `offset` on.
    pub(super) fn rewind(&mut self, offset: usize) {
        self.enc.out.truncate(offset - self.base);
        self.enc.at_start = offset == 0;
    }

    /// Hands finished text to the writer: everything before the innermost container
    /// that may still be rewritten.
    pub(super) fn maybe_flush(&mut self) -> Result<()> {
        if self.writer.is_none() || self.enc.out.len() < FLUSH_AT || self.build.is_some() {
            return Ok(());
        }
        let keep_from = match self.frames.last() {
            Some(Frame::Array {
                start,
                form: Form::Inline | Form::Tabular,
                ..
            }) => *start,
            _ => self.offset(),
        };
        // An array of unknown length gets its count inserted when it ends.
        let unknown = self.frames.iter().find_map(|frame| match frame {
            Frame::Array {
                declared: None,
                count_at,
                ..
            } => Some(*count_at),
            _ => None,
        });
        let keep_from = unknown.map_or(keep_from, |at| at.min(keep_from));
        // A keyed candidate's text may be rewritten when it ends.
        let keep_from = self
            .outermost_candidate()
            .map_or(keep_from, |at| at.min(keep_from));
        let cut = keep_from - self.base;
        if cut == 0 {
            return Ok(());
        }
        if let Some(writer) = self.writer.as_mut() {
            writer
                .write_all(&self.enc.out.as_bytes()[..cut])
                .map_err(Error::io)?;
        }
        self.enc.out.drain(..cut);
        self.base += cut;
        Ok(())
    }
}
