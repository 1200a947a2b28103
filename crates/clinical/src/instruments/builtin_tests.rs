//! One test per built-in instrument: range at both edges, integer check, direction, bands
//! at their boundaries and scoring from items with and without missing answers.

#![allow(clippy::unwrap_used)]

use super::bands::bands_problem;
use super::*;

const EPS: f64 = 0.01;

fn measure(id: &str) -> Measure {
    Registry::builtin().measure(id).unwrap().clone()
}

fn resolved(toml_id: &str, extra: MeasureConfig) -> Vec<Measure> {
    let config = MeasureConfig {
        id: toml_id.to_string(),
        ..extra
    };
    Registry::builtin().resolve(&[config]).unwrap()
}

fn code(result: Result<f64, ValueProblem>) -> &'static str {
    result.unwrap_err().code()
}

/// min and max accepted, min - EPS and max + EPS rejected, and the integer rule.
fn assert_range(m: &Measure, min: f64, max: f64, integer: bool) {
    assert_eq!((m.min, m.max, m.integer), (min, max, integer), "{}", m.id);
    assert!(check_value(m, min).is_ok(), "{} min", m.id);
    assert!(check_value(m, max).is_ok(), "{} max", m.id);
    assert_eq!(code(check_value(m, min - EPS)), "out_of_range", "{}", m.id);
    assert_eq!(code(check_value(m, max + EPS)), "out_of_range", "{}", m.id);
    let between = min + 0.5;
    if integer {
        assert_eq!(code(check_value(m, between)), "not_integer", "{}", m.id);
    } else {
        assert_eq!(check_value(m, between), Ok(between), "{}", m.id);
    }
}

/// Each (value, band label) pair; `None` for no band.
fn assert_bands(m: &Measure, cases: &[(f64, Option<&str>)]) {
    for (value, label) in cases {
        let got = band_of(m, *value).map(|b| b.label.as_str());
        assert_eq!(got, *label, "{} at {value}", m.id);
    }
}

fn items(values: &[f64]) -> Vec<Option<f64>> {
    values.iter().copied().map(Some).collect()
}

fn unscorable(m: &Measure, values: &[Option<f64>]) -> String {
    let problem = score_items(m, values).unwrap_err();
    assert_eq!(problem.code(), "unscorable_total", "{}", m.id);
    problem.to_string()
}

#[test]
fn wemwbs() {
    let m = measure("wemwbs");
    assert_range(&m, 14.0, 70.0, true);
    assert_eq!(m.direction, Direction::HigherIsBetter);
    assert_eq!((m.mcid, m.reliability), (Some(3.0), Some(0.83)));
    assert!(m.bands.is_empty());
    assert_eq!(score_items(&m, &items(&[3.0; 14])), Ok(42.0));
    assert_eq!(score_items(&m, &items(&[1.0; 14])), Ok(14.0));
    assert_eq!(score_items(&m, &items(&[5.0; 14])), Ok(70.0));
    let mut one_missing = items(&[3.0; 14]);
    one_missing[13] = None;
    assert!(unscorable(&m, &one_missing).contains("1 of 14 items missing"));
    let mut bad = items(&[3.0; 14]);
    bad[2] = Some(6.0);
    assert_eq!(
        score_items(&m, &bad).unwrap_err().code(),
        "item_out_of_range"
    );
    bad[2] = Some(2.5);
    assert_eq!(
        score_items(&m, &bad).unwrap_err().code(),
        "item_not_integer"
    );
}

/// methods.md section 1: SWEMWBS raw totals 7..35 and their metric scores.
const SWEMWBS_TABLE: [(i32, f64); 29] = [
    (7, 7.00),
    (8, 9.51),
    (9, 11.25),
    (10, 12.40),
    (11, 13.33),
    (12, 14.08),
    (13, 14.75),
    (14, 15.32),
    (15, 15.84),
    (16, 16.36),
    (17, 16.88),
    (18, 17.43),
    (19, 17.98),
    (20, 18.59),
    (21, 19.25),
    (22, 19.98),
    (23, 20.73),
    (24, 21.54),
    (25, 22.35),
    (26, 23.21),
    (27, 24.11),
    (28, 25.03),
    (29, 26.02),
    (30, 27.03),
    (31, 28.13),
    (32, 29.31),
    (33, 30.70),
    (34, 32.55),
    (35, 35.00),
];

#[test]
fn swemwbs_raw_values_convert_at_every_raw_score() {
    let m = measure("swemwbs");
    assert_range(&m, 7.0, 35.0, true);
    assert_eq!(m.direction, Direction::HigherIsBetter);
    assert_eq!(m.mcid, Some(3.0));
    for (raw, metric) in SWEMWBS_TABLE {
        assert_eq!(check_value(&m, f64::from(raw)), Ok(metric), "raw {raw}");
    }
}

#[test]
fn swemwbs_items_convert_at_every_raw_score() {
    let m = measure("swemwbs");
    for (raw, metric) in SWEMWBS_TABLE {
        // Spread the raw total over 7 items of 1-5.
        let mut answers = [1.0; 7];
        let mut rest = raw - 7;
        for answer in &mut answers {
            let add = rest.min(4);
            *answer += f64::from(add);
            rest -= add;
        }
        assert_eq!(score_items(&m, &items(&answers)), Ok(metric), "raw {raw}");
    }
    let mut missing = items(&[3.0; 7]);
    missing[0] = None;
    assert!(unscorable(&m, &missing).contains("sum of 7 items, all required"));
}

#[test]
fn swemwbs_metric_exports_are_not_converted_again() {
    let metric = MeasureConfig {
        values: Some(ExportValues::Metric),
        ..MeasureConfig::default()
    };
    let m = resolved("swemwbs", metric).remove(0);
    assert_range(&m, 7.0, 35.0, false);
    assert_eq!(check_value(&m, 19.25), Ok(19.25));
    // Item columns are raw whatever the total column holds.
    assert_eq!(score_items(&m, &items(&[3.0; 7])), Ok(19.25));
}

#[test]
fn ons4() {
    let ids = [
        "ons4_life_satisfaction",
        "ons4_worthwhile",
        "ons4_happy",
        "ons4_anxiety",
    ];
    let all = resolved("ons4", MeasureConfig::default());
    assert_eq!(all.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(), ids);
    for m in &all {
        assert_range(m, 0.0, 10.0, true);
        assert_eq!(score_items(m, &[Some(7.0)]), Ok(7.0));
        unscorable(m, &[None]);
    }
    for m in &all[..3] {
        assert_eq!(m.direction, Direction::HigherIsBetter);
        assert_bands(
            m,
            &[
                (0.0, Some("low")),
                (4.0, Some("low")),
                (4.5, Some("low")),
                (5.0, Some("medium")),
                (6.0, Some("medium")),
                (7.0, Some("high")),
                (8.0, Some("high")),
                (9.0, Some("very high")),
                (10.0, Some("very high")),
                (10.5, None),
                (-0.5, None),
            ],
        );
    }
    let anxiety = &all[3];
    assert_eq!(anxiety.direction, Direction::LowerIsBetter);
    assert_bands(
        anxiety,
        &[
            (0.0, Some("very low")),
            (1.0, Some("very low")),
            (1.5, Some("very low")),
            (2.0, Some("low")),
            (3.0, Some("low")),
            (4.0, Some("medium")),
            (5.0, Some("medium")),
            (6.0, Some("high")),
            (10.0, Some("high")),
        ],
    );
}

#[test]
fn wellbeing_star_ten_point() {
    let all = resolved("wellbeing_star", MeasureConfig::default());
    assert_eq!(all.len(), 9);
    let total = &all[0];
    assert_eq!(total.id, "wellbeing_star_total");
    assert_range(total, 8.0, 80.0, true);
    for area in &all[1..] {
        assert_range(area, 1.0, 10.0, true);
        assert_eq!(area.direction, Direction::HigherIsBetter);
        assert_eq!(score_items(area, &[Some(10.0)]), Ok(10.0));
    }
    let areas = [3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0];
    assert_eq!(score_items(total, &items(&areas)), Ok(52.0));
    let mut missing = items(&areas);
    missing[4] = None;
    assert!(unscorable(total, &missing).contains("1 of 8 items missing"));
}

#[test]
fn wellbeing_star_five_point_scale_from_config() {
    let five = MeasureConfig {
        scale: Some(5),
        ..MeasureConfig::default()
    };
    let all = resolved("wellbeing_star", five.clone());
    assert_range(&all[0], 8.0, 40.0, true);
    for area in &all[1..] {
        assert_range(area, 1.0, 5.0, true);
    }
    let problem = score_items(&all[0], &items(&[6.0; 8])).unwrap_err();
    assert_eq!(problem.code(), "item_out_of_range");
    let money = resolved("wellbeing_star_money", five).remove(0);
    assert_range(&money, 1.0, 5.0, true);
}

#[test]
fn pam13_score_and_levels() {
    let m = measure("pam13");
    assert_range(&m, 0.0, 100.0, false);
    assert_eq!(m.direction, Direction::HigherIsBetter);
    assert_bands(
        &m,
        &[
            (0.0, Some("level 1")),
            (47.0, Some("level 1")),
            (47.05, Some("level 1")),
            (47.1, Some("level 2")),
            (55.1, Some("level 2")),
            (55.15, Some("level 2")),
            (55.2, Some("level 3")),
            (67.0, Some("level 3")),
            (67.05, Some("level 3")),
            (67.1, Some("level 4")),
            (100.0, Some("level 4")),
        ],
    );
    assert_eq!(band_index(&m, 60.0), Some(2));
    assert_eq!(
        score_items(&m, &[]).unwrap_err().code(),
        "not_scored_from_items"
    );

    let level = measure("pam13_level");
    assert_range(&level, 1.0, 4.0, true);
    assert_bands(&level, &[(1.0, Some("level 1")), (4.0, Some("level 4"))]);
}

#[test]
fn eq5d_vas_and_index() {
    let vas = measure("eq5d_vas");
    assert_range(&vas, 0.0, 100.0, true);
    assert_eq!(vas.direction, Direction::HigherIsBetter);
    let index = measure("eq5d_index");
    assert_range(&index, -0.285, 1.0, false);
    assert_eq!(index.direction, Direction::HigherIsBetter);
    // Full health is 1; the best state below it in the England value set is 0.950.
    assert_eq!(check_value(&index, 0.951), Ok(0.951));
    assert_eq!(check_value(&index, -0.281), Ok(-0.281));
}

#[test]
fn ucla3() {
    let m = measure("ucla3");
    assert_range(&m, 3.0, 9.0, true);
    assert_eq!(m.direction, Direction::LowerIsBetter);
    assert_eq!(m.reliability, Some(0.72));
    assert_eq!(score_items(&m, &items(&[1.0, 2.0, 3.0])), Ok(6.0));
    unscorable(&m, &[Some(1.0), None, Some(3.0)]);
    let problem = score_items(&m, &items(&[0.0, 2.0, 3.0])).unwrap_err();
    assert_eq!(problem.code(), "item_out_of_range");
}

#[test]
fn bpi_severity_needs_all_four_items() {
    let m = measure("bpi_severity");
    assert_range(&m, 0.0, 10.0, false);
    assert_eq!(m.direction, Direction::LowerIsBetter);
    let relative = m.percent_change.unwrap();
    assert_eq!((relative.moderate, relative.substantial), (0.30, 0.50));
    assert_eq!(score_items(&m, &items(&[2.0, 4.0, 6.0, 8.0])), Ok(5.0));
    assert_eq!(score_items(&m, &items(&[0.0; 4])), Ok(0.0));
    assert_eq!(score_items(&m, &items(&[10.0; 4])), Ok(10.0));
    let message = unscorable(&m, &[Some(2.0), Some(4.0), None, Some(8.0)]);
    assert!(
        message.contains("mean of 4 items, all required"),
        "{message}"
    );
}

#[test]
fn bpi_interference_needs_four_of_seven() {
    let m = measure("bpi_interference");
    assert_range(&m, 0.0, 10.0, false);
    assert_eq!(m.direction, Direction::LowerIsBetter);
    assert_eq!(
        score_items(&m, &items(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0])),
        Ok(4.0)
    );
    let four = [Some(2.0), None, Some(4.0), None, Some(6.0), None, Some(8.0)];
    assert_eq!(score_items(&m, &four), Ok(5.0));
    let three = [Some(2.0), None, Some(4.0), None, Some(6.0), None, None];
    let message = unscorable(&m, &three);
    assert!(
        message.contains("4 of 7 items missing, 3 answered"),
        "{message}"
    );
    let problem = score_items(&m, &[Some(11.0), None, None, None, None, None, None]);
    assert_eq!(problem.unwrap_err().code(), "item_out_of_range");
}

#[test]
fn doubtful_item_answers_are_missing_before_the_rule_applies() {
    // BPI interference: an answer of 12 on a 0-10 item, six others answered: the mean
    // of the six valid answers, with the doubtful answer reported.
    let m = measure("bpi_interference");
    let answers = [
        Some(3.0),
        Some(12.0),
        Some(5.0),
        Some(4.0),
        Some(6.0),
        Some(2.0),
        Some(4.0),
    ];
    let scored = score_item_answers(&m, &answers);
    assert_eq!(scored.total, Ok(4.0));
    assert_eq!(scored.invalid.len(), 1);
    assert_eq!(scored.invalid[0].code(), "item_out_of_range");
    assert_eq!(score_items(&m, &answers), Ok(4.0));
    // Four doubtful answers (off the scale, or a fraction) leave three: below the
    // rule's four.
    let mostly_bad = [
        Some(3.0),
        Some(12.0),
        Some(-1.0),
        Some(4.5),
        Some(11.0),
        Some(2.0),
        Some(4.0),
    ];
    let scored = score_item_answers(&m, &mostly_bad);
    assert_eq!(scored.total.unwrap_err().code(), "unscorable_total");
    assert_eq!(scored.invalid.len(), 4);
    assert_eq!(scored.invalid[2].code(), "item_not_integer");
    // WEMWBS allows no missing item: one answer of 6 on a 1-5 scale leaves it missing.
    let w = measure("wemwbs");
    let mut answers = vec![Some(3.0); 14];
    answers[6] = Some(6.0);
    let scored = score_item_answers(&w, &answers);
    assert_eq!(scored.total.unwrap_err().code(), "unscorable_total");
    assert_eq!(scored.invalid.len(), 1);
    assert_eq!(
        score_items(&w, &answers).unwrap_err().code(),
        "item_out_of_range"
    );
}

fn assert_oxford(m: &Measure, mcid: f64) {
    assert_range(m, 0.0, 48.0, true);
    assert_eq!(m.direction, Direction::HigherIsBetter);
    assert_eq!(m.mcid, Some(mcid));
    assert_bands(
        m,
        &[
            (0.0, Some("severe")),
            (19.0, Some("severe")),
            (20.0, Some("moderate to severe")),
            (29.0, Some("moderate to severe")),
            (30.0, Some("mild to moderate")),
            (39.0, Some("mild to moderate")),
            (40.0, Some("satisfactory")),
            (48.0, Some("satisfactory")),
        ],
    );
    assert_eq!(score_items(m, &items(&[4.0; 12])), Ok(48.0));
    assert_eq!(score_items(m, &items(&[2.0; 12])), Ok(24.0));
    let mut missing = items(&[2.0; 12]);
    missing[11] = None;
    assert!(unscorable(m, &missing).contains("sum of 12 items, all required"));
}

#[test]
fn oxford_hip() {
    assert_oxford(&measure("oxford_hip"), 8.0);
}

#[test]
fn oxford_knee() {
    assert_oxford(&measure("oxford_knee"), 7.0);
}

#[test]
fn mycaw() {
    let all = resolved("mycaw", MeasureConfig::default());
    let ids: Vec<&str> = all.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(
        ids,
        ["mycaw_concern_1", "mycaw_concern_2", "mycaw_wellbeing"]
    );
    for m in &all {
        assert_range(m, 0.0, 6.0, true);
        assert_eq!(m.direction, Direction::LowerIsBetter);
        assert_eq!(score_items(m, &[Some(6.0)]), Ok(6.0));
        unscorable(m, &[None]);
    }
}

#[test]
fn every_builtin_entry_is_coherent() {
    let registry = Registry::builtin();
    assert_eq!(registry.instruments().len(), 11);
    for instrument in registry.instruments() {
        assert!(!instrument.citation.is_empty(), "{}", instrument.id);
        assert!(!instrument.measures.is_empty(), "{}", instrument.id);
        for m in &instrument.measures {
            assert!(!m.label.is_empty() && !m.unit.is_empty(), "{}", m.id);
            assert!(m.citation.starts_with(&instrument.citation), "{}", m.id);
            assert!(m.min < m.max, "{}", m.id);
            assert_eq!(bands_problem(&m.bands, m.min, m.max), None, "{}", m.id);
            if let Some(mcid) = m.mcid {
                assert!(mcid > 0.0 && mcid < m.max - m.min, "{}", m.id);
            }
            if let Some(r) = m.reliability {
                assert!(r > 0.0 && r < 1.0, "{}", m.id);
            }
            if let Some(scoring) = &m.scoring {
                // Every scoring id in the table names one of the instrument's items.
                assert!(scoring.items.iter().all(|i| instrument.items.contains(i)));
                assert!(scoring.min_answered >= 1, "{}", m.id);
                assert!(scoring.min_answered <= scoring.items.len(), "{}", m.id);
                if m.conversion.is_none() {
                    let (lo, hi) = scoring.total_range();
                    assert_eq!((lo, hi), (m.min, m.max), "{}", m.id);
                }
            }
        }
    }
    // Item counts as published (catches an id typo dropped from a scoring list).
    let count = |id: &str| measure(id).scoring.map(|s| s.items.len());
    assert_eq!(count("wemwbs"), Some(14));
    assert_eq!(count("swemwbs"), Some(7));
    assert_eq!(count("wellbeing_star_total"), Some(8));
    assert_eq!(count("bpi_severity"), Some(4));
    assert_eq!(count("bpi_interference"), Some(7));
    assert_eq!(count("oxford_hip"), Some(12));
    assert_eq!(count("oxford_knee"), Some(12));
    assert_eq!(count("ucla3"), Some(3));
}

#[test]
fn direction_helpers() {
    assert!(Direction::HigherIsBetter.improved(1.0));
    assert!(!Direction::HigherIsBetter.improved(-1.0));
    assert!(Direction::LowerIsBetter.improved(-1.0));
    assert_eq!(Direction::LowerIsBetter.signed_improvement(-2.0), 2.0);
}

#[test]
fn measures_serialise_for_the_report_model() {
    let json = serde_json::to_value(measure("ons4_anxiety")).unwrap();
    assert_eq!(json["direction"], "lower_is_better");
    assert_eq!(json["bands"][0]["label"], "very low");
}
