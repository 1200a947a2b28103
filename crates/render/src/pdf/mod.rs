//! The reports as tagged, accessible PDFs, typeset by embedded typst from the same view,
//! wording and chart SVGs as the HTML. Typst sees only virtual files ([`world`]); nothing
//! else in the engine knows it exists.
//!
//! Each PDF aims at PDF/UA-1; where typst refuses something under UA-1, the report is
//! written as a tagged PDF instead and a warning says what was refused.

mod world;

use serde::Serialize;
use typst::World;
use typst::WorldExt;
use typst::diag::{Severity, SourceDiagnostic};
use typst::ecow::EcoVec;
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

pub use world::Fonts;
use world::ReportWorld;

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
    use chrono::{Datelike, Timelike};
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
    let today = Datetime::from_ymd(
        generated.year(),
        generated.month() as u8,
        generated.day() as u8,
    );
    let world = ReportWorld::new(fonts, &sources, &main, files, today);

    let template = templates.describe(&main);
    let compiled = super::bounds::watched(&template, limits, || {
        typst::compile::<PagedDocument>(&world)
    });
    let document = compiled
        .output
        .map_err(|errors| diagnostics(&world, templates, &errors))?;
    if document.pages().len() as u64 > limits.pdf_pages {
        return Err(RenderError::Template {
            file: template,
            line: None,
            message: format!(
                "the report runs to {} pages, more than {}; a report this long is not read. \
                 Report fewer measures or cohorts, or raise `pdf_pages` in [limits]",
                document.pages().len(),
                limits.pdf_pages
            ),
        });
    }
    let timestamp = Datetime::from_ymd_hms(
        generated.year(),
        generated.month() as u8,
        generated.day() as u8,
        generated.hour() as u8,
        generated.minute() as u8,
        generated.second() as u8,
    )
    .map(Timestamp::new_utc);
    let options = |standards: PdfStandards| PdfOptions {
        // A stable identifier, so the same report gives the same bytes.
        ident: Smart::Custom(format!(
            "sprout/{}/{}/{}",
            m.meta.programme,
            m.meta.period.slug,
            m.meta.audience.name()
        )),
        creator: Smart::Custom(Some(format!("sprout {}", m.meta.engine_version))),
        timestamp,
        standards,
        tagged: true,
        ..PdfOptions::default()
    };
    let mut warnings = Vec::new();
    let ua = PdfStandards::new(&[PdfStandard::Ua_1])
        .map_err(|e| RenderError::Pdf(e.message().to_string()))?;
    let export = |standards| {
        super::bounds::watched(&template, limits, || {
            typst_pdf::pdf(&document, &options(standards))
        })
    };
    let bytes = match export(ua) {
        Ok(bytes) => bytes,
        Err(refused) => {
            let what: Vec<String> = refused.iter().map(|d| d.message.to_string()).collect();
            warnings.push(format!(
                "{}: written as tagged PDF rather than PDF/UA-1, which refused: {}",
                main.replace(".typ", ".pdf"),
                what.join("; ")
            ));
            export(PdfStandards::default())
                .map_err(|errors| diagnostics(&world, templates, &errors))?
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

/// A compile error as the template file, line and message, the first error first.
fn diagnostics(
    world: &ReportWorld,
    templates: &Templates,
    errors: &EcoVec<SourceDiagnostic>,
) -> RenderError {
    let first = errors
        .iter()
        .find(|d| d.severity == Severity::Error)
        .or_else(|| errors.first());
    let Some(d) = first else {
        return RenderError::Pdf("typst reported an error without a message".into());
    };
    let id = d.span.id();
    let line = id.and_then(|id| {
        let range = world.range(d.span)?;
        let source = world.source(id).ok()?;
        source.lines().byte_to_line(range.start).map(|l| l + 1)
    });
    let file = id.map_or_else(
        || "templates".to_owned(),
        |id| templates.describe(&world.name_of(id)),
    );
    let mut message = d.message.to_string();
    for hint in &d.hints {
        message.push_str(&format!(" (hint: {})", hint.v));
    }
    RenderError::Template {
        file,
        line,
        message,
    }
}
