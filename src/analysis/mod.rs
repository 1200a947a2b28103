//! Analysis: turns canonical tables into every figure of the reports (flow, reach, engagement, outcomes, medication, cohorts, trends), computed once.
