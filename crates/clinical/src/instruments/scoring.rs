//! Checking export values and scoring totals from items.
//!
//! Both functions take raw numbers from an export and never panic. Their problems carry a
//! stable `code()` for the data-quality summary and a message naming the rule broken but no
//! client data: the caller adds file, row and value.

use thiserror::Error;

use super::{ExportValues, Measure, ScoringRule, TOLERANCE};

/// Why a value read from an export cannot be analysed.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ValueProblem {
    #[error("not a number")]
    NotANumber,
    #[error("outside the valid range {min} to {max}")]
    OutOfRange { min: f64, max: f64 },
    #[error("must be a whole number")]
    NotInteger,
}

impl ValueProblem {
    /// Stable finding code.
    pub fn code(&self) -> &'static str {
        match self {
            ValueProblem::NotANumber => "not_a_number",
            ValueProblem::OutOfRange { .. } => "out_of_range",
            ValueProblem::NotInteger => "not_integer",
        }
    }
}

/// Why a total cannot be computed from item values.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ItemProblem {
    #[error("this measure is not scored from items; read its total from the export")]
    NotScoredFromItems,
    #[error("expected {expected} item values, got {got}")]
    WrongItemCount { expected: usize, got: usize },
    #[error("item {position} (`{item}`) is outside its range {min} to {max}")]
    ItemOutOfRange {
        /// 1-based position of the item.
        position: usize,
        item: String,
        min: f64,
        max: f64,
    },
    #[error("item {position} (`{item}`) must be a whole number")]
    ItemNotInteger { position: usize, item: String },
    #[error(
        "total cannot be scored: {missing} of {items} items missing, {answered} answered; \
         rule: {rule}"
    )]
    Unscorable {
        answered: usize,
        missing: usize,
        items: usize,
        rule: String,
    },
    #[error("scored total: {0}")]
    Total(ValueProblem),
}

impl ItemProblem {
    /// Stable finding code.
    pub fn code(&self) -> &'static str {
        match self {
            ItemProblem::NotScoredFromItems => "not_scored_from_items",
            ItemProblem::WrongItemCount { .. } => "wrong_item_count",
            ItemProblem::ItemOutOfRange { .. } => "item_out_of_range",
            ItemProblem::ItemNotInteger { .. } => "item_not_integer",
            ItemProblem::Unscorable { .. } => "unscorable_total",
            ItemProblem::Total(problem) => problem.code(),
        }
    }
}

/// Check one value read from an export and return the value to analyse.
///
/// The value must be a finite number inside `[measure.min, measure.max]` (within
/// [`TOLERANCE`]) and, for integer measures, a whole number; it is then snapped to the
/// range and, for integer measures, to the whole number. When the measure has a conversion
/// and the export holds raw totals (SWEMWBS by default), the raw total is converted:
/// SWEMWBS raw 20 gives metric 19.25.
pub fn check_value(measure: &Measure, value: f64) -> Result<f64, ValueProblem> {
    if !value.is_finite() {
        return Err(ValueProblem::NotANumber);
    }
    if value < measure.min - TOLERANCE || value > measure.max + TOLERANCE {
        return Err(ValueProblem::OutOfRange {
            min: measure.min,
            max: measure.max,
        });
    }
    let mut checked = value.clamp(measure.min, measure.max);
    if measure.integer {
        let whole = checked.round();
        if (checked - whole).abs() > TOLERANCE {
            return Err(ValueProblem::NotInteger);
        }
        checked = whole;
    }
    match (&measure.conversion, measure.export_values) {
        (Some(conversion), ExportValues::Raw) => {
            convert(conversion, checked, measure.min, measure.max)
        }
        _ => Ok(checked),
    }
}

/// A total scored from item answers, and the answers set aside on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemScore {
    /// The total to analyse, or why the valid answers cannot be scored.
    pub total: Result<f64, ItemProblem>,
    /// Answers outside their item's range or not whole numbers
    /// ([`ItemProblem::ItemOutOfRange`], [`ItemProblem::ItemNotInteger`]): each was
    /// treated as missing before the instrument's rule was applied.
    pub invalid: Vec<ItemProblem>,
}

/// Score a measure from its item values, given in the order of `measure.scoring.items`
/// (`None` = missing answer), and return the value to analyse.
///
/// The total only: see [`score_item_answers`] for the answers set aside. When the total
/// cannot be scored and an invalid answer is why, the error is that answer's problem.
pub fn score_items(measure: &Measure, values: &[Option<f64>]) -> Result<f64, ItemProblem> {
    let scored = score_item_answers(measure, values);
    match (scored.total, scored.invalid.into_iter().next()) {
        (Err(_), Some(first_invalid)) => Err(first_invalid),
        (total, _) => total,
    }
}

/// Score a measure from its item answers under the instrument's missing-item rule.
///
/// An answer outside its item's range, or a fraction on a whole-number item, is a
/// doubtful value: it is treated as missing (and returned in [`ItemScore::invalid`] for
/// the data-quality report), and the rule is then applied to the answers left. Rules
/// (from the instrument's entry): WEMWBS, SWEMWBS, UCLA 3-item, Oxford Hip/Knee and the
/// Well-being Star total are sums with every item required, so one doubtful answer
/// leaves the total missing; BPI severity is the mean of its 4 items, all required; BPI
/// interference is the mean of its 7 items when at least 4 are answered, so it is scored
/// from the valid answers when at least 4 remain. Single-item measures (ONS4, Star areas,
/// MYCaW) are their one item. A total that cannot be scored is
/// [`ItemProblem::Unscorable`] (`unscorable_total`), never a partial sum. SWEMWBS totals
/// are converted to metric scores.
pub fn score_item_answers(measure: &Measure, values: &[Option<f64>]) -> ItemScore {
    let failed = |problem| ItemScore {
        total: Err(problem),
        invalid: Vec::new(),
    };
    let Some(scoring) = measure.scoring.as_ref().filter(|s| !s.items.is_empty()) else {
        return failed(ItemProblem::NotScoredFromItems);
    };
    if values.len() != scoring.items.len() {
        return failed(ItemProblem::WrongItemCount {
            expected: scoring.items.len(),
            got: values.len(),
        });
    }
    let mut answered = Vec::with_capacity(values.len());
    let mut invalid = Vec::new();
    for (position, (item, value)) in scoring.items.iter().zip(values).enumerate() {
        let Some(value) = *value else { continue };
        if !value.is_finite() || value < item.min - TOLERANCE || value > item.max + TOLERANCE {
            invalid.push(ItemProblem::ItemOutOfRange {
                position: position + 1,
                item: item.id.clone(),
                min: item.min,
                max: item.max,
            });
            continue;
        }
        let mut value = value.clamp(item.min, item.max);
        if item.integer {
            let whole = value.round();
            if (value - whole).abs() > TOLERANCE {
                invalid.push(ItemProblem::ItemNotInteger {
                    position: position + 1,
                    item: item.id.clone(),
                });
                continue;
            }
            value = whole;
        }
        answered.push(value);
    }
    ItemScore {
        total: total_of(measure, scoring, &answered),
        invalid,
    }
}

/// The instrument's rule applied to the valid answers.
fn total_of(
    measure: &Measure,
    scoring: &super::ItemScoring,
    answered: &[f64],
) -> Result<f64, ItemProblem> {
    let n_items = scoring.items.len();
    let required = match scoring.rule {
        ScoringRule::Sum => n_items,
        ScoringRule::Mean | ScoringRule::ProratedSum => scoring.min_answered.clamp(1, n_items),
    };
    if answered.len() < required || answered.is_empty() {
        return Err(ItemProblem::Unscorable {
            answered: answered.len(),
            missing: n_items - answered.len(),
            items: n_items,
            rule: scoring.describe(),
        });
    }
    let sum: f64 = answered.iter().sum();
    // `answered` is non-empty and at most a few dozen long: the casts are exact.
    let mean = sum / answered.len() as f64;
    let total = match scoring.rule {
        ScoringRule::Sum => sum,
        ScoringRule::Mean => mean,
        ScoringRule::ProratedSum => mean * n_items as f64,
    };
    match &measure.conversion {
        // Item totals are always raw, whatever the export's total column holds.
        Some(conversion) => {
            convert(conversion, total, measure.min, measure.max).map_err(ItemProblem::Total)
        }
        None => {
            if total < measure.min - TOLERANCE || total > measure.max + TOLERANCE {
                return Err(ItemProblem::Total(ValueProblem::OutOfRange {
                    min: measure.min,
                    max: measure.max,
                }));
            }
            Ok(total.clamp(measure.min, measure.max))
        }
    }
}

fn convert(
    conversion: &super::Conversion,
    raw: f64,
    min: f64,
    max: f64,
) -> Result<f64, ValueProblem> {
    let whole = raw.round();
    if (raw - whole).abs() > TOLERANCE {
        return Err(ValueProblem::NotInteger);
    }
    // `whole` is finite and small (checked against the range by callers); `as` saturates.
    conversion
        .convert(whole as i64)
        .ok_or(ValueProblem::OutOfRange { min, max })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::instruments::Registry;

    fn measure(id: &str) -> Measure {
        Registry::builtin().measure(id).unwrap().clone()
    }

    #[test]
    fn arbitrary_values_never_panic() {
        let registry = Registry::builtin();
        let values = [
            f64::NAN,
            f64::INFINITY,
            f64::MIN,
            f64::MAX,
            -0.0,
            0.5,
            7.0,
            35.0,
            1e-300,
            47.05,
        ];
        for m in registry.measures() {
            for v in values {
                let _ = check_value(m, v);
                let _ = super::super::band_of(m, v);
                let n = m.scoring.as_ref().map_or(0, |s| s.items.len());
                for len in [0, n, n + 1] {
                    let items: Vec<Option<f64>> =
                        (0..len).map(|i| (i % 3 != 0).then_some(v)).collect();
                    let _ = score_items(m, &items);
                }
            }
        }
        let mut empty = measure("wemwbs");
        if let Some(scoring) = &mut empty.scoring {
            scoring.items.clear();
        }
        assert_eq!(
            score_items(&empty, &[]).unwrap_err().code(),
            "not_scored_from_items"
        );
    }

    #[test]
    fn not_a_number_is_a_problem() {
        let m = measure("wemwbs");
        for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(check_value(&m, v).unwrap_err().code(), "not_a_number");
        }
    }

    #[test]
    fn spreadsheet_noise_is_tolerated() {
        let m = measure("wemwbs");
        assert_eq!(check_value(&m, 70.000_000_000_01), Ok(70.0));
        assert_eq!(check_value(&m, 41.999_999_999_9), Ok(42.0));
    }

    #[test]
    fn out_of_range_message_names_the_range() {
        let problem = check_value(&measure("wemwbs"), 71.0).unwrap_err();
        assert_eq!(problem.code(), "out_of_range");
        assert_eq!(problem.to_string(), "outside the valid range 14 to 70");
    }

    #[test]
    fn wrong_item_count_and_unscored_measures() {
        let m = measure("wemwbs");
        let problem = score_items(&m, &[Some(3.0); 13]).unwrap_err();
        assert_eq!(problem.code(), "wrong_item_count");
        let problem = score_items(&measure("pam13"), &[]).unwrap_err();
        assert_eq!(problem.code(), "not_scored_from_items");
        let problem = score_items(&measure("eq5d_index"), &[]).unwrap_err();
        assert_eq!(problem.code(), "not_scored_from_items");
    }

    #[test]
    fn nan_item_is_out_of_range() {
        let mut items = vec![Some(3.0); 14];
        items[4] = Some(f64::NAN);
        let problem = score_items(&measure("wemwbs"), &items).unwrap_err();
        assert_eq!(problem.code(), "item_out_of_range");
        assert!(problem.to_string().contains("item 5 (`wemwbs_5`)"));
    }

    #[test]
    fn unscorable_message_counts_missing_items_and_states_the_rule() {
        let mut items = vec![Some(2.0); 7];
        items[0] = None;
        items[3] = None;
        items[6] = None;
        items[5] = None;
        let problem = score_items(&measure("bpi_interference"), &items).unwrap_err();
        assert_eq!(problem.code(), "unscorable_total");
        assert_eq!(
            problem.to_string(),
            "total cannot be scored: 4 of 7 items missing, 3 answered; \
             rule: mean of at least 4 of 7 items"
        );
    }
}
