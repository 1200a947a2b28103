//! The reports as tagged, accessible PDFs, typeset by embedded typst (`sprout-pdf`) from
//! the same view, wording and chart SVGs as the HTML, within the run's limits.
//!
//! Each PDF aims at PDF/UA-1; where typst refuses something under UA-1, the report is
//! written as a tagged PDF instead and a warning says what was refused.

use serde::Serialize;
use sprout_pdf::{Export, Job};

pub use sprout_pdf::Fonts;

use super::charts::Chart;
use super::view::Document;
use super::words::Words;
use super::{RenderError, Templates};
use sprout_model::ReportModel;

/// The templates typst reads, by file name.
pub const TEMPLATES: [&str; 4] = [
    "shared.typ",
    "evaluator.typ",
    "trustee.typ",
    "commissioner.typ",
];

/// What the templates read as `/view.json`.
#[derive(Serialize)]
struct ViewFile<'a> {
    doc: &'a Document,
    words: &'a std::collections::BTreeMap<String, String>,
    accent: &'a str,
    accent_soft: &'a str,
    date: Date,
}

#[derive(Serialize)]
struct Date {
    year: i32,
    month: u8,
    day: u8,
}

/// A report's PDF, and anything the user should know about how it was made.
pub struct Pdf {
    pub bytes: Vec<u8>,
    pub warnings: Vec<String>,
}

/// Typesets one report.
#[allow(clippy::too_many_arguments)]
pub fn pdf(
    fonts: &Fonts,
    templates: &Templates,
    limits: &sprout_config::RenderLimits,
    m: &ReportModel,
    doc: &Document,
    words: &Words,
    charts: &[&Chart],
    accent: (&str, &str),
) -> Result<Pdf, RenderError> {
    let generated = chrono::DateTime::parse_from_rfc3339(&m.meta.generated_at)
        .map(|d| d.with_timezone(&chrono::Utc))
        .unwrap_or_default();
    use chrono::Datelike;
    let date = Date {
        year: generated.year(),
        month: generated.month() as u8,
        day: generated.day() as u8,
    };
    let view = ViewFile {
        doc,
        words: words.all(),
        accent: accent.0,
        accent_soft: accent.1,
        date,
    };
    let json = |e: serde_json::Error| RenderError::Json(e.to_string());
    let mut files = vec![
        (
            "/view.json".to_owned(),
            serde_json::to_vec(&view).map_err(json)?,
        ),
        (
            "/model.json".to_owned(),
            serde_json::to_vec(m).map_err(json)?,
        ),
    ];
    for c in charts {
        files.push((format!("/charts/{}.svg", c.id), c.svg.clone().into_bytes()));
    }
    let sources: Vec<(String, String)> = TEMPLATES
        .iter()
        .map(|name| {
            (
                (*name).to_owned(),
                templates.get(name).unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let main = format!("{}.typ", m.meta.audience.name());
    let template = templates.describe(&main);
    let error = |e: sprout_pdf::Error| match e {
        sprout_pdf::Error::Source(f) => RenderError::Template {
            file: f
                .file
                .map_or_else(|| "templates".to_owned(), |name| templates.describe(&name)),
            line: f.line,
            message: f.message,
        },
        sprout_pdf::Error::Pdf(message) => RenderError::Pdf(message),
    };
    let job = Job {
        fonts,
        sources: &sources,
        main: &main,
        files,
        generated,
        // A stable identifier, so the same report gives the same bytes.
        ident: format!(
            "sprout/{}/{}/{}",
            m.meta.programme,
            m.meta.period.slug,
            m.meta.audience.name()
        ),
        creator: format!("sprout {}", m.meta.engine_version),
    };
    let document =
        super::bounds::watched(&template, limits, || sprout_pdf::compile(job)).map_err(error)?;
    if document.pages() as u64 > limits.pdf_pages {
        return Err(RenderError::Template {
            file: template,
            line: None,
            message: format!(
                "the report runs to {} pages, more than {}; a report this long is not read. \
                 Report fewer measures or cohorts, or raise `pdf_pages` in [limits]",
                document.pages(),
                limits.pdf_pages
            ),
        });
    }
    let mut warnings = Vec::new();
    let export = |ua| super::bounds::watched(&template, limits, || document.export(ua));
    let bytes = match export(true).map_err(error)? {
        Export::Pdf(bytes) => bytes,
        Export::Refused(what) => {
            warnings.push(format!(
                "{}: written as tagged PDF rather than PDF/UA-1, which refused: {}",
                main.replace(".typ", ".pdf"),
                what.join("; ")
            ));
            match export(false).map_err(error)? {
                Export::Pdf(bytes) => bytes,
                Export::Refused(what) => return Err(RenderError::Pdf(what.join("; "))),
            }
        }
    };
    if bytes.len() as u64 > limits.template_bytes {
        return Err(RenderError::Template {
            file: template,
            line: None,
            message: format!(
                "the PDF is larger than {}; raise `template_bytes` in [limits] if the report \
                 is simply large",
                super::bounds::bytes_in_words(limits.template_bytes)
            ),
        });
    }
    Ok(Pdf { bytes, warnings })
}
