//! The statistics engine: pure functions over slices, each matching an R function.
//!
//! Conventions are those of `spec/methods.md` (sections 2 to 6); R is the reference and
//! `tests/fixtures/stats/` holds the R-generated cases every function is checked against.
//!
//! * Inputs are plain `&[f64]` (and small structs). Missing values must be removed
//!   before calling; NaN or infinity is rejected with [`NotComputable::NonFinite`].
//! * Every statistic returns a [`StatResult`]: a value or a typed, serialisable
//!   [`NotComputable`] reason. No function returns NaN or infinity or panics on finite
//!   input, whatever its size (empty, n = 1, all equal, > 10^5 values).
//! * Rank-based tests round their inputs (paired differences, or the values compared
//!   between groups) to 9 decimals first ([`round9`]), so floating-point noise never
//!   breaks a tie. Means, SDs and t tests use the unrounded values.
//! * p-values are two-sided. Upper tails are computed directly so p-values far below
//!   1e-10 keep their relative accuracy. The normal and chi-squared distributions are
//!   `statrs`'; t, F and binomial tails go through the incomplete beta function in
//!   `dist`, which keeps `statrs`' continued fraction but avoids its loss of accuracy at
//!   large degrees of freedom (see that module).
//! * Results serialise with serde; a [`StatResult`] becomes `{"Ok": ...}` or
//!   `{"Err": {"reason": "too_few", ...}}`.
//!
//! | Area | Functions | R reference |
//! |------|-----------|-------------|
//! | descriptive | [`describe`], [`quantile_type7`] | `mean`, `sd`, `median`, `quantile(type = 7)` |
//! | paired continuous | [`paired_comparison`], [`paired_t`], [`mean_change`], [`wilcoxon_signed_rank`], [`cohens_dz`], [`cohens_d_av`] | `t.test(paired = TRUE)`, `wilcox.test(paired = TRUE)` |
//! | change classes | [`meaningful_change`], [`reliable_change`] | by formula |
//! | binary paired | [`binary_paired_comparison`], [`mcnemar_exact`], [`paired_proportion_difference`], [`wilson_ci`] | `binom.test`, by formula |
//! | two groups | [`welch_t`], [`mann_whitney`], [`standardised_mean_difference`] | `t.test`, `wilcox.test` |
//! | k groups | [`welch_anova`], [`kruskal_wallis`] | `oneway.test`, `kruskal.test` |
//! | baseline-adjusted | [`ancova`] | `anova(lm(to ~ from + cohort))`, `predict.lm` |
//! | multiplicity | [`holm`], [`benjamini_hochberg`], [`p_adjust`] | `p.adjust` |

mod adjust;
mod ancova;
mod binary;
mod change;
mod comparison;
mod descriptive;
mod dist;
mod error;
mod groups;
mod numeric;
mod paired;
mod ranksum;
mod wilcoxon;

use serde::{Deserialize, Serialize};

pub use adjust::{PAdjustMethod, benjamini_hochberg, holm, p_adjust};
pub use ancova::{AdjustedChange, Ancova, ancova};
pub use binary::{
    BinaryComparison, McNemar, PairedCounts, Proportion, ProportionDifference,
    binary_paired_comparison, mcnemar_exact, paired_proportion_difference, wilson_ci,
};
pub use change::{ChangeClassification, ReliableChange, meaningful_change, reliable_change};
pub use comparison::{PairedComparison, PairedOptions, paired_comparison};
pub use descriptive::{Descriptives, describe, quantile_type7};
pub use dist::{t_two_sided_p, t_upper_quantile};
pub use error::{NotComputable, StatResult};
pub use groups::{
    FTest, KruskalWallis, kruskal_wallis, standardised_mean_difference, welch_anova, welch_t,
};
pub use numeric::round9;
pub use paired::{
    AveragedD, CohensDz, MeanChange, TTest, cohens_d_av, cohens_dz, mean_change, mean_interval,
    paired_t,
};
pub use ranksum::{MannWhitney, mann_whitney};
pub use wilcoxon::{WilcoxonSignedRank, wilcoxon_signed_rank};

/// Which way is better on a measure's scale. Config spelling: `better = "higher" |
/// "lower"` (the long forms `higher_is_better` / `lower_is_better` are accepted too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Higher scores are better (e.g. WEMWBS wellbeing).
    #[default]
    #[serde(alias = "higher")]
    HigherIsBetter,
    /// Lower scores are better (e.g. PHQ-9 depression, loneliness).
    #[serde(alias = "lower")]
    LowerIsBetter,
}

impl Direction {
    /// True when a change `d = to - from` is in the better direction.
    pub fn improved(self, change: f64) -> bool {
        self.signed_improvement(change) > 0.0
    }

    /// The change expressed so that positive means "better".
    pub fn signed_improvement(self, change: f64) -> f64 {
        match self {
            Direction::HigherIsBetter => change,
            Direction::LowerIsBetter => -change,
        }
    }
}

/// A confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Lower limit.
    pub lower: f64,
    /// Upper limit.
    pub upper: f64,
    /// Confidence level, e.g. 0.95.
    pub level: f64,
}

impl Interval {
    /// `estimate ± half_width`.
    fn around(estimate: f64, half_width: f64, level: f64) -> Self {
        Self {
            lower: estimate - half_width,
            upper: estimate + half_width,
            level,
        }
    }

    /// Whether `value` lies inside the interval (limits included).
    pub fn contains(&self, value: f64) -> bool {
        self.lower <= value && value <= self.upper
    }
}

/// How a rank test's p-value was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RankMethod {
    /// Exact permutation distribution (no ties, no zeros, fewer than 50 values).
    Exact,
    /// Normal approximation with tie and continuity corrections.
    Normal,
}

/// One labelled group of values, e.g. the change scores of one cohort.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample<'a> {
    /// Group label, used in "not computable" reasons.
    pub label: &'a str,
    /// The values.
    pub values: &'a [f64],
}

/// One labelled group of pairs, e.g. one cohort's baseline and discharge scores.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairedSample<'a> {
    /// Group label.
    pub label: &'a str,
    /// Values at the *from* timepoint.
    pub from: &'a [f64],
    /// Values at the *to* timepoint, parallel to `from`.
    pub to: &'a [f64],
}

/// Checks a confidence level lies strictly between 0 and 1; returns the two-sided tail
/// probability (1 - level) / 2.
fn tail_for(conf_level: f64) -> StatResult<f64> {
    if conf_level > 0.0 && conf_level < 1.0 {
        Ok((1.0 - conf_level) / 2.0)
    } else {
        Err(NotComputable::invalid("confidence level", conf_level))
    }
}

/// Checks `from` and `to` are parallel and finite, and returns the raw changes `to - from`.
fn changes(from: &[f64], to: &[f64]) -> StatResult<Vec<f64>> {
    if from.len() != to.len() {
        return Err(NotComputable::LengthMismatch {
            what: "from and to".into(),
            left: from.len(),
            right: to.len(),
        });
    }
    numeric::check_finite(from, "from values")?;
    numeric::check_finite(to, "to values")?;
    let d: Vec<f64> = to.iter().zip(from).map(|(t, f)| t - f).collect();
    numeric::check_finite(&d, "changes")?;
    Ok(d)
}
