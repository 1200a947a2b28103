//! Spreadsheet exports (XLSX and the other workbook formats calamine reads).

use calamine::{Data, Reader, open_workbook_auto};

use super::header::HeaderSearch;
use super::{FileColumns, IngestError, RowRef, SourceFile, SourceRow, WantedColumn};
use sprout_config::TableSpec;

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
            sprout_core::privacy::clip(&reason, 200)
        ),
    };
    // What the workbook declares is bounded before the workbook library expands it.
    super::zipped::check_workbook(&file.path, &display, &spec.limits)?;
    let mut book = open_workbook_auto(&file.path).map_err(|e| unreadable(e.to_string()))?;
    let choice =
        choose_sheet(&book, spec.sheet.as_deref()).map_err(|available| match &spec.sheet {
            Some(wanted_sheet) => IngestError::MissingSheet {
                file: file.display.clone(),
                sheet: wanted_sheet.clone(),
                available,
            },
            None => IngestError::Empty {
                file: file.display.clone(),
            },
        })?;
    let dates = DateSystem::of(&book);
    let mut rows = SheetRows::open(&mut book, &choice.name, spec.limits.sheet_cells)
        .map_err(|e| unreadable(e.to_string()))?;
    // A sheet named after a client is not named in any output.
    let sheet = sprout_core::privacy::sheet_shown(&choice.name);
    file.sheet = Some(sheet.clone());
    file.sheet_note = choice.note();
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
    let (matched, header, mut last_row) = loop {
        match next(&mut rows)? {
            Some(SheetRow { cells: row, .. }) if row.iter().all(is_blank) => continue,
            Some(SheetRow {
                number: r,
                cells: row,
                ..
            }) => {
                let header: Vec<String> = row.iter().map(cell_text).collect();
                let location = format!("sheet '{sheet}' row {r}");
                if let Some(m) = search.try_row(&file.display, &location, r, &header, wanted)? {
                    break (m, header, r);
                }
            }
            None => {
                return Err(search.ended(IngestError::Empty {
                    file: file.display.clone(),
                }));
            }
        }
    };
    search.send_data_above((&header, &matched, last_row), wanted, file, id, sink);

    let date_column: Vec<bool> = wanted.iter().map(|w| is_date_field(&w.key)).collect();
    let mut texts: Vec<String> = vec![String::new(); wanted.len()];
    let mut whole: Vec<String> = Vec::new();
    let mut unsaved: Vec<(usize, String)> = Vec::new();
    while let Some(SheetRow {
        number: r,
        cells: row,
        formulas,
    }) = next(&mut rows)?
    {
        // Rows the sheet does not hold between two that it does are blank.
        file.blank_rows += r.saturating_sub(last_row + 1);
        last_row = r;
        if row.iter().all(is_blank) && formulas.is_empty() {
            file.blank_rows += 1;
            continue;
        }
        file.rows += 1;
        wanted_texts(&mut texts, &row, &matched.index, &date_column, dates);
        unsaved.clear();
        for (column, formula) in &formulas {
            if let Some(w) = matched.index.iter().position(|i| *i == Some(*column)) {
                unsaved.push((w, formula.clone()));
            }
        }
        whole.clear();
        whole.extend(row.iter().map(cell_text));
        let row_hash = super::csv::hash_fields(whole.iter().map(String::as_str));
        let cells: Vec<&str> = texts.iter().map(String::as_str).collect();
        sink(SourceRow {
            at: RowRef { file: id, line: r },
            cells: &cells,
            broken: None,
            formulas: &unsaved,
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

/// The wanted cells of a row as text; a number in a date column is a serial date.
fn wanted_texts(
    texts: &mut [String],
    row: &[Data],
    index: &[Option<usize>],
    date_column: &[bool],
    dates: DateSystem,
) {
    for ((slot, index), date) in texts.iter_mut().zip(index).zip(date_column) {
        slot.clear();
        if let Some(cell) = index.and_then(|c| row.get(c)) {
            match (date, cell) {
                (true, Data::Float(_) | Data::Int(_)) => {
                    slot.push_str(&serial_date(cell, dates));
                }
                _ => slot.push_str(&cell_text(cell)),
            }
        }
    }
}

/// The sheet a table is read from, and the hidden sheets passed over to reach it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SheetChoice {
    pub name: String,
    pub hidden_before: Vec<String>,
}

impl SheetChoice {
    /// Says which sheet was read when that was not simply the first.
    pub fn note(&self) -> Option<String> {
        match self.hidden_before.len() {
            0 => None,
            n => Some(format!(
                "read sheet '{}', the first visible sheet; {} hidden sheet{} before it {} not read",
                sprout_core::privacy::clip(&sprout_core::privacy::sheet_shown(&self.name), 60),
                n,
                if n == 1 { "" } else { "s" },
                if n == 1 { "was" } else { "were" },
            )),
        }
    }
}

/// The sheet the config names (exactly, else ignoring case and surrounding spaces), or
/// the first visible sheet: a hidden sheet (a lookup list, an old copy) is never read
/// unless named. Fails with the sheets there are.
pub(super) fn choose_sheet<RS: std::io::Read + std::io::Seek>(
    book: &calamine::Sheets<RS>,
    wanted: Option<&str>,
) -> Result<SheetChoice, Vec<String>> {
    let sheets = book.sheets_metadata();
    let names: Vec<String> = sheets.iter().map(|s| s.name.clone()).collect();
    if let Some(w) = wanted {
        return names
            .iter()
            .find(|n| *n == w)
            .or_else(|| {
                names
                    .iter()
                    .find(|n| n.trim().eq_ignore_ascii_case(w.trim()))
            })
            .map(|n| SheetChoice {
                name: n.clone(),
                hidden_before: Vec::new(),
            })
            .ok_or_else(|| {
                names
                    .iter()
                    .map(|n| sprout_core::privacy::sheet_shown(n))
                    .collect()
            });
    }
    let first = sheets
        .iter()
        .position(|s| s.visible == calamine::SheetVisible::Visible)
        .or((!sheets.is_empty()).then_some(0));
    match first {
        Some(i) => Ok(SheetChoice {
            name: sheets[i].name.clone(),
            hidden_before: sheets[..i].iter().map(|s| s.name.clone()).collect(),
        }),
        None => Err(names
            .iter()
            .map(|n| sprout_core::privacy::sheet_shown(n))
            .collect()),
    }
}

/// How a workbook counts days: from 1900 (Windows Excel) or from 1904 (Excel for Mac
/// before 2011, and workbooks made from them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DateSystem {
    From1900,
    From1904,
}

impl DateSystem {
    pub fn of<RS: std::io::Read + std::io::Seek>(book: &calamine::Sheets<RS>) -> Self {
        let is_1904 = match book {
            calamine::Sheets::Xlsx(x) => x.has_1904_epoch(),
            calamine::Sheets::Xls(x) => x.has_1904_epoch(),
            _ => false,
        };
        if is_1904 {
            Self::From1904
        } else {
            Self::From1900
        }
    }
}

/// The first `count` non-blank rows of a sheet as text, for a first look at it, with
/// numbers in date-like columns left as they are.
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
            Ok(Some(SheetRow { cells: row, .. })) if row.iter().all(is_blank) => {}
            Ok(Some(SheetRow { cells: row, .. })) => out.push(row.iter().map(cell_text).collect()),
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

/// One row a sheet holds.
struct SheetRow {
    /// 1-based row number.
    number: u64,
    /// Cells from column A to the row's last cell.
    cells: Vec<Data>,
    /// Cells (0-based column) holding a formula whose result was never saved, with the
    /// formula; their value reads as empty.
    formulas: Vec<(usize, String)>,
}

/// A sheet's rows in order. XLSX sheets are streamed cell by cell, so memory follows the
/// cells the sheet holds, not the size it declares; other workbook formats are read
/// whole by calamine.
enum SheetRows<'a, RS: std::io::Read + std::io::Seek> {
    Xlsx {
        reader: Box<calamine::XlsxCellReader<'a, RS>>,
        pending: Option<StreamCell>,
        done: bool,
        cells: u64,
        limit: u64,
    },
    Range {
        range: calamine::Range<Data>,
        formulas: Option<calamine::Range<String>>,
        next: usize,
    },
}

/// A cell of an XLSX stream: its position, value and formula when it has one.
type StreamCell = ((u32, u32), Data, Option<String>);

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
                // Formulas are only wanted where a cell has no saved value.
                let formulas = other
                    .worksheet_formula(sheet)
                    .ok()
                    .filter(|f| f.used_cells().next().is_some());
                SheetRows::Range {
                    range,
                    formulas,
                    next: 0,
                }
            }
        })
    }

    /// The next row the sheet holds.
    fn next_row(&mut self) -> Result<Option<SheetRow>, RowError> {
        match self {
            SheetRows::Xlsx {
                reader,
                pending,
                done,
                cells,
                limit,
            } => gather(pending, done, cells, *limit, || {
                reader
                    .next_cell_with_formula()
                    .map(|c| c.map(|c| (c.pos, Data::from(c.value), c.formula)))
                    .map_err(|e| e.to_string())
            }),
            SheetRows::Range {
                range,
                formulas,
                next,
            } => {
                let first_row = range.start().map_or(0, |(r, _)| r);
                let first_col = range.start().map_or(0, |(_, c)| c as usize);
                let Some(row) = range.rows().nth(*next) else {
                    return Ok(None);
                };
                let number = u64::from(first_row) + *next as u64 + 1;
                let absolute_row = first_row.saturating_add(*next as u32);
                *next += 1;
                let mut out = vec![Data::Empty; first_col];
                out.extend(row.iter().cloned());
                let unsaved = formulas.as_ref().map_or_else(Vec::new, |f| {
                    out.iter()
                        .enumerate()
                        .filter(|(_, d)| matches!(d, Data::Empty))
                        .filter_map(|(c, _)| {
                            let text = f.get_value((absolute_row, c as u32))?;
                            (!text.is_empty()).then(|| (c, text.clone()))
                        })
                        .collect()
                });
                Ok(Some(SheetRow {
                    number,
                    cells: out,
                    formulas: unsaved,
                }))
            }
        }
    }
}

/// Collects the cells of one row from a stream of cells in row order.
fn gather(
    pending: &mut Option<StreamCell>,
    done: &mut bool,
    count: &mut u64,
    limit: u64,
    mut next: impl FnMut() -> Result<Option<StreamCell>, String>,
) -> Result<Option<SheetRow>, RowError> {
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
    let row = first.0.0;
    let mut cells = vec![first];
    while !*done {
        match next().map_err(RowError::Read)? {
            Some(c) if c.0.0 == row => cells.push(c),
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
    let width = cells.iter().map(|c| c.0.1 as usize + 1).max().unwrap_or(0);
    if width > MAX_COLUMNS {
        return Err(RowError::Read(format!(
            "row {} has a cell past column XFD, the last a workbook may have",
            u64::from(row) + 1
        )));
    }
    let mut out = vec![Data::Empty; width];
    let mut formulas = Vec::new();
    for ((_, col), value, formula) in cells {
        let col = col as usize;
        if let Some(f) = formula.filter(|f| !f.trim().is_empty())
            && matches!(value, Data::Empty)
        {
            formulas.push((col, f));
        }
        out[col] = value;
    }
    Ok(Some(SheetRow {
        number: u64::from(row) + 1,
        cells: out,
        formulas,
    }))
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
        // As Excel shows them: `#N/A`, `#DIV/0!`, `#VALUE!`.
        Data::Error(e) => e.to_string(),
    }
}

/// Whether a wanted column is a canonical date field (`baseline:assessment_date`, a
/// timepoint's date in a per-client table, included).
fn is_date_field(key: &str) -> bool {
    use sprout_tables::{FieldKind, TableKind};
    let key = key.rsplit(':').next().unwrap_or(key);
    TableKind::ALL.iter().any(|t| {
        t.field(key)
            .is_some_and(|f| matches!(f.kind, FieldKind::Date | FieldKind::PersonalDate))
    })
}

/// A number in a date column: a date whose cell lost its date format ("General"), stored
/// as the workbook's day count, the time of day dropped: from 1900 (1 = 1 January 1900,
/// with Excel's phantom 29 February 1900), or in a 1904 workbook from 1904 (0 = 1 January
/// 1904). Written as ISO; numbers that cannot be dates stay numbers and fail as dates,
/// visibly.
fn serial_date(cell: &Data, system: DateSystem) -> String {
    let serial = match cell {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        _ => return cell_text(cell),
    };
    // Up to 31 December 2099: a larger number is not a day count (a date typed without
    // separators, say) and is quoted as it is.
    let (first, last) = match system {
        DateSystem::From1900 => (1.0, 73_051.0),
        DateSystem::From1904 => (0.0, 71_589.0),
    };
    if !(first..last).contains(&serial) {
        return cell_text(cell);
    }
    let days = serial.floor() as i64;
    let epoch = match system {
        DateSystem::From1904 => chrono::NaiveDate::from_ymd_opt(1904, 1, 1),
        DateSystem::From1900 if days < 60 => chrono::NaiveDate::from_ymd_opt(1899, 12, 31),
        DateSystem::From1900 => chrono::NaiveDate::from_ymd_opt(1899, 12, 30),
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
        assert_eq!(cell_text(&Data::Error(calamine::CellErrorType::NA)), "#N/A");
        assert_eq!(
            cell_text(&Data::Error(calamine::CellErrorType::Div0)),
            "#DIV/0!"
        );
    }

    #[test]
    fn day_counts_in_date_columns_are_dates() {
        // Checked against Excel: 45762 is 15/04/2025; 61 is 01/03/1900 (after the
        // phantom 29/02/1900); 59 is 28/02/1900.
        let d = |cell: Data| serial_date(&cell, DateSystem::From1900);
        assert_eq!(d(Data::Float(45762.61)), "2025-04-15");
        assert_eq!(d(Data::Int(45762)), "2025-04-15");
        assert_eq!(d(Data::Int(61)), "1900-03-01");
        assert_eq!(d(Data::Int(59)), "1900-02-28");
        assert_eq!(d(Data::Int(1)), "1900-01-01");
        assert_eq!(d(Data::Float(-3.0)), "-3");
        assert_eq!(d(Data::Float(1e12)), "1000000000000");
        assert_eq!(d(Data::Int(1042025)), "1042025");
        assert_eq!(d(Data::Int(73050)), "2099-12-31");
        // In a 1904 workbook the same day is 1,462 fewer: 44300 is 15/04/2025 (Excel for
        // Mac with "Use 1904 date system" ticked).
        let mac = |cell: Data| serial_date(&cell, DateSystem::From1904);
        assert_eq!(mac(Data::Int(44300)), "2025-04-15");
        assert_eq!(mac(Data::Int(0)), "1904-01-01");
        assert_eq!(mac(Data::Int(71588)), "2099-12-31");
        assert_eq!(mac(Data::Int(71589)), "71589");
        assert!(is_date_field("discharge:assessment_date"));
        assert!(is_date_field("referral_date") && is_date_field("date_of_birth"));
        assert!(!is_date_field("duration_minutes") && !is_date_field("swemwbs"));
    }
}
