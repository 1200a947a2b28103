//! Every number a person sees, formatted one way: UK thousands separators, a fixed number
//! of decimals per measure, whole percentages, `p < 0.001`, `*` for a suppressed figure
//! and words instead of a blank where a figure was not computed.
//!
//! Two registers: the functions here for reports and charts (thousands separators, a
//! true minus sign), and [`plain`] for CSV and spreadsheets, where numbers must parse.

use chrono::{Datelike, NaiveDate};

use sprout_model::{Count, MeasureInfo, Share, precision};

/// What a figure hidden to protect privacy is shown as (GSS shorthand: confidential).
pub const SUPPRESSED: &str = "[c]";

/// What a figure that is not available or not computed is shown as (GSS shorthand).
pub const NOT_AVAILABLE: &str = "[x]";

/// What a figure that does not apply is shown as (GSS shorthand).
pub const NOT_APPLICABLE: &str = "[z]";

/// The minus sign of running text and charts (U+2212), which reads better than a hyphen
/// and is read out as "minus".
pub const MINUS: char = '\u{2212}';

/// Decimals used for a measure's means, changes and intervals: two for scales spanning
/// under five points (EQ-5D index), one otherwise.
pub fn decimals(measure: &MeasureInfo) -> usize {
    precision::measure(measure.min, measure.max)
}

pub use sprout_core::text::int;

/// A count, `[c]` when hidden.
pub fn count(c: &Count) -> String {
    c.value.map_or_else(|| SUPPRESSED.to_owned(), int)
}

/// `1,234.5` with `dp` decimals (halves away from zero, as every figure) and a true minus
/// sign; `-0.0` shows as `0.0`.
pub fn number(v: f64, dp: usize) -> String {
    let s = precision::decimal(v, dp);
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) if rest.chars().any(|c| c.is_ascii_digit() && c != '0') => (true, rest),
        Some(rest) => (false, rest),
        None => (false, s.as_str()),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let mut out = String::new();
    if negative {
        out.push(MINUS);
    }
    out.push_str(&sprout_core::text::group_thousands(whole));
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// A change with its sign: `+1.1`, `−0.3`, `0.0`.
pub fn signed(v: f64, dp: usize) -> String {
    let s = number(v, dp);
    if s.starts_with(MINUS) || s.chars().all(|c| c == '0' || c == '.') {
        s
    } else {
        format!("+{s}")
    }
}

/// An interval in words: `0.6 to 1.7`, `−0.3 to 1.6`.
pub fn interval(lower: f64, upper: f64, dp: usize) -> String {
    format!("{} to {}", number(lower, dp), number(upper, dp))
}

/// Pounds: `£1,234` (whole pounds from £100, pence below).
pub fn pounds(v: f64) -> String {
    if v.abs() >= 100.0 {
        format!("£{}", number(v, 0))
    } else {
        format!("£{}", number(v, 2))
    }
}

/// A proportion (0-1) as a whole percentage: `62%`.
pub fn percent(p: f64) -> String {
    format!("{}%", number(p * 100.0, 0))
}

/// A share in percent as every report shows it (from its counts where they are exact,
/// to a step that follows its base), `[c]` when hidden, `None` without a base.
pub fn share(s: &Share) -> Option<String> {
    match s.percent() {
        Some(p) => Some(format!("{}%", int(p))),
        None if s.is_suppressed() => Some(SUPPRESSED.to_owned()),
        None => None,
    }
}

/// A share's Wilson interval as shown: `50% to 72%`.
pub fn share_interval(s: &Share) -> Option<String> {
    s.percent_ci().map(|(l, u)| format!("{l}% to {u}%"))
}

/// A p-value for a table cell: `<0.001`, `0.012`, `1.000`.
pub fn p_cell(p: f64) -> String {
    if p < precision::P_FLOOR {
        "<0.001".to_owned()
    } else {
        precision::decimal(p.min(1.0), precision::P)
    }
}

/// A p-value in a sentence: `p < 0.001`, `p = 0.012`.
pub fn p_text(p: f64) -> String {
    if p < precision::P_FLOOR {
        "p < 0.001".to_owned()
    } else {
        format!("p = {}", precision::decimal(p.min(1.0), precision::P))
    }
}

/// A share in words from its percentage as shown, to the nearest tenth: `about 7 in 10`;
/// below one in ten, `fewer than 1 in 10`; above nine and a half in ten, `almost all`;
/// and `all` or `none` when it is exactly so.
pub fn in_ten(percent: u64) -> String {
    match percent {
        0 => "none".to_owned(),
        100.. => "all".to_owned(),
        1..=4 => "fewer than 1 in 10".to_owned(),
        95..=99 => "almost all".to_owned(),
        p => format!("about {} in 10", (p + 5) / 10),
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `1 July 2026`.
pub fn date(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

/// `1 July to 30 September 2026`, `1 April 2024 to 30 September 2026`.
pub fn date_range(start: NaiveDate, end: NaiveDate) -> String {
    if start.year() == end.year() {
        format!(
            "{} {} to {}",
            start.day(),
            MONTHS[start.month0() as usize],
            date(end)
        )
    } else {
        format!("{} to {}", date(start), date(end))
    }
}

/// Numbers for CSV files: no thousands separators, a plain hyphen for minus, the same
/// decimals as before every time, so that a column parses as numbers anywhere.
pub mod plain {
    use sprout_model::{Count, Share, precision};

    use super::SUPPRESSED;

    pub fn count(c: &Count) -> String {
        c.value
            .map_or_else(|| SUPPRESSED.to_owned(), |v| v.to_string())
    }

    pub fn number(v: Option<f64>, dp: usize) -> String {
        v.map_or_else(String::new, |v| precision::decimal(v, dp))
    }

    /// A share in percent as the reports show it, `*` when suppressed.
    pub fn percent(s: &Share) -> String {
        match s.percent() {
            Some(p) => p.to_string(),
            None if s.is_suppressed() => SUPPRESSED.to_owned(),
            None => String::new(),
        }
    }

    /// A share's interval in percent as the reports show it.
    pub fn percent_interval(s: &Share) -> (String, String) {
        s.percent_ci()
            .map_or((String::new(), String::new()), |(l, u)| {
                (l.to_string(), u.to_string())
            })
    }

    /// Four decimals, or scientific notation below 0.0001, so that small p-values keep
    /// their digits.
    pub fn p_value(p: f64) -> String {
        if p < 0.0001 {
            format!("{p:.2e}")
        } else {
            precision::decimal(p, 4)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_uk_separators_and_a_true_minus() {
        assert_eq!(int(0), "0");
        assert_eq!(int(999), "999");
        assert_eq!(int(1000), "1,000");
        assert_eq!(int(1_234_567), "1,234,567");
        assert_eq!(number(1234.56, 1), "1,234.6");
        assert_eq!(number(-0.04, 1), "0.0");
        assert_eq!(number(-1.25, 2), "\u{2212}1.25");
        assert_eq!(number(-12345.0, 0), "\u{2212}12,345");
        assert_eq!(signed(1.1, 1), "+1.1");
        assert_eq!(signed(-0.3, 1), "\u{2212}0.3");
        assert_eq!(signed(0.0, 1), "0.0");
        assert_eq!(interval(-0.3, 1.6, 1), "\u{2212}0.3 to 1.6");
        assert_eq!(pounds(428.571), "£429");
        assert_eq!(pounds(12_500.0), "£12,500");
        assert_eq!(pounds(38.5), "£38.50");
    }

    #[test]
    fn shares_p_values_and_tenths() {
        assert_eq!(percent(0.7249), "72%");
        assert_eq!(share(&Share::new(0, 0)), None);
        assert_eq!(
            share(&Share {
                numerator: Count::suppressed(),
                denominator: Count::new(20),
                proportion: None,
                ci: None
            }),
            Some("[c]".into())
        );
        assert_eq!(p_cell(0.0001), "<0.001");
        assert_eq!(p_cell(0.01234), "0.012");
        assert_eq!(p_cell(0.9999999999999991), "1.000");
        assert_eq!(p_text(0.0004), "p < 0.001");
        assert_eq!(p_text(0.049), "p = 0.049");
        assert_eq!(in_ten(72), "about 7 in 10");
        assert_eq!(in_ten(20), "about 2 in 10");
        assert_eq!(in_ten(65), "about 7 in 10");
        assert_eq!(in_ten(4), "fewer than 1 in 10");
        assert_eq!(in_ten(97), "almost all");
        assert_eq!(in_ten(100), "all");
        assert_eq!(in_ten(0), "none");
    }

    #[test]
    fn dates_in_words() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
        assert_eq!(date(d(2026, 7, 1)), "1 July 2026");
        assert_eq!(
            date_range(d(2026, 7, 1), d(2026, 9, 30)),
            "1 July to 30 September 2026"
        );
        assert_eq!(
            date_range(d(2024, 4, 1), d(2026, 9, 30)),
            "1 April 2024 to 30 September 2026"
        );
    }

    #[test]
    fn plain_numbers_for_csv() {
        assert_eq!(plain::number(Some(1234.5678), 3), "1234.568");
        assert_eq!(plain::number(None, 3), "");
        assert_eq!(plain::p_value(0.00001234), "1.23e-5");
        assert_eq!(plain::p_value(0.5), "0.5000");
        assert_eq!(plain::count(&Count::suppressed()), "[c]");
    }
}
