//! The world typst compiles a report in: the templates, the view and the model as virtual
//! JSON files, the chart SVGs, and the fonts compiled into the binary. Nothing is read
//! from disk or the network, and the date is the report's own.

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Feature, Features, Library, LibraryExt, World};

/// The report's family (SIL Open Font Licence), and fallbacks for the rare character it
/// lacks (arrows, Greek, wider Latin), so that no label from the data prints as a box.
static FONTS: &[&[u8]] = &[
    include_bytes!("../../../assets/fonts/AtkinsonHyperlegible-Regular.ttf"),
    include_bytes!("../../../assets/fonts/AtkinsonHyperlegible-Bold.ttf"),
    include_bytes!("../../../assets/fonts/AtkinsonHyperlegible-Italic.ttf"),
    include_bytes!("../../../assets/fonts/AtkinsonHyperlegible-BoldItalic.ttf"),
    include_bytes!("../../../assets/fonts/DejaVuSans.ttf"),
    include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf"),
];

/// Fonts, parsed once per run.
pub struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

impl Fonts {
    pub fn load() -> Self {
        let mut book = FontBook::new();
        let mut fonts = Vec::new();
        for data in FONTS.iter().copied() {
            let bytes = Bytes::new(data);
            for font in Font::iter(bytes) {
                book.push(font.info().clone());
                fonts.push(font);
            }
        }
        Self {
            book: LazyHash::new(book),
            fonts,
        }
    }
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Fonts({})", self.fonts.len())
    }
}

/// One report's sources and files.
pub struct ReportWorld<'a> {
    library: LazyHash<Library>,
    fonts: &'a Fonts,
    main: FileId,
    sources: Vec<Source>,
    files: Vec<(FileId, Bytes)>,
    today: Option<Datetime>,
}

pub fn file_id(path: &str) -> FileId {
    // Paths are sprout's own (`/view.json`, `/charts/flow.svg`, `/trustee.typ`); one
    // typst refused would only fail to be found, as `/`.
    let vpath = VirtualPath::new(path)
        .or_else(|_| VirtualPath::new("/"))
        .expect("`/` is a virtual path");
    FileId::new(RootedPath::new(VirtualRoot::Project, vpath))
}

impl<'a> ReportWorld<'a> {
    /// `templates`: (file name, text); `main`: the one compiled; `files`: (path, bytes).
    pub fn new(
        fonts: &'a Fonts,
        templates: &[(String, String)],
        main: &str,
        files: Vec<(String, Vec<u8>)>,
        today: Option<Datetime>,
    ) -> Self {
        let sources = templates
            .iter()
            .map(|(name, text)| Source::new(file_id(&format!("/{name}")), text.clone()))
            .collect();
        Self {
            // pdf.header-cell, for the row headers of tables, is behind this feature.
            library: LazyHash::new(
                Library::builder()
                    .with_features(Features::from_iter([Feature::A11yExtras]))
                    .build(),
            ),
            fonts,
            main: file_id(&format!("/{main}")),
            sources,
            files: files
                .into_iter()
                .map(|(path, bytes)| (file_id(&path), Bytes::new(bytes)))
                .collect(),
            today,
        }
    }

    /// The template a file id names, for error messages.
    pub fn name_of(&self, id: FileId) -> String {
        id.vpath().get_without_slash().to_owned()
    }
}

impl World for ReportWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.sources
            .iter()
            .find(|s| s.id() == id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(id.vpath().get_without_slash().into()))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some((_, bytes)) = self.files.iter().find(|(f, _)| *f == id) {
            return Ok(bytes.clone());
        }
        if let Some(s) = self.sources.iter().find(|s| s.id() == id) {
            return Ok(Bytes::from_string(s.text().to_owned()));
        }
        Err(FileError::NotFound(id.vpath().get_without_slash().into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}
