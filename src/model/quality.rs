//! The data-quality summary as a report publishes it: the validation's tallies as counts,
//! which disclosure control hides and rounds like every other count. Each count is written
//! to `report.json` as a plain number (`null` when hidden), as the validation writes it.

use serde::{Serialize, Serializer};

use super::values::Count;
use crate::ingest::FileFormat;
use crate::tables::TableKind;
use crate::validate::{self, Example, FindingCode};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataQuality {
    pub tables: Vec<TableQuality>,
    pub codes: Vec<CodeCount>,
    #[serde(serialize_with = "plain")]
    pub total_findings: Count,
    /// Parts of the report that are empty, and why.
    pub warnings: Vec<String>,
    /// How the exports were read where they could have been read otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableQuality {
    pub table: TableKind,
    pub files: Vec<FileQuality>,
    /// Data rows read (blank rows not counted).
    #[serde(serialize_with = "plain")]
    pub rows_read: Count,
    /// Rows left out of every statistic.
    #[serde(serialize_with = "plain")]
    pub rows_excluded: Count,
    /// Rows used (possibly with some values ignored).
    #[serde(serialize_with = "plain")]
    pub rows_used: Count,
    /// Rows of the canonical table built from them.
    #[serde(serialize_with = "plain")]
    pub canonical_rows: Count,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileQuality {
    pub file: String,
    pub format: FileFormat,
    pub sheet: Option<String>,
    #[serde(serialize_with = "plain")]
    pub rows: Count,
    #[serde(serialize_with = "plain")]
    pub blank_rows: Count,
    pub encoding_note: Option<String>,
    /// Export columns the config does not map: a fact about the export, not a count of
    /// people or records.
    pub unmapped_columns: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodeCount {
    pub code: FindingCode,
    pub about: String,
    /// Findings of this kind: the rows excluded and the values ignored.
    #[serde(serialize_with = "plain")]
    pub count: Count,
    #[serde(serialize_with = "plain")]
    pub rows_excluded: Count,
    #[serde(serialize_with = "plain")]
    pub values_ignored: Count,
    pub examples: Vec<Example>,
}

fn plain<S: Serializer>(c: &Count, s: S) -> Result<S::Ok, S::Error> {
    c.value.serialize(s)
}

impl From<&validate::QualitySummary> for DataQuality {
    fn from(q: &validate::QualitySummary) -> Self {
        let n = |v: usize| Count::new(v as u64);
        Self {
            tables: q
                .tables
                .iter()
                .map(|t| TableQuality {
                    table: t.table,
                    files: t
                        .files
                        .iter()
                        .map(|f| FileQuality {
                            file: f.file.clone(),
                            format: f.format,
                            sheet: f.sheet.clone(),
                            rows: Count::new(f.rows),
                            blank_rows: Count::new(f.blank_rows),
                            encoding_note: f.encoding_note.clone(),
                            unmapped_columns: f.unmapped_columns,
                        })
                        .collect(),
                    rows_read: Count::new(t.rows_read),
                    rows_excluded: Count::new(t.rows_excluded),
                    rows_used: Count::new(t.rows_used),
                    canonical_rows: Count::new(t.canonical_rows),
                })
                .collect(),
            codes: q
                .codes
                .iter()
                .map(|c| CodeCount {
                    code: c.code,
                    about: c.about.clone(),
                    count: n(c.count),
                    rows_excluded: n(c.rows_excluded),
                    values_ignored: n(c.values_ignored),
                    examples: c.examples.clone(),
                })
                .collect(),
            total_findings: n(q.total_findings),
            warnings: q.warnings.clone(),
            notes: q.notes.clone(),
        }
    }
}
