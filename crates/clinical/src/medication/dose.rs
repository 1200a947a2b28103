//! One medication line to a daily amount: OME mg/day or gabapentinoid mg/day.

use super::dictionary::{DrugDictionary, Molecule, Product};
use super::normalise::{
    DoseUnit, NameStrength, ParsedName, normalise_drug_name, parse_name, parse_route, parse_unit,
};
use super::{
    DailyAmount, DrugClass, MAX_LINE_OME_MG_PER_DAY, MedicationLine, MedicationProblem,
    MedicationProblemKind, Route,
};

const TOLERANCE: f64 = 1e-9;

fn unknown(message: impl Into<String>) -> MedicationProblem {
    MedicationProblem::new(MedicationProblemKind::UnknownDrug, message)
}

fn impossible(message: impl Into<String>) -> MedicationProblem {
    MedicationProblem::new(MedicationProblemKind::ImpossibleDose, message)
}

fn mismatch(message: impl Into<String>) -> MedicationProblem {
    MedicationProblem::new(MedicationProblemKind::UnitMismatch, message)
}

/// Remove floating-point noise (240 x 0.1 = 24.000000000000004) from computed doses.
fn round6(value: f64) -> f64 {
    (value * 1e6).round() / 1e6
}

impl DrugDictionary {
    /// The daily amount of one medication line.
    ///
    /// Units: `mg` (and `mcg`) are the molecule's amount per day, for combination products
    /// the opioid part; `tablets`/`capsules` are a count per day multiplied by the strength
    /// per unit (from the product, e.g. co-codamol 30/500 = 30 mg codeine, or from the
    /// name, e.g. "tramadol 50mg capsules"); `mcg/h` is a patch rate; `patches` a count of
    /// patches worn at once, multiplied by the strength in the name.
    ///
    /// The route comes from the product; generic buprenorphine is sublingual in mg and a
    /// patch in mcg/h. A `route` column (or a route word in the name) that contradicts a
    /// patch / non-patch product is a `unit_mismatch`; oral vs sublingual for a product
    /// taken by mouth is not, since exports use them loosely.
    ///
    /// A "no pain medication" label gives [`DailyAmount::no_medication`] whatever the dose.
    pub fn daily_amount(
        &self,
        line: &MedicationLine<'_>,
    ) -> Result<DailyAmount, MedicationProblem> {
        let key = normalise_drug_name(line.drug);
        if key.is_empty() {
            return Err(unknown(
                "the drug name is empty or has no letters or digits",
            ));
        }
        if self.no_medication.contains(&key) {
            return Ok(DailyAmount::no_medication());
        }
        let parsed = parse_name(&key);
        let product = self.resolve_product(&parsed)?;
        let molecule = self
            .molecule(&product.molecule)
            .ok_or_else(|| unknown(format!("molecule `{}` is not defined", product.molecule)))?;
        let unit = parse_unit(line.unit).ok_or_else(|| {
            mismatch("unit not recognised: use mg, mcg, tablets or capsules, mcg/h, or patches")
        })?;
        let line_route = match line.route.map(str::trim).filter(|r| !r.is_empty()) {
            Some(text) => Some(parse_route(text).ok_or_else(|| {
                mismatch("route not recognised: use oral, sublingual or transdermal")
            })?),
            None => None,
        };
        let dose = line.daily_dose;
        if !dose.is_finite() {
            return Err(impossible("the daily dose is not a number"));
        }
        if dose < 0.0 {
            return Err(impossible("the daily dose is negative"));
        }
        if dose == 0.0 {
            return Err(impossible(
                "a zero daily dose for a named drug; record the \"no pain medication\" label \
                 instead, or leave the line out",
            ));
        }
        let route = route_for(product, molecule, unit, line_route.or(parsed.route))?;
        match route {
            Route::Transdermal => patch_amount(product, molecule, unit, dose, parsed.strength),
            Route::Oral | Route::Sublingual => {
                oral_amount(product, molecule, route, unit, dose, parsed.strength)
            }
        }
    }

    /// The product a parsed name refers to, checking a strength written in the name
    /// against combination products.
    fn resolve_product(&self, parsed: &ParsedName) -> Result<&Product, MedicationProblem> {
        if let Some(product) = self.find(&parsed.with_strength) {
            return Ok(product);
        }
        let product = self.find_by_words(&parsed.words).ok_or_else(|| {
            unknown("drug name not in the dictionary; add it under [[medications.drugs]]")
        })?;
        if let (true, Some(NameStrength::Ratio(opioid_mg, _))) =
            (product.combination, parsed.strength)
        {
            match product.mg_per_unit {
                None => {
                    return Err(unknown(format!(
                        "this strength of {} is not in the dictionary; add it under \
                         [[medications.drugs]]",
                        product.name
                    )));
                }
                Some(mg) if (mg - opioid_mg).abs() > TOLERANCE => {
                    return Err(unknown(format!(
                        "the strength in the name does not match {}",
                        product.name
                    )));
                }
                Some(_) => {}
            }
        }
        Ok(product)
    }
}

fn route_for(
    product: &Product,
    molecule: &Molecule,
    unit: DoseUnit,
    hint: Option<Route>,
) -> Result<Route, MedicationProblem> {
    let patch_unit = matches!(unit, DoseUnit::McgPerHour | DoseUnit::Patches);
    match (product.route, hint) {
        (Some(route), Some(hint))
            if (route == Route::Transdermal) != (hint == Route::Transdermal) =>
        {
            Err(mismatch(format!(
                "{} is {}, but the line says {}",
                product.name,
                route.as_str(),
                hint.as_str()
            )))
        }
        (Some(route), _) => Ok(route),
        (None, Some(hint)) => Ok(hint),
        (None, None) if patch_unit => Ok(Route::Transdermal),
        (None, None) if molecule.oral_ome_factor.is_some() => Ok(Route::Oral),
        (None, None) if molecule.sublingual_ome_factor.is_some() => Ok(Route::Sublingual),
        (None, None) => Ok(Route::Transdermal),
    }
}

fn patch_amount(
    product: &Product,
    molecule: &Molecule,
    unit: DoseUnit,
    dose: f64,
    strength: Option<NameStrength>,
) -> Result<DailyAmount, MedicationProblem> {
    let per_patch = product.mcg_per_hour.or(match strength {
        Some(NameStrength::McgPerHour(rate) | NameStrength::Bare(rate)) if rate > 0.0 => Some(rate),
        _ => None,
    });
    let rate = match unit {
        DoseUnit::McgPerHour => {
            if per_patch.is_some_and(|one| dose < one - TOLERANCE) {
                return Err(mismatch(
                    "the dose in mcg/h is below the strength of one patch; record a patch \
                     count with unit \"patches\", or the rate in mcg/h",
                ));
            }
            dose
        }
        DoseUnit::Patches => {
            let one = per_patch.ok_or_else(|| {
                mismatch(
                    "a patch count needs the patch strength in the drug name (e.g. \"25 \
                     micrograms/hour\"); or record the rate in mcg/h",
                )
            })?;
            dose * one
        }
        DoseUnit::Mg | DoseUnit::Mcg | DoseUnit::Units | DoseUnit::Ml => {
            return Err(mismatch(format!(
                "{} is a patch: record its dose in mcg/h (or a patch count)",
                product.name
            )));
        }
    };
    let conversion = molecule.patch.as_ref().ok_or_else(|| {
        mismatch(format!(
            "{} has no patch form; record an oral dose in mg",
            molecule.id
        ))
    })?;
    if let Some(ceiling) = product.max_mcg_per_hour.or(molecule.max_mcg_per_hour)
        && rate > ceiling + TOLERANCE
    {
        return Err(impossible(format!(
            "above the plausibility ceiling of {ceiling} mcg/h for {} (twice the BNF \
                 maximum); check the unit",
            product.name
        )));
    }
    let ome = round6(conversion.ome_mg_per_day(rate));
    check_line_ome(ome)?;
    Ok(DailyAmount {
        product: Some(product.name.clone()),
        molecule: Some(molecule.id.clone()),
        class: Some(molecule.class),
        route: Some(Route::Transdermal),
        mg_per_day: None,
        mcg_per_hour: Some(rate),
        ome_mg_per_day: ome,
        gabapentinoid_mg_per_day: 0.0,
        ddd_fraction: None,
    })
}

fn oral_amount(
    product: &Product,
    molecule: &Molecule,
    route: Route,
    unit: DoseUnit,
    dose: f64,
    strength: Option<NameStrength>,
) -> Result<DailyAmount, MedicationProblem> {
    let mg = match unit {
        DoseUnit::Mg => dose,
        DoseUnit::Mcg => dose / 1000.0,
        DoseUnit::Units => dose * unit_strength(product, strength)?,
        DoseUnit::Ml => match strength {
            Some(NameStrength::MgPerMl(mg_per_ml)) => dose * mg_per_ml,
            _ => {
                return Err(mismatch(
                    "a dose in ml needs the concentration in the drug name (e.g. \
                     \"10mg/5ml\"), or record the dose in mg",
                ));
            }
        },
        DoseUnit::McgPerHour | DoseUnit::Patches => {
            return Err(mismatch(format!(
                "mcg/h and patches are for patches, but {} is not a patch ({})",
                product.name,
                route.as_str()
            )));
        }
    };
    let mg = round6(mg);
    let factor = match route {
        Route::Oral => molecule.oral_ome_factor,
        Route::Sublingual => molecule.sublingual_ome_factor,
        Route::Transdermal => None,
    }
    .ok_or_else(|| {
        mismatch(format!(
            "{} has no {} form in the dictionary",
            molecule.id,
            route.as_str()
        ))
    })?;
    if let Some(ceiling) = molecule.max_mg_per_day
        && mg > ceiling + TOLERANCE
    {
        return Err(impossible(format!(
            "above the plausibility ceiling of {ceiling} mg {} per day (twice the BNF \
                 maximum daily dose); check the unit (mg or tablets) and the decimal point",
            molecule.id
        )));
    }
    let gabapentinoid = molecule.class == DrugClass::Gabapentinoid;
    let ome = if gabapentinoid {
        0.0
    } else {
        round6(mg * factor)
    };
    check_line_ome(ome)?;
    Ok(DailyAmount {
        product: Some(product.name.clone()),
        molecule: Some(molecule.id.clone()),
        class: Some(molecule.class),
        route: Some(route),
        mg_per_day: Some(mg),
        mcg_per_hour: None,
        ome_mg_per_day: ome,
        gabapentinoid_mg_per_day: if gabapentinoid { mg } else { 0.0 },
        ddd_fraction: molecule
            .ddd_mg
            .filter(|ddd| gabapentinoid && *ddd > 0.0)
            .map(|ddd| round6(mg / ddd)),
    })
}

/// mg of the molecule in one tablet or capsule.
fn unit_strength(
    product: &Product,
    strength: Option<NameStrength>,
) -> Result<f64, MedicationProblem> {
    // A combination product's strength is only ever read from a ratio ("30/500"): in
    // "paracetamol 500mg codeine 30mg" the first mg figure is the paracetamol.
    let from_name = match strength {
        Some(NameStrength::Ratio(mg, _)) if product.combination => Some(mg),
        _ if product.combination => None,
        Some(NameStrength::Mg(mg) | NameStrength::Bare(mg)) => Some(mg),
        Some(NameStrength::Mcg(mcg)) => Some(mcg / 1000.0),
        _ => None,
    }
    .filter(|mg| *mg > 0.0);
    match (product.mg_per_unit, from_name) {
        (Some(fixed), Some(named)) if (fixed - named).abs() > TOLERANCE => Err(unknown(format!(
            "the strength in the name does not match {}",
            product.name
        ))),
        (Some(fixed), _) => Ok(fixed),
        (None, Some(named)) => Ok(named),
        (None, None) => Err(mismatch(format!(
            "{} has no known strength per tablet or capsule: put the strength in the drug \
             name (e.g. \"10mg\", or \"30/500\" for co-codamol) or record the dose in mg",
            product.name
        ))),
    }
}

fn check_line_ome(ome: f64) -> Result<(), MedicationProblem> {
    if ome > MAX_LINE_OME_MG_PER_DAY + TOLERANCE {
        return Err(impossible(format!(
            "above the plausibility ceiling of {MAX_LINE_OME_MG_PER_DAY} mg OME per day for \
             one line; check the unit and the decimal point"
        )));
    }
    Ok(())
}
