//! The trustee and commissioner reports of the sample under the `nhs` policy publish no
//! count of 1 to 7, no count that is not a multiple of 5, and no hidden cell that could be
//! worked back from the totals shown: every table (`tables/*.csv`), the data of every chart
//! (SVG text and `report.json`) and the report text (`report.json` strings, HTML text).
#![allow(clippy::unwrap_used)]

use crate::attacker;
use crate::common;
use crate::fixture;

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

/// The hand-made fixture's published folders (41 clients: most counts small).
fn small_fixture() -> &'static [(String, PathBuf)] {
    static DIRS: OnceLock<Vec<(String, PathBuf)>> = OnceLock::new();
    DIRS.get_or_init(|| {
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("disclosure_scan_small");
        let _ = std::fs::remove_dir_all(&out);
        let f = fixture::Fixture("handmade");
        let period = f.expected()["period"].as_str().unwrap().to_owned();
        let run = f.sprout(
            &f.config(),
            &[
                "report",
                "--period",
                &period,
                "--audience",
                "trustee,commissioner",
                "--format",
                "json,csv,html",
            ],
            &out,
        );
        assert_eq!(run.status.code(), Some(0), "{run:?}");
        let folder = out.join(period.replace('/', "-"));
        ["trustee", "commissioner"]
            .iter()
            .map(|a| ((*a).to_owned(), folder.join(a)))
            .collect()
    })
}

fn attack(dirs: &[(String, PathBuf)]) -> Vec<attacker::Leak> {
    let folders: Vec<attacker::Folder> = dirs
        .iter()
        .map(|(a, d)| attacker::Folder::read(a, d))
        .collect();
    attacker::attack(&folders, attacker::Policy::NHS)
}

fn assert_no_leaks(leaks: &[attacker::Leak]) {
    assert!(
        leaks.is_empty(),
        "{} counts worked back:\n{}",
        leaks.len(),
        leaks
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_attacker_finds_what_it_looks_for() {
    attacker::checks::run();
}

#[test]
fn an_attacker_works_back_no_rounded_or_hidden_count_of_the_sample() {
    assert_no_leaks(&attack(published()));
}

#[test]
fn an_attacker_works_back_no_rounded_or_hidden_count_of_a_small_fixture() {
    assert_no_leaks(&attack(small_fixture()));
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
    if cell.is_empty() || cell == "[c]" {
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
        "cohorts"
        | "medication_by_cohort"
        | "methods_tests"
        | "outcomes"
        | "sensitivity"
        | "trajectories" => named(&["n"]),
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

/// Where a table shows a total, its rows or columns are lines a reader can work on: no
/// hidden or rounded count of them may come out exact.
fn check_recoverable(file: &str, header: &[String], rows: &[Vec<String>], counts: &[Vec<usize>]) {
    let p = attacker::Policy::NHS;
    let seen = |cell: &str| attacker::Seen::of_text(cell, p);
    let mut leaks = Vec::new();
    let total_row = rows
        .iter()
        .position(|r| r.first().is_some_and(|c| c.eq_ignore_ascii_case("total")));
    if let Some(t) = total_row {
        let columns: std::collections::BTreeSet<usize> = counts[t].iter().copied().collect();
        for c in columns {
            let line = attacker::Line {
                place: format!("{file} column {}", header[c]),
                cells: (0..rows.len())
                    .filter(|r| *r != t)
                    .map(|r| (seen(&rows[r][c]), None))
                    .collect(),
                total: seen(&rows[t][c]),
            };
            leaks.extend(attacker::line_leaks("", &line, p));
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
            let line = attacker::Line {
                place: format!("{file} row {i}"),
                cells: parts.iter().map(|c| (seen(&r[*c]), None)).collect(),
                total: seen(&r[t]),
            };
            leaks.extend(attacker::line_leaks("", &line, p));
        }
    }
    assert!(
        leaks.is_empty(),
        "recoverable cells:\n{}",
        leaks
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
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
    "figures_hidden_below",
    "rounded_to",
    "threshold",
    "min_n",
    "offset_days",
    "rank_rounding_decimals",
    "unmapped_columns",
    // How many recent quarters a mean change is the smallest or largest of.
    "quarters",
];

fn is_count_object(o: &serde_json::Map<String, Value>) -> bool {
    o.contains_key("value") && o.keys().all(|k| k == "value" || k == "shown")
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
            // Lines adding up to totals are the attacker's (an_attacker_works_back_...).
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

#[test]
fn an_attacker_works_back_nothing_in_earlier_and_thinner_quarters_of_the_sample() {
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/programme.toml");
    let mut leaks = Vec::new();
    for period in ["2024/25 Q3", "2025/26 Q1", "2026/27 Q1"] {
        let out = tempfile::tempdir().unwrap();
        common::report_into(
            &config,
            out.path(),
            &[
                "--period",
                period,
                "--audience",
                "trustee,commissioner",
                "--format",
                "json,csv",
            ],
        );
        let dir = out.path().join(period.replace(['/', ' '], "-"));
        let dirs: Vec<(String, PathBuf)> = ["trustee", "commissioner"]
            .iter()
            .map(|a| ((*a).to_owned(), dir.join(a)))
            .collect();
        leaks.extend(attack(&dirs).into_iter().map(|l| format!("{period}: {l}")));
    }
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));
}
