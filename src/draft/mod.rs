//! Drafts a programme config from real export files: guesses which table each file is,
//! maps headers to canonical fields, detects the date format, and lists what it could not
//! place (unmapped columns, unknown labels, unrecognised measures) as commented TODOs.

mod content;
mod items;
mod synonyms;
mod timepoints;
mod write;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::config::DateFormat;
use crate::ingest::{IngestError, Peek, peek};
use crate::tables::{FieldKind, TableKind};
use crate::vocab::{LabelMap, Vocabulary, normalise_label};

use synonyms::{FIELD_SYNONYMS, MEASURE_KEYWORDS, PERSONAL};
use write::*;

/// How many rows of each file are looked at.
const SAMPLE_ROWS: usize = 5000;

/// A drafted config and what the user should look at.
#[derive(Debug, Clone)]
pub struct Draft {
    pub toml: String,
    /// One line per decision worth checking.
    pub notes: Vec<String>,
}

/// How an assessments table lays out its scores.
#[derive(Debug, Clone, Default)]
enum Layout {
    /// Not an assessments table.
    #[default]
    None,
    /// One row per client, timepoint and measure.
    Long,
    /// One row per client and timepoint, a column per measure or item.
    Wide(Scores),
    /// One row per client, a group of columns per timepoint.
    PerClient(Vec<TimepointColumns>),
}

/// Score and item columns of wide assessments, or of one timepoint of per-client ones.
#[derive(Debug, Clone, Default)]
struct Scores {
    /// (measure id, header) of each score column.
    scores: Vec<(String, String)>,
    /// (measure id, headers) of each measure scored from its items.
    items: Vec<(String, Vec<String>)>,
}

impl Scores {
    fn headers(&self) -> impl Iterator<Item = &String> {
        self.scores
            .iter()
            .map(|(_, h)| h)
            .chain(self.items.iter().flat_map(|(_, h)| h))
    }

    fn measures(&self) -> impl Iterator<Item = &String> {
        self.scores
            .iter()
            .map(|(m, _)| m)
            .chain(self.items.iter().map(|(m, _)| m))
    }
}

/// One timepoint's columns in a per-client assessments table.
#[derive(Debug, Clone)]
struct TimepointColumns {
    /// The timepoint as the export names it ("Baseline", "6 month review").
    label: String,
    date: String,
    scores: Scores,
}

/// One table found in the files.
#[derive(Debug, Clone)]
struct Found {
    kind: TableKind,
    layout: Layout,
    peeks: Vec<Peek>,
    /// Canonical field -> header.
    mapping: Vec<(String, String)>,
    unmapped: Vec<String>,
    /// Column profiles of the first file.
    columns: Vec<content::Column>,
    /// Date formats read from its date columns, most used first.
    date_formats: Vec<String>,
}

impl Found {
    fn header_of(&self, field: &str) -> Option<&str> {
        self.mapping
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, h)| h.as_str())
    }

    fn column(&self, header: &str) -> Option<&content::Column> {
        self.columns.iter().find(|c| c.header == header)
    }

    /// Headers the table's layout reads besides the mapped fields.
    fn layout_headers(&self) -> Vec<String> {
        self.layout.headers()
    }
}

impl Layout {
    /// Headers the layout reads besides the mapped fields: score, item and per-client
    /// date columns.
    fn headers(&self) -> Vec<String> {
        match self {
            Layout::Wide(s) => s.headers().cloned().collect(),
            Layout::PerClient(groups) => groups
                .iter()
                .flat_map(|g| std::iter::once(&g.date).chain(g.scores.headers()))
                .cloned()
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Drafts a config for `files`; paths in it are written relative to `config_dir`.
pub fn draft(files: &[PathBuf], config_dir: &Path) -> Result<Draft, IngestError> {
    let mut peeks = Vec::new();
    for f in files {
        peeks.extend(peek(f, SAMPLE_ROWS)?);
    }
    let profiles: Vec<Vec<content::Column>> = peeks.iter().map(content::columns).collect();
    let ids = client_columns(&peeks, &profiles);
    let drugs = crate::medication::DrugDictionary::builtin();
    let mut notes = Vec::new();
    let mut found: Vec<Found> = Vec::new();
    for ((p, cols), id) in peeks.into_iter().zip(profiles).zip(ids) {
        let Some((kind, layout, mapping, how)) = recognise(&p, &cols, id, &drugs) else {
            notes.push(format!(
                "{}{}: could not tell which table this is; left out",
                p.file,
                sheet_note(&p)
            ));
            continue;
        };
        let mut used: BTreeSet<&str> = mapping.iter().map(|(_, h)| h.as_str()).collect();
        let layout_headers = layout.headers();
        used.extend(layout_headers.iter().map(String::as_str));
        let unmapped: Vec<String> = p
            .header
            .iter()
            .filter(|h| !h.is_empty() && !used.contains(h.as_str()))
            .cloned()
            .collect();
        // Files of one table split by period share a header, or the later ones add a
        // column: combine them, mapping only the columns every file has.
        let same_table = |f: &Found| {
            f.kind == kind
                && matches!(
                    (&f.layout, &layout),
                    (Layout::None, Layout::None) | (Layout::Long, Layout::Long)
                )
                && f.header_of("client_id")
                    == mapping
                        .iter()
                        .find(|(field, _)| field == "client_id")
                        .map(|(_, h)| h.as_str())
        };
        if let Some(existing) = found
            .iter_mut()
            .find(|f| f.kind == kind && f.peeks[0].header == p.header)
        {
            existing.peeks.push(p);
            continue;
        }
        if let Some(existing) = found.iter_mut().find(|f| same_table(f)) {
            // Its date cells count towards the table's date formats.
            for c in cols
                .iter()
                .filter(|c| mapping.iter().any(|(_, h)| *h == c.header))
            {
                match existing.columns.iter_mut().find(|e| e.header == c.header) {
                    Some(e) => e.cells.extend(c.cells.iter().cloned()),
                    None => existing.columns.push(c.clone()),
                }
            }
            // A field keeps each file's header for it (the config takes a list); one a
            // file lacks is left unmapped.
            existing
                .mapping
                .retain(|(field, _)| mapping.iter().any(|(f, _)| f == field));
            for (field, header) in &mapping {
                let known = existing
                    .mapping
                    .iter()
                    .any(|(f, h)| f == field && h == header);
                if !known && existing.mapping.iter().any(|(f, _)| f == field) {
                    existing.mapping.push((field.clone(), header.clone()));
                }
            }
            notes.push(format!(
                "{}{}: more of {} (a renamed column is mapped under both names)",
                p.file,
                sheet_note(&p),
                kind.name()
            ));
            existing.peeks.push(p);
            continue;
        }
        let layout_name = match &layout {
            Layout::None => String::new(),
            Layout::Long => ", long layout".into(),
            Layout::Wide(_) => ", wide layout".into(),
            Layout::PerClient(_) => ", one row per client".into(),
        };
        notes.push(format!(
            "{}{}: looks like {}{layout_name}, by its {how} ({} of {} columns used)",
            p.file,
            sheet_note(&p),
            kind.name(),
            mapping.len() + layout_headers.len(),
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
            layout,
            peeks: vec![p],
            mapping,
            unmapped,
            columns: cols,
            date_formats: Vec::new(),
        });
    }
    // A tracker of one row per client with a referral date is the referrals table too,
    // when no other file is.
    if !found.iter().any(|f| f.kind == TableKind::Referrals)
        && let Some((i, referrals)) = found
            .iter()
            .enumerate()
            .find_map(|(i, f)| referrals_within(f).map(|r| (i, r)))
    {
        let used: Vec<String> = referrals.mapping.iter().map(|(_, h)| h.clone()).collect();
        found[i].unmapped.retain(|h| !used.contains(h));
        notes.push(format!(
            "{}{}: also read as the referrals table (one row per client, with a referral date)",
            referrals.peeks[0].file,
            sheet_note(&referrals.peeks[0])
        ));
        found.push(referrals);
    }
    for f in &mut found {
        f.date_formats = table_date_formats(f);
    }
    // One table of each kind: a second candidate is left out with a note.
    found.sort_by_key(|f| f.kind);
    let mut kept: Vec<Found> = Vec::new();
    for f in found {
        if kept.iter().any(|k| k.kind == f.kind) {
            notes.push(format!(
                "{}: also looks like {} but has other columns than the first; left out",
                f.peeks[0].file,
                f.kind.name()
            ));
        } else {
            kept.push(f);
        }
    }
    let found = kept;
    if !found.iter().any(|f| f.kind == TableKind::Referrals) {
        notes.push(
            "no referrals export found: sprout needs one (client id and referral date)".into(),
        );
    }

    let timepoints = timepoints::assign(&found);
    let mut out = String::new();
    let formats = found
        .iter()
        .find(|f| f.kind == TableKind::Referrals)
        .or(found.first())
        .map(|f| f.date_formats.clone())
        .filter(|f| !f.is_empty())
        .unwrap_or_else(|| vec!["dd/mm/yyyy".into()]);
    write_header(&mut out, &formats);
    let mut labels: BTreeMap<Vocabulary, BTreeSet<String>> = BTreeMap::new();
    let mut measures: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut unknown_measures: BTreeSet<String> = BTreeSet::new();
    let mut phases: Vec<String> = Vec::new();
    let mut cohort_suggestions: Vec<String> = Vec::new();
    let mut personal_values = 0;

    for f in &found {
        // A table without a column for a required field would stop every run: it is
        // written commented out, with what to map.
        let missing = missing_required(f);
        if missing.is_empty() {
            write_table(&mut out, f, config_dir, &formats, &timepoints);
        } else {
            let mut table = String::new();
            write_table(&mut table, f, config_dir, &formats, &timepoints);
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
        for m in match &f.layout {
            Layout::Wide(s) => s.measures().cloned().collect::<Vec<_>>(),
            Layout::PerClient(groups) => groups
                .iter()
                .flat_map(|g| g.scores.measures().cloned())
                .collect(),
            _ => Vec::new(),
        } {
            measures.entry(m).or_default();
        }
        for (field, header) in &f.mapping {
            let values = distinct(f, header);
            let kind = f.kind.field(field).map(|d| d.kind);
            if matches!(kind, Some(FieldKind::Category(_))) {
                personal_values += withheld(f, header);
            }
            match kind {
                Some(FieldKind::Category(Vocabulary::Timepoint)) => {}
                Some(FieldKind::Category(Vocabulary::Phase)) => {
                    phases = timepoints::phase_order(f, header, values);
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

    write_timepoints(&mut out, &timepoints);
    write_phases(&mut out, &phases);
    write_measures(&mut out, &measures, &unknown_measures, &mut notes);
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
    Ok(Draft { toml: out, notes })
}

/// The referrals table inside another table's file: one row per client (its client
/// identifiers all different) with a column the headers name as the referral date.
fn referrals_within(f: &Found) -> Option<Found> {
    let id = f.header_of("client_id")?;
    if f.column(id)?.uniqueness() < 0.95 || f.peeks.len() != 1 {
        return None;
    }
    let (_, by_headers, _, _) = classify(&f.peeks[0]).into_iter().find(|(k, m, _, _)| {
        *k == TableKind::Referrals && m.iter().any(|(x, _)| x == "referral_date")
    })?;
    let taken: Vec<String> = f.layout_headers();
    let mut mapping: Vec<(String, String)> = by_headers
        .into_iter()
        .filter(|(field, h)| field != "client_id" && *h != id && !taken.contains(h))
        .collect();
    mapping.insert(0, ("client_id".to_owned(), id.to_owned()));
    Some(Found {
        kind: TableKind::Referrals,
        layout: Layout::None,
        peeks: f.peeks.clone(),
        mapping,
        unmapped: Vec::new(),
        columns: f.columns.clone(),
        date_formats: Vec::new(),
    })
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

fn sheet_note(p: &Peek) -> String {
    p.sheet
        .as_ref()
        .map(|s| format!(" [sheet '{s}']"))
        .unwrap_or_default()
}

/// Header words for matching: camelCase split ("ReferralReceivedDate" -> "referral
/// received date"), lower-cased, punctuation dropped, a trailing "desc" dropped.
pub(super) fn header_key(header: &str) -> String {
    let mut spaced = String::with_capacity(header.len() + 8);
    let chars: Vec<char> = header.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let boundary = c.is_uppercase()
            && prev.is_some_and(|p| {
                p.is_lowercase() || (p.is_uppercase() && next.is_some_and(char::is_lowercase))
            });
        if boundary {
            spaced.push(' ');
        }
        spaced.push(c);
    }
    let key = normalise_label(&spaced);
    for suffix in [" desc", " description"] {
        if let Some(stem) = key.strip_suffix(suffix) {
            return stem.to_owned();
        }
    }
    key
}

/// The client-identifier column of each file: the one its header names, or else the
/// column whose values are the same identifiers as a column of another file.
fn client_columns(peeks: &[Peek], profiles: &[Vec<content::Column>]) -> Vec<Option<usize>> {
    let by_header = |cols: &[content::Column]| {
        let synonyms: Vec<&str> = FIELD_SYNONYMS
            .iter()
            .filter(|(_, f, _)| *f == "client_id")
            .flat_map(|(_, _, s)| s.iter().copied())
            .collect();
        synonyms
            .iter()
            .find_map(|syn| cols.iter().position(|c| c.key == *syn))
    };
    (0..peeks.len())
        .map(|i| {
            if let Some(c) = by_header(&profiles[i]) {
                return Some(c);
            }
            let mut best: Option<(usize, usize)> = None;
            for (a, col) in profiles[i].iter().enumerate() {
                if !col.id_like() {
                    continue;
                }
                for (j, other) in profiles.iter().enumerate() {
                    if j == i {
                        continue;
                    }
                    for b in other.iter().filter(|b| b.id_like()) {
                        let shared = col.distinct.intersection(&b.distinct).count();
                        let smaller = col.distinct.len().min(b.distinct.len());
                        if shared >= 5
                            && shared * 2 >= smaller
                            && best.is_none_or(|(_, s)| shared > s)
                        {
                            best = Some((a, shared));
                        }
                    }
                }
            }
            best.map(|(a, _)| a)
        })
        .collect()
}

/// A recognised table: kind, layout, field -> header mapping and what gave it away.
type Recognised = (TableKind, Layout, Vec<(String, String)>, &'static str);

/// Recognises a file by its values where they are telling (drug names, instrument names,
/// measure columns), by its headers otherwise, and by its shape as a last resort.
fn recognise(
    p: &Peek,
    cols: &[content::Column],
    id: Option<usize>,
    drugs: &crate::medication::DrugDictionary,
) -> Option<Recognised> {
    // A sheet of notes or a lookup list is not a table of records.
    if p.header.iter().filter(|h| !h.is_empty()).count() < 2 || p.rows.is_empty() {
        return None;
    }
    let by_headers = classify(p);
    // What the headers say about each table, complete or not: a table recognised by its
    // values takes the fields its headers name.
    let header_mapping = |kind: TableKind| -> Vec<(String, String)> {
        by_headers
            .iter()
            .find(|(k, _, _, _)| *k == kind)
            .map(|(_, m, _, _)| m.clone())
            .unwrap_or_default()
    };
    let id_header = id.map(|i| cols[i].header.clone());
    let with_id = |mut m: Vec<(String, String)>| {
        if let Some(h) = &id_header {
            m.retain(|(f, x)| f != "client_id" && x != h);
            m.insert(0, ("client_id".into(), h.clone()));
        }
        m
    };
    let free = |m: &[(String, String)], c: &content::Column| {
        !m.iter().any(|(_, h)| *h == c.header) && Some(&c.header) != id_header.as_ref()
    };
    let set = |m: &mut Vec<(String, String)>, field: &str, c: Option<&content::Column>| {
        if m.iter().any(|(f, _)| f == field) {
            return;
        }
        if let Some(c) = c {
            m.push((field.to_owned(), c.header.clone()));
        }
    };

    // Medications: a column of drug names.
    let drug = cols
        .iter()
        .filter(|c| c.distinct.len() >= 2)
        .map(|c| (c, content::drug_rate(c, drugs)))
        .filter(|(_, r)| *r >= 0.6)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(c, _)| c);
    if let Some(drug) = drug {
        let mut m = with_id(header_mapping(TableKind::Medications));
        m.retain(|(f, h)| f != "drug" || *h == drug.header);
        set(&mut m, "drug", Some(drug));
        let pick = |m: &[(String, String)], test: &dyn Fn(&content::Column) -> bool| {
            cols.iter().find(|c| free(m, c) && test(c)).cloned()
        };
        let dose = pick(&m, &|c| c.is_number());
        set(&mut m, "daily_dose", dose.as_ref());
        let date = pick(&m, &|c| c.is_date());
        set(&mut m, "record_date", date.as_ref());
        let unit = pick(&m, &|c| {
            c.distinct.iter().any(|v| {
                matches!(
                    v.to_lowercase().as_str(),
                    "mg" | "mcg/h" | "mcg/hr" | "micrograms/hour" | "tablets" | "tablet" | "ml"
                )
            })
        });
        set(&mut m, "unit", unit.as_ref());
        let tp = pick(&m, &|c| c.distinct.len() <= 12 && c.timepoint_rate() >= 0.5);
        set(&mut m, "timepoint", tp.as_ref());
        return Some((TableKind::Medications, Layout::None, m, "drug names"));
    }

    // Long assessments: a column of instrument names beside a column of scores.
    let measure_col = cols
        .iter()
        .filter(|c| (1..=60).contains(&c.distinct.len()) && !c.is_number() && !c.is_date())
        .filter(|c| {
            let shared = c.distinct.iter().filter(|v| shareable(v)).count();
            !is_personal(&c.header) && shared * 10 >= c.distinct.len() * 9
        })
        .map(|c| (c, c.measure_rate()))
        .filter(|(_, r)| *r >= 0.5)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(c, _)| c);
    if let Some(measure) = measure_col {
        let mut m = with_id(header_mapping(TableKind::Assessments));
        m.retain(|(f, h)| {
            if f == "measure" {
                *h == measure.header
            } else {
                *h != measure.header
            }
        });
        set(&mut m, "measure", Some(measure));
        let tp = timepoint_column(cols, &|c| free(&m, c));
        set(&mut m, "timepoint", tp.as_ref());
        let date = cols.iter().find(|c| free(&m, c) && c.is_date()).cloned();
        set(&mut m, "assessment_date", date.as_ref());
        let value = cols.iter().find(|c| free(&m, c) && c.is_number()).cloned();
        set(&mut m, "value", value.as_ref());
        return Some((TableKind::Assessments, Layout::Long, m, "instrument names"));
    }

    // Measure columns: a column per instrument or item, per timepoint or per row. An
    // item is known by its own name ("BPI worst pain"), a score by its measure's.
    let measure_headers: Vec<(usize, String)> = cols
        .iter()
        .enumerate()
        .filter(|(i, c)| Some(*i) != id && !c.is_date() && !is_personal(&c.header))
        .filter_map(|(i, c)| {
            items::item_of(&c.header)
                .map(|item| item.measure)
                .or_else(|| guess(&c.header, MEASURE_KEYWORDS).map(str::to_owned))
                .map(|m| (i, m))
        })
        .collect();
    if !measure_headers.is_empty() {
        let groups = per_client_groups(cols, &measure_headers);
        if groups.len() >= 2 {
            let m = with_id(Vec::new());
            return Some((
                TableKind::Assessments,
                Layout::PerClient(groups),
                m,
                "score columns for each timepoint",
            ));
        }
        let mut m = with_id(header_mapping(TableKind::Assessments));
        m.retain(|(f, _)| f != "measure" && f != "value");
        let score_headers: Vec<&str> = measure_headers
            .iter()
            .map(|(i, _)| cols[*i].header.as_str())
            .collect();
        m.retain(|(_, h)| !score_headers.contains(&h.as_str()));
        let tp = timepoint_column(cols, &|c| free(&m, c));
        set(&mut m, "timepoint", tp.as_ref());
        let date = cols.iter().find(|c| free(&m, c) && c.is_date()).cloned();
        set(&mut m, "assessment_date", date.as_ref());
        return Some((
            TableKind::Assessments,
            Layout::Wide(scores(cols, &measure_headers)),
            m,
            "measure columns",
        ));
    }

    // Headers, then shape: one row per client is the referrals table, many dated rows
    // per client the sessions.
    let long = |m: &[(String, String)]| {
        m.iter().any(|(f, _)| f == "measure") && m.iter().any(|(f, _)| f == "value")
    };
    if let Some((kind, mapping, _, _)) = by_headers
        .iter()
        .filter(|(_, _, _, complete)| *complete)
        .filter(|(k, m, _, _)| *k != TableKind::Assessments || long(m))
        .filter(|(k, m, _, _)| *k != TableKind::Medications || m.iter().any(|(f, _)| f == "drug"))
        .max_by_key(|(_, _, score, _)| *score)
    {
        let layout = if *kind == TableKind::Assessments {
            Layout::Long
        } else {
            Layout::None
        };
        return Some((*kind, layout, with_id(mapping.clone()), "headers"));
    }
    let id = id?;
    let mut dates: Vec<&content::Column> = cols.iter().filter(|c| c.is_date()).collect();
    if dates.is_empty() {
        return None;
    }
    let (kind, field) = if cols[id].uniqueness() >= 0.95 {
        (TableKind::Referrals, "referral_date")
    } else {
        dates.sort_by_key(|c| std::cmp::Reverse(c.filled()));
        (TableKind::Sessions, "session_date")
    };
    let mut m = with_id(Vec::new());
    set(&mut m, field, dates.first().copied());
    Some((kind, Layout::None, m, "values (dated rows per client)"))
}

/// The column of timepoint labels: few distinct values, most of them reading as
/// timepoints ("T0", "Initial", "Exit"), among the columns `free` allows.
fn timepoint_column(
    cols: &[content::Column],
    free: &dyn Fn(&content::Column) -> bool,
) -> Option<content::Column> {
    cols.iter()
        .filter(|c| free(c) && (1..=20).contains(&c.distinct.len()) && !c.is_number())
        .max_by(|a, b| a.timepoint_rate().total_cmp(&b.timepoint_rate()))
        .filter(|c| c.timepoint_rate() >= 0.5)
        .cloned()
}

/// Score and item columns among `headers` (column index, measure id): a full set of an
/// instrument's items is read as items, in the instrument's order where their names say
/// it, and its total column left alone.
fn scores(cols: &[content::Column], headers: &[(usize, String)]) -> Scores {
    let registry = crate::instruments::Registry::builtin();
    let mut out = Scores::default();
    let mut ids: Vec<&str> = headers.iter().map(|(_, m)| m.as_str()).collect();
    ids.dedup();
    let mut seen = BTreeSet::new();
    for id in ids {
        if !seen.insert(id) {
            continue;
        }
        let columns: Vec<&str> = headers
            .iter()
            .filter(|(_, m)| m == id)
            .map(|(i, _)| cols[*i].header.as_str())
            .collect();
        let totalish = |h: &str| {
            let k = header_key(h);
            ["total", "score", "raw"]
                .iter()
                .any(|w| contains_words(&k, w))
        };
        let mut items: Vec<&str> = columns.iter().copied().filter(|h| !totalish(h)).collect();
        let wanted = registry.measure(id).map_or(0, |m| m.item_count());
        // Items named for what they ask go in the instrument's order, whatever the
        // export's.
        let positions: Vec<Option<usize>> = items
            .iter()
            .map(|h| {
                items::item_of(h)
                    .filter(|i| i.measure == id)
                    .map(|i| i.position)
            })
            .collect();
        let distinct: BTreeSet<usize> = positions.iter().flatten().copied().collect();
        if positions.iter().all(Option::is_some) && distinct.len() == items.len() {
            let mut ordered: Vec<(usize, &str)> = positions
                .iter()
                .flatten()
                .copied()
                .zip(items.iter().copied())
                .collect();
            ordered.sort_unstable();
            items = ordered.into_iter().map(|(_, h)| h).collect();
        }
        if wanted > 1 && items.len() == wanted {
            out.items.push((
                id.to_owned(),
                items.iter().map(|h| (*h).to_owned()).collect(),
            ));
        } else if let Some(h) = columns.iter().find(|h| totalish(h)).or(columns.first()) {
            out.scores.push((id.to_owned(), (*h).to_owned()));
        }
    }
    out
}

/// Per-client layout: measure columns grouped under the date column before them
/// ("Baseline date", "PAM score (start)", ..., "End date", "PAM score (end)").
fn per_client_groups(
    cols: &[content::Column],
    measures: &[(usize, String)],
) -> Vec<TimepointColumns> {
    let mut groups: Vec<(usize, Vec<(usize, String)>)> = Vec::new();
    for (i, m) in measures.iter().cloned() {
        let Some(date) = (0..i).rev().find(|j| cols[*j].is_date()) else {
            continue;
        };
        match groups.iter_mut().find(|(d, _)| *d == date) {
            Some((_, v)) => v.push((i, m)),
            None => groups.push((date, vec![(i, m)])),
        }
    }
    // Each timepoint measures the same thing more than once only as items.
    groups
        .into_iter()
        .map(|(date, headers)| {
            let date_header = &cols[date].header;
            let key = header_key(date_header);
            let label = key
                .strip_suffix(" date")
                .or_else(|| key.strip_prefix("date of "))
                .unwrap_or(&key);
            let label = crate::render::words::capitalise(label);
            TimepointColumns {
                label,
                date: date_header.clone(),
                scores: scores(cols, &headers),
            }
        })
        .collect()
}

/// A table kind, its field -> header mapping by header synonyms, how well they fit, and
/// whether every required field was found (wide assessments need no measure and value).
type ByHeaders = (TableKind, Vec<(String, String)>, i32, bool);

/// Each table's field -> header mapping by header synonyms, with a score, and whether it
/// finds every required field.
fn classify(p: &Peek) -> Vec<ByHeaders> {
    let header_norm: Vec<String> = p.header.iter().map(|h| header_key(h)).collect();
    let mut out = Vec::new();
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
        if kind == TableKind::Assessments {
            missing_required.retain(|f| *f != "measure" && *f != "value");
        }
        if kind == TableKind::Medications {
            missing_required.retain(|f| *f != "client_id");
        }
        missing_required.retain(|f| *f != "client_id");
        out.push((kind, mapping, score, missing_required.is_empty()));
    }
    out
}

pub(super) fn contains_words(header: &str, phrase: &str) -> bool {
    format!(" {header} ").contains(&format!(" {phrase} "))
}

pub(super) fn guess<'a>(label: &str, keywords: &'a [(&str, &str)]) -> Option<&'a str> {
    let n = normalise_label(label);
    keywords
        .iter()
        .find(|(k, _)| contains_words(&n, k))
        .map(|(_, v)| *v)
}

pub(super) fn is_personal(header: &str) -> bool {
    let n = header_key(header);
    PERSONAL.iter().any(|p| n == *p || contains_words(&n, p))
}

/// Whether a value of the export may be copied into the draft: not one that looks like
/// personal data or free text. The words of an instrument the value names are not taken
/// for a person's name ("ONS Life Satisfaction"); "Jane Oxford" names no instrument.
fn shareable(v: &str) -> bool {
    use crate::privacy::{holds_identifier, looks_like_free_text, looks_like_name};
    let n = normalise_label(v);
    let instrument = MEASURE_KEYWORDS
        .iter()
        .find(|(k, _)| contains_words(&n, k))
        .map(|(k, _)| *k);
    let known = |w: &str| instrument.is_some_and(|k| k.split(' ').any(|kw| kw == w));
    !holds_identifier(v) && !looks_like_name(v, &known) && !looks_like_free_text(v)
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

/// The formats that read the most of a table's date cells, UK day-first before US
/// month-first.
fn table_date_formats(f: &Found) -> Vec<String> {
    let mut headers: Vec<&str> = f
        .mapping
        .iter()
        .filter(|(field, _)| {
            f.kind
                .field(field)
                .is_some_and(|d| matches!(d.kind, FieldKind::Date | FieldKind::PersonalDate))
        })
        .map(|(_, h)| h.as_str())
        .collect();
    if let Layout::PerClient(groups) = &f.layout {
        headers.extend(groups.iter().map(|g| g.date.as_str()));
    }
    let mut samples: Vec<&String> = Vec::new();
    for h in headers {
        for c in f.columns.iter().filter(|c| c.header == h) {
            samples.extend(c.cells.iter().flatten().take(4000));
        }
    }
    let mut scored: Vec<(usize, usize, &str)> = content::DATE_FORMATS
        .iter()
        .enumerate()
        .filter_map(|(rank, name)| {
            let fmt = DateFormat::parse(name).ok()?;
            let n = samples
                .iter()
                .filter(|s| fmt.parse_date(s).is_some())
                .count();
            (n > 0).then_some((n, rank, *name))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut chosen: Vec<String> = Vec::new();
    let mut covered = 0;
    for (n, _, name) in scored {
        if covered >= samples.len() {
            break;
        }
        // A US format is only added if it reads dates the UK one could not.
        if name == "mm/dd/yyyy" && chosen.iter().any(|c| c == "dd/mm/yyyy") {
            continue;
        }
        // ISO needs no entry: it is always accepted.
        if name != "yyyy-mm-dd" {
            chosen.push(name.to_owned());
        }
        covered += n;
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::synonyms::TIMEPOINT_KEYWORDS;
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
        // An instrument's name is a label; a person's name is not, whatever its words.
        assert!(shareable("ONS Life Satisfaction"));
        assert!(!shareable("Jane Oxford"));
        assert!(!shareable("Jane Smith"));
    }
}
