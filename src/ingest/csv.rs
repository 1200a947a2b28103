//! Delimited text exports.

use super::RowRef;
use super::header::HeaderSearch;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};

use super::text::{decode, scan_file, sniff_delimiter};
use super::{FieldCount, FileColumns, IngestError, SourceFile, SourceRow, WantedColumn};
use crate::config::{TableSpec, TextEncoding};

const STACK_CELLS: usize = 24;

pub(super) fn read(
    file: &mut SourceFile,
    id: u16,
    spec: &TableSpec,
    wanted: &[WantedColumn],
    sink: &mut dyn FnMut(SourceRow<'_>),
) -> Result<FileColumns, IngestError> {
    let unreadable = |e: std::io::Error| IngestError::Unreadable {
        file: file.display.clone(),
        reason: e.to_string(),
    };
    let (valid_utf8, sha256) = scan_file(&file.path).map_err(unreadable)?;
    file.sha256 = sha256;
    let utf8 = spec.encoding != Some(TextEncoding::Windows1252) && valid_utf8;
    if utf8 {
        // Stream the file: a national export is never held in memory whole.
        let mut input =
            BufReader::with_capacity(1 << 20, File::open(&file.path).map_err(unreadable)?);
        let head = input.fill_buf().map_err(unreadable)?;
        let bom = usize::from(head.starts_with(b"\xEF\xBB\xBF")) * 3;
        let sample = &head[bom..head.len().min(bom + (64 << 10))];
        let delimiter = spec
            .delimiter
            .unwrap_or_else(|| sniff_delimiter(&String::from_utf8_lossy(sample)));
        input.consume(bom);
        parse(file, id, delimiter, input, wanted, sink)
    } else {
        let bytes = std::fs::read(&file.path).map_err(unreadable)?;
        let decoded = decode(&bytes, spec.encoding);
        if decoded.fell_back {
            file.encoding_note = Some("not valid UTF-8; read as Windows-1252".to_owned());
        }
        let text: &str = &decoded.text;
        let delimiter = spec.delimiter.unwrap_or_else(|| sniff_delimiter(text));
        parse(file, id, delimiter, text.as_bytes(), wanted, sink)
    }
}

fn parse(
    file: &mut SourceFile,
    id: u16,
    delimiter: u8,
    input: impl Read,
    wanted: &[WantedColumn],
    sink: &mut dyn FnMut(SourceRow<'_>),
) -> Result<FileColumns, IngestError> {
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(LineTracker::new(input));
    let line_of = |reader: &::csv::Reader<LineTracker<_>>, record: &::csv::StringRecord| {
        reader
            .get_ref()
            .first_line(reader.position().byte(), record.as_slice())
    };

    let mut record = ::csv::StringRecord::new();
    // The header is the first non-blank record with every required column; a title or
    // export date above it is skipped.
    let mut search = HeaderSearch::default();
    let (header, matched) = loop {
        match reader.read_record(&mut record) {
            Ok(true) if record.iter().all(|c| c.trim().is_empty()) => continue,
            Ok(true) => {
                let line = line_of(&reader, &record);
                let row: Vec<String> = record.iter().map(str::to_owned).collect();
                if let Some(m) =
                    search.try_row(&file.display, &format!("line {line}"), &row, wanted)?
                {
                    break (row, m);
                }
            }
            Ok(false) => {
                return Err(search.ended(IngestError::Empty {
                    file: file.display.clone(),
                }));
            }
            Err(e) => {
                return Err(IngestError::Unreadable {
                    file: file.display.clone(),
                    reason: e.to_string(),
                });
            }
        }
    };
    let width = header.len();

    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                // Only invalid UTF-8 can fail here, and the text is already decoded.
                return Err(IngestError::Unreadable {
                    file: file.display.clone(),
                    reason: e.to_string(),
                });
            }
        }
        if record.iter().all(|c| c.trim().is_empty()) {
            file.blank_rows += 1;
            continue;
        }
        file.rows += 1;
        let line = line_of(&reader, &record);
        // Trailing empty fields (a common Excel artefact) are harmless; anything else is not.
        let ragged =
            record.len() < width || record.iter().skip(width).any(|c| !c.trim().is_empty());
        let field_count = ragged.then_some(FieldCount {
            expected: width,
            found: record.len(),
        });
        let cell = |i: &Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("");
        let at = RowRef { file: id, line };
        // Most tables want a few columns: keep their cells on the stack.
        if matched.index.len() <= STACK_CELLS {
            let mut cells = [""; STACK_CELLS];
            for (slot, i) in cells.iter_mut().zip(&matched.index) {
                *slot = cell(i);
            }
            sink(SourceRow {
                at,
                cells: &cells[..matched.index.len()],
                field_count,
            });
        } else {
            let cells: Vec<&str> = matched.index.iter().map(cell).collect();
            sink(SourceRow {
                at,
                cells: &cells,
                field_count,
            });
        }
    }
    Ok(FileColumns {
        file: id,
        headers: matched.headers,
        unused: matched.unused,
    })
}

/// Counts lines by the line breaks before a record's start, so that line numbers are
/// right whatever the line endings (the CSV parser's own count runs one short after
/// CRLF). A break is a `\n`, or a `\r` not followed by one (old Mac exports). Only the
/// breaks read ahead of the parser are held.
struct LineTracker<R> {
    inner: R,
    /// Bytes read so far.
    read: u64,
    /// The last byte read was a `\r`, at this offset.
    pending_cr: Option<u64>,
    state: RefCell<Lines>,
}

struct Lines {
    /// Offsets of the last byte of each line break read but not yet passed.
    ahead: VecDeque<u64>,
    /// Line breaks already passed.
    passed: u64,
}

impl<R: Read> LineTracker<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            read: 0,
            pending_cr: None,
            state: RefCell::new(Lines {
                ahead: VecDeque::new(),
                passed: 0,
            }),
        }
    }

    /// The 1-based line on which a record starts, given the parser's position just after
    /// reading it and the record's text. The parser stops one byte into the record's line
    /// break (or at the end of the input), which fixes the record's last line whatever
    /// the line endings and however many blank lines came before it; line breaks inside
    /// quoted cells take it back to the first. Positions must not decrease between calls.
    fn first_line(&self, end: u64, text: &str) -> u64 {
        let last_byte = end.saturating_sub(1);
        let mut s = self.state.borrow_mut();
        while s.ahead.front().is_some_and(|&at| at < last_byte) {
            s.ahead.pop_front();
            s.passed += 1;
        }
        let last_line = s.passed + 1;
        last_line.saturating_sub(breaks_in(text))
    }
}

/// Line breaks inside a text: `\n`, and `\r` not followed by `\n`.
fn breaks_in(text: &str) -> u64 {
    let b = text.as_bytes();
    memchr::memchr2_iter(b'\n', b'\r', b)
        .filter(|&i| b[i] == b'\n' || b.get(i + 1) != Some(&b'\n'))
        .count() as u64
}

impl<R: Read> Read for LineTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let state = self.state.get_mut();
        let chunk = &buf[..n];
        // A `\r` that ended the last chunk is a break of its own unless a `\n` follows.
        if let Some(cr) = self.pending_cr.take()
            && chunk.first() != Some(&b'\n')
        {
            state.ahead.push_back(cr);
        }
        for i in memchr::memchr2_iter(b'\n', b'\r', chunk) {
            let at = self.read + i as u64;
            match (chunk[i], chunk.get(i + 1)) {
                (b'\r', Some(b'\n')) => {}
                (b'\r', None) => self.pending_cr = Some(at),
                _ => state.ahead.push_back(at),
            }
        }
        self.read += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Hands its text over a byte at a time, so line breaks straddle every read.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let Some((first, rest)) = self.0.split_first() else {
                return Ok(0);
            };
            buf[0] = *first;
            self.0 = rest;
            Ok(1)
        }
    }

    fn lines(text: &str) -> Vec<u64> {
        let whole = read_lines(text.as_bytes());
        assert_eq!(whole, read_lines(Trickle(text.as_bytes())), "{text:?}");
        whole
    }

    fn read_lines(input: impl Read) -> Vec<u64> {
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(LineTracker::new(input));
        let mut record = ::csv::StringRecord::new();
        let mut out = Vec::new();
        while reader.read_record(&mut record).unwrap() {
            out.push(
                reader
                    .get_ref()
                    .first_line(reader.position().byte(), record.as_slice()),
            );
        }
        out
    }

    #[test]
    fn line_numbers_are_right_for_any_line_ending() {
        assert_eq!(lines("id,d\nA,1\nB,2\n"), vec![1, 2, 3]);
        assert_eq!(lines("id,d\r\nA,1\r\nB,2\r\n"), vec![1, 2, 3]);
        assert_eq!(lines("id,d\r\nA,1\r\nB,2"), vec![1, 2, 3]);
        assert_eq!(lines("id,d\nA,1\n\nB,2\n"), vec![1, 2, 4], "blank line");
        assert_eq!(lines("\n\nid,d\r\nA,1\r\n\r\n\r\nB,2"), vec![3, 4, 7]);
        // A quoted cell over two lines, and blank lines, move later rows on.
        assert_eq!(
            lines("id,note\r\nA,\"two\r\nlines\"\r\n\r\nB,x\r\n"),
            vec![1, 2, 5]
        );
        assert_eq!(lines("id,note\nA,\"a\n\nb\"\nB,x"), vec![1, 2, 5]);
        assert_eq!(lines("id,d\rA,1\rB,2\r"), vec![1, 2, 3], "old Mac endings");
        assert_eq!(lines("id,d\rA,1"), vec![1, 2]);
        assert_eq!(lines("id,d\r\rA,1\n"), vec![1, 3]);
    }
}
