//! `[[measures]]` entries of a programme config, and resolving them against the registry.
//!
//! ```toml
//! [[measures]]
//! id = "ons4"                 # a built-in instrument: all four ONS4 measures
//!
//! [[measures]]
//! id = "swemwbs"              # a built-in measure, with overrides
//! values = "metric"           # the export already holds metric scores (default "raw")
//! primary = true
//!
//! [[measures]]
//! id = "wellbeing_star"
//! scale = 5                   # the 1-5 version of the Star (default 10)
//!
//! [[measures]]
//! id = "confidence"           # a custom measure
//! label = "Confidence to self-manage"
//! min = 0
//! max = 10
//! integer = true
//! better = "higher"
//! mcid = 2
//! bands = [{ label = "low", min = 0, max = 4 }, { label = "high", min = 5, max = 10 }]
//! ```

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::bands::bands_problem;
use super::{
    Band, Direction, ExportValues, InstrumentOption, Item, ItemScoring, Measure, Registry,
    ScoringRule, TOLERANCE, key,
};

/// `better = "higher" | "lower"` (and the long forms) in the config's JSON Schema.
fn better_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "description": "Which way is better on the measure",
        "type": "string",
        "enum": ["higher", "lower", "higher_is_better", "lower_is_better"]
    })
}

/// One `[[measures]]` table of a programme config. See the module docs for examples.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasureConfig {
    /// Built-in instrument id (all its measures), built-in measure id, or a new id.
    pub id: String,
    pub label: Option<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub integer: Option<bool>,
    /// `"higher"` or `"lower"`.
    #[serde(default)]
    #[schemars(schema_with = "better_schema")]
    pub better: Option<Direction>,
    pub mcid: Option<f64>,
    /// r_xx for reliable change, strictly between 0 and 1.
    pub reliability: Option<f64>,
    pub bands: Option<Vec<Band>>,
    pub unit: Option<String>,
    pub citation: Option<String>,
    /// Item column ids, in order, when a custom measure is scored from items.
    pub items: Option<Vec<String>>,
    pub item_min: Option<f64>,
    pub item_max: Option<f64>,
    /// `"sum"` (default), `"mean"` or `"prorated_sum"`.
    pub scoring: Option<ScoringRule>,
    /// Fewest answered items for `mean` / `prorated_sum` (default: all).
    pub min_answered: Option<usize>,
    /// Item scale of instruments that offer one (Well-being Star: 10 or 5).
    pub scale: Option<u32>,
    /// `"raw"` (default) or `"metric"`, for instruments with a conversion (SWEMWBS).
    pub values: Option<ExportValues>,
    #[serde(default)]
    pub primary: bool,
}

/// A `[[measures]]` entry that cannot be used: which entry, which key, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureConfigError {
    /// 0-based position of the entry in the `[[measures]]` list.
    pub index: usize,
    /// The entry's `id` as written.
    pub id: String,
    /// The offending key (`id`, `min`, `reliability`, ...).
    pub key: &'static str,
    pub reason: String,
    /// A known id close to the one written, for unknown ids.
    pub suggestion: Option<String>,
}

impl fmt::Display for MeasureConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "[[measures]] entry {} (id = \"{}\"), key `{}`: {}",
            self.index + 1,
            self.id,
            self.key,
            self.reason
        )?;
        if let Some(suggestion) = &self.suggestion {
            write!(f, "; did you mean {suggestion}?")?;
        }
        Ok(())
    }
}

impl std::error::Error for MeasureConfigError {}

type Fail = (&'static str, String);

fn fail<T>(key: &'static str, reason: impl Into<String>) -> Result<T, Fail> {
    Err((key, reason.into()))
}

impl Registry {
    /// Turn a programme's `[[measures]]` list into the measures to analyse, in config order
    /// (an instrument id expands to its measures in registry order).
    ///
    /// Errors name the entry and key: an unknown id (with a "did you mean"), a custom
    /// measure missing `min`, `max` or `better`, `min >= max`, reliability outside (0, 1),
    /// a non-positive MCID, bad bands, a key that cannot apply (`min` on a built-in,
    /// `scale` on an instrument without one), the same measure twice, two primaries.
    pub fn resolve(&self, configs: &[MeasureConfig]) -> Result<Vec<Measure>, MeasureConfigError> {
        let mut resolved: Vec<Measure> = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut primary_at: Option<usize> = None;
        for (index, config) in configs.iter().enumerate() {
            let error = |(key, reason): Fail| MeasureConfigError {
                index,
                id: config.id.clone(),
                key,
                reason,
                suggestion: None,
            };
            let measures = self.resolve_entry(config).map_err(|failure| {
                let mut error = error(failure);
                if error.key == "id" && error.reason.starts_with("unknown") {
                    error.suggestion = self.suggest(&config.id);
                }
                error
            })?;
            for measure in measures {
                if let Some(previous) = seen.insert(key(&measure.id), index) {
                    return Err(error((
                        "id",
                        format!(
                            "measure `{}` is already listed by entry {}",
                            measure.id,
                            previous + 1
                        ),
                    )));
                }
                if measure.primary {
                    if let Some(previous) = primary_at {
                        return Err(error((
                            "primary",
                            format!(
                                "only one measure can be primary; entry {} already is",
                                previous + 1
                            ),
                        )));
                    }
                    primary_at = Some(index);
                }
                resolved.push(measure);
            }
        }
        Ok(resolved)
    }

    fn resolve_entry(&self, config: &MeasureConfig) -> Result<Vec<Measure>, Fail> {
        if key(&config.id).is_empty() {
            return fail("id", "is empty");
        }
        if let Some(measure) = self.measure(&config.id) {
            let instrument = self.instrument_of(&measure.id);
            let options = instrument.map(|i| i.options.as_slice()).unwrap_or_default();
            return builtin_entry(config, vec![measure.clone()], options);
        }
        if let Some(instrument) = self.instrument(&config.id) {
            return builtin_entry(config, instrument.measures.clone(), &instrument.options);
        }
        if config.min.is_none() && config.max.is_none() && config.better.is_none() {
            return fail(
                "id",
                format!(
                    "unknown measure `{}`: not a built-in instrument or measure, and a custom \
                     measure needs `min`, `max` and `better`",
                    config.id
                ),
            );
        }
        self.custom_entry(config).map(|m| vec![m])
    }

    fn custom_entry(&self, config: &MeasureConfig) -> Result<Measure, Fail> {
        let id = config.id.as_str();
        let well_formed = id.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !well_formed {
            return fail(
                "id",
                "a custom measure id must start with a lower-case letter and use only \
                 a-z, 0-9 and _",
            );
        }
        for (key, offered) in [
            ("scale", config.scale.is_some()),
            ("values", config.values.is_some()),
        ] {
            if offered {
                return fail(key, format!("applies only to {}", self.offering(key)));
            }
        }
        let Some(min) = config.min else {
            return fail("min", "a custom measure needs `min`");
        };
        let Some(max) = config.max else {
            return fail("max", "a custom measure needs `max`");
        };
        let Some(direction) = config.better else {
            return fail(
                "better",
                "a custom measure needs `better = \"higher\"` or \"lower\"",
            );
        };
        if !min.is_finite() || !max.is_finite() || min >= max {
            return fail("min", format!("`min` ({min}) must be below `max` ({max})"));
        }
        let scoring = custom_scoring(config, min, max)?;
        let mut measure = Measure {
            id: id.to_string(),
            label: id.to_string(),
            instrument: id.to_string(),
            min,
            max,
            integer: config.integer.unwrap_or(false),
            direction,
            mcid: None,
            reliability: None,
            percent_change: None,
            bands: Vec::new(),
            unit: "points".to_string(),
            citation: "Custom measure defined in the programme config.".to_string(),
            scoring,
            conversion: None,
            export_values: ExportValues::Raw,
            primary: false,
            custom: true,
            codes: Vec::new(),
        };
        apply_overrides(config, &mut measure)?;
        Ok(measure)
    }

    /// Instruments offering a config option, for error messages.
    fn offering(&self, option: &str) -> String {
        let ids: Vec<&str> = self
            .instruments()
            .iter()
            .filter(|i| {
                i.options.iter().any(|o| match o {
                    InstrumentOption::Scale(_) => option == "scale",
                    InstrumentOption::ExportValues => option == "values",
                })
            })
            .map(|i| i.id.as_str())
            .collect();
        ids.join(", ")
    }
}

fn builtin_entry(
    config: &MeasureConfig,
    mut measures: Vec<Measure>,
    options: &[InstrumentOption],
) -> Result<Vec<Measure>, Fail> {
    let fixed = [
        ("min", config.min.is_some()),
        ("max", config.max.is_some()),
        ("integer", config.integer.is_some()),
        ("better", config.better.is_some()),
        ("items", config.items.is_some()),
        ("item_min", config.item_min.is_some()),
        ("item_max", config.item_max.is_some()),
        ("scoring", config.scoring.is_some()),
        ("min_answered", config.min_answered.is_some()),
    ];
    if let Some((key, _)) = fixed.iter().find(|(_, set)| *set) {
        return fail(
            key,
            format!(
                "cannot be changed on built-in `{}`; define a custom measure with its own id",
                config.id
            ),
        );
    }
    if let Some(scale) = config.scale {
        let allowed = options.iter().find_map(|o| match o {
            InstrumentOption::Scale(values) => Some(values),
            InstrumentOption::ExportValues => None,
        });
        match allowed {
            None => return fail("scale", format!("`{}` has no scale option", config.id)),
            Some(values) if !values.contains(&scale) => {
                return fail("scale", format!("must be one of {values:?}"));
            }
            Some(_) => measures
                .iter_mut()
                .for_each(|m| rescale(m, f64::from(scale))),
        }
    }
    if let Some(values) = config.values {
        if !options.contains(&InstrumentOption::ExportValues) {
            return fail("values", format!("`{}` has no conversion", config.id));
        }
        for measure in &mut measures {
            measure.export_values = values;
            // Converted scores are not whole; raw totals are.
            measure.integer = values == ExportValues::Raw;
        }
    }
    let single = measures.len() == 1;
    let per_measure = [
        ("label", config.label.is_some()),
        ("mcid", config.mcid.is_some()),
        ("reliability", config.reliability.is_some()),
        ("bands", config.bands.is_some()),
        ("unit", config.unit.is_some()),
        ("citation", config.citation.is_some()),
        ("primary", config.primary),
    ];
    if !single && let Some((key, _)) = per_measure.iter().find(|(_, set)| *set) {
        let ids: Vec<&str> = measures.iter().map(|m| m.id.as_str()).collect();
        return fail(
            key,
            format!(
                "`{}` has {} measures; set `{key}` on one of them ({})",
                config.id,
                ids.len(),
                ids.join(", ")
            ),
        );
    }
    for measure in &mut measures {
        apply_overrides(config, measure)?;
    }
    Ok(measures)
}

/// Item scale `min ..= scale` for every item; totals follow the scoring rule.
fn rescale(measure: &mut Measure, scale: f64) {
    if let Some(scoring) = &mut measure.scoring {
        for item in &mut scoring.items {
            item.max = scale;
        }
        let (lo, hi) = scoring.total_range();
        measure.min = lo;
        measure.max = hi;
    }
}

fn apply_overrides(config: &MeasureConfig, measure: &mut Measure) -> Result<(), Fail> {
    if let Some(label) = &config.label {
        if label.trim().is_empty() {
            return fail("label", "is empty");
        }
        measure.label = label.trim().to_string();
    }
    if let Some(mcid) = config.mcid {
        if !mcid.is_finite() || mcid <= 0.0 || mcid >= measure.max - measure.min {
            return fail(
                "mcid",
                format!(
                    "must be above 0 and below the range width {}",
                    measure.max - measure.min
                ),
            );
        }
        measure.mcid = Some(mcid);
    }
    if let Some(reliability) = config.reliability {
        if !reliability.is_finite() || reliability <= 0.0 || reliability >= 1.0 {
            return fail("reliability", "must be strictly between 0 and 1");
        }
        measure.reliability = Some(reliability);
    }
    if let Some(bands) = &config.bands {
        if let Some(problem) = bands_problem(bands, measure.min, measure.max) {
            return fail("bands", problem);
        }
        measure.bands = bands.clone();
    }
    if let Some(unit) = &config.unit {
        measure.unit = unit.clone();
    }
    if let Some(citation) = &config.citation {
        measure.citation = citation.clone();
    }
    measure.primary = config.primary;
    Ok(())
}

fn custom_scoring(config: &MeasureConfig, min: f64, max: f64) -> Result<Option<ItemScoring>, Fail> {
    let Some(ids) = &config.items else {
        for (key, set) in [
            ("item_min", config.item_min.is_some()),
            ("item_max", config.item_max.is_some()),
            ("scoring", config.scoring.is_some()),
            ("min_answered", config.min_answered.is_some()),
        ] {
            if set {
                return fail(key, "only applies with `items`");
            }
        }
        return Ok(None);
    };
    if ids.is_empty() {
        return fail("items", "lists no items");
    }
    let mut keys: Vec<String> = ids.iter().map(|i| key(i)).collect();
    if keys.iter().any(String::is_empty) {
        return fail("items", "an item id is empty");
    }
    keys.sort();
    keys.dedup();
    if keys.len() != ids.len() {
        return fail("items", "an item is listed twice");
    }
    let (Some(item_min), Some(item_max)) = (config.item_min, config.item_max) else {
        let missing = if config.item_min.is_none() {
            "item_min"
        } else {
            "item_max"
        };
        return fail(
            missing,
            "scoring from items needs `item_min` and `item_max`",
        );
    };
    if !item_min.is_finite() || !item_max.is_finite() || item_min >= item_max {
        return fail("item_min", "`item_min` must be below `item_max`");
    }
    let rule = config.scoring.unwrap_or(ScoringRule::Sum);
    let min_answered = config.min_answered.unwrap_or(ids.len());
    if min_answered == 0 || min_answered > ids.len() {
        return fail(
            "min_answered",
            format!("must be between 1 and {}", ids.len()),
        );
    }
    if rule == ScoringRule::Sum && min_answered != ids.len() {
        return fail(
            "min_answered",
            "a sum needs every item; use scoring = \"mean\" or \"prorated_sum\"",
        );
    }
    let scoring = ItemScoring {
        items: ids
            .iter()
            .map(|id| Item {
                id: id.clone(),
                label: id.clone(),
                min: item_min,
                max: item_max,
                integer: false,
            })
            .collect(),
        rule,
        min_answered,
    };
    let (lo, hi) = scoring.total_range();
    if lo < min - TOLERANCE || hi > max + TOLERANCE {
        return fail(
            "items",
            format!("scored totals run {lo} to {hi}, outside the measure's range {min} to {max}"),
        );
    }
    Ok(Some(scoring))
}
