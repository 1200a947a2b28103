//! Programme flow: referred -> started -> baseline assessed -> discharged -> completed ->
//! paired, each counted by its own date in the window.

use super::data::Data;
use super::outcomes::{comparisons, pairs};
use super::period::Window;
use crate::config::Config;
use crate::model::{Breakdown, Count, Flow, MeasureCount};
use crate::vocab::Vocabulary;

pub fn flow(config: &Config, data: &Data, window: &Window) -> Flow {
    let within = |d: Option<chrono::NaiveDate>| d.is_some_and(|d| window.contains(d));
    let c = &data.clients;
    let referred = c.iter().filter(|c| within(c.referral)).count();
    let started = c.iter().filter(|c| within(c.start)).count();
    let discharged: Vec<&super::data::Client> = c.iter().filter(|c| within(c.discharge)).collect();
    let completed = discharged
        .iter()
        .filter(|c| c.discharge_reason.as_deref() == Some("completed"))
        .count();
    let in_support = c
        .iter()
        .filter(|c| {
            c.start.is_some_and(|s| s <= window.end) && c.discharge.is_none_or(|d| d > window.end)
        })
        .count();

    let baseline_tp = config
        .timepoints
        .position(&config.timepoints.compare.from)
        .unwrap_or(0);
    let mut baseline_clients = std::collections::HashSet::new();
    for by_tp in &data.values {
        for (client, v) in by_tp[baseline_tp].iter() {
            if window.contains(v.date) {
                baseline_clients.insert(client);
            }
        }
    }
    let main = comparisons(config).into_iter().next();
    let paired = config
        .measures
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let n = main
                .as_ref()
                .map_or(0, |(f, t, _, _)| pairs(data, i, *f, *t, window).0.len());
            MeasureCount {
                measure: m.id.clone(),
                count: Count::from(n),
            }
        })
        .collect();

    let reasons = Vocabulary::DischargeReason.terms();
    let mut parts: Vec<(String, String, u64)> = reasons
        .iter()
        .map(|t| {
            (
                t.id.to_owned(),
                t.label.to_owned(),
                discharged
                    .iter()
                    .filter(|c| c.discharge_reason.as_deref() == Some(t.id))
                    .count() as u64,
            )
        })
        .collect();
    parts.push((
        "not_recorded".into(),
        "Not recorded".into(),
        discharged
            .iter()
            .filter(|c| c.discharge_reason.is_none())
            .count() as u64,
    ));
    Flow {
        referred: Count::from(referred),
        started: Count::from(started),
        baseline_assessed: Count::from(baseline_clients.len()),
        discharged: Count::from(discharged.len()),
        completed: Count::from(completed),
        paired,
        in_support_at_end: Count::from(in_support),
        discharge_reasons: Breakdown::from_counts(parts),
    }
}
