//! The trustee and commissioner reports of the sample under the `nhs` policy publish no
//! count of 1 to 7, no count that is not a multiple of 5, and no hidden cell that could be
//! worked back from the totals shown: every table (`tables/*.csv`), the data of every chart
//! (SVG text and `report.json`) and the report text (`report.json` strings, HTML text).
#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use regex::Regex;
use serde_json::Value;

/// The published audiences, written once for every test of this file.
fn published() -> &'static [(String, PathBuf)] {
    static DIRS: OnceLock<Vec<(String, PathBuf)>> = OnceLock::new();
    DIRS.get_or_init(|| {
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("disclosure_scan");
        let _ = std::fs::remove_dir_all(&out);
        let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/programme.toml");
        let period = common::report_into(
            &config,
            &out,
            &[
                "--audience",
                "trustee,commissioner",
                "--format",
                "json,csv,html",
            ],
        );
        ["trustee", "commissioner"]
            .iter()
            .map(|a| ((*a).to_owned(), period.join(a)))
            .collect()
    })
}

/// A count that may be published under `nhs`: zero, or a multiple of 5 from 10 up.
fn publishable(n: u64) -> bool {
    n == 0 || (n >= 8 && n.is_multiple_of(5))
}

fn number(cell: &str) -> Option<u64> {
    cell.trim().replace(',', "").parse().ok()
}

/// A cell of a count column: `*`, empty, or a publishable count.
fn check_cell(file: &str, row: usize, column: &str, cell: &str, leaks: &mut Vec<String>) {
    let cell = cell.trim();
    if cell.is_empty() || cell == "*" {
        return;
    }
    match number(cell) {
        Some(n) if publishable(n) => {}
        Some(n) => leaks.push(format!("{file} row {row} {column}: count {n}")),
        None => leaks.push(format!("{file} row {row} {column}: not a count: {cell:?}")),
    }
}

/// Which columns of each table hold counts, and of which rows. Every table must be listed,
/// so that a new one is classified before it is published.
fn count_columns(table: &str, header: &[String], row: &[String]) -> Option<Vec<usize>> {
    let named = |names: &[&str]| -> Vec<usize> {
        header
            .iter()
            .enumerate()
            .filter(|(_, h)| names.contains(&h.as_str()))
            .map(|(i, _)| i)
            .collect()
    };
    let first = row.first().map_or("", String::as_str);
    Some(match table {
        "attrition" => named(&["completers_n", "baseline_only_n"]),
        "change_distribution" => named(&["people"]),
        "cohorts" | "methods_tests" | "outcomes" | "sensitivity" | "trajectories" => named(&["n"]),
        // Every column but the first (contact mode) is a number of sessions.
        "contact_modes" => (1..header.len()).collect(),
        "data_quality_summary" => named(&["findings", "rows_excluded", "values_ignored"]),
        "engagement" => {
            // Rows of percentages, medians and hours are not counts.
            let not_counts = ["(%)", "median", "hours"];
            if not_counts.iter().any(|w| first.contains(w)) {
                vec![]
            } else {
                named(&["period", "cumulative"])
            }
        }
        "engagement_by_phase" => named(&["clients", "sessions_attended"]),
        "flow" => named(&["period", "cumulative"]),
        "medication" => {
            let mut c = named(&["n"]);
            // The opioid changes give a count under `after` and a percent under `change`.
            if first.contains("(of those on opioids)") {
                c.extend(named(&["after"]));
            }
            c
        }
        "reach" => named(&["people", "of_known", "not_known"]),
        "support_types" => named(&["sessions"]),
        "trend" => named(&[
            "referred",
            "started",
            "sessions_attended",
            "discharged",
            "pairs",
        ]),
        // Test statistics only.
        "cohort_tests" => vec![],
        t if t.starts_with("people_") || t == "discharge_reasons" => {
            named(&["period", "cumulative"])
        }
        _ => return None,
    })
}

fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header = r.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = r
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

/// Where a table shows a total, a line (row or column) with exactly one hidden cell would
/// give that cell away by subtraction.
fn check_recoverable(file: &str, header: &[String], rows: &[Vec<String>], counts: &[Vec<usize>]) {
    let mut leaks = Vec::new();
    let total_row = rows
        .iter()
        .position(|r| r.first().is_some_and(|c| c.eq_ignore_ascii_case("total")));
    if let Some(t) = total_row {
        let columns: std::collections::BTreeSet<usize> = counts[t].iter().copied().collect();
        for c in columns {
            let hidden = (0..rows.len())
                .filter(|r| *r != t && rows[*r].get(c).is_some_and(|x| x == "*"))
                .count();
            if hidden == 1 && rows[t].get(c).is_some_and(|x| x != "*") {
                leaks.push(format!(
                    "{file} column {}: one hidden cell and a total",
                    header[c]
                ));
            }
        }
    }
    // A total column (contact modes), or the findings of a data-quality code, which are
    // its rows excluded and values ignored.
    let total_column = header
        .iter()
        .position(|h| h.eq_ignore_ascii_case("total"))
        .map(|t| (t, (1..t).collect::<Vec<_>>()))
        .or_else(|| {
            let at = |n: &str| header.iter().position(|h| h == n);
            Some((
                at("findings")?,
                vec![at("rows_excluded")?, at("values_ignored")?],
            ))
        });
    if let Some((t, parts)) = total_column {
        for (i, r) in rows.iter().enumerate() {
            let hidden = parts.iter().filter(|c| r[**c] == "*").count();
            if hidden == 1 && r[t] != "*" {
                leaks.push(format!("{file} row {i}: one hidden cell and a total"));
            }
        }
    }
    assert!(leaks.is_empty(), "recoverable cells:\n{}", leaks.join("\n"));
}

#[test]
fn tables_publish_no_small_or_unrounded_counts() {
    let mut leaks = Vec::new();
    for (audience, dir) in published() {
        let mut tables: Vec<PathBuf> = std::fs::read_dir(dir.join("tables"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        tables.sort();
        assert!(tables.len() > 10, "{audience}: {tables:?}");
        for path in tables {
            let table = path.file_stem().unwrap().to_string_lossy().into_owned();
            let file = format!("{audience}/{table}.csv");
            let (header, rows) = read_csv(&path);
            let mut counts = Vec::new();
            for (i, row) in rows.iter().enumerate() {
                let Some(columns) = count_columns(&table, &header, row) else {
                    panic!("{file}: which of its columns are counts? {header:?}");
                };
                for &c in &columns {
                    check_cell(&file, i, &header[c], &row[c], &mut leaks);
                }
                counts.push(columns);
            }
            check_recoverable(&file, &header, &rows, &counts);
        }
    }
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));
}

/// Integer fields of `report.json` that are counts, beside the [`Count`]-shaped objects
/// (`{"value": n, "shown": ...}`) every other count of the model is.
const PLAIN_COUNTS: &[&str] = &[
    "count",
    "rows_excluded",
    "values_ignored",
    "total_findings",
    "rows_read",
    "rows_used",
    "canonical_rows",
    "rows",
    "blank_rows",
];

/// Integer fields that are not counts of people or records: the policy itself, settings
/// from the config, and the number of columns an export has that the config leaves
/// unmapped. Every float is a statistic (mean, interval, p, proportion, pounds, hours).
const NOT_COUNTS: &[&str] = &[
    "hidden_below",
    "rounded_to",
    "threshold",
    "min_n",
    "offset_days",
    "rank_rounding_decimals",
    "unmapped_columns",
];

fn is_count_object(o: &serde_json::Map<String, Value>) -> bool {
    o.contains_key("value") && o.keys().all(|k| k == "value" || k == "shown")
}

fn is_hidden(v: &Value) -> bool {
    v.get("shown").and_then(Value::as_str) == Some("suppressed")
}

fn walk(path: &str, v: &Value, leaks: &mut Vec<String>, texts: &mut Vec<(String, String)>) {
    match v {
        Value::Object(o) if is_count_object(o) => match &o["value"] {
            Value::Null => {}
            Value::Number(n) => match n.as_u64() {
                Some(n) if publishable(n) => {}
                _ => leaks.push(format!("{path}: count {n}")),
            },
            other => leaks.push(format!("{path}: count {other}")),
        },
        Value::Object(o) => {
            // A breakdown: parts adding up to a total.
            if let (Some(Value::Array(parts)), Some(total)) = (o.get("parts"), o.get("total")) {
                let hidden = parts
                    .iter()
                    .filter(|p| p.get("count").is_some_and(is_hidden))
                    .count();
                if hidden == 1 && !is_hidden(total) {
                    leaks.push(format!("{path}: one hidden part and a total"));
                }
            }
            // A cross-tabulation: rows and columns with their totals.
            if let (Some(Value::Array(cells)), Some(Value::Array(row_totals))) =
                (o.get("cells"), o.get("row_totals"))
            {
                for (r, row) in cells.iter().enumerate() {
                    let row = row.as_array().unwrap();
                    let hidden = row.iter().filter(|c| is_hidden(c)).count();
                    if hidden == 1 && !is_hidden(&row_totals[r]) {
                        leaks.push(format!("{path} row {r}: one hidden cell and a total"));
                    }
                }
                let column_totals = o["column_totals"].as_array().unwrap();
                for (c, total) in column_totals.iter().enumerate() {
                    let hidden = cells.iter().filter(|row| is_hidden(&row[c])).count();
                    if hidden == 1 && !is_hidden(total) {
                        leaks.push(format!("{path} column {c}: one hidden cell and a total"));
                    }
                }
            }
            for (k, x) in o {
                let at = format!("{path}.{k}");
                if let Value::Number(n) = x
                    && (n.is_u64() || n.is_i64())
                {
                    if PLAIN_COUNTS.contains(&k.as_str()) {
                        if !n.as_u64().is_some_and(publishable) {
                            leaks.push(format!("{at}: count {n}"));
                        }
                    } else if !NOT_COUNTS.contains(&k.as_str()) {
                        leaks.push(format!("{at}: is the integer {n} a count? classify it"));
                    }
                }
                walk(&at, x, leaks, texts);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                walk(&format!("{path}[{i}]"), x, leaks, texts);
            }
        }
        Value::String(s) => texts.push((path.to_owned(), s.clone())),
        _ => {}
    }
}

/// Counts written into sentences: "n = 65", "65 people".
/// Thresholds ("fewer than 8 people", "counts of 1 to 7") and proportions ("7 in 10
/// people") are not counts.
fn counts_in_text(text: &str) -> Vec<u64> {
    static PATTERNS: OnceLock<Vec<Regex>> = OnceLock::new();
    let patterns = PATTERNS.get_or_init(|| {
        [
            r"\bn = (\d[\d,]*)",
            r"(?:^|[^\w,.])(\d[\d,]*) (?:people|clients|referrals|sessions|pairs|findings|rows|cohorts)\b",
        ]
        .iter()
        .map(|p| Regex::new(p).unwrap())
        .collect()
    });
    let exempt = Regex::new(r"\b(?:than|in|to|under|least|most) $").unwrap();
    let mut out = Vec::new();
    for p in patterns {
        for c in p.captures_iter(text) {
            let m = c.get(1).unwrap();
            if exempt.is_match(&text[..m.start()]) {
                continue;
            }
            if let Some(n) = number(m.as_str()) {
                out.push(n);
            }
        }
    }
    out
}

#[test]
fn report_json_publishes_no_small_or_unrounded_counts() {
    let mut leaks = Vec::new();
    for (audience, dir) in published() {
        let json: Value =
            serde_json::from_slice(&std::fs::read(dir.join("report.json")).unwrap()).unwrap();
        let mut texts = Vec::new();
        walk(audience, &json, &mut leaks, &mut texts);
        for (path, text) in texts {
            for n in counts_in_text(&text) {
                if !publishable(n) {
                    leaks.push(format!("{path}: {n} in {text:?}"));
                }
            }
        }
    }
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));
}

/// The text a reader sees in an HTML or SVG file, tags removed.
fn visible_text(markup: &str) -> String {
    let no_style = Regex::new(r"(?s)<style.*?</style>|<script.*?</script>").unwrap();
    let tags = Regex::new(r"(?s)<[^>]*>").unwrap();
    let unstyled = no_style.replace_all(markup, " ");
    let text = tags.replace_all(&unstyled, " ");
    let text = text
        .replace("&nbsp;", " ")
        .replace("&#160;", " ")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
    Regex::new(r"\s+")
        .unwrap()
        .replace_all(&text, " ")
        .into_owned()
}

#[test]
fn html_text_and_charts_publish_no_small_or_unrounded_counts() {
    let mut leaks = Vec::new();
    let listed = Regex::new(r": (\d[\d,]*)(?:;|\.|$)").unwrap();
    for (audience, dir) in published() {
        let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
        let text = visible_text(&html);
        for n in counts_in_text(&text) {
            if !publishable(n) {
                leaks.push(format!("{audience}/report.html: {n}"));
            }
        }
        let mut charts: Vec<PathBuf> = std::fs::read_dir(dir.join("charts"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        charts.sort();
        assert!(!charts.is_empty(), "{audience} has charts");
        for chart in charts {
            let name = format!(
                "{audience}/{}",
                chart.file_name().unwrap().to_string_lossy()
            );
            let svg = std::fs::read_to_string(&chart).unwrap();
            let doc = roxmltree::Document::parse(&svg).unwrap();
            let nodes: Vec<String> = doc
                .descendants()
                .filter(|n| n.is_text())
                .filter_map(|n| n.text())
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty())
                .collect();
            let mut found: Vec<u64> = nodes.iter().flat_map(|t| counts_in_text(t)).collect();
            if name.ends_with("/flow.svg") {
                // The flow chart's bars are labelled with their counts, and its text
                // alternative lists them: "Referred: 115; ...".
                found.extend(nodes.iter().filter_map(|t| number(t)));
                for t in &nodes {
                    found.extend(listed.captures_iter(t).filter_map(|c| number(&c[1])));
                }
            }
            for n in found {
                if !publishable(n) {
                    leaks.push(format!("{name}: {n}"));
                }
            }
        }
    }
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));
}

#[test]
fn the_scan_sees_what_it_looks_for() {
    assert_eq!(
        counts_in_text("All people (n = 65): 18.9 to 20.0"),
        vec![65]
    );
    assert_eq!(counts_in_text("Among 3 people with"), vec![3]);
    assert!(counts_in_text("the mean of the 4 severity items").is_empty());
    assert!(counts_in_text("fewer than 8 people are shown; 7 in 10 people").is_empty());
    assert!(counts_in_text("counts of 1 to 7 people").is_empty());
    assert!(publishable(0) && publishable(10) && !publishable(5) && !publishable(12));
}
