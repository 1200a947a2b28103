//! Writes the drafted config as commented TOML.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use super::synonyms::MEASURE_KEYWORDS;
use super::{Found, guess, is_personal, shareable};
use crate::tables::TableKind;
use crate::vocab::{Vocabulary, normalise_label};

pub(super) fn write_header(out: &mut String, formats: &[String]) {
    out.push_str("# sprout programme config, drafted by `sprout init` from export headers.\n");
    out.push_str(
        "# Check every mapping, then resolve the TODOs. `sprout validate --config <this file>`\n",
    );
    out.push_str("# reports anything that still does not fit.\n\n");
    out.push_str(
        "[programme]\nname = \"TODO: programme name\"\norganisation = \"TODO: organisation\"\n",
    );
    out.push_str("financial_year_start_month = 4\nmin_n = 10\n\n");
    let list: Vec<String> = formats.iter().map(|f| format!("\"{f}\"")).collect();
    let _ = writeln!(
        out,
        "[dates]\n# Detected from the date columns; yyyy-mm-dd is always accepted.\nformats = [{}]\n",
        list.join(", ")
    );
}

pub(super) fn write_table(out: &mut String, f: &Found, config_dir: &Path) {
    let name = f.kind.name();
    let files: Vec<String> = f
        .peeks
        .iter()
        .map(|p| {
            let path = Path::new(&p.file);
            let rel = pathdiff(path, config_dir);
            format!("\"{}\"", rel.replace('\\', "/"))
        })
        .collect();
    let _ = writeln!(out, "[tables.{name}]\nfiles = [{}]", files.join(", "));
    if let Some(sheet) = &f.peeks[0].sheet {
        let _ = writeln!(out, "sheet = \"{}\"", escape(sheet));
    }
    if f.peeks.iter().any(|p| p.windows_1252) {
        out.push_str("# Not UTF-8: read as Windows-1252 (Excel's CSV encoding).\nencoding = \"windows-1252\"\n");
    }
    if f.wide {
        out.push_str("layout = \"wide\"\n");
    } else if f.kind == TableKind::Assessments {
        out.push_str("layout = \"long\"\n");
    }
    let _ = writeln!(out, "\n[tables.{name}.columns]");
    for (field, header) in &f.mapping {
        let _ = writeln!(out, "{field} = \"{}\"", escape(header));
    }
    if f.wide {
        let _ = writeln!(out, "\n[tables.{name}.measures]");
        for h in &f.unmapped {
            if let Some(m) = guess(h, MEASURE_KEYWORDS) {
                let _ = writeln!(out, "{m} = \"{}\"", escape(h));
            }
        }
    }
    let rest: Vec<&String> = f
        .unmapped
        .iter()
        .filter(|h| !(f.wide && guess(h, MEASURE_KEYWORDS).is_some()))
        .collect();
    if !rest.is_empty() {
        out.push_str("# Not mapped:\n");
        for h in rest {
            if is_personal(h) || !shareable(h) {
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

pub(super) fn write_timepoints(
    out: &mut String,
    found: &BTreeMap<String, BTreeSet<String>>,
    unknown: &BTreeSet<String>,
) {
    let mut order: Vec<&str> = ["baseline", "review", "discharge"]
        .into_iter()
        .filter(|t| found.contains_key(*t))
        .collect();
    if order.len() < 2 {
        order = vec!["baseline", "discharge"];
    }
    let list: Vec<String> = order.iter().map(|t| format!("\"{t}\"")).collect();
    let _ = writeln!(out, "[timepoints]\norder = [{}]", list.join(", "));
    for u in unknown {
        let _ = writeln!(
            out,
            "# TODO: timepoint label \"{}\" was not recognised; add it to [labels.timepoint]",
            escape(u)
        );
    }
    out.push('\n');
}

pub(super) fn write_measures(
    out: &mut String,
    found: &BTreeMap<String, BTreeSet<String>>,
    unknown: &BTreeSet<String>,
    notes: &mut Vec<String>,
) {
    out.push_str("# Measures: built-in ids (see the README), or custom ones with label, min, max,\n# integer and better = \"higher\" | \"lower\".\n");
    if found.is_empty() {
        out.push_str("# TODO: no measure was recognised; name the measures used.\n[[measures]]\nid = \"swemwbs\"\n\n");
        notes
            .push("no outcome measure recognised: the draft lists swemwbs as a placeholder".into());
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

pub(super) fn write_labels(
    out: &mut String,
    unknown: &BTreeMap<Vocabulary, BTreeSet<String>>,
    measures: &BTreeMap<String, BTreeSet<String>>,
    timepoints: &BTreeMap<String, BTreeSet<String>>,
) {
    let list = |set: &BTreeSet<String>| {
        set.iter()
            .map(|v| format!("\"{}\"", escape(v)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !timepoints.is_empty() {
        out.push_str("[labels.timepoint]\n");
        for (tp, labels) in timepoints {
            let _ = writeln!(out, "{tp} = [{}]", list(labels));
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
        let ids: Vec<&str> = vocab.terms().iter().map(|t| t.id).collect();
        let _ = writeln!(
            out,
            "# TODO: labels sprout does not know for {}; map each to one of: {}",
            vocab.name(),
            ids.join(", ")
        );
        let _ = writeln!(out, "# [labels.{}]", vocab.name());
        for v in values {
            let _ = writeln!(out, "# <value> = [\"{}\"]", escape(v));
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

/// `path` relative to `base` when it lies inside it, else as given.
fn pathdiff(path: &Path, base: &Path) -> String {
    let abs = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (p, b) = (abs(path), abs(base));
    p.strip_prefix(&b)
        .map_or_else(|_| p.display().to_string(), |r| r.display().to_string())
}
