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
        // The table in force where the error points may be a sub-table of the one that
        // lacks the key (`[tables.sessions]` when `[tables.referrals]` is missing).
        let owner = owner_of(&table, field);
        let key = join(&owner, field);
        let what = if owner.is_empty() {
            "this required section is missing"
        } else {
            "this required key is missing"
        };
        return ctx.at(&span, key, what);
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

/// The table (a dotted path) that lacks a required `field`: the shortest prefix of the
/// table in force whose schema has such a key.
fn owner_of(table: &str, field: &str) -> String {
    let schema = super::json_schema();
    let root = schema.as_value();
    let parts: Vec<&str> = table.split('.').filter(|p| !p.is_empty()).collect();
    (0..=parts.len())
        .find(|&n| walk(root, root, &parts[..n]).is_some_and(|node| has_key(root, node, field)))
        .map_or_else(|| table.to_owned(), |n| parts[..n].join("."))
}

/// The schema of the value at `path` below `node`: through references, optional values,
/// arrays of tables and maps.
fn walk<'a>(
    root: &'a serde_json::Value,
    node: &'a serde_json::Value,
    path: &[&str],
) -> Option<&'a serde_json::Value> {
    let node = resolve(root, node);
    let Some((first, rest)) = path.split_first() else {
        return Some(node);
    };
    alternatives(root, node).into_iter().find_map(|alt| {
        let next = alt
            .get("properties")
            .and_then(|p| p.get(*first))
            .or_else(|| alt.get("additionalProperties").filter(|a| a.is_object()))?;
        let next = resolve(root, next);
        let next = match next.get("items") {
            Some(items) => items,
            None => next,
        };
        walk(root, next, rest)
    })
}

fn has_key(root: &serde_json::Value, node: &serde_json::Value, field: &str) -> bool {
    alternatives(root, node)
        .iter()
        .any(|alt| alt.get("properties").and_then(|p| p.get(field)).is_some())
}

/// A node and, for `anyOf` / `oneOf` (optional values), each of its alternatives.
fn alternatives<'a>(
    root: &'a serde_json::Value,
    node: &'a serde_json::Value,
) -> Vec<&'a serde_json::Value> {
    let node = resolve(root, node);
    let mut out = vec![node];
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(list) = node.get(key).and_then(|v| v.as_array()) {
            out.extend(list.iter().map(|v| resolve(root, v)));
        }
    }
    out
}

/// Follows `$ref` to the definition it names.
fn resolve<'a>(root: &'a serde_json::Value, node: &'a serde_json::Value) -> &'a serde_json::Value {
    let mut node = node;
    for _ in 0..8 {
        let Some(r) = node.get("$ref").and_then(|r| r.as_str()) else {
            break;
        };
        match r
            .strip_prefix("#/$defs/")
            .and_then(|name| root.get("$defs")?.get(name))
        {
            Some(def) => node = def,
            None => break,
        }
    }
    node
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
    fn a_missing_key_is_named_in_the_table_that_lacks_it() {
        assert_eq!(owner_of("tables.sessions", "referrals"), "tables");
        assert_eq!(owner_of("programme", "timepoints"), "");
        assert_eq!(owner_of("programme", "name"), "programme");
        assert_eq!(owner_of("tables.sessions", "files"), "tables.sessions");
        assert_eq!(owner_of("measures", "id"), "measures");
        assert_eq!(
            owner_of("tables.sessions.columns", "files"),
            "tables.sessions"
        );
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
