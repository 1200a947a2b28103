//! A small, clean programme export written to a temporary folder, which each test breaks in
//! one way before running the real `sprout` binary on it.
#![allow(dead_code, clippy::unwrap_used)]

pub mod bounded;
pub mod workbook;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub const CONFIG: &str = r#"[programme]
name = "Test programme"
organisation = "Test organisation"

[tables.referrals]
files = ["referrals.csv"]

[tables.referrals.columns]
client_id = "Client ID"
referral_date = "Referred"
start_date = "Started"
discharge_date = "Discharged"
ethnicity = "Ethnicity"
imd_decile = "IMD"

[tables.sessions]
files = ["sessions.csv"]

[tables.sessions.columns]
client_id = "Client ID"
session_date = "Date"
contact_mode = "Mode"
duration_minutes = "Minutes"

[tables.assessments]
files = ["assessments.csv"]

[tables.assessments.columns]
client_id = "Client ID"
assessment_date = "Date"
timepoint = "Stage"
measure = "Measure"
value = "Score"

[tables.medications]
files = ["medications.csv"]

[tables.medications.columns]
client_id = "Client ID"
record_date = "Date"
drug = "Drug"
daily_dose = "Dose"
unit = "Unit"
timepoint = "Stage"

[timepoints]
order = ["baseline", "discharge"]

[[measures]]
id = "swemwbs"

[[measures]]
id = "ons4"

[labels.timepoint]
baseline = ["Start"]
discharge = ["End"]

[labels.measure]
ons4_anxiety = ["Anxiety"]
"#;

pub const REFERRALS: &str = "Client ID,Referred,Started,Discharged,Ethnicity,IMD
C1,01/04/2025,08/04/2025,30/09/2025,White British,1
C2,03/04/2025,10/04/2025,,Pakistani,2
C3,05/04/2025,,,,
";

pub const SESSIONS: &str = "Client ID,Date,Mode,Minutes
C1,08/04/2025,Face to face,60
C1,15/04/2025,Phone,30
C2,10/04/2025,Video,45
";

pub const ASSESSMENTS: &str = "Client ID,Date,Stage,Measure,Score
C1,08/04/2025,Start,swemwbs,20
C1,30/09/2025,End,swemwbs,24
C2,10/04/2025,Start,swemwbs,18
C2,10/04/2025,Start,Anxiety,7
";

pub const MEDICATIONS: &str = "Client ID,Date,Drug,Dose,Unit,Stage
C1,08/04/2025,Tramadol,200,mg,Start
C1,30/09/2025,Tramadol,100,mg,End
";

/// A programme folder under a temporary directory.
pub struct Scenario {
    pub dir: tempfile::TempDir,
}

/// One row of data-quality.csv.
#[derive(Debug, Clone)]
pub struct Row {
    pub table: String,
    pub file: String,
    pub sheet: String,
    pub line: u64,
    pub column: String,
    pub value: String,
    pub code: String,
    pub action: String,
    pub reason: String,
}

/// What a run printed and wrote.
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub findings: Vec<Row>,
}

impl Outcome {
    /// The one finding with this code; fails the test if there is not exactly one.
    pub fn only(&self, code: &str) -> &Row {
        let hits: Vec<&Row> = self.findings.iter().filter(|r| r.code == code).collect();
        assert_eq!(
            hits.len(),
            1,
            "expected one `{code}` finding, got {hits:#?}\nall: {:#?}",
            self.findings
        );
        hits[0]
    }

    pub fn codes(&self) -> Vec<&str> {
        self.findings.iter().map(|r| r.code.as_str()).collect()
    }
}

impl Scenario {
    pub fn clean() -> Self {
        let s = Scenario {
            dir: tempfile::tempdir().unwrap(),
        };
        s.write("programme.toml", CONFIG);
        s.write("referrals.csv", REFERRALS);
        s.write("sessions.csv", SESSIONS);
        s.write("assessments.csv", ASSESSMENTS);
        s.write("medications.csv", MEDICATIONS);
        s
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, text: &str) {
        std::fs::write(self.path(name), text).unwrap();
    }

    pub fn write_bytes(&self, name: &str, bytes: &[u8]) {
        std::fs::write(self.path(name), bytes).unwrap();
    }

    pub fn append(&self, name: &str, line: &str) {
        let mut text = std::fs::read_to_string(self.path(name)).unwrap();
        text.push_str(line);
        text.push('\n');
        self.write(name, &text);
    }

    /// Replaces text in the config.
    pub fn edit_config(&self, from: &str, to: &str) {
        let text = std::fs::read_to_string(self.path("programme.toml")).unwrap();
        assert!(text.contains(from), "config has no `{from}`");
        self.write("programme.toml", &text.replacen(from, to, 1));
    }

    pub fn out_dir(&self) -> PathBuf {
        self.path("out")
    }

    /// Runs `sprout validate` (with extra arguments) and reads data-quality.csv if written.
    pub fn validate(&self, extra: &[&str]) -> Outcome {
        let out_dir = self.out_dir();
        let _ = std::fs::remove_file(out_dir.join("data-quality.csv"));
        let output = sprout()
            .args(["validate", "--config"])
            .arg(self.path("programme.toml"))
            .arg("--out")
            .arg(&out_dir)
            .args(extra)
            .output()
            .unwrap();
        Outcome {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            findings: read_findings(&out_dir.join("data-quality.csv")),
        }
    }
}

pub fn sprout() -> Command {
    let mut cmd = Command::cargo_bin("sprout").unwrap();
    // A fixed run date after every date in the fixtures.
    cmd.env("SOURCE_DATE_EPOCH", "1798761600");
    cmd
}

pub fn read_findings(path: &Path) -> Vec<Row> {
    let Ok(mut reader) = csv::Reader::from_path(path) else {
        return Vec::new();
    };
    reader
        .deserialize::<BTreeMap<String, String>>()
        .map(|r| {
            let r = r.unwrap();
            let get = |k: &str| r.get(k).cloned().unwrap_or_default();
            Row {
                table: get("table"),
                file: get("file"),
                sheet: get("sheet"),
                line: get("line").parse().unwrap(),
                column: get("column"),
                value: get("value"),
                code: get("code"),
                action: get("action"),
                reason: get("reason"),
            }
        })
        .collect()
}

/// The text a person could read in an output file: the file itself, or for a workbook
/// every cell of every sheet (a workbook is compressed, so its bytes hide nothing).
pub fn readable_text(path: &Path) -> String {
    use calamine::{Data, Reader};
    if path.extension().is_some_and(|e| e == "xlsx") {
        let mut book = calamine::open_workbook_auto(path).unwrap();
        let mut out = Vec::new();
        for name in book.sheet_names() {
            let range = book.worksheet_range(&name).unwrap();
            for row in range.rows() {
                let cells: Vec<String> = row
                    .iter()
                    .map(|c| match c {
                        Data::String(s) => s.clone(),
                        Data::Empty => String::new(),
                        other => other.to_string(),
                    })
                    .collect();
                out.push(cells.join(","));
            }
        }
        return out.join("\n");
    }
    if path.extension().is_some_and(|e| e == "pdf") {
        // A PDF's page text, and its metadata packet (title, author), which is plain.
        let bytes = std::fs::read(path).unwrap();
        let mut text = pdf_extract::extract_text_from_mem(&bytes).unwrap();
        let raw = String::from_utf8_lossy(&bytes);
        if let (Some(a), Some(b)) = (raw.find("<x:xmpmeta"), raw.find("</x:xmpmeta>")) {
            text.push('\n');
            text.push_str(&raw[a..b]);
        }
        return text;
    }
    let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
    // Embedded fonts and images are base64, not text: leave them out of the scan.
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(start) = rest.find("data:") {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let end = after.find(['"', ')', '\'']).unwrap_or(after.len());
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

impl Scenario {
    /// `sprout report` on the scenario for April to September 2025; fails the test unless
    /// it succeeds, and returns the period's folder.
    pub fn report_half_year(&self) -> PathBuf {
        let out = self.out_dir();
        let run = sprout()
            .args([
                "report",
                "--from",
                "2025-04-01",
                "--to",
                "2025-09-30",
                "--config",
            ])
            .arg(self.path("programme.toml"))
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        succeeded(&run);
        out.join("2025-04-01_2025-09-30")
    }
}

/// Fails the test, showing what sprout said, unless it exited 0.
pub fn succeeded(run: &std::process::Output) {
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}\n{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
}

/// A fresh sample export of `clients` (seed `seed`) in `dir`, with the referrals'
/// `column` rewritten row by row by `value(row index, old value)`. Returns the config.
pub fn sample_with_column(
    dir: &Path,
    clients: u32,
    seed: u32,
    column: &str,
    value: impl Fn(usize, &str) -> String,
) -> PathBuf {
    let run = sprout()
        .args([
            "sample-data",
            "--clients",
            &clients.to_string(),
            "--seed",
            &seed.to_string(),
            "--out",
        ])
        .arg(dir)
        .output()
        .unwrap();
    succeeded(&run);
    let path = dir.join("referrals.csv");
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let at = headers.iter().position(|h| h == column).unwrap();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&headers).unwrap();
    for (i, r) in reader.records().enumerate() {
        let mut r: Vec<String> = r.unwrap().iter().map(str::to_owned).collect();
        r[at] = value(i, &r[at]);
        w.write_record(&r).unwrap();
    }
    std::fs::write(&path, w.into_inner().unwrap()).unwrap();
    dir.join("programme.toml")
}

/// `sprout report --config <config> --out <out> <extra>`, which must succeed; returns the
/// one period folder it wrote.
pub fn report_into(config: &Path, out: &Path, extra: &[&str]) -> PathBuf {
    let run = sprout()
        .arg("report")
        .args(extra)
        .arg("--config")
        .arg(config)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    succeeded(&run);
    std::fs::read_dir(out)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path()
}
