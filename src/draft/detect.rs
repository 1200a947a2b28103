//! Which table each file is: recognised by its values where they are telling (drug
//! names, instrument names, measure columns), by its headers otherwise, and by its shape
//! as a last resort; files of one table combined.

use std::collections::BTreeSet;

use super::*;
use crate::ingest::Peek;
use crate::tables::TableKind;

/// The tables in the files: each file recognised, files of one table combined, the
/// referrals found inside another table where no file is them, and one table of each
/// kind kept.
pub(super) fn detect(peeks: Vec<Peek>, notes: &mut Vec<String>) -> Vec<Found> {
    let profiles: Vec<Vec<content::Column>> = peeks.iter().map(content::columns).collect();
    let ids = client_columns(&peeks, &profiles);
    let drugs = crate::medication::DrugDictionary::builtin();
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
            merge(existing, &p, &cols, &mapping, notes);
            existing.peeks.push(p);
            continue;
        }
        describe(
            notes,
            &p,
            kind,
            &layout,
            how,
            mapping.len() + layout_headers.len(),
        );
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

    found
}

/// The note on a table found: what it looks like, what gave it away, and how many of its
/// columns are used.
fn describe(
    notes: &mut Vec<String>,
    p: &Peek,
    kind: TableKind,
    layout: &Layout,
    how: &str,
    used: usize,
) {
    let layout_name = match layout {
        Layout::None => "",
        Layout::Long => ", long layout",
        Layout::Wide(_) => ", wide layout",
        Layout::PerClient(_) => ", one row per client",
    };
    notes.push(format!(
        "{}{}: looks like {}{layout_name}, by its {how} ({used} of {} columns used)",
        p.file,
        sheet_note(p),
        kind.name(),
        p.header.len()
    ));
}

/// Another file of a table already found: its date cells count towards the table's
/// date formats, and a field keeps each file's header for it (the config takes a list);
/// one a file lacks is left unmapped.
fn merge(
    existing: &mut Found,
    p: &Peek,
    cols: &[content::Column],
    mapping: &[(String, String)],
    notes: &mut Vec<String>,
) {
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
    for (field, header) in mapping {
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
        sheet_note(p),
        existing.kind.name()
    ));
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
    let r = Recogniser {
        cols,
        id,
        id_header: id.map(|i| cols[i].header.clone()),
        by_headers: classify(p),
    };
    r.medications(drugs)
        .or_else(|| r.long_assessments())
        .or_else(|| r.measure_columns())
        .or_else(|| r.headers())
        .or_else(|| r.shape())
}

/// What one file offers to recognise it by.
struct Recogniser<'a> {
    cols: &'a [content::Column],
    /// The client identifier's column.
    id: Option<usize>,
    id_header: Option<String>,
    /// What the headers say about each table, complete or not.
    by_headers: Vec<ByHeaders>,
}

/// Maps `field` to `c`'s header, unless the field is mapped already.
fn set(m: &mut Vec<(String, String)>, field: &str, c: Option<&content::Column>) {
    if m.iter().any(|(f, _)| f == field) {
        return;
    }
    if let Some(c) = c {
        m.push((field.to_owned(), c.header.clone()));
    }
}

impl Recogniser<'_> {
    /// The fields a table's headers name: a table recognised by its values takes them.
    fn header_mapping(&self, kind: TableKind) -> Vec<(String, String)> {
        self.by_headers
            .iter()
            .find(|(k, _, _, _)| *k == kind)
            .map(|(_, m, _, _)| m.clone())
            .unwrap_or_default()
    }

    /// `m` with the client identifier's column as `client_id`.
    fn with_id(&self, mut m: Vec<(String, String)>) -> Vec<(String, String)> {
        if let Some(h) = &self.id_header {
            m.retain(|(f, x)| f != "client_id" && x != h);
            m.insert(0, ("client_id".into(), h.clone()));
        }
        m
    }

    /// Whether `c` is neither mapped in `m` nor the identifier.
    fn free(&self, m: &[(String, String)], c: &content::Column) -> bool {
        !m.iter().any(|(_, h)| *h == c.header) && Some(&c.header) != self.id_header.as_ref()
    }

    /// The first free column that passes `test`.
    fn pick(
        &self,
        m: &[(String, String)],
        test: impl Fn(&content::Column) -> bool,
    ) -> Option<content::Column> {
        self.cols
            .iter()
            .find(|c| self.free(m, c) && test(c))
            .cloned()
    }

    /// Medications: a column of drug names.
    fn medications(&self, drugs: &crate::medication::DrugDictionary) -> Option<Recognised> {
        let drug = self
            .cols
            .iter()
            .filter(|c| c.distinct.len() >= 2)
            .map(|c| (c, content::drug_rate(c, drugs)))
            .filter(|(_, r)| *r >= 0.6)
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(c, _)| c)?;
        let mut m = self.with_id(self.header_mapping(TableKind::Medications));
        m.retain(|(f, h)| f != "drug" || *h == drug.header);
        set(&mut m, "drug", Some(drug));
        let dose = self.pick(&m, |c| c.is_number());
        set(&mut m, "daily_dose", dose.as_ref());
        let date = self.pick(&m, |c| c.is_date());
        set(&mut m, "record_date", date.as_ref());
        let unit = self.pick(&m, |c| {
            c.distinct.iter().any(|v| {
                matches!(
                    v.to_lowercase().as_str(),
                    "mg" | "mcg/h" | "mcg/hr" | "micrograms/hour" | "tablets" | "tablet" | "ml"
                )
            })
        });
        set(&mut m, "unit", unit.as_ref());
        let tp = self.pick(&m, |c| c.distinct.len() <= 12 && c.timepoint_rate() >= 0.5);
        set(&mut m, "timepoint", tp.as_ref());
        Some((TableKind::Medications, Layout::None, m, "drug names"))
    }

    /// Long assessments: a column of instrument names beside a column of scores.
    fn long_assessments(&self) -> Option<Recognised> {
        let measure = self
            .cols
            .iter()
            .filter(|c| (1..=60).contains(&c.distinct.len()) && !c.is_number() && !c.is_date())
            .filter(|c| {
                let shared = c.distinct.iter().filter(|v| shareable(v)).count();
                !is_personal(&c.header) && shared * 10 >= c.distinct.len() * 9
            })
            .map(|c| (c, c.measure_rate()))
            .filter(|(_, r)| *r >= 0.5)
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(c, _)| c)?;
        let mut m = self.with_id(self.header_mapping(TableKind::Assessments));
        m.retain(|(f, h)| {
            if f == "measure" {
                *h == measure.header
            } else {
                *h != measure.header
            }
        });
        set(&mut m, "measure", Some(measure));
        let tp = timepoint_column(self.cols, &|c| self.free(&m, c));
        set(&mut m, "timepoint", tp.as_ref());
        let date = self.pick(&m, |c| c.is_date());
        set(&mut m, "assessment_date", date.as_ref());
        let value = self.pick(&m, |c| c.is_number());
        set(&mut m, "value", value.as_ref());
        Some((TableKind::Assessments, Layout::Long, m, "instrument names"))
    }

    /// Measure columns: a column per instrument or item, per timepoint or per row. An
    /// item is known by its own name ("BPI worst pain"), a score by its measure's.
    fn measure_columns(&self) -> Option<Recognised> {
        let cols = self.cols;
        let measure_headers: Vec<(usize, String)> = cols
            .iter()
            .enumerate()
            .filter(|(i, c)| Some(*i) != self.id && !c.is_date() && !is_personal(&c.header))
            .filter_map(|(i, c)| {
                items::item_of(&c.header)
                    .map(|item| item.measure)
                    .or_else(|| guess(&c.header, MEASURE_KEYWORDS).map(str::to_owned))
                    .map(|m| (i, m))
            })
            .collect();
        if measure_headers.is_empty() {
            return None;
        }
        let groups = per_client_groups(cols, &measure_headers);
        if groups.len() >= 2 {
            return Some((
                TableKind::Assessments,
                Layout::PerClient(groups),
                self.with_id(Vec::new()),
                "score columns for each timepoint",
            ));
        }
        let mut m = self.with_id(self.header_mapping(TableKind::Assessments));
        m.retain(|(f, _)| f != "measure" && f != "value");
        let score_headers: Vec<&str> = measure_headers
            .iter()
            .map(|(i, _)| cols[*i].header.as_str())
            .collect();
        m.retain(|(_, h)| !score_headers.contains(&h.as_str()));
        let tp = timepoint_column(cols, &|c| self.free(&m, c));
        set(&mut m, "timepoint", tp.as_ref());
        let date = self.pick(&m, |c| c.is_date());
        set(&mut m, "assessment_date", date.as_ref());
        Some((
            TableKind::Assessments,
            Layout::Wide(scores(cols, &measure_headers)),
            m,
            "measure columns",
        ))
    }

    /// The table whose headers the file's headers name completely, the best first.
    fn headers(&self) -> Option<Recognised> {
        let long = |m: &[(String, String)]| {
            m.iter().any(|(f, _)| f == "measure") && m.iter().any(|(f, _)| f == "value")
        };
        let (kind, mapping, _, _) = self
            .by_headers
            .iter()
            .filter(|(_, _, _, complete)| *complete)
            .filter(|(k, m, _, _)| *k != TableKind::Assessments || long(m))
            .filter(|(k, m, _, _)| {
                *k != TableKind::Medications || m.iter().any(|(f, _)| f == "drug")
            })
            .max_by_key(|(_, _, score, _)| *score)?;
        let layout = if *kind == TableKind::Assessments {
            Layout::Long
        } else {
            Layout::None
        };
        Some((*kind, layout, self.with_id(mapping.clone()), "headers"))
    }

    /// By shape: one row per client is the referrals table, many dated rows per client
    /// the sessions.
    fn shape(&self) -> Option<Recognised> {
        let id = self.id?;
        let mut dates: Vec<&content::Column> = self.cols.iter().filter(|c| c.is_date()).collect();
        if dates.is_empty() {
            return None;
        }
        let (kind, field) = if self.cols[id].uniqueness() >= 0.95 {
            (TableKind::Referrals, "referral_date")
        } else {
            dates.sort_by_key(|c| std::cmp::Reverse(c.filled()));
            (TableKind::Sessions, "session_date")
        };
        let mut m = self.with_id(Vec::new());
        set(&mut m, field, dates.first().copied());
        Some((kind, Layout::None, m, "values (dated rows per client)"))
    }
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
