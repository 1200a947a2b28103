//! Cell parsing as validation does it: the first line is a date format for the config's
//! `date_formats`, every further line a cell read as a date, number, number with unit and
//! duration.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sprout::config::{DEFAULT_FORMATS, DateFormat};
use sprout::validate::parse::{parse_date, parse_minutes, parse_number, parse_number_with_unit};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n');
    let spec = lines.next().unwrap_or("");
    let mut formats: Vec<DateFormat> = Vec::new();
    if let Ok(f) = DateFormat::parse(spec) {
        std::hint::black_box(f.as_str());
        formats.push(f);
    }
    for f in DEFAULT_FORMATS {
        formats.push(DateFormat::parse(f).expect("default date format"));
    }
    // The whole input is also a cell, so one-line inputs reach every parser.
    for cell in std::iter::once(text.as_ref()).chain(lines) {
        std::hint::black_box(parse_date(cell, &formats));
        std::hint::black_box(parse_date(cell, &formats[..1]));
        std::hint::black_box(parse_number(cell));
        std::hint::black_box(parse_number_with_unit(cell));
        std::hint::black_box(parse_minutes(cell));
    }
});
