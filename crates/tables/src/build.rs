//! The canonical tables' storage: plain Rust columns that validation fills row by row
//! ([`TableBuilder`]) and analysis reads by name ([`Frame`]).

use std::fmt::Write as _;

use chrono::NaiveDate;

use sprout_core::fxhash::FxHashMap;
pub use sprout_core::ids::{ClientIx, MeasureIx, PhaseIx, TimepointIx};

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

/// Whether a session took place, as the canonical sessions table records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Attended,
    DidNotAttend,
    Cancelled,
}

impl Status {
    /// The status a canonical label (of the status vocabulary) names.
    pub fn from_label(label: &str) -> Option<Self> {
        match label {
            "attended" => Some(Self::Attended),
            "dna" => Some(Self::DidNotAttend),
            "cancelled" => Some(Self::Cancelled),
            _ => None,
        }
    }

    /// The canonical label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Attended => "attended",
            Self::DidNotAttend => "dna",
            Self::Cancelled => "cancelled",
        }
    }
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

    /// How many distinct values the column holds (its codes are `0..distinct`).
    pub fn distinct(&self) -> usize {
        self.values.len()
    }

    /// The code of one row's value (`None` when missing or past the end).
    pub fn code(&self, row: usize) -> Option<u32> {
        self.codes.get(row).copied().filter(|&c| c != NULL_CODE)
    }

    /// The value a code stands for.
    pub fn value(&self, code: u32) -> &str {
        &self.values[code as usize]
    }

    /// The values in row order.
    pub fn iter(&self) -> impl Iterator<Item = Option<&str>> + '_ {
        self.codes
            .iter()
            .map(|&c| (c != NULL_CODE).then(|| self.values[c as usize].as_str()))
    }
}

/// A column of numbers, eight bytes a value: a missing value is NaN (validation keeps
/// only finite numbers), so a national export's values take half the memory of
/// `Option<f64>`.
#[derive(Debug, Clone, Default)]
pub struct NumberColumn {
    values: Vec<f64>,
}

impl NumberColumn {
    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The value of one row (`None` when missing or past the end).
    pub fn get(&self, row: usize) -> Option<f64> {
        self.values.get(row).copied().filter(|v| !v.is_nan())
    }

    /// The values in row order.
    pub fn iter(&self) -> impl Iterator<Item = Option<f64>> + '_ {
        self.values.iter().map(|&v| (!v.is_nan()).then_some(v))
    }

    fn push(&mut self, v: Option<f64>) {
        self.values.push(v.unwrap_or(f64::NAN));
    }
}

/// One finished column.
#[derive(Debug, Clone)]
pub enum Column {
    /// Client numbers (`0..n` in referral order).
    Client(Vec<ClientIx>),
    Date(Vec<Option<NaiveDate>>),
    Number(NumberColumn),
    Integer(Vec<Option<i32>>),
    Text(TextColumn),
    /// Positions in the config's timepoints.
    Timepoint(Vec<TimepointIx>),
    /// Positions among the config's measures.
    Measure(Vec<MeasureIx>),
    /// Positions among the config's phases (missing: not recorded, or none of them).
    Phase(Vec<Option<PhaseIx>>),
    Status(Vec<Option<Status>>),
}

/// What each kind of column holds, for one generic treatment of them all.
macro_rules! each_column {
    ($c:expr, $v:ident => $body:expr, $n:ident => $number:expr, $t:ident => $text:expr) => {
        match $c {
            Column::Client($v) => $body,
            Column::Date($v) => $body,
            Column::Number($n) => $number,
            Column::Integer($v) => $body,
            Column::Timepoint($v) => $body,
            Column::Measure($v) => $body,
            Column::Phase($v) => $body,
            Column::Status($v) => $body,
            Column::Text($t) => $text,
        }
    };
}

impl Column {
    fn kind(&self) -> &'static str {
        match self {
            Self::Client(_) => "client",
            Self::Date(_) => "date",
            Self::Number(_) => "number",
            Self::Integer(_) => "integer",
            Self::Text(_) => "text",
            Self::Timepoint(_) => "timepoint",
            Self::Measure(_) => "measure",
            Self::Phase(_) => "phase",
            Self::Status(_) => "status",
        }
    }

    fn len(&self) -> usize {
        each_column!(self, v => v.len(), n => n.len(), t => t.len())
    }

    /// Same values row by row (missing equals missing; text compared as text).
    fn same_as(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Client(a), Self::Client(b)) => a == b,
            (Self::Date(a), Self::Date(b)) => a == b,
            (Self::Number(a), Self::Number(b)) => a.len() == b.len() && a.iter().eq(b.iter()),
            (Self::Integer(a), Self::Integer(b)) => a == b,
            (Self::Timepoint(a), Self::Timepoint(b)) => a == b,
            (Self::Measure(a), Self::Measure(b)) => a == b,
            (Self::Phase(a), Self::Phase(b)) => a == b,
            (Self::Status(a), Self::Status(b)) => a == b,
            (Self::Text(a), Self::Text(b)) => a.len() == b.len() && a.iter().eq(b.iter()),
            _ => false,
        }
    }

    /// One cell as CSV: dates ISO, positions as numbers, missing empty.
    fn write_cell(&self, row: usize, out: &mut String) {
        fn some<T: std::fmt::Display>(out: &mut String, v: Option<T>) {
            if let Some(v) = v {
                let _ = write!(out, "{v}");
            }
        }
        match self {
            Self::Client(v) => some(out, Some(v[row])),
            Self::Date(v) => some(out, v[row].map(|d| d.format("%Y-%m-%d"))),
            Self::Number(v) => some(out, v.get(row)),
            Self::Integer(v) => some(out, v[row]),
            Self::Timepoint(v) => some(out, Some(v[row])),
            Self::Measure(v) => some(out, Some(v[row])),
            Self::Phase(v) => some(out, v[row]),
            Self::Status(v) => some(out, v[row].map(Status::label)),
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

    /// The column `name`, if it is of the kind `get` takes.
    fn typed<'f, T: ?Sized>(
        &'f self,
        name: &str,
        kind: &'static str,
        get: impl Fn(&'f Column) -> Option<&'f T>,
    ) -> Result<&'f T, ColumnError> {
        self.columns
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, c)| get(c))
            .ok_or_else(|| ColumnError {
                name: name.to_owned(),
                kind,
            })
    }

    pub fn clients(&self, name: &str) -> Result<&[ClientIx], ColumnError> {
        self.typed(name, "client", |c| match c {
            Column::Client(v) => Some(v.as_slice()),
            _ => None,
        })
    }

    pub fn timepoints(&self, name: &str) -> Result<&[TimepointIx], ColumnError> {
        self.typed(name, "timepoint", |c| match c {
            Column::Timepoint(v) => Some(v.as_slice()),
            _ => None,
        })
    }

    pub fn measures(&self, name: &str) -> Result<&[MeasureIx], ColumnError> {
        self.typed(name, "measure", |c| match c {
            Column::Measure(v) => Some(v.as_slice()),
            _ => None,
        })
    }

    pub fn phases(&self, name: &str) -> Result<&[Option<PhaseIx>], ColumnError> {
        self.typed(name, "phase", |c| match c {
            Column::Phase(v) => Some(v.as_slice()),
            _ => None,
        })
    }

    pub fn statuses(&self, name: &str) -> Result<&[Option<Status>], ColumnError> {
        self.typed(name, "status", |c| match c {
            Column::Status(v) => Some(v.as_slice()),
            _ => None,
        })
    }

    pub fn dates(&self, name: &str) -> Result<&[Option<NaiveDate>], ColumnError> {
        self.typed(name, "date", |c| match c {
            Column::Date(v) => Some(v.as_slice()),
            _ => None,
        })
    }

    pub fn numbers(&self, name: &str) -> Result<&NumberColumn, ColumnError> {
        self.typed(name, "number", |c| match c {
            Column::Number(v) => Some(v),
            _ => None,
        })
    }

    pub fn integers(&self, name: &str) -> Result<&[Option<i32>], ColumnError> {
        self.typed(name, "integer", |c| match c {
            Column::Integer(v) => Some(v.as_slice()),
            _ => None,
        })
    }

    pub fn texts(&self, name: &str) -> Result<&TextColumn, ColumnError> {
        self.typed(name, "text", |c| match c {
            Column::Text(t) => Some(t),
            _ => None,
        })
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

/// One column under construction: the column itself, and for text the lookup that
/// interns its values.
#[derive(Debug, Clone)]
pub struct ColumnBuilder {
    column: Column,
    lookup: FxHashMap<String, u32>,
}

impl ColumnBuilder {
    fn of(column: Column) -> Self {
        Self {
            column,
            lookup: FxHashMap::default(),
        }
    }
    pub fn client() -> Self {
        Self::of(Column::Client(Vec::new()))
    }
    pub fn date() -> Self {
        Self::of(Column::Date(Vec::new()))
    }
    pub fn number() -> Self {
        Self::of(Column::Number(NumberColumn::default()))
    }
    pub fn integer() -> Self {
        Self::of(Column::Integer(Vec::new()))
    }
    pub fn text() -> Self {
        Self::of(Column::Text(TextColumn::default()))
    }
    pub fn timepoint() -> Self {
        Self::of(Column::Timepoint(Vec::new()))
    }
    pub fn measure() -> Self {
        Self::of(Column::Measure(Vec::new()))
    }
    pub fn phase() -> Self {
        Self::of(Column::Phase(Vec::new()))
    }
    pub fn status() -> Self {
        Self::of(Column::Status(Vec::new()))
    }

    pub fn len(&self) -> usize {
        self.column.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
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

    fn column(&mut self, col: Col) -> Option<&mut ColumnBuilder> {
        self.columns.get_mut(col).map(|(_, c)| c)
    }

    pub fn push_client(&mut self, col: Col, v: ClientIx) {
        if let Some(Column::Client(vals)) = self.column(col).map(|c| &mut c.column) {
            vals.push(v);
        }
    }

    pub fn push_date(&mut self, col: Col, v: Option<NaiveDate>) {
        if let Some(Column::Date(vals)) = self.column(col).map(|c| &mut c.column) {
            vals.push(v);
        }
    }

    pub fn push_number(&mut self, col: Col, v: Option<f64>) {
        if let Some(Column::Number(vals)) = self.column(col).map(|c| &mut c.column) {
            vals.push(v);
        }
    }

    pub fn push_integer(&mut self, col: Col, v: Option<i32>) {
        if let Some(Column::Integer(vals)) = self.column(col).map(|c| &mut c.column) {
            vals.push(v);
        }
    }

    pub fn push_timepoint(&mut self, col: Col, v: TimepointIx) {
        if let Some(Column::Timepoint(vals)) = self.column(col).map(|c| &mut c.column) {
            vals.push(v);
        }
    }

    pub fn push_measure(&mut self, col: Col, v: MeasureIx) {
        if let Some(Column::Measure(vals)) = self.column(col).map(|c| &mut c.column) {
            vals.push(v);
        }
    }

    pub fn push_phase(&mut self, col: Col, v: Option<PhaseIx>) {
        if let Some(Column::Phase(vals)) = self.column(col).map(|c| &mut c.column) {
            vals.push(v);
        }
    }

    pub fn push_status(&mut self, col: Col, v: Option<Status>) {
        if let Some(Column::Status(vals)) = self.column(col).map(|c| &mut c.column) {
            vals.push(v);
        }
    }

    pub fn push_text(&mut self, col: Col, v: Option<&str>) {
        let Some(ColumnBuilder {
            column: Column::Text(column),
            lookup,
        }) = self.column(col)
        else {
            return;
        };
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

    /// Sets a status column to missing over a range of rows.
    pub fn clear_status(&mut self, col: Col, rows: std::ops::Range<usize>) {
        if let Some(Column::Status(vals)) = self.column(col).map(|c| &mut c.column) {
            let end = rows.end.min(vals.len());
            for v in vals.get_mut(rows.start.min(end)..end).into_iter().flatten() {
                *v = None;
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
            each_column!(
                &mut c.column,
                v => filter(v, keep),
                n => filter(&mut n.values, keep),
                t => filter(&mut t.codes, keep)
            );
        }
    }

    /// The finished table. Every column has one value per row (the pushes of a row are
    /// made together), which this checks.
    pub fn finish(self) -> Result<Frame, ColumnError> {
        let height = self.rows();
        let mut columns = Vec::with_capacity(self.columns.len());
        for (name, c) in self.columns {
            let c = c.column;
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
