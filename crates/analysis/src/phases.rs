//! Which phase of support a date falls in, derived from a client's dates and the phase
//! rules of the config (`starts = "start"`, `ends = "start + 12w"`, ...).
//!
//! Rules, in order:
//! * a phase whose start anchor date is unknown does not happen for that client;
//! * a phase whose end anchor date is unknown runs until the next phase starts, or until
//!   discharge, or (still in support) indefinitely;
//! * a phase ends no later than any later phase starts, so phases never overlap (surgery
//!   in week 8 ends the pre-operative phase in week 8), and starts no earlier than the
//!   previous phase ended;
//! * no phase runs past the discharge date (the discharge day itself is included);
//! * an empty phase (discharge before surgery leaves no post-operative phase) is absent.

use chrono::{Duration, NaiveDate};

use sprout_config::{Anchor, DateRule, Phase};

/// The dates a client's phases are derived from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientDates {
    pub referral: NaiveDate,
    pub start: Option<NaiveDate>,
    pub surgery: Option<NaiveDate>,
    pub discharge: Option<NaiveDate>,
}

/// When one phase ran for one client: `[start, end)`, open-ended when `end` is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhaseWindow {
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

impl PhaseWindow {
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.start <= d && self.end.is_none_or(|e| d < e)
    }
}

fn anchor_date(anchor: Anchor, dates: &ClientDates) -> Option<NaiveDate> {
    match anchor {
        Anchor::Referral => Some(dates.referral),
        Anchor::Start => dates.start,
        Anchor::Surgery => dates.surgery,
        // Ends are exclusive, and the discharge day belongs to the last phase.
        Anchor::Discharge => dates.discharge.map(|d| d + Duration::days(1)),
        Anchor::Previous => None,
    }
}

fn resolve(
    rule: &DateRule,
    dates: &ClientDates,
    previous_end: Option<NaiveDate>,
) -> Option<NaiveDate> {
    let base = match rule.anchor {
        Anchor::Previous => previous_end,
        other => anchor_date(other, dates),
    }?;
    base.checked_add_signed(Duration::days(i64::from(rule.offset_days)))
}

/// Each configured phase's window for this client (`None`: the phase did not happen).
pub fn phase_windows(phases: &[Phase], dates: &ClientDates) -> Vec<Option<PhaseWindow>> {
    // Nominal starts and ends, as the rules say.
    let mut starts: Vec<Option<NaiveDate>> = Vec::with_capacity(phases.len());
    let mut ends: Vec<Option<NaiveDate>> = Vec::with_capacity(phases.len());
    for (i, p) in phases.iter().enumerate() {
        let previous_end = if i == 0 { None } else { ends[i - 1] };
        let s = resolve(&p.starts, dates, previous_end);
        starts.push(s);
        ends.push(
            s.and(
                p.ends
                    .as_ref()
                    .and_then(|e| resolve(e, dates, previous_end)),
            ),
        );
    }
    let cap = dates.discharge.map(|d| d + Duration::days(1));
    let mut out = Vec::with_capacity(phases.len());
    let mut last_end: Option<NaiveDate> = None;
    for i in 0..phases.len() {
        let Some(mut s) = starts[i] else {
            out.push(None);
            continue;
        };
        if let Some(prev) = last_end {
            s = s.max(prev);
        }
        let next_start = starts[i + 1..].iter().flatten().min().copied();
        let mut e = match (ends[i], next_start) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if let Some(c) = cap {
            e = Some(e.map_or(c, |e| e.min(c)));
        }
        if e.is_some_and(|e| e <= s) {
            out.push(None);
            continue;
        }
        last_end = e;
        out.push(Some(PhaseWindow { start: s, end: e }));
    }
    out
}

/// The phase (index into the config's phases) a date falls in, if any.
pub fn phase_on(windows: &[Option<PhaseWindow>], d: NaiveDate) -> Option<usize> {
    windows
        .iter()
        .position(|w| w.is_some_and(|w| w.contains(d)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn pain_pathway() -> Vec<Phase> {
        let rule = |s: &str| DateRule::parse(s).expect("rule");
        let phase = |id: &str, starts: &str, ends: Option<&str>| Phase {
            id: id.into(),
            label: id.into(),
            starts: rule(starts),
            ends: ends.map(rule),
        };
        vec![
            phase("pre_op", "start", Some("start + 12w")),
            phase("waiting_well", "previous", Some("surgery")),
            phase("post_op", "surgery", Some("discharge")),
        ]
    }

    fn windows(
        start: Option<NaiveDate>,
        surgery: Option<NaiveDate>,
        discharge: Option<NaiveDate>,
    ) -> Vec<Option<PhaseWindow>> {
        phase_windows(
            &pain_pathway(),
            &ClientDates {
                referral: d(2025, 1, 1),
                start,
                surgery,
                discharge,
            },
        )
    }

    fn w(start: NaiveDate, end: Option<NaiveDate>) -> Option<PhaseWindow> {
        Some(PhaseWindow { start, end })
    }

    #[test]
    fn the_usual_journey() {
        let ws = windows(
            Some(d(2025, 1, 6)),
            Some(d(2025, 6, 2)),
            Some(d(2025, 8, 25)),
        );
        assert_eq!(
            ws,
            vec![
                w(d(2025, 1, 6), Some(d(2025, 3, 31))),
                w(d(2025, 3, 31), Some(d(2025, 6, 2))),
                w(d(2025, 6, 2), Some(d(2025, 8, 26))),
            ]
        );
        assert_eq!(phase_on(&ws, d(2025, 1, 5)), None, "before support started");
        assert_eq!(phase_on(&ws, d(2025, 1, 6)), Some(0));
        assert_eq!(phase_on(&ws, d(2025, 3, 30)), Some(0));
        assert_eq!(
            phase_on(&ws, d(2025, 3, 31)),
            Some(1),
            "week 12 starts waiting well"
        );
        assert_eq!(
            phase_on(&ws, d(2025, 6, 2)),
            Some(2),
            "surgery day is post-operative"
        );
        assert_eq!(
            phase_on(&ws, d(2025, 8, 25)),
            Some(2),
            "discharge day is included"
        );
        assert_eq!(phase_on(&ws, d(2025, 8, 26)), None, "after discharge");
    }

    #[test]
    fn no_surgery_date_waiting_well_runs_to_discharge_and_no_post_op() {
        let ws = windows(Some(d(2025, 1, 6)), None, Some(d(2025, 9, 1)));
        assert_eq!(ws[1], w(d(2025, 3, 31), Some(d(2025, 9, 2))));
        assert_eq!(ws[2], None);
        let still_waiting = windows(Some(d(2025, 1, 6)), None, None);
        assert_eq!(
            still_waiting[1],
            w(d(2025, 3, 31), None),
            "open-ended while in support"
        );
        assert_eq!(phase_on(&still_waiting, d(2030, 1, 1)), Some(1));
    }

    #[test]
    fn discharge_before_surgery_leaves_no_post_op() {
        let ws = windows(
            Some(d(2025, 1, 6)),
            Some(d(2025, 10, 1)),
            Some(d(2025, 6, 30)),
        );
        assert_eq!(ws[1], w(d(2025, 3, 31), Some(d(2025, 7, 1))));
        assert_eq!(ws[2], None);
        assert_eq!(phase_on(&ws, d(2025, 9, 1)), None);
    }

    #[test]
    fn early_surgery_cuts_pre_op_short_and_skips_waiting_well() {
        let ws = windows(
            Some(d(2025, 1, 6)),
            Some(d(2025, 3, 3)),
            Some(d(2025, 5, 26)),
        );
        assert_eq!(ws[0], w(d(2025, 1, 6), Some(d(2025, 3, 3))));
        assert_eq!(ws[1], None);
        assert_eq!(ws[2], w(d(2025, 3, 3), Some(d(2025, 5, 27))));
    }

    #[test]
    fn discharge_within_pre_op_and_never_started() {
        let ws = windows(
            Some(d(2025, 1, 6)),
            Some(d(2025, 6, 2)),
            Some(d(2025, 2, 10)),
        );
        assert_eq!(ws, vec![w(d(2025, 1, 6), Some(d(2025, 2, 11))), None, None]);
        let never = windows(None, Some(d(2025, 6, 2)), Some(d(2025, 2, 10)));
        assert_eq!(never, vec![None, None, None]);
    }
}
