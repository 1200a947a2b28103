//! `sprout init` on exports from five systems it has never seen (`tests/fixtures/init`):
//! every file must land in the right table with the right layout, the draft with only
//! the programme name filled in must report without a config error, and each measure's
//! main comparison must have the same n as the hand-written config of the same export.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// When `make_exports.py` says the exports were taken: 15 Jul 2026, after the quarter.
const EPOCH: &str = "1784116800";
const PERIOD: &str = "2026/27-Q1";

fn fixture(set: &str) -> PathBuf {
    root_fixture("init").join(set)
}

fn root_fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn sprout() -> Command {
    let mut c = Command::cargo_bin("sprout").unwrap();
    c.env("SOURCE_DATE_EPOCH", EPOCH);
    c
}

/// Copies a set's exports (not its hand-written config) into `dir`, runs `init` there
/// and returns the draft with the programme name filled in, and what init printed.
fn draft(set: &str, dir: &Path) -> (String, String) {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(fixture(set)).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if name.ends_with(".toml") {
            continue;
        }
        std::fs::copy(&path, dir.join(&name)).unwrap();
        files.push(name);
    }
    files.sort();
    let run = sprout()
        .current_dir(dir)
        .arg("init")
        .arg("--from")
        .args(&files)
        .args(["--out", "programme.toml"])
        .output()
        .unwrap();
    let notes = String::from_utf8_lossy(&run.stderr).into_owned();
    assert_eq!(run.status.code(), Some(0), "{notes}");
    let text = std::fs::read_to_string(dir.join("programme.toml")).unwrap();
    let filled = text.replacen(
        "name = \"TODO: programme name\"",
        &format!("name = \"{set} programme\""),
        1,
    );
    std::fs::write(dir.join("programme.toml"), &filled).unwrap();
    (filled, notes)
}

/// The main comparison's n for each measure in the period, from `report`.
fn main_ns(config: &Path, out: &Path) -> BTreeMap<String, u64> {
    let run = sprout()
        .args(["report", "--period", PERIOD, "--format", "json", "--quiet"])
        .arg("--config")
        .arg(config)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}: {}",
        config.display(),
        String::from_utf8_lossy(&run.stderr)
    );
    let path = out
        .join(PERIOD.replace('/', "-"))
        .join("evaluator/report.json");
    let m: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    m["outcomes"]["period"]["comparisons"]
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
        .collect()
}

/// (file, table, layout) as the draft has them.
fn placements(draft: &str) -> Vec<(String, String, String)> {
    let v: toml::Value = toml::from_str(draft).unwrap();
    let mut out = Vec::new();
    for (table, spec) in v["tables"].as_table().unwrap() {
        let layout = spec
            .get("layout")
            .and_then(toml::Value::as_str)
            .unwrap_or("")
            .to_owned();
        for f in spec["files"].as_array().unwrap() {
            out.push((
                f.as_str().unwrap().to_owned(),
                table.clone(),
                layout.clone(),
            ));
        }
    }
    out.sort();
    out
}

fn check(set: &str, expected: &[(&str, &str, &str)]) {
    let dir = tempfile::tempdir().unwrap();
    let (text, notes) = draft(set, dir.path());
    let mut want: Vec<(String, String, String)> = expected
        .iter()
        .map(|(f, t, l)| ((*f).into(), (*t).into(), (*l).into()))
        .collect();
    want.sort();
    assert_eq!(placements(&text), want, "{notes}\n{text}");
    assert!(text.starts_with("#:schema "), "{text}");
    // A sheet of notes beside the data may be left out; no file is.
    for line in notes.lines().filter(|l| l.contains("could not tell")) {
        assert!(line.contains("[sheet '"), "{line}");
    }
    // No value that looks personal is copied into the draft.
    for personal in ["Postcode", "NE", "@"] {
        let active: Vec<&str> = text
            .lines()
            .filter(|l| !l.trim_start().starts_with('#') && l.contains(personal))
            .collect();
        assert!(
            personal == "NE" && active.iter().all(|l| !l.contains("\"NE")) || active.is_empty(),
            "{personal}: {active:?}"
        );
    }
    let drafted = main_ns(&dir.path().join("programme.toml"), &dir.path().join("out"));
    let hand = main_ns(
        &fixture(set).join("handwritten.toml"),
        &dir.path().join("hand"),
    );
    assert!(!hand.is_empty());
    assert_eq!(drafted, hand, "{text}");
    assert!(hand.values().all(|n| *n >= 20), "{hand:?}");
}

#[test]
fn alder_xlsx_under_titles_parquet_appointments_and_long_windows_1252_outcomes() {
    check(
        "alder",
        &[
            ("referrals.xlsx", "referrals", ""),
            ("appointments.parquet", "sessions", ""),
            ("outcomes_export.csv", "assessments", "long"),
        ],
    );
}

#[test]
fn birch_wide_items_medication_and_support_phases() {
    check(
        "birch",
        &[
            ("client_list.csv", "referrals", ""),
            ("session_log.tsv", "sessions", ""),
            ("outcome_measures.xlsx", "assessments", "wide"),
            ("medication.csv", "medications", ""),
        ],
    );
}

#[test]
fn cedar_parquet_referrals_and_one_row_per_client_outcomes() {
    check(
        "cedar",
        &[
            ("referrals.parquet", "referrals", ""),
            ("contacts.csv", "sessions", ""),
            ("outcomes_summary.xlsx", "assessments", "per_client"),
        ],
    );
}

#[test]
fn dogwood_the_discharge_is_the_timepoint_nearest_the_end_of_support() {
    // T0, T1 and T2 say nothing of which is the discharge: T1 falls at the end of
    // support, T2 three months later for a third of the clients.
    check(
        "dogwood",
        &[
            ("referrals.csv", "referrals", ""),
            ("sessions.csv", "sessions", ""),
            ("outcomes.csv", "assessments", "long"),
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let (text, _) = draft("dogwood", dir.path());
    let v: toml::Value = toml::from_str(&text).unwrap();
    let tp = &v["timepoints"];
    assert_eq!(tp["names"]["discharge"].as_str(), Some("T1"), "{text}");
    assert_eq!(tp["names"]["follow_up"].as_str(), Some("T2"), "{text}");
    assert_eq!(tp["compare"]["to"].as_str(), Some("discharge"));
    assert!(
        text.contains("the nearest to the end of support (\"End of support\" in the referrals)"),
        "{text}"
    );
}

#[test]
fn elm_item_tracker_as_referrals_and_a_gp_repeat_list() {
    // One row per client holding the referral and item answers named after the item;
    // a repeat list whose only date column is written yyyy/mm/dd.
    check(
        "elm",
        &[
            ("repeat_medications.csv", "medications", ""),
            ("tracker.xlsx", "assessments", "per_client"),
            ("tracker.xlsx", "referrals", ""),
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let (text, _) = draft("elm", dir.path());
    let v: toml::Value = toml::from_str(&text).unwrap();
    let meds = &v["tables"]["medications"]["columns"];
    assert_eq!(meds["record_date"].as_str(), Some("Review Date"), "{text}");
    assert_eq!(meds["route"].as_str(), Some("Route"), "{text}");
    let formats = v["dates"]["formats"].as_array().unwrap();
    assert!(
        formats.iter().any(|f| f.as_str() == Some("yyyy/mm/dd"))
            || v["tables"]["medications"]["date_formats"]
                .as_array()
                .is_some_and(|f| f.iter().any(|f| f.as_str() == Some("yyyy/mm/dd"))),
        "{text}"
    );
    // Every instrument is scored from its items; none is left as a TODO.
    let measures: Vec<&str> = v["measures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    for id in ["wemwbs", "bpi_severity", "bpi_interference"] {
        assert!(measures.contains(&id), "{id}: {text}");
    }
    assert!(!text.contains("TODO: BPI"), "{text}");
    assert!(
        text.contains("\"BPI worst pain (Initial)\"") && text.contains("\"BPI pain now (Final)\""),
        "{text}"
    );
}

#[test]
fn timepoints_are_ordered_by_their_dates_and_keep_their_names() {
    let dir = tempfile::tempdir().unwrap();
    let (text, _) = draft("alder", dir.path());
    let v: toml::Value = toml::from_str(&text).unwrap();
    let tp = &v["timepoints"];
    let order: Vec<&str> = tp["order"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert_eq!(order, ["baseline", "discharge", "follow_up"]);
    assert_eq!(tp["names"]["discharge"].as_str(), Some("T1 - 8 weeks"));
    assert_eq!(tp["compare"]["to"].as_str(), Some("discharge"));
    assert_eq!(
        v["labels"]["timepoint"]["follow_up"].as_array().unwrap()[0].as_str(),
        Some("T2 - 3 month follow-up")
    );
    // Proposed label mappings are active and marked for checking.
    assert_eq!(
        v["labels"]["discharge_reason"]["completed"]
            .as_array()
            .unwrap()[0]
            .as_str(),
        Some("Completed programme")
    );
    assert!(text.contains("check each"));
    // The birch sessions write month-first dates; the draft says so for that table only.
    let dir = tempfile::tempdir().unwrap();
    let (text, _) = draft("birch", dir.path());
    let v: toml::Value = toml::from_str(&text).unwrap();
    assert_eq!(
        v["tables"]["sessions"]["date_formats"].as_array().unwrap()[0].as_str(),
        Some("mm/dd/yyyy")
    );
    assert!(v["tables"]["referrals"].get("date_formats").is_none());
    assert_eq!(v["phases"].as_array().unwrap().len(), 3);
}

#[test]
fn the_older_foreign_fixture_drafts_to_the_same_pairs_as_its_config() {
    // Not written for init: XLSX with a lookups sheet, semicolon Windows-1252 sessions,
    // wide Parquet outcomes split by year with items and three spellings of one review.
    let dir = tempfile::tempdir().unwrap();
    let source = root_fixture("foreign");
    let files = [
        "referrals.xlsx",
        "sessions.csv",
        "outcomes_2025-26.parquet",
        "outcomes_2026-27.parquet",
    ];
    for f in files {
        std::fs::copy(source.join(f), dir.path().join(f)).unwrap();
    }
    let run = sprout()
        .current_dir(dir.path())
        .args(["init", "--out", "programme.toml", "--from"])
        .args(files)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0));
    let config = dir.path().join("programme.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.contains("review = [\"Interim Review\", \"Interim review\", \"interim review\"]"));
    std::fs::write(&config, text.replacen("TODO: programme name", "Foreign", 1)).unwrap();
    let drafted = main_ns(&config, &dir.path().join("out"));
    let hand = main_ns(&source.join("programme.toml"), &dir.path().join("hand"));
    assert_eq!(drafted, hand);
    assert_eq!(hand.len(), 6);
}

#[test]
fn a_column_renamed_in_later_exports_is_mapped_under_both_names() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("referrals.csv"),
        "Client ID,Referral Date\nA1,01/04/2025\nA2,02/04/2025\nA3,03/04/2025\nA4,04/04/2025\nA5,05/04/2025\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("contacts_q1.csv"),
        "Client ID,Contact Date,Outcome\nA1,08/04/2025,Attended\nA2,09/04/2025,DNA\nA3,10/04/2025,Attended\nA4,11/04/2025,Attended\nA5,12/04/2025,Attended\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("contacts_q2.csv"),
        "Client ID,Contact date/time,Outcome\nA1,08/07/2025 09:30,Attended\nA2,09/07/2025 10:00,Attended\nA3,10/07/2025 11:15,DNA\nA4,11/07/2025 12:00,Attended\nA5,14/07/2025 14:45,Attended\n",
    )
    .unwrap();
    let run = sprout()
        .current_dir(dir.path())
        .args(["init", "--out", "programme.toml", "--from"])
        .args(["referrals.csv", "contacts_q1.csv", "contacts_q2.csv"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0));
    let text = std::fs::read_to_string(dir.path().join("programme.toml")).unwrap();
    assert!(
        text.contains("session_date = [\"Contact Date\", \"Contact date/time\"]"),
        "{text}"
    );
    let filled = text.replacen("TODO: programme name", "Renamed", 1);
    std::fs::write(dir.path().join("programme.toml"), filled).unwrap();
    let run = sprout()
        .current_dir(dir.path())
        .args(["validate", "--strict", "--config", "programme.toml"])
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stdout)
    );
}
