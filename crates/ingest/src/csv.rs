//! Delimited text exports.

use super::RowRef;
use super::header::HeaderSearch;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader, Cursor, Seek, SeekFrom};

use super::Limits;
use super::text::{decode, sniff_delimiter};
use super::{Broken, FileColumns, IngestError, SourceFile, SourceRow, WantedColumn};
use sprout_config::{TableSpec, TextEncoding};

const STACK_CELLS: usize = 24;

pub(super) fn read(
    file: &mut SourceFile,
    id: u16,
    spec: &TableSpec,
    valid_utf8: bool,
    wanted: &[WantedColumn],
    sink: &mut dyn FnMut(SourceRow<'_>),
) -> Result<FileColumns, IngestError> {
    let unreadable = |e: std::io::Error| IngestError::Unreadable {
        file: file.display.clone(),
        reason: e.to_string(),
    };
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
        let input = LineTracker::new(input, bom as u64, spec.limits);
        parse(file, id, delimiter, input, wanted, sink)
    } else {
        let bytes = std::fs::read(&file.path).map_err(unreadable)?;
        let decoded = decode(&bytes, spec.encoding);
        if decoded.fell_back {
            file.encoding_note = Some("not valid UTF-8; read as Windows-1252".to_owned());
        }
        let text: &str = &decoded.text;
        let delimiter = spec.delimiter.unwrap_or_else(|| sniff_delimiter(text));
        let input = LineTracker::new(Cursor::new(text.as_bytes()), 0, spec.limits);
        parse(file, id, delimiter, input, wanted, sink)
    }
}

/// Reads one record, or says why it could not: a row longer than the limits (a stray
/// quote that never closes, or a line with no break) is reported, not buffered whole.
enum Next {
    Record,
    End,
    TooLong,
}

fn next_record<R: std::io::Read + Seek>(
    reader: &mut ::csv::Reader<LineTracker<R>>,
    record: &mut ::csv::StringRecord,
    display: &str,
) -> Result<Next, IngestError> {
    let start = reader.position().byte();
    reader.get_ref().record_starts(start);
    match reader.read_record(record) {
        Ok(true) => Ok(Next::Record),
        Ok(false) => Ok(Next::End),
        Err(e) => {
            if let ::csv::ErrorKind::Io(io) = e.kind()
                && io.get_ref().is_some_and(|r| r.is::<TooLong>())
            {
                return Ok(Next::TooLong);
            }
            Err(IngestError::Unreadable {
                file: display.to_owned(),
                reason: e.to_string(),
            })
        }
    }
}

fn parse<R: std::io::Read + Seek>(
    file: &mut SourceFile,
    id: u16,
    delimiter: u8,
    input: LineTracker<R>,
    wanted: &[WantedColumn],
    sink: &mut dyn FnMut(SourceRow<'_>),
) -> Result<FileColumns, IngestError> {
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(LOOKAHEAD as usize)
        .from_reader(input);
    let limits = reader.get_ref().limits;
    let display = file.display.clone();

    let mut record = ::csv::StringRecord::new();
    // The header is the first non-blank record with every required column; a title or
    // export date above it is skipped.
    let mut search = HeaderSearch::default();
    reader.get_mut().limit = limits.header_bytes;
    let (header, matched, header_line) =
        find_header(&mut reader, &mut record, file, wanted, &mut search)?;
    // Blank cells at the end of the header (a common Excel artefact) are not columns.
    let width = header
        .iter()
        .rposition(|h| !h.trim().is_empty())
        .map_or(0, |i| i + 1);
    reader.get_mut().limit = limits.row_bytes;
    search.send_data_above((&header, &matched, header_line), wanted, file, id, sink);
    let blank = vec![""; matched.index.len()];

    loop {
        let start = reader.position().byte();
        // A row that could not be read whole, or a value that ran over line breaks in a way
        // no note does, was opened by a stray quote that swallowed the lines after it.
        let stray = match next_record(&mut reader, &mut record, &display)? {
            Next::End => break,
            Next::TooLong => true,
            Next::Record if record.iter().all(|c| c.trim().is_empty()) => {
                file.blank_rows += 1;
                continue;
            }
            Next::Record => swallowed_rows(&record, width, delimiter),
        };
        if stray {
            // Where the quote opened, worked out before the line count moves past it.
            let r = resync(&mut reader, start, None, &display)?;
            if r.too_long {
                return Err(IngestError::LineTooLong {
                    file: display,
                    line: r.bad_line,
                    limit: limits.row_bytes,
                    key: "row_bytes",
                });
            }
            file.rows += 1;
            sink(SourceRow {
                at: RowRef {
                    file: id,
                    line: r.bad_line,
                },
                cells: &blank,
                broken: Some(Broken::StrayQuote),
                formulas: &[],
                row_hash: 0,
            });
            // Read on from the line after the one where the quote opened.
            let Some(resume) = r.resume else { break };
            let mut pos = ::csv::Position::new();
            pos.set_byte(resume).set_line(r.bad_line + 1);
            reader.get_mut().resume_line = r.bad_line + 1;
            reader.seek(pos).map_err(|e| IngestError::Unreadable {
                file: display.clone(),
                reason: e.to_string(),
            })?;
            continue;
        }
        file.rows += 1;
        let line = line_of(&reader, &record);
        let at = RowRef { file: id, line };
        let ragged =
            record.len() < width || record.iter().skip(width).any(|c| !c.trim().is_empty());
        let broken = ragged.then_some(Broken::FieldCount {
            expected: width,
            found: record.len(),
        });
        send(sink, at, broken, &record, width, &matched.index);
    }
    Ok(FileColumns {
        file: id,
        headers: matched.headers,
        unused: matched.unused,
        repeats: None,
    })
}

/// The header: the first non-blank record with every required column, its match to the
/// wanted columns, and its line.
fn find_header<R: std::io::Read + Seek>(
    reader: &mut ::csv::Reader<LineTracker<R>>,
    record: &mut ::csv::StringRecord,
    file: &SourceFile,
    wanted: &[WantedColumn],
    search: &mut HeaderSearch,
) -> Result<(Vec<String>, super::header::HeaderMatch, u64), IngestError> {
    let display = file.display.clone();
    let limits = reader.get_ref().limits;
    loop {
        let start = reader.position().byte();
        match next_record(reader, record, &display)? {
            Next::Record if record.iter().all(|c| c.trim().is_empty()) => continue,
            Next::Record => {
                let line = line_of(reader, record);
                let row: Vec<String> = record.iter().map(str::to_owned).collect();
                if let Some(m) =
                    search.try_row(&file.display, &format!("line {line}"), line, &row, wanted)?
                {
                    return Ok((row, m, line));
                }
            }
            Next::End => {
                return Err(std::mem::take(search).ended(IngestError::Empty {
                    file: file.display.clone(),
                }));
            }
            Next::TooLong => {
                let line = resync(reader, start, None, &display)?.bad_line;
                return Err(IngestError::LineTooLong {
                    file: display,
                    line,
                    limit: limits.header_bytes,
                    key: "header_bytes",
                });
            }
        }
    }
}

/// The line a record starts on.
fn line_of<R: std::io::Read>(
    reader: &::csv::Reader<LineTracker<R>>,
    record: &::csv::StringRecord,
) -> u64 {
    reader
        .get_ref()
        .first_line(reader.position().byte(), record.as_slice())
}

/// One data row to the sink: the wanted cells (on the stack where there are few).
fn send(
    sink: &mut dyn FnMut(SourceRow<'_>),
    at: RowRef,
    broken: Option<Broken>,
    record: &::csv::StringRecord,
    width: usize,
    index: &[Option<usize>],
) {
    let row_hash = hash_fields(record.iter().take(width.max(record.len())));
    let cell = |i: &Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("");
    // Most tables want a few columns: keep their cells on the stack.
    if index.len() <= STACK_CELLS {
        let mut cells = [""; STACK_CELLS];
        for (slot, i) in cells.iter_mut().zip(index) {
            *slot = cell(i);
        }
        sink(SourceRow {
            at,
            cells: &cells[..index.len()],
            broken,
            formulas: &[],
            row_hash,
        });
    } else {
        let cells: Vec<&str> = index.iter().map(cell).collect();
        sink(SourceRow {
            at,
            cells: &cells,
            broken,
            formulas: &[],
            row_hash,
        });
    }
}

/// Whether a record read over line breaks holds rows of the file inside a value: it has
/// the wrong number of fields, or a line inside one of its values has as many delimiters
/// as a row (a note over several lines does not).
fn swallowed_rows(record: &::csv::StringRecord, width: usize, delimiter: u8) -> bool {
    if breaks_in(record.as_slice()) == 0 {
        return false;
    }
    let ragged = record.len() < width || record.iter().skip(width).any(|c| !c.trim().is_empty());
    ragged
        || (width >= 3
            && record.iter().any(|value| {
                value
                    .split(['\n', '\r'])
                    .skip(1)
                    .any(|l| l.bytes().filter(|b| *b == delimiter).count() + 1 >= width)
            }))
}

/// A hash of a row's cells, blank cells at its end ignored (a row saved again by Excel
/// may gain or lose them), for finding rows repeated exactly.
pub(super) fn hash_fields<'a>(cells: impl Iterator<Item = &'a str>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = sprout_core::fxhash::content_hasher();
    // Blank cells are hashed only once a cell with text follows them.
    let mut blanks = 0usize;
    for c in cells {
        let c = c.trim();
        if c.is_empty() {
            blanks += 1;
            continue;
        }
        for _ in 0..std::mem::take(&mut blanks) {
            "".hash(&mut h);
        }
        c.hash(&mut h);
    }
    h.finish()
}

/// Finds the line a row that could not be read started on, and where the next line starts.
fn resync<R: std::io::Read + Seek>(
    reader: &mut ::csv::Reader<LineTracker<R>>,
    start: u64,
    line: Option<u64>,
    display: &str,
) -> Result<Resync, IngestError> {
    reader
        .get_mut()
        .next_line_after(start, line)
        .map_err(|e| IngestError::Unreadable {
            file: display.to_owned(),
            reason: e.to_string(),
        })
}

/// The parser's read-ahead: a row may run this far past its limit before it is stopped.
const LOOKAHEAD: u64 = 1 << 16;

/// The marker error a [`LineTracker`] raises when a row grows past its limit.
#[derive(Debug)]
struct TooLong;

impl std::fmt::Display for TooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("row too long")
    }
}

impl std::error::Error for TooLong {}

/// Where to read on after a row that could not be read.
#[derive(Debug, PartialEq, Eq)]
struct Resync {
    /// The line the row started on.
    bad_line: u64,
    /// That line has no break within the limit.
    too_long: bool,
    /// Byte offset of the next line, `None` at the end of the file.
    resume: Option<u64>,
}

/// Counts lines by the line breaks before a record's start, so that line numbers are
/// right whatever the line endings (the CSV parser's own count runs one short after
/// CRLF). A break is a `\n`, or a `\r` not followed by one (old Mac exports). Only the
/// breaks read ahead of the parser are held. It also stops a row from growing past its
/// limit, and can go back to read on after a row that could not be read.
struct LineTracker<R> {
    inner: R,
    /// Where the parser's byte 0 is in `inner` (after a byte order mark).
    base: u64,
    /// Bytes read so far.
    read: u64,
    /// The last byte read was a `\r`, at this offset.
    pending_cr: Option<u64>,
    state: RefCell<Lines>,
    limits: Limits,
    /// The bound on the record being read, in bytes.
    limit: u64,
    /// Offset at which the record being read started.
    record_start: std::cell::Cell<u64>,
    /// The line a seek goes to.
    resume_line: u64,
}

struct Lines {
    /// Offsets of the last byte of each line break read but not yet passed.
    ahead: VecDeque<u64>,
    /// Line breaks already passed.
    passed: u64,
}

impl<R> LineTracker<R> {
    fn new(inner: R, base: u64, limits: Limits) -> Self {
        Self {
            inner,
            base,
            read: 0,
            pending_cr: None,
            state: RefCell::new(Lines {
                ahead: VecDeque::new(),
                passed: 0,
            }),
            limits,
            limit: limits.row_bytes,
            record_start: std::cell::Cell::new(0),
            resume_line: 1,
        }
    }

    /// The parser starts a record at this offset.
    fn record_starts(&self, at: u64) {
        self.record_start.set(at);
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

impl<R: std::io::Read + Seek> LineTracker<R> {
    /// Scans from `start` (where a record began) past blank lines to the first line with
    /// text, and returns that line's number (`line`, when already known) and the offset of
    /// the line after it. Reads at most the row limit of that line.
    fn next_line_after(&mut self, start: u64, line: Option<u64>) -> std::io::Result<Resync> {
        let mut number = line.unwrap_or_else(|| {
            let s = self.state.get_mut();
            s.passed + 1 + s.ahead.iter().filter(|&&at| at < start).count() as u64
        });
        self.inner.seek(SeekFrom::Start(self.base + start))?;
        let mut input = BufReader::with_capacity(1 << 16, &mut self.inner);
        let mut at = start;
        let mut blank = true;
        let mut length = 0u64;
        loop {
            let buf = input.fill_buf()?;
            if buf.is_empty() {
                return Ok(Resync {
                    bad_line: number,
                    too_long: false,
                    resume: None,
                });
            }
            let n = buf.len();
            for i in 0..n {
                let b = buf[i];
                let pos = at + i as u64;
                let ends = b == b'\n' || (b == b'\r' && buf.get(i + 1) != Some(&b'\n'));
                if ends {
                    if blank {
                        if line.is_none() {
                            number += 1;
                        }
                        length = 0;
                        continue;
                    }
                    return Ok(Resync {
                        bad_line: number,
                        too_long: false,
                        resume: Some(pos + 1),
                    });
                }
                if b != b'\r' && !b.is_ascii_whitespace() {
                    blank = false;
                }
                length += 1;
                if length > self.limits.row_bytes {
                    return Ok(Resync {
                        bad_line: number,
                        too_long: true,
                        resume: None,
                    });
                }
            }
            input.consume(n);
            at += n as u64;
        }
    }
}

/// Line breaks inside a text: `\n`, and `\r` not followed by `\n`.
fn breaks_in(text: &str) -> u64 {
    let b = text.as_bytes();
    memchr::memchr2_iter(b'\n', b'\r', b)
        .filter(|&i| b[i] == b'\n' || b.get(i + 1) != Some(&b'\n'))
        .count() as u64
}

impl<R: std::io::Read> std::io::Read for LineTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.read.saturating_sub(self.record_start.get()) > self.limit + LOOKAHEAD {
            return Err(std::io::Error::other(TooLong));
        }
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

impl<R: Seek> Seek for LineTracker<R> {
    /// Goes to an offset at the start of line [`LineTracker::resume_line`].
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        let SeekFrom::Start(offset) = to else {
            return Err(std::io::Error::other("only seeks from the start"));
        };
        self.inner.seek(SeekFrom::Start(self.base + offset))?;
        self.read = offset;
        self.pending_cr = None;
        self.record_start.set(offset);
        let state = self.state.get_mut();
        state.ahead.clear();
        state.passed = self.resume_line - 1;
        Ok(offset)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::io::Read;

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
            .from_reader(LineTracker::new(input, 0, Limits::default()));
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
