//! Publication (methods.md section 8): the model of an audience whose policy hides figures
//! keeps every figure at the precision the reports show it, rounded once from the exact
//! value by the rule every audience shares ([`precision`]), and nothing from which a
//! hidden or rounded count could be worked back: no degrees of freedom, test statistics,
//! sums of ranks, totals of minutes, medians or quartiles of whole-number scores, means
//! that divide a published total, or the methods record's per-test counts. Figures the
//! reports never show these readers (change distributions, band shifts, reliable change)
//! are left out.

use super::Rules;
use super::precision::{self, EFFECT};
use sprout_config::CostBasis;
use sprout_model::*;

/// The count a report shows for `n` under `rules`.
fn shown(rules: &Rules, n: u64) -> u64 {
    if rules.policy.rounded_to().is_some() && !rules.hides(n) && n > 0 {
        precision::nearest_five(n)
    } else {
        n
    }
}

/// The upper 2.5% point of Student's t on `df` degrees of freedom.
fn t_quantile(df: f64) -> Option<f64> {
    sprout_stats::t_upper_quantile(0.025, df)
}

/// A 95% t interval of `value` from its SD on `n` values.
fn t_interval(value: f64, sd: f64, n: u64) -> Option<(f64, f64)> {
    if n < 2 || !sd.is_finite() {
        return None;
    }
    let half = t_quantile((n - 1) as f64)? * sd / (n as f64).sqrt();
    Some((value - half, value + half))
}

/// The SD a t interval on `n` values was worked out from.
fn sd_of(e: &Estimate, n: u64) -> Option<f64> {
    let upper = e.upper?;
    if n < 2 {
        return None;
    }
    Some((upper - e.value) * (n as f64).sqrt() / t_quantile((n - 1) as f64)?)
}

/// An interval of `e` worked out again on `shown` values (where it has one).
fn on_shown(e: &mut Estimate, sd: Option<f64>, shown: u64) {
    if e.lower.is_none() {
        return;
    }
    if let Some((l, u)) = sd.and_then(|sd| t_interval(e.value, sd, shown)) {
        e.lower = Some(l);
        e.upper = Some(u);
    }
}

/// Before disclosure control, for an audience whose policy hides figures: every figure
/// that depends on how many people it rests on — the t intervals of means and changes,
/// the interval of d_z, the paired t test's p, the comparison over time — is worked out
/// again on the count as the report shows it (rounded to 5), from the exact mean and SD.
/// With the count exact, such a figure beside the SD or d_z would give the count back;
/// worked out on the shown count, it tells the reader nothing the shown figures do not.
/// The Wilcoxon test, whose p and exactness rest on the count of non-zero pairs, is not
/// published; nor are the sections the reports do not show these readers (trajectories,
/// the attrition check, the sensitivity analysis, the phase spans).
pub fn on_shown_counts(m: &mut ReportModel, rules: &Rules) {
    if !rules.hides_any() {
        return;
    }
    let primary_sd: Vec<(String, u64, Option<f64>)> = m
        .outcomes
        .period
        .comparisons
        .iter()
        .filter(|c| c.main)
        .map(|c| {
            (
                c.measure.clone(),
                c.n.value.unwrap_or(0),
                c.result.as_ref().and_then(|r| r.change.sd),
            )
        })
        .collect();
    for o in [&mut m.outcomes.period, &mut m.outcomes.cumulative] {
        o.comparisons.retain(|c| c.main);
        for c in &mut o.comparisons {
            let n = c.n.value.unwrap_or(0);
            if let Some(r) = &mut c.result {
                paired_on_shown(r, n, shown(rules, n));
            }
        }
    }
    if let Some(med) = &mut m.medication {
        for o in [&mut med.period, &mut med.cumulative] {
            let n = o.pairs.value.unwrap_or(0);
            for s in [&mut o.ome, &mut o.gabapentinoid, &mut o.gabapentinoid_ddd]
                .into_iter()
                .flatten()
            {
                paired_on_shown(s, n, shown(rules, n));
            }
            for c in o.by_cohort.iter_mut().flat_map(|d| d.cohorts.iter_mut()) {
                let n = c.pairs.value.unwrap_or(0);
                if let Some(s) = &mut c.ome {
                    paired_on_shown(s, n, shown(rules, n));
                }
            }
        }
    }
    for list in [&mut m.cohorts.period, &mut m.cohorts.cumulative] {
        for c in list.iter_mut() {
            for row in std::iter::once(&mut c.overall).chain(c.cohorts.iter_mut()) {
                let n = row.n.value.unwrap_or(0);
                if let Some(r) = &mut row.result {
                    paired_on_shown(r, n, shown(rules, n));
                }
            }
        }
    }
    for q in &mut m.trend.quarters {
        let n = q.mean_change.n.value.unwrap_or(0);
        if let Some(e) = &mut q.mean_change.value {
            let sd = sd_of(e, n);
            on_shown(e, sd, shown(rules, n));
        }
    }
    for p in &mut m.main_points.points {
        if let MainPoint::OverTime(o) = p {
            let n2 = o.previous.n.value.unwrap_or(0);
            let s2 = o.previous.value.as_ref().and_then(|e| sd_of(e, n2));
            let r2 = shown(rules, n2);
            if let Some(e) = &mut o.previous.value {
                on_shown(e, s2, r2);
            }
            let now = primary_sd.iter().find(|x| x.0 == o.measure);
            if let (Test::Ran(d), Some((_, n1, Some(s1))), Some(s2)) = (&mut o.difference, now, s2)
            {
                welch_on_shown(d, *s1, shown(rules, *n1), s2, r2);
            }
        }
    }
    m.trajectories.clear();
    m.attrition.clear();
    m.sensitivity.clear();
}

/// A paired comparison's n-dependent figures on the shown count `r` of its `n` pairs.
fn paired_on_shown(s: &mut PairedSummary, n: u64, r: u64) {
    s.wilcoxon = Test::skipped(Reason::NotPublished);
    if r == n {
        return;
    }
    on_shown(&mut s.from_mean, s.from.sd, r);
    on_shown(&mut s.to_mean, s.to.sd, r);
    if let Some(e) = &mut s.mean_change {
        on_shown(e, s.change.sd, r);
    }
    if let Some(d) = &mut s.d_z
        && d.lower.is_some()
    {
        let half =
            1.959_963_984_540_054 * (1.0 / r as f64 + d.value * d.value / (2.0 * r as f64)).sqrt();
        d.lower = Some(d.value - half);
        d.upper = Some(d.value + half);
    }
    if let (Test::Ran(t), Some(mean), Some(sd)) =
        (&mut s.paired_t, s.mean_change.map(|e| e.value), s.change.sd)
        && r >= 2
        && sd > 0.0
    {
        let stat = mean / (sd / (r as f64).sqrt());
        if let Some(p) = sprout_stats::t_two_sided_p(stat, (r - 1) as f64) {
            *t = TStat {
                t: Some(stat),
                df: Some((r - 1) as f64),
                p,
            };
        }
    }
}

/// Welch's two-sample t interval and p of a difference, on the shown counts.
fn welch_on_shown(d: &mut Difference, s1: f64, r1: u64, s2: f64, r2: u64) {
    if r1 < 2 || r2 < 2 {
        return;
    }
    let (v1, v2) = (s1 * s1 / r1 as f64, s2 * s2 / r2 as f64);
    let se = (v1 + v2).sqrt();
    if se <= 0.0 {
        return;
    }
    let df = (v1 + v2).powi(2) / (v1 * v1 / (r1 - 1) as f64 + v2 * v2 / (r2 - 1) as f64);
    let (Some(q), Some(p)) = (
        t_quantile(df),
        sprout_stats::t_two_sided_p(d.estimate.value / se, df),
    ) else {
        return;
    };
    d.estimate.lower = Some(d.estimate.value - q * se);
    d.estimate.upper = Some(d.estimate.value + q * se);
    d.p = p;
}

/// Rounds and withholds, for a model already through disclosure control. A model whose
/// policy hides nothing (the evaluator's, by default) is left as it is.
pub fn publish(m: &mut ReportModel) {
    if m.meta.disclosure.hidden_below.is_none() {
        return;
    }
    let decimals: Vec<(String, usize)> = m
        .meta
        .measures
        .iter()
        .map(|x| (x.id.clone(), precision::measure(x.min, x.max)))
        .collect();
    let dp = |id: &str| decimals.iter().find(|d| d.0 == id).map_or(1, |d| d.1);
    outcomes(m, &dp);
    medication(m);
    trajectories(m, &dp);
    cohorts(m, &dp);
    attrition_and_sensitivity(m, &dp);
    counts_and_spreads(m, &dp);
    main_points(m, &dp);
    // Which test ran on how many: the evaluator's appendix, and a count per test.
    m.methods.tests.clear();
}

/// Each measure's paired comparisons, and their Holm-adjusted p.
fn outcomes(m: &mut ReportModel, dp: &dyn Fn(&str) -> usize) {
    for o in [&mut m.outcomes.period, &mut m.outcomes.cumulative] {
        for c in &mut o.comparisons {
            let d = dp(&c.measure);
            if let Some(r) = &mut c.result {
                paired(r, d);
            }
            c.p_holm = c.p_holm.map(precision::p_value);
        }
    }
}

/// The doses' paired comparisons and the yes/no outcomes.
fn medication(m: &mut ReportModel) {
    if let Some(med) = &mut m.medication {
        for o in [&mut med.period, &mut med.cumulative] {
            for s in [&mut o.ome, &mut o.gabapentinoid].into_iter().flatten() {
                paired(s, 0);
            }
            if let Some(s) = &mut o.gabapentinoid_ddd {
                paired(s, 2);
            }
            for c in o.by_cohort.iter_mut().flat_map(|d| d.cohorts.iter_mut()) {
                if let Some(s) = &mut c.ome {
                    paired(s, 0);
                }
                for b in [&mut c.on_opioid, &mut c.high_dose].into_iter().flatten() {
                    b.difference = b.difference.map(|e| estimate(e, 2));
                }
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
}

/// Trajectory means, overall and by cohort.
fn trajectories(m: &mut ReportModel, dp: &dyn Fn(&str) -> usize) {
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
}

/// Cohort rows, their adjusted changes, and the tests across cohorts without their
/// statistics.
fn cohorts(m: &mut ReportModel, dp: &dyn Fn(&str) -> usize) {
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
}

/// The attrition checks and the sensitivity analyses.
fn attrition_and_sensitivity(m: &mut ReportModel, dp: &dyn Fn(&str) -> usize) {
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
}

/// The trend, completion shares, engagement spreads and costs.
fn counts_and_spreads(m: &mut ReportModel, dp: &dyn Fn(&str) -> usize) {
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
            // Hours of contact to the whole hour, and the cost of those hours: not an
            // exact total of minutes.
            c.units = precision::round(c.units, 0);
            if c.basis == CostBasis::PerContactHour {
                c.total = precision::round(c.rate * c.units, 0);
            } else {
                c.total = precision::round(c.total, 0);
            }
        }
    }
}

/// The over-time main point.
fn main_points(m: &mut ReportModel, dp: &dyn Fn(&str) -> usize) {
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
