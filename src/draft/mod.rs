//! Drafts a programme config from real export files: guesses which table each file is,
//! maps headers to canonical fields, detects the date format, and lists what it could not
//! place (unmapped columns, unknown labels, unrecognised measures) as commented TODOs.

mod clinical;
mod compose;
mod content;
mod detect;
mod items;
mod synonyms;
mod timepoints;
mod write;

use std::path::{Path, PathBuf};

use crate::config::DateFormat;
use crate::ingest::{IngestError, Peek, peek};
use crate::tables::{FieldKind, TableKind};
use crate::vocab::normalise_label;

use synonyms::{FIELD_SYNONYMS, MEASURE_KEYWORDS, PERSONAL};

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
    let mut notes = Vec::new();
    // A clinical system's coded entries are no table of their own: each table takes its
    // rows from them by code.
    let profiles: Vec<Vec<content::Column>> = peeks.iter().map(content::columns).collect();
    if let Some(toml) = clinical::draft(&peeks, &profiles, config_dir, &mut notes) {
        return Ok(Draft { toml, notes });
    }
    drop(profiles);
    let found = detect::detect(peeks, &mut notes);
    let toml = compose::compose(&found, config_dir, &mut notes);
    Ok(Draft { toml, notes })
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
