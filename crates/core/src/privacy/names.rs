//! Personal names typed where a category label belongs: a title and a name ("Mrs Jones
//! (daughter)"), or two capitalised words neither of which is a word labels are made of
//! ("Sarah Jones", but not "Pain Clinic" or "White British").

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::vocab::{ETHNIC_GROUPS, Vocabulary};

const TITLES: &[&str] = &["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "sir"];

/// Words category labels of social prescribing exports are commonly made of, beside the
/// words of the built-in vocabularies (contact modes, referral sources, ethnicities, ...).
const LABEL_WORDS: &[&str] = &[
    "acute",
    "adult",
    "adults",
    "advice",
    "age",
    "alcohol",
    "allotment",
    "anxiety",
    "art",
    "arts",
    "assessment",
    "back",
    "befriending",
    "benefits",
    "bereavement",
    "cafe",
    "cancer",
    "cardiac",
    "care",
    "carer",
    "carers",
    "centre",
    "center",
    "chair",
    "choir",
    "chronic",
    "city",
    "class",
    "classes",
    "clinic",
    "clinical",
    "club",
    "coaching",
    "college",
    "commissioning",
    "community",
    "council",
    "counselling",
    "county",
    "course",
    "crafts",
    "crisis",
    "cycling",
    "dance",
    "day",
    "debt",
    "dementia",
    "diabetes",
    "diet",
    "digital",
    "disability",
    "district",
    "drug",
    "east",
    "education",
    "employment",
    "energy",
    "exercise",
    "falls",
    "family",
    "financial",
    "fitness",
    "food",
    "football",
    "foundation",
    "garden",
    "gardening",
    "general",
    "gentle",
    "green",
    "group",
    "groups",
    "gym",
    "health",
    "healthcare",
    "heart",
    "hip",
    "home",
    "hospice",
    "hospital",
    "hospitals",
    "housing",
    "hub",
    "integrated",
    "isolation",
    "joint",
    "knee",
    "learning",
    "leisure",
    "library",
    "lifestyle",
    "link",
    "local",
    "loneliness",
    "lung",
    "management",
    "medical",
    "medicine",
    "memory",
    "men",
    "mens",
    "mental",
    "mind",
    "music",
    "national",
    "network",
    "north",
    "nursing",
    "nutrition",
    "occupational",
    "older",
    "online",
    "orthopaedic",
    "orthopaedics",
    "outpatient",
    "outpatients",
    "pain",
    "park",
    "partnership",
    "peer",
    "people",
    "physical",
    "physio",
    "physiotherapy",
    "practice",
    "prescribing",
    "programme",
    "project",
    "psychology",
    "pulmonary",
    "recovery",
    "referral",
    "referred",
    "rehab",
    "rehabilitation",
    "relaxation",
    "replacement",
    "respiratory",
    "review",
    "royal",
    "rheumatology",
    "school",
    "service",
    "services",
    "shed",
    "singing",
    "sleep",
    "smoking",
    "social",
    "south",
    "spinal",
    "sport",
    "sports",
    "stop",
    "stress",
    "stroke",
    "support",
    "surgery",
    "swimming",
    "tai",
    "talking",
    "team",
    "therapies",
    "therapy",
    "trust",
    "university",
    "upon",
    "volunteering",
    "waiting",
    "walk",
    "walking",
    "weight",
    "welfare",
    "wellbeing",
    "west",
    "women",
    "work",
    "yoga",
    "young",
    "youth",
];

/// Lower-case words of every built-in label and alias, and [`LABEL_WORDS`].
fn label_words() -> &'static HashSet<String> {
    static WORDS: OnceLock<HashSet<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut texts: Vec<&str> = LABEL_WORDS.to_vec();
        for v in Vocabulary::ALL {
            for t in v.terms() {
                texts.push(t.label);
                texts.extend(t.aliases.iter().copied());
            }
        }
        texts.extend(ETHNIC_GROUPS.iter().map(|(_, l)| *l));
        texts
            .into_iter()
            .flat_map(|t| t.split(|c: char| !c.is_alphabetic()))
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    })
}

/// A word as a name is written: a capital then small letters, parts joined by `-` or an
/// apostrophe each capitalised ("Jones", "Smith-Jones", "O'Neill").
fn name_shaped(word: &str) -> bool {
    word.split(['-', '\'', '’']).all(|part| {
        let mut c = part.chars();
        c.next().is_some_and(char::is_uppercase)
            && part.chars().count() >= 2
            && c.all(char::is_lowercase)
    })
}

/// Whether `s` looks like a person's name. `known` says whether a lower-case word is one
/// labels are made of (beside the built-in words).
pub fn has_name(s: &str, known: &dyn Fn(&str) -> bool) -> bool {
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '[' | ']'))
        .map(|w| w.trim_matches(|c: char| matches!(c, '.' | ':' | '"' | '!' | '?')))
        .filter(|w| !w.is_empty())
        .collect();
    let is_label_word = |w: &str| {
        let lower = w.to_lowercase();
        label_words().contains(&lower) || known(&lower)
    };
    words.windows(2).any(|p| {
        let titled = TITLES.contains(&p[0].to_ascii_lowercase().as_str())
            && p[1].chars().next().is_some_and(char::is_uppercase);
        let two_names =
            name_shaped(p[0]) && name_shaped(p[1]) && !is_label_word(p[0]) && !is_label_word(p[1]);
        titled || two_names
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none(_: &str) -> bool {
        false
    }

    #[test]
    fn names_with_titles_and_pairs_of_names() {
        for s in [
            "Mrs Jones (daughter)",
            "Sarah Jones",
            "Dr. A. O'Neill",
            "mr Smith-Jones",
            "seen by Aoife Murphy today",
        ] {
            assert!(has_name(s, &none), "{s}");
        }
        for s in [
            "Self Referral",
            "Hip Replacement",
            "White British",
            "Pain Clinic",
            "Dr appointment",
            "Northumbria Healthcare",
            "Gateshead Health",
            "Newcastle upon Tyne Hospitals",
            "Walking group",
            "GP Surgery",
            "Miss",
        ] {
            assert!(!has_name(s, &none), "{s}");
        }
    }

    #[test]
    fn the_configs_own_words_are_not_names() {
        assert!(!has_name("Freeman Royal", &none));
        assert!(has_name("Freeman Tyneside", &none));
        assert!(!has_name("Freeman Tyneside", &|w| w == "tyneside"));
    }
}
