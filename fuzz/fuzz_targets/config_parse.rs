//! Arbitrary text as a programme config through the TOML loader and resolver.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = common::scratch_dir().join("programme.toml");
    match sprout::config::parse(&path, text) {
        Ok(config) => {
            let tables = config.tables.iter().count();
            std::hint::black_box((tables, config.measures.len(), config.phases.len()));
        }
        Err(e) => {
            std::hint::black_box(e.to_string());
        }
    }
});
