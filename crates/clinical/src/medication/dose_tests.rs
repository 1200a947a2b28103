//! Worked OME examples, every problem code, summaries and config entries.

#![allow(clippy::unwrap_used)]

use serde::Deserialize;

use super::*;

fn line<'a>(drug: &'a str, daily_dose: f64, unit: &'a str) -> MedicationLine<'a> {
    MedicationLine {
        drug,
        daily_dose,
        unit,
        route: None,
    }
}

fn amount(drug: &str, dose: f64, unit: &str) -> DailyAmount {
    DrugDictionary::builtin()
        .daily_amount(&line(drug, dose, unit))
        .unwrap()
}

fn ome(drug: &str, dose: f64, unit: &str) -> f64 {
    amount(drug, dose, unit).ome_mg_per_day
}

fn problem(drug: &str, dose: f64, unit: &str, route: Option<&str>) -> MedicationProblem {
    let line = MedicationLine {
        route,
        ..line(drug, dose, unit)
    };
    DrugDictionary::builtin().daily_amount(&line).unwrap_err()
}

#[test]
fn worked_examples_from_the_issue() {
    // Fentanyl 25 mcg/h = 60 mg OME/day.
    assert_eq!(ome("Fentanyl", 25.0, "mcg/h"), 60.0);
    // Buprenorphine 10 mcg/h 7-day patch = 24 mg/day.
    let butrans = amount("BuTrans 10 micrograms/hour patch", 10.0, "micrograms/hour");
    assert_eq!(butrans.ome_mg_per_day, 24.0);
    assert_eq!(
        butrans.product.as_deref(),
        Some("buprenorphine 7-day patch")
    );
    // 8 tablets of co-codamol 30/500 = 240 mg codeine = 24 mg/day.
    let cocodamol = amount("Co-codamol 30/500", 8.0, "tablets");
    assert_eq!(cocodamol.mg_per_day, Some(240.0));
    assert_eq!(cocodamol.ome_mg_per_day, 24.0);
    // Oxycodone 20 mg twice daily (40 mg/day) = 60 mg/day.
    assert_eq!(ome("Oxycodone", 40.0, "mg"), 60.0);
}

#[test]
fn oral_opioids() {
    assert_eq!(ome("Tramadol 50mg capsules", 8.0, "capsules"), 40.0);
    assert_eq!(ome("Zydol", 200.0, "mg"), 20.0);
    assert_eq!(ome("Tapentadol", 100.0, "mg"), 40.0);
    assert_eq!(ome("Palexia SR 50mg", 2.0, "tablets"), 40.0);
    assert_eq!(ome("Codeine phosphate 30mg", 4.0, "tablets"), 12.0);
    assert_eq!(ome("codeine", 240.0, "mg"), 24.0);
    assert_eq!(ome("Dihydrocodeine 30mg", 4.0, "tabs"), 12.0);
    assert_eq!(ome("DF118 Forte", 3.0, "tablets"), 12.0);
    assert_eq!(ome("co-dydramol 10/500", 8.0, "tablets"), 8.0);
    assert_eq!(ome("Co-Dydramol 20mg/500mg", 8.0, "tablets"), 16.0);
    assert_eq!(ome("co-dydramol 30/500", 8.0, "tablets"), 24.0);
    assert_eq!(ome("Co-codamol 8/500", 8.0, "tablets"), 6.4);
    assert_eq!(ome("co-codamol 15/500mg", 8.0, "tablets"), 12.0);
    assert_eq!(ome("Tramacet", 8.0, "tablets"), 30.0);
    assert_eq!(ome("Morphine sulfate", 30.0, "mg"), 30.0);
    assert_eq!(ome("MST Continus 30mg", 2.0, "tablets"), 60.0);
    assert_eq!(ome("Hydromorphone", 8.0, "mg"), 40.0);
    assert_eq!(ome("Palladone 2.6mg", 4.0, "capsules"), 52.0);
    // Liquids: ml x the concentration in the name.
    assert_eq!(ome("Oramorph 10mg/5ml oral solution", 20.0, "ml"), 40.0);
    assert_eq!(ome("Tramadol 50mg (Zydol)", 4.0, "capsules"), 20.0);
}

#[test]
fn brand_names() {
    for brand in ["Zapain", "Solpadol", "Tylex", "Kapake"] {
        assert_eq!(ome(brand, 8.0, "tablets"), 24.0, "{brand}");
    }
    for brand in ["Zydol", "Zamadol", "Tramulief"] {
        assert_eq!(ome(brand, 400.0, "mg"), 40.0, "{brand}");
    }
    for brand in ["Oramorph", "Sevredol", "MST Continus", "Zomorph"] {
        assert_eq!(ome(brand, 20.0, "mg"), 20.0, "{brand}");
    }
    for brand in ["OxyContin", "OxyNorm", "Shortec", "Longtec"] {
        assert_eq!(ome(brand, 20.0, "mg"), 30.0, "{brand}");
    }
    for brand in ["Durogesic", "Matrifen", "Mezolar", "Fencino", "Victanyl"] {
        assert_eq!(ome(brand, 50.0, "mcg/h"), 120.0, "{brand}");
    }
    for brand in ["BuTrans", "Butec", "Reletrans", "Sevodyne"] {
        assert_eq!(ome(brand, 5.0, "mcg/h"), 12.0, "{brand}");
    }
    for brand in ["Transtec", "Hapoctasin"] {
        assert_eq!(ome(brand, 35.0, "mcg/h"), 84.0, "{brand}");
    }
    for brand in ["Lyrica", "Alzain", "Axalid", "Lecaent"] {
        assert_eq!(amount(brand, 300.0, "mg").gabapentinoid_mg_per_day, 300.0);
    }
    assert_eq!(ome("Palexia", 200.0, "mg"), 80.0);
    assert_eq!(
        amount("Neurontin", 900.0, "mg").gabapentinoid_mg_per_day,
        900.0
    );
}

#[test]
fn patches() {
    assert_eq!(ome("fentanyl 12 micrograms/hour", 12.0, "mcg/h"), 30.0);
    assert_eq!(ome("Fentanyl", 75.0, "mcg/h"), 180.0);
    assert_eq!(ome("Fentanyl", 100.0, "microgram/hr"), 240.0);
    // Two 25 mcg/h patches recorded as a count.
    assert_eq!(ome("Matrifen 25 micrograms/hour", 2.0, "patches"), 120.0);
    // 3-4-day buprenorphine patches.
    assert_eq!(ome("Transtec 52.5", 52.5, "mcg/h"), 126.0);
    assert_eq!(ome("Transtec", 70.0, "mcg/h"), 168.0);
    // 7-day patches, the whole table.
    for (rate, expected) in [(5.0, 12.0), (10.0, 24.0), (15.0, 36.0), (20.0, 48.0)] {
        assert_eq!(ome("Butec", rate, "mcg/h"), expected);
    }
    // Generic buprenorphine in mcg/h is a patch.
    let generic = amount("Buprenorphine", 10.0, "mcg/h");
    assert_eq!(
        (generic.route, generic.ome_mg_per_day),
        (Some(Route::Transdermal), 24.0)
    );
    assert_eq!(generic.mcg_per_hour, Some(10.0));
}

#[test]
fn sublingual_buprenorphine() {
    // 0.4 mg a day x 40 = 16 mg OME.
    let temgesic = amount("Temgesic 200 micrograms", 2.0, "tablets");
    assert_eq!(temgesic.route, Some(Route::Sublingual));
    assert_eq!(temgesic.mg_per_day, Some(0.4));
    assert_eq!(temgesic.ome_mg_per_day, 16.0);
    assert_eq!(ome("buprenorphine", 0.4, "mg"), 16.0);
    assert_eq!(ome("buprenorphine", 400.0, "mcg"), 16.0);
    assert_eq!(ome("Subutex 2mg", 1.0, "tablets"), 80.0);
    let with_route = MedicationLine {
        route: Some("SL"),
        ..line("Buprenorphine", 0.2, "mg")
    };
    let amount = DrugDictionary::builtin().daily_amount(&with_route).unwrap();
    assert_eq!(amount.ome_mg_per_day, 8.0);
}

#[test]
fn gabapentinoids() {
    let gabapentin = amount("Gabapentin 300mg capsules", 6.0, "capsules");
    assert_eq!(gabapentin.class, Some(DrugClass::Gabapentinoid));
    assert_eq!(gabapentin.ome_mg_per_day, 0.0);
    assert_eq!(gabapentin.gabapentinoid_mg_per_day, 1800.0);
    assert_eq!(gabapentin.ddd_fraction, Some(1.0));
    let pregabalin = amount("Pregabalin 75mg", 2.0, "caps");
    assert_eq!(pregabalin.gabapentinoid_mg_per_day, 150.0);
    assert_eq!(pregabalin.ddd_fraction, Some(0.5));
}

#[test]
fn no_medication_label_is_zero() {
    for label in ["None", "No pain medication", "NIL", "no medication"] {
        let amount = amount(label, 0.0, "mg");
        assert!(amount.is_no_medication(), "{label}");
        let summary = summarise(&[amount]);
        assert_eq!(summary.total_ome_mg_per_day, 0.0);
        assert!(!summary.on_opioid && !summary.high_dose);
        assert_eq!((summary.drug_lines, summary.no_medication_lines), (0, 1));
    }
}

#[test]
fn unknown_drug() {
    assert_eq!(
        problem("Paracetamol", 4000.0, "mg", None).code(),
        "unknown_drug"
    );
    assert_eq!(problem("", 10.0, "mg", None).code(), "unknown_drug");
    assert_eq!(problem("n/a", 10.0, "mg", None).code(), "unknown_drug");
    // A co-codamol strength the dictionary does not hold.
    let p = problem("co-codamol 10/500", 8.0, "tablets", None);
    assert_eq!(p.code(), "unknown_drug");
    assert!(p.message.contains("this strength of co-codamol"), "{p}");
    // A brand with the wrong strength in the name.
    assert_eq!(
        problem("Zapain 15/500", 8.0, "tablets", None).code(),
        "unknown_drug"
    );
}

#[test]
fn impossible_dose() {
    for dose in [-1.0, 0.0, f64::NAN, f64::INFINITY] {
        assert_eq!(
            problem("Oxycodone", dose, "mg", None).code(),
            "impossible_dose"
        );
    }
    // Above twice the BNF maximum: 4,000 "mg" of co-codamol is paracetamol plus codeine.
    let p = problem("co-codamol 30/500", 4000.0, "mg", None);
    assert_eq!(p.code(), "impossible_dose");
    assert!(p.message.contains("480 mg codeine"), "{p}");
    assert_eq!(
        problem("Tramadol", 900.0, "mg", None).code(),
        "impossible_dose"
    );
    assert_eq!(
        problem("Pregabalin", 1250.0, "mg", None).code(),
        "impossible_dose"
    );
    assert_eq!(
        problem("Gabapentin", 7300.0, "mg", None).code(),
        "impossible_dose"
    );
    assert_eq!(
        problem("BuTrans", 100.0, "mcg/h", None).code(),
        "impossible_dose"
    );
    // No BNF maximum for morphine: the 2,000 mg OME line cap applies.
    assert_eq!(ome("Morphine", 2000.0, "mg"), 2000.0);
    assert_eq!(
        problem("Morphine", 2000.5, "mg", None).code(),
        "impossible_dose"
    );
    assert_eq!(
        problem("Fentanyl", 900.0, "mcg/h", None).code(),
        "impossible_dose"
    );
    // Ceilings are inclusive.
    assert_eq!(ome("Tramadol", 800.0, "mg"), 80.0);
}

#[test]
fn unit_mismatch() {
    let cases: &[(&str, f64, &str, Option<&str>)] = &[
        ("Oxycodone", 20.0, "mcg/h", None),       // mcg/h for an oral drug
        ("Fentanyl", 2.0, "tablets", None),       // tablets for a patch
        ("Fentanyl", 25.0, "mg", None),           // mg for a patch
        ("Oxycodone", 4.0, "tablets", None),      // no known strength
        ("co-codamol", 8.0, "tablets", None),     // family without a strength
        ("Morphine", 30.0, "puffs", None),        // unknown unit
        ("Morphine", 30.0, "", None),             // missing unit
        ("Fentanyl", 2.0, "patches", None),       // patch count without strength
        ("Fentanyl 25mcg/h", 1.0, "mcg/h", None), // a count recorded as a rate
        ("Oxycodone", 20.0, "mg", Some("transdermal")), // route contradicts product
        ("BuTrans", 10.0, "mcg/h", Some("oral")),
        ("Morphine", 30.0, "mg", Some("intrathecal")), // unknown route
        ("Pregabalin", 150.0, "mcg/h", None),
        ("Oramorph", 10.0, "ml", None), // ml without a concentration
        // A combination written with mg figures: 500 mg is the paracetamol.
        ("Paracetamol 500mg + Codeine 30mg", 8.0, "tablets", None),
    ];
    for (drug, dose, unit, route) in cases {
        let p = problem(drug, *dose, unit, *route);
        assert_eq!(
            p.code(),
            "unit_mismatch",
            "{drug} {dose} {unit} {route:?}: {p}"
        );
    }
    // Oral vs sublingual is not a contradiction for a product taken by mouth.
    let line = MedicationLine {
        route: Some("oral"),
        ..line("Temgesic", 0.4, "mg")
    };
    assert!(DrugDictionary::builtin().daily_amount(&line).is_ok());
}

#[test]
fn problems_carry_no_input_text() {
    let p = problem("Mystery Drug 5mg for Mrs Smith", 5.0, "mg", None);
    assert!(!p.message.to_lowercase().contains("smith"));
}

#[test]
fn summaries_add_lines_and_flag_high_doses() {
    let dictionary = DrugDictionary::builtin();
    let lines = [
        line("Oxycodone", 40.0, "mg"),
        line("Fentanyl", 25.0, "mcg/h"),
        line("Pregabalin", 300.0, "mg"),
    ];
    let results: Vec<_> = lines.iter().map(|l| dictionary.daily_amount(l)).collect();
    let summary = summarise_lines(&results).unwrap();
    assert_eq!(summary.total_ome_mg_per_day, 120.0);
    assert!(summary.high_dose && summary.on_opioid && summary.on_gabapentinoid);
    assert_eq!(summary.gabapentinoid_mg_per_day, 300.0);
    assert_eq!(summary.gabapentinoid_ddd, 1.0);
    assert_eq!(summary.drug_lines, 3);

    let below = summarise(&[amount("Oxycodone", 79.0, "mg")]);
    assert_eq!(below.total_ome_mg_per_day, 118.5);
    assert!(!below.high_dose);
    assert_eq!(HIGH_DOSE_OME_MG_PER_DAY, 120.0);

    let gabapentin_only = summarise(&[amount("Gabapentin", 600.0, "mg")]);
    assert!(!gabapentin_only.on_opioid && gabapentin_only.on_gabapentinoid);
}

#[test]
fn a_timepoint_with_a_problem_line_is_not_computable() {
    let dictionary = DrugDictionary::builtin();
    let results = vec![
        dictionary.daily_amount(&line("Oxycodone", 40.0, "mg")),
        dictionary.daily_amount(&line("Mystery", 10.0, "mg")),
    ];
    let err = summarise_lines(&results).unwrap_err();
    assert_eq!((err.problem_lines, err.lines), (1, 2));
    assert_eq!(err.code(), "medication_not_computable");
}

#[derive(Debug, Deserialize)]
struct Programme {
    medications: MedicationConfig,
}

const CONFIG: &str = r#"
[medications]
no_medication_labels = ["not on painkillers"]

[[medications.drugs]]
name = "Co-codamol 10/500"
molecule = "codeine"
opioid_mg_per_unit = 10

[[medications.drugs]]
name = "Meptazinol"
aliases = ["Meptid"]
molecule = "meptazinol"
class = "opioid"
ome_factor = 0.02
max_mg_per_day = 3200

[[medications.drugs]]
name = "Fentapatch"
molecule = "fentanyl"
mcg_per_hour = 25
"#;

#[test]
fn config_drugs_extend_the_dictionary() {
    let config: Programme = toml::from_str(CONFIG).unwrap();
    let dictionary = DrugDictionary::with_config(&config.medications).unwrap();
    let amount = |drug, dose, unit| dictionary.daily_amount(&line(drug, dose, unit)).unwrap();
    assert_eq!(
        amount("co-codamol 10/500mg", 8.0, "tablets").ome_mg_per_day,
        8.0
    );
    assert_eq!(amount("Meptid", 1600.0, "mg").ome_mg_per_day, 32.0);
    assert_eq!(amount("Fentapatch", 2.0, "patches").ome_mg_per_day, 120.0);
    assert!(amount("Not on painkillers", 0.0, "mg").is_no_medication());
    // The built-in dictionary is unchanged.
    let p = problem("Meptid", 1600.0, "mg", None);
    assert_eq!(p.code(), "unknown_drug");
}

fn config_error(toml_text: &str) -> DrugConfigError {
    let config: Programme = toml::from_str(toml_text).unwrap();
    DrugDictionary::with_config(&config.medications).unwrap_err()
}

#[test]
fn config_errors_name_the_entry_and_key() {
    let typo = "[medications]\n[[medications.drugs]]\nname = \"X\"\nmolecule = \"codeine\"\nome_factr = 1\n";
    let err = toml::from_str::<Programme>(typo).unwrap_err();
    assert!(err.to_string().contains("ome_factr"), "{err}");

    let base = "[medications]\n[[medications.drugs]]\nname = \"X\"\nmolecule = \"codeine\"\n";
    let err = config_error(&format!(
        "{base}[[medications.drugs]]\nname = \"Y\"\nmolecule = \"newdrug\"\n"
    ));
    assert_eq!((err.index, err.key), (1, "class"));
    assert!(
        err.to_string()
            .starts_with("[[medications.drugs]] entry 2, key `class`")
    );
    for (extra, key) in [
        ("ome_factor = 2", "ome_factor"),
        ("mg_per_unit = -5", "mg_per_unit"),
        ("route = \"transdermal\"", "route"),
        ("mcg_per_hour = 25", "mcg_per_hour"),
        ("class = \"gabapentinoid\"", "class"),
    ] {
        let err = config_error(&format!("{base}{extra}\n"));
        assert_eq!(err.key, key, "{extra}: {err}");
    }
    let err = config_error(
        "[medications]\n[[medications.drugs]]\nname = \"Y\"\nmolecule = \"newdrug\"\nclass = \"opioid\"\n",
    );
    assert_eq!(err.key, "ome_factor");
    let err = config_error("[medications]\nno_medication_labels = [\"oxycodone\"]\n");
    assert_eq!(err.list, "no_medication_labels");
    let err = config_error(
        "[medications]\n[[medications.drugs]]\nname = \"None\"\nmolecule = \"codeine\"\n",
    );
    assert_eq!(err.key, "name");
}

#[test]
fn amounts_serialise_for_the_report_model() {
    let json = serde_json::to_value(amount("Zapain", 8.0, "tablets")).unwrap();
    assert_eq!(json["molecule"], "codeine");
    assert_eq!(json["class"], "opioid");
    assert_eq!(json["route"], "oral");
}

/// Raw export text never panics: a deterministic sweep of awkward names, units and doses.
#[test]
fn arbitrary_input_never_panics() {
    let pieces = [
        "co-codamol",
        "30/500",
        "mg",
        "/",
        "mcg/h",
        "µg",
        "7-day",
        "3-4 day",
        "..",
        "-",
        "0",
        "1e308",
        "NaN",
        "patch",
        "BuTrans",
        "(",
        ")",
        "é",
        "日本",
        " ",
        "/5ml",
        "10mg/0ml",
        "99999999999999999999",
        "per",
        "hour",
        "none",
        "x",
        "3-4-day",
        "m/r",
    ];
    let doses = [
        0.0,
        -0.0,
        1.0,
        1e308,
        f64::MIN_POSITIVE,
        f64::NAN,
        -5.0,
        2.5e-7,
    ];
    let dictionary = DrugDictionary::builtin();
    let mut seed: u64 = 42;
    let mut next = || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        usize::try_from(seed >> 33).unwrap_or(0)
    };
    for _ in 0..5000 {
        let drug: String = (0..next() % 6)
            .map(|_| pieces[next() % pieces.len()])
            .collect();
        let unit: String = (0..next() % 3)
            .map(|_| pieces[next() % pieces.len()])
            .collect();
        let route = pieces[next() % pieces.len()];
        let line = MedicationLine {
            drug: &drug,
            daily_dose: doses[next() % doses.len()],
            unit: &unit,
            route: Some(route),
        };
        let _ = normalise_drug_name(&drug);
        if let Ok(amount) = dictionary.daily_amount(&line) {
            assert!(amount.ome_mg_per_day.is_finite() && amount.ome_mg_per_day >= 0.0);
            assert!(amount.ome_mg_per_day <= MAX_LINE_OME_MG_PER_DAY);
        }
    }
}
