//! The report model: every figure a report shows, computed once by [`crate::analysis`]
//! and serialised as `report.json`. Renderers read only this; nothing here formats HTML,
//! and nothing downstream recomputes a statistic.
//!
//! The model holds no client identifier: canonical tables number clients, and the model
//! holds only aggregates ([`Count`], [`Share`], [`Based`], [`Breakdown`], [`CrossTab`] and
//! statistics over groups), so there is no field a client identifier could be put in.

pub mod disclosure;
mod sections;
mod values;

use serde::Serialize;

pub use sections::*;
pub use values::*;

use crate::analysis::period::{Period, Window};
use crate::config::DisclosurePolicy;
use crate::validate::QualitySummary;

/// Who a report is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Evaluator,
    Trustee,
    Commissioner,
}

impl Audience {
    pub const ALL: [Audience; 3] = [
        Audience::Evaluator,
        Audience::Trustee,
        Audience::Commissioner,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Audience::Evaluator => "evaluator",
            Audience::Trustee => "trustee",
            Audience::Commissioner => "commissioner",
        }
    }
}

/// The whole report for one audience.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportModel {
    pub meta: Meta,
    pub flow: Windowed<Flow>,
    pub people: Windowed<People>,
    pub engagement: Windowed<Engagement>,
    pub outcomes: Windowed<Outcomes>,
    pub medication: Option<Windowed<MedicationOutcomes>>,
    pub trajectories: Vec<Trajectory>,
    pub cohorts: Windowed<Vec<CohortComparison>>,
    pub attrition: Vec<AttritionCheck>,
    pub sensitivity: Vec<Sensitivity>,
    pub trend: Trend,
    pub data_quality: QualitySummary,
    pub methods: MethodsRecord,
}

/// A figure for the reporting period and cumulatively (programme start to period end).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Windowed<T> {
    pub period: T,
    pub cumulative: T,
}

/// What the report is about and how it was made.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Meta {
    pub programme: String,
    pub organisation: String,
    pub audience: Audience,
    pub period: Period,
    pub cumulative: Window,
    pub generated_at: String,
    pub engine_version: String,
    pub disclosure: DisclosureNote,
    pub branding: crate::config::Branding,
    pub primary_outcome: Option<String>,
    /// Measure metadata, in config order, for labelling every table and chart.
    pub measures: Vec<MeasureInfo>,
    pub timepoints: Vec<crate::config::TimepointDef>,
    pub phases: Vec<PhaseInfo>,
    pub reach_area: Option<String>,
}

/// The disclosure policy applied, in words a reader can check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DisclosureNote {
    pub policy: DisclosurePolicy,
    pub statement: String,
    /// "Contains small numbers: not for publication" on every page, when set.
    pub marking: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasureInfo {
    pub id: String,
    pub label: String,
    pub instrument: String,
    pub min: f64,
    pub max: f64,
    pub better: crate::stats::Direction,
    pub mcid: Option<f64>,
    pub reliability: Option<f64>,
    pub unit: String,
    pub primary: bool,
    pub citation: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhaseInfo {
    pub id: String,
    pub label: String,
    /// The rule in words: "from start to start + 12w".
    pub rule: String,
}
