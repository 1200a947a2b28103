//! Publication (methods.md section 8): the model of an audience whose policy hides figures
//! keeps every figure at the precision the reports show it, rounded once from the exact
//! value by the rule every audience shares ([`precision`]), and nothing from which a
//! hidden or rounded count could be worked back: no degrees of freedom, test statistics,
//! sums of ranks, totals of minutes, medians or quartiles of whole-number scores, means
//! that divide a published total, or the methods record's per-test counts. Figures the
//! reports never show these readers (change distributions, band shifts, reliable change)
//! are left out.

use super::super::points::*;
use super::super::*;
use super::precision::{self, EFFECT};

/// Rounds and withholds, for a model already through disclosure control. A model whose
/// policy hides nothing (the evaluator's, by default) is left as it is.
pub fn publish(m: &mut ReportModel) {
    if m.meta.disclosure.hidden_below.is_none() {
        return;
    }
    let dp: Vec<(String, usize)> = m
        .meta
        .measures
        .iter()
        .map(|x| (x.id.clone(), precision::measure(x.min, x.max)))
        .collect();
    let dp = |id: &str| dp.iter().find(|d| d.0 == id).map_or(1, |d| d.1);

    for o in [&mut m.outcomes.period, &mut m.outcomes.cumulative] {
        for c in &mut o.comparisons {
            let d = dp(&c.measure);
            if let Some(r) = &mut c.result {
                paired(r, d);
            }
            c.p_holm = c.p_holm.map(precision::p_value);
        }
    }
    if let Some(med) = &mut m.medication {
        for o in [&mut med.period, &mut med.cumulative] {
            for s in [&mut o.ome, &mut o.gabapentinoid].into_iter().flatten() {
                paired(s, 0);
            }
            if let Some(s) = &mut o.gabapentinoid_ddd {
                paired(s, 2);
            }
            for b in [&mut o.on_opioid, &mut o.high_dose, &mut o.on_gabapentinoid]
                .into_iter()
                .flatten()
            {
                // A difference in proportions, shown in whole percentage points.
                b.difference = b.difference.map(|e| estimate(e, 2));
                if let Test::Ran(p) = &mut b.mcnemar_p {
                    *p = precision::p_value(*p);
                }
            }
        }
    }
    for t in &mut m.trajectories {
        let d = dp(&t.measure);
        let points = t.points.iter_mut().chain(
            t.by_cohort
                .iter_mut()
                .flat_map(|c| c.cohorts.iter_mut().flat_map(|c| c.points.iter_mut())),
        );
        for p in points {
            p.mean = p.mean.map(|e| estimate(e, d));
        }
    }
    for list in [&mut m.cohorts.period, &mut m.cohorts.cumulative] {
        for c in list.iter_mut() {
            let d = dp(&c.measure);
            for row in std::iter::once(&mut c.overall).chain(c.cohorts.iter_mut()) {
                if let Some(r) = &mut row.result {
                    paired(r, d);
                }
                row.adjusted_change = row.adjusted_change.map(|e| estimate(e, d));
            }
            for t in &mut c.tests {
                if let Test::Ran(s) = &mut t.result {
                    *s = GroupStat {
                        statistic: None,
                        df1: None,
                        df2: None,
                        p: precision::p_value(s.p),
                    };
                }
            }
            if let Test::Ran(a) = &mut c.ancova {
                *a = AncovaSummary {
                    f: None,
                    df1: None,
                    df2: None,
                    p: precision::p_value(a.p),
                    baseline_slope: precision::round(a.baseline_slope, EFFECT),
                    mean_baseline: precision::round(a.mean_baseline, d),
                };
            }
        }
    }
    for a in &mut m.attrition {
        let d = dp(&a.measure);
        for b in [&mut a.completers, &mut a.baseline_only] {
            if let Some(s) = &mut b.value {
                *s = summary(*s, d);
            }
        }
        t_stat(&mut a.welch_t);
        a.standardised_difference = a
            .standardised_difference
            .map(|x| precision::round(x, EFFECT));
    }
    for s in &mut m.sensitivity {
        let d = dp(&s.measure);
        for b in [&mut s.completers, &mut s.carried_forward] {
            b.value = b.value.map(|e| estimate(e, d));
        }
    }
    let trend_dp = m.trend.measure.as_deref().map_or(1, dp);
    for q in &mut m.trend.quarters {
        q.mean_change.value = q.mean_change.value.map(|e| estimate(e, trend_dp));
        percent_only(&mut q.better);
    }
    for f in [&mut m.flow.period, &mut m.flow.cumulative] {
        for c in &mut f.ended.completion {
            percent_only(&mut c.share);
        }
    }
    for e in [&mut m.engagement.period, &mut m.engagement.cumulative] {
        spread(&mut e.sessions_per_client, 0);
        spread(&mut e.minutes_per_client, 0);
        spread(&mut e.days_to_first_contact, 0);
        spread(&mut e.weeks_of_support, precision::SPREAD);
        for p in &mut e.by_phase {
            spread(&mut p.sessions_per_client, 0);
        }
        // A total of minutes: with the people it is spread over, a count.
        e.minutes_total.value = None;
    }
    if let Some(costs) = &mut m.costs {
        for c in [&mut costs.period, &mut costs.cumulative] {
            c.units = precision::round(c.units, 0);
            c.total = precision::round(c.total, 0);
        }
    }
    for p in &mut m.main_points.points {
        if let MainPoint::OverTime(o) = p {
            let d = dp(&o.measure);
            o.previous.value = o.previous.value.map(|e| estimate(e, d));
            if let Test::Ran(x) = &mut o.difference {
                x.estimate = estimate(x.estimate, d);
                x.p = precision::p_value(x.p);
            }
        }
    }
    // Which test ran on how many: the evaluator's appendix, and a count per test.
    m.methods.tests.clear();
}

/// A paired comparison as published: means, SDs and intervals to the measure's decimals,
/// effect sizes to two, p-values to three; the headline shares; no test statistics, no
/// medians or quartiles, and none of what only the evaluator's report shows.
fn paired(s: &mut PairedSummary, dp: usize) {
    s.from = summary(s.from, dp);
    s.to = summary(s.to, dp);
    s.change = summary(s.change, dp);
    s.from_mean = estimate(s.from_mean, dp);
    s.to_mean = estimate(s.to_mean, dp);
    s.mean_change = s.mean_change.map(|e| estimate(e, dp));
    t_stat(&mut s.paired_t);
    if let Test::Ran(w) = &mut s.wilcoxon {
        *w = WilcoxonStat {
            v: None,
            p: precision::p_value(w.p),
            exact: w.exact,
            r: precision::round(w.r, EFFECT),
        };
    }
    // The reports show these two as percentages only.
    percent_only(&mut s.better);
    if let Some(share) = &mut s.improved {
        percent_only(share);
    }
    s.d_z = s.d_z.map(|e| estimate(e, EFFECT));
    s.d_av = s.d_av.map(|x| precision::round(x, EFFECT));
    s.g_av = s.g_av.map(|x| precision::round(x, EFFECT));
    s.unchanged = None;
    s.deteriorated = None;
    s.reliable_improvement = None;
    s.reliable_deterioration = None;
    s.bands.clear();
    s.distribution.clear();
}

/// A share the reports show as a percentage alone: its numerator is not published.
fn percent_only(s: &mut Share) {
    if s.proportion.is_some() {
        s.numerator = Count::withheld();
    }
}

fn summary(s: Summary, dp: usize) -> Summary {
    Summary {
        mean: precision::round(s.mean, dp),
        sd: s.sd.map(|x| precision::round(x, dp)),
        median: None,
        q1: None,
        q3: None,
    }
}

fn estimate(e: Estimate, dp: usize) -> Estimate {
    Estimate {
        value: precision::round(e.value, dp),
        lower: e.lower.map(|x| precision::round(x, dp)),
        upper: e.upper.map(|x| precision::round(x, dp)),
    }
}

fn t_stat(t: &mut Test<TStat>) {
    if let Test::Ran(s) = t {
        *s = TStat {
            t: None,
            df: None,
            p: precision::p_value(s.p),
        };
    }
}

fn spread(s: &mut Option<Based<Spread>>, dp: usize) {
    if let Some(Based { value: Some(v), .. }) = s {
        *v = Spread {
            median: precision::round(v.median, dp),
            q1: precision::round(v.q1, dp),
            q3: precision::round(v.q3, dp),
            mean: None,
        };
    }
}
