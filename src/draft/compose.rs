//! The drafted config: each table found (commented out where a required column is
//! missing), then the timepoints, phases, measures, cohorts and labels its values call for.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use super::write::*;
use super::*;
use crate::tables::{FieldKind, TableKind};
use crate::vocab::{LabelMap, Vocabulary};

/// The config for the tables found.
pub(super) fn compose(found: &[Found], config_dir: &Path, notes: &mut Vec<String>) -> String {
    let timepoints = timepoints::assign(found);
    let mut out = String::new();
    let formats = found
        .iter()
        .find(|f| f.kind == TableKind::Referrals)
        .or(found.first())
        .map(|f| f.date_formats.clone())
        .filter(|f| !f.is_empty())
        .unwrap_or_else(|| vec!["dd/mm/yyyy".into()]);
    write_header(&mut out, &formats);
    let mut gathered = Gathered::default();
    for f in found {
        write_found(&mut out, f, config_dir, &formats, &timepoints, notes);
        gathered.add(f);
    }
    if !found.iter().any(|f| f.kind == TableKind::Referrals) {
        out.push_str("# TODO: add [tables.referrals] with files = [\"...\"] and its [tables.referrals.columns].\n\n");
    }

    let Gathered {
        labels,
        measures,
        unknown_measures,
        phases,
        cohort_suggestions,
        personal_values,
    } = gathered;
    write_timepoints(&mut out, &timepoints);
    write_phases(&mut out, &phases);
    write_measures(&mut out, &measures, &unknown_measures, notes);
    write_cohorts(&mut out, &cohort_suggestions);
    write_labels(&mut out, &labels, &measures, &timepoints, &phases);
    if personal_values > 0 {
        let _ = writeln!(
            out,
            "# {personal_values} label value(s) that look like personal data withheld from this draft\n# (names, NHS or phone numbers, email addresses, postcodes, dates of birth, free text).\n"
        );
        notes.push(format!(
            "{personal_values} label value(s) that look like personal data were left out of the draft"
        ));
    }
    out.push_str("[disclosure]\nevaluator = \"none\"\ntrustee = \"nhs\"\ncommissioner = \"nhs\"\n");
    out
}

/// Writes one table; a table without a column for a required field is written commented
/// out, with what to map.
fn write_found(
    out: &mut String,
    f: &Found,
    config_dir: &Path,
    formats: &[String],
    timepoints: &timepoints::Timepoints,
    notes: &mut Vec<String>,
) {
    // A table without a column for a required field would stop every run: it is
    // written commented out, with what to map.
    let missing = missing_required(f);
    if missing.is_empty() {
        write_table(out, f, config_dir, formats, timepoints);
    } else {
        let mut table = String::new();
        write_table(&mut table, f, config_dir, formats, timepoints);
        let list = missing.join(", ");
        let _ = writeln!(
            out,
            "# TODO: [tables.{name}] is left out: no column was found for {list} (required).\n# Map {them} under [tables.{name}.columns], then remove the # from these lines.",
            name = f.kind.name(),
            them = if missing.len() == 1 { "it" } else { "them" },
        );
        for line in table.lines() {
            if line.is_empty() {
                out.push_str("#\n");
            } else {
                let _ = writeln!(out, "# {line}");
            }
        }
        out.push('\n');
        notes.push(format!(
            "{}{}: {} left out of the draft: no column was found for {list}",
            f.peeks[0].file,
            sheet_note(&f.peeks[0]),
            f.kind.name()
        ));
    }
}

/// What the tables' values say the config needs: labels to map, measures, phases,
/// cohorts to suggest, and how many personal-looking values were withheld.
#[derive(Default)]
struct Gathered {
    labels: BTreeMap<Vocabulary, BTreeSet<String>>,
    measures: BTreeMap<String, BTreeSet<String>>,
    unknown_measures: BTreeSet<String>,
    phases: Vec<String>,
    cohort_suggestions: Vec<String>,
    personal_values: usize,
}

impl Gathered {
    fn add(&mut self, f: &Found) {
        for m in match &f.layout {
            Layout::Wide(s) => s.measures().cloned().collect::<Vec<_>>(),
            Layout::PerClient(groups) => groups
                .iter()
                .flat_map(|g| g.scores.measures().cloned())
                .collect(),
            _ => Vec::new(),
        } {
            self.measures.entry(m).or_default();
        }
        for (field, header) in &f.mapping {
            let values = distinct(f, header);
            let kind = f.kind.field(field).map(|d| d.kind);
            if matches!(kind, Some(FieldKind::Category(_))) {
                self.personal_values += withheld(f, header);
            }
            match kind {
                Some(FieldKind::Category(Vocabulary::Timepoint)) => {}
                Some(FieldKind::Category(Vocabulary::Phase)) => {
                    self.phases = timepoints::phase_order(f, header, values);
                }
                Some(FieldKind::Category(Vocabulary::Measure)) => {
                    for v in values {
                        match guess(&v, MEASURE_KEYWORDS) {
                            Some(m) => {
                                self.measures.entry(m.to_owned()).or_default().insert(v);
                            }
                            None => {
                                self.unknown_measures.insert(v);
                            }
                        }
                    }
                }
                Some(FieldKind::Category(v)) => {
                    let map = LabelMap::from_terms(v.terms());
                    let unknown: BTreeSet<String> = values
                        .into_iter()
                        .filter(|x| map.lookup(x).is_none())
                        .collect();
                    self.labels.entry(v).or_default().extend(unknown);
                }
                _ => {}
            }
        }
        if f.kind == TableKind::Referrals {
            for h in &f.unmapped {
                let n = distinct(f, h).len();
                if !is_personal(h) && shareable(h) && (2..=15).contains(&n) {
                    self.cohort_suggestions.push(h.clone());
                }
            }
        }
    }
}

/// The required fields a table's mapping lacks, for its layout.
fn missing_required(f: &Found) -> Vec<&'static str> {
    f.kind
        .fields()
        .iter()
        .filter(|d| d.required)
        .map(|d| d.name)
        .filter(|name| match (&f.layout, *name) {
            (Layout::Wide(_), "measure" | "value") => false,
            (Layout::PerClient(_), name) => name == "client_id",
            _ => true,
        })
        .filter(|name| f.header_of(name).is_none())
        .collect()
}

/// How many distinct values of a column look like personal data or free text.
fn withheld(f: &Found, header: &str) -> usize {
    let mut out = BTreeSet::new();
    for p in &f.peeks {
        let Some(i) = p.header.iter().position(|h| h == header) else {
            continue;
        };
        out.extend(
            p.rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(|v| v.trim())
                .filter(|v| !v.is_empty() && !shareable(v)),
        );
    }
    out.len()
}

/// Distinct non-empty values of a column across a table's files (at most 40), leaving out
/// any that look like personal data.
fn distinct(f: &Found, header: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for p in &f.peeks {
        let Some(i) = p.header.iter().position(|h| h == header) else {
            continue;
        };
        for r in &p.rows {
            let value = r.get(i).map(|v| v.trim()).filter(|v| !v.is_empty());
            if let Some(v) = value.filter(|v| shareable(v)) {
                out.insert(v.to_owned());
                if out.len() > 40 {
                    return out;
                }
            }
        }
    }
    out
}
