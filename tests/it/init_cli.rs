//! `sprout init` drafts a config from export headers that loads and validates.
#![allow(clippy::unwrap_used)]

use crate::common;

use std::path::PathBuf;

fn sample_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample_data");
    [
        "referrals.csv",
        "sessions_2024-25.csv",
        "sessions_2025-26.csv",
        "sessions_2026-27.csv",
        "assessments.csv",
        "medications.xlsx",
    ]
    .iter()
    .map(|f| dir.join(f))
    .collect()
}

#[test]
fn draft_from_sample_exports_loads_and_validates() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("programme.toml");
    let run = common::sprout()
        .arg("init")
        .arg("--from")
        .args(sample_files())
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let draft = std::fs::read_to_string(&out).unwrap();
    for expected in [
        "client_id = \"Client Ref\"",
        "referral_date = \"Referral Date\"",
        "session_date = \"Contact Date\"",
        "measure = \"Questionnaire\"",
        "drug = \"Medicine\"",
        "sheet = \"Medication Review\"",
        "formats = [\"dd/mm/yyyy\"",
        "\"NHS Number\": personal data or free text, leave unmapped",
        "\"Referral Notes\": personal data or free text, leave unmapped",
        "baseline = [\"Initial Assessment\"]",
        "swemwbs = [\"SWEMWBS Total\"]",
        "<value> = [\"Cornish\"]",
    ] {
        assert!(
            draft.contains(expected),
            "draft lacks `{expected}`:\n{draft}"
        );
    }
    assert!(
        !draft.contains("\nnhs_number") && !draft.contains("= \"Forename\""),
        "personal data is never mapped"
    );

    let validate = common::sprout()
        .args(["validate", "--config"])
        .arg(&out)
        .arg("--out")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        validate.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&validate.stderr)
    );
}

#[test]
fn wide_layout_and_unknown_tables_are_recognised() {
    let dir = tempfile::tempdir().unwrap();
    let wide = dir.path().join("outcomes.csv");
    std::fs::write(&wide, "Person ID,Date Completed,Assessment Type,WEMWBS Score,UCLA Loneliness\nP1,01/05/2025,Baseline,40,6\n").unwrap();
    let odd = dir.path().join("staff.csv");
    std::fs::write(&odd, "Staff name,Team\nA,B\n").unwrap();
    let run = common::sprout()
        .arg("init")
        .arg("--from")
        .arg(&wide)
        .arg(&odd)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0));
    let draft = String::from_utf8_lossy(&run.stdout);
    let notes = String::from_utf8_lossy(&run.stderr);
    assert!(draft.contains("layout = \"wide\""), "{draft}");
    assert!(
        draft.contains("wemwbs = \"WEMWBS Score\"")
            && draft.contains("ucla3 = \"UCLA Loneliness\""),
        "{draft}"
    );
    assert!(
        notes.contains("staff.csv: could not tell which table this is"),
        "{notes}"
    );
    assert!(notes.contains("no referrals export found"), "{notes}");
}

#[test]
fn refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("programme.toml");
    std::fs::write(&out, "keep me").unwrap();
    let run = common::sprout()
        .arg("init")
        .arg("--from")
        .args(sample_files())
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
}

#[test]
fn wrapped_header_cells_give_a_loadable_draft() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("referrals.csv");
    std::fs::write(
        &file,
        "\"Client\nID\",\"Referral\nDate\",Notes \"quoted\"\nC1,01/04/2025,x\n",
    )
    .unwrap();
    let out = dir.path().join("programme.toml");
    let run = common::sprout()
        .arg("init")
        .arg("--from")
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.parse::<toml::Table>().is_ok(),
        "the draft is valid TOML:\n{text}"
    );
}

#[test]
fn titles_above_an_exports_header_do_not_fool_the_draft() {
    let dir = tempfile::tempdir().unwrap();
    let contacts = dir.path().join("contacts.csv");
    std::fs::write(
        &contacts,
        "Contacts export\r\nRun 08/04/2025\r\nClient ID|Contact Date|Outcome|Mode\r\nA1|08/04/2025|Attended|Phone\r\nA2|09/04/2025|DNA|F2F\r\n",
    )
    .unwrap();
    let referrals = dir.path().join("referrals.csv");
    std::fs::write(
        &referrals,
        "Client ID,Referral Date\nA1,01/04/2025\nA2,02/04/2025\n",
    )
    .unwrap();
    let out = dir.path().join("programme.toml");
    let run = common::sprout()
        .args(["init", "--from"])
        .args([&referrals, &contacts])
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let draft = std::fs::read_to_string(&out).unwrap();
    assert!(
        draft.contains("session_date = \"Contact Date\"") && draft.contains("status = \"Outcome\""),
        "{draft}"
    );
    let check = common::sprout()
        .args(["validate", "--strict", "--config"])
        .arg(&out)
        .arg("--out")
        .arg(dir.path().join("reports"))
        .output()
        .unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

#[test]
fn a_medication_export_and_a_support_phase_column_are_recognised() {
    let dir = tempfile::tempdir().unwrap();
    let meds = dir.path().join("meds.csv");
    std::fs::write(
        &meds,
        "Recorded,Stage,Medicine,Daily Dose,Unit,Route\n08/04/2025,Start,Tramadol,200,mg,oral\n",
    )
    .unwrap();
    let with_client = dir.path().join("meds_client.csv");
    std::fs::write(
        &with_client,
        "Client ID,Recorded,Stage,Medicine,Daily Dose,Unit,Route\nC1,08/04/2025,Start,Tramadol,200,mg,oral\n",
    )
    .unwrap();
    let sessions = dir.path().join("contacts.csv");
    std::fs::write(
        &sessions,
        "Client ID,Contact Date,Support Phase,Minutes\nC1,08/04/2025,Pre-op,30\n",
    )
    .unwrap();
    for (file, expected) in [
        (
            &meds,
            vec![
                "[tables.medications]",
                "drug = \"Medicine\"",
                "daily_dose = \"Daily Dose\"",
                "record_date = \"Recorded\"",
                "route = \"Route\"",
            ],
        ),
        (
            &with_client,
            vec![
                "[tables.medications]",
                "client_id = \"Client ID\"",
                "record_date = \"Recorded\"",
            ],
        ),
        (
            &sessions,
            vec!["[tables.sessions]", "phase = \"Support Phase\""],
        ),
    ] {
        let out = dir.path().join("draft.toml");
        let run = common::sprout()
            .arg("init")
            .arg("--from")
            .arg(file)
            .arg("--out")
            .arg(&out)
            .arg("--force")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(0), "{stderr}");
        let draft = std::fs::read_to_string(&out).unwrap();
        for e in expected {
            assert!(
                draft.contains(e),
                "{}: draft lacks `{e}`:\n{draft}\n{stderr}",
                file.display()
            );
        }
        if file == &meds {
            assert!(stderr.contains("client identifier"), "{stderr}");
        }
    }
}

#[test]
fn the_draft_never_copies_a_value_that_looks_personal() {
    let personal = [
        "Mrs Jones (daughter)",
        "Sarah Jones",
        "Ref 943 476 5919",
        "07700-900123",
        "+44 (0)7700 900123",
        "NE1 4LP flat 2",
        "02/01/1950",
        "jane@nhsnet",
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut referrals =
        String::from("Client ID,Referral Date,Referral Source,Ethnicity,Call jane@nhsnet\n");
    for (i, p) in personal.iter().enumerate() {
        referrals.push_str(&format!("C{i},01/04/2025,\"{p}\",\"{p}\",x\n"));
    }
    referrals.push_str("C9,01/04/2025,Church group,Cornish,x\n");
    let file = dir.path().join("referrals.csv");
    std::fs::write(&file, referrals).unwrap();
    let mut assessments = String::from("Client ID,Assessment Date,Timepoint,Measure,Score\n");
    for (i, p) in personal.iter().enumerate() {
        assessments.push_str(&format!("C{i},01/05/2025,\"{p}\",\"{p}\",40\n"));
    }
    let outcomes = dir.path().join("assessments.csv");
    std::fs::write(&outcomes, assessments).unwrap();
    let run = common::sprout()
        .arg("init")
        .arg("--from")
        .arg(&file)
        .arg(&outcomes)
        .output()
        .unwrap();
    common::succeeded(&run);
    let draft = String::from_utf8_lossy(&run.stdout);
    let notes = String::from_utf8_lossy(&run.stderr);
    for p in personal.iter().chain(&["jane@nhsnet"]) {
        assert!(!draft.contains(p), "the draft copies {p}:\n{draft}");
        assert!(!notes.contains(p), "the notes copy {p}:\n{notes}");
    }
    assert!(
        draft.contains("\"Church group\"") && draft.contains("\"Cornish\""),
        "labels that are not personal are still listed:\n{draft}"
    );
    assert!(
        draft.contains("personal data withheld"),
        "the draft says values were left out:\n{draft}"
    );
}
