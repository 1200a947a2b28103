//! Built-in wellbeing and social-connection instruments (data only).

use super::SWEMWBS_METRIC;
use super::{Higher, InstrumentDef, Lower, M, MeasureDef, OptionDef, ScoringRule};

const WEMWBS_ITEMS: [&str; 14] = [
    "wemwbs_1",
    "wemwbs_2",
    "wemwbs_3",
    "wemwbs_4",
    "wemwbs_5",
    "wemwbs_6",
    "wemwbs_7",
    "wemwbs_8",
    "wemwbs_9",
    "wemwbs_10",
    "wemwbs_11",
    "wemwbs_12",
    "wemwbs_13",
    "wemwbs_14",
];

const SWEMWBS_ITEMS: [&str; 7] = [
    "swemwbs_1",
    "swemwbs_2",
    "swemwbs_3",
    "swemwbs_4",
    "swemwbs_5",
    "swemwbs_6",
    "swemwbs_7",
];

const STAR_AREAS: [&str; 8] = [
    "wellbeing_star_lifestyle",
    "wellbeing_star_looking_after_yourself",
    "wellbeing_star_managing_symptoms",
    "wellbeing_star_work_volunteering",
    "wellbeing_star_money",
    "wellbeing_star_where_you_live",
    "wellbeing_star_family_friends",
    "wellbeing_star_feeling_positive",
];

const UCLA3_ITEMS: [&str; 3] = ["ucla3_companionship", "ucla3_left_out", "ucla3_isolated"];

const ONS4_BANDS: &[(&str, f64, f64)] = &[
    ("low", 0.0, 4.0),
    ("medium", 5.0, 6.0),
    ("high", 7.0, 8.0),
    ("very high", 9.0, 10.0),
];

const ONS4_ANXIETY_BANDS: &[(&str, f64, f64)] = &[
    ("very low", 0.0, 1.0),
    ("low", 2.0, 3.0),
    ("medium", 4.0, 5.0),
    ("high", 6.0, 10.0),
];

pub(super) const WEMWBS: InstrumentDef = InstrumentDef {
    id: "wemwbs",
    label: "Warwick-Edinburgh Mental Wellbeing Scale (WEMWBS)",
    aliases: &["wemwbs14", "warwick_edinburgh"],
    citation: "Tennant R, et al. The Warwick-Edinburgh Mental Well-being Scale (WEMWBS): \
               development and UK validation. Health Qual Life Outcomes 2007;5:63.",
    items: &[
        ("wemwbs_1", "Optimistic about the future"),
        ("wemwbs_2", "Feeling useful"),
        ("wemwbs_3", "Feeling relaxed"),
        ("wemwbs_4", "Interested in other people"),
        ("wemwbs_5", "Energy to spare"),
        ("wemwbs_6", "Dealing with problems well"),
        ("wemwbs_7", "Thinking clearly"),
        ("wemwbs_8", "Feeling good about myself"),
        ("wemwbs_9", "Feeling close to other people"),
        ("wemwbs_10", "Feeling confident"),
        ("wemwbs_11", "Able to make up my own mind"),
        ("wemwbs_12", "Feeling loved"),
        ("wemwbs_13", "Interested in new things"),
        ("wemwbs_14", "Feeling cheerful"),
    ],
    item_range: (1.0, 5.0),
    measures: &[MeasureDef {
        id: "wemwbs",
        label: "WEMWBS",
        min: 14.0,
        max: 70.0,
        mcid: Some(3.0),
        reliability: Some(0.83),
        note: "Reliable change uses the one-week test-retest r = 0.83 (Tennant 2007); \
               meaningful change 3 points (Maheswaran H, et al. Health Qual Life Outcomes \
               2012;10:156). Total = sum of 14 items 1-5, all required.",
        scoring: Some((&WEMWBS_ITEMS, ScoringRule::Sum, 14)),
        // "Warwick-Edinburgh Mental Well-being Scale score" (NHS England's MHSDS tables).
        codes: &["718426000"],
        ..M
    }],
    options: &[],
};

pub(super) const SWEMWBS: InstrumentDef = InstrumentDef {
    id: "swemwbs",
    label: "Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)",
    aliases: &["swemwbs7", "short_wemwbs"],
    citation: "Stewart-Brown S, et al. Internal construct validity of the Warwick-Edinburgh \
               Mental Well-being Scale (WEMWBS): a Rasch analysis using data from the Scottish \
               Health Education Population Survey. Health Qual Life Outcomes 2009;7:15.",
    items: &[
        ("swemwbs_1", "Optimistic about the future"),
        ("swemwbs_2", "Feeling useful"),
        ("swemwbs_3", "Feeling relaxed"),
        ("swemwbs_4", "Dealing with problems well"),
        ("swemwbs_5", "Thinking clearly"),
        ("swemwbs_6", "Feeling close to other people"),
        ("swemwbs_7", "Able to make up my own mind"),
    ],
    item_range: (1.0, 5.0),
    measures: &[MeasureDef {
        id: "swemwbs",
        label: "SWEMWBS (metric score)",
        min: 7.0,
        max: 35.0,
        mcid: Some(3.0),
        unit: "metric score",
        note: "Raw totals 7-35 (sum of 7 items 1-5, all required) converted to metric scores \
               with Warwick's published table; SEM ~1.03, a change of ~3 is meaningful for a \
               person.",
        scoring: Some((&SWEMWBS_ITEMS, ScoringRule::Sum, 7)),
        // "Short Warwick-Edinburgh Mental Well-being Scale score" (NHS England's MHSDS
        // tables).
        codes: &["718466001"],
        conversion: Some(("SWEMWBS raw total to metric score", 7, &SWEMWBS_METRIC)),
        ..M
    }],
    options: &[OptionDef::ExportValues],
};

pub(super) const ONS4: InstrumentDef = InstrumentDef {
    id: "ons4",
    label: "ONS personal well-being (ONS4)",
    aliases: &["ons_4", "ons_personal_wellbeing"],
    citation: "Office for National Statistics. Personal well-being user guidance: the four \
               ONS4 questions, each 0-10, and the ONS thresholds.",
    items: &[
        ("ons4_life_satisfaction", "Life satisfaction"),
        ("ons4_worthwhile", "Things done in life are worthwhile"),
        ("ons4_happy", "Happiness yesterday"),
        ("ons4_anxiety", "Anxiety yesterday"),
    ],
    item_range: (0.0, 10.0),
    measures: &[
        single!(
            "ons4_life_satisfaction",
            "ONS4 life satisfaction",
            0.0,
            10.0,
            Higher,
            ONS4_BANDS
        ),
        single!(
            "ons4_worthwhile",
            "ONS4 worthwhile",
            0.0,
            10.0,
            Higher,
            ONS4_BANDS
        ),
        single!(
            "ons4_happy",
            "ONS4 happiness",
            0.0,
            10.0,
            Higher,
            ONS4_BANDS
        ),
        single!(
            "ons4_anxiety",
            "ONS4 anxiety",
            0.0,
            10.0,
            Lower,
            ONS4_ANXIETY_BANDS
        ),
    ],
    options: &[],
};

pub(super) const WELLBEING_STAR: InstrumentDef = InstrumentDef {
    id: "wellbeing_star",
    label: "Well-being Star",
    aliases: &["well_being_star", "outcomes_star_wellbeing"],
    citation: "Triangle Consulting Social Enterprise. The Well-being Star: the Outcomes Star \
               for people living with long-term health conditions. Eight areas; total = sum \
               of the eight areas, all required.",
    items: &[
        ("wellbeing_star_lifestyle", "Lifestyle"),
        (
            "wellbeing_star_looking_after_yourself",
            "Looking after yourself",
        ),
        ("wellbeing_star_managing_symptoms", "Managing symptoms"),
        (
            "wellbeing_star_work_volunteering",
            "Work, volunteering and other activities",
        ),
        ("wellbeing_star_money", "Money"),
        ("wellbeing_star_where_you_live", "Where you live"),
        ("wellbeing_star_family_friends", "Family and friends"),
        ("wellbeing_star_feeling_positive", "Feeling positive"),
    ],
    item_range: (1.0, 10.0),
    measures: &[
        MeasureDef {
            id: "wellbeing_star_total",
            label: "Well-being Star total",
            min: 8.0,
            max: 80.0,
            scoring: Some((&STAR_AREAS, ScoringRule::Sum, 8)),
            ..M
        },
        single!(
            "wellbeing_star_lifestyle",
            "Lifestyle",
            1.0,
            10.0,
            Higher,
            &[]
        ),
        single!(
            "wellbeing_star_looking_after_yourself",
            "Looking after yourself",
            1.0,
            10.0,
            Higher,
            &[]
        ),
        single!(
            "wellbeing_star_managing_symptoms",
            "Managing symptoms",
            1.0,
            10.0,
            Higher,
            &[]
        ),
        single!(
            "wellbeing_star_work_volunteering",
            "Work and volunteering",
            1.0,
            10.0,
            Higher,
            &[]
        ),
        single!("wellbeing_star_money", "Money", 1.0, 10.0, Higher, &[]),
        single!(
            "wellbeing_star_where_you_live",
            "Where you live",
            1.0,
            10.0,
            Higher,
            &[]
        ),
        single!(
            "wellbeing_star_family_friends",
            "Family and friends",
            1.0,
            10.0,
            Higher,
            &[]
        ),
        single!(
            "wellbeing_star_feeling_positive",
            "Feeling positive",
            1.0,
            10.0,
            Higher,
            &[]
        ),
    ],
    options: &[OptionDef::Scale(&[10, 5])],
};

pub(super) const UCLA3: InstrumentDef = InstrumentDef {
    id: "ucla3",
    label: "UCLA 3-item loneliness scale",
    aliases: &["ucla", "ucla_3", "ucla_loneliness"],
    citation: "Hughes ME, Waite LJ, Hawkley LC, Cacioppo JT. A short scale for measuring \
               loneliness in large surveys. Res Aging 2004;26:655-72. Reliable change uses \
               Cronbach's alpha 0.72 reported there. Total = sum of 3 items 1-3, all required.",
    items: &[
        ("ucla3_companionship", "Lack companionship"),
        ("ucla3_left_out", "Feel left out"),
        ("ucla3_isolated", "Feel isolated from others"),
    ],
    item_range: (1.0, 3.0),
    measures: &[MeasureDef {
        id: "ucla3",
        label: "UCLA 3-item loneliness",
        min: 3.0,
        max: 9.0,
        direction: Lower,
        reliability: Some(0.72),
        scoring: Some((&UCLA3_ITEMS, ScoringRule::Sum, 3)),
        ..M
    }],
    options: &[],
};

pub(super) const MYCAW: InstrumentDef = InstrumentDef {
    id: "mycaw",
    label: "Measure Yourself Concerns and Wellbeing (MYCaW)",
    aliases: &["measure_yourself_concerns_and_wellbeing"],
    citation: "Paterson C, et al. Measure Yourself Concerns and Wellbeing (MYCaW): an \
               individualised questionnaire for evaluating outcome in cancer support care. \
               Complement Ther Med 2007;15:38-45. Each score 0-6, lower is better.",
    items: &[
        ("mycaw_concern_1", "Concern 1"),
        ("mycaw_concern_2", "Concern 2"),
        ("mycaw_wellbeing", "Wellbeing"),
    ],
    item_range: (0.0, 6.0),
    measures: &[
        single!("mycaw_concern_1", "MYCaW concern 1", 0.0, 6.0, Lower, &[]),
        single!("mycaw_concern_2", "MYCaW concern 2", 0.0, 6.0, Lower, &[]),
        single!("mycaw_wellbeing", "MYCaW wellbeing", 0.0, 6.0, Lower, &[]),
    ],
    options: &[],
};
