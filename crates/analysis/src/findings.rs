//! The main points (methods.md section 9): the model turned into ranked, typed statements
//! — the headline, change over time, differences between groups, pain, medication,
//! completion and the sensitivity analysis — each saying what its test found. Reports
//! word them; nothing here writes a sentence.

use super::cohorts::tested;
use super::data::Data;
use super::outcomes::{main_span, mean_change, pairs, primary_measure};
use sprout_config::Config;
use sprout_core::period::{Period, Quarter, Window};
use sprout_model::*;
use sprout_stats::{self as stats, Direction, Sample};

/// Quarters pooled as "before" in the comparison over time.
pub const PREVIOUS_QUARTERS: usize = 4;

/// Fewest recent quarters (each with `min_n` pairs) over which a mean change is called
/// the smallest or largest.
const EXTREME_QUARTERS: usize = 5;

/// Dimensions whose differences bear on equity, told first among equals.
const EQUITY: [&str; 2] = ["imd_quintile", "ethnic_group"];

pub fn main_points(config: &Config, data: &Data, period: &Period, m: &ReportModel) -> MainPoints {
    let Some(primary) = primary_measure(config) else {
        return MainPoints::default();
    };
    let measure = &config.measures[primary];
    let direction = measure.direction;
    let min_n = config.programme.min_n;
    let mut points = vec![MainPoint::Headline {
        measure: measure.id.clone(),
    }];
    let span = main_span(config);
    if let Some(o) = over_time(
        data,
        (primary, span),
        &measure.id,
        direction,
        period,
        m,
        min_n,
    ) {
        points.push(MainPoint::OverTime(o));
    }
    let mut groups = groups(m, &measure.id, min_n);
    let clear = groups
        .iter()
        .take_while(|g| {
            g.comparison(&m.cohorts)
                .is_some_and(|c| c.finding.verdict == GroupVerdict::Differ)
        })
        .count();
    points.extend(groups.drain(..clear).map(MainPoint::Groups));
    if let Some(pain) = config
        .measures
        .iter()
        .filter(|x| x.instrument == "bpi" && x.id != measure.id)
        .min_by_key(|x| !x.id.ends_with("severity"))
    {
        points.push(MainPoint::Pain {
            measure: pain.id.clone(),
        });
    }
    if m.medication.is_some() {
        points.push(MainPoint::Medication);
    }
    points.extend(groups.into_iter().map(MainPoint::Groups));
    if m.flow.period.ended.left.value.unwrap_or(0) > 0 {
        points.push(MainPoint::Completion {
            measure: measure.id.clone(),
        });
    }
    if let Some(s) = m.sensitivity.iter().find(|s| s.measure == measure.id) {
        points.push(MainPoint::Sensitivity {
            measure: measure.id.clone(),
            changes_picture: changes_picture(s),
        });
    }
    MainPoints { points }
}

/// Earlier values, later values and change scores of a measure's main comparison for
/// the pairs completed in `window`.
type Changes = (Vec<f64>, Vec<f64>, Vec<f64>);

fn changes(data: &Data, measure: usize, span: (usize, usize), window: &Window) -> Changes {
    let (_, f, t) = pairs(data, measure, span.0, span.1, window);
    let d = f.iter().zip(&t).map(|(a, b)| b - a).collect();
    (f, t, d)
}

/// The period against the four quarters before it (methods.md section 9).
fn over_time(
    data: &Data,
    (measure, span): (usize, (usize, usize)),
    id: &str,
    direction: Direction,
    period: &Period,
    m: &ReportModel,
    min_n: usize,
) -> Option<OverTime> {
    let dp = m
        .meta
        .measures
        .iter()
        .find(|x| x.id == id)
        .map_or(1, |x| sprout_model::precision::measure(x.min, x.max));
    let fy = period.quarter.start_month;
    let before = period.window.start.pred_opt()?;
    // Whole quarters that end before the period starts (a custom period may start
    // inside a quarter, which is then not "before" it).
    let mut last = Quarter::containing(before, fy);
    if last.end() >= period.window.start {
        last = last.previous();
    }
    let quarters = last.last(PREVIOUS_QUARTERS);
    let pooled = Window {
        start: quarters.first()?.start(),
        end: quarters.last()?.end(),
    };
    let (_, _, now) = changes(data, measure, span, &period.window);
    let (pf, pt, then) = changes(data, measure, span, &pooled);
    let previous = Based {
        n: Count::from(then.len()),
        value: mean_change(&pf, &pt, min_n),
    };
    let difference: Test<Difference> = if now.len() < min_n || then.len() < min_n {
        let n = now.len().min(then.len());
        Test::skipped(Reason::BelowMinimum {
            min_n,
            n: Count::from(n),
        })
    } else {
        stats::welch_t(
            Sample {
                label: &period.label,
                values: &now,
            },
            Sample {
                label: "the previous four quarters",
                values: &then,
            },
            0.95,
        )
        .map(|t| Difference {
            estimate: Estimate::with_ci(t.estimate, t.ci.lower, t.ci.upper),
            p: t.p,
        })
        .into()
    };
    let verdict = verdict(&difference, direction);
    let trend = &m.trend.quarters;
    let is_quarter = trend
        .last()
        .is_some_and(|q| q.start == period.window.start && q.end == period.window.end);
    let extreme = if is_quarter && m.trend.measure.as_deref() == Some(id) {
        extreme(trend, direction, dp, min_n)
    } else {
        None
    };
    let year_ago = if is_quarter && trend.len() > PREVIOUS_QUARTERS {
        trend
            .get(trend.len() - 1 - PREVIOUS_QUARTERS)
            .filter(|q| {
                q.mean_change.n.value.is_some_and(|n| n as usize >= min_n)
                    && q.mean_change.value.is_some()
            })
            .map(|q| q.label.clone())
    } else {
        None
    };
    Some(OverTime {
        measure: id.to_owned(),
        previous_quarters: quarters.iter().map(Quarter::label).collect(),
        previous,
        difference,
        verdict,
        extreme,
        year_ago,
    })
}

/// Whether the period's change is smaller, similar or larger than before, in the
/// measure's better direction (a fall in pain is a gain), by the interval of the
/// difference.
fn verdict(difference: &Test<Difference>, direction: Direction) -> OverTimeVerdict {
    match difference.ran() {
        None => OverTimeVerdict::NotTested,
        Some(d) => {
            let (l, u) = (
                d.estimate.lower.unwrap_or(0.0),
                d.estimate.upper.unwrap_or(0.0),
            );
            let (l, u) = match direction {
                Direction::HigherIsBetter => (l, u),
                Direction::LowerIsBetter => (-u, -l),
            };
            if u < 0.0 {
                OverTimeVerdict::Smaller
            } else if l > 0.0 {
                OverTimeVerdict::Larger
            } else {
                OverTimeVerdict::Similar
            }
        }
    }
}

/// Whether the latest quarter's change is the smallest or largest of the most recent
/// quarters with `min_n` pairs (at least [`EXTREME_QUARTERS`] of them), compared as the
/// reports show them, so that "smallest" never rests on a difference below the decimals
/// printed.
fn extreme(
    trend: &[TrendQuarter],
    direction: Direction,
    dp: usize,
    min_n: usize,
) -> Option<Extreme> {
    let gain = |q: &TrendQuarter| {
        q.mean_change
            .value
            .map(|e| direction.signed_improvement(sprout_model::precision::round(e.value, dp)))
    };
    // The most recent quarters, back to the first with too few pairs.
    let run: Vec<f64> = trend
        .iter()
        .rev()
        .take_while(|q| q.mean_change.n.value.is_some_and(|n| n as usize >= min_n))
        .filter_map(gain)
        .collect();
    match run.split_first() {
        Some((now, rest)) if run.len() >= EXTREME_QUARTERS => {
            if rest.iter().all(|x| now < x) {
                Some(Extreme {
                    largest: false,
                    quarters: run.len(),
                })
            } else if rest.iter().all(|x| now > x) {
                Some(Extreme {
                    largest: true,
                    quarters: run.len(),
                })
            } else {
                None
            }
        }
        _ => None,
    }
}

/// A finding for every cohort dimension on the primary outcome: the period's test where
/// at least two cohorts have `min_n` pairs, else the cumulative one (said so); and beside
/// a period test that found no clear difference, the cumulative one where it found one.
/// Clear differences first, then the rest; within each, equity dimensions first, then
/// by p.
fn groups(m: &ReportModel, measure: &str, min_n: usize) -> Vec<GroupFinding> {
    let mut out: Vec<(GroupFinding, GroupVerdict, f64)> = Vec::new();
    let p_of = |c: &CohortComparison| {
        c.tests
            .first()
            .and_then(|t| t.result.ran())
            .map_or(1.0, |s| s.p)
    };
    for c in m.cohorts.period.iter().filter(|c| c.measure == measure) {
        let finding = |scope, fell_back| GroupFinding {
            dimension: c.dimension.clone(),
            dimension_label: c.dimension_label.clone(),
            measure: measure.to_owned(),
            scope,
            fell_back,
        };
        let cumulative = m
            .cohorts
            .cumulative
            .iter()
            .find(|x| x.dimension == c.dimension && x.measure == measure);
        if tested(c, min_n).len() >= 2 {
            out.push((finding(Scope::Period, false), c.finding.verdict, p_of(c)));
            if let Some(cu) = cumulative
                && c.finding.verdict != GroupVerdict::Differ
                && cu.finding.verdict == GroupVerdict::Differ
            {
                out.push((
                    finding(Scope::Cumulative, false),
                    cu.finding.verdict,
                    p_of(cu),
                ));
            }
        } else if let Some(cu) = cumulative {
            out.push((
                finding(Scope::Cumulative, true),
                cu.finding.verdict,
                p_of(cu),
            ));
        } else {
            out.push((finding(Scope::Period, false), c.finding.verdict, p_of(c)));
        }
    }
    let rank = |v: GroupVerdict| if v == GroupVerdict::Differ { 0 } else { 1 };
    let equity = |g: &GroupFinding| !EQUITY.contains(&g.dimension.as_str());
    out.sort_by(|a, b| {
        rank(a.1)
            .cmp(&rank(b.1))
            .then(equity(&a.0).cmp(&equity(&b.0)))
            .then(a.2.total_cmp(&b.2))
    });
    out.into_iter().map(|g| g.0).collect()
}

/// Whether carrying baselines forward changes the conclusion about the primary outcome:
/// its interval no longer excludes no change, or its mean change is under half as large.
fn changes_picture(s: &Sensitivity) -> bool {
    let clear = |e: &Estimate| match (e.lower, e.upper) {
        (Some(l), Some(u)) => l > 0.0 || u < 0.0,
        _ => false,
    };
    match (&s.completers.value, &s.carried_forward.value) {
        (Some(a), Some(b)) => {
            clear(a) != clear(b) || (clear(a) && b.value.abs() < a.value.abs() / 2.0)
        }
        _ => false,
    }
}
