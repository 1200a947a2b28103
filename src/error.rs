//! The engine's top-level error and the exit codes the CLI maps it to.

use crate::config::ConfigError;
use crate::validate::ValidateError;

/// Exit codes, as documented in the README.
pub mod exit {
    pub const SUCCESS: u8 = 0;
    /// Findings were reported and `--strict` was given.
    pub const FINDINGS: u8 = 1;
    /// The config or the input files cannot be used as they are.
    pub const UNUSABLE_INPUT: u8 = 2;
    /// A fault in sprout itself.
    pub const INTERNAL: u8 = 3;
}

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
