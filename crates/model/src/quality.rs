//! The data-quality summary as a report publishes it: validation's summary
//! ([`QualitySummary`], defined once with the canonical tables) with each tally a [`Count`],
//! which disclosure control hides and rounds like every other count. Each is written to
//! `report.json` as a plain number (`null` when hidden), as validation counts it.

use std::ops::{Deref, DerefMut};

use serde::{Serialize, Serializer};

use super::values::Count;
pub use sprout_tables::{CodeCount, Example, FileQuality, QualitySummary, TableQuality};

/// The published data-quality summary.
pub type DataQuality = QualitySummary<Tally>;

/// A count of the data-quality summary: a [`Count`] written as its plain value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tally(pub Count);

impl Tally {
    pub fn new(n: u64) -> Self {
        Self(Count::new(n))
    }
}

impl Deref for Tally {
    type Target = Count;
    fn deref(&self) -> &Count {
        &self.0
    }
}

impl DerefMut for Tally {
    fn deref_mut(&mut self) -> &mut Count {
        &mut self.0
    }
}

impl Serialize for Tally {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.value.serialize(s)
    }
}

/// The summary of a run, every tally shown as counted (disclosure control comes later).
pub fn tallied(q: &QualitySummary) -> DataQuality {
    q.map(|&n| Tally::new(n))
}
