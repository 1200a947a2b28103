//! The disclosure policies a config chooses per audience, and what each hides.

use serde::Serialize;

/// A disclosure policy (methods.md section 8), chosen per audience in the config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "policy", content = "threshold")]
pub enum DisclosurePolicy {
    /// Counts 1-7 suppressed, others rounded to 5.
    Nhs,
    /// Counts below N suppressed, no rounding.
    Threshold(u32),
    /// Nothing suppressed; pages marked as containing small numbers.
    None,
}

impl DisclosurePolicy {
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "nhs" => Some(Self::Nhs),
            "none" => Some(Self::None),
            other => other
                .strip_prefix("threshold-")
                .and_then(|n| n.parse().ok())
                .filter(|n| *n >= 1)
                .map(Self::Threshold),
        }
    }

    /// Counts from 1 up to (not including) this are hidden.
    pub fn hidden_below(self) -> Option<u32> {
        match self {
            DisclosurePolicy::Nhs => Some(8),
            DisclosurePolicy::Threshold(n) => Some(n),
            DisclosurePolicy::None => None,
        }
    }

    /// Counts shown are rounded to a multiple of this.
    pub fn rounded_to(self) -> Option<u32> {
        (self == DisclosurePolicy::Nhs).then_some(5)
    }

    /// Figures (means, percentages, tests) based on fewer people than this are hidden:
    /// the counts' threshold, or 10 where counts are rounded, since the mean of fewer
    /// than 10 whole-number scores to one decimal can tell 8 people from 9 (both shown
    /// as 10).
    pub fn figures_hidden_below(self) -> Option<u32> {
        match self {
            DisclosurePolicy::Nhs => Some(10),
            other => other.hidden_below(),
        }
    }
}
