//! Cell checks shared by the table validators: each records a finding when a value is
//! doubtful and says whether the row can still be used.

use chrono::NaiveDate;

use super::finding::{Action, Finding, FindingCode, Findings};
use super::parse;
use sprout_config::DateFormat;
use sprout_core::privacy::{WITHHELD, redact, redact_unread};
use sprout_core::vocab::CachedLabels;
use sprout_ingest::RowRef;
use sprout_tables::TableKind;

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
    /// The client reference the table's rows looked up last.
    pub last_client: crate::client_entry::LastLookup,
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
        } else if matches!(code, FindingCode::NotANumber | FindingCode::UnparseableDate) {
            redact_unread(at.text.trim())
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

    /// Adds what became of the value to the reason of the finding just made.
    pub fn and_then_say(&mut self, consequence: &str) {
        let last = self.findings.len().wrapping_sub(1);
        if let Some(f) = self.findings.get_mut(last) {
            f.reason.push_str("; ");
            f.reason.push_str(consequence);
        }
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
                // ISO dates are always accepted.
                let mut formats: Vec<&str> = self.formats.iter().map(DateFormat::as_str).collect();
                if !formats.iter().any(|f| f.eq_ignore_ascii_case("yyyy-mm-dd")) {
                    formats.push("yyyy-mm-dd");
                }
                let formats = match formats.split_last() {
                    Some((last, [])) => format!("the format {last}"),
                    Some((last, rest)) => format!("the formats {} or {last}", rest.join(", ")),
                    None => "any known format".to_owned(),
                };
                self.flag(
                    at,
                    FindingCode::UnparseableDate,
                    format!("not a date in {formats}"),
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
    ) -> Cell<u32> {
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

pub fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}
