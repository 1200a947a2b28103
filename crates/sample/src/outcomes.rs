//! Outcome scores and medication records for a simulated client, with effects that differ
//! by surgery type and deprivation and regression to the mean, so that the analysis has
//! something real to find.

use chrono::{Duration, NaiveDate};

use super::journey::{Client, Surgery};
use super::rng::Rng;

/// Export labels of the assessment stages (timepoints).
pub const STAGES: [&str; 3] = ["Initial Assessment", "12 Week Review", "Final Review"];

/// One long-layout assessment row.
#[derive(Debug, Clone)]
pub struct Score {
    pub date: NaiveDate,
    pub stage: &'static str,
    pub questionnaire: &'static str,
    pub value: String,
}

/// One medication record.
#[derive(Debug, Clone)]
pub struct MedRecord {
    pub date: NaiveDate,
    pub medicine: String,
    pub dose: String,
    pub unit: &'static str,
    pub route: &'static str,
}

fn clamp_round(v: f64, lo: f64, hi: f64) -> f64 {
    v.round().clamp(lo, hi)
}

/// Mean of `k` whole-number items centred on `centre`, as the BPI scores it.
fn bpi_mean(r: &mut Rng, centre: f64, k: usize) -> f64 {
    let items: Vec<f64> = (0..k)
        .map(|_| clamp_round(r.gauss(centre, 1.3), 0.0, 10.0))
        .collect();
    items.iter().sum::<f64>() / k as f64
}

fn fmt2(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Every score recorded for the client, stage by stage.
pub fn scores(seed: u64, c: &Client) -> Vec<Score> {
    let mut r = Rng::new(seed ^ 0x5C0E, c.index);
    let mut out = Vec::new();
    let resp = c.response;
    let deprived = if c.imd_decile <= 2 { -0.6 } else { 0.0 };
    let surgery_effect = match c.surgery_type {
        Surgery::Hip => 1.0,
        Surgery::Knee => 0.8,
        Surgery::Back => 0.55,
    };
    let base_sw = clamp_round(
        r.gauss(19.0 + 0.2 * f64::from(c.imd_decile), 4.0),
        7.0,
        35.0,
    );
    let base = [
        r.gauss(4.4, 2.0),
        r.gauss(5.1, 2.1),
        r.gauss(4.6, 2.2),
        r.gauss(6.0, 2.3),
    ];
    let base_sev = r.gauss(6.4, 1.1);
    let base_int = r.gauss(6.7, 1.3);
    let base_vas = r.gauss(47.0, 16.0);
    let base_oxford = match c.surgery_type {
        Surgery::Hip => r.gauss(16.0, 7.0),
        _ => r.gauss(19.0, 7.0),
    };
    for (stage, date) in c.assessed.iter().enumerate() {
        let Some(date) = *date else { continue };
        // How far support (and surgery) has moved things by this stage.
        let operated = c.surgery.is_some_and(|s| s < date);
        let progress = match stage {
            0 => 0.0,
            1 => 0.35,
            _ => 1.0,
        };
        let lift = progress * (1.0 + 0.35 * resp) + deprived * progress;
        let noise = |r: &mut Rng, sd: f64| if stage == 0 { 0.0 } else { r.gauss(0.0, sd) };
        let mut push = |q: &'static str, v: String| {
            out.push(Score {
                date,
                stage: STAGES[stage],
                questionnaire: q,
                value: v,
            })
        };

        let sw = base_sw + lift * 3.0 - progress * 0.15 * (base_sw - 20.0) + noise(&mut r, 2.8);
        push("SWEMWBS Total", format!("{}", clamp_round(sw, 7.0, 35.0)));
        let ons_names = [
            "ONS Life Satisfaction",
            "ONS Worthwhile",
            "ONS Happiness",
            "ONS Anxiety",
        ];
        let ons_lift = [1.6, 1.2, 1.4, -1.5];
        for k in 0..4 {
            let v = base[k] + lift * ons_lift[k] + noise(&mut r, 1.4);
            push(ons_names[k], format!("{}", clamp_round(v, 0.0, 10.0)));
        }
        let pain_drop = if operated {
            3.0 * surgery_effect
        } else {
            0.5 * progress
        };
        let sev = bpi_mean(&mut r, base_sev - pain_drop * (1.0 + 0.2 * resp), 4);
        push("BPI Pain Severity", fmt2(sev));
        let int = bpi_mean(&mut r, base_int - pain_drop * 1.05 - 0.4 * lift, 7);
        push("BPI Pain Interference", fmt2(int));
        let vas = base_vas
            + lift * 9.0
            + if operated { 8.0 * surgery_effect } else { 0.0 }
            + noise(&mut r, 9.0);
        push("EQ-5D VAS", format!("{}", clamp_round(vas, 0.0, 100.0)));
        let oxford_gain = if operated {
            18.0 * surgery_effect
        } else {
            1.5 * progress
        };
        let ox = clamp_round(base_oxford + oxford_gain + noise(&mut r, 5.0), 0.0, 48.0);
        match c.surgery_type {
            Surgery::Hip => push("Oxford Hip Score", format!("{ox}")),
            Surgery::Knee => push("Oxford Knee Score", format!("{ox}")),
            Surgery::Back => {}
        }
    }
    out
}

/// A product as it appears in a pharmacy system export.
#[derive(Debug, Clone, Copy)]
struct Presentation {
    name: &'static str,
    unit: &'static str,
    route: &'static str,
    /// Typical daily amounts in `unit`.
    doses: &'static [f64],
}

const OPIOIDS: &[(Presentation, f64)] = &[
    (
        Presentation {
            name: "Co-codamol 30/500 tablets",
            unit: "tablets",
            route: "Oral",
            doses: &[4.0, 6.0, 8.0],
        },
        30.0,
    ),
    (
        Presentation {
            name: "Zapain 30mg/500mg capsules",
            unit: "capsules",
            route: "Oral",
            doses: &[4.0, 8.0],
        },
        4.0,
    ),
    (
        Presentation {
            name: "Co-codamol 8/500",
            unit: "tablets",
            route: "Oral",
            doses: &[4.0, 8.0],
        },
        3.0,
    ),
    (
        Presentation {
            name: "Tramadol 50mg capsules",
            unit: "capsules",
            route: "Oral",
            doses: &[2.0, 4.0, 6.0, 8.0],
        },
        14.0,
    ),
    (
        Presentation {
            name: "Tramadol",
            unit: "mg",
            route: "Oral",
            doses: &[100.0, 200.0, 300.0, 400.0],
        },
        6.0,
    ),
    (
        Presentation {
            name: "Codeine phosphate 30mg tablets",
            unit: "tablets",
            route: "Oral",
            doses: &[4.0, 8.0],
        },
        5.0,
    ),
    (
        Presentation {
            name: "Dihydrocodeine 30mg",
            unit: "tablets",
            route: "Oral",
            doses: &[3.0, 6.0, 8.0],
        },
        4.0,
    ),
    (
        Presentation {
            name: "MST Continus",
            unit: "mg",
            route: "Oral",
            doses: &[20.0, 30.0, 60.0, 120.0],
        },
        5.0,
    ),
    (
        Presentation {
            name: "Oramorph",
            unit: "mg",
            route: "Oral",
            doses: &[10.0, 20.0, 40.0],
        },
        3.0,
    ),
    (
        Presentation {
            name: "Oxycodone",
            unit: "mg",
            route: "Oral",
            doses: &[20.0, 40.0, 80.0],
        },
        6.0,
    ),
    (
        Presentation {
            name: "Tapentadol",
            unit: "mg",
            route: "Oral",
            doses: &[100.0, 200.0, 300.0],
        },
        3.0,
    ),
    (
        Presentation {
            name: "Fentanyl {} micrograms/hour patch",
            unit: "mcg/h",
            route: "Transdermal",
            doses: &[12.0, 25.0, 50.0],
        },
        4.0,
    ),
    (
        Presentation {
            name: "BuTrans",
            unit: "mcg/h",
            route: "Transdermal",
            doses: &[5.0, 10.0, 20.0],
        },
        5.0,
    ),
    (
        Presentation {
            name: "Co-dydramol 10/500",
            unit: "tablets",
            route: "Oral",
            doses: &[4.0, 8.0],
        },
        2.0,
    ),
];

const GABAPENTINOIDS: &[(Presentation, f64)] = &[
    (
        Presentation {
            name: "Pregabalin",
            unit: "mg",
            route: "Oral",
            doses: &[75.0, 150.0, 300.0, 600.0],
        },
        50.0,
    ),
    (
        Presentation {
            name: "Lyrica",
            unit: "mg",
            route: "Oral",
            doses: &[150.0, 300.0],
        },
        8.0,
    ),
    (
        Presentation {
            name: "Gabapentin 300mg capsules",
            unit: "capsules",
            route: "Oral",
            doses: &[3.0, 6.0, 9.0],
        },
        25.0,
    ),
    (
        Presentation {
            name: "Gabapentin",
            unit: "mg",
            route: "Oral",
            doses: &[900.0, 1800.0, 2400.0],
        },
        17.0,
    ),
];

/// Other pain medicines listed beside the opioids, with how often clients take them.
const OTHERS: &[(Presentation, f64)] = &[
    (
        Presentation {
            name: "Paracetamol 500mg tablets",
            unit: "tablets",
            route: "Oral",
            doses: &[8.0],
        },
        0.45,
    ),
    (
        Presentation {
            name: "Naproxen 500mg",
            unit: "mg",
            route: "Oral",
            doses: &[1000.0],
        },
        0.10,
    ),
    (
        Presentation {
            name: "Amitriptyline 10mg tablets",
            unit: "tablets",
            route: "Oral",
            doses: &[1.0, 2.0],
        },
        0.12,
    ),
];

fn dose_text(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

/// Medication reviews at each assessment: the baseline regimen, then stopped, reduced,
/// unchanged or increased.
pub fn medications(seed: u64, c: &Client) -> Vec<MedRecord> {
    let mut r = Rng::new(seed ^ 0x0DE5, c.index);
    let opioid = r.chance(0.86).then(|| r.pick(OPIOIDS));
    let gaba = (opioid.is_none() || r.chance(0.33)).then(|| r.pick(GABAPENTINOIDS));
    let mut levels: Vec<(Presentation, usize)> = opioid
        .iter()
        .chain(gaba.iter())
        .map(|p| (*p, r.range(0, p.doses.len() as i64 - 1) as usize))
        .collect();
    let mut others: Vec<(Presentation, usize)> = Vec::new();
    for (p, share) in OTHERS {
        if r.chance(*share) {
            others.push((*p, r.range(0, p.doses.len() as i64 - 1) as usize));
        }
    }
    let mut out = Vec::new();
    for (stage, date) in c.assessed.iter().enumerate() {
        let Some(date) = *date else { continue };
        if stage > 0 {
            let lean = c.response * 0.12;
            for (p, level) in &mut levels {
                let u = r.unit() - lean;
                let stage_scale = if stage == 1 { 0.4 } else { 1.0 };
                *level = if u < 0.25 * stage_scale {
                    usize::MAX
                } else if u < 0.6 * stage_scale && *level != usize::MAX {
                    level.saturating_sub(1)
                } else if u > 1.0 - 0.08 * stage_scale && *level != usize::MAX {
                    (*level + 1).min(p.doses.len() - 1)
                } else {
                    *level
                };
            }
        }
        let review = (date + Duration::days(r.range(-3, 3))).min(super::journey::EXPORT_DATE);
        let mut any = false;
        for (p, level) in &levels {
            if *level == usize::MAX {
                continue;
            }
            any = true;
            let dose = dose_text(p.doses[*level]);
            out.push(MedRecord {
                date: review,
                medicine: p.name.replace("{}", &dose),
                dose,
                unit: p.unit,
                route: p.route,
            });
        }
        for (p, level) in &others {
            any = true;
            out.push(MedRecord {
                date: review,
                medicine: p.name.to_owned(),
                dose: dose_text(p.doses[*level]),
                unit: p.unit,
                route: p.route,
            });
        }
        if !any {
            out.push(MedRecord {
                date: review,
                medicine: "No pain medication".into(),
                dose: String::new(),
                unit: "",
                route: "",
            });
        }
    }
    out
}
