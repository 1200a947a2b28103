//! Maps the labels found in exports onto canonical values.

use std::collections::HashMap;

use super::Term;

/// Lower-cases a label and turns every run of non-alphanumeric characters into one space,
/// so punctuation, underscores and spacing never decide whether a label matches.
pub fn normalise_label(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut pending_space = false;
    for c in raw.chars() {
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else {
            pending_space = true;
        }
    }
    out
}

/// A normalised label without the census a clinical system names after it ("... ethnic
/// category 2001 census", "... England and Wales ethnic category 2011 census").
fn without_census(normal: &str) -> Option<&str> {
    const SUFFIXES: [&str; 5] = [
        " england and wales ethnic category 2011 census",
        " ethnic category 2001 census",
        " ethnic category 2011 census",
        " ethnic category 2021 census",
        " 2001 census",
    ];
    SUFFIXES
        .iter()
        .find_map(|s| normal.strip_suffix(s))
        .filter(|t| !t.is_empty())
}

/// Label -> canonical value lookup for one vocabulary.
#[derive(Debug, Clone, Default)]
pub struct LabelMap {
    values: Vec<String>,
    /// Position of each value.
    ids: HashMap<String, u32>,
    index: HashMap<String, u32>,
}

/// A label claimed by two canonical values in the config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelClash {
    pub label: String,
    pub first: String,
    pub second: String,
}

impl LabelMap {
    /// Starts from built-in terms; each term's id, display label and aliases all match it.
    pub fn from_terms(terms: &[Term]) -> Self {
        let mut map = Self::default();
        for t in terms {
            let i = map.push_value(t.id);
            map.index.entry(normalise_label(t.label)).or_insert(i);
            for a in t.aliases {
                map.index.entry(normalise_label(a)).or_insert(i);
            }
        }
        map
    }

    /// Adds a canonical value (if new); its id matches itself. Returns its index.
    pub fn push_value(&mut self, id: &str) -> u32 {
        if let Some(&i) = self.ids.get(id) {
            return i;
        }
        // A config cannot list four billion labels: it would not fit in memory first.
        let i = u32::try_from(self.values.len()).unwrap_or(u32::MAX);
        self.values.push(id.to_owned());
        self.ids.insert(id.to_owned(), i);
        self.index.insert(normalise_label(id), i);
        i
    }

    /// Adds config aliases for `id`. Config aliases override built-in ones, but two config
    /// values may not claim the same label.
    pub fn add_config_aliases(
        &mut self,
        id: &str,
        aliases: &[String],
        claimed: &mut HashMap<String, String>,
    ) -> Result<(), LabelClash> {
        let i = self.push_value(id);
        for a in aliases {
            let key = normalise_label(a);
            if let Some(prev) = claimed.get(&key)
                && prev != id
            {
                return Err(LabelClash {
                    label: a.clone(),
                    first: prev.clone(),
                    second: id.to_owned(),
                });
            }
            claimed.insert(key.clone(), id.to_owned());
            self.index.insert(key, i);
        }
        Ok(())
    }

    /// The canonical value for an export label, if known.
    pub fn lookup(&self, raw: &str) -> Option<&str> {
        self.lookup_index(raw)
            .map(|i| self.values[i as usize].as_str())
    }

    /// The index of an export label's value. A label of the form `Group: Specific` (the
    /// 2021 census wording of ethnic groups) that is not known whole is looked up as the
    /// group's first word with the specific part ("Asian, Asian British or Asian Welsh:
    /// Pakistani" as "asian pakistani"). The specific part alone is never used: "Hospital:
    /// Other" is not "Other", nor "Group: Online" an online call.
    pub fn lookup_index(&self, raw: &str) -> Option<u32> {
        let normal = normalise_label(raw);
        if let Some(&i) = self.index.get(&normal) {
            return Some(i);
        }
        // Clinical systems write census categories with their census: "Indian or British
        // Indian - ethnic category 2001 census".
        if let Some(term) = without_census(&normal) {
            if let Some(&i) = self.index.get(term) {
                return Some(i);
            }
            if let Some((head, _)) = raw.rsplit_once(" - ") {
                return self.lookup_index(head);
            }
        }
        let (group, specific) = raw.rsplit_once(':')?;
        let specific = normalise_label(specific);
        let group = normalise_label(group);
        let first = group.split(' ').next().unwrap_or("");
        if specific.is_empty() || first.is_empty() {
            return None;
        }
        self.index.get(&format!("{first} {specific}")).copied()
    }

    /// A lookup that remembers the labels it has seen, for reading a column of millions
    /// of cells holding a handful of distinct labels.
    pub fn cached(&self) -> CachedLabels<'_> {
        CachedLabels {
            map: self,
            seen: crate::fxhash::FxHashMap::default(),
        }
    }

    pub fn value(&self, index: u32) -> &str {
        &self.values[index as usize]
    }

    pub fn values(&self) -> &[String] {
        &self.values
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// A [`LabelMap`] lookup with a memory of raw labels already seen.
#[derive(Debug)]
pub struct CachedLabels<'a> {
    map: &'a LabelMap,
    seen: crate::fxhash::FxHashMap<Box<str>, Option<u32>>,
}

impl<'a> CachedLabels<'a> {
    /// Distinct raw labels remembered at most; beyond this (a free-text column mapped by
    /// mistake) lookups are simply not cached.
    const LIMIT: usize = 10_000;

    pub fn lookup_index(&mut self, raw: &str) -> Option<u32> {
        if let Some(hit) = self.seen.get(raw) {
            return *hit;
        }
        let found = self.map.lookup_index(raw);
        if self.seen.len() < Self::LIMIT {
            self.seen.insert(raw.into(), found);
        }
        found
    }

    pub fn value(&self, index: u32) -> &'a str {
        self.map.value(index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::{CONTACT_MODES, Vocabulary};

    #[test]
    fn normalisation_ignores_case_punctuation_and_spacing() {
        assert_eq!(normalise_label("  Face-to-Face "), "face to face");
        assert_eq!(normalise_label("face_to_face"), "face to face");
        assert_eq!(
            normalise_label("White: English/Welsh"),
            "white english welsh"
        );
        assert_eq!(normalise_label("Zoë  (Café)"), "zoë café");
        assert_eq!(normalise_label("---"), "");
    }

    #[test]
    fn built_in_and_config_aliases() {
        let mut map = LabelMap::from_terms(CONTACT_MODES);
        assert_eq!(map.lookup("F2F"), Some("face_to_face"));
        assert_eq!(map.lookup("Telephone"), Some("phone"));
        assert_eq!(map.lookup("phone"), Some("phone"));
        assert_eq!(map.lookup("carrier pigeon"), None);
        let mut claimed = HashMap::new();
        map.add_config_aliases("video", &["Attend Anywhere".into()], &mut claimed)
            .expect("ok");
        assert_eq!(map.lookup("attend anywhere"), Some("video"));
        let clash = map.add_config_aliases("phone", &["ATTEND ANYWHERE".into()], &mut claimed);
        assert!(clash.is_err());
    }

    #[test]
    fn census_2021_ethnic_group_wording_is_known() {
        let map = LabelMap::from_terms(crate::vocab::ethnicity::ETHNICITIES);
        let asian = "Asian, Asian British or Asian Welsh";
        let black = "Black, Black British, Black Welsh, Caribbean or African";
        let mixed = "Mixed or Multiple ethnic groups";
        for (label, want) in [
            (format!("{asian}: Bangladeshi"), "asian_bangladeshi"),
            (format!("{asian}: Chinese"), "asian_chinese"),
            (format!("{asian}: Indian"), "asian_indian"),
            (format!("{asian}: Pakistani"), "asian_pakistani"),
            (format!("{asian}: Other Asian"), "asian_other"),
            (
                format!("{asian}: Any other Asian background"),
                "asian_other",
            ),
            (format!("{black}: African"), "black_african"),
            (format!("{black}: Caribbean"), "black_caribbean"),
            (format!("{black}: Other Black"), "black_other"),
            (format!("{mixed}: White and Asian"), "mixed_white_asian"),
            (
                format!("{mixed}: White and Black African"),
                "mixed_white_black_african",
            ),
            (
                format!("{mixed}: White and Black Caribbean"),
                "mixed_white_black_caribbean",
            ),
            (
                format!("{mixed}: Other Mixed or Multiple ethnic groups"),
                "mixed_other",
            ),
            (
                "White: English, Welsh, Scottish, Northern Irish or British".to_owned(),
                "white_british",
            ),
            ("White: Irish".to_owned(), "white_irish"),
            (
                "White: Gypsy or Irish Traveller".to_owned(),
                "white_gypsy_traveller",
            ),
            ("White: Roma".to_owned(), "white_roma"),
            ("White: Other White".to_owned(), "white_other"),
            ("Other ethnic group: Arab".to_owned(), "other_arab"),
            (
                "Other ethnic group: Any other ethnic group".to_owned(),
                "other_any",
            ),
        ] {
            let first = label
                .split([',', ':', ' '])
                .next()
                .unwrap_or("")
                .to_lowercase();
            let specific = label.rsplit_once(':').map_or("", |x| x.1);
            assert_eq!(
                map.lookup(&label),
                Some(want),
                "{label}: {first} {}",
                normalise_label(specific)
            );
        }
        assert_eq!(map.lookup("Asian: Martian"), None);
        // The specific part alone never decides.
        assert_eq!(
            map.lookup("Asian or Asian British: Other"),
            Some("asian_other")
        );
        assert_eq!(
            map.lookup("Black or Black British: Other"),
            Some("black_other")
        );
        assert_eq!(map.lookup("Martian: Pakistani"), None);
        let modes = LabelMap::from_terms(CONTACT_MODES);
        assert_eq!(modes.lookup("Group: Online"), None);
        assert_eq!(modes.lookup("Group: Face to face"), None);
        assert_eq!(map.lookup("Asian:"), Some("group_asian"));
    }

    #[test]
    fn census_categories_as_clinical_systems_write_them_are_known() {
        let map = LabelMap::from_terms(crate::vocab::ethnicity::ETHNICITIES);
        for (label, want) in [
            (
                "Indian or British Indian - ethnic category 2001 census",
                "asian_indian",
            ),
            (
                "White British - ethnic category 2001 census",
                "white_british",
            ),
            (
                "White: English or Welsh or Scottish or Northern Irish or British - England and Wales ethnic category 2011 census",
                "white_british",
            ),
            (
                "Asian or Asian British: Pakistani - England and Wales ethnic category 2011 census",
                "asian_pakistani",
            ),
            (
                "Asian, Asian British or Asian Welsh: Indian - ethnic category 2021 census",
                "asian_indian",
            ),
            (
                "Black, Black British, Black Welsh, Caribbean or African: African - England and Wales ethnic category 2021 census",
                "black_african",
            ),
            ("White: Roma - ethnic category 2021 census", "white_roma"),
        ] {
            assert_eq!(map.lookup(label), Some(want), "{label}");
        }
        // The census alone is not an ethnic group.
        assert_eq!(map.lookup("ethnic category 2021 census"), None);
    }

    #[test]
    fn every_vocabulary_is_unambiguous() {
        for v in Vocabulary::ALL {
            let mut seen: HashMap<String, &str> = HashMap::new();
            for t in v.terms() {
                for a in t.aliases.iter().chain([&t.id, &t.label]) {
                    let k = normalise_label(a);
                    if let Some(prev) = seen.insert(k.clone(), t.id) {
                        assert_eq!(
                            prev,
                            t.id,
                            "{}: `{k}` claimed by {prev} and {}",
                            v.name(),
                            t.id
                        );
                    }
                }
            }
        }
    }
}
