//! Statistical disclosure control (methods.md section 8), applied to a copy of the model
//! for each audience, then publication ([`publish`]) for the audiences that hide figures.
//!
//! * `nhs`: counts of 1-7 are hidden, other counts rounded to the nearest 5; means,
//!   medians, percentages and tests based on 1-7 people are hidden; a share whose
//!   numerator, or whose complement, is hidden is hidden.
//! * `threshold-N`: counts of 1 to N-1 hidden, nothing rounded.
//! * `none`: nothing changed; the report is marked as containing small numbers.
//!
//! Secondary suppression ([`lines`]): where counts add up to a total a report also shows,
//! one more count is hidden at a time — never a headline share primary suppression allows
//! — for as long as a reader could still work out a hidden count, or the exact value of a
//! rounded one, from the counts, totals and percentages shown. Under rounding that is
//! rare: rounded counts seldom pin a hidden one down.
//!
//! Everything here works on typed values: counts, shares, figures based on some number of
//! people, and typed reasons; nothing reads or rewrites text.

use sprout_config::{Config, DisclosurePolicy};
use sprout_model::*;

pub use sprout_model::FOLDED;

mod lines;
mod publish;
mod sections;

pub use lines::{Cell, exposed, share_exposed};
pub use publish::{on_shown_counts, publish};

use sprout_model::precision;

/// The rules of one policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    pub policy: DisclosurePolicy,
    /// The programme's `min_n`: the cohorts a test across cohorts takes have at least
    /// this many pairs.
    pub min_n: usize,
}

impl Rules {
    pub fn new(policy: DisclosurePolicy) -> Self {
        Self { policy, min_n: 10 }
    }

    pub fn with_min_n(self, min_n: usize) -> Self {
        Self { min_n, ..self }
    }

    /// Whether the policy hides anything (and the report is published).
    pub fn hides_any(&self) -> bool {
        self.policy.hidden_below().is_some()
    }

    /// Whether figures based on this many people are hidden.
    pub fn hides_figures(&self, n: u64) -> bool {
        self.policy
            .figures_hidden_below()
            .is_some_and(|below| n >= 1 && n < u64::from(below))
    }

    /// Whether a count this size is hidden.
    pub fn hides(&self, n: u64) -> bool {
        match self.policy {
            DisclosurePolicy::Nhs => (1..=7).contains(&n),
            DisclosurePolicy::Threshold(t) => n >= 1 && n < u64::from(t),
            DisclosurePolicy::None => false,
        }
    }

    /// Primary suppression and rounding of one count. Under rounding every count shown
    /// but zero is marked rounded, whether or not it was a multiple of 5 already, so
    /// the mark says nothing about the exact count.
    pub fn count(&self, c: &mut Count) {
        let Some(v) = c.value else { return };
        if self.hides(v) {
            *c = Count::suppressed();
        } else if self.policy.rounded_to().is_some() && v > 0 {
            *c = Count {
                value: Some(precision::nearest_five(v)),
                shown: Shown::Rounded,
            };
        }
    }

    /// A count hidden for what it would reveal, not for its own size.
    fn hide(c: &mut Count) {
        *c = Count::suppressed();
    }

    /// A share: counts as counts; the proportion hidden with its numerator, its complement
    /// (those not in the share: "85% of 20" would reveal 3) or a base of 1-7 people.
    /// Where the policy hides anything, the proportion and its interval are then kept only
    /// as the reports show them ([`precision::share_percent`]); and where the rounded
    /// numerator beside the percentage would still give the exact counts away, the
    /// numerator is withheld and the percentage stands alone.
    pub fn share(&self, s: &mut Share) {
        let exposed = match (s.numerator.value, s.denominator.value) {
            (Some(k), Some(n)) => share_exposed(self, k, n),
            _ => false,
        };
        self.share_with_count(s);
        if exposed && s.proportion.is_some() {
            s.numerator = Count::withheld();
        }
    }

    /// A share whose numerator is shown as a count beside it (a category of a breakdown):
    /// where the two together would give the exact counts away, the percentage is hidden
    /// and the count stands alone.
    fn share_of_count(&self, s: &mut Share) {
        let exposed = match (s.numerator.value, s.denominator.value) {
            (Some(k), Some(n)) => share_exposed(self, k, n),
            _ => false,
        };
        self.share_with_count(s);
        if exposed {
            Self::hide_share(s);
        }
    }

    fn share_with_count(&self, s: &mut Share) {
        let complement = match (s.numerator.value, s.denominator.value) {
            (Some(n), Some(d)) => Some(d.saturating_sub(n)),
            _ => None,
        };
        let hide = s.numerator.value.is_some_and(|n| self.hides(n))
            || s.denominator.value.is_some_and(|n| self.hides_figures(n))
            || complement.is_some_and(|c| self.hides(c))
            || s.numerator.is_suppressed()
            || s.denominator.is_suppressed();
        if self.hides_any()
            && !hide
            && let (Some(k), Some(n)) = (s.numerator.value, s.denominator.value)
        {
            s.proportion = precision::share_percent(k, n).map(|p| p as f64 / 100.0);
            if s.ci.is_some() {
                s.ci = precision::share_interval(k, n)
                    .map(|(l, u)| (l as f64 / 100.0, u as f64 / 100.0));
            }
        }
        self.count(&mut s.numerator);
        self.count(&mut s.denominator);
        if hide {
            Self::hide_share(s);
        }
    }

    fn hide_share(s: &mut Share) {
        s.numerator = Count::suppressed();
        s.proportion = None;
        s.ci = None;
    }

    /// A figure computed from `n` people.
    pub fn based<T>(&self, b: &mut Based<T>) {
        let hide = b.n.value.is_some_and(|n| self.hides_figures(n));
        self.count(&mut b.n);
        if hide {
            b.value = None;
        }
    }

    fn opt_based<T>(&self, b: &mut Option<Based<T>>) {
        if let Some(b) = b {
            self.based(b);
        }
    }

    fn opt_share(&self, s: &mut Option<Share>) {
        if let Some(s) = s {
            self.share(s);
        }
    }

    /// Whether figures based on `n` (before suppression) must be hidden.
    fn hides_base(&self, n: &Count) -> bool {
        n.value.is_some_and(|v| self.hides_figures(v)) || n.is_suppressed()
    }

    /// Secondary suppression of counts that add up to `total` (see [`lines::protect`]);
    /// `hidden` starts as the primary suppression and ends as what to hide. Returns
    /// whether the total must be hidden too.
    pub fn line(
        &self,
        exact: &[u64],
        hidden: &mut [bool],
        kept: &[bool],
        total: u64,
        percents: bool,
    ) -> bool {
        if !self.hides_any() {
            return false;
        }
        lines::protect(self, exact, hidden, kept, total, percents)
    }

    /// Shares of one base that add up to it (categories of one classification), with
    /// secondary suppression; `kept[i]`: never hidden to protect another (a headline).
    pub fn share_line(&self, mut shares: Vec<&mut Share>, kept: &[bool]) {
        let Some(base) = shares.first().and_then(|s| s.denominator.value) else {
            shares.iter_mut().for_each(|s| self.share(s));
            return;
        };
        let exact: Vec<u64> = shares
            .iter()
            .map(|s| s.numerator.value.unwrap_or(0))
            .collect();
        let mut hidden: Vec<bool> = shares
            .iter()
            .map(|s| {
                let mut copy = **s;
                self.share(&mut copy);
                copy.numerator.is_suppressed()
            })
            .collect();
        self.line(&exact, &mut hidden, kept, base, true);
        for (s, hide) in shares.iter_mut().zip(hidden) {
            self.share(s);
            if hide {
                Self::hide_share(s);
            }
        }
    }

    /// A distribution's bins: under a policy that hides small counts, a bin of 1 to the
    /// threshold is merged with its smaller neighbour until none is left, so the chart
    /// keeps its shape without a hidden bar; counts are then rounded as usual. A
    /// distribution of too few people to show at all is dropped.
    pub fn bins(&self, bins: &mut Vec<Bin>) {
        if self.policy == DisclosurePolicy::None {
            return;
        }
        let small = |b: &Bin| b.count.value.is_some_and(|v| self.hides(v));
        while let Some(i) = bins.iter().position(small) {
            if bins.len() == 1 {
                bins.clear();
                return;
            }
            let value = |j: usize| bins[j].count.value.unwrap_or(0);
            let j = if i == 0 {
                1
            } else if i + 1 == bins.len() || value(i - 1) <= value(i + 1) {
                i - 1
            } else {
                i + 1
            };
            let (lo, hi) = (i.min(j), i.max(j));
            let merged = Bin {
                lower: bins[lo].lower,
                upper: bins[hi].upper,
                count: Count::new(value(lo) + value(hi)),
            };
            bins[lo] = merged;
            bins.remove(hi);
        }
        for b in bins.iter_mut() {
            self.count(&mut b.count);
        }
    }

    /// Folds the categories too small to show into one "other" row, so that their labels
    /// (text from the export) are not published beside a hidden count.
    pub fn merge_small(&self, b: &mut Breakdown) {
        if self.policy == DisclosurePolicy::None {
            return;
        }
        let (small, kept): (Vec<Part>, Vec<Part>) = std::mem::take(&mut b.parts)
            .into_iter()
            .partition(|p| p.count.value.is_some_and(|v| self.hides(v)));
        b.parts = kept;
        if !small.is_empty() {
            let n: u64 = small.iter().filter_map(|p| p.count.value).sum();
            let total = b.total.value.unwrap_or(0);
            b.parts.push(Part {
                key: FOLDED.into(),
                label: folded_label(small.len()),
                count: Count::new(n),
                share: Share::new(n, total),
            });
        }
    }

    /// Counts of a breakdown with its total (each with its share of the total), with
    /// secondary suppression.
    pub fn breakdown(&self, b: &mut Breakdown) {
        let exact: Vec<u64> = b.parts.iter().map(|p| p.count.value.unwrap_or(0)).collect();
        let mut hidden: Vec<bool> = exact.iter().map(|v| self.hides(*v)).collect();
        let total = b.total.value.unwrap_or(0);
        let total_hidden = self.line(&exact, &mut hidden, &[], total, true);
        for (part, hide) in b.parts.iter_mut().zip(&hidden) {
            self.share_of_count(&mut part.share);
            self.count(&mut part.count);
            if *hide {
                part.count = Count::suppressed();
                Self::hide_share(&mut part.share);
            }
        }
        if total_hidden {
            Self::hide(&mut b.total);
            for part in &mut b.parts {
                Self::hide_share(&mut part.share);
            }
        } else {
            self.count(&mut b.total);
        }
    }

    /// A cross-tabulation: every row and column is a line with a total, and the totals
    /// are a line of their own with the grand total.
    pub fn crosstab(&self, t: &mut CrossTab) {
        let exact: Vec<Vec<u64>> = t
            .cells
            .iter()
            .map(|r| r.iter().map(|c| c.value.unwrap_or(0)).collect())
            .collect();
        let columns = t.column_keys.len();
        let mut hidden: Vec<Vec<bool>> = exact
            .iter()
            .map(|r| r.iter().map(|v| self.hides(*v)).collect())
            .collect();
        let row_exact: Vec<u64> = t.row_totals.iter().map(|c| c.value.unwrap_or(0)).collect();
        let column_exact: Vec<u64> = t
            .column_totals
            .iter()
            .map(|c| c.value.unwrap_or(0))
            .collect();
        let grand = t.total.value.unwrap_or(0);
        let mut row_hidden: Vec<bool> = row_exact.iter().map(|v| self.hides(*v)).collect();
        let mut column_hidden: Vec<bool> = column_exact.iter().map(|v| self.hides(*v)).collect();
        let mut grand_hidden = self.hides(grand);
        // Rows, columns and the totals in turn, until nothing more needs hiding.
        for _ in 0..(t.row_keys.len() + columns + 2) * 2 {
            let before = (hidden.clone(), row_hidden.clone(), column_hidden.clone());
            for (r, row) in exact.iter().enumerate() {
                if !row_hidden[r] {
                    row_hidden[r] = self.line(row, &mut hidden[r], &[], row_exact[r], false);
                }
            }
            for c in 0..columns {
                let column: Vec<u64> = exact.iter().map(|r| r[c]).collect();
                let mut col: Vec<bool> = hidden.iter().map(|r| r[c]).collect();
                if !column_hidden[c] {
                    column_hidden[c] = self.line(&column, &mut col, &[], column_exact[c], false);
                }
                for (r, h) in col.into_iter().enumerate() {
                    hidden[r][c] = h;
                }
            }
            // A line whose total is hidden but which still has a lone hidden cell: the
            // totals themselves are lines with the grand total.
            if !grand_hidden {
                grand_hidden = self.line(&row_exact, &mut row_hidden, &[], grand, false);
            }
            if !grand_hidden {
                grand_hidden = self.line(&column_exact, &mut column_hidden, &[], grand, false);
            }
            if (hidden.clone(), row_hidden.clone(), column_hidden.clone()) == before {
                break;
            }
        }
        for (r, row) in t.cells.iter_mut().enumerate() {
            for (c, cell) in row.iter_mut().enumerate() {
                if hidden[r][c] {
                    Self::hide(cell);
                } else {
                    self.count(cell);
                }
            }
        }
        for (c, h) in t.row_totals.iter_mut().zip(&row_hidden) {
            if *h { Self::hide(c) } else { self.count(c) }
        }
        for (c, h) in t.column_totals.iter_mut().zip(&column_hidden) {
            if *h { Self::hide(c) } else { self.count(c) }
        }
        if grand_hidden {
            Self::hide(&mut t.total)
        } else {
            self.count(&mut t.total)
        }
    }
}

/// The label of the row `k` categories too small to show are folded into.
fn folded_label(k: usize) -> String {
    match k {
        1 => "Other (1 smaller group)".to_owned(),
        _ => format!("Other ({k} smaller groups)"),
    }
}

/// Replaces the rows marked `small` by one row made by `folded` from how many there were,
/// placed last.
fn fold<T>(rows: &mut Vec<T>, small: &[bool], folded: impl FnOnce(usize) -> T) {
    let k = small.iter().filter(|s| **s).count();
    if k == 0 {
        return;
    }
    let mut flags = small.iter();
    rows.retain(|_| !flags.next().copied().unwrap_or(false));
    rows.push(folded(k));
}

/// Applies disclosure control to every figure of a model part.
pub trait Disclose {
    fn disclose(&mut self, rules: &Rules);
}

impl<T: Disclose> Disclose for Vec<T> {
    fn disclose(&mut self, rules: &Rules) {
        self.iter_mut().for_each(|x| x.disclose(rules));
    }
}

impl<T: Disclose> Disclose for Option<T> {
    fn disclose(&mut self, rules: &Rules) {
        if let Some(x) = self {
            x.disclose(rules);
        }
    }
}

impl<T: Disclose> Disclose for sprout_model::Windowed<T> {
    fn disclose(&mut self, rules: &Rules) {
        self.period.disclose(rules);
        self.cumulative.disclose(rules);
    }
}

/// The model for one audience: the evaluator's as configured, the trustees' and
/// commissioners' with their disclosure policy applied.
pub fn for_audience(model: &ReportModel, audience: Audience, config: &Config) -> ReportModel {
    let (policy, internal) = match audience {
        Audience::Evaluator => (
            config.disclosure.evaluator,
            config.disclosure.evaluator_internal,
        ),
        Audience::Trustee => (config.disclosure.trustee, false),
        Audience::Commissioner => (config.disclosure.commissioner, false),
    };
    let mut copy = model.clone();
    copy.meta.audience = audience;
    copy.meta.disclosure = DisclosureNote::new(policy, internal);
    let rules = Rules::new(policy).with_min_n(config.programme.min_n);
    on_shown_counts(&mut copy, &rules);
    copy.disclose(&rules);
    publish(&mut copy);
    copy
}

#[cfg(test)]
mod tests;
