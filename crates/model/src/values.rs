//! The kinds of number a report shows, each carrying what disclosure control needs to
//! know: a count, a share of a base, a figure computed from some number of people, and
//! tables of counts with their totals.

use serde::{Deserialize, Serialize};

use super::precision;

/// How a count is shown after disclosure control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shown {
    /// The exact value.
    #[default]
    Exact,
    /// Rounded (to the nearest 5 under the `nhs` policy).
    Rounded,
    /// Hidden to protect privacy: shown as `[c]`.
    Suppressed,
    /// Not published: the reports show only the percentage this count is the
    /// numerator of, and the count beside it would give the exact figures away.
    Withheld,
}

/// A number of people or events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    /// `None` when suppressed.
    pub value: Option<u64>,
    #[serde(default, skip_serializing_if = "is_exact")]
    pub shown: Shown,
}

fn is_exact(s: &Shown) -> bool {
    *s == Shown::Exact
}

impl Count {
    pub fn new(value: u64) -> Self {
        Self {
            value: Some(value),
            shown: Shown::Exact,
        }
    }

    pub fn suppressed() -> Self {
        Self {
            value: None,
            shown: Shown::Suppressed,
        }
    }

    pub fn is_suppressed(&self) -> bool {
        self.shown == Shown::Suppressed
    }

    /// Not published, though the percentage it is part of may be.
    pub fn withheld() -> Self {
        Self {
            value: None,
            shown: Shown::Withheld,
        }
    }
}

impl From<u64> for Count {
    fn from(v: u64) -> Self {
        Count::new(v)
    }
}

impl From<usize> for Count {
    fn from(v: usize) -> Self {
        Count::new(v as u64)
    }
}

/// A part of a whole: `numerator` of `denominator`, with the proportion (0-1) and, where
/// useful, a Wilson 95% interval. Suppressed when the numerator is suppressed or the base
/// is 1-7 people.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Share {
    pub numerator: Count,
    pub denominator: Count,
    /// `None` when suppressed or the denominator is zero.
    pub proportion: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ci: Option<(f64, f64)>,
}

impl Share {
    pub fn new(numerator: u64, denominator: u64) -> Self {
        Self {
            numerator: Count::new(numerator),
            denominator: Count::new(denominator),
            proportion: (denominator > 0).then(|| numerator as f64 / denominator as f64),
            ci: None,
        }
    }

    /// With a Wilson 95% interval when the base is at least `min_n` (else descriptive only).
    pub fn gated(numerator: u64, denominator: u64, min_n: usize) -> Self {
        if (denominator as usize) < min_n {
            Self::new(numerator, denominator)
        } else {
            Self::with_ci(numerator, denominator)
        }
    }

    /// With a Wilson 95% interval.
    pub fn with_ci(numerator: u64, denominator: u64) -> Self {
        let ci = sprout_stats::wilson_ci(numerator, denominator, 0.95)
            .ok()
            .map(|p| (p.ci.lower, p.ci.upper));
        Self {
            ci,
            ..Self::new(numerator, denominator)
        }
    }

    pub fn is_suppressed(&self) -> bool {
        self.proportion.is_none()
            && (self.numerator.is_suppressed() || self.denominator.is_suppressed())
    }

    /// The share in percent as every report shows it (see [`precision::share_percent`]):
    /// from the counts where both are exact, else from the proportion as published,
    /// which disclosure control has already rounded so.
    pub fn percent(&self) -> Option<u64> {
        let p = self.proportion?;
        match (self.numerator, self.denominator) {
            (
                Count {
                    value: Some(k),
                    shown: Shown::Exact,
                },
                Count {
                    value: Some(n),
                    shown: Shown::Exact,
                },
            ) if n > 0 => precision::share_percent(k, n),
            _ => Some(precision::round(p * 100.0, 0) as u64),
        }
    }

    /// The interval in percent as every report shows it: the Wilson interval of the
    /// percentage as shown on the base as shown ([`precision::share_interval`]), where
    /// the share has an interval at all.
    pub fn percent_ci(&self) -> Option<(u64, u64)> {
        self.ci?;
        let base = self.denominator.value?;
        match self.numerator {
            Count {
                value: Some(k),
                shown: Shown::Exact,
            } if self.denominator.shown == Shown::Exact => precision::share_interval(k, base),
            _ => precision::interval_of_shown(self.percent()?, base),
        }
    }
}

/// A figure computed from `n` people (a mean, a median, a test): hidden when `n` is 1-7
/// under a suppressing policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Based<T> {
    pub n: Count,
    /// `None` when suppressed.
    pub value: Option<T>,
}

impl<T> Based<T> {
    pub fn new(n: usize, value: T) -> Self {
        Self {
            n: Count::from(n),
            value: Some(value),
        }
    }

    pub fn is_suppressed(&self) -> bool {
        self.value.is_none() && self.n.is_suppressed()
    }
}

/// One row of a [`Breakdown`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Part {
    /// Stable key (canonical value), e.g. `face_to_face`, `not_recorded`.
    pub key: String,
    /// Display label.
    pub label: String,
    pub count: Count,
    /// Share of the breakdown's total.
    pub share: Share,
}

/// Counts by category with their total (age bands, contact modes, discharge reasons).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    pub total: Count,
    pub parts: Vec<Part>,
}

impl Breakdown {
    /// From (key, label, count) in display order.
    pub fn from_counts(parts: Vec<(String, String, u64)>) -> Self {
        let total: u64 = parts.iter().map(|p| p.2).sum();
        Self {
            total: Count::new(total),
            parts: parts
                .into_iter()
                .map(|(key, label, n)| Part {
                    key,
                    label,
                    count: Count::new(n),
                    share: Share::new(n, total),
                })
                .collect(),
        }
    }
}

/// Counts by two categories, with row and column totals (e.g. contact mode by phase).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrossTab {
    pub row_keys: Vec<String>,
    pub row_labels: Vec<String>,
    pub column_keys: Vec<String>,
    pub column_labels: Vec<String>,
    /// `cells[row][column]`.
    pub cells: Vec<Vec<Count>>,
    pub row_totals: Vec<Count>,
    pub column_totals: Vec<Count>,
    pub total: Count,
}

impl CrossTab {
    /// From counts `cells[row][column]`.
    pub fn from_counts(
        rows: Vec<(String, String)>,
        columns: Vec<(String, String)>,
        cells: Vec<Vec<u64>>,
    ) -> Self {
        let row_totals: Vec<u64> = cells.iter().map(|r| r.iter().sum()).collect();
        let column_totals: Vec<u64> = (0..columns.len())
            .map(|c| cells.iter().map(|r| r.get(c).copied().unwrap_or(0)).sum())
            .collect();
        let total = row_totals.iter().sum();
        Self {
            row_keys: rows.iter().map(|r| r.0.clone()).collect(),
            row_labels: rows.into_iter().map(|r| r.1).collect(),
            column_keys: columns.iter().map(|c| c.0.clone()).collect(),
            column_labels: columns.into_iter().map(|c| c.1).collect(),
            cells: cells
                .into_iter()
                .map(|r| r.into_iter().map(Count::new).collect())
                .collect(),
            row_totals: row_totals.into_iter().map(Count::new).collect(),
            column_totals: column_totals.into_iter().map(Count::new).collect(),
            total: Count::new(total),
        }
    }
}

/// Median and quartiles of a per-person quantity (sessions per client, weeks of support),
/// and the mean, which is not published where counts are protected (with the total it
/// divides, it gives the number of people).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    pub median: f64,
    pub q1: f64,
    pub q3: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean: Option<f64>,
}

impl Spread {
    pub fn of(values: &[f64]) -> Option<Based<Spread>> {
        let d = sprout_stats::describe(values).ok()?;
        Some(Based::new(
            values.len(),
            Spread {
                median: d.median,
                q1: d.q1,
                q3: d.q3,
                mean: Some(d.mean),
            },
        ))
    }
}

/// The key of the row that small categories of export text are folded into by disclosure
/// control.
pub const FOLDED: &str = "other_small";
