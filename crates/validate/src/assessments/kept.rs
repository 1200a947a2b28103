//! What is kept of the values read: one value per client, measure and timepoint (a
//! repeated value counted once, conflicting ones resolved and reported), and how many
//! values and pairs each measure has.

use super::super::finding::{Action, Finding, FindingCode, Findings};
use super::*;
use sprout_config::{Config, Layout};
use sprout_tables::TableKind;

/// Values per measure and timepoint, and pairs on the main comparison.
pub(super) fn coverage(config: &Config, kept: &[Candidate]) -> Coverage {
    let tps = config.timepoints.order.len();
    let mut values = vec![vec![0u64; tps]; config.measures.len()];
    let t = &config.timepoints;
    let (from, to) = (
        Some(t.compare.from_ix.index()),
        Some(t.compare.to_ix.index()),
    );
    // Client ids are dense register indices: one byte per measure and client, bit 0 for
    // the from value and bit 1 for the to value.
    let clients = kept
        .iter()
        .map(|c| c.client as usize + 1)
        .max()
        .unwrap_or(0);
    let mut ends = vec![0u8; config.measures.len() * clients];
    for c in kept {
        if let Some(v) = values
            .get_mut(usize::from(c.measure))
            .and_then(|m| m.get_mut(usize::from(c.timepoint)))
        {
            *v += 1;
        }
        let tp = Some(usize::from(c.timepoint));
        let bits = u8::from(tp == from) | (u8::from(tp == to) << 1);
        if let Some(e) = ends.get_mut(usize::from(c.measure) * clients + c.client as usize) {
            *e |= bits;
        }
    }
    let pairs = (0..config.measures.len())
        .map(|m| {
            ends[m * clients..(m + 1) * clients]
                .iter()
                .filter(|e| **e == 3)
                .count() as u64
        })
        .collect();
    Coverage { values, pairs }
}

/// Keeps one value per client, measure and timepoint: the earliest at the first timepoint
/// (baseline), the latest at later ones; the others are duplicate findings. The values are
/// kept in place, in `candidates`' own memory: at a national scale they are tens of
/// millions.
pub(super) fn resolve_duplicates(
    config: &Config,
    column: &dyn Fn(u16, u16) -> String,
    mut candidates: Vec<Candidate>,
    findings: &mut Findings,
) -> Vec<Candidate> {
    let first = config.timepoints.compare.from_ix.index();
    // In the order read among equals, as a stable sort would leave them, but sorted in
    // place: a stable sort would want half as much memory again.
    match u32::try_from(candidates.len()) {
        Ok(_) => {
            for (seq, c) in (0u32..).zip(candidates.iter_mut()) {
                c.seq = seq;
            }
            candidates
                .sort_unstable_by_key(|c| (c.client, c.measure, c.timepoint, c.date, c.row, c.seq));
        }
        Err(_) => candidates.sort_by_key(|c| (c.client, c.measure, c.timepoint, c.date, c.row)),
    }
    // A long row holds one value, so it goes; a wide row's other values stay.
    let long = config
        .tables
        .assessments
        .as_ref()
        .is_none_or(|t| t.layout == Layout::Long);
    let action = if long {
        Action::RowExcluded
    } else {
        Action::ValueIgnored
    };
    // A value left out: its row (or, wide, its value) with the reason.
    let finding = |code, c: &Candidate, reason| Finding {
        code,
        action,
        table: TableKind::Assessments,
        at: c.row.get(),
        column: column(c.measure, c.timepoint),
        value: crate::check::fmt_num(c.value),
        reason,
    };
    let slot = |c: &Candidate| (c.client, c.measure, c.timepoint);
    let mut kept = 0;
    let mut start = 0;
    while start < candidates.len() {
        let end = start
            + candidates[start..]
                .iter()
                .take_while(|c| slot(c) == slot(&candidates[start]))
                .count();
        let group = &candidates[start..end];
        // The baseline (the main comparison's first timepoint, and any before it) keeps its
        // earliest value; later timepoints keep their latest (methods.md section 1).
        let baseline = usize::from(group[0].timepoint) <= first;
        let keep = if baseline { 0 } else { group.len() - 1 };
        for (i, c) in group.iter().enumerate() {
            if i == keep {
                continue;
            }
            let m = &config.measures[usize::from(c.measure)];
            let tp = &config.timepoints.order[usize::from(c.timepoint)];
            let which = if baseline { "earliest" } else { "latest" };
            findings.push(finding(
                FindingCode::DuplicateAssessment,
                c,
                format!(
                    "{} recorded more than once at {}; the {which} is used",
                    m.label,
                    tp.label.to_lowercase()
                ),
            ));
        }
        candidates[kept] = group[keep];
        kept += 1;
        start = end;
    }
    candidates.truncate(kept);
    // A value dated before the client's value at an earlier timepoint cannot be paired.
    let mut in_order = 0;
    let mut latest: Option<Candidate> = None;
    for i in 0..candidates.len() {
        let c = candidates[i];
        let same_series = latest.is_some_and(|p| (p.client, p.measure) == (c.client, c.measure));
        match latest {
            Some(prev) if same_series && c.date < prev.date => {
                let m = &config.measures[usize::from(c.measure)];
                let (tp, prev_tp) = (
                    &config.timepoints.order[usize::from(c.timepoint)],
                    &config.timepoints.order[usize::from(prev.timepoint)],
                );
                findings.push(finding(
                    FindingCode::AssessmentOutOfOrder,
                    &c,
                    format!(
                        "{} at {} is dated {}, before the {} assessment on {}",
                        m.label,
                        tp.label.to_lowercase(),
                        sprout_tables::build::days_to_date(c.date),
                        prev_tp.label.to_lowercase(),
                        sprout_tables::build::days_to_date(prev.date)
                    ),
                ));
            }
            _ => {
                latest = Some(c);
                candidates[in_order] = c;
                in_order += 1;
            }
        }
    }
    candidates.truncate(in_order);
    candidates
}
