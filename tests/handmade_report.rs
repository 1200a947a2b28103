//! The hand-made fixture (`tests/fixtures/handmade`): 41 clients whose every evaluator
//! figure was computed independently in R by `check.R` and kept in `expected.json`.
//! The real binary reports on the fixture, and each figure of `evaluator/report.json` must
//! match R's; the whole report is also kept as an insta snapshot.
#![allow(clippy::unwrap_used)]

mod figures;

use std::path::PathBuf;

use assert_cmd::Command;
use figures::{mismatch, resolve};
use serde_json::Value;

/// The least number of figures the comparison must cover.
const MIN_FIGURES: usize = 150;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/handmade")
}

fn expected() -> Value {
    let text = std::fs::read_to_string(fixture().join("expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Runs `sprout report` on the fixture as check.R assumes (period, run date) and returns
/// the evaluator's report.json.
fn evaluator_report(expected: &Value) -> Value {
    let out = tempfile::tempdir().unwrap();
    let epoch = expected["source_date_epoch"].as_u64().unwrap();
    let period = expected["period"].as_str().unwrap();
    let run = Command::cargo_bin("sprout")
        .unwrap()
        .env("SOURCE_DATE_EPOCH", epoch.to_string())
        .arg("report")
        .arg("--config")
        .arg(fixture().join("programme.toml"))
        .args(["--period", period])
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "sprout report failed:\n{}\n{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    let path = out.path().join("2026-27-Q2/evaluator/report.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn every_evaluator_figure_matches_r() {
    let expected = expected();
    let report = evaluator_report(&expected);
    figures::assert_match(
        &expected,
        &report,
        MIN_FIGURES,
        "tests/fixtures/handmade/expected.json",
    );
}

#[test]
fn handmade_evaluator_report_snapshot() {
    let expected = expected();
    let report = evaluator_report(&expected);
    // generated_at is fixed by SOURCE_DATE_EPOCH, so the whole report is stable.
    assert_eq!(report["meta"]["generated_at"], "2026-10-20T12:00:00Z");
    insta::assert_json_snapshot!("handmade_evaluator_report", report);
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
