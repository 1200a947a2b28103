//! The main points: what the figures say, as ranked, typed statements that each report
//! words in its own register (methods.md section 9). A point names what it is about and
//! what the test behind it found; its figures stay where the rest of the model keeps
//! them (the outcomes, cohorts, trend, medication, flow and sensitivity sections), so
//! disclosure control treats every figure once and a report cannot quote a figure the
//! point's section does not show.

use serde::Serialize;

use super::sections::{CohortComparison, Estimate, Test};
use super::values::Based;

/// The main points, most important first.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct MainPoints {
    pub points: Vec<MainPoint>,
}

impl MainPoints {
    pub fn over_time(&self) -> Option<&OverTime> {
        self.points.iter().find_map(|p| match p {
            MainPoint::OverTime(o) => Some(o),
            _ => None,
        })
    }

    /// Group findings, most telling first.
    pub fn groups(&self) -> impl Iterator<Item = &GroupFinding> + '_ {
        self.points.iter().filter_map(|p| match p {
            MainPoint::Groups(g) => Some(g),
            _ => None,
        })
    }
}

/// One statement, ranked by its place in [`MainPoints::points`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MainPoint {
    /// The share of the primary outcome's pairs in the period who improved by at least
    /// the measure's meaningful change (or, without one, whose score moved the better way
    /// at all), with the mean change beside it.
    Headline { measure: String },
    /// The period's mean change against the previous four quarters.
    OverTime(OverTime),
    /// How the cohorts of one dimension compare.
    Groups(GroupFinding),
    /// The change in pain, the pathway's main aim, where pain is measured.
    Pain { measure: String },
    /// Opioids stopped and started, and the change in the daily dose.
    Medication,
    /// How many of the people who left support in the period answered both
    /// questionnaires of the primary outcome.
    Completion { measure: String },
    /// The primary outcome's change with no change assumed for the people who left
    /// without a later value, beside the change among those with both.
    Sensitivity {
        measure: String,
        /// Whether assuming no change for them alters the conclusion: the interval no
        /// longer excludes no change, or the mean change is less than half as large.
        changes_picture: bool,
    },
}

/// The period against the previous four quarters (methods.md section 9).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverTime {
    pub measure: String,
    /// The quarters pooled, oldest first ("2025/26 Q2" ... "2026/27 Q1").
    pub previous_quarters: Vec<String>,
    /// Mean change of the pairs completed in those quarters, pooled.
    pub previous: Based<Estimate>,
    /// Welch two-sample t test of the period's change scores against the previous
    /// quarters' (period minus previous), with its 95% interval.
    pub difference: Test<Difference>,
    pub verdict: OverTimeVerdict,
    /// Where the period's mean change is the smallest or largest of the recent quarters.
    pub extreme: Option<Extreme>,
    /// The same quarter a year earlier, by its label in the trend.
    pub year_ago: Option<String>,
}

/// A difference between two means with its 95% interval and two-sided p.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Difference {
    pub estimate: Estimate,
    pub p: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OverTimeVerdict {
    /// The interval of the difference lies below zero: a smaller change than before.
    Smaller,
    /// ... above zero: a larger change.
    Larger,
    /// The interval includes zero.
    Similar,
    /// Either side had fewer pairs than `min_n`, or the test could not be computed.
    NotTested,
}

/// The period's mean change is the smallest (or largest) of the last `quarters`
/// quarterly means, each on at least `min_n` pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Extreme {
    pub largest: bool,
    pub quarters: usize,
}

/// Which figures a finding rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Period,
    Cumulative,
}

/// How the cohorts of one dimension compare on the primary outcome (methods.md section
/// 9): the test of section 4 among the cohorts with at least `min_n` pairs. The
/// comparison of the window named holds the figures, the test and what it found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupFinding {
    pub dimension: String,
    pub dimension_label: String,
    pub measure: String,
    pub scope: Scope,
    /// The cumulative window was used because fewer than two cohorts had `min_n` pairs
    /// in the period.
    pub fell_back: bool,
}

impl GroupFinding {
    /// The comparison the finding rests on.
    pub fn comparison<'a>(
        &self,
        cohorts: &'a super::Windowed<Vec<CohortComparison>>,
    ) -> Option<&'a CohortComparison> {
        let list = match self.scope {
            Scope::Period => &cohorts.period,
            Scope::Cumulative => &cohorts.cumulative,
        };
        list.iter()
            .find(|c| c.dimension == self.dimension && c.measure == self.measure)
    }
}
