//! The methods record: which tests ran, on what n, under which conventions, and why any
//! were skipped. Filled while the analysis runs, so it says what was actually computed.

use crate::config::Config;
use crate::model::{Count, MethodsRecord, PairedSummary, Test, TestRecord};

#[derive(Debug, Default)]
pub struct MethodsLog {
    /// Which window is being computed ("2026/27 Q2" or "cumulative").
    pub scope: String,
    tests: Vec<TestRecord>,
}

impl MethodsLog {
    #[allow(clippy::too_many_arguments)]
    pub fn record(
        &mut self,
        section: &str,
        measure: &str,
        subject: &str,
        method: &str,
        n: usize,
        ran: bool,
        reason: Option<String>,
    ) {
        self.tests.push(TestRecord {
            section: section.to_owned(),
            measure: measure.to_owned(),
            subject: format!("{subject} ({})", self.scope),
            method: method.to_owned(),
            n: Count::from(n),
            ran,
            reason,
        });
    }

    pub fn test<T>(
        &mut self,
        section: &str,
        measure: &str,
        subject: &str,
        method: &str,
        n: usize,
        t: &Test<T>,
    ) {
        let reason = match t {
            Test::Ran(_) => None,
            Test::Skipped { reason } => Some(reason.clone()),
        };
        self.record(
            section,
            measure,
            subject,
            method,
            n,
            reason.is_none(),
            reason,
        );
    }

    /// The two tests of a paired comparison.
    pub fn paired(
        &mut self,
        measure: &str,
        subject: &str,
        n: usize,
        result: Option<&PairedSummary>,
    ) {
        match result {
            Some(r) => {
                self.test(
                    "outcomes",
                    measure,
                    subject,
                    "paired t test",
                    n,
                    &r.paired_t,
                );
                self.test(
                    "outcomes",
                    measure,
                    subject,
                    "Wilcoxon signed-rank test",
                    n,
                    &r.wilcoxon,
                );
            }
            None => self.record(
                "outcomes",
                measure,
                subject,
                "paired comparison",
                n,
                false,
                Some("no pairs".into()),
            ),
        }
    }

    pub fn finish(self, config: &Config) -> MethodsRecord {
        let mut instruments: Vec<String> = config
            .measures
            .iter()
            .map(|m| format!("{}: {}", m.label, m.citation))
            .collect();
        instruments.dedup();
        MethodsRecord {
            conventions: conventions(config),
            tests: self.tests,
            instruments,
        }
    }
}

fn conventions(config: &Config) -> Vec<String> {
    let min_n = config.programme.min_n;
    let t = &config.timepoints;
    let mut c = vec![
        format!(
            "Pairs: a client with a value at {} and at {}; where a timepoint has several values, the first timepoint takes the earliest and later timepoints the latest.",
            t.label_of(&t.compare.from).to_lowercase(),
            t.label_of(&t.compare.to).to_lowercase()
        ),
        "Change is the later value minus the earlier, in the measure's own units; improvement respects each measure's direction.".into(),
        "SWEMWBS raw totals are converted to metric scores before any statistic.".into(),
        "Mean change has a 95% Student t interval; the paired t test and the Wilcoxon signed-rank test (as R's wilcox.test(paired = TRUE): zero differences dropped, average ranks, exact below 50 non-zero pairs without ties, otherwise normal with tie and continuity corrections) are two-sided.".into(),
        "Differences are rounded to 9 decimal places before ranking.".into(),
        "Effect sizes: d_z = mean change / SD of change with a normal-approximation 95% interval; d_av = mean change / mean of the two SDs; Hedges' g_av = d_av x (1 - 3 / (4(n - 1) - 1)); r = |z| / sqrt(non-zero pairs).".into(),
        "Shares improved, unchanged and deteriorated use each measure's meaningful-change threshold; reliable change is Jacobson-Truax (SE_diff = SD_from x sqrt(2) x sqrt(1 - r_xx), threshold 1.96 x SE_diff); shares carry Wilson 95% intervals.".into(),
        format!("Fewer than {min_n} pairs: descriptive figures only (means, SDs, medians, shares and effect sizes without intervals), and no test."),
        "Binary outcomes: exact McNemar test (two-sided binomial, capped at 1) and the difference in proportions with a Wald 95% interval.".into(),
        "Cohorts: Welch t and Mann-Whitney tests on change for two cohorts, Welch one-way ANOVA and Kruskal-Wallis for more; ANCOVA of the later value on baseline and cohort, cohort entered after baseline (type II F), with adjusted mean changes at the mean baseline of the clients in the model.".into(),
        "Cohorts with fewer pairs than the minimum are shown but left out of the tests; clients whose cohort is not recorded are left out of the tests.".into(),
        "Attrition: baselines of clients with a pair against clients with a baseline only, among clients whose support had ended (Welch t, standardised mean difference).".into(),
        "Sensitivity: among clients whose support had ended, baseline observation carried forward (no change assumed where the later value is missing) beside the result for those with both values.".into(),
        "Periods: activity counts by its own date within the period; outcomes count clients whose later assessment falls within the period; cumulative figures run from the programme start to the end of the period.".into(),
        "Pain medication: oral morphine equivalent mg/day from UK conversion factors; a timepoint with any rejected medication line is left out rather than under-counted.".into(),
    ];
    if config.programme.primary_outcome.is_some() {
        c.push("One primary outcome; secondary outcomes' p-values are also shown Holm-adjusted (as R's p.adjust(method = \"holm\")).".into());
    } else {
        c.push("No primary outcome is configured; every outcome's p-value is also shown Holm-adjusted.".into());
    }
    c
}
