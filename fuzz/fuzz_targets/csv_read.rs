//! Arbitrary bytes as a CSV export: encoding and delimiter sniffing, header search,
//! ragged rows, through `read_table` as `sprout validate` reads a table, and `peek`.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use sprout::config::TextEncoding;
use sprout::tables::TableKind;

fuzz_target!(|data: &[u8]| {
    let path = common::write_input("input.csv", data);
    // As configured by default: encoding and delimiter sniffed, required columns required.
    let referrals = common::spec(TableKind::Referrals, "input.csv", None, None);
    common::read(&referrals, &common::wanted(TableKind::Referrals, false));
    // Any header matches, so every data row is read.
    common::read(&referrals, &common::wanted(TableKind::Sessions, true));
    // Encoding and delimiter set in the config.
    let forced = common::spec(
        TableKind::Sessions,
        "input.csv",
        Some(b';'),
        Some(TextEncoding::Windows1252),
    );
    common::read(&forced, &common::wanted(TableKind::Sessions, true));
    common::peek_file(&path);
});
