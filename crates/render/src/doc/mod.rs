//! What the view and the charts share: the context every part of a report is built in
//! (the model, the words, figure numbering, formatting helpers) and the table as a reader
//! sees it. Below both, so that a chart can build its data table without reaching into
//! the view that places it.

mod table;

pub use table::{Column, Row, RowKind, Table, TableBuilder};

use super::format;
use super::words::Words;
use sprout_model::*;

/// What every part of the view needs: the model, the words, and figure numbering.
#[derive(Debug)]
pub struct Ctx<'a> {
    pub m: &'a ReportModel,
    pub w: &'a Words,
    figures: std::cell::Cell<usize>,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(m: &'a ReportModel, w: &'a Words) -> Self {
        Self {
            m,
            w,
            figures: std::cell::Cell::new(0),
        }
    }

    /// The next figure's number: 1, 2, 3 through the report.
    pub fn next_figure(&self) -> usize {
        let n = self.figures.get() + 1;
        self.figures.set(n);
        n
    }

    pub fn measure(&self, id: &str) -> Option<&'a MeasureInfo> {
        self.m.meta.measures.iter().find(|m| m.id == id)
    }

    pub fn label(&self, id: &str) -> String {
        self.measure(id)
            .map_or_else(|| id.to_owned(), |m| m.label.clone())
    }

    pub fn dp(&self, id: &str) -> usize {
        self.measure(id).map_or(1, format::decimals)
    }

    pub fn timepoint(&self, id: &str) -> String {
        self.m
            .meta
            .timepoints
            .iter()
            .find(|t| t.id == id)
            .map_or_else(|| id.to_owned(), |t| t.label.clone())
    }

    /// A timepoint's label inside a sentence, in the case the config wrote it ("T1 - 8
    /// weeks", "Initial Assessment"); "baseline" where the name comes from the id.
    pub fn timepoint_in_text(&self, id: &str) -> String {
        sprout_config::timepoint_in_text(id, &self.timepoint(id))
    }

    pub fn min_n(&self) -> usize {
        self.m.methods.conventions.min_n
    }

    pub fn period(&self) -> &str {
        &self.m.meta.period.label
    }

    /// "fewer than 8 people; hidden to protect privacy".
    pub fn suppressed_note(&self) -> String {
        let d = &self.m.meta.disclosure;
        let below = d.hidden_below.unwrap_or(1).to_string();
        let figures = d.figures_hidden_below.unwrap_or(1).to_string();
        self.w.fill(
            "note.suppressed",
            &[("threshold", &below), ("figures", &figures)],
        )
    }

    pub fn not_computed_note(&self) -> String {
        self.w
            .fill("note.not_computed", &[("min_n", &self.min_n().to_string())])
    }

    pub fn count(&self, c: &Count) -> String {
        format::count(c)
    }

    /// A share in percent as shown; `[c]` when hidden, `[z]` without a base.
    pub fn share(&self, s: &Share) -> String {
        format::share(s).unwrap_or_else(|| self.w.get("cell.none"))
    }

    /// A share for a table: with its Wilson interval where it has one, "62% (50% to
    /// 72%)".
    pub fn share_ci(&self, s: &Share) -> String {
        let shown = self.share(s);
        match format::share_interval(s) {
            Some(ci) if s.percent().is_some() => format!("{shown} ({ci})"),
            _ => shown,
        }
    }

    /// [`Self::share_ci`] of a share that may be absent.
    pub fn share_opt(&self, s: &Option<Share>) -> String {
        s.as_ref()
            .map_or_else(|| self.w.get("cell.none"), |s| self.share_ci(s))
    }

    /// `18.9` for a mean; `[c]` where hidden, `[x]` where not computed.
    pub fn mean(&self, e: Option<&Estimate>, dp: usize, hidden: bool) -> String {
        match e {
            _ if hidden => format::SUPPRESSED.to_owned(),
            Some(e) => format::number(e.value, dp),
            None => self.w.get("cell.not_computed"),
        }
    }

    /// `+1.1 (0.6 to 1.7)`, `+1.1 (no interval)`, `[c]`, or `[x]`.
    pub fn estimate(&self, e: Option<&Estimate>, dp: usize, signed: bool, hidden: bool) -> String {
        match e {
            _ if hidden => format::SUPPRESSED.to_owned(),
            None => self.w.get("cell.not_computed"),
            Some(e) => {
                let v = if signed {
                    format::signed(e.value, dp)
                } else {
                    format::number(e.value, dp)
                };
                match (e.lower, e.upper) {
                    (Some(l), Some(u)) => format!("{v} ({})", format::interval(l, u, dp)),
                    _ => format!("{v} ({})", self.w.get("cell.no_interval")),
                }
            }
        }
    }

    /// A test's p-value for a table, `[c]` where hidden, or `[x]`.
    pub fn p<T>(&self, t: &Test<T>, p: impl Fn(&T) -> f64) -> String {
        match t {
            Test::Ran(x) => format::p_cell(p(x)),
            Test::Skipped { reason } if reason.is_privacy() => format::SUPPRESSED.to_owned(),
            Test::Skipped { .. } => self.w.get("cell.not_computed"),
        }
    }

    /// Why a test did not run, in words.
    pub fn reason(&self, r: &Reason) -> String {
        r.to_string()
    }

    /// The unit of a measure for headers: "points", "metric score".
    pub fn unit(&self, id: &str) -> String {
        self.measure(id)
            .map_or_else(String::new, |m| m.unit.clone())
    }
}
