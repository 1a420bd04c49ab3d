//! Reading a request stream line by line with bounded memory: a line is handed over as
//! bytes borrowed from the read buffer, a line longer than the limit is skipped to its end
//! without being kept, and the caller is told before every read that may wait for input,
//! so it can flush the answers a waiting client needs first.

use std::io::{self, Read};

/// One line of input, without its line break (`\n` or `\r\n`).
pub enum Line<'a> {
    Text(&'a [u8]),
    /// Longer than the limit: its bytes were not kept.
    TooLong,
}

/// Lines of a byte stream.
pub struct Lines<R> {
    input: R,
    buf: Box<[u8]>,
    /// The unread bytes are `buf[start..end]`.
    start: usize,
    end: usize,
    /// The beginning of a line longer than the buffer, kept up to the limit.
    long: Vec<u8>,
    /// The line being read is past the limit: its bytes are dropped up to the line break.
    skipping: bool,
    /// `long` was handed over as the last line: cleared when the next is asked for.
    handed_long: bool,
    limit: usize,
    eof: bool,
}

/// Where the next line was found.
enum Found {
    Buffer(usize, usize),
    Long,
    TooLong,
    End,
}

impl<R: Read> Lines<R> {
    /// Lines of `input` of at most `limit` bytes, read through a buffer of `capacity` bytes.
    pub fn new(input: R, capacity: usize, limit: usize) -> Lines<R> {
        Lines {
            input,
            buf: vec![0; capacity.max(1)].into_boxed_slice(),
            start: 0,
            end: 0,
            long: Vec::new(),
            skipping: false,
            handed_long: false,
            limit,
            eof: false,
        }
    }

    /// The next line; `None` at the end of the input. `before_read` runs before every read
    /// from the input, that is whenever the lines already read are used up.
    pub fn next_line(
        &mut self,
        before_read: &mut dyn FnMut() -> io::Result<()>,
    ) -> io::Result<Option<Line<'_>>> {
        if self.handed_long {
            self.long.clear();
            self.handed_long = false;
        }
        let found = self.find(before_read)?;
        Ok(match found {
            Found::Buffer(start, end) => self.buf.get(start..end).map(|l| Line::Text(trim_cr(l))),
            Found::Long => {
                self.handed_long = true;
                Some(Line::Text(trim_cr(&self.long)))
            }
            Found::TooLong => Some(Line::TooLong),
            Found::End => None,
        })
    }

    fn find(&mut self, before_read: &mut dyn FnMut() -> io::Result<()>) -> io::Result<Found> {
        loop {
            let unread = self.buf.get(self.start..self.end).unwrap_or_default();
            let newline = memchr::memchr(b'\n', unread);
            if let Some(i) = newline {
                let (start, end) = (self.start, self.start + i);
                self.start = end + 1;
                return Ok(self.line_ends(start, end));
            }
            if self.eof {
                if self.start == self.end && self.long.is_empty() && !self.skipping {
                    return Ok(Found::End);
                }
                // The last line has no line break.
                let (start, end) = (self.start, self.end);
                self.start = self.end;
                return Ok(self.line_ends(start, end));
            }
            self.make_room();
            before_read()?;
            let free = self.buf.get_mut(self.end..).unwrap_or_default();
            match self.input.read(free) {
                Ok(0) => self.eof = true,
                Ok(n) => self.end += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// The line whose last part is `buf[start..end]`.
    fn line_ends(&mut self, start: usize, end: usize) -> Found {
        if std::mem::take(&mut self.skipping) {
            self.long.clear();
            return Found::TooLong;
        }
        let length = self.long.len() + (end - start);
        if length > self.limit {
            self.long.clear();
            Found::TooLong
        } else if self.long.is_empty() {
            Found::Buffer(start, end)
        } else {
            self.long
                .extend_from_slice(self.buf.get(start..end).unwrap_or_default());
            Found::Long
        }
    }

    /// Room to read into: the unread part of a line moves to the front of the buffer, and
    /// a line that fills the buffer moves to `long` (or, past the limit, is dropped).
    fn make_room(&mut self) {
        if self.skipping {
            self.start = 0;
            self.end = 0;
            return;
        }
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buf.len() {
            if self.long.len() + self.end > self.limit {
                self.long.clear();
                self.skipping = true;
            } else {
                self.long
                    .extend_from_slice(self.buf.get(..self.end).unwrap_or_default());
            }
            self.end = 0;
        }
    }
}

fn trim_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(input: &[u8], capacity: usize, limit: usize) -> Vec<Option<String>> {
        let mut lines = Lines::new(input, capacity, limit);
        let mut out = Vec::new();
        while let Some(line) = lines.next_line(&mut || Ok(())).unwrap() {
            out.push(match line {
                Line::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
                Line::TooLong => None,
            });
        }
        out
    }

    #[test]
    fn every_line_once_whatever_the_buffer() {
        let input = b"ett\r\n\ntv\xc3\xa5\n[\nfyra utan radbrytning";
        for capacity in [1, 2, 3, 5, 64] {
            let lines = all(input, capacity, 100);
            assert_eq!(
                lines,
                [
                    Some("ett".into()),
                    Some("".into()),
                    Some("två".into()),
                    Some("[".into()),
                    Some("fyra utan radbrytning".into())
                ],
                "{capacity}"
            );
        }
        assert!(all(b"", 4, 10).is_empty());
        assert_eq!(all(b"\n", 4, 10), [Some(String::new())]);
    }

    #[test]
    fn a_line_past_the_limit_is_skipped_not_kept() {
        let long = "x".repeat(50);
        let input = format!("kort\n{long}\n{}\nsist", "y".repeat(10));
        for capacity in [1, 7, 16, 1000] {
            let lines = all(input.as_bytes(), capacity, 10);
            assert_eq!(
                lines,
                [
                    Some("kort".into()),
                    None,
                    Some("y".repeat(10)),
                    Some("sist".into())
                ],
                "{capacity}"
            );
        }
        // Without a line break at the end, too.
        assert_eq!(all(long.as_bytes(), 8, 10), [None]);
    }
}
