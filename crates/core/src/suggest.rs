//! "Did you mean": the known names closest to a misspelt one. One rule for every message
//! that offers a correction (config keys, ids, labels, instruments): names are compared
//! by their letters and digits in lower case, and a name is near when it is within a few
//! edits (a third of the name's length, at least 2) or shares the first four letters
//! ("ucla_lonely" is near `ucla3`).

/// Up to `at_most` candidates near `name`, nearest first (ties in the candidates' order,
/// each name once).
pub fn near<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    at_most: usize,
) -> Vec<&'a str> {
    let wanted = key(name);
    let limit = (wanted.chars().count() / 3).max(2);
    let prefix: String = wanted.chars().take(4).collect();
    let mut found: Vec<(usize, usize, &str)> = Vec::new();
    for (order, c) in candidates.into_iter().enumerate() {
        if found.iter().any(|(_, _, f)| *f == c) {
            continue;
        }
        let k = key(c);
        let d = edit_distance(&wanted, &k);
        let shares = prefix.chars().count() == 4 && k.starts_with(&prefix);
        if d <= limit || shares {
            found.push((d, order, c));
        }
    }
    found.sort_unstable();
    found.into_iter().take(at_most).map(|(_, _, c)| c).collect()
}

/// The one candidate nearest `name`, if any is near.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    near(name, candidates, 1).into_iter().next()
}

/// A name as compared: its letters and digits, in lower case.
fn key(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Levenshtein distance over chars.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        current.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            let deletion = previous[j + 1] + 1;
            let insertion = current[j] + 1;
            current.push(substitution.min(deletion).min(insertion));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_basics() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn suggestions_only_for_near_misses() {
        let keys = ["columns", "files", "sheet", "delimiter"];
        assert_eq!(did_you_mean("colums", keys), Some("columns"));
        assert_eq!(did_you_mean("file", keys), Some("files"));
        assert_eq!(did_you_mean("Delimeter", keys), Some("delimiter"));
        assert_eq!(did_you_mean("zebra", keys), None);
    }

    #[test]
    fn nearest_first_then_in_order_and_each_once() {
        let ids = ["ucla3", "wemwbs", "swemwbs", "wemwbs", "ucla_loneliness"];
        assert_eq!(near("wembws", ids, 3), ["wemwbs"]);
        assert_eq!(near("wembs", ids, 3), ["wemwbs", "swemwbs"]);
        assert_eq!(near("ucla_lonely", ids, 3), ["ucla_loneliness", "ucla3"]);
        assert!(near("completely different", ids, 3).is_empty());
    }
}
