//! Clinical-system exports for `init`: a file of coded entries (an identifier, a date, a
//! column of long numeric codes beside their terms, a value column), recognised by its
//! columns, and a patient list of one row per identifier. The draft takes each table's rows
//! by code, builds referrals from events and timepoints from the order of the scores
//! (docs/clinical-systems.md).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use super::synonyms::{CLIENT_ID, FIELD_SYNONYMS};
use super::write::{escape, relative};
use super::{contains_words, content, is_personal};
use crate::ingest::Peek;
use crate::tables::TableKind;
use crate::vocab::normalise_label;

/// The columns of a file of coded entries.
#[derive(Debug, Clone)]
pub(super) struct Coded {
    id: usize,
    date: usize,
    code: usize,
    term: usize,
    value: Option<usize>,
    /// How the contact was made ("Consultation Type").
    mode: Option<usize>,
}

/// What a code records, by its term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Referral,
    Declined,
    Discharge(&'static str),
    Consultation,
    Dna,
    Score(&'static str),
}

/// One code seen in the file: its term, how many entries, and its values.
#[derive(Debug, Default)]
struct CodeSeen {
    term: String,
    entries: usize,
    whole: bool,
    /// Entries of the code carry different terms.
    varies: bool,
}

/// Whether a code's term may be copied into the draft as a comment: the code's own term
/// (the same on every entry of the code, so not text someone typed) holding no identifier.
/// A clinical term often holds an eponym ("Warwick-Edinburgh"), so names are no test here.
fn term_shareable(seen: &CodeSeen) -> bool {
    !seen.varies
        && seen.term.chars().count() <= 120
        && !crate::privacy::holds_identifier(&seen.term)
}

/// Whether a value is a code as clinical systems export them: a SNOMED CT concept id (6 to
/// 18 digits).
fn is_code(v: &str) -> bool {
    (6..=18).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_digit())
}

/// Recognises a file of coded entries by its columns.
pub(super) fn coded_entries(cols: &[content::Column]) -> Option<Coded> {
    let named_id = cols
        .iter()
        .position(|c| CLIENT_ID.iter().any(|s| c.key == *s));
    // The code column: long numbers, the header naming a code where one does, else the
    // one with the fewest distinct values (a patient number column has many).
    let code = cols
        .iter()
        .enumerate()
        .filter(|(i, c)| {
            let filled = c.filled();
            // Codes repeat (many entries of few codes); an NHS number is personal.
            Some(*i) != named_id
                && filled >= 5
                && !is_personal(&c.header)
                && c.distinct.len() * 3 <= filled
                && c.cells.iter().flatten().filter(|v| is_code(v)).count() * 10 >= filled * 9
        })
        .min_by_key(|(_, c)| {
            let named = ["code", "concept", "snomed", "concept id", "read code"]
                .iter()
                .any(|k| contains_words(&c.key, k));
            (!named, c.distinct.len())
        })
        .map(|(i, _)| i)?;
    // The term: a text column whose value each code mostly keeps.
    let term = cols
        .iter()
        .enumerate()
        .filter(|(i, c)| *i != code && !c.is_date() && !c.is_number() && c.filled() > 0)
        .filter(|(_, c)| {
            let mut pairs = std::collections::BTreeSet::new();
            for (k, t) in cols[code].cells.iter().zip(&c.cells) {
                if let (Some(k), Some(t)) = (k, t) {
                    pairs.insert((k.as_str(), t.as_str()));
                }
            }
            pairs.len() * 10 <= cols[code].distinct.len() * 12 && c.distinct.len() >= 3
        })
        .max_by_key(|(_, c)| {
            let key = &c.key;
            (
                contains_words(key, "term") || contains_words(key, "description"),
                c.distinct.len(),
            )
        })
        .map(|(i, _)| i)?;
    let date = cols.iter().position(content::Column::is_date)?;
    let value = cols
        .iter()
        .position(|c| ["value", "result", "numeric value"].contains(&c.key.as_str()));
    // The identifier: a column every entry fills, named like one where a column is.
    let rows = cols.first().map_or(0, |c| c.cells.len());
    let id = named_id.or_else(|| {
        cols.iter()
            .enumerate()
            .filter(|(i, c)| {
                ![Some(code), Some(term), Some(date), value].contains(&Some(*i))
                    && c.filled() == rows
                    && !c.is_date()
                    && c.distinct.len() >= 5
            })
            .max_by_key(|(_, c)| {
                let named = [
                    "patient",
                    "id",
                    "number",
                    "identifier",
                    "person",
                    "nhs",
                    "emis",
                ]
                .iter()
                .any(|w| contains_words(&c.key, w));
                (named, c.distinct.len())
            })
            .map(|(i, _)| i)
    })?;
    let mode = cols.iter().position(|c| {
        [
            "consultation type",
            "contact type",
            "appointment type",
            "consultation mode",
            "contact mode",
        ]
        .iter()
        .any(|k| contains_words(&c.key, k))
    });
    Some(Coded {
        id,
        date,
        code,
        term,
        value,
        mode,
    })
}

/// What an entry with this term records, if it is the programme's.
fn kind_of(term: &str) -> Option<Kind> {
    let t = normalise_label(term);
    let has = |w: &str| contains_words(&t, w);
    let programme = has("social prescribing")
        || has("social prescriber")
        || has("link worker")
        || has("social prescribing link worker");
    if has("did not attend") || has("dna") || has("was not brought") {
        return Some(Kind::Dna);
    }
    if programme && has("declined") {
        return Some(Kind::Declined);
    }
    if programme && (has("discharged") || has("discharge")) {
        let reason = if has("did not engage") || has("disengaged") || has("not engage") {
            "disengaged"
        } else if has("moved") {
            "moved_away"
        } else if has("died") || has("deceased") || has("death") {
            "died"
        } else if has("other reason") || has("other") {
            "other"
        } else {
            "completed"
        };
        return Some(Kind::Discharge(reason));
    }
    if programme && (has("referral") || has("referred")) {
        return Some(Kind::Referral);
    }
    if programme {
        return Some(Kind::Consultation);
    }
    score_of(&t).map(Kind::Score)
}

/// The measure a score's term names. ONS4 items only with ONS named, so that "Generalized
/// anxiety disorder 7 item score" is no ONS anxiety.
fn score_of(t: &str) -> Option<&'static str> {
    let has = |w: &str| contains_words(t, w);
    if has("short warwick") || has("swemwbs") {
        return Some("swemwbs");
    }
    if has("warwick") || has("wemwbs") {
        return Some("wemwbs");
    }
    if has("ucla") || has("loneliness") {
        return Some("ucla3");
    }
    let ons = has("ons") || has("office for national statistics") || has("personal well being");
    if ons {
        for (k, m) in [
            ("life satisfaction", "ons4_life_satisfaction"),
            ("worthwhile", "ons4_worthwhile"),
            ("happiness", "ons4_happy"),
            ("happy", "ons4_happy"),
            ("anxiety", "ons4_anxiety"),
        ] {
            if has(k) {
                return Some(m);
            }
        }
    }
    for (k, m) in [
        ("eq 5d vas", "eq5d_vas"),
        ("eq 5d index", "eq5d_index"),
        ("oxford hip", "oxford_hip"),
        ("oxford knee", "oxford_knee"),
        ("patient activation", "pam13"),
        ("pain severity", "bpi_severity"),
        ("pain interference", "bpi_interference"),
        ("wellbeing star", "wellbeing_star"),
    ] {
        if has(k) {
            return Some(m);
        }
    }
    None
}

/// The codes of the file, by what they record; the others with their entry counts.
fn classify(p: &Peek, c: &Coded) -> (BTreeMap<Kind, Vec<(String, CodeSeen)>>, usize) {
    let mut codes: BTreeMap<String, CodeSeen> = BTreeMap::new();
    for row in &p.rows {
        let cell = |i: usize| row.get(i).map_or("", |v| v.trim());
        let code = cell(c.code);
        if code.is_empty() {
            continue;
        }
        let seen = codes.entry(code.to_owned()).or_insert_with(|| CodeSeen {
            term: cell(c.term).to_owned(),
            entries: 0,
            whole: true,
            varies: false,
        });
        seen.entries += 1;
        seen.varies |= seen.term != cell(c.term);
        if let Some(v) = c.value.map(cell).and_then(|v| v.parse::<f64>().ok()) {
            seen.whole &= v.fract() == 0.0;
        }
    }
    let mut by_kind: BTreeMap<Kind, Vec<(String, CodeSeen)>> = BTreeMap::new();
    let mut other = 0;
    for (code, seen) in codes {
        match kind_of(&seen.term) {
            Some(Kind::Score(_)) if c.value.is_none() => other += seen.entries,
            Some(k) => by_kind.entry(k).or_default().push((code, seen)),
            None => other += seen.entries,
        }
    }
    (by_kind, other)
}

/// A patient list: one row per identifier, with demographic columns. Returns the
/// identifier column and the people fields (and `practice`) with their headers.
fn patient_list(
    cols: &[content::Column],
    entries_id: &content::Column,
) -> Option<Vec<(&'static str, String)>> {
    // The identifier: headed as in the entries, or as identifiers are, or holding the
    // entries' identifiers; one row each.
    let id = cols
        .iter()
        .filter(|c| c.uniqueness() >= 0.98)
        .find(|c| c.key == entries_id.key)
        .or_else(|| {
            cols.iter()
                .filter(|c| c.uniqueness() >= 0.98)
                .find(|c| CLIENT_ID.iter().any(|s| c.key == *s))
        })
        .or_else(|| {
            cols.iter().filter(|c| c.uniqueness() >= 0.98).find(|c| {
                c.distinct.intersection(&entries_id.distinct).count() * 2 >= c.distinct.len()
            })
        })?;
    let mut mapping = vec![("client_id", id.header.clone())];
    for field in [
        "date_of_birth",
        "age_band",
        "age",
        "sex",
        "ethnicity",
        "imd_decile",
    ] {
        let synonyms = FIELD_SYNONYMS
            .iter()
            .filter(|(t, f, _)| *t == TableKind::Referrals && *f == field)
            .flat_map(|(_, _, s)| s.iter().copied());
        let mut found = None;
        for s in synonyms {
            found = cols
                .iter()
                .find(|c| c.key == s || contains_words(&c.key, s));
            if found.is_some() {
                break;
            }
        }
        if let Some(c) = found
            && !mapping.iter().any(|(_, h)| *h == c.header)
        {
            mapping.push((field, c.header.clone()));
        }
    }
    if let Some(c) = cols.iter().find(|c| {
        [
            "practice",
            "gp practice",
            "surgery",
            "organisation",
            "registered practice",
        ]
        .iter()
        .any(|k| c.key == *k)
    }) {
        mapping.push(("practice", c.header.clone()));
    }
    (mapping.len() >= 3).then_some(mapping)
}

/// The draft for a coded-entries file and (if found) a patient list, or `None` when no
/// file is one of coded entries.
pub(super) fn draft(
    peeks: &[Peek],
    profiles: &[Vec<content::Column>],
    config_dir: &Path,
    notes: &mut Vec<String>,
) -> Option<String> {
    let (at, coded) = profiles
        .iter()
        .enumerate()
        .find_map(|(i, cols)| coded_entries(cols).map(|c| (i, c)))?;
    let p = &peeks[at];
    let cols = &profiles[at];
    let people = profiles
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != at)
        .find_map(|(i, others)| patient_list(others, &cols[coded.id]).map(|m| (i, m)));
    note_left_out(peeks, at, people.as_ref().map(|(p, _)| *p), notes);
    let (by_kind, other) = classify(p, &coded);
    let header = |i: usize| escape(&cols[i].header);
    let file = escape(&relative(&p.file, config_dir));
    let format = cols[coded.date].date_format.unwrap_or("dd/mm/yyyy");
    notes.push(format!(
        "{}: coded entries (a code column \"{}\" beside its terms); each table takes its rows by code, {} entries of other codes left out{}",
        p.file,
        cols[coded.code].header,
        other,
        if p.rows.len() >= super::SAMPLE_ROWS { " (in the rows looked at)" } else { "" }
    ));
    let events = of_kinds(&by_kind, &|k| {
        matches!(k, Kind::Referral | Kind::Declined | Kind::Discharge(_))
    });
    let sessions = of_kinds(&by_kind, &|k| matches!(k, Kind::Consultation | Kind::Dna));
    let scores = of_kinds(&by_kind, &|k| matches!(k, Kind::Score(_)));
    for (what, cs) in [
        ("referral, discharge and declined", &events),
        ("consultation and did-not-attend", &sessions),
        ("score", &scores),
    ] {
        notes.push(format!(
            "{}: {} {what} code(s), {} entries",
            p.file,
            cs.len(),
            cs.iter().map(|(_, s)| s.entries).sum::<usize>()
        ));
    }

    let mut out = String::new();
    super::write::write_header(&mut out, &[format.to_owned()]);
    out.push_str("# A clinical-system export: one file of coded entries. Each table takes its rows by\n# code (`where`); entries of other codes are counted and left out. See\n# docs/clinical-systems.md for the rules.\n\n");
    let shared = |out: &mut String,
                  table: &str,
                  comment: &str,
                  cs: &[&(String, CodeSeen)],
                  columns: &[(&str, usize)]| {
        let _ = writeln!(
            out,
            "[tables.{table}]\nfiles = [\"{file}\"]\n{comment}where = {{ column = \"{}\", in = [\n{}] }}\n\n[tables.{table}.columns]",
            header(coded.code),
            code_list(cs),
        );
        for (field, i) in columns {
            let _ = writeln!(out, "{field} = \"{}\"", header(*i));
        }
        out.push('\n');
    };
    let (id, date, code) = (coded.id, coded.date, coded.code);
    shared(
        &mut out,
        "referrals",
        "# Episodes from events: a referral opens one, a discharge or declined entry closes it.\nlayout = \"events\"\n# TODO: check: a score up to this many days before the referral is the episode's baseline.\nbaseline_grace_days = 14\n",
        &events,
        &[
            ("client_id", id),
            ("event_date", date),
            ("event", code),
            ("discharge_reason", code),
        ],
    );
    if !sessions.is_empty() {
        let mut columns = vec![("client_id", id), ("session_date", date), ("status", code)];
        columns.extend(coded.mode.map(|m| ("contact_mode", m)));
        shared(
            &mut out,
            "sessions",
            "# TODO: did-not-attend codes are used for every kind of appointment: check that the\n# search returns only the link workers'.\n",
            &sessions,
            &columns,
        );
    }
    if let (false, Some(value)) = (scores.is_empty(), coded.value) {
        let columns = [
            ("client_id", id),
            ("assessment_date", date),
            ("measure", code),
            ("value", value),
        ];
        shared(&mut out, "assessments", "", &scores, &columns);
    }
    if let Some((i, mapping)) = &people {
        write_people(&mut out, &peeks[*i], mapping, config_dir, notes);
    }
    out.push_str("[timepoints]\norder = [\"baseline\", \"discharge\"]\n# No timepoint column: the first score of a measure in an episode is the baseline, the\n# last the discharge score when at least this many days after the first.\n# TODO: check last_min_days.\nfrom_order = { first = \"baseline\", last = \"discharge\", last_min_days = 28 }\n\n");
    write_measures(&mut out, &scored_measures(&by_kind), &by_kind);
    if people
        .as_ref()
        .is_some_and(|(_, m)| m.iter().any(|(f, _)| *f == "practice"))
    {
        out.push_str("[[cohorts]]\nid = \"practice\"\nlabel = \"Practice\"\n# Practice names that read like a person's name or an address are withheld unless listed:\n# order = [\"...\"]\n\n");
    }
    write_labels(&mut out, &by_kind);
    out.push_str("[disclosure]\nevaluator = \"none\"\ntrustee = \"nhs\"\ncommissioner = \"nhs\"\n");
    Some(out)
}

/// A note for each file that is neither the coded entries (`at`) nor the patient list.
fn note_left_out(peeks: &[Peek], at: usize, people: Option<usize>, notes: &mut Vec<String>) {
    for (i, q) in peeks.iter().enumerate() {
        if i != at && people != Some(i) {
            notes.push(format!(
                "{}: neither coded entries nor a patient list (one row per patient with \
                 demographic columns); left out",
                q.file
            ));
        }
    }
}

/// The codes of the kinds `pick` takes.
fn of_kinds<'a>(
    by_kind: &'a BTreeMap<Kind, Vec<(String, CodeSeen)>>,
    pick: &dyn Fn(Kind) -> bool,
) -> Vec<&'a (String, CodeSeen)> {
    by_kind
        .iter()
        .filter(|(k, _)| pick(**k))
        .flat_map(|(_, v)| v.iter())
        .collect()
}

/// The measures scored, in the order of their kinds.
fn scored_measures(by_kind: &BTreeMap<Kind, Vec<(String, CodeSeen)>>) -> Vec<&'static str> {
    let mut m: Vec<&'static str> = by_kind
        .keys()
        .filter_map(|k| match k {
            Kind::Score(m) => Some(*m),
            _ => None,
        })
        .collect();
    m.dedup();
    m
}

/// The codes of a `where`, one a line with its term and how many entries it has.
fn code_list(cs: &[&(String, CodeSeen)]) -> String {
    let mut s = String::new();
    for (code, seen) in cs {
        let term = if term_shareable(seen) {
            seen.term.replace('\n', " ")
        } else {
            "term withheld".to_owned()
        };
        let _ = writeln!(
            s,
            "  \"{}\",   # {} ({} entr{})",
            escape(code),
            term,
            seen.entries,
            if seen.entries == 1 { "y" } else { "ies" }
        );
    }
    s
}

/// `[tables.people]`: the patient list and its columns.
fn write_people(
    out: &mut String,
    p: &Peek,
    mapping: &[(&'static str, String)],
    config_dir: &Path,
    notes: &mut Vec<String>,
) {
    let file = escape(&relative(&p.file, config_dir));
    notes.push(format!(
        "{}: the patient list, joined to the episodes by identifier",
        p.file
    ));
    let _ = writeln!(
        out,
        "# The patient list: demographics joined to every episode by identifier.\n[tables.people]\nfiles = [\"{file}\"]\n\n[tables.people.columns]"
    );
    for (field, h) in mapping {
        let _ = writeln!(out, "{field} = \"{}\"", escape(h));
    }
    out.push('\n');
}

/// `[[measures]]` for each measure scored; ONS4 as one instrument when all four items are.
fn write_measures(
    out: &mut String,
    measures: &[&'static str],
    by_kind: &BTreeMap<Kind, Vec<(String, CodeSeen)>>,
) {
    let ons: Vec<&&str> = measures.iter().filter(|m| m.starts_with("ons4_")).collect();
    let mut written = Vec::new();
    for m in measures {
        let id = if m.starts_with("ons4_") && ons.len() == 4 {
            "ons4"
        } else {
            m
        };
        if written.contains(&id) {
            continue;
        }
        written.push(id);
        let _ = writeln!(out, "[[measures]]\nid = \"{id}\"");
        if *m == "swemwbs" {
            let whole = by_kind
                .get(&Kind::Score("swemwbs"))
                .is_some_and(|v| v.iter().all(|(_, s)| s.whole));
            if whole {
                out.push_str("# TODO: whole-number scores: \"raw\" if they are raw totals 7-35 to convert.\n");
            }
            out.push_str("values = \"metric\"\n");
        }
        out.push('\n');
    }
}

/// The codes of each event, reason, status and measure.
fn write_labels(out: &mut String, by_kind: &BTreeMap<Kind, Vec<(String, CodeSeen)>>) {
    let codes = |pick: &dyn Fn(&Kind) -> bool| -> Vec<String> {
        by_kind
            .iter()
            .filter(|(k, _)| pick(k))
            .flat_map(|(_, v)| v.iter().map(|(c, _)| format!("\"{}\"", escape(c))))
            .collect()
    };
    let line = |out: &mut String, key: &str, cs: Vec<String>| {
        if !cs.is_empty() {
            let _ = writeln!(out, "{key} = [{}]", cs.join(", "));
        }
    };
    out.push_str("[labels.event]\n");
    line(out, "referral", codes(&|k| *k == Kind::Referral));
    line(out, "declined", codes(&|k| *k == Kind::Declined));
    line(
        out,
        "discharge",
        codes(&|k| matches!(k, Kind::Discharge(_))),
    );
    out.push_str(
        "\n# TODO: check the reason each discharge code gives.\n[labels.discharge_reason]\n",
    );
    for reason in ["completed", "disengaged", "moved_away", "died", "other"] {
        line(out, reason, codes(&|k| *k == Kind::Discharge(reason)));
    }
    out.push_str("\n[labels.status]\n");
    line(out, "attended", codes(&|k| *k == Kind::Consultation));
    line(out, "dna", codes(&|k| *k == Kind::Dna));
    out.push_str("\n[labels.measure]\n");
    let measures = scored_measures(by_kind);
    for m in measures {
        line(out, m, codes(&|k| *k == Kind::Score(m)));
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_say_what_a_code_records() {
        assert_eq!(
            kind_of("Referral to social prescribing service"),
            Some(Kind::Referral)
        );
        assert_eq!(kind_of("Social prescribing declined"), Some(Kind::Declined));
        assert_eq!(
            kind_of("Discharged from social prescribing service - did not engage"),
            Some(Kind::Discharge("disengaged"))
        );
        assert_eq!(
            kind_of("Discharged from social prescribing service"),
            Some(Kind::Discharge("completed"))
        );
        assert_eq!(
            kind_of("Seen by social prescribing link worker"),
            Some(Kind::Consultation)
        );
        assert_eq!(kind_of("Did not attend - no reason"), Some(Kind::Dna));
        assert_eq!(
            kind_of("Short Warwick-Edinburgh Mental Well-being Scale score"),
            Some(Kind::Score("swemwbs"))
        );
        assert_eq!(
            kind_of("Office for National Statistics personal well-being anxiety score"),
            Some(Kind::Score("ons4_anxiety"))
        );
        assert_eq!(kind_of("Generalized anxiety disorder 7 item score"), None);
        assert_eq!(kind_of("Systolic arterial pressure"), None);
        assert_eq!(kind_of("Referral to physical activity programme"), None);
        assert!(is_code("871731000000106") && !is_code("12345") && !is_code("A123456"));
    }
}
