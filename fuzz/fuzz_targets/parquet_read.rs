//! Arbitrary bytes as a Parquet file through the Parquet reader (`read_table`) and `peek`.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use sprout::tables::TableKind;

fuzz_target!(|data: &[u8]| {
    let path = common::write_input("input.parquet", data);
    let spec = common::spec(TableKind::Referrals, "input.parquet", None, None);
    common::read(&spec, &common::wanted(TableKind::Referrals, false));
    common::read(&spec, &common::wanted(TableKind::Medications, true));
    common::peek_file(&path);
});
