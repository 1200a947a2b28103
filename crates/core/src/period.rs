//! Reporting periods (methods.md section 7): financial-year quarters (`2026/27 Q2`),
//! calendar quarters (`2026-Q3`), or any `--from`/`--to` range, each with its cumulative
//! window from the programme start.

use std::fmt;

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

/// A closed date range `[start, end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Window {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Window {
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.start <= d && d <= self.end
    }
}

/// The reporting period of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    /// As shown in reports: `2026/27 Q2`, `2026 Q3`, `1 Apr 2026 to 30 Sep 2026`.
    pub label: String,
    /// Safe for a folder name: `2026-27-Q2`, `2026-Q3`, `2026-04-01_2026-09-30`.
    pub slug: String,
    pub window: Window,
    /// The quarter the period ends in, for the quarter-on-quarter trend.
    #[serde(skip)]
    pub quarter: Quarter,
}

/// A quarter of a year that starts in `start_month` (4 for UK financial years, 1 for
/// calendar years).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Quarter {
    /// Calendar year in which the (financial) year starts.
    pub year: i32,
    /// 1-4.
    pub q: u32,
    pub start_month: u32,
}

impl Quarter {
    /// The quarter containing `d`.
    pub fn containing(d: NaiveDate, start_month: u32) -> Self {
        let months_in = (i64::from(d.month()) - i64::from(start_month)).rem_euclid(12) as u32;
        let year = if d.month() >= start_month {
            d.year()
        } else {
            d.year() - 1
        };
        Quarter {
            year,
            q: months_in / 3 + 1,
            start_month,
        }
    }

    pub fn start(&self) -> NaiveDate {
        let first =
            NaiveDate::from_ymd_opt(self.year, self.start_month, 1).unwrap_or(NaiveDate::MIN);
        first + Months::new((self.q - 1) * 3)
    }

    pub fn end(&self) -> NaiveDate {
        (self.start() + Months::new(3))
            .pred_opt()
            .unwrap_or(NaiveDate::MAX)
    }

    pub fn window(&self) -> Window {
        Window {
            start: self.start(),
            end: self.end(),
        }
    }

    pub fn previous(&self) -> Self {
        if self.q == 1 {
            Quarter {
                year: self.year - 1,
                q: 4,
                ..*self
            }
        } else {
            Quarter {
                q: self.q - 1,
                ..*self
            }
        }
    }

    /// The `n` quarters ending with this one, oldest first.
    pub fn last(&self, n: usize) -> Vec<Quarter> {
        let mut out = vec![*self];
        while out.len() < n {
            let prev = out[out.len() - 1].previous();
            out.push(prev);
        }
        out.reverse();
        out
    }

    pub fn label(&self) -> String {
        if self.start_month == 1 {
            format!("{} Q{}", self.year, self.q)
        } else {
            format!(
                "{}/{:02} Q{}",
                self.year,
                (self.year + 1).rem_euclid(100),
                self.q
            )
        }
    }

    fn slug(&self) -> String {
        if self.start_month == 1 {
            format!("{}-Q{}", self.year, self.q)
        } else {
            format!(
                "{}-{:02}-Q{}",
                self.year,
                (self.year + 1).rem_euclid(100),
                self.q
            )
        }
    }

    pub fn period(&self) -> Period {
        Period {
            label: self.label(),
            slug: self.slug(),
            window: self.window(),
            quarter: *self,
        }
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

/// Why a period could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a period: {reason}")]
pub struct PeriodError {
    pub text: String,
    pub reason: String,
}

impl Period {
    /// Parses `2026/27 Q2`, `2026/27-Q2`, `2026-27-Q2` (financial year starting in
    /// `fy_start_month`) or `2026-Q3`, `2026 Q3` (calendar quarter).
    pub fn parse(text: &str, fy_start_month: u32) -> Result<Self, PeriodError> {
        let err = |reason: &str| PeriodError {
            text: text.to_owned(),
            reason: reason.to_owned(),
        };
        let t = text
            .trim()
            .to_ascii_uppercase()
            .replace(['/', ' ', '_'], "-");
        let (year_part, q_part) = t.rsplit_once("-Q").ok_or_else(|| {
            err("write a quarter as 2026/27 Q2 (financial) or 2026-Q3 (calendar)")
        })?;
        let q: u32 = q_part
            .parse()
            .ok()
            .filter(|q| (1..=4).contains(q))
            .ok_or_else(|| err("the quarter must be Q1 to Q4"))?;
        let parts: Vec<&str> = year_part.split('-').collect();
        let year = |s: &str| s.parse::<i32>().ok().filter(|y| (1900..=2200).contains(y));
        match parts.as_slice() {
            [y] => {
                let y = year(y).ok_or_else(|| err("the year must be four digits"))?;
                Ok(Quarter {
                    year: y,
                    q,
                    start_month: 1,
                }
                .period())
            }
            [y, next] => {
                let y =
                    year(y).ok_or_else(|| err("the year must be four digits, as in 2026/27"))?;
                let next_ok = next
                    .parse::<i32>()
                    .ok()
                    .is_some_and(|n| n == (y + 1) % 100 || n == y + 1);
                if !next_ok {
                    return Err(err(
                        "a financial year is written with consecutive years, as in 2026/27",
                    ));
                }
                Ok(Quarter {
                    year: y,
                    q,
                    start_month: fy_start_month,
                }
                .period())
            }
            _ => Err(err(
                "write a quarter as 2026/27 Q2 (financial) or 2026-Q3 (calendar)",
            )),
        }
    }

    /// Any date range.
    pub fn range(
        start: NaiveDate,
        end: NaiveDate,
        fy_start_month: u32,
    ) -> Result<Self, PeriodError> {
        if end < start {
            return Err(PeriodError {
                text: format!("{start} to {end}"),
                reason: "the end is before the start".into(),
            });
        }
        let plausible = |d: NaiveDate| (1900..=2200).contains(&d.year());
        if !plausible(start) || !plausible(end) {
            return Err(PeriodError {
                text: format!("{start} to {end}"),
                reason: "dates must fall between 1900 and 2200".into(),
            });
        }
        Ok(Period {
            label: format!(
                "{} to {}",
                start.format("%-d %b %Y"),
                end.format("%-d %b %Y")
            ),
            slug: format!("{start}_{end}"),
            window: Window { start, end },
            quarter: Quarter::containing(end, fy_start_month),
        })
    }

    /// The latest quarter that had ended by `latest` (the date of the latest record), or
    /// the one containing it if none had.
    pub fn latest_complete(latest: NaiveDate, earliest: NaiveDate, fy_start_month: u32) -> Self {
        let current = Quarter::containing(latest, fy_start_month);
        let chosen = if latest == current.end() {
            current
        } else {
            current.previous()
        };
        if chosen.end() < earliest {
            current.period()
        } else {
            chosen.period()
        }
    }

    /// Programme start (or the earliest record) to the end of this period.
    pub fn cumulative(&self, programme_start: NaiveDate) -> Window {
        Window {
            start: programme_start.min(self.window.start),
            end: self.window.end,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn financial_quarters_cross_year_ends() {
        let q = Quarter::containing(d(2026, 8, 15), 4);
        assert_eq!((q.year, q.q), (2026, 2));
        assert_eq!(
            q.window(),
            Window {
                start: d(2026, 7, 1),
                end: d(2026, 9, 30)
            }
        );
        assert_eq!(q.label(), "2026/27 Q2");
        // January to March is Q4 of the year that started the April before.
        let q4 = Quarter::containing(d(2027, 2, 28), 4);
        assert_eq!(
            (q4.year, q4.q, q4.label()),
            (2026, 4, "2026/27 Q4".to_string())
        );
        assert_eq!(
            q4.window(),
            Window {
                start: d(2027, 1, 1),
                end: d(2027, 3, 31)
            }
        );
        assert_eq!(Quarter::containing(d(2027, 4, 1), 4).label(), "2027/28 Q1");
        assert_eq!(Quarter::containing(d(2026, 3, 31), 4).label(), "2025/26 Q4");
        // A leap-year February.
        assert_eq!(Quarter::containing(d(2028, 2, 29), 4).end(), d(2028, 3, 31));
        // Other year starts.
        assert_eq!(Quarter::containing(d(2026, 8, 15), 1).label(), "2026 Q3");
        // A year starting in October: October-December is Q1, so January is Q2.
        assert_eq!(
            Quarter::containing(d(2026, 1, 5), 10).window(),
            Window {
                start: d(2026, 1, 1),
                end: d(2026, 3, 31)
            }
        );
        assert_eq!(
            Quarter::containing(d(1999, 12, 31), 4).label(),
            "1999/00 Q3"
        );
    }

    #[test]
    fn previous_and_trend_quarters() {
        let q = Quarter::containing(d(2026, 5, 1), 4);
        assert_eq!(q.previous().label(), "2025/26 Q4");
        let last = q.last(8);
        assert_eq!(last.len(), 8);
        assert_eq!(last[0].label(), "2024/25 Q2");
        assert_eq!(last[7].label(), "2026/27 Q1");
        for pair in last.windows(2) {
            assert_eq!(
                pair[0].end().succ_opt(),
                Some(pair[1].start()),
                "quarters are contiguous"
            );
        }
    }

    #[test]
    fn parses_period_spellings() {
        for text in ["2026/27 Q2", "2026/27-Q2", "2026-27-q2", "2026/2027 Q2"] {
            let p = Period::parse(text, 4).expect(text);
            assert_eq!(
                (p.label.as_str(), p.slug.as_str()),
                ("2026/27 Q2", "2026-27-Q2"),
                "{text}"
            );
            assert_eq!(
                p.window,
                Window {
                    start: d(2026, 7, 1),
                    end: d(2026, 9, 30)
                }
            );
        }
        let cal = Period::parse("2026-Q3", 4).expect("calendar");
        assert_eq!(
            (cal.label.as_str(), cal.window.start, cal.window.end),
            ("2026 Q3", d(2026, 7, 1), d(2026, 9, 30))
        );
        assert!(Period::parse("2026/28 Q1", 4).is_err());
        assert!(Period::parse("2026/27 Q5", 4).is_err());
        assert!(Period::parse("last quarter", 4).is_err());
    }

    #[test]
    fn ranges_and_cumulative_windows() {
        let p = Period::range(d(2026, 4, 1), d(2026, 9, 30), 4).expect("range");
        assert_eq!(p.label, "1 Apr 2026 to 30 Sep 2026");
        assert_eq!(p.slug, "2026-04-01_2026-09-30");
        assert_eq!(p.quarter.label(), "2026/27 Q2");
        assert!(Period::range(d(2026, 4, 2), d(2026, 4, 1), 4).is_err());
        assert!(Period::range(d(2025, 1, 1), d(262_142, 12, 31), 4).is_err());
        let q = Period::parse("2026/27 Q2", 4).expect("q");
        let cumulative = q.cumulative(d(2024, 4, 1));
        assert_eq!(
            cumulative,
            Window {
                start: d(2024, 4, 1),
                end: d(2026, 9, 30)
            }
        );
        assert!(cumulative.contains(d(2024, 4, 1)) && cumulative.contains(d(2026, 9, 30)));
        assert!(!q.window.contains(d(2026, 6, 30)) && q.window.contains(d(2026, 7, 1)));
    }

    #[test]
    fn default_period_is_the_latest_complete_quarter() {
        let p = Period::latest_complete(d(2026, 10, 9), d(2024, 4, 1), 4);
        assert_eq!(p.label, "2026/27 Q2");
        let on_end = Period::latest_complete(d(2026, 9, 30), d(2024, 4, 1), 4);
        assert_eq!(on_end.label, "2026/27 Q2");
        // A programme younger than one quarter reports its current quarter.
        let young = Period::latest_complete(d(2026, 8, 1), d(2026, 7, 15), 4);
        assert_eq!(young.label, "2026/27 Q2");
    }
}
