//! The built-in instruments, as data. Adding an instrument is adding one `InstrumentDef`
//! (in `builtin/wellbeing.rs` or `builtin/health.rs`) and its name to [`BUILTIN`]; no code
//! changes.
//!
//! Sources of the figures (also in each citation line):
//! - ranges, directions and bands: `shared/spec/domain.md`, from the instruments' guidance;
//! - SWEMWBS conversion: `shared/spec/methods.md` section 1 (Warwick's published table);
//! - MCID: WEMWBS 3 (Maheswaran 2012, ~2.77 SEM), SWEMWBS 3 (domain.md: SEM ~1.03),
//!   Oxford Hip 8 / Knee 7 (Beard 2015, individual-level MIC);
//! - reliability, only where a figure is cited: WEMWBS 0.83 (Tennant 2007, one-week
//!   test-retest), UCLA 3-item 0.72 (Hughes 2004, Cronbach's alpha). Everything else None.

use super::{
    Band, Conversion, Direction, ExportValues, Instrument, InstrumentOption, Item, ItemScoring,
    Measure, PercentChange, ScoringRule,
};

use Direction::{HigherIsBetter as Higher, LowerIsBetter as Lower};

struct InstrumentDef {
    id: &'static str,
    label: &'static str,
    aliases: &'static [&'static str],
    citation: &'static str,
    /// Items: (id, label); all built-in items are whole numbers in `item_range`.
    items: &'static [(&'static str, &'static str)],
    item_range: (f64, f64),
    measures: &'static [MeasureDef],
    options: &'static [OptionDef],
}

#[derive(Clone, Copy)]
enum OptionDef {
    Scale(&'static [u32]),
    ExportValues,
}

#[derive(Clone, Copy)]
struct MeasureDef {
    id: &'static str,
    label: &'static str,
    min: f64,
    max: f64,
    integer: bool,
    direction: Direction,
    mcid: Option<f64>,
    reliability: Option<f64>,
    percent_change: Option<(f64, f64)>,
    /// (label, min, max), inclusive, lowest values first.
    bands: &'static [(&'static str, f64, f64)],
    unit: &'static str,
    /// Extra citation text for this measure, appended to the instrument's.
    note: &'static str,
    /// (item ids in order, rule, fewest answered items).
    scoring: Option<(&'static [&'static str], ScoringRule, usize)>,
    conversion: Option<(&'static str, i64, &'static [f64])>,
    /// UK SNOMED CT concept ids of the score, where verified.
    codes: &'static [&'static str],
}

const M: MeasureDef = MeasureDef {
    id: "",
    label: "",
    min: 0.0,
    max: 0.0,
    integer: true,
    direction: Higher,
    mcid: None,
    reliability: None,
    percent_change: None,
    bands: &[],
    unit: "points",
    note: "",
    scoring: None,
    conversion: None,
    codes: &[],
};

/// SWEMWBS raw total 7..35 -> metric score (methods.md section 1, Warwick's table).
pub(crate) const SWEMWBS_METRIC: [f64; 29] = [
    7.00, 9.51, 11.25, 12.40, 13.33, 14.08, 14.75, 15.32, 15.84, 16.36, 16.88, 17.43, 17.98, 18.59,
    19.25, 19.98, 20.73, 21.54, 22.35, 23.21, 24.11, 25.03, 26.02, 27.03, 28.13, 29.31, 30.70,
    32.55, 35.00,
];

macro_rules! single {
    ($id:literal, $label:literal, $min:expr, $max:expr, $dir:expr, $bands:expr) => {
        MeasureDef {
            id: $id,
            label: $label,
            min: $min,
            max: $max,
            direction: $dir,
            bands: $bands,
            scoring: Some((&[$id], ScoringRule::Sum, 1)),
            ..M
        }
    };
}

mod health;
mod wellbeing;

use health::{BPI, EQ5D, OXFORD_HIP, OXFORD_KNEE, PAM13};
use wellbeing::{MYCAW, ONS4, SWEMWBS, UCLA3, WELLBEING_STAR, WEMWBS};

/// Every built-in instrument. Order is the order of the methods appendix.
const BUILTIN: &[InstrumentDef] = &[
    WEMWBS,
    SWEMWBS,
    ONS4,
    WELLBEING_STAR,
    PAM13,
    EQ5D,
    UCLA3,
    BPI,
    OXFORD_HIP,
    OXFORD_KNEE,
    MYCAW,
];

/// The built-in instruments as owned values.
pub(crate) fn instruments() -> Vec<Instrument> {
    BUILTIN.iter().map(to_instrument).collect()
}

fn to_instrument(def: &InstrumentDef) -> Instrument {
    let (item_min, item_max) = def.item_range;
    let items: Vec<Item> = def
        .items
        .iter()
        .map(|(id, label)| Item {
            id: (*id).to_string(),
            label: (*label).to_string(),
            min: item_min,
            max: item_max,
            integer: true,
        })
        .collect();
    let measures = def
        .measures
        .iter()
        .map(|m| to_measure(def, m, &items))
        .collect();
    Instrument {
        id: def.id.to_string(),
        label: def.label.to_string(),
        aliases: def.aliases.iter().map(|a| (*a).to_string()).collect(),
        items,
        measures,
        citation: def.citation.to_string(),
        options: def
            .options
            .iter()
            .map(|o| match o {
                OptionDef::Scale(values) => InstrumentOption::Scale(values.to_vec()),
                OptionDef::ExportValues => InstrumentOption::ExportValues,
            })
            .collect(),
    }
}

fn to_measure(inst: &InstrumentDef, def: &MeasureDef, items: &[Item]) -> Measure {
    let scoring = def.scoring.map(|(ids, rule, min_answered)| ItemScoring {
        // Ids in the table are checked against the items by a unit test.
        items: ids
            .iter()
            .filter_map(|id| items.iter().find(|item| item.id == *id).cloned())
            .collect(),
        rule,
        min_answered,
    });
    let citation = if def.note.is_empty() {
        inst.citation.to_string()
    } else {
        format!("{} {}", inst.citation, def.note)
    };
    Measure {
        id: def.id.to_string(),
        label: def.label.to_string(),
        instrument: inst.id.to_string(),
        min: def.min,
        max: def.max,
        integer: def.integer,
        direction: def.direction,
        mcid: def.mcid,
        reliability: def.reliability,
        percent_change: def
            .percent_change
            .map(|(moderate, substantial)| PercentChange {
                moderate,
                substantial,
            }),
        bands: def
            .bands
            .iter()
            .map(|(label, min, max)| Band {
                label: (*label).to_string(),
                min: *min,
                max: *max,
            })
            .collect(),
        unit: def.unit.to_string(),
        citation,
        scoring,
        conversion: def.conversion.map(|(name, raw_min, values)| Conversion {
            name: name.to_string(),
            raw_min,
            values: values.to_vec(),
        }),
        export_values: ExportValues::Raw,
        primary: false,
        custom: false,
        codes: def.codes.iter().map(|c| (*c).to_owned()).collect(),
    }
}
