//! A client's medication at one timepoint: totals and flags.

use serde::Serialize;
use thiserror::Error;

use super::{DailyAmount, DrugClass, MedicationProblem};

/// High-risk threshold: total OME of 120 mg/day or more (domain.md; Opioids Aware).
pub const HIGH_DOSE_OME_MG_PER_DAY: f64 = 120.0;

/// One client's pain medication at one timepoint.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct MedicationSummary {
    pub total_ome_mg_per_day: f64,
    pub gabapentinoid_mg_per_day: f64,
    /// Sum of gabapentinoid doses as fractions of their WHO defined daily doses.
    pub gabapentinoid_ddd: f64,
    pub on_opioid: bool,
    pub on_gabapentinoid: bool,
    /// `total_ome_mg_per_day >= HIGH_DOSE_OME_MG_PER_DAY`.
    pub high_dose: bool,
    /// Lines naming a drug.
    pub drug_lines: usize,
    /// Lines with a "no pain medication" label.
    pub no_medication_lines: usize,
}

/// Add up a client's lines at one timepoint.
///
/// A "no pain medication" line contributes zero, so a timepoint with only that label is a
/// zero summary. `drug_lines` and `no_medication_lines` let the caller spot a timepoint
/// that has both (a contradiction worth a finding). An empty slice also sums to zero, but
/// means "no record", not "no medication": callers should not summarise a timepoint that
/// has no lines at all.
///
/// Callers must not drop problem lines and summarise the rest: that under-counts. Use
/// [`summarise_lines`], which refuses a timepoint with any problem line.
pub fn summarise(amounts: &[DailyAmount]) -> MedicationSummary {
    let mut summary = MedicationSummary::default();
    for amount in amounts {
        if amount.is_no_medication() {
            summary.no_medication_lines += 1;
            continue;
        }
        summary.drug_lines += 1;
        summary.total_ome_mg_per_day += amount.ome_mg_per_day;
        summary.gabapentinoid_mg_per_day += amount.gabapentinoid_mg_per_day;
        summary.gabapentinoid_ddd += amount.ddd_fraction.unwrap_or(0.0);
        match amount.class {
            Some(DrugClass::Opioid) => summary.on_opioid = true,
            Some(DrugClass::Gabapentinoid) => summary.on_gabapentinoid = true,
            None => {}
        }
    }
    // Sums of rounded line values can pick up float noise again.
    summary.total_ome_mg_per_day = round6(summary.total_ome_mg_per_day);
    summary.gabapentinoid_mg_per_day = round6(summary.gabapentinoid_mg_per_day);
    summary.gabapentinoid_ddd = round6(summary.gabapentinoid_ddd);
    summary.high_dose = summary.total_ome_mg_per_day >= HIGH_DOSE_OME_MG_PER_DAY;
    summary
}

fn round6(value: f64) -> f64 {
    (value * 1e6).round() / 1e6
}

/// A timepoint whose lines could not all be read: its totals are not computable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error, Serialize)]
#[error(
    "medication not computable: {problem_lines} of {lines} lines have problems, and a \
     total without them would under-count"
)]
pub struct NotComputable {
    pub problem_lines: usize,
    pub lines: usize,
}

impl NotComputable {
    /// Stable finding code.
    pub fn code(&self) -> &'static str {
        "medication_not_computable"
    }
}

/// Summarise a timepoint's lines as returned by `daily_amount`: any problem line makes the
/// whole timepoint not computable (the problems themselves are reported per line).
pub fn summarise_lines(
    lines: &[Result<DailyAmount, MedicationProblem>],
) -> Result<MedicationSummary, NotComputable> {
    let problem_lines = lines.iter().filter(|line| line.is_err()).count();
    if problem_lines > 0 {
        return Err(NotComputable {
            problem_lines,
            lines: lines.len(),
        });
    }
    let amounts: Vec<DailyAmount> = lines.iter().filter_map(|l| l.clone().ok()).collect();
    Ok(summarise(&amounts))
}
