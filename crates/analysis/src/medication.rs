//! Pain medication outcomes: oral morphine equivalent and gabapentinoid doses before and
//! after, who stopped, reduced or increased, and the on-opioid and high-dose shares.

use super::data::{ClientIx, Data, MedicationTotal};
use super::dimensions::cohort_dims;
use super::methods::MethodsLog;
use super::outcomes::paired_summary;
use sprout_clinical::medication::HIGH_DOSE_OME_MG_PER_DAY;
use sprout_config::Config;
use sprout_core::period::Window;
use sprout_model::{
    BinaryOutcome, Breakdown, Count, Estimate, MedicationByCohort, MedicationCohort,
    MedicationOutcomes, Method, Reason, Share, Test,
};
use sprout_stats::{self as stats, Direction, PairedCounts, PairedOptions};

pub fn medication(
    config: &Config,
    data: &Data,
    window: &Window,
    log: &mut MethodsLog,
) -> Option<MedicationOutcomes> {
    let totals = data.medication.as_ref()?;
    let t = &config.timepoints;
    let (from, to) = (t.compare.from_ix.index(), t.compare.to_ix.index());
    let mut pairs: Vec<(ClientIx, MedicationTotal, MedicationTotal)> = totals[to]
        .iter()
        .filter(|(_, v)| v.date.is_some_and(|d| window.contains(d)))
        .filter_map(|(c, after)| {
            totals[from]
                .get(c)
                .filter(|b| b.date <= after.date)
                .map(|before| (c, *before, *after))
        })
        .collect();
    pairs.sort_by_key(|p| p.0);
    let n = pairs.len();
    let incomplete = lost_pairs(data, from, to, window);
    let opts = PairedOptions {
        direction: Direction::LowerIsBetter,
        mcid: None,
        reliability: None,
        min_n: config.programme.min_n,
        conf_level: 0.95,
    };
    let ome_before: Vec<f64> = pairs.iter().map(|p| p.1.ome).collect();
    let ome_after: Vec<f64> = pairs.iter().map(|p| p.2.ome).collect();
    let gaba_before: Vec<f64> = pairs.iter().map(|p| p.1.gabapentinoid).collect();
    let gaba_after: Vec<f64> = pairs.iter().map(|p| p.2.gabapentinoid).collect();
    let ome = paired_summary(&ome_before, &ome_after, &opts, None);
    let gabapentinoid = paired_summary(&gaba_before, &gaba_after, &opts, None);
    let gabapentinoid_ddd = config.medication.gabapentinoid_ddd.then(|| {
        let before: Vec<f64> = pairs.iter().map(|p| p.1.gabapentinoid_ddd).collect();
        let after: Vec<f64> = pairs.iter().map(|p| p.2.gabapentinoid_ddd).collect();
        let summary = paired_summary(&before, &after, &opts, None);
        log.paired(
            "gabapentinoid_ddd",
            "gabapentinoid dose in WHO defined daily doses",
            n,
            summary.as_ref(),
        );
        summary
    });
    log.paired(
        "ome_mg_per_day",
        "oral morphine equivalent",
        n,
        ome.as_ref(),
    );
    log.paired(
        "gabapentinoid_mg_per_day",
        "gabapentinoid dose",
        n,
        gabapentinoid.as_ref(),
    );

    let opioid_change = opioid_change(&pairs);

    let min_n = config.programme.min_n;
    let mut binary =
        |name: &str, yes: &dyn Fn(&MedicationTotal) -> bool| binary(&pairs, name, yes, min_n, log);
    let on_opioid = binary("on_opioid", &|m| m.ome > 0.0);
    let high_dose = binary("high_dose", &|m| m.ome >= HIGH_DOSE_OME_MG_PER_DAY);
    let on_gabapentinoid = binary("on_gabapentinoid", &|m| m.gabapentinoid > 0.0);
    Some(MedicationOutcomes {
        from: t.compare.from.clone(),
        to: t.compare.to.clone(),
        pairs: Count::from(n),
        incomplete: Count::from(incomplete),
        ome,
        gabapentinoid,
        gabapentinoid_ddd: gabapentinoid_ddd.flatten(),
        opioid_change,
        on_opioid,
        high_dose,
        on_gabapentinoid,
        by_cohort: by_cohort(config, data, &pairs, &opts),
    })
}

/// The opioid figures for each cohort of each dimension, descriptive only: the tests
/// within cohorts are neither run for the methods record nor published.
fn by_cohort(
    config: &Config,
    data: &Data,
    pairs: &[(ClientIx, MedicationTotal, MedicationTotal)],
    opts: &PairedOptions,
) -> Vec<MedicationByCohort> {
    let min_n = config.programme.min_n;
    let mut scratch = MethodsLog::default();
    cohort_dims(config)
        .iter()
        .map(|dim| {
            let assigned = dim.assign(&data.clients);
            let levels = assigned.present_or_listed(pairs.iter().map(|p| p.0));
            let cohorts = levels
                .into_iter()
                .map(|l| {
                    let mine: Vec<(ClientIx, MedicationTotal, MedicationTotal)> = pairs
                        .iter()
                        .filter(|p| assigned.level_of(p.0) == l)
                        .copied()
                        .collect();
                    let before: Vec<f64> = mine.iter().map(|p| p.1.ome).collect();
                    let after: Vec<f64> = mine.iter().map(|p| p.2.ome).collect();
                    let ome = paired_summary(&before, &after, opts, None).map(|mut s| {
                        s.paired_t = Test::skipped(Reason::NotPublished);
                        s.wilcoxon = Test::skipped(Reason::NotPublished);
                        s
                    });
                    let mut yes_no = |yes: &dyn Fn(&MedicationTotal) -> bool| {
                        binary(&mine, "", yes, min_n, &mut scratch).map(|mut b| {
                            b.mcnemar_p = Test::skipped(Reason::NotPublished);
                            b
                        })
                    };
                    let (key, label) = &assigned.levels[l];
                    MedicationCohort {
                        key: key.clone(),
                        label: label.clone(),
                        pairs: Count::from(mine.len()),
                        ome,
                        on_opioid: yes_no(&|m| m.ome > 0.0),
                        high_dose: yes_no(&|m| m.ome >= HIGH_DOSE_OME_MG_PER_DAY),
                    }
                })
                .collect();
            MedicationByCohort {
                dimension: dim.id.clone(),
                dimension_label: dim.label.clone(),
                cohorts,
                labels_from_export: dim.labels_from_export(),
            }
        })
        .collect()
}

/// How the dose of those on opioids before changed: stopped, reduced, the same, increased.
fn opioid_change(pairs: &[(ClientIx, MedicationTotal, MedicationTotal)]) -> Breakdown {
    let on: Vec<&(ClientIx, MedicationTotal, MedicationTotal)> =
        pairs.iter().filter(|p| p.1.ome > 0.0).collect();
    let eq = |a: f64, b: f64| (a - b).abs() < 1e-9;
    let changes = [
        (
            "stopped",
            "Stopped opioids",
            on.iter().filter(|p| eq(p.2.ome, 0.0)).count(),
        ),
        (
            "reduced",
            "Reduced the dose",
            on.iter()
                .filter(|p| p.2.ome > 0.0 && p.2.ome < p.1.ome - 1e-9)
                .count(),
        ),
        (
            "unchanged",
            "Same dose",
            on.iter().filter(|p| eq(p.2.ome, p.1.ome)).count(),
        ),
        (
            "increased",
            "Increased the dose",
            on.iter().filter(|p| p.2.ome > p.1.ome + 1e-9).count(),
        ),
    ];
    Breakdown::from_counts(
        changes
            .iter()
            .map(|(k, l, n)| ((*k).into(), (*l).into(), *n as u64))
            .collect(),
    )
}

/// A yes/no outcome before and after (on an opioid, a high dose, a gabapentinoid): the
/// shares, the paired table, the difference and the exact McNemar test.
fn binary(
    pairs: &[(ClientIx, MedicationTotal, MedicationTotal)],
    name: &str,
    yes: &dyn Fn(&MedicationTotal) -> bool,
    min_n: usize,
    log: &mut MethodsLog,
) -> Option<BinaryOutcome> {
    let n = pairs.len();
    if n == 0 {
        return None;
    }
    let mut counts = PairedCounts {
        a: 0,
        b: 0,
        c: 0,
        d: 0,
    };
    for p in pairs {
        match (yes(&p.1), yes(&p.2)) {
            (true, true) => counts.a += 1,
            (true, false) => counts.b += 1,
            (false, true) => counts.c += 1,
            (false, false) => counts.d += 1,
        }
    }
    let result = stats::binary_paired_comparison(counts, 0.95);
    let mcnemar_p: Test<f64> = if counts.b == 0 && counts.c == 0 {
        Test::skipped(Reason::NobodyChanged)
    } else if n < min_n {
        Test::skipped(stats::NotComputable::BelowMinimum { n, min_n }.into())
    } else {
        result.mcnemar.map(|m| m.p).into()
    };
    log.test(
        "medication",
        name,
        "before and after",
        Method::McNemar,
        n,
        &mcnemar_p,
    );
    let total = n as u64;
    Some(BinaryOutcome {
        n: Count::from(n),
        before: Share::with_ci(counts.a + counts.b, total),
        after: Share::with_ci(counts.a + counts.c, total),
        counts: [
            Count::new(counts.a),
            Count::new(counts.b),
            Count::new(counts.c),
            Count::new(counts.d),
        ],
        difference: result.difference.ok().map(|d| {
            Estimate {
                value: d.difference,
                lower: d.ci.map(|c| c.lower),
                upper: d.ci.map(|c| c.upper),
            }
            .gated(n, min_n)
        }),
        mcnemar_p,
    })
}

/// Clients who would have a before-and-after pair in the window but for a rejected
/// medication line at either end.
fn lost_pairs(data: &Data, from: usize, to: usize, window: &Window) -> usize {
    let (Some(totals), Some(unknown)) = (
        data.medication.as_ref(),
        data.medication_incomplete
            .get(from)
            .zip(data.medication_incomplete.get(to)),
    ) else {
        return 0;
    };
    let (unknown_from, unknown_to) = unknown;
    let after = |c: ClientIx| {
        totals[to]
            .get(c)
            .map(|t| t.date)
            .or_else(|| unknown_to.get(c).map(|d| Some(*d)))
            .flatten()
    };
    let before = |c: ClientIx| {
        totals[from]
            .get(c)
            .and_then(|t| t.date)
            .or_else(|| unknown_from.get(c).copied())
    };
    let candidates = unknown_from
        .iter()
        .map(|(c, _)| c)
        .chain(unknown_to.iter().map(|(c, _)| c));
    let mut lost: Vec<ClientIx> = candidates
        .filter(|&c| match (before(c), after(c)) {
            (Some(b), Some(a)) => window.contains(a) && b <= a,
            _ => false,
        })
        .collect();
    lost.sort_unstable();
    lost.dedup();
    lost.len()
}
