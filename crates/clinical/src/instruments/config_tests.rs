//! `[[measures]]` config snippets: deserialising and resolving, and every error.

#![allow(clippy::unwrap_used)]

use serde::Deserialize;

use super::*;

#[derive(Debug, Deserialize)]
struct Programme {
    measures: Vec<MeasureConfig>,
}

fn parse(toml_text: &str) -> Vec<MeasureConfig> {
    toml::from_str::<Programme>(toml_text).unwrap().measures
}

fn resolve(toml_text: &str) -> Result<Vec<Measure>, MeasureConfigError> {
    Registry::builtin().resolve(&parse(toml_text))
}

fn error(toml_text: &str) -> MeasureConfigError {
    resolve(toml_text).unwrap_err()
}

const PAIN_PATHWAY: &str = r#"
[[measures]]
id = "bpi_interference"
primary = true

[[measures]]
id = "bpi_severity"

[[measures]]
id = "ons4"

[[measures]]
id = "swemwbs"
values = "metric"
mcid = 2.5

[[measures]]
id = "OKS"

[[measures]]
id = "wellbeing_star"
scale = 5

[[measures]]
id = "confidence"
label = "Confidence to self-manage"
min = 0
max = 10
integer = true
better = "higher"
mcid = 2
reliability = 0.8
bands = [{ label = "low", min = 0, max = 4 }, { label = "high", min = 5, max = 10 }]

[[measures]]
id = "pain_catastrophising"
label = "Pain catastrophising (short form)"
min = 0
max = 16
better = "lower"
items = ["pcs_1", "pcs_2", "pcs_3", "pcs_4"]
item_min = 0
item_max = 4
scoring = "prorated_sum"
min_answered = 3
"#;

#[test]
fn a_programme_measures_list_resolves() {
    let measures = resolve(PAIN_PATHWAY).unwrap();
    let ids: Vec<&str> = measures.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids.len(), 2 + 4 + 1 + 1 + 9 + 2);
    assert_eq!(ids[0], "bpi_interference");
    assert!(measures[0].primary);
    assert_eq!(measures.iter().filter(|m| m.primary).count(), 1);
    assert_eq!(
        &ids[2..6],
        [
            "ons4_life_satisfaction",
            "ons4_worthwhile",
            "ons4_happy",
            "ons4_anxiety"
        ]
    );

    let swemwbs = &measures[6];
    assert_eq!(swemwbs.export_values, ExportValues::Metric);
    assert_eq!(swemwbs.mcid, Some(2.5));
    assert_eq!(measures[7].id, "oxford_knee");
    assert_eq!(measures[8].max, 40.0);

    let confidence = measures.iter().find(|m| m.id == "confidence").unwrap();
    assert!(confidence.custom && confidence.integer);
    assert_eq!(confidence.label, "Confidence to self-manage");
    assert_eq!(confidence.reliability, Some(0.8));
    assert_eq!(band_of(confidence, 4.5).unwrap().label, "low");
    assert_eq!(
        check_value(confidence, 10.5).unwrap_err().code(),
        "out_of_range"
    );

    let pcs = measures.last().unwrap();
    assert_eq!(pcs.direction, Direction::LowerIsBetter);
    assert!(!pcs.integer);
    // Pro-rated: mean 2 of the 3 answered items x 4 items.
    assert_eq!(
        score_items(pcs, &[Some(1.0), None, Some(2.0), Some(3.0)]),
        Ok(8.0)
    );
    let problem = score_items(pcs, &[Some(1.0), None, None, Some(3.0)]).unwrap_err();
    assert_eq!(problem.code(), "unscorable_total");
}

#[test]
fn a_typo_in_a_key_is_rejected_when_parsing() {
    let text = "[[measures]]\nid = \"wemwbs\"\nreliabilty = 0.8\n";
    let err = toml::from_str::<Programme>(text).unwrap_err();
    assert!(err.to_string().contains("reliabilty"), "{err}");
    let text = "[[measures]]\nid = \"x\"\nmin = 0\nmax = 1\nbetter = \"sideways\"\n";
    assert!(toml::from_str::<Programme>(text).is_err());
}

#[test]
fn long_direction_spellings_are_accepted() {
    let text = "[[measures]]\nid = \"x\"\nmin = 0\nmax = 1\nbetter = \"lower_is_better\"\n";
    assert_eq!(
        resolve(text).unwrap()[0].direction,
        Direction::LowerIsBetter
    );
}

#[test]
fn unknown_id_suggests_the_nearest() {
    let err = error("[[measures]]\nid = \"ons4\"\n\n[[measures]]\nid = \"wembws\"\n");
    assert_eq!((err.index, err.key), (1, "id"));
    assert!(
        err.suggestion
            .as_deref()
            .is_some_and(|s| s.starts_with("`wemwbs`")),
        "{:?}",
        err.suggestion
    );
    assert!(
        err.to_string()
            .starts_with("[[measures]] entry 2 (id = \"wembws\"), key `id`")
    );
    assert!(err.to_string().contains("did you mean `wemwbs`"), "{err}");
}

fn assert_error(text: &str, key: &str, reason_part: &str) {
    let err = error(text);
    assert_eq!(err.key, key, "{err}");
    assert!(err.reason.contains(reason_part), "{err}");
}

#[test]
fn custom_measure_errors() {
    assert_error(
        "[[measures]]\nid = \"x\"\nmax = 10\nbetter = \"higher\"\n",
        "min",
        "needs `min`",
    );
    assert_error(
        "[[measures]]\nid = \"x\"\nmin = 0\nbetter = \"higher\"\n",
        "max",
        "needs `max`",
    );
    assert_error(
        "[[measures]]\nid = \"x\"\nmin = 0\nmax = 10\n",
        "better",
        "needs",
    );
    assert_error(
        "[[measures]]\nid = \"x\"\nmin = 10\nmax = 10\nbetter = \"higher\"\n",
        "min",
        "below `max`",
    );
    assert_error(
        "[[measures]]\nid = \"My Measure\"\nmin = 0\nmax = 10\nbetter = \"higher\"\n",
        "id",
        "lower-case",
    );
    assert_error(
        "[[measures]]\nid = \"x\"\nmin = 0\nmax = 10\nbetter = \"higher\"\nscale = 5\n",
        "scale",
        "wellbeing_star",
    );
    assert_error(
        "[[measures]]\nid = \"x\"\nmin = 0\nmax = 10\nbetter = \"higher\"\nitem_min = 0\n",
        "item_min",
        "only applies with `items`",
    );
}

#[test]
fn reliability_and_mcid_bounds() {
    for bad in ["0", "1", "1.2", "-0.5"] {
        let text = format!("[[measures]]\nid = \"wemwbs\"\nreliability = {bad}\n");
        assert_error(&text, "reliability", "between 0 and 1");
    }
    assert_error(
        "[[measures]]\nid = \"wemwbs\"\nmcid = 0\n",
        "mcid",
        "above 0",
    );
    assert_error(
        "[[measures]]\nid = \"wemwbs\"\nmcid = 56\n",
        "mcid",
        "range width",
    );
}

#[test]
fn built_in_fixed_keys_and_misplaced_options() {
    assert_error(
        "[[measures]]\nid = \"wemwbs\"\nmin = 0\n",
        "min",
        "built-in",
    );
    assert_error(
        "[[measures]]\nid = \"ons4\"\nscale = 5\n",
        "scale",
        "no scale option",
    );
    assert_error(
        "[[measures]]\nid = \"wellbeing_star\"\nscale = 7\n",
        "scale",
        "one of [10, 5]",
    );
    assert_error(
        "[[measures]]\nid = \"wemwbs\"\nvalues = \"metric\"\n",
        "values",
        "no conversion",
    );
    assert_error(
        "[[measures]]\nid = \"ons4\"\nmcid = 1\n",
        "mcid",
        "set `mcid` on one of them",
    );
    assert_error(
        "[[measures]]\nid = \"ons4\"\nprimary = true\n",
        "primary",
        "ons4_anxiety",
    );
}

#[test]
fn duplicates_and_two_primaries() {
    let err = error("[[measures]]\nid = \"ons4\"\n\n[[measures]]\nid = \"ons4_anxiety\"\n");
    assert_eq!((err.index, err.key), (1, "id"));
    assert!(err.reason.contains("already listed by entry 1"));
    let text = "[[measures]]\nid = \"wemwbs\"\nprimary = true\n\n\
                [[measures]]\nid = \"ucla3\"\nprimary = true\n";
    let err = error(text);
    assert_eq!((err.index, err.key), (1, "primary"));
}

#[test]
fn bad_bands_and_item_scoring() {
    let text = "[[measures]]\nid = \"x\"\nmin = 0\nmax = 10\nbetter = \"higher\"\n\
                bands = [{ label = \"a\", min = 0, max = 6 }, { label = \"b\", min = 5, max = 10 }]\n";
    assert_error(text, "bands", "overlap");
    let text = "[[measures]]\nid = \"x\"\nmin = 0\nmax = 10\nbetter = \"higher\"\n\
                items = [\"a\", \"b\", \"c\"]\nitem_min = 0\nitem_max = 4\n";
    assert_error(text, "items", "outside the measure's range");
    let text = "[[measures]]\nid = \"x\"\nmin = 0\nmax = 12\nbetter = \"higher\"\n\
                items = [\"a\", \"b\", \"c\"]\nitem_min = 0\nitem_max = 4\nmin_answered = 2\n";
    assert_error(text, "min_answered", "a sum needs every item");
    let text = "[[measures]]\nid = \"x\"\nmin = 0\nmax = 12\nbetter = \"higher\"\n\
                items = [\"a\", \"a\", \"c\"]\nitem_min = 0\nitem_max = 4\n";
    assert_error(text, "items", "twice");
    let text = "[[measures]]\nid = \"x\"\nmin = 0\nmax = 12\nbetter = \"higher\"\n\
                items = [\"a\", \"b\", \"c\"]\nitem_max = 4\n";
    assert_error(text, "item_min", "needs `item_min`");
}

#[test]
fn overrides_on_a_single_measure() {
    let text = "[[measures]]\nid = \"bpi_severity\"\nlabel = \"Pain severity\"\n\
                mcid = 1\nreliability = 0.9\nprimary = true\n";
    let m = resolve(text).unwrap().remove(0);
    assert_eq!(m.label, "Pain severity");
    assert_eq!(
        (m.mcid, m.reliability, m.primary),
        (Some(1.0), Some(0.9), true)
    );
    assert!(!m.custom);
}
