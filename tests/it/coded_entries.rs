//! Clinical-system exports in small: one file of coded entries, chosen per table by term
//! patterns, referrals built into episodes from events, timepoints from the order of each
//! episode's scores (with a review nearest 12 weeks), and the config's errors for these
//! settings. The R-checked fixture (`clinical_export.rs`) covers the figures.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use chrono::NaiveDate;
use sprout::config;
use sprout::validate::{self, Validated};

const CONFIG: &str = r#"[programme]
name = "Coded entries"
organisation = "Test organisation"

[dates]
formats = ["dd-mmm-yyyy"]

[tables.referrals]
files = ["entries.csv"]
layout = "events"
baseline_grace_days = 7
where = { column = "Term", like = ["*social prescribing*"] }

[tables.referrals.columns]
client_id = "Patient"
event_date = "Date"
event = "Term"
discharge_reason = "Term"

[tables.sessions]
files = ["entries.csv"]
where = { column = "Term", like = ["seen by link worker", "did not attend*"] }

[tables.sessions.columns]
client_id = "Patient"
session_date = "Date"
status = "Term"

[tables.assessments]
files = ["entries.csv"]
where = { column = "Code", in = ["718466001"] }

[tables.assessments.columns]
client_id = "Patient"
assessment_date = "Date"
measure = "Code"
value = "Value"

[timepoints]
order = ["baseline", "review", "discharge"]
from_order = { first = "baseline", last = "discharge", last_min_days = 28, nearest = [{ timepoint = "review", days = 84, within_days = 21 }] }

[[measures]]
id = "swemwbs"
values = "metric"

[labels.event]
discharge = ["Discharged from social prescribing service", "Discharged from social prescribing service - did not engage"]

[labels.discharge_reason]
completed = ["Discharged from social prescribing service"]
disengaged = ["Discharged from social prescribing service - did not engage"]

[labels.status]
attended = ["Seen by link worker"]
"#;

/// Patient, date, code, term, value. Listed oldest first.
const ENTRIES: &[(&str, &str, &str, &str, &str)] = &[
    // P1: a baseline five days before the referral (inside the grace period), a review at
    // 12 weeks, a discharge score; discharged; re-referred and still in support.
    ("P1", "01-Jan-2025", "718466001", "SWEMWBS score", "18.59"),
    (
        "P1",
        "06-Jan-2025",
        "871731000000106",
        "Referral to social prescribing service",
        "",
    ),
    ("P1", "08-Jan-2025", "1", "Seen by link worker", ""),
    ("P1", "20-Feb-2025", "718466001", "SWEMWBS score", "19.25"),
    ("P1", "27-Mar-2025", "718466001", "SWEMWBS score", "20.73"),
    ("P1", "30-Apr-2025", "718466001", "SWEMWBS score", "23.21"),
    (
        "P1",
        "02-May-2025",
        "2",
        "Discharged from social prescribing service",
        "",
    ),
    (
        "P1",
        "10-May-2025",
        "271649006",
        "Systolic blood pressure",
        "131",
    ),
    (
        "P1",
        "01-Oct-2025",
        "871731000000106",
        "Referral to social prescribing service",
        "",
    ),
    ("P1", "03-Oct-2025", "3", "Did not attend", ""),
    ("P1", "10-Oct-2025", "1", "Seen by link worker", ""),
    ("P1", "10-Oct-2025", "718466001", "SWEMWBS score", "17.43"),
    // P2: two scores on one day (the later entered kept), a last score too soon after the
    // first, a score after discharge; discharged as did not engage.
    (
        "P2",
        "01-Feb-2025",
        "871731000000106",
        "Referral to social prescribing service",
        "",
    ),
    ("P2", "03-Feb-2025", "718466001", "SWEMWBS score", "15.32"),
    ("P2", "03-Feb-2025", "718466001", "SWEMWBS score", "16.36"),
    ("P2", "20-Feb-2025", "718466001", "SWEMWBS score", "18.59"),
    (
        "P2",
        "01-Mar-2025",
        "4",
        "Discharged from social prescribing service - did not engage",
        "",
    ),
    ("P2", "15-Mar-2025", "718466001", "SWEMWBS score", "19.98"),
    // P3: declined, a consultation before any referral, a discharge with no episode.
    ("P3", "01-Mar-2025", "1", "Seen by link worker", ""),
    (
        "P3",
        "05-Mar-2025",
        "871731000000106",
        "Referral to social prescribing service",
        "",
    ),
    (
        "P3",
        "06-Mar-2025",
        "871711000000103",
        "Social prescribing declined",
        "",
    ),
    (
        "P3",
        "01-Apr-2025",
        "2",
        "Discharged from social prescribing service",
        "",
    ),
    ("P3", "02-Apr-2025", "35489007", "Depressive disorder", ""),
    // P4: still in support; its latest score, 80 days on, is a review and never a
    // discharge score.
    (
        "P4",
        "01-Jun-2025",
        "871731000000106",
        "Referral to social prescribing service",
        "",
    ),
    ("P4", "01-Jun-2025", "718466001", "SWEMWBS score", "18.59"),
    ("P4", "03-Jun-2025", "1", "Seen by link worker", ""),
    ("P4", "20-Aug-2025", "718466001", "SWEMWBS score", "21.54"),
    // A code Excel turned into a number: no table can take the row.
    ("P4", "01-Sep-2025", "7.18466E+08", "SWEMWBS score", "22.35"),
];

fn write(dir: &Path) -> Validated {
    let mut csv = String::from("\"Coded entries\"\r\n\r\nPatient,Date,Code,Term,Value\r\n");
    for (p, d, c, t, v) in ENTRIES {
        csv.push_str(&format!("{p},{d},{c},{t},{v}\r\n"));
    }
    std::fs::write(dir.join("entries.csv"), csv).unwrap();
    let path = dir.join("programme.toml");
    std::fs::write(&path, CONFIG).unwrap();
    let cfg = config::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let today = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    validate::run(&cfg, validate::Options { today }).unwrap_or_else(|e| panic!("{e}"))
}

fn date(s: &str) -> Option<NaiveDate> {
    Some(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
}

/// The first line of data is line 4 (a title and a blank line above the header).
fn line_of(patient: &str, day: &str, term: &str) -> u64 {
    4 + ENTRIES
        .iter()
        .position(|(p, d, _, t, _)| *p == patient && *d == day && *t == term)
        .unwrap() as u64
}

#[test]
fn events_become_episodes_and_a_referral_after_discharge_is_a_second_one() {
    let dir = tempfile::tempdir().unwrap();
    let v = write(dir.path());
    let r = v.tables.referrals.frame();
    assert_eq!(r.height(), 5, "P1 twice, P2, P3, P4");
    let referral = r.dates("referral_date").unwrap();
    let discharge = r.dates("discharge_date").unwrap();
    let start = r.dates("start_date").unwrap();
    let reason = r.texts("discharge_reason").unwrap();
    let episodes: Vec<_> = (0..5)
        .map(|i| (referral[i], start[i], discharge[i], reason.get(i)))
        .collect();
    assert_eq!(
        episodes,
        vec![
            (
                date("2025-01-06"),
                date("2025-01-08"),
                date("2025-05-02"),
                Some("completed")
            ),
            // Re-referred: the did-not-attend does not start support.
            (date("2025-10-01"), date("2025-10-10"), None, None),
            (
                date("2025-02-01"),
                None,
                date("2025-03-01"),
                Some("disengaged")
            ),
            (
                date("2025-03-05"),
                None,
                date("2025-03-06"),
                Some("declined")
            ),
            // P4: still in support.
            (date("2025-06-01"), date("2025-06-03"), None, None),
        ]
    );
}

#[test]
fn timepoints_come_from_the_order_of_the_scores() {
    let dir = tempfile::tempdir().unwrap();
    let v = write(dir.path());
    let a = v.tables.assessments.as_ref().unwrap().frame();
    let clients = a.clients("client").unwrap();
    let tps = a.timepoints("timepoint").unwrap();
    let values = a.numbers("value").unwrap();
    let mut got: Vec<(u32, usize, f64)> = (0..a.height())
        .map(|i| (clients[i].as_u32(), tps[i].index(), values.get(i).unwrap()))
        .collect();
    got.sort_by(|x, y| x.partial_cmp(y).unwrap());
    assert_eq!(
        got,
        vec![
            // P1's first episode: baseline (in the grace period), the review nearest 12
            // weeks (27 Mar, 80 days), discharge.
            (0, 0, 18.59),
            (0, 1, 20.73),
            (0, 2, 23.21),
            // P1's second episode: a single score is a baseline only.
            (1, 0, 17.43),
            // P2: the later entry of 3 Feb; the last score 17 days on is no discharge score,
            // nor a review: an ended episode's final score is its discharge score or none.
            (2, 0, 16.36),
            // P4, in support: a baseline and a review.
            (4, 0, 18.59),
            (4, 1, 21.54),
        ]
    );
}

#[test]
fn rows_outside_episodes_and_repeated_events_are_findings_and_other_entries_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let v = write(dir.path());
    let mut got: Vec<(&str, u64)> = v
        .findings
        .iter()
        .map(|f| (f.code.as_str(), f.at.line))
        .collect();
    got.sort_unstable();
    let mut want = vec![
        (
            "same_day_score",
            line_of("P2", "03-Feb-2025", "SWEMWBS score"),
        ),
        (
            "outside_episode",
            line_of("P2", "15-Mar-2025", "SWEMWBS score"),
        ),
        (
            "outside_episode",
            line_of("P3", "01-Mar-2025", "Seen by link worker"),
        ),
        (
            "close_without_episode",
            line_of(
                "P3",
                "01-Apr-2025",
                "Discharged from social prescribing service",
            ),
        ),
        (
            "damaged_code",
            line_of("P4", "01-Sep-2025", "SWEMWBS score"),
        ),
    ];
    want.sort_unstable();
    assert_eq!(got, want);
    // The blood pressure, the depressive disorder and the damaged code are no table's:
    // counted (and the damaged code found, once, though three tables read the file).
    assert!(
        v.summary.notes.iter().any(|n| n
            == "entries.csv: 3 rows of other entries (taken by no table's `where`) were left out"),
        "{:?}",
        v.summary.notes
    );
}

#[test]
fn the_config_says_where_events_grace_and_patient_lists_belong() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path());
    let path = dir.path().join("programme.toml");
    let fails = |from: &str, to: &str, says: &str| {
        std::fs::write(&path, CONFIG.replace(from, to)).unwrap();
        let e = config::load(&path).unwrap_err().to_string();
        assert!(e.contains(says), "{to}: {e}");
    };
    // Without the events layout, the event columns are not referral fields.
    fails("layout = \"events\"\n", "", "is not a referrals field");
    fails(
        "baseline_grace_days = 7",
        "baseline_grace_days = 400",
        "whole number of days from 0 to 366",
    );
    fails(
        "from_order = { first = \"baseline\"",
        "from_order = { first = \"start\"",
        "`start` is not a timepoint",
    );
    // Timepoints from one source only.
    fails(
        "value = \"Value\"",
        "value = \"Value\"\ntimepoint = \"Term\"",
        "not both",
    );
    // The grace period is the episodes'.
    fails(
        "[tables.assessments]\n",
        "[tables.assessments]\nbaseline_grace_days = 7\n",
        "belongs to the referrals built from events",
    );
    // A table reading a shared file takes its own rows.
    fails(
        "where = { column = \"Term\", like = [\"seen by link worker\", \"did not attend*\"] }\n",
        "",
        "would read the other tables' rows as its own",
    );
    // A mapped code the `where` never takes would be left out unseen.
    fails(
        "attended = [\"Seen by link worker\"]",
        "attended = [\"Seen by link worker\", \"Seen by GP\"]",
        "`Seen by GP` is not taken by the `where` of [tables.sessions]",
    );
    fails(
        "like = [\"*social prescribing*\"]",
        "like = [\"\"]",
        "empty value",
    );
    fails(
        "where = { column = \"Code\", in = [\"718466001\"] }",
        "where = { column = \"Code\" }",
        "needs values (`in`) or patterns (`like`)",
    );
}
