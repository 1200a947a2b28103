//! `sprout report` on the bundled sample: reproducible, atomic, private, and a snapshot of
//! the model reviewers can diff.
#![allow(clippy::unwrap_used)]

use crate::common;

use std::path::{Path, PathBuf};

fn sample_config() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample_data/programme.toml")
}

fn report(out: &Path, extra: &[&str]) -> std::process::Output {
    common::sprout()
        .arg("report")
        .arg("--config")
        .arg(sample_config())
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

#[test]
fn same_input_and_source_date_epoch_give_identical_bytes() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    assert_eq!(
        report(a.path(), &["--period", "2026/27 Q2"]).status.code(),
        Some(0)
    );
    assert_eq!(
        report(b.path(), &["--period", "2026/27 Q2"]).status.code(),
        Some(0)
    );
    let (fa, fb) = (files_under(a.path()), files_under(b.path()));
    assert!(fa.len() > 60, "three audiences of tables: {}", fa.len());
    assert_eq!(fa.len(), fb.len());
    for (x, y) in fa.iter().zip(&fb) {
        assert_eq!(
            x.strip_prefix(a.path()).unwrap(),
            y.strip_prefix(b.path()).unwrap()
        );
        assert!(
            std::fs::read(x).unwrap() == std::fs::read(y).unwrap(),
            "{} differs",
            x.display()
        );
    }
}

#[test]
fn writes_every_output_for_each_audience() {
    let out = tempfile::tempdir().unwrap();
    let run = report(out.path(), &["--period", "2026/27-Q2"]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.contains("2026/27 Q2"), "{stdout}");
    let dir = out.path().join("2026-27-Q2");
    for f in ["manifest.json", "data-quality.csv"] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    for audience in ["evaluator", "trustee", "commissioner"] {
        let json: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join(audience).join("report.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(json["meta"]["audience"], audience);
        for t in [
            "flow",
            "outcomes",
            "cohorts",
            "medication",
            "engagement",
            "reach",
            "trend",
            "methods_tests",
        ] {
            assert!(
                dir.join(audience)
                    .join("tables")
                    .join(format!("{t}.csv"))
                    .is_file(),
                "{audience}/{t}"
            );
        }
    }
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["period"]["label"], "2026/27 Q2");
    assert_eq!(manifest["inputs"].as_array().unwrap().len(), 6);
    assert_eq!(manifest["config"]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(
        manifest["generated_at"], "2027-01-01T00:00:00Z",
        "SOURCE_DATE_EPOCH is honoured"
    );
    let policies: Vec<&str> = manifest["disclosure"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["policy"]["policy"].as_str().unwrap())
        .collect();
    assert_eq!(policies, vec!["none", "nhs", "nhs"]);
}

#[test]
fn trustee_and_commissioner_reports_are_suppressed_and_evaluators_marked() {
    let out = tempfile::tempdir().unwrap();
    assert_eq!(
        report(out.path(), &["--period", "2026/27 Q2"])
            .status
            .code(),
        Some(0)
    );
    let dir = out.path().join("2026-27-Q2");
    let read = |a: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join(a).join("report.json")).unwrap())
            .unwrap()
    };
    let (evaluator, trustee) = (read("evaluator"), read("trustee"));
    assert_eq!(
        evaluator["meta"]["disclosure"]["small_numbers_marked"],
        true
    );
    assert_eq!(trustee["meta"]["disclosure"]["small_numbers_marked"], false);
    assert_eq!(trustee["meta"]["disclosure"]["hidden_below"], 8);
    assert_eq!(trustee["meta"]["disclosure"]["rounded_to"], 5);
    let html = |a: &str| std::fs::read_to_string(dir.join(a).join("report.html")).unwrap();
    assert!(html("evaluator").contains("Contains small numbers: not for publication"));
    assert!(!html("trustee").contains("Contains small numbers"));
    // Every shown count in the trustee report is 0, a multiple of 5, or suppressed.
    let mut counts = 0;
    walk(&trustee, &mut |v| {
        if let Some(n) = v.get("value").and_then(|n| n.as_u64())
            && v.as_object()
                .is_some_and(|o| o.len() <= 2 && o.keys().all(|k| k == "value" || k == "shown"))
        {
            counts += 1;
            assert!(n == 0 || n % 5 == 0, "unrounded count {n} in {v}");
        }
    });
    assert!(counts > 500, "{counts} counts checked");
    let text = std::fs::read_to_string(dir.join("trustee/tables/people_ethnic_group.csv")).unwrap();
    assert!(
        text.contains(",[c],"),
        "small cells are shown as [c]: {text}"
    );
    assert!(
        evaluator["data_quality"]["codes"][0]["examples"]
            .as_array()
            .is_some_and(|e| !e.is_empty())
    );
    assert!(
        trustee["data_quality"]["codes"][0]["examples"]
            .as_array()
            .is_some_and(|e| e.is_empty()),
        "row-level examples stay with the evaluator"
    );
}

fn walk(v: &serde_json::Value, f: &mut dyn FnMut(&serde_json::Value)) {
    f(v);
    match v {
        serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, f)),
        serde_json::Value::Object(o) => o.values().for_each(|x| walk(x, f)),
        _ => {}
    }
}

#[test]
fn no_personal_data_reaches_any_output() {
    let out = tempfile::tempdir().unwrap();
    assert_eq!(
        report(out.path(), &["--period", "2026/27 Q2"])
            .status
            .code(),
        Some(0)
    );
    let outputs: String = files_under(out.path())
        .iter()
        .map(|f| common::readable_text(f))
        .collect::<Vec<_>>()
        .join("\n");
    // Identifiers and NHS numbers have recognisable shapes: look for them anywhere.
    for prefix in ["WW0", "WX0", "999 "] {
        assert!(!outputs.contains(prefix), "`{prefix}` found in the outputs");
    }
    // Every other value would leak as a whole JSON string or CSV cell.
    let cells: std::collections::HashSet<&str> = outputs
        .split(['"', ',', '\n'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    let mut referrals =
        csv::Reader::from_path(sample_config().with_file_name("referrals.csv")).unwrap();
    let headers = referrals.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (nhs, fore, sur, dob, notes) = (
        col("NHS Number"),
        col("Forename"),
        col("Surname"),
        col("Date of Birth"),
        col("Referral Notes"),
    );
    let mut checked = 0;
    let mut notes_seen = std::collections::HashSet::new();
    for r in referrals.records() {
        let r = r.unwrap();
        let iso_dob = chrono::NaiveDate::parse_from_str(&r[dob], "%d/%m/%Y")
            .map(|d| d.to_string())
            .unwrap_or_default();
        let secrets = [
            r[nhs].replace(' ', ""),
            format!("{} {}", &r[fore], &r[sur]),
            r[sur].to_owned(),
            r[dob].to_owned(),
            iso_dob,
            r[notes].to_owned(),
        ];
        for s in secrets.iter().filter(|s| !s.is_empty()) {
            assert!(!cells.contains(s.as_str()), "`{s}` found in the outputs");
        }
        // Free text may hold commas, so search for each distinct note itself.
        let note = r[notes]
            .split(['\n', ',', '"'])
            .next()
            .unwrap_or("")
            .trim()
            .to_owned();
        if note.len() > 10 && notes_seen.insert(note.clone()) {
            assert!(
                !outputs.contains(&note),
                "free text `{note}` found in the outputs"
            );
        }
        checked += 1;
    }
    assert!(checked > 900 && cells.len() > 1000 && notes_seen.len() > 5);
}

#[test]
fn a_failed_run_leaves_the_previous_reports_untouched() {
    let dir = tempfile::tempdir().unwrap();
    // A private copy of the sample, so it can be broken.
    for f in std::fs::read_dir(sample_config().parent().unwrap()).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, dir.path().join(f.file_name().unwrap())).unwrap();
    }
    let config = dir.path().join("programme.toml");
    let out = dir.path().join("reports");
    let run = |config: &Path| {
        common::sprout()
            .args(["report", "--period", "2026/27 Q2", "--config"])
            .arg(config)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap()
    };
    assert_eq!(run(&config).status.code(), Some(0));
    let before: Vec<(PathBuf, Vec<u8>)> = files_under(&out)
        .into_iter()
        .map(|f| (f.clone(), std::fs::read(&f).unwrap()))
        .collect();
    std::fs::write(dir.path().join("assessments.csv"), "").unwrap();
    let failed = run(&config);
    assert_eq!(
        failed.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&failed.stderr)
    );
    let after: Vec<(PathBuf, Vec<u8>)> = files_under(&out)
        .into_iter()
        .map(|f| (f.clone(), std::fs::read(&f).unwrap()))
        .collect();
    assert!(before == after, "the previous reports changed");
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        // The folder's lock file stays, as lock files do.
        .filter(|e| !e.file_name().to_string_lossy().ends_with(".lock"))
        .collect();
    assert!(leftovers.is_empty(), "no partial folders are left behind");
}

#[test]
fn period_arguments() {
    let out = tempfile::tempdir().unwrap();
    let range = report(out.path(), &["--from", "2025-04-01", "--to", "2026-03-31"]);
    assert_eq!(
        range.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&range.stderr)
    );
    assert!(
        out.path()
            .join("2025-04-01_2026-03-31/evaluator/report.json")
            .is_file()
    );
    let default = report(out.path(), &[]);
    assert_eq!(default.status.code(), Some(0));
    assert!(
        out.path().join("2026-27-Q2").is_dir(),
        "the latest complete quarter by default"
    );
    let bad = report(out.path(), &["--period", "2026/27 Q5"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("Q1 to Q4"));
    let both = report(
        out.path(),
        &[
            "--period",
            "2026/27 Q2",
            "--from",
            "2025-04-01",
            "--to",
            "2026-03-31",
        ],
    );
    assert_eq!(both.status.code(), Some(2));
}

#[test]
fn strict_report_refuses_data_with_findings() {
    let out = tempfile::tempdir().unwrap();
    let run = report(out.path(), &["--strict"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(!out.path().join("2026-27-Q2").exists());
}

#[test]
fn sample_evaluator_model_snapshot() {
    let out = tempfile::tempdir().unwrap();
    assert_eq!(
        report(out.path(), &["--period", "2026/27 Q2"])
            .status
            .code(),
        Some(0)
    );
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.path().join("2026-27-Q2/evaluator/report.json")).unwrap(),
    )
    .unwrap();
    insta::assert_json_snapshot!("sample_evaluator_report", json);
}

#[test]
fn free_text_and_small_group_labels_stay_out_of_published_reports() {
    let s = common::Scenario::clean();
    s.edit_config(
        "duration_minutes = \"Minutes\"",
        "duration_minutes = \"Minutes\"\nsupport_type = \"Support\"",
    );
    let mut sessions = String::from("Client ID,Date,Mode,Minutes,Support\n");
    for i in 0..12 {
        sessions.push_str(&format!("C1,{:02}/05/2025,Phone,30,Walking group\n", i + 1));
    }
    sessions.push_str(
        "C2,10/05/2025,Phone,30,Referred to debt advice re John Smith arrears at 12 High St\n",
    );
    sessions.push_str("C2,11/05/2025,Phone,30,Mrs Jones befriending\n");
    s.write("sessions.csv", &sessions);
    let out = s.path("out");
    let run = common::sprout()
        .args(["report", "--period", "2025/26 Q1", "--config"])
        .arg(s.path("programme.toml"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let dir = out.join("2025-26-Q1");
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    for audience in ["evaluator", "trustee", "commissioner"] {
        let json = read(&format!("{audience}/report.json"));
        assert!(
            !json.contains("John Smith") && !json.contains("High St"),
            "{audience}: free text published"
        );
    }
    for audience in ["trustee", "commissioner"] {
        let table = read(&format!("{audience}/tables/support_types.csv"));
        assert!(
            !table.contains("Mrs Jones"),
            "{audience}: a group of one is named: {table}"
        );
        assert!(
            table.contains("Walking group") && table.contains("Other (2 smaller groups)"),
            "{table}"
        );
    }
}

/// The flow follows the people whose support ended: in every report of every quarter
/// since the sample programme began, for the quarter and since the start, no stage holds
/// more people than the stage before it (hidden stages aside; rounding keeps order).
#[test]
fn no_flow_stage_exceeds_the_one_before_in_any_quarter() {
    let out = tempfile::tempdir().unwrap();
    let mut checked = 0;
    let quarters: Vec<String> = (2024..=2026)
        .flat_map(|y| (1..=4).map(move |q| format!("{y}/{:02} Q{q}", (y + 1) % 100)))
        .take_while(|q| q != "2026/27 Q3")
        .collect();
    assert_eq!(quarters.len(), 10, "{quarters:?}");
    for q in &quarters {
        let run = report(out.path(), &["--period", q, "--format", "json,html"]);
        assert_eq!(run.status.code(), Some(0), "{q}: {run:?}");
        let dir = out.path().join(q.replace(['/', ' '], "-"));
        for audience in ["evaluator", "trustee", "commissioner"] {
            let m: serde_json::Value = serde_json::from_str(
                &std::fs::read_to_string(dir.join(audience).join("report.json")).unwrap(),
            )
            .unwrap();
            for w in ["period", "cumulative"] {
                let e = &m["flow"][w]["ended"];
                let stages: Vec<Option<u64>> = ["left", "completed", "baseline", "both"]
                    .iter()
                    .map(|k| e[k]["value"].as_u64())
                    .collect();
                for pair in stages.windows(2) {
                    if let [Some(a), Some(b)] = pair {
                        assert!(b <= a, "{q} {audience} {w}: {stages:?}");
                        checked += 1;
                    }
                }
            }
            // The figure's data table says the same, in order (the commissioners' report
            // has no flow figure).
            if audience == "commissioner" {
                continue;
            }
            let page = std::fs::read_to_string(dir.join(audience).join("report.html")).unwrap();
            let table = page
                .split("id=\"table-flow-data\"")
                .nth(1)
                .and_then(|t| t.split("</table>").next())
                .unwrap_or_else(|| panic!("{q} {audience}: no flow chart data"));
            let shown: Vec<u64> = table
                .split("<td class=\"num\">")
                .skip(1)
                .filter_map(|c| c.split('<').next()?.replace(',', "").parse().ok())
                .collect();
            assert!(
                shown.windows(2).all(|p| p[1] <= p[0]),
                "{q} {audience}: the flow chart goes up: {shown:?}"
            );
        }
    }
    assert!(checked >= 150, "{checked} stage pairs checked");
}
