//! Cell checks shared by the table validators: each records a finding when a value is
//! doubtful and says whether the row can still be used.

use chrono::NaiveDate;

use super::finding::{Action, Finding, FindingCode, Findings, WITHHELD};
use super::parse;
use crate::config::DateFormat;
use crate::ingest::RowRef;
use crate::tables::TableKind;
use crate::vocab::CachedLabels;

/// Dates before this are typing errors, whatever the programme.
const EARLIEST_PLAUSIBLE: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(d) => d,
    None => unreachable!(),
};

/// The outcome of reading one cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<T> {
    Value(T),
    /// Empty cell (a finding if the field is required).
    Missing,
    /// A finding was recorded; the value is unusable.
    Bad,
}

impl<T> Cell<T> {
    pub fn ok(self) -> Option<T> {
        match self {
            Cell::Value(v) => Some(v),
            _ => None,
        }
    }
}

/// Checks cells of one table and records findings against it.
#[derive(Debug)]
pub struct Checker<'a> {
    pub table: TableKind,
    pub findings: &'a mut Findings,
    pub formats: &'a [DateFormat],
    /// The date of the run; later event dates are implausible.
    pub today: NaiveDate,
}

/// Which cell of the row a check reads.
#[derive(Debug, Clone, Copy)]
pub struct At<'r> {
    pub row: RowRef,
    /// Canonical key of the column; replaced by the export header when findings are finished.
    pub key: &'r str,
    pub text: &'r str,
    pub required: bool,
    /// Identifying values are never echoed.
    pub identifying: bool,
}

impl Checker<'_> {
    pub fn flag(&mut self, at: &At, code: FindingCode, reason: impl Into<String>) {
        let action = if at.required {
            Action::RowExcluded
        } else {
            Action::ValueIgnored
        };
        self.flag_with(at, code, action, reason);
    }

    pub fn flag_with(
        &mut self,
        at: &At,
        code: FindingCode,
        action: Action,
        reason: impl Into<String>,
    ) {
        let value = if at.identifying {
            WITHHELD.to_owned()
        } else {
            redact(at.text.trim())
        };
        self.findings.push(Finding {
            code,
            action,
            table: self.table,
            at: at.row,
            column: at.key.to_owned(),
            value,
            reason: reason.into(),
        });
    }

    fn missing<T>(&mut self, at: &At) -> Cell<T> {
        if at.required {
            self.flag(
                at,
                FindingCode::MissingRequired,
                format!("{} is required", at.key),
            );
        }
        Cell::Missing
    }

    pub fn text<'t>(&mut self, at: &At<'t>) -> Cell<&'t str> {
        let t = at.text.trim();
        if t.is_empty() {
            self.missing(at)
        } else {
            Cell::Value(t)
        }
    }

    /// A date of an event: must parse and lie between 1900 and the date of the run
    /// (`allow_future` for planned dates such as surgery).
    pub fn date(&mut self, at: &At, allow_future: bool) -> Cell<NaiveDate> {
        if at.text.trim().is_empty() {
            return self.missing(at);
        }
        match parse::parse_date(at.text, self.formats) {
            None => {
                let formats: Vec<&str> = self.formats.iter().map(DateFormat::as_str).collect();
                self.flag(
                    at,
                    FindingCode::UnparseableDate,
                    format!(
                        "not a date in the formats {} or yyyy-mm-dd",
                        formats.join(", ")
                    ),
                );
                Cell::Bad
            }
            Some(d) if d < EARLIEST_PLAUSIBLE => {
                self.flag(at, FindingCode::ImplausibleDate, "before 1900");
                Cell::Bad
            }
            Some(d) if !allow_future && d > self.today => {
                self.flag(
                    at,
                    FindingCode::ImplausibleDate,
                    format!("after the date of this run ({})", self.today),
                );
                Cell::Bad
            }
            Some(d) => Cell::Value(d),
        }
    }

    /// A number within `[min, max]`, optionally whole.
    pub fn number(&mut self, at: &At, min: f64, max: f64, integer: bool) -> Cell<f64> {
        if at.text.trim().is_empty() {
            return self.missing(at);
        }
        match parse::parse_number(at.text) {
            None => {
                self.flag(at, FindingCode::NotANumber, "not a number");
                Cell::Bad
            }
            Some(v) => self.range(at, v, min, max, integer),
        }
    }

    pub fn range(&mut self, at: &At, v: f64, min: f64, max: f64, integer: bool) -> Cell<f64> {
        if v < min || v > max {
            self.flag(
                at,
                FindingCode::OutOfRange,
                format!(
                    "outside the valid range {} to {}",
                    fmt_num(min),
                    fmt_num(max)
                ),
            );
            Cell::Bad
        } else if integer && v.fract() != 0.0 {
            self.flag(at, FindingCode::NotInteger, "should be a whole number");
            Cell::Bad
        } else {
            Cell::Value(v)
        }
    }

    /// A category label mapped through the config's label map.
    pub fn label(
        &mut self,
        at: &At,
        map: &mut CachedLabels,
        code: FindingCode,
        what: &str,
    ) -> Cell<u16> {
        if at.text.trim().is_empty() {
            return self.missing(at);
        }
        match map.lookup_index(at.text) {
            Some(i) => Cell::Value(i),
            None => {
                self.flag(
                    at,
                    code,
                    format!("not a known {what} label; map it under [labels.{what}] in the config"),
                );
                Cell::Bad
            }
        }
    }
}

/// The text a finding may echo. Findings go into reports, so anything that looks like free
/// text or personal data (a sentence, an NHS number, a phone number, an email address or a
/// postcode typed into the wrong column) is withheld.
pub fn redact(s: &str) -> String {
    const MAX_CHARS: usize = 40;
    const MAX_WORDS: usize = 5;
    if s.chars().count() > MAX_CHARS || s.split_whitespace().count() > MAX_WORDS {
        return "[free text withheld]".to_owned();
    }
    if looks_personal(s) {
        return WITHHELD.to_owned();
    }
    s.to_owned()
}

fn looks_personal(s: &str) -> bool {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let only_digits_and_spacing = s
        .chars()
        .all(|c| c.is_ascii_digit() || c == ' ' || c == '-' || c == '+');
    let nhs_number = only_digits_and_spacing && digits.len() == 10 && nhs_check_digit_ok(&digits);
    let phone = only_digits_and_spacing && (10..=13).contains(&digits.len()) && !s.contains('-');
    let email = s.contains('@') && s.contains('.');
    nhs_number || phone || email || is_postcode(s)
}

/// NHS numbers carry a modulus-11 check digit.
fn nhs_check_digit_ok(d: &str) -> bool {
    let v: Vec<u32> = d.bytes().map(|b| u32::from(b - b'0')).collect();
    let sum: u32 = v[..9]
        .iter()
        .enumerate()
        .map(|(i, x)| x * (10 - i as u32))
        .sum();
    let check = (11 - sum % 11) % 11;
    check != 10 && check == v[9]
}

fn is_postcode(s: &str) -> bool {
    let compact: Vec<char> = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if !(5..=7).contains(&compact.len()) {
        return false;
    }
    let (outward, inward) = compact.split_at(compact.len() - 3);
    let inward_ok = inward[0].is_ascii_digit()
        && inward[1].is_ascii_alphabetic()
        && inward[2].is_ascii_alphabetic();
    let outward_ok = outward.first().is_some_and(char::is_ascii_alphabetic)
        && outward.iter().any(char::is_ascii_digit)
        && outward.iter().all(char::is_ascii_alphanumeric);
    inward_ok && outward_ok
}

pub fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_data_and_free_text_are_withheld() {
        assert_eq!(redact("Face to face"), "Face to face");
        assert_eq!(redact("31/02/2026"), "31/02/2026");
        assert_eq!(redact("943 476 5919"), WITHHELD);
        assert_eq!(redact("07700 900123"), WITHHELD);
        assert_eq!(redact("jo@example.org"), WITHHELD);
        assert_eq!(redact("NE1 4LP"), WITHHELD);
        assert_eq!(
            redact("Felt much better after the walking group, husband says"),
            "[free text withheld]"
        );
        assert_eq!(redact("12"), "12");
        assert_eq!(redact("Co-codamol 30/500"), "Co-codamol 30/500");
    }
}
