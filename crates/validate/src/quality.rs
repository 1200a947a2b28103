//! The data-quality summary (counts by finding, first examples, rows read and used per
//! table) and `data-quality.csv`, which lists every finding.

use std::collections::{BTreeMap, HashSet};

use super::finding::{Action, FindingCode, Findings};
use super::{SharedFiles, TableStats};
use sprout_ingest::Sources;
use sprout_tables::{
    CanonicalTables, CodeCount, Example, FileQuality, FindingRow, QualitySummary, TableKind,
    TableQuality,
};

/// How many examples of each finding the summary shows.
pub const EXAMPLES_PER_CODE: usize = 3;

/// Builds the summary of a run.
pub(super) fn summarise(
    stats: &[TableStats],
    sources: &Sources,
    shared: &SharedFiles,
    findings: &Findings,
    tables: &CanonicalTables,
) -> QualitySummary {
    let mut excluded_rows: BTreeMap<TableKind, HashSet<sprout_ingest::RowRef>> = BTreeMap::new();
    for f in findings.iter().filter(|f| f.action == Action::RowExcluded) {
        excluded_rows.entry(f.table).or_default().insert(f.at);
    }
    let canonical = |kind| -> u64 {
        (match kind {
            TableKind::Referrals => Some(tables.referrals.len()),
            TableKind::Sessions => tables.sessions.as_ref().map(|t| t.len()),
            TableKind::Assessments => tables.assessments.as_ref().map(|t| t.len()),
            TableKind::Medications => tables.medications.as_ref().map(|t| t.len()),
            // The patient list joins the referrals; it is no canonical table of its own.
            TableKind::People => None,
        })
        .unwrap_or(0) as u64
    };
    let table_rows = stats
        .iter()
        .map(|s| {
            let files: Vec<FileQuality> = s
                .files
                .iter()
                .filter_map(|fc| {
                    let f = sources.files.get(usize::from(fc.file))?;
                    Some(FileQuality {
                        file: f.display.clone(),
                        format: f.format,
                        sheet: f.sheet.clone(),
                        rows: s.taken.get(&fc.file).copied().unwrap_or(f.rows),
                        blank_rows: f.blank_rows,
                        encoding_note: f.encoding_note.clone(),
                        unmapped_columns: fc.unused.len(),
                        other_rows: shared.left_out(&f.path),
                    })
                })
                .collect();
            let rows_read: u64 = files.iter().map(|f| f.rows).sum();
            let rows_excluded = excluded_rows.get(&s.table).map_or(0, |r| r.len() as u64);
            TableQuality {
                table: s.table,
                files,
                rows_read,
                rows_excluded,
                rows_used: rows_read.saturating_sub(rows_excluded),
                canonical_rows: canonical(s.table),
            }
        })
        .collect();

    let mut codes: BTreeMap<FindingCode, CodeCount> = BTreeMap::new();
    for f in findings.iter() {
        let entry = codes.entry(f.code).or_insert_with(|| CodeCount {
            code: f.code,
            about: f.code.about().to_owned(),
            count: 0,
            rows_excluded: 0,
            values_ignored: 0,
            examples: Vec::new(),
        });
        entry.count += 1;
        match f.action {
            Action::RowExcluded => entry.rows_excluded += 1,
            Action::ValueIgnored => entry.values_ignored += 1,
            Action::FileSkipped | Action::ColumnAbsent => {}
        }
        if entry.examples.len() < EXAMPLES_PER_CODE {
            entry.examples.push(Example {
                table: f.table,
                file: sources.display(f.at).to_owned(),
                location: sources.describe_line(f.at),
                column: f.column.clone(),
                value: f.value.clone(),
                reason: f.reason.clone(),
            });
        }
    }
    QualitySummary {
        tables: table_rows,
        codes: codes.into_values().collect(),
        total_findings: findings.len() as u64,
        warnings: Vec::new(),
        notes: Vec::new(),
    }
}

/// Every finding, in the order found, as rows for `data-quality.csv`.
pub fn finding_rows(findings: &Findings, sources: &Sources) -> Vec<FindingRow> {
    findings
        .iter()
        .map(|f| {
            let file = sources.get(f.at);
            FindingRow {
                table: f.table.name(),
                file: file.map_or_else(String::new, |s| s.display.clone()),
                sheet: file.and_then(|s| s.sheet.clone()).unwrap_or_default(),
                line: f.at.line,
                column: f.column.clone(),
                value: f.value.clone(),
                code: f.code.as_str(),
                action: f.action.as_str(),
                reason: f.reason.clone(),
            }
        })
        .collect()
}
