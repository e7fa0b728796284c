//! The lines of one extraction file, read one at a time: decoded from UTF-8 or, failing
//! that, Latin-1 (older extractions), and never more than [`MAX_LINE_BYTES`] of one line
//! held in memory: a longer line is read past and flagged, to be refused. For files a
//! parser reads itself (FINESS's CSV), [`LengthChecked`] stops at such a line instead.

use super::reader::Message;
use std::io::{self, BufRead, Read};

/// The longest line read, end of line included (a line of the extraction has well under
/// a thousand bytes); of a longer one only this many first bytes are kept.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// The lines of one file: the header first (in `text` once opened), then each non-blank
/// line with its number (the header is line 1) and the bytes read so far.
pub struct Lines<'r> {
    reader: &'r mut dyn BufRead,
    bytes: Vec<u8>,
    pub text: String,
    pub number: u64,
    /// Whether the current line is longer than [`MAX_LINE_BYTES`]: `text` then holds
    /// only its beginning.
    pub too_long: bool,
    done: u64,
}

impl<'r> Lines<'r> {
    /// Reads the header line.
    pub fn open(reader: &'r mut dyn BufRead) -> Result<Self, String> {
        let mut lines = Self {
            reader,
            bytes: Vec::new(),
            text: String::new(),
            number: 1,
            too_long: false,
            done: 0,
        };
        lines.done = lines.read()? as u64;
        if lines.too_long {
            return Err(format!(
                "ligne 1 : en-tête de plus de {MAX_LINE_BYTES} octets, ce fichier n’a pas la forme attendue."
            ));
        }
        Ok(lines)
    }

    /// How far the reading is in a file of `total` bytes.
    pub fn progress(&self, total: u64) -> Message {
        Message::Progress {
            done: self.done,
            total,
        }
    }

    /// Moves to the next non-blank line; `false` at the end of the file.
    pub fn next(&mut self) -> Result<bool, String> {
        loop {
            let read = self.read()?;
            if read == 0 {
                return Ok(false);
            }
            self.done += read as u64;
            self.number += 1;
            if !self.text.trim().is_empty() {
                return Ok(true);
            }
        }
    }

    /// Reads one line into `text`; returns the bytes it took from the file, 0 at the end.
    fn read(&mut self) -> Result<usize, String> {
        let (read, too_long) =
            read_bounded(self.reader, &mut self.bytes).map_err(|e| e.to_string())?;
        self.too_long = too_long;
        self.text.clear();
        match std::str::from_utf8(&self.bytes) {
            Ok(utf8) => self.text.push_str(utf8),
            Err(_) => self.text.extend(self.bytes.iter().map(|&b| char::from(b))),
        }
        Ok(read)
    }
}

/// Reads up to the next end of line, keeping at most [`MAX_LINE_BYTES`] bytes in `bytes`:
/// the bytes consumed (0 at the end of the file), and whether some were not kept.
fn read_bounded(reader: &mut dyn BufRead, bytes: &mut Vec<u8>) -> io::Result<(usize, bool)> {
    bytes.clear();
    let (mut consumed, mut too_long) = (0, false);
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok((consumed, too_long));
        }
        let end = available.iter().position(|&b| b == b'\n');
        let chunk = &available[..end.map_or(available.len(), |i| i + 1)];
        let room = MAX_LINE_BYTES - bytes.len();
        too_long |= chunk.len() > room;
        bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let taken = chunk.len();
        reader.consume(taken);
        consumed += taken;
        if end.is_some() {
            return Ok((consumed, too_long));
        }
    }
}

/// A reader that fails at the first line longer than [`MAX_LINE_BYTES`], after handing on
/// its beginning: a parser that holds a whole line then holds no more than that.
pub struct LengthChecked<R> {
    inner: R,
    /// Bytes since the last end of line.
    line_bytes: usize,
    too_long: bool,
}

impl<R> LengthChecked<R> {
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            line_bytes: 0,
            too_long: false,
        }
    }
}

impl<R: Read> Read for LengthChecked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let too_long = || {
            let message = format!(
                "ligne de plus de {MAX_LINE_BYTES} octets, la longueur maximale d’une ligne"
            );
            io::Error::new(io::ErrorKind::InvalidData, message)
        };
        if self.too_long {
            return Err(too_long());
        }
        let read = self.inner.read(buf)?;
        for (i, &byte) in buf[..read].iter().enumerate() {
            self.line_bytes = if byte == b'\n' {
                0
            } else {
                self.line_bytes + 1
            };
            if self.line_bytes >= MAX_LINE_BYTES {
                self.too_long = true;
                // Nothing handed on would read as the end of the file.
                return if i == 0 { Err(too_long()) } else { Ok(i) };
            }
        }
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_over_the_limit_is_flagged_and_only_its_beginning_kept() {
        let mut file = vec![b'a'; MAX_LINE_BYTES];
        file.extend_from_slice(b"bc\nsuite\n");
        let mut reader = io::BufReader::with_capacity(1000, file.as_slice());
        let mut bytes = Vec::new();
        let (read, too_long) = read_bounded(&mut reader, &mut bytes).unwrap();
        assert_eq!(
            (read, too_long, bytes.len()),
            (MAX_LINE_BYTES + 3, true, MAX_LINE_BYTES)
        );
        let (read, too_long) = read_bounded(&mut reader, &mut bytes).unwrap();
        assert_eq!(
            (read, too_long, bytes.as_slice()),
            (6, false, &b"suite\n"[..])
        );
        assert_eq!(read_bounded(&mut reader, &mut bytes).unwrap(), (0, false));
    }

    #[test]
    fn a_line_of_exactly_the_limit_is_read_whole() {
        let mut file = vec![b'a'; MAX_LINE_BYTES - 1];
        file.push(b'\n');
        let mut reader = io::BufReader::new(file.as_slice());
        let mut bytes = Vec::new();
        assert_eq!(
            read_bounded(&mut reader, &mut bytes).unwrap(),
            (MAX_LINE_BYTES, false)
        );
    }

    #[test]
    fn a_checked_reader_stops_at_a_line_over_the_limit() {
        let mut file = b"court\n".to_vec();
        file.extend(vec![b'a'; 3 * MAX_LINE_BYTES]);
        let mut checked = LengthChecked::new(file.as_slice());
        let mut read = Vec::new();
        let error = checked.read_to_end(&mut read).unwrap_err();
        assert!(
            error.to_string().contains("plus de 65536 octets"),
            "{error}"
        );
        assert!(
            read.len() < MAX_LINE_BYTES + 6,
            "{} bytes handed on",
            read.len()
        );
        assert!(read.starts_with(b"court\n"));
    }
}
