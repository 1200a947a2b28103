//! Delimited text exports.

use super::RowRef;
use super::header::match_header;
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
        .from_reader(input);

    let mut record = ::csv::StringRecord::new();
    // The header is the first non-blank record.
    let (header, header_line) = loop {
        match reader.read_record(&mut record) {
            Ok(true) if record.iter().all(|c| c.trim().is_empty()) => continue,
            Ok(true) => {
                let line = record.position().map_or(1, |p| p.line());
                break (record.iter().map(str::to_owned).collect::<Vec<_>>(), line);
            }
            Ok(false) => {
                return Err(IngestError::Empty {
                    file: file.display.clone(),
                });
            }
            Err(e) => {
                return Err(IngestError::Unreadable {
                    file: file.display.clone(),
                    reason: e.to_string(),
                });
            }
        }
    };
    let matched = match_header(
        &file.display,
        &format!("line {header_line}"),
        &header,
        wanted,
    )?;
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
        let line = record.position().map_or(0, |p| p.line());
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
