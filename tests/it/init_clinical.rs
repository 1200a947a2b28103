//! `sprout init` on a clinical-system export (the clinical fixture's coded entries and
//! patient list, without its config): the draft recognises the coded entries and the
//! patient list, takes each table's rows by code, and, with only the programme name filled
//! in, reports the paired n of every measure that R computed.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clinical")
}

fn sprout(epoch: u64) -> Command {
    let mut c = Command::cargo_bin("sprout").unwrap();
    c.env("SOURCE_DATE_EPOCH", epoch.to_string());
    c
}

#[test]
fn the_draft_of_a_clinical_export_reports_the_pairs_r_found() {
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture().join("expected.json")).unwrap())
            .unwrap();
    let counts: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture().join("expected_counts.json")).unwrap(),
    )
    .unwrap();
    let epoch = expected["source_date_epoch"].as_u64().unwrap();
    let period = expected["period"].as_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    for f in ["entries.csv", "patients.csv"] {
        std::fs::copy(fixture().join(f), dir.path().join(f)).unwrap();
    }
    let run = sprout(epoch)
        .current_dir(dir.path())
        .args([
            "init",
            "--from",
            "entries.csv",
            "patients.csv",
            "--out",
            "programme.toml",
        ])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&run.stderr).into_owned();
    assert_eq!(run.status.code(), Some(0), "{said}");
    assert!(said.contains("coded entries"), "{said}");
    assert!(said.contains("patient list"), "{said}");
    let config = dir.path().join("programme.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.contains("layout = \"events\""), "{text}");
    assert!(text.contains("[tables.people]"), "{text}");
    // No patient identifier or clinician's name is copied into the draft.
    assert!(
        !text.contains("4810231") && !text.contains("OKAFOR"),
        "{text}"
    );
    std::fs::write(
        &config,
        text.replacen("TODO: programme name", "Drafted PCN", 1),
    )
    .unwrap();

    let out = dir.path().join("out");
    let run = sprout(epoch)
        .args(["report", "--period", period, "--format", "json", "--quiet"])
        .arg("--config")
        .arg(&config)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}\n{text}",
        String::from_utf8_lossy(&run.stderr)
    );
    let report: Value = serde_json::from_str(
        &std::fs::read_to_string(
            out.join(period.replace('/', "-"))
                .join("evaluator/report.json"),
        )
        .unwrap(),
    )
    .unwrap();
    for window in ["period", "cumulative"] {
        let want = counts["pairs"][window].as_object().unwrap();
        let got: Vec<(String, u64)> = report["outcomes"][window]["comparisons"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["main"] == true)
            .map(|c| {
                (
                    c["measure"].as_str().unwrap().to_owned(),
                    c["n"]["value"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(got.len(), want.len(), "{window}: {got:?}");
        for (measure, n) in &got {
            assert_eq!(want[measure].as_u64(), Some(*n), "{window} {measure}");
        }
    }
}
