//! A first look at an export: its header and some rows, for drafting a config.

use std::path::Path;

use calamine::{Reader, open_workbook_auto};

use super::header::HEADER_SEARCH_ROWS;
use super::text::{decode, sniff_delimiter};
use super::{FileFormat, IngestError};

/// The header and first rows of one table inside a file (a CSV, or one worksheet).
#[derive(Debug, Clone)]
pub struct Peek {
    pub file: String,
    pub format: FileFormat,
    pub sheet: Option<String>,
    pub delimiter: Option<u8>,
    pub windows_1252: bool,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The header among a table's first non-blank rows, and up to `max_rows` rows after it.
/// Titles and export dates above a table fill a cell or two; the header is the first
/// row that fills nearly as many cells as the fullest row.
fn split_header(mut first: Vec<Vec<String>>, max_rows: usize) -> (Vec<String>, Vec<Vec<String>>) {
    let filled = |r: &Vec<String>| r.iter().filter(|c| !c.trim().is_empty()).count();
    let most = first.iter().map(filled).max().unwrap_or(0);
    let at = first
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .position(|r| filled(r) * 5 >= most * 4)
        .unwrap_or(0);
    let mut rest = first.split_off(at.min(first.len()));
    if rest.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let header = rest.remove(0).iter().map(|c| c.trim().to_owned()).collect();
    rest.truncate(max_rows);
    (header, rest)
}

/// Reads the header and up to `max_rows` rows of every table in the file.
pub fn peek(path: &Path, max_rows: usize) -> Result<Vec<Peek>, IngestError> {
    let display = path.display().to_string();
    super::guarded(&display, || peek_unguarded(path, max_rows))
}

fn peek_unguarded(path: &Path, max_rows: usize) -> Result<Vec<Peek>, IngestError> {
    let display = path.display().to_string();
    let format = FileFormat::from_path(path).ok_or_else(|| IngestError::UnsupportedFormat {
        file: display.clone(),
    })?;
    match format {
        FileFormat::Csv => peek_csv(path, display, max_rows),
        FileFormat::Xlsx => peek_workbook(path, display, max_rows),
        FileFormat::Parquet => peek_parquet(path, display, max_rows),
    }
}

/// The head of a CSV file: its delimiter, header and first rows.
fn peek_csv(path: &Path, display: String, max_rows: usize) -> Result<Vec<Peek>, IngestError> {
    let format = FileFormat::Csv;
    let unreadable = |reason: String| IngestError::Unreadable {
        file: display.clone(),
        reason,
    };
    // The head of the file is enough for a header and a few rows.
    const HEAD: u64 = 4 << 20;
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(
            std::fs::File::open(path).map_err(|e| unreadable(e.to_string()))?,
            HEAD,
        ),
        &mut bytes,
    )
    .map_err(|e| unreadable(e.to_string()))?;
    // Do not cut a character in two.
    if bytes.len() as u64 == HEAD
        && let Err(e) = std::str::from_utf8(&bytes)
        && e.error_len().is_none()
    {
        bytes.truncate(e.valid_up_to());
    }
    let decoded = decode(&bytes, None);
    if decoded.text.trim().is_empty() {
        return Err(IngestError::Empty { file: display });
    }
    let delimiter = sniff_delimiter(&decoded.text);
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(decoded.text.as_bytes());
    let first: Vec<Vec<String>> = reader
        .records()
        .filter_map(Result::ok)
        .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
        .take(HEADER_SEARCH_ROWS + max_rows)
        .map(|r| r.iter().map(str::to_owned).collect())
        .collect();
    let (header, rows) = split_header(first, max_rows);
    Ok(vec![Peek {
        file: display,
        format,
        sheet: None,
        delimiter: Some(delimiter),
        windows_1252: decoded.fell_back,
        header,
        rows,
    }])
}

/// Each visible sheet's header and first rows.
fn peek_workbook(path: &Path, display: String, max_rows: usize) -> Result<Vec<Peek>, IngestError> {
    let format = FileFormat::Xlsx;
    let unreadable = |reason: String| IngestError::Unreadable {
        file: display.clone(),
        reason,
    };
    super::zipped::check_workbook(path, &display, &super::Limits::default())?;
    let mut book = open_workbook_auto(path)
        .map_err(|e| unreadable(format!("not a readable workbook ({e})")))?;
    let mut out = Vec::new();
    // Hidden sheets (lookup lists, old copies) are not tables to read.
    let visible: Vec<String> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.visible == calamine::SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect();
    for sheet in visible {
        // Only the first rows are read, cell by cell where the format allows.
        let first = super::xlsx::first_rows(
            &mut book,
            &sheet,
            HEADER_SEARCH_ROWS + max_rows,
            super::Limits::default().sheet_cells,
        );
        let Ok(first) = first else {
            continue;
        };
        if first.is_empty() {
            continue;
        }
        let (header, rows) = split_header(first, max_rows);
        out.push(Peek {
            file: display.clone(),
            format,
            sheet: Some(sheet),
            delimiter: None,
            windows_1252: false,
            header,
            rows,
        });
    }
    if out.is_empty() {
        return Err(IngestError::Empty { file: display });
    }
    Ok(out)
}

/// A Parquet file's columns and first rows, as text.
fn peek_parquet(path: &Path, display: String, max_rows: usize) -> Result<Vec<Peek>, IngestError> {
    let read = || super::parquet::peek(path, max_rows);
    let (header, rows) = super::guarded(&display, || {
        read().map_err(|reason| IngestError::Unreadable {
            file: display.clone(),
            reason,
        })
    })?;
    Ok(vec![Peek {
        file: display,
        format: FileFormat::Parquet,
        sheet: None,
        delimiter: None,
        windows_1252: false,
        header,
        rows,
    }])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &[&[&str]]) -> Vec<Vec<String>> {
        text.iter()
            .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
            .collect()
    }

    #[test]
    fn titles_above_the_header_are_passed_over() {
        let (header, data) = split_header(
            rows(&[
                &["Contacts export", "", ""],
                &["Run 08/04/2025", "", ""],
                &["ID", "Date", "Outcome"],
                &["A1", "08/04/2025", "Attended"],
                &["A2", "09/04/2025", ""],
            ]),
            10,
        );
        assert_eq!(header, vec!["ID", "Date", "Outcome"]);
        assert_eq!(data.len(), 2);
        let (header, data) = split_header(rows(&[&["ID", "Date"], &["A1", "x"], &["A2", "y"]]), 1);
        assert_eq!((header.len(), data.len()), (2, 1));
        assert_eq!(split_header(Vec::new(), 5), (Vec::new(), Vec::new()));
    }
}
