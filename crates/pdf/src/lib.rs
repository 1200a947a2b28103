//! Typesetting with embedded typst, and nothing else: typst sources, the data files they
//! read and the fonts compiled into the binary go in; a tagged PDF comes out. Typst sees
//! only virtual files ([`world`]): nothing is read from disk or the network, and the date
//! is the document's own. What to typeset, and what to do when it fails, is the caller's.

mod world;

use chrono::{DateTime, Datelike, Timelike, Utc};
use typst::diag::{Severity, SourceDiagnostic};
use typst::ecow::EcoVec;
use typst::foundations::{Datetime, Smart};
use typst::{World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

pub use world::Fonts;
use world::ReportWorld;

/// One document to typeset.
#[derive(Debug)]
pub struct Job<'a> {
    pub fonts: &'a Fonts,
    /// Typst sources: (file name, text).
    pub sources: &'a [(String, String)],
    /// The source compiled.
    pub main: &'a str,
    /// Files the sources read: (absolute virtual path such as `/view.json`, bytes).
    pub files: Vec<(String, Vec<u8>)>,
    /// When the document was made: its date in typst and its PDF timestamp.
    pub generated: DateTime<Utc>,
    /// A stable identifier, so that the same document gives the same bytes.
    pub ident: String,
    /// The PDF's creator.
    pub creator: String,
}

/// Why a document could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// Typst refused a source: its first error.
    Source(Failure),
    /// Typst failed without saying where.
    Pdf(String),
}

/// The first error typst found, with the source file it is in and its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The source's file name, when the error is in one.
    pub file: Option<String>,
    pub line: Option<usize>,
    pub message: String,
}

/// A typeset document, ready to export.
pub struct Compiled<'a> {
    world: ReportWorld<'a>,
    document: PagedDocument,
    timestamp: Option<Timestamp>,
    ident: String,
    creator: String,
}

impl std::fmt::Debug for Compiled<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Compiled({} pages)", self.pages())
    }
}

/// Lays the document out.
pub fn compile<'a>(job: Job<'a>) -> Result<Compiled<'a>, Error> {
    let g = job.generated;
    let today = Datetime::from_ymd(g.year(), g.month() as u8, g.day() as u8);
    let timestamp = Datetime::from_ymd_hms(
        g.year(),
        g.month() as u8,
        g.day() as u8,
        g.hour() as u8,
        g.minute() as u8,
        g.second() as u8,
    )
    .map(Timestamp::new_utc);
    let world = ReportWorld::new(job.fonts, job.sources, job.main, job.files, today);
    let compiled = typst::compile::<PagedDocument>(&world);
    match compiled.output {
        Ok(document) => Ok(Compiled {
            world,
            document,
            timestamp,
            ident: job.ident,
            creator: job.creator,
        }),
        Err(errors) => Err(failure(&world, &errors)),
    }
}

/// How an export went: the PDF, or what PDF/UA-1 refused.
#[derive(Debug)]
pub enum Export {
    Pdf(Vec<u8>),
    /// The messages of what the standard refused; export without it instead.
    Refused(Vec<String>),
}

impl Compiled<'_> {
    pub fn pages(&self) -> usize {
        self.document.pages().len()
    }

    /// The document as PDF: tagged, and to PDF/UA-1 when `ua` is asked for and the
    /// document meets it.
    pub fn export(&self, ua: bool) -> Result<Export, Error> {
        let standards = if ua {
            PdfStandards::new(&[PdfStandard::Ua_1])
                .map_err(|e| Error::Pdf(e.message().to_string()))?
        } else {
            PdfStandards::default()
        };
        let options = PdfOptions {
            ident: Smart::Custom(self.ident.clone()),
            creator: Smart::Custom(Some(self.creator.clone())),
            timestamp: self.timestamp,
            standards,
            tagged: true,
            ..PdfOptions::default()
        };
        match typst_pdf::pdf(&self.document, &options) {
            Ok(bytes) => Ok(Export::Pdf(bytes)),
            Err(refused) if ua => Ok(Export::Refused(
                refused.iter().map(|d| d.message.to_string()).collect(),
            )),
            Err(errors) => Err(failure(&self.world, &errors)),
        }
    }
}

/// The first error (or the first diagnostic), with its source file and line.
fn failure(world: &ReportWorld, errors: &EcoVec<SourceDiagnostic>) -> Error {
    let first = errors
        .iter()
        .find(|d| d.severity == Severity::Error)
        .or_else(|| errors.first());
    let Some(d) = first else {
        return Error::Pdf("typst reported an error without a message".into());
    };
    let id = d.span.id();
    let line = id.and_then(|id| {
        let range = world.range(d.span)?;
        let source = world.source(id).ok()?;
        source.lines().byte_to_line(range.start).map(|l| l + 1)
    });
    let mut message = d.message.to_string();
    for hint in &d.hints {
        message.push_str(&format!(" (hint: {})", hint.v));
    }
    Error::Source(Failure {
        file: id.map(|id| world.name_of(id)),
        line,
        message,
    })
}
