//! Item columns of built-in instruments, recognised by the item they hold: the
//! instrument's name or abbreviation anywhere in the header, and the item told apart by
//! its number ("WEMWBS 3", "Q3 SWEMWBS") or by words only that item's name has ("BPI worst
//! pain (Initial)", "Pain right now - BPI").

use std::collections::BTreeSet;

use super::synonyms::MEASURE_KEYWORDS;
use super::{contains_words, header_key};
use crate::instruments::{Instrument, Registry};

/// An instrument item a header holds: the measure it is scored into, and its place in
/// that measure's items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ItemColumn {
    pub measure: String,
    pub position: usize,
}

/// Words that say nothing about which item a header holds.
const PLAIN: &[&str] = &[
    "a", "about", "and", "at", "been", "by", "for", "have", "i", "in", "is", "it", "last", "me",
    "my", "of", "on", "or", "other", "own", "the", "to", "up", "ve", "with", "your", "hours", "24",
    "feeling", "felt", "able", "been",
];

/// Words a total or a band carries, which an item column does not.
const TOTALS: &[&str] = &[
    "total", "score", "raw", "mean", "level", "band", "sum", "metric",
];

/// The item `header` holds, if it names a built-in instrument and one of its items.
pub(super) fn item_of(header: &str) -> Option<ItemColumn> {
    let key = header_key(header);
    if TOTALS.iter().any(|w| contains_words(&key, w)) {
        return None;
    }
    let registry = Registry::builtin();
    let mut found: Option<ItemColumn> = None;
    for instrument in registry.instruments() {
        let scored = instrument
            .measures
            .iter()
            .any(|m| m.scoring.as_ref().is_some_and(|s| s.items.len() > 1));
        if !scored || !names(instrument).iter().any(|n| contains_words(&key, n)) {
            continue;
        }
        let Some(index) = item_index(instrument, &key) else {
            continue;
        };
        let item = &instrument.items[index].id;
        let hit = instrument.measures.iter().find_map(|m| {
            let position = m
                .scoring
                .as_ref()?
                .items
                .iter()
                .position(|i| i.id == *item)?;
            Some(ItemColumn {
                measure: m.id.clone(),
                position,
            })
        })?;
        // Two instruments claiming one header: neither is sure.
        if found.is_some() {
            return None;
        }
        found = Some(hit);
    }
    found
}

/// The ways a header names an instrument: its id and aliases, its label's abbreviation
/// in brackets, and the keywords of its measures (words, lower case).
fn names(instrument: &Instrument) -> Vec<String> {
    let mut out: BTreeSet<String> = BTreeSet::new();
    out.insert(instrument.id.replace('_', " "));
    out.extend(
        instrument
            .aliases
            .iter()
            .map(|a| a.replace(['_', '-'], " ")),
    );
    if let Some((_, inner)) = instrument.label.split_once('(') {
        out.insert(header_key(inner.trim_end_matches(')')));
    }
    for (keyword, measure) in MEASURE_KEYWORDS {
        if instrument.measures.iter().any(|m| m.id == *measure) {
            out.insert((*keyword).to_owned());
        }
    }
    out.retain(|n| !n.is_empty());
    out.into_iter().collect()
}

/// Which of an instrument's items a header names: by the one item number it holds, or by
/// words of one item's name that no other item's name has. Both must agree when both
/// are there.
fn item_index(instrument: &Instrument, key: &str) -> Option<usize> {
    let name_words: BTreeSet<String> = names(instrument)
        .iter()
        .flat_map(|n| n.split(' ').map(str::to_owned).collect::<Vec<_>>())
        .collect();
    let numbers: Vec<usize> = key
        .split(' ')
        .filter(|w| !name_words.contains(*w))
        .filter_map(|w| w.trim_start_matches(['q', 'i']).parse::<usize>().ok())
        .filter(|n| (1..=instrument.items.len()).contains(n))
        .collect();
    let by_number = match numbers.as_slice() {
        [n] => Some(n - 1),
        [] => None,
        _ => return None,
    };
    let words_of = |i: usize| -> BTreeSet<String> {
        let item = &instrument.items[i];
        let id = item.id.replace('_', " ");
        format!("{} {}", header_key(&item.label), id)
            .split(' ')
            .filter(|w| {
                !w.is_empty()
                    && !PLAIN.contains(w)
                    && !name_words.contains(*w)
                    && w.parse::<f64>().is_err()
            })
            .map(str::to_owned)
            .collect()
    };
    let all: Vec<BTreeSet<String>> = (0..instrument.items.len()).map(words_of).collect();
    let own = |i: usize| -> Vec<&String> {
        all[i]
            .iter()
            .filter(|w| (0..all.len()).all(|j| j == i || !all[j].contains(*w)))
            .collect()
    };
    let header_words: BTreeSet<&str> = key.split(' ').collect();
    let by_words: Vec<usize> = (0..all.len())
        .filter(|&i| own(i).iter().any(|w| header_words.contains(w.as_str())))
        .collect();
    let by_words = match by_words.as_slice() {
        [i] => Some(*i),
        [] => None,
        _ => return None,
    };
    match (by_number, by_words) {
        (Some(a), Some(b)) if a != b => None,
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(header: &str) -> Option<(String, usize)> {
        item_of(header).map(|i| (i.measure, i.position))
    }

    #[test]
    fn items_by_their_words_or_numbers_with_the_instrument_anywhere() {
        let bpi = |m: &str, p| Some((m.to_owned(), p));
        assert_eq!(item("BPI worst pain (Initial)"), bpi("bpi_severity", 0));
        assert_eq!(item("BPI least pain (Final)"), bpi("bpi_severity", 1));
        assert_eq!(item("BPI average pain (Initial)"), bpi("bpi_severity", 2));
        assert_eq!(item("BPI pain now (Initial)"), bpi("bpi_severity", 3));
        assert_eq!(item("Pain right now - BPI"), bpi("bpi_severity", 3));
        assert_eq!(
            item("BPI interference general activity (Initial)"),
            bpi("bpi_interference", 0)
        );
        assert_eq!(item("BPI interference sleep"), bpi("bpi_interference", 5));
        assert_eq!(item("WEMWBS 3 (Initial)"), Some(("wemwbs".into(), 2)));
        assert_eq!(item("WEMWBS 14"), Some(("wemwbs".into(), 13)));
        assert_eq!(item("Q5 SWEMWBS"), Some(("swemwbs".into(), 4)));
        assert_eq!(
            item("SWEMWBS 1. Feeling optimistic about the future"),
            Some(("swemwbs".into(), 0))
        );
        // Totals, other instruments' items and plain words are not items.
        assert_eq!(item("WEMWBS total (Initial)"), None);
        assert_eq!(item("BPI Severity"), None);
        assert_eq!(item("Worst pain"), None);
        assert_eq!(item("WEMWBS 15"), None);
        assert_eq!(item("Client ID"), None);
    }
}
