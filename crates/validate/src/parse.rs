//! Reading single cells: dates, numbers, durations.

use chrono::NaiveDate;

use sprout_config::DateFormat;

/// Tries each configured format in order, then ISO `yyyy-mm-dd` (which spreadsheets and
/// Parquet produce for typed date cells and which cannot be confused with a UK date).
pub fn parse_date(text: &str, formats: &[DateFormat]) -> Option<NaiveDate> {
    formats
        .iter()
        .find_map(|f| f.parse_date(text))
        .or_else(|| iso(text))
}

fn iso(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    let day = t.get(..10)?;
    let rest = &t[10..];
    if !(rest.is_empty() || rest.starts_with('T') || rest.starts_with(' ')) {
        return None;
    }
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

/// A plain number: `12`, `-3.5`, `12,5` (decimal comma). `1,234` is rejected as ambiguous.
pub fn parse_number(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    let parsed = if let Some((whole, frac)) = t.split_once(',') {
        let decimal_comma = !t.contains('.')
            && (1..=2).contains(&frac.len())
            && frac.bytes().all(|b| b.is_ascii_digit())
            && !whole.is_empty();
        if !decimal_comma {
            return None;
        }
        format!("{whole}.{frac}").parse::<f64>().ok()
    } else {
        t.parse::<f64>().ok()
    };
    parsed.filter(|v| v.is_finite())
}

/// A number followed by an optional unit word: `40mg`, `45 mins`, `54 years`.
/// Returns the number and the (trimmed) unit text.
pub fn parse_number_with_unit(text: &str) -> Option<(f64, &str)> {
    let t = text.trim();
    let split = t
        .char_indices()
        .find(|(i, c)| c.is_alphabetic() || (*c == '/' && *i > 0))
        .map_or(t.len(), |(i, _)| i);
    let (num, unit) = t.split_at(split);
    Some((parse_number(num)?, unit.trim()))
}

/// Minutes from `45`, `45 mins`, `1:30` (h:mm) or `1h 30m`.
pub fn parse_minutes(text: &str) -> Option<f64> {
    let t = text.trim().to_ascii_lowercase();
    if let Some((h, m)) = t.split_once(':') {
        let h: u32 = h.trim().parse().ok()?;
        let m: u32 = m.trim().get(..2).unwrap_or(m.trim()).parse().ok()?;
        return (m < 60).then_some(f64::from(h) * 60.0 + f64::from(m));
    }
    if let Some((h, rest)) = t.split_once('h') {
        let hours = parse_number(h)?;
        let rest = rest.trim_start_matches(|c: char| c.is_alphabetic()).trim();
        let minutes = if rest.is_empty() {
            0.0
        } else {
            parse_number_with_unit(rest)?.0
        };
        return Some(hours * 60.0 + minutes);
    }
    let (n, unit) = parse_number_with_unit(&t)?;
    matches!(unit, "" | "m" | "min" | "mins" | "minute" | "minutes").then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_fall_back_to_iso() {
        let uk = [DateFormat::parse("dd/mm/yyyy").expect("format")];
        let d = NaiveDate::from_ymd_opt(2026, 3, 12);
        assert_eq!(parse_date("12/03/2026", &uk), d);
        assert_eq!(parse_date("2026-03-12", &uk), d);
        assert_eq!(parse_date("2026-03-12 00:00:00", &uk), d);
        assert_eq!(parse_date("2026-03-12x", &uk), None);
        assert_eq!(parse_date("03/12/2026x", &uk), None);
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_number(" 12 "), Some(12.0));
        assert_eq!(parse_number("-3.5"), Some(-3.5));
        assert_eq!(parse_number("12,5"), Some(12.5));
        assert_eq!(parse_number("1,234"), None);
        assert_eq!(parse_number("NaN"), None);
        assert_eq!(parse_number("inf"), None);
        assert_eq!(parse_number("twelve"), None);
        assert_eq!(parse_number_with_unit("40mg"), Some((40.0, "mg")));
        assert_eq!(parse_number_with_unit("25 mcg/h"), Some((25.0, "mcg/h")));
        assert_eq!(parse_number_with_unit("mg"), None);
    }

    #[test]
    fn minutes() {
        assert_eq!(parse_minutes("45"), Some(45.0));
        assert_eq!(parse_minutes("45 mins"), Some(45.0));
        assert_eq!(parse_minutes("1:30"), Some(90.0));
        assert_eq!(parse_minutes("1h 30m"), Some(90.0));
        assert_eq!(parse_minutes("2 hours"), Some(120.0));
        assert_eq!(parse_minutes("45 apples"), None);
        assert_eq!(parse_minutes("1:75"), None);
        // Huge values are read as what they are (and then fail the range check).
        assert_eq!(parse_minutes("71582789:00"), Some(71_582_789.0 * 60.0));
    }
}
