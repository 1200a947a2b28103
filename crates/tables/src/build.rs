//! The canonical tables' storage: plain Rust columns that validation fills row by row
//! ([`TableBuilder`]) and analysis reads by name ([`Frame`]).

use std::fmt::Write as _;

use chrono::NaiveDate;

use sprout_core::fxhash::FxHashMap;

const EPOCH: NaiveDate = match NaiveDate::from_ymd_opt(1970, 1, 1) {
    Some(d) => d,
    None => unreachable!(),
};

/// Days since 1970-01-01: a date as a small sortable key, for validation's row records.
pub fn date_to_days(d: NaiveDate) -> i32 {
    (d - EPOCH).num_days() as i32
}

pub fn days_to_date(days: i32) -> NaiveDate {
    EPOCH + chrono::Duration::days(i64::from(days))
}

/// Text values interned as codes: canonical text columns hold a handful of distinct
/// category values over millions of rows.
#[derive(Debug, Clone, Default)]
pub struct TextColumn {
    codes: Vec<u32>,
    values: Vec<String>,
}

const NULL_CODE: u32 = u32::MAX;

impl TextColumn {
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// The value of one row (`None` when missing or past the end).
    pub fn get(&self, row: usize) -> Option<&str> {
        let code = *self.codes.get(row)?;
        (code != NULL_CODE).then(|| self.values[code as usize].as_str())
    }

    /// The values in row order.
    pub fn iter(&self) -> impl Iterator<Item = Option<&str>> + '_ {
        self.codes
            .iter()
            .map(|&c| (c != NULL_CODE).then(|| self.values[c as usize].as_str()))
    }
}

/// One finished column.
#[derive(Debug, Clone)]
pub enum Column {
    /// Client numbers (`0..n` in referral order).
    Client(Vec<u32>),
    Date(Vec<Option<NaiveDate>>),
    Number(Vec<Option<f64>>),
    Integer(Vec<Option<i32>>),
    Text(TextColumn),
}

impl Column {
    fn kind(&self) -> &'static str {
        match self {
            Self::Client(_) => "client",
            Self::Date(_) => "date",
            Self::Number(_) => "number",
            Self::Integer(_) => "integer",
            Self::Text(_) => "text",
        }
    }

    fn len(&self) -> usize {
        match self {
            Self::Client(v) => v.len(),
            Self::Date(v) => v.len(),
            Self::Number(v) => v.len(),
            Self::Integer(v) => v.len(),
            Self::Text(t) => t.len(),
        }
    }

    /// Same values row by row (missing equals missing; text compared as text).
    fn same_as(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Client(a), Self::Client(b)) => a == b,
            (Self::Date(a), Self::Date(b)) => a == b,
            (Self::Number(a), Self::Number(b)) => a == b,
            (Self::Integer(a), Self::Integer(b)) => a == b,
            (Self::Text(a), Self::Text(b)) => a.len() == b.len() && a.iter().eq(b.iter()),
            _ => false,
        }
    }

    fn write_cell(&self, row: usize, out: &mut String) {
        match self {
            Self::Client(v) => {
                let _ = write!(out, "{}", v[row]);
            }
            Self::Date(v) => {
                if let Some(d) = v[row] {
                    let _ = write!(out, "{}", d.format("%Y-%m-%d"));
                }
            }
            Self::Number(v) => {
                if let Some(x) = v[row] {
                    let _ = write!(out, "{x}");
                }
            }
            Self::Integer(v) => {
                if let Some(x) = v[row] {
                    let _ = write!(out, "{x}");
                }
            }
            Self::Text(t) => {
                if let Some(s) = t.get(row) {
                    out.push_str(&csv_quote(s));
                }
            }
        }
    }
}

/// A canonical table asked for a column it does not have, or of another kind: a fault in
/// sprout, not in the data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the canonical table has no {kind} column '{name}'")]
pub struct ColumnError {
    pub name: String,
    pub kind: &'static str,
}

/// Named columns of equal length.
#[derive(Debug, Clone, Default)]
pub struct Frame {
    height: usize,
    columns: Vec<(String, Column)>,
}

impl Frame {
    pub fn height(&self) -> usize {
        self.height
    }

    /// Column names in schema order.
    pub fn column_names(&self) -> impl Iterator<Item = &str> {
        self.columns.iter().map(|(n, _)| n.as_str())
    }

    fn column(&self, name: &str, kind: &'static str) -> Result<&Column, ColumnError> {
        self.columns
            .iter()
            .find(|(n, c)| n == name && c.kind() == kind)
            .map(|(_, c)| c)
            .ok_or_else(|| ColumnError {
                name: name.to_owned(),
                kind,
            })
    }

    pub fn clients(&self, name: &str) -> Result<&[u32], ColumnError> {
        match self.column(name, "client")? {
            Column::Client(v) => Ok(v),
            _ => unreachable!("column() checks the kind"),
        }
    }

    pub fn dates(&self, name: &str) -> Result<&[Option<NaiveDate>], ColumnError> {
        match self.column(name, "date")? {
            Column::Date(v) => Ok(v),
            _ => unreachable!("column() checks the kind"),
        }
    }

    pub fn numbers(&self, name: &str) -> Result<&[Option<f64>], ColumnError> {
        match self.column(name, "number")? {
            Column::Number(v) => Ok(v),
            _ => unreachable!("column() checks the kind"),
        }
    }

    pub fn integers(&self, name: &str) -> Result<&[Option<i32>], ColumnError> {
        match self.column(name, "integer")? {
            Column::Integer(v) => Ok(v),
            _ => unreachable!("column() checks the kind"),
        }
    }

    pub fn texts(&self, name: &str) -> Result<&TextColumn, ColumnError> {
        match self.column(name, "text")? {
            Column::Text(t) => Ok(t),
            _ => unreachable!("column() checks the kind"),
        }
    }

    /// True when both frames hold the same columns and values.
    pub fn same_as(&self, other: &Self) -> bool {
        self.height == other.height
            && self.columns.len() == other.columns.len()
            && self
                .columns
                .iter()
                .zip(&other.columns)
                .all(|((na, a), (nb, b))| na == nb && a.same_as(b))
    }

    /// CSV text: dates ISO, missing values empty, numbers in shortest form.
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        let names: Vec<&str> = self.column_names().collect();
        out.push_str(&names.join(","));
        out.push('\n');
        for row in 0..self.height {
            for (k, (_, c)) in self.columns.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                c.write_cell(row, &mut out);
            }
            out.push('\n');
        }
        out
    }
}

/// One column under construction.
#[derive(Debug, Clone)]
pub enum ColumnBuilder {
    Client(Vec<u32>),
    Date(Vec<Option<NaiveDate>>),
    Number(Vec<Option<f64>>),
    Integer(Vec<Option<i32>>),
    Text {
        column: TextColumn,
        lookup: FxHashMap<String, u32>,
    },
}

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
            column: TextColumn::default(),
            lookup: FxHashMap::default(),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Self::Client(v) => v.len(),
            Self::Date(v) => v.len(),
            Self::Integer(v) => v.len(),
            Self::Number(v) => v.len(),
            Self::Text { column, .. } => column.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn finish(self) -> Column {
        match self {
            Self::Client(v) => Column::Client(v),
            Self::Date(v) => Column::Date(v),
            Self::Number(v) => Column::Number(v),
            Self::Integer(v) => Column::Integer(v),
            Self::Text { column, .. } => Column::Text(column),
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
            vals.push(v);
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
        if let Some((_, ColumnBuilder::Text { column, lookup })) = self.columns.get_mut(col) {
            let code = match v {
                None => NULL_CODE,
                Some(s) => match lookup.get(s) {
                    Some(&c) => c,
                    None => {
                        let c = column.values.len() as u32;
                        column.values.push(s.to_owned());
                        lookup.insert(s.to_owned(), c);
                        c
                    }
                },
            };
            column.codes.push(code);
        }
    }

    /// Sets a text column to missing over a range of rows.
    pub fn clear_text(&mut self, col: Col, rows: std::ops::Range<usize>) {
        if let Some((_, ColumnBuilder::Text { column, .. })) = self.columns.get_mut(col) {
            let codes = &mut column.codes;
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
        fn filter<T>(v: &mut Vec<T>, keep: &[bool]) {
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
                ColumnBuilder::Date(v) => filter(v, keep),
                ColumnBuilder::Integer(v) => filter(v, keep),
                ColumnBuilder::Number(v) => filter(v, keep),
                ColumnBuilder::Text { column, .. } => filter(&mut column.codes, keep),
            }
        }
    }

    /// The finished table. Every column has one value per row (the pushes of a row are
    /// made together), which this checks.
    pub fn finish(self) -> Result<Frame, ColumnError> {
        let height = self.rows();
        let mut columns = Vec::with_capacity(self.columns.len());
        for (name, c) in self.columns {
            let c = c.finish();
            if c.len() != height {
                return Err(ColumnError {
                    name,
                    kind: c.kind(),
                });
            }
            columns.push((name, c));
        }
        Ok(Frame { height, columns })
    }
}

fn csv_quote(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}
