//! Bounds on what a zipped workbook (XLSX, ODS) declares, checked before the workbook
//! library reads it: a few kilobytes of XML can declare a string of gigabytes, or rows
//! and columns repeated into billions of cells, which the library would build in memory.

use std::io::{BufReader, Read};
use std::path::Path;

use quick_xml::events::{BytesStart, Event};

use super::{IngestError, Limits};

/// Checks a workbook's XML against `limits`: no stretch of XML without a tag (a cell's
/// text, an attribute) longer than `cell_bytes`; a shared-string table of at most
/// `shared_strings_bytes`; and, in an ODS file, rows and columns that expand to at most
/// `sheet_cells` cells in every sheet and in all of them together (the library expands
/// every sheet). A file that is not a zip archive is left to the library to read or
/// refuse.
pub fn check_workbook(path: &Path, display: &str, limits: &Limits) -> Result<(), IngestError> {
    let Ok(file) = std::fs::File::open(path) else {
        return Ok(());
    };
    let Ok(mut archive) = zip::ZipArchive::new(BufReader::new(file)) else {
        return Ok(());
    };
    let names: Vec<String> = archive
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect();
    let refused = |reason: String| IngestError::Unreadable {
        file: display.to_owned(),
        reason,
    };
    for name in names {
        let lower = name.to_ascii_lowercase();
        if !lower.ends_with(".xml") {
            continue;
        }
        let shared_strings = lower.ends_with("sharedstrings.xml");
        let ods_content = lower == "content.xml";
        let Ok(entry) = archive.by_name(&name) else {
            continue;
        };
        let mut scan = Scan::new(entry, limits.cell_bytes);
        let total = if ods_content {
            match ods_cells(&mut scan, limits.sheet_cells) {
                Ok(()) => scan.total,
                Err(OdsStop::TooLarge { sheet, cells }) => {
                    return Err(IngestError::SheetTooLarge {
                        file: display.to_owned(),
                        sheet: sprout_core::privacy::sheet_shown(&sheet),
                        cells,
                        limit: limits.sheet_cells,
                    });
                }
                Err(OdsStop::Unreadable) => scan.total,
            }
        } else {
            scan.drain(shared_strings.then_some(limits.shared_strings_bytes))
        };
        if let Some(at) = scan.long_run {
            return Err(refused(format!(
                "{name} holds a value or tag longer than {} (from byte {at}), more than \
                 any spreadsheet cell holds; the file is damaged or was not written by a \
                 spreadsheet program. If the value is real, raise `cell_bytes` in [limits]",
                super::bytes_in_words(limits.cell_bytes)
            )));
        }
        if shared_strings && total > limits.shared_strings_bytes {
            return Err(refused(format!(
                "its table of text values ({name}) is larger than {}; export the table \
                 as CSV, or raise `shared_strings_bytes` in [limits]",
                super::bytes_in_words(limits.shared_strings_bytes)
            )));
        }
    }
    Ok(())
}

/// Reads an XML entry, measuring it: its size, and the first stretch without a `<`
/// longer than the bound.
struct Scan<R: Read> {
    inner: BufReader<R>,
    bound: u64,
    /// Bytes since the last `<`.
    run: u64,
    total: u64,
    long_run: Option<u64>,
}

impl<R: Read> Scan<R> {
    fn new(inner: R, bound: u64) -> Self {
        Self {
            inner: BufReader::with_capacity(1 << 16, inner),
            bound,
            run: 0,
            total: 0,
            long_run: None,
        }
    }

    /// Reads to the end, or until the run or the size passes its bound. Returns the
    /// bytes read.
    fn drain(&mut self, size_bound: Option<u64>) -> u64 {
        let mut buf = vec![0u8; 1 << 16];
        loop {
            match self.read(&mut buf) {
                Ok(0) | Err(_) => return self.total,
                Ok(_) if size_bound.is_some_and(|b| self.total > b) => return self.total,
                Ok(_) => {}
            }
        }
    }
}

impl<R: Read> Read for Scan<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.long_run.is_some() {
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        let chunk = &buf[..n];
        let mut last = 0usize;
        let mut since = self.run;
        for i in memchr::memchr_iter(b'<', chunk) {
            since += (i - last) as u64;
            if since > self.bound {
                self.long_run = Some(self.total + i as u64 - since);
                return Ok(0);
            }
            since = 0;
            last = i + 1;
        }
        since += (n - last) as u64;
        if since > self.bound {
            self.long_run = Some(self.total + n as u64 - since);
            return Ok(0);
        }
        self.run = since;
        self.total += n as u64;
        Ok(n)
    }
}

enum OdsStop {
    TooLarge { sheet: String, cells: u64 },
    Unreadable,
}

/// The most rows and columns a sheet may have, as the workbook library caps them.
const MAX_ROWS: u64 = 1_048_576;
const MAX_COLUMNS: u64 = 16_384;

/// Works out the cells each sheet of an ODS `content.xml` expands to, as the library
/// lays it out: from the first row with a value to the last, from column A to the last
/// column with a value, repeated rows and columns counted as often as they repeat.
fn ods_cells<R: Read>(scan: &mut Scan<R>, limit: u64) -> Result<(), OdsStop> {
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(scan));
    let mut buf = Vec::new();
    let mut all = 0u64;
    let mut sheet = Sheet::default();
    loop {
        let event = reader.read_event_into(&mut buf);
        let (element, empty) = match &event {
            Ok(Event::Start(e)) => (Some(e), false),
            Ok(Event::Empty(e)) => (Some(e), true),
            Ok(Event::End(e)) if e.name().as_ref() == "table:table" => {
                all = all.saturating_add(sheet.cells());
                sheet.check(limit, all)?;
                sheet = Sheet::default();
                (None, false)
            }
            Ok(Event::End(e)) if e.name().as_ref() == "table:table-row" => {
                sheet.end_row();
                sheet.check(limit, all.saturating_add(sheet.cells()))?;
                (None, false)
            }
            Ok(Event::Eof) => return Ok(()),
            Err(_) => return Err(OdsStop::Unreadable),
            _ => (None, false),
        };
        if let Some(e) = element {
            match e.name().as_ref() {
                "table:table" => {
                    sheet = Sheet {
                        name: attr(e, "table:name").unwrap_or_default(),
                        ..Sheet::default()
                    };
                }
                "table:table-row" => {
                    let repeats = number(e, "table:number-rows-repeated");
                    sheet.start_row(repeats);
                    if empty {
                        sheet.end_row();
                    }
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    let repeats = number(e, "table:number-columns-repeated");
                    let filled = !empty
                        || attr(e, "office:value-type").is_some()
                        || attr(e, "table:formula").is_some();
                    sheet.cell(repeats, filled);
                }
                _ => {}
            }
        }
        buf.clear();
    }
}

#[derive(Debug, Default)]
struct Sheet {
    name: String,
    /// Rows so far, repeats counted.
    rows: u64,
    /// Rows up to the last with a value, and the first with one.
    first_filled: Option<u64>,
    last_filled: u64,
    /// Widest row with a value, to its last value.
    width: u64,
    /// The row being read: repeats, columns so far, last filled column.
    row_repeats: u64,
    row_columns: u64,
    row_filled: u64,
}

impl Sheet {
    fn start_row(&mut self, repeats: u64) {
        self.row_repeats = repeats.min(MAX_ROWS.saturating_sub(self.rows));
        self.row_columns = 0;
        self.row_filled = 0;
    }

    fn cell(&mut self, repeats: u64, filled: bool) {
        let repeats = repeats.min(MAX_COLUMNS.saturating_sub(self.row_columns));
        self.row_columns += repeats;
        if filled {
            self.row_filled = self.row_columns;
        }
    }

    fn end_row(&mut self) {
        if self.row_filled > 0 {
            self.first_filled.get_or_insert(self.rows);
            self.last_filled = self.rows + self.row_repeats;
            self.width = self.width.max(self.row_filled);
        }
        self.rows = self.rows.saturating_add(self.row_repeats);
        self.row_repeats = 0;
    }

    fn cells(&self) -> u64 {
        match self.first_filled {
            Some(first) => (self.last_filled - first).saturating_mul(self.width),
            None => 0,
        }
    }

    fn check(&self, limit: u64, total: u64) -> Result<(), OdsStop> {
        if self.cells() > limit || total > limit {
            return Err(OdsStop::TooLarge {
                sheet: self.name.clone(),
                cells: total.max(self.cells()),
            });
        }
        Ok(())
    }
}

fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .map(|a| a.value.to_string())
}

/// A repeat count: 1 when absent or unreadable.
fn number(e: &BytesStart<'_>, key: &str) -> u64 {
    attr(e, key)
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|n| *n >= 1)
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(xml: &str, bound: u64) -> Option<u64> {
        let mut s = Scan::new(xml.as_bytes(), bound);
        s.drain(None);
        s.long_run
    }

    #[test]
    fn a_long_stretch_without_a_tag_is_found() {
        assert_eq!(scan("<a>hello</a>", 10), None);
        assert_eq!(scan("<a>hello world!</a>", 10), Some(1));
        let long = format!("<sst><si><t>{}</t></si></sst>", "x".repeat(5000));
        assert!(scan(&long, 4096).is_some());
        assert!(scan(&long, 8192).is_none());
    }

    fn cells(xml: &str, limit: u64) -> Result<(), (String, u64)> {
        let mut s = Scan::new(xml.as_bytes(), 1 << 20);
        ods_cells(&mut s, limit).map_err(|e| match e {
            OdsStop::TooLarge { sheet, cells } => (sheet, cells),
            OdsStop::Unreadable => ("?".into(), 0),
        })
    }

    #[test]
    fn repeated_rows_and_columns_are_counted_before_expanding() {
        let bomb = r#"<office:document-content><office:body><office:spreadsheet>
            <table:table table:name="S"><table:table-row table:number-rows-repeated="1000000">
            <table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="100"/>
            </table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
        assert_eq!(cells(bomb, 50_000_000), Err(("S".into(), 100_000_000)));
        assert!(cells(bomb, 200_000_000).is_ok());
        // Empty rows and columns repeated to the end of the sheet, as LibreOffice writes
        // them, are not cells.
        let normal = r#"<table:table table:name="Data"><table:table-row>
            <table:table-cell office:value-type="string"><text:p>id</text:p></table:table-cell>
            <table:table-cell table:number-columns-repeated="16383"/></table:table-row>
            <table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>
            </table:table>"#;
        assert!(cells(normal, 1000).is_ok());
    }
}
