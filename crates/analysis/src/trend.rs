//! Quarter-on-quarter trend over the last eight quarters.

use super::data::{Data, Status};
use super::outcomes::{comparisons, pairs};
use sprout_config::Config;
use sprout_core::period::Quarter;
use sprout_model::{Based, Count, Share, Trend, TrendQuarter};
use sprout_stats as stats;

pub use sprout_model::TREND_QUARTERS as QUARTERS;

pub fn trend(config: &Config, data: &Data, last: Quarter) -> Trend {
    let measure = super::outcomes::primary_measure(config);
    let main = comparisons(config).into_iter().next();
    let quarters = last
        .last(QUARTERS)
        .into_iter()
        .map(|q| {
            let w = q.window();
            let within = |d: Option<chrono::NaiveDate>| d.is_some_and(|d| w.contains(d));
            let (f, t) = match (measure, &main) {
                (Some(m), Some((from, to, _, _))) => {
                    let (_, f, t) = pairs(data, m, *from, *to, &w);
                    (f, t)
                }
                _ => (Vec::new(), Vec::new()),
            };
            let direction = measure
                .map(|m| config.measures[m].direction)
                .unwrap_or_default();
            let better = f
                .iter()
                .zip(&t)
                .filter(|(a, b)| direction.signed_improvement(stats::round9(*b - *a)) > 0.0)
                .count();
            TrendQuarter {
                label: q.label(),
                start: w.start,
                end: w.end,
                referred: Count::from(data.clients.iter().filter(|c| within(c.referral)).count()),
                started: Count::from(data.clients.iter().filter(|c| within(c.start)).count()),
                attended: Count::from(
                    data.sessions
                        .iter()
                        .filter(|s| s.status == Some(Status::Attended) && w.contains(s.date))
                        .count(),
                ),
                discharged: Count::from(
                    data.clients.iter().filter(|c| within(c.discharge)).count(),
                ),
                mean_change: Based {
                    n: Count::from(f.len()),
                    value: super::outcomes::mean_change(&f, &t, config.programme.min_n),
                },
                better: Share::gated(better as u64, f.len() as u64, config.programme.min_n),
            }
        })
        .collect();
    Trend {
        measure: measure.map(|m| config.measures[m].id.clone()),
        quarters,
    }
}
