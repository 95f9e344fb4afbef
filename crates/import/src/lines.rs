//! The line each CSV record starts on, for the readers' messages (`file:line`).
//!
//! `csv` gives a record the position where it began reading it, which is before the line breaks
//! it skips: the `\n` of a `\r\n` ending the line before, and blank lines. So its line for a
//! record after a CRLF or a blank line is too small (a multi-line quoted field ending in CRLF
//! included). `counted` wraps the input to note where the line breaks are, and
//! `Lines::line_of` gives the line of the record's first byte.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{self, Read};
use std::rc::Rc;

#[derive(Debug, Default)]
struct Breaks {
    /// The offsets of the `\r` and `\n` bytes read and not yet passed by a record, and whether
    /// each is a `\n`.
    ahead: VecDeque<(u64, bool)>,
    /// Bytes read.
    read: u64,
    /// `\n` bytes passed.
    passed: u64,
}

/// An input that notes its line breaks for `Lines`.
#[derive(Debug)]
pub(crate) struct Counted<R> {
    inner: R,
    breaks: Rc<RefCell<Breaks>>,
}

/// Answers the line of a record of the input that `counted` wrapped.
#[derive(Debug)]
pub(crate) struct Lines {
    breaks: Rc<RefCell<Breaks>>,
}

/// Wraps `inner`, to be read by a `csv::Reader`, and gives the `Lines` of its records.
pub(crate) fn counted<R: Read>(inner: R) -> (Counted<R>, Lines) {
    let breaks = Rc::new(RefCell::new(Breaks::default()));
    let lines = Lines {
        breaks: Rc::clone(&breaks),
    };
    (Counted { inner, breaks }, lines)
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut breaks = self.breaks.borrow_mut();
        let start = breaks.read;
        for (i, &b) in buf.get(..n).unwrap_or_default().iter().enumerate() {
            if b == b'\n' || b == b'\r' {
                breaks.ahead.push_back((start + i as u64, b == b'\n'));
            }
        }
        breaks.read = start + n as u64;
        Ok(n)
    }
}

impl Lines {
    /// The line (from 1) that `record`, just read from the wrapped input, starts on.
    pub(crate) fn line_of(&self, record: &csv::ByteRecord) -> u64 {
        self.line_at(record.position().map_or(0, |p| p.byte()))
    }

    /// The line (from 1) of the first byte of a record whose reading began at byte `start`
    /// (its `position().byte()`), past the line breaks there. Records are asked for in order.
    pub(crate) fn line_at(&self, start: u64) -> u64 {
        let mut breaks = self.breaks.borrow_mut();
        while let Some(&(offset, newline)) = breaks.ahead.front() {
            if offset >= start {
                break;
            }
            breaks.ahead.pop_front();
            breaks.passed += u64::from(newline);
        }
        // The line breaks on the bytes `start`, `start + 1`, … that the reader skipped.
        let skipped: u64 = (start..)
            .zip(&breaks.ahead)
            .take_while(|&(at, &(offset, _))| offset == at)
            .map(|(_, &(_, newline))| u64::from(newline))
            .sum();
        1 + breaks.passed + skipped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line of each record of `input`, read by `csv` in small pieces.
    fn record_lines(input: &[u8]) -> Vec<u64> {
        struct Trickle<'a>(&'a [u8]);
        impl std::io::Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = buf.len().min(3).min(self.0.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let (input, lines) = counted(Trickle(input));
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(input);
        let mut out = Vec::new();
        let mut record = csv::ByteRecord::new();
        while reader.read_byte_record(&mut record).unwrap() {
            out.push(lines.line_of(&record));
        }
        out
    }

    #[test]
    fn records_get_the_line_they_start_on() {
        let lines = |input: &str| record_lines(input.as_bytes());
        assert_eq!(lines("a\nb\nc"), [1, 2, 3]);
        assert_eq!(lines("a\r\nb\r\nc\r\n"), [1, 2, 3]);
        assert_eq!(lines("\n\na\n\nb\r\n\r\n\r\nc\n\n"), [3, 5, 8]);
        assert_eq!(
            lines("a\rb\rc"),
            [1, 1, 1],
            "a lone CR ends a record, not a line"
        );
        assert_eq!(lines("a,\"x\ny\r\nz\"\r\nb\n\"\n\"\nc"), [1, 4, 5, 7]);
        assert_eq!(
            lines("h\r\n\"multi\r\nline\r\nreview\",x\r\nbad\r\n\r\nlast\r\n"),
            [1, 2, 5, 7]
        );
    }
}
