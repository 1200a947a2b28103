//! The foreign-export fixture (`tests/fixtures/foreign`): the exports of a case-management
//! system unlike the other fixtures' (an XLSX participant list, a semicolon-delimited
//! Windows-1252 session log, wide Parquet outcome files with item columns, other headers,
//! labels and date formats), with planted bad rows. `check.R` computed the evaluator
//! figures independently in R and kept them in `expected.json`; the real binary reports on
//! the fixture and each figure of `evaluator/report.json` must match R's. `sprout validate`
//! must report exactly the planted faults, each at its file and line.
#![allow(clippy::unwrap_used)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// Relative tolerance of numbers, and of p-values of at least `TINY_P`.
const REL: f64 = 1e-9;
/// Relative tolerance of p-values below `TINY_P` (R and sprout compute far tails
/// differently).
const REL_TINY_P: f64 = 1e-6;
const TINY_P: f64 = 1e-10;
/// Absolute tolerance near zero, where a relative one means nothing.
const ABS: f64 = 1e-12;
/// The least number of figures the comparison must cover.
const MIN_FIGURES: usize = 1000;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/foreign")
}

fn expected() -> Value {
    let text = std::fs::read_to_string(fixture().join("expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// `sprout <args> --config <fixture>/programme.toml`, run at check.R's run date.
fn sprout(args: &[&str], out: &Path, epoch: u64) -> std::process::Output {
    Command::cargo_bin("sprout")
        .unwrap()
        .env("SOURCE_DATE_EPOCH", epoch.to_string())
        .args(args)
        .arg("--config")
        .arg(fixture().join("programme.toml"))
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

fn epoch(expected: &Value) -> u64 {
    expected["source_date_epoch"].as_u64().unwrap()
}

/// Runs `sprout report` on the fixture as check.R assumes (period, run date) and returns
/// the evaluator's report.json.
fn evaluator_report(expected: &Value) -> Value {
    let out = tempfile::tempdir().unwrap();
    let period = expected["period"].as_str().unwrap();
    let run = sprout(&["report", "--period", period], out.path(), epoch(expected));
    assert_eq!(
        run.status.code(),
        Some(0),
        "sprout report failed:\n{}\n{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    let path = out.path().join("2026-27-Q1/evaluator/report.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A field value as the selectors of expected.json spell it.
fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Splits a path at the dots outside brackets.
fn segments(path: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut from) = (0usize, 0usize);
    for (i, ch) in path.char_indices() {
        match ch {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '.' if depth == 0 => {
                out.push(&path[from..i]);
                from = i + 1;
            }
            _ => {}
        }
    }
    out.push(&path[from..]);
    out
}

/// The value at a path such as `cohorts.period[dimension=local_authority,measure=wemwbs].n`:
/// `[i]` indexes an array, `[k=v,...]` picks the one element whose fields `k` read `v`.
/// `Ok(None)` when the last object key is absent (as serde skips empty options).
fn resolve<'a>(root: &'a Value, path: &str) -> Result<Option<&'a Value>, String> {
    let mut v = root;
    let parts = segments(path);
    for (n, seg) in parts.iter().enumerate() {
        let last = n + 1 == parts.len();
        let (name, mut rest) = seg.split_at(seg.find('[').unwrap_or(seg.len()));
        if !name.is_empty() {
            match v.get(name) {
                Some(next) => v = next,
                None if last && v.is_object() => return Ok(None),
                None => return Err(format!("no field `{name}` at `{seg}`")),
            }
        }
        while let Some(open) = rest.strip_prefix('[') {
            let close = open
                .find(']')
                .ok_or_else(|| format!("unclosed `[` in `{seg}`"))?;
            let selector = &open[..close];
            rest = &open[close + 1..];
            let items = v
                .as_array()
                .ok_or_else(|| format!("`{seg}` selects in something that is not an array"))?;
            v = if let Ok(i) = selector.parse::<usize>() {
                items
                    .get(i)
                    .ok_or_else(|| format!("index {i} out of range ({}) at `{seg}`", items.len()))?
            } else {
                let conditions: Vec<(&str, &str)> = selector
                    .split(',')
                    .map(|c| c.split_once('=').unwrap_or((c, "")))
                    .collect();
                let hits: Vec<&Value> = items
                    .iter()
                    .filter(|item| {
                        conditions
                            .iter()
                            .all(|(k, want)| item.get(k).and_then(as_text).as_deref() == Some(want))
                    })
                    .collect();
                match hits.as_slice() {
                    [one] => one,
                    _ => return Err(format!("{} elements match `[{selector}]`", hits.len())),
                }
            };
        }
    }
    Ok(Some(v))
}

fn close(got: f64, want: f64, kind: &str) -> bool {
    let rel = if kind == "p" && want.abs() < TINY_P {
        REL_TINY_P
    } else {
        REL
    };
    let diff = (got - want).abs();
    diff <= ABS || diff <= rel * got.abs().max(want.abs())
}

/// Why one figure does not match, or `None` when it does.
fn mismatch(report: &Value, figure: &Value) -> Option<String> {
    let path = figure["path"].as_str().unwrap();
    let kind = figure["kind"].as_str().unwrap();
    let want = &figure["value"];
    let got = match resolve(report, path) {
        Ok(v) => v,
        Err(e) => return Some(format!("{path}: R {want} ({kind}), sprout: {e}")),
    };
    let ok = match (kind, got) {
        ("null", None) => true,
        ("null", Some(v)) => v.is_null(),
        (_, None) => false,
        ("count", Some(v)) => v.as_u64().is_some() && v.as_u64() == want.as_u64(),
        ("len", Some(v)) => v.as_array().map(|a| a.len() as u64) == want.as_u64(),
        ("bool" | "str", Some(v)) => v == want,
        ("num" | "p", Some(v)) => match (v.as_f64(), want.as_f64()) {
            (Some(g), Some(w)) => close(g, w, kind),
            _ => false,
        },
        (other, _) => panic!("unknown kind `{other}` in expected.json at {path}"),
    };
    if ok {
        return None;
    }
    let shown = match (kind, got) {
        (_, None) => "absent".to_owned(),
        ("len", Some(Value::Array(a))) => format!("length {}", a.len()),
        (_, Some(v)) => v.to_string(),
    };
    let rel = match (got.and_then(Value::as_f64), want.as_f64()) {
        (Some(g), Some(w)) if kind == "num" || kind == "p" => {
            format!(
                " (relative difference {:.2e})",
                (g - w).abs() / w.abs().max(g.abs())
            )
        }
        _ => String::new(),
    };
    Some(format!("{path}: R {want} ({kind}), sprout {shown}{rel}"))
}

#[test]
fn every_evaluator_figure_matches_r() {
    let expected = expected();
    assert!(
        expected["r_version"]
            .as_str()
            .is_some_and(|v| v.starts_with("R version")),
        "expected.json must record the R version that made it"
    );
    let figures = expected["figures"].as_array().unwrap();
    assert_eq!(
        figures.len() as u64,
        expected["figure_count"].as_u64().unwrap()
    );
    assert!(
        figures.len() >= MIN_FIGURES,
        "only {} figures compared",
        figures.len()
    );
    let report = evaluator_report(&expected);
    let failures: Vec<String> = figures
        .iter()
        .filter_map(|f| mismatch(&report, f))
        .collect();
    if !failures.is_empty() {
        let mut message = format!(
            "{} of {} figures differ from R (tests/fixtures/foreign/expected.json):\n",
            failures.len(),
            figures.len()
        );
        for f in &failures {
            writeln!(message, "  {f}").unwrap();
        }
        panic!("{message}");
    }
}

/// One row of data-quality.csv.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Finding {
    table: String,
    file: String,
    sheet: String,
    line: u64,
    column: String,
    value: String,
    code: String,
    action: String,
}

/// Runs `sprout validate` on the fixture (exit 0 without `--strict`) and reads its
/// data-quality.csv.
fn validate_findings() -> Vec<Finding> {
    let out = tempfile::tempdir().unwrap();
    let run = sprout(&["validate"], out.path(), epoch(&expected()));
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert_eq!(
        run.status.code(),
        Some(0),
        "sprout validate failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    // The session log is Windows-1252 and says so.
    assert!(
        stdout.contains("sessions.csv: not valid UTF-8; read as Windows-1252"),
        "{stdout}"
    );
    let mut reader = csv::Reader::from_path(out.path().join("data-quality.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        [
            "table", "file", "sheet", "line", "column", "value", "code", "action", "reason"
        ]
    );
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            Finding {
                table: r[0].to_owned(),
                file: r[1].to_owned(),
                sheet: r[2].to_owned(),
                line: r[3].parse().unwrap(),
                column: r[4].to_owned(),
                value: r[5].to_owned(),
                code: r[6].to_owned(),
                action: r[7].to_owned(),
            }
        })
        .collect()
}

const EXCLUDED: &str = "row excluded";
const IGNORED: &str = "value ignored";
const XLSX: (&str, &str) = ("referrals.xlsx", "Participants");
const SESSIONS: (&str, &str) = ("sessions.csv", "");
const OUTCOMES_2025: (&str, &str) = ("outcomes_2025-26.parquet", "");
const OUTCOMES_2026: (&str, &str) = ("outcomes_2026-27.parquet", "");

/// The faults make_exports.py planted (README.md): table, (file, sheet), line (the
/// physical line of a CSV, Excel's row number in a sheet, the data row of a Parquet file,
/// counted from 1), column, value, code, action. A client identifier is always withheld.
#[allow(clippy::type_complexity)]
const PLANTED: &[(&str, (&str, &str), u64, &str, &str, &str, &str)] = &[
    // "TBC" typed in the closure date: the participant is still in support.
    (
        "referrals",
        XLSX,
        22,
        "Closure Date",
        "TBC",
        "unparseable_date",
        IGNORED,
    ),
    // A re-referral exported as a second row for the same participant.
    (
        "referrals",
        XLSX,
        74,
        "Participant ID",
        "[withheld]",
        "duplicate_client",
        EXCLUDED,
    ),
    // "BCN1O245": a letter O typed for a zero. The session log has Windows (CRLF) line
    // endings; the lines are those any editor shows.
    (
        "sessions",
        SESSIONS,
        42,
        "Participant ID",
        "[withheld]",
        "unknown_client",
        EXCLUDED,
    ),
    (
        "sessions",
        SESSIONS,
        478,
        "Appointment Date",
        "31.04.2026",
        "unparseable_date",
        EXCLUDED,
    ),
    // "BCN10-235": a mistyped identifier.
    (
        "assessments",
        OUTCOMES_2025,
        1,
        "Participant ID",
        "[withheld]",
        "unknown_client",
        EXCLUDED,
    ),
    (
        "assessments",
        OUTCOMES_2025,
        42,
        "Date Completed",
        "31 Sep 2025",
        "unparseable_date",
        EXCLUDED,
    ),
    // A timepoint the programme does not configure.
    (
        "assessments",
        OUTCOMES_2025,
        58,
        "Assessment Point",
        "3 month follow-up",
        "unknown_timepoint",
        EXCLUDED,
    ),
    // A second intake row eight days after the first: every measure on it is a duplicate.
    // Totals scored from items are named by their item columns.
    (
        "assessments",
        OUTCOMES_2025,
        84,
        "WEMWBS Q1 to WEMWBS Q14",
        "51",
        "duplicate_assessment",
        IGNORED,
    ),
    (
        "assessments",
        OUTCOMES_2025,
        84,
        "UCLA Q1 Companionship to UCLA Q3 Isolated",
        "9",
        "duplicate_assessment",
        IGNORED,
    ),
    (
        "assessments",
        OUTCOMES_2025,
        84,
        "ONS Life satisfied",
        "4",
        "duplicate_assessment",
        IGNORED,
    ),
    (
        "assessments",
        OUTCOMES_2025,
        84,
        "ONS Worthwhile",
        "4",
        "duplicate_assessment",
        IGNORED,
    ),
    (
        "assessments",
        OUTCOMES_2025,
        84,
        "ONS Happy yesterday",
        "2",
        "duplicate_assessment",
        IGNORED,
    ),
    (
        "assessments",
        OUTCOMES_2025,
        84,
        "ONS Anxious yesterday",
        "7",
        "duplicate_assessment",
        IGNORED,
    ),
    // WEMWBS item 7 answered 6 on a 1-5 scale (README: code `item_out_of_range`); the
    // column and value are checked by `item_out_of_range_names_the_item_column_and_value`.
    (
        "assessments",
        OUTCOMES_2025,
        98,
        "*",
        "*",
        "item_out_of_range",
        IGNORED,
    ),
    // One of the three UCLA items left blank: no total.
    (
        "assessments",
        OUTCOMES_2026,
        24,
        "UCLA Q1 Companionship to UCLA Q3 Isolated",
        "",
        "unscorable_total",
        IGNORED,
    ),
    // ONS happiness typed as 11 on a 0-10 scale (a floating-point column).
    (
        "assessments",
        OUTCOMES_2026,
        29,
        "ONS Happy yesterday",
        "11.0",
        "out_of_range",
        IGNORED,
    ),
];

#[test]
fn validate_reports_exactly_the_planted_faults() {
    let mut got = validate_findings();
    let mut want: Vec<Finding> = PLANTED
        .iter()
        .map(
            |&(table, (file, sheet), line, column, value, code, action)| Finding {
                table: table.into(),
                file: file.into(),
                sheet: sheet.into(),
                line,
                column: column.into(),
                value: value.into(),
                code: code.into(),
                action: action.into(),
            },
        )
        .collect();
    // "*": column and value not checked here.
    for w in want.iter_mut().filter(|w| w.column == "*") {
        if let Some(g) = got
            .iter()
            .find(|g| (&g.file, g.line) == (&w.file, w.line) && g.action == w.action)
        {
            w.column.clone_from(&g.column);
            w.value.clone_from(&g.value);
        }
    }
    got.sort();
    want.sort();
    let missing: Vec<&Finding> = want.iter().filter(|w| !got.contains(w)).collect();
    let unexpected: Vec<&Finding> = got.iter().filter(|g| !want.contains(g)).collect();
    assert!(
        missing.is_empty() && unexpected.is_empty(),
        "data-quality.csv differs from the planted faults\n  missing: {missing:#?}\n  unexpected: {unexpected:#?}"
    );
}

/// data-contract.md: every doubtful row is reported with its column and value. An item
/// answer outside its scale is in one item column.
#[test]
fn item_out_of_range_names_the_item_column_and_value() {
    let got = validate_findings();
    let f = got
        .iter()
        .find(|f| f.file == OUTCOMES_2025.0 && f.line == 98)
        .expect("a finding on the row with WEMWBS item 7 = 6");
    assert_eq!(
        (f.code.as_str(), f.column.as_str(), f.value.as_str()),
        ("item_out_of_range", "WEMWBS Q7", "6"),
        "{f:#?}"
    );
}

#[test]
fn strict_validation_fails_on_the_planted_faults() {
    let out = tempfile::tempdir().unwrap();
    let run = sprout(&["validate", "--strict"], out.path(), epoch(&expected()));
    assert_eq!(run.status.code(), Some(1));
}

#[test]
fn path_resolution_is_strict() {
    let v: Value = serde_json::json!({
        "a": [{"k": "x", "n": {"value": 1}}, {"k": "y", "flag": true, "n": {"value": 2}}],
        "b": {"c": null}
    });
    assert_eq!(
        resolve(&v, "a[k=y].n.value").unwrap(),
        Some(&Value::from(2))
    );
    assert_eq!(resolve(&v, "a[0].k").unwrap(), Some(&Value::from("x")));
    assert_eq!(
        resolve(&v, "a[flag=true,k=y].n.value").unwrap(),
        Some(&Value::from(2))
    );
    assert_eq!(resolve(&v, "b.c").unwrap(), Some(&Value::Null));
    assert_eq!(resolve(&v, "b.missing").unwrap(), None);
    assert!(resolve(&v, "a[k=z].n").is_err());
    assert!(resolve(&v, "a[5]").is_err());
    assert!(resolve(&v, "x.y").is_err());
    let fig = |kind: &str, value: Value| serde_json::json!({"path": "a[k=x].n.value", "kind": kind, "value": value});
    assert!(mismatch(&v, &fig("count", Value::from(1))).is_none());
    assert!(mismatch(&v, &fig("count", Value::from(2))).is_some());
    assert!(mismatch(&v, &fig("num", Value::from(1.0 + 1e-10))).is_none());
    assert!(mismatch(&v, &fig("num", Value::from(1.0 + 1e-8))).is_some());
    assert!(mismatch(&v, &fig("null", Value::Null)).is_some());
}
