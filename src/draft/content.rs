//! What the values of an export's columns say about it, for `init` to recognise tables
//! whose headers it does not know: dates, numbers, client identifiers shared between
//! files, instrument names, drug names, timepoint labels.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use super::synonyms::{MEASURE_KEYWORDS, TIMEPOINT_KEYWORDS};
use super::{contains_words, guess, header_key, is_personal};
use crate::config::DateFormat;
use crate::ingest::Peek;
use crate::medication::DrugDictionary;
use crate::vocab::normalise_label;

/// Values of one column of a peeked file.
#[derive(Debug, Clone)]
pub(super) struct Column {
    pub header: String,
    /// Header words, camelCase split and lower-cased.
    pub key: String,
    /// Non-empty values, trimmed, in row order (one per row; `None` for blanks).
    pub cells: Vec<Option<String>>,
    pub distinct: BTreeSet<String>,
    /// Share of non-empty values that are dates in one of the candidate formats.
    pub date_rate: f64,
    /// Share of non-empty values that are numbers.
    pub number_rate: f64,
    /// The candidate date format that reads the most values.
    pub date_format: Option<&'static str>,
}

impl Column {
    pub fn filled(&self) -> usize {
        self.cells.iter().flatten().count()
    }

    pub fn is_date(&self) -> bool {
        self.filled() > 0 && self.date_rate >= 0.8
    }

    pub fn is_number(&self) -> bool {
        self.filled() > 0 && self.number_rate >= 0.9 && !self.is_date()
    }

    /// Could hold client identifiers: neither dates nor free text, several values.
    pub fn id_like(&self) -> bool {
        !self.is_date()
            && self.distinct.len() >= 5
            && !is_personal(&self.header)
            && self
                .distinct
                .iter()
                .take(50)
                .all(|v| v.len() <= 40 && !v.contains("  "))
    }

    /// Distinct values per filled cell: 1 when every row has its own value.
    pub fn uniqueness(&self) -> f64 {
        let filled = self.filled();
        if filled == 0 {
            0.0
        } else {
            self.distinct.len() as f64 / filled as f64
        }
    }

    /// Share of distinct values that name an instrument.
    pub fn measure_rate(&self) -> f64 {
        share(&self.distinct, |v| guess(v, MEASURE_KEYWORDS).is_some())
    }

    /// Share of distinct values that read as timepoint labels ("T0", "Initial", "Exit").
    pub fn timepoint_rate(&self) -> f64 {
        share(&self.distinct, timepoint_like)
    }
}

fn share(values: &BTreeSet<String>, test: impl Fn(&str) -> bool) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.iter().filter(|v| test(v)).count() as f64 / values.len() as f64
}

/// "T0", "t1 - 8 weeks", "Wave 2", or a label with a timepoint keyword.
pub(super) fn timepoint_like(v: &str) -> bool {
    let n = normalise_label(v);
    let first = n.split(' ').next().unwrap_or("");
    let coded = first.len() >= 2
        && (first.starts_with('t') || first.starts_with('w'))
        && first[1..].chars().all(|c| c.is_ascii_digit());
    coded || guess(v, TIMEPOINT_KEYWORDS).is_some() || follow_up(v)
}

/// A follow-up after support ended ("3 month follow-up", "FU1").
pub(super) fn follow_up(v: &str) -> bool {
    let n = normalise_label(v);
    contains_words(&n, "follow up") || contains_words(&n, "followup") || n.starts_with("fu")
}

/// The candidate formats and ISO, most common in UK exports first.
pub(super) const DATE_FORMATS: &[&str] = &[
    "dd/mm/yyyy",
    "yyyy-mm-dd",
    "dd-mmm-yyyy",
    "d mmm yyyy",
    "dd.mm.yyyy",
    "dd-mm-yyyy",
    "dd/mm/yy",
    "d-mmm-yy",
    "yyyy/mm/dd",
    "mm/dd/yyyy",
];

fn formats() -> Vec<(&'static str, DateFormat)> {
    DATE_FORMATS
        .iter()
        .filter_map(|f| DateFormat::parse(f).ok().map(|d| (*f, d)))
        .collect()
}

/// A date in `format`, or ISO (with any time of day).
pub(super) fn parse_date(value: &str, format: Option<&DateFormat>) -> Option<NaiveDate> {
    let iso = || {
        let head = value.get(..10)?;
        NaiveDate::parse_from_str(head, "%Y-%m-%d").ok()
    };
    format.and_then(|f| f.parse_date(value)).or_else(iso)
}

/// Profiles every column of a peeked file.
pub(super) fn columns(p: &Peek) -> Vec<Column> {
    let formats = formats();
    p.header
        .iter()
        .enumerate()
        .map(|(i, header)| {
            let cells: Vec<Option<String>> = p
                .rows
                .iter()
                .map(|r| {
                    r.get(i)
                        .map(|v| v.trim().to_owned())
                        .filter(|v| !v.is_empty())
                })
                .collect();
            let values: Vec<&String> = cells.iter().flatten().collect();
            let n = values.len().max(1) as f64;
            let mut best: Option<(&'static str, usize)> = None;
            for (name, f) in &formats {
                let read = values
                    .iter()
                    .take(500)
                    .filter(|v| f.parse_date(v).is_some())
                    .count();
                if read > 0 && best.is_none_or(|(_, b)| read > b) {
                    best = Some((name, read));
                }
            }
            let sample = values.len().clamp(1, 500) as f64;
            let number = values
                .iter()
                .filter(|v| v.replace(',', "").parse::<f64>().is_ok())
                .count();
            Column {
                header: header.clone(),
                key: header_key(header),
                distinct: values.iter().map(|v| (*v).clone()).collect(),
                date_rate: best.map_or(0.0, |(_, r)| r as f64 / sample),
                number_rate: number as f64 / n,
                date_format: best.map(|(f, _)| f),
                cells,
            }
        })
        .collect()
}

/// Share of a column's distinct values that name a known drug or "no medication".
pub(super) fn drug_rate(c: &Column, drugs: &DrugDictionary) -> f64 {
    share(&c.distinct, |v| {
        drugs.product(v).is_some()
            || drugs.is_no_medication(v)
            || crate::medication::not_counted(v, &[]).is_some()
    })
}

/// For each value of `label_col`: the median, over its rows, of days since the client's
/// first dated row in the file (clients by `id_col`, dates from `date_col`).
pub(super) fn typical_days(id: &Column, date: &Column, label: &Column) -> BTreeMap<String, i64> {
    let format = date.date_format.and_then(|f| DateFormat::parse(f).ok());
    let mut first: BTreeMap<&str, NaiveDate> = BTreeMap::new();
    let rows: Vec<(&str, NaiveDate, &str)> = id
        .cells
        .iter()
        .zip(&date.cells)
        .zip(&label.cells)
        .filter_map(|((i, d), l)| {
            let d = parse_date(d.as_deref()?, format.as_ref())?;
            Some((i.as_deref()?, d, l.as_deref()?))
        })
        .collect();
    for (i, d, _) in &rows {
        let e = first.entry(i).or_insert(*d);
        if d < e {
            *e = *d;
        }
    }
    let mut by_label: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for (i, d, l) in rows {
        let days = (d - first[i]).num_days();
        by_label.entry(l.to_owned()).or_default().push(days);
    }
    by_label
        .into_iter()
        .map(|(l, mut v)| {
            v.sort_unstable();
            (l, v[v.len() / 2])
        })
        .collect()
}

/// The median date of a date column, as days since 1970.
pub(super) fn median_day(date: &Column) -> Option<i64> {
    let format = date.date_format.and_then(|f| DateFormat::parse(f).ok());
    let mut days: Vec<i64> = date
        .cells
        .iter()
        .flatten()
        .filter_map(|v| parse_date(v, format.as_ref()))
        .map(|d| d.signed_duration_since(NaiveDate::default()).num_days())
        .collect();
    days.sort_unstable();
    days.get(days.len() / 2).copied()
}
