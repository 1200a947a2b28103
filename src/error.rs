//! The engine's top-level error, and the exit code each kind of failure gives.

use crate::config::ConfigError;
use crate::exit;
use crate::validate::ValidateError;

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error("{0}")]
    Validate(#[from] ValidateError),
    #[error("{0}")]
    Render(#[from] crate::render::RenderError),
    /// A command line or file-system problem the user can fix.
    #[error("{0}")]
    Usage(String),
    #[error("{context}: {source}")]
    Io {
        context: String,
        source: std::io::Error,
    },
    /// `--strict` and the data has findings.
    #[error("{0}")]
    Strict(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Config(_) | Error::Usage(_) | Error::Io { .. } => exit::UNUSABLE_INPUT,
            Error::Validate(ValidateError::Ingest(_)) => exit::UNUSABLE_INPUT,
            // A user's template or wording that does not work is theirs to fix.
            Error::Render(crate::render::RenderError::Template { .. }) => exit::UNUSABLE_INPUT,
            Error::Render(_) => exit::INTERNAL,
            Error::Validate(ValidateError::Internal(_)) | Error::Internal(_) => exit::INTERNAL,
            Error::Strict(_) => exit::FINDINGS,
        }
    }

    pub fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> Error {
        let context = context.into();
        move |source| Error::Io { context, source }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
