//! Why a test or figure was not computed, as data: disclosure control rounds or hides the
//! counts a reason quotes as it does every other count, and the reports say the reason in
//! words. Nothing downstream reads the words back.

use std::fmt;

use serde::Serialize;

use super::values::Count;
use sprout_stats::NotComputable;

/// Why a test did not run.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Reason {
    /// Fewer observations than the method needs.
    TooFew {
        what: String,
        needed: usize,
        n: Count,
    },
    /// Fewer pairs than the programme's `min_n`: descriptive figures only.
    BelowMinimum { min_n: usize, n: Count },
    /// A group of a comparison with fewer people than `min_n` (the attrition check).
    GroupBelowMinimum {
        group: String,
        min_n: usize,
        n: Count,
    },
    /// Fewer than two cohorts with at least `min_n` pairs.
    TooFewCohorts { min_n: usize },
    /// The values that should vary do not.
    NoVariation { what: String },
    /// Every non-zero difference tied.
    AllTied,
    /// Every paired difference is zero.
    AllZero,
    /// A comparison group has no values.
    EmptyGroup { group: String },
    /// A group has too few values for the method.
    GroupTooSmall {
        group: String,
        needed: usize,
        n: Count,
    },
    /// A group has no variation.
    GroupNoVariation { group: String },
    /// Fewer groups than the method needs.
    TooFewGroups { needed: usize, groups: usize },
    /// The model cannot be estimated (collinear or exactly fitted).
    NotEstimable { detail: String },
    /// Arithmetic overflow or a distribution function that did not converge.
    Numerical { what: String },
    /// An input the method cannot use (mismatched lengths, non-finite values, a
    /// parameter out of range).
    InvalidInput { detail: String },
    /// Nobody moved between yes and no.
    NobodyChanged,
    /// Nobody has a pair.
    NoPairs,
    /// Hidden to protect privacy: a figure it rests on is based on so few people that
    /// they might be identified.
    SmallNumbers,
    /// Not published: the report does not show it, and with the figures it does show it
    /// could give a count away.
    NotPublished,
    /// Hidden to protect privacy: a cohort in the comparison is too small to show.
    CohortHidden { hidden_below: u32 },
}

impl Reason {
    /// The counts this reason quotes, for disclosure control.
    pub fn counts_mut(&mut self) -> Option<&mut Count> {
        match self {
            Reason::TooFew { n, .. }
            | Reason::BelowMinimum { n, .. }
            | Reason::GroupBelowMinimum { n, .. }
            | Reason::GroupTooSmall { n, .. } => Some(n),
            _ => None,
        }
    }

    /// Hidden to protect privacy, as opposed to not computable from the data.
    pub fn is_privacy(&self) -> bool {
        matches!(
            self,
            Reason::SmallNumbers | Reason::CohortHidden { .. } | Reason::NotPublished
        )
    }
}

/// " (n = 4)" where the count is exact; nothing where it is rounded or hidden.
fn n_exact(n: &Count) -> String {
    match n.value {
        Some(v) if n.shown == super::Shown::Exact => format!(" (n = {v})"),
        _ => String::new(),
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::TooFew { what, needed, n } => {
                write!(f, "fewer than {needed} {what}{}", n_exact(n))
            }
            Reason::BelowMinimum { min_n, n } => write!(
                f,
                "fewer than {min_n} pairs{}: descriptive figures only, no test",
                n_exact(n)
            ),
            Reason::GroupBelowMinimum { group, min_n, n } => write!(
                f,
                "fewer than {min_n} clients in the {group} group{}: descriptive figures only, no test",
                n_exact(n)
            ),
            Reason::TooFewCohorts { min_n } => {
                write!(f, "fewer than two cohorts with at least {min_n} pairs")
            }
            Reason::NoVariation { what } => write!(f, "no variation in {what}"),
            Reason::AllTied => f.write_str("all values tied"),
            Reason::AllZero => f.write_str("all differences are zero"),
            Reason::EmptyGroup { group } => write!(f, "group '{group}' is empty"),
            Reason::GroupTooSmall { group, needed, n } => write!(
                f,
                "group '{group}' has fewer than {needed} values{}",
                n_exact(n)
            ),
            Reason::GroupNoVariation { group } => {
                write!(f, "no variation within group '{group}'")
            }
            Reason::TooFewGroups { needed, groups } => {
                write!(f, "fewer than {needed} groups (got {groups})")
            }
            Reason::NotEstimable { detail } => write!(f, "model is not estimable: {detail}"),
            Reason::Numerical { what } => {
                write!(f, "numerical overflow or non-convergence in {what}")
            }
            Reason::InvalidInput { detail } => f.write_str(detail),
            Reason::NobodyChanged => f.write_str("nobody changed between yes and no"),
            Reason::NoPairs => f.write_str("no pairs"),
            Reason::SmallNumbers => f.write_str("suppressed: small numbers"),
            Reason::NotPublished => f.write_str("not published"),
            Reason::CohortHidden { hidden_below } => write!(
                f,
                "suppressed: a cohort has fewer than {hidden_below} people"
            ),
        }
    }
}

impl From<NotComputable> for Reason {
    fn from(e: NotComputable) -> Self {
        match e {
            NotComputable::TooFew { what, needed, got } => Reason::TooFew {
                what,
                needed,
                n: Count::from(got),
            },
            NotComputable::BelowMinimum { n, min_n } => Reason::BelowMinimum {
                min_n,
                n: Count::from(n),
            },
            NotComputable::NoVariation { what } => Reason::NoVariation { what },
            NotComputable::AllTied => Reason::AllTied,
            NotComputable::AllZero => Reason::AllZero,
            NotComputable::EmptyGroup { group } => Reason::EmptyGroup { group },
            NotComputable::GroupTooSmall { group, needed, got } => Reason::GroupTooSmall {
                group,
                needed,
                n: Count::from(got),
            },
            NotComputable::GroupNoVariation { group } => Reason::GroupNoVariation { group },
            NotComputable::TooFewGroups { needed, got } => Reason::TooFewGroups {
                needed,
                groups: got,
            },
            NotComputable::Singular { detail } => Reason::NotEstimable { detail },
            NotComputable::Numerical { what } => Reason::Numerical { what },
            other @ (NotComputable::LengthMismatch { .. }
            | NotComputable::NonFinite { .. }
            | NotComputable::InvalidParameter { .. }) => Reason::InvalidInput {
                detail: other.to_string(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_read_as_before_and_lose_counts_that_are_not_exact() {
        let mut r = Reason::from(NotComputable::BelowMinimum { n: 4, min_n: 10 });
        assert_eq!(
            r.to_string(),
            "fewer than 10 pairs (n = 4): descriptive figures only, no test"
        );
        *r.counts_mut().expect("a count") = Count::suppressed();
        assert_eq!(
            r.to_string(),
            "fewer than 10 pairs: descriptive figures only, no test"
        );
        let r = Reason::from(NotComputable::GroupTooSmall {
            group: "B".into(),
            needed: 2,
            got: 1,
        });
        assert_eq!(r.to_string(), "group 'B' has fewer than 2 values (n = 1)");
    }
}
