//! Bounds on the text a config holds. Names are set in headings, charts, workbook cells
//! and PDF pages: a name of thousands of characters is a mistake (a paste gone wrong) that
//! would make every report unreadable, or the report's layout run out of memory.

use std::borrow::Cow;

use toml::de::{DeTable, DeValue};

use super::error::{ConfigError, ErrorContext};

/// The longest name a report shows: the programme, the organisation, a measure, cohort,
/// timepoint or phase, a cohort value (in characters).
pub const NAME_CHARS: usize = 200;

/// The longest text of any other value or key: an export's header, a label the exports
/// use, a file pattern (in characters).
pub const TEXT_CHARS: usize = 1_000;

/// Checks every key and string of the config against the bounds, naming the first one
/// past its bound. A text that does not parse is left to the parser to explain.
pub(super) fn check(ctx: &ErrorContext, text: &str) -> Result<(), ConfigError> {
    let Ok(doc) = DeTable::parse(text) else {
        return Ok(());
    };
    table(ctx, doc.get_ref(), "", false)
}

fn table(ctx: &ErrorContext, t: &DeTable<'_>, path: &str, names: bool) -> Result<(), ConfigError> {
    for (key, v) in t {
        let k: &str = key.get_ref();
        let here = if path.is_empty() {
            k.to_owned()
        } else {
            format!("{path}.{k}")
        };
        // Keys under `labels` of a cohort are its values, as reports name them.
        bounded(
            ctx,
            key.span(),
            &here,
            k,
            if names { NAME_CHARS } else { TEXT_CHARS },
        )?;
        let is_name = matches!(k, "name" | "organisation" | "label");
        let holds_names =
            matches!(k, "names" | "order") || (k == "labels" && path.starts_with("cohorts"));
        value(ctx, v.get_ref(), v.span(), &here, is_name, holds_names)?;
    }
    Ok(())
}

fn value(
    ctx: &ErrorContext,
    v: &DeValue<'_>,
    span: std::ops::Range<usize>,
    path: &str,
    is_name: bool,
    holds_names: bool,
) -> Result<(), ConfigError> {
    match v {
        DeValue::String(s) => bounded(
            ctx,
            span,
            path,
            s,
            if is_name || holds_names {
                NAME_CHARS
            } else {
                TEXT_CHARS
            },
        ),
        DeValue::Array(items) => {
            for item in items.iter() {
                value(ctx, item.get_ref(), item.span(), path, is_name, holds_names)?;
            }
            Ok(())
        }
        DeValue::Table(t) => table(ctx, t, path, holds_names),
        _ => Ok(()),
    }
}

fn bounded(
    ctx: &ErrorContext,
    span: std::ops::Range<usize>,
    path: &str,
    text: &str,
    max: usize,
) -> Result<(), ConfigError> {
    if text.len() <= max || text.chars().count() <= max {
        return Ok(());
    }
    let shown: Cow<str> = Cow::Owned(sprout_core::privacy::clip(text, 40));
    Err(ctx
        .at(
            &span,
            path,
            format!(
                "this text is {} characters long (\"{shown}\"); at most {max} are allowed",
                text.chars().count()
            ),
        )
        .with_help(if max == NAME_CHARS {
            "a name is set in headings, charts and tables: shorten it"
        } else {
            "shorten it; a value this long is usually a paste gone wrong"
        }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn check_text(text: &str) -> Result<(), ConfigError> {
        let ctx = ErrorContext {
            file: Path::new("p.toml"),
            text,
        };
        check(&ctx, text)
    }

    #[test]
    fn long_names_and_texts_are_refused_naming_the_key_and_line() {
        assert!(check_text("[programme]\nname = \"Waiting Well\"\n").is_ok());
        let long = "x".repeat(NAME_CHARS + 1);
        let err = check_text(&format!("[programme]\nname = \"{long}\"\n")).expect_err("long");
        assert_eq!((err.key.as_str(), err.line), ("programme.name", Some(2)));
        assert!(err.message.contains("201 characters"), "{err}");
        // A cohort's values are names, as keys of its labels or in its order.
        let err = check_text(&format!(
            "[[cohorts]]\nid = \"site\"\nlabels = {{ \"{long}\" = [\"A\"] }}\n"
        ))
        .expect_err("long value");
        assert!(err.key.starts_with("cohorts.labels."), "{err}");
        let err = check_text(&format!(
            "[[cohorts]]\nid = \"site\"\norder = [\"{long}\"]\n"
        ))
        .expect_err("long order");
        assert_eq!(err.key, "cohorts.order");
        // An export label may be longer than a name, but not without bound.
        assert!(check_text(&format!("[labels.sex]\nfemale = [\"{long}\"]\n")).is_ok());
        let longer = "y".repeat(TEXT_CHARS + 1);
        let err = check_text(&format!("[labels.sex]\nfemale = [\"{longer}\"]\n"))
            .expect_err("long label");
        assert_eq!((err.key.as_str(), err.line), ("labels.sex.female", Some(2)));
    }
}
