//! Streams a generated tabular TOON document of any size through the pull decoder and
//! reports throughput and peak memory: memory stays bounded by the nesting depth and the
//! longest line, not by the input.
//!
//! `cargo run --release -p toon --example stream_large -- 1024` (size in MiB; default 1024)

use std::io::{BufReader, Read};
use std::time::Instant;

use toon::{DecodeOptions, Event};

/// Produces `rows[N]{id,name,score,active}:` followed by rows, on demand.
struct Generator {
    /// Rows to write (the declared count).
    target: u64,
    produced: u64,
    row: u64,
    pending: Vec<u8>,
    offset: usize,
}

impl Generator {
    /// About `bytes` of text: rows average 38 bytes at these sizes.
    fn new(bytes: u64) -> Self {
        let rows = bytes / 38;
        Generator {
            target: rows,
            produced: 0,
            row: 0,
            pending: format!("rows[{rows}]{{id,name,score,active}}:\n").into_bytes(),
            offset: 0,
        }
    }
}

impl Read for Generator {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.offset == self.pending.len() {
            if self.row == self.target {
                return Ok(0);
            }
            self.pending.clear();
            self.offset = 0;
            // Fill about 64 KiB of rows at a time.
            while self.pending.len() < 64 * 1024 && self.row < self.target {
                let i = self.row;
                let line = format!(
                    "  {i},user number {},{}.{},{}\n",
                    i % 100_000,
                    i % 1000,
                    i % 10,
                    i.is_multiple_of(3)
                );
                self.pending.extend_from_slice(line.as_bytes());
                self.row += 1;
            }
        }
        let n = buf.len().min(self.pending.len() - self.offset);
        buf[..n].copy_from_slice(&self.pending[self.offset..self.offset + n]);
        self.offset += n;
        self.produced += n as u64;
        Ok(n)
    }
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mib: u64 = std::env::args().nth(1).map_or(Ok(1024), |a| a.parse())?;
    let before = peak_rss_kib();
    let generator = Generator::new(mib * 1024 * 1024);
    let mut reader = BufReader::with_capacity(256 * 1024, generator);
    let start = Instant::now();
    let mut rows = 0u64;
    let mut primitives = 0u64;
    let mut events = toon::decode_reader_events(&mut reader, &DecodeOptions::default())?;
    while let Some((event, _)) = events.next_event()? {
        match event {
            Event::StartObject => rows += 1,
            Event::Primitive(_) => primitives += 1,
            _ => {}
        }
    }
    drop(events);
    let elapsed = start.elapsed();
    let bytes = reader.get_ref().produced;
    println!(
        "streamed {:.1} MiB: {} rows, {} cells in {:.2?} ({:.0} MiB/s); peak RSS {} KiB (was {} KiB before)",
        bytes as f64 / 1048576.0,
        rows - 1,
        primitives,
        elapsed,
        bytes as f64 / 1048576.0 / elapsed.as_secs_f64(),
        peak_rss_kib(),
        before
    );
    Ok(())
}
