//! Parquet exports: only the wanted columns are decoded, a batch of rows at a time, on
//! the calling thread, so that a damaged file that makes the decoder panic is caught and
//! reported as unreadable.

use std::fmt::Write as _;
use std::fs::File;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Decimal128Type, DurationMicrosecondType, DurationMillisecondType,
    DurationNanosecondType, DurationSecondType, Float16Type, Float32Type, Float64Type, Int8Type,
    Int16Type, Int32Type, Int64Type, TimestampMicrosecondType, TimestampMillisecondType,
    TimestampNanosecondType, TimestampSecondType, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrowPrimitiveType, PrimitiveArray, RecordBatch};
use arrow_schema::{DataType, TimeUnit};
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};

use super::header::match_header;
use super::{FileColumns, IngestError, RowRef, SourceFile, SourceRow, WantedColumn};

/// Rows decoded at a time.
const BATCH: usize = 8192;

pub(super) fn read(
    file: &mut SourceFile,
    id: u16,
    wanted: &[WantedColumn],
    sink: &mut dyn FnMut(SourceRow<'_>),
) -> Result<FileColumns, IngestError> {
    let display = file.display.clone();
    let unreadable = |e: &dyn std::fmt::Display| IngestError::Unreadable {
        file: display.clone(),
        reason: format!("not a readable Parquet file ({e})"),
    };
    let opened = File::open(&file.path).map_err(|e| IngestError::Unreadable {
        file: display.clone(),
        reason: e.to_string(),
    })?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(opened).map_err(|e| unreadable(&e))?;
    let fields = builder.schema().fields().clone();
    let header: Vec<String> = fields.iter().map(|f| f.name().clone()).collect();
    let matched = match_header(&display, "header", &header, wanted)?;
    // The columns to decode, in file order, and each wanted column's place among them.
    let mut chosen: Vec<usize> = matched.index.iter().flatten().copied().collect();
    chosen.sort_unstable();
    chosen.dedup();
    let mut kinds: Vec<Option<(usize, Kind)>> = Vec::with_capacity(wanted.len());
    for i in &matched.index {
        let Some(i) = *i else {
            kinds.push(None);
            continue;
        };
        let dtype = fields[i].data_type();
        let kind = kind_of(dtype).map_err(|hint| IngestError::UnsupportedColumn {
            file: display.clone(),
            column: header[i].clone(),
            dtype: type_name(dtype),
            hint,
        })?;
        let place = chosen.binary_search(&i).unwrap_or_default();
        kinds.push(Some((place, kind)));
    }
    if !chosen.is_empty() {
        let mask = ProjectionMask::roots(builder.parquet_schema(), chosen.iter().copied());
        let reader = builder
            .with_projection(mask)
            .with_batch_size(BATCH)
            .build()
            .map_err(|e| unreadable(&e))?;
        send_rows(reader, file, id, &kinds, sink).map_err(|e| unreadable(&e))?;
    }
    Ok(FileColumns {
        file: id,
        headers: matched.headers,
        unused: matched.unused,
        repeats: None,
    })
}

/// Hands every row of the decoded batches to the sink, numbered from 1.
fn send_rows(
    reader: ParquetRecordBatchReader,
    file: &mut SourceFile,
    id: u16,
    kinds: &[Option<(usize, Kind)>],
    sink: &mut dyn FnMut(SourceRow<'_>),
) -> Result<(), String> {
    let mut line = 0u64;
    for batch in reader {
        let batch: RecordBatch = batch.map_err(|e| e.to_string())?;
        let columns = batch_texts(&batch, kinds)?;
        let mut cells: Vec<&str> = Vec::with_capacity(kinds.len());
        for row in 0..batch.num_rows() {
            line += 1;
            cells.clear();
            cells.extend(columns.iter().map(|c| c.get(row)));
            if cells.iter().all(|c| c.trim().is_empty()) {
                file.blank_rows += 1;
                continue;
            }
            file.rows += 1;
            sink(SourceRow {
                at: RowRef { file: id, line },
                cells: &cells,
                broken: None,
                formulas: &[],
                row_hash: super::csv::hash_fields(cells.iter().copied()),
            });
        }
    }
    Ok(())
}

/// The first rows of a Parquet file, every column as text (a column of a type sprout does
/// not read shows as blank), for `init`.
pub(super) fn peek(
    path: &std::path::Path,
    max_rows: usize,
) -> Result<(Vec<String>, Vec<Vec<String>>), String> {
    let opened = File::open(path).map_err(|e| e.to_string())?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(opened)
        .map_err(|e| format!("not a readable Parquet file ({e})"))?;
    let fields = builder.schema().fields().clone();
    let header: Vec<String> = fields.iter().map(|f| f.name().clone()).collect();
    let kinds: Vec<Option<(usize, Kind)>> = fields
        .iter()
        .enumerate()
        .map(|(i, f)| kind_of(f.data_type()).ok().map(|k| (i, k)))
        .collect();
    let reader = builder
        .with_batch_size(max_rows.clamp(1, BATCH))
        .with_limit(max_rows)
        .build()
        .map_err(|e| format!("not a readable Parquet file ({e})"))?;
    let mut rows = Vec::new();
    for batch in reader {
        let batch = batch.map_err(|e| format!("not a readable Parquet file ({e})"))?;
        let columns = batch_texts(&batch, &kinds)?;
        for row in 0..batch.num_rows() {
            rows.push(columns.iter().map(|c| c.get(row).to_owned()).collect());
        }
    }
    rows.truncate(max_rows);
    Ok((header, rows))
}

/// The text of each column of a batch that `kinds` names (by its place in the batch), and
/// an empty column where it names none.
fn batch_texts(batch: &RecordBatch, kinds: &[Option<(usize, Kind)>]) -> Result<Vec<Texts>, String> {
    kinds
        .iter()
        .map(|k| {
            let mut t = Texts::default();
            if let Some((place, kind)) = k {
                texts(batch.column(*place).as_ref(), kind, &mut t)?;
            }
            Ok(t)
        })
        .collect()
}

/// A column of a batch as text: every cell's text one after another, and where each
/// ends. A missing value is empty.
#[derive(Default)]
struct Texts {
    text: String,
    ends: Vec<usize>,
}

impl Texts {
    fn get(&self, row: usize) -> &str {
        let Some(&end) = self.ends.get(row) else {
            return "";
        };
        let start = row.checked_sub(1).map_or(0, |r| self.ends[r]);
        self.text.get(start..end).unwrap_or("")
    }

    fn end_cell(&mut self) {
        self.ends.push(self.text.len());
    }
}

/// Writes each cell of `array` as text: numbers as the shortest text that reads back as
/// the same number ("45", "45.0" for a float), dates as yyyy-mm-dd, timestamps as the
/// date they fall on in their own time zone, durations as minutes.
fn texts(array: &dyn Array, kind: &Kind, out: &mut Texts) -> Result<(), String> {
    out.text.reserve(array.len() * 8);
    out.ends.reserve(array.len());
    match (kind, array.data_type()) {
        (Kind::Timestamp { .. }, DataType::Timestamp(unit, _)) => match unit {
            TimeUnit::Second => instants::<TimestampSecondType>(array, kind, out),
            TimeUnit::Millisecond => instants::<TimestampMillisecondType>(array, kind, out),
            TimeUnit::Microsecond => instants::<TimestampMicrosecondType>(array, kind, out),
            TimeUnit::Nanosecond => instants::<TimestampNanosecondType>(array, kind, out),
        },
        (Kind::Duration { .. }, DataType::Duration(unit)) => match unit {
            TimeUnit::Second => instants::<DurationSecondType>(array, kind, out),
            TimeUnit::Millisecond => instants::<DurationMillisecondType>(array, kind, out),
            TimeUnit::Microsecond => instants::<DurationMicrosecondType>(array, kind, out),
            TimeUnit::Nanosecond => instants::<DurationNanosecondType>(array, kind, out),
        },
        (Kind::Decimal, DataType::Decimal128(_, scale)) => {
            // As a float, divided by the power of ten of its scale.
            let power: f64 = format!("1e{scale}").parse().unwrap_or(1.0);
            let a = array.as_primitive::<Decimal128Type>();
            each(a, out, |v, t| {
                let mut b = zmij::Buffer::new();
                t.push_str(b.format(v as f64 / power));
            });
        }
        (_, DataType::Boolean) => {
            let a = array.as_boolean();
            for i in 0..a.len() {
                if a.is_valid(i) {
                    out.text.push_str(if a.value(i) { "true" } else { "false" });
                }
                out.end_cell();
            }
        }
        (_, DataType::Int8) => integers::<Int8Type>(array, out),
        (_, DataType::Int16) => integers::<Int16Type>(array, out),
        (_, DataType::Int32) => integers::<Int32Type>(array, out),
        (_, DataType::Int64) => integers::<Int64Type>(array, out),
        (_, DataType::UInt8) => integers::<UInt8Type>(array, out),
        (_, DataType::UInt16) => integers::<UInt16Type>(array, out),
        (_, DataType::UInt32) => integers::<UInt32Type>(array, out),
        (_, DataType::UInt64) => integers::<UInt64Type>(array, out),
        (_, DataType::Float16) => each(array.as_primitive::<Float16Type>(), out, |v, t| {
            let mut b = zmij::Buffer::new();
            t.push_str(b.format(v.to_f32()));
        }),
        (_, DataType::Float32) => each(array.as_primitive::<Float32Type>(), out, |v, t| {
            let mut b = zmij::Buffer::new();
            t.push_str(b.format(v));
        }),
        (_, DataType::Float64) => each(array.as_primitive::<Float64Type>(), out, |v, t| {
            let mut b = zmij::Buffer::new();
            t.push_str(b.format(v));
        }),
        (_, DataType::Date32) => each(array.as_primitive::<Date32Type>(), out, |v, t| {
            if let Some(d) = chrono::DateTime::from_timestamp(i64::from(v) * 86_400, 0) {
                let _ = write!(t, "{}", d.date_naive().format("%Y-%m-%d"));
            }
        }),
        (_, DataType::Date64) => each(array.as_primitive::<Date64Type>(), out, |v, t| {
            if let Some(d) = chrono::DateTime::from_timestamp_millis(v) {
                let _ = write!(t, "{}", d.date_naive().format("%Y-%m-%d"));
            }
        }),
        (_, DataType::Utf8) => strings(array.as_string::<i32>().iter(), out),
        (_, DataType::LargeUtf8) => strings(array.as_string::<i64>().iter(), out),
        (_, DataType::Utf8View) => strings(array.as_string_view().iter(), out),
        (_, DataType::Null) => {
            for _ in 0..array.len() {
                out.end_cell();
            }
        }
        (_, DataType::Dictionary(..)) => {
            // The dictionary's values as text once, then each row's value.
            let dict = array.as_any_dictionary();
            let mut values = Texts::default();
            texts(dict.values().as_ref(), kind, &mut values)?;
            let keys = dict.normalized_keys();
            let nulls = array.logical_nulls();
            for (i, k) in keys.iter().enumerate() {
                if nulls.as_ref().is_none_or(|n| n.is_valid(i)) {
                    out.text.push_str(values.get(*k));
                }
                out.end_cell();
            }
        }
        (_, other) => {
            return Err(format!(
                "a column of type {} could not be read",
                type_name(other)
            ));
        }
    }
    Ok(())
}

/// Each cell of a primitive column, written by `write` where it has a value.
fn each<T: ArrowPrimitiveType>(
    a: &PrimitiveArray<T>,
    out: &mut Texts,
    mut write: impl FnMut(T::Native, &mut String),
) {
    for i in 0..a.len() {
        if a.is_valid(i) {
            write(a.value(i), &mut out.text);
        }
        out.end_cell();
    }
}

fn integers<T: ArrowPrimitiveType>(array: &dyn Array, out: &mut Texts)
where
    T::Native: std::fmt::Display,
{
    each(array.as_primitive::<T>(), out, |v, t| {
        let _ = write!(t, "{v}");
    });
}

/// Timestamps and durations, through their [`Kind`].
fn instants<T: ArrowPrimitiveType<Native = i64>>(array: &dyn Array, kind: &Kind, out: &mut Texts) {
    each(array.as_primitive::<T>(), out, |v, t| {
        if let Some(text) = kind.text(v) {
            t.push_str(&text);
        }
    });
}

fn strings<'a>(values: impl Iterator<Item = Option<&'a str>>, out: &mut Texts) {
    for v in values {
        out.text.push_str(v.unwrap_or(""));
        out.end_cell();
    }
}

/// A column type as a reader would name it.
fn type_name(dtype: &DataType) -> String {
    match dtype {
        DataType::List(_)
        | DataType::LargeList(_)
        | DataType::ListView(_)
        | DataType::LargeListView(_)
        | DataType::FixedSizeList(..) => "list".to_owned(),
        DataType::Struct(_) => "struct (a record of several values)".to_owned(),
        DataType::Map(..) => "map".to_owned(),
        DataType::Binary
        | DataType::LargeBinary
        | DataType::BinaryView
        | DataType::FixedSizeBinary(_) => "binary".to_owned(),
        DataType::Time32(_) | DataType::Time64(_) => "time of day".to_owned(),
        DataType::Interval(_) => "interval".to_owned(),
        DataType::Decimal256(..) => "decimal of more than 38 digits".to_owned(),
        other => format!("{other}").to_lowercase(),
    }
}

/// How a Parquet column becomes the text validation reads.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// Text, numbers, booleans and dates.
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
        TimeUnit::Nanosecond => 1_000_000_000,
        TimeUnit::Microsecond => 1_000_000,
        TimeUnit::Millisecond => 1_000,
        TimeUnit::Second => 1,
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
        | DataType::Float16
        | DataType::Float32
        | DataType::Float64
        | DataType::Utf8
        | DataType::LargeUtf8
        | DataType::Utf8View
        | DataType::Date32
        | DataType::Date64
        | DataType::Null => Ok(Kind::Text),
        // A categorical column: its labels must be text, numbers or dates themselves.
        DataType::Dictionary(_, values) => match kind_of(values)? {
            Kind::Text => Ok(Kind::Text),
            _ => Err("export this column as text, numbers or dates".to_owned()),
        },
        DataType::Decimal128(..) => Ok(Kind::Decimal),
        DataType::Timestamp(tu, tz) => {
            let zone = match tz.as_deref() {
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
