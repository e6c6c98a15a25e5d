//! Where encoded text goes: a `String`, or an `io::Write` fed in chunks.

use std::io;

use crate::error::{Error, Result};

/// A destination for encoded text.
pub(crate) trait Sink {
    /// Appends text.
    fn push_str(&mut self, s: &str);

    /// Reports a failure that happened while appending (I/O), once encoding is done.
    fn check(&mut self) -> Result<()> {
        Ok(())
    }
}

impl<S: Sink + ?Sized> Sink for &mut S {
    #[inline]
    fn push_str(&mut self, s: &str) {
        (**self).push_str(s);
    }

    fn check(&mut self) -> Result<()> {
        (**self).check()
    }
}

impl Sink for String {
    #[inline]
    fn push_str(&mut self, s: &str) {
        String::push_str(self, s);
    }
}

/// Buffers text and writes it to an `io::Write` in chunks; the first I/O error stops
/// further writes and is reported by [`IoSink::finish`].
pub(crate) struct IoSink<W: io::Write> {
    writer: W,
    buffer: Vec<u8>,
    error: Option<io::Error>,
}

const CHUNK: usize = 64 * 1024;

impl<W: io::Write> IoSink<W> {
    pub(crate) fn new(writer: W) -> Self {
        IoSink {
            writer,
            buffer: Vec::with_capacity(CHUNK),
            error: None,
        }
    }

    fn flush_buffer(&mut self) {
        if self.error.is_none()
            && let Err(e) = self.writer.write_all(&self.buffer)
        {
            self.error = Some(e);
        }
        self.buffer.clear();
    }

    /// Writes what is buffered, flushes the writer, and reports the first I/O error.
    pub(crate) fn finish(mut self) -> Result<()> {
        self.flush_buffer();
        if let Some(e) = self.error.take() {
            return Err(Error::io(e));
        }
        self.writer.flush().map_err(Error::io)
    }
}

impl<W: io::Write> Sink for IoSink<W> {
    #[inline]
    fn push_str(&mut self, s: &str) {
        self.buffer.extend_from_slice(s.as_bytes());
        if self.buffer.len() >= CHUNK {
            self.flush_buffer();
        }
    }

    fn check(&mut self) -> Result<()> {
        match &self.error {
            Some(e) => Err(Error::io(io::Error::new(e.kind(), e.to_string()))),
            None => Ok(()),
        }
    }
}
