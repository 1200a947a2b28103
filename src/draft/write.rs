//! Writes the drafted config as commented TOML.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use super::timepoints::Timepoints;
use super::{Found, Layout, Scores, contains_words, is_personal};
use crate::vocab::{LabelMap, Vocabulary, normalise_label};

pub(super) fn write_header(out: &mut String, formats: &[String]) {
    let _ = writeln!(out, "#:schema ./{}", crate::config::SCHEMA_FILE);
    out.push_str("# sprout programme config, drafted by `sprout init` from the exports' headers and values.\n");
    out.push_str(
        "# TOML editors check it against the schema on the line above: write it with\n# `sprout schema > sprout.schema.json`. Ids and labels: `sprout list measures|labels|fields`.\n",
    );
    out.push_str(
        "# Check every mapping, then resolve the TODOs. `sprout validate --config <this file>`\n",
    );
    out.push_str("# reports anything that still does not fit.\n\n");
    out.push_str(
        "[programme]\nname = \"TODO: programme name\"\n# Who runs it, as the reports should name it (the programme name until set):\n# organisation = \"...\"\n",
    );
    out.push_str("financial_year_start_month = 4\nmin_n = 10\n\n");
    let list: Vec<String> = formats.iter().map(|f| format!("\"{f}\"")).collect();
    let _ = writeln!(
        out,
        "[dates]\n# Detected from the date columns; yyyy-mm-dd is always accepted.\nformats = [{}]\n",
        list.join(", ")
    );
}

fn write_scores(out: &mut String, prefix: &str, scores: &Scores, inline: bool) {
    if inline {
        let list = |pairs: Vec<String>| pairs.join(", ");
        if !scores.scores.is_empty() {
            let pairs = scores
                .scores
                .iter()
                .map(|(m, h)| format!("{m} = \"{}\"", escape(h)))
                .collect();
            let _ = writeln!(out, "measures = {{ {} }}", list(pairs));
        }
        if !scores.items.is_empty() {
            let pairs = scores
                .items
                .iter()
                .map(|(m, hs)| {
                    let hs: Vec<String> = hs.iter().map(|h| format!("\"{}\"", escape(h))).collect();
                    format!("{m} = [{}]", hs.join(", "))
                })
                .collect();
            let _ = writeln!(out, "items = {{ {} }}", list(pairs));
        }
        return;
    }
    if !scores.scores.is_empty() {
        let _ = writeln!(out, "\n[{prefix}.measures]");
        for (m, h) in &scores.scores {
            let _ = writeln!(out, "{m} = \"{}\"", escape(h));
        }
    }
    if !scores.items.is_empty() {
        let _ = writeln!(out, "\n[{prefix}.items]");
        for (m, hs) in &scores.items {
            let _ = writeln!(out, "{m} = [");
            for h in hs {
                let _ = writeln!(out, "  \"{}\",", escape(h));
            }
            out.push_str("]\n");
        }
    }
}

pub(super) fn write_table(
    out: &mut String,
    f: &Found,
    config_dir: &Path,
    formats: &[String],
    timepoints: &Timepoints,
) {
    let name = f.kind.name();
    let files: Vec<String> = f
        .peeks
        .iter()
        .map(|p| {
            let path = Path::new(&p.file);
            let rel = pathdiff(path, config_dir);
            format!("\"{}\"", escape(&rel.replace('\\', "/")))
        })
        .collect();
    let _ = writeln!(out, "[tables.{name}]\nfiles = [{}]", files.join(", "));
    if let Some(sheet) = &f.peeks[0].sheet {
        let _ = writeln!(out, "sheet = \"{}\"", escape(sheet));
    }
    if f.peeks.iter().any(|p| p.windows_1252) {
        out.push_str("# Not UTF-8: read as Windows-1252 (Excel's CSV encoding).\nencoding = \"windows-1252\"\n");
    }
    match &f.layout {
        Layout::Long => out.push_str("layout = \"long\"\n"),
        Layout::Wide(_) => out.push_str("layout = \"wide\"\n"),
        Layout::PerClient(_) => out.push_str("layout = \"per_client\"\n"),
        Layout::None => {}
    }
    if !f.date_formats.is_empty() && f.date_formats != formats {
        let list: Vec<String> = f.date_formats.iter().map(|d| format!("\"{d}\"")).collect();
        let _ = writeln!(
            out,
            "# This table writes its dates differently from the others.\ndate_formats = [{}]",
            list.join(", ")
        );
    }
    let _ = writeln!(out, "\n[tables.{name}.columns]");
    let mut written: Vec<&str> = Vec::new();
    for (field, _) in &f.mapping {
        if written.contains(&field.as_str()) {
            continue;
        }
        written.push(field);
        let headers: Vec<String> = f
            .mapping
            .iter()
            .filter(|(g, _)| g == field)
            .map(|(_, h)| format!("\"{}\"", escape(h)))
            .collect();
        match headers.as_slice() {
            [one] => {
                let _ = writeln!(out, "{field} = {one}");
            }
            many => {
                let _ = writeln!(out, "{field} = [{}]", many.join(", "));
            }
        }
    }
    match &f.layout {
        Layout::Wide(scores) => write_scores(out, &format!("tables.{name}"), scores, false),
        Layout::PerClient(groups) => {
            for g in groups {
                let id = timepoints.id_of(&g.label).unwrap_or("TODO");
                let _ = writeln!(
                    out,
                    "\n[tables.{name}.timepoints.{id}]\nassessment_date = \"{}\"",
                    escape(&g.date)
                );
                write_scores(out, "", &g.scores, true);
            }
        }
        _ => {}
    }
    let layout_headers = f.layout_headers();
    let rest: Vec<&String> = f
        .unmapped
        .iter()
        .filter(|h| !layout_headers.contains(h))
        .collect();
    if !rest.is_empty() {
        out.push_str("# Not mapped:\n");
        for h in rest {
            // Headers name columns, not people: the personal-data headers, and headers
            // that hold an identifier or read like free text, are withheld.
            if is_personal(h)
                || crate::privacy::looks_like_free_text(h)
                || crate::privacy::holds_identifier(h)
            {
                let _ = writeln!(
                    out,
                    "#   \"{}\": personal data or free text, leave unmapped",
                    escape(&crate::privacy::redact(h))
                );
            } else {
                let _ = writeln!(
                    out,
                    "#   \"{}\": TODO map it to a field, a cohort dimension, or leave it",
                    escape(h)
                );
            }
        }
    }
    out.push('\n');
}

pub(super) fn write_timepoints(out: &mut String, timepoints: &Timepoints) {
    let mut order: Vec<&str> = timepoints.order.iter().map(|t| t.id.as_str()).collect();
    if order.len() < 2 {
        out.push_str("# TODO: no assessment timepoints were found; list them in order.\n");
        order = vec!["baseline", "discharge"];
    }
    let list: Vec<String> = order.iter().map(|t| format!("\"{t}\"")).collect();
    out.push_str("# Proposed from the exports' labels, in the order their dates fall: check.\n");
    for t in &timepoints.order {
        let _ = writeln!(out, "#   {} = \"{}\": {}", t.id, escape(&t.name), t.why);
    }
    let _ = writeln!(out, "[timepoints]\norder = [{}]", list.join(", "));
    if !timepoints.order.is_empty() {
        let names: Vec<String> = timepoints
            .order
            .iter()
            .map(|t| format!("{} = \"{}\"", t.id, escape(&t.name)))
            .collect();
        let _ = writeln!(out, "names = {{ {} }}", names.join(", "));
    }
    if let Some((from, to)) = &timepoints.compare {
        let _ = writeln!(out, "compare = {{ from = \"{from}\", to = \"{to}\" }}");
    }
    out.push('\n');
}

/// Support phases recorded in the sessions, in the order they typically come. How they
/// follow one another when a session has no phase is the user's to say.
pub(super) fn write_phases(out: &mut String, phases: &[String]) {
    if phases.is_empty() {
        return;
    }
    out.push_str("# Phases recorded in the sessions, in the order they come. TODO check how each\n# starts and ends: sprout uses these rules for sessions with no phase recorded.\n");
    for (i, label) in phases.iter().enumerate() {
        let id = normalise_label(label).replace(' ', "_");
        let starts = if i == 0 { "start" } else { "previous" };
        let _ = writeln!(
            out,
            "[[phases]]\nid = \"{id}\"\nlabel = \"{}\"\nstarts = \"{starts}\"",
            escape(label)
        );
        if i + 1 == phases.len() {
            out.push_str("ends = \"discharge\"\n");
        }
        out.push('\n');
    }
}

pub(super) fn write_measures(
    out: &mut String,
    found: &BTreeMap<String, BTreeSet<String>>,
    unknown: &BTreeSet<String>,
    notes: &mut Vec<String>,
) {
    out.push_str("# Measures: built-in ids (see the README), or custom ones with label, min, max,\n# integer and better = \"higher\" | \"lower\".\n");
    if found.is_empty() {
        out.push_str("# TODO: no measure was recognised; without one the report has no outcomes. Add a\n# [[measures]] entry for each measure used (`sprout list measures` shows the ids), e.g.\n# [[measures]]\n# id = \"wemwbs\"\n\n");
        notes.push(
            "no outcome measure recognised: add [[measures]] entries (`sprout list measures`)"
                .into(),
        );
    }
    for m in found.keys() {
        let _ = writeln!(out, "[[measures]]\nid = \"{m}\"\n");
    }
    for u in unknown {
        let _ = writeln!(
            out,
            "# TODO: measure label \"{}\" was not recognised; add a [[measures]] entry and map it under [labels.measure]",
            escape(u)
        );
    }
    if !unknown.is_empty() {
        out.push('\n');
    }
}

pub(super) fn write_cohorts(out: &mut String, suggestions: &[String]) {
    if suggestions.is_empty() {
        return;
    }
    out.push_str("# Possible cohort dimensions (columns with a few distinct values). To compare\n# cohorts by one, uncomment it and map its column under [tables.referrals.columns].\n");
    for h in suggestions {
        let id: String = normalise_label(h).replace(' ', "_");
        let _ = writeln!(
            out,
            "# [[cohorts]]\n# id = \"{id}\"   # column \"{}\"",
            escape(h)
        );
    }
    out.push('\n');
}

/// The canonical value an unknown export label most likely means: the term whose id,
/// label or alias appears in it as whole words, the longest such match.
fn propose(vocab: Vocabulary, value: &str) -> Option<&'static str> {
    let v = normalise_label(value);
    let mut best: Option<(usize, &'static str)> = None;
    for t in vocab.terms() {
        let id = t.id.replace('_', " ");
        let phrases = std::iter::once(id.as_str())
            .chain(std::iter::once(t.label))
            .chain(t.aliases.iter().copied());
        for phrase in phrases {
            let p = normalise_label(phrase);
            if p.len() >= 3 && contains_words(&v, &p) && best.is_none_or(|(l, _)| p.len() > l) {
                best = Some((p.len(), t.id));
            }
        }
    }
    best.map(|(_, id)| id)
}

pub(super) fn write_labels(
    out: &mut String,
    unknown: &BTreeMap<Vocabulary, BTreeSet<String>>,
    measures: &BTreeMap<String, BTreeSet<String>>,
    timepoints: &Timepoints,
    phases: &[String],
) {
    let list = |set: &BTreeSet<String>| {
        set.iter()
            .map(|v| format!("\"{}\"", escape(v)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let labelled: Vec<_> = timepoints
        .order
        .iter()
        .filter(|t| t.labels.iter().any(|l| !l.is_empty()))
        .collect();
    let per_client_only = labelled.is_empty();
    if !per_client_only {
        out.push_str("[labels.timepoint]\n");
        for t in labelled {
            let _ = writeln!(out, "{} = [{}]", t.id, list(&t.labels));
        }
        out.push('\n');
    }
    if !phases.is_empty() {
        out.push_str("[labels.phase]\n");
        for p in phases {
            let id = normalise_label(p).replace(' ', "_");
            let _ = writeln!(out, "{id} = [\"{}\"]", escape(p));
        }
        out.push('\n');
    }
    if measures.values().any(|l| !l.is_empty()) {
        out.push_str("[labels.measure]\n");
        for (m, labels) in measures.iter().filter(|(_, l)| !l.is_empty()) {
            let _ = writeln!(out, "{m} = [{}]", list(labels));
        }
        out.push('\n');
    }
    for (vocab, values) in unknown.iter().filter(|(_, v)| !v.is_empty()) {
        let known = LabelMap::from_terms(vocab.terms());
        let mut proposed: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        let mut left: Vec<&String> = Vec::new();
        for v in values {
            if known.lookup(v).is_some() {
                continue;
            }
            match propose(*vocab, v) {
                Some(id) => {
                    proposed.entry(id).or_default().insert(v.clone());
                }
                None => left.push(v),
            }
        }
        if !proposed.is_empty() {
            let _ = writeln!(
                out,
                "# Proposed from the export's values ({} labels sprout does not know): check each.\n[labels.{}]",
                vocab.name(),
                vocab.name()
            );
            for (id, labels) in &proposed {
                let _ = writeln!(out, "{id} = [{}]", list(labels));
            }
        }
        if !left.is_empty() {
            let ids: Vec<&str> = vocab.terms().iter().map(|t| t.id).collect();
            let _ = writeln!(
                out,
                "# TODO: labels sprout does not know for {}; map each to one of: {}",
                vocab.name(),
                ids.join(", ")
            );
            if proposed.is_empty() {
                let _ = writeln!(out, "# [labels.{}]", vocab.name());
            }
            for v in left {
                let _ = writeln!(out, "# <value> = [\"{}\"]", escape(v));
            }
        }
        out.push('\n');
    }
}

pub(super) fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
        .replace('\t', "\\t")
}

/// A file's path as the config writes it: relative to `base` when inside it, with `/`.
pub(super) fn relative(file: &str, base: &Path) -> String {
    pathdiff(Path::new(file), base).replace('\\', "/")
}

/// `path` relative to `base` when it lies inside it, else as given.
fn pathdiff(path: &Path, base: &Path) -> String {
    let abs = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (p, b) = (abs(path), abs(base));
    p.strip_prefix(&b)
        .map_or_else(|_| p.display().to_string(), |r| r.display().to_string())
}
