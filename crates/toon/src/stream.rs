//! Streaming in both directions: a pull decoder that yields [`Event`]s (like the
//! reference's `decodeStream`) from a `&str` or any `io::BufRead`, with memory bounded by
//! the nesting depth and the longest line; and [`encode_lines`] / [`encode_each_line`],
//! which hand out the encoder's output one line at a time.

use std::io::BufRead;

use crate::decode::event::{Event, EventSink, Position, record_events};
use crate::decode::lines::{ReaderLines, StrLines};
use crate::decode::machine::{Borrow, Copy, Machine};
use crate::encode::{Sink, encode_into};
use crate::error::Result;
use crate::options::{DecodeOptions, EncodeOptions};
use crate::value::Value;

/// Buffers the events of one line for a pull consumer: a `Vec` read through a cursor,
/// refilled when drained, so events are moved out once and peeked by reference.
#[derive(Default)]
pub(crate) struct EventQueue<'a> {
    events: Vec<(Event<'a>, Position)>,
    next: usize,
    /// Position of the latest start event, given to end events (which have none).
    last: Position,
}

impl<'a> EventQueue<'a> {
    #[inline]
    pub(crate) fn pop(&mut self) -> Option<(Event<'a>, Position)> {
        let (slot, at) = self.events.get_mut(self.next)?;
        let event = std::mem::replace(slot, Event::EndArray);
        let at = *at;
        self.next += 1;
        if self.next == self.events.len() {
            self.events.clear();
            self.next = 0;
        }
        Some((event, at))
    }

    #[inline]
    pub(crate) fn peek(&self) -> Option<&(Event<'a>, Position)> {
        self.events.get(self.next)
    }

    #[inline]
    fn is_empty(&self) -> bool {
        self.next == self.events.len()
    }

    fn clear(&mut self) {
        self.events.clear();
        self.next = 0;
    }

    #[inline]
    fn push(&mut self, event: Event<'a>, at: Position) {
        self.events.push((event, at));
    }
}

impl<'a> EventSink<'a> for EventQueue<'a> {
    record_events!();
}

/// A queue a pull decoder fills one line at a time.
pub(crate) trait LineQueue<'a>: EventSink<'a> {
    /// Whether everything queued was taken.
    fn is_drained(&self) -> bool;
    /// Drops whatever is queued (after an error), and readies the queue for a line.
    fn reset(&mut self);
    /// Called once a line's items are all queued, before any is taken.
    #[inline]
    fn ready(&mut self) {}
}

impl<'a> LineQueue<'a> for EventQueue<'a> {
    #[inline]
    fn is_drained(&self) -> bool {
        self.is_empty()
    }

    fn reset(&mut self) {
        self.clear();
    }
}

/// The decoder over a `&str` that a pull consumer drives: lines, the line machine and
/// the queue their events go to.
pub(crate) struct Pull<'a, Q> {
    lines: StrLines<'a>,
    machine: Machine<'a>,
    /// What the lines read so far produced and was not taken yet.
    pub(crate) queue: Q,
    done: bool,
}

impl<'a, Q: LineQueue<'a> + Default> Pull<'a, Q> {
    /// Starts decoding `text`; nothing is read until the first refill.
    pub(crate) fn new(text: &'a str, options: &DecodeOptions) -> Result<Self> {
        options.validate()?;
        Ok(Pull {
            lines: StrLines::new(text, options.indent(), options.strict()),
            machine: Machine::new(options),
            queue: Q::default(),
            done: false,
        })
    }

    /// Reads lines until something is queued or the input ends, when the queue is
    /// drained (otherwise does nothing).
    #[inline]
    pub(crate) fn fill(&mut self) -> Result<()> {
        if self.queue.is_drained() {
            self.refill()?;
        }
        Ok(())
    }

    fn refill(&mut self) -> Result<()> {
        self.queue.reset();
        while self.queue.is_drained() && !self.done {
            let step = match self.lines.next_line() {
                Ok(Some(line)) => self.machine.line(&line, &Borrow, &mut self.queue),
                Ok(None) => {
                    self.done = true;
                    self.machine.finish(&mut self.queue)
                }
                Err(e) => Err(self.machine.explain(e)),
            };
            if let Err(e) = step {
                self.done = true;
                self.queue.reset();
                return Err(e);
            }
        }
        self.queue.ready();
        Ok(())
    }
}

/// Pull decoder over a `&str`: an iterator of events whose strings borrow from the text.
/// Stops after the first error.
pub struct Events<'a> {
    pull: Pull<'a, EventQueue<'a>>,
}

impl<'a> Events<'a> {
    /// Starts decoding `text`; nothing is read until the first `next`.
    pub fn new(text: &'a str, options: &DecodeOptions) -> Result<Self> {
        Ok(Events {
            pull: Pull::new(text, options)?,
        })
    }

    /// The next event with its position.
    #[inline]
    pub fn next_event(&mut self) -> Result<Option<(Event<'a>, Position)>> {
        self.pull.fill()?;
        Ok(self.pull.queue.pop())
    }

    /// The next event without consuming it.
    #[inline]
    pub fn peek_event(&mut self) -> Result<Option<&(Event<'a>, Position)>> {
        self.pull.fill()?;
        Ok(self.pull.queue.peek())
    }
}

impl<'a> Iterator for Events<'a> {
    type Item = Result<Event<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_event()
            .map(|e| e.map(|(event, _)| event))
            .transpose()
    }
}

/// Pull decoder over any `io::BufRead`: reads one line at a time, so memory stays bounded
/// by the nesting depth and the longest line however large the input. Strings in the
/// events are owned. Stops after the first error.
pub struct ReaderEvents<R> {
    lines: ReaderLines<R>,
    machine: Machine<'static>,
    queue: EventQueue<'static>,
    done: bool,
}

impl<R: BufRead> ReaderEvents<R> {
    /// Starts decoding from `reader`.
    pub fn new(reader: R, options: &DecodeOptions) -> Result<Self> {
        options.validate()?;
        Ok(ReaderEvents {
            lines: ReaderLines::new(reader, options.indent(), options.strict()),
            machine: Machine::new(options),
            queue: EventQueue::default(),
            done: false,
        })
    }

    /// The next event with its position.
    pub fn next_event(&mut self) -> Result<Option<(Event<'static>, Position)>> {
        loop {
            if let Some(event) = self.queue.pop() {
                return Ok(Some(event));
            }
            if self.done {
                return Ok(None);
            }
            let step = match self.lines.next_line() {
                Ok(Some(line)) => self.machine.line(&line, &Copy, &mut self.queue),
                Ok(None) => {
                    self.done = true;
                    self.machine.finish(&mut self.queue)
                }
                Err(e) => Err(self.machine.explain(e)),
            };
            if let Err(e) = step {
                self.done = true;
                self.queue.clear();
                return Err(e);
            }
        }
    }
}

impl<R: BufRead> Iterator for ReaderEvents<R> {
    type Item = Result<Event<'static>>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_event()
            .map(|e| e.map(|(event, _)| event))
            .transpose()
    }
}

/// Decodes `text` into a stream of events (see [`Events`]).
///
/// ```
/// use toon::{DecodeOptions, Event};
/// let events: Vec<Event> = toon::decode_events("a[2]: 1,2", &DecodeOptions::default())
///     .unwrap()
///     .collect::<Result<_, _>>()
///     .unwrap();
/// assert_eq!(events[2], Event::StartArray { length: Some(2) });
/// ```
pub fn decode_events<'a>(text: &'a str, options: &DecodeOptions) -> Result<Events<'a>> {
    Events::new(text, options)
}

/// Decodes `text`, calling `each` with every event and its position in document order:
/// the push form of [`decode_events`], with no queue between the decoder and the
/// consumer, and no `Value` built beyond the primitives the events carry. End events get
/// the position of the latest start, key or primitive. Stops at the first error, which
/// it returns (events before it have been handed out).
///
/// ```
/// use toon::{DecodeOptions, Event};
/// let mut keys = Vec::new();
/// toon::decode_each_event("a: 1\nb[2]: x,y", &DecodeOptions::default(), |event, _| {
///     if let Event::Key(key) = event {
///         keys.push(key);
///     }
/// })
/// .unwrap();
/// assert_eq!(keys, ["a", "b"]);
/// ```
pub fn decode_each_event<'a>(
    text: &'a str,
    options: &DecodeOptions,
    each: impl FnMut(Event<'a>, Position),
) -> Result<()> {
    options.validate()?;
    let mut lines = StrLines::new(text, options.indent(), options.strict());
    let mut machine = Machine::new(options);
    let mut sink = EachEvent {
        each,
        last: Position::default(),
    };
    while let Some(line) = lines.next_line().map_err(|e| machine.explain(e))? {
        machine.line(&line, &Borrow, &mut sink)?;
    }
    machine.finish(&mut sink)
}

/// The sink of [`decode_each_event`]: hands each event to the callback.
struct EachEvent<F> {
    each: F,
    /// Position of the latest start, key or primitive, given to end events.
    last: Position,
}

impl<'a, F: FnMut(Event<'a>, Position)> EachEvent<F> {
    #[inline]
    fn push(&mut self, event: Event<'a>, at: Position) {
        (self.each)(event, at);
    }
}

impl<'a, F: FnMut(Event<'a>, Position)> EventSink<'a> for EachEvent<F> {
    record_events!();
}

/// Decodes from a reader into a stream of events (see [`ReaderEvents`]).
pub fn decode_reader_events<R: BufRead>(
    reader: R,
    options: &DecodeOptions,
) -> Result<ReaderEvents<R>> {
    ReaderEvents::new(reader, options)
}

/// Calls `each` with every line of the encoded document, in order, without building the
/// whole text: memory is bounded by the longest line.
pub fn encode_each_line(
    value: &Value<'_>,
    options: &EncodeOptions,
    each: impl FnMut(&str),
) -> Result<()> {
    let mut sink = LineSink {
        line: String::new(),
        each,
        started: false,
    };
    encode_into(value, options, &mut sink)?;
    if sink.started {
        (sink.each)(&sink.line);
    }
    Ok(())
}

/// The encoded document as its lines (no newline characters), like the reference's
/// `encodeLines`; joining them with `\n` gives exactly [`encode`](crate::encode()).
pub fn encode_lines(
    value: &Value<'_>,
    options: &EncodeOptions,
) -> Result<std::vec::IntoIter<String>> {
    let mut lines = Vec::new();
    encode_each_line(value, options, |line| lines.push(line.to_owned()))?;
    Ok(lines.into_iter())
}

/// Splits the encoder's output at LF and hands out each finished line.
struct LineSink<F: FnMut(&str)> {
    line: String,
    each: F,
    started: bool,
}

impl<F: FnMut(&str)> Sink for LineSink<F> {
    fn push_str(&mut self, s: &str) {
        // Every LF the encoder writes ends a line (text never holds a raw LF: it is
        // escaped); a piece may carry the next line's indentation after it.
        let mut rest = s;
        while let Some(at) = memchr::memchr(b'\n', rest.as_bytes()) {
            self.line.push_str(&rest[..at]);
            (self.each)(&self.line);
            self.line.clear();
            rest = &rest[at + 1..];
        }
        self.started |= !s.is_empty();
        self.line.push_str(rest);
    }
}
