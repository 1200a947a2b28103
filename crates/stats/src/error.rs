//! Why a statistic could not be computed.

use serde::{Deserialize, Serialize};

/// The result of every statistic: a value, or the reason it is not computable.
///
/// With serde the two cases serialise as `{"Ok": ...}` and `{"Err": {"reason": ...}}`.
pub type StatResult<T> = Result<T, NotComputable>;

/// A statistic that cannot be computed from the data given, with the reason in words.
///
/// Every function in [`crate::stats`] returns this instead of NaN, infinity or a panic.
/// The `Display` text is written for a report reader ("fewer than 2 pairs (n = 1)").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum NotComputable {
    /// Fewer observations than the method needs.
    #[error("fewer than {needed} {what} (n = {got})")]
    TooFew {
        /// What is being counted, e.g. "pairs", "non-zero differences".
        what: String,
        /// Minimum the method needs.
        needed: usize,
        /// Number available.
        got: usize,
    },
    /// Fewer pairs than the configured `min_n`: descriptive figures only, no test.
    #[error("fewer than {min_n} pairs (n = {n}): descriptive figures only, no test")]
    BelowMinimum {
        /// Pairs available.
        n: usize,
        /// Configured minimum for inferential statistics.
        min_n: usize,
    },
    /// The values that should vary do not (zero variance, or essentially constant as
    /// R's `t.test` judges it).
    #[error("no variation in {what}")]
    NoVariation {
        /// Which values, e.g. "change scores", "baseline scores".
        what: String,
    },
    /// Every non-zero value tied, so a rank test has no variance.
    #[error("all values tied")]
    AllTied,
    /// Every paired difference is zero (after rounding to 9 decimals).
    #[error("all differences are zero")]
    AllZero,
    /// A comparison group has no values.
    #[error("group '{group}' is empty")]
    EmptyGroup {
        /// Label of the empty group.
        group: String,
    },
    /// A group has too few values for the method.
    #[error("group '{group}' has fewer than {needed} values (n = {got})")]
    GroupTooSmall {
        /// Label of the group.
        group: String,
        /// Minimum the method needs per group.
        needed: usize,
        /// Values in the group.
        got: usize,
    },
    /// A group has no variation, which this method cannot handle.
    #[error("no variation within group '{group}'")]
    GroupNoVariation {
        /// Label of the group.
        group: String,
    },
    /// Fewer groups than the method needs.
    #[error("fewer than {needed} groups (got {got})")]
    TooFewGroups {
        /// Minimum number of groups.
        needed: usize,
        /// Number of groups given.
        got: usize,
    },
    /// Two inputs that must be parallel have different lengths.
    #[error("{what}: lengths differ ({left} vs {right})")]
    LengthMismatch {
        /// Which inputs.
        what: String,
        /// Length of the first.
        left: usize,
        /// Length of the second.
        right: usize,
    },
    /// NaN or infinity in the input; missing values must be removed before calling.
    #[error("non-finite value in {what}")]
    NonFinite {
        /// Which input.
        what: String,
    },
    /// A parameter outside its valid range (confidence level, reliability, MCID, p-value).
    #[error("invalid {what}: {value}")]
    InvalidParameter {
        /// Which parameter.
        what: String,
        /// The offending value, as text.
        value: String,
    },
    /// The ANCOVA design matrix is rank deficient (e.g. baseline constant, or baseline
    /// collinear with cohort).
    #[error("model is not estimable: {detail}")]
    Singular {
        /// What is collinear.
        detail: String,
    },
    /// The arithmetic left the range of finite numbers (values near 1e308) or a
    /// distribution function did not converge.
    #[error("numerical overflow or non-convergence in {what}")]
    Numerical {
        /// Which computation.
        what: String,
    },
}

impl NotComputable {
    pub(crate) fn too_few(what: &str, needed: usize, got: usize) -> Self {
        Self::TooFew {
            what: what.to_owned(),
            needed,
            got,
        }
    }

    pub(crate) fn no_variation(what: &str) -> Self {
        Self::NoVariation {
            what: what.to_owned(),
        }
    }

    pub(crate) fn non_finite(what: &str) -> Self {
        Self::NonFinite {
            what: what.to_owned(),
        }
    }

    pub(crate) fn invalid(what: &str, value: impl std::fmt::Display) -> Self {
        Self::InvalidParameter {
            what: what.to_owned(),
            value: value.to_string(),
        }
    }

    pub(crate) fn numerical(what: &str) -> Self {
        Self::Numerical {
            what: what.to_owned(),
        }
    }
}

/// Turns a non-finite intermediate result into [`NotComputable::Numerical`].
pub(crate) fn finite(value: f64, what: &str) -> StatResult<f64> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(NotComputable::numerical(what))
    }
}

/// Unwraps a distribution function's answer, which is `None` only on overflow or
/// non-convergence.
pub(crate) fn converged(value: Option<f64>, what: &str) -> StatResult<f64> {
    value
        .filter(|v| v.is_finite())
        .ok_or_else(|| NotComputable::numerical(what))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_well() {
        assert_eq!(
            NotComputable::too_few("pairs", 2, 1).to_string(),
            "fewer than 2 pairs (n = 1)"
        );
        assert_eq!(
            NotComputable::no_variation("change scores").to_string(),
            "no variation in change scores"
        );
        assert_eq!(
            NotComputable::EmptyGroup { group: "x".into() }.to_string(),
            "group 'x' is empty"
        );
    }

    #[test]
    fn non_finite_values_are_caught() {
        assert!(finite(f64::NAN, "mean").is_err());
        assert!(converged(None, "pt").is_err());
        assert_eq!(finite(1.5, "mean"), Ok(1.5));
    }
}
