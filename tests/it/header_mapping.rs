//! Canonical tables depend on the data, not on what an export calls its columns: renaming
//! every header and mapping the new names in the config gives identical tables.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use sprout::config;
use sprout::sample::{SampleOptions, generate};
use sprout::validate::{self, Validated};

fn run(config_path: &Path) -> Validated {
    let cfg = config::load(config_path).unwrap_or_else(|e| panic!("{e}"));
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    validate::run(&cfg, validate::Options { today }).unwrap_or_else(|e| panic!("{e}"))
}

/// Rewrites a CSV file with new header names; returns old -> new.
fn rename_csv_header(path: &Path, rename: impl Fn(usize, &str) -> String) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(path).unwrap();
    let (header, rest) = text.split_once("\r\n").unwrap();
    let old: Vec<&str> = header.split(',').collect();
    let new: Vec<String> = old.iter().enumerate().map(|(i, h)| rename(i, h)).collect();
    std::fs::write(path, format!("{}\r\n{rest}", new.join(","))).unwrap();
    old.iter().map(|s| (*s).to_owned()).zip(new).collect()
}

/// Rewrites the medication workbook with new header names.
fn rename_xlsx_header(
    path: &Path,
    sheet: &str,
    rename: impl Fn(usize, &str) -> String,
) -> Vec<(String, String)> {
    use calamine::{Data, Reader, open_workbook_auto};
    let mut book = open_workbook_auto(path).unwrap();
    let range = book.worksheet_range(sheet).unwrap();
    let mut out = rust_xlsxwriter::Workbook::new();
    let ws = out.add_worksheet();
    ws.set_name(sheet).unwrap();
    let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    let mut pairs = Vec::new();
    for (r, row) in range.rows().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r32, c16) = (r as u32, c as u16);
            match cell {
                Data::String(s) if r == 0 => {
                    let new = rename(c, s);
                    pairs.push((s.clone(), new.clone()));
                    ws.write_string(r32, c16, new).unwrap();
                }
                Data::String(s) => {
                    ws.write_string(r32, c16, s).unwrap();
                }
                Data::Float(f) => {
                    ws.write_number(r32, c16, *f).unwrap();
                }
                Data::DateTime(d) => {
                    ws.write_date_with_format(r32, c16, d.as_datetime().unwrap().date(), &date)
                        .unwrap();
                }
                _ => {}
            }
        }
    }
    out.save(path).unwrap();
    pairs
}

fn remap_config(path: &Path, pairs: &[(String, String)]) {
    let mut doc: toml::Table = std::fs::read_to_string(path).unwrap().parse().unwrap();
    let tables = doc
        .get_mut("tables")
        .and_then(|t| t.as_table_mut())
        .unwrap();
    for (_, table) in tables.iter_mut() {
        let Some(columns) = table.get_mut("columns").and_then(|c| c.as_table_mut()) else {
            continue;
        };
        for (_, header) in columns.iter_mut() {
            let old = header.as_str().unwrap().to_owned();
            let new = pairs
                .iter()
                .find(|(o, _)| *o == old)
                .map(|(_, n)| n.clone())
                .unwrap();
            *header = toml::Value::String(new);
        }
    }
    std::fs::write(path, toml::to_string(&doc).unwrap()).unwrap();
}

fn assert_same(a: &Validated, b: &Validated) {
    let t = (&a.tables, &b.tables);
    assert!(t.0.referrals.same_as(&t.1.referrals), "referrals differ");
    assert!(
        t.0.sessions
            .as_ref()
            .unwrap()
            .same_as(t.1.sessions.as_ref().unwrap()),
        "sessions differ"
    );
    assert!(
        t.0.assessments
            .as_ref()
            .unwrap()
            .same_as(t.1.assessments.as_ref().unwrap()),
        "assessments differ"
    );
    assert!(
        t.0.medications
            .as_ref()
            .unwrap()
            .same_as(t.1.medications.as_ref().unwrap()),
        "medications differ"
    );
    let key = |v: &Validated| {
        v.findings
            .iter()
            .map(|f| (f.code, f.table, f.at, f.value.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(key(a), key(b), "findings differ");
}

fn sample(dir: &Path) {
    generate(
        &SampleOptions {
            clients: 400,
            seed: 11,
            clean: false,
        },
        dir,
    )
    .unwrap();
}

/// A new name with nothing in common with the old one: "Client Ref" -> "c436c69656e7420526566".
fn scramble(header: &str) -> String {
    let hex: String = header.bytes().map(|b| format!("{b:02x}")).collect();
    format!("c{hex}")
}

#[test]
fn renamed_and_mapped_headers_give_identical_tables() {
    let original = tempfile::tempdir().unwrap();
    sample(original.path());
    let before = run(&original.path().join("programme.toml"));
    assert!(before.tables.referrals.len() > 350);
    assert!(!before.findings.is_empty());

    let renamed = tempfile::tempdir().unwrap();
    sample(renamed.path());
    let mut pairs = Vec::new();
    for f in std::fs::read_dir(renamed.path())
        .unwrap()
        .map(|e| e.unwrap().path())
    {
        match f.extension().and_then(|e| e.to_str()) {
            Some("csv") => pairs.extend(rename_csv_header(&f, |_, h| scramble(h))),
            Some("xlsx") => pairs.extend(rename_xlsx_header(&f, "Medication Review", |_, h| {
                scramble(h)
            })),
            _ => {}
        }
    }
    assert!(pairs.len() > 30, "every header renamed");
    remap_config(&renamed.path().join("programme.toml"), &pairs);

    let after = run(&renamed.path().join("programme.toml"));
    assert_same(&before, &after);
}

#[test]
fn headers_differing_only_in_case_and_punctuation_need_no_mapping_change() {
    let original = tempfile::tempdir().unwrap();
    sample(original.path());
    let before = run(&original.path().join("programme.toml"));

    let shouted = tempfile::tempdir().unwrap();
    sample(shouted.path());
    for f in std::fs::read_dir(shouted.path())
        .unwrap()
        .map(|e| e.unwrap().path())
    {
        if f.extension().is_some_and(|e| e == "csv") {
            rename_csv_header(&f, |_, h| {
                format!(" {}_ ", h.to_uppercase().replace(' ', "_"))
            });
        }
    }
    let after = run(&shouted.path().join("programme.toml"));
    assert_same(&before, &after);
}
