//! The view: a report as a reader meets it, built from the report model for one audience.
//! Sections with a kicker, a heading that says what happened and a lead sentence; blocks
//! of text, tables and figures; every number formatted by [`super::format`] and every
//! phrase taken from the wording catalogue. The HTML templates (and the PDF) only lay the
//! view out, so both say the same thing and nothing here is recomputed.

mod cohorts;
mod commissioner;
mod evaluator;
mod phrases;
mod points;
mod shared;
mod table;
mod trustee;

use serde::Serialize;

pub use table::{Column, Row, RowKind, Table, TableBuilder};

use super::RenderError;
use super::charts::Chart;
use super::format;
use super::words::Words;
use crate::model::*;

/// One report, ready to lay out.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub audience: &'static str,
    pub lang: &'static str,
    /// The document's title: "Waiting Well pain pathway: impact report, 2026/27 Q2".
    pub title: String,
    pub cover: Cover,
    /// Programme and period, repeated at the top of every printed page.
    pub running_header: String,
    /// "Contains small numbers: not for publication", on every page when set.
    pub marking: Option<String>,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cover {
    /// "Impact report", "Summary for trustees", "Cohort comparison for commissioners".
    pub kind: String,
    pub programme: String,
    pub organisation: String,
    /// "2026/27 Q2".
    pub period: String,
    /// "1 July to 30 September 2026".
    pub period_dates: String,
    /// "Cumulative figures run from 1 April 2024 to 30 September 2026."
    pub cumulative: String,
    /// "Generated on 1 January 2027 by sprout 0.1.0."
    pub generated: String,
    /// How small numbers are treated, in words.
    pub disclosure: String,
    pub headline: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub id: String,
    /// "3" in the evaluator report; `None` where sections are not numbered.
    pub number: Option<String>,
    /// The neutral label above the heading ("Outcomes").
    pub kicker: String,
    /// What happened ("Wellbeing rose for 6 in 10 people who finished support").
    pub heading: String,
    pub lead: Option<String>,
    pub blocks: Vec<Block>,
    pub appendix: bool,
}

/// A part of a section.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    Text {
        text: String,
    },
    Points {
        items: Vec<String>,
    },
    /// A boxed aside: "About these figures".
    Aside {
        title: String,
        items: Vec<String>,
    },
    KeyFigures {
        items: Vec<KeyFigure>,
    },
    Table {
        table: Table,
    },
    Figure {
        number: String,
        chart: Chart,
    },
    Definitions {
        items: Vec<Definition>,
    },
    Subsection {
        id: String,
        heading: String,
        lead: Option<String>,
        blocks: Vec<Block>,
    },
}

/// A large number with one line of explanation.
#[derive(Debug, Clone, Serialize)]
pub struct KeyFigure {
    pub figure: String,
    pub label: String,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Definition {
    pub term: String,
    pub meaning: String,
}

/// The view for one audience's model.
pub fn document(m: &ReportModel, w: &Words) -> Result<Document, RenderError> {
    let ctx = Ctx::new(m, w);
    let (kind, sections) = match m.meta.audience {
        Audience::Evaluator => ("cover.kind.evaluator", evaluator::sections(&ctx)?),
        Audience::Trustee => ("cover.kind.trustee", trustee::sections(&ctx)?),
        Audience::Commissioner => ("cover.kind.commissioner", commissioner::sections(&ctx)?),
    };
    let cover = shared::cover(&ctx, &w.get(kind), &sections);
    Ok(Document {
        audience: m.meta.audience.name(),
        lang: "en-GB",
        title: w.fill(
            "cover.title",
            &[
                ("programme", &m.meta.programme),
                ("kind", &cover.kind),
                ("period", &cover.period),
            ],
        ),
        running_header: w.fill(
            "cover.running_header",
            &[("programme", &m.meta.programme), ("period", &cover.period)],
        ),
        marking: m
            .meta
            .disclosure
            .small_numbers_marked
            .then(|| w.get("disclosure.marking")),
        cover,
        sections,
    })
}

/// What every part of the view needs: the model, the words, and figure numbering.
#[derive(Debug)]
pub struct Ctx<'a> {
    pub m: &'a ReportModel,
    pub w: &'a Words,
    figures: std::cell::Cell<usize>,
}

impl<'a> Ctx<'a> {
    fn new(m: &'a ReportModel, w: &'a Words) -> Self {
        Self {
            m,
            w,
            figures: std::cell::Cell::new(0),
        }
    }

    /// A chart as a numbered figure.
    pub fn figure(&self, chart: Chart) -> Block {
        let n = self.figures.get() + 1;
        self.figures.set(n);
        Block::Figure {
            number: n.to_string(),
            chart,
        }
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
        crate::config::timepoint_in_text(id, &self.timepoint(id))
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

    pub fn share_opt(&self, s: &Option<Share>) -> String {
        s.as_ref()
            .map_or_else(|| self.w.get("cell.none"), |s| self.share(s))
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
