//! Outcome instruments as data.
//!
//! One registry ([`Registry`]) holds every known instrument (WEMWBS, ONS4, PAM-13, ...).
//! Each instrument is a description, not code: its items, and the [`Measure`]s it yields,
//! each with a valid range, direction, meaningful-change threshold, reliability, named
//! bands, unit, citation and item-scoring rule. Adding an instrument is adding an entry to
//! `builtin.rs`; a programme config adds custom measures with the same fields
//! ([`MeasureConfig`]).
//!
//! The functions here are fed raw export values and never panic:
//! - [`check_value`] validates one value read from an export (and converts SWEMWBS raw
//!   totals to metric scores);
//! - [`score_items`] computes a total from item columns under the instrument's rule;
//! - [`band_of`] names the band a value falls in.
//!
//! Problems carry a stable snake_case `code()` and a message with no client data, so the
//! caller can attach file, row and value when it records a data-quality finding.

mod bands;
mod builtin;
mod config;
mod registry;
mod scoring;

#[cfg(test)]
mod builtin_tests;
#[cfg(test)]
mod config_tests;

use serde::{Deserialize, Serialize};

pub use bands::{band_index, band_of};
pub use config::{MeasureConfig, MeasureConfigError};
pub use registry::Registry;
pub use scoring::{
    ItemProblem, ItemScore, ValueProblem, check_value, score_item_answers, score_items,
};

/// Whether an export's total column holds raw totals or already-converted scores
/// (config `values = "raw" | "metric"`; only SWEMWBS has a conversion).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ExportValues {
    #[default]
    Raw,
    #[serde(alias = "converted")]
    Metric,
}

/// The loose form of an id used for matching: lower-case letters and digits only.
pub(crate) fn key(id: &str) -> String {
    id.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

pub use sprout_stats::Direction;

/// A named band of a measure's scale, bounds inclusive as published (e.g. ONS4 "low" 0-4,
/// PAM level 2 47.1-55.1). Bands of a measure are ordered from the lowest values up.
/// A value in the gap between one band's `max` and the next band's `min` (4.5 on ONS4,
/// 47.05 on PAM-13) belongs to the lower band: a value must reach a band's published
/// minimum to be in it. See [`band_of`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub label: String,
    pub min: f64,
    pub max: f64,
}

/// Relative-change thresholds (share of the baseline value), as IMMPACT gives for pain:
/// a reduction of >= 30% is moderately, >= 50% substantially important.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PercentChange {
    pub moderate: f64,
    pub substantial: f64,
}

/// One item (question) of an instrument.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    pub id: String,
    pub label: String,
    pub min: f64,
    pub max: f64,
    /// Answers are whole numbers (a Likert point).
    pub integer: bool,
}

/// How item answers combine into a total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScoringRule {
    /// Sum of the items; every item required (`min_answered` = item count).
    Sum,
    /// Mean of the answered items, when at least `min_answered` are answered.
    Mean,
    /// Mean of the answered items times the item count (pro-rating), when at least
    /// `min_answered` are answered.
    ProratedSum,
}

/// How a measure is scored from item columns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemScoring {
    /// The items, in the order `score_items` expects their values.
    pub items: Vec<Item>,
    pub rule: ScoringRule,
    /// Fewest answered items that still give a total.
    pub min_answered: usize,
}

impl ItemScoring {
    /// Smallest and largest total the rule can give (before any conversion).
    pub fn total_range(&self) -> (f64, f64) {
        let lo: f64 = self.items.iter().map(|i| i.min).sum();
        let hi: f64 = self.items.iter().map(|i| i.max).sum();
        match self.rule {
            ScoringRule::Sum | ScoringRule::ProratedSum => (lo, hi),
            ScoringRule::Mean => {
                let lo = self
                    .items
                    .iter()
                    .map(|i| i.min)
                    .fold(f64::INFINITY, f64::min);
                let hi = self
                    .items
                    .iter()
                    .map(|i| i.max)
                    .fold(f64::NEG_INFINITY, f64::max);
                (lo, hi)
            }
        }
    }

    /// The rule in words, for messages and the methods appendix.
    pub fn describe(&self) -> String {
        let n = self.items.len();
        match self.rule {
            ScoringRule::Sum => format!("sum of {n} items, all required"),
            ScoringRule::Mean if self.min_answered >= n => {
                format!("mean of {n} items, all required")
            }
            ScoringRule::Mean => {
                format!("mean of at least {} of {n} items", self.min_answered)
            }
            ScoringRule::ProratedSum => format!(
                "sum of {n} items, pro-rated when at least {} are answered",
                self.min_answered
            ),
        }
    }
}

/// A lookup table from whole raw totals to published scores (SWEMWBS raw 7..35 to metric).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conversion {
    pub name: String,
    /// Raw total of `values[0]`; raw totals run `raw_min ..= raw_min + values.len() - 1`.
    pub raw_min: i64,
    pub values: Vec<f64>,
}

impl Conversion {
    /// The converted score of a whole raw total, or `None` outside the table.
    pub fn convert(&self, raw: i64) -> Option<f64> {
        let offset = raw.checked_sub(self.raw_min)?;
        let index = usize::try_from(offset).ok()?;
        self.values.get(index).copied()
    }
}

/// One scored outcome, analysed on its own: a total (WEMWBS), one item (ONS4 anxiety), a
/// subscale (BPI interference) or a custom measure from the config.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measure {
    pub id: String,
    pub label: String,
    /// Id of the instrument it belongs to (a custom measure's own id).
    pub instrument: String,
    /// Valid range of the analysed scale, inclusive.
    pub min: f64,
    pub max: f64,
    /// Values read from the export must be whole numbers. For SWEMWBS with raw export
    /// values this is true although the analysed metric scores are not whole.
    pub integer: bool,
    pub direction: Direction,
    /// Meaningful change for one person, in the measure's units, where known.
    pub mcid: Option<f64>,
    /// Reliability r_xx for Jacobson-Truax reliable change, only where a figure is cited.
    pub reliability: Option<f64>,
    /// Relative-change thresholds where the literature gives them (BPI).
    pub percent_change: Option<PercentChange>,
    pub bands: Vec<Band>,
    /// Unit text for tables and axes ("points", "score 0-100").
    pub unit: String,
    /// One line for the methods appendix.
    pub citation: String,
    /// How the measure is scored from item columns, when it can be.
    pub scoring: Option<ItemScoring>,
    /// Table applied to raw totals (SWEMWBS raw -> metric).
    pub conversion: Option<Conversion>,
    /// Whether the export holds raw totals (converted by [`check_value`]) or already
    /// converted scores. Only meaningful when `conversion` is set.
    pub export_values: ExportValues,
    /// The programme's primary outcome (at most one).
    pub primary: bool,
    /// Defined in the programme config rather than built in.
    pub custom: bool,
    /// Codes a clinical system records the score under (UK SNOMED CT concept ids), read as
    /// labels of the measure.
    #[serde(skip)]
    pub codes: Vec<String>,
}

impl Measure {
    /// Number of item columns the measure is scored from (0 when it is not scored from items).
    pub fn item_count(&self) -> usize {
        self.scoring.as_ref().map_or(0, |s| s.items.len())
    }
}

/// An instrument: a questionnaire with its items and the measures it yields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Instrument {
    pub id: String,
    pub label: String,
    /// Other spellings accepted in configs ("pam-13", "oks").
    pub aliases: Vec<String>,
    pub items: Vec<Item>,
    pub measures: Vec<Measure>,
    pub citation: String,
    /// Config options this instrument accepts beyond the common overrides.
    pub options: Vec<InstrumentOption>,
}

/// Instrument-specific config keys, declared as data so `resolve` handles them generically.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum InstrumentOption {
    /// `scale = N`: every item runs `min ..= N`; totals follow. The first value is the default.
    Scale(Vec<u32>),
    /// `values = "raw" | "metric"`: whether the export holds raw totals or converted scores.
    ExportValues,
}

/// Tolerance used when checking that a float read from a file is a whole number or inside
/// a range: spreadsheet arithmetic leaves noise like 70.00000000001.
pub const TOLERANCE: f64 = 1e-9;
