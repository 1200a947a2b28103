//! `[medications]` config: extra drugs and "no pain medication" labels.
//!
//! ```toml
//! [medications]
//! no_medication_labels = ["not on painkillers"]   # added to the built-in list
//!
//! [[medications.drugs]]                           # a new product of a known molecule
//! name = "Co-codamol 10/500"
//! molecule = "codeine"
//! mg_per_unit = 10                                # opioid mg per tablet
//!
//! [[medications.drugs]]                           # a new molecule
//! name = "Meptazinol"
//! aliases = ["Meptid"]
//! molecule = "meptazinol"
//! class = "opioid"
//! ome_factor = 0.02                               # mg OME per oral mg
//! max_mg_per_day = 3200                           # plausibility ceiling
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

use super::dictionary::{DrugDictionary, Molecule, PatchConversion, Product, product_key};
use super::normalise::normalise_drug_name;
use super::{DrugClass, Route};

/// The `[medications]` table's dictionary keys. A caller whose `[medications]` table has
/// other keys can deserialise [`DrugConfig`] and the labels itself and call
/// [`DrugDictionary::with_drugs`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MedicationConfig {
    #[serde(default)]
    pub drugs: Vec<DrugConfig>,
    /// Extra labels meaning "no pain medication", added to the built-in ones.
    #[serde(default)]
    pub no_medication_labels: Vec<String>,
}

/// One `[[medications.drugs]]` entry: a product name (and aliases) for a built-in
/// molecule, or a new molecule with its class and OME factor.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DrugConfig {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// A built-in molecule (`codeine`, `oxycodone`, ...) or a new one.
    pub molecule: String,
    /// Required for a new molecule: `"opioid"` or `"gabapentinoid"`.
    pub class: Option<DrugClass>,
    /// `"oral"` (default for molecules taken by mouth), `"sublingual"`, `"transdermal"`.
    pub route: Option<Route>,
    /// New opioid molecule: mg OME per mg taken (by `route`).
    pub ome_factor: Option<f64>,
    /// New patch molecule: mg OME per day per mcg/h.
    pub patch_ome_factor: Option<f64>,
    /// Molecule mg per tablet or capsule (the opioid part of a combination product).
    #[serde(alias = "opioid_mg_per_unit")]
    pub mg_per_unit: Option<f64>,
    /// Patch strength, mcg/h.
    pub mcg_per_hour: Option<f64>,
    /// New molecule: plausibility ceiling, mg per day.
    pub max_mg_per_day: Option<f64>,
    /// Plausibility ceiling for this patch product (or a new patch molecule), mcg/h.
    pub max_mcg_per_hour: Option<f64>,
    /// New gabapentinoid: WHO defined daily dose, mg.
    pub ddd_mg: Option<f64>,
}

/// A `[medications]` entry that cannot be used: which entry, which key, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct DrugConfigError {
    /// 0-based position in `[[medications.drugs]]` (or in `no_medication_labels`).
    pub index: usize,
    /// `drugs` or `no_medication_labels`.
    pub list: &'static str,
    pub key: &'static str,
    pub reason: String,
}

impl fmt::Display for DrugConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.list {
            "drugs" => write!(
                f,
                "[[medications.drugs]] entry {}, key `{}`: {}",
                self.index + 1,
                self.key,
                self.reason
            ),
            _ => write!(
                f,
                "medications.{} item {}: {}",
                self.list,
                self.index + 1,
                self.reason
            ),
        }
    }
}

impl std::error::Error for DrugConfigError {}

type Fail = (&'static str, String);

fn fail<T>(key: &'static str, reason: impl Into<String>) -> Result<T, Fail> {
    Err((key, reason.into()))
}

fn positive(key: &'static str, value: Option<f64>) -> Result<(), Fail> {
    match value {
        Some(v) if !v.is_finite() || v <= 0.0 => fail(key, "must be a number above 0"),
        _ => Ok(()),
    }
}

impl DrugDictionary {
    /// The built-in dictionary extended by a programme's `[medications]` config.
    pub fn with_config(config: &MedicationConfig) -> Result<Self, DrugConfigError> {
        Self::with_drugs(&config.drugs, &config.no_medication_labels)
    }

    /// The built-in dictionary extended by config drugs (which win over built-in names)
    /// and extra "no pain medication" labels.
    pub fn with_drugs(
        drugs: &[DrugConfig],
        no_medication_labels: &[String],
    ) -> Result<Self, DrugConfigError> {
        let mut dictionary = DrugDictionary::builtin();
        for (index, label) in no_medication_labels.iter().enumerate() {
            let key = normalise_drug_name(label);
            let error = |reason: &str| DrugConfigError {
                index,
                list: "no_medication_labels",
                key: "no_medication_labels",
                reason: reason.to_string(),
            };
            if key.is_empty() {
                return Err(error("the label is empty"));
            }
            if dictionary.product(label).is_some() {
                return Err(error("the label names a drug in the dictionary"));
            }
            dictionary.no_medication.insert(key);
        }
        for (index, drug) in drugs.iter().enumerate() {
            dictionary
                .add_drug(drug)
                .map_err(|(key, reason)| DrugConfigError {
                    index,
                    list: "drugs",
                    key,
                    reason,
                })?;
        }
        dictionary.reindex();
        Ok(dictionary)
    }

    fn add_drug(&mut self, drug: &DrugConfig) -> Result<(), Fail> {
        let names = std::iter::once(&drug.name).chain(&drug.aliases);
        for name in names {
            if product_key(name).is_empty() {
                return fail("name", "a name or alias is empty");
            }
            if self.no_medication.contains(&normalise_drug_name(name)) {
                return fail("name", "a name or alias is a \"no pain medication\" label");
            }
        }
        let molecule_id = drug.molecule.trim().to_lowercase();
        if molecule_id.is_empty() {
            return fail("molecule", "is empty");
        }
        for (key, value) in [
            ("ome_factor", drug.ome_factor),
            ("patch_ome_factor", drug.patch_ome_factor),
            ("mg_per_unit", drug.mg_per_unit),
            ("mcg_per_hour", drug.mcg_per_hour),
            ("max_mg_per_day", drug.max_mg_per_day),
            ("max_mcg_per_hour", drug.max_mcg_per_hour),
            ("ddd_mg", drug.ddd_mg),
        ] {
            positive(key, value)?;
        }
        let molecule = match self.molecule(&molecule_id) {
            Some(known) => {
                check_known_molecule(drug, known)?;
                known.clone()
            }
            None => {
                let molecule = new_molecule(drug, molecule_id)?;
                self.molecules.push(molecule.clone());
                molecule
            }
        };
        let route = match drug.route {
            Some(route) => route,
            None if molecule.oral_ome_factor.is_some() => Route::Oral,
            None if molecule.sublingual_ome_factor.is_some() => Route::Sublingual,
            None => Route::Transdermal,
        };
        let available = match route {
            Route::Oral => molecule.oral_ome_factor.is_some(),
            Route::Sublingual => molecule.sublingual_ome_factor.is_some(),
            Route::Transdermal => molecule.patch.is_some(),
        };
        if !available {
            return fail(
                "route",
                format!("{} has no {} form", molecule.id, route.as_str()),
            );
        }
        let patch = route == Route::Transdermal;
        if patch && drug.mg_per_unit.is_some() {
            return fail("mg_per_unit", "a patch has a strength in mcg_per_hour");
        }
        if !patch && drug.mcg_per_hour.is_some() {
            return fail("mcg_per_hour", "applies only to patches");
        }
        self.products.push(Product {
            name: drug.name.trim().to_string(),
            aliases: drug.aliases.clone(),
            molecule: molecule.id,
            route: Some(route),
            mg_per_unit: drug.mg_per_unit,
            mcg_per_hour: drug.mcg_per_hour,
            combination: false,
            max_mcg_per_hour: drug.max_mcg_per_hour,
            wear: None,
        });
        Ok(())
    }
}

fn check_known_molecule(drug: &DrugConfig, known: &Molecule) -> Result<(), Fail> {
    if drug.class.is_some_and(|class| class != known.class) {
        return fail(
            "class",
            format!("{} is built in with another class", known.id),
        );
    }
    for (key, set) in [
        ("ome_factor", drug.ome_factor.is_some()),
        ("patch_ome_factor", drug.patch_ome_factor.is_some()),
        ("max_mg_per_day", drug.max_mg_per_day.is_some()),
        ("ddd_mg", drug.ddd_mg.is_some()),
    ] {
        if set {
            return fail(
                key,
                format!(
                    "applies only to a new molecule; {} is built in and keeps its own",
                    known.id
                ),
            );
        }
    }
    Ok(())
}

fn new_molecule(drug: &DrugConfig, id: String) -> Result<Molecule, Fail> {
    let Some(class) = drug.class else {
        return fail(
            "class",
            format!(
                "`{id}` is not a built-in molecule: give class = \"opioid\" or \"gabapentinoid\""
            ),
        );
    };
    let route = drug.route.unwrap_or(if drug.patch_ome_factor.is_some() {
        Route::Transdermal
    } else {
        Route::Oral
    });
    if drug.ome_factor.is_some_and(|f| f > 1000.0) {
        return fail("ome_factor", "is implausibly large (above 1000)");
    }
    let by_mouth = match (class, route) {
        (DrugClass::Gabapentinoid, _) if drug.ome_factor.is_some() => {
            return fail("ome_factor", "a gabapentinoid has no OME factor");
        }
        (DrugClass::Gabapentinoid, Route::Transdermal) => {
            return fail("route", "gabapentinoids are taken by mouth");
        }
        (DrugClass::Gabapentinoid, _) => Some(0.0),
        (DrugClass::Opioid, Route::Transdermal) => None,
        (DrugClass::Opioid, _) => match drug.ome_factor {
            Some(factor) => Some(factor),
            None => {
                return fail(
                    "ome_factor",
                    format!("a new opioid `{id}` needs ome_factor"),
                );
            }
        },
    };
    if class == DrugClass::Opioid && route == Route::Transdermal && drug.patch_ome_factor.is_none()
    {
        return fail(
            "patch_ome_factor",
            format!("a new patch opioid `{id}` needs patch_ome_factor"),
        );
    }
    Ok(Molecule {
        id,
        class,
        oral_ome_factor: by_mouth.filter(|_| route == Route::Oral),
        sublingual_ome_factor: by_mouth.filter(|_| route == Route::Sublingual),
        patch: drug.patch_ome_factor.map(|factor| PatchConversion {
            mg_per_day_per_mcg_per_hour: factor,
            table: Vec::new(),
        }),
        max_mg_per_day: drug.max_mg_per_day,
        max_mcg_per_hour: drug.max_mcg_per_hour,
        ddd_mg: drug.ddd_mg,
    })
}
