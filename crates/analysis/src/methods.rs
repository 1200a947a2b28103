//! The methods record: which tests ran, on what n, under which conventions, and why any
//! were skipped. Filled while the analysis runs, so it says what was actually computed.

use sprout_config::Config;
use sprout_model::{
    Conventions, Count, InstrumentCitation, Method, MethodsRecord, PairedSummary, Reason, Test,
    TestRecord,
};

#[derive(Debug, Default)]
pub struct MethodsLog {
    /// Which window is being computed ("2026/27 Q2" or "cumulative").
    pub scope: String,
    tests: Vec<TestRecord>,
}

impl MethodsLog {
    /// Adds the records of a log kept beside this one (a section worked out on another
    /// thread), after this one's.
    pub fn append(&mut self, other: MethodsLog) {
        self.tests.extend(other.tests);
    }

    #[allow(clippy::too_many_arguments)]
    pub fn record(
        &mut self,
        section: &str,
        measure: &str,
        subject: &str,
        method: Method,
        n: usize,
        ran: bool,
        reason: Option<Reason>,
    ) {
        self.tests.push(TestRecord {
            section: section.to_owned(),
            measure: measure.to_owned(),
            subject: format!("{subject} ({})", self.scope),
            method,
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
        method: Method,
        n: usize,
        t: &Test<T>,
    ) {
        let reason = t.reason().cloned();
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
                    Method::PairedT,
                    n,
                    &r.paired_t,
                );
                self.test(
                    "outcomes",
                    measure,
                    subject,
                    Method::Wilcoxon,
                    n,
                    &r.wilcoxon,
                );
            }
            None => self.record(
                "outcomes",
                measure,
                subject,
                Method::PairedComparison,
                n,
                false,
                Some(Reason::NoPairs),
            ),
        }
    }

    pub fn finish(self, config: &Config) -> MethodsRecord {
        let mut instruments: Vec<InstrumentCitation> = config
            .measures
            .iter()
            .map(|m| InstrumentCitation {
                label: m.label.clone(),
                citation: m.citation.clone(),
            })
            .collect();
        instruments.dedup();
        MethodsRecord {
            conventions: conventions(config),
            tests: self.tests,
            instruments,
        }
    }
}

fn conventions(config: &Config) -> Conventions {
    let t = &config.timepoints;
    Conventions {
        min_n: config.programme.min_n,
        confidence_level: 0.95,
        rank_rounding_decimals: 9,
        compare_from: t.label_of(&t.compare.from).to_owned(),
        compare_to: t.label_of(&t.compare.to).to_owned(),
        primary_outcome: config.programme.primary_outcome.as_ref().map(|id| {
            config
                .measures
                .iter()
                .find(|m| &m.id == id)
                .map_or_else(|| id.clone(), |m| m.label.clone())
        }),
        swemwbs_metric: config.measures.iter().any(|m| m.conversion.is_some()),
        medication: config.tables.medications.is_some(),
        gabapentinoid_ddd: config.medication.gabapentinoid_ddd,
        cohorts: !config.cohorts.is_empty(),
        costs: config.costs.is_some(),
    }
}
