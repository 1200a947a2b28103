//! The wording catalogue: every phrase a report prints, keyed by name, read from
//! `templates/wording.toml` (built in, or a user's copy under `--templates`). Phrases hold
//! `{placeholders}` filled with figures already formatted by [`super::format`], so a user
//! can reword a report without recompiling, and the HTML and PDF say the same thing.

use std::collections::BTreeMap;

use super::RenderError;

/// The built-in catalogue.
pub const DEFAULT: &str = include_str!("../../../templates/wording.toml");

/// Phrases by dotted key (`trustee.headline_better`).
#[derive(Debug, Clone)]
pub struct Words {
    phrases: BTreeMap<String, String>,
}

impl Words {
    /// The built-in catalogue.
    pub fn builtin() -> Self {
        // The built-in file is checked by a test, so it always parses.
        Self::parse(DEFAULT, "wording.toml").unwrap_or(Self {
            phrases: BTreeMap::new(),
        })
    }

    /// A user's catalogue over the built-in one: keys it leaves out keep their built-in
    /// wording, so an older copy still renders after new phrases are added.
    pub fn with_overrides(text: &str, file: &str) -> Result<Self, RenderError> {
        let mut words = Self::builtin();
        let user = Self::parse(text, file)?;
        words.phrases.extend(user.phrases);
        Ok(words)
    }

    fn parse(text: &str, file: &str) -> Result<Self, RenderError> {
        let table: toml::Table = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            RenderError::Template {
                file: file.to_owned(),
                line,
                message: e.message().to_owned(),
            }
        })?;
        let mut phrases = BTreeMap::new();
        flatten("", &toml::Value::Table(table), &mut phrases, file)?;
        Ok(Self { phrases })
    }

    /// The phrase for `key`; the key itself if there is none (a test keeps every key
    /// used by the renderer in the built-in catalogue).
    pub fn get(&self, key: &str) -> String {
        self.phrases
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_owned())
    }

    /// The phrase for `key` with each `{name}` replaced by its value; a phrase that
    /// starts with a value starts with a capital ("Wellbeing: ...").
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        let phrase = self.get(key);
        let filled = fill(&phrase, values);
        if phrase.starts_with('{') {
            capitalise(&filled)
        } else {
            filled
        }
    }

    pub fn contains(&self, key: &str) -> bool {
        self.phrases.contains_key(key)
    }

    /// Every phrase, for templates that print fixed wording (headings, labels).
    pub fn all(&self) -> &BTreeMap<String, String> {
        &self.phrases
    }
}

fn flatten(
    prefix: &str,
    v: &toml::Value,
    out: &mut BTreeMap<String, String>,
    file: &str,
) -> Result<(), RenderError> {
    match v {
        toml::Value::Table(t) => {
            for (k, v) in t {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out, file)?;
            }
            Ok(())
        }
        toml::Value::String(s) => {
            out.insert(prefix.to_owned(), s.clone());
            Ok(())
        }
        _ => Err(RenderError::Template {
            file: file.to_owned(),
            line: None,
            message: format!("`{prefix}` must be a phrase in quotes"),
        }),
    }
}

/// `s` with its first letter in upper case.
pub fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A label inside a sentence: "Surgery type" becomes "surgery type", but "IMD quintile"
/// and "T0 - Baseline" keep their capitals.
pub fn in_sentence(s: &str) -> String {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && b.is_lowercase() => {
            a.to_lowercase().chain(s.chars().skip(1)).collect()
        }
        _ => s.to_owned(),
    }
}

/// "a", "a and b", "a, b and c".
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Replaces each `{name}` in `phrase` by its value; unknown names are left as written.
pub fn fill(phrase: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(phrase.len() + 16);
    let mut rest = phrase;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match values.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_catalogue_parses() {
        assert!(Words::parse(DEFAULT, "wording.toml").is_ok());
        assert!(Words::builtin().all().len() > 100);
    }

    #[test]
    fn labels_in_sentences_keep_acronyms() {
        assert_eq!(in_sentence("Surgery type"), "surgery type");
        assert_eq!(in_sentence("IMD quintile"), "IMD quintile");
        assert_eq!(in_sentence("T0"), "T0");
        assert_eq!(capitalise("wellbeing: up"), "Wellbeing: up");
    }

    #[test]
    fn placeholders_are_filled_and_unknown_ones_kept() {
        assert_eq!(
            fill(
                "About {tenths} of the {n} people",
                &[("n", "212"), ("tenths", "7 in 10")]
            ),
            "About 7 in 10 of the 212 people"
        );
        assert_eq!(fill("{missing} and {", &[]), "{missing} and {");
    }

    #[test]
    fn a_user_copy_overrides_some_phrases_and_keeps_the_rest() {
        let builtin = Words::builtin();
        let key = builtin.all().keys().next().cloned().unwrap_or_default();
        let (section, name) = key.split_once('.').unwrap_or(("", &key));
        let user = format!("[{section}]\n{name} = \"Reworded\"\n");
        let w = Words::with_overrides(&user, "mine.toml").expect("parses");
        assert_eq!(w.get(&key), "Reworded");
        assert_eq!(w.all().len(), builtin.all().len());
    }

    #[test]
    fn a_broken_user_copy_names_its_file_and_line() {
        let err = Words::with_overrides("[a]\nb = \"x\"\nc = \n", "mine.toml").expect_err("broken");
        let RenderError::Template { file, line, .. } = err else {
            panic!("not a template error");
        };
        assert_eq!(file, "mine.toml");
        assert_eq!(line, Some(3));
    }
}
