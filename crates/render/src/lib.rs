//! Render: turns each audience's disclosed report model into files, and nothing else
//! does. [`all`] returns every output as a relative path and its bytes (`report.json`,
//! the CSV tables and `tables.xlsx`, the charts, the HTML); the command writes them.
//! Nothing here reads or writes a file or recomputes a statistic: numbers are formatted
//! by [`format`], words come from the wording catalogue, and layout from the templates.

mod bounds;
pub mod charts;
pub mod doc;
pub mod format;
mod html;
mod pdf;
pub mod tables;
mod templates;
pub mod view;
pub mod words;
mod xlsx;

use std::collections::BTreeSet;

pub use templates::{Logo, Templates, names as templates_names};

use sprout_model::{Audience, ReportModel};
use sprout_tables::FindingRow;

/// One file of a run's output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Relative to the period's folder: `trustee/report.html`.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The kinds of output a run can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// The report model, `report.json`.
    Json,
    /// Every table as CSV, and `data-quality.csv`.
    Csv,
    /// Every table in one workbook, `tables.xlsx`.
    Xlsx,
    /// The report as one self-contained HTML file, with its charts as SVG.
    Html,
    /// The report as a tagged, accessible PDF, typeset by sprout itself.
    Pdf,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Json,
        Format::Csv,
        Format::Xlsx,
        Format::Html,
        Format::Pdf,
    ];
}

/// What to render and how.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    pub formats: BTreeSet<Format>,
    pub templates: Templates,
    /// The organisation's logo for the cover, read by the command.
    pub logo: Option<Logo>,
    /// Bounds on laying out each report.
    pub limits: sprout_config::RenderLimits,
}

impl Default for RenderOptions {
    fn default() -> Self {
        Self {
            formats: Format::ALL.into_iter().collect(),
            templates: Templates::builtin(),
            logo: None,
            limits: sprout_config::RenderLimits::default(),
        }
    }
}

/// What a run renders from.
#[derive(Debug, Clone, Copy)]
pub struct Job<'a> {
    /// One disclosed model per audience to render.
    pub reports: &'a [ReportModel],
    /// Every finding, for `data-quality.csv` (written with the evaluator's report).
    pub findings: &'a [FindingRow],
}

/// The files, and anything the reader of the terminal should know.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub outputs: Vec<Output>,
    pub warnings: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A template or the wording catalogue could not be used.
    #[error("{file}{}: {message}", line.map(|l| format!(" line {l}")).unwrap_or_default())]
    Template {
        file: String,
        line: Option<usize>,
        message: String,
    },
    #[error("cannot draw a chart: {0}")]
    Chart(String),
    #[error("cannot write the workbook: {0}")]
    Xlsx(String),
    #[error("cannot serialise the report model: {0}")]
    Json(String),
    #[error("cannot write the PDF: {0}")]
    Pdf(String),
}

/// Whether a run of these audiences and formats writes files like `path` (an output of
/// an earlier run), whether or not its data calls for this one: `trustee/charts/x.svg`
/// is written with the trustee's HTML or PDF.
pub fn writes_like(audiences: &[Audience], formats: &BTreeSet<Format>, path: &str) -> bool {
    if path == "data-quality.csv" {
        return audiences.contains(&Audience::Evaluator) && formats.contains(&Format::Csv);
    }
    let Some((dir, rest)) = path.split_once('/') else {
        return false;
    };
    if !audiences.iter().any(|a| a.name() == dir) {
        return false;
    }
    let has = |f| formats.contains(&f);
    match rest {
        "report.json" => has(Format::Json),
        "tables.xlsx" => has(Format::Xlsx),
        "report.html" => has(Format::Html),
        "report.pdf" => has(Format::Pdf),
        _ if rest.starts_with("tables/") && rest.ends_with(".csv") => has(Format::Csv),
        _ if rest.starts_with("charts/") && rest.ends_with(".svg") => {
            has(Format::Html) || has(Format::Pdf)
        }
        _ => false,
    }
}

/// Every output of every report in `job`.
pub fn all(job: &Job, opts: &RenderOptions) -> Result<Rendered, RenderError> {
    let mut out = Rendered::default();
    let want = |f| opts.formats.contains(&f);
    let words = opts.templates.words()?;
    // Fonts are parsed once for every PDF of the run.
    let fonts = want(Format::Pdf).then(pdf::Fonts::load);
    for m in job.reports {
        let dir = m.meta.audience.name();
        if want(Format::Json) {
            let json = report_json(m).map_err(|e| RenderError::Json(e.to_string()))?;
            out.outputs.push(Output {
                path: format!("{dir}/report.json"),
                bytes: json.into_bytes(),
            });
        }
        if want(Format::Csv) || want(Format::Xlsx) {
            let tables = tables::tables(m);
            if want(Format::Csv) {
                for t in &tables {
                    out.outputs.push(Output {
                        path: format!("{dir}/tables/{}.csv", t.name),
                        bytes: t.to_csv().into_bytes(),
                    });
                }
            }
            if want(Format::Xlsx) {
                let (bytes, cut) =
                    xlsx::workbook(m, &tables).map_err(|e| RenderError::Xlsx(e.to_string()))?;
                if cut > 0 {
                    out.warnings.push(format!(
                        "{dir}/tables.xlsx: {cut} cell{} longer than a spreadsheet cell holds \
                         (32,767 characters) {} cut short; the CSV tables have the full text",
                        if cut == 1 { "" } else { "s" },
                        if cut == 1 { "was" } else { "were" },
                    ));
                }
                out.outputs.push(Output {
                    path: format!("{dir}/tables.xlsx"),
                    bytes,
                });
            }
        }
        if want(Format::Html) || want(Format::Pdf) {
            let doc = view::document(m, &words)?;
            let charts = collect_charts(&doc);
            for chart in &charts {
                out.outputs.push(Output {
                    path: format!("{dir}/charts/{}.svg", chart.id),
                    bytes: format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}", chart.svg)
                        .into_bytes(),
                });
            }
            let (accent, warning) = html::accessible_accent(&m.meta.branding.colour);
            out.warnings.extend(warning);
            if want(Format::Html) {
                let page = html::page(m, &doc, &words, opts, &accent)?;
                out.outputs.push(Output {
                    path: format!("{dir}/report.html"),
                    bytes: page.into_bytes(),
                });
            }
            if let Some(fonts) = &fonts {
                let soft = html::soften(&accent);
                let made = pdf::pdf(
                    fonts,
                    &opts.templates,
                    &opts.limits,
                    m,
                    &doc,
                    &words,
                    &charts,
                    (&accent, &soft),
                )?;
                out.warnings.extend(made.warnings);
                out.outputs.push(Output {
                    path: format!("{dir}/report.pdf"),
                    bytes: made.bytes,
                });
            }
        }
        if m.meta.audience == Audience::Evaluator && want(Format::Csv) {
            out.outputs.push(Output {
                path: "data-quality.csv".into(),
                bytes: tables::data_quality_csv(job.findings),
            });
        }
    }
    out.warnings.dedup();
    Ok(out)
}

/// Every chart of a document, in order.
fn collect_charts(doc: &view::Document) -> Vec<&charts::Chart> {
    fn walk<'a>(blocks: &'a [view::Block], out: &mut Vec<&'a charts::Chart>) {
        for b in blocks {
            match b {
                view::Block::Figure { chart, .. } => out.push(chart),
                view::Block::Subsection { blocks, .. } => walk(blocks, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for s in &doc.sections {
        walk(&s.blocks, &mut out);
    }
    out
}

/// The model as pretty JSON with a trailing newline (stable field order).
pub fn report_json(model: &ReportModel) -> Result<String, serde_json::Error> {
    let mut s = serde_json::to_string_pretty(model)?;
    s.push('\n');
    Ok(s)
}
