//! Data-quality findings: one per doubtful value or row, with a stable code.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::ingest::RowRef;
use crate::tables::TableKind;

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
}

/// What happened to the row or value a finding is about.
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

pub use crate::privacy::WITHHELD;

/// One doubtful value or row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: FindingCode,
    pub action: Action,
    pub table: TableKind,
    #[serde(skip)]
    pub at: RowRef,
    /// The export header of the column (or the canonical field when the check spans a row).
    pub column: String,
    /// The cell as read, or [`WITHHELD`] for identifiers and dates of birth.
    pub value: String,
    pub reason: String,
}

/// Every finding of a run, in the order found.
#[derive(Debug, Clone, Default)]
pub struct Findings {
    list: Vec<Finding>,
    /// Rows whose client reference matched a referral only once case and surrounding
    /// spaces were set aside.
    ids_folded: u64,
}

impl Findings {
    /// A row named its client as the referral did, but for case or surrounding spaces.
    pub fn note_folded_id(&mut self) {
        self.ids_folded += 1;
    }

    pub fn ids_folded(&self) -> u64 {
        self.ids_folded
    }

    pub fn push(&mut self, finding: Finding) {
        self.list.push(finding);
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn get_mut(&mut self, i: usize) -> Option<&mut Finding> {
        self.list.get_mut(i)
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Finding> {
        self.list.iter()
    }

    pub fn count(&self, code: FindingCode) -> usize {
        self.list.iter().filter(|f| f.code == code).count()
    }

    /// Counts by code, in code order.
    pub fn counts(&self) -> BTreeMap<FindingCode, usize> {
        let mut out = BTreeMap::new();
        for f in &self.list {
            *out.entry(f.code).or_insert(0) += 1;
        }
        out
    }

    /// Replaces the canonical key in `column` with the export's header, for findings from
    /// `from` onwards.
    pub fn rename_columns(&mut self, from: usize, header: impl Fn(u16, &str) -> Option<String>) {
        for f in self.list.iter_mut().skip(from) {
            if let Some(h) = header(f.at.file, &f.column) {
                f.column = h;
            }
        }
    }

    /// Sorts findings by table, file and line so output is stable however rows were read.
    pub fn sort(&mut self) {
        self.list.sort_by_key(|f| (f.table, f.at, f.code));
    }
}
