//! Spreadsheet exports (XLSX and the other workbook formats calamine reads).

use calamine::{Data, Reader, open_workbook_auto};

use super::header::match_header;
use super::{FileColumns, IngestError, RowRef, SourceFile, SourceRow, WantedColumn};
use crate::config::TableSpec;

pub(super) fn read(
    file: &mut SourceFile,
    id: u16,
    spec: &TableSpec,
    wanted: &[WantedColumn],
    sink: &mut dyn FnMut(SourceRow<'_>),
) -> Result<FileColumns, IngestError> {
    let unreadable = |reason: String| IngestError::Unreadable {
        file: file.display.clone(),
        reason: format!(
            "not a readable workbook ({reason}); the file may be truncated or saved in another format"
        ),
    };
    let mut book = open_workbook_auto(&file.path).map_err(|e| unreadable(e.to_string()))?;
    let names = book.sheet_names();
    let sheet = match &spec.sheet {
        Some(wanted_sheet) => names
            .iter()
            .find(|n| *n == wanted_sheet)
            .or_else(|| {
                names
                    .iter()
                    .find(|n| n.trim().eq_ignore_ascii_case(wanted_sheet.trim()))
            })
            .cloned()
            .ok_or_else(|| IngestError::MissingSheet {
                file: file.display.clone(),
                sheet: wanted_sheet.clone(),
                available: names.clone(),
            })?,
        None => names.first().cloned().ok_or_else(|| IngestError::Empty {
            file: file.display.clone(),
        })?,
    };
    let range = book
        .worksheet_range(&sheet)
        .map_err(|e| unreadable(e.to_string()))?;
    file.sheet = Some(sheet.clone());
    let first_row = range.start().map_or(0, |(r, _)| u64::from(r));

    let mut rows = range.rows().enumerate();
    // The header is the first row with any content.
    let (header_index, header) = loop {
        match rows.next() {
            Some((i, row)) if row.iter().all(is_blank) => {
                let _ = i;
                continue;
            }
            Some((i, row)) => break (i, row.iter().map(cell_text).collect::<Vec<String>>()),
            None => {
                return Err(IngestError::Empty {
                    file: file.display.clone(),
                });
            }
        }
    };
    let excel_row = |i: usize| first_row + i as u64 + 1;
    let location = format!("sheet '{sheet}' row {}", excel_row(header_index));
    let matched = match_header(&file.display, &location, &header, wanted)?;

    let mut texts: Vec<String> = vec![String::new(); wanted.len()];
    for (i, row) in rows {
        if row.iter().all(is_blank) {
            file.blank_rows += 1;
            continue;
        }
        file.rows += 1;
        for (slot, index) in texts.iter_mut().zip(&matched.index) {
            slot.clear();
            if let Some(cell) = index.and_then(|c| row.get(c)) {
                slot.push_str(&cell_text(cell));
            }
        }
        let cells: Vec<&str> = texts.iter().map(String::as_str).collect();
        sink(SourceRow {
            at: RowRef {
                file: id,
                line: excel_row(i),
            },
            cells: &cells,
            field_count: None,
        });
    }
    Ok(FileColumns {
        file: id,
        headers: matched.headers,
        unused: matched.unused,
    })
}

fn is_blank(cell: &Data) -> bool {
    match cell {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// Cell text as validation expects it: dates as ISO `yyyy-mm-dd`, whole numbers without
/// a decimal point, errors as their Excel text (which then fails to parse, visibly).
pub(super) fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => format_number(*f),
        Data::Bool(b) => b.to_string(),
        // A duration ([h]:mm) or a bare time of day is a fraction of a day: write it as h:mm,
        // which duration columns read and date columns reject visibly.
        Data::DateTime(dt) if dt.is_duration() || (0.0..1.0).contains(&dt.as_f64()) => {
            let minutes = (dt.as_f64() * 24.0 * 60.0).round() as i64;
            format!("{}:{:02}", minutes / 60, minutes % 60)
        }
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(d) if dt.is_datetime() => d.date().format("%Y-%m-%d").to_string(),
            _ => format_number(dt.as_f64()),
        },
        Data::Error(e) => format!("#{e:?}"),
    }
}

fn format_number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_like_a_spreadsheet() {
        assert_eq!(format_number(12.0), "12");
        assert_eq!(format_number(12.5), "12.5");
        assert_eq!(format_number(-3.0), "-3");
        assert_eq!(cell_text(&Data::Empty), "");
    }
}
