//! Parquet exports: only the wanted columns are decoded, on the calling thread, so that a
//! damaged file that makes the decoder panic is caught and reported as unreadable.

use polars::prelude::*;

use super::header::match_header;
use super::{FileColumns, IngestError, RowRef, SourceFile, SourceRow, WantedColumn};

pub(super) fn read(
    file: &mut SourceFile,
    id: u16,
    wanted: &[WantedColumn],
    sink: &mut dyn FnMut(SourceRow<'_>),
) -> Result<FileColumns, IngestError> {
    let unreadable = |e: PolarsError| IngestError::Unreadable {
        file: file.display.clone(),
        reason: format!("not a readable Parquet file ({e})"),
    };
    let open = || {
        std::fs::File::open(&file.path).map_err(|e| IngestError::Unreadable {
            file: file.display.clone(),
            reason: e.to_string(),
        })
    };
    let mut reader = ParquetReader::new(open()?);
    let arrow = reader.schema().map_err(unreadable)?;
    let header: Vec<String> = arrow.iter_names().map(|n| n.to_string()).collect();
    let matched = match_header(&file.display, "header", &header, wanted)?;
    let names: Vec<String> = matched
        .index
        .iter()
        .flatten()
        .map(|i| header[*i].clone())
        .collect();
    let whole = if names.is_empty() {
        DataFrame::empty()
    } else {
        reader
            .with_columns(Some(names))
            .read_parallel(ParallelStrategy::None)
            .finish()
            .map_err(unreadable)?
    };
    let schema = whole.schema().clone();

    // Every wanted column as text: numbers as numbers, dates as ISO yyyy-mm-dd, timestamps
    // as the date they fall on (in their own time zone), durations as minutes.
    let mut kinds: Vec<Option<Kind>> = Vec::with_capacity(wanted.len());
    let mut cast: Vec<Option<Column>> = Vec::with_capacity(wanted.len());
    for i in &matched.index {
        let Some(i) = *i else {
            kinds.push(None);
            cast.push(None);
            continue;
        };
        let name = header[i].as_str();
        let dtype = schema.get(name).cloned().unwrap_or(DataType::Null);
        let kind = kind_of(&dtype).map_err(|hint| IngestError::UnsupportedColumn {
            file: file.display.clone(),
            column: name.to_owned(),
            dtype: dtype.to_string(),
            hint,
        })?;
        let c = whole.column(name).map_err(unreadable)?;
        let c = match &kind {
            Kind::Text => c.cast(&DataType::String),
            Kind::Decimal => c
                .cast(&DataType::Float64)
                .and_then(|c| c.cast(&DataType::String)),
            Kind::Timestamp { .. } | Kind::Duration { .. } => c.cast(&DataType::Int64),
        }
        .map_err(unreadable)?;
        cast.push(Some(c));
        kinds.push(Some(kind));
    }
    // Timestamps and durations are converted here, where the time zone rules are.
    let mut converted: Vec<Option<StringChunked>> = vec![None; kinds.len()];
    for (k, kind) in kinds.iter().enumerate() {
        let (Some(kind @ (Kind::Timestamp { .. } | Kind::Duration { .. })), Some(c)) =
            (kind, &cast[k])
        else {
            continue;
        };
        let raw = c.i64().map_err(unreadable)?;
        let text: StringChunked = raw.iter().map(|v| v.and_then(|v| kind.text(v))).collect();
        converted[k] = Some(text);
    }
    let height = whole.height();
    let mut columns: Vec<Option<&StringChunked>> = Vec::with_capacity(wanted.len());
    for (k, c) in cast.iter().enumerate() {
        match (c, &converted[k]) {
            (Some(_), Some(text)) => columns.push(Some(text)),
            (Some(c), None) => columns.push(Some(c.str().map_err(unreadable)?)),
            (None, _) => columns.push(None),
        }
    }
    let mut iters: Vec<Option<_>> = columns.iter().map(|c| c.map(|c| c.iter())).collect();
    let mut cells: Vec<&str> = Vec::with_capacity(wanted.len());
    for row in 0..height {
        cells.clear();
        for it in &mut iters {
            cells.push(it.as_mut().and_then(|i| i.next().flatten()).unwrap_or(""));
        }
        if cells.iter().all(|c| c.trim().is_empty()) {
            file.blank_rows += 1;
            continue;
        }
        file.rows += 1;
        sink(SourceRow {
            at: RowRef {
                file: id,
                line: row as u64 + 1,
            },
            cells: &cells,
            broken: None,
            formulas: &[],
            row_hash: super::csv::hash_fields(cells.iter().copied()),
        });
    }
    Ok(FileColumns {
        file: id,
        headers: matched.headers,
        unused: matched.unused,
        repeats: None,
    })
}

/// How a Parquet column becomes the text validation reads.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// Text, numbers, booleans and dates, cast by polars.
    Text,
    /// Fixed-point decimals, as numbers.
    Decimal,
    /// Instants in `per_second` units since 1970, shown as the date in `zone`.
    Timestamp { per_second: i64, zone: Zone },
    /// Lengths of time in `per_minute` units, shown as minutes.
    Duration { per_minute: i64 },
}

/// The time zones whose dates can be told without a zone database.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Zone {
    /// UTC, or a fixed offset from it in seconds.
    Fixed(i64),
    /// Europe/London: GMT, and BST from 01:00 UTC on the last Sunday of March to 01:00
    /// UTC on the last Sunday of October.
    London,
}

/// The conversion of a column type, or why it cannot be read.
fn kind_of(dtype: &DataType) -> Result<Kind, String> {
    let per_second = |tu: &TimeUnit| match tu {
        TimeUnit::Nanoseconds => 1_000_000_000,
        TimeUnit::Microseconds => 1_000_000,
        TimeUnit::Milliseconds => 1_000,
    };
    match dtype {
        DataType::Boolean
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64
        | DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::Float32
        | DataType::Float64
        | DataType::String
        | DataType::Date
        | DataType::Null
        | DataType::Categorical(..)
        | DataType::Enum(..) => Ok(Kind::Text),
        DataType::Decimal(..) => Ok(Kind::Decimal),
        DataType::Datetime(tu, tz) => {
            let zone = match tz.as_ref().map(|z| z.as_str()) {
                None => Zone::Fixed(0),
                Some(z) => zone(z).ok_or_else(|| {
                    format!(
                        "its time zone `{}` is not one sprout knows (UTC, Europe/London or a \
                         fixed offset such as +01:00); export the dates in one of those",
                        sprout_core::privacy::clip(z, 40)
                    )
                })?,
            };
            Ok(Kind::Timestamp {
                per_second: per_second(tu),
                zone,
            })
        }
        DataType::Duration(tu) => Ok(Kind::Duration {
            per_minute: per_second(tu) * 60,
        }),
        _ => Err("export this column as text, numbers or dates".to_owned()),
    }
}

fn zone(name: &str) -> Option<Zone> {
    match name {
        "UTC" | "Etc/UTC" | "Etc/GMT" | "GMT" | "Z" | "Zulu" | "Universal" => {
            return Some(Zone::Fixed(0));
        }
        "Europe/London" | "GB" | "Europe/Belfast" => return Some(Zone::London),
        _ => {}
    }
    // "+01:00", "-0530".
    let (sign, rest) = match name.as_bytes().first()? {
        b'+' => (1, &name[1..]),
        b'-' => (-1, &name[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i64 = digits[..2].parse().ok()?;
    let minutes: i64 = digits[2..].parse().ok()?;
    (hours <= 18 && minutes < 60).then_some(Zone::Fixed(sign * (hours * 3600 + minutes * 60)))
}

impl Kind {
    fn text(&self, v: i64) -> Option<String> {
        match *self {
            Kind::Timestamp { per_second, zone } => {
                let seconds = v.div_euclid(per_second);
                let utc = chrono::DateTime::from_timestamp(seconds, 0)?;
                let offset = match zone {
                    Zone::Fixed(o) => o,
                    Zone::London => london_offset(seconds),
                };
                let local = utc.naive_utc() + chrono::TimeDelta::seconds(offset);
                Some(local.date().format("%Y-%m-%d").to_string())
            }
            Kind::Duration { per_minute } => {
                let minutes = v as f64 / per_minute as f64;
                Some(if minutes.fract() == 0.0 {
                    format!("{}", minutes as i64)
                } else {
                    format!("{minutes}")
                })
            }
            Kind::Text | Kind::Decimal => None,
        }
    }
}

/// Seconds ahead of UTC in London at an instant (seconds since 1970).
fn london_offset(seconds: i64) -> i64 {
    use chrono::Datelike;
    let Some(at) = chrono::DateTime::from_timestamp(seconds, 0) else {
        return 0;
    };
    let year = at.year();
    // The last Sunday of a month, at 01:00 UTC.
    let last_sunday = |month: u32| {
        let last = chrono::NaiveDate::from_ymd_opt(year, month, 31)?;
        let back = i64::from(last.weekday().num_days_from_sunday());
        let day = last - chrono::TimeDelta::days(back);
        Some(day.and_hms_opt(1, 0, 0)?.and_utc().timestamp())
    };
    match (last_sunday(3), last_sunday(10)) {
        (Some(start), Some(end)) if (start..end).contains(&seconds) => 3600,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_fall_on_the_local_date() {
        let ts = |zone| Kind::Timestamp {
            per_second: 1,
            zone,
        };
        // 2025-04-15 23:30 UTC is 00:30 on the 16th in London (BST), the 15th in UTC.
        let t = 1_744_759_800;
        assert_eq!(ts(Zone::Fixed(0)).text(t).as_deref(), Some("2025-04-15"));
        assert_eq!(ts(Zone::London).text(t).as_deref(), Some("2025-04-16"));
        // In January London is on GMT.
        let jan = 1_736_983_800; // 2025-01-15 23:30 UTC
        assert_eq!(ts(Zone::London).text(jan).as_deref(), Some("2025-01-15"));
        // BST in 2025 ran from 30 March 01:00 UTC to 26 October 01:00 UTC.
        assert_eq!(london_offset(1_743_296_399), 0);
        assert_eq!(london_offset(1_743_296_400), 3600);
        assert_eq!(london_offset(1_761_440_399), 3600);
        assert_eq!(london_offset(1_761_440_400), 0);
        assert_eq!(zone("+01:00"), Some(Zone::Fixed(3600)));
        assert_eq!(zone("-0530"), Some(Zone::Fixed(-19800)));
        assert_eq!(zone("America/New_York"), None);
        let d = Kind::Duration { per_minute: 60_000 };
        assert_eq!(d.text(2_700_000).as_deref(), Some("45"));
        assert_eq!(d.text(90_000).as_deref(), Some("1.5"));
    }
}
