//! Validate: checks every row of every table against the config and builds the canonical
//! tables from the rows that pass. Doubtful values and rows become [`Finding`]s (counted,
//! reported, excluded), never silent drops; structural problems stop the run.

mod assessments;
mod check;
mod emptiness;
mod finding;
mod medications;
pub mod parse;
mod quality;
mod referrals;
mod sessions;

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;

pub use crate::privacy::redact;
pub use finding::{Action, Finding, FindingCode, Findings, WITHHELD};
pub use quality::{CodeCount, Example, FindingRow, QualitySummary, TableQuality, finding_rows};
pub use referrals::{ClientEntry, ClientRegister};

use crate::config::{Config, DateFormat, TableSpec};
use crate::ingest::{self, FileColumns, IngestError, SourceRow, Sources, WantedColumn};
use crate::tables::{CanonicalTables, FieldDef, TableKind};
use check::{At, Checker};

/// Why validation could not finish.
#[derive(Debug, thiserror::Error)]
pub enum ValidateError {
    #[error("{0}")]
    Ingest(#[from] IngestError),
    #[error("internal error while building tables: {0}")]
    Internal(String),
}

impl From<polars::prelude::PolarsError> for ValidateError {
    fn from(e: polars::prelude::PolarsError) -> Self {
        ValidateError::Internal(e.to_string())
    }
}

/// The result of validating a programme's exports.
#[derive(Debug)]
pub struct Validated {
    pub tables: CanonicalTables,
    pub findings: Findings,
    pub sources: Sources,
    pub summary: QualitySummary,
}

/// Settings of a validation run.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The date of the run: event dates after it are implausible.
    pub today: NaiveDate,
}

/// Reads, checks and canonicalises every configured table.
pub fn run(config: &Config, options: Options) -> Result<Validated, ValidateError> {
    run_with_progress(config, options, &|_| {})
}

/// [`run`], saying which table it is reading as it starts each one.
pub fn run_with_progress(
    config: &Config,
    options: Options,
    progress: &dyn Fn(TableKind),
) -> Result<Validated, ValidateError> {
    let mut sources = Sources::default();
    let mut findings = Findings::default();
    let mut stats = Vec::new();

    let today = options.today;
    progress(TableKind::Referrals);
    let mut r = TableRun::new(TableKind::Referrals, &mut sources, &mut findings, today);
    let referrals = referrals::validate(config, &mut r)?;
    stats.push(r.finish());

    let sessions = match &config.tables.sessions {
        Some(spec) => {
            progress(TableKind::Sessions);
            let mut r = TableRun::new(TableKind::Sessions, &mut sources, &mut findings, today);
            let t = sessions::validate(config, spec, &referrals.register, &mut r)?;
            stats.push(r.finish());
            Some(t)
        }
        None => None,
    };
    let assessments = match &config.tables.assessments {
        Some(spec) => {
            progress(TableKind::Assessments);
            let mut r = TableRun::new(TableKind::Assessments, &mut sources, &mut findings, today);
            let t = assessments::validate(config, spec, &referrals.register, &mut r)?;
            stats.push(r.finish());
            Some(t)
        }
        None => None,
    };
    let medications = match &config.tables.medications {
        Some(spec) => {
            progress(TableKind::Medications);
            let mut r = TableRun::new(TableKind::Medications, &mut sources, &mut findings, today);
            let empty = assessments::AssessmentDates::default();
            let dates = assessments.as_ref().map_or(&empty, |a| &a.dates);
            let t = medications::validate(config, spec, &referrals.register, dates, &mut r)?;
            stats.push(r.finish());
            Some(t)
        }
        None => None,
    };

    findings.sort();
    let warnings =
        emptiness::warnings(config, assessments.as_ref().map(|a| &a.coverage), &findings);
    let (medications, incomplete_medication) = match medications {
        Some(m) => (Some(m.table), Some(m.incomplete)),
        None => (None, None),
    };
    let tables = CanonicalTables {
        referrals: referrals.table,
        sessions,
        assessments: assessments.map(|a| a.table),
        medications,
        incomplete_medication,
    };
    let mut summary = QualitySummary::build(&stats, &sources, &findings, &tables);
    summary.warnings = warnings;
    Ok(Validated {
        tables,
        findings,
        sources,
        summary,
    })
}

/// Which files a table was read from.
#[derive(Debug, Clone)]
pub struct TableStats {
    pub table: TableKind,
    pub files: Vec<FileColumns>,
}

/// Reading one table: its sources, findings and statistics.
pub(crate) struct TableRun<'a> {
    table: TableKind,
    sources: &'a mut Sources,
    findings: &'a mut Findings,
    today: NaiveDate,
    stats: TableStats,
    first_finding: usize,
    /// (file, canonical key) -> export header.
    headers: HashMap<(u16, String), String>,
    /// Hash of every row read -> where it was first seen ([`pack`]ed).
    seen: crate::fxhash::FxHashMap<u64, u64>,
}

impl<'a> TableRun<'a> {
    fn new(
        table: TableKind,
        sources: &'a mut Sources,
        findings: &'a mut Findings,
        today: NaiveDate,
    ) -> Self {
        let first_finding = findings.len();
        Self {
            table,
            sources,
            findings,
            today,
            stats: TableStats {
                table,
                files: Vec::new(),
            },
            first_finding,
            headers: HashMap::new(),
            seen: Default::default(),
        }
    }

    /// Reads every file of `spec`, giving each row to `row_fn` with a checker. Afterwards,
    /// findings name the export's own header rather than the canonical field.
    fn read(
        &mut self,
        spec: &TableSpec,
        base_dir: &Path,
        wanted: &[WantedColumn],
        formats: &[DateFormat],
        mut row_fn: impl FnMut(&mut Checker, SourceRow<'_>),
    ) -> Result<(), ValidateError> {
        let mut checker = Checker {
            table: self.table,
            findings: self.findings,
            formats,
            today: self.today,
        };
        // Rows repeated exactly (a copy of an export, rows pasted twice) are counted once.
        // The set is sized from the files (a row is rarely under 40 bytes) so that it is
        // not rebuilt as it grows.
        let bytes: u64 = ingest::resolve_files(spec, base_dir)
            .map(|files| {
                files
                    .iter()
                    .filter_map(|(p, _)| std::fs::metadata(p).ok())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0);
        let seen = &mut self.seen;
        seen.reserve(usize::try_from(bytes / 40).unwrap_or(0).min(1 << 27));
        let mut repeats: Vec<(usize, ingest::RowRef)> = Vec::new();
        let files = ingest::read_table(spec, base_dir, wanted, self.sources, &mut |row| {
            if row.field_count.is_none() {
                match seen.entry(row.row_hash) {
                    std::collections::hash_map::Entry::Occupied(first) => {
                        repeats.push((checker.findings.len(), unpack(*first.get())));
                        let at = At {
                            row: row.at,
                            key: &wanted[0].key,
                            text: "",
                            required: true,
                            identifying: true,
                        };
                        checker.flag_with(
                            &at,
                            FindingCode::DuplicateRow,
                            Action::RowExcluded,
                            "the row repeats an earlier row exactly",
                        );
                        return;
                    }
                    std::collections::hash_map::Entry::Vacant(slot) => {
                        slot.insert(pack(row.at));
                    }
                }
            }
            row_fn(&mut checker, row)
        })?;
        for (i, first) in repeats {
            let (file, line) = (
                self.sources.display(first),
                self.sources.describe_line(first),
            );
            if let Some(f) = self.findings.get_mut(i) {
                f.reason = format!("the row repeats {file} {line} exactly; it is counted once");
            }
        }
        for f in &files {
            if let Some(original) = f.repeats {
                let (copy, original) = (
                    self.sources.display(ingest::RowRef {
                        file: f.file,
                        line: 0,
                    }),
                    self.sources.display(ingest::RowRef {
                        file: original,
                        line: 0,
                    }),
                );
                self.findings.push(Finding {
                    code: FindingCode::DuplicateFile,
                    action: Action::FileSkipped,
                    table: self.table,
                    at: ingest::RowRef {
                        file: f.file,
                        line: 0,
                    },
                    column: String::new(),
                    value: String::new(),
                    reason: format!(
                        "{copy} is byte for byte the same as {original}; it is read once"
                    ),
                });
            }
        }
        for f in &files {
            for (w, h) in wanted.iter().zip(&f.headers) {
                if let Some(h) = h {
                    self.headers.insert((f.file, w.key.clone()), h.clone());
                }
            }
        }
        self.stats.files.extend(files);
        Ok(())
    }

    /// Names export headers instead of canonical fields in this table's findings.
    fn finish(self) -> TableStats {
        let headers = self.headers;
        self.findings
            .rename_columns(self.first_finding, |file, key| {
                headers.get(&(file, key.to_owned())).cloned()
            });
        self.stats
    }

    fn findings_mut(&mut self) -> &mut Findings {
        self.findings
    }
}

/// A row's place in one word (file in the top 16 bits), to keep the set of row hashes
/// small at national scale.
fn pack(r: ingest::RowRef) -> u64 {
    (u64::from(r.file) << 48) | (r.line & ((1 << 48) - 1))
}

fn unpack(v: u64) -> ingest::RowRef {
    ingest::RowRef {
        file: (v >> 48) as u16,
        line: v & ((1 << 48) - 1),
    }
}

/// The wanted columns of a table's canonical fields, with the config's header mapping.
fn wanted_fields(spec: &TableSpec, fields: &[FieldDef]) -> Vec<WantedColumn> {
    fields
        .iter()
        .map(|f| WantedColumn {
            key: f.name.to_owned(),
            headers: spec
                .headers_for(f.name)
                .map(<[String]>::to_vec)
                .unwrap_or_default(),
            required: f.required,
        })
        .collect()
}

/// Flags a CSV row whose field count differs from its header; such rows are excluded,
/// since their values may have shifted columns.
fn ragged(check: &mut Checker, row: &SourceRow, first_key: &str) -> bool {
    let Some(count) = row.field_count else {
        return false;
    };
    let at = At {
        row: row.at,
        key: first_key,
        text: "",
        required: true,
        identifying: true,
    };
    if count.stray_quote {
        check.flag_with(
            &at,
            FindingCode::UnbalancedQuote,
            Action::RowExcluded,
            "a quote (\") at the start of a value on this line is never closed, so the value \
             ran on over the lines below and the row no longer fits the header; the row is \
             excluded and reading goes on at the next line. Remove the stray quote, or close it",
        );
        return true;
    }
    check.flag_with(
        &at,
        FindingCode::WrongFieldCount,
        Action::RowExcluded,
        format!("the row has {} fields but the header has {}; a delimiter inside an unquoted value can cause this", count.found, count.expected),
    );
    true
}

/// The cells of one row, addressed by wanted-column index.
pub(crate) struct Cells<'r> {
    row: &'r SourceRow<'r>,
    wanted: &'r [WantedColumn],
}

impl<'r> Cells<'r> {
    pub(crate) fn new(row: &'r SourceRow<'r>, wanted: &'r [WantedColumn]) -> Self {
        Self { row, wanted }
    }

    /// Cell `i` for checking. Identifiers and dates of birth are never echoed in findings.
    pub(crate) fn at(&self, i: usize, required: bool) -> At<'r> {
        let key = self.wanted[i].key.as_str();
        At {
            row: self.row.at,
            key,
            text: self.row.cells[i],
            required,
            identifying: matches!(key, "client_id" | "date_of_birth"),
        }
    }
}

/// The start every table that depends on referrals shares: a well-formed row, a client
/// with a kept referral (column 0) and the row's required date (column `date`).
/// Records the findings and returns `None` when the row cannot be used; otherwise
/// (client, referral date, date).
fn dependent_row(
    check: &mut Checker,
    cells: &Cells,
    date: usize,
    register: &ClientRegister,
) -> Option<(u32, NaiveDate, NaiveDate)> {
    if ragged(check, cells.row, &cells.wanted[0].key) {
        return None;
    }
    let (client, referral) = client_of(check, &cells.at(0, true), register)?;
    let check::Cell::Value(d) = check.date(&cells.at(date, true), false) else {
        return None;
    };
    Some((client, referral, d))
}

/// Looks a row's client up in the referral register.
fn client_of(check: &mut Checker, at: &At, register: &ClientRegister) -> Option<(u32, NaiveDate)> {
    let check::Cell::Value(id) = check.text(at) else {
        return None;
    };
    match register.get(id) {
        Some(ClientEntry::Kept { index, referral }) => Some((index, referral)),
        Some(ClientEntry::Excluded) => {
            check.flag_with(
                at,
                FindingCode::ClientExcluded,
                Action::RowExcluded,
                "the client's referral row was excluded",
            );
            None
        }
        None => {
            check.flag_with(
                at,
                FindingCode::UnknownClient,
                Action::RowExcluded,
                "no referral row has this client",
            );
            None
        }
    }
}
