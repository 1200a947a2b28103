//! Config errors: always the file, the line and the key, and a suggestion where one helps.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A problem with the programme config. The run stops on the first one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: PathBuf,
    /// 1-based line; `None` when the problem is with the file as a whole.
    pub line: Option<usize>,
    /// Dotted key path, e.g. `tables.referrals.columns.client_id`.
    pub key: String,
    pub message: String,
    pub help: Option<String>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if self.key.is_empty() {
            write!(f, ": {}", self.message)?;
        } else {
            write!(f, ": `{}`: {}", self.key, self.message)?;
        }
        if let Some(help) = &self.help {
            write!(f, "; {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

/// Builds errors against one config text, turning byte spans into line numbers.
#[derive(Debug)]
pub(crate) struct ErrorContext<'a> {
    pub file: &'a Path,
    pub text: &'a str,
}

impl ErrorContext<'_> {
    pub fn line_of(&self, span: &Range<usize>) -> Option<usize> {
        if span.start == 0 && span.end == 0 {
            return None;
        }
        let upto = span.start.min(self.text.len());
        Some(
            self.text.as_bytes()[..upto]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1,
        )
    }

    pub fn at(
        &self,
        span: &Range<usize>,
        key: impl Into<String>,
        message: impl Into<String>,
    ) -> ConfigError {
        ConfigError {
            file: self.file.to_path_buf(),
            line: self.line_of(span),
            key: key.into(),
            message: message.into(),
            help: None,
        }
    }
}

impl ConfigError {
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_suggestion(self, suggestion: Option<&str>) -> Self {
        match suggestion {
            Some(s) => self.with_help(format!("did you mean `{s}`?")),
            None => self,
        }
    }
}

pub use sprout_core::suggest::did_you_mean;
