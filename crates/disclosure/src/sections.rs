//! Disclosure control of each section of the model. Figures repeated across sections (the
//! same count in the flow and in the discharge reasons, the outcome's pairs in the
//! attrition check) come from one exact value and are treated alike, so no section shows
//! what another hides.

use super::*;
use sprout_model::Reason;

impl Disclose for ReportModel {
    fn disclose(&mut self, rules: &Rules) {
        // Exact counts that other sections add up, before they are rounded.
        let trend_pairs: Vec<(String, u64)> = self
            .trend
            .quarters
            .iter()
            .map(|q| (q.label.clone(), q.mean_change.n.value.unwrap_or(0)))
            .collect();
        let attrition: Vec<(String, u64, u64)> = self
            .attrition
            .iter()
            .map(|a| {
                (
                    a.measure.clone(),
                    a.completers.n.value.unwrap_or(0),
                    a.baseline_only.n.value.unwrap_or(0),
                )
            })
            .collect();

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
        self.data_quality.disclose(rules);

        // Figures repeated across sections must not reveal one another's hidden cells.
        for flow in [&mut self.flow.period, &mut self.flow.cumulative] {
            let reasons = &flow.discharge_reasons;
            if reasons
                .parts
                .iter()
                .any(|p| p.key == "completed" && p.count.is_suppressed())
            {
                flow.completed = Count::suppressed();
                flow.ended.completed = Count::suppressed();
            }
            if reasons.total.is_suppressed() {
                flow.discharged = Count::suppressed();
                flow.ended.left = Count::suppressed();
                for c in &mut flow.ended.completion {
                    Rules::hide_share(&mut c.share);
                }
            }
        }
        if let Some(costs) = &mut self.costs {
            hide_costs(&mut costs.period, rules);
            hide_costs(&mut costs.cumulative, rules);
        }
        for s in &mut self.sensitivity {
            // Carried forward = the pairs + the baseline-only clients of the attrition
            // check, whose count may be hidden.
            let Some((_, pairs, only)) = attrition.iter().find(|a| a.0 == s.measure) else {
                continue;
            };
            let mut hidden = [rules.hides(*pairs), rules.hides(*only)];
            if rules.line(
                &[*pairs, *only],
                &mut hidden,
                &[true, false],
                pairs + only,
                false,
            ) || hidden[1]
            {
                s.carried_forward = Based {
                    n: Count::suppressed(),
                    value: None,
                };
            }
        }
        let trend = self.trend.clone();
        for p in &mut self.main_points.points {
            if let MainPoint::OverTime(o) = p {
                over_time_against(o, rules, &trend, &trend_pairs);
            }
        }
    }
}

/// No cost per person where the count it divides by is hidden: the cost would give
/// the count away.
fn hide_costs(costs: &mut Costs, rules: &Rules) {
    if rules.hides_base(&costs.people_supported) {
        costs.per_person_supported = None;
    }
    if rules.hides_base(&costs.completed) {
        costs.per_completed_episode = None;
    }
    rules.count(&mut costs.people_supported);
    rules.count(&mut costs.completed);
}

/// What the finding can still say once its comparison is disclosed: nothing where the
/// test is hidden; no cohort named whose figures are hidden; left-out cohorts as the
/// comparison shows them (folded ones not named, their counts as shown).
fn finding_against(finding: &mut CohortFinding, c: &CohortComparison) {
    if c.tests.first().is_some_and(|t| t.result.is_hidden()) {
        finding.verdict = GroupVerdict::Hidden;
        finding.lowest = None;
        finding.highest = None;
        finding.holds_adjusted = None;
    }
    let shown = |key: Option<String>| {
        key.filter(|k| {
            c.cohorts
                .iter()
                .any(|r| &r.key == k && r.mean_change().is_some())
        })
    };
    finding.lowest = shown(finding.lowest.take());
    finding.highest = shown(finding.highest.take());
    if c.ancova.is_hidden() {
        finding.holds_adjusted = None;
    }
    let mut left_out: Vec<LeftOut> = Vec::new();
    for l in &finding.left_out {
        if let Some(row) = c.cohorts.iter().find(|r| r.key == l.key) {
            left_out.push(LeftOut {
                n: row.n,
                ..l.clone()
            });
        }
    }
    if let Some(row) = c.cohorts.iter().find(|r| r.key == FOLDED) {
        left_out.push(LeftOut {
            key: row.key.clone(),
            label: row.label.clone(),
            n: row.n,
            why: LeftOutBecause::TooFew,
        });
    }
    finding.left_out = left_out;
}

/// The pooled previous quarters add up to four quarters of the trend: where those show
/// a hidden quarter, the pooled count could give it away.
fn over_time_against(
    over_time: &mut OverTime,
    rules: &Rules,
    trend: &Trend,
    exact: &[(String, u64)],
) {
    let n = over_time.previous.n.value.unwrap_or(0);
    let parts: Vec<(u64, bool)> = over_time
        .previous_quarters
        .iter()
        .filter_map(|label| {
            let e = exact.iter().find(|(l, _)| l == label)?.1;
            let shown = trend.quarters.iter().find(|q| &q.label == label)?;
            Some((e, shown.mean_change.n.is_suppressed()))
        })
        .collect();
    let hide_pooled = if parts.len() == over_time.previous_quarters.len() {
        let cells: Vec<Cell> = parts.iter().map(|(e, h)| Cell::new(*e, *h)).collect();
        rules.hides_any() && exposed(rules, &cells, Cell::new(n, rules.hides(n)), false)
    } else {
        false
    };
    rules.based(&mut over_time.previous);
    if hide_pooled {
        over_time.previous.n = Count::suppressed();
    }
    over_time.difference.disclose(rules);
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
        self.notes.clear();
        // Files and sheets are named by the people who save them, sometimes after a
        // client: a published report says which table, not which file.
        for t in &mut self.tables {
            for (k, f) in t.files.iter_mut().enumerate() {
                f.file = format!("{} file {}", t.table.name(), k + 1);
                f.sheet = None;
            }
        }
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
            *code.rows_excluded = cells[0];
            *code.values_ignored = cells[1];
            *code.count = *total;
        }
        *self.total_findings = t.total;
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
            *table.rows_excluded = rows.parts[0].count;
            *table.rows_used = rows.parts[1].count;
            // The canonical table has as many rows as were used, or nearly.
            if table.rows_used.is_suppressed() {
                *table.canonical_rows = Count::suppressed();
            } else {
                r.count(&mut table.canonical_rows);
            }
            for (f, part) in table.files.iter_mut().zip(&files.parts) {
                *f.rows = part.count;
                r.count(&mut f.blank_rows);
                if let Some(other) = &mut f.other_rows {
                    r.count(other);
                }
            }
            *table.rows_read = if rows.total.is_suppressed() || files.total.is_suppressed() {
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
        let e = &mut self.ended;
        for c in [&mut e.left, &mut e.completed, &mut e.baseline, &mut e.both] {
            r.count(c);
        }
        for c in &mut e.completion {
            r.share(&mut c.share);
        }
    }
}

impl Disclose for People {
    fn disclose(&mut self, r: &Rules) {
        // New and continuing add up to the people supported.
        let exact = [
            self.new.value.unwrap_or(0),
            self.continuing.value.unwrap_or(0),
        ];
        let mut hidden = [r.hides(exact[0]), r.hides(exact[1])];
        let total = self.supported.value.unwrap_or(0);
        let total_hidden = r.line(&exact, &mut hidden, &[], total, false);
        for (c, h) in [&mut self.new, &mut self.continuing]
            .into_iter()
            .zip(hidden)
        {
            if h {
                *c = Count::suppressed();
            } else {
                r.count(c);
            }
        }
        if total_hidden {
            self.supported = Count::suppressed();
        } else {
            r.count(&mut self.supported);
        }
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
        // Improved, unchanged and deteriorated add up to everyone: one line, in which the
        // headline share (improved) is never hidden to protect another.
        let mut kept = Vec::new();
        let mut classes: Vec<&mut Share> = Vec::new();
        for (s, keep) in [
            (&mut self.improved, true),
            (&mut self.unchanged, false),
            (&mut self.deteriorated, false),
        ] {
            if let Some(s) = s.as_mut() {
                classes.push(s);
                kept.push(keep);
            }
        }
        r.share_line(classes, &kept);
        r.opt_share(&mut self.reliable_improvement);
        r.opt_share(&mut self.reliable_deterioration);
        // So do the bands at each end.
        r.share_line(self.bands.iter_mut().map(|b| &mut b.from).collect(), &[]);
        r.share_line(self.bands.iter_mut().map(|b| &mut b.to).collect(), &[]);
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
        // The cohorts first, while the overall count they add up to is exact.
        let total = self.pairs.value.unwrap_or(0);
        for d in &mut self.by_cohort {
            medication_by_cohort(d, r, total);
        }
        if r.hides_base(&self.pairs) {
            self.ome = None;
            self.gabapentinoid = None;
            self.gabapentinoid_ddd = None;
            self.by_cohort.clear();
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

/// Pain medication by the cohorts of one dimension, like the cohort comparison: a cohort
/// too small to show is hidden with its figures, and another beside it while the hidden
/// one could be worked out from the overall `total`; cohorts named by export text are
/// folded when small.
fn medication_by_cohort(d: &mut MedicationByCohort, r: &Rules, total: u64) {
    let exact: Vec<u64> = d
        .cohorts
        .iter()
        .map(|c| c.pairs.value.unwrap_or(0))
        .collect();
    let mut hidden: Vec<bool> = exact.iter().map(|v| r.hides(*v)).collect();
    r.line(&exact, &mut hidden, &[], total, false);
    for (c, hide) in d.cohorts.iter_mut().zip(&hidden) {
        if *hide || r.hides_base(&c.pairs) {
            c.pairs = Count::suppressed();
            c.ome = None;
            c.on_opioid = None;
            c.high_dose = None;
        } else {
            r.count(&mut c.pairs);
            c.ome.disclose(r);
            c.on_opioid.disclose(r);
            c.high_dose.disclose(r);
        }
    }
    if d.labels_from_export {
        let small: Vec<bool> = exact.iter().map(|v| r.hides(*v)).collect();
        fold(&mut d.cohorts, &small, |k| MedicationCohort {
            key: FOLDED.into(),
            label: folded_label(k),
            pairs: Count::suppressed(),
            ome: None,
            on_opioid: None,
            high_dose: None,
        });
    }
}

impl Disclose for BinaryOutcome {
    fn disclose(&mut self, r: &Rules) {
        let base_hidden = r.hides_base(&self.n);
        let exact: Vec<u64> = self.counts.iter().map(|c| c.value.unwrap_or(0)).collect();
        let mut hidden: Vec<bool> = exact.iter().map(|v| r.hides(*v)).collect();
        let n = self.n.value.unwrap_or(0);
        let n_hidden = r.line(&exact, &mut hidden, &[], n, false) || base_hidden;
        for (c, h) in self.counts.iter_mut().zip(&hidden) {
            if *h {
                *c = Count::suppressed();
            } else {
                r.count(c);
            }
        }
        r.share(&mut self.before);
        r.share(&mut self.after);
        if n_hidden {
            self.n = Count::suppressed();
        } else {
            r.count(&mut self.n);
        }
        self.mcnemar_p.disclose(r);
        // The difference and the test, beside the counts, can pin a count down: they go
        // where they would, and wherever a count is hidden; so do the shares before and
        // after, where with the counts alone they would.
        use super::lines::{BinaryParts, binary_exposed};
        let exact4 = [exact[0], exact[1], exact[2], exact[3]];
        let hidden4 = [hidden[0], hidden[1], hidden[2], hidden[3]];
        let all = BinaryParts {
            test: true,
            shares: true,
        };
        if n_hidden
            || self.counts.iter().any(Count::is_suppressed)
            || binary_exposed(r, exact4, hidden4, r.min_n, all)
        {
            self.difference = None;
            self.mcnemar_p = Test::skipped(Reason::SmallNumbers);
        }
        let shares = BinaryParts {
            test: false,
            shares: true,
        };
        if binary_exposed(r, exact4, hidden4, r.min_n, shares) {
            Rules::hide_share(&mut self.before);
            Rules::hide_share(&mut self.after);
        }
    }
}

impl Disclose for Trajectory {
    fn disclose(&mut self, r: &Rules) {
        if r.hides_base(&self.n) {
            self.points.iter_mut().for_each(|p| p.mean = None);
        }
        let total = self.n.value.unwrap_or(0);
        r.count(&mut self.n);
        for dim in &mut self.by_cohort {
            // Cohort sizes add up to the overall, as in the cohort comparison.
            let exact: Vec<u64> = dim.cohorts.iter().map(|c| c.n.value.unwrap_or(0)).collect();
            let mut hidden: Vec<bool> = exact.iter().map(|v| r.hides(*v)).collect();
            r.line(&exact, &mut hidden, &[], total, false);
            for (c, hide) in dim.cohorts.iter_mut().zip(&hidden) {
                if *hide || r.hides_base(&c.n) {
                    c.n = Count::suppressed();
                    c.points.iter_mut().for_each(|p| p.mean = None);
                } else {
                    r.count(&mut c.n);
                }
            }
            if dim.labels_from_export {
                let small: Vec<bool> = exact.iter().map(|v| r.hides(*v)).collect();
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
        // Cohort sizes add up to the overall: hide another cohort while a hidden one could
        // be worked out from the others (the overall is shown beside the outcomes too).
        let exact: Vec<u64> = self
            .cohorts
            .iter()
            .map(|c| c.n.value.unwrap_or(0))
            .collect();
        let mut hidden: Vec<bool> = exact.iter().map(|v| r.hides(*v)).collect();
        let overall = self.overall.n.value.unwrap_or(0);
        let overall_hidden = r.line(&exact, &mut hidden, &[], overall, false);
        // A test across cohorts takes the recorded cohorts with at least min_n pairs: it
        // says nothing of the others, but would of a hidden one among them.
        let tested_hidden = self.cohorts.iter().zip(&hidden).any(|(c, h)| {
            *h && c.key != "not_recorded" && c.n.value.is_some_and(|n| n as usize >= r.min_n)
        });
        for (row, hide) in self.cohorts.iter_mut().zip(&hidden) {
            if *hide {
                row.n = Count::suppressed();
            }
        }
        if overall_hidden {
            self.overall.n = Count::suppressed();
        }
        self.overall.disclose(r);
        self.cohorts.disclose(r);
        if self.labels_from_export {
            // Their names are export text: the small ones go into one row without figures.
            let small: Vec<bool> = exact.iter().map(|v| r.hides(*v)).collect();
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
        if tested_hidden || overall_hidden {
            let reason = Reason::CohortHidden {
                hidden_below: r.policy.hidden_below().unwrap_or(1),
            };
            for t in &mut self.tests {
                t.result = Test::skipped(reason.clone());
            }
            self.ancova = Test::skipped(reason);
            for row in &mut self.cohorts {
                row.adjusted_change = None;
            }
        }
        let mut finding = self.finding.clone();
        finding_against(&mut finding, self);
        self.finding = finding;
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
            self.welch_t = Test::skipped(Reason::SmallNumbers);
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
    /// Each series across the quarters is a line whose total a reader may know (the
    /// cumulative figures, when the programme is younger than the trend), so a hidden
    /// quarter takes another with it while it could be worked out.
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
            let exact: Vec<u64> = qs.iter_mut().map(|q| field(q).value.unwrap_or(0)).collect();
            let mut hidden: Vec<bool> = exact.iter().map(|v| r.hides(*v)).collect();
            let total = exact.iter().sum();
            r.line(&exact, &mut hidden, &[], total, false);
            hidden_lines.push(hidden);
        }
        let better: Vec<u64> = qs
            .iter()
            .map(|q| q.better.numerator.value.unwrap_or(0))
            .collect();
        let mut better_hidden: Vec<bool> = qs
            .iter()
            .map(|q| {
                let mut copy = q.better;
                r.share(&mut copy);
                copy.numerator.is_suppressed()
            })
            .collect();
        r.line(&better, &mut better_hidden, &[], better.iter().sum(), false);
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
            r.share(&mut q.better);
        }
        for (field, hidden) in series.iter().zip(&hidden_lines) {
            for (q, hide) in qs.iter_mut().zip(hidden) {
                if *hide {
                    *field(q) = Count::suppressed();
                }
            }
        }
        for (q, hide) in qs.iter_mut().zip(&better_hidden) {
            if *hide {
                Rules::hide_share(&mut q.better);
            }
        }
        // A figure whose base went with secondary suppression goes too.
        for q in qs.iter_mut() {
            if q.mean_change.n.is_suppressed() {
                // The same pairs are the base of the share improved.
                q.mean_change.value = None;
                q.better.denominator = Count::suppressed();
                Rules::hide_share(&mut q.better);
            }
        }
    }
}

impl Disclose for MethodsRecord {
    fn disclose(&mut self, r: &Rules) {
        for t in &mut self.tests {
            r.count(&mut t.n);
            if let Some(reason) = &mut t.reason {
                reason.disclose(r);
            }
        }
    }
}

impl Disclose for Reason {
    fn disclose(&mut self, r: &Rules) {
        if let Some(n) = self.counts_mut() {
            r.count(n);
        }
    }
}

impl<T> Disclose for Test<T> {
    fn disclose(&mut self, r: &Rules) {
        if let Test::Skipped { reason } = self {
            reason.disclose(r);
        }
    }
}
