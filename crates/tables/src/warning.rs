//! Warnings about parts of a report that would be empty without saying why, as data: what
//! is empty and why. Each is written in `report.json` and shown to the evaluator as the
//! sentence its `Display` gives; published reports leave them out.

use std::fmt;

use serde::{Serialize, Serializer};

/// A label and how many values carried it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelCount {
    pub label: String,
    pub n: u64,
}

/// A part of the report that will be empty, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    NoSessionsTable,
    NoMedicationsTable,
    NoMeasures,
    NoAssessmentsTable,
    /// A configured timepoint no assessment value is at.
    EmptyTimepoint {
        id: String,
        label: String,
        /// Timepoint labels the export used that the config does not map.
        unmapped: Vec<LabelCount>,
    },
    /// A configured measure with no values.
    EmptyMeasure {
        id: String,
        label: String,
    },
    /// Measures nobody has both ends of the main comparison of.
    NoPairs {
        measures: Vec<String>,
        /// The comparison's two timepoints, as a sentence names them.
        from: String,
        to: String,
        /// Values per mapped timepoint (the timepoint's name and count).
        mapped: Vec<LabelCount>,
        unmapped: Vec<LabelCount>,
    },
}

fn list(tallies: &[LabelCount]) -> String {
    tallies
        .iter()
        .map(|t| format!("{} ({})", t.label, sprout_core::text::int(t.n)))
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoSessionsTable => f.write_str(
                "no sessions table is configured: the report has no sessions, attendance or \
                 engagement figures (add [tables.sessions])",
            ),
            Self::NoMedicationsTable => f.write_str(
                "no medications table is configured: the report has no pain-medication section \
                 (add [tables.medications] if the service records medication)",
            ),
            Self::NoMeasures => f.write_str(
                "no measures are configured: the report has no outcomes (add [[measures]] \
                 entries; `sprout list measures` shows the built-in ids)",
            ),
            Self::NoAssessmentsTable => f.write_str(
                "no assessments table is configured: the report has no outcomes, so every \
                 measure shows no pairs (add [tables.assessments])",
            ),
            Self::EmptyTimepoint {
                id,
                label,
                unmapped,
            } => {
                write!(
                    f,
                    "timepoint {id} ({label}) has no assessment values: no export label is \
                     mapped to it"
                )?;
                if !unmapped.is_empty() {
                    write!(f, "; unmapped timepoint labels seen: {}", list(unmapped))?;
                }
                Ok(())
            }
            Self::EmptyMeasure { id, label } => write!(
                f,
                "measure {id} ({label}) has no values in the assessments: check its column or \
                 its label under [labels.measure]"
            ),
            Self::NoPairs {
                measures,
                from,
                to,
                mapped,
                unmapped,
            } => {
                match measures.as_slice() {
                    [one] => write!(f, "measure {one} has")?,
                    many => write!(f, "measures {} have", many.join(", "))?,
                }
                let mapped = if mapped.is_empty() {
                    "none".to_owned()
                } else {
                    list(mapped)
                };
                write!(
                    f,
                    " no pairs: no client has both a {from} and a {to} value; timepoint values \
                     mapped: {mapped}"
                )?;
                if !unmapped.is_empty() {
                    write!(
                        f,
                        "; timepoint labels seen but not mapped: {}",
                        list(unmapped)
                    )?;
                }
                Ok(())
            }
        }
    }
}

impl Serialize for Warning {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
