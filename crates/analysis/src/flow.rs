//! Programme flow: activity in the window, each count by its own date (referred, started,
//! baseline assessed, discharged, completed, paired), and the people whose support ended
//! in the window followed through (left -> completed -> baseline -> both assessments).

use super::data::{Client, ClientIx, Data};
use super::outcomes::{comparisons, has_pair, main_span, pairs, primary_measure};
use sprout_config::Config;
use sprout_core::period::Window;
use sprout_core::vocab::Vocabulary;
use sprout_model::{Breakdown, Count, Ended, Flow, MeasureCount, MeasureShare, Share};

pub fn flow(config: &Config, data: &Data, window: &Window) -> Flow {
    let within = |d: Option<chrono::NaiveDate>| d.is_some_and(|d| window.contains(d));
    let c = &data.clients;
    let referred = c.iter().filter(|c| within(c.referral)).count();
    let started = c.iter().filter(|c| within(c.start)).count();
    let discharged: Vec<(ClientIx, &Client)> = data
        .numbered()
        .filter(|(_, c)| within(c.discharge))
        .collect();
    let is_completed = |c: &Client| c.discharge_reason.as_deref() == Some("completed");
    let completed = discharged.iter().filter(|(_, c)| is_completed(c)).count();
    let in_support = c
        .iter()
        .filter(|c| {
            c.start.is_some_and(|s| s <= window.end) && c.discharge.is_none_or(|d| d > window.end)
        })
        .count();

    let baseline_tp = config.timepoints.compare.from_ix.index();
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
                    .filter(|(_, c)| c.discharge_reason.as_deref() == Some(t.id))
                    .count() as u64,
            )
        })
        .collect();
    parts.push((
        "not_recorded".into(),
        "Not recorded".into(),
        discharged
            .iter()
            .filter(|(_, c)| c.discharge_reason.is_none())
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
        ended: ended(config, data, window, &discharged),
    }
}

/// The people who left in the window, followed through to both assessments of the
/// primary outcome; and, for every measure, how many of them have both.
fn ended(config: &Config, data: &Data, window: &Window, left: &[(ClientIx, &Client)]) -> Ended {
    let (from, to) = main_span(config);
    let primary = primary_measure(config);
    let completed: Vec<ClientIx> = left
        .iter()
        .filter(|(_, c)| c.discharge_reason.as_deref() == Some("completed"))
        .map(|(i, _)| *i)
        .collect();
    let has_baseline = |m: usize, client: ClientIx| {
        data.values
            .get(m)
            .and_then(|by_tp| by_tp[from].get(client))
            .is_some_and(|v| v.date <= window.end)
    };
    let (baseline, both) = match primary {
        Some(m) => {
            let with_baseline: Vec<ClientIx> = completed
                .iter()
                .copied()
                .filter(|c| has_baseline(m, *c))
                .collect();
            let both = with_baseline
                .iter()
                .filter(|c| has_pair(data, m, from, to, **c, window.end))
                .count();
            (with_baseline.len(), both)
        }
        None => (0, 0),
    };
    let completion = config
        .measures
        .iter()
        .enumerate()
        .map(|(m, measure)| {
            let with_both = left
                .iter()
                .filter(|(c, _)| has_pair(data, m, from, to, *c, window.end))
                .count();
            MeasureShare {
                measure: measure.id.clone(),
                share: Share::gated(with_both as u64, left.len() as u64, config.programme.min_n),
            }
        })
        .collect();
    Ended {
        left: Count::from(left.len()),
        completed: Count::from(completed.len()),
        baseline: Count::from(baseline),
        both: Count::from(both),
        measure: primary.map(|m| config.measures[m].id.clone()),
        completion,
    }
}
