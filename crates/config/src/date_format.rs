//! Date formats as evaluators write them (`dd/mm/yyyy`, `yyyy-mm-dd`, `d mmm yyyy`) or as
//! strftime (`%d/%m/%Y`), compiled once into a small parser that is fast enough to run
//! on every cell of a national export.

use std::fmt;

use chrono::NaiveDate;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Day { fixed: bool },
    Month { fixed: bool },
    MonthName,
    Year4,
    Year2,
    Sep(u8),
}

/// One compiled date format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateFormat {
    source: String,
    tokens: Vec<Token>,
}

/// The formats every programme accepts unless its config says otherwise: UK day-first, then ISO.
pub const DEFAULT_FORMATS: [&str; 2] = ["dd/mm/yyyy", "yyyy-mm-dd"];

impl DateFormat {
    /// Compiles a format such as `dd/mm/yyyy`, `dd-mmm-yy`, `yyyymmdd` or `%d/%m/%Y`.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let translated = translate_strftime(spec)?;
        let lower = translated.to_ascii_lowercase();
        let bytes = lower.as_bytes();
        let mut raw = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            let c = bytes[i];
            let run = bytes[i..].iter().take_while(|&&b| b == c).count();
            let token = match (c, run) {
                (b'd', 1 | 2) => Token::Day { fixed: run == 2 },
                (b'm', 1 | 2) => Token::Month { fixed: run == 2 },
                (b'm', 3 | 4) => Token::MonthName,
                (b'y', 4) => Token::Year4,
                (b'y', 2) => Token::Year2,
                (b'd' | b'm' | b'y', _) => {
                    return Err(format!(
                        "`{spec}`: `{}` is not a date part (use dd, mm, mmm, yy or yyyy)",
                        &translated[i..i + run]
                    ));
                }
                (b'/' | b'-' | b'.' | b' ' | b',', _) => Token::Sep(c),
                _ => {
                    return Err(format!(
                        "`{spec}`: unexpected `{}` (use dd, mm, mmm, yy, yyyy and the separators / - . space)",
                        translated[i..].chars().next().unwrap_or('?')
                    ));
                }
            };
            let step = if matches!(token, Token::Sep(_)) {
                1
            } else {
                run
            };
            raw.push(token);
            i += step;
        }
        let has = |f: fn(&Token) -> bool| raw.iter().filter(|t| f(t)).count();
        let days = has(|t| matches!(t, Token::Day { .. }));
        let months = has(|t| matches!(t, Token::Month { .. } | Token::MonthName));
        let years = has(|t| matches!(t, Token::Year4 | Token::Year2));
        if days != 1 || months != 1 || years != 1 {
            return Err(format!(
                "`{spec}` must contain exactly one day (dd), one month (mm or mmm) and one year (yyyy or yy)"
            ));
        }
        // Without separators between numbers, widths must be fixed (yyyymmdd).
        let tokens = raw
            .iter()
            .enumerate()
            .map(|(k, t)| {
                let next_is_number = raw
                    .get(k + 1)
                    .is_some_and(|n| !matches!(n, Token::Sep(_) | Token::MonthName));
                match *t {
                    Token::Day { fixed } => Token::Day {
                        fixed: fixed && next_is_number,
                    },
                    Token::Month { fixed } => Token::Month {
                        fixed: fixed && next_is_number,
                    },
                    other => other,
                }
            })
            .collect();
        Ok(Self {
            source: spec.to_owned(),
            tokens,
        })
    }

    /// The format as the user wrote it.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Parses one cell. A trailing time of day (`12/03/2026 00:00`, `2026-03-12T09:30:00`)
    /// is accepted and ignored, since spreadsheets append one to every date.
    pub fn parse_date(&self, text: &str) -> Option<NaiveDate> {
        let b = text.trim().as_bytes();
        let mut pos = 0;
        let (mut day, mut month, mut year) = (0u32, 0u32, 0i32);
        for token in &self.tokens {
            match *token {
                Token::Day { fixed } => day = take_number(b, &mut pos, fixed)?,
                Token::Month { fixed } => month = take_number(b, &mut pos, fixed)?,
                Token::MonthName => month = take_month_name(b, &mut pos)?,
                Token::Year4 => {
                    if b.len() < pos + 4 || !b[pos..pos + 4].iter().all(u8::is_ascii_digit) {
                        return None;
                    }
                    year = digits(&b[pos..pos + 4]) as i32;
                    pos += 4;
                }
                Token::Year2 => {
                    if b.len() < pos + 2 || !b[pos..pos + 2].iter().all(u8::is_ascii_digit) {
                        return None;
                    }
                    let yy = digits(&b[pos..pos + 2]) as i32;
                    // POSIX pivot: 69-99 are the 1900s.
                    year = if yy >= 69 { 1900 + yy } else { 2000 + yy };
                    pos += 2;
                }
                Token::Sep(s) => {
                    if b.get(pos) != Some(&s) {
                        return None;
                    }
                    pos += 1;
                    if s == b' ' {
                        while b.get(pos) == Some(&b' ') {
                            pos += 1;
                        }
                    }
                }
            }
        }
        if pos < b.len() && !is_time_suffix(&b[pos..]) {
            return None;
        }
        NaiveDate::from_ymd_opt(year, month, day)
    }
}

impl fmt::Display for DateFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

fn digits(b: &[u8]) -> u32 {
    b.iter().fold(0, |acc, d| acc * 10 + u32::from(d - b'0'))
}

fn take_number(b: &[u8], pos: &mut usize, fixed: bool) -> Option<u32> {
    let avail = b[*pos..].iter().take_while(|c| c.is_ascii_digit()).count();
    let n = if fixed { 2 } else { avail.min(2) };
    if n == 0 || avail < n || (!fixed && avail > 2) {
        return None;
    }
    let v = digits(&b[*pos..*pos + n]);
    *pos += n;
    Some(v)
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn take_month_name(b: &[u8], pos: &mut usize) -> Option<u32> {
    let len = b[*pos..]
        .iter()
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    if len < 3 {
        return None;
    }
    let word = std::str::from_utf8(&b[*pos..*pos + len])
        .ok()?
        .to_ascii_lowercase();
    let found = MONTHS.iter().position(|m| {
        *m == word
            || (word.len() == 3 && m.starts_with(&word))
            || (word == "sept" && *m == "september")
    })?;
    *pos += len;
    Some(found as u32 + 1)
}

/// ` 00:00`, ` 00:00:00`, `T09:30:00.000Z`, ` 10:30 AM`.
fn is_time_suffix(rest: &[u8]) -> bool {
    let Some((&first, tail)) = rest.split_first() else {
        return true;
    };
    if first != b' ' && first != b'T' {
        return false;
    }
    let tail = std::str::from_utf8(tail).unwrap_or("").trim();
    let tail = tail.strip_suffix('Z').unwrap_or(tail);
    // A 12-hour clock: `10:30 AM`, `9:05pm`, `10:30:00 a.m.`.
    let lower = tail.to_ascii_lowercase();
    let twelve = ["am", "pm", "a.m.", "p.m."]
        .iter()
        .find_map(|m| lower.strip_suffix(m))
        .map(str::trim_end);
    let (tail, max_hour) = match twelve {
        Some(t) => (&tail[..t.len()], 12),
        None => (tail, 23),
    };
    let mut parts = tail.split(':');
    let ok_part = |p: Option<&str>, max: u32| {
        p.is_some_and(|p| {
            let whole = p.split('.').next().unwrap_or("");
            (1..=2).contains(&whole.len())
                && whole.bytes().all(|c| c.is_ascii_digit())
                && digits(whole.as_bytes()) <= max
        })
    };
    let hour_ok = ok_part(parts.next(), max_hour);
    let minute_ok = ok_part(parts.next(), 59);
    let second_ok = parts.next().is_none_or(|s| ok_part(Some(s), 60));
    hour_ok && minute_ok && second_ok && parts.next().is_none()
}

fn translate_strftime(spec: &str) -> Result<String, String> {
    if !spec.contains('%') {
        return Ok(spec.to_owned());
    }
    let mut out = String::new();
    let mut chars = spec.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let part = match chars.next() {
            Some('d') => "dd",
            Some('e') => "d",
            Some('m') => "mm",
            Some('Y') => "yyyy",
            Some('y') => "yy",
            Some('b' | 'h') => "mmm",
            Some('B') => "mmmm",
            other => {
                return Err(format!(
                    "`{spec}`: `%{}` is not supported in dates (use %d %m %Y %y %b)",
                    other.map(String::from).unwrap_or_default()
                ));
            }
        };
        out.push_str(part);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn uk_dates_with_and_without_padding_and_times() {
        let f = DateFormat::parse("dd/mm/yyyy").expect("format");
        assert_eq!(f.parse_date("12/03/2026"), d(2026, 3, 12));
        assert_eq!(f.parse_date("1/3/2026"), d(2026, 3, 1));
        assert_eq!(f.parse_date(" 12/03/2026 00:00 "), d(2026, 3, 12));
        assert_eq!(f.parse_date("12/03/2026 09:30:15"), d(2026, 3, 12));
        assert_eq!(f.parse_date("31/02/2026"), None);
        assert_eq!(f.parse_date("2026-03-12"), None);
        assert_eq!(f.parse_date("12/03/26"), None);
        assert_eq!(f.parse_date("123/03/2026"), None);
        assert_eq!(f.parse_date("12/03/2026 garbage"), None);
        assert_eq!(f.parse_date(""), None);
        // 12-hour clocks.
        assert_eq!(f.parse_date("07/04/2026 10:30 AM"), d(2026, 4, 7));
        assert_eq!(f.parse_date("07/04/2026 9:05pm"), d(2026, 4, 7));
        assert_eq!(f.parse_date("07/04/2026 12:00:00 a.m."), d(2026, 4, 7));
        assert_eq!(f.parse_date("07/04/2026 13:00 PM"), None);
        assert_eq!(f.parse_date("07/04/2026 AM"), None);
    }

    #[test]
    fn iso_strftime_month_names_and_compact() {
        let iso = DateFormat::parse("%Y-%m-%d").expect("format");
        assert_eq!(iso.parse_date("2026-03-12T09:30:00.000Z"), d(2026, 3, 12));
        let named = DateFormat::parse("dd-mmm-yyyy").expect("format");
        assert_eq!(named.parse_date("05-Sep-2025"), d(2025, 9, 5));
        assert_eq!(named.parse_date("05-Sept-2025"), d(2025, 9, 5));
        assert_eq!(named.parse_date("05-Foo-2025"), None);
        let long = DateFormat::parse("d mmmm yyyy").expect("format");
        assert_eq!(long.parse_date("5 September 2025"), d(2025, 9, 5));
        let compact = DateFormat::parse("yyyymmdd").expect("format");
        assert_eq!(compact.parse_date("20250905"), d(2025, 9, 5));
        let short = DateFormat::parse("dd/mm/yy").expect("format");
        assert_eq!(short.parse_date("05/09/25"), d(2025, 9, 5));
        assert_eq!(short.parse_date("05/09/72"), d(1972, 9, 5));
    }

    #[test]
    fn bad_formats_are_explained() {
        assert!(DateFormat::parse("dd/mm").is_err());
        assert!(DateFormat::parse("ddd/mm/yyyy").is_err());
        assert!(DateFormat::parse("%d/%m/%Q").is_err());
        assert!(DateFormat::parse("dd/mm/yyyy hh").is_err());
        // A dash pasted from a word processor is explained, not a crash.
        assert!(DateFormat::parse("dd–mm–yyyy").is_err_and(|e| e.contains("unexpected `–`")));
    }
}
