//! A first look at an export: its header and some rows, for drafting a config.

use std::path::Path;

use calamine::{Reader, open_workbook_auto};
use polars::prelude::*;

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

/// Reads the header and up to `max_rows` rows of every table in the file.
pub fn peek(path: &Path, max_rows: usize) -> Result<Vec<Peek>, IngestError> {
    let display = path.display().to_string();
    let format = FileFormat::from_path(path).ok_or_else(|| IngestError::UnsupportedFormat {
        file: display.clone(),
    })?;
    let unreadable = |reason: String| IngestError::Unreadable {
        file: display.clone(),
        reason,
    };
    match format {
        FileFormat::Csv => {
            let bytes = std::fs::read(path).map_err(|e| unreadable(e.to_string()))?;
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
            let mut records = reader
                .records()
                .filter_map(Result::ok)
                .filter(|r| r.iter().any(|c| !c.trim().is_empty()));
            let header = records
                .next()
                .map(|r| r.iter().map(|c| c.trim().to_owned()).collect())
                .unwrap_or_default();
            let rows = records
                .take(max_rows)
                .map(|r| r.iter().map(str::to_owned).collect())
                .collect();
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
        FileFormat::Xlsx => {
            let mut book = open_workbook_auto(path)
                .map_err(|e| unreadable(format!("not a readable workbook ({e})")))?;
            let mut out = Vec::new();
            for sheet in book.sheet_names() {
                let Ok(range) = book.worksheet_range(&sheet) else {
                    continue;
                };
                let mut rows = range
                    .rows()
                    .filter(|r| r.iter().any(|c| !c.to_string().trim().is_empty()));
                let Some(first) = rows.next() else { continue };
                let header = first
                    .iter()
                    .map(|c| c.to_string().trim().to_owned())
                    .collect();
                let rows = rows
                    .take(max_rows)
                    .map(|r| r.iter().map(super::xlsx::cell_text).collect())
                    .collect();
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
        FileFormat::Parquet => {
            let text = path.to_string_lossy().into_owned();
            let frame =
                LazyFrame::scan_parquet(PlRefPath::new(text.as_str()), ScanArgsParquet::default())
                    .and_then(|lf| lf.limit(max_rows as u32).collect())
                    .map_err(|e| unreadable(format!("not a readable Parquet file ({e})")))?;
            let header: Vec<String> = frame
                .get_column_names()
                .iter()
                .map(|n| n.to_string())
                .collect();
            let mut rows = vec![Vec::with_capacity(header.len()); frame.height()];
            for column in frame.columns() {
                let as_text = column
                    .cast(&DataType::String)
                    .map_err(|e| unreadable(e.to_string()))?;
                let ca = as_text.str().map_err(|e| unreadable(e.to_string()))?;
                for (row, v) in rows.iter_mut().zip(ca.iter()) {
                    row.push(v.unwrap_or("").to_owned());
                }
            }
            Ok(vec![Peek {
                file: display,
                format,
                sheet: None,
                delimiter: None,
                windows_1252: false,
                header,
                rows,
            }])
        }
    }
}
