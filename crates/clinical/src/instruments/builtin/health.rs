//! Built-in health, pain and function instruments (data only).

use super::{InstrumentDef, Lower, M, MeasureDef, ScoringRule};

const BPI_SEVERITY: [&str; 4] = ["bpi_worst", "bpi_least", "bpi_average", "bpi_now"];

const BPI_INTERFERENCE: [&str; 7] = [
    "bpi_general_activity",
    "bpi_mood",
    "bpi_walking",
    "bpi_work",
    "bpi_relations",
    "bpi_sleep",
    "bpi_enjoyment",
];

const OHS_ITEMS: [&str; 12] = [
    "ohs_1", "ohs_2", "ohs_3", "ohs_4", "ohs_5", "ohs_6", "ohs_7", "ohs_8", "ohs_9", "ohs_10",
    "ohs_11", "ohs_12",
];

const OKS_ITEMS: [&str; 12] = [
    "oks_1", "oks_2", "oks_3", "oks_4", "oks_5", "oks_6", "oks_7", "oks_8", "oks_9", "oks_10",
    "oks_11", "oks_12",
];

const OXFORD_BANDS: &[(&str, f64, f64)] = &[
    ("severe", 0.0, 19.0),
    ("moderate to severe", 20.0, 29.0),
    ("mild to moderate", 30.0, 39.0),
    ("satisfactory", 40.0, 48.0),
];

const OXFORD_NOTE: &str = "Total = sum of 12 items 0-4 (0-48, higher is better), all \
    required. Bands: Kalairajah Y, et al. J Arthroplasty 2005;20:1037-41. Meaningful change \
    for a person (MIC, ROC): Beard DJ, et al. J Clin Epidemiol 2015;68:73-9.";

pub(super) const PAM13: InstrumentDef = InstrumentDef {
    id: "pam13",
    label: "Patient Activation Measure (PAM-13)",
    aliases: &["pam", "patient_activation_measure"],
    citation: "Hibbard JH, Mahoney ER, Stockard J, Tusler M. Development and testing of a short \
               form of the Patient Activation Measure. Health Serv Res 2005;40:1918-30. Scores \
               0-100 and levels come from the licensed scoring; levels 1-4 at <=47.0, \
               47.1-55.1, 55.2-67.0, >=67.1.",
    items: &[],
    item_range: (1.0, 4.0),
    measures: &[
        MeasureDef {
            id: "pam13",
            label: "PAM-13 score",
            min: 0.0,
            max: 100.0,
            integer: false,
            unit: "score 0-100",
            bands: &[
                ("level 1", 0.0, 47.0),
                ("level 2", 47.1, 55.1),
                ("level 3", 55.2, 67.0),
                ("level 4", 67.1, 100.0),
            ],
            note: "A score between two published bands (e.g. 47.05) is in the lower level.",
            ..M
        },
        MeasureDef {
            id: "pam13_level",
            label: "PAM-13 level",
            min: 1.0,
            max: 4.0,
            unit: "level 1-4",
            bands: &[
                ("level 1", 1.0, 1.0),
                ("level 2", 2.0, 2.0),
                ("level 3", 3.0, 3.0),
                ("level 4", 4.0, 4.0),
            ],
            ..M
        },
    ],
    options: &[],
};

pub(super) const EQ5D: InstrumentDef = InstrumentDef {
    id: "eq5d",
    label: "EQ-5D-5L",
    aliases: &["eq5d5l", "eq_5d_5l", "euroqol"],
    citation: "Herdman M, et al. Development and preliminary testing of the new five-level \
               version of EQ-5D (EQ-5D-5L). Qual Life Res 2011;20:1727-36. Index: England \
               value set, Devlin NJ, et al. Health Econ 2018;27:7-22 (values -0.285 to 1, \
               full health = 1); the index is read from the export, not computed here.",
    items: &[
        ("eq5d_mobility", "Mobility"),
        ("eq5d_self_care", "Self-care"),
        ("eq5d_usual_activities", "Usual activities"),
        ("eq5d_pain_discomfort", "Pain / discomfort"),
        ("eq5d_anxiety_depression", "Anxiety / depression"),
    ],
    item_range: (1.0, 5.0),
    measures: &[
        MeasureDef {
            id: "eq5d_vas",
            label: "EQ-5D VAS",
            min: 0.0,
            max: 100.0,
            unit: "VAS 0-100",
            ..M
        },
        MeasureDef {
            id: "eq5d_index",
            label: "EQ-5D-5L index (England)",
            min: -0.285,
            max: 1.0,
            integer: false,
            unit: "index",
            ..M
        },
    ],
    options: &[],
};

pub(super) const BPI: InstrumentDef = InstrumentDef {
    id: "bpi",
    label: "Brief Pain Inventory (BPI)",
    aliases: &["brief_pain_inventory", "bpi_sf"],
    citation: "Cleeland CS, Ryan KM. Pain assessment: global use of the Brief Pain Inventory. \
               Ann Acad Med Singapore 1994;23:129-38. Relative change: Dworkin RH, et al. \
               IMMPACT recommendations. J Pain 2008;9:105-21 (>=30% reduction moderately, \
               >=50% substantially important).",
    items: &[
        ("bpi_worst", "Worst pain in last 24 hours"),
        ("bpi_least", "Least pain in last 24 hours"),
        ("bpi_average", "Average pain"),
        ("bpi_now", "Pain right now"),
        ("bpi_general_activity", "Interference: general activity"),
        ("bpi_mood", "Interference: mood"),
        ("bpi_walking", "Interference: walking ability"),
        ("bpi_work", "Interference: normal work"),
        ("bpi_relations", "Interference: relations with other people"),
        ("bpi_sleep", "Interference: sleep"),
        ("bpi_enjoyment", "Interference: enjoyment of life"),
    ],
    item_range: (0.0, 10.0),
    measures: &[
        MeasureDef {
            id: "bpi_severity",
            label: "BPI pain severity",
            min: 0.0,
            max: 10.0,
            integer: false,
            direction: Lower,
            percent_change: Some((0.30, 0.50)),
            note: "Severity = mean of the 4 severity items, all required.",
            scoring: Some((&BPI_SEVERITY, ScoringRule::Mean, 4)),
            ..M
        },
        MeasureDef {
            id: "bpi_interference",
            label: "BPI pain interference",
            min: 0.0,
            max: 10.0,
            integer: false,
            direction: Lower,
            percent_change: Some((0.30, 0.50)),
            note: "Interference = mean of the 7 interference items when at least 4 are answered.",
            scoring: Some((&BPI_INTERFERENCE, ScoringRule::Mean, 4)),
            ..M
        },
    ],
    options: &[],
};

pub(super) const OXFORD_HIP: InstrumentDef = InstrumentDef {
    id: "oxford_hip",
    label: "Oxford Hip Score",
    aliases: &["ohs", "oxford_hip_score"],
    citation: "Dawson J, Fitzpatrick R, Carr A, Murray D. Questionnaire on the perceptions of \
               patients about total hip replacement. J Bone Joint Surg Br 1996;78:185-90; \
               0-48 scoring: Murray DW, et al. J Bone Joint Surg Br 2007;89:1010-4.",
    items: &[
        ("ohs_1", "Usual hip pain"),
        ("ohs_2", "Trouble washing and drying"),
        ("ohs_3", "Trouble with transport"),
        ("ohs_4", "Able to put on socks"),
        ("ohs_5", "Household shopping alone"),
        ("ohs_6", "Walking before severe pain"),
        ("ohs_7", "Able to climb stairs"),
        ("ohs_8", "Pain standing up from sitting"),
        ("ohs_9", "Limping"),
        ("ohs_10", "Sudden severe pain"),
        ("ohs_11", "Interference with usual work"),
        ("ohs_12", "Pain in bed at night"),
    ],
    item_range: (0.0, 4.0),
    measures: &[MeasureDef {
        id: "oxford_hip",
        label: "Oxford Hip Score",
        min: 0.0,
        max: 48.0,
        mcid: Some(8.0),
        bands: OXFORD_BANDS,
        note: OXFORD_NOTE,
        scoring: Some((&OHS_ITEMS, ScoringRule::Sum, 12)),
        ..M
    }],
    options: &[],
};

pub(super) const OXFORD_KNEE: InstrumentDef = InstrumentDef {
    id: "oxford_knee",
    label: "Oxford Knee Score",
    aliases: &["oks", "oxford_knee_score"],
    citation: "Dawson J, Fitzpatrick R, Murray D, Carr A. Questionnaire on the perceptions of \
               patients about total knee replacement. J Bone Joint Surg Br 1998;80:63-9; \
               0-48 scoring: Murray DW, et al. J Bone Joint Surg Br 2007;89:1010-4.",
    items: &[
        ("oks_1", "Usual knee pain"),
        ("oks_2", "Trouble washing and drying"),
        ("oks_3", "Trouble with transport"),
        ("oks_4", "Walking before severe pain"),
        ("oks_5", "Pain standing up from sitting"),
        ("oks_6", "Limping"),
        ("oks_7", "Able to kneel and get up"),
        ("oks_8", "Pain in bed at night"),
        ("oks_9", "Interference with usual work"),
        ("oks_10", "Knee giving way"),
        ("oks_11", "Household shopping alone"),
        ("oks_12", "Able to walk down stairs"),
    ],
    item_range: (0.0, 4.0),
    measures: &[MeasureDef {
        id: "oxford_knee",
        label: "Oxford Knee Score",
        min: 0.0,
        max: 48.0,
        mcid: Some(7.0),
        bands: OXFORD_BANDS,
        note: OXFORD_NOTE,
        scoring: Some((&OKS_ITEMS, ScoringRule::Sum, 12)),
        ..M
    }],
    options: &[],
};
