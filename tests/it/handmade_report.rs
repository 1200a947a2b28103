//! The hand-made fixture (`tests/fixtures/handmade`): 41 clients whose every evaluator
//! figure was computed independently in R by `check.R` and kept in `expected.json`.
//! The real binary reports on the fixture, and each figure of `evaluator/report.json` must
//! match R's; the whole report is also kept as an insta snapshot.
#![allow(clippy::unwrap_used)]

use crate::fixture;

use fixture::{Fixture, mismatch, resolve};
use serde_json::Value;

/// The least number of figures the comparison must cover.
const MIN_FIGURES: usize = 150;

const FIXTURE: Fixture = Fixture("handmade");

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
fn handmade_evaluator_report_snapshot() {
    let report = FIXTURE.evaluator_report();
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
