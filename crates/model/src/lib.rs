//! The report model: every figure a report shows, computed once by [`crate::analysis`]
//! and serialised as `report.json`. Renderers read only this; nothing here formats HTML,
//! and nothing downstream recomputes a statistic.
//!
//! The model holds no client identifier: canonical tables number clients, and the model
//! holds only aggregates ([`Count`], [`Share`], [`Based`], [`Breakdown`], [`CrossTab`] and
//! statistics over groups), so there is no field a client identifier could be put in.

mod method;
mod points;
pub mod precision;
mod quality;
mod reason;
mod sections;
mod values;

use serde::Serialize;

pub use method::Method;
pub use points::*;
pub use quality::*;
pub use reason::Reason;
pub use sections::*;
pub use values::*;

use sprout_config::DisclosurePolicy;
use sprout_core::period::{Period, Window};

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
    /// What the figures say, most important first.
    pub main_points: MainPoints,
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
    /// What the programme cost per person, where the config gives costs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub costs: Option<Windowed<Costs>>,
    pub data_quality: DataQuality,
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
    pub branding: Branding,
    pub primary_outcome: Option<String>,
    /// Measure metadata, in config order, for labelling every table and chart.
    pub measures: Vec<MeasureInfo>,
    pub timepoints: Vec<TimepointInfo>,
    /// The main comparison (baseline to discharge), as timepoint ids.
    pub compare: Span,
    pub phases: Vec<PhaseInfo>,
    pub reach_area: Option<String>,
}

/// The disclosure policy applied, as facts the report states in its own words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DisclosureNote {
    pub policy: DisclosurePolicy,
    /// Counts from 1 up to (not including) this are hidden; `None` when nothing is.
    pub hidden_below: Option<u32>,
    /// Figures (means, percentages, tests) based on fewer people than this are hidden.
    pub figures_hidden_below: Option<u32>,
    /// Other counts are rounded to a multiple of this.
    pub rounded_to: Option<u32>,
    /// Every page is marked as containing small numbers, not for publication.
    pub small_numbers_marked: bool,
}

impl DisclosureNote {
    /// What a policy does, for the reader (`internal`: an evaluator's report marked as
    /// holding small numbers).
    pub fn new(policy: DisclosurePolicy, internal: bool) -> Self {
        Self {
            policy,
            hidden_below: policy.hidden_below(),
            figures_hidden_below: policy.figures_hidden_below(),
            rounded_to: policy.rounded_to(),
            small_numbers_marked: policy == DisclosurePolicy::None || internal,
        }
    }
}

/// How a report looks: the accent colour (`#rrggbb`) of headings and key figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Branding {
    pub colour: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimepointInfo {
    pub id: String,
    pub label: String,
}

/// From one timepoint to a later one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    pub from: String,
    pub to: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasureInfo {
    pub id: String,
    pub label: String,
    pub instrument: String,
    pub min: f64,
    pub max: f64,
    pub better: sprout_stats::Direction,
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
    pub starts: PhaseBoundary,
    /// `None`: the phase runs until discharge.
    pub ends: Option<PhaseBoundary>,
}

/// A date counted from one of a client's dates: `start + 84 days`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PhaseBoundary {
    /// `referral`, `start`, `surgery`, `discharge`, or `previous` (where the previous
    /// phase ends).
    pub anchor: &'static str,
    pub offset_days: i32,
}
