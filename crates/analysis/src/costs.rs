//! Cost per person supported and per completed episode, from the config's `[costs]`: a
//! rate per quarter of delivery (pro rata by calendar month for part quarters) or per
//! hour of attended contact.

use chrono::{Datelike, NaiveDate};

use sprout_config as config;
use sprout_config::CostBasis;
use sprout_core::period::Window;
use sprout_model::{Costs, Count, Engagement, Flow, People};

pub fn costs(
    c: &config::Costs,
    window: &Window,
    flow: &Flow,
    people: &People,
    engagement: &Engagement,
) -> Costs {
    let units = match c.basis {
        CostBasis::PerQuarter => months_in(window) / 3.0,
        CostBasis::PerContactHour => engagement.minutes_total.value.unwrap_or(0.0) / 60.0,
    };
    let mut out = Costs {
        basis: c.basis,
        rate: c.rate,
        units,
        total: c.rate * units,
        people_supported: Count::new(0),
        completed: Count::new(0),
        per_person_supported: None,
        per_completed_episode: None,
    };
    out.per_person(
        people.supported.value.unwrap_or(0),
        flow.completed.value.unwrap_or(0),
    );
    out
}

/// Calendar months in a window: whole months count 1, part months their share of days.
pub fn months_in(w: &Window) -> f64 {
    let mut months = 0.0;
    let mut first = NaiveDate::from_ymd_opt(w.start.year(), w.start.month(), 1);
    while let Some(month_start) = first.filter(|m| *m <= w.end) {
        let next = month_start.checked_add_months(chrono::Months::new(1));
        let Some(next) = next else { break };
        let days_in_month = (next - month_start).num_days() as f64;
        let from = month_start.max(w.start);
        let to = next.pred_opt().unwrap_or(next).min(w.end);
        months += ((to - from).num_days() + 1) as f64 / days_in_month;
        first = Some(next);
    }
    months
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn a_quarter_is_three_months_and_part_months_count_by_days() {
        let q = Window {
            start: d(2026, 7, 1),
            end: d(2026, 9, 30),
        };
        assert_eq!(months_in(&q), 3.0);
        let cumulative = Window {
            start: d(2024, 4, 1),
            end: d(2026, 9, 30),
        };
        assert_eq!(months_in(&cumulative), 30.0);
        let half = Window {
            start: d(2026, 4, 16),
            end: d(2026, 4, 30),
        };
        assert_eq!(months_in(&half), 0.5);
    }

    #[test]
    fn cost_per_person_divides_by_the_exact_count_at_the_precision_shown() {
        let mut c = Costs {
            basis: CostBasis::PerQuarter,
            rate: 45_000.0,
            units: 1.0,
            total: 45_000.0,
            people_supported: Count::new(0),
            completed: Count::new(0),
            per_person_supported: None,
            per_completed_episode: None,
        };
        c.per_person(150, 0);
        assert_eq!(c.per_person_supported, Some(300.0));
        assert_eq!(c.per_completed_episode, None);
        // 88 to 92 episodes all show £500 to £50: £511.36 to £489.13.
        c.per_person(0, 90);
        assert_eq!(c.per_person_supported, None);
        assert_eq!(c.per_completed_episode, Some(500.0));
    }
}
