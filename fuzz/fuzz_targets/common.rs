//! Shared by the reader targets: writes the input as a file in a scratch folder and reads
//! it the way `sprout validate` reads a table.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use sprout::config::{DateFormat, Layout, TableSpec, TextEncoding};
use sprout::ingest::{FileFormat, Sources, WantedColumn, peek, read_table};
use sprout::tables::TableKind;

/// One scratch folder per fuzzing process.
pub fn scratch_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("sprout-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch folder");
        dir
    })
}

/// Writes `data` as `name` in the scratch folder and returns its path.
pub fn write_input(name: &str, data: &[u8]) -> PathBuf {
    let path = scratch_dir().join(name);
    std::fs::write(&path, data).expect("write fuzz input");
    path
}

pub fn spec(
    kind: TableKind,
    file: &str,
    delimiter: Option<u8>,
    encoding: Option<TextEncoding>,
) -> TableSpec {
    TableSpec {
        kind,
        files: vec![file.to_owned()],
        sheet: None,
        delimiter,
        encoding,
        layout: Layout::Long,
        date_formats: sprout::config::DEFAULT_FORMATS
            .iter()
            .map(|f| DateFormat::parse(f).expect("default date format"))
            .collect(),
        columns: Vec::new(),
        measure_columns: Vec::new(),
        item_columns: Vec::new(),
        timepoint_blocks: Vec::new(),
        limits: Default::default(),
        select: None,
    }
}

/// Export headers mapped onto canonical fields, as the seed exports' configs map them.
const HEADERS: &[(&str, &[&str])] = &[
    ("client_id", &["Client Ref", "Client ID", "Patient ID"]),
    (
        "referral_date",
        &["Referral Date", "Referred", "Referral received"],
    ),
    ("session_date", &["Date", "Contact date/time"]),
    ("assessment_date", &["Date"]),
    ("record_date", &["Date"]),
];

/// The canonical fields of a table as `sprout validate` asks for them; with `optional`
/// none is required, so any header matches and every data row is read.
pub fn wanted(kind: TableKind, optional: bool) -> Vec<WantedColumn> {
    kind.fields()
        .iter()
        .map(|f| WantedColumn {
            key: f.name.to_owned(),
            headers: HEADERS
                .iter()
                .find(|(k, _)| *k == f.name)
                .map(|(_, h)| h.iter().map(|s| (*s).to_owned()).collect())
                .unwrap_or_default(),
            required: f.required && !optional,
            identifying: f.is_identifying(),
        })
        .collect()
}

/// Reads the file behind `spec` through `read_table`; errors are expected and ignored.
pub fn read(spec: &TableSpec, wanted: &[WantedColumn]) {
    let mut sources = Sources::default();
    let mut total = 0usize;
    let result = read_table(spec, scratch_dir(), wanted, &mut sources, &mut |row| {
        total += row.cells.iter().map(|c| c.len()).sum::<usize>();
        total += usize::from(row.field_count.is_some());
    });
    if let Ok(files) = &result {
        for f in files {
            total += f.headers.len() + f.unused.len();
        }
        for r in sources.files.iter() {
            total += r.display.len();
        }
    }
    let _ = std::hint::black_box((total, result.map_err(|e| e.to_string())));
}

/// The first look `sprout init` takes at an export.
pub fn peek_file(path: &Path) {
    if FileFormat::from_path(path).is_some() {
        let result = peek(path, 5);
        let _ = std::hint::black_box(result.map(|p| p.len()).map_err(|e| e.to_string()));
    }
}
