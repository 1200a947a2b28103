//! The statistical methods a report names: typed, so that code compares values rather
//! than wording, and written in `report.json` (and the reports) as their names.

use std::fmt;

use serde::{Serialize, Serializer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    PairedT,
    Wilcoxon,
    /// A paired comparison that could not be made at all (no pairs).
    PairedComparison,
    WelchT,
    MannWhitney,
    WelchAnova,
    KruskalWallis,
    Ancova,
    McNemar,
}

impl Method {
    pub fn name(self) -> &'static str {
        match self {
            Self::PairedT => "paired t test",
            Self::Wilcoxon => "Wilcoxon signed-rank test",
            Self::PairedComparison => "paired comparison",
            Self::WelchT => "Welch t test",
            Self::MannWhitney => "Mann-Whitney U test",
            Self::WelchAnova => "Welch one-way ANOVA",
            Self::KruskalWallis => "Kruskal-Wallis test",
            Self::Ancova => "ANCOVA (later value on baseline and cohort)",
            Self::McNemar => "exact McNemar test",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Method {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}
