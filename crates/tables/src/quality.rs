//! What validation reports about the data, as every later stage reads it: the stable codes
//! of findings and what was done about each, the data-quality summary, and the rows of
//! `data-quality.csv`. Validation fills these; the report model publishes the summary with
//! its counts under disclosure control ([`QualitySummary::map`]).

use std::path::Path;

use serde::Serialize;

use super::{TableKind, Warning};

macro_rules! finding_codes {
    ($($variant:ident => $code:literal, $about:literal;)*) => {
        /// Stable identifiers of data-quality findings. The string form is part of the
        /// interface: it appears in `data-quality.csv`, reports and documentation.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum FindingCode { $($variant,)* }

        impl FindingCode {
            pub const ALL: &'static [FindingCode] = &[$(FindingCode::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $(FindingCode::$variant => $code,)* }
            }

            /// One line for the data-quality summary.
            pub fn about(self) -> &'static str {
                match self { $(FindingCode::$variant => $about,)* }
            }

            pub fn parse(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|c| c.as_str() == code)
            }
        }
    };
}

finding_codes! {
    MissingRequired => "missing_required", "a required value is empty";
    WrongFieldCount => "wrong_field_count", "the row has a different number of fields from the header";
    UnbalancedQuote => "unbalanced_quote", "a quote opened a value that ran over the following lines";
    DuplicateRow => "duplicate_row", "the row repeats an earlier row exactly and is counted once";
    DuplicateFile => "duplicate_file", "the file repeats another file of the table byte for byte and is read once";
    UnparseableDate => "unparseable_date", "a date matches none of the configured formats";
    ImplausibleDate => "implausible_date", "a date is before 1900 or after the date of the run";
    NotANumber => "not_a_number", "a number could not be read";
    OutOfRange => "out_of_range", "a value is outside its valid range";
    NotInteger => "not_integer", "a value should be a whole number";
    UnknownLabel => "unknown_label", "a category label is not in the config's label mapping";
    UnknownTimepoint => "unknown_timepoint", "a timepoint label is not in the config's label mapping";
    UnknownMeasure => "unknown_measure", "a measure label is not a configured measure";
    ItemOutOfRange => "item_out_of_range", "an item answer is outside its scale";
    ItemNotInteger => "item_not_integer", "an item answer should be a whole number";
    UnscorableTotal => "unscorable_total", "a total could not be scored from its items";
    UnknownDrug => "unknown_drug", "a drug name is not in the medication dictionary";
    ImpossibleDose => "impossible_dose", "a dose is zero, negative or implausibly high";
    UnitMismatch => "unit_mismatch", "a dose unit does not fit the product";
    NoMatchingTimepoint => "no_matching_timepoint", "a medication record is not near any assessment";
    DuplicateClient => "duplicate_client", "a client appears in more than one referral row";
    DuplicateAssessment => "duplicate_assessment", "a measure was recorded twice at one timepoint";
    AssessmentOutOfOrder => "assessment_out_of_order", "a later timepoint is dated before an earlier one";
    DuplicateReview => "duplicate_review", "medication was recorded on two dates for one timepoint";
    StartBeforeReferral => "start_before_referral", "first contact is dated before the referral";
    DischargeBeforeStart => "discharge_before_start", "discharge is dated before the start of support";
    SessionBeforeReferral => "session_before_referral", "a session is dated before the client's referral";
    UnknownClient => "unknown_client", "a row names a client with no referral";
    ClientExcluded => "client_excluded", "a row belongs to a referral that was excluded";
    RowAboveHeader => "row_above_header", "a row that looks like data comes before the header row";
    FormulaWithoutValue => "formula_without_value", "a spreadsheet formula has no saved result, so its value is not known";
    ColumnMissing => "column_missing", "a file of the table lacks a column the config maps or its other files have";
    ReferralWhileOpen => "referral_while_open", "a referral entry while the patient's episode is still open";
    CloseWithoutEpisode => "close_without_episode", "a discharge or declined entry with no open episode";
    OutsideEpisode => "outside_episode", "an entry is dated outside every episode of the patient";
    NotInPeople => "not_in_people", "an episode's patient is not in the patient list";
    SameDayScore => "same_day_score", "a measure was scored twice on one day in an episode";
    DamagedCode => "damaged_code", "a code was turned into a number in scientific notation (as Excel does to long numbers), so its digits are lost";
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// The whole row is left out of every statistic.
    RowExcluded,
    /// The value is treated as missing; the rest of the row is used.
    ValueIgnored,
    /// The whole file is left out (it repeats another).
    FileSkipped,
    /// A column is missing from a whole file: its rows are read without that value.
    ColumnAbsent,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::RowExcluded => "row excluded",
            Action::ValueIgnored => "value ignored",
            Action::FileSkipped => "file not read",
            Action::ColumnAbsent => "not recorded in this file",
        }
    }
}

/// File formats, chosen by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileFormat {
    Csv,
    Xlsx,
    Parquet,
}

impl FileFormat {
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "tsv" | "txt" | "tab" => Some(Self::Csv),
            "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => Some(Self::Xlsx),
            "parquet" | "pq" => Some(Self::Parquet),
            _ => None,
        }
    }
}

/// The data-quality summary: rows read and used per table and file, findings by code with
/// their first examples, and the notes and warnings a reader needs. `N` is how a count is
/// held: a plain `u64` as validation counts it, or a count under disclosure control in a
/// published report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QualitySummary<N = u64> {
    pub tables: Vec<TableQuality<N>>,
    pub codes: Vec<CodeCount<N>>,
    pub total_findings: N,
    /// Parts of the report that will be empty, and why (a table not configured, a
    /// measure without values, a timepoint never seen, a comparison without pairs).
    pub warnings: Vec<Warning>,
    /// How the exports were read where a reader could have read them otherwise (the
    /// sheet taken from a workbook, client references matched ignoring case).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableQuality<N = u64> {
    pub table: TableKind,
    pub files: Vec<FileQuality<N>>,
    /// Data rows read (blank rows not counted).
    pub rows_read: N,
    /// Rows left out of every statistic.
    pub rows_excluded: N,
    /// Rows used (possibly with some values ignored).
    pub rows_used: N,
    /// Rows of the canonical table built from them.
    pub canonical_rows: N,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileQuality<N = u64> {
    pub file: String,
    pub format: FileFormat,
    pub sheet: Option<String>,
    pub rows: N,
    pub blank_rows: N,
    pub encoding_note: Option<String>,
    /// Export columns the config does not map (shown so nothing is ignored unknowingly):
    /// a fact about the export, not a count of people or records.
    pub unmapped_columns: usize,
    /// In a file shared by tables that each take some of its rows (`where`): the rows no
    /// table takes (other codes, other services' entries), left out and counted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_rows: Option<N>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodeCount<N = u64> {
    pub code: FindingCode,
    pub about: String,
    /// Findings of this kind: the rows excluded and the values ignored.
    pub count: N,
    pub rows_excluded: N,
    pub values_ignored: N,
    pub examples: Vec<Example>,
}

/// One of the first findings of a code, as the summary shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Example {
    pub table: TableKind,
    pub file: String,
    pub location: String,
    pub column: String,
    pub value: String,
    pub reason: String,
}

impl<N> QualitySummary<N> {
    /// The same summary with every count turned by `f` (the other fields copied).
    pub fn map<M>(&self, f: impl Fn(&N) -> M) -> QualitySummary<M> {
        QualitySummary {
            tables: self
                .tables
                .iter()
                .map(|t| TableQuality {
                    table: t.table,
                    files: t
                        .files
                        .iter()
                        .map(|file| FileQuality {
                            file: file.file.clone(),
                            format: file.format,
                            sheet: file.sheet.clone(),
                            rows: f(&file.rows),
                            blank_rows: f(&file.blank_rows),
                            encoding_note: file.encoding_note.clone(),
                            unmapped_columns: file.unmapped_columns,
                            other_rows: file.other_rows.as_ref().map(&f),
                        })
                        .collect(),
                    rows_read: f(&t.rows_read),
                    rows_excluded: f(&t.rows_excluded),
                    rows_used: f(&t.rows_used),
                    canonical_rows: f(&t.canonical_rows),
                })
                .collect(),
            codes: self
                .codes
                .iter()
                .map(|c| CodeCount {
                    code: c.code,
                    about: c.about.clone(),
                    count: f(&c.count),
                    rows_excluded: f(&c.rows_excluded),
                    values_ignored: f(&c.values_ignored),
                    examples: c.examples.clone(),
                })
                .collect(),
            total_findings: f(&self.total_findings),
            warnings: self.warnings.clone(),
            notes: self.notes.clone(),
        }
    }
}

/// One finding as it is listed in `data-quality.csv`: where, what and why, with
/// identifiers and personal-looking values already withheld.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingRow {
    pub table: &'static str,
    pub file: String,
    pub sheet: String,
    pub line: u64,
    pub column: String,
    pub value: String,
    pub code: &'static str,
    pub action: &'static str,
    pub reason: String,
}
