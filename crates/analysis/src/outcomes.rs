//! Outcomes per measure (methods.md sections 1, 2, 5 and 6): the main baseline -> discharge
//! comparison and each phase span, Holm-adjusted secondary p-values, trajectories across
//! timepoints, the attrition check and the carried-forward sensitivity analysis.

use super::data::{ClientIx, Data};
use super::methods::MethodsLog;
use sprout_clinical::instruments::Measure;
use sprout_config::Config;
use sprout_core::period::Window;
use sprout_model::*;
use sprout_stats::{self as stats, PairedOptions, Sample};

/// Paired values of one measure: clients with a value at both timepoints whose later
/// value falls in the window. Returns (clients, from, to) in client order.
pub fn pairs(
    data: &Data,
    measure: usize,
    from: usize,
    to: usize,
    window: &Window,
) -> (Vec<ClientIx>, Vec<f64>, Vec<f64>) {
    let Some(by_tp) = data.values.get(measure) else {
        return Default::default();
    };
    let mut rows: Vec<(ClientIx, f64, f64)> = by_tp[to]
        .iter()
        .filter(|(_, v)| window.contains(v.date))
        .filter_map(|(c, t)| {
            by_tp[from]
                .get(c)
                .filter(|f| f.date <= t.date)
                .map(|f| (c, f.value, t.value))
        })
        .collect();
    rows.sort_by_key(|r| r.0);
    let clients = rows.iter().map(|r| r.0).collect();
    let from = rows.iter().map(|r| r.1).collect();
    let to = rows.into_iter().map(|r| r.2).collect();
    (clients, from, to)
}

fn summary(d: &stats::Descriptives) -> Summary {
    Summary {
        mean: d.mean,
        sd: d.sd,
        median: Some(d.median),
        q1: Some(d.q1),
        q3: Some(d.q3),
    }
}

fn estimate(value: f64, ci: &stats::Interval) -> Estimate {
    Estimate::with_ci(value, ci.lower, ci.upper)
}

/// Mean change with its t interval; the mean alone where no interval can be given (no
/// variation) or fewer than `min_n` pairs make one inappropriate.
pub fn mean_change(from: &[f64], to: &[f64], min_n: usize) -> Option<Estimate> {
    let changes: Vec<f64> = from.iter().zip(to).map(|(a, b)| b - a).collect();
    let mean = stats::describe(&changes).ok()?.mean;
    let ci = stats::mean_change(from, to, 0.95).ok().map(|m| m.ci);
    Some(
        Estimate {
            value: mean,
            lower: ci.map(|c| c.lower),
            upper: ci.map(|c| c.upper),
        }
        .gated(changes.len(), min_n),
    )
}

/// The mean of some values with its one-sample 95% t interval (R's `t.test(x)`), the
/// mean alone where there is no variation or fewer than `min_n` values.
pub fn mean_estimate(values: &[f64], min_n: usize) -> Option<Estimate> {
    let e = match stats::mean_interval(values, 0.95) {
        Ok(m) => Estimate::with_ci(m.mean, m.ci.lower, m.ci.upper),
        // One value, or no variation: the mean alone.
        Err(_) => Estimate {
            value: stats::describe(values).ok()?.mean,
            lower: None,
            upper: None,
        },
    };
    Some(e.gated(values.len(), min_n))
}

/// Options for a measure's paired comparison.
pub fn options(measure: &Measure, min_n: usize) -> PairedOptions {
    PairedOptions {
        direction: measure.direction,
        mcid: measure.mcid,
        reliability: measure.reliability,
        min_n,
        conf_level: 0.95,
    }
}

/// Everything a report shows for one paired comparison, or `None` without pairs.
pub fn paired_summary(
    from: &[f64],
    to: &[f64],
    opts: &PairedOptions,
    measure: Option<&Measure>,
) -> Option<PairedSummary> {
    let c = stats::paired_comparison(from, to, opts).ok()?;
    let (Ok(f), Ok(t), Ok(d)) = (&c.from, &c.to, &c.change) else {
        return None;
    };
    let n = c.n as u64;
    let min_n = opts.min_n;
    let better = from
        .iter()
        .zip(to)
        .filter(|(a, b)| opts.direction.signed_improvement(stats::round9(*b - *a)) > 0.0)
        .count() as u64;
    let classes = c.meaningful_change.as_ref().and_then(|r| r.as_ref().ok());
    let reliable = c
        .reliable_change
        .as_ref()
        .and_then(|r| r.as_ref().ok())
        .map(|r| &r.classification);
    let bands = measure.map_or(&[][..], |m| m.bands.as_slice());
    // How many values fall in each band, in one pass over the values.
    let in_bands = |values: &[f64]| {
        let mut counts = vec![0u64; bands.len()];
        if let Some(m) = measure {
            for v in values {
                if let Some(i) = sprout_clinical::instruments::band_index(m, *v) {
                    counts[i] += 1;
                }
            }
        }
        counts
    };
    let (from_bands, to_bands) = (in_bands(from), in_bands(to));
    let band_shift = bands
        .iter()
        .enumerate()
        .map(|(i, b)| BandShift {
            band: b.label.clone(),
            from: Share::new(from_bands[i], n),
            to: Share::new(to_bands[i], n),
        })
        .collect();
    let mean_of = |values: &[f64], d: &stats::Descriptives| {
        mean_estimate(values, min_n).unwrap_or(Estimate {
            value: d.mean,
            lower: None,
            upper: None,
        })
    };
    Some(PairedSummary {
        from: summary(f),
        to: summary(t),
        change: summary(d),
        from_mean: mean_of(from, f),
        to_mean: mean_of(to, t),
        mean_change: mean_change(from, to, min_n),
        paired_t: c
            .paired_t
            .clone()
            .map(|t| TStat {
                t: Some(t.t),
                df: Some(t.df),
                p: t.p,
            })
            .into(),
        wilcoxon: c
            .wilcoxon
            .clone()
            .map(|w| WilcoxonStat {
                v: Some(w.v),
                p: w.p,
                exact: w.method == stats::RankMethod::Exact,
                r: w.r,
            })
            .into(),
        d_z: c
            .d_z
            .as_ref()
            .ok()
            .map(|d| estimate(d.estimate, &d.ci).gated(c.n, min_n)),
        d_av: c.d_av.as_ref().ok().map(|d| d.d_av),
        g_av: c.d_av.as_ref().ok().and_then(|d| d.g_av),
        better: Share::gated(better, n, min_n),
        improved: classes.map(|k| Share::gated(k.improved as u64, n, min_n)),
        unchanged: classes.map(|k| Share::new(k.unchanged as u64, n)),
        deteriorated: classes.map(|k| Share::gated(k.deteriorated as u64, n, min_n)),
        mcid: opts.mcid,
        reliable_improvement: reliable.map(|k| Share::gated(k.improved as u64, n, min_n)),
        reliable_deterioration: reliable.map(|k| Share::gated(k.deteriorated as u64, n, min_n)),
        bands: band_shift,
        distribution: change_distribution(
            &from
                .iter()
                .zip(to)
                .map(|(a, b)| stats::round9(b - a))
                .collect::<Vec<_>>(),
            opts.mcid,
        ),
    })
}

/// The most bins a change distribution is cut into (before no change gets its own).
const MAX_BINS: usize = 20;

/// Bins of the change scores, laid outward from no change so that "no change" is a bar
/// of its own and the meaningful change (`mcid`) is a bin edge on both sides: a change
/// of at least `mcid` up (or down) never shares a bin with one that falls short.
///
/// Bins have a common width `w`: a divisor of `mcid` where one is known (the smallest
/// at least the range / `MAX_BINS`), otherwise a round width (1, 2 or 5 times a power of
/// ten). Changes in whole numbers get half-point edges: no change is `[-0.5, 0.5)`, then
/// `[0.5, w - 0.5)` (1 to w - 1), `[w - 0.5, 2w - 0.5)` and so on, mirrored below zero.
/// Other changes: no change is the bin `[0, 0]`, then `(0, w)`, `[w, 2w)` ... above zero
/// and `(-w, 0)`, `(-2w, -w]` ... below. Bins run from the lowest change to the highest,
/// with the empty bins between.
pub fn change_distribution(changes: &[f64], mcid: Option<f64>) -> Vec<Bin> {
    let finite: Vec<f64> = changes.iter().copied().filter(|v| v.is_finite()).collect();
    let (Some(lo), Some(hi)) = (
        finite.iter().copied().reduce(f64::min),
        finite.iter().copied().reduce(f64::max),
    ) else {
        return Vec::new();
    };
    let whole = finite.iter().all(|v| v.fract() == 0.0);
    let raw = (hi - lo) / MAX_BINS as f64;
    let mcid = mcid.filter(|m| m.is_finite() && *m > 0.0);
    // With whole-number changes a threshold between whole numbers acts at the next one.
    let mcid = if whole { mcid.map(f64::ceil) } else { mcid };
    let w = bin_width(raw, mcid, whole);
    // The bin of a change: its side (-1, 0, 1) and how many widths out it lies.
    let slot = |v: f64| -> (i8, u64) {
        if v == 0.0 {
            (0, 0)
        } else {
            let side = if v > 0.0 { 1 } else { -1 };
            (side, (v.abs() / w * (1.0 + 1e-12)).floor() as u64)
        }
    };
    let (lo_slot, hi_slot) = (slot(lo), slot(hi));
    let mut bins: Vec<(i8, u64, u64)> = Vec::new();
    if lo_slot.0 < 0 {
        for k in (0..=lo_slot.1).rev() {
            bins.push((-1, k, 0));
        }
    }
    if lo_slot.0 <= 0 && hi_slot.0 >= 0 {
        bins.push((0, 0, 0));
    }
    if hi_slot.0 > 0 {
        let first = if lo_slot.0 > 0 { lo_slot.1 } else { 0 };
        for k in first..=hi_slot.1 {
            bins.push((1, k, 0));
        }
    }
    if lo_slot.0 < 0 && hi_slot.0 < 0 {
        bins.retain(|b| b.1 >= hi_slot.1);
    }
    // A bin below zero with no change whole-number bins of width 1 has no values: 1 to 0.
    if whole && w == 1.0 {
        bins.retain(|b| b.0 == 0 || b.1 > 0);
    }
    for v in &finite {
        let (side, k) = slot(*v);
        if let Some(b) = bins.iter_mut().find(|b| b.0 == side && b.1 == k) {
            b.2 += 1;
        }
    }
    bins.into_iter()
        .map(|(side, k, n)| {
            let k = k as f64;
            let (inner, outer) = match (side, whole) {
                (0, true) => (-0.5, 0.5),
                (0, false) => (0.0, 0.0),
                (_, true) => ((k * w - 0.5).max(0.5), (k + 1.0) * w - 0.5),
                (_, false) => (k * w, (k + 1.0) * w),
            };
            let (lower, upper) = match side {
                1 | 0 => (inner, outer),
                _ => (-outer, -inner),
            };
            Bin {
                lower: stats::round9(lower),
                upper: stats::round9(upper),
                count: Count::new(n),
            }
        })
        .collect()
}

/// The common width of the bins of a change distribution (see [`change_distribution`]).
fn bin_width(raw: f64, mcid: Option<f64>, whole: bool) -> f64 {
    let floor = if whole { 1.0 } else { 0.0 };
    match mcid {
        Some(m) => {
            // The smallest of m / 1, m / 2, m / 3 ... (round fractions of m) that is at
            // least the raw width (whole where the changes are whole), or the smallest
            // multiple of m that is.
            let divisor = [
                1u32, 2, 3, 4, 5, 6, 8, 10, 12, 15, 16, 20, 25, 30, 40, 50, 100,
            ]
            .into_iter()
            .map(|k| m / f64::from(k))
            .take_while(|c| *c >= raw * (1.0 - 1e-12) && *c >= floor)
            .filter(|c| !whole || c.fract() == 0.0)
            .last();
            divisor.unwrap_or_else(|| m * (raw / m).ceil().max(1.0))
        }
        None => round_width(raw).max(floor),
    }
}

/// The smallest of 1, 2 and 5 times a power of ten at least `raw` (and above zero).
fn round_width(raw: f64) -> f64 {
    if raw.is_nan() || raw <= 0.0 || raw.is_infinite() {
        return 1.0;
    }
    let power = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|w| *w >= raw * (1.0 - 1e-12))
        .unwrap_or(10.0 * power)
}

/// The primary outcome's position among the measures, or the first measure's.
pub fn primary_measure(config: &Config) -> Option<usize> {
    config
        .programme
        .primary_outcome
        .as_ref()
        .and_then(|id| config.measures.iter().position(|m| &m.id == id))
        .or(if config.measures.is_empty() {
            None
        } else {
            Some(0)
        })
}

/// Whether a client has both values of a measure's comparison by `end`, the later on or
/// after the earlier (as [`pairs`] counts a pair).
pub fn has_pair(
    data: &Data,
    measure: usize,
    from: usize,
    to: usize,
    client: ClientIx,
    end: chrono::NaiveDate,
) -> bool {
    let Some(by_tp) = data.values.get(measure) else {
        return false;
    };
    match (by_tp[from].get(client), by_tp[to].get(client)) {
        (Some(f), Some(t)) => t.date <= end && f.date <= t.date,
        _ => false,
    }
}

/// Timepoint positions of the main comparison (baseline -> discharge).
pub fn main_span(config: &Config) -> (usize, usize) {
    let t = &config.timepoints;
    (t.compare.from_ix.index(), t.compare.to_ix.index())
}

/// The comparisons to make: the main one, then each span.
pub fn comparisons(config: &Config) -> Vec<(usize, usize, String, bool)> {
    let t = &config.timepoints;
    let mut out = vec![(
        t.compare.from_ix.index(),
        t.compare.to_ix.index(),
        t.compare.label.clone(),
        true,
    )];
    for s in &t.spans {
        let key = (s.from_ix.index(), s.to_ix.index());
        if key != (out[0].0, out[0].1) {
            out.push((key.0, key.1, s.label.clone(), false));
        }
    }
    out
}

pub fn outcomes(config: &Config, data: &Data, window: &Window, log: &mut MethodsLog) -> Outcomes {
    let min_n = config.programme.min_n;
    let mut list = Vec::new();
    for (m_idx, m) in config.measures.iter().enumerate() {
        for (from, to, label, main) in comparisons(config) {
            let (_, f, t) = pairs(data, m_idx, from, to, window);
            let result = paired_summary(&f, &t, &options(m, min_n), Some(m));
            if main {
                log.paired(&m.id, &label, f.len(), result.as_ref());
            }
            list.push(OutcomeComparison {
                measure: m.id.clone(),
                from: config.timepoints.order[from].id.clone(),
                to: config.timepoints.order[to].id.clone(),
                span_label: label,
                main,
                primary: m.primary && main,
                n: Count::from(f.len()),
                result,
                p_holm: None,
            });
        }
    }
    // Holm across the secondary outcomes' main comparisons (methods.md section 5).
    let secondary: Vec<usize> = (0..list.len())
        .filter(|&i| list[i].main && !list[i].primary)
        .collect();
    let raw: Vec<Option<f64>> = secondary
        .iter()
        .map(|&i| {
            list[i]
                .result
                .as_ref()
                .and_then(|r| r.paired_t.ran().map(|t| t.p))
        })
        .collect();
    if let Ok(adjusted) = stats::p_adjust(&raw, stats::PAdjustMethod::Holm) {
        for (&i, p) in secondary.iter().zip(adjusted) {
            list[i].p_holm = p;
        }
    }
    Outcomes { comparisons: list }
}

/// Mean (95% t interval) at each timepoint for clients assessed at every timepoint by the
/// end of the window, so the line is not bent by who dropped out.
pub fn trajectories(config: &Config, data: &Data, window: &Window) -> Vec<Trajectory> {
    let tps = config.timepoints.order.len();
    let min_n = config.programme.min_n;
    let dims = super::dimensions::cohort_dims(config);
    let assigned: Vec<_> = dims.iter().map(|d| d.assign(&data.clients)).collect();
    config
        .measures
        .iter()
        .enumerate()
        .filter_map(|(m_idx, m)| {
            let by_tp = data.values.get(m_idx)?;
            let mut clients: Vec<ClientIx> = by_tp[tps - 1]
                .iter()
                .filter(|(c, v)| window.contains(v.date) && by_tp.iter().all(|tp| tp.contains(*c)))
                .map(|(c, _)| c)
                .collect();
            clients.sort_unstable();
            let points = |clients: &[ClientIx]| -> Vec<TrajectoryPoint> {
                (0..tps)
                    .map(|t| {
                        let values: Vec<f64> = clients
                            .iter()
                            .filter_map(|c| by_tp[t].get(*c).map(|v| v.value))
                            .collect();
                        TrajectoryPoint {
                            timepoint: config.timepoints.order[t].id.clone(),
                            mean: mean_estimate(&values, min_n),
                        }
                    })
                    .collect()
            };
            let by_cohort = dims
                .iter()
                .zip(&assigned)
                .map(|(dim, a)| CohortTrajectories {
                    labels_from_export: dim.labels_from_export(),
                    dimension: dim.id.clone(),
                    dimension_label: dim.label.clone(),
                    cohorts: a
                        .present(clients.iter().copied())
                        .into_iter()
                        .map(|level| {
                            let members: Vec<ClientIx> = clients
                                .iter()
                                .copied()
                                .filter(|c| a.level_of(*c) == level)
                                .collect();
                            let (key, label) = &a.levels[level];
                            CohortTrajectory {
                                key: key.clone(),
                                label: label.clone(),
                                n: Count::from(members.len()),
                                points: points(&members),
                            }
                        })
                        .collect(),
                })
                .collect();
            Some(Trajectory {
                measure: m.id.clone(),
                n: Count::from(clients.len()),
                points: points(&clients),
                by_cohort,
            })
        })
        .collect()
}

/// Baseline of the clients with a pair (the outcome's people) against those who left
/// support by the end of the window with a baseline only.
pub fn attrition(
    config: &Config,
    data: &Data,
    window: &Window,
    log: &mut MethodsLog,
) -> Vec<AttritionCheck> {
    let (from, to) = main_span(config);
    config
        .measures
        .iter()
        .enumerate()
        .map(|(m_idx, m)| {
            let (paired, baseline_only) = split_by_completion(data, m_idx, from, to, window);
            let completers: Vec<f64> = paired.iter().map(|r| r.1).collect();
            let baseline_only: Vec<f64> = baseline_only.iter().map(|r| r.1).collect();
            let describe = |v: &[f64]| Based {
                n: Count::from(v.len()),
                value: stats::describe(v).ok().map(|d| summary(&d)),
            };
            let groups = [
                Sample {
                    label: "completers",
                    values: &completers,
                },
                Sample {
                    label: "baseline only",
                    values: &baseline_only,
                },
            ];
            let min_n = config.programme.min_n;
            let welch: Test<TStat> = match groups.iter().find(|g| g.values.len() < min_n) {
                Some(small) => Test::skipped(Reason::GroupBelowMinimum {
                    group: small.label.to_owned(),
                    min_n,
                    n: Count::from(small.values.len()),
                }),
                None => stats::welch_t(groups[0], groups[1], 0.95)
                    .map(|t| TStat {
                        t: Some(t.t),
                        df: Some(t.df),
                        p: t.p,
                    })
                    .into(),
            };
            log.record(
                "attrition",
                &m.id,
                "completers vs baseline only",
                Method::WelchT,
                completers.len() + baseline_only.len(),
                welch.ran().is_some(),
                skipped(&welch),
            );
            AttritionCheck {
                measure: m.id.clone(),
                completers: describe(&completers),
                baseline_only: describe(&baseline_only),
                welch_t: welch,
                standardised_difference: stats::standardised_mean_difference(groups[0], groups[1])
                    .ok(),
            }
        })
        .collect()
}

fn skipped<T>(t: &Test<T>) -> Option<Reason> {
    t.reason().cloned()
}

/// The main comparison's pairs of one measure in the window (the same people as its
/// outcome), and the baselines of the people who left support by the end of the window
/// without a pair: `(pairs as (client, from, to), baseline only as (client, from))`.
#[allow(clippy::type_complexity)]
fn split_by_completion(
    data: &Data,
    m: usize,
    from: usize,
    to: usize,
    window: &Window,
) -> (Vec<(ClientIx, f64, f64)>, Vec<(ClientIx, f64)>) {
    let Some(by_tp) = data.values.get(m) else {
        return Default::default();
    };
    let (clients, f, t) = pairs(data, m, from, to, window);
    let paired: Vec<(ClientIx, f64, f64)> = clients
        .iter()
        .zip(f.iter().zip(&t))
        .map(|(c, (a, b))| (*c, *a, *b))
        .collect();
    let is_paired = |c: ClientIx| clients.binary_search(&c).is_ok();
    let baseline_only = by_tp[from]
        .iter()
        .filter(|(c, v)| {
            v.date <= window.end
                && !is_paired(*c)
                && data
                    .clients
                    .get(c.index())
                    .and_then(|cl| cl.discharge)
                    .is_some_and(|d| d <= window.end)
        })
        .map(|(c, v)| (c, v.value))
        .collect();
    (paired, baseline_only)
}

/// The mean change of the people with both values beside baseline observation carried
/// forward: the same people plus those who left without a later value, assumed unchanged.
pub fn sensitivity(config: &Config, data: &Data, window: &Window) -> Vec<Sensitivity> {
    let (from, to) = main_span(config);
    let min_n = config.programme.min_n;
    config
        .measures
        .iter()
        .enumerate()
        .map(|(m_idx, m)| {
            let (paired, baseline_only) = split_by_completion(data, m_idx, from, to, window);
            let mut rows: Vec<(ClientIx, f64, f64)> = paired.clone();
            rows.extend(baseline_only.iter().map(|(c, v)| (*c, *v, *v)));
            rows.sort_by_key(|r| r.0);
            let change = |rows: &[(ClientIx, f64, f64)]| {
                let f: Vec<f64> = rows.iter().map(|r| r.1).collect();
                let t: Vec<f64> = rows.iter().map(|r| r.2).collect();
                Based {
                    n: Count::from(rows.len()),
                    value: mean_change(&f, &t, min_n),
                }
            };
            Sensitivity {
                measure: m.id.clone(),
                completers: change(&paired),
                carried_forward: change(&rows),
            }
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn counts(bins: &[Bin]) -> Vec<u64> {
        bins.iter().map(|b| b.count.value.unwrap_or(0)).collect()
    }

    #[test]
    fn whole_number_changes_get_a_bin_per_point() {
        let bins = change_distribution(&[-2.0, 0.0, 0.0, 1.0, 3.0, 3.0, 3.0], None);
        assert_eq!(counts(&bins), vec![1, 0, 2, 1, 0, 3]);
        assert_eq!((bins[0].lower, bins[0].upper), (-2.5, -1.5));
        assert_eq!((bins[2].lower, bins[2].upper), (-0.5, 0.5), "no change");
        assert_eq!(bins[5].upper, 3.5);
        assert_eq!(counts(&change_distribution(&[4.0, 4.0], None)), vec![2]);
        assert!(change_distribution(&[], None).is_empty());
    }

    /// Where a change falls among the bins: above zero `[lower, upper)`, below zero
    /// `(lower, upper]`, no change `[0, 0]` or `[-0.5, 0.5)`.
    fn bin_of(bins: &[Bin], x: f64) -> usize {
        bins.iter()
            .position(|b| {
                if x > 0.0 {
                    b.lower <= x && x < b.upper && b.upper > 0.0
                } else if x < 0.0 {
                    b.lower < x && x <= b.upper && b.lower < 0.0
                } else {
                    (b.lower, b.upper) == (0.0, 0.0) || (b.lower, b.upper) == (-0.5, 0.5)
                }
            })
            .unwrap()
    }

    #[test]
    fn the_meaningful_change_is_a_bin_edge_and_no_change_a_bin_of_its_own() {
        // Oxford Hip: whole numbers over 55 points, threshold 8 -> width 4 (a divisor of
        // 8 at least 55 / 20); 7 and 8 fall either side of the edge at 7.5.
        let v = [-10.0, -8.0, -7.0, 0.0, 0.0, 3.0, 7.0, 8.0, 45.0];
        let bins = change_distribution(&v, Some(8.0));
        assert!(bins.iter().any(|b| b.lower == 7.5), "{bins:?}");
        assert!(bins.iter().any(|b| b.upper == -7.5), "{bins:?}");
        assert_ne!(bin_of(&bins, 7.0), bin_of(&bins, 8.0));
        assert_ne!(bin_of(&bins, -7.0), bin_of(&bins, -8.0));
        assert_eq!(bins[bin_of(&bins, 0.0)].count.value, Some(2));
        assert_eq!(
            (
                bins[bin_of(&bins, 0.0)].lower,
                bins[bin_of(&bins, 0.0)].upper
            ),
            (-0.5, 0.5)
        );
        assert_eq!(bins[bin_of(&bins, 3.0)].lower, 0.5, "1 to 3");
        assert_eq!(counts(&bins).iter().sum::<u64>(), 9);
        // Fractional changes (metric SWEMWBS), threshold 3: range 4.37 -> width 0.25, no
        // change the bin [0, 0], the threshold an edge.
        let bins = change_distribution(&[-1.37, 0.0, 2.64, 2.9, 3.0], Some(3.0));
        let zero = bin_of(&bins, 0.0);
        assert_eq!((bins[zero].lower, bins[zero].upper), (0.0, 0.0));
        assert_eq!(bins[zero].count.value, Some(1));
        assert_eq!(bins[bin_of(&bins, 3.0)].lower, 3.0);
        assert_eq!(bins[bin_of(&bins, 2.9)].upper, 3.0);
        assert_eq!(bins[bin_of(&bins, -1.37)].count.value, Some(1));
        assert_eq!(counts(&bins).iter().sum::<u64>(), 5);
        // Without a threshold, round widths aligned to multiples of the width.
        let bins = change_distribution(&[-31.0, -2.0, 0.0, 4.9, 5.0, 29.0], None);
        assert_eq!(bins[0].lower, -35.0);
        assert_eq!(counts(&bins).iter().sum::<u64>(), 6);
        assert_eq!(round_width(0.13), 0.2);
        assert_eq!(round_width(3.0), 5.0);
        assert_eq!(round_width(10.0), 10.0);
    }

    #[test]
    fn a_distribution_that_would_give_away_a_hidden_class_is_dropped() {
        use sprout_disclosure::{Disclose, Rules};
        // 3 improve by 4, 20 do not change, 17 worsen by 5: whole-number bins add up
        // to the meaningful-change classes.
        let mut from = Vec::new();
        let mut to = Vec::new();
        for (n, change) in [(3, 4.0), (20, 0.0), (17, -5.0)] {
            for _ in 0..n {
                from.push(10.0);
                to.push(10.0 + change);
            }
        }
        let opts = PairedOptions {
            direction: stats::Direction::HigherIsBetter,
            mcid: Some(3.0),
            reliability: None,
            min_n: 10,
            conf_level: 0.95,
        };
        let summary = paired_summary(&from, &to, &opts, None).unwrap();
        assert_eq!(counts(&summary.distribution).iter().sum::<u64>(), 40);
        let rules = Rules::new(sprout_config::DisclosurePolicy::Threshold(10));
        let mut published = summary.clone();
        published.disclose(&rules);
        assert!(published.improved.unwrap().numerator.is_suppressed());
        assert!(published.distribution.is_empty());
        // Nothing small: the distribution stays.
        let to_big: Vec<f64> = to
            .iter()
            .map(|v| if *v > 10.0 { 20.0 } else { *v })
            .collect();
        let mut from_big = from.clone();
        from_big.extend(std::iter::repeat_n(10.0, 10));
        let mut to_more = to_big.clone();
        to_more.extend(std::iter::repeat_n(14.0, 10));
        let mut published = paired_summary(&from_big, &to_more, &opts, None).unwrap();
        published.disclose(&rules);
        assert!(!published.distribution.is_empty());
    }
}
