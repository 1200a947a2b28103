//! Timepoints from the order of an episode's scores, where the export has no timepoint
//! column (`[timepoints.from_order]`, methods.md 10): for each episode and measure, the
//! first score is the first timepoint and the last, when far enough after it, the last;
//! a timepoint between takes the score nearest its day.

use sprout_config::FromOrder;
use sprout_ingest::RowRef;
use sprout_tables::{Action, FindingCode};

use super::Candidate;
use crate::entry_order::EntryOrder;
use crate::finding::{Finding, Findings};

/// A score read without a timepoint.
#[derive(Debug, Clone, Copy)]
pub(super) struct Untimed {
    pub client: u32,
    pub measure: u16,
    pub date: i32,
    pub value: f64,
    pub row: RowRef,
}

/// The candidates with their timepoints. Of two scores of a measure on one day in one
/// episode, the later entered is kept (nearer the top of a file listed newest first,
/// nearer the bottom otherwise) and the other is a finding. `ends` holds when each
/// client's (or episode's) support ended: only an ended episode has a last score, and a
/// score after the end is a finding.
pub(super) fn derive(
    rule: &FromOrder,
    mut scores: Vec<Untimed>,
    ends: &[Option<i32>],
    findings: &mut Findings,
) -> Vec<Candidate> {
    let order = EntryOrder::of(scores.iter().map(|s| (s.row, s.date)));
    scores.sort_by_key(|s| (s.client, s.measure, s.date, order.entered(s.row)));
    let mut out = Vec::new();
    let mut start = 0;
    while start < scores.len() {
        let (client, measure) = (scores[start].client, scores[start].measure);
        let mut end = start;
        while end < scores.len() && (scores[end].client, scores[end].measure) == (client, measure) {
            end += 1;
        }
        let ended = ends.get(client as usize).copied().flatten();
        let within: Vec<Untimed> = scores[start..end]
            .iter()
            .filter(|s| match ended {
                Some(e) if s.date > e => {
                    after_the_end(findings, s, e);
                    false
                }
                _ => true,
            })
            .copied()
            .collect();
        let kept = one_per_day(&within, findings);
        assign(rule, &kept, ended.is_some(), &mut out);
        start = end;
    }
    out
}

/// A score dated after support ended: not the discharge score, nor any other.
fn after_the_end(findings: &mut Findings, s: &Untimed, end: i32) {
    findings.push(Finding {
        code: FindingCode::OutsideEpisode,
        action: Action::RowExcluded,
        table: sprout_tables::TableKind::Assessments,
        at: s.row,
        column: "assessment_date".to_owned(),
        value: sprout_tables::build::days_to_date(s.date).to_string(),
        reason: format!(
            "scored after support ended on {}; a score after the end is not the discharge score",
            sprout_tables::build::days_to_date(end)
        ),
    });
}

/// The last entered score of each day; the others are findings.
fn one_per_day(scores: &[Untimed], findings: &mut Findings) -> Vec<Untimed> {
    let mut kept: Vec<Untimed> = Vec::with_capacity(scores.len());
    for s in scores {
        if let Some(last) = kept.last_mut()
            && last.date == s.date
        {
            let (earlier, later) = (*last, *s);
            findings.push(Finding {
                code: FindingCode::SameDayScore,
                action: Action::RowExcluded,
                table: sprout_tables::TableKind::Assessments,
                at: earlier.row,
                column: "value".to_owned(),
                value: earlier.value.to_string(),
                reason: "the measure was scored again the same day in this episode; the later \
                         entry is used"
                    .to_owned(),
            });
            *last = later;
            continue;
        }
        kept.push(*s);
    }
    kept
}

/// Timepoints for one episode's scores of one measure, in date order (one per day). The
/// last score is the last timepoint only once the episode has ended, and when far enough
/// after the first; a score between takes a `nearest` timepoint, each score at most one.
/// While an episode is open its latest score may be a review, never its discharge.
fn assign(rule: &FromOrder, scores: &[Untimed], ended: bool, out: &mut Vec<Candidate>) {
    let Some(first) = scores.first() else {
        return;
    };
    let candidate = |s: &Untimed, tp: sprout_config::TimepointIx| Candidate {
        client: s.client,
        measure: s.measure,
        timepoint: tp.index() as u16,
        date: s.date,
        value: s.value,
        row: s.row.into(),
        seq: 0,
    };
    out.push(candidate(first, rule.first));
    let last = scores.last().filter(|l| {
        ended && scores.len() > 1 && i64::from(l.date - first.date) >= i64::from(rule.last_min_days)
    });
    if let Some(l) = last {
        out.push(candidate(l, rule.last));
    }
    // An ended episode's final score is its discharge score or, too soon, none at all.
    let between = &scores[1..scores.len() - usize::from(ended && scores.len() > 1)];
    let mut used = vec![false; between.len()];
    for &(tp, days, within) in &rule.nearest {
        let target = i64::from(first.date) + i64::from(days);
        let nearest = between
            .iter()
            .enumerate()
            .filter(|(i, _)| !used[*i])
            .map(|(i, s)| ((i64::from(s.date) - target).abs(), i, s))
            .filter(|(gap, _, _)| *gap <= i64::from(within))
            .min_by_key(|(gap, _, s)| (*gap, s.date));
        if let Some((_, i, s)) = nearest {
            used[i] = true;
            out.push(candidate(s, tp));
        }
    }
}
