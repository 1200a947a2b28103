//! The clinical-system fixture (`tests/fixtures/clinical`): a Primary Care Network's coded
//! entries (referrals, discharges, consultations, did-not-attend entries and scores in one
//! file with other services' entries, newest first, under search-report title lines) and
//! its patient list. `check.R` built the episodes and computed the evaluator figures in R
//! from the two CSV files alone (`expected.json`); the real binary reports on the fixture
//! and each figure of `evaluator/report.json` must match R's. `sprout validate` must report
//! exactly the findings `check.R` listed (`expected_counts.json`), each at its line, and
//! count the rows of other codes without making them findings.
#![allow(clippy::unwrap_used)]

use crate::fixture;

use fixture::Fixture;
use serde_json::Value;

/// The least number of figures the comparison must cover.
const MIN_FIGURES: usize = 800;

const FIXTURE: Fixture = Fixture("clinical");

/// check.R's names for the findings, and sprout's codes.
const CODES: &[(&str, &str)] = &[
    ("duplicate_score", "same_day_score"),
    ("duplicate_row", "duplicate_row"),
    ("patient_not_in_list", "not_in_people"),
    ("outside_episode", "outside_episode"),
    ("referral_while_open", "referral_while_open"),
    ("close_without_episode", "close_without_episode"),
];

fn counts() -> Value {
    let path = FIXTURE.dir().join("expected_counts.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

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

#[test]
fn validate_reports_exactly_the_findings_r_found() {
    let (got, stdout) = FIXTURE.findings(&FIXTURE.config());
    let mut got: Vec<(String, u64, String)> =
        got.into_iter().map(|f| (f.code, f.line, f.table)).collect();
    let mut want: Vec<(String, u64, String)> = counts()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let kind = f["kind"].as_str().unwrap();
            let code = CODES.iter().find(|(k, _)| *k == kind).unwrap().1;
            (
                code.to_owned(),
                f["line"].as_u64().unwrap(),
                f["table"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want, "{stdout}");
}

#[test]
fn rows_of_other_codes_are_counted_not_findings() {
    let (findings, stdout) = FIXTURE.findings(&FIXTURE.config());
    let other = counts()["other_code_rows"].as_u64().unwrap();
    assert!(other > 500, "the fixture mixes in other services' entries");
    let digits = other.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let note = format!("entries.csv: {grouped} rows of other entries");
    assert!(stdout.contains(&note), "{stdout}");
    assert!(
        findings.len() < 50,
        "other services' entries are not findings: {} findings",
        findings.len()
    );
    let report = FIXTURE.evaluator_report();
    let files = report["data_quality"]["tables"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["files"].as_array().unwrap().iter())
        .filter(|f| f["file"].as_str().unwrap().ends_with("entries.csv"))
        .map(|f| f["other_rows"].as_u64())
        .collect::<Vec<_>>();
    assert_eq!(
        files.len(),
        3,
        "referrals, sessions and assessments read entries.csv"
    );
    assert!(files.iter().all(|o| *o == Some(other)), "{files:?}");
}

#[test]
fn a_second_referral_after_discharge_is_a_second_episode() {
    let report = FIXTURE.evaluator_report();
    let episodes = counts()["episodes"]["total"].as_u64().unwrap();
    let patients = counts()["patients"]["with_episodes"].as_u64().unwrap();
    assert!(episodes > patients, "some patients have two episodes");
    let referred = report["flow"]["cumulative"]["referred"]["value"].as_u64();
    assert_eq!(referred, Some(episodes));
    // The evaluator is told how the episodes were made.
    let (_, stdout) = FIXTURE.findings(&FIXTURE.config());
    let twice = counts()["episodes"]["patients_with_two"].as_u64().unwrap();
    let note = format!(
        "referrals were built from the entries: {episodes} episodes of {patients} patients ({twice} referred again after a discharge)"
    );
    assert!(stdout.contains(&note), "{stdout}");
}

/// Sessions attended and missed by contact mode, in the period and since the start, as R
/// counted them (the reports show attended sessions by mode; missed ones by mode are
/// checked here, on the canonical sessions table).
#[test]
fn sessions_attended_and_missed_by_contact_mode_match_r() {
    use chrono::NaiveDate;
    let cfg = sprout::config::load(&FIXTURE.config()).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 10, 7).unwrap();
    let v = sprout::validate::run(&cfg, sprout::validate::Options { today }).unwrap();
    let s = v.tables.sessions.as_ref().unwrap().frame();
    let dates = s.dates("session_date").unwrap();
    let statuses = s.statuses("status").unwrap();
    let modes = s.texts("contact_mode").unwrap();
    let want = &counts()["sessions"];
    let windows = [
        ("period", NaiveDate::from_ymd_opt(2026, 7, 1).unwrap()),
        ("cumulative", NaiveDate::from_ymd_opt(2025, 4, 1).unwrap()),
    ];
    let end = NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
    for (window, start) in windows {
        for key in ["attended", "dna"] {
            for mode in ["face_to_face", "phone", "video"] {
                let got = (0..s.height())
                    .filter(|&i| {
                        dates[i].is_some_and(|d| d >= start && d <= end)
                            && statuses[i].is_some_and(|st| st.label() == key)
                            && modes.get(i) == Some(mode)
                    })
                    .count() as u64;
                assert_eq!(
                    Some(got),
                    want[window][key][mode].as_u64(),
                    "{window} {key} {mode}"
                );
            }
        }
    }
}
