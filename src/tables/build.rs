//! Column builders that validation fills row by row, and the conversion to frames.

use crate::fxhash::FxHashMap;
use std::fmt::Write as _;

use chrono::NaiveDate;
use polars::prelude::*;

const EPOCH: NaiveDate = match NaiveDate::from_ymd_opt(1970, 1, 1) {
    Some(d) => d,
    None => unreachable!(),
};

/// Days since 1970-01-01, polars' date representation.
pub fn date_to_days(d: NaiveDate) -> i32 {
    (d - EPOCH).num_days() as i32
}

pub fn days_to_date(days: i32) -> NaiveDate {
    EPOCH + chrono::Duration::days(i64::from(days))
}

/// One column under construction. Text is interned, since canonical text columns hold
/// a handful of distinct category values over millions of rows.
#[derive(Debug, Clone)]
pub enum ColumnBuilder {
    Client(Vec<u32>),
    Date(Vec<Option<i32>>),
    Number(Vec<Option<f64>>),
    Integer(Vec<Option<i32>>),
    Text {
        codes: Vec<u32>,
        values: Vec<String>,
        lookup: FxHashMap<String, u32>,
    },
}

const NULL_CODE: u32 = u32::MAX;

impl ColumnBuilder {
    pub fn client() -> Self {
        Self::Client(Vec::new())
    }
    pub fn date() -> Self {
        Self::Date(Vec::new())
    }
    pub fn number() -> Self {
        Self::Number(Vec::new())
    }
    pub fn integer() -> Self {
        Self::Integer(Vec::new())
    }
    pub fn text() -> Self {
        Self::Text {
            codes: Vec::new(),
            values: Vec::new(),
            lookup: FxHashMap::default(),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Self::Client(v) => v.len(),
            Self::Date(v) | Self::Integer(v) => v.len(),
            Self::Number(v) => v.len(),
            Self::Text { codes, .. } => codes.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn into_column(self, name: &str) -> Column {
        let name = PlSmallStr::from(name);
        match self {
            Self::Client(v) => Column::new(name, v),
            Self::Date(v) => Series::new(name, v).into_date().into_column(),
            Self::Number(v) => Column::new(name, v),
            Self::Integer(v) => Column::new(name, v),
            Self::Text { codes, values, .. } => {
                let ca: StringChunked = codes
                    .iter()
                    .map(|&c| (c != NULL_CODE).then(|| values[c as usize].as_str()))
                    .collect();
                ca.with_name(name).into_column()
            }
        }
    }
}

/// A table under construction: named columns that grow together, one value per row.
#[derive(Debug, Clone, Default)]
pub struct TableBuilder {
    columns: Vec<(String, ColumnBuilder)>,
}

/// A handle to one column of a [`TableBuilder`].
pub type Col = usize;

impl TableBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, name: &str, column: ColumnBuilder) -> Col {
        self.columns.push((name.to_owned(), column));
        self.columns.len() - 1
    }

    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |(_, c)| c.len())
    }

    pub fn push_client(&mut self, col: Col, v: u32) {
        if let Some((_, ColumnBuilder::Client(vals))) = self.columns.get_mut(col) {
            vals.push(v);
        }
    }

    pub fn push_date(&mut self, col: Col, v: Option<NaiveDate>) {
        if let Some((_, ColumnBuilder::Date(vals))) = self.columns.get_mut(col) {
            vals.push(v.map(date_to_days));
        }
    }

    pub fn push_number(&mut self, col: Col, v: Option<f64>) {
        if let Some((_, ColumnBuilder::Number(vals))) = self.columns.get_mut(col) {
            vals.push(v);
        }
    }

    pub fn push_integer(&mut self, col: Col, v: Option<i32>) {
        if let Some((_, ColumnBuilder::Integer(vals))) = self.columns.get_mut(col) {
            vals.push(v);
        }
    }

    pub fn push_text(&mut self, col: Col, v: Option<&str>) {
        if let Some((
            _,
            ColumnBuilder::Text {
                codes,
                values,
                lookup,
            },
        )) = self.columns.get_mut(col)
        {
            let code = match v {
                None => NULL_CODE,
                Some(s) => match lookup.get(s) {
                    Some(&c) => c,
                    None => {
                        let c = values.len() as u32;
                        values.push(s.to_owned());
                        lookup.insert(s.to_owned(), c);
                        c
                    }
                },
            };
            codes.push(code);
        }
    }

    /// Sets a text column to missing over a range of rows.
    pub fn clear_text(&mut self, col: Col, rows: std::ops::Range<usize>) {
        if let Some((_, ColumnBuilder::Text { codes, .. })) = self.columns.get_mut(col) {
            let end = rows.end.min(codes.len());
            for code in codes
                .get_mut(rows.start.min(end)..end)
                .into_iter()
                .flatten()
            {
                *code = NULL_CODE;
            }
        }
    }

    /// Keeps only the rows where `keep` is true, in order.
    pub fn retain_rows(&mut self, keep: &[bool]) {
        fn filter<T: Copy>(v: &mut Vec<T>, keep: &[bool]) {
            let mut i = 0;
            v.retain(|_| {
                let k = keep.get(i).copied().unwrap_or(true);
                i += 1;
                k
            });
        }
        for (_, c) in &mut self.columns {
            match c {
                ColumnBuilder::Client(v) => filter(v, keep),
                ColumnBuilder::Date(v) | ColumnBuilder::Integer(v) => filter(v, keep),
                ColumnBuilder::Number(v) => filter(v, keep),
                ColumnBuilder::Text { codes, .. } => filter(codes, keep),
            }
        }
    }

    pub fn into_frame(self) -> PolarsResult<DataFrame> {
        let height = self.rows();
        let columns = self
            .columns
            .into_iter()
            .map(|(n, c)| c.into_column(&n))
            .collect();
        DataFrame::new(height, columns)
    }
}

/// CSV text of a frame: dates ISO, missing values empty, numbers in shortest form.
pub(crate) fn frame_to_csv(frame: &DataFrame) -> String {
    let mut out = String::new();
    let names: Vec<String> = frame
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    out.push_str(&names.join(","));
    out.push('\n');
    let columns = frame.columns();
    for row in 0..frame.height() {
        for (k, c) in columns.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            match c.get(row) {
                Ok(AnyValue::Null) | Err(_) => {}
                Ok(AnyValue::Date(d)) => {
                    let _ = write!(out, "{}", days_to_date(d).format("%Y-%m-%d"));
                }
                Ok(AnyValue::String(s)) => out.push_str(&csv_quote(s)),
                Ok(v) => {
                    let _ = write!(out, "{v}");
                }
            }
        }
        out.push('\n');
    }
    out
}

fn csv_quote(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}
