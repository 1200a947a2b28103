//! What every part of resolving a config shares: its result type, date formats, and the
//! rules for ids and the labels made from them. A leaf, so that the resolvers of tables,
//! labels and the timeline need not reach back into the one that calls them.

use toml::Spanned;

use super::DateFormat;
use super::error::{ConfigError, ErrorContext};

pub(super) type Result<T> = std::result::Result<T, ConfigError>;

pub(super) fn date_formats(
    ctx: &ErrorContext,
    formats: &Spanned<Vec<String>>,
    key: &str,
) -> Result<Vec<DateFormat>> {
    if formats.get_ref().is_empty() {
        return Err(ctx.at(
            &formats.span(),
            key,
            "list at least one date format, e.g. \"dd/mm/yyyy\"",
        ));
    }
    formats
        .get_ref()
        .iter()
        .map(|f| DateFormat::parse(f).map_err(|e| ctx.at(&formats.span(), key, e)))
        .collect()
}

pub(super) fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && s.starts_with(|c: char| c.is_ascii_lowercase())
}

/// `waiting_well` -> `Waiting well`.
pub(crate) fn title_case(id: &str) -> String {
    let spaced = id.replace('_', " ");
    let mut chars = spaced.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}
