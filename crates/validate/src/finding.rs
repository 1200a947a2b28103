//! Data-quality findings: one per doubtful value or row, with a stable code.

use std::collections::BTreeMap;

use serde::Serialize;

use sprout_ingest::RowRef;
use sprout_tables::TableKind;
pub use sprout_tables::{Action, FindingCode};

pub use sprout_core::privacy::WITHHELD;

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

    /// Puts the findings of a table read on its own (another thread) where they would
    /// have been had it been read in turn: before the `from`th finding of this run.
    pub(crate) fn insert_at(&mut self, from: usize, other: Findings) {
        let from = from.min(self.list.len());
        self.list.splice(from..from, other.list);
        self.ids_folded += other.ids_folded;
    }

    /// Keeps only the findings `keep` says yes to.
    pub fn retain(&mut self, keep: impl FnMut(&Finding) -> bool) {
        self.list.retain(keep);
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
