//! Warnings about parts of a report that would be empty without saying why: a table the
//! config does not name, a measure with no values, a timepoint never seen, a main
//! comparison nobody has both ends of.

use std::collections::BTreeMap;

use super::assessments::Coverage;
use super::finding::{FindingCode, Findings};
use sprout_config::Config;
use sprout_tables::{LabelCount, TableKind, Warning};

/// The warnings: what is empty, and why.
pub(super) fn warnings(
    config: &Config,
    coverage: Option<&Coverage>,
    findings: &Findings,
) -> Vec<Warning> {
    let mut out = Vec::new();
    let t = &config.tables;
    if t.sessions.is_none() {
        out.push(Warning::NoSessionsTable);
    }
    if t.medications.is_none() {
        out.push(Warning::NoMedicationsTable);
    }
    if config.measures.is_empty() {
        out.push(Warning::NoMeasures);
    }
    let Some(coverage) = coverage else {
        out.push(Warning::NoAssessmentsTable);
        return out;
    };
    let tps = &config.timepoints;
    // Timepoint labels the export used that the config does not map, with their counts.
    let mut unmapped: BTreeMap<String, u64> = BTreeMap::new();
    for f in findings.iter() {
        if f.code == FindingCode::UnknownTimepoint && f.table == TableKind::Assessments {
            let label = sprout_core::privacy::clip(&sprout_core::privacy::redact(&f.value), 60);
            *unmapped.entry(label).or_default() += 1;
        }
    }
    let unmapped: Vec<LabelCount> = unmapped
        .into_iter()
        .map(|(label, n)| LabelCount { label, n })
        .collect();
    // Values per timepoint, over every measure.
    let per_timepoint: Vec<u64> = (0..tps.order.len())
        .map(|i| {
            coverage
                .values
                .iter()
                .map(|m| m.get(i).copied().unwrap_or(0))
                .sum()
        })
        .collect();
    let mapped: Vec<LabelCount> = tps
        .order
        .iter()
        .zip(&per_timepoint)
        .filter(|(_, n)| **n > 0)
        .map(|(tp, n)| LabelCount {
            label: tp.label.clone(),
            n: *n,
        })
        .collect();
    for (tp, &n) in tps.order.iter().zip(&per_timepoint) {
        if n == 0 {
            out.push(Warning::EmptyTimepoint {
                id: tp.id.clone(),
                label: tp.label.clone(),
                unmapped: unmapped.clone(),
            });
        }
    }
    let in_text = |id: &str| sprout_config::timepoint_in_text(id, tps.label_of(id));
    let mut unpaired: Vec<String> = Vec::new();
    for (m, measure) in config.measures.iter().enumerate() {
        let values: u64 = coverage.values.get(m).map_or(0, |v| v.iter().sum());
        if values == 0 {
            out.push(Warning::EmptyMeasure {
                id: measure.id.clone(),
                label: measure.label.clone(),
            });
        } else if coverage.pairs.get(m).copied().unwrap_or(0) == 0 {
            unpaired.push(measure.id.clone());
        }
    }
    if !unpaired.is_empty() {
        out.push(Warning::NoPairs {
            measures: unpaired,
            from: in_text(&tps.compare.from),
            to: in_text(&tps.compare.to),
            mapped,
            unmapped,
        });
    }
    out
}
