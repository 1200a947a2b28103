//! A table as a reader sees it: a caption saying what it is and for which period, column
//! headers with units, rows whose first cell heads the row, every figure already
//! formatted, and notes under it explaining each mark it holds (`[c]`, `[x]`, `[z]`, "no
//! interval", "no pairs yet").

use serde::Serialize;

use super::Ctx;
use crate::format::{NOT_APPLICABLE, NOT_AVAILABLE, SUPPRESSED};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Table {
    pub id: String,
    pub caption: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    pub notes: Vec<String>,
    /// Too wide for a portrait page: printed on a landscape page, its figures never
    /// wrapped, and on screen its first column stays in view while it scrolls sideways.
    pub wide: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Column {
    pub label: String,
    /// Right-aligned, tabular figures.
    pub numeric: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Row {
    /// The first cell heads the row.
    pub cells: Vec<String>,
    pub kind: RowKind,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    Body,
    /// A total or overall row.
    Total,
    /// A heading over the rows that follow (one cell).
    Group,
}

impl Table {
    pub fn is_empty(&self) -> bool {
        self.rows.iter().all(|r| r.kind == RowKind::Group)
    }
}

/// Builds a [`Table`], noting which explanations its cells need.
#[derive(Debug)]
pub struct TableBuilder<'c, 'a> {
    ctx: &'c Ctx<'a>,
    table: Table,
    notes: Vec<String>,
}

impl<'c, 'a> TableBuilder<'c, 'a> {
    /// Columns as (word key, numeric); the first column heads the rows.
    pub fn new(ctx: &'c Ctx<'a>, id: &str, caption: String, columns: &[(&str, bool)]) -> Self {
        Self::with_labels(
            ctx,
            id,
            caption,
            columns.iter().map(|(k, n)| (ctx.w.get(k), *n)).collect(),
        )
    }

    /// Columns as (label, numeric).
    pub fn with_labels(
        ctx: &'c Ctx<'a>,
        id: &str,
        caption: String,
        columns: Vec<(String, bool)>,
    ) -> Self {
        Self {
            ctx,
            table: Table {
                id: id.to_owned(),
                caption,
                columns: columns
                    .into_iter()
                    .map(|(label, numeric)| Column { label, numeric })
                    .collect(),
                rows: Vec::new(),
                notes: Vec::new(),
                wide: false,
            },
            notes: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) -> &mut Self {
        self.push(cells, RowKind::Body)
    }

    pub fn total(&mut self, cells: Vec<String>) -> &mut Self {
        self.push(cells, RowKind::Total)
    }

    pub fn group(&mut self, label: String) -> &mut Self {
        self.push(vec![label], RowKind::Group)
    }

    /// Lay the table out as a wide one (see [`Table::wide`]).
    pub fn wide(&mut self) -> &mut Self {
        self.table.wide = true;
        self
    }

    /// A note of the table's own, printed before the standard ones.
    pub fn note(&mut self, text: String) -> &mut Self {
        if !self.table.notes.contains(&text) {
            self.table.notes.push(text);
        }
        self
    }

    fn push(&mut self, cells: Vec<String>, kind: RowKind) -> &mut Self {
        for c in cells
            .iter()
            .skip(if kind == RowKind::Group { 1 } else { 0 })
        {
            if c.contains(SUPPRESSED) {
                self.add(self.ctx.suppressed_note());
            }
            if c.contains(NOT_AVAILABLE) || c.contains(&self.ctx.w.get("cell.no_interval")) {
                self.add(self.ctx.not_computed_note());
            }
            if c.contains(NOT_APPLICABLE) {
                self.add(self.ctx.w.get("note.not_applicable"));
            }
            if c.contains(&self.ctx.w.get("cell.no_pairs")) {
                self.add(self.ctx.w.get("note.no_pairs"));
            }
        }
        self.table.rows.push(Row { cells, kind });
        self
    }

    fn add(&mut self, note: String) {
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    pub fn finish(mut self) -> Table {
        self.table.notes.extend(self.notes);
        self.table
    }
}
