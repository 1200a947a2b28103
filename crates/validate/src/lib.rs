//! Validate: checks every row of every table against the config and builds the canonical
//! tables from the rows that pass. Doubtful values and rows become [`Finding`]s (counted,
//! reported, excluded), never silent drops; structural problems stop the run.

mod assessments;
mod check;
mod client_entry;
mod emptiness;
mod entry_order;
mod episodes;
mod finding;
mod medications;
pub mod parse;
mod quality;
mod referrals;
mod sessions;

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;

pub use finding::{Action, Finding, FindingCode, Findings, WITHHELD};
pub use quality::finding_rows;
use referrals::{ClientEntry, ClientRegister};
pub use sprout_core::privacy::redact;
pub use sprout_tables::{CodeCount, Example, FindingRow, QualitySummary, TableQuality};

use check::{At, Checker};
use sprout_config::{Config, DateFormat, TableSpec};
use sprout_core::fxhash::{FxHashMap, FxHashSet};
use sprout_ingest::{self as ingest, FileColumns, IngestError, SourceRow, Sources, WantedColumn};
use sprout_tables::{CanonicalTables, FieldDef, TableKind};

/// Why validation could not finish.
#[derive(Debug, thiserror::Error)]
pub enum ValidateError {
    #[error("{0}")]
    Ingest(#[from] IngestError),
    #[error("internal error while building tables: {0}")]
    Internal(String),
}

impl From<sprout_tables::ColumnError> for ValidateError {
    fn from(e: sprout_tables::ColumnError) -> Self {
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
    let mut shared = Shared::default();
    let mut stats = Vec::new();

    let today = options.today;
    let ids = config.programme.case_sensitive_ids;
    progress(TableKind::Referrals);
    let (referrals, register) = read_referrals(config, &mut shared, &mut stats, today)?;

    // Sessions are read on a thread of their own while assessments and medications are
    // read here: neither needs the other. Files are numbered, and findings kept in the
    // order, as if the tables had been read in turn.
    let (sessions, rest) = std::thread::scope(|scope| {
        let sessions = config.tables.sessions.as_ref().map(|spec| {
            progress(TableKind::Sessions);
            let (fork, mut own) = Fork::new(&mut shared, spec, &config.base_dir);
            let register = &register;
            let thread = scope.spawn(move || {
                let mut r = TableRun::new(TableKind::Sessions, &mut own, today, ids);
                let read = sessions::validate(config, spec, register, &mut r)
                    .map(|(t, first)| (t, first, r.finish()));
                (read, own)
            });
            (fork, thread)
        });
        let rest = assessments_and_medications(
            config,
            &mut shared,
            (&referrals, &register),
            today,
            progress,
        );
        let sessions = sessions.map(|(fork, thread)| {
            let (read, own) = thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            read.and_then(|read| fork.join(&mut shared, own).map(|()| read))
        });
        (sessions, rest)
    });
    let (sessions, first_attended) = match sessions.transpose()? {
        Some((table, first, table_stats)) => {
            stats.push(table_stats);
            (Some(table), first)
        }
        None => (None, FxHashMap::default()),
    };
    let (assessments, medications) = rest?;
    let assessments = assessments.map(|(t, s)| {
        stats.push(s);
        t
    });
    let medications = medications.map(|(t, s)| {
        stats.push(s);
        t
    });

    let Shared {
        sources,
        mut findings,
        files: shared_files,
    } = shared;
    // A damaged code in a shared file is found by every table that reads it: once.
    let mut damaged = std::collections::HashSet::new();
    findings.retain(|f| {
        f.code != FindingCode::DamagedCode
            || damaged.insert((sources.get(f.at).map(|s| s.path.clone()), f.at.line))
    });
    findings.sort();
    let warnings =
        emptiness::warnings(config, assessments.as_ref().map(|a| &a.coverage), &findings);
    let (medications, incomplete_medication) = match medications {
        Some(m) => (Some(m.table), Some(m.incomplete)),
        None => (None, None),
    };
    let (referrals, episodes_note) = match referrals {
        Referrals::Read(t) => (t, None),
        Referrals::Later(episodes) => {
            let note = episodes.note();
            (episodes.table(&first_attended)?, Some(note))
        }
    };
    let tables = CanonicalTables {
        referrals,
        sessions,
        assessments: assessments.map(|a| a.table),
        medications,
        incomplete_medication,
    };
    let mut summary = quality::summarise(&stats, &sources, &shared_files, &findings, &tables);
    summary.warnings = warnings;
    summary.notes = reading_notes(config, &sources, &shared_files, &findings);
    summary.notes.extend(episodes_note);
    Ok(Validated {
        tables,
        findings,
        sources,
        summary,
    })
}

/// The referrals table, read from one row per episode or built from referral events (with
/// the patient list first, where there is one), and the register of its clients.
fn read_referrals(
    config: &Config,
    shared: &mut Shared,
    stats: &mut Vec<TableStats>,
    today: NaiveDate,
) -> Result<(Referrals, ClientRegister), ValidateError> {
    let ids = config.programme.case_sensitive_ids;
    Ok(if config.tables.episodes_from_events() {
        // The patient list first, so that episodes can be matched to it.
        let people_stats = match &config.tables.people {
            Some(_) => {
                let mut r = TableRun::new(TableKind::People, shared, today, ids);
                let people = episodes::read_people(config, &mut r)?;
                Some((people, r.finish()))
            }
            None => None,
        };
        let mut r = TableRun::new(TableKind::Referrals, shared, today, ids);
        let people = people_stats.as_ref().map(|(p, _)| p);
        let (episodes, register) = episodes::read(config, &mut r, people)?;
        stats.push(r.finish());
        stats.extend(people_stats.map(|(_, s)| s));
        (Referrals::Later(episodes), register)
    } else {
        let mut r = TableRun::new(TableKind::Referrals, shared, today, ids);
        let out = referrals::validate(config, &mut r)?;
        stats.push(r.finish());
        (Referrals::Read(out.table), out.register)
    })
}

type Read<T> = Option<(T, TableStats)>;

/// Reads the assessments and then the medications (which are matched to assessment dates).
fn assessments_and_medications(
    config: &Config,
    shared: &mut Shared,
    (referrals, register): (&Referrals, &ClientRegister),
    today: NaiveDate,
    progress: &dyn Fn(TableKind),
) -> Result<
    (
        Read<assessments::AssessmentsOutput>,
        Read<medications::MedicationsOutput>,
    ),
    ValidateError,
> {
    let ids = config.programme.case_sensitive_ids;
    let assessments = match &config.tables.assessments {
        Some(spec) => {
            progress(TableKind::Assessments);
            let mut r = TableRun::new(TableKind::Assessments, shared, today, ids);
            // Only timepoints from order need to know when support ended.
            let ends = match config.timepoints.from_order {
                Some(_) => referrals.ends()?,
                None => Vec::new(),
            };
            let t = assessments::validate(config, spec, register, &ends, &mut r)?;
            Some((t, r.finish()))
        }
        None => None,
    };
    let medications = match &config.tables.medications {
        Some(spec) => {
            progress(TableKind::Medications);
            let mut r = TableRun::new(TableKind::Medications, shared, today, ids);
            let empty = assessments::AssessmentDates::default();
            let dates = assessments.as_ref().map_or(&empty, |(a, _)| &a.dates);
            let t = medications::validate(config, spec, register, dates, &mut r)?;
            Some((t, r.finish()))
        }
        None => None,
    };
    Ok((assessments, medications))
}

/// A table read on a thread of its own, from a copy of the run's [`Shared`]: where its
/// files and findings go in the run when it is done.
struct Fork {
    /// The number its first file takes.
    files_from: usize,
    /// How many files it reads.
    files: usize,
    /// Where its findings go.
    findings_from: usize,
}

impl Fork {
    /// Sets places aside for the table's files, so that the next table's files are
    /// numbered after them, and gives the table its own copy to read into.
    fn new(shared: &mut Shared, spec: &TableSpec, base_dir: &Path) -> (Self, Shared) {
        let files_from = shared.sources.files.len();
        let files = ingest::resolve_files(spec, base_dir).map_or(0, |p| p.len());
        let own = Shared {
            sources: shared.sources.clone(),
            ..Shared::default()
        };
        let place = ingest::SourceFile {
            display: String::new(),
            path: std::path::PathBuf::new(),
            format: ingest::FileFormat::Csv,
            sheet: None,
            encoding_note: None,
            sheet_note: None,
            rows: 0,
            blank_rows: 0,
            bytes: 0,
            sha256: String::new(),
        };
        shared
            .sources
            .files
            .extend(std::iter::repeat_n(place, files));
        let fork = Fork {
            files_from,
            files,
            findings_from: shared.findings.len(),
        };
        (fork, own)
    }

    /// Puts what the table read into the run.
    fn join(self, shared: &mut Shared, own: Shared) -> Result<(), ValidateError> {
        let read = own.sources.files.len().saturating_sub(self.files_from);
        if read != self.files {
            return Err(ValidateError::Internal(format!(
                "the files of a table changed while it was read ({} found, {read} read)",
                self.files
            )));
        }
        let places = &mut shared.sources.files[self.files_from..self.files_from + self.files];
        for (place, file) in places
            .iter_mut()
            .zip(own.sources.files.into_iter().skip(self.files_from))
        {
            *place = file;
        }
        shared.findings.insert_at(self.findings_from, own.findings);
        shared.files.merge(own.files);
        Ok(())
    }
}

/// The referrals table: read from one row per episode, or built from events once the
/// sessions have said when each episode started.
enum Referrals {
    Read(sprout_tables::Referrals),
    Later(episodes::Episodes),
}

impl Referrals {
    /// When each client's (or episode's) support ended, as days, by client number.
    fn ends(&self) -> Result<Vec<Option<i32>>, ValidateError> {
        Ok(match self {
            Referrals::Read(t) => t
                .frame()
                .dates(sprout_tables::schema::referrals::DISCHARGE_DATE)?
                .iter()
                .map(|d| d.map(sprout_tables::build::date_to_days))
                .collect(),
            Referrals::Later(e) => e.ends(),
        })
    }
}

/// How the exports were read, where that was a choice the reader should know of.
fn reading_notes(
    config: &Config,
    sources: &Sources,
    shared: &SharedFiles,
    findings: &Findings,
) -> Vec<String> {
    let mut notes: Vec<String> = sources
        .files
        .iter()
        .filter_map(|f| f.sheet_note.as_ref().map(|n| format!("{}: {n}", f.display)))
        .collect();
    let mut said = std::collections::HashSet::new();
    for f in &sources.files {
        if let Some(n) = shared.left_out(&f.path)
            && said.insert(&f.path)
        {
            notes.push(format!(
                "{}: {} row{} of other entries (taken by no table's `where`) {} left out",
                f.display,
                sprout_core::text::int(n),
                if n == 1 { "" } else { "s" },
                if n == 1 { "was" } else { "were" },
            ));
        }
    }
    let folded = findings.ids_folded();
    if folded > 0 && !config.programme.case_sensitive_ids {
        notes.push(format!(
            "{} row{} named {} client with a reference that differs from the referral's only \
             in case or surrounding spaces (\"ab123\" for \"AB123\"), and {} matched to that \
             client; if such references are different clients, set `case_sensitive_ids = \
             true` under [programme]",
            sprout_core::text::int(folded),
            if folded == 1 { "" } else { "s" },
            if folded == 1 { "its" } else { "their" },
            if folded == 1 { "was" } else { "were" },
        ));
    }
    notes
}

/// What every table's reading adds to: the files read, the findings, and which rows of
/// shared files were taken.
#[derive(Default)]
pub(crate) struct Shared {
    sources: Sources,
    findings: Findings,
    files: SharedFiles,
}

/// Which files a table was read from.
#[derive(Debug, Clone)]
pub struct TableStats {
    pub table: TableKind,
    pub files: Vec<FileColumns>,
    /// Where the table takes only some rows of its files (`where`): the rows taken, by
    /// file.
    pub taken: FxHashMap<u16, u64>,
}

/// The rows of each file that some table took, for the files a table reads only in part:
/// the rest are other entries (other codes, other services), counted and left out.
#[derive(Debug, Default)]
pub(crate) struct SharedFiles {
    /// By file path: its data rows, and the lines some table took (`None` when a table
    /// took every row).
    by_path: HashMap<std::path::PathBuf, (u64, Option<FxHashSet<u64>>)>,
}

/// `8.71731E+14`: a long number as Excel shows and saves it, its digits lost.
fn damaged_code(cell: &str) -> bool {
    let t = cell.trim();
    let Some((mantissa, exponent)) = t.split_once(['E', 'e']) else {
        return false;
    };
    let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((a, b)) => digits(a) && digits(b),
        None => digits(mantissa),
    };
    mantissa_ok && digits(exponent) && exponent.parse::<u32>().is_ok_and(|e| e >= 5)
}

impl SharedFiles {
    /// Adds what a table read on its own thread took: a file's rows are the most any
    /// table saw, and its lines taken all of them if any table took every row.
    fn merge(&mut self, other: SharedFiles) {
        use std::collections::hash_map::Entry;
        for (path, (rows, lines)) in other.by_path {
            match self.by_path.entry(path) {
                Entry::Vacant(slot) => {
                    slot.insert((rows, lines));
                }
                Entry::Occupied(mut slot) => {
                    let (have, taken) = slot.get_mut();
                    *have = (*have).max(rows);
                    match (taken, lines) {
                        (Some(taken), Some(lines)) => taken.extend(lines),
                        (taken, _) => *taken = None,
                    }
                }
            }
        }
    }

    /// Rows of the file at `path` that no table took, if any table reads it in part.
    pub(crate) fn left_out(&self, path: &Path) -> Option<u64> {
        let (rows, lines) = self.by_path.get(path)?;
        lines.as_ref().map(|l| rows.saturating_sub(l.len() as u64))
    }
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
    /// Client references differing only in case are different clients.
    case_sensitive_ids: bool,
    /// (file, canonical key) of each column missing from a file.
    missing: Vec<(u16, String)>,
    /// Which rows of shared files the tables took.
    shared: &'a mut SharedFiles,
}

impl<'a> TableRun<'a> {
    fn new(
        table: TableKind,
        shared: &'a mut Shared,
        today: NaiveDate,
        case_sensitive_ids: bool,
    ) -> Self {
        let first_finding = shared.findings.len();
        Self {
            table,
            sources: &mut shared.sources,
            findings: &mut shared.findings,
            today,
            stats: TableStats {
                table,
                files: Vec::new(),
                taken: FxHashMap::default(),
            },
            first_finding,
            headers: HashMap::new(),
            case_sensitive_ids,
            missing: Vec::new(),
            shared: &mut shared.files,
        }
    }

    /// Reads every file of `spec`, giving each row to `row_fn` with a checker. Rows that
    /// repeat another (a copy of an export, rows pasted twice, a re-export with other
    /// columns), rows above the header and rows whose required value is a formula with
    /// no saved result are findings and go no further. Afterwards, findings name the
    /// export's own header rather than the canonical field, and a file that lacks a
    /// column the config maps (or its other files have) is a finding of its own.
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
            last_client: Default::default(),
        };
        let (capacity, several) = expected_rows(spec, base_dir);
        let mut repeats = Repeats::new(capacity, several, self.case_sensitive_ids);
        // A table taking only some rows of its files reads the choosing column too, last.
        let select = spec.select.as_ref();
        let with_select: Vec<WantedColumn>;
        let wanted = match select {
            Some(s) => {
                with_select = wanted
                    .iter()
                    .cloned()
                    .chain(std::iter::once(WantedColumn {
                        key: "where".to_owned(),
                        headers: s.column.clone(),
                        required: true,
                        identifying: false,
                    }))
                    .collect();
                &with_select[..]
            }
            None => wanted,
        };
        let mut taken: FxHashMap<u16, Vec<u64>> = FxHashMap::default();
        // Findings whose reason names another row, written once the files can be named.
        let mut notes: Vec<(usize, RepeatOf)> = Vec::new();
        let files = ingest::read_table(spec, base_dir, wanted, self.sources, &mut |row| {
            if let Some(s) = select
                && row.broken.is_none()
            {
                let cell = row.cells.last().copied().unwrap_or("");
                if !s.selects(cell) {
                    if damaged_code(cell) {
                        flag_damaged_code(&mut checker, row.at, cell);
                    }
                    return;
                }
                taken.entry(row.at.file).or_default().push(row.at.line);
            }
            if let Some(ingest::Broken::AboveHeader { header }) = row.broken {
                notes.push((
                    checker.findings.len(),
                    RepeatOf::Header(ingest::RowRef {
                        file: row.at.file,
                        line: header,
                    }),
                ));
                checker.flag_with(
                    &At {
                        row: row.at,
                        key: &wanted[0].key,
                        text: "",
                        required: true,
                        identifying: true,
                    },
                    FindingCode::RowAboveHeader,
                    Action::RowExcluded,
                    "the row comes before the header row",
                );
                return;
            }
            if row.broken.is_none()
                && let Some(first) = repeats.seen(&row, wanted)
            {
                notes.push((checker.findings.len(), first));
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
                    "the row repeats an earlier row",
                );
                return;
            }
            if unsaved_formulas(&mut checker, &row, wanted) {
                return;
            }
            row_fn(&mut checker, row)
        })?;
        self.name_repeats(notes);
        self.note_taken(&files, select.is_some(), taken);
        self.duplicate_files(&files);
        self.missing_columns(spec, wanted, &files);
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

    /// Records which rows of each file the table took: all of them, or (with `where`)
    /// the lines in `taken`.
    fn note_taken(
        &mut self,
        files: &[FileColumns],
        selects: bool,
        taken: FxHashMap<u16, Vec<u64>>,
    ) {
        for f in files {
            let Some(source) = self.sources.files.get(usize::from(f.file)) else {
                continue;
            };
            let entry = self
                .shared
                .by_path
                .entry(source.path.clone())
                .or_insert_with(|| (source.rows, Some(FxHashSet::default())));
            entry.0 = entry.0.max(source.rows);
            if !selects {
                entry.1 = None;
                continue;
            }
            let lines = taken.get(&f.file).map_or(&[][..], Vec::as_slice);
            self.stats.taken.insert(f.file, lines.len() as u64);
            if let Some(set) = &mut entry.1 {
                set.extend(lines.iter().copied());
            }
        }
    }

    /// Findings about repeated rows and rows above the header name the other row, now
    /// that the files can be described.
    fn name_repeats(&mut self, notes: Vec<(usize, RepeatOf)>) {
        for (i, first) in notes {
            let reason = match first {
                RepeatOf::Exactly(first) => format!(
                    "the row repeats {} {} exactly; it is counted once",
                    self.sources.display(first),
                    self.sources.describe_line(first)
                ),
                RepeatOf::Header(header) => format!(
                    "the row comes before the header row ({}), so which value belongs to \
                 which column is not known; it is left out. If it is data, move it below \
                 the header",
                    self.sources.describe_line(header)
                ),
                RepeatOf::Fields(first) => format!(
                    "the row repeats {} {} in every column the config reads (the files \
                 differ in other columns: a re-export of the same rows?); it is counted \
                 once",
                    self.sources.display(first),
                    self.sources.describe_line(first)
                ),
            };
            if let Some(f) = self.findings.get_mut(i) {
                f.reason = reason;
            }
        }
    }

    /// A file that repeats another byte for byte is read once, with a finding.
    fn duplicate_files(&mut self, files: &[FileColumns]) {
        for f in files {
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
    }

    /// A file read without a column that the config maps, or that other files of the
    /// table have: one finding per file and column. Its rows are read without that value
    /// (not recorded), never with a default.
    fn missing_columns(
        &mut self,
        spec: &TableSpec,
        wanted: &[WantedColumn],
        files: &[FileColumns],
    ) {
        let read: Vec<&FileColumns> = files.iter().filter(|f| f.repeats.is_none()).collect();
        for (k, w) in wanted.iter().enumerate() {
            let elsewhere = read.iter().find_map(|f| f.headers[k].as_ref());
            let mapped = spec.headers_for(&w.key).is_some();
            if !mapped && elsewhere.is_none() {
                continue;
            }
            for f in read.iter().filter(|f| f.headers[k].is_none()) {
                let rows = self
                    .sources
                    .files
                    .get(usize::from(f.file))
                    .map_or(0, |s| s.rows);
                let why = match elsewhere {
                    Some(h) => format!(
                        "the other files of the table have it (\"{}\")",
                        sprout_core::privacy::clip(&sprout_core::privacy::redact(h), 60)
                    ),
                    None => "the config maps it".to_owned(),
                };
                self.missing.push((f.file, w.key.clone()));
                self.findings.push(Finding {
                    code: FindingCode::ColumnMissing,
                    action: Action::ColumnAbsent,
                    table: self.table,
                    at: ingest::RowRef {
                        file: f.file,
                        line: 0,
                    },
                    column: w.key.clone(),
                    value: String::new(),
                    reason: format!(
                        "the file has no {} column, although {why}; its {} row{} are read \
                         with {} not recorded",
                        w.key,
                        rows,
                        if rows == 1 { "" } else { "s" },
                        w.key
                    ),
                });
            }
        }
    }

    /// The files read without this column (see [`TableRun::missing_columns`]).
    fn files_lacking(&self, key: &str) -> Vec<u16> {
        self.missing
            .iter()
            .filter(|(_, k)| k == key)
            .map(|(f, _)| *f)
            .collect()
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

/// Where a repeated row was first seen, and how it repeats it; or, for a row above the
/// header, where the header is.
#[derive(Debug, Clone, Copy)]
enum RepeatOf {
    Header(ingest::RowRef),
    /// Every column of the row, in the same file or another.
    Exactly(ingest::RowRef),
    /// Every column the config reads, in another file.
    Fields(ingest::RowRef),
}

/// The rows read so far, to find repeats. A row repeats another when every column of the
/// file is the same (in any file: a copy of an export, rows pasted twice), or when every
/// column the config reads is the same and the rows are in different files (a re-export
/// of the same rows with a column more or less). Within one file, rows that differ only
/// in columns the config does not read (two sessions told apart by their own reference)
/// are different rows.
struct Repeats {
    /// The hash of every whole row recorded.
    whole: HashedRows,
    /// The hash of the wanted cells of every row recorded; only kept when the table has
    /// more than one file.
    fields: Option<HashedRows>,
    /// Where each recorded row is, by its number among the rows recorded.
    at: Vec<PackedRow>,
    case_sensitive_ids: bool,
}

/// Hashes of rows, found by value. The set holds row numbers (four bytes a slot, the
/// hashes beside it in row order), not hash-and-place pairs (sixteen bytes a slot): at a
/// national scale a table has tens of millions of rows.
struct HashedRows {
    /// Row numbers, placed by their row's hash.
    set: hashbrown::HashTable<u32>,
    /// Each recorded row's hash, by row number.
    hashes: Vec<u64>,
}

impl HashedRows {
    fn with_capacity(capacity: usize) -> Self {
        Self {
            set: hashbrown::HashTable::with_capacity(capacity),
            hashes: Vec::with_capacity(capacity),
        }
    }
}

impl Repeats {
    fn new(capacity: usize, several_files: bool, case_sensitive_ids: bool) -> Self {
        Self {
            whole: HashedRows::with_capacity(capacity),
            fields: several_files.then(|| HashedRows::with_capacity(capacity)),
            at: Vec::with_capacity(capacity),
            case_sensitive_ids,
        }
    }

    /// Records a row; returns where it was first seen if it repeats an earlier one. A new
    /// row costs one probe of each set. Past four billion rows (more than any export
    /// holds) rows are no longer compared.
    fn seen(&mut self, row: &SourceRow<'_>, wanted: &[WantedColumn]) -> Option<RepeatOf> {
        use hashbrown::hash_table::Entry;
        let Self {
            whole,
            fields,
            at,
            case_sensitive_ids,
        } = self;
        let next = u32::try_from(at.len()).ok()?;
        let hash = row.row_hash;
        let HashedRows {
            set: whole_set,
            hashes: whole_hashes,
        } = whole;
        let slot = match whole_set.entry(
            hash,
            |&r| whole_hashes[r as usize] == hash,
            |&r| whole_hashes[r as usize],
        ) {
            Entry::Occupied(first) => {
                return Some(RepeatOf::Exactly(at[*first.get() as usize].get()));
            }
            Entry::Vacant(slot) => slot,
        };
        if let Some(HashedRows { set, hashes }) = fields {
            let fields = fields_hash(row, wanted, *case_sensitive_ids);
            match set.entry(
                fields,
                |&r| hashes[r as usize] == fields,
                |&r| hashes[r as usize],
            ) {
                Entry::Occupied(first) => {
                    let first = at[*first.get() as usize].get();
                    if first.file != row.at.file {
                        return Some(RepeatOf::Fields(first));
                    }
                }
                Entry::Vacant(fresh) => {
                    fresh.insert(next);
                }
            }
            hashes.push(fields);
        }
        slot.insert(next);
        whole_hashes.push(hash);
        at.push(row.at.into());
        None
    }
}

/// A hash of the cells the config reads, as they are matched: trimmed, and the client
/// reference as references are matched.
fn fields_hash(row: &SourceRow<'_>, wanted: &[WantedColumn], case_sensitive_ids: bool) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = sprout_core::fxhash::content_hasher();
    for (cell, w) in row.cells.iter().zip(wanted) {
        if w.key == "client_id" {
            (*referrals::client_key(cell, case_sensitive_ids)).hash(&mut h);
        } else {
            cell.trim().hash(&mut h);
        }
    }
    h.finish()
}

/// A row's place in one word (file in the top 16 bits, line in the rest), ordered as
/// places are (by file, then line), for places held by the tens of millions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct PackedRow(u64);

impl PackedRow {
    const LINE: u64 = (1 << 48) - 1;

    pub(crate) fn get(self) -> ingest::RowRef {
        ingest::RowRef {
            file: (self.0 >> 48) as u16,
            line: self.0 & Self::LINE,
        }
    }
}

impl From<ingest::RowRef> for PackedRow {
    fn from(r: ingest::RowRef) -> Self {
        Self((u64::from(r.file) << 48) | (r.line & Self::LINE))
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
            identifying: f.is_identifying(),
        })
        .collect()
}

/// Flags a CSV row whose field count differs from its header; such rows are excluded,
/// since their values may have shifted columns.
fn ragged(check: &mut Checker, row: &SourceRow, first_key: &str) -> bool {
    let (expected, found) = match row.broken {
        None | Some(ingest::Broken::AboveHeader { .. }) => return false,
        Some(ingest::Broken::StrayQuote) => (0, 0),
        Some(ingest::Broken::FieldCount { expected, found }) => (expected, found),
    };
    let at = At {
        row: row.at,
        key: first_key,
        text: "",
        required: true,
        identifying: true,
    };
    if matches!(row.broken, Some(ingest::Broken::StrayQuote)) {
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
        format!("the row has {found} fields but the header has {expected}; a delimiter inside an unquoted value can cause this"),
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

    /// Whether cell `i` holds a formula whose result was never saved: its value is not
    /// known (a finding says so), which is not the same as an empty cell.
    pub(crate) fn unknown(&self, i: usize) -> bool {
        self.row.formulas.iter().any(|(c, _)| *c == i)
    }

    /// Cell `i` for checking. Identifiers and dates of birth are never echoed in findings.
    pub(crate) fn at(&self, i: usize, required: bool) -> At<'r> {
        let wanted = &self.wanted[i];
        At {
            row: self.row.at,
            key: wanted.key.as_str(),
            text: self.row.cells[i],
            required,
            identifying: wanted.identifying,
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
    grace: u32,
) -> Option<(u32, NaiveDate, NaiveDate)> {
    if ragged(check, cells.row, &cells.wanted[0].key) {
        return None;
    }
    let found = client_of(check, &cells.at(0, true), register)?;
    let check::Cell::Value(d) = check.date(&cells.at(date, true), false) else {
        return None;
    };
    match found {
        Found::Client(client, referral) => Some((client, referral, d)),
        Found::Patient => {
            let episode = register.episode_on(cells.row.cells[0], d, grace);
            if episode.is_none() {
                outside_episodes(check, &cells.at(date, true), Some(d));
            }
            episode.map(|(client, referral)| (client, referral, d))
        }
    }
}

/// Flags a row of a patient that no episode of theirs contains.
fn outside_episodes(check: &mut Checker, at: &At, date: Option<NaiveDate>) {
    let reason = match date {
        Some(d) => format!("dated {d}, outside every episode of the patient"),
        None => "the row cannot be matched to one of the patient's episodes".to_owned(),
    };
    check.flag_with(at, FindingCode::OutsideEpisode, Action::RowExcluded, reason);
}

/// Whose a row is: a client with a kept referral (its index and referral date), or a
/// patient whose episode depends on the row's date.
enum Found {
    Client(u32, NaiveDate),
    Patient,
}

/// Looks a row's client up in the referral register.
fn client_of(check: &mut Checker, at: &At, register: &ClientRegister) -> Option<Found> {
    let check::Cell::Value(_) = check.text(at) else {
        return None;
    };
    let found = register.lookup_after(at.text, &mut check.last_client);
    if found.is_some_and(|(_, written_otherwise)| written_otherwise) {
        check.findings.note_folded_id();
    }
    match found.map(|(entry, _)| entry) {
        Some(ClientEntry::Kept { index, referral }) => Some(Found::Client(index, referral)),
        Some(ClientEntry::Patient) => Some(Found::Patient),
        Some(ClientEntry::Excluded) => {
            check.flag_with(
                at,
                FindingCode::ClientExcluded,
                Action::RowExcluded,
                "the client's referral row was excluded",
            );
            None
        }
        None if register.of_patients() => {
            check.flag_with(
                at,
                FindingCode::OutsideEpisode,
                Action::RowExcluded,
                "the patient has no episode (no referral entry)",
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

/// How many rows the files of `spec` hold, roughly (a row is rarely under 40 bytes), so
/// that the sets that find repeats are sized once; and whether there are several files.
fn expected_rows(spec: &TableSpec, base_dir: &Path) -> (usize, bool) {
    let files = ingest::resolve_files(spec, base_dir).unwrap_or_default();
    let bytes: u64 = files
        .iter()
        .filter_map(|(p, _)| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    (
        usize::try_from(bytes / 40).unwrap_or(0).min(1 << 27),
        files.len() > 1,
    )
}

/// Flags each wanted cell of `row` holding a formula whose result was never saved;
/// returns whether one of them is required (the row is then left out).
fn unsaved_formulas(checker: &mut Checker, row: &SourceRow, wanted: &[WantedColumn]) -> bool {
    let mut excluded = false;
    for (i, formula) in row.formulas {
        let Some(w) = wanted.get(*i) else { continue };
        let at = At {
            row: row.at,
            key: &w.key,
            text: formula,
            required: w.required,
            identifying: false,
        };
        let consequence = if w.required {
            "the row is left out"
        } else {
            "the value is taken as not recorded"
        };
        checker.flag(
            &at,
            FindingCode::FormulaWithoutValue,
            format!(
                "the cell holds a formula whose result the workbook never saved (it \
                 was written by a program that does not calculate); {consequence}. \
                 Open and save the workbook in a spreadsheet program, or export values"
            ),
        );
        excluded |= w.required;
    }
    excluded
}

/// A code no table takes because Excel turned it into a number in scientific notation.
fn flag_damaged_code(checker: &mut Checker, at: ingest::RowRef, cell: &str) {
    checker.flag_with(
        &At {
            row: at,
            key: "where",
            text: cell,
            required: true,
            identifying: false,
        },
        FindingCode::DamagedCode,
        Action::RowExcluded,
        "the code is a number in scientific notation, as Excel writes long numbers, so its \
         digits are lost and no table can take the row; export the file again without \
         opening and saving it in Excel",
    );
}
