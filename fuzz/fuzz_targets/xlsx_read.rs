//! Arbitrary bytes as an XLSX workbook through the spreadsheet reader (`read_table`) and
//! `peek`.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use sprout::tables::TableKind;

fuzz_target!(|data: &[u8]| {
    let path = common::write_input("input.xlsx", data);
    let spec = common::spec(TableKind::Referrals, "input.xlsx", None, None);
    common::read(&spec, &common::wanted(TableKind::Referrals, false));
    common::read(&spec, &common::wanted(TableKind::Assessments, true));
    common::peek_file(&path);
});
