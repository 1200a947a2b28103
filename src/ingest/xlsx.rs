//! Spreadsheet exports (XLSX and the other workbook formats calamine reads).

use calamine::{Data, Reader, open_workbook_auto};

use super::header::HeaderSearch;
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

    let excel_row = |i: usize| first_row + i as u64 + 1;
    let mut rows = range.rows().enumerate();
    // The header is the first non-blank row with every required column; a title or
    // export date above it is skipped.
    let mut search = HeaderSearch::default();
    let matched = loop {
        match rows.next() {
            Some((_, row)) if row.iter().all(is_blank) => continue,
            Some((i, row)) => {
                let header: Vec<String> = row.iter().map(cell_text).collect();
                let location = format!("sheet '{sheet}' row {}", excel_row(i));
                if let Some(m) = search.try_row(&file.display, &location, &header, wanted)? {
                    break m;
                }
            }
            None => {
                return Err(search.ended(IngestError::Empty {
                    file: file.display.clone(),
                }));
            }
        }
    };

    let date_column: Vec<bool> = wanted.iter().map(|w| is_date_field(&w.key)).collect();
    let mut texts: Vec<String> = vec![String::new(); wanted.len()];
    for (i, row) in rows {
        if row.iter().all(is_blank) {
            file.blank_rows += 1;
            continue;
        }
        file.rows += 1;
        for ((slot, index), date) in texts.iter_mut().zip(&matched.index).zip(&date_column) {
            slot.clear();
            if let Some(cell) = index.and_then(|c| row.get(c)) {
                match (date, cell) {
                    (true, Data::Float(_) | Data::Int(_)) => slot.push_str(&serial_date(cell)),
                    _ => slot.push_str(&cell_text(cell)),
                }
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

/// Whether a wanted column is a canonical date field (`baseline:assessment_date`, a
/// timepoint's date in a per-client table, included).
fn is_date_field(key: &str) -> bool {
    use crate::tables::{FieldKind, TableKind};
    let key = key.rsplit(':').next().unwrap_or(key);
    TableKind::ALL.iter().any(|t| {
        t.field(key)
            .is_some_and(|f| matches!(f.kind, FieldKind::Date | FieldKind::PersonalDate))
    })
}

/// A number in a date column: a date whose cell lost its date format ("General"), stored
/// as Excel's day count (1 = 1 January 1900, with Excel's phantom 29 February 1900), the
/// time of day dropped. Written as ISO; numbers that cannot be dates stay numbers and fail
/// as dates, visibly.
fn serial_date(cell: &Data) -> String {
    let serial = match cell {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        _ => return cell_text(cell),
    };
    // 1 January 1900 to 31 December 2099: a larger number is not a day count (a date
    // typed without separators, say) and is quoted as it is.
    if !(1.0..73_051.0).contains(&serial) {
        return cell_text(cell);
    }
    let days = serial.floor() as i64;
    let epoch = if days < 60 {
        chrono::NaiveDate::from_ymd_opt(1899, 12, 31)
    } else {
        chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
    };
    epoch
        .and_then(|e| e.checked_add_signed(chrono::TimeDelta::days(days)))
        .map_or_else(|| cell_text(cell), |d| d.format("%Y-%m-%d").to_string())
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

    #[test]
    fn day_counts_in_date_columns_are_dates() {
        // Checked against Excel: 45762 is 15/04/2025; 61 is 01/03/1900 (after the
        // phantom 29/02/1900); 59 is 28/02/1900.
        assert_eq!(serial_date(&Data::Float(45762.61)), "2025-04-15");
        assert_eq!(serial_date(&Data::Int(45762)), "2025-04-15");
        assert_eq!(serial_date(&Data::Int(61)), "1900-03-01");
        assert_eq!(serial_date(&Data::Int(59)), "1900-02-28");
        assert_eq!(serial_date(&Data::Int(1)), "1900-01-01");
        assert_eq!(serial_date(&Data::Float(-3.0)), "-3");
        assert_eq!(serial_date(&Data::Float(1e12)), "1000000000000");
        assert_eq!(serial_date(&Data::Int(1042025)), "1042025");
        assert_eq!(serial_date(&Data::Int(73050)), "2099-12-31");
        assert!(is_date_field("discharge:assessment_date"));
        assert!(is_date_field("referral_date") && is_date_field("date_of_birth"));
        assert!(!is_date_field("duration_minutes") && !is_date_field("swemwbs"));
    }
}
