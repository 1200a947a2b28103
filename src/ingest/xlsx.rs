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
    let display = file.display.clone();
    let unreadable = |reason: String| IngestError::Unreadable {
        file: display.clone(),
        reason: format!(
            "not a readable workbook ({}); the file may be truncated or saved in another format",
            crate::privacy::clip(&reason, 200)
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
    let mut rows = SheetRows::open(&mut book, &sheet, spec.limits.sheet_cells)
        .map_err(|e| unreadable(e.to_string()))?;
    file.sheet = Some(sheet.clone());
    let too_large = |cells: u64| IngestError::SheetTooLarge {
        file: display.clone(),
        sheet: sheet.clone(),
        cells,
        limit: spec.limits.sheet_cells,
    };
    let next = |rows: &mut SheetRows<'_, _>| match rows.next_row() {
        Ok(r) => Ok(r),
        Err(RowError::TooLarge(cells)) => Err(too_large(cells)),
        Err(RowError::Read(e)) => Err(unreadable(e)),
    };

    // The header is the first non-blank row with every required column; a title or
    // export date above it is skipped.
    let mut search = HeaderSearch::default();
    let (matched, mut last_row) = loop {
        match next(&mut rows)? {
            Some((_, row)) if row.iter().all(is_blank) => continue,
            Some((r, row)) => {
                let header: Vec<String> = row.iter().map(cell_text).collect();
                let location = format!("sheet '{sheet}' row {r}");
                if let Some(m) = search.try_row(&file.display, &location, &header, wanted)? {
                    break (m, r);
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
    let mut whole: Vec<String> = Vec::new();
    while let Some((r, row)) = next(&mut rows)? {
        // Rows the sheet does not hold between two that it does are blank.
        file.blank_rows += r.saturating_sub(last_row + 1);
        last_row = r;
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
        whole.clear();
        whole.extend(row.iter().map(cell_text));
        let row_hash = super::csv::hash_fields(whole.iter().map(String::as_str));
        let cells: Vec<&str> = texts.iter().map(String::as_str).collect();
        sink(SourceRow {
            at: RowRef { file: id, line: r },
            cells: &cells,
            field_count: None,
            row_hash,
        });
    }
    Ok(FileColumns {
        file: id,
        headers: matched.headers,
        unused: matched.unused,
        repeats: None,
    })
}

/// The first `count` non-blank rows of a sheet as text, for a first look at it.
pub(super) fn first_rows<RS: std::io::Read + std::io::Seek>(
    book: &mut calamine::Sheets<RS>,
    sheet: &str,
    count: usize,
    limit: u64,
) -> Result<Vec<Vec<String>>, String> {
    let mut rows = SheetRows::open(book, sheet, limit).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    while out.len() < count {
        match rows.next_row() {
            Ok(Some((_, row))) if row.iter().all(is_blank) => {}
            Ok(Some((_, row))) => out.push(row.iter().map(cell_text).collect()),
            Ok(None) => break,
            Err(RowError::TooLarge(n)) => return Err(format!("more than {n} cells")),
            Err(RowError::Read(e)) => return Err(e),
        }
    }
    Ok(out)
}

enum RowError {
    TooLarge(u64),
    Read(String),
}

/// A sheet's rows in order, each as its cells from column A to its last cell. XLSX
/// sheets are streamed cell by cell, so memory follows the cells the sheet holds,
/// not the size it declares; other workbook formats are read whole by calamine.
enum SheetRows<'a, RS: std::io::Read + std::io::Seek> {
    Xlsx {
        reader: Box<calamine::XlsxCellReader<'a, RS>>,
        pending: Option<calamine::Cell<Data>>,
        done: bool,
        cells: u64,
        limit: u64,
    },
    Range {
        range: calamine::Range<Data>,
        next: usize,
    },
}

impl<'a, RS: std::io::Read + std::io::Seek> SheetRows<'a, RS> {
    fn open(
        book: &'a mut calamine::Sheets<RS>,
        sheet: &str,
        limit: u64,
    ) -> Result<Self, calamine::Error> {
        Ok(match book {
            calamine::Sheets::Xlsx(x) => SheetRows::Xlsx {
                reader: Box::new(x.worksheet_cells_reader(sheet)?),
                pending: None,
                done: false,
                cells: 0,
                limit,
            },
            other => {
                let range = other.worksheet_range(sheet)?;
                if range.get_size().0 as u64 * range.get_size().1 as u64 > limit {
                    // Already in memory; still refuse a sheet past the limit, as XLSX is.
                    let held = range.used_cells().count() as u64;
                    if held > limit {
                        return Err(calamine::Error::Msg("the sheet is past `sheet_cells`"));
                    }
                }
                SheetRows::Range { range, next: 0 }
            }
        })
    }

    /// The next row the sheet holds: its 1-based number and its cells.
    fn next_row(&mut self) -> Result<Option<(u64, Vec<Data>)>, RowError> {
        match self {
            SheetRows::Xlsx {
                reader,
                pending,
                done,
                cells,
                limit,
            } => gather(pending, done, cells, *limit, || {
                reader
                    .next_cell()
                    .map(|c| c.map(owned))
                    .map_err(|e| e.to_string())
            }),
            SheetRows::Range { range, next } => {
                let first_row = range.start().map_or(0, |(r, _)| u64::from(r));
                let first_col = range.start().map_or(0, |(_, c)| c as usize);
                let Some(row) = range.rows().nth(*next) else {
                    return Ok(None);
                };
                let number = first_row + *next as u64 + 1;
                *next += 1;
                let mut out = vec![Data::Empty; first_col];
                out.extend(row.iter().cloned());
                Ok(Some((number, out)))
            }
        }
    }
}

fn owned(c: calamine::Cell<calamine::DataRef<'_>>) -> calamine::Cell<Data> {
    let (pos, value) = (c.get_position(), c.get_value().clone());
    calamine::Cell::new(pos, Data::from(value))
}

/// Collects the cells of one row from a stream of cells in row order.
fn gather(
    pending: &mut Option<calamine::Cell<Data>>,
    done: &mut bool,
    count: &mut u64,
    limit: u64,
    mut next: impl FnMut() -> Result<Option<calamine::Cell<Data>>, String>,
) -> Result<Option<(u64, Vec<Data>)>, RowError> {
    let first = match pending.take() {
        Some(c) => c,
        None if *done => return Ok(None),
        None => match next().map_err(RowError::Read)? {
            Some(c) => c,
            None => {
                *done = true;
                return Ok(None);
            }
        },
    };
    let row = first.get_position().0;
    let mut cells = vec![first];
    while !*done {
        match next().map_err(RowError::Read)? {
            Some(c) if c.get_position().0 == row => cells.push(c),
            Some(c) => {
                *pending = Some(c);
                break;
            }
            None => *done = true,
        }
    }
    *count += cells.len() as u64;
    if *count > limit {
        return Err(RowError::TooLarge(*count));
    }
    // A damaged sheet can name a cell past the last column a workbook may have (XFD):
    // refuse it rather than lay out a row that wide.
    const MAX_COLUMNS: usize = 16_384;
    let width = cells
        .iter()
        .map(|c| c.get_position().1 as usize + 1)
        .max()
        .unwrap_or(0);
    if width > MAX_COLUMNS {
        return Err(RowError::Read(format!(
            "row {} has a cell past column XFD, the last a workbook may have",
            u64::from(row) + 1
        )));
    }
    let mut out = vec![Data::Empty; width];
    for c in cells {
        let col = c.get_position().1 as usize;
        out[col] = c.get_value().clone();
    }
    Ok(Some((u64::from(row) + 1, out)))
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
