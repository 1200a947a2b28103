//! Named bands of a measure's scale.

use super::{Band, Measure, TOLERANCE};

/// The band `value` falls in, or `None` when the measure has no bands or the value is
/// outside them (or not a number).
///
/// Rule: bands are ordered from the lowest values up, and a value belongs to the last band
/// whose published `min` it reaches. So a value in a gap between published bands falls in
/// the lower band: PAM-13 47.05 is level 1 (level 2 starts at 47.1), ONS4 life
/// satisfaction 4.5 is "low" (medium starts at 5). Values below the first band's `min` or
/// above the last band's `max` have no band.
pub fn band_of(measure: &Measure, value: f64) -> Option<&Band> {
    band_index(measure, value).and_then(|i| measure.bands.get(i))
}

/// Index of the band `value` falls in (0 = lowest band), by the rule of [`band_of`].
/// Useful for level shifts ("PAM level >= 3" is index >= 2).
pub fn band_index(measure: &Measure, value: f64) -> Option<usize> {
    if !value.is_finite() {
        return None;
    }
    let first = measure.bands.first()?;
    let last = measure.bands.last()?;
    if value < first.min - TOLERANCE || value > last.max + TOLERANCE {
        return None;
    }
    measure
        .bands
        .iter()
        .rposition(|band| value >= band.min - TOLERANCE)
}

/// Why a list of bands is not usable, for config errors. `None` when the bands are fine:
/// each band has `min <= max`, bands are in increasing order without overlap, and all lie
/// inside `[min, max]` of the measure.
pub(crate) fn bands_problem(bands: &[Band], min: f64, max: f64) -> Option<String> {
    for (i, band) in bands.iter().enumerate() {
        if band.label.trim().is_empty() {
            return Some(format!("band {} has an empty label", i + 1));
        }
        if !band.min.is_finite() || !band.max.is_finite() || band.min > band.max {
            return Some(format!(
                "band `{}` needs min <= max (got {} to {})",
                band.label, band.min, band.max
            ));
        }
        if band.min < min || band.max > max {
            return Some(format!(
                "band `{}` ({} to {}) lies outside the measure's range {} to {}",
                band.label, band.min, band.max, min, max
            ));
        }
    }
    for pair in bands.windows(2) {
        let [lower, upper] = pair else { continue };
        if upper.min <= lower.max {
            return Some(format!(
                "bands must be listed from low to high without overlap: `{}` starts at {} \
                 but `{}` ends at {}",
                upper.label, upper.min, lower.label, lower.max
            ));
        }
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn band(label: &str, min: f64, max: f64) -> Band {
        Band {
            label: label.to_string(),
            min,
            max,
        }
    }

    #[test]
    fn overlapping_bands_are_rejected() {
        let bands = [band("a", 0.0, 5.0), band("b", 5.0, 10.0)];
        assert!(
            bands_problem(&bands, 0.0, 10.0)
                .unwrap()
                .contains("overlap")
        );
    }

    #[test]
    fn out_of_order_bands_are_rejected() {
        let bands = [band("b", 6.0, 10.0), band("a", 0.0, 5.0)];
        assert!(bands_problem(&bands, 0.0, 10.0).is_some());
    }

    #[test]
    fn band_outside_range_is_rejected() {
        let bands = [band("a", 0.0, 12.0)];
        assert!(
            bands_problem(&bands, 0.0, 10.0)
                .unwrap()
                .contains("outside")
        );
    }

    #[test]
    fn good_bands_pass() {
        let bands = [band("a", 0.0, 4.0), band("b", 5.0, 10.0)];
        assert_eq!(bands_problem(&bands, 0.0, 10.0), None);
        assert_eq!(bands_problem(&[], 0.0, 10.0), None);
    }
}
