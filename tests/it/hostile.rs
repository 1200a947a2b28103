//! A corpus of hostile and broken inputs. Each case runs the real binary under a 4 GiB
//! address-space limit and asserts its exit code, that the message names the file, and,
//! where a report folder exists, that a failed run leaves it untouched.
//!
//! `SPROUT_BIN` runs the corpus against another build of the binary.
#![allow(clippy::unwrap_used)]

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::Scenario;
use common::bounded::*;

// ---- 1. Spreadsheets whose declared or real extent is enormous --------------------------

/// A workbook of the sessions table with one more cell far away.
fn sessions_workbook(path: &Path, far: Option<(u32, u16)>) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows: Vec<Vec<&str>> = common::SESSIONS
        .lines()
        .map(|l| l.split(',').collect())
        .collect();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if r > 0 && c == 3 {
                sheet
                    .write_number(r as u32, c as u16, v.parse::<f64>().unwrap())
                    .unwrap();
            } else {
                sheet.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
    }
    if let Some((r, c)) = far {
        sheet.write_string(r, c, "x").unwrap();
    }
    book.save(path).unwrap();
}

#[test]
fn xlsx_with_a_cell_at_the_last_possible_address_reads_in_bounded_memory() {
    let s = Scenario::clean();
    sessions_workbook(&s.path("sessions.xlsx"), Some((1_048_575, 16_383)));
    sessions_as(&s, "sessions.xlsx");
    let run = validate(&s);
    run.ok();
    // The far cell is a row of its own, without a client: the only finding.
    let f = findings(&s);
    assert!(
        f.iter()
            .all(|f| f.line == 1_048_576 && f.code == "missing_required"),
        "{f:#?}"
    );
}

#[test]
fn xlsx_with_a_far_cell_reads_in_bounded_memory() {
    let s = Scenario::clean();
    // Column ZZ, row 100,000.
    sessions_workbook(&s.path("sessions.xlsx"), Some((99_999, 701)));
    sessions_as(&s, "sessions.xlsx");
    validate(&s).ok();
    let run = run_in(
        s.dir.path(),
        &["init", "--from", "sessions.xlsx", "--out", "draft.toml"],
        None,
    );
    assert!(
        !run.all().contains("panicked") && run.code != -1,
        "{}",
        run.all()
    );
}

#[test]
fn xlsx_past_the_cell_limit_is_refused_naming_the_sheet() {
    let s = Scenario::clean();
    sessions_workbook(&s.path("sessions.xlsx"), None);
    sessions_as(&s, "sessions.xlsx");
    s.edit_config(
        "[timepoints]",
        "[limits]\nsheet_cells = 1000\n\n[timepoints]",
    );
    // 1,200 cells: more than the limit.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["Client ID", "Date", "Mode", "Minutes"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..300u32 {
        for (c, v) in ["C1", "08/04/2025", "Phone", "30"].iter().enumerate() {
            sheet.write_string(r, c as u16, *v).unwrap();
        }
    }
    book.save(s.path("sessions.xlsx")).unwrap();
    let run = validate(&s);
    run.fails_naming(2, "sessions.xlsx");
    report_refused_keeping_previous(&s, "sessions.xlsx");
    assert!(run.stderr.contains("sheet_cells"), "{}", run.stderr);
}

// ---- 2. Parquet types -------------------------------------------------------------------

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/hostile")
        .join(name)
}

fn parquet_sessions(name: &str) -> Scenario {
    let s = Scenario::clean();
    std::fs::copy(fixture(name), s.path(name)).unwrap();
    sessions_as(&s, name);
    s
}

#[test]
fn parquet_decimal_minutes_read_as_numbers() {
    let s = parquet_sessions("sessions_decimal.parquet");
    let run = validate(&s);
    run.ok();
    assert!(findings(&s).is_empty(), "{:#?}", findings(&s));
}

#[test]
fn parquet_timestamps_with_a_time_zone_read_as_their_local_dates() {
    for name in ["sessions_tz_utc.parquet", "sessions_tz_london.parquet"] {
        let s = parquet_sessions(name);
        validate(&s).ok();
        assert!(findings(&s).is_empty(), "{name}: {:#?}", findings(&s));
    }
    // 23:30 UTC on 15 April 2025 is the 16th in London: the session is kept either way.
    let s = parquet_sessions("sessions_naive_ms.parquet");
    validate(&s).ok();
    assert!(findings(&s).is_empty(), "{:#?}", findings(&s));
    let s = parquet_sessions("sessions_dictionary.parquet");
    validate(&s).ok();
    assert!(findings(&s).is_empty(), "{:#?}", findings(&s));
}

#[test]
fn parquet_list_column_is_refused_naming_file_column_and_type() {
    let s = parquet_sessions("sessions_list.parquet");
    let run = validate(&s);
    run.fails_naming(2, "sessions_list.parquet");
    report_refused_keeping_previous(&s, "sessions_list.parquet");
    assert!(
        run.stderr.contains("\"Mode\"") && run.stderr.contains("list"),
        "{}",
        run.stderr
    );
}

#[test]
fn truncated_parquet_is_refused_naming_the_file() {
    let s = parquet_sessions("sessions_truncated.parquet");
    validate(&s).fails_naming(2, "sessions_truncated.parquet");
    report_refused_keeping_previous(&s, "sessions_truncated.parquet");
}

// ---- 3, 4. Files and rows counted twice ---------------------------------------------------

#[cfg(unix)]
#[test]
fn a_glob_through_a_symlink_loop_reads_each_file_once() {
    let s = Scenario::clean();
    std::fs::create_dir(s.path("d")).unwrap();
    std::os::unix::fs::symlink("..", s.path("d/loop")).unwrap();
    s.edit_config(
        "files = [\"sessions.csv\"]",
        "files = [\"sessions*.csv\", \"d/loop/**/*sions.csv\"]",
    );
    report(&s).ok();
    assert_eq!(session_rows(&s), 3);
    assert!(
        !findings(&s).iter().any(|f| f.code == "duplicate_row"),
        "the same file was read twice: {:#?}",
        findings(&s)
    );
}

#[test]
fn a_copy_of_an_export_is_read_once_and_named() {
    let s = Scenario::clean();
    s.write("sessions - Copy.csv", common::SESSIONS);
    s.edit_config("files = [\"sessions.csv\"]", "files = [\"sessions*.csv\"]");
    report(&s).ok();
    assert_eq!(session_rows(&s), 3);
    let dup: Vec<_> = findings(&s)
        .into_iter()
        .filter(|f| f.code == "duplicate_file")
        .collect();
    assert_eq!(dup.len(), 1, "{dup:#?}");
    assert!(
        dup[0].reason.contains("sessions - Copy.csv") && dup[0].reason.contains("sessions.csv"),
        "{dup:#?}"
    );
}

#[test]
fn a_copy_saved_again_is_found_row_by_row_naming_both_files() {
    let s = Scenario::clean();
    // The same rows with other line endings: not the same bytes, the same rows.
    s.write("sessions (2).csv", &common::SESSIONS.replace('\n', "\r\n"));
    s.edit_config("files = [\"sessions.csv\"]", "files = [\"sessions*.csv\"]");
    report(&s).ok();
    assert_eq!(session_rows(&s), 3);
    let dup: Vec<_> = findings(&s)
        .into_iter()
        .filter(|f| f.code == "duplicate_row")
        .collect();
    assert_eq!(dup.len(), 3, "{dup:#?}");
    assert!(
        dup.iter()
            .all(|f| f.reason.contains("sessions (2).csv") || f.file.contains("sessions (2).csv")),
        "{dup:#?}"
    );
}

#[test]
fn exactly_repeated_rows_are_a_finding_and_counted_once() {
    let s = Scenario::clean();
    let meds = common::MEDICATIONS;
    let body: String = meds.lines().skip(1).map(|l| format!("{l}\n")).collect();
    s.write("medications.csv", &format!("{meds}{body}"));
    s.write(
        "sessions.csv",
        &format!("{}{}", common::SESSIONS, "C1,08/04/2025,Face to face,60\n"),
    );
    report(&s).ok();
    let dup: Vec<_> = findings(&s)
        .into_iter()
        .filter(|f| f.code == "duplicate_row")
        .collect();
    assert_eq!(dup.len(), 3, "{dup:#?}");
    assert!(dup.iter().all(|f| f.action == "row excluded"));
    assert_eq!(session_rows(&s), 3);
    // The medication row repeated is named with the line it repeats.
    assert!(
        dup.iter()
            .any(|f| f.file == "medications.csv" && f.reason.contains("line 2")),
        "{dup:#?}"
    );
}

// ---- 5, 6, 7. Malformed text --------------------------------------------------------------

#[test]
fn a_stray_quote_is_reported_at_its_line_and_the_rest_is_read() {
    let s = Scenario::clean();
    let mut text = String::from("Client ID,Date,Mode,Minutes\n");
    for i in 0..40 {
        let client = ["C1", "C2"][i % 2];
        let day = 8 + (i % 20);
        if i == 9 {
            // Line 11: a quote that never closes.
            text.push_str(&format!("{client},{day:02}/04/2025,\"Phone,30\n"));
        } else {
            text.push_str(&format!("{client},{day:02}/04/2025,Phone,{}\n", 30 + i));
        }
    }
    s.write("sessions.csv", &text);
    validate(&s).ok();
    let f = findings(&s);
    let quote: Vec<_> = f.iter().filter(|r| r.code == "unbalanced_quote").collect();
    assert_eq!(quote.len(), 1, "{f:#?}");
    assert_eq!(quote[0].line, 11);
    assert!(quote[0].reason.contains("quote"), "{quote:#?}");
    assert!(
        !f.iter().any(|r| r.code == "wrong_field_count"),
        "the rows after the quote were not read: {f:#?}"
    );
    // Every other row was read.
    let summary = std::fs::read_to_string(s.path("out/data-quality.csv")).unwrap();
    assert!(!summary.contains("sessions.csv,,10,"), "{summary}");
}

#[test]
fn a_quote_that_closes_lines_later_is_reported_and_reading_resumes() {
    let s = Scenario::clean();
    s.write(
        "sessions.csv",
        "Client ID,Date,Mode,Minutes\nC1,08/04/2025,\"Phone,30\nC1,15/04/2025,Phone,30\nC2,10/04/2025,Video\",45\nC2,11/04/2025,Video,45\n",
    );
    validate(&s).ok();
    let f = findings(&s);
    let quote: Vec<_> = f.iter().filter(|r| r.code == "unbalanced_quote").collect();
    assert_eq!(quote.len(), 1, "{f:#?}");
    assert_eq!(quote[0].line, 2);
    // Lines 3 to 5 are read as rows again; line 4, where the quote closed, reads
    // `Video"` as its mode, a label like any other.
    assert!(
        f.iter()
            .all(|r| r.line == 2 || (r.line == 4 && r.code == "unknown_label")),
        "{f:#?}"
    );
}

#[test]
fn blank_cells_at_the_end_of_the_header_are_ignored() {
    let s = Scenario::clean();
    s.write(
        "referrals.csv",
        &common::REFERRALS.replacen("IMD\n", "IMD,,,\n", 1),
    );
    let run = report(&s);
    run.ok();
    assert!(
        !findings(&s).iter().any(|f| f.code == "wrong_field_count"),
        "{:#?}",
        findings(&s)
    );
}

#[test]
fn a_table_emptied_by_findings_says_which_finding_and_shows_examples() {
    let s = Scenario::clean();
    s.write(
        "referrals.csv",
        "Client ID,Referred,Started,Discharged,Ethnicity,IMD\nC1,31/02/2025,,,,\nC2,someday,,,,\n",
    );
    let run = report(&s);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(
        run.stderr.contains("unparseable_date")
            && run.stderr.contains("referrals.csv")
            && run.stderr.contains("line 2"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_200_mb_line_fails_in_bounded_memory_naming_the_line() {
    let s = Scenario::clean();
    let mut text = common::SESSIONS.as_bytes().to_vec();
    text.extend(std::iter::repeat_n(b'x', 200 << 20));
    std::fs::write(s.path("sessions.csv"), &text).unwrap();
    let run = validate(&s);
    run.fails_naming(2, "sessions.csv");
    report_refused_keeping_previous(&s, "sessions.csv");
    assert!(
        run.stderr.contains("line 5") && run.stderr.contains("row_bytes"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.len() < 2_000,
        "{} bytes of error",
        run.stderr.len()
    );
}

#[test]
fn a_10_mb_header_fails_with_a_short_message() {
    let s = Scenario::clean();
    let mut header = String::from("Client ID,Date,Mode,Minutes");
    while header.len() < 10 << 20 {
        header.push_str(",Another column name");
    }
    s.write(
        "sessions.csv",
        &format!("{header}\nC1,08/04/2025,Phone,30\n"),
    );
    let run = validate(&s);
    run.fails_naming(2, "sessions.csv");
    report_refused_keeping_previous(&s, "sessions.csv");
    assert!(run.stderr.contains("header_bytes"), "{}", run.stderr);
    assert!(
        run.stderr.len() < 2_000,
        "{} bytes of error",
        run.stderr.len()
    );
    // init reads only the head of a file.
    let run = run_in(
        s.dir.path(),
        &["init", "--from", "sessions.csv", "--out", "draft.toml"],
        None,
    );
    assert!(
        run.code != -1 && !run.all().contains("panicked"),
        "{}",
        run.all()
    );
    assert!(
        run.all().len() < 10_000,
        "{} bytes of output",
        run.all().len()
    );
}

#[test]
fn a_missing_column_error_quotes_a_short_header() {
    let s = Scenario::clean();
    let header: Vec<String> = (0..500)
        .map(|i| format!("Column {i} {}", "x".repeat(80)))
        .collect();
    s.write("sessions.csv", &format!("{}\n1\n", header.join(",")));
    let run = validate(&s);
    run.fails_naming(2, "sessions.csv");
    report_refused_keeping_previous(&s, "sessions.csv");
    assert!(run.stderr.len() < 3_000, "{}", run.stderr);
    assert!(run.stderr.contains("more"), "{}", run.stderr);
}

#[test]
fn twenty_thousand_columns_read() {
    let s = Scenario::clean();
    let extra: String = (0..20_000).map(|i| format!(",x{i}")).collect();
    let blanks: String = ",".repeat(20_000);
    let mut text = format!("Client ID,Date,Mode,Minutes{extra}\n");
    for l in common::SESSIONS.lines().skip(1) {
        text.push_str(&format!("{l}{blanks}\n"));
    }
    s.write("sessions.csv", &text);
    validate(&s).ok();
    assert!(findings(&s).is_empty(), "{:#?}", findings(&s));
}

#[test]
fn nul_bytes_and_invalid_utf8_are_findings_not_crashes() {
    let s = Scenario::clean();
    s.write_bytes(
        "sessions.csv",
        b"Client ID,Date,Mode,Minutes\nC1,08/04/2025,Ph\0one,30\nC1,15/04/2025,Phone,3\xff0\n",
    );
    validate(&s).ok();
    s.write_bytes("sessions.csv", b"\0\0\0\0\0\0\0\0\0\0\0\0");
    validate(&s).fails_naming(2, "sessions.csv");
    report_refused_keeping_previous(&s, "sessions.csv");
}

#[test]
fn a_byte_order_mark_mid_file_and_a_repeated_header_are_findings() {
    let s = Scenario::clean();
    let text = format!(
        "{}\u{feff}C2,11/04/2025,Phone,30\nClient ID,Date,Mode,Minutes\nC2,12/04/2025,Phone,30\n",
        common::SESSIONS
    );
    s.write("sessions.csv", &text);
    validate(&s).ok();
    let f = findings(&s);
    // The repeated header is a row naming an unknown client "Client ID" (or a bad date).
    assert!(f.iter().any(|r| r.line == 6), "{f:#?}");
}

// ---- Files that are not what they claim ---------------------------------------------------

#[test]
fn zip_garbage_renamed_xlsx_is_refused_naming_the_file() {
    let s = Scenario::clean();
    let mut bytes = b"PK\x03\x04".to_vec();
    bytes.extend((0..5000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    s.write_bytes("sessions.xlsx", &bytes);
    sessions_as(&s, "sessions.xlsx");
    validate(&s).fails_naming(2, "sessions.xlsx");
    report_refused_keeping_previous(&s, "sessions.xlsx");
    s.write("sessions.xlsx", common::SESSIONS);
    validate(&s).fails_naming(2, "sessions.xlsx");
    report_refused_keeping_previous(&s, "sessions.xlsx");
}

#[test]
fn an_xml_entity_bomb_in_a_sheet_is_not_expanded() {
    let s = Scenario::clean();
    sessions_workbook(&s.path("plain.xlsx"), None);
    // Rewrite the shared strings with a billion-laughs entity bomb.
    let bomb = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"><!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"><!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;"><!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>"#;
    rewrite_zip_entry(
        &s.path("plain.xlsx"),
        &s.path("sessions.xlsx"),
        "xl/sharedStrings.xml",
        bomb,
    );
    sessions_as(&s, "sessions.xlsx");
    let run = validate(&s);
    assert!(
        run.code == 0 || run.code == 1 || run.code == 2,
        "{}",
        run.all()
    );
    assert!(!run.all().contains("panicked"), "{}", run.all());
    assert!(!run.all().contains("lollollol"), "the entity was expanded");
}

/// Copies a zip archive, replacing one entry's text.
fn rewrite_zip_entry(from: &Path, to: &Path, entry: &str, text: &str) {
    // The workbook writer's own zip output is plain: rebuild it with the same crate.
    let bytes = std::fs::read(from).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        out.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        if name == entry {
            std::io::Write::write_all(&mut out, text.as_bytes()).unwrap();
        } else {
            std::io::copy(&mut f, &mut out).unwrap();
        }
    }
    out.finish().unwrap();
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_folder_given_as_a_file_is_refused() {
    let s = Scenario::clean();
    let status = Command::new("mkfifo")
        .arg(s.path("fifo.csv"))
        .status()
        .unwrap();
    assert!(status.success());
    sessions_as(&s, "fifo.csv");
    validate(&s).fails_naming(2, "fifo.csv");
    report_refused_keeping_previous(&s, "fifo.csv");
    let s = Scenario::clean();
    std::fs::create_dir(s.path("folder.csv")).unwrap();
    sessions_as(&s, "folder.csv");
    validate(&s).fails_naming(2, "folder.csv");
    report_refused_keeping_previous(&s, "folder.csv");
}

#[test]
fn an_empty_file_and_a_header_only_file() {
    let s = Scenario::clean();
    s.write("sessions.csv", "");
    validate(&s).fails_naming(2, "sessions.csv");
    report_refused_keeping_previous(&s, "sessions.csv");
    s.write("sessions.csv", "Client ID,Date,Mode,Minutes\n");
    validate(&s).ok();
}

// ---- 8. Output folders --------------------------------------------------------------------

#[test]
fn a_full_disk_leaves_the_previous_reports_untouched() {
    let s = Scenario::clean();
    report(&s).ok();
    let folder = s.path("out/2025-04-01_2025-09-30");
    let before = snapshot(&folder);
    s.append("sessions.csv", "C2,17/04/2025,Video,45");
    let run = report_limited(&s, Some(4));
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(run.stderr.contains("cannot write"), "{}", run.stderr);
    assert_eq!(snapshot(&folder), before);
    let stray: Vec<_> = std::fs::read_dir(s.path("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".partial-") || n.contains(".old-"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

#[test]
fn a_second_run_on_the_same_folder_fails_clearly_while_the_first_holds_it() {
    let s = Scenario::clean();
    report(&s).ok();
    std::fs::create_dir_all(s.path("out")).unwrap();
    let lock = std::fs::File::create(s.path("out/.2025-04-01_2025-09-30.lock")).unwrap();
    lock.lock().unwrap();
    // A run still filling its staging folder.
    let busy = s.path("out/.2025-04-01_2025-09-30.partial-1");
    std::fs::create_dir_all(&busy).unwrap();
    let run = report(&s);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(run.stderr.contains("another sprout run"), "{}", run.stderr);
    assert!(
        busy.exists(),
        "the running process's staging folder was removed"
    );
    lock.unlock().unwrap();
    report(&s).ok();
    assert!(!busy.exists(), "a stale staging folder was left");
}

#[test]
fn a_report_folder_where_a_file_stood_leaves_no_stray() {
    let s = Scenario::clean();
    std::fs::create_dir_all(s.path("out")).unwrap();
    s.write("out/2025-04-01_2025-09-30", "a file, not a folder");
    // The file would be lost: the run stops, leaving it, unless told to replace it.
    let refused = report(&s);
    assert_eq!(refused.code, 2, "{}", refused.all());
    assert!(refused.stderr.contains("--replace"), "{}", refused.stderr);
    assert!(s.path("out/2025-04-01_2025-09-30").is_file());
    report_with(&s, &["--format", "json", "--replace"], None).ok();
    assert!(s.path("out/2025-04-01_2025-09-30").is_dir());
    let stray: Vec<_> = std::fs::read_dir(s.path("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".old-") || n.contains(".partial-"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

#[test]
fn a_broken_input_leaves_the_previous_reports_untouched() {
    let s = Scenario::clean();
    let run = previous_report_survives(&s, |s| {
        s.write("sessions.csv", "not,the,right\nheader,at,all\n");
    });
    assert!(run.stderr.contains("sessions.csv"), "{}", run.stderr);
}

// ---- 11. Smaller ---------------------------------------------------------------------------

#[test]
fn terminal_escapes_and_line_breaks_in_labels_do_not_reach_the_terminal_raw() {
    let s = Scenario::clean();
    s.write(
        "sessions.csv",
        &format!(
            "{}C2,11/04/2025,\"\u{1b}[2J\u{1b}[31mFAKE\nNo findings.\",30\n",
            common::SESSIONS
        ),
    );
    let run = validate(&s);
    run.ok();
    assert!(!run.all().contains('\u{1b}'), "{:?}", run.all());
    assert!(
        !run.stdout.lines().any(|l| l.trim() == "No findings."),
        "a label forged a summary line: {}",
        run.stdout
    );
}

#[test]
fn a_period_in_the_future_or_before_the_programme_is_refused() {
    let s = Scenario::clean();
    let run = run_in(
        s.dir.path(),
        &[
            "report",
            "--period",
            "2030-31-Q1",
            "--config",
            "programme.toml",
            "--out",
            "out",
        ],
        None,
    );
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(run.stderr.contains("future"), "{}", run.stderr);
    s.edit_config(
        "organisation = \"Test organisation\"",
        "organisation = \"Test organisation\"\nstart = \"2026-01-01\"",
    );
    let run = report(&s);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(run.stderr.contains("2026"), "{}", run.stderr);
}

#[test]
fn an_invalid_source_date_epoch_is_a_warning() {
    let s = Scenario::clean();
    let out = Command::new(binary())
        .args(["validate", "--config", "programme.toml", "--out", "out"])
        .current_dir(s.dir.path())
        .env("SOURCE_DATE_EPOCH", "next tuesday")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("SOURCE_DATE_EPOCH"), "{stderr}");
}

#[test]
fn sample_data_has_an_upper_bound() {
    let s = Scenario::clean();
    let run = run_in(
        s.dir.path(),
        &["sample-data", "--clients", "99999999999", "--out", "big"],
        None,
    );
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(run.stderr.contains("clients"), "{}", run.stderr);
    assert!(!s.path("big").exists());
}

// ---- 8. Templates and configs that would run without end ----------------------------------

/// `report` of one audience in one format with the templates in `mine/`, `files` written
/// there first, and the config's `[limits]` as given.
fn report_with_templates(
    s: &Scenario,
    limits: &str,
    files: &[(&str, &str)],
    audience: &str,
    format: &str,
) -> Run {
    std::fs::create_dir_all(s.path("mine")).unwrap();
    for (name, text) in files {
        s.write(&format!("mine/{name}"), text);
    }
    s.edit_config(
        "[timepoints]",
        &format!("[limits]\n{limits}\n\n[timepoints]"),
    );
    report_with(
        s,
        &[
            "--audience",
            audience,
            "--format",
            format,
            "--templates",
            "mine",
        ],
        None,
    )
}

/// A template that would run without end, under `limit`: the run stops in bounded time,
/// exit 2, naming the template and the limit to raise, and writes no report folder.
fn stopped(limit: &str, template: &str, text: &str, format: &str) {
    let s = Scenario::clean();
    let started = std::time::Instant::now();
    let run = report_with_templates(&s, limit, &[(template, text)], "trustee", format);
    run.fails_naming(2, &format!("mine/{template}"));
    let key = limit.split(' ').next().unwrap();
    assert!(run.stderr.contains(key), "{}", run.stderr);
    assert!(
        started.elapsed().as_secs() < 60,
        "took {:?}",
        started.elapsed()
    );
    assert!(!s.path("out/2025-04-01_2025-09-30").exists());
}

#[test]
fn a_typst_template_that_never_ends_is_stopped_naming_it() {
    stopped(
        "template_seconds = 3",
        "trustee.typ",
        "#import \"shared.typ\": *\n#show: setup\n#let n = 0\n#for i in range(100000) { for j in range(100000) { n += 1 } }\n#n\n",
        "pdf",
    );
}

#[test]
fn a_typst_template_that_grows_without_end_is_stopped_naming_it() {
    stopped(
        "template_memory = 134217728",
        "trustee.typ",
        "#import \"shared.typ\": *\n#show: setup\n#let a = ()\n#for i in range(400000000) { a.push(i) }\n#a.len()\n",
        "pdf",
    );
}

#[test]
fn a_minijinja_loop_that_never_ends_is_stopped_naming_it() {
    stopped(
        "template_seconds = 3",
        "trustee.html",
        "{% for a in range(100000) %}{% for b in range(100000) %}{% for c in range(100000) %}{% endfor %}{% endfor %}{% endfor %}",
        "html",
    );
}

#[test]
fn a_minijinja_template_that_writes_without_end_is_stopped_naming_it() {
    // Ten gigabytes, were it written.
    stopped(
        "template_bytes = 1048576",
        "trustee.html",
        "{% for a in range(100000) %}{{ \"x\" * 100000 }}{% endfor %}",
        "html",
    );
}

#[test]
fn a_report_past_its_page_bound_is_refused() {
    let s = Scenario::clean();
    let run = report_with_templates(
        &s,
        "pdf_pages = 10",
        &[(
            "trustee.typ",
            "#import \"shared.typ\": *\n#show: setup\n#for i in range(40) { [Page #i]; pagebreak() }\n",
        )],
        "trustee",
        "pdf",
    );
    run.fails_naming(2, "mine/trustee.typ");
    assert!(
        run.stderr.contains("41 pages") && run.stderr.contains("pdf_pages"),
        "{}",
        run.stderr
    );
}

#[test]
fn names_past_their_bound_are_config_errors_naming_the_key() {
    // A programme name of 150 KB.
    let s = Scenario::clean();
    s.edit_config(
        "name = \"Test programme\"",
        &format!("name = \"{}\"", "W".repeat(150_000)),
    );
    let run = validate(&s);
    run.fails_naming(2, "programme.toml");
    assert!(
        run.stderr.contains("`programme.name`") && run.stderr.contains("at most 200"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.len() < 2000, "the name is not echoed whole");

    // A cohort label longer than a spreadsheet cell holds.
    let s = Scenario::clean();
    s.edit_config(
        "[timepoints]",
        &format!(
            "[[cohorts]]\nid = \"site\"\nlabel = \"{}\"\n\n[timepoints]",
            "L".repeat(40_000)
        ),
    );
    s.edit_config(
        "imd_decile = \"IMD\"",
        "imd_decile = \"IMD\"\nsite = \"IMD\"",
    );
    let run = report(&s);
    run.fails_naming(2, "programme.toml");
    assert!(run.stderr.contains("`cohorts.label`"), "{}", run.stderr);

    // Five hundred measures.
    let s = Scenario::clean();
    let many: String = (0..500)
        .map(|i| {
            format!("[[measures]]\nid = \"custom{i}\"\nmin = 0\nmax = 10\nbetter = \"higher\"\n\n")
        })
        .collect();
    s.edit_config(
        "[[measures]]\nid = \"swemwbs\"",
        &format!("{many}[[measures]]\nid = \"swemwbs\""),
    );
    let run = validate(&s);
    run.fails_naming(2, "programme.toml");
    assert!(run.stderr.contains("at most 50"), "{}", run.stderr);
}

#[test]
fn more_cohort_labels_than_a_16_bit_index_holds_are_kept_apart() {
    let s = Scenario::clean();
    // Keys written so that their order (the order the config lists them in) is theirs.
    let labels: String = (1..=70_000)
        .map(|i| format!("\"v{i:05}\" = [\"L{i}\"]\n"))
        .collect();
    s.edit_config(
        "[timepoints]",
        &format!("[[cohorts]]\nid = \"site\"\n\n[cohorts.labels]\n{labels}\n[timepoints]"),
    );
    s.edit_config(
        "imd_decile = \"IMD\"",
        "imd_decile = \"IMD\"\nsite = \"Site\"",
    );
    s.write(
        "referrals.csv",
        "Client ID,Referred,Started,Discharged,Ethnicity,IMD,Site\n\
         C1,01/04/2025,08/04/2025,30/09/2025,White British,1,L1\n\
         C2,03/04/2025,10/04/2025,,Pakistani,2,L65537\n\
         C3,05/04/2025,,,,,L65537\n",
    );
    report(&s).ok();
    let json =
        std::fs::read_to_string(s.path("out/2025-04-01_2025-09-30/evaluator/report.json")).unwrap();
    assert!(
        json.contains("\"v65537\""),
        "label 65,537 is its own cohort"
    );
}

// ---- 9. A narrower run over a wider one ---------------------------------------------------

#[test]
fn a_narrower_run_does_not_delete_what_it_does_not_write() {
    let s = Scenario::clean();
    let folder = s.path("out/2025-04-01_2025-09-30");
    // A full run, and a note someone keeps beside the reports.
    report_with(&s, &[], None).ok();
    s.write(
        "out/2025-04-01_2025-09-30/notes.txt",
        "read with the Q1 caveats",
    );
    let before = snapshot(&folder);
    let narrow = |extra: &[&str]| {
        let mut args = vec!["--audience", "trustee", "--format", "html"];
        args.extend_from_slice(extra);
        report_with(&s, &args, None)
    };
    let run = narrow(&[]);
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(
        run.stderr.contains("would not write") && run.stderr.contains("--replace"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&folder), before, "the folder was changed");
    // The same run as before replaces the reports, but not a file it did not write.
    let full = report_with(&s, &[], None);
    assert_eq!(full.code, 2, "{}", full.all());
    assert!(full.stderr.contains("notes.txt"), "{}", full.stderr);
    // Told to, it replaces the folder.
    narrow(&["--replace"]).ok();
    assert!(folder.join("trustee/report.html").is_file());
    assert!(!folder.join("evaluator").exists() && !folder.join("notes.txt").exists());
}
