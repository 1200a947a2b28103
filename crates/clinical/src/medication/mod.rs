//! Pain medication: oral morphine equivalent (OME) and gabapentinoid doses.
//!
//! The flow for one medication line (client, record date, drug, daily dose, unit, route):
//! 1. [`normalise_drug_name`] reduces the drug name to a dictionary key;
//! 2. [`DrugDictionary::daily_amount`] finds the product (built-in dictionary in
//!    `dictionary.rs`, extended by `[[medications.drugs]]`), reads the unit and returns
//!    the [`DailyAmount`]: mg OME per day for opioids, mg per day for gabapentinoids;
//! 3. [`summarise`] (or [`summarise_lines`]) adds a client's lines at one timepoint into a
//!    [`MedicationSummary`]: total OME, gabapentinoid mg, on-opioid and high-dose flags.
//!
//! Nothing is ever silently zero: an unknown drug, an impossible dose or a unit that does
//! not fit the product is a [`MedicationProblem`] with a stable code. Only an explicit
//! "no pain medication" label (built-in list, extendable) maps to zero.

mod config;
mod dictionary;
mod dose;
mod normalise;
mod other;
mod summary;

#[cfg(test)]
mod dose_tests;

use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use config::{DrugConfig, DrugConfigError, MedicationConfig};
pub use dictionary::{DrugDictionary, Molecule, PatchConversion, Product};
pub use normalise::normalise_drug_name;
pub use other::not_counted;
pub use summary::{
    HIGH_DOSE_OME_MG_PER_DAY, MedicationSummary, NotComputable, summarise, summarise_lines,
};

/// Plausibility cap for one line, whatever the molecule: more than 2,000 mg OME a day is
/// taken as an entry error (units or decimal point), not a dose.
pub const MAX_LINE_OME_MG_PER_DAY: f64 = 2000.0;

/// WHO ATC/DDD defined daily doses (oral), for reporting gabapentinoids as DDD fractions.
pub const WHO_DDD_GABAPENTIN_MG: f64 = 1800.0;
pub const WHO_DDD_PREGABALIN_MG: f64 = 300.0;

/// Drug class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DrugClass {
    Opioid,
    Gabapentinoid,
}

/// How a product is taken. Config spelling: `"oral"`, `"sublingual"`, `"transdermal"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    Oral,
    Sublingual,
    /// A patch, dosed in micrograms per hour.
    Transdermal,
}

impl Route {
    pub fn as_str(self) -> &'static str {
        match self {
            Route::Oral => "oral",
            Route::Sublingual => "sublingual",
            Route::Transdermal => "transdermal",
        }
    }
}

/// One row of the medications table, as read from the export.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MedicationLine<'a> {
    pub drug: &'a str,
    /// Amount per day in `unit` (for patches: the rate worn, or the number of patches).
    pub daily_dose: f64,
    /// `mg`, `mcg`, `tablets`/`capsules` (x strength per unit), `mcg/h`, `patches`.
    pub unit: &'a str,
    /// `oral`, `sublingual`, `transdermal` (and common abbreviations), when exported.
    pub route: Option<&'a str>,
}

/// What one medication line amounts to per day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DailyAmount {
    /// Dictionary product name ("co-codamol 30/500"); `None` for "no pain medication".
    pub product: Option<String>,
    pub molecule: Option<String>,
    pub class: Option<DrugClass>,
    pub route: Option<Route>,
    /// Molecule mg per day (oral and sublingual lines).
    pub mg_per_day: Option<f64>,
    /// Patch rate in micrograms per hour (transdermal lines).
    pub mcg_per_hour: Option<f64>,
    /// Oral morphine equivalent, mg per day; 0 for gabapentinoids and no medication.
    pub ome_mg_per_day: f64,
    /// Gabapentin or pregabalin mg per day; 0 otherwise.
    pub gabapentinoid_mg_per_day: f64,
    /// Gabapentinoid dose as a fraction of the WHO defined daily dose, where one is known.
    pub ddd_fraction: Option<f64>,
}

impl DailyAmount {
    /// The amount of an explicit "no pain medication" line: zero everything.
    pub fn no_medication() -> Self {
        DailyAmount {
            product: None,
            molecule: None,
            class: None,
            route: None,
            mg_per_day: None,
            mcg_per_hour: None,
            ome_mg_per_day: 0.0,
            gabapentinoid_mg_per_day: 0.0,
            ddd_fraction: None,
        }
    }

    pub fn is_no_medication(&self) -> bool {
        self.product.is_none()
    }
}

/// Kinds of medication problems; each has a stable finding code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MedicationProblemKind {
    /// The drug name is not in the dictionary (or names a strength it does not hold).
    UnknownDrug,
    /// Negative, zero, not a number, or above the plausibility ceiling.
    ImpossibleDose,
    /// The unit or route does not fit the product (mcg/h for a tablet, tablets for a
    /// patch or a product of unknown strength, an unknown unit).
    UnitMismatch,
}

/// Why a medication line gives no amount. The message names the rule and dictionary facts
/// (molecule, ceiling) but carries no client data; the caller adds file, row and value.
#[derive(Debug, Clone, PartialEq, Error)]
#[error("{message}")]
pub struct MedicationProblem {
    pub kind: MedicationProblemKind,
    pub message: String,
}

impl MedicationProblem {
    pub(crate) fn new(kind: MedicationProblemKind, message: impl Into<String>) -> Self {
        MedicationProblem {
            kind,
            message: message.into(),
        }
    }

    /// Stable finding code: `unknown_drug`, `impossible_dose` or `unit_mismatch`.
    pub fn code(&self) -> &'static str {
        match self.kind {
            MedicationProblemKind::UnknownDrug => "unknown_drug",
            MedicationProblemKind::ImpossibleDose => "impossible_dose",
            MedicationProblemKind::UnitMismatch => "unit_mismatch",
        }
    }
}
