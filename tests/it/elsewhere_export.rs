//! The elsewhere fixture (`tests/fixtures/elsewhere`): the exports of a pain-pathway
//! case-management system unlike the other fixtures' (a tab-delimited referral list with
//! age groups and NHS ethnic category codes, one pipe-delimited contact log per quarter,
//! long outcome scores with d/m/yy dates, an XLSX medication review without timepoints),
//! with planted bad rows. It checks what the other fixtures check least: sessions and
//! engagement, phases derived from dates, pain medication (oral morphine equivalents),
//! flow and who was supported. `check.R` computed the evaluator figures independently in
//! R and kept them in `expected.json`; the real binary reports on the fixture and each
//! figure of `evaluator/report.json` must match R's. `sprout validate` must report exactly
//! the planted faults, each at its file and line. The last tests change one thing in a
//! copy of the exports (a title above a header, 12-hour times, census wording) that the
//! README says sprout reads.
#![allow(clippy::unwrap_used)]

use crate::fixture;

use fixture::{Finding, Fixture};

use std::path::Path;

/// The least number of figures the comparison must cover.
const MIN_FIGURES: usize = 2000;

const FIXTURE: Fixture = Fixture("elsewhere");

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

/// Runs `sprout validate` with a config (exit 0 without `--strict`) and reads its
/// data-quality.csv.
fn findings_of(config: &Path) -> Vec<Finding> {
    FIXTURE.findings(config).0
}

fn validate_findings() -> Vec<Finding> {
    findings_of(&FIXTURE.config())
}

const EXCLUDED: &str = "row excluded";
const IGNORED: &str = "value ignored";
const REFERRALS: (&str, &str) = ("referrals_export.txt", "");
const CONTACTS_Q2: (&str, &str) = ("contacts_2025-26_Q2.csv", "");
const CONTACTS_Q3: (&str, &str) = ("contacts_2025-26_Q3.csv", "");
const SCORES: (&str, &str) = ("outcome_scores.csv", "");
const MEDICATION: (&str, &str) = ("medication_reviews.xlsx", "Medication review");

/// The faults make_exports.py planted (README.md): table, (file, sheet), line (the
/// physical line of a text export, the header being line 1; Excel's row number in the
/// workbook, whose header is row 3 under a title), column, value, code, action. A client
/// identifier is always withheld; `*`: the value is checked by its own test.
#[allow(clippy::type_complexity)]
const PLANTED: &[(&str, (&str, &str), u64, &str, &str, &str, &str)] = &[
    // A surgery date typed as "TBC": no surgery date, so waiting well runs to discharge.
    (
        "referrals",
        REFERRALS,
        8,
        "Date of surgery",
        "TBC",
        "unparseable_date",
        IGNORED,
    ),
    // An IMD decile of 11.
    (
        "referrals",
        REFERRALS,
        39,
        "IMD decile",
        "11",
        "out_of_range",
        IGNORED,
    ),
    // "WW-1O10": a letter O typed for a zero.
    (
        "sessions",
        CONTACTS_Q2,
        5,
        "Patient ID",
        "[withheld]",
        "unknown_client",
        EXCLUDED,
    ),
    // A contact dated five days before the client's referral.
    (
        "sessions",
        CONTACTS_Q2,
        86,
        "Contact Date",
        "2025-08-17 10:00:00",
        "session_before_referral",
        EXCLUDED,
    ),
    // The same contact exported twice: counted once.
    (
        "sessions",
        CONTACTS_Q2,
        158,
        "Patient ID",
        "[withheld]",
        "duplicate_row",
        EXCLUDED,
    ),
    // A duration typed as words: the contact counts, its minutes do not.
    (
        "sessions",
        CONTACTS_Q3,
        7,
        "Duration",
        "[free text withheld]",
        "not_a_number",
        IGNORED,
    ),
    (
        "sessions",
        CONTACTS_Q3,
        190,
        "Contact date/time",
        "31/11/2025 13:15",
        "unparseable_date",
        EXCLUDED,
    ),
    // An outcome the label mapping does not know: counted as attended, as with no status.
    (
        "sessions",
        CONTACTS_Q3,
        193,
        "Outcome",
        "Left early",
        "unknown_label",
        IGNORED,
    ),
    // A follow-up point the programme does not configure.
    (
        "assessments",
        SCORES,
        184,
        "Stage",
        "3 month follow-up",
        "unknown_timepoint",
        EXCLUDED,
    ),
    // A drug the dictionary does not know: that baseline total is unknown.
    (
        "medications",
        MEDICATION,
        13,
        "Medicine",
        "Meptazinol 200mg",
        "unknown_drug",
        EXCLUDED,
    ),
    // A fentanyl patch recorded in mg: that baseline total is unknown.
    (
        "medications",
        MEDICATION,
        30,
        "Dose unit",
        "mg",
        "unit_mismatch",
        EXCLUDED,
    ),
    // A second baseline review six days after the first (two lines): the earliest is used.
    (
        "medications",
        MEDICATION,
        72,
        "Review date",
        "*",
        "duplicate_review",
        EXCLUDED,
    ),
    (
        "medications",
        MEDICATION,
        73,
        "Review date",
        "*",
        "duplicate_review",
        EXCLUDED,
    ),
    // A review three months after discharge, near no assessment.
    (
        "medications",
        MEDICATION,
        103,
        "Review date",
        "2025-12-22",
        "no_matching_timepoint",
        EXCLUDED,
    ),
    // A pharmacist's call nine days before the final review (two lines): the latest
    // review is used.
    (
        "medications",
        MEDICATION,
        106,
        "Review date",
        "*",
        "duplicate_review",
        EXCLUDED,
    ),
    (
        "medications",
        MEDICATION,
        107,
        "Review date",
        "*",
        "duplicate_review",
        EXCLUDED,
    ),
    // Pregabalin 3,000 mg a day: that discharge total is unknown.
    (
        "medications",
        MEDICATION,
        132,
        "Daily dose",
        "3000",
        "impossible_dose",
        EXCLUDED,
    ),
];

fn planted() -> Vec<Finding> {
    PLANTED
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
        .collect()
}

/// Asserts that `got` holds exactly the planted faults (`*` values taken from `got`).
fn assert_planted(mut got: Vec<Finding>) {
    let mut want = planted();
    for w in want.iter_mut().filter(|w| w.value == "*") {
        if let Some(g) = got
            .iter()
            .find(|g| (&g.file, g.line, &g.code) == (&w.file, w.line, &w.code))
        {
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

#[test]
fn validate_reports_exactly_the_planted_faults() {
    assert_planted(validate_findings());
}

#[test]
fn strict_validation_fails_on_the_planted_faults() {
    let out = tempfile::tempdir().unwrap();
    let run = FIXTURE.sprout(&FIXTURE.config(), &["validate", "--strict"], out.path());
    assert_eq!(run.status.code(), Some(1));
}

/// data-contract.md: a finding names "the value"; `Finding::value` is "the cell as read".
/// The workbook's typed review dates are read as ISO text (as `no_matching_timepoint`
/// shows them), so a repeated review is named by that text too.
#[test]
fn duplicate_reviews_quote_the_review_date_as_read() {
    let got = validate_findings();
    for (line, cell) in [
        (72, "2025-10-19"),
        (73, "2025-10-19"),
        (106, "2025-12-30"),
        (107, "2025-12-30"),
    ] {
        let f = got
            .iter()
            .find(|f| f.file == MEDICATION.0 && f.line == line)
            .expect("a duplicate_review finding");
        assert_eq!(
            (f.code.as_str(), f.value.as_str()),
            ("duplicate_review", cell),
            "{f:#?}"
        );
    }
}

/// A copy of the fixture's export files and config in a temporary folder.
fn copy_of_fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(FIXTURE.dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    dir
}

/// Rewrites one text file of a copy of the fixture.
fn edit(dir: &Path, file: &str, change: impl Fn(&str) -> String) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, change(&text)).unwrap();
}

/// README: "The header is the first row (of the first ten non-blank rows) that has every
/// required column, so report titles and export dates above the table are skipped", and
/// pipe delimiters are sniffed. One quarter's contact log with a title line above its
/// header must read as before (that file has no findings).
#[test]
fn a_title_above_a_pipe_delimited_header_is_skipped() {
    let dir = copy_of_fixture();
    edit(dir.path(), "contacts_2025-26_Q1.csv", |text| {
        let body = text.strip_prefix('\u{feff}').unwrap();
        format!("\u{feff}Contact log export: 2025/26 Q1 (Lantern Case Manager)\n{body}")
    });
    assert_planted(findings_of(&dir.path().join("programme.toml")));
}

/// "08/04/2026 10:15" as "08/04/2026 10:15 AM".
fn twelve_hour(text: &str) -> String {
    text.lines()
        .map(|line| {
            let mut cells: Vec<String> = line.split('|').map(str::to_owned).collect();
            if let Some((date, time)) = cells.get(1).and_then(|c| c.split_once(' '))
                && let Some((h, m)) = time.split_once(':')
                && let Ok(h) = h.parse::<u32>()
            {
                let (h12, half) = match h {
                    0 => (12, "AM"),
                    1..=11 => (h, "AM"),
                    12 => (12, "PM"),
                    _ => (h - 12, "PM"),
                };
                cells[1] = format!("{date} {h12}:{m} {half}");
            }
            cells.join("|") + "\n"
        })
        .collect()
}

/// README: "a trailing time of day is ignored". Exports written by spreadsheets on a
/// 12-hour clock end dates with "10:15 AM"; the latest quarter's contacts (all after the
/// period) written that way must read as before.
#[test]
fn a_twelve_hour_time_after_a_date_is_ignored() {
    assert_eq!(
        twelve_hour("P|07/04/2026 13:05|x\nP|07/04/2026 09:30|y\n"),
        "P|07/04/2026 1:05 PM|x\nP|07/04/2026 9:30 AM|y\n"
    );
    let dir = copy_of_fixture();
    edit(dir.path(), "contacts_2026-27_Q1.csv", twelve_hour);
    assert_planted(findings_of(&dir.path().join("programme.toml")));
}

/// data-contract.md: ethnicity uses the ONS 2021 groups, and common labels are built in.
/// The 2021 census wording of a category ("Asian, Asian British or Asian Welsh:
/// Pakistani") must be known without the mapping programme.toml adds for it.
#[test]
fn the_2021_census_wording_of_an_ethnic_group_is_built_in() {
    let dir = copy_of_fixture();
    edit(dir.path(), "programme.toml", |text| {
        let kept = text.replace(
            "asian_pakistani = [\"Asian, Asian British or Asian Welsh: Pakistani\"]\n",
            "",
        );
        assert_ne!(kept, text, "the mapping is in programme.toml");
        kept
    });
    assert_planted(findings_of(&dir.path().join("programme.toml")));
}
