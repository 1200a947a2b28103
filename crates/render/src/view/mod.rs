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
mod trustee;

use serde::Serialize;

pub use super::doc::{Column, Ctx, Row, RowKind, Table, TableBuilder};

use super::RenderError;
use super::charts::Chart;
use super::words::Words;
use sprout_model::*;

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
    /// A short glossary set as one paragraph: "Words used: CI, the range ...; IMD, ...".
    Terms {
        title: String,
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

impl Ctx<'_> {
    /// A chart as a numbered figure.
    pub fn figure(&self, chart: Chart) -> Block {
        let n = self.next_figure();
        Block::Figure {
            number: n.to_string(),
            chart,
        }
    }
}

impl Table {
    /// Every word a reader sees in the table.
    fn text(&self, out: &mut String) {
        out.push_str(&self.caption);
        for c in &self.columns {
            out.push('\n');
            out.push_str(&c.label);
        }
        for r in &self.rows {
            for c in &r.cells {
                out.push('\n');
                out.push_str(c);
            }
        }
        for n in &self.notes {
            out.push('\n');
            out.push_str(n);
        }
        out.push('\n');
    }
}

impl Block {
    /// Every word a reader sees in the block, a chart's title, text alternative and
    /// notes included.
    fn text(&self, out: &mut String) {
        let mut put = |s: &str| {
            out.push_str(s);
            out.push('\n');
        };
        match self {
            Block::Text { text } => put(text),
            Block::Points { items } => items.iter().for_each(|i| put(i)),
            Block::Aside { title, items } => {
                put(title);
                items.iter().for_each(|i| put(i));
            }
            Block::KeyFigures { items } => {
                for k in items {
                    put(&k.figure);
                    put(&k.label);
                    put(&k.detail);
                }
            }
            Block::Table { table } => table.text(out),
            Block::Figure { chart, .. } => {
                put(&chart.title);
                put(&chart.desc);
                chart.notes.iter().for_each(|n| put(n));
                chart.table.text(out);
            }
            Block::Definitions { items } | Block::Terms { items, .. } => {
                for d in items {
                    put(&d.term);
                    put(&d.meaning);
                }
            }
            Block::Subsection {
                heading,
                lead,
                blocks,
                ..
            } => {
                put(heading);
                if let Some(l) = lead {
                    put(l);
                }
                for b in blocks {
                    b.text(out);
                }
            }
        }
    }
}

impl Section {
    /// Every word a reader sees in the section.
    pub fn text(&self) -> String {
        let mut out = format!("{}\n{}\n", self.kicker, self.heading);
        if let Some(l) = &self.lead {
            out.push_str(l);
            out.push('\n');
        }
        for b in &self.blocks {
            b.text(&mut out);
        }
        out
    }
}
