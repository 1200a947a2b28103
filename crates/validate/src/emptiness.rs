//! Warnings about parts of a report that would be empty without saying why: a table the
//! config does not name, a measure with no values, a timepoint never seen, a main
//! comparison nobody has both ends of.

use std::collections::BTreeMap;

use super::assessments::Coverage;
use super::finding::{FindingCode, Findings};
use sprout_config::Config;
use sprout_tables::TableKind;

use sprout_core::text::int as count;

/// The warnings, each a sentence saying what is empty and why.
pub(super) fn warnings(
    config: &Config,
    coverage: Option<&Coverage>,
    findings: &Findings,
) -> Vec<String> {
    let mut out = Vec::new();
    let t = &config.tables;
    if t.sessions.is_none() {
        out.push(
            "no sessions table is configured: the report has no sessions, attendance or \
             engagement figures (add [tables.sessions])"
                .to_owned(),
        );
    }
    if t.medications.is_none() {
        out.push(
            "no medications table is configured: the report has no pain-medication section \
             (add [tables.medications] if the service records medication)"
                .to_owned(),
        );
    }
    if config.measures.is_empty() {
        out.push(
            "no measures are configured: the report has no outcomes (add [[measures]] \
             entries; `sprout list measures` shows the built-in ids)"
                .to_owned(),
        );
    }
    let Some(coverage) = coverage else {
        out.push(
            "no assessments table is configured: the report has no outcomes, so every \
             measure shows no pairs (add [tables.assessments])"
                .to_owned(),
        );
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
    let seen: Vec<String> = tps
        .order
        .iter()
        .zip(&per_timepoint)
        .filter(|(_, n)| **n > 0)
        .map(|(tp, n)| format!("{} ({})", tp.label, count(*n)))
        .collect();
    let mapped = if seen.is_empty() {
        "none".to_owned()
    } else {
        seen.join(", ")
    };
    let labels_seen: Vec<String> = unmapped
        .iter()
        .map(|(l, n)| format!("{l} ({})", count(*n)))
        .collect();
    for (tp, &n) in tps.order.iter().zip(&per_timepoint) {
        if n == 0 {
            out.push(format!(
                "timepoint {} ({}) has no assessment values: no export label is mapped to it{}",
                tp.id,
                tp.label,
                if labels_seen.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; unmapped timepoint labels seen: {}",
                        labels_seen.join(", ")
                    )
                }
            ));
        }
    }
    let in_text = |id: &str| sprout_config::timepoint_in_text(id, tps.label_of(id));
    let (from, to) = (in_text(&tps.compare.from), in_text(&tps.compare.to));
    let mut unpaired: Vec<&str> = Vec::new();
    for (m, measure) in config.measures.iter().enumerate() {
        let values: u64 = coverage.values.get(m).map_or(0, |v| v.iter().sum());
        if values == 0 {
            out.push(format!(
                "measure {} ({}) has no values in the assessments: check its column or its \
                 label under [labels.measure]",
                measure.id, measure.label
            ));
        } else if coverage.pairs.get(m).copied().unwrap_or(0) == 0 {
            unpaired.push(&measure.id);
        }
    }
    if !unpaired.is_empty() {
        let which = if unpaired.len() == 1 {
            format!("measure {} has", unpaired[0])
        } else {
            format!("measures {} have", unpaired.join(", "))
        };
        let mut why = format!(
            "{which} no pairs: no client has both a {from} and a {to} value; timepoint \
             values mapped: {mapped}"
        );
        if !labels_seen.is_empty() {
            why.push_str(&format!(
                "; timepoint labels seen but not mapped: {}",
                labels_seen.join(", ")
            ));
        }
        out.push(why);
    }
    out
}
