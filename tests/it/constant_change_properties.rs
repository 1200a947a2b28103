//! Property: for random exports where every client's later value is the baseline plus one
//! constant (zero or not, read back from one-decimal text, so the changes carry rounding
//! noise), the report computes no t test, no cohort test, no ANCOVA, no effect size and no
//! interval of a change, overall or in any cohort; each says why instead.
#![allow(clippy::unwrap_used)]

use std::fmt::Write as _;

use assert_cmd::Command;
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::Value;

const CONFIG: &str = r#"
[programme]
name = "Constant change"
organisation = "Property test"
start = "2025-04-01"
min_n = 5

[dates]
formats = ["yyyy-mm-dd"]

[tables.referrals]
files = ["referrals.csv"]

[tables.referrals.columns]
client_id = "Client"
referral_date = "Referred"
discharge_date = "Ended"
trust = "Trust"

[tables.assessments]
files = ["assessments.csv"]
layout = "long"

[tables.assessments.columns]
client_id = "Client"
assessment_date = "Date"
timepoint = "Stage"
measure = "Measure"
value = "Score"

[timepoints]
order = ["baseline", "discharge"]
compare = { from = "baseline", to = "discharge", label = "Start to end" }

[[measures]]
id = "score"
label = "Score (0-100)"
min = 0
max = 100
integer = false
better = "BETTER"
mcid = 5

[[cohorts]]
id = "trust"
label = "Trust"

[labels.timepoint]
baseline = ["Start"]
discharge = ["End"]

[labels.measure]
score = ["Score"]

[disclosure]
evaluator = "none"
"#;

/// One random export: each client's trust (0..trusts) and baseline in tenths.
#[derive(Debug, Clone)]
struct Export {
    clients: Vec<(usize, i32)>,
    /// The constant change, in tenths.
    shift: i32,
    lower_is_better: bool,
}

fn export() -> impl Strategy<Value = Export> {
    (
        prop::collection::vec((0usize..3, 100i32..=900), 12..60),
        prop_oneof![Just(0i32), -99i32..=99],
        any::<bool>(),
    )
        .prop_map(|(clients, shift, lower_is_better)| Export {
            clients,
            shift,
            lower_is_better,
        })
}

fn tenths(v: i32) -> String {
    format!("{}.{}", v / 10, v % 10)
}

/// Writes the export, runs `sprout report`, and returns the evaluator's report.json.
fn report(e: &Export) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let trusts = ["North", "South", "West"];
    let mut referrals = String::from("Client,Referred,Ended,Trust\n");
    let mut assessments = String::from("Client,Date,Stage,Measure,Score\n");
    for (i, (trust, base)) in e.clients.iter().enumerate() {
        let id = format!("P{i:03}");
        writeln!(referrals, "{id},2026-01-05,2026-05-20,{}", trusts[*trust]).unwrap();
        writeln!(assessments, "{id},2026-01-12,Start,Score,{}", tenths(*base)).unwrap();
        let later = tenths(base + e.shift);
        writeln!(assessments, "{id},2026-05-18,End,Score,{later}").unwrap();
    }
    std::fs::write(dir.path().join("referrals.csv"), referrals).unwrap();
    std::fs::write(dir.path().join("assessments.csv"), assessments).unwrap();
    let better = if e.lower_is_better { "lower" } else { "higher" };
    std::fs::write(
        dir.path().join("programme.toml"),
        CONFIG.replace("BETTER", better),
    )
    .unwrap();
    let out = dir.path().join("out");
    let run = Command::cargo_bin("sprout")
        .unwrap()
        .env("SOURCE_DATE_EPOCH", "1784116800")
        .args([
            "report",
            "--period",
            "2026/27-Q1",
            "--format",
            "json",
            "--config",
        ])
        .arg(dir.path().join("programme.toml"))
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
    let path = out.join("2026-27-Q1/evaluator/report.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Nothing about change is computed in one paired summary.
fn assert_no_change_statistics(r: &Value, what: &str) -> Result<(), TestCaseError> {
    if r.is_null() {
        return Ok(());
    }
    prop_assert_eq!(&r["paired_t"]["status"], "skipped", "{}: t test", what);
    for effect in ["d_z", "d_av", "g_av"] {
        prop_assert!(r[effect].is_null(), "{}: {} = {}", what, effect, r[effect]);
    }
    prop_assert!(
        r["mean_change"]["lower"].is_null() && r["mean_change"]["upper"].is_null(),
        "{}: interval of the change {}",
        what,
        r["mean_change"]
    );
    Ok(())
}

proptest! {
    #![proptest_config(Config { cases: 32, ..Config::default() })]

    #[test]
    fn a_constant_change_is_never_reported_as_a_computed_result(e in export()) {
        let m = report(&e);
        let main = m["outcomes"]["period"]["comparisons"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["main"] == true)
            .unwrap();
        prop_assert_eq!(main["n"]["value"].as_u64(), Some(e.clients.len() as u64));
        assert_no_change_statistics(&main["result"], "overall")?;
        for window in ["period", "cumulative"] {
            for c in m["cohorts"][window].as_array().unwrap() {
                for row in std::iter::once(&c["overall"]).chain(c["cohorts"].as_array().unwrap()) {
                    let what = format!("{window} cohort {}", row["label"]);
                    assert_no_change_statistics(&row["result"], &what)?;
                    prop_assert!(row["adjusted_change"].is_null(), "{}: adjusted change", what);
                }
                for t in c["tests"].as_array().unwrap() {
                    prop_assert_eq!(&t["result"]["status"], "skipped", "{} {}", window, t["method"]);
                }
                prop_assert_eq!(&c["ancova"]["status"], "skipped", "{} ANCOVA", window);
            }
        }
        for record in m["methods"]["tests"].as_array().unwrap() {
            if record["section"] == "cohorts" || record["section"] == "outcomes" {
                let ran = record["ran"].as_bool().unwrap();
                let rank = record["method"].as_str().unwrap().contains("Wilcoxon");
                prop_assert!(!ran || rank, "methods record says it ran: {}", record);
            }
        }
    }
}
