//! Pain medicines that are neither opioids nor gabapentinoids (paracetamol, NSAIDs,
//! antidepressants used for pain, topical treatments). Exports list them beside the
//! opioids; they are recognised so that they are neither findings nor make a timepoint's
//! total unknown, and they add nothing to OME or gabapentinoid doses.

use super::normalise::normalise_drug_name;

/// Molecules and common UK brand names, normalised; a name counts when its first word (or
/// first two words) is one of these.
const NOT_COUNTED: &[(&str, &str)] = &[
    ("paracetamol", "paracetamol"),
    ("panadol", "paracetamol"),
    ("calpol", "paracetamol"),
    ("acetaminophen", "paracetamol"),
    ("ibuprofen", "ibuprofen"),
    ("nurofen", "ibuprofen"),
    ("brufen", "ibuprofen"),
    ("naproxen", "naproxen"),
    ("naprosyn", "naproxen"),
    ("diclofenac", "diclofenac"),
    ("voltarol", "diclofenac"),
    ("celecoxib", "celecoxib"),
    ("celebrex", "celecoxib"),
    ("etoricoxib", "etoricoxib"),
    ("arcoxia", "etoricoxib"),
    ("meloxicam", "meloxicam"),
    ("aspirin", "aspirin"),
    ("mefenamic", "mefenamic acid"),
    ("amitriptyline", "amitriptyline"),
    ("nortriptyline", "nortriptyline"),
    ("duloxetine", "duloxetine"),
    ("cymbalta", "duloxetine"),
    ("nefopam", "nefopam"),
    ("capsaicin", "capsaicin"),
    ("zacin", "capsaicin"),
    ("lidocaine", "lidocaine"),
    ("versatis", "lidocaine"),
    ("ralvo", "lidocaine"),
    ("baclofen", "baclofen"),
    ("carbamazepine", "carbamazepine"),
];

/// The molecule of a recognised non-opioid, non-gabapentinoid pain medicine, if `drug` is
/// one (built in, or listed by the config as `extra`).
pub fn not_counted(drug: &str, extra: &[String]) -> Option<String> {
    let name = normalise_drug_name(drug);
    let words: Vec<&str> = name.split(' ').filter(|w| !w.is_empty()).collect();
    let first = *words.first()?;
    if let Some((_, molecule)) = NOT_COUNTED.iter().find(|(n, _)| *n == first) {
        return Some((*molecule).to_owned());
    }
    extra
        .iter()
        .map(|e| normalise_drug_name(e))
        .find(|e| {
            *e == name
                || e.split(' ')
                    .eq(words.iter().take(e.split(' ').count()).copied())
        })
        .map(|e| e.split(' ').next().unwrap_or("other").to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_common_non_opioid_pain_medicines() {
        assert_eq!(
            not_counted("Paracetamol 500mg tablets", &[]).as_deref(),
            Some("paracetamol")
        );
        assert_eq!(
            not_counted("IBUPROFEN 400 MG", &[]).as_deref(),
            Some("ibuprofen")
        );
        assert_eq!(
            not_counted("Amitriptyline 10mg", &[]).as_deref(),
            Some("amitriptyline")
        );
        assert_eq!(
            not_counted("Versatis 5% plaster", &[]).as_deref(),
            Some("lidocaine")
        );
        assert_eq!(not_counted("Frobnicate", &[]), None);
        assert_eq!(
            not_counted("Cannabis oil", &["cannabis oil".to_owned()]).as_deref(),
            Some("cannabis")
        );
    }
}
