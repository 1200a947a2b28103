//! Inputs found by fuzzing (fuzz/README.md), kept under `tests/fixtures/fuzz/`. The real
//! binary must answer each with success or a clear error (exit 0, 1 or 2), never a panic,
//! an abort or an internal fault.
#![allow(clippy::unwrap_used)]

use crate::common;

use std::path::PathBuf;

use common::Scenario;

fn reproducer(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(name)
}

/// Fails unless the run ended with exit code 0, 1 or 2 and no panic or internal fault.
fn assert_clean_exit(what: &str, code: Option<i32>, stdout: &str, stderr: &str) {
    assert!(
        matches!(code, Some(0..=2)),
        "{what}: exit code {code:?} (a signal when None)\n{stdout}\n{stderr}"
    );
    for word in ["panicked", "internal fault", "internal error"] {
        assert!(
            !stderr.contains(word),
            "{what}: stderr mentions `{word}`\n{stderr}"
        );
    }
}

/// `sprout validate` with the reproducer as the referrals export (its extension kept), and
/// `sprout init --from` on it.
fn check_referrals_export(name: &str) {
    let bytes = std::fs::read(reproducer(name)).unwrap();
    let ext = name.rsplit('.').next().unwrap();
    let file = format!("referrals.{ext}");
    let s = Scenario::clean();
    s.write_bytes(&file, &bytes);
    s.edit_config(
        "files = [\"referrals.csv\"]",
        &format!("files = [\"{file}\"]"),
    );
    let out = s.validate(&[]);
    assert_clean_exit(
        &format!("validate {name}"),
        Some(out.code).filter(|c| *c >= 0),
        &out.stdout,
        &out.stderr,
    );

    let run = common::sprout()
        .arg("init")
        .arg("--from")
        .arg(s.path(&file))
        .output()
        .unwrap();
    assert_clean_exit(
        &format!("init --from {name}"),
        run.status.code(),
        &String::from_utf8_lossy(&run.stdout),
        &String::from_utf8_lossy(&run.stderr),
    );
}

/// A cell reference with eight column letters (`ABCDEFGH2`): calamine's column number
/// overflows a u32 while the sheet is read.
#[test]
fn xlsx_cell_reference_with_too_many_column_letters() {
    check_referrals_export("xlsx_read-column-overflow.xlsx");
}

/// The workbook as the fuzzer found it (a sample workbook whose sheet XML was mutated into
/// references such as `DnlineStr`).
#[test]
fn xlsx_mutated_workbook_with_letter_only_cell_references() {
    check_referrals_export("xlsx_read-column-overflow-found.xlsx");
}

/// Column statistics whose `is_max_value_exact` field is not a boolean (found when
/// Parquet was read by polars, whose footer decoder expected "thrift bool field").
#[test]
fn parquet_statistics_field_of_the_wrong_thrift_type() {
    check_referrals_export("parquet_read-statistics-bool-field.parquet");
}

/// A row group's sorting column whose `nulls_first` field is not a boolean (the same
/// footer decoder's expectation).
#[test]
fn parquet_sorting_column_field_of_the_wrong_thrift_type() {
    check_referrals_export("parquet_read-sorting-column-bool-field.parquet");
}

/// A data page header whose encoding is not a Parquet encoding ("Thrift out of range"
/// while decoding the column).
#[test]
fn parquet_page_encoding_out_of_range() {
    check_referrals_export("parquet_read-page-encoding-out-of-range.parquet");
}

/// A column chunk whose page offset plus compressed size overflows a u64 (a negative
/// size): the reader stops in the footer, and the run says the file is damaged.
#[test]
fn parquet_column_byte_range_that_overflows() {
    check_referrals_export("parquet_read-column-byte-range-overflow.parquet");
}

/// A row group whose byte range lies beyond the end of the file (polars once sliced the
/// file unchecked here, an abort in debug builds).
#[test]
fn parquet_row_group_byte_range_beyond_the_file() {
    check_referrals_export("parquet_read-row-group-range-out-of-file.parquet");
}
