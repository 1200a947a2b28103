//! The edges fixture (`tests/fixtures/edges`): an export whose measures sit on the edges of
//! the methods (every later value copied from the baseline, a constant change, two pairs,
//! doubtful item answers, a listed cohort nobody is in, yes/no measures nobody changed on).
//! `make.R` wrote the export and computed the figures independently in R; each must match
//! the evaluator's report.json, and what is not computed must say why wherever it shows.
#![allow(clippy::unwrap_used)]

use crate::fixture;

use std::path::Path;

use fixture::{Finding, Fixture};
use serde_json::Value;

const FIXTURE: Fixture = Fixture("edges");

/// The least number of figures the comparison must cover.
const MIN_FIGURES: usize = 1000;

/// Runs `sprout report` for the fixture's period into `out` and returns the period folder.
fn report(out: &Path) -> std::path::PathBuf {
    let run = FIXTURE.sprout(
        &FIXTURE.config(),
        &["report", "--period", "2026/27-Q1"],
        out,
    );
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    out.join("2026-27-Q1")
}

fn json(path: &Path) -> Value {
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
fn an_exact_fit_is_skipped_with_its_reason_in_the_model_the_methods_record_and_the_csv() {
    let out = tempfile::tempdir().unwrap();
    let dir = report(out.path());
    let exact = "fitted exactly by baseline and cohort";
    for audience in ["evaluator", "commissioner"] {
        let m = json(&dir.join(audience).join("report.json"));
        for measure in ["vas", "pain"] {
            let c = m["cohorts"]["period"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["dimension"] == "trust" && c["measure"] == measure)
                .unwrap();
            assert_eq!(c["ancova"]["status"], "skipped", "{audience} {measure}");
            if audience == "evaluator" {
                let reason = &c["ancova"]["result"]["reason"];
                assert_eq!(reason["code"], "not_estimable", "{reason}");
                assert!(
                    reason["detail"].as_str().unwrap().contains(exact),
                    "{reason}"
                );
                let record = m["methods"]["tests"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|t| {
                        t["section"] == "cohorts"
                            && t["measure"] == measure
                            && t["method"].as_str().unwrap().starts_with("ANCOVA")
                    })
                    .unwrap();
                assert_eq!(record["ran"], false);
                assert!(record["reason"]["detail"].as_str().unwrap().contains(exact));
            }
        }
        let csv =
            std::fs::read_to_string(dir.join(audience).join("tables/cohort_tests.csv")).unwrap();
        let ancova_rows: Vec<&str> = csv
            .lines()
            .filter(|l| {
                l.contains(",period,ANCOVA")
                    && (l.contains("Health today") || l.contains("Pain (0-10)"))
            })
            .collect();
        assert_eq!(ancova_rows.len(), 2, "{csv}");
        for row in ancova_rows {
            assert!(row.contains(exact), "{audience}: {row}");
        }
    }
}

#[test]
fn identical_changes_give_no_test_effect_size_or_interval() {
    let report = FIXTURE.evaluator_report();
    for measure in ["vas", "pain"] {
        let c = report["outcomes"]["period"]["comparisons"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["measure"] == measure)
            .unwrap();
        let r = &c["result"];
        assert_eq!(r["paired_t"]["status"], "skipped", "{measure}");
        for effect in ["d_z", "d_av", "g_av"] {
            assert!(r[effect].is_null(), "{measure} {effect}: {}", r[effect]);
        }
        assert!(r["mean_change"]["lower"].is_null() && r["mean_change"]["upper"].is_null());
    }
}

#[test]
fn two_pairs_give_d_av_but_no_g_av_and_no_attrition_test() {
    let report = FIXTURE.evaluator_report();
    let mood = report["outcomes"]["period"]["comparisons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["measure"] == "mood")
        .unwrap();
    assert_eq!(mood["n"]["value"], 2);
    assert!(mood["result"]["d_av"].is_number());
    assert!(mood["result"]["g_av"].is_null());
    let attrition = report["attrition"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["measure"] == "mood")
        .unwrap();
    let reason = &attrition["welch_t"]["result"]["reason"];
    assert_eq!(reason["code"], "group_below_minimum", "{reason}");
    assert_eq!(reason["group"], "completers", "{reason}");
    assert_eq!(
        (reason["min_n"].as_u64(), reason["n"]["value"].as_u64()),
        (Some(10), Some(2))
    );
}

#[test]
fn a_listed_cohort_nobody_is_in_shows_as_no_pairs_yet() {
    let out = tempfile::tempdir().unwrap();
    let dir = report(out.path());
    let m = json(&dir.join("evaluator/report.json"));
    for c in m["cohorts"]["period"].as_array().unwrap() {
        let alnwick = c["cohorts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["key"] == "Alnwick")
            .unwrap_or_else(|| panic!("{} has no Alnwick row", c["measure"]));
        assert_eq!(alnwick["n"]["value"], 0);
        assert!(alnwick["result"].is_null());
    }
    let csv = std::fs::read_to_string(dir.join("evaluator/tables/cohorts.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().filter(|l| l.contains(",Alnwick,")).collect();
    assert!(!rows.is_empty(), "{csv}");
    assert!(rows.iter().all(|r| r.ends_with("no pairs yet")), "{rows:?}");
    for audience in ["evaluator", "commissioner"] {
        let page = std::fs::read_to_string(dir.join(audience).join("report.html")).unwrap();
        assert!(page.contains("Alnwick"), "{audience}");
        assert!(page.contains("no pairs yet"), "{audience}");
    }
}

#[test]
fn a_yes_no_measure_nobody_changed_on_says_so() {
    let out = tempfile::tempdir().unwrap();
    let dir = report(out.path());
    let m = json(&dir.join("evaluator/report.json"));
    let on = &m["medication"]["period"]["on_opioid"];
    assert_eq!(on["mcnemar_p"]["status"], "skipped");
    assert_eq!(
        on["mcnemar_p"]["result"]["reason"]["code"],
        "nobody_changed"
    );
    assert_eq!(on["difference"]["value"], 0.0);
    assert!(on["difference"]["lower"].is_null());
    // One client left the high dose and nobody joined it: p is exactly 1.
    assert_eq!(
        m["medication"]["period"]["high_dose"]["mcnemar_p"]["result"],
        1.0
    );
    let page = std::fs::read_to_string(dir.join("evaluator/report.html")).unwrap();
    assert!(page.contains("nobody changed"));
}

#[test]
fn doubtful_item_answers_are_findings_and_the_rule_scores_what_is_left() {
    let (findings, stdout) = FIXTURE.findings(&FIXTURE.config());
    let at = |line: u64, column: &str, value: &str| Finding {
        table: "assessments".into(),
        file: "assessments.csv".into(),
        sheet: String::new(),
        line,
        column: column.into(),
        value: value.into(),
        code: "item_out_of_range".into(),
        action: "value ignored".into(),
    };
    assert_eq!(
        findings,
        vec![
            at(11, "BPI I2", "12"),
            at(15, "W7", "6"),
            at(20, "BPI I1", "11")
        ]
    );
    assert!(
        stdout.contains("treated as missing; the total is scored from the other answers"),
        "{stdout}"
    );
    assert!(
        stdout.contains("which leaves the total missing (rule: mean of at least 4 of 7 items)")
    );
    assert!(
        stdout.contains("which leaves the total missing (rule: sum of 14 items, all required)")
    );
}
