//! Properties of label and date mapping, whatever the text: labels match however they
//! are cased, spaced or punctuated; dates written in a configured format read back as the
//! same date; nothing panics on arbitrary input.
#![allow(clippy::unwrap_used)]

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;
use proptest::test_runner::Config;
use sprout::config::DateFormat;
use sprout::validate::parse::{parse_date, parse_minutes, parse_number};
use sprout::vocab::{LabelMap, Vocabulary, normalise_label};

fn config() -> Config {
    Config {
        cases: 512,
        failure_persistence: None,
        ..Config::default()
    }
}

/// Every built-in label (ids, display labels and aliases) of every vocabulary.
fn labels() -> Vec<(Vocabulary, String, String)> {
    let mut out = Vec::new();
    for v in Vocabulary::ALL.iter().copied() {
        for t in v.terms() {
            out.push((v, t.label.to_owned(), t.id.to_owned()));
            for a in t.aliases {
                out.push((v, (*a).to_owned(), t.id.to_owned()));
            }
        }
    }
    out
}

/// The same label as another export might write it: recased, respaced, punctuated.
fn restyle(label: &str, case: u8, sep: &str, pad: bool) -> String {
    let words: Vec<String> = label
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| match case % 3 {
            0 => w.to_uppercase(),
            1 => w.to_lowercase(),
            _ => {
                let mut c = w.chars();
                c.next()
                    .map(|f| {
                        f.to_uppercase()
                            .chain(c.flat_map(char::to_lowercase))
                            .collect()
                    })
                    .unwrap_or_default()
            }
        })
        .collect();
    let joined = words.join(sep);
    if pad { format!("  {joined}\t") } else { joined }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn normalising_is_idempotent_and_ignores_case_and_punctuation(
        s in "[A-Za-z0-9 àáâäçèéêëíïñóöúüÀÉÖÜ'’,./&()_-]{0,40}",
    ) {
        let once = normalise_label(&s);
        prop_assert_eq!(normalise_label(&once), once.clone());
        prop_assert_eq!(normalise_label(&s.to_uppercase()), normalise_label(&s.to_lowercase()));
        prop_assert!(!once.starts_with(' ') && !once.ends_with(' ') && !once.contains("  "));
    }

    #[test]
    fn built_in_labels_map_however_they_are_written(
        pick in any::<prop::sample::Index>(),
        case in 0u8..3,
        sep in prop::sample::select(vec![" ", "_", "-", " / ", ".", "  "]),
        pad in any::<bool>(),
    ) {
        let all = labels();
        let (v, label, id) = pick.get(&all).clone();
        let map = LabelMap::from_terms(v.terms());
        let written = restyle(&label, case, sep, pad);
        // Labels that are themselves only punctuation cannot be restyled; skip them.
        prop_assume!(!normalise_label(&label).is_empty());
        prop_assert_eq!(map.lookup(&written), map.lookup(&label), "{:?} as {:?}", label, written);
        prop_assert_eq!(map.lookup(&label).map(str::to_owned), Some(id));
    }

    #[test]
    fn lookup_of_any_text_never_panics(s in "\\PC{0,60}") {
        for v in Vocabulary::ALL.iter().copied() {
            let _ = LabelMap::from_terms(v.terms()).lookup(&s);
        }
    }

    #[test]
    fn a_date_written_in_a_format_reads_back_as_itself(
        days in 0i64..73_000,
        spec in prop::sample::select(vec![
            "dd/mm/yyyy", "d/m/yyyy", "yyyy-mm-dd", "dd-mmm-yyyy", "dd mmmm yyyy",
            "mm/dd/yyyy", "dd.mm.yyyy", "yyyymmdd", "%d/%m/%Y", "%Y-%m-%d",
        ]),
    ) {
        let date = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::TimeDelta::days(days);
        let format = DateFormat::parse(spec).unwrap();
        let text = write(date, spec);
        prop_assert_eq!(format.parse_date(&text), Some(date), "{} as {}", spec, text);
        prop_assert_eq!(parse_date(&text, std::slice::from_ref(&format)), Some(date));
    }

    #[test]
    fn two_digit_years_read_within_a_century(
        days in 0i64..36_500,
    ) {
        let date = NaiveDate::from_ymd_opt(1950, 1, 1).unwrap() + chrono::TimeDelta::days(days);
        let format = DateFormat::parse("dd/mm/yy").unwrap();
        let text = format!("{:02}/{:02}/{:02}", date.day(), date.month(), date.year() % 100);
        let read = format.parse_date(&text).unwrap();
        prop_assert_eq!((read.day(), read.month(), read.year() % 100), (date.day(), date.month(), date.year() % 100));
    }

    #[test]
    fn parsing_any_text_never_panics(s in "\\PC{0,40}", spec in "[dmy/%-. ]{0,12}") {
        let formats: Vec<DateFormat> = ["dd/mm/yyyy", "yyyy-mm-dd", "dd-mmm-yy"]
            .iter()
            .map(|f| DateFormat::parse(f).unwrap())
            .chain(DateFormat::parse(&spec).ok())
            .collect();
        let _ = parse_date(&s, &formats);
        if let Some(x) = parse_number(&s) {
            prop_assert!(x.is_finite());
        }
        if let Some(m) = parse_minutes(&s) {
            prop_assert!(m.is_finite());
        }
    }

    #[test]
    fn numbers_read_as_written(x in -1.0e9f64..1.0e9) {
        let text = format!("{x}");
        prop_assert_eq!(parse_number(&text), Some(x));
    }
}

/// A date in one of the test formats.
fn write(d: NaiveDate, spec: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let (y, m, day) = (d.year(), d.month(), d.day());
    let name = MONTHS[m as usize - 1];
    match spec {
        "dd/mm/yyyy" | "%d/%m/%Y" => format!("{day:02}/{m:02}/{y}"),
        "d/m/yyyy" => format!("{day}/{m}/{y}"),
        "yyyy-mm-dd" | "%Y-%m-%d" => format!("{y}-{m:02}-{day:02}"),
        "dd-mmm-yyyy" => format!("{day:02}-{}-{y}", &name[..3]),
        "dd mmmm yyyy" => format!("{day:02} {name} {y}"),
        "mm/dd/yyyy" => format!("{m:02}/{day:02}/{y}"),
        "dd.mm.yyyy" => format!("{day:02}.{m:02}.{y}"),
        "yyyymmdd" => format!("{y}{m:02}{day:02}"),
        other => panic!("no writer for {other}"),
    }
}
