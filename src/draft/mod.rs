//! Drafts a programme config from real export files: guesses which table each file is,
//! maps headers to canonical fields, detects the date format, and lists what it could not
//! place (unmapped columns, unknown labels, unrecognised measures) as commented TODOs.

mod synonyms;
mod write;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::config::DateFormat;
use crate::ingest::{IngestError, Peek, peek};
use crate::tables::{FieldKind, TableKind};
use crate::vocab::{LabelMap, Vocabulary, normalise_label};

use synonyms::{FIELD_SYNONYMS, MEASURE_KEYWORDS, PERSONAL, TIMEPOINT_KEYWORDS};
use write::*;

/// How many rows of each file are looked at.
const SAMPLE_ROWS: usize = 5000;
/// Date formats tried when detecting a column's format, most common in UK exports first.
const CANDIDATE_FORMATS: &[&str] = &[
    "dd/mm/yyyy",
    "yyyy-mm-dd",
    "dd-mmm-yyyy",
    "d mmm yyyy",
    "dd.mm.yyyy",
    "dd/mm/yy",
    "mm/dd/yyyy",
    "dd-mm-yyyy",
];

/// A drafted config and what the user should look at.
#[derive(Debug, Clone)]
pub struct Draft {
    pub toml: String,
    /// One line per decision worth checking.
    pub notes: Vec<String>,
}

/// One table found in the files.
#[derive(Debug, Clone)]
struct Found {
    kind: TableKind,
    wide: bool,
    peeks: Vec<Peek>,
    /// Canonical field -> header.
    mapping: Vec<(String, String)>,
    unmapped: Vec<String>,
}

/// Drafts a config for `files`; paths in it are written relative to `config_dir`.
pub fn draft(files: &[PathBuf], config_dir: &Path) -> Result<Draft, IngestError> {
    let mut peeks = Vec::new();
    for f in files {
        peeks.extend(peek(f, SAMPLE_ROWS)?);
    }
    let mut notes = Vec::new();
    let mut found: Vec<Found> = Vec::new();
    for p in peeks {
        let Some((kind, wide, mapping)) = classify(&p) else {
            notes.push(format!(
                "{}{}: could not tell which table this is; left out",
                p.file,
                sheet_note(&p)
            ));
            continue;
        };
        let unmapped: Vec<String> = p
            .header
            .iter()
            .filter(|h| !h.is_empty() && !mapping.iter().any(|(_, m)| m == *h))
            .cloned()
            .collect();
        // Files of one table split by period share a header: combine them.
        if let Some(existing) = found
            .iter_mut()
            .find(|f| f.kind == kind && f.peeks[0].header == p.header)
        {
            existing.peeks.push(p);
        } else {
            notes.push(format!(
                "{}{}: looks like {} ({} of {} columns mapped)",
                p.file,
                sheet_note(&p),
                kind.name(),
                mapping.len(),
                p.header.len()
            ));
            if !mapping.iter().any(|(f, _)| f == "client_id") {
                notes.push(format!(
                    "{}{}: no column looks like the client identifier; add `client_id = \"<its header>\"` under [tables.{}.columns]",
                    p.file,
                    sheet_note(&p),
                    kind.name()
                ));
            }
            found.push(Found {
                kind,
                wide,
                peeks: vec![p],
                mapping,
                unmapped,
            });
        }
    }
    found.sort_by_key(|f| f.kind);
    if !found.iter().any(|f| f.kind == TableKind::Referrals) {
        notes.push(
            "no referrals export found: sprout needs one (client id and referral date)".into(),
        );
    }

    let mut out = String::new();
    let formats = detect_date_formats(&found);
    write_header(&mut out, &formats);
    let mut labels: BTreeMap<Vocabulary, BTreeSet<String>> = BTreeMap::new();
    let mut measures: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut unknown_measures: BTreeSet<String> = BTreeSet::new();
    let mut timepoints: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut unknown_timepoints: BTreeSet<String> = BTreeSet::new();
    let mut cohort_suggestions: Vec<String> = Vec::new();
    let mut personal_values = 0;

    for f in &found {
        write_table(&mut out, f, config_dir);
        for (field, header) in &f.mapping {
            let values = distinct(f, header);
            let kind = f.kind.field(field).map(|d| d.kind);
            if matches!(kind, Some(FieldKind::Category(_))) {
                personal_values += withheld(f, header);
            }
            match kind {
                Some(FieldKind::Category(Vocabulary::Timepoint)) => {
                    for v in values {
                        match guess(&v, TIMEPOINT_KEYWORDS) {
                            Some(tp) => {
                                timepoints.entry(tp.to_owned()).or_default().insert(v);
                            }
                            None => {
                                unknown_timepoints.insert(v);
                            }
                        }
                    }
                }
                Some(FieldKind::Category(Vocabulary::Measure)) => {
                    for v in values {
                        match guess(&v, MEASURE_KEYWORDS) {
                            Some(m) => {
                                measures.entry(m.to_owned()).or_default().insert(v);
                            }
                            None => {
                                unknown_measures.insert(v);
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
                    labels.entry(v).or_default().extend(unknown);
                }
                _ => {}
            }
        }
        if f.wide {
            for h in &f.unmapped {
                if let Some(m) = guess(h, MEASURE_KEYWORDS) {
                    measures.entry(m.to_owned()).or_default();
                }
            }
        }
        if f.kind == TableKind::Referrals {
            for h in &f.unmapped {
                let n = distinct(f, h).len();
                if !is_personal(h) && shareable(h) && (2..=15).contains(&n) {
                    cohort_suggestions.push(h.clone());
                }
            }
        }
    }
    if !found.iter().any(|f| f.kind == TableKind::Referrals) {
        out.push_str("# TODO: add [tables.referrals] with files = [\"...\"] and its [tables.referrals.columns].\n\n");
    }

    write_timepoints(&mut out, &timepoints, &unknown_timepoints);
    write_measures(&mut out, &measures, &unknown_measures, &mut notes);
    write_cohorts(&mut out, &cohort_suggestions);
    write_labels(&mut out, &labels, &measures, &timepoints);
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
    Ok(Draft { toml: out, notes })
}

fn sheet_note(p: &Peek) -> String {
    p.sheet
        .as_ref()
        .map(|s| format!(" [sheet '{s}']"))
        .unwrap_or_default()
}

/// A table kind, whether its layout is wide, and its field -> header mapping.
type Classified = (TableKind, bool, Vec<(String, String)>);

/// Picks the table whose fields best match the header, and maps its fields.
fn classify(p: &Peek) -> Option<Classified> {
    let header_norm: Vec<String> = p.header.iter().map(|h| normalise_label(h)).collect();
    let mut best: Option<(i32, Classified)> = None;
    for kind in TableKind::ALL {
        let mut used = vec![false; p.header.len()];
        let mut mapping = Vec::new();
        let mut score = 0;
        let mut missing_required = Vec::new();
        for def in kind.fields() {
            let synonyms = FIELD_SYNONYMS
                .iter()
                .filter(|(k, f, _)| *k == kind && *f == def.name)
                .flat_map(|(_, _, s)| s.iter());
            let mut hit = None;
            for syn in synonyms.clone() {
                if let Some(i) = header_norm
                    .iter()
                    .enumerate()
                    .position(|(i, h)| !used[i] && h == syn)
                {
                    hit = Some(i);
                    break;
                }
            }
            if hit.is_none() {
                // A longer header containing a multi-word synonym ("Date of Referral (DD/MM/YYYY)").
                hit = synonyms.filter(|s| s.contains(' ')).find_map(|syn| {
                    header_norm
                        .iter()
                        .enumerate()
                        .position(|(i, h)| !used[i] && contains_words(h, syn))
                });
            }
            match hit {
                Some(i) => {
                    used[i] = true;
                    mapping.push((def.name.to_owned(), p.header[i].clone()));
                    score += if def.required { 3 } else { 1 };
                }
                None if def.required => missing_required.push(def.name),
                None => {}
            }
        }
        let mut wide = false;
        if kind == TableKind::Assessments
            && missing_required
                .iter()
                .all(|f| *f == "measure" || *f == "value")
            && !missing_required.is_empty()
        {
            // Wide layout: measure columns instead of measure and value.
            let measure_columns = p
                .header
                .iter()
                .filter(|h| guess(h, MEASURE_KEYWORDS).is_some())
                .count();
            if measure_columns > 0 {
                wide = true;
                missing_required.clear();
                mapping.retain(|(f, _)| f != "measure" && f != "value");
                score += 2 * measure_columns as i32;
            }
        }
        // A medication export that names drugs and doses is one even without a client
        // column the synonyms know: it is placed, and the note asks for the identifier.
        let has = |field: &str| mapping.iter().any(|(f, _)| f == field);
        if kind == TableKind::Medications
            && missing_required == ["client_id"]
            && has("drug")
            && has("daily_dose")
        {
            missing_required.clear();
            score -= 1;
        }
        if !missing_required.is_empty() {
            continue;
        }
        if best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, (kind, wide, mapping)));
        }
    }
    best.map(|(_, c)| c)
}

fn contains_words(header: &str, phrase: &str) -> bool {
    format!(" {header} ").contains(&format!(" {phrase} "))
}

fn guess<'a>(label: &str, keywords: &'a [(&str, &str)]) -> Option<&'a str> {
    let n = normalise_label(label);
    keywords
        .iter()
        .find(|(k, _)| contains_words(&n, k))
        .map(|(_, v)| *v)
}

fn is_personal(header: &str) -> bool {
    let n = normalise_label(header);
    PERSONAL.iter().any(|p| n == *p || contains_words(&n, p))
}

/// Whether a value of the export may be copied into the draft: not one that looks like
/// personal data or free text.
fn shareable(v: &str) -> bool {
    !crate::privacy::looks_personal(v) && !crate::privacy::looks_like_free_text(v)
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

/// The formats that read the most date cells, UK day-first before US month-first.
fn detect_date_formats(found: &[Found]) -> Vec<String> {
    let mut samples = Vec::new();
    for f in found {
        for (field, header) in &f.mapping {
            let is_date = f
                .kind
                .field(field)
                .is_some_and(|d| matches!(d.kind, FieldKind::Date | FieldKind::PersonalDate));
            if is_date {
                for p in &f.peeks {
                    if let Some(i) = p.header.iter().position(|h| h == header) {
                        samples.extend(
                            p.rows
                                .iter()
                                .filter_map(|r| r.get(i))
                                .filter(|v| !v.trim().is_empty())
                                .take(2000)
                                .cloned(),
                        );
                    }
                }
            }
        }
    }
    let mut scored: Vec<(usize, usize, &str)> = CANDIDATE_FORMATS
        .iter()
        .enumerate()
        .filter_map(|(rank, f)| {
            let fmt = DateFormat::parse(f).ok()?;
            let n = samples
                .iter()
                .filter(|s| fmt.parse_date(s).is_some())
                .count();
            (n > 0).then_some((n, rank, *f))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut chosen: Vec<String> = Vec::new();
    let mut covered = 0;
    for (n, _, f) in scored {
        if covered >= samples.len() {
            break;
        }
        // A US format is only added if it reads dates the UK one could not.
        if f == "mm/dd/yyyy" && chosen.iter().any(|c| c == "dd/mm/yyyy") {
            continue;
        }
        chosen.push(f.to_owned());
        covered += n;
    }
    if chosen.is_empty() {
        chosen.push("dd/mm/yyyy".into());
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords() {
        assert_eq!(guess("SWEMWBS Total", MEASURE_KEYWORDS), Some("swemwbs"));
        assert_eq!(
            guess("ONS - Anxiety", MEASURE_KEYWORDS),
            Some("ons4_anxiety")
        );
        assert_eq!(guess("WEMWBS", MEASURE_KEYWORDS), Some("wemwbs"));
        assert_eq!(
            guess("Initial Assessment", TIMEPOINT_KEYWORDS),
            Some("baseline")
        );
        assert_eq!(guess("12 Week Review", TIMEPOINT_KEYWORDS), Some("review"));
        assert_eq!(guess("Final Review", TIMEPOINT_KEYWORDS), Some("discharge"));
        assert!(is_personal("NHS Number"));
        assert!(is_personal("Referral Notes"));
        assert!(!is_personal("Hospital Trust"));
    }
}
