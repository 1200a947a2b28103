//! Statistical disclosure control (methods.md section 8), applied to a copy of the model
//! for each audience.
//!
//! * `nhs`: counts of 1-7 are suppressed (`*`), other counts rounded to the nearest 5;
//!   means, medians, percentages and tests based on 1-7 people are suppressed; a share
//!   whose numerator is suppressed is suppressed.
//! * `threshold-N`: counts of 1 to N-1 suppressed, nothing rounded.
//! * `none`: nothing changed; the report is marked as containing small numbers.
//!
//! Secondary suppression: where a total is shown and a row or column of counts has exactly
//! one suppressed cell, the next smallest non-zero cell is suppressed too (or, if there is
//! none, the total), so a hidden cell cannot be recovered by subtraction.

use serde::Serialize;

use super::ReportModel;
use super::quality::*;
use super::sections::*;
use super::values::*;

/// The key of the row that small categories of export text are folded into.
pub const FOLDED: &str = "other_small";

/// A disclosure policy (methods.md section 8), chosen per audience in the config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "policy", content = "threshold")]
pub enum Policy {
    /// Counts 1-7 suppressed, others rounded to 5.
    Nhs,
    /// Counts below N suppressed, no rounding.
    Threshold(u32),
    /// Nothing suppressed; pages marked as containing small numbers.
    None,
}

impl Policy {
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
            Policy::Nhs => Some(8),
            Policy::Threshold(n) => Some(n),
            Policy::None => None,
        }
    }

    /// Counts shown are rounded to a multiple of this.
    pub fn rounded_to(self) -> Option<u32> {
        (self == Policy::Nhs).then_some(5)
    }
}

use Policy as DisclosurePolicy;

/// The rules of one policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    pub policy: DisclosurePolicy,
}

impl Rules {
    pub fn new(policy: DisclosurePolicy) -> Self {
        Self { policy }
    }

    /// A reason a test did not run, without the exact count it quotes ("fewer than 10
    /// pairs (n = 4)" becomes "fewer than 10 pairs") wherever counts are protected.
    pub fn reason(&self, reason: &mut String) {
        if self.policy == DisclosurePolicy::None {
            return;
        }
        let mut out = String::with_capacity(reason.len());
        let mut rest = reason.as_str();
        while let Some(start) = rest.find(" (n = ") {
            let after = &rest[start + 6..];
            let digits = after.chars().take_while(char::is_ascii_digit).count();
            if digits > 0 && after[digits..].starts_with(')') {
                out.push_str(&rest[..start]);
                rest = &after[digits + 1..];
            } else {
                out.push_str(&rest[..start + 6]);
                rest = after;
            }
        }
        out.push_str(rest);
        *reason = out;
    }

    /// Whether a count this size is hidden.
    pub fn hides(&self, n: u64) -> bool {
        match self.policy {
            DisclosurePolicy::Nhs => (1..=7).contains(&n),
            DisclosurePolicy::Threshold(t) => n >= 1 && n < u64::from(t),
            DisclosurePolicy::None => false,
        }
    }

    /// Primary suppression and rounding of one count.
    pub fn count(&self, c: &mut Count) {
        let Some(v) = c.value else { return };
        if self.hides(v) {
            *c = Count::suppressed();
        } else if self.policy == DisclosurePolicy::Nhs && v % 5 != 0 {
            *c = Count {
                value: Some((v + 2) / 5 * 5),
                shown: Shown::Rounded,
            };
        }
    }

    /// A share: counts as counts; the proportion hidden with its numerator, its complement
    /// (those not in the share: "85% of 20" would reveal 3) or a base of 1-7 people. Under
    /// `nhs` the proportion and its interval are shown to whole percents, so that with
    /// rounded counts they cannot be worked back to exact ones.
    pub fn share(&self, s: &mut Share) {
        let complement = match (s.numerator.value, s.denominator.value) {
            (Some(n), Some(d)) => Some(d.saturating_sub(n)),
            _ => None,
        };
        let hide = s.numerator.value.is_some_and(|n| self.hides(n))
            || s.denominator.value.is_some_and(|n| self.hides(n))
            || complement.is_some_and(|c| self.hides(c))
            || s.numerator.is_suppressed()
            || s.denominator.is_suppressed();
        self.count(&mut s.numerator);
        self.count(&mut s.denominator);
        if hide {
            s.numerator = Count::suppressed();
            s.proportion = None;
            s.ci = None;
        } else if self.policy == DisclosurePolicy::Nhs {
            s.proportion = s.proportion.map(|p| (p * 100.0).round() / 100.0);
            // Outward, so the published interval still covers the exact one.
            s.ci =
                s.ci.map(|(l, u)| ((l * 100.0).floor() / 100.0, (u * 100.0).ceil() / 100.0));
        }
    }

    /// A figure computed from `n` people.
    pub fn based<T>(&self, b: &mut Based<T>) {
        let hide = b.n.value.is_some_and(|n| self.hides(n));
        self.count(&mut b.n);
        if hide {
            b.value = None;
        }
    }

    /// Shares of one base that add up to it (categories of one classification), with
    /// secondary suppression: a lone hidden share takes the next smallest with it.
    pub fn share_line(&self, mut shares: Vec<&mut Share>) {
        let exact: Vec<Option<u64>> = shares.iter().map(|s| s.numerator.value).collect();
        let mut hidden: Vec<bool> = shares
            .iter()
            .map(|s| {
                let mut copy = **s;
                self.share(&mut copy);
                copy.numerator.is_suppressed()
            })
            .collect();
        secondary(&exact, &mut hidden);
        for (s, hide) in shares.iter_mut().zip(hidden) {
            self.share(s);
            if hide {
                s.numerator = Count::suppressed();
                s.proportion = None;
                s.ci = None;
            }
        }
    }

    /// A distribution's bins: under a policy that hides small counts, a bin of 1 to the
    /// threshold is merged with its smaller neighbour until none is left, so the chart
    /// keeps its shape without a `*`; counts are then rounded as usual. A distribution of
    /// too few people to show at all is dropped.
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
        n.value.is_some_and(|v| self.hides(v)) || n.is_suppressed()
    }

    /// Folds the categories too small to show into one "other" row, so that their labels
    /// (text from the export) are not published beside a `*`.
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

    /// Counts of a breakdown with its total, with secondary suppression.
    pub fn breakdown(&self, b: &mut Breakdown) {
        let exact: Vec<Option<u64>> = b.parts.iter().map(|p| p.count.value).collect();
        let mut hidden: Vec<bool> = exact
            .iter()
            .map(|v| v.is_some_and(|v| self.hides(v)))
            .collect();
        let total_hidden = b.total.value.is_some_and(|v| self.hides(v));
        if !total_hidden {
            secondary(&exact, &mut hidden);
        }
        for (part, hide) in b.parts.iter_mut().zip(&hidden) {
            self.share(&mut part.share);
            self.count(&mut part.count);
            if *hide {
                part.count = Count::suppressed();
                part.share.numerator = Count::suppressed();
                part.share.proportion = None;
                part.share.ci = None;
            }
        }
        // With only one cell left to hide there may be no second cell: hide the total.
        if hidden.iter().filter(|h| **h).count() == 1 {
            b.total = Count::suppressed();
        } else {
            self.count(&mut b.total);
        }
    }

    /// A cross-tabulation: every row and column is a line with a total.
    pub fn crosstab(&self, t: &mut CrossTab) {
        let exact: Vec<Vec<Option<u64>>> = t
            .cells
            .iter()
            .map(|r| r.iter().map(|c| c.value).collect())
            .collect();
        let mut hidden: Vec<Vec<bool>> = exact
            .iter()
            .map(|r| r.iter().map(|v| v.is_some_and(|v| self.hides(v))).collect())
            .collect();
        let columns = t.column_keys.len();
        // Alternate rows and columns until no line has a lone hidden cell.
        for _ in 0..(t.row_keys.len() + columns + 2) {
            let before = hidden.clone();
            for (r, row) in exact.iter().enumerate() {
                if !t
                    .row_totals
                    .get(r)
                    .and_then(|c| c.value)
                    .is_some_and(|v| self.hides(v))
                {
                    secondary(row, &mut hidden[r]);
                }
            }
            for c in 0..columns {
                let column: Vec<Option<u64>> =
                    exact.iter().map(|r| r.get(c).copied().flatten()).collect();
                let mut col_hidden: Vec<bool> = hidden
                    .iter()
                    .map(|r| r.get(c).copied().unwrap_or(false))
                    .collect();
                if !t
                    .column_totals
                    .get(c)
                    .and_then(|x| x.value)
                    .is_some_and(|v| self.hides(v))
                {
                    secondary(&column, &mut col_hidden);
                }
                for (r, h) in col_hidden.into_iter().enumerate() {
                    if let Some(cell) = hidden[r].get_mut(c) {
                        *cell = h;
                    }
                }
            }
            if hidden == before {
                break;
            }
        }
        for (r, row) in t.cells.iter_mut().enumerate() {
            for (c, cell) in row.iter_mut().enumerate() {
                if hidden[r][c] {
                    *cell = Count::suppressed();
                } else {
                    self.count(cell);
                }
            }
        }
        // A line whose one hidden cell has no partner would give it away through the
        // line's total: hide the total, then treat the totals as a line of their own.
        let lone = |cells: &mut dyn Iterator<Item = bool>| cells.filter(|h| *h).count() == 1;
        let mut row_total_hidden: Vec<bool> = (0..t.row_totals.len())
            .map(|r| {
                lone(&mut hidden[r].iter().copied())
                    || t.row_totals[r].value.is_some_and(|v| self.hides(v))
            })
            .collect();
        let mut column_total_hidden: Vec<bool> = (0..t.column_totals.len())
            .map(|c| {
                lone(&mut hidden.iter().map(|r| r.get(c).copied().unwrap_or(false)))
                    || t.column_totals[c].value.is_some_and(|v| self.hides(v))
            })
            .collect();
        let row_exact: Vec<Option<u64>> = t.row_totals.iter().map(|c| c.value).collect();
        let column_exact: Vec<Option<u64>> = t.column_totals.iter().map(|c| c.value).collect();
        secondary(&row_exact, &mut row_total_hidden);
        secondary(&column_exact, &mut column_total_hidden);
        let grand_hidden = lone(&mut row_total_hidden.iter().copied())
            || lone(&mut column_total_hidden.iter().copied());
        for (c, hide) in t.row_totals.iter_mut().zip(&row_total_hidden) {
            if *hide {
                *c = Count::suppressed()
            } else {
                self.count(c)
            }
        }
        for (c, hide) in t.column_totals.iter_mut().zip(&column_total_hidden) {
            if *hide {
                *c = Count::suppressed()
            } else {
                self.count(c)
            }
        }
        if grand_hidden {
            t.total = Count::suppressed()
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

/// In one line of counts, if exactly one cell is hidden, hide the next smallest non-zero
/// cell as well.
fn secondary(exact: &[Option<u64>], hidden: &mut [bool]) {
    if hidden.iter().filter(|h| **h).count() != 1 {
        return;
    }
    let next = exact
        .iter()
        .enumerate()
        .filter(|(i, v)| !hidden[*i] && v.is_some_and(|v| v > 0))
        .min_by_key(|(i, v)| (v.unwrap_or(0), *i))
        .map(|(i, _)| i);
    if let Some(i) = next {
        hidden[i] = true;
    }
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

impl<T: Disclose> Disclose for super::Windowed<T> {
    fn disclose(&mut self, rules: &Rules) {
        self.period.disclose(rules);
        self.cumulative.disclose(rules);
    }
}

impl Disclose for ReportModel {
    fn disclose(&mut self, rules: &Rules) {
        self.flow.disclose(rules);
        self.people.disclose(rules);
        self.engagement.disclose(rules);
        self.outcomes.disclose(rules);
        self.medication.disclose(rules);
        self.trajectories.disclose(rules);
        self.cohorts.disclose(rules);
        self.attrition.disclose(rules);
        self.sensitivity.disclose(rules);
        self.trend.disclose(rules);
        self.methods.disclose(rules);
        // Figures repeated across sections must not reveal one another's hidden cells.
        for flow in [&mut self.flow.period, &mut self.flow.cumulative] {
            let reasons = &flow.discharge_reasons;
            if reasons
                .parts
                .iter()
                .any(|p| p.key == "completed" && p.count.is_suppressed())
            {
                flow.completed = Count::suppressed();
            }
            if reasons.total.is_suppressed() {
                flow.discharged = Count::suppressed();
            }
        }
        if let Some(costs) = &mut self.costs {
            // Divided by the counts as shown, never the exact ones.
            costs
                .period
                .recount(self.people.period.supported, self.flow.period.completed);
            costs.cumulative.recount(
                self.people.cumulative.supported,
                self.flow.cumulative.completed,
            );
        }
        for s in &mut self.sensitivity {
            // Carried forward = completers + baseline-only clients, whose count may be hidden.
            let baseline_only_hidden = self
                .attrition
                .iter()
                .any(|a| a.measure == s.measure && a.baseline_only.n.is_suppressed());
            if baseline_only_hidden {
                s.carried_forward = Based {
                    n: Count::suppressed(),
                    value: None,
                };
            }
        }
        self.data_quality.disclose(rules);
    }
}

impl Disclose for DataQuality {
    /// Findings are counted by code (rows excluded and values ignored add up to each
    /// code's findings, and those to all the findings: a table with totals), and rows per
    /// table (rows excluded and used, and each file's rows, add up to the rows read).
    fn disclose(&mut self, r: &Rules) {
        if r.policy == DisclosurePolicy::None {
            return;
        }
        // Warnings quote counts of values and the export's labels: the evaluator's.
        self.warnings.clear();
        for code in &mut self.codes {
            // Examples quote cells of the export; they stay in the evaluator's report.
            code.examples.clear();
        }
        let exact = |c: &Count| c.value.unwrap_or(0);
        let mut t = CrossTab::from_counts(
            self.codes
                .iter()
                .map(|_| (String::new(), String::new()))
                .collect(),
            vec![(String::new(), String::new()); 2],
            self.codes
                .iter()
                .map(|c| vec![exact(&c.rows_excluded), exact(&c.values_ignored)])
                .collect(),
        );
        r.crosstab(&mut t);
        for (code, (cells, total)) in self.codes.iter_mut().zip(t.cells.iter().zip(&t.row_totals)) {
            code.rows_excluded = cells[0];
            code.values_ignored = cells[1];
            code.count = *total;
        }
        self.total_findings = t.total;
        for table in &mut self.tables {
            let line = |counts: Vec<u64>| {
                let mut b = Breakdown::from_counts(
                    counts
                        .into_iter()
                        .map(|n| (String::new(), String::new(), n))
                        .collect(),
                );
                r.breakdown(&mut b);
                b
            };
            let rows = line(vec![exact(&table.rows_excluded), exact(&table.rows_used)]);
            let files = line(table.files.iter().map(|f| exact(&f.rows)).collect());
            table.rows_excluded = rows.parts[0].count;
            table.rows_used = rows.parts[1].count;
            // The canonical table has as many rows as were used, or nearly.
            if table.rows_used.is_suppressed() {
                table.canonical_rows = Count::suppressed();
            } else {
                r.count(&mut table.canonical_rows);
            }
            for (f, part) in table.files.iter_mut().zip(&files.parts) {
                f.rows = part.count;
                r.count(&mut f.blank_rows);
            }
            table.rows_read = if rows.total.is_suppressed() || files.total.is_suppressed() {
                Count::suppressed()
            } else {
                rows.total
            };
        }
    }
}

impl Disclose for Flow {
    fn disclose(&mut self, r: &Rules) {
        for c in [
            &mut self.referred,
            &mut self.started,
            &mut self.baseline_assessed,
            &mut self.discharged,
            &mut self.completed,
            &mut self.in_support_at_end,
        ] {
            r.count(c);
        }
        self.paired.iter_mut().for_each(|p| r.count(&mut p.count));
        r.breakdown(&mut self.discharge_reasons);
    }
}

impl Disclose for People {
    fn disclose(&mut self, r: &Rules) {
        r.count(&mut self.supported);
        for d in &mut self.dimensions {
            if d.labels_from_export {
                r.merge_small(&mut d.breakdown);
            }
            r.breakdown(&mut d.breakdown);
        }
        for reach in &mut self.reach {
            r.share(&mut reach.share);
            r.count(&mut reach.not_known);
        }
    }
}

impl Disclose for Engagement {
    fn disclose(&mut self, r: &Rules) {
        for c in [
            &mut self.clients_with_sessions,
            &mut self.attended,
            &mut self.did_not_attend,
            &mut self.cancelled,
        ] {
            r.count(c);
        }
        r.share(&mut self.dna_rate);
        r.opt_based(&mut self.sessions_per_client);
        r.opt_based(&mut self.minutes_per_client);
        r.based(&mut self.minutes_total);
        r.opt_based(&mut self.days_to_first_contact);
        r.opt_based(&mut self.weeks_of_support);
        for p in &mut self.by_phase {
            r.count(&mut p.clients);
            r.count(&mut p.attended);
            r.share(&mut p.dna_rate);
            r.opt_based(&mut p.sessions_per_client);
        }
        r.crosstab(&mut self.contact_modes);
        r.merge_small(&mut self.support_types);
        r.breakdown(&mut self.support_types);
    }
}

impl Disclose for Outcomes {
    fn disclose(&mut self, r: &Rules) {
        for c in &mut self.comparisons {
            if r.hides_base(&c.n) {
                c.result = None;
                c.p_holm = None;
            }
            r.count(&mut c.n);
            c.result.disclose(r);
        }
    }
}

impl Disclose for PairedSummary {
    fn disclose(&mut self, r: &Rules) {
        self.paired_t.disclose(r);
        self.wilcoxon.disclose(r);
        r.share(&mut self.better);
        // Improved, unchanged and deteriorated add up to everyone: one line.
        let classes: Vec<&mut Share> = [
            &mut self.improved,
            &mut self.unchanged,
            &mut self.deteriorated,
        ]
        .into_iter()
        .filter_map(Option::as_mut)
        .collect();
        r.share_line(classes);
        r.opt_share(&mut self.reliable_improvement);
        r.opt_share(&mut self.reliable_deterioration);
        // So do the bands at each end.
        r.share_line(self.bands.iter_mut().map(|b| &mut b.from).collect());
        r.share_line(self.bands.iter_mut().map(|b| &mut b.to).collect());
        r.bins(&mut self.distribution);
        // Bins of change add up to the shares that changed by so much: with one of those
        // hidden, the distribution would give it away.
        let hidden = |s: &Share| s.numerator.is_suppressed();
        let any_hidden = hidden(&self.better)
            || [
                &self.improved,
                &self.unchanged,
                &self.deteriorated,
                &self.reliable_improvement,
                &self.reliable_deterioration,
            ]
            .into_iter()
            .flatten()
            .any(hidden);
        if any_hidden {
            self.distribution.clear();
        }
    }
}

impl Disclose for MedicationOutcomes {
    fn disclose(&mut self, r: &Rules) {
        if r.hides_base(&self.pairs) {
            self.ome = None;
            self.gabapentinoid = None;
            self.gabapentinoid_ddd = None;
        }
        r.count(&mut self.pairs);
        r.count(&mut self.incomplete);
        self.ome.disclose(r);
        self.gabapentinoid.disclose(r);
        self.gabapentinoid_ddd.disclose(r);
        r.breakdown(&mut self.opioid_change);
        self.on_opioid.disclose(r);
        self.high_dose.disclose(r);
        self.on_gabapentinoid.disclose(r);
    }
}

impl Disclose for BinaryOutcome {
    fn disclose(&mut self, r: &Rules) {
        let base_hidden = r.hides_base(&self.n);
        let mut table = Breakdown {
            total: self.n,
            parts: self
                .counts
                .iter()
                .map(|c| Part {
                    key: String::new(),
                    label: String::new(),
                    count: *c,
                    share: Share::new(c.value.unwrap_or(0), self.n.value.unwrap_or(0)),
                })
                .collect(),
        };
        r.breakdown(&mut table);
        for (c, p) in self.counts.iter_mut().zip(&table.parts) {
            *c = p.count;
        }
        r.share(&mut self.before);
        r.share(&mut self.after);
        r.count(&mut self.n);
        self.mcnemar_p.disclose(r);
        if base_hidden || self.counts.iter().any(Count::is_suppressed) {
            // The difference and the test reveal the hidden cells.
            self.difference = None;
            self.mcnemar_p = Test::Skipped {
                reason: "suppressed: small numbers".into(),
            };
        }
    }
}

impl Disclose for Trajectory {
    fn disclose(&mut self, r: &Rules) {
        if r.hides_base(&self.n) {
            self.points.iter_mut().for_each(|p| p.mean = None);
        }
        r.count(&mut self.n);
        for dim in &mut self.by_cohort {
            // Cohort sizes add up to the overall, as in the cohort comparison.
            let exact: Vec<Option<u64>> = dim.cohorts.iter().map(|c| c.n.value).collect();
            let mut hidden: Vec<bool> = exact
                .iter()
                .map(|v| v.is_some_and(|v| r.hides(v)))
                .collect();
            secondary(&exact, &mut hidden);
            for (c, hide) in dim.cohorts.iter_mut().zip(&hidden) {
                if *hide || r.hides_base(&c.n) {
                    c.n = Count::suppressed();
                    c.points.iter_mut().for_each(|p| p.mean = None);
                } else {
                    r.count(&mut c.n);
                }
            }
            if dim.labels_from_export {
                let small: Vec<bool> = exact
                    .iter()
                    .map(|v| v.is_some_and(|v| r.hides(v)))
                    .collect();
                let points: Vec<TrajectoryPoint> = self
                    .points
                    .iter()
                    .map(|p| TrajectoryPoint {
                        timepoint: p.timepoint.clone(),
                        mean: None,
                    })
                    .collect();
                fold(&mut dim.cohorts, &small, |k| CohortTrajectory {
                    key: FOLDED.into(),
                    label: folded_label(k),
                    n: Count::suppressed(),
                    points,
                });
            }
        }
    }
}

impl Disclose for CohortComparison {
    fn disclose(&mut self, r: &Rules) {
        // Cohort sizes add up to the overall: a lone hidden cohort could be recovered from
        // the others, so hide the next smallest cohort too (or, failing that, the overall).
        let exact: Vec<Option<u64>> = self.cohorts.iter().map(|c| c.n.value).collect();
        let mut hidden: Vec<bool> = exact
            .iter()
            .map(|v| v.is_some_and(|v| r.hides(v)))
            .collect();
        secondary(&exact, &mut hidden);
        let any_hidden = hidden.iter().any(|h| *h);
        for (row, hide) in self.cohorts.iter_mut().zip(&hidden) {
            if *hide {
                row.n = Count::suppressed();
            }
        }
        if hidden.iter().filter(|h| **h).count() == 1 {
            self.overall.n = Count::suppressed();
        }
        self.overall.disclose(r);
        self.cohorts.disclose(r);
        if self.labels_from_export {
            // Their names are export text: the small ones go into one row without figures.
            let small: Vec<bool> = exact
                .iter()
                .map(|v| v.is_some_and(|v| r.hides(v)))
                .collect();
            fold(&mut self.cohorts, &small, |k| CohortRow {
                key: FOLDED.into(),
                label: folded_label(k),
                n: Count::suppressed(),
                result: None,
                adjusted_change: None,
            });
        }
        for t in &mut self.tests {
            t.result.disclose(r);
        }
        self.ancova.disclose(r);
        if any_hidden {
            // A test across cohorts still says something about a hidden cohort; the
            // ANCOVA's adjusted changes are per cohort and are hidden with their rows.
            let reason = format!(
                "suppressed: a cohort has fewer than {} people",
                r.policy.hidden_below().unwrap_or(1)
            );
            for t in &mut self.tests {
                t.result = Test::Skipped {
                    reason: reason.clone(),
                };
            }
            self.ancova = Test::Skipped { reason };
        }
    }
}

impl Disclose for CohortRow {
    fn disclose(&mut self, r: &Rules) {
        if r.hides_base(&self.n) {
            self.result = None;
            self.adjusted_change = None;
        }
        r.count(&mut self.n);
        self.result.disclose(r);
    }
}

impl Disclose for AttritionCheck {
    fn disclose(&mut self, r: &Rules) {
        self.welch_t.disclose(r);
        let hidden = r.hides_base(&self.completers.n) || r.hides_base(&self.baseline_only.n);
        r.based(&mut self.completers);
        r.based(&mut self.baseline_only);
        if hidden {
            self.welch_t = Test::Skipped {
                reason: "suppressed: small numbers".into(),
            };
            self.standardised_difference = None;
        }
    }
}

impl Disclose for Sensitivity {
    fn disclose(&mut self, r: &Rules) {
        r.based(&mut self.completers);
        r.based(&mut self.carried_forward);
    }
}

impl Disclose for Trend {
    /// Each series across the quarters is a line whose total can be worked out from the
    /// cumulative figures when the programme is younger than the trend window, so a lone
    /// hidden quarter takes the next smallest quarter with it.
    fn disclose(&mut self, r: &Rules) {
        let qs = &mut self.quarters;
        let series: [fn(&mut TrendQuarter) -> &mut Count; 5] = [
            |q| &mut q.referred,
            |q| &mut q.started,
            |q| &mut q.attended,
            |q| &mut q.discharged,
            |q| &mut q.mean_change.n,
        ];
        let mut hidden_lines = Vec::new();
        for field in series {
            let exact: Vec<Option<u64>> = qs.iter_mut().map(|q| field(q).value).collect();
            let mut hidden: Vec<bool> = exact
                .iter()
                .map(|v| v.is_some_and(|v| r.hides(v)))
                .collect();
            secondary(&exact, &mut hidden);
            hidden_lines.push(hidden);
        }
        for q in qs.iter_mut() {
            for c in [
                &mut q.referred,
                &mut q.started,
                &mut q.attended,
                &mut q.discharged,
            ] {
                r.count(c);
            }
            r.based(&mut q.mean_change);
        }
        // The shares improved too add up to the cumulative share, hidden for a small
        // numerator, complement or base alike.
        r.share_line(qs.iter_mut().map(|q| &mut q.better).collect());
        for (field, hidden) in series.iter().zip(&hidden_lines) {
            for (q, hide) in qs.iter_mut().zip(hidden) {
                if *hide {
                    *field(q) = Count::suppressed();
                }
            }
        }
        // A figure whose base or numerator went with secondary suppression goes too.
        for q in qs.iter_mut() {
            if q.mean_change.n.is_suppressed() {
                // The same pairs are the base of the share improved.
                q.mean_change.value = None;
                q.better.denominator = Count::suppressed();
                q.better.numerator = Count::suppressed();
            }
            if q.better.numerator.is_suppressed() {
                q.better.proportion = None;
                q.better.ci = None;
            }
        }
    }
}

impl Disclose for MethodsRecord {
    fn disclose(&mut self, r: &Rules) {
        for t in &mut self.tests {
            r.count(&mut t.n);
            if let Some(reason) = &mut t.reason {
                r.reason(reason);
            }
        }
    }
}

impl<T> Disclose for Test<T> {
    fn disclose(&mut self, r: &Rules) {
        if let Test::Skipped { reason } = self {
            r.reason(reason);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nhs() -> Rules {
        Rules::new(DisclosurePolicy::Nhs)
    }

    fn values(b: &Breakdown) -> Vec<Option<u64>> {
        b.parts.iter().map(|p| p.count.value).collect()
    }

    fn breakdown(counts: &[u64]) -> Breakdown {
        Breakdown::from_counts(
            counts
                .iter()
                .enumerate()
                .map(|(i, n)| (format!("k{i}"), format!("K{i}"), *n))
                .collect(),
        )
    }

    #[test]
    fn counts_one_to_seven_are_suppressed_others_rounded_to_five() {
        let r = nhs();
        let shown: Vec<(Option<u64>, Shown)> = [0u64, 1, 7, 8, 10, 12, 13, 102]
            .iter()
            .map(|n| {
                let mut c = Count::new(*n);
                r.count(&mut c);
                (c.value, c.shown)
            })
            .collect();
        assert_eq!(
            shown,
            vec![
                (Some(0), Shown::Exact),
                (None, Shown::Suppressed),
                (None, Shown::Suppressed),
                (Some(10), Shown::Rounded),
                (Some(10), Shown::Exact),
                (Some(10), Shown::Rounded),
                (Some(15), Shown::Rounded),
                (Some(100), Shown::Rounded),
            ]
        );
    }

    #[test]
    fn threshold_and_none_policies() {
        let t = Rules::new(DisclosurePolicy::Threshold(10));
        let mut c = Count::new(9);
        t.count(&mut c);
        assert!(c.is_suppressed());
        let mut c = Count::new(12);
        t.count(&mut c);
        assert_eq!((c.value, c.shown), (Some(12), Shown::Exact), "no rounding");
        let none = Rules::new(DisclosurePolicy::None);
        let mut c = Count::new(3);
        none.count(&mut c);
        assert_eq!(c.value, Some(3));
    }

    #[test]
    fn shares_with_suppressed_numerators_or_small_bases_are_suppressed() {
        let r = nhs();
        let mut s = Share::with_ci(5, 60);
        r.share(&mut s);
        assert!(s.proportion.is_none() && s.ci.is_none() && s.numerator.is_suppressed());
        assert_eq!(s.denominator.value, Some(60));
        let mut small_base = Share::new(0, 6);
        r.share(&mut small_base);
        assert!(
            small_base.proportion.is_none(),
            "a percentage of 1-7 people is hidden even at 0"
        );
        let mut fine = Share::new(24, 60);
        r.share(&mut fine);
        assert_eq!(fine.proportion, Some(0.4));
        assert_eq!(
            (fine.numerator.value, fine.numerator.shown),
            (Some(25), Shown::Rounded)
        );
    }

    #[test]
    fn means_based_on_few_people_are_suppressed() {
        let r = nhs();
        let mut b = Based::new(7, 3.2);
        r.based(&mut b);
        assert_eq!(b.value, None);
        let mut b = Based::new(8, 3.2);
        r.based(&mut b);
        assert_eq!((b.value, b.n.value), (Some(3.2), Some(10)));
    }

    #[test]
    fn secondary_suppression_in_a_breakdown() {
        let r = nhs();
        // 3 is hidden; the next smallest (9) goes too, so 3 cannot be got from the total.
        let mut b = breakdown(&[40, 3, 9, 25]);
        r.breakdown(&mut b);
        assert_eq!(values(&b), vec![Some(40), None, None, Some(25)]);
        assert_eq!(b.total.value, Some(75));
        // Two hidden cells already protect each other.
        let mut b = breakdown(&[40, 3, 2, 25]);
        r.breakdown(&mut b);
        assert_eq!(values(&b), vec![Some(40), None, None, Some(25)]);
        // Zeros are not "next smallest": hiding a known zero protects nothing.
        let mut b = breakdown(&[0, 3, 20]);
        r.breakdown(&mut b);
        assert_eq!(values(&b), vec![Some(0), None, None]);
        // Nothing left to hide: the total goes.
        let mut b = breakdown(&[0, 3]);
        r.breakdown(&mut b);
        assert!(b.total.is_suppressed());
        // Shares of hidden parts are hidden.
        let mut b = breakdown(&[40, 3, 9, 25]);
        r.breakdown(&mut b);
        assert!(b.parts[2].share.proportion.is_none());
        assert!(b.parts[0].share.proportion.is_some());
    }

    #[test]
    fn secondary_suppression_in_rows_and_columns() {
        let r = nhs();
        let rows = vec![
            ("a".into(), "A".into()),
            ("b".into(), "B".into()),
            ("c".into(), "C".into()),
        ];
        let cols = vec![
            ("x".into(), "X".into()),
            ("y".into(), "Y".into()),
            ("z".into(), "Z".into()),
        ];
        // The 2 in row b hides b's next smallest (12); column x then has one hidden cell
        // (2) besides... column y has 12 alone hidden, so y's next smallest (20) goes; and
        // so on until every row and column with a hidden cell has at least two.
        let mut t = CrossTab::from_counts(
            rows,
            cols,
            vec![vec![30, 20, 40], vec![2, 12, 50], vec![25, 35, 45]],
        );
        r.crosstab(&mut t);
        let hidden: Vec<Vec<bool>> = t
            .cells
            .iter()
            .map(|r| r.iter().map(Count::is_suppressed).collect())
            .collect();
        for row in &hidden {
            assert_ne!(
                row.iter().filter(|h| **h).count(),
                1,
                "a row with one hidden cell: {hidden:?}"
            );
        }
        for c in 0..3 {
            assert_ne!(
                hidden.iter().filter(|r| r[c]).count(),
                1,
                "a column with one hidden cell: {hidden:?}"
            );
        }
        assert!(hidden[1][0], "the small cell itself");
        assert_eq!(t.total.value, Some(260));
    }

    #[test]
    fn complements_of_shares_are_protected_and_nhs_shares_are_whole_percents() {
        let r = nhs();
        // 17 of 20: the 3 who are not in the share would be revealed.
        let mut s = Share::with_ci(17, 20);
        r.share(&mut s);
        assert!(s.proportion.is_none() && s.ci.is_none());
        let mut s = Share::with_ci(1234, 4000);
        r.share(&mut s);
        assert_eq!(s.proportion, Some(0.31));
        let (l, u) = s.ci.expect("ci");
        assert!(l <= 0.2942 && u >= 0.3230, "{l} {u}");
        assert!(
            ((l * 100.0).round() - l * 100.0).abs() < 1e-9,
            "whole percents: {l}"
        );
        let t = Rules::new(DisclosurePolicy::Threshold(10));
        let mut s = Share::with_ci(1234, 4000);
        t.share(&mut s);
        assert_eq!(
            s.proportion,
            Some(1234.0 / 4000.0),
            "threshold policies do not round"
        );
    }

    #[test]
    fn a_lone_hidden_cell_hides_its_line_total() {
        let r = Rules::new(DisclosurePolicy::Threshold(10));
        let rows = vec![("a".into(), "A".into()), ("b".into(), "B".into())];
        let cols = vec![("x".into(), "X".into()), ("y".into(), "Y".into())];
        // Column x: 3 hidden, 17 its partner (hidden too); row b has only the 3 and a zero.
        let mut t = CrossTab::from_counts(rows, cols, vec![vec![17, 40], vec![3, 0]]);
        r.crosstab(&mut t);
        assert!(t.cells[1][0].is_suppressed() && t.cells[0][0].is_suppressed());
        assert!(
            t.row_totals[1].is_suppressed(),
            "row b's total would equal its hidden cell"
        );
        // Whatever the cascade hides, no row or column is left with one hidden figure and a
        // shown total.
        for r in 0..2 {
            let hidden = t.cells[r].iter().filter(|c| c.is_suppressed()).count();
            assert!(hidden != 1 || t.row_totals[r].is_suppressed(), "row {r}");
        }
        for c in 0..2 {
            let hidden = t.cells.iter().filter(|row| row[c].is_suppressed()).count();
            assert!(
                hidden != 1 || t.column_totals[c].is_suppressed(),
                "column {c}"
            );
        }
        let hidden_row_totals = t.row_totals.iter().filter(|c| c.is_suppressed()).count();
        assert!(hidden_row_totals != 1 || t.total.is_suppressed());
    }

    #[test]
    fn a_lone_hidden_quarter_cannot_be_recovered_from_the_cumulative_figures() {
        let quarter = |referred: u64, pairs: u64| TrendQuarter {
            label: String::new(),
            start: chrono::NaiveDate::MIN,
            end: chrono::NaiveDate::MIN,
            referred: Count::new(referred),
            started: Count::new(referred),
            attended: Count::new(0),
            discharged: Count::new(20),
            mean_change: Based::new(pairs as usize, Estimate::with_ci(1.0, 0.5, 1.5)),
            better: Share::with_ci(pairs / 2, pairs),
        };
        let mut t = Trend {
            measure: None,
            quarters: vec![
                quarter(0, 30),
                quarter(4, 12),
                quarter(25, 40),
                quarter(12, 9),
            ],
        };
        t.disclose(&Rules::new(DisclosurePolicy::Threshold(5)));
        let referred: Vec<Option<u64>> = t.quarters.iter().map(|q| q.referred.value).collect();
        assert_eq!(
            referred,
            vec![Some(0), None, Some(25), None],
            "4 and then 12"
        );
        assert!(t.quarters[1].referred.is_suppressed() && t.quarters[3].started.is_suppressed());
        // Nothing small among the pairs: nothing hidden there.
        assert!(t.quarters.iter().all(|q| q.mean_change.value.is_some()));
        assert!(t.quarters.iter().all(|q| !q.discharged.is_suppressed()));
        // A small base hides the next smallest quarter's mean and share with it.
        let mut t = Trend {
            measure: None,
            quarters: vec![
                quarter(30, 30),
                quarter(30, 6),
                quarter(30, 9),
                quarter(30, 40),
            ],
        };
        t.disclose(&nhs());
        let shown: Vec<bool> = t
            .quarters
            .iter()
            .map(|q| q.mean_change.value.is_some() && q.better.proportion.is_some())
            .collect();
        assert_eq!(shown, vec![true, false, false, true]);
        assert!(t.quarters[2].better.denominator.is_suppressed());
        assert!(t.quarters[2].mean_change.n.is_suppressed());
    }

    #[test]
    fn a_quarter_hidden_for_its_complement_takes_another_with_it() {
        let quarter = |pairs: u64, better: u64| TrendQuarter {
            label: String::new(),
            start: chrono::NaiveDate::MIN,
            end: chrono::NaiveDate::MIN,
            referred: Count::new(30),
            started: Count::new(30),
            attended: Count::new(30),
            discharged: Count::new(30),
            mean_change: Based::new(pairs as usize, Estimate::with_ci(1.0, 0.5, 1.5)),
            better: Share::with_ci(better, pairs),
        };
        let mut t = Trend {
            measure: None,
            quarters: vec![quarter(20, 10), quarter(23, 20), quarter(30, 12)],
        };
        t.disclose(&Rules::new(DisclosurePolicy::Threshold(10)));
        let hidden: Vec<bool> = t
            .quarters
            .iter()
            .map(|q| q.better.proportion.is_none())
            .collect();
        // 20 of 23 leaves 3 out; alone it would be the cumulative less 10 and 12.
        assert_eq!(hidden, vec![true, true, false]);
    }

    #[test]
    fn classes_of_one_base_are_a_line() {
        let threshold = Rules::new(DisclosurePolicy::Threshold(8));
        let mut improved = Share::new(3, 40);
        let mut unchanged = Share::new(20, 40);
        let mut deteriorated = Share::new(17, 40);
        threshold.share_line(vec![&mut improved, &mut unchanged, &mut deteriorated]);
        // 3 is hidden; alone it would be 40 - 20 - 17, so 17 goes too.
        assert!(improved.numerator.is_suppressed() && improved.proportion.is_none());
        assert!(deteriorated.numerator.is_suppressed() && deteriorated.proportion.is_none());
        assert_eq!(unchanged.numerator.value, Some(20));
        // Nothing small: nothing hidden.
        let (mut a, mut b) = (Share::new(20, 40), Share::new(20, 40));
        threshold.share_line(vec![&mut a, &mut b]);
        assert!(a.proportion.is_some() && b.proportion.is_some());
    }

    #[test]
    fn small_bins_are_merged_not_starred() {
        let bin = |lower: f64, n: u64| Bin {
            lower,
            upper: lower + 1.0,
            count: Count::new(n),
        };
        let mut bins = vec![
            bin(-2.0, 2),
            bin(-1.0, 9),
            bin(0.0, 30),
            bin(1.0, 5),
            bin(2.0, 4),
        ];
        nhs().bins(&mut bins);
        let shape: Vec<(f64, f64, Option<u64>)> = bins
            .iter()
            .map(|b| (b.lower, b.upper, b.count.value))
            .collect();
        // 2 joins its only neighbour (11 -> 10 rounded); 5 joins its smaller neighbour 4.
        assert_eq!(
            shape,
            vec![
                (-2.0, 0.0, Some(10)),
                (0.0, 1.0, Some(30)),
                (1.0, 3.0, Some(10))
            ]
        );
        assert!(bins.iter().all(|b| !b.count.is_suppressed()));
        let mut few = vec![bin(0.0, 3), bin(1.0, 2)];
        nhs().bins(&mut few);
        assert!(few.is_empty(), "five people in all cannot be shown");
        let mut kept = vec![bin(0.0, 3)];
        Rules::new(DisclosurePolicy::None).bins(&mut kept);
        assert_eq!(kept[0].count.value, Some(3));
    }

    #[test]
    fn a_hidden_cohort_cannot_be_recovered_from_the_others() {
        let row = cohort_row;
        let mut c = CohortComparison {
            dimension: "trust".into(),
            dimension_label: "Trust".into(),
            measure: "swemwbs".into(),
            overall: row("all", 38),
            cohorts: vec![row("a", 15), row("b", 3), row("c", 20)],
            tests: vec![],
            ancova: Test::Skipped {
                reason: String::new(),
            },
            labels_from_export: false,
        };
        c.disclose(&nhs());
        let hidden: Vec<bool> = c
            .cohorts
            .iter()
            .map(|r| r.n.is_suppressed() && r.result.is_none())
            .collect();
        assert_eq!(
            hidden,
            vec![true, true, false],
            "b and the next smallest, a"
        );
        assert!(!c.overall.n.is_suppressed());
        // With no second cohort to hide, the overall goes instead.
        let mut c2 = CohortComparison {
            cohorts: vec![row("a", 0), row("b", 3)],
            overall: row("all", 3),
            ..c
        };
        c2.disclose(&nhs());
        assert!(c2.overall.n.is_suppressed() && c2.overall.result.is_none());
    }

    #[test]
    fn reasons_lose_their_exact_counts() {
        let mut reason =
            "fewer than 10 pairs (n = 4): descriptive figures only, no test".to_owned();
        nhs().reason(&mut reason);
        assert_eq!(
            reason,
            "fewer than 10 pairs: descriptive figures only, no test"
        );
        let mut groups = "group 'B' has fewer than 2 values (n = 1) and (n = x)".to_owned();
        Rules::new(DisclosurePolicy::Threshold(5)).reason(&mut groups);
        assert_eq!(groups, "group 'B' has fewer than 2 values and (n = x)");
        let mut kept = "fewer than 10 pairs (n = 4)".to_owned();
        Rules::new(DisclosurePolicy::None).reason(&mut kept);
        assert_eq!(kept, "fewer than 10 pairs (n = 4)");
    }

    /// A paired summary of `n` pairs with round figures, for the rules to work on.
    fn paired_summary_for_tests() -> PairedSummary {
        let summary = Summary {
            mean: 40.0,
            sd: Some(8.0),
            median: 40.0,
            q1: 35.0,
            q3: 45.0,
        };
        PairedSummary {
            from: summary,
            to: summary,
            change: summary,
            from_mean: Estimate::with_ci(40.0, 38.0, 42.0),
            to_mean: Estimate::with_ci(41.0, 39.0, 43.0),
            mean_change: None,
            paired_t: Test::Skipped {
                reason: String::new(),
            },
            wilcoxon: Test::Skipped {
                reason: String::new(),
            },
            d_z: None,
            d_av: None,
            g_av: None,
            better: Share::with_ci(10, 20),
            improved: None,
            unchanged: None,
            deteriorated: None,
            mcid: None,
            reliable_improvement: None,
            reliable_deterioration: None,
            bands: Vec::new(),
            distribution: Vec::new(),
        }
    }

    fn cohort_row(key: &str, n: u64) -> CohortRow {
        CohortRow {
            key: key.into(),
            label: key.into(),
            n: Count::new(n),
            result: Some(PairedSummary {
                mean_change: Some(Estimate::with_ci(1.0, 0.5, 1.5)),
                ..paired_summary_for_tests()
            }),
            adjusted_change: None,
        }
    }

    #[test]
    fn small_cohorts_of_export_text_are_folded_not_named() {
        let mut c = CohortComparison {
            dimension: "trust".into(),
            dimension_label: "Trust".into(),
            measure: "swemwbs".into(),
            overall: cohort_row("all", 40),
            cohorts: vec![
                cohort_row("Freeman", 2),
                cohort_row("Royal", 15),
                cohort_row("Gateshead", 20),
                cohort_row("Alnwick", 3),
            ],
            tests: vec![],
            ancova: Test::Skipped {
                reason: String::new(),
            },
            labels_from_export: true,
        };
        let mut evaluator = c.clone();
        evaluator.disclose(&Rules::new(DisclosurePolicy::None));
        assert_eq!(
            evaluator.cohorts.len(),
            4,
            "the evaluator sees every cohort"
        );
        c.disclose(&nhs());
        let rows: Vec<(&str, &str, bool)> = c
            .cohorts
            .iter()
            .map(|r| (r.key.as_str(), r.label.as_str(), r.n.is_suppressed()))
            .collect();
        assert_eq!(
            rows,
            vec![
                ("Royal", "Royal", false),
                ("Gateshead", "Gateshead", false),
                (FOLDED, "Other (2 smaller groups)", true),
            ]
        );
        assert!(c.cohorts[2].result.is_none());

        let point = |mean: f64| TrajectoryPoint {
            timepoint: "baseline".into(),
            mean: Some(Estimate::with_ci(mean, mean - 1.0, mean + 1.0)),
        };
        let cohort = |key: &str, n: u64| CohortTrajectory {
            key: key.into(),
            label: key.into(),
            n: Count::new(n),
            points: vec![point(20.0)],
        };
        let mut t = Trajectory {
            measure: "swemwbs".into(),
            n: Count::new(45),
            points: vec![point(20.0)],
            by_cohort: vec![CohortTrajectories {
                dimension: "trust".into(),
                dimension_label: "Trust".into(),
                cohorts: vec![
                    cohort("Freeman", 2),
                    cohort("Royal", 20),
                    cohort("Gateshead", 23),
                ],
                labels_from_export: true,
            }],
        };
        t.disclose(&nhs());
        let labels: Vec<&str> = t.by_cohort[0]
            .cohorts
            .iter()
            .map(|c| c.label.as_str())
            .collect();
        assert_eq!(
            labels,
            vec!["Royal", "Gateshead", "Other (1 smaller group)"]
        );
        assert!(t.by_cohort[0].cohorts[2].points[0].mean.is_none());

        let mut people = People {
            supported: Count::new(62),
            dimensions: vec![Dimension {
                id: "trust".into(),
                label: "Trust".into(),
                breakdown: Breakdown::from_counts(vec![
                    ("Freeman".into(), "Freeman".into(), 2),
                    ("Royal".into(), "Royal".into(), 40),
                    ("Gateshead".into(), "Gateshead".into(), 20),
                ]),
                labels_from_export: true,
            }],
            reach: vec![],
        };
        let mut vocabulary = people.clone();
        vocabulary.dimensions[0].labels_from_export = false;
        people.disclose(&nhs());
        let labels: Vec<&str> = people.dimensions[0]
            .breakdown
            .parts
            .iter()
            .map(|p| p.label.as_str())
            .collect();
        assert_eq!(
            labels,
            vec!["Royal", "Gateshead", "Other (1 smaller group)"]
        );
        vocabulary.disclose(&nhs());
        assert_eq!(
            vocabulary.dimensions[0].breakdown.parts[0].label, "Freeman",
            "vocabulary labels are starred, not folded"
        );
    }

    #[test]
    fn data_quality_counts_are_hidden_and_rounded_like_any_other() {
        let table = |excluded: u64, used: u64, files: &[u64]| TableQuality {
            table: crate::tables::TableKind::Referrals,
            files: files
                .iter()
                .map(|n| FileQuality {
                    file: "referrals.csv".into(),
                    format: crate::ingest::FileFormat::Csv,
                    sheet: None,
                    rows: Count::new(*n),
                    blank_rows: Count::new(2),
                    encoding_note: None,
                    unmapped_columns: 3,
                })
                .collect(),
            rows_read: Count::new(excluded + used),
            rows_excluded: Count::new(excluded),
            rows_used: Count::new(used),
            canonical_rows: Count::new(used),
        };
        let code = |excluded: u64, ignored: u64| CodeCount {
            code: crate::validate::FindingCode::OutOfRange,
            about: String::new(),
            count: Count::new(excluded + ignored),
            rows_excluded: Count::new(excluded),
            values_ignored: Count::new(ignored),
            examples: vec![],
        };
        let mut q = DataQuality {
            tables: vec![table(3, 998, &[1001]), table(0, 17214, &[3686, 13528])],
            codes: vec![code(1, 0), code(2, 1), code(40, 12)],
            total_findings: Count::new(56),
            warnings: Vec::new(),
        };
        let before = q.clone();
        q.disclose(&Rules::new(DisclosurePolicy::None));
        assert_eq!(q, before, "the evaluator sees every count");
        q.disclose(&nhs());
        let shown = |c: &Count| c.value;
        let codes: Vec<[Option<u64>; 3]> = q
            .codes
            .iter()
            .map(|c| {
                [
                    shown(&c.count),
                    shown(&c.rows_excluded),
                    shown(&c.values_ignored),
                ]
            })
            .collect();
        for line in &codes {
            for v in line.iter().flatten() {
                assert!(*v == 0 || (*v >= 8 && v % 5 == 0), "{codes:?}");
            }
        }
        assert_eq!(codes[0], [None, None, Some(0)]);
        // 12 goes with the 1 above it, and 40 with 12, or 52 less 40 would give it away.
        assert_eq!(codes[2], [Some(50), None, None]);
        let referrals = &q.tables[0];
        assert!(referrals.rows_excluded.is_suppressed() && referrals.rows_used.is_suppressed());
        assert!(
            referrals.canonical_rows.is_suppressed(),
            "it would give rows used away"
        );
        assert_eq!(referrals.rows_read.value, Some(1000));
        assert!(q.tables[0].files[0].blank_rows.is_suppressed());
        assert_eq!(q.tables[1].rows_used.value, Some(17215));
        assert_eq!(q.tables[1].files[0].rows.value, Some(3685));
    }

    #[test]
    fn none_policy_changes_nothing() {
        let r = Rules::new(DisclosurePolicy::None);
        let mut b = breakdown(&[40, 3, 9, 25]);
        let before = b.clone();
        r.breakdown(&mut b);
        assert_eq!(b, before);
    }
}
