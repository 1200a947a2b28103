//! The three assessment layouts (long, wide, one row per client) hold the same scores in
//! different shapes: read through their configs, they give identical canonical tables.
#![allow(clippy::unwrap_used)]

use std::fmt::Write as _;
use std::path::Path;

use sprout::config;
use sprout::validate::{self, Validated};

const HEAD: &str = r#"[programme]
name = "Layouts"
organisation = "Test organisation"

[tables.referrals]
files = ["referrals.csv"]

[tables.referrals.columns]
client_id = "ID"
referral_date = "Referred"
start_date = "Started"
discharge_date = "Closed"

[timepoints]
order = ["baseline", "review", "discharge"]

[[measures]]
id = "swemwbs"

[[measures]]
id = "ucla3"

[labels.timepoint]
baseline = ["Start"]
review = ["Mid"]
discharge = ["End"]

[labels.measure]
swemwbs = ["SWEMWBS"]
"ucla3.1" = ["UCLA 1"]
"ucla3.2" = ["UCLA 2"]
"ucla3.3" = ["UCLA 3"]
"#;

const LONG: &str = r#"
[tables.assessments]
files = ["long.csv"]

[tables.assessments.columns]
client_id = "ID"
assessment_date = "Date"
timepoint = "Stage"
measure = "Measure"
value = "Score"
"#;

const WIDE: &str = r#"
[tables.assessments]
files = ["wide.csv"]
layout = "wide"

[tables.assessments.columns]
client_id = "ID"
assessment_date = "Date"
timepoint = "Stage"

[tables.assessments.measures]
swemwbs = "SWEMWBS"

[tables.assessments.items]
ucla3 = ["UCLA 1", "UCLA 2", "UCLA 3"]
"#;

const PER_CLIENT: &str = r#"
[tables.assessments]
files = ["per_client.csv"]
layout = "per_client"

[tables.assessments.columns]
client_id = "ID"

[tables.assessments.timepoints.baseline]
assessment_date = "Start date"
measures = { swemwbs = "SWEMWBS start" }
items = { ucla3 = ["UCLA 1 start", "UCLA 2 start", "UCLA 3 start"] }

[tables.assessments.timepoints.review]
assessment_date = "Mid date"
measures = { swemwbs = "SWEMWBS mid" }

[tables.assessments.timepoints.discharge]
assessment_date = "End date"
measures = { swemwbs = "SWEMWBS end" }
items = { ucla3 = ["UCLA 1 end", "UCLA 2 end", "UCLA 3 end"] }
"#;

/// One client's scores at one timepoint.
struct Visit {
    stage: &'static str,
    date: String,
    swemwbs: Option<u32>,
    ucla: Option<[u32; 3]>,
}

/// 40 clients with baseline scores; most reviewed, many discharged, a few with a measure
/// missing at one timepoint. Deterministic.
fn visits() -> Vec<(String, Vec<Visit>)> {
    let mut seed = 7u64;
    let mut next = |n: u32| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) % u64::from(n)) as u32
    };
    (1..=40)
        .map(|i| {
            let mut v = vec![Visit {
                stage: "Start",
                date: format!("{:02}/04/2025", 1 + i % 28),
                swemwbs: Some(12 + next(15)),
                ucla: Some([1 + next(3), 1 + next(3), 1 + next(3)]),
            }];
            if i % 4 != 0 {
                v.push(Visit {
                    stage: "Mid",
                    date: format!("{:02}/07/2025", 1 + i % 28),
                    swemwbs: Some(14 + next(15)),
                    ucla: None,
                });
            }
            if i % 3 != 0 {
                v.push(Visit {
                    stage: "End",
                    date: format!("{:02}/10/2025", 1 + i % 28),
                    swemwbs: (i % 7 != 0).then(|| 15 + next(15)),
                    ucla: (i % 5 != 0).then(|| [1 + next(3), 1 + next(3), 1 + next(3)]),
                });
            }
            (format!("P{i:03}"), v)
        })
        .collect()
}

fn num(v: Option<u32>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// Writes the referrals and each layout's export of the same scores.
fn write_exports(dir: &Path) {
    let data = visits();
    let mut referrals = String::from("ID,Referred,Started,Closed\n");
    let mut long = String::from("ID,Date,Stage,Measure,Score\n");
    let mut wide = String::from("ID,Date,Stage,SWEMWBS,UCLA 1,UCLA 2,UCLA 3\n");
    let mut per_client = String::from(
        "ID,Start date,SWEMWBS start,UCLA 1 start,UCLA 2 start,UCLA 3 start,Mid date,SWEMWBS mid,End date,SWEMWBS end,UCLA 1 end,UCLA 2 end,UCLA 3 end\n",
    );
    for (id, vs) in &data {
        writeln!(referrals, "{id},25/03/2025,{},", vs[0].date).unwrap();
        let mut cells = vec![String::new(); 12];
        for v in vs {
            if let Some(s) = v.swemwbs {
                writeln!(long, "{id},{},{},SWEMWBS,{s}", v.date, v.stage).unwrap();
            }
            for (k, u) in v.ucla.iter().flatten().enumerate() {
                writeln!(long, "{id},{},{},UCLA {},{u}", v.date, v.stage, k + 1).unwrap();
            }
            let items = v.ucla.map(|u| u.map(|x| x.to_string()));
            let items = items.unwrap_or_default();
            writeln!(
                wide,
                "{id},{},{},{},{}",
                v.date,
                v.stage,
                num(v.swemwbs),
                items.join(",")
            )
            .unwrap();
            let (at, with_items) = match v.stage {
                "Start" => (0, true),
                "Mid" => (5, false),
                _ => (7, true),
            };
            cells[at] = v.date.clone();
            cells[at + 1] = num(v.swemwbs);
            if with_items {
                for (k, x) in items.iter().enumerate() {
                    cells[at + 2 + k] = x.clone();
                }
            }
        }
        writeln!(per_client, "{id},{}", cells.join(",")).unwrap();
    }
    std::fs::write(dir.join("referrals.csv"), referrals).unwrap();
    std::fs::write(dir.join("long.csv"), long).unwrap();
    std::fs::write(dir.join("wide.csv"), wide).unwrap();
    std::fs::write(dir.join("per_client.csv"), per_client).unwrap();
}

fn run(dir: &Path, layout: &str) -> Validated {
    let path = dir.join("programme.toml");
    std::fs::write(&path, format!("{HEAD}{layout}")).unwrap();
    let cfg = config::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    validate::run(&cfg, validate::Options { today }).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn long_wide_and_per_client_layouts_give_identical_tables() {
    let dir = tempfile::tempdir().unwrap();
    write_exports(dir.path());
    let long = run(dir.path(), LONG);
    let wide = run(dir.path(), WIDE);
    let per_client = run(dir.path(), PER_CLIENT);
    let scores = |v: &Validated| v.tables.assessments.clone().unwrap();
    assert!(long.findings.is_empty(), "{:?}", long.findings);
    assert!(wide.findings.is_empty(), "{:?}", wide.findings);
    assert!(per_client.findings.is_empty(), "{:?}", per_client.findings);
    // 40 baselines x 2 measures, 30 reviews, 27 discharges less those missing a measure.
    assert!(scores(&long).len() > 150, "{}", scores(&long).len());
    assert!(scores(&long).same_as(&scores(&wide)), "wide differs");
    assert!(
        scores(&long).same_as(&scores(&per_client)),
        "per-client differs"
    );
}

#[test]
fn per_client_findings_name_the_timepoints_own_columns() {
    let dir = tempfile::tempdir().unwrap();
    write_exports(dir.path());
    let text = std::fs::read_to_string(dir.path().join("per_client.csv")).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    // Line 2: a discharge score out of range. Line 3: review scores without their date.
    // Line 4: an end-of-support UCLA item outside its 1-3 scale.
    // Columns: 0 ID, 1 Start date, 2 SWEMWBS start, 3-5 UCLA start, 6 Mid date,
    // 7 SWEMWBS mid, 8 End date, 9 SWEMWBS end, 10-12 UCLA end.
    let mut edit = |line: usize, changes: &[(usize, &str)]| {
        let mut cells: Vec<String> = lines[line - 1].split(',').map(str::to_owned).collect();
        for (i, v) in changes {
            cells[*i] = (*v).to_owned();
        }
        lines[line - 1] = cells.join(",");
    };
    edit(2, &[(9, "40")]);
    edit(3, &[(6, ""), (7, "20")]);
    edit(4, &[(8, "01/10/2025"), (10, "5"), (11, "1"), (12, "1")]);
    // Line 5: a review date that is no date.
    edit(5, &[(6, "31/13/2025")]);
    std::fs::write(dir.path().join("per_client.csv"), lines.join("\n")).unwrap();

    let v = run(dir.path(), PER_CLIENT);
    let found: Vec<(u64, String, String, &str)> = v
        .findings
        .iter()
        .map(|f| {
            (
                f.at.line,
                f.column.clone(),
                f.value.clone(),
                f.code.as_str(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            (2, "SWEMWBS end".to_owned(), "40".to_owned(), "out_of_range"),
            (3, "Mid date".to_owned(), String::new(), "missing_required"),
            (
                4,
                "UCLA 1 end".to_owned(),
                "5".to_owned(),
                "item_out_of_range"
            ),
            (
                5,
                "Mid date".to_owned(),
                "31/13/2025".to_owned(),
                "unparseable_date"
            ),
        ]
    );
    let last = v.findings.iter().last().unwrap();
    assert!(
        last.reason.ends_with("this timepoint is left out"),
        "{}",
        last.reason
    );
    // The client's other timepoints are still read.
    let tables = v.tables.assessments.unwrap();
    assert!(tables.len() > 150);
}

#[test]
fn per_client_config_mistakes_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    write_exports(dir.path());
    let load = |layout: &str| {
        let path = dir.path().join("bad.toml");
        std::fs::write(&path, format!("{HEAD}{layout}")).unwrap();
        config::load(&path).unwrap_err().to_string()
    };
    let e = load(&PER_CLIENT.replace("timepoints.review]", "timepoints.reveiw]"));
    assert!(
        e.contains("`reveiw` is not in [timepoints] order") && e.contains("review"),
        "{e}"
    );
    let e = load(&PER_CLIENT.replace("assessment_date = \"Mid date\"\n", ""));
    assert!(
        e.contains("tables.assessments.timepoints.review.assessment_date"),
        "{e}"
    );
    let e = load(&PER_CLIENT.replace("\"End date\"", "\"Start date\""));
    assert!(
        e.contains("\"Start date\" is already read for timepoint `baseline`"),
        "{e}"
    );
    let e = load(&PER_CLIENT.replace("layout = \"per_client\"", "layout = \"wide\""));
    assert!(e.contains("per_client"), "{e}");
    let e = load(&WIDE.replace("layout = \"wide\"", "layout = \"per_client\""));
    assert!(
        e.contains("[tables.assessments.timepoints.<timepoint>]"),
        "{e}"
    );
}
