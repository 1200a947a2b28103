//! Engagement by phase: sessions per client, contact modes, DNA rate, minutes of support,
//! time from referral to first contact, length of support and onward referral types.

use std::collections::HashMap;

use super::data::{Data, PhaseIx, Status};
use sprout_config::Config;
use sprout_core::period::Window;
use sprout_core::vocab::Vocabulary;
use sprout_model::{Based, Breakdown, Count, CrossTab, Engagement, PhaseEngagement, Share, Spread};

const OUTSIDE: (&str, &str) = ("outside", "Outside the phases");

/// Per-client attended sessions and minutes.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    attended: u64,
    minutes: f64,
    has_minutes: bool,
}

pub fn engagement(config: &Config, data: &Data, window: &Window) -> Engagement {
    let sessions: Vec<&super::data::Session> = data
        .sessions
        .iter()
        .filter(|s| window.contains(s.date))
        .collect();
    let count = |st: Status| sessions.iter().filter(|s| s.status == Some(st)).count() as u64;
    let (attended, dna, cancelled) = (
        count(Status::Attended),
        count(Status::DidNotAttend),
        count(Status::Cancelled),
    );

    let n = data.clients.len();
    let mut per_client: Vec<Tally> = vec![Tally::default(); n];
    // Phase columns: each configured phase, then sessions outside every phase.
    let phases = config.phases.len();
    // Attended sessions per client in each phase column.
    let mut per_phase: Vec<Vec<u32>> = vec![vec![0; n]; phases + 1];
    let mut phase_dna = vec![0u64; phases + 1];
    let mode_keys: Vec<(String, String)> = Vocabulary::ContactMode
        .terms()
        .iter()
        .map(|t| (t.id.to_owned(), t.label.to_owned()))
        .collect();
    let mut modes = vec![vec![0u64; phases + 1]; mode_keys.len() + 1];
    let mut support: HashMap<u32, u64> = HashMap::new();
    for s in &sessions {
        let column = s.phase.map_or(phases, PhaseIx::index);
        match s.status {
            Some(Status::Attended) => {
                let Some(t) = per_client.get_mut(s.client.index()) else {
                    continue;
                };
                t.attended += 1;
                if let Some(m) = s.minutes() {
                    t.minutes += m;
                    t.has_minutes = true;
                }
                per_phase[column][s.client.index()] += 1;
                let row = s
                    .mode()
                    .and_then(|m| data.modes.get(m as usize))
                    .and_then(|m| mode_keys.iter().position(|(k, _)| k == m))
                    .unwrap_or(mode_keys.len());
                modes[row][column] += 1;
                if let Some(st) = s.support() {
                    *support.entry(st).or_default() += 1;
                }
            }
            Some(Status::DidNotAttend) => phase_dna[column] += 1,
            _ => {}
        }
    }

    let spread = |values: Vec<f64>| Spread::of(&values);
    let by_phase = by_phase(config, &per_phase, &phase_dna);
    let contact_modes = contact_modes(config, mode_keys, modes);
    let support_types = support_types(data, support);

    let starters: Vec<f64> = sorted(data.clients.iter().filter_map(|c| {
        let (r, s) = (c.referral?, c.start?);
        window.contains(s).then(|| (s - r).num_days() as f64)
    }));
    let lengths: Vec<f64> = sorted(data.clients.iter().filter_map(|c| {
        let (s, d) = (c.start?, c.discharge?);
        window.contains(d).then(|| (d - s).num_days() as f64 / 7.0)
    }));
    let tallies: Vec<(u32, Tally)> = per_client
        .into_iter()
        .enumerate()
        .filter(|(_, t)| t.attended > 0)
        .map(|(c, t)| (c as u32, t))
        .collect();
    let minutes: Vec<f64> = tallies
        .iter()
        .filter(|(_, t)| t.has_minutes)
        .map(|(_, t)| t.minutes)
        .collect();
    Engagement {
        clients_with_sessions: Count::from(tallies.len()),
        attended: Count::new(attended),
        did_not_attend: Count::new(dna),
        cancelled: Count::new(cancelled),
        dna_rate: Share::with_ci(dna, dna + attended),
        sessions_per_client: spread(sorted(tallies.iter().map(|(_, t)| t.attended as f64))),
        minutes_per_client: spread(sorted(minutes.iter().copied())),
        minutes_total: Based::new(minutes.len(), minutes.iter().sum()),
        days_to_first_contact: spread(starters),
        weeks_of_support: spread(lengths),
        by_phase,
        contact_modes,
        support_types,
    }
}

/// Each phase's attended sessions per client and its did-not-attend rate; sessions
/// outside every phase last, when there are any.
fn by_phase(config: &Config, per_phase: &[Vec<u32>], phase_dna: &[u64]) -> Vec<PhaseEngagement> {
    let phases = config.phases.len();
    let mut by_phase = Vec::with_capacity(phases + 1);
    for (i, clients) in per_phase.iter().enumerate() {
        let (id, label) = config
            .phases
            .get(i)
            .map_or((OUTSIDE.0.to_owned(), OUTSIDE.1.to_owned()), |p| {
                (p.id.clone(), p.label.clone())
            });
        let attending: Vec<f64> = clients
            .iter()
            .filter(|v| **v > 0)
            .map(|v| f64::from(*v))
            .collect();
        let attended = attending.iter().sum::<f64>() as u64;
        if i == phases && attended == 0 && phase_dna[i] == 0 {
            continue;
        }
        by_phase.push(PhaseEngagement {
            phase: id,
            label,
            clients: Count::from(attending.len()),
            attended: Count::new(attended),
            dna_rate: Share::new(phase_dna[i], phase_dna[i] + attended),
            sessions_per_client: Spread::of(&sorted(attending.into_iter())),
        });
    }

    by_phase
}

/// Attended sessions by contact mode and phase, without empty rows or an empty column of
/// sessions outside every phase.
fn contact_modes(
    config: &Config,
    mode_keys: Vec<(String, String)>,
    modes: Vec<Vec<u64>>,
) -> CrossTab {
    let phases = config.phases.len();
    let mut rows = mode_keys;
    rows.push(("not_recorded".into(), "Not recorded".into()));
    let mut columns: Vec<(String, String)> = config
        .phases
        .iter()
        .map(|p| (p.id.clone(), p.label.clone()))
        .collect();
    columns.push((OUTSIDE.0.into(), OUTSIDE.1.into()));
    // Drop empty rows and an empty "outside" column so the table stays readable.
    let keep_outside = modes.iter().any(|r| r[phases] > 0);
    let (rows, cells): (Vec<_>, Vec<_>) = rows
        .into_iter()
        .zip(modes)
        .filter(|(_, r)| r.iter().any(|v| *v > 0))
        .map(|(k, mut r)| {
            if !keep_outside {
                r.truncate(phases);
            }
            (k, r)
        })
        .unzip();
    if !keep_outside {
        columns.truncate(phases);
    }

    CrossTab::from_counts(rows, columns, cells)
}

/// Attended sessions by type of support. Support types are export text: anything that
/// looks like free text or personal data is withheld (and withheld labels are counted
/// together).
fn support_types(data: &Data, support: HashMap<u32, u64>) -> Breakdown {
    let mut by_label: std::collections::BTreeMap<String, u64> = std::collections::BTreeMap::new();
    for (k, n) in support {
        if let Some(label) = data.support_types.get(k as usize) {
            *by_label
                .entry(sprout_core::privacy::redact(label))
                .or_default() += n;
        }
    }
    let mut support_parts: Vec<(String, String, u64)> = by_label
        .into_iter()
        .map(|(l, n)| (l.clone(), l, n))
        .collect();
    support_parts.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));

    Breakdown::from_counts(support_parts)
}

/// Sorted values, so results never depend on hash order.
fn sorted(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = values.collect();
    v.sort_unstable_by(f64::total_cmp);
    v
}
