//! Ingest: reads the export files behind one canonical table (CSV, XLSX, Parquet; one or
//! many files) and hands every data row, with its source location, to a sink.
//!
//! Only the columns the config asks for are read. Structural problems (no file, unreadable
//! file, missing sheet, missing required column) are [`IngestError`]s and stop the run;
//! everything about individual cell values is left to validation.

mod csv;
mod files;
mod header;
mod parquet;
mod peek;
mod text;
mod xlsx;
mod zipped;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use files::{FileFormat, resolve_files};
pub use header::{HeaderMatch, WantedColumn};
pub use peek::{Peek, peek};

use sprout_config::{Limits, TableSpec};

/// One input file as shown to users (relative to the config folder where possible).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceFile {
    pub display: String,
    #[serde(skip)]
    pub path: PathBuf,
    pub format: FileFormat,
    /// XLSX sheet the rows came from.
    pub sheet: Option<String>,
    /// Set when the text was not UTF-8 and was read as Windows-1252.
    pub encoding_note: Option<String>,
    /// Set when the sheet read was not simply the workbook's first.
    pub sheet_note: Option<String>,
    pub rows: u64,
    pub blank_rows: u64,
    pub bytes: u64,
    /// SHA-256 of the file as read, for the manifest.
    #[serde(skip)]
    pub sha256: String,
}

/// Where a row came from: a file and its line (CSV), sheet row (XLSX) or row (Parquet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RowRef {
    pub file: u16,
    pub line: u64,
}

/// Every source file of a run, indexed by [`RowRef::file`].
#[derive(Debug, Clone, Default, Serialize)]
pub struct Sources {
    pub files: Vec<SourceFile>,
}

impl Sources {
    pub fn get(&self, r: RowRef) -> Option<&SourceFile> {
        self.files.get(usize::from(r.file))
    }

    /// "line 12", "sheet 'Meds' row 12" or "row 12", as fits the file.
    pub fn describe_line(&self, r: RowRef) -> String {
        if r.line == 0 {
            return "whole file".to_owned();
        }
        match self.get(r) {
            Some(SourceFile {
                format: FileFormat::Xlsx,
                sheet: Some(sheet),
                ..
            }) => {
                format!("sheet '{sheet}' row {}", r.line)
            }
            Some(SourceFile {
                format: FileFormat::Parquet,
                ..
            }) => format!("row {}", r.line),
            _ => format!("line {}", r.line),
        }
    }

    pub fn display(&self, r: RowRef) -> &str {
        self.get(r).map_or("?", |f| f.display.as_str())
    }
}

/// One data row in the order of the wanted columns; absent columns read as "".
#[derive(Debug)]
pub struct SourceRow<'a> {
    pub at: RowRef,
    pub cells: &'a [&'a str],
    /// Set when the row as a whole cannot be read as its header says.
    pub broken: Option<Broken>,
    /// Wanted cells (by index) holding a spreadsheet formula whose result was never saved
    /// (the workbook was written by a program that does not calculate), with the formula:
    /// their value is not known, and their text is empty.
    pub formulas: &'a [(usize, String)],
    /// A hash of the whole row as exported (every column, not only the wanted ones, where
    /// the format allows), to find rows repeated exactly.
    pub row_hash: u64,
}

/// Why a row cannot be read as its header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Broken {
    /// A different number of fields from the header.
    FieldCount { expected: usize, found: usize },
    /// A quote opened a value that ran over line breaks and never fitted the header.
    StrayQuote,
    /// The row comes before the header (at this line or sheet row) and looks like data.
    AboveHeader { header: u64 },
}

/// How one file's header matched the wanted columns.
#[derive(Debug, Clone)]
pub struct FileColumns {
    pub file: u16,
    /// Export header of each wanted column (None when absent).
    pub headers: Vec<Option<String>>,
    /// Headers of the file that no wanted column used.
    pub unused: Vec<String>,
    /// The file is byte for byte the same as this earlier file of the table, and was
    /// not read again.
    pub repeats: Option<u16>,
}

/// A problem that stops the run: the input cannot be read as the config describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IngestError {
    NoFiles {
        table: String,
        pattern: String,
    },
    Unreadable {
        file: String,
        reason: String,
    },
    Empty {
        file: String,
    },
    UnsupportedFormat {
        file: String,
    },
    MissingSheet {
        file: String,
        sheet: String,
        available: Vec<String>,
    },
    MissingColumns {
        file: String,
        location: String,
        missing: Vec<MissingColumn>,
        found: Vec<String>,
        hint: Option<String>,
    },
    AmbiguousColumn {
        file: String,
        location: String,
        which: Box<Ambiguity>,
    },
    TooManyFiles {
        table: String,
    },
    LineTooLong {
        file: String,
        line: u64,
        limit: u64,
        key: &'static str,
    },
    SheetTooLarge {
        file: String,
        sheet: String,
        cells: u64,
        limit: u64,
    },
    UnsupportedColumn {
        file: String,
        column: String,
        dtype: String,
        hint: String,
    },
}

/// A field that two or more columns of a header could give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ambiguity {
    pub field: String,
    pub header: String,
    /// 1-based positions of the columns.
    pub columns: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingColumn {
    pub field: String,
    pub tried: Vec<String>,
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IngestError::NoFiles { table, pattern } => {
                write!(f, "{table}: no file matches `{pattern}`")
            }
            IngestError::Unreadable { file, reason } => {
                write!(f, "{file}: cannot be read: {reason}")
            }
            IngestError::Empty { file } => write!(f, "{file}: the file is empty (no header row)"),
            IngestError::UnsupportedFormat { file } => write!(
                f,
                "{file}: unsupported file type; use .csv, .tsv, .txt, .xlsx, .xlsm, .xls, .ods or .parquet"
            ),
            IngestError::MissingSheet {
                file,
                sheet,
                available,
            } => write!(
                f,
                "{file}: there is no sheet named '{sheet}' (sheets: {})",
                available
                    .iter()
                    .map(|s| format!("'{s}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            IngestError::MissingColumns {
                file,
                location,
                missing,
                found,
                hint,
            } => {
                let list: Vec<String> = missing
                    .iter()
                    .map(|m| format!("{} (looked for {})", m.field, quote_list(&m.tried)))
                    .collect();
                write!(
                    f,
                    "{file}: {location}: required column{} missing: {}. The header has: {}",
                    if missing.len() == 1 { " is" } else { "s are" },
                    list.join("; "),
                    quote_list(found)
                )?;
                if let Some(h) = hint {
                    write!(f, ". {h}")?;
                }
                Ok(())
            }
            IngestError::AmbiguousColumn {
                file,
                location,
                which,
            } => {
                let Ambiguity {
                    field,
                    header,
                    columns,
                } = which.as_ref();
                let places: Vec<String> = columns.iter().map(|c| column_name(*c)).collect();
                write!(
                    f,
                    "{file}: {location}: {} columns are headed \"{}\" ({}), so `{field}` could \
                     be read from any of them; rename the one that is not {field} in the \
                     export, or name the one to read in the config (`{field} = \"{} #2\"` \
                     reads the second)",
                    columns.len(),
                    sprout_core::privacy::clip(header, 60),
                    places.join(" and "),
                    sprout_core::privacy::clip(header, 60),
                )
            }
            IngestError::LineTooLong {
                file,
                line,
                limit,
                key,
            } => write!(
                f,
                "{file}: line {line} is longer than {} with no line break; the file may not be \
                 a text export, or it is damaged. If the row is real, raise `{key}` in [limits]",
                bytes_in_words(*limit)
            ),
            IngestError::SheetTooLarge {
                file,
                sheet,
                cells,
                limit,
            } => write!(
                f,
                "{file}: sheet '{sheet}' holds more than {limit} cells ({cells} read); \
                 export the table as CSV, or raise `sheet_cells` in [limits]"
            ),
            IngestError::UnsupportedColumn {
                file,
                column,
                dtype,
                hint,
            } => write!(
                f,
                "{file}: column \"{}\" has the Parquet type {dtype}, which cannot be read as \
                 text, a number or a date; {hint}",
                sprout_core::privacy::clip(column, 80)
            ),
            IngestError::TooManyFiles { table } => {
                write!(
                    f,
                    "{table}: more than 65,000 input files; combine exports first"
                )
            }
        }
    }
}

impl std::error::Error for IngestError {}

/// "column 5 (E)": a 1-based column position, with its spreadsheet letters.
fn column_name(position: usize) -> String {
    let mut letters = String::new();
    let mut n = position;
    while n > 0 {
        let r = (n - 1) % 26;
        letters.insert(0, char::from(b'A' + r as u8));
        n = (n - 1) / 26;
    }
    format!("column {position} ({letters})")
}

/// "1 MiB", "256 KiB", "1,000 bytes".
fn bytes_in_words(n: u64) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 10 && n.is_multiple_of(1 << 10) {
        format!("{} KiB", n >> 10)
    } else {
        format!("{n} bytes")
    }
}

/// Headers as a quoted list, each clipped and the list cut short: a message never
/// repeats a damaged file's megabytes.
fn quote_list(items: &[String]) -> String {
    const SHOWN: usize = 12;
    if items.is_empty() {
        return "(nothing)".to_owned();
    }
    let mut out = items
        .iter()
        .take(SHOWN)
        .map(|s| format!("\"{}\"", sprout_core::privacy::clip(s, 40)))
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > SHOWN {
        out.push_str(&format!(" and {} more", items.len() - SHOWN));
    }
    out
}

/// Reads every file of a table, calling `sink` for each non-blank data row.
/// Returns how each file's header matched.
pub fn read_table(
    spec: &TableSpec,
    base_dir: &Path,
    wanted: &[WantedColumn],
    sources: &mut Sources,
    sink: &mut dyn FnMut(SourceRow<'_>),
) -> Result<Vec<FileColumns>, IngestError> {
    let paths = resolve_files(spec, base_dir)?;
    let mut out = Vec::with_capacity(paths.len());
    for (path, format) in paths {
        let id = u16::try_from(sources.files.len()).map_err(|_| IngestError::TooManyFiles {
            table: spec.kind.name().to_owned(),
        })?;
        // A file named after a client is not named in any output.
        let display =
            sprout_core::privacy::path_shown(&display_path(&path, base_dir), usize::from(id) + 1);
        let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        sources.files.push(SourceFile {
            display,
            path: path.clone(),
            format,
            sheet: None,
            encoding_note: None,
            sheet_note: None,
            rows: 0,
            blank_rows: 0,
            bytes,
            sha256: String::new(),
        });
        let file = &mut sources.files[usize::from(id)];
        let (valid_utf8, sha256) = text::scan_file(&path).map_err(|e| IngestError::Unreadable {
            file: file.display.clone(),
            reason: e.to_string(),
        })?;
        file.sha256 = sha256;
        // A copy of an export matched by the same pattern is read once.
        let sha = &sources.files[usize::from(id)].sha256;
        let repeats = out.iter().find_map(|c: &FileColumns| {
            (c.repeats.is_none() && sources.files[usize::from(c.file)].sha256 == *sha)
                .then_some(c.file)
        });
        if let Some(original) = repeats {
            out.push(FileColumns {
                file: id,
                headers: vec![None; wanted.len()],
                unused: Vec::new(),
                repeats: Some(original),
            });
            continue;
        }
        let file = &mut sources.files[usize::from(id)];
        let columns = match format {
            FileFormat::Csv => csv::read(file, id, spec, valid_utf8, wanted, sink)?,
            // The workbook and Parquet libraries can panic on a damaged file: that is an
            // unreadable file, not a crash.
            FileFormat::Xlsx => {
                let display = file.display.clone();
                guarded(&display, || xlsx::read(file, id, spec, wanted, sink))?
            }
            FileFormat::Parquet => {
                let display = file.display.clone();
                guarded(&display, || parquet::read(file, id, wanted, sink))?
            }
        };
        out.push(columns);
    }
    Ok(out)
}

/// Runs a reader, turning a panic inside it (a library meeting a damaged file) into an
/// [`IngestError::Unreadable`] naming the file, without the panic message on stderr.
pub fn guarded<T>(
    display: &str,
    read: impl FnOnce() -> Result<T, IngestError>,
) -> Result<T, IngestError> {
    use std::cell::Cell;
    use std::panic::{self, AssertUnwindSafe};
    thread_local! {
        static QUIET: Cell<bool> = const { Cell::new(false) };
    }
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                default(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(read));
    QUIET.with(|q| q.set(false));
    result.unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(IngestError::Unreadable {
            file: display.to_owned(),
            reason: format!(
                "the file is damaged: its reader stopped ({}); export it again",
                sprout_core::privacy::clip(&what, 120)
            ),
        })
    })
}

/// Shows a path relative to the config folder when it lies inside it.
pub fn display_path(path: &Path, base_dir: &Path) -> String {
    path.strip_prefix(base_dir)
        .unwrap_or(path)
        .display()
        .to_string()
}
