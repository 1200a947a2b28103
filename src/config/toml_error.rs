//! Turns TOML and serde errors into [`ConfigError`]s that name the line and the full key,
//! and suggest the intended key for typos.

use std::path::Path;

use super::error::{ConfigError, ErrorContext, did_you_mean};

pub(super) fn describe(path: &Path, text: &str, err: &toml::de::Error) -> ConfigError {
    let ctx = ErrorContext { file: path, text };
    let span = err.span().unwrap_or(0..0);
    let message = err.message().trim();
    let table = table_header_before(text, span.start);

    if let Some((field, expected)) = unknown_field(message) {
        let key = join(&table, field);
        let error = ctx.at(&span, key, format!("unknown key `{field}`"));
        return match did_you_mean(field, expected.iter().map(String::as_str)) {
            Some(s) => error.with_suggestion(Some(s)),
            None if !expected.is_empty() => {
                error.with_help(format!("expected one of {}", quoted(&expected)))
            }
            None => error,
        };
    }
    if let Some(field) = between(message, "missing field `", "`") {
        let key = join(&table, field);
        return ctx.at(&span, key, "this required key is missing");
    }
    let key = key_on_line(text, span.start).map_or(table.clone(), |k| join(&table, &k));
    let friendly = message.replace("invalid type: ", "wrong type: found ");
    ctx.at(&span, key, friendly)
}

/// Parses serde's "unknown field `x`, expected one of `a`, `b`" (or "expected `a`", or
/// "there are no fields").
fn unknown_field(message: &str) -> Option<(&str, Vec<String>)> {
    let field = between(message, "unknown field `", "`")?;
    let expected = message
        .split_once("expected")
        .map(|(_, rest)| {
            rest.split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    Some((field, expected))
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(&text[from..from + len])
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn join(table: &str, key: &str) -> String {
    if table.is_empty() {
        key.to_owned()
    } else {
        format!("{table}.{key}")
    }
}

/// The `[table]` or `[[array]]` header in force at a byte offset.
fn table_header_before(text: &str, offset: usize) -> String {
    let upto = &text[..offset.min(text.len())];
    // The error may point at the header itself, so include the current line.
    let line_end = text[upto.len()..]
        .find('\n')
        .map_or(text.len(), |i| upto.len() + i);
    text[..line_end]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|l| {
            l.trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or("")
                .trim()
                .to_owned()
        })
        .unwrap_or_default()
}

/// The `key` of a `key = value` line at a byte offset.
fn key_on_line(text: &str, offset: usize) -> Option<String> {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[start..].lines().next().unwrap_or("");
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_matches('"');
    (!key.is_empty() && !key.starts_with('[')).then(|| key.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_serde_messages() {
        let (f, exp) = unknown_field("unknown field `colums`, expected one of `files`, `columns`")
            .expect("parsed");
        assert_eq!(f, "colums");
        assert_eq!(exp, vec!["files", "columns"]);
        let (f, exp) = unknown_field("unknown field `x`, expected `y`").expect("parsed");
        assert_eq!((f, exp), ("x", vec!["y".to_string()]));
    }

    #[test]
    fn finds_table_and_key() {
        let text = "[programme]\nname = 1\n\n[tables.referrals]\nfiles = 3\n";
        let at = text.find("files").expect("present");
        assert_eq!(table_header_before(text, at), "tables.referrals");
        assert_eq!(key_on_line(text, at + 8).as_deref(), Some("files"));
        let header = text.find("[tables").expect("present");
        assert_eq!(table_header_before(text, header), "tables.referrals");
    }
}
