//! `sprout validate` on a corpus of broken exports: every kind of bad input gets its exact
//! finding code, file, line and exit code, and never a panic.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::Scenario;

#[test]
fn clean_export_has_no_findings() {
    let s = Scenario::clean();
    let out = s.validate(&["--strict"]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(out.findings.is_empty(), "{:#?}", out.findings);
    assert!(out.stdout.contains("No findings."));
    assert!(s.out_dir().join("data-quality.csv").exists());
}

#[test]
fn unparseable_date_excludes_the_row() {
    let s = Scenario::clean();
    s.append("referrals.csv", "C4,31/02/2025,,,,");
    let out = s.validate(&[]);
    assert_eq!(out.code, 0);
    let f = out.only("unparseable_date");
    assert_eq!(
        (f.file.as_str(), f.line, f.column.as_str(), f.value.as_str()),
        ("referrals.csv", 5, "Referred", "31/02/2025")
    );
    assert_eq!(f.action, "row excluded");
    assert!(out.stdout.contains("unparseable_date"));
}

#[test]
fn optional_date_that_does_not_parse_is_ignored_not_excluded() {
    let s = Scenario::clean();
    s.write(
        "referrals.csv",
        &common::REFERRALS.replace("C3,05/04/2025,,,,", "C3,05/04/2025,next week,,,"),
    );
    let out = s.validate(&[]);
    let f = out.only("unparseable_date");
    assert_eq!(
        (f.line, f.column.as_str(), f.action.as_str()),
        (4, "Started", "value ignored")
    );
}

#[test]
fn out_of_range_score_names_the_instrument() {
    let s = Scenario::clean();
    s.append("assessments.csv", "C3,06/04/2025,Start,swemwbs,36");
    let out = s.validate(&[]);
    let f = out.only("out_of_range");
    assert_eq!(
        (f.file.as_str(), f.line, f.column.as_str(), f.value.as_str()),
        ("assessments.csv", 6, "Score", "36")
    );
    assert!(
        f.reason.contains("SWEMWBS") && f.reason.contains("7 to 35"),
        "{}",
        f.reason
    );
}

#[test]
fn ons_anxiety_out_of_range_and_not_integer() {
    let s = Scenario::clean();
    s.append("assessments.csv", "C3,06/04/2025,Start,Anxiety,11");
    s.append("assessments.csv", "C1,08/04/2025,Start,Anxiety,4.5");
    let out = s.validate(&[]);
    assert_eq!(out.only("out_of_range").line, 6);
    assert_eq!(out.only("not_integer").line, 7);
}

#[test]
fn duplicate_client_keeps_the_first_row() {
    let s = Scenario::clean();
    s.append("referrals.csv", "C2,01/06/2025,,,,");
    let out = s.validate(&[]);
    let f = out.only("duplicate_client");
    assert_eq!((f.line, f.column.as_str()), (5, "Client ID"));
    assert_eq!(f.value, "[withheld]", "client identifiers are never echoed");
    assert!(f.reason.contains("line 3"), "{}", f.reason);
}

#[test]
fn session_before_referral() {
    let s = Scenario::clean();
    s.append("sessions.csv", "C2,01/04/2025,Phone,20");
    let out = s.validate(&[]);
    let f = out.only("session_before_referral");
    assert_eq!(
        (f.file.as_str(), f.line, f.column.as_str()),
        ("sessions.csv", 5, "Date")
    );
}

#[test]
fn unknown_client_in_every_dependent_table() {
    let s = Scenario::clean();
    s.append("sessions.csv", "C99,10/04/2025,Phone,20");
    s.append("assessments.csv", "C99,10/04/2025,Start,swemwbs,20");
    s.append("medications.csv", "C99,10/04/2025,Tramadol,100,mg,Start");
    let out = s.validate(&[]);
    let unknown: Vec<(String, u64)> = out
        .findings
        .iter()
        .filter(|r| r.code == "unknown_client")
        .map(|r| (r.file.clone(), r.line))
        .collect();
    assert_eq!(
        unknown,
        vec![
            ("sessions.csv".into(), 5),
            ("assessments.csv".into(), 6),
            ("medications.csv".into(), 4)
        ]
    );
}

#[test]
fn rows_of_an_excluded_referral_are_counted_not_lost() {
    let s = Scenario::clean();
    // C1's discharge precedes first contact, so the referral and all C1's rows are excluded.
    s.write(
        "referrals.csv",
        &common::REFERRALS.replace("30/09/2025", "01/04/2025"),
    );
    let out = s.validate(&[]);
    let f = out.only("discharge_before_start");
    assert_eq!((f.line, f.column.as_str()), (2, "Discharged"));
    let dependent = out
        .findings
        .iter()
        .filter(|r| r.code == "client_excluded")
        .count();
    assert_eq!(
        dependent,
        2 + 2 + 2,
        "two sessions, two assessments and two medication lines"
    );
}

#[test]
fn missing_required_column_stops_with_exit_2() {
    let s = Scenario::clean();
    s.write("sessions.csv", "Client ID,When,Mode\nC1,08/04/2025,Phone\n");
    let out = s.validate(&[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("sessions.csv") && out.stderr.contains("session_date"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("\"Date\"") && out.stderr.contains("\"When\""),
        "names what it looked for and found: {}",
        out.stderr
    );
    assert!(!out.stderr.contains("panicked"));
}

#[test]
fn empty_file_stops_with_exit_2() {
    let s = Scenario::clean();
    s.write("sessions.csv", "");
    let out = s.validate(&[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("sessions.csv: the file is empty"),
        "{}",
        out.stderr
    );
}

#[test]
fn header_only_file_is_valid_and_empty() {
    let s = Scenario::clean();
    s.write("medications.csv", "Client ID,Date,Drug,Dose,Unit,Stage\n");
    let out = s.validate(&["--strict"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn semicolon_and_tab_files_are_sniffed() {
    let s = Scenario::clean();
    s.write("sessions.csv", &common::SESSIONS.replace(',', ";"));
    s.write("assessments.csv", &common::ASSESSMENTS.replace(',', "\t"));
    let out = s.validate(&["--strict"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn wrong_delimiter_in_config_is_explained() {
    let s = Scenario::clean();
    s.write("sessions.csv", &common::SESSIONS.replace(',', ";"));
    s.edit_config(
        "files = [\"sessions.csv\"]",
        "files = [\"sessions.csv\"]\ndelimiter = \",\"",
    );
    let out = s.validate(&[]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("semicolon-separated"), "{}", out.stderr);
}

#[test]
fn windows_1252_text_is_decoded_and_noted() {
    let s = Scenario::clean();
    // "Café group" in Windows-1252, mapped to a contact mode by the config.
    let mut bytes = b"Client ID,Date,Mode,Minutes\nC1,08/04/2025,Caf".to_vec();
    bytes.push(0xE9);
    bytes.extend_from_slice(b" group,60\n");
    s.write_bytes("sessions.csv", &bytes);
    s.edit_config(
        "[labels.timepoint]",
        "[labels.contact_mode]\ngroup = [\"Café group\"]\n\n[labels.timepoint]",
    );
    let out = s.validate(&["--strict"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("read as Windows-1252"),
        "{}",
        out.stdout
    );
}

#[test]
fn utf8_bom_is_ignored() {
    let s = Scenario::clean();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(common::SESSIONS.as_bytes());
    s.write_bytes("sessions.csv", &bytes);
    let out = s.validate(&["--strict"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn truncated_xlsx_stops_with_exit_2() {
    let s = Scenario::clean();
    let good = write_xlsx(
        &s,
        "medications.xlsx",
        "Meds",
        &[&["Client ID", "Date", "Drug", "Dose", "Unit", "Stage"]],
    );
    let bytes = std::fs::read(&good).unwrap();
    s.write_bytes("medications.xlsx", &bytes[..bytes.len() / 2]);
    s.edit_config(
        "files = [\"medications.csv\"]",
        "files = [\"medications.xlsx\"]",
    );
    let out = s.validate(&[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("medications.xlsx") && out.stderr.contains("not a readable workbook"),
        "{}",
        out.stderr
    );
}

#[test]
fn xlsx_findings_name_sheet_and_row() {
    let s = Scenario::clean();
    write_xlsx(
        &s,
        "medications.xlsx",
        "Meds",
        &[
            &["Client ID", "Date", "Drug", "Dose", "Unit", "Stage"],
            &["C1", "08/04/2025", "Tramadol", "200", "mg", "Start"],
            &["C1", "30/09/2025", "Frobnicate", "100", "mg", "End"],
        ],
    );
    s.edit_config(
        "files = [\"medications.csv\"]",
        "files = [\"medications.xlsx\"]\nsheet = \"Meds\"",
    );
    let out = s.validate(&[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let f = out.only("unknown_drug");
    assert_eq!(
        (f.file.as_str(), f.sheet.as_str(), f.line, f.column.as_str()),
        ("medications.xlsx", "Meds", 3, "Drug")
    );
}

#[test]
fn wrong_sheet_lists_the_sheets() {
    let s = Scenario::clean();
    write_xlsx(
        &s,
        "medications.xlsx",
        "Meds",
        &[&["Client ID", "Date", "Drug", "Dose", "Unit", "Stage"]],
    );
    s.edit_config(
        "files = [\"medications.csv\"]",
        "files = [\"medications.xlsx\"]\nsheet = \"Medication\"",
    );
    let out = s.validate(&[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("no sheet named 'Medication'") && out.stderr.contains("'Meds'"),
        "{}",
        out.stderr
    );
}

#[test]
fn config_typo_gets_line_key_and_suggestion() {
    let s = Scenario::clean();
    s.edit_config("[tables.sessions.columns]", "[tables.sessions.colums]");
    let out = s.validate(&[]);
    assert_eq!(out.code, 2);
    let line = common::CONFIG
        .lines()
        .position(|l| l == "[tables.sessions.columns]")
        .unwrap()
        + 1;
    assert!(
        out.stderr.contains(&format!("programme.toml:{line}:")),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("did you mean `columns`?"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_missing_section_is_named_where_it_belongs() {
    // No [tables.referrals]: the key is `tables.referrals`, not that of the table above.
    let s = Scenario::clean();
    let config = common::CONFIG.replace(
        "[tables.referrals]\nfiles = [\"referrals.csv\"]\n\n[tables.referrals.columns]\nclient_id = \"Client ID\"\nreferral_date = \"Referred\"\nstart_date = \"Started\"\ndischarge_date = \"Discharged\"\nethnicity = \"Ethnicity\"\nimd_decile = \"IMD\"\n",
        "",
    );
    assert_ne!(config, common::CONFIG);
    s.write("programme.toml", &config);
    let out = s.validate(&[]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("`tables.referrals`: this required key is missing"),
        "{}",
        out.stderr
    );

    // No [timepoints] and no assessments or medications: nothing needs it.
    let s = Scenario::clean();
    let config = common::CONFIG
        .split("[tables.assessments]")
        .next()
        .unwrap()
        .to_owned();
    s.write("programme.toml", &config);
    let out = s.validate(&[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // With assessments, the error names the top-level section.
    let with_assessments =
        common::CONFIG.replace("[timepoints]\norder = [\"baseline\", \"discharge\"]\n", "");
    let with_assessments = with_assessments.replace(
        "[labels.timepoint]\nbaseline = [\"Start\"]\ndischarge = [\"End\"]\n",
        "",
    );
    s.write("programme.toml", &with_assessments);
    let out = s.validate(&[]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("`timepoints`: the [timepoints] section is missing"),
        "{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains("programme.timepoints"),
        "{}",
        out.stderr
    );
}

#[test]
fn config_unknown_field_mapping_gets_suggestion() {
    let s = Scenario::clean();
    s.edit_config("session_date = \"Date\"", "sesion_date = \"Date\"");
    let out = s.validate(&[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("tables.sessions.columns.sesion_date")
            && out.stderr.contains("did you mean `session_date`?"),
        "{}",
        out.stderr
    );
}

#[test]
fn config_unknown_measure_gets_suggestion() {
    let s = Scenario::clean();
    s.edit_config("id = \"swemwbs\"", "id = \"swembws\"");
    let out = s.validate(&[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("swembws") && out.stderr.contains("swemwbs"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("programme.toml:"), "{}", out.stderr);
}

#[test]
fn unknown_timepoint_label() {
    let s = Scenario::clean();
    s.append("assessments.csv", "C2,10/06/2025,Six months,swemwbs,20");
    let out = s.validate(&[]);
    let f = out.only("unknown_timepoint");
    assert_eq!(
        (f.line, f.column.as_str(), f.value.as_str()),
        (6, "Stage", "Six months")
    );
}

#[test]
fn unknown_measure_label() {
    let s = Scenario::clean();
    s.append("assessments.csv", "C2,10/04/2025,Start,GAD-7,12");
    let out = s.validate(&[]);
    assert_eq!(out.only("unknown_measure").line, 6);
}

#[test]
fn medication_problems() {
    let s = Scenario::clean();
    s.append(
        "medications.csv",
        "C2,10/04/2025,Paracetamoll,4,tablets,Start",
    );
    s.append("medications.csv", "C2,10/04/2025,Tramadol,4000,mg,Start");
    s.append(
        "medications.csv",
        "C2,10/04/2025,Fentanyl 25 micrograms/hour patch,25,mg,Start",
    );
    let out = s.validate(&[]);
    let drug = out.only("unknown_drug");
    assert_eq!((drug.line, drug.column.as_str()), (4, "Drug"));
    let dose = out.only("impossible_dose");
    assert_eq!((dose.line, dose.column.as_str()), (5, "Dose"));
    let unit = out.only("unit_mismatch");
    assert_eq!((unit.line, unit.column.as_str()), (6, "Unit"));
}

#[test]
fn missing_required_value() {
    let s = Scenario::clean();
    s.append("sessions.csv", ",10/04/2025,Phone,20");
    s.append("sessions.csv", "C2,,Phone,20");
    let out = s.validate(&[]);
    let missing: Vec<(u64, &str)> = out
        .findings
        .iter()
        .filter(|r| r.code == "missing_required")
        .map(|r| (r.line, r.column.as_str()))
        .collect();
    assert_eq!(missing, vec![(5, "Client ID"), (6, "Date")]);
}

#[test]
fn ragged_row_is_excluded() {
    let s = Scenario::clean();
    s.append(
        "sessions.csv",
        "C2,17/04/2025,Phone,20,Benefits, debt advice",
    );
    let out = s.validate(&[]);
    let f = out.only("wrong_field_count");
    assert_eq!(f.line, 5);
    assert!(
        f.reason.contains("6 fields but the header has 4"),
        "{}",
        f.reason
    );
}

#[test]
fn quoted_newlines_keep_line_numbers_right() {
    let s = Scenario::clean();
    s.write("referrals.csv", "Client ID,Referred,Started,Discharged,Ethnicity,IMD\nC1,01/04/2025,08/04/2025,30/09/2025,\"White\nBritish\",1\nC2,03/04/2025,10/04/2025,,Pakistani,12\n");
    let out = s.validate(&[]);
    // The first record spans lines 2-3, so C2 starts on line 4.
    assert_eq!(out.only("out_of_range").line, 4);
}

#[test]
fn not_a_number() {
    let s = Scenario::clean();
    s.append("assessments.csv", "C3,06/04/2025,Start,swemwbs,n/a");
    s.append("sessions.csv", "C2,17/04/2025,Phone,about an hour");
    let out = s.validate(&[]);
    let lines: Vec<(String, u64)> = out
        .findings
        .iter()
        .filter(|r| r.code == "not_a_number")
        .map(|r| (r.file.clone(), r.line))
        .collect();
    assert_eq!(
        lines,
        vec![("sessions.csv".into(), 5), ("assessments.csv".into(), 6)]
    );
}

#[test]
fn duplicate_assessment_keeps_earliest_baseline() {
    let s = Scenario::clean();
    s.append("assessments.csv", "C1,12/04/2025,Start,swemwbs,22");
    let out = s.validate(&[]);
    let f = out.only("duplicate_assessment");
    assert_eq!((f.line, f.column.as_str()), (6, "Score"));
    assert!(f.reason.contains("earliest"), "{}", f.reason);
}

#[test]
fn unknown_category_label_is_ignored_with_a_finding() {
    let s = Scenario::clean();
    s.append("sessions.csv", "C2,17/04/2025,Carrier pigeon,20");
    let out = s.validate(&[]);
    let f = out.only("unknown_label");
    assert_eq!(
        (f.line, f.column.as_str(), f.action.as_str()),
        (5, "Mode", "value ignored")
    );
    assert!(f.reason.contains("[labels.contact_mode]"));
}

#[test]
fn future_dates_are_implausible() {
    let s = Scenario::clean();
    s.append("sessions.csv", "C2,17/04/2031,Phone,20");
    let out = s.validate(&[]);
    assert_eq!(out.only("implausible_date").line, 5);
}

#[test]
fn strict_turns_findings_into_exit_1() {
    let s = Scenario::clean();
    s.append("sessions.csv", "C2,17/04/2025,Carrier pigeon,20");
    let out = s.validate(&["--strict"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("--strict"), "{}", out.stderr);
    assert_eq!(
        out.findings.len(),
        1,
        "the data-quality file is still written"
    );
}

#[test]
fn no_file_matches_pattern() {
    let s = Scenario::clean();
    s.edit_config("files = [\"sessions.csv\"]", "files = [\"sessions_*.csv\"]");
    let out = s.validate(&[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("sessions: no file matches `sessions_*.csv`"),
        "{}",
        out.stderr
    );
}

#[test]
fn several_files_make_one_table() {
    let s = Scenario::clean();
    s.write("sessions_a.csv", common::SESSIONS);
    s.write(
        "sessions_b.csv",
        "Client ID,Date,Mode,Minutes\nC2,17/04/2025,Carrier pigeon,20\n",
    );
    s.edit_config("files = [\"sessions.csv\"]", "files = [\"sessions_*.csv\"]");
    let out = s.validate(&[]);
    let f = out.only("unknown_label");
    assert_eq!((f.file.as_str(), f.line), ("sessions_b.csv", 2));
}

#[test]
fn unscorable_total_from_items_in_wide_layout() {
    let s = Scenario::clean();
    s.write(
        "assessments.csv",
        "Client ID,Date,Stage,Q1,Q2,Q3,Q4,Q5,Q6,Q7\nC1,08/04/2025,Start,3,3,3,3,3,3,3\nC1,30/09/2025,End,4,4,,4,4,4,4\n",
    );
    s.edit_config(
        "value = \"Score\"\n",
        "\n[tables.assessments.items]\nswemwbs = [\"Q1\", \"Q2\", \"Q3\", \"Q4\", \"Q5\", \"Q6\", \"Q7\"]\n",
    );
    s.edit_config("measure = \"Measure\"\n", "");
    s.edit_config(
        "files = [\"assessments.csv\"]",
        "files = [\"assessments.csv\"]\nlayout = \"wide\"",
    );
    let out = s.validate(&[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let f = out.only("unscorable_total");
    assert_eq!(f.line, 3);
}

#[test]
fn parquet_exports_are_read() {
    use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray};
    use std::sync::Arc;
    let s = Scenario::clean();
    let text = |v: &[&str]| Arc::new(StringArray::from(v.to_vec())) as ArrayRef;
    let batch = RecordBatch::try_from_iter([
        ("Client ID", text(&["C1", "C1", "C2"])),
        ("Date", text(&["08/04/2025", "15/04/2025", "10/04/2025"])),
        ("Mode", text(&["Face to face", "Phone", "Owl"])),
        (
            "Minutes",
            Arc::new(Int64Array::from(vec![60, 30, 45])) as ArrayRef,
        ),
    ])
    .unwrap();
    let file = std::fs::File::create(s.path("sessions.parquet")).unwrap();
    let mut writer = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
    s.edit_config(
        "files = [\"sessions.csv\"]",
        "files = [\"sessions.parquet\"]",
    );
    let out = s.validate(&[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let f = out.only("unknown_label");
    assert_eq!(
        (f.file.as_str(), f.line, f.value.as_str()),
        ("sessions.parquet", 3, "Owl")
    );
}

#[test]
fn failed_run_leaves_previous_output_untouched() {
    let s = Scenario::clean();
    s.append("sessions.csv", "C2,17/04/2025,Carrier pigeon,20");
    assert_eq!(s.validate(&[]).code, 0);
    let before = std::fs::read(s.out_dir().join("data-quality.csv")).unwrap();
    s.write("sessions.csv", "");
    let out = common::sprout()
        .args(["validate", "--config"])
        .arg(s.path("programme.toml"))
        .arg("--out")
        .arg(s.out_dir())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read(s.out_dir().join("data-quality.csv")).unwrap(),
        before
    );
}

#[test]
fn personal_data_never_reaches_findings_or_terminal() {
    let s = Scenario::clean();
    s.write("referrals.csv", "Client ID,Referred,Started,Discharged,Ethnicity,IMD,DOB\nC1,01/04/2025,08/04/2025,30/09/2025,White British,1,01/01/1800\nC2,03/04/2025,10/04/2025,,943 476 5919,2,12/05/1960\nC3,05/04/2025,,,,,\n");
    s.edit_config(
        "imd_decile = \"IMD\"",
        "imd_decile = \"IMD\"\ndate_of_birth = \"DOB\"",
    );
    let out = s.validate(&[]);
    assert_eq!(out.only("implausible_date").value, "[withheld]");
    assert_eq!(
        out.only("unknown_label").value,
        "[withheld]",
        "an NHS number in the wrong column is withheld"
    );
    for secret in ["01/01/1800", "943 476 5919", "C1", "C2"] {
        assert!(
            !out.stdout.contains(secret) && !out.stderr.contains(secret),
            "`{secret}` leaked: {}",
            out.stdout
        );
        let csv = std::fs::read_to_string(s.out_dir().join("data-quality.csv")).unwrap();
        assert!(
            !csv.contains(secret),
            "`{secret}` leaked into data-quality.csv"
        );
    }
}

#[test]
fn missing_config_and_bad_arguments_exit_2() {
    let out = common::sprout()
        .args(["validate", "--config", "/nonexistent/programme.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = common::sprout()
        .args(["validate", "--bogus"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

fn write_xlsx(s: &Scenario, name: &str, sheet: &str, rows: &[&[&str]]) -> std::path::PathBuf {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet).unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    let path = s.path(name);
    book.save(&path).unwrap();
    path
}

#[test]
fn non_opioid_pain_medicines_are_recognised_not_counted() {
    let s = Scenario::clean();
    s.append(
        "medications.csv",
        "C1,08/04/2025,Paracetamol 500mg tablets,8,tablets,Start",
    );
    s.append("medications.csv", "C1,08/04/2025,Naproxen,,,Start");
    s.append(
        "medications.csv",
        "C1,30/09/2025,Local herbal balm,1,tablets,End",
    );
    s.edit_config(
        "[labels.timepoint]",
        "[medications]\nnot_counted = [\"local herbal balm\"]\n\n[labels.timepoint]",
    );
    let out = s.validate(&["--strict"]);
    assert_eq!(out.code, 0, "{:#?}", out.findings);
}

#[test]
fn a_second_medication_review_for_a_timepoint_is_not_added() {
    let s = Scenario::clean();
    // Two baseline reviews on different dates: the earliest is used, so OME is not doubled.
    s.append("medications.csv", "C1,15/04/2025,Tramadol,200,mg,Start");
    let out = s.validate(&[]);
    let f = out.only("duplicate_review");
    assert_eq!(
        (f.line, f.column.as_str(), f.value.as_str()),
        (4, "Date", "15/04/2025")
    );
}

#[test]
fn an_assessment_dated_before_the_previous_timepoint_is_a_finding() {
    let s = Scenario::clean();
    s.append("assessments.csv", "C2,05/04/2025,End,swemwbs,22");
    let out = s.validate(&[]);
    let f = out.only("assessment_out_of_order");
    assert_eq!(f.line, 6);
    assert!(
        f.reason.contains("before the baseline assessment"),
        "{}",
        f.reason
    );
}

#[test]
fn odd_config_values_are_errors_not_crashes() {
    for (from, to, expect) in [
        (
            "[programme]",
            "[dates]\nformats = [\"dd–mm–yyyy\"]\n\n[programme]",
            "unexpected `–`",
        ),
        (
            "[labels.timepoint]",
            "[[phases]]\nid = \"pre_op\"\nstarts = \"start\"\nends = \"start + 99999999d\"\n\n[labels.timepoint]",
            "not supported",
        ),
        (
            "[labels.timepoint]",
            "[costs]\nper_quarter = 100\nper_contact_hour = 30\n\n[labels.timepoint]",
            "either per_quarter or per_contact_hour, not both",
        ),
        (
            "[labels.timepoint]",
            "[costs]\nper_quarter = -5\n\n[labels.timepoint]",
            "costs.per_quarter",
        ),
        (
            "[labels.timepoint]",
            "[costs]\nper_year = 5\n\n[labels.timepoint]",
            "per_year",
        ),
    ] {
        let s = Scenario::clean();
        s.edit_config(from, to);
        let out = s.validate(&[]);
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(
            out.stderr.contains(expect) && !out.stderr.contains("internal"),
            "{}",
            out.stderr
        );
    }
}

#[test]
fn huge_durations_are_out_of_range() {
    let s = Scenario::clean();
    s.append("sessions.csv", "C2,17/04/2025,Phone,71582789:00");
    let out = s.validate(&[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.only("out_of_range").line, 5);
}

#[test]
fn file_names_with_brackets_are_read_literally() {
    let s = Scenario::clean();
    std::fs::rename(s.path("sessions.csv"), s.path("sessions [final].csv")).unwrap();
    s.edit_config(
        "files = [\"sessions.csv\"]",
        "files = [\"sessions [final].csv\"]",
    );
    let out = s.validate(&["--strict"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn xlsx_durations_are_read_as_minutes() {
    let s = Scenario::clean();
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    let duration = rust_xlsxwriter::Format::new().set_num_format("[h]:mm");
    for (c, h) in ["Client ID", "Date", "Mode", "Minutes"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "C1").unwrap();
    ws.write_string(1, 1, "08/04/2025").unwrap();
    ws.write_string(1, 2, "Phone").unwrap();
    ws.write_number_with_format(1, 3, 0.0625, &duration)
        .unwrap();
    book.save(s.path("sessions.xlsx")).unwrap();
    s.edit_config("files = [\"sessions.csv\"]", "files = [\"sessions.xlsx\"]");
    let config = sprout::config::load(&s.path("programme.toml")).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    let validated = sprout::validate::run(&config, sprout::validate::Options { today }).unwrap();
    assert!(
        validated.findings.is_empty(),
        "{:?}",
        validated.findings.iter().collect::<Vec<_>>()
    );
    let csv = validated.tables.sessions.unwrap().to_csv();
    assert!(
        csv.lines().nth(1).unwrap().contains(",90.0,")
            || csv.lines().nth(1).unwrap().contains(",90,"),
        "{csv}"
    );
}

#[test]
fn titles_above_the_header_are_skipped() {
    let s = Scenario::clean();
    // A report title, the export date and a blank line above the table, with CRLF endings.
    let text = format!(
        "Sessions report,,,\r\nExported 08/10/2025 by admin,,,\r\n,,,\r\n{}C9,12/04/2025,Phone,30\r\n",
        common::SESSIONS.replace('\n', "\r\n")
    );
    s.write("sessions.csv", &text);
    let out = s.validate(&[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let f = out.only("unknown_client");
    assert_eq!((f.file.as_str(), f.line), ("sessions.csv", 8));

    write_xlsx(
        &s,
        "medications.xlsx",
        "Meds",
        &[
            &["Medication review export"],
            &[],
            &["Client ID", "Date", "Drug", "Dose", "Unit", "Stage"],
            &["C1", "08/04/2025", "Frobnicate", "100", "mg", "Start"],
        ],
    );
    s.edit_config(
        "files = [\"medications.csv\"]",
        "files = [\"medications.xlsx\"]",
    );
    let out = s.validate(&[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let f = out.only("unknown_drug");
    assert_eq!((f.sheet.as_str(), f.line), ("Meds", 4));
}

#[test]
fn a_header_that_never_comes_is_reported_at_the_first_row() {
    let s = Scenario::clean();
    let mut text = String::from("Sessions report\n");
    for _ in 0..20 {
        text.push_str("C1,08/04/2025,Phone,30\n");
    }
    s.write("sessions.csv", &text);
    let out = s.validate(&[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("sessions.csv") && out.stderr.contains("line 1"),
        "{}",
        out.stderr
    );
}

#[test]
fn xlsx_dates_that_lost_their_format_are_read_as_dates() {
    let s = Scenario::clean();
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (c, h) in ["Client ID", "Date", "Drug", "Dose", "Unit", "Stage"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    // 45755 is 08/04/2025 as Excel counts days, in a cell formatted "General".
    ws.write_string(1, 0, "C1").unwrap();
    ws.write_number(1, 1, 45755.0).unwrap();
    ws.write_string(1, 2, "Tramadol").unwrap();
    ws.write_number(1, 3, 200.0).unwrap();
    ws.write_string(1, 4, "mg").unwrap();
    ws.write_string(1, 5, "Start").unwrap();
    // A number that cannot be a date still fails as one, naming the value.
    ws.write_string(2, 0, "C1").unwrap();
    ws.write_number(2, 1, -4.0).unwrap();
    ws.write_string(2, 2, "Tramadol").unwrap();
    ws.write_number(2, 3, 200.0).unwrap();
    ws.write_string(2, 4, "mg").unwrap();
    ws.write_string(2, 5, "End").unwrap();
    book.save(s.path("medications.xlsx")).unwrap();
    s.edit_config(
        "files = [\"medications.csv\"]",
        "files = [\"medications.xlsx\"]",
    );
    let out = s.validate(&[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.codes(), vec!["unparseable_date"], "{:#?}", out.findings);
    let f = out.only("unparseable_date");
    assert_eq!((f.line, f.value.as_str()), (3, "-4"));
}

#[test]
fn a_header_missing_a_column_below_a_title_is_the_one_reported() {
    let s = Scenario::clean();
    s.write(
        "sessions.csv",
        "Sessions export 2025-26\nClient ID,When,Mode,Minutes\nC1,08/04/2025,Phone,30\n",
    );
    let out = s.validate(&[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("line 2") && out.stderr.contains("session_date"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("client_id"), "{}", out.stderr);
}

#[test]
fn a_new_gabapentinoid_needs_a_defined_daily_dose_when_doses_are_reported_so() {
    let s = Scenario::clean();
    s.edit_config(
        "[labels.timepoint]",
        "[medications]\ngabapentinoid_ddd = true\n\n[[medications.drugs]]\nname = \"Mirogabalin\"\nmolecule = \"mirogabalin\"\nclass = \"gabapentinoid\"\n\n[labels.timepoint]",
    );
    let out = s.validate(&[]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("medications.drugs[1].ddd_mg"),
        "{}",
        out.stderr
    );
    s.edit_config(
        "class = \"gabapentinoid\"",
        "class = \"gabapentinoid\"\nddd_mg = 30",
    );
    let out = s.validate(&["--strict"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}
