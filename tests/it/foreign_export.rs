//! The foreign-export fixture (`tests/fixtures/foreign`): the exports of a case-management
//! system unlike the other fixtures' (an XLSX participant list, a semicolon-delimited
//! Windows-1252 session log, wide Parquet outcome files with item columns, other headers,
//! labels and date formats), with planted bad rows. `check.R` computed the evaluator
//! figures independently in R and kept them in `expected.json`; the real binary reports on
//! the fixture and each figure of `evaluator/report.json` must match R's. `sprout validate`
//! must report exactly the planted faults, each at its file and line.
#![allow(clippy::unwrap_used)]

use crate::fixture;

use fixture::{Finding, Fixture};

/// The least number of figures the comparison must cover.
const MIN_FIGURES: usize = 1000;

const FIXTURE: Fixture = Fixture("foreign");

#[test]
fn every_evaluator_figure_matches_r() {
    let report = FIXTURE.evaluator_report();
    fixture::assert_match(
        &FIXTURE.expected(),
        &report,
        MIN_FIGURES,
        &FIXTURE.expected_path(),
    );
}

/// Runs `sprout validate` on the fixture (exit 0 without `--strict`) and reads its
/// data-quality.csv.
fn validate_findings() -> Vec<Finding> {
    let (findings, stdout) = FIXTURE.findings(&FIXTURE.config());
    // The session log is Windows-1252 and says so.
    assert!(
        stdout.contains("sessions.csv: not valid UTF-8; read as Windows-1252"),
        "{stdout}"
    );
    findings
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
    let run = FIXTURE.sprout(&FIXTURE.config(), &["validate", "--strict"], out.path());
    assert_eq!(run.status.code(), Some(1));
}
