//! The built-in drug dictionary, as data: molecules (class, OME factors, patch
//! conversions, plausibility ceilings) and products (generic and UK brand names).
//!
//! OME factors and patch conversions: `shared/spec/domain.md` (UK practice, as in the
//! Faculty of Pain Medicine's Opioids Aware tables). Patches: mg OME/day = mcg/h x 2.4,
//! except the listed strengths, which use the published table (fentanyl "12" is really
//! 12.5 mcg/h, so 12 -> 30, not 28.8).
//!
//! Plausibility ceilings (a dose above one is `impossible_dose`, taken as an entry error
//! such as mg recorded as tablets or a slipped decimal point): twice the BNF maximum adult
//! daily dose where the BNF gives one (codeine and dihydrocodeine 240 mg, tramadol 400 mg,
//! tapentadol 600 mg, buprenorphine sublingual 24 mg, 7-day buprenorphine patches 40 mcg/h,
//! 3-4-day patches 140 mcg/h, gabapentin 3,600 mg, pregabalin 600 mg). Strong opioids that
//! are titrated without a maximum (morphine, oxycodone, hydromorphone, fentanyl) are capped
//! only by [`MAX_LINE_OME_MG_PER_DAY`](super::MAX_LINE_OME_MG_PER_DAY), which applies to
//! every line.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::normalise::{normalise_drug_name, parse_name};
use super::{DrugClass, Route};
use DrugClass::{Gabapentinoid, Opioid};

/// A molecule and how its doses convert.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Molecule {
    pub id: String,
    pub class: DrugClass,
    /// mg OME per mg taken by mouth.
    pub oral_ome_factor: Option<f64>,
    /// mg OME per mg taken sublingually.
    pub sublingual_ome_factor: Option<f64>,
    /// Patch rate (mcg/h) to mg OME per day.
    pub patch: Option<PatchConversion>,
    /// Plausibility ceiling for oral and sublingual doses, mg of the molecule per day.
    pub max_mg_per_day: Option<f64>,
    /// Plausibility ceiling for patches, mcg/h.
    pub max_mcg_per_hour: Option<f64>,
    /// WHO defined daily dose, mg (gabapentinoids).
    pub ddd_mg: Option<f64>,
}

/// Patch rate to mg OME per day: the published table where the rate is listed, otherwise
/// `mg_per_day_per_mcg_per_hour` x rate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PatchConversion {
    pub mg_per_day_per_mcg_per_hour: f64,
    /// (mcg/h, mg OME/day) pairs as published.
    pub table: Vec<(f64, f64)>,
}

impl PatchConversion {
    pub fn ome_mg_per_day(&self, mcg_per_hour: f64) -> f64 {
        self.table
            .iter()
            .find(|(rate, _)| (rate - mcg_per_hour).abs() < 1e-9)
            .map_or(
                mcg_per_hour * self.mg_per_day_per_mcg_per_hour,
                |(_, ome)| *ome,
            )
    }
}

/// A product: a name (and its aliases) for a molecule, with the route and any strength per
/// unit that the name fixes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Product {
    /// Display name, e.g. "co-codamol 30/500".
    pub name: String,
    /// Names as written in exports (normalised when indexed).
    pub aliases: Vec<String>,
    pub molecule: String,
    /// `None` when the route follows the unit (generic buprenorphine: mg is sublingual,
    /// mcg/h a patch).
    pub route: Option<Route>,
    /// Molecule mg per tablet or capsule; for combination products the opioid part
    /// (co-codamol 30/500: 30 mg codeine).
    pub mg_per_unit: Option<f64>,
    /// Patch strength when the name fixes one.
    pub mcg_per_hour: Option<f64>,
    /// A combination family ("co-codamol"): a strength written in the name must be one of
    /// the dictionary's products.
    pub combination: bool,
    /// Product-specific patch ceiling (7-day vs 3-4-day buprenorphine patches).
    pub max_mcg_per_hour: Option<f64>,
    /// Wear time note for patches ("7-day", "3-4-day"), for reports.
    pub wear: Option<String>,
}

type PatchDef = (f64, &'static [(f64, f64)]);

struct MoleculeDef {
    id: &'static str,
    class: DrugClass,
    oral: Option<f64>,
    sublingual: Option<f64>,
    patch: Option<PatchDef>,
    max_mg_per_day: Option<f64>,
    max_mcg_per_hour: Option<f64>,
    ddd_mg: Option<f64>,
}

const MOLECULE: MoleculeDef = MoleculeDef {
    id: "",
    class: Opioid,
    oral: None,
    sublingual: None,
    patch: None,
    max_mg_per_day: None,
    max_mcg_per_hour: None,
    ddd_mg: None,
};

const FENTANYL_TABLE: &[(f64, f64)] = &[
    (12.0, 30.0),
    (25.0, 60.0),
    (50.0, 120.0),
    (75.0, 180.0),
    (100.0, 240.0),
];

const BUPRENORPHINE_TABLE: &[(f64, f64)] = &[
    (5.0, 12.0),
    (10.0, 24.0),
    (15.0, 36.0),
    (20.0, 48.0),
    (35.0, 84.0),
    (52.5, 126.0),
    (70.0, 168.0),
];

#[rustfmt::skip]
const MOLECULES: &[MoleculeDef] = &[
    MoleculeDef { id: "codeine", oral: Some(0.1), max_mg_per_day: Some(480.0), ..MOLECULE },
    MoleculeDef { id: "dihydrocodeine", oral: Some(0.1), max_mg_per_day: Some(480.0), ..MOLECULE },
    MoleculeDef { id: "tramadol", oral: Some(0.1), max_mg_per_day: Some(800.0), ..MOLECULE },
    MoleculeDef { id: "tapentadol", oral: Some(0.4), max_mg_per_day: Some(1200.0), ..MOLECULE },
    MoleculeDef { id: "morphine", oral: Some(1.0), ..MOLECULE },
    MoleculeDef { id: "oxycodone", oral: Some(1.5), ..MOLECULE },
    MoleculeDef { id: "hydromorphone", oral: Some(5.0), ..MOLECULE },
    MoleculeDef {
        id: "buprenorphine",
        sublingual: Some(40.0),
        patch: Some((2.4, BUPRENORPHINE_TABLE)),
        max_mg_per_day: Some(48.0),
        max_mcg_per_hour: Some(280.0),
        ..MOLECULE
    },
    MoleculeDef { id: "fentanyl", patch: Some((2.4, FENTANYL_TABLE)), ..MOLECULE },
    MoleculeDef {
        id: "gabapentin",
        class: Gabapentinoid,
        oral: Some(0.0),
        max_mg_per_day: Some(7200.0),
        ddd_mg: Some(super::WHO_DDD_GABAPENTIN_MG),
        ..MOLECULE
    },
    MoleculeDef {
        id: "pregabalin",
        class: Gabapentinoid,
        oral: Some(0.0),
        max_mg_per_day: Some(1200.0),
        ddd_mg: Some(super::WHO_DDD_PREGABALIN_MG),
        ..MOLECULE
    },
];

struct ProductDef {
    name: &'static str,
    aliases: &'static [&'static str],
    molecule: &'static str,
    route: Option<Route>,
    mg_per_unit: Option<f64>,
    combination: bool,
    max_mcg_per_hour: Option<f64>,
    wear: Option<&'static str>,
}

const ORAL: ProductDef = ProductDef {
    name: "",
    aliases: &[],
    molecule: "",
    route: Some(Route::Oral),
    mg_per_unit: None,
    combination: false,
    max_mcg_per_hour: None,
    wear: None,
};
const PATCH: ProductDef = ProductDef {
    route: Some(Route::Transdermal),
    ..ORAL
};
const SUBLINGUAL: ProductDef = ProductDef {
    route: Some(Route::Sublingual),
    ..ORAL
};

const fn combo(name: &'static str, molecule: &'static str, mg: f64) -> ProductDef {
    ProductDef {
        name,
        aliases: &[],
        molecule,
        mg_per_unit: Some(mg),
        combination: true,
        ..ORAL
    }
}

/// A combination family with no strength of its own ("co-codamol").
const fn family(name: &'static str, molecule: &'static str) -> ProductDef {
    ProductDef {
        name,
        aliases: &[],
        molecule,
        combination: true,
        ..ORAL
    }
}

#[rustfmt::skip]
const PRODUCTS: &[ProductDef] = &[
    // Codeine and co-codamol (codeine / paracetamol mg).
    ProductDef { name: "codeine", aliases: &["codeine"], molecule: "codeine", ..ORAL },
    ProductDef { aliases: &["cocodamol", "paracetamol codeine", "codeine paracetamol"], ..family("co-codamol", "codeine") },
    ProductDef { aliases: &["solpadeine plus", "paracodol"], ..combo("co-codamol 8/500", "codeine", 8.0) },
    ProductDef { aliases: &["solpadeine max"], ..combo("co-codamol 12.8/500", "codeine", 12.8) },
    ProductDef { aliases: &["codipar"], ..combo("co-codamol 15/500", "codeine", 15.0) },
    ProductDef { aliases: &["zapain", "solpadol", "tylex", "kapake"], ..combo("co-codamol 30/500", "codeine", 30.0) },
    // Dihydrocodeine and co-dydramol (dihydrocodeine / paracetamol mg).
    ProductDef { name: "dihydrocodeine", aliases: &["dihydrocodeine", "dhc continus", "dhc"], molecule: "dihydrocodeine", ..ORAL },
    ProductDef { name: "DF118 Forte", aliases: &["df118 forte", "df118", "df 118 forte"], molecule: "dihydrocodeine", mg_per_unit: Some(40.0), ..ORAL },
    ProductDef { aliases: &["codydramol", "paracetamol dihydrocodeine", "dihydrocodeine paracetamol"], ..family("co-dydramol", "dihydrocodeine") },
    combo("co-dydramol 10/500", "dihydrocodeine", 10.0),
    combo("co-dydramol 20/500", "dihydrocodeine", 20.0),
    combo("co-dydramol 30/500", "dihydrocodeine", 30.0),
    // Tramadol and tapentadol.
    ProductDef { name: "tramadol", aliases: &["tramadol", "zydol", "zamadol", "tramulief", "maxitram", "marol"], molecule: "tramadol", ..ORAL },
    ProductDef { aliases: &["tramacet", "tramadol paracetamol 37.5/325"], ..combo("Tramacet (tramadol 37.5/paracetamol 325)", "tramadol", 37.5) },
    ProductDef { name: "tapentadol", aliases: &["tapentadol", "palexia"], molecule: "tapentadol", ..ORAL },
    // Strong oral opioids.
    ProductDef { name: "morphine", aliases: &["morphine", "oramorph", "sevredol", "mst continus", "mst", "zomorph", "morphgesic", "filnarine"], molecule: "morphine", ..ORAL },
    ProductDef { name: "oxycodone", aliases: &["oxycodone", "oxycontin", "oxynorm", "shortec", "longtec"], molecule: "oxycodone", ..ORAL },
    ProductDef { name: "hydromorphone", aliases: &["hydromorphone", "palladone"], molecule: "hydromorphone", ..ORAL },
    // Buprenorphine: route follows the unit for the generic name.
    ProductDef { name: "buprenorphine", aliases: &["buprenorphine"], molecule: "buprenorphine", route: None, ..ORAL },
    ProductDef { name: "Temgesic (buprenorphine 200 mcg)", aliases: &["temgesic"], molecule: "buprenorphine", mg_per_unit: Some(0.2), ..SUBLINGUAL },
    ProductDef { name: "Subutex (buprenorphine)", aliases: &["subutex"], molecule: "buprenorphine", ..SUBLINGUAL },
    ProductDef { name: "buprenorphine 7-day patch", aliases: &["butrans", "butec", "reletrans", "sevodyne"], molecule: "buprenorphine", max_mcg_per_hour: Some(80.0), wear: Some("7-day"), ..PATCH },
    ProductDef { name: "buprenorphine 3-4-day patch", aliases: &["transtec", "hapoctasin"], molecule: "buprenorphine", max_mcg_per_hour: Some(280.0), wear: Some("3-4-day"), ..PATCH },
    // Fentanyl patches.
    ProductDef { name: "fentanyl patch", aliases: &["fentanyl", "durogesic", "durogesic dtrans", "matrifen", "mezolar", "fencino", "victanyl"], molecule: "fentanyl", wear: Some("3-day"), ..PATCH },
    // Gabapentinoids.
    ProductDef { name: "gabapentin", aliases: &["gabapentin", "neurontin"], molecule: "gabapentin", ..ORAL },
    ProductDef { name: "pregabalin", aliases: &["pregabalin", "lyrica", "alzain", "axalid", "lecaent"], molecule: "pregabalin", ..ORAL },
];

/// Labels meaning "this client takes no pain medication" (matched after normalisation).
/// Deliberately excludes "n/a", "unknown" and blanks, which mean "not recorded".
pub(crate) const NO_MEDICATION_LABELS: &[&str] = &[
    "none",
    "nil",
    "no pain medication",
    "no pain medications",
    "no medication",
    "no medications",
    "no analgesia",
    "no analgesics",
    "no painkillers",
    "none taken",
    "not taking pain medication",
];

/// Molecules, products and "no pain medication" labels, indexed by normalised name.
#[derive(Debug, Clone, PartialEq)]
pub struct DrugDictionary {
    pub(crate) molecules: Vec<Molecule>,
    pub(crate) products: Vec<Product>,
    /// Product key (name words plus any strength) -> product index.
    pub(crate) index: HashMap<String, usize>,
    pub(crate) no_medication: HashSet<String>,
}

impl DrugDictionary {
    /// The built-in dictionary.
    pub fn builtin() -> Self {
        let molecules = MOLECULES.iter().map(to_molecule).collect();
        let products = PRODUCTS.iter().map(to_product).collect();
        let mut dictionary = DrugDictionary {
            molecules,
            products,
            index: HashMap::new(),
            no_medication: NO_MEDICATION_LABELS
                .iter()
                .map(|l| normalise_drug_name(l))
                .collect(),
        };
        dictionary.reindex();
        dictionary
    }

    pub fn molecules(&self) -> &[Molecule] {
        &self.molecules
    }

    pub fn products(&self) -> &[Product] {
        &self.products
    }

    pub fn molecule(&self, id: &str) -> Option<&Molecule> {
        let id = id.trim().to_lowercase();
        self.molecules.iter().find(|m| m.id == id)
    }

    /// True for a "no pain medication" label.
    pub fn is_no_medication(&self, drug: &str) -> bool {
        self.no_medication.contains(&normalise_drug_name(drug))
    }

    /// The product a drug name refers to, if any (strength checks happen in
    /// [`DrugDictionary::daily_amount`]).
    pub fn product(&self, drug: &str) -> Option<&Product> {
        let parsed = parse_name(&normalise_drug_name(drug));
        self.find(&parsed.with_strength)
            .or_else(|| self.find_by_words(&parsed.words))
    }

    pub(crate) fn find(&self, key: &str) -> Option<&Product> {
        self.index.get(key).and_then(|&i| self.products.get(i))
    }

    /// The product named by `words`: an exact name, else a name found as a run of words
    /// inside them ("tramadol zydol" from "Tramadol 50mg (Zydol)"). Several names found
    /// must agree on the molecule, and one must be the most specific (a fixed route, then
    /// a fixed strength: "buprenorphine butrans" is BuTrans); otherwise there is no match.
    pub(crate) fn find_by_words(&self, words: &str) -> Option<&Product> {
        if let Some(product) = self.find(words) {
            return Some(product);
        }
        let name: Vec<&str> = words.split(' ').filter(|w| !w.is_empty()).collect();
        let mut found: Vec<usize> = self
            .index
            .iter()
            .filter(|(key, _)| {
                let key: Vec<&str> = key.split(' ').collect();
                !key.is_empty() && name.windows(key.len()).any(|run| run == key.as_slice())
            })
            .map(|(_, &i)| i)
            .collect();
        found.sort_unstable();
        found.dedup();
        let products: Vec<&Product> = found.iter().filter_map(|&i| self.products.get(i)).collect();
        let first = products.first()?;
        if products.iter().any(|p| p.molecule != first.molecule) {
            return None;
        }
        let specificity = |p: &Product| {
            u8::from(p.route.is_some()) * 2
                + u8::from(p.mg_per_unit.is_some() || p.mcg_per_hour.is_some())
        };
        let best = products.iter().map(|p| specificity(p)).max()?;
        let mut top = products.into_iter().filter(|p| specificity(p) == best);
        match (top.next(), top.next()) {
            (Some(product), None) => Some(product),
            _ => None,
        }
    }

    /// Rebuild the name index. Aliases first, later products winning, so config entries
    /// override built-ins; then display names, which never displace an alias (the display
    /// name "buprenorphine 7-day patch" must not take the generic "buprenorphine").
    pub(crate) fn reindex(&mut self) {
        self.index.clear();
        for (i, product) in self.products.iter().enumerate() {
            for alias in &product.aliases {
                let key = product_key(alias);
                if !key.is_empty() {
                    self.index.insert(key, i);
                }
            }
        }
        for (i, product) in self.products.iter().enumerate() {
            let key = product_key(&product.name);
            if !key.is_empty() {
                self.index.entry(key).or_insert(i);
            }
        }
    }
}

/// The index key of a product name: its words and strength, without salts or route words.
pub(crate) fn product_key(name: &str) -> String {
    parse_name(&normalise_drug_name(name)).with_strength
}

fn to_molecule(def: &MoleculeDef) -> Molecule {
    Molecule {
        id: def.id.to_string(),
        class: def.class,
        oral_ome_factor: def.oral,
        sublingual_ome_factor: def.sublingual,
        patch: def.patch.map(|(factor, table)| PatchConversion {
            mg_per_day_per_mcg_per_hour: factor,
            table: table.to_vec(),
        }),
        max_mg_per_day: def.max_mg_per_day,
        max_mcg_per_hour: def.max_mcg_per_hour,
        ddd_mg: def.ddd_mg,
    }
}

fn to_product(def: &ProductDef) -> Product {
    Product {
        name: def.name.to_string(),
        aliases: def.aliases.iter().map(|a| (*a).to_string()).collect(),
        molecule: def.molecule.to_string(),
        route: def.route,
        mg_per_unit: def.mg_per_unit,
        mcg_per_hour: None,
        combination: def.combination,
        max_mcg_per_hour: def.max_mcg_per_hour,
        wear: def.wear.map(str::to_string),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_product_names_a_known_molecule_with_a_usable_route() {
        let dictionary = DrugDictionary::builtin();
        for product in dictionary.products() {
            let molecule = dictionary.molecule(&product.molecule).unwrap();
            let usable = match product.route {
                Some(Route::Oral) => molecule.oral_ome_factor.is_some(),
                Some(Route::Sublingual) => molecule.sublingual_ome_factor.is_some(),
                Some(Route::Transdermal) => molecule.patch.is_some(),
                None => true,
            };
            assert!(usable, "{}", product.name);
            assert!(!product.name.is_empty());
        }
    }

    #[test]
    fn no_two_products_share_an_alias() {
        let dictionary = DrugDictionary::builtin();
        let mut keys: Vec<String> = dictionary
            .products()
            .iter()
            .flat_map(|p| p.aliases.iter().map(|a| product_key(a)))
            .collect();
        let n = keys.len();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), n);
        // Every display name finds its own product.
        for product in dictionary.products() {
            assert_eq!(
                dictionary.product(&product.name).map(|p| &p.molecule),
                Some(&product.molecule)
            );
        }
    }

    #[test]
    fn brand_names_find_their_products() {
        let dictionary = DrugDictionary::builtin();
        for (name, product) in [
            ("Zapain", "co-codamol 30/500"),
            ("Co-Codamol 30/500mg tablets", "co-codamol 30/500"),
            ("co-dydramol 20/500", "co-dydramol 20/500"),
            ("OxyContin 20mg", "oxycodone"),
            ("MST Continus 30 mg", "morphine"),
            ("DF118 Forte", "DF118 Forte"),
            ("BuTrans 10", "buprenorphine 7-day patch"),
            ("Transtec 35", "buprenorphine 3-4-day patch"),
            ("Matrifen 25 micrograms/hour", "fentanyl patch"),
            ("Lyrica 75mg capsules", "pregabalin"),
            ("Neurontin", "gabapentin"),
            ("Morphine sulfate oral solution", "morphine"),
            ("Oramorph 10mg/5ml oral solution", "morphine"),
            ("Tramadol 50mg (Zydol)", "tramadol"),
            ("Buprenorphine patch (BuTrans)", "buprenorphine 7-day patch"),
            ("Co-codamol (Zapain)", "co-codamol 30/500"),
            ("BuTrans 10 7-day patch", "buprenorphine 7-day patch"),
        ] {
            assert_eq!(dictionary.product(name).unwrap().name, product, "{name}");
        }
        assert!(dictionary.product("paracetamol").is_none());
        // Names of different molecules together are ambiguous.
        assert!(dictionary.product("morphine or oxycodone").is_none());
        assert!(dictionary.is_no_medication("No pain medication"));
        assert!(dictionary.is_no_medication("NIL"));
        assert!(!dictionary.is_no_medication("n/a"));
    }

    #[test]
    fn patch_conversion_uses_the_table_then_the_factor() {
        let dictionary = DrugDictionary::builtin();
        let fentanyl = dictionary
            .molecule("fentanyl")
            .unwrap()
            .patch
            .clone()
            .unwrap();
        assert_eq!(fentanyl.ome_mg_per_day(12.0), 30.0);
        assert_eq!(fentanyl.ome_mg_per_day(25.0), 60.0);
        assert_eq!(fentanyl.ome_mg_per_day(37.5), 90.0);
    }
}
