//! The templates a report is laid out with: the built-in ones compiled into the binary,
//! or a user's copy of `templates/` (read by the command and handed in as text), whose
//! files replace the built-in ones of the same name.

use std::collections::BTreeMap;

use super::RenderError;
use super::words::Words;

/// The built-in templates, by file name.
const BUILTIN: &[(&str, &str)] = &[
    ("base.html", include_str!("../../../templates/base.html")),
    (
        "blocks.html",
        include_str!("../../../templates/blocks.html"),
    ),
    (
        "evaluator.html",
        include_str!("../../../templates/evaluator.html"),
    ),
    (
        "trustee.html",
        include_str!("../../../templates/trustee.html"),
    ),
    (
        "commissioner.html",
        include_str!("../../../templates/commissioner.html"),
    ),
    ("style.css", include_str!("../../../templates/style.css")),
    ("shared.typ", include_str!("../../../templates/shared.typ")),
    (
        "evaluator.typ",
        include_str!("../../../templates/evaluator.typ"),
    ),
    (
        "trustee.typ",
        include_str!("../../../templates/trustee.typ"),
    ),
    (
        "commissioner.typ",
        include_str!("../../../templates/commissioner.typ"),
    ),
    ("wording.toml", super::words::DEFAULT),
];

/// The file names a templates folder may hold.
pub fn names() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|(n, _)| *n)
}

#[derive(Debug, Clone)]
pub struct Templates {
    files: BTreeMap<String, String>,
    /// Where a user's copy came from, for error messages (`my-templates/`).
    origin: Option<String>,
}

impl Templates {
    pub fn builtin() -> Self {
        Self {
            files: BTreeMap::new(),
            origin: None,
        }
    }

    /// A user's copy: `files` are (file name, text) pairs read from `origin`.
    pub fn from_files(origin: &str, files: Vec<(String, String)>) -> Self {
        Self {
            files: files.into_iter().collect(),
            origin: Some(origin.to_owned()),
        }
    }

    /// The text of one template: the user's, or the built-in one.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.files
            .get(name)
            .map(String::as_str)
            .or_else(|| BUILTIN.iter().find(|(n, _)| *n == name).map(|(_, t)| *t))
    }

    /// How to name a template in a message: `my-templates/trustee.html` for a user's
    /// file, `templates/trustee.html (built in)` otherwise.
    pub fn describe(&self, name: &str) -> String {
        match (&self.origin, self.files.contains_key(name)) {
            (Some(dir), true) => format!("{}/{name}", dir.trim_end_matches('/')),
            _ => format!("templates/{name} (built in)"),
        }
    }

    /// The wording catalogue: the built-in phrases, with a user's `wording.toml` over them.
    pub fn words(&self) -> Result<Words, RenderError> {
        match self.files.get("wording.toml") {
            Some(text) => Words::with_overrides(text, &self.describe("wording.toml")),
            None => Ok(Words::builtin()),
        }
    }
}

/// An image for the cover, with its media type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    pub media_type: &'static str,
    pub bytes: Vec<u8>,
}

impl Logo {
    /// A PNG or SVG logo from its bytes; `None` for anything else.
    pub fn from_bytes(bytes: Vec<u8>) -> Option<Self> {
        let media_type = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            "image/png"
        } else if std::str::from_utf8(&bytes).is_ok_and(|s| s.contains("<svg")) {
            "image/svg+xml"
        } else {
            return None;
        };
        Some(Self { media_type, bytes })
    }

    pub fn data_uri(&self) -> String {
        use base64::Engine;
        format!(
            "data:{};base64,{}",
            self.media_type,
            base64::engine::general_purpose::STANDARD.encode(&self.bytes)
        )
    }
}
