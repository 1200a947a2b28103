//! The documentation runs: every command of `docs/walkthrough.md` is run on the files it
//! names and must print what the page shows; its config excerpts must be in the draft;
//! its edits are applied as written. `docs/measures.txt` must be what `sprout list
//! measures` prints. The commands that teach the vocabulary and the ecosystem commands
//! (schema, completions, man pages, `--open`) are checked here too.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

const EPOCH: &str = "1784116800";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sprout(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("sprout").unwrap();
    c.env("SOURCE_DATE_EPOCH", EPOCH).current_dir(dir);
    c
}

/// Fenced blocks of a Markdown page: (info string, lines).
fn blocks(page: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut current: Option<(String, Vec<String>)> = None;
    for line in page.lines() {
        if let Some(info) = line.strip_prefix("```") {
            match current.take() {
                Some(block) => out.push(block),
                None => current = Some((info.trim().to_owned(), Vec::new())),
            }
        } else if let Some((_, lines)) = current.as_mut() {
            lines.push(line.to_owned());
        }
    }
    out
}

/// Splits a shell line into words, honouring double quotes.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// Applies a `diff` block: context lines (" x") move the cursor past `x`, removals
/// ("-x") delete the next `x`, additions ("+x") insert at the cursor.
fn apply(text: &str, diff: &[String]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let mut at = 0;
    for d in diff {
        let (op, body) = d.split_at(1);
        match op {
            " " | "-" => {
                let found = lines[at..]
                    .iter()
                    .position(|l| l == body)
                    .unwrap_or_else(|| panic!("walkthrough edit: `{body}` not in the draft"));
                at += found;
                if op == "-" {
                    lines.remove(at);
                } else {
                    at += 1;
                }
            }
            "+" => {
                lines.insert(at, body.to_owned());
                at += 1;
            }
            _ => panic!("walkthrough edit: unknown line `{d}`"),
        }
    }
    lines.join("\n") + "\n"
}

#[test]
fn the_walkthrough_runs_as_written() {
    let page = std::fs::read_to_string(root().join("docs/walkthrough.md")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for f in [
        "referrals.xlsx",
        "appointments.parquet",
        "outcomes_export.csv",
    ] {
        std::fs::copy(
            root().join("tests/fixtures/init/alder").join(f),
            dir.path().join(f),
        )
        .unwrap();
    }
    let config = dir.path().join("programme.toml");
    let mut commands = 0;
    let mut excerpts = 0;
    let mut edits = 0;
    for (info, lines) in blocks(&page) {
        match info.as_str() {
            "console" => {
                let command = lines[0]
                    .strip_prefix("$ sprout ")
                    .expect("a sprout command");
                let run = sprout(dir.path()).args(words(command)).output().unwrap();
                let printed = format!(
                    "{}{}",
                    String::from_utf8_lossy(&run.stdout),
                    String::from_utf8_lossy(&run.stderr)
                );
                assert_eq!(run.status.code(), Some(0), "{command}: {printed}");
                let shown = lines[1..].join("\n");
                assert_eq!(printed.trim_end(), shown.trim_end(), "{command}");
                commands += 1;
            }
            "toml" => {
                let draft = std::fs::read_to_string(&config).unwrap();
                let excerpt = lines.join("\n");
                assert!(
                    draft.contains(&excerpt),
                    "not in the draft:\n{excerpt}\n\n{draft}"
                );
                excerpts += 1;
            }
            "diff" => {
                let draft = std::fs::read_to_string(&config).unwrap();
                std::fs::write(&config, apply(&draft, &lines)).unwrap();
                edits += 1;
            }
            _ => {}
        }
    }
    assert_eq!((commands, excerpts, edits), (3, 3, 3));
    let report = dir.path().join("reports/2026-27-Q1");
    for audience in ["evaluator", "trustee", "commissioner"] {
        assert!(report.join(audience).join("report.html").is_file());
        assert!(report.join(audience).join("report.pdf").is_file());
    }
    let model = std::fs::read_to_string(report.join("evaluator/report.json")).unwrap();
    assert!(model.contains("\"dimension\": \"locality\""));
    assert!(model.contains("Heartwood Community Trust"));
}

#[test]
fn the_measure_list_in_the_docs_is_what_sprout_prints() {
    let dir = tempfile::tempdir().unwrap();
    let run = sprout(dir.path())
        .args(["list", "measures"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0));
    let printed = String::from_utf8(run.stdout).unwrap();
    let documented = std::fs::read_to_string(root().join("docs/measures.txt")).unwrap();
    assert_eq!(
        printed, documented,
        "regenerate: sprout list measures > docs/measures.txt"
    );
    for id in [
        "wemwbs",
        "ucla3",
        "ucla_loneliness",
        "wemwbs14",
        "bpi_interference",
    ] {
        assert!(printed.contains(id), "{id}");
    }
    for what in ["labels", "fields"] {
        let run = sprout(dir.path()).args(["list", what]).output().unwrap();
        assert_eq!(run.status.code(), Some(0));
        assert!(!run.stdout.is_empty());
    }
}

#[test]
fn schema_completions_and_man_pages_come_from_the_definitions() {
    let dir = tempfile::tempdir().unwrap();
    let run = sprout(dir.path()).arg("schema").output().unwrap();
    assert_eq!(run.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    for key in [
        "programme",
        "tables",
        "timepoints",
        "measures",
        "cohorts",
        "labels",
    ] {
        assert!(schema["properties"].get(key).is_some(), "{key}");
    }
    let required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(required.contains(&"programme") && required.contains(&"tables"));
    assert!(!required.contains(&"measures"));
    let text = serde_json::to_string(&schema).unwrap();
    assert!(text.contains("higher_is_better") && text.contains("\"higher\""));

    for shell in ["bash", "zsh", "fish"] {
        let run = sprout(dir.path())
            .args(["completions", shell])
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(run.stdout).unwrap();
        assert!(
            script.contains("sprout") && script.contains("validate"),
            "{shell}"
        );
    }
    let run = sprout(dir.path())
        .args(["man", "--out", "man"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0));
    for page in [
        "sprout.1",
        "sprout-report.1",
        "sprout-init.1",
        "sprout-list.1",
    ] {
        let text = std::fs::read_to_string(dir.path().join("man").join(page)).unwrap();
        assert!(text.starts_with(".ie") || text.contains(".TH"), "{page}");
    }
}

#[test]
fn report_open_hands_the_evaluator_page_to_the_desktop() {
    let dir = tempfile::tempdir().unwrap();
    // A stand-in for xdg-open that records what it was asked to open. It
    // writes beside the record and renames, so the record appears whole:
    // the opener runs detached and may still be writing when sprout exits.
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let opened = dir.path().join("opened.txt");
    let opener = bin.join("xdg-open");
    std::fs::write(
        &opener,
        format!(
            "#!/bin/sh\necho \"$1\" > {0}.part && mv {0}.part {0}\n",
            opened.display()
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = sprout(dir.path())
        .env("PATH", path)
        .args([
            "report", "--quiet", "--open", "--format", "html", "--config",
        ])
        .arg(root().join("tests/fixtures/handmade/programme.toml"))
        .args(["--period", "2026/27-Q2", "--out", "out"])
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    if cfg!(target_os = "linux") {
        for _ in 0..300 {
            if opened.is_file() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let page = std::fs::read_to_string(&opened).unwrap();
        assert!(page.trim().ends_with("evaluator/report.html"), "{page}");
    }
}

#[test]
fn silent_emptiness_is_a_warning_saying_why() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("referrals.csv"),
        "Client ID,Referral Date,Discharge Date\nA1,01/04/2025,01/09/2025\nA2,02/04/2025,02/09/2025\nA3,03/04/2025,03/09/2025\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("outcomes.csv"),
        "Client ID,Date,Stage,Tool,Score\n\
         A1,01/04/2025,T0 - Baseline,WEMWBS,40\nA2,02/04/2025,T0 - Baseline,WEMWBS,44\n\
         A3,03/04/2025,T0 - Baseline,WEMWBS,38\nA1,01/06/2025,T1 - 8 weeks,WEMWBS,48\n\
         A2,02/06/2025,T1 - 8 weeks,WEMWBS,50\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("programme.toml"),
        r#"
[programme]
name = "Warnings"

[tables.referrals]
files = ["referrals.csv"]
[tables.referrals.columns]
client_id = "Client ID"
referral_date = "Referral Date"
discharge_date = "Discharge Date"

[tables.assessments]
files = ["outcomes.csv"]
layout = "long"
[tables.assessments.columns]
client_id = "Client ID"
assessment_date = "Date"
timepoint = "Stage"
measure = "Tool"
value = "Score"

[timepoints]
order = ["baseline", "discharge"]

[[measures]]
id = "wemwbs"

[labels.timepoint]
baseline = ["T0 - Baseline"]
"#,
    )
    .unwrap();
    let run = sprout(dir.path())
        .args(["validate", "--config", "programme.toml"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert_eq!(run.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("warning: no sessions table is configured"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "warning: measure wemwbs has no pairs: no client has both a baseline and a \
             discharge value; timepoint values mapped: Baseline (3); timepoint labels seen \
             but not mapped: T1 - 8 weeks (2)"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("timepoint discharge (Discharge) has no assessment values"));
    // The report's data-quality section says the same.
    let run = sprout(dir.path())
        .args([
            "report",
            "--config",
            "programme.toml",
            "--quiet",
            "--format",
            "json,html",
            "--from",
            "2025-04-01",
            "--to",
            "2025-09-30",
            "--out",
            "out",
        ])
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let folder = dir.path().join("out/2025-04-01_2025-09-30/evaluator");
    let model = std::fs::read_to_string(folder.join("report.json")).unwrap();
    assert!(model.contains("no sessions table is configured"));
    let page = std::fs::read_to_string(folder.join("report.html")).unwrap();
    assert!(page.contains("Measure wemwbs has no pairs"));
}
