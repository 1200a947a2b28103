//! Real-world quirks of exports that would otherwise change figures without a word: a
//! formula with no saved result, a header repeated, a file of a pattern missing a column,
//! a re-export with a column more, rows above the header, a Mac workbook, a hidden first
//! sheet, client references in another case, Excel's error values; and workbooks whose
//! declared size is far beyond what they hold. Each case runs the real binary under the
//! same 4 GiB address-space limit as the hostile corpus.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::Scenario;
use common::bounded::*;
use common::workbook::{self, Cell, Sheet};

fn text(s: &str) -> Cell {
    Cell::Text(s.into())
}

/// The sample sessions (C1 twice, C2 once, all in April 2025) as workbook rows, with a
/// fifth column built by `fifth` from the row number (1-based data rows).
fn session_rows_with(header: &str, fifth: impl Fn(usize) -> Cell) -> Vec<Vec<Cell>> {
    let mut rows = vec![
        ["Client ID", "Date", "Mode", "Minutes", header]
            .iter()
            .map(|h| text(h))
            .collect::<Vec<_>>(),
    ];
    for (i, line) in common::SESSIONS.lines().skip(1).enumerate() {
        let mut row: Vec<Cell> = line.split(',').map(text).collect();
        row.push(fifth(i + 1));
        rows.push(row);
    }
    rows
}

fn sessions_sheet(rows: Vec<Vec<Cell>>) -> Sheet {
    Sheet {
        name: "Sessions".into(),
        hidden: false,
        rows,
    }
}

fn map_status(s: &Scenario, header: &str) {
    s.edit_config(
        "duration_minutes = \"Minutes\"",
        &format!("duration_minutes = \"Minutes\"\nstatus = \"{header}\""),
    );
}

/// Sessions of the period by outcome: (attended, did not attend, cancelled).
fn outcomes(s: &Scenario) -> (u64, u64, u64) {
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(s.path("out/2025-04-01_2025-09-30/evaluator/report.json"))
            .unwrap(),
    )
    .unwrap();
    let e = &json["engagement"]["period"];
    let n = |k: &str| e[k]["value"].as_u64().unwrap_or(0);
    (n("attended"), n("did_not_attend"), n("cancelled"))
}

fn with_code<'a>(f: &'a [common::Row], code: &str) -> Vec<&'a common::Row> {
    f.iter().filter(|r| r.code == code).collect()
}

// ---- 1. Formulas without a saved result ---------------------------------------------------

#[test]
fn a_formula_with_no_saved_result_is_a_finding_never_an_empty_cell() {
    let s = Scenario::clean();
    let rows = session_rows_with("Attendance", |r| {
        Cell::Formula(format!("IF(D{}>0,\"Attended\",\"DNA\")", r + 1))
    });
    workbook::xlsx(
        &s.path("sessions.xlsx"),
        &[sessions_sheet(rows)],
        false,
        None,
    );
    sessions_as(&s, "sessions.xlsx");
    map_status(&s, "Attendance");
    report(&s).ok();
    let f = findings(&s);
    let formulas = with_code(&f, "formula_without_value");
    assert_eq!(formulas.len(), 3, "{f:#?}");
    let first = formulas[0];
    assert_eq!(
        (first.sheet.as_str(), first.line),
        ("Sessions", 2),
        "{first:#?}"
    );
    assert_eq!(first.column, "Attendance");
    assert_eq!(first.value, "IF(D2>0,\"Attended\",\"DNA\")");
    assert_eq!(first.action, "value ignored");
    // Not one of them counts as attended: their status is not known.
    assert_eq!(outcomes(&s), (0, 0, 0));

    // A required value that is a formula without a result leaves the row out, with the
    // one finding.
    let mut rows = session_rows_with("Attendance", |_| text("Attended"));
    rows[1][1] = Cell::Formula("TODAY()-3".into());
    workbook::xlsx(
        &s.path("sessions.xlsx"),
        &[sessions_sheet(rows)],
        false,
        None,
    );
    report(&s).ok();
    let f = findings(&s);
    let formulas = with_code(&f, "formula_without_value");
    assert_eq!(formulas.len(), 1, "{f:#?}");
    assert_eq!(formulas[0].action, "row excluded");
    assert!(with_code(&f, "missing_required").is_empty(), "{f:#?}");
    assert_eq!(outcomes(&s), (2, 0, 0));
}

// ---- 2. A header repeated -----------------------------------------------------------------

#[test]
fn two_columns_with_one_header_are_an_error_naming_both_or_the_one_the_config_picks() {
    let s = Scenario::clean();
    s.write(
        "sessions.csv",
        "Client ID,Date,Attendance,Mode,Minutes,Attendance\n\
         C1,08/04/2025,,Face to face,60,Attended\n\
         C1,15/04/2025,,Phone,30,DNA\n\
         C2,10/04/2025,,Video,45,Cancelled\n",
    );
    map_status(&s, "Attendance");
    let run = validate(&s);
    run.fails_naming(2, "sessions.csv");
    assert!(
        run.stderr.contains("column 3 (C) and column 6 (F)")
            && run.stderr.contains("status")
            && run.stderr.contains("Attendance #2"),
        "{}",
        run.stderr
    );
    // The config names the second.
    s.edit_config("status = \"Attendance\"", "status = \"Attendance #2\"");
    report(&s).ok();
    assert_eq!(outcomes(&s), (1, 1, 1));
}

// ---- 3. One file of a pattern without a mapped column -------------------------------------

#[test]
fn a_file_without_a_mapped_column_is_named_and_its_rows_read_as_not_recorded() {
    let s = Scenario::clean();
    s.write(
        "sessions_april.csv",
        "Client ID,Date,Mode,Minutes,Attendance\n\
         C1,08/04/2025,Face to face,60,Attended\n\
         C2,10/04/2025,Video,45,DNA\n",
    );
    s.write(
        "sessions_may.csv",
        "Client ID,Date,Mode,Minutes\n\
         C1,15/05/2025,Phone,30\n\
         C2,16/05/2025,Phone,30\n\
         C2,17/05/2025,Phone,30\n",
    );
    std::fs::remove_file(s.path("sessions.csv")).unwrap();
    sessions_as(&s, "sessions_*.csv");
    map_status(&s, "Attendance");
    report(&s).ok();
    let f = findings(&s);
    let missing = with_code(&f, "column_missing");
    assert_eq!(missing.len(), 1, "{f:#?}");
    assert_eq!(missing[0].file, "sessions_may.csv");
    assert!(
        missing[0]
            .reason
            .contains("its 3 rows are read with status not recorded"),
        "{missing:#?}"
    );
    // May's three sessions are not counted as attended by default.
    assert_eq!(outcomes(&s), (1, 1, 0));
    // The same field mapped in the config but absent from the only file: a finding too.
    let s = Scenario::clean();
    map_status(&s, "Attendance");
    report(&s).ok();
    assert_eq!(with_code(&findings(&s), "column_missing").len(), 1);
    assert_eq!(outcomes(&s), (0, 0, 0));
}

// ---- 4. A re-export with a column more ----------------------------------------------------

#[test]
fn a_re_export_with_another_column_is_found_row_by_row_naming_both_files() {
    let s = Scenario::clean();
    let again: String = common::SESSIONS
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                format!("{l},Exported\n")
            } else {
                format!("{l},01/10/2025\n")
            }
        })
        .collect();
    s.write("sessions_2.csv", &again);
    s.write("sessions_1.csv", common::SESSIONS);
    std::fs::remove_file(s.path("sessions.csv")).unwrap();
    sessions_as(&s, "sessions_*.csv");
    report(&s).ok();
    let f = findings(&s);
    let dup = with_code(&f, "duplicate_row");
    assert_eq!(dup.len(), 3, "{f:#?}");
    assert!(
        dup.iter()
            .all(|d| d.file == "sessions_2.csv" && d.reason.contains("sessions_1.csv")),
        "{dup:#?}"
    );
    assert_eq!(outcomes(&s), (3, 0, 0));

    // Within one file, two sessions told apart only by a column the config does not read
    // are two sessions.
    let s = Scenario::clean();
    s.write(
        "sessions.csv",
        "Session,Client ID,Date,Mode,Minutes\n\
         S1,C1,08/04/2025,Phone,15\n\
         S2,C1,08/04/2025,Phone,15\n",
    );
    report(&s).ok();
    assert!(with_code(&findings(&s), "duplicate_row").is_empty());
    assert_eq!(outcomes(&s), (2, 0, 0));
}

// ---- 5. Rows above the header -------------------------------------------------------------

#[test]
fn data_rows_above_the_header_are_counted_and_reported_titles_are_not() {
    let s = Scenario::clean();
    s.write(
        "sessions.csv",
        "Sessions export\n\
         Exported on,01/10/2025\n\
         C1,01/04/2025,Phone,20\n\
         C2,02/04/2025,Phone,20\n\
         C2,03/04/2025,Video,20\n\
         Client ID,Date,Mode,Minutes\n\
         C1,08/04/2025,Face to face,60\n",
    );
    report(&s).ok();
    let f = findings(&s);
    let above = with_code(&f, "row_above_header");
    let lines: Vec<u64> = above.iter().map(|r| r.line).collect();
    assert_eq!(lines, vec![3, 4, 5], "{f:#?}");
    assert!(above[0].reason.contains("line 6"), "{above:#?}");
    assert_eq!(above[0].action, "row excluded");
    assert_eq!(outcomes(&s), (1, 0, 0));
    // The rows are counted as read.
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(s.path("out/2025-04-01_2025-09-30/evaluator/report.json"))
            .unwrap(),
    )
    .unwrap();
    let sessions = json["data_quality"]["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["table"] == "sessions")
        .unwrap();
    assert_eq!(sessions["rows_read"], 4, "{sessions:#}");
    assert_eq!(sessions["rows_excluded"], 3, "{sessions:#}");
}

// ---- 6. The 1904 date system --------------------------------------------------------------

#[test]
fn a_mac_workbook_counts_days_from_1904() {
    let s = Scenario::clean();
    // 8, 15 and 10 April 2025 as day counts from 1 January 1904, in "General" cells.
    let days = [44293.0, 44300.0, 44295.0];
    let mut rows = session_rows_with("Note", |_| Cell::Empty);
    for (row, d) in rows.iter_mut().skip(1).zip(days) {
        row[1] = Cell::Number(d);
    }
    workbook::xlsx(
        &s.path("sessions.xlsx"),
        &[sessions_sheet(rows)],
        true,
        None,
    );
    sessions_as(&s, "sessions.xlsx");
    report(&s).ok();
    let f = findings(&s);
    assert!(f.iter().all(|r| r.table != "sessions"), "{f:#?}");
    assert_eq!(outcomes(&s), (3, 0, 0));
}

// ---- 7. A hidden first sheet --------------------------------------------------------------

#[test]
fn the_first_visible_sheet_is_read_and_named() {
    let s = Scenario::clean();
    let mut old = Sheet::from_csv(
        "Old export",
        "Client ID,Date,Mode,Minutes\nC1,08/04/2024,Phone,30\n",
    );
    old.hidden = true;
    let current = Sheet::from_csv("Sessions", common::SESSIONS);
    workbook::xlsx(&s.path("sessions.xlsx"), &[old, current], false, None);
    sessions_as(&s, "sessions.xlsx");
    let run = validate(&s);
    run.ok();
    assert!(
        run.stdout
            .contains("read sheet 'Sessions', the first visible sheet"),
        "{}",
        run.stdout
    );
    report(&s).ok();
    assert_eq!(outcomes(&s), (3, 0, 0));
}

// ---- 8. Client references in another case -------------------------------------------------

#[test]
fn client_references_are_matched_ignoring_case_and_spaces_and_it_is_said_once() {
    let s = Scenario::clean();
    s.write(
        "sessions.csv",
        "Client ID,Date,Mode,Minutes\n\
         c1,08/04/2025,Face to face,60\n\
         \" C1 \",15/04/2025,Phone,30\n\
         C2,10/04/2025,Video,45\n",
    );
    let run = validate(&s);
    run.ok();
    assert!(with_code(&findings(&s), "unknown_client").is_empty());
    assert_eq!(
        run.stdout
            .matches("only in case or surrounding spaces")
            .count(),
        1,
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("2 rows named their client"),
        "{}",
        run.stdout
    );
    // A second referral written in another case is the same client.
    s.append("referrals.csv", "c2,04/04/2025,,,,");
    validate(&s).ok();
    let f = findings(&s);
    let dup = with_code(&f, "duplicate_client");
    assert_eq!(dup.len(), 1, "{f:#?}");
    assert!(dup[0].reason.contains("differ only in case"), "{dup:#?}");
    // Unless the config says references are case-sensitive.
    s.edit_config(
        "organisation = \"Test organisation\"",
        "organisation = \"Test organisation\"\ncase_sensitive_ids = true",
    );
    validate(&s).ok();
    let f = findings(&s);
    assert_eq!(with_code(&f, "unknown_client").len(), 1, "{f:#?}");
    assert!(with_code(&f, "duplicate_client").is_empty(), "{f:#?}");
}

// ---- 13, 14. Workbooks that declare far more than they hold --------------------------------

#[test]
fn ods_rows_repeated_past_the_cell_limit_are_refused_before_expanding() {
    let s = Scenario::clean();
    // A few hundred bytes declaring 990,000 rows of a hundred filled cells: 99 million
    // cells, just under the workbook library's own cap, which would build them all.
    workbook::ods(
        &s.path("sessions.ods"),
        r#"<table:table table:name="Sessions"><table:table-row><table:table-cell office:value-type="string"><text:p>Client ID</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Date</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="990000"><table:table-cell office:value-type="string" table:number-columns-repeated="100"><text:p>C1</text:p></table:table-cell></table:table-row></table:table>"#,
    );
    assert!(std::fs::metadata(s.path("sessions.ods")).unwrap().len() < 2000);
    sessions_as(&s, "sessions.ods");
    let run = validate(&s);
    run.fails_naming(2, "sessions.ods");
    assert!(
        run.stderr.contains("sheet 'Sessions'") && run.stderr.contains("sheet_cells"),
        "{}",
        run.stderr
    );
    report_refused_keeping_previous(&s, "sessions.ods");
    // A normal ODS, with empty rows repeated to the end of the sheet as LibreOffice writes
    // them, reads.
    let mut rows = String::new();
    for line in common::SESSIONS.lines() {
        rows.push_str("<table:table-row>");
        for c in line.split(',') {
            rows.push_str(&format!(
                r#"<table:table-cell office:value-type="string"><text:p>{c}</text:p></table:table-cell>"#
            ));
        }
        rows.push_str(
            r#"<table:table-cell table:number-columns-repeated="1020"/></table:table-row>"#,
        );
    }
    rows.push_str(r#"<table:table-row table:number-rows-repeated="1048572"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#);
    workbook::ods(
        &s.path("sessions.ods"),
        &format!(r#"<table:table table:name="Sessions">{rows}</table:table>"#),
    );
    report(&s).ok();
    assert_eq!(session_rows(&s), 3);
}

#[test]
fn a_huge_shared_string_is_refused_naming_the_limit() {
    let s = Scenario::clean();
    // 64 MiB of text in one cell, compressed to a few hundred kilobytes.
    workbook::xlsx_with_huge_shared_string(&s.path("sessions.xlsx"), 64 << 20);
    sessions_as(&s, "sessions.xlsx");
    let run = validate(&s);
    run.fails_naming(2, "sessions.xlsx");
    assert!(run.stderr.contains("cell_bytes"), "{}", run.stderr);
    report_refused_keeping_previous(&s, "sessions.xlsx");

    // A table of text values past its own limit.
    let strings: Vec<String> = (0..2000).map(|i| format!("{i:0>100}")).collect();
    let strings: Vec<&str> = strings.iter().map(String::as_str).collect();
    workbook::xlsx(
        &s.path("sessions.xlsx"),
        &[Sheet::from_csv("Sessions", common::SESSIONS)],
        false,
        Some(&strings),
    );
    s.edit_config(
        "[timepoints]",
        "[limits]\nshared_strings_bytes = 65536\n\n[timepoints]",
    );
    let run = validate(&s);
    run.fails_naming(2, "sessions.xlsx");
    assert!(
        run.stderr.contains("shared_strings_bytes"),
        "{}",
        run.stderr
    );
}

// ---- 18. Excel's error values -------------------------------------------------------------

#[test]
fn error_cells_are_quoted_as_excel_shows_them() {
    let s = Scenario::clean();
    let mut rows = session_rows_with("Note", |_| Cell::Empty);
    rows[1][3] = Cell::Error("#N/A".into());
    rows[2][3] = Cell::Error("#DIV/0!".into());
    workbook::xlsx(
        &s.path("sessions.xlsx"),
        &[sessions_sheet(rows)],
        false,
        None,
    );
    sessions_as(&s, "sessions.xlsx");
    validate(&s).ok();
    let f = findings(&s);
    let values: Vec<&str> = with_code(&f, "not_a_number")
        .iter()
        .map(|r| r.value.as_str())
        .collect();
    assert_eq!(values, vec!["#N/A", "#DIV/0!"], "{f:#?}");
}

// ---- 11. File and sheet names ------------------------------------------------------------

#[test]
fn file_and_sheet_names_holding_personal_data_are_withheld_everywhere() {
    let s = Scenario::clean();
    let name = "Ottoline Canarywick 401 023 2137";
    workbook::xlsx(
        &s.path(&format!("{name}.xlsx")),
        &[Sheet::from_csv("Canarywick 4010232137", common::SESSIONS)],
        false,
        None,
    );
    sessions_as(&s, "*.xlsx");
    // A finding in the file, so the file is named in data-quality.csv.
    s.append("assessments.csv", "C9,08/04/2025,Start,swemwbs,20");
    let validated = validate(&s);
    validated.ok();
    let run = report_with(&s, &[], None);
    run.ok();
    assert_eq!(session_rows(&s), 3);
    let mut texts = vec![validated.all(), run.all()];
    fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "xlsx" || e == "pdf") {
                out.push(common::readable_text(&p));
            } else {
                out.push(String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned());
            }
        }
    }
    walk(&s.path("out"), &mut texts);
    for t in &texts {
        assert!(
            !t.contains("Canarywick") && !t.contains("4010232137") && !t.contains("401 023"),
            "{t}"
        );
    }
    // The manifest still identifies the file, by its hash.
    let manifest =
        std::fs::read_to_string(s.path("out/2025-04-01_2025-09-30/manifest.json")).unwrap();
    assert!(manifest.contains("[file name withheld"), "{manifest}");
    // Published reports do not name files at all.
    let trustee =
        std::fs::read_to_string(s.path("out/2025-04-01_2025-09-30/commissioner/report.json"))
            .unwrap();
    assert!(!trustee.contains("sessions.csv") && !trustee.contains("referrals.csv"));
}
