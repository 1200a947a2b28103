//! The bundled sample is exactly what the generator writes, and validating it reports
//! exactly the faults planted in it.
#![allow(clippy::unwrap_used)]

use crate::common;

use std::path::PathBuf;

use sprout::sample::{SampleOptions, generate};

fn bundled() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample_data")
}

#[test]
fn bundled_sample_is_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    let summary = generate(
        &SampleOptions {
            clients: 1000,
            seed: 2026,
            clean: false,
        },
        dir.path(),
    )
    .unwrap();
    for file in &summary.files {
        let name = file.file_name().unwrap();
        let fresh = std::fs::read(file).unwrap();
        let committed = std::fs::read(bundled().join(name)).unwrap_or_default();
        assert!(
            fresh == committed,
            "sample_data/{} differs from `sprout sample-data --clients 1000 --seed 2026`",
            name.to_string_lossy()
        );
    }
}

#[test]
fn validating_the_sample_reports_each_planted_fault() {
    let dir = tempfile::tempdir().unwrap();
    let summary = generate(
        &SampleOptions {
            clients: 1000,
            seed: 2026,
            clean: false,
        },
        dir.path(),
    )
    .unwrap();
    let out = common::sprout()
        .args(["validate", "--config"])
        .arg(bundled().join("programme.toml"))
        .arg("--out")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let findings = common::read_findings(&dir.path().join("data-quality.csv"));
    let mut found = std::collections::BTreeMap::new();
    for f in &findings {
        *found.entry(f.code.clone()).or_insert(0u64) += 1;
    }
    let planted: std::collections::BTreeMap<String, u64> = summary
        .faults
        .iter()
        .map(|(k, v)| ((*k).to_owned(), *v))
        .collect();
    assert_eq!(found, planted);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("SWEMWBS") && stdout.contains("ONS4 anxiety"),
        "instrument findings are named: {stdout}"
    );
}

#[test]
fn clean_sample_has_no_findings() {
    let dir = tempfile::tempdir().unwrap();
    generate(
        &SampleOptions {
            clients: 300,
            seed: 5,
            clean: true,
        },
        dir.path(),
    )
    .unwrap();
    let out = common::sprout()
        .args(["validate", "--strict", "--config"])
        .arg(dir.path().join("programme.toml"))
        .arg("--out")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
