//! Canaries: a sample export whose client identifiers, names, NHS numbers, phone numbers,
//! postcodes, dates of birth, email addresses and notes are unique strings, in mapped
//! columns (client id, date of birth, label and cohort columns) and in columns the config
//! leaves unmapped. After `validate` and a `report` of every audience in every format, no
//! output file, and nothing sprout printed, holds any of them.
#![allow(clippy::unwrap_used)]

use crate::common;

use std::io::Read;
use std::path::{Path, PathBuf};

/// Canaries found as they are (case aside).
const TEXT: &[&str] = &[
    "CANARYID",
    "Canarywick",
    "Ottoline",
    "CANARYNOTE",
    "canarymail",
    "kin.canary",
    "TD15 9QX",
    "ZE2 9XW",
    "17/03/1937",
    "1937-03-17",
    "17 March 1937",
    "29/11/1941",
    "1941-11-29",
    "29 November 1941",
];

/// Number-shaped canaries, found whatever the spacing and punctuation: NHS numbers with a
/// valid check digit, phone numbers, and the postcodes without their space.
const NUMBERS: &[&str] = &[
    "4010232137",
    "4023176583",
    "6129054432",
    "7700900461",
    "7700900462",
    "7700900463",
    "TD159QX",
    "ZE29XW",
];

/// Rewrites a CSV file cell by cell: `edit(row index, header, value)`; `extra` columns
/// are appended with `extra(row index)`.
fn rewrite(
    path: &Path,
    edit: impl Fn(usize, &str, &str) -> String,
    extra: &[(&str, &dyn Fn(usize) -> String)],
) {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .unwrap();
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    let mut out_headers = headers.clone();
    out_headers.extend(extra.iter().map(|(h, _)| (*h).to_owned()));
    w.write_record(&out_headers).unwrap();
    for (i, r) in reader.records().enumerate() {
        let r = r.unwrap();
        let mut row: Vec<String> = headers
            .iter()
            .zip(r.iter())
            .map(|(h, v)| edit(i, h, v))
            .collect();
        // Rows the sample gave a stray field keep it.
        row.extend(r.iter().skip(headers.len()).map(str::to_owned));
        row.extend(extra.iter().map(|(_, f)| f(i)));
        w.write_record(&row).unwrap();
    }
    std::fs::write(path, w.into_inner().unwrap()).unwrap();
}

/// The sample's first five clients are renamed in every CSV export.
fn client(v: &str) -> String {
    match v.strip_prefix("WW000000") {
        Some(d) if ("1"..="5").contains(&d) => format!("CANARYID000{d}"),
        _ => v.to_owned(),
    }
}

fn canary_export(dir: &Path) -> PathBuf {
    let run = common::sprout()
        .args(["sample-data", "--clients", "400", "--seed", "23", "--out"])
        .arg(dir)
        .output()
        .unwrap();
    common::succeeded(&run);
    let trusts = [
        "Mrs Canarywick (daughter)",
        "Ottoline Canarywick",
        "Ref 401 023 2137",
        "07700-900463",
        "TD15 9QX flat 2",
    ];
    let procedures = ["+44 (0)7700 900462", "canarymail@nhsnet", "29/11/1941"];
    rewrite(
        &dir.join("referrals.csv"),
        |i, h, v| match h {
            "Client Ref" => client(v),
            "NHS Number" => "402 317 6583".into(),
            "Forename" => "Ottoline".into(),
            "Surname" => "Canarywick".into(),
            "Referral Notes" => "CANARYNOTE lives alone, daughter visits on Sundays".into(),
            "Date of Birth" if i % 2 == 0 => "17/03/1937".into(),
            "Date of Birth" => "29/11/1941".into(),
            "Hospital Trust" if i % 10 < 5 => trusts[i % 10].into(),
            "Procedure" if (5..8).contains(&(i % 10)) => procedures[i % 10 - 5].into(),
            "Referral Source" if i % 10 == 8 => "Mrs Canarywick".into(),
            "Referral Source" if i % 10 == 9 => "ZE2 9XW".into(),
            "Ethnicity" if i % 25 == 3 => "Ottoline Canarywick".into(),
            _ => v.to_owned(),
        },
        &[
            ("Next of Kin", &|_| "Mrs Canarywick 07700 900461".to_owned()),
            ("Kin Email", &|_| "kin.canary@example.org".to_owned()),
            ("Home Postcode", &|_| "TD15 9QX".to_owned()),
            ("Mobile", &|_| "+44 (0)7700 900462".to_owned()),
            ("Old NHS Number", &|_| "6129054432".to_owned()),
        ],
    );
    let mut sessions: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("sessions_")
        })
        .collect();
    sessions.sort();
    assert!(!sessions.is_empty());
    // A file saved under a client's name and NHS number, which the pattern picks up.
    let named = dir.join("sessions_Ottoline Canarywick 401 023 2137.csv");
    std::fs::rename(sessions.pop().unwrap(), &named).unwrap();
    sessions.push(named);
    for s in sessions {
        rewrite(
            &s,
            |i, h, v| match h {
                "Client Ref" => client(v),
                "Support Provided" if i % 15 == 0 => "Ottoline Canarywick".into(),
                "Support Provided" if i % 15 == 1 => "called 07700 900461".into(),
                "Link Worker" if i % 7 == 0 => "Ottoline Canarywick".into(),
                _ => v.to_owned(),
            },
            &[("Client Phone", &|_| "07700-900463".to_owned())],
        );
    }
    rewrite(
        &dir.join("assessments.csv"),
        |i, h, v| match h {
            "Client Ref" => client(v),
            "Assessment Stage" if i == 11 => "Seen by Ottoline Canarywick".into(),
            "Score" if i == 12 => "CANARYNOTE refused".into(),
            _ => v.to_owned(),
        },
        &[("Assessor", &|_| "Ottoline Canarywick".to_owned())],
    );
    dir.join("programme.toml")
}

/// Every file under `dir`, as text a reader (or a program) could get from it: PDFs by
/// their extracted text, workbooks by every part of the zip, the rest as they are.
fn texts(dir: &Path, out: &mut Vec<(String, String)>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.is_dir() {
            texts(&path, out);
            continue;
        }
        let name = path.display().to_string();
        if path.extension().is_some_and(|e| e == "xlsx") {
            let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
            for i in 0..zip.len() {
                let mut part = zip.by_index(i).unwrap();
                let mut bytes = Vec::new();
                part.read_to_end(&mut bytes).unwrap();
                let part_name = format!("{name}:{}", part.name().unwrap());
                out.push((part_name, String::from_utf8_lossy(&bytes).into_owned()));
            }
        } else if path.extension().is_some_and(|e| e == "pdf") {
            out.push((name.clone(), common::readable_text(&path)));
            // The raw bytes too: metadata, outline and tags are partly uncompressed.
            let raw = std::fs::read(&path).unwrap();
            out.push((
                format!("{name} (raw)"),
                String::from_utf8_lossy(&raw).into_owned(),
            ));
        } else {
            let raw = std::fs::read(&path).unwrap();
            out.push((name, String::from_utf8_lossy(&raw).into_owned()));
        }
    }
}

/// The canaries in one text.
fn canaries_in(text: &str) -> Vec<&'static str> {
    let lower = text.to_lowercase();
    let squeezed: String = lower
        .chars()
        .filter(|c| !(c.is_whitespace() || matches!(c, '-' | '(' | ')' | '+' | '.' | '/')))
        .collect();
    let mut found: Vec<&str> = TEXT
        .iter()
        .filter(|c| lower.contains(&c.to_lowercase()))
        .copied()
        .collect();
    found.extend(
        NUMBERS
            .iter()
            .filter(|c| squeezed.contains(&c.to_lowercase()))
            .copied(),
    );
    found
}

#[test]
fn no_canary_reaches_any_output() {
    let dir = tempfile::tempdir().unwrap();
    let config = canary_export(dir.path());
    // The export does hold the canaries.
    let referrals = std::fs::read_to_string(dir.path().join("referrals.csv")).unwrap();
    assert_eq!(
        canaries_in(&referrals).len(),
        TEXT.len() + NUMBERS.len() - 4
    );

    let out = dir.path().join("reports");
    let mut said = Vec::new();
    let validate = common::sprout()
        .arg("validate")
        .arg("--config")
        .arg(&config)
        .arg("--out")
        .arg(out.join("validate"))
        .output()
        .unwrap();
    assert_eq!(validate.status.code(), Some(0), "validate without --strict");
    let report = common::sprout()
        .env("SOURCE_DATE_EPOCH", "1798761600")
        .arg("report")
        .arg("--config")
        .arg(&config)
        .arg("--out")
        .arg(out.join("report"))
        .output()
        .unwrap();
    common::succeeded(&report);
    for (what, run) in [("validate", &validate), ("report", &report)] {
        said.push((
            format!("{what} stdout"),
            String::from_utf8_lossy(&run.stdout).into_owned(),
        ));
        said.push((
            format!("{what} stderr"),
            String::from_utf8_lossy(&run.stderr).into_owned(),
        ));
    }
    let mut files = Vec::new();
    texts(&out, &mut files);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    for wanted in [
        "evaluator/report.json",
        "trustee/report.pdf",
        "commissioner/tables.xlsx",
        "evaluator/report.html",
        "data-quality.csv",
        "manifest.json",
    ] {
        assert!(
            names.iter().any(|n| n.contains(wanted)),
            "no {wanted} among {names:?}"
        );
    }

    let leaks: Vec<String> = said
        .iter()
        .chain(&files)
        .flat_map(|(name, text)| {
            canaries_in(text)
                .into_iter()
                .map(move |c| format!("{name}: {c}"))
        })
        .collect();
    assert!(
        leaks.is_empty(),
        "canaries in the outputs:\n{}",
        leaks.join("\n")
    );

    // Not vacuous: the canaries reached the report as withheld labels and findings.
    let evaluator = files
        .iter()
        .find(|(n, _)| n.ends_with("evaluator/report.json"))
        .unwrap();
    assert!(evaluator.1.contains("[withheld]"), "{}", evaluator.0);
}
